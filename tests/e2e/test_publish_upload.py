"""Staff upload a logo from the report page in Chromium, as they would with a mouse or a keyboard.

Quasar's uploader hid its file input inside an unnamed button (axe: a form field with no
label, a control inside a control); the page now offers a labelled native file input that
hands the file to the uploader. This drives that input for real: the logo is stored,
re-encoded, shown, and the uploader passes the accessibility audit.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import log_in
from workshop.db import Database
from workshop.rehearsal.browser import audit, axe_source
from workshop.services import publication

pytestmark = pytest.mark.e2e


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 60), (11, 83, 148)).save(out, "PNG")
    return out.getvalue()


def test_a_logo_chosen_through_the_labelled_file_input_is_stored_and_shown(browser, server, tmp_path, artifacts):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{server.url}/console/{server.seminar_id}/login")
        log_in(page, server.secret)
        # logging in navigates to the console: going elsewhere before it lands aborts one of the two
        page.wait_for_url(re.compile(rf"/console/{server.seminar_id}$"))
        page.goto(f"{server.url}/console/{server.seminar_id}/report")
        picker = page.get_by_label("Choisir une image PNG ou JPEG").first
        expect(picker).to_be_attached()
        logo = tmp_path / "logo.png"
        logo.write_bytes(_png())
        picker.set_input_files(str(logo))
        expect(page.get_by_text("Logo enregistré", exact=False).first).to_be_visible()
        db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
        try:
            stored = publication.identity(db, server.seminar_id).logos
            assert stored, "no logo stored"
        finally:
            db.dispose()
        # The logo shows beside the uploader (which is reset and drawn anew after each file, so the
        # input first found is gone by now: the picture is what stays where the person looks).
        expect(page.get_by_role("img", name="Logo du territoire")).to_be_visible()
        page.evaluate("document.querySelector('.uploader-pick').scrollIntoView({block: 'center'})")
        (artifacts / "publish").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(artifacts / "publish" / "report-logo-upload-1440x900.png"))
        uploader = [p for p in audit(page, axe_source()) if "q-uploader" in p or "uploader-pick" in p]
        assert uploader == []
    finally:
        page.close()
