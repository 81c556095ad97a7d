"""Creating a seminar from a kit and a run sheet; the codes are shown once, then the console opens."""

from __future__ import annotations

import secrets
from datetime import date

from nicegui import ui

from workshop import clock
from workshop.content import ContentError, Kit, RunSheet, fill_horizon, find_kit, kit_files, load_kit, load_run_sheet, run_sheet_files
from workshop.services import seminars
from workshop.ui import browser_state
from workshop.ui.access import grant_facilitator
from workshop.ui.common import call, db, language_switch, tr
from workshop.ui.console.widgets import heading, setup_console_page

DEFAULT_TABLES = "Table 1\nTable 2\nTable 3\nTable 4"
# Generated facilitator codes are written down by hand: no 0/o, 1/l/i look-alikes, in groups of four.
_SECRET_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generated_secret() -> str:
    """A facilitator code easy to copy by hand (about 59 bits: 12 characters from 31)."""
    return "-".join("".join(secrets.choice(_SECRET_ALPHABET) for _ in range(4)) for _ in range(3))


def _kits() -> dict[str, Kit]:
    found = {}
    for path in kit_files():
        try:
            kit = load_kit(path)
        except ContentError:
            continue  # a broken kit file is reported by `workshop validate`, not offered here
        found[kit.name] = kit
    return found


def _run_sheets() -> dict[str, RunSheet]:
    found = {}
    for path in run_sheet_files():
        try:
            sheet = load_run_sheet(path)
        except ContentError:
            continue
        found[sheet.name] = sheet
    return found


def _parse_dates(values: list[str | None]) -> list[date] | None:
    """Dates typed for days 1..n; None (and a French message) when one is invalid or a day is skipped."""
    out: list[date] = []
    seen_empty = False
    for value in values:
        if not value:
            seen_empty = True
            continue
        if seen_empty:
            ui.notify(tr("console.dates_gap"), type="negative", position="top", multi_line=True)
            return None
        try:
            out.append(date.fromisoformat(value))
        except ValueError:
            ui.notify(tr("console.bad_date", value=value), type="negative", position="top")
            return None
    return out


