"""The domain's fixed vocabularies (stored as their string values) and the projector's
default views of an activity."""

from __future__ import annotations

import enum


class CardKind(str, enum.Enum):
    STAKE = "stake"
    THREAT = "threat"
    RESOURCE = "resource"
    CHALLENGE = "challenge"
    CURRENT_ACTION = "current_action"
    ACTION_LEAD = "action_lead"
    VISION_ARTICLE = "vision_article"
    TREND = "trend"
    WORD = "word"


class College(str, enum.Enum):
    ELECTED = "elected"
    STAFF = "staff"
    BUSINESS = "business"
    ASSOCIATION = "association"
    RESIDENT = "resident"
    EXPERT = "expert"
    OTHER = "other"


class ActivityMode(str, enum.Enum):
    PLENARY = "plenary"
    GROUPS = "groups"


class ActivityState(str, enum.Enum):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


class Interaction(str, enum.Enum):
    """What a participant's tablet does during an activity (the app's fixed capabilities)."""

    PLENARY = "plenary"          # listen and read the wall
    CONTRIBUTE = "contribute"    # write cards of the activity's kinds
    WORD = "word"                # one word each, for a word cloud
    DOT_VOTE = "dot_vote"        # spend a budget of dots on cards
    RATE = "rate"                # 1-5 on named criteria
    ROBUSTNESS = "robustness"    # challenge x current action: holds, bends, breaks
    LINK = "link"                # propose typed links between cards
    TRAJECTORY = "trajectory"    # build dated steps to the horizon


class Verdict(str, enum.Enum):
    HOLDS = "holds"
    BENDS = "bends"
    BREAKS = "breaks"


class Relation(str, enum.Enum):
    WEIGHS_ON = "weighs_on"
    SUPPORTS = "supports"
    COUNTERS = "counters"
    INFLUENCES = "influences"
    LEADS_TO = "leads_to"


class LinkStatus(str, enum.Enum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# What the projector may show by default while an activity is open (a run sheet's ``screen``):
# the views of ``services.screen.VIEWS`` that need nothing more ("card" needs a card, "activity"
# is what follows this default), and "instructions", the participants' instructions in large type.
ACTIVITY_SCREENS: tuple[str, ...] = ("wall", "clusters", "results", "graph", "trajectories", "wordcloud", "join",
                                     "synthesis", "instructions")
