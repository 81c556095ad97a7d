"""Write a whole seminar as a JSON archive (see ``schemas/seminar-archive.schema.json``)."""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
import unicodedata
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import workshop
from workshop import clock, config
from workshop.archive.schema import FORMAT, VERSION
from workshop.archive.publication import export_publication
from workshop.archive.sorting import export_sorting
from workshop.db import Database
from workshop.models import (
    Activity,
    Card,
    DotVote,
    Group,
    Link,
    ModerationStep,
    Participant,
    Rating,
    RobustnessRating,
    SeminarDay,
    Theme,
    Trajectory,
    TrajectoryStep,
)
from workshop.services._common import get_seminar


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return copy.deepcopy(value)
    return value


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in fields}


SEMINAR_FIELDS = ("id", "title", "territory", "horizon_year", "language", "join_code", "facilitator_secret_hash",
                  "joining_open", "kit_name", "run_sheet_name", "lessons_learned", "screen", "created_at",
                  "retention_months", "expected_attendance", "max_participants")
DAY_FIELDS = ("number", "date")
THEME_FIELDS = ("id", "key", "label", "color", "position")
GROUP_FIELDS = ("id", "name", "position")
PARTICIPANT_FIELDS = ("id", "display_name", "college", "group_id", "device_token_hash", "write_seq", "joined_at",
                      "last_seen_at", "anonymised_at")
ACTIVITY_FIELDS = ("id", "position", "day", "exercise_type", "interaction", "title", "participant_instructions",
                   "facilitator_instructions", "planned_minutes", "mode", "card_kinds", "vote_budget",
                   "vote_max_per_card", "criteria", "state", "contributions_open", "votes_open", "started_at",
                   "ended_at", "paused_at", "paused_seconds", "extended_minutes", "facilitator_notes", "screen")
CARD_FIELDS = ("id", "activity_id", "kind", "text", "details", "theme_id", "author_id", "group_id", "hidden",
               "withdrawn", "merged_into_id", "source", "request_id", "attributes", "created_at", "updated_at")
DOT_VOTE_FIELDS = ("id", "activity_id", "participant_id", "card_id", "dots", "updated_at")
RATING_FIELDS = ("id", "activity_id", "participant_id", "card_id", "criterion", "value", "updated_at")
ROBUSTNESS_FIELDS = ("id", "activity_id", "participant_id", "group_id", "challenge_id", "action_id", "verdict",
                     "reason", "updated_at")
LINK_FIELDS = ("id", "source_id", "target_id", "relation", "weight", "note", "status", "proposed_by_id",
               "created_at")
TRAJECTORY_FIELDS = ("id", "target_card_id", "title", "group_id", "created_by_id", "created_at")
STEP_FIELDS = ("id", "year", "title", "description", "card_ids")
MODERATION_FIELDS = ("id", "action", "card_ids", "payload", "created_at", "undone_at")


def export_seminar(db: Database, seminar_id: int) -> dict[str, Any]:
    """Everything of one seminar as a JSON-ready dict, lossless (ids are archive-local).

    Read in one transaction (REPEATABLE READ on PostgreSQL, a WAL snapshot on SQLite), so
    votes cast during the export cannot point at cards the archive does not hold.
    """
    with db.read() as session:
        if not db.is_sqlite:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return _export(session, seminar_id)


def _export(session: Session, seminar_id: int) -> dict[str, Any]:
    seminar = get_seminar(session, seminar_id)

    def rows(model, fields, *where, join=None):
        query = select(model)
        if join is not None:
            query = query.join(join[0], join[1])
        query = query.where(*where).order_by(model.id)
        return [_row(obj, fields) for obj in session.scalars(query)]

    by_activity = (Activity, Activity.id == DotVote.activity_id)
    trajectories = []
    for trajectory in session.scalars(select(Trajectory).where(Trajectory.seminar_id == seminar_id)
                                      .order_by(Trajectory.id)):
        entry = _row(trajectory, TRAJECTORY_FIELDS)
        steps = session.scalars(select(TrajectoryStep).where(TrajectoryStep.trajectory_id == trajectory.id)
                                .order_by(TrajectoryStep.id))
        entry["steps"] = [_row(step, STEP_FIELDS) for step in steps]
        trajectories.append(entry)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _value(clock.now()),
        "app_version": workshop.__version__,
        "seminar": _row(seminar, SEMINAR_FIELDS),
        "days": [_row(day, DAY_FIELDS) for day in session.scalars(
            select(SeminarDay).where(SeminarDay.seminar_id == seminar_id).order_by(SeminarDay.number))],
        "themes": rows(Theme, THEME_FIELDS, Theme.seminar_id == seminar_id),
        "groups": rows(Group, GROUP_FIELDS, Group.seminar_id == seminar_id),
        "participants": rows(Participant, PARTICIPANT_FIELDS, Participant.seminar_id == seminar_id),
        "activities": rows(Activity, ACTIVITY_FIELDS, Activity.seminar_id == seminar_id),
        "cards": rows(Card, CARD_FIELDS, Card.seminar_id == seminar_id),
        "dot_votes": rows(DotVote, DOT_VOTE_FIELDS, Activity.seminar_id == seminar_id, join=by_activity),
        "ratings": rows(Rating, RATING_FIELDS, Activity.seminar_id == seminar_id,
                        join=(Activity, Activity.id == Rating.activity_id)),
        "robustness_ratings": rows(RobustnessRating, ROBUSTNESS_FIELDS, Activity.seminar_id == seminar_id,
                                   join=(Activity, Activity.id == RobustnessRating.activity_id)),
        "links": rows(Link, LINK_FIELDS, Link.seminar_id == seminar_id),
        "trajectories": trajectories,
        "moderation_steps": rows(ModerationStep, MODERATION_FIELDS, ModerationStep.seminar_id == seminar_id),
        **export_sorting(session, seminar_id, _value),
        **export_publication(session, seminar_id, _value),
    }


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "seminaire"


def default_archive_path(territory: str, *, directory: Path | None = None, day: date | None = None) -> Path:
    """``exports/<territory>-<date>.json``; never an existing file (``-2``, ``-3``… are added)."""
    directory = directory or config.exports_dir()
    stem = f"{slugify(territory)}-{(day or clock.now().astimezone().date()).isoformat()}"
    path, n = directory / f"{stem}.json", 2
    while path.exists():
        path, n = directory / f"{stem}-{n}.json", n + 1
    return path


def write_archive(db: Database, seminar_id: int, path: str | os.PathLike | None = None) -> Path:
    """Export a seminar to a JSON file (by default under ``exports/``); returns the file written.

    The file is written next to its final place then renamed, so a backup is never half-written.
    """
    data = export_seminar(db, seminar_id)
    target = Path(path) if path is not None else default_archive_path(data["seminar"]["territory"])
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
