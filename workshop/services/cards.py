"""Cards: participants contribute, edit and withdraw their own; facilitators moderate.

Every moderation step (edit, hide, re-theme, merge) is recorded with what it changed, so
the console can show the history and undo a step. A merge moves the votes, ratings and
links of the merged cards onto the kept card; undoing it ("split") puts them back.
Nothing is ever deleted by moderation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workshop import clock
from workshop.db import Database
from workshop.errors import Forbidden, Invalid, NotFound
from workshop.models import (
    Activity,
    Card,
    CardKind,
    DotVote,
    Interaction,
    Link,
    ModerationStep,
    Rating,
    RobustnessRating,
    Theme,
    Trajectory,
    TrajectoryStep,
)
from workshop.models.limits import card_text_limit
from workshop.services import participants, ratelimit
from workshop.services._common import (
    MAX_DETAILS,
    MAX_REQUEST_ID,
    clean_text,
    get_activity,
    get_card,
    lock_participant,
    participant_by_token,
    publish,
    require_open,
)

CONTRIBUTING = (Interaction.CONTRIBUTE, Interaction.WORD)
MAX_SOURCE = 120  # where a card's text comes from (a kit's prompt card, its deck)


def _theme_id(session: Session, seminar_id: int, theme_key: str | None) -> int | None:
    if not theme_key:
        return None
    theme = session.scalar(select(Theme).where(Theme.seminar_id == seminar_id, Theme.key == theme_key))
    if theme is None:
        raise Invalid("unknown_theme", theme=theme_key)
    return theme.id


def card_text_multiline(kind: CardKind | str) -> bool:
    """An article keeps its line breaks (title, date, paragraphs); other cards are one line."""
    return CardKind(kind) is CardKind.VISION_ARTICLE


HEADLINE = 200  # an article's first line up to this long is its headline


def article_parts(text: str) -> tuple[str, str]:
    """An article from the future as (headline, body): its first line when more lines follow and
    it is short enough to be a headline; else no headline and the whole text as its body (a short
    one-line article, as the kit's, is all headline)."""
    text = (text or "").strip()
    first, _, rest = text.partition("\n")
    if rest.strip() and len(first.strip()) <= HEADLINE:
        return first.strip(), rest.strip()
    if len(text) <= HEADLINE:
        return text, ""
    return "", text


def clean_card_text(kind: CardKind, text: str) -> str:
    """A card's text as stored: cleaned, within its kind's limit, a word card three words at most."""
    field = "word" if kind is CardKind.WORD else "text"
    cleaned = clean_text(text, field=field, max_length=card_text_limit(kind), required=False,
                         multiline=card_text_multiline(kind))
    if not cleaned:
        # Said in the participant's words ("Écrivez votre menace…"), not as a form's field name.
        raise Invalid("card_text_required", kind=kind.value)
    if kind is CardKind.WORD and len(cleaned.split()) > 3:
        raise Invalid("one_word_only")
    return cleaned


def contribute(
    db: Database,
    device_token: str,
    activity_id: int,
    *,
    kind: CardKind | str,
    text: str,
    details: str = "",
    theme: str | None = None,
    source: str = "",
    request_id: str | None = None,
) -> Card:
    """A participant adds a card to the open activity; a retried request returns the same card."""
    ratelimit.check_device(device_token)
    try:
        kind = CardKind(kind)
    except ValueError:
        raise Invalid("unknown_kind", kind=str(kind)) from None
    text = clean_card_text(kind, text)
    details = clean_text(details, field="details", max_length=MAX_DETAILS, required=False, multiline=True)
    source = clean_text(source, field="source", max_length=MAX_SOURCE, required=False)
    if request_id is not None and (not request_id or len(request_id) > MAX_REQUEST_ID):
        raise Invalid("bad_request_id")
    with db.write() as session:
        participant = participant_by_token(session, device_token)
        seminar_id = participant.seminar_id
        if request_id:
            lock_participant(session, participant)
            existing = session.scalar(select(Card).where(Card.author_id == participant.id,
                                                         Card.request_id == request_id))
            if existing is not None:
                return existing
        activity = get_activity(session, seminar_id, activity_id)
        require_open(activity)
        if activity.interaction not in CONTRIBUTING or not activity.contributions_open:
            raise Invalid("contributions_closed", title=activity.title)
        if kind.value not in activity.card_kinds:
            raise Invalid("kind_not_expected", kind=kind.value)
        card = Card(seminar_id=seminar_id, activity_id=activity.id, kind=kind, text=text, details=details,
                    theme_id=_theme_id(session, seminar_id, theme), author_id=participant.id,
                    group_id=participant.group_id, source=source, request_id=request_id)
        session.add(card)
        session.flush()
    publish(seminar_id, "card.created", card_id=card.id, kind=kind.value)
    return card


def add_card(
    db: Database, seminar_id: int, *, kind: CardKind | str, text: str, details: str = "",
    theme: str | None = None, activity_id: int | None = None, source: str = "",
    attributes: dict[str, Any] | None = None,
) -> Card:
    """The facilitator adds a card (from the kit, or written on the console) at any time."""
    try:
        kind = CardKind(kind)
    except ValueError:
        raise Invalid("unknown_kind", kind=str(kind)) from None
    text = clean_card_text(kind, text)
    details = clean_text(details, field="details", max_length=MAX_DETAILS, required=False, multiline=True)
    source = clean_text(source, field="source", max_length=MAX_SOURCE, required=False)  # as contribute()
    with db.write() as session:
        if activity_id is not None:
            get_activity(session, seminar_id, activity_id)
        card = Card(seminar_id=seminar_id, activity_id=activity_id, kind=kind, text=text, details=details,
                    theme_id=_theme_id(session, seminar_id, theme), source=source,
                    attributes=dict(attributes or {}))
        session.add(card)
        session.flush()
    publish(seminar_id, "card.created", card_id=card.id, kind=kind.value)
    return card


def _own_card(session: Session, device_token: str, card_id: int) -> Card:
    participant = participant_by_token(session, device_token)
    card = session.get(Card, card_id)
    if card is None or card.seminar_id != participant.seminar_id:
        raise NotFound("not_found", what="card")
    if card.author_id != participant.id:
        raise Forbidden("not_your_card")
    if card.merged_into_id is not None:
        raise Invalid("card_merged", card=card.id, into=card.merged_into_id)
    if card.activity_id is not None:
        activity = session.get(Activity, card.activity_id)
        require_open(activity)
        if not activity.contributions_open:  # the facilitator froze the wall: no edits behind their back
            raise Invalid("contributions_closed", title=activity.title)
    return card


def edit_own(db: Database, device_token: str, card_id: int, *, text: str, details: str | None = None,
             theme: str | None = None) -> Card:
    ratelimit.check_device(device_token)
    with db.write() as session:
        card = _own_card(session, device_token, card_id)
        if card.withdrawn:
            raise Invalid("card_withdrawn", card=card.id)
        card.text = clean_card_text(card.kind, text)
        if details is not None:
            card.details = clean_text(details, field="details", max_length=MAX_DETAILS, required=False,
                                      multiline=True)
        if theme is not None:
            card.theme_id = _theme_id(session, card.seminar_id, theme)
    publish(card.seminar_id, "card.updated", card_id=card.id)
    return card


def withdraw_own(db: Database, device_token: str, card_id: int) -> None:
    """The author takes a card back; its votes stay in the database but no longer count."""
    ratelimit.check_device(device_token)
    with db.write() as session:
        card = _own_card(session, device_token, card_id)
        card.withdrawn = True
    publish(card.seminar_id, "card.updated", card_id=card.id, withdrawn=True)


def own_cards(db: Database, device_token: str) -> list[Card]:
    with db.read() as session:
        participant = participant_by_token(session, device_token)
        return list(session.scalars(select(Card).where(Card.author_id == participant.id,
                                                       Card.withdrawn.is_(False),
                                                       Card.merged_into_id.is_(None))
                                    .order_by(Card.created_at, Card.id)))


def list_cards(db: Database, seminar_id: int, *, kinds: list[CardKind] | None = None,
               activity_id: int | None = None, include_hidden: bool = False) -> list[Card]:
    """Cards on the wall (visible ones), or all live ones for the facilitator."""
    with db.read() as session:
        query = select(Card).where(Card.seminar_id == seminar_id, Card.withdrawn.is_(False),
                                   Card.merged_into_id.is_(None))
        if not include_hidden:
            query = query.where(Card.hidden.is_(False))
        if kinds:
            query = query.where(Card.kind.in_([CardKind(k) for k in kinds]))
        if activity_id is not None:
            query = query.where(Card.activity_id == activity_id)
        return list(session.scalars(query.order_by(Card.created_at, Card.id)))


# --- moderation ---------------------------------------------------------------------------


def _record(session: Session, seminar_id: int, action: str, card_ids: list[int], payload: dict) -> None:
    session.add(ModerationStep(seminar_id=seminar_id, action=action, card_ids=card_ids, payload=payload))


def moderate_edit(db: Database, seminar_id: int, card_id: int, *, text: str, details: str | None = None) -> None:
    with db.write() as session:
        card = get_card(session, seminar_id, card_id)
        before = {"text": card.text, "details": card.details}
        card.text = clean_card_text(card.kind, text)
        if details is not None:
            card.details = clean_text(details, field="details", max_length=MAX_DETAILS, required=False,
                                      multiline=True)
        _record(session, seminar_id, "edit", [card.id], {"before": before,
                                                        "after": {"text": card.text, "details": card.details}})
    publish(seminar_id, "card.updated", card_id=card_id)


def set_hidden(db: Database, seminar_id: int, card_id: int, hidden: bool) -> None:
    with db.write() as session:
        card = get_card(session, seminar_id, card_id)
        if card.hidden == hidden:
            return
        _record(session, seminar_id, "hide" if hidden else "unhide", [card.id], {"before": card.hidden})
        card.hidden = hidden
    publish(seminar_id, "card.updated", card_id=card_id)


def retheme(db: Database, seminar_id: int, card_id: int, theme: str | None) -> None:
    with db.write() as session:
        card = get_card(session, seminar_id, card_id)
        new_theme = _theme_id(session, seminar_id, theme)
        _record(session, seminar_id, "retheme", [card.id], {"before": card.theme_id, "after": new_theme})
        card.theme_id = new_theme
    publish(seminar_id, "card.updated", card_id=card_id)


def check_merge_kinds(kept: CardKind, merged: CardKind) -> None:
    """Only cards of one kind merge: a threat never becomes part of a stake (archive import uses this)."""
    if merged is not kept:
        raise Invalid("merge_different_kinds")


def merge(db: Database, seminar_id: int, keep_id: int, merged_ids: list[int]) -> None:
    """Merge duplicates into ``keep_id``: their votes, ratings and links move to it."""
    merged_ids = list(dict.fromkeys(merged_ids))
    if not merged_ids or keep_id in merged_ids:
        raise Invalid("merge_needs_other_cards")
    with db.write() as session:
        keep = get_card(session, seminar_id, keep_id)
        payload: dict[str, list] = {"merged": [], "votes": [], "ratings": [], "robustness": [],
                                    "links": [], "trajectories": [], "steps": []}
        for merged_id in merged_ids:
            card = get_card(session, seminar_id, merged_id)
            check_merge_kinds(keep.kind, card.kind)
            _move_onto(session, card, keep, payload)
            card.merged_into_id = keep.id
            payload["merged"].append(card.id)
        _record(session, seminar_id, "merge", [keep.id, *merged_ids], payload)
    publish(seminar_id, "card.merged", card_id=keep_id, merged=merged_ids)


def _move_onto(session: Session, card: Card, keep: Card, payload: dict[str, list]) -> None:
    for vote in session.scalars(select(DotVote).where(DotVote.card_id == card.id)):
        twin = session.scalar(select(DotVote).where(
            DotVote.card_id == keep.id, DotVote.activity_id == vote.activity_id,
            DotVote.participant_id == vote.participant_id))
        entry = {"activity": vote.activity_id, "participant": vote.participant_id, "dots": vote.dots,
                 "from": card.id}
        if twin is None:
            vote.card_id = keep.id
        else:
            twin.dots += vote.dots
            session.delete(vote)
        payload["votes"].append(entry)
        session.flush()
    for rating in session.scalars(select(Rating).where(Rating.card_id == card.id)):
        clash = session.scalar(select(Rating.id).where(
            Rating.card_id == keep.id, Rating.activity_id == rating.activity_id,
            Rating.participant_id == rating.participant_id, Rating.criterion == rating.criterion))
        if clash is None:  # a clashing rating stays on the merged card, restored by a split
            rating.card_id = keep.id
            payload["ratings"].append({"id": rating.id, "from": card.id})
    for robustness in session.scalars(select(RobustnessRating).where(
            or_(RobustnessRating.challenge_id == card.id, RobustnessRating.action_id == card.id))):
        challenge = keep.id if robustness.challenge_id == card.id else robustness.challenge_id
        action = keep.id if robustness.action_id == card.id else robustness.action_id
        clash = session.scalar(select(RobustnessRating.id).where(
            RobustnessRating.activity_id == robustness.activity_id,
            RobustnessRating.participant_id == robustness.participant_id,
            RobustnessRating.challenge_id == challenge, RobustnessRating.action_id == action))
        if clash is None:
            payload["robustness"].append({"id": robustness.id, "challenge": robustness.challenge_id,
                                          "action": robustness.action_id})
            robustness.challenge_id, robustness.action_id = challenge, action
    session.flush()
    for link in session.scalars(select(Link).where(or_(Link.source_id == card.id, Link.target_id == card.id))):
        snapshot = _link_snapshot(link)
        source = keep.id if link.source_id == card.id else link.source_id
        target = keep.id if link.target_id == card.id else link.target_id
        duplicate = session.scalar(select(Link.id).where(Link.source_id == source, Link.target_id == target,
                                                         Link.relation == link.relation))
        if source == target or duplicate is not None:
            payload["links"].append({"deleted": snapshot})
            session.delete(link)
        else:
            payload["links"].append({"moved": link.id, "source": link.source_id, "target": link.target_id})
            link.source_id, link.target_id = source, target
        session.flush()
    for trajectory in session.scalars(select(Trajectory).where(Trajectory.target_card_id == card.id)):
        payload["trajectories"].append({"id": trajectory.id, "target": card.id})
        trajectory.target_card_id = keep.id
    for step in session.scalars(select(TrajectoryStep).join(Trajectory).where(
            Trajectory.seminar_id == card.seminar_id)):
        if card.id in (step.card_ids or []):
            payload["steps"].append({"id": step.id, "card_ids": list(step.card_ids)})
            step.card_ids = list(dict.fromkeys(keep.id if c == card.id else c for c in step.card_ids))


def _link_snapshot(link: Link) -> dict[str, Any]:
    return {"id": link.id, "source": link.source_id, "target": link.target_id, "relation": link.relation.value,
            "weight": link.weight, "note": link.note, "status": link.status.value,
            "proposed_by": link.proposed_by_id, "created_at": link.created_at.isoformat()}


def history(db: Database, seminar_id: int) -> list[ModerationStep]:
    with db.read() as session:
        return list(session.scalars(select(ModerationStep).where(ModerationStep.seminar_id == seminar_id)
                                    .order_by(ModerationStep.id.desc())))


def undo(db: Database, seminar_id: int, step_id: int) -> None:
    """Undo one moderation step, once no later step touches the same cards."""
    with db.write() as session:
        step = session.get(ModerationStep, step_id)
        if step is None or step.seminar_id != seminar_id:
            raise NotFound("not_found", what="moderation_step")
        if step.undone_at is not None:
            raise Invalid("already_undone")
        later = session.scalars(select(ModerationStep).where(
            ModerationStep.seminar_id == seminar_id, ModerationStep.id > step.id,
            ModerationStep.undone_at.is_(None)))
        if any(set(s.card_ids) & set(step.card_ids) or set(_people(s)) & set(_people(step)) for s in later):
            raise Invalid("undo_later_first")
        _UNDO[step.action](session, step)
        step.undone_at = clock.now()
        card_ids = list(step.card_ids)
    if step.action in _PEOPLE_UNDO:
        participants.after_undo(seminar_id, step)
    publish(seminar_id, "card.updated", card_ids=card_ids, undone=step_id)


def _people(step: ModerationStep) -> list[int]:
    """The participants a step removed or merged (``services.participants``); none for card steps."""
    return list((step.payload or {}).get("participants", [])) if step.action in _PEOPLE_UNDO else []


def split(db: Database, seminar_id: int, card_id: int) -> None:
    """Split a merged card back out: undo the merge that absorbed it."""
    with db.read() as session:
        card = get_card(session, seminar_id, card_id, usable=False)
        if card.merged_into_id is None:
            raise Invalid("card_not_merged")
        steps = session.scalars(select(ModerationStep).where(
            ModerationStep.seminar_id == seminar_id, ModerationStep.action == "merge",
            ModerationStep.undone_at.is_(None)).order_by(ModerationStep.id.desc()))
        step = next((s for s in steps if card_id in s.payload.get("merged", [])), None)
        if step is None:
            raise Invalid("card_not_merged")
    undo(db, seminar_id, step.id)


def _undo_edit(session: Session, step: ModerationStep) -> None:
    card = session.get(Card, step.card_ids[0])
    card.text, card.details = step.payload["before"]["text"], step.payload["before"]["details"]


def _undo_hide(session: Session, step: ModerationStep) -> None:
    session.get(Card, step.card_ids[0]).hidden = step.payload["before"]


def _undo_retheme(session: Session, step: ModerationStep) -> None:
    session.get(Card, step.card_ids[0]).theme_id = step.payload["before"]


def _undo_merge(session: Session, step: ModerationStep) -> None:
    keep_id = step.card_ids[0]
    payload = step.payload
    for entry in reversed(payload["steps"]):
        trajectory_step = session.get(TrajectoryStep, entry["id"])
        if trajectory_step is not None:  # removed since the merge: nothing to give back
            trajectory_step.card_ids = entry["card_ids"]
    for entry in payload["trajectories"]:
        session.get(Trajectory, entry["id"]).target_card_id = entry["target"]
    # A link may have been moved by one merged card, then deleted by another (a link between
    # two cards merged together). Re-create deleted links under their old id so the earlier
    # "moved" entry finds them again; if that id was reused since, follow the new one.
    new_ids: dict[int, int] = {}
    for entry in reversed(payload["links"]):
        if "moved" in entry:
            link = session.get(Link, new_ids.get(entry["moved"], entry["moved"]))
            if link is not None and keep_id in (link.source_id, link.target_id):
                link.source_id, link.target_id = entry["source"], entry["target"]
        else:
            snap = entry["deleted"]
            link = Link(
                seminar_id=step.seminar_id, source_id=snap["source"], target_id=snap["target"],
                relation=snap["relation"], weight=snap["weight"], note=snap["note"], status=snap["status"],
                proposed_by_id=snap["proposed_by"], created_at=_parse_dt(snap["created_at"]))
            if session.get(Link, snap["id"]) is None:
                link.id = snap["id"]
            session.add(link)
            session.flush()
            new_ids[snap["id"]] = link.id
        session.flush()
    for entry in payload["robustness"]:
        row = session.get(RobustnessRating, entry["id"])
        if row is not None:
            row.challenge_id, row.action_id = entry["challenge"], entry["action"]
    for entry in payload["ratings"]:
        rating = session.get(Rating, entry["id"])
        if rating is not None:
            rating.card_id = entry["from"]
    session.flush()
    for entry in reversed(payload["votes"]):
        kept = session.scalar(select(DotVote).where(
            DotVote.card_id == keep_id, DotVote.activity_id == entry["activity"],
            DotVote.participant_id == entry["participant"]))
        # Never give back more dots than the kept card still holds: the budget stays intact
        # even if the participant moved dots away after the merge.
        dots = min(entry["dots"], kept.dots if kept else 0)
        if dots <= 0:
            continue
        kept.dots -= dots
        if kept.dots == 0:
            session.delete(kept)
        session.flush()
        session.add(DotVote(activity_id=entry["activity"], participant_id=entry["participant"],
                            card_id=entry["from"], dots=dots))
        session.flush()
    for merged_id in payload["merged"]:
        session.get(Card, merged_id).merged_into_id = None


def _parse_dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


_PEOPLE_UNDO = {"remove_person": participants.undo_removal, "merge_people": participants.undo_merge}
_UNDO = {"edit": _undo_edit, "hide": _undo_hide, "unhide": _undo_hide, "retheme": _undo_retheme,
         "merge": _undo_merge, **_PEOPLE_UNDO}
