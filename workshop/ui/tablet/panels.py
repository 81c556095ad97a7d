"""The activity panel: what the open activity asks of the participant, and nothing else.

``render(view, activity)`` builds the panel in the current container and returns the
function that keeps its card list in step with the wall (or None when it shows no cards).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nicegui import run, ui
from nicegui.element import Element

from workshop.errors import WorkshopError
from workshop.models import Activity, ActivityMode, Card, CardKind, Interaction, Verdict
from workshop.services import cards as card_service
from workshop.services import links, votes
from workshop.ui.common import KIND_COLORS, db, lang, show_error, tr
from workshop.ui.tablet import data, light

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView

VERDICT_COLORS = {"holds": "#15803d", "bends": "#b45309", "breaks": "#b91c1c"}
SHORT_INSTRUCTIONS = 280  # shorter instructions are shown in full, longer ones fold away


# --- small pieces ---------------------------------------------------------------------


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def count_tr(key: str, count: int, **params: Any) -> str:
    """A message with a count: ``key_one`` or ``key_other`` (in French 0 and 1 are singular)."""
    one = count <= 1 if lang() == "fr" else count == 1
    return tr(f"{key}_{'one' if one else 'other'}", count=count, **params)


def kind_name(kind: str) -> str:
    return tr(f"kind.{kind}")


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Run a service off the loop; on a refusal show its French message. Returns (done, result)."""
    try:
        return True, await run.io_bound(fn, *args, **kwargs)
    except WorkshopError as exc:
        show_error(exc)
        return False, None


def acknowledge(key: str) -> None:
    ui.notify(tr(key), type="positive", position="top", timeout=1500)


def banner(text: str, icon: str, tone: str = "info") -> ui.element:
    with ui.element("div").classes(f"banner banner-{tone}").props('role="status"') as box:
        ui.icon(icon, size="26px").props('aria-hidden="true"')
        ui.label(text).classes("wrap-text")
    return box


def accepting(activity: Activity, kind: str) -> bool:
    """Whether the panel's controls work now (``kind``: "contributions" or "votes"); when the
    facilitator has closed them, a banner says so."""
    is_open = activity.contributions_open if kind == "contributions" else activity.votes_open
    if not is_open:
        banner(tr(f"tablet.{kind}_closed"), "block", "stop").mark("closed")
    return data.is_live(activity) and is_open


def card_face(view: TabletView, card: Card, *, show_kind: bool = False) -> ui.element:
    """A card as text on a coloured edge (the kind's colour), with its theme."""
    with ui.column().classes("t-card gap-1").style(f"--kind: {KIND_COLORS.get(card.kind.value, '#0b5394')}") as box:
        if show_kind:
            ui.label(capital(kind_name(card.kind.value))).classes("t-chip kind-chip self-start")
        ui.label(card.text).classes("card-text wrap-text")
        theme = view.theme_label(card.theme_id)
        if theme:
            ui.label(theme).classes("t-chip self-start")
    return box


def card_option(card: Card, *, with_kind: bool) -> str:
    text = short(card.text, 110)
    return f"{capital(kind_name(card.kind.value))} — {text}" if with_kind else text


class KeyedRows:
    """Rows of cards kept in step with the wall: only rows whose card changed are touched."""

    def __init__(self, container_for: Callable[[Card], ui.element], render: Callable[[Card], ui.element]) -> None:
        self.container_for = container_for
        self.render = render
        self.rows: dict[int, tuple[ui.element, tuple]] = {}

    def sync(self, cards: list[Card]) -> None:
        seen = set()
        for card in cards:
            seen.add(card.id)
            key = (card.text, card.theme_id, card.kind.value)
            current = self.rows.get(card.id)
            if current is not None and current[1] == key:
                continue
            container = self.container_for(card)
            index = -1
            if current is not None:
                siblings = list(current[0].parent_slot.children) if current[0].parent_slot else []
                index = siblings.index(current[0]) if current[0] in siblings else -1
                current[0].delete()
            with container:
                element = self.render(card)
            if index >= 0:
                element.move(target_index=index)
            self.rows[card.id] = (element, key)
        for card_id in [cid for cid in self.rows if cid not in seen]:
            self.rows.pop(card_id)[0].delete()


