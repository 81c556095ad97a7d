"""« L'essentiel »: how its sentences read, on rankings given to them.

- a ranking sentence (stakes, threats by score, challenges, action leads, the most exposed
  stake) never drops silently what ties with the last card it names: it names the tied ones too
  when the list stays short (five at most), otherwise says how many more tie (« et 4 autres à
  1 gommette »);
- the figures in brackets (« 2 sur 3 », « 1 chacun sur 2 ») never break across lines;
- a trajectory of one step reads « en une étape »; the challenges are said as what the sentence
  computes, the challenges the dot vote put first, with their dots;
- the collèges are named as the charts' legend names them, in the plural (« aux élus »).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from workshop.i18n import quoted
from workshop.reports.essential import essential_sentences
from workshop.reports.model import build_report
from workshop.reports.rows import ExposureRow, LinkRow, RankedCard, StepRow, ThreatRow, TrajectoryRow

NBSP = "\u00a0"
CHAPTERS = {"contexte": (1, "Contexte"), "carte-lecture": (7, "Lecture de la carte"), "enjeux": (3, "Les enjeux"), "menaces": (4, "Les menaces"),
            "robustesse": (9, "Robustesse"), "trajectoires": (8, "Trajectoires"), "actions": (10, "Actions")}


def ranked(kind: str, dots: list[int], by_college: list[dict[str, int]] | None = None) -> tuple[RankedCard, ...]:
    """Cards « A », « B »… ranked as the report ranks them, with these dots."""
    return tuple(RankedCard(rank=i + 1, card_id=100 + i, kind=kind, text=chr(ord("A") + i), details="", theme="",
                            group="", dots=n, voters=n, by_college=(by_college or [{}] * len(dots))[i])
                 for i, n in enumerate(dots))


def threats(severities: list[float]) -> tuple[ThreatRow, ...]:
    return tuple(ThreatRow(card_id=200 + i, text=f"Menace {i + 1}", theme="", likelihood=None, impact=None,
                           raters=2, severity=s, quadrant="major", pressure=0.0, weighs_on=(), countered_by=())
                 for i, s in enumerate(severities))


@pytest.fixture
def blank(db, seminar):
    """A seminar's report with nothing in it, to give rankings to."""
    return build_report(db, seminar.seminar_id)


def said(report, key: str, lang: str = "fr") -> str | None:
    """The sentence ``key`` of L'essentiel, or None when the report does not say it."""
    found = {s.key: s.text for s in essential_sentences(replace(report, language=lang), CHAPTERS)}
    return found.get(key)


def q(text: str, lang: str = "fr") -> str:
    return quoted(text, lang)


def test_a_tie_at_the_cut_is_named_whole_when_the_list_stays_short(blank):
    """The rehearsal's stakes at 2, 1, 1, 1: the fourth, tied with the third, is named too."""
    report = replace(blank, stakes=ranked("stake", [2, 1, 1, 1, 0]))
    assert said(report, "stakes") == (
        f"Les enjeux mis en tête par les votes{NBSP}: {q('A')} (2{NBSP}gommettes), {q('B')} (1{NBSP}gommette), "
        f"{q('C')} (1{NBSP}gommette) et {q('D')} (1{NBSP}gommette).")
    assert said(report, "stakes", "en") == (
        f"The stakes the votes put first: {q('A', 'en')} (2 dots), {q('B', 'en')} (1 dot), {q('C', 'en')} (1 dot) "
        f"and {q('D', 'en')} (1 dot).")
    # five at most, named: 4, 1, 1, 1, 1 (the unvoted card is no tie)
    five = said(replace(blank, stakes=ranked("stake", [4, 1, 1, 1, 1, 0])), "stakes")
    assert all(q(x) in five for x in "ABCDE") and q("F") not in five, five
    # no tie at the cut: three named, the fourth (fewer dots) left out as before
    three = said(replace(blank, stakes=ranked("stake", [3, 2, 2, 1])), "stakes")
    assert q("C") in three and q("D") not in three, three


def test_a_long_tie_at_the_cut_is_said_rather_than_dropped(blank):
    """3, then six at 1: three named, « et 4 autres à 1 gommette »."""
    report = replace(blank, stakes=ranked("stake", [3, 1, 1, 1, 1, 1, 1]))
    assert said(report, "stakes") == (
        f"Les enjeux mis en tête par les votes{NBSP}: {q('A')} (3{NBSP}gommettes), {q('B')} (1{NBSP}gommette), "
        f"{q('C')} (1{NBSP}gommette) et 4{NBSP}autres à 1{NBSP}gommette.")
    assert said(report, "stakes", "en").endswith(f"{q('C', 'en')} (1 dot) and 4 others with 1 dot.")
    # everything tied: the same
    all_tied = said(replace(blank, stakes=ranked("stake", [2] * 8)), "stakes")
    assert all_tied.endswith(f"{q('C')} (2{NBSP}gommettes) et 5{NBSP}autres à 2{NBSP}gommettes."), all_tied


