"""m010: checkins.parts_csv, each check-in's CSV part cells made when it is written.

What a person would notice if it went wrong: an export that says something other than what
was recorded (a stale or half-made cell), or a store upgraded from before m010 that exports
differently. Every check here compares the stored text with what the parts give now
(`Store.stale_parts_csv`, SQL over the part tables) and exports with what the plain writers
write.
"""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numbtrack import exchange, history
from numbtrack.exchange import native
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import Filter, Store

from .strategies import checkins as checkin_strategy

AT = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1)))

AWKWARD = (
    CheckIn(
        at=AT,
        feelings=(Feeling("calm", 3), Feeling("glorp", 2, custom=True), Feeling("numb")),
        sensations=(
            Sensation("chest", "tight", 2, "more", "unpleasant"),
            Sensation("head", "swimmy", custom=True),
            Sensation("hands", "cold", None, None, "neutral"),
        ),
        practices=("music", "meditation:own"),
        tags=("work", "it's-late"),
        note='a "quoted", note',
    ),
    CheckIn(at=AT + timedelta(hours=1), feelings=(Feeling("tired"),)),
    CheckIn(at=AT + timedelta(hours=2), can_feel=4),
)
"""Own words, qualities and practices, every optional field given or not, and nothing."""


def _filled(store: Store) -> tuple[int, int]:
    """(check-ins with parts_csv, check-ins)."""
    row = store.conn.execute("SELECT count(parts_csv), count(*) FROM checkins").fetchone()
    return int(row[0]), int(row[1])


def _csv(store: Store) -> str:
    out = io.StringIO()
    exchange.export(store, Filter(), out, "csv")
    return out.getvalue()


def _plain_csv(store: Store) -> str:
    out = io.StringIO()
    native.write_csv(store.iter_all(), out, typed_column=store.any_typed())
    return out.getvalue()


def test_every_check_in_written_has_its_parts_csv(home: Path) -> None:
    with Store() as store:
        for c in AWKWARD:
            store.add(c)
        assert _filled(store) == (3, 3)


def test_the_stored_cells_are_what_the_parts_give(home: Path) -> None:
    with Store() as store:
        for c in AWKWARD:
            store.add(c)
        assert store.stale_parts_csv() == []


def test_an_export_from_the_stored_cells_is_what_the_plain_writer_writes(home: Path) -> None:
    with Store() as store:
        for c in AWKWARD:
            store.add(c)
        assert _csv(store) == _plain_csv(store)


def test_an_import_fills_parts_csv(home: Path) -> None:
    with Store() as store:
        store.put_many(list(AWKWARD))
        assert _filled(store) == (3, 3)


def test_an_imported_check_in_gets_the_cells_its_parts_give(home: Path) -> None:
    with Store() as store:
        store.put_many(list(AWKWARD))
        assert store.stale_parts_csv() == []


def test_a_check_in_without_stored_cells_is_exported_from_its_parts(home: Path) -> None:
    with Store() as store:
        for c in AWKWARD:
            store.add(c)
        expected = _plain_csv(store)
        store.conn.execute("UPDATE checkins SET parts_csv = NULL WHERE pk % 2 = 1")
        assert _csv(store) == expected


def test_cells_made_with_another_vocabulary_are_not_used(home: Path) -> None:
    with Store() as store:
        for c in AWKWARD:
            store.add(c)
        expected = _plain_csv(store)
        store.conn.execute("UPDATE parts_csv_vocab SET vocab = 'an older one'")
        store.conn.execute("UPDATE checkins SET parts_csv = 'made,by,another,one'")
        assert _csv(store) == expected


def test_a_write_under_another_vocabulary_leaves_the_cells_unmade(home: Path) -> None:
    with Store() as store:
        store.conn.execute("UPDATE parts_csv_vocab SET vocab = 'an older one'")
        store.add(AWKWARD[0])
        assert _filled(store) == (0, 1)


def _as_before_m010(home: Path) -> None:
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn, conn:
        conn.execute("ALTER TABLE checkins DROP COLUMN parts_csv")
        conn.execute("DROP TABLE parts_csv_vocab")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_add_parts_csv'")


def test_an_older_store_gets_parts_csv_for_every_check_in(home: Path) -> None:
    with Store() as store:
        for c in AWKWARD:
            store.add(c)
    _as_before_m010(home)
    with Store() as store:
        assert _filled(store) == (3, 3)


def test_an_older_store_exports_the_same_after_the_upgrade(home: Path) -> None:
    with Store() as store:
        for c in AWKWARD:
            store.add(c)
        before = _csv(store)
    _as_before_m010(home)
    with Store() as store:
        assert _csv(store) == before


def test_an_older_store_keeps_its_note_search_after_the_upgrade(home: Path) -> None:
    with Store() as store:
        for c in AWKWARD:
            store.add(c)
    _as_before_m010(home)
    with Store() as store:
        assert store.count(Filter(text="quoted")) == 1


operations = st.lists(
    st.tuples(st.sampled_from(["add", "edit", "delete", "undo", "import"]), checkin_strategy),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_after_any_changes_the_stored_cells_are_what_the_parts_give(
    home: Path, ops: list[tuple[str, CheckIn]]
) -> None:
    with Store() as store:
        store.conn.execute("DELETE FROM checkins")  # hypothesis reuses the folder
        store.conn.execute("DELETE FROM journal")
        for op, c in ops:
            ids = [r[0] for r in store.conn.execute("SELECT id FROM checkins ORDER BY pk")]
            if op == "add" or (op in ("edit", "delete") and not ids):
                store.add(c)
            elif op == "edit":
                store.update(replace(c, id=ids[len(ids) // 2]))
            elif op == "delete":
                store.delete(ids[-1])
            elif op == "undo" and history.last(store) is not None:
                history.undo(store)
            elif op == "import":
                store.put_many([c, replace(c, id=ids[0]) if ids else c])
        assert (store.stale_parts_csv(), _filled(store)[0]) == ([], _filled(store)[1])
