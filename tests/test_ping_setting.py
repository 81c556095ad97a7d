"""WORKSHOP_PING_SECONDS: how often the server pings browsers, and when pages say "Connexion perdue"."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest

from tests.live_server import server_env, start_server, stop_server
from workshop import config
from workshop.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("raw", ["0", "11", "2.5", "deux", "-1"])
def test_a_ping_interval_out_of_range_stops_the_server_before_it_starts(raw, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(config.PING_ENV, raw)
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "Impossible de démarrer : WORKSHOP_PING_SECONDS doit être un nombre entier de secondes, de 1 à 10" in err
    assert not (tmp_path / "workshop.sqlite3").exists()  # nothing was created


def test_the_default_pings_each_second(monkeypatch):
    monkeypatch.delenv(config.PING_ENV, raising=False)
    assert config.ping_seconds() == 1


def test_pages_and_sockets_follow_the_chosen_interval(tmp_path):
    """With 3 s, the socket.io handshake announces 3,000 ms and pages wait 4 s of silence."""
    port = free_port()
    process = start_server(server_env(tmp_path, **{config.PING_ENV: "3"}), port, tmp_path / "server.log")
    try:
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        assert "var SILENCE_MS = 4000;" in page
        handshake = urllib.request.urlopen(
            f"http://127.0.0.1:{port}/_nicegui_ws/socket.io/?EIO=4&transport=polling", timeout=10).read().decode()
        assert json.loads(handshake[handshake.index("{"):])["pingInterval"] == 3000
    finally:
        stop_server(process)
