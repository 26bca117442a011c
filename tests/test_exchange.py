"""Export, import, merge, backup and restore: the person's data is theirs, and never lost."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numbtrack import exchange
from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, Feeling, to_dict, utc_stamp
from numbtrack.store import Store

from .conftest import run, stored_count
from .strategies import checkins as checkin_strategy

FIXTURES = Path(__file__).parent / "fixtures"

histories = st.lists(checkin_strategy, max_size=6, unique_by=lambda c: c.id)


def export_bytes(store: Store, fmt: str) -> bytes:
    buf = io.StringIO(newline="")
    exchange.write(store.iter_all(), buf, fmt)
    return buf.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories)
def test_export_import_export_gives_identical_bytes(fmt: str, history: list[CheckIn]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "a" / "numbtrack.db") as a:
            a.put_many(history)
            first = export_bytes(a, fmt)
        path = Path(tmp) / f"export.{fmt}"
        path.write_bytes(first)
        loaded = exchange.load(path)
        with Store(Path(tmp) / "b" / "numbtrack.db") as b:
            result = b.put_many(loaded.checkins)
            assert result.added == len(history)
            assert export_bytes(b, fmt) == first
            assert b.put_many(exchange.load(path).checkins).unchanged == len(history)


def _one(note: str | None = None, **kw: object) -> CheckIn:
    base = CheckIn(
        at=datetime(2026, 11, 20, 9, 30).astimezone(), note=note, feelings=(Feeling("calm"),)
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "note",
    [
        "=SUM(A1:A9)",
        "+1 555",
        "-2 degrees",
        "@mention",
        "\tindented",
        "'already quoted",
        "''twice",
        "plain words",
    ],
)
def test_formula_cells_are_neutralised_and_restored(home: Path, note: str) -> None:
    with Store() as store:
        store.add(_one(note, tags=("+plus",)))
        data = export_bytes(store, "csv").decode()
    row = list(csv.reader(io.StringIO(data)))[1]
    cell = row[10]
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert row[8] == "'+plus"
    path = home / "x.csv"
    path.write_text(data, encoding="utf-8", newline="")
    [back] = exchange.load(path).checkins
    assert back.note == note
    assert back.tags == ("+plus",)


def test_a_custom_word_survives_the_round_trip(home: Path) -> None:
    with Store() as store:
        store.add(_one(feelings=(Feeling("glimmery", 2, custom=True),)))
        data = export_bytes(store, "csv")
    assert b"glimmery:2:own" in data
    (home / "x.csv").write_bytes(data)
    with Store(home / "other" / "numbtrack.db") as other:
        other.put_many(exchange.load(home / "x.csv").checkins)
        [c] = list(other.iter_all())
        assert c.feelings == (Feeling("glimmery", 2, True),)
        assert "glimmery" in other.custom_words()


def test_merge_newer_updated_at_wins_and_conflicts_are_counted(home: Path) -> None:
    base = _one("first")
    with Store() as store:
        saved = store.add(base)
        newer = replace(
            saved,
            note="edited elsewhere",
            updated_at=utc_stamp(datetime.now().astimezone() + timedelta(hours=1)),
        )
        older = replace(saved, note="stale copy", updated_at="2000-01-01T00:00:00.000000Z")
        fresh = replace(_one("another device"), id="00000000-0000-4000-8000-000000000001")
        result = store.put_many([newer, fresh])
        assert (result.added, result.updated, result.unchanged, result.conflicts) == (1, 1, 0, 0)
        assert store.get(saved.id).note == "edited elsewhere"
        result = store.put_many([older])
        assert result.conflicts == 1
        assert store.get(saved.id).note == "edited elsewhere"


def test_import_twice_adds_nothing_and_dry_run_writes_nothing(
    runner: CliRunner, home: Path
) -> None:
    path = FIXTURES / "daylio_new_bom_12h.csv"
    r = run(runner, "import", str(path), "--dry-run")
    assert r.exit_code == 0
    assert "3 added" in r.output
    assert "Nothing was written" in r.output
    assert stored_count(home) == 0
    assert "3 added" in run(runner, "import", str(path)).output
    r = run(runner, "import", str(path))
    assert "0 added, 0 updated, 3 unchanged" in r.output


def test_daylio_new_format_with_bom_and_12_hour_times(home: Path) -> None:
    loaded = exchange.load(FIXTURES / "daylio_new_bom_12h.csv")
    assert loaded.kind == "Daylio CSV"
    noon, night, morning = sorted(loaded.checkins, key=lambda x: x.at)
    assert (noon.at.hour, noon.at.minute) == (12, 30)
    assert morning.at.hour == 8
    assert night.at.hour == 23
    assert night.at.date().isoformat() == "2024-03-01"
    assert night.tags == ("mood:meh", "work", "bad-sleep")
    assert night.note == "Long day\n\nFelt far away.\nTea helped."
    assert morning.tags == ("mood:good", "music", "friends", "movies-tv")
    assert noon.note == "=cmd|calc"  # a Daylio note is text, kept exactly


def test_daylio_without_title_and_24_hour_times(home: Path) -> None:
    loaded = exchange.load(FIXTURES / "daylio_no_title_24h.csv")
    a, b = sorted(loaded.checkins, key=lambda x: x.at)
    assert (a.at.hour, a.at.minute) == (21, 5)
    assert a.note is None
    assert b.note == "first line\nsecond line"
    assert b.tags == ("mood:rad", "walking")


def test_daylio_oldest_format_with_year_column(home: Path) -> None:
    loaded = exchange.load(FIXTURES / "daylio_old_year.csv")
    days = sorted(c.at.date().isoformat() for c in loaded.checkins)
    assert days == ["2018-05-16", "2018-05-17", "2018-05-18"]
    assert ("mood:average", "cook", "stressed") in [c.tags for c in loaded.checkins]


def test_mood_map_turns_labels_into_words_and_lists_the_rest(runner: CliRunner, home: Path) -> None:
    path = FIXTURES / "daylio_new_bom_12h.csv"
    r = run(runner, "import", str(path), "--mood-map", "meh=flat,good=content")
    assert r.exit_code == 0, r.output
    assert "awful (1)" in r.output
    with Store() as store:
        words = sorted(w for c in store.iter_all() for w in c.words)
        assert words == ["content", "flat"]
        assert any("mood:awful" in c.tags for c in store.iter_all())
        assert [c.state for c in store.iter_all() if c.words == ["flat"]] == ["numb"]
    r = run(runner, "import", str(path), "--mood-map", "meh=flatt")
    assert r.exit_code == 2
    assert 'did you mean "flat"' in r.stderr
    r = run(runner, "import", str(path), "--mood-map", "meh")
    assert r.exit_code == 2
    assert "LABEL=WORD" in r.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.csv", "id,at\n1,2\n", "Line 1: the header is not numbtrack's"),
        ("short.csv", None, "Line 3: expected 13 cells"),
        ("word.csv", None, 'Line 2: "anxios" is not a feeling word'),
        ("bad.jsonl", '{"id": "x"\n', "Line 1: not valid JSON"),
        (
            "d.csv",
            "full_date,date,weekday,time,mood,activities,note\n"
            "2024-01-01,Jan 1,Monday,25:00,good,,\n",
            'Line 2: "25:00" is not a time',
        ),
        ("e.csv", "", "empty"),
        ("bin.csv", "\x00\x01garbage", "NUL"),
    ],
)
def test_a_malformed_file_imports_nothing_and_names_the_line(
    runner: CliRunner, home: Path, name: str, content: str | None, message: str
) -> None:
    with Store() as store:
        store.add(_one("already here"))
        good = export_bytes(store, "csv").decode()
    if name == "short.csv":
        lines = good.splitlines(keepends=True)
        content = lines[0] + lines[1] + "a,b\r\n"
    if name == "word.csv":
        content = good.replace(",calm,", ",anxios,")
    path = home / name
    path.write_text(content or "", encoding="utf-8", newline="")
    r = run(runner, "import", str(path))
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    with Store() as store:
        assert store.count() == 1


def test_invalid_bytes_never_change_the_store(home: Path) -> None:
    with Store() as store:
        store.add(_one("keep"))
    for blob in (b"\xff\xfe\x00garbage", b'{"format": "numbtrack", "version": 99}', b"[1, 2, 3]"):
        path = home / "blob.json"
        path.write_bytes(blob)
        with pytest.raises(InvalidInput):
            exchange.load(path)
    with Store() as store:
        assert store.count() == 1


def test_export_options(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "calm", "--at", "-3d", "--body", "chest:warm:2:more", "-q")
    run(runner, "log", "numb", "--tag", "work", "-q")
    r = run(runner, "export", "--since", "-1d")
    rows = list(csv.reader(io.StringIO(r.output)))
    assert len(rows) == 2
    assert rows[1][5] == "numb"
    r = run(runner, "export", "--long")
    rows = list(csv.reader(io.StringIO(r.output)))
    kinds = [row[3] for row in rows[1:]]
    assert kinds == ["feeling", "sensation", "feeling", "tag"]
    assert rows[2][4:10] == ["chest:warm", "2", "chest", "warm", "more", ""]
    doc = json.loads(run(runner, "export", "-F", "json").output)
    assert doc["format"] == "numbtrack"
    assert len(doc["checkins"]) == 2
    out = home / "out.jsonl"
    assert run(runner, "export", "-F", "jsonl", "-o", str(out)).exit_code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert len(out.read_text().splitlines()) == 2 + 2  # and the header and closing count lines
    r = run(runner, "export", "-o", str(out))
    assert r.exit_code == 2
    assert "--force" in r.stderr
    assert run(runner, "export", "-F", "xml").exit_code == 2
    assert run(runner, "export", "-F", "json", "--long").exit_code == 2


def test_long_export_is_refused_for_import(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "calm", "-q")
    path = home / "long.csv"
    path.write_text(run(runner, "export", "--long").output, encoding="utf-8")
    r = run(runner, "import", str(path))
    assert r.exit_code == 2
    assert "--long export" in r.stderr


class _Sink:
    """A file that forgets what is written to it, like a pipe to another program."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def _peak_export_bytes(home: Path, n: int) -> int:
    """Peak Python memory while exporting a store of n check-ins as JSON Lines."""
    import tracemalloc

    folder = home.parent / f"stream-{n}"
    with Store(folder / "numbtrack.db") as store:
        base = datetime(2000, 1, 1, 9).astimezone()
        store.put_many(
            replace(
                _one("a note of some length " * 4),
                id=f"00000000-0000-4000-8000-{i:012d}",
                at=base + timedelta(hours=i),
            )
            for i in range(n)
        )
        tracemalloc.start()
        try:
            written = exchange.write(store.iter_all(), _Sink(), "jsonl")  # type: ignore[arg-type]
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert written == n
    return peak


