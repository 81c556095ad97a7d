"""Editing the run sheet: what may change before and while the seminar is played."""

from __future__ import annotations

import pytest

from seminar_helpers import find_activity, refused, reload_activity
from workshop.errors import Invalid, NotFound
from workshop.events import bus
from workshop.i18n import translate
from workshop.models import ActivityMode, ActivityState, Interaction
from workshop.services import activities, planning


def _sheet(db, sid):
    return activities.list_activities(db, sid)


def _assert_well_formed(db, sid):
    sheet = _sheet(db, sid)
    assert [a.position for a in sheet] == list(range(len(sheet))), "positions stay contiguous"
    assert [a.day for a in sheet] == sorted(a.day for a in sheet), "days stay in order"


@pytest.fixture
def events(seminar):
    received = []
    unsubscribe = bus.subscribe(seminar.seminar_id, received.append)
    yield received
    unsubscribe()


def test_update_pending_activity_changes_everything(db, seminar, events):
    sid = seminar.seminar_id
    vote = find_activity(db, sid, Interaction.DOT_VOTE)
    planning.update_activity(db, sid, vote.id, title="  Nouveau   titre ", minutes=25, mode="groups",
                             participant_instructions="Ligne 1\nLigne 2", facilitator_instructions="Note",
                             vote_budget=7, vote_max_per_card=3)
    after = reload_activity(db, sid, vote.id)
    assert (after.title, after.planned_minutes, after.mode) == ("Nouveau titre", 25, ActivityMode.GROUPS)
    assert (after.participant_instructions, after.facilitator_instructions) == ("Ligne 1\nLigne 2", "Note")
    assert (after.vote_budget, after.vote_max_per_card) == (7, 3)
    assert [e.topic for e in events] == ["activity.changed"]
    assert events[0].data["activity_id"] == vote.id
    # no limit per card
    planning.update_activity(db, sid, vote.id, vote_max_per_card=None)
    assert reload_activity(db, sid, vote.id).vote_max_per_card is None


def test_started_activity_keeps_its_structure_but_texts_change(db, seminar):
    sid = seminar.seminar_id
    first = _sheet(db, sid)[0]
    activities.open_activity(db, sid, first.id)
    planning.update_activity(db, sid, first.id, title="Accueil revu", participant_instructions="Bienvenue")
    # sending the same structural values back is not a change
    planning.update_activity(db, sid, first.id, minutes=first.planned_minutes, mode=first.mode)
    after = reload_activity(db, sid, first.id)
    assert (after.title, after.participant_instructions) == ("Accueil revu", "Bienvenue")
    with refused(Invalid, "activity_not_pending", title="Accueil revu"):
        planning.update_activity(db, sid, first.id, minutes=first.planned_minutes + 10)
    with refused(Invalid, "activity_not_pending"):
        planning.update_activity(db, sid, first.id, title="Ignoré", mode="groups" if first.mode.value == "plenary"
                                 else "plenary")
    after = reload_activity(db, sid, first.id)
    assert (after.title, after.planned_minutes) == ("Accueil revu", first.planned_minutes), "nothing changed"
    activities.close_activity(db, sid, first.id)
    with refused(Invalid, "activity_not_pending"):
        planning.update_activity(db, sid, first.id, minutes=1)


@pytest.mark.parametrize("changes, code", [
    ({"title": "   "}, "text_required"),
    ({"title": "x" * 201}, "text_too_long"),
    ({"minutes": 0}, "bad_minutes"),
    ({"minutes": 601}, "bad_minutes"),
    ({"minutes": "20"}, "bad_minutes"),
    ({"mode": "solo"}, "unknown_mode"),
    ({"participant_instructions": "x" * 5001}, "text_too_long"),
    ({"screen": "matrice"}, "unknown_activity_screen"),
    ({"screen": "card"}, "unknown_activity_screen"),
    ({"screen": ["results"]}, "unknown_activity_screen"),
])
def test_update_refuses_bad_input(db, seminar, changes, code):
    sid = seminar.seminar_id
    target = _sheet(db, sid)[1]
    with refused(Invalid, code):
        planning.update_activity(db, sid, target.id, **changes)
    after = reload_activity(db, sid, target.id)
    assert (after.title, after.screen) == (target.title, target.screen)


