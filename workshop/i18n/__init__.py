"""Message catalogue: French first, English available.

Messages live in ``fr/*.yaml`` and ``en/*.yaml`` beside this file (one file per area of
the app, merged), keyed by dotted names (``error.vote_budget_exceeded``). Parameters use ``str.format`` syntax. A key missing
in English falls back to French, and a missing key shows the key itself, so a gap is
visible rather than silent.

Plurals: a message whose value is a mapping of plural forms (``one``, ``other``, and
optionally ``zero``) is chosen by its ``count`` parameter, with each language's own rule
(French: 0 and 1 are singular, "0 carte"; English: only 1 is). Write real forms rather
than "carte(s)"::

    cards_count:
      one: "{count} contribution"
      other: "{count} contributions"

A sentence with several counts is made of several such messages (``plural`` below joins
them), so each noun agrees with its own number.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
PLURAL_FORMS = ("zero", "one", "other")


def _is_plural(node: Any) -> bool:
    return isinstance(node, dict) and bool(node) and "other" in node and set(node) <= set(PLURAL_FORMS)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of a language, flat; a plural message appears as ``key.one``, ``key.other``…"""
    flat: dict[str, str] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    for path in sorted((Path(__file__).parent / lang).glob("*.yaml")):
        walk("", yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    if lang == "fr":  # French spacing once, here, rather than in every page
        flat = {key: _COUNT_THEN_NOUN.sub(NBSP, french_spacing(text)) for key, text in flat.items()}
    return flat


@cache
def plural_keys(lang: str) -> frozenset[str]:
    """The keys whose message has plural forms."""
    keys: set[str] = set()

    def walk(prefix: str, node: Any) -> None:
        if _is_plural(node):
            keys.add(prefix)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)

    for path in sorted((Path(__file__).parent / lang).glob("*.yaml")):
        walk("", yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return frozenset(keys)


def plural_form(count: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """CLDR's cardinal category for a count: ``one`` or ``other``."""
    try:
        number = abs(float(count))
    except (TypeError, ValueError):
        return "other"
    if lang == "fr":
        return "one" if number < 2 else "other"
    return "one" if number == 1 else "other"


def _template(key: str, lang: str, params: dict[str, Any]) -> str | None:
    messages = catalogue(lang)
    if key in messages:
        return messages[key]
    if key in plural_keys(lang):
        count = params.get("count")
        if count is not None and f"{key}.zero" in messages:
            try:
                if float(count) == 0:
                    return messages[f"{key}.zero"]
            except (TypeError, ValueError):
                pass
        return messages.get(f"{key}.{plural_form(count, lang)}") or messages.get(f"{key}.other")
    return None


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    template = _template(key, lang, params) or _template(key, DEFAULT_LANGUAGE, params) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


t = translate

#: No-break space: French puts one inside « » and before « : ; ? ! » (the marks must never wrap
#: away from the words). One kind for all of them, as the reports and the pages write it.
NBSP = "\u00a0"

_SPACES = "[ \t\u00a0\u202f]+"
_FRENCH_SPACING = (
    # (at the very start or end too: a message may be a piece, such as « : », joined to others)
    (re.compile(rf"(?:(?<=\S)|\A){_SPACES}(?=:)"), NBSP),
    (re.compile(rf"(?:(?<=\S)|\A){_SPACES}(?=[;?!])"), NBSP),
    (re.compile(r"«[ \t\u00a0\u202f]*(?=\S|\Z)"), f"«{NBSP}"),
    (re.compile(r"(?:(?<=\S)|\A)[ \t\u00a0\u202f]*»"), f"{NBSP}»"),
    # a number stays with the word it counts: « 3 gommettes », « 15 minutes », « 9 h 30 »
    (re.compile(rf"(?<=\d){_SPACES}(?=[^\W\d_])"), NBSP),
)
# Kit and run-sheet texts (instructions read on the projector and the tablets) also keep a range
# or a scale with its numbers: « de 1 à 5 », « 5 = conséquences majeures », « défi × action ».
_SCALE_SPACING = (
    (re.compile(rf"(?<=\bà){_SPACES}(?=\d)"), NBSP),
    (re.compile(rf"(?<=\S){_SPACES}(?=[=×](?:[ \t\u00a0\u202f]|$))"), NBSP),
    (re.compile(rf"(?<=[ \t\u00a0\u202f][=×]){_SPACES}(?=\S)"), NBSP),
)
# In message templates, a count parameter stays with its noun (« ({count} gommettes) »), and
# the horizon with its year (« à l'horizon {horizon} »).
_COUNT_THEN_NOUN = re.compile(r"(?:(?<=\{count\})|(?<=\{dots\})) (?=[^\W\d_])|(?<=horizon) (?=\{(?:horizon|year)\})")


def french_spacing(text: str, *, scales: bool = False) -> str:
    """French spacing of a text shown in French: a no-break space before « : ; ? ! » and inside
    « », and between a number and the word after it; with ``scales`` (kit and run-sheet texts),
    also inside a range or a scale: « de 1 à 5 », « 5 = majeures », « défi × action ».

    Only spaces already there are changed (inside « » one is added when missing), so times
    (« 10:30 »), ratios (« 4,5:1 »), URLs and ``{name}`` parameters pass unchanged; a run of
    spaces becomes one. Line breaks are kept.
    """
    if not text:
        return text
    for pattern, replacement in _FRENCH_SPACING + (_SCALE_SPACING if scales else ()):
        text = pattern.sub(replacement, text)
    return text


#: French joins a verb to the pronoun after it with a hyphen: « Placez-les », « rattachez-y »,
#: « Dites-nous », « a-t-il ». A browser may break a line after any hyphen, which left « Placez- »
#: at the end of a line on a phone and « les » on the next.
_PRONOUN_HYPHEN = re.compile(
    r"(?<=[^\W\d_])-(?=(?:t-)?(?:les?|la|lui|leur|nous|vous|en|y|moi|toi|je|tu|ils?|elles?|on|ce)\b)",
    re.IGNORECASE)
NO_BREAK_HYPHEN = "\u2011"


def keep_pronouns(text: str) -> str:
    """The text with a no-break hyphen (U+2011) between a verb and its pronoun (« Placez‑les »), so
    that no line ends between them: for what a page shows (the run sheet's instructions on a
    phone), not what is stored or exported (people search and copy « Placez-les »)."""
    return _PRONOUN_HYPHEN.sub(NO_BREAK_HYPHEN, text) if text else text


def plain_spaces(text: str) -> str:
    """The text with its no-break spaces (U+00A0, U+202F) as plain spaces: for what programs read
    rather than what a page shows (data exports, the command line's messages)."""
    return text.replace(NBSP, " ").replace("\u202f", " ")


def list_separator(lang: str = DEFAULT_LANGUAGE) -> str:
    """What goes between the items of a list of card texts (which may hold commas): « A ; B » in
    French, "A; B" in English (no space before the semicolon)."""
    return " ; " if lang == "fr" else "; "


def colon(lang: str = DEFAULT_LANGUAGE) -> str:
    """A colon between a label and what it introduces: « note : texte » in French (no-break space
    before), "note: text" in English."""
    return f"{NBSP}: " if lang == "fr" else ": "


def quoted(text: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Text in quotation marks: « text » in French (no-break spaces inside), “text” in English."""
    return f"«{NBSP}{text}{NBSP}»" if lang == "fr" else f"“{text}”"
