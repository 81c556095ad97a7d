"""The facilitator console, as simulated browsers see it.

A facilitator works in the console while tablets act through the services (as the tablet
pages would): the console must follow without a reload.
"""

from __future__ import annotations

import asyncio
import re

from nicegui import ui
from nicegui.testing import User

from workshop.content import default_kit, find_run_sheet
from workshop.demo import DEMO_SECRET
from workshop.models import ActivityState, CardKind, College, Interaction
from workshop.services import activities, cards, participants, planning, screen, seminars, votes
from workshop.ui.console.create import generated_secret
from workshop.ui.console.login import safe_next
from workshop.ui.console.widgets import hours_text

LIVE = 20  # retries (x 0.1 s) for what arrives through the live hub and the redraw timer



async def _login(user: User, seminar_id: int, secret: str = DEMO_SECRET) -> None:
    await user.open(f"/console/{seminar_id}/login")
    user.find(marker="secret").type(secret)
    user.find(marker="login").click()
    await user.should_see(marker="current-panel", retries=LIVE)


async def _eventually(check) -> None:
    """Wait for a service-side effect of a click (services run off the event loop)."""
    for _ in range(LIVE):
        if check():
            return
        await asyncio.sleep(0.1)
    assert check()


async def test_login_refuses_a_wrong_secret_then_opens_the_console(demo, user: User) -> None:
    db, d = demo
    await user.open(f"/console/{d.seminar_id}/login")
    await user.should_see("Connexion de l'animation")
    user.find(marker="secret").type("pas-le-bon-code")
    user.find(marker="login").click()
    await user.should_see("Code animateur incorrect.", retries=LIVE)  # checked off the event loop
    await user.should_not_see(marker="current-panel")
    user.find(marker="secret").type(DEMO_SECRET)
    user.find(marker="login").click()
    await user.should_see(marker="current-panel", retries=LIVE)
    await user.should_see("Visions +21 : Amiens Métropole 2055")
    await user.should_see(d.join_code)


async def test_console_without_login_sends_to_the_login_page(demo, user: User) -> None:
    _, d = demo
    await user.open(f"/console/{d.seminar_id}")
    await user.should_see(marker="secret")
    await user.should_not_see(marker="current-panel")


async def test_logout_closes_the_console(demo, user: User) -> None:
    _, d = demo
    await _login(user, d.seminar_id)
    await user.open(f"/console/{d.seminar_id}/logout")
    await user.should_see(marker="secret")
    await user.open(f"/console/{d.seminar_id}")
    await user.should_see(marker="secret")


def test_login_only_sends_back_to_this_seminars_pages() -> None:
    assert safe_next(3, "/screen/3") == "/screen/3"
    assert safe_next(3, "/console/3") == "/console/3"
    assert safe_next(3, "/console/3/report") == "/console/3/report"
    assert safe_next(3, "/console/4/report") == "/console/3"
    assert safe_next(3, "/screen/4") == "/console/3"
    assert safe_next(3, "https://example.org/") == "/console/3"
    assert safe_next(3, "//example.org") == "/console/3"
    assert safe_next(3, "") == "/console/3"


def test_generated_facilitator_codes_are_easy_to_copy() -> None:
    codes = {generated_secret() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}", code)
        assert len(code) >= seminars.MIN_SECRET_LENGTH


