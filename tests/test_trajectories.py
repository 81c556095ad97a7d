"""Trajectories: dated steps from today to the horizon, for a stake or a challenge."""

from __future__ import annotations

import pytest

from seminar_helpers import count, refused
from workshop import clock
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import Trajectory, TrajectoryStep
from workshop.services import cards, seminars, trajectories

HORIZON = 2055  # the seminar fixture's horizon


@pytest.fixture
def deck(db, seminar):
    sid = seminar.seminar_id
    return {kind: cards.add_card(db, sid, kind=kind, text=f"Une carte {kind}").id
            for kind in ("stake", "challenge", "threat", "resource", "current_action", "action_lead", "trend",
                         "vision_article")}


def test_trajectories_aim_at_stakes_and_challenges(db, seminar, deck):
    made = [trajectories.create_trajectory(db, seminar.seminar_id, deck[kind], f"  Vers 2055 ({kind}) ")
            for kind in ("stake", "challenge")]
    listed = trajectories.list_trajectories(db, seminar.seminar_id)
    assert [(t.id, t.target_card_id, t.title) for t in listed] == [
        (made[0].id, deck["stake"], "Vers 2055 (stake)"), (made[1].id, deck["challenge"], "Vers 2055 (challenge)")]
    assert [trajectories.target_text(db, t) for t in listed] == ["Une carte stake", "Une carte challenge"]


def test_no_trajectory_for_other_kinds(db, seminar, deck):
    for kind in ("threat", "resource", "current_action", "action_lead", "trend", "vision_article"):
        with refused(Invalid, "trajectory_target", case=kind):
            trajectories.create_trajectory(db, seminar.seminar_id, deck[kind], "Non")
    assert count(db, Trajectory) == 0


def test_a_trajectory_needs_a_title_and_a_live_card(db, seminar, deck):
    sid = seminar.seminar_id
    with refused(Invalid, "text_required", field="title"):
        trajectories.create_trajectory(db, sid, deck["stake"], "  ")
    with refused(NotFound, "not_found", what="card"):
        trajectories.create_trajectory(db, sid, 10_000, "Nulle part")
    other_stake = cards.add_card(db, sid, kind="stake", text="Doublon").id
    cards.merge(db, sid, deck["stake"], [other_stake])
    with refused(Invalid, "card_merged"):
        trajectories.create_trajectory(db, sid, other_stake, "Fusionnée")
    assert count(db, Trajectory) == 0


def test_a_trajectory_from_a_tablet_belongs_to_its_table(db, seminar, join, deck):
    sid = seminar.seminar_id
    table = seminars.get_seminar_by_id(db, sid).groups[2].id
    alice = join("Alice", group_id=table)
    trajectory = trajectories.create_trajectory(db, sid, deck["challenge"], "Notre trajectoire", group_id=None,
                                                device_token=alice.device_token)
    assert (trajectory.group_id, trajectory.created_by_id) == (table, alice.participant_id)
    with refused(Forbidden, "unknown_device"):
        trajectories.create_trajectory(db, sid, deck["challenge"], "Forgée", device_token="forged")
    assert count(db, Trajectory) == 1


def test_steps_lie_between_this_year_and_the_horizon(db, seminar, deck):
    sid = seminar.seminar_id
    this_year = clock.now().year
    trajectory = trajectories.create_trajectory(db, sid, deck["stake"], "Santé")
    trajectories.add_step(db, sid, trajectory.id, year=this_year, title="Aujourd'hui")
    trajectories.add_step(db, sid, trajectory.id, year=HORIZON, title="À l'horizon")
    for year in (this_year - 1, HORIZON + 1, 1999, "2040", None, 2040.0):
        with refused(Invalid, "step_year", min=this_year, max=HORIZON):
            trajectories.add_step(db, sid, trajectory.id, year=year, title="Hors bornes")
    assert count(db, TrajectoryStep) == 2


def test_step_cards_are_resources_or_actions(db, seminar, deck):
    sid = seminar.seminar_id
    trajectory = trajectories.create_trajectory(db, sid, deck["stake"], "Santé")
    step = trajectories.add_step(db, sid, trajectory.id, year=2040, title="Maison de santé",
                                 description="Ouverture\navec la région",
                                 card_ids=[deck["resource"], deck["current_action"], deck["action_lead"],
                                           deck["resource"]])
    assert step.card_ids == [deck["resource"], deck["current_action"], deck["action_lead"]]  # each once
    assert step.description == "Ouverture\navec la région"
    for kind in ("threat", "stake", "challenge", "trend", "vision_article"):
        with refused(Invalid, "step_cards"):
            trajectories.add_step(db, sid, trajectory.id, year=2040, title="Non", card_ids=[deck["resource"],
                                                                                          deck[kind]])
    with refused(NotFound, "not_found", what="card"):
        trajectories.add_step(db, sid, trajectory.id, year=2040, title="Non", card_ids=[10_000])
    assert count(db, TrajectoryStep) == 1


def test_steps_are_listed_by_year(db, seminar, deck):
    sid = seminar.seminar_id
    trajectory = trajectories.create_trajectory(db, sid, deck["challenge"], "Canicules")
    for year, title in [(2050, "Îlots de fraîcheur partout"), (2030, "Premiers îlots"), (2040, "Plan arbres"),
                        (2030, "Cartographie")]:
        trajectories.add_step(db, sid, trajectory.id, year=year, title=title)
    steps = trajectories.list_trajectories(db, sid)[0].steps
    assert [(s.year, s.title) for s in steps] == [(2030, "Premiers îlots"), (2030, "Cartographie"),
                                                  (2040, "Plan arbres"), (2050, "Îlots de fraîcheur partout")]


def test_remove_a_step(db, seminar, kit, two_days, deck):
    sid = seminar.seminar_id
    trajectory = trajectories.create_trajectory(db, sid, deck["stake"], "Santé")
    first = trajectories.add_step(db, sid, trajectory.id, year=2030, title="Un")
    second = trajectories.add_step(db, sid, trajectory.id, year=2035, title="Deux")
    other = seminars.create_seminar(db, title="B", territory="B", horizon_year=2050, run_sheet=two_days, kit=kit)
    with refused(NotFound, "not_found", what="step"):
        trajectories.remove_step(db, other.seminar_id, first.id)
    with refused(NotFound, "not_found", what="step"):
        trajectories.remove_step(db, sid, 10_000)
    trajectories.remove_step(db, sid, first.id)
    assert [s.id for s in trajectories.list_trajectories(db, sid)[0].steps] == [second.id]


def test_steps_of_a_trajectory_of_another_seminar_are_refused(db, seminar, kit, two_days, deck):
    other = seminars.create_seminar(db, title="B", territory="B", horizon_year=2050, run_sheet=two_days, kit=kit)
    trajectory = trajectories.create_trajectory(db, seminar.seminar_id, deck["stake"], "Santé")
    with refused(NotFound, "not_found", what="trajectory"):
        trajectories.add_step(db, other.seminar_id, trajectory.id, year=2040, title="Intrusion")
    assert count(db, TrajectoryStep) == 0
