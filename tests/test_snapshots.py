"""Automatic archive snapshots: written whole, kept K per seminar, taken on activity changes and
periodically, listed and restored as a new seminar (also from the command line)."""

from __future__ import annotations

import json
import time

import pytest

from seminar_helpers import open_activity
from workshop import cli, snapshots
from workshop.archive import ArchiveError, check_archive
from workshop.db import set_database
from workshop.models import CardKind, College, Interaction
from workshop.services import activities, cards, participants, votes


@pytest.fixture
def running(db, seminar):
    """The seminar with a dot vote open, two cards and Alice's votes on them."""
    sid = seminar.seminar_id
    act = open_activity(db, sid, Interaction.DOT_VOTE, where=lambda a: a.vote_budget)
    kind = act.card_kinds[0] if act.card_kinds else CardKind.STAKE.value
    ids = [cards.add_card(db, sid, kind=kind, text=t).id for t in ("L'eau 💧", "Les mobilités")]
    alice = participants.join(db, seminar.join_code, display_name="Alice", college=College.RESIDENT)
    votes.set_dots(db, alice.device_token, act.id, ids[0], 1)
    return sid, act, ids


def test_a_snapshot_is_a_valid_archive_in_its_seminars_folder(db, running, tmp_path, fake_clock):
    sid, _, _ = running
    path = snapshots.take_snapshot(db, sid, directory=tmp_path)
    assert path.parent == tmp_path / str(sid)
    assert path.name == fake_clock.current.strftime("%Y%m%dT%H%M%S.%fZ") + ".json"
    data = json.loads(path.read_text(encoding="utf-8"))
    check_archive(data)
    assert {c["text"] for c in data["cards"]} == {"L'eau 💧", "Les mobilités"}
    assert [v["dots"] for v in data["dot_votes"]] == [1]
    assert not list(tmp_path.rglob(".*.tmp"))


def test_only_the_last_k_snapshots_are_kept(db, running, tmp_path, fake_clock):
    sid, _, _ = running
    written = []
    for _ in range(7):
        written.append(snapshots.take_snapshot(db, sid, directory=tmp_path, keep=3))
        fake_clock.advance(seconds=1)
    assert sorted(p.name for p in (tmp_path / str(sid)).glob("*.json")) == [p.name for p in written[-3:]]
    assert [s.path for s in snapshots.list_snapshots(sid, directory=tmp_path)] == written[-3:]


def test_two_snapshots_in_the_same_instant_do_not_overwrite_each_other(db, running, tmp_path, fake_clock):
    sid, _, _ = running
    first = snapshots.take_snapshot(db, sid, directory=tmp_path)
    second = snapshots.take_snapshot(db, sid, directory=tmp_path)
    assert first != second and first.exists() and second.exists()


def test_a_crash_while_writing_leaves_no_half_snapshot(db, running, tmp_path, monkeypatch, fake_clock):
    sid, _, _ = running
    good = snapshots.take_snapshot(db, sid, directory=tmp_path)
    fake_clock.advance(seconds=1)

    def dies_half_way(data, out, **kwargs):
        out.write('{"format": "visions21-seminar-arch')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshots.json, "dump", dies_half_way)
    with pytest.raises(OSError):
        snapshots.take_snapshot(db, sid, directory=tmp_path)
    monkeypatch.undo()
    folder = tmp_path / str(sid)
    assert sorted(folder.iterdir()) == [good]  # no partial file, no temp file
    (folder / ".20990101T000000.000000Z.json.abc.tmp").write_text("{")  # what a SIGKILL would leave
    assert [s.path for s in snapshots.list_snapshots(sid, directory=tmp_path)] == [good]
    fake_clock.advance(seconds=1)
    snapshots.take_snapshot(db, sid, directory=tmp_path)
    assert not list(folder.glob(".*.tmp"))  # swept at the next snapshot


def test_only_running_seminars_are_snapshotted_periodically(db, running, kit, two_days, tmp_path, fake_clock):
    from workshop.services import seminars

    sid, act, _ = running
    idle = seminars.create_seminar(db, title="En attente", territory="Creil", horizon_year=2050,
                                   run_sheet=two_days, kit=kit).seminar_id
    assert snapshots.running_seminars(db) == [sid]
    paths = snapshots.snapshot_running(db, directory=tmp_path)
    assert [p.parent.name for p in paths] == [str(sid)]
    activities.close_activity(db, sid, act.id)
    assert snapshots.running_seminars(db) == []
    assert not (tmp_path / str(idle)).exists()


