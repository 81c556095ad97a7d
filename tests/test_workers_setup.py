"""Workers mode set-up: the generated HAProxy configuration, and what ``serve --workers`` refuses."""

from __future__ import annotations

import pytest

from workshop.cli import main
from workshop.workers import STICKY_COOKIE
from workshop.workers.haproxy import check, config_text, find_haproxy, write_config


def test_the_generated_configuration_is_valid_for_haproxy_and_sticky(tmp_path):
    haproxy = find_haproxy()
    if haproxy is None:
        pytest.fail("haproxy is missing: run scripts/install-system-deps.sh (make test does)")
    path = write_config(tmp_path / "haproxy.cfg", "0.0.0.0", 8080, [("w1", 40001), ("w2", 40002), ("w3", 40003)])
    valid, said = check(haproxy, path)
    assert valid, said
    text = path.read_text()
    assert f"cookie {STICKY_COOKIE} insert indirect nocache httponly" in text
    for name, port in (("w1", 40001), ("w2", 40002), ("w3", 40003)):
        assert f"server {name} 127.0.0.1:{port} cookie {name}" in text
    assert "option redispatch" in text and "timeout tunnel 1h" in text
    # addresses: what browsers send is dropped; the server's own browsers stay local (no header)
    assert "http-request del-header X-Forwarded-For" in text and "option forwardfor except 127.0.0.0/8" in text
    assert "bind [::]:8080" in config_text("::", 8080, [("w1", 1)])


def test_workers_mode_refuses_sqlite_with_a_french_message(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    assert main(["serve", "--workers", "2", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "Impossible de démarrer : le mode multi-processus demande PostgreSQL" in err
    assert not (tmp_path / "workers").exists()  # nothing was started


def test_the_number_of_workers_is_checked(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--workers", "0"])
    assert "le nombre de processus va de 1 à 64" in capsys.readouterr().err


def test_only_the_first_worker_takes_archive_snapshots(monkeypatch):
    """One writer for <data dir>/snapshots: the first worker (it receives every worker's events)."""
    from workshop.workers.worker import takes_snapshots

    monkeypatch.delenv("WORKSHOP_WORKER_ID", raising=False)
    assert takes_snapshots()  # the laptop: one process
    for worker, expected in (("w1", True), ("w2", False), ("w3", False)):
        monkeypatch.setenv("WORKSHOP_WORKER_ID", worker)
        assert takes_snapshots() is expected



def test_the_supervisor_says_when_a_restarted_worker_serves_again(tmp_path, monkeypatch, capsys):
    """A worker's death was one line of the supervisor's log and its return none: whoever reads
    the log after a crash could not tell whether w1 was serving again, nor after how long."""
    from workshop.workers import supervisor

    class Process:
        def __init__(self, returncode=None):
            self.returncode, self.pid = returncode, 4242

        def poll(self):
            return self.returncode

    clock = [1000.0]
    serving = [False]
    boss = supervisor.Supervisor("127.0.0.1", 8080, 1, tmp_path, {}, balancer=Process(), pause=1.0)
    worker = supervisor.Worker("w1", 40001, tmp_path / "w1.log", process=Process(returncode=-9), started_at=400.0)
    boss.workers = [worker]

    def sleep(_seconds):  # the supervisor's rounds, half a second apart on a clock of our own
        clock[0] += 0.5
        serving[0] = clock[0] >= 1006.5  # the restarted worker answers 6.5 s after its death was seen
        boss.stopping = clock[0] >= 1010

    monkeypatch.setattr(supervisor.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(supervisor.time, "sleep", sleep)
    monkeypatch.setattr(supervisor.subprocess, "Popen", lambda *args, **kwargs: Process())
    monkeypatch.setattr(supervisor, "answers", lambda port, timeout=2.0: serving[0])
    assert boss.watch() == 0
    said = capsys.readouterr().err.splitlines()
    assert said == ["Processus w1 arrêté (code -9, port 40001) : ses tablettes passent par les autres ; "
                    "redémarrage dans 1 s.",
                    "Processus w1 de retour (port 40001) : il répond de nouveau après 6,5 s d'absence."], said
    assert worker.restarts == 1
