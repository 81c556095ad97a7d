"""Card labels of the layered map drawn at a known size (the report's map, the projector's).

A map drawn at a known size places every label itself (``figures.labels``): a box measured
in pixels beside its card, as wide as the gap to the next column allows, on one line, two
lines, or shortened with "…"; never over another label or another card. What finds no room
gets a number listed under the figure (the report) or stays an unnamed dot (the projector,
which says how many cards it names: ``named_count(figure)``).

Two arrangements of the columns:

- ``right=False`` (the report): the first column's labels on its left, the others' on their
  right, column headers centred;
- ``right=True`` (the projector): every column's labels on its right, so that every gap
  between two columns holds labels (four label zones for four columns instead of four out of
  five), column headers starting at their column and wrapped to its zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.figures.labels import GAP, PAD, Box, Frame, box_height, fit_text, text_width, wrap_lines
from workshop.figures.labels import Layout as LabelLayout
from workshop.figures.labels import Point as LabelPoint
from workshop.figures.labels import place as place_labels

MAP_MARGIN = 10
#: Placed labels: px per card of the longest column (a one-line label and a gap between two cards).
PLACED_PX_PER_CARD = 17
#: Bold text is about this much wider than the regular text it is measured as.
BOLD = 1.1
#: Sides tried around a card when every label goes right: beside it, then just above, just below.
RIGHT_SIDES = ((1, 0), (1, -1), (1, 1))


@dataclass(frozen=True)
class MapFit:
    """A map drawn ``width`` x ``height`` px (``height`` None: grows with the longest column, at
    most ``max_height``) with labels of ``size`` px placed without collision."""

    width: int
    height: int | None = None
    max_height: int | None = None
    size: float | None = None          # label size (px); default: the mode's font size
    right: bool = False                # every column's labels on its right (see the module docstring)
    numbers: bool = True               # cards without a label get a number (else they stay unnamed dots)
    legend: bool = True                # room at the bottom for plotly's legend of kinds and relations ...
    legend_rows: int = 2               # ... on this many rows


def x_range(span: int, *, right: bool = False, lead: float = 0.0) -> list[float]:
    if right:
        return [-lead, span + 1.0]
    return [-0.95 if span else -1.2, span + 0.95 if span else 1.2]


def y_range(tallest: int) -> list[float]:
    return [-0.5 / tallest - 0.02, 1 + 0.5 / tallest]


def legend_room(style, rows: int = 2) -> int:
    """Bottom margin (px) kept for plotly's legend of kinds and relations (``rows`` rows)."""
    return int(rows * 1.9 * max(9, style.font_size - 2) + 16)


def header_lines(texts: list[str], size: float, zone: float) -> list[tuple[str, ...]]:
    """Each column header on one line, or two, within ``zone`` px (bold), else shortened."""
    out = []
    for text in texts:
        if text_width(text, size) * BOLD + 2 * PAD <= zone:
            out.append((text,))
        else:
            out.append(wrap_lines(text, size * BOLD, zone) or (fit_text(text, size * BOLD, zone) or text,))
    return out


def frame_for(fit: MapFit, style, span: int, tallest: int, head_lines: int, first_radius: float) -> Frame:
    """The drawing's frame: size, margins (the column headers on top, plotly's legend below) and ranges."""
    size = fit.size or style.font_size
    if fit.height is not None:
        height = fit.height
    else:
        height = min(max(480, tallest * PLACED_PX_PER_CARD + 160), fit.max_height or 10 ** 6)
    top = 40 + size if not fit.right else round(box_height(head_lines, size) + 12)
    bottom = legend_room(style, fit.legend_rows) if fit.legend else MAP_MARGIN
    lead = 0.0
    if fit.right:  # the first column's markers just inside the left edge
        plot_w = fit.width - 2 * MAP_MARGIN
        lead = (first_radius + 2 * GAP) * (span + 1) / max(1.0, plot_w - first_radius - 2 * GAP)
    return Frame(fit.width, height, MAP_MARGIN, MAP_MARGIN, top, bottom, x_range(span, right=fit.right, lead=lead),
                 y_range(tallest))


def lines_cut(text: str, size: float, room: float, count: int) -> tuple[str, ...] | None:
    """``text`` on ``count`` lines of at most ``room`` px, the last one shortened with "…"
    (None if it fits whole, if a word is wider than ``room`` or if fewer than three words show)."""
    words = " ".join(str(text or "").split()).split(" ")
    lines: list[str] = []
    used = 0
    for _ in range(count - 1):
        line: list[str] = []
        while used < len(words) and text_width(" ".join(line + [words[used]]), size) + 2 * PAD <= room:
            line.append(words[used])
            used += 1
        if not line:
            return None
        lines.append(" ".join(line))
    if used >= len(words):
        return None
    last = fit_text(" ".join(words[used:]), size, room)
    if last is None:  # the longest run of whole words that fits with the ellipsis (fit_text wants two)
        last = words[used].rstrip(" ,;:.-–") + "…"
        if text_width(last, size) + 2 * PAD > room:
            return None
    lines.append(last)
    if sum(len(line.split()) for line in lines) < 3:
        return None
    return tuple(lines)


