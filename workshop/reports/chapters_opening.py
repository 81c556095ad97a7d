"""The report's first chapters: context, the run sheet as played, stakes, threats and resources.
"""

from __future__ import annotations

from workshop.i18n import colon
from workshop.reports.chapter_kit import (
    CARD_WORK,
    MAX_BULLETS,
    MAX_RESOURCES,
    MAX_ROWS,
    Chapters,
    capped,
    coverage,
    hours,
    joined,
    more_rows,
    run_sheet_title,
)
from workshop.reports.document import (
    Bullets,
    Facts,
    Figure,
    FigureSpec,
    Para,
    Section,
    Table,
    clock_time,
    fixed,
    num,
    percent,
    signed,
    stamp,
)
from workshop.reports.figures import stakes_by_college_figure, threat_matrix_figure
from workshop.services import votes
from workshop.reports.rows import COLLEGES


def context_chapter(k: Chapters) -> list[Section]:
    """1. Context: who came, when, from which collèges and tables, the words of the room."""
    r, t, lang, colleges, short, dates = k.report, k.t, k.lang, k.colleges, k.short, k.dates
    sections: list[Section] = []
    state = (t("report.state_running", activity=r.current_activity) if r.current_activity
             else t("report.state_pending") if r.in_progress else t("report.state_done"))
    present = [c for c in r.participation.by_college if c.count]
    context = Section("contexte", t("report.s.context"))
    context.add(
        Para(t("report.context_lead", title=r.title, count=r.participation.total,
               people=t("report.n.participants", count=r.participation.total),
               colleges=t("report.n.colleges", count=len(present)),
               tables=t("report.n.tables", count=sum(1 for tb in r.participation.tables if tb.total)),
               horizon=r.horizon_year, territory=r.territory), "lead"),
        Facts([
            (t("report.f.territory"), r.territory),
            (t("report.f.horizon"), str(r.horizon_year)),
            (t("report.f.dates"), dates),
            (t("report.f.run_sheet"), run_sheet_title(r.run_sheet_name)),
            (t("report.f.participants"), str(r.participation.total)),
            (t("report.f.state"), state),
            (t("report.f.generated"), stamp(r.generated_at, lang)),
        ]),
    )
    total = r.participation.total or 1
    context.add(Table(
        [t("report.c.college"), t("report.c.participants"), t("report.c.share")],
        [[c.label, str(c.count), percent(100 * c.count / total, lang)] for c in r.participation.by_college],
        numeric=(1, 2), caption=t("report.cap.by_college"), widths=(50, 25, 25),
        footer=[t("report.c.total"), str(r.participation.total), percent(100, lang) if r.participation.total else "–"],
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
    return sections


def run_sheet_chapter(k: Chapters) -> list[Section]:
    """2. The run sheet as played: planned and actual times, per activity and per day."""
    r, t, lang = k.report, k.t, k.lang
    sections: list[Section] = []
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
                         actual=hours(sum(s.actual_minutes for s in done), lang),
                         played=t("report.n.played", count=len(done), total=len(steps))))
    run.add(Bullets(per_day))
    sections.append(run)
    return sections


def stakes_chapter(k: Chapters) -> list[Section]:
    """3. Stakes, ranked by dots (split by collège) when they were voted on."""
    r, t, lang, colleges, short, figures, chapter, nothing = k.report, k.t, k.lang, k.colleges, k.short, k.figures, k.chapter, k.nothing
    sections: list[Section] = []
    dots = sum(c.dots for c in r.stakes)
    stake_cover = coverage(r, CARD_WORK, "stake")
    ranked_by_votes = bool(dots) or coverage(r, {"dot_vote"}, "stake").planned
    stakes = chapter("enjeux", t("report.s.stakes" if ranked_by_votes else "report.s.stakes_unvoted"),
                     stake_cover, bool(r.stakes))
    if stakes is not None:
        if ranked_by_votes:
            stakes.add(Para(t("report.stakes_lead", count=len(r.stakes),
                              dots=t("report.n.dots_on_stakes", count=dots))))
        else:
            stakes.add(Para(t("report.stakes_lead_unvoted", count=len(r.stakes))))
        if dots:
            figures["stakes"] = FigureSpec(
                lambda mode: stakes_by_college_figure(r.stakes, COLLEGES, lang=lang, mode=mode), 900, None)
            stakes.add(Figure("stakes", t("report.cap.stakes_figure")))
        if r.stakes and ranked_by_votes:
            shown, hidden = capped(list(r.stakes), MAX_ROWS)
            # the dots of collèges with too few voters to be shown apart: one column after the collèges,
            # whose own columns are those with dots shown apart (a « 0 » would deny dots counted there)
            undetailed = any(c.undetailed for c in r.stakes)
            if undetailed:
                colleges = [k for k in colleges if any(c.by_college.get(k) for c in r.stakes)]
            split = len(colleges) + undetailed
            stakes.add(Table(
                [t("report.c.rank"), t("report.c.stake"), t("report.c.theme"), t("report.c.dots"), t("report.c.voters")]
                + [short[c] for c in colleges] + ([t("undetailed.short")] if undetailed else []),
                [[str(c.rank), c.text, c.theme or "–", str(c.dots), str(c.voters)]
                 + [str(c.by_college.get(k, 0)) for k in colleges] + ([str(c.undetailed)] if undetailed else [])
                 for c in shown],
                numeric=tuple([0, 3, 4] + list(range(5, 5 + split))), caption=t("report.cap.stakes"),
                footer=[t("report.c.total"), "", "", str(dots), str(sum(c.voters for c in r.stakes))]
                + [str(sum(c.by_college.get(k, 0) for c in r.stakes)) for k in colleges]
                + ([str(sum(c.undetailed for c in r.stakes))] if undetailed else []),
                small=True, widths=(5, 33, 13, 9, 7) + tuple(33 / max(1, split) for _ in range(split)),
            ))
            stakes.add(*more_rows(t, hidden, "cartes"))
            legend = [f"{short[c]} = {t('college_name.' + c)}" for c in colleges]
            stakes.add(Para(t("report.college_legend", legend=", ".join(legend)), "muted"))
            if undetailed:
                stakes.add(Para(t("undetailed.short") + colon(lang) + t("undetailed.note", min=votes.MIN_VOTERS_SHOWN),
                                "muted"))
        elif r.stakes:
            shown, hidden = capped(list(r.stakes), MAX_ROWS)
            stakes.add(Table([t("report.c.number"), t("report.c.stake"), t("report.c.theme")],
                             [[str(i), c.text, c.theme or "–"] for i, c in enumerate(shown, start=1)],
                             numeric=(0,), caption=t("report.cap.stakes_unvoted"), widths=(6, 70, 24)))
            stakes.add(*more_rows(t, hidden, "cartes"))
        else:
            stakes.add(nothing(stake_cover, "stakes"))
        sections.append(stakes)
    return sections


