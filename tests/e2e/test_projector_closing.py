"""The half-day's end and its map on the projector, as Chromium draws them at 1280x720: the
closing names only what the seminar did (« écrit et voté », no « relié » without a link), counts
« participants » and writes the results address without « http:// », as the join panels do; the
map of a seminar without a links activity says there is no link rather than promising some, and
heads its left column « Ressources » while it holds no action. « Et ensuite ? » and the results'
address below it share their left and right edges. Screenshots land in test-artifacts/projector-closing/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import PROJECTOR_SMALL, Room, connected, shot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import projector_at
from tests.e2e.test_ui_room_fit import seminar_at
from workshop.db import Database
from workshop.models import CardKind, College, Interaction
from workshop.rehearsal.browser import settle, small_text
from workshop.services import activities, cards, participants, screen, votes

pytestmark = pytest.mark.e2e


def played_half_day(server) -> tuple[int, str]:
    """A half-day played to its end: one person wrote a stake and put a dot on it; no link."""
    created = seminar_at(server, "Séminaire fin", "demi-journee-decouverte", open_up_to=0)
    sid = created.seminar_id
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        token = participants.join(db, created.join_code, display_name="Amandine R.",
                                  college=College.ELECTED).device_token
        listed = activities.list_activities(db, sid)
        writing = next(a for a in listed if a.interaction is Interaction.CONTRIBUTE and "stake" in a.card_kinds)
        voting = next(a for a in listed if a.interaction is Interaction.DOT_VOTE)
        activities.open_activity(db, sid, writing.id)
        card = cards.contribute(db, token, writing.id, kind=CardKind.STAKE, text="Préserver la ressource en eau")
        cards.add_card(db, sid, kind=CardKind.THREAT, text="Canicules plus longues et plus fréquentes")
        cards.add_card(db, sid, kind=CardKind.RESOURCE, text="Le savoir-faire industriel local")
        activities.open_activity(db, sid, voting.id)
        votes.set_dots(db, token, voting.id, card.id, 1)
        for activity in listed:
            activities.open_activity(db, sid, activity.id)
            activities.close_activity(db, sid, activity.id)
    finally:
        db.dispose()
    return sid, created.join_code


def test_the_half_days_end_and_map_say_only_what_happened(room: Room, server, artifacts: Path) -> None:
    sid, code = played_half_day(server)
    projector = projector_at(room, server, sid, PROJECTOR_SMALL)
    connected(projector)
    expect(projector.get_by_text("Merci à toutes et à tous")).to_be_visible()
    settle(projector)
    shot(projector, artifacts / "projector-closing" / "end-1280x720.png")
    expect(projector.get_by_text("Tout ce qui a été écrit et voté pendant le séminaire alimente son rapport de "
                                 "capitalisation, avec les résultats des votes.")).to_be_visible()
    expect(projector.locator(".v21p")).not_to_contain_text("relié")
    expect(projector.locator(".v21p-message-mid")).to_have_text("1\u00a0participant · 1\u00a0contribution")
    address = projector.locator(".v21p-results .v21p-address")
    expect(address).to_have_text(re.compile(rf"^(?!https?://)\S+/resultats/{code}$"))
    assert small_text(projector) == []
    # the two panels, one above the other, line up (each used to be as wide as its own text)
    edges = [box_edges(projector, ".v21p-closing > .v21p-next"), box_edges(projector, ".v21p-closing > .v21p-results")]
    assert abs(edges[0][0] - edges[1][0]) <= 1 and abs(edges[0][1] - edges[1][1]) <= 1, edges

    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        screen.set_screen(db, sid, view="graph")
    finally:
        db.dispose()
    projector = projector_at(room, server, sid, PROJECTOR_SMALL)  # the change is made outside the server
    expect(projector.get_by_text("Carte des enjeux")).to_be_visible()
    expect(projector.get_by_text("Aucun lien entre les cartes.")).to_be_visible()
    expect(projector.locator(".v21p .js-plotly-plot .point").first).to_be_visible()  # the cards drawn
    settle(projector)
    shot(projector, artifacts / "projector-closing" / "map-1280x720.png")
    expect(projector.locator(".v21p")).not_to_contain_text("se remplit")
    assert small_text(projector) == []
    # the half-day writes resources but no action: its left column is headed by what it holds
    headers = " ".join(projector.locator(".v21p .js-plotly-plot .annotation-text").all_text_contents())
    assert "Ressources" in headers and "actions" not in headers, headers


def box_edges(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box["x"], box["x"] + box["width"]
