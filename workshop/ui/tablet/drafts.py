"""Drafts that survive a reload: what a participant is typing is kept in the browser.

The text fields of a card being written carry ``data-draft-key``/``data-draft-field``; the
page's script (``client.py``) copies every keystroke into ``localStorage`` under a key of
its own per seminar, participant and activity, even while the network is down. When the
panel is built again (a reload, a sleeping tablet) the script sends the saved draft back
and the form is filled in; a sent card clears it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nicegui import ui

from workshop.models import Activity

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView

EVENT = "v21_draft"


def key(view: TabletView, activity: Activity) -> str:
    return f"v21-draft:{view.seminar_id}:{view.joined.participant_id}:{activity.id}"


def mark(field: ui.element, draft_key: str, name: str) -> None:
    """Let the page's script save this field's text as it is typed."""
    field.props["data-draft-key"] = draft_key
    field.props["data-draft-field"] = name


def put(draft_key: str, **values: Any) -> None:
    """Save choices made on the server side (the kind, the theme) with the draft."""
    ui.run_javascript(f"window.v21draft && window.v21draft.put({json.dumps(draft_key)}, {json.dumps(values)})")


def clear(draft_key: str) -> None:
    ui.run_javascript(f"window.v21draft && window.v21draft.clear({json.dumps(draft_key)})")


def restore(view: TabletView, activity: Activity, apply: Callable[[dict], None]) -> None:
    """Ask the browser for a saved draft of this activity; ``apply`` fills the form with it."""
    draft_key = key(view, activity)
    view.draft_restorers[draft_key] = apply
    ui.run_javascript(f"window.v21draft && window.v21draft.restore({json.dumps(draft_key)})")


def on_restore(view: TabletView, payload: Any) -> None:
    """The browser's answer (``emitEvent``): only for the panel on screen, only into an empty draft."""
    if not isinstance(payload, dict):
        return
    apply = view.draft_restorers.get(str(payload.get("key")))
    if apply is None:
        return
    values = {name: payload.get(name) for name in ("text", "details", "kind", "theme")}
    apply({name: value for name, value in values.items() if isinstance(value, str)})
