"""Participants' cards: when they can be written, retries, words, editing and withdrawing."""

from __future__ import annotations

import pytest

from seminar_helpers import count, find_activity, open_activity, refused
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import Card, CardKind, Interaction
from workshop.services import activities, cards, seminars


@pytest.fixture
def stakes(db, seminar):
    """The contribution activity that collects stakes, opened."""
    return open_activity(db, seminar.seminar_id, Interaction.CONTRIBUTE, CardKind.STAKE)


def test_a_contribution_is_stored_with_its_author_table_and_theme(db, seminar, join, kit, stakes):
    sid = seminar.seminar_id
    seminar_table = seminars.get_seminar_by_id(db, sid).groups[1]
    alice = join("Alice", group_id=seminar_table.id)
    theme = kit.themes[0]
    card = cards.contribute(db, alice.device_token, stakes.id, kind=CardKind.STAKE,
                            text="  Accès aux soins\nen zone rurale ", details="Ligne 1\nLigne 2", theme=theme.key)
    assert card.text == "Accès aux soins en zone rurale"
    assert card.details == "Ligne 1\nLigne 2"
    assert (card.author_id, card.group_id, card.activity_id) == (alice.participant_id, seminar_table.id, stakes.id)
    wall = cards.list_cards(db, sid)
    assert [c.id for c in wall] == [card.id]
    assert wall[0].theme_id is not None and wall[0].kind is CardKind.STAKE
    assert [c.id for c in cards.own_cards(db, alice.device_token)] == [card.id]


def test_contributions_only_while_the_activity_is_open(db, seminar, join):
    sid = seminar.seminar_id
    alice = join("Alice")
    contribute = find_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    with refused(Invalid, "activity_not_open"):  # not started yet
        cards.contribute(db, alice.device_token, contribute.id, kind="stake", text="Trop tôt")
    activities.open_activity(db, sid, contribute.id)
    cards.contribute(db, alice.device_token, contribute.id, kind="stake", text="À l'heure")
    activities.close_activity(db, sid, contribute.id)
    with refused(Invalid, "activity_not_open"):
        cards.contribute(db, alice.device_token, contribute.id, kind="stake", text="Trop tard")
    assert count(db, Card) == 1


def test_contributions_closed_by_the_facilitator(db, seminar, join, stakes):
    alice = join("Alice")
    activities.set_contributions_open(db, seminar.seminar_id, stakes.id, False)
    with refused(Invalid, "contributions_closed"):
        cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Fermé")
    assert count(db, Card) == 0
    activities.set_contributions_open(db, seminar.seminar_id, stakes.id, True)
    cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Rouvert")
    assert count(db, Card) == 1


def test_no_cards_during_an_activity_of_another_interaction(db, seminar, join):
    alice = join("Alice")
    vote = open_activity(db, seminar.seminar_id, Interaction.DOT_VOTE)
    with refused(Invalid, "contributions_closed"):
        cards.contribute(db, alice.device_token, vote.id, kind=vote.card_kinds[0], text="Pendant le vote")
    assert count(db, Card) == 0


def test_only_the_kinds_the_activity_expects(db, seminar, join, stakes):
    alice = join("Alice")
    unexpected = next(k for k in CardKind if k.value not in stakes.card_kinds)
    with refused(Invalid, "kind_not_expected", kind=unexpected.value):
        cards.contribute(db, alice.device_token, stakes.id, kind=unexpected, text="Hors sujet")
    with refused(Invalid, "unknown_kind"):
        cards.contribute(db, alice.device_token, stakes.id, kind="dragon", text="Hors sujet")
    assert count(db, Card) == 0
    for kind in stakes.card_kinds:
        cards.contribute(db, alice.device_token, stakes.id, kind=kind, text=f"Une carte {kind}")
    assert count(db, Card) == len(stakes.card_kinds)


def test_unknown_theme_is_refused(db, seminar, join, stakes):
    alice = join("Alice")
    with refused(Invalid, "unknown_theme"):
        cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="x", theme="no-such-theme")
    assert count(db, Card) == 0


