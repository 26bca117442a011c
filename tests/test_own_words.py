"""Say it your way: own sensation qualities and practices, a broader body vocabulary,
aliases that are reported, and input normalised (or refused) the way a person means it."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from numbtrack import exchange, vocab
from numbtrack.errors import InvalidInput
from numbtrack.models import (
    CheckIn,
    Feeling,
    Sensation,
    check_tag,
    parse_body,
    parse_feeling,
    renames,
    to_dict,
    validate,
)
from numbtrack.store import Store

AT = datetime(2026, 11, 20, 21, 30).astimezone()


def export_text(store: Store, fmt: str) -> str:
    buf = io.StringIO(newline="")
    exchange.write(store.iter_all(), buf, fmt)
    return buf.getvalue()


# -- the shipped vocabulary ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("foggy", "fog"),
        ("dizzy", "dizzy"),
        ("dizziness", "dizzy"),
        ("light-headed", "light-headed"),
        ("lightheaded", "light-headed"),
        ("lump in the throat", "lump"),
        ("prickly", "prickling"),
        ("stiff", "stiff"),
        ("pins and needles", "pins-and-needles"),
        ("heat in the face", "flushed"),
    ],
)
def test_body_words_for_numbness_anxiety_and_grief_are_known(typed: str, expected: str) -> None:
    assert vocab.load().quality(typed) == expected


def test_every_quality_is_in_a_group() -> None:
    assert all(q.group for q in vocab.load().qualities.values())


@pytest.mark.parametrize(("typed", "expected"), [("skin", "skin"), ("eyes", "eyes")])
def test_regions_people_name_are_known(typed: str, expected: str) -> None:
    assert vocab.load().region(typed) == expected


def test_head_foggy_is_no_longer_refused() -> None:
    """The exact failure of issue 14: `--body head:foggy` was refused."""
    assert (
        validate(CheckIn(at=AT, sensations=(parse_body("head:foggy"),))).sensations[0].quality
        == "fog"
    )


# -- own qualities ---------------------------------------------------------------------


def test_an_unknown_quality_says_how_to_keep_it() -> None:
    with pytest.raises(InvalidInput, match="use --new-body head:swimmy"):
        parse_body("head:swimmy")


def test_a_quality_typo_gets_did_you_mean() -> None:
    with pytest.raises(InvalidInput, match='did you mean "tingling"'):
        parse_body("hands:tinglng")


def test_a_new_quality_is_kept_on_purpose() -> None:
    with Store() as store:
        c = store.add(CheckIn(at=AT, sensations=(parse_body("head:swimmy:3", keep=True),)))
        assert store.own().qualities == {"swimmy"}
    assert c.sensations[0].custom


def test_a_kept_quality_is_accepted_next_time_without_asking() -> None:
    with Store() as store:
        store.add(CheckIn(at=AT, sensations=(Sensation("head", "swimmy", custom=True),)))
        again = store.add(CheckIn(at=AT, sensations=(Sensation("chest", "swimmy"),)))
    assert again.sensations[0].quality == "swimmy"


def test_a_kept_quality_is_offered_for_a_close_typo() -> None:
    with Store() as store:
        store.add(CheckIn(at=AT, sensations=(Sensation("head", "swimmy", custom=True),)))
        with pytest.raises(InvalidInput, match='did you mean "swimmy"'):
            store.add(CheckIn(at=AT, sensations=(Sensation("head", "swimy"),)))


def test_keeping_a_shipped_quality_keeps_nothing_new() -> None:
    with Store() as store:
        store.add(CheckIn(at=AT, sensations=(Sensation("head", "foggy", custom=True),)))
        assert store.own().qualities == frozenset()


def test_an_own_quality_is_never_an_absence() -> None:
    c = validate(CheckIn(at=AT, sensations=(Sensation("head", "swimmy", custom=True),)))
    assert c.state == "unsure"


@pytest.mark.parametrize("name", ["", "  ", "x" * 41, "1st", "a|b"])
def test_an_own_quality_must_be_a_word(name: str) -> None:
    with pytest.raises(InvalidInput):
        validate(CheckIn(at=AT, sensations=(Sensation("head", name, custom=True),)))


# -- own practices ---------------------------------------------------------------------


def test_an_unknown_practice_says_how_to_keep_it() -> None:
    """The exact failure of issue 14: `meditation` was refused with no way to add it."""
    with pytest.raises(InvalidInput, match="use --new-practice meditation"):
        validate(CheckIn(at=AT, practices=("meditation",)))


def test_a_new_practice_is_kept_on_purpose() -> None:
    with Store() as store:
        c = store.add(CheckIn(at=AT, practices=("meditation:own",)))
        assert store.own().practices == {"meditation"}
    assert c.practices == ("meditation",)


def test_own_names_are_counted() -> None:
    with Store() as store:
        store.add(CheckIn(at=AT, practices=("meditation:own",)))
        store.add(
            CheckIn(at=AT, practices=("meditation",), feelings=(Feeling("glimmery", custom=True),))
        )
        counts = store.own_counts()
    assert counts == {
        "words": [("glimmery", 1)],
        "qualities": [],
        "practices": [("meditation", 2)],
    }


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_own_qualities_and_practices_survive_export_and_import(home: Path, fmt: str) -> None:
    with Store() as store:
        store.add(
            CheckIn(
                at=AT,
                sensations=(Sensation("head", "swimmy", 2, custom=True),),
                practices=("meditation:own", "music"),
            )
        )
        (home / f"x.{fmt}").write_text(export_text(store, fmt), encoding="utf-8", newline="")
    with Store(home / "other" / "numbtrack.db") as other:
        other.put_many(exchange.load(home / f"x.{fmt}").checkins)
        assert other.own() == type(other.own())(
            frozenset(), frozenset({"swimmy"}), frozenset({"meditation"})
        )


def test_the_json_shape_marks_own_practices_and_qualities() -> None:
    c = validate(
        CheckIn(
            at=AT, sensations=(Sensation("head", "swimmy", custom=True),), practices=("qigong:own",)
        )
    )
    d = to_dict(c)
    assert (d["practices"], d["sensations"][0]["custom"]) == (["qigong:own"], True)


# -- aliases are reported, never silent ------------------------------------------------


def test_an_alias_is_reported_as_what_it_became() -> None:
    """The exact failure of issue 14: walk became movement without a word."""
    assert renames(practices=["walk", "shower", "breathing"]) == [
        "walk, counted as movement",
        "shower, counted as temperature",
        "breathing, counted as going-slowly",
    ]


def test_another_spelling_is_not_a_rename() -> None:
    assert renames(words=["Auto-Pilot"], practices=["Music"], bodies=["Chest:Tight"]) == []


def test_body_aliases_are_reported() -> None:
    assert renames(bodies=["tummy:knot:3"]) == [
        "tummy, counted as stomach",
        "knot, counted as knotted",
    ]


# -- normalisation ---------------------------------------------------------------------


def test_a_hash_before_a_tag_is_not_part_of_it() -> None:
    """The exact failure of issue 14: `--tag "#work"` was stored as `##work`."""
    assert check_tag("#work") == "work"


def test_a_full_width_word_is_the_word() -> None:
    """The exact failure of issue 14: `log "ｎｕｍｂ"` was refused."""
    assert vocab.load().feeling("ｎｕｍｂ") == "numb"


def test_full_width_tags_and_practices_are_normalised() -> None:
    c = validate(CheckIn(at=AT, tags=("ｗｏｒｋ",), practices=("ｍｕｓｉｃ",)))
    assert (c.tags, c.practices) == (("work",), ("music",))


def test_a_blank_word_is_refused_with_a_sentence() -> None:
    """The exact failure of issue 14: `log "   "` said `"" is not a feeling word`."""
    with pytest.raises(InvalidInput, match=r"^A feeling word cannot be empty or blank\.$"):
        validate(CheckIn(at=AT, feelings=(parse_feeling("   "),)))


@pytest.mark.parametrize("state", ["", "  "])
def test_a_blank_state_is_refused(state: str) -> None:
    with pytest.raises(InvalidInput, match="cannot be empty or blank"):
        vocab.check_state(state)


def test_a_blank_tag_is_refused() -> None:
    with pytest.raises(InvalidInput, match="A tag cannot be empty or blank"):
        check_tag(" ")


def test_a_blank_practice_is_refused() -> None:
    with pytest.raises(InvalidInput, match="A practice cannot be empty or blank"):
        validate(CheckIn(at=AT, practices=("",)))


@pytest.mark.parametrize(("note", "expected"), [("a\r\nb\r\n", "a\nb\n"), ("a\rb", "a\nb")])
def test_note_line_ends_become_unix_ones(note: str, expected: str) -> None:
    """The exact failure of issue 14: a Daylio note showed `Nothing much.^M`."""
    assert validate(CheckIn(at=AT, note=note)).note == expected
