"""The projector's map at the « Relier » step, computed (no browser): 13 cards as the rehearsal's
run sheet writes them, a few validated links. Every card is named, and every link is drawn to be
seen from the back of a room: 3 px or more at 1280x720, 3:1 or more against the white background
(WCAG 1.4.11), whatever its relation, with an arrowhead at the card it points to.
tests/e2e/test_projector_graph_links.py measures the same on the real page in Chromium.
"""

from __future__ import annotations

import pytest

from workshop.analysis import analyse
from workshop.analysis.snapshot import CardData, LinkData, Snapshot
from workshop.figures.style import RELATION_STYLES
from workshop.models import CardKind, Relation
from workshop.ui.graph_findings import GraphState
from workshop.ui.projector.graph_views import MIN_SCALE_720, graph_drawing

K = CardKind
#: The cards of the rehearsal's « Relier enjeux, menaces, ressources et actions » step.
CARDS = [
    (K.RESOURCE, "Le savoir-faire industriel local"),
    (K.CURRENT_ACTION, "Plan de mobilité employeur"),
    (K.CURRENT_ACTION, "Contrat de rivière"),
    (K.CURRENT_ACTION, "Maison de santé pluriprofessionnelle"),
    (K.THREAT, "Pénuries d'eau potable en été"),
    (K.THREAT, "Canicules plus longues et plus fréquentes"),
    (K.STAKE, "Préserver la ressource en eau"),
    (K.STAKE, "Une alimentation locale pour tous"),
    (K.STAKE, "Accès aux soins de proximité"),
    (K.STAKE, "Des mobilités sans voiture individuelle"),
    (K.CHALLENGE, "Une eau potable garantie tous les étés"),
    (K.CHALLENGE, "Zéro voiture solo pour aller au travail"),
    (K.CHALLENGE, "Garder un médecin dans chaque bourg d'ici 2035"),
]
#: The themes the rehearsal's first participant gives their cards (kit keys; the others have none): they
#: set the map's order, as in the rehearsal (« Accès aux soins » last of the stakes, below « Canicules »).
THEMES = {"Accès aux soins de proximité": "sante", "Une alimentation locale pour tous": "alimentation",
          "Canicules plus longues et plus fréquentes": "climat-risques",
          "Garder un médecin dans chaque bourg d'ici 2035": "sante", "Maison de santé pluriprofessionnelle": "sante"}
#: Dots the stakes received.
DOTS = {"Accès aux soins de proximité": 3, "Préserver la ressource en eau": 2,
        "Une alimentation locale pour tous": 1}
#: Validated links: (source, relation, target, weight).
LINKS = {
    "one link": [("Canicules plus longues et plus fréquentes", Relation.WEIGHS_ON, "Accès aux soins de proximité", 1)],
    "three links": [  # threats weighing on stakes, of weights 1, 2 and 3
        ("Canicules plus longues et plus fréquentes", Relation.WEIGHS_ON, "Accès aux soins de proximité", 1),
        ("Canicules plus longues et plus fréquentes", Relation.WEIGHS_ON, "Préserver la ressource en eau", 2),
        ("Pénuries d'eau potable en été", Relation.WEIGHS_ON, "Préserver la ressource en eau", 3),
    ],
}


def snapshot(link_set: str, dots: dict[str, int] | None = None) -> Snapshot:
    ids = {text: n for n, (_, text) in enumerate(CARDS, start=1)}
    dots = DOTS if dots is None else dots
    cards = tuple(CardData(ids[text], kind, text, THEMES.get(text), dots.get(text, 0)) for kind, text in CARDS)
    links = tuple(LinkData(ids[s], ids[t], r, w) for s, r, t, w in LINKS[link_set])
    return Snapshot(cards, links, ())


def contrast_on_white(color: str, opacity: float) -> float:
    """WCAG contrast ratio with white of ``color`` (#rrggbb or rgb(r, g, b)) drawn at ``opacity`` on white."""
    if color.startswith("#"):
        rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    else:
        rgb = [float(v) for v in color[color.index("(") + 1:color.index(")")].split(",")[:3]]

    def channel(c: float) -> float:
        c = (opacity * c + (1 - opacity) * 255) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def edge_traces(drawing) -> list[dict]:
    return [t for t in drawing.figure["data"] if (t.get("meta") or {}).get("relation")]


