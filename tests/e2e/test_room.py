"""A real seminar in headless Chromium: one console, one projector, three tablets, one server.

The server is a ``python -m workshop serve`` process with the demo seminar (see conftest.py);
every page talks to it over HTTP and NiceGUI's socket, exactly as in the room. The test
follows a facilitator through a contribution round, moderation, a dot vote and its
reveal, while tablets reload and lose the network. Screenshots land in test-artifacts/e2e/
for people to look at.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from workshop.db import Database
from workshop.ui.tablet.voting import DOUBLE_TAP_SECONDS

pytestmark = pytest.mark.e2e

# Generous: a loaded 2-core machine runs the server, Chromium and five pages at once.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

LOCAL_HOSTS = {"127.0.0.1", "localhost"}

CONSOLE = {"width": 1440, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
PROJECTOR_SMALL = {"width": 1280, "height": 720}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}

CONTRIBUTION = "Enjeux, menaces et ressources du territoire"  # the demo's contribution round (closed)
DOT_VOTE = "Vote sur les enjeux prioritaires"  # the demo's dot vote on stakes (closed): 5 dots, 2 per card

STAKE_A = "Un tiers-lieu numérique dans chaque bourg"
STAKE_B = "Des tiers-lieux numériques dans les bourgs"  # the same idea, written at another table
THREAT_C = "Pénuries d'eau potable en été"
DEMO_STAKE_1 = "Accès aux soins de proximité dans les communes rurales"
DEMO_STAKE_2 = "Des mobilités sans voiture individuelle pour tous"
DEMO_STAKE_3 = "Une alimentation locale accessible à tous les revenus"
DEMO_STAKE_4 = "Préserver la ressource en eau et les hortillonnages"


@dataclass
class Person:
    name: str
    college: str  # as the collège menu shows it
    college_text: str  # as the identity line shows it
    table: str | None
    viewport: dict
    mobile: bool = False

    @property
    def identity(self) -> str:
        return " · ".join(x for x in (self.name, self.college_text, self.table) if x)


PEOPLE = [
    Person("Amandine R.", "Élu", "élu", "Table Somme", TABLET),
    Person("Bastien L.", "Acteur économique", "acteur économique", "Table Citadelle", TABLET),
    Person("Chantal P.", "Habitant", "habitant", None, PHONE, mobile=True),
]


@dataclass
class Room:
    """Browser contexts opened for one test; every request any of their pages makes is recorded."""

    browser: Browser
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # uncaught JavaScript errors, any page
    contexts: list[BrowserContext] = field(default_factory=list)

    def page(self, viewport: dict, *, mobile: bool = False) -> tuple[BrowserContext, Page]:
        options = {"viewport": viewport, "locale": "fr-FR"}
        if mobile:
            options.update(is_mobile=True, has_touch=True)
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self._watch)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return context, page

    def _watch(self, page: Page) -> None:
        page.on("websocket", lambda ws: self.requests.append(ws.url))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def foreign_requests(self) -> list[str]:
        """Requests that would need the internet (the room has none)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
                continue
            if parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


@pytest.fixture
def room(browser, server) -> Iterator[Room]:
    room = Room(browser, server.url)
    yield room
    for context in room.contexts:
        context.close()


# --- helpers -------------------------------------------------------------------------------


def connected(page: Page) -> None:
    """Wait until NiceGUI's socket is up: before that, clicks and typing reach nobody."""
    page.wait_for_function("() => window.socket && window.socket.connected", timeout=TIMEOUT_MS)


def log_in(page: Page, secret: str) -> None:
    expect(page.get_by_role("heading", name="Connexion de l'animation")).to_be_visible()
    connected(page)
    page.get_by_label("Code animateur").fill(secret)
    page.get_by_role("button", name="Se connecter").click()


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in a Quasar select, as a finger would: open the menu, tap the option."""
    page.get_by_label(label).click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_role("option", name=option, exact=True)).to_be_hidden()


def join(page: Page, person: Person) -> None:
    """Fill in the join form (already opened at /join/{code}) and enter the seminar."""
    expect(page.get_by_role("heading", name="Bienvenue !")).to_be_visible()
    connected(page)
    page.get_by_label("Votre prénom ou nom à afficher").fill(person.name)
    choose(page, "Votre collège", person.college)
    if person.table:
        choose(page, "Votre table (facultatif)", person.table)
    page.get_by_role("button", name="Entrer dans le séminaire").click()
    page.wait_for_url(re.compile(r"/tablet/\d+$"))
    expect(page.get_by_text(person.identity, exact=True)).to_be_visible()
    expect(page).to_have_title(re.compile(r" · Participer$"))  # the tab says where the person is now
    connected(page)


def resident_phone(room: Room, server, join_code: str, name: str) -> Page:
    """``name``, a resident, joined on a phone (390x844) to the seminar of ``join_code``: the page."""
    _, page = room.page(PHONE, mobile=True)
    page.goto(f"{server.url}/join/{join_code}")
    join(page, Person(name, "Habitant", "habitant", None, PHONE, mobile=True))
    return page


def in_database(server, read):
    """What ``read(db)`` returns from the test server's database (opened and closed around it)."""
    db = Database(f"sqlite:///{server.data_dir / 'workshop.sqlite3'}")
    try:
        return read(db)
    finally:
        db.dispose()


