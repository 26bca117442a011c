"""The layers of docs/architecture.md hold: checked by import-linter's contracts.

The contracts live in pyproject.toml ([tool.importlinter]); this test runs `lint-imports` on
them, so an import that points up (the core importing Rich, the store importing the CLI)
fails the suite as well as CI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def lint_imports() -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("lint-imports is missing: install the test extras (pip install -e '.[test]')")
    return subprocess.run(
        [exe, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT / "src",
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_layer_contract_is_kept() -> None:
    proc = lint_imports()
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_contracts_cover_the_layers() -> None:
    proc = lint_imports()
    assert "Arrows point down" in proc.stdout
    assert "The core never imports a user interface library" in proc.stdout


def test_the_package_says_it_is_typed() -> None:
    assert (ROOT / "src" / "numbtrack" / "py.typed").is_file()