def test_every_ranking_sentence_keeps_its_ties(blank):
    """Action leads, challenges and threats (on their score as written) follow the same rule."""
    report = replace(blank, action_leads=ranked("action_lead", [3, 2, 2, 2]),
                     challenges=ranked("challenge", [1, 1, 1, 1, 1, 1]),
                     threats=threats([16.0, 16.0, 16.0, 16.0, 12.0]))
    leads = said(report, "actions")
    assert leads == (f"Les pistes d'action mises en tête{NBSP}: {q('A')} (3{NBSP}gommettes), {q('B')} "
                     f"(2{NBSP}gommettes), {q('C')} (2{NBSP}gommettes) et {q('D')} (2{NBSP}gommettes)."), leads
    challenges = said(report, "challenges")
    assert challenges.endswith(f"{q('C')} (1{NBSP}gommette) et 3{NBSP}autres à 1{NBSP}gommette."), challenges
    serious = said(report, "threats")
    assert all(q(f"Menace {i}") in serious for i in (1, 2, 3, 4)) and q("Menace 5") not in serious, serious
    # a score written the same is a tie for the reader, even when the exact products differ
    close = said(replace(blank, threats=threats([12.5, 12.25, 12.24, 12.21, 12.2, 12.19, 9.0])), "threats")
    assert close.endswith(f"{q('Menace 3')} (12,2) et 3{NBSP}autres à 12,2."), close
    assert said(replace(blank, threats=threats([12.5, 12.25, 12.24, 12.21, 12.2, 12.19, 9.0])), "threats",
                "en").endswith(f"{q('Menace 3', 'en')} (12.2) and 3 others at 12.2."), close


def exposed(report, rows: list[tuple[str, str, float, int, int]]):
    """The report with a map and these (kind, text, exposure, threats, countered), most exposed first."""
    link = LinkRow(1, 1, "x", "weighs_on", 2, "y", None, "")
    return replace(report, links=(link,), findings=replace(report.findings, exposure=tuple(
        ExposureRow(300 + i, kind, text, value, threats, countered, countered / threats, 0)
        for i, (kind, text, value, threats, countered) in enumerate(rows))))


def test_the_most_exposed_stake_names_those_tied_with_it(blank):
    """Two stakes equally exposed: both named, each with what weighs on it (not the first alone)."""
    report = exposed(blank, [("stake", "Eau", 32.0, 2, 0), ("stake", "Soins", 32.0, 2, 1),
                             ("stake", "Logement", 9.0, 1, 0)])
    assert said(report, "exposure") == (
        f"Les enjeux les plus exposés aux menaces, à égalité{NBSP}: {q('Eau')} (2{NBSP}menaces pèsent sur lui et "
        f"rien ne les contre encore) et {q('Soins')} (2{NBSP}menaces pèsent sur lui, dont 1{NBSP}contrée par une "
        f"ressource ou une action).")
    assert said(report, "exposure", "en").startswith(f"The stakes most exposed to threats, tied: {q('Eau', 'en')} (")
    # a stake and a challenge tied; six tied: one named, the others counted
    mixed = exposed(blank, [("stake", "Eau", 8.0, 1, 0), ("challenge", "Zéro voiture", 8.0, 1, 0)])
    assert said(mixed, "exposure").startswith("Les enjeux et défis les plus exposés aux menaces, à égalité")
    six = exposed(blank, [("stake", f"E{i}", 4.0, 1, 0) for i in range(6)])
    assert said(six, "exposure").endswith(f"rien ne la contre encore) et 5{NBSP}autres à égalité."), said(six, "exposure")
    # no tie: as before
    alone = exposed(blank, [("stake", "Eau", 32.0, 2, 0), ("stake", "Soins", 16.0, 1, 0)])
    assert said(alone, "exposure") == (f"L'enjeu le plus exposé aux menaces est {q('Eau')}{NBSP}: 2{NBSP}menaces "
                                       f"pèsent sur lui et rien ne les contre encore.")


