"""Dialogs that edit the run sheet: change an activity, add one from the kit, remove one."""

from __future__ import annotations

from nicegui import ui

from workshop.models import Activity, ActivityMode, ActivityState, Interaction
from workshop.services import planning
from workshop.ui.common import call_now, in_page, tr
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import attempt, heading, whole_number


def _mode_options() -> dict[str, str]:
    return {m.value: tr(f"mode.{m.value}") for m in ActivityMode}


def edit_dialog(console: Console, activity_id: int) -> None:
    a = next((x for x in console.activities() if x.id == activity_id), None)
    if a is None:
        return
    pending = a.state is ActivityState.PENDING
    with console.dialog() as dialog, ui.card().classes("w-[40rem] max-w-full gap-3").mark("edit-activity-dialog"):
        heading(tr("console.edit_activity"), level=2, classes="text-xl font-bold")
        if not pending:
            ui.label(tr("console.started_texts_only")).classes("text-sm text-amber-900")
        title = ui.input(tr("console.field_title"), value=a.title).props("outlined maxlength=200").classes("w-full").mark(
            "edit-title")
        with ui.row().classes("w-full gap-3 no-wrap"):
            minutes = ui.number(tr("console.field_minutes"), value=a.planned_minutes, min=1, max=planning.MAX_MINUTES,
                                step=1).props("outlined").classes("w-40").mark("edit-minutes")
            mode = ui.select(_mode_options(), value=a.mode.value, label=tr("console.field_mode")).props(
                "outlined").classes("w-56")
            budget = per_card = None
            if a.interaction is Interaction.DOT_VOTE:
                budget = ui.number(tr("console.field_budget"), value=a.vote_budget, min=1,
                                   max=planning.MAX_VOTE_BUDGET, step=1).props("outlined").classes("w-36").mark(
                    "edit-budget")
                per_card = ui.number(tr("console.field_max_per_card"), value=a.vote_max_per_card, min=1,
                                     max=planning.MAX_VOTE_BUDGET, step=1).props('outlined clearable').classes("w-40")
                per_card.tooltip(tr("console.max_per_card_help"))
        for field in (minutes, mode, budget, per_card):
            if field is not None and not pending:
                field.disable()
        participant = ui.textarea(tr("console.field_participant_instructions"),
                                  value=a.participant_instructions).props("outlined autogrow maxlength=5000").classes("w-full")
        facilitator = ui.textarea(tr("console.field_facilitator_instructions"),
                                  value=a.facilitator_instructions).props("outlined autogrow maxlength=5000").classes("w-full")

        @in_page
        async def save() -> None:
            changes = {"title": title.value or "", "participant_instructions": participant.value or "",
                       "facilitator_instructions": facilitator.value or ""}
            if pending:
                changes["minutes"] = whole_number(minutes.value)
                changes["mode"] = mode.value
                if budget is not None:
                    changes["vote_budget"] = whole_number(budget.value)
                    changes["vote_max_per_card"] = whole_number(per_card.value)
            if changes.get("minutes") is None:
                changes.pop("minutes", None)
            if await attempt(planning.update_activity, console.db, console.sid, a.id, **changes):
                ui.notify(tr("ui.saved"), type="positive", position="top")
                dialog.close()

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
            ui.button(tr("ui.save"), on_click=save).props("unelevated no-caps color=primary").mark("edit-save")
    dialog.open()


def add_dialog(console: Console) -> None:
    acts = console.activities()
    types = call_now(planning.exercise_types, console.db, console.sid) or []
    started = [i for i, a in enumerate(acts) if a.state is not ActivityState.PENDING]
    first_free = (started[-1] if started else -1)
    places = {}
    if first_free == -1:
        places[-1] = tr("console.at_start")
    for i in range(max(first_free, 0), len(acts)):
        places[i] = tr("console.after_activity", number=i + 1, title=acts[i].title)
    days = len(console.seminar().days) if console.seminar() else 1
    selected = console.selected()
    index = next((i for i, a in enumerate(acts) if selected is not None and a.id == selected.id), None)
    default_place = index if index in places else len(acts) - 1
    with console.dialog() as dialog, ui.card().classes("w-[40rem] max-w-full gap-3").mark("add-activity-dialog"):
        heading(tr("console.add_activity"), level=2, classes="text-xl font-bold")
        exercise = ui.select({k: label for k, label in types}, label=tr("console.field_exercise"),
                             value=types[0][0] if types else None).props("outlined").classes("w-full").mark(
            "add-exercise")
        place = ui.select(places, label=tr("console.field_place"), value=default_place).props("outlined").classes(
            "w-full").mark("add-place")
        title = ui.input(tr("console.field_title_optional")).props("outlined maxlength=200").classes("w-full").mark("add-title")
        with ui.row().classes("w-full gap-3 no-wrap"):
            minutes = ui.number(tr("console.field_minutes"), value=None, min=1, max=planning.MAX_MINUTES, step=1).props(
                "outlined").classes("w-40").mark("add-minutes")
            day_options = {0: tr("console.day_auto")} | {d: tr("console.day", number=d) for d in range(1, days + 1)}
            day = ui.select(day_options, value=0, label=tr("console.field_day")).props("outlined").classes("w-48")
        ui.label(tr("console.add_help")).classes("text-sm console-muted")

        @in_page
        async def add() -> None:
            def run() -> int:
                return planning.add_activity(
                    console.db, console.sid, exercise_type=exercise.value or "", after=place.value,
                    title=(title.value or None), minutes=whole_number(minutes.value), day=day.value or None)

            from workshop.ui.common import call

            new_id = await call(run)
            if new_id is not None:
                console.follow_current = False
                console.selected_id = new_id
                dialog.close()

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
            ui.button(tr("console.add"), on_click=add).props("unelevated no-caps color=primary").mark("add-save")
    dialog.open()


def confirm_remove(console: Console, activity: Activity) -> None:
    with console.dialog() as dialog, ui.card().classes("gap-3"):
        heading(tr("console.remove_title"), level=2, classes="text-lg font-bold")
        ui.label(tr("console.remove_question", title=activity.title))

        @in_page
        async def remove() -> None:
            if await attempt(planning.remove_activity, console.db, console.sid, activity.id):
                dialog.close()

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(tr("ui.cancel"), on_click=dialog.close).props("flat no-caps color=primary")
            ui.button(tr("console.remove"), on_click=remove).props("unelevated no-caps color=negative").mark(
                "remove-confirm")
    dialog.open()
