"""PDF rendering: WeasyPrint lays out the print variant of the HTML page.

A4 pages, a cover without header or footer, a table of contents whose page numbers come
from CSS ``target-counter``, running headers (report title, current chapter) and
"page / pages" footers from ``@page`` counters, PDF bookmarks from the headings.
WeasyPrint needs Debian's Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``; see
``scripts/install-system-deps.sh``).

Figures reach WeasyPrint through a URL fetcher of ours (``report-figure:`` URLs; it serves
nothing else, so the PDF never touches the network). Each figure is a small SVG of the
figure's size holding an ``<image>`` of the JPEG: WeasyPrint lays pages out from the SVG's
size and fetches the JPEG only when it draws the page. So the layout (the long part) runs
while Chromium is still rendering the figures: ``PdfJob.layout()`` first, ``write()`` once
the images are there (``images`` is called, and may block, at the first figure drawn).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import quoteattr

from workshop.reports.document import Document
from workshop.reports.figures import MEDIA_TYPE
from workshop.reports.html import FIGURE_SCHEME, TEMPLATES, render_html


def _wrapper(key: str, width: int, height: int) -> bytes:
    href = quoteattr(f"{FIGURE_SCHEME}{key}")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<image x="0" y="0" width="{width}" height="{height}" xlink:href={href}/></svg>').encode("utf-8")


def fetcher(sizes: dict[str, tuple[int, int]], images: Callable[[], dict[str, bytes]]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FigureFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:image/png;base64,") or url.startswith("data:image/jpeg;base64,"):
                # Logos and photos, embedded in the page (already re-encoded PNG/JPEG): decoded
                # here, so the fetcher still serves nothing from outside the document.
                import base64

                media, _, payload = url[5:].partition(";base64,")
                return URLFetcherResponse(url, base64.b64decode(payload), {"Content-Type": media})
            if url.startswith(FIGURE_SCHEME):
                name = url[len(FIGURE_SCHEME):]
                if name.endswith(".svg") and name[:-4] in sizes:
                    return URLFetcherResponse(url, _wrapper(name[:-4], *sizes[name[:-4]]),
                                              {"Content-Type": "image/svg+xml"})
                image = images().get(name)
                if image is not None:
                    return URLFetcherResponse(url, image, {"Content-Type": MEDIA_TYPE})
            raise ValueError(f"not served: {url[:80]}")

    return FigureFetcher()


def print_html(doc: Document, sizes: dict[str, tuple[int, int]]) -> str:
    """The print variant of the page, figures as fetcher URLs (``report-figure:KEY.svg``)."""
    return render_html(doc, variant="print", sources={key: f"{FIGURE_SCHEME}{key}.svg" for key in sizes})


class PdfJob:
    """One PDF: ``layout()`` (figures not needed yet), then ``write(path)``."""

    def __init__(self, doc: Document, sizes: dict[str, tuple[int, int]],
                 images: Callable[[], dict[str, bytes]]) -> None:
        self.doc, self.sizes, self.images = doc, sizes, images
        self._rendered = None

    def layout(self) -> None:
        from weasyprint import HTML

        page = print_html(self.doc, self.sizes)
        self._rendered = HTML(string=page, base_url=str(TEMPLATES),
                              url_fetcher=fetcher(self.sizes, self.images)).render()

    def write(self, path: Path) -> Path:
        if self._rendered is None:
            self.layout()
        self._rendered.write_pdf(str(path))
        return path


def render_pdf(doc: Document, path: Path, *, images: dict[str, bytes] | None = None,
               sizes: dict[str, tuple[int, int]] | None = None) -> Path:
    """The PDF in one go, with the images at hand (their sizes read from them if not given)."""
    images = dict(images or {})
    if sizes is None:
        import io

        from PIL import Image

        sizes = {key: Image.open(io.BytesIO(data)).size for key, data in images.items()}
    return PdfJob(doc, {k: v for k, v in sizes.items() if k in images}, lambda: images).write(path)
