"""A format-neutral document: sections of paragraphs, tables, lists and figures.

The seminar report and the cross-territory synthesis are laid out once into a
``Document``; the HTML page, the PDF (via its print HTML) and the DOCX render that same
document, block by block. Cells are already formatted strings (French decimals), so what
a reader sees is the same in every format; the raw numbers go to the CSV/XLSX data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime

import plotly.graph_objects as go

from workshop.i18n import NBSP, french_spacing


@dataclass
class Para:
    text: str
    style: str = "body"  # body | lead | muted | note | warning
    type: str = "para"

    def __post_init__(self) -> None:
        self.text = full_stops(self.text)


@dataclass
class Prose:
    """Text people wrote (notes, lessons, articles): paragraphs and line breaks kept, inert."""

    text: str
    type: str = "prose"

    @property
    def paragraphs(self) -> list[list[str]]:
        blocks = [b for b in self.text.replace("\r\n", "\n").split("\n\n") if b.strip()]
        return [[line for line in b.split("\n")] for b in blocks]


@dataclass
class Bullets:
    items: list[str]
    type: str = "bullets"

    def __post_init__(self) -> None:
        self.items = [full_stops(item) for item in self.items]


@dataclass
class Facts:
    rows: list[tuple[str, str]]
    type: str = "facts"


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()    # right-aligned columns
    caption: str = ""
    footer: list[str] | None = None  # a totals row
    widths: tuple[float, ...] = ()   # relative column widths (optional)
    small: bool = False              # long tables: smaller type
    type: str = "table"


@dataclass
class Figure:
    key: str
    caption: str
    type: str = "figure"


@dataclass
class Article:
    title: str
    meta: str
    body: str
    type: str = "article"

    @property
    def prose(self) -> Prose:
        return Prose(self.body)


@dataclass
class Columns:
    """Texts people wrote, side by side (one column each): e.g. each territory's lessons."""

    items: list[tuple[str, str]]  # (heading, text)
    type: str = "columns"

    @property
    def columns(self) -> list[tuple[str, Prose]]:
        return [(title, Prose(text)) for title, text in self.items]


@dataclass
class Essential:
    """« L'essentiel »: sentences written from the data, each with where it comes from."""

    items: list[tuple[str, str]]  # (sentence, reference)
    type: str = "essential"
    keys: list[str] = field(default_factory=list)  # what each sentence says (essential.Sentence.key)

    def __post_init__(self) -> None:
        self.items = [(full_stops(text), ref) for text, ref in self.items]


@dataclass
class Photo:
    """A photo from the room (already re-encoded without metadata), with its caption."""

    data: bytes
    media_type: str
    width: int
    height: int
    caption: str
    type: str = "photo"

    @property
    def uri(self) -> str:
        import base64

        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass
class Logo:
    label: str        # "Logo du territoire" (the image's text alternative)
    media_type: str
    data: bytes
    width: int
    height: int

    @property
    def uri(self) -> str:
        import base64

        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


Block = Para | Prose | Bullets | Facts | Table | Figure | Article | Columns | Essential | Photo


@dataclass
class Section:
    id: str
    title: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)
    appendix: bool = False

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass(frozen=True)
class FigureSpec:
    """How to draw one figure: ``build(mode)`` returns a plotly figure for ``"interactive"``
    (the HTML page) or ``"print"`` (PDF and DOCX); ``width``/``height`` in layout pixels for
    the static image (height ``None``: the figure's own layout height)."""

    build: Callable[[str], go.Figure]
    width: int = 900
    height: int | None = 560


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str
    kind_label: str                    # "Rapport de capitalisation" / "Synthèse…"
    cover_facts: list[tuple[str, str]]
    notice: str                        # e.g. exported while the seminar runs ("" if none)
    sections: list[Section]
    figures: dict[str, FigureSpec]
    footer: str                        # running footer text (territory, date)
    credits: str                       # licence line on the cover
    generated: str
    front: list[Section] = field(default_factory=list)   # before the contents (« L'essentiel »)
    logos: list[Logo] = field(default_factory=list)      # the publisher's, on the cover
    colophon: str = ""                                  # the publisher's text, at the end
    colophon_title: str = ""

    @property
    def toc(self) -> list[Section]:
        return [s for s in self.sections if s.level <= 2]


