"""The run sheet as a timeline: days, activities, planned against actual time; edit before playing."""

from __future__ import annotations

from nicegui import ui

from workshop.models import Activity, ActivityState
from workshop.services import activities, planning
from workshop.ui.common import in_page, tr
from workshop.ui.console import plan_dialogs
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import clock_label, day_label, heading, hours_text, icon_button

# the run sheet's column scrolled so that a row shows, when it does not (a third down the column, the
# rows before it in view too); tried again at the next frames while the row is not drawn yet; and again
# when the window changes size (a laptop plugged into a projector often drops to 1280x800 or less)
SHOW_ROW_JS = """(function (id) {
  window.v21InHand = id;
  function show(tries) {
    var row = document.getElementById('c' + window.v21InHand);
    var col = row && row.closest('.console-runsheet-col');
    if (!col) { if (tries > 0) { requestAnimationFrame(function () { show(tries - 1); }); } return; }
    var c = col.getBoundingClientRect(), r = row.getBoundingClientRect();
    if (r.top >= c.top && r.bottom <= c.bottom) { return; }
    col.scrollTop += r.top - c.top - Math.max(0, (c.height - r.height) / 3);
  }
  if (!window.v21InHandOnResize) {
    window.v21InHandOnResize = true;
    window.addEventListener('resize', function () { show(0); });
  }
  show(60);
})(%d);"""

STATE_ICONS = {ActivityState.PENDING: "radio_button_unchecked", ActivityState.OPEN: "play_circle",
               ActivityState.CLOSED: "check_circle"}


