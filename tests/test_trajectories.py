"""Trajectories: dated steps from today to the horizon, for a stake or a challenge."""

from __future__ import annotations

import pytest

from seminar_helpers import count, open_activity, refused
from workshop import clock
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import Interaction, Trajectory, TrajectoryStep
from workshop.services import activities, cards, seminars, trajectories

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
    with refused(Invalid, "trajectory_activity_closed"):  # not before the facilitator opens that activity
        trajectories.create_trajectory(db, sid, deck["challenge"], "Trop tôt", device_token=alice.device_token)
    activity = open_activity(db, sid, Interaction.TRAJECTORY)
    activities.set_contributions_open(db, sid, activity.id, False)
    with refused(Invalid, "contributions_closed", title=activity.title):
        trajectories.create_trajectory(db, sid, deck["challenge"], "Fermé", device_token=alice.device_token)
    activities.set_contributions_open(db, sid, activity.id, True)
    trajectories.create_trajectory(db, sid, deck["challenge"], "Par l'animation", group_id=table)  # any time
    trajectory = trajectories.create_trajectory(db, sid, deck["challenge"], "Notre trajectoire", group_id=None,
                                                device_token=alice.device_token)
    assert (trajectory.group_id, trajectory.created_by_id) == (table, alice.participant_id)
    with refused(Forbidden, "unknown_device"):
        trajectories.create_trajectory(db, sid, deck["challenge"], "Forgée", device_token="forged")
    assert count(db, Trajectory) == 2


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


def test_a_trajectory_goes_to_a_table_of_its_own_seminar(db, seminar, kit, two_days, deck):
    """The console's table for a trajectory is checked as a participant's table is (``join``,
    ``move_participant``): a table of another seminar is refused as if it did not exist."""
    sid = seminar.seminar_id
    other = seminars.create_seminar(db, title="B", territory="B", horizon_year=2050, run_sheet=two_days, kit=kit,
                                    group_names=["Table B"])
    foreign = seminars.get_seminar_by_id(db, other.seminar_id).groups[0].id
    with refused(NotFound, "not_found", what="group"):
        trajectories.create_trajectory(db, sid, deck["stake"], "Santé", group_id=foreign)
    assert count(db, Trajectory) == 0
    own = seminars.get_seminar_by_id(db, sid).groups[0].id
    assert trajectories.create_trajectory(db, sid, deck["stake"], "Santé", group_id=own).group_id == own


# --- from a participant's tablet ------------------------------------------------------------


@pytest.fixture
def table_trajectory(db, seminar, join, deck):
    """An open trajectory activity, a trajectory of table 1, Alice (table 1) and Bob (table 2)."""
    from seminar_helpers import open_activity
    from workshop.models import Interaction

    sid = seminar.seminar_id
    groups = seminars.get_seminar_by_id(db, sid).groups
    alice = join("Alice", group_id=groups[0].id)
    bob = join("Bob", group_id=groups[1].id)
    activity = open_activity(db, sid, Interaction.TRAJECTORY)
    trajectory = trajectories.create_trajectory(db, sid, deck["stake"], "Santé", device_token=alice.device_token)
    return trajectory, alice, bob, activity


def test_a_table_adds_and_removes_steps_from_its_tablets(db, seminar, join, deck, table_trajectory):
    sid = seminar.seminar_id
    trajectory, alice, _bob, _activity = table_trajectory
    claire = join("Claire", group_id=trajectory.group_id)  # same table, did not create it
    step = trajectories.add_step_from_device(db, claire.device_token, trajectory.id, year=2040,
                                             title="  Maison de santé ", description="Avec la région",
                                             card_ids=[deck["resource"], deck["action_lead"]])
    assert (step.year, step.title, step.card_ids) == (2040, "Maison de santé", [deck["resource"], deck["action_lead"]])
    other = trajectories.add_step_from_device(db, alice.device_token, trajectory.id, year=HORIZON, title="Horizon")
    assert [s.id for s in trajectories.list_trajectories(db, sid)[0].steps] == [step.id, other.id]
    trajectories.remove_step_from_device(db, alice.device_token, step.id)
    assert [s.id for s in trajectories.list_trajectories(db, sid)[0].steps] == [other.id]


def test_the_author_keeps_their_trajectory_without_a_table(db, seminar, join, deck):
    from seminar_helpers import open_activity
    from workshop.models import Interaction

    sid = seminar.seminar_id
    solo = join("Solo")  # no table
    open_activity(db, sid, Interaction.TRAJECTORY)
    trajectory = trajectories.create_trajectory(db, sid, deck["challenge"], "Seul", device_token=solo.device_token)
    assert trajectory.group_id is None
    step = trajectories.add_step_from_device(db, solo.device_token, trajectory.id, year=2040, title="Un pas")
    other = join("Autre")  # also without a table: not theirs
    with refused(Forbidden, "not_your_trajectory"):
        trajectories.add_step_from_device(db, other.device_token, trajectory.id, year=2040, title="Intrus")
    with refused(Forbidden, "not_your_trajectory"):
        trajectories.remove_step_from_device(db, other.device_token, step.id)
    assert count(db, TrajectoryStep) == 1


def test_another_table_cannot_touch_a_trajectory(db, seminar, deck, table_trajectory):
    trajectory, alice, bob, _activity = table_trajectory
    step = trajectories.add_step_from_device(db, alice.device_token, trajectory.id, year=2040, title="Un")
    with refused(Forbidden, "not_your_trajectory"):
        trajectories.add_step_from_device(db, bob.device_token, trajectory.id, year=2040, title="Intrusion")
    with refused(Forbidden, "not_your_trajectory"):
        trajectories.remove_step_from_device(db, bob.device_token, step.id)
    with refused(Forbidden, "unknown_device"):
        trajectories.add_step_from_device(db, "forged", trajectory.id, year=2040, title="Forgée")
    with refused(Forbidden, "unknown_device"):
        trajectories.remove_step_from_device(db, "forged", step.id)
    assert count(db, TrajectoryStep) == 1


