"""What a reader sees of the card labels: inert text, never overlapping, never cut.

- Every plotly figure builder (workshop/figures, the report's figures, the projector's charts,
  the console's map) given a card text with plotly markup (``<a href>``, ``<b>``, ``<br>``)
  shows it as text: checked in the figure's JSON for every builder, and as Chromium draws
  the report's figures (no ``<a>`` element, no bold, the markup printed as typed).
- The report's map of cards and influence plane at 150 cards, drawn by Chromium at their
  report size: no two labels overlap, none leaves the drawing, and every card the report's
  text names on the plane has a label or a number (tests/figure_geometry.py measures them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figure_geometry import CHROMIUM, measure  # noqa: E402

from workshop.analysis import CardData, LinkData, Snapshot, StepData, TrajectoryData, analyse  # noqa: E402
from workshop.analysis.synthetic import synthetic_snapshot  # noqa: E402
from workshop.figures import influence_dependence_figure, trajectories_timeline_figure, trajectory_graph_figure  # noqa: E402
from workshop.figures.graph import numbered_cards  # noqa: E402
from workshop.models import CardKind, Relation  # noqa: E402

K, R = CardKind, Relation
NASTY = 'Voir <a href="x">ce lien</a> <b>gras</b> a<br>b'
RAW = ('<a href="x">', "<b>gras", "a<br>b")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "labels"

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")


def nasty_snapshot() -> Snapshot:
    cards = (CardData(1, K.STAKE, NASTY + " (enjeu)", votes=3), CardData(2, K.THREAT, NASTY + " (menace)",
                                                                       ratings={"likelihood": 4, "impact": 4}),
             CardData(3, K.RESOURCE, NASTY + " (ressource)"), CardData(4, K.STAKE, "Enjeu voisin"),
             CardData(5, K.CHALLENGE, NASTY + " (défi)"))
    links = (LinkData(2, 1, R.WEIGHS_ON, 3), LinkData(3, 2, R.COUNTERS, 2), LinkData(1, 4, R.INFLUENCES, 2),
             LinkData(4, 1, R.INFLUENCES, 1), LinkData(3, 5, R.SUPPORTS, 1))
    steps = (StepData(2030, NASTY + " (étape)", NASTY, (3,)),)
    return Snapshot(cards, links, (TrajectoryData(1, NASTY + " (trajectoire)", 1, steps),), horizon_year=2050)


def every_figure() -> dict[str, dict]:
    """Every figure builder of the app, fed the nasty card text, as plotly JSON."""
    from types import SimpleNamespace

    from workshop.reports.figures import participation_figure, stakes_by_college_figure, threat_matrix_figure
    from workshop.ui.console.graph_data import map_figure, timeline_figure
    from workshop.ui.graph_findings import GraphState
    from workshop.ui.projector import charts
    from workshop.services.wordcloud import PlacedWord

    snapshot = nasty_snapshot()
    analysis = analyse(snapshot)
    out = {}
    for mode in ("projector", "interactive", "print"):
        out[f"map-{mode}"] = trajectory_graph_figure(snapshot, analysis, mode=mode).to_plotly_json()
        out[f"plane-{mode}"] = influence_dependence_figure(analysis, mode=mode).to_plotly_json()
        out[f"plane-direct-{mode}"] = influence_dependence_figure(analysis, mode=mode, basis="direct").to_plotly_json()
        out[f"timeline-{mode}"] = trajectories_timeline_figure(snapshot, mode=mode).to_plotly_json()
    out["map-report"] = trajectory_graph_figure(snapshot, analysis, mode="print", width=1000).to_plotly_json()
    out["plane-report"] = influence_dependence_figure(analysis, mode="print", width=900, height=640,
                                                      mentioned=(1, 2, 3)).to_plotly_json()
    state = GraphState(snapshot, analysis)
    out["console-map"] = map_figure(state, "fr")
    out["console-timeline"] = timeline_figure(state, "fr")
    row = SimpleNamespace(text=NASTY, dots=3, by_college={"elected": 2, "resident": 1})
    out["report-stakes"] = stakes_by_college_figure([row], ["elected", "resident"], lang="fr").to_plotly_json()
    threat = SimpleNamespace(text=NASTY, likelihood=4.0, impact=3.5)
    out["report-threats"] = threat_matrix_figure([threat], lang="fr").to_plotly_json()
    out["report-participation"] = participation_figure([(NASTY, {"elected": 3})], ["elected"],
                                                       lang="fr").to_plotly_json()
    out["projector-dots"] = charts.dot_vote_figure([(NASTY, 3, {"elected": 3})], {"elected": "Élus"}, width=1600,
                                                   height=800)
    out["projector-means"] = charts.mean_bar_figure([(NASTY, 3.5)], criterion=NASTY, width=1600, height=800)
    out["projector-ratings"] = charts.rating_figure([charts.RatedPoint(1, NASTY, 3.0, 4.0)], x_label=NASTY,
                                                    y_label=NASTY, width=1600, height=800, hot_label=NASTY)
    out["projector-robustness"] = charts.robustness_figure([NASTY], [NASTY], [[1.0]], {
        "breaks": NASTY, "bends": NASTY, "holds": NASTY}, width=1600, height=800)
    out["projector-words"] = charts.wordcloud_figure([PlacedWord(NASTY, 3, 400.0, 200.0, 40.0, 300.0, 50.0)],
                                                     width=800, height=400)
    return out


def test_every_figure_keeps_card_markup_inert():
    figures = every_figure()
    for name, figure in figures.items():
        text = json.dumps(figure, ensure_ascii=False, default=str)
        for raw in RAW:
            assert raw.replace('"', '\\"') not in text, (name, raw)
    # ... and the card's words are there, escaped (not dropped).
    assert "&lt;a href=" in json.dumps(figures["map-report"], ensure_ascii=False, default=str)


def test_projector_two_line_labels_keep_card_markup_inert():
    from workshop.ui.graph_labels import two_lines

    label = two_lines(NASTY, 20)
    for raw in RAW:
        assert raw not in label, raw
    assert label.count("<br>") == 1  # two lines at most, the rest cut with an ellipsis
    assert label.startswith("Voir &lt;a href=") and label.endswith("…")


@needs_chromium
def test_chromium_draws_card_markup_as_text():
    snapshot = nasty_snapshot()
    analysis = analyse(snapshot)
    figures = [trajectory_graph_figure(snapshot, analysis, mode="print", width=1000).to_plotly_json(),
               influence_dependence_figure(analysis, mode="print", width=900, height=640,
                                           mentioned=(1, 2, 3)).to_plotly_json(),
               trajectories_timeline_figure(snapshot, mode="interactive").to_plotly_json(),
               trajectory_graph_figure(snapshot, analysis, mode="interactive").to_plotly_json()]
    for drawing in measure(figures):
        assert drawing.links == []
        assert "gras" not in drawing.bold  # "<b>gras</b>" typed on a tablet is not bold
        assert "ce lien" not in drawing.bold
        assert any('<a href="x">' in t.text for t in drawing.texts)


def long_texts(snapshot: Snapshot) -> Snapshot:
    """The synthetic map with texts as long as a room writes them (and the words of issue 11)."""
    words = ("Comment garder un médecin à moins de vingt minutes de chaque village du territoire",
             "Le savoir-faire industriel de la vallée et ses sous-traitants face à la transition",
             "Des bus à haut niveau de service entre les bourgs et la gare")
    cards = tuple(CardData(c.id, c.kind, f"{words[c.id % 3]} ({c.id})", c.theme, c.votes, c.ratings)
                  for c in snapshot.cards)
    return Snapshot(cards, snapshot.links, snapshot.trajectories, horizon_year=snapshot.horizon_year)


@needs_chromium
@pytest.mark.parametrize("seed", [3, 21])
def test_report_map_and_plane_at_150_cards_have_no_overlap_and_no_clipping(seed):
    from workshop.reports.chapter_kit import MAP_MAX_HEIGHT, MAP_WIDTH, PLANE_HEIGHT, PLANE_WIDTH

    snapshot = long_texts(synthetic_snapshot(150, 400, seed=seed))
    analysis = analyse(snapshot)
    named = [r.card_id for r in analysis.readings] + [
        cid for group in ("driving", "relay", "dependent", "autonomous") for cid in analysis.group(group)[:5]]
    graph = trajectory_graph_figure(snapshot, analysis, mode="print", width=MAP_WIDTH, max_height=MAP_MAX_HEIGHT)
    plane = influence_dependence_figure(analysis, mode="print", width=PLANE_WIDTH, height=PLANE_HEIGHT,
                                        mentioned=tuple(named))
    drawings = measure([graph.to_plotly_json(), plane.to_plotly_json()])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, figure, drawing in (("map", graph, drawings[0]), ("plane", plane, drawings[1])):
        assert (drawing.width, drawing.height) == (figure.layout.width, figure.layout.height)
        texts = drawing.texts
        assert len(texts) > 20, name
        overlaps = [(a.text, b.text) for i, a in enumerate(texts) for b in texts[i + 1:] if a.overlaps(b)]
        assert overlaps == [], (name, overlaps[:5])
        clipped = [t.text for t in texts if t.x0 < 0 or t.y0 < 0 or t.x1 > drawing.width or t.y1 > drawing.height]
        assert clipped == [], (name, clipped)
        (ARTIFACTS / f"{name}-{seed}.json").write_text(json.dumps(
            {"labels": len(texts), "numbered": len(numbered_cards(figure))}), encoding="utf-8")
    # Every card of the map is readable on it: a label or a number of the legend.
    on_map = {int(a.name.split("-")[1]) for a in graph.layout.annotations if (a.name or "").startswith("label-")}
    assert on_map == {c.id for c in snapshot.cards}
    # Every card the report names on the plane has its label or its number there.
    on_plane = {int(a.name.split("-")[1]) for a in plane.layout.annotations if (a.name or "").startswith("label-")}
    assert set(named) <= on_plane


@needs_chromium
@pytest.mark.parametrize("count,links", [(30, 45), (150, 400)])
def test_projector_map_labels_fit_at_30_and_150_cards(count, links):
    """The projector's map (graph_views.graph_drawing) drawn by Chromium at its reference size:
    its labels are inside the drawing, never overlap, show the start of their card's text, and
    are big enough to read at least 24 px once the page scales the drawing on a 1280x720 screen
    (tests/e2e/test_projector_map.py checks that scale on the real page)."""
    from workshop.ui.graph_findings import GraphState
    from workshop.ui.projector.graph_views import GRAPH_H, GRAPH_W, MIN_SCALE_720, graph_drawing

    snapshot = long_texts(synthetic_snapshot(count, links, seed=21))
    drawing = graph_drawing(GraphState(snapshot, analyse(snapshot)), "fr")
    texts = {f"label-{c.id}": " ".join(c.text.split()) for c in snapshot.cards}
    annotations = drawing.figure["layout"]["annotations"]
    sizes = {a["font"]["size"] for a in annotations}
    assert min(sizes) * MIN_SCALE_720 >= 24, sizes
    named = [a for a in annotations if a.get("name") in texts]
    assert len(named) >= 8
    for a in named:  # whole, or cut at a word with "…": never another card's words
        shown = a["text"].replace("<br>", " ")
        assert texts[a["name"]].startswith(shown.rstrip("…")), (shown, texts[a["name"]])
    [drawn] = measure([drawing.figure])
    assert (drawn.width, drawn.height) == (GRAPH_W, GRAPH_H)
    boxes = [t for t in drawn.texts if t.kind == "annotation"]
    assert len(boxes) == len(annotations)  # column headers and card labels, all drawn
    overlaps = [(a.text, b.text) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    assert overlaps == [], overlaps[:5]
    outside = [t.text for t in boxes if t.x0 < 0 or t.y0 < 0 or t.x1 > drawn.width or t.y1 > drawn.height]
    assert outside == []
    # The map cannot name every card at 150: the page says how many it names.
    if len(named) < count:
        assert drawing.named == (f"{len(named)}\u00a0cartes nommées sur\u00a0{count}, "
                                 "faute de place pour les autres.")
    else:
        assert drawing.named == ""


@needs_chromium
@pytest.mark.parametrize("count,links", [(30, 45), (150, 400)])
def test_console_map_labels_fit_at_30_and_150_cards(count, links):
    """The console's map (its middle column's width, and enlarged): no label over another,
    none past the edges of the map."""
    from workshop.ui.console.graph_data import BIG_MAP_WIDTH, MAP_WIDTH, map_figure
    from workshop.ui.graph_findings import GraphState

    snapshot = long_texts(synthetic_snapshot(count, links, seed=21))
    state = GraphState(snapshot, analyse(snapshot))
    figures = [map_figure(state, "fr"), map_figure(state, "fr", width=BIG_MAP_WIDTH)]
    for width, figure, drawn in zip((MAP_WIDTH, BIG_MAP_WIDTH), figures, measure(figures)):
        assert drawn.width == width
        boxes = [t for t in drawn.texts if t.kind == "annotation"]
        assert len(boxes) >= 10
        overlaps = [(a.text, b.text) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
        assert overlaps == [], (width, overlaps[:5])
        outside = [t.text for t in boxes if t.x0 < 0 or t.y0 < 0 or t.x1 > drawn.width or t.y1 > drawn.height]
        assert outside == [], (width, outside)


@needs_chromium
@pytest.mark.parametrize("count", [4, 10])
def test_projector_dot_vote_labels_never_run_into_each_other(count):
    """The projector's dot-vote chart at its reference size with long card texts: each card's
    label stays on its own line(s), however many cards (ten two-line labels used to overlap);
    with few cards, long texts keep their second line."""
    from workshop.ui.projector import charts
    from workshop.ui.projector.base import CHART_H, CHART_W_SIDE

    words = ("Comment garder un médecin à moins de vingt minutes de chaque village du territoire",
             "Le savoir-faire industriel de la vallée et ses sous-traitants face à la transition",
             "Des bus à haut niveau de service entre les bourgs et la gare")
    rows = [(f"{words[i % 3]} ({i})", 40 - i, {"elected": 20 - i, "resident": 20}) for i in range(count)]
    figure = charts.dot_vote_figure(rows, {"elected": "élu·e", "resident": "habitant·e"}, width=CHART_W_SIDE,
                                    height=CHART_H)
    [drawn] = measure([figure])
    labels = [t for t in drawn.texts if t.kind == "ytick"]
    assert len(labels) == count
    overlaps = [(a.text, b.text) for i, a in enumerate(labels) for b in labels[i + 1:] if a.overlaps(b)]
    assert overlaps == [], overlaps[:3]
    two_lines = ["<br>" in text for text in figure["layout"]["yaxis"]["ticktext"]]
    assert all(two_lines) if count == 4 else not any(two_lines)


def test_the_robustness_matrix_never_draws_text_under_the_projectors_floor():
    """At 1280x720 the projector reads 24 px or more (charts.TEXT at the 1080p reference): with
    many actions the matrix slants or wraps its labels, it does not shrink them under that."""
    from workshop.ui.projector import charts

    challenges = [f"Comment relever le défi numéro {i} d'ici 2050 ?" for i in range(4)]
    for count in (1, 3, 5, 8):
        actions = [f"Action existante pluriprofessionnelle {i}" for i in range(count)]
        scores = [[(i + j) % 3 if (i + j) % 2 else None for j in range(count)] for i in range(len(challenges))]
        figure = charts.robustness_figure(challenges, actions, scores,
                                          {"breaks": "rompt", "bends": "plie", "holds": "tient"},
                                          width=1600, height=800, unrated_label="pas encore évalué")
        layout = figure["layout"]
        sizes = [layout["xaxis"]["tickfont"]["size"], layout["yaxis"]["tickfont"]["size"]]
        sizes += [a["font"]["size"] for a in layout["annotations"]]
        assert min(sizes) >= charts.TEXT, (count, sizes)
        assert len(layout["xaxis"]["ticktext"]) == count  # every action keeps its column


def test_projector_labels_cut_an_overlong_word_where_french_hyphenates():
    from workshop.ui.projector.charts import wrap

    assert wrap("Maison de santé pluriprofessionnelle", 15, 3) == "Maison de santé<br>pluriprofes-<br>sionnelle"
    assert wrap("intercommunalités", 10, 3) == "intercom-<br>munalités"
    assert wrap("Contrat de rivière", 15, 3) == "Contrat de<br>rivière"  # words that fit are never cut
    assert wrap("pluriprofessionnelle", 8, 2) == "plu-<br>ripro…"


def test_projector_bars_give_tied_cards_one_rank():
    """Two cards with one dot each are both « 3. », not « 3. » and « 4. »."""
    from workshop.ui.projector import charts

    assert charts.tied_ranks([5, 3, 1, 1, 0]) == [1, 2, 3, 3, 5]
    rows = [("Accès aux soins", 2, {}), ("Alimentation locale", 1, {}), ("Mobilités", 1, {}), ("Eau", 1, {})]
    labels = charts.dot_vote_figure(rows, {}, width=1600, height=800)["layout"]["yaxis"]["ticktext"]
    assert [label.split(".")[0] for label in labels] == ["1", "2", "2", "2"]
    means = charts.mean_bar_figure([("a", 4.04), ("b", 3.96), ("c", 3.5)], criterion="Gravité", width=1600,
                                   height=800)["data"][0]["y"]
    assert [label.split(".")[0] for label in means] == ["1", "1", "3"]  # 4.0 and 4.0 as shown
