"""numbtrack.quick_export, the way into a plain `export` and `list --all --json` without Typer,
agrees with Typer.

The quick parser's tables are checked against the real commands, for many argument lists both
ways must call the same function with the same values (or the quick way must decline), and
real runs of the `numbtrack` entry point write the same bytes and say the same as Typer, with
the same exit codes, and import no Typer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numbtrack import paths, quick_export
from numbtrack.cli import app
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import Filter, Store

from .test_quick import does_more_than_a_value
from .test_quick_sync import PROBE


def command(name: str) -> Any:
    group: Any = typer.main.get_command(app)
    with group.make_context("numbtrack", [name], resilient_parsing=True) as ctx:
        return group.get_command(ctx, name)


def known(name: str, table: dict[str, tuple[str, str, bool]]) -> dict[str, tuple[str, bool, bool]]:
    """The options of the Typer command that the quick table names: parameter, flag, repeats."""
    return {
        opt: (p.name, bool(getattr(p, "is_flag", False)), p.multiple)
        for p in command(name).params
        if p.param_type_name == "option"
        for opt in p.opts
        if opt in table
    }


def table(spec: dict[str, tuple[str, str, bool]]) -> dict[str, tuple[str, bool, bool]]:
    return {opt: (param, kind == "flag", repeats) for opt, (param, kind, repeats) in spec.items()}


def test_the_quick_parser_knows_the_export_options_as_typer_declares_them() -> None:
    assert known("export", quick_export.EXPORT_OPTIONS) == table(quick_export.EXPORT_OPTIONS)


def test_the_quick_parser_knows_the_list_options_as_typer_declares_them() -> None:
    assert known("list", quick_export.LIST_OPTIONS) == table(quick_export.LIST_OPTIONS)


def test_the_options_the_quick_parser_reads_do_nothing_more_than_a_value() -> None:
    odd = [
        p.name
        for name, spec in (
            ("export", quick_export.EXPORT_OPTIONS),
            ("list", quick_export.LIST_OPTIONS),
        )
        for p in command(name).params
        if p.param_type_name == "option"
        and set(p.opts) & set(spec)
        and (does_more_than_a_value(p) or p.secondary_opts)
    ]
    assert odd == []


def test_the_quick_formats_are_the_export_formats() -> None:
    from numbtrack.exchange import EXPORT_FORMATS

    assert sorted(quick_export.FORMATS) == sorted(EXPORT_FORMATS)


# -- both ways call the same function with the same values ------------------------------------

EXPORT_TOKENS = [
    "--format", "-F", "csv", "json", "jsonl", "JSON", "xml", "--format=jsonl", "-o", "--output",
    "out.csv", "--output=out.json", "--force", "--force=1", "--long", "--encrypt", "--help",
    "-h", "--", "-", "", "tag:work", "--tag", "work", "--since", "mon", "-x",
]  # fmt: skip

LIST_TOKENS = [
    "--all", "-a", "--json", "--limit", "3", "-l", "--all=1", "--help", "--", "-", "",
    "word:calm", "--word", "calm", "-aj", "list",
]  # fmt: skip


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """What write_export or write_list_json was called with (nothing is written)."""
    calls: list[tuple[Any, ...]] = []

    def write_export(store: Store, f: Filter, fmt: str, output: Path | None, **kw: Any) -> int:
        calls.append(("export", f, fmt, output, kw["force"], kw["long"]))
        return 0

    def write_list_json(store: Store, f: Filter) -> None:
        calls.append(("list", f))

    monkeypatch.setattr(quick_export, "write_export", write_export)
    monkeypatch.setattr(quick_export, "write_list_json", write_list_json)
    return calls


def expected_call(command: str, values: dict[str, Any]) -> tuple[Any, ...]:
    if command == "list":
        return ("list", Filter())
    output = None if values["output"] is None else Path(values["output"])
    return ("export", Filter(), values["fmt"], output, values["force"], False)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.lists(st.sampled_from(["--no-pager", "-q"]), max_size=2),
    name=st.sampled_from(["export", "list"]),
    data=st.data(),
)
def test_both_ways_call_the_same_function_with_the_same_values(
    recorded: list[tuple[Any, ...]], before: list[str], name: str, data: st.DataObject
) -> None:
    tokens = EXPORT_TOKENS if name == "export" else LIST_TOKENS
    after = data.draw(st.lists(st.sampled_from(tokens), max_size=4))
    args = [*before, name, *after]
    parsed = quick_export.parse(args)
    if parsed is None:
        return  # declined: Typer reads them, as before
    recorded.clear()
    result = CliRunner().invoke(app, args)
    command, _root, values = parsed
    assert (result.exit_code, recorded) == (0, [expected_call(command, values)])


@pytest.mark.parametrize(
    "args",
    [
        ["export"],
        ["export", "--format", "jsonl"],
        ["export", "-F", "json", "-o", "out.json"],
        ["export", "--output=out.csv", "--force"],
        ["--home", "/tmp/x", "--no-pager", "export"],
        ["list", "--all", "--json"],
        ["list", "--json", "-a"],
        ["--home=", "list", "-a", "--json"],
    ],
)
def test_a_plain_export_or_list_of_everything_goes_the_quick_way(args: list[str]) -> None:
    assert quick_export.parse(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        ["export", "tag:work"],
        ["export", "--tag", "work"],
        ["export", "--long"],
        ["export", "--encrypt", "-o", "x.age"],
        ["export", "--format", "JSON"],
        ["export", "--format", "xml"],
        ["export", "-F", "csv", "-F", "csv"],
        ["export", "-o", ""],
        ["export", "-o", "--force"],
        ["export", "--help"],
        ["export", "--"],
        ["list"],
        ["list", "--json"],
        ["list", "--all"],
        ["list", "--all", "--json", "word:calm"],
        ["list", "--all", "--json", "--limit", "3"],
        ["--version", "export"],
        ["log", "export"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert quick_export.parse(args) is None


def test_the_home_given_before_export_is_read() -> None:
    parsed = quick_export.parse(["--home", "/tmp/elsewhere", "export"])
    assert parsed is not None and parsed[1]["home"] == "/tmp/elsewhere"


# -- real runs of the entry point ------------------------------------------------------------


def numbtrack(home: Path, *args: str, cwd: Path | None = None) -> tuple[int, str, str, list[str]]:
    """Exit code, stdout, stderr (the probe's line removed) and the Typer modules loaded."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
    env[paths.HOME_ENV] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        env=env,
        timeout=120,
        cwd=cwd,
    )
    *own, last = done.stderr.decode("utf-8").strip().splitlines() or [""]
    found = json.loads(last)
    stderr = "".join(line + "\n" for line in own)
    return found["exit"], done.stdout.decode("utf-8"), stderr, found["loaded"]