def test_the_challenges_sentence_says_they_are_ranked_by_the_votes_with_their_dots(blank):
    """Not « Les défis retenus » for a list that includes a challenge with one dot."""
    report = replace(blank, challenges=ranked("challenge", [3, 2, 1, 0]))
    assert said(report, "challenges") == (
        f"Les défis mis en tête par les votes{NBSP}: {q('A')} (3{NBSP}gommettes), {q('B')} (2{NBSP}gommettes) "
        f"et {q('C')} (1{NBSP}gommette).")
    assert said(report, "challenges", "en") == (
        f"The challenges the votes put first: {q('A', 'en')} (3 dots), {q('B', 'en')} (2 dots) "
        f"and {q('C', 'en')} (1 dot).")
    one = replace(blank, challenges=ranked("challenge", [1, 0]))
    assert said(one, "challenges") == f"Le défi mis en tête par les votes{NBSP}: {q('A')} (1{NBSP}gommette)."


def test_the_figures_in_brackets_do_not_break(blank):
    """« aux élus (2 » / « sur 3) » on the projector: no-break spaces inside the brackets."""
    report = replace(blank, stakes=ranked("stake", [5, 3], [{"elected": 2, "staff": 2, "resident": 1},
                                                            {"elected": 2, "resident": 1}]))
    carried = said(report, "carried")
    assert f"(2{NBSP}chacun{NBSP}sur{NBSP}5)" in carried and f"(2{NBSP}sur{NBSP}3)" in carried, carried
    english = said(report, "carried", "en")
    assert f"(2{NBSP}each{NBSP}of{NBSP}5)" in english and f"(2{NBSP}of{NBSP}3)" in english, english
    serious = said(replace(blank, threats=threats([16.0])), "threats")
    assert f"(probabilité × gravité, sur{NBSP}25)" in serious, serious


def test_the_colleges_are_named_as_the_charts_legend_names_them(blank):
    """The legend says « élu », « habitant »: the sentence « aux élus », « aux habitants »,
    not « aux élus »; English unchanged."""
    report = replace(blank, stakes=ranked("stake", [5, 3], [{"staff": 2, "expert": 2, "resident": 1},
                                                            {"elected": 2, "resident": 1}]))
    assert said(report, "carried") == (
        f"{q('A')} doit d'abord ses gommettes aux techniciens et aux experts (2{NBSP}chacun{NBSP}sur{NBSP}5) "
        f"et {q('B')} aux élus (2{NBSP}sur{NBSP}3).")
    assert said(replace(blank, stakes=ranked("stake", [2], [{"resident": 2}])), "carried").startswith(
        f"{q('A')} doit d'abord ses gommettes aux habitants (")
    assert said(report, "carried", "en") == (
        f"{q('A', 'en')} owes its dots first to the local authority staff and to the experts "
        f"(2{NBSP}each{NBSP}of{NBSP}5) and {q('B', 'en')} to the elected members (2{NBSP}of{NBSP}3).")


def test_who_carried_a_stake_is_said_only_when_a_college_comes_first(blank):
    """One person's dots name a vote, not a collège (« aux habitants (1 sur 1) »), and a stake that
    every voting collège gave as many dots comes first with none of them (« aux élus et aux acteurs
    économiques (1 chacun sur 2) »): neither is said; the stakes that a collège does carry still are."""
    one_voter = replace(blank, stakes=ranked("stake", [1], [{"resident": 1}]))
    assert said(one_voter, "carried") is None
    even = replace(blank, stakes=ranked("stake", [4, 2, 2], [{"elected": 2, "business": 2},
                                                             {"elected": 1, "business": 1},
                                                             {"resident": 2}]))
    assert said(even, "carried") == f"{q('C')} doit d'abord ses gommettes aux habitants (2{NBSP}sur{NBSP}2)."


def test_a_trajectory_of_one_step_reads_in_words(blank):
    """« en une étape, en 2040 », not « en 1 étape »; two steps keep their figure."""
    one = (StepRow(2040, "Une maison de santé par canton", "", (), ()),)
    trajectory = TrajectoryRow(1, "Des soins à moins de 20 minutes", 1, "Accès aux soins de proximité", "", one)
    report = replace(blank, trajectories=(trajectory,))
    assert said(report, "trajectories") == (
        f"La trajectoire retenue, {q('Des soins à moins de 20 minutes')}, mène à "
        f"{q('Accès aux soins de proximité')} en une étape, en 2040.")
    assert said(report, "trajectories", "en").endswith(" in one step, in 2040.")
    two = replace(trajectory, steps=(StepRow(2028, "a", "", (), ()), *one, StepRow(2050, "b", "", (), ())))
    assert said(replace(blank, trajectories=(two,)), "trajectories").endswith(f" en 3{NBSP}étapes, de 2028 à 2050.")
