"""Participants' tablets, as simulated browsers see them: join, contribute, vote, follow the room live."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from nicegui import ui
from nicegui.testing import User

from workshop.content import default_kit, find_run_sheet
from workshop.models import CardKind, Interaction
from workshop.services import activities, cards, participants, planning, robustness, seminars, votes
from seminar_helpers import send_join_form

SECRET = "animation-2026"


@pytest.fixture
def seminar(ui_db):
    """A half-day seminar with two tables, nothing started yet."""
    return seminars.create_seminar(
        ui_db, title="Découverte Visions +21 : Creil Sud Oise", territory="Creil Sud Oise", horizon_year=2050,
        run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), day_dates=[date(2026, 12, 3)],
        group_names=["Table Oise", "Table Thérain"], facilitator_secret=SECRET,
    )


def open_activity(db, seminar_id: int, interaction: Interaction, kind: str | None = None) -> int:
    """Open the first activity of this interaction (and kind), as the facilitator's console would."""
    activity = next(a for a in activities.list_activities(db, seminar_id) if a.interaction is interaction
                    and (kind is None or kind in a.card_kinds))
    activities.open_activity(db, seminar_id, activity.id)
    return activity.id


def value_of(user: User, marker: str, value) -> None:
    """Choose a value in a select or toggle (what a tap on one of its options does)."""
    element = next(iter(user.find(marker=marker).elements))
    with user:
        element.value = value


async def notified(user: User, message: str, times: int = 1) -> None:
    """Wait until the tablet has shown this notification ``times`` times."""
    for _ in range(50):
        if user.notify.messages.count(message) >= times:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {message!r} {times} time(s), got {user.notify.messages}")


async def join(user: User, code: str, name: str, college: str = "resident", table: str | None = None) -> None:
    await user.open(f"/join/{code}")
    form = next(iter(user.find(marker="join-form").elements))
    group = next(g["value"] for g in form.props["groups"] if g["label"] == table) if table is not None else None
    send_join_form(user, name, college, group)
    # The join page becomes the tablet in place: wait until its activity panel is drawn.
    await user.should_see(marker="identity", retries=30)
    for _ in range(60):
        panels = user.find(marker="activity-panel").elements
        if panels and all(panel.default_slot.children for panel in panels):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the tablet's activity panel stayed empty")


async def test_several_participants_join_with_the_same_code(ui_db, seminar, create_user) -> None:
    alice, bruno = create_user(), create_user()
    await join(alice, seminar.join_code, "Alice", "elected", table="Table Oise")
    await join(bruno, seminar.join_code.lower(), "Bruno", "business")
    await alice.should_see("Alice · élu · Table Oise")
    await bruno.should_see("Bruno · acteur économique")
    await bruno.should_see("Le séminaire va bientôt commencer")
    await bruno.should_see("Découverte Visions +21 : Creil Sud Oise")
    assert participants.count_participants(ui_db, seminar.seminar_id) == {"elected": 1, "business": 1}
    # The facilitator seats Bruno at a table: his tablet shows it without a reload.
    table = seminars.get_seminar_by_id(ui_db, seminar.seminar_id).groups[1]
    bruno_id = next(p.id for p in participants.list_participants(ui_db, seminar.seminar_id) if p.display_name == "Bruno")
    seminars.move_participant(ui_db, seminar.seminar_id, bruno_id, table.id)
    await bruno.should_see("Bruno · acteur économique · Table Thérain", retries=30)
    await alice.should_see("Alice · élu · Table Oise")


async def test_identity_survives_reload_and_rejoining(ui_db, seminar, user: User) -> None:
    await join(user, seminar.join_code, "Chloé N.", "resident")
    await user.open(f"/tablet/{seminar.seminar_id}")  # reload
    await user.should_see("Chloé N. · habitant")
    await user.open(f"/join/{seminar.join_code}")  # the QR code scanned again: straight to the tablet
    await user.should_see("Chloé N. · habitant")
    await user.should_not_see(marker="join-form")
    seminars.set_joining_open(ui_db, seminar.seminar_id, False)  # even once joining has closed
    await user.open(f"/join/{seminar.join_code}")
    await user.should_see("Chloé N. · habitant")
    assert len(participants.list_participants(ui_db, seminar.seminar_id)) == 1


async def test_a_late_arrival_is_told_joining_is_closed(ui_db, seminar, user: User) -> None:
    message = "Ce code ne correspond à aucun séminaire ouvert. Vérifiez-le sur l'écran de projection ou auprès de l'équipe d'animation."
    await user.open("/join/ZZZZ99")
    await user.should_see("Code introuvable")
    await user.should_see(message)
    seminars.set_joining_open(ui_db, seminar.seminar_id, False)
    await user.open(f"/join/{seminar.join_code}")
    await user.should_see("Inscriptions closes")
    await user.should_see("Les inscriptions à ce séminaire sont closes", )
    await user.should_not_see("Code introuvable")
    await user.should_not_see(marker="join-form")


