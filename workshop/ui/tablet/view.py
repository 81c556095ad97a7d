"""The participant's tablet page: who I am, what the open activity asks of me, my cards.

Live: the page watches a few topics of its seminar. When the activity changes, the one
query for the new activity (and for the cards it shows) is shared by every tablet
handling the event, and only this tablet's activity panel is rebuilt. Card events
update the rows of a card list in place; votes of others are never sent to tablets.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import run, ui

from workshop.errors import WorkshopError
from workshop.events import Event
from workshop.models import Activity, Card, Interaction
from workshop.services import activities, participants, seminars, trajectories
from workshop.services.participants import Joined
from workshop.ui.access import forget_device
from workshop.ui.common import db, error_text, language_switch, tr
from workshop.ui.live import hub
from workshop.ui.tablet import data, drafts, panels
from workshop.ui.tablet.client import DROP_MESSAGE_JS, DROP_TOASTS_JS
from workshop.ui.tablet.mine import render_mine, show_newest
from workshop.ui.tablet.widgets import acknowledge
from workshop.ui.units import UnitsLine

log = logging.getLogger(__name__)

# What ``TabletView.read`` returns when the seminar or this participant no longer exists.
GONE = object()
# ``TabletView.shown`` before its first activity (or absence of one) is on screen.
NOTHING_SHOWN = object()

TOPICS = ("activity.changed", "seminar.", "group.changed", "participant.changed", "card.", "trajectory.changed")
# What the open activity, its cards and the progress depend on; tablets opened while no such event
# came (and within OPENING_SECONDS) share one read of them, as open tablets share one per event.
OPENING_TOPICS = ("activity.changed", "seminar.", "card.")
OPENING_SECONDS = 2.0


class TabletView:
    def __init__(self, seminar, joined: Joined) -> None:
        self.seminar_id: int = seminar.id
        self.title: str = seminar.title
        self.horizon: int = seminar.horizon_year
        self.themes = list(seminar.themes)
        self.theme_by_id = {t.id: t.label for t in self.themes}
        self.groups = {g.id: g.name for g in seminar.groups}
        self.joined = joined
        self.token = joined.device_token
        self.kit = data.kit_for(seminar.kit_name)
        self.activity: Activity | None = None
        self.shown: int | None | object = NOTHING_SHOWN  # the id of the activity on screen (None: none)
        self.phase = "before"  # when nothing is open: "before", "between" or "finished"
        self.next_title: str | None = None
        self.closing: seminars.ClosingFigures | None = None  # what the room did, for the end screen
        self.signature: tuple | None | object = object()
        self.cards: list[Card] = []
        self.personal = data.Personal()
        self.drafts: dict[int, data.Draft] = {}
        self.draft_restorers: dict[str, Callable[[dict], None]] = {}  # the form on screen, by draft key
        self.busy = False
        self.fresh = False  # a participant created a moment ago (nothing of theirs to load)
        self.generation = 0
        self.vote_lock = asyncio.Lock()
        self.card_sync: Callable[[list[Card]], None] | None = None
        # the trajectory panel: its live hook, and what was chosen or typed (kept across rebuilds)
        self.trajectory_sync: Callable[[list], None] | None = None
        self.trajectory_state: dict = {}
        self.mine_ids: set[int] = set()
        self.newest_row: ui.element | None = None  # the newest of "my contributions"
        self.has_bar = False
        self.root: ui.column
        self.panel: ui.column
        self.mine: ui.column
        self.identity: UnitsLine

    # --- page ---------------------------------------------------------------------------

    def build(self) -> None:
        with ui.column().classes("tablet-root gap-4") as self.root:
            # The seminar and who the participant is, in as few lines as a phone allows: the language
            # switch floats at the top right, the title's lines and the name's wrap around it and then
            # take the whole width; on a phone, the title one line beside the switch and the name under
            # both (style.py, .tablet-head). No toast covers it (client.TOASTS_JS keeps clear of .keep-clear).
            with ui.element("header").classes("tablet-head keep-clear").mark("tablet-head"):
                language_switch(touch=True)
                # on a phone, one line ended with « … » (style.py); a tap shows it whole, another one line again
                ui.label(self.title).classes("text-sm muted wrap-text seminar-title").mark("seminar-title").on(
                    "click", js_handler="(event) => event.currentTarget.classList.toggle('is-whole')")
                # « Bastien L. · acteur économique · Table Citadelle », wrapped between its parts only
                self.identity = UnitsLine(self.identity_text()).classes("identity wrap-text").mark("identity")
            # What taps made offline became, once the connection is back (filled by client.py).
            ui.html('<div class="offline-dropped banner banner-warn" role="alert" hidden></div>',
                    sanitize=False).classes("w-full")
            self.panel = ui.column().classes("w-full gap-4 tablet-panel").props('aria-live="polite"').mark(
                "activity-panel")
            self.mine = ui.column().classes("w-full")
            self.dialogs = ui.element("div")  # survives rebuilds of the panel and of my cards
        ui.on(drafts.EVENT, lambda e: drafts.on_restore(self, e.args))

    def identity_text(self) -> str:
        college = tr(f"college_name.{self.joined.college.value}")
        table = self.groups.get(self.joined.group_id) if self.joined.group_id else None
        if table:
            return tr("tablet.identity_table", name=self.joined.display_name, college=college, table=table)
        return tr("tablet.identity", name=self.joined.display_name, college=college)

    def draft(self, activity: Activity, kind: str | None = None) -> data.Draft:
        """The card being written in this activity (one per activity; its kind can change)."""
        if activity.id not in self.drafts:
            self.drafts[activity.id] = data.Draft(kind=kind or (activity.card_kinds or ["word"])[0])
        return self.drafts[activity.id]

    def theme_label(self, theme_id: int | None) -> str | None:
        return self.theme_by_id.get(theme_id) if theme_id is not None else None

    def theme_label_by_key(self, key: str | None) -> str:
        return next((t.label for t in self.themes if t.key == key), key or "")

    # --- showing an activity -----------------------------------------------------------

    async def show(self, activity: Activity | None, cards: list[Card] | None = None,
                   progress: activities.Progress | None = None,
                   closing: seminars.ClosingFigures | None = None) -> None:
        """Rebuild the activity panel (and my cards) for ``activity``; the newest call wins."""
        self.generation += 1
        generation = self.generation
        try:
            if cards is None and data.needs_cards(activity):
                cards = await run.io_bound(data.load_cards, self.seminar_id, data.wall_kinds(activity))
            if activity is None and progress is None:
                progress = await run.io_bound(activities.progress, db(), self.seminar_id)
            if closing is None and progress is not None and progress.phase == "finished":
                closing = await run.io_bound(seminars.closing_figures, db(), self.seminar_id)
            if self.fresh and (activity is None or activity.interaction is not Interaction.TRAJECTORY):
                personal = data.Personal()  # someone who has just joined has no card, vote or rating yet
            else:
                personal = await run.io_bound(data.load_personal, self.token, activity)
            self.fresh = False
        except WorkshopError as exc:
            if generation == self.generation:
                self.gone(error_text(exc))
            return
        if generation != self.generation or personal is None:  # superseded, or the server is stopping
            return
        shown = activity.id if activity is not None else None
        idle = ("idle", *((progress.phase, progress.next_title) if progress else (self.phase, self.next_title)))
        signature = data.signature(activity) if activity is not None else idle
        if self.shown is not NOTHING_SHOWN and shown != self.shown:
            self.root.client.run_javascript(DROP_TOASTS_JS)  # toasts about the previous activity go
        elif self.shown is not NOTHING_SHOWN and signature != self.signature:
            self.root.client.run_javascript(DROP_MESSAGE_JS)  # « Connexion revenue : … » was about what it showed
        self.shown = shown
        self.activity = activity
        if progress is not None:
            self.phase, self.next_title = progress.phase, progress.next_title
        self.closing = closing
        self.signature = signature
        self.cards = list(cards or [])
        self.personal = personal
        self.card_sync = None
        self.trajectory_sync = None
        self.draft_restorers = {}
        self.has_bar = False
        self.panel.clear()
        with self.panel:
            self.card_sync = panels.render(self, activity)
        if self.has_bar:
            self.root.classes(add="has-bar")
        else:
            self.root.classes(remove="has-bar")
        self.render_mine()

    def render_mine(self) -> None:
        self.mine_ids = {c.id for c in self.personal.own}
        self.mine.clear()
        with self.mine:
            self.newest_row = render_mine(self)

    async def read(self, query: Callable[..., Any], *args: Any) -> Any:
        """``query(*args)`` off the event loop; ``GONE`` (the screen says so) when the seminar or
        this participant no longer exists, None when the server is stopping."""
        try:
            return await run.io_bound(query, *args)
        except WorkshopError as exc:
            self.gone(error_text(exc))
            return GONE

    async def refresh_mine(self) -> None:
        from workshop.services import cards as card_service

        own = await self.read(card_service.own_cards, db(), self.token)
        if own is None or own is GONE:  # None: the server is shutting down
            return
        self.personal.own = own
        self.render_mine()

    async def show_sent(self, message: str) -> None:
        """After a card is sent: "my contributions" again, the new card in sight, then the toast
        saying so (``message``, a catalogue key). NiceGUI sends the scroll's script (not awaited) after
        the toast, and the row may be drawn later still: once the card has moved, the scroll tells the
        toast to look for its place again (client.TOASTS_JS steps off the cards' text as it comes in)."""
        await self.refresh_mine()
        show_newest(self.newest_row)
        acknowledge(message)

    def gone(self, message: str) -> None:
        """The seminar or this participant no longer exists: say so, stop showing activities."""
        self.generation += 1
        self.card_sync = None
        self.trajectory_sync = None
        try:
            forget_device(self.seminar_id)
        except RuntimeError:
            # Called from a live event (an erased participant, a deleted seminar): no request
            # here to reach the browser's storage. The join page forgets stale devices itself.
            pass
        if getattr(self, "identity", None) is not None:  # an erased name leaves the screen too
            self.identity.set_text("")
        self.panel.clear()
        self.mine.clear()
        with self.panel:
            with ui.element("div").classes("banner banner-stop").props('role="alert"'):
                ui.label(message)
            ui.button(tr("tablet.back_home"), on_click=lambda: ui.navigate.to("/")).props(
                "unelevated size=lg color=primary no-caps").classes("w-full")

    # --- live ----------------------------------------------------------------------------

    def watch(self) -> None:
        hub.watch(self.seminar_id, TOPICS, self.on_event)
        hub.track_presence(self.seminar_id, self.joined.participant_id)

    def on_event(self, event: Event):
        """Runs for each matching event; shared queries happen here, per-tablet work is returned."""
        topic = event.topic
        sid = self.seminar_id
        if topic == "activity.changed":
            activity = hub.shared(("tablet.current", sid), lambda: activities.current_activity(db(), sid))
            progress = None
            closing = None
            if activity is None:
                progress = hub.shared(("tablet.progress", sid), lambda: activities.progress(db(), sid))
                if ("idle", progress.phase, progress.next_title) == self.signature:
                    return None
                if progress.phase == "finished":  # the end screen says what the room did: one read for all
                    closing = hub.shared(("tablet.closing", sid), lambda: seminars.closing_figures(db(), sid))
            elif data.signature(activity) == self.signature:
                return None
            cards = None
            if data.needs_cards(activity):
                kinds = data.wall_kinds(activity)
                cards = hub.shared(("tablet.cards", sid, kinds), lambda: data.load_cards(sid, kinds))
            return self.show(activity, cards, progress, closing)
        if topic.startswith("card."):
            return self.on_card_event(event)
        if topic == "trajectory.changed":
            if self.trajectory_sync is not None:
                listed = hub.shared(("tablet.trajectories", sid), lambda: trajectories.list_trajectories(db(), sid))
                self.trajectory_sync(listed)
            return None
        if topic == "seminar.deleted":
            self.gone(tr("tablet.seminar_deleted"))
            return None
        if topic == "participant.changed" and event.data.get("participant_id") == self.joined.participant_id:
            return self.reload_identity()
        if topic == "group.changed":
            groups = hub.shared(("tablet.groups", sid), lambda: seminars.get_seminar_for_tablets(db(), sid).groups)
            self.groups = {g.id: g.name for g in groups}
            self.identity.set_text(self.identity_text())
        return None

    def on_card_event(self, event: Event):
        ids = {event.data.get("card_id"), *event.data.get("merged", ())}
        activity = self.activity
        if self.card_sync is not None and activity is not None:
            kinds = data.wall_kinds(activity)
            created_kind = event.data.get("kind") if event.topic == "card.created" else None
            if not (created_kind and kinds and created_kind not in kinds):
                sid = self.seminar_id
                self.cards = hub.shared(("tablet.cards", sid, kinds), lambda: data.load_cards(sid, kinds))
                self.card_sync(self.cards)
        if self.mine_ids & ids:
            return self.refresh_mine()
        return None

    async def reload(self) -> None:
        """Read the open activity and its cards again (events came while the page was being built)."""
        activity = await self.read(activities.current_activity, db(), self.seminar_id)
        if activity is not GONE:
            await self.show(activity)

    async def reload_identity(self) -> None:
        joined = await self.read(participants.resume, db(), self.token)
        if joined is None or joined is GONE:
            return
        self.joined = joined
        if self.joined.group_id and self.joined.group_id not in self.groups:
            seminar = await self.read(seminars.get_seminar_for_tablets, db(), self.seminar_id)
            if seminar is None or seminar is GONE:
                return
            self.groups = {g.id: g.name for g in seminar.groups}
        self.identity.set_text(self.identity_text())
        if self.trajectory_sync is not None:  # moved to another table: show that table's trajectories
            await self.show(self.activity, self.cards)


@dataclass
class Opening:
    """What a tablet page needs before it shows anything, read in one trip off the event loop."""

    joined: Joined
    seminar: Any
    activity: Activity | None
    cards: list[Card] | None
    progress: activities.Progress | None


def _opening(seminar_id: int, token: str, joined: Joined | None, seminar,
             shared: tuple | None = None) -> Opening | None:
    """Off the event loop; ``shared``: the activity, cards and progress another tablet read just before."""
    if joined is None:
        joined = participants.resume(db(), token)
    if joined.seminar_id != seminar_id:
        return None
    if seminar is None or seminar.id != seminar_id:
        seminar = seminars.get_seminar_for_tablets(db(), seminar_id)
    if shared is not None:
        return Opening(joined, seminar, *shared)
    activity = activities.current_activity(db(), seminar_id)
    cards = data.load_cards(seminar_id, data.wall_kinds(activity)) if data.needs_cards(activity) else None
    progress = activities.progress(db(), seminar_id) if activity is None else None
    return Opening(joined, seminar, activity, cards, progress)


async def tablet_page(seminar_id: int, token: str, joined: Joined | None = None, seminar=None,
                      before_build: Callable[[str], None] | None = None) -> bool:
    """Build the tablet for this device; False when the device is not (or no longer) known.

    ``joined`` and ``seminar``: the participant who has just joined and the seminar the join
    page read (it builds the tablet in place, without reading them again). Everything is read
    first, in one trip off the event loop, then the page is built without waiting, so the
    browser gets it in one message; ``before_build(title)`` runs just before, in place of setting
    the page title (the join page clears its form and sets address and title there). Live events
    that arrive during the read make the tablet read again once built.
    """
    missed: list[Event] = []

    def note(event: Event) -> None:  # until the view watches: what changed is read again once built
        if event.topic != "participant.changed" or joined is None \
                or event.data.get("participant_id") == joined.participant_id:
            missed.append(event)

    unwatch = hub.watch(seminar_id, TOPICS, note)
    fresh = joined is not None
    key = ("tablet.opening", str(db().engine.url), seminar_id)
    version = hub.version(seminar_id, OPENING_TOPICS)
    shared = hub.recall(key, version, OPENING_SECONDS)
    try:
        if shared is not None and joined is not None and joined.seminar_id == seminar_id \
                and seminar is not None and seminar.id == seminar_id:
            opening = Opening(joined, seminar, *shared)  # just joined: nothing left to read
        else:
            opening = await run.io_bound(_opening, seminar_id, token, joined, seminar, shared)
            if opening is not None and shared is None and hub.version(seminar_id, OPENING_TOPICS) == version:
                hub.remember(key, version, (opening.activity, opening.cards, opening.progress))
    except WorkshopError:
        forget_device(seminar_id)
        return False
    finally:
        unwatch()
    if opening is None:
        return False
    title = f"{opening.seminar.title} · {tr('tablet.page_title')}"
    if before_build is not None:
        before_build(title)
    else:
        ui.page_title(title)
    view = TabletView(opening.seminar, opening.joined)
    view.fresh = fresh and not opening.joined.rejoined
    view.build()
    view.watch()
    await view.show(opening.activity, opening.cards, opening.progress)
    if any(event.topic == "participant.changed" for event in missed):
        await view.reload_identity()
    if any(event.topic != "participant.changed" for event in missed):
        await view.reload()
    return True
