"""The projector screen: ``/screen/{seminar_id}``, read-only, full screen in the room.

What it shows is chosen by the facilitator (``services.screen.ScreenState``) and follows
the seminar live: the header (activity, countdown, people connected) changes in place;
the main view is rebuilt only when the facilitator changes it or the activity changes;
inside a view, one event changes one thing (a card is appended to or removed from the
wall, a chart is redrawn). Vote bursts are coalesced by the page's one timer.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field, fields
from typing import Any

from nicegui import background_tasks, context, run, ui
from nicegui.elements.mixins.text_element import TextElement
from starlette.requests import Request

from workshop.content import ContentError, find_kit
from workshop.events import Event
from workshop.i18n import catalogue, translate
from workshop.models import Activity, ActivityMode, ActivityState, Card, CardKind, College, Interaction, Theme
from workshop.services import activities, cards, screen, seminars, votes
from workshop.services.projector_queries import cards_by_ids
from workshop.services.screen import ScreenState
from workshop.services.wordcloud import place_words, word_frequencies
from workshop.ui.common import clock_text, db, join_url, lang, page_setup, require_facilitator
from workshop.ui.live import hub
from workshop.ui.projector import charts
from workshop.ui.projector.assets import CSS, JS, KIND_INK
from workshop.ui.projector.graph_views import GRAPH_CSS, GRAPH_VIEWS, MIN_INTERVAL, GraphView, TrajectoriesView
from workshop.ui.projector.qr import qr_svg

TOPICS = ("activity.changed", "card.", "vote.changed", "rating.changed", "robustness.changed", "screen.changed",
          "presence.changed", "seminar.changed", "link.changed", "trajectory.changed")
VOTING = (Interaction.DOT_VOTE, Interaction.RATE, Interaction.ROBUSTNESS)
FLUSH_SECONDS = 0.4
# Vote results are redrawn as soon as a vote comes in (not at the next timer tick), at most
# once per RESULTS_GAP seconds: a burst of votes still costs a few redraws, not one per vote,
# and the projector's browser redraws its chart at most 25 times a second. (With 100 ms, the
# p50 vote -> projector latency in bench/load_benchmark.py was 61 ms; with 40 ms, 31 ms.)
RESULTS_GAP = 0.04
TOP_CARDS = 10
THEMED_KINDS = ("stake", "threat", "resource", "challenge", "current_action", "action_lead")

# Reference drawing sizes (pixels of a 1920x1080 screen) of the chart area of each layout.
CHART_W_SIDE, CHART_W_WIDE, CHART_H = 1300, 1850, 780

_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def _color(value: str | None, default: str = "#64748b") -> str:
    return value if value and _COLOR.match(value) else default


# --- data for the results view, loaded off the event loop -----------------------------------


@dataclass
class ResultsData:
    voters: int
    tallies: list[votes.CardTally] = field(default_factory=list)
    ratings: list[tuple[Card, dict[str, float]]] = field(default_factory=list)
    matrix: list[votes.RobustnessCell] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)


def load_results(seminar_id: int, activity: Activity) -> ResultsData:
    database = db()
    if activity.interaction is Interaction.DOT_VOTE:  # the busiest: redrawn while the whole room votes
        voters, tallies = votes.dot_vote_results(database, seminar_id, activity.id)
        return ResultsData(voters=voters, tallies=tallies)
    data = ResultsData(voters=len(votes.voters(database, seminar_id, activity.id)))
    if activity.interaction is Interaction.RATE:
        means = votes.mean_ratings(database, seminar_id)
        kinds = [CardKind(k) for k in activity.card_kinds] or None
        rated = [c for c in cards.list_cards(database, seminar_id, kinds=kinds) if c.id in means]
        data.ratings = [(c, means[c.id]) for c in rated]
    elif activity.interaction is Interaction.ROBUSTNESS:
        data.matrix = votes.robustness_matrix(database, seminar_id)
        ids = {cell.challenge_id for cell in data.matrix} | {cell.action_id for cell in data.matrix}
        data.labels = {c.id: c.text for c in cards_by_ids(database, seminar_id, sorted(ids)) if c.visible}
    return data


def load_cloud(seminar_id: int, activity_id: int | None, width: int, height: int):
    """The words of a one-word question, counted and laid out (off the event loop on updates)."""
    texts = [c.text for c in cards.list_cards(db(), seminar_id, kinds=[CardKind.WORD], activity_id=activity_id)]
    frequencies = word_frequencies(texts)
    return frequencies, place_words(frequencies, width=width, height=height, max_size=170, min_size=30)


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
            return "welcome"
        if activity.interaction is Interaction.WORD:
            return "wordcloud"
        if activity.interaction in VOTING:
            return "results"
        if activity.interaction is Interaction.TRAJECTORY:
            return "trajectories"
        if activity.interaction in (Interaction.CONTRIBUTE, Interaction.LINK) or activity.card_kinds:
            return "wall"
        return "instructions"

    def wall_kinds(self) -> list[str]:
        activity = self.current
        if activity is not None and activity.card_kinds:
            return [k.value for k in CardKind if k.value in activity.card_kinds]
        return [k.value for k in CardKind if k is not CardKind.WORD]

    def join_visible(self) -> bool:
        return self.state.show_join and self.seminar.joining_open

    # --- building ------------------------------------------------------------------------------

    def build(self) -> None:
        ui.add_css(CSS + GRAPH_CSS)
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
        self.client = context.client
        ui.timer(FLUSH_SECONDS, self.flush)

    def _header(self) -> None:
        with ui.element("header").classes("v21p-head"):
            with ui.element("div").classes("v21p-head-text"):
                self.context_label = ui.label().classes("v21p-context")
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
                self.people_count = ui.label().classes("v21p-people-count")
                ui.label(self.t("projector.connected")).classes("v21p-people-label")
            self._set_people(hub.connected_count(self.sid))
            self.people.set_visibility(self.state.show_attendance)

    def _set_people(self, count: int) -> None:
        self.people_count.set_text(str(count))
        self.people.props["aria-label"] = self.t("projector.connected_aria", n=count)

    def update_header(self) -> None:
        activity = self.current
        context = [self.seminar.territory, self.t("projector.horizon", year=self.seminar.horizon_year)]
        if activity is not None:
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

    def render_body(self) -> None:
        """(Re)build the main view and the side panel, only when what they show changed."""
        view = self.resolved_view()
        activity = self.current
        # The map needs the whole width: no side panel beside it.
        side_join = self.join_visible() and view not in ("join", "card", "graph")
        side_instructions = bool(activity and activity.participant_instructions.strip()) and view not in (
            "instructions", "join", "card", "welcome", "graph")
        key = (view, activity.id if activity else None, side_join, side_instructions,
               self.state.focus_card_id if view == "card" else None,
               self.state.reveal_results if view == "results" else None,
               self.seminar.joining_open if view == "join" else None)
        if key == self.body_key:
            if isinstance(self.view, WallView):
                self.view.set_page(self.state.wall_page)
            return
        self.body_key = key
        self.results_dirty = self.cloud_dirty = self.graph_dirty = False
        self.body.clear()
        wide = not (side_join or side_instructions)
        with self.body:
            main = ui.element("main").classes("v21p-main")
            if not wide:
                with ui.element("aside").classes("v21p-side"):
                    if side_join:
                        self._join_panel()
                    if side_instructions:
                        with ui.element("section").classes("v21p-panel v21p-instr"):
                            ui.label(self.t("projector.instructions")).classes("v21p-instr-head").props(
                                'role="heading" aria-level="2"')
                            ui.label(activity.participant_instructions.strip()).classes("v21p-instr-text").props(
                                'data-fit-max="2.9" data-fit-min="2.1"')
        with main:
            self.view = self._build_view(view, wide)

    def _build_view(self, view: str, wide: bool) -> Any:
        if view == "wall":
            return WallView(self, self.wall_kinds(), wide)
        if view == "results":
            return ResultsView(self, self.latest(VOTING), wide)
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
        if view == "join":
            self._big_join()
        elif view == "instructions":
            activity = self.current
            ui.label(activity.participant_instructions.strip() if activity else "").classes("v21p-bigtext").props(
                'data-fit-max="5" data-fit-min="2.6"')
        else:  # welcome: nothing open yet
            self._message(self.seminar.title, self.t("projector.welcome"),
                          small=f"{self.seminar.territory} · {self.t('projector.horizon', year=self.seminar.horizon_year)}")
        return None

    def _message(self, big: str, middle: str | None = None, *, small: str | None = None,
                 pulse: bool = False) -> dict[str, ui.label]:
        out: dict[str, ui.label] = {}
        with ui.element("div").classes("v21p-message"):
            if pulse:
                ui.element("div").classes("v21p-pulse").props('aria-hidden="true"')
            out["big"] = ui.label(big).classes("v21p-message-big").props('role="heading" aria-level="2"')
            if middle is not None:
                out["middle"] = ui.label(middle).classes("v21p-message-mid")
            if small is not None:
                out["small"] = ui.label(small).classes("v21p-message-small")
        return out

    def _qr(self) -> None:
        ui.html(qr_svg(self.url, label=self.t("projector.qr_alt", url=self.url)), sanitize=False).classes("v21p-qr")

    def _join_panel(self) -> None:
        with ui.element("section").classes("v21p-panel v21p-join"):
            ui.label(self.t("projector.join_lead")).classes("v21p-join-lead").props('role="heading" aria-level="2"')
            self._qr()
            ui.label(self.t("projector.join_code")).classes("v21p-code-label")
            ui.label(self.seminar.join_code).classes("v21p-code")
            ui.label(self.address).classes("v21p-address")

    def _big_join(self) -> None:
        if not self.seminar.joining_open:
            self._message(self.t("projector.join_closed"))
            return
        with ui.element("div").classes("v21p-bigjoin"):
            self._qr()
            with ui.element("div").classes("v21p-bigjoin-text"):
                ui.label(self.t("projector.join_lead")).classes("v21p-bigjoin-lead").props(
                    'role="heading" aria-level="2"')
                ui.label(self.t("projector.join_scan")).classes("v21p-bigjoin-step")
                ui.label(self.t("projector.join_or_type")).classes("v21p-bigjoin-step")
                ui.label(self.address).classes("v21p-address")
                ui.label(self.t("projector.join_then_code")).classes("v21p-bigjoin-step")
                ui.label(self.seminar.join_code).classes("v21p-code")

    # --- live updates ----------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        topic = event.topic
        if topic == "screen.changed":
            known = {f.name for f in fields(ScreenState)}
            previous, self.state = self.state, ScreenState(**{k: v for k, v in event.data.items() if k in known})
            if previous.show_attendance != self.state.show_attendance:
                self.people.set_visibility(self.state.show_attendance)
                self._set_people(hub.connected_count(self.sid))
            self.render_body()
        elif topic == "activity.changed":
            self.activities = activities.list_activities(db(), self.sid)
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


# --- the views ---------------------------------------------------------------------------------


@dataclass
class _Group:
    element: ui.element
    count: ui.label
    size: int = 0
    key_item: ui.element | None = None


@dataclass
class _Shown:
    element: ui.element
    group: Any
    text: ui.label
    theme: ui.label | None


class WallView:
    """Cards in columns, grouped by kind (several kinds) or by theme (one kind).

    New cards are appended to their group; hidden, withdrawn or merged cards are removed.
    A wall taller than the screen overflows into more columns, shown as pages.
    """

    def __init__(self, page: ProjectorScreen, kinds: list[str], wide: bool) -> None:
        self.page = page
        self.kinds = kinds
        # One kind of themed card (stakes, threats…): grouped by theme; otherwise by kind.
        self.by_kind = len(kinds) > 1 or kinds[0] not in THEMED_KINDS
        self.groups: dict[Any, _Group] = {}
        self.shown: dict[int, _Shown] = {}
        t = page.t
        with ui.element("section").classes("v21p-view") as view:
            view.props["aria-label"] = t("projector.wall_label")
            self.empty = ui.label(t("projector.wall_empty")).classes("v21p-wall-empty")
            self.viewport = ui.element("div").classes("v21p-wall-viewport")
            self.viewport.props["data-page"] = str(page.state.wall_page)
            with self.viewport:
                self.columns = ui.element("div").classes("v21p-wall-cols")
                if self.by_kind:
                    self.columns.props["data-group"] = "kind"
                if wide:
                    self.columns.classes("is-wide")
            with ui.element("div").classes("v21p-pager-row"):
                # Grouped by kind, the stripe colours are named here: a group may go on to the next page.
                self.key = ui.element("div").classes("v21p-legend").props('aria-hidden="true"')
                pager = ui.label().classes("v21p-pager").props('hidden aria-hidden="true"')
                pager.props["data-label"] = t("projector.page")
        for card in cards.list_cards(db(), page.sid, kinds=[CardKind(k) for k in kinds]):
            self.add(card)
        self.empty.set_visibility(not self.shown)

    def set_page(self, number: int) -> None:
        self.viewport.props["data-page"] = str(number)

    def group_key(self, card: Card) -> Any:
        if self.by_kind:
            return card.kind.value
        return card.theme_id if card.theme_id in self.page.themes else None

    def _order(self, key: Any) -> tuple:
        if self.by_kind:
            return (self.kinds.index(key) if key in self.kinds else 99,)
        if key is None:
            return (10_000,)
        return (self.page.themes[key].position,)

    def _group(self, key: Any) -> _Group:
        if key in self.groups:
            return self.groups[key]
        t = self.page.t
        if self.by_kind:
            title, color, underline = t(f"kind_plural.{key}"), KIND_INK.get(key, "#0f172a"), None
        elif key is None:
            title, color, underline = t("projector.no_theme"), "#0f172a", "#64748b"
        else:
            theme = self.page.themes[key]
            title, color, underline = theme.label, "#0f172a", _color(theme.color)
        with self.columns:
            element = ui.element("section").classes("v21p-group")
            with element:
                with ui.element("div").classes("v21p-group-title").style(
                        f"color: {color}" + (f"; border-bottom-color: {underline}" if underline else "")):
                    ui.label(title).props('role="heading" aria-level="2"')
                    count = ui.label("0").classes("v21p-group-count")
        group = _Group(element, count)
        self.groups[key] = group
        keys = sorted(self.groups, key=self._order)
        element.move(target_index=keys.index(key))
        if self.by_kind:
            with self.key:
                with ui.element("span").classes("v21p-legend-item") as item:
                    ui.element("span").classes("v21p-swatch").style(f"background: {color}")
                    TextElement(tag="span", text=title)
            item.move(target_index=keys.index(key))
            group.key_item = item
        return group

    def add(self, card: Card, *, fresh: bool = False) -> None:
        key = self.group_key(card)
        group = self._group(key)
        theme = self.page.themes.get(card.theme_id) if card.theme_id else None
        # Grouped by kind, the stripe says the kind (a group may continue in the next column);
        # grouped by theme, it says the theme.
        stripe = KIND_INK.get(card.kind.value, "#64748b") if self.by_kind or theme is None else _color(theme.color)
        with group.element:
            element = ui.element("article").classes("v21p-card" + (" is-new" if fresh else "")).style(
                f"border-left-color: {stripe}")
            with element:
                text = ui.label(card.text)
                theme_label = ui.label(theme.label).classes("v21p-card-theme") if (theme and self.by_kind) else None
        self.shown[card.id] = _Shown(element, key, text, theme_label)
        group.size += 1
        group.count.set_text(str(group.size))
        self.empty.set_visibility(False)

    def remove(self, card_id: int) -> None:
        shown = self.shown.pop(card_id, None)
        if shown is None:
            return
        shown.element.delete()
        group = self.groups[shown.group]
        group.size -= 1
        group.count.set_text(str(group.size))
        if group.size == 0:
            group.element.delete()
            if group.key_item is not None:
                group.key_item.delete()
            del self.groups[shown.group]
        self.empty.set_visibility(not self.shown)

    def apply(self, changed: list[Card]) -> None:
        for card in changed:
            wanted = card.visible and card.kind.value in self.kinds
            shown = self.shown.get(card.id)
            if not wanted:
                self.remove(card.id)
            elif shown is None:
                self.add(card, fresh=True)
            elif shown.group != self.group_key(card) or (shown.theme is None) != (
                    not (self.by_kind and card.theme_id in self.page.themes)):
                self.remove(card.id)
                self.add(card)
            else:
                shown.text.set_text(card.text)
                theme = self.page.themes.get(card.theme_id) if card.theme_id else None
                if shown.theme is not None and theme is not None:
                    shown.theme.set_text(theme.label)


@dataclass
class _Drawing:
    mode: str
    summary: str
    figure: dict
    width: int
    alt: str
    fill: Any  # builds the text alternative (a table or a numbered list) in the current container
    visible_alt: bool = False
    legend: list[tuple[str, str]] | None = None  # colour key: (label, colour)
    rows: list[tuple[str, ...]] | None = None  # the text alternative's table rows, when it is a table


class ResultsView:
    """Vote results, hidden until the facilitator reveals them."""

    def __init__(self, page: ProjectorScreen, activity: Activity | None, wide: bool) -> None:
        self.page = page
        self.activity = activity
        self.reveal = page.state.reveal_results
        self.width = CHART_W_WIDE if wide else CHART_W_SIDE
        self.plot: ui.plotly | None = None
        self.labels: dict[str, ui.label] = {}
        self.hidden_running = False
        self.mode: str | None = None
        self.cells: list[list[TextElement]] | None = None  # the dot-vote table's cells, by row
        t = page.t
        self.root = ui.element("div").classes("v21p-view")
        with self.root:
            if activity is None:
                page._message(t("projector.results_none"))
                return
        self.render(load_results(page.sid, activity))

    async def reload(self) -> None:
        if self.activity is None:
            return
        data = await run.io_bound(load_results, self.page.sid, self.activity)
        if self.page.view is self:
            self.render(data)

    def _voters_text(self, n: int) -> str:
        t = self.page.t
        if n == 0:
            return t("projector.voters_none")
        return t("projector.voters_one") if n == 1 else t("projector.voters_many", n=n)

    def render(self, data: ResultsData) -> None:
        t = self.page.t
        current = self.page.current
        if current is not None and current.id == self.activity.id:
            self.activity = current  # fresh state: votes may have closed
        activity = self.activity
        running = current is not None and current.id == activity.id and activity.votes_open
        if not self.reveal:
            # While votes come in, only the number of voters changes.
            if self.labels and self.hidden_running == running:
                self.labels["middle"].set_text(self._voters_text(data.voters))
                return
            self.root.clear()
            with self.root:
                title = {Interaction.DOT_VOTE: "projector.vote_running", Interaction.RATE: "projector.rating_running",
                         Interaction.ROBUSTNESS: "projector.robustness_running"}[activity.interaction]
                self.labels = self.page._message(t(title) if running else t("projector.vote_closed"),
                                                 self._voters_text(data.voters), small=t("projector.results_soon"),
                                                 pulse=running)
                self.hidden_running = running
            return
        drawing = self._drawing(data)
        mode = drawing.mode if drawing else "empty"
        if self.plot is not None and mode == self.mode:
            # Same chart, new numbers: redraw it and refresh its text alternative only.
            self.summary.set_text(drawing.summary)
            self._legend(drawing)
            self.plot.update_figure(drawing.figure)
            if not self._update_cells(drawing.rows):
                self.alt.clear()
                with self.alt:
                    drawing.fill()
            return
        self.mode = mode
        self.labels = {}
        self.plot = None
        self.cells = None
        self.root.clear()
        with self.root:
            current = self.page.current
            heading = (t("projector.results") if current is not None and current.id == activity.id
                       else t("projector.results_title", title=activity.title))
            ui.label(heading).classes("v21p-view-title").props('role="heading" aria-level="2"')
            if drawing is None:
                self.page._message(t("projector.no_votes_yet"))
                return
            self.summary = ui.label(drawing.summary).classes("v21p-view-sub")
            self.legend = ui.element("div").classes("v21p-legend").props('aria-hidden="true"')
            self.legend_key: list | None = None
            self._legend(drawing)
            with ui.element("div").classes("v21p-chart-row"):
                with ui.element("div").classes("v21p-scale").props('role="img"') as box:
                    box.props["aria-label"] = drawing.alt
                    box.props["data-w"] = str(drawing.width)
                    box.props["data-h"] = str(CHART_H)
                    self.plot = ui.plotly(drawing.figure).style(
                        f"width: {drawing.width}px; height: {CHART_H}px").props('aria-hidden="true"')
                if drawing.visible_alt:
                    self.alt = ui.element("ol").classes("v21p-ranking")
                else:
                    self.alt = ui.element("div").classes("v21p-sr")
                with self.alt:
                    drawing.fill()

    def _update_cells(self, rows: list[tuple[str, ...]] | None) -> bool:
        """Change the table's texts in place when it keeps its shape (each vote would otherwise
        rebuild some sixty elements); False when the table must be built again."""
        cells = self.cells
        if rows is None or cells is None or len(rows) != len(cells) or any(
                len(row) != len(line) for row, line in zip(rows, cells)):
            self.cells = None
            return False
        for row, line in zip(rows, cells):
            for value, cell in zip(row, line):
                if cell.text != value:
                    cell.set_text(value)
        return True

    def _legend(self, drawing: _Drawing) -> None:
        if drawing.legend == self.legend_key:
            return
        self.legend_key = drawing.legend
        self.legend.clear()
        self.legend.set_visibility(bool(drawing.legend))
        with self.legend:
            for label, color in drawing.legend or []:
                with ui.element("span").classes("v21p-legend-item"):
                    ui.element("span").classes("v21p-swatch").style(f"background: {color}")
                    TextElement(tag="span", text=label)

    def _drawing(self, data: ResultsData) -> _Drawing | None:
        kind = self.activity.interaction
        if kind is Interaction.DOT_VOTE:
            return self._dot_votes(data)
        if kind is Interaction.RATE:
            return self._ratings(data)
        return self._robustness(data)

    def _dot_votes(self, data: ResultsData) -> _Drawing | None:
        t = self.page.t
        if not data.tallies:
            return None
        total = sum(x.dots for x in data.tallies)
        shown = data.tallies[:TOP_CARDS]
        summary = t("projector.dot_summary", voters=data.voters, dots=total)
        if len(data.tallies) > len(shown):
            summary += " " + t("projector.top_shown", shown=len(shown))
        colleges = {c.value: t(f"college_name.{c.value}") for c in College}
        rows = [(x.text, x.dots, x.by_college) for x in shown]
        figure = charts.dot_vote_figure(rows, colleges, width=self.width, height=CHART_H)
        legend = [(colleges[c], color) for c, color in charts.college_legend(rows)]

        table_rows = [(str(rank), tally.text, str(tally.dots), str(tally.voters),
                       ", ".join(f"{colleges.get(c, c)} {n}" for c, n in sorted(tally.by_college.items())))
                      for rank, tally in enumerate(data.tallies, 1)]

        def fill() -> None:
            with ui.element("table"):
                with ui.element("thead"), ui.element("tr"):
                    for key in ("table_rank", "table_card", "table_dots", "table_voters", "table_colleges"):
                        TextElement(tag="th", text=t(f"projector.{key}"))
                with ui.element("tbody"):
                    self.cells = []
                    for row in table_rows:
                        with ui.element("tr"):
                            self.cells.append([TextElement(tag="td", text=value) for value in row])

        return _Drawing("dots", summary, figure, self.width, t("projector.chart_alt_votes"), fill, legend=legend,
                        rows=table_rows)

    def _ratings(self, data: ResultsData) -> _Drawing | None:
        t = self.page.t
        page = self.page
        criteria = list(self.activity.criteria)
        if not data.ratings or not criteria:
            return None
        summary = t("projector.rating_summary", cards=len(data.ratings), voters=data.voters)
        labels = [page.criteria_labels.get(c, c) for c in criteria]
        if len(criteria) == 1:
            rows = sorted(((c.text, m.get(criteria[0], 0.0)) for c, m in data.ratings), key=lambda r: -r[1])
            figure = charts.mean_bar_figure(rows[:TOP_CARDS], axis_label=labels[0], width=self.width, height=CHART_H,
                                            number=page.number)

            def fill_one() -> None:
                for text, value in rows:
                    TextElement(tag="li", text=f"{text} : {page.number(value)}")

            return _Drawing("rating1", summary, figure, self.width, t("projector.chart_alt_ratings"), fill_one)
        x_key, y_key = criteria[0], criteria[1]
        scored = [(c, m.get(x_key), m.get(y_key)) for c, m in data.ratings]
        scored = [(c, x, y) for c, x, y in scored if x is not None and y is not None]
        if not scored:
            return None
        scored.sort(key=lambda r: (-(r[1] * r[2]), r[0].id))
        points = [charts.RatedPoint(i, c.text, x, y) for i, (c, x, y) in enumerate(scored, 1)]
        hot = t("projector.hot_threats") if (x_key, y_key) == ("likelihood", "impact") else None
        width = int(self.width * 0.6)
        figure = charts.rating_figure(points, x_label=labels[0], y_label=labels[1], width=width,
                                      height=CHART_H, hot_label=hot)

        def fill_two() -> None:
            TextElement(tag="li", text=t("projector.ranking_head", x=labels[0], y=labels[1])).classes(
                "v21p-instr-head").style("text-align: right; list-style: none").props('aria-hidden="true"')
            for point in points:
                with ui.element("li").classes("v21p-rank"):
                    ui.label(str(point.rank)).classes("v21p-rank-num")
                    ui.label(point.text).classes("v21p-rank-text")
                    ui.label(f"{page.number(point.x)} · {page.number(point.y)}").classes("v21p-rank-values")

        return _Drawing("rating2", summary, figure, width, t("projector.chart_alt_ratings"), fill_two,
                        visible_alt=True)

    def _robustness(self, data: ResultsData) -> _Drawing | None:
        t = self.page.t
        cells = [c for c in data.matrix if c.challenge_id in data.labels and c.action_id in data.labels]
        if not cells:
            return None
        challenges = list(dict.fromkeys(c.challenge_id for c in cells))
        actions = sorted({c.action_id for c in cells})
        grid: list[list[float | None]] = [[None] * len(actions) for _ in challenges]
        for cell in cells:
            grid[challenges.index(cell.challenge_id)][actions.index(cell.action_id)] = cell.score
        verdicts = {v: t(f"verdict.{v}") for v in ("holds", "bends", "breaks")}
        summary = t("projector.robustness_summary", challenges=len(challenges), actions=len(actions),
                    voters=data.voters)
        figure = charts.robustness_figure([data.labels[c] for c in challenges], [data.labels[a] for a in actions],
                                          grid, verdicts, width=self.width, height=CHART_H, number=self.page.number)

        def fill() -> None:
            with ui.element("ul"):
                for cell in cells:
                    verdict = charts.verdict_of(cell.score)
                    TextElement(tag="li", text=t(
                        "projector.robustness_cell", challenge=data.labels[cell.challenge_id],
                        action=data.labels[cell.action_id], verdict=verdicts[verdict],
                        score=self.page.number(cell.score)))

        return _Drawing("robustness", summary, figure, self.width, t("projector.chart_alt_robustness"), fill)


class CloudView:
    """The answers to a one-word question as a word cloud, redrawn as words come."""

    def __init__(self, page: ProjectorScreen, activity: Activity | None, wide: bool) -> None:
        self.page = page
        self.activity = activity
        self.width = CHART_W_WIDE if wide else CHART_W_SIDE
        self.height = CHART_H + 40
        t = page.t
        with ui.element("div").classes("v21p-view"):
            current = page.current
            if activity is None or current is None or current.id != activity.id:
                # the header shows the open activity; name the question when it is another one
                ui.label(activity.title if activity else t("projector.cloud_title")).classes(
                    "v21p-view-title").props('role="heading" aria-level="2"')
            self.summary = ui.label().classes("v21p-view-sub")
            self.box = ui.element("div").classes("v21p-scale").props('role="img"')
            self.box.props["aria-label"] = t("projector.chart_alt_cloud")
            self.box.props["data-w"] = str(self.width)
            self.box.props["data-h"] = str(self.height)
            with self.box:
                self.plot = ui.plotly(charts.wordcloud_figure([], width=self.width, height=self.height)).style(
                    f"width: {self.width}px; height: {self.height}px").props('aria-hidden="true"')
            self.empty = ui.label(t("projector.cloud_empty")).classes("v21p-message-small")
            self.listing = ui.element("ol").classes("v21p-sr")
        self.render(*load_cloud(page.sid, activity.id if activity else None, self.width, self.height))

    async def reload(self) -> None:
        cloud = await run.io_bound(load_cloud, self.page.sid, self.activity.id if self.activity else None,
                                   self.width, self.height)
        if self.page.view is self:
            self.render(*cloud)

    def render(self, frequencies: list[tuple[str, int]], placed: list) -> None:
        t = self.page.t
        self.plot.update_figure(charts.wordcloud_figure(placed, width=self.width, height=self.height))
        answers = sum(count for _, count in frequencies)
        self.summary.set_text(t("projector.cloud_summary", answers=answers, words=len(frequencies)))
        self.summary.set_visibility(bool(frequencies))
        self.empty.set_visibility(not frequencies)
        self.listing.clear()
        with self.listing:
            for word, count in frequencies:
                TextElement(tag="li", text=t("projector.cloud_item", word=word, count=count))


class FocusView:
    """One card, as big as the screen allows."""

    def __init__(self, page: ProjectorScreen, card_id: int | None) -> None:
        self.page = page
        self.card_id = card_id
        self.root = ui.element("div").classes("v21p-view")
        found = cards_by_ids(db(), page.sid, [card_id]) if card_id is not None else []
        self.render(found[0] if found else None)

    def apply(self, changed: list[Card]) -> None:
        for card in changed:
            if card.id == self.card_id:
                self.render(card)

    def render(self, card: Card | None) -> None:
        t = self.page.t
        self.root.clear()
        with self.root:
            if card is None or not card.visible:
                self.page._message(t("projector.focus_missing"))
                return
            theme = self.page.themes.get(card.theme_id) if card.theme_id else None
            ink = KIND_INK.get(card.kind.value, "#0f172a")
            with ui.element("article").classes("v21p-focus").style(
                    f"border-left-color: {_color(theme.color) if theme else ink}"):
                ui.label(t(f"kind.{card.kind.value}")).classes("v21p-focus-kind").style(f"background: {ink}")
                ui.label(card.text).classes("v21p-focus-text").props(
                    'role="heading" aria-level="2" data-fit-max="9" data-fit-min="3.6"')
                if card.details.strip():
                    ui.label(card.details.strip()).classes("v21p-focus-details").props(
                        'data-fit-max="3.2" data-fit-min="2.2"')
                if theme is not None:
                    with ui.element("div").classes("v21p-focus-theme"):
                        ui.element("span").classes("v21p-swatch").style(f"background: {_color(theme.color)}")
                        TextElement(tag="span", text=theme.label)


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
