"""Personal data in the pages: the information page from the join screen, export and erasure
in the console (simulated browsers)."""

from __future__ import annotations

import asyncio
import json

from nicegui.testing import User

from workshop.demo import DEMO_SECRET
from workshop.models import College
from workshop.services import participants, personal_data

LIVE = 20


async def _eventually(check) -> None:
    for _ in range(LIVE * 2):
        if check():
            return
        await asyncio.sleep(0.1)
    assert check()


async def test_the_join_screen_leads_to_what_the_app_keeps(demo, user: User) -> None:
    db, d = demo
    await user.open(f"/join/{d.join_code}")
    await user.should_see("Vos données personnelles")  # a link of the join form (drawn in the browser)
    href = next(iter(user.find(marker="join-form").elements)).props["privacy_href"]
    assert href == f"/donnees-personnelles/{d.seminar_id}"
    await user.open(href)
    await user.should_see("Vos données personnelles dans cet atelier")
    await user.should_see("Le nom que vous tapez en arrivant (un prénom ou un pseudonyme suffit).")
    # the seminar's own retention period, and the date it ends
    await user.should_see("Votre nom est gardé 12\u00a0mois après la fin du séminaire", retries=LIVE)
    until = personal_data.retention_of(db, d.seminar_id).names_until
    await user.should_see(f"{until.year}")
    await user.should_see("Le rapport de capitalisation et les données ouvertes n'impriment jamais les noms.")
    await user.should_see("Le responsable du traitement est l'organisme qui organise ce séminaire")
    await user.should_see("saisir la CNIL")


async def test_a_named_controller_and_a_contact_are_shown(demo, user: User, monkeypatch) -> None:
    monkeypatch.setenv("WORKSHOP_DATA_CONTROLLER", "le Cerdd")
    monkeypatch.setenv("WORKSHOP_DATA_CONTACT", "dpo@cerdd.example")
    await user.open("/donnees-personnelles")
    await user.should_see("Le responsable du traitement est le Cerdd, qui organise ce séminaire.")
    await user.should_see("Pour vos demandes\u00a0: dpo@cerdd.example.")
    await user.should_see("12\u00a0mois après sa fin")


async def test_the_console_sets_retention_exports_and_erases(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    zoe = participants.join(db, d.join_code, display_name="Zoé Testname", college=College.ELECTED)
    await user.open(f"/console/{sid}/login")
    user.find(marker="secret").type(DEMO_SECRET)
    user.find(marker="login").click()
    await user.should_see(marker="personal-data-panel", retries=LIVE)

    user.find(marker="retention-months").clear().type("6")
    user.find(marker="retention-save").click()
    await user.should_see("Durée de conservation enregistrée.", retries=LIVE)
    assert personal_data.retention_of(db, sid).months == 6

    user.find(marker=f"export-{zoe.participant_id}").click()
    await _eventually(lambda: user.download.http_responses)
    data = json.loads(user.download.http_responses[-1].content)
    assert data["participant"]["display_name"] == "Zoé Testname"

    user.find(marker=f"erase-{zoe.participant_id}").click()
    await user.should_see(marker="erase-dialog", retries=LIVE)
    await user.should_see("Effacer le nom de Zoé Testname\u00a0?")
    user.find(marker="erase-confirm").click()
    await user.should_see("Nom effacé\u00a0: Participant n°", retries=LIVE)
    names = {p.display_name for p in participants.list_participants(db, sid)}
    assert "Zoé Testname" not in names

    def row_texts(marker: str) -> list[str]:
        return [getattr(e, "text", "") for row in user.find(marker=marker).elements
                for e in row.descendants() if hasattr(e, "text")]

    await _eventually(lambda: "Zoé Testname" not in row_texts(f"data-person-{zoe.participant_id}")
                      and any(t.startswith("Participant n°") for t in row_texts(f"data-person-{zoe.participant_id}")))
    await _eventually(lambda: any(t.startswith("Participant n°") for t in row_texts(f"person-{zoe.participant_id}")))
    await user.should_not_see(marker=f"erase-{zoe.participant_id}")  # nothing left to erase
