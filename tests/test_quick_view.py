"""numbtrack.quick_view, the way into a plain `week` and `report` without Typer, agrees with Typer.

The quick parser's tables are checked against the real commands; for many argument lists both
ways must call the same functions with the same values (or the quick way must decline); and
real runs of the `numbtrack` entry point print the same bytes, say the same on stderr and end
with the same exit code as the Typer app run the same way, piped and on a terminal, at several
widths, with NO_COLOR, through a pager, and import no Typer.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numbtrack import paths, quick_view
from numbtrack.cli import app
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import Store

from .test_quick import KINDS, does_more_than_a_value, options_of
from .test_quick_sync import PROBE

TYPER = """
import json, sys
from numbtrack.cli import main
sys.argv = ["numbtrack", *json.loads(sys.argv[1])]
main()
"""
"""The Typer app run as the script runs it, with nothing of the quick ways in front."""

QUICK = """
import json, sys
from numbtrack.__main__ import main
sys.argv = ["numbtrack", *json.loads(sys.argv[1])]
main()
"""
"""The `numbtrack` script itself."""


def command(name: str) -> Any:
    group: Any = typer.main.get_command(app)
    with group.make_context("numbtrack", [name], resilient_parsing=True) as ctx:
        return group.get_command(ctx, name)


def known(name: str, spec: dict[str, tuple[str, str, bool]]) -> dict[str, tuple[str, str, bool]]:
    """The options of the Typer command that the quick table names: parameter, kind, repeats."""
    return {opt: found for opt, found in options_of(command(name).params).items() if opt in spec}


def test_the_quick_parser_knows_the_week_options_as_typer_declares_them() -> None:
    assert known("week", quick_view.WEEK_OPTIONS) == quick_view.WEEK_OPTIONS


def test_the_quick_parser_knows_the_report_options_as_typer_declares_them() -> None:
    assert known("report", quick_view.REPORT_OPTIONS) == quick_view.REPORT_OPTIONS


def test_the_week_argument_is_typer_s_one_argument_with_its_default() -> None:
    found = [
        (p.name, p.default, p.nargs, KINDS.get(type(p.type).__name__))
        for p in command("week").params
        if p.param_type_name == "argument"
    ]
    assert found == [(*quick_view.WEEK_ARGUMENT, 1, "text")]


def test_the_report_takes_no_argument() -> None:
    assert [p.name for p in command("report").params if p.param_type_name == "argument"] == []


def test_the_options_the_quick_parser_reads_do_nothing_more_than_a_value() -> None:
    odd = [
        p.name
        for name, spec in (("week", quick_view.WEEK_OPTIONS), ("report", quick_view.REPORT_OPTIONS))
        for p in command(name).params
        if set(getattr(p, "opts", [])) & set(spec)
        and (does_more_than_a_value(p) or p.secondary_opts)
    ]
    assert odd == []


# -- both ways call the same functions with the same values ----------------------------------

WEEK_TOKENS = [
    "this", "last", "2026-W40", "2026-10-05", "", "-", "--", "--notes", "--notes=1", "--save",
    "w.txt", "--force", "--paper", "a4", "--help", "-h", "-x", "nonsense", "--to",
]  # fmt: skip

REPORT_TOKENS = [
    "--from", "--to", "2026-10-01", "2026-10-20", "mon", "-7d", "--from=2026-10-05",
    "--to=", "", "-", "--", "--save", "r.txt", "--force", "--paper", "--help", "x", "--notes",
]  # fmt: skip

DAY = date(2026, 10, 12)


class Shown:
    """What the recorded load_week returns: the Typer command reads its label."""

    label = "2026-W42"


SHOWN_WEEK = Shown()


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """What the shared functions were called with (nothing is read or drawn)."""
    calls: list[tuple[Any, ...]] = []

    def load_week(which: str, notes: bool) -> object:
        calls.append(("week", which, notes))
        return SHOWN_WEEK

    def report_period(from_: str | None, to: str | None) -> tuple[date, date]:
        calls.append(("period", from_, to))
        return DAY, DAY

    def load_report(start: date, end: date) -> object:
        calls.append(("report", start, end))
        return "report"

    def show(shown: object) -> None:
        calls.append(("show", shown))

    monkeypatch.setattr(quick_view, "load_week", load_week)
    monkeypatch.setattr(quick_view, "report_period", report_period)
    monkeypatch.setattr(quick_view, "load_report", load_report)
    monkeypatch.setattr(quick_view, "show", show)
    return calls


def expected_calls(command: str, values: dict[str, Any]) -> list[tuple[Any, ...]]:
    if command == "week":
        return [("week", values["which"], values["notes"]), ("show", SHOWN_WEEK)]
    return [("period", values["from_"], values["to"]), ("report", DAY, DAY), ("show", "report")]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.lists(st.sampled_from(["--no-pager", "--home", "-q"]), max_size=2),
    name=st.sampled_from(["week", "report"]),
    data=st.data(),
)
def test_both_ways_call_the_same_functions_with_the_same_values(
    recorded: list[tuple[Any, ...]], before: list[str], name: str, data: st.DataObject
) -> None:
    tokens = WEEK_TOKENS if name == "week" else REPORT_TOKENS
    after = data.draw(st.lists(st.sampled_from(tokens), max_size=4))
    args = [*before, name, *after]
    parsed = quick_view.parse(args)
    if parsed is None:
        return  # declined: Typer reads them, as before
    recorded.clear()
    result = CliRunner().invoke(app, args)
    command, _root, values = parsed
    assert (result.exit_code, recorded) == (0, expected_calls(command, values))


@pytest.mark.parametrize(
    "args",
    [
        ["week"],
        ["week", "last"],
        ["week", "--notes"],
        ["week", "--notes", "2026-W40"],
        ["week", ""],
        ["--home", "/tmp/x", "--no-pager", "week", "this"],
        ["report"],
        ["report", "--from", "2026-10-01"],
        ["report", "--to=2026-10-20", "--from", "-7d"],
        ["--home=", "report", "--to", "mon"],
    ],
)
def test_a_plain_week_or_report_goes_the_quick_way(args: list[str]) -> None:
    assert quick_view.parse(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        ["week", "last", "this"],
        ["week", "--save", "w.txt"],
        ["week", "--save=w.svg", "--force"],
        ["week", "--force"],
        ["week", "--paper", "a4"],
        ["week", "--notes", "--notes"],
        ["week", "--notes=1"],
        ["week", "-"],
        ["week", "--"],
        ["week", "--", "-1"],
        ["week", "-1"],
        ["week", "--help"],
        ["week", "-h"],
        ["week", "--home", "/tmp/x"],
        ["report", "x"],
        ["report", "--from"],
        ["report", "--from", "mon", "--from", "tue"],
        ["report", "--save", "r.pdf"],
        ["report", "--paper", "letter"],
        ["report", "--notes"],
        ["report", "--help"],
        ["--version", "week"],
        ["-q", "week"],
        ["log", "week"],
        ["list", "report"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert quick_view.parse(args) is None


def test_week_without_an_argument_is_this_week_as_typer_s_default() -> None:
    parsed = quick_view.parse(["week"])
    assert parsed is not None and parsed[2]["which"] == "this"


def test_an_option_value_is_taken_as_it_is_even_with_a_dash() -> None:
    parsed = quick_view.parse(["report", "--from", "-7d"])
    assert parsed is not None and parsed[2]["from_"] == "-7d"


def test_the_home_given_before_week_is_read() -> None:
    parsed = quick_view.parse(["--home", "/tmp/elsewhere", "week"])
    assert parsed is not None and parsed[1]["home"] == "/tmp/elsewhere"


# -- real runs of the entry point ------------------------------------------------------------


def script_env(home: Path, extra: dict[str, str]) -> dict[str, str]:
    drop = ("NUMBTRACK_RAISE_UNEXPECTED", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PAGER")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env[paths.HOME_ENV] = str(home)
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


def piped(code: str, home: Path, args: list[str], **extra: str) -> tuple[int, bytes, bytes]:
    """Exit code, stdout and stderr of `code` run with `args`, its output piped."""
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=script_env(home, extra),
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def on_terminal(
    code: str, home: Path, args: list[str], size: tuple[int, int], **extra: str
) -> tuple[int, bytes, bytes]:
    """Exit code, what reached the terminal, and stderr, of `code` run with `args` and its
    standard output on a pseudo-terminal of `size` (columns, lines)."""
    import fcntl
    import pty
    import struct
    import termios

    main_fd, child_fd = pty.openpty()
    columns, lines = size
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(args)],
        stdin=subprocess.DEVNULL,
        stdout=child_fd,
        stderr=subprocess.PIPE,
        env=script_env(home, extra),
    )
    os.close(child_fd)
    seen = b""
    try:
        while True:
            ready, _, _ = select.select([main_fd], [], [], 60)
            if not ready:
                break  # nothing for a minute: the comparison below fails
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the child's end is closed: all of it has been read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(main_fd)
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    return proc.wait(timeout=60), seen, err


@pytest.fixture
def filled(home: Path) -> Path:
    """Forty check-ins over two weeks and more, with parts, notes, tags and an own word."""
    start = datetime(2026, 10, 1, 8, 30).astimezone()
    with Store() as store:
        for i in range(40):
            store.add(
                CheckIn(
                    at=start + timedelta(hours=11 * i),
                    can_feel=[None, 2, 5, 8][i % 4],
                    feelings=(Feeling("calm", i % 5 + 1), Feeling("numb"))
                    if i % 3
                    else (Feeling("wistful"), Feeling("tired", 2)),
                    sensations=(Sensation("chest", "tight", 2, "more"),) if i % 2 else (),
                    practices=("music",) if i % 4 == 1 else (),
                    tags=("work",) if i % 3 else ("bad-sleep",),
                    note=[None, "a walk, then rain", "[b]not bold[/b] :smile:", "ünïcode ✓"][i % 4],
                )
            )
    return home


WEEKS = [
    ["week", "2026-10-05"],
    ["week", "--notes", "2026-W41"],
    ["week", "2020-01-01"],
    ["--no-pager", "week", "2026-10-12", "--notes"],
    ["report", "--from", "2026-09-28", "--to", "2026-10-25"],
    ["report", "--to", "2026-10-18"],
]


@pytest.mark.parametrize("args", WEEKS)
@pytest.mark.parametrize("columns", ["40", "80", "132"])
def test_piped_the_quick_way_prints_what_typer_prints(
    filled: Path, args: list[str], columns: str
) -> None:
    quick_way = piped(QUICK, filled, args, COLUMNS=columns)
    assert quick_way == piped(TYPER, filled, args, COLUMNS=columns)


@pytest.mark.parametrize("args", WEEKS[:2] + WEEKS[4:5])
@pytest.mark.parametrize("colour", [{"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}])
def test_colour_settings_are_honoured_as_typer_honours_them(
    filled: Path, args: list[str], colour: dict[str, str]
) -> None:
    assert piped(QUICK, filled, args, **colour) == piped(TYPER, filled, args, **colour)


def test_forced_colour_is_colour(filled: Path) -> None:
    assert b"\x1b[" in piped(QUICK, filled, WEEKS[0], FORCE_COLOR="1")[1]


def test_the_quick_way_loads_no_typer(filled: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(WEEKS[1])],
        capture_output=True,
        text=True,
        env=script_env(filled, {}),
        timeout=120,
    )
    assert json.loads(done.stderr.strip().splitlines()[-1]) == {"exit": 0, "loaded": []}


@pytest.mark.parametrize("args", [WEEKS[0], WEEKS[4]])
@pytest.mark.parametrize("size", [(60, 200), (100, 200), (200, 300)])
def test_on_a_terminal_that_holds_it_all_the_quick_way_shows_what_typer_shows(
    filled: Path, args: list[str], size: tuple[int, int]
) -> None:
    quick_way = on_terminal(QUICK, filled, args, size, PAGER="false")
    assert quick_way == on_terminal(TYPER, filled, args, size, PAGER="false")


def test_on_a_terminal_there_is_colour(filled: Path) -> None:
    assert b"\x1b[" in on_terminal(QUICK, filled, WEEKS[0], (100, 200))[1]


@pytest.mark.parametrize("args", [WEEKS[1], WEEKS[4]])
def test_a_long_summary_goes_to_the_pager_as_typer_sends_it(
    filled: Path, tmp_path: Path, args: list[str]
) -> None:
    quick_file, typer_file = tmp_path / "quick.txt", tmp_path / "typer.txt"
    quick_way = on_terminal(QUICK, filled, args, (90, 24), PAGER=f"sh -c 'cat > {quick_file}'")
    typer_way = on_terminal(TYPER, filled, args, (90, 24), PAGER=f"sh -c 'cat > {typer_file}'")
    assert (quick_way, quick_file.read_bytes()) == (typer_way, typer_file.read_bytes())


def test_the_pager_gets_the_summary(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "paged.txt"
    code, shown, _ = on_terminal(QUICK, filled, WEEKS[0], (90, 24), PAGER=f"sh -c 'cat > {out}'")
    assert (code, shown, "Week 2026-W41" in out.read_text("utf-8")) == (0, b"", True)


def test_no_pager_prints_on_the_terminal_as_typer_does(filled: Path, tmp_path: Path) -> None:
    pager = f"sh -c 'cat > {tmp_path / 'paged.txt'}'"
    args = ["--no-pager", *WEEKS[0]]
    quick_way = on_terminal(QUICK, filled, args, (90, 24), PAGER=pager)
    assert quick_way == on_terminal(TYPER, filled, args, (90, 24), PAGER=pager)


@pytest.mark.parametrize(
    "args",
    [
        ["week", "nonsense"],
        ["week", "2026-W60"],
        ["report", "--from", "2026-10-20", "--to", "2026-10-01"],
        ["report", "--from", "not a day"],
        ["report", "--to", ""],
    ],
)
def test_bad_input_is_one_sentence_as_typer_says_it(filled: Path, args: list[str]) -> None:
    quick_way = piped(QUICK, filled, args)
    assert quick_way == piped(TYPER, filled, args)


def test_bad_input_exits_2_with_one_line_and_nothing_on_stdout(filled: Path) -> None:
    code, out, err = piped(QUICK, filled, ["week", "nonsense"])
    assert (code, out, err.count(b"\n")) == (2, b"", 1)


def test_a_store_that_is_not_numbtrack_s_is_one_sentence_as_typer_says_it(home: Path) -> None:
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / "numbtrack.db").write_bytes(b"not a database at all")
    quick_way = piped(QUICK, home, ["week"])
    assert quick_way == piped(TYPER, home, ["week"])


def test_an_empty_store_shows_the_same_empty_week(home: Path) -> None:
    args = ["week", "2026-10-05"]
    assert piped(QUICK, home, args) == piped(TYPER, home, args)


def reader_gone(code: str, home: Path, args: list[str]) -> tuple[int, bytes]:
    """Exit code and stderr of `code` writing to a pipe whose reader has gone already."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, json.dumps(args)],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=script_env(home, {}),
            timeout=120,
        )
    finally:
        os.close(write_end)
    return done.returncode, done.stderr


def test_a_reader_gone_is_a_quiet_stop_as_typer_makes_it(filled: Path) -> None:
    """`numbtrack week | head -1`: the same exit and stderr both ways."""
    assert reader_gone(QUICK, filled, WEEKS[1]) == reader_gone(TYPER, filled, WEEKS[1])


def test_a_reader_gone_is_no_traceback(filled: Path) -> None:
    """A quiet stop with the shell's 141 (128 + SIGPIPE), as `list` and `export` give, not
    Rich's own exit code 1."""
    assert reader_gone(QUICK, filled, WEEKS[1]) == (141, b"")


def test_a_week_with_save_is_still_typer_s(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.txt"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["week", "2026-10-05", "--save", str(out)])],
        capture_output=True,
        text=True,
        env=script_env(filled, {}),
        timeout=120,
    )
    loaded = json.loads(done.stderr.strip().splitlines()[-1])["loaded"]
    assert ("typer" in loaded, out.exists()) == (True, True)
