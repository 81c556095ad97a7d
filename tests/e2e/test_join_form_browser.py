"""The join form in Chromium: drawn in the browser (``join_form.js``), it does what NiceGUI's
fields did. The name field helps the phone (given name, 60 characters, "next" key, Enter goes to
the collège), the language switch reloads the page in the other language, a missing collège is
said at once, a refusal of the server comes back as a toast and leaves the button usable, and a
double tap joins once. What differs: nothing goes to the server while the person types and
picks (a room of phones joining at once), only the tap.

A seminar of its own (created in the server's database) keeps the demo seminar as the other e2e
tests expect it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_ui_room_fit import seminar_at
from workshop.db import Database
from workshop.services import participants, seminars

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000


def test_the_join_form_in_a_phone(browser, server) -> None:
    created = seminar_at(server, "Séminaire du formulaire", "demi-journee-decouverte", open_up_to=0)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True,
                                  has_touch=True)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sent: list[str] = []  # NiceGUI's event messages from this page to the server
        page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame) if '"event"' in str(
            frame) else None))
        page.goto(f"{server.url}/join/{created.join_code}")
        expect(page.get_by_role("heading", name="Bienvenue !")).to_be_visible()
        for text in ("Séminaire du formulaire", "Présentez-vous en quelques secondes pour participer.",
                     "Les résultats peuvent être lus par collège."):  # drawn by join_form.js, not the server
            expect(page.get_by_text(text, exact=True)).to_be_visible()
        page.wait_for_function("() => window.socket && window.socket.connected", timeout=TIMEOUT_MS)
        page.get_by_role("button", name="EN", exact=True).click()  # the page reloads in English, and back
        expect(page.get_by_role("heading", name="Welcome!")).to_be_visible()
        expect(page.get_by_role("button", name="EN", exact=True)).to_have_attribute("aria-pressed", "true")
        page.get_by_role("button", name="FR", exact=True).click()
        expect(page.get_by_role("heading", name="Bienvenue !")).to_be_visible()
        page.wait_for_function("() => window.socket && window.socket.connected", timeout=TIMEOUT_MS)
        sent.clear()
        name = page.get_by_label("Votre prénom ou nom à afficher")
        # the whole label in sight on a phone (it read « Votre prénom (ou le nom à affic… »)
        assert page.locator(".q-field__label").first.evaluate("l => l.scrollWidth <= l.clientWidth")
        assert [name.get_attribute(a) for a in ("autocomplete", "maxlength", "enterkeyhint")] == [
            "given-name", "60", "next"]
        button = page.get_by_role("button", name="Entrer dans le séminaire")

        button.click()  # no collège yet: said at once
        expect(page.get_by_text("Choisissez votre collège.")).to_be_visible()
        name.fill("Zoé")
        name.press("Enter")
        college = page.get_by_role("combobox", name="Votre collège")
        expect(college).to_be_focused()
        college.click()
        page.get_by_role("option", name="Habitant", exact=True).click()
        expect(page.get_by_role("option", name="Habitant", exact=True)).to_be_hidden()
        page.wait_for_timeout(500)
        assert sent == [], sent  # typing, Enter, picking and the refused tap: the server heard nothing

        seminars.set_joining_open(db, created.seminar_id, False)  # closed while the form was open
        button.click()
        expect(page.get_by_text("Les inscriptions à ce séminaire sont closes", exact=False)).to_be_visible()
        expect(button).not_to_have_class(re.compile(r"q-btn--loading"))  # usable again

        seminars.set_joining_open(db, created.seminar_id, True)
        button.dblclick()  # an impatient double tap
        page.wait_for_url(re.compile(r"/tablet/\d+$"))
        expect(page.get_by_text("Zoé · habitant", exact=True)).to_be_visible()
        assert [p.display_name for p in participants.list_participants(db, created.seminar_id)] == ["Zoé"]
    finally:
        context.close()
        db.dispose()
