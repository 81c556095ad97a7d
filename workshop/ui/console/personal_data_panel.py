"""Personal data (RGPD) in the console (folded above the tables): the retention period, export and erase one person."""

from __future__ import annotations

from nicegui import ui

from workshop.reports.document import long_date
from workshop.services import personal_data
from workshop.ui.common import call, call_now, in_page, lang, tr
from workshop.ui.console.state import Console
from workshop.ui.privacy import privacy_path


class PersonalDataPanel:
    def __init__(self, console: Console) -> None:
        self.c = console

    def build(self) -> None:
        with ui.column().classes("w-full px-3 pb-3 gap-3").mark("personal-data-panel"):
            ui.label(tr("personal_data.intro")).classes("text-sm console-muted")
            ui.link(tr("personal_data.privacy_page"), privacy_path(self.c.sid), new_tab=True).classes(
                "text-sm text-primary underline")
            seminar = self.c.seminar()
            with ui.row().classes("items-end gap-2"):
                self.months = ui.number(tr("personal_data.retention_label"),
                                        value=seminar.retention_months if seminar else 12,
                                        min=0, max=personal_data.MAX_RETENTION_MONTHS, step=1, precision=0) \
                    .props("outlined dense").classes("w-72").mark("retention-months")
                ui.button(tr("personal_data.retention_save"), on_click=self._save_retention).props(
                    "unelevated no-caps color=primary").mark("retention-save")
            self.status = ui.label().classes("text-sm").props('role="status" aria-live="polite"').mark(
                "retention-status")
            self.body = ui.column().classes("w-full gap-0").props('role="list"')
        self.refresh()
        self.c.register("personal_data", self.refresh)

    def refresh(self) -> None:
        retention = self._retention()
        if retention is not None:
            self.status.set_text(" ".join(part for part in (
                tr("personal_data.retention_status", end=long_date(retention.seminar_end, lang()),
                   until=long_date(retention.names_until, lang())),
                tr("personal_data.named_count", count=retention.named),
                tr("personal_data.anonymised_count", count=retention.anonymised) if retention.anonymised else "",
            ) if part))
        people = sorted(self.c.participants(), key=lambda p: (p.anonymised_at is not None, p.display_name.casefold()))
        self.body.clear()
        with self.body:
            if not people:
                ui.label(tr("personal_data.nobody")).classes("text-sm console-muted")
            for p in people:
                with ui.row().classes("w-full items-center gap-2 py-0.5 no-wrap").props('role="listitem"').mark(
                        f"data-person-{p.id}"):
                    ui.label(p.display_name).classes("text-sm grow truncate")
                    if p.anonymised_at is not None:
                        ui.label(tr("personal_data.erased")).classes("text-xs console-muted")
                    export = ui.button(tr("personal_data.export"), icon="download",
                                       on_click=lambda p=p: self._export(p.id)).props(
                        "flat dense no-caps color=primary").mark(f"export-{p.id}")
                    export.props["aria-label"] = tr("personal_data.export_label", name=p.display_name)
                    if p.anonymised_at is None:
                        erase = ui.button(tr("personal_data.erase"), icon="person_remove",
                                          on_click=lambda p=p: self._confirm(p.id, p.display_name)).props(
                            "flat dense no-caps color=negative").mark(f"erase-{p.id}")
                        erase.props["aria-label"] = tr("personal_data.erase_label", name=p.display_name)

    def _retention(self):
        return self.c.cached("retention", lambda: call_now(personal_data.retention_of, self.c.db, self.c.sid))

    @in_page
    async def _save_retention(self) -> None:
        value = self.months.value
        if await self.c.attempt(personal_data.set_retention,
                                "" if value is None else int(value) if float(value).is_integer() else value):
            ui.notify(tr("personal_data.retention_saved"), type="positive", position="top")
            self.c.mark("personal_data")
            self.c.flush_now()

    @in_page
    async def _export(self, participant_id: int) -> None:
        text = await call(personal_data.export_participant_json, self.c.db, self.c.sid, participant_id)
        if text is None:
            return
        ui.download.content(text.encode("utf-8"), personal_data.export_file_name(self.c.sid, participant_id),
                            "application/json")

    def _confirm(self, participant_id: int, name: str) -> None:
        dialog = self.c.dialog()
        with dialog, ui.card().classes("gap-3 max-w-lg").mark("erase-dialog"):
            ui.label(tr("personal_data.confirm_title", name=name)).classes("text-lg font-bold").props(
                'role="heading" aria-level="2"')
            ui.label(tr("personal_data.confirm_text")).classes("text-sm")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(tr("personal_data.cancel"), on_click=dialog.close).props("flat no-caps")

                @in_page
                async def erase() -> None:
                    done = await call(personal_data.erase_participant, self.c.db, self.c.sid, participant_id)
                    dialog.close()
                    if done is not None:
                        ui.notify(tr("personal_data.done", pseudonym=done.pseudonym), type="positive", position="top")
                        self.c.mark("personal_data", "people", "groups")
                        self.c.flush_now()

                ui.button(tr("personal_data.confirm_button"), on_click=erase).props(
                    "unelevated no-caps color=negative").mark("erase-confirm")
        dialog.open()