def test_export_memory_stays_flat_as_the_store_grows(home: Path) -> None:
    """Four times the check-ins may not need four times the memory: export streams."""
    small = _peak_export_bytes(home, 2000)
    large = _peak_export_bytes(home, 8000)
    assert large < 1.5 * small, (small, large)


# -- the store survives --------------------------------------------------------------------


def _make_big_export(path: Path, n: int) -> None:
    base = datetime(2015, 1, 1, 9).astimezone()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            c = {
                "id": f"00000000-0000-4000-8000-{i:012d}",
                "at": (base + timedelta(hours=5 * i)).isoformat(),
                "feelings": [{"word": "calm", "intensity": None, "custom": False}],
                "note": "x" * 200,
                "tags": ["work"],
                "can_feel": i % 11,
            }
            fh.write(json.dumps(c) + "\n")


def test_an_import_killed_midway_leaves_all_or_nothing(home: Path, tmp_path: Path) -> None:
    with Store() as store:
        store.add(_one("before"))
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "numbtrack", "import", str(big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = home / "numbtrack.db-wal"
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 2_000_000:
            break
        time.sleep(0.005)
    killed_midway = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store() as store:
        assert store.integrity() == "ok"
        assert store.count() in (1, 20001)
        if killed_midway:
            assert store.count() == 1


def kill_an_import_after_a_step(home: Path, big: Path) -> int:
    """Import `big` into the store at `home` in another process and kill it (SIGKILL) once a
    first step of its switch has committed; returns the journal rows it left."""
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "numbtrack", "import", str(big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    steps = 0
    with closing(sqlite3.connect(home / "numbtrack.db", timeout=15)) as watch:
        while proc.poll() is None and not steps:  # until a first step has committed
            steps = watch.execute(
                "SELECT count(*) FROM journal WHERE action = 'import'"
            ).fetchone()[0]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return int(steps)


def test_an_import_killed_while_switching_is_reverted_by_the_next_numbtrack(
    home: Path, tmp_path: Path
) -> None:
    """A kill -9 between two steps of the switch leaves some steps committed and the marker
    file; the next numbtrack to open the store reverts them: the store is as before, the
    undo journal has no trace of the import, and importing the file again brings it all."""
    with Store() as store:
        store.add(_one("before"))
        replaced = store.add(_one("replaced by the import"))
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    with big.open("a", encoding="utf-8") as fh:  # a newer copy of a stored check-in
        newer = {**to_dict(replaced), "note": "newer", "updated_at": "2099-01-01T00:00:00Z"}
        fh.write(json.dumps(newer) + "\n")
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    marker = home / "numbtrack.db-import"
    kill_an_import_after_a_step(home, big)
    assert marker.exists()
    with closing(sqlite3.connect(home / "numbtrack.db")) as raw:
        partly = raw.execute("SELECT count(*) FROM checkins").fetchone()[0]
    with Store() as store:
        assert (partly > 2, store.count()) == (True, 2)
        assert store.get(replaced.id).note == replaced.note
        assert [b.action for b in store.journal_batches()] == ["add", "add"]
        assert store.integrity() == "ok"
    assert not marker.exists()
    done = subprocess.run(
        [sys.executable, "-m", "numbtrack", "import", str(big)], env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    with Store() as store:
        assert store.count() == 20002


def test_a_backup_during_concurrent_writes_is_consistent(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    with Store() as store:
        store.add(_one("seed"))
    stop = threading.Event()

    def writer() -> None:
        with Store() as s:
            while not stop.is_set():
                s.add(_one("written during backup"))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        for i in range(5):
            r = run(runner, "backup", str(tmp_path / f"copy{i}.db"))
            assert r.exit_code == 0, r.output
            copies.append(tmp_path / f"copy{i}.db")
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        with closing(sqlite3.connect(copy)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM checkins").fetchone()[0] >= 1
            orphans = conn.execute(
                "SELECT count(*) FROM feelings WHERE checkin_id NOT IN (SELECT id FROM checkins)"
            ).fetchone()[0]
        assert orphans == 0
        assert oct(copy.stat().st_mode & 0o777) == "0o600"


def test_default_backups_are_named_and_pruned_to_ten(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "calm", "-q")
    for _ in range(12):
        assert run(runner, "backup").exit_code == 0
    kept = sorted((home / "backups").glob("numbtrack-*-backup.db"))
    assert len(kept) == 10


def test_restore_shows_asks_and_keeps_a_safety_copy(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    run(runner, "log", "calm", "--note", "old", "-q")
    assert run(runner, "backup", str(tmp_path / "b.db")).exit_code == 0
    run(runner, "log", "numb", "--note", "new", "-q")
    r = run(runner, "restore", str(tmp_path / "b.db"), input="n\n")
    assert "holds 1 check-in" in r.output
    assert "Nothing was changed" in r.output
    assert stored_count(home) == 2
    r = run(runner, "restore", str(tmp_path / "b.db"), input="y\n")
    assert r.exit_code == 0
    assert "Restored" in r.output
    with Store() as store:
        assert [c.note for c in store.iter_all()] == ["old"]
    safety = list((home / "backups").glob("*before-restore.db"))
    assert len(safety) == 1
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 50)
    r = run(runner, "restore", str(tmp_path / "junk.db"), "--yes")
    assert r.exit_code == 2
    assert "not a numbtrack database" in r.stderr


def test_restore_into_a_new_home_asks_nothing_and_keeps_no_empty_copy(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    """On a new device there is nothing to replace: no question, and no "safety copy" of a
    store made only to restore into."""
    other = tmp_path / "other"
    assert run(runner, "--home", str(other), "log", "calm", "-q").exit_code == 0
    r = run(runner, "--home", str(other), "backup", str(tmp_path / "b.db"))
    assert r.exit_code == 0, r.output
    assert not home.exists()
    r = run(runner, "restore", str(tmp_path / "b.db"))  # no --yes, no input
    said = r.stdout.splitlines()[-1]
    assert (r.exit_code, said) == (0, f"Restored into {home / 'numbtrack.db'}.")
    assert stored_count(home) == 1
    assert not (home / "backups").exists()


def test_backup_never_overwrites(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    run(runner, "log", "calm", "-q")
    target = tmp_path / "keep.db"
    target.write_bytes(b"something precious")
    r = run(runner, "backup", str(target))
    assert r.exit_code == 2
    assert "already exists" in r.stderr
    assert target.read_bytes() == b"something precious"


_GOOD = {
    "id": "0a1b2c3d-0000-4000-8000-00000000abcd",
    "at": "2020-01-01T09:00:00+01:00",
    "feelings": [{"word": "calm", "intensity": 2, "custom": False}],
    "sensations": [{"region": "chest", "quality": "tight", "intensity": 3, "direction": "more"}],
    "practices": ["music", "my-walk:own"],
    "tags": ["Work", "#work"],
    "note": "a\r\nb",
    "sleep_hours": 7,
}
_TRICKY = {
    "plain": {},
    "upper-case id": {"id": _GOOD["id"].upper()},
    "microseconds": {"at": "2020-01-01T09:00:00.5+01:00"},
    "no offset": {"at": "2020-01-01T09:00:00"},
    "future": {"at": "2999-01-01T09:00:00+00:00"},
    "before 1900": {"at": "1899-12-31T23:30:00-01:00"},
    "float intensity": {"feelings": [{"word": "calm", "intensity": 2.0}]},
    "bool can_feel": {"can_feel": True},
    "nan-free sleep 25": {"sleep_hours": 25},
    "duplicate words": {"feelings": [{"word": "calm"}, {"word": "Calm", "intensity": 9}]},
    "unknown word": {"feelings": [{"word": "calmm"}]},
    "own word": {"feelings": [{"word": "glimmery", "custom": True}]},
    "bad direction": {"sensations": [{"region": "chest", "quality": "tight", "direction": "up"}]},
    "blank note": {"note": "  \n "},
    "nul note": {"note": "a\x00b"},
    "state given": {"state": "Numb"},
    "bad state": {"state": "nmub"},
    "feelings not a list": {"feelings": ""},
    "tags of numbers": {"tags": [1]},
    "unknown field": {"mood": 3},
    "too many tags": {"tags": [f"t{i}" for i in range(101)]},
    "tag with a space": {"tags": ["two words"]},
}


@pytest.mark.parametrize("name", sorted(_TRICKY))
def test_the_fast_checker_gives_what_the_validator_gives(name: str) -> None:
    """native.Checker is a shortcut through models.validate: the same check-in, or the same
    sentence, for every record (JSON) and every row (CSV)."""
    from numbtrack.exchange import native
    from numbtrack.exchange.records import from_dict
    from numbtrack.models import keep_own, unmark_own, validate

    d = {**_GOOD, **_TRICKY[name]}

    def outcome(f: object) -> object:
        try:
            return f()  # type: ignore[operator]
        except InvalidInput as exc:
            return exc.message

    slow = outcome(lambda: keep_own(validate(from_dict(d))))
    assert outcome(lambda: native.Checker().record(d)) == slow
    try:
        c = keep_own(validate(from_dict(d)))
    except InvalidInput:
        return
    row = native.csv_row(unmark_own(c))
    assert native.Checker(csv=True).cells(row) == keep_own(
        validate(native.row_to_checkin(dict(zip(native.FIELDS, row, strict=True))))
    )
