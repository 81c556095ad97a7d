"""Participants' personal data (RGPD): export one person's data, erase it, apply retention.

What is personal here: a participant's display name, collège and table (``Participant``),
and what ties them to a device (the hash of the tablet's token). Cards, votes and ratings
are the seminar's work: they stay when a person is anonymised, tied to "Participant n° N".

- ``export_participant`` gathers one person's data as a JSON-ready dict (name, collège,
  table, their cards, dot votes, ratings, robustness verdicts, proposed links, trajectories).
- ``erase_participant`` anonymises one person now: the name becomes "Participant n° N"
  (N: their rank of arrival in the seminar), the device token is replaced by a random value
  no device holds (the tablet can no longer act as them), and the seminar's snapshots and
  archives on this server are rewritten the same way (``scrub_files``). The collège and
  the table are kept: they carry the report's counts by collège and by table.
- ``apply_retention`` does the same to every participant of every seminar whose retention
  period (``Seminar.retention_months`` after the seminar's end) is over. Idempotent: an
  anonymised participant is never touched again.

Domain layer: no UI; the console, the CLI and the server's daily job call these functions.
"""

from __future__ import annotations

import json
import logging
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop import clock, config
from workshop.db import Database
from workshop.files import write_json_durably
from workshop.errors import Invalid
from workshop.models import (
    Activity,
    Card,
    DotVote,
    Group,
    Link,
    Participant,
    Rating,
    RobustnessRating,
    Seminar,
    SeminarDay,
    Trajectory,
)
from workshop.services._common import get, get_seminar, hash_token, new_token, publish

log = logging.getLogger(__name__)

DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 120
#: What a name becomes. The same words in every language: it is stored, not translated.
PSEUDONYM = "Participant n° {number}"
_PSEUDONYM_RE = re.compile(r"^Participant n° \d+$")
EXPORT_FORMAT = "visions21-participant-data"


def pseudonym(number: int) -> str:
    return PSEUDONYM.format(number=number)


def is_pseudonym(name: str) -> bool:
    return bool(_PSEUDONYM_RE.match(name or ""))


# --- export ---------------------------------------------------------------------------------


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return value.isoformat()


def export_participant(db: Database, seminar_id: int, participant_id: int) -> dict[str, Any]:
    """Everything the app holds about one participant of one seminar, JSON-ready."""
    with db.read() as session:
        seminar = get_seminar(session, seminar_id)
        person = get(session, Participant, participant_id, seminar_id=seminar_id, what="participant")
        group = session.get(Group, person.group_id) if person.group_id else None
        titles = dict(session.execute(select(Activity.id, Activity.title)
                                      .where(Activity.seminar_id == seminar_id)).all())
        card_texts = dict(session.execute(select(Card.id, Card.text).where(Card.seminar_id == seminar_id)).all())

        def card_ref(card_id: int | None) -> dict[str, Any] | None:
            return None if card_id is None else {"id": card_id, "text": card_texts.get(card_id, "")}

        cards = [{
            "id": c.id, "kind": c.kind.value, "text": c.text, "details": c.details,
            "activity": titles.get(c.activity_id) if c.activity_id else None,
            "hidden": c.hidden, "withdrawn": c.withdrawn, "merged_into": c.merged_into_id,
            "created_at": _iso(c.created_at), "updated_at": _iso(c.updated_at),
        } for c in session.scalars(select(Card).where(Card.seminar_id == seminar_id, Card.author_id == person.id)
                                   .order_by(Card.id))]
        dot_votes = [{
            "activity": titles.get(v.activity_id), "card": card_ref(v.card_id), "dots": v.dots,
            "updated_at": _iso(v.updated_at),
        } for v in session.scalars(select(DotVote).where(DotVote.participant_id == person.id).order_by(DotVote.id))]
        ratings = [{
            "activity": titles.get(r.activity_id), "card": card_ref(r.card_id), "criterion": r.criterion,
            "value": r.value, "updated_at": _iso(r.updated_at),
        } for r in session.scalars(select(Rating).where(Rating.participant_id == person.id).order_by(Rating.id))]
        robustness = [{
            "activity": titles.get(r.activity_id), "challenge": card_ref(r.challenge_id),
            "action": card_ref(r.action_id), "verdict": r.verdict.value, "reason": r.reason,
            "updated_at": _iso(r.updated_at),
        } for r in session.scalars(select(RobustnessRating).where(RobustnessRating.participant_id == person.id)
                                   .order_by(RobustnessRating.id))]
        links = [{
            "source": card_ref(link.source_id), "target": card_ref(link.target_id),
            "relation": link.relation.value, "weight": link.weight, "note": link.note,
            "status": link.status.value, "created_at": _iso(link.created_at),
        } for link in session.scalars(select(Link).where(Link.seminar_id == seminar_id,
                                                         Link.proposed_by_id == person.id).order_by(Link.id))]
        trajectories = [{
            "title": t.title, "target": card_ref(t.target_card_id), "created_at": _iso(t.created_at),
            "steps": [{"year": s.year, "title": s.title, "description": s.description} for s in t.steps],
        } for t in session.scalars(select(Trajectory).where(Trajectory.seminar_id == seminar_id,
                                                            Trajectory.created_by_id == person.id)
                                   .order_by(Trajectory.id))]
        return {
            "format": EXPORT_FORMAT,
            "version": 1,
            "exported_at": _iso(clock.now()),
            "seminar": {"id": seminar.id, "title": seminar.title, "territory": seminar.territory,
                        "retention_months": seminar.retention_months},
            "participant": {
                "id": person.id, "display_name": person.display_name, "college": person.college.value,
                "table": group.name if group else None, "joined_at": _iso(person.joined_at),
                "last_seen_at": _iso(person.last_seen_at), "anonymised_at": _iso(person.anonymised_at),
            },
            "cards": cards,
            "dot_votes": dot_votes,
            "ratings": ratings,
            "robustness_ratings": robustness,
            "proposed_links": links,
            "trajectories": trajectories,
        }


