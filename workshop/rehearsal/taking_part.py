"""What participants and the facilitator do in each kind of activity, and what the screens
must say then (a part of ``play.Rehearsal``, kept apart to keep each module small)."""

from __future__ import annotations

import os
import re
import signal
import time
from collections import Counter
from dataclasses import dataclass

from workshop.i18n import translate
from workshop.models import Activity, CardKind, Interaction
from workshop.rehearsal import browser as b
from workshop.rehearsal.server import TABLES
from workshop.services import cards, links, trajectories, votes
from workshop.ui.tablet.voting import DOUBLE_TAP_SECONDS


@dataclass(frozen=True)
class Person:
    name: str
    college: str
    table: str | None
    size: tuple[int, int]
    mobile: bool = False


PEOPLE = [
    Person("Amandine R. 🌾", "Élu", TABLES[0], b.TABLET),
    Person("Bastien L.", "Acteur économique", TABLES[1], b.PHONE, mobile=True),
    Person("Chantal P.", "Habitant", TABLES[0], b.LANDSCAPE),
]

# What participants write, by kind of card (one list per person).
WRITING = {
    "word": [["Solidaire"], ["Vert"], ["Connecté"]],
    "stake": [["Accès aux soins de proximité", "Une alimentation locale pour tous"],
              ["Des mobilités sans voiture individuelle"], ["Préserver la ressource en eau"]],
    "threat": [["Canicules plus longues et plus fréquentes"], ["Fermeture des commerces de centre-bourg"],
               ["Pénuries d'eau potable en été"]],
    "resource": [["Un réseau associatif très actif"], ["Le savoir-faire industriel local"],
                 ["Les hortillonnages et leurs maraîchers"]],
    "challenge": [["Garder un médecin dans chaque bourg d'ici 2035"], ["Zéro voiture solo pour aller au travail"],
                  ["Une eau potable garantie tous les étés"]],
    "current_action": [["Maison de santé pluriprofessionnelle"], ["Plan de mobilité employeur"],
                       ["Contrat de rivière"]],
    "vision_article": [["2055 : le dernier désert médical a fermé"], ["Amiens, ville cyclable de l'année"],
                       ["Les hortillons nourrissent la métropole"]],
    "action_lead": [["Un bus à la demande dans les villages"], ["Une régie agricole municipale"],
                    ["Récupérer l'eau de pluie des toits publics"]],
}
# The theme the first participant gives each of their cards (the others leave theirs without one).
THEMES = {"Solidaire": "Cohésion sociale et solidarités", "Accès aux soins de proximité": "Santé",
          "Une alimentation locale pour tous": "Alimentation et agriculture",
          "Canicules plus longues et plus fréquentes": "Climat et risques naturels",
          "Un réseau associatif très actif": "Cohésion sociale et solidarités",
          "Garder un médecin dans chaque bourg d'ici 2035": "Santé",
          "Maison de santé pluriprofessionnelle": "Santé",
          "2055 : le dernier désert médical a fermé": "Santé",
          "Un bus à la demande dans les villages": "Mobilité"}
KIND_NAMES = {"word": "mot", "stake": "enjeu", "threat": "menace", "resource": "ressource", "challenge": "défi",
              "current_action": "action existante", "vision_article": "article du futur",
              "action_lead": "piste d'action"}


