"""What one live redraw of the projector's dot-vote results costs the server.

Builds a seminar through the services (150 participants spread over the 7 collèges, 40
stake cards, the stakes dot vote open, results revealed), then, vote after vote, times
what ``ProjectorScreen.flush`` does for each redraw:

- ``load``: ``load_results`` (the prepared queries of ``votes.dot_vote_results``: the tally,
  and how many of each collège voted);
- ``render``: ``ResultsView.render`` on a real NiceGUI element tree (a ``Client`` made in
  this process, no browser, no server) plus what NiceGUI's outbox does before sending:
  every changed element turned into a dict and the messages, serialised with NiceGUI's
  JSON. ``bytes`` is the size of that serialised update.

Prints figures; asserts nothing. Run: ``nice -n 19 .venv/bin/python bench/projector_redraw.py``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTICIPANTS, CARDS, BUDGET = 150, 40, 5


def build(db, card_count: int = CARDS) -> tuple[int, int, list[str], list[int]]:
    """A seminar with its dot vote open: (seminar id, activity id, device tokens, card ids)."""
    from workshop.content import default_kit, find_run_sheet
    from workshop.models import CardKind, College, Interaction
    from workshop.services import activities, cards, participants, planning, screen, seminars

    created = seminars.create_seminar(db, title="Banc du projecteur", territory="Bancville", horizon_year=2050,
                                      run_sheet=find_run_sheet("deux-jours"), kit=default_kit(),
                                      facilitator_secret="banc-secret-projecteur")
    sid = created.seminar_id
    vote = next(a for a in activities.list_activities(db, sid)
                if a.interaction is Interaction.DOT_VOTE and CardKind.STAKE.value in a.card_kinds)
    planning.update_activity(db, sid, vote.id, vote_budget=BUDGET, vote_max_per_card=None)
    card_ids = [cards.add_card(db, sid, kind=CardKind.STAKE, theme=None,
                               text=f"Enjeu n° {i + 1} : un territoire plus sobre, plus solidaire et qui "
                                    f"garde ses services de proximité").id for i in range(card_count)]
    colleges = list(College)
    tokens = [participants.join(db, created.join_code, display_name=f"Personne {i + 1}",
                                college=colleges[i % len(colleges)]).device_token for i in range(PARTICIPANTS)]
    activities.open_activity(db, sid, vote.id)
    screen.set_screen(db, sid, view="results", reveal_results=True, show_join=False)
    return sid, vote.id, tokens, card_ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redraws", type=int, default=600, help="votes cast, one redraw after each (default 600)")
    parser.add_argument("--cards", type=int, default=CARDS,
                        help=f"stake cards (default {CARDS}; bench.load's seminars have 10, "
                             "so every vote moves the chart)")
    args = parser.parse_args(argv)

    from nicegui import Client, json as nicegui_json, ui

    from workshop.db import Database, set_database
    from workshop.services import activities, votes
    from starlette.requests import Request

    from workshop.ui.projector.base import load_results
    from workshop.ui.projector.page import ProjectorScreen
    from workshop.ui.projector.results import ResultsView

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'banc.sqlite3'}")
        db.create_schema()
        set_database(db)
        try:
            sid, activity_id, tokens, card_ids = build(db, args.cards)
            activity = next(a for a in activities.list_activities(db, sid) if a.id == activity_id)
            client = Client(ui.page("/banc-projecteur"))
            outbox = client.outbox

            def sent() -> int:
                """What the outbox would send now (as it does it), then forgets it: bytes."""
                size = 0
                if outbox.updates:
                    data = {element_id: element._to_dict() if hasattr(element, "_to_dict") else None
                            for element_id, element in outbox.updates.items()}
                    size += len(nicegui_json.dumps(data))
                    outbox.updates.clear()
                for message in outbox.messages:
                    size += len(nicegui_json.dumps(message[2]))
                outbox.messages.clear()
                return size

            with client:
                # the projector's own page object (its texts, counts and rules), as /projector/ID builds it
                page = ProjectorScreen(sid, Request({"type": "http", "scheme": "http", "path": "/", "query_string": b"",
                                                     "server": ("127.0.0.1", 8080), "headers": []}), "fr")
                view = ResultsView(page, activity, wide=True)
                page.view = view
                sent()
                rng = random.Random(21)
                weights = [1 / (i + 1) for i in range(len(card_ids))]  # a few cards get most dots
                left = {token: BUDGET for token in tokens}
                placed: dict[tuple[str, int], int] = {}
                load_ms, render_ms, sizes = [], [], []
                for _ in range(args.redraws):
                    voters = [t for t, n in left.items() if n > 0]
                    if not voters:
                        break
                    token = rng.choice(voters)
                    card = rng.choices(card_ids, weights)[0]
                    placed[token, card] = placed.get((token, card), 0) + 1
                    votes.set_dots(db, token, activity_id, card, placed[token, card])
                    left[token] -= 1
                    t0 = time.perf_counter()
                    data = load_results(sid, activity)
                    t1 = time.perf_counter()
                    view.render(data)
                    size = sent()
                    t2 = time.perf_counter()
                    load_ms.append((t1 - t0) * 1000)
                    render_ms.append((t2 - t1) * 1000)
                    sizes.append(size)
        finally:
            set_database(None)
            db.dispose()

    def line(name: str, values: list[float], unit: str) -> str:
        values = sorted(values)
        return (f"{name:<8} mean {statistics.fmean(values):7.2f} {unit}   median {statistics.median(values):7.2f}"
                f"   p95 {values[int(len(values) * 0.95) - 1]:7.2f}   max {values[-1]:8.2f}")

    total = [a + b for a, b in zip(load_ms, render_ms)]
    print(f"projector dot-vote redraw: {PARTICIPANTS} participants, {args.cards} cards, {len(total)} redraws "
          f"(one after each vote)")
    print(line("load", load_ms, "ms"))
    print(line("render", render_ms, "ms"))
    print(line("total", total, "ms"))
    print(line("bytes", [float(s) for s in sizes], "B "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
