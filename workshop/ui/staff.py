"""Staff pages: export a seminar's capitalisation report, or a synthesis of several seminars.

- ``/console/{seminar_id}/report``: formats to tick, "Exporter", a progress bar fed by the
  export's progress callback, then the files of this seminar to download; the lessons
  learned can be written here too. Whoever may read the seminar (``may_read``: its
  facilitators, staff readers and administrators); the lessons learned are written by its
  facilitators only (``is_facilitator``).
- ``/staff/synthesis``: among the seminars this browser may read (opened with their
  facilitator code, or allowed by the staff account logged in), choose two or more and
  export the cross-territory synthesis.

The export runs off the event loop (``run.io_bound``); its progress goes through a small
shared state that a UI timer reads (the callback itself never touches the page from the
worker thread). Downloads are single-use routes made for the browser that asked
(``ui.download.file``), and only ever of files this page lists for this seminar.
"""

from __future__ import annotations

import urllib.parse
from datetime import datetime
from pathlib import Path

from nicegui import app, run, ui

from workshop.errors import Forbidden, WorkshopError
from workshop.reports import FORMATS, MEDIA_TYPES, SUFFIXES, export_report, export_synthesis, seminar_export_files, warm_up
from workshop.reports.document import file_size
from workshop.services import seminars
from workshop.ui.publish_panels import PICKER_CSS, identity_panel, photos_page, results_panel, texts_panel
from workshop.ui.access import (
    guard_page,
    is_facilitator,
    may_read,
    require_facilitator,
    staff_identity,
)
from workshop.ui.common import (
    call_now,
    db,
    error_text,
    lang,
    language_switch,
    page_setup,
    show_error,
    tr,
)

STAFF_CSS = """
.staff-panel { background: #fff; border: 1px solid #cbd5e1; border-radius: 8px; }
.staff-muted { color: #334155; }
/* a logo's row holds on one line in the page's 768 px: its label, the logo (or an empty frame of
   the same size, so both rows' uploaders line up), the uploader (narrower if need be), « Retirer » */
.logo-row { flex-wrap: wrap; }
.logo-frame { width: 8rem; height: 4rem; flex: 0 0 auto; display: flex; align-items: center; justify-content: center;
  border-radius: 6px; }
.logo-frame.is-empty { border: 1px dashed #94a3b8; color: #334155; font-size: .875rem; }
.logo-uploader { flex: 1 1 12rem; min-width: 12rem; max-width: 16rem; }
/* no empty white box under the picker: the list shows while a file is on its way */
.logo-uploader .q-uploader__list:not(:has(.q-uploader__file)) { display: none; }
""" + PICKER_CSS


class _Progress:
    """Progress shared between the export thread (writes) and a UI timer (reads)."""

    def __init__(self) -> None:
        self.step, self.total, self.label, self.running = 0, 1, "", False

    def __call__(self, step: int, total: int, label: str) -> None:
        self.step, self.total, self.label = step, max(total, 1), label

    @property
    def fraction(self) -> float:
        return min(1.0, self.step / self.total)


def _format_of(path: Path) -> str:
    return next((fmt for fmt, suffix in SUFFIXES.items() if path.name.endswith(suffix)), "")


def _size(path: Path) -> str:
    return file_size(path.stat().st_size, lang())


def _format_picker() -> dict[str, ui.checkbox]:
    ui.label(tr("report.ui.formats")).classes("font-semibold")
    boxes = {}
    with ui.column().classes("gap-0"):
        for fmt in FORMATS:
            boxes[fmt] = ui.checkbox(tr(f"report.ui.format.{fmt}"), value=True).mark(f"format-{fmt}")
    return boxes


def _progress_widgets() -> tuple[ui.linear_progress, ui.label]:
    bar = ui.linear_progress(value=0, show_value=False, size="12px").classes("w-full").mark("progress")
    bar.props('aria-label="progress" instant-feedback')
    label = ui.label("").classes("text-sm staff-muted").props('role="status" aria-live="polite"').mark(
        "progress-label")
    bar.set_visibility(False)
    return bar, label


