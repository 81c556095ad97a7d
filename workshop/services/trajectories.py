"""Trajectories: dated steps from today to the horizon for one stake or challenge."""

from __future__ import annotations

from sqlalchemy import select

from workshop import clock
from workshop.db import Database
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
    Trajectory,
    TrajectoryStep,
)
from workshop.services import ratelimit
from workshop.services._common import (
    MAX_DETAILS,
    MAX_TITLE,
    check_on_the_wall,
    clean_text,
    get,
    get_card,
    participant_by_token,
    publish,
    require_open,
    whole_number,
)

STEP_KINDS = {CardKind.RESOURCE, CardKind.CURRENT_ACTION, CardKind.ACTION_LEAD}


def check_target(kind: CardKind) -> None:
    """A trajectory is built for a stake or a challenge."""
    if kind not in (CardKind.STAKE, CardKind.CHALLENGE):
        raise Invalid("trajectory_target")


def check_step_cards(kinds: list[CardKind]) -> None:
    """A step leans on resources and actions, never on a stake or a threat."""
    if any(kind not in STEP_KINDS for kind in kinds):
        raise Invalid("step_cards")


def create_trajectory(db: Database, seminar_id: int, target_card_id: int, title: str, *,
                      group_id: int | None = None, device_token: str | None = None) -> Trajectory:
    """Start a trajectory for a stake or challenge (by the facilitator, or from a tablet)."""
    if device_token is not None:
        ratelimit.check_device(device_token)
    title = clean_text(title, field="title", max_length=MAX_TITLE)
    with db.write() as session:
        author: Participant | None = None
        if device_token is not None:
            author = participant_by_token(session, device_token, seminar_id=seminar_id)
            _require_trajectory_activity(session, seminar_id)
            group_id = author.group_id
        elif group_id is not None:  # the console's choice: a table of this seminar, as join() checks it
            get(session, Group, group_id, seminar_id=seminar_id, what="group")
        target = get_card(session, seminar_id, target_card_id)
        if author is not None:
            check_on_the_wall(target)
        check_target(target.kind)
        trajectory = Trajectory(seminar_id=seminar_id, target_card_id=target.id, title=title, group_id=group_id,
                                created_by_id=author.id if author else None)
        session.add(trajectory)
        session.flush()
    publish(seminar_id, "trajectory.changed", trajectory_id=trajectory.id)
    return trajectory


def check_step_year(year: int, first: int, horizon: int) -> None:
    """A step is dated from ``first`` (the year it is written in) to the seminar's horizon.

    The archive import passes the year its trajectory was drawn as ``first``: a step was
    written then or later, so never in an earlier year.
    """
    if not whole_number(year) or not first <= year <= horizon:
        raise Invalid("step_year", min=first, max=horizon)


def _new_step(session, seminar_id: int, trajectory: Trajectory, year: int, title: str, description: str,
              card_ids: list[int] | None, *, on_the_wall: bool = False) -> TrajectoryStep:
    """``on_the_wall``: from a tablet, no card the facilitator hid."""
    check_step_year(year, clock.now().year, session.get(Seminar, seminar_id).horizon_year)
    cards = [get_card(session, seminar_id, cid) for cid in dict.fromkeys(card_ids or [])]
    if on_the_wall:
        for card in cards:
            check_on_the_wall(card)
    check_step_cards([card.kind for card in cards])
    step = TrajectoryStep(trajectory_id=trajectory.id, year=year, title=title, description=description,
                          card_ids=[c.id for c in cards])
    session.add(step)
    session.flush()
    return step


def _clean_step(title: str, description: str) -> tuple[str, str]:
    return (clean_text(title, field="title", max_length=MAX_TITLE),
            clean_text(description, field="description", max_length=MAX_DETAILS, required=False, multiline=True))


