"""Light elements for what a tablet repeats on every card row.

A dot-vote panel of ten cards used to take some 30 ms of the server's single event loop to
build with ``ui.row``/``ui.column``/``ui.button`` (each NiceGUI element inspects signatures and
parses prop strings); while 150 tablets join, those builds delay every projector update.
These build the same DOM (a Quasar ``q-btn``, a text ``div``) at about a third of the cost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui.element import Element
from nicegui.elements.mixins.disableable_element import DisableableElement
from nicegui.elements.mixins.text_element import TextElement


class TapButton(DisableableElement):
    """A round icon button (Quasar ``q-btn``) for touch: ``enable()``/``disable()`` like ``ui.button``,
    and a disabled one ignores clicks on the server too."""

    def __init__(self, icon: str, label: str, on_click: Callable[[], Any], *, color: str = "primary") -> None:
        super().__init__(tag="q-btn")
        self._props.update({"round": True, "unelevated": True, "color": color, "icon": icon, "aria-label": label})
        self._classes.append("tap-round")
        self.on("click", on_click, [])


def text(content: str, classes: str, tag: str = "div") -> Element:
    """Plain text in a ``div`` (or ``tag``): what ``ui.label`` renders, without its extra machinery."""
    element = TextElement(tag=tag, text=content)
    element._classes.extend(classes.split())  # noqa: SLF001 - before the first update, no need to notify
    return element
