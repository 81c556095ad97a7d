"""Joining a seminar from a tablet: no account, one device token per person."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop import clock
from workshop.db import Database
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import (
    Activity,
    Card,
    College,
    DotVote,
    Group,
    Link,
    ModerationStep,
    Participant,
    Rating,
    RobustnessRating,
    Seminar,
    Trajectory,
    Verdict,
)
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
    """The seminar a join code opens.

    A code that exists but whose joining the facilitator closed is told so ("joining_closed"):
    a late arrival reads the code on the projector and must not be told it does not exist.
    Guessing codes stays pointless: 887 million of them, and every refused code (unknown or
    closed) counts against the address's throttle (``access.seminar_for_join_code``).
    """
    with db.read() as session:
        seminar = session.scalar(select(Seminar).where(Seminar.join_code == normalise_code(code)))
        if seminar is None:
            raise NotFound("unknown_code")
        if not seminar.joining_open:
            raise Forbidden("joining_closed")
        return seminar.id


def join(
    db: Database,
    code: str,
    *,
    display_name: str,
    college: College | str,
    group_id: int | None = None,
    device_token: str | None = None,
    client: str | None = None,
) -> Joined:
    """Join by code; a device that already joined this seminar gets its identity back.

    ``client`` is the browser's address: only a keyed hash of it is kept (``join_source``), to
    flag bursts of joins from one address in the console. A seminar whose head count reached
    its cap (``Seminar.max_participants``) refuses new identities (``Forbidden("seminar_full")``);
    a device that joined before still gets its identity back.
    """
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
        if seminar is None:
            raise NotFound("unknown_code")
        if not seminar.joining_open:
            raise Forbidden("joining_closed")
        if seminar.max_participants is not None:
            # the seminar's row is locked (PostgreSQL; SQLite writers take turns anyway), so
            # two tablets joining at once cannot both take the last place
            session.execute(select(Seminar.id).where(Seminar.id == seminar.id).with_for_update())
            head_count = session.scalar(select(func.count()).select_from(Participant)
                                        .where(Participant.seminar_id == seminar.id))
            if head_count >= seminar.max_participants:
                raise Forbidden("seminar_full", max=seminar.max_participants)
        if group_id is not None:
            get(session, Group, group_id, seminar_id=seminar.id, what="group")
        participant = Participant(seminar_id=seminar.id, display_name=name, college=college,
                                  group_id=group_id, device_token_hash=hash_token(token),
                                  join_source=join_source(seminar, client))
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


# --- head count, bursts of joins, removing and merging identities (issue 12) ---------------------------

MAX_ATTENDANCE = 2000
# Joins from one address within this window are shown together in the console when there are
# at least BURST_JOINS of them. A flag, never a refusal: a whole room behind one venue address
# joins like this too (150 tablets within a minute must get in); the facilitator compares the
# head count with the expected attendance and removes or merges what is not a person.
BURST_WINDOW_SECONDS = 60
BURST_JOINS = 10


@dataclass(frozen=True)
class JoinBurst:
    participant_ids: tuple[int, ...]  # in joining order
    first: datetime
    last: datetime


@dataclass(frozen=True)
class Attendance:
    head_count: int
    expected: int | None
    cap: int | None
    bursts: tuple[JoinBurst, ...]

    @property
    def over_expected(self) -> bool:
        return self.expected is not None and self.head_count > self.expected


def join_source(seminar: Seminar, address: str | None) -> str | None:
    """A keyed hash of the joining address (the address itself is never stored)."""
    if not address or not isinstance(address, str):
        return None
    return hmac.new(seminar.facilitator_secret_hash.encode(), address.encode(), hashlib.sha256).hexdigest()[:16]


def check_attendance_number(value: int | None) -> int | None:
    """An expected attendance or head-count cap (the console's field, or an archive's): none, or 1 to
    MAX_ATTENDANCE."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise Invalid("attendance_number", max=MAX_ATTENDANCE) from None
    if not 1 <= value <= MAX_ATTENDANCE:
        raise Invalid("attendance_number", max=MAX_ATTENDANCE)
    return value


def set_attendance(db: Database, seminar_id: int, *, expected: int | None, cap: int | None) -> None:
    """The expected attendance and the head-count cap (None: none). A cap below the head count
    removes nobody: it only refuses new joins."""
    expected = check_attendance_number(expected)
    cap = check_attendance_number(cap)
    with db.write() as session:
        seminar = get(session, Seminar, seminar_id, what="seminar")
        seminar.expected_attendance, seminar.max_participants = expected, cap
    publish(seminar_id, "seminar.changed")


