"""Editing the run sheet of a seminar before (and while) it is played.

The facilitator adapts the run sheet to the room: retitle a step, change its duration,
its mode or its vote budget, add a step from one of the kit's exercise types, remove or
move a step. What has already started is history: only pending activities change in
structure or place; titles and instructions stay editable at any time. Positions stay
contiguous (0, 1, 2…) and days stay in order after every change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.content import ContentError, Kit, fill_horizon, find_kit
from workshop.db import Database
from workshop.errors import Invalid
from workshop.models import ACTIVITY_SCREENS, Activity, ActivityMode, ActivityState, Interaction
from workshop.services._common import MAX_NOTE, MAX_TITLE, clean_text, get_activity, get_seminar, publish, whole_number

MAX_MINUTES = 600
MAX_VOTE_BUDGET = 50
DEFAULT_MINUTES = 15
DEFAULT_VOTE_BUDGET = 5


class _Keep:
    """Marks an argument that was not given (``None`` means something for vote limits)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


# --- validation -------------------------------------------------------------------------


def check_minutes(value: Any) -> int:
    """A step's planned duration: a whole number of minutes from 1 to ``MAX_MINUTES``, or ``bad_minutes``.
    The console's edits and the archive import both check it here."""
    if not whole_number(value) or not 1 <= value <= MAX_MINUTES:
        raise Invalid("bad_minutes", max=MAX_MINUTES)
    return value


def _mode(value: Any) -> ActivityMode:
    try:
        return ActivityMode(value)
    except ValueError:
        raise Invalid("unknown_mode", mode=str(value)[:40]) from None


def _screen(value: Any) -> str | None:
    """What the projector shows by default while the activity is open: a view, or None."""
    if value is None:
        return None
    if not isinstance(value, str) or value not in ACTIVITY_SCREENS:
        raise Invalid("unknown_activity_screen", screen=str(value)[:40], views=", ".join(ACTIVITY_SCREENS))
    return value


def check_vote_limits(budget: Any, max_per_card: Any) -> tuple[int, int | None]:
    """A dot vote's limits: a budget of 1 to ``MAX_VOTE_BUDGET`` dots per person, and at most
    ``max_per_card`` of them on one card (None: no cap; otherwise 1 to the budget). Returns them,
    or refuses with ``bad_vote_budget`` / ``bad_max_per_card``. The console's edits and the archive
    import both check them here."""
    if not whole_number(budget) or not 1 <= budget <= MAX_VOTE_BUDGET:
        raise Invalid("bad_vote_budget", max=MAX_VOTE_BUDGET)
    if max_per_card is not None and (not whole_number(max_per_card)
                                     or not 1 <= max_per_card <= budget):
        raise Invalid("bad_max_per_card", budget=budget)
    return budget, max_per_card


def _require_pending(activity: Activity) -> None:
    if activity.state is not ActivityState.PENDING:
        raise Invalid("activity_not_pending", title=activity.title)


def _ordered(session: Session, seminar_id: int) -> list[Activity]:
    return list(session.scalars(select(Activity).where(Activity.seminar_id == seminar_id)
                                .order_by(Activity.position)))


def _renumber(session: Session, ordered: list[Activity]) -> None:
    """Give ``ordered`` the positions 0..n-1 without tripping the (seminar, position) uniqueness."""
    for index, activity in enumerate(ordered):
        activity.position = -1 - index
    session.flush()
    for index, activity in enumerate(ordered):
        activity.position = index
    session.flush()


def _check_place(ordered: list[Activity], index: int, day: int | None, days: int, moving: Activity | None) -> int:
    """The day for an activity placed at ``index`` of ``ordered`` (which excludes it).

    Nothing already started may come after it, and days must stay in order.
    """
    following = ordered[index:]
    if any(a.state is not ActivityState.PENDING for a in following):
        raise Invalid("insert_before_started")
    low = ordered[index - 1].day if index > 0 else 1
    high = ordered[index].day if index < len(ordered) else days
    if day is None:
        current = moving.day if moving is not None else low
        day = min(max(current, low), high)
    if not whole_number(day) or not low <= day <= high or not 1 <= day <= days:
        raise Invalid("bad_day", min=low, max=high)
    return day


