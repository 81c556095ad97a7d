"""Rate limits: the token bucket itself, then contributions and votes per device."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from seminar_helpers import open_activity, refused, total
from workshop.errors import Invalid
from workshop.models import CardKind, DotVote, Interaction, Relation
from workshop.services import cards, links, ratelimit, robustness, votes
from workshop.services.ratelimit import RateLimiter

# --- the bucket ----------------------------------------------------------------------------


def test_a_burst_then_the_sustained_rate(fake_clock):
    limiter = RateLimiter("t", burst=10, per_second=2)
    assert [limiter.take("a") for _ in range(10)] == [0] * 10
    assert limiter.take("a") == 1  # empty: wait about half a second, rounded up
    fake_clock.advance(seconds=0.5)
    assert limiter.take("a") == 0
    assert limiter.take("a") == 1
    fake_clock.advance(seconds=60)  # a long pause refills to the burst, not beyond
    assert [limiter.take("a") for _ in range(11)].count(0) == 10


def test_keys_do_not_share_a_bucket(fake_clock):
    limiter = RateLimiter("t", burst=2, per_second=1)
    assert limiter.take("a") == limiter.take("a") == 0
    assert limiter.take("a") > 0
    assert limiter.take("b") == 0


def test_a_refusal_takes_nothing_and_a_give_back_returns_a_token(fake_clock):
    limiter = RateLimiter("t", burst=1, per_second=0.1)
    assert limiter.take("a") == 0
    assert limiter.take("a") == 10
    assert limiter.retry_after("a") == 10
    limiter.give_back("a")
    assert limiter.take("a") == 0


def test_a_clock_set_back_refills_nothing(fake_clock):
    limiter = RateLimiter("t", burst=1, per_second=1)
    assert limiter.take("a") == 0
    fake_clock.advance(seconds=-3600)
    assert limiter.take("a") > 0
    fake_clock.advance(seconds=3601)
    assert limiter.take("a") == 0


def test_idle_buckets_are_forgotten_when_there_are_too_many(fake_clock):
    limiter = RateLimiter("t", burst=1, per_second=1, max_keys=100)
    for i in range(100):
        limiter.take(f"k{i}")
    fake_clock.advance(seconds=5)  # all full again: forgettable
    limiter.take("new")
    assert len(limiter) == 1
    for i in range(300):  # busy keys: memory stays bounded anyway
        limiter.take(f"busy{i}")
    assert len(limiter) <= 100


def test_threads_racing_on_one_key_get_exactly_the_burst(fake_clock):
    limiter = RateLimiter("t", burst=25, per_second=0.001)
    barrier = threading.Barrier(8)

    def hammer(_):
        barrier.wait()
        return sum(1 for _ in range(50) if limiter.take("same") == 0)

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(hammer, range(8))) == 25


def test_exempt_lifts_the_limits_in_this_thread_only(fake_clock):
    limiter = RateLimiter("t", burst=1, per_second=0.01)
    limiter.take("a")
    with ratelimit.exempt():
        assert all(limiter.take("a") == 0 for _ in range(5))
        seen = []
        thread = threading.Thread(target=lambda: seen.append(limiter.take("a")))
        thread.start()
        thread.join()
        assert seen[0] > 0
    assert limiter.take("a") > 0


def test_the_documented_numbers_are_generous_for_a_person():
    assert ratelimit.DEVICE.burst >= 10 and ratelimit.DEVICE.per_second >= 2
    assert ratelimit.DEVICE.enabled


# --- per device, through the services -------------------------------------------------------


@pytest.fixture
def dot_vote(db, seminar):
    sid = seminar.seminar_id
    activity = open_activity(db, sid, Interaction.DOT_VOTE, where=lambda a: a.vote_budget)
    kind = activity.card_kinds[0] if activity.card_kinds else CardKind.STAKE.value
    card_ids = [cards.add_card(db, sid, kind=kind, text=f"Carte {i}").id for i in range(3)]
    return activity, card_ids


def test_votes_beyond_the_burst_are_refused_in_french_and_change_nothing(db, join, dot_vote, fake_clock):
    activity, (card, *_) = dot_vote
    alice, bob = join("Alice"), join("Bob")
    for i in range(ratelimit.DEVICE.burst):
        votes.set_dots(db, alice.device_token, activity.id, card, i % 2)  # tap, untap…
    before = total(db, DotVote.dots)
    with refused(Invalid, "rate_limited") as caught:
        votes.set_dots(db, alice.device_token, activity.id, card, 1)
    assert caught.value.message("fr").startswith("Vous allez un peu vite\u00a0: patientez 1 s")
    assert caught.value.message("en").startswith("You are going a little fast: wait 1 s")
    assert total(db, DotVote.dots) == before
    votes.set_dots(db, bob.device_token, activity.id, card, 1)  # another tablet is not slowed down
    fake_clock.advance(seconds=1)
    assert votes.set_dots(db, alice.device_token, activity.id, card, 1).dots_by_card == {card: 1}


def test_contributions_are_limited_per_device(db, seminar, join, fake_clock):
    sid = seminar.seminar_id
    activity = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    alice = join("Alice")
    for i in range(ratelimit.DEVICE.burst):
        cards.contribute(db, alice.device_token, activity.id, kind="stake", text=f"Enjeu {i}")
    with refused(Invalid, "rate_limited"):
        cards.contribute(db, alice.device_token, activity.id, kind="stake", text="Un de trop")
    assert len(cards.own_cards(db, alice.device_token)) == ratelimit.DEVICE.burst
    fake_clock.advance(seconds=2)
    mine = cards.own_cards(db, alice.device_token)
    cards.edit_own(db, alice.device_token, mine[0].id, text="Corrigé")
    cards.withdraw_own(db, alice.device_token, mine[1].id)
    with refused(Invalid, "rate_limited"):  # edits and withdrawals draw on the same bucket
        for card in mine[2:]:
            cards.withdraw_own(db, alice.device_token, card.id)


def test_ratings_robustness_and_link_proposals_are_limited(db, seminar, join, fake_clock, monkeypatch):
    monkeypatch.setattr(ratelimit.DEVICE, "burst", 2)
    alice = join("Alice")
    with refused(Invalid, "rate_limited"):
        for _ in range(3):
            try:
                votes.rate(db, alice.device_token, 10**6, 1, "impact", 3)
            except Invalid as exc:
                if exc.code == "rate_limited":
                    raise
            except Exception:
                pass
    fake_clock.advance(seconds=10)
    with refused(Invalid, "rate_limited"):
        for _ in range(3):
            try:
                robustness.rate(db, alice.device_token, 10**6, 1, 2, "holds")
            except Invalid as exc:
                if exc.code == "rate_limited":
                    raise
            except Exception:
                pass
    fake_clock.advance(seconds=10)
    with refused(Invalid, "rate_limited"):
        for _ in range(3):
            try:
                links.propose_link(db, alice.device_token, 10**6, 1, 2, Relation.SUPPORTS)
            except Invalid as exc:
                if exc.code == "rate_limited":
                    raise
            except Exception:
                pass


def test_the_limit_can_be_turned_off_for_robots(db, join, dot_vote, monkeypatch):
    monkeypatch.setattr(ratelimit.DEVICE, "enabled", False)
    activity, (card, *_) = dot_vote
    alice = join("Alice")
    for i in range(3 * ratelimit.DEVICE.burst):
        votes.set_dots(db, alice.device_token, activity.id, card, i % 2)