def heading(view: TabletView, activity: Activity, *, full_instructions: bool = False) -> None:
    with ui.column().classes("w-full gap-1"):
        mode = tr("tablet.in_groups") if activity.mode is ActivityMode.GROUPS else tr("tablet.in_plenary")
        ui.label(mode).classes("eyebrow")
        ui.label(activity.title).classes("t-h1 wrap-text").props('role="heading" aria-level="1"').mark(
            "activity-title")
    if activity.paused_at is not None:
        banner(tr("tablet.paused"), "pause_circle", "warn").mark("paused")
    text = activity.participant_instructions
    if text:
        if full_instructions or len(text) <= SHORT_INSTRUCTIONS:
            ui.label(text).classes("wrap-text text-lg").mark("instructions")
        else:
            with ui.expansion(tr("tablet.instructions"), icon="info_outline").classes(
                    "w-full bg-white rounded-borders").props("dense-toggle header-class=text-weight-bold"):
                ui.label(text).classes("wrap-text q-pa-sm").mark("instructions")


# --- dispatch ---------------------------------------------------------------------------


def render(view: TabletView, activity: Activity | None) -> Callable[[list[Card]], None] | None:
    if activity is None:
        waiting(view)
        return None
    interaction = activity.interaction
    if interaction is Interaction.CONTRIBUTE and activity.card_kinds:
        heading(view, activity)
        contribute(view, activity)
        return None
    if interaction is Interaction.WORD:
        heading(view, activity)
        word(view, activity)
        return None
    if interaction is Interaction.DOT_VOTE:
        heading(view, activity)
        return dot_vote(view, activity)
    if interaction is Interaction.RATE:
        heading(view, activity)
        return rate(view, activity)
    if interaction is Interaction.ROBUSTNESS:
        heading(view, activity)
        return robustness(view, activity)
    if interaction is Interaction.LINK:
        heading(view, activity)
        return link(view, activity)
    if interaction is Interaction.TRAJECTORY:
        from workshop.ui.tablet import trajectory

        heading(view, activity)
        return trajectory.render(view, activity)
    heading(view, activity, full_instructions=True)
    return wall(view, activity)


def waiting(view: TabletView) -> None:
    with ui.column().classes("w-full items-center waiting gap-3").mark("waiting"):
        ui.icon("hourglass_top", size="56px", color="primary").props('aria-hidden="true"')
        ui.label(tr("tablet.waiting")).classes("t-h2").props('role="heading" aria-level="1"')
        ui.label(view.title).classes("text-lg font-semibold wrap-text")
        ui.label(tr("tablet.waiting_hint")).classes("muted")


# --- writing cards ------------------------------------------------------------------------


