"""The console while the room goes on: what the facilitator is told after a click when a live
refresh redraws the clicked button's list while its service runs (someone joins, a card arrives),
and lists that keep their buttons when what they show did not change. NiceGUI sends a toast or a
download to the page of the element whose handler runs; a redraw deletes that element."""

from __future__ import annotations

import json

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_download import UserDownload

from workshop.errors import NotFound
from workshop.models import CardKind, College, Interaction, LinkStatus, Relation
from workshop.services import cards, links, participants, personal_data, seminars, trajectories
from workshop.ui.console.graph_panel import GraphPanel

from test_ui_console import _eventually, _login  # the console tests' login and wait helpers
from test_ui_graph import card_id, open_activity, open_graph_tab
from test_ui_sorting import DEMO_THREAT, LIVE, _PageNotify, held


class _PageDownload(UserDownload):
    """Downloads as the real ``ui.download`` sends them: to the page of the element whose handler runs."""

    def content(self, content: bytes | str, filename: str | None = None, media_type: str = "") -> None:
        ui.context.client  # raises, as ui.download does, when that element was deleted meanwhile
        super().content(content, filename, media_type)


def _someone_joins(db, d, name: str, table: int | None = None) -> None:
    participants.join(db, d.join_code, display_name=name, college=College.RESIDENT, group_id=table)


async def test_a_refused_table_name_is_said_even_if_someone_joins_meanwhile(demo, user: User, monkeypatch) -> None:
    db, d = demo
    sid = d.seminar_id
    user.notify = _PageNotify()
    await _login(user, sid)
    first, second = seminars.get_seminar_by_id(db, sid).groups[:2]
    renaming, go_on = held(monkeypatch, seminars, "rename_group")
    user.find(marker=f"group-name-{first.id}").clear().type(second.name).trigger("keydown.enter")
    await _eventually(renaming.is_set)
    _someone_joins(db, d, "Nadia Nouvelle", first.id)  # the table being renamed is drawn again: she sits there
    with user.scope(marker="groups"):
        await user.should_see("Nadia Nouvelle", retries=LIVE)
    go_on.set()
    await user.should_see("Une table porte déjà ce nom.", retries=LIVE)
    assert seminars.get_seminar_by_id(db, sid).groups[0].name == first.name


async def test_an_export_is_downloaded_even_if_someone_joins_meanwhile(demo, user: User, monkeypatch) -> None:
    db, d = demo
    sid = d.seminar_id
    zoe = participants.join(db, d.join_code, display_name="Zoé Testname", college=College.ELECTED)
    user.download = _PageDownload(user)
    await _login(user, sid)
    await user.should_see(marker=f"export-{zoe.participant_id}", retries=LIVE)
    exporting, go_on = held(monkeypatch, personal_data, "export_participant_json")
    user.find(marker=f"export-{zoe.participant_id}").click()
    await _eventually(exporting.is_set)
    _someone_joins(db, d, "Nadia Nouvelle")  # the list of people is drawn again
    with user.scope(marker="personal-data-panel"):
        await user.should_see("Nadia Nouvelle", retries=LIVE)
    go_on.set()
    await _eventually(lambda: user.download.http_responses)
    assert json.loads(user.download.http_responses[-1].content)["participant"]["display_name"] == "Zoé Testname"


async def test_removing_a_step_says_so_even_if_a_card_arrives_meanwhile(demo, user: User, monkeypatch) -> None:
    db, d = demo
    sid = d.seminar_id
    user.notify = _PageNotify()
    await open_graph_tab(user, d)
    [trajectory] = trajectories.list_trajectories(db, sid)
    step = trajectories.add_step(db, sid, trajectory.id, year=2045, title="Un réseau de visiteurs bénévoles",
                                 card_ids=[card_id(db, d, "Tissu associatif dense")])
    with user.scope(marker="trajectory-list"):
        await user.should_see(marker=f"step-remove-{step.id}", retries=LIVE)
    removing, go_on = held(monkeypatch, trajectories, "remove_step")
    user.find(marker=f"step-remove-{step.id}").click()
    await _eventually(removing.is_set)
    # the card of the step is corrected meanwhile: the trajectories are drawn again
    cards.moderate_edit(db, sid, card_id(db, d, "Tissu associatif dense"), text="Tissu associatif très dense")
    with user.scope(marker="trajectory-list"):
        await user.should_see("Avec\u00a0: Tissu associatif très dense", retries=LIVE)
    go_on.set()
    await user.should_see("Étape retirée", retries=LIVE)
    assert all(s.id != step.id for s in trajectories.list_trajectories(db, sid)[0].steps)