def export_participant_json(db: Database, seminar_id: int, participant_id: int) -> str:
    return json.dumps(export_participant(db, seminar_id, participant_id), ensure_ascii=False, indent=2) + "\n"


def export_file_name(seminar_id: int, participant_id: int) -> str:
    return f"donnees-participant-{int(seminar_id)}-{int(participant_id)}.json"


# --- anonymising ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anonymised:
    seminar_id: int
    participant_id: int
    pseudonym: str
    device_token_hash: str
    files_rewritten: int = 0
    files_deleted: int = 0


def _number(session: Session, person: Participant) -> int:
    """The person's rank of arrival in the seminar, or past the last pseudonym if that one is taken."""
    rank = session.scalar(select(func.count()).select_from(Participant).where(
        Participant.seminar_id == person.seminar_id, Participant.id <= person.id)) or 1
    taken = set(session.scalars(select(Participant.display_name).where(
        Participant.seminar_id == person.seminar_id, Participant.id != person.id)))
    number = rank
    while pseudonym(number) in taken:
        number += 1
    return number


def _anonymise(session: Session, person: Participant) -> Anonymised:
    if not is_pseudonym(person.display_name):  # an imported archive may already hold one
        person.display_name = pseudonym(_number(session, person))
    if person.anonymised_at is None:
        # A fresh token's hash: no device holds the token, so no tablet can act as this person.
        person.device_token_hash = hash_token(new_token())
        person.anonymised_at = clock.now()
    person.join_source = None  # the keyed hash of the address it joined from (burst flags)
    return Anonymised(person.seminar_id, person.id, person.display_name, person.device_token_hash)


def _overwrite_old_values(db: Database, session: Session) -> None:
    """SQLite: zero the bytes of replaced values in the file (``secure_delete``) for this write."""
    if db.is_sqlite:
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")


def _end_overwrite(db: Database, session: Session) -> None:
    if db.is_sqlite:
        session.connection().exec_driver_sql("PRAGMA secure_delete=OFF")


def _checkpoint(db: Database) -> None:
    """SQLite: copy the write-ahead log into the database and empty it, so no old page
    holding a name stays in the ``-wal`` file. Best effort: a reader in the middle of a
    transaction can keep it from finishing; the daily run tries again."""
    if not db.is_sqlite:
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    except Exception:
        log.warning("could not checkpoint the SQLite write-ahead log", exc_info=True)
    finally:
        raw.close()


