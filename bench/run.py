"""numbtrack's benchmarks: whole commands, timed with hyperfine, written to docs/performance.md.

    python bench/run.py                 # everything (about 10 minutes the first time)
    python bench/run.py --quick         # fewer runs
    python bench/run.py --only export   # the cases whose name starts with "export"

What it does:
1. Installs this checkout into bench/.cache/venv with `pip install .` (compiled bytecode, as a
   person's install has), so an editable install or PYTHONDONTWRITEBYTECODE cannot skew it.
2. Builds stores of 1, 10 and 30 years with `numbtrack demo` (seed 7), once, cached.
3. Times each case of CASES at each of its sizes in ONE hyperfine run together with its floor
   (and any reference commands), so the ratio is of two figures taken side by side on the same
   machine at the same moment. Peak memory (max RSS over three runs) is measured separately.
4. Writes a growth table (each command at 1, 10 and 30 years, as a multiple of its floor) and
   the detailed figures between the bench markers of docs/performance.md.

To time something new, append a Case to CASES: a name, the command, its floor, the sizes.
Placeholders in commands are filled per size: {nt} the installed numbtrack, {py} its Python,
{bench} this folder, {home} the store folder (NUMBTRACK_HOME is set to it too), {db} its
database, {work} a scratch folder, {until} the stores' last day, {week} a day in their last
week, {first} their first day, {daylio} a 10-year Daylio CSV; {daylio_backup}, {howwefeel} and
{bearable} ten years of a Daylio backup, a How We Feel and a Bearable export.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
VENV = CACHE / "venv"
PY = VENV / "bin" / "python"
NT = VENV / "bin" / "numbtrack"
UNTIL = "2026-11-20"
"""Stores end on a fixed day so that every run measures the same data."""
WEEK = "2026-11-16"
SIZES = (1, 10, 30)
"""Years of history in the demo stores; 0 in a case's sizes means an empty store."""

IMPORT_SQLITE = ("{py}", "-c", "import sqlite3")
IMPORT_SQLITE_NAME = 'python -c "import sqlite3"'
CHECKIN_COLUMNS_M009 = (
    "SELECT pk, id, at, at_utc, day, can_feel, state, note, sleep_hours, created_at,"
    " updated_at, origin FROM checkins"
)
"""The export floors' query: every column `checkins` had before m010 added parts_csv, so
that the floors do the same work as before it (the cells it holds are what the exports use
to save work; copying them as well would make the floor slower and the ratio look better)."""

LOG_ARGS = ("numb", "tired", "--feel", "3", "--body", "chest:tight:2", "--tag", "work", "-q")


@dataclass(frozen=True)
class Case:
    """One command to time, beside its floor, at some store sizes."""

    name: str
    command: tuple[str, ...]
    floor: tuple[str, ...] = IMPORT_SQLITE
    floor_name: str = IMPORT_SQLITE_NAME
    sizes: tuple[int, ...] = SIZES
    max_ratio: float | None = None
    """Goal: at most this multiple of the floor at `goal_size` years."""
    max_seconds: float | None = None
    """Goal: at most this many seconds at `goal_size` years."""
    goal_size: int = 10
    writes: bool = False
    """The command changes the store: time it (and its floor) on a copy."""
    prepare: tuple[str, ...] | None = None
    """Run before every timed run of the command (not of the floor), without a shell."""
    prepare_all: bool = False
    """Run `prepare` before every run of the floor and the reference lines too."""
    slow: bool = False
    """A third of the runs (at least 5)."""
    also: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(name, command) reference lines timed in the same hyperfine run."""


IMPORT_YEARS = 10
"""Every other app's file covers ten years, ending on UNTIL."""

IMPORT_RATE = 20_000
"""The goal for every importer of another app's file: this many rows (or entries) a second."""

BEARABLE_ROWS = 21 * 365 * IMPORT_YEARS
"""Rows of the ten-year Bearable file (bearable_file writes 21 a day)."""

