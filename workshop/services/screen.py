"""What the projector shows: chosen by the facilitator, stored so a reloaded screen comes back the same.

Vote results stay hidden until revealed (people must not follow the crowd), and the
facilitator decides whether the attendee count and the join panel are shown at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from sqlalchemy.orm import Session

from workshop.db import Database
from workshop.errors import Invalid
from workshop.models import CardKind
from workshop.services._common import get_card, get_seminar, publish

#: The projector's page count, measured by its browser, travels between pages as these events:
#: a projector tells the consoles (PAGES), a console that opens asks the projectors again (ASK_PAGES).
#: Neither is a prefix of the other, nor of "screen.changed" (the hub routes by prefix).
PAGES = "screen.pages"
ASK_PAGES = "screen.ask_pages"
PAGES_MAX = 99

View = Literal["activity", "wall", "clusters", "results", "card", "graph", "trajectories", "wordcloud", "join",
               "synthesis"]
VIEWS: tuple[str, ...] = ("activity", "wall", "clusters", "results", "card", "graph", "trajectories", "wordcloud",
                          "join", "synthesis")


@dataclass(frozen=True)
class ScreenState:
    view: View = "activity"          # what fills the main area
    reveal_results: bool = False     # vote results visible to the room
    show_attendance: bool = True     # number of participants connected
    show_join: bool = True           # QR code, short code and address (only while joining is open)
    focus_card_id: int | None = None  # the card put on screen with view="card"
    wall_page: int = 0               # page of a large wall
    cluster_kind: str | None = None  # with view="clusters": the kind whose theme groups are shown


def _from_dict(raw: dict | None) -> ScreenState:
    known = {f.name for f in fields(ScreenState)}
    return ScreenState(**{k: v for k, v in (raw or {}).items() if k in known})


def get_screen(db: Database, seminar_id: int) -> ScreenState:
    with db.read() as session:
        return _from_dict(get_seminar(session, seminar_id).screen)


def check_screen(changes: dict[str, Any], after: ScreenState) -> None:
    """The rules of what the projector may be asked to show, for ``set_screen`` and the archive
    import alike: known views and settings, and the single-card view only with a card to show (the
    console greys it until a card is chosen). ``changes``: the settings being set; ``after``: the
    state they make. Raises ``Invalid``."""
    if "view" in changes and changes["view"] not in VIEWS:
        raise Invalid("unknown_screen_setting", setting=str(changes["view"])[:40])
    if "wall_page" in changes and (type(changes["wall_page"]) is not int or changes["wall_page"] < 0):
        raise Invalid("unknown_screen_setting", setting="wall_page")
    if changes.get("cluster_kind") is not None and changes["cluster_kind"] not in {k.value for k in CardKind}:
        raise Invalid("unknown_screen_setting", setting="cluster_kind")
    # a projected card, but which? Checked when the view or its card is being set, so a state
    # stored before this rule does not block the other switches
    if ({"view", "focus_card_id"} & set(changes)) and after.view == "card" and after.focus_card_id is None:
        raise Invalid("no_focus_card")


def check_stored_screen(raw: dict[str, Any] | None) -> None:
    """``check_screen`` for a whole stored state (an archive's ``seminar.screen``), every setting
    checked as if set; keys this version does not know are ignored, as when a screen is read."""
    known = {k: v for k, v in (raw or {}).items() if k in {f.name for f in fields(ScreenState)}}
    check_screen(known, _from_dict(known))


def set_screen(db: Database, seminar_id: int, **changes) -> ScreenState:
    """Change what the projector shows; what ``check_screen`` refuses is refused."""
    unknown = set(changes) - {f.name for f in fields(ScreenState)}
    if unknown:
        raise Invalid("unknown_screen_setting", setting=", ".join(sorted(unknown)))
    with db.write() as session:
        seminar = get_seminar(session, seminar_id)
        if changes.get("focus_card_id") is not None:
            get_card(session, seminar_id, changes["focus_card_id"])
        state = replace(_from_dict(seminar.screen), **changes)
        check_screen(changes, state)
        seminar.screen = asdict(state)
    publish_state(seminar_id, state)
    return state


def follow_activity(session: Session, seminar_id: int) -> ScreenState | None:
    """Another activity opens: the projector shows what it calls for (its run sheet's ``screen``,
    else what its interaction needs), whatever view the facilitator picked for the one before, from
    the wall's first page (another activity's wall has other cards), and vote results are hidden
    again (revealed for one vote, they must not show the next one's while people vote). Call
    inside the write that opens it; returns the state to publish once written (None: unchanged)."""
    seminar = get_seminar(session, seminar_id)
    state = _from_dict(seminar.screen)
    fresh = replace(state, view="activity", reveal_results=False, wall_page=0)
    if fresh == state:
        return None
    state = fresh
    seminar.screen = asdict(state)
    return state


def publish_state(seminar_id: int, state: ScreenState | None) -> None:
    if state is not None:
        publish(seminar_id, "screen.changed", **asdict(state))


# --- the projector's page count: measured by its browser, live only --------------------------


def page_count(value: Any) -> int | None:
    """A page count as a projector reports it: an int from 1 to ``PAGES_MAX``, or None (no page
    measured: no wall or synthesis on screen, or no projector). Anything else is refused."""
    if value is None:
        return None
    if type(value) is not int or not 1 <= value <= PAGES_MAX:  # not a bool, a float, a text…
        raise Invalid("unknown_screen_setting", setting="pages")
    return value


def report_pages(seminar_id: int, pages: Any) -> int | None:
    """Tell the seminar's consoles how many pages the projector shows its wall or synthesis on
    (``None``: none measured). Not stored: the count is the projector's (its size, its fonts),
    gone with it; a console that opens asks again (``ask_pages``)."""
    pages = page_count(pages)
    publish(seminar_id, PAGES, pages=pages)
    return pages


def ask_pages(seminar_id: int) -> None:
    """A console opened (or lost the count): the seminar's projectors report theirs again."""
    publish(seminar_id, ASK_PAGES)
