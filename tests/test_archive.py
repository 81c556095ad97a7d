"""The JSON seminar archive: export → import gives back the same seminar; bad files change nothing.

Every test that touches a database runs on SQLite and on PostgreSQL (the ``db`` fixture);
"fresh" targets are second databases (SQLite in ``tmp_path``, and PostgreSQL for the
laptop-to-server move).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from seminar_helpers import count, open_activity
from workshop import archive as archive_module
from workshop.archive import ArchiveError, export_seminar, import_seminar, load_schema, write_archive
from workshop.db import Database
from workshop.demo import DEMO_SECRET, build_demo
from workshop.errors import Forbidden
from workshop.i18n import LANGUAGES, catalogue
from workshop.models import (
    ACTIVITY_SCREENS,
    ActivityMode,
    ActivityState,
    Card,
    CardKind,
    College,
    Interaction,
    LinkStatus,
    ModerationStep,
    Participant,
    Relation,
    Seminar,
    Verdict,
)
from workshop.services import activities, cards, links, participants, robustness, screen, seminars, trajectories, votes

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "seminar-archive.schema.json"


# --- a seminar with a bit of everything ----------------------------------------------------


@dataclass
class Rich:
    seminar_id: int
    join_code: str
    tokens: dict[str, str]
    merged_challenge: int  # a challenge merged into another (its merge deleted a duplicate link)


def build_rich(db: Database, clock) -> Rich:
    """The demo seminar plus hidden, withdrawn and merged cards, every link status, robustness
    ratings, moderation history (one step undone), a paused and extended activity, notes,
    lessons learned, a projector state, a trajectory whose step was removed after a merge."""
    demo = build_demo(db)
    sid = demo.seminar_id
    groups = seminars.get_seminar_by_id(db, sid).groups
    zoe = participants.join(db, demo.join_code, display_name="Zoé 🌱", college=College.EXPERT, group_id=groups[0].id)
    yann = participants.join(db, demo.join_code, display_name="Yann", college=College.RESIDENT)
    tokens = {"zoe": zoe.device_token, "yann": yann.device_token}

    # the dot vote of the demo: merge two voted stakes (dots move, twins add up)
    tally = votes.tally(db, sid)
    cards.merge(db, sid, tally[0].card_id, [tally[1].card_id])

    clock.advance(minutes=10)
    act = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.CHALLENGE)
    c1 = cards.contribute(db, zoe.device_token, act.id, kind=CardKind.CHALLENGE, text="Soigner à moins de 20 minutes",
                          details="Partout, y compris en zone rurale", theme="sante", request_id="zoe-req-1").id
    c2 = cards.contribute(db, yann.device_token, act.id, kind=CardKind.CHALLENGE, text="Zéro logement passoire").id
    c3 = cards.contribute(db, yann.device_token, act.id, kind=CardKind.CHALLENGE, text="Des soins proches").id
    clock.advance(minutes=20)
    act = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.CURRENT_ACTION)
    a1 = cards.contribute(db, zoe.device_token, act.id, kind=CardKind.CURRENT_ACTION, text="Maison de santé").id
    a2 = cards.contribute(db, yann.device_token, act.id, kind=CardKind.CURRENT_ACTION, text="Aides à la rénovation").id
    a2_twin = cards.contribute(db, zoe.device_token, act.id, kind=CardKind.CURRENT_ACTION, text="Aide rénovation").id
    gone = cards.contribute(db, zoe.device_token, act.id, kind=CardKind.CURRENT_ACTION, text="Brouillon",
                            request_id="r2")
    cards.withdraw_own(db, zoe.device_token, gone.id)
    clock.advance(minutes=25)
    act = open_activity(db, sid, Interaction.ROBUSTNESS)
    robustness.rate(db, zoe.device_token, act.id, c1, a1, Verdict.HOLDS, "Déjà en place")
    robustness.rate(db, yann.device_token, act.id, c1, a1, Verdict.BENDS)
    robustness.rate(db, yann.device_token, act.id, c3, a2, Verdict.BREAKS, "Trop loin")
    robustness.rate(db, zoe.device_token, act.id, c2, a2, Verdict.BREAKS, "Budget")
    clock.advance(minutes=30)
    act = open_activity(db, sid, Interaction.LINK)
    links.propose_link(db, zoe.device_token, act.id, a1, c1, Relation.LEADS_TO, weight=2, note="évident")
    rejected = links.propose_link(db, yann.device_token, act.id, a2, c1, Relation.LEADS_TO)
    links.decide(db, sid, rejected.id, accept=False)
    accepted = links.propose_link(db, yann.device_token, act.id, a2, c2, Relation.LEADS_TO, weight=3)
    links.decide(db, sid, accepted.id, accept=True)
    links.create_link(db, sid, a1, c3, Relation.LEADS_TO, weight=1, note="doublon après fusion")
    links.create_link(db, sid, a2_twin, c2, Relation.LEADS_TO)

    clock.advance(minutes=20)
    act = open_activity(db, sid, Interaction.TRAJECTORY)  # tablets start trajectories during that activity
    trajectory = trajectories.create_trajectory(db, sid, c3, "Des soins pour tous", device_token=zoe.device_token)
    year = clock().year
    trajectories.add_step(db, sid, trajectory.id, year=year + 2, title="Deux maisons de santé", card_ids=[a1])
    doomed = trajectories.add_step(db, sid, trajectory.id, year=year + 5, title="Rénover", description="Par quartier",
                                   card_ids=[a2_twin, a1])
    # merges that move robustness ratings, a trajectory, steps, and delete a duplicate link
    cards.merge(db, sid, c1, [c3])
    cards.merge(db, sid, a2, [a2_twin])
    trajectories.remove_step(db, sid, doomed.id)  # the merge history now names a step that is gone

    stake = cards.list_cards(db, sid, kinds=[CardKind.STAKE])[-1].id
    cards.moderate_edit(db, sid, stake, text="Texte reformulé par l'animation", details="précision")
    cards.undo(db, sid, cards.history(db, sid)[0].id)
    threat = cards.list_cards(db, sid, kinds=[CardKind.THREAT])[0].id
    cards.retheme(db, sid, threat, "gouvernance")
    cards.set_hidden(db, sid, cards.list_cards(db, sid, kinds=[CardKind.RESOURCE])[0].id, True)
    cards.add_card(db, sid, kind=CardKind.TREND, text="Vieillissement", source="kit: tendances",
                   attributes={"deck": "tendances", "rank": 3, "tags": ["démographie"]})

    clock.advance(minutes=3)
    activities.pause(db, sid, act.id)
    activities.extend(db, sid, act.id, 5)
    activities.set_notes(db, sid, act.id, "Table 2 : liens à revoir\nTable 4 : OK")
    seminars.set_lessons_learned(db, sid, "Prévoir plus de temps pour les liens.")
    seminars.move_participant(db, sid, yann.participant_id, groups[2].id)
    screen.set_screen(db, sid, view="card", focus_card_id=c1, reveal_results=True)
    participants.resume(db, zoe.device_token)
    seminars.set_joining_open(db, sid, False)
    return Rich(sid, demo.join_code, tokens, c3)


@pytest.fixture
def rich(db, fake_clock) -> Rich:
    return build_rich(db, fake_clock)


def fresh_sqlite(tmp_path: Path, template: Path, name: str = "fresh.sqlite3") -> Database:
    path = tmp_path / name
    shutil.copy(template, path)
    return Database(f"sqlite:///{path}")


# --- comparing two archives ----------------------------------------------------------------
# Ids differ between databases: they are replaced by their rank in their collection (imports
# insert rows in archive-id order), references by the rank of what they point at. Written
# independently of workshop.archive so a reference the importer forgets shows up here.

REFS = {
    "participants": {"group_id": "groups"},
    "cards": {"activity_id": "activities", "theme_id": "themes", "author_id": "participants", "group_id": "groups",
              "merged_into_id": "cards"},
    "dot_votes": {"activity_id": "activities", "participant_id": "participants", "card_id": "cards"},
    "ratings": {"activity_id": "activities", "participant_id": "participants", "card_id": "cards"},
    "robustness_ratings": {"activity_id": "activities", "participant_id": "participants", "group_id": "groups",
                           "challenge_id": "cards", "action_id": "cards"},
    "links": {"source_id": "cards", "target_id": "cards", "proposed_by_id": "participants"},
    "trajectories": {"target_card_id": "cards", "group_id": "groups", "created_by_id": "participants"},
}
WITH_IDS = ("themes", "groups", "participants", "activities", "cards", "dot_votes", "ratings", "robustness_ratings",
            "links", "trajectories", "moderation_steps")


def normalise(data: dict, *, device_tokens: bool = True) -> dict:
    data = copy.deepcopy(data)
    steps = [step for t in data["trajectories"] for step in t["steps"]]
    rank = {name: {old: i for i, old in enumerate(sorted(e["id"] for e in data[name]))} for name in WITH_IDS}
    rank["steps"] = {old: i for i, old in enumerate(sorted(s["id"] for s in steps))}
    gone: dict[str, dict[int, str]] = {}

    def to(name, value, *, history=False):
        if value is None:
            return None
        if value in rank[name]:
            return f"{name}#{rank[name][value]}"
        assert history, f"{name} {value} is not in the archive"
        names = gone.setdefault(name, {})
        return names.setdefault(value, f"gone-{name}#{len(names)}")

    for name in WITH_IDS:
        for entry in data[name]:
            entry["id"] = to(name, entry["id"])
            for field, target in REFS.get(name, {}).items():
                entry[field] = to(target, entry[field])
    for step in steps:
        step["id"] = to("steps", step["id"])
        step["card_ids"] = [to("cards", c) for c in step["card_ids"]]
    for entry in data["moderation_steps"]:
        entry["card_ids"] = [to("cards", c) for c in entry["card_ids"]]
        p = entry["payload"]
        if entry["action"] == "retheme":
            p["before"], p["after"] = to("themes", p["before"]), to("themes", p["after"])
        if entry["action"] == "merge":
            p["merged"] = [to("cards", c) for c in p["merged"]]
            for v in p["votes"]:
                v["activity"], v["participant"] = to("activities", v["activity"]), to("participants", v["participant"])
                v["from"] = to("cards", v["from"])
            for r in p["ratings"]:
                r["id"], r["from"] = to("ratings", r["id"], history=True), to("cards", r["from"])
            for r in p["robustness"]:
                r["id"] = to("robustness_ratings", r["id"], history=True)
                r["challenge"], r["action"] = to("cards", r["challenge"]), to("cards", r["action"])
            for k in p["links"]:
                if "deleted" in k:
                    snap = k["deleted"]
                    snap["id"] = to("links", snap["id"], history=True)
                    snap["source"], snap["target"] = to("cards", snap["source"]), to("cards", snap["target"])
                    snap["proposed_by"] = to("participants", snap["proposed_by"])
                else:
                    k["moved"] = to("links", k["moved"], history=True)
                    k["source"], k["target"] = to("cards", k["source"]), to("cards", k["target"])
            for t in p["trajectories"]:
                t["id"], t["target"] = to("trajectories", t["id"], history=True), to("cards", t["target"])
            for s in p["steps"]:
                s["id"] = to("steps", s["id"], history=True)
                s["card_ids"] = [to("cards", c) for c in s["card_ids"]]
    data["seminar"]["screen"]["focus_card_id"] = to("cards", data["seminar"]["screen"].get("focus_card_id"))
    del data["exported_at"]
    data["seminar"]["id"] = data["seminar"]["join_code"] = None
    if not device_tokens:
        for entry in data["participants"]:
            entry["device_token_hash"] = None
    return data


def card_map(before: dict, after: dict) -> dict[int, int]:
    return dict(zip(sorted(c["id"] for c in before["cards"]), sorted(c["id"] for c in after["cards"]), strict=True))


def outcomes(db: Database, seminar_id: int, cmap: dict[int, int] | None = None) -> dict:
    """What the room and the report see: tallies, mean ratings, robustness, links, trajectories."""
    m = (lambda cid: cmap[cid]) if cmap else (lambda cid: cid)
    return {
        "tally": [(m(t.card_id), t.text, t.dots, t.voters, t.by_college) for t in votes.tally(db, seminar_id)],
        "means": {m(cid): means for cid, means in votes.mean_ratings(db, seminar_id).items()},
        "robustness": [(m(c.challenge_id), m(c.action_id), c.score, c.counts, c.reasons)
                       for c in robustness.matrix(db, seminar_id)],
        "links": sorted((m(k.source_id), m(k.target_id), k.relation.value, k.weight, k.note, k.status.value)
                        for k in links.list_links(db, seminar_id, status=None)),
        "trajectories": [(m(t.target_card_id), t.title, [(s.year, s.title, s.description, [m(c) for c in s.card_ids])
                                                         for s in t.steps])
                         for t in trajectories.list_trajectories(db, seminar_id)],
        "wall": [(m(c.id), c.text, c.kind.value) for c in cards.list_cards(db, seminar_id, include_hidden=True)],
    }


def schema_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- round trips ---------------------------------------------------------------------------


def test_round_trip_into_the_same_database_gives_a_second_identical_seminar(db, rich):
    original = export_seminar(db, rich.seminar_id)
    schema_validator().validate(original)
    assert original["format"] == "visions21-seminar-archive" and original["version"] == 1
    seminars_before = count(db, Seminar)

    result = import_seminar(db, json.loads(json.dumps(original)))

    assert count(db, Seminar) == seminars_before + 1 and result.seminar_id != rich.seminar_id
    assert result.original_join_code == rich.join_code and result.join_code != rich.join_code
    assert result.join_code_changed
    # the original keeps its tablets; the copy's participants will join again
    assert result.reissued_device_tokens == len(original["participants"])
    copy_ = export_seminar(db, result.seminar_id)
    schema_validator().validate(copy_)
    assert normalise(copy_, device_tokens=False) == normalise(original, device_tokens=False)
    assert copy_["seminar"]["join_code"] == result.join_code

    seminars.check_facilitator(db, result.seminar_id, DEMO_SECRET)
    with pytest.raises(Forbidden):
        seminars.check_facilitator(db, result.seminar_id, "not-the-secret")
    assert outcomes(db, result.seminar_id) == outcomes(db, rich.seminar_id, card_map(original, copy_))
    # a tablet of the original still belongs to the original
    assert participants.resume(db, rich.tokens["zoe"]).seminar_id == rich.seminar_id

    # imported twice: two more seminars, each with its own join code
    again = import_seminar(db, original)
    assert count(db, Seminar) == seminars_before + 2
    assert len({rich.join_code, result.join_code, again.join_code}) == 3


def test_round_trip_into_a_fresh_database_keeps_everything(db, rich, tmp_path, _sqlite_template):
    original = export_seminar(db, rich.seminar_id)
    target = fresh_sqlite(tmp_path, _sqlite_template)
    try:
        result = import_seminar(target, original)
        assert result.join_code == rich.join_code and not result.join_code_changed
        assert result.reissued_device_tokens == 0
        moved = export_seminar(target, result.seminar_id)
        assert normalise(moved) == normalise(original)
        for key in ("facilitator_secret_hash", "created_at", "lessons_learned", "joining_open"):
            assert moved["seminar"][key] == original["seminar"][key]
        seminars.check_facilitator(target, result.seminar_id, DEMO_SECRET)
        assert outcomes(target, result.seminar_id) == outcomes(db, rich.seminar_id, card_map(original, moved))
        # tablets keep their identity after a restore on another machine
        back = participants.resume(target, rich.tokens["zoe"])
        assert (back.seminar_id, back.display_name) == (result.seminar_id, "Zoé 🌱")
        # timings survive: the paused, extended activity counts down the same
        paused = next(a for a in activities.list_activities(target, result.seminar_id) if a.paused_at is not None)
        source = next(a for a in activities.list_activities(db, rich.seminar_id) if a.position == paused.position)
        assert (paused.extended_minutes, paused.paused_seconds, paused.facilitator_notes) == (
            5, source.paused_seconds, "Table 2 : liens à revoir\nTable 4 : OK")
        assert activities.remaining_seconds(paused) == activities.remaining_seconds(source)
    finally:
        target.dispose()


def test_the_rich_archive_really_holds_every_kind_of_state(db, rich):
    data = export_seminar(db, rich.seminar_id)
    by_id = {c["id"]: c for c in data["cards"]}
    assert any(c["hidden"] for c in data["cards"]) and any(c["withdrawn"] for c in data["cards"])
    assert sum(c["merged_into_id"] is not None for c in data["cards"]) >= 3
    assert by_id[rich.merged_challenge]["merged_into_id"] is not None
    assert {k["status"] for k in data["links"]} == {s.value for s in LinkStatus}
    assert data["robustness_ratings"] and data["dot_votes"] and data["ratings"]
    assert {m["action"] for m in data["moderation_steps"]} >= {"merge", "edit", "retheme", "hide"}
    assert any(m["undone_at"] for m in data["moderation_steps"])
    merges = [m["payload"] for m in data["moderation_steps"] if m["action"] == "merge"]
    assert any(k.get("deleted") for p in merges for k in p["links"])  # a link deleted by a merge
    assert any(p["steps"] for p in merges) and any(p["trajectories"] for p in merges)
    assert any(a["paused_at"] and a["extended_minutes"] == 5 and a["facilitator_notes"] for a in data["activities"])
    assert {a["state"] for a in data["activities"]} == {s.value for s in ActivityState}
    assert data["seminar"]["lessons_learned"] and data["seminar"]["screen"]["focus_card_id"]
    # the run sheet's views
    assert {a["screen"] for a in data["activities"]} == {None, "join", "results", "graph", "synthesis"}
    assert [len(t["steps"]) for t in data["trajectories"]] == [4, 1]
    assert any(c["attributes"] for c in data["cards"]) and any(c["request_id"] for c in data["cards"])
    assert all(d["date"] for d in data["days"])


def test_history_ids_of_deleted_rows_become_placeholders_and_undo_still_works(db, rich, tmp_path, _sqlite_template):
    original = export_seminar(db, rich.seminar_id)
    live_links = {k["id"] for k in original["links"]}
    merges = [m for m in original["moderation_steps"] if m["action"] == "merge"]
    deleted_ids = [k["deleted"]["id"] for m in merges for k in m["payload"]["links"] if "deleted" in k]
    assert deleted_ids and not set(deleted_ids) & live_links

    result = import_seminar(db, original)
    copy_ = export_seminar(db, result.seminar_id)
    copied = [m for m in copy_["moderation_steps"] if m["action"] == "merge"]
    placeholders = [k["deleted"]["id"] for m in copied for k in m["payload"]["links"] if "deleted" in k]
    assert all(p < 0 for p in placeholders)
    removed_step = [s["id"] for m in copied for s in m["payload"]["steps"]]
    assert removed_step and all(s < 0 for s in removed_step)

    # splitting the merged challenge on the copy does what it does on the original
    cmap = card_map(original, copy_)
    cards.split(db, result.seminar_id, cmap[rich.merged_challenge])
    cards.split(db, rich.seminar_id, rich.merged_challenge)
    assert outcomes(db, result.seminar_id) == outcomes(db, rich.seminar_id, cmap)


def test_moving_a_seminar_from_the_laptop_to_the_server(tmp_path, _sqlite_template, _postgres_database, fake_clock):
    if _postgres_database is None:
        pytest.skip("PostgreSQL not reachable: laptop-to-server move not tested")
    from conftest import _empty_postgres

    laptop = fresh_sqlite(tmp_path, _sqlite_template, "laptop.sqlite3")
    try:
        rich = build_rich(laptop, fake_clock)
        path = write_archive(laptop, rich.seminar_id, tmp_path / "move.json")
        _empty_postgres(_postgres_database)
        result = import_seminar(_postgres_database, path)
        server = export_seminar(_postgres_database, result.seminar_id)
        original = json.loads(path.read_text(encoding="utf-8"))
        assert normalise(server) == normalise(original)
        assert outcomes(_postgres_database, result.seminar_id) == outcomes(laptop, rich.seminar_id,
                                                                           card_map(original, server))
        seminars.check_facilitator(_postgres_database, result.seminar_id, DEMO_SECRET)
    finally:
        laptop.dispose()
        _empty_postgres(_postgres_database)


def test_an_archive_of_a_new_seminar_and_a_card_merged_into_a_later_one(db, seminar, join):
    """Merged into a card written after it: the import cannot insert merges in id order."""
    sid = seminar.seminar_id
    alice = join("Alice")
    act = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    first = cards.contribute(db, alice.device_token, act.id, kind=CardKind.STAKE, text="Premier").id
    later = cards.contribute(db, alice.device_token, act.id, kind=CardKind.STAKE, text="Second").id
    cards.merge(db, sid, later, [first])
    original = export_seminar(db, sid)
    updated = {c["id"]: c["updated_at"] for c in original["cards"]}
    result = import_seminar(db, original)
    copy_ = export_seminar(db, result.seminar_id)
    assert normalise(copy_, device_tokens=False) == normalise(original, device_tokens=False)
    assert sorted(c["updated_at"] for c in copy_["cards"]) == sorted(updated.values())  # untouched by the merge
    cards.split(db, result.seminar_id, card_map(original, copy_)[first])
    assert len(cards.list_cards(db, result.seminar_id)) == 2


# --- refusals ------------------------------------------------------------------------------


def small_archive(db: Database, seminar, join) -> dict:
    """A seminar with two participants, two cards, a dot vote and a merge."""
    sid = seminar.seminar_id
    alice, bob = join("Alice"), join("Bob", College.ELECTED)
    act = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    one = cards.contribute(db, alice.device_token, act.id, kind=CardKind.STAKE, text="Eau", theme="eau-biodiversite")
    two = cards.contribute(db, bob.device_token, act.id, kind=CardKind.STAKE, text="Écoles")
    three = cards.contribute(db, bob.device_token, act.id, kind=CardKind.STAKE, text="École")
    cards.merge(db, sid, two.id, [three.id])
    vote = open_activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE)
    votes.set_dots(db, alice.device_token, vote.id, one.id, 1)
    votes.set_dots(db, bob.device_token, vote.id, two.id, 1)
    return export_seminar(db, sid)


def _set(path: str, value):
    def change(data):
        *parents, last = re.findall(r"[^.\[\]]+", path)
        node = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is _DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value(data) if callable(value) else value
    return change


_DELETE = object()

BAD = [
    # (what is wrong, change, error code, JSON path named in the message)
    ("not an archive", lambda d: d.update(format="other"), "archive_not_archive", "$.format"),
    ("newer version", _set("version", 2), "archive_unsupported_version", "$.version"),
    ("missing field", _set("cards.0.text", _DELETE), "archive_missing_field", "$.cards[0]"),
    ("missing collection", _set("dot_votes", _DELETE), "archive_missing_field", "$"),
    ("wrong type", _set("cards.0.hidden", "yes"), "archive_wrong_type", "$.cards[0].hidden"),
    ("wrong type, nullable", _set("cards.0.theme_id", "eau"), "archive_wrong_type", "$.cards[0].theme_id"),
    ("unknown enum value", _set("participants.1.college", "astronaut"), "archive_bad_value",
     "$.participants[1].college"),
    ("unknown card kind", _set("cards.1.kind", "wish"), "archive_bad_value", "$.cards[1].kind"),
    ("unknown field", _set("seminar.colour", "blue"), "archive_unknown_field", "$.seminar"),
    ("too few dots", _set("dot_votes.0.dots", 0), "archive_too_small", "$.dot_votes[0].dots"),
    ("horizon too far", _set("seminar.horizon_year", 3000), "archive_too_large", "$.seminar.horizon_year"),
    ("too long", _set("seminar.title", "x" * 201), "archive_too_long", "$.seminar.title"),
    ("empty title", _set("seminar.title", ""), "archive_empty_text", "$.seminar.title"),
    ("plain secret", _set("seminar.facilitator_secret_hash", "animation-2026"), "archive_bad_format",
     "$.seminar.facilitator_secret_hash"),
    ("naive date", _set("cards.0.created_at", "2026-12-03T09:00:00"), "archive_bad_format", "$.cards[0].created_at"),
    ("impossible date", _set("cards.0.created_at", "2026-13-45T09:00:00+00:00"), "archive_bad_date",
     "$.cards[0].created_at"),
    ("bad merge payload", _set("moderation_steps.0.payload.votes", 3), "archive_wrong_type",
     "$.moderation_steps[0].payload.votes"),
    ("vote on a card not in the file", _set("dot_votes.0.card_id", 987654), "archive_dangling_reference",
     "$.dot_votes[0].card_id"),
    ("card of a missing author", _set("cards.0.author_id", 987654), "archive_dangling_reference",
     "$.cards[0].author_id"),
    ("activity on a missing day", _set("activities.0.day", 9), "archive_dangling_reference", "$.activities[0].day"),
    ("unknown projector view", _set("activities.1.screen", "matrice"), "archive_bad_value", "$.activities[1].screen"),
    ("merge of a card not in the file", _set("moderation_steps.0.payload.merged.0", 987654),
     "archive_dangling_reference", "$.moderation_steps[0].payload.merged[0]"),
    ("projector on a missing card", _set("seminar.screen.focus_card_id", 987654), "archive_dangling_reference",
     "$.seminar.screen.focus_card_id"),
    ("two cards with one id", _set("cards.1.id", lambda d: d["cards"][0]["id"]), "archive_duplicate_id",
     "$.cards[1].id"),
    ("two themes with one key", _set("themes.1.key", lambda d: d["themes"][0]["key"]), "archive_duplicate",
     "$.themes[1].key"),
    ("a vote counted twice", lambda d: d["dot_votes"].append(dict(d["dot_votes"][0], id=987654)),
     "archive_duplicate", "$.dot_votes[2]"),
    ("merges in a circle", lambda d: d["cards"][0].update(merged_into_id=d["cards"][2]["id"])
     or d["cards"][1].update(merged_into_id=d["cards"][0]["id"]), "archive_merge_cycle", "$.cards[0].merged_into_id"),
    ("a link to itself", lambda d: d["links"].append({
        "id": 5, "source_id": d["cards"][0]["id"], "target_id": d["cards"][0]["id"], "relation": "influences",
        "weight": None, "note": "", "status": "accepted", "proposed_by_id": None,
        "created_at": "2026-12-03T09:00:00+00:00"}), "archive_self_link", "$.links[0]"),
]


def _counts(db: Database) -> tuple[int, ...]:
    return count(db, Seminar), count(db, Card), count(db, Participant), count(db, ModerationStep)


def test_an_archive_written_before_the_projector_views_of_activities_imports(db, seminar, join):
    """Archives (and snapshots) written before activities had a ``screen`` import with none."""
    data = small_archive(db, seminar, join)
    assert any(a["screen"] == "results" for a in data["activities"])
    for activity in data["activities"]:
        del activity["screen"]
    result = import_seminar(db, data)
    assert {a.screen for a in activities.list_activities(db, result.seminar_id)} == {None}


def test_an_archive_with_the_synthesis_on_the_projector_imports(db, seminar, join):
    """The projector's synthesis, as an activity's default view and as the facilitator's choice."""
    data = small_archive(db, seminar, join)
    data["activities"][1]["screen"] = "synthesis"
    data["seminar"]["screen"]["view"] = "synthesis"
    result = import_seminar(db, data)
    assert activities.list_activities(db, result.seminar_id)[1].screen == "synthesis"
    assert screen.get_screen(db, result.seminar_id).view == "synthesis"