ROWS_30Y = 52_417
"""Check-ins in the 30-year demo store (seed 7, until UNTIL): numbtrack's own import goal is
IMPORT_RATE rows a second for its JSON Lines and CSV exports of it."""

PARSE_ONLY = (
    "import sys; from pathlib import Path; from numbtrack import exchange; "
    "exchange.load(Path(sys.argv[1]))"
)
"""Reading and mapping alone (exchange.load), without the store's write: the importer's part."""

RESET = (
    "import shutil, sys; from pathlib import Path; home = Path(sys.argv[1]); "
    "(home / 'pristine.db').exists() and ([p.unlink() for p in home.glob('numbtrack.db-*')], "
    "shutil.copyfile(home / 'pristine.db', home / 'numbtrack.db'))"
)
"""Put back an empty store's database as it was before the first timed run (other sizes
have no pristine copy: one row more in years of them changes nothing)."""

CASES: list[Case] = [
    Case(
        "log",
        ("{nt}", "log", *LOG_ARGS),
        floor=("{py}", "{bench}/floor_insert.py"),
        floor_name="the same insert in plain Python (bench/floor_insert.py)",
        sizes=(0, *SIZES),
        max_ratio=2.5,
        writes=True,
        # The empty store stays empty: each run (numbtrack's and the floors') starts from a
        # copy of it as it was before the first run.
        prepare=("{py}", "-c", RESET, "{home}"),
        prepare_all=True,
        also=(
            (
                "a bare one-command Typer app doing that insert (bench/floor_typer.py)",
                ("{py}", "{bench}/floor_typer.py", *LOG_ARGS),
            ),
            (IMPORT_SQLITE_NAME, IMPORT_SQLITE),
        ),
    ),
    Case("week", ("{nt}", "week", "{week}"), max_ratio=6),
    Case("report (4 weeks)", ("{nt}", "report", "--to", "{until}")),
    Case(
        "report (whole history)",
        ("{nt}", "report", "--from", "{first}", "--to", "{until}"),
        floor=("{nt}", "report", "--to", "{until}"),
        floor_name="the default 4-week report",
        max_ratio=3,
        slow=True,
    ),
    Case(
        "report --save report.pdf (4 weeks)",
        ("{nt}", "report", "--to", "{until}", "--save", "{work}/report.pdf", "--force"),
        floor=("{nt}", "report", "--to", "{until}"),
        floor_name="the same report in the terminal only",
        sizes=(10,),
        max_seconds=1.0,
        also=((IMPORT_SQLITE_NAME, IMPORT_SQLITE),),
    ),
    Case("list --json --limit 50", ("{nt}", "list", "--json", "--limit", "50")),
    Case(
        "list --all --json",
        ("{nt}", "list", "--all", "--json"),
        floor=("sqlite3", "-json", "{db}", CHECKIN_COLUMNS_M009),
        floor_name="sqlite3 -json of the same rows",
        max_ratio=6,
        slow=True,
    ),
    Case(
        "export csv",
        ("{nt}", "export"),
        floor=("sqlite3", "-csv", "-header", "{db}", CHECKIN_COLUMNS_M009),
        floor_name="sqlite3 -csv of the same table",
        max_ratio=6,
        slow=True,
    ),
    Case(
        "export jsonl",
        ("{nt}", "export", "--format", "jsonl"),
        floor=("sqlite3", "-json", "{db}", CHECKIN_COLUMNS_M009),
        floor_name="sqlite3 -json of the same table",
        max_ratio=6,
        slow=True,
    ),
    Case(
        "import daylio (3,650 rows)",
        ("{nt}", "import", "{daylio}"),
        sizes=(0,),
        goal_size=0,
        max_seconds=1.0,
        writes=True,
        prepare=("rm", "-rf", "{home}"),
        slow=True,
    ),
    *(
        Case(
            f"import {label} ({rows:,} {unit})",
            ("{nt}", "import", "{" + key + "}"),
            sizes=(0,),
            goal_size=0,
            max_seconds=rows / IMPORT_RATE,
            writes=True,
            prepare=("rm", "-rf", "{home}"),
            slow=True,
            also=(
                (
                    "exchange.load alone: reading and mapping",
                    ("{py}", "-c", PARSE_ONLY, "{" + key + "}"),
                ),
            ),
        )
        for label, key, rows, unit in (
            ("daylio backup", "daylio_backup", 3 * 365 * IMPORT_YEARS, "entries"),
            ("how we feel", "howwefeel", 3 * 365 * IMPORT_YEARS, "rows"),
            ("bearable", "bearable", BEARABLE_ROWS, "rows"),
        )
    ),
    *(
        Case(
            f"import {fmt} (30 years, {ROWS_30Y:,} rows)",
            ("{nt}", "import", "{" + fmt + "30}"),
            floor=("{py}", "{bench}/floor_parse.py", "{" + fmt + "30}"),
            floor_name="parsing the same file in plain Python (bench/floor_parse.py)",
            sizes=(0,),
            goal_size=0,
            max_seconds=ROWS_30Y / IMPORT_RATE,
            writes=True,
            prepare=("rm", "-rf", "{home}"),
            slow=True,
            also=(
                (
                    "exchange.load alone: reading and checking",
                    ("{py}", "-c", PARSE_ONLY, "{" + fmt + "30}"),
                ),
            ),
        )
        for fmt in ("jsonl", "csv")
    ),
]
"""Every timed case, in the order the tables list them. Append yours."""