def contribute(view: TabletView, activity: Activity) -> None:
    kinds = list(activity.card_kinds)
    draft = view.draft(activity)
    if draft.kind not in kinds:
        draft.kind = kinds[0]
    live = accepting(activity, "contributions")
    theme_keys = {t.key for t in view.themes}
    controls: list[ui.element] = []

    with ui.column().classes("w-full gap-3").mark("contribute-form"):
        if len(kinds) > 1:
            ui.label(tr("tablet.kind_label")).classes("font-semibold")
            kind_toggle = ui.toggle({k: capital(kind_name(k)) for k in kinds}, value=draft.kind,
                                    on_change=lambda e: choose_kind(e.value)).props(
                "unelevated no-caps spread toggle-color=primary color=white text-color=primary").classes(
                "w-full t-toggle").mark("kind")
            kind_toggle.props["aria-label"] = tr("tablet.kind_label")
            controls.append(kind_toggle)

        prompts_box = ui.expansion(icon="lightbulb_outline").classes("w-full bg-white rounded-borders").props(
            "header-class=text-weight-bold").mark("prompts")
        with prompts_box:
            prompts_list = ui.column().classes("w-full gap-2 q-pa-sm")

        text = ui.textarea(tr("tablet.text_label", kind=kind_name(draft.kind)), value=draft.text,
                           placeholder=tr("tablet.text_placeholder"),
                           on_change=lambda e: on_text(e.value)).props(
            "outlined autogrow maxlength=500 counter").classes("w-full").mark("text")
        with ui.row().classes("w-full items-center no-wrap gap-1") as source_row:
            ui.icon("bookmark", color="primary").props('aria-hidden="true"')
            source_label = ui.label().classes("text-sm muted wrap-text").style("flex:1")
            forget = ui.button(icon="close", on_click=lambda: forget_source()).props("flat round color=primary")
            forget.props["aria-label"] = tr("tablet.prompt_forget")
        theme_options = {"": tr("tablet.no_theme"), **{t.key: t.label for t in view.themes}}
        theme = ui.select(theme_options, value=draft.theme or "", label=tr("tablet.theme_label"),
                          on_change=lambda e: choose_theme(e.value)).props("outlined").classes("w-full").mark("theme")
        with ui.expansion(tr("tablet.details_label"), value=bool(draft.details)).classes(
                "w-full bg-white rounded-borders"):
            details = ui.textarea(value=draft.details, on_change=lambda e: setattr(draft, "details", e.value or "")
                                  ).props("outlined autogrow maxlength=2000").classes("w-full q-pa-sm").mark("details")
        button = ui.button(tr("tablet.submit"), icon="send", on_click=lambda: submit()).props(
            "unelevated size=lg color=primary no-caps").classes("w-full").mark("submit")
        controls += [text, theme, details, button, prompts_box]

    def show_source() -> None:
        source_label.set_text(tr("tablet.prompt_source", source=draft.source))
        source_row.set_visibility(bool(draft.source))

    def fill_prompts() -> None:
        prompts_list.clear()
        every = data.prompts_for(view.kit, draft.kind)
        shown = [p for p in every if draft.theme and p.theme == draft.theme] or every
        prompts_box.set_text(tr("tablet.prompts_title", count=len(shown)))
        prompts_box.set_visibility(bool(every))
        with prompts_list:
            ui.label(tr("tablet.prompts_hint")).classes("muted")
            if draft.theme and shown is not every:
                ui.label(tr("tablet.prompts_theme", theme=view.theme_label_by_key(draft.theme))).classes(
                    "text-sm muted")
            deck = None
            for prompt in shown:
                if prompt.deck != deck and len({p.deck for p in shown}) > 1:
                    deck = prompt.deck
                    ui.label(deck).classes("font-semibold q-mt-sm")
                ui.button(prompt.text, on_click=lambda p=prompt: use_prompt(p)).props(
                    "flat no-caps align=left").classes("prompt-btn")

    def choose_kind(kind: str | None) -> None:
        if not kind:
            return
        draft.kind = kind
        text.props["label"] = tr("tablet.text_label", kind=kind_name(kind))
        text.update()
        fill_prompts()

    def choose_theme(key: str | None) -> None:
        draft.theme = key or None
        fill_prompts()

    def on_text(value: str | None) -> None:
        draft.text = value or ""
        if not draft.text.strip() and draft.source:
            draft.source = ""
            show_source()

    def forget_source() -> None:
        draft.source = ""
        show_source()

    def use_prompt(prompt: data.Prompt) -> None:
        text.value = prompt.text
        draft.text = prompt.text
        draft.source = prompt.source
        if not draft.theme and prompt.theme in theme_keys:
            draft.theme = prompt.theme
            theme.value = prompt.theme
        show_source()
        prompts_box.close()
        text.run_method("focus")

    async def submit() -> None:
        if view.busy:
            return
        view.busy = True
        button.props("loading")
        try:
            done, _card = await attempt(card_service.contribute, db(), view.token, activity.id, kind=draft.kind,
                                        text=draft.text, details=draft.details, theme=draft.theme,
                                        source=draft.source, request_id=draft.request_id)
        finally:
            view.busy = False
            button.props(remove="loading")
        if not done:
            return
        draft.sent()
        text.value = ""
        details.value = ""
        show_source()
        acknowledge("tablet.contributed")
        await view.refresh_mine()

    show_source()
    fill_prompts()
    if not live:
        for control in controls:
            control.disable()


