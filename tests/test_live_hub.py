"""The live hub: an event reaches only the pages that watch its topic, in its seminar."""

from __future__ import annotations

from nicegui import Client
from nicegui.page import page

from workshop.events import Event, bus
from workshop.ui.live import LiveHub


async def test_events_reach_only_the_pages_that_watch_their_topic() -> None:
    hub = LiveHub()
    hub.start()
    seen: list[tuple[str, str]] = []
    tablets = []
    try:
        for i in range(3):
            with Client(page("")) as tablet:
                hub.watch(1, ("card.", "activity.changed"), lambda e, i=i: seen.append((f"tablet {i}", e.topic)))
            tablets.append(tablet)
        with Client(page("")):
            hub.watch(1, ("vote.changed", "card."), lambda e: seen.append(("projector", e.topic)))

        bus.publish(Event(1, "vote.changed", {"card_id": 7}))  # a vote: the projector only
        assert seen == [("projector", "vote.changed")]
        seen.clear()
        bus.publish(Event(1, "card.created", {"card_id": 8}))
        assert sorted(seen) == [("projector", "card.created"), ("tablet 0", "card.created"),
                                ("tablet 1", "card.created"), ("tablet 2", "card.created")]
        seen.clear()
        bus.publish(Event(2, "card.created", {"card_id": 9}))  # another seminar: nobody here
        assert seen == []

        tablets[1].delete()  # a tablet closed for good stops watching
        bus.publish(Event(1, "card.created", {"card_id": 10}))
        assert sorted(seen) == [("projector", "card.created"), ("tablet 0", "card.created"),
                                ("tablet 2", "card.created")]
        seen.clear()
        with Client(page("")):  # a page watching later gets the next events too
            hub.watch(1, ("vote.",), lambda e: seen.append(("console", e.topic)))
        bus.publish(Event(1, "vote.changed", {"card_id": 7}))
        assert sorted(seen) == [("console", "vote.changed"), ("projector", "vote.changed")]
    finally:
        hub.stop()
