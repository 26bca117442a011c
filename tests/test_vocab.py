from __future__ import annotations

import json

import pytest

from numbtrack import vocab
from numbtrack.errors import InvalidInput


def test_vocabulary_is_complete_and_consistent() -> None:
    v = vocab.load()
    raw = json.loads(vocab.DATA_FILE.read_text(encoding="utf-8"))
    names = [w["word"] for w in raw["feelings"]]
    assert len(names) == len(set(names)), "duplicate feeling words"
    valenced = [w for w in v.words.values() if not w.numb]
    assert len(valenced) >= 120
    for w in valenced:
        assert w.valence is not None, w.word
        assert w.arousal is not None, w.word
        assert -1 <= w.valence <= 1, w.word
        assert -1 <= w.arousal <= 1, w.word
        expected = ("pleasant" if w.valence > 0 else "unpleasant") + (
            "-high" if w.arousal > 0 else "-low"
        )
        assert w.quadrant == expected, w.word
        assert w.family
        assert w.family != "numb"
    for q in vocab.QUADRANTS:
        assert sum(1 for w in valenced if w.quadrant == q) >= 20, q
    assert any(w.specific for w in valenced)
    assert any(not w.specific for w in valenced)


def test_numb_cluster_carries_no_valence_or_arousal() -> None:
    v = vocab.load()
    numb = v.numb_words()
    for word in (
        "numb",
        "flat",
        "blank",
        "empty",
        "detached",
        "distant",
        "autopilot",
        "foggy",
        "frozen",
        "nothing",
    ):
        assert word in numb
    for word in numb:
        w = v.words[word]
        assert w.valence is None
        assert w.arousal is None
        assert w.quadrant is None


def test_regions_qualities_and_practices() -> None:
    v = vocab.load()
    assert 12 <= len(v.regions) <= 15
    absence = {q.name for q in v.qualities.values() if q.absence}
    assert {"numb", "empty", "hollow", "dull", "frozen", "far-away", "nothing"} <= absence
    assert {"smell", "taste", "music", "connection", "grounding"} <= set(v.practices)
    every_alias = [a for name, al in v.regions.items() for a in (name, *al)]
    assert len(every_alias) == len(set(every_alias))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("NUMB", "numb"),
        ("auto pilot", "autopilot"),
        ("Auto-Pilot", "autopilot"),
        ("on edge", "on-edge"),
        ("worn out", "worn-out"),
        ("gray", "grey"),
        ("cosy", "cozy"),
    ],
)
def test_lookup_forgives_case_spaces_hyphens_and_spellings(typed: str, expected: str) -> None:
    assert vocab.load().feeling(typed) == expected


def test_typos_are_refused_with_suggestions() -> None:
    v = vocab.load()
    with pytest.raises(InvalidInput, match='did you mean "anxious"'):
        v.feeling("anxios")
    with pytest.raises(InvalidInput, match=r'did you mean "neck-and-shoulders"'):
        v.region("sholders")
    with pytest.raises(InvalidInput, match='"tingling"'):
        v.quality("tinglng")
    assert v.region("neck") == "neck-and-shoulders"
    assert v.quality("butterflies") == "fluttery"


def test_custom_words_are_known_once_added() -> None:
    v = vocab.load()
    with pytest.raises(InvalidInput, match="--new-word"):
        v.feeling("glimmery")
    assert v.feeling("glimmery", {"glimmery"}) == "glimmery"


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("meh", "meh"),
        ("blah", "meh"),
        ("so-so", "meh"),
        ("spaced", "spaced-out"),
        ("zoned out", "spaced-out"),
        ("wired", "jittery"),
    ],
)
def test_everyday_answers_are_known_words(typed: str, word: str) -> None:
    assert vocab.load().feeling(typed) == word


def test_meh_is_in_the_numb_cluster_and_pulls_no_average() -> None:
    meh = vocab.load().words["meh"]
    assert (meh.family, meh.valence, meh.arousal) == ("numb", None, None)
