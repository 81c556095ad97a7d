"""Duplicate suggestions and theme groups in the console, and the grouped wall on the projector,
as simulated browsers see them (the demo seminar, cards written by tablets through the services)."""

from __future__ import annotations

import threading

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_notify import UserNotify

from workshop.services import cards, screen, sorting
from workshop.ui.access import login_facilitator
from workshop.ui.console.clusters_panel import ClustersPanel

from test_ui_console import _eventually, _login  # the console tests' login and wait helpers

LIVE = 30  # retries (x 0.1 s): suggestions are computed off the event loop, at most once a second

DEMO_THREAT = "Désertification médicale"  # a threat of the demo wall
B = "Désert médical dans les villages"
C = "Sécheresses à répétition"
D = "Épisodes de sécheresse plus fréquents"


def _card(db, sid: int, text: str) -> int:
    return next(c.id for c in cards.list_cards(db, sid) if c.text == text)


def _suggested(db, sid: int, card_id: int) -> tuple[int, ...]:
    return next(s.card_ids for s in sorting.duplicate_suggestions(db, sid) if card_id in s.card_ids)


def _key(*ids: int) -> str:
    return "-".join(str(i) for i in sorted(ids))


async def test_a_duplicate_written_on_a_tablet_is_suggested_live_and_merged_in_one_click(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    a = _card(db, sid, DEMO_THREAT)
    await _login(user, sid)
    with user.scope(marker="duplicates-panel"):
        await user.should_see(marker="duplicates-list", retries=LIVE)
    assert not any(a in s.card_ids for s in sorting.duplicate_suggestions(db, sid))
    b = cards.add_card(db, sid, kind="threat", text=B).id  # written on a tablet while the console is open
    assert _suggested(db, sid, b) == (a, b)
    key = _key(a, b)
    with user.scope(marker="duplicates-panel"):
        await user.should_see(marker=f"dup-{key}", retries=LIVE)
    with user.scope(marker=f"dup-{key}"):
        await user.should_see(DEMO_THREAT)
        await user.should_see(B)
        await user.should_see("Mots en commun\u00a0: ")
        await user.should_see("désertification ≈ désert")
    user.find(marker=f"dup-merge-{key}").click()
    await _eventually(lambda: b not in {c.id for c in cards.list_cards(db, sid, include_hidden=True)})
    assert a in {c.id for c in cards.list_cards(db, sid)}, "the first card (chosen by default) is kept"
    with user.scope(marker="duplicates-panel"):
        await user.should_not_see(marker=f"dup-{key}", retries=LIVE)
    assert any(s.action == "merge" and s.card_ids == [a, b] for s in cards.history(db, sid)), "undoable merge"


def held(monkeypatch, owner, name: str) -> tuple[threading.Event, threading.Event]:
    """``owner.name`` made to wait, once called, until the test lets it go on: (called, go_on)."""
    called, go_on = threading.Event(), threading.Event()
    real = getattr(owner, name)

    def waiting(*args, **kwargs):
        called.set()
        assert go_on.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, waiting)
    return called, go_on


