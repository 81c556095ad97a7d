"""Dot votes, 1-5 ratings and robustness ratings.

A tablet sends absolute states ("card 12 now has 2 of my dots", "impact = 4"), never
increments: a retried or duplicated request leaves the same result. Each write locks
the participant's row first, so two racing requests of one person are serialised and a
dot budget can never be overspent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from workshop.db import Database
from workshop.errors import Invalid
from workshop.models import (
    Activity,
    Card,
    CardKind,
    College,
    DotVote,
    Interaction,
    Participant,
    Rating,
    RobustnessRating,
    Verdict,
)
from workshop.services import ratelimit
from workshop.services._common import (
    MAX_DETAILS,
    clean_text,
    get_activity,
    get_card,
    lock_participant,
    participant_by_token,
    publish,
    require_open,
)


@dataclass(frozen=True)
class Ballot:
    """What a participant's tablet shows while voting: the budget and where the dots are."""

    activity_id: int
    budget: int
    max_per_card: int | None
    dots_by_card: dict[int, int]

    @property
    def used(self) -> int:
        return sum(self.dots_by_card.values())

    @property
    def remaining(self) -> int:
        return self.budget - self.used


@dataclass(frozen=True)
class CardTally:
    card_id: int
    text: str
    dots: int
    voters: int
    by_college: dict[str, int] = field(default_factory=dict)


def _voting_activity(session, seminar_id: int, activity_id: int, interaction: Interaction) -> Activity:
    activity = get_activity(session, seminar_id, activity_id)
    require_open(activity)
    if activity.interaction is not interaction or not activity.votes_open:
        raise Invalid("votes_closed", title=activity.title)
    return activity


def _votable(session, activity: Activity, card_id: int) -> Card:
    card = get_card(session, activity.seminar_id, card_id)
    if card.hidden:
        raise Invalid("card_hidden", card=card_id)
    if activity.card_kinds and card.kind.value not in activity.card_kinds:
        raise Invalid("kind_not_expected", kind=card.kind.value)
    return card


def _ballot(session, activity: Activity, participant_id: int) -> Ballot:
    rows = session.execute(select(DotVote.card_id, DotVote.dots).where(
        DotVote.activity_id == activity.id, DotVote.participant_id == participant_id)).all()
    return Ballot(activity.id, activity.vote_budget or 0, activity.vote_max_per_card, dict(rows))


def set_dots(db: Database, device_token: str, activity_id: int, card_id: int, dots: int) -> Ballot:
    """Put exactly ``dots`` of the participant's dots on a card (0 takes them all back)."""
    ratelimit.check_device(device_token)
    if not isinstance(dots, int) or isinstance(dots, bool) or dots < 0:
        raise Invalid("bad_dots")
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        lock_participant(session, participant)
        activity = _voting_activity(session, participant.seminar_id, activity_id, Interaction.DOT_VOTE)
        _votable(session, activity, card_id)
        if activity.vote_max_per_card is not None and dots > activity.vote_max_per_card:
            raise Invalid("too_many_dots_on_card", max=activity.vote_max_per_card)
        ballot = _ballot(session, activity, participant.id)
        others = ballot.used - ballot.dots_by_card.get(card_id, 0)
        if others + dots > ballot.budget:
            raise Invalid("vote_budget_exceeded", budget=ballot.budget, remaining=ballot.budget - others)
        row = session.scalar(select(DotVote).where(DotVote.activity_id == activity.id,
                                                   DotVote.participant_id == participant.id,
                                                   DotVote.card_id == card_id))
        if dots == 0:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(DotVote(activity_id=activity.id, participant_id=participant.id, card_id=card_id, dots=dots))
        else:
            row.dots = dots
        seminar_id = participant.seminar_id
    after = {cid: n for cid, n in ballot.dots_by_card.items() if cid != card_id}
    if dots:
        after[card_id] = dots
    publish(seminar_id, "vote.changed", activity_id=activity_id, card_id=card_id)
    return Ballot(ballot.activity_id, ballot.budget, ballot.max_per_card, after)


def ballot(db: Database, device_token: str, activity_id: int) -> Ballot:
    with db.read() as session:
        participant = participant_by_token(session, device_token)
        activity = get_activity(session, participant.seminar_id, activity_id)
        return _ballot(session, activity, participant.id)


def tally(db: Database, seminar_id: int, activity_id: int | None = None) -> list[CardTally]:
    """Dots per card, highest first, with the split by collège; withdrawn and merged-away cards drop out."""
    with db.read() as session:
        return _tally(session, seminar_id, activity_id)


