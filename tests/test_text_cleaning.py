"""The one text cleaner: invisible characters go by Unicode category, emoji sequences stay whole.

Issue 12: C1 controls, U+2028/2029, U+2060, U+FEFF, U+00AD, U+180E, U+2061 were kept, so two
display names could look identical and differ.
"""

from __future__ import annotations

import unicodedata

import pytest

from workshop.errors import Invalid
from workshop.services import participants, seminars
from workshop.services._common import clean_text, name_key, strip_invisible

# Every character the outside probe slipped into a name, and a few more of the same families.
INVISIBLE = {
    "C1 control (CSI)": "\x9b",
    "WORD JOINER": "\u2060",
    "BOM / ZWNBSP": "\ufeff",
    "SOFT HYPHEN": "\u00ad",
    "MONGOLIAN VOWEL SEPARATOR": "\u180e",
    "FUNCTION APPLICATION": "\u2061",
    "INVISIBLE TIMES": "\u2062",
    "ZERO WIDTH SPACE": "\u200b",
    "RTL OVERRIDE": "\u202e",
    "RTL ISOLATE": "\u2067",
    "ARABIC LETTER MARK": "\u061c",
    "HANGUL FILLER": "\u3164",
    "NUL": "\x00",
    "lone ZWJ between letters": "\u200d",
    "lone ZWNJ between Latin letters": "\u200c",
}


@pytest.mark.parametrize("name", INVISIBLE)
def test_invisible_characters_leave_names(name):
    sneaky = f"Ma{INVISIBLE[name]}rie"
    assert clean_text(sneaky, field="display_name", max_length=60) == "Marie"
    assert clean_text(sneaky, field="details", max_length=60, multiline=True) == "Marie"


def test_every_format_character_of_the_bmp_is_removed_outside_emoji():
    # By category, not by a hand list: every Cf character between two Latin letters goes.
    kept = [hex(cp) for cp in range(0x10000) if unicodedata.category(chr(cp)) == "Cf"
            and strip_invisible(f"a{chr(cp)}b") != "ab"]
    assert kept == []
    controls = [hex(cp) for cp in range(0x100) if unicodedata.category(chr(cp)) == "Cc"
                and strip_invisible(f"a{chr(cp)}b") != "ab"]
    assert controls == []


@pytest.mark.parametrize("emoji", [
    "👩🏽\u200d🌾",  # woman farmer, medium skin tone
    "🏳️\u200d🌈",  # rainbow flag (with VS16)
    "👨\u200d👩\u200d👧\u200d👦",  # family
    "❤️\u200d🔥",  # heart on fire
    "🧑🏿\u200d🦽",  # person in wheelchair, dark skin tone
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # flag of England (tag sequence)
    "1️⃣",  # keycap
    "🇫🇷",  # regional indicators
])
def test_emoji_sequences_stay_whole(emoji):
    assert clean_text(f"Agricultrice {emoji} !", field="text", max_length=100) == f"Agricultrice {emoji} !"


def test_joiners_stay_where_a_script_needs_them():
    persian = "می\u200cخواهم"  # ZWNJ inside a Persian word
    hindi = "क्\u200dष"  # ZWJ in Devanagari
    assert clean_text(persian, field="text", max_length=100) == persian
    assert clean_text(hindi, field="text", max_length=100) == hindi


def test_line_separators_become_line_breaks_in_long_text_and_spaces_in_short_text():
    assert clean_text("un\u2028deux\u2029trois\x85quatre", field="details", max_length=100,
                      multiline=True) == "un\ndeux\ntrois\nquatre"
    assert clean_text("un\u2028deux", field="title", max_length=100) == "un deux"


def test_a_name_made_only_of_invisible_characters_is_empty():
    with pytest.raises(Invalid) as caught:
        clean_text("\u200b\u2060\ufeff\u00ad\u3164", field="display_name", max_length=60)
    assert caught.value.code == "text_required"


def test_names_are_compared_after_nfc_and_cleaning():
    assert name_key("Zoé") == name_key("Zoe\u0301") == name_key("ZOÉ") == name_key("Zo\u00ade\u0301")
    assert name_key("Table 1") != name_key("Table 2")


def test_look_alike_display_names_collide(db, seminar, join):
    a = join("Zoé")
    b = join("Zo\u00ade\u0301\u200b\u2060")  # soft hyphen, decomposed é, zero-width space, word joiner
    names = {p.id: p.display_name for p in participants.list_participants(db, seminar.seminar_id)}
    assert names[a.participant_id] == names[b.participant_id] == "Zoé"


def test_look_alike_table_names_are_refused_as_duplicates(db, seminar):
    seminars.add_group(db, seminar.seminar_id, "Équipe verte")
    with pytest.raises(Invalid) as caught:
        seminars.add_group(db, seminar.seminar_id, "E\u0301quipe\u2060 VERTE\ufeff")
    assert caught.value.code == "duplicate_group_name"


def test_run_sheet_texts_pass_the_same_cleaner_at_seminar_creation(db, kit, tmp_path):
    from datetime import date

    from workshop import config
    from workshop.content import ContentError, load_run_sheet
    from workshop.services import activities

    text = (config.PROJECT_ROOT / "scenarios" / "demi-journee-decouverte.yaml").read_text(encoding="utf-8")
    first_title = next(line for line in text.splitlines() if line.strip().startswith("title:") and
                       line.startswith("    "))
    value = first_title.split("title: ", 1)[1]
    sneaky = first_title.replace(value, '"\\u202e\\u200b' + value + '\\u2060"')  # YAML escapes
    path = tmp_path / "sheet.yaml"
    path.write_text(text.replace(first_title, sneaky, 1), encoding="utf-8")
    sheet = load_run_sheet(path, kit=kit)
    created = seminars.create_seminar(db, title="Séminaire", territory="Amiens", horizon_year=2055, run_sheet=sheet,
                                      kit=kit, day_dates=[date(2026, 12, 3)], facilitator_secret="animation-2026")
    titles = [a.title for a in activities.list_activities(db, created.seminar_id)]
    assert titles[0] == first_title.split("title: ", 1)[1].strip()
    assert not any(ch in "".join(titles) for ch in "\u202e\u200b")

    import yaml

    data = yaml.safe_load(text)
    data["activities"][0]["participant_instructions"] = "x" * 5001
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_run_sheet(path, kit=kit)
    assert "participant_instructions" in str(caught.value) and "5000" in str(caught.value)
