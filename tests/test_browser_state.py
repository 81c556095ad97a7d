"""Browser state in Redis (workers mode, ``workshop/ui/browser_state.py``), against a real Redis.

- a browser whose values an earlier version kept in NiceGUI's Redis storage keeps them;
- a change reaches Redis before the next page of the browser reads it, in this worker or another;
- a change made while a page's read is on its way is not undone by that read.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid

import pytest

from workshop.ui.browser_state import Link

URL = os.environ.get("WORKSHOP_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix():
    import redis

    client = redis.Redis.from_url(URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("WORKSHOP_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"Redis not reachable ({exc})")
        pytest.skip(f"Redis not reachable ({exc})")
    prefix = f"v21test:{uuid.uuid4().hex[:10]}:"
    try:
        yield prefix, client
    finally:
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_a_tablet_known_to_the_previous_version_keeps_its_identity(redis_prefix):
    prefix, client = redis_prefix
    client.set(f"{prefix}nicegui:user-abc", json.dumps({"devices": {"3": "token-3"}, "lang": "en"}))

    async def scenario():
        link = Link(URL, prefix)
        try:
            return dict((await link.load("abc")).data)
        finally:
            await link.close()

    assert asyncio.run(scenario()) == {"devices": {"3": "token-3"}, "lang": "en"}
    stored = {k.decode(): json.loads(v) for k, v in client.hgetall(f"{prefix}browser:abc").items()}
    assert stored == {"devices": {"3": "token-3"}, "lang": "en"}


def test_a_change_is_in_redis_before_the_next_page_reads_it(redis_prefix):
    prefix, client = redis_prefix

    async def scenario():
        worker, other = Link(URL, prefix), Link(URL, prefix)
        try:
            state = await worker.load("abc")
            state.put("lang", "en")
            state.put("devices", {"7": "token-7"})
            # the reload after a language switch, on the same worker: no wait for the write first
            again = dict((await worker.load("abc")).data)
            await state.last_write
            elsewhere = dict((await other.load("abc")).data)  # after this worker died
            state.pop("lang")
            await state.last_write
            return again, elsewhere, dict((await other.load("abc")).data)
        finally:
            await worker.close()
            await other.close()

    again, elsewhere, after_pop = asyncio.run(scenario())
    assert again == elsewhere == {"lang": "en", "devices": {"7": "token-7"}}
    assert after_pop == {"devices": {"7": "token-7"}}


def test_a_read_on_its_way_does_not_undo_a_later_change(redis_prefix):
    prefix, client = redis_prefix
    client.hset(f"{prefix}browser:abc", "lang", json.dumps("fr"))

    async def scenario():
        link = Link(URL, prefix)
        try:
            state = await link.load("abc")
            reading = asyncio.ensure_future(link.load("abc"))  # another tab's page of this browser
            await asyncio.sleep(0)  # its read is queued
            state.put("lang", "en")  # meanwhile, a language switch in the first tab
            await reading
            return state.data["lang"]
        finally:
            await link.close()

    assert asyncio.run(scenario()) == "en"
    assert json.loads(client.hget(f"{prefix}browser:abc", "lang")) == "en"
