"""The quick way into `numbtrack dash` (numbtrack.__main__.run_dash) agrees with the Typer command.

The `numbtrack` script starts a plain `numbtrack [--home DIR] dash` without loading Typer, so
that the dashboard's first screen is not kept waiting for the command line's machinery. It
must take only what the Typer command would run the same way, and end the same way: the
same sentence and exit code without a terminal, for a store it cannot open, and for a bug.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from numbtrack import __main__ as entry
from numbtrack import paths
from numbtrack.cli import app
from numbtrack.store import Store

from .test_quick import crash_of


def dash_command() -> Any:
    group = typer.main.get_command(app)
    with group.make_context("numbtrack", ["dash"], resilient_parsing=True) as ctx:
        return group.get_command(ctx, "dash")


def test_the_typer_command_dash_takes_no_parameters() -> None:
    """So `dash` followed by anything (--help, a stray word) is left to Typer."""
    assert dash_command().params == []


@pytest.mark.parametrize(
    "args",
    [
        ["dash"],
        ["--home", "/tmp/x", "dash"],
        ["--home=/tmp/x", "dash"],
        ["--home", "", "dash"],
        ["--no-pager", "dash"],
        ["--home", "/tmp/x", "--no-pager", "dash"],
    ],
)
def test_a_plain_dash_goes_the_quick_way(args: list[str]) -> None:
    assert entry.dash_root(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        ["dash", "--help"],
        ["dash", "-h"],
        ["dash", "x"],
        ["dash", "dash"],
        ["--version", "dash"],
        ["--help", "dash"],
        ["--home"],
        ["--home", "dash"],
        ["--nope", "dash"],
        ["--no-pager", "--no-pager", "dash"],
        ["log", "dash"],
        ["das"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert entry.dash_root(args) is None


def test_the_home_given_before_dash_is_read() -> None:
    root = entry.dash_root(["--home", "/tmp/elsewhere", "dash"])
    assert root is not None and root["home"] == "/tmp/elsewhere"


# -- real runs: both ways end the same ----------------------------------------------------------


def quick_way(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The `numbtrack` script, without a terminal (stdin and stdout are pipes)."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
    env[paths.HOME_ENV] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "numbtrack", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def typer_way(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_without_a_terminal_both_ways_say_the_same_sentence_and_exit_2(home: Path) -> None:
    quick, typed = quick_way(home, "dash"), typer_way("dash")
    assert (quick.returncode, quick.stderr) == (typed.exit_code, typed.stderr)


def test_without_a_terminal_the_quick_way_writes_nothing_to_stdout(home: Path) -> None:
    assert quick_way(home, "dash").stdout == ""


def test_the_quick_way_opens_the_store_given_with_home(tmp_path: Path, home: Path) -> None:
    """The store of --home is opened first (a dash makes none: its first check-in does)."""
    elsewhere = tmp_path / "elsewhere"
    paths.ensure_private_dir(elsewhere)
    (elsewhere / paths.DB_NAME).write_bytes(b"not a database " * 100)
    done = quick_way(home, "--home", str(elsewhere), "dash")
    assert (done.returncode, str(elsewhere / paths.DB_NAME) in done.stderr) == (1, True)


def test_a_store_that_cannot_be_opened_is_the_same_sentence_both_ways(home: Path) -> None:
    paths.ensure_private_dir(home)
    (home / paths.DB_NAME).write_bytes(b"not a database, just some bytes " * 100)
    quick, typed = quick_way(home, "dash"), typer_way("dash")
    assert (quick.returncode, quick.stderr) == (typed.exit_code, typed.stderr)


def test_a_store_that_cannot_be_opened_exits_1(home: Path) -> None:
    paths.ensure_private_dir(home)
    (home / paths.DB_NAME).write_bytes(b"not a database, just some bytes " * 100)
    assert quick_way(home, "dash").returncode == 1


def test_dash_help_is_typer_s(home: Path) -> None:
    quick, typed = quick_way(home, "dash", "--help"), typer_way("dash", "--help")
    assert (quick.returncode, "numbtrack dash" in quick.stdout) == (typed.exit_code, True)


def test_a_stray_argument_after_dash_is_typer_s_sentence(home: Path) -> None:
    quick = quick_way(home, "dash", "extra")
    assert (quick.returncode, quick.stderr.count("\n"), "extra" in quick.stderr) == (2, 1, True)


def test_the_quick_way_never_loads_typer(home: Path) -> None:
    with Store():
        pass  # a new store's migrations load sqlite_utils, and with it Click: not timed
    probe = (
        "import sys\n"
        "from numbtrack.__main__ import main\n"
        "sys.argv = ['numbtrack', 'dash']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click'))\n"
        "    print(exc.code, loaded, 'numbtrack.cli' in sys.modules)\n"
    )
    env = {**os.environ, paths.HOME_ENV: str(home)}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        stdin=subprocess.DEVNULL,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.split() == ["2", "[]", "False"]


def test_a_bug_on_the_quick_way_is_one_sentence_and_a_crash_log(home: Path) -> None:
    probe = (
        "import sys\n"
        "import numbtrack.tui as t\n"
        "def boom():\n"
        "    raise ZeroDivisionError('secret')\n"
        "t.require_terminal = boom\n"
        "from numbtrack.__main__ import main\n"
        "sys.argv = ['numbtrack', 'dash']\n"
        "main()\n"
    )
    done, log = crash_of(home, probe)
    assert (done.returncode, done.stderr.count("\n"), str(log) in done.stderr) == (1, 1, True)