def test_what_the_projector_shows_changes_at_any_time_and_is_copied(db, seminar, events):
    """The projector's default view of an activity (the run sheet's ``screen``) is set, changed or
    given back to the interaction's (None) even once started; an added activity of the same type
    takes it from the run sheet unless told otherwise."""
    sid = seminar.seminar_id
    restitution = next(a for a in _sheet(db, sid) if a.title == "Restitution de la matrice de robustesse")
    assert restitution.screen == "results"
    activities.open_activity(db, sid, restitution.id)
    planning.update_activity(db, sid, restitution.id, screen="graph")
    assert reload_activity(db, sid, restitution.id).screen == "graph"
    assert events[-1].topic == "activity.changed"
    planning.update_activity(db, sid, restitution.id, title="Restitution")  # not given: kept
    assert reload_activity(db, sid, restitution.id).screen == "graph"
    planning.update_activity(db, sid, restitution.id, screen=None)
    assert reload_activity(db, sid, restitution.id).screen is None
    # the run sheet's first activity of a type is the template of the ones added
    first = next(a for a in _sheet(db, sid) if a.exercise_type == "mise-en-commun")
    planning.update_activity(db, sid, first.id, screen="clusters")
    copied = planning.add_activity(db, sid, exercise_type="mise-en-commun")
    chosen = planning.add_activity(db, sid, exercise_type="mise-en-commun", screen="wordcloud")
    plain = planning.add_activity(db, sid, exercise_type="mise-en-commun", screen=None)
    assert [reload_activity(db, sid, i).screen for i in (copied, chosen, plain)] == ["clusters", "wordcloud", None]
    with refused(Invalid, "unknown_activity_screen", screen="activity"):
        planning.add_activity(db, sid, exercise_type="mise-en-commun", screen="activity")
    planning.update_activity(db, sid, restitution.id, screen="synthesis")  # « L'essentiel » on the projector
    assert reload_activity(db, sid, restitution.id).screen == "synthesis"


def test_vote_budget_rules(db, seminar):
    sid = seminar.seminar_id
    vote = find_activity(db, sid, Interaction.DOT_VOTE)
    other = find_activity(db, sid, Interaction.CONTRIBUTE)
    with refused(Invalid, "not_a_vote"):
        planning.update_activity(db, sid, other.id, vote_budget=3)
    with refused(Invalid, "bad_vote_budget", max=50):
        planning.update_activity(db, sid, vote.id, vote_budget=0)
    with refused(Invalid, "bad_vote_budget"):
        planning.update_activity(db, sid, vote.id, vote_budget=51)
    with refused(Invalid, "bad_max_per_card"):
        planning.update_activity(db, sid, vote.id, vote_budget=3, vote_max_per_card=4)
    with refused(Invalid, "bad_max_per_card"):
        # lowering the budget below the current limit per card is caught too
        planning.update_activity(db, sid, vote.id, vote_budget=1)
    assert reload_activity(db, sid, vote.id).vote_budget == vote.vote_budget


def test_unknown_activity_or_other_seminar(db, seminar, kit, two_days):
    from workshop.services import seminars

    other = seminars.create_seminar(db, title="Autre", territory="Creil", horizon_year=2050, run_sheet=two_days,
                                    kit=kit)
    foreign = _sheet(db, other.seminar_id)[0]
    with refused(NotFound, "not_found"):
        planning.update_activity(db, seminar.seminar_id, foreign.id, title="Piraté")
    with refused(NotFound, "not_found"):
        planning.remove_activity(db, seminar.seminar_id, 999_999)
    assert reload_activity(db, other.seminar_id, foreign.id).title == foreign.title


