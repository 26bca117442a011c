"""A command that only reads, or that is refused, makes nothing in a home without a store: no
database, no -wal or -shm, not even the data folder. It says what it says of an empty store.
Commands that write still make the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack.models import CheckIn, Feeling
from numbtrack.store import Store
from numbtrack.when import local_now

from .conftest import run, stored_count

NO_CHECKINS = "There are no check-ins yet. Whenever you like: numbtrack log\n"

READING = [
    (["list"], 0, NO_CHECKINS),
    (["list", "--json"], 0, "[]\n"),
    (["list", "--all", "--json"], 0, "[]\n"),
    (["list", "word:numb", "since:-7d", "--search", "sister"], 0, NO_CHECKINS),
    (["today"], 0, "Nothing logged today yet. Whenever you like: numbtrack log\n"),
    (["today", "--json"], 0, "[]\n"),
    (["show", "zzz"], 2, 'No check-in has an id starting with "zzz".'),
    (["edit", "zz", "--feel", "2"], 2, 'No check-in has an id starting with "zz".'),
    (["edit", "zz", "anxios"], 2, 'No check-in has an id starting with "zz".'),
    (["delete", "zz", "--yes"], 2, 'No check-in has an id starting with "zz".'),
    (["undo", "--yes"], 0, "There is nothing to undo.\n"),
    (["undo", "--list"], 0, "No changes yet.\n"),
    (["words", "-s", "numb"], 0, "numb"),
    (["words", "--json"], 0, '"word": "numb"'),
    (["body"], 0, "Body regions"),
    (["practices"], 0, "Small steps, for whenever you like."),
    (["suggest"], 0, "A small step, if you like: "),
    (["week"], 0, "Nothing was logged this week."),
    (["report"], 0, "numbtrack report"),
    (["export"], 0, "id,at,day,can_feel,state,feelings,sensations,practices,tags,"),
    (["export", "--format", "json"], 0, '"checkins": [\n], "count": 0}\n'),
    (["export", "--since", "tomorrow"], 2, '"tomorrow" is not a date numbtrack can read'),
    (["dash"], 2, "numbtrack dash needs a terminal to draw in"),
    (["backup"], 1, "There is nothing to back up yet: no store at "),
]


@pytest.mark.parametrize(
    ("args", "code", "text"), [pytest.param(*case, id=" ".join(case[0])) for case in READING]
)
def test_a_reading_or_refused_command_makes_no_store(
    runner: CliRunner, home: Path, args: list[str], code: int, text: str
) -> None:
    result = run(runner, *args)
    said = result.stdout + result.stderr
    assert (result.exit_code, text in said, home.exists()) == (code, True, False)


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["week"], "Nothing was logged this week."),
        (["report"], "numbtrack report"),
        (["export"], "id,at,day,can_feel,state,feelings,sensations,practices,tags,"),
        (["list", "--all", "--json"], "[]\n"),
    ],
)
def test_the_quick_ways_make_no_store(home: Path, args: list[str], text: str) -> None:
    """`week`, `report`, a plain `export` and `list --all --json` go around Typer."""
    done = subprocess.run(
        [sys.executable, "-m", "numbtrack", "--no-pager", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, text in done.stdout, home.exists()) == (0, True, False)


def test_a_data_folder_without_a_store_is_left_as_it_was(runner: CliRunner, home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "config.toml").write_text("")
    for args in (["list"], ["week"], ["show", "zzz"]):
        run(runner, *args)
    assert sorted(p.name for p in home.iterdir()) == ["config.toml"]


def test_a_store_that_exists_is_read_as_it_is(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "numb", "-q")
    result = run(runner, "list", "--json")
    assert [c["feelings"][0]["word"] for c in json.loads(result.stdout)] == ["numb"]


def test_writing_commands_still_make_the_store(runner: CliRunner, home: Path) -> None:
    run(runner, "list")
    run(runner, "log", "numb", "-q")
    assert stored_count(home) == 1


def test_the_store_that_stands_in_is_never_written(home: Path) -> None:
    with Store(make=False) as store, pytest.raises(RuntimeError):
        store.add(CheckIn(at=local_now(), feelings=(Feeling("numb"),)))
    assert not home.exists()
