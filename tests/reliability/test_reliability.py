"""What numbtrack promises about your data, each shown by real processes on a real store.

docs/reliability.md lists the promises and points at these tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numbtrack import migrations
from numbtrack.cli import app
from numbtrack.models import CheckIn, Feeling
from numbtrack.store import Filter, Store


def numbtrack(
    home: Path, *args: str, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "numbtrack", *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_sentence(stderr: str) -> bool:
    lines = stderr.strip().splitlines()
    return len(lines) == 1 and "Traceback" not in stderr and lines[0].endswith((".", "?"))


# -- many writers ---------------------------------------------------------------------------


@pytest.mark.parametrize("fresh", [True, False], ids=["new store", "existing store"])
def test_twenty_log_processes_at_once_all_land(home: Path, fresh: bool) -> None:
    if not fresh:
        numbtrack(home, "log", "calm", "-q")
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "numbtrack", "log", "numb", "--note", f"writer {i}", "-q"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(20)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for p in procs:
        if p.stdout:
            p.stdout.close()
        if p.stderr:
            p.stderr.close()
    assert [code for code, _ in outcomes] == [0] * 20, outcomes
    assert not any("locked" in err for _, err in outcomes)
    with Store() as store:
        notes = sorted(c.note or "" for c in store.iter_all() if c.note)
        assert notes == sorted(f"writer {i}" for i in range(20))
        assert store.integrity() == "ok"
        applied = store.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert applied == len(migrations.NAMES)  # each migration applied exactly once


def test_a_reader_open_while_others_write(home: Path) -> None:
    Store().close()
    errors: list[BaseException] = []
    stop = threading.Event()
    seen: list[int] = []

    def reader() -> None:
        try:
            with Store() as store:  # the dashboard's reads go through the same store
                while not stop.is_set():
                    seen.append(sum(1 for _ in store.iter_all(batch=50)))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        env = {**os.environ, "NUMBTRACK_HOME": str(home)}
        writers = [
            subprocess.Popen([sys.executable, "-c", WRITER, str(n)], env=env) for n in range(3)
        ]
        assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert seen
    assert seen == sorted(seen)  # counts only ever grow: no torn reads
    with Store() as store:
        assert store.count() == 3 * 40


WRITER = """
import sys
from datetime import datetime, timedelta
from numbtrack.models import CheckIn, Feeling
from numbtrack.store import Filter, Store
n = int(sys.argv[1])
with Store() as store:
    for i in range(40):
        store.add(CheckIn(at=datetime.now().astimezone() - timedelta(minutes=i),
                          feelings=(Feeling("calm"),), note=f"{n}-{i}"))
