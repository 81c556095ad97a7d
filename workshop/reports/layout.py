"""Lays a ``SeminarReport`` out as a ``Document``: the chapters of the capitalisation report.

Order (the issue's): context, run sheet as played, stakes ranked by votes (split by
collège), threats on the likelihood x impact matrix, resources, the map of cards and its
analyses, trajectories, vision articles, robustness, action paths, facilitator's notes
and lessons learned, then the method appendix and the data annex.
"""

from __future__ import annotations

from workshop.figures import influence_dependence_figure, trajectories_timeline_figure, trajectory_graph_figure
from workshop.figures.style import shorten
from workshop.reports.data import DataTable
from workshop.reports.document import (
    Article,
    Bullets,
    Document,
    Facts,
    Figure,
    FigureSpec,
    Para,
    Prose,
    Section,
    Table,
    clock_time,
    long_date,
    num,
    signed,
    stamp,
)
from workshop.reports.figures import stakes_by_college_figure, threat_matrix_figure
from workshop.reports.model import COLLEGES, SeminarReport

#: Long tables stop after this many rows in the documents (a note says how many more there
#: are); everything is in the CSV/XLSX data. Keeps a 600-card seminar's report readable (and
#: its PDF quick to lay out).
MAX_ROWS = 30
MAX_RESOURCES = 40
MAX_ROBUSTNESS = 60
MAX_ANNEX_CARDS = 120
MAX_BULLETS = 30


def hours(minutes: float, lang: str) -> str:
    minutes = int(round(minutes))
    h, m = divmod(minutes, 60)
    if lang == "fr":
        return f"{h} h {m:02d}" if h else f"{m} min"
    return f"{h} h {m:02d} min" if h else f"{m} min"


def active_colleges(report: SeminarReport) -> list[str]:
    """Collèges with someone present or a dot cast (the others would be empty columns)."""
    voted = {c for card in report.cards for c in card.by_college}
    return [c for c in COLLEGES if report.participation.count(c) or c in voted]


def _joined(items, limit: int = 3, chars: int = 70) -> str:
    """A short list in one cell: the first ``limit`` card texts, each cut to ``chars``."""
    items = list(items)
    if not items:
        return "–"
    text = " ; ".join(shorten(item, chars) for item in items[:limit])
    return text + (f" (+{len(items) - limit})" if len(items) > limit else "")


def _timeline(snapshot, mode: str, lang: str):
    """The trajectories' timeline, with room on the right for the label of a step at the horizon."""
    fig = trajectories_timeline_figure(snapshot, mode=mode, lang=lang)
    fig.update_layout(margin=dict(r=110))
    return fig


def _capped(rows: list, limit: int) -> tuple[list, int]:
    return rows[:limit], max(0, len(rows) - limit)


def _more(t, hidden: int, table: str) -> list[Para]:
    return [Para(t("report.more_rows", n=hidden, table=table), "muted")] if hidden else []


