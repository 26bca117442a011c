"""`numbtrack log` must start fast: it may not import what it does not need.

Checked structurally, in a fresh interpreter, by looking at sys.modules after a real run of
the entry point of the `numbtrack` script (numbtrack.__main__.main). Speed itself is measured
in bench/, never in a timed test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from numbtrack.store import Store

PROBE = """
import json, sys
from numbtrack.__main__ import main
sys.argv = ["numbtrack", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
heavy = (
    "textual", "rich", "sqlite_utils", "pydantic", "numbtrack.summary", "numbtrack.render",
    "fpdf", "fontTools",
)
loaded = sorted(m for m in sys.modules if m.startswith(heavy))
print(json.dumps({"exit": code, "loaded": loaded, "all": sorted(sys.modules)}), file=sys.stderr)
"""


@dataclass(frozen=True)
class Probe:
    exit_code: int
    loaded: list[str]
    """The heavy modules the command imported."""
    modules: list[str]
    """Every module it imported."""
    stdout: str
    stderr: str
    """What the command itself wrote on stderr (the probe's own line removed)."""


def probe(args: list[str], home: Path) -> Probe:
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    *own, last = proc.stderr.strip().splitlines()
    found = json.loads(last)
    return Probe(found["exit"], found["loaded"], found["all"], proc.stdout, "\n".join(own))


def notes(home: Path) -> list[str | None]:
    with Store(home / "numbtrack.db") as store:
        return [c.note for c in store.iter_all()]


def test_log_imports_no_heavy_module(home: Path) -> None:
    first = probe(["log", "calm", "--note", "first", "-q"], home)  # creates the store
    assert first.exit_code == 0, first.stderr
    full = probe(
        [
            "log",
            "numb",
            "tired",
            "--feel",
            "2",
            "--body",
            "chest:tight:3",
            "--tag",
            "work",
            "--note",
            "second",
            "-q",
        ],
        home,
    )
    assert full.exit_code == 0, full.stderr
    assert full.loaded == []
    assert notes(home) == ["first", "second"]  # both runs really saved


QUICK_LOG_NEVER = (
    "typer",
    "click",
    "numbtrack.cli",
    "numbtrack.sync.engine",
    "numbtrack.config",
    "tomllib",
    "platformdirs",
    "typing",
    "uuid",
    "secrets",
    "difflib",
    "dataclasses",
    "inspect",
)
"""What a check-in typed in full never loads: it goes through numbtrack.quick, not Typer, and
the store, models and paths keep what only other commands need inside functions. (typing:
`from typing import Any` at the top of a module on this path costs a few milliseconds; write
`TYPE_CHECKING = False` / `if TYPE_CHECKING: from typing import Any`, as store.py does.
dataclasses and inspect: importing them, and compiling each dataclass's methods at start,
cost more than the insert itself; the values on this path are numbtrack.value classes.)"""


def never_on_the_quick_way(p: Probe) -> list[str]:
    return [m for m in p.modules if m.split(".")[0] in QUICK_LOG_NEVER or m in QUICK_LOG_NEVER]


def test_a_check_in_typed_in_full_loads_neither_typer_nor_sync_nor_config(home: Path) -> None:
    assert probe(["log", "calm", "--note", "first", "-q"], home).exit_code == 0
    second = probe(["log", "numb", "--feel", "2", "--body", "chest:tight:3", "-t", "w"], home)
    assert second.exit_code == 0, second.stderr
    assert never_on_the_quick_way(second) == []


def test_a_mistake_on_the_quick_way_loads_no_typer(home: Path) -> None:
    assert probe(["log", "calm", "-q"], home).exit_code == 0  # the store exists: no migrations
    mistake = probe(["log", "anxios", "--feel", "2"], home)
    assert mistake.exit_code == 2
    assert never_on_the_quick_way(mistake) == ["difflib"]  # for "did you mean"


def test_a_mistake_in_log_imports_no_heavy_module(home: Path) -> None:
    assert probe(["log", "calm", "-q"], home).exit_code == 0
    with_errors = probe(["log", "anxios"], home)
    assert with_errors.exit_code == 2
    assert 'did you mean "anxious"' in with_errors.stderr
    assert with_errors.loaded == []
    assert len(notes(home)) == 1  # the mistake wrote nothing


QUICK_EXPORT_NEVER = ("typer", "click", "dataclasses", "inspect", "typing", "uuid")
"""What a plain export of everything never loads: it goes through numbtrack.quick_export, and
the exchange modules name typing's and uuid's types in annotations only."""


def test_a_plain_export_loads_neither_typer_nor_dataclasses_nor_typing(home: Path) -> None:
    assert probe(["log", "calm", "--note", "exported", "-q"], home).exit_code == 0
    exported = probe(["export"], home)
    assert exported.exit_code == 0, exported.stderr
    assert "exported" in exported.stdout
    assert [m for m in exported.modules if m.split(".")[0] in QUICK_EXPORT_NEVER] == []


def test_list_when_piped_needs_no_rich(home: Path) -> None:
    assert probe(["log", "calm", "--note", "piped", "-q"], home).exit_code == 0
    listed = probe(["list"], home)
    assert listed.exit_code == 0, listed.stderr
    assert "piped" in listed.stdout
    assert listed.loaded == []


def test_week_without_save_needs_no_pdf_library(home: Path) -> None:
    assert probe(["log", "calm", "-q"], home).exit_code == 0
    week = probe(["week"], home)
    assert week.exit_code == 0, week.stderr
    assert [m for m in week.loaded if m.startswith(("fpdf", "fontTools"))] == []


def test_week_saved_as_text_needs_no_pdf_library(home: Path, tmp_path: Path) -> None:
    saved = probe(["week", "--save", str(tmp_path / "w.txt")], home)
    assert saved.exit_code == 0, saved.stderr
    assert (tmp_path / "w.txt").is_file()
    assert [m for m in saved.loaded if m.startswith(("fpdf", "numbtrack.render.pdf"))] == []


def test_week_saved_as_pdf_does_load_it(home: Path, tmp_path: Path) -> None:
    """The probe itself works: the PDF writer shows up when it is used."""
    saved = probe(["week", "--save", str(tmp_path / "w.pdf")], home)
    assert saved.exit_code == 0, saved.stderr
    assert (tmp_path / "w.pdf").is_file()
    assert "fpdf" in saved.loaded
