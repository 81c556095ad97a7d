"""Errors a user can read: a stable code plus parameters, translated at the edge.

Services raise ``WorkshopError``; they never change anything when they do (the unit of
work rolls back). ``message(lang)`` gives the French or English sentence for the UI.
"""

from __future__ import annotations

from typing import Any


class WorkshopError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}" if params else code)

    def message(self, lang: str = "fr") -> str:
        from workshop.i18n import translate

        # Parameters that name things of the domain (a field, a card kind…) are words too.
        # A value outside the vocabulary (a forged collège, say) is shown as it was given.
        params = {name: _word(_VOCABULARY[name], value, lang) if name in _VOCABULARY else value
                  for name, value in self.params.items()}
        return translate(f"error.{self.code}", lang, **params)


def _word(section: str, value: object, lang: str) -> object:
    from workshop.i18n import translate

    key = f"{section}.{value}"
    word = translate(key, lang)
    return value if word == key else word


_VOCABULARY = {"field": "field", "kind": "kind", "source": "kind", "target": "kind", "what": "thing",
               "relation": "relation", "college": "college_name"}


class NotFound(WorkshopError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class Forbidden(WorkshopError):
    """The asker may not do this (wrong seminar, not the author, bad secret)."""


class Invalid(WorkshopError):
    """The input breaks a rule of the method or a limit."""
