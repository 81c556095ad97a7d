"""What the projector's views share: sizes, colours, what they load off the event loop."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workshop.models import Activity, ActivityState, Card, CardKind, Interaction
from workshop.services import cards, robustness, votes
from workshop.services.wordcloud import place_words, word_frequencies
from workshop.ui.common import db
from workshop.ui.projector import charts

VOTING = (Interaction.DOT_VOTE, Interaction.RATE, Interaction.ROBUSTNESS)
FLUSH_SECONDS = 0.4
# Vote results are redrawn as soon as a vote comes in (not at the next timer tick), at most
# once per RESULTS_GAP seconds: a burst of votes still costs a few redraws, not one per vote,
# and the projector's browser redraws its chart at most 25 times a second. (With 100 ms, the
# p50 vote -> projector latency in bench/load_benchmark.py was 61 ms; with 40 ms, 31 ms.)
RESULTS_GAP = 0.04
TOP_CARDS = 10
THEMED_KINDS = ("stake", "threat", "resource", "challenge", "current_action", "action_lead")

# Reference drawing sizes (pixels of a 1920x1080 screen) of the chart area of each layout.
# Wider than high, so that the scale (assets.py) is set by the width: about 2/3 at 1280x720.
CHART_W_SIDE, CHART_W_WIDE, CHART_H = 1300, 1850, 620

_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def safe_color(value: str | None, default: str = "#64748b") -> str:
    return value if value and _COLOR.match(value) else default


# --- data for the results view, loaded off the event loop -----------------------------------


@dataclass
class ResultsData:
    voters: int
    tallies: list[votes.CardTally] = field(default_factory=list)
    ratings: list[tuple[Card, dict[str, float]]] = field(default_factory=list)
    grid: robustness.RobustnessGrid | None = None  # every pair the robustness test asks about
    answering: bool = False  # answers may still come (the activity open, its votes open)


def load_results(seminar_id: int, activity: Activity) -> ResultsData:
    database = db()
    if activity.interaction is Interaction.DOT_VOTE:  # the busiest: redrawn while the whole room votes
        voters, tallies = votes.dot_vote_results(database, seminar_id, activity.id)
        return ResultsData(voters=voters, tallies=tallies)
    data = ResultsData(voters=len(votes.voters(database, seminar_id, activity.id)),
                       answering=activity.state is ActivityState.OPEN and activity.votes_open)
    if activity.interaction is Interaction.RATE:
        means = votes.mean_ratings(database, seminar_id)
        kinds = [CardKind(k) for k in activity.card_kinds] or None
        rated = [c for c in cards.list_cards(database, seminar_id, kinds=kinds) if c.id in means]
        data.ratings = [(c, means[c.id]) for c in rated]
    elif activity.interaction is Interaction.ROBUSTNESS:
        data.grid = robustness.grid(database, seminar_id, activity.id)
    return data


def load_cloud(seminar_id: int, activity_id: int | None, width: int, height: int):
    """The words of a one-word question, counted and laid out (off the event loop on updates)."""
    texts = [c.text for c in cards.list_cards(db(), seminar_id, kinds=[CardKind.WORD], activity_id=activity_id)]
    frequencies = word_frequencies(texts)
    return frequencies, place_words(frequencies, width=width, height=height, max_size=170, min_size=charts.TEXT)
