"""The projector's page count reaches the console: « Mur de cartes : page 2 sur 3 », no next page
on the last, no page control when nothing on the projector takes more than one page.

The projector's browser counts the pages of a large wall or of the synthesis and sends the count
(workshop/ui/projector/pages.py); the console learns it through the event bus (``screen.pages``)
and asks again when it opens (``screen.ask_pages``). The browser side runs in Chromium in
tests/e2e/test_projector_synthesis.py.
"""

from __future__ import annotations

import asyncio

import pytest
from nicegui.testing import User

from workshop.errors import Invalid
from workshop.events import Event, bus
from workshop.services import screen
from workshop.ui.projector.pages import PageCount
from tests.test_ui_console import LIVE, _login


@pytest.fixture
def published():
    """The page-count events published while the test runs: (topic, data) in order."""
    seen: list[tuple[str, dict]] = []

    def keep(event: Event) -> None:
        if event.topic in (screen.PAGES, screen.ASK_PAGES):
            seen.append((event.topic, dict(event.data)))

    unsubscribe = bus.subscribe(None, keep)
    yield seen
    unsubscribe()


BAD = [0, -1, 100, 10**9, True, False, 2.0, 2.5, "2", "", [2], {"pages": 2}, float("nan")]


@pytest.mark.parametrize("value", BAD)
def test_a_page_count_is_a_whole_number_from_1_to_99(value, published) -> None:
    with pytest.raises(Invalid):
        screen.page_count(value)
    with pytest.raises(Invalid):
        screen.report_pages(7, value)
    assert published == []  # nothing written on the bus


def test_good_page_counts_are_published(published) -> None:
    assert [screen.page_count(v) for v in (1, 2, 99, None)] == [1, 2, 99, None]
    screen.report_pages(7, 3)
    screen.report_pages(7, None)
    screen.ask_pages(7)
    assert published == [(screen.PAGES, {"pages": 3}), (screen.PAGES, {"pages": None}), (screen.ASK_PAGES, {})]


def test_the_projector_says_a_count_once_and_drops_what_is_not_one(published) -> None:
    """What the projector page does with what its browser sends (a forged message included)."""
    count = PageCount(7)
    for value in BAD:
        count.measured(value)
    assert published == [] and count.pages is None
    count.measured(2)
    count.measured(2)  # a wall fitted again, same pages: nothing said
    count.measured("3")  # not a count: the last good one stays
    assert published == [(screen.PAGES, {"pages": 2})] and count.pages == 2
    count.asked(Event(7, screen.ASK_PAGES))  # a console opened: said again
    count.measured(None)  # no wall or synthesis on screen any more
    count.asked(Event(7, screen.ASK_PAGES))  # nothing to say
    count.measured(3)
    count.closed()
    count.closed()
    assert published[1:] == [(screen.PAGES, {"pages": 2}), (screen.PAGES, {"pages": None}),
                             (screen.PAGES, {"pages": 3}), (screen.PAGES, {"pages": None})]


def _button(user: User, marker: str):
    return next(iter(user.find(marker=marker).elements))


async def _shows(user: User, text: str, *, previous: bool, next_: bool) -> None:
    await user.should_see(text, retries=LIVE)
    for _ in range(LIVE):
        if (_button(user, "wall-previous").enabled, _button(user, "wall-next").enabled) == (previous, next_):
            return
        await asyncio.sleep(0.1)
    assert (_button(user, "wall-previous").enabled, _button(user, "wall-next").enabled) == (previous, next_)


def _page(what: str, page: int, pages: int) -> str:
    return f"{what}\u00a0: page {page} sur {pages}"