@dataclass
class Timing:
    name: str
    median: float
    low: float
    high: float
    runs: int


@dataclass
class Result:
    case: Case
    size: int
    command: Timing
    floor: Timing
    also: list[Timing] = field(default_factory=list)
    peak_kib: int = 0

    @property
    def ratio(self) -> float:
        return self.command.median / self.floor.median

    def goal(self) -> str:
        c = self.case
        if self.size != c.goal_size or (c.max_ratio is None and c.max_seconds is None):
            return ""
        parts = []
        if c.max_ratio is not None:
            parts.append((f"≤ {c.max_ratio:g}× floor", self.ratio <= c.max_ratio))
        if c.max_seconds is not None:
            parts.append((f"≤ {1000 * c.max_seconds:.0f} ms", self.command.median <= c.max_seconds))
        return ", ".join(f"{text}: {'met' if ok else 'not met'}" for text, ok in parts)


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
    if years not in _UPGRADED:
        # A store cached by an older checkout is upgraded here, once (backup, migration), so
        # that no measured run, nor its peak memory, includes a migration.
        subprocess.run(
            [str(NT), "list", "--limit", "1"],
            env={**os.environ, "NUMBTRACK_HOME": str(folder)},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        _UPGRADED.add(years)
    return folder


_UPGRADED: set[int] = set()
"""The cached stores this run has opened once (see `store`)."""


def export_file(years: int, fmt: str) -> Path:
    """The whole `years`-year demo store exported as `fmt`, once, cached."""
    path = CACHE / f"export-{years}y.{fmt}"
    if not path.exists():
        env = {**os.environ, "NUMBTRACK_HOME": str(store(years))}
        sh(NT, "export", "--format", fmt, "-o", path, "--force", env=env)
    return path


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


def _db_facts(folder: Path) -> tuple[int, str]:
    """How many check-ins a store holds and its first day."""
    db = folder / "numbtrack.db"
    if not db.exists():
        return 0, UNTIL
    conn = sqlite3.connect(db)
    try:
        n, first = conn.execute("SELECT count(*), min(day) FROM checkins").fetchone()
        return int(n), first or UNTIL
    finally:
        conn.close()


PEAK = (
    "import os, shutil, sys; null = os.open(os.devnull, os.O_WRONLY); "
    "pid = os.posix_spawn(shutil.which(sys.argv[1]) or sys.argv[1], sys.argv[1:], os.environ, "
    "file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]); "
    "_, status, usage = os.wait4(pid, 0); "
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)"
)


