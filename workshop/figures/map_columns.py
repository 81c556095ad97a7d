"""How the projector's map shares its width among its columns and spaces each column's cards.

The width goes where it cuts the fewest names (then the fewest characters): each column's cost at
each room it could get (``column_plan``: names stacked in the column's height, a gap between two),
then the split of the width whose columns cut the fewest in all (``column_starts``). The cards of a
column are then spaced by the heights their names take (``stacked_heights``) rather than evenly.
Used by ``figures.graph`` for the projector's map (``right=True``); the labels themselves are
placed by ``map_labels.place_map_labels``.
"""

from __future__ import annotations

import math
from functools import lru_cache

from workshop.figures.labels import GAP, LINE, LINE_SPACING, PAD, Frame, box_height, text_width, wrap_lines
from workshop.figures.map_labels import BOLD, MAX_LINES, MIN_ZONE, right_variants
from workshop.figures.map_stack import name_gap


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