def test_a_retried_send_returns_the_same_card(db, seminar, join, stakes):
    alice, bob = join("Alice"), join("Bob")
    first = cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Eau potable", request_id="r-1")
    again = cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Eau potable", request_id="r-1")
    assert again.id == first.id and again.text == "Eau potable"
    assert count(db, Card) == 1
    # even after the activity closed, the retry finds the card instead of failing
    activities.close_activity(db, seminar.seminar_id, stakes.id)
    late = cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Eau potable", request_id="r-1")
    assert late.id == first.id
    activities.open_activity(db, seminar.seminar_id, stakes.id)
    # the request id belongs to its sender; a new id is a new card
    other = cards.contribute(db, bob.device_token, stakes.id, kind="stake", text="Eau potable", request_id="r-1")
    new = cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Eau potable", request_id="r-2")
    assert len({first.id, other.id, new.id}) == 3
    # without a request id, two sends are two cards
    cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Sans id")
    cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Sans id")
    assert count(db, Card) == 5


def test_bad_request_ids_are_refused(db, seminar, join, stakes):
    alice = join("Alice")
    for request_id in ("", "r" * 65):
        with refused(Invalid, "bad_request_id", case=request_id):
            cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="x", request_id=request_id)
    assert count(db, Card) == 0


# --- the word cloud -------------------------------------------------------------------------------


@pytest.fixture
def words(db, seminar):
    return open_activity(db, seminar.seminar_id, Interaction.WORD, CardKind.WORD)


def test_a_word_keeps_accents_and_case(db, seminar, join, words):
    alice = join("Alice")
    cases = [("Résilience", "Résilience"), ("  ÉNERGIE  ", "ÉNERGIE"), ("bien-être", "bien-être"),
             ("Côte d'Opale", "Côte d'Opale"), ("🌊", "🌊")]
    for typed, kept in cases:
        assert cards.contribute(db, alice.device_token, words.id, kind="word", text=typed).text == kept, typed
    assert [c.text for c in cards.list_cards(db, seminar.seminar_id, kinds=[CardKind.WORD])] == \
        [kept for _, kept in cases]


def test_a_sentence_is_not_a_word(db, seminar, join, words):
    alice = join("Alice")
    for typed, code in [("Je pense que ça ira", "one_word_only"), ("un deux trois quatre", "one_word_only"),
                        ("anticonstitutionnellementanticonstitutionnellement", "text_too_long"),
                        ("   ", "card_text_required")]:
        with refused(Invalid, code, case=typed):
            cards.contribute(db, alice.device_token, words.id, kind="word", text=typed)
    assert count(db, Card) == 0
    cards.contribute(db, alice.device_token, words.id, kind="word", text="vert et bleu")  # three at most
    assert count(db, Card) == 1


def test_a_word_activity_takes_only_words(db, seminar, join, words):
    alice = join("Alice")
    with refused(Invalid, "kind_not_expected"):
        cards.contribute(db, alice.device_token, words.id, kind="stake", text="Mobilité")
    assert count(db, Card) == 0


# --- text limits and inert HTML ------------------------------------------------------------------


def test_text_limits(db, seminar, join, stakes):
    alice = join("Alice")
    cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="a" * 500, details="d" * 2000)
    with refused(Invalid, "text_too_long", field="text", max=500, length=501):
        cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="a" * 501)
    with refused(Invalid, "text_too_long", field="details", max=2000):
        cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="ok", details="d" * 2001)
    with refused(Invalid, "card_text_required", kind="stake") as caught:
        cards.contribute(db, alice.device_token, stakes.id, kind="stake", text=" \n\t ")
    # in the participant's words, not a form's internal field name (« texte »)
    assert caught.value.message("fr") == "Votre carte est vide\u00a0: écrivez votre enjeu avant de l'envoyer."
    assert "«" not in caught.value.message("fr")
    assert count(db, Card) == 1


