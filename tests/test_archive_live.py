"""An archive import must not freeze a running seminar (issue 12: 65 MB froze voting for 14 s).

Imports run from the command line, in their own process, never on the server's event loop.
What froze the room was the database: SQLite has one writer, and the import writes in one
transaction (all or nothing). So on SQLite, ``workshop archive import`` and ``workshop
snapshots restore`` refuse while an activity is open, unless told ``--while-live``; on
PostgreSQL the import only adds rows of its own and votes go on during it (tested below).
"""

from __future__ import annotations

import threading

import pytest

from seminar_helpers import count, open_activity
from workshop import cli
from workshop.archive import ArchiveError, export_seminar, import_seminar, write_archive
from workshop.db import set_database
from workshop.models import CardKind, DotVote, Interaction, Seminar
from workshop.services import activities, cards, votes


@pytest.fixture
def live(db, seminar, join):
    """A seminar whose dot vote is open, a card on the wall and Alice at her tablet."""
    sid = seminar.seminar_id
    card = cards.add_card(db, sid, kind=CardKind.STAKE, text="L'eau")
    vote = open_activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE)
    return sid, vote, card, join("Alice")


def _sqlite_only(db):
    if not db.is_sqlite:
        pytest.skip("the refusal is for SQLite's single writer")


def test_the_command_line_refuses_to_import_into_sqlite_while_an_activity_is_open(db, live, tmp_path, capsys):
    _sqlite_only(db)
    sid, vote, _, _ = live
    path = write_archive(db, sid, tmp_path / "a.json")
    set_database(db)
    try:
        assert cli.main(["archive", "import", str(path)]) == 1
        err = capsys.readouterr().err
        assert f"le séminaire n° {sid}" in err and "--while-live" in err and "votes de la salle" in err
        assert count(db, Seminar) == 1
        assert cli.main(["snapshots", "restore", str(path)]) == 1
        assert count(db, Seminar) == 1
        assert cli.main(["archive", "import", str(path), "--while-live"]) == 0  # told the room may wait
        assert count(db, Seminar) == 2
        for seminar_id in (sid, sid + 1):  # the copy holds the vote open too, as it was archived
            for activity in activities.list_activities(db, seminar_id):
                if activity.state.value == "open":
                    activities.close_activity(db, seminar_id, activity.id)
        assert cli.main(["archive", "import", str(path)]) == 0  # nothing open: no question asked
        assert count(db, Seminar) == 3
    finally:
        set_database(None)


def test_an_activity_opened_while_the_archive_is_checked_stops_the_import(db, live, monkeypatch):
    _sqlite_only(db)
    sid, vote, _, _ = live
    data = export_seminar(db, sid)
    activities.close_activity(db, sid, vote.id)
    import workshop.archive.importing as importing

    real_check = importing.check_archive

    def check_then_open(archive):
        checked = real_check(archive)
        open_activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE)  # the facilitator opens the vote meanwhile
        return checked

    monkeypatch.setattr(importing, "check_archive", check_then_open)
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data, refuse_if_live=True)
    assert caught.value.code == "archive_needs_idle" and count(db, Seminar) == 1


@pytest.mark.postgres
def test_on_postgresql_votes_go_on_while_an_import_is_being_written(live, db, monkeypatch):
    if db.is_sqlite:
        pytest.skip("SQLite has one writer: there the import is refused while live (test above)")
    sid, vote, card, alice = live
    data = export_seminar(db, sid)
    import workshop.archive.importing as importing

    inside, release = threading.Event(), threading.Event()
    real_insert = importing._insert

    def slow_insert(session, archive):
        result = real_insert(session, archive)
        inside.set()  # every row written, the transaction still open
        assert release.wait(30)
        return result

    monkeypatch.setattr(importing, "_insert", slow_insert)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(import_seminar(db, data, refuse_if_live=True)))
    worker.start()
    try:
        assert inside.wait(60)
        voted = threading.Thread(target=votes.set_dots, args=(db, alice.device_token, vote.id, card.id, 2))
        voted.start()
        voted.join(20)
        assert not voted.is_alive(), "the vote waited for the import"
        assert count(db, DotVote, DotVote.activity_id == vote.id) == 1  # committed while the import is open
    finally:
        release.set()
        worker.join(60)
    assert outcome and count(db, Seminar) == 2


def test_the_cli_says_so_in_its_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["archive", "import", "--help"])
    assert "--while-live" in capsys.readouterr().out