def word(view: TabletView, activity: Activity) -> None:
    draft = view.draft(activity, CardKind.WORD.value)
    live = accepting(activity, "contributions")
    with ui.column().classes("w-full gap-3"):
        field = ui.input(tr("tablet.word_label"), value=draft.text, placeholder=tr("tablet.word_placeholder"),
                         on_change=lambda e: setattr(draft, "text", e.value or "")).props(
            'outlined maxlength=40 enterkeyhint="send" autocomplete="off" input-class="text-2xl"').classes(
            "w-full").mark("word")
        button = ui.button(tr("tablet.word_submit"), icon="send", on_click=lambda: submit()).props(
            "unelevated size=lg color=primary no-caps").classes("w-full").mark("submit")
    field.on("keydown.enter", lambda: submit())

    async def submit() -> None:
        if view.busy:
            return
        view.busy = True
        button.props("loading")
        try:
            done, _card = await attempt(card_service.contribute, db(), view.token, activity.id,
                                        kind=CardKind.WORD.value, text=draft.text, request_id=draft.request_id)
        finally:
            view.busy = False
            button.props(remove="loading")
        if not done:
            return
        draft.sent()
        field.value = ""
        acknowledge("tablet.word_sent")
        await view.refresh_mine()

    if not live:
        field.disable()
        button.disable()


# --- voting -------------------------------------------------------------------------------


