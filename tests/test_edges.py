"""Trust at the edges (issue 12): nothing half-written, nothing exposed, no traceback.

Real processes on a real store in a temporary folder; attacks are real too (SIGKILL and
SIGTERM mid-write, symlinks planted by "another user", a full disk on a tiny tmpfs).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from numbtrack import paths
from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, Feeling
from numbtrack.store import Store


def numbtrack(
    home: Path, *args: str, input: str | None = None, timeout: float = 120
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


def one_sentence(stderr: str) -> bool:
    lines = stderr.strip().splitlines()
    return len(lines) == 1 and "Traceback" not in stderr and lines[0].endswith((".", "?"))


def fill(home: Path, n: int, note: str = "a quiet note " * 8) -> None:
    base = datetime(2001, 1, 1, 9).astimezone()
    with Store() as store:
        store.put_many(
            CheckIn(
                id=f"00000000-0000-4000-8000-{i:012d}",
                at=base + timedelta(hours=7 * i),
                feelings=(Feeling("calm"),),
                tags=("work",),
                note=note,
            )
            for i in range(n)
        )


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


# -- 1. atomic outputs ---------------------------------------------------------------------


def test_atomic_write_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with paths.atomic_write(target) as fh:
        fh.write("half")
        assert not target.exists()
    assert target.read_text() == "half"


def test_atomic_write_leaves_nothing_when_the_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), paths.atomic_write(target) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_files_are_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with paths.atomic_write(tmp_path / "out.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o600


def test_an_existing_file_is_one_sentence_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("mine")
    refused = pytest.raises(InvalidInput, match="already exists; add --force")
    with refused, paths.atomic_write(target) as fh:
        fh.write("new")
    assert target.read_text() == "mine"


def test_a_symlink_is_refused_without_force(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("theirs")
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    with pytest.raises(InvalidInput), paths.atomic_write(link) as fh:
        fh.write("new")
    assert victim.read_text() == "theirs"


def test_force_replaces_the_symlink_itself_never_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("theirs")
    victim.chmod(0o644)
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    with paths.atomic_write(link, force=True) as fh:
        fh.write("new")
    assert (victim.read_text(), stat.S_IMODE(victim.stat().st_mode)) == ("theirs", 0o644)
    assert not link.is_symlink()
    assert link.read_text() == "new"


def test_a_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    refused = pytest.raises(InvalidInput, match="does not exist")
    with refused, paths.atomic_write(tmp_path / "nosuchdir" / "x.csv") as fh:
        fh.write("x")


def test_a_planted_marker_temp_symlink_is_never_followed(home: Path, tmp_path: Path) -> None:
    """The old marker code wrote last-day.tmp through whatever was there."""
    with Store() as store:
        store.add(CheckIn(at=datetime(2020, 1, 1, 9).astimezone(), feelings=(Feeling("calm"),)))
    chosen = tmp_path / "their-file"
    chosen.write_text("theirs")
    (home / "last-day.tmp").symlink_to(chosen)
    (home / "last-day").unlink()
    numbtrack(home, "log", "calm", "-q")
    assert chosen.read_text() == "theirs"
    assert (home / "last-day").read_text().strip() == datetime.now().date().isoformat()


def test_export_and_save_through_a_symlink_with_force_leave_the_target_alone(
    home: Path, tmp_path: Path
) -> None:
    numbtrack(home, "log", "calm", "-q")
    victim = tmp_path / "root-owned"
    victim.write_text("theirs")
    victim.chmod(0o644)
    for args in (("export", "-o"), ("week", "--save")):
        link = tmp_path / ("link.html" if "week" in args else "link.csv")
        link.symlink_to(victim)
        assert numbtrack(home, *args, str(link), "--force").returncode == 0
        assert not link.is_symlink()
    assert (victim.read_text(), stat.S_IMODE(victim.stat().st_mode)) == ("theirs", 0o644)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("what", ["export", "backup"])
def test_a_killed_export_or_backup_leaves_no_file_under_its_name(
    home: Path, tmp_path: Path, sig: signal.Signals, what: str
) -> None:
    fill(home, 6000)
    out = tmp_path / ("out.csv" if what == "export" else "copy.db")
    args = ["export", "-o", str(out)] if what == "export" else ["backup", str(out)]
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "numbtrack", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and not temps(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.001)
    caught = proc.poll() is None
    proc.send_signal(sig)
    proc.wait()
    if caught:  # killed while writing: nothing under the final name
        assert not out.exists()
    else:  # finished first: the whole file
        assert out.stat().st_size > 0
    if sig == signal.SIGTERM:
        assert temps(tmp_path) == []


SIGNAL_INSIDE_SQLITE = """
import signal, sys
import numbtrack.store as s
real, stop = s._repr, getattr(signal, sys.argv[1])
def signalled_repr(value):  # a real signal, delivered while SQLite runs the function
    signal.raise_signal(stop)
    return real(value)
