"""Kit and run-sheet files: the shipped ones validate; broken ones are refused with path and line."""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path

import pytest

from workshop import config
from workshop.content import (
    ContentError,
    Kit,
    RunSheet,
    default_kit,
    fill_horizon,
    find_kit,
    find_run_sheet,
    kit_files,
    list_run_sheets,
    load_kit,
    load_run_sheet,
    run_sheet_files,
    validate_file,
)
from workshop.models import CardKind, Interaction
from workshop.models.limits import card_text_limit

LEVERS_CSV = Path(__file__).resolve().parents[1] / "kits/sources/cop-levers-2024.csv"
SHARED_LEVERS_CSV = Path(__file__).resolve().parents[2] / "shared/data/cop-levers-2024.csv"
DIMENSIONS = ("climate", "biodiversity", "resources", "adaptation", "health")


# --- the shipped catalogue --------------------------------------------------------------------------


def test_there_is_a_kit_and_there_are_run_sheets():
    assert kit_files(), f"no kit in {config.kits_dir()}"
    assert run_sheet_files(), f"no run sheet in {config.scenarios_dir()}"


@pytest.mark.parametrize("path", kit_files(), ids=lambda p: p.name)
def test_shipped_kits_validate(path):
    kit = validate_file(path)
    assert isinstance(kit, Kit)
    assert "BY-SA" in kit.licence, "kit content derived from Visions +21 keeps the CC BY-SA licence"
    assert kit.credits


@pytest.mark.parametrize("path", run_sheet_files(), ids=lambda p: p.name)
def test_shipped_run_sheets_validate_against_their_kit(path):
    sheet = validate_file(path)
    assert isinstance(sheet, RunSheet)
    kit = find_kit(sheet.kit) if sheet.kit else default_kit()
    assert sheet.check_against(kit) == []


def test_run_sheet_names_are_unique_and_findable():
    sheets = list_run_sheets()
    names = [s.name for s in sheets]
    assert len(names) == len(set(names))
    for name in names:
        assert find_run_sheet(name).name == name
    with pytest.raises(ContentError) as info:
        find_run_sheet("no-such-sheet")
    assert "no-such-sheet" in str(info.value)


def test_the_default_kit_offers_every_interaction_the_two_day_sheet_uses():
    kit = default_kit()
    sheet = find_run_sheet("deux-jours")
    used = {kit.exercise_type(a.exercise).interaction for a in sheet.activities}
    # the seminar core is exercised through these: the tests find activities by interaction
    assert {Interaction.CONTRIBUTE, Interaction.WORD, Interaction.DOT_VOTE, Interaction.RATE,
            Interaction.ROBUSTNESS, Interaction.LINK, Interaction.TRAJECTORY} <= used


def test_the_kit_holds_the_43_cop_levers_with_their_dimensions():
    if SHARED_LEVERS_CSV.exists():  # our copy is still the shared reference data
        assert LEVERS_CSV.read_bytes() == SHARED_LEVERS_CSV.read_bytes()
    with LEVERS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 43
    kit = default_kit()
    cards_by_text: dict[str, list] = {}
    for deck in kit.decks:
        for card in deck.cards:
            cards_by_text.setdefault(card.text.strip(), []).append(card)
    missing, wrong = [], []
    for row in rows:
        lever = row["lever"].strip()
        found = [c for c in cards_by_text.get(lever, []) if c.dimensions]
        if len(found) != 1:
            missing.append((lever, f"{len(found)} cards"))
            continue
        card = found[0]
        expected = {d: row[d].strip() == "1" for d in DIMENSIONS}
        if card.dimensions != expected or card.kind is not CardKind.RESOURCE:
            wrong.append((lever, card.kind.value, card.dimensions, expected))
    assert missing == [], f"levers not in the kit exactly once (with dimensions): {missing}"
    assert wrong == [], f"levers that are not resources with the CSV's five dimensions: {wrong}"


# --- broken files ---------------------------------------------------------------------------------------

MINI_KIT = """\
name: mini
title: Mini kit
licence: CC BY-SA 4.0
credits: Tests
themes:
  - key: eau
    label: Eau
  - key: sante
    label: Santé
criteria:
  - key: impact
    label: Gravité
exercise_types:
  - key: ouverture
    label: Ouverture
    interaction: plenary
  - key: enjeux
    label: Enjeux
    interaction: contribute
    card_kinds: [stake, threat]
  - key: vote
    label: Vote
    interaction: dot_vote
    card_kinds: [stake]
"""

