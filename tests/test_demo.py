"""The demo seminars a newcomer finds: one in progress, one finished, comparable in a synthesis."""

from __future__ import annotations

from datetime import timedelta

from workshop import clock
from workshop.demo import DEMO_SECRET, PAST_DEMO_SECRET, ensure_demos
from workshop.models import ActivityState, CardKind
from workshop.reports.synthesis import build_synthesis
from workshop.services import activities, cards, robustness, seminars, trajectories, votes


def test_two_demo_seminars_created_once_and_found_again(db):
    amiens, creil = ensure_demos(db)
    again = ensure_demos(db)
    assert [d.seminar_id for d in again] == [amiens.seminar_id, creil.seminar_id]
    assert len(seminars.list_seminars(db)) == 2
    seminars.check_facilitator(db, amiens.seminar_id, DEMO_SECRET)
    seminars.check_facilitator(db, creil.seminar_id, PAST_DEMO_SECRET)
    assert activities.current_activity(db, amiens.seminar_id) is not None  # in progress


def test_the_finished_demo_was_played_like_a_real_seminar(db):
    _, creil = ensure_demos(db)
    sid = creil.seminar_id
    seminar = seminars.get_seminar_by_id(db, sid)
    assert seminar.territory == "Creil Sud Oise" and not seminar.joining_open and seminar.lessons_learned
    played = activities.list_activities(db, sid)
    assert all(a.state is ActivityState.CLOSED for a in played)
    # actual durations close to the plan (±10 min), days on their own dates, in the past
    for a in played:
        actual = (a.ended_at - a.started_at) / timedelta(minutes=1)
        assert abs(actual - a.planned_minutes) <= 10, a.title
    assert {a.started_at.date() for a in played} == set(seminar_days(seminar))
    assert max(a.ended_at for a in played) < clock.now() - timedelta(days=30)
    # every stage of the method left something
    kinds = {c.kind for c in cards.list_cards(db, sid)}
    assert {CardKind.STAKE, CardKind.THREAT, CardKind.RESOURCE, CardKind.CHALLENGE, CardKind.CURRENT_ACTION,
            CardKind.VISION_ARTICLE, CardKind.ACTION_LEAD, CardKind.WORD} <= kinds
    assert robustness.matrix(db, sid) and votes.mean_ratings(db, sid)
    assert sum(t.dots for t in votes.tally(db, sid)) > 0
    [trajectory] = trajectories.list_trajectories(db, sid)
    assert len(trajectory.steps) == 4 and trajectory.steps[-1].year == 2050
    # the articles from the future are whole articles (headline, then paragraphs), as tables write
    # them: the demo's were one-line headlines, and its report's vision chapter held nothing else
    articles = [c for c in cards.list_cards(db, sid) if c.kind is CardKind.VISION_ARTICLE]
    for article in articles:
        headline, body = cards.article_parts(article.text)
        assert headline and body.count("\n\n") >= 2, article.text


def seminar_days(seminar):
    return [d.date for d in seminar.days]


def test_the_two_demos_share_stakes_and_threats_in_a_synthesis(db):
    amiens, creil = ensure_demos(db)
    synthesis = build_synthesis(db, [amiens.seminar_id, creil.seminar_id], now=clock.now())
    stakes = [{i.text for i in g.items} for g in synthesis.recurring_stakes]
    assert {"Accès aux soins de proximité dans les communes rurales",
            "Accès aux soins de proximité pour tous les habitants"} in stakes
    threats = [{i.text for i in g.items} for g in synthesis.recurring_threats]
    assert {"Désertification médicale"} in threats
    assert "Inondations de l'Oise plus fréquentes" in {g.label for g in synthesis.specific(creil.seminar_id, "threat")}


def test_the_command_line_says_what_workshop_demo_makes(capsys):
    """`workshop --help` said « create a demo seminar in progress »: it makes two, one of them finished."""
    import pytest

    from workshop.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    line = " ".join(capsys.readouterr().out.split("    demo", 1)[1].split("\n    validate", 1)[0].split())
    assert "two demo seminars" in line and "in progress" in line and "finished" in line, line
