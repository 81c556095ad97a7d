"""Static export (PNG, SVG, PDF) for the capitalisation report, fully offline.

Uses kaleido (v1), which drives a headless Chrome/Chromium: the Debian ``chromium``
package (``/usr/bin/chromium``, installed by ``scripts/install-system-deps.sh``) is found
on its own, or wherever ``BROWSER_PATH`` points. Nothing is fetched: plotly.js comes from
the installed plotly package and MathJax is turned off (no CDN). Each call starts the
browser once (a few seconds); ``render_images`` renders many figures with one browser.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go

FORMATS = ("png", "svg", "pdf")


class StaticExportUnavailable(RuntimeError):
    """Static export cannot run here (kaleido missing, or no Chrome/Chromium found)."""


def _kaleido():
    try:
        import kaleido
    except ImportError as exc:  # pragma: no cover - kaleido is a project dependency
        raise StaticExportUnavailable(f"kaleido is not installed ({exc})") from exc
    return kaleido


async def _render(jobs: list[tuple[dict, dict]]) -> list[bytes]:
    kaleido = _kaleido()
    async with kaleido.Kaleido(n=1, mathjax=False) as k:
        return [await k.calc_fig(fig, opts=opts) for fig, opts in jobs]


def render_images(items: Sequence[tuple[go.Figure, str, int, int]], *, scale: float = 1.0) -> list[bytes]:
    """Render ``(figure, format, width, height)`` items with one browser; returns the bytes.

    Runs in a thread of its own, so it can be called from inside a running event loop.
    Raises ``StaticExportUnavailable`` when no browser can be started.
    """
    jobs = []
    for fig, fmt, width, height in items:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
        jobs.append((fig.to_dict(), dict(format=fmt, width=int(width), height=int(height), scale=scale)))
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = asyncio.run(_render(jobs))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=run, name="figure-export", daemon=True)
    thread.start()
    thread.join()
    error = result.get("error")
    if error is not None:
        if isinstance(error, StaticExportUnavailable):
            raise error
        from kaleido.errors import ChromeNotFoundError

        if isinstance(error, ChromeNotFoundError):
            raise StaticExportUnavailable(f"no Chrome/Chromium for kaleido: {error}") from error
        raise error
    return result["value"]  # type: ignore[return-value]


def to_image(fig: go.Figure, fmt: str = "png", width: int = 1600, height: int = 900, *, scale: float = 1.0) -> bytes:
    return render_images([(fig, fmt, width, height)], scale=scale)[0]


def _write(fig: go.Figure, path: str | Path, fmt: str, width: int, height: int, scale: float) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_image(fig, fmt, width, height, scale=scale))
    return path


def to_png(fig: go.Figure, path: str | Path, width: int = 1600, height: int = 900, *, scale: float = 1.0) -> Path:
    """Write ``fig`` as a PNG of ``width`` x ``height`` layout pixels (times ``scale``)."""
    return _write(fig, path, "png", width, height, scale)


def to_svg(fig: go.Figure, path: str | Path, width: int = 1600, height: int = 900) -> Path:
    """Write ``fig`` as an SVG (vector: best for the printed report)."""
    return _write(fig, path, "svg", width, height, 1.0)


def browser_path() -> str | None:
    """The Chrome/Chromium kaleido will start (``BROWSER_PATH`` first), or ``None``."""
    try:
        from choreographer.browsers.chromium import Chromium

        return Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - an older choreographer: look for the usual names ourselves
        if os.environ.get("BROWSER_PATH"):
            return os.environ["BROWSER_PATH"]
        return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def static_export_problem(*, render: bool = False) -> str | None:
    """Why static export cannot run here, or ``None`` when it can.

    By default only checks that kaleido is installed and a browser is found (instant);
    ``render=True`` also renders a tiny figure (a few seconds).
    """
    try:
        _kaleido()
    except StaticExportUnavailable as exc:
        return str(exc)
    if browser_path() is None:
        return ("no Chrome/Chromium found: install Debian's chromium (scripts/install-system-deps.sh) "
                "or set BROWSER_PATH")
    if render:
        try:
            to_image(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])), "png", 50, 50)
        except Exception as exc:  # noqa: BLE001 - any failure means "not available"
            return f"{type(exc).__name__}: {exc}"
    return None