MINI_SHEET = """\
name: mini-sheet
title: Mini déroulé
days: 1
activities:
  - exercise: ouverture
    title: Accueil
    minutes: 10
  - exercise: enjeux
    title: Les enjeux
    minutes: 45
    mode: groups
  - exercise: vote
    title: Le vote
    minutes: 15
    vote:
      budget: 5
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


@pytest.fixture
def mini_kit(tmp_path) -> Kit:
    return load_kit(_write(tmp_path, "mini-kit.yaml", MINI_KIT))


def _refused(load, path: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load(path)
    error = info.value
    assert error.path == str(path)
    assert str(path) in str(error), "the message names the file"
    assert error.problems
    return error


def test_the_minimal_files_are_valid(tmp_path, mini_kit):
    sheet = load_run_sheet(_write(tmp_path, "sheet.yaml", MINI_SHEET), kit=mini_kit)
    assert [a.exercise for a in sheet.activities] == ["ouverture", "enjeux", "vote"]


def test_bad_yaml_syntax_is_reported_with_its_line(tmp_path):
    text = MINI_KIT.replace("title: Mini kit", "title: Mini: kit")
    path = _write(tmp_path, "kit.yaml", text)
    error = _refused(load_kit, path)
    problem = error.problems[0]
    assert problem.where == "(yaml)"
    assert problem.line == _line_of(text, "title: Mini: kit") == 2
    assert f"{path}:2:" in str(error)


def test_bad_indentation_is_reported_with_its_line(tmp_path):
    text = MINI_KIT.replace("    label: Santé", "     label: Santé")  # one space too many
    path = _write(tmp_path, "kit.yaml", text)
    error = _refused(load_kit, path)
    assert error.problems[0].line == _line_of(text, "label: Santé")


def test_an_unknown_exercise_type_points_at_its_line(tmp_path, mini_kit):
    text = MINI_SHEET.replace("exercise: vote", "exercise: vot")
    path = _write(tmp_path, "sheet.yaml", text)
    error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
    [problem] = error.problems
    assert problem.where == "activities[2].exercise"
    assert problem.line == _line_of(text, "exercise: vot")
    assert "vot" in problem.what and "ouverture" in problem.what  # what is wrong and what exists
    assert f"{path}:{problem.line}:" in str(error)


def test_a_missing_required_field_is_named_with_its_activity_line(tmp_path, mini_kit):
    text = MINI_SHEET.replace("    minutes: 45\n", "")
    path = _write(tmp_path, "sheet.yaml", text)
    error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
    [problem] = error.problems
    assert problem.where == "activities[1].minutes"
    assert "required" in problem.what
    assert problem.line == _line_of(text, "exercise: enjeux")  # the activity that lacks it


def test_an_unknown_field_is_pointed_at(tmp_path, mini_kit):
    text = MINI_SHEET.replace("    mode: groups", "    mode: groups\n    minuts: 30")
    path = _write(tmp_path, "sheet.yaml", text)
    error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
    [problem] = error.problems
    assert problem.where == "activities[1].minuts"
    assert "unknown field" in problem.what
    assert problem.line == _line_of(text, "minuts: 30")


@pytest.mark.parametrize("old, new, where", [
    ("minutes: 45", "minutes: beaucoup", "activities[1].minutes"),
    ("minutes: 45", "minutes: 0", "activities[1].minutes"),
    ("mode: groups", "mode: tables", "activities[1].mode"),
    ("budget: 5", "budget: [5]", "activities[2].vote.budget"),
    ("days: 1", "days: one", "days"),
])
def test_a_wrong_type_is_pointed_at(tmp_path, mini_kit, old, new, where):
    text = MINI_SHEET.replace(old, new)
    path = _write(tmp_path, "sheet.yaml", text)
    error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
    assert [p.where for p in error.problems] == [where]
    assert error.problems[0].line == _line_of(text, new)


def test_what_the_projector_shows_is_a_projector_view(tmp_path, mini_kit):
    """``screen`` names what the projector shows while the activity is open: a view it has, or refused
    at its line, with the views to choose from."""
    good = MINI_SHEET.replace("    mode: groups", "    mode: groups\n    screen: wall")
    sheet = load_run_sheet(_write(tmp_path, "good.yaml", good), kit=mini_kit)
    assert [a.screen for a in sheet.activities] == [None, "wall", None]
    for value in ("matrice", "card", "activity", "''"):
        text = MINI_SHEET.replace("    mode: groups", f"    mode: groups\n    screen: {value}")
        path = _write(tmp_path, "sheet.yaml", text)
        error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
        [problem] = error.problems
        assert problem.where == "activities[1].screen", value
        assert problem.line == _line_of(text, "screen:")
        assert "not a projector view" in problem.what and "results" in problem.what, problem.what
        assert f"{path}:{problem.line}: activities[1].screen:" in str(error)


def test_the_synthesis_is_a_projector_view_of_run_sheets(tmp_path, mini_kit):
    """``screen: synthesis``: « L'essentiel » on the projector while the activity is open."""
    text = MINI_SHEET.replace("    mode: groups", "    mode: groups\n    screen: synthesis")
    sheet = load_run_sheet(_write(tmp_path, "synthesis.yaml", text), kit=mini_kit)
    assert [a.screen for a in sheet.activities] == [None, "synthesis", None]


