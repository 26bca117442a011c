"""Reading while a large import has dropped the secondary indexes (store.REBUILT_INDEXES).

A large import next to the store drops them in its first step and builds them again after its
last; in between, another numbtrack may read the store. Queries that walk the at_utc index by
name (a week's "a word outside the numb cluster was last named", a page of filtered entries
read in time order) must give the same answer without it, not "no such index"."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

from numbtrack.models import CheckIn, Feeling
from numbtrack.store import REBUILT_INDEXES, Filter, Store

from .conftest import run

START = datetime(2026, 10, 5, 9, tzinfo=timezone(timedelta(hours=1)))


def fill(count: int = 60) -> None:
    with Store() as store:
        for i in range(count):
            word = "numb" if i % 3 else "calm"
            store.add(
                CheckIn(
                    at=START + timedelta(hours=7 * i),
                    feelings=(Feeling(word),),
                    tags=("work",) if i % 5 == 0 else (),
                    note=f"note {i}",
                )
            )


def drop_rebuilt_indexes(db: Path) -> None:
    """What a large import's first step does to the store, from another connection."""
    with closing(sqlite3.connect(db)) as conn:
        for name, _ in REBUILT_INDEXES:
            conn.execute(f"DROP INDEX {name}")
        conn.commit()


def reads() -> tuple[object, ...]:
    with Store() as store:
        last = store.last_non_numb_word(START.date() + timedelta(days=14))
        page = store.query(Filter(tags=("work",)), limit=3, matching=12)
    return last, [c.note for c in page]


def test_a_week_reads_the_last_non_numb_word_without_the_at_utc_index(home: Path) -> None:
    fill()
    before = reads()
    drop_rebuilt_indexes(home / "numbtrack.db")
    assert reads() == before


def test_the_week_command_works_while_the_indexes_are_away(home: Path, runner) -> None:  # type: ignore[no-untyped-def]
    fill()
    before = run(runner, "week", "2026-10-12")
    drop_rebuilt_indexes(home / "numbtrack.db")
    after = run(runner, "week", "2026-10-12")
    assert (after.exit_code, after.output) == (0, before.output)
