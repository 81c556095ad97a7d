"""Archive import enforces the services' rules (issue 12, "every door enforces the same rules").

Each crafted archive below is one the outside probe got accepted: it is now refused with the
service's own reason and the place in the file, and the database is left as it was. Texts
with invisible characters are cleaned as the services clean them, and the import says so.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from seminar_helpers import count, open_activity
from test_archive import _counts, small_archive
from workshop.archive import ArchiveError, export_seminar, import_seminar
from workshop.i18n import LANGUAGES
from workshop.models import CardKind, Interaction, Participant, Seminar
from workshop.services import cards, seminars, votes
from workshop.models.limits import MAX_CARD_TEXT


def _activity(data: dict, interaction: str) -> dict:
    return next(a for a in data["activities"] if a["interaction"] == interaction)


def _new_card(data: dict, kind: str, text: str) -> int:
    new_id = max(c["id"] for c in data["cards"]) + 1
    template = data["cards"][0]
    data["cards"].append(dict(template, id=new_id, kind=kind, text=text, author_id=None, request_id=None,
                              merged_into_id=None, activity_id=None, attributes={}))
    return new_id


def _link(data: dict, source: int, target: int, relation: str) -> None:
    data["links"].append({"id": 900, "source_id": source, "target_id": target, "relation": relation, "weight": None,
                          "note": "", "status": "accepted", "proposed_by_id": None,
                          "created_at": "2026-12-03T09:00:00+00:00"})


def _trajectory(data: dict, target: int, step_cards: list[int]) -> None:
    data["trajectories"].append({
        "id": 900, "target_card_id": target, "title": "Vers 2055", "group_id": None, "created_by_id": None,
        "created_at": "2026-12-03T09:00:00+00:00",
        "steps": [{"id": 901, "year": 2040, "title": "Étape", "description": "", "card_ids": step_cards}]})


def _card_of(data: dict, kind: str) -> int:
    return next(c["id"] for c in data["cards"] if c["kind"] == kind and c["merged_into_id"] is None)


def too_many_dots_in_total(d):
    vote = _activity(d, "dot_vote")
    vote["vote_max_per_card"] = None
    d["dot_votes"][0]["dots"] = 18


def seven_dots_on_one_card(d):
    d["dot_votes"][0]["dots"] = 7
    _activity(d, "dot_vote")["vote_budget"] = 10


def vote_in_a_contribution(d):
    d["dot_votes"][0]["activity_id"] = _activity(d, "contribute")["id"]


def threat_supports_stake(d):
    threat = _new_card(d, "threat", "Sécheresses")
    _link(d, threat, _card_of(d, "stake"), "supports")


def stake_as_step(d):
    stake = _card_of(d, "stake")
    _trajectory(d, stake, [stake])


def threat_as_trajectory_target(d):
    _trajectory(d, _new_card(d, "threat", "Sécheresses"), [])


def rating_in_a_dot_vote(d):
    vote = d["dot_votes"][0]
    d["ratings"].append({"id": 900, "activity_id": vote["activity_id"], "participant_id": vote["participant_id"],
                         "card_id": vote["card_id"], "criterion": "impact", "value": 4,
                         "updated_at": "2026-12-03T09:00:00+00:00"})


def robustness_on_stakes(d):
    act = _activity(d, "contribute")
    act["interaction"] = "robustness"
    stake = _card_of(d, "stake")
    d["robustness_ratings"].append({
        "id": 900, "activity_id": act["id"], "participant_id": d["participants"][0]["id"], "group_id": None,
        "challenge_id": stake, "action_id": stake, "verdict": "holds", "reason": "",
        "updated_at": "2026-12-03T09:00:00+00:00"})


def robustness_of_an_action_lead_the_test_does_not_ask_about(d):
    act = _activity(d, "contribute")
    act["interaction"] = "robustness"
    act["card_kinds"] = ["challenge", "current_action"]
    challenge = _new_card(d, "challenge", "Comment garder un médecin ?")
    lead = _new_card(d, "action_lead", "Un centre de santé")
    d["robustness_ratings"].append({
        "id": 900, "activity_id": act["id"], "participant_id": d["participants"][0]["id"], "group_id": None,
        "challenge_id": challenge, "action_id": lead, "verdict": "holds", "reason": "",
        "updated_at": "2026-12-03T09:00:00+00:00"})


def huge_budget(d):
    _activity(d, "dot_vote")["vote_budget"] = 5000


def max_above_budget(d):
    _activity(d, "dot_vote")["vote_max_per_card"] = 9


def look_alike_tables(d):
    d["groups"][1]["name"] = d["groups"][0]["name"].upper() + "\u200b"


def _merged(d: dict) -> dict:
    return next(c for c in d["cards"] if c["merged_into_id"] is not None)


def a_threat_merged_into_a_stake(d):
    _merged(d)["kind"] = "threat"


def dots_on_a_card_merged_away(d):
    d["dot_votes"][0]["card_id"] = _merged(d)["id"]


def a_link_from_a_card_merged_away(d):
    _link(d, _merged(d)["id"], _card_of(d, "stake"), "influences")


def _merge_step(d: dict, keep: int, merged: int) -> None:
    """The moderation step the app writes with a merge (``cards.merge``)."""
    d["moderation_steps"].append({
        "id": 900, "action": "merge", "card_ids": [keep, merged], "created_at": "2026-12-03T09:00:00+00:00",
        "undone_at": None, "payload": {"merged": [merged], "votes": [], "ratings": [], "robustness": [],
                                       "links": [], "trajectories": [], "steps": []}})


def a_step_on_a_card_merged_away(d):
    resource = _new_card(d, "resource", "Un tissu associatif")
    merged = _new_card(d, "resource", "Le tissu associatif")
    d["cards"][-1]["merged_into_id"] = resource
    _merge_step(d, resource, merged)
    _trajectory(d, _card_of(d, "stake"), [merged])


def a_card_merged_without_its_merge(d):
    resource = _new_card(d, "resource", "Un tissu associatif")
    _new_card(d, "resource", "Le tissu associatif")
    d["cards"][-1]["merged_into_id"] = resource


def a_merge_whose_card_is_not_merged(d):
    _merged(d)["merged_into_id"] = None  # split back, but its merge is not marked undone


def a_step_after_the_horizon(d):
    _trajectory(d, _card_of(d, "stake"), [])
    d["trajectories"][0]["steps"][0]["year"] = d["seminar"]["horizon_year"] + 1


def a_step_before_its_trajectory_was_drawn(d):
    _trajectory(d, _card_of(d, "stake"), [])  # drawn on 3 December 2026
    d["trajectories"][0]["steps"][0]["year"] = 2025


def two_activities_open_at_once(d):
    _activity(d, "contribute")["state"] = "open"


def a_pause_of_an_activity_not_open(d):
    _activity(d, "contribute")["paused_at"] = "2026-12-03T09:30:00+00:00"  # closed when the vote opened


def an_activity_shortened_below_a_minute(d):
    vote = _activity(d, "dot_vote")
    vote["extended_minutes"] = -vote["planned_minutes"]


def a_one_letter_join_code(d):
    d["seminar"]["join_code"] = "A"


RULES = [
    # (what the probe sent, change, the services' error code, place in the file)
    ("a 100,000-character card", lambda d: d["cards"][0].update(text="x" * 100_000), "text_too_long",
     "$.cards[0].text"),
    ("a card of nothing but invisible characters", lambda d: d["cards"][0].update(text="\u200b\u2060\x00"),
     "card_text_required", "$.cards[0].text"),
    ("a 61-character display name", lambda d: d["participants"][0].update(display_name="é" * 61),
     "text_too_long", "$.participants[0].display_name"),
    ("six words as a word-cloud word",
     lambda d: d["cards"][0].update(kind="word", text="un deux trois quatre cinq six"),
     "one_word_only", "$.cards[0].text"),
    ("18 dots against a budget of 5", too_many_dots_in_total, "archive_over_budget", "$.dot_votes[0]"),
    ("7 dots on one card where the maximum is 2", seven_dots_on_one_card, "too_many_dots_on_card",
     "$.dot_votes[0].dots"),
    ("a dot vote in a non-vote activity", vote_in_a_contribution, "not_a_vote", "$.dot_votes[0].activity_id"),
    ("a rating in a dot vote", rating_in_a_dot_vote, "archive_not_rating", "$.ratings[0].activity_id"),
    ("a threat that supports a stake", threat_supports_stake, "link_kinds", "$.links[0]"),
    ("a stake as a trajectory step", stake_as_step, "step_cards", "$.trajectories[0].steps[0].card_ids[0]"),
    ("a trajectory for a threat", threat_as_trajectory_target, "trajectory_target", "$.trajectories[0].target_card_id"),
    ("a robustness test of a stake against a stake", robustness_on_stakes, "robustness_pair",
     "$.robustness_ratings[0]"),
    ("a robustness rating of an action lead in a test of current actions",
     robustness_of_an_action_lead_the_test_does_not_ask_about, "kind_not_expected", "$.robustness_ratings[0]"),
    ("a budget of 5,000 dots", huge_budget, "bad_vote_budget", "$.activities[{vote}].vote_budget"),
    ("a maximum per card above the budget", max_above_budget, "bad_max_per_card", "$.activities[{vote}].vote_budget"),
    ("a dot vote with no budget", lambda d: _activity(d, "dot_vote").update(vote_budget=None, vote_max_per_card=None),
     "bad_vote_budget", "$.activities[{vote}].vote_budget"),
    ("a vote budget on a contribution", lambda d: _activity(d, "contribute").update(vote_budget=5), "not_a_vote",
     "$.activities[{contribute}].vote_budget"),
    ("two tables told apart by case and a zero-width space", look_alike_tables, "duplicate_group_name",
     "$.groups[1].name"),
    ("a theme colour that is not a colour", lambda d: d["themes"][0].update(color="red;x:url(a)"),
     "archive_bad_format", "$.themes[0].color"),
    ("a theme key the kit loader refuses", lambda d: d["themes"][1].update(key="Eau <b>"), "archive_bad_format",
     "$.themes[1].key"),
    ("the single-card view with no card", lambda d: d["seminar"]["screen"].update(view="card", focus_card_id=None),
     "no_focus_card", "$.seminar.screen"),
    ("a threat merged into a stake", a_threat_merged_into_a_stake, "merge_different_kinds",
     "$.cards[{merged}].merged_into_id"),
    ("dots on a card merged into another", dots_on_a_card_merged_away, "card_merged", "$.dot_votes[0].card_id"),
    ("a link from a card merged into another", a_link_from_a_card_merged_away, "card_merged", "$.links[0].source_id"),
    ("a trajectory step on a card merged into another", a_step_on_a_card_merged_away, "card_merged",
     "$.trajectories[0].steps[0].card_ids[0]"),
    ("a card merged into another without the merge that did it", a_card_merged_without_its_merge,
     "archive_merge_without_step", "$.cards[{last}].merged_into_id"),
    ("a merge, not undone, of a card that is not merged", a_merge_whose_card_is_not_merged,
     "archive_merge_not_applied", "$.moderation_steps[0].payload.merged[0]"),
    ("a trajectory step after the seminar's horizon", a_step_after_the_horizon, "step_year",
     "$.trajectories[0].steps[0].year"),
    ("a trajectory step in a year before the trajectory was drawn", a_step_before_its_trajectory_was_drawn,
     "step_year", "$.trajectories[0].steps[0].year"),
    ("two activities open at once", two_activities_open_at_once, "several_open",
     "$.activities[{vote}].state"),
    ("a pause of an activity that is not open", a_pause_of_an_activity_not_open, "activity_not_open",
     "$.activities[{contribute}].paused_at"),
    ("an activity shortened to nothing", an_activity_shortened_below_a_minute, "bad_extension",
     "$.activities[{vote}].extended_minutes"),
    ("a one-letter join code", a_one_letter_join_code, "bad_join_code", "$.seminar.join_code"),
]


@pytest.mark.parametrize("label, change, code, path", RULES, ids=[r[0] for r in RULES])
def test_import_refuses_what_the_services_refuse(db, seminar, join, label, change, code, path):
    data = small_archive(db, seminar, join)
    change(data)
    path = path.format(vote=data["activities"].index(_activity(data, "dot_vote")),
                       merged=data["cards"].index(_merged(data)) if any(c["merged_into_id"] for c in data["cards"])
                       else None, last=len(data["cards"]) - 1,
                       contribute=data["activities"].index(_activity(data, "contribute")))
    before = _counts(db)
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    error = caught.value
    rule = error.params.get("rule")
    assert (rule.code if rule is not None else error.code) == code, (label, error.code, error.params)
    assert error.params["path"] == path, (label, error.params)
    for lang in LANGUAGES:
        text = error.message(lang)
        assert path in text and not re.search(r"error\.|\{", text), (label, text)
    assert _counts(db) == before, label


def test_an_archived_article_from_the_future_keeps_its_length_and_paragraphs(db, seminar, join):
    """The import takes an article as the tablets do (title, date, paragraphs, up to the article
    limit) and refuses a longer one, as it refuses a stake beyond a sentence's limit."""
    article = "Les bourgs font le plein\n3 avril 2050\n\n" + "Les écoles ont retrouvé des élèves. " * 60
    data = small_archive(db, seminar, join)
    _new_card(data, "vision_article", article.strip())
    result = import_seminar(db, data)
    assert result.cleaned == ()
    imported = [c for c in cards.list_cards(db, result.seminar_id) if c.kind is CardKind.VISION_ARTICLE]
    assert [c.text for c in imported] == [article.strip()]
    data = small_archive(db, seminar, join)
    index = len(data["cards"])
    _new_card(data, "vision_article", "Titre\n" + "a" * 4995)
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert caught.value.params["path"] == f"$.cards[{index}].text"
    assert "trop long (5001 caractères, 5000 au plus)" in caught.value.message("fr")


