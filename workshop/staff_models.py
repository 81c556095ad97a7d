"""Kept so existing imports keep working: the staff tables live in ``workshop.models.staff``."""

from workshop.models.staff import StaffAccount, StaffAssignment, StaffRole, StaffSession  # noqa: F401
