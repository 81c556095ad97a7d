"""The projector's fixed panels: a big message, the participants' instructions, how to join
(beside a view or full screen) and the closing screen. Functions of the page they draw on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from workshop.services import seminars
from workshop.ui.closing import next_steps_report
from workshop.ui.common import db
from workshop.ui.projector.qr import qr_svg

if TYPE_CHECKING:
    from workshop.ui.projector.page import ProjectorScreen


def instructions_panel(page: ProjectorScreen, text: str, classes: str, *, fit_max: float, fit_min: float,
                       fit_wide: float | None = None) -> None:
    """« Consigne » and the participants' instructions, fitted to the panel's room by the page's
    script (sizes in vh); cut after whole words if they do not fit even at ``fit_min``, the hidden
    note below then saying where to read the rest. ``fit_wide``: the largest size in a side panel
    widened beside a wall of few columns."""
    with ui.element("section").classes(f"v21p-panel {classes}"):
        ui.label(page.t("projector.instructions")).classes("v21p-instr-head").props(
            'role="heading" aria-level="2"')
        ui.label(text).classes("v21p-instr-text").props(
            f'data-fit-max="{fit_max}" data-fit-min="{fit_min}" data-clamp'
            + (f' data-fit-wide="{fit_wide}"' if fit_wide else ''))
        ui.label(page.t("projector.instructions_more")).classes("v21p-instr-more").props("hidden")


def closing(page: ProjectorScreen) -> None:
    """The end of the seminar: thanks, what was done together, what happens next. The sentence
    names only what this seminar did (cards written, dots placed, ratings given, links accepted)."""
    figures = seminars.closing_figures(db(), page.sid)
    t = page.t
    with ui.element("div").classes("v21p-message v21p-closing"):
        ui.label(t("room.projector.finished")).classes("v21p-message-big").props('role="heading" aria-level="2"')
        ui.label(f"{t('room.projector.closing_people', count=figures.people)} · "
                 f"{t('room.projector.closing_cards', count=figures.contributions)}").classes("v21p-message-mid")
        with ui.element("section").classes("v21p-panel v21p-next"):
            ui.label(t("room.next_steps_title")).classes("v21p-instr-head").props('role="heading" aria-level="3"')
            ui.label(next_steps_report(figures, t)).classes("v21p-next-text").mark("closing-report")
            ui.label(t("room.next_steps_where")).classes("v21p-next-text")
        results_qr(page)


def results_qr(page: ProjectorScreen) -> None:
    """Once the seminar is over and staff left the results page open: its QR code and address."""
    from workshop.services import publication

    if publication.results_state(db(), page.sid) != publication.RESULTS_OPEN:
        return
    url = page.url.rsplit("/join/", 1)[0] + f"/resultats/{page.seminar.join_code}"
    with ui.element("section").classes("v21p-panel v21p-results").mark("projector-results"):
        ui.html(qr_svg(url, label=page.t("results.qr_alt", url=url)), sanitize=False).classes(
            "v21p-qr v21p-results-qr")
        with ui.element("div").classes("v21p-results-text"):
            ui.label(page.t("results.projector_lead")).classes("v21p-instr-head").props(
                'role="heading" aria-level="3"')
            # written as the join panels write theirs: without « http:// » (the QR code keeps it)
            ui.label(url.removeprefix("http://")).classes("v21p-next-text v21p-address")


def message(page: ProjectorScreen, big: str, middle: str | None = None, *, small: str | None = None,
            pulse: bool = False, instructions: str | None = None) -> dict[str, ui.label]:
    """A big centred message; with ``instructions``, the participants' instructions below it,
    as large as the room left allows (the message keeps its size: it is what changes live)."""
    out: dict[str, ui.label] = {}
    with ui.element("div").classes("v21p-message") as box:
        if pulse:
            ui.element("div").classes("v21p-pulse").props('aria-hidden="true"')
        out["big"] = ui.label(big).classes("v21p-message-big").props('role="heading" aria-level="2"')
        if middle is not None:
            out["middle"] = ui.label(middle).classes("v21p-message-mid")
        if small is not None:
            out["small"] = ui.label(small).classes("v21p-message-small")
        if instructions:
            box.classes("has-instr")
            instructions_panel(page, instructions, "v21p-instr-main", fit_max=5.2, fit_min=3.4)
    return out


def qr(page: ProjectorScreen) -> None:
    ui.html(qr_svg(page.url, label=page.t("projector.qr_alt", url=page.url)), sanitize=False).classes("v21p-qr")


def join_panel(page: ProjectorScreen) -> None:
    with ui.element("section").classes("v21p-panel v21p-join"):
        ui.label(page.t("projector.join_lead")).classes("v21p-join-lead").props('role="heading" aria-level="2"')
        qr(page)
        ui.label(page.t("projector.join_code")).classes("v21p-code-label")
        ui.label(page.seminar.join_code).classes("v21p-code")
        ui.label(page.address).classes("v21p-address")


def big_join(page: ProjectorScreen) -> None:
    if not page.seminar.joining_open:
        message(page, page.t("projector.join_closed"))
        return
    with ui.element("div").classes("v21p-bigjoin"):
        qr(page)
        with ui.element("div").classes("v21p-bigjoin-text"):
            ui.label(page.t("projector.join_lead")).classes("v21p-bigjoin-lead").props(
                'role="heading" aria-level="2"')
            ui.label(page.t("projector.join_scan")).classes("v21p-bigjoin-step")
            ui.label(page.t("projector.join_or_type")).classes("v21p-bigjoin-step")
            ui.label(page.address).classes("v21p-address")
            ui.label(page.t("projector.join_then_code")).classes("v21p-bigjoin-step")
            ui.label(page.seminar.join_code).classes("v21p-code")
