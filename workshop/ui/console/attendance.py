"""The expected attendance and the cap (the head count is said once, in the header), bursts of joins
from one address, and the tools to take away identities that are not people (remove, merge:
recorded in the history, undoable)."""

from __future__ import annotations

from nicegui import ui

from workshop.services import participants
from workshop.ui.common import call_now, in_page, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import heading, whole_number


def _duration(burst: participants.JoinBurst) -> int:
    return max(1, round((burst.last - burst.first).total_seconds()))


class AttendancePanel:
    def __init__(self, console: Console) -> None:
        self.c = console

    def build(self) -> None:
        with ui.column().classes("console-panel w-full p-3 gap-2").mark("attendance-panel"):
            heading(tr("console.attendance"))
            self.body = ui.column().classes("w-full gap-2")
            with ui.column().classes("w-full gap-2"):
                ui.button(tr("console.attendance_settings"), icon="tune", on_click=self.settings).props(
                    "outline dense no-caps color=primary align=left").classes("w-full").mark("attendance-settings")
                ui.button(tr("console.remove_or_merge_button"), icon="group_remove",
                          on_click=lambda: self.people_dialog(None)).props(
                    "outline dense no-caps color=primary align=left").classes("w-full").mark("remove-or-merge")
        self.refresh()
        self.c.register("attendance", self.refresh)

    def refresh(self) -> None:
        state = call_now(participants.attendance, self.c.db, self.c.sid)
        self.body.clear()
        if state is None:
            return
        with self.body:
            # the head count is in the header (« Connectés : 3 sur 12 inscrits »): here what it is
            # measured against, the people expected and the cap, when the facilitator set them
            parts = []
            if state.expected is not None:
                parts.append(tr("console.expected_count", expected=state.expected))
            if state.cap is not None:
                cap = tr("console.head_count_cap", cap=state.cap)
                parts.append(cap if parts else cap[:1].upper() + cap[1:])  # « Plafond : 35 » alone
            label = ui.label(" · ".join(parts)).classes("text-sm font-semibold").props(
                'role="status" aria-live="polite"').mark("head-count")
            label.set_visibility(bool(parts))
            if state.over_expected:
                label.classes("text-amber-900")
                ui.label(tr("console.over_expected")).classes("text-sm text-amber-900").mark("over-expected")
            for i, burst in enumerate(state.bursts):
                with ui.row().classes("w-full items-center gap-2 no-wrap p-1 rounded border border-amber-300 "
                                      "bg-amber-50").mark(f"burst-{i}"):
                    ui.icon("warning", size="18px").classes("text-amber-900").props(
                        f'role="img" aria-label="{tr("console.warning")}"')
                    ui.label(tr("console.join_burst", count=len(burst.participant_ids),
                                seconds=_duration(burst))).classes("text-sm grow")
                    ui.button(tr("console.review"), on_click=lambda ids=burst.participant_ids: self.people_dialog(ids)
                              ).props("outline dense no-caps color=primary").mark(f"burst-review-{i}")

    # --- dialogs ------------------------------------------------------------------------------

    def settings(self) -> None:
        seminar = self.c.seminar()
        if seminar is None:
            return
        with self.c.dialog() as dialog, ui.card().classes("w-[28rem] max-w-full gap-3").mark("attendance-dialog"):
            heading(tr("console.attendance_settings"), level=2, classes="text-xl font-bold")
            expected = ui.number(tr("console.expected_attendance"), value=seminar.expected_attendance, min=1,
                                 max=participants.MAX_ATTENDANCE, step=1, precision=0).props(
                "outlined clearable").classes("w-full").mark("expected-attendance")
            cap = ui.number(tr("console.max_participants"), value=seminar.max_participants, min=1,
                            max=participants.MAX_ATTENDANCE, step=1, precision=0).props(
                "outlined clearable").classes("w-full").mark("max-participants")
            ui.label(tr("console.max_participants_help")).classes("text-sm console-muted")

            @in_page
            async def save() -> None:
                if await self.c.attempt(participants.set_attendance,
                                        expected=whole_number(expected.value), cap=whole_number(cap.value)):
                    ui.notify(tr("ui.saved"), type="positive", position="top")
                    dialog.close()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
                ui.button(tr("ui.save"), on_click=save).props("unelevated no-caps color=primary").mark(
                    "attendance-save")
        dialog.open()

    def people_dialog(self, only: tuple[int, ...] | None) -> None:
        """Pick identities to remove, or to merge into the first one picked."""
        people = [p for p in self.c.participants() if only is None or p.id in only]
        with self.c.dialog() as dialog, ui.card().classes("w-[34rem] max-w-full gap-3").mark("people-dialog"):
            heading(tr("console.remove_or_merge"), level=2, classes="text-xl font-bold")
            ui.label(tr("console.remove_or_merge_help")).classes("text-sm console-muted")
            picked: list[int] = []
            boxes: list[ui.checkbox] = []
            if only is not None:
                ui.button(tr("console.pick_all"), icon="done_all",
                          on_click=lambda: [box.set_value(True) for box in boxes]).props(
                    "flat dense no-caps color=primary").mark("pick-all")
            with ui.column().classes("w-full gap-0 max-h-[50vh] overflow-auto"):
                for p in sorted(people, key=lambda p: (p.joined_at, p.id)):
                    def toggle(e, pid=p.id) -> None:
                        if e.value and pid not in picked:
                            picked.append(pid)
                        elif not e.value and pid in picked:
                            picked.remove(pid)
                    boxes.append(ui.checkbox(f"{p.display_name} · {p.joined_at.astimezone().strftime('%H:%M:%S')}",
                                             on_change=toggle).mark(f"pick-{p.id}"))

            @in_page
            async def remove() -> None:
                chosen = list(picked)
                if not chosen:
                    ui.notify(tr("console.pick_someone"), type="warning", position="top")
                    return
                for pid in chosen:
                    if not await self.c.attempt(participants.remove_participant, pid):
                        return
                ui.notify(tr("console.people_removed", count=len(chosen)), type="positive", position="top")
                dialog.close()

            @in_page
            async def merge() -> None:
                if len(picked) < 2:
                    ui.notify(tr("console.pick_two"), type="warning", position="top")
                    return
                keep, *others = picked
                if await self.c.attempt(participants.merge_participants, keep, others):
                    ui.notify(tr("console.people_merged", count=len(others)), type="positive", position="top")
                    dialog.close()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
                ui.button(tr("console.merge_people"), icon="merge", on_click=merge).props(
                    "outline no-caps color=primary").mark("merge-people")
                ui.button(tr("console.remove_people"), icon="person_remove", on_click=remove).props(
                    "unelevated no-caps color=negative").mark("remove-people")
        dialog.open()
