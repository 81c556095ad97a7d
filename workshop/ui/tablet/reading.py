"""Panels with nothing to write: waiting for the next activity, a plenary, the wall of cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nicegui import ui

from workshop.models import Activity, Card
from workshop.ui.closing import next_steps_report
from workshop.ui.common import tr
from workshop.ui.tablet import data
from workshop.ui.tablet.widgets import KeyedRows, card_face

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView


def waiting(view: TabletView) -> None:
    """Nothing open: before the first activity, or between two (the next one is named). The seminar's
    title is not said again: the header above says it (view.py)."""
    before = view.phase == "before"
    with ui.column().classes("w-full items-center waiting gap-3").mark("waiting"):
        ui.icon("hourglass_top", size="56px", color="primary").props('aria-hidden="true"')
        ui.label(tr("room.tablet.before" if before else "room.tablet.between")).classes("t-h2").props(
            'role="heading" aria-level="1"').mark("waiting-title")
        if view.next_title and not before:
            ui.label(tr("room.tablet.next", title=view.next_title)).classes("text-lg wrap-text").mark("next")
        ui.label(tr("tablet.waiting_hint")).classes("muted")


def finished(view: TabletView) -> None:
    """The last activity is closed: thanks, what happens next, where the report will be."""
    own = len(view.personal.own)
    with ui.column().classes("w-full items-center waiting finished gap-3").mark("finished"):
        ui.icon("celebration", size="56px", color="primary").props('aria-hidden="true"')
        ui.label(tr("room.tablet.thanks")).classes("t-h1").props('role="heading" aria-level="1"').mark(
            "finished-title")
        if own:
            ui.label(tr("room.tablet.your_cards", count=own)).classes("text-lg")
        # right under the thanks: on a 390x844 phone it shows without scrolling
        _results_link(view.seminar_id)
    with ui.column().classes("w-full gap-2 t-card").mark("next-steps"):
        ui.label(tr("room.next_steps_title")).classes("t-h2").props('role="heading" aria-level="2"')
        if view.closing is not None:  # read with the progress (view.show), off the event loop
            ui.label(next_steps_report(view.closing, tr)).classes("wrap-text").mark("next-steps-report")
        ui.label(tr("room.next_steps_where")).classes("wrap-text")
        ui.label(tr("room.tablet.close_page")).classes("muted")


def _results_link(seminar_id: int) -> None:
    """The results page, once staff left it open (issue 17)."""
    from workshop.services import publication, seminars
    from workshop.ui.common import db

    if publication.results_state(db(), seminar_id) != publication.RESULTS_OPEN:
        return
    code = seminars.get_seminar_by_id(db(), seminar_id).join_code
    ui.button(tr("results.see"), icon="insights", on_click=lambda: ui.navigate.to(f"/resultats/{code}")).props(
        "unelevated no-caps size=lg color=primary").classes("w-full").mark("results-link")


def plenary(view: TabletView, activity: Activity) -> Callable[[list[Card]], None] | None:
    """A plenary: said in the room, nothing to type. The tablet says so, and shows the
    activity's cards when it has some to read (never an empty wall for a welcome)."""
    with ui.element("div").classes("banner banner-info").props('role="status"').mark("oral"):
        ui.icon("record_voice_over", size="26px").props('aria-hidden="true"')
        ui.label(tr("room.tablet.oral")).classes("wrap-text")
    if not activity.card_kinds:
        return None
    return wall(view, activity)


def wall(view: TabletView, activity: Activity) -> Callable[[list[Card]], None]:
    """The activity's cards, grouped by kind."""
    kinds = list(activity.card_kinds) or data.KIND_ORDER
    ui.label(tr("tablet.wall_title")).classes("t-h2 q-mt-sm").props('role="heading" aria-level="2"')
    empty = ui.label(tr("tablet.wall_empty")).classes("muted")
    sections: dict[str, tuple[ui.element, ui.label, ui.element]] = {}
    for kind in kinds:
        with ui.column().classes("w-full gap-2").mark(f"wall-{kind}") as section:
            title = ui.label(tr(f"kind_plural.{kind}")).classes("text-lg font-bold").props(
                'role="heading" aria-level="3"')
            body = ui.column().classes("w-full gap-2")
        sections[kind] = (section, title, body)

    def container_for(card: Card) -> ui.element:
        return sections[card.kind.value][2]

    def render_row(card: Card) -> ui.element:
        return card_face(view, card)

    rows = KeyedRows(container_for, render_row)

    def sync(cards: list[Card]) -> None:
        rows.sync([c for c in cards if c.kind.value in sections])
        for kind, (section, title, body) in sections.items():
            count = len(list(body))
            section.set_visibility(bool(count))
            title.set_text(f"{tr(f'kind_plural.{kind}')} ({count})")
        empty.set_visibility(not rows.rows)

    sync(view.cards)
    return sync
