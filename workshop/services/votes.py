"""Dot votes and 1-5 ratings (robustness answers: ``robustness``).

A tablet sends absolute states ("card 12 now has 2 of my dots", "impact = 4"), never
increments: a retried or duplicated request leaves the same result. Each write locks
the participant's row first, so two racing requests of one person are serialised and a
dot budget can never be overspent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import String, and_, bindparam, delete, func, insert, select, type_coerce, update

from workshop.db import Database
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import (
    Activity,
    Card,
    CardKind,
    DotVote,
    Interaction,
    Participant,
    Rating,
    RobustnessRating,
)
from workshop.services import ratelimit
from workshop.services._common import (
    card_on_the_wall,
    check_on_the_wall,
    check_open_for_votes,
    check_usable,
    get_activity,
    hash_token,
    lock_participant,
    open_for_votes,
    participant_by_token,
    publish,
    whole_number,
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


#: Statistical secrecy, as French official statistics practise it: in a vote, a collège with
#: fewer voters than this is not shown on its own, so that no one's dots can be read off the
#: results (one élu in the room: « élu 3 » on a card would be that person's choice; two: each
#: would read the other's). Every place that splits a vote by collège (projector, report, open
#: data) reads the split from here, already cut (``CardTally``).
MIN_VOTERS_SHOWN = 3
#: Where a split by collège puts the dots of the collèges not shown apart (``CardTally.split``).
UNDETAILED = "undetailed"


def undetailed_colleges(voters: dict[str, int]) -> set[str]:
    """The collèges of one vote whose dots are not shown apart, from how many of each voted.

    Those with fewer than ``MIN_VOTERS_SHOWN`` voters; and while those together are fewer still,
    the smallest of the others with them (a single collège of one voter set aside alone would
    be read as the difference between the total and the collèges shown)."""
    hidden = {c for c, n in voters.items() if 0 < n < MIN_VOTERS_SHOWN}
    if hidden:
        others = sorted((n, c) for c, n in voters.items() if n and c not in hidden)
        while sum(voters[c] for c in hidden) < MIN_VOTERS_SHOWN and others:
            hidden.add(others.pop(0)[1])
    return hidden


@dataclass(frozen=True)
class CardTally:
    """A card's dots, and their split by collège where the vote had enough voters of that collège.

    ``by_college``/``votes_by_college``: dots and votes (one per person) of the collèges shown;
    ``undetailed``/``undetailed_votes``: those of the collèges not shown apart (see
    ``undetailed_colleges``), together. ``dots`` is the whole.
    """

    card_id: int
    text: str
    dots: int
    voters: int
    by_college: dict[str, int] = field(default_factory=dict)
    undetailed: int = 0
    votes_by_college: dict[str, int] = field(default_factory=dict)
    undetailed_votes: int = 0

    @property
    def split(self) -> dict[str, int]:
        """``by_college``, and the dots not broken down under ``UNDETAILED`` (charts stack them last)."""
        return {**self.by_college, UNDETAILED: self.undetailed} if self.undetailed else self.by_college


def check_kind_expected(card_kinds: list[str], kind: CardKind) -> None:
    """An activity that names card kinds takes votes only on cards of those kinds."""
    if card_kinds and kind.value not in card_kinds:
        raise Invalid("kind_not_expected", kind=kind.value)


def check_dots_on_card(dots: int, max_per_card: int | None, *, merged_cards: int = 0) -> None:
    """At most ``max_per_card`` dots of one person on one card.

    A merge adds up the dots one person had on the merged cards, so a card that absorbed
    ``merged_cards`` others may hold up to that many times more (archive import uses this).
    """
    if max_per_card is not None and dots > max_per_card * (1 + merged_cards):
        raise Invalid("too_many_dots_on_card", max=max_per_card, count=max_per_card)


def _votable(session, activity: Activity, card_id: int) -> Card:
    card = card_on_the_wall(session, activity.seminar_id, card_id)
    check_kind_expected(activity.card_kinds, card.kind)
    return card


def _ballot(session, activity: Activity, participant_id: int) -> Ballot:
    rows = session.execute(select(DotVote.card_id, DotVote.dots).where(
        DotVote.activity_id == activity.id, DotVote.participant_id == participant_id)).all()
    return Ballot(activity.id, activity.vote_budget or 0, activity.vote_max_per_card, dict(rows))


# The statements of a tap, built once (every tap of the room runs them; building is most of their
# cost). Those that need no ORM entity run as Core on the session's connection (same transaction).
_participants = Participant.__table__
_dot_votes = DotVote.__table__
_LOCK_PARTICIPANT = (  # participant_by_token and lock_participant in one: UPDATE … RETURNING
    update(_participants).where(_participants.c.device_token_hash == bindparam("token_hash"))
    .values(write_seq=_participants.c.write_seq + 1)
    .returning(_participants.c.id, _participants.c.seminar_id))
_ACTIVITY_AND_CARD = (
    select(Activity, Card).select_from(Activity)
    .outerjoin(Card, and_(Card.id == bindparam("card_id"), Card.seminar_id == bindparam("seminar_id")))
    .where(Activity.id == bindparam("activity_id"), Activity.seminar_id == bindparam("seminar_id")))
_BALLOT_ROWS = select(_dot_votes.c.id, _dot_votes.c.card_id, _dot_votes.c.dots).where(
    _dot_votes.c.activity_id == bindparam("activity_id"), _dot_votes.c.participant_id == bindparam("participant_id"))
_INSERT_ROW = insert(_dot_votes).values(activity_id=bindparam("activity_id"), participant_id=bindparam("participant_id"),
                                        card_id=bindparam("card_id"), dots=bindparam("dots"))
_DELETE_ROW = delete(_dot_votes).where(_dot_votes.c.id == bindparam("row_id"))
_UPDATE_ROW = update(_dot_votes).where(_dot_votes.c.id == bindparam("row_id")).values(dots=bindparam("new_dots"))


def _locked_participant(session, device_token: str | None) -> tuple[int, int]:
    """(participant id, seminar id) of a device token, its row locked for this unit of work.

    ``participant_by_token`` and ``lock_participant`` in one statement: the same lock (the
    row on PostgreSQL, the write on SQLite), one round trip fewer.
    """
    if not device_token or not isinstance(device_token, str) or len(device_token) > 200:
        raise Forbidden("unknown_device")
    row = session.connection().execute(_LOCK_PARTICIPANT, {"token_hash": hash_token(device_token)}).first()
    if row is None:
        raise Forbidden("unknown_device")
    return row[0], row[1]


def set_dots(db: Database, device_token: str, activity_id: int, card_id: int, dots: int) -> Ballot:
    """Put exactly ``dots`` of the participant's dots on a card (0 takes them all back).

    The path of every tap in the room, so four statements in one transaction: lock the
    participant, read the activity with the card, read the ballot, write the one row.
    """
    ratelimit.check_device(device_token)
    if not whole_number(dots) or dots < 0:
        raise Invalid("bad_dots")
    card_key = card_id if whole_number(card_id) else -1
    activity_key = activity_id if whole_number(activity_id) else -1
    with db.write() as session:
        participant_id, seminar_id = _locked_participant(session, device_token)
        found = session.execute(_ACTIVITY_AND_CARD, {"card_id": card_key, "seminar_id": seminar_id,
                                                     "activity_id": activity_key}).first()
        if found is None:
            raise NotFound("not_found", what="activity")
        activity, card = found
        check_open_for_votes(activity, Interaction.DOT_VOTE)
        if card is None:
            raise NotFound("not_found", what="card")
        check_usable(card)
        check_on_the_wall(card)
        # the same rules as _votable and the archive import (one place each)
        check_kind_expected(activity.card_kinds, card.kind)
        check_dots_on_card(dots, activity.vote_max_per_card)
        connection = session.connection()
        rows = connection.execute(_BALLOT_ROWS, {"activity_id": activity.id, "participant_id": participant_id}).all()
        ballot = Ballot(activity.id, activity.vote_budget or 0, activity.vote_max_per_card,
                        {cid: n for _id, cid, n in rows})
        others = ballot.used - ballot.dots_by_card.get(card_id, 0)
        if others + dots > ballot.budget:
            left = ballot.budget - ballot.used  # dots not placed anywhere yet
            if left <= 0:
                raise Invalid("vote_budget_used_up", budget=ballot.budget)
            raise Invalid("vote_budget_left", budget=ballot.budget, count=left)
        row_id = next((row_id for row_id, cid, _n in rows if cid == card_id), None)
        if dots == 0:
            if row_id is not None:
                connection.execute(_DELETE_ROW, {"row_id": row_id})
        elif row_id is None:
            connection.execute(_INSERT_ROW, {"activity_id": activity.id, "participant_id": participant_id,
                                             "card_id": card_id, "dots": dots})
        elif ballot.dots_by_card.get(card_id) != dots:
            connection.execute(_UPDATE_ROW, {"row_id": row_id, "new_dots": dots})
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
    if activity_id is None:
        results, colleges, params = _ALL_RESULTS, _ALL_COLLEGE_VOTERS, {"seminar_id": seminar_id}
    else:
        results, colleges = _ONE_RESULTS, _COLLEGE_VOTERS
        params = {"seminar_id": seminar_id, "activity_id": activity_id}
    with db.read() as session:
        connection = session.connection()
        return _tallies(connection.execute(results, params), connection.execute(colleges, params))


def _tallies(rows, voters) -> list[CardTally]:
    """CardTally rows, highest first, from (card, text, college, dots, votes, activity, …) rows per
    card and collège, and (activity, college, voters) rows: each vote (activity) cut apart."""
    by_activity: dict[int, dict[str, int]] = defaultdict(dict)
    for activity_id, college, n in voters:
        by_activity[activity_id][college] = int(n)
    hidden = {activity_id: undetailed_colleges(counts) for activity_id, counts in by_activity.items()}
    texts: dict[int, str] = {}
    dots: dict[int, int] = defaultdict(int)
    votes_by_card: dict[int, int] = defaultdict(int)
    by_college: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    votes_by_college: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    undetailed: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for card_id, text, college, total, count, activity_id, *_ in rows:
        texts[card_id] = text
        dots[card_id] += int(total)
        votes_by_card[card_id] += int(count)
        if college in hidden.get(activity_id, ()):
            undetailed[card_id][0] += int(total)
            undetailed[card_id][1] += int(count)
        else:
            by_college[card_id][college] += int(total)
            votes_by_college[card_id][college] += int(count)
    tallies = [CardTally(cid, texts[cid], dots[cid], votes_by_card[cid], dict(by_college[cid]),
                         undetailed[cid][0], dict(votes_by_college[cid]), undetailed[cid][1]) for cid in dots]
    return sorted(tallies, key=lambda t: (-t.dots, t.card_id))


def _tally_queries(*, one_activity: bool):
    """The tally's two queries, built once: dots and votes per card and collège, and how many of
    each collège voted (the split by collège is cut by it), on the cards that still count, in one
    vote (bound ``activity_id``) or in every vote of the seminar. The collège is read as the value
    stored (``_tallies`` keys by it), not made into a College for each row."""
    counted = (Card.seminar_id == bindparam("seminar_id"), Card.withdrawn.is_(False), Card.merged_into_id.is_(None),
               *((DotVote.activity_id == bindparam("activity_id"),) if one_activity else ()))
    college = type_coerce(Participant.college, String)
    results = (select(DotVote.card_id, Card.text, college, func.sum(DotVote.dots), func.count(), DotVote.activity_id)
               .join(Participant, Participant.id == DotVote.participant_id)
               .join(Card, Card.id == DotVote.card_id)
               .where(*counted)
               .group_by(DotVote.card_id, Card.text, Participant.college, DotVote.activity_id))
    colleges = (select(DotVote.activity_id, college, func.count(func.distinct(DotVote.participant_id)))
                .join(Participant, Participant.id == DotVote.participant_id)
                .join(Card, Card.id == DotVote.card_id)
                .where(*counted)
                .group_by(DotVote.activity_id, Participant.college))
    return results, colleges


_ALL_RESULTS, _ALL_COLLEGE_VOTERS = _tally_queries(one_activity=False)
_ONE_RESULTS, _COLLEGE_VOTERS = _tally_queries(one_activity=True)
# How many people voted in the activity (any card, counted or not): the projector reads it with the
# tally, as one more column of its rows.
_VOTERS = (select(func.count(func.distinct(DotVote.participant_id)))
           .join(Activity, Activity.id == DotVote.activity_id)
           .where(DotVote.activity_id == bindparam("activity_id"), Activity.seminar_id == bindparam("seminar_id")))
_RESULTS = _ONE_RESULTS.add_columns(_VOTERS.scalar_subquery())


def dot_vote_results(db: Database, seminar_id: int, activity_id: int) -> tuple[int, list[CardTally]]:
    """What the projector shows of a dot vote, in one read: how many people voted, and the tally.

    Redrawn up to 25 times a second while a room votes: two prepared queries, the tally and how
    many of each collège voted (only the first when no card that still counts has a dot).
    """
    params = {"seminar_id": seminar_id, "activity_id": activity_id}
    with db.read() as session:
        connection = session.connection()  # plain rows: no ORM result machinery for a Core query
        rows = connection.execute(_RESULTS, params).all()
        if rows:
            voters_count = rows[0][6]
            colleges = connection.execute(_COLLEGE_VOTERS, params).all()
        else:
            voters_count, colleges = connection.scalar(_VOTERS, params), []
        return int(voters_count or 0), _tallies(rows, colleges)


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
    if not whole_number(value) or not 1 <= value <= 5:
        raise Invalid("rating_out_of_range")
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        lock_participant(session, participant)
        activity = open_for_votes(session, participant.seminar_id, activity_id, Interaction.RATE)
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


# Cards that still count: not withdrawn by their author, not merged into another card.
_LIVE_CARD = (Card.withdrawn.is_(False), Card.merged_into_id.is_(None))


def mean_ratings(db: Database, seminar_id: int) -> dict[int, dict[str, float]]:
    """Average rating of each card on each criterion, over everyone who rated it.

    Exact (not rounded): severities and exposures are computed from these means, and
    rounding happens only where a number is shown."""
    with db.read() as session:
        rows = session.execute(select(Rating.card_id, Rating.criterion, func.avg(Rating.value))
                               .join(Card, Card.id == Rating.card_id)
                               .where(Card.seminar_id == seminar_id, *_LIVE_CARD)
                               .group_by(Rating.card_id, Rating.criterion)).all()
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for card_id, criterion, mean in rows:
        out[card_id][criterion] = float(mean)
    return dict(out)
