"""Dismissed duplicate suggestions and theme groups in archives (both optional in the format).

Kept apart from the main exporter and importer because they are optional collections:
an archive written before they existed has neither, and imports as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.archive.errors import ArchiveError
from workshop.models import CardCluster, CardClusterMember, DismissedDuplicate

OPTIONAL = ("dismissed_duplicates", "card_clusters")


def export_sorting(session: Session, seminar_id: int, value: Callable[[Any], Any]) -> dict[str, Any]:
    dismissed = [{"id": d.id, "card_ids": [d.card_a_id, d.card_b_id], "created_at": value(d.created_at)}
                 for d in session.scalars(select(DismissedDuplicate).where(
                     DismissedDuplicate.seminar_id == seminar_id).order_by(DismissedDuplicate.id))]
    clusters = [{"id": c.id, "kind": c.kind.value, "label": c.label, "position": c.position,
                 "card_ids": [m.card_id for m in c.members], "created_at": value(c.created_at)}
                for c in session.scalars(select(CardCluster).where(CardCluster.seminar_id == seminar_id)
                                         .order_by(CardCluster.id))]
    return {"dismissed_duplicates": dismissed, "card_clusters": clusters}


def check_sorting(data: dict[str, Any], problems: list[ArchiveError]) -> None:
    """References and rules of the optional collections (cards exist, pairs of two cards,
    a card in one group only, of the group's kind)."""
    cards = {card["id"]: card for card in data["cards"]}

    def ref(path: str, value: Any) -> bool:
        if value not in cards:
            problems.append(ArchiveError("archive_dangling_reference", path=path, ref=value, entity="card"))
            return False
        return True

    for collection in OPTIONAL:
        seen: set[int] = set()
        for index, entry in enumerate(data.get(collection, [])):
            if entry["id"] in seen:
                problems.append(ArchiveError("archive_duplicate_id", path=f"$.{collection}[{index}].id",
                                             ref=entry["id"]))
            seen.add(entry["id"])
    pairs: set[tuple[int, int]] = set()
    for index, entry in enumerate(data.get("dismissed_duplicates", [])):
        path = f"$.dismissed_duplicates[{index}]"
        a, b = entry["card_ids"]
        if all([ref(f"{path}.card_ids[0]", a), ref(f"{path}.card_ids[1]", b)]):
            pair = (min(a, b), max(a, b))
            if a == b or pair in pairs:
                problems.append(ArchiveError("archive_duplicate", path=f"{path}.card_ids", value=f"{a}, {b}"))
            pairs.add(pair)
    grouped: set[int] = set()
    for index, entry in enumerate(data.get("card_clusters", [])):
        for i, card_id in enumerate(entry["card_ids"]):
            path = f"$.card_clusters[{index}].card_ids[{i}]"
            if not ref(path, card_id):
                continue
            if card_id in grouped or cards[card_id]["kind"] != entry["kind"]:
                problems.append(ArchiveError("archive_duplicate" if card_id in grouped else "archive_cluster_kind",
                                             path=path, value=card_id))
            grouped.add(card_id)


def insert_sorting(session: Session, seminar_id: int, data: dict[str, Any], card_id: Callable[[int], int],
                   moment: Callable[[str], Any]) -> None:
    for entry in sorted(data.get("dismissed_duplicates", []), key=lambda e: e["id"]):
        a, b = sorted(card_id(c) for c in entry["card_ids"])
        session.add(DismissedDuplicate(seminar_id=seminar_id, card_a_id=a, card_b_id=b,
                                       created_at=moment(entry["created_at"])))
    for entry in sorted(data.get("card_clusters", []), key=lambda e: e["id"]):
        cluster = CardCluster(seminar_id=seminar_id, kind=entry["kind"], label=entry["label"],
                              position=entry["position"], created_at=moment(entry["created_at"]))
        cluster.members = [CardClusterMember(card_id=card_id(c)) for c in entry["card_ids"]]
        session.add(cluster)
    session.flush()
