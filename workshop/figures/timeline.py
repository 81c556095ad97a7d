"""Trajectories as a timeline: from today (left) to the horizon (right), one row per
trajectory, its dated steps as markers with their (shortened) titles; hover gives the full
title, the description and the resources and actions the step relies on."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import plotly.graph_objects as go

from workshop import clock
from workshop.analysis.snapshot import Snapshot
from workshop.figures.labels import fit_text, text_width
from workshop.figures.style import GRID, INK, KIND_COLORS, MUTED, base_layout, markup, mode_style, shorten, t, wrap_html
from workshop.i18n import list_separator

STEP_COLOR = KIND_COLORS["action_lead"]
GOAL_COLOR = KIND_COLORS["stake"]
#: Bold text is about this much wider than regular DejaVu Sans.
BOLD = 1.1
#: On the projector (px of the 1080p reference drawing): the height of one trajectory's row (a
#: step's title on two lines above or below its rail, the « Aujourd'hui » / « Horizon » labels
#: above the first), and of what is around the rows (margins, the years under them). The
#: drawing is as tall as its rows need, up to the room the page gives it.
PROJECTOR_ROW_H, PROJECTOR_FRAME_H = 230, 110
#: The y axis runs from Y_LOW to the rows' count plus Y_TOP (room below the first row's labels and
#: above the last's): a span of rows + Y_TOP - Y_LOW units.
Y_LOW, Y_TOP = -0.7, -0.1


def projector_timeline_height(rows: int, most: int) -> int:
    """The projector drawing's reference height for ``rows`` trajectories, at most ``most`` px
    (no trajectory: the whole room, for the centred « Aucune trajectoire » message)."""
    if rows <= 0:
        return most
    return min(most, PROJECTOR_FRAME_H + round((rows + Y_TOP - Y_LOW) * PROJECTOR_ROW_H))


def row_label(text: str, size: float, room: float | None, chars: int, *, before: float = 0.0) -> str:
    """A row's label cut at a word with « … »: to ``room`` px (less ``before`` px of text ahead of
    it on its line) when the drawing's width is known, else to ``chars`` characters."""
    if room is None:
        return shorten(text, chars)
    room -= before
    return fit_text(text, size, room) or shorten(text, max(4, int(room / (0.62 * size))))


def trajectories_timeline_figure(snapshot: Snapshot, *, mode: str = "projector", lang: str = "fr",
                                 today: date | None = None, title: str | None = None,
                                 label_room: float | None = None) -> go.Figure:
    """Rows in trajectory id order (first at the top); the step at the horizon year is drawn
    as a star (the vision reached). ``label_room``: the width (px) the rows' labels (title, then
    « Pour : » and the stake) may take; each is cut only if wider (by default, to a number of
    characters)."""
    style = mode_style(mode)
    start = (today or clock.now().date()).year
    trajectories = list(snapshot.trajectories)
    years = [s.year for tr in trajectories for s in tr.steps]
    horizon = snapshot.horizon_year or max(years, default=start + 10)
    first, last = min([start, *years]), max([horizon, *years])
    layout = base_layout(mode, title=title)
    fig = go.Figure()
    if not trajectories:
        layout["annotations"] = [dict(text=t("figure.no_trajectory", lang), x=0.5, y=0.5, xref="paper",
                                      yref="paper", showarrow=False, font=dict(color=MUTED))]
        layout["xaxis"] = layout["yaxis"] = dict(visible=False)
        fig.update_layout(**layout)
        return fig

    cards = snapshot.by_id
    rows = len(trajectories)
    row_y = {tr.id: rows - 1 - i for i, tr in enumerate(trajectories)}
    # The rails: today -> horizon for every trajectory.
    rail_x, rail_y = [], []
    for tr in trajectories:
        rail_x += [start, horizon, None]
        rail_y += [row_y[tr.id]] * 2 + [None]
    fig.add_trace(go.Scatter(x=rail_x, y=rail_y, mode="lines", line=dict(color=GRID, width=6 * style.line_scale),
                             hoverinfo="skip", showlegend=False, name="rails"))
    xs, ys, labels, hover, symbols, positions, colors = [], [], [], [], [], [], []
    for tr in trajectories:
        per_year: dict[int, int] = defaultdict(int)
        for i, step in enumerate(tr.steps):
            y = row_y[tr.id]
            nth = per_year[step.year]
            per_year[step.year] += 1
            xs.append(step.year + 0.25 * nth)
            ys.append(y)
            labels.append(markup(shorten(step.title, max(16, style.label_chars - 10))))
            positions.append("top center" if i % 2 == 0 else "bottom center")
            at_horizon = step.year >= horizon
            symbols.append("star" if at_horizon else "circle")
            colors.append(GOAL_COLOR if at_horizon else STEP_COLOR)
            lines = [f"<b>{step.year}</b> · {wrap_html(step.title)}"]
            if step.description:
                lines.append(wrap_html(step.description))
            names = [shorten(cards[c].text, 60) for c in step.card_ids if c in cards]
            if names:
                lines.append(t("figure.step_cards", lang, cards=wrap_html(list_separator(lang).join(names))))
            hover.append("<br>".join(lines))
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=labels, textposition=positions, name="steps", showlegend=False,
        marker=dict(size=style.node_min + 6, symbol=symbols, color=colors, line=dict(color="#ffffff", width=1.5)),
        textfont=dict(size=max(9, style.font_size - 2), color=INK), hovertext=hover,
        hoverinfo="text" if style.hover else "skip", cliponaxis=False,
    ))
    ticktext = []
    for tr in trajectories:
        target = cards.get(tr.target_id)
        size = style.font_size
        line = f"<b>{markup(row_label(tr.title, size * BOLD, label_room, style.label_chars + 14))}</b>"
        if target is not None:
            before = text_width(t("figure.target", lang, target=""), size)
            name = row_label(target.text, size, label_room, style.label_chars, before=before)
            line += f"<br>{t('figure.target', lang, target=markup(name))}"
        ticktext.append(line)
    marks = [dict(type="line", x0=start, x1=start, y0=-0.6, y1=rows - 0.4, line=dict(color=MUTED, dash="dot")),
             dict(type="line", x0=horizon, x1=horizon, y0=-0.6, y1=rows - 0.4, line=dict(color=GOAL_COLOR, dash="dot"))]
    annotations = [dict(x=start, y=rows - 0.4, text=t("figure.today", lang), showarrow=False, yanchor="bottom",
                        font=dict(color=MUTED)),
                   dict(x=horizon, y=rows - 0.4, text=t("figure.horizon", lang, year=horizon), showarrow=False,
                        yanchor="bottom", font=dict(color=GOAL_COLOR))]
    pad = max(1.0, (last - first) * 0.04)
    # The years speak for themselves on the projector: no « Année » under them. Elsewhere the
    # axis is named, in type no larger than its years.
    x_title = None if mode == "projector" else dict(text=t("figure.year", lang), font=dict(size=style.font_size))
    layout.update(
        xaxis=dict(range=[first - pad, last + pad], showgrid=True, gridcolor=GRID, zeroline=False,
                   tickformat="d", title=x_title, automargin=True, fixedrange=mode != "interactive"),
        yaxis=dict(tickvals=[row_y[tr.id] for tr in trajectories], ticktext=ticktext, range=[Y_LOW, rows + Y_TOP],
                   showgrid=False, zeroline=False, fixedrange=True, automargin=True),
        shapes=marks, annotations=annotations, showlegend=False,
    )
    if mode != "projector":
        layout["height"] = max(300, 110 * rows + 160)
    fig.update_layout(**layout)
    return fig
