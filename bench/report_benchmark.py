"""Benchmark of the capitalisation report exports on a large seminar.

    .venv/bin/python bench/report_benchmark.py [--participants 150] [--cards 600] [--votes 6000]
                                               [--links 300] [--trajectories 8] [--database URL]
                                               [--keep DIR [--reuse]] [--all-services] [--runs 2] [--quick]

Builds a large seminar (by default 150 participants, 600 cards, 6,000 votes, 300 links,
8 trajectories) on an embedded SQLite database, then exports its report and prints the
time of each format and the total. Target: all formats together under 10 s on the 2-core
machine. Exit status 1 when over. Not a test: run it by hand (or ``make bench-report``).

How the seminar is built: through the services (join, contribute, create_link,
create_trajectory, add_step, activities.advance, planning.update_activity, rate, set_dots,
robustness.rate), except the bulk of the dot votes: 6,000 ``set_dots`` calls (each a unit
of work with a row lock and a budget check) take about a minute on SQLite, so by default
only the first 300 go through the service and the rest are inserted through the ORM in one
transaction, keeping to the same rules (each participant within the vote's budget and
per-card maximum, one row per participant and card). ``--all-services`` sends every vote
through ``votes.set_dots`` instead.

All formats together in one export (what the staff page and ``workshop report`` do), first
cold (Chromium and the PDF worker start with the export, as with ``workshop report``), then
warm (as on the staff page after its first export: both are kept running), the figure cache
emptied each time; then each format in an export of its own. The step times are those the
progress bar shows. On a busy machine (load average above the core count) the times are
inflated; the CPU used by this process and by its helper processes is printed too.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop import clock  # noqa: E402
from workshop.content import default_kit, find_run_sheet  # noqa: E402
from workshop.db import Database  # noqa: E402
from workshop.models import CardKind, College, DotVote, Interaction, Relation  # noqa: E402
from workshop.services import (  # noqa: E402
    activities, cards, links, participants, planning, ratelimit, robustness, seminars, trajectories, votes)
from workshop.services.links import RULES  # noqa: E402

TARGET_S = 10.0
KIND_MIX = [(CardKind.STAKE, 0.25), (CardKind.THREAT, 0.20), (CardKind.RESOURCE, 0.17), (CardKind.CHALLENGE, 0.07),
            (CardKind.CURRENT_ACTION, 0.07), (CardKind.ACTION_LEAD, 0.13), (CardKind.VISION_ARTICLE, 0.03),
            (CardKind.WORD, 0.08)]
WORDS = ["accès", "soins", "centres-bourgs", "mobilités", "alimentation", "locale", "ressource", "eau", "emplois",
         "transition", "logements", "sobres", "vie", "associative", "canicules", "crues", "énergie",
         "vieillissement", "commerces", "captages", "réseau", "chaleur", "friches", "maraîchers", "bus", "tissu",
         "citoyen", "coopération", "jeunes", "formation", "numérique", "agriculture", "biodiversité", "tourisme",
         "culture", "quartiers", "rural", "santé", "habitat", "sobriété"]
ONE_WORDS = ["Solidaire", "Verte", "Vivante", "Résiliente", "Accueillante", "Apaisée", "Innovante", "Nourricière"]


def _text(rng: random.Random, kind: CardKind, n: int) -> str:
    if kind is CardKind.WORD:
        return rng.choice(ONE_WORDS)
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))
    prefix = "Comment " if kind is CardKind.CHALLENGE else ""
    return f"{prefix}{words} ({kind.value} {n})"[:200]


def _activity(db: Database, sid: int, interaction: Interaction, kind: CardKind | None = None):
    for a in activities.list_activities(db, sid):
        if a.interaction is interaction and (kind is None or kind.value in a.card_kinds):
            return a
    raise SystemExit(f"the run sheet has no {interaction.value} activity for {kind}")


def build_large_seminar(db: Database, *, n_participants: int, n_cards: int, n_votes: int, n_links: int,
                        n_trajectories: int, seed: int = 21, all_services: bool = False) -> tuple[int, dict[str, float]]:
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    today = clock.now().date()
    created = seminars.create_seminar(
        db, title="Visions +21 : Grand territoire 2050 (benchmark)", territory="Grand Territoire de Test",
        horizon_year=max(today.year + 5, 2050), run_sheet=find_run_sheet("deux-jours"), kit=default_kit(),
        day_dates=[today, today + timedelta(days=1)],
        group_names=[f"Table {i}" for i in range(1, 21)], facilitator_secret="benchmark-secret")
    sid = created.seminar_id
    groups = seminars.get_seminar_by_id(db, sid).groups
    # Room for 6,000 vote rows among 150 people: bigger dot budgets (done while the votes are pending).
    vote_budgets = {CardKind.STAKE: 20, CardKind.CHALLENGE: 10, CardKind.ACTION_LEAD: 10}
    for kind, budget in vote_budgets.items():
        act = _activity(db, sid, Interaction.DOT_VOTE, kind)
        planning.update_activity(db, sid, act.id, vote_budget=budget, vote_max_per_card=2)
    colleges = list(College)
    tokens = []
    for i in range(n_participants):
        joined = participants.join(db, created.join_code, display_name=f"Personne {i + 1}",
                                   college=colleges[i % len(colleges)] if i % 3 else College.RESIDENT,
                                   group_id=groups[i % len(groups)].id)
        tokens.append(joined.device_token)
    timings["participants (join)"] = time.perf_counter() - start

    # Cards: contributed during the activities that expect them (opened in turn).
    start = time.perf_counter()
    counts = {kind: int(round(share * n_cards)) for kind, share in KIND_MIX}
    counts[CardKind.STAKE] += n_cards - sum(counts.values())
    ids: dict[CardKind, list[int]] = {kind: [] for kind, _ in KIND_MIX}
    contribute_in = {
        CardKind.WORD: (Interaction.WORD, CardKind.WORD), CardKind.STAKE: (Interaction.CONTRIBUTE, CardKind.STAKE),
        CardKind.THREAT: (Interaction.CONTRIBUTE, CardKind.STAKE), CardKind.RESOURCE: (Interaction.CONTRIBUTE, CardKind.STAKE),
        CardKind.CHALLENGE: (Interaction.CONTRIBUTE, CardKind.CHALLENGE),
        CardKind.CURRENT_ACTION: (Interaction.CONTRIBUTE, CardKind.CURRENT_ACTION),
        CardKind.VISION_ARTICLE: (Interaction.CONTRIBUTE, CardKind.VISION_ARTICLE),
        CardKind.ACTION_LEAD: (Interaction.CONTRIBUTE, CardKind.ACTION_LEAD),
    }
    themes = [t.key for t in default_kit().themes]
    for kind in (CardKind.WORD, CardKind.STAKE, CardKind.THREAT, CardKind.RESOURCE, CardKind.CHALLENGE,
                 CardKind.CURRENT_ACTION, CardKind.VISION_ARTICLE, CardKind.ACTION_LEAD):
        act = _activity(db, sid, *contribute_in[kind])
        activities.open_activity(db, sid, act.id)
        for n in range(counts[kind]):
            details = ""
            if kind is CardKind.VISION_ARTICLE:
                details = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(3))
            card = cards.contribute(db, tokens[rng.randrange(len(tokens))], act.id, kind=kind,
                                    text=_text(rng, kind, n + 1), details=details,
                                    theme=None if kind is CardKind.WORD else rng.choice(themes))
            ids[kind].append(card.id)
        activities.close_activity(db, sid, act.id)
    timings["cards (contribute)"] = time.perf_counter() - start

    # Ratings of threats (30 people x every threat x 2 criteria) and a robustness test.
    start = time.perf_counter()
    rate = _activity(db, sid, Interaction.RATE, CardKind.THREAT)
    activities.open_activity(db, sid, rate.id)
    for token in tokens[:10]:
        for card_id in ids[CardKind.THREAT]:
            for criterion in ("likelihood", "impact"):
                votes.rate(db, token, rate.id, card_id, criterion, rng.randint(1, 5))
    activities.close_activity(db, sid, rate.id)
    robust = _activity(db, sid, Interaction.ROBUSTNESS)
    activities.open_activity(db, sid, robust.id)
    for token in tokens[:20]:
        for challenge in ids[CardKind.CHALLENGE][:8]:
            for action in ids[CardKind.CURRENT_ACTION][:8]:
                robustness.rate(db, token, robust.id, challenge, action,
                                           rng.choice(["holds", "bends", "breaks"]),
                                           reason=rng.choice(["", "manque de moyens", "dépend de l'État"]))
    activities.close_activity(db, sid, robust.id)
    timings["ratings (votes.rate, robustness.rate)"] = time.perf_counter() - start

    # Dot votes: n_votes rows spread over the three votes, within each budget.
    start = time.perf_counter()
    plan: list[tuple[int, int, int, int]] = []  # (activity, participant index, card, dots)
    per_vote = [(kind, budget) for kind, budget in vote_budgets.items()]
    total_budget = sum(b for _, b in per_vote)
    for kind, budget in per_vote:
        act = _activity(db, sid, Interaction.DOT_VOTE, kind)
        rows_here = int(round(n_votes * budget / total_budget))
        base, extra = divmod(rows_here, n_participants)
        for p in range(n_participants):
            take = min(budget, base + (1 if p < extra else 0), len(ids[kind]))
            for card_id in rng.sample(ids[kind], k=take):
                plan.append((act.id, p, card_id, 1))
    plan = plan[:n_votes]
    by_activity: dict[int, list[tuple[int, int, int]]] = {}
    for act_id, p, card_id, dots in plan:
        by_activity.setdefault(act_id, []).append((p, card_id, dots))
    through_service = len(plan) if all_services else min(300, len(plan))
    done = 0
    people = {p.display_name: p.id for p in participants.list_participants(db, sid)}
    for act_id, rows in by_activity.items():
        activities.open_activity(db, sid, act_id)
        bulk = []
        for p, card_id, dots in rows:
            if done < through_service:
                votes.set_dots(db, tokens[p], act_id, card_id, dots)
            else:
                bulk.append(DotVote(activity_id=act_id, participant_id=people[f"Personne {p + 1}"], card_id=card_id,
                                    dots=dots))
            done += 1
        if bulk:
            with db.write() as session:
                session.add_all(bulk)
        activities.close_activity(db, sid, act_id)
    timings[f"votes ({through_service} set_dots, {len(plan) - through_service} bulk)"] = time.perf_counter() - start

    # Links (allowed pairs only, never twice) and trajectories with dated steps.
    start = time.perf_counter()
    made, tried, seen = 0, 0, set()
    relations = [Relation.WEIGHS_ON, Relation.SUPPORTS, Relation.COUNTERS, Relation.INFLUENCES, Relation.LEADS_TO]
    by_kind = {kind: ids.get(kind, []) for kind in CardKind}
    while made < n_links and tried < n_links * 20:
        tried += 1
        relation = rng.choice(relations)
        sources, targets = RULES[relation]
        source_pool = [c for k in sources for c in by_kind.get(k, [])]
        target_pool = [c for k in targets for c in by_kind.get(k, [])]
        if not source_pool or not target_pool:
            continue
        source, target = rng.choice(source_pool), rng.choice(target_pool)
        if source == target or (source, target, relation) in seen:
            continue
        seen.add((source, target, relation))
        links.create_link(db, sid, source, target, relation, weight=rng.randint(1, 3))
        made += 1
    horizon = seminars.get_seminar_by_id(db, sid).horizon_year
    levers = ids[CardKind.RESOURCE] + ids[CardKind.ACTION_LEAD]
    for i in range(n_trajectories):
        tr = trajectories.create_trajectory(db, sid, ids[CardKind.STAKE][i], f"Trajectoire {i + 1}",
                                            group_id=groups[i % len(groups)].id)
        for year in sorted(rng.sample(range(today.year, horizon + 1), k=5)):
            trajectories.add_step(db, sid, tr.id, year=year, title=f"Étape {year} : {_text(rng, CardKind.ACTION_LEAD, i)}"[:200],
                                  card_ids=rng.sample(levers, k=2))
    timings["links & trajectories"] = time.perf_counter() - start
    for act in activities.list_activities(db, sid):
        if act.facilitator_notes == "" and act.position % 4 == 0:
            activities.set_notes(db, sid, act.id, "Note de l'animation : " + " ".join(rng.choice(WORDS) for _ in range(30)))
    seminars.set_lessons_learned(db, sid, "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(50)) for _ in range(4)))
    # An activity still open: the report is exported during the seminar.
    activities.open_activity(db, sid, _activity(db, sid, Interaction.TRAJECTORY).id)
    return sid, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=150)
    parser.add_argument("--cards", type=int, default=600)
    parser.add_argument("--votes", type=int, default=6000)
    parser.add_argument("--links", type=int, default=300)
    parser.add_argument("--trajectories", type=int, default=8)
    parser.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the database and the exports in this folder (default: a temporary one, removed)")
    parser.add_argument("--all-services", action="store_true", help="send every vote through votes.set_dots")
    parser.add_argument("--runs", type=int, default=2, help="warm runs after the cold one (default 2)")
    parser.add_argument("--quick", action="store_true", help="skip timing each format alone")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse the seminar built by an earlier run")
    args = parser.parse_args(argv)

    from workshop.reports import FORMATS, export_report
    from workshop.reports.figures import clear_cache
    from workshop.figures import static_export_problem

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="report-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db_path = work / "bench.sqlite3"
    reuse = args.reuse and db_path.exists() and not args.database
    if not reuse:
        db_path.unlink(missing_ok=True)
    db = Database(args.database or f"sqlite:///{db_path}")
    db.create_schema()
    print(f"Machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"{platform.machine()}; load average {os.getloadavg()[0]:.1f}")
    if reuse:
        from workshop.services import seminars as seminar_service

        sid = max(s.id for s in seminar_service.list_seminars(db))
        print(f"Reusing the seminar built before in {db_path}")
    else:
        start = time.perf_counter()
        with ratelimit.exempt():  # simulated people voting at machine speed
            sid, timings = build_large_seminar(db, n_participants=args.participants, n_cards=args.cards,
                                               n_votes=args.votes, n_links=args.links,
                                               n_trajectories=args.trajectories, all_services=args.all_services)
        print(f"Built the seminar in {time.perf_counter() - start:.1f} s: "
              + ", ".join(f"{name} {secs:.1f} s" for name, secs in timings.items()))
    from workshop.reports.model import build_report

    report = build_report(db, sid)
    print(f"Seminar {sid}: {report.participation.total} participants, {len(report.cards)} cards, "
          f"{sum(n for *_, n in report.votes_by_college)} votes ({report.total_dots} dots), {len(report.links)} links, "
          f"{len(report.trajectories)} trajectories")
    problem = static_export_problem()
    if problem:
        print(f"WARNING: static figures unavailable ({problem}); PDF and DOCX without figures")
    out = work / "exports"
    # Imports (WeasyPrint, python-docx, openpyxl) are loaded once per process, like in the server.
    import docx  # noqa: F401
    import openpyxl  # noqa: F401
    import weasyprint  # noqa: F401

    def export_all(label: str) -> tuple[float, dict]:
        clear_cache()
        marks: list[tuple[float, str]] = []
        cpu = time.process_time()
        start = time.perf_counter()
        paths = export_report(db, sid, FORMATS, out, progress=lambda step, total, text: marks.append(
            (time.perf_counter() - start, text)))
        total = time.perf_counter() - start
        print(f"\n{label}: {total:.2f} s (this process's CPU {time.process_time() - cpu:.2f} s)")
        for (at, text), (end, _) in zip(marks, marks[1:]):
            print(f"  {text:<32} {end - at:6.2f} s")
        return total, paths

    cold, paths = export_all("All formats, cold (Chromium and the PDF worker start with the export)")
    warm = []
    for run in range(args.runs):
        seconds, paths = export_all(f"All formats, warm run {run + 1} (Chromium and the PDF worker already up; "
                                    "figure cache emptied)")
        warm.append(seconds)
    print()
    for fmt, path in paths.items():
        print(f"  {fmt:<5} {path.stat().st_size / 1024:8.0f} KiB  {path.name}")

    alone = {}
    if not args.quick:
        print("\nEach format alone (warm, figure cache emptied before each):")
        for fmt in FORMATS:
            clear_cache()
            start = time.perf_counter()
            export_report(db, sid, [fmt], out)
            alone[fmt] = time.perf_counter() - start
            print(f"  {fmt:<5} {alone[fmt]:6.2f} s")

    from workshop.reports.figures import stop_browser
    from workshop.reports.pdf_worker import WORKER

    stop_browser()
    WORKER.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    print(f"\nChromium and the PDF worker used {children.ru_utime + children.ru_stime:.1f} s of CPU over all the "
          f"exports above; load average now {load:.1f} on {os.cpu_count()} cores"
          + (" (a busy machine: the times above are inflated)" if load > (os.cpu_count() or 1) else ""))
    best = min([cold, *warm])
    print(f"TOTAL all formats: cold {cold:.2f} s" + (f", warm best {min(warm):.2f} s" if warm else "")
          + f" (target {TARGET_S:.0f} s) — {'ok' if best < TARGET_S else 'OVER'}")
    clear_cache()
    db.dispose()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if best < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
