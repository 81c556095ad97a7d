"""The graph's findings in words (``workshop.ui.graph_findings``), as the projector and the
console say them: numbers stay with their words (non-breaking spaces, French and English), the
projector names at most two cards per finding, whole (its page cuts them to the column's width),
counts the rest and says how many findings it leaves out; the console keeps every finding and
full card texts. The projector's trajectories name their stake whole when it fits their labels'
width.

The map (ids in brackets, links ``source -> target (weight)``):

    stakes S1 [1] (T1 -> S1 weighs_on 2), S2 [2] (T2 -> S2 weighs_on 1), S3 [3] (R1 supports, T3
    weighs on it, R2 counters T3), S4 [4] (no link); threats T1 [11], T2 [12], T3 [13], T4 [14]
    (no link, none rated: severity 3 x 3 = 9); resources R1 [21], R2 [22], R3 [23] (no link).

Most exposed: S1, 9 x 2 = 18, no support, 0 of its 1 threat countered. Uncountered: T1, T2, T4.
Unsupported: S1, S2, S4. Isolated: S4, T4, R3.
"""

from __future__ import annotations

import re

import pytest

from workshop.analysis import CardData, LinkData, Snapshot, StepData, TrajectoryData, analyse
from workshop.figures import trajectories_timeline_figure
from workshop.figures.labels import text_width
from workshop.figures.style import mode_style
from workshop.i18n import translate
from workshop.models import CardKind as K
from workshop.models import Relation as R
from workshop.ui.graph_findings import Words, exposed_in_words, finding_sentence, key_findings
from workshop.ui.projector.graph_views import (FINDING_NAMES, PROJECTOR_FINDINGS, TIMELINE_LABELS, TIMELINE_W_SIDE,
                                               TIMELINE_W_WIDE)

TEXTS = {
    1: "Garder un médecin et une école à moins de vingt minutes de chaque village",
    2: "Des bus à la demande entre les villages et les bourgs-centres du Ternois",
    3: "Un tiers-lieu numérique dans chaque bourg",
    4: "Une alimentation locale accessible à tous les revenus",
    11: "Départ à la retraite des médecins généralistes sans successeur",
    12: "Hausse durable du prix des carburants et de l'énergie",
    13: "Fermeture des dernières classes des villages",
    14: "Sécheresses estivales à répétition",
    21: "Un tissu associatif dense et des bénévoles engagés dans les villages",
    22: "Maison de santé pluriprofessionnelle de Saint-Pol-sur-Ternoise",
    23: "Gare de Saint-Pol-sur-Ternoise et ligne TER vers Arras",
}
KINDS = {1: K.STAKE, 2: K.STAKE, 3: K.STAKE, 4: K.STAKE, 11: K.THREAT, 12: K.THREAT, 13: K.THREAT, 14: K.THREAT,
         21: K.RESOURCE, 22: K.RESOURCE, 23: K.RESOURCE}


@pytest.fixture(scope="module")
def analysis():
    cards = tuple(CardData(i, KINDS[i], TEXTS[i]) for i in sorted(TEXTS))
    links = (LinkData(11, 1, R.WEIGHS_ON, 2), LinkData(12, 2, R.WEIGHS_ON, 1), LinkData(13, 3, R.WEIGHS_ON, 1),
             LinkData(21, 3, R.SUPPORTS, 2), LinkData(22, 13, R.COUNTERS, 1))
    return analyse(Snapshot(cards, links))


# A number parted from its word by an ordinary space (where a line may break): « 0 sur » + « 1 ».
LOOSE = re.compile(r"\d [^\W\d_]|[^\W\d_] \d")


def shown_texts(findings, words) -> list[str]:
    """What the projector draws besides card names: leads, details, « … et 2 autres »."""
    out = []
    for finding in findings:
        out += [finding.lead, finding.detail]
        if finding.more:
            out.append(words.count("graph.finding.more", finding.more))
    return [text for text in out if text]


