"""Creating a seminar from a kit and a run sheet, listing seminars, tables, the facilitator secret."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from seminar_helpers import count, find_activity, refused
from workshop import clock
from workshop.content import fill_horizon
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import (
    Activity,
    ActivityState,
    Card,
    CardKind,
    Group,
    Interaction,
    Participant,
    Seminar,
    SeminarDay,
    Theme,
)
from workshop.services import activities, cards, participants, seminars

SECRET = "animation-2026"


def _create(db, kit, run_sheet, **overrides):
    kwargs = dict(title="Atelier", territory="Creil Sud Oise", horizon_year=clock.now().year + 25,
                  run_sheet=run_sheet, kit=kit, day_dates=[date(2026, 12, 3)], group_names=["A", "B"],
                  facilitator_secret=SECRET)
    kwargs.update(overrides)
    return seminars.create_seminar(db, **kwargs)


# --- what a new seminar holds ---------------------------------------------------------------


def test_seminar_copies_themes_of_the_kit_in_order(db, kit, seminar):
    created = seminars.get_seminar_by_id(db, seminar.seminar_id)
    assert [(t.key, t.label, t.color) for t in created.themes] == [(t.key, t.label, t.color) for t in kit.themes]
    assert [t.position for t in created.themes] == list(range(len(kit.themes)))
    assert created.kit_name == kit.name


def test_seminar_copies_the_run_sheet_activities_in_order(db, kit, two_days, seminar):
    played = activities.list_activities(db, seminar.seminar_id)
    assert len(played) == len(two_days.activities)
    for position, (activity, spec) in enumerate(zip(played, two_days.activities, strict=True)):
        exercise = kit.exercise_type(spec.exercise)
        kinds = spec.card_kinds if spec.card_kinds is not None else exercise.card_kinds
        assert activity.position == position
        assert activity.title == fill_horizon(spec.title, 2055)  # the seminar's horizon (conftest)
        assert activity.day == spec.day
        assert activity.exercise_type == exercise.key
        assert activity.interaction is exercise.interaction
        assert activity.card_kinds == [k.value for k in kinds]
        assert activity.planned_minutes == spec.minutes
        assert activity.mode is spec.mode
        assert activity.criteria == list(spec.criteria)
        assert activity.vote_budget == (spec.vote.budget if spec.vote else None)
        assert activity.vote_max_per_card == (spec.vote.max_per_card if spec.vote else None)
        assert activity.screen == spec.screen
        assert activity.state is ActivityState.PENDING
        assert activity.started_at is None and activity.ended_at is None
    # what the projector shows by default: the run sheet's choice, where it makes one
    assert {a.title: a.screen for a in played if a.screen} == {
        "Accueil, objectifs et connexion": "join",  # people come in and join: the QR code in large
        "Restitution de la matrice de robustesse": "results", "Relier enjeux, menaces, ressources et actions": "graph",
        "Bilan de la première journée": "synthesis", "Ouverture de la deuxième journée": "synthesis",
        "Synthèse et suites du séminaire": "synthesis"}  # « L'essentiel » in large: what the day produced
    # the shipped two-day sheet has the vote the method relies on, with its budget
    vote = find_activity(db, seminar.seminar_id, Interaction.DOT_VOTE)
    assert vote.vote_budget and vote.vote_budget >= 1


def test_seminar_days_groups_and_fields(db, two_days, seminar):
    created = seminars.get_seminar_by_id(db, seminar.seminar_id)
    assert created.title == "Séminaire Visions +21"
    assert created.territory == "Amiens Métropole"
    assert created.horizon_year == 2055
    assert created.run_sheet_name == two_days.name
    assert created.joining_open is True
    assert [d.number for d in created.days] == list(range(1, two_days.days + 1))
    assert [d.date for d in created.days][:2] == [date(2026, 12, 3), date(2026, 12, 4)]
    assert [g.name for g in created.groups] == ["Table 1", "Table 2", "Table 3", "Table 4"]


def test_days_without_dates_are_kept_undated(db, kit, two_days):
    created = _create(db, kit, two_days, day_dates=None)
    days = seminars.get_seminar_by_id(db, created.seminar_id).days
    assert len(days) == two_days.days
    assert all(d.date is None for d in days)


# --- join code --------------------------------------------------------------------------------


def test_join_codes_are_six_unambiguous_characters_and_unique(db, kit, two_days, seminar):
    codes = [seminar.join_code] + [_create(db, kit, two_days, facilitator_secret=None).join_code for _ in range(4)]
    for code in codes:
        assert len(code) == seminars.JOIN_CODE_LENGTH == 6
        assert set(code) <= set(seminars.JOIN_CODE_ALPHABET)
    assert not set("01OIL") & set(seminars.JOIN_CODE_ALPHABET)
    assert len(set(codes)) == len(codes)
    stored = {s.join_code for s in seminars.list_seminars(db)}
    assert stored == set(codes)


def test_a_join_code_collision_draws_another_code(db, kit, two_days, monkeypatch):
    draws = iter(["AAAAAA", "AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(seminars, "new_join_code", lambda: next(draws))
    first = _create(db, kit, two_days)
    second = _create(db, kit, two_days)
    assert (first.join_code, second.join_code) == ("AAAAAA", "BBBBBB")
    assert count(db, Seminar) == 2
    # the failed attempts left nothing half-created behind
    assert count(db, Activity) == 2 * len(two_days.activities)


# --- facilitator secret --------------------------------------------------------------------


def test_facilitator_secret_is_checked(db, seminar):
    seminars.check_facilitator(db, seminar.seminar_id, SECRET)  # no error
    for wrong in ("animation-2025", "ANIMATION-2026", "", "x" * 500):
        with refused(Forbidden, "bad_secret"):
            seminars.check_facilitator(db, seminar.seminar_id, wrong)
    with refused(NotFound, "not_found"):
        seminars.check_facilitator(db, seminar.seminar_id + 999, SECRET)


def test_only_a_salted_hash_of_the_secret_is_stored(db, kit, two_days, seminar):
    other = _create(db, kit, two_days)  # same secret
    assert seminar.facilitator_secret == SECRET
    with db.read() as session:
        rows = session.execute(select(Seminar.__table__)).mappings().all()
    assert len(rows) == 2
    for row in rows:
        for value in row.values():
            assert SECRET not in str(value)
    hashes = {row["facilitator_secret_hash"] for row in rows}
    assert len(hashes) == 2, "the same secret must not give the same stored hash"
    seminars.check_facilitator(db, other.seminar_id, SECRET)


def test_a_secret_is_drawn_when_none_is_given(db, kit, two_days):
    created = _create(db, kit, two_days, facilitator_secret=None)
    assert len(created.facilitator_secret) >= seminars.MIN_SECRET_LENGTH
    seminars.check_facilitator(db, created.seminar_id, created.facilitator_secret)
    with refused(Forbidden, "bad_secret"):
        seminars.check_facilitator(db, created.seminar_id, SECRET)


# --- refused inputs change nothing -----------------------------------------------------------


def _bad_inputs(two_days):
    year = clock.now().year
    return {
        "empty title": ({"title": "   "}, "text_required", {"field": "title"}),
        "title with only control characters": ({"title": "\x00\u200b"}, "text_required", {"field": "title"}),
        "too long title": ({"title": "t" * 201}, "text_too_long", {"field": "title", "max": 200}),
        "empty territory": ({"territory": ""}, "text_required", {"field": "territory"}),
        "too long territory": ({"territory": "x" * 201}, "text_too_long", {"field": "territory", "max": 200}),
        "horizon in the past": ({"horizon_year": year - 1}, "horizon_out_of_range", {"min": year + 1}),
        "horizon this year": ({"horizon_year": year}, "horizon_out_of_range", {}),
        "horizon too far": ({"horizon_year": year + 101}, "horizon_out_of_range", {"max": year + 100}),
        "horizon not a number": ({"horizon_year": "2050"}, "horizon_out_of_range", {}),
        "too many dates": ({"day_dates": [date(2026, 12, d) for d in range(1, two_days.days + 2)]},
                           "too_many_dates", {"days": two_days.days}),
        "dates out of order": ({"day_dates": [date(2026, 12, 4), date(2026, 12, 3)]}, "dates_not_in_order", {}),
        "same date twice": ({"day_dates": [date(2026, 12, 4), date(2026, 12, 4)]}, "dates_not_in_order", {}),
        "duplicate group names": ({"group_names": ["Table 1", " table 1 "]}, "duplicate_group_name", {}),
        "empty group name": ({"group_names": ["Table 1", " "]}, "text_required", {"field": "group"}),
        "secret too short": ({"facilitator_secret": "court"}, "secret_too_short", {"min": 8}),
        "unknown language": ({"language": "de"}, "unknown_language", {}),
    }


def test_bad_inputs_are_refused_and_create_nothing(db, kit, two_days):
    assert two_days.days >= 2, "the two-day sheet must have two days for the date checks"
    for case, (overrides, code, params) in _bad_inputs(two_days).items():
        with refused(Invalid, code, case=case, **params):
            _create(db, kit, two_days, **overrides)
        for model in (Seminar, Activity, Theme, Group, SeminarDay):
            assert count(db, model) == 0, (case, model.__tablename__)
    _create(db, kit, two_days)  # the same call with good inputs works
    assert count(db, Seminar) == 1


def test_a_run_sheet_that_does_not_fit_the_kit_is_refused(db, kit, two_days):
    broken = two_days.model_copy(update={"activities": [
        two_days.activities[0].model_copy(update={"exercise": "no-such-exercise"}), *two_days.activities[1:]]})
    with refused(Invalid, "run_sheet_mismatch"):
        _create(db, kit, broken)
    assert count(db, Seminar) == 0


def test_titles_are_cleaned(db, kit, two_days):
    created = _create(db, kit, two_days, title="  Saint-Quentinois\t2050 \n ", territory="Sud\x07 de l'Aisne")
    seminar = seminars.get_seminar_by_id(db, created.seminar_id)
    assert seminar.title == "Saint-Quentinois 2050"
    assert seminar.territory == "Sud de l'Aisne"


# --- listing ------------------------------------------------------------------------------------


def test_list_seminars_counts_people_and_live_cards(db, kit, two_days, seminar, join):
    empty = _create(db, kit, two_days, title="Autre séminaire")
    alice, bob, _carla = join("Alice"), join("Bob"), join("Carla")
    sid = seminar.seminar_id
    contribute = find_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    activities.open_activity(db, sid, contribute.id)
    kept = cards.contribute(db, alice.device_token, contribute.id, kind="stake", text="Santé en zone rurale")
    twin = cards.contribute(db, bob.device_token, contribute.id, kind="stake", text="Accès aux soins")
    gone = cards.contribute(db, bob.device_token, contribute.id, kind="stake", text="Brouillon")
    cards.add_card(db, sid, kind="stake", text="Revitalisation des centres-bourgs")
    cards.withdraw_own(db, bob.device_token, gone.id)
    cards.merge(db, sid, kept.id, [twin.id])

    summaries = {s.id: s for s in seminars.list_seminars(db)}
    assert set(summaries) == {sid, empty.seminar_id}
    mine = summaries[sid]
    assert (mine.participants, mine.cards) == (3, 2)  # withdrawn and merged-away cards do not count
    assert mine.current_activity == contribute.title
    assert mine.first_day == date(2026, 12, 3)
    assert mine.join_code == seminar.join_code and mine.joining_open
    other = summaries[empty.seminar_id]
    assert (other.participants, other.cards, other.current_activity) == (0, 0, None)
    # newest first
    assert [s.id for s in seminars.list_seminars(db)] == [empty.seminar_id, sid]


def test_no_current_activity_once_closed(db, seminar):
    first = activities.advance(db, seminar.seminar_id)
    activities.close_activity(db, seminar.seminar_id, first)
    assert seminars.list_seminars(db)[0].current_activity is None


def test_deleting_a_seminar_deletes_its_record(db, kit, two_days, seminar, join):
    other = _create(db, kit, two_days)
    join("Alice")
    cards.add_card(db, seminar.seminar_id, kind="stake", text="Mobilité")
    seminars.delete_seminar(db, seminar.seminar_id)
    assert [s.id for s in seminars.list_seminars(db)] == [other.seminar_id]
    assert count(db, Participant) == 0 and count(db, Card) == 0
    assert count(db, Activity) == len(two_days.activities)


# --- groups -------------------------------------------------------------------------------------


def test_add_and_rename_groups(db, seminar):
    sid = seminar.seminar_id
    new = seminars.add_group(db, sid, "  Table 5 ")
    groups = seminars.get_seminar_by_id(db, sid).groups
    assert [g.name for g in groups][-1] == "Table 5"
    assert groups[-1].id == new and groups[-1].position == 4

    with refused(Invalid, "duplicate_group_name"):
        seminars.add_group(db, sid, "TABLE 1")
    assert count(db, Group, Group.seminar_id == sid) == 5

    seminars.rename_group(db, sid, new, "Les élu·es 🌳")
    with refused(Invalid, "duplicate_group_name"):
        seminars.rename_group(db, sid, new, "table 2")
    seminars.rename_group(db, sid, new, "LES ÉLU·ES 🌳")  # its own name in other case is fine
    assert seminars.get_seminar_by_id(db, sid).groups[-1].name == "LES ÉLU·ES 🌳"
    with refused(Invalid, "text_required"):
        seminars.rename_group(db, sid, new, "  ")


def test_groups_of_another_seminar_are_out_of_reach(db, kit, two_days, seminar, join):
    other = _create(db, kit, two_days)
    foreign_group = seminars.get_seminar_by_id(db, other.seminar_id).groups[0].id
    alice = join("Alice")
    with refused(NotFound, "not_found", what="group"):
        seminars.rename_group(db, seminar.seminar_id, foreign_group, "Piratée")
    with refused(NotFound, "not_found", what="group"):
        seminars.move_participant(db, seminar.seminar_id, alice.participant_id, foreign_group)
    with refused(NotFound, "not_found", what="participant"):
        seminars.move_participant(db, other.seminar_id, alice.participant_id, None)
    assert seminars.get_seminar_by_id(db, other.seminar_id).groups[0].name == "A"


def test_move_participant_between_tables(db, seminar, join):
    sid = seminar.seminar_id
    table1, table2 = (g.id for g in seminars.get_seminar_by_id(db, sid).groups[:2])
    alice = join("Alice", group_id=table1)
    assert alice.group_id == table1
    seminars.move_participant(db, sid, alice.participant_id, table2)
    assert participants.resume(db, alice.device_token).group_id == table2
    seminars.move_participant(db, sid, alice.participant_id, None)
    assert participants.resume(db, alice.device_token).group_id is None


# --- joining closed ----------------------------------------------------------------------------


def test_closing_joining_refuses_newcomers_until_reopened(db, seminar, join):
    join("Alice")
    seminars.set_joining_open(db, seminar.seminar_id, False)
    assert seminars.list_seminars(db)[0].joining_open is False
    with refused(Forbidden, "joining_closed"):
        join("Bob")
    assert count(db, Participant) == 1
    seminars.set_joining_open(db, seminar.seminar_id, True)
    join("Bob")
    assert count(db, Participant) == 2


def test_lessons_learned_are_kept_multiline(db, seminar):
    seminars.set_lessons_learned(db, seminar.seminar_id, "Ce qui a marché :\n- le vote\n- les tables")
    assert seminars.get_seminar_by_id(db, seminar.seminar_id).lessons_learned == \
        "Ce qui a marché :\n- le vote\n- les tables"
