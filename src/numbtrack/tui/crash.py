"""What the dashboard leaves behind if it ever hits a bug in itself.

Textual prints a crash as a traceback with `show_locals=True`, which can put a private note
on the screen. Instead the traceback, without locals, goes to a private file in the data
folder (0600, written atomically, never through a symlink), and the person reads one short
sentence with its path. No Textual or Rich here: a crash handler must not be a new way to
crash.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from datetime import datetime
from pathlib import Path

from numbtrack import paths

LOG_NAME = "dash-crash.log"


def write_log(error: BaseException) -> Path | None:
    """Write the traceback (frames only, no values) next to the store; None if impossible."""
    cause = getattr(error, "error", None)  # Textual's WorkerFailed wraps the real error
    real = cause if isinstance(cause, BaseException) else error
    body = (
        f"numbtrack dash stopped at {datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}.\n"
        "This file holds the program's traceback (no note text, no values).\n\n"
        + "Traceback (most recent call last):\n"
        + "".join(traceback.format_tb(real.__traceback__))
        + f"{type(real).__module__}.{type(real).__qualname__}\n"
    )
    try:
        folder = paths.ensure_private_dir(paths.data_dir())
        target = folder / LOG_NAME
        tmp = folder / f".{LOG_NAME}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)  # replaces a symlink itself, never writes through it
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    except OSError:
        return None
    return target


def message(log: Path | None) -> str:
    if log is None:
        return "The dashboard stopped because of a problem in numbtrack itself; nothing was lost."
    return (
        "The dashboard stopped because of a problem in numbtrack itself; nothing was lost, "
        f"and the details are in {log}."
    )
