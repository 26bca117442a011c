"""Automatic sync after a change, in a detached background process, at most every few minutes.

This runs at the end of `numbtrack log` and the other commands that change check-ins, so it
must cost almost nothing: it imports only os, sys and time, and in the common case does one
stat() of a marker file that exists only while automatic sync is on. The marker is written from
config.toml's `[sync] auto` and `every` by `numbtrack sync init` / `numbtrack sync auto`; it
holds the interval in seconds. A second file's modification time says when the last automatic
sync was started. When that is longer ago than the interval, a `numbtrack sync --background`
is started with os.posix_spawn in a new session, its output going nowhere, and this process
returns at once without waiting for it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

MARKER = "sync-auto"
"""Present in the data folder while automatic sync is on; holds the interval in seconds."""
STAMP = "sync-last"
"""Its modification time is when the last automatic sync started (or any sync finished)."""
ERROR = "sync-error"
"""The sentence of the last failed background sync, shown by `numbtrack sync status`."""


def set_auto(data_dir: Path, every_minutes: int | None) -> None:
    """Turn the marker on (with this interval) or off (None)."""
    from numbtrack import paths

    marker = data_dir / MARKER
    if every_minutes is None:
        if marker.exists() or marker.is_symlink():
            marker.unlink()
        return
    paths.ensure_private_dir(data_dir)
    paths.write_atomic(marker, f"{max(1, every_minutes) * 60}\n".encode("ascii"))


def touch(data_dir: Path) -> None:
    """Note that a sync ran now."""
    stamp = os.path.join(data_dir, STAMP)
    try:
        fd = os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        return
    os.close(fd)
    os.utime(stamp)


def after_change(data_dir: Path, *, pin_home: bool = False) -> int | None:
    """Start a background sync if automatic sync is on and the last one is long enough ago.
    Returns its process id, or None. Never raises: logging must not fail because of sync.

    `pin_home`: the data folder came from --home, so the background process is pointed at
    it through NUMBTRACK_HOME (an inherited NUMBTRACK_HOME needs nothing)."""
    try:
        with open(os.path.join(data_dir, MARKER), "rb") as fh:
            every = int(fh.read(32).strip() or b"300")
    except (OSError, ValueError):
        return None
    try:
        last = os.stat(os.path.join(data_dir, STAMP)).st_mtime
    except OSError:
        last = 0.0
    if time.time() - last < every:
        return None
    touch(data_dir)  # claim this slot first, so that quick changes start one sync, not many
    env = dict(os.environ)
    if pin_home:
        env["NUMBTRACK_HOME"] = str(data_dir)
    devnull = os.devnull
    try:
        return os.posix_spawn(
            sys.executable,
            [sys.executable, "-m", "numbtrack", "sync", "--background"],
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_OPEN, 2, devnull, os.O_WRONLY, 0),
            ],
            setsid=True,
        )
    except OSError:
        return None
