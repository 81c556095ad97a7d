"""The services' rules, applied to an archive before anything is written.

An archive is another door into the database: what a tablet, the console or a script
could not have stored through the services is refused here too, with the service's own
reason and the place in the file (``$.cards[3].text``). Each rule is the services'
function, not a copy: ``clean_text`` and ``clean_card_text`` for texts, ``check_link_kinds``,
``check_target``/``check_step_cards``/``check_step_year``, ``check_kind_expected``,
``check_dots_on_card``, ``check_robustness_pair``, ``check_merge_kinds``, ``check_not_merged``
(dots, links and trajectories on no card merged away), ``check_minutes`` and
``check_vote_limits`` of the run sheet's planning, ``check_duration``, ``check_one_open`` and
``check_pausable`` of the activities and ``check_join_code``.

Texts are the one thing cleaned rather than refused: invisible characters (zero-width,
direction overrides, NUL…) are removed exactly as the services remove them on input, and
the import says which texts were cleaned. A text still too long or empty once cleaned is
refused, as the services refuse it.

Rules that depend on the moment (an activity open for contributions) are not checked: an
archive records a past seminar. A step's year is checked from the year its trajectory was
drawn (it was written then or later) to the seminar's horizon.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError

from workshop.archive.errors import ArchiveError
from workshop.archive.references import entries, parse_datetime
from workshop.archive.schema import show
from workshop.content import ThemeSpec
from workshop.errors import Invalid
from workshop.models import CardKind, Interaction, Relation
from workshop.services._common import (MAX_DETAILS, MAX_NAME, MAX_NOTE, MAX_TITLE, check_not_merged, clean_text,
                                       name_key)
from workshop.services.activities import check_duration, check_one_open, check_pausable
from workshop.services.cards import check_merge_kinds, clean_card_text
from workshop.services.links import check_link_kinds
from workshop.services.participants import check_attendance_number
from workshop.services.planning import check_minutes, check_vote_limits
from workshop.services.screen import check_stored_screen
from workshop.services.sorting import MAX_LABEL
from workshop.services.seminars import check_join_code
from workshop.services.trajectories import check_step_cards, check_step_year, check_target
from workshop.services.robustness import check_robustness_pair
from workshop.services.votes import check_dots_on_card, check_kind_expected


def _text(field: str, limit: int, *, required: bool = True, multiline: bool = False) -> Callable[[str], str]:
    return lambda value: clean_text(value, field=field, max_length=limit, required=required, multiline=multiline)


_LONG = {"multiline": True, "required": False}

# collection -> [(field, the service's cleaner)]; "seminar" is the seminar object.
TEXTS: dict[str, list[tuple[str, Callable[[str], str]]]] = {
    "seminar": [("title", _text("title", MAX_TITLE)), ("territory", _text("territory", MAX_TITLE)),
                ("lessons_learned", _text("lessons", MAX_NOTE * 4, **_LONG))],
    "themes": [("label", _text("title", 120))],
    "groups": [("name", _text("group", MAX_NAME))],
    "participants": [("display_name", _text("display_name", MAX_NAME))],
    "activities": [("title", _text("title", MAX_TITLE)),
                   ("participant_instructions", _text("participant_instructions", MAX_NOTE, **_LONG)),
                   ("facilitator_instructions", _text("facilitator_instructions", MAX_NOTE, **_LONG)),
                   ("facilitator_notes", _text("notes", MAX_NOTE, **_LONG))],
    "cards": [("details", _text("details", MAX_DETAILS, **_LONG)), ("source", _text("source", 120, required=False))],
    "links": [("note", _text("note", MAX_DETAILS, **_LONG))],
    "robustness_ratings": [("reason", _text("reason", MAX_DETAILS, **_LONG))],
    "trajectories": [("title", _text("title", MAX_TITLE))],
    "steps": [("title", _text("title", MAX_TITLE)), ("description", _text("description", MAX_DETAILS, **_LONG))],
    "card_clusters": [("label", _text("group_label", MAX_LABEL))],
}


def _refusal(path: str, error: Invalid) -> ArchiveError:
    return ArchiveError("archive_rule", path=path, rule=error)


class _Checker:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[ArchiveError] = []
        self.cleaned: list[tuple[tuple[Any, ...], str, str]] = []  # (where in data, JSON path, new value)

    def run(self, path: str, rule: Callable[[], Any]) -> Any:
        try:
            return rule()
        except Invalid as exc:
            self.problems.append(_refusal(path, exc))
            return None

    def text(self, keys: tuple[Any, ...], path: str, value: str, cleaner: Callable[[str], str]) -> None:
        cleaned = self.run(path, lambda: cleaner(value))
        if cleaned is not None and cleaned != value:
            self.cleaned.append((keys, path, cleaned))


def _keyed_entries(data: dict[str, Any], collection: str) -> Iterator[tuple[tuple[Any, ...], str, dict[str, Any]]]:
    if collection == "seminar":
        yield ("seminar",), "$.seminar", data["seminar"]
        return
    if collection == "steps":
        for t, trajectory in enumerate(data["trajectories"]):
            for s, step in enumerate(trajectory["steps"]):
                yield ("trajectories", t, "steps", s), f"$.trajectories[{t}].steps[{s}]", step
        return
    for index, (path, entry) in enumerate(entries(data, collection)):
        yield (collection, index), path, entry


def check_rules(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Apply the services' rules to an archive that passed the schema and reference checks.

    Returns the archive to import (a cleaned copy when a text had to be cleaned, else
    ``data`` itself) and the JSON paths of the cleaned texts. Raises an ``ArchiveError``
    naming the first broken rule and counting the others.
    """
    c = _Checker(data)
    for collection, fields in TEXTS.items():
        for keys, path, entry in _keyed_entries(data, collection):
            for field, cleaner in fields:
                c.text((*keys, field), f"{path}.{field}", entry[field], cleaner)

    kinds = {card["id"]: CardKind(card["kind"]) for card in data["cards"]}
    for index, card in enumerate(data["cards"]):
        path = f"$.cards[{index}].text"
        c.text(("cards", index, "text"), path, card["text"], lambda v, k=kinds[card["id"]]: clean_card_text(k, v))
    for index, step in enumerate(data["moderation_steps"]):
        if step["action"] == "edit" and step["card_ids"] and step["card_ids"][0] in kinds:
            kind = kinds[step["card_ids"][0]]
            for when in ("before", "after"):
                texts = step["payload"].get(when)
                if not isinstance(texts, dict):
                    continue
                where = f"$.moderation_steps[{index}].payload.{when}"
                keys = ("moderation_steps", index, "payload", when)
                if isinstance(texts.get("text"), str):
                    c.text((*keys, "text"), f"{where}.text", texts["text"], lambda v, k=kind: clean_card_text(k, v))
                if isinstance(texts.get("details"), str):
                    c.text((*keys, "details"), f"{where}.details", texts["details"],
                           _text("details", MAX_DETAILS, **_LONG))

    c.run("$.seminar.join_code", lambda: check_join_code(data["seminar"]["join_code"]))
    c.run("$.seminar.screen", lambda: check_stored_screen(data["seminar"].get("screen")))
    for field in ("expected_attendance", "max_participants"):
        c.run(f"$.seminar.{field}", lambda f=field: check_attendance_number(data["seminar"].get(f)))
    _check_themes(c, data)
    _check_groups(c, data)
    _check_merges(c, data, kinds)
    _check_merge_steps(c, data)
    _check_merged_away(c, data)
    activities = _check_activities(c, data)
    _check_votes(c, data, activities, kinds)
    _check_links_and_trajectories(c, data, kinds)

    if c.problems:
        first = c.problems[0]
        raise ArchiveError(first.code, others=len(c.problems) - 1, **first.params)
    if not c.cleaned:
        return data, []
    out = copy.deepcopy(data)
    for keys, _path, value in c.cleaned:
        node = out
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    return out, [path for _keys, path, _value in c.cleaned]


