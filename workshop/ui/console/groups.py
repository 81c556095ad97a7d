"""Tables (sub-groups): add and rename them, move people from one table to another."""

from __future__ import annotations

from nicegui import ui

from workshop.services import seminars
from workshop.ui.common import in_page, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import aria, college_square, heading, keep_rows

NO_TABLE = 0


class Groups:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.editing = False  # a table name is being typed: redraw after, not under the fingers
        self.columns: dict[int, tuple[ui.element, tuple]] = {}  # table id -> (column, what it shows)

    def build(self) -> None:
        with ui.row().classes("w-full items-end gap-2"):
            heading(tr("console.groups"))
            ui.space()
            self.new_name = ui.input(tr("console.new_group")).props("outlined dense maxlength=60").classes("w-64").mark(
                "new-group")
            self.new_name.on("keydown.enter", self._add)
            ui.button(tr("console.add_group"), icon="add", on_click=self._add).props(
                "unelevated no-caps color=primary").mark("add-group")
        # as many columns as the middle column holds, each as wide as they can share (not 18rem
        # each and the rest of the line empty): a 1440 px laptop gives names 90 px more
        self.body = ui.element("div").classes("w-full console-tables").mark("groups")
        self.refresh()
        self.c.register("groups", self.refresh)

    @in_page
    async def _add(self) -> None:
        if await self.c.attempt(seminars.add_group, self.new_name.value or ""):
            self.new_name.set_value("")

    def refresh(self) -> None:
        """One column per table, kept by table id: someone joining redraws the column they land in
        (or « Sans table »), not the selects of the others, where a click may be on its way."""
        if self.editing:
            self.c.mark("groups")
            return
        seminar = self.c.seminar()
        if seminar is None:
            return
        people = self.c.participants()
        options = {NO_TABLE: tr("console.no_table")} | {g.id: g.name for g in seminar.groups}
        wanted: dict[int, tuple] = {}
        for group_id, name in options.items():
            members = tuple((p.id, p.display_name, p.college.value) for p in people
                            if (p.group_id or NO_TABLE) == group_id)
            if group_id != NO_TABLE or members:
                wanted[group_id] = (name, members, tuple(options.items()))
        keep_rows(self.body, self.columns, wanted, self._column, self._fill)

    @staticmethod
    def _column(group_id: int) -> ui.element:
        return ui.column().classes("console-panel p-3 gap-1 min-w-0").mark(f"group-{group_id}")

    def _fill(self, group_id: int, name: str, members: tuple, options: tuple) -> None:
        if group_id == NO_TABLE:
            heading(name, level=3, classes="font-bold")
        else:
            self._rename(group_id, name)
        ui.label(tr("console.members", count=len(members))).classes("text-xs console-muted")
        # « Déplacer » lists the other tables only: the one they are under is the column's own
        others = {gid: label for gid, label in options if gid != group_id}
        for person_id, display_name, college in members:
            # the whole name (a facilitator calls people by it), « Déplacer » beside it on the same
            # line at 1280 px; a name too long for both takes two lines, « Déplacer » below it
            with ui.row().classes("w-full items-center gap-x-1 gap-y-0 console-member"):
                with ui.row().classes("items-center gap-1 no-wrap console-member-name"):
                    college_square(college)  # as in the Participants list: the collège, next to the name
                    ui.label(display_name).classes("text-sm").props["title"] = tr(f"college_name.{college}")
                move = ui.select(others, value=None,
                                 on_change=lambda e, pid=person_id: self._move(pid, e.value, e.sender)
                                 ).props("dense options-dense borderless").classes(
                    "ml-auto text-sm console-move").mark(f"move-{person_id}")
                move.props["display-value"] = tr("console.move_to")
                aria(move, tr("console.move_person", name=display_name))
                move.props["title"] = tr("console.move_person", name=display_name)

    def _rename(self, group_id: int, name: str) -> None:
        with ui.row().classes("w-full items-center gap-1 no-wrap"):
            field = ui.input(value=name).props("dense outlined maxlength=60").classes("grow font-bold").mark(
                f"group-name-{group_id}")
            aria(field, tr("console.group_name"))

            @in_page
            async def save() -> None:
                self.editing = False
                if (field.value or "").strip() != name:
                    if not await self.c.attempt(seminars.rename_group, group_id, field.value or ""):
                        field.set_value(name)  # refused: the table's name, not the refused one

            def focus() -> None:
                self.editing = True

            field.on("focus", focus)
            field.on("keydown.enter", save)
            field.on("blur", save)

    @in_page
    async def _move(self, participant_id: int, group_id, select: ui.select) -> None:
        if group_id is None:
            return  # the select emptied again (below): nothing chosen
        if not await self.c.attempt(seminars.move_participant, participant_id,
                                    None if group_id == NO_TABLE else group_id):
            select.set_value(None)  # refused: « Déplacer » again, they stay under their table
