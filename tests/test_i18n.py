"""Every error a service can raise reads well in French and in English."""

from __future__ import annotations

import ast
import re
import string
from functools import cache
from pathlib import Path

import pytest

from workshop.errors import Forbidden, Invalid, NotFound, WorkshopError
from workshop.i18n import LANGUAGES, catalogue, plural_keys, translate
from workshop.models import CardKind, College, Relation

SOURCE = Path(__file__).resolve().parents[1] / "workshop"
RAISED = re.compile(r"""\b(?:Invalid|NotFound|Forbidden|WorkshopError)\(\s*["']([a-z0-9_]+)["']""")


def _sources() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


def _raised_codes() -> set[str]:
    return {code for path in _sources() for code in RAISED.findall(path.read_text(encoding="utf-8"))}


@cache
def _trees() -> tuple[tuple[Path, ast.AST], ...]:
    return tuple((path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))) for path in _sources())


def _calls(names: set[str]):
    """(function name, first literal argument, literal keyword values, place) of matching calls."""
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in names:
                continue
            first = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
            keywords = {k.arg: (k.value.value if isinstance(k.value, ast.Constant) else None)
                        for k in node.keywords if k.arg}
            yield name, first, keywords, f"{path.relative_to(SOURCE.parent)}:{node.lineno}"


def test_the_scan_finds_the_errors():
    codes = _raised_codes()
    assert len(codes) >= 40, sorted(codes)  # the regex still matches how services raise errors
    assert {"vote_budget_used_up", "unknown_code", "not_your_card", "bad_secret", "undo_later_first"} <= codes


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_raised_error_has_a_message(lang):
    messages = catalogue(lang)
    missing = sorted(code for code in _raised_codes()
                     if f"error.{code}" not in messages and f"error.{code}" not in plural_keys(lang))
    assert missing == [], f"error codes without a {lang} message: {missing}"


def test_french_and_english_have_the_same_keys():
    fr, en = set(catalogue("fr")), set(catalogue("en"))
    assert sorted(fr - en) == [] and sorted(en - fr) == []


def test_placeholders_are_the_same_in_both_languages():
    fr, en = catalogue("fr"), catalogue("en")

    def fields(template):
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    different = {key: (fields(fr[key]), fields(en[key])) for key in fr if key in en
                 and fields(fr[key]) != fields(en[key])}
    assert different == {}


# What a parameter named like this may hold, for the sample messages below.
_SAMPLES = {"field": "title", "kind": "stake", "source": "threat", "target": "stake", "what": "card",
            "relation": "weighs_on", "college": "elected"}


def test_every_raise_provides_the_parameters_its_message_uses():
    problems = []
    for _, code, keywords, where in _calls({"Invalid", "NotFound", "Forbidden", "WorkshopError"}):
        if code is None:
            continue
        params = {name: _SAMPLES.get(name, 7) for name in keywords}
        error = WorkshopError(code, **params)
        for lang in LANGUAGES:
            text = error.message(lang)
            if "{" in text or "}" in text or text == f"error.{code}":
                problems.append((where, code, lang, text))
    assert problems == []


def test_every_named_field_and_thing_is_translated():
    """``field=`` and ``what=`` values are shown to people: they need words in both languages."""
    missing = []
    for name, _, keywords, where in _calls({"clean_text", "Invalid", "NotFound", "Forbidden", "get"}):
        for param, section in (("field", "field"), ("what", "thing")):
            value = keywords.get(param)
            if value is None:
                continue
            for lang in LANGUAGES:
                if f"{section}.{value}" not in catalogue(lang):
                    missing.append((where, f"{section}.{value}", lang))
    assert missing == []


@pytest.mark.parametrize("section, values", [
    ("kind", [k.value for k in CardKind]),
    ("college_name", [c.value for c in College]),
    ("relation", [r.value for r in Relation]),
])
def test_every_vocabulary_word_is_translated(section, values):
    for lang in LANGUAGES:
        assert [v for v in values if f"{section}.{v}" not in catalogue(lang)] == []


def test_messages_translate_their_parameters():
    error = Invalid("text_required", field="title")
    assert "«\u00a0titre\u00a0»" in error.message("fr")
    assert "title" in error.message("en") and "{" not in error.message("en")
    assert "«\u00a0nom affiché\u00a0»" in Invalid("text_too_long", field="display_name", max=60, length=61).message("fr")
    too_long = Invalid("text_too_long", field="display_name", max=60, length=61).message("en")
    assert "display name" in too_long and "61" in too_long and "60" in too_long
    kinds = Invalid("link_kinds", relation="weighs_on", source="stake", target="threat").message("fr")
    assert "pèse sur" in kinds and "enjeu" in kinds and "menace" in kinds
    assert "«\u00a0piste d'action\u00a0»" in Invalid("kind_not_expected", kind="action_lead").message("fr")
    assert "carte" in NotFound("not_found", what="card").message("fr")
    assert "élu" in Invalid("unknown_college", college="elected").message("fr")
    budget = Invalid("vote_budget_left", budget=5, count=2).message("fr")
    assert "5" in budget and "2\u00a0gommettes" in budget  # a count stays with its noun
    assert Forbidden("bad_secret").message("en") == translate("error.bad_secret", "en")


