"""The dashboard in a real pseudo-terminal: time to first data on screen, and Down-arrow.

    python bench/dash_first_screen.py --home STORE [--runs 10] [--python PY]

Each run starts a process on a fresh pty (120x36, TERM=xterm-256color) and reads what it
writes until a marker appears, so the figure includes interpreter start-up, imports, the
database work and the painting itself, as a person in a terminal sees it:

- the floor: a bare Textual app that paints one Static ("bench: first paint");
- `numbtrack dash`: the overview's calendar heading, which is drawn only together with data.

The two alternate, run by run, so both see the same machine state; the ratio of the medians
is what docs/performance.md reports. After the dashboard's first data, the script opens
Entries (`2`), waits for the count line, and presses Down several times, timing each key to
the first bytes of the repaint that follows.

Prints one JSON object on stdout: medians in seconds, the ratio and the Down-arrow median.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

COLUMNS, LINES = 120, 36
BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bench: first paint")

Bare().run()
"""
BARE_MARKER = b"bench: first paint"
DASH_MARKER = b"Can feel, day by day"
ENTRIES_MARKER = b"check-ins"
TIMEOUT = 30.0


class Terminal:
    """A process on its own pseudo-terminal, and everything it has written so far."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)},
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.seen = b""

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return b""
        self.seen += chunk
        return chunk

    def wait_for(self, marker: bytes, since: int = 0) -> float:
        """Seconds from start until `marker` appears in the output after offset `since`."""
        deadline = time.perf_counter() + TIMEOUT
        while marker not in self.seen[since:]:
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                tail = self.seen[-400:].decode(errors="replace")
                raise SystemExit(f"never saw {marker!r}; last output: {tail!r}")
            self.read(0.5)
        return time.perf_counter() - self.started

    def drain(self, quiet: float = 0.3) -> None:
        """Read until the program has been silent for `quiet` seconds."""
        while self.read(quiet):
            pass

    def key(self, data: bytes) -> float:
        """Seconds from writing `data` to the first bytes written back."""
        t = time.perf_counter()
        os.write(self.master, data)
        deadline = t + TIMEOUT
        while not self.read(0.5):
            if time.perf_counter() > deadline:
                raise SystemExit(f"no repaint after {data!r}")
        return time.perf_counter() - t

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="the store to open")
    parser.add_argument("--runs", type=int, default=10, help="runs of each (default 10)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter to use")
    parser.add_argument("--numbtrack", default=None, help="the numbtrack command to run")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL")}
    env["NUMBTRACK_HOME"] = str(args.home)
    dash_cmd = (
        [args.numbtrack, "dash"] if args.numbtrack else [args.python, "-m", "numbtrack", "dash"]
    )
    bare: list[float] = []
    dash: list[float] = []
    down: list[float] = []
    for run in range(args.runs):
        t = Terminal([args.python, "-c", BARE], env)
        try:
            bare.append(t.wait_for(BARE_MARKER))
        finally:
            t.close()
        t = Terminal(dash_cmd, env)
        try:
            dash.append(t.wait_for(DASH_MARKER))
            if run < 3:
                t.drain()
                mark = len(t.seen)
                os.write(t.master, b"2")
                t.wait_for(ENTRIES_MARKER, since=mark)
                t.drain()
                for _ in range(8):
                    down.append(t.key(b"\x1b[B"))
                    t.drain(0.15)
        finally:
            t.close()
    result = {
        "bare_first_paint_s": statistics.median(bare),
        "dash_first_data_s": statistics.median(dash),
        "ratio": statistics.median(dash) / statistics.median(bare),
        "down_arrow_repaint_s": statistics.median(down),
        "down_arrow_worst_s": max(down),
        "runs": args.runs,
        "terminal": f"{COLUMNS}x{LINES}",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
