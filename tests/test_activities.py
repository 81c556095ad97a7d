"""Playing the run sheet: one activity at a time, start/end times, the countdown."""

from __future__ import annotations

from seminar_helpers import find_activity, refused, reload_activity
from workshop.errors import Invalid, NotFound
from workshop.models import ActivityState, Interaction, Seminar
from workshop.services import activities, screen, seminars


def _open(db, seminar_id):
    return [a for a in activities.list_activities(db, seminar_id) if a.state is ActivityState.OPEN]


def test_advance_plays_the_whole_run_sheet_in_order(db, seminar, two_days, fake_clock):
    sid = seminar.seminar_id
    planned = activities.list_activities(db, sid)
    assert len(planned) == len(two_days.activities) >= 2
    assert activities.current_activity(db, sid) is None
    times = []
    for index, activity in enumerate(planned):
        times.append(fake_clock.advance(minutes=7))
        opened = activities.advance(db, sid)
        assert opened == activity.id
        now_open = _open(db, sid)
        assert [a.id for a in now_open] == [activity.id], "exactly one activity open at a time"
        assert activities.current_activity(db, sid).id == activity.id
        assert now_open[0].started_at == times[-1]
        assert now_open[0].ended_at is None
        if index:
            previous = reload_activity(db, sid, planned[index - 1].id)
            assert previous.state is ActivityState.CLOSED
            assert (previous.started_at, previous.ended_at) == (times[-2], times[-1])
            assert activities.elapsed_seconds(previous) == 7 * 60
        later = [a for a in activities.list_activities(db, sid) if a.position > activity.position]
        assert all(a.state is ActivityState.PENDING and a.started_at is None for a in later)

    end = fake_clock.advance(minutes=7)
    assert activities.advance(db, sid) is None
    assert _open(db, sid) == []
    assert activities.current_activity(db, sid) is None
    final = activities.list_activities(db, sid)
    assert all(a.state is ActivityState.CLOSED for a in final)
    assert all(a.started_at is not None and a.ended_at is not None and a.ended_at >= a.started_at for a in final)
    assert final[-1].ended_at == end
    # at the end, advancing again changes nothing
    fake_clock.advance(minutes=1)
    assert activities.advance(db, sid) is None
    assert reload_activity(db, sid, final[-1].id).ended_at == end


def test_opening_an_activity_closes_the_open_one(db, seminar, fake_clock):
    sid = seminar.seminar_id
    first, second, third = activities.list_activities(db, sid)[:3]
    t0 = fake_clock.current
    activities.open_activity(db, sid, second.id)
    t1 = fake_clock.advance(minutes=12)
    activities.open_activity(db, sid, first.id)
    assert [a.id for a in _open(db, sid)] == [first.id]
    second = reload_activity(db, sid, second.id)
    assert (second.state, second.started_at, second.ended_at) == (ActivityState.CLOSED, t0, t1)
    # opening the open one again is harmless
    activities.open_activity(db, sid, first.id)
    assert [a.id for a in _open(db, sid)] == [first.id]
    assert reload_activity(db, sid, first.id).started_at == t1
    # advance goes on after the open activity, skipping the one already played
    assert activities.advance(db, sid) == third.id
    assert reload_activity(db, sid, second.id).state is ActivityState.CLOSED


def test_reopening_a_closed_activity_resumes_its_countdown(db, seminar, fake_clock):
    sid = seminar.seminar_id
    first, second = activities.list_activities(db, sid)[:2]
    t0 = fake_clock.current
    activities.open_activity(db, sid, first.id)
    fake_clock.advance(minutes=10)
    activities.open_activity(db, sid, second.id)  # closes the first after 10 minutes of work
    fake_clock.advance(minutes=30)
    activities.open_activity(db, sid, first.id)   # back to it half an hour later
    reopened = reload_activity(db, sid, first.id)
    assert reopened.state is ActivityState.OPEN
    assert reopened.started_at == t0 and reopened.ended_at is None
    assert activities.elapsed_seconds(reopened) == 10 * 60
    assert activities.remaining_seconds(reopened) == (first.planned_minutes - 10) * 60
    fake_clock.advance(minutes=2)
    assert activities.remaining_seconds(reload_activity(db, sid, first.id)) == (first.planned_minutes - 12) * 60


