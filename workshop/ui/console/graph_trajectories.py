"""The graph tab's trajectories: the forms for a new trajectory and a new step, and the list of
trajectories with their steps. Mixed into ``GraphPanel``, whose ``c``, ``cards``, ``data``,
``groups``, ``horizon``, ``select_trajectory`` and ``_text`` it uses."""

from __future__ import annotations

from nicegui import ui

from workshop import clock
from workshop.models import CardKind, Trajectory
from workshop.services import trajectories
from workshop.services.trajectories import STEP_KINDS
from workshop.i18n import list_separator
from workshop.ui.common import call, in_page, lang, tr
from workshop.ui.console.graph_data import card_option, short
from workshop.ui.console.widgets import heading, icon_button, whole_number

GOAL_KINDS = (CardKind.STAKE, CardKind.CHALLENGE)


class TrajectoryEditing:
    def _step_form(self) -> None:
        this_year = clock.now().year
        with ui.column().classes("w-full gap-2 pt-2 border-t border-slate-200").mark("step-form"):
            heading(tr("graph.console.new_step"), level=4, classes="font-semibold")
            with ui.row().classes("w-full items-center gap-2"):
                self.step_trajectory = ui.select({}, label=tr("graph.console.step_trajectory")).props(
                    "outlined dense options-dense").classes("grow min-w-[14rem]").mark("step-trajectory")
                self.step_year = ui.number(tr("graph.console.year"), min=this_year, max=self.horizon,
                                           step=1, format="%d").props("outlined dense").classes("w-28").mark(
                    "step-year")
            self.step_title = ui.input(tr("graph.console.step_title")).props("outlined dense maxlength=200").classes(
                "w-full").mark("step-title")
            self.step_description = ui.textarea(tr("graph.console.step_description")).props(
                "outlined dense autogrow maxlength=2000").classes("w-full").mark("step-description")
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                self.step_cards = ui.select({}, label=tr("graph.console.step_cards"), multiple=True,
                                            with_input=True).props(
                    "outlined dense options-dense use-chips").classes("grow min-w-0").mark("step-cards")
                ui.button(tr("graph.console.add_step"), icon="add", on_click=self._add_step).props(
                    "unelevated no-caps color=primary").mark("step-add")

    def _trajectory_form(self) -> None:
        with ui.expansion(tr("graph.console.new_trajectory"), icon="timeline").classes(
                "w-full border border-slate-200 rounded").props("dense").mark("trajectory-form"):
            with ui.column().classes("w-full gap-2 p-2"):
                self.trajectory_target = ui.select({}, label=tr("graph.console.trajectory_target"),
                                                   with_input=True).props(
                    "outlined dense options-dense").classes("w-full").mark("trajectory-target")
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    self.trajectory_title = ui.input(tr("graph.console.trajectory_title")).props(
                        "outlined dense maxlength=200").classes("grow").mark("trajectory-title")
                    self.trajectory_table = ui.select({0: tr("graph.console.no_table"), **self.groups}, value=0,
                                                      label=tr("graph.console.table")).props(
                        "outlined dense options-dense").classes("w-48").mark("trajectory-table")
                    ui.button(tr("graph.console.create_trajectory"), icon="add",
                              on_click=self._create_trajectory).props("unelevated no-caps color=primary").mark(
                        "trajectory-create")

    def _render_trajectories(self) -> None:
        data = self.data
        goals = {c.id: card_option(c) for c in sorted(self.cards.values(), key=lambda c: (c.kind.value, c.text.lower()))
                 if c.kind in GOAL_KINDS}
        self.trajectory_target.set_options(goals, value=self.trajectory_target.value
                                           if self.trajectory_target.value in goals else None)
        levers = {c.id: card_option(c) for c in sorted(self.cards.values(), key=lambda c: (c.kind.value, c.text.lower()))
                  if c.kind in STEP_KINDS}
        self.step_cards.set_options(levers, value=[v for v in (self.step_cards.value or []) if v in levers])
        options = {t.id: self._trajectory_name(t) for t in data.trajectories}
        value = self.step_trajectory.value if self.step_trajectory.value in options else (
            next(iter(options)) if options else None)
        if self.select_trajectory in options:
            value, self.select_trajectory = self.select_trajectory, None
        self.step_trajectory.set_options(options, value=value)
        self.trajectory_table.set_options({0: tr("graph.console.no_table"), **self.groups},
                                          value=self.trajectory_table.value if self.trajectory_table.value in
                                          self.groups else 0)
        # drawn again only when it changed (as the links' list)
        shown = tuple((t.id, self._trajectory_name(t), self._text(t.target_card_id),
                       tuple((s.id, s.year, s.title, s.description, tuple(self._text(i) for i in s.card_ids or []))
                             for s in t.steps)) for t in data.trajectories)
        self.trajectory_list.draw(shown, lambda: self._trajectory_cards(data.trajectories))

    def _trajectory_cards(self, trajectories: list[Trajectory]) -> None:
        if not trajectories:
            ui.label(tr("graph.console.no_trajectories")).classes("console-muted")
        for trajectory in trajectories:
            self._trajectory_card(trajectory)

    def _trajectory_name(self, trajectory: Trajectory) -> str:
        table = self.groups.get(trajectory.group_id) if trajectory.group_id else None
        return trajectory.title + (f" ({table})" if table else "")

    def _trajectory_card(self, trajectory: Trajectory) -> None:
        with ui.column().classes("w-full gap-1 p-2 rounded border border-slate-300 bg-white").mark(
                f"trajectory-{trajectory.id}"):
            with ui.row().classes("w-full items-baseline gap-2"):
                ui.label(trajectory.title).classes("font-bold")
                table = self.groups.get(trajectory.group_id) if trajectory.group_id else None
                if table:
                    ui.label(table).classes("text-xs console-muted")
            ui.label(tr("graph.console.trajectory_for", target=self._text(trajectory.target_card_id))).classes(
                "text-sm console-muted")
            if not trajectory.steps:
                ui.label(tr("graph.console.no_steps")).classes("text-sm console-muted")
            for step in trajectory.steps:
                with ui.row().classes("w-full items-start gap-2 no-wrap").mark(f"step-{step.id}"):
                    ui.label(str(step.year)).classes("font-bold tabular-nums w-12 shrink-0")
                    with ui.column().classes("grow gap-0 min-w-0"):
                        ui.label(step.title).classes("text-sm break-words")
                        if step.description:
                            ui.label(step.description).classes("text-xs console-muted whitespace-pre-line")
                        names = [short(self._text(i), 50) for i in step.card_ids or []]
                        if names:
                            ui.label(tr("graph.console.step_with", cards=list_separator(lang()).join(names))).classes(
                                "text-xs console-muted")
                    icon_button("delete", tr("graph.console.remove_step", title=step.title),
                                lambda s=step: self._remove_step(s.id), color="negative").mark(
                        f"step-remove-{step.id}")

    @in_page
    async def _remove_step(self, step_id: int) -> None:
        if await self.c.attempt(trajectories.remove_step, step_id):
            ui.notify(tr("graph.console.step_removed"), type="positive", position="top")

    @in_page
    async def _add_step(self) -> None:
        if self.step_trajectory.value is None:
            ui.notify(tr("graph.console.pick_trajectory"), type="warning", position="top")
            return
        if self.step_year.value is None:
            ui.notify(tr("graph.console.pick_year", min=clock.now().year, max=self.horizon), type="warning",
                      position="top")
            return
        year = whole_number(self.step_year.value)  # 2045.5 is refused by the service, not taken as 2045
        if await self.c.attempt(trajectories.add_step, self.step_trajectory.value, year=year,
                                title=self.step_title.value or "", description=self.step_description.value or "",
                                card_ids=list(self.step_cards.value or [])):
            ui.notify(tr("graph.console.step_added"), type="positive", position="top")
            self.step_title.value = ""
            self.step_description.value = ""
            self.step_cards.value = []

    @in_page
    async def _create_trajectory(self) -> None:
        if self.trajectory_target.value is None:
            ui.notify(tr("graph.console.pick_target"), type="warning", position="top")
            return
        created = await call(trajectories.create_trajectory, self.c.db, self.c.sid,
                             self.trajectory_target.value, self.trajectory_title.value or "",
                             group_id=self.trajectory_table.value or None)
        if created is not None:
            ui.notify(tr("graph.console.trajectory_created"), type="positive", position="top")
            self.trajectory_title.value = ""
            self.select_trajectory = created.id  # the step form turns to it once the list is redrawn