async def test_tablet_without_identity_offers_to_join(ui_db, seminar, user: User) -> None:
    await user.open(f"/tablet/{seminar.seminar_id}")
    await user.should_see("Cet appareil n'a pas encore rejoint ce séminaire.")
    await user.should_see("tapez son code (sur l'écran de projection ou auprès de l'équipe d'animation)")
    # Never the join code: /tablet/1, /tablet/2… would otherwise hand out every seminar's code.
    await user.should_not_see(seminar.join_code)


async def test_join_requires_a_name_and_a_college(ui_db, seminar, user: User) -> None:
    await user.open(f"/join/{seminar.join_code}")
    send_join_form(user, "", None)
    await user.should_see("Choisissez votre collège.")
    send_join_form(user, "", "staff")
    await user.should_see("Le champ «\u00a0nom affiché\u00a0» est obligatoire.")
    assert participants.list_participants(ui_db, seminar.seminar_id) == []


async def test_the_join_form_is_one_element_in_the_language_of_the_page(ui_db, seminar, user: User) -> None:
    """Drawn in the browser (join_form.js) from what the server gives it, in French then in English."""
    await user.open(f"/join/{seminar.join_code}")
    for text in ("Découverte Visions +21 : Creil Sud Oise", "Bienvenue\u00a0!",
                 "Présentez-vous en quelques secondes pour participer.", "Votre prénom ou nom à afficher",
                 "Votre collège", "Les résultats peuvent être lus par collège.", "Votre table (facultatif)",
                 "Je ne sais pas encore", "Entrer dans le séminaire", "Vos données personnelles", "FR", "EN"):
        await user.should_see(text)
    [form] = user.find(marker="join-form").elements
    assert form.props["colleges"][:2] == [{"value": "elected", "label": "Élu"},
                                          {"value": "staff", "label": "Technicien"}]
    assert [g["label"] for g in form.props["groups"]] == ["Je ne sais pas encore", "Table Oise", "Table Thérain"]
    assert form.props["maxlength"] == 60 and form.props["texts"]["college_required"] == "Choisissez votre collège."
    assert [(x["label"], x["chosen"]) for x in form.props["languages"]] == [("FR", True), ("EN", False)]
    assert not [e for e in user.client.elements.values() if isinstance(e, (ui.input, ui.select, ui.button))]
    user.find(marker="join-form").trigger("language", "en")
    await user.should_see("Welcome!", retries=30)
    for text in ("Introduce yourself in a few seconds to take part.", "Your first name or display name",
                 "Your collège", "I don't know yet", "Enter the seminar", "Your personal data"):
        await user.should_see(text)
    [form] = user.find(marker="join-form").elements
    assert form.props["colleges"][0] == {"value": "elected", "label": "Elected official"}
    assert [(x["label"], x["chosen"]) for x in form.props["languages"]] == [("FR", False), ("EN", True)]


async def test_a_forged_join_message_is_refused_in_french_and_writes_nothing(ui_db, seminar, user: User) -> None:
    """What the form sends is checked by the server as the form checks it: a message no form
    sends gets the same French sentence as the form's own mistakes, and nobody joins."""
    other = seminars.create_seminar(
        ui_db, title="Un autre séminaire", territory="Amiens", horizon_year=2050,
        run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), day_dates=[date(2026, 12, 3)],
        group_names=["Table Ailleurs"], facilitator_secret=SECRET)
    elsewhere = seminars.get_seminar_by_id(ui_db, other.seminar_id).groups[0].id
    mine = seminars.get_seminar_by_id(ui_db, seminar.seminar_id).groups[0].id
    no_name = "Le champ «\u00a0nom affiché\u00a0» est obligatoire."
    no_table = "Introuvable\u00a0: table."
    await user.open(f"/join/{seminar.join_code}")
    for args, message in [
        # the service's sentence (a value that is no word of the catalogue is shown as it was given)
        ({"name": "Alice", "college": "maire", "group": None}, "Collège inconnu\u00a0: maire."),
        ({"name": "Alice", "college": "elected", "group": elsewhere}, no_table),
        ({"name": "A" * 61, "college": "elected", "group": None},
         "Le champ «\u00a0nom affiché\u00a0» est trop long (61 caractères, 60 au plus)."),
        ({}, "Choisissez votre collège."),
        ({"college": "elected"}, no_name),
        ({"name": 42, "college": "elected"}, no_name),
        ({"name": "Alice", "college": ["elected"]}, "Choisissez votre collège."),
        ({"name": "Alice", "college": "elected", "group": str(mine)}, no_table),
        ({"name": "Alice", "college": "elected", "group": True}, no_table),
        ({"name": "Alice", "college": "elected", "group": 2 ** 70}, no_table),
        ("Alice", "Choisissez votre collège."),
    ]:
        before = user.notify.messages.count(message)
        user.find(marker="join-form").trigger("join", args)
        await notified(user, message, before + 1)
    assert participants.list_participants(ui_db, seminar.seminar_id) == []
    assert participants.list_participants(ui_db, other.seminar_id) == []
    send_join_form(user, "Alice", "elected", mine)  # the form is still there, and a right message joins
    await user.should_see("Alice · élu · Table Oise", retries=30)


