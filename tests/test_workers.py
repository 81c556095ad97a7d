"""Workers mode: ``workshop serve --workers 2`` behind HAProxy, on PostgreSQL and Redis.

A real deployment (the supervisor, two worker processes, HAProxy from Debian's package) on a
free port, a PostgreSQL schema, an events channel and Redis keys of this test's own, and
headless Chromium pages as the tablets and the projector. HAProxy's stickiness cookie
(``V21WORKER``) says which worker a browser is on; setting it before the first request
pins a page to a worker, the way HAProxy itself would have.

- an event crosses workers: a tablet on w1 votes, the projector on w2 redraws (and counts
  the tablet as connected);
- SIGKILL w1 in the middle of a vote storm: every acknowledged vote is in the database, none
  twice; w1's tablets come back through w2 as the same people with the same ballots, and
  vote again; the projector on w2 ends with the database's total;
- twenty tablets (simulated browsers, ``bench/load/client.py``) hold no Redis connection of
  their own: each worker keeps a handful, however many tablets it serves; after SIGKILL of w1
  its tablets, their language and a facilitator's login come back through w2.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port
from live_server import server_env
from test_crash_restart import (
    BUDGET,
    CARDS,
    Tablet,
    _count,
    check_acknowledged,
    _db_state,
    _join,
    _prepare,
    _storm,
    _wait_count,
    _wait_identity,
)
from workshop.db import Database
from workshop.i18n import translate
from workshop.models import Participant
from workshop.services import screen
from workshop.workers import STICKY_COOKIE
from workshop.workers.haproxy import find_haproxy

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SECRET = "crash-2026"  # the facilitator secret of test_crash_restart._prepare


def _unavailable(reason: str) -> None:
    if os.environ.get("WORKSHOP_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


class Deployment:
    """``workshop serve --workers 2`` with its own schema, channel, Redis keys and data directory."""

    def __init__(self, tmp_path: Path) -> None:
        from conftest import POSTGRES_URL, _postgres_schema_url

        if not os.path.exists(CHROMIUM):
            pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh (make test does)")
        if find_haproxy() is None:
            _unavailable("haproxy is missing: run scripts/install-system-deps.sh (make test does)")
        import redis

        self.redis_prefix = f"v21test:{uuid.uuid4().hex[:10]}:"
        self.redis = redis.Redis.from_url(os.environ.get("WORKSHOP_REDIS_URL", "redis://127.0.0.1:6379/0"))
        try:
            self.redis.ping()
        except redis.RedisError as exc:
            _unavailable(f"Redis not reachable ({exc}): workers test skipped")
        url, schema = _postgres_schema_url()
        if url is None:
            _unavailable(f"PostgreSQL not reachable at {POSTGRES_URL} ({schema}): workers test skipped")
        self.postgres_url, self.schema = POSTGRES_URL, schema
        self.db = Database(url)
        self.db.create_schema()
        self.data_dir = tmp_path / "data"
        self.data_dir.mkdir()
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = server_env(self.data_dir, url, WORKSHOP_EVENTS_CHANNEL=f"v21test_{uuid.uuid4().hex[:12]}",
                              WORKSHOP_REDIS_PREFIX=self.redis_prefix, WORKSHOP_WORKER_RESTART_SECONDS="60")
        self.log = tmp_path / "supervisor.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "workshop", "serve", "--workers", "2", "--host", "127.0.0.1", "--port",
                 str(self.port)], env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while "HAProxy sur" not in self.log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("workers did not start:\n" + self.log.read_text() + self.worker_logs())
            time.sleep(0.3)

    def worker_logs(self) -> str:
        folder = self.data_dir / "workers"
        return "".join(f"\n--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(folder.glob("*.log")))

    def pid(self, worker: str) -> int:
        return int((self.data_dir / "workers" / f"{worker}.pid").read_text())

    def worker_answers(self, worker: str) -> str | None:
        """Which worker answers a request pinned to ``worker`` through HAProxy (None: no answer)."""
        request = urllib.request.Request(f"{self.url}/_workshop/health", headers={"Cookie": f"{STICKY_COOKIE}={worker}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                import json

                return json.loads(response.read())["worker"]
        except OSError:
            return None

    def redis_connections(self, worker: str) -> int:
        """How many connections Redis lists from this worker's process (``CLIENT LIST``, matched
        by the local ports of the process's sockets to Redis's port)."""
        pid = self.pid(worker)
        redis_port = int(self.redis.connection_pool.connection_kwargs.get("port", 6379))
        inodes = set()
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        ports = set()
        for table in ("tcp", "tcp6"):
            for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
                fields = line.split()
                if fields[9] in inodes and int(fields[2].rsplit(":", 1)[1], 16) == redis_port:
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        return sum(1 for c in self.redis.client_list() if int(c["addr"].rsplit(":", 1)[1]) in ports)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.db.dispose()
        engine = create_engine(self.postgres_url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        engine.dispose()
        keys = list(self.redis.scan_iter(match=self.redis_prefix + "*", count=1000))
        if keys:
            self.redis.delete(*keys)
        self.redis.close()


@pytest.fixture
def deployment(tmp_path):
    running = Deployment(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def _run(coroutine) -> None:
    # In a thread of its own: the e2e tests' sync Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def _pinned_context(browser, url: str, worker: str | None):
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    if worker:
        await context.add_cookies([{"name": STICKY_COOKIE, "value": worker, "url": url}])
    return context


async def _worker_of(page) -> str:
    cookies = await page.context.cookies()
    return next(c["value"] for c in cookies if c["name"] == STICKY_COOKIE)


async def _projector(browser, url: str, sid: int, worker: str):
    context = await _pinned_context(browser, url, worker)
    page = await context.new_page()
    page.set_default_timeout(30_000)
    await page.set_viewport_size({"width": 1920, "height": 1080})
    await page.goto(f"{url}/console/{sid}/login?next=/screen/{sid}")
    await page.wait_for_function("() => window.socket && window.socket.connected")
    await page.get_by_label("Code animateur").fill(SECRET)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(re.compile(rf"^[^?]*/screen/{sid}$"))
    await page.wait_for_function("() => window.socket && window.socket.connected")
    assert await _worker_of(page) == worker
    return page


def _summary(voters: int, dots: int) -> str:
    return translate("projector.dot_summary", "fr", voters=translate("projector.count.voters", "fr", count=voters),
                     dots=translate("projector.count.dots", "fr", count=dots))


async def _wait_text(page, wanted: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await page.get_by_text(wanted, exact=False).count():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the page never showed {wanted!r}")


def _prepare_results(db: Database) -> tuple[int, str, int]:
    sid, code, activity_id = _prepare(db)
    screen.set_screen(db, sid, view="results", reveal_results=True, show_join=False, show_attendance=True)
    return sid, code, activity_id


def test_a_vote_on_one_worker_redraws_the_projector_on_the_other(deployment):
    sid, code, _activity_id = _prepare_results(deployment.db)
    deployment.start()

    async def scenario() -> None:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                projector = await _projector(browser, deployment.url, sid, "w2")
                people = projector.get_by_role("status", name=translate("projector.connected_aria", "fr", count=1))
                assert await people.count() == 0

                context = await _pinned_context(browser, deployment.url, "w1")
                tablet = Tablet("Tablette du test")
                await _join_with(context, deployment.url, code, tablet)
                assert await _worker_of(tablet.page) == "w1"
                # the tablet on w1 is counted by the projector on w2
                await people.wait_for(timeout=30_000)

                await tablet.page.get_by_role("button", name=f"Ajouter une gommette à « {CARDS[0]} »").click()
                await _wait_count(tablet.page, CARDS[0], 1, 15_000)
                await _wait_text(projector, _summary(1, 1))  # redrawn on w2 by w1's vote
                await tablet.page.get_by_role("button", name=f"Ajouter une gommette à « {CARDS[1]} »").click()
                await _wait_count(tablet.page, CARDS[1], 1, 15_000)
                await _wait_text(projector, _summary(1, 2))
                assert await _worker_of(projector) == "w2" and await _worker_of(tablet.page) == "w1"

                # through HAProxy, a browser on the server itself is still "local" (facilitators' area)
                area = await context.new_page()
                await area.goto(f"{deployment.url}/animation")
                await _wait_text(area, translate("security.local_note", "fr")[:60])
            finally:
                await browser.close()

    _run(scenario())


async def _join_with(context, url: str, code: str, tablet: Tablet) -> None:
    """``test_crash_restart._join`` in a context of ours (pinned to a worker)."""

    class _Browser:  # _join opens its own context: hand it ours
        async def new_context(self, **_kwargs):
            return context

    await _join(_Browser(), url, code, tablet)


def test_sigkill_one_worker_mid_storm_loses_nothing_and_its_tablets_come_back_through_the_other(deployment):
    sid, code, activity_id = _prepare_results(deployment.db)
    deployment.start()
    tablets = [Tablet(f"Tablette {i + 1}") for i in range(6)]
    pinned = {tablet.name: ("w1", "w2")[i % 2] for i, tablet in enumerate(tablets)}
    report: dict[str, object] = {}

    def check_after_kill() -> None:
        landed = check_acknowledged(deployment.db.url, sid, activity_id, tablets)
        report.update(acknowledged=sum(t.taps for t in tablets), in_flight_landed=landed)

    def check_people() -> None:
        state = _db_state(deployment.db, activity_id)
        for tablet in tablets:
            assert state.get(tablet.name, {}) == {c: n for c, n in tablet.acked.items() if n}, tablet.name
        with deployment.db.read() as session:
            people = session.scalars(select(Participant.display_name).where(Participant.seminar_id == sid)).all()
        assert sorted(people) == sorted(t.name for t in tablets), "a tablet came back as a new person"

    async def scenario() -> None:
        from playwright.async_api import async_playwright

        rng = random.Random(14)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                projector = await _projector(browser, deployment.url, sid, "w2")
                contexts = [await _pinned_context(browser, deployment.url, pinned[t.name]) for t in tablets]
                await asyncio.gather(*(_join_with(c, deployment.url, code, t) for c, t in zip(contexts, tablets)))
                assert sorted([await _worker_of(t.page) for t in tablets]) == ["w1"] * 3 + ["w2"] * 3

                stop = asyncio.Event()
                storm = [asyncio.create_task(_storm(t, stop, random.Random(rng.random()))) for t in tablets]
                deadline = time.monotonic() + 90  # a busy machine taps slowly: wait for a real storm
                while min(t.taps for t in tablets) < 2 and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                for tablet in tablets:  # a page that comes back is a new document, without this mark
                    await tablet.page.evaluate("window.__before_crash = true")
                os.kill(deployment.pid("w1"), signal.SIGKILL)  # mid-storm; w2's tablets keep voting
                await asyncio.sleep(3.0)
                stop.set()
                await asyncio.gather(*storm)
                assert min(t.taps for t in tablets) >= 2, "the storm did not get going"
                check_after_kill()

                moved = [t for t in tablets if pinned[t.name] == "w1"]
                await asyncio.gather(*(_wait_identity(t) for t in moved))
                for tablet in moved:  # through the other worker: HAProxy moved them to w2
                    assert await _worker_of(tablet.page) == "w2", tablet.name
                check_people()

                for tablet in tablets:  # everyone votes once more, as the same people
                    card = next((c for c in CARDS if tablet.acked.get(c, 0) > 0), CARDS[0])
                    if sum(tablet.acked.values()) >= BUDGET:
                        name, target = f"Retirer une gommette de « {card} »", tablet.acked[card] - 1
                    else:
                        name, target = f"Ajouter une gommette à « {card} »", tablet.acked.get(card, 0) + 1
                    await tablet.page.get_by_role("button", name=name).click()
                    await _wait_count(tablet.page, card, target, 15_000)
                    tablet.acked[card] = target
                check_people()

                total = sum(sum(t.acked.values()) for t in tablets)
                voters = sum(1 for t in tablets if any(t.acked.values()))
                await _wait_text(projector, _summary(voters, total))  # the projector on w2 followed it all
                shown = {card: int(await _count(moved[0].page, card)) for card in CARDS}
                assert shown == {c: moved[0].acked.get(c, 0) for c in CARDS}
            finally:
                await browser.close()

    try:
        _run(scenario())
    except BaseException:
        print(deployment.log.read_text() + deployment.worker_logs())
        raise
    # the supervisor noticed the death (it starts w1 again after WORKSHOP_WORKER_RESTART_SECONDS)
    assert "Processus w1 arrêté" in deployment.log.read_text()
    assert deployment.worker_answers("w2") == "w2"
    print(f"workers test: {report}")


def _texts(page) -> list[str]:
    return [e.get("text") or "" for e in page.elements.values()]


async def _open_on(base: str, http, path: str, worker: str):
    """``path`` loaded again with this browser's cookies, once HAProxy sends it to ``worker``."""
    from bench.load.client import Page

    deadline = time.monotonic() + 60
    while True:
        page = Page(base, http, path)
        try:
            await page.load()
            if http.cookies.get(STICKY_COOKIE) == worker:
                return page
        except Exception:  # noqa: BLE001 - the dead worker's requests fail until HAProxy moves them
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never reached {worker}")
        await asyncio.sleep(0.3)