async def test_the_console_says_the_page_the_projector_shows_out_of_how_many(demo, user: User) -> None:
    """The pages are turned from the console only while the projector shows something that takes
    more than one: « Mur de cartes : page 2 sur 3 »; before (no projector, nothing paged, one page)
    there is no page control at all (it read « Page 1 (mur, synthèse) » whatever was on screen)."""
    db, d = demo
    sid = d.seminar_id
    screen.set_screen(db, sid, view="wall")
    projector = PageCount(sid)  # an open projector's page (its browser is tested in Chromium)
    unsubscribe = bus.subscribe(sid, lambda e: projector.asked(e) if e.topic == screen.ASK_PAGES else None)
    try:
        await _login(user, sid)
        await user.should_see(marker="screen-panel", retries=LIVE)
        await user.should_not_see(marker="wall-pager")  # no count: nothing paged on a projector
        await user.should_not_see("(mur, synthèse)")
        projector.measured(1)  # a wall that fits on one page: nothing to turn
        await asyncio.sleep(0.5)
        await user.should_not_see(marker="wall-pager")
        projector.measured(2)
        await _shows(user, _page("Mur de cartes", 1, 2), previous=False, next_=True)
        user.find(marker="wall-next").click()
        await _shows(user, _page("Mur de cartes", 2, 2), previous=True, next_=False)
        assert screen.get_screen(db, sid).wall_page == 1

        # the wall grows to 3 pages, the page wanted stays; cards hidden, it shrinks to 1
        projector.measured(3)
        await _shows(user, _page("Mur de cartes", 2, 3), previous=True, next_=True)
        screen.set_screen(db, sid, wall_page=4)  # as the projector: 4 modulo 3, the second page
        await _shows(user, _page("Mur de cartes", 2, 3), previous=True, next_=True)
        user.find(marker="wall-next").click()  # from the page shown, not from the one wanted
        await _shows(user, _page("Mur de cartes", 3, 3), previous=True, next_=False)
        assert screen.get_screen(db, sid).wall_page == 2
        projector.measured(2)  # 2 modulo 2: the first page, on both screens
        await _shows(user, _page("Mur de cartes", 1, 2), previous=False, next_=True)

        # a message that is not a count (another process, or forged) changes nothing
        bus.publish(Event(sid, screen.PAGES, {"pages": "lots"}))
        bus.publish(Event(sid, screen.PAGES, {"pages": 1000}))
        await asyncio.sleep(0.5)
        await _shows(user, _page("Mur de cartes", 1, 2), previous=False, next_=True)

        # a reloaded console asks, and the projector says its count again
        await user.open(f"/console/{sid}")
        await _shows(user, _page("Mur de cartes", 1, 2), previous=False, next_=True)

        # the synthesis on screen: what is paged is named
        screen.set_screen(db, sid, view="synthesis", wall_page=0)
        projector.measured(3)
        await _shows(user, _page("Synthèse", 1, 3), previous=False, next_=True)
        [arrow] = user.find(marker="wall-next").elements
        assert arrow.props["aria-label"] == "Synthèse\u00a0: page suivante"

        # the projector closed: nothing to turn any more
        projector.closed()
        await user.should_not_see(marker="wall-pager", retries=LIVE)
        await user.should_not_see(marker="wall-next")
    finally:
        unsubscribe()


async def test_what_a_projector_page_takes_from_its_browser(ui_db, user: User, published) -> None:
    """The messages the page's script sends (``emitEvent('v21_pages', n)``), as NiceGUI hands them
    over: a count is passed on once; anything else (forged) is dropped without an error; once the
    browser is no longer the facilitator's, nothing is passed on."""
    from tests.test_ui_projector import open_screen
    from workshop.demo import build_demo
    from workshop.ui.access import logout_facilitator
    from workshop.ui.projector.pages import EVENT

    demo = build_demo(ui_db)
    await open_screen(user, demo)
    await user.should_see(demo.join_code)
    client = user.client
    layout = client.layout
    listener = next(lid for lid, listener in layout._event_listeners.items() if listener.type == EVENT)

    def send(*args: str) -> None:  # the JSON texts a socket message carries
        client.handle_event({"id": layout.id, "listener_id": listener, "args": list(args)})

    for forged in ("true", "2.0", "0", "100", '"2"', '{"pages": 2}', "[2]", "-3"):
        send(forged)
    send("2", "3")  # two arguments: a list, not a count
    assert [p for p in published if p[0] == screen.PAGES] == []
    send("2")
    send("2")
    send("null")
    assert [p for p in published if p[0] == screen.PAGES] == [(screen.PAGES, {"pages": 2}),
                                                              (screen.PAGES, {"pages": None})]
    published.clear()
    with client:
        logout_facilitator(demo.seminar_id)
    send("3")  # the facilitator guard: this tab may do nothing any more
    assert published == []