def test_close_activity(db, seminar, fake_clock):
    sid = seminar.seminar_id
    first = activities.list_activities(db, sid)[0]
    with refused(Invalid, "activity_not_open"):
        activities.close_activity(db, sid, first.id)
    activities.open_activity(db, sid, first.id)
    end = fake_clock.advance(minutes=3)
    activities.close_activity(db, sid, first.id)
    closed = reload_activity(db, sid, first.id)
    assert (closed.state, closed.ended_at) == (ActivityState.CLOSED, end)
    assert activities.current_activity(db, sid) is None
    with refused(Invalid, "activity_not_open"):
        activities.close_activity(db, sid, first.id)
    with refused(NotFound, "not_found", what="activity"):
        activities.close_activity(db, sid, 10_000)


def test_countdown_with_pause_resume_and_extension(db, seminar, fake_clock):
    sid = seminar.seminar_id
    activity = activities.list_activities(db, sid)[0]
    planned = activity.planned_minutes * 60
    assert activities.remaining_seconds(activity) == planned  # not started: full time
    activities.open_activity(db, sid, activity.id)
    assert activities.remaining_seconds(reload_activity(db, sid, activity.id)) == planned

    fake_clock.advance(minutes=10)
    assert activities.remaining_seconds(reload_activity(db, sid, activity.id)) == planned - 600
    activities.pause(db, sid, activity.id)
    activities.pause(db, sid, activity.id)  # a second tap changes nothing
    fake_clock.advance(minutes=15)
    paused = reload_activity(db, sid, activity.id)
    assert paused.paused_at is not None
    assert activities.remaining_seconds(paused) == planned - 600, "the countdown stops during a pause"
    activities.resume(db, sid, activity.id)
    activities.resume(db, sid, activity.id)  # resuming twice changes nothing
    resumed = reload_activity(db, sid, activity.id)
    assert resumed.paused_at is None and resumed.paused_seconds == 15 * 60
    fake_clock.advance(minutes=5)
    assert activities.remaining_seconds(reload_activity(db, sid, activity.id)) == planned - 900

    activities.extend(db, sid, activity.id, 5)
    activities.extend(db, sid, activity.id, 3)
    extended = reload_activity(db, sid, activity.id)
    assert extended.extended_minutes == 8
    assert activities.remaining_seconds(extended) == planned - 900 + 8 * 60
    activities.extend(db, sid, activity.id, -2)
    assert activities.remaining_seconds(reload_activity(db, sid, activity.id)) == planned - 900 + 6 * 60

    fake_clock.advance(seconds=planned)  # well over time
    assert activities.remaining_seconds(reload_activity(db, sid, activity.id)) == -900 + 6 * 60


def test_closing_during_a_pause_counts_the_pause_out(db, seminar, fake_clock):
    sid = seminar.seminar_id
    activity = activities.list_activities(db, sid)[0]
    activities.open_activity(db, sid, activity.id)
    fake_clock.advance(minutes=4)
    activities.pause(db, sid, activity.id)
    fake_clock.advance(minutes=20)
    activities.close_activity(db, sid, activity.id)
    closed = reload_activity(db, sid, activity.id)
    assert closed.paused_at is None
    assert activities.elapsed_seconds(closed) == 4 * 60
    fake_clock.advance(hours=3)
    assert activities.elapsed_seconds(reload_activity(db, sid, activity.id)) == 4 * 60


def test_a_paused_activity_refuses_work(db, seminar, join, fake_clock):
    from workshop.services import cards

    sid = seminar.seminar_id
    alice = join("Alice")
    contribute = find_activity(db, sid, Interaction.CONTRIBUTE)
    activities.open_activity(db, sid, contribute.id)
    activities.pause(db, sid, contribute.id)
    with refused(Invalid, "activity_paused"):
        cards.contribute(db, alice.device_token, contribute.id, kind=contribute.card_kinds[0], text="En pause")
    activities.resume(db, sid, contribute.id)
    cards.contribute(db, alice.device_token, contribute.id, kind=contribute.card_kinds[0], text="Reprise")


def test_pause_needs_an_open_activity(db, seminar):
    activity = activities.list_activities(db, seminar.seminar_id)[0]
    with refused(Invalid, "activity_not_open"):
        activities.pause(db, seminar.seminar_id, activity.id)


def test_bad_extensions_are_refused(db, seminar):
    activity = activities.list_activities(db, seminar.seminar_id)[0]
    for minutes in (0, 121, -121, 2.5, "5", None):
        with refused(Invalid, "bad_extension", case=minutes):
            activities.extend(db, seminar.seminar_id, activity.id, minutes)
    assert reload_activity(db, seminar.seminar_id, activity.id).extended_minutes == 0