def erase_participant(db: Database, seminar_id: int, participant_id: int, *,
                      snapshots_dir: Path | None = None, exports_dir: Path | None = None) -> Anonymised:
    """Anonymise one participant now (on their request), in the database and in files.

    Repeating it changes nothing more (the pseudonym and the dropped token stay).
    """
    with db.write() as session:
        get_seminar(session, seminar_id)
        person = get(session, Participant, participant_id, seminar_id=seminar_id, what="participant")
        _overwrite_old_values(db, session)
        done = _anonymise(session, person)
        session.flush()
        _end_overwrite(db, session)
    _checkpoint(db)
    publish(seminar_id, "participant.changed", participant_id=participant_id)
    rewritten, deleted = scrub_files(db, seminar_id, snapshots_dir=snapshots_dir, exports_dir=exports_dir)
    log.info("participant %s of seminar %s anonymised on request", participant_id, seminar_id)
    return Anonymised(done.seminar_id, done.participant_id, done.pseudonym, done.device_token_hash,
                      rewritten, deleted)


# --- retention --------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, the 31st becoming the month's last day when needed."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def seminar_end(session: Session, seminar: Seminar) -> date:
    """The seminar's last day: the latest of its dated days, its activities' ends and its creation."""
    candidates = [seminar.created_at.astimezone(timezone.utc).date()]
    last_day = session.scalar(select(func.max(SeminarDay.date)).where(SeminarDay.seminar_id == seminar.id))
    if last_day is not None:
        candidates.append(last_day)
    ended = session.scalar(select(func.max(Activity.ended_at)).where(Activity.seminar_id == seminar.id))
    if ended is not None:
        if ended.tzinfo is None:
            ended = ended.replace(tzinfo=timezone.utc)
        candidates.append(ended.astimezone(timezone.utc).date())
    return max(candidates)


@dataclass(frozen=True)
class Retention:
    seminar_id: int
    title: str
    territory: str
    months: int
    seminar_end: date
    names_until: date  # the last day names are kept; replaced from the day after
    named: int  # participants still under their name
    anonymised: int


def retention_deadline(end: date, months: int) -> date:
    return add_months(end, months)


def _retention(session: Session, seminar: Seminar) -> Retention:
    end = seminar_end(session, seminar)
    counts = dict(session.execute(
        select(Participant.anonymised_at.is_(None), func.count()).where(Participant.seminar_id == seminar.id)
        .group_by(Participant.anonymised_at.is_(None))).all())
    return Retention(seminar.id, seminar.title, seminar.territory, seminar.retention_months, end,
                     retention_deadline(end, seminar.retention_months), counts.get(True, 0), counts.get(False, 0))


def retention_of(db: Database, seminar_id: int) -> Retention:
    with db.read() as session:
        return _retention(session, get_seminar(session, seminar_id))


def list_retention(db: Database) -> list[Retention]:
    with db.read() as session:
        return [_retention(session, s) for s in session.scalars(select(Seminar).order_by(Seminar.id))]


def set_retention(db: Database, seminar_id: int, months: int | str) -> Retention:
    """Change how many months after its end a seminar keeps participants' names."""
    try:
        value = int(str(months).strip())
    except (TypeError, ValueError):
        raise Invalid("retention_not_a_number", value=str(months)[:20]) from None
    if not 0 <= value <= MAX_RETENTION_MONTHS:
        raise Invalid("retention_out_of_range", max=MAX_RETENTION_MONTHS, value=value)
    with db.write() as session:
        seminar = get_seminar(session, seminar_id)
        seminar.retention_months = value
    publish(seminar_id, "seminar.changed")
    return retention_of(db, seminar_id)


@dataclass(frozen=True)
class RetentionRun:
    seminars: list[int]  # seminars where names were replaced this time
    participants: int
    files_rewritten: int
    files_deleted: int


def apply_retention(db: Database, *, today: date | None = None, snapshots_dir: Path | None = None,
                    exports_dir: Path | None = None) -> RetentionRun:
    """Replace the names of every seminar past its retention period; idempotent.

    A seminar is due the day after ``names_until``. Its snapshots and archives on this
    server are rewritten too. The files of every seminar with an anonymised participant are
    checked at each run, so a snapshot written while a name was being erased, or a run
    stopped between the database and the files, is caught the next day.
    """
    today = today or clock.now().astimezone(timezone.utc).date()
    due: list[int] = []
    changed: list[int] = []
    count = 0
    with db.read() as session:
        for seminar in session.scalars(select(Seminar).order_by(Seminar.id)):
            if today > retention_deadline(seminar_end(session, seminar), seminar.retention_months):
                due.append(seminar.id)
    for seminar_id in due:
        with db.write() as session:
            named = list(session.scalars(select(Participant).where(
                Participant.seminar_id == seminar_id, Participant.anonymised_at.is_(None)).order_by(Participant.id)))
            _overwrite_old_values(db, session)
            for person in named:
                _anonymise(session, person)
            session.flush()
            _end_overwrite(db, session)
        if named:
            changed.append(seminar_id)
            count += len(named)
            publish(seminar_id, "participant.changed")
    if count:
        _checkpoint(db)
    rewritten = deleted = 0
    with db.read() as session:  # also seminars where someone was erased on request
        scrub = sorted(set(due) | set(session.scalars(select(Participant.seminar_id).where(
            Participant.anonymised_at.is_not(None)).distinct())))
    for seminar_id in scrub:
        r, d = scrub_files(db, seminar_id, snapshots_dir=snapshots_dir, exports_dir=exports_dir)
        rewritten, deleted = rewritten + r, deleted + d
    if count or rewritten or deleted:
        log.info("retention: %s participants anonymised in %s seminars, %s files rewritten, %s deleted",
                 count, len(changed), rewritten, deleted)
    return RetentionRun(changed, count, rewritten, deleted)


