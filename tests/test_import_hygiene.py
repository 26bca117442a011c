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
heavy = ("textual", "rich", "sqlite_utils", "pydantic", "numbtrack.summary", "numbtrack.render")
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
