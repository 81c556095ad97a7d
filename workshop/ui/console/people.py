"""Who is in the room: connected tablets and, during a vote, who has voted (never shown on the projector).
The head count itself is in the header, once; how many have voted, on the activity (current.py), once."""

from __future__ import annotations

from nicegui import ui

from workshop.ui.common import COLLEGE_COLORS, tr
from workshop.ui.console.current import ANSWERED, VOTING
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import college_square, heading
from workshop.ui.live import hub


class People:
    def __init__(self, console: Console) -> None:
        self.c = console
        self._legend_shown: tuple[str, ...] | None = None  # the collèges the legend names

    def build(self) -> None:
        with ui.column().classes("console-panel w-full p-3 gap-2").mark("people-panel"):
            heading(tr("console.people"))
            # what the coloured squares beside the names say: the collèges present, in the projector's
            # and the report's colours (before, only a hover on each square told it)
            self.legend = ui.row().classes("w-full items-center gap-x-3 gap-y-0").mark("college-legend")
            self.body = ui.column().classes("w-full gap-0").props('role="list"')
        self.refresh()
        self.c.register("people", self.refresh)

    def refresh(self) -> None:
        people = self.c.participants()
        online = hub.connected(self.c.sid)
        a = self.c.selected()
        voting = a is not None and a.interaction in VOTING
        voted = self.c.voters(a.id) if voting else set()
        seminar = self.c.seminar()
        groups = {g.id: g.name for g in seminar.groups} if seminar else {}
        # who is registered and who is connected is counted once, in the header (« Connectés : 3 sur
        # 3 inscrits »), how many have voted on the activity (« 2 sur 3 ont voté »); here, who
        self._legend({p.college.value for p in people})
        self.body.clear()
        with self.body:
            if not people:
                ui.label(tr("console.nobody")).classes("text-sm console-muted")
            # connected first, then by name: who is missing stands out at the bottom
            for p in sorted(people, key=lambda p: (p.id not in online, p.display_name.casefold())):
                is_on = p.id in online
                with ui.row().classes("w-full items-center gap-2 py-0.5 no-wrap").props('role="listitem"').mark(
                        f"person-{p.id}"):
                    # filled green when connected, hollow grey when not: the shape says it, not only the colour
                    self._icon("circle" if is_on else "radio_button_unchecked",
                               "text-green-700" if is_on else "text-slate-500",
                               tr("console.online") if is_on else tr("console.offline"), size="10px")
                    # the person's collège, in the colour the projector and the report give it, next to
                    # their name (named on hover and for screen readers); the table beside it is plain
                    # text: tables have no colour, so a square beside the table's name would read as one
                    college_square(p.college.value)
                    # the whole name, on two lines if need be: the facilitator calls people by it
                    name = ui.label(p.display_name).classes("text-sm grow min-w-0 break-words"
                                                            + ("" if is_on else " console-muted"))
                    name.props["title"] = tr(f"college_name.{p.college.value}")
                    ui.label(groups.get(p.group_id or -1, "")).classes("text-xs console-muted truncate max-w-[8rem]")
                    if voting:
                        answered = a.interaction in ANSWERED
                        if p.id in voted:
                            self._icon("how_to_vote", "text-blue-900",
                                       tr("console.has_answered" if answered else "console.has_voted"))
                        else:
                            self._icon("hourglass_empty", "text-slate-600",
                                       tr("console.not_answered" if answered else "console.not_voted"))

    def _legend(self, present: set[str]) -> None:
        colleges = tuple(c for c in COLLEGE_COLORS if c in present)
        if self._legend_shown == colleges:
            return
        self._legend_shown = colleges
        self.legend.clear()
        with self.legend:
            for college in colleges:
                with ui.row().classes("items-center gap-1 no-wrap"):
                    ui.element("span").classes("console-college").style(
                        f"--college: {COLLEGE_COLORS[college]}").props('aria-hidden="true"')
                    ui.label(tr(f"college_name.{college}")).classes("text-xs console-muted")

    @staticmethod
    def _icon(name: str, classes: str, label: str, size: str | None = None) -> None:
        icon = ui.icon(name, size=size).classes(classes)
        icon.props["role"] = "img"
        icon.props["aria-label"] = label
        icon.props["title"] = label
