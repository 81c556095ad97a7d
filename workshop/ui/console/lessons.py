"""Lessons learned on the method, for the capitalisation report."""

from __future__ import annotations

from nicegui import ui

from workshop.services import seminars
from workshop.ui.common import in_page, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import heading


class Lessons:
    def __init__(self, console: Console) -> None:
        self.c = console

    def build(self) -> None:
        seminar = self.c.seminar()
        heading(tr("console.lessons"))
        ui.label(tr("console.lessons_help")).classes("text-sm console-muted")
        text = ui.textarea(tr("console.lessons_label"), value=seminar.lessons_learned if seminar else "").props(
            "outlined autogrow maxlength=20000").classes("w-full").mark("lessons")

        @in_page
        async def save() -> None:
            if await self.c.attempt(seminars.set_lessons_learned, text.value or ""):
                ui.notify(tr("console.lessons_saved"), type="positive", position="top")

        ui.button(tr("ui.save"), on_click=save).props("unelevated no-caps color=primary").mark("lessons-save")
