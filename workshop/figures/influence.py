"""The influence/dependence plane of structural analysis (MICMAC).

x = dependence, y = influence (the usual MICMAC orientation), one point per linked card,
coloured by kind and sized by dots; dashed lines at the means cut the plane into the four
groups, labelled in the corners: driving cards top left (moteurs), relay top right
(relais), dependent bottom right (dépendants), autonomous bottom left (autonomes).
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from workshop.analysis.metrics import InfluenceGroup, SeminarAnalysis
from workshop.figures.graph import KIND_ORDER
from workshop.figures.style import GRID, INK, KIND_COLORS, MUTED, base_layout, mode_style, shorten, t, wrap_html


def _num(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}".replace(",", "\u202f")


#: Approximate plot area (px) per mode, to keep labels from overlapping.
PLOT_AREA = {"projector": (1600, 820), "interactive": (1000, 520), "print": (900, 460)}


def _pick_labels(scores, cards, xy, max_x: float, max_y: float, mode: str, style) -> tuple[dict[int, str], dict[int, str]]:
    """Label the cards farthest from the origin first, skipping any label that would overlap
    one already placed; labels go right of the point, or left in the right half."""
    width, height = PLOT_AREA[mode]
    limit = min(style.label_limit, 25 if mode == "projector" else 60)
    chars = style.label_chars - 6
    ranked = sorted(scores, key=lambda s: (-(xy(s)[0] / max_x + xy(s)[1] / max_y), s.card_id))
    boxes: list[tuple[float, float, float, float]] = []
    labels: dict[int, str] = {}
    sides: dict[int, str] = {}
    line = 1.3 * style.font_size / height
    for s in ranked:
        if len(labels) >= limit:
            break
        text = shorten(cards[s.card_id].text, chars)
        x, y = xy(s)[0] / max_x, xy(s)[1] / max_y
        w = (len(text) * 0.55 * (style.font_size - 2) + 12) / width
        right = x < 0.6
        x0, x1 = (x, x + w) if right else (x - w, x)
        box = (x0, x1, y - line / 2, y + line / 2)
        if any(not (box[1] < b[0] or box[0] > b[1] or box[3] < b[2] or box[2] > b[3]) for b in boxes):
            continue
        boxes.append(box)
        labels[s.card_id] = text
        sides[s.card_id] = "middle right" if right else "middle left"
    return labels, sides


def influence_dependence_figure(analysis: SeminarAnalysis, *, mode: str = "projector", lang: str = "fr",
                                basis: str = "total", title: str | None = None) -> go.Figure:
    """``basis="total"`` plots the direct + indirect scores (those of ``score.group``),
    ``basis="direct"`` the weighted degrees (those of ``score.direct_group``)."""
    if basis not in ("total", "direct"):
        raise ValueError("basis must be 'total' or 'direct'")
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

    def xy(score) -> tuple[float, float]:
        if direct:
            return score.direct_dependence, score.direct_influence
        return score.dependence, score.influence

    means = analysis.influence_means
    mean_x, mean_y = (means.direct_dependence, means.direct_influence) if direct else (means.dependence,
                                                                                       means.influence)
    max_x = max(max(xy(s)[0] for s in scores), mean_x, 1e-9) * 1.1
    max_y = max(max(xy(s)[1] for s in scores), mean_y, 1e-9) * 1.1
    cards = analysis.cards
    max_votes = max((cards[s.card_id].votes for s in scores), default=0)
    labelled, sides = _pick_labels(scores, cards, xy, max_x, max_y, mode, style)
    for kind in KIND_ORDER:
        group = [s for s in scores if cards[s.card_id].kind is kind]
        if not group:
            continue
        sizes = [style.node_min + (style.node_max - style.node_min) * 0.6
                 * (math.sqrt(cards[s.card_id].votes / max_votes) if max_votes else 0) for s in group]
        hover = []
        for s in group:
            g = s.direct_group if direct else s.group
            hover.append("<br>".join([
                f"<b>{wrap_html(cards[s.card_id].text)}</b>",
                t(f"kind.{kind.value}", lang).capitalize(),
                t("figure.influence_value", lang, value=_num(s.influence), direct=_num(s.direct_influence)),
                t("figure.dependence_value", lang, value=_num(s.dependence), direct=_num(s.direct_dependence)),
                t(f"figure.group.{g.value}", lang),
            ]))
        fig.add_trace(go.Scatter(
            x=[xy(s)[0] for s in group], y=[xy(s)[1] for s in group], mode="markers+text",
            name=t(f"kind_plural.{kind.value}", lang),
            marker=dict(size=sizes, color=KIND_COLORS[kind.value], line=dict(color="#ffffff", width=1), opacity=0.9),
            text=[labelled.get(s.card_id, "") for s in group],
            textposition=[sides.get(s.card_id, "middle right") for s in group], textfont=dict(size=max(9, style.font_size - 3), color=INK),
            hovertext=hover, hoverinfo="text" if style.hover else "skip",
            customdata=[s.card_id for s in group], meta={"kind": kind.value}, cliponaxis=False,
        ))

    corner = dict(xref="x", yref="y", showarrow=False, font=dict(size=style.font_size + 2, color=MUTED),
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
        dict(type="line", x0=mean_x, x1=mean_x, y0=0, y1=max_y, line=dict(color=MUTED, dash="dash", width=1.5)),
        dict(type="line", x0=0, x1=max_x, y0=mean_y, y1=mean_y, line=dict(color=MUTED, dash="dash", width=1.5)),
    ]
    suffix = "_direct" if direct else ""
    axis = dict(showgrid=True, gridcolor=GRID, zeroline=False, linecolor=MUTED, ticks="outside",
                fixedrange=mode != "interactive")
    layout.update(
        xaxis=dict(title=dict(text=t("figure.dependence_axis" + suffix, lang)), range=[-0.02 * max_x, max_x], **axis),
        yaxis=dict(title=dict(text=t("figure.influence_axis" + suffix, lang)), range=[-0.02 * max_y, max_y], **axis),
        annotations=annotations, shapes=shapes,
        legend=dict(layout["legend"], y=-0.16 if mode == "projector" else -0.2),
    )
    layout["margin"]["b"] = 40 + 5 * style.font_size
    if mode != "projector":
        layout["height"] = 640 if mode == "interactive" else 560
    fig.update_layout(**layout)
    return fig
