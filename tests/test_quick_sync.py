"""numbtrack.quick_sync, the way into plain `numbtrack sync` without Typer, agrees with Typer.

The quick parser's table is checked against the real `sync` callback, for many argument lists
both ways must call the same function with the same values (or the quick way must decline),
and real runs of the `numbtrack` entry point say the same as Typer says, with the same exit
codes, and import no Typer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numbtrack import paths, quick_sync
from numbtrack.cli import app
from numbtrack.models import CheckIn, Feeling
from numbtrack.store import Store
from numbtrack.sync import auto

from .test_quick import does_more_than_a_value, options_of


def sync_command() -> Any:
    group: Any = typer.main.get_command(app)
    with group.make_context("numbtrack", ["sync"], resilient_parsing=True) as ctx:
        return group.get_command(ctx, "sync")


def test_the_quick_parser_knows_every_option_of_plain_sync_as_typer_declares_it() -> None:
    assert options_of(sync_command().params) == quick_sync.SYNC_OPTIONS


def test_plain_sync_takes_no_argument_but_a_subcommand() -> None:
    arguments = [p.name for p in sync_command().params if p.param_type_name == "argument"]
    assert arguments == []


def test_no_option_of_plain_sync_does_more_than_the_quick_parser_does() -> None:
    odd = [
        p.name
        for p in sync_command().params
        if does_more_than_a_value(p)
        or p.nargs != 1
        or not (getattr(p, "is_flag", False) and p.secondary_opts == [] and p.default is False)
    ]
    assert odd == []


# -- both ways call the same function with the same values ------------------------------------

TOKENS = [
    "-q", "--quiet", "--background", "--quiet=1", "-qq", "-x", "--help", "-h", "--", "-",
    "status", "init", "compact", "--json", "--home", "/tmp/x", "--no-pager", "sync", "",
]  # fmt: skip


ROOT_TOKENS = ["--home", "/tmp/x", "--no-pager", "--home=", "-q"]


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Which of sync_now or background was called, and with what (nothing is synced)."""
    calls: list[tuple[str, Any]] = []

    def sync_now(echo: Any, *, quiet: bool) -> None:
        calls.append(("sync_now", quiet))

    def background() -> int:
        calls.append(("background", None))
        return 0

    monkeypatch.setattr(quick_sync, "sync_now", sync_now)
    monkeypatch.setattr(quick_sync, "background", background)
    return calls


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.lists(
        st.sampled_from(["--home", "/tmp/x", "--no-pager", "--home=", "-q"]), max_size=3
    ),
    after=st.lists(st.sampled_from(TOKENS), max_size=4),
)
def test_both_ways_call_the_same_function_with_the_same_values(
    recorded: list[tuple[str, Any]], before: list[str], after: list[str]
) -> None:
    args = [*before, "sync", *after]
    parsed = quick_sync.parse(args)
    if parsed is None:
        return  # declined: Typer reads them, as before
    recorded.clear()
    typer_way = CliRunner().invoke(app, args)
    _root, values = parsed
    expected = ("background", None) if values["background"] else ("sync_now", values["quiet"])
    assert (typer_way.exit_code, recorded) == (0, [expected])


