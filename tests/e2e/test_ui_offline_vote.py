"""A dot vote on a phone that loses the connection, in Chromium (390x844): the red banner pushes the
page down (the participant's name line stays in sight); a tap on « + » shows at once on the card's
count, as the number it will have and as « en attente » (not as a confirmed dot), and the budget
bar counts it as the card does (« Il vous reste … ») and says how many taps wait; a second tap on
the same « + » adds nothing. Back online, each waiting tap is sent once: the counts are the
server's (and the server counted one dot per card), nothing counted twice. The message « Connexion revenue : … » goes
when the tablet shows the next activity.

A seminar of its own (created in the server's database) keeps the demo seminar as the other e2e
tests expect it. Screenshots land in test-artifacts/offline-vote/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room import Room, add_dot, budget, dot_count, in_database
from tests.e2e.test_room import room  # noqa: F401  (fixture)
from tests.e2e.test_ui_polish import console_at
from tests.e2e.test_ui_room_fit import SECRET, rect
from tests.e2e.test_ui_vote_toast import voting_phone
from workshop.rehearsal.browser import settle
from workshop.services import activities, votes

pytestmark = pytest.mark.e2e

STAKES = ["Accès aux soins de proximité", "Garder une école dans chaque village",
          "Des bus à la demande entre les villages"]
MORE_STAKES = ["Un tiers-lieu numérique dans chaque bourg", "Des circuits courts pour les cantines",
               "Préserver la ressource en eau"]
CONFIRMED = "rgb(255, 255, 255)"  # the text of a count the server has counted (white on the accent colour)


def test_a_tap_made_offline_shows_as_waiting_and_counts_once(room: Room, server, artifacts: Path) -> None:
    out = artifacts / "offline-vote"
    out.mkdir(parents=True, exist_ok=True)
    created, context, page = voting_phone(room, server, "Séminaire hors connexion", STAKES)  # 3 dots, 2 at most on a card
    expect(budget(page)).to_have_text("Il vous reste 3 gommettes sur 3")
    identity = page.locator(".tablet-root .identity")
    expect(identity).to_have_text("Chantal P. · habitant")
    console = console_at(room, server, created.seminar_id, SECRET)  # logged in now: the next activity at once later
    vote = in_database(server, lambda db: activities.current_activity(db, created.seminar_id))

    # Offline: the banner is there, and the name line is below it, not under it.
    context.set_offline(True)
    banner = page.locator(".offline-banner")
    expect(banner).to_be_visible()
    settle(page)
    assert rect(identity)["t"] >= rect(banner)["b"], (rect(identity), rect(banner))
    centre = page.evaluate("""() => { const r = document.querySelector('.tablet-root .identity').getBoundingClientRect();
      const el = document.elementFromPoint(r.left + 8, (r.top + r.bottom) / 2); return !!el.closest('.identity'); }""")
    assert centre, "the name line is hidden"

    # A tap on « + »: the count shows 1, waiting, not confirmed; the bar says one tap waits.
    add_dot(page, STAKES[0])
    count = dot_count(page, STAKES[0])
    expect(count).to_have_text("1")
    expect(count).to_have_attribute("aria-label", re.compile(r"^1\sgommette\sen attente\s:\sle vote n.est pas encore enregistré"))
    assert count.evaluate("e => getComputedStyle(e).color") != CONFIRMED
    waiting = page.locator(".budget-bar .waiting-line")
    expect(waiting).to_have_text("1 geste en attente : il sera envoyé au retour de la connexion")
    expect(budget(page)).to_have_text("Il vous reste 2 gommettes sur 3")  # the tap waiting counted, as on the card
    # The same « + » again (an impatient participant), then « + » on another card.
    page.wait_for_timeout(450)  # a second tap, not a double tap
    add_dot(page, STAKES[0])
    add_dot(page, STAKES[1])
    expect(dot_count(page, STAKES[1])).to_have_text("1")
    expect(count).to_have_text("1")
    expect(waiting).to_have_text("2 gestes en attente : ils seront envoyés au retour de la connexion")
    page.screenshot(path=str(out / "offline-390x844.png"))

    # Back online: each waiting tap sent once; the counts are confirmed ones.
    context.set_offline(False)
    expect(banner).to_be_hidden()
    expect(budget(page)).to_have_text("Il vous reste 1 gommette sur 3")
    expect(waiting).to_be_hidden()
    for stake in STAKES[:2]:
        expect(dot_count(page, stake)).to_have_text("1")
        expect(dot_count(page, stake)).to_have_attribute("aria-label", "1\u00a0gommette")
        assert dot_count(page, stake).evaluate("e => getComputedStyle(e).color") == CONFIRMED
    message = page.locator(".offline-dropped")
    expect(message).to_have_text(re.compile(r"^Connexion revenue\s:\s2\sgestes"))
    page.screenshot(path=str(out / "back-online-390x844.png"))

    # The facilitator moves on: the message was about the vote, it goes with it.
    next_button = console.get_by_role("button", name=re.compile("^Activité suivante"))
    title = next_button.inner_text().split(":", 1)[1].strip()
    next_button.click()
    expect(page.locator(".tablet-panel").get_by_text(title, exact=True).first).to_be_visible()
    expect(message).to_be_hidden(timeout=2000)

    # What the server counted: one dot on each card, from one voter.
    voters, tallies = in_database(server, lambda db: votes.dot_vote_results(db, created.seminar_id, vote.id))
    assert voters == 1
    assert {t.text: t.dots for t in tallies if t.dots} == {STAKES[0]: 1, STAKES[1]: 1}


def test_a_tap_made_offline_with_the_keyboard_is_held_and_sent_once(room: Room, server) -> None:
    """A participant on a tablet with a keyboard (or a switch control) presses « + » with Enter, then
    another with Space, while the connection is lost: each is held as a tap is, and sent once back
    online. Before, the keys were stopped offline and nothing was held: the taps were lost."""
    created, context, page = voting_phone(room, server, "Séminaire hors connexion au clavier", STAKES)
    expect(budget(page)).to_have_text("Il vous reste 3 gommettes sur 3")
    vote = in_database(server, lambda db: activities.current_activity(db, created.seminar_id))

    context.set_offline(True)
    expect(page.locator(".offline-banner")).to_be_visible()
    plus = [page.get_by_role("button", name=f"Ajouter une gommette à «\u00a0{stake}\u00a0»") for stake in STAKES[:2]]
    plus[0].focus()
    page.keyboard.press("Enter")
    plus[1].focus()
    page.keyboard.press(" ")
    waiting = page.locator(".budget-bar .waiting-line")
    expect(waiting).to_have_text("2 gestes en attente : ils seront envoyés au retour de la connexion")
    for stake in STAKES[:2]:
        expect(dot_count(page, stake)).to_have_text("1")

    context.set_offline(False)
    expect(budget(page)).to_have_text("Il vous reste 1 gommette sur 3")
    expect(waiting).to_be_hidden()
    voters, tallies = in_database(server, lambda db: votes.dot_vote_results(db, created.seminar_id, vote.id))
    assert voters == 1
    assert {t.text: t.dots for t in tallies if t.dots} == {STAKES[0]: 1, STAKES[1]: 1}


def test_a_cards_last_dot_taken_back_offline_is_sent_once_back_online(room: Room, server) -> None:
    """Offline, « − » on a card holding one dot: the card shows 0 (waiting) and its « − » still holds
    the tap, so it is sent once the connection is back and the dot is gone from the server. (It was
    greyed as the count fell to 0, and a greyed button's held tap was dropped on reconnection.)"""
    created, context, page = voting_phone(room, server, "Séminaire dernière gommette", STAKES)
    add_dot(page, STAKES[0])
    expect(budget(page)).to_have_text("Il vous reste 2 gommettes sur 3")
    vote = in_database(server, lambda db: activities.current_activity(db, created.seminar_id))

    context.set_offline(True)
    expect(page.locator(".offline-banner")).to_be_visible()
    page.get_by_role("button", name=f"Retirer une gommette de «\u00a0{STAKES[0]}\u00a0»").click()
    expect(dot_count(page, STAKES[0])).to_have_text("0")
    expect(page.locator(".budget-bar .waiting-line")).to_have_text(
        "1 geste en attente : il sera envoyé au retour de la connexion")

    context.set_offline(False)
    expect(budget(page)).to_have_text("Il vous reste 3 gommettes sur 3")
    expect(page.locator(".offline-dropped")).to_have_text(re.compile(r"^Connexion revenue\s:\s1\sgeste.*envoyé"))
    _, tallies = in_database(server, lambda db: votes.dot_vote_results(db, created.seminar_id, vote.id))
    assert not any(t.dots for t in tallies)


def dots_shown(page) -> list[str]:
    """The budget bar's dots, in order: "free", "held" (dashed: a tap waiting) or "used"."""
    return page.locator(".budget-bar .dot").evaluate_all(
        "els => els.map(e => ['free', 'held', 'used'].find(c => e.classList.contains(c)))")


def test_the_budget_line_counts_the_taps_held_offline(room: Room, server, artifacts: Path) -> None:
    """Offline, a « + » held on a card: the card shows 1 (waiting) and the dots one dashed, and
    « Il vous reste … » says one dot fewer too (it kept the server's number: « 3 sur 3 » beside a
    card at 1 and two dots left), with the line saying the tap waits. A tap taken back, or the taps
    sent once the connection is back, and the line is the server's number again. In English too."""
    out = artifacts / "offline-vote"
    out.mkdir(parents=True, exist_ok=True)
    created, context, page = voting_phone(room, server, "Séminaire reste hors connexion", STAKES)
    expect(budget(page)).to_have_text("Il vous reste 3 gommettes sur 3")
    vote = in_database(server, lambda db: activities.current_activity(db, created.seminar_id))
    waiting = page.locator(".budget-bar .waiting-line")

    context.set_offline(True)
    expect(page.locator(".offline-banner")).to_be_visible()
    add_dot(page, STAKES[0])
    expect(dot_count(page, STAKES[0])).to_have_text("1")
    expect(budget(page)).to_have_text("Il vous reste 2 gommettes sur 3")
    expect(waiting).to_have_text("1 geste en attente : il sera envoyé au retour de la connexion")
    assert dots_shown(page) == ["free", "free", "held"]
    settle(page)
    page.screenshot(path=str(out / "budget-line-held-390x844.png"))
    add_dot(page, STAKES[1])
    expect(budget(page)).to_have_text("Il vous reste 1 gommette sur 3")
    assert dots_shown(page) == ["free", "held", "held"]
    page.get_by_role("button", name=f"Retirer une gommette de «\u00a0{STAKES[1]}\u00a0»").click()  # taken back
    expect(dot_count(page, STAKES[1])).to_have_text("0")
    expect(budget(page)).to_have_text("Il vous reste 2 gommettes sur 3")

    # Back online: the tap is sent, the line is the server's (the same number, now counted).
    context.set_offline(False)
    expect(waiting).to_be_hidden()
    expect(budget(page)).to_have_text("Il vous reste 2 gommettes sur 3")
    assert dots_shown(page) == ["free", "free", "used"]
    _, tallies = in_database(server, lambda db: votes.dot_vote_results(db, created.seminar_id, vote.id))
    assert {t.text: t.dots for t in tallies if t.dots} == {STAKES[0]: 1}

    # Offline again, « − » on that card: one dot more left, dashed; taken back: the server's number.
    context.set_offline(True)
    expect(page.locator(".offline-banner")).to_be_visible()
    page.get_by_role("button", name=f"Retirer une gommette de «\u00a0{STAKES[0]}\u00a0»").click()
    expect(budget(page)).to_have_text("Il vous reste 3 gommettes sur 3")
    assert dots_shown(page) == ["free", "free", "held"]
    add_dot(page, STAKES[0])
    expect(waiting).to_be_hidden()
    expect(budget(page)).to_have_text("Il vous reste 2 gommettes sur 3")
    assert dots_shown(page) == ["free", "free", "used"]
    context.set_offline(False)
    expect(page.locator(".offline-banner")).to_be_hidden()

    # In English: the same line from the English catalogue.
    page.get_by_role("button", name="EN", exact=True).click()
    expect(budget(page)).to_have_text("You have 2 dots left out of 3")
    context.set_offline(True)
    expect(page.locator(".offline-banner")).to_be_visible()
    page.get_by_role("button", name=f"Add a dot to “{STAKES[2]}”").click()
    expect(budget(page)).to_have_text("You have 1 dot left out of 3")
    expect(waiting).to_have_text("1 tap waiting: it will be sent when the connection is back")
    context.set_offline(False)
    expect(waiting).to_be_hidden()
    expect(budget(page)).to_have_text("You have 1 dot left out of 3")


def test_back_online_a_socket_that_stopped_trying_is_started_again(room: Room, server) -> None:
    """Back online, the page starts its connection again at once rather than waiting on socket.io:
    an attempt the outage caught while it was opening (seen in CI: a page just reloaded, then the
    wifi cut) waits for socket.io's 20 s timeout, and a socket socket.io no longer retries (the one
    made here at will) would never come back. The banner goes, the tap held is sent once and
    counted, the budget line is the server's again, and the next tap goes through at once."""
    created, context, page = voting_phone(room, server, "Séminaire socket arrêtée", STAKES)
    vote = in_database(server, lambda db: activities.current_activity(db, created.seminar_id))
    waiting = page.locator(".budget-bar .waiting-line")
    context.set_offline(True)
    expect(page.locator(".offline-banner")).to_be_visible()
    add_dot(page, STAKES[0])
    expect(waiting).to_have_text("1 geste en attente : il sera envoyé au retour de la connexion")
    page.evaluate("() => window.socket.disconnect()")  # socket.io will not retry this one
    assert page.evaluate("() => window.socket.active") is False

    context.set_offline(False)
    expect(page.locator(".offline-banner")).to_be_hidden()
    expect(waiting).to_be_hidden()
    expect(budget(page)).to_have_text("Il vous reste 2 gommettes sur 3")
    assert dots_shown(page) == ["free", "free", "used"]
    _, tallies = in_database(server, lambda db: votes.dot_vote_results(db, created.seminar_id, vote.id))
    assert {t.text: t.dots for t in tallies if t.dots} == {STAKES[0]: 1}
    # The page is live again: the next tap goes through the server at once.
    add_dot(page, STAKES[1])
    expect(budget(page)).to_have_text("Il vous reste 1 gommette sur 3")
    _, tallies = in_database(server, lambda db: votes.dot_vote_results(db, created.seminar_id, vote.id))
    assert {t.text: t.dots for t in tallies if t.dots} == {STAKES[0]: 1, STAKES[1]: 1}


def test_the_banner_leaves_the_lines_being_read_in_sight(room: Room, server, artifacts: Path) -> None:
    """The offline banner takes three to five lines at the top of a phone. On a page scrolled down to
    the instructions, once it shows (and as it grows, a tap held) what was at the top of the screen
    is just below it; scrolled on while it shows, a control reached with the keyboard (or anything
    scrolled into view) stops below it, where it stayed under it; and the page goes back up by its
    height when it goes."""
    out = artifacts / "offline-vote"
    out.mkdir(parents=True, exist_ok=True)
    _, context, page = voting_phone(room, server, "Séminaire bandeau hors connexion", STAKES + MORE_STAKES)
    instructions = page.locator(".tablet-root .wrap-text.text-lg").filter(has_text="Placez").first
    expect(instructions).to_be_visible()
    # the instructions at the top of the screen, as a participant scrolling down to the cards has them
    page.evaluate("y => window.scrollBy(0, y)", rect(instructions)["t"])
    settle(page)
    assert abs(rect(instructions)["t"]) <= 1, rect(instructions)

    banner = page.locator(".offline-banner")
    context.set_offline(True)
    expect(banner).to_be_visible()
    settle(page)
    page.screenshot(path=str(out / "banner-scrolled-390x844.png"))
    below = rect(banner)["b"]
    assert below > 60, rect(banner)  # three lines or more on a phone
    assert rect(instructions)["t"] >= below - 1, (rect(instructions), below)
    top = page.evaluate("""y => { const el = document.elementFromPoint(40, y); return el && el.textContent; }""",
                        below + 10)
    assert "Placez" in top, top
    # a tap held: the banner grows by a line or two (« Hors connexion : ce geste attend… »), the page with it
    add_dot(page, STAKES[0])
    expect(page.locator(".offline-note")).to_be_visible()
    settle(page)
    page.screenshot(path=str(out / "banner-scrolled-tap-390x844.png"))
    assert rect(banner)["b"] > below, (rect(banner), below)
    below = rect(banner)["b"]
    assert rect(instructions)["t"] >= below - 1, (rect(instructions), below)
    # Scrolled on while offline, a card's « − » under the banner: moving to it with the keyboard (or
    # any scrolling into view) brings it below the banner, not under it.
    minus = page.get_by_role("button", name=f"Retirer une gommette de «\u00a0{STAKES[0]}\u00a0»")
    page.evaluate("y => window.scrollBy(0, y)", rect(minus)["t"] - 20)
    settle(page)
    assert rect(minus)["b"] <= below, (rect(minus), below)  # under the banner, though on the screen
    minus.focus()
    settle(page)
    page.screenshot(path=str(out / "banner-focus-390x844.png"))
    assert rect(minus)["t"] >= below, (rect(minus), below)

    # The banner gone, the page goes back up by its height: what was just below it is at the top.
    seen = rect(minus)["t"]
    context.set_offline(False)
    expect(banner).to_be_hidden()
    settle(page)
    assert abs(rect(minus)["t"] - (seen - below)) <= 2, (rect(minus), seen, below)
