"""What every service needs: lookups that raise readable errors, text hygiene, tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workshop.errors import Forbidden, Invalid, NotFound
from workshop.events import Event, bus
from workshop.models import Activity, ActivityState, Base, Card, Participant, Seminar

# Limits on everything people type (issue 6 checks them from the outside too).
MAX_TITLE = 200
MAX_NAME = 60
MAX_CARD_TEXT = 500
MAX_DETAILS = 2000
MAX_WORD = 40
MAX_NOTE = 5000
MAX_REQUEST_ID = 64

# Zero-width space and direction marks/overrides go; the zero-width (non-)joiners U+200C/U+200D
# stay: they hold compound emoji together (👩🏽‍🌾, 🏳️‍🌈) and some scripts need them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")

T = TypeVar("T", bound=Base)


def clean_text(value: str | None, *, field: str, max_length: int, required: bool = True,
               multiline: bool = False) -> str:
    """Normalise user text: NFC, no control characters, trimmed, within its length limit.

    HTML is kept as typed (it is shown as inert text everywhere); emoji and accents pass.
    """
    text = unicodedata.normalize("NFC", value or "")
    if not multiline:
        text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).strip()
    if not multiline:
        text = re.sub(r" {2,}", " ", text)
    if required and not text:
        raise Invalid("text_required", field=field)
    if len(text) > max_length:
        raise Invalid("text_too_long", field=field, max=max_length, length=len(text))
    return text


def get(session: Session, model: type[T], ident: int | None, *, seminar_id: int | None = None,
        what: str | None = None) -> T:
    """Load a row by id, refusing rows of another seminar as if they did not exist."""
    row = session.get(model, ident) if ident is not None else None
    if row is None or (seminar_id is not None and getattr(row, "seminar_id", seminar_id) != seminar_id):
        raise NotFound("not_found", what=what or model.__tablename__)
    return row


def get_seminar(session: Session, seminar_id: int) -> Seminar:
    return get(session, Seminar, seminar_id, what="seminar")


def get_activity(session: Session, seminar_id: int, activity_id: int) -> Activity:
    return get(session, Activity, activity_id, seminar_id=seminar_id, what="activity")


def get_card(session: Session, seminar_id: int, card_id: int, *, usable: bool = True) -> Card:
    card = get(session, Card, card_id, seminar_id=seminar_id, what="card")
    if usable and card.merged_into_id is not None:
        raise Invalid("card_merged", card=card_id, into=card.merged_into_id)
    if usable and card.withdrawn:
        raise Invalid("card_withdrawn", card=card_id)
    return card


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
