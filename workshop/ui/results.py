"""The participants' results page: ``/resultats/{code}`` (the join code; the home page's code
field and ``/join/{code}`` lead here once the seminar is over).

Read-only and phone-first: « L'essentiel », the stakes ranked by the votes, the map (a
static image, ``/resultats/{code}/carte.jpg``), the trajectories, and the last PDF report
exported by staff (``/resultats/{code}/rapport.pdf``). Everything comes from the report
model, so the page shows nothing the report does not: no display names, no hidden card.
Staff close it from the report page; a closed page, a seminar still running or an unknown
code each get a sentence in French (or English). Wrong codes count against the address's
limit, as on the join page.

The laid-out content is kept a minute per seminar, so a room of phones opening the page at
once reads the seminar once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from fastapi import HTTPException
from fastapi.responses import FileResponse, Response
from nicegui import app, run, ui

from workshop.errors import WorkshopError
from workshop.services import publication
from workshop.ui.access import client_address
from workshop.ui.common import db, error_text, language_switch, page_setup, tr

#: How long the laid-out page of a seminar is reused (seconds).
CACHE_SECONDS = 60
MAX_STAKES = 10

RESULTS_CSS = """
.results-root { width: 100%; max-width: 760px; margin: 0 auto; padding: 12px 16px 40px; font-size: 1.0625rem;
  line-height: 1.5; }