def test_several_problems_are_all_listed(tmp_path, mini_kit):
    text = MINI_SHEET.replace("minutes: 45", "minutes: beaucoup").replace("title: Le vote", "titel: Le vote")
    path = _write(tmp_path, "sheet.yaml", text)
    error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
    wheres = {p.where for p in error.problems}
    assert {"activities[1].minutes", "activities[2].titel", "activities[2].title"} <= wheres
    assert len(str(error).splitlines()) == len(error.problems)


def test_duplicate_theme_keys_are_refused_at_the_duplicate(tmp_path):
    text = MINI_KIT.replace("  - key: sante\n    label: Santé", "  - key: eau\n    label: Eau encore")
    path = _write(tmp_path, "kit.yaml", text)
    error = _refused(load_kit, path)
    [problem] = error.problems
    assert "duplicate" in problem.what and "eau" in problem.what
    assert problem.where == "themes[1].key"
    assert problem.line == _line_of(text, "key: eau", occurrence=2)


def test_a_card_with_an_unknown_theme_is_pointed_at(tmp_path):
    text = MINI_KIT + "decks:\n  - key: d\n    label: D\n    cards:\n      - kind: stake\n        text: T\n" \
                      "        theme: mer\n"
    path = _write(tmp_path, "kit.yaml", text)
    error = _refused(load_kit, path)
    [problem] = error.problems
    assert problem.where == "decks[0].cards[0].theme"
    assert "mer" in problem.what
    assert problem.line == _line_of(text, "theme: mer")


@pytest.mark.parametrize(("kind", "length", "refused"), [
    ("word", 41, True), ("stake", 501, True), ("stake", 500, False), ("vision_article", 1200, False),
    ("vision_article", 5001, True)])  # limits: a word 40 characters, an article 5,000, any other card 500
def test_a_printed_card_is_held_to_the_limit_of_its_kind(tmp_path, kind, length, refused):
    """A participant sends a kit's prompt card as it is, so the kit may not hold a card the services
    would refuse (a 41-letter « mot »), nor refuse an article from the future the tablets accept."""
    text = MINI_KIT + f"decks:\n  - key: d\n    label: D\n    cards:\n      - kind: {kind}\n" \
                      f"        text: {'a' * length}\n"
    path = _write(tmp_path, "kit.yaml", text)
    if not refused:
        assert load_kit(path).decks[0].cards[0].text == "a" * length
        return
    error = _refused(load_kit, path)
    [problem] = error.problems
    assert problem.where == "decks[0].cards[0].text"
    assert f"at most {card_text_limit(kind)}" in problem.what
    assert problem.line == _line_of(text, "text: aaa")


@pytest.mark.parametrize(("kind", "written", "told"), [
    ("word", "un deux trois quatre", "three at most"),
    ("stake", '"\\u200B\\u2060"', "write your stake"),  # nothing left once cleaned as the tablets clean it
])
def test_a_printed_card_the_services_would_refuse_is_refused(tmp_path, kind, written, told):
    """Within its length, a prompt card is still one a participant can send: a « mot » of three
    words at most, and not a text of invisible characters only."""
    text = MINI_KIT + f"decks:\n  - key: d\n    label: D\n    purpose: prompt\n    cards:\n" \
                      f"      - kind: {kind}\n        text: {written}\n"
    path = _write(tmp_path, "kit.yaml", text)
    error = _refused(load_kit, path)
    [problem] = error.problems
    assert problem.where == "decks[0].cards[0].text"
    assert told in problem.what
    assert problem.line == _line_of(text, f"text: {written}")


def test_a_dot_vote_without_budget_and_a_day_out_of_range(tmp_path, mini_kit):
    text = MINI_SHEET.replace("    vote:\n      budget: 5\n", "")
    path = _write(tmp_path, "sheet.yaml", text)
    error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
    assert [p.where for p in error.problems] == ["activities[2].vote"]
    assert "budget" in error.problems[0].what

    text = MINI_SHEET.replace("    title: Le vote", "    title: Le vote\n    day: 2")
    path = _write(tmp_path, "sheet2.yaml", text)
    error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
    [problem] = error.problems
    assert problem.where == "activities[2].day"
    assert problem.line == _line_of(text, "day: 2")


@pytest.mark.parametrize("text, what", [
    ("", "mapping"),
    ("- just\n- a list\n", "mapping"),
])
def test_a_file_that_is_not_a_mapping_is_refused(tmp_path, text, what):
    path = tmp_path / "kit.yaml"
    path.write_text(text, encoding="utf-8")
    error = _refused(load_kit, path)
    assert what in error.problems[0].what


