"""Small pieces every tablet panel shares: headings, banners, card faces, keyed card rows.

Nothing here knows which panel uses it; panels import from here, never from each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nicegui import run, ui

from workshop.errors import WorkshopError
from workshop.i18n import keep_pronouns, plural_keys
from workshop.models import Activity, ActivityMode, Card
from workshop.services import cards as card_service
from workshop.ui.common import KIND_COLORS, lang, show_error, tr
from workshop.ui.tablet import data
from workshop.ui.tablet.client import ACKNOWLEDGEMENT_CLASS

if TYPE_CHECKING:
    from workshop.ui.tablet.view import TabletView

SHORT_INSTRUCTIONS = 280  # shorter instructions are shown in full, longer ones fold away
# Where the tablet's toasts appear: at the bottom, above the vote's budget bar (style.py lifts them
# by the bar's height), not at the top, where they hid the seminar's title, the participant's name
# and, on a scrolled phone, the instructions being read. The vote panel's script uses it too (on a
# phone its toast goes to the left, clear of the card's buttons on the right). A toast that would
# cover a control on screen there moves to the nearest place clear of them (client.TOASTS_JS).
# A refusal goes there too (``attempt``): at the top, « Vous avez placé toutes vos gommettes… »
# covered the participant's name on a 768 px tablet, and the activity's title on a phone.
TOAST_POSITION = "bottom"


ARTICLE_HEIGHT = "min-height: 12em"  # an article from the future starts as a page, then grows


def group_digits(number: int) -> str:
    """``number`` as the page's language writes it: « 5\u202f000 » in French (a narrow no-break
    space groups the thousands), « 5,000 » in English. client.COUNTER_JS writes the same in the browser."""
    text = f"{number:,}"
    return text.replace(",", "\u202f") if lang() == "fr" else text


def counter_text(length: int, limit: int) -> str:
    return f"{group_digits(length)} / {group_digits(limit)}"


def shape_text(text: ui.textarea, kind: str) -> None:
    """A card's text field for its kind (writing it or editing it): a sentence, or a whole article
    from the future (title, date, paragraphs) in a tall field that grows, within its kind's limit.

    Its counter (« 12 / 5\u202f000 ») is Quasar's counter slot holding a ``.live-counter``: Quasar's
    own counter wrote « 0 / 5000 », with no thousands separator. The browser keeps it up to date as
    the person types (client.COUNTER_JS, from the field's value, ``data-max`` and ``data-lang``), with no message
    to the server per keystroke; the server only writes it once, when the field is built."""
    article = card_service.card_text_multiline(kind)
    limit = card_service.card_text_limit(kind)
    text.props["maxlength"] = limit
    counter = getattr(text, "v21_counter", None)
    if counter is None:
        text.props["counter"] = True  # Quasar draws its counter's place only with it; the slot fills it
        with text.add_slot("counter"):
            counter = ui.label(counter_text(len(text.value or ""), limit)).classes("live-counter").mark("counter")
        text.v21_counter = counter
    counter.props["data-max"] = str(limit)
    counter.props["data-lang"] = lang()
    counter.update()
    text.props["placeholder"] = tr("tablet.article_placeholder" if article else "tablet.text_placeholder")
    if article:
        text.props["input-style"] = ARTICLE_HEIGHT
    else:
        text.props.pop("input-style", None)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def count_tr(key: str, count: int, **params: Any) -> str:
    """A message with a count: a plural mapping ``key: {one, other}`` chosen by ``count``, or the
    older ``key_one``/``key_other`` pair (in French 0 and 1 are singular)."""
    if key in plural_keys(lang()):
        return tr(key, count=count, **params)
    one = count <= 1 if lang() == "fr" else count == 1
    return tr(f"{key}_{'one' if one else 'other'}", count=count, **params)


def kind_name(kind: str) -> str:
    return tr(f"kind.{kind}")


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Run a service off the loop; on a refusal show its message where the tablet's toasts appear
    (``TOAST_POSITION``). Returns (done, result)."""
    try:
        return True, await run.io_bound(fn, *args, **kwargs)
    except WorkshopError as exc:
        show_error(exc, position=TOAST_POSITION)
        return False, None


ACKNOWLEDGE_MS = 1500  # how long « Contribution enregistrée » and the like stay


def acknowledge(key: str) -> None:
    """Say a tap was recorded; the toasts before it (a warning since answered) go (client.TABLET_JS)."""
    ui.notify(tr(key), type="positive", position=TOAST_POSITION, timeout=ACKNOWLEDGE_MS, classes=ACKNOWLEDGEMENT_CLASS)


def warn(key: str, **params: Any) -> None:
    """A tap that cannot do anything yet says why, where the acknowledgements appear."""
    ui.notify(tr(key, **params), type="warning", position=TOAST_POSITION)


def banner(text: str, icon: str, tone: str = "info") -> ui.element:
    with ui.element("div").classes(f"banner banner-{tone}").props('role="status"') as box:
        ui.icon(icon, size="26px").props('aria-hidden="true"')
        ui.label(text).classes("wrap-text")
    return box


def accepting(activity: Activity, kind: str) -> bool:
    """Whether the panel's controls work now (``kind``: "contributions" or "votes"); when the
    facilitator has closed them, a banner says so."""
    is_open = activity.contributions_open if kind == "contributions" else activity.votes_open
    if not is_open:
        banner(tr(f"tablet.{kind}_closed"), "block", "stop").mark("closed")
    return data.is_live(activity) and is_open


def card_text(card: Card) -> None:
    """A card's text: one line in bold; an article from the future as its headline in bold over its
    date and paragraphs in the reading type, line breaks kept (a whole article in bold with its
    paragraphs run together was a wall of text on a phone, the very page it is read aloud from)."""
    if not card_service.card_text_multiline(card.kind):
        ui.label(card.text).classes("card-text wrap-text")
        return
    headline, body = card_service.article_parts(card.text)
    if headline:
        ui.label(headline).classes("card-text wrap-text").mark("article-headline")
    if body:
        ui.label(body).classes("card-text article-text wrap-text").mark("article-body")


def card_face(view: TabletView, card: Card, *, show_kind: bool = False) -> ui.element:
    """A card as text on a coloured edge (the kind's colour), with its theme."""
    with ui.column().classes("t-card gap-1").style(f"--kind: {KIND_COLORS.get(card.kind.value, '#0b5394')}") as box:
        if show_kind:
            ui.label(capital(kind_name(card.kind.value))).classes("t-chip kind-chip self-start")
        card_text(card)
        theme = view.theme_label(card.theme_id)
        if theme:
            ui.label(theme).classes("t-chip self-start")
    return box


def card_option(card: Card, *, with_kind: bool) -> str:
    text = short(card.text, 110)
    return f"{capital(kind_name(card.kind.value))} — {text}" if with_kind else text


class KeyedRows:
    """Rows of cards kept in step with the wall: only rows whose card changed are touched."""

    def __init__(self, container_for: Callable[[Card], ui.element], render: Callable[[Card], ui.element]) -> None:
        self.container_for = container_for
        self.render = render
        self.rows: dict[int, tuple[ui.element, tuple]] = {}

    def sync(self, cards: list[Card]) -> None:
        seen = set()
        for card in cards:
            seen.add(card.id)
            key = (card.text, card.theme_id, card.kind.value)
            current = self.rows.get(card.id)
            if current is not None and current[1] == key:
                continue
            container = self.container_for(card)
            index = -1
            if current is not None:
                siblings = list(current[0].parent_slot.children) if current[0].parent_slot else []
                index = siblings.index(current[0]) if current[0] in siblings else -1
                current[0].delete()
            with container:
                element = self.render(card)
            if index >= 0:
                element.move(target_index=index)
            self.rows[card.id] = (element, key)
        for card_id in [cid for cid in self.rows if cid not in seen]:
            self.rows.pop(card_id)[0].delete()


def heading(view: TabletView, activity: Activity, *, full_instructions: bool = False) -> None:
    with ui.column().classes("w-full gap-1"):
        mode = tr("tablet.in_groups") if activity.mode is ActivityMode.GROUPS else tr("tablet.in_plenary")
        ui.label(mode).classes("eyebrow")
        ui.label(activity.title).classes("t-h1 wrap-text").props('role="heading" aria-level="1"').mark(
            "activity-title")
    if activity.paused_at is not None:
        banner(tr("tablet.paused"), "pause_circle", "warn").mark("paused")
    text = keep_pronouns(activity.participant_instructions)  # « Placez-les » not broken at its hyphen
    if text:
        if full_instructions or len(text) <= SHORT_INSTRUCTIONS:
            ui.label(text).classes("wrap-text text-lg").mark("instructions")
        else:
            # the same chevron as the page's other folding sections (« dense-toggle » drew a triangle)
            with ui.expansion(tr("tablet.instructions"), icon="info_outline").classes(
                    "w-full bg-white rounded-borders").props("header-class=text-weight-bold"):
                ui.label(text).classes("wrap-text q-pa-sm").mark("instructions")
