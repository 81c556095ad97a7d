"""The tablet's trajectory panel: a table builds its path from today to the horizon.

A participant picks their table's trajectory (or starts one for a stake or a challenge),
then adds dated steps, each with the resources and actions it relies on. Every tablet of
the table sees the steps arrive live (``trajectory.changed``: one shared query for all
tablets, then each redraws only its own list of steps); forms are built once, so a
redraw never loses what someone is typing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nicegui import ui

from workshop import clock
from workshop.models import Activity, Card, CardKind, Trajectory
from workshop.services import trajectories
from workshop.services.trajectories import STEP_KINDS
from workshop.ui.common import KIND_COLORS, db, in_page, named_dialog, tr
from workshop.ui.tablet.widgets import accepting, acknowledge, attempt, card_option, count_tr, short, warn

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView

GOAL_KINDS = (CardKind.STAKE, CardKind.CHALLENGE)

TRAJECTORY_CSS = """
.traj-pick { width: 100%; text-align: left; border: 2px solid #94a3b8; border-radius: 12px; background: #fff;
  padding: 12px 14px; min-height: 64px; color: #0f172a; }
.traj-pick.is-chosen { border-color: #0b5394; background: #e0ecf8; box-shadow: inset 6px 0 0 #0b5394; }
.traj-pick .q-btn__content { flex-direction: column; align-items: flex-start; text-align: left; }
.traj-pick .title { font-size: 1.15rem; font-weight: 700; line-height: 1.25; text-transform: none; }
.traj-pick .sub { font-size: .95rem; font-weight: 500; color: #334155; text-transform: none; }
.traj-steps { width: auto; align-self: stretch; border-left: 4px solid #0b5394; margin-left: 10px;
  padding-left: 12px; }
.traj-year { flex: 0 0 auto; min-width: 64px; padding: 4px 10px; border-radius: 8px; background: #0b5394;
  color: #fff; font-weight: 800; font-size: 1.05rem; text-align: center; font-variant-numeric: tabular-nums; }
.traj-step-title { flex: 1 1 12rem; min-width: 0; }
.traj-step { width: 100%; background: #fff; border: 1px solid #cbd5e1; border-radius: 10px; padding: 10px 12px; }
.traj-form { width: 100%; background: #f1f5f9; border: 1px solid #cbd5e1; border-radius: 12px; padding: 14px; }
"""


def mine(view: TabletView, trajectory: Trajectory) -> bool:
    """A trajectory of the participant's table, or one they started themselves."""
    joined = view.joined
    return ((trajectory.group_id is not None and trajectory.group_id == joined.group_id)
            or trajectory.created_by_id == joined.participant_id)


def render(view: TabletView, activity: Activity) -> Callable[[list[Card]], None]:
    ui.add_css(TRAJECTORY_CSS)
    live = accepting(activity, "contributions")
    horizon = view.horizon
    this_year = clock.now().year
    if not activity.participant_instructions:
        ui.label(tr("graph.tablet.intro", horizon=horizon)).classes("muted")
    state = view.trajectory_state
    by_id: dict[int, Card] = {}
    everything: list[Trajectory] = list(view.personal.trajectories)
    controls: list[ui.element] = []

    table = view.groups.get(view.joined.group_id) if view.joined.group_id else None
    ui.label(tr("graph.tablet.ours", table=table) if table else tr("graph.tablet.yours")).classes("t-h2").props(
        'role="heading" aria-level="2"')
    picker = ui.column().classes("w-full gap-2").props(
        f'role="radiogroup" aria-label="{tr("graph.tablet.choose")}"').mark("trajectory-picker")

    # --- the chosen trajectory: its steps and the step form ----------------------------------
    with ui.column().classes("w-full gap-3") as chosen_box:
        chosen_title = ui.label().classes("t-h2 wrap-text").props('role="heading" aria-level="2"').mark(
            "trajectory-title")
        steps_box = ui.column().classes("traj-steps gap-2").props('role="list"').mark("trajectory-steps")
        with ui.column().classes("traj-form gap-3").mark("step-form"):
            ui.label(tr("graph.tablet.add_step")).classes("text-lg font-bold").props('role="heading" aria-level="3"')
            ui.label(tr("graph.tablet.backwards", horizon=horizon)).classes("text-sm muted")
            year = ui.select({y: str(y) for y in range(horizon, this_year - 1, -1)}, value=state.get("year"),
                             label=tr("graph.tablet.year"),
                             on_change=lambda e: state.__setitem__("year", e.value)).props("outlined").classes(
                "w-full").mark("step-year")
            title = ui.input(tr("graph.tablet.step_title"), value=state.get("title", ""),
                             placeholder=tr("graph.tablet.step_placeholder"),
                             on_change=lambda e: state.__setitem__("title", e.value or "")).props(
                "outlined maxlength=200").classes("w-full").mark("step-title")
            description = ui.textarea(tr("graph.tablet.step_description"), value=state.get("description", ""),
                                      on_change=lambda e: state.__setitem__("description", e.value or "")).props(
                "outlined autogrow maxlength=2000").classes("w-full").mark("step-description")
            levers = ui.select({}, label=tr("graph.tablet.step_cards"), multiple=True, with_input=True,
                               value=list(state.get("cards", [])),
                               on_change=lambda e: state.__setitem__("cards", list(e.value or []))).props(
                "outlined use-chips").classes("w-full field-hint").mark("step-cards")
            # a short name a phone shows whole (« Avec quelles ressources et actions ? (facultatif) » was
            # cut at its middle on a 390 px phone), the rest said under the field, in the flow of the
            # page (hide-bottom-space): a hint on two lines then pushes the button down, not under it
            levers.props.update({"hint": tr("graph.tablet.step_cards_hint"), "hide-bottom-space": True})
            add = ui.button(tr("graph.tablet.submit_step"), icon="add", on_click=lambda: add_step()).props(
                "unelevated size=lg color=primary no-caps").classes("w-full").mark("step-submit")
        controls += [year, title, description, levers, add]

    # --- starting a trajectory -----------------------------------------------------------------
    with ui.expansion(tr("graph.tablet.new"), icon="add_circle_outline").classes(
            "w-full bg-white rounded-borders").props("header-class=text-weight-bold").mark("new-trajectory") as new_box:
        # NiceGUI's own padding only (with 8 px more, « Pour quel enjeu ou quel défi ? » was cut on a phone),
        # and a short name for the goal (« Enjeu ou défi visé »): the question fitted a 390 px phone by 8 px,
        # cut again by a slightly wider font or larger text
        with ui.column().classes("w-full gap-3"):
            target = ui.select({}, label=tr("graph.tablet.target"), with_input=True).props("outlined").classes(
                "w-full").mark("trajectory-target")
            name = ui.input(tr("graph.tablet.title"), placeholder=tr("graph.tablet.title_placeholder")).props(
                "outlined maxlength=200").classes("w-full").mark("trajectory-name")
            no_targets = ui.label(tr("graph.tablet.no_targets")).classes("muted")
            create = ui.button(tr("graph.tablet.create"), icon="flag", on_click=lambda: create_trajectory()).props(
                "unelevated size=lg color=primary no-caps").classes("w-full").mark("trajectory-create")
        controls += [target, name, create]

    def ours() -> list[Trajectory]:
        return [t for t in everything if mine(view, t)]

    def chosen() -> Trajectory | None:
        return next((t for t in ours() if t.id == state.get("trajectory")), None)

    def target_text(trajectory: Trajectory) -> str:
        card = by_id.get(trajectory.target_card_id)
        return card.text if card else ""

    def draw_picker() -> None:
        own = ours()
        ids = {t.id for t in own}
        if state.get("wanted") in ids:  # just created here: show it as soon as it is listed
            state["trajectory"] = state.pop("wanted")
        elif state.get("trajectory") not in ids:
            state["trajectory"] = own[0].id if own else None
        picker.clear()
        with picker:
            if not own:
                ui.label(tr("graph.tablet.none_yet")).classes("muted").mark("no-trajectory")
            for trajectory in own:
                is_chosen = trajectory.id == state["trajectory"]
                with ui.button(on_click=lambda t=trajectory: choose(t.id)).props("flat no-caps").classes(
                        "traj-pick" + (" is-chosen" if is_chosen else "")).mark(f"pick-{trajectory.id}") as button:
                    ui.label(trajectory.title).classes("title wrap-text")
                    ui.label(tr("graph.tablet.for", target=short(target_text(trajectory), 90))
                             + " · " + count_tr("graph.tablet.steps", len(trajectory.steps))).classes("sub wrap-text")
                button.props(f'role="radio" aria-checked="{str(is_chosen).lower()}"')
        new_box.value = not own
        draw_chosen()

    def draw_chosen() -> None:
        trajectory = chosen()
        chosen_box.set_visibility(trajectory is not None)
        steps_box.clear()
        if trajectory is None:
            return
        chosen_title.set_text(tr("graph.tablet.steps_of", title=trajectory.title))
        with steps_box:
            if not trajectory.steps:
                ui.label(tr("graph.tablet.no_steps")).classes("muted")
            for step in trajectory.steps:
                with ui.row().classes("traj-step items-start gap-3 no-wrap").props('role="listitem"').mark(
                        f"step-{step.id}"):
                    with ui.column().classes("gap-1").style("flex: 1 1 auto; min-width: 0"):
                        # on a phone the title goes under the year rather than in a thin column
                        with ui.row().classes("w-full items-start gap-x-3 gap-y-1"):
                            ui.label(str(step.year)).classes("traj-year")
                            ui.label(step.title).classes("traj-step-title font-semibold wrap-text text-lg")
                        if step.description:
                            ui.label(step.description).classes("muted wrap-text").style("white-space: pre-line")
                        with ui.row().classes("gap-1"):
                            for card_id in step.card_ids or []:
                                card = by_id.get(card_id)
                                if card is not None:
                                    ui.label(short(card.text, 60)).classes("t-chip kind-chip").style(
                                        f"--kind: {KIND_COLORS.get(card.kind.value, '#0b5394')}")
                    remove = ui.button(icon="delete_outline", on_click=lambda s=step: confirm_remove(s)).props(
                        "flat round color=negative").classes("tap-round").mark(f"step-remove-{step.id}")
                    remove.props["aria-label"] = tr("graph.tablet.remove_step", title=short(step.title))
                    if not live:
                        remove.disable()

    def choose(trajectory_id: int) -> None:
        state["trajectory"] = trajectory_id
        draw_picker()

    @in_page
    async def add_step() -> None:
        trajectory = chosen()
        if trajectory is None:
            warn("graph.tablet.pick_trajectory")
            return
        if year.value is None:
            warn("graph.tablet.pick_year")
            return
        add.props("loading")
        try:
            done, _ = await attempt(trajectories.add_step_from_device, db(), view.token, trajectory.id,
                                    year=int(year.value), title=title.value or "",
                                    description=description.value or "", card_ids=list(levers.value or []))
        finally:
            add.props(remove="loading")
        if not done:
            return
        for key in ("title", "description", "cards", "year"):
            state.pop(key, None)
        title.value = ""
        description.value = ""
        levers.value = []
        year.value = None
        acknowledge("graph.tablet.step_added")

    def confirm_remove(step) -> None:
        with view.dialogs, named_dialog() as dialog, ui.card().classes("w-full gap-3").style("max-width: 560px"):
            ui.label(tr("graph.tablet.remove_title")).classes("t-h2").props('role="heading" aria-level="2"')
            ui.label(f"{step.year} · {step.title}").classes("wrap-text font-semibold")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary size=lg")
                ui.button(tr("graph.tablet.remove"), icon="delete_outline", on_click=lambda: remove()).props(
                    "unelevated no-caps color=negative size=lg").mark("step-remove-confirm")
        dialog.on("hide", dialog.delete)

        @in_page
        async def remove() -> None:
            done, _ = await attempt(trajectories.remove_step_from_device, db(), view.token, step.id)
            if done:
                dialog.close()
                acknowledge("graph.tablet.step_removed")

        dialog.open()

    @in_page
    async def create_trajectory() -> None:
        if target.value is None:
            warn("graph.tablet.pick_target")
            return
        create.props("loading")
        try:
            done, created = await attempt(trajectories.create_trajectory, db(), view.seminar_id, target.value,
                                          name.value or "", device_token=view.token)
        finally:
            create.props(remove="loading")
        if not done:
            return
        state["wanted"] = created.id
        name.value = ""
        target.value = None
        draw_picker()
        new_box.value = False
        acknowledge("graph.tablet.created")

    def sync_cards(cards: list[Card]) -> None:
        by_id.clear()
        by_id.update({c.id: c for c in cards})
        goals = {c.id: card_option(c, with_kind=True) for c in cards if c.kind in GOAL_KINDS}
        target.set_options(goals, value=target.value if target.value in goals else None)
        no_targets.set_visibility(not goals)
        options = {c.id: card_option(c, with_kind=True) for c in cards if c.kind in STEP_KINDS}
        levers.set_options(options, value=[v for v in (levers.value or []) if v in options])
        draw_picker()

    def sync_trajectories(listed: list[Trajectory]) -> None:
        everything[:] = listed
        draw_picker()

    view.trajectory_sync = sync_trajectories
    sync_cards(view.cards)
    if not live:
        for control in controls:
            control.disable()
    return sync_cards