def test_each_activity_change_triggers_a_snapshot(db, running, tmp_path):
    sid, act, _ = running
    snapper = snapshots.Snapshotter(db, minutes=0, directory=tmp_path)
    snapper.start()
    try:
        activities.pause(db, sid, act.id)
        assert snapper.wait_idle(20)
        activities.resume(db, sid, act.id)
        assert snapper.wait_idle(20)
        activities.close_activity(db, sid, act.id)  # closing too: the moment worth keeping
        assert snapper.wait_idle(20)
        cards.add_card(db, sid, kind="stake", text="Pas un changement d'activité")
        time.sleep(0.2)
        assert snapper.wait_idle(20)
    finally:
        snapper.stop()
    files = snapshots.list_snapshots(sid, directory=tmp_path)
    assert 1 <= len(files) <= 3  # bursts of changes coalesce; a card alone triggers nothing
    last = json.loads(files[-1].path.read_text(encoding="utf-8"))
    assert next(a for a in last["activities"] if a["id"] == act.id)["state"] == "closed"


def test_the_periodic_timer_snapshots_running_seminars(db, running, tmp_path):
    sid, _, _ = running
    snapper = snapshots.Snapshotter(db, minutes=0.5 / 60, directory=tmp_path, keep=50)  # every half second
    snapper.start()
    try:
        deadline = time.monotonic() + 15
        while len(snapshots.list_snapshots(sid, directory=tmp_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        snapper.stop()
    assert len(snapshots.list_snapshots(sid, directory=tmp_path)) >= 2


def test_a_failing_snapshot_never_stops_the_writer(db, running, tmp_path, monkeypatch):
    sid, act, _ = running
    snapper = snapshots.Snapshotter(db, minutes=0, directory=tmp_path)
    snapper.start()
    try:
        snapper.request(987654)  # a seminar that does not exist (deleted meanwhile)
        assert snapper.wait_idle(20)
        activities.pause(db, sid, act.id)
        assert snapper.wait_idle(20)
    finally:
        snapper.stop()
    assert len(snapshots.list_snapshots(sid, directory=tmp_path)) == 1


def test_settings_from_the_environment(monkeypatch):
    monkeypatch.delenv(snapshots.INTERVAL_ENV, raising=False)
    monkeypatch.delenv(snapshots.KEEP_ENV, raising=False)
    assert (snapshots.interval_minutes(), snapshots.keep_count()) == (5.0, 20)
    monkeypatch.setenv(snapshots.INTERVAL_ENV, "2")
    monkeypatch.setenv(snapshots.KEEP_ENV, "50")
    assert (snapshots.interval_minutes(), snapshots.keep_count()) == (2.0, 50)
    monkeypatch.setenv(snapshots.INTERVAL_ENV, "beaucoup")
    monkeypatch.setenv(snapshots.KEEP_ENV, "0")
    assert (snapshots.interval_minutes(), snapshots.keep_count()) == (5.0, 1)


def test_restore_from_the_command_line_makes_a_new_seminar(db, running, tmp_path, monkeypatch, capsys):
    sid, act, ids = running
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    set_database(db)
    try:
        path = snapshots.take_snapshot(db, sid)
        assert path.is_relative_to(tmp_path / "snapshots")
        assert cli.main(["snapshots", "list"]) == 0
        listing = capsys.readouterr().out
        assert str(path) in listing and "Amiens Métropole" in listing
        if db.is_sqlite:  # the dot vote is open: on SQLite a restore asks to be told the room may wait
            with pytest.raises(ArchiveError) as caught:
                snapshots.restore_snapshot(db, path, refuse_if_live=True)
            assert caught.value.code == "archive_needs_idle"  # the command line: tests/test_archive_live.py
        assert cli.main(["snapshots", "restore", str(path), "--while-live"]) == 0
        out = capsys.readouterr().out
        assert "Instantané restauré comme nouveau séminaire" in out
        (tmp_path / "broken.json").write_text('{"format": ')
        assert cli.main(["snapshots", "restore", str(tmp_path / "broken.json"), "--while-live"]) == 1
        assert "JSON" in capsys.readouterr().err
    finally:
        set_database(None)
    from workshop.services import seminars

    restored = [s for s in seminars.list_seminars(db) if s.id != sid]
    assert len(restored) == 1 and restored[0].title == "Séminaire Visions +21"
    new_id = restored[0].id
    assert sorted(c.text for c in cards.list_cards(db, new_id)) == ["L'eau 💧", "Les mobilités"]
    assert sum(t.dots for t in votes.tally(db, new_id)) == 1
    assert restored[0].join_code != seminars.get_seminar_by_id(db, sid).join_code  # the original still holds it


def test_the_real_server_stops_cleanly(tmp_path):
    """Ctrl-C / SIGTERM on the laptop: the snapshot writer and the live hub stop without an error."""
    import signal
    import socket
    import subprocess

    from live_server import server_env, start_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "server.log"
    process = start_server(server_env(tmp_path / "data"), port, log)
    process.terminate()
    try:
        code = process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    text = log.read_text()
    assert "shutdown failed" not in text.lower() and "Traceback" not in text, text
    assert code in (0, -signal.SIGTERM), text  # uvicorn re-raises the signal once it has shut down