def choose_option(page, label: str, index: int) -> None:
    """Open the select named ``label`` and pick its ``index``-th option (counting round), in its
    own menu, then wait for that menu to close. Picking "the first option on the page" could
    click the previous select's menu, still closing: the action stayed empty and the rehearsal
    failed for want of "Avis enregistré" (CI, 3 December)."""
    from playwright.sync_api import expect

    page.get_by_label(label, exact=True).click()
    menu = page.get_by_role("listbox")
    expect(menu).to_have_count(1)  # this select's menu, and no other still on the page
    options = menu.get_by_role("option")
    expect(options.first).to_be_visible()
    options.nth(index % options.count()).click()
    expect(menu).to_have_count(0)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class TakingPart:
    """Methods of ``play.Rehearsal`` for each kind of activity (``take_part`` picks one)."""

    def take_part(self, activity: Activity) -> None:
        handler = {
            Interaction.WORD: self.words,
            Interaction.CONTRIBUTE: self.contributions,
            Interaction.DOT_VOTE: self.dots,
            Interaction.RATE: self.ratings,
            Interaction.ROBUSTNESS: self.robustness,
            Interaction.LINK: self.links,
            Interaction.TRAJECTORY: self.trajectories,
        }.get(activity.interaction, self.plenary)
        handler(activity)

    def _console_count(self, activity: Activity) -> None:
        """The console's « N contributions » (« N réponses » for one word each, as the projector's
        word cloud counts them) equals the database, live."""
        from playwright.sync_api import expect

        n = len(self._cards_of(activity))
        noun = "réponse" if activity.interaction is Interaction.WORD else "contribution"
        expect(self.console.page.get_by_role("status").filter(
            has_text=re.compile(rf"^\d+\s{noun}"))).to_have_text(re.compile(rf"^{n}\s{noun}s?$"))

    def plenary(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        for tablet in self.tablets:
            expect(tablet.page.get_by_text("Cette activité se passe à l'oral", exact=False)).to_be_visible()
            expect(tablet.page.get_by_text("Le mur est encore vide")).to_be_hidden()
        if activity.screen == "results":
            # the run sheet puts the last vote's results on the projector (a restitution), revealed
            expect(self.projector.page.get_by_role("heading", name=re.compile(r"^Résultats\s:\s"))).to_be_visible()
            expect(self.projector.page.locator(".js-plotly-plot")).to_be_visible()
        if activity.screen == "join":
            # a welcome: the run sheet puts how to join on the projector, the QR code in large
            self._join_in_large()
        if activity.screen == "synthesis":
            # the closing: the run sheet puts « L'essentiel » on the projector, the report's sentences in large
            expect(self.projector.page.get_by_role("heading", name="L'essentiel")).to_be_visible()
            expect(self.projector.page.locator(".v21p-synth-list > li").first).to_be_visible()
        self.step(activity.title, audit=f"plenary-{bool(activity.card_kinds)}")
        if activity.screen == "synthesis":
            self._synthesis_pages(activity)
        if activity.exercise_type == "mise-en-commun" and not getattr(self, "map_shown", False):
            # putting the cards in common: the facilitator shows the map of the cards written so far
            self.map_shown = True
            self._show_on_screen("Graphe")
            expect(self.projector.page.get_by_role("heading", name=re.compile(
                "^(Graphe des liens|Carte des enjeux)$"))).to_be_visible()
            expect(self.projector.page.locator('[data-map="cards"] g.annotation').first).to_be_attached()
            self.step(activity.title + " map", audit="graph")
            self._show_on_screen("Activité")

    def _join_in_large(self) -> None:
        """The QR code fills most of the projector's height (scanned from the back of the room),
        beside the steps, the address and the join code."""
        from playwright.sync_api import expect

        projector = self.projector.page
        expect(projector.get_by_role("heading", name="Rejoignez le séminaire")).to_be_visible()
        expect(projector.get_by_text("Scannez le QR code avec votre téléphone")).to_be_visible()
        expect(projector.get_by_text(self.seminar.join_code, exact=True)).to_be_visible()
        qr = projector.get_by_role("img", name=re.compile("^QR code pour rejoindre"))
        expect(qr).to_be_visible()
        box, height = qr.bounding_box(), projector.viewport_size["height"]
        if not box or box["width"] < 0.6 * height:
            self.problems.add(f"{self.seminar.run_sheet}/projector join",
                              [f"QR code {box and round(box['width'])} px wide on a screen {height} px high"])

    def words(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        for n, tablet in enumerate(self.tablets):
            page = tablet.page
            page.get_by_label("Votre mot", exact=True).fill(WRITING["word"][n][0])
            page.get_by_role("button", name="Envoyer mon mot").click()
            expect(page.get_by_text("Mot enregistré").first).to_be_visible()
            self._console_count(activity)
        answers = len(self._cards_of(activity))
        expect(self.projector.page.locator(".v21p-view-sub")).to_have_text(re.compile(rf"^{answers}\sréponses"))
        self.step(activity.title, audit="word")

    def contributions(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        kinds = list(activity.card_kinds)
        first_round = not getattr(self, "_drafts_checked", False)
        for n, tablet in enumerate(self.tablets):
            page = tablet.page
            # everyone writes the first kind (there is a vote on it next) and one other kind, in
            # turn, switching between them: every kind gets cards, threats two (to be rated)
            mine = [kinds[0]] + ([kinds[1 + n % (len(kinds) - 1)]] if len(kinds) > 1 else [])
            for kind in mine:
                for text in WRITING.get(kind, [["Une idée"]] * 3)[n][:1 if n else 2]:
                    self._write(page, activity, kind, text, kinds, check_theme=(n == 0), check_draft=(
                        first_round and n == 0))
                    first_round = False
                    self._drafts_checked = True
                    expect(self.projector.page.locator(".v21p-card").filter(has_text=text).first).to_be_visible()
                    self._console_count(activity)
        # moved to another kind, no theme came along
        self.step(activity.title, audit=f"contribute-{len(kinds) > 1}")
        self.console_has_room(activity)

    def _write(self, page, activity: Activity, kind: str, text: str, kinds: list[str], *, check_theme: bool,
               check_draft: bool) -> None:
        from playwright.sync_api import expect

        name = KIND_NAMES[kind]
        if len(kinds) > 1:
            page.get_by_role("button", name=_capital(name), exact=True).click()
        field_ = page.get_by_label(f"Votre {name}", exact=True)
        expect(field_).to_be_visible()
        theme_field = page.get_by_label("Thème (facultatif)", exact=True)
        theme_box = page.locator(".q-field", has=theme_field)
        # a new card starts with no theme, whatever the card before had
        expect(theme_box).to_contain_text("Sans thème")
        if check_theme:
            theme = THEMES[text]
            self._choose(page, "Thème (facultatif)", theme)
            expect(theme_box).to_contain_text(theme)
            if len(kinds) > 1:  # switching the kind drops the theme too
                other = next(k for k in kinds if k != kind)
                page.get_by_role("button", name=_capital(KIND_NAMES[other]), exact=True).click()
                expect(theme_box).to_contain_text("Sans thème")
                page.get_by_role("button", name=_capital(name), exact=True).click()
                self._choose(page, "Thème (facultatif)", theme)
        if check_draft:
            # an empty card is refused in plain French
            page.get_by_role("button", name="Envoyer", exact=True).click()
            expect(page.get_by_text(f"Votre carte est vide : écrivez votre {name} avant de l'envoyer.").first
                   ).to_be_visible()
            # a typed draft survives a reload
            field_.fill(text)
            page.wait_for_function("(t) => Object.keys(localStorage).some(k => k.startsWith('v21-draft:') "
                                   "&& localStorage.getItem(k).includes(t))", arg=text)
            page.reload()
            self._connected(page)
            field_ = page.get_by_label(f"Votre {name}", exact=True)
            expect(field_).to_have_value(text)
        else:
            field_.fill(text)
        expect(field_).to_have_value(text)
        page.get_by_role("button", name="Envoyer", exact=True).click()
        expect(page.get_by_text("Contribution enregistrée").first).to_be_visible()
        expect(field_).to_have_value("")
        expect(theme_box).to_contain_text("Sans thème")
        saved = next(c for c in self._cards_of(activity) if c.text == text)
        assert saved.kind.value == kind, (saved.kind, kind)

    def console_has_room(self, activity: Activity) -> None:
        """At 1280x800 the console shows several cards of the moderation list at once."""
        self.console.at(b.CONSOLE_SIZES[1])
        # a card counts when most of it is on screen (text and author readable)
        shown = self.console.page.evaluate("""() => [...document.querySelectorAll('.console-card')]
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.height > 0 && r.top >= 0 && innerHeight - r.top >= 0.7 * r.height; }).length""")
        total = len(cards.list_cards(self.db, self.sid, include_hidden=True))
        # 3 since the console's two folded sorting panels (duplicates, theme groups) sit above the
        # list; 4 before them. Fewer means the panels above grew again.
        if shown < min(3, total):
            self.problems.add(f"{self.seminar.run_sheet} console 1280x800", [f"only {shown} cards visible of {total}"])
        by_kind = Counter(c.kind for c in cards.list_cards(self.db, self.sid))
        kind = next((k for k, n in by_kind.most_common() if n >= 2), None)  # only those merge
        if not getattr(self, "_merge_bar_checked", False) and kind is not None:
            self._merge_bar_checked = True
            self.merge_bar_stays(kind)
        self.console.at(b.CONSOLE_SIZES[0])

    def merge_bar_stays(self, kind: CardKind) -> None:
        """Two cards of one kind picked for a merge, the list scrolled down: the merge bar is
        still in view."""
        from playwright.sync_api import expect

        page = self.console.page
        badge = page.locator(".console-kind", has_text=re.compile(f"^{re.escape(translate(f'kind.{kind.value}'))}$"))
        boxes = page.locator(".console-card").filter(has=badge).get_by_role(
            "checkbox", name=re.compile(r"^Sélectionner «\s.* pour une fusion$"))
        for i in range(2):
            boxes.nth(i).click()
            expect(boxes.nth(i)).to_be_checked()
        bar = page.get_by_text("Carte à garder").first
        expect(bar).to_be_visible()
        # the list's own column scrolled down (not the run sheet's: its place is the console's own)
        middle = """() => document.querySelector('.console-merge-bar').closest('.console-col')"""
        page.evaluate(f"""() => {{ const c = ({middle})(); c.scrollTop = c.scrollHeight; }}""")
        page.wait_for_timeout(300)
        box = bar.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > page.viewport_size["height"]:
            self.problems.add(f"{self.seminar.run_sheet} console", ["the merge bar scrolled out of view"])
        self.step("console merge bar", screens=[self.console], audit="merge")
        page.get_by_role("button", name="Tout désélectionner").click()
        expect(page.get_by_text("Carte à garder")).to_have_count(0)
        page.evaluate("""() => document.querySelectorAll('.console-col').forEach(c => {
            if (c.querySelector('.console-merge-bar')) { c.scrollTop = 0; } })""")

    def dots(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        budget = activity.vote_budget or 0
        projector = self.projector.page
        expect(projector.get_by_text("Vote en cours")).to_be_visible()
        self._results_hidden()
        first = self.tablets[0].page
        plus = first.get_by_role("button", name=re.compile("^Ajouter une gommette"))
        expect(plus.first).to_be_visible()
        # a double tap on "+" is one dot
        plus.first.dblclick()
        remaining = first.locator(".budget-bar .remaining")
        expect(remaining).to_have_text(re.compile(rf"^Il\svous\sreste\s{budget - 1}\sgommettes?\ssur\s{budget}$"))
        first.wait_for_timeout(800)  # a second dot would have landed by now
        expect(remaining).to_have_text(re.compile(rf"^Il\svous\sreste\s{budget - 1}\sgommettes?\ssur\s{budget}$"))
        ballot_dots = sum(t.dots for t in votes.tally(self.db, self.sid, activity.id))
        assert ballot_dots == 1, f"a double tap placed {ballot_dots} dots"
        # spend the rest, one card after another, then one too many
        count = plus.count()
        pause = DOUBLE_TAP_SECONDS * 1000 + 100  # deliberate taps, never a double tap on one button
        for i in range(1, budget):
            first.wait_for_timeout(pause)
            plus.nth(i % count).click()
            expect(remaining).to_have_text(re.compile(rf"^(Il\svous\sreste\s{budget - 1 - i}\s|Toutes\svos\sgommettes)"))
        expect(remaining).to_have_text(f"Toutes vos gommettes sont placées ({budget} sur {budget})")
        first.wait_for_timeout(pause)
        plus.nth((budget) % count).click()
        # one too many: said plainly (all dots placed, or this card has its maximum), never "1 left"
        expect(first.get_by_text(re.compile(r"^(Vous\savez\splacé\stoutes\svos\sgommettes|Au\splus\s\d+\sgommette)")).first
               ).to_be_visible()
        expect(first.get_by_text("il vous en reste", exact=False)).to_have_count(0)
        # the other two vote; the phone loses the network on the first vote of the seminar
        second = self.tablets[1].page
        if not getattr(self, "_offline_checked", False):
            self._offline_checked = True
            self.outages(activity)
        second.get_by_role("button", name=re.compile("^Ajouter une gommette")).first.click()
        expect(second.locator(".budget-bar .remaining")).to_have_text(
            re.compile(rf"^(Il\svous\sreste\s{budget - 1}\s|Toutes)"))
        third = self.tablets[2].page
        third.get_by_role("button", name=re.compile("^Ajouter une gommette")).last.click()
        expect(third.locator(".budget-bar .remaining")).to_have_text(
            re.compile(rf"^(Il\svous\sreste\s{budget - 1}\s|Toutes)"))
        voters, tallies = votes.dot_vote_results(self.db, self.sid, activity.id)
        expect(projector.locator(".v21p-message-mid")).to_have_text(f"{voters} personnes ont voté")
        expect(self.console.page.get_by_role("status").filter(has_text=re.compile(r"^\d+\ssur\s\d+\sont\svoté$"))).to_have_text(
            re.compile(rf"^{voters}\ssur\s\d+\sont\svoté"))
        self.step(activity.title + " vote", audit="dot-vote")
        # the facilitator reveals the results
        self._set_switch("Révéler les résultats", True)
        total = sum(t.dots for t in tallies)
        expect(projector.locator(".v21p-view-sub").first).to_have_text(re.compile(rf"^{voters}\svotants\s·\s{total}\sgommettes"))
        expect(projector.locator(".js-plotly-plot")).to_be_visible()
        self.step(activity.title + " results", audit="dot-results")

    def outages(self, activity: Activity) -> None:
        """The phone loses the connection several times. Each time the banner shows (within
        about 2 s), two impatient taps on "+" (or "−") show as one pending tap at once, and
        once the connection is back exactly one dot is placed (or taken back), with a message:
        never silently, never twice."""
        from playwright.sync_api import expect

        screen = self.tablets[1]
        page = screen.page
        banner = page.locator(".offline-banner")
        outages = ["offline", "server-frozen", "offline", "server-frozen"]
        for n, kind in enumerate(outages):
            adding = n % 2 == 0
            button = page.get_by_role("button", name=re.compile(
                "^Ajouter une gommette" if adding else "^Retirer une gommette")).first
            before = sum(t.dots for t in votes.tally(self.db, self.sid, activity.id))
            expect(banner).to_be_hidden()
            started = time.monotonic()
            if kind == "offline":
                screen.context.set_offline(True)
            else:  # the laptop stops answering (its wifi drops): the browser still thinks it is online
                os.kill(self.server.process.pid, signal.SIGSTOP)
            try:
                expect(banner).to_be_visible(timeout=5000)
                self.offline_delays.append(time.monotonic() - started)
                button.click()
                button.click()
                expect(page.locator(".q-btn.is-pending")).to_have_count(1)
                expect(page.locator(".offline-note")).to_have_text(re.compile("ce geste attend le retour"))
                if n == 0:
                    self.step("offline tablet", screens=[screen], audit="offline")
                page.wait_for_timeout(1000 * (1 + n))  # outages of 1 to 4 s more
            finally:
                if kind == "offline":
                    screen.context.set_offline(False)
                else:
                    os.kill(self.server.process.pid, signal.SIGCONT)
            expect(banner).to_be_hidden(timeout=30_000)
            expect(page.locator(".offline-dropped")).to_have_text(
                "Connexion revenue : 1 geste fait pendant la coupure a été envoyé.")
            expect(page.locator(".q-btn.is-pending")).to_have_count(0)
            expected = before + (1 if adding else -1)
            deadline = time.monotonic() + 10
            while sum(t.dots for t in votes.tally(self.db, self.sid, activity.id)) != expected:
                assert time.monotonic() < deadline, f"outage {n + 1}: expected {expected} dots in all"
                page.wait_for_timeout(100)
            page.wait_for_timeout(700)  # a second, replayed tap would have landed by now
            now = sum(t.dots for t in votes.tally(self.db, self.sid, activity.id))
            assert now == expected, f"outage {n + 1} ({kind}): {before} dots became {now}, expected {expected}"
        budget = activity.vote_budget or 0
        expect(page.locator(".budget-bar .remaining")).to_have_text(f"Il vous reste {budget} gommettes sur {budget}")

    def _results_hidden(self) -> None:
        """A vote, rating or robustness test opens with its results hidden, though the previous
        one's were revealed (the console's switch is off again, no chart on the projector)."""
        from playwright.sync_api import expect

        expect(self.console.page.get_by_role("switch", name="Révéler les résultats")).to_have_attribute(
            "aria-checked", "false")
        expect(self.projector.page.locator(".js-plotly-plot")).to_have_count(0)

    def _set_switch(self, name: str, value: bool) -> None:
        from playwright.sync_api import expect

        switch = self.console.page.get_by_role("switch", name=name)
        if (switch.get_attribute("aria-checked") == "true") != value:
            switch.click()
        expect(switch).to_have_attribute("aria-checked", str(value).lower())

    def ratings(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        self._results_hidden()
        criteria = list(activity.criteria)
        for n, tablet in enumerate(self.tablets):
            page = tablet.page
            groups = page.locator(".t-toggle")
            expect(groups.first).to_be_visible()
            for i in range(min(groups.count(), 2 * len(criteria))):
                groups.nth(i).get_by_role("button", name=str(3 + (i + n) % 3), exact=True).click()
                expect(page.locator(r"text=/^Notes données\s:\s/")).to_have_text(
                    re.compile(rf"^Notes données\s:\s{i + 1} sur \d+$"))
        voters = len(votes.voters(self.db, self.sid, activity.id))
        # a rating is answered, not voted: the console says it as the projector does
        expect(self.console.page.get_by_role("status").filter(has_text=re.compile(r"^\d+ sur \d+ ont répondu$"))).to_have_text(
            re.compile(rf"^{voters} sur \d+ ont répondu"))
        self.step(activity.title + " rating", audit="rate")
        self._set_switch("Révéler les résultats", True)
        expect(self.projector.page.locator(".js-plotly-plot")).to_be_visible()
        self.step(activity.title + " results", audit="rate-results")

    def robustness(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        self._results_hidden()
        for n, tablet in enumerate(self.tablets):
            page = tablet.page
            expect(page.get_by_label("Défi", exact=True)).to_be_visible()
            choose_option(page, "Défi", n)
            choose_option(page, "Action existante", 0)
            page.get_by_role("radio", name=re.compile(["^tient", "^plie", "^rompt"][n])).click()
            page.get_by_role("button", name=re.compile(r"^(Enregistrer|Modifier) mon avis$")).click()
            expect(page.get_by_text("Avis enregistré").first).to_be_visible()
        voters = len(votes.voters(self.db, self.sid, activity.id))
        assert voters == 3, voters
        expect(self.console.page.get_by_role("status").filter(has_text=re.compile(r"^\d+ sur \d+ ont répondu$"))).to_have_text(
            f"{voters} sur 3 ont répondu")
        self.step(activity.title, audit="robustness")
        self._set_switch("Révéler les résultats", True)
        expect(self.projector.page.locator(".js-plotly-plot")).to_be_visible()
        self.step(activity.title + " results", audit="robustness-results")

    def links(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        page = self.tablets[0].page
        source = page.get_by_label("Carte de départ", exact=True)
        expect(source).to_be_visible()
        source.click()
        page.get_by_role("option", name=re.compile("^Menace — ")).first.click()
        page.get_by_label("Carte d'arrivée", exact=True).click()
        page.get_by_role("option", name=re.compile("^Enjeu — ")).first.click()
        page.get_by_role("button", name="Proposer ce lien").click()
        expect(page.get_by_text("Lien proposé à l'animation").first).to_be_visible()
        console = self.console.page
        console.get_by_role("tab", name=re.compile("^Liens proposés")).click()
        console.get_by_role("button", name="Accepter").first.click()
        expect(console.get_by_text("Aucun lien en attente.").first).to_be_visible()
        assert any(link.status.value == "accepted" for link in links.list_links(self.db, self.sid))
        if activity.screen == "graph":  # the run sheet puts the graph on the projector
            expect(self.projector.page.get_by_role("heading", name="Graphe des liens")).to_be_visible()
        self.step(activity.title, audit="link")
        console.get_by_role("tab", name=re.compile("^Modération")).click()
        # the facilitator puts the map of cards on the projector, then goes back to the activity
        self._show_on_screen("Graphe")
        expect(self.projector.page.get_by_role("heading", name="Graphe des liens")).to_be_visible()
        expect(self.projector.page.locator(".js-plotly-plot")).to_be_visible()
        self.step(activity.title + " graph", audit="graph")
        self._show_on_screen("Activité")

    def _synthesis_pages(self, activity: Activity) -> None:
        """More sentences than a screen holds: the facilitator turns the pages from the console."""
        from playwright.sync_api import expect

        pager = self.projector.page.locator(".v21p-synth .v21p-pager")
        found = re.match(r"^Page 1 / (\d+)$", pager.text_content() or "") if pager.is_visible() else None
        for k in range(2, int(found.group(1)) + 1 if found else 0):
            self.console.page.get_by_role("button", name=re.compile(r"^Synthèse\s:\spage suivante$")).click()
            expect(pager).to_have_text(f"Page {k} / {found.group(1)}")
            self.step(f"{activity.title} page {k}", screens=[self.projector])

    def _show_on_screen(self, view: str) -> None:
        from playwright.sync_api import expect

        button = self.console.page.get_by_role("radio", name=view, exact=True)
        button.click()
        expect(button).to_have_attribute("aria-checked", "true")

    def trajectories(self, activity: Activity) -> None:
        from playwright.sync_api import expect

        page = self.tablets[0].page
        target = page.get_by_label("Enjeu ou défi visé", exact=True)
        expect(target).to_be_visible()
        choose_option(page, "Enjeu ou défi visé", 0)
        page.get_by_label("Titre de la trajectoire", exact=True).fill("Des soins à moins de 20 minutes")
        page.get_by_role("button", name="Créer la trajectoire").click()
        page.get_by_label("Année", exact=True).click()
        page.get_by_role("option", name="2040", exact=True).click()
        page.get_by_label("Ce qui est atteint à cette date", exact=True).fill("Une maison de santé par canton")
        page.get_by_role("button", name="Ajouter l'étape").click()
        expect(page.get_by_text("Une maison de santé par canton").first).to_be_visible()
        # the other tablet of the same table sees it arrive
        expect(self.tablets[2].page.get_by_text("Une maison de santé par canton").first).to_be_visible()
        listed = trajectories.list_trajectories(self.db, self.sid)
        assert any(t.steps for t in listed), listed
        expect(self.projector.page.get_by_text("Des soins à moins de 20 minutes").first).to_be_visible()
        self.step(activity.title, audit="trajectory")