async def test_a_second_tap_on_the_join_button_joins_once(ui_db, seminar, user: User) -> None:
    await user.open(f"/join/{seminar.join_code}")
    send_join_form(user, "Bruno", "business")
    send_join_form(user, "Bruno", "business")  # sent before the first one is answered
    await user.should_see("Bruno · acteur économique", retries=30)
    await asyncio.sleep(0.3)
    assert [p.display_name for p in participants.list_participants(ui_db, seminar.seminar_id)] == ["Bruno"]


async def test_contribute_with_a_prompt_and_see_it_in_my_contributions(ui_db, seminar, user: User) -> None:
    activity_id = open_activity(ui_db, seminar.seminar_id, Interaction.CONTRIBUTE, "stake")
    await join(user, seminar.join_code, "Karim T.", "staff")
    await user.should_see("Enjeux, menaces et ressources du territoire")
    await user.should_see("Besoin d'idées\u00a0? 13\u00a0amorces")
    user.find("Accès aux services de santé en zone rurale").click()  # a prompt card of the kit
    user.find(marker="submit").click()
    await user.should_see("Contribution enregistrée")
    await user.should_see("Mes contributions (1)")  # the section is drawn again after the toast: enter the new one
    with user.scope(marker="mine"):
        await user.should_see("Accès aux services de santé en zone rurale")
    [card] = cards.list_cards(ui_db, seminar.seminar_id)
    assert card.source == "Amorces d'enjeux" and card.theme_id is not None and card.activity_id == activity_id

    value_of(user, "kind", "threat")
    await user.should_see("Votre menace")
    user.find(marker="text").type("Crues plus fréquentes de l'Oise")
    user.find(marker="submit").click()
    await notified(user, "Contribution enregistrée", 2)
    await user.should_see("Mes contributions (2)")
    with user.scope(marker="mine"):
        await user.should_see("Crues plus fréquentes de l'Oise")
    kinds = sorted(c.kind.value for c in cards.list_cards(ui_db, seminar.seminar_id))
    assert kinds == ["stake", "threat"]
    new = next(c for c in cards.list_cards(ui_db, seminar.seminar_id) if c.kind is CardKind.THREAT)
    assert new.source == "" and new.request_id  # the prompt's source did not stick to a card typed by hand


async def test_a_retried_send_does_not_duplicate(ui_db, seminar, user: User) -> None:
    open_activity(ui_db, seminar.seminar_id, Interaction.CONTRIBUTE, "stake")
    await join(user, seminar.join_code, "Léa F.")
    user.find(marker="text").type("Des mobilités douces entre les bourgs")
    user.find(marker="submit").click()
    user.find(marker="submit").click()  # double tap while the first send is running
    await user.should_see("Contribution enregistrée")
    user.find(marker="submit").click()  # the form was emptied: nothing to send
    await user.should_see("Votre carte est vide\u00a0: écrivez votre enjeu avant de l'envoyer.")
    assert len(cards.list_cards(ui_db, seminar.seminar_id)) == 1


async def test_a_new_card_never_inherits_the_previous_theme(ui_db, seminar, user: User) -> None:
    sid = seminar.seminar_id
    open_activity(ui_db, sid, Interaction.CONTRIBUTE, "threat")
    await join(user, seminar.join_code, "Noé T.")
    themes = {t.key: t.id for t in seminars.get_seminar_by_id(ui_db, sid).themes}
    theme_field = lambda: next(iter(user.find(marker="theme").elements))  # noqa: E731
    culture = next(k for k in themes if "culture" in k)
    # a stake filed under a theme…
    value_of(user, "theme", culture)
    user.find(marker="text").type("Une médiathèque dans chaque bourg")
    user.find(marker="submit").click()
    await user.should_see("Contribution enregistrée")
    # …the next card starts with no theme
    assert theme_field().value == ""
    # a theme chosen, then the kind switched: the theme goes too
    value_of(user, "theme", culture)
    value_of(user, "kind", "threat")
    assert theme_field().value == ""
    user.find(marker="text").type("Fermeture des petites écoles")
    user.find(marker="submit").click()
    await notified(user, "Contribution enregistrée", times=2)
    threat = next(c for c in cards.list_cards(ui_db, sid) if c.kind.value == "threat")
    assert threat.theme_id is None
    stake = next(c for c in cards.list_cards(ui_db, sid) if c.kind.value == "stake")
    assert stake.theme_id == themes[culture]


