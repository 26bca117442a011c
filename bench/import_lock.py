"""How long an import keeps other writers waiting: the longest wait for the write lock while
a 100,000-row JSON Lines import runs in another process, and how long `numbtrack log` takes
meanwhile (figures for docs/reliability.md).

python bench/import_lock.py [ROWS]

A prober (another process) opens the store over and over and makes an empty write through
numbtrack's own Store (so it waits on the store's busy timeout and says it is waiting, as
every numbtrack writer does), noting how long each took and whether the import was switching
its rows in then (its marker file exists only between its first and last step).
Every few probes a `numbtrack log` runs and is timed end to end. The same `log` is timed on
the idle store first, for comparison.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path


def write_file(path: Path, rows: int) -> None:
    base = datetime(1990, 1, 1, 9).astimezone()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            row = {
                "id": f"00000000-0000-4000-8000-{i:012d}",
                "at": (base + timedelta(hours=2 * i)).isoformat(),
                "feelings": [{"word": "calm"}],
                "tags": ["work"],
                "note": "a line of a journal",
            }
            fh.write(json.dumps(row) + "\n")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        big = Path(tmp) / "big.jsonl"
        write_file(big, rows)
        env = {**os.environ, "NUMBTRACK_HOME": str(home)}
        log = [sys.executable, "-m", "numbtrack", "log", "numb", "-q"]

        def timed_log() -> float:
            start = time.perf_counter()
            subprocess.run(log, env=env, check=True, capture_output=True)
            return time.perf_counter() - start

        idle = [timed_log() for _ in range(5)]
        marker = home / "numbtrack.db-import"
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "numbtrack", "import", str(big)],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        waits: list[tuple[float, bool]] = []
        logs: list[float] = []
        switch_seen = 0.0
        from numbtrack.store import Store

        os.environ["NUMBTRACK_HOME"] = str(home)
        while proc.poll() is None:
            switching = marker.exists()
            if switching and not switch_seen:
                switch_seen = time.perf_counter() - start
            with Store() as store:
                t = time.perf_counter()
                store.set_sync_state({"probe": None})  # a write that changes nothing
                waits.append((time.perf_counter() - t, switching))
            if len(waits) % 20 == 0:
                logs.append(timed_log())
            time.sleep(0.002)
        total = time.perf_counter() - start
        assert proc.returncode == 0
    during = [w for w, s in waits if s]
    print(f"import of {rows:,} rows: {total:.2f} s; switching began after {switch_seen:.2f} s")
    print(
        f"write-lock probes: {len(waits)} ({len(during)} while switching); longest wait "
        f"{max(w for w, _ in waits) * 1000:.0f} ms (while switching "
        f"{max(during, default=0) * 1000:.0f} ms), median "
        f"{statistics.median(w for w, _ in waits) * 1000:.1f} ms"
    )
    print(
        f"numbtrack log: idle median {statistics.median(idle) * 1000:.0f} ms; during the "
        f"import {len(logs)} runs, median {statistics.median(logs) * 1000:.0f} ms, longest "
        f"{max(logs) * 1000:.0f} ms"
        if logs
        else "numbtrack log: no run during the import"
    )


if __name__ == "__main__":
    main()