def _check_themes(c: _Checker, data: dict[str, Any]) -> None:
    """Themes come from a kit: the kit loader's rules for a key and a colour (``ThemeSpec``)."""
    examples = {"key": "eau-biodiversite", "color": ThemeSpec.model_fields["color"].default}
    for index, theme in enumerate(data["themes"]):
        try:
            ThemeSpec(key=theme["key"], label=theme["label"] or "?", color=theme["color"])
        except ValidationError as exc:
            field = next((str(e["loc"][0]) for e in exc.errors() if e["loc"] and e["loc"][0] in examples), None)
            if field is not None:
                c.problems.append(ArchiveError("archive_bad_format", path=f"$.themes[{index}].{field}",
                                               value=show(theme[field]), example=examples[field]))


def _check_groups(c: _Checker, data: dict[str, Any]) -> None:
    seen: set[str] = set()
    for index, group in enumerate(data["groups"]):
        key = name_key(group["name"])
        if key in seen:  # "Table 1" and "TABLE 1", or two names told apart only by invisible characters
            c.problems.append(_refusal(f"$.groups[{index}].name", Invalid("duplicate_group_name")))
        seen.add(key)


def _check_merges(c: _Checker, data: dict[str, Any], kinds: dict[int, CardKind]) -> None:
    for index, card in enumerate(data["cards"]):
        if card["merged_into_id"] is not None:
            c.run(f"$.cards[{index}].merged_into_id",
                  lambda card=card: check_merge_kinds(kinds[card["merged_into_id"]], kinds[card["id"]]))