def test_unknown_language_falls_back_to_french_and_unknown_keys_show_themselves():
    assert Invalid("bad_dots").message("de") == Invalid("bad_dots").message("fr")
    assert translate("error.no_such_code", "en") == "error.no_such_code"
    # an unknown value of a vocabulary parameter (a forged collège) is shown as given, never crashes
    assert Invalid("unknown_college", college="maire").message("fr") == "Collège inconnu\u00a0: maire."
    assert Invalid("unknown_college", college="maire").message("en") == "Unknown collège: maire."


def test_plural_messages_agree_with_their_count(monkeypatch, tmp_path):
    """French says "0 carte", "1 carte", "2 cartes"; English "0 cards", "1 card"."""
    from workshop import i18n

    for lang, body in {
        "fr": 'demo:\n  cards:\n    one: "{count} carte"\n    other: "{count} cartes"\n',
        "en": 'demo:\n  cards:\n    zero: "no card"\n    one: "{count} card"\n    other: "{count} cards"\n',
    }.items():
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "demo.yaml").write_text(body, encoding="utf-8")
    monkeypatch.setattr(i18n, "__file__", str(tmp_path / "__init__.py"))
    i18n.catalogue.cache_clear()
    i18n.plural_keys.cache_clear()
    try:
        assert [translate("demo.cards", "fr", count=n) for n in (0, 1, 2, 1.5)] == [
            "0\u00a0carte", "1\u00a0carte", "2\u00a0cartes", "1.5\u00a0carte"]  # French: a count stays with its noun
        assert [translate("demo.cards", "en", count=n) for n in (0, 1, 2)] == ["no card", "1 card", "2 cards"]
    finally:
        i18n.catalogue.cache_clear()
        i18n.plural_keys.cache_clear()



# --- French, everywhere: real plurals, quotes that hold together -------------------------------

