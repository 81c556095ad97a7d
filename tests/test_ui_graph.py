"""The trajectory graph in the room, as simulated browsers see it: the console's graph tab
(analyses, links, trajectories), the projector's graph and timeline views, and a table
building its trajectory from a tablet."""

from __future__ import annotations

import asyncio

from nicegui import ui
from nicegui.testing import User

from workshop.content import default_kit, find_run_sheet
from workshop.db import Database
from workshop.demo import DEMO_SECRET, Demo
from workshop.models import College, Interaction, LinkStatus, Relation
from workshop.services import activities, cards, links, participants, screen, seminars, trajectories
from workshop.ui.access import login_facilitator
from seminar_helpers import send_join_form

LIVE = 30  # retries (x 0.1 s): live hub, then a redraw coalesced to at most one a second



def card_id(db: Database, demo: Demo, text: str) -> int:
    return next(c.id for c in cards.list_cards(db, demo.seminar_id) if c.text == text)


def value_of(user: User, marker: str, value) -> None:
    """Choose a value in a select or toggle (what a tap on one of its options does)."""
    element = next(iter(user.find(marker=marker).elements))
    with user:
        element.value = value


def open_activity(db: Database, demo: Demo, interaction: Interaction) -> int:
    activity = next(a for a in activities.list_activities(db, demo.seminar_id) if a.interaction is interaction)
    activities.open_activity(db, demo.seminar_id, activity.id)
    return activity.id


async def eventually(check) -> None:
    for _ in range(LIVE):
        if check():
            return
        await asyncio.sleep(0.1)
    assert check()


async def open_graph_tab(user: User, demo: Demo) -> None:
    await console_graph_of(user, demo.seminar_id)


async def console_graph_of(user: User, sid: int) -> None:
    """The facilitator of seminar ``sid`` (the demo's code) logged in, on the console's graph tab."""
    await user.open(f"/console/{sid}/login")
    user.find(marker="secret").type(DEMO_SECRET)
    user.find(marker="login").click()
    await user.should_see(marker="current-panel", retries=LIVE)
    user.find("Graphe").click()
    await user.should_see(marker="graph-map", retries=LIVE)


async def open_screen(user: User, demo: Demo) -> None:
    await user.open("/")
    assert await login_facilitator(demo.seminar_id, demo.facilitator_secret)
    await user.open(f"/screen/{demo.seminar_id}")


# --- console ---------------------------------------------------------------------------------


async def test_console_graph_tab_explains_the_demo_map(demo, user: User) -> None:
    db, d = demo
    await open_graph_tab(user, d)
    await user.should_see("Cartes\u00a0: 22 · liens acceptés\u00a0: 17 · trajectoires\u00a0: 1")
    # the findings, in words
    await user.should_see("Enjeu le plus exposé\u00a0: Des logements sobres en énergie et abordables")
    await user.should_see("5\u00a0menaces sans parade\u00a0: Crues de la Somme et remontées de nappe")
    await user.should_see("1\u00a0enjeu sans ressource")  # the other one, linked to nothing, is isolated
    await user.should_see("2\u00a0cartes isolées\u00a0: Des emplois locaux dans la transition écologique ; "
                          "Vélo et transport")
    # the detailed tables and lists
    with user.scope(marker="table-exposed"):
        await user.should_see("Préserver la ressource en eau et les hortillonnages")
        await user.should_see("0\u00a0sur\u00a02")  # never « 0 sur » then « 2 » below
    with user.scope(marker="influence-groups"):
        # Godet's MICMAC: 6 driving cards directly; the demo map has no loop, so indirectly only
        # the start of its longest chain drives (see tests/test_analysis.py).
        await user.should_see("Moteurs — 1 en indirect · 6 en direct")
        await user.should_see("Dépendants — 1 en indirect · 7 en direct")
    await user.should_see("Aucune boucle\u00a0: les chaînes s'arrêtent\u00a0; classement indirect tiré des plus longues "
                          "chaînes (puissance 3).")
    # where two analyses seem to disagree, one sentence says why
    await user.should_see("«\u00a0Crues de la Somme et remontées de nappe\u00a0» est sans parade et pourtant autonome")
    await user.should_see("Aucune boucle.")
    with user.scope(marker="trajectory-list"):
        await user.should_see("Des soins à moins de 20 minutes")
        await user.should_see("Plus aucune commune à plus de 20 minutes d'un médecin")
    for marker in ("graph-map", "graph-plane", "graph-timeline"):
        plot = next(iter(user.find(marker=marker).elements))
        assert plot.figure["data"], marker


