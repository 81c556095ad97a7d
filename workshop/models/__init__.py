"""The seminar as data: typed SQLAlchemy 2 models.

One ``Seminar`` owns everything else; deleting it deletes its whole record. Cards of every
kind (stakes, threats, resources…) share one table because moderation, votes, links and
exports treat them alike; ``kind`` says what a card is.

Every table is declared on the one ``Base`` (``base.py``), so importing this package puts
the whole schema in ``Base.metadata`` (what Alembic compares against):

- ``enums``: the fixed vocabularies (card kinds, colleges, interactions…);
- ``seminar``: the seminar, its days, themes, groups, participants and activities;
- ``cards``: cards and the votes on them (dots, ratings, robustness);
- ``links``: typed links between cards and trajectories;
- ``moderation``: moderation steps, dismissed duplicates, theme groups (clusters);
- ``live``: large live events in workers mode;
- ``staff``: staff accounts, assignments and sessions;
- ``publication``: report texts, the publisher's identity, photos, the results page.

Import names from ``workshop.models``; the modules are how the package is organised.
"""

from __future__ import annotations

from workshop.models.base import Base, UTCDateTime, _enum, utcnow
from workshop.models.enums import (
    ACTIVITY_SCREENS,
    ActivityMode,
    ActivityState,
    CardKind,
    College,
    Interaction,
    LinkStatus,
    Relation,
    Verdict,
)
from workshop.models.seminar import Activity, Group, Participant, Seminar, SeminarDay, Theme
from workshop.models.cards import Card, DotVote, Rating, RobustnessRating
from workshop.models.links import Link, Trajectory, TrajectoryStep
from workshop.models.moderation import CardCluster, CardClusterMember, DismissedDuplicate, ModerationStep
from workshop.models.live import LiveEventPayload
from workshop.models.staff import StaffAccount, StaffAssignment, StaffRole, StaffSession
from workshop.models.publication import Photo, Publication, ReportText

__all__ = [
    "ACTIVITY_SCREENS", "Activity", "ActivityMode", "ActivityState", "Base", "Card", "CardCluster",
    "CardClusterMember", "CardKind", "College", "DismissedDuplicate", "DotVote", "Group", "Interaction",
    "Link", "LinkStatus", "LiveEventPayload", "ModerationStep", "Participant", "Photo", "Publication",
    "Rating", "Relation", "ReportText", "RobustnessRating", "Seminar", "SeminarDay", "StaffAccount",
    "StaffAssignment", "StaffRole", "StaffSession", "Theme", "Trajectory", "TrajectoryStep",
    "UTCDateTime", "Verdict", "_enum", "utcnow",
]
