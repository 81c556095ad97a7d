"""What refers to what inside an archive, checked before anything is written.

Every ``id`` of the archive is archive-local; ``*_id`` fields, ``card_ids`` lists and the ids
inside moderation payloads refer to entries of the same archive. This module knows where
those references are (one table used to check them and, on import, to remap them) and
checks the rules the database would otherwise enforce with an unreadable error: unique
ids and natural keys, no link from a card to itself, no loop of merges.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from typing import Any

from workshop.archive.errors import ArchiveError
from workshop.archive.sorting import check_sorting

# Collections whose entries have an ``id``; trajectory steps ("steps") live inside trajectories.
COLLECTIONS = ("themes", "groups", "participants", "activities", "cards", "dot_votes", "ratings",
               "robustness_ratings", "links", "trajectories", "steps", "moderation_steps")

# collection -> [(field, referenced collection)]; a null reference means "none".
FIELD_REFS: dict[str, list[tuple[str, str]]] = {
    "participants": [("group_id", "groups")],
    "cards": [("activity_id", "activities"), ("theme_id", "themes"), ("author_id", "participants"),
              ("group_id", "groups"), ("merged_into_id", "cards")],
    "dot_votes": [("activity_id", "activities"), ("participant_id", "participants"), ("card_id", "cards")],
    "ratings": [("activity_id", "activities"), ("participant_id", "participants"), ("card_id", "cards")],
    "robustness_ratings": [("activity_id", "activities"), ("participant_id", "participants"),
                           ("group_id", "groups"), ("challenge_id", "cards"), ("action_id", "cards")],
    "links": [("source_id", "cards"), ("target_id", "cards"), ("proposed_by_id", "participants")],
    "trajectories": [("target_card_id", "cards"), ("group_id", "groups"), ("created_by_id", "participants")],
}

# collection -> fields holding instants (ISO 8601); "seminar" is the seminar object.
DATETIME_FIELDS: dict[str, tuple[str, ...]] = {
    "seminar": ("created_at",),
    "participants": ("joined_at", "last_seen_at"),
    "activities": ("started_at", "ended_at", "paused_at"),
    "cards": ("created_at", "updated_at"),
    "dot_votes": ("updated_at",),
    "ratings": ("updated_at",),
    "robustness_ratings": ("updated_at",),
    "links": ("created_at",),
    "trajectories": ("created_at",),
    "moderation_steps": ("created_at", "undone_at"),
    "dismissed_duplicates": ("created_at",),
    "card_clusters": ("created_at",),
}

# Natural keys the database keeps unique (within the seminar).
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "themes": ("key",),
    "groups": ("name",),
    "participants": ("device_token_hash",),
    "activities": ("position",),
    "cards": ("author_id", "request_id"),  # only when both are set
    "dot_votes": ("activity_id", "participant_id", "card_id"),
    "ratings": ("activity_id", "participant_id", "card_id", "criterion"),
    "robustness_ratings": ("activity_id", "participant_id", "challenge_id", "action_id"),
    "links": ("source_id", "target_id", "relation"),
}

# Collection singular names, for messages.
ENTITY = {"themes": "theme", "groups": "group", "participants": "participant", "activities": "activity",
          "cards": "card", "dot_votes": "dot_vote", "ratings": "rating", "robustness_ratings": "robustness_rating",
          "links": "link", "trajectories": "trajectory", "steps": "step", "moderation_steps": "moderation_step",
          "days": "day"}

# A payload id: (its JSON path, its value, the collection it names, whether it must be in the archive).
# Cards, participants, activities and themes are never deleted while a seminar lives, so ids of
# those must be in the archive; links, ratings, robustness ratings, trajectories and steps may
# have been deleted since the step was recorded ("history" ids, kept as they are).
MapFn = Callable[[str, Any, str, bool], Any]


def parse_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no UTC offset")
    return moment.astimezone(timezone.utc)


def parse_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def entries(data: dict[str, Any], collection: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON path, entry) of every entry of a collection, steps included."""
    if collection == "steps":
        for t, trajectory in enumerate(data["trajectories"]):
            for s, step in enumerate(trajectory["steps"]):
                yield f"$.trajectories[{t}].steps[{s}]", step
        return
    for index, entry in enumerate(data.get(collection, [])):
        yield f"$.{collection}[{index}]", entry


def map_payload(action: str, payload: dict[str, Any], path: str, fn: MapFn) -> dict[str, Any]:
    """A copy of a moderation payload with every id it holds replaced by ``fn(path, id, collection, strict)``."""
    out = copy.deepcopy(payload)

    def one(container: dict, key: str, where: str, collection: str, strict: bool) -> None:
        if container.get(key) is not None:
            container[key] = fn(f"{where}.{key}", container[key], collection, strict)

    def many(container: dict, key: str, where: str, collection: str, strict: bool) -> None:
        container[key] = [fn(f"{where}.{key}[{i}]", v, collection, strict) for i, v in enumerate(container[key])]

    if action == "retheme":
        one(out, "before", path, "themes", True)
        one(out, "after", path, "themes", True)
    elif action == "merge":
        many(out, "merged", path, "cards", True)
        for i, entry in enumerate(out["votes"]):
            where = f"{path}.votes[{i}]"
            one(entry, "activity", where, "activities", True)
            one(entry, "participant", where, "participants", True)
            one(entry, "from", where, "cards", True)
        for i, entry in enumerate(out["ratings"]):
            one(entry, "id", f"{path}.ratings[{i}]", "ratings", False)
            one(entry, "from", f"{path}.ratings[{i}]", "cards", True)
        for i, entry in enumerate(out["robustness"]):
            where = f"{path}.robustness[{i}]"
            one(entry, "id", where, "robustness_ratings", False)
            one(entry, "challenge", where, "cards", True)
            one(entry, "action", where, "cards", True)
        for i, entry in enumerate(out["links"]):
            where = f"{path}.links[{i}]"
            if "deleted" in entry:
                snapshot, where = entry["deleted"], f"{where}.deleted"
                one(snapshot, "id", where, "links", False)
                one(snapshot, "source", where, "cards", True)
                one(snapshot, "target", where, "cards", True)
                one(snapshot, "proposed_by", where, "participants", True)
            else:
                one(entry, "moved", where, "links", False)
                one(entry, "source", where, "cards", True)
                one(entry, "target", where, "cards", True)
        for i, entry in enumerate(out["trajectories"]):
            one(entry, "id", f"{path}.trajectories[{i}]", "trajectories", False)
            one(entry, "target", f"{path}.trajectories[{i}]", "cards", True)
        for i, entry in enumerate(out["steps"]):
            one(entry, "id", f"{path}.steps[{i}]", "steps", False)
            many(entry, "card_ids", f"{path}.steps[{i}]", "cards", True)
    return out