def _kit(name: str) -> Kit:
    try:
        return find_kit(name)
    except ContentError:
        raise Invalid("kit_missing", kit=name) from None


# --- use cases --------------------------------------------------------------------------


def update_activity(
    db: Database,
    seminar_id: int,
    activity_id: int,
    *,
    title: str | None = None,
    participant_instructions: str | None = None,
    facilitator_instructions: str | None = None,
    minutes: int | None = None,
    mode: ActivityMode | str | None = None,
    vote_budget: int | None = KEEP,
    vote_max_per_card: int | None = KEEP,
    screen: str | None = KEEP,
) -> None:
    """Change an activity. Texts and the projector's default view (``screen``, None for the
    interaction's) change at any time; duration, mode and vote only while pending.

    Giving a structural value equal to the current one is not a change (a form can send
    every field back).
    """
    texts: dict[str, str | None] = {}
    if title is not None:
        texts["title"] = clean_text(title, field="title", max_length=MAX_TITLE)
    if participant_instructions is not None:
        texts["participant_instructions"] = clean_text(
            participant_instructions, field="participant_instructions", max_length=MAX_NOTE, required=False,
            multiline=True)
    if facilitator_instructions is not None:
        texts["facilitator_instructions"] = clean_text(
            facilitator_instructions, field="facilitator_instructions", max_length=MAX_NOTE, required=False,
            multiline=True)
    if screen is not KEEP:
        texts["screen"] = _screen(screen)
    structure: dict[str, Any] = {}
    if minutes is not None:
        structure["planned_minutes"] = check_minutes(minutes)
    if mode is not None:
        structure["mode"] = _mode(mode)
    with db.write() as session:
        activity = get_activity(session, seminar_id, activity_id)
        if vote_budget is not KEEP or vote_max_per_card is not KEEP:
            if activity.interaction is not Interaction.DOT_VOTE:
                raise Invalid("not_a_vote", title=activity.title)
            budget = (activity.vote_budget or DEFAULT_VOTE_BUDGET) if vote_budget is KEEP else vote_budget
            per_card = activity.vote_max_per_card if vote_max_per_card is KEEP else vote_max_per_card
            structure["vote_budget"], structure["vote_max_per_card"] = check_vote_limits(budget, per_card)
        changed = {name: value for name, value in structure.items() if getattr(activity, name) != value}
        if changed:
            _require_pending(activity)
        for name, value in {**texts, **changed}.items():
            setattr(activity, name, value)
    publish(seminar_id, "activity.changed", activity_id=activity_id)


