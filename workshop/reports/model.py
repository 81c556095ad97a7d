"""The one report model: a plain, frozen reading of a seminar that every format renders.

``build_report(db, seminar_id)`` reads the seminar once through the services (and the graph
analyses) into dataclasses: who came, the run sheet as played, votes, ratings, links,
trajectories, articles, robustness, notes and lessons. The PDF, the DOCX, the HTML page and
the CSV/XLSX data all render from this object, so a number is the same everywhere.

Works at any moment: an activity still open counts its time up to now; nothing voted yet
gives empty rankings, not errors. No personal names: participants appear by collège and
table only (display names are personal data).

The dataclasses live in ``workshop.reports.rows`` and are importable from here too.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import func, select

from workshop import clock
from workshop.analysis import SeminarAnalysis, Snapshot, analyse, load_snapshot
from workshop.analysis.snapshot import IMPACT, LIKELIHOOD
from workshop.db import Database
from workshop.i18n import translate
from workshop.models import ActivityState, Card, CardKind, College, Interaction, Rating, Relation
from workshop.reports.rows import (  # noqa: F401  (the report's shape, importable from here as before)
    COLLEGES,
    ActivityNote,
    CollegeCount,
    ExposureRow,
    GraphFindings,
    InfluenceRow,
    LinkRow,
    LoopRow,
    Participation,
    RankedCard,
    ResourceRow,
    RobustnessRow,
    RoomPhoto,
    RunStep,
    SeminarReport,
    StepRow,
    TableCount,
    ThreatRow,
    TrajectoryRow,
    UnratedPair,
)
from workshop.services import activities, cards, links, participants, publication, robustness, seminars, trajectories, votes
from workshop.services.wordcloud import word_frequencies

#: Threats are placed on the likelihood x impact matrix by their mean ratings; a mean at or
#: above this value (the middle of the 1-5 scale) counts as "high".
HIGH_RATING = 3.0

#: Time zone the report prints times in (the seminars are held in France).
DEFAULT_TIMEZONE = "Europe/Paris"


def _zone():
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(os.environ.get("WORKSHOP_TIMEZONE", DEFAULT_TIMEZONE))
    except Exception:  # noqa: BLE001 - no time zone database: the machine's local time
        return None


def local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    zone = _zone()
    return moment.astimezone(zone) if zone else moment.astimezone()



# --- building it ------------------------------------------------------------------------------


def _rating_counts(db: Database, seminar_id: int) -> dict[tuple[int, str], int]:
    """How many people gave each (card, criterion) rating (votes.mean_ratings gives the means)."""
    with db.read() as session:
        rows = session.execute(
            select(Rating.card_id, Rating.criterion, func.count(func.distinct(Rating.participant_id)))
            .join(Card, Card.id == Rating.card_id)
            .where(Card.seminar_id == seminar_id, Card.withdrawn.is_(False), Card.merged_into_id.is_(None))
            .group_by(Rating.card_id, Rating.criterion)).all()
    return {(card_id, criterion): int(n) for card_id, criterion, n in rows}


def _raters_per_card(db: Database, seminar_id: int) -> dict[int, int]:
    with db.read() as session:
        rows = session.execute(
            select(Rating.card_id, func.count(func.distinct(Rating.participant_id)))
            .join(Card, Card.id == Rating.card_id)
            .where(Card.seminar_id == seminar_id).group_by(Rating.card_id)).all()
    return {card_id: int(n) for card_id, n in rows}


def quadrant(likelihood: float | None, impact: float | None) -> str:
    if likelihood is None or impact is None:
        return "unrated"
    high_l, high_i = likelihood >= HIGH_RATING, impact >= HIGH_RATING
    if high_l and high_i:
        return "major"
    if high_i:
        return "grave"
    if high_l:
        return "likely"
    return "minor"


def build_report(db: Database, seminar_id: int, *, now: datetime | None = None) -> SeminarReport:
    """Read one seminar into a ``SeminarReport`` (a few queries; safe while the seminar runs)."""
    now = now or clock.now()
    seminar = seminars.get_seminar_by_id(db, seminar_id)
    lang = seminar.language if seminar.language in ("fr", "en") else "fr"

    def t(key: str, **params) -> str:
        return translate(key, lang, **params)

    themes = {th.id: th.label for th in seminar.themes}
    groups = {g.id: g.name for g in seminar.groups}

    # Who came: by collège and by table (no names).
    people = participants.list_participants(db, seminar_id)
    by_college = Counter(p.college.value for p in people)
    per_table: dict[int | None, Counter] = defaultdict(Counter)
    for p in people:
        per_table[p.group_id if p.group_id in groups else None][p.college.value] += 1
    tables = [TableCount(g.name, sum(per_table[g.id].values()), dict(per_table[g.id])) for g in seminar.groups]
    if per_table.get(None):
        tables.append(TableCount(t("report.no_table"), sum(per_table[None].values()), dict(per_table[None])))
    participation = Participation(
        total=len(people),
        by_college=tuple(CollegeCount(c, t(f"college_name.{c}"), by_college.get(c, 0)) for c in COLLEGES),
        tables=tuple(tables),
    )

    # The run sheet as played.
    acts = activities.list_activities(db, seminar_id)
    run_sheet = []
    for a in acts:
        started = a.started_at is not None
        run_sheet.append(RunStep(
            position=a.position + 1, day=a.day, title=a.title, exercise=a.exercise_type,
            interaction=a.interaction.value, card_kinds=tuple(str(getattr(k, "value", k)) for k in a.card_kinds or ()),
            mode=a.mode.value, state=a.state.value,
            planned_minutes=a.planned_minutes, extended_minutes=a.extended_minutes,
            actual_minutes=round(activities.elapsed_seconds(a, now) / 60, 1) if started else None,
            started_at=local(a.started_at), ended_at=local(a.ended_at), notes=a.facilitator_notes or "",
        ))
    current = next((a.title for a in acts if a.state is ActivityState.OPEN), None)
    in_progress = current is not None or any(a.state is ActivityState.PENDING for a in acts)

    # Cards, votes, ratings.
    wall = cards.list_cards(db, seminar_id)
    tallies = {tl.card_id: tl for tl in votes.tally(db, seminar_id)}
    means = votes.mean_ratings(db, seminar_id)
    rating_counts = _rating_counts(db, seminar_id)
    raters = _raters_per_card(db, seminar_id)
    texts = {c.id: c.text for c in wall}

    def ranked(kind: CardKind) -> tuple[RankedCard, ...]:
        chosen = [c for c in wall if c.kind is kind]
        chosen.sort(key=lambda c: (-(tallies[c.id].dots if c.id in tallies else 0), c.id))
        out = []
        for i, c in enumerate(chosen, start=1):
            tl = tallies.get(c.id)
            out.append(RankedCard(
                rank=i, card_id=c.id, kind=kind.value, text=c.text, details=c.details or "",
                theme=themes.get(c.theme_id, ""), group=groups.get(c.group_id, ""),
                dots=tl.dots if tl else 0, voters=tl.voters if tl else 0,
                by_college={k: tl.by_college.get(k, 0) for k in COLLEGES if tl and tl.by_college.get(k)},
                undetailed=tl.undetailed if tl else 0,
            ))
        return tuple(out)

    by_kind = {kind: ranked(kind) for kind in CardKind}
    all_cards = tuple(card for kind in CardKind for card in by_kind[kind])
    on_wall = {c.card_id for c in all_cards}

    # Graph analyses (the same snapshot the projector and the console read).
    snapshot = load_snapshot(db, seminar_id)
    analysis = analyse(snapshot)
    accepted = [l for l in links.list_links(db, seminar_id) if l.source_id in on_wall and l.target_id in on_wall]
    out_links: dict[int, list[tuple[Relation, int]]] = defaultdict(list)
    in_links: dict[int, list[tuple[Relation, int]]] = defaultdict(list)
    for l in accepted:
        out_links[l.source_id].append((l.relation, l.target_id))
        in_links[l.target_id].append((l.relation, l.source_id))

    threats = []
    for c in by_kind[CardKind.THREAT]:
        m = means.get(c.card_id, {})
        likelihood, impact = m.get(LIKELIHOOD), m.get(IMPACT)
        assessment = analysis.threats_by_id.get(c.card_id)
        threats.append(ThreatRow(
            card_id=c.card_id, text=c.text, theme=c.theme, likelihood=likelihood, impact=impact,
            raters=raters.get(c.card_id, 0),
            severity=likelihood * impact if likelihood is not None and impact is not None else None,
            quadrant=quadrant(likelihood, impact),
            pressure=assessment.pressure if assessment else 0.0,
            weighs_on=tuple(texts[tid] for rel, tid in out_links[c.card_id] if rel is Relation.WEIGHS_ON),
            countered_by=tuple(texts[sid] for rel, sid in in_links[c.card_id] if rel is Relation.COUNTERS),
        ))
    threats.sort(key=lambda r: (r.severity is None, -(r.severity or 0), -r.pressure, r.card_id))

    sources = {c.id: c.source or "" for c in wall}
    resources = tuple(ResourceRow(
        card_id=c.card_id, text=c.text, theme=c.theme, source=sources.get(c.card_id, ""),
        supports=tuple(texts[tid] for rel, tid in out_links[c.card_id]
                       if rel in (Relation.SUPPORTS, Relation.LEADS_TO)),
        counters=tuple(texts[tid] for rel, tid in out_links[c.card_id] if rel is Relation.COUNTERS),
    ) for c in sorted(by_kind[CardKind.RESOURCE], key=lambda c: (c.theme, c.card_id)))

    link_rows = tuple(LinkRow(l.id, l.source_id, texts[l.source_id], l.relation.value, l.target_id,
                              texts[l.target_id], l.weight, l.note or "") for l in accepted)

    trajectory_rows = []
    for tr in trajectories.list_trajectories(db, seminar_id):
        steps = tuple(StepRow(s.year, s.title, s.description or "",
                              tuple(texts[cid] for cid in (s.card_ids or []) if cid in texts),
                              tuple(cid for cid in (s.card_ids or []) if cid in texts))
                      for s in sorted(tr.steps, key=lambda s: (s.year, s.id)))
        trajectory_rows.append(TrajectoryRow(tr.id, tr.title, tr.target_card_id,
                                             texts.get(tr.target_card_id, ""), groups.get(tr.group_id, ""), steps))

    robustness_rows = tuple(RobustnessRow(
        cell.challenge_id, texts.get(cell.challenge_id, ""), cell.action_id, texts.get(cell.action_id, ""),
        cell.score, cell.counts.get("holds", 0), cell.counts.get("bends", 0), cell.counts.get("breaks", 0),
        tuple(cell.reasons),
    ) for cell in robustness.matrix(db, seminar_id)
        if cell.challenge_id in on_wall and cell.action_id in on_wall)
    # the pairs a robustness test played asked about and nobody rated: the matrix is all its pairs
    rated_pairs = {(x.challenge_id, x.action_id) for x in robustness_rows}
    # (the wall already read: the same cards, in the same order, as the projector's grid reads them)
    unrated: dict[tuple[int, int], UnratedPair] = {}
    for a in acts:
        if a.interaction is Interaction.ROBUSTNESS and a.state is not ActivityState.PENDING:
            challenges, actions = robustness.sides(wall, a.card_kinds)
            for c in challenges:
                for x in actions:
                    if (c.id, x.id) not in rated_pairs:
                        unrated[(c.id, x.id)] = UnratedPair(c.id, c.text, x.id, x.text)
    robustness_unrated = tuple(unrated.values())

    notes = tuple(ActivityNote(a.day, a.title, a.facilitator_notes) for a in acts if (a.facilitator_notes or "").strip())
    words = tuple(word_frequencies(c.text for c in wall if c.kind is CardKind.WORD))

    votes_by_college = tuple(sorted(row for tl in tallies.values() if tl.card_id in on_wall
                                    for row in _votes_by_college(tl)))
    ratings = tuple(sorted((card_id, criterion, mean, rating_counts.get((card_id, criterion), 0))
                           for card_id, per in means.items() if card_id in on_wall
                           for criterion, mean in per.items()))

    return SeminarReport(
        seminar_id=seminar_id, title=seminar.title, territory=seminar.territory,
        horizon_year=seminar.horizon_year, language=lang, kit_name=seminar.kit_name,
        run_sheet_name=seminar.run_sheet_name, days=tuple(d.date for d in seminar.days),
        created_on=local(seminar.created_at).date(),
        generated_at=local(now), in_progress=in_progress, current_activity=current,
        participation=participation, run_sheet=tuple(run_sheet), words=words,
        stakes=by_kind[CardKind.STAKE], threats=tuple(threats), resources=resources,
        challenges=by_kind[CardKind.CHALLENGE], current_actions=by_kind[CardKind.CURRENT_ACTION],
        action_leads=by_kind[CardKind.ACTION_LEAD], articles=by_kind[CardKind.VISION_ARTICLE],
        trends=by_kind[CardKind.TREND], links=link_rows, trajectories=tuple(trajectory_rows),
        robustness=robustness_rows, robustness_unrated=robustness_unrated, notes=notes,
        lessons_learned=seminar.lessons_learned or "",
        findings=_findings(snapshot, analysis, link_rows, t, lang), cards=all_cards,
        votes_by_college=votes_by_college, ratings=ratings, snapshot=snapshot, analysis=analysis,
        edited=publication.report_texts(db, seminar_id), identity=publication.identity(db, seminar_id),
        photos=_photos(db, seminar_id, {a.id: a for a in acts}),
    )


def _photos(db: Database, seminar_id: int, acts: dict) -> tuple[RoomPhoto, ...]:
    out = []
    for info, data in publication.photos_with_data(db, seminar_id):
        act = acts.get(info.activity_id)
        out.append(RoomPhoto(info.id, info.caption, act.position + 1 if act else None, act.title if act else "",
                             info.media_type, info.width, info.height, data))
    return tuple(out)


#: The open data's word for the dots of collèges not broken down (``votes.undetailed_colleges``).
UNDETAILED_CODE = "non_detaille"


def _votes_by_college(tally: votes.CardTally) -> list[tuple[int, str, int, int]]:
    """(card, collège, dots, votes) of one card, as the tally cuts them: the collèges shown apart,
    then the others together under ``UNDETAILED_CODE``."""
    out = [(tally.card_id, College(c).value, tally.by_college[c], tally.votes_by_college[c])
           for c in tally.by_college]
    if tally.undetailed:
        out.append((tally.card_id, UNDETAILED_CODE, tally.undetailed, tally.undetailed_votes))
    return out


#: Loops the report lists (the console lists 8): the others are counted, as on the console.
REPORT_LOOPS = 6
REPORT_CLUSTERS = 8  # sub-systems listed, largest first (the rest counted; all in analyse_cartes.csv)


def _findings(snapshot: Snapshot, analysis: SeminarAnalysis, link_rows, t, lang: str = "fr") -> GraphFindings:
    from workshop.analysis.readings import loops_list_notes, sentences, settled_sentence

    text = {c.id: c.text for c in snapshot.cards}
    exposure = tuple(ExposureRow(g.card_id, g.kind.value, text[g.card_id], g.exposure, len(g.threats),
                                 g.countered_count, g.countered_share, g.support) for g in analysis.goals)
    influence = tuple(InfluenceRow(s.card_id, analysis.cards[s.card_id].kind.value, text[s.card_id],
                                   s.direct_influence, s.direct_dependence, s.direct_influence_share,
                                   s.direct_dependence_share, s.influence, s.dependence, s.direct_group.value,
                                   s.group.value) for s in analysis.influence)
    by_relation = Counter(l.relation for l in link_rows)
    groups = []
    for group in ("driving", "relay", "dependent", "autonomous"):
        groups.append((group, tuple(text[cid] for cid in analysis.group(group))))
    loops = tuple(tuple(text[cid] for cid in loop.card_ids) for loop in analysis.loops[:REPORT_LOOPS])
    clusters = tuple((text[c.main_card_id], c.size, tuple(text[cid] for cid in c.card_ids if cid != c.main_card_id))
                     for c in analysis.clusters[:REPORT_CLUSTERS])
    central = tuple((text[cid], round(analysis.centrality[cid], 4)) for cid in analysis.central_cards[:8])
    return GraphFindings(
        system_cards=len(analysis.system),
        links_by_relation=tuple((r.value, by_relation.get(r.value, 0)) for r in Relation),
        uncountered_threats=tuple(text[cid] for cid in analysis.uncountered_threats),
        unsupported_goals=tuple(text[cid] for cid in analysis.unsupported_goals),
        isolated_cards=len(analysis.isolated_cards),
        influence_groups=tuple(groups),
        loops=loops,
        clusters=clusters,
        central=central,
        exposure=exposure,
        influence=influence,
        micmac_note=settled_sentence(analysis.micmac, lang) if analysis.influence else "",
        readings=tuple(sentences(analysis.readings, text, lang)),
        loops_notes=tuple(loops_list_notes(analysis, len(loops), lang)),
        clusters_more=max(0, len(analysis.clusters) - REPORT_CLUSTERS),
        loop_rows=tuple(LoopRow(n, loop.length, loop.strength, loop.card_ids)
                        for n, loop in enumerate(analysis.loops, start=1)),
    )
