"""numbtrack's benchmarks: whole commands, timed with hyperfine, written to docs/performance.md.

    python bench/run.py            # everything (about 5 minutes the first time)
    python bench/run.py --quick    # fewer runs

What it does:
1. Installs this checkout into bench/.cache/venv with `pip install .` (compiled bytecode, as a
   person's install has), so an editable install or PYTHONDONTWRITEBYTECODE cannot skew it.
2. Builds stores of 1, 10 and 30 years with `numbtrack demo` (seed 7), once, cached.
3. Times each command with hyperfine (Debian's package; a small harness of repeated runs is
   used if hyperfine is missing), and measures peak memory (max RSS) over three runs.
4. Reports every median against the floor of a bare `python -c "import sqlite3"` measured in
   the same run, since absolute times drift between machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
VENV = CACHE / "venv"
PY = VENV / "bin" / "python"
NT = VENV / "bin" / "numbtrack"
UNTIL = "2026-11-20"
"""Stores end on a fixed day so that every run measures the same data."""
WEEK = "2026-11-16"
SIZES = (1, 10, 30)

GOALS = {
    "log": 0.070,
    "week": 0.250,
    "dash first screen with data": 1.0,
    "report --save report.pdf (4 weeks)": 1.0,
    "export csv": 0.5,
    "import daylio (3,650 rows)": 1.0,
}
"""Goals at the 10-year store, in seconds."""


@dataclass
class Result:
    name: str
    size: str
    median: float
    low: float
    high: float
    peak_kib: int
    runs: int

    def ratio(self, floor: float) -> float:
        return self.median / floor


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(a) for a in args], check=True, env=env, stdout=subprocess.DEVNULL)


def install() -> None:
    if not PY.exists():
        sh(sys.executable, "-m", "venv", VENV)
        sh(PY, "-m", "pip", "install", "-q", "--upgrade", "pip")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    sh(PY, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", ROOT, env=env)
    sh(PY, "-m", "pip", "install", "-q", ROOT, env=env)


def store(years: int) -> Path:
    folder = CACHE / f"store-{years}y"
    if not (folder / "numbtrack.db").exists():
        shutil.rmtree(folder, ignore_errors=True)
        sh(NT, "demo", "--years", str(years), "--seed", "7", "--until", UNTIL, "--home", folder)
    return folder


def daylio_file() -> Path:
    """Ten years of one Daylio entry a day, in the newest header form, deterministic."""
    path = CACHE / "daylio-10y.csv"
    if path.exists():
        return path
    import random
    from datetime import timedelta

    rng = random.Random(7)
    moods = ("rad", "good", "meh", "bad", "awful")
    acts = ("work", "friends", "music", "bad sleep", "walk", "movies / tv", "cooking")
    end = date.fromisoformat(UNTIL)
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    for i in range(3650):
        d = end - timedelta(days=i)
        hour = rng.randint(1, 12)
        when = f"{hour}:{rng.randint(0, 59):02d} {rng.choice(('am', 'pm'))}"
        chosen = " | ".join(rng.sample(acts, rng.randint(0, 3)))
        note = rng.choice(("", "", "A quiet day.", "Long walk, rain.<br>Tea after."))
        lines.append(f'{d},{d:%B} {d.day},{d:%A},{when},{rng.choice(moods)},"{chosen}",,"{note}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def peak_kib(cmd: list[str], env: dict[str, str], prepare: str | None) -> int:
    peak = 0
    for _ in range(3):
        if prepare:
            subprocess.run(prepare, shell=True, check=True)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}")
        peak = max(peak, usage.ru_maxrss)
    return peak


def timed(
    name: str,
    size: str,
    cmd: list[str],
    env: dict[str, str],
    runs: int,
    prepare: str | None = None,
) -> Result:
    memory = peak_kib(cmd, env, prepare)
    if shutil.which("hyperfine"):
        out = CACHE / "hyperfine.json"
        args = [
            "hyperfine",
            "-N",
            "--warmup",
            "3",
            "--runs",
            str(runs),
            "--export-json",
            str(out),
            "--style",
            "none",
        ]
        if prepare:
            args += ["--prepare", prepare]
        subprocess.run(
            [*args, " ".join(_quote(c) for c in cmd)],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        times = json.loads(out.read_text())["results"][0]["times"]
    else:
        times = []
        for _ in range(runs):
            if prepare:
                subprocess.run(prepare, shell=True, check=True)
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
    q = statistics.quantiles(times, n=4) if len(times) >= 4 else [min(times), 0, max(times)]
    result = Result(name, size, statistics.median(times), q[0], q[2], memory, len(times))
    print(
        f"{name:32s} {size:>9s}  median {1000 * result.median:7.1f} ms  "
        f"IQR {1000 * q[0]:.1f}-{1000 * q[2]:.1f}  peak {memory / 1024:.0f} MiB",
        flush=True,
    )
    return result


def _quote(arg: str) -> str:
    return arg if arg and all(c.isalnum() or c in "-_./:=," for c in arg) else f"'{arg}'"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    tool = (
        subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout.strip()
        if shutil.which("hyperfine")
        else "the fallback harness"
    )
    sqlite = subprocess.run(
        [str(PY), "-c", "import sqlite3; print(sqlite3.sqlite_version)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite}; timed with {tool}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args()
    runs = 10 if args.quick else 30
    CACHE.mkdir(parents=True, exist_ok=True)
    install()
    stores = {y: store(y) for y in SIZES}
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    results: list[Result] = []
    floor = timed(
        "floor: python -c 'import sqlite3'", "-", [str(PY), "-c", "import sqlite3"], base, runs
    )
    work = Path(tempfile.mkdtemp(prefix="numbtrack-bench-"))
    try:
        for years in (0, *SIZES):
            folder = work / f"log-{years}"
            if years:
                shutil.copytree(stores[years], folder)
            env = {**base, "NUMBTRACK_HOME": str(folder)}
            if not years:
                subprocess.run([str(NT), "log", "calm", "-q"], env=env, check=True)
            results.append(
                timed(
                    "log",
                    f"{years} years" if years else "empty",
                    [
                        str(NT),
                        "log",
                        "numb",
                        "tired",
                        "--feel",
                        "3",
                        "--body",
                        "chest:tight:2",
                        "--tag",
                        "work",
                        "-q",
                    ],
                    env,
                    runs,
                )
            )
        for years in SIZES:
            env = {**base, "NUMBTRACK_HOME": str(stores[years])}
            label = f"{years} years"
            results.append(timed("week", label, [str(NT), "week", WEEK], env, runs))
            if years == 10:
                results.append(
                    timed("report (4 weeks)", label, [str(NT), "report", "--to", UNTIL], env, runs)
                )
                results.append(
                    timed(
                        "report --save report.pdf (4 weeks)",
                        label,
                        [
                            str(NT),
                            "report",
                            "--to",
                            UNTIL,
                            "--save",
                            str(work / "r.pdf"),
                            "--force",
                        ],
                        env,
                        runs,
                    )
                )
                results.append(
                    timed(
                        "list --json --limit 50",
                        label,
                        [str(NT), "list", "--json", "--limit", "50"],
                        env,
                        runs,
                    )
                )
            results.append(timed("export csv", label, [str(NT), "export"], env, max(5, runs // 3)))
        target = work / "daylio"
        results.append(
            timed(
                "import daylio (3,650 rows)",
                "empty",
                [str(NT), "import", str(daylio_file())],
                {**base, "NUMBTRACK_HOME": str(target)},
                max(5, runs // 3),
                prepare=f"rm -rf {target}",
            )
        )
        for years in (1, 10):
            env = {**base, "NUMBTRACK_HOME": str(stores[years])}
            results.append(
                timed(
                    "dash first screen with data",
                    f"{years} years",
                    [str(PY), str(ROOT / "bench" / "dash_first_screen.py")],
                    env,
                    max(5, runs // 3),
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = render(floor, results, {y: _count(stores[y]) for y in SIZES})
    print(report)
    if not args.no_write:
        write(report)


def _count(folder: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(folder / "numbtrack.db")
    try:
        return int(conn.execute("SELECT count(*) FROM checkins").fetchone()[0])
    finally:
        conn.close()


def render(floor: Result, results: list[Result], counts: dict[int, int]) -> str:
    lines = [
        f"Measured {date.today()} on {machine()}.",
        "",
        f"Stores: {', '.join(f'{y} years = {n:,} check-ins' for y, n in counts.items())} "
        f"(`numbtrack demo --seed 7 --until {UNTIL}`).",
        "",
        f'Floor: a bare `python -c "import sqlite3"` took {1000 * floor.median:.1f} ms '
        "(median) in the same run; the ratio column divides by it.",
        "",
        "| command | store | median | spread (IQR) | × floor | peak memory | goal at 10 years |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        goal = ""
        if (
            r.name in GOALS
            and r.size in ("10 years", "empty")
            and (r.name != "log" or r.size == "10 years")
        ):
            limit = GOALS[r.name]
            goal = f"≤ {1000 * limit:.0f} ms: {'met' if r.median <= limit else 'not met'}"
        lines.append(
            f"| `{r.name}` | {r.size} | {1000 * r.median:.1f} ms | "
            f"{1000 * r.low:.1f}-{1000 * r.high:.1f} ms | {r.ratio(floor.median):.1f} | "
            f"{r.peak_kib / 1024:.0f} MiB | {goal} |"
        )
    return "\n".join(lines)


def write(report: str) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no {start} ... {end} block to replace")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{report}\n{end}{tail}", encoding="utf-8")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
