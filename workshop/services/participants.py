"""Joining a seminar from a tablet: no account, one device token per person."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from workshop import clock
from workshop.db import Database
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import College, Group, Participant, Seminar
from workshop.services._common import (
    MAX_NAME,
    clean_text,
    get,
    hash_token,
    new_token,
    participant_by_token,
    publish,
)


@dataclass(frozen=True)
class Joined:
    participant_id: int
    seminar_id: int
    device_token: str  # kept by the tablet (local storage); only its hash is stored
    display_name: str
    college: College
    group_id: int | None
    rejoined: bool


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


def find_seminar_by_code(db: Database, code: str) -> int:
    """The seminar a join code opens. Unknown and closed codes get the same answer."""
    with db.read() as session:
        seminar = session.scalar(select(Seminar).where(Seminar.join_code == normalise_code(code)))
        if seminar is None or not seminar.joining_open:
            raise NotFound("unknown_code")
        return seminar.id


def join(
    db: Database,
    code: str,
    *,
    display_name: str,
    college: College | str,
    group_id: int | None = None,
    device_token: str | None = None,
) -> Joined:
    """Join by code; a device that already joined this seminar gets its identity back."""
    code = normalise_code(code)
    if device_token:
        with db.read() as session:
            seminar = session.scalar(select(Seminar).where(Seminar.join_code == code))
            known = session.scalar(select(Participant).where(
                Participant.device_token_hash == hash_token(device_token)))
            if seminar is not None and known is not None and known.seminar_id == seminar.id:
                return _joined(known, device_token, rejoined=True)
    name = clean_text(display_name, field="display_name", max_length=MAX_NAME)
    try:
        college = College(college)
    except ValueError:
        raise Invalid("unknown_college", college=str(college)) from None
    token = new_token()
    with db.write() as session:
        seminar = session.scalar(select(Seminar).where(Seminar.join_code == code))
        if seminar is None or not seminar.joining_open:
            raise NotFound("unknown_code")
        if group_id is not None:
            get(session, Group, group_id, seminar_id=seminar.id, what="group")
        participant = Participant(seminar_id=seminar.id, display_name=name, college=college,
                                  group_id=group_id, device_token_hash=hash_token(token))
        session.add(participant)
        session.flush()
        joined = _joined(participant, token, rejoined=False)
    publish(joined.seminar_id, "participant.joined", participant_id=joined.participant_id)
    return joined


def resume(db: Database, device_token: str) -> Joined:
    """After a reload or a wifi drop: who this device is, if it joined before."""
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        participant.last_seen_at = clock.now()
        return _joined(participant, device_token, rejoined=True)


def update_profile(db: Database, device_token: str, *, display_name: str | None = None,
                   college: College | str | None = None, group_id: int | None = None) -> Joined:
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        if display_name is not None:
            participant.display_name = clean_text(display_name, field="display_name", max_length=MAX_NAME)
        if college is not None:
            try:
                participant.college = College(college)
            except ValueError:
                raise Invalid("unknown_college", college=str(college)) from None
        if group_id is not None:
            get(session, Group, group_id, seminar_id=participant.seminar_id, what="group")
            participant.group_id = group_id
        joined = _joined(participant, device_token, rejoined=True)
    publish(joined.seminar_id, "participant.changed", participant_id=joined.participant_id)
    return joined


def count_participants(db: Database, seminar_id: int) -> dict[str, int]:
    """Head count by collège (the projector and the report show it)."""
    with db.read() as session:
        rows = session.execute(select(Participant.college, func.count())
                               .where(Participant.seminar_id == seminar_id)
                               .group_by(Participant.college)).all()
    return {college.value: n for college, n in rows}


def list_participants(db: Database, seminar_id: int) -> list[Participant]:
    with db.read() as session:
        return list(session.scalars(select(Participant).where(Participant.seminar_id == seminar_id)
                                    .order_by(Participant.display_name, Participant.id)))


def _joined(participant: Participant, token: str, *, rejoined: bool) -> Joined:
    if participant is None:
        raise Forbidden("unknown_device")
    return Joined(participant.id, participant.seminar_id, token, participant.display_name,
                  participant.college, participant.group_id, rejoined)
