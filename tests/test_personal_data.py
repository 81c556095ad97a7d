"""Participants' personal data (RGPD): export, erasure on request, retention period.

The central test erases "Zoé Testname" and then looks for her in every place the app
writes: every text column of the database (and the SQLite file's bytes), the snapshots,
the archives, and every export (report HTML, PDF, DOCX, open data CSV, spreadsheet CSV, XLSX).
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import JSON, String, Text, select

from seminar_helpers import count, open_activity
from workshop import cli, snapshots
from workshop.archive import check_archive, import_seminar, write_archive
from workshop.db import set_database
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import Base, Card, CardKind, College, DotVote, Interaction, Participant, Rating
from workshop.services import cards, participants, personal_data, seminars, votes
from workshop.services.personal_data import (
    add_months,
    apply_retention,
    erase_participant,
    export_participant,
    retention_of,
    set_retention,
)

NAME = "Zoé Testname"
NEEDLE = "testname"  # her surname, lower-cased: also found inside escaped or re-cased text


@pytest.fixture(autouse=True)
def clock(fake_clock):
    """These tests happen on the seminar's second day (4 December 2026): its end, the retention
    deadline and « today » are then the same whatever day the suite runs."""
    fake_clock.current = datetime(2026, 12, 4, 15, 0, tzinfo=timezone.utc)
    return fake_clock


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """The data directory (snapshots) and the exports folder (archives, reports) of this test."""
    data, exports = tmp_path / "data", tmp_path / "exports"
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data))
    monkeypatch.setenv("WORKSHOP_EXPORTS_DIR", str(exports))
    return data, exports


@pytest.fixture
def zoe(db, seminar, join):
    """Zoé at Table 2 writes a stake, puts dots on it and rates a card; Alice is there too."""
    sid = seminar.seminar_id
    table = seminars.get_seminar_by_id(db, sid).groups[1]
    alice = join("Alice", College.RESIDENT)
    zoe = join(NAME, College.ELECTED, table.id)
    act = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    mine = cards.contribute(db, zoe.device_token, act.id, kind=CardKind.STAKE, text="Des berges ouvertes à tous").id
    theirs = cards.contribute(db, alice.device_token, act.id, kind=CardKind.STAKE, text="Une eau de qualité").id
    vote = open_activity(db, sid, Interaction.DOT_VOTE, where=lambda a: a.vote_budget)
    votes.set_dots(db, zoe.device_token, vote.id, theirs, 1)
    votes.set_dots(db, alice.device_token, vote.id, mine, 1)
    rate = open_activity(db, sid, Interaction.RATE)
    rated_kind = rate.card_kinds[0]
    rated = cards.add_card(db, sid, kind=rated_kind, text="Sécheresses plus longues").id
    votes.rate(db, zoe.device_token, rate.id, rated, rate.criteria[0], 4)
    return sid, zoe, alice, table, mine


# --- export ---------------------------------------------------------------------------------


def test_export_holds_the_name_college_table_cards_votes_and_ratings(db, zoe):
    sid, person, _alice, table, mine = zoe
    data = export_participant(db, sid, person.participant_id)
    assert data["participant"]["display_name"] == NAME
    assert data["participant"]["college"] == "elected"
    assert data["participant"]["table"] == table.name
    assert [c["text"] for c in data["cards"]] == ["Des berges ouvertes à tous"]
    assert [(v["card"]["text"], v["dots"]) for v in data["dot_votes"]] == [("Une eau de qualité", 1)]
    assert [(r["card"]["text"], r["value"]) for r in data["ratings"]] == [("Sécheresses plus longues", 4)]
    json.dumps(data)  # JSON-ready as it is


def test_export_refuses_a_participant_of_another_seminar(db, zoe, kit, two_days):
    sid, person, *_ = zoe
    other = seminars.create_seminar(db, title="Autre", territory="Creil", horizon_year=2050, run_sheet=two_days,
                                    kit=kit, facilitator_secret="autre-secret-2026")
    with pytest.raises(NotFound):
        export_participant(db, other.seminar_id, person.participant_id)
    with pytest.raises(NotFound):
        erase_participant(db, other.seminar_id, person.participant_id)
    assert _names(db, sid) == {"Alice", NAME}


# --- erasure ----------------------------------------------------------------------------------


def _names(db, sid) -> set[str]:
    return {p.display_name for p in participants.list_participants(db, sid)}


def test_erasure_replaces_the_name_cuts_the_tablet_off_and_keeps_the_work(db, zoe, folders):
    sid, person, alice, table, mine = zoe
    cards_before, dots_before, ratings_before = count(db, Card), count(db, DotVote), count(db, Rating)
    with db.write() as session:  # as if she had joined from a browser: the keyed hash of its address
        session.get(Participant, person.participant_id).join_source = "0123456789abcdef"
    done = erase_participant(db, sid, person.participant_id)
    assert done.pseudonym == "Participant n° 2"  # the second to arrive
    assert _names(db, sid) == {"Alice", "Participant n° 2"}
    with pytest.raises(Forbidden):
        participants.resume(db, person.device_token)  # her tablet no longer acts as her
    participants.resume(db, alice.device_token)
    assert (count(db, Card), count(db, DotVote), count(db, Rating)) == (cards_before, dots_before, ratings_before)
    with db.read() as session:
        kept = session.get(Participant, person.participant_id)
        assert (kept.college, kept.group_id) == (College.ELECTED, table.id)
        assert kept.join_source is None  # nothing left that points at her browser's address
        assert session.get(Card, mine).author_id == person.participant_id
    data = export_participant(db, sid, person.participant_id)
    assert data["participant"]["display_name"] == "Participant n° 2" and data["participant"]["anonymised_at"]
    assert [c["text"] for c in data["cards"]] == ["Des berges ouvertes à tous"]
    again = erase_participant(db, sid, person.participant_id)  # a second request changes nothing
    assert (again.pseudonym, again.device_token_hash) == (done.pseudonym, done.device_token_hash)


def _text_columns():
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text, JSON)) or "JSON" in type(column.type).__name__:
                yield table, column


def _database_hits(db) -> list[str]:
    hits = []
    with db.read() as session:
        for table, column in _text_columns():
            for value in session.execute(select(column)).scalars():
                if value is not None and NEEDLE in json.dumps(value, ensure_ascii=False).casefold():
                    hits.append(f"{table.name}.{column.name}")
    return hits


def _texts_of(path: Path) -> list[str]:
    """Every text a file holds: zip members (CSV, DOCX, XLSX) unpacked, PDF text extracted."""
    raw = path.read_bytes()
    texts = [raw.decode("utf-8", "replace")]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            texts += [archive.read(name).decode("utf-8-sig", "replace") for name in archive.namelist()]
    if raw.startswith(b"%PDF"):
        texts += [page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages]
    return texts


def _file_hits(*roots: Path) -> list[str]:
    return [str(path) for root in roots for path in sorted(root.rglob("*")) if path.is_file()
            and any(NEEDLE in text.casefold() for text in _texts_of(path))]


def test_an_erased_name_appears_nowhere(db, zoe, folders):
    from workshop.reports import export_report

    sid, person, *_ = zoe
    data_dir, exports = folders
    formats = ["html", "docx", "csv", "csv-tableur", "xlsx"] + (["pdf"] if db.is_sqlite else [])
    older = snapshots.take_snapshot(db, sid)
    archive = write_archive(db, sid)
    before = export_report(db, sid, formats, exports / "before")
    # the test can fail: the name is there before the erasure (not in the reports: they never print names)
    assert sorted(_file_hits(data_dir, exports)) == sorted([str(archive), str(older)])
    assert _database_hits(db) == ["participants.display_name"]

    done = erase_participant(db, sid, person.participant_id)
    assert done.files_rewritten == 2
    snapshots.take_snapshot(db, sid)
    write_archive(db, sid)
    after = export_report(db, sid, formats, exports / "after")
    assert set(before) == set(after) == set(formats)

    assert _database_hits(db) == []
    assert _file_hits(data_dir, exports) == []
    if db.is_sqlite:  # not even in the bytes of the file or of its write-ahead log
        db_file = Path(db.engine.url.database)
        for path in (db_file, db_file.with_name(db_file.name + "-wal")):
            found = path.exists() and NEEDLE.encode() in path.read_bytes().lower()
            assert not found, f"the name is still in the bytes of {path.name}"
    # the rewritten snapshot and archive are still whole archives, and restore with the pseudonym
    for path in (older, archive):
        data = json.loads(path.read_text(encoding="utf-8"))
        check_archive(data)
        assert "Participant n° 2" in {p["display_name"] for p in data["participants"]}
    restored = import_seminar(db, older)
    assert _names(db, restored.seminar_id) == {"Alice", "Participant n° 2"}


def test_files_of_other_seminars_and_unreadable_snapshots(db, zoe, folders, join, seminar):
    sid, person, *_ = zoe
    data_dir, exports = folders
    copy = import_seminar(db, write_archive(db, sid, exports / "copy.json"))  # a second seminar holding Zoé
    other_snapshot = snapshots.take_snapshot(db, copy.seminar_id)
    broken = data_dir / "snapshots" / str(sid) / "20260101T000000.000000Z.json"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('{"participants": [{"display_name": "' + NAME, encoding="utf-8")
    done = erase_participant(db, sid, person.participant_id)
    assert (done.files_rewritten, done.files_deleted) == (1, 1)  # copy.json rewritten, the broken one deleted
    assert not broken.exists()
    # the copy is another seminar with its own participant: erased only when asked for there
    assert NEEDLE in other_snapshot.read_text(encoding="utf-8").casefold()
    assert NAME in _names(db, copy.seminar_id)


# --- retention --------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(date(2026, 12, 4), 12) == date(2027, 12, 4)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 4), 0) == date(2026, 12, 4)


def test_retention_replaces_names_the_day_after_the_period_and_only_once(db, zoe, folders):
    sid, person, alice, *_ = zoe
    snapshot = snapshots.take_snapshot(db, sid)
    info = retention_of(db, sid)
    assert (info.months, info.seminar_end) == (12, date(2026, 12, 4))  # the seminar's last day
    assert info.names_until == date(2027, 12, 4)
    dots = count(db, DotVote)

    assert apply_retention(db, today=date(2027, 12, 4)).participants == 0
    assert _names(db, sid) == {"Alice", NAME}

    run = apply_retention(db, today=date(2027, 12, 5))
    assert (run.seminars, run.participants, run.files_rewritten) == ([sid], 2, 1)
    assert _names(db, sid) == {"Participant n° 1", "Participant n° 2"}
    assert count(db, DotVote) == dots
    assert NEEDLE not in snapshot.read_text(encoding="utf-8").casefold()
    with pytest.raises(Forbidden):
        participants.resume(db, alice.device_token)

    with db.read() as session:
        stamps = {p.id: (p.display_name, p.device_token_hash, p.anonymised_at)
                  for p in session.scalars(select(Participant))}
    again = apply_retention(db, today=date(2028, 6, 1))
    assert (again.seminars, again.participants, again.files_rewritten) == ([], 0, 0)
    with db.read() as session:
        assert stamps == {p.id: (p.display_name, p.device_token_hash, p.anonymised_at)
                          for p in session.scalars(select(Participant))}


def test_a_shorter_retention_period_applies_at_the_next_run(db, zoe, folders):
    sid, *_ = zoe
    assert set_retention(db, sid, "0").names_until == date(2026, 12, 4)
    assert apply_retention(db, today=date(2026, 12, 4)).participants == 0  # the last day still has names
    assert apply_retention(db, today=date(2026, 12, 5)).participants == 2


@pytest.mark.parametrize("months", ["-1", "121", "douze", "", "3.5"])
def test_a_bad_retention_period_is_refused_and_changes_nothing(db, zoe, months):
    sid, *_ = zoe
    with pytest.raises(Invalid) as refused:
        set_retention(db, sid, months)
    assert "mois" in refused.value.message("fr")
    assert retention_of(db, sid).months == 12


def test_an_archived_pseudonym_is_kept_not_renumbered(db, zoe, folders):
    sid, person, *_ = zoe
    erase_participant(db, sid, person.participant_id)
    copy = import_seminar(db, write_archive(db, sid))
    apply_retention(db, today=date(2030, 1, 1))
    assert _names(db, copy.seminar_id) == {"Participant n° 1", "Participant n° 2"}


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def as_default(db):
    set_database(db)
    yield db
    set_database(None)


def test_cli_exports_then_erases_a_participant(db, zoe, folders, as_default, capsys, tmp_path, monkeypatch):
    sid, person, *_ = zoe
    assert cli.main(["participants", "list", str(sid)]) == 0
    assert NAME in capsys.readouterr().out
    assert cli.main(["participants", "export", str(sid), str(person.participant_id)]) == 0
    assert json.loads(capsys.readouterr().out)["participant"]["display_name"] == NAME
    target = tmp_path / "zoe.json"
    assert cli.main(["participants", "export", str(sid), str(person.participant_id), "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["participant"]["table"] == "Table 2"

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no confirmation possible
    assert cli.main(["participants", "erase", str(sid), str(person.participant_id)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert NAME in _names(db, sid)
    assert cli.main(["participants", "erase", str(sid), str(person.participant_id), "--yes"]) == 0
    assert "Participant n° 2" in capsys.readouterr().out
    assert NAME not in _names(db, sid)
    assert cli.main(["participants", "erase", str(sid), "999999", "--yes"]) == 1
    assert "Introuvable" in capsys.readouterr().err


def test_cli_sets_lists_and_applies_retention(db, zoe, folders, as_default, capsys, clock):
    sid, *_ = zoe
    assert cli.main(["retention", "set", str(sid), "200"]) == 1
    assert "120" in capsys.readouterr().err
    assert cli.main(["retention", "set", str(sid), "1"]) == 0
    assert "04/01/2027" in capsys.readouterr().out
    assert cli.main(["retention", "list"]) == 0
    assert "conservation 1 mois" in capsys.readouterr().out
    assert cli.main(["retention", "apply"]) == 0  # today decides: the names are kept until 4 January
    assert "Conservation appliquée" in capsys.readouterr().out
    assert count(db, Participant, Participant.anonymised_at.is_not(None)) == 0
    clock.current = datetime(2027, 1, 5, 8, 0, tzinfo=timezone.utc)
    assert cli.main(["retention", "apply"]) == 0
    assert "Conservation appliquée" in capsys.readouterr().out
    assert count(db, Participant, Participant.anonymised_at.is_not(None)) == 2


def test_the_daily_job_runs_at_start(db, zoe, folders, fake_clock):
    sid, *_ = zoe
    set_retention(db, sid, 0)
    fake_clock.current = fake_clock.current.replace(year=2030)
    job = personal_data.RetentionJob(db, hours=24)
    job.start()
    try:
        for _ in range(200):
            if job.runs:
                break
            time.sleep(0.05)
    finally:
        job.stop()
    assert job.runs and job.runs[0].participants == 2
    assert _names(db, sid) == {"Participant n° 1", "Participant n° 2"}


def test_an_archive_with_a_bad_retention_period_is_refused(db, zoe, folders):
    from workshop.archive import ArchiveError, export_seminar

    sid, *_ = zoe
    data = export_seminar(db, sid)
    assert data["seminar"]["retention_months"] == 12
    data["seminar"]["retention_months"] = 500
    before = len(seminars.list_seminars(db))
    with pytest.raises(ArchiveError) as refused:
        import_seminar(db, data)
    assert "retention_months" in refused.value.message("fr") or "retention_months" in str(refused.value.params)
    assert len(seminars.list_seminars(db)) == before
    del data["seminar"]["retention_months"]  # archives written before the setting existed
    for row in data["participants"]:
        del row["anonymised_at"]
    copy = import_seminar(db, data)
    assert retention_of(db, copy.seminar_id).months == 12
