"""m009: the part tables WITHOUT ROWID (and the time index holding the whole order).

An older store migrates forward with every part kept in its order, a backup taken first, and
the same answers to searches; a new store is made that way from the start.
"""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from numbtrack import exchange, migrations
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import Filter, Store

PART_TABLES = tuple(migrations.PART_TABLES_WITHOUT_ROWID)


def _fill(store: Store) -> None:
    start = datetime(2026, 3, 1, 9, 0).astimezone()
    for i in range(12):
        store.add(
            CheckIn(
                at=start + timedelta(hours=7 * i),
                feelings=(Feeling("calm", i % 5 + 1), Feeling("numb"), Feeling("tired")),
                sensations=(Sensation("chest", "tight", 2, "more"), Sensation("hands", "cold")),
                practices=("music",) if i % 2 else ("nature", "smell"),
                tags=("work", "grief") if i % 3 else (),
                note=f"note {i}" if i % 4 else None,
            ),
        )


def _as_before_m009(home: Path) -> None:
    """Turn the store back into rowid part tables and a time index of at_utc alone."""
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn, conn:
        for table, columns in migrations.PART_TABLES_WITHOUT_ROWID.items():
            conn.execute(f"CREATE TABLE {table}_rowid ({columns})")
            # Rows written in reverse: their order in the file is not their order.
            conn.execute(
                f"INSERT INTO {table}_rowid SELECT * FROM {table} ORDER BY checkin_id DESC,"
                " position DESC"
            )
            conn.execute(f"DROP TABLE {table}")
            conn.execute(f"ALTER TABLE {table}_rowid RENAME TO {table}")
            for column in migrations.PART_INDEXES[table]:
                conn.execute(f"CREATE INDEX {table}_{column} ON {table} ({column})")
        conn.execute("DROP INDEX checkins_at_utc")
        conn.execute("CREATE INDEX checkins_at_utc ON checkins (at_utc)")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_cluster_parts_by_checkin'")


def _exports(store: Store) -> list[str]:
    found = []
    for fmt in ("csv", "json", "jsonl"):
        out = io.StringIO()
        exchange.export(store, Filter(), out, fmt)
        found.append(out.getvalue())
    return found


def _without_rowid(home: Path) -> list[str]:
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
        return [
            table
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if table in PART_TABLES
            and conn.execute(
                "SELECT sql LIKE '%WITHOUT ROWID' FROM sqlite_master WHERE name = ?", [table]
            ).fetchone()[0]
        ]


@pytest.fixture
def old_store(home: Path) -> list[str]:
    """A store of twelve check-ins from before m009; what it exported then."""
    with Store() as store:
        _fill(store)
        before = _exports(store)
    _as_before_m009(home)
    return before


def test_a_new_store_has_its_part_tables_without_rowid(home: Path) -> None:
    Store().close()
    assert sorted(_without_rowid(home)) == sorted(PART_TABLES)


def test_an_older_store_gets_its_part_tables_without_rowid(
    home: Path, old_store: list[str]
) -> None:
    assert _without_rowid(home) == []
    Store().close()
    assert sorted(_without_rowid(home)) == sorted(PART_TABLES)


def test_an_older_store_exports_the_same_bytes_after_the_upgrade(old_store: list[str]) -> None:
    with Store() as store:
        assert _exports(store) == old_store


def test_an_older_store_is_backed_up_before_the_upgrade(home: Path, old_store: list[str]) -> None:
    Store().close()
    assert len(list((home / "backups").glob("*before-upgrade.db"))) == 1


def test_the_backup_before_the_upgrade_keeps_the_parts(home: Path, old_store: list[str]) -> None:
    Store().close()
    (backup,) = (home / "backups").glob("*before-upgrade.db")
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("SELECT count(*) FROM feelings").fetchone()[0] == 36


def test_searches_find_the_same_check_ins_after_the_upgrade(old_store: list[str]) -> None:
    with Store() as store:
        found = [
            len(store.query(Filter(tags=("grief",)))),
            len(store.query(Filter(words=("calm",)))),
        ]
    assert found == [8, 12]


def test_the_time_index_holds_the_whole_order_after_the_upgrade(
    home: Path, old_store: list[str]
) -> None:
    Store().close()
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
        columns = [r[2] for r in conn.execute("PRAGMA index_info(checkins_at_utc)")]
    assert columns == ["at_utc", "created_at", "id"]


def test_a_part_whose_check_in_is_gone_is_not_carried_over(
    home: Path, old_store: list[str]
) -> None:
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn, conn:
        conn.execute("INSERT INTO tags VALUES ('not-a-check-in', 0, 'orphan')")
    with Store() as store:
        tags = store.conn.execute("SELECT count(*) FROM tags WHERE tag = 'orphan'").fetchone()[0]
    assert tags == 0


def test_deleting_a_check_in_still_removes_its_parts(old_store: list[str]) -> None:
    with Store() as store:
        first = store.query(Filter(), limit=1)[0]
        store.delete(first.id)
        left = store.conn.execute(
            "SELECT count(*) FROM feelings WHERE checkin_id = ?", [first.id]
        ).fetchone()[0]
    assert left == 0