def _file_rows(paths: list[Path], container: ui.element) -> None:
    container.clear()
    with container:
        if not paths:
            ui.label(tr("report.ui.no_files")).classes("staff-muted")
            return
        order = {fmt: i for i, fmt in enumerate(FORMATS)}
        for path in sorted(paths, key=lambda p: (order.get(_format_of(p), 99), p.name)):
            fmt = _format_of(path)
            stamp = datetime.fromtimestamp(path.stat().st_mtime).strftime("%d/%m/%Y %H:%M")
            with ui.row().classes("w-full items-center gap-3 no-wrap"):
                ui.button(tr("report.ui.download"), icon="download",
                          on_click=lambda p=path, f=fmt: _download(p, f)).props(
                    "unelevated no-caps color=primary").classes("shrink-0").mark(f"download-{fmt}")
                ui.label(path.name).classes("font-mono text-sm break-words grow min-w-0").mark(f"file-{fmt}")
                ui.label(f"{_size(path)} · {stamp}").classes("text-sm staff-muted whitespace-nowrap")


def _download(path: Path, fmt: str) -> None:
    """A single-use, unguessable route to this one file, for this browser only (what
    ``ui.download.file`` does, spelled out so the simulated browser of the tests fetches it too)."""
    if not path.is_file():
        ui.notify(tr("report.ui.no_files"), type="warning", position="top")
        return
    src = app.add_static_file(local_file=path, single_use=True)
    ui.context.client.on_delete(lambda: app.remove_route(urllib.parse.unquote(src)))
    ui.download.from_url(src, path.name, MEDIA_TYPES.get(fmt, ""))


async def _run_export(button: ui.button, boxes: dict[str, ui.checkbox], bar: ui.linear_progress, label: ui.label,
                      work) -> dict[str, Path] | None:
    chosen = [fmt for fmt, box in boxes.items() if box.value]
    if not chosen:
        ui.notify(tr("report.ui.pick_one"), type="warning", position="top")
        return None
    progress = _Progress()
    button.disable()
    bar.set_visibility(True)
    bar.set_value(0)
    label.set_text(tr("report.ui.exporting"))

    def refresh() -> None:
        bar.set_value(progress.fraction)
        if progress.label:
            label.set_text(progress.label)

    timer = ui.timer(0.2, refresh)
    try:
        paths = await run.io_bound(work, chosen, progress)
    except WorkshopError as exc:
        label.set_text(tr("report.ui.failed", error=error_text(exc)))
        ui.notify(tr("report.ui.failed", error=error_text(exc)), type="negative", position="top")
        return None
    except Exception as exc:  # noqa: BLE001 - shown to the staff rather than lost in a log
        label.set_text(tr("report.ui.failed", error=f"{type(exc).__name__}: {exc}"))
        ui.notify(tr("report.ui.failed", error=type(exc).__name__), type="negative", position="top")
        return None
    finally:
        timer.cancel()
        button.enable()
    bar.set_value(1.0)
    label.set_text(tr("report.ui.done", count=len(paths)))
    ui.notify(tr("report.ui.done", count=len(paths)), type="positive", position="top")
    return paths


def _lessons_panel(seminar_id: int, written: str) -> None:
    """The lessons learned: a form for the seminar's facilitators, the text for readers."""
    ui.label(tr("report.ui.lessons")).classes("text-xl font-semibold").props('role="heading" aria-level="2"')
    with ui.column().classes("staff-panel w-full p-4 gap-2"):
        ui.label(tr("report.ui.lessons_help")).classes("text-sm staff-muted")
        if not is_facilitator(seminar_id):  # a reader: the lessons as written, not a form
            ui.label(written or "—").classes("whitespace-pre-wrap").mark("lessons-text")
            ui.label(tr("staff.lessons_read_only")).classes("text-sm staff-muted")
            return
        lessons = ui.textarea(tr("report.ui.lessons"), value=written).props(
            "outlined autogrow maxlength=20000").classes("w-full").mark("lessons")

        async def save() -> None:
            if not is_facilitator(seminar_id):
                show_error(Forbidden("staff_session_over"))
                return
            try:
                await run.io_bound(seminars.set_lessons_learned, db(), seminar_id, lessons.value or "")
            except WorkshopError as exc:
                show_error(exc)
                return
            ui.notify(tr("report.ui.lessons_saved"), type="positive", position="top")

        ui.button(tr("report.ui.save"), on_click=save).props("unelevated no-caps color=primary").mark("lessons-save")