def peak_kib(cmd: list[str], env: dict[str, str], prepare: list[str] | None) -> int:
    peak = 0
    for _ in range(3):
        if prepare:
            subprocess.run(prepare, check=True, env=env)
        # Through a small helper: a child's max RSS counts the process it was forked from,
        # and this one holds the results; the helper is as small as Python gets.
        proc = subprocess.run(
            [sys.executable, "-c", PEAK, *cmd], env=env, capture_output=True, text=True
        )
        code, kib = (int(x) for x in proc.stdout.split())
        if code != 0:
            raise SystemExit(f"failed: {shlex.join(cmd)}")
        peak = max(peak, kib)
    return peak


def _timing(name: str, times: list[float]) -> Timing:
    q = statistics.quantiles(times, n=4) if len(times) >= 4 else [min(times), 0, max(times)]
    return Timing(name, statistics.median(times), q[0], q[2], len(times))


def side_by_side(
    commands: list[tuple[str, list[str], list[str] | None]], env: dict[str, str], runs: int
) -> list[Timing]:
    """Time (name, argv, prepare) commands in one hyperfine run; medians in the same order."""
    times = _times(commands, env, runs)
    return [_timing(name, ts) for (name, _, _), ts in zip(commands, times, strict=True)]


def _times(
    commands: list[tuple[str, list[str], list[str] | None]],
    env: dict[str, str],
    runs: int,
    warmup: int = 3,
) -> list[list[float]]:
    """Every run's time of each command, in one hyperfine run (all of the first command's
    runs, then all of the second's, ...), or alternating with the fallback harness."""
    if shutil.which("hyperfine"):
        out = CACHE / "hyperfine.json"
        args = ["hyperfine", "-N", "--warmup", str(warmup), "--runs", str(runs)]
        args += ["--export-json", str(out), "--style", "none"]
        if any(prep for _, _, prep in commands):
            for _, _, prep in commands:
                args += ["--prepare", shlex.join(prep) if prep else "true"]
        for name, _, _ in commands:
            args += ["--command-name", name]
        args += [shlex.join(cmd) for _, cmd, _ in commands]
        subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
        return [list(r["times"]) for r in json.loads(out.read_text())["results"]]
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):  # the fallback harness alternates the commands
        for i, (_, cmd, prep) in enumerate(commands):
            if prep:
                subprocess.run(prep, check=True, env=env)
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
            times[i].append(time.perf_counter() - t)
    return times


