"""HTML rendering of a ``Document`` with Jinja2 (autoescaping on: what people wrote stays text).

Two variants of one template:

- ``interactive``: the self-contained page: plotly.js embedded once in the page (no CDN, it
  works offline), each figure an interactive plot (hover, zoom);
- ``print``: the same page with static images (data URIs), which WeasyPrint lays out as
  the PDF (cover, contents with page numbers, running headers and page numbers).
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from workshop.reports.document import Document, typeset

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: In the print variant for WeasyPrint, figures are ``report-figure:KEY`` URLs (see ``pdf``).
FIGURE_SCHEME = "report-figure:"

#: plotly's toolbar without the logo link and the "edit in Chart Studio" button; figures fit their box.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=False, lstrip_blocks=False)


@cache
def stylesheet() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


@cache
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _labels(doc: Document) -> dict[str, str]:
    from workshop.i18n import translate

    return {"contents_label": translate("report.contents", doc.lang),
            "figure_missing": translate("report.figure_missing", doc.lang)}


def interactive_figures(doc: Document) -> dict[str, Markup]:
    out = {}
    for key, spec in doc.figures.items():
        fig = spec.build("interactive")
        out[key] = Markup(fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                                      config=PLOTLY_CONFIG, div_id=f"plot-{key}", default_width="100%"))
    return out


def data_uri(image: bytes, fmt: str = "jpg") -> str:
    media = {"svg": "image/svg+xml", "jpg": "image/jpeg"}.get(fmt, f"image/{fmt}")
    return f"data:{media};base64,{base64.b64encode(image).decode('ascii')}"


def render_html(doc: Document, *, variant: str = "interactive", images: dict[str, bytes] | None = None,
                image_format: str = "jpg", sources: dict[str, str] | None = None) -> str:
    """The page as a string.

    Print variant: each figure's ``<img src>`` is ``sources[key]`` if given (the PDF's
    fetcher URLs), else a data URI of ``images[key]``; a figure with neither says it is
    not available instead of breaking the page.
    """
    if variant not in ("interactive", "print"):
        raise ValueError("variant must be 'interactive' or 'print'")
    doc = typeset(doc)  # French spacing in what people typed (the PDF is this page too)
    if variant == "interactive":
        figures = interactive_figures(doc)
        script = Markup(plotly_js()) if figures else ""
    else:
        figures = dict(sources) if sources is not None else {
            key: data_uri(image, image_format) for key, image in (images or {}).items()}
        script = ""
    from workshop.reports.document import Prose

    template = environment().get_template("document.html.j2")
    return template.render(doc=doc, variant=variant, figures=figures, css=Markup(stylesheet()),
                           plotly_js=script, colophon=Prose(doc.colophon), **_labels(doc))
