"""What a seminar publishes: staff's text of the report, the publisher's identity (logos and
colophon), photos from the room, and the participants' results page (open or closed).

Images (logos, photos) are only ever stored after Pillow has decoded them fully and
re-encoded them: PNG or JPEG in, PNG or JPEG out, at most ``MAX_*_SIDE`` pixels a side, with
no metadata at all (EXIF, GPS position, camera, XMP, comments are not copied). Anything
else (an SVG, a PDF, a truncated or oversized file) is refused with a message and nothing
is stored. The archive importer calls the same functions, so an archive cannot bring in
what the upload form would refuse.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from workshop import clock
from workshop.db import Database
from workshop.errors import Invalid
from workshop.models import Activity
from workshop.models.publication import Photo, Publication, ReportText
from workshop.services._common import clean_text, get, get_seminar, publish

#: Largest file accepted for upload (before re-encoding).
MAX_UPLOAD_BYTES = 12 * 1024 * 1024
#: A decoded image may not hold more pixels than this (a "decompression bomb" is refused).
MAX_PIXELS = 40_000_000
#: Photos are shrunk to at most this many pixels a side, logos to this.
MAX_PHOTO_SIDE = 1600
MAX_LOGO_SIDE = 600
#: Photos per seminar.
MAX_PHOTOS = 60
MAX_CAPTION = 300
MAX_COLOPHON = 2000
MAX_REPORT_TEXT = 20_000

LOGO_SLOTS = ("territory", "agency")
ESSENTIAL = "essential"
_TEXT_KEY = re.compile(r"^(essential|intro\.[a-z0-9-]{1,60})$")
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


# --- images --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    media_type: str   # image/png or image/jpeg
    width: int
    height: int


def clean_image(data: bytes, *, max_side: int, what: str = "photo") -> CleanImage:
    """Decode ``data`` (PNG or JPEG only), apply its EXIF orientation, shrink it to ``max_side``
    and re-encode it without any metadata. Raises ``Invalid`` for anything else."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise Invalid("image_empty", what=what)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid("image_too_large", what=what, size=round(len(data) / 1_048_576, 1),
                      max=MAX_UPLOAD_BYTES // 1_048_576)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=("PNG", "JPEG"))
            fmt = image.format
            if image.width * image.height > MAX_PIXELS:
                raise Invalid("image_too_many_pixels", what=what, width=image.width, height=image.height)
            image.load()
            image = ImageOps.exif_transpose(image)
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise Invalid("image_unreadable", what=what) from None
    if fmt not in MEDIA_TYPES:
        raise Invalid("image_unreadable", what=what)
    image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    # A new image from the pixels alone: nothing of the original file (EXIF and its GPS
    # position, XMP, ICC profile, comments, PNG text chunks) can be carried over on saving.
    clean = Image.frombytes(mode, image.size, image.convert(mode).tobytes())
    out = io.BytesIO()
    if fmt == "PNG" or has_alpha:
        clean.save(out, format="PNG", optimize=True)
        fmt = "PNG"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True)
    return CleanImage(out.getvalue(), MEDIA_TYPES[fmt], clean.width, clean.height)


# --- report texts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditedText:
    key: str
    text: str
    updated_at: datetime


def check_text_key(key: str) -> str:
    if not isinstance(key, str) or not _TEXT_KEY.match(key):
        raise Invalid("report_text_key", name=str(key)[:80])
    return key


def report_texts(db: Database, seminar_id: int) -> dict[str, EditedText]:
    """Staff's rewritten texts of this seminar's report, by key."""
    with db.read() as session:
        get_seminar(session, seminar_id)
        rows = session.scalars(select(ReportText).where(ReportText.seminar_id == seminar_id)
                               .order_by(ReportText.key))
        return {r.key: EditedText(r.key, r.text, r.updated_at) for r in rows}


