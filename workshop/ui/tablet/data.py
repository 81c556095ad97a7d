"""What a tablet loads: the cards an activity shows, the participant's own answers, the kit.

Everything here is a plain read; the page runs it off the event loop or, when handling a
live event, through ``hub.shared`` so the 150 tablets reacting to one event share one query.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from workshop.content import ContentError, Kit, default_kit, find_kit
from workshop.models import Activity, ActivityState, Card, CardKind, Interaction
from workshop.services import cards as card_service
from workshop.services import tablet_queries, trajectories, votes
from workshop.ui.common import db

KIND_ORDER = [k.value for k in CardKind]
STEP_KIND_VALUES = tuple(k.value for k in CardKind if k in trajectories.STEP_KINDS)

# Interactions whose panel is built from the wall's cards (the rest need none).
WRITING = (Interaction.CONTRIBUTE, Interaction.WORD)


def signature(activity: Activity | None) -> tuple | None:
    """What a tablet's panel depends on: a change of anything else (notes, extension) is ignored."""
    if activity is None:
        return None
    return (activity.id, activity.state.value, activity.paused_at is not None, activity.contributions_open,
            activity.votes_open, activity.interaction.value, tuple(activity.card_kinds or ()),
            activity.vote_budget, activity.vote_max_per_card, tuple(activity.criteria or ()), activity.title,
            activity.participant_instructions, activity.mode.value)


def is_live(activity: Activity | None) -> bool:
    return activity is not None and activity.state is ActivityState.OPEN and activity.paused_at is None


def needs_cards(activity: Activity | None) -> bool:
    return activity is not None and activity.interaction not in WRITING


def wall_kinds(activity: Activity) -> tuple[str, ...]:
    """The kinds of card the panel lists (empty = every kind, for plenary read-outs).

    A trajectory is built for a stake or a challenge (the activity's kinds) with resources
    and actions: its panel lists those too.
    """
    kinds = tuple(activity.card_kinds or ())
    if activity.interaction is Interaction.TRAJECTORY and kinds:
        kinds += tuple(k for k in STEP_KIND_VALUES if k not in kinds)
    return kinds


def load_cards(seminar_id: int, kinds: tuple[str, ...]) -> list[Card]:
    return card_service.list_cards(db(), seminar_id, kinds=[CardKind(k) for k in kinds] or None)


@dataclass
class Personal:
    """The participant's own state for the open activity."""

    own: list[Card] = field(default_factory=list)
    ballot: votes.Ballot | None = None
    ratings: dict[tuple[int, str], int] = field(default_factory=dict)
    robustness: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    trajectories: list = field(default_factory=list)  # every trajectory of the seminar (panel filters)


def load_personal(token: str, activity: Activity | None) -> Personal:
    personal = Personal(own=card_service.own_cards(db(), token))
    if activity is None:
        return personal
    if activity.interaction is Interaction.DOT_VOTE:
        personal.ballot = votes.ballot(db(), token, activity.id)
    elif activity.interaction is Interaction.RATE:
        personal.ratings = tablet_queries.my_ratings(db(), token, activity.id)
    elif activity.interaction is Interaction.ROBUSTNESS:
        personal.robustness = tablet_queries.my_robustness(db(), token, activity.id)
    elif activity.interaction is Interaction.TRAJECTORY:
        personal.trajectories = trajectories.list_trajectories(db(), activity.seminar_id)
    return personal


def kit_for(kit_name: str) -> Kit:
    try:
        return find_kit(kit_name)
    except ContentError:
        return default_kit()


@dataclass(frozen=True)
class Prompt:
    text: str
    details: str
    theme: str | None
    source: str
    deck: str


def prompts_for(kit: Kit, kind: str) -> list[Prompt]:
    """The kit's prompt cards ("amorces") of one kind, deck by deck."""
    out = []
    for deck in kit.decks:
        if deck.purpose != "prompt":
            continue
        for card in deck.cards:
            if card.kind.value == kind:
                out.append(Prompt(card.text, card.details, card.theme, (card.source or deck.label)[:120], deck.label))
    return out


@dataclass
class Draft:
    """A card being written; kept across panel rebuilds (a pause must not lose what was typed)."""

    kind: str
    text: str = ""
    details: str = ""
    theme: str | None = None
    source: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def sent(self) -> None:
        """After the service committed: a fresh card with a fresh request id. The kind stays (one
        often writes several stakes in a row); the theme does not: each card gets its own, chosen
        on purpose (a threat once went under the previous card's theme unnoticed)."""
        self.text = ""
        self.details = ""
        self.source = ""
        self.theme = None
        self.request_id = uuid.uuid4().hex