def test_a_missing_or_binary_file_is_refused(tmp_path):
    error = _refused(load_kit, tmp_path / "absent.yaml")
    assert "not found" in error.problems[0].what
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"name: \xff\xfe\x00")
    error = _refused(load_kit, binary)
    assert "UTF-8" in error.problems[0].what


def test_validate_file_tells_kits_and_run_sheets_apart(tmp_path, monkeypatch):
    kit_path = _write(tmp_path, "mini-kit.yaml", MINI_KIT)
    sheet_path = _write(tmp_path, "sheet.yaml", MINI_SHEET.replace("days: 1", "days: 1\nkit: mini"))
    monkeypatch.setenv("WORKSHOP_KITS_DIR", str(tmp_path))
    assert isinstance(validate_file(kit_path), Kit)
    sheet = validate_file(sheet_path)
    assert isinstance(sheet, RunSheet) and sheet.kit == "mini"


# --- the horizon placeholder -------------------------------------------------------------------------


def test_the_horizon_placeholder_is_filled_in_for_a_seminar_and_reads_well_without_a_year(tmp_path, mini_kit):
    text = MINI_SHEET.replace("    title: Accueil\n", "    title: Accueil\n    participant_instructions: "
                              "Nous sommes à l'horizon {horizon}.\n")
    sheet = load_run_sheet(_write(tmp_path, "sheet.yaml", text), kit=mini_kit)
    instructions = sheet.activities[0].participant_instructions
    assert instructions == "Nous sommes à l'horizon {horizon}."  # kept until a seminar gives the year
    assert fill_horizon(instructions, 2055) == "Nous sommes à l'horizon\u00a02055."
    assert fill_horizon(instructions, None) == "Nous sommes à l'horizon du séminaire."


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\n"])
def test_the_horizon_placeholder_may_follow_a_no_break_space(tmp_path, mini_kit, space):
    """An editor with French typography (or a text copied from a screen) writes « l'horizon » and
    the year with a no-break space; a literal block may break the line there. All are accepted,
    and the year is kept on the line of « l'horizon »."""
    text = MINI_SHEET.replace("    title: Accueil\n", "    title: Accueil\n    participant_instructions: "
                              f"\"Nous sommes à l'horizon{space.encode('unicode_escape').decode()}{{horizon}}.\"\n")
    sheet = load_run_sheet(_write(tmp_path, "sheet.yaml", text), kit=mini_kit)
    assert fill_horizon(sheet.activities[0].participant_instructions, 2055) == "Nous sommes à l'horizon\u00a02055."


@pytest.mark.parametrize(("written", "told"), [
    ("Nous sommes à l'horizon {horizont}.", "unknown placeholder '{horizont}'"),
    ("Nous sommes en {annee}.", "unknown placeholder '{annee}'"),
    ("Nous sommes à l'horizon {horizon.", "stray brace"),
    ("Une accolade } perdue.", "stray brace"),
    ("Nous sommes en {horizon}.", "after « l'horizon »"),
])
def test_a_bad_placeholder_is_refused_naming_the_file_and_the_field(tmp_path, mini_kit, written, told):
    text = MINI_SHEET.replace("    title: Les enjeux\n", f"    title: Les enjeux\n    facilitator_instructions: \"{written}\"\n")
    path = _write(tmp_path, "sheet.yaml", text)
    error = _refused(lambda p: load_run_sheet(p, kit=mini_kit), path)
    assert [p.where for p in error.problems] == ["activities[1].facilitator_instructions"]
    assert told in error.problems[0].what
    assert error.problems[0].line == _line_of(text, "facilitator_instructions")
    assert f"{path}:{error.problems[0].line}: activities[1].facilitator_instructions: " in str(error)


def test_the_horizon_placeholder_is_refused_where_it_is_not_filled_in(tmp_path):
    text = MINI_KIT.replace("    label: Gravité", "    label: Gravité à l'horizon {horizon}")
    path = _write(tmp_path, "kit.yaml", text)
    error = _refused(load_kit, path)
    assert [(p.where, p.line) for p in error.problems] == [("criteria[0].label", _line_of(text, "Gravité"))]
    assert "write the year out" in error.problems[0].what


def test_the_shipped_files_use_the_horizon_placeholder_rather_than_a_generic_wording():
    sheets = [load_run_sheet(p) for p in run_sheet_files()]
    texts = [t for s in sheets for a in s.activities
             for t in (a.title, a.participant_instructions, a.facilitator_instructions)]
    texts += [t for e in default_kit().exercise_types for t in (e.description, e.conditions_of_use)]
    assert not [t for t in texts if "horizon du séminaire" in t or "horizon de la séance" in t]
    assert sum("l'horizon {horizon}" in t for t in texts) >= 10
