"""The last line of defence: an unexpected error becomes one sentence and a crash log.

numbtrack's own errors (`errors.NumbtrackError`) already carry a sentence. Anything else that
reaches the command line's exit point is a bug, or a problem of the machine: known problems
of the machine (a full disk, a damaged database, no memory) get their own sentence; the rest
gets a short report written to `crash-log.txt` in the data folder (mode 0600). The report
names the exception's type and where it happened in numbtrack's code, never its message or
the command's arguments, since those can hold note text.

The test suite sets NUMBTRACK_RAISE_UNEXPECTED=1, so a bug there still fails the test that
found it, with its traceback.
"""

from __future__ import annotations

import errno
import os
import platform
import traceback
from datetime import UTC, datetime
from pathlib import Path

from numbtrack import __version__, paths
from numbtrack.errors import NumbtrackError, StoreError

RAISE_ENV = "NUMBTRACK_RAISE_UNEXPECTED"


def known(exc: BaseException) -> NumbtrackError | None:
    """A sentence for an exception that is not a bug but a state of the machine."""
    if isinstance(exc, NumbtrackError):
        return exc
    if type(exc).__module__ == "sqlite3":
        import sqlite3

        from numbtrack.store import explain

        if isinstance(exc, sqlite3.Error):
            try:
                return explain(exc, paths.db_path())
            except BaseException:  # a stop signal SQLite swallowed (explain says why)
                return StoreError("Stopped; nothing was written.")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError("The disk is full, so numbtrack stopped; free some space and try again.")
    if isinstance(exc, MemoryError):
        return StoreError("numbtrack ran out of memory and stopped; nothing more was written.")
    return None


def report(exc: BaseException, command: str | None) -> str:
    """The crash log's text: where it happened, without messages, arguments or locals."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [
        f"numbtrack {__version__} stopped on an unexpected error",
        f"when: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"python: {platform.python_version()} on {platform.system()}",
        f"command: {command or '-'}",
        f"error: {type(exc).__module__}.{type(exc).__qualname__}",
        "where (innermost last):",
    ]
    for frame in frames:
        name = Path(frame.filename)
        shown = "/".join(name.parts[-2:]) if "numbtrack" in name.parts else name.name
        lines.append(f"  {shown}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def record(exc: BaseException, command: str | None) -> Path | None:
    """Write the crash log (0600, atomically); None when even that is not possible."""
    try:
        folder = paths.ensure_private_dir(paths.data_dir())
        path = folder / paths.CRASH_LOG_NAME
        with paths.atomic_write(path, force=True) as fh:
            fh.write(report(exc, command))
        return path
    except Exception:
        return None


def sentence(exc: BaseException, command: str | None) -> str:
    """What the person reads instead of a traceback."""
    where = record(exc, command)
    told = (
        f"what happened is recorded, without your notes, in {where}"
        if where
        else "it could not be recorded"
    )
    return f"numbtrack stopped on an unexpected problem (a bug, not your doing); {told}."


def should_raise() -> bool:
    return bool(os.environ.get(RAISE_ENV))