def test_refusals_use_the_services_own_words(db, seminar, join):
    data = small_archive(db, seminar, join)
    seven_dots_on_one_card(data)
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert caught.value.message("fr") == "Archive refusée\u00a0: $.dot_votes[0].dots\u00a0: Au plus 2 gommettes par carte."
    data = small_archive(db, seminar, join)
    threat_supports_stake(data)
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert caught.value.message("fr") == ("Archive refusée\u00a0: $.links[0]\u00a0: Un lien «\u00a0soutient\u00a0» ne peut pas "
                                          "aller d'une carte «\u00a0menace\u00a0» vers une carte «\u00a0enjeu\u00a0».")
    data = small_archive(db, seminar, join)
    too_many_dots_in_total(data)
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert caught.value.message("fr") == (
        "Archive refusée\u00a0: $.dot_votes[0]\u00a0: «\u00a0Alice\u00a0» a placé plus de gommettes (18) que «\u00a0Vote sur les "
        "enjeux prioritaires\u00a0» n'en donne par personne (5).")


def test_several_broken_rules_are_counted(db, seminar, join):
    data = small_archive(db, seminar, join)
    threat_supports_stake(data)
    stake_as_step(data)
    data["cards"][0]["text"] = "x" * 100_000
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert caught.value.params["path"] == "$.cards[0].text" and caught.value.others == 2
    assert "2\u00a0autres problèmes" in caught.value.message("fr")


