"""Playing the run sheet: open, pause, extend, close and advance activities.

At most one activity is open at a time: everyone in the room works on the same step,
and the tablets show what it needs. Start and end times are recorded so the report can
compare planned and actual durations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workshop import clock
from workshop.db import Database
from workshop.errors import Invalid
from workshop.models import Activity, ActivityState
from workshop.services._common import MAX_NOTE, clean_text, get_activity, publish, whole_number
from workshop.services.screen import follow_activity, publish_state


MAX_EXTENSION = 120  # minutes added or taken away at once


def check_duration(planned_minutes: int, extended_minutes: int) -> None:
    """However often it is shortened (``extend``), an activity lasts at least a minute."""
    if planned_minutes + extended_minutes < 1:
        raise Invalid("bad_extension", max=MAX_EXTENSION)


def check_one_open(open_titles: list[str]) -> None:
    """One activity of a seminar is open at a time: opening one closes the one that was
    (``open_activity``, ``advance``); the archive import checks it with this."""
    if len(open_titles) > 1:
        raise Invalid("several_open", first=open_titles[0], second=open_titles[1])


def check_pausable(state: ActivityState | str, title: str) -> None:
    """Only an open activity is paused (``pause``); closing one ends its pause (``_close``), so a
    pending or closed activity holds no pause (the archive import checks it with this)."""
    if ActivityState(state) is not ActivityState.OPEN:
        raise Invalid("activity_not_open", title=title)


def _close(activity: Activity, now: datetime) -> None:
    if activity.paused_at is not None:
        activity.paused_seconds += int((now - activity.paused_at).total_seconds())
        activity.paused_at = None
    activity.state = ActivityState.CLOSED
    activity.ended_at = now


def open_activity(db: Database, seminar_id: int, activity_id: int) -> None:
    """Open an activity (closing the one that is open); reopening a closed one resumes it."""
    now = clock.now()
    screen = None
    with db.write() as session:
        activity = get_activity(session, seminar_id, activity_id)
        for other in session.scalars(select(Activity).where(
                Activity.seminar_id == seminar_id, Activity.state == ActivityState.OPEN)):
            if other.id != activity.id:
                _close(other, now)
        if activity.state is not ActivityState.OPEN:
            if activity.ended_at is not None:
                # Resuming a closed activity: the time it stayed closed is not working time.
                activity.paused_seconds += max(0, int((now - activity.ended_at).total_seconds()))
            activity.state = ActivityState.OPEN
            activity.started_at = activity.started_at or now
            activity.ended_at = None
            screen = follow_activity(session, seminar_id)
    publish(seminar_id, "activity.changed", activity_id=activity_id)
    publish_state(seminar_id, screen)


def close_activity(db: Database, seminar_id: int, activity_id: int) -> None:
    with db.write() as session:
        activity = get_activity(session, seminar_id, activity_id)
        if activity.state is not ActivityState.OPEN:
            raise Invalid("activity_not_open", title=activity.title)
        _close(activity, clock.now())
    publish(seminar_id, "activity.changed", activity_id=activity_id)


def advance(db: Database, seminar_id: int) -> int | None:
    """Close the open activity and open the next pending one; returns its id (None at the end)."""
    now = clock.now()
    with db.write() as session:
        activities = list(session.scalars(select(Activity).where(Activity.seminar_id == seminar_id)
                                          .order_by(Activity.position)))
        if not activities:
            raise Invalid("no_activities")
        current = next((a for a in activities if a.state is ActivityState.OPEN), None)
        after = current.position if current else -1
        if current:
            _close(current, now)
        nxt = next((a for a in activities if a.position > after and a.state is ActivityState.PENDING), None)
        screen = None
        if nxt is not None:
            nxt.state = ActivityState.OPEN
            nxt.started_at = now
            screen = follow_activity(session, seminar_id)
        next_id = nxt.id if nxt else None
    publish(seminar_id, "activity.changed", activity_id=next_id)
    publish_state(seminar_id, screen)
    return next_id


def pause(db: Database, seminar_id: int, activity_id: int) -> None:
    with db.write() as session:
        activity = get_activity(session, seminar_id, activity_id)
        check_pausable(activity.state, activity.title)
        if activity.paused_at is None:
            activity.paused_at = clock.now()
    publish(seminar_id, "activity.changed", activity_id=activity_id)


def resume(db: Database, seminar_id: int, activity_id: int) -> None:
    with db.write() as session:
        activity = get_activity(session, seminar_id, activity_id)
        if activity.paused_at is not None:
            activity.paused_seconds += int((clock.now() - activity.paused_at).total_seconds())
            activity.paused_at = None
    publish(seminar_id, "activity.changed", activity_id=activity_id)


def extend(db: Database, seminar_id: int, activity_id: int, minutes: int) -> None:
    if (not whole_number(minutes) or not -MAX_EXTENSION <= minutes <= MAX_EXTENSION
            or minutes == 0):
        raise Invalid("bad_extension", max=MAX_EXTENSION)
    with db.write() as session:
        activity = get_activity(session, seminar_id, activity_id)
        check_duration(activity.planned_minutes, activity.extended_minutes + minutes)
        activity.extended_minutes += minutes
    publish(seminar_id, "activity.changed", activity_id=activity_id)


def set_contributions_open(db: Database, seminar_id: int, activity_id: int, is_open: bool) -> None:
    with db.write() as session:
        get_activity(session, seminar_id, activity_id).contributions_open = bool(is_open)
    publish(seminar_id, "activity.changed", activity_id=activity_id)


def set_votes_open(db: Database, seminar_id: int, activity_id: int, is_open: bool) -> None:
    with db.write() as session:
        get_activity(session, seminar_id, activity_id).votes_open = bool(is_open)
    publish(seminar_id, "activity.changed", activity_id=activity_id)


def set_notes(db: Database, seminar_id: int, activity_id: int, notes: str) -> None:
    notes = clean_text(notes, field="notes", max_length=MAX_NOTE, required=False, multiline=True)
    with db.write() as session:
        get_activity(session, seminar_id, activity_id).facilitator_notes = notes
    publish(seminar_id, "activity.notes", activity_id=activity_id)


def current_activity(db: Database, seminar_id: int) -> Activity | None:
    with db.read() as session:
        return session.scalar(select(Activity).where(Activity.seminar_id == seminar_id,
                                                     Activity.state == ActivityState.OPEN))


@dataclass(frozen=True)
class Progress:
    """Where the seminar stands when people look at a screen.

    ``phase``: "before" (nothing played yet), "open" (an activity is open), "between" (some
    played, more to come) or "finished" (the last activity of the run sheet is closed).
    ``next_title``: the next activity still to play, if any.
    """

    phase: str
    next_title: str | None = None


def progress_of(activities: list[Activity]) -> Progress:
    """The seminar's progress from its activities (in run-sheet order)."""
    if any(a.state is ActivityState.OPEN for a in activities):
        phase = "open"
    elif activities and activities[-1].state is ActivityState.CLOSED:
        phase = "finished"
    elif any(a.started_at is not None for a in activities):
        phase = "between"
    else:
        phase = "before"
    played = [a.position for a in activities if a.started_at is not None]
    after = max(played) if played else -1
    upcoming = next((a for a in activities if a.position > after and a.state is ActivityState.PENDING), None)
    return Progress(phase, upcoming.title if upcoming and phase != "finished" else None)


def progress(db: Database, seminar_id: int) -> Progress:
    return progress_of(list_activities(db, seminar_id))


def list_activities(db: Database, seminar_id: int) -> list[Activity]:
    with db.read() as session:
        return list(session.scalars(select(Activity).where(Activity.seminar_id == seminar_id)
                                    .order_by(Activity.position)))


def elapsed_seconds(activity: Activity, now: datetime | None = None) -> int:
    """Working time spent in the activity, pauses excluded."""
    if activity.started_at is None:
        return 0
    now = now or clock.now()
    end = activity.ended_at or activity.paused_at or now
    return max(0, int((end - activity.started_at).total_seconds()) - activity.paused_seconds)


def remaining_seconds(activity: Activity, now: datetime | None = None) -> int:
    """The countdown the projector shows (negative once over time)."""
    planned = (activity.planned_minutes + activity.extended_minutes) * 60
    return planned - elapsed_seconds(activity, now)