#: "carte(s)", "enjeu(x)", "connecté(s)", "trajectory(ies)": a plural hedged instead of chosen.
HEDGED_PLURAL = re.compile(r"\w\((?:s|x|e|es|ies)\)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_hedges_its_plural(lang):
    hedged = {key: text for key, text in catalogue(lang).items() if HEDGED_PLURAL.search(text)}
    assert hedged == {}


def _string_literals(tree: ast.AST):
    """String constants and f-string parts of a module, docstrings and embedded JavaScript left out."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                and "function" not in node.value:
            yield node


def test_no_python_built_sentence_hedges_its_plural():
    """The CLI, the report layout and every page build some sentences in code: the same rule."""
    hedged = [f"{path.relative_to(SOURCE.parent)}:{node.lineno}: {node.value!r}"
              for path, tree in _trees() for node in _string_literals(tree) if HEDGED_PLURAL.search(node.value)]
    assert hedged == []


def test_french_quotes_hold_to_their_words():
    """« and » never end or start a line away from their text: a no-break space inside, never a plain one."""
    loose = {key: text for key, text in catalogue("fr").items() if re.search(r"«[ \t]|[ \t]»", text)}
    assert loose == {}
    assert any("«\u00a0" in text for text in catalogue("fr").values())  # the catalogue does quote things


@pytest.mark.parametrize("lang, key, params, expected", [
    ("fr", "console.merged", {"count": 1}, "1\u00a0carte fusionnée\u00a0: ses votes et ses liens passent sur la carte gardée."),
    ("fr", "console.merged", {"count": 3}, "3\u00a0cartes fusionnées\u00a0: leurs votes et leurs liens passent sur la carte gardée."),
    ("en", "console.merged", {"count": 1}, "1 card merged: its votes and links move to the kept card."),
    ("fr", "console.cards_count", {"count": 0}, "0\u00a0contribution"),
    ("en", "console.cards_count", {"count": 0}, "0 contributions"),
    # no line break inside « idées ? » nor between a count and its noun (a phone wrapped « 54 | amorces »)
    ("fr", "tablet.prompts_title", {"count": 1}, "Besoin d'idées\u00a0? 1\u00a0amorce"),
    ("fr", "tablet.prompts_title", {"count": 12}, "Besoin d'idées\u00a0? 12\u00a0amorces"),
    ("en", "tablet.prompts_title", {"count": 1}, "Need ideas? 1\u00a0prompt"),
    ("fr", "report.trajectories_lead", {"count": 2, "horizon": 2050},
     "2\u00a0trajectoires construites de l'horizon\u00a02050 vers aujourd'hui (rétroplanning)."),
    ("en", "report.trajectories_lead", {"count": 1, "horizon": 2050},
     "1 trajectory built from the horizon 2050 back to today (backcasting)."),
    ("fr", "cli.tablets_rejoin", {"count": 1}, "(1\u00a0tablette devra rejoindre à nouveau ce séminaire)"),
    ("en", "cli.tablets_rejoin", {"count": 2}, "(2 tablets will have to join this seminar again)"),
])
def test_real_sentences_agree_with_their_numbers(lang, key, params, expected):
    assert translate(key, lang, **params) == expected


def test_a_sentence_with_several_numbers_agrees_with_each():
    """"3 participants de 3 collèges", "1 participant (1 collège, 1 table)": each noun its own number."""
    def lead(lang, people, colleges, tables):
        return translate("report.context_lead", lang, title="T", territory="Creil", horizon=2050, count=people,
                         people=translate("report.n.participants", lang, count=people),
                         colleges=translate("report.n.colleges", lang, count=colleges),
                         tables=translate("report.n.tables", lang, count=tables))

    assert "a réuni 3\u00a0participants de 3\u00a0collèges, répartis en 2\u00a0tables," in lead("fr", 3, 3, 2)
    assert "a réuni 1\u00a0participant (1\u00a0collège, 1\u00a0table) pour imaginer Creil" in lead("fr", 1, 1, 1)
    assert "n'a encore réuni personne" in lead("fr", 0, 0, 0)
    assert "brought together 14 participants from 7 collèges, at 3 tables," in lead("en", 14, 7, 3)
    assert "brought together 1 participant (1 collège, 1 table)" in lead("en", 1, 1, 1)
    assert translate("error.too_many_dots_on_card", "fr", max=1, count=1) == "Au plus 1 gommette par carte."
    assert translate("error.too_many_dots_on_card", "fr", max=2, count=2) == "Au plus 2 gommettes par carte."


def test_projector_summaries_have_singular_and_plural_forms() -> None:
    """Each count of a results summary agrees with its own number, in French (0 and 1 singular) and English."""
    def summary(lang: str, n: int) -> str:
        def count(name: str) -> str:
            return translate(f"projector.count.{name}", lang, count=n)
        return translate("projector.robustness_summary", lang, challenges=count("challenges"),
                         actions=count("actions"), voters=count("responders"),
                         rated=translate("projector.count.pairs_rated", lang, count=n, total=n * n))

    # each end of the scale kept with its word (« 2 » alone ended a line before « (tient) »), the scale in
    # one piece (« … de 0 (rompt) à » then « 2 (tient) » alone on the next line at 1280x720), and with
    # what it measures (« moyenne des avis, » ended a line, « de 0 (rompt) à 2 (tient) » alone below)
    fr = " · moyenne\u00a0des\u00a0avis,\u00a0de\u00a00\u00a0(rompt)\u00a0à\u00a02\u00a0(tient)"
    en = " · mean\u00a0of\u00a0the\u00a0answers,\u00a0from\u00a00\u00a0(breaks)\u00a0to\u00a02\u00a0(holds)"
    assert summary("fr", 0) == "0\u00a0défi × 0\u00a0action · 0\u00a0paire évaluée sur 0 · 0\u00a0répondant" + fr
    assert summary("fr", 1) == "1\u00a0défi × 1\u00a0action · 1\u00a0paire évaluée sur 1 · 1\u00a0répondant" + fr
    assert summary("fr", 2) == "2\u00a0défis × 2\u00a0actions · 2\u00a0paires évaluées sur 4 · 2\u00a0répondants" + fr
    assert summary("en", 0) == "0 challenges × 0 actions · 0 of 0 pairs rated · 0 respondents" + en
    assert summary("en", 1) == "1 challenge × 1 action · 1 of 1 pairs rated · 1 respondent" + en
    assert summary("en", 2) == "2 challenges × 2 actions · 2 of 4 pairs rated · 2 respondents" + en
    for lang, one, many in (("fr", "1\u00a0votant · 1\u00a0gommette", "3\u00a0votants · 9\u00a0gommettes"),
                            ("en", "1 voter · 1 dot", "3 voters · 9 dots")):
        def dots(voters: int, n: int, lang: str = lang) -> str:
            return translate("projector.dot_summary", lang, voters=translate("projector.count.voters", lang, count=voters),
                             dots=translate("projector.count.dots", lang, count=n))
        assert (dots(1, 1), dots(3, 9)) == (one, many)
    assert translate("projector.cloud_summary", "fr", answers=translate("projector.count.answers", "fr", count=1),
                     words=translate("projector.count.words", "fr", count=1)) == "1\u00a0réponse · 1\u00a0mot différent"
    assert [translate("projector.connected", "fr", count=n) for n in (0, 1, 2)] == ["connecté", "connecté", "connectés"]
    assert translate("projector.connected_aria", "fr", count=1) == "1\u00a0personne connectée"
    assert translate("projector.connected_aria", "en", count=1) == "1 person connected"
    assert translate("projector.connected_aria", "en", count=5) == "5 people connected"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_links_to_the_report_name_it_as_the_report_page_does(lang):
    """The console's and the facilitators' area's link reads what the page it opens is titled:
    the capitalisation report, the method's word (not « Rapport du séminaire » / "Seminar report")."""
    link = translate("room.console.report_link", lang)
    assert link == translate("report.ui.heading", lang) == translate("report.ui.page_title", lang)
    assert link == {"fr": "Rapport de capitalisation", "en": "Capitalisation report"}[lang]
