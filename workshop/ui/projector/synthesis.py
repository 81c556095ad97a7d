"""The projector's synthesis (view "synthesis"): « L'essentiel », the sentences the results page
and the report open with, or staff's rewritten text, in type a room reads.

Self-contained, like the wall by theme: the page builds it for the view "synthesis" and hands
it its live events (``on_event``). The sentences are read off the event loop through the
results page's own code (``ui.results.build_results_view``), first when the view is built,
then at most once a second after something they are written from changed (a vote, a rating,
a link, a trajectory, a card, staff's text).

The room reads the sentences, not where the report prints their figures: the chapter
references, given apart from the sentences, are left out, and so are those staff's text keeps
at the end of a paragraph (« (→ chapitre 3 …) », as the report page gave it to them). The
generated sentences on the seminar's own progress (« Rapport intermédiaire », « Et ensuite »)
are left to the results page and the report; staff's text is shown as written. The
page's script (script.py's ``paged``) sets the sentences as large as they fit (``data-fit-max``),
never below 24 px at 1280x720; when they do not all fit it shows them page by page, whole, at one
size on every page (``data-pages``), the page being the console's (``wall_page``, as for a wall,
``data-page``) and « Page 1 / 2 » beside the heading. Only a sentence too long for a page on its
own is left out, and the line under them says how many and where to read them (``data-left``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nicegui import run, ui
from nicegui.elements.mixins.text_element import TextElement

from workshop.events import Event
from workshop.i18n import translate
from workshop.ui.common import db
from workshop.ui.projector import panels
from workshop.ui.projector.assets import NAVY, READABLE

if TYPE_CHECKING:
    from workshop.ui.projector.page import ProjectorScreen

#: Sentence size, in % of the screen height: as large as fits from FIT_MAX down to FIT_MIN
#: (3.34: 24 px at 1280x720, and the same share of a 1080p screen).
FIT_MAX, FIT_MIN = "6", "3.34"
#: What the sentences are written from: one of these events and they are read again.
TOPICS = ("report.text_changed", "vote.changed", "rating.changed", "robustness.changed", "link.changed",
          "trajectory.changed", "card.", "activity.changed")
#: Sentences that say who came and what is left to play, not what the seminar found.
FRAMING = frozenset({"context", "interim", "next"})
#: Sentences on the seminar's own progress, left to the results page and the report: on the
#: projector, during the synthesis, « N activités jouées sur M » is stale and « Et ensuite : … à
#: commencer par » names the activity on screen (once the seminar is over, the closing view says
#: what comes next).
PROGRESS = frozenset({"interim", "next"})
#: A reference kept at the end of a paragraph of staff's text: « (→ chapitre 3 « … », tableau) ».
_ARROW = re.compile(r"\s*\(→[^()]*(?:\([^()]*\)[^()]*)*\)\s*$")

CSS = f"""
.v21p-synth {{ gap: 1.4vh; }}
.v21p-synth-head {{ flex: 0 0 auto; display: flex; justify-content: space-between; align-items: center; gap: 2vh; }}
/* as tall as its sentences, shrunk to the room left when they are too many (they are then shown page
   by page); the line saying how many are left out, if any, follows the last one shown */
/* 2 px at the bottom: the script's fit allows 1 px of rounding, a page holds the sentences whose
   boxes end within 1 px of the list's (paged): fitted, the last one must stay shown */
/* 2vh under the list (with the body's padding, about 33 px at 720p): the last line does not touch the
   screen's bottom edge, which a projector often crops or blurs */
.v21p-synth-list {{ flex: 0 1 auto; min-height: 0; overflow: hidden; margin: 0 0 2vh; padding: 0 0 2px; list-style: none;
  display: flex; flex-direction: column; gap: .55em; font-size: max(24px, 3.34vh); line-height: 1.24; }}
.v21p-synth-list > li {{ flex: none; border-left: .8vh solid {NAVY}; padding-left: .7em; overflow-wrap: anywhere; }}
.v21p-synth-left {{ flex: 0 0 auto; margin: 0; font-size: {READABLE}; font-weight: 700; font-style: italic;
  color: {NAVY}; }}
.v21p-synth-left[hidden] {{ display: none; }}
"""


@dataclass(frozen=True)
class Synthesis:
    sentences: list[str]
    found: bool          # something beyond who came and what is left to play
    results: str         # where the rest is read: "open", "later" or "" (the report only)


def without_reference(paragraph: str) -> str:
    """A paragraph of staff's text without the reference the report page left at its end."""
    return _ARROW.sub("", paragraph).strip()


