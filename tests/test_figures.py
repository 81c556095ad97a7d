"""Figures: they build for the demo and for a crowded 150-card map, show each kind in its
colour, keep the full text on hover, shorten labels, and export to PNG/SVG offline."""

from __future__ import annotations

import html
from datetime import date

import pytest

from workshop.analysis import CardData, LinkData, Snapshot, StepData, TrajectoryData, analyse, load_snapshot
from workshop.analysis.synthetic import synthetic_snapshot
from workshop.db import Database
from workshop.figures import (
    KIND_COLORS,
    MODES,
    RELATION_STYLES,
    influence_dependence_figure,
    render_images,
    shorten,
    static_export_problem,
    to_png,
    trajectories_timeline_figure,
    trajectory_graph_figure,
)
from workshop.figures.style import MODE_STYLES
from workshop.models import CardKind, Relation


@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory) -> Snapshot:
    from workshop.demo import build_demo

    db = Database(f"sqlite:///{tmp_path_factory.mktemp('figures') / 'demo.sqlite3'}")
    db.create_schema()
    demo = build_demo(db)
    snapshot = load_snapshot(db, demo.seminar_id)
    db.dispose()
    return snapshot


@pytest.fixture(scope="module")
def crowded() -> Snapshot:
    return synthetic_snapshot(150, 450, seed=7, trajectories=4, horizon_year=2050, today=date(2026, 1, 1))


def node_traces(fig):
    return [tr for tr in fig.data if tr.meta and "kind" in tr.meta]


def edge_traces(fig):
    return [tr for tr in fig.data if tr.meta and "relation" in tr.meta]


def plain(hover: str) -> str:
    return html.unescape(hover.replace("<br>", " ").replace("<b>", "").replace("</b>", ""))


# --- labels ------------------------------------------------------------------------------------


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    text = "Préserver la ressource en eau et les hortillonnages"
    assert shorten(text, 100) == text
    short = shorten(text, 24)
    assert short == "Préserver la ressource…" and len(short) <= 24
    assert shorten("Anticonstitutionnellement", 10) == "Anticonst…"
    assert shorten("  Deux   espaces ", 40) == "Deux espaces"


# --- the layered map ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_graph_of_the_demo(demo_snapshot, mode):
    analysis = analyse(demo_snapshot)
    fig = trajectory_graph_figure(demo_snapshot, analysis, mode=mode)
    nodes = node_traces(fig)
    assert {tr.meta["kind"] for tr in nodes} == {"stake", "threat", "resource"}
    assert sum(len(tr.x) for tr in nodes) == len(demo_snapshot.cards)
    # columns left to right: resources, threats, stakes
    x = {tr.meta["kind"]: set(tr.x) for tr in nodes}
    assert x == {"resource": {0.0}, "threat": {1.0}, "stake": {2.0}}
    titles = [a.text for a in fig.layout.annotations]
    # the demo writes resources but no action: the left column says only « Ressources »
    assert titles == ["<b>Ressources</b>", "<b>Menaces</b>", "<b>Enjeux</b>"]
    # 17 links: drawn one per (relation, weight) trace; each link ends with None
    assert sum(list(tr.x).count(None) for tr in edge_traces(fig)) == len(demo_snapshot.links) == 17


def test_node_colours_by_kind_and_edge_styles_by_relation(crowded):
    fig = trajectory_graph_figure(crowded, analyse(crowded), mode="interactive")
    kinds = {c.id: c.kind.value for c in crowded.cards}
    for trace in node_traces(fig):
        assert trace.marker.color == KIND_COLORS[trace.meta["kind"]]
        assert {kinds[cid] for cid in trace.customdata} == {trace.meta["kind"]}
    seen = set()
    for trace in edge_traces(fig):
        relation = Relation(trace.meta["relation"])
        color, dash = RELATION_STYLES[relation]
        assert (trace.line.color, trace.line.dash) == (color, dash)
        assert trace.marker.symbol == "arrow"
        seen.add(relation)
    assert seen == set(Relation)
    legend = [tr.name for tr in fig.data if tr.showlegend is not False]
    assert "pèse sur" in legend and "Enjeux" in legend and len(legend) == len(set(legend))


def test_hover_keeps_the_full_text_and_labels_are_shortened(crowded):
    analysis = analyse(crowded)
    fig = trajectory_graph_figure(crowded, analysis, mode="projector")
    texts = {c.id: c.text for c in crowded.cards}
    style = MODE_STYLES["projector"]
    labels = 0
    for trace in node_traces(fig):
        for cid, label, hover in zip(trace.customdata, trace.text, trace.hovertext):
            assert texts[cid] in plain(hover)
            if label:
                labels += 1
                assert len(label) <= style.label_chars
                assert label == texts[cid] or (label.endswith("…") and texts[cid].startswith(label[:-1]))
    # crowded: some cards lose their label, never more than the limit keep one
    assert 0 < labels <= style.label_limit < len(crowded.cards)