def set_report_text(db: Database, seminar_id: int, key: str, text: str) -> None:
    """Keep staff's version of a report text (an empty text is refused: use ``reset_report_text``)."""
    check_text_key(key)
    text = clean_text(text, field="report_text", max_length=MAX_REPORT_TEXT, multiline=True)
    with db.write() as session:
        get_seminar(session, seminar_id)
        row = session.scalar(select(ReportText).where(ReportText.seminar_id == seminar_id, ReportText.key == key))
        if row is None:
            session.add(ReportText(seminar_id=seminar_id, key=key, text=text, updated_at=clock.now()))
        else:
            row.text, row.updated_at = text, clock.now()
    publish(seminar_id, "report.text_changed", key=key)


def reset_report_text(db: Database, seminar_id: int, key: str) -> None:
    """Back to the generated text."""
    check_text_key(key)
    with db.write() as session:
        get_seminar(session, seminar_id)
        session.execute(delete(ReportText).where(ReportText.seminar_id == seminar_id, ReportText.key == key))
    publish(seminar_id, "report.text_changed", key=key)


# --- identity and results page --------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    colophon: str
    results_open: bool
    logos: dict[str, CleanImage]   # slot -> image (only the slots that have one)


def _publication(session, seminar_id: int) -> Publication:
    row = session.get(Publication, seminar_id)
    if row is None:
        row = Publication(seminar_id=seminar_id, results_open=True, colophon="", territory_logo_type="",
                          agency_logo_type="")
        session.add(row)
    return row


def identity(db: Database, seminar_id: int) -> Identity:
    from PIL import Image

    with db.read() as session:
        get_seminar(session, seminar_id)
        row = session.get(Publication, seminar_id)
        if row is None:
            return Identity("", True, {})
        logos = {}
        for slot in LOGO_SLOTS:
            data = getattr(row, f"{slot}_logo")
            if data:
                with Image.open(io.BytesIO(data)) as image:
                    size = image.size
                logos[slot] = CleanImage(data, getattr(row, f"{slot}_logo_type"), *size)
        return Identity(row.colophon, row.results_open, logos)


def set_colophon(db: Database, seminar_id: int, text: str) -> None:
    text = clean_text(text, field="colophon", max_length=MAX_COLOPHON, required=False, multiline=True)
    with db.write() as session:
        get_seminar(session, seminar_id)
        row = _publication(session, seminar_id)
        row.colophon, row.updated_at = text, clock.now()
    publish(seminar_id, "seminar.changed")


def set_logo(db: Database, seminar_id: int, slot: str, data: bytes | None) -> CleanImage | None:
    """Store (or, with ``None``, remove) the territory's or the agency's logo."""
    if slot not in LOGO_SLOTS:
        raise Invalid("logo_slot", slot=str(slot)[:20])
    image = clean_image(data, max_side=MAX_LOGO_SIDE, what="logo") if data is not None else None
    with db.write() as session:
        get_seminar(session, seminar_id)
        row = _publication(session, seminar_id)
        setattr(row, f"{slot}_logo", image.data if image else None)
        setattr(row, f"{slot}_logo_type", image.media_type if image else "")
        row.updated_at = clock.now()
    publish(seminar_id, "seminar.changed")
    return image


def set_results_open(db: Database, seminar_id: int, is_open: bool) -> None:
    with db.write() as session:
        get_seminar(session, seminar_id)
        row = _publication(session, seminar_id)
        row.results_open, row.updated_at = bool(is_open), clock.now()
    publish(seminar_id, "seminar.changed")


# --- photos ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoInfo:
    id: int
    activity_id: int | None
    caption: str
    media_type: str
    width: int
    height: int
    size: int
    created_at: datetime


def add_photo(db: Database, seminar_id: int, data: bytes, *, caption: str = "", activity_id: int | None = None) -> int:
    caption = clean_text(caption, field="caption", max_length=MAX_CAPTION, required=False)
    image = clean_image(data, max_side=MAX_PHOTO_SIDE, what="photo")
    with db.write() as session:
        get_seminar(session, seminar_id)
        if activity_id is not None:
            get(session, Activity, activity_id, seminar_id=seminar_id, what="activity")
        count = len(session.scalars(select(Photo.id).where(Photo.seminar_id == seminar_id)).all())
        if count >= MAX_PHOTOS:
            raise Invalid("too_many_photos", max=MAX_PHOTOS)
        photo = Photo(seminar_id=seminar_id, activity_id=activity_id, caption=caption, media_type=image.media_type,
                      data=image.data, width=image.width, height=image.height, created_at=clock.now())
        session.add(photo)
        session.flush()
        photo_id = photo.id
    publish(seminar_id, "photo.added", photo_id=photo_id)
    return photo_id


