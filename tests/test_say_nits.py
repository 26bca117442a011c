"""Small things a person notices: a plain sentence for a date out of range, a pasted huge
number named but not echoed, help that starts with its usage line, a demo that never writes
the future, and a pipe closed early (`numbtrack list --all | head`) that is not a bug."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack import demo
from numbtrack.store import Store

from .conftest import a_year_exported, run, stored_count

HUGE = "9" * 5000


def test_a_date_before_1900_is_refused_in_a_plain_sentence(runner: CliRunner) -> None:
    r = run(runner, "log", "calm", "--at", "1850-01-01")
    assert r.stderr.strip() == (
        'numbtrack keeps check-ins from 1900 up to now; "1850-01-01" is outside that.'
    )


def test_a_date_before_1900_writes_nothing(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "calm", "--at", "1850-01-01")
    assert stored_count(home) == 0


def test_a_date_far_ahead_gets_the_same_sentence(runner: CliRunner) -> None:
    r = run(runner, "list", "--since", "9999-01-01")
    assert "numbtrack keeps check-ins from 1900 up to now;" in r.stderr


def test_a_huge_feel_value_is_not_echoed_in_full(runner: CliRunner) -> None:
    r = run(runner, "log", "calm", "--feel", HUGE)
    assert len(r.stderr) < 200


def test_a_huge_feel_value_is_still_refused(runner: CliRunner) -> None:
    r = run(runner, "log", "calm", "--feel", HUGE)
    assert r.exit_code == 2


def test_a_long_feel_value_within_int_range_is_named_shortly(runner: CliRunner) -> None:
    r = run(runner, "log", "calm", "--feel", "9" * 300)
    assert "9" * 39 + "…" in r.stderr


def test_a_long_feel_value_message_is_one_short_sentence(runner: CliRunner) -> None:
    r = run(runner, "log", "calm", "--feel", "9" * 300)
    assert len(r.stderr) < 200


def test_help_starts_with_the_usage_line(runner: CliRunner) -> None:
    r = run(runner, "--help")
    assert r.output.splitlines()[0].strip().startswith("Usage: numbtrack")


def test_a_command_help_starts_with_the_usage_line(runner: CliRunner) -> None:
    r = run(runner, "log", "--help")
    assert r.output.splitlines()[0].strip().startswith("Usage: numbtrack log")


def test_numbtrack_alone_starts_with_the_usage_line(runner: CliRunner) -> None:
    r = run(runner)
    assert r.output.splitlines()[0].strip().startswith("Usage: numbtrack")


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> object:
    """West of Berlin, where Berlin's wall-clock time is ahead of the clock here."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield None
    monkeypatch.undo()
    time.tzset()


def test_demo_never_writes_a_time_later_than_the_clock_here(new_york: object) -> None:
    now = datetime.now().replace(microsecond=0)
    latest = max(c.at.replace(tzinfo=None) for c in demo.generate(0.05, seed=5))
    assert latest <= now


def test_demo_never_writes_a_moment_after_now(new_york: object) -> None:
    now = datetime.now().astimezone()
    latest = max(c.at for c in demo.generate(0.05, seed=5))
    assert latest <= now


def _into_closed_pipe(
    home: Path, command: tuple[str, ...] = ("list", "--all")
) -> subprocess.CompletedProcess[bytes]:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line, as after `| head -0`
    try:
        return subprocess.run(
            [sys.executable, "-m", "numbtrack", *command],
            stdout=write,
            stderr=subprocess.PIPE,
            env={**os.environ, "NUMBTRACK_HOME": str(home)},
            check=False,
            timeout=60,
        )
    finally:
        os.close(write)


def test_output_into_a_closed_pipe_is_not_reported_as_a_bug(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "calm")
    env_raise = os.environ.pop("NUMBTRACK_RAISE_UNEXPECTED", None)
    try:
        done = _into_closed_pipe(home)
    finally:
        if env_raise is not None:
            os.environ["NUMBTRACK_RAISE_UNEXPECTED"] = env_raise
    assert done.stderr == b""


def test_output_into_a_closed_pipe_leaves_no_crash_log(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "calm")
    env_raise = os.environ.pop("NUMBTRACK_RAISE_UNEXPECTED", None)
    try:
        _into_closed_pipe(home)
    finally:
        if env_raise is not None:
            os.environ["NUMBTRACK_RAISE_UNEXPECTED"] = env_raise
    assert not (home / "crash-log.txt").exists()


