"""The activity panel: what the open activity asks of the participant, and nothing else.

``render(view, activity)`` builds the panel in the current container and returns the
function that keeps its card list in step with the wall (or None when it shows no cards).
Each kind of panel lives in a module of its own (writing, voting, linking, trajectory,
reading); they share ``widgets`` and never import each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workshop.models import Activity, Card, Interaction
from workshop.ui.tablet import linking, reading, trajectory, voting, writing
from workshop.ui.tablet.widgets import heading

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView


def render(view: TabletView, activity: Activity | None) -> Callable[[list[Card]], None] | None:
    if activity is None:
        if view.phase == "finished":
            reading.finished(view)
        else:
            reading.waiting(view)
        return None
    interaction = activity.interaction
    if interaction is Interaction.CONTRIBUTE and activity.card_kinds:
        heading(view, activity)
        writing.contribute(view, activity)
        return None
    if interaction is Interaction.WORD:
        heading(view, activity)
        writing.word(view, activity)
        return None
    if interaction is Interaction.DOT_VOTE:
        heading(view, activity)
        return voting.dot_vote(view, activity)
    if interaction is Interaction.RATE:
        heading(view, activity)
        return voting.rate(view, activity)
    if interaction is Interaction.ROBUSTNESS:
        heading(view, activity)
        return voting.robustness(view, activity)
    if interaction is Interaction.LINK:
        heading(view, activity)
        return linking.link(view, activity)
    if interaction is Interaction.TRAJECTORY:
        heading(view, activity)
        return trajectory.render(view, activity)
    heading(view, activity, full_instructions=True)
    return reading.plenary(view, activity)
