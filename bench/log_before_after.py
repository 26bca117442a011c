"""`numbtrack log` at two revisions, side by side in one hyperfine run, with its floors.

    python bench/log_before_after.py BEFORE AFTER [--runs 40]

Each revision is installed with `pip install .` into its own venv under bench/.cache (from
`git archive`, so the working tree is not touched) and gets its own 10-year demo store. One
hyperfine run then alternates four commands: `python -c "import sqlite3"`, the insert floor
(bench/floor_insert.py: the same database work in plain Python), and `numbtrack log` of each
revision. Prints a Markdown table of medians and their ratio to the insert floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
UNTIL = "2026-11-20"
LOG = ["log", "numb", "tired", "--feel", "3", "--body", "chest:tight:2", "--tag", "work", "-q"]


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(a) for a in args], check=True, env=env, stdout=subprocess.DEVNULL)


def install(rev: str) -> Path:
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    venv = CACHE / f"venv-{sha}"
    if not (venv / "bin" / "numbtrack").exists():
        src = Path(tempfile.mkdtemp(prefix=f"numbtrack-{sha}-"))
        archive = subprocess.run(
            ["git", "archive", sha], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        sh(sys.executable, "-m", "venv", venv)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        sh(venv / "bin" / "python", "-m", "pip", "install", "-q", src, env=env)
        shutil.rmtree(src, ignore_errors=True)
    return venv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="numbtrack-bench-"))
    try:
        commands: list[tuple[str, str]] = []
        homes = {}
        for label, rev in (("before", args.before), ("after", args.after)):
            venv = install(rev)
            home = work / label
            sh(
                venv / "bin" / "numbtrack",
                "demo",
                "--years",
                "10",
                "--until",
                UNTIL,
                "--home",
                home,
            )
            homes[label] = home
            cmd = " ".join([f"env NUMBTRACK_HOME={home}", str(venv / "bin" / "numbtrack"), *LOG])
            commands.append((f"numbtrack log ({label}: {rev})", cmd))
        py = Path(sys.executable)
        floors = [
            (
                'python -c "import sqlite3"',
                f"env NUMBTRACK_HOME={homes['after']} {py} -c 'import sqlite3'",
            ),
            (
                "insert floor (bench/floor_insert.py)",
                f"env NUMBTRACK_HOME={homes['after']} {py} {ROOT / 'bench' / 'floor_insert.py'}",
            ),
        ]
        out = work / "hyperfine.json"
        every = floors + commands
        subprocess.run(
            [
                "hyperfine",
                "-N",
                "--warmup",
                "5",
                "--runs",
                str(args.runs),
                "--style",
                "none",
                "--export-json",
                str(out),
            ]
            + [c for _, c in every],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        results = json.loads(out.read_text())["results"]
        insert = results[1]["median"]
        print("| command | median | × insert floor |")
        print("|---|---:|---:|")
        for (name, _), r in zip(every, results, strict=True):
            print(f"| {name} | {1000 * r['median']:.1f} ms | {r['median'] / insert:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