def test_an_extension_cannot_leave_less_than_a_minute(db, seminar):
    sid = seminar.seminar_id
    activity = next(a for a in activities.list_activities(db, sid) if 2 <= a.planned_minutes <= 120)
    with refused(Invalid, "bad_extension"):
        activities.extend(db, sid, activity.id, -activity.planned_minutes)
    activities.extend(db, sid, activity.id, -(activity.planned_minutes - 1))
    shortened = reload_activity(db, sid, activity.id)
    assert shortened.planned_minutes + shortened.extended_minutes == 1
    with refused(Invalid, "bad_extension"):
        activities.extend(db, sid, activity.id, -1)
    assert reload_activity(db, sid, activity.id).extended_minutes == -(activity.planned_minutes - 1)


def test_facilitator_notes_are_saved(db, kit, two_days, seminar):
    sid = seminar.seminar_id
    activity = activities.list_activities(db, sid)[3]
    notes = "Table 2 bloquée sur « mobilité ».\nRelancer avec les cartes tendances 🚲\n<i>ok</i>"
    activities.set_notes(db, sid, activity.id, notes)
    assert reload_activity(db, sid, activity.id).facilitator_notes == notes
    activities.set_notes(db, sid, activity.id, "")
    assert reload_activity(db, sid, activity.id).facilitator_notes == ""
    with refused(Invalid, "text_too_long", field="notes"):
        activities.set_notes(db, sid, activity.id, "n" * 5001)
    other = seminars.create_seminar(db, title="B", territory="B", horizon_year=2050, run_sheet=two_days, kit=kit)
    with refused(NotFound, "not_found", what="activity"):
        activities.set_notes(db, other.seminar_id, activity.id, "ailleurs")


def test_contributions_and_votes_can_be_switched(db, seminar):
    sid = seminar.seminar_id
    activity = activities.list_activities(db, sid)[0]
    activities.set_contributions_open(db, sid, activity.id, False)
    activities.set_votes_open(db, sid, activity.id, False)
    switched = reload_activity(db, sid, activity.id)
    assert (switched.contributions_open, switched.votes_open) == (False, False)
    activities.set_contributions_open(db, sid, activity.id, True)
    assert reload_activity(db, sid, activity.id).contributions_open is True


def test_the_projector_follows_each_new_activity_again(db, seminar):
    """The view the facilitator picked lasts while its activity is open: opening another one (next,
    or any in the run sheet) brings the projector back to what that one calls for, results hidden
    (revealed for one vote, they must not show the next vote's while people vote)."""
    sid = seminar.seminar_id
    first, second, third = activities.list_activities(db, sid)[:3]
    activities.open_activity(db, sid, first.id)
    screen.set_screen(db, sid, view="wall", reveal_results=True)
    activities.pause(db, sid, first.id)
    activities.resume(db, sid, first.id)
    activities.open_activity(db, sid, first.id)  # already open: nothing new
    assert screen.get_screen(db, sid).view == "wall"
    activities.advance(db, sid)
    state = screen.get_screen(db, sid)
    assert (state.view, state.reveal_results) == ("activity", False)
    screen.set_screen(db, sid, view="graph", reveal_results=True)
    activities.close_activity(db, sid, second.id)
    assert screen.get_screen(db, sid).reveal_results, "closing a vote then revealing its results: they stay"
    activities.open_activity(db, sid, third.id)
    state = screen.get_screen(db, sid)
    assert (state.view, state.reveal_results) == ("activity", False)
    screen.set_screen(db, sid, view="join")
    activities.close_activity(db, sid, third.id)
    assert screen.get_screen(db, sid).view == "join", "closing opens nothing: the view stays"
    screen.set_screen(db, sid, view="activity", wall_page=2)
    activities.open_activity(db, sid, activities.list_activities(db, sid)[3].id)
    assert screen.get_screen(db, sid).wall_page == 0, "another activity's wall starts on its first page"


def test_the_single_card_view_needs_a_card(db, seminar):
    """« Carte projetée » with no card chosen put « Cette carte n'est plus affichée. » before the
    room; the console greys the button, and the service refuses it from any other door too."""
    sid = seminar.seminar_id
    screen.set_screen(db, sid, view="wall")
    with refused(Invalid, "no_focus_card"):
        screen.set_screen(db, sid, view="card")
    assert screen.get_screen(db, sid).view == "wall", "nothing written"
    # a state stored before this rule (the card view with no card) does not block the other switches
    with db.write() as session:
        stored = session.get(Seminar, sid)
        stored.screen = {**stored.screen, "view": "card", "focus_card_id": None}
    assert screen.set_screen(db, sid, show_attendance=False).show_attendance is False
    assert screen.set_screen(db, sid, view="activity").view == "activity"