def place_map_labels(cards, xy, sizes, degree, frame: Frame, size: float, *, right: bool = False,
                     numbers: bool = True) -> LabelLayout:
    """Each card's label beside it, as wide as the gap to the next column allows; one line, two
    lines, shortened, or (``numbers``) a number. Cards are served by dots received, then links."""
    column_x = sorted({frame.px(x, 0)[0] for x, _ in xy.values()})
    widest = {}
    for cid, (x, _) in xy.items():
        px = frame.px(x, 0)[0]
        widest[px] = max(widest.get(px, 0.0), sizes[cid] / 2)
    bounds = Box(GAP, frame.top, frame.width - GAP, frame.height - frame.bottom)
    spacing: dict[float, float] = {}
    for column in column_x:
        ys = sorted(frame.px(x, y)[1] for x, y in xy.values() if frame.px(x, 0)[0] == column)
        spacing[column] = min((b - a for a, b in zip(ys, ys[1:])), default=frame.height)
    points = []
    for cid in sorted(cards, key=lambda cid: (-cards[cid].votes, -degree[cid], cid)):
        x, y = xy[cid]
        cx, _ = frame.px(x, y)
        radius = sizes[cid] / 2 + 1
        column = column_x.index(cx)
        if column == 0 and len(column_x) > 1 and not right:
            side, room = ((-1, 0),), cx - radius - 2 * GAP - bounds.x0
        else:
            side = RIGHT_SIDES if right else ((1, 0),)
            end = column_x[column + 1] - widest[column_x[column + 1]] - 4 * GAP if column + 1 < len(column_x) \
                else bounds.x1
            room = end - cx - radius - 2 * GAP
        text = cards[cid].text
        variants = []
        if text_width(" ".join(text.split()), size) + 2 * PAD <= room:
            variants.append((" ".join(text.split()),))
        if right:  # the projector: whole on up to three lines, else cut on three or two (at least three words)
            for lines in (wrap_lines(text, size, room, 2), wrap_lines(text, size, room, 3),
                          lines_cut(text, size, room, 3), lines_cut(text, size, room, 2)):
                if lines and lines not in variants:
                    variants.append(lines)
            short = fit_text(text, size, room)
            if short and len(short.split()) >= 3 and (short,) not in variants:
                variants.append((short,))
        else:
            two = wrap_lines(text, size, room) if spacing[cx] >= box_height(2, size) + GAP else None
            if two:
                variants.append(two)
            short = fit_text(text, size, room)
            if short and (short,) not in variants:
                variants.append((short,))
        points.append(LabelPoint(cid, x, y, radius, tuple(variants), side, number=None))
    layout = place_labels(points, frame, size, bounds=bounds)
    if not numbers:
        return layout
    # Cards left without a label get a number, in reading order (top to bottom, left to right).
    missing = sorted(layout.unplaced, key=lambda cid: (xy[cid][0], -xy[cid][1]))
    if missing:
        numbered = [LabelPoint(cid, xy[cid][0], xy[cid][1], sizes[cid] / 2 + 1, (), number=str(n))
                    for n, cid in enumerate(missing, start=1)]
        extra = place_labels(numbered, frame, size, bounds=bounds, obstacles=[p.box for p in layout.placed.values()],
                             markers_of=points)
        layout.placed.update(extra.placed)
        layout.unplaced = extra.unplaced
    return layout


def numbered(layout: LabelLayout) -> list[list]:
    return sorted(([int(p.lines[0]), p.key] for p in layout.numbered), key=lambda item: item[0])


def numbered_cards(figure) -> list[tuple[int, int]]:
    """``(number, card id)`` of the cards a placed figure shows by a number (its legend)."""
    meta = figure.layout.meta or {}
    return [(int(n), int(cid)) for n, cid in (meta.get("numbered") or [])]


def named_count(figure) -> tuple[int, int] | None:
    """(cards named by their text, cards drawn) of a placed map, or None if it places no labels."""
    meta = (figure.layout.meta if hasattr(figure, "layout") else (figure.get("layout") or {}).get("meta")) or {}
    if "named" not in meta:
        return None
    return int(meta["named"]), int(meta["cards"])
