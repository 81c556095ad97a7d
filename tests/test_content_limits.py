"""The one kit/run-sheet loader refuses files built to exhaust the server (issue 12).

Before: an alias bomb in a kit's ``card_kinds`` took 96 s and 2.2 GB before a MemoryError,
50,000-deep nesting raised an uncaught RecursionError, a 50 MB file ran for minutes. Each is
now refused with the file and the line, as ``workshop validate`` prints it (« REFUSÉ »), and
the seminar-creation page, which reads kits through the same loader, still offers the good ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workshop import cli, config
from workshop.content import MAX_DEPTH, MAX_FILE_BYTES, ContentError, load_kit, load_run_sheet, validate_file

SHIPPED_KIT = config.PROJECT_ROOT / "kits" / "visions21-fr.yaml"

ALIAS_BOMB = """\
name: bombe
title: Kit piégé
licence: CC BY-SA
credits: personne
themes:
  - {key: eau, label: Eau}
lol: &a ["stake", "stake", "stake", "stake", "stake", "stake", "stake", "stake", "stake"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
exercise_types:
  - key: enjeux
    label: Enjeux
    interaction: contribute
    card_kinds: *i
"""


def _refused(load, path: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load(path)
    assert caught.value.path == str(path) and caught.value.problems
    return caught.value


def test_an_alias_bomb_is_refused_at_its_first_alias(tmp_path):
    path = tmp_path / "bombe.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    error = _refused(load_kit, path)
    [problem] = error.problems
    assert problem.where == "(yaml)" and "aliases" in problem.what
    assert problem.line == 8  # "b: &b [*a, …": where the first alias is
    assert f"{path}:8:" in str(error)


def test_a_single_harmless_alias_is_refused_too_with_a_way_out(tmp_path):
    text = SHIPPED_KIT.read_text(encoding="utf-8") + "\nextra: &x 1\nagain: *x\n"
    path = tmp_path / "kit.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = _refused(load_kit, path).problems
    assert "write the value out" in problem.what and problem.line == text.count("\n")


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_fifty_thousand_levels_of_nesting_are_refused_without_a_recursion_error(tmp_path, opening, closing):
    depth = 50_000
    path = tmp_path / "deep.yaml"
    path.write_text("name: deep\nthemes: " + opening * depth + "1" + closing * depth + "\n", encoding="utf-8")
    [problem] = _refused(load_kit, path).problems  # a RecursionError would fail here
    assert problem.where == "(yaml)" and f"more than {MAX_DEPTH} levels" in problem.what and problem.line == 2


def test_nesting_within_the_limit_still_loads():
    # The shipped kit and run sheets load as before (single parse, same values).
    kit = load_kit(SHIPPED_KIT)
    assert kit.name == "visions21-fr" and kit.decks
    sheet = load_run_sheet(config.PROJECT_ROOT / "scenarios" / "deux-jours.yaml", kit=kit)
    assert sheet.activities


def test_a_fifty_megabyte_file_is_refused_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:  # sparse: 50 MB long, nothing written to disk
        stream.truncate(50 * 1024 * 1024)
    opened: list[Path] = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: pytest.fail("read_text on a 50 MB file"))
    [problem] = _refused(load_kit, path).problems
    assert problem.where == "(file)" and "too large" in problem.what and "52 428 800 bytes" in problem.what
    assert path not in opened


def test_a_file_growing_past_the_limit_while_read_is_cut_short(tmp_path, monkeypatch):
    path = tmp_path / "growing.yaml"
    path.write_text("name: x\n", encoding="utf-8")
    real_stat = Path.stat
    # The size seen first is small; what is read is past the limit.
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    monkeypatch.setattr(Path, "stat", lambda self, **kw: _Small() if self == path else real_stat(self, **kw))
    [problem] = _refused(load_kit, path).problems
    assert "too large" in problem.what


class _Small:
    st_size = 10
    st_mode = 0o100644


def test_the_command_line_prints_refused_with_the_file_and_the_line(tmp_path, capsys):
    bomb = tmp_path / "bombe.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    deep = tmp_path / "deep.yaml"
    deep.write_text("name: deep\nthemes: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    assert cli.main(["validate", str(bomb), str(deep), str(SHIPPED_KIT)]) == 1
    captured = capsys.readouterr()
    assert f"REFUSÉ  {bomb}" in captured.err and "ligne 8 · (yaml) : aliases" in captured.err
    assert f"REFUSÉ  {deep}" in captured.err and "ligne 2 · (yaml) : nested more than" in captured.err
    assert "OK      " in captured.out


def test_seminar_creation_offers_the_good_kits_beside_a_hostile_one(tmp_path, monkeypatch):
    from workshop.ui.console import create

    kits = tmp_path / "kits"
    kits.mkdir()
    shutil.copy(SHIPPED_KIT, kits / "visions21-fr.yaml")
    (kits / "bombe.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    (kits / "deep.yaml").write_text("name: deep\nthemes: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with (kits / "huge.yaml").open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    monkeypatch.setenv("WORKSHOP_KITS_DIR", str(kits))
    assert list(create._kits()) == ["visions21-fr"]
    with pytest.raises(ContentError):
        validate_file(kits / "bombe.yaml")