async def test_the_kept_card_can_be_chosen_before_merging(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    a = _card(db, sid, DEMO_THREAT)
    b = cards.add_card(db, sid, kind="threat", text=B).id
    await _login(user, sid)
    key = _key(a, b)
    await user.should_see(marker=f"dup-keep-{key}", retries=LIVE)
    user.find(marker=f"dup-keep-{key}").elements.pop().set_value(b)
    user.find(marker=f"dup-merge-{key}").click()
    await _eventually(lambda: a not in {x.id for x in cards.list_cards(db, sid, include_hidden=True)})
    assert b in {x.id for x in cards.list_cards(db, sid)}


async def test_merging_says_so_even_if_the_suggestions_are_redrawn_meanwhile(demo, user: User,
                                                                           monkeypatch) -> None:
    db, d = demo
    sid = d.seminar_id
    a = _card(db, sid, DEMO_THREAT)
    b = cards.add_card(db, sid, kind="threat", text=B).id
    user.notify = _PageNotify()
    await _login(user, sid)
    key = _key(a, b)
    await user.should_see(marker=f"dup-merge-{key}", retries=LIVE)
    merging, go_on = held(monkeypatch, cards, "merge")
    user.find(marker=f"dup-merge-{key}").click()
    await _eventually(merging.is_set)
    # while the merge is being saved, a tablet writes two look-alike cards: a new suggestion comes
    c = cards.add_card(db, sid, kind="threat", text=C).id
    dd = cards.add_card(db, sid, kind="threat", text=D).id
    await user.should_see(marker=f"dup-{_key(c, dd)}", retries=LIVE)
    go_on.set()
    await user.should_see("fusionnée", retries=LIVE)


async def test_a_dismissed_suggestion_stays_dismissed_after_a_reload(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    a = _card(db, sid, DEMO_THREAT)
    b = cards.add_card(db, sid, kind="threat", text=B).id
    c = cards.add_card(db, sid, kind="threat", text=C).id
    dd = cards.add_card(db, sid, kind="threat", text=D).id
    assert _suggested(db, sid, c) == (c, dd)
    count = len(sorting.duplicate_suggestions(db, sid))
    await _login(user, sid)
    medical, drought = _key(a, b), _key(c, dd)
    with user.scope(marker="duplicates-panel"):
        await user.should_see(marker=f"dup-{medical}", retries=LIVE)
        await user.should_see(marker=f"dup-{drought}")
        await user.should_see(f"{count}\u00a0suggestions")
    user.find(marker=f"dup-dismiss-{drought}").click()
    with user.scope(marker="duplicates-panel"):
        await user.should_not_see(marker=f"dup-{drought}", retries=LIVE)
        await user.should_see("1\u00a0paire écartée")
    assert sorting.dismissed_pairs(db, sid) == {(min(c, dd), max(c, dd))}

    await user.open(f"/console/{sid}")  # reload
    with user.scope(marker="duplicates-panel"):
        await user.should_see(marker=f"dup-{medical}", retries=LIVE)
        await user.should_not_see(marker=f"dup-{drought}")
        await user.should_see("1\u00a0paire écartée")
    user.find(marker="duplicates-restore").click()
    with user.scope(marker="duplicates-panel"):
        await user.should_see(marker=f"dup-{drought}", retries=LIVE)
    assert sorting.dismissed_count(db, sid) == 0


async def test_theme_groups_are_proposed_accepted_renamed_adjusted_and_projected(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    for text in (B, C, D):
        cards.add_card(db, sid, kind="threat", text=text)
    await _login(user, sid)
    await user.should_see(marker="clusters-kind", retries=LIVE)
    await _eventually(lambda: user.find(marker="clusters-kind").elements.pop().value is not None)
    # the open activity rates threats: the panel offers to group threats first
    assert user.find(marker="clusters-kind").elements.pop().value == "threat"
    with user.scope(marker="clusters-panel"):
        await user.should_see("Aucun groupe enregistré pour ce type de cartes.", retries=LIVE)
    user.find(marker="clusters-propose").click()
    await user.should_see(marker="clusters-proposal", retries=LIVE)
    await user.should_see("Proposition (non enregistrée)\u00a0:")
    assert sorting.theme_groups(db, sid, "threat") == [], "a proposal is not saved"
    user.find(marker="clusters-accept").click()
    await _eventually(lambda: sorting.theme_groups(db, sid, "threat") != [])
    groups = sorting.theme_groups(db, sid, "threat")
    first = groups[0]
    await user.should_see(marker=f"cluster-label-{first.id}", retries=LIVE)

    label = user.find(marker=f"cluster-label-{first.id}")
    label.type("Santé et services")  # type() appends; the service trims and keeps the whole text
    label.trigger("keydown.enter")
    await _eventually(lambda: sorting.theme_groups(db, sid, "threat")[0].label.endswith("Santé et services"))

    moved = first.card_ids[0]
    user.find(marker=f"cluster-move-{moved}").click()
    user.find(marker="move-to-loose").click()
    await _eventually(lambda: moved in sorting.theme_groups(db, sid, "threat")[-1].card_ids)
    await user.should_see(marker="cluster-loose", retries=LIVE)

    user.find(marker="clusters-project").click()
    await _eventually(lambda: screen.get_screen(db, sid).view == "clusters")
    assert screen.get_screen(db, sid).cluster_kind == "threat"


async def test_a_proposed_group_whose_cards_share_no_word_is_called_theme_n(demo, user: User) -> None:
    """On the demo wall, « Désertification médicale », « Crues de la Somme… », « Fermeture de
    commerces… » are proposed together: no word is on half of them, so no word of one card names
    the group. It is « Thème 1 », with its most frequent words, and is saved under that name."""
    db, d = demo
    sid = d.seminar_id
    await _propose_threat_groups(db, sid, user)
    with user.scope(marker="clusters-proposal"):
        await user.should_see("Thème 1")
        await user.should_see("Aucun mot n'est commun à la moitié de ces cartes\u00a0: nommez ce groupe une fois "
                              "accepté. Mots les plus fréquents\u00a0: eau (2\u00a0cartes), médecin (2\u00a0cartes), "
                              "village (2\u00a0cartes).")
    user.find(marker="clusters-accept").click()
    await _eventually(lambda: sorting.theme_groups(db, sid, "threat") != [])
    themed = next(g for g in sorting.theme_groups(db, sid, "threat") if _card(db, sid, DEMO_THREAT) in g.card_ids)
    assert themed.label == "Thème 1"


class _PageNotify(UserNotify):
    """Toasts as the real ``ui.notify`` sends them: to the page of the element whose handler runs.
    (NiceGUI's stand-in records every message, even one a browser would never get.)"""

    def __call__(self, message: str, **kwargs) -> None:
        ui.context.client  # raises, as ui.notify does, when that element was deleted meanwhile
        super().__call__(message, **kwargs)


async def _propose_threat_groups(db, sid: int, user: User) -> None:
    for text in (B, C, D):
        cards.add_card(db, sid, kind="threat", text=text)
    await _login(user, sid)
    with user.scope(marker="clusters-panel"):
        await user.should_see("Aucun groupe enregistré pour ce type de cartes.", retries=LIVE)
    user.find(marker="clusters-propose").click()
    await user.should_see(marker="clusters-proposal", retries=LIVE)


async def test_accepting_groups_says_so_even_if_the_proposal_is_redrawn_meanwhile(demo, user: User,
                                                                                 monkeypatch) -> None:
    db, d = demo
    sid = d.seminar_id
    user.notify = _PageNotify()
    await _propose_threat_groups(db, sid, user)
    saving, go_on = held(monkeypatch, sorting, "accept_theme_groups")
    user.find(marker="clusters-accept").click()
    await _eventually(saving.is_set)
    # while the groups are being saved, a card of the proposal is corrected: the proposal shows it
    cards.moderate_edit(db, sid, _card(db, sid, C), text="Sécheresses estivales à répétition")
    with user.scope(marker="clusters-body"):
        await user.should_see("Sécheresses estivales à répétition", retries=LIVE)
    go_on.set()
    await user.should_see("Groupes enregistrés", retries=LIVE)
    await user.should_see(marker="clusters-groups", retries=LIVE)


async def test_a_card_arriving_leaves_the_proposal_and_its_buttons_in_place(demo, user: User,
                                                                            monkeypatch) -> None:
    """A redraw would put new buttons under the facilitator's finger: a click already sent to the
    old one reaches nothing."""
    db, d = demo
    sid = d.seminar_id
    renders: list[int] = []
    render = ClustersPanel.render

    def counted(panel: ClustersPanel) -> None:
        render(panel)
        renders.append(len(panel.cards))

    monkeypatch.setattr(ClustersPanel, "render", counted)
    await _propose_threat_groups(db, sid, user)
    button = user.find(marker="clusters-accept").elements.pop()
    shown = renders[-1]
    cards.add_card(db, sid, kind="threat", text="Pénurie d'infirmières")  # written on a tablet
    await _eventually(lambda: renders[-1] == shown + 1)  # the panel has loaded the new card
    assert not button.is_deleted
    user.find(marker="clusters-accept").click()
    await _eventually(lambda: sorting.theme_groups(db, sid, "threat") != [])


def _aimed_at(user: User, button: ui.button):
    """The click the browser will send for the button shown now: its message names the button's id
    (NiceGUI ignores a message for an id that no longer exists, as when a redraw replaced it)."""
    listener_id = next(k for k, listener in button._event_listeners.items() if listener.type == "click")
    return lambda: user.client.handle_event({"id": button.id, "listener_id": listener_id, "args": []})


async def test_a_click_on_accept_is_acted_on_even_if_a_corrected_card_redraws_the_proposal(demo, user: User) -> None:
    """The facilitator aims at « Accepter ces groupes » while a card of the proposal is corrected:
    the corrected text shows, and the click on the button the facilitator saw is acted on."""
    db, d = demo
    sid = d.seminar_id
    user.notify = _PageNotify()
    await _propose_threat_groups(db, sid, user)
    click = _aimed_at(user, user.find(marker="clusters-accept").elements.pop())
    cards.moderate_edit(db, sid, _card(db, sid, C), text="Sécheresses estivales à répétition")
    with user.scope(marker="clusters-body"):
        await user.should_see("Sécheresses estivales à répétition", retries=LIVE)
    click()
    await user.should_see("Groupes enregistrés", retries=LIVE)
    assert sorting.theme_groups(db, sid, "threat") != []


async def test_the_projector_shows_the_wall_by_theme_and_follows_it(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    a = _card(db, sid, DEMO_THREAT)
    b = cards.add_card(db, sid, kind="threat", text=B).id
    c = cards.add_card(db, sid, kind="threat", text=C).id
    sorting.accept_theme_groups(db, sid, "threat", [("Santé", [a, b]), ("Eau", [c])])
    screen.set_screen(db, sid, view="clusters", cluster_kind="threat")
    await user.open("/")
    assert await login_facilitator(sid, d.facilitator_secret)
    await user.open(f"/screen/{sid}")
    with user.scope(marker="projector-clusters"):
        await user.should_see("Santé", retries=LIVE)
        await user.should_see("Eau")
        await user.should_see(DEMO_THREAT)
        await user.should_see("Autres")  # the demo's other threats are in no group
    sorting.rename_theme_group(db, sid, sorting.theme_groups(db, sid, "threat")[0].id, "Accès aux soins")
    new = cards.add_card(db, sid, kind="threat", text="Pénurie d'infirmières").id
    with user.scope(marker="projector-clusters"):
        await user.should_see("Accès aux soins", retries=LIVE)
        await user.should_see("Pénurie d'infirmières", retries=LIVE)
    sorting.move_to_theme_group(db, sid, new, sorting.theme_groups(db, sid, "threat")[0].id)
    cards.merge(db, sid, a, [b])
    with user.scope(marker="projector-clusters"):
        await user.should_not_see(B, retries=LIVE)
