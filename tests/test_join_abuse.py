"""One person cannot quietly become forty voters: head count, join bursts, removal, merge, cap.

Service level, on SQLite and PostgreSQL (``db``).
"""

from __future__ import annotations

import pytest

from seminar_helpers import open_activity, refused, total
from workshop.errors import Forbidden, Invalid
from workshop.models import CardKind, College, DotVote, Interaction
from workshop.services import access, cards, participants, votes

VENUE = "203.0.113.50"  # a hosted server: every tablet of the room behind the venue's one address


@pytest.fixture
def dot_vote(db, seminar):
    sid = seminar.seminar_id
    activity = open_activity(db, sid, Interaction.DOT_VOTE, where=lambda a: a.vote_budget)
    kind = activity.card_kinds[0] if activity.card_kinds else CardKind.STAKE.value
    card_ids = [cards.add_card(db, sid, kind=kind, text=f"Carte {i}").id for i in range(3)]
    return activity, card_ids


def _tablet_joins(db, code: str, name: str, address: str = VENUE):
    """What the join page does: the code (throttled per address when wrong), then the join."""
    access.seminar_for_join_code(db, code, client=address)
    return participants.join(db, code, display_name=name, college=College.RESIDENT, client=address)


def test_150_tablets_behind_one_venue_address_all_join_within_a_minute(db, seminar, fake_clock):
    for i in range(150):
        _tablet_joins(db, seminar.join_code, f"Tablette {i}")
        fake_clock.advance(seconds=0.3)  # 45 s for the whole room
    state = participants.attendance(db, seminar.seminar_id)
    assert state.head_count == 150
    # it is flagged (one address, a burst), never refused: the facilitator compares with the room
    [burst] = state.bursts
    assert len(burst.participant_ids) == 150


def test_a_burst_of_joins_from_one_address_is_flagged_and_the_head_count_compared(db, seminar, fake_clock):
    sid = seminar.seminar_id
    participants.set_attendance(db, sid, expected=12, cap=None)
    for i in range(12):  # the room, from the hotspot: one address each, over ten minutes
        _tablet_joins(db, seminar.join_code, f"Personne {i}", address=f"192.168.1.{i + 10}")
        fake_clock.advance(seconds=50)
    state = participants.attendance(db, sid)
    assert (state.head_count, state.expected, state.bursts, state.over_expected) == (12, 12, (), False)
    for i in range(40):  # one phone, a fresh cookie each time: 40 joins in 8 s
        _tablet_joins(db, seminar.join_code, f"Clone {i}", address="192.168.1.66")
        fake_clock.advance(seconds=0.2)
    state = participants.attendance(db, sid)
    assert state.head_count == 52 and state.over_expected
    [burst] = state.bursts
    clones = {p.id for p in participants.list_participants(db, sid) if p.display_name.startswith("Clone")}
    assert set(burst.participant_ids) == clones


def test_removing_an_identity_takes_its_dots_away_and_undo_puts_them_back(db, seminar, join, dot_vote):
    activity, (card, other, _) = dot_vote
    sid = seminar.seminar_id
    alice, clone = join("Alice"), join("Clone")
    votes.set_dots(db, alice.device_token, activity.id, card, 1)
    votes.set_dots(db, clone.device_token, activity.id, card, 2)
    author_card = cards.contribute(db, clone.device_token, open_activity(
        db, sid, Interaction.CONTRIBUTE, CardKind.STAKE).id, kind="stake", text="Écrit par le clone")
    assert total(db, DotVote.dots) == 3
    step = participants.remove_participant(db, sid, clone.participant_id)
    assert total(db, DotVote.dots) == 1  # the clone's dots left with it
    assert participants.attendance(db, sid).head_count == 1
    with refused(Forbidden, "unknown_device"):  # its device is no longer anyone
        participants.resume(db, clone.device_token)
    [recorded] = [s for s in cards.history(db, sid) if s.id == step]
    assert recorded.action == "remove_person" and recorded.payload["person"]["name"] == "Clone"
    assert {c.id: c.author_id for c in cards.list_cards(db, sid)}[author_card.id] is None  # the card stays
    cards.undo(db, sid, step)
    assert total(db, DotVote.dots) == 3
    assert {c.id: c.author_id for c in cards.list_cards(db, sid)}[author_card.id] == clone.participant_id
    assert participants.resume(db, clone.device_token).participant_id == clone.participant_id
    assert participants.attendance(db, sid).head_count == 2
    with refused(Invalid, "already_undone"):
        cards.undo(db, sid, step)