# --- snapshots and archives on disk -----------------------------------------------------------


def _anonymised_people(db: Database, seminar_id: int) -> tuple[Seminar, dict[int, Participant]]:
    with db.read() as session:
        seminar = get_seminar(session, seminar_id)
        people = {p.id: p for p in session.scalars(select(Participant).where(
            Participant.seminar_id == seminar_id, Participant.anonymised_at.is_not(None)))}
        return seminar, people


def _same_seminar(data: dict[str, Any], seminar: Seminar) -> bool:
    """An archive taken from this database's seminar (same id, join code and creation time)."""
    from workshop.archive.exporting import _value
    from workshop.archive.schema import FORMAT

    head = data.get("seminar") if isinstance(data, dict) else None
    return (isinstance(head, dict) and data.get("format") == FORMAT and head.get("id") == seminar.id
            and head.get("join_code") == seminar.join_code and head.get("created_at") == _value(seminar.created_at))


def _rewrite(data: dict[str, Any], people: dict[int, Participant]) -> bool:
    changed = False
    for row in data.get("participants") or []:
        person = people.get(row.get("id")) if isinstance(row, dict) else None
        if person is None:
            continue
        if row.get("display_name") != person.display_name or row.get("device_token_hash") != person.device_token_hash:
            row["display_name"] = person.display_name
            row["device_token_hash"] = person.device_token_hash
            changed = True
    return changed


def scrub_files(db: Database, seminar_id: int, *, snapshots_dir: Path | None = None,
                exports_dir: Path | None = None) -> tuple[int, int]:
    """Rewrite this seminar's snapshots and archives on this server with the pseudonyms.

    Snapshots (``<data dir>/snapshots/<seminar id>/``) and archives written by ``workshop
    archive export`` into the exports folder are rewritten in place (whole or not at all);
    a snapshot that cannot be read as JSON is deleted, since it cannot be rewritten.
    Returns (files rewritten, files deleted).
    """
    from workshop.snapshots import snapshots_dir as default_snapshots

    seminar, people = _anonymised_people(db, seminar_id)
    if not people:
        return 0, 0
    rewritten = deleted = 0
    folder = (snapshots_dir or default_snapshots()) / str(int(seminar_id))
    snapshot_files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    for path in snapshot_files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
            deleted += 1
            continue
        if _same_seminar(data, seminar) and _rewrite(data, people):
            write_json_durably(path, data, indent=1)
            rewritten += 1
    archives = exports_dir or config.exports_dir()
    for path in sorted(archives.rglob("*.json")) if archives.is_dir() else []:
        if path.name.startswith("."):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not ours to delete: only files this app wrote and can read
        if _same_seminar(data, seminar) and _rewrite(data, people):
            write_json_durably(path, data, indent=2)
            rewritten += 1
    return rewritten, deleted


# --- the server's daily run -------------------------------------------------------------------


class RetentionJob:
    """Runs ``apply_retention`` when the server starts, then every ``hours`` (default 24).

    One background thread; a failed run is logged and tried again at the next period.
    """

    def __init__(self, db: Database | None = None, *, hours: float = 24.0) -> None:
        import threading

        self._db = db
        self.hours = hours
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs: list[RetentionRun] = []

    def start(self) -> None:
        import threading

        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="workshop-retention", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self) -> RetentionRun | None:
        from workshop.db import get_database

        try:
            run = apply_retention(self._db or get_database())
        except Exception:
            log.exception("applying the retention period failed; tried again at the next run")
            return None
        self.runs.append(run)
        return run

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.hours * 3600)


retention_job = RetentionJob()
