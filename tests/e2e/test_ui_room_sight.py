"""What people see, in Chromium: the projector's results read from the back of a 1080p room, a
phone's toast leaves the card just sent in sight, the report page's file pickers speak the page's
language, a dialog dims the page behind it.

Seminars of their own (created in the server's database) keep the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/room-sight/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PHONE, PROJECTOR, PROJECTOR_SMALL, TABLET, Person, Room, connected, join, log_in, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import LAPTOP, SECRET
from tests.e2e.test_ui_room_fit import RECT, overlaps, rect, seminar_at, toast
from workshop.db import Database
from workshop.rehearsal.browser import audit, axe_source, cut_text, settle, small_text
from workshop.services import activities, cards, participants, screen, votes

pytestmark = pytest.mark.e2e

# --- 1. the projector's results: the summary and the colour key scale with the screen ----------

STAKES = ["Garder une école dans chaque village", "Des bus à la demande entre les villages",
          "Un tiers-lieu numérique dans chaque bourg"]
VOTERS = [("Amandine R.", "elected", [2, 1, 0]), ("Bastien L.", "business", [1, 1, 1]),
          ("Chantal P.", "resident", [0, 1, 2])]  # 3 dots each

FONT_PX = "e => parseFloat(getComputedStyle(e).fontSize)"


def revealed_dot_vote(server) -> int:
    """A seminar at its dot vote (activity 5 of the half day), three voters, results on screen."""
    created = seminar_at(server, "Séminaire résultats", "demi-journee-decouverte", open_up_to=4)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        vote_id = activities.advance(db, created.seminar_id)
        ids = [cards.add_card(db, created.seminar_id, kind="stake", text=text).id for text in STAKES]
        for name, college, dots in VOTERS:
            token = participants.join(db, created.join_code, display_name=name, college=college).device_token
            for card_id, n in zip(ids, dots):
                if n:
                    votes.set_dots(db, token, vote_id, card_id, n)
        screen.set_screen(db, created.seminar_id, view="results", reveal_results=True)
    finally:
        db.dispose()
    return created.seminar_id


def test_projector_results_summary_and_key_scale_with_the_screen(room: Room, server, artifacts: Path) -> None:
    sid = revealed_dot_vote(server)
    _, projector = room.page(PROJECTOR)
    projector.goto(f"{server.url}/screen/{sid}")
    log_in(projector, SECRET)
    projector.wait_for_url(re.compile(rf"^[^?]*/screen/{sid}$"))
    summary = projector.locator(".v21p-view-sub")
    expect(summary).to_have_text(re.compile(r"^3 votants · 9 gommettes"))
    key = projector.locator(".v21p-legend-item")
    expect(key).to_have_count(3)  # élu·e, acteur économique, habitant·e
    expect(projector.locator(".js-plotly-plot")).to_be_visible()
    connected(projector)
    for size, floor in ((PROJECTOR, 36), (PROJECTOR_SMALL, 24)):  # 24 px at 720 lines is 36 at 1080
        projector.set_viewport_size(size)
        settle(projector)
        shot(projector, artifacts / "room-sight" / f"projector-results-{size['width']}x{size['height']}.png")
        sizes = {"summary": summary.evaluate(FONT_PX),
                 "key": min(item.evaluate(FONT_PX) for item in key.all())}
        assert min(sizes.values()) >= floor - 0.5, (size, sizes)
        assert small_text(projector) == [], size  # the chart, made smaller by them, still reads at 24 px
        assert cut_text(projector) == [], size
        bottom = projector.locator(".v21p-scale").evaluate(RECT)["b"]
        assert bottom <= size["height"], (size, bottom)


# --- 2. a phone: the toast after « Envoyer » leaves the card just sent in sight ------------------


def test_phone_toast_leaves_the_card_just_sent_in_sight(room: Room, server, artifacts: Path) -> None:
    created = seminar_at(server, "Séminaire envoi", "demi-journee-decouverte", open_up_to=3)  # contribution round
    _, phone = room.page(PHONE, mobile=True)
    phone.goto(f"{server.url}/join/{created.join_code}")
    join(phone, Person("Chantal P.", "Habitant·e", "habitant·e", None, PHONE, mobile=True))
    for text in STAKES[:2]:
        phone.get_by_label("Votre enjeu", exact=True).fill(text)
        phone.get_by_role("button", name="Envoyer", exact=True).click()
        sent = toast(phone, "Contribution enregistrée")
        newest = phone.locator(".t-card", has=phone.get_by_text(text, exact=True))
        expect(newest).to_be_visible()
        shot(phone, artifacts / "room-sight" / f"phone-390x844-sent-{STAKES.index(text) + 1}.png")
        card = rect(newest)
        assert 0 <= card["t"] and card["b"] <= PHONE["height"], card  # on screen…
        assert not overlaps(sent, card), (sent, card)  # …and not under the toast
        phone.locator(".q-notification").first.wait_for(state="detached")
