"""What the room reads on figures: data drawn where it is, readable ticks, one collège palette,
and emoji drawn as emoji (in Chromium and in the PDF), not as empty boxes."""

from __future__ import annotations

import io
import math
import os
from types import SimpleNamespace

import pytest

from workshop.figures import labels
from workshop.figures.style import COLLEGE_COLORS, FONT_STACK
from workshop.ui.projector import charts

CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")


def test_crowded_points_keep_their_place_and_their_labels_make_room():
    points = [(3.5, 3.5), (3.5, 3.5), (3.45, 3.55), (1.0, 4.0)]
    size = 56
    unit = (1850 * 0.8 / 5, 780 * 0.8 / 5)
    offsets = labels.label_offsets(points, px_per_unit=unit, size=size)
    assert offsets[3] == (0.0, 0.0)  # alone: its label sits on it
    placed = [(x * unit[0] + dx, -y * unit[1] + dy) for (x, y), (dx, dy) in zip(points, offsets)]
    for i in range(len(placed)):
        for j in range(i + 1, len(placed)):
            assert math.dist(placed[i], placed[j]) >= size - 0.01, (i, j, placed)


def test_the_projector_rating_chart_draws_every_card_at_its_means():
    points = [charts.RatedPoint(1, "Canicules", 3.5, 3.5), charts.RatedPoint(2, "Sécheresses", 3.5, 3.5),
              charts.RatedPoint(3, "Inondations", 2.0, 4.5)]
    figure = charts.rating_figure(points, x_label="Probabilité", y_label="Gravité", width=1110, height=780)
    [trace] = figure["data"]
    assert list(zip(trace["x"], trace["y"])) == [(3.5, 3.5), (3.5, 3.5), (2.0, 4.5)]  # never moved
    numbers = {a["text"]: a for a in figure["layout"]["annotations"] if a.get("xref") == "x" and a["text"][3:-4].isdigit()}
    one, two, three = numbers["<b>1</b>"], numbers["<b>2</b>"], numbers["<b>3</b>"]
    assert (one["x"], one["y"], two["x"], two["y"]) == (3.5, 3.5, 3.5, 3.5)  # labels point at the data
    assert (one["ax"], one["ay"]) != (two["ax"], two["ay"]) and one["showarrow"] and two["showarrow"]
    assert not three["showarrow"]


def test_the_report_threat_matrix_draws_every_threat_at_its_means():
    from workshop.reports.figures import threat_matrix_figure

    rows = [SimpleNamespace(text="Canicules", likelihood=3.5, impact=3.5),
            SimpleNamespace(text="Sécheresses", likelihood=3.5, impact=3.5),
            SimpleNamespace(text="Crues", likelihood=2.0, impact=4.0)]
    figure = threat_matrix_figure(rows, lang="fr")
    drawn = [(x, y) for trace in figure.data for x, y in zip(trace.x, trace.y)]
    assert sorted(drawn) == [(2.0, 4.0), (3.5, 3.5), (3.5, 3.5)]
    numbered = [a for a in figure.layout.annotations if a.text in ("<b>1</b>", "<b>2</b>")]
    assert {(a.x, a.y) for a in numbered} == {(3.5, 3.5)} and len({(a.ax, a.ay) for a in numbered}) == 2


@pytest.mark.parametrize("top", [1, 3, 7, 12, 45])
def test_dot_vote_axis_counts_whole_dots(top):
    figure = charts.dot_vote_figure([("Accès aux soins", top, {"elected": top})], {"elected": "élu·e"},
                                    width=1850, height=780)
    axis = figure["layout"]["xaxis"]
    assert axis["tickformat"] == "d" and isinstance(axis["dtick"], int) and axis["dtick"] >= 1
    assert top / axis["dtick"] <= 8


def test_projector_chart_text_is_readable_at_1280x720():
    """Charts are drawn at 1080p and shrunk to about 2/3 at 1280x720: their text must stay >= 24 px."""
    scale_720 = 720 / 1080
    figure = charts.dot_vote_figure([("Accès aux soins", 3, {"elected": 3})], {"elected": "élu·e"},
                                    width=1850, height=780)
    layout = figure["layout"]
    note = layout.get("template", {}).get("layout", {}).get("annotationdefaults", {})  # what every total shares
    sizes = [layout["font"]["size"], layout["xaxis"]["tickfont"]["size"], layout["yaxis"]["tickfont"]["size"]] + [
        {**note, **a}["font"]["size"] for a in layout["annotations"]]
    assert min(sizes) * scale_720 >= 24


def test_one_colour_per_college_everywhere():
    from workshop.reports import figures as report_figures

    assert charts.COLLEGE_COLORS is COLLEGE_COLORS
    assert report_figures.COLLEGE_COLORS is COLLEGE_COLORS
    assert len(set(COLLEGE_COLORS.values())) == len(COLLEGE_COLORS)


def _colourful_pixels(png: bytes) -> int:
    from PIL import Image

    data = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    pixels = (data[i:i + 3] for i in range(0, len(data), 3))
    return sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 80)


