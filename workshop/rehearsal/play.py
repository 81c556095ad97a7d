"""Playing a run sheet end to end: what the facilitator clicks, what participants tap, and
what every screen must say at each step (checked against the database).

``rehearse()`` runs one or more run sheets and raises ``RehearsalFailed`` listing every
problem found (a screen saying something wrong, an accessibility violation, projector text
too small or cut); the screenshots are in ``out`` either way.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workshop.models import Activity
from workshop.rehearsal import browser as b
from workshop.rehearsal.server import (
    SECRET,
    Prepared,
    Server,
    database,
    prepare,
)
from workshop.rehearsal.taking_part import PEOPLE, TakingPart
from workshop.services import activities, cards

RUN_SHEETS = ("demi-journee-decouverte", "un-jour-et-demi", "deux-jours")


class RehearsalFailed(AssertionError):
    pass


@dataclass
class Problems:
    found: list[str] = field(default_factory=list)

    def add(self, where: str, items: list[str]) -> None:
        self.found.extend(f"{where}: {item}" for item in items)


class Rehearsal(TakingPart):
    """One run sheet played on one server, by one console, one projector and three tablets."""

    def __init__(self, browser, server: Server, prepared: Prepared, out: Path, axe: str,
                 log: Callable[[str], None] = print) -> None:
        self.browser = browser
        self.server = server
        self.url = server.url
        self.seminar = prepared
        self.sid = prepared.seminar_id
        self.out = out / prepared.run_sheet
        self.axe = axe
        self.log = log
        self.db = database(server.data_dir)
        self.problems = Problems()
        self.step_index = 0
        self.screens: list[b.Screen] = []
        self.offline_delays: list[float] = []

    # --- setting up the room ---------------------------------------------------------------------

    def _screen(self, name: str, sizes: list[tuple[int, int]], *, mobile: bool = False) -> b.Screen:
        width, height = sizes[0]
        options = {"viewport": {"width": width, "height": height}, "locale": "fr-FR"}
        if mobile:
            options.update(is_mobile=True, has_touch=True)
        context = self.browser.new_context(**options)
        page = context.new_page()
        page.set_default_timeout(b.TIMEOUT_MS)
        page.on("pageerror", lambda error: self.problems.add(name, [f"JavaScript error: {error}"]))
        screen = b.Screen(name, context, page, sizes)
        self.screens.append(screen)
        return screen

    def _connected(self, page) -> None:
        page.wait_for_function("() => window.socket && window.socket.connected && window.did_handshake")

    def _log_in(self, page, path: str) -> None:
        from playwright.sync_api import expect

        page.goto(f"{self.url}{path}")
        expect(page.get_by_role("heading", name="Connexion de l'animation")).to_be_visible()
        self._connected(page)
        page.get_by_label("Code animateur").fill(SECRET)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(re.compile(rf"^[^?]*{re.escape(path)}$"))
        self._connected(page)

    def _choose(self, page, label: str, option: str) -> None:
        from playwright.sync_api import expect

        page.get_by_label(label, exact=True).click()
        page.get_by_role("option", name=option, exact=True).click()
        expect(page.get_by_role("option", name=option, exact=True)).to_be_hidden()

    def open_room(self) -> None:
        from playwright.sync_api import expect

        self.console = self._screen("console", b.CONSOLE_SIZES)
        self._log_in(self.console.page, f"/console/{self.sid}")
        self.projector = self._screen("projector", b.PROJECTOR_SIZES)
        self._log_in(self.projector.page, f"/screen/{self.sid}")
        self.tablets: list[b.Screen] = []
        for n, person in enumerate(PEOPLE, 1):
            screen = self._screen(f"tablet{n}-{person.size[0]}x{person.size[1]}", [person.size], mobile=person.mobile)
            page = screen.page
            if n == 1:  # the first one types the code on the home page, as read on the projector
                page.goto(f"{self.url}/")
                self._connected(page)
                join_button = page.get_by_role("button", name="Rejoindre", exact=True)
                # every button reads as typed ("Rejoindre", not "REJOINDRE" like Quasar's default)
                transform = join_button.evaluate("el => getComputedStyle(el).textTransform")
                if transform != "none":
                    self.problems.add("home", [f"the join button is written in {transform}"])
                self.step("home", screens=[screen])
                page.get_by_label("Code du séminaire", exact=True).fill(self.seminar.join_code.lower())
                join_button.click()
            else:
                page.goto(f"{self.url}/join/{self.seminar.join_code}")
            expect(page.get_by_role("heading", name="Bienvenue !")).to_be_visible()
            self._connected(page)
            page.get_by_label("Votre prénom ou nom à afficher").fill(person.name)
            self._choose(page, "Votre collège", person.college)
            if person.table:
                self._choose(page, "Votre table (facultatif)", person.table)
            if n == 1:  # "Élu": the accent of the É must not be cut in the field
                self.step("join-form", screens=[screen])
            page.get_by_role("button", name="Entrer dans le séminaire").click()
            page.wait_for_url(re.compile(r"/tablet/\d+$"))
            expect(page.get_by_text(person.name, exact=False).first).to_be_visible()
            self._connected(page)
            self.tablets.append(screen)
        expect(self.projector.page.locator(".v21p-people-count")).to_have_text("3")

    def close_room(self) -> None:
        for screen in self.screens:
            screen.context.close()
        self.db.dispose()

    # --- steps: pictures and audits -----------------------------------------------------------------

    def step(self, name: str, *, screens: list[b.Screen] | None = None, audit: str | None = None) -> None:
        """Pictures of every screen (at each of its sizes) and, once per kind of view, an axe audit."""
        self.step_index += 1
        folder = self.out / f"{self.step_index:02d}-{b.slug(name)}"
        started = time.monotonic()
        waited = sum(screen.waited for screen in self.screens)
        for screen in screens or self.screens:
            check = None
            if screen is getattr(self, "projector", None):
                where = f"{self.seminar.run_sheet}/{folder.name}/projector"

                def check(size: tuple[int, int], page=screen.page, where=where) -> None:
                    if size == b.PROJECTOR_SIZES[1]:  # the smallest projector: readable from the back?
                        self.problems.add(where + f" 1280x720 text under {b.PROJECTOR_MIN_PX}px", b.small_text(page))
                        self.problems.add(where + " 1280x720 cut text", b.cut_text(page))
            screen.shoot(folder, check)
            key = audit or name
            if key not in screen.audited:
                screen.audited.add(key)
                self.problems.add(f"{self.seminar.run_sheet}/{folder.name}/{screen.name} axe",
                                  b.audit(screen.page, self.axe))
        waited = sum(screen.waited for screen in self.screens) - waited
        still = f" ({waited:.1f} s of them waiting for the pages to stand still)" if waited >= 0.05 else ""
        self.log(f"  {folder.name}: {time.monotonic() - started:.1f} s of pictures and audits{still}")

    # --- the database, as the screens should tell it ------------------------------------------------

    def _activities(self) -> list[Activity]:
        return activities.list_activities(self.db, self.sid)

    def _cards_of(self, activity: Activity) -> list:
        return [c for c in cards.list_cards(self.db, self.sid, include_hidden=True) if c.activity_id == activity.id]

    # --- the run sheet ------------------------------------------------------------------------------

    def play(self) -> None:
        from playwright.sync_api import expect

        started = time.monotonic()
        self.open_room()
        sheet = self._activities()
        # Before the first activity: one start button, the projector and the tablets say "soon".
        console = self.console.page
        expect(console.get_by_role("button", name="Démarrer", exact=True)).to_be_visible()
        expect(console.get_by_role("button", name=re.compile("^Activité suivante"))).to_have_count(0)
        expect(self.projector.page.locator(".v21p-message-mid")).to_have_text("Le séminaire va bientôt commencer.")
        for tablet in self.tablets:
            expect(tablet.page.get_by_role("heading", name="Le séminaire va bientôt commencer")).to_be_visible()
            expect(tablet.page.get_by_text("Le mur est encore vide")).to_be_hidden()
        self.step("before-the-start", audit="waiting")

        for index, activity in enumerate(sheet):
            if index == 0 or index % 2 == 0:
                console.get_by_role("button", name="Démarrer", exact=True).click()
            # odd ones were opened by "Activité suivante" at the end of the previous one
            self.opened(activity)
            self.take_part(activity)
            last = index == len(sheet) - 1
            if last:
                console.get_by_role("button", name="Clore", exact=True).click()
                self.finished()
            elif index % 2 == 0:
                console.get_by_role("button", name=f"Activité suivante : {sheet[index + 1].title}").click()
            else:
                console.get_by_role("button", name="Clore", exact=True).click()
                self.between(sheet[index + 1])
        self.log(f"{self.seminar.run_sheet}: {len(sheet)} activities in {time.monotonic() - started:.0f} s, "
                 f"{self.step_index} steps; offline banner after {[round(d, 1) for d in self.offline_delays]} s")

    def opened(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        title = activity.title
        expect(self.console.page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        expect(self.projector.page.locator(".v21p-title")).to_have_text(title)
        for tablet in self.tablets:
            expect(tablet.page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        current = activities.current_activity(self.db, self.sid)
        assert current is not None and current.id == activity.id, (current, activity.title)

    def between(self, upcoming: Activity) -> None:
        """Nothing open, more to come: the screens say so and name what comes next."""
        from playwright.sync_api import expect

        expect(self.projector.page.locator(".v21p-message-big")).to_have_text("En attente de la prochaine activité")
        expect(self.projector.page.locator(".v21p-message-mid")).to_have_text(f"À suivre : {upcoming.title}")
        for tablet in self.tablets:
            expect(tablet.page.get_by_role("heading", name="En attente de la prochaine activité…")).to_be_visible()
            expect(tablet.page.get_by_text(f"À suivre : {upcoming.title}")).to_be_visible()
        if not getattr(self, "_between_shown", False):
            self._between_shown = True
            self.step("between-activities", audit="between")

    def finished(self) -> None:
        """After the last activity: thanks, what happens next, where the report will be."""
        from playwright.sync_api import expect

        projector = self.projector.page
        expect(projector.locator(".v21p-message-big")).to_have_text("Merci à toutes et à tous !")
        expect(projector.get_by_text("Et ensuite ?")).to_be_visible()
        expect(projector.get_by_text("Le séminaire va bientôt commencer")).to_have_count(0)
        for tablet in self.tablets:
            expect(tablet.page.get_by_role("heading", name="Merci pour votre participation !")).to_be_visible()
            expect(tablet.page.get_by_role("heading", name="Et ensuite ?")).to_be_visible()
            expect(tablet.page.get_by_text("En attente", exact=False)).to_have_count(0)
        assert activities.progress(self.db, self.sid).phase == "finished"
        # and the facilitator sees it closed: no clock counting down, no « Clore » (a picture once
        # showed « en cours · 9:58 » here, taken before the console had redrawn)
        console = self.console.page
        expect(console.get_by_role("button", name="Rouvrir", exact=True)).to_be_visible()
        expect(console.get_by_role("button", name="Clore", exact=True)).to_have_count(0)
        expect(console.get_by_text("terminée", exact=True).first).to_be_visible()
        self.step("the-end", audit="end")
        self.console_tabs()
        self.report_page()

    def console_tabs(self) -> None:
        """Every tab of the console, after a whole seminar: pictures and an audit of each."""
        from playwright.sync_api import expect

        console = self.console.page
        for name in ("Historique", "Tables", "Liens proposés", "Graphe", "Enseignements", "Modération"):
            tab = console.get_by_role("tab", name=re.compile(f"^{name}"))
            tab.click()
            expect(tab).to_have_attribute("aria-selected", "true")
            if name == "Graphe":  # computed when first shown: what the facilitator reads once it is done
                expect(console.get_by_role("status").filter(has_text="Calcul en cours")).to_have_count(0)
                expect(console.get_by_text(re.compile(r"^Cartes\s?:\s\d+ · liens acceptés\s?:\s\d+"))).to_be_visible()
                expect(console.locator(".graph-plot .main-svg").first).to_be_visible()  # the map drawn
            self.step(f"console-tab-{name}", screens=[self.console], audit=f"tab-{name}")

    def report_page(self) -> None:
        """Staff open the report page from the console's link; from a browser that is not logged
        in, logging in leads back to the report (not to the console)."""
        from playwright.sync_api import expect

        link = self.console.page.get_by_role("link", name="Rapport de capitalisation")
        expect(link).to_have_attribute("href", f"/console/{self.sid}/report")
        staff = self._screen("report", [b.CONSOLE_SIZES[0]])
        page = staff.page
        page.goto(f"{self.url}/console/{self.sid}/report")
        page.wait_for_url(re.compile(rf"/console/{self.sid}/login\?next=/console/{self.sid}/report$"))
        expect(page.get_by_role("heading", name="Connexion de l'animation")).to_be_visible()
        self._connected(page)
        page.get_by_label("Code animateur").fill(SECRET)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(re.compile(rf"/console/{self.sid}/report$"))
        expect(page.get_by_role("heading", name="Rapport de capitalisation").first).to_be_visible()
        self.step("report-page", screens=[staff], audit="report")


def rehearse(run_sheets: list[str] | tuple[str, ...] | None = None, out: Path | None = None,
             log: Callable[[str], None] = print) -> list[str]:
    """Play each run sheet; returns the folders of screenshots. Raises RehearsalFailed when a
    screen said something wrong or the audits found problems (all of them listed)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=b.TIMEOUT_MS)
    run_sheets = list(run_sheets or RUN_SHEETS)
    out = Path(out or b.ROOT / "test-artifacts" / "rehearsal")
    axe = b.axe_source()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="visions21-rehearsal-") as tmp:
        data_dir = Path(tmp)
        prepared = prepare(data_dir, list(run_sheets))
        server = Server(data_dir)
        server.start()
        try:
            with sync_playwright() as playwright:
                chromium = b.launch(playwright)
                try:
                    for seminar in prepared:
                        run = Rehearsal(chromium, server, seminar, out, axe, log)
                        try:
                            run.play()
                        except AssertionError as exc:  # what a screen said, or did not say
                            failures.append(f"{seminar.run_sheet}, step {run.step_index}: {exc}")
                        finally:
                            failures.extend(run.problems.found)
                            run.close_room()
                finally:
                    chromium.close()
        finally:
            server.stop()
    if failures:
        raise RehearsalFailed(f"{len(failures)} {'problem' if len(failures) == 1 else 'problems'}:\n"
                              + "\n".join(failures))
    return [str(out / name) for name in run_sheets]
