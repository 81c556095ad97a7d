"""The demo seminar walked in English, as people who chose EN would see it: a resident on a phone
(390x844) joins, writes a stake and spends a dot vote; the facilitator's laptop (1280x800) opens each
activity; the projector (1920x1080, then 1280x720) shows the wall, the results and the map.

What it checks is what a person reads: the English texts, and no French word of the interface left
on these screens (the demo's own cards, titles and instructions are French: they are the seminar's
data, read from its database and set aside). Screenshots land in test-artifacts/english/.

Seen on 6 December 2026: the phone's panel, rebuilt when the facilitator opened the next activity,
came back in French (« Consignes », « Type de carte », « Envoyer »); the used-up toast broke
"(5 of 5)" across two lines; the map's findings listed cards the French way, "A ; B"; the English
texts quoted a card with straight quotes ("…") where the app's own sentences use “…”; the name's
label on the join form was cut on a phone.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import (
    PHONE,
    PROJECTOR,
    PROJECTOR_SMALL,
    Room,
    budget,
    connected,
    dot_count,
    seen_lines,
    set_switch,
    shot,
    show_on_screen,
)
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from workshop.ui.tablet.voting import DOUBLE_TAP_SECONDS

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1280, "height": 800}
CONTRIBUTION = "Enjeux, menaces et ressources du territoire"  # the demo's activities (French data)
DOT_VOTE = "Vote sur les enjeux prioritaires"
MY_STAKE = "Safe drinking water in every village by 2035"
DEMO_STAKE_1 = "Accès aux soins de proximité dans les communes rurales"
DEMO_STAKE_2 = "Des mobilités sans voiture individuelle pour tous"
DEMO_STAKE_3 = "Une alimentation locale accessible à tous les revenus"
DEMO_STAKE_4 = "Préserver la ressource en eau et les hortillonnages"

# Words of the French interface that must not show on an English screen.
FRENCH = re.compile(r"\b(Envoyer|enregistrée?|gommettes?|votants?|Enjeux?|Menaces?|Ressources?|Consignes|"
                    r"Résultats|Vote en cours|Il vous reste|connectés|Type de carte|Mes contributions|facultatif|"
                    r"Précisions|Bienvenue|Votre|Séance|EN SOUS-GROUPES|EN PLÉNIÈRE|Temps restant)\b")


def seminar_texts(server) -> list[str]:
    """Every text the seminar holds (cards, titles, themes, instructions…): data, in French in the demo."""
    texts: set[str] = set()
    with sqlite3.connect(server.data_dir / "workshop.sqlite3") as db:
        for (table,) in db.execute("select name from sqlite_master where type = 'table'"):
            for row in db.execute(f'select * from "{table}"'):
                texts.update(_plain(v) for v in row if isinstance(v, str) and len(v) > 2)
    return sorted(texts, key=len, reverse=True)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u2011", "-")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def french_left(page: Page, data: list[str]) -> list[str]:
    """The lines of the page's visible text that still hold a French word of the interface once the
    seminar's data are set aside (a text cut with « … » counts as data when it begins one)."""
    out = []
    for line in page.locator("body").inner_text().splitlines():
        line = _plain(line)
        for text in data:
            if text in line:
                line = line.replace(text, " ")
        rest = line.strip()
        if rest.endswith("…") and any(t.startswith(rest[:-1].strip()) for t in data if rest[:-1].strip()):
            continue
        if FRENCH.search(rest):
            out.append(rest)
    return out