def test_every_relation_reads_against_the_white_from_the_back_of_the_room():
    """One link of each relation (the legend's), of weights 1 to 3: every one drawn 3 px or more at
    1280x720, in a colour of 3:1 or more on white as drawn (with its opacity)."""
    ids = {text: n for n, (_, text) in enumerate(CARDS, start=1)}
    wanted = [("Canicules plus longues et plus fréquentes", Relation.WEIGHS_ON, "Accès aux soins de proximité", 1),
              ("Le savoir-faire industriel local", Relation.SUPPORTS, "Préserver la ressource en eau", 2),
              ("Contrat de rivière", Relation.COUNTERS, "Pénuries d'eau potable en été", 3),
              ("Accès aux soins de proximité", Relation.INFLUENCES, "Des mobilités sans voiture individuelle", 1),
              ("Maison de santé pluriprofessionnelle", Relation.LEADS_TO,
               "Garder un médecin dans chaque bourg d'ici 2035", 1)]
    snap = snapshot("one link")
    snap = Snapshot(snap.cards, tuple(LinkData(ids[s], ids[t], r, w) for s, r, t, w in wanted), ())
    traces = edge_traces(graph_drawing(GraphState(snap, analyse(snap)), "fr"))
    assert {t["meta"]["relation"] for t in traces} == {r.value for r in Relation}
    for trace in traces:
        assert trace["line"]["width"] * MIN_SCALE_720 >= 3, trace["meta"]
        assert contrast_on_white(trace["line"]["color"], trace.get("opacity", 1)) >= 3, trace["meta"]
        assert trace["line"]["color"] == RELATION_STYLES[Relation(trace["meta"]["relation"])][0]


@pytest.mark.parametrize("link_set", list(LINKS))
def test_the_relier_step_names_every_card_and_draws_links_to_be_seen(link_set):
    snap = snapshot(link_set)
    drawing = graph_drawing(GraphState(snap, analyse(snap)), "fr")
    layout = drawing.figure["layout"]
    assert layout["meta"]["named"] == len(CARDS) and drawing.named == ""
    edges = edge_traces(drawing)
    assert sum(t["x"].count(None) for t in edges) == len(LINKS[link_set])
    for trace in edges:
        width = trace["line"]["width"]
        assert width * MIN_SCALE_720 >= 3, trace["meta"]
        assert contrast_on_white(trace["line"]["color"], trace.get("opacity", 1)) >= 3
        # the arrowhead: at each link's last point (its target), as big as the stroke allows to see
        sizes = list(trace["marker"]["size"])
        ends = [i - 1 for i, x in enumerate(trace["x"]) if x is None]
        assert all(sizes[i] >= 4 * width for i in ends) and trace["marker"].get("opacity", 1) == 1


@pytest.mark.parametrize("link_set", list(LINKS))
def test_a_columns_names_read_as_a_list_a_gap_between_two_each_dot_at_its_first_line(link_set):
    """As drawn (the boxes the map places, in px of its reference drawing): in every column a gap of
    0.35 line (the type's size) or more between two consecutive names, and each card's dot level with
    its own name's first line (its centre within that line's height)."""
    from workshop.figures.labels import LINE, PAD, box_height

    snap = snapshot(link_set)
    layout = graph_drawing(GraphState(snap, analyse(snap)), "fr").figure["layout"]
    (y0, y1), margin = layout["yaxis"]["range"], layout["margin"]
    plot_h = layout["height"] - margin["t"] - margin["b"]
    columns: dict[float, list] = {}
    for label in (a for a in layout["annotations"] if str(a.get("name", "")).startswith("label-")):
        size = label["font"]["size"]
        dot = margin["t"] + (y1 - label["y"]) / (y1 - y0) * plot_h
        lines = label["text"].count("<br>") + 1
        height = box_height(lines, size)
        top = dot - label["yshift"] - {"top": 0, "middle": 0.5, "bottom": 1}[label["yanchor"]] * height
        columns.setdefault(label["x"], []).append((top, top + height, dot, size, label["text"]))
    assert sum(len(c) for c in columns.values()) == len(CARDS)
    for column in columns.values():
        column.sort()
        for upper, lower in zip(column, column[1:]):
            assert lower[0] - upper[1] >= 0.35 * upper[3], (upper[4], lower[4], lower[0] - upper[1])
        for top, _, dot, size, text in column:
            assert top + PAD <= dot <= top + PAD + LINE * size, (text, top, dot)


@pytest.mark.parametrize("link_set", list(LINKS))
def test_the_relier_steps_names_are_read_whole_where_their_column_has_room(link_set):
    """A column's dots are spaced by their names' heights, not evenly: a four-card column no longer
    gives every name two lines (« Plan de mobilité… » cut above « Contrat de rivière », which left half
    its room empty; « Des mobilités sans voiture… »). At most 5 of the 13 names are cut (7 and 8 were),
    each name still level with its dot and apart from the next (the test above). The width is shared
    among the columns so as to cut the fewest names: 3 with one link, 4 with three (4 and 5 were, the
    columns' widths chosen one column at a time); the rest are « Pénuries… » and « Canicules… » kept off
    a link's middle, and « Maison de santé pluriprofessionnelle », whose last word alone is wider than
    what its column can get without cutting two other names."""
    snap = snapshot(link_set)
    layout = graph_drawing(GraphState(snap, analyse(snap)), "fr").figure["layout"]
    shown = [" ".join(a["text"].split("<br>")) for a in layout["annotations"]
             if str(a.get("name", "")).startswith("label-")]
    assert len(shown) == len(CARDS)
    whole = {text for _, text in CARDS} & set(shown)
    cut = [text for text in shown if text.endswith("…")]
    assert {"Plan de mobilité employeur", "Des mobilités sans voiture individuelle",
            "Une eau potable garantie tous les étés"} <= whole, shown
    assert len(cut) <= {"one link": 3, "three links": 4}[link_set], cut


