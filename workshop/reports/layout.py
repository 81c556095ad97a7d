"""Lays a ``SeminarReport`` out as a ``Document``: the chapters of the capitalisation report.

Order (the issue's): context, run sheet as played, stakes ranked by votes (split by
collège), threats on the likelihood x impact matrix, resources, the map of cards and its
analyses, trajectories, vision articles, robustness, action paths, facilitator's notes
and lessons learned, then the method appendix and the data annex.

The chapters are built by ``chapters_opening`` (1-5), ``chapters_map`` (6-7) and
``chapters_closing`` (8-11 and the appendices) from what ``chapter_kit`` shares;
``publishing`` adds staff's front matter.
"""

from __future__ import annotations

from workshop.reports.chapter_kit import Chapters
from workshop.reports.chapters_closing import (
    actions_chapter,
    appendices,
    notes_chapters,
    robustness_chapter,
    vision_chapter,
)
from workshop.reports.chapters_map import map_chapters, trajectory_chapters
from workshop.reports.chapters_opening import (
    context_chapter,
    resources_chapter,
    run_sheet_chapter,
    stakes_chapter,
    threats_chapter,
)
from workshop.reports.data import DataTable
from workshop.reports.document import Document, Section, stamp
from workshop.i18n import quoted
from workshop.reports.publishing import editable_intro, front_matter, logos
from workshop.reports.rows import SeminarReport

#: The chapters in the report's order (each returns its sections: none when the run sheet never had it).
CHAPTERS = (context_chapter, run_sheet_chapter, stakes_chapter, threats_chapter, resources_chapter, map_chapters,
            trajectory_chapters, vision_chapter, robustness_chapter, actions_chapter, notes_chapters)


def seminar_document(report: SeminarReport, data_tables: list[DataTable], files: dict[str, str], *,
                     edits: bool = True) -> Document:
    """``files``: the data files that come with the report, ``{label: file name}``; ``edits``:
    use staff's rewritten texts (``False``: the generated ones, as the report page offers them)."""
    k = Chapters(report)
    r, t, lang = report, k.t, k.lang
    sections: list[Section] = []
    for build in CHAPTERS:
        sections.extend(build(k))
    sections.extend(appendices(k, data_tables, files))
    figures, upcoming, dates = k.figures, k.upcoming, k.dates

    front = front_matter(r, sections, edits)

    notice = t("report.notice_running", activity=r.current_activity) if r.current_activity else (
        t("report.notice_pending") if r.in_progress else "")
    if notice and upcoming:
        notice += " " + t("report.upcoming", count=len(upcoming),
                          chapters=", ".join(quoted(title, lang) for title in upcoming))
    return Document(
        lang=lang, title=r.title, subtitle=t("report.subtitle", territory=r.territory, horizon=r.horizon_year),
        kind_label=t("report.kind"),
        cover_facts=[(t("report.f.territory"), r.territory), (t("report.f.horizon"), str(r.horizon_year)),
                     (t("report.f.dates"), dates), (t("report.f.participants"), str(r.participation.total)),
                     (t("report.f.generated"), stamp(r.generated_at, lang))],
        notice=notice, sections=sections, figures=figures,
        footer=f"{r.territory} · {t('report.kind')}",
        credits=t("report.credits"), generated=stamp(r.generated_at, lang),
        front=front, logos=logos(r), colophon=getattr(r.identity, "colophon", "") or "",
        colophon_title=t("publish.colophon_title"),
    )


def generated_texts(report: SeminarReport) -> list[tuple[str, str, str]]:
    """What staff may rewrite on the report page, as generated: ``(key, label, text)`` for
    « L'essentiel » then each chapter's introduction, in the report's order."""
    from workshop.reports.essential import as_text, chapter_numbers, essential_sentences

    doc = seminar_document(report, [], {}, edits=False)
    t = report.t
    out = [("essential", t("essential.title"),
            as_text(essential_sentences(report, chapter_numbers(doc.sections)),
                    lambda ref: t("essential.arrow", ref=ref)))]
    chapter = ""
    for number, section in _numbered(doc.sections):
        if section.level == 1:
            chapter = f"{number}. {section.title}" if number else section.title
        intro = editable_intro(section)
        if intro is not None:
            # a sub-section is named under its chapter, whose number it shares
            label = chapter if section.level == 1 else f"{chapter} › {section.title}"
            out.append((f"intro.{section.id}", label, intro.text))
    return out


def _numbered(sections: list[Section]):
    from workshop.reports.essential import chapter_numbers

    numbers = chapter_numbers(sections)
    for section in sections:
        number = numbers[section.id][0] if section.level == 1 else None
        yield number, section