def list_photos(db: Database, seminar_id: int) -> list[PhotoInfo]:
    from sqlalchemy import func

    with db.read() as session:
        rows = session.execute(select(Photo.id, Photo.activity_id, Photo.caption, Photo.media_type, Photo.width,
                                      Photo.height, func.length(Photo.data), Photo.created_at)
                               .where(Photo.seminar_id == seminar_id).order_by(Photo.created_at, Photo.id)).all()
    return [PhotoInfo(*row) for row in rows]


def photo_data(db: Database, seminar_id: int, photo_id: int) -> bytes:
    with db.read() as session:
        return get(session, Photo, photo_id, seminar_id=seminar_id, what="photo").data


def photos_with_data(db: Database, seminar_id: int) -> list[tuple[PhotoInfo, bytes]]:
    with db.read() as session:
        rows = session.scalars(select(Photo).where(Photo.seminar_id == seminar_id).order_by(Photo.created_at, Photo.id))
        return [(PhotoInfo(p.id, p.activity_id, p.caption, p.media_type, p.width, p.height, len(p.data), p.created_at),
                 p.data) for p in rows]


def set_photo_caption(db: Database, seminar_id: int, photo_id: int, caption: str,
                      activity_id: int | None) -> None:
    caption = clean_text(caption, field="caption", max_length=MAX_CAPTION, required=False)
    with db.write() as session:
        photo = get(session, Photo, photo_id, seminar_id=seminar_id, what="photo")
        if activity_id is not None:
            get(session, Activity, activity_id, seminar_id=seminar_id, what="activity")
        photo.caption, photo.activity_id = caption, activity_id
    publish(seminar_id, "photo.changed", photo_id=photo_id)


def delete_photo(db: Database, seminar_id: int, photo_id: int) -> None:
    with db.write() as session:
        session.delete(get(session, Photo, photo_id, seminar_id=seminar_id, what="photo"))
    publish(seminar_id, "photo.deleted", photo_id=photo_id)


# --- the participants' results page ------------------------------------------------------------------

RESULTS_OPEN, RESULTS_CLOSED, RESULTS_NOT_YET = "open", "closed", "not_finished"


def results_state(db: Database, seminar_id: int) -> str:
    """``open`` once every activity of the run sheet is closed (unless staff closed the page),
    ``closed`` when staff closed it, ``not_finished`` while the seminar runs."""
    from workshop.models import ActivityState

    with db.read() as session:
        get_seminar(session, seminar_id)
        states = session.scalars(select(Activity.state).where(Activity.seminar_id == seminar_id)).all()
        row = session.get(Publication, seminar_id)
    if not states or any(ActivityState(s) is not ActivityState.CLOSED for s in states):
        return RESULTS_NOT_YET
    return RESULTS_OPEN if row is None or row.results_open else RESULTS_CLOSED


def results_for_code(db: Database, code: str, *, client: str) -> tuple[int, str]:
    """The seminar a join code names and the state of its results page. Works once joining is
    closed; wrong codes count against the address's limit, as on the join page."""
    from workshop.errors import Forbidden, NotFound
    from workshop.models import Seminar
    from workshop.services import ratelimit
    from workshop.services.participants import normalise_code

    key = client or "?"
    wait = ratelimit.JOIN_CLIENT.retry_after(key)
    if wait:
        raise Forbidden("too_many_codes", seconds=wait)
    normal = normalise_code(code)
    with db.read() as session:
        seminar_id = session.scalar(select(Seminar.id).where(Seminar.join_code == normal)) if normal else None
    if seminar_id is None:
        ratelimit.JOIN_CLIENT.take(key)
        raise NotFound("unknown_code")
    return seminar_id, results_state(db, seminar_id)
