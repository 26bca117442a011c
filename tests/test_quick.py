"""numbtrack.quick, the way into `numbtrack log` without Typer, agrees with the Typer command.

The quick parser's tables are checked against the real command, and for many argument lists
both ways must hand `log_checkin` the same values (or the quick way must decline and leave
the arguments to Typer). Then a few real runs of the `numbtrack` entry point.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numbtrack import paths, quick, vocab
from numbtrack.cli import app
from numbtrack.models import new_id, renames
from numbtrack.store import Store

from .conftest import stored_count

KINDS = {
    "IntParamType": "integer",
    "FloatParamType": "float",
    "StringParamType": "text",
    "TyperChoice": "choice",
    "BoolParamType": "flag",
}
"""Click's types, as quick.LOG_OPTIONS names them; any other type is one it cannot read."""


def root_command() -> Any:
    return typer.main.get_command(app)


def log_command() -> Any:
    group = root_command()
    with group.make_context("numbtrack", ["log"], resilient_parsing=True) as ctx:
        return group.get_command(ctx, "log")


def _typed_kind(click_type: Any) -> str:
    """numbtrack's own types (cli.common._Typed: 7h30 of sleep, 3/10 of feeling) are named
    by the kind quick.LOG_OPTIONS gives them; any other type is one it cannot read."""
    from numbtrack.cli.common import _Typed

    return click_type.name if isinstance(click_type, _Typed) else repr(click_type)


def options_of(params: list[Any]) -> dict[str, tuple[str, str, bool]]:
    return {
        opt: (p.name, KINDS.get(type(p.type).__name__, _typed_kind(p.type)), p.multiple)
        for p in params
        if p.param_type_name == "option"
        for opt in p.opts
    }


def test_the_quick_parser_knows_every_option_of_log_as_typer_declares_it() -> None:
    assert options_of(log_command().params) == quick.LOG_OPTIONS


def test_the_quick_parser_knows_the_argument_of_log() -> None:
    arguments = [(p.name, p.nargs) for p in log_command().params if p.param_type_name == "argument"]
    assert arguments == [(quick.LOG_ARGUMENT, -1)]


def does_more_than_a_value(p: Any) -> bool:
    """A callback, an environment variable, a prompt, a count or an eager option: more than
    a quick parser, which reads values only, does."""
    return bool(
        p.callback
        or p.envvar
        or p.is_eager
        or p.required
        or getattr(p, "prompt", None)
        or getattr(p, "count", False)
        or (p.param_type_name == "option" and p.nargs != 1)
    )


