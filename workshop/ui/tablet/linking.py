"""Proposing links between cards (the facilitator accepts or rejects them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nicegui import ui

from workshop.models import Activity, Card
from workshop.services import links
from workshop.ui.common import db, in_page, tr
from workshop.ui.tablet.widgets import accepting, acknowledge, attempt, card_option, warn

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView


def link(view: TabletView, activity: Activity) -> Callable[[list[Card]], None]:
    live = accepting(activity, "contributions")
    if not activity.participant_instructions:
        ui.label(tr("tablet.link_intro")).classes("muted")
    by_id: dict[int, Card] = {}
    empty = ui.label(tr("tablet.no_cards")).classes("muted")
    with ui.column().classes("w-full gap-3") as form:
        source = ui.select({}, label=tr("tablet.link_source"), with_input=True,
                           on_change=lambda: show_relations()).props("outlined").classes("w-full").mark("source")
        swap = ui.button(tr("tablet.link_swap"), icon="swap_vert", on_click=lambda: do_swap()).props(
            "flat no-caps color=primary").classes("self-center")
        target = ui.select({}, label=tr("tablet.link_target"), with_input=True,
                           on_change=lambda: show_relations()).props("outlined").classes("w-full").mark("target")
        relation = ui.select({}, label=tr("tablet.link_relation")).props("outlined").classes("w-full").mark(
            "relation")
        none = ui.label(tr("tablet.link_none")).classes("text-sm").style("color:#7f1d1d")
        note = ui.textarea(tr("tablet.link_note")).props("outlined autogrow maxlength=2000").classes("w-full")
        button = ui.button(tr("tablet.link_submit"), icon="share", on_click=lambda: submit()).props(
            "unelevated size=lg color=primary no-caps").classes("w-full").mark("submit")

    def show_relations() -> None:
        a, b = by_id.get(source.value), by_id.get(target.value)
        options = {}
        if a is not None and b is not None and a.id != b.id:
            options = {r.value: tr(f"relation.{r.value}") for r in links.allowed_relations(a.kind, b.kind)}
        relation.set_options(options, value=relation.value if relation.value in options else
                             (next(iter(options)) if len(options) == 1 else None))
        none.set_visibility(a is not None and b is not None and not options)
        relation.set_visibility(bool(options) or a is None or b is None)

    def do_swap() -> None:
        a, b = source.value, target.value
        source.value, target.value = b, a
        show_relations()

    @in_page
    async def submit() -> None:
        if not (source.value and target.value and relation.value):
            warn("tablet.link_pick")
            return
        done, _ = await attempt(links.propose_link, db(), view.token, activity.id, source.value, target.value,
                                relation.value, note=note.value or "")
        if not done:
            return
        source.value = target.value = None
        note.value = ""
        show_relations()
        acknowledge("tablet.link_proposed")

    def sync(cards: list[Card]) -> None:
        by_id.clear()
        by_id.update({c.id: c for c in cards})
        options = {c.id: card_option(c, with_kind=True) for c in cards}
        source.set_options(options, value=source.value if source.value in options else None)
        target.set_options(options, value=target.value if target.value in options else None)
        show_relations()
        form.set_visibility(len(options) > 1)
        empty.set_visibility(len(options) < 2)

    sync(view.cards)
    if not live:
        for control in (source, target, relation, note, button, swap):
            control.disable()
    return sync