def test_twenty_tablets_open_no_redis_connection_each_and_come_back_through_the_other_worker(deployment):
    """Each worker reaches Redis through a handful of connections, not two or more per tablet
    (NiceGUI's storage in Redis opened a client and a listener per browser and per tab); what a
    browser is (its tablet, its language, a facilitator's login) still survives its worker."""
    import httpx

    from bench.load.client import COLLEGES, Page, TabletRun
    from bench.load.client import Tablet as SimulatedTablet
    from bench.load.client import tr as bench_tr
    from workshop.models import Card

    sid, code, _activity_id = _prepare(deployment.db)
    with deployment.db.read() as session:
        card_ids = {card_id: text_ for card_id, text_ in session.execute(
            select(Card.id, Card.text).where(Card.seminar_id == sid))}
    deployment.start()
    connections: dict[str, int] = {}

    async def scenario() -> None:
        tablets = [SimulatedTablet(deployment.url, code, sid, card_ids, TabletRun(i, 0.0, [])) for i in range(20)]
        for i, tablet in enumerate(tablets):
            tablet.http.cookies.set(STICKY_COOKIE, ("w1", "w2")[i % 2], domain="127.0.0.1")
        facilitator = httpx.AsyncClient(base_url=deployment.url, timeout=30, follow_redirects=True)  # a laptop's browser
        facilitator.cookies.set(STICKY_COOKIE, "w1", domain="127.0.0.1")
        pages = []
        try:
            await asyncio.gather(*(tablet.join() for tablet in tablets))
            assert sorted(t.http.cookies.get(STICKY_COOKIE) for t in tablets) == ["w1"] * 10 + ["w2"] * 10
            login = Page(deployment.url, facilitator, f"/console/{sid}/login?next=/console/{sid}")
            await login.load()
            await login.connect()
            await login.emit(login.find("nicegui-input", label=bench_tr("ui.secret_label")), "update:value", SECRET)
            await login.emit(login.find("q-btn", label=bench_tr("ui.login_button")), "click")
            assert await asyncio.wait_for(login.opened, 30) == f"/console/{sid}"
            await login.close()
            moved = [t for t in tablets if t.http.cookies.get(STICKY_COOKIE) == "w1"]
            english = moved[:5]
            scripts: dict[str, list[str]] = {t.run.name: [] for t in english}
            for tablet in english:  # "EN" on the tablet page: the page reloads in English
                tablet.page.on_javascript.append(lambda _now, js, seen=scripts[tablet.run.name]: seen.append(js))
                await tablet.page.emit(tablet.page.find("q-btn", label="EN"), "click")
            for tablet in english:
                deadline = time.monotonic() + 30
                while not any("history.go(0)" in js for js in scripts[tablet.run.name]):
                    if time.monotonic() > deadline:
                        raise AssertionError(f"{tablet.run.name}: the language switch did not reload the page")
                    await asyncio.sleep(0.1)

            # 20 tablets and a facilitator connected: what each worker holds open to Redis
            connections.update({worker: deployment.redis_connections(worker) for worker in ("w1", "w2")})
            print(f"Redis connections per worker with 20 tablets and a facilitator: {connections}")

            os.kill(deployment.pid("w1"), signal.SIGKILL)
            for tablet in moved:
                await tablet.page.close()
            pages = await asyncio.gather(*(_open_on(deployment.url, t.http, f"/tablet/{sid}", "w2") for t in moved))
            for tablet, page in zip(moved, pages):
                name = tablet.run.name
                college = COLLEGES[tablet.run.index % len(COLLEGES)]
                lang = "en" if tablet in english else "fr"
                shown = translate("tablet.identity", lang, name=name,
                                  college=translate(f"college_name.{college}", lang))
                assert shown in _texts(page), (name, [t for t in _texts(page) if t][:12])
                chosen = page.elements[page.find("q-btn", label=lang.upper())]["props"]
                assert chosen.get("aria-pressed") == "true", (name, lang)
            console = await _open_on(deployment.url, facilitator, f"/console/{sid}", "w2")
            pages.append(console)
            assert bench_tr("console.tab_moderation") in [e.get("props", {}).get("label") for e in
                                                          console.elements.values()], "the console asked for a login"
        finally:
            for page in pages:
                await page.close()
            await asyncio.gather(*(t.close() for t in tablets), facilitator.aclose(), return_exceptions=True)

    try:
        _run(scenario())
    except BaseException:
        print(deployment.log.read_text() + deployment.worker_logs())
        raise
    with deployment.db.read() as session:
        people = session.scalars(select(Participant.display_name).where(Participant.seminar_id == sid)).all()
    assert sorted(people) == [f"Tablette {i:03d}" for i in range(20)], "a tablet came back as a new person"
    # a pool, the rate limits' client: fewer connections than the worker's 10 tablets (four each before)
    assert all(n < 10 for n in connections.values()), connections