async def writing_an_article(db, user: User):
    """Inès on her phone at « Écrire le scénario souhaitable » (un jour et demi): the seminar created."""
    created = seminars.create_seminar(
        db, title="Séminaire Amiens", territory="Amiens Métropole", horizon_year=2055,
        run_sheet=find_run_sheet("un-jour-et-demi"), kit=default_kit(), facilitator_secret=SECRET)
    open_activity(db, created.seminar_id, Interaction.CONTRIBUTE, "vision_article")
    await join(user, created.join_code, "Inès B.")
    return created


async def test_an_article_from_the_future_is_written_in_a_page_not_a_line(ui_db, user: User) -> None:
    """« Écrire le scénario souhaitable » asks for an article (a title, a date, details, witnesses):
    the phone offers a tall field that grows, up to the article limit, not a one-line field
    capped at 500 characters; the article is kept with its paragraphs."""
    created = await writing_an_article(ui_db, user)
    await user.should_see("Votre article du futur")
    field = next(iter(user.find(marker="text").elements))
    assert isinstance(field, ui.textarea)
    assert int(field.props["maxlength"]) == 5000 and "autogrow" in field.props
    assert field.props["input-style"] == "min-height: 12em"  # a page to write in, from the start
    assert field.props["placeholder"].startswith("Un titre, une date, puis l'article")
    article = "Amiens, ville cyclable de l'année\n12 mai 2055\n\n" + "Les bourgs respirent enfin. " * 40
    user.find(marker="text").type(article)
    user.find(marker="submit").click()
    await user.should_see("Contribution enregistrée")
    [card] = cards.list_cards(ui_db, created.seminar_id)
    assert card.kind is CardKind.VISION_ARTICLE and card.text == article.strip() and len(card.text) > 1000


async def test_contribution_when_closed_shows_the_french_error(ui_db, seminar, user: User, monkeypatch) -> None:
    activity_id = open_activity(ui_db, seminar.seminar_id, Interaction.CONTRIBUTE, "stake")
    await join(user, seminar.join_code, "Paul H.")
    user.find(marker="text").type("Garder des médecins dans les bourgs")
    # The facilitator closes contributions while this tablet is still showing the form
    # (the live update has not arrived yet): the service refuses, the tablet says why.
    monkeypatch.setattr(activities, "publish", lambda *a, **k: None)
    activities.set_contributions_open(ui_db, seminar.seminar_id, activity_id, False)
    user.find(marker="submit").click()
    await user.should_see("Les contributions sont fermées pour «\u00a0Enjeux, menaces et ressources du territoire\u00a0».")
    assert cards.list_cards(ui_db, seminar.seminar_id) == []
    monkeypatch.undo()
    # With the live update the form says so itself, and keeps what was typed.
    activities.set_contributions_open(ui_db, seminar.seminar_id, activity_id, True)
    activities.set_contributions_open(ui_db, seminar.seminar_id, activity_id, False)
    await user.should_see("Les contributions sont fermées pour cette activité.", retries=20)
    text = next(iter(user.find(marker="text").elements))
    assert text.value == "Garder des médecins dans les bourgs" and not text.enabled


async def vote_panel(user: User):
    """The dot-vote panel element (drawn in the browser from its props), once it is on the page."""
    await user.should_see(marker="vote-panel", retries=30)
    return next(iter(user.find(marker="vote-panel").elements))


async def tap(user: User, panel, card_id, delta, remaining: str | None = None) -> None:
    """What a tap on "+" (delta 1) or "−" (-1) of a card sends; then wait for the budget line."""
    user.find(marker="vote-panel").trigger("tap", {"card": card_id, "delta": delta})
    for _ in range(60):
        if remaining is None or panel.props["remaining_text"] == remaining:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {remaining!r}, the tablet shows {panel.props['remaining_text']!r}")


