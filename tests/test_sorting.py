"""Duplicate suggestions and theme groups through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from workshop.archive import ArchiveError, export_seminar, import_seminar
from workshop.db import Database
from workshop.errors import Invalid, NotFound
from workshop.models import CardKind
from workshop.services import cards, screen, seminars, sorting

THREATS = [
    "Désertification médicale",
    "Fermeture des commerces de proximité",
    "Manque de médecins dans les bourgs",
    "Sécheresses à répétition",
    "Disparition des petits commerces dans les villages",
    "Épisodes de sécheresse plus fréquents",
    "Hausse du prix des carburants",
    "Inondations et coulées de boue",
    "Flambée du prix de l'essence et du gazole",
    "Ruissellement et coulées boueuses après les orages",
    "Fermeture des usines agroalimentaires",
    "Vieillissement de la population",
]


def _wall(db: Database, seminar_id: int) -> dict[str, int]:
    ids = {text: cards.add_card(db, seminar_id, kind="threat", text=text).id for text in THREATS}
    ids["stake:médecins"] = cards.add_card(db, seminar_id, kind="stake", text="Manque de médecins").id
    return ids


def _texts(suggestion, ids: dict[str, int]) -> set[str]:
    names = {v: k for k, v in ids.items()}
    return {names[i] for i in suggestion.card_ids}


def test_suggestions_pair_cards_that_say_the_same_thing_of_one_kind(db, seminar):
    ids = _wall(db, seminar.seminar_id)
    found = sorting.duplicate_suggestions(db, seminar.seminar_id)
    groups = [_texts(s, ids) for s in found]
    assert {"Désertification médicale", "Manque de médecins dans les bourgs"} in groups
    assert {"Fermeture des commerces de proximité", "Disparition des petits commerces dans les villages"} in groups
    assert {"Hausse du prix des carburants", "Flambée du prix de l'essence et du gazole"} in groups
    # a stake is never suggested with threats, and the factories are not the shops
    assert all("stake:médecins" not in g for g in groups)
    assert all("Fermeture des usines agroalimentaires" not in g for g in groups)
    medical = next(s for s in found if ids["Désertification médicale"] in s.card_ids)
    assert 0.3 <= medical.score <= 1
    assert any("médecins" in w and "médicale" in w for w in medical.shared), medical.shared


def test_a_dismissed_suggestion_stays_dismissed_and_can_be_restored(db, seminar):
    sid = seminar.seminar_id
    ids = _wall(db, sid)
    pair = {ids["Hausse du prix des carburants"], ids["Flambée du prix de l'essence et du gazole"]}
    assert any(set(s.card_ids) == pair for s in sorting.duplicate_suggestions(db, sid))

    assert sorting.dismiss_duplicates(db, sid, sorted(pair)) == 1
    assert sorting.dismiss_duplicates(db, sid, sorted(pair)) == 0  # remembered once
    # a new connection (a reloaded page, a restarted server) still knows it
    again = Database(db.url) if db.is_sqlite else db
    assert not any(pair & set(s.card_ids) == pair for s in sorting.duplicate_suggestions(again, sid))
    assert sorting.dismissed_count(again, sid) == 1
    if again is not db:
        again.dispose()

    assert sorting.restore_dismissed(db, sid) == 1
    assert any(set(s.card_ids) == pair for s in sorting.duplicate_suggestions(db, sid))


def test_dismissing_needs_two_cards_of_this_seminar(db, seminar, kit, two_days):
    sid = seminar.seminar_id
    ids = _wall(db, sid)
    with pytest.raises(Invalid):
        sorting.dismiss_duplicates(db, sid, [ids["Sécheresses à répétition"]])
    other = seminars.create_seminar(db, title="Autre", territory="Ailleurs", horizon_year=2050, run_sheet=two_days,
                                    kit=kit, facilitator_secret="autre-secret-2026")
    stranger = cards.add_card(db, other.seminar_id, kind="threat", text="Sécheresse").id
    with pytest.raises(NotFound):
        sorting.dismiss_duplicates(db, sid, [ids["Sécheresses à répétition"], stranger])
    assert sorting.dismissed_count(db, sid) == 0


def test_merging_a_suggestion_removes_it_and_hidden_cards_are_not_suggested(db, seminar):
    sid = seminar.seminar_id
    ids = _wall(db, sid)
    keep, other = ids["Sécheresses à répétition"], ids["Épisodes de sécheresse plus fréquents"]
    assert any({keep, other} == set(s.card_ids) for s in sorting.duplicate_suggestions(db, sid))
    cards.merge(db, sid, keep, [other])
    assert not any(other in s.card_ids for s in sorting.duplicate_suggestions(db, sid))
    cards.set_hidden(db, sid, ids["Inondations et coulées de boue"], True)
    assert not any(ids["Inondations et coulées de boue"] in s.card_ids for s in sorting.duplicate_suggestions(db, sid))


def test_theme_groups_are_proposed_accepted_renamed_and_adjusted(db, seminar):
    sid = seminar.seminar_id
    ids = _wall(db, sid)
    proposal = sorting.propose_theme_groups(db, sid, "threat")
    threat_ids = {v for k, v in ids.items() if not k.startswith("stake:")}
    assert 2 <= len([g for g in proposal if not g.other]) <= 7
    assert {i for g in proposal for i in g.card_ids} == threat_ids  # every threat once, no stake
    assert sum(len(g.card_ids) for g in proposal) == len(threat_ids)
    assert all(len(g.label) <= 40 for g in proposal)

    assert sorting.theme_groups(db, sid, "threat") == []
    sorting.accept_theme_groups(db, sid, "threat", [(g.label or "Autres", list(g.card_ids)) for g in proposal])
    groups = sorting.theme_groups(db, sid, "threat")
    assert [g.label for g in groups[:-1]] == [g.label or "Autres" for g in proposal]
    assert groups[-1].id is None and groups[-1].card_ids == ()

    first, second = groups[0], groups[1]
    sorting.rename_theme_group(db, sid, first.id, "  Santé et commerces  ")
    moved = first.card_ids[0]
    sorting.move_to_theme_group(db, sid, moved, second.id)
    groups = sorting.theme_groups(db, sid, "threat")
    assert groups[0].label == "Santé et commerces" and moved not in groups[0].card_ids
    assert moved in groups[1].card_ids
    sorting.move_to_theme_group(db, sid, moved, None)
    assert moved in sorting.theme_groups(db, sid, "threat")[-1].card_ids

    new = cards.add_card(db, sid, kind="threat", text="Canicules et fortes chaleurs").id
    assert new in sorting.theme_groups(db, sid, "threat")[-1].card_ids  # written since: in no group
    with pytest.raises(Invalid):
        sorting.move_to_theme_group(db, sid, ids["stake:médecins"], second.id)
    with pytest.raises(Invalid):
        sorting.rename_theme_group(db, sid, first.id, "   ")
    with pytest.raises(Invalid):
        sorting.accept_theme_groups(db, sid, "threat", [("Mélange", [ids["stake:médecins"]])])
    assert sorting.theme_groups(db, sid, "threat")[0].label == "Santé et commerces"  # refused: nothing changed
    assert sorting.grouped_kinds(db, sid) == ["threat"]
    sorting.clear_theme_groups(db, sid, "threat")
    assert sorting.theme_groups(db, sid, "threat") == []


def test_a_theme_group_is_labelled_only_by_words_half_its_cards_share(db, seminar):
    """« Manque de médecins » and « Fermeture des commerces » were grouped (both say « less of ») and
    labelled « Commerce », a word of one of them: the facilitators read that label on the console
    and the projector as the group's theme. A label's words are now on half of its cards (two at
    least); a group without such a word has none, and says which words are the most frequent."""
    sid = seminar.seminar_id
    texts = ["Manque de médecins", "Fermeture des commerces", "Sécheresses à répétition",
             "Épisodes de sécheresse plus fréquents"]
    ids = {cards.add_card(db, sid, kind="threat", text=text).id: text for text in texts}
    proposal = sorting.propose_theme_groups(db, sid, "threat")
    groups = {frozenset(ids[i] for i in g.card_ids): g for g in proposal}
    mixed = groups[frozenset(texts[:2])]
    assert mixed.label == "" and not mixed.other and mixed.frequent == ()
    assert groups[frozenset(texts[2:])].label == "Sécheresse"

    more = ["Fermeture des petits commerces du bourg", "Désert médical dans les villages",
            "Départ en retraite des médecins généralistes"]
    for text in more:
        ids[cards.add_card(db, sid, kind="threat", text=text).id] = text
    proposal = sorting.propose_theme_groups(db, sid, "threat")
    care = next(g for g in proposal if "Manque de médecins" in {ids[i] for i in g.card_ids})
    shown = {ids[i] for i in care.card_ids}
    assert len(shown) == 5 and "Fermeture des commerces" in shown
    # médecins on 3 of 5 cards, commerces on 2: the label names the first only
    assert care.label == "Médecin" and not care.other


def test_the_projector_can_show_the_wall_by_theme(db, seminar):
    state = screen.set_screen(db, seminar.seminar_id, view="clusters", cluster_kind="threat")
    assert state.view == "clusters" and screen.get_screen(db, seminar.seminar_id).cluster_kind == "threat"
    with pytest.raises(Invalid):
        screen.set_screen(db, seminar.seminar_id, cluster_kind="licorne")


def test_dismissals_and_theme_groups_travel_in_archives(db, seminar):
    sid = seminar.seminar_id
    ids = _wall(db, sid)
    pair = [ids["Hausse du prix des carburants"], ids["Flambée du prix de l'essence et du gazole"]]
    sorting.dismiss_duplicates(db, sid, pair)
    sorting.accept_theme_groups(db, sid, "threat", [("Prix", pair), ("Eau", [ids["Sécheresses à répétition"]])])
    screen.set_screen(db, sid, view="clusters", cluster_kind="threat")
    archive = json.loads(json.dumps(export_seminar(db, sid)))
    assert len(archive["dismissed_duplicates"]) == 1 and len(archive["card_clusters"]) == 2

    copy = import_seminar(db, archive).seminar_id
    texts = {c.id: c.text for c in cards.list_cards(db, copy)}
    (a, b), = sorting.dismissed_pairs(db, copy)
    assert {texts[a], texts[b]} == {"Hausse du prix des carburants", "Flambée du prix de l'essence et du gazole"}
    groups = sorting.theme_groups(db, copy, "threat")
    assert [(g.label, sorted(texts[i] for i in g.card_ids)) for g in groups[:2]] == [
        ("Prix", sorted(["Hausse du prix des carburants", "Flambée du prix de l'essence et du gazole"])),
        ("Eau", ["Sécheresses à répétition"])]
    assert screen.get_screen(db, copy).cluster_kind == "threat"

    older = {k: v for k, v in archive.items() if k not in ("dismissed_duplicates", "card_clusters")}
    assert sorting.dismissed_count(db, import_seminar(db, older).seminar_id) == 0  # archives from before import

    broken = json.loads(json.dumps(archive))
    broken["card_clusters"][0]["card_ids"].append(999_999)
    with pytest.raises(ArchiveError) as refused:
        import_seminar(db, broken)
    assert "$.card_clusters[0].card_ids[2]" in refused.value.message("fr")
    stake = ids["stake:médecins"]
    mixed = json.loads(json.dumps(archive))
    mixed["card_clusters"][1]["card_ids"].append(stake)
    with pytest.raises(ArchiveError):
        import_seminar(db, mixed)


def test_suggestions_for_an_unknown_seminar_say_so(db):
    with pytest.raises(NotFound):
        sorting.duplicate_suggestions(db, 12345)
    with pytest.raises(Invalid):
        sorting.propose_theme_groups(db, 12345, "dragon")
    assert CardKind("threat")


def test_cards_can_be_compared_in_several_threads_at_once() -> None:
    """The console's panels, the projector and a report export stem words in worker threads at
    the same time: each must get the same stems as alone (a shared Snowball stemmer crashed)."""
    import threading

    from workshop.reports.similarity import stems

    texts = [f"{w} {i}" for i in range(300) for w in ("Désertification médicale", "Renouvelables locales",
                                                      "Agriculteurs installés", "Commerçants fermés")]
    expected = [stems.__wrapped__(t) for t in texts]
    problems: list[str] = []

    def work() -> None:
        try:
            for _ in range(5):
                if [stems.__wrapped__(t) for t in texts] != expected:
                    problems.append("different stems")
        except Exception as exc:  # noqa: BLE001 - the crash is what this test looks for
            problems.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
