"""Dot votes (budget, retries, races) and 1-5 ratings (the robustness test: test_robustness.py)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from seminar_helpers import count, find_activity, open_activity, refused, total
from workshop.errors import Invalid, NotFound, WorkshopError
from workshop.models import CardKind, College, DotVote, Interaction, Rating
from workshop.services import activities, cards, votes


@dataclass
class Vote:
    sid: int
    activity: object
    kind: str
    budget: int
    max_per_card: int | None
    cards: list[int]


@pytest.fixture
def vote(db, seminar) -> Vote:
    """The first dot vote of the run sheet, opened, with enough cards of its kind to spend twice the budget."""
    sid = seminar.seminar_id
    activity = open_activity(db, sid, Interaction.DOT_VOTE, where=lambda a: a.vote_budget)
    kind = activity.card_kinds[0] if activity.card_kinds else CardKind.STAKE.value
    ids = [cards.add_card(db, sid, kind=kind, text=f"Carte {i}").id for i in range(2 * activity.vote_budget + 2)]
    return Vote(sid, activity, kind, activity.vote_budget, activity.vote_max_per_card, ids)


def _cap(vote: Vote) -> int:
    return vote.max_per_card or vote.budget


def _spend_all(db, token, vote: Vote) -> dict[int, int]:
    """Spend the whole budget, as many dots per card as allowed."""
    left, spent = vote.budget, {}
    for card_id in vote.cards:
        if not left:
            break
        dots = min(_cap(vote), left)
        votes.set_dots(db, token, vote.activity.id, card_id, dots)
        spent[card_id], left = dots, left - dots
    return spent


# --- the ballot -------------------------------------------------------------------------------------


def test_the_dot_budget_is_enforced(db, join, vote):
    alice = join("Alice")
    spent = _spend_all(db, alice.device_token, vote)
    ballot = votes.ballot(db, alice.device_token, vote.activity.id)
    assert (ballot.used, ballot.remaining, ballot.dots_by_card) == (vote.budget, 0, spent)
    spare = next(c for c in vote.cards if c not in spent)
    with refused(Invalid, "vote_budget_used_up", budget=vote.budget) as caught:
        votes.set_dots(db, alice.device_token, vote.activity.id, spare, 1)
    # none left: the message never says "il vous en reste 1"
    assert "reste" not in caught.value.message("fr") and "toutes vos gommettes" in caught.value.message("fr").lower()
    assert votes.ballot(db, alice.device_token, vote.activity.id).dots_by_card == spent

    # taking one dot back frees exactly one
    first = next(iter(spent))
    votes.set_dots(db, alice.device_token, vote.activity.id, first, spent[first] - 1)
    if _cap(vote) >= 2:
        with refused(Invalid, "vote_budget_left", budget=vote.budget, count=1) as caught:
            votes.set_dots(db, alice.device_token, vote.activity.id, spare, 2)
        assert "il ne vous reste qu'une gommette" in caught.value.message("fr").lower()
    ballot = votes.set_dots(db, alice.device_token, vote.activity.id, spare, 1)
    assert ballot.used == vote.budget and ballot.dots_by_card[spare] == 1
    assert total(db, DotVote.dots) == vote.budget


def test_moving_dots_on_a_card_counts_only_the_difference(db, join, vote):
    alice = join("Alice")
    card = vote.cards[0]
    votes.set_dots(db, alice.device_token, vote.activity.id, card, 1)
    # raising this card to the budget's limit is checked against the other cards only
    target = min(_cap(vote), vote.budget)
    ballot = votes.set_dots(db, alice.device_token, vote.activity.id, card, target)
    assert ballot.dots_by_card == {card: target} and ballot.remaining == vote.budget - target


def test_max_dots_per_card(db, join, vote):
    if vote.max_per_card is None:
        pytest.skip("this run sheet's vote has no per-card maximum")
    alice = join("Alice")
    with refused(Invalid, "too_many_dots_on_card", max=vote.max_per_card):
        votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], vote.max_per_card + 1)
    assert count(db, DotVote) == 0
    votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], vote.max_per_card)


def test_setting_zero_takes_the_dots_back(db, join, vote):
    alice = join("Alice")
    votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], 1)
    ballot = votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], 0)
    assert ballot.dots_by_card == {} and ballot.remaining == vote.budget
    assert count(db, DotVote) == 0
    ballot = votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], 0)  # again: harmless
    assert ballot.used == 0 and count(db, DotVote) == 0


def test_a_repeated_call_gives_the_same_ballot(db, join, vote):
    alice = join("Alice")
    first = votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], 1)
    second = votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], 1)
    assert first == second
    assert count(db, DotVote) == 1 and total(db, DotVote.dots) == 1
    assert votes.ballot(db, alice.device_token, vote.activity.id) == second


def test_bad_dot_counts_are_refused(db, join, vote):
    alice = join("Alice")
    for dots in (-1, 1.5, "2", True, None):
        with refused(Invalid, "bad_dots", case=dots):
            votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], dots)
    assert count(db, DotVote) == 0


# --- when votes are taken --------------------------------------------------------------------------


def test_votes_only_while_the_vote_is_open(db, join, vote):
    alice = join("Alice")
    sid, activity_id, card = vote.sid, vote.activity.id, vote.cards[0]
    activities.set_votes_open(db, sid, activity_id, False)
    with refused(Invalid, "votes_closed"):
        votes.set_dots(db, alice.device_token, activity_id, card, 1)
    activities.set_votes_open(db, sid, activity_id, True)
    activities.pause(db, sid, activity_id)
    with refused(Invalid, "activity_paused"):
        votes.set_dots(db, alice.device_token, activity_id, card, 1)
    activities.resume(db, sid, activity_id)
    votes.set_dots(db, alice.device_token, activity_id, card, 1)
    activities.close_activity(db, sid, activity_id)
    with refused(Invalid, "activity_not_open"):
        votes.set_dots(db, alice.device_token, activity_id, card, 0)
    assert total(db, DotVote.dots) == 1  # the closed vote keeps its result


def test_no_dots_in_an_activity_that_is_not_a_dot_vote(db, seminar, join, vote):
    alice = join("Alice")
    contribute = open_activity(db, vote.sid, Interaction.CONTRIBUTE)
    with refused(Invalid, "votes_closed"):
        votes.set_dots(db, alice.device_token, contribute.id, vote.cards[0], 1)
    with refused(Invalid, "activity_not_open"):  # the dot vote was closed by opening another activity
        votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], 1)
    assert count(db, DotVote) == 0


def test_hidden_withdrawn_merged_and_unexpected_cards_are_refused(db, seminar, join, vote):
    sid = vote.sid
    alice = join("Alice")
    hidden, merged, keep = vote.cards[:3]
    cards.set_hidden(db, sid, hidden, True)
    cards.merge(db, sid, keep, [merged])
    # a card its author withdrew: written during a contribution activity taking this kind
    contribute = find_activity(db, sid, Interaction.CONTRIBUTE, vote.kind)
    activities.open_activity(db, sid, contribute.id)
    withdrawn = cards.contribute(db, alice.device_token, contribute.id, kind=vote.kind, text="Retirée").id
    cards.withdraw_own(db, alice.device_token, withdrawn)
    activities.open_activity(db, sid, vote.activity.id)
    unexpected_kind = next(k for k in CardKind if k.value not in vote.activity.card_kinds)
    unexpected = cards.add_card(db, sid, kind=unexpected_kind, text="Autre type").id

    for card_id, code in [(hidden, "card_hidden"), (withdrawn, "card_withdrawn"), (merged, "card_merged"),
                          (unexpected, "kind_not_expected")]:
        with refused(Invalid, code):
            votes.set_dots(db, alice.device_token, vote.activity.id, card_id, 1)
    with refused(NotFound, "not_found", what="card"):
        votes.set_dots(db, alice.device_token, vote.activity.id, 10_000, 1)
    assert count(db, DotVote) == 0


# --- the tally ----------------------------------------------------------------------------------------


def test_tally_is_sorted_and_split_by_college_of_three_voters_or_more(db, join, vote):
    """A collège is shown apart only with 3 voters or more in the vote (statistical secrecy): the
    one expert's dots, and the élus' with them (alone, hers would be the total less the rest), are
    counted together as not broken down; the habitants, three of them, are shown."""
    a, b, c = vote.cards[:3]
    elected = [join(f"Élue {i}", College.ELECTED) for i in range(3)]
    residents = [join(f"Habitant {i}", College.RESIDENT) for i in range(3)]
    expert = join("Experte", College.EXPERT)
    for person in (*elected, *residents, expert):
        votes.set_dots(db, person.device_token, vote.activity.id, b, 1)
    for person in residents[:2]:
        votes.set_dots(db, person.device_token, vote.activity.id, a, 1)
    votes.set_dots(db, expert.device_token, vote.activity.id, a, 1)
    votes.set_dots(db, elected[0].device_token, vote.activity.id, c, 1)

    tally = votes.tally(db, vote.sid, vote.activity.id)
    assert [t.card_id for t in tally] == [b, a, c]  # most dots first, ties by card order
    top = tally[0]
    assert (top.dots, top.voters, top.text) == (7, 7, "Carte 1")
    assert [(t.by_college, t.undetailed, t.votes_by_college, t.undetailed_votes) for t in tally] == [
        ({"resident": 3}, 4, {"resident": 3}, 4), ({"resident": 2}, 1, {"resident": 2}, 1), ({}, 1, {}, 1)]
    assert sum(t.dots for t in tally) == total(db, DotVote.dots)
    assert votes.voters(db, vote.sid, vote.activity.id) == {p.participant_id for p in (*elected, *residents, expert)}
    assert votes.tally(db, vote.sid) == tally  # all activities: the same here
    assert votes.dot_vote_results(db, vote.sid, vote.activity.id) == (7, tally)  # the projector's read

    votes.set_dots(db, join("Experte 2", College.EXPERT).device_token, vote.activity.id, c, 1)
    votes.set_dots(db, join("Experte 3", College.EXPERT).device_token, vote.activity.id, c, 1)
    tally = votes.tally(db, vote.sid, vote.activity.id)  # three experts now: every collège shown
    assert {t.card_id: (t.by_college, t.undetailed) for t in tally} == {
        b: ({"elected": 3, "resident": 3, "expert": 1}, 0), a: ({"resident": 2, "expert": 1}, 0),
        c: ({"elected": 1, "expert": 2}, 0)}


@pytest.mark.parametrize("voters, hidden", [
    ({"elected": 5, "resident": 3}, set()),
    ({"elected": 1}, {"elected"}),
    ({"elected": 5, "resident": 1}, {"elected", "resident"}),  # the élus' alone would say the habitant's
    ({"elected": 5, "resident": 4, "expert": 1}, {"expert", "resident"}),  # the smallest goes with it
    ({"elected": 2, "resident": 2, "expert": 6}, {"elected", "resident"}),  # four together: enough
])
def test_which_colleges_a_vote_does_not_break_down(voters, hidden):
    assert votes.undetailed_colleges(voters) == hidden


def test_withdrawn_cards_drop_out_of_the_tally(db, seminar, join, vote):
    sid = vote.sid
    alice, bob = join("Alice"), join("Bob")
    contribute = open_activity(db, sid, Interaction.CONTRIBUTE, vote.kind)
    mine = cards.contribute(db, alice.device_token, contribute.id, kind=vote.kind, text="La mienne").id
    activities.open_activity(db, sid, vote.activity.id)
    votes.set_dots(db, bob.device_token, vote.activity.id, mine, 1)
    votes.set_dots(db, bob.device_token, vote.activity.id, vote.cards[0], 1)
    activities.open_activity(db, sid, contribute.id)
    cards.withdraw_own(db, alice.device_token, mine)
    assert [t.card_id for t in votes.tally(db, sid, vote.activity.id)] == [vote.cards[0]]


# --- races ---------------------------------------------------------------------------------------------


def _run_together(calls, workers):
    """Run the calls from ``workers`` threads released at once; return what each returned or raised."""
    barrier = threading.Barrier(workers)
    shares = [calls[i::workers] for i in range(workers)]

    def work(share):
        barrier.wait(timeout=30)
        out = []
        for call in share:
            try:
                out.append(call())
            except Exception as exc:  # noqa: BLE001 - every outcome is checked by the test
                out.append(exc)
        return out

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = [r for share in pool.map(work, shares) for r in share]
    return results


def test_racing_votes_never_overspend_the_budget(db, join, vote):
    alice = join("Alice")
    targets = vote.cards[:2 * vote.budget]
    calls = [lambda card=card: votes.set_dots(db, alice.device_token, vote.activity.id, card, 1) for card in targets]
    results = _run_together(calls, workers=min(8, len(calls)))

    unexpected = [r for r in results if isinstance(r, Exception)
                  and not (isinstance(r, Invalid) and r.code in ("vote_budget_used_up", "vote_budget_left"))]
    assert unexpected == [], f"only budget refusals are acceptable, got {unexpected!r}"
    succeeded = [r for r in results if not isinstance(r, Exception)]
    committed = total(db, DotVote.dots)
    assert committed <= vote.budget
    assert len(succeeded) == committed == vote.budget  # serialised: the first B win, the others are told
    assert all(r.used <= vote.budget for r in succeeded)
    assert votes.ballot(db, alice.device_token, vote.activity.id).used == vote.budget


def test_racing_retries_of_the_same_vote_leave_one_row(db, join, vote):
    alice = join("Alice")
    calls = [lambda: votes.set_dots(db, alice.device_token, vote.activity.id, vote.cards[0], 1)] * 8
    results = _run_together(calls, workers=8)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert count(db, DotVote) == 1 and total(db, DotVote.dots) == 1


def test_many_participants_voting_at_once_all_succeed(db, join, vote):
    people = [join(f"P{i}", list(College)[i % len(College)]) for i in range(8)]
    calls = []
    for person in people:
        left = vote.budget
        for card_id in vote.cards:
            if not left:
                break
            dots = min(_cap(vote), left)
            calls.append(lambda t=person.device_token, c=card_id, d=dots:
                         votes.set_dots(db, t, vote.activity.id, c, d))
            left -= dots
    results = _run_together(calls, workers=8)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert total(db, DotVote.dots) == len(people) * vote.budget
    assert sum(t.dots for t in votes.tally(db, vote.sid, vote.activity.id)) == len(people) * vote.budget
    for person in people:
        assert votes.ballot(db, person.device_token, vote.activity.id).remaining == 0


# --- ratings -------------------------------------------------------------------------------------------


@pytest.fixture
def rating(db, seminar):
    activity = open_activity(db, seminar.seminar_id, Interaction.RATE, where=lambda a: a.criteria)
    kind = activity.card_kinds[0] if activity.card_kinds else CardKind.THREAT.value
    card_ids = [cards.add_card(db, seminar.seminar_id, kind=kind, text=t).id
                for t in ("Désertification médicale", "Montée des eaux")]
    return activity, card_ids


def test_ratings_are_upserted_and_averaged(db, seminar, join, rating):
    activity, (first, second) = rating
    criterion = activity.criteria[0]
    alice, bob, carla = join("Alice"), join("Bob"), join("Carla")
    votes.rate(db, alice.device_token, activity.id, first, criterion, 2)
    votes.rate(db, alice.device_token, activity.id, first, criterion, 5)  # changes her mind: replaced
    votes.rate(db, bob.device_token, activity.id, first, criterion, 4)
    votes.rate(db, carla.device_token, activity.id, first, criterion, 4)
    votes.rate(db, bob.device_token, activity.id, second, criterion, 1)
    assert count(db, Rating) == 4
    means = votes.mean_ratings(db, seminar.seminar_id)
    assert means[first] == {criterion: pytest.approx(13 / 3)}
    assert means[second] == {criterion: 1.0}
    if len(activity.criteria) > 1:
        other = activity.criteria[1]
        votes.rate(db, alice.device_token, activity.id, first, other, 3)
        assert votes.mean_ratings(db, seminar.seminar_id)[first] == {criterion: pytest.approx(13 / 3), other: 3.0}
    assert votes.voters(db, seminar.seminar_id, activity.id) == {alice.participant_id, bob.participant_id,
                                                                 carla.participant_id}


def test_merged_away_cards_drop_out_of_the_rating_means(db, seminar, join, rating):
    """After a merge, the means show the kept card only: no ghost of the duplicate."""
    activity, (first, second) = rating
    criterion = activity.criteria[0]
    alice, bob = join("Alice"), join("Bob")
    votes.rate(db, alice.device_token, activity.id, first, criterion, 5)
    votes.rate(db, alice.device_token, activity.id, second, criterion, 1)  # clashes with her rating of first
    votes.rate(db, bob.device_token, activity.id, second, criterion, 3)
    cards.merge(db, seminar.seminar_id, first, [second])
    means = votes.mean_ratings(db, seminar.seminar_id)
    assert set(means) == {first}
    assert means[first] == {criterion: 4.0}  # Alice's 5 and Bob's moved 3; Alice's clashing 1 waits for a split
    cards.split(db, seminar.seminar_id, second)
    assert votes.mean_ratings(db, seminar.seminar_id) == {first: {criterion: 5.0}, second: {criterion: 2.0}}


def test_ratings_go_from_1_to_5(db, join, rating):
    activity, (first, _) = rating
    alice = join("Alice")
    for value in (0, 6, -1, 3.5, "4", True, None):
        with refused(Invalid, "rating_out_of_range", case=value):
            votes.rate(db, alice.device_token, activity.id, first, activity.criteria[0], value)
    assert count(db, Rating) == 0
    for value in (1, 5):
        votes.rate(db, alice.device_token, activity.id, first, activity.criteria[0], value)
    assert count(db, Rating) == 1


def test_ratings_need_a_known_criterion_and_an_open_rating(db, seminar, join, rating):
    activity, (first, _) = rating
    alice = join("Alice")
    with refused(Invalid, "unknown_criterion"):
        votes.rate(db, alice.device_token, activity.id, first, "beauty", 3)
    activities.set_votes_open(db, seminar.seminar_id, activity.id, False)
    with refused(Invalid, "votes_closed"):
        votes.rate(db, alice.device_token, activity.id, first, activity.criteria[0], 3)
    activities.close_activity(db, seminar.seminar_id, activity.id)
    with refused(Invalid, "activity_not_open"):
        votes.rate(db, alice.device_token, activity.id, first, activity.criteria[0], 3)
    assert count(db, Rating) == 0


# --- robustness -------------------------------------------------------------------------------------------


def test_votes_refuse_forged_tokens(db, vote):
    with pytest.raises(WorkshopError) as info:
        votes.set_dots(db, "forged", vote.activity.id, vote.cards[0], 1)
    assert info.value.code == "unknown_device"
    assert count(db, DotVote) == 0


def test_each_commit_reaches_the_disk(db) -> None:
    """A vote acknowledged on a tablet survives a power cut: SQLite in WAL mode with
    synchronous=FULL; PostgreSQL with fsync and synchronous_commit on."""
    from sqlalchemy import text

    with db.read() as session:
        if db.is_sqlite:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # 2 = FULL (1 = NORMAL)
        else:
            assert session.execute(text("SHOW synchronous_commit")).scalar() == "on"
            assert session.execute(text("SHOW fsync")).scalar() == "on"
