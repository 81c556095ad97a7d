"""What the projector's closing screen and the tablets' end screen say happens next: one sentence
for both, naming only what this seminar did (from ``seminars.closing_figures``)."""

from __future__ import annotations

from collections.abc import Callable

from workshop.services.seminars import ClosingFigures


def next_steps_report(figures: ClosingFigures, t: Callable[..., str]) -> str:
    """« Tout ce qui a été écrit, voté et relié… », with only the verbs of what happened."""
    done = [t(f"room.done.{verb}") for verb, count in (
        ("written", figures.contributions), ("voted", figures.dots), ("rated", figures.ratings),
        ("linked", figures.links)) if count]
    if not done:
        return t("room.next_steps_report_none")
    said = done[0] if len(done) == 1 else ", ".join(done[:-1]) + t("room.done.and") + done[-1]
    key = "next_steps_report_votes" if figures.dots else "next_steps_report"
    return t(f"room.{key}", done=said)
