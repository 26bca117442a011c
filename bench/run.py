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
from typing import Any

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
    cpu: float = 0.0
    """Mean user + system CPU seconds a run (less swayed by a busy machine than the clock)."""

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


IMPORT_YEARS = 10
"""Every other app's file covers ten years, ending on UNTIL."""


def _days() -> list[date]:
    from datetime import timedelta

    end = date.fromisoformat(UNTIL)
    return [end - timedelta(days=i) for i in range(365 * IMPORT_YEARS)]


def daylio_backup_file() -> Path:
    """Ten years of a Daylio backup, three entries a day (Android: LF-wrapped base64, \\/)."""
    path = CACHE / "daylio-10y.daylio"
    if path.exists():
        return path
    import base64
    import random
    import zipfile
    from datetime import datetime, timezone

    rng = random.Random(7)
    moods = [
        {"id": i, "custom_name": name, "mood_group_id": group, "mood_group_order": 0,
         "icon_id": i, "predefined_name_id": pre, "state": 0, "createdAt": 1}
        for i, (name, group, pre) in enumerate(
            [("", 1, 1), ("", 2, 2), ("", 3, 3), ("", 4, 4), ("", 5, 5), ("far away", 4, -1),
             ("love it", 1, -1), ("flat", 3, -1)], 1)
    ]  # fmt: skip
    tags = [
        {"id": i, "name": name, "createdAt": i, "icon": i, "order": i, "state": 0,
         "id_tag_group": 1 + i % 4}
        for i, name in enumerate(
            ["work", "friends", "family", "music", "bad sleep", "walk", "movies / tv", "cooking",
             "reading", "gaming", "rain", "sport", "dormir tôt", "therapy", "date"], 1)
    ]  # fmt: skip
    notes = [
        "", "", "A quiet day.", "Long walk, rain.<br>Tea after.",
        "<div><b>Heavy</b> morning</div><ul><li>called mum</li><li>slept</li></ul>",
    ]  # fmt: skip
    entries = []
    n = 0
    for d in _days():
        for hour in sorted(rng.sample(range(7, 23), 3), reverse=True):
            n += 1
            offset = 7_200_000 if 4 <= d.month <= 10 else 3_600_000
            local = datetime(d.year, d.month, d.day, hour, rng.randint(0, 59))
            utc = local.replace(tzinfo=timezone(timedelta_ms(offset)))
            entries.append({
                "id": n, "minute": local.minute, "hour": hour, "day": d.day,
                "month": d.month - 1, "year": d.year,
                "datetime": int(utc.timestamp() * 1000), "timeZoneOffset": offset,
                "mood": rng.randint(1, len(moods)), "note": rng.choice(notes),
                "note_title": rng.choice(["", "", "Evening"]),
                "tags": rng.sample(range(1, len(tags) + 1), rng.randint(0, 4)), "assets": [],
            })  # fmt: skip
    data = {"version": 15, "customMoods": moods, "tags": tags, "dayEntries": entries,
            "goals": [], "metadata": {"platform": "android"}}  # fmt: skip
    text = json.dumps(data, ensure_ascii=False).replace("/", "\\/")
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    wrapped = "\n".join(b64[i : i + 76] for i in range(0, len(b64), 76))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("backup.daylio", wrapped)
    return path


def timedelta_ms(ms: int) -> Any:
    from datetime import timedelta

    return timedelta(milliseconds=ms)


HWF_WORDS = (
    "Numb", "Apathetic", "Tired", "Calm", "Content", "Anxious", "Hopeful", "Meh", "Drained",
    "Peaceful", "Stressed", "Panicked", "Burned Out", "Thoughtful", "Grateful", "Lonely",
    "Focused", "Chill", "Disconnected", "Overwhelmed",
)  # fmt: skip