def load_synthesis(seminar_id: int) -> Synthesis:
    """The sentences of « L'essentiel » as the results page shows them (staff's text when there
    is one, as written), without their references nor, when generated, those on the seminar's
    progress (PROGRESS); read now, not from the results page's minute of cache."""
    from workshop.services import publication
    from workshop.ui.results import build_results_view

    database = db()
    view, _graph = build_results_view(seminar_id)
    if view.essential_text:
        sentences = [without_reference(p) for p in view.essential_text.split("\n") if p.strip()]
        sentences = [s for s in sentences if s]
        found = bool(sentences)
    else:
        sentences = [text for (text, _ref), key in zip(view.essential, view.essential_keys, strict=True)
                     if key not in PROGRESS]
        found = any(key not in FRAMING for key in view.essential_keys)
    state = publication.results_state(database, seminar_id)
    if state == publication.RESULTS_NOT_YET:
        results = "later" if publication.identity(database, seminar_id).results_open else ""
    else:
        results = "open" if state == publication.RESULTS_OPEN else ""
    return Synthesis(sentences, found, results)


class SynthesisView:
    def __init__(self, page: ProjectorScreen) -> None:
        self.page = page
        self.dirty = True  # read at the timer's first tick, off the event loop
        self.busy = False
        self.shown: Synthesis | None = None
        self.number = page.state.wall_page  # the page wanted (the console's), shown modulo the pages there are
        self.items: ui.element | None = None
        t = page.t
        with ui.element("section").classes("v21p-view v21p-synth").mark("synthesis-view") as view:
            view.props["aria-label"] = t("projector.synthesis_label")
            with ui.element("div").classes("v21p-synth-head"):
                ui.label(translate("essential.title", page.lang)).classes("v21p-view-title").props(
                    'role="heading" aria-level="2"')
                # « Page 1 / 2 », written by the script when the sentences take several pages
                pager = ui.label().classes("v21p-pager").props('hidden aria-hidden="true"').mark("synthesis-pager")
                pager.props["data-label"] = t("projector.page")
            self.body = ui.element("div").classes("v21p-view")
            ui.timer(1.0, self.flush)

    def on_event(self, event: Event) -> None:
        if event.topic.startswith(TOPICS):
            self.dirty = True
        elif event.topic == "screen.changed":
            self.set_page(int(event.data.get("wall_page", 0) or 0))

    def set_page(self, number: int) -> None:
        """The facilitator turned the page (the console's page buttons, as for a wall)."""
        self.number = number
        if self.items is not None and self.items.props.get("data-page") != str(number):
            self.items.props["data-page"] = str(number)
            self.items.update()

    async def flush(self) -> None:
        if not self.dirty or self.busy:
            return
        self.busy, self.dirty = True, False
        try:
            loaded = await run.io_bound(load_synthesis, self.page.sid)
        finally:
            self.busy = False
        if loaded is not None and self.page.view is self:  # None: cancelled (page closed) or stopping
            self.render(loaded)

    def render(self, synthesis: Synthesis) -> None:
        if synthesis == self.shown:
            return
        self.shown = synthesis
        t = self.page.t
        self.body.clear()
        self.items = None
        with self.body:
            if not synthesis.found:
                panels.message(self.page, t("projector.synthesis_empty_title"),
                               small=t("projector.synthesis_empty"))["big"].mark("synthesis-empty")
                return
            self.items = items = ui.element("ol").classes("v21p-synth-list").props(
                f'data-fit-max="{FIT_MAX}" data-fit-min="{FIT_MIN}" data-pages').mark("synthesis-sentences")
            items.props["data-page"] = str(self.number)
            with items:
                for sentence in synthesis.sentences:
                    TextElement(tag="li", text=sentence)
            # the line for 1, 2, 3… sentences left out, each too long for a page on its own at the smallest
            # size; the script picks one and shows it
            key = {"open": "projector.synthesis_more_results", "later": "projector.synthesis_more_later"}.get(
                synthesis.results, "projector.synthesis_more")
            left = ui.element("p").classes("v21p-synth-left").props("hidden").mark("synthesis-left")
            left.props["data-left"] = json.dumps(
                [""] + [t(key, count=n) for n in range(1, len(synthesis.sentences) + 1)], ensure_ascii=False)