def check_references(data: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Check an archive that matched the schema; returns ``{collection: {id: JSON path}}``.

    Raises an ``ArchiveError`` naming the first problem (and counting the others).
    """
    problems: list[ArchiveError] = []
    ids: dict[str, dict[int, str]] = {}
    for collection in COLLECTIONS:
        seen: dict[int, str] = {}
        for path, entry in entries(data, collection):
            if entry["id"] in seen:
                problems.append(ArchiveError("archive_duplicate_id", path=f"{path}.id", ref=entry["id"]))
            seen.setdefault(entry["id"], path)
        ids[collection] = seen

    def ref(path: str, value: Any, collection: str) -> None:
        if value is not None and value not in ids[collection]:
            problems.append(ArchiveError("archive_dangling_reference", path=path, ref=value,
                                         entity=ENTITY[collection]))

    for collection, fields in FIELD_REFS.items():
        for path, entry in entries(data, collection):
            for field, target in fields:
                ref(f"{path}.{field}", entry[field], target)
    for path, step in entries(data, "steps"):
        for i, card_id in enumerate(step["card_ids"]):
            ref(f"{path}.card_ids[{i}]", card_id, "cards")
    for path, step in entries(data, "moderation_steps"):
        for i, card_id in enumerate(step["card_ids"]):
            ref(f"{path}.card_ids[{i}]", card_id, "cards")

        def strict_only(where: str, value: Any, collection: str, strict: bool) -> Any:
            if strict:
                ref(where, value, collection)
            return value

        map_payload(step["action"], step["payload"], f"{path}.payload", strict_only)
    ref("$.seminar.screen.focus_card_id", data["seminar"].get("screen", {}).get("focus_card_id"), "cards")
    check_sorting(data, problems)

    numbers: dict[int, str] = {}
    for index, day in enumerate(data["days"]):
        if day["number"] in numbers:
            problems.append(ArchiveError("archive_duplicate", path=f"$.days[{index}].number",
                                         value=day["number"]))
        numbers.setdefault(day["number"], f"$.days[{index}]")
    for path, activity in entries(data, "activities"):
        if activity["day"] not in numbers:
            problems.append(ArchiveError("archive_dangling_reference", path=f"{path}.day", ref=activity["day"],
                                         entity="day"))

    for collection, key in UNIQUE_KEYS.items():
        seen_keys: set[tuple] = set()
        for path, entry in entries(data, collection):
            values = tuple(entry[k] for k in key)
            if any(v is None for v in values):
                continue
            if values in seen_keys:
                where = f"{path}.{key[0]}" if len(key) == 1 else path
                shown = values[0] if len(key) == 1 else ", ".join(f"{k}={v}" for k, v in zip(key, values))
                problems.append(ArchiveError("archive_duplicate", path=where, value=shown))
            seen_keys.add(values)

    for path, link in entries(data, "links"):
        if link["source_id"] == link["target_id"]:
            problems.append(ArchiveError("archive_self_link", path=path))
    merged_into = {card["id"]: card["merged_into_id"] for card in data["cards"]}
    for path, card in entries(data, "cards"):
        seen_cards, current = {card["id"]}, card["merged_into_id"]
        while current is not None and current in merged_into:
            if current in seen_cards:
                problems.append(ArchiveError("archive_merge_cycle", path=f"{path}.merged_into_id"))
                break
            seen_cards.add(current)
            current = merged_into[current]

    for collection, fields in DATETIME_FIELDS.items():
        found = [("$.seminar", data["seminar"])] if collection == "seminar" else entries(data, collection)
        for path, entry in found:
            for field in fields:
                _check_datetime(problems, f"{path}.{field}", entry[field])
    _check_datetime(problems, "$.exported_at", data["exported_at"])
    for path, step in entries(data, "moderation_steps"):
        if step["action"] == "merge":
            for i, entry in enumerate(step["payload"]["links"]):
                if "deleted" in entry:
                    _check_datetime(problems, f"{path}.payload.links[{i}].deleted.created_at",
                                    entry["deleted"]["created_at"])
    for index, day in enumerate(data["days"]):
        try:
            parse_date(day["date"])
        except ValueError:
            problems.append(ArchiveError("archive_bad_date", path=f"$.days[{index}].date", value=day["date"]))

    if problems:
        first = problems[0]
        raise ArchiveError(first.code, others=len(problems) - 1, **first.params)
    return ids


def _check_datetime(problems: list[ArchiveError], path: str, value: str | None) -> None:
    if value is None:
        return
    try:
        parse_datetime(value)
    except ValueError:
        problems.append(ArchiveError("archive_bad_date", path=path, value=value))
