"""The report's map chapters: the map of cards and its analyses, then the trajectories.
"""

from __future__ import annotations

from workshop.figures import influence_dependence_figure, trajectory_graph_figure
from workshop.reports.chapter_kit import (
    MAP_MAX_HEIGHT,
    MAP_WIDTH,
    MAX_BULLETS,
    MAX_ROWS,
    PLANE_HEIGHT,
    PLANE_WIDTH,
    Chapters,
    capped,
    coverage,
    joined,
    more_rows,
    numbered_legend,
    pct,
    placed,
    timeline_figure,
)
from workshop.reports.document import Bullets, Figure, FigureSpec, Para, Section, Table, fixed, num
from workshop.i18n import quoted


def map_chapters(k: Chapters) -> list[Section]:
    """6. The map of cards, and its readings: findings, influence plane, structure."""
    r, t, lang, figures, chapter, nothing = k.report, k.t, k.lang, k.figures, k.chapter, k.nothing
    sections: list[Section] = []
    f = r.findings
    link_cover = coverage(r, {"link"})
    graph = chapter("carte", t("report.s.graph"), link_cover, bool(r.links))
    if graph is not None:
        relations = ", ".join(f"{n} {quoted(t('relation.' + rel), lang)}" for rel, n in f.links_by_relation if n)
        graph.add(Para(t("report.graph_lead", count=f.system_cards, links=t("report.n.links", count=len(r.links)),
                         relations=relations or "–")))
    if graph is not None and r.links:
        snapshot, analysis = r.snapshot, r.analysis
        graph_figure = trajectory_graph_figure(snapshot, analysis, mode="print", lang=lang, width=MAP_WIDTH,
                                               max_height=MAP_MAX_HEIGHT)
        figures["graph"] = FigureSpec(placed(graph_figure), MAP_WIDTH, int(graph_figure.layout.height))
        graph.add(Figure("graph", t("report.cap.graph")), *numbered_legend(t, graph_figure, r.card_text))
        findings = Section("carte-lecture", t("report.s.graph_findings"), level=2)
        findings.add(Bullets([
            t("report.uncountered", n=len(f.uncountered_threats), list=joined(f.uncountered_threats, 6, lang=lang)),
            t("report.unsupported", n=len(f.unsupported_goals), list=joined(f.unsupported_goals, 6, lang=lang)),
            t("report.isolated", n=f.isolated_cards),
        ]))
        exposure = [x for x in f.exposure if x.exposure > 0]
        findings.add(Para(t("exposure.title"), "note"), Para(t("exposure.lead"), "muted"))
        if exposure:
            shown, hidden = capped(exposure, MAX_ROWS)
            findings.add(Table(
                [t("exposure.col_card"), t("exposure.col_exposure"), t("exposure.col_threats"),
                 t("exposure.col_countered"), t("exposure.col_coverage"), t("exposure.col_support")],
                [[x.text, fixed(x.exposure, lang, 1), str(x.threats), str(x.countered),
                  "–" if x.coverage is None else f"{num(100 * x.coverage, lang, 0)} %", str(x.support)]
                 for x in shown],
                numeric=(1, 2, 3, 4, 5), caption=t("exposure.caption"), widths=(44, 12, 10, 10, 12, 12)),
                *more_rows(t, hidden, "enjeux"))
        else:
            findings.add(Para(t("exposure.none"), "muted"))
        influence = Section("carte-influence", t("report.s.influence"), level=2)
        influence.add(Para(t("report.influence_lead")), Para(t("micmac.method"), "muted"))
        if analysis.influence:
            named = [cid for group in ("driving", "relay", "dependent", "autonomous")
                     for cid in analysis.group(group)[:5]]
            named = [r_.card_id for r_ in analysis.readings] + named
            plane = influence_dependence_figure(analysis, mode="print", lang=lang, width=PLANE_WIDTH,
                                                height=PLANE_HEIGHT, mentioned=tuple(named))
            figures["influence"] = FigureSpec(placed(plane), PLANE_WIDTH, PLANE_HEIGHT)
            influence.add(Figure("influence", t("report.cap.influence") + " " + t("micmac.displacement_help")),
                          *numbered_legend(t, plane, r.card_text), Para(f.micmac_note, "muted"))
        influence.add(Table([t("report.c.group"), t("report.c.cards")],
                            [[t(f"figure.group.{g}"), joined(items, 5, lang=lang)] for g, items in f.influence_groups],
                            widths=(18, 82)))
        if f.influence:
            shown, hidden = capped(list(f.influence), MAX_ROWS)
            influence.add(Table(
                [t("micmac.col_card"), t("micmac.col_direct"), t("micmac.col_indirect"), t("micmac.col_influence"),
                 t("micmac.col_dependence")],
                [[x.text, t(f"micmac.group_one.{x.direct_group}"), t(f"micmac.group_one.{x.group}"),
                  t("micmac.share_move", direct=pct(x.direct_influence_share, lang),
                    indirect=pct(x.influence, lang)),
                  t("micmac.share_move", direct=pct(x.direct_dependence_share, lang),
                    indirect=pct(x.dependence, lang))] for x in shown],
                caption=t("micmac.table_caption"), widths=(40, 12, 12, 18, 18), small=True),
                *more_rows(t, hidden, "analyse_cartes"))
        if f.readings:
            influence.add(Para(t("micmac.readings_title"), "note"), Bullets(list(f.readings[:MAX_BULLETS])))
        structure = Section("carte-structure", t("report.s.structure"), level=2)
        structure.add(Para(t("report.central_lead"), "muted"),
                      Bullets([f"{text} ({num(score, lang, 3)})" for text, score in f.central[:6]] or ["–"]))
        structure.add(Para(t("report.clusters_lead"), "muted"),
                      Bullets([t("report.cluster", main=main, count=size, others=joined(others, 4, lang=lang))
                               for main, size, others in f.clusters] or ["–"]))
        if f.clusters_more:
            structure.add(Para(t("report.clusters_more", count=f.clusters_more), "muted"))
        structure.add(Para(t("report.loops_lead"), "muted"))
        if f.loops or not f.loops_notes:  # none listed because the search was cut: the note says so
            structure.add(Bullets([" → ".join(loop + (loop[0],)) for loop in f.loops] or [t("report.no_loop")]))
        structure.add(*(Para(note, "muted") for note in f.loops_notes))
        sections.append(graph)
        sections.extend([findings, influence, structure])
    elif graph is not None:
        graph.add(nothing(link_cover, "graph"))
        sections.append(graph)
    return sections


