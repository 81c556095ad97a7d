"""« L'essentiel »: what the seminar concluded, in about ten sentences written from the data.

Deterministic: the same seminar gives the same sentences (no external service, no random
choice). Each sentence reads one part of the report model and names where it comes from
(``ref``: the chapter, and its table or figure), so a reader can check every figure:

- who came (context chapter);
- the stakes put first by the dot vote, and the collège that gave each the most dots;
- the threats with the highest severity (likelihood x impact) and those nothing counters
  on the map, and the most exposed stake (exposure table), or those tied with it;
- the vision (articles of the future), the challenges put first by the vote, the trajectories;
- the action leads put first by the vote;
- what comes next (activities still to play, or the report handed to the territory).

A sentence whose data does not exist yet (nothing voted, no map) is left out rather than
written empty. A ranking sentence names the first three; when the ranking ties at that cut it
names the tied ones too (five at most) or says how many more tie (« et 4 autres à 1 gommette »),
never leaving them out silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from workshop.i18n import quoted
from workshop.reports.chapter_kit import card_line
from workshop.reports.document import MONTHS_EN, MONTHS_FR, num
from workshop.reports.model import COLLEGES, RankedCard, SeminarReport

#: How many cards a ranking sentence names (more when the ranking ties at the cut, see ``_top``).
TOP = 3
#: A tie at the cut is named whole when the sentence then names at most this many; beyond, the
#: sentence names ``TOP`` and counts the others tied with the last of them.
MOST = 5


@dataclass(frozen=True)
class Sentence:
    key: str          # what it says (stakes, threats…), stable for tests
    text: str
    section: str      # id of the chapter it comes from
    ref: str          # "chapitre 3 « … », tableau"


def _list(items: list[str], lang: str) -> str:
    """``a, b et c`` / ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    last = " et " if lang == "fr" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def _day(day: date, lang: str, *, month: bool, year: bool) -> str:
    """« 6 », « 6 décembre », « 6 décembre 2026 » (« 1er » in French)."""
    text = ("1er" if day.day == 1 else str(day.day)) if lang == "fr" else str(day.day)
    if month or year:
        text += " " + (MONTHS_FR if lang == "fr" else MONTHS_EN)[day.month - 1]
    return text + (f" {day.year}" if year else "")


def when(days: list[date], lang: str, t: Callable[..., str]) -> str:
    """When the seminar's days were, with their preposition and a leading space, each month and
    year said once: « le 6 décembre 2026 », « les 6 et 7 décembre 2026 », « du 6 au 8 décembre
    2026 » (three days or more in a row), « les 6, 8 et 10 décembre 2026 », « les 30 novembre et
    1er décembre 2026 », « du 30 décembre 2026 au 1er janvier 2027 ». No day: ""."""
    days = sorted(set(days))
    if not days:
        return ""
    if len(days) == 1:
        return t("essential.when_one", date=_day(days[0], lang, month=True, year=True))
    first, last = days[0], days[-1]
    if len(days) >= 3 and (last - first).days == len(days) - 1:  # every day in between
        return t("essential.when_range", last=_day(last, lang, month=True, year=True), first=_day(
            first, lang, month=(first.month, first.year) != (last.month, last.year), year=first.year != last.year))
    named = [_day(d, lang, month=nxt is None or (nxt.month, nxt.year) != (d.month, d.year),
                  year=nxt is None or nxt.year != d.year)
             for d, nxt in zip(days, [*days[1:], None])]
    return t("essential.when_days", dates=_list(named, lang))


def leading_colleges(card: RankedCard) -> tuple[list[str], int]:
    """The collège(s) that gave ``card`` the most dots, in the model's order, and that number."""
    if not card.by_college:
        return [], 0
    most = max(card.by_college.values())
    return [c for c in COLLEGES if card.by_college.get(c, 0) == most], most


def says_who_carried(card: RankedCard, leaders: list[str]) -> bool:
    """Whether naming the collège(s) that gave ``card`` the most dots tells the reader something:
    not for one person's dots (« aux habitants (1 sur 1) » names a vote, not a collège), nor when
    every collège that voted gave as many (« aux élus et aux acteurs économiques (1 chacun sur 2) »:
    none comes first)."""
    voted = [c for c, n in card.by_college.items() if n]
    if card.undetailed and card.undetailed >= max(card.by_college.values(), default=0):
        return False  # one of the collèges not shown apart (too few voters) may have given as many
    return bool(leaders) and card.voters >= 2 and (len(voted) == 1 or len(leaders) < len(voted))


