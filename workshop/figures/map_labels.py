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

import math
from dataclasses import dataclass

from workshop.figures.labels import GAP, PAD, Box, Frame, box_height, fit_text, text_width, wrap_lines
from workshop.figures.labels import Layout as LabelLayout
from workshop.figures.labels import Point as LabelPoint
from workshop.figures.labels import place as place_labels
from workshop.figures.map_stack import stack_names

MAP_MARGIN = 10
#: Placed labels: px per card of the longest column (a one-line label and a gap between two cards).
PLACED_PX_PER_CARD = 17
#: Bold text is about this much wider than the regular text it is measured as.
BOLD = 1.1


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


#: The most lines a projector label may take, and the narrowest zone a column may get (in column widths).
MAX_LINES = 5
MIN_ZONE = 0.6


def right_variants(text: str, size: float, room: float, max_lines: int = MAX_LINES) -> list[tuple[str, ...]]:
    """The projector's label texts for a card, in order: whole on one line, then on up to
    ``max_lines`` lines, else cut at a word with "…" on three or two lines or one (at least three words)."""
    whole = " ".join(str(text or "").split())
    variants = [(whole,)] if text_width(whole, size) + 2 * PAD <= room else []
    for lines in (*(wrap_lines(text, size, room, n) for n in range(2, max_lines + 1)),
                  lines_cut(text, size, room, min(3, max_lines)), lines_cut(text, size, room, 2)):
        if lines and lines not in variants and len(lines) <= max_lines:
            variants.append(lines)
    short = fit_text(text, size, room)
    if short and len(short.split()) >= 3 and (short,) not in variants:
        variants.append((short,))
    return variants


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
        if not line:  # a word too long for a line of its own
            return _cut_before(lines, size, room, count) if lines else None
        lines.append(" ".join(line))
    if used >= len(words):
        return None
    last = fit_text(" ".join(words[used:]), size, room)
    if last is None:  # the longest run of whole words that fits with the ellipsis (fit_text wants two)
        last = words[used].rstrip(" ,;:.-–") + "…"
        if text_width(last, size) + 2 * PAD > room:
            return _cut_before(lines, size, room, count) if lines else None
    lines.append(last)
    if sum(len(line.split()) for line in lines) < 3:
        return None
    return tuple(lines)


def _cut_before(lines: list[str], size: float, room: float, count: int) -> tuple[str, ...] | None:
    """``lines`` ended with "…" when the next word is too long for a line of its own
    (« pluriprofessionnelle »): the last line's last word goes to a line of its own if there is
    one left (« Maison de » / « santé… »), else the last line is cut; at least three words."""
    *head, tail = lines
    words = tail.split(" ")
    moved = words[-1].rstrip(" ,;:.-–") + "…"
    if len(lines) < count and len(words) > 1 and text_width(moved, size) + 2 * PAD <= room:
        out = (*head, " ".join(words[:-1]), moved)
    else:
        while words and text_width(" ".join(words).rstrip(" ,;:.-–") + "…", size) + 2 * PAD > room:
            words.pop()
        if not words:
            return None
        out = (*head, " ".join(words).rstrip(" ,;:.-–") + "…")
    return out if sum(len(line.split()) for line in out) >= 3 else None


