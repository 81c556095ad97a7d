"""What every service needs: lookups that raise readable errors, text hygiene, tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workshop.errors import Forbidden, Invalid, NotFound
from workshop.events import Event, bus
from workshop.models import Activity, ActivityState, Base, Card, Interaction, Participant, Seminar

# Limits on everything people type (issue 6 checks them from the outside too); a card's text
# by its kind: ``workshop.models.limits``.
MAX_TITLE = 200
MAX_NAME = 60
MAX_DETAILS = 2000
MAX_NOTE = 5000
MAX_REQUEST_ID = 64

# Line breaks whatever their spelling (CR LF, NEL, LINE/PARAGRAPH SEPARATOR).
_LINE_BREAKS = re.compile(r"\r\n|[\r\x85\u2028\u2029]")
# Letters that render as nothing (Hangul fillers, combining grapheme joiner, Khmer inherent
# vowels): Unicode's default-ignorable code points that are not format characters.
_INVISIBLE_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_JOINERS = ("\u200c", "\u200d")  # zero-width non-joiner, zero-width joiner
_TAG_BASE = "\U0001f3f4"  # waving black flag: tag characters after it spell a subdivision flag


@cache
def _suspects(keep: str = "") -> re.Pattern[str]:
    """One character class of everything ``strip_invisible`` looks at (but ``keep``).

    Controls, format characters and separators only occur in planes 0, 1 and 14.
    """
    code_points = [cp for plane in (range(0x20000), range(0xE0000, 0xE1000)) for cp in plane
                   if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp", "Cs") and chr(cp) not in keep]
    code_points += [ord(ch) for ch in _INVISIBLE_LETTERS]
    ranges: list[list[int]] = []
    for cp in sorted(code_points):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{body}]")


def _emoji_part(ch: str) -> bool:
    """A character an emoji ZWJ sequence is built of: a pictograph, a skin tone, VS16, a keycap."""
    return unicodedata.category(ch) in ("So", "Sk") or ch in ("\ufe0f", "\u20e3")


def _script_letter(ch: str) -> bool:
    """A letter or mark of a script that needs joiners (Arabic, Persian, Indic…), not Latin."""
    return ord(ch) >= 0x0590 and unicodedata.category(ch)[0] in ("L", "M")


def strip_invisible(text: str, *, keep: str = "") -> str:
    """Remove every character that is invisible or steers the display, by Unicode category.

    Gone: controls (Cc, C0 and C1, except those in ``keep``), format characters (Cf: zero-width
    space, soft hyphen, word joiner, BOM, direction marks and overrides, invisible operators,
    Mongolian vowel separator…), line and paragraph separators (Zl, Zp), surrogates (Cs) and the
    few letters that render as nothing. Kept: a zero-width joiner or non-joiner between two parts
    of an emoji (👩🏽‍🌾, 🏳️‍🌈) or between two letters of a script that needs it (Persian,
    Devanagari…), and tag characters that spell a flag after 🏴; variation selectors are marks
    (Mn) and always stay.
    """
    if text.isprintable() and not any(letter in text for letter in _INVISIBLE_LETTERS):
        return text  # nearly every text: no control, format or separator character
    pieces: list[str] = []
    start, before = 0, ""  # ``before``: the last character kept
    for match in _suspects(keep).finditer(text):
        i = match.start()
        if i > start:
            pieces.append(text[start:i])
            before = text[i - 1]
        start = i + 1
        ch = text[i]
        if unicodedata.category(ch) != "Cf":
            continue  # a control, a separator, a surrogate, an invisible letter: gone
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in _JOINERS and before and after and (
                (_emoji_part(before) and _emoji_part(after))
                or (_script_letter(before) and _script_letter(after))):
            pieces.append(ch)
            before = ch
        elif 0xE0020 <= ord(ch) <= 0xE007F and before and (
                before == _TAG_BASE or 0xE0020 <= ord(before) <= 0xE007F):
            pieces.append(ch)
            before = ch
    pieces.append(text[start:])
    return "".join(pieces)


def name_key(name: str) -> str:
    """What two names are compared by: cleaned, NFC, case-folded (« Zoé » == « ZOÉ » == « Zoe\u0301 »)."""
    cleaned = strip_invisible(unicodedata.normalize("NFC", name or ""))
    return unicodedata.normalize("NFC", " ".join(cleaned.split()).casefold())


T = TypeVar("T", bound=Base)


def whole_number(value: object) -> bool:
    """An ``int`` and not a ``bool``: Python counts ``True`` as 1, so a forged ``true`` (a socket
    message, a script) would otherwise pass as one dot, one minute or a link's weight of 1."""
    return isinstance(value, int) and not isinstance(value, bool)


