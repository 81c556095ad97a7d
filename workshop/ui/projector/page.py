"""The projector screen: ``/screen/{seminar_id}``, read-only, full screen in the room.

What it shows is chosen by the facilitator (``services.screen.ScreenState``) and follows
the seminar live: the header (activity, countdown, people connected) changes in place;
the main view is rebuilt only when the facilitator changes it or the activity changes
(and once when a wall gets its first card or loses its last: the instructions move);
inside a view, one event changes one thing (a card is appended to or removed from the
wall, a chart is redrawn). Vote bursts are coalesced by the page's one timer.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import fields
from typing import Any

from nicegui import background_tasks, context, ui
from nicegui.elements.mixins.text_element import TextElement
from starlette.requests import Request

from workshop.content import ContentError, find_kit
from workshop.events import Event
from workshop.i18n import catalogue, translate
from workshop.models import (
    Activity,
    ActivityMode,
    ActivityState,
    CardKind,
    Interaction,
    Theme,
)
from workshop.services import activities, screen, seminars
from workshop.services.projector_queries import cards_by_ids, wall_has_cards
from workshop.services.screen import ScreenState
from workshop.ui.access import require_facilitator
from workshop.ui.common import (
    clock_text,
    db,
    join_url,
    lang,
    page_setup,
)
from workshop.ui.live import hub
from workshop.ui.projector.assets import CSS
from workshop.ui.projector.base import FLUSH_SECONDS, RESULTS_GAP, VOTING
from workshop.ui.projector.graph_views import (
    GRAPH_CSS,
    GRAPH_VIEWS,
    MIN_INTERVAL,
    GraphView,
    TrajectoriesView,
)
from workshop.ui.projector import panels
from workshop.ui.projector.clustered_wall import ClusterWallView
from workshop.ui.projector.pages import PageCount
from workshop.ui.projector.results import ResultsView
from workshop.ui.projector.synthesis import CSS as SYNTHESIS_CSS, SynthesisView
from workshop.ui.units import UNITS_CSS
from workshop.ui.projector.views import CloudView, FocusView
from workshop.ui.projector.script import JS
from workshop.ui.projector.wall import WallView

TOPICS = ("activity.changed", "card.", "vote.changed", "rating.changed", "robustness.changed", "screen.changed",
          "presence.changed", "seminar.changed", "link.changed", "trajectory.changed", "cluster.changed",
          "report.text_changed")

# --- the page --------------------------------------------------------------------------------


class ProjectorScreen:
    """One projector page: its state, its elements and its live handlers."""

    def __init__(self, seminar_id: int, request: Request, language: str) -> None:
        self.sid = seminar_id
        self.lang = language
        self.seminar = seminars.get_seminar_by_id(db(), seminar_id)
        self.themes: dict[int, Theme] = {t.id: t for t in self.seminar.themes}
        self.activities: list[Activity] = list(self.seminar.activities)
        self.state = screen.get_screen(db(), seminar_id)
        self.url = join_url(request, self.seminar.join_code)
        base = self.url.rsplit("/join/", 1)[0]
        self.address = base.removeprefix("http://")
        self.criteria_labels = self._criteria_labels()
        self.view: Any = None
        self.body_key: tuple | None = None
        # whether the wall on screen was built empty (its instructions in the main area) or not;
        # None when that does not matter (another view, or no instructions)
        self.wall_empty: bool | None = None
        self.results_dirty = False
        self.cloud_dirty = False
        self.graph_dirty = False
        self.graph_drawn = 0.0  # monotonic time of the last redraw of a graph view
        self.flushing = False
        self.kicked = False  # a results redraw is scheduled
        self.results_drawn = 0.0  # monotonic time of the last results redraw

    # --- helpers ---------------------------------------------------------------------------

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def count(self, name: str, n: int) -> str:
        """A count with its noun agreeing with it (« 1 votant », « 3 votants »): ``projector.count.<name>``."""
        return translate(f"projector.count.{name}", self.lang, count=n)

    def number(self, value: float) -> str:
        text = f"{value:.1f}"
        return text.replace(".", ",") if self.lang == "fr" else text

    def _criteria_labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        try:
            labels = {c.key: c.label for c in find_kit(self.seminar.kit_name).criteria}
        except ContentError:  # a kit renamed or removed since: fall back to the catalogue
            pass
        known = catalogue(self.lang)
        for key in ("likelihood", "impact", "urgency", "feasibility"):
            if f"projector.criterion.{key}" in known or key not in labels:
                labels[key] = self.t(f"projector.criterion.{key}")
        return labels

    @property
    def current(self) -> Activity | None:
        return next((a for a in self.activities if a.state is ActivityState.OPEN), None)

    def latest(self, interactions: tuple[Interaction, ...]) -> Activity | None:
        """The open activity if it has one of these interactions, else the last one played."""
        current = self.current
        if current is not None and current.interaction in interactions:
            return current
        played = [a for a in self.activities if a.interaction in interactions and a.started_at is not None]
        return played[-1] if played else None

    def resolved_view(self) -> str:
        view = self.state.view
        if view != "activity":
            return view
        activity = self.current
        if activity is None:
            # before the first activity, between two, or after the last one: each its own screen
            return {"before": "welcome", "between": "between", "finished": "finished"}.get(
                activities.progress_of(self.activities).phase, "welcome")
        # the run sheet's choice for this activity; « join » (a welcome, while people come in)
        # gives way to the activity's own view once the code is not to be shown (the console's
        # switch off, or joining closed): the welcome's text in large, not a closed sign
        if activity.screen and (activity.screen != "join" or self.join_visible()):
            return activity.screen
        if activity.interaction is Interaction.WORD:
            return "wordcloud"
        if activity.interaction in VOTING:
            return "results"
        if activity.interaction is Interaction.TRAJECTORY:
            return "trajectories"
        if activity.interaction in (Interaction.CONTRIBUTE, Interaction.LINK) or activity.card_kinds:
            return "wall"
        return "instructions"

    def results_revealed(self) -> bool:
        """Revealed by the facilitator, or put on screen by the run sheet (``screen: results``) of an
        activity that is not a vote itself: a restitution, once the vote it shows is over."""
        activity = self.current
        return self.state.reveal_results or (
            self.state.view == "activity" and activity is not None and activity.screen == "results"
            and activity.interaction not in VOTING)

    def wall_kinds(self) -> list[str]:
        activity = self.current
        if activity is not None and activity.card_kinds:
            return [k.value for k in CardKind if k.value in activity.card_kinds]
        return [k.value for k in CardKind if k is not CardKind.WORD]

    def join_visible(self) -> bool:
        return self.state.show_join and self.seminar.joining_open

    # --- building ------------------------------------------------------------------------------

    def build(self) -> None:
        ui.add_css(CSS + GRAPH_CSS + SYNTHESIS_CSS + UNITS_CSS)
        ui.add_body_html(JS)
        with ui.element("div").classes("v21p"):
            self._header()
            self.body = ui.element("div").classes("v21p-body")
        button = TextElement(tag="button", text=self.t("projector.fullscreen")).classes("v21p-fs")
        button.props["type"] = "button"
        button.on("click", js_handler="() => window.v21p && window.v21p.fullscreen()")
        self.update_header()
        self.render_body()
        hub.watch(self.sid, TOPICS, self.on_event)
        PageCount(self.sid).start()  # the pages its script counts, for the console
        self.client = context.client
        ui.timer(FLUSH_SECONDS, self.flush)

    def _header(self) -> None:
        with ui.element("header").classes("v21p-head"):
            with ui.element("div").classes("v21p-head-text"):
                self.context_label = ui.label().classes("v21p-context").mark("header-context")
                self.title_label = ui.label().classes("v21p-title").props(
                    'role="heading" aria-level="1" data-fit-max="4.6" data-fit-min="3"')
            self.clock = ui.element("div").classes("v21p-clock").props('role="timer"')
            self.clock.props["data-l-left"] = self.t("projector.time_left")
            self.clock.props["data-l-paused"] = self.t("projector.paused")
            self.clock.props["data-l-over"] = self.t("projector.over_time")
            with self.clock:
                self.clock_label = ui.label(self.t("projector.time_left")).classes("v21p-clock-label")
                self.clock_time = ui.label().classes("v21p-clock-time")
            self.people = ui.element("div").classes("v21p-people").props('role="status"')
            with self.people:
                self.people_count = ui.label().classes("v21p-people-count").mark("people-count")
                self.people_label = ui.label().classes("v21p-people-label").mark("people-label")
            self._set_people(hub.connected_count(self.sid))
            self.people.set_visibility(self.state.show_attendance)

    def _set_people(self, count: int) -> None:
        self.people_count.set_text(str(count))
        self.people_label.set_text(self.t("projector.connected", count=count))  # « 1 connecté », « 2 connectés »
        self.people.props["aria-label"] = self.t("projector.connected_aria", count=count)

    def update_header(self) -> None:
        activity = self.current
        context = [self.seminar.territory, self.t("projector.horizon", year=self.seminar.horizon_year)]
        if activity is not None:
            if len({a.day for a in self.activities} | {activity.day}) > 1:  # « jour 1 » of a one-day seminar says nothing
                context.append(self.t("projector.day", day=activity.day))
            context.append(self.t("projector.mode_groups" if activity.mode is ActivityMode.GROUPS
                                  else "projector.mode_plenary"))
        self.context_label.set_text(" · ".join(context))
        self.title_label.set_text(activity.title if activity else self.seminar.title)
        ui.page_title(self.t("projector.page_title", title=activity.title if activity else self.seminar.title))
        if activity is None:
            self.clock.set_visibility(False)
            return
        remaining = activities.remaining_seconds(activity)
        paused = activity.paused_at is not None
        self.clock.props["data-remaining"] = str(remaining)
        self.clock.props["data-paused"] = "1" if paused else "0"
        self.clock.props["data-rev"] = str(int(self.clock.props.get("data-rev", "0")) + 1)
        self.clock_time.set_text(clock_text(remaining))
        self.clock_label.set_text(self.t("projector.paused" if paused else
                                         "projector.over_time" if remaining < 0 else "projector.time_left"))
        self.clock.set_visibility(True)

    def render_body(self, fresh: frozenset[int] = frozenset()) -> None:
        """(Re)build the main view and the side panel, only when what they show changed.

        ``fresh``: cards just arrived, highlighted on a rebuilt wall as they are when appended."""
        view = self.resolved_view()
        activity = self.current
        # The map needs the whole width: no side panel beside it.
        # Revealed results and the trajectories take the whole screen (they are what the room reads).
        # So does the synthesis: the room reads it, the QR code and the instructions have had their time.
        revealed = (view == "results" and self.results_revealed()) or view in ("trajectories", "synthesis")
        side_join = self.join_visible() and view not in ("join", "card", "graph", "clusters", "finished") and not revealed
        instructions = activity.participant_instructions.strip() if activity else ""
        wall_empty = not self._wall_has_cards() if view == "wall" and instructions else None
        # While a vote's results are hidden, or the wall has no card yet, the main area holds a line
        # or a few: the instructions are read there, large, rather than squeezed beside the QR code.
        main_instructions = bool(instructions) and (wall_empty is True or (
            view == "results" and not self.state.reveal_results and activity.interaction in VOTING))
        side_instructions = bool(instructions) and not main_instructions and view not in (
            "instructions", "join", "card", "welcome", "graph", "clusters", "between", "finished") and not revealed
        progress = activities.progress_of(self.activities)
        key = (view, activity.id if activity else None, side_join, side_instructions, main_instructions,
               instructions if side_instructions or main_instructions else None, progress,
               self.state.focus_card_id if view == "card" else None,
               self.results_revealed() if view == "results" else None,
               self.seminar.joining_open if view == "join" else None)
        if key == self.body_key:
            if isinstance(self.view, WallView):
                self.view.set_page(self.state.wall_page)
            return
        self.body_key = key
        self.wall_empty = wall_empty
        self.results_dirty = self.cloud_dirty = self.graph_dirty = False
        self.body.clear()
        wide = not (side_join or side_instructions)
        with self.body:
            main = ui.element("main").classes("v21p-main")
            if not wide:
                with ui.element("aside").classes("v21p-side"):
                    if side_join:
                        panels.join_panel(self)
                    if side_instructions:
                        # too long for the panel at the smallest size: cut after a word, and
                        # the note below says where the rest is (assets.py's fit)
                        # beside a wall of few columns the panel widens (assets.py's snug): larger type
                        panels.instructions_panel(self, instructions, "v21p-instr", fit_max=2.9, fit_min=2.1,
                                                 fit_wide=5.2)
        with main:
            self.view = self._build_view(view, wide, instructions if main_instructions else None, fresh)
        self._wall_follow()  # a card came between the question above and the wall's own read

    def _wall_has_cards(self) -> bool:
        """Whether the wall to show has a card: the wall on screen knows (events keep it up to
        date) when it shows the same kinds; otherwise one row is read."""
        kinds = self.wall_kinds()
        if isinstance(self.view, WallView) and self.view.kinds == kinds:
            return bool(self.view.shown)
        return wall_has_cards(db(), self.sid, kinds)

    def _wall_follow(self, fresh: frozenset[int] = frozenset()) -> None:
        """The wall's first card arrived, or its last one left: the instructions move between the
        main area and the side panel, at the cost of one rebuild (later cards are appended)."""
        if isinstance(self.view, WallView) and self.wall_empty is not None and self.wall_empty == bool(self.view.shown):
            self.render_body(fresh)

    def _build_view(self, view: str, wide: bool, instructions: str | None = None,
                    fresh: frozenset[int] = frozenset()) -> Any:
        if view == "clusters":
            return ClusterWallView(self, wide)
        if view == "wall":
            return WallView(self, self.wall_kinds(), wide, instructions, fresh)
        if view == "results":
            return ResultsView(self, self.latest(VOTING), wide, instructions)
        if view == "wordcloud":
            return CloudView(self, self.latest((Interaction.WORD,)), wide)
        if view == "card":
            return FocusView(self, self.state.focus_card_id)
        if view == "graph":
            self.graph_drawn = time.monotonic()
            return GraphView(self)
        if view == "trajectories":
            self.graph_drawn = time.monotonic()
            return TrajectoriesView(self, wide)
        if view == "synthesis":
            return SynthesisView(self)
        if view == "join":
            panels.big_join(self)
        elif view == "instructions":
            activity = self.current
            ui.label(activity.participant_instructions.strip() if activity else "").classes("v21p-bigtext").props(
                'data-fit-max="5" data-fit-min="2.6"')
        elif view == "between":
            upcoming = activities.progress_of(self.activities).next_title
            # the seminar's title is in the header already
            panels.message(self, self.t("room.projector.between"),
                           self.t("room.tablet.next", title=upcoming) if upcoming else None)
        elif view == "finished":
            panels.closing(self)
        else:  # welcome: nothing open yet (the territory and horizon are in the header's context line)
            panels.message(self, self.seminar.title, self.t("projector.welcome"))
        return None

    # --- live updates ----------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        topic = event.topic
        if isinstance(self.view, (ClusterWallView, SynthesisView)):
            self.view.on_event(event)
        if topic == "screen.changed":
            known = {f.name for f in fields(ScreenState)}
            self._take_state(ScreenState(**{k: v for k, v in event.data.items() if k in known}))
            self.render_body()
        elif topic == "activity.changed":
            self.activities = activities.list_activities(db(), self.sid)
            # A new activity brings the screen back to its view, results hidden, wall on its first
            # page (services.screen.follow_activity): read it all now, so that the page is built
            # once, as it must look, not with the last vote's results revealed until the
            # "screen.changed" that follows (which then changes nothing).
            self._take_state(screen.get_screen(db(), self.sid))
            self.update_header()
            self.render_body()
            self.results_dirty = True  # votes may have opened or closed
        elif topic.startswith("card."):
            self._on_cards(event)
            if isinstance(self.view, GRAPH_VIEWS):
                self.graph_dirty = True
        elif topic in ("vote.changed", "rating.changed", "robustness.changed"):
            self.results_dirty = True
            self.kick()
            if isinstance(self.view, GraphView) and topic != "robustness.changed":
                self.graph_dirty = True  # dots size the cards, ratings weigh the threats
        elif topic == "link.changed":
            if isinstance(self.view, GraphView):
                self.graph_dirty = True
        elif topic == "trajectory.changed":
            if isinstance(self.view, TrajectoriesView):
                self.graph_dirty = True
        elif topic == "presence.changed":
            self._set_people(int(event.data.get("connected", hub.connected_count(self.sid))))
        elif topic == "seminar.changed":
            self.seminar = seminars.get_seminar_by_id(db(), self.sid)
            self.themes = {t.id: t for t in self.seminar.themes}
            self.render_body()

    def _take_state(self, state: ScreenState) -> None:
        previous, self.state = self.state, state
        if previous.show_attendance != state.show_attendance:
            self.people.set_visibility(state.show_attendance)
            self._set_people(hub.connected_count(self.sid))

    def _on_cards(self, event: Event) -> None:
        data = event.data
        ids = list(data.get("card_ids") or []) + ([data["card_id"]] if data.get("card_id") is not None else [])
        ids += list(data.get("merged") or [])
        view = self.view
        if data.get("kind") == CardKind.WORD.value or isinstance(view, CloudView):
            self.cloud_dirty = True
        if isinstance(view, ResultsView):
            self.results_dirty = True
        if isinstance(view, (WallView, FocusView)) and ids:
            key = ("projector.cards", self.sid, tuple(sorted(set(ids))))
            changed = hub.shared(key, lambda: cards_by_ids(db(), self.sid, ids))
            view.apply(changed)
            self._wall_follow(frozenset(ids))

    def kick(self) -> None:
        """Redraw the results soon after a vote (the timer is only the safety net)."""
        if self.kicked or self.flushing or not isinstance(self.view, ResultsView):
            return
        self.kicked = True
        delay = max(0.0, self.results_drawn + RESULTS_GAP - time.monotonic())

        async def later() -> None:
            await asyncio.sleep(delay)
            self.kicked = False
            if not self.client.is_deleted:
                with self.client:
                    await self.flush()

        background_tasks.create(later(), name="projector results redraw")

    async def flush(self) -> None:
        """Redraw results, the word cloud or the map when something changed (the timer's tick, or a kick)."""
        if self.flushing:
            return
        self.flushing = True
        try:
            view = self.view
            if self.results_dirty and isinstance(view, ResultsView):
                self.results_dirty = False
                self.results_drawn = time.monotonic()
                await view.reload()
            if self.cloud_dirty and isinstance(view, CloudView):
                self.cloud_dirty = False
                await view.reload()
            if (self.graph_dirty and isinstance(view, GRAPH_VIEWS)
                    and time.monotonic() - self.graph_drawn >= MIN_INTERVAL):
                self.graph_dirty = False
                self.graph_drawn = time.monotonic()
                await view.reload()
        finally:
            self.flushing = False
        if self.results_dirty:
            self.kick()  # votes came in while redrawing


# --- registration ------------------------------------------------------------------------------


def register() -> None:
    @ui.page("/screen/{seminar_id}")
    def projector_page(seminar_id: int, request: Request) -> None:
        if not require_facilitator(seminar_id, next_path=f"/screen/{seminar_id}"):
            return
        language = lang()
        page_setup(translate("projector.page_title", language, title="Visions +21"))
        try:
            projector = ProjectorScreen(seminar_id, request, language)
        except Exception as exc:  # unknown seminar: say so in words
            from workshop.errors import WorkshopError

            if not isinstance(exc, WorkshopError):
                raise
            ui.label(translate("projector.not_found", language)).classes("text-3xl p-8")
            return
        projector.build()