def new_seminar_page() -> None:
    setup_console_page(tr("console.new_title"))
    kits = _kits()
    sheets = _run_sheets()
    this_year = clock.now().year
    with ui.column().classes("w-full max-w-3xl mx-auto p-6 gap-4"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.link("← " + tr("ui.facilitator_area"), "/animation").classes("text-blue-900 underline")
            language_switch()
        heading(tr("console.new_title"), level=1, classes="text-3xl font-bold")
        form = ui.column().classes("w-full gap-4")
    with form:
        with ui.card().classes("w-full p-5 gap-3").props("flat bordered"):
            heading(tr("console.new_territory"), level=2, classes="text-lg font-bold")
            title = ui.input(tr("console.field_seminar_title")).props("outlined maxlength=200").classes("w-full").mark("new-title")
            with ui.row().classes("w-full gap-3 no-wrap"):
                territory = ui.input(tr("console.field_territory")).props("outlined maxlength=200").classes("grow").mark(
                    "new-territory")
                horizon = ui.number(tr("console.field_horizon"), value=this_year + 30, min=this_year + 1,
                                    max=this_year + 100, step=1, format="%d").props("outlined").classes("w-48").mark(
                    "new-horizon")
        with ui.card().classes("w-full p-5 gap-3").props("flat bordered"):
            heading(tr("console.new_method"), level=2, classes="text-lg font-bold")
            sheet_options = {name: f"{s.title} ({tr('console.days_count', days=s.days, count=s.days)})" for name, s in sheets.items()}
            default_sheet = "deux-jours" if "deux-jours" in sheets else next(iter(sheets), None)
            sheet = ui.select(sheet_options, value=default_sheet, label=tr("console.field_run_sheet")).props(
                "outlined").classes("w-full").mark("new-run-sheet")
            sheet_help = ui.label().classes("text-sm console-muted")
            kit = ui.select({name: k.title for name, k in kits.items()}, label=tr("console.field_kit"),
                            value=None).props("outlined").classes("w-full").mark("new-kit")
            dates_row = ui.row().classes("w-full gap-3")
            date_inputs: list[ui.input] = []

            def sheet_changed() -> None:
                chosen = sheets.get(sheet.value)
                if chosen is None:
                    return
                sheet_help.set_text(fill_horizon(chosen.description, None))  # no seminar yet: no year
                wanted = chosen.kit or "visions21-fr"
                if wanted in kits:
                    kit.set_value(wanted)
                kept = [i.value for i in date_inputs]
                date_inputs.clear()
                dates_row.clear()
                with dates_row:
                    for day in range(1, chosen.days + 1):
                        field = ui.input(tr("console.field_day_date", number=day),
                                         value=kept[day - 1] if day <= len(kept) else None).props(
                            'outlined type=date stack-label').classes("w-56").mark(f"new-date-{day}")
                        date_inputs.append(field)

            sheet.on_value_change(sheet_changed)
            sheet_changed()
        with ui.card().classes("w-full p-5 gap-3").props("flat bordered"):
            heading(tr("console.new_room"), level=2, classes="text-lg font-bold")
            tables = ui.textarea(tr("console.field_tables"), value=DEFAULT_TABLES).props(
                "outlined autogrow maxlength=2000").classes("w-full").mark("new-tables")
            secret = ui.input(tr("console.field_secret"), placeholder=tr("console.secret_placeholder")).props(
                'outlined autocomplete="off" maxlength=200').classes("w-full").mark("new-secret")
            ui.label(tr("console.secret_help", min=seminars.MIN_SECRET_LENGTH)).classes("text-sm console-muted")

        async def create() -> None:
            chosen_sheet = sheets.get(sheet.value)
            if chosen_sheet is None or kit.value not in kits:
                ui.notify(tr("console.choose_run_sheet"), type="negative", position="top")
                return
            day_dates = _parse_dates([i.value for i in date_inputs])
            if day_dates is None:
                return
            year = horizon.value
            year = int(year) if isinstance(year, (int, float)) and float(year).is_integer() else year
            names = [line.strip() for line in (tables.value or "").splitlines() if line.strip()]
            created = await call(seminars.create_seminar, db(), title=title.value or "",
                                 territory=territory.value or "", horizon_year=year, run_sheet=chosen_sheet,
                                 kit=find_kit(kit.value), day_dates=day_dates, group_names=names,
                                 facilitator_secret=(secret.value or generated_secret()))
            if created is None:
                return
            grant_facilitator(created.seminar_id)  # who just chose the secret needs no login
            await browser_state.saved()
            form.clear()
            with form:
                _show_codes(created)

        ui.button(tr("console.create"), icon="add_circle", on_click=create).props(
            "unelevated size=lg no-caps color=primary").classes("self-end").mark("create")



def _show_codes(created: seminars.CreatedSeminar) -> None:
    with ui.card().classes("w-full p-6 gap-4 border-2 border-blue-900").props("flat").mark("created"):
        heading(tr("console.created_title"), level=2, classes="text-2xl font-bold")
        with ui.row().classes("w-full gap-8"):
            with ui.column().classes("gap-1"):
                ui.label(tr("console.created_join_code")).classes("text-sm font-semibold")
                ui.label(created.join_code).classes("text-4xl font-mono font-bold tracking-widest").mark(
                    "created-join-code")
            with ui.column().classes("gap-1"):
                ui.label(tr("console.created_secret")).classes("text-sm font-semibold")
                ui.label(created.facilitator_secret).classes("text-3xl font-mono font-bold break-all").mark(
                    "created-secret")
        ui.label(tr("console.created_warning")).classes("text-base font-semibold text-amber-900").props('role="alert"')
        ui.button(tr("console.open_console"), icon="arrow_forward",
                  on_click=lambda: ui.navigate.to(f"/console/{created.seminar_id}")).props(
            "unelevated size=lg no-caps color=primary").mark("go-console")