def report_page(seminar_id: int) -> None:
    page_setup(tr("report.ui.page_title"))
    ui.add_css(STAFF_CSS)
    if not may_read(seminar_id):
        require_facilitator(seminar_id, next_path=f"/console/{seminar_id}/report")  # to the login
        return
    guard_page(seminar_id, may_read)  # every handler checks the right again (a tab left open after logout)
    seminar = call_now(seminars.get_seminar_by_id, db(), seminar_id)
    if seminar is None:
        return
    warm_up(list(FORMATS))  # Chromium and the PDF worker boot while staff choose the formats
    with ui.column().classes("w-full max-w-3xl mx-auto p-6 gap-5"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.link(tr("report.ui.back_console"), f"/console/{seminar_id}").classes("text-blue-900 underline")
            language_switch()
        ui.label(tr("report.ui.heading")).classes("text-3xl font-bold").props('role="heading" aria-level="1"')
        ui.label(seminar.title).classes("text-xl")
        ui.label(tr("report.ui.intro")).classes("staff-muted")

        with ui.column().classes("staff-panel w-full p-4 gap-3"):
            boxes = _format_picker()
            button = ui.button(tr("report.ui.export"), icon="description").props(
                "unelevated no-caps size=lg color=primary").mark("export")
            bar, label = _progress_widgets()

        ui.label(tr("report.ui.files")).classes("text-xl font-semibold").props('role="heading" aria-level="2"')
        files = ui.column().classes("staff-panel w-full p-4 gap-2").mark("files")
        _file_rows(seminar_export_files(seminar_id), files)

        def work(chosen, progress):
            return export_report(db(), seminar_id, chosen, progress=progress)

        async def export() -> None:
            if not may_read(seminar_id):
                ui.navigate.to(f"/console/{seminar_id}/login")
                return
            if await _run_export(button, boxes, bar, label, work) is not None:
                _file_rows(seminar_export_files(seminar_id), files)

        button.on_click(export)

        if is_facilitator(seminar_id):  # what staff publish: for the seminar's facilitators
            texts_panel(seminar_id)
            identity_panel(seminar_id)
            results_panel(seminar_id, seminar.join_code)
            ui.link(tr("publish.ui.photos_link"), f"/console/{seminar_id}/photos").classes(
                "text-blue-900 underline").mark("photos-link")
        _lessons_panel(seminar_id, seminar.lessons_learned or "")
        ui.link(tr("report.ui.synthesis_link"), "/staff/synthesis").classes("text-blue-900 underline")


def synthesis_page() -> None:
    page_setup(tr("report.ui.synthesis_title"))
    ui.add_css(STAFF_CSS)
    staff = staff_identity()
    mine = sorted((s for s in (call_now(seminars.list_seminars, db()) or []) if may_read(s.id, staff)),
                  key=lambda s: s.id)
    with ui.column().classes("w-full max-w-3xl mx-auto p-6 gap-5"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.link(tr("report.ui.back_home"), "/animation").classes("text-blue-900 underline")
            language_switch()
        ui.label(tr("report.ui.synthesis_title")).classes("text-3xl font-bold").props('role="heading" aria-level="1"')
        if len(mine) < 2:
            ui.label(tr("staff.synthesis_none")).classes("text-lg").mark("synthesis-none")
            return
        warm_up(list(FORMATS))
        ui.label(tr("staff.synthesis_intro")).classes("staff-muted")
        with ui.column().classes("staff-panel w-full p-4 gap-3"):
            ui.label(tr("report.ui.seminars")).classes("font-semibold")
            picks = {s.id: ui.checkbox(f"{s.territory} — {s.title}", value=True).mark(f"seminar-{s.id}") for s in mine}
            boxes = _format_picker()
            button = ui.button(tr("report.ui.export"), icon="compare").props(
                "unelevated no-caps size=lg color=primary").mark("export")
            bar, label = _progress_widgets()
        files = ui.column().classes("staff-panel w-full p-4 gap-2").mark("files")
        files.set_visibility(False)

        async def export() -> None:
            reader = staff_identity()  # read again: the session may have ended since the page opened
            chosen_ids = [sid for sid, box in picks.items() if box.value and may_read(sid, reader)]
            language = lang()

            def work(chosen, progress):
                return export_synthesis(db(), chosen_ids, chosen, progress=progress, lang=language)

            paths = await _run_export(button, boxes, bar, label, work)
            if paths is not None:
                files.set_visibility(True)
                _file_rows(list(paths.values()), files)

        button.on_click(export)


def register() -> None:
    ui.page("/console/{seminar_id}/report")(report_page)
    ui.page("/console/{seminar_id}/photos")(photos_page)
    from workshop.ui import results

    results.register()
    ui.page("/staff/synthesis")(synthesis_page)