def howwefeel_file() -> Path:
    """Ten years of How We Feel, three check-ins a day, in the 18-column header."""
    path = CACHE / "howwefeel-10y.csv"
    if path.exists():
        return path
    import csv
    import random

    rng = random.Random(7)
    header = [
        "Date", "Mood", "Tags (People)", "Tags (Places)", "Tags (Events)", "Exercise", "Sleep",
        "Menstrual", "Steps", "Meditation", "Weather", "Temperature (F)", "Water (cups)",
        "Caffeine (mg)", "Alcoholic Drinks", "Notes", "Reflections", "Takeaways",
    ]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for d in _days():
            for hour in sorted(rng.sample(range(7, 23), 3), reverse=True):
                h12 = hour % 12 or 12
                when = f"{d.year} {d:%a} {d:%b} {d.day} {h12}:{rng.randint(0, 59):02d} " + (
                    "PM" if hour >= 12 else "AM"
                )
                w.writerow([
                    when, ";".join(rng.sample(HWF_WORDS, rng.randint(1, 3))),
                    rng.choice(["", "Partner", "Mom;Dad"]), rng.choice(["", "Home", "Office"]),
                    rng.choice(["", "Work", "Commute"]), rng.choice(["", "", "30"]),
                    repr(rng.uniform(4, 9)) if hour < 12 else "", "", str(rng.randint(0, 12000)),
                    rng.choice(["", "10"]), rng.choice(["Clouds", "Clear sky", "Rain"]),
                    f"{rng.uniform(20, 90):.2f}", "", rng.choice(["", "95"]), "",
                    rng.choice(["", "Long day, nothing much.", "Felt a bit more here."]),
                    rng.choice(["", '["What went well?","The walk"]']), rng.choice(["", "Rest"]),
                ])  # fmt: skip
    return path


def bearable_file() -> Path:
    """Ten years of Bearable's long CSV (8 columns), about 23 rows a day."""
    path = CACHE / "bearable-10y.csv"
    if path.exists():
        return path
    import random

    rng = random.Random(7)

    def ordinal(d: date) -> str:
        suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        return f"{d.day}{suffix} {d:%b} {d.year}"

    symptoms = ("Headache", "Back (lower) pain", "Anxiety", "Stress", "Nausea", "Fatigue")
    severities = ("Mild", "Moderate", "Severe", "Unbearable")
    moods = ("Anxious", "Hopeful", "Meh", "Bored", "Numb", "Calm", "Tired", "Optimistic")
    factors = ("👣 Walk - Moderate", "🤒 Sick", "📱 Screen time - High", "Music", "With family",
               "Sedentary", "Quiet day", "🧘 Yoga")  # fmt: skip
    lines = ["date,date formatted,weekday,time of day,category,rating/amount,detail,notes"]

    def row(d: date, when: str, category: str, amount: str, detail: str, note: str = "") -> None:
        cells = (ordinal(d), d.isoformat(), f"{d:%A}", when, category, amount, detail, note)
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))

    for d in _days():
        row(d, "", "Sleep", f"{rng.randint(4, 9)}:{rng.randint(0, 59):02d}",
            "Asleep 00:30 – 07:15. In bed 23:50 – 07:40")  # fmt: skip
        row(d, "", "Sleep quality", str(rng.randint(1, 5)), "")
        for hour in sorted(rng.sample(range(7, 23), 3)):
            words = " | ".join(rng.sample(moods, rng.randint(0, 3)))
            row(d, f"{hour:02d}:{rng.randint(0, 59):02d}", "Mood", str(rng.randint(1, 10)),
                words, rng.choice(["", "", "a flat morning"]))  # fmt: skip
        for slot in ("am", "pm"):
            row(d, slot, "Energy", str(rng.randint(1, 5)), "")
        for slot in ("pre", "am", "mid", "pm"):
            for name in rng.sample(symptoms, 2):
                level = rng.randint(1, 4)
                row(d, slot, "Symptom", str(level), f"{name} ({severities[level - 1]})")
        for slot in ("am", "pm", "all day"):
            row(d, slot, rng.choice(("Active", "Lifestyle", "Social")), "",
                " | ".join(rng.sample(factors, 3)))  # fmt: skip
        for name, dose in (("Sertraline (mg)", "50"), ("Vitamin D3 (mcg)", "50")):
            row(d, "08:00", "Meds/Supplements", dose, name)
        row(d, "21:30", "Gratitudes", "", "A warm cup of tea")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


IMPORTS = (
    ("daylio backup", daylio_backup_file),
    ("how we feel", howwefeel_file),
    ("bearable", bearable_file),
)
"""Other apps' formats, each timed as a whole `numbtrack import FILE` into an empty store."""

IMPORT_RATE = 20_000
"""The goal for every importer: at least this many rows (or entries) a second."""

PARSE_ONLY = (
    "import sys; from pathlib import Path; from numbtrack import exchange; "
    "exchange.load(Path(sys.argv[1]))"
)
"""Reading and mapping alone (exchange.load), without the store's write."""


