"""The layered map of the seminar: resources and actions -> threats -> stakes -> challenges.

Columns, left to right: levers (resources, current actions, action leads), threats (and
trends), stakes, challenges. Within a column cards are ordered to limit crossings (two
sweeps of the barycentre heuristic, from an order by theme; ties by id). Node colour =
kind, node size = dots received, edge colour and dash = relation, width = weight (from the
mode's ``line_min``: on the projector 3 px or more at 1280x720), an arrowhead touching the
target's dot; labels are shortened (full text on hover) and, on a crowded map, only the
biggest cards keep theirs. On the projector (``MapFit.right``) the width is shared among the columns so
as to cut the fewest names (``map_columns.column_starts``), its cards spaced by their names' heights rather than evenly
(``map_columns.stacked_heights``), the names keep their letters off the links and are drawn
without a background (a white halo about the letters): a link is seen across a name, but behind its letters.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict

import plotly.graph_objects as go

from workshop.analysis.graph import MAX_LINK_WEIGHT
from workshop.analysis.metrics import SeminarAnalysis
from workshop.analysis.snapshot import CardData, Snapshot
from workshop.figures.labels import annotations as label_annotations
from workshop.figures.map_columns import column_starts, stacked_heights
from workshop.figures.map_labels import (
    MapFit,
    frame_for,
    header_lines,
    numbered,
    numbered_cards,
    place_map_labels,
    x_range,
    y_range,
)
from workshop.figures.style import (
    INK,
    KIND_COLORS,
    MUTED,
    RELATION_STYLES,
    base_layout,
    link_width,
    markup,
    mode_style,
    shorten,
    t,
    wrap_html,
)
from workshop.models import CardKind, Relation

__all__ = ["COLUMNS", "KIND_ORDER", "MapFit", "numbered_cards", "trajectory_graph_figure"]

K = CardKind
#: Column of each kind; kinds not listed (words, articles) are not drawn.
COLUMNS: dict[CardKind, int] = {
    K.RESOURCE: 0, K.CURRENT_ACTION: 0, K.ACTION_LEAD: 0,
    K.THREAT: 1, K.TREND: 1,
    K.STAKE: 2,
    K.CHALLENGE: 3,
}
COLUMN_KEYS = ("levers", "threats", "stakes", "challenges")
#: Legend order of the kinds.
KIND_ORDER = (K.RESOURCE, K.CURRENT_ACTION, K.ACTION_LEAD, K.THREAT, K.TREND, K.STAKE, K.CHALLENGE)
ARROW_GAP = 0.14  # a straight link bends (invisibly) this far before its target: the arrowhead's angle


def _order_columns(cards: list[CardData], links, columns: dict[int, int]) -> dict[int, float]:
    """y position (0 = top .. 1 = bottom, spread evenly) of each card within its column."""
    by_column: dict[int, list[CardData]] = defaultdict(list)
    for card in cards:
        by_column[columns[card.id]].append(card)
    order = {col: [c.id for c in sorted(group, key=lambda c: (c.theme or "", -c.votes, c.id))]
             for col, group in by_column.items()}

    def positions() -> dict[int, float]:
        pos = {}
        for ids in order.values():
            for i, card_id in enumerate(ids):
                pos[card_id] = (i + 0.5) / len(ids)
        return pos

    neighbours: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for link in links:
        if columns[link.source] != columns[link.target]:
            neighbours[link.source].append((link.target, link.weight))
            neighbours[link.target].append((link.source, link.weight))
    sweep = [col for col in (2, 1, 0, 3) if col in order]
    for _ in range(2):
        for col in sweep:
            pos = positions()

            def barycentre(card_id: int) -> float:
                near = neighbours.get(card_id)
                if not near:
                    return pos[card_id]
                total = sum(w for _, w in near)
                return sum(pos[n] * w for n, w in near) / total

            order[col] = sorted(order[col], key=lambda n: (round(barycentre(n), 9), n))
    return positions()


def _layout_positions(snapshot: Snapshot) -> tuple[dict[int, tuple[float, float]], list[int]]:
    cards = [c for c in snapshot.cards if c.kind in COLUMNS]
    present = sorted({COLUMNS[c.kind] for c in cards})
    x_of = {col: i for i, col in enumerate(present)}  # empty columns collapse
    columns = {c.id: COLUMNS[c.kind] for c in cards}
    links = [l for l in snapshot.links if l.source in columns and l.target in columns and l.source != l.target]
    y = _order_columns(cards, links, columns)
    # Every column spans the full height (y in [0, 1], 1 at the top), cards evenly spaced.
    xy = {card_id: (float(x_of[col]), 1.0 - y[card_id]) for card_id, col in columns.items()}
    return xy, present


def _headers(cards, present: list[int], lang: str) -> list[str]:
    """Each drawn column's header. The left column names only the kinds it holds: « Ressources »
    before any action is written (the map of a half-day has none), « Actions » without resources,
    « Ressources et actions » once both are there."""
    levers = {c.kind for c in cards if COLUMNS.get(c.kind) == 0}
    key = ("levers" if K.RESOURCE in levers and levers - {K.RESOURCE}
           else "levers_resources" if K.RESOURCE in levers else "levers_actions")
    return [t("figure.column." + (key if col == 0 else COLUMN_KEYS[col]), lang) for col in present]


def _column_map(starts: list[float]):
    """x of the drawing from a column index (fractions between columns stay in proportion)."""
    ends = [*starts[1:], len(starts)]  # the zones fill span + 1 column widths, as evenly spaced ones

    def xmap(x: float) -> float:
        i = min(max(int(math.floor(x)), 0), len(starts) - 1)
        return starts[i] + (x - i) * (ends[i] - starts[i])
    return xmap


def _right_frame(fit: MapFit, style, span: int, tallest: int, first: float, starts: list[float],
                 headers: list[str], size: float):
    """The projector's frame, its top margin holding the column headers wrapped to their zones (their lines)."""
    frame = frame_for(fit, style, span, tallest, 1, first)
    ends = [*starts[1:], span + 1]
    head = [header_lines([text], size, frame.px(end, 0)[0] - frame.px(start, 0)[0] - 2 * first)[0]
            for text, start, end in zip(headers, starts, ends)]
    return frame_for(fit, style, span, tallest, max(len(h) for h in head), first), head


