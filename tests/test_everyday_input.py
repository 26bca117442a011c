"""Answers typed the way people type them: "7h30" of sleep, "3/10" of feeling, "two hours
ago", "last night 11pm". Each is read the same by the quick way and by Typer (test_quick), and
anything else is still refused with one sentence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from numbtrack.errors import InvalidInput
from numbtrack.models import read_can_feel, read_hours
from numbtrack.store import Store
from numbtrack.when import parse_when

from .conftest import run, stored_count

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("7", 7.0), ("7.5", 7.5), ("7,5", 7.5), ("7h", 7.0), ("7 h", 7.0), ("6.5 hours", 6.5),
        ("8 hrs", 8.0), ("7h30", 7.5), ("7h 30m", 7.5), ("7:30", 7.5), ("6:45", 6.75),
        ("0", 0.0),
    ],
)  # fmt: skip
def test_hours_of_sleep_as_people_write_them(typed: str, hours: float) -> None:
    assert read_hours(typed) == hours


@pytest.mark.parametrize("typed", ["", "x", "7x", "7:75", "7h30h", "seven", "7 30", "1:2:3"])
def test_what_is_not_a_number_of_hours(typed: str) -> None:
    assert read_hours(typed) is None


@pytest.mark.parametrize(
    ("typed", "value"), [("3", 3), ("3/10", 3), ("3 / 10", 3), ("3 out of 10", 3), ("10/10", 10)]
)
def test_can_feel_as_people_write_it(typed: str, value: int) -> None:
    assert read_can_feel(typed) == value


@pytest.mark.parametrize("typed", ["", "x", "3/5", "three", "3.5", "3/10/10"])
def test_what_is_not_a_can_feel_answer(typed: str) -> None:
    assert read_can_feel(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("two hours ago", (2026, 11, 25, 13, 0)),
        ("ten minutes ago", (2026, 11, 25, 14, 50)),
        ("forty-five minutes ago", (2026, 11, 25, 14, 15)),
        ("a couple of days ago", (2026, 11, 23, 15, 0)),
        ("three weeks ago", (2026, 11, 4, 15, 0)),
        ("last night 11pm", (2026, 11, 24, 23, 0)),
        ("last night at 11:30pm", (2026, 11, 24, 23, 30)),
        ("last night 2am", (2026, 11, 25, 2, 0)),  # the night that just ended
        ("this morning 8:30", (2026, 11, 25, 8, 30)),
        ("last evening 7pm", (2026, 11, 24, 19, 0)),
    ],
)
def test_moments_in_everyday_words(typed: str, expected: tuple[int, ...]) -> None:
    got = parse_when(typed, NOW)
    assert (got.year, got.month, got.day, got.hour, got.minute) == expected


def test_a_time_tonight_that_is_still_ahead_is_in_the_future() -> None:
    with pytest.raises(InvalidInput, match="is in the future"):
        parse_when("tonight 11pm", NOW)


def test_log_keeps_sleep_and_can_feel_typed_in_everyday_form(runner: CliRunner, home: Path) -> None:
    result = run(runner, "log", "numb", "--sleep", "7h30", "--feel", "3/10")
    assert result.exit_code == 0
    with Store() as store:
        [c] = list(store.iter_all())
    assert (c.sleep_hours, c.can_feel) == (7.5, 3)


@pytest.mark.parametrize(
    ("option", "value", "sentence"),
    [
        ("--sleep", "7x", "'7x' is not a number of hours (7.5, 7h30 or 7:30)"),
        ("--feel", "lots", "'lots' is not a whole number from 0 to 10"),
        ("--feel", "3.5", "'3.5' is not a whole number from 0 to 10"),
    ],
)
def test_an_answer_that_is_not_one_is_refused_in_one_sentence(
    runner: CliRunner, home: Path, option: str, value: str, sentence: str
) -> None:
    result = runner.invoke(
        __import__("numbtrack.cli", fromlist=["app"]).app, ["log", "numb", option, value]
    )
    assert result.exit_code == 2
    assert sentence in result.output
    assert not (home / "numbtrack.db").exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("chest tight 3", ("chest", "tight", 3)),
        ("neck and shoulders tense", ("neck-and-shoulders", "tense", None)),
        ("stomach knotted 2", ("stomach", "knotted", 2)),
    ],
)
def test_a_sensation_typed_with_spaces_alone(
    runner: CliRunner, home: Path, typed: str, stored: tuple[str, str, int | None]
) -> None:
    assert run(runner, "log", "--body", typed).exit_code == 0
    with Store() as store:
        [c] = list(store.iter_all())
    [s] = c.sensations
    assert (s.region, s.quality, s.intensity) == stored


def test_a_file_does_not_get_the_typed_leniency() -> None:
    """Spaces alone are read only in what a person types: a file's cell must be REGION:QUALITY."""
    from numbtrack.models import parse_body

    with pytest.raises(InvalidInput, match="should look like REGION:QUALITY"):
        parse_body("chest tight 3")


@pytest.mark.parametrize(
    ("words", "sentence"),
    [
        (["chest, tight, 3"], 'numbtrack log --body "chest, tight, 3".'),
        (["chest", "tight", "3"], 'numbtrack log --body "chest tight 3".'),
        (["chest:tight"], 'numbtrack log --body "chest:tight".'),
        (["tummy", "knot"], 'numbtrack log --body "tummy knot".'),
        (["chest"], '"chest" is a body region, not a feeling word; say what it is like'),
    ],
)
def test_a_body_sensation_typed_as_words_is_pointed_at_body(
    runner: CliRunner, home: Path, words: list[str], sentence: str
) -> None:
    """Not "To keep it as your own word, use --new-word chest,-tight,-3"."""
    result = run(runner, "log", *words)
    assert (result.exit_code, sentence in result.stderr, stored_count(home)) == (2, True, 0)


@pytest.mark.parametrize("words", [["flat", "chest"], ["anxios"], ["chest", "anxios"]])
def test_words_that_are_no_sensation_keep_the_feeling_word_refusal(
    runner: CliRunner, home: Path, words: list[str]
) -> None:
    result = run(runner, "log", *words)
    assert (result.exit_code, "is not a feeling word" in result.stderr) == (2, True)


@pytest.mark.parametrize(
    "args",
    [["anxios"], ["chest", "tight", "3"], ["numb", "--tag", " "], ["numb", "--body", "chest:x"]],
)
def test_a_refused_first_check_in_makes_no_store(
    runner: CliRunner, home: Path, args: list[str]
) -> None:
    """Bad input writes nothing: not even the empty store of a first, refused check-in."""
    result = run(runner, "log", *args)
    assert (result.exit_code, home.exists()) == (2, False)


def test_a_first_check_in_with_a_new_word_of_its_own_is_saved(
    runner: CliRunner, home: Path
) -> None:
    result = run(runner, "log", "--new-word", "glimmery", "--new-body", "head:swimmy")
    assert (result.exit_code, stored_count(home)) == (0, 1)
