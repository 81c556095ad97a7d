"""Voting panels: dots on cards, ratings on criteria, the robustness test."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nicegui import ui
from nicegui.element import Element

from workshop.models import Activity, Card, Verdict
from workshop.services import robustness as robustness_service
from workshop.services import votes
from workshop.ui.common import KIND_COLORS, db, in_page, tr
from workshop.ui.tablet.widgets import (KeyedRows, accepting, acknowledge, attempt, card_face, card_option, count_tr,
                                        TOAST_POSITION, short, warn)

VERDICT_COLORS = {"holds": "#15803d", "bends": "#b45309", "breaks": "#b91c1c"}
# A double tap on "+" (or "−") is one dot: the browser sends at most one tap per button in this
# time (Android's double-tap timeout is 300 ms). Two dots take two taps further apart, and the
# count shows each one as it lands.
DOUBLE_TAP_SECONDS = 0.4

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView


class VotePanel(Element, component="vote_panel.js"):
    """The dot-vote panel, drawn in the browser (``vote_panel.js``) from a few props.

    One NiceGUI element instead of five per card plus one per budget dot: building a tablet's
    panel costs the server a fraction of what it did, and a vote updates these props in one
    message (its dots and budget line), with no element tree to walk.
    """

    def __init__(self, on_tap: Callable[[int, int], Any], *, budget: int, max_per_card: int | None, live: bool,
                 max_text: str, empty_text: str) -> None:
        super().__init__()
        self._props.update({"cards": [], "dots": {}, "budget": budget, "max_per_card": max_per_card, "live": live,
                            "max_text": max_text, "empty_text": empty_text,
                            "throttle": int(DOUBLE_TAP_SECONDS * 1000),
                            "toast_position": TOAST_POSITION})
        self.on("tap", lambda e: self._tap(e.args, on_tap))

    @staticmethod
    def _tap(args: Any, on_tap: Callable[[int, int], Any]) -> Any:
        # What a browser sends is checked here (a forged message gets nothing), then by the service.
        if not isinstance(args, dict):
            return None
        card, delta = args.get("card"), args.get("delta")
        if not isinstance(card, int) or isinstance(card, bool) or delta not in (1, -1) or isinstance(delta, bool):
            return None
        return on_tap(card, delta)

    def show(self, **props: Any) -> None:
        """Change some props; the browser gets them in one update."""
        self._props.update(props)
        self.update()

    def voted(self, dots: dict[str, int], remaining_text: str, saved: str) -> None:
        """A vote is committed: the browser gets my dots, the budget line and the "saved" toast in one
        small message (``voted`` in vote_panel.js), not the whole panel (its cards' texts, some 4 kB)
        and a separate notification. The props are changed without an update, so that a rebuild or
        the next full update (a card added to the wall) carries the same numbers."""
        dict.update(self._props, {"dots": dots, "remaining_text": remaining_text})
        self.run_method("voted", dots, remaining_text, saved)


def dot_vote(view: TabletView, activity: Activity) -> Callable[[list[Card]], None]:
    if view.personal.ballot is None:
        view.personal.ballot = votes.Ballot(activity.id, activity.vote_budget or 0, activity.vote_max_per_card, {})
    live = accepting(activity, "votes")
    ui.label(tr("tablet.vote_hint")).classes("muted")
    ballot = view.personal.ballot
    limit = activity.vote_max_per_card
    card_ids: set[int] = set()

    def remaining(left: int, budget: int) -> str:
        return (count_tr("tablet.dots_remaining", left, budget=budget) if left
                else tr("tablet.dots_used_up", budget=budget))

    def budget_props(ballot: votes.Ballot) -> dict[str, Any]:
        return {"dots": {str(cid): n for cid, n in ballot.dots_by_card.items() if n},
                "budget": ballot.budget, "remaining_text": remaining(max(0, ballot.remaining), ballot.budget)}

    @in_page
    async def change(card_id: int, delta: int) -> None:
        if card_id not in card_ids:
            return
        async with view.vote_lock:
            current = view.personal.ballot.dots_by_card.get(card_id, 0)
            target = current + delta
            if target < 0:
                return
            done, ballot = await attempt(votes.set_dots, db(), view.token, activity.id, card_id, target)
            if not done:
                return
            view.personal.ballot = ballot
            shown = budget_props(ballot)
            panel.voted(shown["dots"], shown["remaining_text"], tr("tablet.vote_saved"))

    panel = VotePanel(change, budget=ballot.budget, max_per_card=limit, live=live,
                      max_text=tr("tablet.dots_max_per_card", max=limit) if limit else "",
                      empty_text=tr("tablet.no_cards")).mark("vote-panel")
    panel._props.update(budget_props(ballot))  # noqa: SLF001 - before the first update
    panel._props["count_labels"] = [count_tr("tablet.dots_on_card", n)  # noqa: SLF001
                                    for n in range(max(ballot.budget, 1) + 1)]
    # the budget line for each number of dots left: the panel counts the taps held offline with it
    panel._props["remaining_texts"] = [remaining(n, ballot.budget)  # noqa: SLF001
                                       for n in range(ballot.budget + 1)]
    panel._props["waiting_label"] = tr("tablet.dots_on_card_waiting", count="{count}")  # noqa: SLF001
    panel._props["waiting_texts"] = [tr("tablet.taps_waiting", count=1),  # noqa: SLF001
                                     tr("tablet.taps_waiting.other", count="{count}")]  # filled in by the panel
    view.has_bar = True

    def row(card: Card) -> dict[str, Any]:
        label = short(card.text)
        return {"id": card.id, "text": card.text, "theme": view.theme_label(card.theme_id) or "",
                "color": KIND_COLORS.get(card.kind.value, "#0b5394"),
                "plus": tr("tablet.add_dot", text=label), "minus": tr("tablet.remove_dot", text=label)}

    def sync(cards: list[Card]) -> None:
        rows = [row(card) for card in cards]
        card_ids.clear()
        card_ids.update(card.id for card in cards)
        if rows != panel.props.get("cards"):  # the wall changed: the rows go in one update
            panel.show(cards=rows)

    card_ids.update(card.id for card in view.cards)
    panel._props["cards"] = [row(card) for card in view.cards]  # noqa: SLF001 - before the first update
    return sync


def rate(view: TabletView, activity: Activity) -> Callable[[list[Card]], None]:
    live = accepting(activity, "votes")
    specs = {c.key: c for c in view.kit.criteria}
    criteria = list(activity.criteria)
    progress = ui.label().classes("font-semibold").mark("rate-progress")
    rows_box = ui.column().classes("w-full gap-3").mark("rate-list")
    with rows_box:
        empty = ui.label(tr("tablet.no_cards")).classes("muted")
    guard: set[int] = set()

    def show_progress() -> None:
        ids = set(rows.rows)
        done = sum(1 for (card_id, key) in view.personal.ratings if card_id in ids and key in criteria)
        progress.set_text(tr("tablet.rated_count", done=done, total=len(ids) * len(criteria)))

    def render_row(card: Card) -> ui.element:
        box = card_face(view, card)
        with box:
            for key in criteria:
                spec = specs.get(key)
                label = spec.label if spec else key
                with ui.column().classes("w-full gap-1 q-mt-sm"):
                    ui.label(label).classes("font-semibold")
                    if spec and spec.low and spec.high:
                        ui.label(tr("tablet.rate_hint", low=spec.low, high=spec.high)).classes("text-sm muted")
                    toggle = ui.toggle([1, 2, 3, 4, 5], value=view.personal.ratings.get((card.id, key))).props(
                        "unelevated spread toggle-color=primary color=white text-color=primary").classes(
                        "w-full t-toggle").mark(f"rate-{card.id}-{key}")
                    toggle.props["aria-label"] = f"{label} — {short(card.text)}"
                    toggle.on_value_change(lambda e, c=card, k=key, t=toggle: set_rating(c, k, t, e.value))
                    if not live:
                        toggle.disable()
        return box

    @in_page
    async def set_rating(card: Card, key: str, toggle: ui.toggle, value: int | None) -> None:
        if toggle.id in guard:
            return
        previous = view.personal.ratings.get((card.id, key))
        if value is None:
            revert(toggle, previous)
            return
        done, _ = await attempt(votes.rate, db(), view.token, activity.id, card.id, key, int(value))
        if not done:
            revert(toggle, previous)
            return
        view.personal.ratings[(card.id, key)] = int(value)
        show_progress()
        acknowledge("tablet.rate_saved")

    def revert(toggle: ui.toggle, value: int | None) -> None:
        guard.add(toggle.id)
        try:
            toggle.value = value
        finally:
            guard.discard(toggle.id)

    rows = KeyedRows(lambda _card: rows_box, render_row)

    def sync(cards: list[Card]) -> None:
        rows.sync(cards)
        empty.set_visibility(not rows.rows)
        show_progress()

    sync(view.cards)
    return sync


def robustness(view: TabletView, activity: Activity) -> Callable[[list[Card]], None]:
    live = accepting(activity, "votes")
    if not activity.participant_instructions:
        ui.label(tr("tablet.robustness_intro")).classes("muted")
    state: dict[str, Any] = {"challenge": None, "action": None, "verdict": None}
    progress = ui.label().classes("font-semibold").mark("robustness-progress")
    empty = ui.label(tr("tablet.no_cards")).classes("muted")
    with ui.column().classes("w-full gap-3") as form:
        challenge = ui.select({}, label=tr("tablet.robustness_challenge"),
                              on_change=lambda e: pick("challenge", e.value)).props("outlined").classes(
            "w-full").mark("challenge")
        action = ui.select({}, label=tr("tablet.robustness_action"),
                           on_change=lambda e: pick("action", e.value)).props("outlined").classes(
            "w-full").mark("action")
        # the verdict this person has recorded for the pair on screen (pick, submit): said in words,
        # not only by the coloured button, which also moves when another verdict is tapped before saving
        already = ui.label().classes("t-chip self-start").mark("robustness-recorded")
        ui.label(tr("tablet.robustness_verdict")).classes("font-semibold")
        verdict_buttons: dict[str, ui.button] = {}
        with ui.row().classes("w-full gap-2 no-wrap items-stretch").props(f'role="radiogroup" aria-label="{tr("tablet.robustness_verdict")}"'):
            for verdict in Verdict:
                with ui.button(on_click=lambda v=verdict.value: choose(v)).props("no-caps").classes(
                        "verdict-btn").mark(f"verdict-{verdict.value}") as button:
                    ui.label(tr(f"tablet.verdict_{verdict.value}")).classes("text-lg font-bold")
                    ui.label(tr(f"tablet.verdict_{verdict.value}_hint")).classes("hint")
                button.props('role="radio"')
                verdict_buttons[verdict.value] = button
        reason = ui.textarea(tr("tablet.reason_label")).props("outlined autogrow maxlength=2000").classes(
            "w-full").mark("reason")
        save = ui.button(tr("tablet.robustness_save"), icon="check", on_click=lambda: submit()).props(
            "unelevated size=lg color=primary no-caps").classes("w-full").mark("save")

    def show_verdict() -> None:
        for value, button in verdict_buttons.items():
            chosen = state["verdict"] == value
            color = VERDICT_COLORS[value]
            button.props(f"color={'white' if not chosen else 'none'} unelevated")
            button.style(f"background: {color if chosen else '#fff'} !important; color: {'#fff' if chosen else color}"
                         f" !important; border: 2px solid {color}")
            button.props["aria-checked"] = "true" if chosen else "false"

    def pick(which: str, value: int | None) -> None:
        state[which] = value
        saved = view.personal.robustness.get((state["challenge"], state["action"]))
        state["verdict"] = saved[0] if saved else None
        reason.value = saved[1] if saved else ""
        show_recorded(saved[0] if saved else None)
        show_verdict()

    def show_recorded(verdict: str | None) -> None:
        """« Votre avis : plie » and « Modifier mon avis » once this pair has the person's verdict."""
        if verdict is not None:
            already.set_text(tr("tablet.robustness_recorded", verdict=tr(f"tablet.verdict_{verdict}")))
        already.set_visibility(verdict is not None)
        save.set_text(tr("tablet.robustness_change" if verdict is not None else "tablet.robustness_save"))

    def choose(value: str) -> None:
        state["verdict"] = value
        show_verdict()

    def show_progress() -> None:
        challenges = set(challenge.options)
        actions = set(action.options)
        done = sum(1 for (c, a) in view.personal.robustness if c in challenges and a in actions)
        progress.set_text(tr("tablet.robustness_count", done=done, total=len(challenges) * len(actions)))

    @in_page
    async def submit() -> None:
        if not (state["challenge"] and state["action"] and state["verdict"]):
            warn("tablet.robustness_pick")
            return
        done, _ = await attempt(robustness_service.rate, db(), view.token, activity.id, state["challenge"],
                                state["action"], state["verdict"], reason.value or "")
        if not done:
            return
        view.personal.robustness[(state["challenge"], state["action"])] = (state["verdict"], reason.value or "")
        show_recorded(state["verdict"])
        show_progress()
        acknowledge("tablet.robustness_saved")

    def sync(cards: list[Card]) -> None:
        asked_challenges, asked_actions = robustness_service.sides(cards, activity.card_kinds)  # as the projector's matrix
        challenges = {c.id: short(c.text, 110) for c in asked_challenges}
        actions = {c.id: card_option(c, with_kind=False) for c in asked_actions}
        challenge.set_options(challenges, value=state["challenge"] if state["challenge"] in challenges else None)
        action.set_options(actions, value=state["action"] if state["action"] in actions else None)
        show_progress()
        ready = bool(challenges and actions)
        form.set_visibility(ready)
        progress.set_visibility(ready)
        empty.set_visibility(not ready)

    sync(view.cards)
    pick("challenge", state["challenge"])
    if not live:
        for control in (challenge, action, reason, save, *verdict_buttons.values()):
            control.disable()
    return sync