async def test_dot_vote_budget_always_shown_and_enforced(ui_db, seminar, user: User) -> None:
    sid = seminar.seminar_id
    texts = ("Accès aux soins", "Revitaliser les centres-bourgs", "Mobilités sans voiture")
    ids = [cards.add_card(ui_db, sid, kind="stake", text=text).id for text in texts]
    activity_id = open_activity(ui_db, sid, Interaction.DOT_VOTE, "stake")  # 3 dots, 2 at most per card
    await join(user, seminar.join_code, "Fatou K.")
    panel = await vote_panel(user)
    assert panel.props["remaining_text"] == "Il vous reste 3\u00a0gommettes sur 3"
    assert panel.props["max_text"] == "2 au plus par carte"
    assert panel.props["live"] is True and panel.props["budget"] == 3 and panel.props["max_per_card"] == 2
    rows = {row["id"]: row for row in panel.props["cards"]}
    assert set(rows) == set(ids)
    assert rows[ids[0]]["plus"] == "Ajouter une gommette à «\u00a0Accès aux soins\u00a0»"
    assert rows[ids[0]]["minus"] == "Retirer une gommette de «\u00a0Accès aux soins\u00a0»"
    assert panel.props["count_labels"][:3] == ["0\u00a0gommette", "1\u00a0gommette", "2\u00a0gommettes"]
    await tap(user, panel, ids[0], -1)  # no dot to take back: nothing happens
    await tap(user, panel, ids[0], +1, "Il vous reste 2\u00a0gommettes sur 3")
    assert panel.props["dots"] == {str(ids[0]): 1}
    await tap(user, panel, ids[0], +1, "Il vous reste 1\u00a0gommette sur 3")
    await tap(user, panel, ids[0], +1)
    await notified(user, "Au plus 2 gommettes par carte.")
    await tap(user, panel, ids[1], +1, "Toutes vos gommettes sont placées (3 sur 3)")
    await tap(user, panel, ids[2], +1)
    await notified(user, "Vous avez placé toutes vos gommettes (3 sur 3)\u00a0: retirez-en une d'une autre carte "
                         "pour la mettre ici.")
    await tap(user, panel, ids[0], -1, "Il vous reste 1\u00a0gommette sur 3")
    assert panel.props["dots"] == {str(ids[0]): 1, str(ids[1]): 1}
    # What no tablet sends is ignored: a card not on the panel, a jump of several dots, a forged shape.
    await tap(user, panel, 999_999, +1)
    await tap(user, panel, ids[2], +3)
    await tap(user, panel, str(ids[2]), +1)
    await asyncio.sleep(0.3)
    [first, second] = sorted(votes.tally(ui_db, sid, activity_id), key=lambda t: t.card_id)
    assert (first.card_id, first.dots, second.card_id, second.dots) == (ids[0], 1, ids[1], 1)
    assert panel.props["remaining_text"] == "Il vous reste 1\u00a0gommette sur 3"
    await user.open(f"/tablet/{sid}")  # a reload shows the dots already placed
    panel = await vote_panel(user)
    assert panel.props["remaining_text"] == "Il vous reste 1\u00a0gommette sur 3"
    assert panel.props["dots"] == {str(ids[0]): 1, str(ids[1]): 1}


async def test_panel_follows_the_facilitator_without_reload(ui_db, seminar, user: User) -> None:
    sid = seminar.seminar_id
    await join(user, seminar.join_code, "Émile C.")
    await user.should_see("Le séminaire va bientôt commencer")
    activities.advance(ui_db, sid)  # welcome (plenary)
    await user.should_see("Accueil et présentation de la démarche", retries=30)
    await user.should_not_see("Le séminaire va bientôt commencer")
    # a welcome has nothing to type: the tablet says so, and shows no empty wall
    await user.should_see(marker="oral")
    # said for a phone as for a tablet: most people hold a phone, which « la tablette » did not name
    await user.should_see("Rien à saisir ici.")
    await user.should_not_see("Le mur est encore vide.")
    activities.advance(ui_db, sid)  # one word for the territory
    await user.should_see("Un mot pour votre territoire à l'horizon", retries=30)
    user.find(marker="word").type("Solidaire")
    user.find(marker="submit").click()
    await user.should_see("Mot enregistré", retries=20)
    current = activities.current_activity(ui_db, sid)
    activities.pause(ui_db, sid, current.id)
    await user.should_see("Activité en pause. Vous pourrez reprendre dans un instant.", retries=30)
    activities.resume(ui_db, sid, current.id)
    await user.should_not_see(marker="paused", retries=30)
    activities.close_activity(ui_db, sid, current.id)
    await user.should_see("En attente de la prochaine activité…", retries=30)
    await user.should_see("À suivre\u00a0: Enjeux, menaces et ressources du territoire")


async def test_the_end_of_the_seminar_has_its_own_screen(ui_db, seminar, user: User) -> None:
    sid = seminar.seminar_id
    await join(user, seminar.join_code, "Fanny D.")
    for _ in activities.list_activities(ui_db, sid):
        activities.advance(ui_db, sid)
    last = activities.current_activity(ui_db, sid)
    assert last is not None and last.id == activities.list_activities(ui_db, sid)[-1].id
    activities.close_activity(ui_db, sid, last.id)
    await user.should_see("Merci pour votre participation\u00a0!", retries=30)
    await user.should_see("Et ensuite\u00a0?")
    await user.should_see(marker="next-steps")
    # nothing was written, voted or linked: the phone says so no more than the projector does
    await user.should_see("Le séminaire a son rapport de capitalisation.")
    await user.should_not_see("écrit, voté et relié")
    await user.should_see("transmet aux participants et au territoire", retries=5)
    await user.should_not_see("Le séminaire va bientôt commencer")
    await user.should_not_see("En attente de la prochaine activité…")


async def test_wall_updates_in_place_during_a_plenary(ui_db, seminar, user: User) -> None:
    sid = seminar.seminar_id
    cards.add_card(ui_db, sid, kind="stake", text="Accès aux soins")
    open_activity(ui_db, sid, Interaction.PLENARY, "stake")  # pooling: the wall of stakes, threats, resources
    await join(user, seminar.join_code, "Marc V.")
    await user.should_see("Accès aux soins")
    hidden = cards.add_card(ui_db, sid, kind="threat", text="Fermeture de la maternité")
    await user.should_see("Fermeture de la maternité", retries=30)
    cards.set_hidden(ui_db, sid, hidden.id, True)
    await user.should_not_see("Fermeture de la maternité", retries=30)


