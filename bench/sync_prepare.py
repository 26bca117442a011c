"""Prepare one timed run of a sync benchmark (bench/run.py), untimed.

python sync_prepare.py empty HOME FOLDER   # HOME becomes a new, empty device of FOLDER
python sync_prepare.py stamp FILE AGE_S    # FILE's mtime becomes AGE_S seconds ago

`stamp` first waits until no `numbtrack sync --background` runs any more. A `log` that starts
one returns at once and leaves it running; the next timed `log`, a moment later, would share
the two cores and the store with it. Automatic sync starts one at most every few minutes, so
no real `log` meets the one before it: each timed run starts on a machine where the last
background sync has finished, and the floor's runs wait in the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def background_syncs() -> list[int]:
    """The process ids of every `numbtrack sync --background` running (Linux: /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = Path("/proc", entry, "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"sync" in argv and b"--background" in argv:
            found.append(int(entry))
    return found


def wait_for_background_syncs(limit_s: float = 60.0) -> None:
    end = time.monotonic() + limit_s
    while background_syncs() and time.monotonic() < end:
        time.sleep(0.005)


def main() -> None:
    mode = sys.argv[1]
    if mode == "empty":
        home, folder = Path(sys.argv[2]), sys.argv[3]
        shutil.rmtree(home, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "numbtrack", "--home", str(home), "sync", "init", folder],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    elif mode == "stamp":
        wait_for_background_syncs()
        path, age = Path(sys.argv[2]), float(sys.argv[3])
        path.touch()
        moment = time.time() - age
        os.utime(path, (moment, moment))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