def test_device_steps_follow_the_rules_of_steps(db, seminar, deck, table_trajectory):
    trajectory, alice, _bob, _activity = table_trajectory
    this_year = clock.now().year
    token = alice.device_token
    for year in (this_year - 1, HORIZON + 1, "2040", None, True):
        with refused(Invalid, "step_year", case=year):
            trajectories.add_step_from_device(db, token, trajectory.id, year=year, title="Hors bornes")
    with refused(Invalid, "step_cards"):
        trajectories.add_step_from_device(db, token, trajectory.id, year=2040, title="Non", card_ids=[deck["threat"]])
    with refused(Invalid, "text_required", field="title"):
        trajectories.add_step_from_device(db, token, trajectory.id, year=2040, title="  ")
    with refused(NotFound, "not_found", what="trajectory"):
        trajectories.add_step_from_device(db, token, 10_000, year=2040, title="Nulle part")
    with refused(NotFound, "not_found", what="step"):
        trajectories.remove_step_from_device(db, token, 10_000)
    assert count(db, TrajectoryStep) == 0


def test_device_steps_only_while_a_trajectory_activity_is_open(db, seminar, deck, table_trajectory):
    from seminar_helpers import open_activity
    from workshop.models import Interaction
    from workshop.services import activities

    sid = seminar.seminar_id
    trajectory, alice, _bob, activity = table_trajectory
    token = alice.device_token
    step = trajectories.add_step_from_device(db, token, trajectory.id, year=2040, title="Un")
    activities.pause(db, sid, activity.id)
    with refused(Invalid, "activity_paused", title=activity.title):
        trajectories.add_step_from_device(db, token, trajectory.id, year=2041, title="En pause")
    activities.resume(db, sid, activity.id)
    activities.set_contributions_open(db, sid, activity.id, False)
    with refused(Invalid, "contributions_closed", title=activity.title):
        trajectories.add_step_from_device(db, token, trajectory.id, year=2041, title="Fermé")
    with refused(Invalid, "contributions_closed", title=activity.title):
        trajectories.remove_step_from_device(db, token, step.id)
    activities.set_contributions_open(db, sid, activity.id, True)
    open_activity(db, sid, Interaction.LINK)  # another activity: trajectories are closed
    with refused(Invalid, "trajectory_activity_closed"):
        trajectories.add_step_from_device(db, token, trajectory.id, year=2041, title="Trop tard")
    with refused(Invalid, "trajectory_activity_closed"):
        trajectories.remove_step_from_device(db, token, step.id)
    activities.close_activity(db, sid, next(a.id for a in activities.list_activities(db, sid)
                                             if a.interaction is Interaction.LINK))
    with refused(Invalid, "trajectory_activity_closed"):
        trajectories.add_step_from_device(db, token, trajectory.id, year=2041, title="Rien d'ouvert")
    assert [s.id for s in trajectories.list_trajectories(db, sid)[0].steps] == [step.id]


def test_device_steps_of_another_seminar_are_refused(db, seminar, kit, two_days, deck, table_trajectory):
    trajectory, alice, _bob, _activity = table_trajectory
    other = seminars.create_seminar(db, title="B", territory="B", horizon_year=2050, run_sheet=two_days, kit=kit)
    stranger = trajectories.create_trajectory(db, other.seminar_id,
                                              cards.add_card(db, other.seminar_id, kind="stake", text="Ailleurs").id,
                                              "Ailleurs")
    step = trajectories.add_step(db, other.seminar_id, stranger.id, year=2040, title="Là-bas")
    with refused(NotFound, "not_found", what="trajectory"):
        trajectories.add_step_from_device(db, alice.device_token, stranger.id, year=2040, title="Intrusion")
    with refused(NotFound, "not_found", what="step"):
        trajectories.remove_step_from_device(db, alice.device_token, step.id)
    assert count(db, TrajectoryStep) == 1


def test_a_table_builds_its_trajectory_only_on_cards_on_the_wall(db, seminar, deck, table_trajectory):
    """A card the facilitator hid is refused from a tablet (as a dot on it is), as the trajectory's
    aim or as a step's lever; the facilitator, who sees hidden cards, still may use them."""
    sid = seminar.seminar_id
    trajectory, alice, _bob, _activity = table_trajectory
    cards.set_hidden(db, sid, deck["challenge"], True)
    cards.set_hidden(db, sid, deck["resource"], True)
    with refused(Invalid, "card_hidden", card=deck["challenge"]):
        trajectories.create_trajectory(db, sid, deck["challenge"], "Masquée", device_token=alice.device_token)
    with refused(Invalid, "card_hidden", card=deck["resource"]):
        trajectories.add_step_from_device(db, alice.device_token, trajectory.id, year=2040, title="Sur du masqué",
                                          card_ids=[deck["current_action"], deck["resource"]])
    assert (count(db, Trajectory), count(db, TrajectoryStep)) == (1, 0)
    trajectories.create_trajectory(db, sid, deck["challenge"], "Par l'animation")
    trajectories.add_step(db, sid, trajectory.id, year=2040, title="Par l'animation", card_ids=[deck["resource"]])
    assert (count(db, Trajectory), count(db, TrajectoryStep)) == (2, 1)