def attendance(db: Database, seminar_id: int) -> Attendance:
    with db.read() as session:
        seminar = get(session, Seminar, seminar_id, what="seminar")
        rows = session.execute(select(Participant.id, Participant.join_source, Participant.joined_at)
                               .where(Participant.seminar_id == seminar_id)
                               .order_by(Participant.joined_at, Participant.id)).all()
        expected, cap = seminar.expected_attendance, seminar.max_participants
    return Attendance(len(rows), expected, cap, tuple(_bursts(rows)))


def _bursts(rows) -> list[JoinBurst]:
    """Runs of joins from one address, each less than BURST_WINDOW_SECONDS after the previous
    one, of BURST_JOINS or more."""
    by_source: dict[str, list] = {}
    for pid, source, joined_at in rows:
        if source:
            by_source.setdefault(source, []).append((joined_at, pid))
    window = timedelta(seconds=BURST_WINDOW_SECONDS)
    found: list[list] = []
    for joins in by_source.values():
        run: list = []
        for joined_at, pid in joins:
            if run and joined_at - run[-1][0] >= window:
                found.append(run)
                run = []
            run.append((joined_at, pid))
        found.append(run)
    return sorted((JoinBurst(tuple(p for _, p in run), run[0][0], run[-1][0])
                   for run in found if len(run) >= BURST_JOINS), key=lambda b: b.first)


def remove_participant(db: Database, seminar_id: int, participant_id: int) -> int:
    """Remove an identity that is not a person: its dots, ratings and verdicts leave with it, its
    device is no longer recognised; the cards it wrote stay (without author). Recorded in the
    moderation history and undoable (``cards.undo``). Returns the history step's id."""
    with db.write() as session:
        participant = get(session, Participant, participant_id, seminar_id=seminar_id, what="participant")
        payload = _take_away(session, participant, credit_to=None)
        step = ModerationStep(seminar_id=seminar_id, action="remove_person", card_ids=payload.pop("touched"),
                              payload=payload)
        session.add(step)
        session.flush()
        step_id = step.id
    _published_removal(seminar_id, [participant_id])
    return step_id


def merge_participants(db: Database, seminar_id: int, keep_id: int, merged_ids: list[int]) -> int:
    """Several identities are one person: keep ``keep_id``; the others' dots, ratings and verdicts
    leave with them (one person, one budget) and the cards, links and trajectories they wrote are
    credited to the kept identity. Recorded and undoable. Returns the history step's id."""
    merged_ids = sorted({int(i) for i in merged_ids} - {keep_id})
    if not merged_ids:
        raise Invalid("merge_needs_two_people")
    with db.write() as session:
        keep = get(session, Participant, keep_id, seminar_id=seminar_id, what="participant")
        payloads = [_take_away(session, get(session, Participant, pid, seminar_id=seminar_id, what="participant"),
                               credit_to=keep.id) for pid in merged_ids]
        touched = sorted({c for p in payloads for c in p.pop("touched")})
        step = ModerationStep(seminar_id=seminar_id, action="merge_people", card_ids=touched,
                              payload={"keep": {"id": keep.id, "name": keep.display_name},
                                       "people": payloads, "participants": [keep.id, *merged_ids]})
        session.add(step)
        session.flush()
        step_id = step.id
    _published_removal(seminar_id, merged_ids)
    return step_id


def _published_removal(seminar_id: int, participant_ids: list[int]) -> None:
    publish(seminar_id, "participant.removed", participant_ids=participant_ids)
    publish(seminar_id, "vote.changed", activity_id=None, card_id=None)
    publish(seminar_id, "rating.changed", activity_id=None, card_id=None)
    publish(seminar_id, "robustness.changed", activity_id=None)


