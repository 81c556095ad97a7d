"""A line of units joined by « · » (the projector's « 3 défis × 3 actions · 3 paires évaluées sur 9 · 3 répondants »,
a tablet's « Bastien L. · acteur économique · Table Citadelle ») that wraps between two units only, each
unit whole (one longer than the line wraps within itself), and never leaves a « · » at the end of a line
or at the start of the next one.

Each unit after the first carries its separator at its start, in a box one em wide; the units sit in a
block pulled one em to the left of the line's box, which clips what passes its left edge. A unit that
starts a line therefore has its separator clipped, and a line never ends with one. The first unit
is pushed back by the same em. The text stays whole for screen readers and for tests: « A · B ».
"""

from __future__ import annotations

from html import escape

from nicegui import ui

SEPARATOR = " · "

UNITS_CSS = """
.units-line { overflow: hidden; }
.units-in { display: block; margin-left: -1em; }
.unit { display: inline-block; max-width: 100%; }
.unit:first-child { padding-left: 1em; }
.unit-sep { display: inline-block; width: 1em; white-space: pre; text-align: center; }
"""


def units_html(text: str) -> str:
    """``text``'s units (split at « · ») as the line's HTML, escaped."""
    units = text.split(SEPARATOR)
    parts = [f'<span class="unit">{escape(units[0])}</span>']
    parts += [f'<wbr><span class="unit"><span class="unit-sep">{SEPARATOR}</span>{escape(unit)}</span>'
              for unit in units[1:]]
    return f'<span class="units-in">{"".join(parts)}</span>'


class UnitsLine(ui.html):
    """A line of units (see the module's docstring), updated with ``set_text`` like a label."""

    def __init__(self, text: str = "") -> None:
        super().__init__("", sanitize=False)  # every unit is escaped (units_html)
        self.classes("units-line")
        self.text = None
        self.set_text(text)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            # the plain text goes to the browser too, as a label's does (bench/load's projector reads it there);
            # html.js has no slot, so only the units are drawn
            self._text = text
            self.set_content(units_html(text))

    def _displayed_contents(self, *, only_visible: bool) -> list:
        return [self.text]  # what the eye reads, « A · B », for ElementFilter and user.should_see
