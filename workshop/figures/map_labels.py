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
from functools import lru_cache

from workshop.figures.labels import GAP, LINE, LINE_SPACING, PAD, Box, Frame, box_height, fit_text, text_width, wrap_lines
from workshop.figures.labels import Layout as LabelLayout
from workshop.figures.labels import Point as LabelPoint
from workshop.figures.labels import place as place_labels
from workshop.figures.map_stack import name_gap, stack_names

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


#: Column zones are tried in steps of this many px of their names' room (the same rooms whatever the
#: drawing's size, so that a name's options at a room are measured once: ``name_options``).
ROOM_STEP = 12


@lru_cache(maxsize=50_000)
def name_options(text: str, size: float, room: float) -> tuple[int | None, tuple[tuple[int, int], ...]]:
    """What a name may take within ``room`` px: its fewest lines whole (None: not whole on up to MAX_LINES),
    and its shortened texts (``right_variants``) as (lines, characters left out), fewest lines first."""
    whole = " ".join(str(text or "").split())
    wrapped = wrap_lines(whole, size, room, MAX_LINES)
    lines = len(wrapped) if wrapped else None
    cut = {}
    for variant in right_variants(whole, size, room):
        if variant[-1].endswith("…") and " ".join(variant) != whole:
            shown = len(" ".join(variant).rstrip("…"))
            hidden = max(0, len(whole) - shown)
            cut[len(variant)] = min(cut.get(len(variant), hidden), hidden)
    return lines, tuple(sorted(cut.items()))


def column_plan(options, priority, size: float, height: float) -> tuple[tuple[int, int, int], list[tuple[int, bool] | None]]:
    """How a column's names fit ``height`` px stacked (a gap between two) cutting the fewest: each
    name's (lines, cut) or None (unnamed), and the cost (unnamed, cut, characters left out).

    ``options``: each name's ``name_options``; ``priority``: a sort key per name, the lowest cut
    first among names that save as many lines. The fewest names are cut by cutting those that save
    the most lines first; each cut name then takes back the most lines the height leaves it."""
    count = len(options)
    if not count:
        return (0, 0, 0), []
    gap = name_gap(size)
    per_name = box_height(1, size) - LINE_SPACING * size  # a name's height less LINE_SPACING px per line
    budget = math.floor((height - gap * (count - 1) - count * per_name) / (LINE_SPACING * size) + 1e-6)
    picks: list[tuple[int, bool] | None] = []
    unnamed = []
    for k, (whole, cut) in enumerate(options):
        if whole is not None:
            picks.append((whole, False))
        elif cut:
            picks.append((cut[-1][0], True))  # no whole text: its least cut one
        else:
            picks.append(None)
            unnamed.append(k)
    used = sum(p[0] if p else 1 for p in picks)
    if used > budget:
        # save lines: cut first the names whose shortest cut saves the most (the fewest names cut)
        def saving(k: int) -> int:
            return picks[k][0] - options[k][1][0][0] if picks[k] and options[k][1] else 0

        order = sorted((k for k in range(count) if saving(k) > 0 and not picks[k][1]),
                       key=lambda k: (-saving(k), priority[k]))
        chosen = []
        for k in order:
            if used <= budget:
                break
            used -= saving(k)
            picks[k] = (options[k][1][0][0], True)
            chosen.append(k)
        # names already cut (no whole text) may take their shortest too
        if used > budget:
            for k in sorted((k for k in range(count) if picks[k] and picks[k][1]), key=lambda k: priority[k]):
                if used <= budget:
                    break
                shortest = options[k][1][0][0]
                used -= picks[k][0] - shortest
                picks[k] = (shortest, True)
        # still too tall: the column's names cannot all be there (the least first go)
        for k in sorted(range(count), key=lambda k: priority[k]):
            if used <= budget:
                break
            if picks[k] is not None:
                used -= picks[k][0]
                picks[k] = None
                unnamed.append(k)
        # each cut name takes back the most lines left (the most voted first)
        for k in sorted(chosen, key=lambda k: priority[k], reverse=True):
            if picks[k] is None:
                continue
            for lines, _ in reversed(options[k][1]):
                if lines > picks[k][0] and used + lines - picks[k][0] <= budget:
                    used += lines - picks[k][0]
                    picks[k] = (lines, True)
                    break
    hidden = 0
    for k, pick in enumerate(picks):
        if pick and pick[1]:
            hidden += dict(options[k][1]).get(pick[0], 0)
    cut_count = sum(1 for p in picks if p and p[1])
    return (len(set(unnamed)), cut_count, hidden), picks


