"""Card labels placed without collisions, for figures drawn at a known size (the report).

Plotly places a point's text beside it without looking at its neighbours: on a crowded map
labels cross each other and run off the paper. Here every label is a box measured in
pixels (the text's width from the DejaVu Sans metrics the figures are drawn with, its
height from the font size) and placed at the first of a few positions around its point
where it overlaps no label already placed, no other point's marker and stays inside the
drawing. A point whose text fits nowhere gets a number instead (placed the same way) and
goes to a numbered legend printed under the figure. Labels are drawn as annotations with a
white background, so links behind them do not cross their letters out; the projector's map draws
them without one, a white halo about the letters instead (``annotations(see_through=True)``), so
that a link under a name is seen but behind its letters.

``markup`` is the one escape for every text a figure shows: card texts are people's words,
never plotly markup (``<a href>``, ``<b>``, ``<br>`` stay inert text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from workshop.figures.style import markup

#: A label's box is the text plus this padding (px) on each side (plotly's ``borderpad``).
PAD = 1
#: Labels and markers keep at least this many pixels between them.
GAP = 1
#: Side (px) of the cells that index placed boxes (so a check looks at its neighbours only).
CELL = 48
#: Height of a label's first line, in font sizes (DejaVu Sans in Chromium: 12 px at 10 px) ...
LINE = 1.2
#: ... and of each further line (plotly's line spacing: a 3-line label at 34 px is 131 px high).
LINE_SPACING = 1.3
FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@cache
def font(size: int, file: str = FONT_FILE):
    """The TrueType font ``file`` at ``size`` px, to measure text with; None without Pillow or the
    font (DejaVu and Liberation come with the system deps): callers then estimate."""
    try:
        from PIL import ImageFont

        return ImageFont.truetype(file, size)
    except (ImportError, OSError):  # pragma: no cover
        return None


@cache
def text_width(text: str, size: float) -> float:
    """Width (px) of ``text`` in DejaVu Sans at ``size`` px."""
    measured = font(max(1, round(size * 4)))  # measured at 4x for sub-pixel precision
    if measured is None:  # pragma: no cover
        return 0.62 * size * len(text)
    return measured.getlength(text) / 4


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def hits(self, other: Box, gap: float = GAP) -> bool:
        return not (self.x1 + gap <= other.x0 or other.x1 + gap <= self.x0
                    or self.y1 + gap <= other.y0 or other.y1 + gap <= self.y0)

    def inside(self, other: Box) -> bool:
        return self.x0 >= other.x0 and self.x1 <= other.x1 and self.y0 >= other.y0 and self.y1 <= other.y1


@dataclass(frozen=True)
class Frame:
    """Data coordinates to pixels (y down) for a figure drawn ``width`` x ``height`` px."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def px(self, x: float, y: float) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        plot_w, plot_h = self.width - self.left - self.right, self.height - self.top - self.bottom
        return (self.left + (x - x0) / (x1 - x0) * plot_w, self.top + (y1 - y) / (y1 - y0) * plot_h)

    @property
    def plot(self) -> Box:
        return Box(self.left, self.top, self.width - self.right, self.height - self.bottom)


#: Positions tried around a point, in order: (dx sign, dy sign) of the label's anchor.
AROUND = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1))
ANCHORS = {1: "left", -1: "right", 0: "center"}
V_ANCHORS = {-1: "bottom", 1: "top", 0: "middle"}


@dataclass
class Point:
    """A point to label: data position, marker radius (px), the texts to try in order (each
    a tuple of lines), the sides allowed (default: all around), and its number (tried last,
    all around and farther out, for the numbered legend)."""

    key: int
    x: float
    y: float
    radius: float
    texts: tuple[tuple[str, ...], ...]
    sides: tuple[tuple[int, int], ...] = AROUND
    number: str | None = None          # tried last, all around, farther out if needed
    anywhere: bool = False             # ... and at the nearest free spot of the drawing


