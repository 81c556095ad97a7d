"""Typed links between cards: allowed kinds, no self-links, no duplicates, proposals."""

from __future__ import annotations

import pytest

from seminar_helpers import count, find_activity, open_activity, refused
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import CardKind, Interaction, Link, LinkStatus, Relation
from workshop.i18n import translate
from workshop.services import activities, cards, links


@pytest.fixture
def deck(db, seminar):
    """One card of each kind the links need, by kind name (two stakes)."""
    sid = seminar.seminar_id
    made = {kind: cards.add_card(db, sid, kind=kind, text=f"Une carte {kind}").id
            for kind in ("stake", "threat", "resource", "challenge", "current_action", "action_lead", "trend")}
    made["stake_2"] = cards.add_card(db, sid, kind="stake", text="Un autre enjeu").id
    return made


ALLOWED = [
    ("threat", "weighs_on", "stake"),
    ("trend", "weighs_on", "challenge"),
    ("resource", "supports", "stake"),
    ("current_action", "supports", "challenge"),
    ("resource", "counters", "threat"),
    ("action_lead", "counters", "threat"),
    ("stake", "influences", "stake_2"),
    ("challenge", "influences", "stake"),
    ("action_lead", "leads_to", "challenge"),
    ("current_action", "leads_to", "stake"),
]

REFUSED = [
    ("stake", "weighs_on", "threat"),      # backwards
    ("threat", "supports", "stake"),       # a threat does not support
    ("resource", "counters", "stake"),     # resources counter threats, not stakes
    ("threat", "influences", "stake"),
    ("resource", "leads_to", "challenge"),  # resources support; actions lead to
    ("stake", "leads_to", "challenge"),
    ("challenge", "weighs_on", "stake"),
]


def _kind(name: str) -> CardKind:
    return CardKind(name.removesuffix("_2"))


def test_allowed_relations(db, seminar, deck):
    made = []
    for source, relation, target in ALLOWED:
        link = links.create_link(db, seminar.seminar_id, deck[source], deck[target], relation, weight=2,
                                 note="parce que")
        made.append((link.id, deck[source], deck[target], Relation(relation), LinkStatus.ACCEPTED, 2, "parce que"))
        assert Relation(relation) in links.allowed_relations(_kind(source), _kind(target))
    stored = links.list_links(db, seminar.seminar_id)
    assert [(l.id, l.source_id, l.target_id, l.relation, l.status, l.weight, l.note) for l in stored] == made


def test_links_between_the_wrong_kinds_are_refused(db, seminar, deck):
    for source, relation, target in REFUSED:
        case = (source, relation, target)
        with refused(Invalid, "link_kinds", relation=relation, source=source, target=target, case=case) as info:
            links.create_link(db, seminar.seminar_id, deck[source], deck[target], relation)
        assert Relation(relation) not in links.allowed_relations(_kind(source), _kind(target)), case
        # the message names the relation and kinds in words, not codes
        message = info.value.message("fr")
        assert translate(f"relation.{relation}") in message and translate(f"kind.{source}") in message, message
    assert count(db, Link) == 0


# --- proposals from the tablets ----------------------------------------------------------------------


def test_participants_propose_links_only_during_an_open_link_activity(db, seminar, join, deck):
    sid = seminar.seminar_id
    alice = join("Alice")
    link_activity = find_activity(db, sid, Interaction.LINK)
    with refused(Invalid, "activity_not_open"):
        links.propose_link(db, alice.device_token, link_activity.id, deck["threat"], deck["stake"], "weighs_on")
    other = open_activity(db, sid, Interaction.CONTRIBUTE)
    with refused(Invalid, "contributions_closed"):
        links.propose_link(db, alice.device_token, other.id, deck["threat"], deck["stake"], "weighs_on")
    activities.open_activity(db, sid, link_activity.id)
    activities.set_contributions_open(db, sid, link_activity.id, False)
    with refused(Invalid, "contributions_closed"):
        links.propose_link(db, alice.device_token, link_activity.id, deck["threat"], deck["stake"], "weighs_on")
    with refused(Forbidden, "unknown_device"):
        links.propose_link(db, "forged", link_activity.id, deck["threat"], deck["stake"], "weighs_on")
    assert count(db, Link) == 0

    activities.set_contributions_open(db, sid, link_activity.id, True)
    proposal = links.propose_link(db, alice.device_token, link_activity.id, deck["threat"], deck["stake"],
                                  "weighs_on", weight=3, note="très fort")
    assert (proposal.status, proposal.proposed_by_id) == (LinkStatus.PROPOSED, alice.participant_id)
    assert links.list_links(db, sid) == []  # not on the graph until accepted
    assert [l.id for l in links.list_links(db, sid, status=LinkStatus.PROPOSED)] == [proposal.id]


