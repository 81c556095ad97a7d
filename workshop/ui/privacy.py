"""What the app keeps about participants (RGPD): ``/donnees-personnelles[/{seminar_id}]``.

Opened from the join screen. Plain words, French first; the retention period shown is
the seminar's own setting. The organising body can be named with ``WORKSHOP_DATA_CONTROLLER``
and a contact given with ``WORKSHOP_DATA_CONTACT`` (an address, an email); without them the
page says the controller is the body organising the seminar.
"""

from __future__ import annotations

import os

from nicegui import run, ui

from workshop.errors import WorkshopError
from workshop.reports.document import long_date
from workshop.services import personal_data
from workshop.ui.common import db, lang, language_switch, page_setup, tr

CONTROLLER_ENV = "WORKSHOP_DATA_CONTROLLER"
CONTACT_ENV = "WORKSHOP_DATA_CONTACT"
PATH = "/donnees-personnelles"


def privacy_path(seminar_id: int | None = None) -> str:
    return PATH if seminar_id is None else f"{PATH}/{int(seminar_id)}"


def _retention(seminar_id: int | None):
    if seminar_id is None:
        return None
    try:
        return personal_data.retention_of(db(), seminar_id)
    except WorkshopError:
        return None


def _section(title: str, *paragraphs: str, bullets: bool = False) -> None:
    with ui.column().classes("w-full gap-2"):
        ui.label(title).classes("t-h2").props('role="heading" aria-level="2"')
        if bullets:
            with ui.element("ul").classes("privacy-list"):
                for text in paragraphs:
                    with ui.element("li"):
                        ui.label(text)
        else:
            for text in paragraphs:
                ui.label(text).classes("text-lg")


async def privacy_page(seminar_id: int | None = None) -> None:
    from workshop.ui.tablet.style import tablet_setup  # the tablet package imports this module

    page_setup(tr("privacy.page_title"))
    tablet_setup()
    ui.add_css(".privacy-list{list-style:disc;padding-left:1.4rem;font-size:1.125rem;line-height:1.5}"
               ".privacy-list li{margin:.35rem 0}")
    retention = await run.io_bound(_retention, seminar_id)
    controller = os.environ.get(CONTROLLER_ENV, "").strip()
    contact = os.environ.get(CONTACT_ENV, "").strip()
    with ui.column().classes("tablet-root gap-5").mark("privacy"):
        with ui.row().classes("w-full items-center justify-between no-wrap"):
            ui.button(tr("privacy.back"), icon="arrow_back", on_click=lambda: ui.run_javascript("history.back()")) \
                .props("flat no-caps color=primary").mark("privacy-back")
            language_switch()
        ui.label(tr("privacy.heading")).classes("t-h1").props('role="heading" aria-level="1"')
        ui.label(tr("privacy.intro")).classes("text-lg")
        who = tr("privacy.controller_named", name=controller) if controller else tr("privacy.controller_generic")
        _section(tr("privacy.controller_title"), who, *([tr("privacy.contact", contact=contact)] if contact else []))
        _section(tr("privacy.kept_title"), tr("privacy.kept_name"), tr("privacy.kept_college"),
                 tr("privacy.kept_work"), tr("privacy.kept_times"), tr("privacy.kept_device"),
                 tr("privacy.kept_not"), bullets=True)
        _section(tr("privacy.why_title"), tr("privacy.why_text"))
        _section(tr("privacy.who_title"), tr("privacy.who_text"))
        if retention is not None:
            how_long = [tr("privacy.how_long_months", count=retention.months),
                        tr("privacy.how_long_until", date=long_date(retention.names_until, lang()))]
        else:
            how_long = [tr("privacy.how_long_generic")]
        _section(tr("privacy.how_long_title"), *how_long, tr("privacy.how_long_copies"))
        _section(tr("privacy.rights_title"), tr("privacy.rights_access"), tr("privacy.rights_erase"),
                 tr("privacy.rights_ask"), tr("privacy.rights_cnil"))
        _section(tr("privacy.device_title"), tr("privacy.device_text"))


def register() -> None:
    @ui.page(PATH)
    async def generic() -> None:
        await privacy_page(None)

    @ui.page(PATH + "/{seminar_id}")
    async def of_seminar(seminar_id: int) -> None:
        await privacy_page(seminar_id)
