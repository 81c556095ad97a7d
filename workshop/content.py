"""The one loader for kit and run-sheet files (YAML), with schema validation.

A kit holds the card decks and the exercise types; a run sheet orders activities that
refer to the kit's exercise types. A broken file is refused whole, with the file, the
line and what is wrong: a facilitator editing YAML the night before a seminar must be
told exactly where to look, and the app must never start half-loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workshop import config
from workshop.i18n import french_spacing
from workshop.models import ACTIVITY_SCREENS, ActivityMode, CardKind, Interaction
from workshop.models.limits import MAX_ARTICLE_TEXT, card_text_limit


class ContentError(Exception):
    """A kit or run-sheet file that cannot be used; ``problems`` lists every place."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.path = str(path)
        self.problems = problems
        lines = [f"{self.path}:{p.line or '?'}: {p.where}: {p.what}" for p in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Problem:
    where: str  # dotted path inside the file, e.g. activities[3].exercise
    what: str
    line: int | None = None  # 1-based


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Limits match the database columns, so a file that validates always fits.
NonEmpty = Annotated[str, Field(min_length=1)]
Label = Annotated[str, Field(min_length=1, max_length=120)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
CriterionKey = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)]


class ThemeSpec(_Strict):
    key: Key
    label: Label
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = "#607d8b"


class CriterionSpec(_Strict):
    key: CriterionKey
    label: Label
    low: str = ""
    high: str = ""


class ExerciseTypeSpec(_Strict):
    key: Key
    label: NonEmpty
    interaction: Interaction
    card_kinds: list[CardKind] = Field(default_factory=list)
    description: str = ""
    conditions_of_use: str = ""


class CardSpec(_Strict):
    """A printed card of the kit: a trend, a prompt, a resource, a challenge…"""

    kind: CardKind
    text: Annotated[str, Field(min_length=1, max_length=MAX_ARTICLE_TEXT)]  # by kind: Kit._references
    details: Annotated[str, Field(max_length=2000)] = ""
    theme: Key | None = None
    source: Annotated[str, Field(max_length=120)] = ""
    dimensions: dict[Literal["climate", "biodiversity", "resources", "adaptation", "health"], bool] = Field(
        default_factory=dict
    )


class DeckSpec(_Strict):
    key: Key
    label: NonEmpty
    purpose: Literal["prompt", "material"] = "material"
    cards: list[CardSpec] = Field(min_length=1)


