"""The graph analyses in words: what the console and the projector say about the card map.

``load_graph(db, seminar_id)`` reads a seminar and runs the analyses (off the event loop:
pages call it through ``run.io_bound``); ``key_findings`` turns a ``SeminarAnalysis`` into
short French (or English) sentences, most useful first: the most exposed stake, threats
nothing counters, stakes nothing supports, isolated cards, driving cards, loops, central
cards. Card texts stay plain strings: pages show them as inert text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workshop.analysis import SeminarAnalysis, Snapshot, analyse, load_snapshot
from workshop.analysis.metrics import InfluenceGroup
from workshop.analysis.snapshot import GRAPH_KINDS
from workshop.db import Database
from workshop.i18n import list_separator, translate
from workshop.models import CardKind

Translate = Callable[..., str]


@dataclass(frozen=True)
class GraphState:
    snapshot: Snapshot
    analysis: SeminarAnalysis


def load_graph(db: Database, seminar_id: int) -> GraphState:
    snapshot = load_snapshot(db, seminar_id)
    return GraphState(snapshot, analyse(snapshot))


@dataclass(frozen=True)
class Finding:
    key: str                 # exposed, uncountered, unsupported, isolated, driving, loops, central
    lead: str                # « 3 menaces sans parade »
    items: tuple[str, ...] = ()   # card texts, whole
    more: int = 0            # how many more were left out
    detail: str = ""         # numbers behind the lead, e.g. « exposition 65 · soutien 2 »
    alert: bool = False      # a gap the room should look at


@dataclass
class Words:
    """Translation bound to one language, with the plural rule of that language."""

    lang: str = "fr"

    def __call__(self, key: str, **params) -> str:
        return translate(key, self.lang, **params)

    def count(self, key: str, count: int, **params) -> str:
        one = count <= 1 if self.lang == "fr" else count == 1
        return self(f"{key}_{'one' if one else 'other'}", count=count, **params)

    def number(self, value: float) -> str:
        text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
        return text.replace(".", ",") if self.lang == "fr" else text


def graph_title(snapshot: Snapshot, words: Words, *, trajectories: bool) -> str:
    """The graph's title, naming what it shows: « Graphe des trajectoires » only where trajectories are
    drawn on it (``trajectories``) and some exist, « Graphe des liens » where cards are linked, else
    « Carte des enjeux » (cards only). The map of the console's graph tab and the projector's draw no
    trajectory: both say ``trajectories=False``, so the same picture has the same name on both."""
    if trajectories and snapshot.trajectories:
        return words("graph.title.trajectories")
    return words("graph.title.links" if snapshot.links else "graph.title.cards")


def _goal_kind(analysis: SeminarAnalysis, ids: tuple[int, ...]) -> str:
    kinds = {analysis.cards[i].kind for i in ids}
    if kinds == {CardKind.CHALLENGE}:
        return "challenges"
    return "stakes" if kinds == {CardKind.STAKE} else "goals"


def exposed_in_words(threats: int, countered: int, levers: int, words: Words) -> str:
    """The most exposed stake's numbers as the room hears them: « 1 menace pèse dessus, sans
    parade ; rien ne le soutient » (``levers``: the resources and actions that support it)."""
    if countered == 0:
        said = words("graph.finding.exposed_threats_none", count=threats)
    elif countered == threats:
        said = words("graph.finding.exposed_threats_all", count=threats)
    else:
        said = words("graph.finding.exposed_threats_some", count=countered, total=threats)
    return words("graph.finding.exposed_room", threats=said,
                 support=words("graph.finding.exposed_support", count=levers))


def isolated_to_list(analysis: SeminarAnalysis) -> tuple[int, ...]:
    """The isolated cards worth naming: none while nothing is connected yet (every card would be
    isolated, which says nothing the room does not know)."""
    linkable = {i for i, c in analysis.cards.items() if c.kind in GRAPH_KINDS}
    return () if set(analysis.isolated_cards) == linkable else analysis.isolated_cards


def key_findings(analysis: SeminarAnalysis, words: Words, *, limit: int = 3,
                 keys: tuple[str, ...] | None = None, room: bool = False) -> list[Finding]:
    """The findings worth saying, in this order; ``limit`` card names each, whole (the rest counted).
    A page cuts a name to its room, if need be, where it knows that room. ``room``: for the
    projector, the most exposed stake's numbers in plain words (``exposed_in_words``) rather than
    the analysis's figures (exposure, support), which the console keeps."""
    cards = analysis.cards

    def names(ids) -> tuple[tuple[str, ...], int]:
        ids = list(ids)
        return tuple(cards[i].text for i in ids[:limit]), max(0, len(ids) - limit)

    out: list[Finding] = []
    exposed = next((g for g in analysis.goals if g.exposure > 0), None)
    if exposed is not None:
        if room:
            detail = exposed_in_words(len(exposed.threats), exposed.countered_count,
                                      len({s.card_id for s in exposed.supports}), words)
        else:
            detail = words("graph.finding.exposed_detail", exposure=words.number(exposed.exposure),
                           support=exposed.support, countered=exposed.countered_count, total=len(exposed.threats))
        kind = "challenge" if exposed.card_id in cards and cards[exposed.card_id].kind is CardKind.CHALLENGE \
            else "stake"
        items, _ = names([exposed.card_id])
        out.append(Finding("exposed", words(f"graph.finding.exposed_{kind}"), items, 0, detail,
                           alert=not exposed.supported or exposed.countered_count < len(exposed.threats)))
    if analysis.uncountered_threats:
        items, more = names(analysis.uncountered_threats)
        out.append(Finding("uncountered", words.count("graph.finding.uncountered", len(analysis.uncountered_threats)),
                           items, more, alert=True))
    if analysis.unsupported_goals:
        kind = _goal_kind(analysis, analysis.unsupported_goals)
        items, more = names(analysis.unsupported_goals)
        out.append(Finding("unsupported", words.count(f"graph.finding.unsupported_{kind}",
                                                      len(analysis.unsupported_goals)), items, more, alert=True))
    isolated = isolated_to_list(analysis)
    if isolated:
        items, more = names(isolated)
        out.append(Finding("isolated", words.count("graph.finding.isolated", len(isolated)), items, more))
    driving = analysis.group(InfluenceGroup.DRIVING)
    if driving:
        items, more = names(driving)
        out.append(Finding("driving", words.count("graph.finding.driving", len(driving)), items, more))
    if analysis.loops:
        loop = analysis.loops[0]
        path = " → ".join(cards[i].text for i in (*loop.card_ids, loop.card_ids[0]))
        out.append(Finding("loops", words.count("graph.finding.loops", len(analysis.loops)), (path,),
                           len(analysis.loops) - 1))
    if analysis.central_cards:
        items, more = names(analysis.central_cards)
        out.append(Finding("central", words("graph.finding.central"), items, 0))
    if keys is not None:
        out = [f for f in out if f.key in keys]
    return out


def finding_sentence(finding: Finding, words: Words) -> str:
    """One finding as one sentence: « 3 menaces sans parade : A ; B ; C (et 2 autres). »"""
    text = finding.lead
    if finding.items:
        text += words("graph.finding.colon") + list_separator(words.lang).join(finding.items)
    if finding.more:
        text += " " + words.count("graph.finding.more", finding.more)
    if finding.detail:
        text += f" ({finding.detail})"
    return text