def alternating(
    commands: list[tuple[str, list[str], list[str] | None]],
    env: dict[str, str],
    runs: int,
    rounds: int = 6,
) -> list[Timing]:
    """`side_by_side` for two commands whose difference, not their ratio, is the figure.

    One hyperfine run times all of the first command's runs and then all of the second's, a
    few seconds apart. The two halves of one run of the same `log` differ by 10-20 ms on this
    machine (writeback of the stores copied just before, other work, whichever goes first),
    which is more than the 5 ms to be shown. So the runs are spread over `rounds` short
    hyperfine runs, the order of the commands swapped from one to the next, and pooled."""
    per = max(3, -(-runs // rounds))
    pooled: list[list[float]] = [[] for _ in commands]
    for n in range(rounds):
        order = list(range(len(commands)))
        if n % 2:
            order.reverse()
        times = _times([commands[i] for i in order], env, per, warmup=1 if n else 3)
        for i, ts in zip(order, times, strict=True):
            pooled[i] += ts
    return [_timing(name, ts) for (name, _, _), ts in zip(commands, pooled, strict=True)]


def run_case(case: Case, years: int, folder: Path, work: Path, runs: int) -> Result:
    if case.writes or years == 0:
        home = work / f"{case.name.split()[0]}-{years}"
        shutil.rmtree(home, ignore_errors=True)
        if years:
            shutil.copytree(folder, home)
        else:
            subprocess.run(
                [str(NT), "list"],
                env={**os.environ, "NUMBTRACK_HOME": str(home)},
                check=True,
                stdout=subprocess.DEVNULL,
            )
    else:
        home = folder
    _, first = _db_facts(home)
    values = {
        "nt": str(NT),
        "py": str(PY),
        "bench": str(BENCH),
        "home": str(home),
        "db": str(home / "numbtrack.db"),
        "work": str(work),
        "until": UNTIL,
        "week": WEEK,
        "first": first,
        "daylio": str(daylio_file()),
        "daylio_backup": str(daylio_backup_file()),
        "howwefeel": str(howwefeel_file()),
        "bearable": str(bearable_file()),
        "jsonl30": str(export_file(30, "jsonl")),
        "csv30": str(export_file(30, "csv")),
    }

    def fill(argv: tuple[str, ...]) -> list[str]:
        return [a.format(**values) for a in argv]

    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if case.writes and years == 0 and (home / "numbtrack.db").exists():
        shutil.copyfile(home / "numbtrack.db", home / "pristine.db")
    command, prepare = fill(case.command), fill(case.prepare) if case.prepare else None
    memory = peak_kib(command, env, prepare)
    others = prepare if case.prepare_all else None
    timings = side_by_side(
        [
            (case.name, command, prepare),
            (case.floor_name, fill(case.floor), others),
            *((name, fill(argv), others) for name, argv in case.also),
        ],
        env,
        max(5, runs // 3) if case.slow else runs,
    )
    result = Result(case, years, timings[0], timings[1], timings[2:], memory)
    print(
        f"{case.name:30s} {_size(years):>9s}  {1000 * result.command.median:8.1f} ms"
        f"  floor {1000 * result.floor.median:7.1f} ms  {result.ratio:5.2f}x"
        f"  peak {memory / 1024:.0f} MiB",
        flush=True,
    )
    return result


def _size(years: int) -> str:
    return "empty" if years == 0 else f"{years} year" + ("s" if years > 1 else "")


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


DASH_MAX_RATIO = 1.6
"""First data of `numbtrack dash` at 10 years, as a multiple of a bare Textual app's first paint."""
DASH_MAX_DOWN = 0.100
"""Down-arrow on Entries to the repaint, in seconds."""


def dash_in_a_terminal(home: Path, runs: int) -> dict[str, Any]:
    """bench/dash_first_screen.py: the dashboard and a bare Textual app side by side in a pty.

    Not a hyperfine case: the figure is the time until the screen shows data, which only a
    reader of the terminal's output can see (the process keeps running after it).
    """
    out = subprocess.run(
        [
            str(PY),
            str(BENCH / "dash_first_screen.py"),
            "--home",
            str(home),
            "--runs",
            str(runs),
            "--python",
            str(PY),
            "--numbtrack",
            str(NT),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found: dict[str, Any] = json.loads(out)
    print(
        f"dash (10 years, pty): first data {_ms(found['dash_first_data_s'])}, bare Textual "
        f"{_ms(found['bare_first_paint_s'])}, ratio {found['ratio']:.2f}; Down-arrow "
        f"{_ms(found['down_arrow_repaint_s'])} (worst {_ms(found['down_arrow_worst_s'])})",
        flush=True,
    )
    return found


def dash_section(found: dict[str, Any]) -> list[str]:
    ratio_ok = "met" if found["ratio"] <= DASH_MAX_RATIO else "not met"
    down_ok = "met" if found["down_arrow_repaint_s"] <= DASH_MAX_DOWN else "not met"
    return [
        "",
        "### The dashboard in a real terminal",
        "",
        f"`bench/dash_first_screen.py`, {found['runs']} runs each on a {found['terminal']} "
        "pseudo-terminal, the two alternating: the time from starting the process until the "
        "first data is on screen (the calendar's heading, drawn only with data), against a bare "
        "Textual app's first paint; then Down-arrow on Entries to the first bytes of its repaint.",
        "",
        "| what | median | goal |",
        "|---|---:|---|",
        f"| bare Textual app, first paint (floor) | {_ms(found['bare_first_paint_s'])} | |",
        f"| `numbtrack dash`, first data, 10 years | {_ms(found['dash_first_data_s'])} | |",
        f"| ratio | {found['ratio']:.2f}× | ≤ {DASH_MAX_RATIO:g}×: {ratio_ok} |",
        f"| Down-arrow on Entries to repaint | {_ms(found['down_arrow_repaint_s'])} "
        f"(worst {_ms(found['down_arrow_worst_s'])}) | "
        f"≤ {1000 * DASH_MAX_DOWN:.0f} ms: {down_ok} |",
    ]


def dash_search(home: Path, runs: int) -> dict[str, Any]:
    """bench/dash_search.py: the search box's filters at 10 years, alone and in pairs, each
    from typed text to the count and the first page, beside the empty search (the floor)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run(
        [str(PY), str(BENCH / "dash_search.py"), "--home", str(home), "--runs", str(runs)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    found: dict[str, Any] = json.loads(out)
    worst_single = max(found["single"], key=lambda r: r["median_s"])
    worst_pair = max(found["pairs"], key=lambda r: r["median_s"])
    print(
        f"dash search (10 years): floor {_ms(found['floor']['median_s'])}; slowest single "
        f"`{worst_single['query']}` {_ms(worst_single['median_s'])}; slowest pair "
        f"`{worst_pair['query']}` {_ms(worst_pair['median_s'])}",
        flush=True,
    )
    return found


def dash_search_section(found: dict[str, Any]) -> list[str]:
    floor = found["floor"]
    lines = [
        "",
        "### The dashboard's search at 10 years",
        "",
        f"`bench/dash_search.py`, {found['runs']} runs of each search, all of them alternating "
        "in one process: from the typed text to the count and the first page of check-ins, as "
        "the Entries screen does it (open the store, parse, count, read the page with its "
        "parts). The floor is the same for the empty search box, which Entries shows first.",
        "",
        "| search | typed | matches | median | worst | × floor | goal |",
        "|---|---|---:|---:|---:|---:|---|",
        f"| empty search box (floor) | | {floor['matched']:,} | {_ms(floor['median_s'])} "
        f"| {_ms(floor['worst_s'])} | 1.00 | |",
    ]
    for row in found["single"] + found["pairs"]:
        ok = "met" if row["median_s"] <= row["goal_s"] else "not met"
        lines.append(
            f"| {row['name']} | `{row['query']}` | {row['matched']:,} | {_ms(row['median_s'])} "
            f"| {_ms(row['worst_s'])} | {row['ratio']:.2f} | "
            f"≤ {1000 * row['goal_s']:.0f} ms: {ok} |"
        )
    return lines


def main() -> None:
    # Measured as a person's shell runs numbtrack: with its compiled bytecode, and with output
    # buffered (PYTHONUNBUFFERED would make every write of an export a system call of its own).
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"):
        os.environ.pop(name, None)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    parser.add_argument(
        "--only", metavar="PREFIX", help="only the cases named so (implies --no-write)"
    )
    args = parser.parse_args()
    runs = 10 if args.quick else 30
    CACHE.mkdir(parents=True, exist_ok=True)
    install()
    stores = {y: store(y) for y in SIZES}
    cases = [c for c in CASES if not args.only or c.name.startswith(args.only)]
    results: list[Result] = []
    work = Path(tempfile.mkdtemp(prefix="numbtrack-bench-"))
    sync_lines: list[str] = []
    try:
        for case in cases:
            for years in case.sizes:
                try:
                    results.append(run_case(case, years, stores.get(years, work), work, runs))
                except (SystemExit, subprocess.CalledProcessError) as exc:
                    # one broken case is reported, and the others are still measured
                    print(f"{case.name} at {_size(years)} FAILED: {exc}", flush=True)
        if not args.only or args.only.startswith("sync"):
            found, sync_lines = sync_figures(work, runs)
            results += found
    finally:
        shutil.rmtree(work, ignore_errors=True)
    dash = search = None
    if not args.only or "dash".startswith(args.only) or args.only.startswith("dash"):
        dash = dash_in_a_terminal(stores[10], 5 if args.quick else 15)
        search = dash_search(stores[10], 7 if args.quick else 21)
    report = render(results, {y: _db_facts(stores[y])[0] for y in SIZES})
    if dash is not None:
        report += "\n" + "\n".join(dash_section(dash))
    if search is not None:
        report += "\n" + "\n".join(dash_search_section(search))
    if sync_lines:
        report += "\n\n### Sync (issue 16)\n\n" + "\n".join(sync_lines)
    print(report)
    if not args.no_write and not args.only:
        write(report)


SYNC_YEARS = 10
SYNC_GOALS = {"first": 3.0, "nothing new": 0.150, "log delta": 0.005, "megabytes": 10.0}
"""Issue 16: first sync of 10 years into an empty device < 3 s; a sync with nothing new
< 150 ms; `log` within 5 ms of its time without sync; sync files < 10 MB after compaction."""


def _nt(home: Path, *args: str | Path) -> None:
    sh(NT, "--home", home, *args)


def sync_figures(work: Path, runs: int) -> tuple[list[Result], list[str]]:
    """The sync figures: a device holding ten years syncs into a folder once and compacts
    (untimed); then are timed, each beside its floor in one hyperfine run:
    - the first sync of an empty device (reading the snapshot of ten years);
    - a sync of the ten-year device with nothing new;
    - `log` on a ten-year device with automatic sync on (when no background sync is due,
      and when one is due and gets started), beside the same `log` on a device without sync.
    Returns the results and the lines about the folder's size."""
    folder = work / "sync-folder"
    folder.mkdir()
    a = work / "sync-a"
    shutil.copytree(store(SYNC_YEARS), a)
    _nt(a, "sync", "init", folder, "--name", "ten-years")
    _nt(a, "sync", "-q")
    _nt(a, "sync", "compact")
    b = work / "sync-b"
    _nt(b, "sync", "init", folder, "--name", "reader")
    _nt(b, "sync", "-q")
    _nt(a, "sync", "-q")
    import tomllib

    device = tomllib.loads((a / "config.toml").read_text(encoding="utf-8"))["sync"]["device"]
    own = folder / "numbtrack" / device
    size = sum(f.stat().st_size for f in own.iterdir() if f.is_file())
    fresh = work / "sync-c"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    results: list[Result] = []

    def fill(argv: tuple[str, ...]) -> list[str]:
        return [x.format(py=PY) for x in argv]

    first = Case(
        f"sync: first, {SYNC_YEARS} years into an empty device",
        (),
        sizes=(0,),
        goal_size=0,
        max_seconds=SYNC_GOALS["first"],
        slow=True,
    )
    t = side_by_side(
        [
            (
                first.name,
                [str(NT), "--home", str(fresh), "sync", "-q"],
                [str(PY), str(BENCH / "sync_prepare.py"), "empty", str(fresh), str(folder)],
            ),
            (first.floor_name, fill(IMPORT_SQLITE), None),
        ],
        env,
        max(5, runs // 3),
    )
    results.append(Result(first, 0, t[0], t[1]))
    quiet = Case(
        "sync: nothing new",
        (),
        sizes=(SYNC_YEARS,),
        goal_size=SYNC_YEARS,
        max_seconds=SYNC_GOALS["nothing new"],
    )
    t = side_by_side(
        [
            (quiet.name, [str(NT), "--home", str(a), "sync", "-q"], None),
            (quiet.floor_name, fill(IMPORT_SQLITE), None),
        ],
        env,
        runs,
    )
    results.append(Result(quiet, SYNC_YEARS, t[0], t[1]))
    auto_home, plain = work / "sync-auto", work / "sync-plain"
    shutil.copytree(a, auto_home)
    shutil.copytree(store(SYNC_YEARS), plain)
    _nt(auto_home, "sync", "init", folder, "--name", "auto")
    _nt(auto_home, "sync", "auto", "on")
    log = [*LOG_ARGS]
    stamp = str(auto_home / "sync-last")
    lines = []
    for label, age in (("no background sync due", 0), ("a background sync started", 10**6)):
        case = Case(
            f"log, automatic sync on ({label})",
            (),
            floor_name="the same log on a device without sync",
            sizes=(SYNC_YEARS,),
            goal_size=SYNC_YEARS,
        )
        t = alternating(
            [
                (
                    case.name,
                    [str(NT), "--home", str(auto_home), "log", *log],
                    [str(PY), str(BENCH / "sync_prepare.py"), "stamp", stamp, str(age)],
                ),
                (
                    case.floor_name,
                    [str(NT), "--home", str(plain), "log", *log],
                    # the same untimed preparation, so that both run in the same conditions
                    [str(PY), str(BENCH / "sync_prepare.py"), "stamp", str(plain / "x"), "0"],
                ),
            ],
            env,
            runs,
        )
        results.append(Result(case, SYNC_YEARS, t[0], t[1]))
        delta = t[0].median - t[1].median
        ok = delta <= SYNC_GOALS["log delta"]
        lines.append(
            f"- `log` with automatic sync on, {label}: {1000 * delta:+.1f} ms against the same "
            f"`log` without sync (goal: within {1000 * SYNC_GOALS['log delta']:.0f} ms: "
            f"{'met' if ok else 'not met'})."
        )
    megabytes = size / 1_000_000
    lines.insert(
        0,
        f"- Sync files of the {SYNC_YEARS}-year device after compaction: {megabytes:.1f} MB "
        f"(goal: under {SYNC_GOALS['megabytes']:.0f} MB: "
        f"{'met' if megabytes < SYNC_GOALS['megabytes'] else 'not met'}).",
    )
    for line in lines:
        print(line, flush=True)
    return results, lines


def render(results: list[Result], counts: dict[int, int]) -> str:
    lines = [
        f"Measured {date.today()} on {machine()}.",
        "",
        f"Stores: {', '.join(f'{_size(y)} = {n:,} check-ins' for y, n in counts.items())} "
        f"(`numbtrack demo --seed 7 --until {UNTIL}`).",
        "",
        "### Growth: each command as a multiple of its floor",
        "",
        "Each cell is the command's median divided by its floor's median, both measured in the "
        "same hyperfine run; the command's own median follows in brackets.",
        "",
        "| command | floor | empty | 1 year | 10 years | 30 years | goal |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    by_case: dict[str, dict[int, Result]] = {}
    for r in results:
        by_case.setdefault(r.case.name, {})[r.size] = r
    for name, sizes in by_case.items():
        case = next(iter(sizes.values())).case
        cells = [
            f"{sizes[y].ratio:.2f}× ({_ms(sizes[y].command.median)})" if y in sizes else ""
            for y in (0, *SIZES)
        ]
        goal = next((r.goal() for r in sizes.values() if r.goal()), "")
        lines.append(f"| `{name}` | {case.floor_name} | {' | '.join(cells)} | {goal} |")
    lines += [
        "",
        "### Every figure",
        "",
        "| command | store | median | spread (IQR) | peak memory | floor | floor median"
        " | × floor |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| `{r.case.name}` | {_size(r.size)} | {_ms(r.command.median)} | "
            f"{_ms(r.command.low, r.command.high)} | {r.peak_kib / 1024:.0f} MiB | "
            f"{r.floor.name} | {_ms(r.floor.median)} | {r.ratio:.2f} |"
        )
        for t in r.also:
            lines.append(
                f"| ↳ in the same run | {_size(r.size)} | {_ms(t.median)} | "
                f"{_ms(t.low, t.high)} | | {t.name} | | {t.median / r.floor.median:.2f} |"
            )
    return "\n".join(lines)


def _ms(*seconds: float) -> str:
    return "-".join(f"{1000 * s:,.1f}" for s in seconds) + " ms"


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
