"""The moderation history: every edit, hide, re-theme and merge, with undo and split."""

from __future__ import annotations

from nicegui import ui

from workshop.i18n import quoted
from workshop.models import ModerationStep
from workshop.services import cards, console_queries
from workshop.ui.common import call_now, lang, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import Redrawn, heading


def _quote(text: str | None, limit: int = 70) -> str:
    text = text or "?"
    return quoted(text if len(text) <= limit else text[: limit - 1] + "…", lang())


class History:
    def __init__(self, console: Console) -> None:
        self.c = console

    def build(self) -> None:
        heading(tr("console.history"))
        ui.label(tr("console.history_help")).classes("text-sm console-muted")
        self.body = Redrawn(ui.column().classes("w-full gap-1").props('role="list"').mark("history"))
        self.refresh()
        self.c.register("history", self.refresh)

    def refresh(self) -> None:
        steps: list[ModerationStep] = call_now(cards.history, self.c.db, self.c.sid) or []
        ids = sorted({i for s in steps for i in s.card_ids})
        texts = call_now(console_queries.card_texts, self.c.db, self.c.sid, ids) or {}
        themes = {t.id: t.label for t in self.c.seminar().themes} if self.c.seminar() else {}
        # drawn again only when it changed: someone joining (a "participant" event) changes
        # nothing here, and a redraw would take the « Annuler » a click is on its way to
        shown = tuple((s.id, s.undone_at, self._describe(s, texts, themes)) for s in steps)
        self.body.draw(shown, lambda: self._rows(steps, texts, themes))

    def _rows(self, steps: list[ModerationStep], texts: dict[int, str], themes: dict[int, str]) -> None:
        if not steps:
            ui.label(tr("console.history_empty")).classes("console-muted").props('role="listitem"')
        for step in steps:
            self._row(step, texts, themes)

    def _describe(self, step: ModerationStep, texts: dict[int, str], themes: dict[int, str]) -> str:
        first = texts.get(step.card_ids[0]) if step.card_ids else None
        payload = step.payload or {}
        if step.action == "edit":
            return tr("console.step_edit", before=_quote(payload.get("before", {}).get("text")),
                      after=_quote(payload.get("after", {}).get("text")))
        if step.action == "retheme":
            none = tr("console.no_theme")
            return tr("console.step_retheme", card=_quote(first), before=themes.get(payload.get("before"), none),
                      after=themes.get(payload.get("after"), none))
        if step.action == "merge":
            merged = ", ".join(_quote(texts.get(i), 50) for i in payload.get("merged", []))
            return tr("console.step_merge", keep=_quote(first), merged=merged)
        if step.action == "remove_person":  # services.participants: an identity removed with its votes
            return tr("console.step_remove_person", name=payload.get("person", {}).get("name", "?"))
        if step.action == "merge_people":
            merged = ", ".join(p.get("person", {}).get("name", "?") for p in payload.get("people", []))
            return tr("console.step_merge_people", keep=payload.get("keep", {}).get("name", "?"), merged=merged)
        return tr(f"console.step_{step.action}", card=_quote(first))

    def _row(self, step: ModerationStep, texts: dict[int, str], themes: dict[int, str]) -> None:
        undone = step.undone_at is not None
        with ui.row().classes("w-full items-center gap-2 px-2 py-1 rounded border border-slate-200 bg-white").props(
                'role="listitem"').mark(f"step-{step.id}"):
            ui.label(step.created_at.astimezone().strftime("%H:%M")).classes("text-sm console-muted console-clock")
            ui.label(tr(f"console.action_{step.action}")).classes("text-sm font-bold")
            ui.label(self._describe(step, texts, themes)).classes(
                "text-sm grow min-w-0 break-words" + (" line-through console-muted" if undone else ""))
            if undone:
                ui.label(tr("console.undone")).classes("text-sm font-semibold console-muted")
                return
            merged = step.payload.get("merged", []) if step.action == "merge" else []
            if merged:
                # splitting a merged card undoes the whole merge: every card comes back with its votes
                ui.button(tr("console.split"), icon="call_split",
                          on_click=self.c.act(cards.split, merged[0])
                          ).props(
                    "outline dense no-caps color=primary").mark(f"split-{step.id}")
            else:
                ui.button(tr("console.undo"), icon="undo",
                          on_click=self.c.act(cards.undo, step.id)
                          ).props(
                    "outline dense no-caps color=primary").mark(f"undo-{step.id}")
