"""The staff pages (capitalisation report, synthesis), as a simulated browser sees them."""

from __future__ import annotations

import io
import zipfile

from nicegui import ui
from nicegui.testing import User

from workshop.demo import DEMO_SECRET, build_demo
from workshop.services import seminars

LIVE = 150  # retries x 0.1 s: the export runs off the event loop (beside the report texts being prepared)


async def _login(user: User, seminar_id: int, secret: str = DEMO_SECRET) -> None:
    await user.open(f"/console/{seminar_id}/login")
    user.find(marker="secret").type(secret)
    user.find(marker="login").click()  # the secret is checked off the event loop, then the console opens
    await user.should_see(marker="current-panel", retries=LIVE)


def _untick(user: User, *formats: str) -> None:
    for fmt in formats:
        for box in user.find(marker=f"format-{fmt}").elements:
            box.value = False


async def test_report_page_needs_the_facilitator(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    await user.open(f"/console/{demo.seminar_id}/report")
    await user.should_see(marker="secret")  # sent to the login page
    await user.should_not_see("Rapport de capitalisation")


async def test_export_from_the_report_page(ui_db, user: User, tmp_path, monkeypatch) -> None:
    exports = tmp_path / "exports"
    monkeypatch.setenv("WORKSHOP_EXPORTS_DIR", str(exports))
    demo = build_demo(ui_db)
    await _login(user, demo.seminar_id)
    await user.open(f"/console/{demo.seminar_id}/report")
    await user.should_see("Rapport de capitalisation")
    await user.should_see("Visions +21 : Amiens Métropole 2055")
    await user.should_see("Aucun export pour l'instant.")
    _untick(user, "pdf", "docx")  # the PDF and DOCX go through Chromium: tested in test_reports.py
    user.find(marker="export").click()
    await user.should_see("Export terminé\u00a0: 4\u00a0fichiers.", retries=LIVE)
    for fmt in ("html", "csv", "csv-tableur", "xlsx"):
        await user.should_see(marker=f"download-{fmt}")
    files = sorted(p.name for p in exports.iterdir())
    assert len(files) == 4 and all(f"_seminaire-{demo.seminar_id}_" in name for name in files)
    # the two CSV are named for what they are, and sizes read in French ("12 Ko", "4,6 Mo")
    await user.should_see("Données ouvertes CSV")
    await user.should_see("CSV pour tableur")
    await user.should_see(marker="file-csv-tableur")
    # The download serves the file to this browser.
    user.find(marker="download-csv").click()
    response = await user.download.next(timeout=5)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "cartes.csv" in archive.namelist()
    # The progress bar went to the end.
    bar = next(iter(user.find(marker="progress").elements))
    assert bar.value == 1.0


async def test_lessons_learned_from_the_report_page(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    await _login(user, demo.seminar_id)
    await user.open(f"/console/{demo.seminar_id}/report")
    user.find(marker="lessons").type("Prévoir une table de plus.")
    user.find(marker="lessons-save").click()
    await user.should_see("Enseignements enregistrés", retries=LIVE)
    assert seminars.get_seminar_by_id(ui_db, demo.seminar_id).lessons_learned == "Prévoir une table de plus."


async def test_synthesis_page_lists_only_my_seminars(ui_db, user: User, tmp_path, monkeypatch) -> None:
    exports = tmp_path / "exports"
    monkeypatch.setenv("WORKSHOP_EXPORTS_DIR", str(exports))
    first = build_demo(ui_db)
    second = build_demo(ui_db, seed=7)
    third = build_demo(ui_db, seed=9)
    await user.open("/staff/synthesis")
    await user.should_see(marker="synthesis-none")
    await _login(user, first.seminar_id)
    await _login(user, second.seminar_id)
    await user.open("/staff/synthesis")
    await user.should_see(marker=f"seminar-{first.seminar_id}")
    await user.should_see(marker=f"seminar-{second.seminar_id}")
    await user.should_not_see(marker=f"seminar-{third.seminar_id}")
    _untick(user, "pdf", "docx", "csv", "csv-tableur", "html")
    user.find(marker="export").click()
    await user.should_see("Export terminé\u00a0: 1\u00a0fichier.", retries=LIVE)
    await user.should_see(marker="download-xlsx")
    written = list(exports.iterdir())
    assert len(written) == 1 and written[0].name.endswith(
        f"_seminaires-{first.seminar_id}-{second.seminar_id}_donnees.xlsx")


def test_staff_module_registers_its_pages() -> None:
    from workshop.ui import app, staff

    assert "staff" in app.PAGE_MODULES
    assert callable(staff.register) and ui is not None
