"""The report's last chapters: vision articles, robustness, action paths, notes and lessons,
then the appendices (method, data annex).
"""

from __future__ import annotations

from workshop.reports.chapter_kit import (
    CARD_WORK,
    MAX_ANNEX_CARDS,
    MAX_BULLETS,
    MAX_ROBUSTNESS,
    MAX_ROWS,
    Chapters,
    capped,
    card_line,
    coverage,
    more_rows,
    reasons_line,
)
from workshop.reports.data import DataTable
from workshop.reports.document import Article, Bullets, Facts, Para, Prose, Section, Table, fixed
from workshop.services.cards import article_parts


def vision_chapter(k: Chapters) -> list[Section]:
    """8. Vision articles."""
    r, t, chapter, nothing = k.report, k.t, k.chapter, k.nothing
    sections: list[Section] = []
    vision_cover = coverage(r, CARD_WORK, "vision_article")
    vision = chapter("vision", t("report.s.vision"), vision_cover, bool(r.articles))
    if vision is not None:
        vision.add(Para(t("report.vision_lead", count=len(r.articles), horizon=r.horizon_year)))
        for number, a in enumerate(r.articles, 1):
            meta = " · ".join(x for x in (a.group, a.theme, t("report.dots_n", count=a.dots) if a.dots else "") if x)
            # the whole article: its headline, then its paragraphs and the details added to it
            headline, body = article_parts(a.text)
            vision.add(Article(headline or t("report.article_n", number=number), meta,
                               "\n\n".join(x for x in (body, a.details) if x)))
        if not r.articles:
            vision.add(nothing(vision_cover, "vision"))
        sections.append(vision)
    return sections


def robustness_chapter(k: Chapters) -> list[Section]:
    """9. Robustness: challenges, and how current actions hold up against them."""
    r, t, lang, chapter, nothing = k.report, k.t, k.lang, k.chapter, k.nothing
    sections: list[Section] = []
    robust_cover = coverage(r, CARD_WORK | {"robustness"}, "challenge")
    robust = chapter("robustesse", t("report.s.robustness"), robust_cover, bool(r.challenges or r.robustness))
    if robust is not None:
        tested = coverage(r, {"robustness"})
        robust.add(Para(t("report.robustness_lead" if tested.planned or r.robustness else "report.challenges_lead")))
        if r.challenges:
            shown, hidden = capped(list(r.challenges), MAX_ROWS)
            robust.add(Table([t("report.c.rank"), t("report.c.challenge"), t("report.c.dots"), t("report.c.voters")],
                             [[str(c.rank), c.text, str(c.dots), str(c.voters)] for c in shown],
                             numeric=(0, 2, 3), caption=t("report.cap.challenges"), widths=(6, 70, 12, 12)),
                       *more_rows(t, hidden, "cartes"))
        if r.robustness:
            # the whole matrix: the rated pairs, most fragile first, then those nobody rated
            unrated = list(r.robustness_unrated)
            robust.add(Para(t("report.robustness_pairs", count=len(r.robustness),
                              total=len(r.robustness) + len(unrated))))
            shown, hidden = capped(sorted(r.robustness, key=lambda x: (x.score, x.challenge_id, x.action_id)),
                                    MAX_ROBUSTNESS)
            shown_unrated = unrated[:MAX_ROBUSTNESS - len(shown)]
            robust.add(Table(
                [t("report.c.challenge"), t("report.c.current_action"), t("report.c.score"), t("verdict.holds"),
                 t("verdict.bends"), t("verdict.breaks"), t("report.c.reading")],
                [[x.challenge, x.action, fixed(x.score, lang), str(x.holds), str(x.bends), str(x.breaks),
                  t(f"verdict.{x.verdict}")] for x in shown]
                + [[x.challenge, x.action, "—", "—", "—", "—", t("report.unrated")] for x in shown_unrated],
                numeric=(2, 3, 4, 5), caption=t("report.cap.robustness"), widths=(30, 30, 8, 7, 7, 7, 11),
            ), *more_rows(t, hidden, "robustesse"))
            if len(unrated) > len(shown_unrated):
                robust.add(Para(t("report.more_unrated", count=len(unrated) - len(shown_unrated)), "muted"))
            gaps = [x for x in r.robustness if x.verdict == "breaks"]
            robust.add(Para(t("report.gaps_lead", n=len(gaps)), "muted"))
            if gaps:
                robust.add(Bullets([t("report.gap", action=x.action, challenge=x.challenge)
                                    + (f" — {reasons_line(x.reasons, t, lang=lang)}" if x.reasons else "")
                                    for x in gaps[:MAX_BULLETS]]),
                           *more_rows(t, max(0, len(gaps) - MAX_BULLETS), "robustesse"))
        elif tested.planned:
            robust.add(nothing(tested, "robustness") if tested.started else
                       Para(t("report.robustness_to_come"), "muted"))
        sections.append(robust)
    return sections


