"""The robustness test: each current action rated against each challenge (holds, bends, breaks),
the matrix the projector and the report show, and the pairs the services refuse."""

from __future__ import annotations

import pytest

from seminar_helpers import count, open_activity, refused
from workshop.errors import Invalid
from workshop.models import Interaction, RobustnessRating
from workshop.services import activities, cards, planning, robustness


@pytest.fixture
def robustness_test(db, seminar):
    sid = seminar.seminar_id
    activity = open_activity(db, sid, Interaction.ROBUSTNESS)
    challenge = cards.add_card(db, sid, kind="challenge", text="Comment soigner sans médecins ?").id
    challenge_2 = cards.add_card(db, sid, kind="challenge", text="Comment vivre avec 50 jours de canicule ?").id
    action = cards.add_card(db, sid, kind="current_action", text="Contrat local de santé").id
    action_2 = cards.add_card(db, sid, kind="current_action", text="Plan climat").id
    return activity, challenge, challenge_2, action, action_2


def test_robustness_matrix_scores(db, seminar, join, robustness_test):
    activity, challenge, challenge_2, action, action_2 = robustness_test
    sid = seminar.seminar_id
    alice, bob, carla = join("Alice"), join("Bob"), join("Carla")
    robustness.rate(db, alice.device_token, activity.id, challenge, action, "holds", "finance les maisons")
    robustness.rate(db, bob.device_token, activity.id, challenge, action, "bends")
    robustness.rate(db, carla.device_token, activity.id, challenge, action, "breaks", "pas de médecins")
    robustness.rate(db, alice.device_token, activity.id, challenge_2, action_2, "breaks")
    robustness.rate(db, alice.device_token, activity.id, challenge_2, action_2, "holds", "révisé")  # upsert
    robustness.rate(db, bob.device_token, activity.id, challenge_2, action_2, "holds")
    robustness.rate(db, carla.device_token, activity.id, challenge_2, action_2, "bends")
    assert count(db, RobustnessRating) == 6

    matrix = {(c.challenge_id, c.action_id): c for c in robustness.matrix(db, sid)}
    assert set(matrix) == {(challenge, action), (challenge_2, action_2)}
    mixed = matrix[(challenge, action)]
    assert mixed.score == 1.0  # (2 + 1 + 0) / 3
    assert mixed.counts == {"holds": 1, "bends": 1, "breaks": 1}
    assert sorted(mixed.reasons) == ["finance les maisons", "pas de médecins"]
    solid = matrix[(challenge_2, action_2)]
    assert solid.score == pytest.approx(1.67)  # (2 + 2 + 1) / 3
    assert solid.counts == {"holds": 2, "bends": 1, "breaks": 0}
    assert solid.reasons == ["révisé"]


def test_robustness_ratings_outside_the_pairs_the_test_asks_about_are_refused(db, seminar, join, robustness_test):
    """What the tablets do not offer (``robustness.sides``) a forged message cannot rate either."""
    activity, challenge, _challenge_2, action, _action_2 = robustness_test
    sid = seminar.seminar_id
    alice = join("Alice")
    lead = cards.add_card(db, sid, kind="action_lead", text="Un centre de santé").id
    hidden = cards.add_card(db, sid, kind="current_action", text="Action retirée du mur").id
    cards.set_hidden(db, sid, hidden, True)
    with pytest.raises(Invalid) as caught:
        robustness.rate(db, alice.device_token, activity.id, challenge, lead, "holds")
    assert caught.value.code == "kind_not_expected"
    with pytest.raises(Invalid) as caught:
        robustness.rate(db, alice.device_token, activity.id, challenge, hidden, "holds")
    assert caught.value.code == "card_hidden"
    assert robustness.matrix(db, sid, activity.id) == []
    robustness.rate(db, alice.device_token, activity.id, challenge, action, "holds")
    assert len(robustness.matrix(db, sid, activity.id)) == 1


def test_robustness_grid_holds_every_pair_the_test_asks_about(db, seminar, join, robustness_test):
    """The matrix of a robustness test is every challenge × every current action on the wall,
    rated or not, in the wall's order: one rated pair of four leaves three pairs « not rated yet »,
    not a 1 × 1 matrix. A hidden card, an action lead the test does not ask about and the answers
    of another robustness test stay out of it."""
    activity, challenge, challenge_2, action, action_2 = robustness_test
    sid = seminar.seminar_id
    assert set(activity.card_kinds) == {"challenge", "current_action"}
    alice = join("Alice")
    hidden = cards.add_card(db, sid, kind="current_action", text="Action retirée du mur").id
    cards.set_hidden(db, sid, hidden, True)
    cards.add_card(db, sid, kind="action_lead", text="Piste d'action")
    robustness.rate(db, alice.device_token, activity.id, challenge_2, action, "breaks", "trop tard")

    grid = robustness.grid(db, sid, activity.id)
    assert grid.challenges == [(challenge, "Comment soigner sans médecins ?"),
                               (challenge_2, "Comment vivre avec 50 jours de canicule ?")]
    assert grid.actions == [(action, "Contrat local de santé"), (action_2, "Plan climat")]
    assert (grid.pairs, grid.rated) == (4, 1)
    assert grid.cell(challenge_2, action).counts == {"holds": 0, "bends": 0, "breaks": 1}
    assert grid.cell(challenge, action) is None and grid.cell(challenge_2, action_2) is None

    # the tablets offer the same pairs
    wall = cards.list_cards(db, sid)
    offered = robustness.sides(wall, activity.card_kinds)
    assert ([c.id for c in offered[0]], [a.id for a in offered[1]]) == ([challenge, challenge_2], [action, action_2])

    # the answers of another robustness test of the seminar are not this test's
    activities.close_activity(db, sid, activity.id)
    other = planning.add_activity(db, sid, exercise_type="test-robustesse", title="Second test de robustesse")
    activities.open_activity(db, sid, other)
    robustness.rate(db, alice.device_token, other, challenge, action, "holds")
    first = robustness.grid(db, sid, activity.id)
    assert (first.rated, first.cell(challenge, action)) == (1, None)
    assert list(robustness.grid(db, sid, other).cells) == [(challenge, action)]


def test_robustness_refuses_wrong_pairs_and_verdicts(db, seminar, join, robustness_test):
    activity, challenge, _, action, _ = robustness_test
    alice = join("Alice")
    stake = cards.add_card(db, seminar.seminar_id, kind="stake", text="Santé").id
    with refused(Invalid, "robustness_pair"):
        robustness.rate(db, alice.device_token, activity.id, stake, action, "holds")
    with refused(Invalid, "robustness_pair"):
        robustness.rate(db, alice.device_token, activity.id, action, challenge, "holds")  # swapped
    with refused(Invalid, "unknown_verdict"):
        robustness.rate(db, alice.device_token, activity.id, challenge, action, "wobbles")
    assert count(db, RobustnessRating) == 0
    assert robustness.matrix(db, seminar.seminar_id) == []