def _tallest(xy: dict[int, tuple[float, float]]) -> int:
    counts: dict[float, int] = defaultdict(int)
    for x, _ in xy.values():
        counts[x] += 1
    return max(counts.values(), default=1)


#: Height (px) the figure gets: the projector fills a 1080p screen; elsewhere it grows with
#: the longest column so that cards stay apart (the page scrolls).
PROJECTOR_HEIGHT = 1000
PX_PER_CARD = {"interactive": 20, "print": 14}


def _plot_height(mode: str, xy: dict[int, tuple[float, float]]) -> int:
    if mode == "projector":
        return PROJECTOR_HEIGHT
    return max(480, _tallest(xy) * PX_PER_CARD[mode] + 160)


def _node_size(votes: int, max_votes: int, style) -> float:
    if max_votes <= 0:
        return style.node_min
    return style.node_min + (style.node_max - style.node_min) * math.sqrt(max(votes, 0) / max_votes)


def _hover(card: CardData, analysis: SeminarAnalysis | None, lang: str) -> str:
    lines = [f"<b>{wrap_html(card.text)}</b>",
             t(f"kind.{card.kind.value}", lang).capitalize() + (f" · {card.theme}" if card.theme else ""),
             t("figure.votes", lang, n=card.votes)]
    if analysis is not None:
        if card.kind in (K.THREAT, K.TREND):
            threat = analysis.threats_by_id.get(card.id)
            if threat is not None:
                if threat.rated:
                    lines.append(t("figure.severity", lang, value=_num(threat.severity),
                                   likelihood=_num(threat.likelihood), impact=_num(threat.impact)))
                else:
                    lines.append(t("figure.severity_default", lang, value=_num(threat.severity)))
        if card.kind in (K.STAKE, K.CHALLENGE):
            goal = analysis.goals_by_id.get(card.id)
            if goal is not None:
                lines.append(t("figure.exposure", lang, value=_num(goal.exposure)))
                lines.append(t("figure.support", lang, value=goal.support))
                if goal.threats:
                    lines.append(t("figure.countered", lang, countered=goal.countered_count,
                                   total=len(goal.threats)))
        score = analysis.scores_by_id.get(card.id)
        if score is not None:
            lines.append(t(f"figure.group.{score.group.value}", lang))
    return "<br>".join(lines)