def _check_merge_steps(c: _Checker, data: dict[str, Any]) -> None:
    """What the app writes: a card is merged into another only by a merge of the moderation
    history, not undone, that names it (the step « Séparer » and « Annuler » undo); and such a
    merge names only cards still merged into its kept card, each by that one merge. A card
    merged without its step would leave the wall, the console and the report with no way back."""
    into = {card["id"]: card["merged_into_id"] for card in data["cards"]}
    named: set[int] = set()
    for index, step in enumerate(data["moderation_steps"]):
        if step["action"] != "merge" or step["undone_at"] is not None or not step["card_ids"]:
            continue
        keep = step["card_ids"][0]
        for i, card_id in enumerate(step["payload"]["merged"]):
            if into.get(card_id) != keep or card_id in named:
                c.problems.append(ArchiveError("archive_merge_not_applied",
                                               path=f"$.moderation_steps[{index}].payload.merged[{i}]",
                                               ref=card_id, keep=keep))
            named.add(card_id)
    for index, card in enumerate(data["cards"]):
        if card["merged_into_id"] is not None and card["id"] not in named:
            c.problems.append(ArchiveError("archive_merge_without_step", path=f"$.cards[{index}].merged_into_id"))


def _check_merged_away(c: _Checker, data: dict[str, Any]) -> None:
    """A merge moves a card's dots, links and places in trajectories to the kept card (a split
    moves them back): a card still merged holds none of them."""
    into = {card["id"]: card["merged_into_id"] for card in data["cards"]}

    def on(path: str, card_id: int) -> None:
        c.run(path, lambda: check_not_merged(card_id, into[card_id]))

    for index, vote in enumerate(data["dot_votes"]):
        on(f"$.dot_votes[{index}].card_id", vote["card_id"])
    for index, link in enumerate(data["links"]):
        on(f"$.links[{index}].source_id", link["source_id"])
        on(f"$.links[{index}].target_id", link["target_id"])
    for t, trajectory in enumerate(data["trajectories"]):
        on(f"$.trajectories[{t}].target_card_id", trajectory["target_card_id"])
        for s, step in enumerate(trajectory["steps"]):
            for i, card_id in enumerate(step["card_ids"]):
                on(f"$.trajectories[{t}].steps[{s}].card_ids[{i}]", card_id)


def _check_activities(c: _Checker, data: dict[str, Any]) -> dict[int, dict[str, Any]]:
    activities: dict[int, dict[str, Any]] = {}
    open_titles: list[str] = []
    for index, activity in enumerate(data["activities"]):
        path = f"$.activities[{index}]"
        activities[activity["id"]] = activity
        c.run(f"{path}.planned_minutes", lambda a=activity: check_minutes(a["planned_minutes"]))
        c.run(f"{path}.extended_minutes",
              lambda a=activity: check_duration(a["planned_minutes"], a["extended_minutes"]))
        # the services give every dot vote a budget (the run sheet's, or the default when added
        # from the console) and no other activity one: a tablet could not vote without it
        if activity["interaction"] == Interaction.DOT_VOTE.value:
            c.run(f"{path}.vote_budget", lambda a=activity: check_vote_limits(a["vote_budget"], a["vote_max_per_card"]))
        elif activity["vote_budget"] is not None or activity["vote_max_per_card"] is not None:
            field = "vote_budget" if activity["vote_budget"] is not None else "vote_max_per_card"
            c.problems.append(_refusal(f"{path}.{field}", Invalid("not_a_vote", title=activity["title"])))
        if activity["paused_at"] is not None:
            c.run(f"{path}.paused_at", lambda a=activity: check_pausable(a["state"], a["title"]))
        if activity["state"] == "open":
            open_titles.append(activity["title"])
            if len(open_titles) == 2:  # said once, at the second one
                c.run(f"{path}.state", lambda: check_one_open(open_titles))
    return activities