@pytest.mark.parametrize(
    "args",
    [
        ["sync"],
        ["sync", "-q"],
        ["sync", "--quiet"],
        ["sync", "--background"],
        ["sync", "-q", "--background"],
        ["--home", "/tmp/x", "--no-pager", "sync", "-q"],
        ["--home=", "sync"],
    ],
)
def test_a_plain_sync_goes_the_quick_way(args: list[str]) -> None:
    assert quick_sync.parse(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        ["sync", "status"],
        ["sync", "-q", "status"],
        ["sync", "init", "/tmp/x"],
        ["sync", "--help"],
        ["sync", "-h"],
        ["sync", "-q", "-q"],
        ["sync", "--quiet=1"],
        ["sync", "-qq"],
        ["sync", "--nope"],
        ["sync", "--"],
        ["--version", "sync"],
        ["--home", "sync"],
        ["log", "sync"],
        ["status", "sync"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert quick_sync.parse(args) is None


def test_the_home_given_before_sync_is_read() -> None:
    parsed = quick_sync.parse(["--home", "/tmp/elsewhere", "sync"])
    assert parsed is not None and parsed[0]["home"] == "/tmp/elsewhere"


# -- real runs of the entry point ------------------------------------------------------------

PROBE = """
import json, sys
from numbtrack.__main__ import main
sys.argv = ["numbtrack", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
loaded = sorted(m for m in sys.modules if m.startswith(("typer", "click", "numbtrack.cli")))
print(json.dumps({"exit": code, "loaded": loaded}), file=sys.stderr)
"""


def numbtrack(home: Path, *args: str) -> tuple[int, str, str, list[str]]:
    """Exit code, stdout, stderr (the probe's line removed) and the Typer modules loaded."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
    env[paths.HOME_ENV] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    *own, last = done.stderr.strip().splitlines() or [""]
    found = json.loads(last)
    stderr = "".join(line + "\n" for line in own)
    return found["exit"], done.stdout, stderr, found["loaded"]


def typer_way(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def join(home: Path, folder: Path, name: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(paths.HOME_ENV, str(home))
        assert typer_way("sync", "init", str(folder), "--name", name)[0] == 0


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A sync folder where another device wrote two check-ins."""
    from datetime import datetime

    from numbtrack.sync import engine

    folder = tmp_path / "folder"
    folder.mkdir()
    with Store(tmp_path / "other" / "numbtrack.db") as store:
        settings = engine.init(store, folder, name="other")
        for word in ("calm", "numb"):
            store.add(CheckIn(at=datetime.now().astimezone(), feelings=(Feeling(word),)))
        assert engine.run(store, settings) is not None
    return folder


@pytest.fixture
def synced(home: Path, folder: Path) -> Path:
    """This device (NUMBTRACK_HOME) joined `folder`."""
    join(home, folder, "here")
    return folder


def test_a_quick_sync_says_what_typer_says(home: Path, folder: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    join(home, folder, "here")
    join(twin, folder, "twin")
    quick_way = numbtrack(home, "sync")[:3]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(paths.HOME_ENV, str(twin))
        slow_way = typer_way("sync")
    assert quick_way == slow_way


def test_a_quick_sync_brings_the_other_device_s_check_ins(home: Path, synced: Path) -> None:
    numbtrack(home, "sync", "-q")
    with Store() as store:
        assert sorted(w for c in store.iter_all() for w in c.words) == ["calm", "numb"]


def test_a_quick_sync_loads_no_typer(home: Path, synced: Path) -> None:
    code, out, err, loaded = numbtrack(home, "sync", "-q")
    assert (code, out, err, loaded) == (0, "", "", [])


def test_a_sync_before_sync_init_is_one_sentence_as_typer_says_it(home: Path) -> None:
    quick_way = numbtrack(home, "sync")[:3]
    assert quick_way == typer_way("sync")


def test_a_sync_before_sync_init_exits_2_with_one_line(home: Path) -> None:
    code, out, err, _ = numbtrack(home, "sync", "-q")
    assert (code, out, err.count("\n")) == (2, "", 1)


def test_a_missing_sync_folder_is_one_sentence_as_typer_says_it(home: Path, synced: Path) -> None:
    synced.rename(synced.with_name("gone"))
    quick_way = numbtrack(home, "sync")[:3]
    assert quick_way == typer_way("sync")


def test_a_background_sync_that_fails_keeps_its_sentence(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    code, out, err, _ = numbtrack(home, "sync", "--background")
    kept = (home / auto.ERROR).read_text(encoding="utf-8")
    assert (code, out, err, kept.count("\n")) == (2, "", "", 1)


def test_a_background_sync_that_works_removes_the_old_sentence(home: Path, synced: Path) -> None:
    (home / auto.ERROR).write_text("An old failure.\n", encoding="utf-8")
    code = numbtrack(home, "sync", "--background")[0]
    assert (code, (home / auto.ERROR).exists()) == (0, False)


def test_sync_status_is_still_typer_s(home: Path, synced: Path) -> None:
    code, out, _, loaded = numbtrack(home, "sync", "status")
    assert (code, "Sync folder:" in out, "typer" in loaded) == (0, True, True)
