"""French spacing of the texts shown in French (``i18n.french_spacing``), applied once: to the
French message catalogue and, at load time, to kit and run-sheet texts."""

from __future__ import annotations

import pytest

from workshop.content import find_run_sheet
from workshop.i18n import NBSP, catalogue, french_spacing, keep_pronouns, translate


@pytest.mark.parametrize(("text", "spaced"), [
    ("Voici la question : laquelle ?", f"Voici la question{NBSP}: laquelle{NBSP}?"),
    ("menaces ; ressources", f"menaces{NBSP}; ressources"),
    ("Bienvenue ! Prêts ?", f"Bienvenue{NBSP}! Prêts{NBSP}?"),
    ("« Comment… ? »", f"«{NBSP}Comment…{NBSP}?{NBSP}»"),
    ("«Comment»", f"«{NBSP}Comment{NBSP}»"),
    ("question  :  oui", f"question{NBSP}:  oui"),  # a run of spaces before the mark becomes one
    ("(3 gommettes)", f"(3{NBSP}gommettes)"),
    ("de 9 h 30 à 12 h", f"de 9{NBSP}h 30{NBSP}à 12{NBSP}h"),
    ("deux notes de 1 à 5", f"deux notes de 1{NBSP}à 5"),  # scales: kit and run-sheet texts only (below)
])
def test_french_marks_get_their_no_break_space(text, spaced):
    assert french_spacing(text) == spaced


@pytest.mark.parametrize(("text", "spaced"), [
    ("deux notes de 1 à 5", f"deux notes de 1{NBSP}à{NBSP}5"),
    ("(1 = négligeables, 5 = majeures)", f"(1{NBSP}={NBSP}négligeables, 5{NBSP}={NBSP}majeures)"),
    ("chaque couple défi × action", f"chaque couple défi{NBSP}×{NBSP}action"),
    ("a==b et x=1", "a==b et x=1"),  # signs written without spaces stay as they are
])
def test_kit_and_run_sheet_texts_keep_a_scale_with_its_numbers(text, spaced):
    """« 5 = » ended a line on the projector, « × action » began one on a tablet."""
    assert french_spacing(text, scales=True) == spaced


@pytest.mark.parametrize("text", [
    "Voir https://example.org/page?x=1;y=2#a!b et mailto:contact@example.org",
    "Début à 10:30, fin à 12:15.",
    "Un contraste d'au moins 4,5:1.",
    "Texte sans ponctuation double.",
    "",
])
def test_times_urls_and_ratios_are_unchanged(text):
    assert french_spacing(text) == text


def test_no_double_space_and_line_breaks_kept():
    spaced = french_spacing("Première ligne :\n: deuxième ; troisième  !")
    assert "  " not in spaced.replace("\n", "")
    assert f"{NBSP}{NBSP}" not in spaced and f"{NBSP}{NBSP}" not in spaced
    assert spaced == f"Première ligne{NBSP}:\n: deuxième{NBSP}; troisième{NBSP}!"


def test_the_french_catalogue_is_spaced_once_at_load():
    spaced = [text for text in catalogue("fr").values() if " :" in text or " ?" in text or "« " in text]
    assert spaced == [], spaced[:5]


def test_a_count_stays_with_its_noun():
    """« (3 gommettes) » never splits into « (3 » and « gommettes) » across two lines."""
    assert translate("report.dots_n", "fr", count=3) == f"3{NBSP}gommettes"
    assert translate("console.dots", "fr", dots=2, count=2) == f"2{NBSP}gommettes"


def test_english_is_left_as_written():
    assert all(f"{NBSP}:" not in text and f"{NBSP}?" not in text for text in catalogue("en").values())


def test_run_sheet_instructions_have_a_no_break_space_before_colons():
    sheet = find_run_sheet("deux-jours")
    texts = [t for a in sheet.activities for t in (a.title, a.participant_instructions, a.facilitator_instructions)]
    assert any(f"{NBSP}:" in text for text in texts)
    assert not any(" :" in text or " ?" in text or " ;" in text or "« " in text or " »" in text for text in texts)


def test_the_rating_instructions_keep_their_scale_on_one_line():
    """The two-day sheet's threat rating, as loaded: « de 1 à 5 » and « 5 = conséquences majeures »
    never break inside; the tablet's hint under each scale neither."""
    sheet = find_run_sheet("deux-jours")
    rating = next(a.participant_instructions for a in sheet.activities if "gravité pour le territoire" in
                  (a.participant_instructions or ""))
    assert f"de 1{NBSP}à{NBSP}5" in rating and f"5{NBSP}={NBSP}conséquences majeures" in rating, rating
    assert translate("tablet.rate_hint", "fr", low="faible", high="forte") == f"1{NBSP}={NBSP}faible · 5{NBSP}={NBSP}forte"


@pytest.mark.parametrize(("text", "kept"), [
    ("Vous disposez de 5 gommettes. Placez-les sur les enjeux", "Vous disposez de 5 gommettes. Placez\u2011les sur les enjeux"),
    ("Datez chaque étape et rattachez-y les ressources", "Datez chaque étape et rattachez\u2011y les ressources"),
    ("Retirez-en une, dites-nous pourquoi", "Retirez\u2011en une, dites\u2011nous pourquoi"),
    ("Tient-elle ? A-t-il plié ?", "Tient\u2011elle ? A\u2011t\u2011il plié ?"),
    # other hyphens may still end a line
    ("peut-être, c'est-à-dire, un sous-ensemble, les centres-bourgs", "peut-être, c'est-à-dire, un sous-ensemble, les centres-bourgs"),
])
def test_a_verb_keeps_its_pronoun_on_its_line(text, kept):
    """« Placez- » ended a line on a phone, « les » began the next (the run sheet's instructions)."""
    assert keep_pronouns(text) == kept