"""


# -- interrupted work -----------------------------------------------------------------------


NOTE_SEARCH = migrations.m002_enable_note_search.__name__
"""The migration these tests pretend has not run yet (it is a slow one, on a big store)."""


def make_old_store(home: Path, n: int) -> None:
    """A store whose note search index (migration m002) has not been built yet."""
    with Store() as store:
        base = datetime(2015, 1, 1, 9).astimezone()
        from datetime import timedelta

        store.put_many(
            CheckIn(
                id=f"00000000-0000-4000-8000-{i:012d}",
                at=base + timedelta(hours=3 * i),
                feelings=(Feeling("flat"),),
                note=f"note number {i} " + "words " * 30,
            )
            for i in range(n)
        )
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn, conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [NOTE_SEARCH])
        conn.execute("DROP TABLE checkins_fts")
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            conn.execute(f"DROP TRIGGER [{name}]")


def write_lock_held(db: Path) -> bool:
    """Whether another connection is inside a write; opening a store migrates in one write."""
    with closing(sqlite3.connect(db, timeout=0, isolation_level=None)) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return True
            raise
        conn.execute("ROLLBACK")
        return False


def migration_state(db: Path, n: int) -> str:
    """Whether a whole store is "old" or "migrated", or else what is torn about it."""
    with closing(sqlite3.connect(db)) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "damaged"
        if conn.execute("SELECT count(*) FROM checkins").fetchone()[0] != n:
            return "check-ins lost"
        applied = NOTE_SEARCH in {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
        index = {  # the FTS table, its shadow tables and the triggers that keep it in step
            name
            for kind, name in conn.execute("SELECT type, name FROM sqlite_master")
            if name.startswith("checkins_fts") or kind == "trigger"
        }
        indexed = (
            conn.execute("SELECT count(*) FROM checkins_fts").fetchone()[0]
            if "checkins_fts" in index
            else 0
        )
    if not applied and not index:
        return "old"
    if applied and "checkins_fts" in index and indexed == n:
        return "migrated"
    return f"torn: recorded={applied}, index parts={sorted(index)}, indexed={indexed}"


def test_a_migration_killed_midway_leaves_the_store_whole(home: Path) -> None:
    n = 6000  # enough notes that indexing them takes a while, so that kills land inside it
    make_old_store(home, n)
    db = home / "numbtrack.db"
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    outcomes: list[str] = []
    delay = 0.0  # after the migration took the write lock; then longer and longer
    while not outcomes or (outcomes[-1] == "old" and delay < 5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "numbtrack", "list", "--limit", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while not write_lock_held(db):
                assert proc.poll() is None, "the migration finished before it was seen running"
            time.sleep(delay)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        outcomes.append(migration_state(db, n))
        delay = max(0.005, delay * 2)
    # the first kill came while the migration held the lock: it was rolled back whole
    assert outcomes[0] == "old", outcomes
    assert set(outcomes) <= {"old", "migrated"}, outcomes  # never torn, never a check-in lost
    with Store() as store:  # whatever happened, the next open finishes the job
        assert store.integrity() == "ok"
        assert store.count() == n
        assert len(store.query(Filter(text="number 5999"))) == 1
    assert migration_state(db, n) == "migrated"


# -- damaged and foreign files --------------------------------------------------------------


def _truncated(home: Path) -> bytes:
    other = home.parent / "source"
    numbtrack(other, "demo", "--years", "0.3", "--home", str(other), "--until", "2026-11-01")
    data = (other / "numbtrack.db").read_bytes()
    return data[: len(data) // 2]


@pytest.mark.parametrize("kind", ["garbage", "truncated", "not sqlite", "empty header"])
def test_a_damaged_database_gets_one_sentence_and_is_left_untouched(home: Path, kind: str) -> None:
    content = {
        "garbage": lambda: os.urandom(64 * 1024),
        "truncated": lambda: _truncated(home),
        "not sqlite": lambda: b"%PDF-1.7\n" + b"x" * 5000,
        "empty header": lambda: b"SQLite format 3\x00" + b"\x00" * 84,
    }[kind]()
    home.mkdir(mode=0o700, exist_ok=True)
    db = home / "numbtrack.db"
    db.write_bytes(content)
    before = digest(db)
    for args in (["log", "calm", "-q"], ["list"], ["week"], ["export"]):
        r = numbtrack(home, *args)
        assert r.returncode == 1, (kind, args, r.stderr)
        assert one_sentence(r.stderr), r.stderr
        assert "it was left untouched" in r.stderr, r.stderr
        assert digest(db) == before


def test_a_store_from_a_newer_numbtrack_is_refused_for_writing(home: Path) -> None:
    assert numbtrack(home, "log", "calm", "-q").returncode == 0
    conn = sqlite3.connect(home / "numbtrack.db")
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('numbtrack', 'm999_something_new', '2031-01-01')"
        )
    conn.close()
    before = digest(home / "numbtrack.db")
    r = numbtrack(home, "log", "numb", "-q")
    assert r.returncode == 1
    assert one_sentence(r.stderr)
    assert "newer numbtrack" in r.stderr
    assert numbtrack(home, "list").returncode == 0  # still readable
    assert digest(home / "numbtrack.db") == before


@pytest.fixture
def read_only_home(tmp_path: Path) -> Iterator[Path]:
    """A data folder holding a store, on a file system that cannot be written."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:  # an ordinary user: permissions are enough
        numbtrack(folder, "log", "calm", "-q")
        folder.chmod(0o500)
        (folder / "numbtrack.db").chmod(0o400)
        yield folder
        folder.chmod(0o700)
        return
    # root ignores permissions: use a read-only mount instead
    if (
        shutil.which("mount") is None
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(folder)],
            capture_output=True,
        ).returncode
    ):
        pytest.skip("running as root, and a read-only file system cannot be mounted here")
    try:
        assert numbtrack(folder, "log", "calm", "-q").returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_read_only_data_folder_gets_one_sentence(read_only_home: Path) -> None:
    for args in (["log", "numb", "-q"], ["import", "/dev/null"]):
        r = numbtrack(read_only_home, *args)
        assert r.returncode in (1, 2), r.stderr
        assert one_sentence(r.stderr), r.stderr
    r = numbtrack(read_only_home, "log", "numb", "-q")
    assert r.returncode == 1
    assert "read-only" in r.stderr
    r = numbtrack(read_only_home / "new-folder", "log", "numb", "-q")
    assert r.returncode == 1
    assert one_sentence(r.stderr)
    assert "cannot create" in r.stderr


