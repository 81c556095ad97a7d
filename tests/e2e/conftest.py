"""End-to-end fixtures: a real server process with the demo seminar, and Debian's Chromium.

Playwright drives /usr/bin/chromium (installed by ``scripts/install-system-deps.sh``);
it never downloads a browser. Screenshots go to ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


@dataclass(frozen=True)
class RunningServer:
    url: str
    seminar_id: int
    join_code: str
    secret: str
    data_dir: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[RunningServer]:
    data_dir = tmp_path_factory.mktemp("e2e-data")
    env = {**os.environ, "WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_STORAGE_SECRET": "e2e-secret",
           "WORKSHOP_PUBLIC_URL": "http://visions21.local:8080"}
    env.pop("DATABASE_URL", None)
    # NiceGUI treats a process with PYTEST_CURRENT_TEST as its own test harness (wrong port, simulated
    # users): the server is a real one, so it must not inherit pytest's variables.
    for name in ("PYTEST_CURRENT_TEST", "NICEGUI_USER_SIMULATION", "NICEGUI_SCREEN_TEST_PORT"):
        env.pop(name, None)
    demo = subprocess.run([sys.executable, "-m", "workshop", "demo"], env=env, capture_output=True, text=True,
                          check=True)
    match = re.search(r"n°\s(\d+)\s:\scode de participation (\w+), code animateur «\s([^»]+?)\s»", demo.stdout)
    assert match, demo.stdout + demo.stderr
    port = _free_port()
    log = open(data_dir / "server.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError("server did not start:\n" + (data_dir / "server.log").read_text())
            time.sleep(0.3)
    yield RunningServer(url, int(match.group(1)), match.group(2), match.group(3).strip(), data_dir)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    """Chromium through Playwright's sync API, for one test module at a time.

    The sync API keeps an event loop running in the main thread while it is open; closing
    it after each module keeps it from leaking into the asyncio tests that may follow.
    """
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
