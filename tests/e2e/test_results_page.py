"""The participants' results page in Chromium on a phone (390x844): the finished demo seminar
(Creil) opened by its join code, as a participant would after the seminar.

It must show the essential page, the ranked stakes, the map, the trajectories and the
report to download, fit the phone's width, and reveal nothing the report does not: no
display name of any participant, no hidden card. Closed by staff, it says so in French.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from workshop.db import Database
from workshop.models import Card, Participant, Seminar
from workshop.services import cards as card_service
from workshop.services import publication

pytestmark = pytest.mark.e2e

@pytest.fixture(scope="module")
def creil(server):
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    with db.read() as session:
        seminar = session.scalar(select(Seminar).where(Seminar.territory.like("Creil%")))
        seminar_id, code = seminar.id, seminar.join_code
    yield db, seminar_id, code
    publication.set_results_open(db, seminar_id, True)
    db.dispose()


def _shot(page, artifacts: Path, name: str) -> Path:
    path = artifacts / "results" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def test_results_page_on_a_phone_reveals_nothing_the_report_does_not(browser, server, creil, artifacts, tmp_path):
    db, seminar_id, code = creil
    # A card the facilitator hid, and every participant's display name: none may appear.
    stake = next(c for c in card_service.list_cards(db, seminar_id) if c.kind.value == "stake")
    hidden_text = "Carte masquée par l'animation : ne pas publier"
    with db.write() as session:
        session.add(Card(seminar_id=seminar_id, activity_id=stake.activity_id, kind=stake.kind, text=hidden_text,
                         hidden=True))
    with db.read() as session:
        names = [n for n in session.scalars(select(Participant.display_name).where(
            Participant.seminar_id == seminar_id)) if len(n) >= 3]
    assert names

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/join/{code}")  # the join code leads here once the seminar is over
        page.wait_for_url(f"**/resultats/{code}")
        page.get_by_role("heading", name="L'essentiel").wait_for(timeout=30_000)
        page.locator("img.map").scroll_into_view_if_needed()  # loaded lazily, as on a phone
        page.wait_for_function("() => { const i = document.querySelector('img.map');"
                               " return i && i.complete && i.naturalWidth > 0; }", timeout=60_000)
        text = page.inner_text("body")
        for expected in ("Les enjeux mis en tête par les votes", "Les enjeux classés par les votes",
                         "La carte des enjeux", "Les trajectoires", "Des friches aux emplois", "Le rapport complet"):
            assert expected in text, expected
        for name in names:
            assert name not in text, name
        assert hidden_text not in text
        # fits the phone: nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # a heading that wraps on the phone keeps its lines together (Quasar gives h2 a 3.75rem line height)
        spacing = page.evaluate("() => [...document.querySelectorAll('.results-root h2')].map(h => {"
                                " const s = getComputedStyle(h); return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })")
        assert len(spacing) >= 4 and max(spacing) <= 1.5, spacing
        _shot(page, artifacts, "results-390x844.png")
        page.screenshot(path=str(artifacts / "results" / "results-390x844-first-screen.png"))

        # Staff close it: a sentence in French, nothing else.
        publication.set_results_open(db, seminar_id, False)
        page.goto(f"{server.url}/resultats/{code}")
        page.get_by_text("L'équipe d'animation a fermé la page des résultats").wait_for(timeout=30_000)
        assert "L'essentiel" not in page.inner_text("body")
        assert page.request.get(f"{server.url}/resultats/{code}/carte.jpg").status == 404
        _shot(page, artifacts, "results-closed-390x844.png")
    finally:
        context.close()
