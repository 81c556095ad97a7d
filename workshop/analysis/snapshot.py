"""A plain, frozen copy of what the graph analyses read: cards, accepted links, trajectories.

The analyses and figures never touch the database: they work on a ``Snapshot`` (plain
dataclasses), so they are easy to test with hand-made graphs, cheap to recompute and safe
to hand to another thread. ``load_snapshot`` builds one from a seminar through the
ordinary services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from workshop.models import CardKind, Relation

#: Kinds that can take part in a link (see ``services.links.RULES``): the only ones a graph shows.
GRAPH_KINDS: frozenset[CardKind] = frozenset({
    CardKind.STAKE, CardKind.THREAT, CardKind.RESOURCE, CardKind.CHALLENGE,
    CardKind.CURRENT_ACTION, CardKind.ACTION_LEAD, CardKind.TREND,
})

#: Rating criteria the threat analysis reads (keys of the kit's ``criteria``).
LIKELIHOOD = "likelihood"
IMPACT = "impact"


def _frozen_map(value: Mapping | None) -> Mapping:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class CardData:
    """One card as the analyses see it.

    ``votes`` is the total of dots it received (all dot votes of the seminar);
    ``ratings`` the mean 1-5 rating per criterion (``{"likelihood": 3.5, "impact": 4.0}``).
    """

    id: int
    kind: CardKind
    text: str
    theme: str | None = None
    votes: int = 0
    ratings: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", CardKind(self.kind))
        object.__setattr__(self, "ratings", _frozen_map(self.ratings))


@dataclass(frozen=True)
class LinkData:
    """An accepted link ``source -> target``; a link without a weight counts as weight 1."""

    source: int
    target: int
    relation: Relation
    weight: int = 1
    id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "relation", Relation(self.relation))
        object.__setattr__(self, "weight", 1 if self.weight is None else int(self.weight))


@dataclass(frozen=True)
class StepData:
    year: int
    title: str
    description: str = ""
    card_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "card_ids", tuple(self.card_ids))


@dataclass(frozen=True)
class TrajectoryData:
    id: int
    title: str
    target_id: int
    steps: tuple[StepData, ...] = ()

    def __post_init__(self) -> None:
        steps = sorted(self.steps, key=lambda s: s.year)  # stable: same-year steps keep their order
        object.__setattr__(self, "steps", tuple(steps))


@dataclass(frozen=True)
class Snapshot:
    """Everything the graph analyses and figures need, as plain data.

    Cards are kept in id order; links in (source, target, relation) order; links whose
    ends are not among the cards are dropped by ``build_graph``.
    """

    cards: tuple[CardData, ...]
    links: tuple[LinkData, ...] = ()
    trajectories: tuple[TrajectoryData, ...] = ()
    horizon_year: int | None = None
    title: str = ""
    seminar_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "cards", tuple(sorted(self.cards, key=lambda c: c.id)))
        object.__setattr__(self, "links", tuple(sorted(
            self.links, key=lambda l: (l.source, l.target, l.relation.value))))
        object.__setattr__(self, "trajectories", tuple(sorted(self.trajectories, key=lambda t: t.id)))

    def card(self, card_id: int) -> CardData:
        return self.by_id[card_id]

    @cached_property
    def by_id(self) -> Mapping[int, CardData]:
        return MappingProxyType({c.id: c for c in self.cards})


def load_snapshot(db, seminar_id: int) -> Snapshot:
    """Read a seminar's graph through the services: visible cards of linkable kinds,
    accepted links whose two ends are visible, dots, mean ratings and trajectories."""
    from workshop.services import cards as cards_service
    from workshop.services import links as links_service
    from workshop.services import seminars, trajectories, votes

    seminar = seminars.get_seminar_by_id(db, seminar_id)
    theme_keys = {theme.id: theme.key for theme in seminar.themes}
    dots = {t.card_id: t.dots for t in votes.tally(db, seminar_id)}
    ratings = votes.mean_ratings(db, seminar_id)
    visible = [c for c in cards_service.list_cards(db, seminar_id, kinds=sorted(GRAPH_KINDS, key=lambda k: k.value))
               if c.visible]
    card_data = tuple(CardData(id=c.id, kind=c.kind, text=c.text, theme=theme_keys.get(c.theme_id),
                               votes=dots.get(c.id, 0), ratings=ratings.get(c.id, {})) for c in visible)
    ids = {c.id for c in card_data}
    link_data = tuple(LinkData(source=l.source_id, target=l.target_id, relation=l.relation, weight=l.weight,
                               id=l.id)
                      for l in links_service.list_links(db, seminar_id)
                      if l.source_id in ids and l.target_id in ids)
    trajectory_data = tuple(
        TrajectoryData(id=t.id, title=t.title, target_id=t.target_card_id,
                       steps=tuple(StepData(year=s.year, title=s.title, description=s.description,
                                            card_ids=tuple(s.card_ids or ())) for s in t.steps))
        for t in trajectories.list_trajectories(db, seminar_id))
    return Snapshot(cards=card_data, links=link_data, trajectories=trajectory_data,
                    horizon_year=seminar.horizon_year, title=seminar.title, seminar_id=seminar_id)
