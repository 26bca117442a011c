"""An import into a home without a store builds the store whole in a temporary file and then
gives it its name (`Store.build_new`): the same store, the same journal and the same
messages as the usual way, and never a half-made or empty store left behind."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from numbtrack.models import CheckIn
from numbtrack.store import Store

from .conftest import run
from .test_exchange import _make_big_export, _one


def schema(db: Path) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return sorted(
            conn.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master")
        )


PRAGMAS = ("user_version", "journal_mode", "page_size", "auto_vacuum", "encoding", "application_id")


def pragmas(db: Path) -> dict[str, Any]:
    with closing(sqlite3.connect(db)) as conn:
        return {p: conn.execute(f"PRAGMA {p}").fetchone()[0] for p in PRAGMAS}


def migrations_of(db: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid"
        ).fetchall()


def journal_of(db: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT seq, batch, action, checkin_id, before FROM journal ORDER BY seq"
        ).fetchall()


def own_of(db: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT 'w', word FROM custom_words UNION ALL SELECT 'q', name FROM own_qualities"
            " UNION ALL SELECT 'p', name FROM own_practices ORDER BY 1, 2"
        ).fetchall()


def export_of(db: Path) -> str:
    r = run(CliRunner(), "--home", str(db.parent), "export", "--format", "jsonl")
    assert r.exit_code == 0, r.output
    return str(r.stdout)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


FIXTURE_ROWS = [
    _one("a note", tags=("work", "grief")),
    _one(None, tags=()),
    _one("another", tags=("work",)),
]


def history(tmp_path: Path, runner: CliRunner) -> Path:
    """A numbtrack export with notes, tags, own words, qualities and practices, and typed
    names (an alias) in it."""
    src = tmp_path / "src"
    with Store(src / "numbtrack.db") as store:
        for c in FIXTURE_ROWS:
            store.add(c)
    for args in (
        ["log", "numb", "--new-word", "glimmery", "--new-body", "chest:fizzy:2", "-q"],
        ["log", "calm", "--practice", "walk", "--new-practice", "knitting", "--feel", "4", "-q"],
        ["log", "flat", "--body", "throat:tight:3:less:unpleasant", "--sleep", "6.5", "-q"],
    ):
        r = run(runner, "--home", str(src), *args)
        assert r.exit_code == 0, r.output
    out = tmp_path / "history.jsonl"
    r = run(runner, "--home", str(src), "export", "--format", "jsonl", "-o", str(out))
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture
def exported(tmp_path: Path, runner: CliRunner) -> Path:
    return history(tmp_path, runner)


def usual_way(tmp_path: Path, file: Path, runner: CliRunner, home: Path) -> Path:
    """The same file imported the usual way: into a store that exists (empty)."""
    other = tmp_path / "usual"
    with Store(other / "numbtrack.db"):
        pass
    r = run(runner, "--home", str(other), "import", str(file))
    assert r.exit_code == 0, r.output
    return other / "numbtrack.db"


def test_a_built_store_has_the_schema_of_a_store_log_makes(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    logged = tmp_path / "logged"
    assert run(runner, "--home", str(logged), "log", "calm", "-q").exit_code == 0
    assert schema(home / "numbtrack.db") == schema(logged / "numbtrack.db")


def test_a_built_store_has_the_pragmas_of_a_store_log_makes(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    logged = tmp_path / "logged"
    assert run(runner, "--home", str(logged), "log", "calm", "-q").exit_code == 0
    assert pragmas(home / "numbtrack.db") == pragmas(logged / "numbtrack.db")


def test_a_built_store_records_the_migrations_a_store_log_makes(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    logged = tmp_path / "logged"
    assert run(runner, "--home", str(logged), "log", "calm", "-q").exit_code == 0
    assert migrations_of(home / "numbtrack.db") == migrations_of(logged / "numbtrack.db")


def test_a_built_store_exports_what_the_usual_way_stores(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    usual = usual_way(tmp_path, exported, runner, home)
    assert export_of(home / "numbtrack.db") == export_of(usual)


def test_a_built_store_exports_what_it_was_given(
    runner: CliRunner, home: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    assert export_of(home / "numbtrack.db") == exported.read_text(encoding="utf-8")


def test_a_built_store_keeps_each_check_in_s_csv_parts_ready(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    # checkins.parts_csv (m010) as the usual way writes it, so that the first CSV export
    # after a first import does not make every check-in's cells again.
    assert run(runner, "import", str(exported)).exit_code == 0
    usual = usual_way(tmp_path, exported, runner, home)
    query = "SELECT id, parts_csv FROM checkins ORDER BY id"
    with closing(sqlite3.connect(home / "numbtrack.db")) as built:
        got = built.execute(query).fetchall()
    with closing(sqlite3.connect(usual)) as other:
        want = other.execute(query).fetchall()
    assert (got, all(text is not None for _, text in got)) == (want, True)


def test_a_built_store_journals_what_the_usual_way_journals(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    usual = usual_way(tmp_path, exported, runner, home)
    assert journal_of(home / "numbtrack.db") == journal_of(usual)


def test_a_built_store_keeps_the_own_names_the_usual_way_keeps(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    usual = usual_way(tmp_path, exported, runner, home)
    assert own_of(home / "numbtrack.db") == own_of(usual)


def test_a_built_store_finds_notes(runner: CliRunner, home: Path, exported: Path) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    r = run(runner, "list", "another", "--json")
    assert [c["note"] for c in json.loads(r.output)] == ["another"]


NOTE_WORDS = ("walked", "slept", "tired", "rain", "café", "Ünder", "long day", "x")


def notes_export(path: Path, n: int) -> None:
    """A JSON Lines export of `n` check-ins, most with a note made of a few NOTE_WORDS."""
    base = datetime(2015, 1, 1, 9).astimezone()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            words = [NOTE_WORDS[(i * k) % len(NOTE_WORDS)] for k in (1, 3, 7)][: i % 4]
            c = {
                "id": f"00000000-0000-4000-8000-{i:012d}",
                "at": (base + timedelta(hours=5 * i)).isoformat(),
                "feelings": [{"word": "calm", "intensity": None, "custom": False}],
                "note": " ".join(words) or None,
                "created_at": "2020-01-01T00:00:00.000000Z",
                "updated_at": "2020-01-01T00:00:00.000000Z",
            }
            fh.write(json.dumps(c) + "\n")


def test_a_built_store_s_note_search_finds_what_the_usual_way_finds(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    """A new store's note index is made beside it while its other indexes are built, then
    copied in (`store._NoteIndex`): the same searches find the same check-ins."""
    file = tmp_path / "notes.jsonl"
    notes_export(file, 3000)
    assert run(runner, "import", str(file)).exit_code == 0
    usual = usual_way(tmp_path, file, runner, home)
    for word in ("walked", "tired rain", "cafe", "under", '"long day"', "nothing"):
        built = run(runner, "list", word, "--all", "--json")
        other = run(runner, "--home", str(usual.parent), "list", word, "--all", "--json")
        assert (built.exit_code, built.output) == (0, other.output), word
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
        conn.execute("INSERT INTO checkins_fts (checkins_fts) VALUES ('integrity-check')")
    assert leftovers(home) == []


def test_a_built_store_says_what_the_usual_way_says(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    built = run(runner, "import", str(exported))
    other = tmp_path / "usual"
    with Store(other / "numbtrack.db"):
        pass
    usual = run(runner, "--home", str(other), "import", str(exported))
    assert built.output == usual.output


def test_a_built_store_is_private(runner: CliRunner, home: Path, exported: Path) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    assert (home / "numbtrack.db").stat().st_mode & 0o777 == 0o600


def test_undo_reverts_an_import_into_a_new_store(
    runner: CliRunner, home: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    assert run(runner, "undo", input="y\n").exit_code == 0
    with Store() as store:
        assert store.count() == 0


def test_the_new_store_leaves_no_temporary_file(
    runner: CliRunner, home: Path, exported: Path
) -> None:
    assert run(runner, "import", str(exported)).exit_code == 0
    assert leftovers(home) == []


def test_a_failed_import_into_a_home_without_a_store_leaves_no_store(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = exported.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([*lines[:-1], '{"id": "broken"', lines[-1]]) + "\n")
    r = run(runner, "import", str(bad))
    assert (r.exit_code, os.path.lexists(home / "numbtrack.db")) == (2, False)


def test_a_failed_import_into_a_home_without_a_store_leaves_no_temporary_file(
    runner: CliRunner, home: Path, tmp_path: Path, exported: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(exported.read_text(encoding="utf-8") + '{"id": "broken"}\n')
    run(runner, "import", str(bad))
    assert leftovers(home) == []


def test_the_same_id_twice_in_a_file_goes_by_the_merge_rule_as_before(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    stamps = {
        "created_at": "2026-11-20T08:30:00.000000Z",
        "updated_at": "2026-11-20T08:30:00.000000Z",
    }
    first = {**_dict(_one("first")), **stamps}
    later = {**first, "note": "later", "updated_at": "2026-11-21T00:00:00.000000Z"}
    other = {**_dict(_one("x")), **stamps}
    twice = tmp_path / "twice.jsonl"
    twice.write_text("".join(json.dumps(d) + "\n" for d in (other, first, later)))
    built = run(runner, "import", str(twice))
    usual_home = tmp_path / "usual"
    with Store(usual_home / "numbtrack.db"):
        pass
    usual = run(runner, "--home", str(usual_home), "import", str(twice))
    assert (built.output, export_of(home / "numbtrack.db")) == (
        usual.output,
        export_of(usual_home / "numbtrack.db"),
    )


def _dict(c: Any) -> dict[str, Any]:
    from numbtrack.models import to_dict

    return to_dict(c)


def test_a_store_made_meanwhile_keeps_its_check_in_and_gets_the_import(home: Path) -> None:
    """A `log` that makes the store while the import is being built: the name is taken when
    the built store is given it, so what was built goes in the usual way; nothing is lost."""
    logged = _one("logged meanwhile")
    rows = [_one(f"imported {i}") for i in range(50)]

    def reading() -> Iterator[CheckIn]:
        for i, c in enumerate(rows):
            if i == 25:
                with Store() as other:  # another numbtrack, as `numbtrack log` would
                    other.add(logged)
            yield c

    result = Store.put_many_into(None, reading())
    with Store() as store:
        assert (result.added, store.count(), store.get(logged.id).note) == (
            50,
            51,
            "logged meanwhile",
        )


def test_a_store_made_meanwhile_leaves_no_temporary_file(home: Path) -> None:
    def reading() -> Iterator[CheckIn]:
        for i in range(10):
            if i == 5:
                with Store() as other:
                    other.add(_one("logged meanwhile"))
            yield _one(f"imported {i}")

    Store.put_many_into(None, reading())
    assert leftovers(home) == []


def test_a_stale_wal_without_its_database_is_not_an_empty_home(home: Path) -> None:
    home.mkdir()
    (home / "numbtrack.db-wal").write_bytes(b"")
    assert not Store.nothing_at(home / "numbtrack.db")


def test_an_empty_home_is_an_empty_home(home: Path) -> None:
    assert Store.nothing_at(home / "numbtrack.db")


def _kill_while_building(
    home: Path, big: Path, sig: signal.Signals, *, making_notes: bool = False
) -> int:
    """Import `big` into the empty `home` in another process and send it `sig` once its
    temporary store has grown (`making_notes`: once its note index is being made, after the
    last row); returns the exit status."""
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "numbtrack", "import", str(big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if making_notes:
            grown = list(home.glob(".numbtrack-notes.db.*.tmp"))
        else:
            grown = [p for p in home.glob(".numbtrack.db.*.tmp") if p.stat().st_size > 500_000]
        if grown:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the import ended before it could be stopped"
    proc.send_signal(sig)
    return proc.wait()


def test_a_kill_mid_build_leaves_no_store(home: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    _kill_while_building(home, big, signal.SIGKILL)
    assert not os.path.lexists(home / "numbtrack.db")


def test_the_next_import_after_a_kill_mid_build_works_and_cleans_up(
    home: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    _kill_while_building(home, big, signal.SIGKILL)
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-m", "numbtrack", "import", str(big)], env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    with Store() as store:
        assert (store.count(), leftovers(home)) == (20000, [])


def test_sigterm_mid_build_leaves_nothing(home: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    status = _kill_while_building(home, big, signal.SIGTERM)
    assert (status != 0, os.path.lexists(home / "numbtrack.db"), leftovers(home)) == (
        True,
        False,
        [],
    )


def test_sigterm_while_the_note_index_is_made_leaves_nothing(home: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    status = _kill_while_building(home, big, signal.SIGTERM, making_notes=True)
    assert (status != 0, os.path.lexists(home / "numbtrack.db"), leftovers(home)) == (
        True,
        False,
        [],
    )


def test_the_next_import_after_a_kill_while_the_note_index_is_made_cleans_up(
    home: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    _kill_while_building(home, big, signal.SIGKILL, making_notes=True)
    assert not os.path.lexists(home / "numbtrack.db")
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-m", "numbtrack", "import", str(big)], env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    with Store() as store:
        assert (store.count(), leftovers(home)) == (20000, [])


def test_a_dry_run_into_a_home_without_a_store_builds_nothing(
    runner: CliRunner, home: Path, exported: Path
) -> None:
    run(runner, "import", str(exported), "--dry-run")
    assert not (home / "numbtrack.db").exists()
    assert not home.exists() or leftovers(home) == []


def test_a_log_after_a_kill_mid_build_removes_the_temporary_store(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    _kill_while_building(home, big, signal.SIGKILL)
    assert run(runner, "log", "calm", "-q").exit_code == 0
    assert leftovers(home) == []


BUILD_AND_SAY = """
import sys
from pathlib import Path

from numbtrack import exchange
from numbtrack.store import Store

loaded = exchange.stream(Path(sys.argv[1]), packed=True)
Store.put_many_into(None, loaded.checkins, checked=True)
print("sqlite_utils" in sys.modules)
"""


def test_a_first_import_builds_its_store_without_loading_sqlite_utils(
    home: Path, exported: Path
) -> None:
    """Importing sqlite-utils costs more than the whole schema (`migrations.apply_new`)."""
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_SAY, str(exported)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "False", done.stderr
