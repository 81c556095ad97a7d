"""The report model's shape: the frozen dataclasses ``build_report`` (``workshop.reports.model``)
fills and every format renders — ``SeminarReport`` and its rows (participation, run sheet,
ranked cards, threats, resources, links, trajectories, robustness, notes, graph findings,
photos) — and ``COLLEGES``, the collèges in their order. No personal names: participants
appear by collège and table only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from workshop.analysis import SeminarAnalysis, Snapshot
from workshop.i18n import translate
from workshop.models import College, Verdict


@dataclass(frozen=True)
class CollegeCount:
    college: str  # College value
    label: str
    count: int


@dataclass(frozen=True)
class TableCount:
    name: str
    total: int
    by_college: dict[str, int]


@dataclass(frozen=True)
class Participation:
    total: int
    by_college: tuple[CollegeCount, ...]     # every collège, in the model's order (zeros kept)
    tables: tuple[TableCount, ...]           # every table in order, then "no table" if anyone

    def count(self, college: str) -> int:
        return next((c.count for c in self.by_college if c.college == college), 0)


@dataclass(frozen=True)
class RunStep:
    position: int
    day: int
    title: str
    exercise: str
    interaction: str
    card_kinds: tuple[str, ...]  # what the activity collects, votes on or rates
    mode: str
    state: str                 # pending / open / closed
    planned_minutes: int
    extended_minutes: int
    actual_minutes: float | None  # working time (pauses excluded); None if never started
    started_at: datetime | None   # local time
    ended_at: datetime | None
    notes: str

    @property
    def delta_minutes(self) -> float | None:
        return None if self.actual_minutes is None else round(self.actual_minutes - self.planned_minutes, 1)


@dataclass(frozen=True)
class RankedCard:
    """A card with its dots (all dot votes of the seminar) and their split by collège: the
    collèges with enough voters in each vote (``votes.MIN_VOTERS_SHOWN``), the others together
    in ``undetailed``."""

    rank: int
    card_id: int
    kind: str
    text: str
    details: str
    theme: str
    group: str
    dots: int
    voters: int
    by_college: dict[str, int]
    undetailed: int = 0


@dataclass(frozen=True)
class ThreatRow:
    card_id: int
    text: str
    theme: str
    likelihood: float | None   # mean rating, None if nobody rated it
    impact: float | None
    raters: int                # how many people rated it (either criterion)
    severity: float | None     # likelihood x impact when both are rated (exact: rounded only for display)
    quadrant: str              # major / grave / likely / minor / unrated
    pressure: float            # from the graph analysis (severity x weight over its links)
    weighs_on: tuple[str, ...]
    countered_by: tuple[str, ...]


@dataclass(frozen=True)
class ResourceRow:
    card_id: int
    text: str
    theme: str
    source: str
    supports: tuple[str, ...]
    counters: tuple[str, ...]


@dataclass(frozen=True)
class LinkRow:
    link_id: int
    source_id: int
    source: str
    relation: str
    target_id: int
    target: str
    weight: int | None
    note: str


@dataclass(frozen=True)
class StepRow:
    year: int
    title: str
    description: str
    cards: tuple[str, ...]
    card_ids: tuple[int, ...]


@dataclass(frozen=True)
class TrajectoryRow:
    trajectory_id: int
    title: str
    target_id: int
    target: str
    group: str
    steps: tuple[StepRow, ...]


@dataclass(frozen=True)
class RobustnessRow:
    challenge_id: int
    challenge: str
    action_id: int
    action: str
    score: float               # 0 breaks .. 2 holds, averaged over raters
    holds: int
    bends: int
    breaks: int
    reasons: tuple[str, ...]

    @property
    def raters(self) -> int:
        return self.holds + self.bends + self.breaks

    @property
    def verdict(self) -> str:
        """The verdict the mean points to: breaks below 0.67, holds from 1.34, bends between."""
        if self.score < 2 / 3:
            return Verdict.BREAKS.value
        if self.score >= 4 / 3:
            return Verdict.HOLDS.value
        return Verdict.BENDS.value


@dataclass(frozen=True)
class UnratedPair:
    """A challenge × action pair a robustness test asked about that nobody rated."""

    challenge_id: int
    challenge: str
    action_id: int
    action: str


@dataclass(frozen=True)
class ActivityNote:
    day: int
    title: str
    notes: str


@dataclass(frozen=True)
class GraphFindings:
    """What the graph analyses say, in card texts (see workshop.analysis for the definitions)."""

    system_cards: int
    links_by_relation: tuple[tuple[str, int], ...]
    uncountered_threats: tuple[str, ...]
    unsupported_goals: tuple[str, ...]
    isolated_cards: int
    influence_groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group, most influential first)
    loops: tuple[tuple[str, ...], ...]
    clusters: tuple[tuple[str, int, tuple[str, ...]], ...]      # (main card, size, other cards)
    central: tuple[tuple[str, float], ...]
    exposure: tuple[ExposureRow, ...] = ()                       # stakes and challenges, most exposed first
    influence: tuple[InfluenceRow, ...] = ()                     # MICMAC, most influential (indirectly) first
    micmac_note: str = ""                                         # how the indirect classification settled
    readings: tuple[str, ...] = ()                                # where two analyses seem to disagree, and why
    #: under the loops: how many more the analysis lists (« … et 44 autres »), what a cut list holds
    loops_notes: tuple[str, ...] = ()
    #: every loop the analysis lists (``loops`` shows the first few), for the data files
    loop_rows: tuple[LoopRow, ...] = ()
    #: the sub-systems (clusters) the analysis found beyond those in ``clusters``
    clusters_more: int = 0


@dataclass(frozen=True)
class LoopRow:
    """A loop of the map as the data files hold it: ``card_ids[0] -> card_ids[1] -> … -> card_ids[0]``."""

    loop_id: int                 # its place in the list (1 first), as the console and the report list them
    length: int                  # links
    strength: int                # the weight of its weakest link
    card_ids: tuple[int, ...]


@dataclass(frozen=True)
class ExposureRow:
    """A stake or challenge: how exposed, how supported, how covered (see analysis.GoalBalance)."""

    card_id: int
    kind: str
    text: str
    exposure: float              # sum of severity x weight over the threats weighing on it (exact)
    threats: int
    countered: int
    coverage: float | None       # countered / threats (None when no threat weighs on it)
    support: int


@dataclass(frozen=True)
class InfluenceRow:
    """One card on the MICMAC planes: shares (0-1) and groups, direct and indirect."""

    card_id: int
    kind: str
    text: str
    direct_influence: int
    direct_dependence: int
    direct_influence_share: float
    direct_dependence_share: float
    influence: float
    dependence: float
    direct_group: str
    group: str


@dataclass(frozen=True)
class RoomPhoto:
    """A photo from the room (re-encoded, no metadata) and the activity it belongs to."""

    photo_id: int
    caption: str
    activity_position: int | None   # the run sheet's position (1-based), None if no activity
    activity_title: str
    media_type: str
    width: int
    height: int
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class SeminarReport:
    seminar_id: int
    title: str
    territory: str
    horizon_year: int
    language: str
    kit_name: str
    run_sheet_name: str
    days: tuple[date | None, ...]
    created_on: date
    generated_at: datetime            # local time
    in_progress: bool                 # an activity is open, or some are still to come
    current_activity: str | None
    participation: Participation
    run_sheet: tuple[RunStep, ...]
    words: tuple[tuple[str, int], ...]
    stakes: tuple[RankedCard, ...]          # most dots first; unvoted stakes last (0 dots)
    threats: tuple[ThreatRow, ...]          # highest severity first, unrated last
    resources: tuple[ResourceRow, ...]
    challenges: tuple[RankedCard, ...]
    current_actions: tuple[RankedCard, ...]
    action_leads: tuple[RankedCard, ...]
    articles: tuple[RankedCard, ...]
    trends: tuple[RankedCard, ...]
    links: tuple[LinkRow, ...]
    trajectories: tuple[TrajectoryRow, ...]
    robustness: tuple[RobustnessRow, ...]
    notes: tuple[ActivityNote, ...]
    lessons_learned: str
    findings: GraphFindings
    cards: tuple[RankedCard, ...]           # every card on the wall, by kind then rank
    votes_by_college: tuple[tuple[int, str, int, int], ...]  # (card id, collège or UNDETAILED_CODE, dots, voters)
    ratings: tuple[tuple[int, str, float, int], ...]          # (card id, criterion, mean, raters)
    snapshot: Snapshot = field(repr=False, compare=False)
    analysis: SeminarAnalysis = field(repr=False, compare=False)
    # What staff publish with it (issue 17): their rewritten texts (key -> EditedText), the
    # publisher's identity (logos, colophon) and the photos of the room.
    edited: dict = field(default_factory=dict, repr=False, compare=False)
    identity: object = field(default=None, repr=False, compare=False)
    photos: tuple[RoomPhoto, ...] = field(default=(), repr=False, compare=False)
    # the pairs of the robustness matrix nobody rated (the rated ones are ``robustness``)
    robustness_unrated: tuple[UnratedPair, ...] = ()

    @property
    def total_dots(self) -> int:
        return sum(c.dots for c in self.cards)

    @cached_property
    def card_text(self) -> dict[int, str]:
        return {c.card_id: c.text for c in self.cards}

    def t(self, key: str, **params) -> str:
        return translate(key, self.language, **params)

    def college_label(self, college: str) -> str:
        return self.t(f"college_name.{college}")

    @property
    def first_day(self) -> date | None:
        return next((d for d in self.days if d is not None), None)


COLLEGES: tuple[str, ...] = tuple(c.value for c in College)
