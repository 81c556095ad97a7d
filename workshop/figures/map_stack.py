"""The projector map's names, column by column, as a list: each name beside its dot, its first line
level with the dot, a visible gap between two names of a column.

A column's names are read top to bottom like the items of a list: where one name ends and the next
begins must show (a gap of ``NAME_GAP`` font sizes, never less), and the dot of each card sits level
with its name's first line (its centre within the middle of that line). When a column's height does not
hold every name on its most lines, the names give way, not the gaps: a name takes fewer lines, then is
shortened with « … » (the least voted and linked first, the most voted last), and only then does a card
stay unnamed (the projector's footer counts the cards named).

Each column is solved on its own (its names sit in its zone, up to the next column's dots): a search over
the texts each card may show (``map_labels.right_variants``), keeping for each height reached so far the
best choices (the fewest unnamed cards, then no link's middle under a name's letters, the fewest names cut,
the least voted cut, the fewest links under letters), then the names are moved back, bottom to top, as near
as they may be to centring their first line on their dot without putting their letters on more links.

Names are drawn without a background, a white halo about their letters (``labels.annotations``), so a link
is seen across a name's box and hidden only behind its letters: what a name keeps off the links is its
lines of text, not its box. A link leaving its card to the right starts under the first line of that
card's name (level with the dot); the name takes the height, within that line's level, where its lines
cover the least of the link (« Canicules… » a little higher, its link leaves between its first two lines).
"""

from __future__ import annotations

import bisect

from workshop.figures.labels import GAP, LINE, LINE_SPACING, PAD, Box, Placed, box_height, text_width
from workshop.figures.labels import Layout as LabelLayout

#: The gap kept between two names of a column, in font sizes (about 11 px at 720p, 24 px type).
NAME_GAP = 0.45
#: The dot's centre stays this far (in font sizes) inside its name's first line (1.2 sizes high).
LEVEL_MARGIN = 0.2


def name_gap(size: float) -> float:
    return NAME_GAP * size


def _top_range(cy: float, size: float) -> tuple[float, float]:
    """The box tops (px) that keep a dot at ``cy`` level with the first line, and the one centring it."""
    first = PAD  # the first line starts PAD below the box's top and is LINE sizes high
    return (cy - first - (LINE - LEVEL_MARGIN) * size, cy - first - LEVEL_MARGIN * size)


def _centred(cy: float, size: float) -> float:
    return cy - PAD - LINE * size / 2


def _next_top(low: float, bottom: float, gap: float) -> float:
    """A name's top: as high as its dot allows, a gap below the name above (whose bottom is ``bottom``)."""
    return max(low, bottom + gap)


def stack_names(points, frame, size: float, bounds: Box, on_links: list[Box], middles: list[Box]) -> LabelLayout:
    """Every column's names (``points`` most voted first, each with its texts to try in order)."""
    served = {p.key: n for n, p in enumerate(points)}
    gap = name_gap(size)
    layout = LabelLayout()
    for x in sorted({p.x for p in points}):
        column = sorted((p for p in points if p.x == x), key=lambda p: (-p.y, p.key))
        chosen = _solve(column, frame, size, bounds, gap, on_links, middles, served, len(points))
        for point, pick in zip(column, chosen):
            if pick is None:
                layout.unplaced.append(point.key)
                continue
            lines, box = pick
            cx, cy = frame.px(point.x, point.y)
            layout.placed[point.key] = Placed(point.key, lines, box, point.x, point.y, "left", "top",
                                              box.x0 - cx, cy - box.y0)
    layout.placed = {p.key: layout.placed[p.key] for p in points if p.key in layout.placed}  # most voted first
    return layout


#: The most partial solutions a column's search keeps (the best ones), so that a crowded map stays quick.
MAX_STATES = 40


