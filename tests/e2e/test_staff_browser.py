"""Staff accounts in Chromium, as on a hosted server (issue 15).

A server of its own (``WORKSHOP_LOCAL_ADMIN=0``: no browser counts as the server's laptop)
starts with no account and says how to create the first administrator; the administrator is
created with the real command (password on standard input), logs in, creates and assigns a
facilitator in the accounts page; the facilitator opens the assigned seminar's console in
another browser. Screenshots at the laptop and phone sizes go to test-artifacts/staff/, and
axe-core finds no serious or critical problem on the staff pages.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import _free_port
from live_server import server_env, start_server, stop_server
from workshop.db import Database
from workshop.demo import ensure_demos
from workshop.rehearsal.browser import audit, axe_source

pytestmark = pytest.mark.e2e
expect.set_options(timeout=30_000)  # Argon2 and page loads on a busy 2-core machine

ADMIN, ADMIN_PASSWORD = "admin@cerdd.org", "mot de passe de l'admin"
FACILITATOR, FACILITATOR_PASSWORD = "anim@cerdd.org", "mot de passe animation"


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("staff-data")
    db = Database(f"sqlite:///{data_dir / 'workshop.sqlite3'}")
    db.create_schema()
    amiens, _ = ensure_demos(db)
    env = server_env(data_dir, WORKSHOP_LOCAL_ADMIN="0")
    port = _free_port()
    log = data_dir / "server.log"
    process = start_server(env, port, log)
    try:
        yield f"http://127.0.0.1:{port}", amiens, env, log
    finally:
        stop_server(process)
        db.dispose()


def _page(browser: Browser, width: int, height: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR").new_page()
    page.set_default_timeout(30_000)
    return page


def _log_in(page: Page, url: str, email: str, password: str, path: str = "/staff/login") -> None:
    page.goto(url + path)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").first.fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_first_administrator_then_a_facilitator_in_chromium(browser: Browser, hosted, artifacts) -> None:
    url, amiens, env, log = hosted
    folder = artifacts / "staff"
    folder.mkdir(parents=True, exist_ok=True)
    assert "workshop users add VOTRE@ADRESSE --role admin" in log.read_text()  # said at first start
    added = subprocess.run([sys.executable, "-m", "workshop", "users", "add", ADMIN, "--role", "admin",
                            "--password-stdin"], input=ADMIN_PASSWORD + "\n", env=env, capture_output=True,
                           text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    axe = axe_source()

    phone = _page(browser, 390, 844)
    phone.goto(url + "/staff/login")
    expect(phone.get_by_role("button", name="Se connecter")).to_be_visible()
    phone.screenshot(path=str(folder / "login-390x844.png"))

    page = _page(browser, 1280, 720)
    _log_in(page, url, ADMIN, "pas le bon mot de passe")
    expect(page.get_by_text("Adresse ou mot de passe incorrect.")).to_be_visible()
    page.screenshot(path=str(folder / "login-refused-1280x720.png"))
    assert audit(page, axe) == []
    _log_in(page, url, ADMIN, ADMIN_PASSWORD)
    expect(page.get_by_text(f"Connecté : {ADMIN} (Administration)")).to_be_visible()
    page.screenshot(path=str(folder / "staff-home-1280x720.png"))
    assert audit(page, axe) == []

    page.get_by_role("link", name="Comptes de l'équipe").click()
    page.get_by_label("Adresse électronique").fill(FACILITATOR)
    page.get_by_label("Mot de passe", exact=True).fill(FACILITATOR_PASSWORD)
    page.get_by_label("Mot de passe (encore une fois)").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_text(f"Compte créé pour {FACILITATOR}.")).to_be_visible()
    card = page.locator(".q-card", has_text=FACILITATOR)
    card.get_by_label("Affecter au séminaire").click()
    page.get_by_role("option", name="Amiens Métropole", exact=False).click()
    card.get_by_role("button", name="Affecter").click()
    expect(card.get_by_role("button", name="Retirer Amiens Métropole", exact=False)).to_be_visible()
    page.screenshot(path=str(folder / "accounts-1280x720.png"), full_page=True)
    assert audit(page, axe) == []

    colleague = _page(browser, 1280, 720)
    _log_in(colleague, url, FACILITATOR, FACILITATOR_PASSWORD, path=f"/staff/login?next=/console/{amiens.seminar_id}")
    colleague.wait_for_url(lambda address: address.endswith(f"/console/{amiens.seminar_id}")
                           and "/staff/login" not in address)
    expect(colleague.get_by_text(amiens.join_code).first).to_be_visible()
    colleague.goto(url + "/staff")
    colleague.get_by_role("button", name="Se déconnecter de tous les appareils").click()
    colleague.wait_for_url("**/staff/login")
    time.sleep(0.2)
    colleague.goto(url + f"/console/{amiens.seminar_id}")
    expect(colleague.get_by_label("Code animateur")).to_be_visible()  # the code login again