ARTICLE = ("Amiens, ville cyclable de l'année\n12 mai 2055\n\n"
           + "Dix ans après la fermeture de la rocade aux voitures solo, les bourgs respirent. " * 40).strip()


def test_an_article_from_the_future_is_a_whole_article(db, seminar, join):
    """A vision article holds a title, a date and paragraphs (line breaks kept) up to the article
    limit, at every door: writing it, editing it, the console adding or correcting it. Beyond that
    limit it is refused; other cards keep their sentence's limit and their single line."""
    sid = seminar.seminar_id
    alice = join("Alice")
    scenario = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.VISION_ARTICLE)
    assert len(ARTICLE) > 3000 and cards.card_text_limit(CardKind.VISION_ARTICLE) == 5000
    card = cards.contribute(db, alice.device_token, scenario.id, kind="vision_article", text=ARTICLE + "\r\n")
    assert card.text == ARTICLE and card.text.startswith("Amiens, ville cyclable de l'année\n12 mai 2055\n\nDix")
    longest = "Titre\n" + "a" * 4994
    assert cards.edit_own(db, alice.device_token, card.id, text=longest).text == longest
    with refused(Invalid, "text_too_long", field="text", max=5000, length=5001):
        cards.contribute(db, alice.device_token, scenario.id, kind="vision_article", text=longest + "b")
    with refused(Invalid, "text_too_long", field="text", max=5000):
        cards.edit_own(db, alice.device_token, card.id, text=longest + "b")
    with refused(Invalid, "text_too_long", field="text", max=5000):
        cards.add_card(db, sid, kind=CardKind.VISION_ARTICLE, text=longest + "b")
    with refused(Invalid, "text_too_long", field="text", max=5000):
        cards.moderate_edit(db, sid, card.id, text=longest + "b")
    cards.moderate_edit(db, sid, card.id, text=ARTICLE)
    assert cards.list_cards(db, sid)[0].text == ARTICLE
    # a stake is still one short line
    assert cards.add_card(db, sid, kind=CardKind.STAKE, text="Eau\npotable").text == "Eau potable"
    with refused(Invalid, "text_too_long", field="text", max=500):
        cards.add_card(db, sid, kind=CardKind.STAKE, text="a" * 501)


def test_html_and_code_are_stored_as_typed(db, seminar, join, stakes):
    alice = join("Alice")
    typed = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)> & \"quotes\" 'single'",
             "'; DROP TABLE cards; --", "{title} {0} %s"]
    made = [cards.contribute(db, alice.device_token, stakes.id, kind="stake", text=t, details=t).id for t in typed]
    stored = cards.list_cards(db, seminar.seminar_id)
    assert [c.id for c in stored] == made
    for card, text in zip(stored, typed, strict=True):
        assert card.text == text and card.details == text  # not escaped, not stripped: inert text


# --- editing and withdrawing one's own -------------------------------------------------------------


def test_authors_edit_and_withdraw_their_own_cards_only(db, seminar, join, stakes):
    sid = seminar.seminar_id
    alice, bob = join("Alice"), join("Bob")
    card = cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Mobilité douce")

    with refused(Forbidden, "not_your_card"):
        cards.edit_own(db, bob.device_token, card.id, text="Volé")
    with refused(Forbidden, "not_your_card"):
        cards.withdraw_own(db, bob.device_token, card.id)
    assert cards.list_cards(db, sid)[0].text == "Mobilité douce"

    edited = cards.edit_own(db, alice.device_token, card.id, text="Mobilités douces", details="vélo, marche")
    assert (edited.text, edited.details) == ("Mobilités douces", "vélo, marche")
    assert cards.list_cards(db, sid)[0].text == "Mobilités douces"
    with refused(Invalid, "text_too_long"):
        cards.edit_own(db, alice.device_token, card.id, text="x" * 501)
    assert cards.list_cards(db, sid)[0].text == "Mobilités douces"

    cards.withdraw_own(db, alice.device_token, card.id)
    assert cards.list_cards(db, sid) == [] and cards.list_cards(db, sid, include_hidden=True) == []
    assert cards.own_cards(db, alice.device_token) == []
    assert count(db, Card) == 1  # kept in the record, just no longer shown
    with refused(Invalid, "card_withdrawn"):
        cards.edit_own(db, alice.device_token, card.id, text="Revenue")
    with refused(NotFound, "not_found"):
        cards.edit_own(db, alice.device_token, 10_000, text="x")


