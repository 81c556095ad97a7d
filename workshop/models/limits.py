"""How long a card's text may be, by kind: the domain's rule, read by every door.

The services check it when a card is written (tablets, console, archive import), the forms
take their ``maxlength`` from it, and the kit loader refuses a printed card longer than it,
so a kit's prompt card can always be sent as it is.
"""

from __future__ import annotations

from workshop.models.enums import CardKind

MAX_CARD_TEXT = 500
MAX_ARTICLE_TEXT = 5000  # an article from the future: a title, a date, paragraphs, witnesses
MAX_WORD = 40


def card_text_limit(kind: CardKind | str) -> int:
    """The longest text a card of this kind may hold: one word, a sentence, or a whole article
    from the future (its title, date and paragraphs)."""
    kind = CardKind(kind)
    if kind is CardKind.WORD:
        return MAX_WORD
    return MAX_ARTICLE_TEXT if kind is CardKind.VISION_ARTICLE else MAX_CARD_TEXT
