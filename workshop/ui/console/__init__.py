"""The facilitator console (laptop): log in, create a seminar, run it live.

Pages: ``/console/new`` (create a seminar), ``/console/{id}/login`` and ``/logout``,
``/console/{id}`` (the console). One module per panel; ``state.Console`` ties them to the
live hub and redraws only the parts an event concerns.
"""

from __future__ import annotations

from nicegui import ui


def register() -> None:
    from workshop.ui.console.create import new_seminar_page
    from workshop.ui.console.login import login_page, logout_page
    from workshop.ui.console.page import console_page

    from workshop.ui.facilitator_area import creation_gate

    # /console/new first: it would otherwise be taken for a seminar id. Off the server's own
    # laptop, creating a seminar asks for the administration code first.
    ui.page("/console/new")(creation_gate(new_seminar_page))
    ui.page("/console/{seminar_id}/login")(login_page)
    ui.page("/console/{seminar_id}/logout")(logout_page)
    ui.page("/console/{seminar_id}")(console_page)
