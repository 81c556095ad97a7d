"""Use cases of the seminar. The UI, the CLI and the exports all go through these.

Each function opens its own unit of work: when it returns, what it did is committed;
when it raises a ``WorkshopError``, nothing changed.
"""

from workshop.services import activities, cards, links, participants, screen, seminars, trajectories, votes

__all__ = ["activities", "cards", "links", "participants", "screen", "seminars", "trajectories", "votes"]
