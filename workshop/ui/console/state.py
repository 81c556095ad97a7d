"""One open console page: which seminar, what is selected, and what needs redrawing.

Live events only mark parts of the page dirty; one short timer per console page redraws
those parts, so a burst of fifty votes costs one small update, not fifty.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from nicegui import ui

from workshop.events import Event
from workshop.models import Activity, ActivityState, Card, Participant
from workshop.services import activities, cards, participants, seminars, votes
from workshop.ui.common import call_now, db, in_page, named_dialog
from workshop.ui.console.widgets import attempt
from workshop.ui.live import hub

FLUSH_SECONDS = 0.25

# topic prefix -> parts of the page to redraw
ROUTES: dict[str, tuple[str, ...]] = {
    "activity.changed": ("runsheet", "current", "people", "counts", "header"),
    "card.created": ("cards", "contributions"),
    "card.updated": ("cards", "history", "contributions"),
    "card.merged": ("cards", "history", "counts", "contributions"),
    "vote.changed": ("counts", "people", "current"),
    "rating.changed": ("people", "current"),
    "robustness.changed": ("people", "current"),
    "presence.changed": ("people", "header"),
    "participant.": ("people", "attendance", "groups", "header", "cards", "counts", "history", "personal_data"),
    "group.changed": ("groups", "people", "cards"),
    "link.": ("links",),
    "screen.changed": ("screen",),
    "seminar.changed": ("header", "attendance", "personal_data"),
}

# the order parts are redrawn in (cards before counts: new rows get their dots)
ORDER = ("header", "runsheet", "current", "cards", "contributions", "counts", "history", "people", "attendance",
         "groups", "links", "screen", "personal_data")


class Console:
    def __init__(self, seminar_id: int) -> None:
        self.sid = seminar_id
        self.db = db()
        self.selected_id: int | None = None
        self.follow_current = True  # the detail panel follows the open activity
        self.dirty: set[str] = set()
        self.parts: dict[str, Callable[[], Any]] = {}
        self._cache: dict[str, Any] | None = None  # only while building or redrawing
        self.dialog_host: ui.element | None = None

    # --- data shared by the panels during one redraw --------------------------------------

    def cached(self, key: str, loader: Callable[[], Any]) -> Any:
        if self._cache is None:
            return loader()
        if key not in self._cache:
            self._cache[key] = loader()
        return self._cache[key]

    def seminar(self):
        return self.cached("seminar", lambda: call_now(seminars.get_seminar_by_id, self.db, self.sid))

    def activities(self) -> list[Activity]:
        return self.cached("activities", lambda: call_now(activities.list_activities, self.db, self.sid) or [])

    def cards(self) -> list[Card]:
        """Every live card of the seminar, hidden ones included (the facilitator sees all)."""
        return self.cached("cards", lambda: call_now(cards.list_cards, self.db, self.sid, include_hidden=True) or [])

    def participants(self) -> list[Participant]:
        return self.cached("participants",
                           lambda: call_now(participants.list_participants, self.db, self.sid) or [])

    def voters(self, activity_id: int) -> set[int]:
        """Who has voted (dots, ratings, robustness) in an activity."""
        return self.cached(f"voters-{activity_id}",
                           lambda: call_now(votes.voters, self.db, self.sid, activity_id) or set())

    def current(self) -> Activity | None:
        return next((a for a in self.activities() if a.state is ActivityState.OPEN), None)

    def selected(self) -> Activity | None:
        """The activity the detail panel shows: the open one, else the next to play."""
        acts = self.activities()
        if self.follow_current or self.selected_id is None:
            chosen = self.current() or next((a for a in acts if a.state is ActivityState.PENDING), None)
            chosen = chosen or (acts[-1] if acts else None)
            self.selected_id = chosen.id if chosen else None
            return chosen
        found = next((a for a in acts if a.id == self.selected_id), None)
        if found is None:
            self.follow_current = True
            return self.selected()
        return found

    def select(self, activity_id: int) -> None:
        current = self.current()
        self.follow_current = current is not None and current.id == activity_id
        self.selected_id = activity_id
        self.mark("runsheet", "current", "people", "counts")
        self.flush_now()

    # --- actions ----------------------------------------------------------------------------

    async def attempt(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run a service of this seminar, ``service(db, seminar_id, *args)``, off the event loop; its
        refusal is shown to the facilitator in their language. True when it succeeded."""
        return await attempt(service, self.db, self.sid, *args, **kwargs)

    def act(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Awaitable[bool]]:
        """A click's handler that runs ``attempt(service, *args)`` in its page (``in_page``), so its
        answer reaches the facilitator even when a live refresh redraws the button's row."""
        return in_page(lambda: self.attempt(service, *args, **kwargs))

    # --- dialogs ----------------------------------------------------------------------------

    def dialog(self) -> ui.dialog:
        """A dialog that survives redraws of the panel that opened it, deleted once closed; named
        after its first heading when it opens (``named_dialog``)."""
        assert self.dialog_host is not None
        with self.dialog_host:
            dialog = named_dialog()
        dialog.on("hide", dialog.delete)
        return dialog

    # --- redrawing --------------------------------------------------------------------------

    def register(self, name: str, redraw: Callable[[], Any]) -> None:
        self.parts[name] = redraw

    def mark(self, *names: str) -> None:
        self.dirty.update(names)

    def on_event(self, event: Event) -> None:
        for prefix, names in ROUTES.items():
            if event.topic.startswith(prefix):
                self.mark(*names)

    def flush_now(self) -> None:
        if not self.dirty:
            return
        names, self.dirty = self.dirty, set()
        with self.batch():
            for name in ORDER:
                if name in names and name in self.parts:
                    self.parts[name]()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Panels drawn inside share one load of the seminar, its activities…"""
        outer = self._cache is not None
        if not outer:
            self._cache = {}
        try:
            yield
        finally:
            if not outer:
                self._cache = None

    def start_live(self) -> None:
        hub.watch(self.sid, tuple(ROUTES), self.on_event)
        ui.timer(FLUSH_SECONDS, self.flush_now)
