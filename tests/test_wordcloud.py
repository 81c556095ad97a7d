"""Word cloud of a one-word question: counting (French stop words, accents, case) and layout."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.services.wordcloud import normalise_entry, place_words, word_frequencies


def test_counts_most_frequent_first_then_alphabetically() -> None:
    texts = ["Solidaire", "Verte", "Vivante", "Résiliente", "Solidaire", "Accueillante", "Verte",
             "Apaisée", "Innovante", "Solidaire", "Nourricière", "Verte"]
    assert word_frequencies(texts) == [
        ("Solidaire", 3), ("Verte", 3), ("Accueillante", 1), ("Apaisée", 1), ("Innovante", 1),
        ("Nourricière", 1), ("Résiliente", 1), ("Vivante", 1),
    ]


def test_groups_case_insensitively_and_shows_most_frequent_spelling() -> None:
    assert word_frequencies(["verte", "Verte", "VERTE", "Verte"]) == [("Verte", 4)]
    assert word_frequencies(["solidaire", "solidaire", "Solidaire"]) == [("solidaire", 3)]


def test_keeps_accents_and_groups_unaccented_spellings_with_them() -> None:
    # Phones often lose accents on capitals: the accented spelling is kept on a tie.
    assert word_frequencies(["ENERGIE", "Énergie"]) == [("Énergie", 2)]
    assert word_frequencies(["Résiliente", "resiliente", "Résiliente"]) == [("Résiliente", 3)]
    assert word_frequencies(["Apaisée"]) == [("Apaisée", 1)]


def test_shouted_spelling_loses_a_tie() -> None:
    assert word_frequencies(["VIVANTE", "Vivante"]) == [("Vivante", 2)]


def test_french_stop_words_are_ignored() -> None:
    assert normalise_entry("La solidarité") == "solidarité"
    assert normalise_entry("l'eau") == "eau"
    assert normalise_entry("L’Avenir !") == "Avenir"
    assert normalise_entry("une ville verte") == "ville verte"
    assert normalise_entry("le") is None
    assert normalise_entry("  de la  ") is None
    assert word_frequencies(["le", "et", "des", "Verte", "la Verte"]) == [("Verte", 2)]


def test_inner_words_and_negations_are_kept() -> None:
    assert normalise_entry("terre de partage") == "terre de partage"
    assert normalise_entry("sans voiture") == "sans voiture"
    assert normalise_entry("aujourd'hui") == "aujourd'hui"
    assert normalise_entry("Terre d'accueil") == "Terre d'accueil"
    assert normalise_entry("terre d’avenir") == "terre d’avenir"


def test_punctuation_and_spaces_are_trimmed() -> None:
    assert word_frequencies(["  Verte!", "«verte»", "verte."]) == [("verte", 3)]
    assert word_frequencies(["", "   ", "!!!"]) == []


def test_emoji_and_other_scripts_pass() -> None:
    assert word_frequencies(["🌱", "🌱", "Ville🌳"]) == [("🌱", 2), ("Ville🌳", 1)]


def test_layout_is_deterministic_inside_the_canvas_and_without_overlaps() -> None:
    freqs = word_frequencies(["Solidaire"] * 9 + ["Verte"] * 6 + ["Résiliente"] * 3 + [f"mot{i}" for i in range(40)])
    first = place_words(freqs, width=1600, height=900)
    assert first == place_words(freqs, width=1600, height=900)
    assert len(first) == len(freqs)
    assert first[0].text == "Solidaire" and first[0].size == max(w.size for w in first)
    for i, a in enumerate(first):
        assert 0 <= a.x - a.width / 2 and a.x + a.width / 2 <= 1600
        assert 0 <= a.y - a.height / 2 and a.y + a.height / 2 <= 900
        for b in first[i + 1:]:
            apart = abs(a.x - b.x) * 2 >= a.width + b.width or abs(a.y - b.y) * 2 >= a.height + b.height
            assert apart, (a, b)


def test_layout_of_nothing_is_empty() -> None:
    assert place_words([]) == []


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), max_size=60))
def test_any_input_counts_without_crashing(texts: list[str]) -> None:
    freqs = word_frequencies(texts)
    assert sum(count for _, count in freqs) <= len(texts)
    assert all(count >= 1 and display.strip() for display, count in freqs)
    placed = place_words(freqs, width=800, height=450)
    assert len(placed) <= len(freqs)