def link_boxes(path: list[tuple[float, float]], width: float, *, step: float = 6.0) -> list[Box]:
    """Small boxes along a drawn link (pixels), as thick as its stroke and a gap: what a label must
    not cover for the link to be seen."""
    reach = width / 2 + 2 * GAP
    out = []
    for (x0, y0), (x1, y1) in zip(path, path[1:]):
        n = max(1, int(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 // step))
        for k in range(n + 1):
            x, y = x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n
            out.append(Box(x - reach, y - reach, x + reach, y + reach))
    return out


def middle_boxes(path: list[tuple[float, float]], width: float, share: float = 0.2) -> list[Box]:
    """The boxes of a link's middle, the central ``share`` of its length (pixels): where the eye
    follows a link, never under a name."""
    lengths = [math.dist(a, b) for a, b in zip(path, path[1:])]
    start, end = sum(lengths) * (1 - share) / 2, sum(lengths) * (1 + share) / 2
    kept, run = [], 0.0
    for (a, b), length in zip(zip(path, path[1:]), lengths):
        if run <= end and run + length >= start and length:  # the part of this segment in the middle
            u0, u1 = max(0.0, (start - run) / length), min(1.0, (end - run) / length)
            kept.append(((a[0] + (b[0] - a[0]) * u0, a[1] + (b[1] - a[1]) * u0),
                         (a[0] + (b[0] - a[0]) * u1, a[1] + (b[1] - a[1]) * u1)))
        run += length
    return [box for p, q in kept for box in link_boxes([p, q], width, step=3.0)]


def place_map_labels(cards, xy, sizes, degree, frame: Frame, size: float, *, right: bool = False,
                     numbers: bool = True, links: list[tuple[list[tuple[float, float]], float]] = ()) -> LabelLayout:
    """Each card's label beside it, as wide as the gap to the next column allows; one line, two
    lines, shortened, or (``numbers``) a number. Cards are served by dots received, then links.

    ``links``: the drawn links (a path in pixels, the stroke's width). Labels keep off them where
    they can; a label that cannot still keeps off their middle (where the eye follows a link);
    only then may it cover a link, as on a crowded map. ``right`` (the projector): each column's
    names as a list, a gap between two, each dot level with its name's first line, drawn without a
    background: their letters, not their boxes, keep off the links (``map_stack``)."""
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
        # on the projector every name of a column starts at one x, past its biggest dot
        radius = (widest[cx] if right else sizes[cid] / 2) + 1
        column = column_x.index(cx)
        if column == 0 and len(column_x) > 1 and not right:
            side, room = ((-1, 0),), cx - radius - 2 * GAP - bounds.x0
        else:
            side = ((1, 0),)
            end = column_x[column + 1] - widest[column_x[column + 1]] - 4 * GAP if column + 1 < len(column_x) \
                else bounds.x1
            room = end - cx - radius - 2 * GAP
        text = cards[cid].text
        variants = []
        if text_width(" ".join(text.split()), size) + 2 * PAD <= room:
            variants.append((" ".join(text.split()),))
        if right:
            variants = right_variants(text, size, room)
            word = " ".join(text.split()).split(" ")[0].rstrip(" ,;:.-–") + "…"
            if len(text.split()) > 1 and text_width(word, size) + 2 * PAD <= room:
                variants.append((word,))  # the last resort, to keep a name off a link's middle (``map_stack``)
        else:
            two = wrap_lines(text, size, room) if spacing[cx] >= box_height(2, size) + GAP else None
            if two:
                variants.append(two)
            short = fit_text(text, size, room)
            if short and (short,) not in variants:
                variants.append((short,))
        points.append(LabelPoint(cid, x, y, radius, tuple(variants), side, number=None))
    on_links = [box for path, width in links for box in link_boxes(path, width)]
    middles = [box for path, width in links for box in middle_boxes(path, width)]
    if right:  # the projector: each column's names as a list, a gap between two (``map_stack``)
        layout = stack_names(points, frame, size, bounds, on_links, middles)
    else:
        layout = _fill(place_labels(points, frame, size, bounds=bounds, obstacles=on_links), points, frame, size,
                       bounds, middles if links else None)
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


def _fill(layout: LabelLayout, points, frame, size, bounds, middles) -> LabelLayout:
    """The labels ``layout`` left out (it kept off the links), placed again by the points' order:
    off the links' middles, then (``middles`` None: at once) anywhere free."""
    for keep_off in ([middles, []] if middles is not None else []):
        if not layout.unplaced:
            break
        rest = [p for p in points if p.key in set(layout.unplaced)]
        more = place_labels(rest, frame, size, bounds=bounds, markers_of=points,
                            obstacles=[p.box for p in layout.placed.values()] + keep_off)
        layout.placed.update(more.placed)
        layout.unplaced = more.unplaced
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
