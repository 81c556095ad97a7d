"""Seminars: create one from a kit and a run sheet, list them, guard the facilitator side."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workshop import clock
from workshop.content import Kit, RunSheet, default_kit, fill_horizon
from workshop.db import Database
from workshop.errors import Forbidden, Invalid
from workshop.models import (
    Activity,
    ActivityState,
    Card,
    DotVote,
    Group,
    Interaction,
    Link,
    LinkStatus,
    Rating,
    Participant,
    Seminar,
    SeminarDay,
    Theme,
)
from workshop.services._common import (
    MAX_NAME,
    MAX_NOTE,
    MAX_TITLE,
    clean_text,
    get,
    get_seminar,
    hash_secret,
    name_key,
    publish,
    verify_secret,
    whole_number,
)

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
MIN_SECRET_LENGTH = 8
MAX_SECRET_LENGTH = 200


@dataclass(frozen=True)
class CreatedSeminar:
    seminar_id: int
    join_code: str
    facilitator_secret: str  # shown once; only its hash is stored


@dataclass(frozen=True)
class SeminarSummary:
    id: int
    title: str
    territory: str
    horizon_year: int
    join_code: str
    joining_open: bool
    first_day: date | None
    participants: int
    cards: int
    current_activity: str | None


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def check_join_code(code: str) -> None:
    """A join code as ``new_join_code`` draws them: one of 887 million, never a short one that
    a few tries would find (the archive import checks an archive's code with this)."""
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
        raise Invalid("bad_join_code", length=JOIN_CODE_LENGTH)


def create_seminar(
    db: Database,
    *,
    title: str,
    territory: str,
    horizon_year: int,
    run_sheet: RunSheet,
    kit: Kit | None = None,
    day_dates: list[date] | None = None,
    language: str = "fr",
    group_names: list[str] | None = None,
    facilitator_secret: str | None = None,
) -> CreatedSeminar:
    """Create a seminar ready to run: themes from the kit, activities from the run sheet."""
    kit = kit or default_kit()
    title = clean_text(title, field="title", max_length=MAX_TITLE)
    territory = clean_text(territory, field="territory", max_length=MAX_TITLE)
    this_year = clock.now().year
    if not whole_number(horizon_year) or not this_year < horizon_year <= this_year + 100:
        raise Invalid("horizon_out_of_range", min=this_year + 1, max=this_year + 100)
    if language not in ("fr", "en"):
        raise Invalid("unknown_language", language=language)
    problems = run_sheet.check_against(kit)
    if problems:
        raise Invalid("run_sheet_mismatch", details="; ".join(f"{p.where}: {p.what}" for p in problems))
    day_dates = list(day_dates or [])
    if len(day_dates) > run_sheet.days:
        raise Invalid("too_many_dates", days=run_sheet.days)
    if any(later <= earlier for earlier, later in zip(day_dates, day_dates[1:])):
        raise Invalid("dates_not_in_order")
    names = [clean_text(n, field="group", max_length=MAX_NAME) for n in (group_names or [])]
    if len(set(name_key(n) for n in names)) != len(names):
        raise Invalid("duplicate_group_name")
    if facilitator_secret is not None and len(facilitator_secret) < MIN_SECRET_LENGTH:
        raise Invalid("secret_too_short", min=MIN_SECRET_LENGTH)
    if facilitator_secret is not None and len(facilitator_secret) > MAX_SECRET_LENGTH:
        raise Invalid("secret_too_long", max=MAX_SECRET_LENGTH)  # verify_secret refuses longer ones
    secret = facilitator_secret or secrets.token_urlsafe(12)

    for _attempt in range(10):
        code = new_join_code()
        try:
            with db.write() as session:
                seminar = Seminar(
                    title=title, territory=territory, horizon_year=horizon_year, language=language,
                    join_code=code, facilitator_secret_hash=hash_secret(secret),
                    kit_name=kit.name, run_sheet_name=run_sheet.name,
                )
                seminar.days = [
                    SeminarDay(number=n, date=day_dates[n - 1] if n <= len(day_dates) else None)
                    for n in range(1, run_sheet.days + 1)
                ]
                seminar.themes = [Theme(key=t.key, label=t.label, color=t.color, position=i)
                                  for i, t in enumerate(kit.themes)]
                seminar.groups = [Group(name=n, position=i) for i, n in enumerate(names)]
                seminar.activities = [_activity_from_spec(kit, spec, i, horizon_year)
                                      for i, spec in enumerate(run_sheet.activities)]
                session.add(seminar)
                session.flush()
                seminar_id = seminar.id
        except IntegrityError:
            continue  # join code collision: draw another
        publish(seminar_id, "seminar.created")
        return CreatedSeminar(seminar_id, code, secret)
    raise Invalid("join_code_exhausted")


def _activity_from_spec(kit: Kit, spec, position: int, horizon_year: int) -> Activity:
    exercise = kit.exercise_type(spec.exercise)
    kinds = spec.card_kinds if spec.card_kinds is not None else exercise.card_kinds

    def text(value: str) -> str:
        # The horizon is set once, here: the stored text is what every screen, export and archive shows.
        return fill_horizon(value, horizon_year, kit.language)

    return Activity(
        position=position, day=spec.day, exercise_type=exercise.key, interaction=exercise.interaction,
        # Run-sheet texts pass the same cleaner as texts typed on the console (one rule per field).
        title=clean_text(text(spec.title), field="title", max_length=MAX_TITLE),
        participant_instructions=clean_text(text(spec.participant_instructions), field="participant_instructions",
                                            max_length=MAX_NOTE, required=False, multiline=True),
        facilitator_instructions=clean_text(text(spec.facilitator_instructions), field="facilitator_instructions",
                                            max_length=MAX_NOTE, required=False, multiline=True),
        planned_minutes=spec.minutes,
        mode=spec.mode, card_kinds=[k.value for k in kinds],
        vote_budget=spec.vote.budget if spec.vote else None,
        vote_max_per_card=spec.vote.max_per_card if spec.vote else None,
        criteria=list(spec.criteria), screen=spec.screen, state=ActivityState.PENDING,
    )


def list_seminars(db: Database) -> list[SeminarSummary]:
    with db.read() as session:
        participants = dict(session.execute(
            select(Participant.seminar_id, func.count()).group_by(Participant.seminar_id)).all())
        cards = dict(session.execute(
            select(Card.seminar_id, func.count()).where(Card.merged_into_id.is_(None), Card.withdrawn.is_(False))
            .group_by(Card.seminar_id)).all())
        open_titles = dict(session.execute(
            select(Activity.seminar_id, Activity.title).where(Activity.state == ActivityState.OPEN)).all())
        out = []
        for seminar in session.scalars(select(Seminar).order_by(Seminar.created_at.desc(), Seminar.id.desc())):
            first = seminar.days[0].date if seminar.days else None
            out.append(SeminarSummary(
                seminar.id, seminar.title, seminar.territory, seminar.horizon_year, seminar.join_code,
                seminar.joining_open, first, participants.get(seminar.id, 0), cards.get(seminar.id, 0),
                open_titles.get(seminar.id),
            ))
        return out


def get_seminar_by_id(db: Database, seminar_id: int) -> Seminar:
    """The seminar with its days, themes, groups and activities loaded (detached, read-only use)."""
    with db.read() as session:
        seminar = get_seminar(session, seminar_id)
        for rel in (seminar.days, seminar.themes, seminar.groups, seminar.activities):
            list(rel)
        return seminar


def get_seminar_for_tablets(db: Database, seminar_id: int) -> Seminar:
    """The seminar with its themes and groups loaded (detached, read-only use): all that the
    join page and a tablet show of it. Not its days and run sheet (some twenty activities),
    which a room joining at once would otherwise read, object by object, for every tablet."""
    with db.read() as session:
        seminar = get_seminar(session, seminar_id)
        for rel in (seminar.themes, seminar.groups):
            list(rel)
        return seminar


def check_facilitator(db: Database, seminar_id: int, secret: str) -> None:
    """Raise unless ``secret`` is the seminar's facilitator secret."""
    with db.read() as session:
        seminar = get_seminar(session, seminar_id)
        stored = seminar.facilitator_secret_hash
    if not verify_secret(secret or "", stored):
        raise Forbidden("bad_secret")


def set_joining_open(db: Database, seminar_id: int, is_open: bool) -> None:
    with db.write() as session:
        get_seminar(session, seminar_id).joining_open = bool(is_open)
    publish(seminar_id, "seminar.changed", joining_open=bool(is_open))


def set_lessons_learned(db: Database, seminar_id: int, text: str) -> None:
    text = clean_text(text, field="lessons", max_length=MAX_NOTE * 4, required=False, multiline=True)
    with db.write() as session:
        get_seminar(session, seminar_id).lessons_learned = text
    publish(seminar_id, "seminar.changed")


def add_group(db: Database, seminar_id: int, name: str) -> int:
    name = clean_text(name, field="group", max_length=MAX_NAME)
    with db.write() as session:
        seminar = get_seminar(session, seminar_id)
        if any(name_key(g.name) == name_key(name) for g in seminar.groups):
            raise Invalid("duplicate_group_name")
        group = Group(name=name, position=len(seminar.groups))
        seminar.groups.append(group)
        session.flush()
        group_id = group.id
    publish(seminar_id, "group.changed", group_id=group_id)
    return group_id


def rename_group(db: Database, seminar_id: int, group_id: int, name: str) -> None:
    name = clean_text(name, field="group", max_length=MAX_NAME)
    with db.write() as session:
        group = get(session, Group, group_id, seminar_id=seminar_id, what="group")
        if any(g.id != group_id and name_key(g.name) == name_key(name) for g in group.seminar.groups):
            raise Invalid("duplicate_group_name")
        group.name = name
    publish(seminar_id, "group.changed", group_id=group_id)


def move_participant(db: Database, seminar_id: int, participant_id: int, group_id: int | None) -> None:
    with db.write() as session:
        participant = get(session, Participant, participant_id, seminar_id=seminar_id, what="participant")
        if group_id is not None:
            get(session, Group, group_id, seminar_id=seminar_id, what="group")
        participant.group_id = group_id
    publish(seminar_id, "participant.changed", participant_id=participant_id)


def delete_seminar(db: Database, seminar_id: int) -> None:
    with db.write() as session:
        session.delete(get_seminar(session, seminar_id))
    publish(seminar_id, "seminar.deleted")


@dataclass(frozen=True)
class ClosingFigures:
    """What the closing screen may say the room did: people who joined, the cards they wrote that
    are still on the wall (withdrawn and merged-away cards are not counted), the dots placed,
    the ratings given and the links accepted."""

    people: int
    contributions: int
    dots: int = 0
    ratings: int = 0
    links: int = 0


def closing_figures(db: Database, seminar_id: int) -> ClosingFigures:
    """The closing screen's figures (:class:`ClosingFigures`), read from what was stored."""
    with db.read() as session:
        people = session.scalar(select(func.count()).select_from(Participant)
                                .where(Participant.seminar_id == seminar_id)) or 0
        contributions = session.scalar(select(func.count()).select_from(Card).where(
            Card.seminar_id == seminar_id, Card.author_id.is_not(None), Card.withdrawn.is_(False),
            Card.merged_into_id.is_(None))) or 0
        dots = session.scalar(select(func.count()).select_from(DotVote).join(
            Activity, Activity.id == DotVote.activity_id).where(Activity.seminar_id == seminar_id)) or 0
        ratings = session.scalar(select(func.count()).select_from(Rating).join(
            Activity, Activity.id == Rating.activity_id).where(Activity.seminar_id == seminar_id)) or 0
        accepted = session.scalar(select(func.count()).select_from(Link).where(
            Link.seminar_id == seminar_id, Link.status == LinkStatus.ACCEPTED)) or 0
    return ClosingFigures(int(people), int(contributions), int(dots), int(ratings), int(accepted))


def _links_activity_to_come(session, seminar_id: int) -> bool:
    return session.scalar(select(Activity.id).where(
        Activity.seminar_id == seminar_id, Activity.interaction == Interaction.LINK,
        Activity.state != ActivityState.CLOSED).limit(1)) is not None


def links_activity_to_come(db: Database, seminar_id: int) -> bool:
    """Whether the run sheet has a links activity not closed yet (the tables may still link cards)."""
    with db.read() as session:
        return _links_activity_to_come(session, seminar_id)


def links_to_come(db: Database, seminar_id: int) -> bool:
    """Whether links between cards may still be accepted: a links activity of the run sheet is
    not closed yet, or links proposed by the tables wait for the facilitator."""
    with db.read() as session:
        if _links_activity_to_come(session, seminar_id):
            return True
        return session.scalar(select(Link.id).where(
            Link.seminar_id == seminar_id, Link.status == LinkStatus.PROPOSED).limit(1)) is not None
