"""Exporting a seminar's capitalisation report (and a synthesis of several) to files.

``export_report(db, seminar_id, formats=..., out_dir=..., progress=...)`` reads the seminar
once into the report model, lays it out once, then writes each format asked for:

- ``html``: self-contained page with interactive figures (works offline);
- ``pdf``: paged A4 document (cover, contents with page numbers, page numbers);
- ``docx``: editable document (Word, LibreOffice);
- ``csv``: the open data, one CSV per table in a zip (comma, UTF-8, stable codes);
- ``csv-tableur``: the same tables for spreadsheets (semicolon, UTF-8 with BOM, words, decimal comma);
- ``xlsx``: one sheet per table.

The static figures the PDF and the DOCX need are rendered once, in a background thread
(Chromium starts there) while the HTML and the data files are written, and shared by both.
Files go to ``exports/`` (``WORKSHOP_EXPORTS_DIR``) unless ``out_dir`` says otherwise,
named from the territory and the date, plus the seminar number so two seminars never
overwrite each other's files. Works at any moment, during the seminar too.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

from workshop import clock, config
from workshop.db import Database
from workshop.errors import Invalid
from workshop.i18n import translate
from workshop.reports.document import Document

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("pdf", "docx", "html", "csv", "csv-tableur", "xlsx")
SUFFIXES = {"pdf": "_rapport.pdf", "docx": "_rapport.docx", "html": "_rapport.html",
            "csv": "_donnees-csv.zip", "csv-tableur": "_tableur-csv.zip", "xlsx": "_donnees.xlsx"}
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "html": "text/html", "csv": "application/zip", "csv-tableur": "application/zip",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

Progress = Callable[[int, int, str], None]

#: Static figures are never taller than this times their width (with a chapter heading, one A4 page).
MAX_ASPECT = 1.2


def slugify(text: str, max_length: int = 60) -> str:
    """``"Saint-Quentinois (Aisne)"`` -> ``"saint-quentinois-aisne"`` (ASCII, for file names)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:max_length].rstrip("-") or "seminaire"


def report_stem(territory: str, day: date, seminar_id: int) -> str:
    return f"{slugify(territory)}_{day.isoformat()}_seminaire-{seminar_id}"


def synthesis_stem(day: date, seminar_ids: Iterable[int]) -> str:
    return f"synthese_{day.isoformat()}_seminaires-{'-'.join(str(i) for i in seminar_ids)}"


def seminar_export_files(seminar_id: int, out_dir: Path | None = None) -> list[Path]:
    """Report files already written for this seminar (newest first); a synthesis is not one."""
    folder = Path(out_dir) if out_dir else config.exports_dir()
    marker = f"_seminaire-{seminar_id}_"
    files = [p for p in folder.glob(f"*{marker}*") if p.is_file() and marker in p.name
             and any(p.name.endswith(s) for s in SUFFIXES.values())]
    return sorted(files, key=lambda p: (-p.stat().st_mtime, p.name))


def check_formats(formats: Iterable[str] | str | None) -> list[str]:
    if formats is None:
        return list(FORMATS)
    if isinstance(formats, str):
        formats = [f for f in re.split(r"[,\s]+", formats) if f]
    chosen = [f.strip().lower() for f in formats]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise Invalid("unknown_export_format", format=", ".join(unknown) or "–", formats=", ".join(FORMATS))
    return [f for f in FORMATS if f in chosen]  # canonical order, no duplicates


class _Steps:
    def __init__(self, total: int, progress: Progress | None, lang: str) -> None:
        self.done, self.total, self.progress, self.lang = 0, total, progress, lang

    def __call__(self, key: str, **params) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, translate(f"report.progress.{key}", self.lang, **params))
        self.done += 1

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total, translate("report.progress.done", self.lang))


def _static_figures(doc: Document) -> tuple[Future | None, dict[str, tuple[int, int]]]:
    """Start rendering the print figures in a background thread; returns the pending images
    and each figure's size (layout pixels), known before any image exists."""
    from workshop.reports.figures import STATIC_FORMAT

    if not doc.figures:
        return None, {}
    items, sizes = [], {}
    for key, spec in doc.figures.items():
        fig = spec.build("print")
        # A tall map still fits a page under its chapter heading: at most MAX_ASPECT times as high as wide.
        height = min(spec.height or int(fig.layout.height or 560), int(MAX_ASPECT * spec.width))
        items.append((fig, STATIC_FORMAT, spec.width, height))
        sizes[key] = (spec.width, height)
    keys = list(sizes)

    def render() -> dict[str, bytes]:
        from workshop.reports.figures import render_static

        return dict(zip(keys, render_static(items)))

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-figures")
    future = executor.submit(render)
    executor.shutdown(wait=False)
    return future, sizes