@pytest.mark.e2e
def test_an_emoji_in_a_name_is_drawn_in_chromium():
    """« Amandine 🌾 » in the pages' font stack: the emoji is drawn in colour, not as an empty box."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh (make test does)")
    from playwright.sync_api import sync_playwright

    from workshop.rehearsal.browser import CHROMIUM_ARGS

    stack = FONT_STACK.replace('"', "'")
    html = (f'<body style="margin:0;background:#fff"><span id="name" style="font: 64px {stack};'
            'color:#000">Amandine 🌾</span></body>')
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(html)
            page.evaluate("() => document.fonts.ready")
            png = page.locator("#name").screenshot()
        finally:
            browser.close()
    # black text on white has no colour at all; a colour emoji has hundreds of coloured pixels
    assert _colourful_pixels(png) > 200


def test_an_emoji_in_the_report_pdf_uses_the_emoji_font(tmp_path):
    from pypdf import PdfReader
    from weasyprint import CSS, HTML

    from workshop.reports.pdf import TEMPLATES

    css = CSS(filename=str(TEMPLATES / "report.css"))
    HTML(string="<html lang='fr'><body><p>Leçons de la table d'Amandine 🌾 : 💧 et 🚲</p></body></html>",
         base_url=str(TEMPLATES)).write_pdf(tmp_path / "emoji.pdf", stylesheets=[css])
    fonts = set()
    for page in PdfReader(tmp_path / "emoji.pdf").pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("Emoji" in name for name in fonts), fonts


def test_dot_vote_chart_names_each_bar_once_in_rank_order():
    """The live chart says each card's label once, on the axis: every collège's bar and every
    total must still sit on its card's line, the most supported card on top."""
    rows = [("Accès aux soins", 5, {"elected": 3, "resident": 2}), ("Eau potable", 3, {"resident": 3}),
            ("Forêts", 1, {"expert": 1})]
    figure = charts.dot_vote_figure(rows, {"elected": "élu·e", "resident": "habitant·e", "expert": "expert·e"},
                                    width=1850, height=620)
    axis = figure["layout"]["yaxis"]
    assert [label.strip() for label in axis["ticktext"]] == ["1. Accès aux soins", "2. Eau potable", "3. Forêts"]
    assert axis["tickvals"] == [0, 1, 2] and axis["range"] == [2.5, -0.5]  # rank 1 at the top, whole bars
    assert [trace["name"] for trace in figure["data"]] == ["élu·e", "habitant·e", "expert·e"]  # no empty collège
    stacked = [0, 0, 0]
    for trace in figure["data"]:
        for i, dots in enumerate(trace["x"]):
            stacked[int(trace["y0"] + i * trace["dy"])] += dots
    assert stacked == [5, 3, 1]
    assert [(a["y"], a["x"], a["text"]) for a in figure["layout"]["annotations"]] == [
        (0, 5, "<b>5</b>"), (1, 3, "<b>3</b>"), (2, 1, "<b>1</b>")]


def test_a_wrapped_bar_label_ends_its_lines_at_one_edge():
    """Right-aligned on the axis, a card's name on two lines keeps both lines at the same distance from
    its bar: the first line's end is as wide as the last one's two spaces (the ``ticksuffix``), so the
    right edge is straight (it stood 10 px further left at 1280x720)."""
    rows = [("Des mobilités sans voiture individuelle pour aller travailler", 2, {"elected": 2}),
            ("Eau potable", 1, {"resident": 1})]
    figure = charts.dot_vote_figure(rows, {"elected": "élu·e", "resident": "habitant·e"}, width=1850, height=620)
    label = figure["layout"]["yaxis"]["ticktext"][0]
    lines = label.split("<br>")
    assert len(lines) == 2, label
    ends = [line[len(line.rstrip("\u00a0\u2002 ")):] for line in lines]
    widths = [labels.text_width(end, charts.TEXT) for end in ends]
    assert abs(widths[0] - widths[1]) < 1, (ends, widths)


def test_a_fanned_label_never_lands_on_a_neighbours_label():
    """The finished demo's six threats: 3 and 5 are fanned apart, and 5's label used to land on 6's,
    leaving « 5 » half hidden in the report's threat matrix."""
    from workshop.figures.style import mode_style

    points = [(3.3, 4.0), (3.4, 3.8), (3.6, 3.4), (3.2, 3.8), (3.5, 3.4), (3.6, 3.1)]
    size = mode_style("print").node_min + 12
    unit = (760 * 0.85 / 4.6, 560 * 0.8 / 4.6)  # the report's threat matrix
    offsets = labels.label_offsets(points, px_per_unit=unit, size=size)
    placed = [(x * unit[0] + dx, -y * unit[1] + dy) for (x, y), (dx, dy) in zip(points, offsets)]
    for i in range(len(placed)):
        for j in range(i + 1, len(placed)):
            assert math.dist(placed[i], placed[j]) >= size - 0.01, (i + 1, j + 1, placed)
