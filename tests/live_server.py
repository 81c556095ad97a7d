"""A real ``workshop serve`` process for tests that need one of their own (crash, injection)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path


def server_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_STORAGE_SECRET": "live-" + uuid.uuid4().hex,
           "WORKSHOP_SNAPSHOT_MINUTES": "0", "PYTHONUNBUFFERED": "1", **extra}
    # NiceGUI takes a process with pytest's variables for its own test harness.
    for name in ("PYTEST_CURRENT_TEST", "NICEGUI_USER_SIMULATION", "NICEGUI_SCREEN_TEST_PORT", "NICEGUI_STORAGE_PATH"):
        env.pop(name, None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """Start the server and wait until it answers (60 s at most)."""
    with open(log, "a") as out:
        process = subprocess.Popen([sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port",
                                    str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("server did not start:\n" + log.read_text())
            time.sleep(0.2)


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