def warm_up(chosen: list[str]) -> None:
    """Start what the PDF and DOCX will need (Chromium for the figures, the PDF worker) now:
    they boot in the background while the seminar is read, or while staff tick the formats
    on the report page (the first export of a server's life then takes no longer than the next)."""
    if {"pdf", "docx"} & set(chosen):
        from workshop.reports.figures import warm_up

        warm_up()
    if "pdf" in chosen and os.environ.get("WORKSHOP_PDF_WORKER", "on").lower() not in ("off", "0", "no", "false"):
        from workshop.reports.pdf_worker import WORKER

        try:
            WORKER.start()
        except OSError as exc:
            log.warning("PDF worker cannot start: %s", exc)


class _Images:
    """The figures' images once rendered (waits for them the first time it is called); none
    when static export cannot run here: the documents then say "figure not available"."""

    def __init__(self, future: Future | None) -> None:
        self.future = future
        self._images: dict[str, bytes] | None = None
        self.failed = False

    def __call__(self) -> dict[str, bytes]:
        if self._images is None:
            self._images = {}
            if self.future is not None:
                from workshop.figures import StaticExportUnavailable

                try:
                    self._images = self.future.result()
                except StaticExportUnavailable as exc:
                    log.warning("report figures left out: %s", exc)
                    self.failed = True
                except Exception:  # a browser crash: a report without figures beats no report
                    log.exception("report figures could not be rendered")
                    self.failed = True
        return self._images


def write_documents(doc: Document, tables, stem: str, out_dir: Path, chosen: list[str], steps: _Steps, *,
                    readme: str) -> dict[str, Path]:
    """Write ``chosen`` formats of a laid-out document and its data tables.

    Order, for the shortest wait on two cores: the figures go to Chromium (its own process)
    and the PDF to the PDF worker (its own process, see ``pdf_worker``), which lays the pages
    out while the figures are drawn (it needs only their sizes); meanwhile this thread writes
    the HTML and the data files. When the figures are there, the worker draws the PDF while
    this thread writes the DOCX. If the worker cannot be used, the PDF is made here.
    """
    from workshop.reports import data

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {f: out_dir / f"{stem}{SUFFIXES[f]}" for f in chosen}
    pending, sizes = _static_figures(doc) if {"pdf", "docx"} & set(chosen) else (None, {})
    images = _Images(pending)
    written: dict[str, Path] = {}
    remote = None
    pdf_tmp = paths["pdf"].with_name(f".{paths['pdf'].name}.part") if "pdf" in chosen else None
    try:
        if "pdf" in chosen:
            steps("pdf_layout")
            remote = _submit_pdf(doc, sizes, pdf_tmp)
        if "html" in chosen:
            from workshop.reports.html import render_html

            steps("html")
            _atomic_write_text(paths["html"], render_html(doc, variant="interactive"))
            written["html"] = paths["html"]
        if "csv" in chosen:
            steps("csv")
            _atomic(paths["csv"], lambda tmp: data.write_csv_zip(tables, tmp, readme=readme, lang=doc.lang))
            written["csv"] = paths["csv"]
        if "csv-tableur" in chosen:
            steps("sheet_csv")
            _atomic(paths["csv-tableur"],
                    lambda tmp: data.write_sheet_csv_zip(tables, tmp, readme=readme, lang=doc.lang))
            written["csv-tableur"] = paths["csv-tableur"]
        if "xlsx" in chosen:
            steps("xlsx")
            _atomic(paths["xlsx"], lambda tmp: data.write_xlsx(tables, tmp, title=f"{doc.title} · {doc.kind_label}"))
            written["xlsx"] = paths["xlsx"]
        if pending is not None:
            steps("figures")
            images()
        if remote is not None:
            remote.provide_images({} if images.failed else images())
        if "docx" in chosen:
            from workshop.reports.docx import render_docx

            steps("docx")
            _atomic(paths["docx"], lambda tmp: render_docx(doc, tmp, images=images()))
            written["docx"] = paths["docx"]
        if "pdf" in chosen:
            steps("pdf")
            made = False
            if remote is not None:
                from workshop.reports.pdf_worker import WorkerFailed

                try:
                    remote.result()
                    made = not images.failed or not sizes
                except WorkerFailed as exc:
                    log.warning("PDF worker failed, laying the PDF out here instead: %s", exc)
                remote = None
            if not made:
                from workshop.reports.pdf import PdfJob

                PdfJob(doc, {} if images.failed else sizes, images).write(pdf_tmp)
            pdf_tmp.replace(paths["pdf"])
            written["pdf"] = paths["pdf"]
    finally:
        if remote is not None:
            remote.abandon()
        if pdf_tmp is not None:
            pdf_tmp.unlink(missing_ok=True)
    return {f: written[f] for f in chosen}


