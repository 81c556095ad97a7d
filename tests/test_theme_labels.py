"""What the proposed theme groups are called: words that name a theme, cut between words."""

from __future__ import annotations

from workshop.dedup.themes import MAX_LABEL, propose

DROUGHT = ["Sécheresses à répétition", "Épisodes de sécheresse plus fréquents", "Sécheresse des sols agricoles"]


def _groups(texts: list[str]) -> dict[frozenset[str], object]:
    return {frozenset(texts[i] for i in g.card_ids): g for g in propose(list(range(len(texts))), texts)}


def test_a_grammatical_word_never_names_a_theme():
    """« Sans » was proposed as a theme (« Sans · médecin », « Médecin · sans » on the held-out
    Sambre-Avesnois wall): the facilitators name their themes from these labels."""
    lacking = ["Villages sans médecin", "Bourgs sans médecin généraliste", "Jeunes sans permis de conduire",
               "Aînés sans voiture"]
    groups = _groups(lacking + DROUGHT)
    care = groups[frozenset(lacking)]
    assert care.label == "Médecin · village"
    assert "sans" not in care.label.casefold()


def test_a_group_sharing_only_a_grammatical_word_lists_its_topic_words():
    """Cards « hors saison » and « à l'année » were proposed as « Hors »; without it the group has
    no word on half its cards, so it is a « Thème n » listing its most frequent words, « hors » not
    among them (it was one of Baie de Somme's)."""
    off_season = ["Des médecins même hors saison", "Garder la poste ouverte hors saison",
                  "Offre culturelle hors saison pour les jeunes", "Des logements pour les jeunes",
                  "Emplois à l'année", "Des commerces ouverts à l'année"]
    texts = off_season + DROUGHT
    found = [g for g in propose(list(range(len(texts))), texts) if not g.other]
    words = [w for g in found for w in g.label.casefold().replace("·", " ").split()]
    words += [w for g in found for w, _ in g.frequent]
    assert found and "hors" not in words
    assert found[0].label == "" and ("jeune", 2) in found[0].frequent


def test_a_long_label_is_cut_between_words():
    """Two long words were cut mid-word at 40 characters: « Précarité énergétique · réindustrialisat »."""
    both = ["Précarité énergétique et réindustrialisation du bassin",
            "La réindustrialisation contre la précarité énergétique",
            "Réindustrialisation et précarité énergétique des ménages"]
    label = _groups(both + DROUGHT)[frozenset(both)].label
    assert label == "Précarité énergétique · …"
    assert len(label) <= MAX_LABEL


def test_a_single_word_longer_than_a_label_ends_with_an_ellipsis():
    word = "Intercommunalitéssupraterritorialesmétropolitaines"
    texts = [f"{word} partout", f"Les {word}", f"{word} encore"] + DROUGHT
    label = next(g.label for g in propose(list(range(len(texts))), texts) if 0 in g.card_ids)
    assert label.endswith("…") and len(label) == MAX_LABEL
    assert word.startswith(label[:-1])


def test_the_label_only_list_holds_no_word_the_comparison_already_drops():
    """FUNCTION_WORDS names what the comparison keeps and a label must not: a stop word there was a
    second list of the same word (« cela », « là », « comment »), never reached by any label."""
    from workshop.dedup.themes import FUNCTION_WORDS
    from workshop.reports.similarity import _STOPS, fold

    assert sorted(w for w in FUNCTION_WORDS if fold(w).casefold() in _STOPS) == []