# --- typography -------------------------------------------------------------------------------

#: Fields that name or size things rather than say something: never respaced.
_NOT_TEXT = frozenset({"type", "id", "key", "keys", "style", "lang", "media_type", "data", "numeric", "widths",
                       "figures", "small", "level", "appendix", "width", "height"})


def typeset(doc: Document) -> Document:
    """The document as a reader sees it: in French, every text with French spacing
    (``i18n.french_spacing``: a no-break space before « : ; ? ! », inside « », between a number
    and the word after it), so what participants and staff typed with plain spaces (« Comment
    soigner sans médecins ? ») never ends a line before its « ? »; the report's own sentences
    keep the dates and times they were given with their words (« 6 décembre », « 9 h 30 »). Times
    (« 14:30 ») and URLs have no space to change. For the HTML page, the PDF and the DOCX, on a
    copy: the document, the report model and what is stored are left as they are, and the data
    files (CSV, XLSX) keep their plain spaces. A document in English is returned as it is."""
    return _spaced(doc) if doc.lang == "fr" else doc


def _spaced(value):
    if isinstance(value, str):
        return french_spacing(value)
    if isinstance(value, list):
        return [_spaced(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_spaced(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _spaced(getattr(value, f.name)) for f in fields(value)
                   if f.init and f.name not in _NOT_TEXT}
        return replace(value, **changes)
    return value


# --- formatting -------------------------------------------------------------------------------

#: A sentence of ours that ends with a card's text ("… : Comment garder un médecin ?") gets no
#: second full stop after its question mark (or "!", "…").
_DOUBLE_STOP = re.compile(r"([?!…])\.(?=\s|$)")


def full_stops(text: str) -> str:
    """``"… un médecin ?."`` -> ``"… un médecin ?"``: one end mark per sentence."""
    return _DOUBLE_STOP.sub(r"\1", text)


def percent(value: float, lang: str = "fr", digits: int = 0) -> str:
    """``25 %`` in French (no-break space), ``25%`` in English."""
    return f"{num(value, lang, digits)}{NBSP}%" if lang == "fr" else f"{num(value, lang, digits)}%"


def file_size(size: int, lang: str = "fr") -> str:
    """A file's size for reading: ``4,6 Mo`` / ``820 Ko`` in French, ``4.6 MB`` / ``820 kB`` in English."""
    mega, kilo = ("Mo", "Ko") if lang == "fr" else ("MB", "kB")
    if size >= 1_048_576:
        return f"{num(round(size / 1_048_576, 1), lang)}{NBSP}{mega}"
    return f"{max(1, size // 1024)}{NBSP}{kilo}"


def num(value: float | int | None, lang: str = "fr", digits: int = 1) -> str:
    """A number for reading: integers as they are, decimals with ``digits`` digits and the
    French decimal comma; ``None`` as an en dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def fixed(value: float | int | None, lang: str = "fr", digits: int = 2) -> str:
    """A number in a table's column: always ``digits`` decimals (« 4,00 » under « 3,80 », « 13,20 »
    under « 12,92 »), so the figures of a column line up and read at the same precision; ``None``
    as an en dash."""
    if value is None:
        return "–"
    text = f"{float(value):.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


def signed(value: float | None, lang: str = "fr") -> str:
    if value is None:
        return "–"
    text = num(abs(value), lang)
    if text == "0":
        return "0"
    return ("+" if value > 0 else "−") + text


MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def long_date(day: date | None, lang: str = "fr") -> str:
    if day is None:
        return "–"
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {MONTHS_FR[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def clock_time(moment: datetime | None, lang: str = "fr") -> str:
    if moment is None:
        return "–"
    return moment.strftime("%H h %M") if lang == "fr" else moment.strftime("%H:%M")


def stamp(moment: datetime, lang: str = "fr") -> str:
    return f"{long_date(moment.date(), lang)}, {clock_time(moment, lang)}"