def people_count(projector: Page) -> Locator:
    return projector.locator(".v21p-people-count")


def open_from_run_sheet(console: Page, title: str) -> None:
    """Select an activity in the run sheet and (re)open it from the detail panel."""
    console.get_by_role("button", name=title, exact=True).click()
    panel_title = console.get_by_role("heading", name=title, exact=True)
    expect(panel_title).to_be_visible()
    console.get_by_role("button", name="Rouvrir").click()
    expect(console.get_by_role("button", name="Clore")).to_be_visible()


def set_switch(page: Page, name: str, value: bool) -> None:
    """Turn a console switch on or off (whatever state an earlier test left the seminar in)."""
    switch = page.get_by_role("switch", name=name)
    expect(switch).to_be_visible()
    if (switch.get_attribute("aria-checked") == "true") != value:
        switch.click()
    expect(page.get_by_role("switch", name=name)).to_have_attribute("aria-checked", str(value).lower())


def show_on_screen(page: Page, view: str) -> None:
    """Choose what the projector's main area shows, from the console."""
    button = page.get_by_role("radio", name=view, exact=True)
    if button.get_attribute("aria-checked") != "true":
        button.click()
    expect(page.get_by_role("radio", name=view, exact=True)).to_have_attribute("aria-checked", "true")


def budget(tablet: Page) -> Locator:
    return tablet.locator(".budget-bar .remaining")


def dot_count(tablet: Page, card_text: str) -> Locator:
    return tablet.locator(".t-card", has=tablet.get_by_text(card_text, exact=True)).locator(".dot-count")


def add_dot(tablet: Page, card_text: str) -> None:
    tablet.get_by_role("button", name=f"Ajouter une gommette à «\u00a0{card_text}\u00a0»").click()


def remove_dot(tablet: Page, card_text: str) -> None:
    tablet.get_by_role("button", name=f"Retirer une gommette de «\u00a0{card_text}\u00a0»").click()


def mark_page(page: Page) -> None:
    """A flag that only survives as long as the page is not reloaded."""
    page.evaluate("() => { window.__e2e_same_page = true; }")


def same_page(page: Page) -> bool:
    return page.evaluate("() => window.__e2e_same_page === true")


def shot(page: Page, path: Path) -> None:
    """A picture for people to look at; waits for transitions (labels, notifications) to end first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)  # not an assertion: only so the picture is not caught mid-animation
    page.screenshot(path=str(path), timeout=60_000)  # a picture of a big page on a loaded machine


# An element's words as the eye reads them, with the line (top, px) of each: a word clipped at the element's
# left edge (the « · » a wrapped line would start with, workshop/ui/units.py) is not seen.
SEEN_WORDS = """el => {
  const out = [], left = el.getBoundingClientRect().left, walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /\\S+/g; let m;
    while ((m = re.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const r = range.getClientRects()[0];
      if (r.right > left + 0.5) out.push([m[0], Math.round(r.top)]);
    }
  }
  return out;
}"""


def seen_lines(element: Locator) -> list[str]:
    """The element's text line by line, top to bottom, as it is seen."""
    words = element.evaluate(SEEN_WORDS)
    return [" ".join(w for w, top in words if top == line) for line in sorted({top for _, top in words})]


