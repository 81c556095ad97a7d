"""NiceGUI's own floor for the load schedule: the same pages and messages as the app, no app work.

``python -m bench.load floor`` runs the single-process schedule against this server instead of
Visions +21: a join page that is the app's own join form (``JoinForm``, drawn in the browser,
sending one "join" message), a tablet that is the app's own dot-vote panel (``VotePanel``, drawn
in the browser), a projector label saying "N votants · M gommettes", and the same ping interval. A tap is counted in memory (no database, no session, no
services, no middleware of the app's), answered with the panel's ``voted`` message and shown
on the projector at most every 40 ms, as the app does. What this server spends is what
NiceGUI itself costs per page, socket and message on this schedule: the part of the app's CPU
that no change to the app's own code can remove while tablets are NiceGUI pages.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.load.client import COLLEGES, SECRET, tr
from bench.load.servers import ROOT, Deployment, free_port, start_process, stop_process, wait_http


def floor_server(port: int, host: str = "127.0.0.1") -> None:
    from nicegui import app, core, ui

    from workshop import config
    from workshop.ui.tablet.join import JoinForm, join_texts
    from workshop.ui.tablet.voting import VotePanel

    cards = [{"id": i, "text": f"Enjeu n° {i} : un territoire plus sobre et solidaire"} for i in range(1, 11)]
    ballots: dict[str, dict[str, int]] = {}  # participant name -> {card id: dots}
    rows: list[list] = []  # [row id, activity, name, card, dots] in commit order
    screens: list[ui.label] = []
    redraw: dict[str, Any] = {"pending": None, "last": 0.0}

    def summary() -> str:
        voters = sum(1 for ballot in ballots.values() if ballot)
        return tr("projector.dot_summary", voters=tr("projector.count.voters", count=voters),
                  dots=tr("projector.count.dots", count=len(rows)))

    def draw() -> None:
        redraw["pending"] = None
        redraw["last"] = time.monotonic()
        text = summary()
        for label in list(screens):
            if not label.client.has_socket_connection:
                continue
            label.set_text(text)

    def kick() -> None:
        """Like the app's projector: at once, then at most every 40 ms."""
        if redraw["pending"] is None:
            wait = max(0.0, redraw["last"] + 0.04 - time.monotonic())
            redraw["pending"] = asyncio.get_running_loop().call_later(wait, draw)

    @app.on_startup
    def _ping() -> None:
        core.sio.eio.ping_interval = config.ping_seconds()

    @ui.page("/console/{sid}/login")
    def login(sid: int, next: str = "/") -> None:  # noqa: A002 - the app's parameter name
        secret = ui.input(tr("ui.secret_label"), password=True)

        def go() -> None:
            if secret.value == SECRET:
                ui.navigate.to(next)

        ui.button(tr("ui.login_button"), on_click=go)

    @ui.page("/screen/{sid}")
    def screen(sid: int) -> None:
        label = ui.label(summary()).style("font-size: 3rem")
        screens.append(label)
        ui.context.client.on_disconnect(lambda: screens.remove(label) if label in screens else None)

    @ui.page("/join/{code}")
    def join(code: str) -> None:
        body = ui.column()
        with body:

            def become_tablet(args: Any) -> None:
                who = str(args.get("name") or "") if isinstance(args, dict) else ""
                ballot = ballots.setdefault(who, {})
                body.clear()
                with body:
                    ui.label(tr("tablet.name_label") + " : " + who)

                    def tap(card: int, delta: int) -> None:
                        if delta != 1 or ballot.get(str(card)) or sum(ballot.values()) >= 5:
                            return
                        ballot[str(card)] = 1
                        rows.append([len(rows) + 1, 1, who, card, 1])
                        panel.voted(dict(ballot), f"{5 - sum(ballot.values())} restantes", "Vote enregistré")
                        kick()

                    panel = VotePanel(tap, budget=5, max_per_card=1, live=True, max_text="max", empty_text="vide")
                    panel.show(cards=cards, dots=dict(ballot))

            JoinForm(become_tablet, lambda _code: None, texts={"title": "Floor", **join_texts(tr)},
                     colleges=[{"value": c, "label": tr(f"college_name.{c}")} for c in COLLEGES],
                     privacy_href="/", languages=[{"code": "fr", "label": "FR", "chosen": True}])

    @app.get("/floor/votes")
    def votes() -> list[list]:
        return rows

    ui.run(host=host, port=port, title="floor", reload=False, show=False, storage_secret="floor",
           reconnect_timeout=30.0)


async def start(workdir: Path) -> Deployment:
    port = free_port()
    log = workdir / "floor.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = start_process([sys.executable, "-m", "bench.load", "floor-server", str(port)], env, log)
    await wait_http(f"http://127.0.0.1:{port}/floor/votes", proc)
    url = f"http://127.0.0.1:{port}"
    return Deployment("NiceGUI floor (one process, no database)", url, url, lambda: {"floor": proc.pid},
                      lambda: stop_process(proc), [log])


def stored(base: str) -> list[tuple]:
    """The floor server's votes, as ``servers.stored_votes`` gives the app's (row id, activity, name, card, dots)."""
    import httpx

    return [tuple(r) for r in json.loads(httpx.get(f"{base}/floor/votes", timeout=30).text)]
