"""`numbtrack log` must start fast: it may not import what it does not need.

Checked structurally, in a fresh interpreter, by looking at sys.modules after a real run.
Speed itself is measured in bench/, never in a timed test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from numbtrack.cli import main
sys.argv = ["numbtrack", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
heavy = (
    "textual", "rich", "sqlite_utils", "pydantic", "numbtrack.summary", "numbtrack.render",
    "fpdf", "fontTools",
)
print(json.dumps(sorted(m for m in sys.modules if m.startswith(heavy))), file=sys.stderr)
"""


def loaded_by(args: list[str], home: Path) -> list[str]:
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return list(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_log_imports_no_heavy_module(home: Path) -> None:
    loaded_by(["log", "calm", "-q"], home)  # the first run creates the store
    assert (
        loaded_by(
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
                "-q",
            ],
            home,
        )
        == []
    )
    with_errors = loaded_by(["log", "anxios"], home)
    assert with_errors == []


def test_list_when_piped_needs_no_rich(home: Path) -> None:
    loaded_by(["log", "calm", "-q"], home)
    assert loaded_by(["list"], home) == []


def test_week_without_save_needs_no_pdf_library(home: Path) -> None:
    loaded_by(["log", "calm", "-q"], home)
    assert [m for m in loaded_by(["week"], home) if m.startswith(("fpdf", "fontTools"))] == []


def test_week_saved_as_text_needs_no_pdf_library(home: Path, tmp_path: Path) -> None:
    loaded = loaded_by(["week", "--save", str(tmp_path / "w.txt")], home)
    assert [m for m in loaded if m.startswith(("fpdf", "numbtrack.render.pdf"))] == []


def test_week_saved_as_pdf_does_load_it(home: Path, tmp_path: Path) -> None:
    """The probe itself works: the PDF writer shows up when it is used."""
    assert "fpdf" in loaded_by(["week", "--save", str(tmp_path / "w.pdf")], home)