def trajectory_chapters(k: Chapters) -> list[Section]:
    """7. Trajectories: the timeline, then one section per trajectory."""
    r, t, lang, figures, chapter, nothing = k.report, k.t, k.lang, k.figures, k.chapter, k.nothing
    sections: list[Section] = []
    trajectory_cover = coverage(r, {"trajectory"})
    trajectories = chapter("trajectoires", t("report.s.trajectories"), trajectory_cover, bool(r.trajectories))
    if trajectories is not None:
        trajectories.add(Para(t("report.trajectories_lead", count=len(r.trajectories), horizon=r.horizon_year)))
        sections.append(trajectories)
        if r.trajectories:
            snapshot = r.snapshot
            figures["timeline"] = FigureSpec(lambda mode: timeline_figure(snapshot, mode, lang), 1000, None)
            trajectories.add(Figure("timeline", t("report.cap.timeline", year=r.horizon_year)))
            for tr in r.trajectories:
                sub = Section(f"trajectoire-{tr.trajectory_id}", tr.title, level=2)
                sub.add(Para(t("report.trajectory_target", target=tr.target or "–")
                             + (f" · {tr.group}" if tr.group else ""), "muted"))
                if tr.steps:
                    sub.add(Table([t("report.c.year"), t("report.c.step"), t("report.c.relies_on")],
                                  [[str(s.year), s.title + (f" — {s.description}" if s.description else ""),
                                    joined(s.cards, 3, lang=lang)] for s in tr.steps],
                                  numeric=(0,), widths=(10, 60, 30)))
                else:
                    sub.add(Para(t("report.empty.steps"), "muted"))
                sections.append(sub)
        else:
            trajectories.add(nothing(trajectory_cover, "trajectories"))
    return sections
