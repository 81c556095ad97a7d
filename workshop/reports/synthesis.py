"""The cross-territory synthesis: several seminars (e.g. the four territories of a programme)
compared in one document.

- participation compared (head count by collège, per territory);
- stakes and threats that recur across territories, similar wording grouped (see
  ``similarity``: Snowball French stems, Dice similarity, documented threshold);
- what is specific to each territory (its most voted stakes and threats no other formulated);
- the lessons learned, side by side.

Each seminar is read with the same ``build_report`` as its own report, so the numbers agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workshop.db import Database
from workshop.i18n import list_separator, quoted, translate
from workshop.reports.data import DataTable
from workshop.reports.document import (
    Bullets,
    Columns,
    Document,
    Figure,
    FigureSpec,
    Para,
    Section,
    Table,
    long_date,
    num,
    percent,
    stamp,
)
from workshop.reports.figures import participation_figure
from workshop.reports.chapters_closing import method_section
from workshop.reports.model import COLLEGES, SeminarReport, build_report, local
from workshop.reports.similarity import THRESHOLD, group_texts

#: How many specific stakes / threats are listed per territory.
MAX_SPECIFIC = 8
#: How many recurring groups are shown (the data files have all of them).
MAX_RECURRING = 40


@dataclass(frozen=True)
class Item:
    seminar_id: int
    territory: str
    card_id: int
    kind: str
    text: str
    dots: int
    severity: float | None = None


@dataclass(frozen=True)
class CardGroup:
    id: int
    kind: str
    items: tuple[Item, ...]          # most voted first

    @property
    def label(self) -> str:
        return self.items[0].text

    @property
    def seminar_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(i.seminar_id for i in self.items))

    @property
    def territories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.territory for i in self.items))

    @property
    def dots(self) -> int:
        return sum(i.dots for i in self.items)

    @property
    def severity(self) -> float | None:
        """Mean severity (likelihood x impact) of the rated threats of the group."""
        rated = [i.severity for i in self.items if i.severity is not None]
        return round(sum(rated) / len(rated), 2) if rated else None

    @property
    def recurring(self) -> bool:
        return len(self.seminar_ids) > 1


@dataclass(frozen=True)
class Synthesis:
    lang: str
    generated_at: datetime
    reports: tuple[SeminarReport, ...]
    stake_groups: tuple[CardGroup, ...]
    threat_groups: tuple[CardGroup, ...]
    threshold: float

    def t(self, key: str, **params) -> str:
        return translate(key, self.lang, **params)

    @property
    def recurring_stakes(self) -> tuple[CardGroup, ...]:
        return _recurring(self.stake_groups)

    @property
    def recurring_threats(self) -> tuple[CardGroup, ...]:
        return _recurring(self.threat_groups)

    def specific(self, seminar_id: int, kind: str) -> tuple[CardGroup, ...]:
        groups = self.stake_groups if kind == "stake" else self.threat_groups
        own = [g for g in groups if g.seminar_ids == (seminar_id,)]
        return tuple(sorted(own, key=lambda g: (-g.dots, -(g.severity or 0), g.id)))


def _recurring(groups) -> tuple[CardGroup, ...]:
    return tuple(sorted((g for g in groups if g.recurring),
                        key=lambda g: (-len(g.seminar_ids), -g.dots, -(g.severity or 0), g.id)))


def _group(kind: str, items: list[Item], order: dict[int, int], first_id: int) -> tuple[CardGroup, ...]:
    items = sorted(items, key=lambda i: (-i.dots, order[i.seminar_id], i.card_id))
    groups = group_texts([i.text for i in items], THRESHOLD)
    return tuple(CardGroup(first_id + n, kind, tuple(items[m] for m in members)) for n, members in enumerate(groups))


def build_synthesis(db: Database, seminar_ids: list[int], *, now: datetime, lang: str = "fr") -> Synthesis:
    reports = tuple(build_report(db, sid, now=now) for sid in seminar_ids)
    order = {r.seminar_id: i for i, r in enumerate(reports)}
    stakes = [Item(r.seminar_id, r.territory, c.card_id, "stake", c.text, c.dots) for r in reports for c in r.stakes]
    threats = [Item(r.seminar_id, r.territory, x.card_id, "threat", x.text,
                    next((c.dots for c in r.cards if c.card_id == x.card_id), 0), x.severity)
               for r in reports for x in r.threats]
    stake_groups = _group("stake", stakes, order, 1)
    threat_groups = _group("threat", threats, order, len(stake_groups) + 1)
    return Synthesis(lang=lang if lang in ("fr", "en") else "fr", generated_at=local(now), reports=reports,
                     stake_groups=stake_groups, threat_groups=threat_groups, threshold=THRESHOLD)


# --- layout ------------------------------------------------------------------------------------


def _dates(r: SeminarReport, lang: str) -> str:
    days = [d for d in r.days if d is not None]
    if not days:
        return "–"
    return long_date(days[0], lang) if len(days) == 1 else f"{long_date(days[0], lang)} – {long_date(days[-1], lang)}"


def _formulations(group: CardGroup, lang: str) -> str:
    """Each wording with its territory and its dots (stakes) or severity (threats)."""
    def measure(i: Item) -> str:
        if group.kind == "threat":
            return f", {num(i.severity, lang)}" if i.severity is not None else ""
        return f", {i.dots}"

    return list_separator(lang).join(f"{quoted(i.text, lang)} ({i.territory}{measure(i)})" for i in group.items[:8]) + (
        f" (+{len(group.items) - 8})" if len(group.items) > 8 else "")


def synthesis_document(s: Synthesis, tables: list[DataTable]) -> Document:
    t, lang = s.t, s.lang
    n = len(s.reports)
    territories = ", ".join(r.territory for r in s.reports)
    sections: list[Section] = []
    figures: dict[str, FigureSpec] = {}

    overview = Section("seminaires", t("report.synthesis.s.seminars"))
    overview.add(Para(t("report.synthesis.lead", n=n), "lead"))
    overview.add(Table(
        [t("report.c.territory"), t("report.f.horizon"), t("report.f.dates"), t("report.c.participants"),
         t("report.c.stakes"), t("report.c.threats"),
         t("report.c.dots"), t("report.c.state")],
        [[r.territory, str(r.horizon_year), _dates(r, lang), str(r.participation.total), str(len(r.stakes)),
          str(len(r.threats)), str(r.total_dots),
          t("report.synthesis.state_running") if r.in_progress else t("report.synthesis.state_done")]
         for r in s.reports],
        numeric=(1, 3, 4, 5, 6), widths=(21, 8, 23, 12, 8, 9, 11, 8)))
    sections.append(overview)

    participation = Section("participation", t("report.synthesis.s.participation"))
    colleges = [c for c in COLLEGES if any(r.participation.count(c) for r in s.reports)]
    counts = [(r.territory, {c.college: c.count for c in r.participation.by_college}) for r in s.reports]
    if any(r.participation.total for r in s.reports):
        figures["participation"] = FigureSpec(
            lambda mode: participation_figure(counts, COLLEGES, lang=lang, mode=mode), 900, 440)
        participation.add(Figure("participation", t("report.cap.participation")))
    short = {c: t(f"report.college_short.{c}") for c in COLLEGES}
    participation.add(Table(
        [t("report.c.territory"), t("report.c.total")] + [short[c] for c in colleges],
        [[r.territory, str(r.participation.total)]
         + [f"{r.participation.count(c)} ({percent(100 * r.participation.count(c) / (r.participation.total or 1), lang)})"
            for c in colleges] for r in s.reports],
        numeric=tuple(range(1, 2 + len(colleges))), caption=t("report.cap.participation_table"),
        widths=(24, 8) + tuple(68 / max(1, len(colleges)) for _ in colleges), small=len(colleges) > 5,
        footer=[t("report.c.total"), str(sum(r.participation.total for r in s.reports))]
        + [str(sum(r.participation.count(c) for r in s.reports)) for c in colleges]))
    participation.add(Para(t("report.college_legend", legend=", ".join(f"{short[c]} = {t('college_name.' + c)}"
                                                                        for c in colleges)), "muted"))
    sections.append(participation)

    for key, groups, caption in (("enjeux-communs", s.recurring_stakes, "report.cap.recurring_stakes"),
                                 ("menaces-communes", s.recurring_threats, "report.cap.recurring_threats")):
        section = Section(key, t("report.synthesis.s.stakes" if key.startswith("enjeux") else "report.synthesis.s.threats"))
        section.add(Para(t("report.synthesis.grouping", threshold=num(s.threshold, lang, 2)), "muted"))
        threats = key.startswith("menaces")
        if groups:
            section.add(Table(
                [t("report.c.theme_group"), t("report.c.territories"),
                 t("report.c.mean_severity") if threats else t("report.c.dots"), t("report.c.recurring")],
                [[g.label, str(len(g.seminar_ids)), num(g.severity, lang) if threats else str(g.dots),
                  _formulations(g, lang)] for g in groups[:MAX_RECURRING]],
                numeric=(1, 2), caption=t(caption), widths=(28, 10, 11, 51)))
        else:
            section.add(Para(t("report.synthesis.recurring_none"), "muted"))
        sections.append(section)

    specific = Section("specificites", t("report.synthesis.s.specific"))
    specific.add(Para(t("report.synthesis.specific_lead")))
    sections.append(specific)
    for r in s.reports:
        sub = Section(f"specificites-{r.seminar_id}", r.territory, level=2)
        stakes = s.specific(r.seminar_id, "stake")[:MAX_SPECIFIC]
        threats = s.specific(r.seminar_id, "threat")[:MAX_SPECIFIC]
        sub.add(Para(t("report.synthesis.specific_stakes"), "note"),
                Bullets([f"{g.label} ({t('report.dots_n', count=g.dots)})" for g in stakes] or ["–"]),
                Para(t("report.synthesis.specific_threats"), "note"),
                Bullets([g.label + (f" ({t('report.c.severity').lower()} {num(g.severity, lang)})"
                                    if g.severity is not None else "") for g in threats] or ["–"]))
        sections.append(sub)

    lessons = Section("enseignements", t("report.synthesis.s.lessons"))
    lessons.add(Columns([(r.territory, r.lessons_learned.strip() or t("report.synthesis.no_lessons"))
                         for r in s.reports]))
    sections.append(lessons)
    sections.append(method_section(lang))

    generated = stamp(s.generated_at, lang)
    return Document(
        lang=lang, title=t("report.synthesis.title", n=n), subtitle=t("report.synthesis.subtitle", territories=territories),
        kind_label=t("report.synthesis.kind"),
        cover_facts=[(t("report.c.territories"), territories),
                     (t("report.f.participants"), str(sum(r.participation.total for r in s.reports))),
                     (t("report.f.generated"), generated)],
        notice="", sections=sections, figures=figures, footer=t("report.synthesis.kind"),
        credits=t("report.credits"), generated=generated,
    )


def synthesis_tables(s: Synthesis) -> list[DataTable]:
    t = s.t
    return [
        DataTable("seminaires", t("report.data.synthesis_seminars"),
                  ("seminaire_id", "territoire", "titre", "horizon", "dates", "participants", "enjeux", "menaces",
                   "gommettes", "etat"),
                  [(r.seminar_id, r.territory, r.title, r.horizon_year, [d for d in r.days if d],
                    r.participation.total, len(r.stakes), len(r.threats), r.total_dots,
                    "en_cours" if r.in_progress else "termine") for r in s.reports]),
        DataTable("participation", t("report.data.synthesis_participation"),
                  ("seminaire_id", "territoire", "college", "participants"),
                  [(r.seminar_id, r.territory, c.college, c.count) for r in s.reports for c in r.participation.by_college]),
        DataTable("regroupements", t("report.data.synthesis_groups"),
                  ("groupe_id", "type", "libelle", "territoires", "commun", "seminaire_id", "territoire", "carte_id",
                   "texte", "gommettes"),
                  [(g.id, g.kind, g.label, len(g.seminar_ids), g.recurring, i.seminar_id, i.territory, i.card_id,
                    i.text, i.dots) for g in (*s.stake_groups, *s.threat_groups) for i in g.items]),
        DataTable("enseignements", t("report.data.synthesis_lessons"), ("seminaire_id", "territoire", "enseignements"),
                  [(r.seminar_id, r.territory, r.lessons_learned) for r in s.reports]),
    ]