def test_the_facilitator_accepts_or_rejects_proposals(db, seminar, join, deck):
    sid = seminar.seminar_id
    alice, bob = join("Alice"), join("Bob")
    link_activity = open_activity(db, sid, Interaction.LINK)
    good = links.propose_link(db, alice.device_token, link_activity.id, deck["resource"], deck["threat"], "counters")
    bad = links.propose_link(db, bob.device_token, link_activity.id, deck["action_lead"], deck["threat"], "counters")
    with refused(Invalid, "link_exists"):  # a pending proposal counts
        links.propose_link(db, bob.device_token, link_activity.id, deck["resource"], deck["threat"], "counters")

    links.decide(db, sid, good.id, accept=True)
    links.decide(db, sid, bad.id, accept=False)
    assert [l.id for l in links.list_links(db, sid)] == [good.id]
    assert [l.id for l in links.list_links(db, sid, status=LinkStatus.REJECTED)] == [bad.id]
    with refused(Invalid, "link_exists"):  # an accepted link too
        links.propose_link(db, bob.device_token, link_activity.id, deck["resource"], deck["threat"], "counters")

    # a rejected link can be proposed again, and starts afresh
    again = links.propose_link(db, alice.device_token, link_activity.id, deck["action_lead"], deck["threat"],
                               "counters", note="mieux argumenté")
    assert again.status is LinkStatus.PROPOSED and again.proposed_by_id == alice.participant_id
    assert links.list_links(db, sid, status=LinkStatus.REJECTED) == []
    assert count(db, Link, Link.source_id == deck["action_lead"]) == 1
    links.decide(db, sid, again.id, accept=True)
    assert {l.id for l in links.list_links(db, sid)} == {good.id, again.id}


def test_the_facilitator_can_create_a_link_that_was_rejected(db, seminar, join, deck):
    sid = seminar.seminar_id
    alice = join("Alice")
    link_activity = open_activity(db, sid, Interaction.LINK)
    proposal = links.propose_link(db, alice.device_token, link_activity.id, deck["threat"], deck["stake"],
                                  "weighs_on")
    links.decide(db, sid, proposal.id, accept=False)
    created = links.create_link(db, sid, deck["threat"], deck["stake"], "weighs_on")
    assert [(l.id, l.status) for l in links.list_links(db, sid, status=None)] == [(created.id, LinkStatus.ACCEPTED)]


def test_links_of_another_seminar_are_out_of_reach(db, seminar, kit, two_days, deck):
    from workshop.services import seminars

    other = seminars.create_seminar(db, title="B", territory="B", horizon_year=2050, run_sheet=two_days, kit=kit)
    link = links.create_link(db, seminar.seminar_id, deck["threat"], deck["stake"], "weighs_on")
    with refused(NotFound, "not_found", what="link"):
        links.decide(db, other.seminar_id, link.id, accept=False)
    with refused(NotFound, "not_found", what="card"):
        links.create_link(db, other.seminar_id, deck["threat"], deck["stake"], "weighs_on")
    assert links.list_links(db, other.seminar_id) == []
    assert links.list_links(db, seminar.seminar_id)[0].status is LinkStatus.ACCEPTED


def test_a_participant_proposes_links_only_between_cards_on_the_wall(db, seminar, join, deck):
    """A card the facilitator hid is refused from a tablet, as a dot or a rating on it is: the
    tablet's list may still offer it for a moment after it was hidden."""
    sid = seminar.seminar_id
    alice = join("Alice")
    link_activity = open_activity(db, sid, Interaction.LINK)
    cards.set_hidden(db, sid, deck["threat"], True)
    with refused(Invalid, "card_hidden", card=deck["threat"]):
        links.propose_link(db, alice.device_token, link_activity.id, deck["threat"], deck["stake"], "weighs_on")
    with refused(Invalid, "card_hidden", card=deck["threat"]):
        links.propose_link(db, alice.device_token, link_activity.id, deck["resource"], deck["threat"], "counters")
    assert count(db, Link) == 0
    assert translate("error.card_hidden", "fr") == "Cette carte a été masquée par l'animation."
    cards.set_hidden(db, sid, deck["threat"], False)
    links.propose_link(db, alice.device_token, link_activity.id, deck["threat"], deck["stake"], "weighs_on")
    assert count(db, Link) == 1


def test_true_is_not_a_weight_nor_a_link_id(db, seminar, deck):
    """Python counts ``True`` as 1: a forged ``true`` is refused as the weight of a new link, of an
    existing one, and as a link's id (the database would read it as link 1), and nothing changes."""
    sid = seminar.seminar_id
    link = links.create_link(db, sid, deck["threat"], deck["stake"], "weighs_on", weight=2, note="crues")
    with refused(Invalid, "link_weight") as caught:
        links.create_link(db, sid, deck["resource"], deck["stake"], "supports", weight=True)
    assert caught.value.message("fr") == "Le poids d'un lien va de 1\u00a0à 3."
    with refused(Invalid, "link_weight"):
        links.update_link(db, sid, link.id, weight=True, note="autre")
    with refused(NotFound, "not_found"):
        links.update_link(db, sid, True, weight=3)
    with refused(NotFound, "not_found"):
        links.delete_link(db, sid, True)
    assert [(l.id, l.weight, l.note) for l in links.list_links(db, sid)] == [(link.id, 2, "crues")]


def test_a_note_alone_keeps_the_weight_and_a_note_changed_meanwhile_is_not_overwritten(db, seminar, deck):
    sid = seminar.seminar_id
    link = links.create_link(db, sid, deck["threat"], deck["stake"], "weighs_on", weight=2, note="crues")
    links.update_link(db, sid, link.id, note="crues de la Somme", note_before="crues")
    with refused(Invalid, "link_changed") as caught:  # the form showed "crues": it changed since
        links.update_link(db, sid, link.id, note="autre chose", note_before="crues")
    assert "modifié entre-temps" in caught.value.message("fr")
    links.update_link(db, sid, link.id, weight=None)
    assert [(l.weight, l.note) for l in links.list_links(db, sid)] == [(None, "crues de la Somme")]