def add_step(db: Database, seminar_id: int, trajectory_id: int, *, year: int, title: str,
             description: str = "", card_ids: list[int] | None = None) -> TrajectoryStep:
    """Add a dated step between today and the horizon, pointing at resources and actions."""
    title, description = _clean_step(title, description)
    with db.write() as session:
        trajectory = get(session, Trajectory, trajectory_id, seminar_id=seminar_id, what="trajectory")
        step = _new_step(session, seminar_id, trajectory, year, title, description, card_ids)
    publish(seminar_id, "trajectory.changed", trajectory_id=trajectory_id)
    return step


def remove_step(db: Database, seminar_id: int, step_id: int) -> None:
    with db.write() as session:
        step = session.get(TrajectoryStep, step_id)
        if step is None or step.trajectory.seminar_id != seminar_id:
            raise NotFound("not_found", what="step")
        trajectory_id = step.trajectory_id
        session.delete(step)
    publish(seminar_id, "trajectory.changed", trajectory_id=trajectory_id)


# --- from a participant's tablet ----------------------------------------------------------


def _require_trajectory_activity(session, seminar_id: int) -> None:
    """Tablets build trajectories only while the facilitator runs a trajectory activity."""
    activity = session.scalar(select(Activity).where(Activity.seminar_id == seminar_id,
                                                     Activity.state == ActivityState.OPEN))
    if activity is None or activity.interaction is not Interaction.TRAJECTORY:
        raise Invalid("trajectory_activity_closed")
    require_open(activity)
    if not activity.contributions_open:
        raise Invalid("contributions_closed", title=activity.title)


def _device_trajectory(session, device_token: str, trajectory_id: int | None) -> tuple[Participant, Trajectory]:
    """The participant and one of their table's trajectories, while a trajectory activity is open.

    A participant may change a trajectory of their own table, or one they started
    themselves (before being seated at a table, or since moved to another one).
    """
    participant = participant_by_token(session, device_token)
    seminar_id = participant.seminar_id
    _require_trajectory_activity(session, seminar_id)
    trajectory = get(session, Trajectory, trajectory_id, seminar_id=seminar_id, what="trajectory")
    own_table = trajectory.group_id is not None and trajectory.group_id == participant.group_id
    if not (own_table or trajectory.created_by_id == participant.id):
        raise Forbidden("not_your_trajectory")
    return participant, trajectory


def add_step_from_device(db: Database, device_token: str, trajectory_id: int, *, year: int, title: str,
                         description: str = "", card_ids: list[int] | None = None) -> TrajectoryStep:
    """A participant adds a step to their table's trajectory during a trajectory activity."""
    ratelimit.check_device(device_token)
    title, description = _clean_step(title, description)
    with db.write() as session:
        participant, trajectory = _device_trajectory(session, device_token, trajectory_id)
        seminar_id = participant.seminar_id
        step = _new_step(session, seminar_id, trajectory, year, title, description, card_ids, on_the_wall=True)
    publish(seminar_id, "trajectory.changed", trajectory_id=trajectory_id)
    return step


def remove_step_from_device(db: Database, device_token: str, step_id: int) -> None:
    """A participant removes a step of their table's trajectory during a trajectory activity."""
    ratelimit.check_device(device_token)
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        step = session.get(TrajectoryStep, step_id)
        if step is None or step.trajectory.seminar_id != participant.seminar_id:
            raise NotFound("not_found", what="step")
        _, trajectory = _device_trajectory(session, device_token, step.trajectory_id)
        seminar_id = participant.seminar_id
        session.delete(step)
    publish(seminar_id, "trajectory.changed", trajectory_id=trajectory.id)


def list_trajectories(db: Database, seminar_id: int) -> list[Trajectory]:
    with db.read() as session:
        trajectories = list(session.scalars(select(Trajectory).where(Trajectory.seminar_id == seminar_id)
                                            .order_by(Trajectory.id)))
        for trajectory in trajectories:
            list(trajectory.steps)
        return trajectories


def target_text(db: Database, trajectory: Trajectory) -> str:
    with db.read() as session:
        card = session.get(Card, trajectory.target_card_id)
        return card.text if card else ""