def test_merging_identities_keeps_one_budget_and_credits_the_cards(db, seminar, join, dot_vote):
    activity, (card, other, third) = dot_vote
    sid = seminar.seminar_id
    me, twin1, twin2 = join("Paul"), join("Paul bis"), join("Paul ter")
    for who in (me, twin1, twin2):
        votes.set_dots(db, who.device_token, activity.id, card, 2)
    contribute = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    written = cards.contribute(db, twin1.device_token, contribute.id, kind="stake", text="Idée du jumeau")
    step = participants.merge_participants(db, sid, me.participant_id, [twin1.participant_id, twin2.participant_id])
    assert total(db, DotVote.dots) == 2  # one person, one budget: the kept identity's own dots
    assert participants.attendance(db, sid).head_count == 1
    assert {c.id: c.author_id for c in cards.list_cards(db, sid)}[written.id] == me.participant_id
    with refused(Invalid, "merge_needs_two_people"):
        participants.merge_participants(db, sid, me.participant_id, [me.participant_id])
    cards.undo(db, sid, step)
    assert total(db, DotVote.dots) == 6
    assert {c.id: c.author_id for c in cards.list_cards(db, sid)}[written.id] == twin1.participant_id
    assert participants.attendance(db, sid).head_count == 3


def test_a_later_step_on_the_same_person_is_undone_first(db, seminar, join):
    sid = seminar.seminar_id
    a, b, c = join("A"), join("B"), join("C")
    first = participants.merge_participants(db, sid, a.participant_id, [b.participant_id])
    second = participants.remove_participant(db, sid, a.participant_id)
    with refused(Invalid, "undo_later_first"):
        cards.undo(db, sid, first)
    cards.undo(db, sid, second)
    cards.undo(db, sid, first)
    assert participants.attendance(db, sid).head_count == 3


def test_a_capped_seminar_refuses_new_identities_in_french(db, seminar, join):
    sid = seminar.seminar_id
    participants.set_attendance(db, sid, expected=3, cap=3)
    first = join("Un")
    join("Deux"), join("Trois")
    with refused(Forbidden, "seminar_full") as caught:
        join("Quatre")
    assert caught.value.message("fr") == ("Ce séminaire est complet (3 participants)\u00a0: il n'est plus possible "
                                          "de le rejoindre. Adressez-vous à l'équipe d'animation.")
    # a tablet that joined before still gets back in (a reload, a wifi drop)
    again = participants.join(db, seminar.join_code, display_name="Un", college=College.RESIDENT,
                              device_token=first.device_token)
    assert again.participant_id == first.participant_id and again.rejoined
    participants.remove_participant(db, sid, first.participant_id)
    join("Quatre")  # a place freed
    participants.set_attendance(db, sid, expected=None, cap=None)
    join("Cinq")


@pytest.mark.parametrize("value", [0, -1, 2001, "beaucoup", 3.5, True])
def test_attendance_numbers_are_checked(db, seminar, value):
    with refused(Invalid, "attendance_number"):
        participants.set_attendance(db, seminar.seminar_id, expected=value, cap=None)
    with refused(Invalid, "attendance_number"):
        participants.set_attendance(db, seminar.seminar_id, expected=None, cap=value)


def test_a_removal_made_before_an_import_is_not_undone_with_stale_ids(db, seminar, join):
    """An archive or a snapshot renumbers everything: the step's ids would point at other rows."""
    from workshop.models import ModerationStep

    sid = seminar.seminar_id
    step_id = participants.remove_participant(db, sid, join("Clone").participant_id)
    with db.write() as session:  # what an import into another seminar leaves behind
        step = session.get(ModerationStep, step_id)
        step.payload = {**step.payload, "seminar": sid + 1000}
    with refused(Invalid, "person_undo_elsewhere"):
        cards.undo(db, sid, step_id)
    assert participants.attendance(db, sid).head_count == 0


def test_a_seminar_with_removed_people_goes_through_an_archive(db, seminar, join, dot_vote):
    from workshop.archive.exporting import export_seminar
    from workshop.archive.importing import import_seminar

    activity, (card, *_) = dot_vote
    sid = seminar.seminar_id
    clone = join("Clone")
    votes.set_dots(db, clone.device_token, activity.id, card, 1)
    step_id = participants.remove_participant(db, sid, clone.participant_id)
    data = export_seminar(db, sid)
    assert [s["action"] for s in data["moderation_steps"]] == ["remove_person"]
    copy = import_seminar(db, data).seminar_id
    [step] = cards.history(db, copy)
    assert step.action == "remove_person" and step.id != step_id
    with refused(Invalid, "person_undo_elsewhere"):
        cards.undo(db, copy, step.id)
    cards.undo(db, sid, step_id)  # the original still can