async def test_advancing_from_the_console_changes_the_current_activity(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    before = activities.current_activity(db, sid)
    sheet = activities.list_activities(db, sid)
    expected = next(a for a in sheet if a.position > before.position and a.state is ActivityState.PENDING)
    await _login(user, sid)
    await user.should_see(before.title)
    user.find(marker="advance").click()
    await _eventually(lambda: activities.current_activity(db, sid).id == expected.id)
    with user.scope(marker="current-panel"):
        await user.should_see(expected.title, retries=LIVE)


async def test_pause_extend_and_close(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    current = activities.current_activity(db, sid)
    await _login(user, sid)
    user.find(marker="pause").click()
    await user.should_see(marker="resume", retries=LIVE)
    assert activities.current_activity(db, sid).paused_at is not None
    user.find(marker="resume").click()
    await user.should_see(marker="pause", retries=LIVE)
    user.find(marker="extend-10").click()
    await user.should_see("prolongée de 10 min", retries=LIVE)
    assert activities.current_activity(db, sid).extended_minutes == 10
    user.find(marker="close").click()
    await user.should_see(marker="start", retries=LIVE)
    assert activities.current_activity(db, sid) is None
    assert next(a for a in activities.list_activities(db, sid) if a.id == current.id).state is ActivityState.CLOSED


async def test_notes_and_lessons_are_saved(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    current = activities.current_activity(db, sid)
    await _login(user, sid)
    user.find(marker="notes").clear().type("La table Somme a manqué de temps.")
    user.find(marker="notes-save").click()
    await user.should_see("Notes enregistrées", retries=LIVE)
    assert activities.current_activity(db, sid).facilitator_notes == "La table Somme a manqué de temps."
    assert current.id == activities.current_activity(db, sid).id
    user.find(marker="lessons").type("Prévoir 10 minutes de plus pour la contextualisation.")
    user.find(marker="lessons-save").click()
    await user.should_see("Enseignements enregistrés", retries=LIVE)
    assert seminars.get_seminar_by_id(db, sid).lessons_learned == "Prévoir 10 minutes de plus pour la contextualisation."


async def test_a_participants_card_appears_in_moderation_without_reload(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    contribute = next(a for a in activities.list_activities(db, sid) if a.interaction is Interaction.CONTRIBUTE
                      and CardKind.THREAT.value in a.card_kinds)
    await _login(user, sid)
    await user.should_not_see("Sécheresses estivales sur les cultures maraîchères")
    activities.open_activity(db, sid, contribute.id)
    joined = participants.join(db, d.join_code, display_name="Zoé", college=College.RESIDENT)
    card = cards.contribute(db, joined.device_token, contribute.id, kind="threat",
                            text="Sécheresses estivales sur les cultures maraîchères")
    with user.scope(marker="moderation-list"):
        await user.should_see("Sécheresses estivales sur les cultures maraîchères", retries=LIVE)
    await user.should_see(marker=f"card-{card.id}")
    # the console followed the activity opened elsewhere
    with user.scope(marker="current-panel"):
        await user.should_see(contribute.title, retries=LIVE)


async def test_the_facilitator_corrects_a_whole_article_from_the_future(demo, user: User) -> None:
    """The console's edit dialog takes an article up to the article limit (as the phones do),
    not 500 characters: correcting a typo in a long article must not cut it."""
    db, d = demo
    sid = d.seminar_id
    article = cards.add_card(db, sid, kind=CardKind.VISION_ARTICLE,
                             text="Les bourgs font le plein\n3 avril 2055\n\n" + "Les écoles revivent. " * 60)
    await _login(user, sid)
    with user.scope(marker="moderation-list"):
        await user.should_see(marker=f"edit-{article.id}", retries=LIVE)
    user.find(marker=f"edit-{article.id}").click()
    await user.should_see(marker="card-edit-text", retries=LIVE)
    field = next(iter(user.find(marker="card-edit-text").elements))
    assert int(field.props["maxlength"]) == 5000
    corrected = article.text.replace("font le plein", "font salle comble")
    field.set_value(corrected)
    user.find(marker="card-edit-save").click()
    await _eventually(lambda: next(c for c in cards.list_cards(db, sid) if c.id == article.id).text == corrected)


async def test_hide_merge_and_undo_from_the_history(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    stakes = [c for c in cards.list_cards(db, sid, kinds=[CardKind.STAKE])]
    hide, keep, merged = stakes[2], stakes[3], stakes[4]
    await _login(user, sid)

    user.find(marker=f"hide-{hide.id}").click()
    await user.should_see(marker=f"unhide-{hide.id}", retries=LIVE)
    assert next(c for c in cards.list_cards(db, sid, include_hidden=True) if c.id == hide.id).hidden
    assert hide.id not in {c.id for c in cards.list_cards(db, sid)}, "hidden from the wall"

    user.find(marker=f"select-{keep.id}").click()
    user.find(marker=f"select-{merged.id}").click()
    await user.should_see("2\u00a0cartes sélectionnées")
    user.find(marker="merge").click()
    with user.scope(marker="moderation-list"):
        await user.should_not_see(marker=f"card-{merged.id}", retries=LIVE)
    assert merged.id not in {c.id for c in cards.list_cards(db, sid, include_hidden=True)}

    steps = cards.history(db, sid)
    merge_step = next(s for s in steps if s.action == "merge" and s.card_ids[0] == keep.id)
    hide_step = next(s for s in steps if s.action == "hide" and s.card_ids == [hide.id])
    with user.scope(marker="history"):
        await user.should_see(marker=f"split-{merge_step.id}", retries=LIVE)
        await user.should_see(marker=f"undo-{hide_step.id}")
    user.find(marker=f"split-{merge_step.id}").click()
    with user.scope(marker="moderation-list"):
        await user.should_see(marker=f"card-{merged.id}", retries=LIVE)
    user.find(marker=f"undo-{hide_step.id}").click()
    await user.should_see(marker=f"hide-{hide.id}", retries=LIVE)
    live = {c.id: c for c in cards.list_cards(db, sid, include_hidden=True)}
    assert merged.id in live and not live[hide.id].hidden
    assert all(s.undone_at is not None for s in cards.history(db, sid) if s.id in (merge_step.id, hide_step.id))


async def test_vote_progress_updates_live(demo, user: User) -> None:
    """A rating is answered, not voted: the console says « ont répondu » as the projector does
    (« 12 personnes ont répondu »), on the activity, once (not again over the participants' list)."""
    db, d = demo
    sid = d.seminar_id
    current = activities.current_activity(db, sid)
    assert current.interaction is Interaction.RATE
    total = sum(participants.count_participants(db, sid).values())
    already = len(votes.voters(db, sid, current.id))
    await _login(user, sid)
    await user.should_see(f"{already} sur {total} ont répondu")
    with user.scope(marker="people-panel"):
        await user.should_not_see("ont répondu")
    await user.should_see("Réponses ouvertes")
    await user.should_not_see("ont voté")
    await user.should_not_see("Votes ouverts")
    close = user.find(marker="close").elements.pop()
    joined = participants.join(db, d.join_code, display_name="Yann", college=College.ELECTED)
    threat = cards.list_cards(db, sid, kinds=[CardKind.THREAT])[0]
    votes.rate(db, joined.device_token, current.id, threat.id, current.criteria[0], 4)
    await user.should_see(f"{already + 1} sur {total + 1} ont répondu", retries=LIVE)
    # only the count changed: the buttons stay (a redraw would put new ones under the facilitator's
    # finger, fifty times a minute, and a click already sent to an old one would reach nothing)
    assert not close.is_deleted
    activities.extend(db, sid, current.id, 5)  # what the status shows changed: it is drawn again
    await user.should_see("prolongée de 5 min", retries=LIVE)
    assert close.is_deleted


async def test_reveal_results_changes_the_projector_state(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    assert screen.get_screen(db, sid).reveal_results is False
    await _login(user, sid)
    # the switch reveals a vote's, a rating's or a robustness test's results: not only « des votes »
    await user.should_see("Révéler les résultats")
    await user.should_not_see("Révéler les résultats des votes")
    user.find(marker="screen-reveal_results").click()
    await _eventually(lambda: screen.get_screen(db, sid).reveal_results is True)
    user.find(marker="view-wall").click()
    await _eventually(lambda: screen.get_screen(db, sid).view == "wall")
    await user.should_see("Ouvrir l'écran de projection")


async def test_the_projected_card_view_waits_for_a_card(demo, user: User) -> None:
    """« Carte projetée » with no card chosen put « Cette carte n'est plus affichée. » before the room:
    the button is greyed, saying where a card is chosen, until a card is projected from the list."""
    db, d = demo
    sid = d.seminar_id
    assert screen.get_screen(db, sid).focus_card_id is None
    await _login(user, sid)

    def card_view():
        return next(iter(user.find(marker="view-card").elements))

    assert not card_view().enabled
    assert card_view().props["title"].startswith("Aucune carte choisie\u00a0: projetez une carte")
    stake = cards.list_cards(db, sid, kinds=[CardKind.STAKE])[0]
    user.find(marker=f"project-{stake.id}").click()
    await _eventually(lambda: screen.get_screen(db, sid).focus_card_id == stake.id)
    for _ in range(LIVE):
        if card_view().enabled:
            break
        await asyncio.sleep(0.1)
    assert card_view().enabled and card_view().props["aria-checked"] == "true"
    await user.should_see(f"Carte projetée\u00a0: {stake.text}")


async def test_edit_a_pending_activity_from_the_run_sheet(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    pending = next(a for a in activities.list_activities(db, sid) if a.state is ActivityState.PENDING)
    await _login(user, sid)
    user.find(marker=f"edit-activity-{pending.id}").click()
    await user.should_see(marker="edit-activity-dialog", retries=LIVE)
    user.find(marker="edit-title").clear().type("Accueil réinventé")
    user.find(marker="edit-minutes").clear().type("42")
    user.find(marker="edit-save").click()
    with user.scope(marker="runsheet"):
        await user.should_see("Accueil réinventé", retries=LIVE)
    after = next(a for a in activities.list_activities(db, sid) if a.id == pending.id)
    assert (after.title, after.planned_minutes) == ("Accueil réinventé", 42)


async def test_add_then_remove_an_activity_from_the_console(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    before = [a.id for a in activities.list_activities(db, sid)]
    await _login(user, sid)
    user.find(marker="add-activity").click()
    await user.should_see(marker="add-activity-dialog")
    user.find(marker="add-title").type("Pause café prolongée")
    user.find(marker="add-minutes").type("20")
    user.find(marker="add-save").click()
    with user.scope(marker="runsheet"):
        await user.should_see("Pause café prolongée", retries=LIVE)
    added = next(a for a in activities.list_activities(db, sid) if a.title == "Pause café prolongée")
    assert added.planned_minutes == 20 and added.state is ActivityState.PENDING
    user.find(marker=f"remove-{added.id}").click()
    user.find(marker="remove-confirm").click()
    with user.scope(marker="runsheet"):
        await user.should_not_see("Pause café prolongée", retries=LIVE)
    assert [a.id for a in activities.list_activities(db, sid)] == before


async def test_a_started_activity_refuses_a_new_duration_in_french(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    current = activities.current_activity(db, sid)
    await _login(user, sid)
    user.find(marker=f"edit-activity-{current.id}").click()
    await user.should_see("seuls le titre et les consignes peuvent encore changer")
    user.find(marker="edit-title").clear().type("Menaces : probabilité et gravité")
    user.find(marker="edit-save").click()
    with user.scope(marker="current-panel"):
        await user.should_see("Menaces : probabilité et gravité", retries=LIVE)
    assert activities.current_activity(db, sid).planned_minutes == current.planned_minutes


async def test_tables_can_be_added_and_people_moved(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    await _login(user, sid)
    user.find(marker="new-group").type("Table Cathédrale")
    user.find(marker="add-group").click()

    def added():
        return next((g for g in seminars.get_seminar_by_id(db, sid).groups if g.name == "Table Cathédrale"), None)

    await _eventually(lambda: added() is not None)
    new_group = added()
    with user.scope(marker="groups"):
        await user.should_see(marker=f"group-{new_group.id}", retries=LIVE)
    person = participants.list_participants(db, sid)[0]
    with user:  # choosing an option of the person's "table" select
        for element in user.find(marker=f"move-{person.id}").elements:
            element.set_value(new_group.id)
    await _eventually(lambda: next(p for p in participants.list_participants(db, sid)
                                   if p.id == person.id).group_id == new_group.id)

    def shown_in_new_table() -> bool:
        [table] = user.find(marker=f"group-{new_group.id}").elements
        return any(getattr(e, "text", None) == person.display_name for e in table.descendants())

    await _eventually(shown_in_new_table)


async def test_a_person_is_offered_only_the_other_tables(demo, user: User) -> None:
    """Under « Table Somme », a person's « Déplacer » lists the other tables (and « Sans table »),
    not « Table Somme » again: it read the name of the table they were already under."""
    db, d = demo
    sid = d.seminar_id
    await _login(user, sid)
    groups = seminars.get_seminar_by_id(db, sid).groups
    person = next(p for p in participants.list_participants(db, sid) if p.group_id is not None)
    with user.scope(marker="groups"):
        await user.should_see(marker=f"move-{person.id}", retries=LIVE)
    [select] = user.find(marker=f"move-{person.id}").elements
    own = next(g.name for g in groups if g.id == person.group_id)
    offered = list(select.options.values())
    assert own not in offered
    assert offered == ["Sans table"] + [g.name for g in groups if g.id != person.group_id]
    assert select.props["display-value"] == "Déplacer"
    assert select.props["aria-label"] == f"Déplacer {person.display_name} vers une autre table"


async def test_creating_a_seminar_shows_the_codes_once(ui_db, user: User) -> None:
    await user.open("/animation")
    user.find("Créer un séminaire").click()
    await user.should_see("Nouveau séminaire")
    user.find(marker="new-title").type("Prospective Creil Sud Oise")
    user.find(marker="new-territory").type("Creil Sud Oise")
    user.find(marker="new-secret").type("secret-de-creil")
    user.find(marker="create").click()
    await user.should_see(marker="created-join-code", retries=LIVE)
    [summary] = seminars.list_seminars(ui_db)
    assert (summary.title, summary.territory) == ("Prospective Creil Sud Oise", "Creil Sud Oise")
    await user.should_see(summary.join_code)
    await user.should_see("secret-de-creil")
    await user.should_see("il ne sera plus jamais affiché")
    created = seminars.get_seminar_by_id(ui_db, summary.id)
    assert [g.name for g in created.groups] == ["Table 1", "Table 2", "Table 3", "Table 4"]
    seminars.check_facilitator(ui_db, summary.id, "secret-de-creil")
    user.find(marker="go-console").click()
    await user.should_see(marker="current-panel", retries=LIVE)
    await user.should_see("Prospective Creil Sud Oise")


async def test_creating_a_seminar_with_bad_input_shows_why_and_creates_nothing(ui_db, user: User) -> None:
    await user.open("/console/new")
    user.find(marker="new-territory").type("Creil Sud Oise")
    user.find(marker="create").click()
    await user.should_see("Le champ «\u00a0titre\u00a0» est obligatoire.")
    assert seminars.list_seminars(ui_db) == []
    user.find(marker="new-title").type("Prospective")
    user.find(marker="new-horizon").clear().type("2001")
    user.find(marker="create").click()
    await user.should_see("L'horizon doit être une année entre")
    user.find(marker="new-horizon").clear().type("2060")
    user.find(marker="new-secret").type("court")
    user.find(marker="create").click()
    await user.should_see("Le code animateur doit compter au moins 8 caractères.")
    assert seminars.list_seminars(ui_db) == []
    await user.should_not_see(marker="created-join-code")


async def test_one_word_each_counts_answers_as_the_projector_does(demo, user: User) -> None:
    """« Un mot chacun »: the console counts « 1 réponse », « 2 réponses », as the projector's word cloud
    says « 2 réponses · 2 mots différents » (it said « 2 contributions »)."""
    db, d = demo
    sid = d.seminar_id
    word = next(a for a in activities.list_activities(db, sid) if a.interaction is Interaction.WORD)
    activities.close_activity(db, sid, activities.current_activity(db, sid).id)
    activities.open_activity(db, sid, word.id)
    before = sum(1 for c in cards.list_cards(db, sid, include_hidden=True) if c.activity_id == word.id)
    await _login(user, sid)
    tablet = participants.join(db, d.join_code, display_name="Yves", college=College.RESIDENT)
    cards.contribute(db, tablet.device_token, word.id, kind="word", text="Solidaire")
    noun = "réponse" if before + 1 <= 1 else "réponses"
    with user.scope(marker="current-panel"):
        await user.should_see(f"{before + 1}\u00a0{noun}", retries=LIVE)
        await user.should_not_see(f"{before + 1}\u00a0contribution")


async def test_a_pending_activity_says_its_switch_applies_from_the_start(demo, user: User) -> None:
    """Before an activity starts, tablets can write nothing: its switch reads « Contributions ouvertes
    dès le démarrage », not « Contributions ouvertes » as if they could write now; started, it does."""
    db, d = demo
    sid = d.seminar_id
    activities.close_activity(db, sid, activities.current_activity(db, sid).id)
    pending = next(a for a in activities.list_activities(db, sid)
                   if a.interaction is Interaction.CONTRIBUTE and a.state is ActivityState.PENDING)
    await _login(user, sid)
    with user.scope(marker=f"activity-{pending.id}"):
        user.find(kind=ui.button, content=pending.title).click()
    with user.scope(marker="current-panel"):
        await user.should_see(pending.title, retries=LIVE)
        await user.should_see("Contributions ouvertes dès le démarrage")
    activities.open_activity(db, sid, pending.id)
    with user.scope(marker="current-panel"):
        await user.should_not_see("dès le démarrage", retries=LIVE)
        await user.should_see("Contributions ouvertes")


async def test_the_contribution_count_follows_the_cards_as_they_arrive(demo, user: User) -> None:
    """The open activity's "N contributions" changes with each card, without a reload."""
    db, d = demo
    sid = d.seminar_id
    contribute = next(a for a in activities.list_activities(db, sid) if a.interaction is Interaction.CONTRIBUTE)
    activities.open_activity(db, sid, contribute.id)
    await _login(user, sid)

    def shown() -> str:
        [label] = user.find(marker="cards-count").elements
        return label.text

    def in_db() -> int:
        return sum(1 for c in cards.list_cards(db, sid, include_hidden=True) if c.activity_id == contribute.id)

    before = in_db()
    await user.should_see(marker="cards-count")
    assert re.match(rf"^{before}\scontribution", shown())
    tablet = participants.join(db, d.join_code, display_name="Yves", college=College.RESIDENT)
    for n, text in enumerate(("Un marché couvert à Saint-Leu", "Des pistes cyclables continues"), 1):
        cards.contribute(db, tablet.device_token, contribute.id, kind="stake", text=text)
        await _eventually(lambda n=n: shown().startswith(f"{before + n}\u00a0contribution"))
    assert shown().startswith(f"{in_db()}\u00a0contribution")


async def test_one_start_button_before_an_activity_and_a_report_link(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    current = activities.current_activity(db, sid)
    activities.close_activity(db, sid, current.id)
    await _login(user, sid)
    await user.should_see(marker="start")
    await user.should_not_see(marker="advance")  # "Démarrer" the next activity says it all
    [link] = user.find(marker="report-link").elements
    assert link.props["href"] == f"/console/{sid}/report"
    assert link.text == "Rapport de capitalisation"  # the name the report page has (the method's word)


async def test_the_participants_panel_says_what_its_colours_mean(ui_db, user: User) -> None:
    """The coloured square beside each name is its collège: the panel names the collèges present
    (before, only a hover on a square said it), none that nobody is in, and a newcomer's at once."""
    created = seminars.create_seminar(ui_db, title="Légende", territory="Amiens Métropole", horizon_year=2055,
                                      run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(),
                                      facilitator_secret=DEMO_SECRET)
    sid = created.seminar_id
    seminars.set_joining_open(ui_db, sid, True)
    participants.join(ui_db, created.join_code, display_name="Amandine R.", college=College.ELECTED)
    participants.join(ui_db, created.join_code, display_name="Chantal P.", college=College.RESIDENT)
    await _login(user, sid)
    with user.scope(marker="college-legend"):
        await user.should_see("élu")
        await user.should_see("habitant")
        await user.should_not_see("expert")
        await user.should_not_see("technicien")
    participants.join(ui_db, created.join_code, display_name="Bastien L.", college=College.STAFF)
    with user.scope(marker="college-legend"):
        await user.should_see("technicien", retries=LIVE)


async def test_the_last_activity_has_one_close_button(demo, user: User) -> None:
    """The last activity open: « Clore » ends it; no « Clore la dernière activité » beside it doing the same."""
    db, d = demo
    sid = d.seminar_id
    last = activities.list_activities(db, sid)[-1]
    while activities.current_activity(db, sid).id != last.id:  # the seminar played to its last activity
        activities.advance(db, sid)
    await _login(user, sid)
    with user.scope(marker="current-panel"):
        await user.should_see(last.title)
        await user.should_see(marker="close")
        await user.should_not_see(marker="advance")
        await user.should_not_see("Clore la dernière activité")
    user.find(marker="close").click()
    await _eventually(lambda: activities.current_activity(db, sid) is None)
    with user.scope(marker="current-panel"):
        await user.should_see("terminée", retries=LIVE)
        await user.should_see(marker="start")  # « Rouvrir »


async def test_run_sheet_durations_read_as_french(demo, user: User) -> None:
    """A one-minute activity is « 1 min prévue », and whole hours read « 2 h », not « 2 h 00 »."""
    db, d = demo
    sid = d.seminar_id
    pending = [a for a in activities.list_activities(db, sid) if a.state is ActivityState.PENDING]
    planning.update_activity(db, sid, pending[0].id, minutes=1)
    await _login(user, sid)
    with user.scope(marker="runsheet"):
        await user.should_see("1\u00a0min prévue", retries=LIVE)  # the count stays with its unit
        await user.should_not_see("1\u00a0min prévues")
        await user.should_see("au programme")
    assert [hours_text(m) for m in (45, 60, 210)] == ["45 min", "1 h", "3 h 30"]


async def test_the_merge_bar_does_not_offer_to_merge_cards_of_different_kinds(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    stake = cards.list_cards(db, sid, kinds=[CardKind.STAKE])[0]
    threat = cards.list_cards(db, sid, kinds=[CardKind.THREAT])[0]
    other_stake = cards.list_cards(db, sid, kinds=[CardKind.STAKE])[1]
    await _login(user, sid)
    user.find(marker=f"select-{stake.id}").click()
    user.find(marker=f"select-{threat.id}").click()
    await user.should_see("2\u00a0cartes sélectionnées")
    await user.should_see("Seules des cartes du même type peuvent être fusionnées.")
    await user.should_not_see(marker="merge")
    await user.should_not_see(marker="merge-keep")
    user.find(marker=f"select-{threat.id}").click()
    user.find(marker=f"select-{other_stake.id}").click()
    await user.should_see(marker="merge")
    await user.should_not_see(marker="merge-refused")


def test_the_current_activity_line_says_plenary_once() -> None:
    """The console read « Jour 1 · plénière · écoute en plénière » over a closing debrief."""
    from types import SimpleNamespace

    from workshop.models import ActivityMode as Mode
    from workshop.ui.console.current import activity_meta

    talk = SimpleNamespace(day=1, mode=Mode.PLENARY, interaction=Interaction.PLENARY)
    assert activity_meta(talk) == "Jour 1 · plénière · écoute"
    vote = SimpleNamespace(day=2, mode=Mode.PLENARY, interaction=Interaction.DOT_VOTE)
    assert activity_meta(vote) == "Jour 2 · plénière · vote à gommettes"