class RunSheet:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.rows: dict[int, ui.element] = {}
        self.shown: int | None = None  # the activity in hand the column was last scrolled to

    def build(self) -> None:
        with ui.row().classes("w-full items-center justify-between"):
            heading(tr("console.runsheet"))
            ui.button(tr("console.add_activity"), icon="add", on_click=self._add).props(
                "flat dense no-caps color=primary").mark("add-activity")
        self.body = ui.column().classes("w-full gap-1").mark("runsheet")
        self.refresh()
        self.c.register("runsheet", self.refresh)

    def _add(self) -> None:
        with self.c.batch():
            plan_dialogs.add_dialog(self.c)

    def refresh(self) -> None:
        acts = self.c.activities()
        seminar = self.c.seminar()
        dates = {d.number: d.date for d in seminar.days} if seminar else {}
        selected = self.c.selected()
        self.body.clear()
        self.rows = {}
        with self.body:
            for day in sorted({a.day for a in acts} | set(dates)):
                day_acts = [a for a in acts if a.day == day]
                planned = sum(a.planned_minutes + a.extended_minutes for a in day_acts)
                with ui.row().classes("w-full items-baseline justify-between mt-2 px-1"):
                    heading(day_label(day, dates.get(day)), level=3, classes="text-sm font-bold text-slate-900")
                    ui.label(tr("console.day_planned", total=hours_text(planned))).classes("text-xs console-muted")
                with ui.column().classes("w-full gap-1").props('role="list"'):  # one list per day, under its heading
                    for activity in day_acts:
                        self._row(activity, acts, selected)
        self._show_in_hand(acts)

    def _show_in_hand(self, acts: list[Activity]) -> None:
        """On day 2 the column opens on day 1: scroll it to the activity in hand (the open one, else the
        next to play), when the console opens and when that activity changes, never otherwise (the
        facilitator may be scrolling the column), and only if the row is out of view."""
        in_hand = self.c.current() or next((a for a in acts if a.state is ActivityState.PENDING), None)
        if in_hand is None or in_hand.id == self.shown or in_hand.id not in self.rows:
            return
        self.shown = in_hand.id
        ui.run_javascript(SHOW_ROW_JS % self.rows[in_hand.id].id)

    def _row(self, a: Activity, acts: list[Activity], selected: Activity | None) -> None:
        index = acts.index(a)
        state_class = {ActivityState.OPEN: "is-open", ActivityState.CLOSED: "is-closed"}.get(a.state, "")
        is_selected = selected is not None and selected.id == a.id
        row = ui.column().classes(f"console-act {state_class} w-full gap-0 rounded px-1 py-1").props(
            'role="listitem"').mark(f"activity-{a.id}")
        if is_selected:
            row.classes("is-selected")
        self.rows[a.id] = row
        with row:
            with ui.row().classes("w-full items-start gap-1 no-wrap"):
                ui.icon(STATE_ICONS[a.state]).classes(
                    "mt-1 " + ("text-blue-900" if a.state is ActivityState.OPEN else "text-slate-700")).props(
                    f'aria-label="{tr("state." + a.state.value)}" role="img"')
                title = ui.button(a.title, on_click=lambda aid=a.id: self.c.select(aid)).props(
                    "flat dense no-caps align=left color=dark").classes(
                    "console-act-title grow text-left font-semibold leading-tight")
                title.props(f'aria-pressed="{str(is_selected).lower()}"')
            with ui.row().classes("w-full items-center gap-1 pl-7 no-wrap"):
                self._times(a)
                ui.space()
                self._actions(a, index, acts)

    def _times(self, a: Activity) -> None:
        planned = (a.planned_minutes + a.extended_minutes) * 60
        with ui.row().classes("gap-1 items-baseline text-xs console-muted no-wrap"):
            mode_icon = ui.icon("groups" if a.mode.value == "groups" else "co_present", size="16px").classes(
                "text-slate-700 self-center")
            mode_icon.props["role"] = "img"
            mode_icon.props["aria-label"] = mode_icon.props["title"] = tr(f"mode.{a.mode.value}")
            if a.state is ActivityState.PENDING:
                ui.label(tr("console.planned_min", count=a.planned_minutes))
            else:
                # « 34 s sur 20 min », « 1 h 05 sur 1 h 30 »: never « 0:34 », read as hours next to minutes
                clock_label(elapsed=activities.elapsed_seconds(a), planned=planned, duration=True,
                            running=a.state is ActivityState.OPEN and a.paused_at is None).classes(
                    "font-semibold text-slate-900")
                ui.label(tr("console.of_planned", planned=hours_text(a.planned_minutes + a.extended_minutes)))
                if a.paused_at is not None:
                    ui.label(tr("console.paused")).classes("font-semibold text-amber-800")

    def _actions(self, a: Activity, index: int, acts: list[Activity]) -> None:
        pending = a.state is ActivityState.PENDING
        icon_button("edit", tr("console.edit_activity_named", title=a.title),
                    lambda aid=a.id: plan_dialogs.edit_dialog(self.c, aid)).mark(f"edit-activity-{a.id}")
        if not pending:
            return
        days = len(self.c.seminar().days) if self.c.seminar() else 1
        prev = acts[index - 1] if index > 0 else None
        nxt = acts[index + 1] if index + 1 < len(acts) else None
        if prev is None:
            can_up = a.day > 1
        else:
            can_up = prev.day < a.day or prev.state is ActivityState.PENDING
        can_down = nxt is not None or a.day < days
        icon_button("arrow_upward", tr("console.move_up", title=a.title),
                    lambda: self._move(a, acts, -1), disabled=not can_up).mark(f"up-{a.id}")
        icon_button("arrow_downward", tr("console.move_down", title=a.title),
                    lambda: self._move(a, acts, +1), disabled=not can_down).mark(f"down-{a.id}")
        icon_button("delete", tr("console.remove_activity", title=a.title),
                    lambda: plan_dialogs.confirm_remove(self.c, a), color="negative").mark(f"remove-{a.id}")

    @in_page
    async def _move(self, a: Activity, acts: list[Activity], step: int) -> None:
        index = acts.index(a)
        neighbour = acts[index + step] if 0 <= index + step < len(acts) else None
        if neighbour is None or neighbour.day != a.day:
            # across a day boundary: change day, keep the place
            day = a.day + step if neighbour is None else neighbour.day
            await self.c.attempt(planning.move_activity, a.id, position=index, day=day)
        else:
            await self.c.attempt(planning.move_activity, a.id, position=index + step)