def _zoe_proposing(db, d):
    """Zoé joins and a link activity opens: her proposals, from « Tissu associatif dense » to a card
    (its text), with a note."""
    token = participants.join(db, d.join_code, display_name="Zoé", college=College.RESIDENT).device_token
    activity = open_activity(db, d, Interaction.LINK)
    lever = card_id(db, d, "Tissu associatif dense")
    return lambda target, note: links.propose_link(db, token, activity, lever, card_id(db, d, target),
                                                   Relation.COUNTERS, note=note)


async def test_a_link_proposed_meanwhile_leaves_the_other_links_buttons_in_place(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    propose = _zoe_proposing(db, d)
    first = propose("Vieillissement de la population et isolement", "visites à domicile")
    await _login(user, sid)
    with user.scope(marker="proposed-links"):
        await user.should_see("Zoé · visites à domicile", retries=LIVE)
    accept = user.find(marker=f"accept-{first.id}").elements.pop()
    propose(DEMO_THREAT, "une maison de santé")
    with user.scope(marker="proposed-links"):
        await user.should_see("Zoé · une maison de santé", retries=LIVE)
    assert not accept.is_deleted
    user.find(marker=f"accept-{first.id}").click()
    await _eventually(lambda: all(l.id != first.id for l in links.list_links(db, sid, status=LinkStatus.PROPOSED)))
    assert any(l.id == first.id for l in links.list_links(db, sid)), "accepted"
    with user.scope(marker="proposed-links"):
        await user.should_not_see("Zoé · visites à domicile", retries=LIVE)
        await user.should_see("Zoé · une maison de santé")


async def test_someone_joining_leaves_the_other_tables_in_place(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    await _login(user, sid)
    seated = next(p for p in participants.list_participants(db, sid) if p.group_id is not None)
    with user.scope(marker="groups"):
        await user.should_see(marker=f"move-{seated.id}", retries=LIVE)
    move = user.find(marker=f"move-{seated.id}").elements.pop()
    _someone_joins(db, d, "Nadia Nouvelle")  # no table yet: « Sans table » shows her
    with user.scope(marker="groups"):
        await user.should_see("Nadia Nouvelle", retries=LIVE)
    assert not move.is_deleted
    table = next(g for g in seminars.get_seminar_by_id(db, sid).groups if g.id != seated.group_id)
    with user:  # the select is still the one on the page: choosing another table moves the person
        move.set_value(table.id)
    await _eventually(lambda: next(p for p in participants.list_participants(db, sid)
                                   if p.id == seated.id).group_id == table.id)
    with user.scope(marker=f"group-{table.id}"):
        await user.should_see(seated.display_name, retries=LIVE)


async def test_someone_joining_leaves_the_history_buttons_in_place(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    hidden = cards.list_cards(db, sid)[0]
    cards.set_hidden(db, sid, hidden.id, True)
    step = next(s for s in cards.history(db, sid) if s.action == "hide" and s.card_ids == [hidden.id])
    await _login(user, sid)
    with user.scope(marker="history"):
        await user.should_see(marker=f"undo-{step.id}", retries=LIVE)
    undo = user.find(marker=f"undo-{step.id}").elements.pop()
    _someone_joins(db, d, "Nadia Nouvelle")  # the people, the tables… are drawn again; the history has not changed
    with user.scope(marker="people-panel"):
        await user.should_see("Nadia Nouvelle", retries=LIVE)
    assert not undo.is_deleted
    user.find(marker=f"undo-{step.id}").click()
    await _eventually(lambda: not next(c for c in cards.list_cards(db, sid, include_hidden=True)
                                       if c.id == hidden.id).hidden)


async def test_a_card_arriving_keeps_the_card_chosen_to_keep_in_a_merge(demo, user: User) -> None:
    db, d = demo
    sid = d.seminar_id
    first, second = [c for c in cards.list_cards(db, sid, kinds=[CardKind.STAKE])][3:5]
    await _login(user, sid)
    user.find(marker=f"select-{first.id}").click()
    user.find(marker=f"select-{second.id}").click()
    await user.should_see("2\u00a0cartes sélectionnées")
    with user:  # the facilitator keeps the second card
        user.find(marker="merge-keep").elements.pop().set_value(second.id)
    arrived = cards.add_card(db, sid, kind="threat", text="Un bus supprimé")  # written on a tablet meanwhile
    with user.scope(marker="moderation-list"):
        await user.should_see(marker=f"card-{arrived.id}", retries=LIVE)
    user.find(marker="merge").click()
    await _eventually(lambda: first.id not in {c.id for c in cards.list_cards(db, sid, include_hidden=True)})
    assert second.id in {c.id for c in cards.list_cards(db, sid)}, "the card chosen is the one kept"
    await user.should_see("1\u00a0carte fusionnée", retries=LIVE)


async def test_a_card_arriving_leaves_the_graph_lists_in_place(demo, user: User, monkeypatch) -> None:
    """The graph tab is computed again at each card, link or vote (once a second at most): the
    lists of links and trajectories are drawn again only when they changed."""
    db, d = demo
    sid = d.seminar_id
    renders: list[int] = []
    render = GraphPanel.render

    def counted(panel: GraphPanel, data) -> None:
        render(panel, data)
        renders.append(len(data.state.snapshot.cards))

    monkeypatch.setattr(GraphPanel, "render", counted)
    await open_graph_tab(user, d)
    link = links.list_links(db, sid)[0]
    [trajectory] = trajectories.list_trajectories(db, sid)
    delete = user.find(marker=f"link-delete-{link.id}").elements.pop()
    [shown] = user.find(marker=f"trajectory-{trajectory.id}").elements
    before = renders[-1]
    cards.add_card(db, sid, kind="threat", text="Un bus supprimé")
    await _eventually(lambda: renders[-1] == before + 1)
    await user.should_see("Cartes\u00a0: 23 · liens acceptés\u00a0: 17 · trajectoires\u00a0: 1", retries=LIVE)
    assert not delete.is_deleted and not shown.is_deleted


async def test_accepting_a_link_removed_meanwhile_says_why(demo, user: User, monkeypatch) -> None:
    """« Accepter » waits for its service while another console deletes the link: its row goes,
    the button with it, and the refusal still reaches the facilitator."""
    db, d = demo
    sid = d.seminar_id
    link = _zoe_proposing(db, d)(DEMO_THREAT, "une maison de santé")
    user.notify = _PageNotify()
    deciding, go_on = held(monkeypatch, links, "decide")  # before the page is built: its buttons hold the service
    await _login(user, sid)
    with user.scope(marker="proposed-links"):
        await user.should_see("Zoé · une maison de santé", retries=LIVE)
    user.find(marker=f"accept-{link.id}").click()
    await _eventually(deciding.is_set)
    links.delete_link(db, sid, link.id)
    with user.scope(marker="proposed-links"):
        await user.should_not_see("Zoé · une maison de santé", retries=LIVE)
    go_on.set()
    await user.should_see("Introuvable\u00a0: lien.", retries=LIVE)


async def test_a_refused_table_name_or_move_leaves_the_fields_showing_the_truth(demo, user: User, monkeypatch) -> None:
    """Nothing redraws a table's column when the database did not change, so a refused name or
    move must be taken back by the field itself: else two tables seem to share a name."""
    db, d = demo
    sid = d.seminar_id
    user.notify = _PageNotify()
    await _login(user, sid)
    first, second = seminars.get_seminar_by_id(db, sid).groups[:2]
    user.find(marker=f"group-name-{first.id}").clear().type(second.name).trigger("keydown.enter")
    await user.should_see("Une table porte déjà ce nom.", retries=LIVE)
    [field] = user.find(marker=f"group-name-{first.id}").elements
    assert field.value == first.name

    person = next(p for p in participants.list_participants(db, sid) if p.group_id == first.id)

    def refused(*args, **kwargs):
        raise NotFound("not_found", what="group")

    monkeypatch.setattr(seminars, "move_participant", refused)
    [select] = user.find(marker=f"move-{person.id}").elements
    with user:  # choosing another table in the person's select
        select.set_value(second.id)
    await user.should_see("Introuvable", retries=LIVE)
    await _eventually(lambda: select.value is None)  # « Déplacer » again, under their table
    assert next(p for p in participants.list_participants(db, sid) if p.id == person.id).group_id == first.id