async def test_edit_and_withdraw_own_card_after_confirmation(ui_db, seminar, user: User) -> None:
    open_activity(ui_db, seminar.seminar_id, Interaction.CONTRIBUTE, "stake")
    await join(user, seminar.join_code, "Nadia B.", "elected")
    user.find(marker="text").type("Des comerces dans les bourgs")
    user.find(marker="submit").click()
    await user.should_see(marker="edit", retries=20)
    user.find(marker="edit").click()
    user.find(marker="edit-text").clear().type("Des commerces dans les bourgs")
    user.find(marker="edit-save").click()
    await user.should_see("Modification enregistrée", retries=20)
    [card] = cards.list_cards(ui_db, seminar.seminar_id)
    assert card.text == "Des commerces dans les bourgs"
    user.find(marker="withdraw").click()
    await user.should_see("Retirer cette contribution\u00a0?")
    assert cards.list_cards(ui_db, seminar.seminar_id)  # nothing happens before the confirmation
    user.find(marker="withdraw-confirm").click()
    await user.should_see("Contribution retirée", retries=20)
    assert cards.list_cards(ui_db, seminar.seminar_id) == []
    await user.should_see("Mes contributions (0)")


async def test_own_cards_lose_their_edit_buttons_while_contributions_are_closed(ui_db, seminar, user: User) -> None:
    activity_id = open_activity(ui_db, seminar.seminar_id, Interaction.CONTRIBUTE, "stake")
    await join(user, seminar.join_code, "Nadia B.", "elected")
    user.find(marker="text").type("Des commerces dans les bourgs")
    user.find(marker="submit").click()
    await user.should_see(marker="edit", retries=20)
    activities.set_contributions_open(ui_db, seminar.seminar_id, activity_id, False)
    await user.should_see("Les contributions sont fermées pour cette activité.", retries=30)
    await user.should_not_see(marker="edit", retries=30)
    await user.should_not_see(marker="withdraw")
    await user.should_see("Des commerces dans les bourgs")
    activities.set_contributions_open(ui_db, seminar.seminar_id, activity_id, True)
    await user.should_see(marker="edit", retries=30)


async def test_rating_robustness_and_links(ui_db, user: User) -> None:
    from workshop.demo import build_demo

    demo = build_demo(ui_db)  # in progress: threats being rated
    await join(user, demo.join_code, "Thomas J.", "expert")
    await user.should_see("Notes données\u00a0: 0 sur 14", retries=20)
    threat = next(c for c in cards.list_cards(ui_db, demo.seminar_id, kinds=[CardKind.THREAT]))
    value_of(user, f"rate-{threat.id}-likelihood", 4)
    await user.should_see("Notes données\u00a0: 1 sur 14", retries=20)
    await user.should_see("Note enregistrée")
    await user.open(f"/tablet/{demo.seminar_id}")
    await user.should_see("Notes données\u00a0: 1 sur 14")
    value = next(iter(user.find(marker=f"rate-{threat.id}-likelihood").elements)).value
    assert value == 4

    challenge = cards.add_card(ui_db, demo.seminar_id, kind="challenge", text="Comment soigner tout le monde ?")
    action = cards.add_card(ui_db, demo.seminar_id, kind="current_action", text="Contrat local de santé")
    open_activity(ui_db, demo.seminar_id, Interaction.ROBUSTNESS)
    await user.should_see(marker="challenge", retries=30)
    value_of(user, "challenge", challenge.id)
    value_of(user, "action", action.id)
    user.find(marker="verdict-bends").click()
    user.find(marker="reason").type("Trop peu de médecins")
    # the phone counts the participant's own answers, in words of its own: « Paires évaluées » is the
    # projector's count of the pairs the whole room has rated (« 3 paires évaluées sur 9 »)
    await user.should_see("Vos avis donnés\u00a0: 0 sur ", retries=20)
    user.find(marker="save").click()
    await user.should_see("Avis enregistré", retries=20)
    await user.should_see("Vos avis donnés\u00a0: 1 sur ", retries=20)
    await user.should_not_see("Paires évaluées")
    [cell] = robustness.matrix(ui_db, demo.seminar_id)
    assert cell.counts["bends"] == 1 and cell.reasons == ["Trop peu de médecins"]

    open_activity(ui_db, demo.seminar_id, Interaction.LINK)
    await user.should_see(marker="source", retries=30)
    value_of(user, "source", action.id)
    value_of(user, "target", challenge.id)
    with user:
        relation = next(iter(user.find(marker="relation").elements))
        assert set(relation.options) == {"supports", "leads_to"}
    value_of(user, "relation", "supports")
    user.find(marker="submit").click()
    await user.should_see("Lien proposé à l'animation", retries=20)