def crash_of(home: Path, probe: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run `probe` (Python that breaks something and calls the script's main) as a user would,
    bugs not raised to the test; what it did, and where the crash log would be."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
    env[paths.HOME_ENV] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    return done, home / paths.CRASH_LOG_NAME


def test_no_option_of_log_does_more_than_the_quick_parser_does() -> None:
    """No callbacks, environment variables, prompts, counts or eager options: values only."""
    odd = [p.name for p in log_command().params if does_more_than_a_value(p)]
    assert odd == []


def test_every_flag_of_log_is_a_plain_on_switch() -> None:
    flags = [p for p in log_command().params if getattr(p, "is_flag", False)]
    plain = [p.name for p in flags if p.secondary_opts == [] and p.default is False]
    assert plain == [p.name for p in flags]


def test_the_state_choices_are_the_vocabulary_states_in_any_case() -> None:
    state = next(p for p in log_command().params if p.name == "state")
    assert (tuple(state.type.choices), state.type.case_sensitive) == (vocab.STATES, False)


def test_the_quick_parser_knows_the_global_options_that_do_not_end_the_run() -> None:
    values = [p for p in root_command().params if p.callback is None and not p.is_eager]
    assert options_of(values) == quick.ROOT_OPTIONS


# -- both ways read the same values ------------------------------------------------------------

WORDS = ["calm", "numb", "Tired", "walk", "two words", "-", "--", "log"]
VALUES = [
    "3", "-1", "x", "2.5", "nan", "Numb", "mixed", "", "chest:tight:2", "-2h", "work", "7h30",
    "3/10", "7:75", "6,5 hours",
]  # fmt: skip
OPTIONS = [
    *quick.LOG_OPTIONS.keys() - {"--guided", "-g"},
    "--feel=3",
    "--feel=",
    "--quiet=1",
    "--tag=a=b",
    "-qf",
    "-f3",
    "-x",
    "--help",
    "-h",
    "--home",
    "--nope",
]


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What `log_checkin` was called with (it records instead of writing)."""
    calls: list[dict[str, Any]] = []

    def record(echo: Any, **values: Any) -> None:
        calls.append(values)

    monkeypatch.setattr(quick, "log_checkin", record)
    return calls


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    args=st.lists(
        st.one_of(
            st.sampled_from(WORDS + VALUES + OPTIONS).map(lambda token: [token]),
            st.tuples(st.sampled_from(sorted(quick.LOG_OPTIONS)), st.sampled_from(VALUES)).map(
                list
            ),
        ),
        max_size=5,
    ).map(lambda groups: [token for group in groups for token in group])
)
def test_both_ways_pass_the_same_values(recorded: list[dict[str, Any]], args: list[str]) -> None:
    recorded.clear()
    quick_way = quick.parse(["log", *args])
    typer_way = CliRunner().invoke(app, ["log", *args])
    if quick_way is None:
        return  # declined: Typer reads them, as before
    _root, values = quick_way
    values.pop("guided")
    assert (typer_way.exit_code, _nan_named(recorded)) == (0, _nan_named([values]))


def _nan_named(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """NaN is never equal to itself: `--sleep nan` read the same way by both is the same."""
    return [{k: "nan" if v != v else v for k, v in call.items()} for call in calls]


@pytest.mark.parametrize(
    "args",
    [
        ["log", "numb", "tired", "--feel", "3", "--body", "chest:tight:2", "--tag", "work", "-q"],
        ["log", "calm", "--feel=7", "-t", "a", "-t", "b", "--note", "-"],
        ["log", "--at", "-2h", "calm"],
        ["log", "--state", "NUMB"],
        ["--home", "/tmp/x", "--no-pager", "log", "calm"],
        ["--home=", "log", "calm"],
    ],
)
def test_a_check_in_typed_in_full_goes_the_quick_way(args: list[str]) -> None:
    assert quick.parse(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        ["log"],
        ["log", "-g"],
        ["log", "calm", "--guided"],
        ["log", "calm", "--help"],
        ["log", "calm", "-qt", "work"],
        ["log", "calm", "--feel", "3", "--feel", "4"],
        ["log", "calm", "--feel", "three"],
        ["log", "calm", "--state", "sad"],
        ["log", "calm", "--feel"],
        ["log", "--", "calm"],
        ["--version", "log", "calm"],
        ["--home", "log"],
        ["list"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert quick.parse(args) is None


def test_repeated_options_keep_their_order() -> None:
    parsed = quick.parse(["log", "-t", "b", "--tag", "a", "--tag=c", "calm"])
    assert parsed is not None and parsed[1]["tag"] == ["b", "a", "c"]


def test_the_home_given_before_log_is_read() -> None:
    parsed = quick.parse(["--home", "/tmp/elsewhere", "log", "calm"])
    assert parsed is not None and parsed[0]["home"] == "/tmp/elsewhere"


# -- real runs of the entry point ------------------------------------------------------------


def numbtrack(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
    env[paths.HOME_ENV] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "numbtrack", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_a_quick_check_in_is_saved_and_said_as_typer_says_it(home: Path) -> None:
    done = numbtrack(home, "log", "Calm", "tired", "--feel", "4", "--note", "-", stdin="a b c")
    with Store() as store:
        (saved,) = store.iter_all()
    said = quick.saved_lines(saved, renames(["Calm", "tired"]))
    assert (done.returncode, done.stdout) == (0, "\n".join(said) + "\n")


def test_a_quick_check_in_with_a_typo_is_one_sentence_and_writes_nothing(home: Path) -> None:
    done = numbtrack(home, "log", "anxios", "--feel", "2")
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1)
    assert stored_count(home) == 0


def test_a_value_typer_refuses_still_gets_typer_s_sentence(home: Path) -> None:
    done = numbtrack(home, "log", "calm", "--feel", "three")
    sentence = "'three' is not a whole number from 0 to 10"
    assert (done.returncode, sentence in done.stderr) == (2, True)


def test_a_bug_on_the_quick_way_is_one_sentence_and_a_crash_log(home: Path) -> None:
    probe = (
        "import sys\n"
        "import numbtrack.store as s\n"
        "def boom(self, *a, **k):\n"
        "    raise ZeroDivisionError('secret note text')\n"
        "s.Store.add = boom\n"
        "from numbtrack.__main__ import main\n"
        "sys.argv = ['numbtrack', 'log', 'calm', '--note', 'secret note text']\n"
        "main()\n"
    )
    done, log = crash_of(home, probe)
    assert (done.returncode, done.stderr.count("\n"), str(log) in done.stderr) == (1, 1, True)
    assert "secret" not in log.read_text()


def test_new_ids_are_version_4_uuids_in_the_stored_spelling() -> None:
    made = new_id()
    parsed = uuid.UUID(made)
    assert (str(parsed), parsed.version, parsed.variant) == (made, 4, uuid.RFC_4122)


def test_new_ids_differ() -> None:
    assert len({new_id() for _ in range(1000)}) == 1000
