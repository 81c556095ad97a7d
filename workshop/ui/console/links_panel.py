"""Links proposed from the tablets during a linking activity: the facilitator accepts or rejects them."""

from __future__ import annotations

from nicegui import ui

from workshop.models import LinkStatus
from workshop.services import console_queries, links
from workshop.ui.common import call_now, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import heading, keep_rows


class ProposedLinks:
    """Rows are kept by link id, as the moderation list's: a link proposed from a tablet adds its
    row, a decided one loses it, and the others' buttons stay where the facilitator's click goes."""

    def __init__(self, console: Console, on_count=None) -> None:
        self.c = console
        self.on_count = on_count
        self.rows: dict[int, tuple[ui.element, tuple]] = {}  # link id -> (row, what it shows)

    def build(self) -> None:
        heading(tr("console.proposed_links"))
        ui.label(tr("console.proposed_links_help")).classes("text-sm console-muted")
        with ui.column().classes("w-full gap-1").props('role="list"').mark("proposed-links") as self.body:
            self.empty = ui.label(tr("console.no_proposed_links")).classes("console-muted").props('role="listitem"')
        self.refresh()
        self.c.register("links", self.refresh)

    def refresh(self) -> None:
        proposed = call_now(links.list_links, self.c.db, self.c.sid, status=LinkStatus.PROPOSED) or []
        texts = call_now(console_queries.card_texts, self.c.db, self.c.sid,
                         [i for link in proposed for i in (link.source_id, link.target_id)]) or {}
        people = {p.id: p.display_name for p in self.c.participants()}
        if self.on_count:
            self.on_count(len(proposed))
        self.empty.set_visibility(not proposed)
        wanted = {link.id: (texts.get(link.source_id, "?"), link.relation, texts.get(link.target_id, "?"),
                            people.get(link.proposed_by_id or -1), link.note) for link in proposed}
        # after the "none" line, in the order of the list
        keep_rows(self.body, self.rows, wanted, self._row, self._fill, first=1)

    @staticmethod
    def _row(link_id: int) -> ui.element:
        return ui.row().classes("w-full items-center gap-2 px-2 py-1 rounded border border-slate-200 "
                                "bg-white no-wrap").props('role="listitem"').mark(f"link-{link_id}")

    def _fill(self, link_id: int, source: str, relation, target: str, proposer: str | None, note: str | None) -> None:
        with ui.column().classes("grow gap-0 min-w-0"):
            ui.label(tr("console.link_text", source=source, relation=tr(f"relation.{relation.value}"),
                        target=target)).classes("text-sm break-words")
            if proposer or note:
                ui.label(" · ".join(x for x in (proposer, note) if x)).classes("text-xs console-muted")
        ui.button(tr("console.accept"), icon="check",
                  on_click=self.c.act(links.decide, link_id, True)
                  ).props("outline dense no-caps color=positive").mark(f"accept-{link_id}")
        ui.button(tr("console.reject"), icon="close",
                  on_click=self.c.act(links.decide, link_id, False)
                  ).props("outline dense no-caps color=negative").mark(f"reject-{link_id}")
