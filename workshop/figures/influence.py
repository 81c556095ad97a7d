"""The MICMAC plane: influence (y) against dependence (x), direct and indirect together.

Both axes are shares of the matrix total, in % (so the direct and the indirect values sit
on the same scale); dashed lines at the mean share (100 % / n) cut the plane into the four
groups, named in the corners: driving top left (moteurs), relay top right (relais),
dependent bottom right (dépendants), autonomous bottom left (autonomes).

``basis="indirect"`` (the default, the classic MICMAC displacement plane): each card at its
indirect position (coloured by kind, sized by dots), a small grey ring at its direct
position and an arrow from one to the other where the card moved. ``basis="direct"``: the
direct positions only. With ``width`` the figure has that fixed size and its labels are
placed without collision (``figures.labels``); cards the text names (``mentioned``) get a
label or a number first, the numbered ones listed by ``numbered_cards(figure)``.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from workshop.analysis.metrics import SeminarAnalysis
from workshop.analysis.micmac import InfluenceGroup
from workshop.figures.graph import KIND_ORDER, numbered_cards
from workshop.figures.labels import Box, Frame, fit_text, text_width, wrap_lines
from workshop.figures.labels import Point as LabelPoint
from workshop.figures.labels import annotations as label_annotations
from workshop.figures.labels import place as place_labels
from workshop.figures.style import GRID, INK, KIND_COLORS, MUTED, base_layout, markup, mode_style, shorten, t, wrap_html

__all__ = ["influence_dependence_figure", "numbered_cards"]

#: Approximate plot area (px) per mode, to keep labels apart when the size is not fixed.
PLOT_AREA = {"projector": (1600, 820), "interactive": (1000, 520), "print": (900, 460)}
#: A card "moved" (gets an arrow) when its position changes by more than this share (in %).
MOVE_THRESHOLD = 0.5
#: Placed labels: at most this wide (px) on one line, two lines of at most this wide.
LABEL_MAX = 230
PLANE_MARGINS = (62, 16, 24, 0)  # left, right, top, bottom (+ the legend room below)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}".rstrip("0").rstrip(".") + " %"


def _pick_labels(points, cards, max_x: float, max_y: float, mode: str, style) -> tuple[dict[int, str], dict[int, str]]:
    """Pages of unknown width: label the cards farthest from the origin first, skipping any
    label that would overlap one already placed (an estimate of the plot area per mode)."""
    width, height = PLOT_AREA[mode]
    limit = min(style.label_limit, 25 if mode == "projector" else 60)
    chars = style.label_chars - 6
    ranked = sorted(points, key=lambda p: (-(p[1] / max_x + p[2] / max_y), p[0]))
    boxes: list[tuple[float, float, float, float]] = []
    labels: dict[int, str] = {}
    sides: dict[int, str] = {}
    line = 1.3 * style.font_size / height
    for card_id, x, y in ranked:
        if len(labels) >= limit:
            break
        text = shorten(cards[card_id].text, chars)
        x, y = x / max_x, y / max_y
        w = (text_width(text, max(9, style.font_size - 3)) + 12) / width
        right = x < 0.6
        x0, x1 = (x, x + w) if right else (x - w, x)
        box = (x0, x1, y - line / 2, y + line / 2)
        if any(not (box[1] < b[0] or box[0] > b[1] or box[3] < b[2] or box[2] > b[3]) for b in boxes):
            continue
        boxes.append(box)
        labels[card_id] = markup(text)
        sides[card_id] = "middle right" if right else "middle left"
    return labels, sides


def influence_dependence_figure(analysis: SeminarAnalysis, *, mode: str = "projector", lang: str = "fr",
                                basis: str = "indirect", title: str | None = None, width: int | None = None,
                                height: int | None = None, mentioned: tuple[int, ...] = ()) -> go.Figure:
    if basis not in ("indirect", "direct"):
        raise ValueError("basis must be 'indirect' or 'direct'")
    style = mode_style(mode)
    direct = basis == "direct"
    layout = base_layout(mode, title=title)
    fig = go.Figure()
    scores = sorted(analysis.influence, key=lambda s: s.card_id)
    if not scores:
        layout["annotations"] = [dict(text=t("figure.empty_graph", lang), x=0.5, y=0.5, xref="paper",
                                      yref="paper", showarrow=False, font=dict(color=MUTED))]
        layout["xaxis"] = layout["yaxis"] = dict(visible=False)
        fig.update_layout(**layout)
        return fig

    def at(score, use_direct: bool) -> tuple[float, float]:
        if use_direct:
            return 100 * score.direct_dependence_share, 100 * score.direct_influence_share
        return 100 * score.dependence, 100 * score.influence

    mean = 100 * analysis.micmac.mean
    xs = [v for s in scores for v in (at(s, True)[0], at(s, direct)[0])]
    ys = [v for s in scores for v in (at(s, True)[1], at(s, direct)[1])]
    max_x = max(max(xs), mean, 1e-9) * 1.08
    max_y = max(max(ys), mean, 1e-9) * 1.08
    cards = analysis.cards
    max_votes = max((cards[s.card_id].votes for s in scores), default=0)

    def size_of(card_id: int) -> float:
        votes = cards[card_id].votes
        return style.node_min + (style.node_max - style.node_min) * 0.6 * (math.sqrt(votes / max_votes)
                                                                           if max_votes else 0)

    # Displacement: a grey ring at the direct position, an arrow to the indirect one.
    if not direct:
        moved = [s for s in scores if math.dist(at(s, True), at(s, False)) > MOVE_THRESHOLD]
        ax_, ay_, sizes_ = [], [], []
        for s in moved:
            (x0, y0), (x1, y1) = at(s, True), at(s, False)
            ax_ += [x0, x1, None]
            ay_ += [y0, y1, None]
            sizes_ += [0, 9 * style.line_scale ** 0.5, 0]
        if moved:
            fig.add_trace(go.Scatter(
                x=ax_, y=ay_, mode="lines+markers", name=t("micmac.displacement", lang), hoverinfo="skip",
                line=dict(color="#94a3b8", width=1.2), marker=dict(symbol="arrow", angleref="previous",
                                                                     size=sizes_, color="#94a3b8"),
                meta={"displacement": True}, cliponaxis=False))
        fig.add_trace(go.Scatter(
            x=[at(s, True)[0] for s in scores], y=[at(s, True)[1] for s in scores], mode="markers",
            name=t("micmac.direct_position", lang), hoverinfo="skip",
            marker=dict(size=max(6, style.node_min - 2), color="rgba(0,0,0,0)", line=dict(color="#94a3b8", width=1.2)),
            meta={"direct": True}, cliponaxis=False))

    placed_mode = width is not None
    labelled: dict[int, str] = {}
    sides: dict[int, str] = {}
    if not placed_mode:
        labelled, sides = _pick_labels([(s.card_id, *at(s, direct)) for s in scores], cards, max_x, max_y, mode,
                                       style)
    for kind in KIND_ORDER:
        group = [s for s in scores if cards[s.card_id].kind is kind]
        if not group:
            continue
        hover = []
        for s in group:
            g = s.direct_group if direct else s.group
            hover.append("<br>".join([
                f"<b>{wrap_html(cards[s.card_id].text)}</b>",
                t(f"kind.{kind.value}", lang).capitalize(),
                t("figure.influence_value", lang, value=_pct(s.influence), direct=_pct(s.direct_influence_share)),
                t("figure.dependence_value", lang, value=_pct(s.dependence), direct=_pct(s.direct_dependence_share)),
                t(f"figure.group.{g.value}", lang),
            ]))
        fig.add_trace(go.Scatter(
            x=[at(s, direct)[0] for s in group], y=[at(s, direct)[1] for s in group],
            mode="markers" if placed_mode else "markers+text", name=t(f"kind_plural.{kind.value}", lang),
            marker=dict(size=[size_of(s.card_id) for s in group], color=KIND_COLORS[kind.value],
                        line=dict(color="#ffffff", width=1), opacity=0.9),
            text=None if placed_mode else [labelled.get(s.card_id, "") for s in group],
            textposition=None if placed_mode else [sides.get(s.card_id, "middle right") for s in group],
            textfont=dict(size=max(9, style.font_size - 3), color=INK),
            hovertext=hover, hoverinfo="text" if style.hover else "skip",
            customdata=[s.card_id for s in group], meta={"kind": kind.value}, cliponaxis=False,
        ))

    corner = dict(xref="x", yref="y", showarrow=False, font=dict(size=style.font_size + 1, color=MUTED),
                  bgcolor="rgba(255,255,255,0.75)")
    annotations = [
        dict(text=f"<b>{t('figure.group.' + InfluenceGroup.DRIVING.value, lang)}</b>", x=0, y=max_y,
             xanchor="left", yanchor="top", **corner),
        dict(text=f"<b>{t('figure.group.' + InfluenceGroup.RELAY.value, lang)}</b>", x=max_x, y=max_y,
             xanchor="right", yanchor="top", **corner),
        dict(text=f"<b>{t('figure.group.' + InfluenceGroup.DEPENDENT.value, lang)}</b>", x=max_x, y=0,
             xanchor="right", yanchor="bottom", **corner),
        dict(text=f"<b>{t('figure.group.' + InfluenceGroup.AUTONOMOUS.value, lang)}</b>", x=0, y=0,
             xanchor="left", yanchor="bottom", **corner),
    ]
    shapes = [
        dict(type="line", x0=mean, x1=mean, y0=0, y1=max_y, line=dict(color=MUTED, dash="dash", width=1.5)),
        dict(type="line", x0=0, x1=max_x, y0=mean, y1=mean, line=dict(color=MUTED, dash="dash", width=1.5)),
    ]
    suffix = "_direct" if direct else ""
    axis = dict(showgrid=True, gridcolor=GRID, zeroline=False, linecolor=MUTED, ticks="outside", ticksuffix=" %",
                fixedrange=mode != "interactive")
    x_range, y_range = [-0.03 * max_x, max_x], [-0.03 * max_y, max_y]
    layout.update(
        xaxis=dict(title=dict(text=t("figure.dependence_axis" + suffix, lang)), range=x_range, **axis),
        yaxis=dict(title=dict(text=t("figure.influence_axis" + suffix, lang)), range=y_range, **axis),
        annotations=annotations, shapes=shapes,
        legend=dict(layout["legend"], y=-0.16 if mode == "projector" else -0.2),
    )
    layout["margin"]["b"] = 40 + 5 * style.font_size
    if mode != "projector":
        layout["height"] = 640 if mode == "interactive" else 560
    if placed_mode:
        height = height or layout.get("height") or 560
        left, right, top, bottom = PLANE_MARGINS
        bottom = 80 + 5 * style.font_size
        frame = Frame(width, height, left, right, top, bottom, tuple(x_range), tuple(y_range))
        corners = _corner_boxes(annotations, frame, style.font_size + 1)
        placed = _place_plane_labels(scores, at, direct, size_of, cards, frame, max(9, style.font_size - 1), mentioned,
                                     corners)
        layout["annotations"] = annotations + label_annotations(placed, max(9, style.font_size - 1), INK)
        layout.update(width=width, height=height, autosize=False,
                      margin=dict(l=left, r=right, t=top, b=bottom, autoexpand=False),
                      meta={"numbered": sorted(([int(p.lines[0]), p.key] for p in placed.numbered),
                                               key=lambda item: item[0])})
        layout["legend"] = dict(layout["legend"], y=0, yref="container", yanchor="bottom")
    fig.update_layout(**layout)
    return fig


def _corner_boxes(annotations: list[dict], frame: Frame, size: float) -> list[Box]:
    """Where the four group names sit (labels keep clear of them)."""
    boxes = []
    for a in annotations:
        text = a["text"].replace("<b>", "").replace("</b>", "")
        w, h = text_width(text, size) * 1.1 + 4, 1.25 * size + 4
        x, y = frame.px(a["x"], a["y"])
        x0 = x if a["xanchor"] == "left" else x - w
        y0 = y if a["yanchor"] == "top" else y - h
        boxes.append(Box(x0, y0, x0 + w, y0 + h))
    return boxes


def _place_plane_labels(scores, at, direct, size_of, cards, frame: Frame, size: float, mentioned, corners):
    """Cards the text names first (in its order), then the others farthest from the origin;
    a card the text names and whose text fits nowhere gets a number."""
    named = [cid for cid in dict.fromkeys(mentioned) if any(s.card_id == cid for s in scores)]
    by_id = {s.card_id: s for s in scores}
    rest = sorted((s.card_id for s in scores if s.card_id not in set(named)),
                  key=lambda cid: (-(at(by_id[cid], direct)[0] + at(by_id[cid], direct)[1]), cid))
    bounds = Box(frame.left, frame.top, frame.width - 2, frame.height - frame.bottom)
    points = []
    for cid in named + rest:
        x, y = at(by_id[cid], direct)
        text = " ".join(cards[cid].text.split())
        variants = []
        if text_width(text, size) + 4 <= LABEL_MAX:
            variants.append((text,))
        two = wrap_lines(text, size, LABEL_MAX * 0.8)
        if two and len(two) == 2:
            variants.append(two)
        short = fit_text(text, size, LABEL_MAX * 0.8)
        if short and (short,) not in variants:
            variants.append((short,))
        points.append(LabelPoint(cid, x, y, size_of(cid) / 2 + 1, tuple(variants)))
    placed = place_labels(points, frame, size, bounds=bounds, obstacles=corners)
    missing = [cid for cid in named if cid in placed.unplaced]
    if missing:
        numbered = [LabelPoint(cid, *at(by_id[cid], direct), size_of(cid) / 2 + 1, (), number=str(n), anywhere=True)
                    for n, cid in enumerate(missing, start=1)]
        extra = place_labels(numbered, frame, size, bounds=bounds,
                             obstacles=corners + [p.box for p in placed.placed.values()], markers_of=points)
        placed.placed.update(extra.placed)
        placed.unplaced = [cid for cid in placed.unplaced if cid not in extra.placed]
    return placed
