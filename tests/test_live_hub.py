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


class _Recorder:
    """A transport that keeps what would go to the other worker processes."""

    def __init__(self) -> None:
        self.sent: list[Event] = []

    def send(self, event: Event) -> None:
        self.sent.append(event)

    def close(self) -> None:
        pass


async def test_workers_share_the_head_count_and_forget_a_dead_worker(monkeypatch) -> None:
    from workshop.ui.live import PRESENCE_EXPIRY

    now = [1000.0]
    monkeypatch.setattr("workshop.ui.live.time.monotonic", lambda: now[0])
    monkeypatch.setenv("WORKSHOP_WORKER_ID", "w1")
    transport = _Recorder()
    bus.attach(transport)
    hub = LiveHub()
    hub.start()
    counts: list[int] = []
    try:
        with Client(page("")):  # the projector, on this worker
            hub.watch(1, ("presence.",), lambda e: counts.append(e.data["connected"]))
        with Client(page("")):  # a tablet of participant 11, on this worker
            hub.track_presence(1, 11)
        assert counts == [1]
        # the other workers are told who is connected here
        assert transport.sent[-1] == Event(1, "presence.worker", {"worker": "w1", "participants": [11]})
        # another worker reports its tablets: 11 (twice connected) counts once
        bus.deliver(Event(1, "presence.worker", {"worker": "w2", "participants": [11, 12, 13]}))
        assert hub.connected(1) == {11, 12, 13} and counts == [1, 3]
        assert not [e for e in transport.sent if e.topic == "presence.changed"]  # each process counts for itself
        now[0] += PRESENCE_EXPIRY - 1
        hub.forget_silent_workers()
        assert hub.connected_count(1) == 3
        now[0] += 1  # w2 silent for too long: killed
        hub.forget_silent_workers()
        assert hub.connected(1) == {11} and counts == [1, 3, 1]
    finally:
        hub.stop()
        bus.detach()