def test_threat_and_stake_hovers_carry_the_analysis(demo_snapshot):
    analysis = analyse(demo_snapshot)
    fig = trajectory_graph_figure(demo_snapshot, analysis, mode="interactive")
    hovers = {cid: plain(h) for tr in node_traces(fig) for cid, h in zip(tr.customdata, tr.hovertext)}
    threat = analysis.threats[0]
    assert "Sévérité" in hovers[threat.card_id] and "/ 25" in hovers[threat.card_id]
    goal = analysis.goals[0]
    assert "Exposition" in hovers[goal.card_id] and "Soutien" in hovers[goal.card_id]


def test_english_labels(demo_snapshot):
    fig = trajectory_graph_figure(demo_snapshot, analyse(demo_snapshot), mode="print", lang="en")
    assert [a.text for a in fig.layout.annotations] == ["<b>Resources</b>", "<b>Threats</b>", "<b>Stakes</b>"]
    assert {tr.name for tr in edge_traces(fig)} >= {"weighs on", "supports"}


def test_graph_with_all_columns_and_same_column_links():
    cards = (CardData(1, CardKind.ACTION_LEAD, "Piste"), CardData(2, CardKind.THREAT, "Menace"),
             CardData(3, CardKind.STAKE, "Enjeu A"), CardData(4, CardKind.STAKE, "Enjeu B"),
             CardData(5, CardKind.CHALLENGE, "Défi"))
    links = (LinkData(1, 5, Relation.LEADS_TO, 2), LinkData(2, 3, Relation.WEIGHS_ON, 3),
             LinkData(3, 4, Relation.INFLUENCES, 1), LinkData(4, 5, Relation.INFLUENCES, 1))
    fig = trajectory_graph_figure(Snapshot(cards, links), mode="interactive")
    assert [a.text for a in fig.layout.annotations][-1] == "<b>Défis</b>"
    leads_to = next(tr for tr in edge_traces(fig) if tr.meta["relation"] == "leads_to")
    points = [x for x in leads_to.x if x is not None]
    assert min(points) == 0 and max(points) == 3 and len(points) > 3  # curves through the gaps
    influences = [tr for tr in edge_traces(fig) if tr.meta["relation"] == "influences"]
    arc = [x for x in influences[0].x if x is not None]
    assert max(arc) > 2  # the stake-to-stake arc bulges right of the stakes column


@pytest.mark.parametrize("kinds, header", [
    ((CardKind.RESOURCE,), "Ressources"),
    ((CardKind.CURRENT_ACTION, CardKind.ACTION_LEAD), "Actions"),
    ((CardKind.RESOURCE, CardKind.CURRENT_ACTION), "Ressources et actions"),
])
def test_left_column_is_headed_by_what_it_holds(kinds, header):
    """« Ressources et actions » over resources alone (a half-day's map) announced cards that were not there."""
    cards = (*(CardData(i, kind, f"Carte {i}") for i, kind in enumerate(kinds, 1)), CardData(9, CardKind.STAKE, "Enjeu"))
    for mode in MODES:
        fig = trajectory_graph_figure(Snapshot(cards, ()), mode=mode)
        assert [a.text for a in fig.layout.annotations][:2] == [f"<b>{header}</b>", "<b>Enjeux</b>"], mode


def test_empty_graph():
    fig = trajectory_graph_figure(Snapshot(()), None)
    assert fig.layout.annotations[0].text == "Aucune carte reliée pour l'instant"


def test_unknown_mode_is_refused(crowded):
    with pytest.raises(ValueError):
        trajectory_graph_figure(crowded, mode="poster")


# --- influence / dependence plane -------------------------------------------------------------------


def test_influence_plane_has_the_four_quadrants_in_french(demo_snapshot):
    analysis = analyse(demo_snapshot)
    fig = influence_dependence_figure(analysis)
    corners = [a.text for a in fig.layout.annotations]
    assert corners == ["<b>Moteurs</b>", "<b>Relais</b>", "<b>Dépendants</b>", "<b>Autonomes</b>"]
    assert sum(len(tr.x) for tr in node_traces(fig)) == len(analysis.influence)
    # dashed lines at the mean share (100 % / n), on both axes
    assert fig.layout.shapes[0].x0 == fig.layout.shapes[1].y0 == pytest.approx(100 / len(analysis.influence))
    # the direct positions and the arrows to the indirect ones (the displacement plane)
    direct = next(tr for tr in fig.data if (tr.meta or {}).get("direct"))
    assert len(direct.x) == len(analysis.influence)
    moved = next(tr for tr in fig.data if (tr.meta or {}).get("displacement"))
    assert len([x for x in moved.x if x is None]) == sum(
        1 for s in analysis.influence if abs(s.influence - s.direct_influence_share) * 100 > 0.5
        or abs(s.dependence - s.direct_dependence_share) * 100 > 0.5)
    for trace in node_traces(fig):
        assert trace.marker.color == KIND_COLORS[trace.meta["kind"]]
    english = influence_dependence_figure(analysis, lang="en", basis="direct", mode="print")
    assert [a.text for a in english.layout.annotations] == ["<b>Driving</b>", "<b>Relay</b>", "<b>Dependent</b>",
                                                           "<b>Autonomous</b>"]
    assert english.layout.xaxis.title.text == "Direct dependence (% of total)"


