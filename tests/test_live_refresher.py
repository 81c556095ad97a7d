"""The console panels' live refresh (``LiveRefresher``): what the facilitator would notice if it
went wrong is a panel showing old data after a change, or the graph recomputed while hidden.

The timers are left out: ``tick`` is what they call, and the test calls it at chosen moments."""

from __future__ import annotations

import asyncio
import math

import pytest

from workshop.ui.console.refresher import LiveRefresher


class Wall:
    """A panel's data source: ``version`` goes up on each change; loads wait for ``gate`` when closed."""

    def __init__(self) -> None:
        self.version = 1
        self.gate = asyncio.Event()
        self.gate.set()
        self.running = 0
        self.most_at_once = 0
        self.loads = 0
        self.drawn: list[int] = []

    async def load(self) -> int | None:
        self.running += 1
        self.loads += 1
        self.most_at_once = max(self.most_at_once, self.running)
        seen = self.version
        try:
            await self.gate.wait()
        finally:
            self.running -= 1
        return seen


async def settle() -> None:
    """Let started tasks run up to where they wait (no clock involved)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def test_a_change_during_a_load_is_drawn_on_the_next_tick_with_one_load_at_a_time() -> None:
    wall = Wall()
    live = LiveRefresher(wall.load, wall.drawn.append)
    wall.gate.clear()
    first = asyncio.create_task(live.tick())
    await settle()
    assert wall.running == 1

    wall.version = 2          # a card is written while version 1 is being read
    live.mark_dirty()
    again = asyncio.create_task(live.tick())  # the timer fires again during the load
    await settle()
    assert wall.loads == 1

    wall.gate.set()
    await asyncio.gather(first, again)
    assert wall.drawn == [1]
    await live.tick()
    assert wall.drawn == [1, 2]
    assert wall.most_at_once == 1

    await live.tick()         # nothing changed since: no load
    assert wall.loads == 2


async def test_nothing_is_loaded_while_the_panel_is_hidden_and_opening_it_skips_the_wait() -> None:
    wall = Wall()
    visible = False
    live = LiveRefresher(wall.load, wall.drawn.append, is_visible=lambda: visible, min_interval=math.inf)
    await live.tick()
    assert wall.loads == 0

    visible = True
    await live.tick()
    assert wall.drawn == [1]

    wall.version = 2
    live.mark_dirty()
    await live.tick()         # within min_interval of the last load
    assert wall.drawn == [1]
    live.hurry()              # the tab was just opened
    await live.tick()
    assert wall.drawn == [1, 2]


async def test_none_draws_nothing_and_a_failed_load_does_not_stop_later_ones() -> None:
    drawn: list[object] = []
    results: list[object] = [None, RuntimeError("database gone"), "fresh"]

    async def load() -> object:
        result = results.pop(0)
        if isinstance(result, Exception):
            raise result
        return result

    live = LiveRefresher(load, drawn.append)
    await live.tick()
    assert drawn == []
    live.mark_dirty()
    with pytest.raises(RuntimeError):
        await live.tick()
    live.mark_dirty()
    await live.tick()
    assert drawn == ["fresh"]
