"""Measure a plotly figure as Chromium draws it: the boxes of its texts, in pixels.

The figure is drawn by plotly.js (from the installed plotly package, no CDN) in Debian's
Chromium at its own layout size, then every annotation and every scatter text is read
back with ``getBoundingClientRect``: what a reader of the report would see, not what the
Python side thinks it placed. Used by the label tests of ``tests/test_figure_labels.py``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


@dataclass(frozen=True)
class TextBox:
    kind: str      # "annotation" or "point"
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    inner: tuple[float, float, float, float]  # the glyphs' own box (without the label's padding)

    def overlaps(self, other: TextBox) -> bool:
        return not (self.x1 <= other.x0 or other.x1 <= self.x0 or self.y1 <= other.y0 or other.y1 <= self.y0)

    def area_with(self, other: TextBox) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(0.0, w) * max(0.0, h)


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    texts: list[TextBox]
    links: list[str]   # hrefs of any <a> plotly made (must be none: card text is inert)
    bold: list[str]    # texts plotly drew in bold from markup


MEASURE = """
() => {
  const svg = document.querySelector('#plot .main-svg');
  const root = svg.getBoundingClientRect();
  const out = [];
  const rel = (r) => [r.left - root.left, r.top - root.top, r.right - root.left, r.bottom - root.top];
  document.querySelectorAll('#plot g.annotation').forEach((g) => {
    const text = g.querySelector('text.annotation-text');
    if (!text) return;
    const bg = g.querySelector('rect.bg');
    const outer = rel((bg || text).getBoundingClientRect());
    out.push({kind: 'annotation', text: text.textContent, box: outer, inner: rel(text.getBoundingClientRect())});
  });
  document.querySelectorAll('#plot g.textpoint text').forEach((t) => {
    if (!t.textContent) return;
    const box = rel(t.getBoundingClientRect());
    out.push({kind: 'point', text: t.textContent, box: box, inner: box});
  });
  document.querySelectorAll('#plot g.ytick text, #plot g.xtick text').forEach((t) => {
    if (!t.textContent) return;
    const box = rel(t.getBoundingClientRect());
    out.push({kind: t.closest('g.ytick') ? 'ytick' : 'xtick', text: t.textContent, box: box, inner: box});
  });
  const links = [...document.querySelectorAll('#plot a')].map((a) => a.getAttribute('href') || '');
  const bold = [...document.querySelectorAll('#plot text tspan')].filter(
    (s) => (s.getAttribute('style') || '').includes('font-weight:bold')).map((s) => s.textContent);
  return {width: root.width, height: root.height, texts: out, links: links, bold: bold};
}
"""


def measure(figures: list[dict]) -> list[Drawing]:
    """Draw each plotly figure (as ``fig.to_plotly_json()``) and measure its texts."""
    from playwright.sync_api import sync_playwright
    from plotly.offline import get_plotlyjs

    script = get_plotlyjs()
    out = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1200})
            page.set_content(f"<html><body style='margin:0'><div id='plot'></div><script>{script}</script></body></html>")
            for figure in figures:
                layout = figure.get("layout") or {}
                page.evaluate("""([data, layout]) => Plotly.newPlot('plot', data, layout,
                    {staticPlot: true, responsive: false})""", [json.loads(json.dumps(figure.get("data") or [],
                                                                                    default=str)),
                                                               json.loads(json.dumps(layout, default=str))])
                raw = page.evaluate(MEASURE)
                out.append(Drawing(raw["width"], raw["height"],
                                   [TextBox(t["kind"], t["text"], *t["box"], tuple(t["inner"])) for t in raw["texts"]],
                                   raw["links"], raw["bold"]))
                page.evaluate("() => Plotly.purge('plot')")
        finally:
            browser.close()
    return out
