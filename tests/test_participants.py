"""Joining from a tablet: the code, the device token, names and collèges."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from seminar_helpers import count, open_activity, refused
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import Card, CardKind, College, Interaction, Participant, Trajectory
from workshop.services import cards, participants, seminars, trajectories, votes


def _other_seminar(db, kit, two_days):
    return seminars.create_seminar(
        db, title="Séminaire B", territory="Saint-Quentinois", horizon_year=2050, run_sheet=two_days, kit=kit,
        day_dates=[date(2026, 6, 1)], group_names=["Table B"], facilitator_secret="secret-bbbb")


# --- the code ------------------------------------------------------------------------------------


def test_join_by_code_is_case_and_space_tolerant(db, seminar):
    code = seminar.join_code
    typings = [code.lower(), f"  {code[:3]} {code[3:]}  ", f"{code[:3].lower()}-{code[3:]}",
               f"{code[:2]} {code[2:4].lower()} {code[4:]}\n"]
    for n, typed in enumerate(typings, start=1):
        assert participants.find_seminar_by_code(db, typed) == seminar.seminar_id, typed
        joined = participants.join(db, typed, display_name=f"Alice {n}", college=College.ELECTED)
        assert joined.seminar_id == seminar.seminar_id
        assert (joined.display_name, joined.college, joined.rejoined) == (f"Alice {n}", College.ELECTED, False)
        assert count(db, Participant, Participant.seminar_id == seminar.seminar_id) == n


def test_join_into_a_table_and_college_given_as_text(db, seminar):
    table = seminars.get_seminar_by_id(db, seminar.seminar_id).groups[2]
    joined = participants.join(db, seminar.join_code, display_name="Bob", college="association", group_id=table.id)
    assert joined.college is College.ASSOCIATION
    assert joined.group_id == table.id


def test_a_closed_code_says_joining_is_closed_an_unknown_one_that_it_does_not_exist(db, seminar, join):
    with refused(NotFound, "unknown_code") as unknown:
        participants.join(db, "ZZZZZZ" if seminar.join_code != "ZZZZZZ" else "YYYYYY",
                          display_name="Alice", college="resident")
    with refused(NotFound, "unknown_code"):
        participants.find_seminar_by_code(db, "")
    seminars.set_joining_open(db, seminar.seminar_id, False)
    # a late arrival reads the code on the screen: told joining is closed, not "code not found"
    with refused(Forbidden, "joining_closed") as closed:
        join("Alice")
    with refused(Forbidden, "joining_closed"):
        participants.find_seminar_by_code(db, seminar.join_code)
    assert "closes" in closed.value.message("fr") and "introuvable" not in closed.value.message("fr")
    assert closed.value.message("fr") != unknown.value.message("fr")
    assert count(db, Participant) == 0


# --- the device token ------------------------------------------------------------------------------


def test_same_device_gets_the_same_participant_after_a_reload(db, seminar, join):
    alice = join("Alice")
    assert alice.device_token and len(alice.device_token) >= 32
    again = participants.join(db, seminar.join_code.lower(), display_name="Alice bis", college="expert",
                              device_token=alice.device_token)
    assert again.participant_id == alice.participant_id
    assert again.rejoined is True
    assert (again.display_name, again.college) == ("Alice", College.RESIDENT)  # identity back, not a new one
    resumed = participants.resume(db, alice.device_token)
    assert (resumed.participant_id, resumed.seminar_id, resumed.rejoined) == (alice.participant_id,
                                                                              seminar.seminar_id, True)
    assert count(db, Participant) == 1


def test_a_device_that_joined_can_come_back_after_joining_closed(db, seminar, join):
    alice = join("Alice")
    seminars.set_joining_open(db, seminar.seminar_id, False)
    again = participants.join(db, seminar.join_code, display_name="Alice", college="resident",
                              device_token=alice.device_token)
    assert again.participant_id == alice.participant_id
    assert participants.resume(db, alice.device_token).participant_id == alice.participant_id


def test_an_unknown_device_token_is_a_new_person(db, seminar, join):
    alice = join("Alice")
    stranger = participants.join(db, seminar.join_code, display_name="Bob", college="resident",
                                 device_token="not-a-token-we-gave")
    assert stranger.participant_id != alice.participant_id
    assert stranger.device_token != "not-a-token-we-gave"  # the server draws the token
    assert stranger.rejoined is False


def test_only_a_hash_of_the_device_token_is_stored(db, seminar, join):
    alice = join("Alice")
    bob = join("Bob")
    assert alice.device_token != bob.device_token
    with db.read() as session:
        rows = session.execute(select(Participant.__table__)).mappings().all()
    for row in rows:
        for value in row.values():
            assert alice.device_token not in str(value) and bob.device_token not in str(value)


def test_resume_with_an_unknown_token_is_refused(db, seminar, join):
    alice = join("Alice")
    for token in ("", None, "x" * 201, "forged-token", alice.device_token + "x"):
        with refused(Forbidden, "unknown_device", case=token):
            participants.resume(db, token)


def test_token_of_one_seminar_cannot_act_in_another(db, kit, two_days, seminar, join):
    alice = join("Alice")
    other = _other_seminar(db, kit, two_days)
    sid_b = other.seminar_id
    contribute_b = open_activity(db, sid_b, Interaction.CONTRIBUTE, CardKind.STAKE)
    with refused(NotFound, "not_found", what="activity"):
        cards.contribute(db, alice.device_token, contribute_b.id, kind="stake", text="Intrusion")
    assert count(db, Card) == 0

    stake_b = cards.add_card(db, sid_b, kind="stake", text="Enjeu de B")
    vote_b = open_activity(db, sid_b, Interaction.DOT_VOTE, CardKind.STAKE)
    with refused(NotFound, "not_found", what="activity"):
        votes.set_dots(db, alice.device_token, vote_b.id, stake_b.id, 1)
    with refused(Forbidden, "unknown_device"):
        trajectories.create_trajectory(db, sid_b, stake_b.id, "Intrusion", device_token=alice.device_token)
    assert count(db, Trajectory) == 0

    # joining B from the same tablet makes a new, separate person of seminar B
    in_b = participants.join(db, other.join_code, display_name="Alice", college="resident",
                             device_token=alice.device_token)
    assert in_b.seminar_id == sid_b and in_b.participant_id != alice.participant_id
    assert in_b.rejoined is False and in_b.device_token != alice.device_token
    assert participants.resume(db, alice.device_token).seminar_id == seminar.seminar_id


def test_a_card_of_another_seminar_cannot_be_edited(db, kit, two_days, seminar, join):
    alice = join("Alice")
    other = _other_seminar(db, kit, two_days)
    bob = participants.join(db, other.join_code, display_name="Bob", college="resident")
    contribute_b = open_activity(db, other.seminar_id, Interaction.CONTRIBUTE, CardKind.STAKE)
    card = cards.contribute(db, bob.device_token, contribute_b.id, kind="stake", text="Enjeu de Bob")
    with refused(NotFound, "not_found", what="card"):
        cards.edit_own(db, alice.device_token, card.id, text="Piraté")
    with refused(NotFound, "not_found", what="card"):
        cards.withdraw_own(db, alice.device_token, card.id)
    assert cards.list_cards(db, other.seminar_id)[0].text == "Enjeu de Bob"


# --- who is joining ------------------------------------------------------------------------------


def test_unknown_college_is_refused(db, seminar):
    for college in ("mayor", "", "ELECTED", None, "élu"):
        with refused(Invalid, "unknown_college", case=college):
            participants.join(db, seminar.join_code, display_name="Alice", college=college)
    assert count(db, Participant) == 0


def test_every_college_can_join(db, seminar):
    for college in College:
        participants.join(db, seminar.join_code, display_name=f"P {college.value}", college=college)
    assert participants.count_participants(db, seminar.seminar_id) == {c.value: 1 for c in College}


NAMES = [
    ("Zoé 🌱", "Zoé 🌱"),
    ("Zoe\u0301", "Zoé"),  # decomposed accent normalised (NFC)
    ("  Jean-François\u00a0Ørsted  ", "Jean-François\u00a0Ørsted"),
    ("Al\x00i\x1bce\u200b\u202e", "Alice"),  # control and direction characters stripped
    ("Marie\nClaire\tD.", "Marie Claire D."),
    ("<b>Lou</b>", "<b>Lou</b>"),
    ("é" * 60, "é" * 60),
    ("👩🏽\u200d🌾 Agricultrice 🏳️\u200d🌈", "👩🏽\u200d🌾 Agricultrice 🏳️\u200d🌈"),  # ZWJ emoji stay whole
]


def test_display_names_are_cleaned_but_keep_what_people_typed(db, seminar):
    for typed, kept in NAMES:
        joined = participants.join(db, seminar.join_code, display_name=typed, college="resident")
        assert joined.display_name == kept, typed
        assert participants.resume(db, joined.device_token).display_name == kept, typed
    assert sorted(p.display_name for p in participants.list_participants(db, seminar.seminar_id)) == \
        sorted(kept for _, kept in NAMES)


def test_bad_display_names_are_refused(db, seminar):
    for typed, code in [("", "text_required"), ("   ", "text_required"), ("\x00\u200b", "text_required"),
                        (None, "text_required"), ("x" * 61, "text_too_long")]:
        with refused(Invalid, code, field="display_name", case=typed):
            participants.join(db, seminar.join_code, display_name=typed, college="resident")
    assert count(db, Participant) == 0


def test_a_table_of_another_seminar_is_refused_when_joining(db, kit, two_days, seminar):
    other = _other_seminar(db, kit, two_days)
    foreign = seminars.get_seminar_by_id(db, other.seminar_id).groups[0].id
    with refused(NotFound, "not_found", what="group"):
        participants.join(db, seminar.join_code, display_name="Alice", college="resident", group_id=foreign)
    assert count(db, Participant) == 0


def test_update_profile(db, seminar, join):
    alice = join("Alice")
    table = seminars.get_seminar_by_id(db, seminar.seminar_id).groups[1].id
    updated = participants.update_profile(db, alice.device_token, display_name=" Alice D. ", college="staff",
                                          group_id=table)
    assert (updated.display_name, updated.college, updated.group_id) == ("Alice D.", College.STAFF, table)
    with refused(Invalid, "unknown_college"):
        participants.update_profile(db, alice.device_token, college="king")
    with refused(Forbidden, "unknown_device"):
        participants.update_profile(db, "forged", display_name="X")
    assert participants.resume(db, alice.device_token).college is College.STAFF