def _take_away(session: Session, participant: Participant, *, credit_to: int | None) -> dict[str, Any]:
    """Delete one participant, keeping in the returned payload all it takes to put it back."""
    pid = participant.id
    dots = list(session.scalars(select(DotVote).where(DotVote.participant_id == pid)))
    ratings = list(session.scalars(select(Rating).where(Rating.participant_id == pid)))
    verdicts = list(session.scalars(select(RobustnessRating).where(RobustnessRating.participant_id == pid)))
    written = list(session.scalars(select(Card).where(Card.author_id == pid)))
    links = list(session.scalars(select(Link).where(Link.proposed_by_id == pid)))
    paths = list(session.scalars(select(Trajectory).where(Trajectory.created_by_id == pid)))
    payload = {
        "seminar": participant.seminar_id,  # ids below are this database's: an imported copy cannot undo
        "person": {"id": pid, "name": participant.display_name, "college": participant.college.value,
                   "group_id": participant.group_id, "token_hash": participant.device_token_hash,
                   "write_seq": participant.write_seq, "join_source": participant.join_source,
                   "joined_at": participant.joined_at.isoformat(), "last_seen_at": participant.last_seen_at.isoformat()},
        "dots": [{"activity": v.activity_id, "card": v.card_id, "dots": v.dots} for v in dots],
        "ratings": [{"activity": r.activity_id, "card": r.card_id, "criterion": r.criterion, "value": r.value}
                    for r in ratings],
        "verdicts": [{"activity": r.activity_id, "group": r.group_id, "challenge": r.challenge_id,
                      "action": r.action_id, "verdict": r.verdict.value, "reason": r.reason} for r in verdicts],
        "cards": [{"id": c.id, "request_id": c.request_id} for c in written],
        "links": [link.id for link in links],
        "trajectories": [t.id for t in paths],
        "participants": [pid],
        "touched": sorted({v.card_id for v in dots} | {r.card_id for r in ratings}
                          | {c for r in verdicts for c in (r.challenge_id, r.action_id)}),
    }
    for row in (*dots, *ratings, *verdicts):
        session.delete(row)
    for card in written:
        card.author_id, card.request_id = credit_to, None
    for link in links:
        link.proposed_by_id = credit_to
    for path in paths:
        path.created_by_id = credit_to
    session.flush()
    session.delete(participant)
    session.flush()
    return payload


def _put_back(session: Session, seminar_id: int, payload: dict[str, Any], *, credited_to: int | None) -> None:
    person = payload["person"]
    if payload.get("seminar") != seminar_id:  # imported from an archive or a snapshot: ids were renumbered
        raise Invalid("person_undo_elsewhere")
    if session.get(Participant, person["id"]) is not None:
        raise Invalid("already_undone")
    group_id = person["group_id"] if person["group_id"] and session.get(Group, person["group_id"]) else None
    session.add(Participant(id=person["id"], seminar_id=seminar_id, display_name=person["name"],
                            college=College(person["college"]), group_id=group_id,
                            device_token_hash=person["token_hash"], write_seq=person["write_seq"],
                            join_source=person["join_source"], joined_at=datetime.fromisoformat(person["joined_at"]),
                            last_seen_at=datetime.fromisoformat(person["last_seen_at"])))
    session.flush()
    pid = person["id"]
    alive_activities = set(session.scalars(select(Activity.id).where(Activity.seminar_id == seminar_id)))
    for v in payload["dots"]:
        if v["activity"] in alive_activities:
            session.add(DotVote(activity_id=v["activity"], participant_id=pid, card_id=v["card"], dots=v["dots"]))
    for r in payload["ratings"]:
        if r["activity"] in alive_activities:
            session.add(Rating(activity_id=r["activity"], participant_id=pid, card_id=r["card"],
                               criterion=r["criterion"], value=r["value"]))
    for r in payload["verdicts"]:
        if r["activity"] in alive_activities:
            group = r["group"] if r["group"] and session.get(Group, r["group"]) else None
            session.add(RobustnessRating(activity_id=r["activity"], participant_id=pid, group_id=group,
                                         challenge_id=r["challenge"], action_id=r["action"],
                                         verdict=Verdict(r["verdict"]), reason=r["reason"]))
    for entry in payload["cards"]:
        card = session.get(Card, entry["id"])
        if card is not None and card.author_id == credited_to:
            card.author_id, card.request_id = pid, entry["request_id"]
    for link_id in payload["links"]:
        link = session.get(Link, link_id)
        if link is not None and link.proposed_by_id == credited_to:
            link.proposed_by_id = pid
    for trajectory_id in payload["trajectories"]:
        path = session.get(Trajectory, trajectory_id)
        if path is not None and path.created_by_id == credited_to:
            path.created_by_id = pid
    session.flush()


def undo_removal(session: Session, step: ModerationStep) -> None:
    """``cards.undo`` for "remove_person": the identity comes back with its device, dots and cards."""
    _put_back(session, step.seminar_id, step.payload, credited_to=None)


def undo_merge(session: Session, step: ModerationStep) -> None:
    """``cards.undo`` for "merge_people": every merged identity comes back as it was."""
    for payload in step.payload["people"]:
        _put_back(session, step.seminar_id, payload, credited_to=step.payload["keep"]["id"])


def after_undo(seminar_id: int, step: ModerationStep) -> None:
    publish(seminar_id, "participant.joined", participant_ids=step.payload.get("participants", []))
    publish(seminar_id, "vote.changed", activity_id=None, card_id=None)
    publish(seminar_id, "rating.changed", activity_id=None, card_id=None)
    publish(seminar_id, "robustness.changed", activity_id=None)