class Kit(_Strict):
    name: Key
    title: NonEmpty
    language: Literal["fr", "en"] = "fr"
    licence: NonEmpty
    credits: NonEmpty
    themes: list[ThemeSpec] = Field(min_length=1)
    criteria: list[CriterionSpec] = Field(default_factory=list)
    exercise_types: list[ExerciseTypeSpec] = Field(min_length=1)
    decks: list[DeckSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Kit:
        _unique("themes", [t.key for t in self.themes])
        _unique("exercise_types", [e.key for e in self.exercise_types])
        _unique("criteria", [c.key for c in self.criteria])
        _unique("decks", [d.key for d in self.decks])
        themes = {t.key for t in self.themes}
        for d, deck in enumerate(self.decks):
            for c, card in enumerate(deck.cards):
                if card.theme and card.theme not in themes:
                    raise _ref_error(f"decks[{d}].cards[{c}].theme", card.theme, themes)
                if len(card.text) > (limit := card_text_limit(card.kind)):
                    # A participant sends a prompt card as it is: the services' limit is the kit's.
                    raise ValueError(f"decks[{d}].cards[{c}].text: {len(card.text)} characters, at most {limit} "
                                     f"for a card of kind '{card.kind.value}'")
                _sendable(f"decks[{d}].cards[{c}].text", card.kind, card.text)
        return self

    def exercise_type(self, key: str) -> ExerciseTypeSpec:
        return next(e for e in self.exercise_types if e.key == key)


class VoteSpec(_Strict):
    budget: Annotated[int, Field(ge=1, le=50)]
    max_per_card: Annotated[int, Field(ge=1, le=50)] | None = None

    @model_validator(mode="after")
    def _max_within_budget(self) -> VoteSpec:
        if self.max_per_card is not None and self.max_per_card > self.budget:
            raise ValueError("max_per_card cannot exceed budget")
        return self


class ActivitySpec(_Strict):
    day: Annotated[int, Field(ge=1, le=5)] = 1
    exercise: Key
    title: Title
    minutes: Annotated[int, Field(ge=1, le=600)]
    mode: ActivityMode = ActivityMode.PLENARY
    participant_instructions: Annotated[str, Field(max_length=5000)] = ""  # services' MAX_NOTE
    facilitator_instructions: Annotated[str, Field(max_length=5000)] = ""
    card_kinds: list[CardKind] | None = None
    vote: VoteSpec | None = None
    criteria: list[CriterionKey] = Field(default_factory=list)
    # what the projector shows while the activity is open, unless the facilitator picks another view
    screen: str | None = None

    @field_validator("screen")
    @classmethod
    def _known_screen(cls, value: str | None) -> str | None:
        if value is not None and value not in ACTIVITY_SCREENS:
            raise ValueError(f"'{value}' is not a projector view; use one of {', '.join(ACTIVITY_SCREENS)}")
        return value


class RunSheet(_Strict):
    name: Key
    title: NonEmpty
    description: str = ""
    days: Annotated[int, Field(ge=1, le=5)]
    kit: Key | None = None
    activities: list[ActivitySpec] = Field(min_length=1)

    @field_validator("activities")
    @classmethod
    def _days_in_order(cls, activities: list[ActivitySpec]) -> list[ActivitySpec]:
        for i in range(1, len(activities)):
            if activities[i].day < activities[i - 1].day:
                raise ValueError(f"activity {i} is on day {activities[i].day}, after an activity of day "
                                 f"{activities[i - 1].day}: activities must be in day order")
        return activities

    @model_validator(mode="after")
    def _within_days(self) -> RunSheet:
        for i, activity in enumerate(self.activities):
            if activity.day > self.days:
                raise _ref_error(f"activities[{i}].day", activity.day, set(range(1, self.days + 1)))
        empty = sorted(set(range(1, self.days + 1)) - {a.day for a in self.activities})
        if empty:
            days = ", ".join(map(str, empty))
            raise ValueError(f"day {days} has no activity" if len(empty) == 1 else f"days {days} have no activity")
        return self

    def check_against(self, kit: Kit) -> list[Problem]:
        """Problems of this run sheet with the given kit (unknown exercise types, criteria…)."""
        problems: list[Problem] = []
        types = {e.key: e for e in kit.exercise_types}
        criteria = {c.key for c in kit.criteria}
        for i, activity in enumerate(self.activities):
            exercise = types.get(activity.exercise)
            if exercise is None:
                problems.append(Problem(f"activities[{i}].exercise",
                                        f"unknown exercise type '{activity.exercise}' "
                                        f"(kit '{kit.name}' has: {', '.join(sorted(types))})"))
                continue
            if activity.card_kinds is not None and exercise.card_kinds:
                extra = [k.value for k in activity.card_kinds if k not in exercise.card_kinds]
                if extra:
                    problems.append(Problem(f"activities[{i}].card_kinds",
                                            f"exercise '{exercise.key}' takes {', '.join(k.value for k in exercise.card_kinds)}, "
                                            f"not {', '.join(extra)}"))
            if activity.vote is not None and exercise.interaction is not Interaction.DOT_VOTE:
                problems.append(Problem(f"activities[{i}].vote", f"exercise '{exercise.key}' is not a dot vote"))
            if activity.criteria and exercise.interaction is not Interaction.RATE:
                problems.append(Problem(f"activities[{i}].criteria", f"exercise '{exercise.key}' is not a rating"))
            if exercise.interaction is Interaction.DOT_VOTE and activity.vote is None:
                problems.append(Problem(f"activities[{i}].vote",
                                        f"exercise '{exercise.key}' is a dot vote: give vote.budget"))
            if exercise.interaction is Interaction.RATE and not activity.criteria:
                problems.append(Problem(f"activities[{i}].criteria",
                                        f"exercise '{exercise.key}' is a rating: list its criteria"))
            for j, criterion in enumerate(activity.criteria):
                if criterion not in criteria:
                    problems.append(Problem(f"activities[{i}].criteria[{j}]",
                                            f"unknown criterion '{criterion}' (kit has: {', '.join(sorted(criteria))})"))
        return problems


def _sendable(where: str, kind: CardKind, text: str) -> None:
    """Refuse a printed card the services would refuse from a tablet (a « mot » of four words, a text
    of invisible characters only): the services' own check (``cards.clean_card_text``)."""
    from workshop.errors import Invalid
    from workshop.services.cards import clean_card_text  # here: the services import this module

    try:
        clean_card_text(kind, text)
    except Invalid as exc:
        raise ValueError(f"{where}: {exc.message('en')}") from None


def _unique(what: str, keys: list[str]) -> None:
    seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in seen:
            raise ValueError(f"{what}[{i}].key: duplicate key '{key}' in {what} (first at {what}[{seen[key]}])")
        seen[key] = i


def _ref_error(where: str, value: Any, allowed: set[Any]) -> ValueError:
    return ValueError(f"{where}: '{value}' is not one of {sorted(allowed, key=str)}")


# --- texts: the horizon placeholder and French spacing -----------------------------------

#: The one placeholder of kit and run-sheet texts: the seminar's horizon year. French texts
#: write it after « l'horizon » (« à l'horizon {horizon} »), so that the wording without a
#: year (``HORIZON_FALLBACK``) still reads « à l'horizon du séminaire ».
HORIZON = "{horizon}"
HORIZON_FALLBACK = {"fr": "du séminaire", "en": "the horizon year"}
# The fields whose text is filled in for a seminar (see ``fill_horizon``'s callers); a
# placeholder anywhere else would be shown as typed, so it is refused.
_HORIZON_FIELDS = {
    "run sheet": (re.compile(r"^description$"),
                  re.compile(r"^activities\[\d+\]\.(title|participant_instructions|facilitator_instructions)$")),
    "kit": (re.compile(r"^exercise_types\[\d+\]\.(description|conditions_of_use)$"),),
}
_BRACED = re.compile(r"\{([^{}]*)\}")
# « l'horizon {horizon} » as typed: a plain space, or a no-break one (an editor's French
# typography, a text copied from a screen), or a line break of a literal block.
_AFTER_HORIZON_WORD = re.compile(r"l['’]horizon[ \n\u00a0\u202f]$")
_AFTER_HORIZON_SPACE = re.compile(r"(?<=horizon)[ \n\u00a0\u202f](?=\{horizon\})")


def fill_horizon(text: str, year: int | None, lang: str = "fr") -> str:
    """A kit or run-sheet text with ``{horizon}`` replaced by the year, kept on the line of
    « l'horizon » by a no-break space in French (or, without a year, by the wording of
    ``HORIZON_FALLBACK``: « à l'horizon du séminaire »)."""
    if HORIZON not in text:
        return text
    if not year:
        return text.replace(HORIZON, HORIZON_FALLBACK.get(lang, HORIZON_FALLBACK["fr"]))
    if lang == "fr":  # « l'horizon 2055 » never splits between the word and its year
        text = _AFTER_HORIZON_SPACE.sub("\u00a0", text)
    return text.replace(HORIZON, str(year))


def _placeholder_problems(data: Any, what: str, lang: str | None) -> list[tuple[tuple[int | str, ...], str]]:
    """Every text of the file with an unknown placeholder, a stray brace, or ``{horizon}``
    where it is not filled in, or (French texts, ``lang="fr"``) not after « l'horizon »:
    (location, what is wrong)."""
    out: list[tuple[tuple[int | str, ...], str]] = []

    def check(loc: tuple[int | str, ...], text: str) -> None:
        if "{" not in text and "}" not in text:
            return
        where = _where(loc)
        for match in _BRACED.finditer(text):
            if match[0] != HORIZON:
                out.append((loc, f"unknown placeholder '{match[0]}': the only one is {HORIZON} (the horizon year)"))
                return
            if not any(p.match(where) for p in _HORIZON_FIELDS[what]):
                out.append((loc, f"{HORIZON} is not filled in here: write the year out"))
                return
            if lang == "fr" and not _AFTER_HORIZON_WORD.search(text[:match.start()]):
                out.append((loc, f"write {HORIZON} after « l'horizon » (« à l'horizon {HORIZON} »), so that "
                                 f"a seminar without a year reads « à l'horizon {HORIZON_FALLBACK['fr']} »"))
                return
        if "{" in _BRACED.sub("", text) or "}" in _BRACED.sub("", text):
            out.append((loc, f"stray brace: the only placeholder is {HORIZON}; a text cannot hold '{{' or '}}' otherwise"))

    def walk(loc: tuple[int | str, ...], node: Any) -> None:
        if isinstance(node, str):
            check(loc, node)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk((*loc, str(key)), value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk((*loc, i), value)

    walk((), data)
    return out


def _french(model: BaseModel) -> Any:
    """The same kit or run sheet with French spacing in every text (``i18n.french_spacing``):
    applied once at load time, so that no page has to."""
    def spaced(node: Any) -> Any:
        if isinstance(node, str):
            return french_spacing(node, scales=True)
        if isinstance(node, dict):
            return {key: spaced(value) for key, value in node.items()}
        if isinstance(node, list):
            return [spaced(value) for value in node]
        return node

    return type(model).model_validate(spaced(model.model_dump()))


# --- reading files -----------------------------------------------------------------------


# Limits on what a kit or run-sheet file may ask of the loader. The shipped kit is 55 kB and
# 7 levels deep; a file past these is refused before it can eat the server's memory or stack.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases (``*name``: an alias bomb expands exponentially) and
    nesting deeper than ``MAX_DEPTH`` (50,000 nested lists would overflow Python's stack).

    Both are refused while the document is composed, before any value is built.
    """

    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted in kits and run sheets: write the value out",
                self.peek_event().start_mark)
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                              self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _too_large(path: Path, size: int) -> ContentError:
    return ContentError(path, [Problem("(file)", f"file too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})"
                                       .replace(",", " "), 1)])


def _parse_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused without reading it
            raise _too_large(path, size)
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # the file may have grown since
        if len(raw) > MAX_FILE_BYTES:
            raise _too_large(path, len(raw))
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ContentError(path, [Problem("(file)", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ContentError(path, [Problem("(file)", f"not UTF-8 text: {exc}")]) from None
    except IsADirectoryError:
        raise ContentError(path, [Problem("(file)", "a folder, not a file")]) from None
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = " ".join(str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p)
        raise ContentError(path, [Problem("(yaml)", what or str(exc),
                                          mark.line + 1 if mark else None)]) from None
    except RecursionError:  # cannot happen below MAX_DEPTH; refused rather than crashing if it does
        raise ContentError(path, [Problem("(yaml)", "nested too deeply")]) from None
    finally:
        loader.dispose()
    return data, node


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a line number."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                # the key is missing or unknown: point at the key itself when it is there
                key = next((k for k, _ in node.value if k.value == part), None)
                return key.start_mark.line + 1 if key is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


_LOCATED = re.compile(r"^(?P<where>[A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): (?P<what>.+)$", re.S)


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _validate(model: type[BaseModel], path: Path) -> Any:
    data, node = _parse_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, [Problem("(document)", "expected a mapping of fields at the top level", 1)])
    file_kind = "run sheet" if model is RunSheet else "kit"
    # a kit says its language; a run sheet's is its kit's, checked by load_run_sheet
    lang = data.get("language", "fr") if model is Kit else None
    placeholders = [Problem(_where(loc), text, _line_of(node, loc))
                    for loc, text in _placeholder_problems(data, file_kind, lang)]
    try:
        validated = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            what = err["msg"].removeprefix("Value error, ")
            located = _LOCATED.match(what) if not loc else None
            if located:  # a whole-document check that names the place itself ("themes[3].key: …")
                loc, what = _loc(located["where"]), located["what"]
            if err["type"] == "missing":
                what = "required field is missing"
            elif err["type"] == "extra_forbidden":
                what = "unknown field (check its spelling)"
            problems.append(Problem(_where(loc), what, _line_of(node, loc)))
        raise ContentError(path, problems + placeholders) from None
    if placeholders:
        raise ContentError(path, placeholders)
    return validated


def load_kit(path: Path | str) -> Kit:
    """A kit, with French spacing in its texts when it is French."""
    kit: Kit = _validate(Kit, Path(path))
    return _french(kit) if kit.language == "fr" else kit


def load_run_sheet(path: Path | str, kit: Kit | None = None) -> RunSheet:
    """Load a run sheet and check it against its kit (the one it names, or the one given)."""
    path = Path(path)
    sheet: RunSheet = _validate(RunSheet, path)
    if kit is None:
        kit = find_kit(sheet.kit) if sheet.kit else default_kit()
    data, node = _parse_yaml(path)
    problems = [Problem(p.where, p.what, _line_of(node, _loc(p.where))) for p in sheet.check_against(kit)]
    if kit.language == "fr":
        problems += [Problem(_where(loc), what, _line_of(node, loc))
                     for loc, what in _placeholder_problems(data, "run sheet", "fr")]
    if problems:
        raise ContentError(path, problems)
    return _french(sheet) if kit.language == "fr" else sheet  # a run sheet is in its kit's language


def _loc(where: str) -> tuple[int | str, ...]:
    parts: list[int | str] = []
    for chunk in where.replace("]", "").split("."):
        name, *indexes = chunk.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i) for i in indexes)
    return tuple(parts)


def validate_file(path: Path | str) -> Kit | RunSheet:
    """Validate a kit or a run sheet, telling them apart by their fields."""
    path = Path(path)
    data, _ = _parse_yaml(path)
    if isinstance(data, dict) and "activities" in data:
        return load_run_sheet(path)
    return load_kit(path)


# --- the shipped catalogue ---------------------------------------------------------------


def kit_files() -> list[Path]:
    return sorted(config.kits_dir().glob("*.yaml"))


def run_sheet_files() -> list[Path]:
    return sorted(config.scenarios_dir().glob("*.yaml"))


@cache
def _kit_by_path(path: str, mtime: float) -> Kit:
    return load_kit(path)


def find_kit(name: str) -> Kit:
    for path in kit_files():
        kit = _kit_by_path(str(path), path.stat().st_mtime)
        if kit.name == name:
            return kit
    raise ContentError(config.kits_dir(), [Problem("(catalogue)", f"no kit named '{name}'")])


def default_kit() -> Kit:
    return find_kit("visions21-fr")


def find_run_sheet(name: str) -> RunSheet:
    for path in run_sheet_files():
        sheet = load_run_sheet(path)
        if sheet.name == name:
            return sheet
    raise ContentError(config.scenarios_dir(), [Problem("(catalogue)", f"no run sheet named '{name}'")])


def list_run_sheets() -> list[RunSheet]:
    return [load_run_sheet(p) for p in run_sheet_files()]