def test_the_expected_attendance_and_the_head_count_cap_travel_in_the_archive(db, seminar, join):
    """« Effectif attendu et plafond » set in the console come back with the imported seminar (the
    copy refuses the 31st person as the original does); an archive written before they were
    carried imports with neither; a cap the console would refuse is refused at the import too."""
    participants.set_attendance(db, seminar.seminar_id, expected=25, cap=30)
    data = small_archive(db, seminar, join)
    schema_validator().validate(data)
    copied = participants.attendance(db, import_seminar(db, copy.deepcopy(data)).seminar_id)
    assert (copied.expected, copied.cap) == (25, 30)
    older = copy.deepcopy(data)
    del older["seminar"]["expected_attendance"], older["seminar"]["max_participants"]
    copied = participants.attendance(db, import_seminar(db, older).seminar_id)
    assert (copied.expected, copied.cap) == (None, None)
    data["seminar"]["max_participants"] = 0
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert "$.seminar.max_participants" in caught.value.message("fr")


def test_refused_archives_say_where_and_change_nothing(db, seminar, join):
    good = small_archive(db, seminar, join)
    before = _counts(db)
    for label, change, code, path in BAD:
        data = copy.deepcopy(good)
        change(data)
        with pytest.raises(ArchiveError) as caught:
            import_seminar(db, data)
        error = caught.value
        assert (error.code, error.params.get("path")) == (code, path), (label, error.code, error.params)
        for lang in LANGUAGES:
            text = error.message(lang)
            place = path if path not in ("$.format", "$.version") else path[2:]  # those name the field
            untranslated = re.search(r"error\.archive_|archive\.(entity|type|or)\b|\{", text)
            assert place in text and not untranslated, (label, text)
        assert _counts(db) == before, label
    import_seminar(db, good)  # the untouched archive is fine
    assert _counts(db)[0] == before[0] + 1