def dot_vote(view: TabletView, activity: Activity) -> Callable[[list[Card]], None]:
    if view.personal.ballot is None:
        view.personal.ballot = votes.Ballot(activity.id, activity.vote_budget or 0, activity.vote_max_per_card, {})
    live = accepting(activity, "votes")
    ui.label(tr("tablet.vote_hint")).classes("muted")
    rows_box = ui.column().classes("w-full gap-3").mark("vote-list")
    with rows_box:
        empty = ui.label(tr("tablet.no_cards")).classes("muted")
    counters: dict[int, tuple[Element, light.TapButton, light.TapButton]] = {}  # count, minus, plus

    def render_row(card: Card) -> ui.element:
        # One flat grid per card (see .vote-row): the cheapest build of the panel's repeated part.
        color = KIND_COLORS.get(card.kind.value, "#0b5394")
        with ui.element("div").classes("t-card vote-row").style(f"--kind: {color}").mark(f"vote-card-{card.id}") as box:
            light.text(card.text, "card-text wrap-text vote-text")
            theme = view.theme_label(card.theme_id)
            if theme:
                light.text(theme, "t-chip vote-theme", tag="span")
            minus = light.TapButton("remove", tr("tablet.remove_dot", text=short(card.text)),
                                    lambda: change(card, -1)).classes("vote-minus").mark("minus")
            count = light.text("0", "dot-count vote-count")
            count._props["role"] = "img"  # noqa: SLF001 - before the first update
            plus = light.TapButton("add", tr("tablet.add_dot", text=short(card.text)),
                                   lambda: change(card, +1)).classes("vote-plus").mark("plus")
        counters[card.id] = (count, minus, plus)
        show_count(card.id)
        return box

    def show_count(card_id: int) -> None:
        count, minus, plus = counters[card_id]
        n = view.personal.ballot.dots_by_card.get(card_id, 0)
        count.set_text(str(n))
        count.props["aria-label"] = count_tr("tablet.dots_on_card", n)
        count.classes(add="has-dots") if n else count.classes(remove="has-dots")
        if live and n > 0:
            minus.enable()
        else:
            minus.disable()
        if live:
            plus.enable()
        else:
            plus.disable()
        # Still clickable at the limit (the tap then says why in French), but looks spent.
        ballot = view.personal.ballot
        limit = activity.vote_max_per_card
        spent = ballot.remaining <= 0 or (limit is not None and n >= limit)
        plus.classes(add="at-limit") if spent else plus.classes(remove="at-limit")
        # Quasar's colour classes are !important in a cascade layer, which beats any page CSS:
        # the grey goes through the button's own colour props.
        plus.props.update({"color": "blue-grey-2", "text-color": "blue-grey-10"} if spent
                          else {"color": "primary", "text-color": "white"})

    rows = KeyedRows(lambda _card: rows_box, render_row)

    with ui.element("div").classes("budget-bar").props('role="status" aria-live="polite"').mark("budget") as bar:
        with ui.element("div").classes("inner"):
            remaining = ui.label().classes("remaining").mark("remaining")
            with ui.row().classes("w-full items-center justify-between no-wrap gap-2"):
                dots = ui.element("div").classes("dots").props('aria-hidden="true"')
                if activity.vote_max_per_card:
                    ui.label(tr("tablet.dots_max_per_card", max=activity.vote_max_per_card)).classes("text-sm")
    view.has_bar = True

    def show_budget() -> None:
        ballot = view.personal.ballot
        left = max(0, ballot.remaining)
        if left:
            remaining.set_text(count_tr("tablet.dots_remaining", left, budget=ballot.budget))
            bar.classes(remove="empty")
        else:
            remaining.set_text(tr("tablet.dots_used_up", budget=ballot.budget))
            bar.classes(add="empty")
        dots.clear()
        with dots:
            for i in range(ballot.budget):
                ui.element("span").classes("dot " + ("free" if i < left else "used"))

    async def change(card: Card, delta: int) -> None:
        async with view.vote_lock:
            current = view.personal.ballot.dots_by_card.get(card.id, 0)
            target = current + delta
            if target < 0:
                return
            done, ballot = await attempt(votes.set_dots, db(), view.token, activity.id, card.id, target)
            if not done:
                return
            before, view.personal.ballot = view.personal.ballot, ballot
            for card_id in counters:  # only the counters that changed (a vote touches one or two)
                if before.dots_by_card.get(card_id, 0) != ballot.dots_by_card.get(card_id, 0):
                    show_count(card_id)
            if before.remaining != ballot.remaining or before.budget != ballot.budget:
                show_budget()
            if (before.remaining > 0) != (ballot.remaining > 0):  # every "+" looks spent, or no more
                for card_id in counters:
                    show_count(card_id)
            acknowledge("tablet.vote_saved")

    def sync(cards: list[Card]) -> None:
        rows.sync(cards)
        for card_id in [c for c in counters if c not in rows.rows]:
            counters.pop(card_id)
        empty.set_visibility(not rows.rows)

    sync(view.cards)
    show_budget()
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
        already = ui.label(tr("tablet.robustness_done")).classes("t-chip self-start")
        ui.label(tr("tablet.robustness_verdict")).classes("font-semibold")
        verdict_buttons: dict[str, ui.button] = {}
        with ui.row().classes("w-full gap-2 no-wrap").props(f'role="radiogroup" aria-label="{tr("tablet.robustness_verdict")}"'):
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
        already.set_visibility(saved is not None)
        show_verdict()

    def choose(value: str) -> None:
        state["verdict"] = value
        show_verdict()

    def show_progress() -> None:
        challenges = set(challenge.options)
        actions = set(action.options)
        done = sum(1 for (c, a) in view.personal.robustness if c in challenges and a in actions)
        progress.set_text(tr("tablet.robustness_count", done=done, total=len(challenges) * len(actions)))

    async def submit() -> None:
        if not (state["challenge"] and state["action"] and state["verdict"]):
            ui.notify(tr("tablet.robustness_pick"), type="warning", position="top")
            return
        done, _ = await attempt(votes.rate_robustness, db(), view.token, activity.id, state["challenge"],
                                state["action"], state["verdict"], reason.value or "")
        if not done:
            return
        view.personal.robustness[(state["challenge"], state["action"])] = (state["verdict"], reason.value or "")
        already.set_visibility(True)
        show_progress()
        acknowledge("tablet.robustness_saved")

    def sync(cards: list[Card]) -> None:
        challenges = {c.id: short(c.text, 110) for c in cards if c.kind is CardKind.CHALLENGE}
        actions = {c.id: card_option(c, with_kind=False) for c in cards
                   if c.kind in (CardKind.CURRENT_ACTION, CardKind.ACTION_LEAD)}
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

    async def submit() -> None:
        if not (source.value and target.value and relation.value):
            ui.notify(tr("tablet.link_pick"), type="warning", position="top")
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


# --- reading --------------------------------------------------------------------------------


def wall(view: TabletView, activity: Activity) -> Callable[[list[Card]], None]:
    """Plenary and anything else: the activity's cards, grouped by kind."""
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
