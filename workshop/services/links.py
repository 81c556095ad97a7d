"""Typed links between cards: only between kinds that make sense, never to itself, never twice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from workshop.db import Database
from workshop.errors import Invalid
from workshop.models import Card, CardKind, Interaction, Link, LinkStatus, Relation
from workshop.services import ratelimit
from workshop.services._common import (
    MAX_DETAILS,
    check_on_the_wall,
    clean_text,
    get,
    get_activity,
    get_card,
    participant_by_token,
    publish,
    require_open,
    whole_number,
)

K = CardKind
ACTIONS = {K.RESOURCE, K.CURRENT_ACTION, K.ACTION_LEAD}
GOALS = {K.STAKE, K.CHALLENGE}

# relation -> (allowed source kinds, allowed target kinds)
RULES: dict[Relation, tuple[set[CardKind], set[CardKind]]] = {
    Relation.WEIGHS_ON: ({K.THREAT, K.TREND}, GOALS),
    Relation.SUPPORTS: (ACTIONS, GOALS),
    Relation.COUNTERS: (ACTIONS, {K.THREAT}),
    Relation.INFLUENCES: (GOALS, GOALS),
    Relation.LEADS_TO: ({K.CURRENT_ACTION, K.ACTION_LEAD}, GOALS),
}


def allowed_relations(source: CardKind, target: CardKind) -> list[Relation]:
    """Relations a UI may offer for this pair of cards."""
    return [r for r, (sources, targets) in RULES.items() if source in sources and target in targets]


def check_link_kinds(relation: Relation, source: CardKind, target: CardKind) -> None:
    """Refuse a relation between kinds it does not join (a threat never "supports" a stake)."""
    sources, targets = RULES[relation]
    if source not in sources or target not in targets:
        raise Invalid("link_kinds", relation=relation.value, source=source.value, target=target.value)


def check_link_weight(weight: object) -> None:
    """A link's weight: none, or a whole number from 1 to 3 (never ``True``)."""
    if weight is not None and (not whole_number(weight) or not 1 <= weight <= 3):
        raise Invalid("link_weight")


def _check(session: Session, seminar_id: int, source_id: int, target_id: int, relation: Relation,
           weight: int | None, *, on_the_wall: bool = False) -> None:
    """``on_the_wall``: from a tablet, neither card may be one the facilitator hid."""
    if source_id == target_id:
        raise Invalid("link_to_itself")
    source = get_card(session, seminar_id, source_id)
    target = get_card(session, seminar_id, target_id)
    if on_the_wall:
        check_on_the_wall(source)
        check_on_the_wall(target)
    check_link_kinds(relation, source.kind, target.kind)
    check_link_weight(weight)
    duplicate = session.scalar(select(Link).where(Link.source_id == source_id, Link.target_id == target_id,
                                                  Link.relation == relation,
                                                  Link.status != LinkStatus.REJECTED))
    if duplicate is not None:
        raise Invalid("link_exists")
    stale = session.scalar(select(Link).where(Link.source_id == source_id, Link.target_id == target_id,
                                              Link.relation == relation))
    if stale is not None:  # a rejected proposal made again: start afresh
        session.delete(stale)
        session.flush()


def _relation(relation: Relation | str) -> Relation:
    try:
        return Relation(relation)
    except ValueError:
        raise Invalid("unknown_relation", relation=str(relation)[:40]) from None


def create_link(db: Database, seminar_id: int, source_id: int, target_id: int, relation: Relation | str, *,
                weight: int | None = None, note: str = "") -> Link:
    """The facilitator links two cards (accepted at once)."""
    relation = _relation(relation)
    note = clean_text(note, field="note", max_length=MAX_DETAILS, required=False, multiline=True)
    with db.write() as session:
        _check(session, seminar_id, source_id, target_id, relation, weight)
        link = Link(seminar_id=seminar_id, source_id=source_id, target_id=target_id, relation=relation,
                    weight=weight, note=note, status=LinkStatus.ACCEPTED)
        session.add(link)
        session.flush()
    publish(seminar_id, "link.changed", link_id=link.id)
    return link


def propose_link(db: Database, device_token: str, activity_id: int, source_id: int, target_id: int,
                 relation: Relation | str, *, weight: int | None = None, note: str = "") -> Link:
    """A participant proposes a link during a linking activity; the facilitator decides."""
    ratelimit.check_device(device_token)
    relation = _relation(relation)
    note = clean_text(note, field="note", max_length=MAX_DETAILS, required=False, multiline=True)
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        seminar_id = participant.seminar_id
        activity = get_activity(session, seminar_id, activity_id)
        require_open(activity)
        if activity.interaction is not Interaction.LINK or not activity.contributions_open:
            raise Invalid("contributions_closed", title=activity.title)
        _check(session, seminar_id, source_id, target_id, relation, weight, on_the_wall=True)
        link = Link(seminar_id=seminar_id, source_id=source_id, target_id=target_id, relation=relation,
                    weight=weight, note=note, status=LinkStatus.PROPOSED, proposed_by_id=participant.id)
        session.add(link)
        session.flush()
    publish(seminar_id, "link.proposed", link_id=link.id)
    return link


def decide(db: Database, seminar_id: int, link_id: int, accept: bool) -> None:
    with db.write() as session:
        link = get(session, Link, link_id, seminar_id=seminar_id, what="link")
        link.status = LinkStatus.ACCEPTED if accept else LinkStatus.REJECTED
    publish(seminar_id, "link.changed", link_id=link_id)


class _Keep:
    """Marks an argument that was not given (``weight=None`` takes a link's weight away)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def update_link(db: Database, seminar_id: int, link_id: int, *, weight: int | None = KEEP,
                note: str | None = None, note_before: str | None = None) -> None:
    """Change a link's weight (``None``: no weight) and/or its note; what is not given stays.

    ``note_before``: the note as the facilitator's form showed it. When the note changed since
    (another facilitator's tab), nothing is written and ``link_changed`` says so, instead of one
    note silently replacing the other.
    """
    if weight is not KEEP:
        check_link_weight(weight)
    if note is not None:
        note = clean_text(note, field="note", max_length=MAX_DETAILS, required=False, multiline=True)
    with db.write() as session:
        link = get(session, Link, link_id, seminar_id=seminar_id, what="link")
        if note_before is not None and (link.note or "") != note_before:
            raise Invalid("link_changed")
        if weight is not KEEP:
            link.weight = weight
        if note is not None:
            link.note = note
    publish(seminar_id, "link.changed", link_id=link_id)


def delete_link(db: Database, seminar_id: int, link_id: int) -> None:
    with db.write() as session:
        session.delete(get(session, Link, link_id, seminar_id=seminar_id, what="link"))
    publish(seminar_id, "link.changed", link_id=link_id)


def list_links(db: Database, seminar_id: int, *, status: LinkStatus | None = LinkStatus.ACCEPTED) -> list[Link]:
    with db.read() as session:
        target = aliased(Card)
        query = (select(Link).join(Card, Card.id == Link.source_id).join(target, target.id == Link.target_id)
                 .where(Link.seminar_id == seminar_id, Card.withdrawn.is_(False), target.withdrawn.is_(False)))
        if status is not None:
            query = query.where(Link.status == status)
        return list(session.scalars(query.order_by(Link.id)))
