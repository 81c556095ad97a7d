"""The facilitator console: run sheet on the left, the activity in hand and moderation in the
middle, the projector and the room on the right. Laptop screens (1280x800 to 1440x900 and up)."""

from __future__ import annotations

from nicegui import ui

from workshop.services import seminars
from workshop.ui.access import require_facilitator
from workshop.ui.common import call_now, db, tr
from workshop.ui.console.attendance import AttendancePanel
from workshop.ui.console.clusters_panel import ClustersPanel
from workshop.ui.console.current import CurrentActivity
from workshop.ui.console.duplicates_panel import DuplicatesPanel
from workshop.ui.console.graph_panel import GraphPanel
from workshop.ui.console.groups import Groups
from workshop.ui.console.header import Header
from workshop.ui.console.history import History
from workshop.ui.console.lessons import Lessons
from workshop.ui.console.links_panel import ProposedLinks
from workshop.ui.console.moderation import Moderation
from workshop.ui.console.people import People
from workshop.ui.console.personal_data_panel import PersonalDataPanel
from workshop.ui.console.runsheet import RunSheet
from workshop.ui.console.screen_panel import ScreenPanel
from workshop.ui.console.state import Console
from workshop.ui.console.widgets import BrowserTabPanels, BrowserTabs, clock_js, setup_console_page


def console_page(seminar_id: int) -> None:
    if not require_facilitator(seminar_id):
        return
    seminar = call_now(seminars.get_seminar_by_id, db(), seminar_id)
    setup_console_page(tr("console.page_title", title=seminar.title if seminar else ""))
    if seminar is None:
        ui.label(tr("console.seminar_missing")).classes("text-2xl p-8")
        return
    ui.add_body_html(clock_js())
    console = Console(seminar_id)
    console.dialog_host = ui.element("div")
    with console.batch():
        Header(console).build()
        with ui.row().classes("w-full no-wrap gap-0 items-stretch"):
            with ui.column().classes("console-col console-runsheet-col w-[21rem] shrink-0 p-3 gap-1 bg-slate-50 border-r "
                                     "border-slate-300").props(f'role="region" aria-label="{tr("console.runsheet")}"'):
                RunSheet(console).build()
            with ui.column().classes("console-col grow min-w-0 p-3 gap-3"):
                CurrentActivity(console).build()
                with BrowserTabs().props("align=left dense inline-label outside-arrows mobile-arrows "
                                         "active-color=primary indicator-color=primary").classes(
                        "w-full text-slate-900 border-b border-slate-300") as tabs:
                    ui.tab("moderation", label=tr("console.tab_moderation"))
                    ui.tab("history", label=tr("console.tab_history"))
                    ui.tab("groups", label=tr("console.tab_groups"))
                    links_tab = ui.tab("links", label=tr("console.tab_links"))
                    ui.tab("graph", label=tr("graph.console.tab"))
                    ui.tab("lessons", label=tr("console.tab_lessons"))

                def links_count(count: int) -> None:
                    label = tr("console.tab_links") + (f" ({count})" if count else "")
                    links_tab.props["label"] = label
                    links_tab.update()

                graph = GraphPanel(console, is_visible=lambda: tabs.value == "graph",
                                   show_links_tab=lambda: tabs.show("links"))
                tabs.on_value_change(lambda e: graph.shown() if e.value == "graph" else None)

                # switched in the browser at the click (BrowserTabs); every panel is built here, but
                # drawn in the browser only when first shown (keep-alive), the graph computed then
                with BrowserTabPanels(tabs, value="moderation").classes("w-full bg-transparent").props(
                        "keep-alive"):
                    with ui.tab_panel("moderation").classes("p-0 gap-2"):
                        DuplicatesPanel(console).build()
                        ClustersPanel(console).build()
                        Moderation(console).build()
                    with ui.tab_panel("history").classes("p-0 gap-2"):
                        History(console).build()
                    with ui.tab_panel("groups").classes("p-0 gap-2"):
                        # rare requests: one folded line above the tables
                        with ui.expansion(tr("personal_data.heading"), icon="privacy_tip").classes(
                                "w-full console-panel").mark("personal-data"):
                            PersonalDataPanel(console).build()
                        Groups(console).build()
                    with ui.tab_panel("links").classes("p-0 gap-2"):
                        ProposedLinks(console, on_count=links_count).build()
                    with ui.tab_panel("graph").classes("p-0 gap-2"):
                        graph.build()
                    with ui.tab_panel("lessons").classes("p-0 gap-2"):
                        Lessons(console).build()
            with ui.column().classes("console-col w-[20rem] shrink-0 p-3 gap-3 bg-slate-50 border-l "
                                     "border-slate-300"):
                ScreenPanel(console).build()
                AttendancePanel(console).build()  # above the list: a burst must show without scrolling
                People(console).build()
    console.start_live()