@pytest.mark.parametrize("command", [("--help",), ("export", "--help")])
def test_help_into_a_closed_pipe_ends_as_any_output_does(
    home: Path, command: tuple[str, ...]
) -> None:
    # `numbtrack --help | head -1`: the shell's usual 141, not Click's 1, and nothing said.
    done = _into_closed_pipe(home, command=command)
    assert (done.returncode, done.stderr) == (141, b"")


@pytest.mark.parametrize(
    "command",
    [
        ("week",),
        ("week", "--notes"),
        ("report",),
        ("--no-pager", "report", "--from", "2020-01-01"),
        ("words",),
    ],
)
def test_rich_output_into_a_closed_pipe_ends_as_list_does(
    runner: CliRunner, home: Path, command: tuple[str, ...]
) -> None:
    # Rich's own answer to a reader gone is exit 1; `numbtrack week | head -0` is 141 like
    # `numbtrack list --all | head -0`, and nothing is said.
    run(runner, "log", "calm", "--note", "a quiet morning")
    done = _into_closed_pipe(home, command=command)
    assert (done.returncode, done.stderr) == (141, b"")


def test_list_takes_the_shared_filter_options(runner: CliRunner) -> None:
    run(runner, "log", "calm", "--tag", "work")
    run(runner, "log", "calm")
    listed = run(runner, "list", "--tag", "work", "--word", "calm").output
    assert len(listed.splitlines()) == 1


def test_export_takes_the_shared_filter_options(runner: CliRunner) -> None:
    run(runner, "log", "calm", "--tag", "work")
    run(runner, "log", "calm")
    exported = run(runner, "export", "--tag", "work", "--word", "calm").output
    assert len(exported.splitlines()) == 2  # the header and the one check-in


def test_support_with_a_damaged_config_still_shows_the_crisis_lines(
    runner: CliRunner, home: Path
) -> None:
    home.mkdir(mode=0o700)
    (home / "config.toml").write_text("[support\n", encoding="utf-8")
    assert "988" in run(runner, "support").output


def test_support_with_a_damaged_config_names_the_file(runner: CliRunner, home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "config.toml").write_text("[support\n", encoding="utf-8")
    assert "config.toml cannot be read" in run(runner, "support").stderr


def test_undo_list_names_a_deleted_checkins_add_by_its_time(runner: CliRunner) -> None:
    run(runner, "log", "calm", "--at", "2026-11-20 21:30")
    run(runner, "log", "flat")
    with Store() as store:
        cid = next(c.id for c in store.iter_all() if c.words == ["calm"])
    run(runner, "delete", cid[:8], "--yes")
    listed = run(runner, "undo", "--list").output
    assert f"You added the check-in {cid[:8]}" not in listed


def test_one_word_on_the_map_leans_in_the_singular(runner: CliRunner) -> None:
    run(runner, "log", "calm")
    assert "map leans pleasant" in run(runner, "week").output


def test_a_csv_export_marks_an_own_quality_and_practice(runner: CliRunner) -> None:
    run(runner, "log", "--new-body", "head:swimmy", "--new-practice", "meditation")
    row = run(runner, "export").output.splitlines()[1]
    assert ",head:swimmy:own,meditation:own," in row


