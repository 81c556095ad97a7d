"""The console's attendance panel: the people expected and the cap beside the header's head count,
a burst flagged, removal undone."""

from __future__ import annotations

import asyncio

from nicegui.testing import User

from workshop.demo import DEMO_SECRET
from workshop.models import College
from workshop.services import cards, participants

LIVE = 30


async def _login(user: User, seminar_id: int) -> None:
    await user.open(f"/console/{seminar_id}/login")
    user.find(marker="secret").type(DEMO_SECRET)
    user.find(marker="login").click()
    await user.should_see(marker="current-panel", retries=LIVE)


def _registered(count: int) -> str:
    """The header's head count (nobody's tablet is connected in these tests)."""
    return f"Connectés\u00a0: 0\u00a0sur\u00a0{count}\u00a0inscrits"


async def test_a_burst_is_flagged_and_its_identities_removed_then_given_back(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    before = participants.attendance(db, sid).head_count
    participants.set_attendance(db, sid, expected=before, cap=None)
    await _login(user, sid)
    await user.should_see(_registered(before), retries=LIVE)
    await user.should_see(f"Attendus\u00a0: {before}", retries=LIVE)
    clones = [participants.join(db, d.join_code, display_name=f"Clone {i}", college=College.RESIDENT,
                                client="192.168.1.66") for i in range(12)]
    await user.should_see(_registered(before + 12), retries=LIVE)
    await user.should_see(marker="over-expected", retries=LIVE)
    await user.should_see("12\u00a0arrivées depuis une même adresse en", retries=LIVE)
    user.find(marker="burst-review-0").click()
    await user.should_see(marker="people-dialog")
    for clone in clones[:3]:
        user.find(marker=f"pick-{clone.participant_id}").click()
    user.find(marker="remove-people").click()
    await user.should_see("3\u00a0identités retirées", retries=LIVE)
    await user.should_see(_registered(before + 9), retries=LIVE)
    steps = [s for s in cards.history(db, sid) if s.action == "remove_person"]
    assert len(steps) == 3
    await user.should_see("Retrait d'un participant", retries=LIVE)  # in the moderation history
    await user.should_see(marker=f"undo-{steps[0].id}")
    cards.undo(db, sid, steps[0].id)  # the latest one, as the history's "Annuler" does
    await user.should_see(_registered(before + 10), retries=LIVE)


async def _attendance_dialog(user: User, sid: int) -> None:
    """The facilitator, logged in, opens the Effectif panel's settings (expected people, cap)."""
    await _login(user, sid)
    user.find(marker="attendance-settings").click()
    await user.should_see(marker="attendance-dialog")


async def test_the_expected_attendance_and_the_cap_are_set_in_the_console(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    await _attendance_dialog(user, sid)
    user.find(marker="expected-attendance").elements.pop().value = 30
    user.find(marker="max-participants").elements.pop().value = 35
    user.find(marker="attendance-save").click()
    for _ in range(LIVE):
        seminar = participants.attendance(db, sid)
        if seminar.cap == 35:
            break
        await asyncio.sleep(0.1)
    assert (seminar.expected, seminar.cap) == (30, 35)
    await user.should_see("plafond\u00a0: 35", retries=LIVE)


async def test_a_number_of_people_that_is_not_whole_is_refused_not_rounded(demo, user: User) -> None:
    """30.5 people expected (a forged value, or one typed and saved before the field rounds it) is
    refused in French, as the service refuses it, not stored as 30."""
    db, d = demo
    sid = d.seminar_id
    await _attendance_dialog(user, sid)
    user.find(marker="expected-attendance").elements.pop().value = 30.5
    user.find(marker="attendance-save").click()
    await user.should_see("Indiquez un nombre entier entre 1\u00a0et 2000, ou laissez le champ vide.", retries=LIVE)
    assert participants.attendance(db, sid).expected is None


async def test_the_head_count_is_said_once_in_the_header(demo, user: User) -> None:
    """« Connectés : 0 sur 18 inscrits » in the header; the Effectif panel no longer says « 18
    participants » again, nor the Participants panel « Inscrits : 18 · connectés : 0 »: each
    figure once, the people expected and the cap beside the tools that set them."""
    db, d = demo
    sid = d.seminar_id
    count = participants.attendance(db, sid).head_count
    await _login(user, sid)
    await user.should_see(_registered(count), retries=LIVE)
    await user.should_see(marker="people-panel")
    await user.should_not_see(f"{count}\u00a0participants")
    await user.should_not_see("Inscrits\u00a0:")
    await user.should_not_see(marker="head-count")  # nothing expected, no cap: nothing to say there
    participants.set_attendance(db, sid, expected=count + 2, cap=None)
    await user.should_see(f"Attendus\u00a0: {count + 2}", retries=LIVE)
    await user.should_not_see(f"{count}\u00a0participants sur")
    participants.set_attendance(db, sid, expected=None, cap=40)
    await user.should_see("Plafond\u00a0: 40", retries=LIVE)