# -- privacy -----------------------------------------------------------------------------


def test_everything_numbtrack_writes_is_private(home: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert numbtrack(home, "log", "calm", "--note", "private", "-q").returncode == 0
        assert numbtrack(home, "backup").returncode == 0
        out = tmp_path / "export.csv"
        assert numbtrack(home, "export", "-o", str(out)).returncode == 0
        week = tmp_path / "week.html"
        assert numbtrack(home, "week", "--save", str(week)).returncode == 0
        assert numbtrack(home, "support", "--set-line", "a friend: 555").returncode == 0
        with Store() as store:  # while a connection is open the WAL and SHM files exist
            store.add(CheckIn(at=datetime.now().astimezone(), feelings=(Feeling("numb"),)))
            files = [home / "numbtrack.db", home / "numbtrack.db-wal", home / "numbtrack.db-shm"]
            files += [home / "last-day", home / "config.toml", out, week]
            files += list((home / "backups").iterdir())
            for path in files:
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for folder in (home, home / "backups"):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    finally:
        os.umask(old)


# -- fuzzing -----------------------------------------------------------------------------

pieces = st.sampled_from(
    [
        "numb",
        "calm",
        "anxios",
        "--feel",
        "3",
        "11",
        "-1",
        "--body",
        "chest:tight:3",
        "chest",
        "x:y:z",
        "--tag",
        "work",
        "two words",
        "--at",
        "yesterday 21:30",
        "tomorrow",
        "--note",
        "-",
        "--practice",
        "music",
        "jugglin",
        "--state",
        "mixed",
        "--sleep",
        "25",
        "--new-word",
        "glimmery",
        "--since",
        "-7d",
        "--until",
        "someday",
        "--word",
        "--region",
        "--search",
        "--limit",
        "0",
        "--json",
        "-q",
        "",
        "\x00",
        "é",
        "--",
        "--unknown",
    ]
)
argv = st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=8)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=st.sampled_from(["log", "list"]), args=argv)
def test_any_arguments_end_in_0_or_2_and_never_a_traceback(
    home: Path, command: str, args: list[str]
) -> None:
    result = CliRunner().invoke(app, [command, *args], input="")
    if result.exit_code == 130:  # a guided check-in whose input ended: left, like Ctrl-D
        assert "Nothing was written" in result.output, (args, result.output)
    else:
        assert result.exit_code in (0, 2), (args, result.output, result.exception)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_arbitrary_bytes_as_an_import_never_change_the_store(
    home: Path, tmp_path: Path, blob: bytes
) -> None:
    with Store() as store:
        if store.count() == 0:
            store.add(CheckIn(at=datetime(2026, 1, 1, 9).astimezone(), feelings=(Feeling("calm"),)))
    path = tmp_path / "blob.csv"
    path.write_bytes(blob)
    db = Path(os.environ["NUMBTRACK_HOME"]) / "numbtrack.db"
    before = digest(db)
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code in (0, 2), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit)
    if result.exit_code == 2:
        with Store() as store:
            assert store.count() == 1
        assert digest(db) == before


def test_the_dashboard_refuses_a_damaged_store_before_it_starts(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "numbtrack.db").write_bytes(b"not a database" * 100)
    r = numbtrack(home, "dash", timeout=30)
    assert r.returncode == 1, r.stderr
    assert one_sentence(r.stderr), r.stderr
    assert "\x1b[" not in r.stdout  # it never drew a screen
