"""The projector screen, as a simulated browser sees it while the room works."""

from __future__ import annotations

import asyncio

import pytest

from nicegui import app, ui
from nicegui.testing import User

from workshop.content import default_kit, find_run_sheet
from workshop.demo import Demo, build_demo
from workshop.models import CardKind, College
from workshop.services import activities, cards, participants, robustness, screen, seminars, votes
from workshop.ui.access import login_facilitator


async def open_screen(user: User, demo: Demo) -> None:
    """Log the simulated browser in as the facilitator, then open the projector screen."""
    await user.open("/")  # gives the browser its session (the facilitator login lives in it)
    assert await login_facilitator(demo.seminar_id, demo.facilitator_secret)
    await user.open(f"/screen/{demo.seminar_id}")


def activity_id(db, demo: Demo, title_start: str) -> int:
    return next(a.id for a in activities.list_activities(db, demo.seminar_id) if a.title.startswith(title_start))


def newcomer(db, demo: Demo, name: str = "Zoé Nouvelle") -> str:
    return participants.join(db, demo.join_code, display_name=name, college=College.RESIDENT).device_token


async def test_screen_without_facilitator_login_is_redirected(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    login_path = f"/console/{demo.seminar_id}/login?next=/screen/{demo.seminar_id}"
    if not any(getattr(r, "path", "").startswith("/console/{") and getattr(r, "path", "").endswith("/login")
               for r in app.routes):
        @ui.page("/console/{seminar_id}/login")  # stand-in while the console is not there
        def _login(seminar_id: int) -> None:
            ui.label("login page")
    await user.open(f"/screen/{demo.seminar_id}")
    for _ in range(30):
        if user.back_history and user.back_history[-1] == login_path:
            break
        await asyncio.sleep(0.05)
    assert user.back_history[-1] == login_path
    await user.should_not_see(demo.join_code)


async def test_screen_shows_join_code_title_and_countdown(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    await open_screen(user, demo)
    await user.should_see(demo.join_code)
    await user.should_see("Probabilité et gravité des menaces")
    await user.should_see("Temps restant")
    await user.should_see("Consigne")
    # the countdown is driven in the browser from the remaining time the server sends
    clock = next(iter(user.find(marker=None, content="Temps restant").elements)).parent_slot.parent
    assert int(clock.props["data-remaining"]) > 0
    screen.set_screen(ui_db, demo.seminar_id, show_join=False)
    await user.should_not_see(demo.join_code)


async def test_contributed_card_appears_on_the_wall_without_reload(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    context = activity_id(ui_db, demo, "Enjeux, menaces")
    activities.open_activity(ui_db, demo.seminar_id, context)
    await open_screen(user, demo)
    await user.should_see("Désertification médicale")  # the wall, grouped by kind
    await user.should_see("Menaces")
    token = newcomer(ui_db, demo)
    card = cards.contribute(ui_db, token, context, kind=CardKind.THREAT, text="Sécheresses estivales <b>répétées</b>",
                            theme="climat-risques")
    await user.should_see("Sécheresses estivales <b>répétées</b>")  # shown as typed, inert
    cards.set_hidden(ui_db, demo.seminar_id, card.id, True)
    await user.should_not_see("Sécheresses estivales")
    cards.set_hidden(ui_db, demo.seminar_id, card.id, False)
    await user.should_see("Sécheresses estivales")
    cards.withdraw_own(ui_db, token, card.id)
    await user.should_not_see("Sécheresses estivales")


def instructions_place(user: User, text: str) -> str | None:
    """Where the projector shows these instructions: "main", "side", or None."""
    for element in user.find(content=text).elements:
        for ancestor in element.ancestors():
            if "v21p-side" in ancestor.classes:
                return "side"
            if "v21p-main" in ancestor.classes:
                return "main"
    return None


async def test_an_empty_wall_leaves_the_main_area_to_the_instructions(ui_db, user: User) -> None:
    """Until the wall's first card, the instructions are read in the main area (large); then beside
    the wall, the wall built once for that and then only appended to; an emptied wall gives them back."""
    created = seminars.create_seminar(
        ui_db, title="Mur vide", territory="Pays du Ternois", horizon_year=2050,
        run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), facilitator_secret="secret-mur-vide")
    for _ in range(3):  # to « Enjeux, menaces et ressources du territoire »
        activities.advance(ui_db, created.seminar_id)
    contribution = activities.list_activities(ui_db, created.seminar_id)[2]
    text = contribution.participant_instructions.strip()
    await user.open("/")
    assert await login_facilitator(created.seminar_id, "secret-mur-vide")
    await user.open(f"/screen/{created.seminar_id}")
    await user.should_see("Les contributions apparaîtront ici au fur et à mesure.")
    await user.should_see(text)
    assert instructions_place(user, text) == "main"
    token = participants.join(ui_db, created.join_code, display_name="Denise M.", college=College.RESIDENT).device_token
    first = cards.contribute(ui_db, token, contribution.id, kind=CardKind.STAKE, text="Garder une école au village")
    await user.should_see("Garder une école au village")
    await user.should_not_see("Les contributions apparaîtront ici au fur et à mesure.")
    assert instructions_place(user, text) == "side"
    wall = next(iter(user.find(content="Garder une école au village").elements))
    second = cards.contribute(ui_db, token, contribution.id, kind=CardKind.STAKE, text="Des bus à la demande")
    await user.should_see("Des bus à la demande")
    assert not wall.is_deleted, "the wall was rebuilt for its second card"
    assert instructions_place(user, text) == "side"
    cards.withdraw_own(ui_db, token, first.id)
    cards.withdraw_own(ui_db, token, second.id)
    await user.should_see("Les contributions apparaîtront ici au fur et à mesure.")
    await user.should_not_see("Des bus à la demande")
    assert instructions_place(user, text) == "main"


async def test_results_stay_hidden_until_revealed(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    vote = activity_id(ui_db, demo, "Vote sur les enjeux")
    activities.open_activity(ui_db, demo.seminar_id, vote)
    await open_screen(user, demo)
    await user.should_see("Vote en cours")
    await user.should_see("18\u00a0personnes ont voté")
    await user.should_not_see("Des emplois locaux dans la transition écologique")
    # a newcomer votes: the count follows (coalesced by the page's timer)
    token = newcomer(ui_db, demo)
    top = votes.tally(ui_db, demo.seminar_id, vote)[0]
    votes.set_dots(ui_db, token, vote, top.card_id, 2)
    await user.should_see("19\u00a0personnes ont voté", retries=20)
    screen.set_screen(ui_db, demo.seminar_id, reveal_results=True)
    await user.should_see("Résultats")
    await user.should_see("Des emplois locaux dans la transition écologique")  # in the table of the chart
    await user.should_see("19\u00a0votants")
    votes.set_dots(ui_db, token, vote, top.card_id, 0)
    await user.should_see("18\u00a0votants", retries=20)
    screen.set_screen(ui_db, demo.seminar_id, reveal_results=False)
    await user.should_see("Vote en cours")
    await user.should_not_see("Des emplois locaux dans la transition écologique")


async def test_threat_ratings_revealed_as_ranked_list(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    await open_screen(user, demo)  # the demo is rating threats
    await user.should_see("Notation en cours")
    await user.should_see("12\u00a0personnes ont répondu")
    await user.should_not_see("Désertification médicale")
    screen.set_screen(ui_db, demo.seminar_id, reveal_results=True)
    await user.should_see("Désertification médicale")
    await user.should_see("Probabilité · Gravité")


async def test_attendance_only_when_the_facilitator_shows_it(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    screen.set_screen(ui_db, demo.seminar_id, show_attendance=False)
    await open_screen(user, demo)
    await user.should_see(demo.join_code)
    await user.should_not_see("connecté")
    screen.set_screen(ui_db, demo.seminar_id, show_attendance=True)
    await user.should_see("connecté")


async def test_word_cloud_counts_words_live(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    word = activity_id(ui_db, demo, "Un mot")
    activities.open_activity(ui_db, demo.seminar_id, word)
    await open_screen(user, demo)
    await user.should_see("Solidaire\u00a0: 3")
    await user.should_see("12\u00a0réponses · 8\u00a0mots différents")
    cards.contribute(ui_db, newcomer(ui_db, demo), word, kind=CardKind.WORD, text="la solidaire")
    await user.should_see("Solidaire\u00a0: 4", retries=20)


async def test_views_chosen_by_the_facilitator(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    await open_screen(user, demo)
    screen.set_screen(ui_db, demo.seminar_id, view="join")
    await user.should_see("Scannez le QR code avec votre téléphone")
    screen.set_screen(ui_db, demo.seminar_id, view="graph")
    await user.should_see("Graphe des liens")  # the map draws cards and links, not the trajectory
    await user.should_see("5\u00a0menaces sans parade")  # the map's findings (tests/test_ui_graph.py has more)
    stake = cards.list_cards(ui_db, demo.seminar_id, kinds=[CardKind.STAKE])[0]
    screen.set_screen(ui_db, demo.seminar_id, view="card", focus_card_id=stake.id)
    await user.should_see(stake.text)
    cards.moderate_edit(ui_db, demo.seminar_id, stake.id, text="Des soins de proximité pour tous")
    await user.should_see("Des soins de proximité pour tous")
    screen.set_screen(ui_db, demo.seminar_id, view="wall")
    await user.should_see("Canicules plus fréquentes et îlots de chaleur en ville")  # threats, grouped by theme
    await user.should_see("Climat et risques naturels")
    activities.advance(ui_db, demo.seminar_id)  # next activity: challenges, the wall follows
    await user.should_see("Des enjeux aux défis")
    await user.should_not_see("Canicules plus fréquentes")


async def test_an_article_from_the_future_on_the_wall_and_in_focus(ui_db, user: User) -> None:
    """A whole article on the wall is its headline and first lines (clamped, with its line breaks);
    put in focus, it is its headline over the whole article, not 3000 characters set as a title."""
    created = seminars.create_seminar(ui_db, title="Séminaire articles", territory="Amiens Métropole",
                                      horizon_year=2055, run_sheet=find_run_sheet("un-jour-et-demi"),
                                      kit=default_kit(), facilitator_secret="articles-2055")
    sid = created.seminar_id
    scenario = next(a.id for a in activities.list_activities(ui_db, sid) if a.title.startswith("Écrire le scénario"))
    activities.open_activity(ui_db, sid, scenario)
    body = "12 mai 2055\n\n" + ("Dix ans après, les bourgs respirent. " * 60).strip()
    article = cards.add_card(ui_db, sid, kind=CardKind.VISION_ARTICLE, activity_id=scenario,
                             text="Amiens, ville cyclable de l'année\n" + body, details="Encadré : les chiffres")
    await user.open("/")
    assert await login_facilitator(sid, "articles-2055")
    await user.open(f"/screen/{sid}")
    await user.should_see("Articles du futur")
    [on_wall] = [e for e in user.find(content="Amiens, ville cyclable").elements if e.text == article.text]
    assert "v21p-card-article" in on_wall.classes  # clamped to its first lines by the wall's style
    screen.set_screen(ui_db, sid, view="card", focus_card_id=article.id)
    await user.should_see("Encadré : les chiffres", retries=20)
    [heading] = user.find(marker=None, content="Amiens, ville cyclable de l'année").elements
    assert heading.text == "Amiens, ville cyclable de l'année" and heading.props["aria-level"] == "2"
    [whole] = [e for e in user.find(content="Dix ans après").elements]
    assert whole.text == body + "\n\nEncadré : les chiffres" and "is-article" in whole.classes


def test_countdown_text_matches_the_page_script() -> None:
    from workshop.ui.common import clock_text

    assert clock_text(545) == "9:05"
    assert clock_text(4499) == "1:14:59"
    assert clock_text(-133) == "+2:13"
    assert clock_text(0) == "0:00"


def test_chart_labels_keep_user_text_inert() -> None:
    from workshop.ui.projector import charts

    figure = charts.dot_vote_figure([("<a href='x'>Clic</a> & co", 3, {"resident": 3})], {"resident": "habitant·e"},
                                    width=800, height=400)
    [label] = figure["layout"]["yaxis"]["ticktext"]
    assert "<a" not in label and "&lt;a href='x'&gt;Clic&lt;/a&gt; &amp; co" in label
    placed = charts.wordcloud_figure([], width=100, height=100)
    assert placed["config"]["staticPlot"] is True


async def test_revealed_dot_vote_table_and_chart_follow_every_vote(ui_db, user: User) -> None:
    """Live redraws change the chart and its text alternative in place: a card getting its first
    dots adds a line to the table, taking them back removes it, and the table, the chart's
    labels and bars always say the tally's numbers in rank order."""
    from nicegui.elements.mixins.text_element import TextElement

    from workshop.ui.projector.base import TOP_CARDS

    demo = build_demo(ui_db)
    vote = activity_id(ui_db, demo, "Vote sur les enjeux")
    activities.open_activity(ui_db, demo.seminar_id, vote)
    screen.set_screen(ui_db, demo.seminar_id, reveal_results=True)
    fresh = cards.add_card(ui_db, demo.seminar_id, kind=CardKind.STAKE, text="Une carte encore sans gommette")
    await open_screen(user, demo)
    await user.should_see("18\u00a0votants")

    def shown() -> tuple[list[tuple[str, ...]], list[str], list[int]]:
        cells = [e.text for e in sorted(user.find(kind=TextElement).elements, key=lambda e: e.id) if e.tag == "td"]
        rows = [tuple(cells[i:i + 4]) for i in range(0, len(cells), 5)]  # rank, card, dots, voters
        figure = next(iter(user.find(kind=ui.plotly).elements)).figure
        stacked = [0] * len(figure["layout"]["yaxis"]["tickvals"])
        for trace in figure["data"]:
            for i, dots in enumerate(trace["x"]):
                stacked[int(trace["y0"] + i * trace["dy"])] += dots
        return rows, figure["layout"]["yaxis"]["ticktext"], stacked

    def expected() -> tuple[list[tuple[str, ...]], list[int]]:
        tallies = votes.tally(ui_db, demo.seminar_id, vote)
        # a card's rank is one more than the number of cards with more dots (ties share it)
        return ([(str(1 + sum(o.dots > t.dots for o in tallies)), t.text, str(t.dots), str(t.voters)) for t in tallies],
                [t.dots for t in tallies[:TOP_CARDS]])

    def agree() -> None:
        rows, labels, stacked = shown()
        want_rows, want_stacked = expected()
        assert rows == want_rows and stacked == want_stacked
        assert [label.split(".")[0] for label in labels] == [rank for rank, *_ in want_rows[:len(want_stacked)]]

    agree()
    before = len(shown()[0])
    token = newcomer(ui_db, demo)
    votes.set_dots(ui_db, token, vote, fresh.id, 1)  # a new line at the bottom of the table
    await user.should_see("Une carte encore sans gommette", retries=20)
    await user.should_see("19\u00a0votants", retries=20)
    agree()
    assert len(shown()[0]) == before + 1
    top = votes.tally(ui_db, demo.seminar_id, vote)[0]
    votes.set_dots(ui_db, token, vote, top.card_id, 2)  # the top card grows: its line and bar follow
    for _ in range(40):
        if shown()[0][0][2] == str(top.dots + 2):
            break
        await asyncio.sleep(0.05)
    agree()
    votes.set_dots(ui_db, token, vote, fresh.id, 0)  # its only dot taken back: the line goes
    await user.should_not_see("Une carte encore sans gommette", retries=20)
    agree()
    assert len(shown()[0]) == before


async def open_revealed_vote(db, user: User) -> tuple[Demo, int]:
    """The demo's stake vote open, its results revealed, on the projector: (the demo, the vote)."""
    demo = build_demo(db)
    vote = activity_id(db, demo, "Vote sur les enjeux")
    activities.open_activity(db, demo.seminar_id, vote)
    screen.set_screen(db, demo.seminar_id, reveal_results=True)
    await open_screen(user, demo)
    await user.should_see("18\u00a0votants")
    return demo, vote


async def test_the_load_benchmark_reads_the_dot_summary_the_projector_shows(ui_db, user: User) -> None:
    """``bench/load``'s simulated projector reads its totals from the summary line
    (« 18 votants · 54 gommettes »): when the catalogue's spacing changed, it read nothing and
    the benchmark counted every vote as never shown. It must read the numbers the screen says."""
    from nicegui.elements.mixins.text_element import TextElement

    from bench.load.client import summary_pattern
    from workshop.ui.units import UnitsLine

    demo, vote = await open_revealed_vote(ui_db, user)
    pattern = summary_pattern()

    def read() -> list[tuple[str, ...]]:
        shown = [*user.find(kind=TextElement).elements, *user.find(kind=UnitsLine).elements]
        return [m.groups() for e in shown if (m := pattern.search(e.text or ""))]

    dots = sum(t.dots for t in votes.tally(ui_db, demo.seminar_id, vote))
    assert read() == [("18", str(dots))]
    votes.set_dots(ui_db, newcomer(ui_db, demo), vote, votes.tally(ui_db, demo.seminar_id, vote)[0].card_id, 2)
    await user.should_see("19\u00a0votants", retries=20)
    assert read() == [("19", str(dots + 2))]


async def test_a_redraw_whose_read_was_cancelled_keeps_the_results_shown(ui_db, user: User, monkeypatch, caplog) -> None:
    """NiceGUI's ``run.io_bound`` gives None when its read is cancelled (the page closed while a
    redraw waited, as after a projector's lost connection): the redraw leaves the screen as it
    was instead of failing on the missing results (a load run logged that AttributeError)."""
    from nicegui import run as nicegui_run

    demo, vote = await open_revealed_vote(ui_db, user)

    async def cancelled(*_args, **_kwargs):
        return None

    monkeypatch.setattr(nicegui_run, "io_bound", cancelled)
    votes.set_dots(ui_db, newcomer(ui_db, demo), vote, votes.tally(ui_db, demo.seminar_id, vote)[0].card_id, 1)
    await asyncio.sleep(0.5)  # the redraw ran (and read nothing)
    await user.should_see("18\u00a0votants")
    assert not [r for r in caplog.records if r.exc_info and "tallies" in str(r.exc_info[1])]


def robustness_test_open(db, title: str, secret: str):
    """A seminar of « un jour et demi » at its robustness test, with two challenges and two
    current actions: (the seminar, the test's id, the challenges' ids, the actions' ids)."""
    created = seminars.create_seminar(db, title=title, territory="Pays du Ternois", horizon_year=2050,
                                      run_sheet=find_run_sheet("un-jour-et-demi"), kit=default_kit(),
                                      facilitator_secret=secret)
    sid = created.seminar_id
    test = next(a.id for a in activities.list_activities(db, sid) if a.title.startswith("Test de robustesse"))
    activities.open_activity(db, sid, test)
    challenges = [cards.add_card(db, sid, kind=CardKind.CHALLENGE, text=f"Défi {i}").id for i in (1, 2)]
    actions = [cards.add_card(db, sid, kind=CardKind.CURRENT_ACTION, text=f"Action {i}").id for i in (1, 2)]
    return created, test, challenges, actions


async def test_results_summaries_agree_with_their_counts(ui_db, user: User) -> None:
    """« 1 défi × 1 action · 1 paire évaluée sur 1 · 1 répondant », not « 1 défis × 1 actions … »;
    plurals from 2 on. A robustness test is answered, not voted on, and the figure in each cell says what it is."""
    created, test, challenges, actions = robustness_test_open(ui_db, "Séminaire robustesse", "robustesse-2050")
    sid = created.seminar_id
    cards.set_hidden(ui_db, sid, challenges[1], True)  # one challenge and one action on the wall
    cards.set_hidden(ui_db, sid, actions[1], True)
    first = participants.join(ui_db, created.join_code, display_name="Amandine R.", college=College.ELECTED)
    robustness.rate(ui_db, first.device_token, test, challenges[0], actions[0], "holds")
    screen.set_screen(ui_db, sid, reveal_results=True)
    await user.open("/")
    assert await login_facilitator(sid, "robustesse-2050")
    await user.open(f"/screen/{sid}")
    await user.should_see("1\u00a0défi × 1\u00a0action · 1\u00a0paire évaluée sur 1 · 1\u00a0répondant · "
                          "moyenne\u00a0des\u00a0avis,\u00a0de\u00a00\u00a0(rompt)\u00a0à\u00a02\u00a0(tient)")
    cards.set_hidden(ui_db, sid, challenges[1], False)
    cards.set_hidden(ui_db, sid, actions[1], False)
    second = participants.join(ui_db, created.join_code, display_name="Bastien L.", college=College.RESIDENT)
    robustness.rate(ui_db, second.device_token, test, challenges[1], actions[1], "breaks")
    await user.should_see("2\u00a0défis × 2\u00a0actions · 2\u00a0paires évaluées sur 4 · 2\u00a0répondants",
                          retries=20)
    screen.set_screen(ui_db, sid, show_attendance=True)
    await user.should_see("connecté")
    count = int(user.find(marker="people-count").elements.pop().text)
    label = user.find(marker="people-label").elements.pop().text
    # the masculine generic of the whole French catalogue (« Connectés » in the console, « participants »)
    assert label == ("connecté" if count < 2 else "connectés"), (count, label)  # « 0 connecté », « 1 connecté »


async def test_the_robustness_matrix_shows_every_pair_the_phones_ask_about(ui_db, user: User) -> None:
    """Three challenges and three current actions on the wall, one pair rated: the matrix is
    3 × 3, as the phones count it (« Vos avis donnés : 1 sur 9 »), its other actions are there,
    their pairs « pas encore évalué » — not a « 3 défis × 1 action » matrix of the rated action only."""
    created, test, challenges, actions = robustness_test_open(ui_db, "Séminaire matrice", "matrice-2050")
    sid = created.seminar_id
    challenges.append(cards.add_card(ui_db, sid, kind=CardKind.CHALLENGE, text="Défi 3").id)
    actions.append(cards.add_card(ui_db, sid, kind=CardKind.CURRENT_ACTION, text="Contrat de rivière").id)
    rater = participants.join(ui_db, created.join_code, display_name="Amandine R.", college=College.ELECTED)
    for challenge, verdict in zip(challenges, ("holds", "bends", "breaks")):
        robustness.rate(ui_db, rater.device_token, test, challenge, actions[0], verdict)
    screen.set_screen(ui_db, sid, reveal_results=True)
    await user.open("/")
    assert await login_facilitator(sid, "matrice-2050")
    await user.open(f"/screen/{sid}")
    await user.should_see("3\u00a0défis × 3\u00a0actions · 3\u00a0paires évaluées sur 9 · 1\u00a0répondant")
    await user.should_see("Défi 1 × Action 1\u00a0: tient")
    await user.should_see("Défi 3 × Contrat de rivière\u00a0: pas encore évalué")
    await user.should_see("Défi 2 × Action 2\u00a0: pas encore évalué")
    figure = user.find(ui.plotly).elements.pop().figure
    assert figure["layout"]["xaxis"]["ticktext"][2].replace("<br>", " ") == "Contrat de rivière"
    shown = [a["text"] for a in figure["layout"]["annotations"]]
    assert sum(text == "—" or text.replace("<br>", " ") == "pas encore évalué" for text in shown) == 6, shown  # the six pairs not rated yet


async def test_the_restitution_shows_the_robustness_matrix_then_each_activity_its_own_view(ui_db, user: User) -> None:
    """« Restitution de la matrice de robustesse » opens on the matrix of the test before it (its run
    sheet says ``screen: results``), revealed: that vote is over; "Mur" in the console still shows
    the wall; the next activity opens on what it calls for (the dot vote, results hidden)."""
    created, test, challenges, actions = robustness_test_open(ui_db, "Séminaire restitution", "restitution-2050")
    sid = created.seminar_id
    voter = participants.join(ui_db, created.join_code, display_name="Amandine R.", college=College.ELECTED)
    robustness.rate(ui_db, voter.device_token, test, challenges[0], actions[0], "holds")
    robustness.rate(ui_db, voter.device_token, test, challenges[1], actions[1], "breaks")
    await user.open("/")
    assert await login_facilitator(sid, "restitution-2050")
    await user.open(f"/screen/{sid}")
    await user.should_see("Test de robustesse en cours")  # results hidden during the test itself

    activities.advance(ui_db, sid)  # « Activité suivante »
    await user.should_see("Restitution de la matrice de robustesse")
    await user.should_see("Résultats\u00a0: Test de robustesse des actions face aux défis")
    await user.should_see("2\u00a0défis × 2\u00a0actions · 2\u00a0paires évaluées sur 4 · 1\u00a0répondant")
    await user.should_see("Défi 1 × Action 1\u00a0: tient")
    await user.should_see("Défi 2 × Action 2\u00a0: rompt")
    await user.should_see("Défi 1 × Action 2\u00a0: non évalué")  # the test is closed: no answer will come
    await user.should_not_see("Vote terminé")

    screen.set_screen(ui_db, sid, view="wall")  # the console's « Mur »
    await user.should_see("Défis")
    await user.should_not_see("Résultats\u00a0: Test de robustesse")
    await user.should_not_see("Défi 1 × Action 1\u00a0: tient")

    activities.advance(ui_db, sid)  # the vote on the challenges: its own view, not the wall
    await user.should_see("Choix des défis à porter")
    await user.should_see("Vote en cours")
    await user.should_not_see("Défis")
    assert screen.get_screen(ui_db, sid).view == "activity"


async def test_a_new_activity_is_built_once_as_it_must_look(ui_db, user: User, monkeypatch) -> None:
    """Opening the next vote after revealing one's results: the projector is built once, results
    hidden (it was built with the last vote's reveal switch still on, then again once the
    screen's own change arrived)."""
    from workshop.ui.projector.page import ProjectorScreen

    builds: list[tuple] = []
    original = ProjectorScreen.render_body

    def counted(self, *args, **kwargs):
        before = self.body_key
        original(self, *args, **kwargs)
        if self.body_key != before:
            builds.append(self.body_key)

    monkeypatch.setattr(ProjectorScreen, "render_body", counted)
    demo = build_demo(ui_db)
    vote = activity_id(ui_db, demo, "Vote sur les enjeux")
    activities.open_activity(ui_db, demo.seminar_id, vote)
    screen.set_screen(ui_db, demo.seminar_id, view="results", reveal_results=True)
    await open_screen(user, demo)
    await user.should_see("18\u00a0votants")
    builds.clear()
    activities.open_activity(ui_db, demo.seminar_id, activity_id(ui_db, demo, "Choix des défis"))
    await user.should_see("Choix des défis à porter demain")
    await user.should_see("Vote en cours")
    await asyncio.sleep(0.3)  # anything still to come
    assert len(builds) == 1, builds
    view, *_rest, revealed, _joining = builds[0]
    assert (view, revealed) == ("results", False)


WELCOMES = {"demi-journee-decouverte": "Accueil et présentation de la démarche",
            "un-jour-et-demi": "Accueil, objectifs et connexion",
            "deux-jours": "Accueil, objectifs et connexion"}
SCAN = "Scannez le QR code avec votre téléphone"  # only the join view in large says it
WELCOME_TEXT = "Bienvenue\u00a0! Connectez-vous à l'application"


@pytest.mark.parametrize("run_sheet", list(WELCOMES))
async def test_the_welcome_opens_on_how_to_join_in_large(ui_db, user: User, run_sheet: str) -> None:
    """People come into the room and join during the welcome: each shipped run sheet opens it on
    the QR code in large with its steps (``screen: join``), the welcome's title in the header.
    Once the code is not to be shown (the console's switch off, or joining closed), the welcome's
    text comes back in large rather than a closed sign."""
    created = seminars.create_seminar(ui_db, title="Séminaire accueil", territory="Pays du Ternois",
                                      horizon_year=2050, run_sheet=find_run_sheet(run_sheet), kit=default_kit(),
                                      facilitator_secret="accueil-2050")
    sid = created.seminar_id
    activities.advance(ui_db, sid)  # « Démarrer »: the welcome
    await user.open("/")
    assert await login_facilitator(sid, "accueil-2050")
    await user.open(f"/screen/{sid}")
    await user.should_see(WELCOMES[run_sheet])
    await user.should_see(SCAN)
    await user.should_see("puis saisissez le code")
    await user.should_see(created.join_code)
    await user.should_not_see(WELCOME_TEXT)

    screen.set_screen(ui_db, sid, show_join=False)  # « Afficher le code pour rejoindre » off
    await user.should_see(WELCOME_TEXT)
    await user.should_not_see(SCAN)
    await user.should_not_see(created.join_code)
    screen.set_screen(ui_db, sid, show_join=True)
    await user.should_see(SCAN)
    seminars.set_joining_open(ui_db, sid, False)  # « Inscriptions ouvertes » off
    await user.should_see(WELCOME_TEXT)
    await user.should_not_see(SCAN)
    await user.should_not_see("Les inscriptions sont fermées.")


async def test_between_activities_the_screen_says_what_comes_next_and_names_the_seminar_once(ui_db, user: User) -> None:
    demo = build_demo(ui_db)
    await open_screen(user, demo)
    current = next(a for a in activities.list_activities(ui_db, demo.seminar_id)
                   if a.state is activities.ActivityState.OPEN)
    upcoming = next(a for a in activities.list_activities(ui_db, demo.seminar_id) if a.position > current.position)
    activities.close_activity(ui_db, demo.seminar_id, current.id)
    await user.should_see("En attente de la prochaine activité")
    await user.should_see(f"À suivre\u00a0: {upcoming.title}")
    title = seminars.get_seminar_by_id(ui_db, demo.seminar_id).title
    shown = [label for label in user.find(kind=ui.label, content=title).elements if label.text == title]
    assert len(shown) == 1  # the header's, not again under « À suivre »


async def test_the_projector_names_the_seminars_horizon(ui_db, user: User) -> None:
    created = seminars.create_seminar(
        ui_db, title="Horizon 2055", territory="Amiens Métropole", horizon_year=2055,
        run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(), facilitator_secret="secret-horizon")
    activities.advance(ui_db, created.seminar_id)  # welcome
    activities.advance(ui_db, created.seminar_id)  # one word for the territory
    await user.open("/")
    assert await login_facilitator(created.seminar_id, "secret-horizon")
    await user.open(f"/screen/{created.seminar_id}")
    await user.should_see("Un mot pour votre territoire à l'horizon\u00a02055")
    await user.should_see("quand vous pensez à votre territoire à l'horizon\u00a02055\u00a0?")
    await user.should_not_see("{horizon}")
    # a half-day: no « jour 1 » in the header, there is no other day
    context = next(iter(user.find(marker="header-context").elements)).text
    assert context == "Amiens Métropole · horizon\u00a02055 · en plénière", context


async def test_the_header_names_the_day_of_a_seminar_of_several_days(ui_db, user: User) -> None:
    demo = build_demo(ui_db)  # two days
    await open_screen(user, demo)
    context = next(iter(user.find(marker="header-context").elements)).text
    assert "jour\u00a0" in context or "jour " in context, context


async def test_a_wall_by_theme_draws_a_card_without_theme_in_its_groups_grey(ui_db, user: User) -> None:
    """The challenges' wall is grouped by theme: a card's stripe is its theme's colour, and a card
    without theme, under « Sans thème » and its grey underline, is grey too (it was the challenges'
    purple, alone of its colour on the wall)."""
    from workshop.models import Interaction
    from workshop.ui.projector.assets import KIND_INK

    created = seminars.create_seminar(ui_db, title="Défis", territory="Amiens Métropole", horizon_year=2055,
                                      run_sheet=find_run_sheet("un-jour-et-demi"), kit=default_kit(),
                                      facilitator_secret="defis-2055")
    sid = created.seminar_id
    challenges = next(a for a in activities.list_activities(ui_db, sid)
                      if a.interaction is Interaction.CONTRIBUTE and a.card_kinds == ["challenge"])
    activities.open_activity(ui_db, sid, challenges.id)
    cards.add_card(ui_db, sid, kind=CardKind.CHALLENGE, text="Garder un médecin dans chaque bourg", theme="sante")
    cards.add_card(ui_db, sid, kind=CardKind.CHALLENGE, text="Zéro voiture solo pour aller au travail")
    await user.open("/")
    assert await login_facilitator(sid, "defis-2055")
    await user.open(f"/screen/{sid}")
    await user.should_see("Sans thème")
    await user.should_see("Zéro voiture solo pour aller au travail")

    def around(text: str, css_class: str):
        label = next(e for e in user.find(content=text).elements if getattr(e, "text", None) == text)
        return next(a for a in label.ancestors() if css_class in a.classes)

    grey = around("Sans thème", "v21p-group-title").style["border-bottom-color"]
    assert around("Zéro voiture solo pour aller au travail", "v21p-card").style["border-left-color"] == grey
    assert grey != KIND_INK["challenge"]
    health = around("Santé", "v21p-group-title").style["border-bottom-color"]
    assert around("Garder un médecin dans chaque bourg", "v21p-card").style["border-left-color"] == health


async def test_before_the_start_the_territory_and_horizon_are_said_once(ui_db, user: User) -> None:
    """Before « Démarrer »: the seminar's title in large and « Le séminaire va bientôt commencer. »; the
    territory and horizon in the header's context line only (they were said again under the message)."""
    created = seminars.create_seminar(ui_db, title="Avant le début", territory="Amiens Métropole", horizon_year=2055,
                                      run_sheet=find_run_sheet("demi-journee-decouverte"), kit=default_kit(),
                                      facilitator_secret="avant-2055")
    await user.open("/")
    assert await login_facilitator(created.seminar_id, "avant-2055")
    await user.open(f"/screen/{created.seminar_id}")
    await user.should_see("Le séminaire va bientôt commencer.")
    said = [e for e in user.find(content="Amiens Métropole").elements if "Amiens Métropole" in (e.text or "")]
    assert [e.text for e in said] == ["Amiens Métropole · horizon\u00a02055"], [e.text for e in said]


async def test_no_college_of_fewer_than_3_voters_is_broken_down_on_the_projector(ui_db, user: User) -> None:
    """Statistical secrecy: in the demo's stake vote, 2 acteurs économiques, 2 experts and one
    « autre » voted. Shown apart, the « autre »'s dots would be that person's ballot, and each of
    two experts would read the other's: the projector shows their dots together, as « non
    détaillé », in the chart's key and in its table. A third expert voting brings the experts out."""
    from nicegui.elements.mixins.text_element import TextElement

    demo, vote = await open_revealed_vote(ui_db, user)

    def said() -> tuple[list[str], list[str]]:
        texts = sorted(user.find(kind=TextElement).elements, key=lambda e: e.id)
        cells = [e.text for e in texts if e.tag == "td"]
        legend = [e.text for e in texts
                  if e.tag == "span" and "v21p-legend-item" in (e.parent_slot.parent.classes if e.parent_slot else [])]
        return cells[4::5], legend  # the « Par collège » column, the chart's key

    by_college, legend = said()
    assert legend[-1] == "Non détaillé (moins de 3\u00a0votants)", legend
    assert not {"acteur économique", "expert", "autre"} & set(legend), legend
    assert any("non détaillé" in cell for cell in by_college), by_college
    assert not any(word in cell for cell in by_college for word in ("acteur économique", "expert", "autre"))

    top = votes.tally(ui_db, demo.seminar_id, vote)[0]
    expert = participants.join(ui_db, demo.join_code, display_name="Troisième experte", college=College.EXPERT)
    votes.set_dots(ui_db, expert.device_token, vote, top.card_id, 1)
    await user.should_see("19\u00a0votants", retries=20)
    for _ in range(40):
        if "expert" in said()[1]:
            break
        await asyncio.sleep(0.05)
    by_college, legend = said()
    assert "expert" in legend and "acteur économique" not in legend, legend
