"""The projector's page count, for the console.

The projector's browser works out how many pages a large wall (plain or by theme) or the
synthesis takes (script.py's ``page`` and ``paged``) and shows the console's page modulo that
count. It sends the count (``emitEvent``) whenever it changes, ``null`` when no paged view is on
screen; this page keeps the last one and passes it on to the seminar's consoles through the bus
(``screen.report_pages``), and again when a console asks (it opened, in this process or
another), and says ``None`` when it closes for good.

What the browser sends is checked: only this page's socket reaches this handler (the socket
guard), it runs only while the browser is still the seminar's facilitator (``facilitator_guard``),
the seminar is the page's own, not the message's, and a value that is not an int from 1 to 99
is dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from nicegui import context, ui

from workshop.errors import Invalid
from workshop.events import Event
from workshop.services import screen
from workshop.ui.live import hub

EVENT = "v21_pages"  # what the page's script emits (script.py)

log = logging.getLogger(__name__)


class PageCount:
    def __init__(self, seminar_id: int) -> None:
        self.sid = seminar_id
        self.pages: int | None = None  # the last count reported (None: none measured)

    def start(self) -> None:
        """In the projector page: listen to its script, answer the consoles, say when it closes."""
        ui.on(EVENT, lambda e: self.measured(e.args))
        hub.watch(self.sid, (screen.ASK_PAGES,), self.asked)
        context.client.on_delete(self.closed)

    def measured(self, value: Any) -> None:
        try:
            pages = screen.page_count(value)
        except Invalid:
            log.debug("page count refused: %r", value)
            return
        if pages != self.pages:
            self.pages = pages
            screen.report_pages(self.sid, pages)

    def asked(self, _event: Event) -> None:
        if self.pages is not None:
            screen.report_pages(self.sid, self.pages)

    def closed(self) -> None:
        if self.pages is not None:
            self.pages = None
            screen.report_pages(self.sid, None)