def seminar_document(report: SeminarReport, data_tables: list[DataTable], files: dict[str, str]) -> Document:
    """``files``: the data files that come with the report, ``{label: file name}``."""
    r = report
    lang = r.language
    t = r.t
    colleges = active_colleges(r)
    short = {c: t(f"report.college_short.{c}") for c in COLLEGES}
    sections: list[Section] = []
    figures: dict[str, FigureSpec] = {}

    # --- 1. context ------------------------------------------------------------------------------
    days = [d for d in r.days]
    dates = ", ".join(t("report.day_date", n=i, date=long_date(d, lang)) for i, d in enumerate(days, start=1)
                      if d is not None) or "–"
    state = (t("report.state_running", activity=r.current_activity) if r.current_activity
             else t("report.state_pending") if r.in_progress else t("report.state_done"))
    present = [c for c in r.participation.by_college if c.count]
    context = Section("contexte", t("report.s.context"))
    context.add(
        Para(t("report.context_lead", title=r.title, n=r.participation.total, colleges=len(present),
               tables=sum(1 for tb in r.participation.tables if tb.total), horizon=r.horizon_year,
               territory=r.territory), "lead"),
        Facts([
            (t("report.f.territory"), r.territory),
            (t("report.f.horizon"), str(r.horizon_year)),
            (t("report.f.dates"), dates),
            (t("report.f.run_sheet"), r.run_sheet_name),
            (t("report.f.participants"), str(r.participation.total)),
            (t("report.f.state"), state),
            (t("report.f.generated"), stamp(r.generated_at, lang)),
        ]),
    )
    total = r.participation.total or 1
    context.add(Table(
        [t("report.c.college"), t("report.c.participants"), t("report.c.share")],
        [[c.label, str(c.count), f"{num(100 * c.count / total, lang, 0)} %"] for c in r.participation.by_college],
        numeric=(1, 2), caption=t("report.cap.by_college"), widths=(50, 25, 25),
        footer=[t("report.c.total"), str(r.participation.total), "100 %" if r.participation.total else "–"],
    ))
    if r.participation.tables:
        context.add(Table(
            [t("report.c.table"), t("report.c.total")] + [short[c] for c in colleges],
            [[tb.name, str(tb.total)] + [str(tb.by_college.get(c, 0)) for c in colleges]
             for tb in r.participation.tables],
            numeric=tuple(range(1, 2 + len(colleges))), caption=t("report.cap.by_table"),
            widths=(28, 9) + tuple(63 / max(1, len(colleges)) for _ in colleges),
        ))
    if r.words:
        context.add(Para(t("report.words_lead"), "muted"),
                    Para(" · ".join(f"{w} ({n})" for w, n in r.words[:25])))
    sections.append(context)

    # --- 2. run sheet -----------------------------------------------------------------------------
    run = Section("deroule", t("report.s.run_sheet"))
    run.add(Para(t("report.run_lead")))
    rows = []
    for s in r.run_sheet:
        planned = s.planned_minutes + s.extended_minutes
        when = "–" if s.started_at is None else (
            f"{clock_time(s.started_at, lang)} – {clock_time(s.ended_at, lang)}" if s.ended_at
            else f"{clock_time(s.started_at, lang)} – …")
        rows.append([str(s.position), str(s.day), s.title, t(f"mode.{s.mode}"),
                     str(s.planned_minutes) + (f" ({signed(s.extended_minutes, lang)})" if s.extended_minutes else ""),
                     num(s.actual_minutes, lang), signed(None if s.actual_minutes is None
                                                         else s.actual_minutes - planned, lang),
                     when, t(f"state.{s.state}")])
    played = [s for s in r.run_sheet if s.actual_minutes is not None]
    run.add(Table(
        [t("report.c.number"), t("report.c.day"), t("report.c.activity"), t("report.c.mode"), t("report.c.planned"),
         t("report.c.actual"), t("report.c.delta"), t("report.c.times"), t("report.c.state")],
        rows, numeric=(0, 1, 4, 5, 6), small=True, widths=(4, 5, 29, 9, 8, 7, 7, 13, 8),
        footer=[t("report.c.total"), "", "", "", str(sum(s.planned_minutes for s in r.run_sheet)),
                num(round(sum(s.actual_minutes or 0 for s in played), 1), lang), "", "", ""],
    ))
    per_day = []
    for day in sorted({s.day for s in r.run_sheet}):
        steps = [s for s in r.run_sheet if s.day == day]
        done = [s for s in steps if s.actual_minutes is not None]
        per_day.append(t("report.day_summary", day=day, planned=hours(sum(s.planned_minutes for s in steps), lang),
                         actual=hours(sum(s.actual_minutes for s in done), lang), played=len(done),
                         total=len(steps)))
    run.add(Bullets(per_day))
    sections.append(run)

    # --- 3. stakes -------------------------------------------------------------------------------
    stakes = Section("enjeux", t("report.s.stakes"))
    dots = sum(c.dots for c in r.stakes)
    stakes.add(Para(t("report.stakes_lead", n=len(r.stakes), dots=dots)))
    if dots:
        figures["stakes"] = FigureSpec(lambda mode: stakes_by_college_figure(r.stakes, COLLEGES, lang=lang, mode=mode),
                                       900, None)
        stakes.add(Figure("stakes", t("report.cap.stakes_figure")))
    if r.stakes:
        shown, hidden = _capped(list(r.stakes), MAX_ROWS)
        stakes.add(Table(
            [t("report.c.rank"), t("report.c.stake"), t("report.c.theme"), t("report.c.dots"), t("report.c.voters")]
            + [short[c] for c in colleges],
            [[str(c.rank), c.text, c.theme or "–", str(c.dots), str(c.voters)]
             + [str(c.by_college.get(k, 0)) for k in colleges] for c in shown],
            numeric=tuple([0, 3, 4] + list(range(5, 5 + len(colleges)))), caption=t("report.cap.stakes"),
            footer=[t("report.c.total"), "", "", str(dots), str(sum(c.voters for c in r.stakes))]
            + [str(sum(c.by_college.get(k, 0) for c in r.stakes)) for k in colleges],
            small=True, widths=(5, 33, 13, 9, 7) + tuple(33 / max(1, len(colleges)) for _ in colleges),
        ))
        stakes.add(*_more(t, hidden, "cartes"))
        stakes.add(Para(t("report.college_legend", legend=", ".join(f"{short[c]} = {t('college_name.' + c)}"
                                                                     for c in colleges)), "muted"))
    else:
        stakes.add(Para(t("report.empty.stakes"), "muted"))
    sections.append(stakes)

    # --- 4. threats ------------------------------------------------------------------------------
    threats = Section("menaces", t("report.s.threats"))
    rated = [x for x in r.threats if x.severity is not None]
    threats.add(Para(t("report.threats_lead", n=len(r.threats), rated=len(rated))))
    if rated:
        figures["threats"] = FigureSpec(
            lambda mode: threat_matrix_figure(r.threats, lang=lang, mode=mode, numbered=MAX_ROWS), 760, 560)
        threats.add(Figure("threats", t("report.cap.threat_matrix")))
    if r.threats:
        shown, hidden = _capped(list(r.threats), MAX_ROWS)
        threats.add(Table(
            [t("report.c.number"), t("report.c.threat"), t("report.c.likelihood"), t("report.c.impact"),
             t("report.c.severity"), t("report.c.raters"), t("report.c.reading"), t("report.c.countered_by")],
            [[str(i), x.text, num(x.likelihood, lang, 2), num(x.impact, lang, 2), num(x.severity, lang, 2),
              str(x.raters), t(f"report.quadrant.{x.quadrant}"), _joined(x.countered_by, 2)]
             for i, x in enumerate(shown, start=1)],
            numeric=(0, 2, 3, 4, 5), caption=t("report.cap.threats"), widths=(5, 33, 9, 8, 8, 6, 13, 18),
        ))
        threats.add(*_more(t, hidden, "menaces"))
    else:
        threats.add(Para(t("report.empty.threats"), "muted"))
    sections.append(threats)

    # --- 5. resources ----------------------------------------------------------------------------
    resources = Section("ressources", t("report.s.resources"))
    resources.add(Para(t("report.resources_lead", n=len(r.resources))))
    if r.resources:
        linked = sorted(r.resources, key=lambda x: (-(len(x.supports) + len(x.counters)), x.theme, x.card_id))
        shown, hidden = _capped(linked, MAX_RESOURCES)
        resources.add(Table(
            [t("report.c.resource"), t("report.c.theme"), t("report.c.supports"), t("report.c.counters")],
            [[x.text + (f" ({x.source})" if x.source else ""), x.theme or "–", _joined(x.supports),
              _joined(x.counters)] for x in shown],
            caption=t("report.cap.resources"), widths=(34, 14, 28, 24),
        ))
        resources.add(*_more(t, hidden, "cartes"))
    else:
        resources.add(Para(t("report.empty.resources"), "muted"))
    if r.trends:
        resources.add(Para(t("report.trends_lead", n=len(r.trends)), "muted"), Bullets([c.text for c in r.trends[:MAX_BULLETS]]))
    sections.append(resources)

    # --- 6. map and analyses ------------------------------------------------------------------------
    f = r.findings
    graph = Section("carte", t("report.s.graph"))
    relations = ", ".join(f"{n} « {t('relation.' + rel)} »" if lang == "fr" else f"{n} “{t('relation.' + rel)}”"
                          for rel, n in f.links_by_relation if n)
    graph.add(Para(t("report.graph_lead", cards=f.system_cards, links=len(r.links), relations=relations or "–")))
    if r.links:
        snapshot, analysis = r.snapshot, r.analysis
        figures["graph"] = FigureSpec(lambda mode: trajectory_graph_figure(snapshot, analysis, mode=mode, lang=lang),
                                      1000, None)
        graph.add(Figure("graph", t("report.cap.graph")))
        findings = Section("carte-lecture", t("report.s.graph_findings"), level=2)
        findings.add(Bullets([
            t("report.uncountered", n=len(f.uncountered_threats), list=_joined(f.uncountered_threats, 6)),
            t("report.unsupported", n=len(f.unsupported_goals), list=_joined(f.unsupported_goals, 6)),
            t("report.isolated", n=f.isolated_cards),
        ]))
        influence = Section("carte-influence", t("report.s.influence"), level=2)
        influence.add(Para(t("report.influence_lead")))
        if analysis.influence:
            figures["influence"] = FigureSpec(
                lambda mode: influence_dependence_figure(analysis, mode=mode, lang=lang), 900, 560)
            influence.add(Figure("influence", t("report.cap.influence")))
        influence.add(Table([t("report.c.group"), t("report.c.cards")],
                            [[t(f"figure.group.{g}"), _joined(items, 5)] for g, items in f.influence_groups],
                            widths=(18, 82)))
        structure = Section("carte-structure", t("report.s.structure"), level=2)
        structure.add(Para(t("report.central_lead"), "muted"),
                      Bullets([f"{text} ({num(score, lang, 3)})" for text, score in f.central[:6]] or ["–"]))
        structure.add(Para(t("report.clusters_lead"), "muted"),
                      Bullets([t("report.cluster", main=main, size=size, others=_joined(others, 4))
                               for main, size, others in f.clusters] or ["–"]))
        structure.add(Para(t("report.loops_lead"), "muted"),
                      Bullets([" → ".join(loop + (loop[0],)) for loop in f.loops[:6]] or [t("report.no_loop")]))
        sections.append(graph)
        sections.extend([findings, influence, structure])
    else:
        graph.add(Para(t("report.empty.graph"), "muted"))
        sections.append(graph)

    # --- 7. trajectories -------------------------------------------------------------------------
    trajectories = Section("trajectoires", t("report.s.trajectories"))
    trajectories.add(Para(t("report.trajectories_lead", n=len(r.trajectories), horizon=r.horizon_year)))
    sections.append(trajectories)
    if r.trajectories:
        snapshot = r.snapshot
        figures["timeline"] = FigureSpec(lambda mode: _timeline(snapshot, mode, lang), 1000, None)
        trajectories.add(Figure("timeline", t("report.cap.timeline", year=r.horizon_year)))
        for tr in r.trajectories:
            sub = Section(f"trajectoire-{tr.trajectory_id}", tr.title, level=2)
            sub.add(Para(t("report.trajectory_target", target=tr.target or "–")
                         + (f" · {tr.group}" if tr.group else ""), "muted"))
            if tr.steps:
                sub.add(Table([t("report.c.year"), t("report.c.step"), t("report.c.relies_on")],
                              [[str(s.year), s.title + (f" — {s.description}" if s.description else ""),
                                _joined(s.cards, 3)] for s in tr.steps],
                              numeric=(0,), widths=(10, 60, 30)))
            else:
                sub.add(Para(t("report.empty.steps"), "muted"))
            sections.append(sub)
    else:
        trajectories.add(Para(t("report.empty.trajectories"), "muted"))

    # --- 8. vision articles --------------------------------------------------------------------------
    vision = Section("vision", t("report.s.vision"))
    vision.add(Para(t("report.vision_lead", n=len(r.articles), horizon=r.horizon_year)))
    for a in r.articles:
        meta = " · ".join(x for x in (a.group, a.theme, t("report.dots_n", n=a.dots) if a.dots else "") if x)
        vision.add(Article(a.text, meta, a.details))
    if not r.articles:
        vision.add(Para(t("report.empty.vision"), "muted"))
    sections.append(vision)

    # --- 9. robustness ---------------------------------------------------------------------------
    robust = Section("robustesse", t("report.s.robustness"))
    robust.add(Para(t("report.robustness_lead")))
    if r.challenges:
        shown, hidden = _capped(list(r.challenges), MAX_ROWS)
        robust.add(Table([t("report.c.rank"), t("report.c.challenge"), t("report.c.dots"), t("report.c.voters")],
                         [[str(c.rank), c.text, str(c.dots), str(c.voters)] for c in shown],
                         numeric=(0, 2, 3), caption=t("report.cap.challenges"), widths=(6, 70, 12, 12)),
                   *_more(t, hidden, "cartes"))
    if r.robustness:
        shown, hidden = _capped(sorted(r.robustness, key=lambda x: (x.score, x.challenge_id, x.action_id)),
                                MAX_ROBUSTNESS)
        robust.add(Table(
            [t("report.c.challenge"), t("report.c.current_action"), t("report.c.score"), t("verdict.holds"),
             t("verdict.bends"), t("verdict.breaks"), t("report.c.reading")],
            [[x.challenge, x.action, num(x.score, lang, 2), str(x.holds), str(x.bends), str(x.breaks),
              t(f"verdict.{x.verdict}")] for x in shown],
            numeric=(2, 3, 4, 5), caption=t("report.cap.robustness"), widths=(30, 30, 8, 7, 7, 7, 11),
        ), *_more(t, hidden, "robustesse"))
        gaps = [x for x in r.robustness if x.verdict == "breaks"]
        robust.add(Para(t("report.gaps_lead", n=len(gaps)), "muted"))
        if gaps:
            robust.add(Bullets([t("report.gap", action=x.action, challenge=x.challenge)
                                + (f" — {_joined(x.reasons, 2)}" if x.reasons else "") for x in gaps[:MAX_BULLETS]]),
                       *_more(t, max(0, len(gaps) - MAX_BULLETS), "robustesse"))
    else:
        robust.add(Para(t("report.empty.robustness"), "muted"))
    sections.append(robust)

    # --- 10. action paths -------------------------------------------------------------------------
    actions = Section("actions", t("report.s.actions"))
    actions.add(Para(t("report.actions_lead", n=len(r.action_leads))))
    if r.action_leads:
        shown, hidden = _capped(list(r.action_leads), MAX_ROWS)
        actions.add(Table([t("report.c.rank"), t("report.c.action_lead"), t("report.c.theme"), t("report.c.dots"),
                           t("report.c.voters")],
                          [[str(c.rank), c.text + (f" — {c.details}" if c.details else ""), c.theme or "–",
                            str(c.dots), str(c.voters)] for c in shown],
                          numeric=(0, 3, 4), caption=t("report.cap.action_leads"), widths=(6, 60, 14, 10, 10)),
                    *_more(t, hidden, "cartes"))
    else:
        actions.add(Para(t("report.empty.actions"), "muted"))
    if r.current_actions:
        actions.add(Para(t("report.current_actions_lead", n=len(r.current_actions)), "muted"),
                    Bullets([c.text for c in r.current_actions[:MAX_BULLETS]]),
                    *_more(t, max(0, len(r.current_actions) - MAX_BULLETS), "cartes"))
    sections.append(actions)

    # --- 11. notes and lessons --------------------------------------------------------------------
    notes = Section("enseignements", t("report.s.notes"))
    notes.add(Para(t("report.notes_lead")))
    sections.append(notes)
    activity_notes = Section("notes-animation", t("report.s.activity_notes"), level=2)
    for n in r.notes:
        activity_notes.add(Para(t("report.note_title", day=n.day, title=n.title), "note"), Prose(n.notes))
    if not r.notes:
        activity_notes.add(Para(t("report.empty.notes"), "muted"))
    lessons = Section("lecons", t("report.s.lessons"), level=2)
    lessons.add(Prose(r.lessons_learned) if r.lessons_learned.strip() else Para(t("report.empty.lessons"), "muted"))
    sections.extend([activity_notes, lessons])

    # --- appendices -------------------------------------------------------------------------------
    sections.append(method_section(lang))
    annex = Section("donnees", t("report.s.data"), appendix=True)
    annex.add(Para(t("report.data_lead")),
              Facts([(label, name) for label, name in files.items()]),
              Table([t("report.c.data_table"), t("report.c.rows"), t("report.c.file")],
                    [[d.title, str(len(d.rows)), f"{d.key}.csv"] for d in data_tables],
                    numeric=(1,), widths=(58, 10, 32)),
              Para(t("report.cards_lead", n=len(r.cards), dots=r.total_dots), "muted"))
    if len(r.cards) <= MAX_ANNEX_CARDS:
        annex.add(Table([t("report.c.id"), t("report.c.kind"), t("report.c.theme"), t("report.c.text"),
                         t("report.c.dots")],
                        [[str(c.card_id), t(f"kind.{c.kind}"), c.theme or "–", c.text, str(c.dots)] for c in r.cards],
                        numeric=(0, 4), small=True, widths=(6, 13, 16, 54, 11),
                        footer=[t("report.c.total"), "", "", "", str(r.total_dots)]))
    else:
        annex.add(Table([t("report.c.kind"), t("report.c.cards"), t("report.c.dots")],
                        [[t(f"kind_plural.{kind}"), str(sum(1 for c in r.cards if c.kind == kind)),
                          str(sum(c.dots for c in r.cards if c.kind == kind))]
                         for kind in dict.fromkeys(c.kind for c in r.cards)],
                        numeric=(1, 2), widths=(50, 25, 25),
                        footer=[t("report.c.total"), str(len(r.cards)), str(r.total_dots)]),
                  Para(t("report.cards_in_files", n=len(r.cards)), "muted"))
    sections.append(annex)

    notice = t("report.notice_running", activity=r.current_activity) if r.current_activity else (
        t("report.notice_pending") if r.in_progress else "")
    return Document(
        lang=lang, title=r.title, subtitle=t("report.subtitle", territory=r.territory, horizon=r.horizon_year),
        kind_label=t("report.kind"),
        cover_facts=[(t("report.f.territory"), r.territory), (t("report.f.horizon"), str(r.horizon_year)),
                     (t("report.f.dates"), dates), (t("report.f.participants"), str(r.participation.total)),
                     (t("report.f.generated"), stamp(r.generated_at, lang))],
        notice=notice, sections=sections, figures=figures,
        footer=f"{r.territory} · {t('report.kind')}",
        credits=t("report.credits"), generated=stamp(r.generated_at, lang),
    )


def method_section(lang: str) -> Section:
    from workshop.i18n import translate

    def t(key: str, **params) -> str:
        return translate(key, lang, **params)

    method = Section("methode", t("report.s.method"), appendix=True)
    method.add(Para(t("report.method.p1")), Para(t("report.method.p2")), Para(t("report.method.p3")))
    method.add(Para(t("report.method.numbers"), "note"), Bullets([t(f"report.method.n{i}") for i in range(1, 8)]))
    method.add(Para(t("report.method.licence"), "muted"))
    return method
