"""Sorting the wall live: duplicate suggestions (merge or dismiss) and theme groups.

Suggestions are computed, never stored: from the live, visible cards and the pairs the
facilitator dismissed (stored, so a dismissal survives a reload and travels in archives).
Theme groups are proposed by ``workshop.dedup.themes`` and stored once the facilitator
accepts them; then they can be renamed, cards moved between them, and the wall projected
grouped (``screen`` view "clusters"). Everything runs on this machine, on the seminar's own
cards (with French word vectors read from an installed package): nothing is sent anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from workshop.db import Database
from workshop.dedup.duplicates import CardText, Suggestion, pair_key, suggest
from workshop.dedup.themes import ProposedGroup, propose
from workshop.errors import Invalid
from workshop.models import Card, CardCluster, CardClusterMember, CardKind, DismissedDuplicate
from workshop.services._common import clean_text, get, get_card, get_seminar, publish

#: Kinds never suggested as duplicates: one-word answers are counted by the word cloud instead.
NOT_COMPARED = (CardKind.WORD,)
MAX_LABEL = 80


def _kind(kind: CardKind | str) -> CardKind:
    try:
        return CardKind(kind)
    except ValueError:
        raise Invalid("unknown_kind", kind=str(kind)[:40]) from None


def _wall(db: Database, seminar_id: int, kind: CardKind | None = None) -> list[Card]:
    """The cards on the wall (visible: not hidden, withdrawn or merged), oldest first."""
    with db.read() as session:
        get_seminar(session, seminar_id)
        query = select(Card).where(Card.seminar_id == seminar_id, Card.hidden.is_(False),
                                   Card.withdrawn.is_(False), Card.merged_into_id.is_(None))
        query = query.where(Card.kind == kind) if kind is not None else query.where(Card.kind.not_in(NOT_COMPARED))
        return list(session.scalars(query.order_by(Card.created_at, Card.id)))


# --- duplicates ---------------------------------------------------------------------------


def dismissed_pairs(db: Database, seminar_id: int) -> set[tuple[int, int]]:
    with db.read() as session:
        rows = session.execute(select(DismissedDuplicate.card_a_id, DismissedDuplicate.card_b_id)
                               .where(DismissedDuplicate.seminar_id == seminar_id))
        return {(a, b) for a, b in rows}


def duplicate_suggestions(db: Database, seminar_id: int) -> list[Suggestion]:
    """Groups of visible cards that probably say the same thing, best first (CPU: call off the event loop)."""
    wall = _wall(db, seminar_id)
    dismissed = dismissed_pairs(db, seminar_id)
    return suggest([CardText(c.id, c.kind.value, c.text) for c in wall], dismissed=dismissed)


def dismiss_duplicates(db: Database, seminar_id: int, card_ids: list[int]) -> int:
    """The facilitator says these cards are not duplicates: none of their pairs is suggested again.

    Returns how many pairs were newly remembered.
    """
    ids = sorted({int(i) for i in card_ids})
    if len(ids) < 2:
        raise Invalid("dismiss_needs_two_cards")
    with db.write() as session:
        for card_id in ids:
            get_card(session, seminar_id, card_id, usable=False)
        known = {(a, b) for a, b in session.execute(select(DismissedDuplicate.card_a_id, DismissedDuplicate.card_b_id)
                                                    .where(DismissedDuplicate.card_a_id.in_(ids),
                                                           DismissedDuplicate.card_b_id.in_(ids)))}
        new = [pair_key(a, b) for n, a in enumerate(ids) for b in ids[n + 1:] if pair_key(a, b) not in known]
        session.add_all([DismissedDuplicate(seminar_id=seminar_id, card_a_id=a, card_b_id=b) for a, b in new])
    publish(seminar_id, "dedup.changed", dismissed=ids)
    return len(new)


def dismissed_count(db: Database, seminar_id: int) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(DismissedDuplicate)
                              .where(DismissedDuplicate.seminar_id == seminar_id)) or 0


def restore_dismissed(db: Database, seminar_id: int) -> int:
    """Forget every dismissal of the seminar (its suggestions come back); returns how many pairs."""
    with db.write() as session:
        get_seminar(session, seminar_id)
        count = session.execute(delete(DismissedDuplicate).where(
            DismissedDuplicate.seminar_id == seminar_id)).rowcount or 0
    publish(seminar_id, "dedup.changed", restored=count)
    return count


# --- theme groups -------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeGroup:
    id: int | None         # None: the cards of the kind in no group ("not grouped")
    label: str
    card_ids: tuple[int, ...]


def propose_theme_groups(db: Database, seminar_id: int, kind: CardKind | str) -> list[ProposedGroup]:
    """A proposed grouping of the wall's cards of one kind (not stored; CPU: call off the event loop)."""
    wall = _wall(db, seminar_id, _kind(kind))
    return propose([c.id for c in wall], [c.text for c in wall])


