"""Visions +21 workshop: participatory foresight seminars for French territories."""

__version__ = "0.1.0"