def count_rows(path: Path) -> int:
    """Entries of a backup, or rows of a CSV (without the header)."""
    if path.suffix == ".daylio":
        return 365 * IMPORT_YEARS * 3
    with path.open(encoding="utf-8") as fh:
        return sum(1 for _ in fh) - 1


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
    warmup: int = 3,
) -> Result:
    memory = peak_kib(cmd, env, prepare)
    if shutil.which("hyperfine"):
        out = CACHE / "hyperfine.json"
        args = [
            "hyperfine",
            "-N",
            "--warmup",
            str(warmup),
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
        found = json.loads(out.read_text())["results"][0]
        times = found["times"]
        cpu = found["user"] + found["system"]
    else:
        import resource

        times = []
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        for _ in range(runs):
            if prepare:
                subprocess.run(prepare, shell=True, check=True)
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / runs
    q = statistics.quantiles(times, n=4) if len(times) >= 4 else [min(times), 0, max(times)]
    result = Result(name, size, statistics.median(times), q[0], q[2], memory, len(times), cpu)
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
    parser.add_argument(
        "--imports", action="store_true", help="only the importers of other apps' files"
    )
    args = parser.parse_args()
    runs = 10 if args.quick else 30
    CACHE.mkdir(parents=True, exist_ok=True)
    install()
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    floor = timed(
        "floor: python -c 'import sqlite3'", "-", [str(PY), "-c", "import sqlite3"], base, runs
    )
    work = Path(tempfile.mkdtemp(prefix="numbtrack-bench-"))
    try:
        imports = render_imports(floor, time_imports(work, base, runs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(imports)
    if not args.no_write:
        write(imports, "bench:imports")
    if args.imports:
        return
    stores = {y: store(y) for y in SIZES}
    results: list[Result] = []
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


def time_imports(work: Path, base: dict[str, str], runs: int) -> list[Result]:
    """Each other app's ten-year file: a whole `numbtrack import FILE` into an empty store,
    and reading and mapping alone (`exchange.load`, the importer's own part)."""
    results: list[Result] = []
    for label, made in IMPORTS:
        path = made()
        rows = count_rows(path)
        name = f"import {label} ({rows:,} rows)"
        target = work / label.replace(" ", "-")
        results.append(
            timed(
                name,
                "empty",
                [str(NT), "import", str(path)],
                {**base, "NUMBTRACK_HOME": str(target)},
                max(3, runs // 10),
                prepare=f"rm -rf {target}",
                warmup=1,
            )
        )
        results.append(
            timed(
                f"parse {label} ({rows:,} rows)",
                "-",
                [str(PY), "-c", PARSE_ONLY, str(path)],
                base,
                max(3, runs // 10),
                warmup=1,
            )
        )
    return results


def render_imports(floor: Result, results: list[Result]) -> str:
    lines = [
        f"Measured {date.today()} on {machine()}.",
        "",
        f"Files: ten years of each app's export ending {UNTIL}, made by bench/run.py "
        "(`daylio_backup_file`, `howwefeel_file`, `bearable_file`); the store starts empty.",
        "",
        f'Floor: a bare `python -c "import sqlite3"` took {1000 * floor.median:.1f} ms '
        "(median) in the same run; the ratio column divides by it. `parse` is "
        "`exchange.load` alone (reading, mapping, validating: the importer's part); `import` "
        "is the whole command, store writes included.",
        "",
        "| command | median | spread (IQR) | × floor | rows a second | CPU time | "
        f"rows a CPU second | peak memory | goal (≥ {IMPORT_RATE:,} rows/s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rows = int(r.name.rsplit("(", 1)[1].split()[0].replace(",", ""))
        rate = rows / r.median
        per_cpu = rows / r.cpu if r.cpu else 0.0
        lines.append(
            f"| `{r.name}` | {1000 * r.median:.1f} ms | {1000 * r.low:.1f}-{1000 * r.high:.1f} ms"
            f" | {r.ratio(floor.median):.1f} | {rate:,.0f} | {1000 * r.cpu:.0f} ms | "
            f"{per_cpu:,.0f} | {r.peak_kib / 1024:.0f} MiB | "
            f"{'met' if rate >= IMPORT_RATE else 'not met'} |"
        )
    return "\n".join(lines)


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


def write(report: str, block: str = "bench") -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    start, end = f"<!-- {block}:start -->", f"<!-- {block}:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no {start} ... {end} block to replace")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{report}\n{end}{tail}", encoding="utf-8")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
