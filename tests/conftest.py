"""Every test gets its own data folder: nothing ever touches the person's real store.

Every test also closes what it opens: a connection or file still open when it is collected
warns (ResourceWarning), and pyproject.toml makes that warning an error.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack import paths


def _memory_folder() -> str | None:
    """/dev/shm where it is a roomy tmpfs and nobody chose another temporary folder.

    Every commit of a store is synced (PRAGMA synchronous = FULL) and so is every backup and
    marker: on a disk, much of the suite's time went on waiting for those syncs. Files in memory are
    still real files, SQLite's own, written and synced by the same code; a sync there returns
    at once. With less than 2 GiB free (a container's 64 MiB /dev/shm), or with TMPDIR set,
    the usual temporary folder is used."""
    if any(os.environ.get(name) for name in ("TMPDIR", "TEMP", "TMP", "PYTEST_DEBUG_TEMPROOT")):
        return None
    try:
        with open("/proc/self/mounts", encoding="utf-8") as mounts:
            tmpfs = any(line.split()[1:3] == ["/dev/shm", "tmpfs"] for line in mounts)
        room = os.statvfs("/dev/shm")
    except OSError:
        return None
    if not tmpfs or room.f_bavail * room.f_frsize < 2 << 30 or not os.access("/dev/shm", os.W_OK):
        return None
    return "/dev/shm"


# Before any tmp_path is made: pytest and the tests' own temporary folders follow tempfile.
tempfile.tempdir = _memory_folder() or tempfile.tempdir

if sys.version_info < (3, 13):
    # Python 3.13 warns about a sqlite3 connection collected while still open; before 3.13 it
    # is closed silently. Give older Pythons the same warning, naming where the connection was
    # opened, so that a leak fails there too.
    class _WarnIfLeftOpen(sqlite3.Connection):
        _closed = False
        _opened_at = "?"

        def close(self) -> None:
            self._closed = True
            super().close()

        def __del__(self) -> None:
            if not self._closed:
                warnings.warn(
                    f"unclosed database opened at {self._opened_at}", ResourceWarning, stacklevel=1
                )

    _connect = sqlite3.connect
    _OURS = tuple(str(Path(__file__).parents[1] / part) for part in ("src", "tests"))

    def _connect_warning_if_left_open(*args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("factory", _WarnIfLeftOpen)
        conn = _connect(*args, **kwargs)
        ours = [
            f"{Path(frame.f_code.co_filename).name}:{line}"
            for frame, line in traceback.walk_stack(sys._getframe(1))
            if frame.f_code.co_filename.startswith(_OURS)
        ]
        conn._opened_at = " < ".join(ours[:4])
        return conn

    sqlite3.connect = _connect_warning_if_left_open


@pytest.fixture(autouse=True)
def closes_what_it_opens() -> Iterator[None]:
    """Collect garbage after each test, so a leaked connection fails the test that leaked it
    (its warning becomes an error), not whichever test happens to run next."""
    yield
    gc.collect()
    # What survives is not this test's garbage: set it aside (gc.freeze), so that the next
    # collection looks only at what later tests make. Collecting everything after every test
    # would cost about as much as the tests themselves.
    gc.freeze()


def pytest_sessionfinish() -> None:
    gc.unfreeze()  # pytest's own last collections then see everything again


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


def a_year_exported(runner: CliRunner, home: Path) -> Path:
    """A year of demo check-ins in `home`, and all of them exported as JSON Lines beside it."""
    run(runner, "demo", "--years", "1", "--seed", "3", "--home", str(home))
    dump = home.parent / "all.jsonl"
    run(runner, "export", "--format", "jsonl", "-o", str(dump))
    return dump


def env_without_home() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != paths.HOME_ENV}


def stored_count(home: Path) -> int:
    """How many check-ins the store in `home` holds; 0 if there is no store file (checking
    through Store() would create one)."""
    from numbtrack.store import Store

    if not (home / "numbtrack.db").exists():
        return 0
    with Store(home / "numbtrack.db") as store:
        return store.count()
