"""Read queries a participant's tablet needs and the other services do not offer.

A tablet that reloads in the middle of a rating must show what its participant already
rated; these return only the asking participant's own answers.
"""

from __future__ import annotations

from sqlalchemy import select

from workshop.db import Database
from workshop.models import Rating, RobustnessRating
from workshop.services._common import get_activity, participant_by_token


def my_ratings(db: Database, device_token: str, activity_id: int) -> dict[tuple[int, str], int]:
    """``{(card_id, criterion): value}`` of this participant in this activity."""
    with db.read() as session:
        participant = participant_by_token(session, device_token)
        get_activity(session, participant.seminar_id, activity_id)
        rows = session.execute(select(Rating.card_id, Rating.criterion, Rating.value).where(
            Rating.activity_id == activity_id, Rating.participant_id == participant.id)).all()
    return {(card_id, criterion): value for card_id, criterion, value in rows}


def my_robustness(db: Database, device_token: str, activity_id: int) -> dict[tuple[int, int], tuple[str, str]]:
    """``{(challenge_id, action_id): (verdict, reason)}`` of this participant in this activity."""
    with db.read() as session:
        participant = participant_by_token(session, device_token)
        get_activity(session, participant.seminar_id, activity_id)
        rows = session.execute(select(RobustnessRating.challenge_id, RobustnessRating.action_id,
                                      RobustnessRating.verdict, RobustnessRating.reason).where(
            RobustnessRating.activity_id == activity_id,
            RobustnessRating.participant_id == participant.id)).all()
    return {(challenge, action): (verdict.value, reason) for challenge, action, verdict, reason in rows}
