"""Hostile text for the injection tests: what to type, what must be stored, and a seminar
that carries it through every input the app has (imported by tests/test_injection.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.models import CardKind, College, Interaction, Relation
from workshop.services import (
    activities,
    cards,
    links,
    participants,
    planning,
    ratelimit,
    robustness,
    screen,
    seminars,
    trajectories,
    votes,
)

# name -> (typed, stored on a single-line field). Every payload fits the shortest field (60).
PAYLOADS: dict[str, tuple[str, str]] = {
    "script": ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    "img": ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    "svg": ('"><svg onload=alert(1)>', '"><svg onload=alert(1)>'),
    "ctrl": ("a\x00b\x01c\x07d\x08e\x0bf\x0cg\x1b[31mh\x1fi\x7fj\tk\nl", "abcdefg[31mhij k l"),
    "rtl": ("\u202egnp.exe\u202c \u200bcaché", "gnp.exe caché"),
    "emoji": ("👩🏽\u200d🌾 Agricultrice 🏳️\u200d🌈", "👩🏽\u200d🌾 Agricultrice 🏳️\u200d🌈"),
    "accents": ("Éléonore à Saint-Étienne : « forêt » çà et là, Œuvre", "Éléonore à Saint-Étienne : « forêt » çà et là, Œuvre"),
    "template": ("{{7*7}} ${7*7} {0} %(x)s", "{{7*7}} ${7*7} {0} %(x)s"),
    "sql": ("'; DROP TABLE cards; --", "'; DROP TABLE cards; --"),
    "decomposed": ("Ecole\u0301 cafe\u0301", "Ecolé café"),  # NFC: one code point per letter
    "formula": ('=HYPERLINK("http://x.invalid","clic")', '=HYPERLINK("http://x.invalid","clic")'),  # spreadsheets
}
# What a multiline field keeps: line breaks stay, the rest is cleaned the same way.
MULTILINE_TYPED = "\n".join(typed for typed, _ in PAYLOADS.values())
MULTILINE_STORED = "\n".join(
    stored if name != "ctrl" else "abcdefg[31mhij\tk\nl" for name, (_, stored) in PAYLOADS.items())
# Words: at most three words and 40 characters.
WORDS = {name: PAYLOADS[name] for name in ("script", "img", "svg", "emoji", "rtl", "decomposed", "formula")}

RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>')
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HUGE = "é" * 10_000
SECRET = "injection-2026"

TITLE = ("<script>alert(1)</script> 👩🏽\u200d🌾 \x07", "<script>alert(1)</script> 👩🏽\u200d🌾")
TERRITORY = ('"><svg onload=alert(1)> Saint-Étienne\u202e', '"><svg onload=alert(1)> Saint-Étienne')


@dataclass
class Seeded:
    seminar_id: int
    join_code: str
    tokens: dict[str, str]
    activity_ids: dict[str, int] = field(default_factory=dict)
    expected: list[str] = field(default_factory=list)  # every stored string the outputs must show


def _activity(db: Database, sid: int, interaction: Interaction, kind: str | None = None):
    return next(a for a in activities.list_activities(db, sid)
                if a.interaction is interaction and (kind is None or kind in a.card_kinds))


def seed(db: Database, *, end_on: str = "contribute") -> Seeded:
    """A seminar where every text field people or facilitators can fill holds hostile text."""
    with ratelimit.exempt():
        return _seed(db, end_on)


def _seed(db: Database, end_on: str) -> Seeded:
    sheet = find_run_sheet("deux-jours")
    created = seminars.create_seminar(
        db, title=TITLE[0], territory=TERRITORY[0], horizon_year=2055, run_sheet=sheet, kit=default_kit(),
        day_dates=[date(2026, 12, 3)], facilitator_secret=SECRET,
        group_names=[PAYLOADS["img"][0], PAYLOADS["emoji"][0]])
    sid = created.seminar_id
    out = Seeded(sid, created.join_code, {})
    out.expected += [TITLE[1], TERRITORY[1], PAYLOADS["img"][1], PAYLOADS["emoji"][1]]
    group_id = seminars.add_group(db, sid, PAYLOADS["svg"][0])
    seminars.rename_group(db, sid, group_id, PAYLOADS["accents"][0])
    out.expected.append(PAYLOADS["accents"][1])
    colleges = list(College)
    for i, (name, (typed, stored)) in enumerate(PAYLOADS.items()):
        joined = participants.join(db, created.join_code, display_name=typed, college=colleges[i % len(colleges)])
        out.tokens[name] = joined.device_token
        out.expected.append(stored)
    participants.update_profile(db, out.tokens["sql"], display_name=PAYLOADS["sql"][0] + " (2)")

    word = _activity(db, sid, Interaction.WORD)
    activities.open_activity(db, sid, word.id)
    for name, (typed, _stored) in WORDS.items():
        cards.contribute(db, out.tokens[name], word.id, kind=CardKind.WORD, text=typed)
    out.activity_ids["word"] = word.id

    contribute = _activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE.value)
    activities.open_activity(db, sid, contribute.id)
    out.activity_ids["contribute"] = contribute.id
    stake_ids, threat_ids = [], []
    for name, (typed, _stored) in PAYLOADS.items():
        card = cards.contribute(db, out.tokens[name], contribute.id, kind=CardKind.STAKE, text=typed,
                                details=MULTILINE_TYPED, source=typed)
        stake_ids.append(card.id)
        threat_ids.append(cards.contribute(db, out.tokens[name], contribute.id, kind=CardKind.THREAT,
                                           text="Menace " + typed).id)
    out.expected += ["Menace " + PAYLOADS["script"][1]]
    mine = next(c for c in cards.own_cards(db, out.tokens["script"]) if c.kind is CardKind.STAKE)
    cards.edit_own(db, out.tokens["script"], mine.id, text=PAYLOADS["script"][0] + " (modifié)",
                   details=MULTILINE_TYPED)
    resource = cards.add_card(db, sid, kind=CardKind.RESOURCE, text=PAYLOADS["img"][0], details=MULTILINE_TYPED)
    cards.moderate_edit(db, sid, threat_ids[1], text=PAYLOADS["svg"][0] + " (modéré)", details=MULTILINE_TYPED)
    challenge = cards.add_card(db, sid, kind=CardKind.CHALLENGE, text=PAYLOADS["emoji"][0])
    action = cards.add_card(db, sid, kind=CardKind.CURRENT_ACTION, text=PAYLOADS["template"][0])
    out.expected += [PAYLOADS["script"][1] + " (modifié)", PAYLOADS["svg"][1] + " (modéré)", MULTILINE_STORED]

    test = _activity(db, sid, Interaction.ROBUSTNESS)
    activities.open_activity(db, sid, test.id)
    robustness.rate(db, out.tokens["rtl"], test.id, challenge.id, action.id, "holds",
                               reason=MULTILINE_TYPED)

    link = _activity(db, sid, Interaction.LINK)
    activities.open_activity(db, sid, link.id)
    proposed = links.propose_link(db, out.tokens["img"], link.id, threat_ids[0], stake_ids[0], Relation.WEIGHS_ON,
                                  note=MULTILINE_TYPED)
    made = links.create_link(db, sid, resource.id, stake_ids[1], Relation.SUPPORTS, weight=2,
                             note=PAYLOADS["script"][0])
    links.update_link(db, sid, made.id, weight=3, note=MULTILINE_TYPED)
    links.decide(db, sid, proposed.id, accept=True)
    links.create_link(db, sid, stake_ids[2], stake_ids[3], Relation.INFLUENCES, note=PAYLOADS["svg"][0])

    trajectory = trajectories.create_trajectory(db, sid, stake_ids[0], PAYLOADS["img"][0])
    activities.open_activity(db, sid, _activity(db, sid, Interaction.TRAJECTORY).id)  # tablets build trajectories then
    trajectories.create_trajectory(db, sid, challenge.id, PAYLOADS["ctrl"][0], device_token=out.tokens["ctrl"])
    trajectories.add_step(db, sid, trajectory.id, year=2040, title=PAYLOADS["svg"][0],
                          description=MULTILINE_TYPED, card_ids=[resource.id])

    vote = _activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE.value)
    activities.open_activity(db, sid, vote.id)
    out.activity_ids["vote"] = vote.id
    for name, card_id in zip(PAYLOADS, stake_ids):
        votes.set_dots(db, out.tokens[name], vote.id, card_id, 1)

    activities.set_notes(db, sid, contribute.id, MULTILINE_TYPED)
    seminars.set_lessons_learned(db, sid, MULTILINE_TYPED)
    pending = next(a for a in activities.list_activities(db, sid) if a.state.value == "pending")
    planning.update_activity(db, sid, pending.id, title=PAYLOADS["svg"][0], participant_instructions=MULTILINE_TYPED,
                             facilitator_instructions=MULTILINE_TYPED)
    planning.add_activity(db, sid, exercise_type=pending.exercise_type, title=PAYLOADS["script"][0],
                          participant_instructions=MULTILINE_TYPED)
    contribute_again = {"contribute": contribute.id, "vote": vote.id, "word": word.id}[end_on]
    activities.open_activity(db, sid, contribute_again)
    screen.set_screen(db, sid, view="wall", reveal_results=True)
    return out
