"""Personal data in Chromium: a participant reads what is kept from the join screen, joins,
the facilitator erases her name from the console, and her phone no longer acts as her."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import _free_port
from live_server import server_env, start_server, stop_server
from workshop.db import Database
from workshop.rehearsal.browser import audit, axe_source
from workshop.services import participants

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)
NAME = "Zoé Testname"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("rgpd-e2e")
    env = server_env(data_dir)
    demo = subprocess.run([sys.executable, "-m", "workshop", "demo"], env=env, capture_output=True, text=True,
                          check=True)
    match = re.search(r"n°\s(\d+)\s:\scode de participation (\w+), code animateur «\s([^»]+?)\s»", demo.stdout)
    assert match, demo.stdout + demo.stderr
    port = _free_port()
    process = start_server(env, port, data_dir / "server.log")
    yield f"http://127.0.0.1:{port}", int(match.group(1)), match.group(2), match.group(3).strip(), data_dir
    stop_server(process)


def connected(page: Page) -> None:
    page.wait_for_function("() => window.socket && window.socket.connected", timeout=TIMEOUT_MS)


def test_read_join_be_erased_and_forgotten(browser: Browser, own_server, artifacts: Path) -> None:
    url, sid, code, secret, data_dir = own_server
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    phone.goto(f"{url}/join/{code}")
    expect(phone.get_by_role("heading", name="Bienvenue !")).to_be_visible()
    connected(phone)
    phone.get_by_role("link", name="Vos données personnelles").click()
    expect(phone.get_by_role("heading", name="Vos données personnelles dans cet atelier")).to_be_visible()
    expect(phone.get_by_text("Votre nom est gardé 12 mois après la fin du séminaire", exact=False)).to_be_visible()
    phone.screenshot(path=str(artifacts / "privacy-phone-390x844.png"), full_page=True)
    problems = audit(phone, axe_source())
    assert problems == [], "\n".join(problems)

    phone.get_by_role("button", name="Retour").click()
    expect(phone.get_by_role("heading", name="Bienvenue !")).to_be_visible()
    connected(phone)
    phone.get_by_label("Votre prénom").fill(NAME)
    phone.get_by_label("Votre collège").click()
    phone.get_by_role("option", name="Élu", exact=True).click()
    phone.get_by_role("button", name="Entrer dans le séminaire").click()
    expect(phone.get_by_text(NAME, exact=False).first).to_be_visible()

    console = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR").new_page()
    console.goto(f"{url}/console/{sid}/login")
    connected(console)
    console.get_by_label("Code animateur").fill(secret)
    console.get_by_role("button", name="Se connecter").click()
    console.get_by_role("tab", name="Tables").click()
    console.get_by_text("Données personnelles (RGPD)").click()
    console.get_by_role("button", name=f"Effacer le nom de {NAME}").click()
    expect(console.get_by_text(f"Effacer le nom de {NAME} ?")).to_be_visible()
    console.screenshot(path=str(artifacts / "console-erase-1280x800.png"))
    console.get_by_role("button", name="Effacer définitivement").click()
    expect(console.get_by_text(re.compile(r"Nom effacé\s:\sParticipant n°\s\d+"))).to_be_visible()

    db = Database(f"sqlite:///{data_dir / 'workshop.sqlite3'}")
    try:
        names = {p.display_name for p in participants.list_participants(db, sid)}
    finally:
        db.dispose()
    assert NAME not in names
    # the open phone is told at once, without a reload
    expect(phone.get_by_text("Cet appareil n'est pas reconnu dans ce séminaire.", exact=False).first).to_be_visible()
    expect(phone.get_by_text(NAME, exact=False)).to_have_count(0)
    phone.screenshot(path=str(artifacts / "erased-phone-390x844.png"), full_page=True)
    phone.reload()  # the phone's token no longer stands for anyone: it is asked to join again
    expect(phone.get_by_role("heading", name="Cet appareil n'a pas encore rejoint ce séminaire.")).to_be_visible()
    expect(phone.get_by_text(NAME)).to_have_count(0)
