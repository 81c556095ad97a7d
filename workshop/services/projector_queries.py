"""Read queries the projector screen needs and no other service gives."""

from __future__ import annotations

from sqlalchemy import select

from workshop.db import Database
from workshop.models import Card, CardKind
from workshop.services._common import whole_number


def cards_by_ids(db: Database, seminar_id: int, card_ids: list[int]) -> list[Card]:
    """The seminar's cards with these ids, whatever their state (detached; check ``visible``).

    A live screen calls it with the ids an event names, to add, change or remove just
    those cards; ids of another seminar are ignored.
    """
    ids = [int(i) for i in dict.fromkeys(card_ids) if whole_number(i)]
    if not ids:
        return []
    with db.read() as session:
        return list(session.scalars(select(Card).where(Card.seminar_id == seminar_id, Card.id.in_(ids))
                                    .order_by(Card.created_at, Card.id)))


def wall_has_cards(db: Database, seminar_id: int, kinds: list[str]) -> bool:
    """Whether the wall of these kinds shows at least one card (one row read, not the wall).

    An empty wall leaves the main area to the activity's instructions; the projector asks when it
    builds a wall it has no live copy of.
    """
    with db.read() as session:
        query = select(Card.id).where(Card.seminar_id == seminar_id, Card.withdrawn.is_(False),
                                      Card.merged_into_id.is_(None), Card.hidden.is_(False),
                                      Card.kind.in_([CardKind(k) for k in kinds])).limit(1)
        return session.scalar(query) is not None