async def test_english_tablet(ui_db, seminar, user: User) -> None:
    await join(user, seminar.join_code, "Anne")
    user.find("EN").click()
    await user.should_see("The seminar will start soon", retries=30)
    await user.should_see("Anne · resident")


async def test_english_tablet_stays_english_on_live_updates(ui_db, seminar, user: User) -> None:
    """What the facilitator opens arrives by the live hub, outside any request: still in English."""
    sid = seminar.seminar_id
    cards.add_card(ui_db, sid, kind="stake", text="Accès aux soins")
    await join(user, seminar.join_code, "Anne")
    user.find("EN").click()
    await user.should_see("The seminar will start soon", retries=30)
    open_activity(ui_db, sid, Interaction.DOT_VOTE, "stake")
    await user.should_see("Tap +\u00a0to place a dot, −\u00a0to take it back.", retries=30)  # each sign kept with its verb
    await user.should_not_see("Touchez +\u00a0pour placer une gommette")


async def test_a_card_written_while_the_tablet_opens_is_on_its_wall(ui_db, seminar, user: User, monkeypatch) -> None:
    """The tablet reads what it shows first, then builds itself: a card added meanwhile (another
    table writing at the same moment) must not be missing from its wall until the next change."""
    from workshop.ui.tablet import view

    sid = seminar.seminar_id
    cards.add_card(ui_db, sid, kind="stake", text="Accès aux soins")
    open_activity(ui_db, sid, Interaction.PLENARY, "stake")
    read = view._opening

    def read_then_a_card_arrives(*args):
        opening = read(*args)  # what the tablet will show: one card
        cards.add_card(ui_db, sid, kind="threat", text="Fermeture de la maternité")  # published meanwhile
        return opening

    monkeypatch.setattr(view, "_opening", read_then_a_card_arrives)
    await join(user, seminar.join_code, "Léa P.")
    await user.should_see("Accès aux soins")
    await user.should_see("Fermeture de la maternité", retries=30)


async def test_a_room_joining_at_once_reads_the_wall_once_and_sees_new_cards(ui_db, seminar, create_user,
                                                                              monkeypatch) -> None:
    """Tablets joining one after another share one read of the open activity and its cards (a room
    joins within a minute); a card added meanwhile is on the wall of the next tablet to join."""
    from workshop.ui.tablet import data, view

    monkeypatch.setattr(view, "OPENING_SECONDS", 600.0)  # a slow machine: the share is not timed here
    sid = seminar.seminar_id
    first = cards.add_card(ui_db, sid, kind="stake", text="Accès aux soins").id
    open_activity(ui_db, sid, Interaction.DOT_VOTE, "stake")
    reads: list[tuple] = []
    load = data.load_cards

    def counted(*args):
        reads.append(args)
        return load(*args)

    monkeypatch.setattr(data, "load_cards", counted)
    tablets = [create_user() for _ in range(4)]
    for n, tablet in enumerate(tablets[:3]):
        await join(tablet, seminar.join_code, f"Tablette {n}")
        assert [row["id"] for row in (await vote_panel(tablet)).props["cards"]] == [first]
    assert len(reads) == 1
    second = cards.add_card(ui_db, sid, kind="stake", text="Mobilités sans voiture").id
    await join(tablets[3], seminar.join_code, "Tablette 3")
    shown = {row["id"] for row in (await vote_panel(tablets[3])).props["cards"]}
    assert shown == {first, second}


async def test_a_sent_card_is_acknowledged_even_if_the_activity_is_redrawn_meanwhile(ui_db, seminar, user: User,
                                                                                    monkeypatch) -> None:
    """The facilitator corrects the instructions while « Envoyer » waits for its service: the
    tablet's panel is drawn again (its button with it), and the toast still shows."""
    from test_ui_sorting import _PageNotify, held

    sid = seminar.seminar_id
    activity_id = open_activity(ui_db, sid, Interaction.CONTRIBUTE, "stake")
    user.notify = _PageNotify()
    await join(user, seminar.join_code, "Léa F.")
    user.find(marker="text").type("Des mobilités douces entre les bourgs")
    sending, go_on = held(monkeypatch, cards, "contribute")
    user.find(marker="submit").click()
    for _ in range(50):
        if sending.is_set():
            break
        await asyncio.sleep(0.1)
    assert sending.is_set()
    planning.update_activity(ui_db, sid, activity_id, participant_instructions="Une carte par enjeu, en une phrase.")
    await user.should_see("Une carte par enjeu, en une phrase.")
    go_on.set()
    await notified(user, "Contribution enregistrée")
    assert [c.text for c in cards.list_cards(ui_db, sid)] == ["Des mobilités douces entre les bourgs"]


