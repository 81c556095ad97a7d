"""The report's own figures (stakes by collège, threat matrix, participation compared) and
the static rendering of every figure of a document, once per export.

The map of cards, the influence/dependence plane and the trajectories come from
``workshop.figures``; the figures here use its palette and layout so they look alike.
Static images are rendered by kaleido in one headless Chromium kept warm for the process
(started in the background when an export begins; see ``_Browser``), with
``workshop.figures.render_images`` as the fallback, and cached in memory by figure content,
so exporting an unchanged seminar again renders nothing.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence

import plotly.graph_objects as go

from workshop.figures import render_images
from workshop.figures.labels import label_offsets
from workshop.figures.style import (COLLEGE_COLORS, GRID, INK, KIND_COLORS, MUTED, UNDETAILED_COLOR, base_layout, markup,
                                    mode_style, shorten, wrap_html)
from workshop.i18n import translate
from workshop.reports.document import num
from workshop.services import votes


#: Static images: rendered at this scale (2 = sharp on paper and on screens).
IMAGE_SCALE = 2.0
#: ... as JPEG (quality 0.92, Chromium's): WeasyPrint and Word embed a JPEG as it is, where a
#: PNG is decoded and compressed again (over a second for the figures of a large report).
STATIC_FORMAT = "jpg"
MEDIA_TYPE = "image/jpeg"


def stakes_by_college_figure(rows, colleges: Sequence[str], *, lang: str, mode: str = "print",
                             limit: int = 15) -> go.Figure:
    """Horizontal stacked bars: the ``limit`` most voted cards, dots split by collège."""
    style = mode_style(mode)
    top = [r for r in rows if r.dots > 0][:limit]
    top.reverse()  # plotly draws the first bar at the bottom
    layout = base_layout(mode)
    fig = go.Figure()
    labels = [markup(shorten(r.text, 55)) for r in top]
    for college in colleges:
        values = [r.by_college.get(college, 0) for r in top]
        if not any(values):
            continue
        fig.add_trace(go.Bar(
            y=labels, x=values, orientation="h", name=translate(f"college_name.{college}", lang),
            marker=dict(color=COLLEGE_COLORS[college], line=dict(color="#ffffff", width=0.5)),
            hovertemplate="%{y}<br>%{fullData.name} : %{x}<extra></extra>" if style.hover else None,
            hoverinfo=None if style.hover else "skip",
        ))
    values = [getattr(r, "undetailed", 0) for r in top]  # collèges of too few voters, together
    if any(values):
        fig.add_trace(go.Bar(
            y=labels, x=values, orientation="h", name=translate("undetailed.label", lang, min=votes.MIN_VOTERS_SHOWN),
            marker=dict(color=UNDETAILED_COLOR, line=dict(color="#ffffff", width=0.5)),
            hovertemplate="%{y}<br>%{fullData.name} : %{x}<extra></extra>" if style.hover else None,
            hoverinfo=None if style.hover else "skip",
        ))
    layout.update(
        barmode="stack",
        xaxis=dict(title=dict(text=translate("report.fig.dots", lang)), gridcolor=GRID, zeroline=False,
                   fixedrange=True),
        yaxis=dict(automargin=True, fixedrange=True, tickfont=dict(size=style.font_size + 1)),
        legend=dict(layout["legend"], y=1.0, yanchor="bottom", traceorder="normal"),
        height=max(320, 34 * len(top) + 170),
    )
    layout["margin"].update(l=10, b=50, t=60)
    fig.update_layout(**layout)
    return fig


def threat_matrix_figure(threats, *, lang: str, mode: str = "print", high: float = 3.0,
                         numbered: int = 30) -> go.Figure:
    """Threats on the likelihood (x) x impact (y) plane, 1-5, with the "major" quadrant shaded.

    The ``numbered`` most severe threats are numbered discs (the numbers of the report's
    table); the others, when there are more, are small dots (hover tells which)."""
    style = mode_style(mode)
    rated = [r for r in threats if r.likelihood is not None and r.impact is not None]
    layout = base_layout(mode)
    fig = go.Figure()
    shapes = [
        dict(type="rect", x0=high, x1=5.3, y0=high, y1=5.3, fillcolor="rgba(185,28,28,0.10)", line=dict(width=0),
             layer="below"),
        dict(type="line", x0=high, x1=high, y0=0.7, y1=5.3, line=dict(color=MUTED, dash="dash", width=1)),
        dict(type="line", x0=0.7, x1=5.3, y0=high, y1=high, line=dict(color=MUTED, dash="dash", width=1)),
    ]
    # Every threat is drawn exactly at its means, even when another one has the same: where
    # points crowd, their numbers are fanned out around them, tied to them by a line.
    points: dict[bool, tuple[list, list, list, list]] = {True: ([], [], [], []), False: ([], [], [], [])}
    for index, row in enumerate(threats, start=1):
        if row.likelihood is None or row.impact is None:
            continue
        xs, ys, numbers, hover = points[index <= numbered]
        xs.append(row.likelihood)
        ys.append(row.impact)
        numbers.append(str(index))
        hover.append(f"<b>{index}. {wrap_html(row.text)}</b><br>"
                     + translate("report.fig.threat_hover", lang, likelihood=num(row.likelihood, lang),
                                 impact=num(row.impact, lang)))
    xs, ys, numbers, hover = points[False]
    if xs:
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", marker=dict(size=max(5, style.node_min - 2), color="#fca5a5"),
            hovertext=hover, hoverinfo="text" if style.hover else "skip", showlegend=False, cliponaxis=False))
    xs, ys, numbers, hover = points[True]
    disc = style.node_min + 12
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers", marker=dict(size=max(6, disc // 3), color=KIND_COLORS["threat"]),
        hovertext=hover, hoverinfo="text" if style.hover else "skip", showlegend=False, cliponaxis=False,
    ))
    width, height = 760, 560 if mode == "print" else 620  # the size the report lays it out at
    offsets = label_offsets(list(zip(xs, ys)), px_per_unit=(width * 0.85 / 4.6, height * 0.8 / 4.6), size=disc)
    numbered_labels = [
        dict(x=x, y=y, xref="x", yref="y", text=f"<b>{n}</b>", showarrow=abs(dx) > 0.5 or abs(dy) > 0.5,
             ax=dx, ay=dy, axref="pixel", ayref="pixel", arrowhead=0, arrowwidth=1.5, arrowcolor=KIND_COLORS["threat"],
             standoff=0, font=dict(color="#ffffff", size=max(8, style.font_size - 1)), bgcolor=KIND_COLORS["threat"],
             bordercolor="#ffffff", borderwidth=1, borderpad=2, width=disc - 6, height=disc - 8)
        for x, y, n, (dx, dy) in zip(xs, ys, numbers, offsets)]
    corner = dict(xref="x", yref="y", showarrow=False, font=dict(size=style.font_size, color=MUTED))
    annotations = numbered_labels + [
        dict(text=f"<b>{translate('report.quadrant.major', lang)}</b>", x=5.25, y=5.25, xanchor="right",
             yanchor="top", **corner),
        dict(text=translate("report.quadrant.grave", lang), x=0.75, y=5.25, xanchor="left", yanchor="top", **corner),
        dict(text=translate("report.quadrant.likely", lang), x=5.25, y=0.75, xanchor="right", yanchor="bottom",
             **corner),
        dict(text=translate("report.quadrant.minor", lang), x=0.75, y=0.75, xanchor="left", yanchor="bottom",
             **corner),
    ]
    axis = dict(range=[0.7, 5.3], dtick=1, gridcolor=GRID, zeroline=False, fixedrange=True, linecolor=MUTED)
    layout.update(
        xaxis=dict(title=dict(text=translate("report.fig.likelihood", lang)), **axis),
        yaxis=dict(title=dict(text=translate("report.fig.impact", lang)), **axis),
        shapes=shapes, annotations=annotations, height=560 if mode == "print" else 620,
    )
    if not rated:
        layout["annotations"] = annotations + [dict(text=translate("report.fig.no_rating", lang), x=3, y=3,
                                                    xref="x", yref="y", showarrow=False,
                                                    font=dict(color=MUTED, size=style.font_size + 2))]
    fig.update_layout(**layout)
    return fig


def participation_figure(territories: Sequence[tuple[str, dict[str, int]]], colleges: Sequence[str], *,
                         lang: str, mode: str = "print") -> go.Figure:
    """Stacked bars: head count by collège, one bar per territory (the synthesis)."""
    style = mode_style(mode)
    layout = base_layout(mode)
    fig = go.Figure()
    names = [markup(shorten(name, 40)) for name, _ in territories]
    for college in colleges:
        values = [counts.get(college, 0) for _, counts in territories]
        if not any(values):
            continue
        fig.add_trace(go.Bar(
            x=names, y=values, name=translate(f"college_name.{college}", lang),
            marker=dict(color=COLLEGE_COLORS[college], line=dict(color="#ffffff", width=0.5)),
            hoverinfo="x+y+name" if style.hover else "skip",
        ))
    layout.update(barmode="stack", height=440,
                  yaxis=dict(title=dict(text=translate("report.fig.participants", lang)), gridcolor=GRID,
                             fixedrange=True),
                  xaxis=dict(fixedrange=True, tickfont=dict(color=INK)),
                  legend=dict(layout["legend"], y=-0.15))
    fig.update_layout(**layout)
    return fig


# --- static rendering: a warm browser, and a cache -------------------------------------------------


class _Browser:
    """One headless Chromium (through kaleido's async API) kept for the process's exports.

    Starting Chromium takes a few seconds; ``start()`` does it in the background as soon as
    an export begins, so it overlaps with reading the seminar and writing the HTML and data
    files, and later exports (the staff page) find it ready. It closes itself after
    ``IDLE_SECONDS`` without work, and at exit. Jobs run in the browser's own thread and
    event loop; a job waits at most ``TIMEOUT`` seconds. Any failure (no Chromium, a crash)
    reaches the caller as an exception, never a hang, and the next export starts afresh.
    """

    IDLE_SECONDS = 600.0
    TIMEOUT = 120.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready: concurrent.futures.Future | None = None
        self._idle: asyncio.TimerHandle | None = None

    def start(self) -> concurrent.futures.Future:
        with self._lock:
            if self._ready is not None and not (self._ready.done() and self._ready.exception() is not None):
                return self._ready
            ready: concurrent.futures.Future = concurrent.futures.Future()
            loop = asyncio.new_event_loop()
            self._loop, self._ready = loop, ready

            def run() -> None:
                asyncio.set_event_loop(loop)
                try:
                    loop.run_until_complete(self._open(ready))
                except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
                    if not ready.done():
                        ready.set_exception(exc)
                    return
                loop.run_forever()
                loop.close()

            threading.Thread(target=run, name="report-browser", daemon=True).start()
            return ready

    async def _open(self, ready: concurrent.futures.Future) -> None:
        from workshop.figures.export import _kaleido

        kaleido = _kaleido()
        browser = kaleido.Kaleido(n=1, mathjax=False)
        await browser.__aenter__()
        ready.set_result(browser)

    def render(self, items: Sequence[tuple[go.Figure, str, int, int]]) -> list[bytes]:
        ready = self.start()
        browser = ready.result(timeout=self.TIMEOUT)
        loop = self._loop
        assert loop is not None
        jobs = [asyncio.run_coroutine_threadsafe(
            browser.calc_fig(fig.to_dict(), opts=dict(format=fmt, width=int(width), height=int(height),
                                                       scale=IMAGE_SCALE)), loop)
                for fig, fmt, width, height in items]
        try:
            images = [job.result(timeout=self.TIMEOUT) for job in jobs]
        except BaseException:
            self.stop()
            raise
        loop.call_soon_threadsafe(self._arm_idle_timer)
        return images

    def _arm_idle_timer(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
        if self._loop is not None:
            self._idle = self._loop.call_later(self.IDLE_SECONDS, lambda: threading.Thread(
                target=self.stop, daemon=True).start())

    def stop(self) -> None:
        with self._lock:
            loop, ready = self._loop, self._ready
            self._loop = self._ready = None
        if loop is None or ready is None or not ready.done() or ready.exception() is not None:
            return
        try:
            asyncio.run_coroutine_threadsafe(ready.result().__aexit__(None, None, None), loop).result(timeout=20)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        loop.call_soon_threadsafe(loop.stop)


_BROWSER = _Browser()
atexit.register(_BROWSER.stop)


def warm_up() -> None:
    """Start the browser in the background (an export about to need static figures)."""
    _BROWSER.start()


def _render(items: Sequence[tuple[go.Figure, str, int, int]]) -> list[bytes]:
    from workshop.figures import StaticExportUnavailable

    try:
        return _BROWSER.render(items)
    except StaticExportUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - which errors mean "no browser here" depends on kaleido's version
        from workshop.figures.export import static_export_problem

        problem = static_export_problem()
        if problem:
            raise StaticExportUnavailable(problem) from exc
        # The warm browser failed for another reason: one more try the plain way (a browser of its own).
        return [_as_jpeg(png) if fmt == "jpg" else png for png, (_, fmt, _, _) in zip(
            render_images([(fig, "png" if fmt == "jpg" else fmt, w, h) for fig, fmt, w, h in items],
                          scale=IMAGE_SCALE), items)]


def _as_jpeg(png: bytes) -> bytes:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if image.mode != "RGB":
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
        image = background
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 48


def _key(fig: go.Figure, fmt: str, width: int, height: int) -> str:
    payload = json.dumps([fig.to_plotly_json(), fmt, width, height, IMAGE_SCALE], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def render_static(items: Sequence[tuple[go.Figure, str, int, int]]) -> list[bytes]:
    """Render ``(figure, format, width, height)`` items, reusing images already rendered for
    the same figure content (an unchanged seminar exported again, the PDF and the DOCX of one
    export); the missing ones go to the warm browser."""
    keys = [_key(fig, fmt, width, height) for fig, fmt, width, height in items]
    with _CACHE_LOCK:
        found = {k: _CACHE[k] for k in keys if k in _CACHE}
    missing = [(i, item) for i, (item, k) in enumerate(zip(items, keys)) if k not in found]
    if missing:
        images = _render([item for _, item in missing])
        with _CACHE_LOCK:
            for (i, _), image in zip(missing, images):
                found[keys[i]] = image
                _CACHE[keys[i]] = image
                _CACHE.move_to_end(keys[i])
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return [found[k] for k in keys]


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def stop_browser() -> None:
    _BROWSER.stop()