def actions_chapter(k: Chapters) -> list[Section]:
    """10. Action paths: action leads, ranked, and current actions."""
    r, t, chapter, nothing = k.report, k.t, k.chapter, k.nothing
    sections: list[Section] = []
    action_cover = coverage(r, CARD_WORK, "action_lead", "current_action")
    actions = chapter("actions", t("report.s.actions"), action_cover, bool(r.action_leads or r.current_actions))
    if actions is not None:
        leads_cover = coverage(r, CARD_WORK, "action_lead")
        if r.action_leads or leads_cover.started:
            actions.add(Para(t("report.actions_lead", count=len(r.action_leads))))
        if r.action_leads:
            shown, hidden = capped(list(r.action_leads), MAX_ROWS)
            actions.add(Table([t("report.c.rank"), t("report.c.action_lead"), t("report.c.theme"),
                               t("report.c.dots"), t("report.c.voters")],
                              [[str(c.rank), c.text + (f" — {c.details}" if c.details else ""), c.theme or "–",
                                str(c.dots), str(c.voters)] for c in shown],
                              numeric=(0, 3, 4), caption=t("report.cap.action_leads"), widths=(6, 60, 14, 10, 10)),
                        *more_rows(t, hidden, "cartes"))
        elif leads_cover.started:
            actions.add(nothing(leads_cover, "actions"))
        if r.current_actions:
            actions.add(Para(t("report.current_actions_lead", count=len(r.current_actions)), "muted"),
                        Bullets([c.text for c in r.current_actions[:MAX_BULLETS]]),
                        *more_rows(t, max(0, len(r.current_actions) - MAX_BULLETS), "cartes"))
        sections.append(actions)
    return sections


def notes_chapters(k: Chapters) -> list[Section]:
    """11. Facilitators' notes per activity and lessons learned."""
    r, t = k.report, k.t
    sections: list[Section] = []
    notes = Section("enseignements", t("report.s.notes"))
    notes.add(Para(t("report.notes_lead")))
    sections.append(notes)
    if r.notes:
        activity_notes = Section("notes-animation", t("report.s.activity_notes"), level=2)
        for n in r.notes:
            activity_notes.add(Para(t("report.note_title", day=n.day, title=n.title), "note"), Prose(n.notes))
        sections.append(activity_notes)
    lessons = Section("lecons", t("report.s.lessons"), level=2)
    lessons.add(Prose(r.lessons_learned) if r.lessons_learned.strip() else
                Para(t("report.empty.lessons_pending" if r.in_progress else "report.empty.lessons"), "muted"))
    sections.append(lessons)
    return sections


def appendices(k: Chapters, data_tables: list[DataTable], files: dict[str, str]) -> list[Section]:
    """The method and the data annex (the files that come with the report, the cards)."""
    r, t, lang = k.report, k.t, k.lang
    sections: list[Section] = []
    sections.append(method_section(lang))
    annex = Section("donnees", t("report.s.data"), appendix=True)
    annex.add(Para(t("report.data_lead")),
              Facts([(label, name) for label, name in files.items()]),
              Table([t("report.c.data_table"), t("report.c.rows"), t("report.c.file")],
                    [[d.title, str(len(d.rows)), f"{d.key}.csv"] for d in data_tables],
                    numeric=(1,), widths=(58, 10, 32)),
              Para(t("report.cards_lead", count=len(r.cards), dots=t("report.dots_n", count=r.total_dots)), "muted"))
    if not r.cards:
        pass
    elif len(r.cards) <= MAX_ANNEX_CARDS:
        annex.add(Table([t("report.c.id"), t("report.c.kind"), t("report.c.theme"), t("report.c.text"),
                         t("report.c.dots")],
                        [[str(c.card_id), t(f"kind.{c.kind}"), c.theme or "–", card_line(c), str(c.dots)]
                         for c in r.cards],
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
    return sections


def method_section(lang: str) -> Section:
    from workshop.i18n import translate

    def t(key: str, **params) -> str:
        return translate(key, lang, **params)

    method = Section("methode", t("report.s.method"), appendix=True)
    method.add(Para(t("report.method.p1")), Para(t("report.method.p2")), Para(t("report.method.p3")))
    method.add(Para(t("report.method.numbers"), "note"), Bullets([t(f"report.method.n{i}") for i in range(1, 8)]))
    method.add(Para(t("report.method.licence"), "muted"))
    return method
