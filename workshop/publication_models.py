"""Kept so existing imports keep working: the publication tables live in ``workshop.models.publication``."""

from workshop.models.publication import Photo, Publication, ReportText  # noqa: F401