def test_invisible_characters_are_cleaned_as_the_services_clean_them_and_reported(db, seminar, join):
    data = small_archive(db, seminar, join)
    data["cards"][0]["text"] = "E\u0000a\u202eu\u200b potable\u2060"
    data["participants"][0]["display_name"] = "Ali\u00adce\ufeff"
    data["seminar"]["lessons_learned"] = "un\u2028deux\x9b"
    original = copy.deepcopy(data)
    result = import_seminar(db, data)
    assert data == original  # the caller's archive is not changed
    assert result.cleaned == ("$.seminar.lessons_learned", "$.participants[0].display_name", "$.cards[0].text")
    imported = export_seminar(db, result.seminar_id)
    assert imported["cards"][0]["text"] == "Eau potable"
    assert imported["participants"][0]["display_name"] == "Alice"
    assert imported["seminar"]["lessons_learned"] == "un\ndeux"
    # Emoji sequences are not "cleaned": nothing to report.
    clean = small_archive(db, seminar, join)
    clean["cards"][0]["text"] = "Agricultrice 👩🏽\u200d🌾 🏳️\u200d🌈"
    assert import_seminar(db, clean).cleaned == ()


def test_a_merged_card_may_hold_the_dots_its_merge_added_up(db, seminar, join):
    """Legitimate: a merge adds up one person's dots, beyond the maximum per card."""
    sid = seminar.seminar_id
    alice = join("Alice")
    act = open_activity(db, sid, Interaction.CONTRIBUTE, CardKind.STAKE)
    one = cards.contribute(db, alice.device_token, act.id, kind=CardKind.STAKE, text="Écoles")
    two = cards.contribute(db, alice.device_token, act.id, kind=CardKind.STAKE, text="École")
    vote = open_activity(db, sid, Interaction.DOT_VOTE, CardKind.STAKE)
    votes.set_dots(db, alice.device_token, vote.id, one.id, 2)
    votes.set_dots(db, alice.device_token, vote.id, two.id, 2)
    cards.merge(db, sid, one.id, [two.id])
    data = export_seminar(db, sid)
    assert [v["dots"] for v in data["dot_votes"]] == [4]  # above the maximum of 2, by the merge
    result = import_seminar(db, data)
    assert count(db, Seminar) == 2 and result.counts["dot_votes"] == 1
    data["dot_votes"][0]["dots"] = 5  # more than the two merged cards could have held
    with pytest.raises(ArchiveError) as caught:
        import_seminar(db, data)
    assert caught.value.params["rule"].code == "too_many_dots_on_card"


