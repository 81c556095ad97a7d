"""What a seminar publishes, in archives (all optional in the format): staff's report texts,
the publisher's identity and results-page setting, the photos of the room.

An archive written before these existed has none of them and imports as before. Images
travel as base64 PNG/JPEG and are decoded and re-encoded on import by the same function as
an upload (``services.publication.clean_image``): an archive cannot bring in an image, a
size or metadata the upload form would refuse.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.archive.errors import ArchiveError
from workshop.errors import Invalid
from workshop.models.publication import Photo, Publication, ReportText
from workshop.services.publication import (
    LOGO_SLOTS,
    MAX_LOGO_SIDE,
    MAX_PHOTO_SIDE,
    MAX_PHOTOS,
    CleanImage,
    check_text_key,
    clean_image,
)

OPTIONAL = ("report_texts", "publication", "photos")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def export_publication(session: Session, seminar_id: int, value: Callable[[Any], Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "report_texts": [{"key": r.key, "text": r.text, "updated_at": value(r.updated_at)}
                         for r in session.scalars(select(ReportText).where(ReportText.seminar_id == seminar_id)
                                                  .order_by(ReportText.key))],
        "photos": [{"id": p.id, "activity_id": p.activity_id, "caption": p.caption, "media_type": p.media_type,
                    "data": _b64(p.data), "created_at": value(p.created_at)}
                   for p in session.scalars(select(Photo).where(Photo.seminar_id == seminar_id).order_by(Photo.id))],
    }
    row = session.get(Publication, seminar_id)
    if row is not None:
        out["publication"] = {
            "results_open": row.results_open, "colophon": row.colophon,
            **{f"{slot}_logo": ({"media_type": getattr(row, f"{slot}_logo_type"),
                                 "data": _b64(getattr(row, f"{slot}_logo"))} if getattr(row, f"{slot}_logo") else None)
               for slot in LOGO_SLOTS},
        }
    return out


def _image(path: str, entry: dict[str, Any] | None, max_side: int, what: str,
           problems: list[ArchiveError]) -> CleanImage | None:
    if entry is None:
        return None
    try:
        raw = base64.b64decode(entry["data"], validate=True)
    except (binascii.Error, ValueError):
        problems.append(ArchiveError("archive_bad_image", path=f"{path}.data", reason="base64"))
        return None
    try:
        return clean_image(raw, max_side=max_side, what=what)
    except Invalid as exc:
        problems.append(ArchiveError("archive_bad_image", path=f"{path}.data", reason=exc.code))
        return None


def check_publication(data: dict[str, Any], problems: list[ArchiveError]) -> dict[str, CleanImage]:
    """Rules the schema cannot say (unique keys and ids, photos of activities of the archive,
    images that decode); returns the cleaned images by JSON path, for the insert."""
    from workshop.archive.references import _check_datetime

    for collection, field in (("report_texts", "updated_at"), ("photos", "created_at")):
        for index, entry in enumerate(data.get(collection, [])):
            _check_datetime(problems, f"$.{collection}[{index}].{field}", entry[field])
    # Texts are cleaned as the services clean them (control characters, length), as for the rest of the archive.
    from workshop.services._common import clean_text
    from workshop.services.publication import MAX_CAPTION, MAX_COLOPHON, MAX_REPORT_TEXT

    def clean(path: str, container: dict, name: str, limit: int, *, multiline: bool, required: bool) -> None:
        try:
            container[name] = clean_text(container[name], field="report_text", max_length=limit,
                                         multiline=multiline, required=required)
        except Invalid:
            problems.append(ArchiveError("archive_empty_text" if not container[name].strip() else "archive_too_long",
                                         path=f"{path}.{name}", length=len(container[name]), limit=limit))

    for index, entry in enumerate(data.get("report_texts", [])):
        clean(f"$.report_texts[{index}]", entry, "text", MAX_REPORT_TEXT, multiline=True, required=True)
    for index, entry in enumerate(data.get("photos", [])):
        clean(f"$.photos[{index}]", entry, "caption", MAX_CAPTION, multiline=False, required=False)
    if data.get("publication") is not None:
        clean("$.publication", data["publication"], "colophon", MAX_COLOPHON, multiline=True, required=False)
    images: dict[str, CleanImage] = {}
    activities = {a["id"] for a in data["activities"]}
    keys: set[str] = set()
    for index, entry in enumerate(data.get("report_texts", [])):
        path = f"$.report_texts[{index}].key"
        try:
            check_text_key(entry["key"])
        except Invalid:
            problems.append(ArchiveError("archive_bad_format", path=path, value=entry["key"][:60],
                                         example="intro.enjeux"))
        if entry["key"] in keys:
            problems.append(ArchiveError("archive_duplicate", path=path, value=entry["key"][:60]))
        keys.add(entry["key"])
    photos = data.get("photos", [])
    if len(photos) > MAX_PHOTOS:
        problems.append(ArchiveError("archive_too_many", path="$.photos", count=len(photos), limit=MAX_PHOTOS))
        return images
    seen: set[int] = set()
    for index, entry in enumerate(photos):
        path = f"$.photos[{index}]"
        if entry["id"] in seen:
            problems.append(ArchiveError("archive_duplicate_id", path=f"{path}.id", ref=entry["id"]))
        seen.add(entry["id"])
        if entry["activity_id"] is not None and entry["activity_id"] not in activities:
            problems.append(ArchiveError("archive_dangling_reference", path=f"{path}.activity_id",
                                         ref=entry["activity_id"], entity="activity"))
        image = _image(path, entry, MAX_PHOTO_SIDE, "photo", problems)
        if image is not None:
            images[path] = image
    publication = data.get("publication")
    if publication is not None:
        for slot in LOGO_SLOTS:
            path = f"$.publication.{slot}_logo"
            image = _image(path, publication[f"{slot}_logo"], MAX_LOGO_SIDE, "logo", problems)
            if image is not None:
                images[path] = image
    return images


def insert_publication(session: Session, seminar_id: int, data: dict[str, Any], images: dict[str, CleanImage],
                       activity_id: Callable[[int | None], int | None], moment: Callable[[str], Any]) -> None:
    for entry in data.get("report_texts", []):
        session.add(ReportText(seminar_id=seminar_id, key=entry["key"], text=entry["text"],
                               updated_at=moment(entry["updated_at"])))
    for index, entry in sorted(enumerate(data.get("photos", [])), key=lambda pair: pair[1]["id"]):
        image = images[f"$.photos[{index}]"]
        session.add(Photo(seminar_id=seminar_id, activity_id=activity_id(entry["activity_id"]),
                          caption=entry["caption"], media_type=image.media_type, data=image.data,
                          width=image.width, height=image.height, created_at=moment(entry["created_at"])))
    publication = data.get("publication")
    if publication is not None:
        row = Publication(seminar_id=seminar_id, results_open=publication["results_open"],
                          colophon=publication["colophon"])
        for slot in LOGO_SLOTS:
            image = images.get(f"$.publication.{slot}_logo")
            setattr(row, f"{slot}_logo", image.data if image else None)
            setattr(row, f"{slot}_logo_type", image.media_type if image else "")
        session.add(row)
    session.flush()