def add_activity(
    db: Database,
    seminar_id: int,
    *,
    exercise_type: str,
    after: int | None = None,
    title: str | None = None,
    minutes: int | None = None,
    mode: ActivityMode | str | None = None,
    day: int | None = None,
    participant_instructions: str = "",
    facilitator_instructions: str | None = None,
    screen: str | None = KEEP,
) -> int:
    """Add an activity of one of the kit's exercise types after position ``after``.

    ``after=None`` adds it at the end, ``after=-1`` at the start. Settings the run sheet
    gave to another activity of the same type (card kinds, vote budget, criteria, mode,
    duration, projector view) are reused as defaults. Returns the new activity's id.
    """
    if screen is not KEEP:
        screen = _screen(screen)
    if minutes is not None:
        minutes = check_minutes(minutes)
    mode_value = _mode(mode) if mode is not None else None
    participant_instructions = clean_text(participant_instructions, field="participant_instructions",
                                          max_length=MAX_NOTE, required=False, multiline=True)
    with db.write() as session:
        seminar = get_seminar(session, seminar_id)
        kit = _kit(seminar.kit_name)
        exercise = next((e for e in kit.exercise_types if e.key == exercise_type), None)
        if exercise is None:
            raise Invalid("unknown_exercise", exercise=str(exercise_type)[:60])
        title = clean_text(title if title is not None else exercise.label, field="title", max_length=MAX_TITLE)
        instructions = clean_text(facilitator_instructions if facilitator_instructions is not None
                                  else fill_horizon(exercise.description, seminar.horizon_year, kit.language),
                                  field="facilitator_instructions",
                                  max_length=MAX_NOTE, required=False, multiline=True)
        ordered = _ordered(session, seminar_id)
        if after is None:
            after = len(ordered) - 1
        if not whole_number(after) or not -1 <= after < len(ordered):
            raise Invalid("bad_position", max=len(ordered))
        index = after + 1
        day = _check_place(ordered, index, day, len(seminar.days), None)
        template = next((a for a in ordered if a.exercise_type == exercise.key), None)
        if template is not None:
            kinds, criteria = list(template.card_kinds), list(template.criteria)
            budget, per_card = template.vote_budget, template.vote_max_per_card
        else:
            kinds = [k.value for k in exercise.card_kinds]
            criteria = [c.key for c in kit.criteria] if exercise.interaction is Interaction.RATE else []
            budget, per_card = None, None
        if exercise.interaction is Interaction.DOT_VOTE:
            budget = budget or DEFAULT_VOTE_BUDGET
        else:
            budget, per_card = None, None
        free_position = max((a.position for a in ordered), default=-1) + 1  # renumbered below
        activity = Activity(
            seminar_id=seminar_id, position=free_position, day=day, exercise_type=exercise.key,
            interaction=exercise.interaction, title=title, participant_instructions=participant_instructions,
            facilitator_instructions=instructions,
            planned_minutes=minutes or (template.planned_minutes if template else DEFAULT_MINUTES),
            mode=mode_value or (template.mode if template else ActivityMode.PLENARY),
            card_kinds=kinds, vote_budget=budget, vote_max_per_card=per_card, criteria=criteria,
            screen=(template.screen if template else None) if screen is KEEP else screen,
            state=ActivityState.PENDING,
        )
        session.add(activity)
        session.flush()
        _renumber(session, [*ordered[:index], activity, *ordered[index:]])
        activity_id = activity.id
    publish(seminar_id, "activity.changed", activity_id=activity_id)
    return activity_id


def remove_activity(db: Database, seminar_id: int, activity_id: int) -> None:
    """Remove a pending activity; the ones after it move up."""
    with db.write() as session:
        activity = get_activity(session, seminar_id, activity_id)
        _require_pending(activity)
        ordered = _ordered(session, seminar_id)
        if len(ordered) == 1:
            raise Invalid("last_activity")
        session.delete(activity)
        session.flush()
        _renumber(session, [a for a in ordered if a.id != activity_id])
    publish(seminar_id, "activity.changed", activity_id=activity_id, removed=True)


def move_activity(db: Database, seminar_id: int, activity_id: int, *, position: int,
                  day: int | None = None) -> None:
    """Move a pending activity to ``position`` (0-based), optionally to another day.

    Without ``day`` it keeps its day when the new neighbours allow it, else takes the
    nearest one that keeps days in order. It cannot go before an activity already started.
    """
    with db.write() as session:
        activity = get_activity(session, seminar_id, activity_id)
        _require_pending(activity)
        seminar = get_seminar(session, seminar_id)
        others = [a for a in _ordered(session, seminar_id) if a.id != activity_id]
        if not whole_number(position) or not 0 <= position <= len(others):
            raise Invalid("bad_position", max=len(others))
        activity.day = _check_place(others, position, day, len(seminar.days), activity)
        _renumber(session, [*others[:position], activity, *others[position:]])
    publish(seminar_id, "activity.changed", activity_id=activity_id)


def exercise_types(db: Database, seminar_id: int) -> list[tuple[str, str]]:
    """(key, label) of the exercise types the seminar's kit offers, for an "add" menu."""
    with db.read() as session:
        name = get_seminar(session, seminar_id).kit_name
    return [(e.key, e.label) for e in _kit(name).exercise_types]
