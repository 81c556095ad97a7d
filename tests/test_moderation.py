"""Facilitator moderation: history, undo, merging duplicates and splitting them back."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from seminar_helpers import count, find_activity, open_activity, refused, total
from workshop.errors import Invalid, NotFound
from workshop.models import (
    Card,
    CardKind,
    College,
    DotVote,
    Interaction,
    LinkStatus,
    ModerationStep,
    Rating,
    Relation,
)
from workshop.services import activities, cards, links, robustness, seminars, trajectories, votes


def _tallies(db, sid, activity_id):
    return {t.card_id: (t.dots, t.voters, t.split) for t in votes.tally(db, sid, activity_id)}


def _links(db, sid):
    return sorted((l.source_id, l.target_id, l.relation.value, l.status.value, l.weight, l.note,
                   l.proposed_by_id) for l in links.list_links(db, sid, status=None))


def _dot_rows(db):
    with db.read() as session:
        return sorted((v.activity_id, v.participant_id, v.card_id, v.dots) for v in session.query(DotVote))


def _rating_rows(db):
    with db.read() as session:
        return sorted((r.activity_id, r.participant_id, r.card_id, r.criterion, r.value)
                      for r in session.query(Rating))


def _visible(db, sid):
    return {c.id for c in cards.list_cards(db, sid, include_hidden=True)}


def _trajectories(db, sid):
    return [(t.id, t.target_card_id, [(s.year, s.card_ids) for s in t.steps])
            for t in trajectories.list_trajectories(db, sid)]


def _state(db, sid, vote_id):
    return {"tally": _tallies(db, sid, vote_id), "links": _links(db, sid), "dots": _dot_rows(db),
            "ratings": _rating_rows(db), "visible": _visible(db, sid), "trajectories": _trajectories(db, sid)}


@dataclass
class Scene:
    sid: int
    vote: object
    keep: int
    dup: int
    other: int
    threat: int
    resource: int
    alice: object
    bob: object
    carla: object


@pytest.fixture
def scene(db, seminar, join) -> Scene:
    """Three stakes (two duplicates), a threat and a resource, votes and links around them."""
    sid = seminar.seminar_id
    keep = cards.add_card(db, sid, kind="stake", text="Accès aux soins").id
    dup = cards.add_card(db, sid, kind="stake", text="Santé en milieu rural").id
    other = cards.add_card(db, sid, kind="stake", text="Centres-bourgs vivants").id
    threat = cards.add_card(db, sid, kind="threat", text="Désertification médicale").id
    resource = cards.add_card(db, sid, kind="resource", text="Maison de santé").id
    alice, bob, carla = join("Alice", College.ELECTED), join("Bob", College.RESIDENT), join("Carla", College.BUSINESS)

    vote = open_activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE)
    assert vote.vote_budget >= 2
    votes.set_dots(db, alice.device_token, vote.id, keep, 1)
    votes.set_dots(db, alice.device_token, vote.id, dup, 1)   # Alice voted on both duplicates
    votes.set_dots(db, bob.device_token, vote.id, dup, min(2, vote.vote_max_per_card or 2))
    votes.set_dots(db, carla.device_token, vote.id, keep, 1)
    votes.set_dots(db, carla.device_token, vote.id, other, 1)

    links.create_link(db, sid, dup, keep, Relation.INFLUENCES, weight=2, note="même sujet")  # becomes a self-link
    links.create_link(db, sid, threat, keep, Relation.WEIGHS_ON, weight=3)
    links.create_link(db, sid, threat, dup, Relation.WEIGHS_ON, weight=1)   # becomes a duplicate
    links.create_link(db, sid, resource, dup, Relation.SUPPORTS, note="moves")
    links.create_link(db, sid, dup, other, Relation.INFLUENCES)
    trajectory = trajectories.create_trajectory(db, sid, dup, "Santé 2055")
    trajectories.add_step(db, sid, trajectory.id, year=2040, title="Maison de santé", card_ids=[resource])
    return Scene(sid, vote, keep, dup, other, threat, resource, alice, bob, carla)


# --- edit, hide, re-theme -----------------------------------------------------------------------


def test_edit_hide_retheme_are_recorded_and_undoable(db, seminar, kit):
    sid = seminar.seminar_id
    theme_a, theme_b = kit.themes[0].key, kit.themes[1].key
    card = cards.add_card(db, sid, kind="stake", text="Mobilte", details="brouillon", theme=theme_a)
    original_theme = cards.list_cards(db, sid)[0].theme_id

    cards.moderate_edit(db, sid, card.id, text="Mobilité", details="corrigé")
    cards.set_hidden(db, sid, card.id, True)
    cards.set_hidden(db, sid, card.id, True)  # already hidden: nothing to record
    cards.retheme(db, sid, card.id, theme_b)

    steps = cards.history(db, sid)
    assert [s.action for s in steps] == ["retheme", "hide", "edit"]  # newest first
    assert all(s.card_ids == [card.id] and s.undone_at is None for s in steps)
    retheme_step, hide_step, edit_step = steps
    assert edit_step.payload["before"] == {"text": "Mobilte", "details": "brouillon"}
    assert edit_step.payload["after"] == {"text": "Mobilité", "details": "corrigé"}
    now = cards.list_cards(db, sid, include_hidden=True)[0]
    assert (now.text, now.details, now.hidden) == ("Mobilité", "corrigé", True)
    assert now.theme_id != original_theme

    cards.undo(db, sid, retheme_step.id)
    assert cards.list_cards(db, sid, include_hidden=True)[0].theme_id == original_theme
    cards.undo(db, sid, hide_step.id)
    assert [c.id for c in cards.list_cards(db, sid)] == [card.id]
    cards.undo(db, sid, edit_step.id)
    restored = cards.list_cards(db, sid)[0]
    assert (restored.text, restored.details) == ("Mobilte", "brouillon")
    assert all(s.undone_at is not None for s in cards.history(db, sid))
    with refused(Invalid, "already_undone"):
        cards.undo(db, sid, edit_step.id)


def test_unhide_is_undoable_too(db, seminar):
    sid = seminar.seminar_id
    card = cards.add_card(db, sid, kind="threat", text="Montée des eaux")
    cards.set_hidden(db, sid, card.id, True)
    cards.set_hidden(db, sid, card.id, False)
    unhide = cards.history(db, sid)[0]
    assert unhide.action == "unhide"
    cards.undo(db, sid, unhide.id)
    assert cards.list_cards(db, sid) == []


def test_moderation_refuses_bad_edits_and_foreign_steps(db, seminar, kit, two_days):
    sid = seminar.seminar_id
    card = cards.add_card(db, sid, kind="stake", text="Eau")
    with refused(Invalid, "card_text_required"):
        cards.moderate_edit(db, sid, card.id, text="  ")
    with refused(Invalid, "unknown_theme"):
        cards.retheme(db, sid, card.id, "no-such-theme")
    assert count(db, ModerationStep) == 0
    cards.moderate_edit(db, sid, card.id, text="Eau potable")
    other = seminars.create_seminar(db, title="B", territory="B", horizon_year=2050, run_sheet=two_days, kit=kit)
    with refused(NotFound, "not_found"):
        cards.undo(db, other.seminar_id, cards.history(db, sid)[0].id)
    with refused(NotFound, "not_found", what="card"):
        cards.moderate_edit(db, other.seminar_id, card.id, text="Ailleurs")
    assert cards.list_cards(db, sid)[0].text == "Eau potable"


# --- merge and split ------------------------------------------------------------------------------


def test_merge_moves_votes_links_and_trajectories_onto_the_kept_card(db, scene):
    s = scene
    before = _state(db, s.sid, s.vote.id)
    dots_before = total(db, DotVote.dots)
    tally_before = before["tally"]

    cards.merge(db, s.sid, s.keep, [s.dup])

    # votes: the kept card has the sum, Alice's two votes became one
    after = _tallies(db, s.sid, s.vote.id)
    assert s.dup not in after
    kept_dots, kept_voters, kept_colleges = after[s.keep]
    assert kept_dots == tally_before[s.keep][0] + tally_before[s.dup][0]
    assert kept_voters == 3  # Alice, Bob, Carla: Alice counted once
    for college in ("elected", "resident", "business"):
        assert kept_colleges.get(college, 0) == (tally_before[s.keep][2].get(college, 0)
                                                 + tally_before[s.dup][2].get(college, 0))
    assert after[s.other] == tally_before[s.other]
    assert votes.ballot(db, s.alice.device_token, s.vote.id).dots_by_card == {s.keep: 2}
    assert total(db, DotVote.dots) == dots_before, "a merge never loses a dot"
    assert sum(t[0] for t in after.values()) == sum(t[0] for t in tally_before.values())

    # links: the self-link and the duplicate are gone, the others point at the kept card
    assert _links(db, s.sid) == sorted([
        (s.threat, s.keep, "weighs_on", "accepted", 3, "", None),
        (s.resource, s.keep, "supports", "accepted", None, "moves", None),
        (s.keep, s.other, "influences", "accepted", None, "", None),
    ])
    # the trajectory now aims at the kept card; the merged card left the wall
    assert [t[1] for t in _trajectories(db, s.sid)] == [s.keep]
    assert s.dup not in _visible(db, s.sid)
    step = cards.history(db, s.sid)[0]
    assert (step.action, step.card_ids) == ("merge", [s.keep, s.dup])


def test_split_restores_exactly_what_the_merge_changed(db, scene):
    s = scene
    before = _state(db, s.sid, s.vote.id)
    dots_before = total(db, DotVote.dots)
    cards.merge(db, s.sid, s.keep, [s.dup])
    cards.split(db, s.sid, s.dup)
    assert _state(db, s.sid, s.vote.id) == before
    assert total(db, DotVote.dots) == dots_before
    assert votes.ballot(db, s.alice.device_token, s.vote.id).dots_by_card == {s.keep: 1, s.dup: 1}
    assert cards.history(db, s.sid)[0].undone_at is not None
    with refused(Invalid, "card_not_merged"):
        cards.split(db, s.sid, s.dup)


def test_merging_several_cards_and_splitting_them_back(db, seminar, join):
    sid = seminar.seminar_id
    keep = cards.add_card(db, sid, kind="stake", text="Eau").id
    a = cards.add_card(db, sid, kind="stake", text="Eau potable").id
    b = cards.add_card(db, sid, kind="stake", text="Ressource en eau").id
    threat = cards.add_card(db, sid, kind="threat", text="Sécheresses").id
    links.create_link(db, sid, a, b, Relation.INFLUENCES, note="a vers b")  # both merged: becomes a self-link
    links.create_link(db, sid, threat, a, Relation.WEIGHS_ON)
    links.create_link(db, sid, threat, b, Relation.WEIGHS_ON)
    links.create_link(db, sid, b, a, Relation.INFLUENCES)
    alice = join("Alice")
    vote = open_activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE)
    votes.set_dots(db, alice.device_token, vote.id, a, 1)
    votes.set_dots(db, alice.device_token, vote.id, b, 1)
    before = _state(db, sid, vote.id)

    cards.merge(db, sid, keep, [a, b, a])  # a repeated id is taken once
    assert _links(db, sid) == [(threat, keep, "weighs_on", "accepted", None, "", None)]
    assert _tallies(db, sid, vote.id) == {keep: (2, 1, {"undetailed": 2})}  # one habitant: not broken down
    assert _visible(db, sid) == {keep, threat}

    cards.split(db, sid, b)  # splitting one card undoes the whole merge step
    assert _state(db, sid, vote.id) == before


def test_merge_moves_ratings_and_keeps_clashing_ones_for_the_split(db, seminar, join):
    sid = seminar.seminar_id
    rate = find_activity(db, sid, Interaction.RATE)
    kind = rate.card_kinds[0] if rate.card_kinds else "threat"
    criterion_1 = rate.criteria[0]
    criterion_2 = rate.criteria[1] if len(rate.criteria) > 1 else criterion_1
    keep = cards.add_card(db, sid, kind=kind, text="Inondations").id
    dup = cards.add_card(db, sid, kind=kind, text="Crues").id
    alice, bob = join("Alice"), join("Bob")
    activities.open_activity(db, sid, rate.id)
    votes.rate(db, alice.device_token, rate.id, keep, criterion_1, 4)
    votes.rate(db, alice.device_token, rate.id, dup, criterion_1, 2)  # clashes with Alice's rating of keep
    votes.rate(db, bob.device_token, rate.id, dup, criterion_1, 5)
    if criterion_2 != criterion_1:
        votes.rate(db, bob.device_token, rate.id, dup, criterion_2, 3)
    ratings_before = _rating_rows(db)
    means_before = votes.mean_ratings(db, sid)

    cards.merge(db, sid, keep, [dup])
    means = votes.mean_ratings(db, sid)
    assert means[keep][criterion_1] == 4.5  # Alice 4 (her own on keep) and Bob 5 moved over
    if criterion_2 != criterion_1:
        assert means[keep][criterion_2] == 3
    assert count(db, Rating) == len(ratings_before), "no rating deleted"

    cards.split(db, sid, dup)
    assert _rating_rows(db) == ratings_before
    assert votes.mean_ratings(db, sid) == means_before


def test_merge_rewrites_trajectory_steps_and_split_restores_them(db, seminar):
    sid = seminar.seminar_id
    stake = cards.add_card(db, sid, kind="stake", text="Énergie locale").id
    r1 = cards.add_card(db, sid, kind="resource", text="Réseau de chaleur").id
    r2 = cards.add_card(db, sid, kind="resource", text="Chaufferie bois").id
    r3 = cards.add_card(db, sid, kind="resource", text="Coopérative citoyenne").id
    trajectory = trajectories.create_trajectory(db, sid, stake, "Autonomie énergétique")
    trajectories.add_step(db, sid, trajectory.id, year=2035, title="Étape 1", card_ids=[r2, r1, r3])
    trajectories.add_step(db, sid, trajectory.id, year=2045, title="Étape 2", card_ids=[r2])
    before = _trajectories(db, sid)

    cards.merge(db, sid, r1, [r2])
    steps = _trajectories(db, sid)[0][2]
    assert steps == [(2035, [r1, r3]), (2045, [r1])]

    cards.split(db, sid, r2)
    assert _trajectories(db, sid) == before


def test_split_never_gives_back_dots_already_moved_away(db, scene):
    s = scene
    cards.merge(db, s.sid, s.keep, [s.dup])
    # after the merge Alice moves her two dots elsewhere
    votes.set_dots(db, s.alice.device_token, s.vote.id, s.keep, 0)
    votes.set_dots(db, s.alice.device_token, s.vote.id, s.other, 1)
    cards.split(db, s.sid, s.dup)
    ballot = votes.ballot(db, s.alice.device_token, s.vote.id)
    assert ballot.used <= ballot.budget
    assert ballot.dots_by_card == {s.other: 1}
    # Bob's dots went back to the split card
    assert votes.ballot(db, s.bob.device_token, s.vote.id).dots_by_card == {
        s.dup: min(2, s.vote.vote_max_per_card or 2)}


def test_undo_refuses_while_a_later_step_touches_the_same_cards(db, scene):
    s = scene
    cards.merge(db, s.sid, s.keep, [s.dup])
    merge_step = cards.history(db, s.sid)[0]
    cards.moderate_edit(db, s.sid, s.other, text="Centres-bourgs")  # other cards: no conflict
    cards.moderate_edit(db, s.sid, s.keep, text="Accès aux soins pour tous")
    edit_step = cards.history(db, s.sid)[0]
    with refused(Invalid, "undo_later_first"):
        cards.undo(db, s.sid, merge_step.id)
    with refused(Invalid, "undo_later_first"):
        cards.split(db, s.sid, s.dup)
    assert s.dup not in _visible(db, s.sid)
    cards.undo(db, s.sid, edit_step.id)
    cards.split(db, s.sid, s.dup)
    assert s.dup in _visible(db, s.sid)
    assert cards.list_cards(db, s.sid, kinds=[CardKind.STAKE])[0].text == "Accès aux soins"


def test_nothing_is_lost_by_merge_then_split(db, scene):
    s = scene
    dots = total(db, DotVote.dots)
    rows = _dot_rows(db)
    cards_count = count(db, Card)
    cards.merge(db, s.sid, s.keep, [s.dup, s.other])
    assert total(db, DotVote.dots) == dots
    cards.split(db, s.sid, s.other)
    assert total(db, DotVote.dots) == dots
    assert _dot_rows(db) == rows
    assert count(db, Card) == cards_count


def test_refused_merges_change_nothing(db, scene):
    s = scene
    before = _state(db, s.sid, s.vote.id)
    with refused(Invalid, "merge_different_kinds"):
        cards.merge(db, s.sid, s.keep, [s.dup, s.threat])
    with refused(Invalid, "merge_needs_other_cards"):
        cards.merge(db, s.sid, s.keep, [])
    with refused(Invalid, "merge_needs_other_cards"):
        cards.merge(db, s.sid, s.keep, [s.keep])
    with refused(NotFound, "not_found"):
        cards.merge(db, s.sid, s.keep, [10_000])
    assert _state(db, s.sid, s.vote.id) == before
    assert count(db, ModerationStep) == 0

    cards.merge(db, s.sid, s.keep, [s.dup])
    with refused(Invalid, "card_merged"):
        cards.merge(db, s.sid, s.other, [s.dup])
    with refused(Invalid, "card_merged"):
        cards.moderate_edit(db, s.sid, s.dup, text="Fusionnée")
    with refused(Invalid, "card_not_merged"):
        cards.split(db, s.sid, s.keep)


def test_merged_links_keep_their_status(db, seminar, join):
    sid = seminar.seminar_id
    keep = cards.add_card(db, sid, kind="stake", text="Emploi").id
    dup = cards.add_card(db, sid, kind="stake", text="Emplois locaux").id
    resource = cards.add_card(db, sid, kind="resource", text="Zone d'activité").id
    alice = join("Alice")
    link_activity = open_activity(db, sid, Interaction.LINK)
    proposed = links.propose_link(db, alice.device_token, link_activity.id, resource, dup, "supports")
    links.create_link(db, sid, resource, keep, "supports")
    cards.merge(db, sid, keep, [dup])  # the proposal duplicates an accepted link: set aside
    assert _links(db, sid) == [(resource, keep, "supports", "accepted", None, "", None)]
    cards.split(db, sid, dup)
    restored = [l for l in links.list_links(db, sid, status=LinkStatus.PROPOSED)]
    assert [(l.source_id, l.target_id, l.proposed_by_id) for l in restored] == [
        (resource, dup, alice.participant_id)]
    assert restored[0].created_at == proposed.created_at


def test_split_after_a_new_link_took_the_id_of_a_set_aside_one(db, seminar):
    """SQLite hands a freed id out again: the split must not confuse the two links."""
    sid = seminar.seminar_id
    keep = cards.add_card(db, sid, kind="stake", text="Agriculture").id
    dup = cards.add_card(db, sid, kind="stake", text="Agriculture locale").id
    other = cards.add_card(db, sid, kind="stake", text="Paysages").id
    threat = cards.add_card(db, sid, kind="threat", text="Artificialisation").id
    links.create_link(db, sid, threat, keep, "weighs_on")
    links.create_link(db, sid, threat, dup, "weighs_on", note="mis de côté")  # newest: its id is freed
    cards.merge(db, sid, keep, [dup])
    links.create_link(db, sid, threat, other, "weighs_on", note="nouveau")
    cards.split(db, sid, dup)
    assert _links(db, sid) == sorted([
        (threat, keep, "weighs_on", "accepted", None, "", None),
        (threat, dup, "weighs_on", "accepted", None, "mis de côté", None),
        (threat, other, "weighs_on", "accepted", None, "nouveau", None),
    ])


def test_split_after_the_trajectory_step_was_removed(db, seminar):
    sid = seminar.seminar_id
    stake = cards.add_card(db, sid, kind="stake", text="Mobilité").id
    r1 = cards.add_card(db, sid, kind="resource", text="Vélo").id
    r2 = cards.add_card(db, sid, kind="resource", text="Vélos").id
    trajectory = trajectories.create_trajectory(db, sid, stake, "Mobilité 2050")
    step = trajectories.add_step(db, sid, trajectory.id, year=2040, title="Pistes", card_ids=[r1, r2])
    cards.merge(db, sid, r1, [r2])
    trajectories.remove_step(db, sid, step.id)
    cards.split(db, sid, r2)
    assert {r1, r2} <= _visible(db, sid)
    assert _trajectories(db, sid) == [(trajectory.id, stake, [])]


def test_merge_moves_robustness_ratings_and_split_restores_the_matrix(db, seminar, join):
    sid = seminar.seminar_id
    keep = cards.add_card(db, sid, kind="challenge", text="Comment soigner sans médecins ?").id
    dup = cards.add_card(db, sid, kind="challenge", text="Comment garder des médecins ?").id
    action = cards.add_card(db, sid, kind="current_action", text="Contrat local de santé").id
    alice, bob = join("Alice"), join("Bob")
    test = open_activity(db, sid, Interaction.ROBUSTNESS)
    robustness.rate(db, alice.device_token, test.id, dup, action, "holds", "maisons de santé")
    robustness.rate(db, bob.device_token, test.id, keep, action, "breaks")
    robustness.rate(db, bob.device_token, test.id, dup, action, "bends")  # clashes with Bob's on keep

    def matrix():
        return [(c.challenge_id, c.action_id, c.score, c.counts, c.reasons) for c in robustness.matrix(db, sid)]

    before = matrix()
    cards.merge(db, sid, keep, [dup])
    cell = next(c for c in robustness.matrix(db, sid) if c.challenge_id == keep)
    assert cell.counts == {"holds": 1, "bends": 0, "breaks": 1}  # Alice's moved over; Bob keeps his own
    assert cell.score == 1.0 and cell.reasons == ["maisons de santé"]
    cards.split(db, sid, dup)
    assert matrix() == before
