"""Read a JSON archive back into a database, as a new seminar, or refuse it and change nothing.

Order of the checks: the file must be JSON, then match the published JSON Schema, then
every reference must point inside the archive, then every rule the services enforce must
hold (``rules.check_rules``: lengths, link kinds, dot budgets…; texts are cleaned of
invisible characters as the services clean them, and the result says which); only then is
anything written, in one unit of work. Every row gets a new id from the target database; references are remapped,
including inside moderation payloads (see ``references.map_payload``). Ids in a payload
that name rows which no longer existed when the archive was written (a link deleted since,
a removed trajectory step) become negative placeholders, which never match a live row, so
undoing that step behaves as it would have on the original machine.

Importing is additive: importing the same archive twice gives two seminars. The join code
is kept unless another seminar of the target already uses it (then a new one is drawn);
a device token hash already in use on the target (same archive imported twice on one
server) is replaced, and that participant joins again from a tablet.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from workshop.archive.errors import ArchiveError
from workshop.archive.publication import check_publication, insert_publication
from workshop.archive.references import check_references, map_payload, parse_date, parse_datetime
from workshop.archive.rules import check_rules
from workshop.archive.schema import validate
from workshop.archive.sorting import insert_sorting
from workshop.db import Database
from workshop.models import (
    Activity,
    ActivityState,
    Card,
    DotVote,
    Group,
    Link,
    ModerationStep,
    Participant,
    Rating,
    RobustnessRating,
    Seminar,
    SeminarDay,
    Theme,
    Trajectory,
    TrajectoryStep,
)
from workshop.services._common import hash_token, new_token, publish


@dataclass(frozen=True)
class ImportResult:
    seminar_id: int
    join_code: str
    original_join_code: str
    reissued_device_tokens: int = 0  # participants who must join again from their tablet
    counts: dict[str, int] = field(default_factory=dict)
    cleaned: tuple[str, ...] = ()  # JSON paths of texts cleaned of invisible characters, as services do

    @property
    def join_code_changed(self) -> bool:
        return self.join_code != self.original_join_code


def read_archive(source: str | os.PathLike) -> Any:
    """The parsed JSON of an archive file (not yet checked)."""
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM left by an editor is harmless
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError("archive_unreadable", name=str(path), reason=getattr(exc, "strerror", None) or str(exc)) \
            from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArchiveError("archive_bad_json", line=exc.lineno, column=exc.colno, reason=exc.msg) from None
    except RecursionError:
        raise ArchiveError("archive_bad_json", line="?", column="?", reason="nested too deeply") from None


def check_archive(data: Any) -> tuple[dict[str, Any], list[str]]:
    """Raise an ``ArchiveError`` unless ``data`` is an archive this version can import.

    Returns the archive to write (texts cleaned as the services clean them) and the JSON
    paths of the texts that were cleaned.
    """
    data, cleaned, _images = _check(data)
    return data, cleaned


def _insert_publication(session: Session, seminar_id: int, data: dict[str, Any], images: dict) -> None:
    """Report texts, identity and photos of the archive (``archive.publication``); a photo's
    activity is found again by its position in the run sheet (unique per seminar)."""
    positions = {a["id"]: a["position"] for a in data["activities"]}
    new_ids = dict(session.execute(select(Activity.position, Activity.id).where(Activity.seminar_id == seminar_id)).all())
    insert_publication(session, seminar_id, data, images,
                       lambda old: None if old is None else new_ids[positions[old]], _dt)


def _images(data: dict[str, Any]) -> dict:
    problems: list[ArchiveError] = []
    images = check_publication(data, problems)
    if problems:
        first = problems[0]
        raise ArchiveError(first.code, others=len(problems) - 1, **first.params)
    return images


def _check(data: Any) -> tuple[dict[str, Any], list[str], dict]:
    """``check_archive``, plus the archive's images (logos, photos) decoded and re-encoded as
    an upload would be (``archive.publication``), for the import to write."""
    validate(data)
    check_references(data)
    data, cleaned = check_rules(data)
    return data, cleaned, _images(data)


def live_seminar(session: Session) -> tuple[int, str] | None:
    """A seminar of this database with an activity open right now (its id and title), if any."""
    row = session.execute(select(Seminar.id, Seminar.title).join(Activity, Activity.seminar_id == Seminar.id)
                          .where(Activity.state == ActivityState.OPEN).order_by(Seminar.id).limit(1)).first()
    return None if row is None else (row[0], row[1])


def _refuse_if_live(db: Database, session: Session) -> None:
    # SQLite has one writer at a time: the import's single transaction would hold every vote
    # of a running seminar until it ends (14 s for a 65 MB archive). PostgreSQL locks rows,
    # and the import only adds rows of its own: votes go on.
    if not db.is_sqlite:
        return
    live = live_seminar(session)
    if live is not None:
        raise ArchiveError("archive_needs_idle", seminar=live[0], title=live[1])


def import_seminar(db: Database, data_or_path: dict[str, Any] | str | os.PathLike, *,
                   refuse_if_live: bool = False) -> ImportResult:
    """Create a new seminar from an archive (a parsed dict or a file path); all or nothing.

    Always a new seminar: importing the same archive twice gives two seminars. With
    ``refuse_if_live`` (the command line's default), an import into a SQLite database where
    an activity is open is refused before anything is read, and again once the write lock is
    taken (an activity opened meanwhile): the one transaction would make the room's votes wait.
    """
    if refuse_if_live:
        with db.read() as session:
            _refuse_if_live(db, session)
    data = read_archive(data_or_path) if isinstance(data_or_path, (str, os.PathLike)) else data_or_path
    data, cleaned = check_archive(data)
    images = _images(data)  # decoded again (already at most 1,600 px: a few ms each), to be written
    last: Exception | None = None
    for _attempt in range(3):  # a join code or token hash taken concurrently: try again
        try:
            with db.write() as session:
                if refuse_if_live:
                    _refuse_if_live(db, session)
                result = replace(_insert(session, data), cleaned=tuple(cleaned))
                _insert_publication(session, result.seminar_id, data, images)
        except IntegrityError as exc:
            last = exc
            continue
        except SQLAlchemyError as exc:
            raise ArchiveError("archive_database", reason=_short(exc)) from exc
        publish(result.seminar_id, "seminar.created")
        return result
    raise ArchiveError("archive_database", reason=_short(last)) from last


def _short(exc: Exception | None) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]


class _Ids:
    """Archive-local id -> new id, per collection; unknown history ids get negative placeholders."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[int, int]] = {}
        self.placeholders: dict[str, dict[int, int]] = {}

    def add(self, collection: str, old: int, new: int) -> None:
        self.maps.setdefault(collection, {})[old] = new

    def get(self, collection: str, old: int | None) -> int | None:
        return None if old is None else self.maps[collection][old]

    def history(self, _path: str, old: int, collection: str, strict: bool) -> int:
        known = self.maps.get(collection, {})
        if old in known:
            return known[old]
        if strict:  # check_references made sure this cannot happen
            raise KeyError((collection, old))
        placeholders = self.placeholders.setdefault(collection, {})
        return placeholders.setdefault(old, -(len(placeholders) + 1))


def _dt(value: str | None):
    return None if value is None else parse_datetime(value)


def _free_join_code(session: Session, code: str) -> str:
    from workshop.services.seminars import new_join_code

    candidate = code
    for _ in range(50):
        if session.scalar(select(Seminar.id).where(Seminar.join_code == candidate)) is None:
            return candidate
        candidate = new_join_code()
    raise ArchiveError("archive_database", reason="no free join code")


def _taken_hashes(session: Session, hashes: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(hashes), 500):
        chunk = hashes[start:start + 500]
        taken |= set(session.scalars(select(Participant.device_token_hash)
                                     .where(Participant.device_token_hash.in_(chunk))))
    return taken


def _by_id(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Rows are inserted in the order of their archive ids, so new ids keep the same order
    # (lists that sort by id, ties broken by id, read the same after an import).
    return sorted(items, key=lambda item: item["id"])


def _insert(session: Session, data: dict[str, Any]) -> ImportResult:
    ids = _Ids()
    s = data["seminar"]
    code = _free_join_code(session, s["join_code"])
    seminar = Seminar(
        title=s["title"], territory=s["territory"], horizon_year=s["horizon_year"], language=s["language"],
        join_code=code, facilitator_secret_hash=s["facilitator_secret_hash"], joining_open=s["joining_open"],
        kit_name=s["kit_name"], run_sheet_name=s["run_sheet_name"], lessons_learned=s["lessons_learned"],
        screen=dict(s["screen"]), created_at=_dt(s["created_at"]),
        retention_months=s.get("retention_months", 12),  # absent from archives before issue 15
        # absent from archives written before they were carried: no expected attendance, no cap
        expected_attendance=s.get("expected_attendance"), max_participants=s.get("max_participants"),
    )
    session.add(seminar)
    session.flush()
    sid = seminar.id

    def insert(collection: str, items: list[dict[str, Any]], build) -> None:
        objects = [(item["id"], build(item)) for item in _by_id(items)]
        session.add_all([obj for _, obj in objects])
        session.flush()
        for old, obj in objects:
            ids.add(collection, old, obj.id)

    session.add_all([SeminarDay(seminar_id=sid, number=d["number"], date=parse_date(d["date"]))
                     for d in data["days"]])
    insert("themes", data["themes"], lambda t: Theme(
        seminar_id=sid, key=t["key"], label=t["label"], color=t["color"], position=t["position"]))
    insert("groups", data["groups"], lambda g: Group(seminar_id=sid, name=g["name"], position=g["position"]))

    taken = _taken_hashes(session, [p["device_token_hash"] for p in data["participants"]])
    insert("participants", data["participants"], lambda p: Participant(
        seminar_id=sid, display_name=p["display_name"], college=p["college"], group_id=ids.get("groups", p["group_id"]),
        device_token_hash=hash_token(new_token()) if p["device_token_hash"] in taken else p["device_token_hash"],
        write_seq=p["write_seq"], joined_at=_dt(p["joined_at"]), last_seen_at=_dt(p["last_seen_at"]),
        anonymised_at=_dt(p.get("anonymised_at"))))

    insert("activities", data["activities"], lambda a: Activity(
        seminar_id=sid, position=a["position"], day=a["day"], exercise_type=a["exercise_type"],
        interaction=a["interaction"], title=a["title"], participant_instructions=a["participant_instructions"],
        facilitator_instructions=a["facilitator_instructions"], planned_minutes=a["planned_minutes"], mode=a["mode"],
        card_kinds=list(a["card_kinds"]), vote_budget=a["vote_budget"], vote_max_per_card=a["vote_max_per_card"],
        criteria=list(a["criteria"]), state=a["state"], contributions_open=a["contributions_open"],
        votes_open=a["votes_open"], started_at=_dt(a["started_at"]), ended_at=_dt(a["ended_at"]),
        paused_at=_dt(a["paused_at"]), paused_seconds=a["paused_seconds"], extended_minutes=a["extended_minutes"],
        facilitator_notes=a["facilitator_notes"], screen=a.get("screen")))

    # Cards first without their merges (a card may be merged into a later one), then the
    # merges, with updated_at given explicitly so the update does not touch it.
    insert("cards", data["cards"], lambda c: Card(
        seminar_id=sid, activity_id=ids.get("activities", c["activity_id"]), kind=c["kind"], text=c["text"],
        details=c["details"], theme_id=ids.get("themes", c["theme_id"]),
        author_id=ids.get("participants", c["author_id"]),
        group_id=ids.get("groups", c["group_id"]), hidden=c["hidden"], withdrawn=c["withdrawn"], source=c["source"],
        request_id=c["request_id"], attributes=dict(c["attributes"]), created_at=_dt(c["created_at"]),
        updated_at=_dt(c["updated_at"])))
    merges = [{"id": ids.get("cards", c["id"]), "merged_into_id": ids.get("cards", c["merged_into_id"]),
               "updated_at": _dt(c["updated_at"])} for c in data["cards"] if c["merged_into_id"] is not None]
    if merges:
        session.execute(update(Card), merges)

    def voter(item: dict[str, Any]) -> dict[str, Any]:
        return {"activity_id": ids.get("activities", item["activity_id"]),
                "participant_id": ids.get("participants", item["participant_id"])}

    insert("dot_votes", data["dot_votes"], lambda v: DotVote(
        **voter(v), card_id=ids.get("cards", v["card_id"]), dots=v["dots"], updated_at=_dt(v["updated_at"])))
    insert("ratings", data["ratings"], lambda r: Rating(
        **voter(r), card_id=ids.get("cards", r["card_id"]), criterion=r["criterion"], value=r["value"],
        updated_at=_dt(r["updated_at"])))
    insert("robustness_ratings", data["robustness_ratings"], lambda r: RobustnessRating(
        **voter(r), group_id=ids.get("groups", r["group_id"]), challenge_id=ids.get("cards", r["challenge_id"]),
        action_id=ids.get("cards", r["action_id"]), verdict=r["verdict"], reason=r["reason"],
        updated_at=_dt(r["updated_at"])))
    insert("links", data["links"], lambda k: Link(
        seminar_id=sid, source_id=ids.get("cards", k["source_id"]), target_id=ids.get("cards", k["target_id"]),
        relation=k["relation"], weight=k["weight"], note=k["note"], status=k["status"],
        proposed_by_id=ids.get("participants", k["proposed_by_id"]), created_at=_dt(k["created_at"])))
    insert("trajectories", data["trajectories"], lambda t: Trajectory(
        seminar_id=sid, target_card_id=ids.get("cards", t["target_card_id"]), title=t["title"],
        group_id=ids.get("groups", t["group_id"]), created_by_id=ids.get("participants", t["created_by_id"]),
        created_at=_dt(t["created_at"])))
    steps = [dict(step, trajectory_id=trajectory["id"]) for trajectory in data["trajectories"]
             for step in trajectory["steps"]]
    insert("steps", steps, lambda st: TrajectoryStep(
        trajectory_id=ids.get("trajectories", st["trajectory_id"]), year=st["year"], title=st["title"],
        description=st["description"], card_ids=[ids.get("cards", c) for c in st["card_ids"]]))
    insert("moderation_steps", data["moderation_steps"], lambda m: ModerationStep(
        seminar_id=sid, action=m["action"], card_ids=[ids.get("cards", c) for c in m["card_ids"]],
        payload=map_payload(m["action"], m["payload"], "$", ids.history), created_at=_dt(m["created_at"]),
        undone_at=_dt(m["undone_at"])))

    insert_sorting(session, sid, data, lambda old: ids.get("cards", old), _dt)

    screen = dict(s["screen"])
    if screen.get("focus_card_id") is not None:
        screen["focus_card_id"] = ids.get("cards", screen["focus_card_id"])
        seminar.screen = screen
    session.flush()
    counts = {name: len(data[name]) for name in ("participants", "activities", "cards", "dot_votes", "ratings",
                                                 "robustness_ratings", "links", "trajectories", "moderation_steps")}
    return ImportResult(sid, code, s["join_code"], len(taken), counts)
