"""Why an archive is refused: a stable code, the JSON path of the problem, translated at the edge."""

from __future__ import annotations

from typing import Any

from workshop.errors import Invalid


class ArchiveError(Invalid):
    """An archive that cannot be read or imported; nothing was changed.

    ``params["path"]`` is the JSON path of the problem (``$.cards[3].theme_id``) when there
    is one; ``params["rule"]``, when present, is the services' own refusal (an ``Invalid``).
    ``others`` counts the further problems found in the same file.
    """

    def __init__(self, code: str, *, others: int = 0, **params: Any) -> None:
        super().__init__(code, **params)
        self.others = others

    def message(self, lang: str = "fr") -> str:
        from workshop.i18n import translate

        params = dict(self.params)
        if "rule" in params:  # a service's rule broken: the service's own words
            params["rule"] = params["rule"].message(lang)
        if "entity" in params:
            params["entity"] = translate(f"archive.entity.{params['entity']}", lang)
        for name in ("expected", "found"):
            if name in params:
                names = params[name] if isinstance(params[name], (list, tuple)) else [params[name]]
                params[name] = translate("archive.or", lang).join(
                    translate(f"archive.type.{n}", lang) for n in names)
        text = translate(f"error.{self.code}", lang, **params)
        if self.others:
            text += " " + translate("archive.more_problems", lang, count=self.others)
        return text
