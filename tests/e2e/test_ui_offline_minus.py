"""« − » takes back a « + » held offline, in Chromium, on a phone (390x844) and a tablet (768x1024).

While the connection is down a tap on « + » is held (the card's count shows the number it will have,
dashed, « 1 geste en attente »). « − » follows the count the participant sees: on a card at 0 with a
« + » held it is enabled (it used to stay disabled: the pending tap could not be taken back), and a
tap on it takes the held « + » back: the count is 0 again, confirmed, the « geste en attente » lines
go, « − » is disabled again. The same the other way (« + » after a « − » held on a card with a dot).
Back online only the taps still held are sent, once each: nothing for the taps taken back (read on
the socket's frames), and the server counts one dot where one was held. A forged « − » on a card at 0
(a message no button sends any more) is refused by the server: nothing goes below 0.

Seminars of their own (created in the server's database) keep the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/offline-minus/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_room import PHONE, TABLET, Room, add_dot, budget, dot_count, remove_dot
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_vote_toast import vote_row, voting_phone
from workshop.db import Database
from workshop.rehearsal.browser import settle
from workshop.services import activities, votes

pytestmark = pytest.mark.e2e

STAKES = ["Accès aux soins de proximité", "Garder une école dans chaque village",
          "Des bus à la demande entre les villages"]
A, B, C = STAKES
WAITING_ONE = "1 geste en attente : il sera envoyé au retour de la connexion"


# The dot-vote taps the page sends to the server from now on (every "event" message on NiceGUI's socket,
# whichever connection carries it), in `window.__taps`.
RECORD_TAPS = """() => {
  window.__taps = [];
  const emit = window.socket.emit;
  window.socket.emit = function (name, message) {
    if (name === 'event' && message && Array.isArray(message.args)) {
      message.args.forEach(a => {  // each argument as NiceGUI sends it: JSON text
        try { a = typeof a === 'string' ? JSON.parse(a) : a; } catch (e) { return; }
        if (a && typeof a === 'object' && 'delta' in a) window.__taps.push(a);
      });
    }
    return emit.apply(this, arguments);
  };
}"""


def taps_sent(page: Page) -> list[dict]:
    return page.evaluate("() => window.__taps")


def minus(page: Page, card: str):
    return vote_row(page, card).locator(".vote-minus")


def confirmed(page: Page, card: str, n: int) -> None:
    count = dot_count(page, card)
    expect(count).to_have_text(str(n))
    expect(count).not_to_have_class(re.compile(r"\bis-waiting\b"))
    expect(count).to_have_attribute("aria-label", re.compile(rf"^{n}\sgommettes?$"))


def waiting(page: Page, card: str, n: int) -> None:
    count = dot_count(page, card)
    expect(count).to_have_text(str(n))
    expect(count).to_have_class(re.compile(r"\bis-waiting\b"))
    expect(count).to_have_attribute("aria-label", re.compile(rf"^{n}\sgommettes?\sen attente"))


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=lambda s: f"{s['width']}x{s['height']}")
def test_minus_takes_back_a_plus_held_offline(room: Room, server, artifacts: Path, size: dict) -> None:
    out = artifacts / "offline-minus"
    out.mkdir(parents=True, exist_ok=True)
    name = f"{size['width']}x{size['height']}"
    created, context, page = voting_phone(room, server, f"Séminaire moins hors connexion {name}", STAKES, size)
    add_dot(page, B)  # a dot committed on B, online
    expect(budget(page)).to_have_text("Il vous reste 2 gommettes sur 3")
    confirmed(page, B, 1)
    page.locator(".q-notification").first.wait_for(state="detached")  # its « Vote enregistré » gone
    ids = {card: int(vote_row(page, card).get_attribute("data-card")) for card in STAKES}
    page.evaluate(RECORD_TAPS)

    context.set_offline(True)
    expect(page.locator(".offline-banner")).to_be_visible()
    line = page.locator(".budget-bar .waiting-line")
    note = page.locator(".offline-note")
    expect(minus(page, A)).to_be_disabled()  # nothing on A: nothing to take back

    # « + » on A (at 0), held: « − » can take it back.
    add_dot(page, A)
    waiting(page, A, 1)
    expect(line).to_have_text(WAITING_ONE)
    expect(note).to_be_visible()
    settle(page)
    page.screenshot(path=str(out / f"held-plus-{name}.png"))
    expect(minus(page, A)).to_be_enabled()
    remove_dot(page, A)
    confirmed(page, A, 0)
    expect(line).to_be_hidden()
    expect(note).to_be_hidden()
    expect(minus(page, A)).to_be_disabled()
    settle(page)
    page.screenshot(path=str(out / f"taken-back-{name}.png"))

    # « − » on B (1 committed), held; « + » takes it back.
    remove_dot(page, B)
    waiting(page, B, 0)
    expect(line).to_have_text(WAITING_ONE)
    add_dot(page, B)
    confirmed(page, B, 1)
    expect(line).to_be_hidden()
    # « + » on C, held: the one tap left to send.
    add_dot(page, C)
    waiting(page, C, 1)
    expect(line).to_have_text(WAITING_ONE)
    expect(budget(page)).to_have_text("Il vous reste 1 gommette sur 3")  # the tap waiting on C counted

    # Back online: C's tap alone is sent, once.
    context.set_offline(False)
    expect(page.locator(".offline-banner")).to_be_hidden()
    expect(budget(page)).to_have_text("Il vous reste 1 gommette sur 3")
    expect(page.locator(".offline-dropped")).to_have_text(
        re.compile(r"^Connexion revenue\s:\s1\sgeste fait pendant la coupure a été envoyé\.$"))
    for card, n in ((A, 0), (B, 1), (C, 1)):
        confirmed(page, card, n)
    expect(line).to_be_hidden()
    settle(page)
    page.screenshot(path=str(out / f"back-online-{name}.png"))
    assert taps_sent(page) == [{"card": ids[C], "delta": 1}], taps_sent(page)

    # A forged « − » on A (at 0): the server refuses it; then a real « + » on A counts one dot.
    page.evaluate("([card]) => getElement(document.querySelector('.vote-panel')).$emit('tap', {card, delta: -1})",
                  [ids[A]])
    page.wait_for_timeout(450)  # not a double tap of the « + » below
    add_dot(page, A)
    expect(budget(page)).to_have_text("Toutes vos gommettes sont placées (3 sur 3)")
    confirmed(page, A, 1)
    assert taps_sent(page)[1:] == [{"card": ids[A], "delta": -1}, {"card": ids[A], "delta": 1}], taps_sent(page)
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        vote = activities.current_activity(db, created.seminar_id)
        voters, tallies = votes.dot_vote_results(db, created.seminar_id, vote.id)
    finally:
        db.dispose()
    assert voters == 1
    assert {t.text: t.dots for t in tallies} == {A: 1, B: 1, C: 1}