.results-card { background: #fff; border: 1px solid #cbd5e1; border-radius: 10px; padding: 14px 16px; width: 100%; }
.results-root h1 { font-size: 1.6rem; line-height: 1.2; font-weight: 700; color: #0b5394; margin: 0; }
.results-root h2 { font-size: 1.25rem; line-height: 1.3; font-weight: 700; color: #0b5394; margin: 0 0 8px; }
.results-root .eyebrow { color: #334155; font-size: .95rem; font-weight: 600; text-transform: uppercase; }
.results-root .muted { color: #334155; }
.results-root ol.says { list-style: none; padding: 0; margin: 0; }
.results-root ol.says li { border-left: 3px solid #0b5394; padding-left: 10px; margin-bottom: 12px; }
.results-root .ref { color: #475569; font-size: .85rem; display: block; }
.results-root ol.ranked { list-style: decimal; padding-left: 1.6em; margin: 0; }
.results-root ol.ranked li::marker { color: #0b5394; font-weight: 700; }
.results-root ol.ranked li { margin-bottom: 8px; overflow-wrap: anywhere; }
.results-root .dots { color: #334155; font-size: .95rem; white-space: nowrap; }
.results-root img.map { width: 100%; height: auto; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; }
.results-root .steps { margin: 4px 0 12px; padding-left: 0; list-style: none; }
.results-root .steps li { margin-bottom: 4px; }
.results-root .year { font-weight: 700; color: #0b5394; margin-right: 6px; }
.results-root .prose p { margin: 0 0 8px; }
"""


@dataclass(frozen=True)
class ResultsView:
    title: str
    subtitle: str
    essential: list[tuple[str, str]]     # generated sentences (text, reference)
    essential_text: str                  # or staff's text ("" when generated)
    essential_keys: list[str]            # what each generated sentence says (essential.Sentence.key)
    stakes: list[tuple[int, str, int]]   # rank, text, dots
    voted: bool
    trajectories: list[tuple[str, str, list[tuple[int, str]]]]
    map_caption: str
    has_map: bool
    lang: str


_cache: dict[int, tuple[float, ResultsView, object]] = {}
_lock = threading.Lock()


def build_results_view(seminar_id: int) -> tuple[ResultsView, object]:
    """The page's content read now (``results_view`` keeps it a minute): the projector's
    synthesis reads it too, fresh."""
    from workshop.reports.layout import seminar_document
    from workshop.reports.model import build_report

    report = build_report(db(), seminar_id)
    doc = seminar_document(report, [], {})
    front = doc.front[0]
    block = next((b for b in front.blocks if b.type == "essential"), None)
    essential, keys = (block.items, block.keys) if block is not None else ([], [])
    text = next((b.text for b in front.blocks if b.type == "prose"), "")
    voted = any(c.dots for c in report.stakes)
    stakes = [(c.rank, c.text, c.dots) for c in report.stakes[:MAX_STAKES]]
    trajectories = [(tr_.title, tr_.target, [(s.year, s.title) for s in tr_.steps]) for tr_ in report.trajectories]
    graph = doc.figures.get("graph")
    view = ResultsView(report.title, doc.subtitle, list(essential), text, list(keys), stakes, voted, trajectories,
                       report.t("report.cap.graph"), graph is not None, report.language)
    return view, graph


def results_view(seminar_id: int) -> tuple[ResultsView, object]:
    now = time.monotonic()
    with _lock:
        hit = _cache.get(seminar_id)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1], hit[2]
    view, graph = build_results_view(seminar_id)
    with _lock:
        _cache[seminar_id] = (now, view, graph)
    return view, graph


def _latest_pdf(seminar_id: int):
    from workshop.reports import seminar_export_files

    return next((p for p in seminar_export_files(seminar_id) if p.name.endswith("_rapport.pdf")), None)


def _open_seminar(code: str) -> int:
    """The seminar of ``code`` if its results page is open, else an HTTP error (for the files)."""
    try:
        seminar_id, state = publication.results_for_code(db(), code, client=client_address())
    except WorkshopError:
        raise HTTPException(status_code=404) from None
    if state != publication.RESULTS_OPEN:
        raise HTTPException(status_code=404)
    return seminar_id


def _map_image(seminar_id: int) -> bytes | None:
    from workshop.reports.figures import render_static
    from workshop.reports.chapter_kit import MAP_WIDTH

    _view, graph = results_view(seminar_id)
    if graph is None:
        return None
    figure = graph.build("print")
    height = min(graph.height or int(figure.layout.height or 800), int(1.2 * MAP_WIDTH))
    return render_static([(figure, "jpg", MAP_WIDTH, height)])[0]


def register() -> None:
    @ui.page("/resultats/{code}", response_timeout=30)
    async def results_page(code: str) -> None:
        page_setup(tr("results.page_title"))
        ui.add_css(RESULTS_CSS)
        root = ui.column().classes("results-root gap-4")
        with root:
            with ui.row().classes("w-full justify-end"):
                language_switch()
        try:
            seminar_id, state = await run.io_bound(publication.results_for_code, db(), code,
                                                   client=client_address())
        except WorkshopError as exc:
            with root:
                _message(tr("results.unknown_title"), error_text(exc))
            return
        if state == publication.RESULTS_CLOSED:
            with root:
                _message(tr("results.closed_title"), tr("results.closed"))
            return
        if state == publication.RESULTS_NOT_YET:
            with root:
                _message(tr("results.not_yet_title"), tr("results.not_yet"))
                ui.link(tr("results.join_instead"), f"/join/{code}").classes("text-lg text-blue-900 underline")
            return
        loaded = await run.io_bound(results_view, seminar_id)
        if loaded is None:
            return
        view, _graph = loaded
        pdf = await run.io_bound(_latest_pdf, seminar_id)
        with root:
            _results(view, code, pdf is not None)

    @app.get("/resultats/{code}/carte.jpg", include_in_schema=False)
    async def results_map(code: str) -> Response:
        seminar_id = _open_seminar(code)
        image = await run.io_bound(_map_image, seminar_id)
        if not image:
            raise HTTPException(status_code=404)
        return Response(image, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=60"})

    @app.get("/resultats/{code}/rapport.pdf", include_in_schema=False)
    async def results_report(code: str) -> FileResponse:
        seminar_id = _open_seminar(code)
        path = await run.io_bound(_latest_pdf, seminar_id)
        if path is None:
            raise HTTPException(status_code=404)
        return FileResponse(path, media_type="application/pdf", filename=path.name)


def _message(title: str, text: str) -> None:
    ui.label(title).classes("text-2xl font-bold").props('role="heading" aria-level="1"')
    with ui.element("div").classes("results-card"):
        ui.label(text).classes("text-lg").mark("results-message")


def _results(view: ResultsView, code: str, has_pdf: bool) -> None:
    ui.label(tr("results.eyebrow")).classes("eyebrow")
    ui.html(f"<h1>{_esc(view.title)}</h1>", sanitize=False)
    ui.label(view.subtitle).classes("muted")

    with ui.element("section").classes("results-card").mark("results-essential"):
        ui.html(f"<h2>{_esc(tr('essential.title'))}</h2>", sanitize=False)
        if view.essential_text:
            paragraphs = "".join(f"<p>{_esc(line)}</p>" for line in view.essential_text.split("\n") if line.strip())
            ui.html(f'<div class="prose">{paragraphs}</div>', sanitize=False)
        else:
            # a sentence's reference points into the report: shown once the report can be downloaded
            items = "".join(f'<li>{_esc(text)}' + (f'<span class="ref">{_esc(ref)}</span>' if has_pdf and ref else "")
                            + "</li>" for text, ref in view.essential)
            ui.html(f'<ol class="says">{items}</ol>', sanitize=False)

    if view.stakes:
        with ui.element("section").classes("results-card").mark("results-stakes"):
            ui.html(f"<h2>{_esc(tr('results.stakes' if view.voted else 'results.stakes_unvoted'))}</h2>",
                    sanitize=False)
            rows = "".join(
                f'<li>{_esc(text)}' + (f' <span class="dots">· {_esc(tr("report.dots_n", count=dots))}</span>'
                                       if view.voted else "") + "</li>"
                for _rank, text, dots in view.stakes)
            ui.html(f'<ol class="ranked">{rows}</ol>', sanitize=False)

    if view.has_map:
        with ui.element("section").classes("results-card").mark("results-map"):
            ui.html(f"<h2>{_esc(tr('results.map'))}</h2>", sanitize=False)
            src = f"/resultats/{code}/carte.jpg"
            ui.html(f'<a href="{src}" target="_blank" rel="noopener"><img class="map" src="{src}" loading="lazy" '
                    f'alt="{_esc(view.map_caption)}"></a>', sanitize=False)
            ui.label(tr("results.map_help")).classes("muted text-sm")

    if view.trajectories:
        with ui.element("section").classes("results-card").mark("results-trajectories"):
            ui.html(f"<h2>{_esc(tr('results.trajectories'))}</h2>", sanitize=False)
            parts = []
            for title, target, steps in view.trajectories:
                parts.append(f"<h3 class='text-lg font-semibold'>{_esc(title)}</h3>")
                if target:
                    parts.append(f"<p class='muted'>{_esc(tr('report.trajectory_target', target=target))}</p>")
                parts.append("<ul class='steps'>" + "".join(
                    f"<li><span class='year'>{year}</span>{_esc(step)}</li>" for year, step in steps) + "</ul>")
            ui.html("".join(parts), sanitize=False)

    with ui.element("section").classes("results-card").mark("results-report"):
        ui.html(f"<h2>{_esc(tr('results.report'))}</h2>", sanitize=False)
        if has_pdf:
            ui.button(tr("results.download"), icon="download",
                      on_click=lambda: ui.navigate.to(f"/resultats/{code}/rapport.pdf", new_tab=True)).props(
                "unelevated no-caps size=lg color=primary").classes("w-full").mark("results-download")
        else:
            ui.label(tr("results.no_report")).classes("muted").mark("results-no-report")
    ui.label(tr("results.no_names")).classes("muted text-sm")


def _esc(text: str) -> str:
    from html import escape

    return escape(str(text), quote=True)