def _solve(column, frame, size, bounds, gap, on_links, middles, served, total):
    """The texts and boxes of one column's names, top to bottom (None: unnamed)."""
    options = []
    left = min(frame.px(p.x, p.y)[0] + p.radius for p in column)
    right = max((frame.px(p.x, p.y)[0] + p.radius + 2 * GAP + 2 * PAD
                 + max((text_width(line, size) for lines in p.texts for line in lines), default=0.0)) for p in column)
    middles, on_links = ([b for b in boxes if b.x0 < right + GAP and left < b.x1 + GAP] for boxes in (middles, on_links))
    for point in column:
        cx, cy = frame.px(point.x, point.y)
        low, high = _top_range(cy, size)
        low = max(low, bounds.y0)
        x0 = cx + point.radius + GAP + 1
        mine = []
        for lines in point.texts:
            width = max(text_width(line, size) for line in lines) + 2 * PAD
            cut = lines[-1].endswith("…")
            scrap = cut and len(" ".join(lines).split()) < 3  # a first word alone: the last resort
            height = box_height(len(lines), size)
            # the links and their middles this name's box may meet (those across its x, near its dot)
            mids, near = [[b for b in boxes if b.x0 < x0 + width + GAP and x0 < b.x1 + GAP
                           and low < b.y1 + GAP and b.y0 < high + height + GAP] for boxes in (middles, on_links)]
            rects = _line_rects(x0, lines, size)
            on_mids, on_text = _text_hits(rects, mids), _text_hits(rects, near)
            mine.append((lines, width, height, cut, scrap, mids, near, on_mids, on_text,
                         _best_tops(low, high, on_mids, on_text)))
        options.append((point, cy, low, high, x0, mine))

    # states: (bottom of the last name, cost, picks); cost: unnamed, middles covered, first words alone,
    # cut, cut weight, links under the letters (a card is named even if its name must cover a link's
    # middle: a link leaves its card's dot under the name beside it, so with middles first every threat
    # with a link to the next column stayed a dot). Links are drawn over a name's box, under its letters
    # (``labels.annotations(see_through=True)``): what hides a link is the letters, not the box.
    states = [(bounds.y0 - gap, (0, 0, 0, 0, 0, 0), ())]
    for point, cy, low, high, x0, mine in options:
        weight = total - served[point.key]  # cutting a more voted name costs more
        grown = []
        for bottom, cost, picks in states:
            grown.append((bottom, (cost[0] + 1, *cost[1:]), picks + (None,)))
            for lines, width, height, cut, scrap, mids, near, on_mids, on_text, best in mine:
                start = _next_top(low, bottom, gap)
                tops = _tops(height, start, high, bounds, near, mids)
                least = _least_from(best, low, start)
                if least is not None and least + height <= bounds.y1 and least not in tops:
                    tops.append(least)
                for top in tops:
                    step = (0, on_mids(top), int(scrap), int(cut), weight if cut else 0, on_text(top))
                    grown.append((top + height, tuple(a + b for a, b in zip(cost, step)),
                                  picks + ((lines, Box(x0, top, x0 + width, top + height), on_mids, on_text),)))
        grown.sort(key=lambda s: (s[1], s[0]))
        states = []
        for state in grown:  # keep a state only if no better one ends higher
            if all(state[0] < kept[0] for kept in states):
                states.append(state)
                if len(states) >= MAX_STATES:
                    break
    picks = list(min(states, key=lambda s: (s[1], s[0]))[2])

    # back, bottom to top: each name as near as it may be to centring its first line on its dot
    below = bounds.y1 + gap
    for k in range(len(picks) - 1, -1, -1):
        if picks[k] is None:
            continue
        lines, box, on_mids, on_text = picks[k]
        point, cy, low, high, x0, _ = options[k]
        height = box.y1 - box.y0
        top = box.y0
        target = min(max(_centred(cy, size), low), high, below - gap - height, bounds.y1 - height)
        while top < target:
            moved = min(top + 1, target)
            if on_mids(moved) > on_mids(box.y0) or on_text(moved) > on_text(box.y0):
                break
            top = moved
        picks[k] = (lines, Box(box.x0, top, box.x1, top + height))
        below = top
    return [pick[:2] if pick else None for pick in picks]


