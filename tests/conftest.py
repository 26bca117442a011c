"""Every test gets its own data folder: nothing ever touches the person's real store."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack import paths


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "numbtrack-home"
    monkeypatch.setenv(paths.HOME_ENV, str(folder))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("NUMBTRACK_RAISE_UNEXPECTED", "1")  # a bug fails its test (crash.py)
    paths.set_home(None)
    yield folder
    paths.set_home(None)


@pytest.fixture
def tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in Europe/Berlin local time (it has DST changes) and restore afterwards."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    from numbtrack.cli import app

    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def env_without_home() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != paths.HOME_ENV}