def test_the_exposed_stakes_numbers_stay_together_in_french_and_english(analysis) -> None:
    fr, en = (key_findings(analysis, Words(lang))[0] for lang in ("fr", "en"))
    assert (fr.key, fr.lead, fr.items) == ("exposed", "Enjeu le plus exposé", (TEXTS[1],))
    assert fr.detail == "exposition\u00a018\u00a0· soutien\u00a00\u00a0· menaces contrées\u00a0: 0\u00a0sur\u00a01"
    assert en.detail == "exposure\u00a018\u00a0· support\u00a00\u00a0· threats countered: 0\u00a0of\u00a01"
    assert fr.alert and en.alert


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_number_of_a_finding_can_be_parted_from_its_word(analysis, lang) -> None:
    words = Words(lang)
    findings = key_findings(analysis, words, limit=FINDING_NAMES)
    texts = shown_texts(findings, words)
    assert len(texts) >= 7, texts
    # every counted phrase, singular and plural, and the map's caption beside the findings
    for count in (1, 2):
        for key in ("uncountered", "unsupported_stakes", "unsupported_challenges", "unsupported_goals", "isolated",
                    "driving", "loops", "more"):
            texts.append(words.count(f"graph.finding.{key}", count))
        texts.append(translate("graph.projector.named", lang, count=count, total=30))
        texts.append(translate("graph.projector.left", lang, count=count))
    texts.append(translate("graph.console.countered_value", lang, countered=0, total=2))
    # the projector's words for the most exposed stake, in every case
    texts += shown_texts(key_findings(analysis, words, limit=FINDING_NAMES, room=True), words)
    for threats, countered, levers in ((1, 0, 0), (2, 0, 1), (1, 1, 2), (3, 3, 1), (3, 1, 0), (3, 2, 0)):
        texts.append(exposed_in_words(threats, countered, levers, words))
    assert [text for text in texts if LOOSE.search(text)] == []


def test_the_projector_says_the_exposed_stakes_numbers_in_plain_words(analysis) -> None:
    """The room reads what weighs on the stake and what supports it, not « exposition 18 · soutien 0 »."""
    fr, en = (key_findings(analysis, Words(lang), room=True)[0] for lang in ("fr", "en"))
    assert (fr.key, fr.lead, fr.items) == ("exposed", "Enjeu le plus exposé", (TEXTS[1],))
    assert fr.detail == "1\u00a0menace pèse dessus, sans parade\u00a0; rien ne le soutient"
    assert en.detail == "1\u00a0threat weighs on it, with no counter; nothing supports it"
    words = Words("fr")
    assert exposed_in_words(3, 1, 2, words) == ("3\u00a0menaces pèsent dessus, 1\u00a0a une parade\u00a0; "
                                                "2\u00a0ressources ou actions le soutiennent")
    assert exposed_in_words(2, 2, 1, words) == ("2\u00a0menaces pèsent dessus, toutes ont une parade\u00a0; "
                                                "1\u00a0ressource ou action le soutient")


def test_the_projector_names_two_whole_cards_per_finding_and_counts_the_rest(analysis) -> None:
    words = Words("fr")
    findings = key_findings(analysis, words, limit=FINDING_NAMES, keys=PROJECTOR_FINDINGS)
    # the unlinked threat (14) and stake (4) are said once, as isolated, not again as gaps
    assert [f.lead for f in findings] == ["Enjeu le plus exposé", "2\u00a0menaces sans parade",
                                          "2\u00a0enjeux sans ressource", "3\u00a0cartes isolées"]
    uncountered, isolated = findings[1], findings[3]
    # whole names: the page cuts one only if it is wider than the findings' column
    assert uncountered.items == (TEXTS[11], TEXTS[12]) and uncountered.more == 0
    assert isolated.items == (TEXTS[4], TEXTS[14])
    assert isolated.more == 1
    assert finding_sentence(isolated, words) == (f"3\u00a0cartes isolées\u00a0: {TEXTS[4]} ; {TEXTS[14]} "
                                                 "…\u00a0et\u00a01\u00a0autre")


@pytest.mark.parametrize(("lang", "texts"), [
    ("fr", ["Tous les constats sont affichés.", "+\u00a01\u00a0constat non affiché",
            "+\u00a02\u00a0constats non affichés"]),
    ("en", ["Every finding is shown.", "+\u00a01\u00a0finding not shown",
            "+\u00a02\u00a0findings not shown"]),
])
def test_the_projector_says_how_many_findings_it_leaves_out(lang, texts) -> None:
    assert [translate("graph.projector.left", lang, count=n) for n in (0, 1, 2)] == texts


SOINS = "Accès aux soins de proximité"
SOINS_LONG = "Accès aux soins de proximité dans les bourgs ruraux et les villages du Ternois"


