"""What the facilitator reads in the console: times in the run sheet that say their unit, and each
person's collège square next to their name, never next to their table's.

The layout at 1280x800 (tabs, merge bar, header) is checked in Chromium: tests/e2e/test_console_look.py.
"""

from __future__ import annotations

import re
from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from workshop import clock
from workshop.models import Activity, ActivityState, College
from workshop.services import activities, participants, seminars
from workshop.i18n import translate
from tests.test_ui_console import LIVE, _login

COLLEGES = {c.value: translate(f"college_name.{c.value}", "fr") for c in College}


def _played(db, activity_id: int, *, seconds: int, planned: int, running: bool = False) -> None:
    """The activity took ``seconds`` of its ``planned`` minutes (and is still open with ``running``)."""
    with db.write() as session:
        activity = session.get(Activity, activity_id)
        activity.planned_minutes, activity.extended_minutes = planned, 0
        activity.started_at = clock.now() - timedelta(seconds=seconds)
        activity.ended_at = None if running else activity.started_at + timedelta(seconds=seconds)
        activity.paused_at, activity.paused_seconds = None, 0
        activity.state = ActivityState.OPEN if running else ActivityState.CLOSED


def _row_text(user: User, activity_id: int) -> str:
    [row] = user.find(marker=f"activity-{activity_id}").elements
    return " ".join(e.text for e in row.descendants() if isinstance(e, ui.label))


async def test_run_sheet_times_say_seconds_minutes_or_hours(demo, user: User) -> None:
    """« 0:34 sur 20 min » read as hours and minutes: the run sheet writes « 34 s sur 20 min »."""
    db, d = demo
    sid = d.seminar_id
    closed = [a for a in activities.list_activities(db, sid) if a.state is ActivityState.CLOSED]
    current = activities.current_activity(db, sid)
    short, long = closed[0], closed[1]
    _played(db, short.id, seconds=34, planned=20)
    _played(db, long.id, seconds=65 * 60 + 10, planned=90)
    _played(db, current.id, seconds=12 * 60 + 5, planned=20, running=True)
    await _login(user, sid)
    await user.should_see(marker="runsheet")
    assert "34 s sur 20 min" in _row_text(user, short.id)
    assert "1 h 05 sur 1 h 30" in _row_text(user, long.id)
    assert "12 min sur 20 min" in _row_text(user, current.id)
    for a in activities.list_activities(db, sid):
        assert not re.search(r"\d:\d\d", _row_text(user, a.id)), _row_text(user, a.id)
    # the same activity in hand: its real duration reads the same way
    with user.scope(marker=f"activity-{short.id}"):
        user.find(kind=ui.button, content=short.title).click()
    with user.scope(marker="current-panel"):
        await user.should_see(marker="start", retries=LIVE)  # « Rouvrir »: the closed activity is in hand
        await user.should_see("durée réelle")
        await user.should_see("34 s")
        await user.should_not_see("0:34")


async def test_run_sheet_times_in_english(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    closed = [a for a in activities.list_activities(db, sid) if a.state is ActivityState.CLOSED]
    _played(db, closed[0].id, seconds=34, planned=20)
    _played(db, closed[1].id, seconds=65 * 60 + 10, planned=90)
    await _login(user, sid)
    [english] = user.find(kind=ui.button, content="EN").elements
    assert english.text == "EN"
    user.find(kind=ui.button, content="EN").click()  # the page comes back in English
    await user.should_see("Run sheet", retries=LIVE)
    assert "34 s of 20 min" in _row_text(user, closed[0].id)
    assert "1 h 05 of 1 h 30" in _row_text(user, closed[1].id)


def _row_children(user: User, marker: str) -> list[ui.element]:
    [row] = user.find(marker=marker).elements
    return list(row.default_slot.children)


def _is_square(element: ui.element) -> bool:
    return "console-college" in element.classes


async def test_the_college_square_sits_next_to_the_persons_name_not_their_tables(demo, user: User) -> None:
    """Two people at « Table Somme » showed the table once blue, once orange: the square is the
    person's collège, so it goes before their name, and says the collège on hover."""
    db, d = demo
    sid = d.seminar_id
    people = participants.list_participants(db, sid)
    tables = {g.id: g.name for g in seminars.get_seminar_by_id(db, sid).groups}
    seated = [p for p in people if p.group_id in tables]
    assert len({tables[p.group_id] for p in seated}) < len(seated), "nobody shares a table: nothing checked"
    await _login(user, sid)
    await user.should_see(marker="people-panel")
    for person in people:
        row = _row_children(user, f"person-{person.id}")
        [square] = [e for e in row if _is_square(e)]
        name = next(e for e in row if getattr(e, "text", None) == person.display_name)
        assert row.index(square) + 1 == row.index(name), f"{person.display_name}: the square is not next to the name"
        assert square.props["aria-label"] == square.props["title"] == COLLEGES[person.college.value]
        if person.group_id in tables:
            table = next(e for e in row if getattr(e, "text", None) == tables[person.group_id])
            assert not _is_square(row[row.index(table) - 1]), f"{person.display_name}: a square beside the table"
    # the Tables tab: the same square, before the same name (the two kept together, the select beside
    # them or below when the name is long)
    for person in seated:
        [select] = user.find(marker=f"move-{person.id}").elements
        beside = list(select.parent_slot.children)
        square, name = list(beside[beside.index(select) - 1].default_slot.children)[:2]
        assert _is_square(square) and name.text == person.display_name, person.display_name
        assert square.props["aria-label"] == COLLEGES[person.college.value]