def _submit_pdf(doc: Document, sizes: dict[str, tuple[int, int]], path: Path):
    """Hand the PDF to the worker process (None if it cannot be started: made here later)."""
    if os.environ.get("WORKSHOP_PDF_WORKER", "on").lower() in ("off", "0", "no", "false"):
        return None
    from workshop.reports.pdf import print_html
    from workshop.reports.pdf_worker import WORKER, WorkerFailed

    try:
        return WORKER.submit(print_html(doc, sizes), sizes, path)
    except (WorkerFailed, OSError) as exc:
        log.warning("PDF worker unavailable, the PDF is laid out here: %s", exc)
        return None


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write to a temporary name, then rename: a download never sees half a file."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _atomic_write_text(path: Path, text: str) -> None:
    _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _step_count(chosen: list[str]) -> int:
    return 2 + len(chosen) + (1 if {"pdf", "docx"} & set(chosen) else 0) + (1 if "pdf" in chosen else 0)


def export_report(db: Database, seminar_id: int, formats: Iterable[str] | str | None = None,
                  out_dir: Path | str | None = None, progress: Progress | None = None, *,
                  now: datetime | None = None) -> dict[str, Path]:
    """Write the seminar's report in ``formats`` (default: all) and return ``{format: path}``.

    ``progress(step, total, label)`` is called before each step and once at the end
    (``step == total``), from the calling thread.
    """
    from workshop.reports import data
    from workshop.reports.layout import seminar_document
    from workshop.reports.model import build_report
    from workshop.services import seminars

    chosen = check_formats(formats)
    out = Path(out_dir) if out_dir else config.exports_dir()
    lang = seminars.get_seminar_by_id(db, seminar_id).language
    warm_up(chosen)
    steps = _Steps(_step_count(chosen), progress, lang)
    steps("read")
    report = build_report(db, seminar_id, now=now or clock.now())
    steps("layout")
    tables = data.report_tables(report)
    stem = report_stem(report.territory, report.first_day or report.created_on, seminar_id)
    names = {report.t("report.data_csv"): f"{stem}{SUFFIXES['csv']}",
             report.t("report.data_sheet_csv"): f"{stem}{SUFFIXES['csv-tableur']}",
             report.t("report.data_xlsx"): f"{stem}{SUFFIXES['xlsx']}"}
    doc = seminar_document(report, tables, names)
    written = write_documents(doc, tables, stem, out, chosen, steps,
                              readme=f"{report.title} — {report.t('report.kind')} — {doc.generated}")
    steps.finish()
    return written


def export_synthesis(db: Database, seminar_ids: Iterable[int], formats: Iterable[str] | str | None = None,
                     out_dir: Path | str | None = None, progress: Progress | None = None, *,
                     now: datetime | None = None, lang: str = "fr") -> dict[str, Path]:
    """Write a cross-territory synthesis of several seminars; returns ``{format: path}``."""
    from workshop.reports.synthesis import build_synthesis, synthesis_document, synthesis_tables

    ids = list(dict.fromkeys(int(i) for i in seminar_ids))
    if len(ids) < 2:
        raise Invalid("synthesis_needs_two")
    chosen = check_formats(formats)
    out = Path(out_dir) if out_dir else config.exports_dir()
    warm_up(chosen)
    steps = _Steps(_step_count(chosen), progress, lang)
    steps("read_many", n=len(ids))
    synthesis = build_synthesis(db, ids, now=now or clock.now(), lang=lang)
    steps("layout")
    tables = synthesis_tables(synthesis)
    stem = synthesis_stem(synthesis.generated_at.date(), ids)
    doc = synthesis_document(synthesis, tables)
    written = write_documents(doc, tables, stem, out, chosen, steps,
                              readme=f"{doc.title} — {doc.generated}")
    steps.finish()
    return written