def test_own_cards_cannot_be_changed_once_the_activity_closed(db, seminar, join, stakes):
    alice = join("Alice")
    card = cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Avant")
    activities.close_activity(db, seminar.seminar_id, stakes.id)
    with refused(Invalid, "activity_not_open"):
        cards.edit_own(db, alice.device_token, card.id, text="Après")
    with refused(Invalid, "activity_not_open"):
        cards.withdraw_own(db, alice.device_token, card.id)
    assert cards.list_cards(db, seminar.seminar_id)[0].text == "Avant"


def test_own_cards_are_frozen_while_the_facilitator_has_closed_contributions(db, seminar, join, stakes):
    sid = seminar.seminar_id
    alice = join("Alice")
    card = cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Avant")
    activities.set_contributions_open(db, sid, stakes.id, False)
    with refused(Invalid, "contributions_closed"):
        cards.edit_own(db, alice.device_token, card.id, text="Après")
    with refused(Invalid, "contributions_closed"):
        cards.withdraw_own(db, alice.device_token, card.id)
    assert [c.text for c in cards.list_cards(db, sid)] == ["Avant"]
    activities.set_contributions_open(db, sid, stakes.id, True)
    assert cards.edit_own(db, alice.device_token, card.id, text="Après").text == "Après"


def test_a_forged_token_cannot_contribute(db, seminar, stakes):
    with refused(Forbidden, "unknown_device"):
        cards.contribute(db, "forged", stakes.id, kind="stake", text="x")
    assert count(db, Card) == 0


# --- the facilitator's cards -----------------------------------------------------------------------


def test_facilitator_adds_cards_at_any_time_and_hides_them(db, seminar, kit):
    sid = seminar.seminar_id
    card = cards.add_card(db, sid, kind="resource", text="Tissu associatif dense", theme=kit.themes[1].key,
                          source="Kit", attributes={"dimensions": {"climate": True}})
    assert card.attributes == {"dimensions": {"climate": True}}
    cards.set_hidden(db, sid, card.id, True)
    assert cards.list_cards(db, sid) == []
    assert [c.id for c in cards.list_cards(db, sid, include_hidden=True)] == [card.id]
    with refused(Invalid, "unknown_kind"):
        cards.add_card(db, sid, kind="dragon", text="x")
    with refused(NotFound, "not_found", what="activity"):
        cards.add_card(db, sid, kind="stake", text="x", activity_id=10_000)
    # the source is held to the rule a participant's card is (``contribute``): refused, not cut short
    with refused(Invalid, "text_too_long", field="source", max=120):
        cards.add_card(db, sid, kind="stake", text="x", source="s" * 121)
    assert count(db, Card) == 1
    sourced = cards.add_card(db, sid, kind="stake", text="Eau", source="Kit\u200b Cerdd\u202e")
    assert sourced.source == "Kit Cerdd"


def test_list_cards_filters_by_kind_and_activity(db, seminar, join, stakes):
    sid = seminar.seminar_id
    alice = join("Alice")
    mine = cards.contribute(db, alice.device_token, stakes.id, kind="stake", text="Enjeu")
    threat = cards.add_card(db, sid, kind="threat", text="Désertification médicale")
    assert [c.id for c in cards.list_cards(db, sid, kinds=[CardKind.THREAT])] == [threat.id]
    assert [c.id for c in cards.list_cards(db, sid, activity_id=stakes.id)] == [mine.id]
    assert {c.id for c in cards.list_cards(db, sid)} == {mine.id, threat.id}
