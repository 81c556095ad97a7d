"""The projector screen (/screen/{seminar_id}): read-only, full screen, live."""

from workshop.ui.projector.page import register

__all__ = ["register"]