def _tally(session, seminar_id: int, activity_id: int | None) -> list[CardTally]:
    query = (select(DotVote.card_id, Card.text, Participant.college, func.sum(DotVote.dots), func.count())
             .join(Participant, Participant.id == DotVote.participant_id)
             .join(Card, Card.id == DotVote.card_id)
             .where(Card.seminar_id == seminar_id, Card.withdrawn.is_(False), Card.merged_into_id.is_(None))
             .group_by(DotVote.card_id, Card.text, Participant.college))
    if activity_id is not None:
        query = query.where(DotVote.activity_id == activity_id)
    texts: dict[int, str] = {}
    dots: dict[int, int] = defaultdict(int)
    voters_by_card: dict[int, int] = defaultdict(int)
    by_college: dict[int, dict[str, int]] = defaultdict(dict)
    for card_id, text, college, total, count in session.execute(query):
        texts[card_id] = text
        dots[card_id] += int(total)
        voters_by_card[card_id] += int(count)
        by_college[card_id][College(college).value] = int(total)
    tallies = [CardTally(cid, texts[cid], dots[cid], voters_by_card[cid], by_college[cid]) for cid in dots]
    return sorted(tallies, key=lambda t: (-t.dots, t.card_id))


def dot_vote_results(db: Database, seminar_id: int, activity_id: int) -> tuple[int, list[CardTally]]:
    """What the projector shows of a dot vote, in one read: how many people voted, and the tally.

    Redrawn up to 25 times a second while a room votes, so two queries, not five.
    """
    with db.read() as session:
        voters_count = session.scalar(
            select(func.count(func.distinct(DotVote.participant_id)))
            .join(Activity, Activity.id == DotVote.activity_id)
            .where(DotVote.activity_id == activity_id, Activity.seminar_id == seminar_id))
        return int(voters_count or 0), _tally(session, seminar_id, activity_id)


def voters(db: Database, seminar_id: int, activity_id: int) -> set[int]:
    """Who has voted in an activity (the console shows it; the projector does not)."""
    with db.read() as session:
        activity = get_activity(session, seminar_id, activity_id)
        model = {Interaction.DOT_VOTE: DotVote, Interaction.RATE: Rating,
                 Interaction.ROBUSTNESS: RobustnessRating}.get(activity.interaction)
        if model is None:
            return set()
        return set(session.scalars(select(model.participant_id).where(model.activity_id == activity_id).distinct()))


def rate(db: Database, device_token: str, activity_id: int, card_id: int, criterion: str, value: int) -> None:
    """Set one 1-5 rating (likelihood, impact…) of a card; setting it again replaces it."""
    ratelimit.check_device(device_token)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise Invalid("rating_out_of_range")
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        lock_participant(session, participant)
        activity = _voting_activity(session, participant.seminar_id, activity_id, Interaction.RATE)
        if criterion not in activity.criteria:
            raise Invalid("unknown_criterion", criterion=str(criterion)[:40])
        _votable(session, activity, card_id)
        row = session.scalar(select(Rating).where(Rating.activity_id == activity_id,
                                                  Rating.participant_id == participant.id,
                                                  Rating.card_id == card_id, Rating.criterion == criterion))
        if row is None:
            session.add(Rating(activity_id=activity_id, participant_id=participant.id, card_id=card_id,
                               criterion=criterion, value=value))
        else:
            row.value = value
        seminar_id = participant.seminar_id
    publish(seminar_id, "rating.changed", activity_id=activity_id, card_id=card_id)


def mean_ratings(db: Database, seminar_id: int) -> dict[int, dict[str, float]]:
    """Average rating of each card on each criterion, over everyone who rated it."""
    with db.read() as session:
        rows = session.execute(select(Rating.card_id, Rating.criterion, func.avg(Rating.value))
                               .join(Card, Card.id == Rating.card_id)
                               .where(Card.seminar_id == seminar_id, *_LIVE_CARD)
                               .group_by(Rating.card_id, Rating.criterion)).all()
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for card_id, criterion, mean in rows:
        out[card_id][criterion] = round(float(mean), 2)
    return dict(out)


# Cards that still count: not withdrawn by their author, not merged into another card.
_LIVE_CARD = (Card.withdrawn.is_(False), Card.merged_into_id.is_(None))

VERDICT_SCORE = {Verdict.BREAKS: 0, Verdict.BENDS: 1, Verdict.HOLDS: 2}


def rate_robustness(db: Database, device_token: str, activity_id: int, challenge_id: int, action_id: int,
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
        activity = _voting_activity(session, participant.seminar_id, activity_id, Interaction.ROBUSTNESS)
        challenge = get_card(session, participant.seminar_id, challenge_id)
        action = get_card(session, participant.seminar_id, action_id)
        if challenge.kind is not CardKind.CHALLENGE or action.kind not in (CardKind.CURRENT_ACTION,
                                                                            CardKind.ACTION_LEAD):
            raise Invalid("robustness_pair")
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


def robustness_matrix(db: Database, seminar_id: int) -> list[RobustnessCell]:
    with db.read() as session:
        action = aliased(Card)
        rows = session.execute(select(RobustnessRating).join(Card, Card.id == RobustnessRating.challenge_id)
                               .join(action, action.id == RobustnessRating.action_id)
                               .where(Card.seminar_id == seminar_id, *_LIVE_CARD,
                                      action.withdrawn.is_(False), action.merged_into_id.is_(None))
                               .order_by(RobustnessRating.id)).scalars().all()
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