def test_add_activity_from_exercise_type(db, seminar, kit, events):
    sid = seminar.seminar_id
    before = _sheet(db, sid)
    vote = find_activity(db, sid, Interaction.DOT_VOTE)
    new_id = planning.add_activity(db, sid, exercise_type=vote.exercise_type, after=1, title="Vote éclair",
                                   minutes=10)
    sheet = _sheet(db, sid)
    assert len(sheet) == len(before) + 1
    assert sheet[2].id == new_id and sheet[2].title == "Vote éclair"
    assert [a.id for a in sheet[:2]] == [a.id for a in before[:2]]
    assert [a.id for a in sheet[3:]] == [a.id for a in before[2:]]
    added = sheet[2]
    assert added.state is ActivityState.PENDING and added.planned_minutes == 10
    assert added.interaction is Interaction.DOT_VOTE
    assert (added.vote_budget, added.vote_max_per_card) == (vote.vote_budget, vote.vote_max_per_card)
    assert added.card_kinds == vote.card_kinds
    assert added.day == before[1].day
    _assert_well_formed(db, sid)
    assert events[-1].topic == "activity.changed" and events[-1].data["activity_id"] == new_id

    # at the start, at the end, with the kit's label as default title
    exercise = kit.exercise_types[0]
    first = planning.add_activity(db, sid, exercise_type=exercise.key, after=-1)
    last = planning.add_activity(db, sid, exercise_type=exercise.key)
    sheet = _sheet(db, sid)
    assert sheet[0].id == first and sheet[-1].id == last
    assert sheet[0].title == exercise.label
    assert sheet[-1].day == sheet[-2].day
    _assert_well_formed(db, sid)


def test_add_activity_refusals(db, seminar):
    sid = seminar.seminar_id
    sheet = _sheet(db, sid)
    days = max(a.day for a in sheet)
    with refused(Invalid, "unknown_exercise"):
        planning.add_activity(db, sid, exercise_type="danse-du-ventre")
    with refused(Invalid, "bad_position"):
        planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, after=len(sheet))
    with refused(Invalid, "bad_position"):
        planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, after=-2)
    with refused(Invalid, "bad_minutes"):
        planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, minutes=0)
    with refused(Invalid, "text_required"):
        planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, title=" ")
    # days stay in order: nothing of day 2 before the last activity of day 1
    last_of_day_1 = max(a.position for a in sheet if a.day == 1)
    with refused(Invalid, "bad_day"):
        planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, after=last_of_day_1 - 1, day=2)
    with refused(Invalid, "bad_day"):
        planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, day=days + 1)
    # the past is history: nothing goes before an activity already started
    activities.advance(db, sid)
    activities.advance(db, sid)
    with refused(Invalid, "insert_before_started"):
        planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, after=0)
    assert [a.id for a in _sheet(db, sid)] == [a.id for a in sheet], "nothing was added"
    # right after the open activity is fine
    new_id = planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, after=1)
    assert _sheet(db, sid)[2].id == new_id
    assert activities.advance(db, sid) == new_id, "the added activity comes next"


def test_add_activity_on_a_boundary_picks_the_day(db, seminar):
    sid = seminar.seminar_id
    sheet = _sheet(db, sid)
    last_of_day_1 = max(a.position for a in sheet if a.day == 1)
    on_day_2 = planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, after=last_of_day_1, day=2)
    assert reload_activity(db, sid, on_day_2).day == 2
    on_day_1 = planning.add_activity(db, sid, exercise_type=sheet[0].exercise_type, after=last_of_day_1)
    assert reload_activity(db, sid, on_day_1).day == 1
    _assert_well_formed(db, sid)


def test_remove_pending_activity_renumbers(db, seminar, events):
    sid = seminar.seminar_id
    sheet = _sheet(db, sid)
    planning.remove_activity(db, sid, sheet[3].id)
    after = _sheet(db, sid)
    assert [a.id for a in after] == [a.id for a in sheet if a.id != sheet[3].id]
    _assert_well_formed(db, sid)
    assert events[-1].topic == "activity.changed"
    activities.advance(db, sid)
    with refused(Invalid, "activity_not_pending"):
        planning.remove_activity(db, sid, sheet[0].id)
    assert len(_sheet(db, sid)) == len(sheet) - 1