def test_the_command_line_says_what_it_cleaned(tmp_path, monkeypatch, capsys, _sqlite_template, kit, two_days):
    import shutil
    from datetime import date

    from workshop import cli
    from workshop.db import Database, set_database

    shutil.copy(_sqlite_template, tmp_path / "cli.sqlite3")
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    database = Database(url)
    set_database(database)
    try:
        created = seminars.create_seminar(
            database, title="Séminaire", territory="Beauvaisis", horizon_year=2055, run_sheet=two_days, kit=kit,
            day_dates=[date(2026, 12, 3)], facilitator_secret="animation-2026")
        data = export_seminar(database, created.seminar_id)
        data["seminar"]["title"] = "Séminaire\u202e\u200b"
        (tmp_path / "a.json").write_text(json.dumps(data), encoding="utf-8")
        assert cli.main(["archive", "import", str(tmp_path / "a.json")]) == 0
        out = capsys.readouterr().out
        assert "1 texte nettoyé de caractères invisibles" in out and "$.seminar.title" in out
        data["cards"] = data["cards"] + [dict(id=1, activity_id=None, kind="stake", text="x" * (MAX_CARD_TEXT + 1),
                                              details="", theme_id=None, author_id=None, group_id=None, hidden=False,
                                              withdrawn=False, merged_into_id=None, source="", request_id=None,
                                              attributes={}, created_at="2026-12-03T09:00:00+00:00",
                                              updated_at="2026-12-03T09:00:00+00:00")]
        (tmp_path / "b.json").write_text(json.dumps(data), encoding="utf-8")
        assert cli.main(["archive", "import", str(tmp_path / "b.json")]) == 1
        err = capsys.readouterr().err
        assert "$.cards[0].text" in err and "trop long (501 caractères, 500 au plus)" in err
        assert count(database, Seminar) == 2
    finally:
        set_database(None)
        database.dispose()