def _num(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def _catmull_rom(points: list[tuple[float, float]], samples: int = 5) -> list[tuple[float, float]]:
    """A smooth curve through ``points`` (uniform Catmull-Rom spline)."""
    padded = [points[0], *points, points[-1]]
    out = [points[0]]
    for i in range(1, len(padded) - 2):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for k in range(1, samples + 1):
            u = k / samples
            u2, u3 = u * u, u * u * u
            out.append((0.5 * (2 * bx + (cx - ax) * u + (2 * ax - 5 * bx + 4 * cx - dx) * u2
                               + (3 * bx - ax - 3 * cx + dx) * u3),
                        0.5 * (2 * by + (cy - ay) * u + (2 * ay - 5 * by + 4 * cy - dy) * u2
                               + (3 * by - ay - 3 * cy + dy) * u3)))
    return out


def _gaps(xy: dict[int, tuple[float, float]], limits: tuple[float, float] | None = None) -> dict[float, list[float]]:
    """For each column, the y values halfway between consecutive cards (and past both ends, within
    ``limits`` if given: the drawing's y range): where a link crossing that column can pass without
    touching a card."""
    by_x: dict[float, list[float]] = defaultdict(list)
    for x, y in xy.values():
        by_x[x].append(y)
    gaps = {}
    for x, ys in by_x.items():
        ys.sort()
        low_half = (ys[1] - ys[0]) / 2 if len(ys) > 1 else 0.25
        high_half = (ys[-1] - ys[-2]) / 2 if len(ys) > 1 else 0.25
        below, above = ys[0] - low_half, ys[-1] + high_half
        if limits is not None:  # names stacked (the projector): the end cards may be near the edges
            below, above = max(below, (limits[0] + ys[0]) / 2), min(above, (ys[-1] + limits[1]) / 2)
        gaps[x] = [below] + [(a + b) / 2 for a, b in zip(ys, ys[1:])] + [above]
    return gaps


def _nearest(sorted_values: list[float], value: float) -> float:
    i = bisect.bisect_left(sorted_values, value)
    candidates = sorted_values[max(0, i - 1): i + 1]
    return min(candidates, key=lambda g: (abs(g - value), g))


def _edge_points(x0: float, y0: float, x1: float, y1: float, gaps: dict[float, list[float]]):
    """Points of one drawn link and the index of the point that carries the arrowhead.

    Adjacent columns: a straight line. Across columns: a smooth curve through the gaps of
    the columns in between (a line through a card would read as a link to it). Same column
    (a stake influencing another): an arc bulging right.
    """
    if x0 == x1:
        bulge = 0.12 + 0.35 * abs(y1 - y0)
        cx, cy = x0 + bulge, (y0 + y1) / 2
        points = []
        for i in range(11):
            u = i / 10
            points.append(((1 - u) ** 2 * x0 + 2 * (1 - u) * u * cx + u ** 2 * x1,
                           (1 - u) ** 2 * y0 + 2 * (1 - u) * u * cy + u ** 2 * y1))
        return points, 8
    if abs(x1 - x0) <= 1:
        f = max(0.5, 1 - ARROW_GAP / abs(x1 - x0))
        return [(x0, y0), (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f), (x1, y1)], 1
    step = 1.0 if x1 > x0 else -1.0
    waypoints = [(x0, y0)]
    x = x0 + step
    while (x - x1) * step < 0:
        straight = y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        waypoints.append((x, _nearest(gaps.get(x, [straight]), straight)))
        x += step
    waypoints.append((x1, y1))
    points = _catmull_rom(waypoints)
    arrow = len(points) - 2
    while arrow > 1 and abs(points[arrow][0] - x1) < ARROW_GAP:
        arrow -= 1
    return points, arrow


def trajectory_graph_figure(snapshot: Snapshot, analysis: SeminarAnalysis | None = None, *,
                            mode: str = "projector", lang: str = "fr", title: str | None = None,
                            width: int | None = None, max_height: int | None = None,
                            fit: MapFit | None = None) -> go.Figure:
    """The layered map of cards and accepted links (see the module docstring).

    Each node trace carries the card ids in ``customdata`` (for click handlers); node
    traces are named after the kind (legend), edge traces after the relation.

    ``width`` (px) fixes the drawing's size (its height grows with the longest column, at
    most ``max_height``) and places every label without collision (``figures.map_labels``):
    one line, or two, or shortened, or a number listed by ``numbered_cards(figure)``.
    ``fit`` says the same and more (a fixed height, the labels' size, every label on the
    right, no numbers, no legend: the projector). Without either, labels are plotly's text
    beside each point (pages fit them themselves).
    """
    if fit is None and width is not None:
        fit = MapFit(width, max_height=max_height)
    style = mode_style(mode)
    xy, present = _layout_positions(snapshot)
    cards = {c.id: c for c in snapshot.cards if c.id in xy}
    layout = base_layout(mode, title=title)
    if not cards:
        layout["annotations"] = [dict(text=t("figure.empty_graph", lang), x=0.5, y=0.5, xref="paper",
                                      yref="paper", showarrow=False, font=dict(color=MUTED))]
        layout["xaxis"] = layout["yaxis"] = dict(visible=False)
        return go.Figure(layout=layout)

    max_votes = max(c.votes for c in cards.values())
    sizes = {cid: _node_size(c.votes, max_votes, style) for cid, c in cards.items()}
    degree: dict[int, int] = defaultdict(int)
    drawn_links = [l for l in snapshot.links if l.source in cards and l.target in cards and l.source != l.target]
    for link in drawn_links:
        degree[link.source] += link.weight
        degree[link.target] += link.weight
    # Labels: by priority (dots, then links, then id), skipping any that would overlap one
    # already placed in the same column; beyond ``label_limit`` cards, only that many.
    label_chars = style.label_chars if len(cards) <= style.label_limit else max(18, style.label_chars - 8)
    plot_height = _plot_height(mode, xy) - 120
    gap = 1.15 * style.font_size / max(plot_height, 1)
    placed: dict[float, list[float]] = defaultdict(list)
    labelled: set[int] = set()
    for cid in sorted(cards, key=lambda cid: (-cards[cid].votes, -degree[cid], cid)):
        if len(labelled) >= style.label_limit:
            break
        x, y = xy[cid]
        if all(abs(y - other) >= gap for other in placed[x]):
            placed[x].append(y)
            labelled.add(cid)

    # The projector's columns: the width shared so as to cut the fewest names (``map_columns.column_starts``).
    tallest = _tallest(xy)
    span = len(present) - 1
    starts = list(range(span + 1))
    if fit is not None and fit.right:
        first = max((sizes[cid] / 2 for cid in cards if xy[cid][0] == 0), default=0.0)
        # the headers on one line or two (the names' height, or their width): the better
        starts = column_starts(cards, xy, sizes, {lines: frame_for(fit, style, span, tallest, lines, first)
                                                  for lines in (1, 2)},
                               fit.size or style.font_size, degree, _headers(cards.values(), present, lang), first)
    xmap = _column_map(starts)
    if fit is not None and fit.right:
        # each name the height it needs in its column (``map_columns.stacked_heights``), not an even share
        label_size = fit.size or style.font_size
        first = max((sizes[cid] / 2 for cid in cards if xy[cid][0] == 0), default=0.0)
        headers = _headers(cards.values(), present, lang)
        frame, _ = _right_frame(fit, style, span, tallest, first, starts, headers, label_size)
        ys = stacked_heights(cards, {cid: (xmap(x), y) for cid, (x, y) in xy.items()}, sizes, degree, frame,
                             label_size)
        xy = {cid: (x, ys[cid]) for cid, (x, _) in xy.items()}

    # Edges: one trace per (relation, weight), legend once per relation.
    groups: dict[tuple[Relation, int], list] = defaultdict(list)
    for link in drawn_links:
        groups[(link.relation, min(max(link.weight, 1), MAX_LINK_WEIGHT))].append(link)
    hover_x, hover_y, hover_text = [], [], []
    traces: list[dict] = []
    paths: list[tuple[list[tuple[float, float]], float]] = []  # each drawn link's points and stroke
    gaps = _gaps(xy, tuple(y_range(tallest)) if fit is not None and fit.right else None)
    for relation in Relation:
        color, dash = RELATION_STYLES[relation]
        first = True
        for weight in range(1, MAX_LINK_WEIGHT + 1):
            links = groups.get((relation, weight))
            if not links:
                continue
            xs, ys, marker_sizes, standoffs = [], [], [], []
            width = link_width(style, weight)
            arrow = max((7 + 3 * weight) * style.line_scale ** 0.5, 5 * width)
            for link in links:
                (x0, y0), (x1, y1) = xy[link.source], xy[link.target]
                points, _ = _edge_points(x0, y0, x1, y1, gaps)
                points = [(xmap(px), py) for px, py in points]
                paths.append((points, width))
                xs.extend(px for px, _ in points)
                ys.extend(py for _, py in points)
                # the arrowhead's tip touches the target's dot, whatever the weight
                marker_sizes.extend([0] * (len(points) - 1) + [arrow])
                standoffs.extend([0] * (len(points) - 1) + [sizes[link.target] / 2 + 1])
                xs.append(None)
                ys.append(None)
                marker_sizes.append(0)
                standoffs.append(0)
                if style.hover:
                    mx, my = points[len(points) // 2]
                    hover_x.append(mx)
                    hover_y.append(my)
                    hover_text.append(t("figure.link", lang, source=wrap_html(shorten(cards[link.source].text, 60)),
                                        relation=t(f"relation.{relation.value}", lang),
                                        target=wrap_html(shorten(cards[link.target].text, 60)),
                                        weight=t("figure.weight", lang, weight=link.weight)))
            traces.append(dict(
                type="scatter", x=xs, y=ys, mode="lines+markers", name=t(f"relation.{relation.value}", lang),
                legendgroup=f"relation-{relation.value}", showlegend=first, hoverinfo="skip",
                line=dict(color=color, dash=dash, width=width),
                marker=dict(symbol="arrow", angleref="previous", size=marker_sizes, standoff=standoffs, color=color,
                            opacity=1,  # plotly dims markers of varying sizes (bubbles) by default
                            line=dict(width=0)),
                opacity=style.line_opacity, connectgaps=False,
                meta={"relation": relation.value, "weight": weight},
            ))
            first = False
    if hover_x:
        traces.append(dict(type="scatter", x=hover_x, y=hover_y, mode="markers", showlegend=False, name="links",
                           marker=dict(size=10, color="rgba(0,0,0,0)"), hovertext=hover_text, hoverinfo="text"))

    placed = None
    headers = _headers(cards.values(), present, lang)
    xy = {cid: (xmap(x), y) for cid, (x, y) in xy.items()}
    if fit is not None:
        label_size = fit.size or style.font_size
        first = max((sizes[cid] / 2 for cid in cards if xy[cid][0] == 0), default=0.0)
        frame = frame_for(fit, style, span, tallest, 1, first)
        if fit.right:  # headers wrapped to their column's zone, which sets the top margin
            frame, head = _right_frame(fit, style, span, tallest, first, starts, headers, label_size)
        placed = place_map_labels(cards, xy, sizes, degree, frame, label_size, right=fit.right,
                                  numbers=fit.numbers,
                                  links=[([frame.px(x, y) for x, y in points], width) for points, width in paths])

    # Nodes: one trace per kind.
    for kind in KIND_ORDER:
        ids = [cid for cid in sorted(cards) if cards[cid].kind is kind]
        if not ids:
            continue
        column = present.index(COLUMNS[kind])
        position = ("middle left" if column == 0 and len(present) > 1
                    else "middle right" if column == len(present) - 1 else "top center")
        traces.append(dict(
            type="scatter", x=[xy[cid][0] for cid in ids], y=[xy[cid][1] for cid in ids],
            mode="markers+text" if placed is None else "markers", name=t(f"kind_plural.{kind.value}", lang),
            marker=dict(size=[sizes[cid] for cid in ids], color=KIND_COLORS[kind.value],
                        line=dict(color="#ffffff", width=1.5), opacity=0.95),
            text=[markup(shorten(cards[cid].text, label_chars)) if cid in labelled and placed is None else ""
                  for cid in ids],
            textposition=position,
            textfont=dict(size=style.font_size * (0.85 if len(cards) > style.label_limit else 1), color=INK),
            hovertext=[_hover(cards[cid], analysis, lang) for cid in ids],
            hoverinfo="text" if style.hover else "skip",
            customdata=ids,
            meta={"kind": kind.value},
        ))

    # Column headers.
    if placed is not None and fit.right:
        annotations = [dict(text="<br>".join(f"<b>{markup(line)}</b>" for line in lines), x=starts[i], y=1.0, xref="x",
                            yref="paper", xanchor="left", yanchor="bottom", xshift=-first, yshift=4,
                            align="left", showarrow=False, font=dict(size=label_size, color=MUTED))
                       for i, lines in enumerate(head)]
    else:
        annotations = [dict(text=f"<b>{text}</b>", x=i, y=1.0, xref="x", yref="paper", yanchor="bottom",
                            showarrow=False, font=dict(size=style.font_size + 2, color=MUTED))
                       for i, text in enumerate(headers)]
    layout.update(
        xaxis=dict(visible=False, range=frame.x_range if placed is not None else x_range(span),
                   fixedrange=mode != "interactive"),
        yaxis=dict(visible=False, range=y_range(tallest), fixedrange=mode != "interactive"),
        annotations=annotations,
        showlegend=True,
        dragmode="pan" if mode == "interactive" else False,
    )
    layout["margin"]["t"] = max(layout["margin"]["t"], 40 + style.font_size)
    if mode != "projector":
        layout["height"] = _plot_height(mode, xy)
    if placed is not None:
        layout["annotations"] = annotations + label_annotations(placed, label_size, INK, see_through=fit.right)
        named = sum(1 for p in placed.placed.values() if not p.numbered)
        layout.update(width=frame.width, height=frame.height, autosize=False,
                      margin=dict(l=frame.left, r=frame.right, t=frame.top, b=frame.bottom, autoexpand=False),
                      meta={"numbered": numbered(placed), "named": named, "cards": len(cards)})
        if fit.legend:
            layout["legend"] = dict(layout["legend"], y=0, yref="container", yanchor="bottom")
        else:
            layout["showlegend"] = False
    return go.Figure(data=traces, layout=layout)


