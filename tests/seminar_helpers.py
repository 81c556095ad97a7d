"""Helpers shared by the service tests (imported as a plain module, not a plugin).

Activities are found by what they do (their ``Interaction`` and card kinds), never by the
keys or titles of the shipped run sheet, which the facilitators are free to rewrite.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from workshop.db import Database
from workshop.errors import WorkshopError
from workshop.models import Activity, CardKind, Interaction
from workshop.services import activities


def find_activity(db: Database, seminar_id: int, interaction: Interaction, kind: CardKind | str | None = None,
                  *, where=None) -> Activity:
    """The first activity of the seminar with this interaction (and accepting this card kind)."""
    kind_value = CardKind(kind).value if kind is not None else None
    for activity in activities.list_activities(db, seminar_id):
        if activity.interaction is not interaction:
            continue
        if kind_value is not None and kind_value not in activity.card_kinds:
            continue
        if where is not None and not where(activity):
            continue
        return activity
    pytest.fail(f"the run sheet has no '{interaction.value}' activity"
                + (f" for '{kind_value}' cards" if kind_value else ""))


def open_activity(db: Database, seminar_id: int, interaction: Interaction, kind: CardKind | str | None = None,
                  *, where=None) -> Activity:
    """Find an activity like ``find_activity`` and open it; returns it as it is now."""
    activity = find_activity(db, seminar_id, interaction, kind, where=where)
    activities.open_activity(db, seminar_id, activity.id)
    return reload_activity(db, seminar_id, activity.id)


def reload_activity(db: Database, seminar_id: int, activity_id: int) -> Activity:
    return next(a for a in activities.list_activities(db, seminar_id) if a.id == activity_id)


def count(db: Database, model, *conditions) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*conditions))


def total(db: Database, column, *conditions) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.coalesce(func.sum(column), 0)).where(*conditions)))


class Refusal:
    """What ``refused`` caught: ``.value`` is the error."""

    value: WorkshopError


@contextmanager
def refused(error_type: type[WorkshopError], code: str, *, case: object = None, **params) -> Iterator[Refusal]:
    """``with refused(Invalid, "link_exists"):`` – the block must raise exactly that error.

    ``case`` labels the failure message when the check runs in a loop over many inputs.
    """
    label = f" for {case!r}" if case is not None else ""
    caught = Refusal()
    try:
        yield caught
    except error_type as exc:
        caught.value = exc
    else:
        pytest.fail(f"expected {error_type.__name__}({code!r}){label}, but nothing was refused")
    error = caught.value
    assert error.code == code, f"expected {code!r}{label}, got {error.code!r} {error.params}"
    for name, value in params.items():
        assert error.params.get(name) == value, (name, error.params, case)


class FakeClock:
    """Stands in for ``workshop.clock.now``; ``advance(minutes=…)`` moves time on."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def send_join_form(user, name, college, group=None) -> None:
    """What a tablet's join form sends on « Entrer dans le séminaire » (it is drawn in the browser,
    ``join_form.js``: one "join" message with the name, the collège's value and the table's id)."""
    user.find(marker="join-form").trigger("join", {"name": name, "college": college, "group": group})