def clean_text(value: str | None, *, field: str, max_length: int, required: bool = True,
               multiline: bool = False) -> str:
    """Normalise user text: NFC, no invisible characters (``strip_invisible``), trimmed, within its limit.

    HTML is kept as typed (it is shown as inert text everywhere); emoji and accents pass.
    """
    text = unicodedata.normalize("NFC", value or "")
    if not text.isprintable():  # only then can it hold a line break (a fast first look)
        text = _LINE_BREAKS.sub(" " if not multiline else "\n", text)
    if not multiline:
        text = strip_invisible(text.replace("\n", " ").replace("\t", " "))
    else:
        text = strip_invisible(text, keep="\n\t")
    text = text.strip()
    if not multiline:
        text = re.sub(r" {2,}", " ", text)
    if required and not text:
        raise Invalid("text_required", field=field)
    if len(text) > max_length:
        raise Invalid("text_too_long", field=field, max=max_length, length=len(text))
    return text


def get(session: Session, model: type[T], ident: int | None, *, seminar_id: int | None = None,
        what: str | None = None) -> T:
    """Load a row by id, refusing rows of another seminar as if they did not exist (and ``True``,
    which the database would read as the id 1)."""
    row = session.get(model, ident) if whole_number(ident) else None
    if row is None or (seminar_id is not None and getattr(row, "seminar_id", seminar_id) != seminar_id):
        raise NotFound("not_found", what=what or model.__tablename__)
    return row


def get_seminar(session: Session, seminar_id: int) -> Seminar:
    return get(session, Seminar, seminar_id, what="seminar")


def get_activity(session: Session, seminar_id: int, activity_id: int) -> Activity:
    return get(session, Activity, activity_id, seminar_id=seminar_id, what="activity")


def get_card(session: Session, seminar_id: int, card_id: int, *, usable: bool = True) -> Card:
    card = get(session, Card, card_id, seminar_id=seminar_id, what="card")
    if usable:
        check_usable(card)
    return card


def check_not_merged(card_id: int, merged_into_id: int | None) -> None:
    """Refuse a card merged into another: its dots, links and places in trajectories moved to the
    kept card (``cards.merge``), and it takes none again (the archive import checks it with this)."""
    if merged_into_id is not None:
        raise Invalid("card_merged", card=card_id, into=merged_into_id)


def check_usable(card: Card) -> None:
    """Refuse a card merged into another or withdrawn by its author."""
    check_not_merged(card.id, card.merged_into_id)
    if card.withdrawn:
        raise Invalid("card_withdrawn", card=card.id)


def check_on_the_wall(card: Card) -> None:
    """Refuse a card the facilitator hid, from a participant's tablet (a dot, a rating, a link, a
    trajectory): the tablet's list may still offer it for a moment after it was hidden."""
    if card.hidden:
        raise Invalid("card_hidden", card=card.id)


def card_on_the_wall(session: Session, seminar_id: int, card_id: int) -> Card:
    """A usable card of the seminar that a participant may vote on or rate (not hidden)."""
    card = get_card(session, seminar_id, card_id)
    check_on_the_wall(card)
    return card


def check_open_for_votes(activity: Activity, interaction: Interaction) -> None:
    """Refuse a vote (dots, a rating, a robustness answer: ``interaction``) on an activity that
    is not live or is not taking that kind of vote now."""
    require_open(activity)
    if activity.interaction is not interaction or not activity.votes_open:
        raise Invalid("votes_closed", title=activity.title)


def open_for_votes(session: Session, seminar_id: int, activity_id: int, interaction: Interaction) -> Activity:
    """The activity, live and taking this kind of vote now (``check_open_for_votes``)."""
    activity = get_activity(session, seminar_id, activity_id)
    check_open_for_votes(activity, interaction)
    return activity


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def participant_by_token(session: Session, token: str | None, *, seminar_id: int | None = None) -> Participant:
    """The participant a device token stands for; the token grants nothing else."""
    if not token or len(token) > 200:
        raise Forbidden("unknown_device")
    participant = session.scalar(
        select(Participant).where(Participant.device_token_hash == hash_token(token))
    )
    if participant is None or (seminar_id is not None and participant.seminar_id != seminar_id):
        raise Forbidden("unknown_device")
    return participant


def lock_participant(session: Session, participant: Participant) -> None:
    """Serialise one participant's vote-like writes (row lock on PostgreSQL, file lock on SQLite).

    Two requests from the same person (a double tap, two tabs, a retry) then see each
    other's committed effect, so a budget can never be exceeded by racing.
    """
    session.execute(
        update(Participant).where(Participant.id == participant.id)
        .values(write_seq=Participant.write_seq + 1)
        .execution_options(synchronize_session=False)
    )


def require_open(activity: Activity) -> None:
    if activity.state is not ActivityState.OPEN:
        raise Invalid("activity_not_open", title=activity.title)
    if activity.paused_at is not None:
        raise Invalid("activity_paused", title=activity.title)


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt" or not secret or len(secret) > 200:
        return False
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=2**14, r=8, p=1)
    return hmac.compare_digest(digest.hex(), digest_hex)


def publish(seminar_id: int, topic: str, **data) -> None:
    """Tell live screens what changed; called only after the unit of work committed."""
    bus.publish(Event(seminar_id, topic, data))


def ids(rows: Iterable[Base]) -> list[int]:
    return [row.id for row in rows]  # type: ignore[attr-defined]