def summary_numbers(projector: Page) -> tuple[int, int]:
    """(voters, dots) from the results summary, e.g. « 21 votants · 96 gommettes »."""
    text = projector.locator(".v21p-view-sub").first.inner_text()
    match = re.search(r"(\d+)\svotants · (\d+)\sgommettes", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


# --- tests ---------------------------------------------------------------------------------


def test_projector_without_login_goes_to_the_login_page_and_back(room: Room, server) -> None:
    _, projector = room.page(PROJECTOR)
    projector.goto(f"{server.url}/screen/{server.seminar_id}")
    projector.wait_for_url(re.compile(rf"/console/{server.seminar_id}/login\?next=/screen/{server.seminar_id}$"))
    expect(projector.get_by_role("heading", name="Connexion de l'animation")).to_be_visible()
    expect(projector.locator(".v21p")).to_have_count(0)  # nothing of the screen shown
    expect(projector.get_by_text(server.join_code)).to_have_count(0)

    # a wrong secret is refused in French, the right one leads back to the screen
    connected(projector)
    projector.get_by_label("Code animateur").fill("pas-le-bon-code")
    projector.get_by_role("button", name="Se connecter").click()
    expect(projector.get_by_role("alert")).to_have_text("Code animateur incorrect.")
    projector.get_by_label("Code animateur").fill(server.secret)
    projector.get_by_role("button", name="Se connecter").click()
    projector.wait_for_url(re.compile(rf"^[^?]*/screen/{server.seminar_id}$"))  # not "login?next=/screen/…"
    expect(projector.locator(".v21p-code").first).to_have_text(server.join_code)

    assert room.foreign_requests() == []
    assert room.errors == []


def test_a_seminar_in_the_room(room: Room, server, artifacts: Path) -> None:
    started = time.monotonic()
    section = ["start", started]

    def lap(name: str) -> None:  # where the time goes, for a slow or loaded machine
        now = time.monotonic()
        if section[0] != "start":
            print(f"  {section[0]}: {now - section[1]:.1f} s")
        section[:] = [name, now]

    out = artifacts / "e2e"
    sid, code = server.seminar_id, server.join_code

    # --- the facilitator's laptop and the projector ---------------------------------------
    lap("console and projector")
    _, console = room.page(CONSOLE)
    console.goto(f"{server.url}/console/{sid}/login")
    log_in(console, server.secret)
    console.wait_for_url(re.compile(rf"/console/{sid}$"))
    expect(console.get_by_text(code, exact=True)).to_be_visible()
    connected(console)
    # the projector follows the activity, counts people, keeps votes hidden (other tests may share the server)
    show_on_screen(console, "Activité")
    set_switch(console, "Afficher le nombre de connectés", True)
    set_switch(console, "Révéler les résultats", False)

    _, projector = room.page(PROJECTOR)
    projector.goto(f"{server.url}/screen/{sid}")
    log_in(projector, server.secret)  # the projector's browser is not the console's: it logs in too
    projector.wait_for_url(re.compile(rf"^[^?]*/screen/{sid}$"))
    connected(projector)
    expect(people_count(projector)).to_have_text(re.compile(r"^\d+$"))
    before = int(people_count(projector).inner_text())

    # --- three tablets join with the code; the projector counts them -----------------------
    lap("tablets join")
    tablets: list[tuple[BrowserContext, Page]] = []
    for person in PEOPLE:  # everyone scans the QR code at once: the pages load side by side
        context, page = room.page(person.viewport, mobile=person.mobile)
        page.goto(f"{server.url}/join/{code}", wait_until="commit")
        tablets.append((context, page))
    for n, (person, (_, page)) in enumerate(zip(PEOPLE, tablets), 1):
        join(page, person)
        expect(people_count(projector)).to_have_text(str(before + n))
    expect(console.get_by_text(re.compile(rf"^Connectés\s:\s{before + 3}\ssur\s\d+\sinscrits$"))).to_be_visible()
    (_, amandine), (_, bastien), (chantal_context, chantal) = tablets

    # --- the facilitator opens the contribution round: every tablet follows, no reload -----
    lap("contribution round opens")
    for _, page in tablets:
        mark_page(page)
    open_from_run_sheet(console, CONTRIBUTION)
    for _, page in tablets:
        expect(page.get_by_role("heading", name=CONTRIBUTION, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Envoyer")).to_be_enabled()
        assert same_page(page), "the tablet reloaded instead of changing its panel"
    expect(projector.get_by_role("heading", name=CONTRIBUTION, exact=True)).to_be_visible()
    expect(projector.get_by_role("heading", name="Enjeux", exact=True)).to_be_visible()  # the wall, by kind

    # --- tablets write cards: they reach the wall and the moderation list at once -----------
    lap("cards written")
    amandine.get_by_label("Votre enjeu").fill(STAKE_A)
    shot(amandine, out / "tablet-768x1024.png")  # the contribution form, filled in
    writes = [(amandine, STAKE_A, None), (bastien, STAKE_B, None), (chantal, THREAT_C, "Menace")]
    latencies = {}
    for page, text, kind in writes:
        if kind:
            page.get_by_role("button", name=kind, exact=True).click()
            page.get_by_label(f"Votre {kind.lower()}").fill(text)
        elif page is not amandine:
            page.get_by_label("Votre enjeu").fill(text)
        sent = time.monotonic()
        page.get_by_role("button", name="Envoyer").click()
        expect(projector.locator(".v21p-card").filter(has_text=text)).to_be_visible()
        latencies[text] = time.monotonic() - sent
        expect(console.get_by_role("checkbox", name=f"Sélectionner «\u00a0{text}\u00a0» pour une fusion")).to_be_visible()
        expect(page.get_by_text("Contribution enregistrée").first).to_be_visible()
        expect(page.get_by_text(text, exact=True)).to_be_visible()  # in « Mes contributions »
    print("card on the projector after:", {k: round(v, 2) for k, v in latencies.items()})
    shot(projector, out / "projector-1920x1080.png")  # the wall with the new cards

    # --- moderation: merge the two duplicates, hide a card; the projector follows -----------
    lap("moderation")
    for text in (STAKE_A, STAKE_B):
        box = console.get_by_role("checkbox", name=f"Sélectionner «\u00a0{text}\u00a0» pour une fusion")
        box.click()
        expect(box).to_be_checked()
    expect(console.get_by_text("2 cartes sélectionnées")).to_be_visible()
    console.get_by_role("button", name="Fusionner", exact=True).click()
    expect(console.get_by_text("1 carte fusionnée", exact=False)).to_be_visible()
    expect(projector.locator(".v21p-card").filter(has_text=STAKE_B)).to_have_count(0)
    expect(projector.locator(".v21p-card").filter(has_text=STAKE_A)).to_have_count(1)
    expect(console.get_by_role("checkbox", name=f"Sélectionner «\u00a0{STAKE_B}\u00a0» pour une fusion")).to_have_count(0)

    console.get_by_role("button", name=f"Masquer la carte «\u00a0{THREAT_C}\u00a0»").click()
    expect(projector.locator(".v21p-card").filter(has_text=THREAT_C)).to_have_count(0)
    expect(console.get_by_role("button", name=f"Réafficher la carte «\u00a0{THREAT_C}\u00a0»")).to_be_visible()
    # The console's countdown reads like the projector's (1:14:57, not 74:57)
    projector_clock = projector.locator(".v21p-clock-time").first.inner_text()
    console_clock = console.locator("[data-remaining]").first.inner_text()
    assert re.fullmatch(r"\d+:\d\d(:\d\d)?", projector_clock), projector_clock
    assert projector_clock.count(":") == console_clock.count(":"), (projector_clock, console_clock)
    shot(console, out / "console-1440x900.png")

    # --- the dot vote on stakes: results hidden on the projector while people vote ----------
    lap("dot vote")
    open_from_run_sheet(console, DOT_VOTE)
    for _, page in tablets:
        expect(page.get_by_role("heading", name=DOT_VOTE, exact=True)).to_be_visible()
        expect(budget(page)).to_have_text("Il vous reste 5 gommettes sur 5")
        assert same_page(page)
    expect(amandine.get_by_text(STAKE_B, exact=True)).to_have_count(0)  # merged away
    expect(projector.get_by_text("Vote en cours")).to_be_visible()
    voters_text = projector.locator(".v21p-message-mid")
    expect(voters_text).to_have_text(re.compile(r"^\d+\spersonnes ont voté$"))
    voters_before = int(re.match(r"\d+", voters_text.inner_text()).group())

    # Amandine spends her five dots; the budget counts down, every refusal is in French
    steps = [(STAKE_A, "Il vous reste 4 gommettes sur 5"), (STAKE_A, "Il vous reste 3 gommettes sur 5"),
             (DEMO_STAKE_1, "Il vous reste 2 gommettes sur 5"), (DEMO_STAKE_1, "Il vous reste 1 gommette sur 5"),
             (DEMO_STAKE_2, "Toutes vos gommettes sont placées (5 sur 5)")]
    previous = None
    for card_text, remaining in steps:
        if card_text == previous:  # a second, deliberate tap: not a double tap
            amandine.wait_for_timeout(DOUBLE_TAP_SECONDS * 1000 + 100)
        add_dot(amandine, card_text)
        expect(budget(amandine)).to_have_text(remaining)
        previous = card_text
    expect(dot_count(amandine, STAKE_A)).to_have_text("2")
    add_dot(amandine, STAKE_A)  # a third dot on one card
    expect(amandine.get_by_text("Au plus 2 gommettes par carte.")).to_be_visible()
    add_dot(amandine, DEMO_STAKE_3)  # a sixth dot
    expect(amandine.get_by_text("Vous avez placé toutes vos gommettes (5 sur 5) : retirez-en une d'une autre carte "
                                "pour la mettre ici.")).to_be_visible()
    expect(dot_count(amandine, DEMO_STAKE_3)).to_have_text("0")
    expect(dot_count(amandine, STAKE_A)).to_have_text("2")
    expect(budget(amandine)).to_have_text("Toutes vos gommettes sont placées (5 sur 5)")
    # Every "+" now looks spent (grey), yet still answers a tap with the reason (above).
    spent = amandine.get_by_role("button", name=f"Ajouter une gommette à «\u00a0{DEMO_STAKE_3}\u00a0»")
    expect(spent).to_have_class(re.compile(r"\bat-limit\b"))
    expect(spent).to_have_css("background-color", "rgb(207, 216, 220)")  # Quasar blue-grey-2
    shot(amandine, out / "tablet-vote-768x1024.png")

    add_dot(bastien, STAKE_A)
    expect(budget(bastien)).to_have_text("Il vous reste 4 gommettes sur 5")
    add_dot(chantal, DEMO_STAKE_4)
    expect(budget(chantal)).to_have_text("Il vous reste 4 gommettes sur 5")
    add_dot(chantal, DEMO_STAKE_1)
    expect(budget(chantal)).to_have_text("Il vous reste 3 gommettes sur 5")
    expect(dot_count(chantal, DEMO_STAKE_1)).to_have_text("1")
    shot(chantal, out / "tablet-390x844.png")

    expect(voters_text).to_have_text(f"{voters_before + 3} personnes ont voté")
    expect(projector.get_by_text("Vote en cours")).to_be_visible()
    expect(projector.locator(".js-plotly-plot")).to_have_count(0)  # no result before the reveal

    # --- the facilitator reveals the results from the console -------------------------------
    lap("reveal")
    set_switch(console, "Révéler les résultats", True)
    expect(projector.get_by_role("heading", name="Résultats", exact=True)).to_be_visible()
    expect(projector.locator(".js-plotly-plot")).to_be_visible()
    expect(projector.get_by_text("Vote en cours")).to_have_count(0)
    expect(projector.locator(".v21p-view-sub").first).to_have_text(re.compile(r"^\d+\svotants · \d+\sgommettes"))
    voters, dots = summary_numbers(projector)
    assert voters == voters_before + 3
    expect(projector.get_by_role("cell", name=STAKE_A, exact=True)).to_be_attached()  # the text alternative
    shot(projector, out / "projector-results-1920x1080.png")
    projector.set_viewport_size(PROJECTOR_SMALL)
    expect(projector.locator(".js-plotly-plot")).to_be_visible()
    shot(projector, out / "projector-1280x720.png")

    # --- a tablet reloads: same person, same dots -------------------------------------------
    lap("reload")
    amandine.reload()
    expect(amandine.get_by_text(PEOPLE[0].identity, exact=True)).to_be_visible()
    connected(amandine)
    expect(amandine.get_by_role("heading", name=DOT_VOTE, exact=True)).to_be_visible()
    expect(budget(amandine)).to_have_text("Toutes vos gommettes sont placées (5 sur 5)")
    expect(dot_count(amandine, STAKE_A)).to_have_text("2")
    expect(dot_count(amandine, DEMO_STAKE_1)).to_have_text("2")
    expect(dot_count(amandine, DEMO_STAKE_2)).to_have_text("1")

    # --- a tablet loses the network, then finds it again --------------------------------------
    lap("offline")
    banner = chantal.locator(".offline-banner")
    expect(banner).to_be_hidden()
    chantal_context.set_offline(True)
    expect(banner).to_be_visible()
    expect(banner).to_have_text(re.compile("^Connexion perdue"))
    expect(people_count(projector)).to_have_text(str(before + 2))
    chantal_context.set_offline(False)
    expect(banner).to_be_hidden()
    expect(people_count(projector)).to_have_text(str(before + 3))
    connected(chantal)
    assert same_page(chantal)
    remove_dot(chantal, DEMO_STAKE_1)  # it still works, and the revealed results follow
    expect(budget(chantal)).to_have_text("Il vous reste 4 gommettes sur 5")
    expect(dot_count(chantal, DEMO_STAKE_1)).to_have_text("0")
    expect(projector.locator(".v21p-view-sub").first).to_have_text(re.compile(rf"^{voters}\svotants · {dots - 1}\sgommettes"))

    # --- the room never needed the internet ---------------------------------------------------
    lap("requests")
    assert room.requests, "no request recorded"
    assert room.foreign_requests() == []
    assert room.errors == []
    print(f"room scenario: {time.monotonic() - started:.1f} s, {len(room.requests)} requests, all local")