@dataclass
class Placed:
    key: int
    lines: tuple[str, ...]
    box: Box
    x: float
    y: float
    xanchor: str
    yanchor: str
    xshift: float
    yshift: float
    numbered: bool = False
    anchor_px: tuple[float, float] = (0.0, 0.0)   # the point's centre, in px


@dataclass
class Layout:
    placed: dict[int, Placed] = field(default_factory=dict)
    unplaced: list[int] = field(default_factory=list)

    @property
    def numbered(self) -> list[Placed]:
        return [p for p in self.placed.values() if p.numbered]


def _box(cx: float, cy: float, dx: int, dy: int, offset: float, w: float, h: float) -> tuple[Box, float, float]:
    """The label box for an anchor ``offset`` px from the point's centre in direction (dx, dy)."""
    diagonal = 0.72 if dx and dy else 1.0
    ax, ay = cx + dx * offset * diagonal, cy + dy * offset * diagonal
    x0 = ax if dx > 0 else ax - w if dx < 0 else ax - w / 2
    y0 = ay if dy > 0 else ay - h if dy < 0 else ay - h / 2
    return Box(x0, y0, x0 + w, y0 + h), ax - cx, ay - cy


def place(points: list[Point], frame: Frame, size: float, *, bounds: Box | None = None,
          obstacles: list[Box] | None = None, markers_of: list[Point] | None = None) -> Layout:
    """Place the labels of ``points`` in their order (most important first). Labels avoid
    each other, ``obstacles`` and the markers of ``markers_of`` (default: ``points``)."""
    bounds = bounds or Box(GAP, GAP, frame.width - GAP, frame.height - GAP)
    centres = {p.key: frame.px(p.x, p.y) for p in (markers_of or []) + points}
    markers = {p.key: Box(c[0] - p.radius, c[1] - p.radius, c[0] + p.radius, c[1] + p.radius)
               for p, c in ((p, centres[p.key]) for p in (markers_of or []) + points)}
    grid: dict[tuple[int, int], list[tuple[int | None, Box]]] = {}

    def cells(box: Box):
        for gx in range(int(box.x0 // CELL) - 1, int(box.x1 // CELL) + 2):
            for gy in range(int(box.y0 // CELL) - 1, int(box.y1 // CELL) + 2):
                yield gx, gy

    def add(box: Box, owner: int | None) -> None:
        for cell in set(cells(box)):
            grid.setdefault(cell, []).append((owner, box))

    for box in obstacles or []:
        add(box, None)
    for key, box in markers.items():
        add(box, key)
    taken: list[Box] = []
    layout = Layout()

    def free(box: Box, key: int) -> bool:
        if not box.inside(bounds):
            return False
        for cell in cells(box):
            for owner, other in grid.get(cell, ()):
                if owner is None:
                    if box.hits(other):
                        return False
                elif owner == -1:
                    if box.hits(other):
                        return False
                elif owner != key and not (box.x1 <= other.x0 or other.x1 <= box.x0 or box.y1 <= other.y0
                                           or other.y1 <= box.y0):
                    return False
        return True

    def take(box: Box) -> None:
        taken.append(box)
        add(box, -1)

    for point in points:
        cx, cy = centres[point.key]
        done = False
        for lines in point.texts:
            width = max(text_width(line, size) for line in lines) + 2 * PAD
            height = box_height(len(lines), size)
            candidates = []
            for dx, dy in point.sides:
                box, sx, sy = _box(cx, cy, dx, dy, point.radius + GAP + 1, width, height)
                candidates.append((box, dx, dy, sx, sy))
            for box, dx, dy, sx, sy in candidates:
                if free(box, point.key):
                    layout.placed[point.key] = Placed(point.key, lines, box, point.x, point.y, ANCHORS[dx],
                                                      V_ANCHORS[dy], sx, -sy)
                    take(box)
                    done = True
                    break
            if done:
                break
        if not done and point.number is not None:
            width, height = text_width(point.number, size) + 2 * PAD, box_height(1, size)
            for reach in (1.0, 1.8, 2.8, 4.0, 5.5):
                for dx, dy in AROUND:
                    box, sx, sy = _box(cx, cy, dx, dy, reach * (point.radius + GAP + 1), width, height)
                    if free(box, point.key):
                        layout.placed[point.key] = Placed(point.key, (point.number,), box, point.x, point.y,
                                                          ANCHORS[dx], V_ANCHORS[dy], sx, -sy, numbered=True,
                                                          anchor_px=(cx, cy))
                        take(box)
                        done = True
                        break
                if done:
                    break
            if not done and point.anywhere:  # farther still: the nearest free spot of the drawing, tied by its leader line
                for box in _spots(cx, cy, width, height, bounds):
                    if free(box, point.key):
                        sx, sy = box.x0 - cx, box.y0 - cy
                        layout.placed[point.key] = Placed(point.key, (point.number,), box, point.x, point.y, "left",
                                                          "top", sx, -sy, numbered=True, anchor_px=(cx, cy))
                        take(box)
                        done = True
                        break
        if not done:
            layout.unplaced.append(point.key)
    return layout


def _spots(cx: float, cy: float, width: float, height: float, bounds: Box, step: float = 12,
           reach: float = 320) -> list[Box]:
    """Boxes of a number's size around the point (up to ``reach`` px), nearest first."""
    spots = []
    y = max(bounds.y0, cy - reach)
    while y + height <= min(bounds.y1, cy + reach):
        x = max(bounds.x0, cx - reach)
        while x + width <= min(bounds.x1, cx + reach):
            spots.append(Box(x, y, x + width, y + height))
            x += step
        y += step
    spots.sort(key=lambda b: (b.x0 + width / 2 - cx) ** 2 + (b.y0 + height / 2 - cy) ** 2)
    return spots


def halo(font_size: float) -> str:
    """A CSS text-shadow drawing a white outline about a seventh of the font size wide."""
    reach = max(1, round(font_size / 7))
    steps = sorted({-reach, -max(1, reach - 1), 0, max(1, reach - 1), reach})
    return ", ".join(f"{x}px {y}px 1px #fff" for x in steps for y in steps if x or y)


def annotations(layout: Layout, size: float, color: str, *, xref: str = "x", yref: str = "y",
                see_through: bool = False) -> list[dict]:
    """The placed labels as plotly annotations (text escaped, white background).

    ``see_through`` (the projector's map): a label has no background, only a white halo about its
    letters, so that a link under it is seen everywhere but behind the letters themselves (plotly
    draws annotations above every trace)."""
    out = []
    for p in layout.placed.values():
        if p.numbered:  # a number may sit a little away: a thin leader line ties it to its point
            cx, cy = (p.box.x0 + p.box.x1) / 2, (p.box.y0 + p.box.y1) / 2
            px, py = p.anchor_px
            out.append(dict(
                x=p.x, y=p.y, xref=xref, yref=yref, text=markup(p.lines[0]), showarrow=True, arrowhead=0,
                arrowwidth=0.8, arrowcolor="#64748b", ax=cx - px, ay=cy - py, axref="pixel", ayref="pixel",
                standoff=0, borderpad=PAD, borderwidth=0, bgcolor="rgba(255,255,255,0.95)",
                font=dict(size=size, color=color), name=f"label-{p.key}"))
            continue
        out.append(dict(
            x=p.x, y=p.y, xref=xref, yref=yref, text="<br>".join(markup(line) for line in p.lines), showarrow=False,
            xanchor=p.xanchor, align=p.xanchor,
            yanchor=p.yanchor, xshift=p.xshift, yshift=p.yshift, borderpad=PAD, borderwidth=0,
            bgcolor=("rgba(255,255,255,0)" if see_through
                     else "rgba(255,255,255,0.88)" if not p.numbered else "rgba(255,255,255,0.95)"),
            font=dict(size=size, color=color, shadow=halo(size)) if see_through else dict(size=size, color=color),
            name=f"label-{p.key}",
        ))
    return out


def box_height(lines: int, size: float) -> float:
    """Height (px) of a label of ``lines`` lines, padding included (as Chromium draws it)."""
    return (LINE + LINE_SPACING * (max(lines, 1) - 1)) * size + 2 * PAD


def wrap_lines(text: str, size: float, max_width: float, max_lines: int = 2) -> tuple[str, ...] | None:
    """``text`` on at most ``max_lines`` lines of at most ``max_width`` px, whole (no cut), or None."""
    words = " ".join(str(text or "").split()).split(" ")
    lines: list[str] = []
    for word in words:
        if lines and text_width(lines[-1] + " " + word, size) + 2 * PAD <= max_width:
            lines[-1] += " " + word
        else:
            if text_width(word, size) + 2 * PAD > max_width:
                return None
            lines.append(word)
    return tuple(lines) if len(lines) <= max_lines else None


def fit_text(text: str, size: float, max_width: float) -> str | None:
    """``text`` cut at a word (with "…") to fit ``max_width`` px, or None if less than two
    words would fit."""
    words = " ".join(str(text or "").split()).split(" ")
    whole = " ".join(words)
    if text_width(whole, size) + 2 * PAD <= max_width:
        return whole
    low, high = 0, len(words) - 1  # the longest prefix of words that fits, with the ellipsis
    while low < high:
        mid = (low + high + 1) // 2
        candidate = " ".join(words[:mid]).rstrip(" ,;:.-–") + "…"
        if text_width(candidate, size) + 2 * PAD <= max_width:
            low = mid
        else:
            high = mid - 1
    return " ".join(words[:low]).rstrip(" ,;:.-–") + "…" if low >= 2 else None


# --- numbers fanned out around crowded points (the projector's rating chart, the report's threat matrix)


def label_offsets(points: list[tuple[float, float]], *, px_per_unit: tuple[float, float],
                  size: float) -> list[tuple[float, float]]:
    """Pixel offsets (dx, dy; dy downwards) of each point's label from the point itself.

    ``px_per_unit``: how many screen pixels one unit of x and of y takes; ``size``: a label's
    diameter in pixels. A point with no neighbour keeps its label on it (0, 0).
    """
    ux, uy = px_per_unit
    screen = [(x * ux, -y * uy) for x, y in points]
    parent = list(range(len(points)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(screen)):
        for j in range(i + 1, len(screen)):
            if math.dist(screen[i], screen[j]) < size:
                parent[root(i)] = root(j)
    while True:
        offsets = _fanned(screen, [root(i) for i in range(len(screen))], size)
        placed = [(x + dx, y + dy) for (x, y), (dx, dy) in zip(screen, offsets)]
        # a fanned label may land on a neighbour's label (threats 3 and 5 fanned apart, 5's label on
        # 6's): those two crowds are fanned as one, until no two labels touch
        touching = [(i, j) for i in range(len(placed)) for j in range(i + 1, len(placed))
                    if root(i) != root(j) and math.dist(placed[i], placed[j]) < size]
        if not touching:
            return offsets
        for i, j in touching:
            parent[root(i)] = root(j)


def _fanned(screen: list[tuple[float, float]], roots: list[int], size: float) -> list[tuple[float, float]]:
    """Each crowd's labels on a circle around the crowd's centre, from the top, clockwise."""
    groups: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        groups.setdefault(r, []).append(i)
    offsets = [(0.0, 0.0)] * len(screen)
    for members in groups.values():
        if len(members) == 1:
            continue
        cx = sum(screen[i][0] for i in members) / len(members)
        cy = sum(screen[i][1] for i in members) / len(members)
        n = len(members)
        # far enough out that neighbouring labels on the circle do not touch
        radius = max(size * 1.25, size * 1.15 * n / (2 * math.pi))
        members = sorted(members, key=lambda i: (math.atan2(screen[i][1] - cy, screen[i][0] - cx), i))
        for k, i in enumerate(members):
            angle = -math.pi / 2 + 2 * math.pi * k / n  # from the top, clockwise
            lx, ly = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            offsets[i] = (lx - screen[i][0], ly - screen[i][1])
    return offsets