#: The map as the two-day rehearsal draws it at its « Relier » step (``workshop rehearse deux-jours``, read
#: from its database): the same cards, in the order they were written, with its dots and its one link.
REHEARSAL = Snapshot(
    tuple(CardData(n, kind, text, theme, votes) for n, kind, text, theme, votes in (
        (4, K.STAKE, "Accès aux soins de proximité", "sante", 3),
        (5, K.STAKE, "Une alimentation locale pour tous", "alimentation", 1),
        (6, K.THREAT, "Canicules plus longues et plus fréquentes", "climat-risques", 0),
        (7, K.STAKE, "Des mobilités sans voiture individuelle", None, 1),
        (8, K.RESOURCE, "Le savoir-faire industriel local", None, 0),
        (9, K.STAKE, "Préserver la ressource en eau", None, 2),
        (10, K.THREAT, "Pénuries d'eau potable en été", None, 0),
        (11, K.CHALLENGE, "Garder un médecin dans chaque bourg d'ici 2035", "sante", 2),
        (12, K.CHALLENGE, "Zéro voiture solo pour aller au travail", None, 1),
        (13, K.CHALLENGE, "Une eau potable garantie tous les étés", None, 2),
        (14, K.CURRENT_ACTION, "Maison de santé pluriprofessionnelle", "sante", 0),
        (15, K.CURRENT_ACTION, "Plan de mobilité employeur", None, 0),
        (16, K.CURRENT_ACTION, "Contrat de rivière", None, 0))),
    (LinkData(6, 4, Relation.WEIGHS_ON, 1),), ())


def test_the_rehearsals_map_cuts_fewer_names():
    """The two-day rehearsal's map at the projector's size cut 5 of its 13 names (« Une eau potable… »,
    « Zéro voiture solo pour… », « Garder un médecin… », « Maison de santé… », « Canicules plus
    longues… »): 4 now, « Zéro voiture solo pour aller au travail » whole."""
    drawing = graph_drawing(GraphState(REHEARSAL, analyse(REHEARSAL)), "fr")
    shown = [a["text"].replace("<br>", " ") for a in drawing.figure["layout"]["annotations"]
             if str(a.get("name", "")).startswith("label-")]
    assert len(shown) == len(REHEARSAL.cards)
    cut = [text for text in shown if text.endswith("…")]
    assert len(cut) <= 4, cut
    assert "Zéro voiture solo pour aller au travail" in shown


def cut_names(snap: Snapshot, width: int, height: int) -> int:
    """How many of the map's names are cut (« … ») or missing, drawn ``width`` x ``height`` px as on the
    projector."""
    from workshop.figures import trajectory_graph_figure
    from workshop.figures.map_labels import MapFit
    from workshop.ui.projector.graph_views import MAP_FONT

    figure = trajectory_graph_figure(snap, analyse(snap), mode="projector", lang="fr",
                                     fit=MapFit(width, height, size=MAP_FONT, right=True, numbers=False,
                                                legend=False))
    shown = [a.text for a in figure.layout.annotations if (a.name or "").startswith("label-")]
    return sum(text.endswith("…") for text in shown) + len(snap.cards) - len(shown)


@pytest.mark.parametrize("cards", ["test", "rehearsal"])
def test_more_room_never_cuts_more_names(cards):
    """The map's 13 names drawn wider or taller are never cut more: the columns' widths are chosen
    for the fewest cut names in the room there is (taller once cut 5 names instead of 4, at 1,220 x 575
    px, one column left narrower). Without links, so that what is measured is the room: a name kept
    off a link's middle is shortened wherever that link happens to run."""
    snap = Snapshot((REHEARSAL if cards == "rehearsal" else snapshot("one link")).cards, (), ())
    widths, heights = list(range(1100, 1701, 40)), [560, 575, 590, 620, 680, 740]
    cut = {(w, h): cut_names(snap, w, h) for w in widths for h in heights}
    worse = []
    for i, w in enumerate(widths):
        for j, h in enumerate(heights):
            for more in (widths[i + 1:i + 2] and [(widths[i + 1], h)] or []) + \
                        (heights[j + 1:j + 2] and [(w, heights[j + 1])] or []):
                if cut[more] > cut[(w, h)]:
                    worse.append(((w, h), cut[(w, h)], more, cut[more]))
    assert worse == [], worse
    assert cut[(1100, 560)] <= 4 and cut[(1700, 740)] == 0, cut