def test_the_rich_demo_archive_still_imports(db, rich):
    """Every legitimate state (merges, withdrawn cards, every link status) passes the rules."""
    result = import_seminar(db, export_seminar(db, rich.seminar_id))
    assert result.cleaned == () and count(db, Participant) > 0


@pytest.fixture
def rich(db, fake_clock):
    from test_archive import build_rich

    return build_rich(db, fake_clock)


def test_each_rule_lives_in_one_place():
    """The import calls the services' rule functions; it has no copy of a limit or a kind table."""
    import ast
    import importlib
    import inspect
    from pathlib import Path

    import workshop.archive.rules as rules

    source = Path(rules.__file__).read_text(encoding="utf-8")
    for name in ("clean_text", "clean_card_text", "check_link_kinds", "check_step_cards", "check_target",
                 "check_dots_on_card", "check_kind_expected", "check_robustness_pair", "check_vote_limits",
                 "check_minutes", "check_merge_kinds", "check_not_merged", "check_step_year", "check_duration",
                 "check_one_open", "check_pausable", "check_join_code"):
        assert re.search(rf"\b{name}\(", source), name
    # each of them a public, documented function of its service (a private helper may change under it)
    imported = [(node.module, alias.name) for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("workshop.services")
                for alias in node.names]
    private = [(module, name) for module, name in imported if name.startswith("_")]
    undocumented = [(module, name) for module, name in imported
                    if callable(rule := getattr(importlib.import_module(module), name)) and not inspect.getdoc(rule)]
    assert not private and not undocumented, (private, undocumented)
    assert not re.search(r"\b(500|2000|STEP_KINDS|RULES)\b", source)


def test_a_merge_imported_with_its_step_splits_back(db, seminar, join):
    """What the import accepts is what the app wrote: each merged card comes with the merge that
    the console's « Séparer » undoes, on the imported copy too."""
    data = small_archive(db, seminar, join)
    result = import_seminar(db, data)
    merged = next(c for c in export_seminar(db, result.seminar_id)["cards"] if c["merged_into_id"] is not None)
    cards.split(db, result.seminar_id, merged["id"])
    assert {c.text for c in cards.list_cards(db, result.seminar_id)} == {"Eau", "Écoles", "École"}