s._repr = signalled_repr
from numbtrack.__main__ import main
sys.argv = ["numbtrack", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize(
    ("sig", "code"), [("SIGTERM", 128 + signal.SIGTERM), ("SIGINT", 1)], ids=["SIGTERM", "SIGINT"]
)
def test_a_signal_while_sqlite_runs_our_function_stops_the_export_as_that_signal(
    home: Path, tmp_path: Path, sig: str, code: int
) -> None:
    """SQLite swallows an exception raised inside a Python function it calls (the export's
    repr of a float): a Ctrl-C or SIGTERM arriving there read as a damaged store."""
    with Store() as store:
        store.add(CheckIn(at=datetime(2020, 1, 1, 9).astimezone(), sleep_hours=7.5))
    out = tmp_path / "out" / "export.csv"
    out.parent.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", SIGNAL_INSIDE_SQLITE, sig, "export", "-o", str(out)],
        env={**os.environ, "NUMBTRACK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, "not a numbtrack database" in done.stderr) == (code, False), (
        done.stderr
    )
    assert list(out.parent.iterdir()) == []


def test_the_next_write_removes_what_a_killed_export_left_and_nothing_else(
    home: Path, tmp_path: Path
) -> None:
    """A kill -9 leaves the temporary file (no cleanup can run); the next numbtrack that writes
    a file into that folder removes it, and leaves alone what is not certainly its own and
    abandoned: another name, a symlink, a file of a process still running."""
    fill(home, 6000)
    out = tmp_path / "big.csv"
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    stale: list[Path] = []
    for _ in range(20):  # until the kill lands while the file is being written
        proc = subprocess.Popen(
            [sys.executable, "-m", "numbtrack", "export", "-o", str(out)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while proc.poll() is None and not temps(tmp_path):
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stale = temps(tmp_path)
        if stale:
            break
        out.unlink(missing_ok=True)
    assert len(stale) == 1
    others = {
        "not ours": tmp_path / ".big.csv.0123456789ab.tmp",
        "alive": tmp_path / f".big.csv.nt{os.getpid()}-0123456789ab.tmp",
    }
    for path in others.values():
        path.write_text("keep")
    target = tmp_path / "someone-elses.txt"
    target.write_text("keep")
    link = tmp_path / ".x.nt999999999-0123456789ab.tmp"
    link.symlink_to(target)
    assert numbtrack(home, "export", "-o", str(tmp_path / "next.csv")).returncode == 0
    assert sorted(temps(tmp_path)) == sorted([*others.values(), link])
    assert target.read_text() == "keep"


# -- a full disk ---------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs (root only; skipped elsewhere)."""
    yield from _tmpfs(tmp_path, "256k")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs: room for a new store (its schema grows with each migration), then
    filled on purpose by the test."""
    yield from _tmpfs(tmp_path, "1m")


def _tmpfs(tmp_path: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.parametrize("what", ["export", "backup"])
def test_a_full_disk_says_so_and_leaves_no_file(home: Path, tiny_disk: Path, what: str) -> None:
    fill(home, 3000)
    out = tiny_disk / ("out.csv" if what == "export" else "copy.db")
    args = ["export", "-o", str(out)] if what == "export" else ["backup", str(out)]
    done = numbtrack(home, *args)
    assert (done.returncode, "the disk is full" in done.stderr) == (1, True), done.stderr
    assert one_sentence(done.stderr), done.stderr
    assert list(tiny_disk.iterdir()) == []


# -- 2. private whatever was there before ---------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_0755_folder_and_0644_store_are_tightened_and_it_says_so_once(home: Path) -> None:
    numbtrack(home, "log", "calm", "-q")
    home.chmod(0o755)
    (home / "numbtrack.db").chmod(0o644)
    first = numbtrack(home, "log", "numb", "-q")
    assert "private" in first.stderr
    assert first.returncode == 0
    assert (mode(home), mode(home / "numbtrack.db")) == (0o700, 0o600)
    assert all(mode(p) == 0o600 for p in home.glob("numbtrack.db-*"))
    assert numbtrack(home, "log", "numb", "-q").stderr == ""


@pytest.fixture
def another_user() -> int:
    if os.geteuid() != 0:
        pytest.skip("making files of another user needs root")
    return 54321


@pytest.mark.parametrize(
    "name",
    [
        "numbtrack.db",
        "numbtrack.db-wal",
        "last-day",
        "numbtrack.db-import",
        "numbtrack.db-writers",
        "sync.lock",
        "sync-identity.txt",
    ],
)
def test_a_store_file_of_another_user_is_refused_naming_it(
    home: Path, another_user: int, name: str
) -> None:
    numbtrack(home, "log", "calm", "-q")
    planted = home / name
    planted.touch()
    planted.chmod(0o666)
    os.chown(planted, another_user, another_user)
    done = numbtrack(home, "log", "numb", "--note", "private words", "-q")
    assert (done.returncode, str(planted) in done.stderr) == (1, True), done.stderr
    assert one_sentence(done.stderr)
    assert b"private words" not in planted.read_bytes()


@pytest.mark.parametrize("args", [["nudge", "off"], ["sync", "status"], ["support"]])
def test_settings_of_another_user_are_never_read_nor_made_ours(
    home: Path, tmp_path: Path, another_user: int, args: list[str]
) -> None:
    """`nudge off` read another user's settings (a sync folder of theirs included) before any
    store was opened, and saved them as this user's own."""
    numbtrack(home, "log", "calm", "-q")
    theirs = tmp_path / "their-folder"
    settings = home / "config.toml"
    settings.write_text(f'[sync]\nfolder = "{theirs}"\ndevice = "0123456789abcdef"\n')
    settings.chmod(0o666)
    os.chown(settings, another_user, another_user)
    done = numbtrack(home, *args)
    assert (done.returncode, str(settings) in done.stderr) == (1, True), done.stderr
    assert settings.stat().st_uid == another_user


def test_an_import_marker_of_another_user_is_refused_not_waited_for(
    home: Path, tmp_path: Path, another_user: int
) -> None:
    """Such a marker was never reverted (not ours) nor replaced: `import` tried again forever."""
    numbtrack(home, "log", "calm", "-q")
    marker = home / "numbtrack.db-import"
    marker.write_text("2020-01-01T00:00:00.000000Z\n")
    os.chown(marker, another_user, another_user)
    path = tmp_path / "one.jsonl"
    path.write_text(
        '{"id": "00000000-0000-4000-8000-000000000001", "at": "2020-01-01T09:00:00+00:00",'
        ' "feelings": [{"word": "calm"}]}\n'
    )
    done = numbtrack(home, "import", str(path), timeout=60)
    assert (done.returncode, str(marker) in done.stderr) == (1, True), done.stderr


def test_the_files_numbtrack_makes_are_all_checked_on_open() -> None:
    from numbtrack import crypto, shell, store
    from numbtrack.sync import auto
    from numbtrack.tui import crash

    made = {paths.MARKER_NAME, paths.CRASH_LOG_NAME, shell.OFF_FILE, shell.SHOWN_FILE}
    made |= {crash.LOG_NAME, store.SYNC_LOCK, auto.MARKER, auto.STAMP, auto.ERROR}
    made.add(crypto.IDENTITY_NAME)
    assert set(paths.MADE_FILES) == made
    assert set(paths.STORE_MARKERS) == {store.IMPORT_MARKER, store.WRITERS}


@pytest.mark.parametrize(
    "name", [*paths.MADE_FILES, "numbtrack.db-wal", "numbtrack.db-import", "numbtrack.db-writers"]
)
def test_a_symlink_under_a_name_numbtrack_makes_is_refused_and_its_target_untouched(
    home: Path, tmp_path: Path, name: str
) -> None:
    """Such a symlink was followed: its target chmodded to 0600 (last-day, crash-log.txt),
    a lock opened through it ended in a crash log (numbtrack.db-import, sync.lock)."""
    numbtrack(home, "log", "calm", "-q")
    victim = tmp_path / "victim"
    victim.write_text("theirs")
    victim.chmod(0o644)
    link = home / name
    link.unlink(missing_ok=True)
    link.symlink_to(victim)
    done = numbtrack(home, "log", "numb", "--note", "private words", "-q")
    assert (done.returncode, str(link) in done.stderr) == (1, True), done.stderr
    assert one_sentence(done.stderr), done.stderr
    assert (victim.read_text(), mode(victim)) == ("theirs", 0o644)


def test_the_sync_key_is_never_read_or_chmodded_through_a_symlink(tmp_path: Path) -> None:
    from numbtrack import crypto
    from numbtrack.errors import StoreError

    key = crypto.save_identity(tmp_path / "elsewhere", crypto.new_secret())
    key.chmod(0o644)
    home = tmp_path / "home"
    home.mkdir()
    crypto.identity_path(home).symlink_to(key)
    with pytest.raises(StoreError, match="symlink"):
        crypto.load_identity(home)
    assert mode(key) == 0o644


def test_a_home_through_a_symlink_to_another_users_folder_is_one_sentence(
    tmp_path: Path, another_user: int
) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, another_user, another_user)
    link = tmp_path / "link"
    link.symlink_to(theirs)
    done = numbtrack(link, "log", "calm", "-q")
    assert (done.returncode, one_sentence(done.stderr)) == (1, True), done.stderr
    assert list(theirs.iterdir()) == []


@pytest.mark.parametrize("name", ["a?b.db", "a#b.db", "100%.db", "a%2Fb.db"])
def test_a_backup_path_with_uri_characters_restores_that_file(
    home: Path, tmp_path: Path, name: str
) -> None:
    numbtrack(home, "log", "calm", "--note", "from the backup", "-q")
    target = tmp_path / name
    assert numbtrack(home, "backup", str(target)).returncode == 0
    numbtrack(home, "log", "numb", "--note", "after", "-q")
    done = numbtrack(home, "restore", str(target), "--yes")
    assert done.returncode == 0, done.stderr
    with Store() as store:
        assert [c.note for c in store.iter_all()] == ["from the backup"]


def test_restore_never_reads_a_percent_encoded_other_path(home: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    numbtrack(home, "log", "calm", "-q")
    assert numbtrack(home, "backup", str(tmp_path / "a" / "b.db")).returncode == 0
    done = numbtrack(home, "restore", str(tmp_path / "a%2Fb.db"), "--yes")
    assert done.returncode == 2, done.stderr
    assert one_sentence(done.stderr), done.stderr


def folder_as_it_is(folder: Path) -> list[tuple[str, int, int]]:
    """Every name in `folder` with its mode and size, symlinks as themselves."""
    return sorted(
        (e.name, e.stat(follow_symlinks=False).st_mode, e.stat().st_size)
        for e in os.scandir(folder)
    )


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def as_wal_file(path: Path) -> None:
    """What backups were until numbtrack wrote them with a rollback-journal header: a WAL
    database file without a -wal (SQLite removes it when the last connection closes)."""
    import sqlite3

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    assert path.read_bytes()[18:20] == b"\x02\x02"


@pytest.mark.parametrize("header", ["as numbtrack writes it", "WAL, as older backups are"])
def test_restore_leaves_the_backups_folder_exactly_as_it_was(
    home: Path, tmp_path: Path, header: str
) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()
    numbtrack(home, "log", "calm", "--note", "from the backup", "-q")
    backup = kept / "b.db"
    assert numbtrack(home, "backup", str(backup)).returncode == 0
    if header.startswith("WAL"):
        as_wal_file(backup)
    (kept / "notes.txt").write_text("the person's own file\n")
    numbtrack(home, "log", "numb", "--note", "after", "-q")
    before, digest = folder_as_it_is(kept), sha256(backup)
    done = numbtrack(home, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    assert (folder_as_it_is(kept), sha256(backup)) == (before, digest)
    with Store() as store:
        assert [c.note for c in store.iter_all()] == ["from the backup"]
    assert sorted(p.name for p in home.iterdir()) == ["backups", "last-day", "numbtrack.db"]
    assert mode(home / "numbtrack.db") == 0o600
    assert (home / "numbtrack.db").read_bytes()[18:20] == b"\x02\x02"  # the store stays WAL


def test_a_backup_numbtrack_writes_has_a_rollback_journal_header(
    home: Path, tmp_path: Path
) -> None:
    numbtrack(home, "log", "calm", "-q")
    assert numbtrack(home, "backup", str(tmp_path / "b.db")).returncode == 0
    assert numbtrack(home, "backup").returncode == 0
    [rotated] = (home / "backups").glob("numbtrack-*-backup.db")
    for made in (tmp_path / "b.db", rotated):
        assert made.read_bytes()[18:20] == b"\x01\x01", made


def test_a_refused_restore_into_a_new_home_leaves_no_folder_and_names_the_file(
    home: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    numbtrack(other, "log", "calm", "-q")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes((other / "numbtrack.db").read_bytes()[:8192])
    for junk, says in (
        (damaged, "not a numbtrack database"),
        (other / "last-day", "not a numbtrack database"),
    ):
        done = numbtrack(home, "restore", str(junk), "--yes")
        assert (done.returncode, one_sentence(done.stderr)) == (2, True), done.stderr
        assert done.stderr.startswith(f"{junk} is ") and says in done.stderr, done.stderr
        assert not home.exists()


def test_a_large_file_that_is_no_database_is_refused_before_any_copy(
    tiny_disk: Path, tmp_path: Path
) -> None:
    """restore reads a copy of a backup's bytes; a file that does not begin as a database
    does is refused before that copy, so even one larger than the disk says what it is."""
    junk = tmp_path / "holiday.mp4"
    junk.write_bytes(os.urandom(1 << 20))  # four times the 256 KiB disk of the data folder
    done = numbtrack(tiny_disk / "home", "restore", str(junk), "--yes")
    assert (done.returncode, done.stderr) == (2, f"{junk} is not a numbtrack database.\n")
    assert list(tiny_disk.iterdir()) == []


def test_restore_from_a_store_in_use_reads_what_its_wal_holds(home: Path, tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other"
    numbtrack(other, "log", "calm", "--note", "checkpointed", "-q")
    reader = sqlite3.connect(other / "numbtrack.db")  # keeps the WAL from being checkpointed away
    try:
        reader.execute("SELECT count(*) FROM checkins").fetchone()
        numbtrack(other, "log", "numb", "--note", "only in the wal", "-q")
        assert (other / "numbtrack.db-wal").stat().st_size > 0
        done = numbtrack(home, "restore", str(other / "numbtrack.db"), "--yes")
        assert done.returncode == 0, done.stderr
        assert "holds 2 check-ins" in done.stdout
    finally:
        reader.close()
    with Store() as store:
        assert sorted(c.note for c in store.iter_all()) == ["checkpointed", "only in the wal"]


# -- 3. a foreign database stays foreign -----------------------------------------------------


def test_a_foreign_sqlite_database_is_refused_and_its_bytes_unchanged(home: Path) -> None:
    import hashlib
    import sqlite3

    home.mkdir(mode=0o700)
    db = home / "numbtrack.db"
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('someone else''s data')")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for args in (["log", "calm", "-q"], ["list"], ["export"], ["backup"]):
        done = numbtrack(home, *args)
        assert (done.returncode, one_sentence(done.stderr)) == (1, True), (args, done.stderr)
        assert "another program" in done.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert db.read_bytes()[18:20] == b"\x01\x01"  # still a rollback-journal file, not WAL


# -- 4. backups you can count on -----------------------------------------------------------


def corrupt_a_page(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    pages = len(data) // page
    for n in range(pages // 4, 3 * pages // 4, 3):
        data[n * page : n * page + 200] = os.urandom(200)
    db.write_bytes(bytes(data))


def test_a_damaged_store_is_not_backed_up_and_the_sentence_says_how_to_rescue(
    home: Path,
) -> None:
    fill(home, 3000)
    corrupt_a_page(home / "numbtrack.db")
    done = numbtrack(home, "backup")
    assert (done.returncode, ".recover" in done.stderr) == (1, True), done.stderr
    assert one_sentence(done.stderr)
    assert list(home.glob("backups/*.db")) == []


@pytest.mark.parametrize(
    "cmd",
    [["week", "2002-W11"], ["export"], ["report", "--from", "2001-01-01", "--to", "2003-12-31"]],
)
def test_a_corrupt_page_fails_reading_in_one_sentence_with_no_partial_file(
    home: Path, tmp_path: Path, cmd: list[str]
) -> None:
    fill(home, 3000)
    corrupt_a_page(home / "numbtrack.db")
    out = tmp_path / "out.csv"
    args = [*cmd, "-o", str(out)] if cmd == ["export"] else cmd
    done = numbtrack(home, *args)
    assert (done.returncode, one_sentence(done.stderr)) == (1, True), done.stderr
    assert list(tmp_path.glob("out*")) == []


def test_a_damaged_store_is_rescued_by_restoring_a_backup(home: Path, tmp_path: Path) -> None:
    fill(home, 3000)
    good = tmp_path / "good.db"
    assert numbtrack(home, "backup", str(good)).returncode == 0
    corrupt_a_page(home / "numbtrack.db")
    done = numbtrack(home, "restore", str(good), "--yes")
    assert done.returncode == 0, done.stderr
    with Store() as store:
        assert (store.integrity(), store.count()) == ("ok", 3000)


def test_rotation_counts_only_whole_backups(home: Path) -> None:
    numbtrack(home, "log", "calm", "-q")
    (home / "backups").mkdir(mode=0o700)
    empty = [home / "backups" / f"numbtrack-2000010{i}-000000-000000-backup.db" for i in range(3)]
    for path in empty:
        path.touch(mode=0o600)
    for _ in range(11):
        assert numbtrack(home, "backup").returncode == 0
    good = [p for p in (home / "backups").glob("numbtrack-*-backup.db") if p.stat().st_size]
    assert (len(good), all(p.exists() for p in empty)) == (10, True)


def test_concurrent_backups_never_race_and_every_reported_file_exists(home: Path) -> None:
    numbtrack(home, "log", "calm", "-q")
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "numbtrack", "backup"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(16)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 16, outs
    reported = [Path(o.strip().removeprefix("Backed up to ").rstrip(".")) for o, _ in outs]
    kept = set((home / "backups").glob("numbtrack-*-backup.db"))
    assert len(kept) == 10
    assert kept <= set(reported)


def test_thirty_processes_opening_an_old_store_make_one_backup(home: Path) -> None:
    """The store is made old by undoing the note-search migration, which any later numbtrack
    applies again (it skipped itself once m002 was no longer the last migration)."""
    import sqlite3

    fill(home, 200)
    conn = sqlite3.connect(home / "numbtrack.db")
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_enable_note_search'")
        conn.execute("DROP TABLE checkins_fts")
        for (trigger,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            conn.execute(f"DROP TRIGGER [{trigger}]")
    conn.close()
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "numbtrack", "list", "--json"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(30)
    ]
    codes = [p.wait(timeout=120) for p in procs]
    for p in procs:
        assert p.stderr is not None
        p.stderr.close()
    assert codes == [0] * 30
    assert len(list((home / "backups").glob("*before-upgrade.db"))) == 1


# -- 5. no traceback for any input --------------------------------------------------------


def run_bytes(home: Path, *args: str | bytes, stdin: bytes = b"") -> tuple[int, str]:
    """Run numbtrack with raw argument bytes (invalid UTF-8 is possible on a command line)."""
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    done = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"numbtrack",
            *(a if isinstance(a, bytes) else a.encode() for a in args),
        ],
        env=env,
        input=stdin,
        capture_output=True,
        timeout=120,
    )
    return done.returncode, done.stderr.decode("utf-8", "backslashreplace")


WEIRD_ARGUMENTS: list[tuple[str | bytes, ...]] = [
    ("log", "calm", "--note", b"caf\xe9 in latin-1"),
    ("log", "calm", "--tag", b"\xff\xfe"),
    ("log", "calm", "--note", "lone \ud800 surrogate".encode("utf-8", "surrogatepass")),
    ("list", "--search", b"\xff"),
    ("log", "calm", "--at", "0001-01-01 09:00"),
    ("log", "calm", "--at", "9999-12-31 23:59"),
    ("log", "calm", "--at", "-99999999d"),
    ("log", "calm", "--at", "-" + "9" * 5000 + "d"),
    ("log", "calm", "--feel", "9" * 5000),
    ("log", "calm", "--sleep", "9" * 5000),
    ("list", "--since", "0001-01-01"),
    ("list", "--since", "-99999999d"),
    ("week", "9999-W52"),
    ("week", "0001-W01"),
    ("report", "--from", "0001-01-01"),
    ("backup", "nosuchdir/x.db"),
    ("log", "calm", "--note", "x" * 100_001),
    ("show", "9" * 5000),
    # str.isdigit says yes to these, int() says no: "²" is no decimal digit, 5,000 too many
    ("log", "calm:²"),
    ("log", "calm:" + "9" * 5000),
    ("log", "calm", "--body", "chest:tight:²"),
    ("log", "calm", "--body", "chest:tight:" + "9" * 5000),
]


@pytest.mark.parametrize("args", WEIRD_ARGUMENTS, ids=lambda a: " ".join(str(x)[:24] for x in a))
def test_strange_arguments_are_one_sentence_and_nothing_is_written(
    home: Path, args: tuple[str | bytes, ...]
) -> None:
    numbtrack(home, "log", "calm", "-q")
    code, err = run_bytes(home, *args)
    assert (code in (1, 2), one_sentence(err)) == (True, True), err
    with Store() as store:
        assert store.count() == 1
    assert not (home / paths.CRASH_LOG_NAME).exists()


def test_a_note_from_standard_input_that_is_not_utf8_is_one_sentence(home: Path) -> None:
    code, err = run_bytes(home, "log", "calm", "--note", "-", stdin=b"caf\xe9\n")
    assert (code, one_sentence(err)) == (2, True), err


def test_a_long_journal_note_fits_in_log_and_in_every_import(home: Path, tmp_path: Path) -> None:
    note = ("A long entry. " * 8000)[:100_000]
    done = numbtrack(home, "log", "calm", "--note", "-", "-q", input=note)
    assert done.returncode == 0, done.stderr
    for fmt in ("csv", "json", "jsonl"):
        out = tmp_path / f"out.{fmt}"
        assert numbtrack(home, "export", "-F", fmt, "-o", str(out)).returncode == 0
        other = tmp_path / f"home-{fmt}"
        done = numbtrack(other, "import", str(out))
        assert done.returncode == 0, done.stderr
    daylio = tmp_path / "daylio.csv"
    daylio.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f'2024-03-01,March 1,Friday,9:00 pm,meh,,,"{note}"\n',
        encoding="utf-8",
    )
    assert numbtrack(tmp_path / "home-daylio", "import", str(daylio)).returncode == 0


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _csv_row(**cells: str) -> str:
    """A numbtrack CSV of one check-in, with `cells` in place of its own."""
    from numbtrack.exchange.records import FIELDS

    row = {
        "id": "00000000-0000-4000-8000-000000000001",
        "at": "2020-01-01T09:00:00+00:00",
        "day": "2020-01-01",
        "state": "feeling",
        "feelings": "calm",
        "created_at": "2020-01-01T09:00:00.000000Z",
        "updated_at": "2020-01-01T09:00:00.000000Z",
        **cells,
    }
    return ",".join(FIELDS) + "\n" + ",".join(row.get(f, "") for f in FIELDS) + "\n"


IMPORT_ATTACKS = {
    "deep.json": lambda: _deep_json(100_000),
    "deep.jsonl": lambda: '{"id": ' + _deep_json(100_000) + "}\n",
    "digits.jsonl": lambda: '{"id": "x", "can_feel": ' + "9" * 5000 + "}\n",
    "huge-cell.csv": lambda: _csv_row(note="x" * 200_000),
    "huge-note-daylio.csv": lambda: (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        '2024-03-01,March 1,Friday,9:00 pm,meh,,,"' + "x" * 200_000 + '"\n'
    ),
    "future.jsonl": lambda: (
        '{"id": "00000000-0000-4000-8000-000000000001", "at": "2999-01-01T09:00:00+00:00",'
        ' "feelings": [{"word": "calm"}]}\n'
    ),
    "ancient.jsonl": lambda: (
        '{"id": "00000000-0000-4000-8000-000000000001", "at": "0001-01-01T09:00:00+00:00",'
        ' "feelings": [{"word": "calm"}]}\n'
    ),
    "many-tags.jsonl": lambda: (
        '{"id": "00000000-0000-4000-8000-000000000001", "at": "2020-01-01T09:00:00+00:00",'
        ' "tags": [' + ", ".join(f'"t{i}"' for i in range(100_000)) + "]}\n"
    ),
    "feeling-superscript.csv": lambda: _csv_row(feelings="calm:²"),
    "feeling-digits.csv": lambda: _csv_row(feelings="calm:" + "9" * 5000),
    "sensation-superscript.csv": lambda: _csv_row(sensations="chest:tight:²"),
    "sensation-digits.csv": lambda: _csv_row(sensations="chest:tight:" + "9" * 5000),
    "surrogate.jsonl": lambda: (
        '{"id": "00000000-0000-4000-8000-000000000001", "at": "2020-01-01T09:00:00+00:00",'
        ' "note": "\\ud800"}\n'
    ),
}


@pytest.mark.parametrize("name", sorted(IMPORT_ATTACKS))
def test_hostile_import_files_are_one_sentence_and_change_nothing(
    home: Path, tmp_path: Path, name: str
) -> None:
    numbtrack(home, "log", "calm", "-q")
    path = tmp_path / name
    path.write_text(IMPORT_ATTACKS[name](), encoding="utf-8", errors="surrogatepass")
    done = numbtrack(home, "import", str(path))
    assert (done.returncode, one_sentence(done.stderr)) == (2, True), done.stderr[-2000:]
    with Store() as store:
        assert store.count() == 1


def test_import_of_dev_zero_stops_with_one_sentence(home: Path) -> None:
    done = numbtrack(home, "import", "/dev/zero", timeout=60)
    assert (done.returncode, one_sentence(done.stderr)) == (2, True), done.stderr


def test_upper_case_and_lower_case_uuids_are_the_same_check_in(home: Path, tmp_path: Path) -> None:
    upper = "0A1B2C3D-0000-4000-8000-00000000ABCD"
    path = tmp_path / "ios.jsonl"
    path.write_text(
        f'{{"id": "{upper}", "at": "2020-01-01T09:00:00+00:00",'
        ' "feelings": [{"word": "calm"}]}\n'
    )
    assert numbtrack(home, "import", str(path)).returncode == 0
    assert numbtrack(home, "import", str(path)).stdout.count("1 unchanged") == 1
    assert numbtrack(home, "show", upper).returncode == 0
    assert numbtrack(home, "delete", upper, "--yes").returncode == 0


def test_a_time_in_a_dst_gap_is_refused_with_times_that_exist(home: Path) -> None:
    env_tz = {**os.environ, "NUMBTRACK_HOME": str(home), "TZ": "Europe/Berlin"}
    done = subprocess.run(
        [sys.executable, "-m", "numbtrack", "log", "calm", "--at", "2026-03-29 02:30"],
        env=env_tz,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, "01:30" in done.stderr, "03:30" in done.stderr) == (2, True, True)
    assert one_sentence(done.stderr)


def test_a_full_disk_under_the_store_says_the_disk_is_full(small_disk: Path) -> None:
    tiny_disk = small_disk
    home = tiny_disk / "home"
    assert numbtrack(home, "log", "calm", "-q").returncode == 0
    filler = tiny_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError):
            while True:
                os.write(fd, b"x" * 4096)
    finally:
        os.close(fd)
    done = numbtrack(home, "log", "numb", "--note", "y" * 50_000, "-q")
    filler.unlink()
    assert (done.returncode, "disk" in done.stderr and "full" in done.stderr) == (1, True), (
        done.stderr
    )
    assert "not a numbtrack database" not in done.stderr


def test_a_bug_is_one_sentence_and_a_private_crash_log_without_note_text(home: Path) -> None:
    probe = (
        "import sys\n"
        "import numbtrack.store as s\n"
        "def boom(self, *a, **k):\n"
        "    raise ZeroDivisionError('secret note text')\n"
        "s.Store.add = boom\n"
        "from numbtrack.cli import main\n"
        "sys.argv = ['numbtrack', 'log', 'calm', '--note', 'secret note text']\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
    env["NUMBTRACK_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    log = home / paths.CRASH_LOG_NAME
    assert (done.returncode, one_sentence(done.stderr), str(log) in done.stderr) == (1, True, True)
    assert mode(log) == 0o600
    assert "secret" not in log.read_text()
    assert "ZeroDivisionError" in log.read_text()


# -- exports an importer can check -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_an_export_cut_off_at_a_line_boundary_is_refused(
    home: Path, tmp_path: Path, fmt: str
) -> None:
    fill(home, 50)
    out = tmp_path / f"out.{fmt}"
    assert numbtrack(home, "export", "-F", fmt, "-o", str(out)).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / f"cut.{fmt}"
    if fmt == "jsonl":
        cut.write_text("".join(lines[:30]), encoding="utf-8")
    else:  # the list closed by hand, the count still saying 50
        cut.write_text("".join(lines[:30]).rstrip().rstrip(",") + '\n], "count": 50}\n')
    done = numbtrack(tmp_path / "other", "import", str(cut))
    assert (done.returncode, "cut off" in done.stderr) == (2, True), done.stderr
    said = {
        "jsonl": "ends after 29 check-ins without its closing count:",
        "json": "says it holds 50 check-ins but ends after 29:",
    }
    assert f"This numbtrack export {said[fmt]}" in done.stderr, done.stderr
    assert numbtrack(tmp_path / "other", "import", "--dry-run", str(cut)).returncode == 2


def test_a_whole_export_imports_and_says_how_many_it_read(home: Path, tmp_path: Path) -> None:
    fill(home, 50)
    for fmt in ("csv", "json", "jsonl"):
        out = tmp_path / f"out.{fmt}"
        assert numbtrack(home, "export", "-F", fmt, "-o", str(out)).returncode == 0
        done = numbtrack(tmp_path / f"other-{fmt}", "import", str(out))
        assert "50 check-ins" in done.stdout, done.stdout + done.stderr


# -- imports that do not block logging -------------------------------------------------------


PROBE_WRITER = """
import json, os, sys, time
from pathlib import Path
import numbtrack.store as st
from numbtrack.errors import StoreError
st.BUSY_TIMEOUT_S = 1.0  # a writer that waits at most one second for the lock
stop, marker = Path(sys.argv[1]), Path(sys.argv[2])
seen = {"writes": 0, "while_switching": 0, "refused": [], "longest": 0.0}
while not stop.exists():
    switching = marker.exists()
    try:
        with st.Store() as s:
            start = time.perf_counter()
            s.set_sync_state({"probe": None})  # a write transaction that changes nothing
            seen["longest"] = max(seen["longest"], time.perf_counter() - start)
        seen["writes"] += 1
        seen["while_switching"] += switching and marker.exists()
    except StoreError as exc:
        seen["refused"].append(exc.message)
print(json.dumps(seen))
"""


def test_writers_are_never_refused_during_a_big_import(home: Path, tmp_path: Path) -> None:
    """While a 100,000-row import runs in another process, a writer in a third process that
    waits at most one second for the lock always gets it, also while the import switches its
    rows in (the marker file numbtrack.db-import exists only then), and `numbtrack log`
    processes all land. The lock-hold figures in docs/reliability.md come from
    bench/import_lock.py."""
    import json

    numbtrack(home, "log", "calm", "-q")
    big = tmp_path / "big.jsonl"
    base = datetime(1990, 1, 1, 9).astimezone()
    with big.open("w", encoding="utf-8") as fh:
        for i in range(100_000):
            row = {
                "id": f"00000000-0000-4000-8000-{i:012d}",
                "at": (base + timedelta(hours=2 * i)).isoformat(),
                "feelings": [{"word": "calm"}],
                "tags": ["work"],
                "note": "a line of a journal",
            }
            fh.write(json.dumps(row) + "\n")
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    marker = home / "numbtrack.db-import"
    stop = tmp_path / "stop"
    proc = subprocess.Popen(
        [sys.executable, "-m", "numbtrack", "import", str(big)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    prober = subprocess.Popen(
        [sys.executable, "-c", PROBE_WRITER, str(stop), str(marker)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    logs = 0
    try:
        while proc.poll() is None:
            if logs < 5 and marker.exists():
                done = numbtrack(home, "log", "numb", "-q")
                assert done.returncode == 0, done.stderr
                logs += 1
            time.sleep(0.002)  # looking without a pause took a core from the import and prober
    finally:
        _, err = proc.communicate(timeout=300)
        stop.touch()
        out, perr = prober.communicate(timeout=60)
    assert proc.returncode == 0, err
    seen = json.loads(out or "{}") if prober.returncode == 0 else {"error": perr}
    assert seen.get("refused") == [], seen
    assert seen["while_switching"] > 0, seen
    assert not marker.exists()
    with Store() as store:
        assert store.count() == 100_001 + logs


def test_a_bearable_rating_that_only_looks_like_a_number_is_read_as_no_level(
    home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bearable.csv"
    path.write_text(
        "date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n"
        '"20th Nov 2020","2020-11-20","Friday","am","Symptom","²","Headache",""\n',
        encoding="utf-8",
    )
    done = numbtrack(home, "import", str(path))
    assert done.returncode == 0, done.stderr
    with Store() as store:
        assert [s.intensity for c in store.iter_all() for s in c.sensations] == [None]


@pytest.mark.parametrize("answer", ["²", "9" * 5000], ids=["superscript", "5000-digits"])
def test_a_guided_answer_that_only_looks_like_a_number_is_asked_again(
    home: Path, answer: str
) -> None:
    done = numbtrack(home, "log", "--guided", input=f"{answer}\n\n\n\n\n\n\n\n\n")
    assert (done.returncode, "Traceback" in done.stderr) == (0, False), done.stderr[-2000:]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["import", "/dev/null"], "/dev/null is empty.\n"),
        (["restore", "/dev/zero", "--yes"], "/dev/zero is not a file.\n"),
    ],
)
def test_a_device_given_as_a_file_is_named_as_given(home: Path, args: list[str], said: str) -> None:
    """They said "null is empty." and "There is no file /dev/zero."."""
    numbtrack(home, "log", "calm", "-q")
    done = numbtrack(home, *args)
    assert (done.returncode, done.stderr) == (2, said)


def test_a_check_in_of_year_1_is_refused_naming_its_date_in_full(
    home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ancient.jsonl"
    path.write_text(IMPORT_ATTACKS["ancient.jsonl"](), encoding="utf-8")
    done = numbtrack(home, "import", str(path))
    assert "0001-01-01 is outside that" in done.stderr, done.stderr


def test_a_daylio_backup_with_a_5000_digit_number_is_one_sentence(
    home: Path, tmp_path: Path
) -> None:
    """Its JSON reader had no sentence for int()'s 4,300-digit limit: a crash log."""
    import base64
    import json

    from . import daylio_files

    numbtrack(home, "log", "calm", "-q")
    backup = daylio_files.backup()
    backup["dayEntries"][0]["mood"] = 123456789
    data = json.dumps(backup).replace("123456789", "9" * 5000).encode()
    path = tmp_path / "digits.daylio"
    path.write_bytes(daylio_files.pack(base64.b64encode(data)))
    done = numbtrack(home, "import", str(path))
    assert (done.returncode, one_sentence(done.stderr)) == (2, True), done.stderr[-2000:]
    with Store() as store:
        assert store.count() == 1


def test_a_how_we_feel_reflection_like_a_json_list_of_a_5000_digit_number_is_its_text(
    home: Path, tmp_path: Path
) -> None:
    """A Reflections cell that starts with "[" is read as a JSON list when it is one; a
    number of 5,000 digits in it ended in a crash log, now the cell is kept as text."""
    path = tmp_path / "howwefeel.csv"
    header = (Path(__file__).parent / "fixtures" / "howwefeel.csv").read_text().splitlines()[0]
    cell = "[" + "9" * 5000 + "]"
    path.write_text(f'{header}\n2020 Sun Feb 9 4:04 PM,Numb,,,,,,,,,,,,,,,"{cell}",\n')
    done = numbtrack(home, "import", str(path))
    assert done.returncode == 0, done.stderr[-2000:]
    with Store() as store:
        assert [c.note for c in store.iter_all()] == [f"Reflection: {cell}"]
