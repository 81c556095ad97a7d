"""A console, screen or report tab opened before a logout does nothing afterwards.

Each handler checks the facilitator's right when it runs (ui/access.facilitator_guard), not
only when the page was built; the logout also sends this browser's other open tabs to the
login page. Both are tried: with the push turned off, the per-handler check alone holds.
"""

from __future__ import annotations

import asyncio

import pytest
from nicegui.testing import User

from workshop.demo import DEMO_SECRET
from workshop.services import activities, seminars
from workshop.ui import access

LIVE = 30


async def _login(user: User, seminar_id: int) -> None:
    await user.open(f"/console/{seminar_id}/login")
    user.find(marker="secret").type(DEMO_SECRET)
    user.find(marker="login").click()
    await user.should_see(marker="current-panel", retries=LIVE)


async def _logout_elsewhere(user: User, seminar_id: int, old) -> None:
    """Log out in another tab of the same browser, then come back to the old tab."""
    await user.open(f"/console/{seminar_id}/logout")
    await user.should_see(marker="secret", retries=LIVE)
    user.client = old


@pytest.fixture(params=["handler check only", "with the logout push"])
def push(request, monkeypatch):
    if request.param == "handler check only":
        monkeypatch.setattr(access, "_close_protected_tabs", lambda seminar_id: None)
    return request.param


async def test_an_old_console_tab_cannot_extend_an_activity(demo, user: User, push) -> None:
    db, d = demo
    sid = d.seminar_id
    await _login(user, sid)
    old = user.client
    await _logout_elsewhere(user, sid, old)
    before = activities.current_activity(db, sid).extended_minutes
    user.find(marker="extend-10").click()
    await asyncio.sleep(0.5)
    assert activities.current_activity(db, sid).extended_minutes == before
    if push == "handler check only":  # the click itself told the tab, in French, and sent it to log in
        await user.should_see("Vous êtes déconnecté de ce séminaire", retries=LIVE)
        await user.should_see(marker="secret", retries=LIVE)


async def test_an_old_report_tab_cannot_save_lessons_or_download(demo, user: User, push, tmp_path,
                                                                 monkeypatch) -> None:
    monkeypatch.setenv("WORKSHOP_EXPORTS_DIR", str(tmp_path))
    db, d = demo
    sid = d.seminar_id
    await _login(user, sid)
    await user.open(f"/console/{sid}/report")
    for fmt in ("pdf", "docx", "html", "xlsx", "csv-tableur"):
        for box in user.find(marker=f"format-{fmt}").elements:
            box.value = False
    user.find(marker="export").click()
    await user.should_see(marker="download-csv", retries=50)
    old = user.client
    await _logout_elsewhere(user, sid, old)
    lessons = seminars.get_seminar_by_id(db, sid).lessons_learned
    user.find(marker="lessons").type("Écrit après la déconnexion")
    user.find(marker="lessons-save").click()
    user.find(marker="download-csv").click()
    with pytest.raises(Exception):  # noqa: B017 - nothing is offered for download
        await user.download.next(timeout=1)
    assert seminars.get_seminar_by_id(db, sid).lessons_learned == lessons


async def test_the_console_still_works_while_logged_in_and_after_logging_in_again(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    await _login(user, sid)
    await user.open(f"/console/{sid}/logout")
    await _login(user, sid)
    user.find(marker="extend-10").click()
    await user.should_see("prolongée de 10 min", retries=LIVE)
