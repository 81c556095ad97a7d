"""Every error a service can raise reads well in French and in English."""

from __future__ import annotations

import ast
import re
import string
from functools import cache
from pathlib import Path

import pytest

from workshop.errors import Forbidden, Invalid, NotFound, WorkshopError
from workshop.i18n import LANGUAGES, catalogue, translate
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
    assert {"vote_budget_exceeded", "unknown_code", "not_your_card", "bad_secret", "undo_later_first"} <= codes


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_raised_error_has_a_message(lang):
    messages = catalogue(lang)
    missing = sorted(code for code in _raised_codes() if f"error.{code}" not in messages)
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
    assert "« titre »" in error.message("fr")
    assert "title" in error.message("en") and "{" not in error.message("en")
    assert "« nom affiché »" in Invalid("text_too_long", field="display_name", max=60, length=61).message("fr")
    too_long = Invalid("text_too_long", field="display_name", max=60, length=61).message("en")
    assert "display name" in too_long and "61" in too_long and "60" in too_long
    kinds = Invalid("link_kinds", relation="weighs_on", source="stake", target="threat").message("fr")
    assert "pèse sur" in kinds and "enjeu" in kinds and "menace" in kinds
    assert "« piste d'action »" in Invalid("kind_not_expected", kind="action_lead").message("fr")
    assert "carte" in NotFound("not_found", what="card").message("fr")
    assert "élu·e" in Invalid("unknown_college", college="elected").message("fr")
    budget = Invalid("vote_budget_exceeded", budget=5, remaining=2).message("fr")
    assert "5" in budget and "2" in budget
    assert Forbidden("bad_secret").message("en") == translate("error.bad_secret", "en")


def test_unknown_language_falls_back_to_french_and_unknown_keys_show_themselves():
    assert Invalid("bad_dots").message("de") == Invalid("bad_dots").message("fr")
    assert translate("error.no_such_code", "en") == "error.no_such_code"
    # an unknown value of a vocabulary parameter is shown as its key, never crashes
    assert "field.nonsense" in Invalid("text_required", field="nonsense").message("fr")