class _Hits:
    """How many boxes a name meets, by its top (px): each box meets the names whose top is in one of its
    open intervals (counted with bisect: a crowded map has hundreds of boxes, and each name many tops)."""

    def __init__(self, intervals: list[tuple[float, float]]) -> None:
        self.lows = sorted(lo for lo, _ in intervals)
        self.highs = sorted(hi for _, hi in intervals)

    def __call__(self, top: float) -> int:
        return bisect.bisect_left(self.lows, top) - bisect.bisect_right(self.highs, top)


def _line_rects(x0: float, lines: tuple[str, ...], size: float) -> list[tuple[float, float, float, float]]:
    """Each line of a name's text (x0, x1, and y0, y1 from the box's top, px) with its halo: what hides
    a link drawn under it."""
    reach = size / 7  # the halo (``labels.halo``)
    return [(x0, x0 + 2 * PAD + text_width(line, size) + reach, PAD + i * LINE_SPACING * size - reach,
             PAD + (i * LINE_SPACING + LINE) * size + reach) for i, line in enumerate(lines)]


def _text_hits(rects, boxes: list[Box]) -> _Hits:
    """How many of ``boxes`` (a link's pieces) the letters of a name (``rects``, its lines) meet."""
    intervals: list[tuple[float, float]] = []
    x0 = min((r[0] for r in rects), default=0.0)
    shortest = min((r[1] for r in rects), default=0.0)
    top, bottom = rects[0][2], rects[-1][3]
    contiguous = all(r[3] >= s[2] for r, s in zip(rects, rects[1:]))
    for b in boxes:
        if b.x1 <= x0:
            continue
        if contiguous and b.x0 < shortest:  # across every line: one interval
            intervals.append((b.y0 - bottom, b.y1 - top))
            continue
        merged: list[tuple[float, float]] = []  # one interval per line it may meet, merged: a box counts once
        for lo, hi in sorted((b.y0 - y1, b.y1 - y0) for x0, x1, y0, y1 in rects if b.x0 < x1 and x0 < b.x1):
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        intervals.extend(merged)
    return _Hits(intervals)


def _best_tops(low: float, high: float, on_mids: _Hits, on_text: _Hits) -> list[float]:
    """For each whole px from ``low`` to ``high``, the top at or below it that keeps the name's box off
    the most links' middles, then its letters off the most links (the highest of equals)."""
    tops = [low + k for k in range(int(max(0.0, high - low)) + 1)]
    best: list[tuple[tuple[int, int], float]] = []
    for top in reversed(tops):
        key = (on_mids(top), on_text(top))
        best.append((key, top) if not best or key <= best[-1][0] else best[-1])
    return [top for _, top in reversed(best)]


def _least_from(best: list[float], low: float, start: float) -> float | None:
    """The top of ``best`` (``_best_tops``) for a name that may start no higher than ``start``."""
    k = max(0, int(-(-(start - low - 1e-9) // 1)))
    return best[k] if k < len(best) else None


def _first_free(top: float, height: float, high: float, boxes: list[Box]) -> float | None:
    """The highest top from ``top`` down to ``high`` where a name meets none of ``boxes``."""
    moved = True
    while moved and top <= high:
        moved = False
        for b in boxes:
            if b.y0 < top + height + GAP and top < b.y1 + GAP:
                top, moved = b.y1 + GAP, True
    return top if top <= high else None


def _tops(height: float, top: float, high: float, bounds: Box, near: list[Box], middles: list[Box]) -> list[float]:
    """A name's tops worth trying from ``top`` down to ``high``: the highest, the highest off the links'
    middles, the highest off the links (the lower a name, the less room below it)."""
    out: list[float] = []
    for keep_off in ([], middles, middles + near):
        y = _first_free(top, height, high, keep_off)
        if y is not None and y + height <= bounds.y1 and y not in out:
            out.append(y)
    return out