def threats_chapter(k: Chapters) -> list[Section]:
    """4. Threats, on the likelihood x impact matrix when they were rated."""
    r, t, lang, figures, chapter, nothing = k.report, k.t, k.lang, k.figures, k.chapter, k.nothing
    sections: list[Section] = []
    rated = [x for x in r.threats if x.severity is not None]
    threat_cover = coverage(r, CARD_WORK, "threat")
    rating = bool(rated) or coverage(r, {"rate"}, "threat").planned
    threats = chapter("menaces", t("report.s.threats" if rating else "report.s.threats_unrated"), threat_cover,
                      bool(r.threats))
    if threats is not None:
        if rating:
            threats.add(Para(t("report.threats_lead", count=len(r.threats),
                               rated=t("report.n.threats_rated", count=len(rated)))))
        else:
            threats.add(Para(t("report.threats_lead_unrated", count=len(r.threats))))
        if rated:
            figures["threats"] = FigureSpec(
                lambda mode: threat_matrix_figure(r.threats, lang=lang, mode=mode, numbered=MAX_ROWS), 760, 560)
            threats.add(Figure("threats", t("report.cap.threat_matrix")))
        if r.threats and rating:
            shown, hidden = capped(list(r.threats), MAX_ROWS)
            threats.add(Table(
                [t("report.c.number"), t("report.c.threat"), t("report.c.likelihood"), t("report.c.impact"),
                 t("report.c.severity"), t("report.c.raters"), t("report.c.reading"), t("report.c.countered_by")],
                [[str(i), x.text, fixed(x.likelihood, lang), fixed(x.impact, lang), fixed(x.severity, lang),
                  str(x.raters), t(f"report.quadrant.{x.quadrant}"), joined(x.countered_by, 2, lang=lang)]
                 for i, x in enumerate(shown, start=1)],
                numeric=(0, 2, 3, 4, 5), caption=t("report.cap.threats"), widths=(4, 30, 12, 9, 9, 6, 12, 18),
            ))
            threats.add(*more_rows(t, hidden, "menaces"))
        elif r.threats:
            shown, hidden = capped(list(r.threats), MAX_ROWS)
            threats.add(Table(
                [t("report.c.number"), t("report.c.threat"), t("report.c.theme"), t("report.c.weighs_on"),
                 t("report.c.countered_by")],
                [[str(i), x.text, x.theme or "–", joined(x.weighs_on, 2, lang=lang), joined(x.countered_by, 2, lang=lang)]
                 for i, x in enumerate(shown, start=1)],
                numeric=(0,), caption=t("report.cap.threats_unrated"), widths=(5, 35, 14, 23, 23),
            ))
            threats.add(*more_rows(t, hidden, "menaces"))
        else:
            threats.add(nothing(threat_cover, "threats"))
        sections.append(threats)
    return sections


def resources_chapter(k: Chapters) -> list[Section]:
    """5. Resources (most linked first) and trends."""
    r, t, lang, chapter, nothing = k.report, k.t, k.lang, k.chapter, k.nothing
    sections: list[Section] = []
    resource_cover = coverage(r, CARD_WORK, "resource")
    resources = chapter("ressources", t("report.s.resources"), resource_cover, bool(r.resources or r.trends))
    if resources is not None:
        resources.add(Para(t("report.resources_lead", count=len(r.resources))))
        if r.resources:
            linked = sorted(r.resources, key=lambda x: (-(len(x.supports) + len(x.counters)), x.theme, x.card_id))
            shown, hidden = capped(linked, MAX_RESOURCES)
            resources.add(Table(
                [t("report.c.resource"), t("report.c.theme"), t("report.c.supports"), t("report.c.counters")],
                [[x.text + (f" ({x.source})" if x.source else ""), x.theme or "–", joined(x.supports, lang=lang),
                  joined(x.counters, lang=lang)] for x in shown],
                caption=t("report.cap.resources"), widths=(34, 14, 28, 24),
            ))
            resources.add(*more_rows(t, hidden, "cartes"))
        else:
            resources.add(nothing(resource_cover, "resources"))
        if r.trends:
            resources.add(Para(t("report.trends_lead", count=len(r.trends)), "muted"),
                          Bullets([c.text for c in r.trends[:MAX_BULLETS]]))
        sections.append(resources)
    return sections
