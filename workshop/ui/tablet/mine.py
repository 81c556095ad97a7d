"""My contributions: the participant's own cards, editable or withdrawable while their activity is
open and takes contributions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from nicegui import ui

from workshop.models import Card, CardKind
from workshop.services import cards as card_service
from workshop.ui.common import KIND_COLORS, db, in_page, named_dialog, tr
from workshop.ui.tablet import data
from workshop.ui.tablet.widgets import (ACKNOWLEDGE_MS, acknowledge, attempt, capital, card_text, kind_name, shape_text,
                                        short)

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView


# Brings the card just sent into sight, clear of the toast saying it was sent (at the bottom,
# widgets.TOAST_POSITION): on a phone it landed below the fold or under the toast. The row is
# drawn by the same update, so it is looked for over a few frames; the toast comes in first (this
# script, not awaited, goes out after it), so it looks for its place again once the card has moved
# (client.TOASTS_JS).
# While the toast is there the card keeps room under it (.just-sent, style.py) where the toast
# stands, until the toast has gone (ROOM_MS): the older card below used to start within 50 px of the
# new one, and the toast, too tall for that gap, covered its text.
ROOM_MS = ACKNOWLEDGE_MS + 1000  # the toast's life, and its way out
SHOW_NEWEST_JS = """(function show(tries) {
  const card = document.getElementById(%s);
  if (card) {
    card.classList.add('just-sent');
    card.scrollIntoView({block: 'nearest'});
    if (window.v21placeToastsAgain) { window.v21placeToastsAgain(); }  // a toast that came in first
    setTimeout(() => card.classList.remove('just-sent'), %d);
  }
  else if (tries > 0) { setTimeout(() => show(tries - 1), 50); }
})(60);"""  # looked for during 3 s, not 30 frames: a busy tablet (or server) draws the row later


def render_mine(view: TabletView) -> ui.element | None:
    """The participant's cards, newest first; returns the newest card's row."""
    own = list(reversed(view.personal.own))  # newest first
    activity = view.activity
    editable_in = activity.id if data.is_live(activity) and activity.contributions_open else None
    expanded = activity is not None and activity.interaction in data.WRITING
    with ui.expansion(tr("tablet.my_cards", count=len(own)), icon="person_outline", value=expanded).classes(
            "w-full bg-white rounded-borders").props("header-class='text-weight-bold'").mark("mine"):
        with ui.column().classes("w-full gap-2 q-pa-sm"):
            if not own:
                ui.label(tr("tablet.my_cards_empty")).classes("muted")
            rows = [_row(view, card, editable=card.activity_id is not None and card.activity_id == editable_in)
                    for card in own]
    return rows[0] if rows else None


def show_newest(row: ui.element | None) -> None:
    """Scroll the card just sent (the newest ``row``) into sight, above the toast that says so."""
    if row is not None:
        ui.run_javascript(SHOW_NEWEST_JS % (json.dumps(row.html_id), ROOM_MS))


def _row(view: TabletView, card: Card, *, editable: bool) -> ui.element:
    color = KIND_COLORS.get(card.kind.value, "#0b5394")
    with ui.element("div").classes("t-card mine-card").style(f"--kind: {color}").mark(f"mine-{card.id}") as row:
        with ui.row().classes("w-full items-start gap-2"):
            with ui.column().classes("gap-1").style("flex: 1 1 200px; min-width: 0"):
                ui.label(capital(kind_name(card.kind.value))).classes("t-chip kind-chip self-start")
                card_text(card)  # an article: its headline over its date and paragraphs, as written
                theme = view.theme_label(card.theme_id)
                if theme:
                    ui.label(theme).classes("t-chip self-start")
            if editable:
                with ui.row().classes("no-wrap gap-1").style("flex: 0 0 auto; margin-left: auto"):
                    _actions(view, card)
    return row


def _actions(view: TabletView, card: Card) -> None:
    edit = ui.button(icon="edit", on_click=lambda: _edit(view, card)).props(
        "flat round color=primary").classes("tap-round").mark("edit")
    edit.props["aria-label"] = tr("tablet.edit_aria", text=short(card.text))
    withdraw = ui.button(icon="delete_outline", on_click=lambda: _withdraw(view, card)).props(
        "flat round color=negative").classes("tap-round").mark("withdraw")
    withdraw.props["aria-label"] = tr("tablet.withdraw_aria", text=short(card.text))


def _dismiss(dialog: ui.dialog) -> None:
    if not dialog.is_deleted:
        dialog.close()
        dialog.delete()


def _edit(view: TabletView, card: Card) -> None:
    with view.dialogs, named_dialog() as dialog, ui.card().classes("w-full gap-3").style("max-width: 560px"):
        ui.label(tr("tablet.edit_title")).classes("t-h2").props('role="heading" aria-level="2"')
        if card.kind is CardKind.WORD:
            field = ui.input(tr("tablet.word_label"), value=card.text).props("outlined maxlength=40")
        else:
            field = ui.textarea(tr("tablet.text_label", kind=kind_name(card.kind.value)), value=card.text).props(
                f"outlined autogrow maxlength={card_service.card_text_limit(card.kind)}")
            shape_text(field, card.kind.value)  # the rest of its kind's shape (an article's tall field)
        field.classes("w-full").mark("edit-text")
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(tr("ui.cancel"), on_click=lambda: _dismiss(dialog)).props("flat no-caps color=primary")
            save = ui.button(tr("ui.save"), on_click=lambda: submit()).props(
                "unelevated no-caps color=primary").mark("edit-save")

    @in_page
    async def submit() -> None:
        save.props("loading")
        done, _ = await attempt(card_service.edit_own, db(), view.token, card.id, text=field.value or "")
        save.props(remove="loading")
        if not done:
            return
        _dismiss(dialog)
        acknowledge("tablet.edited")
        await view.refresh_mine()

    dialog.open()


def _withdraw(view: TabletView, card: Card) -> None:
    with view.dialogs, named_dialog() as dialog, ui.card().classes("w-full gap-3").style("max-width: 560px"):
        ui.label(tr("tablet.withdraw_title")).classes("t-h2").props('role="heading" aria-level="2"')
        ui.label(f"« {card.text} »").classes("wrap-text font-semibold")
        ui.label(tr("tablet.withdraw_body")).classes("muted")
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(tr("ui.cancel"), on_click=lambda: _dismiss(dialog)).props("flat no-caps color=primary")
            ui.button(tr("tablet.withdraw"), icon="delete_outline", on_click=lambda: confirm()).props(
                "unelevated no-caps color=negative").mark("withdraw-confirm")

    @in_page
    async def confirm() -> None:
        done, _ = await attempt(card_service.withdraw_own, db(), view.token, card.id)
        if not done:
            return
        _dismiss(dialog)
        acknowledge("tablet.withdrawn")
        await view.refresh_mine()

    dialog.open()