async def test_texts_name_the_seminars_horizon_and_keep_colons_with_their_words(ui_db, user: User) -> None:
    """« à l'horizon 2055 » rather than « à l'horizon du séminaire », and « : » never starts a line."""
    created = seminars.create_seminar(
        ui_db, title="Horizon 2055", territory="Amiens Métropole", horizon_year=2055,
        run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), facilitator_secret=SECRET)
    sid = created.seminar_id
    await join(user, created.join_code, "Inès B.")
    activities.advance(ui_db, sid)  # welcome
    activities.advance(ui_db, sid)  # one word for the territory
    await user.should_see("Un mot pour votre territoire à l'horizon\u00a02055", retries=30)
    await user.should_see("quand vous pensez à votre territoire à l'horizon\u00a02055\u00a0? Saisissez un seul mot")
    await user.should_not_see("{horizon}")
    for _ in range(4):  # to the synthesis, a plenary whose instructions the tablet shows
        activities.advance(ui_db, sid)
    await user.should_see("Synthèse et suites possibles", retries=30)
    await user.should_see("Voici ce que nous avons produit en une demi-journée\u00a0: les enjeux du territoire")


async def test_the_instructions_keep_a_verb_with_its_pronoun(ui_db, seminar, user: User) -> None:
    """« Placez-les » ended a line after « Placez- » on a phone: the tablet writes it with a no-break
    hyphen (U+2011), as the instructions of the run sheet, where it is a plain one, are shown."""
    sid = seminar.seminar_id
    cards.add_card(ui_db, sid, kind="stake", text="Accès aux soins")
    open_activity(ui_db, sid, Interaction.DOT_VOTE, "stake")
    assert "Placez-les" in activities.current_activity(ui_db, sid).participant_instructions
    await join(user, seminar.join_code, "Yves D.")
    await vote_panel(user)
    [label] = user.find(marker="instructions").elements
    assert "Placez\u2011les sur les enjeux" in label.text
    assert "-les" not in label.text


async def test_the_waiting_screen_does_not_say_the_seminars_title_again(ui_db, seminar, user: User) -> None:
    """The header says the seminar's title; the waiting screen under it said it a second time, a
    phone's three lines for nothing."""
    await join(user, seminar.join_code, "Émile C.")
    await user.should_see("Le séminaire va bientôt commencer")
    title = "Découverte Visions +21 : Creil Sud Oise"
    shown = [e for e in user.find(title).elements if getattr(e, "text", None) == title]
    assert len(shown) == 1, shown


async def test_a_judged_pair_says_its_verdict_and_the_button_offers_a_change(ui_db, user: User) -> None:
    """After « Enregistrer mon avis » the button still said so: once this person's verdict for the
    pair is recorded, the tablet says which one and the button reads « Modifier mon avis »; another
    pair, not yet judged, is back to « Enregistrer mon avis »."""
    from workshop.demo import build_demo

    demo = build_demo(ui_db)
    challenge = cards.add_card(ui_db, demo.seminar_id, kind="challenge", text="Comment soigner tout le monde ?")
    action = cards.add_card(ui_db, demo.seminar_id, kind="current_action", text="Contrat local de santé")
    other = cards.add_card(ui_db, demo.seminar_id, kind="current_action", text="Maison de santé")
    open_activity(ui_db, demo.seminar_id, Interaction.ROBUSTNESS)
    await join(user, demo.join_code, "Thomas J.", "expert")
    await user.should_see(marker="challenge", retries=30)
    value_of(user, "challenge", challenge.id)
    value_of(user, "action", action.id)
    await user.should_see("Enregistrer mon avis")
    await user.should_not_see(marker="robustness-recorded")
    user.find(marker="verdict-bends").click()
    user.find(marker="save").click()
    await user.should_see("Avis enregistré", retries=20)
    await user.should_see("Votre avis enregistré\u00a0: plie")
    await user.should_see("Modifier mon avis")
    await user.should_not_see("Enregistrer mon avis")
    value_of(user, "action", other.id)
    await user.should_see("Enregistrer mon avis")
    await user.should_not_see("Votre avis enregistré")
    await user.open(f"/tablet/{demo.seminar_id}")  # later, on the same phone
    value_of(user, "challenge", challenge.id)
    value_of(user, "action", action.id)
    await user.should_see("Votre avis enregistré\u00a0: plie")
    await user.should_see("Modifier mon avis")
    user.find("EN").click()
    await user.should_see("Facing this challenge, the action…", retries=30)
    value_of(user, "challenge", challenge.id)
    value_of(user, "action", action.id)
    await user.should_see("Your recorded opinion: bends")
    await user.should_see("Change my opinion")


async def test_the_article_counter_groups_the_thousands(ui_db, user: User) -> None:
    """Quasar's counter said « 0 / 5000 »: in French the limit reads « 5 000 » (a narrow no-break
    space), in English « 5,000 » (client.COUNTER_JS keeps it up to date as the person types)."""
    await writing_an_article(ui_db, user)
    await user.should_see("0 / 5\u202f000")
    user.find("EN").click()
    await user.should_see("0 / 5,000", retries=30)