def _top(ranked: list, score: Callable, top: int = TOP) -> tuple[list, int]:
    """The first ``top`` of ``ranked`` (ranked by ``score``, highest first) and, when the ranking
    ties at the cut, those tied with the last of them: all named when that makes ``MOST`` at most,
    otherwise none more, and their number returned so that the sentence says them (a ranking
    sentence never drops silently what ties with what it names)."""
    named = list(ranked[:top])
    if not named:
        return [], 0
    last = score(named[-1])
    tied = 0
    for x in ranked[top:]:
        if score(x) != last:
            break
        tied += 1
    if top + tied <= MOST:
        return list(ranked[:top + tied]), 0
    return named, tied


def _voted(cards: tuple[RankedCard, ...]) -> tuple[list[RankedCard], int]:
    """The cards the dot vote put first, and how many more tie with the last named (see ``_top``)."""
    return _top([c for c in cards if c.dots > 0], lambda c: c.dots)


def essential_sentences(report: SeminarReport, chapters: dict[str, tuple[int | None, str]]) -> list[Sentence]:
    """``chapters``: section id -> (chapter number or None, title) of the laid-out report; a
    sentence is written only when the chapter it refers to is in the report."""
    r, lang, t = report, report.language, report.t
    out: list[Sentence] = []

    def q(text: str) -> str:
        return quoted(text, lang)

    def add(key: str, section: str, what: str, text: str) -> None:
        if section not in chapters:
            return
        if lang == "fr":  # a colon never starts a line away from its word
            text = text.replace(" :", "\u00a0:")
        number, title = chapters[section]
        where = t("essential.ref.chapter", number=number, title=q(title)) if number is not None else q(title)
        out.append(Sentence(key, text, section, where + (t(f"essential.ref.{what}") if what else "")))

    # Who came.
    present = [c for c in r.participation.by_college if c.count]
    days = list(r.days)
    if r.in_progress:  # the days worked so far: those of the activities played (the next day's opening,
        # open, has not been worked yet), not those still to come
        days = days[:max((s.day for s in r.run_sheet if s.state == "closed"), default=0)]
    days = [d for d in days if d is not None]
    add("context", "contexte", "table", t(
        "essential.context", count=r.participation.total,
        people=t("report.n.participants", count=r.participation.total),
        colleges=t("report.n.colleges", count=len(present)), territory=r.territory, horizon=r.horizon_year,
        when=when(days, lang, t)))
    if r.in_progress:
        add("interim", "deroule", "table", t("essential.interim", done=t(
            "report.n.played", count=sum(1 for s in r.run_sheet if s.state == "closed"), total=len(r.run_sheet))))

    # Stakes first, and who carried them.
    def dots(c: RankedCard) -> str:
        return t("report.dots_n", count=c.dots)

    def with_dots(cards: list[RankedCard], tied: int) -> str:
        """« « a » (3 gommettes), « b » (1 gommette) et 4 autres à 1 gommette »."""
        more = [t("essential.tied_dots", count=tied, dots=dots(cards[-1]))] if tied else []
        return _list([f"{q(c.text)} ({dots(c)})" for c in cards] + more, lang)

    top, tied = _voted(r.stakes)
    if top:
        add("stakes", "enjeux", "table", t("essential.stakes", count=len(top) + tied, list=with_dots(top, tied)))
        carried = []
        for i, c in enumerate(top):
            who, most = leading_colleges(c)
            if not says_who_carried(c, who):
                continue
            people = _list([t(f"essential.college_to.{k}") for k in who], lang)
            key = "essential.carried_first" if not carried else "essential.carried_next"
            carried.append(t(key, stake=q(c.text), who=people, dots=most, total=c.dots,
                             each=t("essential.each") if len(who) > 1 else ""))
        if carried:
            add("carried", "enjeux", "table_colleges", _list(carried, lang) + ".")

    # Threats: the most serious, those nothing counters, the most exposed stake.
    # tied as the reader sees them: on the score as written (one decimal)
    rated, tied = _top([x for x in r.threats if x.severity is not None], lambda x: num(x.severity, lang, 1))
    if rated:
        more = [t("essential.tied_score", count=tied, score=num(rated[-1].severity, lang, 1))] if tied else []
        add("threats", "menaces", "figure", t("essential.threats", count=len(rated) + tied, list=_list(
            [f"{q(x.text)} ({num(x.severity, lang, 1)})" for x in rated] + more, lang)))
    f = r.findings
    if r.links:
        loose = list(f.uncountered_threats)
        # « dont » only when the sentence names some of them, not all
        add("uncountered", "carte-lecture", "", t(
            "essential.uncountered_some" if len(loose) > TOP else "essential.uncountered", count=len(loose),
            list=_list([q(x) for x in loose[:TOP]], lang),
            more=t("essential.and_more", count=len(loose) - TOP) if len(loose) > TOP else ""))
        # the most exposed, and those tied with it (as the analysis ranks them: exposure to 6 decimals)
        exposures = [x for x in f.exposure if x.exposure > 0]
        most, tied = _top(exposures, lambda x: round(x.exposure, 6), top=1)

        def weighing(x) -> str:  # in plain words: how many threats weigh on it and how many something counters
            return (t("essential.exposure_none", count=x.threats) if x.countered == 0 else
                    t("essential.exposure_all", count=x.threats) if x.countered == x.threats
                    else t("essential.exposure_some", count=x.countered, threats=x.threats))

        if len(most) + tied == 1:
            exposed = most[0]
            add("exposure", "carte-lecture", "table_exposure", t(
                "essential.exposure_challenge" if exposed.kind == "challenge" else "essential.exposure",
                stake=q(exposed.text), threats=weighing(exposed)))
        elif most:
            kinds = {x.kind for x in exposures[:len(most) + tied]}  # those named and those counted
            which = "challenges" if kinds == {"challenge"} else "stakes" if "challenge" not in kinds else "both"
            add("exposure", "carte-lecture", "table_exposure", t(
                f"essential.exposure_tied.{which}", list=_list(
                    [f"{q(x.text)} ({weighing(x)})" for x in most]
                    + ([t("essential.tied_others", count=tied)] if tied else []), lang)))

    # Vision, challenges, trajectories.
    if r.articles:
        first = sorted(r.articles, key=lambda a: (-a.dots, a.rank))[0]
        add("vision", "vision", "", t("essential.vision", count=len(r.articles), horizon=r.horizon_year,
                                       first=q(card_line(first))))
    challenges, tied = _voted(r.challenges)  # ranked by the dot vote, as the chapter's table
    if challenges:
        add("challenges", "robustesse", "table", t("essential.challenges", count=len(challenges) + tied,
                                                    list=with_dots(challenges, tied)))
    if len(r.trajectories) == 1:
        tr = r.trajectories[0]
        years = [s.year for s in tr.steps]
        steps = t("essential.n_steps", count=len(years))
        span = "" if not years else (  # steps all in one year: « en une étape, en 2040 », not « de 2040 à 2040 »
            t("essential.span_year", steps=steps, year=years[0]) if min(years) == max(years)
            else t("essential.span", steps=steps, first=min(years), last=max(years)))
        add("trajectories", "trajectoires", "figure", t("essential.trajectory", title=q(tr.title),
                                                        target=q(tr.target or "–"), span=span))
    elif r.trajectories:
        add("trajectories", "trajectoires", "figure", t(
            "essential.trajectories", count=len(r.trajectories),
            list=_list([q(tr.title) for tr in r.trajectories[:TOP]], lang),
            more=t("essential.and_more", count=len(r.trajectories) - TOP) if len(r.trajectories) > TOP else ""))

    # Action leads.
    leads, tied = _voted(r.action_leads)
    if leads:
        add("actions", "actions", "table", t("essential.actions", count=len(leads) + tied,
                                             list=with_dots(leads, tied)))
    elif r.action_leads:
        add("actions", "actions", "table", t("essential.actions_unvoted", count=len(r.action_leads)))

    # What comes next.
    if r.in_progress:
        upcoming = [s for s in r.run_sheet if s.state != "closed"]
        add("next", "deroule", "table", t("essential.next_running", count=len(upcoming),
                                          first=q(upcoming[0].title) if upcoming else "–"))
    else:
        add("next", "donnees", "", t("essential.next_done", leads=t("essential.n_leads", count=len(r.action_leads)))
            if r.action_leads else t("essential.next_done_no_leads"))
    return out


def chapter_numbers(sections) -> dict[str, tuple[int | None, str]]:
    """Section id -> (chapter number, title) as the documents number them (appendices and
    sub-sections have no number of their own: a sub-section gives its chapter's)."""
    out: dict[str, tuple[int | None, str]] = {}
    count, current = 0, None
    for s in sections:
        if s.level == 1:
            if s.appendix:
                current = None
            else:
                count += 1
                current = count
        out[s.id] = (current, s.title)
    return out


def as_text(sentences: list[Sentence], arrow: Callable[[str], str]) -> str:
    """The page as plain text for staff to edit: one sentence a line, with its reference."""
    return "\n\n".join(f"{s.text} {arrow(s.ref)}" for s in sentences)