def _activity_for(c: _Checker, path: str, activity: dict[str, Any], interaction: Interaction, code: str) -> bool:
    if activity["interaction"] == interaction.value:
        return True
    c.problems.append(_refusal(f"{path}.activity_id", Invalid(code, title=activity["title"])))
    return False


def _check_votes(c: _Checker, data: dict[str, Any], activities: dict[int, dict[str, Any]],
                 kinds: dict[int, CardKind]) -> None:
    # Cards merged into each card (directly or through a chain): a merge adds up dots.
    merged_into = {card["id"]: card["merged_into_id"] for card in data["cards"]}
    absorbed: dict[int, int] = defaultdict(int)
    for card_id in merged_into:
        current, seen = merged_into[card_id], {card_id}
        while current is not None and current not in seen:
            absorbed[current] += 1
            seen.add(current)
            current = merged_into.get(current)

    totals: dict[tuple[int, int], int] = defaultdict(int)
    last_path: dict[tuple[int, int], str] = {}
    for index, vote in enumerate(data["dot_votes"]):
        path = f"$.dot_votes[{index}]"
        activity = activities[vote["activity_id"]]
        if not _activity_for(c, path, activity, Interaction.DOT_VOTE, "not_a_vote"):
            continue
        c.run(f"{path}.card_id", lambda: check_kind_expected(activity["card_kinds"], kinds[vote["card_id"]]))
        c.run(f"{path}.dots", lambda: check_dots_on_card(vote["dots"], activity["vote_max_per_card"],
                                                         merged_cards=absorbed[vote["card_id"]]))
        key = (vote["activity_id"], vote["participant_id"])
        totals[key] += vote["dots"]
        last_path[key] = path
    names = {p["id"]: p["display_name"] for p in data["participants"]}
    for (activity_id, participant_id), total in totals.items():
        activity = activities[activity_id]
        budget = activity["vote_budget"] or 0  # as the ballot counts it: no budget, no dots
        if total > budget:
            c.problems.append(ArchiveError(
                "archive_over_budget", path=last_path[(activity_id, participant_id)], participant=names[participant_id],
                count=total, budget=budget, title=activity["title"]))

    for index, rating in enumerate(data["ratings"]):
        path = f"$.ratings[{index}]"
        activity = activities[rating["activity_id"]]
        if not _activity_for(c, path, activity, Interaction.RATE, "archive_not_rating"):
            continue
        if rating["criterion"] not in activity["criteria"]:
            c.problems.append(_refusal(f"{path}.criterion",
                                       Invalid("unknown_criterion", criterion=str(rating["criterion"])[:40])))
        c.run(f"{path}.card_id", lambda: check_kind_expected(activity["card_kinds"], kinds[rating["card_id"]]))

    for index, row in enumerate(data["robustness_ratings"]):
        path = f"$.robustness_ratings[{index}]"
        activity = activities[row["activity_id"]]
        if not _activity_for(c, path, activity, Interaction.ROBUSTNESS, "archive_not_robustness"):
            continue
        c.run(path, lambda: check_robustness_pair(kinds[row["challenge_id"]], kinds[row["action_id"]],
                                                  activity["card_kinds"]))


def _check_links_and_trajectories(c: _Checker, data: dict[str, Any], kinds: dict[int, CardKind]) -> None:
    for index, link in enumerate(data["links"]):
        c.run(f"$.links[{index}]", lambda: check_link_kinds(Relation(link["relation"]), kinds[link["source_id"]],
                                                            kinds[link["target_id"]]))
    horizon = data["seminar"]["horizon_year"]
    for t, trajectory in enumerate(data["trajectories"]):
        c.run(f"$.trajectories[{t}].target_card_id", lambda: check_target(kinds[trajectory["target_card_id"]]))
        drawn = parse_datetime(trajectory["created_at"]).year  # check_references made sure it parses
        for s, step in enumerate(trajectory["steps"]):
            c.run(f"$.trajectories[{t}].steps[{s}].year", lambda: check_step_year(step["year"], drawn, horizon))
            for i, card_id in enumerate(step["card_ids"]):
                c.run(f"$.trajectories[{t}].steps[{s}].card_ids[{i}]", lambda: check_step_cards([kinds[card_id]]))