def typer_way(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    # The bytes as written: Click's Result.stdout turns CRLF into LF.
    out, err = result.stdout_bytes.decode("utf-8"), (result.stderr_bytes or b"").decode("utf-8")
    return result.exit_code, out, err


@pytest.fixture
def filled(home: Path) -> Path:
    """Forty check-ins with parts, notes, an own word and a note to quote in CSV."""
    start = datetime(2026, 10, 1, 8, 30).astimezone()
    with Store() as store:
        for i in range(40):
            store.add(
                CheckIn(
                    at=start + timedelta(hours=9 * i),
                    feelings=(Feeling("calm", i % 5 + 1), Feeling("numb")),
                    sensations=(Sensation("chest", "tight", 2, "more"),) if i % 2 else (),
                    tags=("work",) if i % 3 else (),
                    note=[None, "a walk, then rain", '=she said "hi"', "ünïcode ✓"][i % 4],
                    sleep_hours=[None, 7.5, 6.0, 8.25][i % 4],
                )
            )
    return home


@pytest.mark.parametrize(
    "args",
    [
        ["export"],
        ["export", "--format", "json"],
        ["export", "-F", "jsonl"],
        ["list", "--all", "--json"],
    ],
)
def test_the_quick_way_writes_what_typer_writes(filled: Path, args: list[str]) -> None:
    quick_way = numbtrack(filled, *args)
    assert (quick_way[0], quick_way[1], quick_way[2]) == typer_way(*args)


def test_the_quick_way_loads_no_typer(filled: Path) -> None:
    code, _out, err, loaded = numbtrack(filled, "export", "-F", "jsonl")
    assert (code, err, loaded) == (0, "", [])


def test_an_export_to_a_file_says_what_typer_says(filled: Path, tmp_path: Path) -> None:
    quick_file, typer_file = tmp_path / "quick.csv", tmp_path / "typer.csv"
    quick_way = numbtrack(filled, "export", "-o", str(quick_file))
    slow_way = typer_way("export", "-o", str(typer_file))
    said = (quick_way[0], quick_way[2].replace("quick.csv", "typer.csv"))
    assert said == (slow_way[0], slow_way[2])


def test_an_export_to_a_file_writes_what_typer_writes(filled: Path, tmp_path: Path) -> None:
    quick_file, typer_file = tmp_path / "quick.jsonl", tmp_path / "typer.jsonl"
    numbtrack(filled, "export", "-F", "jsonl", "--output", str(quick_file))
    typer_way("export", "-F", "jsonl", "--output", str(typer_file))
    assert quick_file.read_bytes() == typer_file.read_bytes()


def test_an_export_to_a_file_is_private(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.csv"
    numbtrack(filled, "export", "-o", str(out))
    assert out.stat().st_mode & 0o777 == 0o600


def test_an_existing_file_is_refused_as_typer_refuses_it(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "there.csv"
    out.write_text("mine\n", encoding="utf-8")
    quick_way = numbtrack(filled, "export", "-o", str(out))[:3]
    assert quick_way == typer_way("export", "-o", str(out))


def test_an_existing_file_is_left_as_it_was(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "there.csv"
    out.write_text("mine\n", encoding="utf-8")
    code = numbtrack(filled, "export", "-o", str(out))[0]
    assert (code, out.read_text(encoding="utf-8")) == (2, "mine\n")


def test_force_replaces_an_existing_file(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "there.csv"
    out.write_text("mine\n", encoding="utf-8")
    code, csv_text, _, _ = numbtrack(filled, "export")
    assert numbtrack(filled, "export", "-o", str(out), "--force")[0] == code == 0
    assert out.read_bytes().decode("utf-8") == csv_text


def test_a_planted_symlink_is_replaced_not_followed(filled: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    numbtrack(filled, "export", "-o", str(link), "--force")
    assert (target.read_text(encoding="utf-8"), link.is_symlink()) == ("keep me\n", False)


def test_a_missing_folder_is_one_sentence_as_typer_says_it(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "folder.csv"
    quick_way = numbtrack(filled, "export", "-o", str(out))[:3]
    assert quick_way == typer_way("export", "-o", str(out))


def test_a_missing_folder_exits_2_with_one_line_and_nothing_written(
    filled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "no" / "folder.csv"
    code, stdout, err, _ = numbtrack(filled, "export", "-o", str(out))
    assert (code, stdout, err.count("\n"), out.parent.exists()) == (2, "", 1, False)


def test_a_store_that_is_not_numbtrack_s_is_one_sentence_as_typer_says_it(home: Path) -> None:
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / "numbtrack.db").write_bytes(b"not a database at all")
    quick_way = numbtrack(home, "list", "--all", "--json")[:3]
    assert quick_way == typer_way("list", "--all", "--json")


def test_an_empty_store_lists_an_empty_json_list(home: Path) -> None:
    assert numbtrack(home, "list", "--all", "--json")[:3] == (0, "[]\n", "")


def test_an_export_with_terms_is_still_typer_s(filled: Path) -> None:
    code, out, _, loaded = numbtrack(filled, "export", "tag:work", "-F", "jsonl")
    assert (code, out.count('"tags": ["work"]'), "typer" in loaded) == (0, 26, True)
