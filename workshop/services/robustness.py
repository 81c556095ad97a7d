"""Robustness tests: does each current action hold, bend or break in the face of each challenge?

Participants rate challenge × action pairs from their tablets; the projector and the report show
the averaged matrix. Like the other votes (``votes``), a tablet sends its answer for a pair, never
an increment, and each write locks the participant's row first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from workshop.db import Database
from workshop.errors import Invalid
from workshop.models import Card, CardKind, Interaction, RobustnessRating, Verdict
from workshop.services import ratelimit
from workshop.services._common import (
    MAX_DETAILS,
    card_on_the_wall,
    clean_text,
    get_activity,
    lock_participant,
    open_for_votes,
    participant_by_token,
    publish,
)
from workshop.services.votes import check_kind_expected

# What a challenge is tested against: the actions already under way, and the leads for action.
ACTION_KINDS = (CardKind.CURRENT_ACTION, CardKind.ACTION_LEAD)


def check_robustness_pair(challenge: CardKind, action: CardKind, card_kinds: list[str] | None = None) -> None:
    """A challenge against an action, both of the kinds the test asks about (``sides``)."""
    if challenge is not CardKind.CHALLENGE or action not in ACTION_KINDS:
        raise Invalid("robustness_pair")
    check_kind_expected(card_kinds or [], challenge)
    check_kind_expected(card_kinds or [], action)


VERDICT_SCORE = {Verdict.BREAKS: 0, Verdict.BENDS: 1, Verdict.HOLDS: 2}


def rate(db: Database, device_token: str, activity_id: int, challenge_id: int, action_id: int,
         verdict: Verdict | str, reason: str = "") -> None:
    """Does this current action hold, bend or break in the face of this challenge, and why?"""
    ratelimit.check_device(device_token)
    try:
        verdict = Verdict(verdict)
    except ValueError:
        raise Invalid("unknown_verdict") from None
    reason = clean_text(reason, field="reason", max_length=MAX_DETAILS, required=False, multiline=True)
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        lock_participant(session, participant)
        activity = open_for_votes(session, participant.seminar_id, activity_id, Interaction.ROBUSTNESS)
        challenge = card_on_the_wall(session, activity.seminar_id, challenge_id)
        action = card_on_the_wall(session, activity.seminar_id, action_id)
        check_robustness_pair(challenge.kind, action.kind, activity.card_kinds)
        row = session.scalar(select(RobustnessRating).where(
            RobustnessRating.activity_id == activity_id, RobustnessRating.participant_id == participant.id,
            RobustnessRating.challenge_id == challenge_id, RobustnessRating.action_id == action_id))
        if row is None:
            session.add(RobustnessRating(activity_id=activity_id, participant_id=participant.id,
                                         group_id=participant.group_id, challenge_id=challenge_id,
                                         action_id=action_id, verdict=verdict, reason=reason))
        else:
            row.verdict, row.reason, row.group_id = verdict, reason, participant.group_id
        seminar_id = participant.seminar_id
    publish(seminar_id, "robustness.changed", activity_id=activity_id)


@dataclass(frozen=True)
class RobustnessCell:
    challenge_id: int
    action_id: int
    score: float  # 0 breaks .. 2 holds, averaged over raters
    counts: dict[str, int]
    reasons: list[str]


def matrix(db: Database, seminar_id: int, activity_id: int | None = None) -> list[RobustnessCell]:
    """The rated pairs only (of one activity, or of the whole seminar), averaged over raters."""
    with db.read() as session:
        action = aliased(Card)
        query = (select(RobustnessRating).join(Card, Card.id == RobustnessRating.challenge_id)
                 .join(action, action.id == RobustnessRating.action_id)
                 .where(Card.seminar_id == seminar_id, Card.withdrawn.is_(False), Card.merged_into_id.is_(None),
                        action.withdrawn.is_(False), action.merged_into_id.is_(None)))
        if activity_id is not None:
            query = query.where(RobustnessRating.activity_id == activity_id)
        rows = session.execute(query.order_by(RobustnessRating.id)).scalars().all()
    cells: dict[tuple[int, int], list[RobustnessRating]] = defaultdict(list)
    for row in rows:
        cells[(row.challenge_id, row.action_id)].append(row)
    out = []
    for (challenge_id, action_id), group in sorted(cells.items()):
        counts = {v.value: sum(1 for r in group if r.verdict is v) for v in Verdict}
        score = sum(VERDICT_SCORE[r.verdict] for r in group) / len(group)
        out.append(RobustnessCell(challenge_id, action_id, round(score, 2), counts,
                                  [r.reason for r in group if r.reason]))
    return out



def sides(cards: list[Card], card_kinds: list[str] | None) -> tuple[list[Card], list[Card]]:
    """The challenges and the actions a robustness test asks its participants to pair, in the
    order of ``cards`` (the wall's): every challenge × every action, within the activity's card
    kinds when it names some. The tablets offer these pairs and the matrix shows them all."""
    kinds = set(card_kinds or ())

    def asked(card: Card) -> bool:
        return not kinds or card.kind.value in kinds

    challenges = [c for c in cards if c.kind is CardKind.CHALLENGE and asked(c)]
    actions = [c for c in cards if c.kind in ACTION_KINDS and asked(c)]
    return challenges, actions


@dataclass(frozen=True)
class RobustnessGrid:
    """Every pair a robustness test asks about, rated or not: challenges in rows, actions in columns."""

    challenges: list[tuple[int, str]]  # (card id, text), in the wall's order
    actions: list[tuple[int, str]]
    cells: dict[tuple[int, int], RobustnessCell]  # the rated pairs only

    @property
    def pairs(self) -> int:
        return len(self.challenges) * len(self.actions)

    @property
    def rated(self) -> int:
        return len(self.cells)

    def cell(self, challenge_id: int, action_id: int) -> RobustnessCell | None:
        return self.cells.get((challenge_id, action_id))


def grid(db: Database, seminar_id: int, activity_id: int) -> RobustnessGrid:
    """The matrix of one robustness test: every challenge × every action on the wall that the
    test asks about (``sides``), with the averaged answers of that test where there are some."""
    with db.read() as session:
        activity = get_activity(session, seminar_id, activity_id)
        card_kinds = list(activity.card_kinds or ())
        wall = list(session.scalars(select(Card).where(
            Card.seminar_id == seminar_id, Card.withdrawn.is_(False), Card.merged_into_id.is_(None), Card.hidden.is_(False),
            Card.kind.in_((CardKind.CHALLENGE, *ACTION_KINDS))).order_by(Card.created_at, Card.id)))
    challenges, actions = sides(wall, card_kinds)
    asked = {(c.id, a.id) for c in challenges for a in actions}
    cells = {(cell.challenge_id, cell.action_id): cell
             for cell in matrix(db, seminar_id, activity_id)
             if (cell.challenge_id, cell.action_id) in asked}
    return RobustnessGrid([(c.id, c.text) for c in challenges], [(a.id, a.text) for a in actions], cells)
