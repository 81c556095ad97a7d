"""Where two analyses seem to disagree about a card, and why they do not.

Each analysis answers its own question: "nothing counters this threat" (gaps) and "this
threat weighs little on the system as a whole" (MICMAC) can both be true. A reader who sees
a card in two lists that sound contradictory needs one sentence saying what it means for
action; ``readings`` finds those cards, the pages and the report word the sentence
(``graph.reading.*`` in the i18n files).

- ``uncountered_autonomous``: a threat nothing counters, yet autonomous: what it weighs on
  it weighs on, but its influence on the system as a whole is below the mean, so the risk
  is real but local (counter it for the stakes it hits; expect no knock-on effect).
- ``loop_driver``: a card that is driving or relay only indirectly (its direct influence
  is low) and that reaches a feedback loop: its influence is the loop's, amplified round
  after round; acting on it acts on the whole loop.
- ``fading_driver``: a card driving directly but not indirectly: it acts strongly on its
  neighbours, but they pass little on; its effect stays local.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workshop.analysis.loops import FeedbackLoop
from workshop.analysis.micmac import InfluenceGroup, InfluenceScore
from workshop.i18n import quoted

HIGH_INFLUENCE = frozenset({InfluenceGroup.DRIVING, InfluenceGroup.RELAY})


@dataclass(frozen=True)
class Reading:
    key: str                      # uncountered_autonomous | loop_driver | fading_driver
    card_id: int
    related: tuple[int, ...] = ()  # the stakes it weighs on / the loop it reaches (in order)
    group: InfluenceGroup | None = None  # loop_driver: its indirect group


def _descendants(start: int, successors: Mapping[int, list[int]]) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        for nxt in successors.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def readings(scores: Iterable[InfluenceScore], uncountered: Iterable[int], loops: Iterable[FeedbackLoop],
             weights: Mapping[tuple[int, int], int], weighs_on: Mapping[int, tuple[int, ...]]) -> tuple[Reading, ...]:
    """The readings, in the order: uncountered threats (most pressing first), loop drivers
    and fading drivers (most influential first)."""
    by_id = {s.card_id: s for s in scores}
    out: list[Reading] = []
    for threat in uncountered:
        score = by_id.get(threat)
        if score is not None and score.group is InfluenceGroup.AUTONOMOUS:
            out.append(Reading("uncountered_autonomous", threat, tuple(weighs_on.get(threat, ()))))
    successors: dict[int, list[int]] = {}
    for u, v in weights:
        successors.setdefault(u, []).append(v)
    loops = list(loops)
    for score in by_id.values():
        if score.group in HIGH_INFLUENCE and score.direct_group not in HIGH_INFLUENCE and loops:
            reach = _descendants(score.card_id, successors)
            loop = next((loop for loop in loops if reach.intersection(loop.card_ids)), None)
            if loop is not None:
                out.append(Reading("loop_driver", score.card_id, loop.card_ids, score.group))
    for score in by_id.values():
        if score.direct_group is InfluenceGroup.DRIVING and score.group not in HIGH_INFLUENCE:
            out.append(Reading("fading_driver", score.card_id))
    order = {s.card_id: i for i, s in enumerate(sorted(by_id.values(), key=lambda s: (-s.influence, s.card_id)))}
    first = [r for r in out if r.key == "uncountered_autonomous"]
    rest = sorted((r for r in out if r.key != "uncountered_autonomous"), key=lambda r: (r.key != "loop_driver",
                                                                                         order[r.card_id]))
    return tuple(first + rest)


def _names(ids: Iterable[int], text: Mapping[int, str], lang: str) -> str:
    names = [quoted(text[i], lang) for i in ids if i in text]
    if len(names) <= 1:
        return "".join(names)
    joiner = " et " if lang == "fr" else " and "
    return ", ".join(names[:-1]) + joiner + names[-1]


def sentence(reading: Reading, text: Mapping[int, str], lang: str) -> str:
    """The one sentence that says why the two analyses agree (French or English)."""
    from workshop.i18n import translate

    card = text.get(reading.card_id, "?")
    if reading.key == "uncountered_autonomous":
        if reading.related:
            return translate("reading.uncountered_autonomous", lang, card=card,
                             stakes=_names(reading.related, text, lang))
        return translate("reading.uncountered_autonomous_alone", lang, card=card)
    if reading.key == "loop_driver":
        loop = " → ".join(text.get(i, "?") for i in (*reading.related, reading.related[0]))
        group = translate(f"micmac.group_one.{reading.group.value}", lang)
        return translate("reading.loop_driver", lang, card=card, loop=loop, group=group)
    return translate("reading.fading_driver", lang, card=card)


def sentences(readings: Iterable[Reading], text: Mapping[int, str], lang: str) -> list[str]:
    """The report's sentences: every card whose influence fades said in one sentence, where the
    first of them comes (seven bullets ending on the same words read as one list of cards)."""
    from workshop.i18n import translate

    readings = list(readings)
    fading = [r.card_id for r in readings if r.key == "fading_driver"]
    out: list[str] = []
    for reading in readings:
        if reading.key != "fading_driver" or len(fading) == 1:
            out.append(sentence(reading, text, lang))
        elif reading.card_id == fading[0]:
            out.append(translate("reading.fading_drivers", lang, cards=_names(fading, text, lang)))
    return out


def settled_sentence(structural, lang: str) -> str:
    """How the indirect classification was reached, in one sentence."""
    from workshop.i18n import translate

    first = structural.power - structural.period + 1
    return translate(f"micmac.settled.{structural.settled.value}", lang, power=structural.power,
                     period=structural.period, first=first)


def loops_cut_sentence(analysis, lang: str) -> str:
    """What a cut loop list holds (only said when ``analysis.loops_truncated``)."""
    from workshop.i18n import translate

    complete = analysis.loops_complete_to
    following = max(complete + 1, 2)  # the first length not listed whole
    # of that length, the list holds its strongest loops, or none: the list filled up just as a
    # length ended (longer loops were not looked for), or the search ran out of steps within it
    if not any(loop.length == following for loop in analysis.loops):
        if complete < 2:
            return translate("loops.cut_none_listed", lang)
        return translate("loops.cut_at", lang, count=len(analysis.loops), complete=complete)
    if complete < 2:
        return translate("loops.cut_none_complete", lang, next=following)
    return translate("loops.cut", lang, count=len(analysis.loops), complete=complete, next=following)
