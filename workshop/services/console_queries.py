"""Read queries the facilitator console needs and no other service gives."""

from __future__ import annotations

from sqlalchemy import select

from workshop.db import Database
from workshop.models import Card


def card_texts(db: Database, seminar_id: int, card_ids: list[int]) -> dict[int, str]:
    """Texts of cards by id, merged-away and withdrawn ones included (the moderation history names them)."""
    if not card_ids:
        return {}
    with db.read() as session:
        rows = session.execute(select(Card.id, Card.text).where(Card.seminar_id == seminar_id,
                                                                Card.id.in_(list(set(card_ids)))))
        return dict(rows.all())