def test_messages_are_readable_in_french(db, seminar, join):
    data = small_archive(db, seminar, join)
    data["dot_votes"][0]["card_id"] = 987654
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert caught.value.message("fr") == ("Archive refusée\u00a0: $.dot_votes[0].card_id renvoie à la carte n° 987654, "
                                          "qui n'est pas dans l'archive.")
    data = small_archive(db, seminar, join)
    data["cards"][0]["hidden"] = "oui"
    data["cards"][1]["theme_id"] = "eau"
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    message = caught.value.message("fr")
    assert "devrait être vrai ou faux" in message and "1\u00a0autre problème." in message
    data["cards"][1]["theme_id"] = None
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert "un texte" in caught.value.message("fr") and caught.value.others == 0
    assert "should be true or false, it is a text" in caught.value.message("en")


def test_unreadable_files_are_refused(db, seminar, tmp_path):
    before = _counts(db)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "visions21-seminar-archive",\n  "version": 1,,}', encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, broken)
    assert caught.value.code == "archive_bad_json" and caught.value.params["line"] == 2
    assert "ligne 2" in caught.value.message("fr")
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, tmp_path / "missing.json")
    assert caught.value.code == "archive_unreadable"
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, str(tmp_path / "list.json"))
    assert caught.value.code == "archive_not_archive"
    (tmp_path / "latin1.json").write_bytes('{"title": "Amiens Métropole"}'.encode("latin-1"))
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, tmp_path / "latin1.json")
    assert caught.value.code == "archive_unreadable"
    assert _counts(db) == before