def header_zone(text: str, size: float, lines: int) -> float:
    """The narrowest zone (px) that holds a column header whole on ``lines`` lines (``header_lines``)."""
    one = text_width(text, size) * BOLD + 2 * PAD
    low = max(text_width(word, size * BOLD) for word in text.split()) + 2 * PAD
    if lines <= 1 or low >= one:
        return one
    if wrap_lines(text, size * BOLD, low, lines):
        return low
    high = one
    while high - low > 0.5:
        mid = (low + high) / 2
        low, high = (low, mid) if wrap_lines(text, size * BOLD, mid, lines) else (mid, high)
    return high


def column_starts(cards, xy, sizes, frames: dict[int, Frame], size: float, degree=None,
                  headers: list[str] | None = None, first: float = 0.0) -> list[float]:
    """Where each column starts (x, in column widths: 0 for the first, the zones filling as many
    widths as there are columns) when every column's labels go on its right (the projector).

    The width is shared so as to cut the fewest names (then the fewest characters): for each column,
    the least room that cuts its names no more than each number of names when they are stacked in
    the column's height, a gap between two (``column_plan``: a column of two cards may take more
    lines, so a narrower zone, than one of four); then the split of the width whose columns cut the
    fewest in all, each column at least MIN_ZONE wide and wide enough for its header, what is left
    shared evenly. ``frames``: the drawing when the headers take 1 line and 2 (``headers`` on one
    line leave the names more height, on two more width): the better of both. More width or more
    height never cuts more names. When not every card can be named at all (a crowded map), the
    columns stay evenly spaced.
    """
    columns = sorted({x for x, _ in xy.values()})
    count = len(columns)
    even = [float(i) for i in range(count)]
    if count < 2:
        return even
    degree = degree or {}
    best = None
    for lines, frame in sorted(frames.items()):
        found = _split(cards, xy, sizes, frame, size, degree, columns,
                       [header_zone(text, size, lines) + 2 * first for text in headers] if headers else [0.0] * count)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best[1] if best is not None and not best[0][0] else even  # some names cannot be there: even


def _split(cards, xy, sizes, frame: Frame, size: float, degree, columns, least: list[float]):
    """The fewest cut names (cost) and the columns' starts (``column_starts``) in ``frame``, each zone at least
    ``least`` px (its header); None if the names cannot all be there or the zones do not fit."""
    count = len(columns)
    plot = frame.plot
    unit = frame.px(1, 0)[0] - frame.px(0, 0)[0]
    height = plot.y1 - plot.y0
    radius = {x: max(sizes[cid] / 2 for cid, (cx, _) in xy.items() if cx == x) for x in columns}
    curves = []  # each column: (room, cost) where its cost falls, the least room first
    spare = count * unit
    gaps = []
    for i, x in enumerate(columns):
        column = sorted((cid for cid, (cx, _) in xy.items() if cx == x), key=lambda cid: (-xy[cid][1], cid))
        texts = [" ".join(str(cards[cid].text or "").split()) for cid in column]
        if len(texts) * (box_height(1, size) + name_gap(size)) > height:  # a crowded map: not every card can be named
            return None
        priority = [(cards[cid].votes, degree.get(cid, 0), -cid) for cid in column]
        # the zone holds the dot and the gaps about the names up to the next column's dot, or to the
        # drawing's edge (as ``stacked_heights`` and ``place_map_labels`` measure a name's room)
        gaps.append(radius[x] + 1 + 2 * GAP + (radius[columns[i + 1]] + 4 * GAP if i + 1 < count
                                                 else GAP - frame.right) + 0.01)
        spare -= gaps[-1]

        known: dict = {}  # the cost of the names' options (the same over most of the rooms tried)

        def plan(room: float) -> tuple[int, int, int]:
            options = tuple(name_options(text, size, room) for text in texts)
            if options not in known:
                known[options] = column_plan(options, priority, size, height)[0]
            return known[options]

        lowest = max(0, math.ceil((max(MIN_ZONE * unit, least[i]) - gaps[-1]) / ROOM_STEP))
        widest = max(text_width(text, size) for text in texts) + 2 * PAD
        curve, last = [], None
        for k in range(lowest, max(lowest, math.ceil(widest / ROOM_STEP)) + 1):
            cost = plan(k * ROOM_STEP)
            if last is None or cost < last:
                low, high = (k - 1) * ROOM_STEP, k * ROOM_STEP
                while curve and high - low > 1:  # the least room that cuts no more (to 1 px)
                    mid = (low + high) / 2
                    if plan(mid) <= cost:
                        high = mid
                    else:
                        low = mid
                curve.append((high, cost))
                last = cost
        curves.append(curve)
    # the split of the width: states (room used, cost, each column's room), keeping only those that no
    # other beats on both
    states = [(0.0, (0, 0, 0), ())]
    for curve in curves:
        grown = sorted(((used + room, tuple(a + b for a, b in zip(cost, more)), picks + (room,))
                        for used, cost, picks in states for room, more in curve if used + room <= spare),
                       key=lambda s: (s[1], s[0]))
        states = []
        for state in grown:  # the kept ones use less and less room
            if not states or state[0] < states[-1][0]:
                states.append(state)
    if not states:  # not even the narrowest zones fit
        return None
    _, cost, rooms = min(states, key=lambda s: (s[1], s[0]))
    zones = [(room + gap) / unit for room, gap in zip(rooms, gaps)]
    left = max(0.0, count - sum(zones))
    zones = [zone + left / count for zone in zones]
    starts = [0.0]
    for zone in zones[:-1]:
        starts.append(starts[-1] + zone)
    return cost, starts


