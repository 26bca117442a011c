"""numbtrack.quick_import, the way into a plain `import FILE` without Typer, agrees with Typer.

The quick parser's table is checked against the real command, for many argument lists both
ways must call the same function with the same values (or the quick way must decline), and
real runs of the `numbtrack` entry point say the same as Typer, with the same exit codes and
the same store, and import no Typer.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numbtrack import quick_import
from numbtrack.cli import app
from numbtrack.store import Store

from .test_quick import does_more_than_a_value
from .test_quick_export import command, known, numbtrack, table, typer_way

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_quick_parser_knows_the_import_options_as_typer_declares_them() -> None:
    assert known("import", quick_import.IMPORT_OPTIONS) == table(quick_import.IMPORT_OPTIONS)


def test_the_options_the_quick_parser_reads_do_nothing_more_than_a_value() -> None:
    odd = [
        p.name
        for p in command("import").params
        if p.param_type_name == "option"
        and set(p.opts) & set(quick_import.IMPORT_OPTIONS)
        and (does_more_than_a_value(p) or p.secondary_opts)
    ]
    assert odd == []


def test_the_quick_formats_are_the_import_formats() -> None:
    from numbtrack.exchange import IMPORT_FORMATS

    assert quick_import.FORMATS == IMPORT_FORMATS


def test_the_quick_way_knows_an_encrypted_file_as_crypto_does() -> None:
    from numbtrack import crypto

    assert quick_import.AGE_MAGIC == crypto.MAGIC


# -- both ways call the same function with the same values ------------------------------------

IMPORT_TOKENS = [
    "--format", "-F", "auto", "daylio", "Daylio", "howwefeel", "xml", "--format=bearable",
    "--mood-map", "rad=joyful", "--mood-map=", "--mood-map=meh=flat", "--dry-run",
    "--dry-run=1", "--help", "-h", "--", "-", "", "a.csv", "b.daylio", "-x", "--encrypt",
]  # fmt: skip


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """What import_file was called with (nothing is read or written)."""
    calls: list[tuple[Any, ...]] = []

    def import_file(
        file: Path, fmt: str, mood_map: str | None, dry_run: bool, data: Any, echo: Any
    ) -> None:
        calls.append((file, fmt, mood_map, dry_run, data))

    monkeypatch.setattr(quick_import, "import_file", import_file)
    return calls


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.lists(st.sampled_from(["--no-pager", "-q"]), max_size=2),
    after=st.lists(st.sampled_from(IMPORT_TOKENS), max_size=5),
)
def test_both_ways_call_the_same_function_with_the_same_values(
    recorded: list[tuple[Any, ...]], before: list[str], after: list[str]
) -> None:
    args = [*before, "import", *after]
    parsed = quick_import.parse(args)
    if parsed is None:
        return  # declined: Typer reads them, as before
    recorded.clear()
    result = CliRunner().invoke(app, args)
    _root, v = parsed
    expected = (Path(v["file"]), v["fmt"], v["mood_map"], v["dry_run"], None)
    assert (result.exit_code, recorded) == (0, [expected])


@pytest.mark.parametrize(
    "args",
    [
        ["import", "a.csv"],
        ["import", "a.csv", "--dry-run"],
        ["import", "--format", "howwefeel", "a.csv"],
        ["import", "-F", "daylio-backup", "b.daylio", "--mood-map", "rad=joyful"],
        ["import", "b.daylio", "--mood-map=rad=joyful,meh=flat"],
        ["--home", "/tmp/x", "--no-pager", "import", "a.csv"],
    ],
)
def test_a_plain_import_of_one_file_goes_the_quick_way(args: list[str]) -> None:
    assert quick_import.parse(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        ["import"],
        ["import", "a.csv", "b.csv"],
        ["import", ""],
        ["import", "-"],
        ["import", "--", "a.csv"],
        ["import", "a.csv", "--help"],
        ["import", "a.csv", "--format", "Daylio"],
        ["import", "a.csv", "--format", "xml"],
        ["import", "a.csv", "-F", "auto", "-F", "auto"],
        ["import", "a.csv", "--dry-run", "--dry-run"],
        ["import", "a.csv", "--dry-run=1"],
        ["import", "a.csv", "--mood-map", ""],
        ["import", "a.csv", "--format"],
        ["import", "a.csv", "--encrypt"],
        ["--version", "import", "a.csv"],
        ["log", "import"],
        ["export", "import"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert quick_import.parse(args) is None


def test_the_home_given_before_import_is_read() -> None:
    parsed = quick_import.parse(["--home", "/tmp/elsewhere", "import", "a.csv"])
    assert parsed is not None and parsed[0]["home"] == "/tmp/elsewhere"


# -- real runs of the entry point ------------------------------------------------------------


def _both(home: Path, tmp_path: Path, *args: str) -> tuple[Any, Any]:
    """What the quick way says and does, and what Typer says and does, each from an empty
    store (the first run's store is moved aside for the second)."""
    quick_way = numbtrack(home, *args)
    quick_store = _contents(home)
    shutil.rmtree(home, ignore_errors=True)
    typer = typer_way(*args)
    return (*quick_way[:3], quick_store), (*typer, _contents(home))


def _contents(home: Path) -> object:
    if not (home / "numbtrack.db").exists():
        return None
    with Store() as store:
        return [(c.id, c.at, c.feelings, c.tags, c.note) for c in store.iter_all()]


@pytest.mark.parametrize(
    "name", ["howwefeel.csv", "daylio_android.daylio", "bearable_new.csv", "daylio_old_year.csv"]
)
def test_the_quick_way_imports_what_typer_imports(home: Path, tmp_path: Path, name: str) -> None:
    quick_way, typer = _both(home, tmp_path, "import", str(FIXTURES / name))
    assert quick_way == typer


@pytest.mark.parametrize(
    "args",
    [
        ["--dry-run"],
        ["--mood-map", "rad=joyful,meh=flat"],
        ["--format", "bearable"],
        ["--mood-map", "rad"],
    ],
)
def test_the_quick_way_says_what_typer_says(home: Path, tmp_path: Path, args: list[str]) -> None:
    quick_way, typer = _both(home, tmp_path, "import", str(FIXTURES / "daylio_ios.daylio"), *args)
    assert quick_way == typer


def test_a_missing_file_is_one_sentence_as_typer_says_it(home: Path, tmp_path: Path) -> None:
    quick_way, typer = _both(home, tmp_path, "import", str(tmp_path / "nothing.csv"))
    assert quick_way == typer


def test_a_mood_map_for_another_app_is_refused_as_typer_refuses_it(
    home: Path, tmp_path: Path
) -> None:
    path = str(FIXTURES / "howwefeel.csv")
    quick_way, typer = _both(home, tmp_path, "import", path, "--mood-map", "rad=joyful")
    assert quick_way == typer


def test_a_bad_file_exits_2_with_one_line(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "HowWeFeelEmotions.csv"
    text = (FIXTURES / "howwefeel.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("2026 Sat Feb 7", "2026 Sat Fob 7"), encoding="utf-8")
    code, out, err, _ = numbtrack(home, "import", str(bad))
    assert (code, out, err.count("\n")) == (2, "", 1)


def test_a_bad_file_adds_nothing(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "HowWeFeelEmotions.csv"
    text = (FIXTURES / "howwefeel.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("2026 Sat Feb 7", "2026 Sat Fob 7"), encoding="utf-8")
    numbtrack(home, "import", str(bad))
    assert _contents(home) in (None, [])


def test_importing_twice_the_quick_way_adds_nothing(home: Path) -> None:
    path = str(FIXTURES / "howwefeel.csv")
    numbtrack(home, "import", path)
    out = numbtrack(home, "import", path)[1]
    assert " 0 added, 0 updated, " in out.splitlines()[0]


def test_the_quick_way_loads_no_typer(home: Path) -> None:
    """(Click may come with sqlite-utils, which a new store's migrations load.)"""
    code, _out, err, loaded = numbtrack(home, "import", str(FIXTURES / "bearable_old.csv"))
    typer = [m for m in loaded if not m.startswith("click")]
    assert (code, err, typer) == (0, "", [])


def test_an_encrypted_file_is_typer_s(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv.age"
    path.write_bytes(quick_import.AGE_MAGIC + b"-> X25519 nothing\n")
    loaded = numbtrack(home, "import", str(path))[3]
    assert "typer" in loaded