def test_a_failure_half_way_through_the_import_leaves_nothing(db, seminar, join, monkeypatch):
    data = small_archive(db, seminar, join)
    before = _counts(db)

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("workshop.archive.importing.map_payload", boom)  # runs after cards and votes
    with pytest.raises(RuntimeError):
        import_seminar(db, data)
    assert _counts(db) == before


# --- the published schema ------------------------------------------------------------------


def test_the_published_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert load_schema() == schema
    assert archive_module.SCHEMA_PATH.resolve() == SCHEMA_FILE


def _properties(node, where="$"):
    """(place, name, subschema) of every declared property in the schema."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", name, sub
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}[{i}]")


def test_every_field_of_the_schema_is_described():
    schema = load_schema()
    undescribed = [place for place, _, sub in _properties(schema) if "description" not in sub
                   and not ("$ref" in sub and "description" in _resolve(schema, sub["$ref"]))
                   and not place.startswith("$/allOf")]
    allowed = {"$/$defs/moderation_step/allOf"}  # if/then conditions repeat described fields
    assert [p for p in undescribed if not any(p.startswith(a) for a in allowed)] == []
    for name, sub in schema["$defs"].items():
        assert "description" in sub, name


def _resolve(schema, ref):
    node = schema
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


@pytest.mark.parametrize("definition, field, enum", [
    ("card", "kind", CardKind), ("participant", "college", College), ("activity", "interaction", Interaction),
    ("activity", "mode", ActivityMode), ("activity", "state", ActivityState), ("robustness_rating", "verdict", Verdict),
    ("link", "relation", Relation), ("link", "status", LinkStatus), ("link_snapshot", "relation", Relation),
    ("link_snapshot", "status", LinkStatus),
])
def test_schema_enums_match_the_models(definition, field, enum):
    assert load_schema()["$defs"][definition]["properties"][field]["enum"] == [m.value for m in enum]


def test_schema_enums_match_the_services():
    defs = load_schema()["$defs"]
    assert defs["activity"]["properties"]["card_kinds"]["items"]["enum"] == [k.value for k in CardKind]
    assert defs["activity"]["properties"]["screen"]["enum"] == [*ACTIVITY_SCREENS, None]
    assert defs["seminar"]["properties"]["screen"]["properties"]["view"]["enum"] == list(screen.VIEWS)
    assert defs["seminar"]["properties"]["language"]["enum"] == list(LANGUAGES)
    from workshop.services.cards import _UNDO

    assert set(defs["moderation_step"]["properties"]["action"]["enum"]) == set(_UNDO)


def test_the_export_matches_the_schema_exactly(db, seminar, join):
    data = small_archive(db, seminar, join)
    schema_validator().validate(data)
    defs = load_schema()["$defs"]
    for collection, definition in (("cards", "card"), ("participants", "participant"), ("activities", "activity"),
                                   ("dot_votes", "dot_vote"), ("themes", "theme"), ("groups", "group")):
        assert set(data[collection][0]) == set(defs[definition]["properties"]), collection
    assert set(data["seminar"]) == set(defs["seminar"]["properties"])


# --- messages in both languages --------------------------------------------------------------


def test_every_archive_error_has_a_message_in_both_languages():
    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in (Path(archive_module.__file__).parent).glob("*.py"))
    codes = set(re.findall(r"""ArchiveError\(\s*["']([a-z0-9_]+)["']""", source))
    assert len(codes) >= 18, codes
    from workshop.archive.references import ENTITY

    for lang in LANGUAGES:
        messages = catalogue(lang)
        assert sorted(c for c in codes if f"error.{c}" not in messages) == [], lang
        assert [e for e in ENTITY.values() if f"archive.entity.{e}" not in messages] == [], lang
        types = {"object", "array", "string", "integer", "number", "boolean", "null"}
        assert [t for t in types if f"archive.type.{t}" not in messages] == [], lang


# --- the command line ----------------------------------------------------------------------


def test_the_command_line_exports_and_imports(tmp_path, monkeypatch, capsys, _sqlite_template, kit, two_days):
    from workshop import cli
    from workshop.db import set_database

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(_sqlite_template, data_dir / "cli.sqlite3")
    url = f"sqlite:///{data_dir / 'cli.sqlite3'}"
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("WORKSHOP_EXPORTS_DIR", str(tmp_path / "exports"))
    database = Database(url)
    set_database(database)
    try:
        created = seminars.create_seminar(
            database, title="Séminaire", territory="Communauté d'agglomération du Beauvaisis", horizon_year=2055,
            run_sheet=two_days, kit=kit, day_dates=[date(2026, 12, 3)], facilitator_secret="animation-2026")
        assert cli.main(["archive", "export", str(created.seminar_id)]) == 0
        written = sorted((tmp_path / "exports").glob("*.json"))
        assert len(written) == 1 and re.fullmatch(
            r"communaute-d-agglomeration-du-beauvaisis-\d{4}-\d{2}-\d{2}\.json", written[0].name)
        assert str(written[0]) in capsys.readouterr().out
        assert cli.main(["archive", "export", str(created.seminar_id)]) == 0  # never overwrites
        assert len(list((tmp_path / "exports").glob("*.json"))) == 2
        assert cli.main(["archive", "export", str(created.seminar_id), "-o", str(tmp_path / "mine.json")]) == 0
        capsys.readouterr()

        assert cli.main(["archive", "import", str(tmp_path / "mine.json")]) == 0
        out = capsys.readouterr().out
        new_id = int(re.search(r"n° (\d+)", out).group(1))
        code = re.search(r"code de participation ([A-Z0-9]+)", out).group(1)
        assert new_id != created.seminar_id and code != created.join_code and created.join_code in out
        assert seminars.get_seminar_by_id(database, new_id).join_code == code
        seminars.check_facilitator(database, new_id, "animation-2026")

        bad = json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))
        bad["themes"][0]["color"] = 7
        (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
        assert cli.main(["archive", "import", str(tmp_path / "bad.json")]) == 1
        err = capsys.readouterr().err
        assert "Archive refusée" in err and "$.themes[0].color" in err
        assert count(database, Seminar) == 2
        assert cli.main(["archive", "export", "999"]) == 1
        assert "Introuvable" in capsys.readouterr().err
    finally:
        set_database(None)
        database.dispose()