def row_labels(width: int) -> list[str]:
    """The trajectories' row labels as the projector's timeline draws them (plotly's markup)."""
    snapshot = Snapshot((CardData(1, K.STAKE, SOINS), CardData(2, K.STAKE, SOINS_LONG)), trajectories=(
        TrajectoryData(1, "Des soins près de chez soi", 1, (StepData(2030, "Maison de santé"),)),
        TrajectoryData(2, "Bourgs vivants", 2, (StepData(2035, "Médecins salariés"),))), horizon_year=2050)
    figure = trajectories_timeline_figure(snapshot, mode="projector", lang="fr", label_room=TIMELINE_LABELS * width)
    return list(figure.layout.yaxis.ticktext)


@pytest.mark.parametrize("width", [TIMELINE_W_WIDE, TIMELINE_W_SIDE])
def test_a_trajectorys_stake_is_cut_only_when_wider_than_its_labels_room(width) -> None:
    short, long = (label.split("<br>")[1] for label in row_labels(width))
    size, room = mode_style("projector").font_size, TIMELINE_LABELS * width
    for line, whole in ((short, f"Pour\u00a0: {SOINS}"), (long, f"Pour\u00a0: {SOINS_LONG}")):
        if text_width(whole, size) < room:
            assert line == whole
        else:  # cut at a word, with « … », to the room
            assert line.endswith("…") and whole.startswith(line[:-1]) and text_width(line, size) <= room, line
    # the timeline's whole width shows « Pour : Accès aux soins de proximité » whole
    assert short == f"Pour\u00a0: {SOINS}" or width != TIMELINE_W_WIDE
    assert long != f"Pour\u00a0: {SOINS_LONG}"


def test_the_console_keeps_every_finding_and_whole_card_texts(analysis) -> None:
    findings = key_findings(analysis, Words("fr"), limit=4)
    assert {"exposed", "uncountered", "unsupported", "isolated"} <= {f.key for f in findings}
    uncountered = next(f for f in findings if f.key == "uncountered")
    assert uncountered.items == (TEXTS[11], TEXTS[12]) and uncountered.more == 0  # 14, unlinked: isolated


def test_an_unlinked_card_is_said_once_and_isolated_means_connected_to_nothing() -> None:
    """« 2 menaces sans parade » and « 4 enjeux sans ressource » named the same cards as « 7 cartes
    isolées »; and « 16 cartes isolées » of 16 while a trajectory led to one of them."""
    cards = (CardData(1, K.STAKE, "Accès aux soins"), CardData(2, K.STAKE, "Préserver l'eau"),
             CardData(3, K.THREAT, "Canicules"), CardData(4, K.RESOURCE, "Savoir-faire"),
             CardData(5, K.CHALLENGE, "Un médecin par bourg"))
    trajectory = TrajectoryData(1, "Des soins", target_id=5)
    findings = key_findings(analyse(Snapshot(cards, (), (trajectory,))), Words("fr"), limit=10)
    said = [(f.key, text) for f in findings for text in f.items if f.key != "exposed"]
    assert sorted(said) == sorted([("isolated", "Accès aux soins"), ("isolated", "Préserver l'eau"),
                                   ("isolated", "Canicules"), ("isolated", "Savoir-faire"),
                                   ("unsupported", "Un médecin par bourg")])
    isolated = next(f for f in findings if f.key == "isolated")
    assert isolated.lead == "4\u00a0cartes isolées"


def test_before_anything_is_connected_no_card_is_called_isolated() -> None:
    """At the first « carte des enjeux » nothing is linked yet: « 7 cartes isolées » said nothing
    (every card is). Once one link is drawn, the cards left out are worth a word again."""
    cards = (CardData(1, K.STAKE, "Accès aux soins"), CardData(2, K.THREAT, "Canicules"),
             CardData(3, K.RESOURCE, "Savoir-faire"), CardData(4, K.STAKE, "Préserver l'eau"))
    before = key_findings(analyse(Snapshot(cards, (), ())), Words("fr"), limit=10)
    assert "isolated" not in {f.key for f in before}
    linked = (LinkData(3, 1, R.SUPPORTS),)
    after = key_findings(analyse(Snapshot(cards, linked, ())), Words("fr"), limit=10)
    isolated = next(f for f in after if f.key == "isolated")
    assert set(isolated.items) == {"Canicules", "Préserver l'eau"}
