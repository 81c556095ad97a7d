"""Participants' tablets and phones: join by code, then take part in the open activity.

Pages: ``/join/{code}`` (the QR code and the home page lead here) and
``/tablet/{seminar_id}`` (the device's identity lives in the browser's server-side storage).
"""

from __future__ import annotations

from nicegui import ui

from workshop.ui.access import device_token
from workshop.ui.common import page_setup, tr
from workshop.ui.tablet import join
from workshop.ui.tablet.style import tablet_setup
from workshop.ui.tablet.view import tablet_page


def register() -> None:
    join.register()

    # A room of tablets joining at once can keep the server busy for more than NiceGUI's default
    # 3 s; a tablet page that comes a little late beats an error page (bench/load_benchmark.py).
    @ui.page("/tablet/{seminar_id}", response_timeout=30)
    async def tablet(seminar_id: int) -> None:
        page_setup(tr("tablet.page_title"))
        tablet_setup()
        token = device_token(seminar_id)
        if not token or not await tablet_page(seminar_id, token):
            join.not_joined_page(seminar_id)