def _label(label: str) -> str:
    return clean_text(label, field="group_label", max_length=MAX_LABEL)


def accept_theme_groups(db: Database, seminar_id: int, kind: CardKind | str,
                        groups: list[tuple[str, list[int]]]) -> None:
    """Store a grouping of one kind (replacing the previous one). Unlabelled groups are left out:
    their cards stay "not grouped"."""
    kind = _kind(kind)
    with db.write() as session:
        get_seminar(session, seminar_id)
        session.execute(delete(CardCluster).where(CardCluster.seminar_id == seminar_id, CardCluster.kind == kind))
        session.flush()
        seen: set[int] = set()
        for position, (label, card_ids) in enumerate(groups):
            if not (label or "").strip():
                continue
            cluster = CardCluster(seminar_id=seminar_id, kind=kind, label=_label(label), position=position)
            session.add(cluster)
            for card_id in card_ids:
                card = get_card(session, seminar_id, card_id, usable=False)
                if card.kind is not kind:
                    raise Invalid("cluster_wrong_kind", kind=kind.value)
                if card.id not in seen:
                    seen.add(card.id)
                    cluster.members.append(CardClusterMember(card_id=card.id))
    publish(seminar_id, "cluster.changed", kind=kind.value)


def theme_groups(db: Database, seminar_id: int, kind: CardKind | str) -> list[ThemeGroup]:
    """The accepted groups of one kind with their visible cards (oldest first), then the cards
    in no group (``id`` None); empty when nothing was accepted for that kind."""
    kind = _kind(kind)
    wall = _wall(db, seminar_id, kind)
    with db.read() as session:
        clusters = list(session.scalars(select(CardCluster).where(
            CardCluster.seminar_id == seminar_id, CardCluster.kind == kind).order_by(CardCluster.position,
                                                                                    CardCluster.id)))
        if not clusters:
            return []
        member_of = {card_id: cluster_id for card_id, cluster_id in session.execute(
            select(CardClusterMember.card_id, CardClusterMember.cluster_id).where(
                CardClusterMember.cluster_id.in_([c.id for c in clusters])))}
    out = [ThemeGroup(c.id, c.label, tuple(card.id for card in wall if member_of.get(card.id) == c.id))
           for c in clusters]
    loose = tuple(card.id for card in wall if card.id not in member_of)
    return out + [ThemeGroup(None, "", loose)]


def grouped_kinds(db: Database, seminar_id: int) -> list[str]:
    with db.read() as session:
        return sorted({k.value for k in session.scalars(select(CardCluster.kind).where(
            CardCluster.seminar_id == seminar_id))})


def _cluster(session, seminar_id: int, cluster_id: int) -> CardCluster:
    return get(session, CardCluster, cluster_id, seminar_id=seminar_id, what="card_cluster")


def rename_theme_group(db: Database, seminar_id: int, cluster_id: int, label: str) -> None:
    label = _label(label)
    with db.write() as session:
        cluster = _cluster(session, seminar_id, cluster_id)
        cluster.label = label
        kind = cluster.kind.value
    publish(seminar_id, "cluster.changed", kind=kind)


def move_to_theme_group(db: Database, seminar_id: int, card_id: int, cluster_id: int | None) -> None:
    """Put a card under another group of its kind (``None``: in no group)."""
    with db.write() as session:
        card = get_card(session, seminar_id, card_id)
        target = _cluster(session, seminar_id, cluster_id) if cluster_id is not None else None
        if target is not None and target.kind is not card.kind:
            raise Invalid("cluster_wrong_kind", kind=target.kind.value)
        session.execute(delete(CardClusterMember).where(CardClusterMember.card_id == card.id))
        if target is not None:
            session.add(CardClusterMember(cluster_id=target.id, card_id=card.id))
        kind = card.kind.value
    publish(seminar_id, "cluster.changed", kind=kind, card_id=card_id)


def clear_theme_groups(db: Database, seminar_id: int, kind: CardKind | str) -> None:
    kind = _kind(kind)
    with db.write() as session:
        get_seminar(session, seminar_id)
        session.execute(delete(CardCluster).where(CardCluster.seminar_id == seminar_id, CardCluster.kind == kind))
    publish(seminar_id, "cluster.changed", kind=kind.value)