def test_influence_plane_of_a_crowded_map(crowded):
    analysis = analyse(crowded)
    for mode in MODES:
        fig = influence_dependence_figure(analysis, mode=mode)
        texts = {c.id: c.text for c in crowded.cards}
        for trace in node_traces(fig):
            for cid, hover in zip(trace.customdata, trace.hovertext):
                assert texts[cid] in plain(hover)
        labelled = sum(1 for tr in node_traces(fig) for label in tr.text if label)
        assert 0 < labelled < len(analysis.influence)


# --- timeline ------------------------------------------------------------------------------------------


def test_timeline_of_the_demo(demo_snapshot):
    fig = trajectories_timeline_figure(demo_snapshot, today=date(2026, 5, 1))
    steps = next(tr for tr in fig.data if tr.name == "steps")
    trajectory = demo_snapshot.trajectories[0]
    assert list(steps.x) == [s.year for s in trajectory.steps]
    assert list(steps.marker.symbol)[-1] == "star"  # the last step reaches the horizon
    assert fig.layout.xaxis.range[0] < 2026 and fig.layout.xaxis.range[1] > 2055
    assert [a.text for a in fig.layout.annotations] == ["Aujourd'hui", "Horizon 2055"]
    assert trajectory.steps[0].title in plain(steps.hovertext[0])
    assert fig.layout.yaxis.ticktext[0].startswith("<b>Des soins à moins de 20 minutes</b>")


def test_timeline_rows_and_same_year_steps(crowded):
    snapshot = Snapshot(crowded.cards, (), crowded.trajectories + (TrajectoryData(
        99, "Deux étapes la même année", crowded.cards[0].id,
        (StepData(2030, "Première"), StepData(2030, "Seconde"))),), horizon_year=2050)
    fig = trajectories_timeline_figure(snapshot, mode="interactive", lang="en", today=date(2026, 1, 1))
    assert len(fig.layout.yaxis.tickvals) == 5
    steps = next(tr for tr in fig.data if tr.name == "steps")
    assert list(steps.x)[-2:] == [2030, 2030.25]  # same year: side by side, not on top of each other
    assert fig.layout.annotations[0].text == "Today"


@pytest.mark.parametrize("mode", ["print", "interactive"])
def test_timeline_axis_title_is_no_larger_than_its_years(demo_snapshot, mode):
    """« Année » under the years was the biggest text of the chart (plotly draws an axis title at
    1.2 times the font); it is now the years' size (the projector has none: its years speak for
    themselves, tests/test_ui_projector_truth.py)."""
    fig = trajectories_timeline_figure(demo_snapshot, mode=mode, today=date(2026, 5, 1))
    title = fig.layout.xaxis.title
    assert title.text == "Année"
    assert title.font.size is not None and title.font.size <= fig.layout.font.size


def test_timeline_without_trajectories():
    fig = trajectories_timeline_figure(Snapshot((), horizon_year=2050))
    assert fig.layout.annotations[0].text == "Aucune trajectoire pour l'instant"


# --- static export ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exporter():
    problem = static_export_problem()
    if problem is not None:
        pytest.skip(f"static export impossible here (kaleido needs Chrome/Chromium, see "
                    f"scripts/install-system-deps.sh): {problem}")


def test_static_export_png(exporter, crowded, tmp_path):
    png = to_png(trajectory_graph_figure(crowded, analyse(crowded), mode="print"), tmp_path / "carte.png", 1200, 900)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert int.from_bytes(data[16:20], "big") == 1200 and int.from_bytes(data[20:24], "big") == 900


def test_to_svg_writes_what_the_renderer_returns(monkeypatch, tmp_path):
    from workshop.figures import export

    calls = []
    monkeypatch.setattr(export, "to_image", lambda fig, fmt, w, h, scale=1.0: calls.append((fmt, w, h)) or b"<svg/>")
    path = export.to_svg(trajectories_timeline_figure(Snapshot(())), tmp_path / "sub" / "frise.svg", 900, 300)
    assert path.read_bytes() == b"<svg/>" and calls == [("svg", 900, 300)]


def test_render_many_images_with_one_browser(exporter, demo_snapshot):
    analysis = analyse(demo_snapshot)
    timeline, plane = render_images([(trajectories_timeline_figure(demo_snapshot, mode="print"), "png", 800, 400),
                                     (influence_dependence_figure(analysis, mode="print"), "svg", 1000, 700)])
    assert timeline[:8] == b"\x89PNG\r\n\x1a\n" and len(timeline) > 5_000
    svg = plane.decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "Moteurs" in svg and "Dépendants" in svg