def to_english(page: Page) -> None:
    """Tap EN, as a person does, and wait for the page to come back in English."""
    connected(page)
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("button", name="EN", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    connected(page)


def log_in_english(page: Page, secret: str) -> None:
    to_english(page)
    expect(page.get_by_role("heading", name="Facilitator login")).to_be_visible()
    page.get_by_label("Facilitator code").fill(secret)
    page.get_by_role("button", name="Log in").click()


def open_activity(console: Page, title: str) -> None:
    console.get_by_role("button", name=title, exact=True).click()
    expect(console.get_by_role("heading", name=title, exact=True)).to_be_visible()
    console.get_by_role("button", name="Reopen").click()
    expect(console.get_by_role("button", name="Close", exact=True)).to_be_visible()


def add_dot(phone: Page, card_text: str) -> None:
    phone.get_by_role("button", name=f"Add a dot to “{card_text}”", exact=True).click()  # English quotes


def test_a_seminar_in_english_on_a_phone_and_the_projector(room: Room, server, artifacts: Path) -> None:
    out = artifacts / "english"
    sid, code = server.seminar_id, server.join_code
    data = seminar_texts(server)

    # --- the facilitator's laptop, in English ------------------------------------------------
    _, console = room.page(LAPTOP)
    console.goto(f"{server.url}/console/{sid}/login")
    log_in_english(console, server.secret)
    console.wait_for_url(re.compile(rf"/console/{sid}$"))
    connected(console)
    show_on_screen(console, "Activity")
    set_switch(console, "Reveal the results", False)
    set_switch(console, "Show the number connected", True)

    _, projector = room.page(PROJECTOR)
    projector.goto(f"{server.url}/screen/{sid}")
    log_in_english(projector, server.secret)
    projector.wait_for_url(re.compile(rf"^[^?]*/screen/{sid}$"))
    connected(projector)

    # --- a resident joins on a phone, in English ----------------------------------------------
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{code}")
    to_english(phone)
    expect(phone.get_by_role("heading", name="Welcome!")).to_be_visible()
    name = phone.get_by_label("Your first name or display name")
    # the whole label in sight on a phone, not "Your first name (or the name to …"
    assert phone.locator(".q-field__label").first.evaluate("l => l.scrollWidth <= l.clientWidth")
    name.fill("Dana K.")
    phone.get_by_label("Your collège").click()
    phone.get_by_role("option", name="Resident", exact=True).click()
    phone.get_by_role("button", name="Enter the seminar").click()
    phone.wait_for_url(re.compile(r"/tablet/\d+$"))
    expect(phone.get_by_text("Dana K. · resident", exact=True)).to_be_visible()
    connected(phone)

    # --- the facilitator opens the contribution round: the phone's new panel is in English ------
    open_activity(console, CONTRIBUTION)
    expect(phone.get_by_role("heading", name=CONTRIBUTION, exact=True)).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^in groups, at your table$", re.I))).to_be_visible()
    expect(phone.get_by_text("Kind of card", exact=True)).to_be_visible()
    expect(phone.get_by_role("button", name="Stake", exact=True)).to_be_visible()
    send = phone.get_by_role("button", name="Send", exact=True)
    expect(send).to_be_visible()
    phone.get_by_label("Your stake").fill(MY_STAKE)
    send.click()
    expect(phone.get_by_text("Contribution saved").first).to_be_visible()
    expect(phone.get_by_text("My contributions (1)")).to_be_visible()
    expect(projector.locator(".v21p-card").filter(has_text=MY_STAKE)).to_be_visible()
    expect(projector.get_by_role("heading", name="Stakes", exact=True)).to_be_visible()
    shot(phone, out / "phone-contribution-390x844.png")
    shot(projector, out / "projector-wall-1920x1080.png")
    assert french_left(phone, data) == []
    assert french_left(projector, data) == []

    # --- the dot vote: the budget, the refusals, the projector's count, in English ---------------
    open_activity(console, DOT_VOTE)
    expect(phone.get_by_role("heading", name=DOT_VOTE, exact=True)).to_be_visible()
    expect(budget(phone)).to_have_text("You have 5 dots left out of 5")
    expect(projector.get_by_text("Voting in progress")).to_be_visible()
    expect(projector.locator(".v21p-message-mid")).to_have_text(re.compile(r"^\d+ (person has|people have) voted$"))
    for card_text, left in [(DEMO_STAKE_1, "You have 4 dots left out of 5"), (DEMO_STAKE_2, "You have 3 dots left out of 5"),
                            (DEMO_STAKE_3, "You have 2 dots left out of 5"), (DEMO_STAKE_4, "You have 1 dot left out of 5")]:
        add_dot(phone, card_text)
        expect(budget(phone)).to_have_text(left)
    phone.wait_for_timeout(DOUBLE_TAP_SECONDS * 1000 + 100)  # a second, deliberate tap on the same card
    add_dot(phone, DEMO_STAKE_4)
    expect(budget(phone)).to_have_text("All your dots are placed (5\u00a0of\u00a05)")
    expect(dot_count(phone, DEMO_STAKE_4)).to_have_text("2")
    add_dot(phone, DEMO_STAKE_1)  # a sixth dot: refused, and the person is told why, in English
    refusal = phone.locator(".q-notification", has_text="You have placed all your dots")
    expect(refusal).to_be_visible()
    lines = seen_lines(refusal.locator(".q-notification__message"))
    assert any("(5 of 5)" in line for line in lines), lines  # never "(5 of" on one line and "5)" on the next
    expect(dot_count(phone, DEMO_STAKE_1)).to_have_text("1")
    shot(phone, out / "phone-vote-390x844.png")
    assert french_left(phone, data) == []

    # --- the results, revealed on the projector ---------------------------------------------------
    set_switch(console, "Reveal the results", True)
    expect(projector.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    expect(projector.locator(".v21p-view-sub").first).to_have_text(re.compile(r"^\d+ voters · \d+ dots"))
    shot(projector, out / "projector-results-1920x1080.png")
    assert french_left(projector, data) == []
    projector.set_viewport_size(PROJECTOR_SMALL)
    expect(projector.locator(".js-plotly-plot")).to_be_visible()
    shot(projector, out / "projector-results-1280x720.png")

    # --- the map and its findings: a list of cards reads "A; B" in English ---------------------------
    projector.set_viewport_size(PROJECTOR)
    show_on_screen(console, "Graph")
    expect(projector.get_by_role("heading", name="Link graph", exact=True)).to_be_visible()
    # the finding as a screen reader says it, names in full (the eye reads the same in pieces)
    findings = projector.locator(".v21p-finding .v21p-sr").filter(has_text=re.compile(r"^\d+\sthreats with no counter:\s"))
    expect(findings).to_have_count(1)
    sentence = findings.text_content()
    assert "; " in sentence and " ;" not in sentence, sentence
    shot(projector, out / "projector-map-1920x1080.png")
    assert french_left(projector, data) == []

    show_on_screen(console, "Activity")  # as the other tests expect the screen
    set_switch(console, "Reveal the results", False)
    assert room.foreign_requests() == []
    assert room.errors == []