def test_a_csv_export_with_own_names_imports_into_a_new_store(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Before, the default CSV export dropped the :own marks, and a new store refused it."""
    run(runner, "log", "--new-body", "head:swimmy", "--new-practice", "meditation")
    out = tmp_path / "own.csv"
    run(runner, "export", "-o", str(out))
    r = run(runner, "--home", str(tmp_path / "other"), "import", str(out))
    assert r.exit_code == 0


def _in_encoding(home: Path, encoding: str, *command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "numbtrack", *command],
        capture_output=True,
        env={**os.environ, "NUMBTRACK_HOME": str(home), "PYTHONIOENCODING": encoding},
        check=False,
        timeout=60,
    )


NARROW_OUTPUT = [
    ("week", "--notes"),
    ("report",),
    ("--help",),
    ("log", "--help"),
    ("list", "--search", "café"),
    ("list",),
]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("command", NARROW_OUTPUT)
def test_output_that_cannot_hold_every_character_is_shown_not_a_crash(
    runner: CliRunner, home: Path, encoding: str, command: tuple[str, ...]
) -> None:
    # A Latin-1 locale or PYTHONIOENCODING=ascii: the week's en dash, the table borders and
    # a note in Japanese cannot all be written; what cannot becomes "?".
    run(runner, "log", "calm", "--note", "café 日本")
    done = _in_encoding(home, encoding, *command)
    assert (done.returncode, done.stderr) == (0, b"")


def test_a_latin_1_terminal_gets_the_accents_it_can_show(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "calm", "--note", "café 日本")
    done = _in_encoding(home, "latin-1", "week", "--notes")
    assert "café ??" in done.stdout.decode("latin-1")


LONG = "x" * 5000


@pytest.mark.parametrize(
    "args",
    [
        ("log", LONG),
        ("log", "--new-word", LONG),
        ("log", "calm", "--tag", "y" * 5000),
        ("log", "calm", "--practice", "p" * 5000),
        ("log", "calm", "--body", "chest:" + "z" * 5000),
        ("log", "calm", "--at", "9" * 5000),
        ("week", LONG),
        ("report", "--from", LONG),
        ("list", "word:" + LONG),
        ("list", LONG + ":value"),
    ],
    ids=lambda args: " ".join(a[:12] for a in args),
)
def test_a_pasted_5000_letter_value_is_named_shortly(
    runner: CliRunner, home: Path, args: tuple[str, ...]
) -> None:
    # The refusal names what was typed by its first 39 characters, not 5,000 of them.
    result = run(runner, *args)
    assert (result.exit_code, len(result.output) < 300) == (2, True), result.output[:300]


def test_a_word_too_long_to_keep_gets_no_advice_to_keep_it(runner: CliRunner) -> None:
    result = run(runner, "log", "w" * 60)
    assert "--new-word" not in result.output


def test_import_and_sync_write_their_counts_as_the_check_ins_before_them(
    runner: CliRunner, home: Path
) -> None:
    """ "Imported 1,786 check-ins ...: 1,786 added", never "1786 added" beside it."""
    dump = a_year_exported(runner, home)
    n = f"{stored_count(home):,}"
    imported = run(runner, "--home", str(home.parent / "a"), "import", str(dump)).stdout
    assert f"Imported {n} check-ins from all.jsonl" in imported
    assert f": {n} added, 0 updated, 0 unchanged.\n" in imported
    folder = home.parent / "sync"
    folder.mkdir()
    run(runner, "sync", "init", str(folder), "--name", "here")
    run(runner, "sync")
    there = ["--home", str(home.parent / "b")]
    run(runner, *there, "sync", "init", str(folder), "--name", "there")
    synced = run(runner, *there, "sync").stdout
    assert synced == f"Synced: from other devices, {n} added; sent 0 changes.\n"


# -- a number out of range is one plain sentence, not Click's "x>=1" ----------------------


def test_list_limit_zero_is_one_plain_sentence(runner: CliRunner, home: Path) -> None:
    r = run(runner, "list", "--limit", "0")
    assert (r.exit_code, r.stderr) == (
        2,
        "--limit should be 1 or more (or --all for every check-in).\n",
    )
    assert not home.exists()  # refused before a store was opened


@pytest.mark.parametrize("years", ["0", "0.05", "61", "nan"])
def test_demo_years_out_of_range_is_one_plain_sentence(
    runner: CliRunner, tmp_path: Path, years: str
) -> None:
    target = tmp_path / "demo"
    r = run(runner, "demo", "--years", years, "--home", str(target))
    assert (r.exit_code, r.stderr) == (
        2,
        "--years should be from 0.1 to 60, for example --years 3.\n",
    )
    assert not target.exists()


def test_demo_years_at_the_edge_is_kept(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "demo"
    assert run(runner, "demo", "--years", "0.1", "--home", str(target)).exit_code == 0
    assert stored_count(target) > 0


def test_no_command_option_keeps_a_click_range() -> None:
    """A range written in Click's words ("0.1<=x<=60") is refused above in a sentence of ours;
    a new option given min= or max= would bring Click's words back."""
    cli = Path(__file__).parents[1] / "src" / "numbtrack" / "cli"
    found = [
        f"{p.name}: {word}"
        for p in sorted(cli.glob("*.py"))
        for word in ("IntRange", "FloatRange", "min=", "max=")
        if word in p.read_text(encoding="utf-8")
    ]
    assert found == []