def stacked_heights(cards, xy, sizes, degree, frame: Frame, size: float) -> dict[int, float]:
    """Each card's y (data units) when its column's names are stacked (the projector, ``right``): a
    card's dot level with the middle of its name's first line, each name on its fewest lines in its
    column's zone, as near as it may be to where the even spacing (``xy``) put it. When they do
    not all fit so, names take fewer lines (shortened): the fewest names, those that save the most
    lines, the least voted and linked first among equals (``column_plan``); a column that does not
    hold them even then keeps its cards evenly spaced (``xy``).

    Evenly spaced dots gave every name of a four-card column the same height, two lines, and cut
    « Plan de mobilité employeur » while « Contrat de rivière » left half its room empty."""
    column_x = sorted({frame.px(x, 0)[0] for x, _ in xy.values()})
    widest: dict[float, float] = {}
    for cid, (x, _) in xy.items():
        px = frame.px(x, 0)[0]
        widest[px] = max(widest.get(px, 0.0), sizes[cid] / 2)
    plot = frame.plot
    (y0, y1), gap = frame.y_range, name_gap(size)
    out = {cid: y for cid, (_, y) in xy.items()}
    for i, cx in enumerate(column_x):
        column = sorted((cid for cid, (x, _) in xy.items() if frame.px(x, 0)[0] == cx), key=lambda c: (-xy[c][1], c))
        # the zone of the column's names, as ``place_map_labels`` measures it
        end = column_x[i + 1] - widest[column_x[i + 1]] - 4 * GAP if i + 1 < len(column_x) else frame.width - GAP
        room = end - cx - (widest[cx] + 1) - 2 * GAP
        texts = [" ".join(str(cards[cid].text or "").split()) for cid in column]
        priority = [(cards[cid].votes, degree.get(cid, 0), -cid) for cid in column]
        cost, picks = column_plan([name_options(text, size, room) for text in texts], priority, size,
                                  plot.y1 - plot.y0)
        if cost[0]:  # not every name fits: the column keeps its cards evenly spaced
            continue
        heights = [box_height(lines, size) for lines, _ in picks]
        # each name as near as it may be to where the even spacing put it (its links drawn as they were
        # meant: a link leaving to the right stays near level), no name over the next nor out of the plot:
        # the tops less the heights above them, in order and within bounds, nearest to the wanted ones
        above = [sum(heights[:k]) + gap * k for k in range(len(column))]
        wanted = [frame.px(*xy[cid])[1] - PAD - LINE * size / 2 - above[k] for k, cid in enumerate(column)]
        low, high = plot.y0, plot.y1 - sum(heights) - gap * (len(column) - 1)
        for k, (cid, start) in enumerate(zip(column, _in_order(wanted))):
            cy = min(max(start, low), high) + above[k] + PAD + LINE * size / 2  # the middle of its first line
            out[cid] = y1 - (cy - plot.y0) / (plot.y1 - plot.y0) * (y1 - y0)
    return out


def _in_order(values: list[float]) -> list[float]:
    """The non-decreasing sequence nearest to ``values`` (least squares: pooled adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, count]
    for value in values:
        blocks.append([value, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m1, n1), (m2, n2) = blocks.pop(-2), blocks.pop()
            blocks.append([(m1 * n1 + m2 * n2) / (n1 + n2), n1 + n2])
    return [mean for mean, count in blocks for _ in range(int(count))]


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
