"""Peak memory of `numbtrack import FILE.jsonl` at three sizes, into an empty home (the new
store is built whole) and into a store of one check-in (the staged import), for each process:
the importing process and the child that reads the file (figures for docs/performance.md and
docs/reliability.md).

python bench/import_memory.py [ROWS ...]      (default: 17,000 52,000 157,000)

Each file is made as bench/import_lock.py makes its file, with ids spread as a real
export's. While the import runs, every process of it is looked at every few milliseconds
through /proc/PID/status; VmHWM (the highest resident set the kernel saw for that process) is
kept from the last look before it ended. The child is forked from the importing process, so
it starts with the pages it shares with its parent: its VmHWM counts those too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path


def write_file(path: Path, rows: int) -> None:
    """As bench/import_lock.py's (a check-in every half hour, so that 600,000 fit before
    today), with ids spread as a real export's are (`numbtrack demo`'s
    are uuid5): each check-in's rows land all over the id and part tables' B-trees, not at
    their ends."""
    base = datetime(1990, 1, 1, 9).astimezone()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            row = {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"numbtrack-bench-{i}")),
                "at": (base + timedelta(minutes=30 * i)).isoformat(),
                "feelings": [{"word": "calm"}],
                "tags": ["work"],
                "note": "a line of a journal",
            }
            fh.write(json.dumps(row) + "\n")


def _hwm(pid: int) -> int | None:
    """VmHWM of `pid` in KiB, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(x) for x in fh.read().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []


def measure(path: Path, home: Path, store: bool = False) -> tuple[int, int]:
    """Peak resident memory (KiB) of the importing process and of its reading child; with
    `store`, into a home holding one check-in (the staged import) instead of an empty one."""
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    if store:
        log = [sys.executable, "-m", "numbtrack", "log", "numb", "-q"]
        subprocess.run(log, env=env, check=True, capture_output=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "numbtrack", "import", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    parent = child = 0
    while proc.poll() is None:
        got = _hwm(proc.pid)
        if got is not None:
            parent = max(parent, got)
        for pid in _children(proc.pid):
            got = _hwm(pid)
            if got is not None:
                child = max(child, got)
        time.sleep(0.005)
    if proc.returncode != 0:
        raise SystemExit(f"the import of {path.name} failed ({proc.returncode})")
    return parent, child


def main() -> None:
    sizes = [int(x) for x in sys.argv[1:]] or [17_000, 52_000, 157_000]
    print("| rows | into | importing process | reading child |")
    print("|---:|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            path = Path(tmp) / f"{rows}.jsonl"
            write_file(path, rows)
            for store in (False, True):
                home = Path(tmp) / f"home-{rows}-{store}"
                parent, child = measure(path, home, store)
                into = "a store of one check-in" if store else "an empty home"
                cells = f"{parent / 1024:.0f} MiB | {child / 1024:.0f} MiB"
                print(f"| {rows:,} | {into} | {cells} |", flush=True)
                shutil.rmtree(home)
            path.unlink()


if __name__ == "__main__":
    main()