def test_cannot_remove_the_last_activity(db, seminar):
    sid = seminar.seminar_id
    sheet = _sheet(db, sid)
    for activity in sheet[1:]:
        planning.remove_activity(db, sid, activity.id)
    with refused(Invalid, "last_activity"):
        planning.remove_activity(db, sid, sheet[0].id)
    assert [a.id for a in _sheet(db, sid)] == [sheet[0].id]


def test_move_pending_activity(db, seminar):
    sid = seminar.seminar_id
    sheet = _sheet(db, sid)
    ids = [a.id for a in sheet]
    planning.move_activity(db, sid, ids[3], position=1)
    assert [a.id for a in _sheet(db, sid)][:5] == [ids[0], ids[3], ids[1], ids[2], ids[4]]
    planning.move_activity(db, sid, ids[3], position=3)
    assert [a.id for a in _sheet(db, sid)] == ids
    _assert_well_formed(db, sid)


def test_move_across_days_keeps_days_in_order(db, seminar):
    sid = seminar.seminar_id
    sheet = _sheet(db, sid)
    first_of_day_2 = next(a for a in sheet if a.day == 2)
    # moving it to the end of day 1 without changing its place: give it day 1
    planning.move_activity(db, sid, first_of_day_2.id, position=first_of_day_2.position, day=1)
    assert reload_activity(db, sid, first_of_day_2.id).day == 1
    # a day-1 activity moved among day-2 activities takes day 2
    day_1 = sheet[1]
    planning.move_activity(db, sid, day_1.id, position=len(sheet) - 1)
    moved = reload_activity(db, sid, day_1.id)
    assert (moved.position, moved.day) == (len(sheet) - 1, 2)
    _assert_well_formed(db, sid)
    with refused(Invalid, "bad_day"):
        planning.move_activity(db, sid, day_1.id, position=0, day=2)
    with refused(Invalid, "bad_position"):
        planning.move_activity(db, sid, day_1.id, position=len(sheet))


def test_move_refusals(db, seminar):
    sid = seminar.seminar_id
    sheet = _sheet(db, sid)
    activities.advance(db, sid)
    activities.advance(db, sid)  # sheet[0] closed, sheet[1] open
    with refused(Invalid, "activity_not_pending"):
        planning.move_activity(db, sid, sheet[1].id, position=4)
    with refused(Invalid, "insert_before_started"):
        planning.move_activity(db, sid, sheet[4].id, position=1)
    assert [a.id for a in _sheet(db, sid)] == [a.id for a in sheet]
    planning.move_activity(db, sid, sheet[4].id, position=2)
    assert _sheet(db, sid)[2].id == sheet[4].id


def test_exercise_types_lists_the_kit(db, seminar, kit):
    assert planning.exercise_types(db, seminar.seminar_id) == [(e.key, e.label) for e in kit.exercise_types]


@pytest.mark.parametrize("code", ["activity_not_pending", "bad_minutes", "unknown_mode", "not_a_vote",
                                  "bad_vote_budget", "bad_max_per_card", "unknown_exercise", "insert_before_started",
                                  "bad_day", "bad_position", "last_activity", "kit_missing",
                                  "unknown_activity_screen"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_planning_error_is_translated(code, lang):
    text = Invalid(code, title="T", max=5, budget=3, min=1, mode="m", exercise="e", kit="k", screen="s",
                   views="v").message(lang)
    assert not text.startswith("error."), (lang, code)
    assert "{" not in text


@pytest.mark.parametrize("field", ["participant_instructions", "facilitator_instructions"])
def test_field_names_are_translated(field):
    assert translate(f"field.{field}", "fr") != f"field.{field}"
    assert translate(f"field.{field}", "en") != f"field.{field}"
