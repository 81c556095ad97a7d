"""Pages of the app. For now: the list of seminars (the room's views come with the next issue)."""

from __future__ import annotations

import os

from nicegui import app, ui

from workshop.db import get_database
from workshop.i18n import t
from workshop.services import seminars


@ui.page("/")
def index() -> None:
    lang = "fr"
    ui.query("body").style("background: #f5f7fa")
    with ui.column().classes("w-full max-w-4xl mx-auto p-6 gap-4"):
        ui.label(t("app.name", lang)).classes("text-4xl font-bold text-slate-900")
        ui.label(t("app.tagline", lang)).classes("text-lg text-slate-700")
        ui.label(t("app.seminars", lang)).classes("text-2xl font-semibold mt-4")
        rows = seminars.list_seminars(get_database())
        if not rows:
            ui.label(t("app.no_seminars", lang)).classes("text-slate-700")
        for s in rows:
            with ui.card().classes("w-full").props("flat bordered"):
                ui.label(f"{s.title}").classes("text-xl font-semibold")
                ui.label(f"{s.territory} · {t('app.horizon', lang)} {s.horizon_year}").classes("text-slate-700")
                ui.label(
                    f"{t('app.participants', lang)} : {s.participants} · {t('app.cards', lang)} : {s.cards} · "
                    f"{t('app.current_activity', lang)} : {s.current_activity or t('app.none_open', lang)}"
                ).classes("text-slate-700")


def run(host: str = "0.0.0.0", port: int = 8080) -> None:
    ui.run(host=host, port=port, title="Visions +21", language="fr", reload=False, show=False,
           storage_secret=os.environ.get("WORKSHOP_STORAGE_SECRET", "visions21-local"), favicon="🧭")