async def test_console_refuses_invalid_links_in_french_and_creates_valid_ones(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    stake = card_id(db, d, "Des emplois locaux dans la transition écologique")
    threat = card_id(db, d, "Crues de la Somme et remontées de nappe")
    lever = card_id(db, d, "Réseau de chaleur urbain")
    await open_graph_tab(user, d)
    # a card onto itself: the service says why not
    value_of(user, "link-source", stake)
    value_of(user, "link-target", stake)
    user.find(marker="link-create").click()
    await user.should_see("Une carte ne peut pas être reliée à elle-même.", retries=LIVE)
    # wrong direction: no relation offered, and the reason is given at once
    value_of(user, "link-source", threat)
    value_of(user, "link-target", lever)
    with user:
        assert next(iter(user.find(marker="link-relation").elements)).options == {}
    await user.should_see("Aucun lien possible d'une carte «\u00a0menace\u00a0» vers une carte «\u00a0ressource\u00a0»\u00a0: "
                          "inversez les deux cartes.")
    # a link that already exists
    energy = card_id(db, d, "Hausse durable du prix de l'énergie")
    value_of(user, "link-source", lever)
    value_of(user, "link-target", energy)
    with user:
        assert next(iter(user.find(marker="link-relation").elements)).value == "counters"  # the only one
    user.find(marker="link-create").click()
    await user.should_see("Ce lien existe déjà.", retries=LIVE)
    # a valid one, weighted, with a note
    value_of(user, "link-target", threat)
    value_of(user, "link-weight", 2)
    user.find(marker="link-note").type("bassins de rétention chauffés ?")
    user.find(marker="link-create").click()
    await user.should_see("Lien créé", retries=LIVE)
    created = next(l for l in links.list_links(db, sid) if (l.source_id, l.target_id) == (lever, threat))
    assert (created.relation, created.weight, created.note) == (Relation.COUNTERS, 2, "bassins de rétention chauffés ?")
    # the analyses follow: that threat now has a counter
    await user.should_see("4\u00a0menaces sans parade", retries=LIVE)
    await user.should_see(marker=f"graph-link-{created.id}", retries=LIVE)
    # weight changed, then the link deleted
    value_of(user, f"link-weight-{created.id}", 3)
    await eventually(lambda: next(l for l in links.list_links(db, sid) if l.id == created.id).weight == 3)
    user.find(marker=f"link-delete-{created.id}").click()
    user.find(marker="link-delete-confirm").click()
    await user.should_see("Lien supprimé", retries=LIVE)
    assert all(l.id != created.id for l in links.list_links(db, sid))
    await user.should_see("5\u00a0menaces sans parade", retries=LIVE)


async def test_the_note_dialog_keeps_a_weight_changed_meanwhile_and_refuses_a_note_changed_meanwhile(
        demo, user: User) -> None:
    """Two facilitators on one seminar: the note dialog opened in this tab saves the note only.
    A weight set in the other tab meanwhile stays; a note changed there meanwhile is not
    overwritten: the save is refused and says why, in French."""
    db, d = demo
    sid = d.seminar_id
    link = links.list_links(db, sid)[0]
    links.update_link(db, sid, link.id, weight=1, note="avant")
    await open_graph_tab(user, d)
    await user.should_see(marker=f"graph-link-{link.id}", retries=LIVE)
    user.find(marker=f"link-note-{link.id}").click()
    await user.should_see(marker="link-note-text")
    links.update_link(db, sid, link.id, weight=3)  # the other tab, while this dialog is open
    user.find(marker="link-note-text").clear().type("ma note")
    user.find(marker="link-note-save").click()
    await user.should_see("Note enregistrée", retries=LIVE)
    now = next(l for l in links.list_links(db, sid) if l.id == link.id)
    assert (now.weight, now.note) == (3, "ma note")

    await user.should_see(marker=f"graph-link-{link.id}", retries=LIVE)
    user.find(marker=f"link-note-{link.id}").click()
    await user.should_see(marker="link-note-text")
    links.update_link(db, sid, link.id, note="la note de l'autre onglet")
    user.find(marker="link-note-text").clear().type("la mienne")
    user.find(marker="link-note-save").click()
    await user.should_see("Ce lien a été modifié entre-temps (dans un autre onglet)\u00a0: rien n'a été "
                          "enregistré. Rouvrez la note pour voir la version actuelle.", retries=LIVE)
    now = next(l for l in links.list_links(db, sid) if l.id == link.id)
    assert (now.weight, now.note) == (3, "la note de l'autre onglet")


async def test_accepting_a_proposed_link_adds_it_to_the_graph(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    token = participants.join(db, d.join_code, display_name="Zoé", college=College.RESIDENT).device_token
    activity = open_activity(db, d, Interaction.LINK)
    lever = card_id(db, d, "Tissu associatif dense")
    threat = card_id(db, d, "Vieillissement de la population et isolement")
    await open_graph_tab(user, d)
    await user.should_see("5\u00a0menaces sans parade")
    proposed = links.propose_link(db, token, activity, lever, threat, Relation.COUNTERS, note="visites à domicile")
    # the graph tab says a decision is waiting; the queue is in the links tab
    await user.should_see("1\u00a0lien proposé par les tables attend votre décision.", retries=LIVE)
    user.find("Voir les liens proposés").click()
    await user.should_see("Zoé · visites à domicile", retries=LIVE)
    user.find(marker=f"accept-{proposed.id}").click()
    await eventually(lambda: any(l.id == proposed.id for l in links.list_links(db, sid)))
    await user.should_see("Aucun lien en attente.", retries=LIVE)
    user.find("Graphe").click()
    await user.should_see(marker=f"graph-link-{proposed.id}", retries=LIVE)
    await user.should_see("4\u00a0menaces sans parade", retries=LIVE)
    await user.should_see("Cartes\u00a0: 22 · liens acceptés\u00a0: 18 · trajectoires\u00a0: 1")
    assert links.list_links(db, sid, status=LinkStatus.PROPOSED) == []


async def test_console_adds_and_removes_trajectory_steps(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    await open_graph_tab(user, d)
    [trajectory] = trajectories.list_trajectories(db, sid)
    lever = card_id(db, d, "Tissu associatif dense")
    value_of(user, "step-year", 2045)
    user.find(marker="step-title").type("Un réseau de visiteurs bénévoles")
    value_of(user, "step-cards", [lever])
    user.find(marker="step-add").click()
    await user.should_see("Étape ajoutée", retries=LIVE)
    with user.scope(marker="trajectory-list"):
        await user.should_see("Un réseau de visiteurs bénévoles", retries=LIVE)
        await user.should_see("Avec\u00a0: Tissu associatif dense")
    step = next(s for s in trajectories.list_trajectories(db, sid)[0].steps if s.year == 2045)
    assert step.card_ids == [lever] and step.trajectory_id == trajectory.id
    # a year beyond the horizon: the French message of the service
    value_of(user, "step-year", 2070)
    user.find(marker="step-title").type("Trop loin")
    user.find(marker="step-add").click()
    await user.should_see("L'année d'une étape doit être comprise entre", retries=LIVE)
    # a year that is not whole is refused too, not taken as 2046
    user.notify.messages.clear()
    value_of(user, "step-year", 2046.5)
    user.find(marker="step-add").click()
    await user.should_see("L'année d'une étape doit être comprise entre", retries=LIVE)
    assert not user.notify.contains("Étape ajoutée")
    assert all(s.year != 2046 for s in trajectories.list_trajectories(db, sid)[0].steps)
    user.find(marker=f"step-remove-{step.id}").click()
    await user.should_see("Étape retirée", retries=LIVE)
    assert all(s.id != step.id for s in trajectories.list_trajectories(db, sid)[0].steps)


async def test_the_console_names_the_graph_after_what_it_holds(demo, user: User) -> None:
    """The console names its map as the projector names the same map: « Graphe des liens » where cards
    are linked, « Carte des enjeux » where they are not. The map draws no trajectory, so even where a
    trajectory was built (the demo) it is not « Graphe des trajectoires » (the projector's
    « Graphe » view said « Graphe des liens » while the console said « Graphe des trajectoires »)."""
    db, d = demo
    assert trajectories.list_trajectories(db, d.seminar_id)  # the demo built one
    await open_graph_tab(user, d)

    def graph_title() -> str:
        return next(iter(user.find(marker="graph-title").elements)).text

    await eventually(lambda: graph_title() == "Graphe des liens")
    for linked, title in ((True, "Graphe des liens"), (False, "Carte des enjeux")):
        created = seminars.create_seminar(db, title=f"Carte {linked}", territory="Amiens Métropole",
                                          horizon_year=2055, run_sheet=find_run_sheet("demi-journee-decouverte"),
                                          kit=default_kit(), facilitator_secret=DEMO_SECRET)
        sid = created.seminar_id
        stake = cards.add_card(db, sid, kind="stake", text="Accès aux soins").id
        threat = cards.add_card(db, sid, kind="threat", text="Canicules").id
        if linked:
            links.create_link(db, sid, threat, stake, Relation.WEIGHS_ON, weight=2)
        await console_graph_of(user, sid)
        await eventually(lambda: graph_title() == title)


async def test_what_the_graph_says_without_findings_is_true_of_the_seminar(demo, user: User) -> None:
    """« Ce que dit le graphe » with nothing to point out: the tables' « liens » activity is offered
    only where the run sheet has one still to come (the half-day has none: it said « ouvrez
    l'activité « liens » aux tables » all the same)."""
    db, _ = demo
    opens_links = "ouvrez l'activité «\u00a0liens\u00a0» aux tables"
    for sheet, said in (
            ("demi-journee-decouverte", "Aucun lien pour l'instant. Créez des liens ci-dessous."),
            ("deux-jours", "Aucun lien pour l'instant. Créez des liens ci-dessous ou " + opens_links + ".")):
        created = seminars.create_seminar(db, title=f"Constats {sheet}", territory="Amiens Métropole",
                                          horizon_year=2055, run_sheet=find_run_sheet(sheet), kit=default_kit(),
                                          facilitator_secret=DEMO_SECRET)
        sid = created.seminar_id
        cards.add_card(db, sid, kind="stake", text="Accès aux soins")
        cards.add_card(db, sid, kind="threat", text="Canicules")
        await console_graph_of(user, sid)
        await user.should_see(said, retries=LIVE)
        if sheet == "demi-journee-decouverte":
            await user.should_not_see(opens_links)


async def test_before_anything_is_linked_the_console_lists_no_card_as_isolated(demo, user: User) -> None:
    """While nothing is connected, every card would be « isolée »: the console's analyses say that
    nothing is linked yet rather than list them all (as its findings and the projector do); once a
    link is drawn, the card left out is listed."""
    db, _ = demo
    created = seminars.create_seminar(db, title="Isolées", territory="Amiens Métropole", horizon_year=2055,
                                      run_sheet=find_run_sheet("deux-jours"), kit=default_kit(),
                                      facilitator_secret=DEMO_SECRET)
    sid = created.seminar_id
    stake = cards.add_card(db, sid, kind="stake", text="Accès aux soins").id
    threat = cards.add_card(db, sid, kind="threat", text="Canicules").id
    cards.add_card(db, sid, kind="resource", text="Maisons de santé")
    await console_graph_of(user, sid)
    with user.scope(marker="graph-analyses"):
        await user.should_see("Rien n'est encore relié", retries=LIVE)
        await user.should_not_see(marker="list-isolated")
        await user.should_not_see("Canicules")
    links.create_link(db, sid, threat, stake, Relation.WEIGHS_ON, weight=2)
    await user.should_see(marker="list-isolated", retries=LIVE)
    with user.scope(marker="list-isolated"):
        await user.should_see("Maisons de santé")
        await user.should_not_see("Canicules")


def test_with_links_but_no_findings_the_graph_speaks_of_the_links() -> None:
    """Accepted links that bring out nothing (rare: most links make a card driving, exposed or
    isolated) are not announced as « Aucun lien »."""
    from types import SimpleNamespace

    from workshop.ui.console.graph_analyses import no_findings_text

    for links_activity in (True, False):
        data = SimpleNamespace(links=["a link"], links_activity=links_activity)
        assert no_findings_text(data) == "Les liens acceptés ne font ressortir aucun point saillant pour l'instant."


# --- projector -------------------------------------------------------------------------------


async def test_projector_graph_view_shows_the_map_and_what_to_take_from_it(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    screen.set_screen(db, sid, view="graph")
    await open_screen(user, d)
    await user.should_see(marker="graph-view")
    # named after what it draws: the demo's links (its trajectory is not on this map)
    await user.should_see("Graphe des liens")
    await user.should_not_see("Graphe des trajectoires")
    figure = next(iter(user.find(kind=ui.plotly).elements)).figure
    assert figure["layout"]["width"] and figure["config"]["staticPlot"]  # drawn at a reference size, scaled
    assert {t["meta"]["kind"] for t in figure["data"] if "kind" in (t.get("meta") or {})} == {"stake", "threat",
                                                                                              "resource"}
    # the text alternative: the findings in words, and the links for screen readers
    with user.scope(marker="graph-findings"):
        await user.should_see("Enjeu le plus exposé\u00a0: Des logements sobres en énergie et abordables")
        await user.should_see("5\u00a0menaces sans parade\u00a0: Crues de la Somme et remontées de nappe")
        await user.should_see("1\u00a0enjeu sans ressource")  # the other one, linked to nothing, is isolated
    # for the eye: two names, whole (the page's script cuts one wider than its line), the rest counted
    with user.scope(marker="finding-uncountered"):
        await user.should_see("Crues de la Somme et remontées de nappe")
        await user.should_see("…\u00a0et\u00a03\u00a0autres")
    with user.scope(marker="graph-links"):
        await user.should_see("«\u00a0Désertification médicale\u00a0» pèse sur «\u00a0Accès aux soins de proximité dans les "
                              "communes rurales\u00a0»")
    await user.should_not_see(d.join_code)  # the map gets the whole screen
    # a link accepted in the console: the projector follows
    links.create_link(db, sid, card_id(db, d, "Tissu associatif dense"),
                      card_id(db, d, "Vieillissement de la population et isolement"), Relation.COUNTERS)
    await user.should_see("4\u00a0menaces sans parade", retries=LIVE)
    # the trajectories, on the facilitator's demand
    screen.set_screen(db, sid, view="trajectories")
    await user.should_see(marker="trajectories-view", retries=LIVE)
    await user.should_see("Trajectoires des tables")
    await user.should_see("1\u00a0trajectoire · 4\u00a0étapes")


async def test_the_maps_caption_explains_only_what_is_drawn(ui_db, user: User) -> None:
    """Before any vote and any link the map's dots are all the same size and it has no arrow: no
    caption (« Point : gommettes reçues » explained dots nobody gave yet). The first dot makes
    the dots' size mean something, the first link its arrows, two weights its lines' width."""
    from workshop.models import CardKind
    from workshop.services import votes

    created = seminars.create_seminar(ui_db, title="Carte", territory="Amiens Métropole", horizon_year=2055,
                                      run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(),
                                      facilitator_secret="secret-carte")
    sid = created.seminar_id
    stake = cards.add_card(ui_db, sid, kind=CardKind.STAKE, text="Accès aux soins de proximité").id
    threat = cards.add_card(ui_db, sid, kind=CardKind.THREAT, text="Canicules plus longues").id
    resource = cards.add_card(ui_db, sid, kind=CardKind.RESOURCE, text="Le savoir-faire industriel local").id
    screen.set_screen(ui_db, sid, view="graph")
    await user.open("/")
    assert await login_facilitator(sid, "secret-carte")
    await user.open(f"/screen/{sid}")
    await user.should_see("Carte des enjeux")
    await user.should_not_see(marker="graph-caption")
    await user.should_not_see("gommettes reçues")
    await user.should_not_see("Point\u00a0:")

    vote = next(a for a in activities.list_activities(ui_db, sid) if a.interaction is Interaction.DOT_VOTE)
    activities.open_activity(ui_db, sid, vote.id)
    screen.set_screen(ui_db, sid, view="graph")
    token = participants.join(ui_db, created.join_code, display_name="Zoé", college=College.RESIDENT).device_token
    votes.set_dots(ui_db, token, vote.id, stake, 1)
    await user.should_see("Point\u00a0: gommettes reçues", retries=LIVE)
    await user.should_see(marker="graph-caption")
    await user.should_not_see("Flèche")

    links.create_link(ui_db, sid, threat, stake, Relation.WEIGHS_ON)
    await user.should_see("Flèche\u00a0: de ce qui agit vers ce qui est touché · point\u00a0: gommettes reçues",
                          retries=LIVE)
    await user.should_not_see("épaisseur")  # one link, one width
    links.create_link(ui_db, sid, resource, stake, Relation.SUPPORTS, weight=3)
    await user.should_see("Flèche\u00a0: de ce qui agit vers ce qui est touché · point\u00a0: gommettes reçues · "
                          "épaisseur\u00a0: poids (1\u00a0à 3)", retries=LIVE)


async def test_tablet_builds_a_trajectory_step_and_the_projector_timeline_follows(demo, create_user) -> None:
    db, d = demo
    sid = d.seminar_id
    table = seminars.get_seminar_by_id(db, sid).groups[0]  # the demo trajectory's table
    open_activity(db, d, Interaction.TRAJECTORY)
    wall, tablet = create_user(), create_user()
    await open_screen(wall, d)
    await wall.should_see(marker="trajectories-view", retries=LIVE)
    await wall.should_see("1\u00a0trajectoire · 4\u00a0étapes")

    await tablet.open(f"/join/{d.join_code}")
    send_join_form(tablet, "Inès", "resident", table.id)
    await tablet.should_see(marker="trajectory-picker", retries=LIVE)
    await tablet.should_see("Des soins à moins de 20 minutes")
    await tablet.should_see("Internes accueillis par les communes rurales")
    lever = card_id(db, d, "Réseau de bus à haut niveau de service")
    value_of(tablet, "step-year", 2040)
    tablet.find(marker="step-title").type("Navettes vers la maison de santé")
    value_of(tablet, "step-cards", [lever])
    tablet.find(marker="step-submit").click()
    await tablet.should_see("Étape ajoutée", retries=LIVE)
    with tablet.scope(marker="trajectory-steps"):
        await tablet.should_see("Navettes vers la maison de santé", retries=LIVE)
    await wall.should_see("1\u00a0trajectoire · 5\u00a0étapes", retries=LIVE)
    with wall.scope(marker="timeline-steps"):
        await wall.should_see("2040\u00a0: Navettes vers la maison de santé\u00a0: Réseau de bus à haut niveau de service")

    # no year: said plainly, nothing sent
    tablet.find(marker="step-title").type("Sans date")
    tablet.find(marker="step-submit").click()
    await tablet.should_see("Choisissez l'année de l'étape.", retries=LIVE)
    # a new trajectory for a challenge-less demo: a stake
    tablet.find("Commencer une trajectoire").click()
    value_of(tablet, "trajectory-target", card_id(db, d, "Préserver la ressource en eau et les hortillonnages"))
    tablet.find(marker="trajectory-name").type("L'eau en partage")
    tablet.find(marker="trajectory-create").click()
    await tablet.should_see("Trajectoire créée", retries=LIVE)
    await tablet.should_see(marker="trajectory-title", content="L'eau en partage", retries=LIVE)
    await wall.should_see("2\u00a0trajectoires · 5\u00a0étapes", retries=LIVE)
    created = next(t for t in trajectories.list_trajectories(db, sid) if t.title == "L'eau en partage")
    assert created.group_id == table.id


async def test_another_tables_tablet_does_not_see_or_touch_the_trajectory(demo, user: User) -> None:
    db, d = demo
    other = seminars.get_seminar_by_id(db, d.seminar_id).groups[1]
    open_activity(db, d, Interaction.TRAJECTORY)
    await user.open(f"/join/{d.join_code}")
    send_join_form(user, "Hugo", "business", other.id)
    await user.should_see(marker="trajectory-picker", retries=LIVE)
    await user.should_see("Votre table n'a pas encore de trajectoire. Commencez-en une ci-dessous.")
    await user.should_not_see("Des soins à moins de 20 minutes")
