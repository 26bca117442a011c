from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numbtrack import migrations
from numbtrack.errors import InvalidInput, NotFound, StoreError
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import Filter, Store

from .strategies import checkins


def tables(db: Path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(db)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: [r[1] for r in conn.execute(f"PRAGMA table_info([{n}])")] for n in names}


def test_a_blank_file_gets_the_whole_schema(home: Path) -> None:
    Store().close()
    found = tables(home / "numbtrack.db")
    assert found["checkins"] == [
        "pk",
        "id",
        "at",
        "at_utc",
        "day",
        "can_feel",
        "state",
        "note",
        "sleep_hours",
        "created_at",
        "updated_at",
        "origin",
        "parts_csv",
    ]
    assert found["feelings"] == ["checkin_id", "position", "word", "intensity", "custom"]
    assert found["sensations"] == [
        "checkin_id",
        "position",
        "region",
        "quality",
        "intensity",
        "direction",
        "tone",
    ]
    assert found["practices"] == ["checkin_id", "position", "practice"]
    assert found["tags"] == ["checkin_id", "position", "tag"]
    assert "checkins_fts" in found
    assert "custom_words" in found
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"checkins_day", "checkins_at_utc", "feelings_word"} <= indexes
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied == list(migrations.NAMES)


def test_opening_twice_changes_nothing(home: Path) -> None:
    Store().close()
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
        before = conn.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
        applied = conn.execute("SELECT * FROM _sqlite_migrations").fetchall()
    Store().close()
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
        assert conn.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall() == before
        assert conn.execute("SELECT * FROM _sqlite_migrations").fetchall() == applied


def test_folder_and_files_are_private_whatever_the_umask(home: Path) -> None:
    old = os.umask(0o022)
    try:
        with Store() as store:
            store.add(CheckIn(at=datetime.now().astimezone(), feelings=(Feeling("numb"),)))
            files = ["numbtrack.db", "numbtrack.db-wal", "numbtrack.db-shm", "last-day"]
            for name in files:
                assert stat.S_IMODE((home / name).stat().st_mode) == 0o600, name
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store(tmp_path_factory.mktemp("roundtrip") / "numbtrack.db") as store:
        yield store


@settings(
    max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(c=checkins)
def test_any_valid_checkin_comes_back_equal(shared_store: Store, c: CheckIn) -> None:
    saved = shared_store.add(c)
    got = shared_store.get(saved.id)
    assert got == saved
    assert got.at.isoformat() == saved.at.isoformat()
    assert got.at.timestamp() == c.at.timestamp()  # the same instant, with its own offset
    assert got.day == c.at.date()


@settings(max_examples=40, deadline=None)
@given(batch=st.lists(checkins, min_size=2, max_size=20))
def test_order_is_chronological_across_offsets(batch: list[CheckIn]) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "numbtrack.db") as store:
        for c in batch:
            store.add(c)
        every = list(store.iter_all(batch=7))  # several batches
    assert sorted(c.id for c in every) == sorted(c.id for c in batch)
    instants = [c.at.timestamp() for c in every]
    assert instants == sorted(instants)


def test_a_checkin_and_its_parts_land_together_or_not_at_all(home: Path) -> None:
    with Store() as store:
        bad = CheckIn(
            at=datetime.now().astimezone(),
            feelings=(Feeling("calm"),),
            sensations=(Sensation("chest", "warm", 9),),
        )
        with pytest.raises(InvalidInput, match="1 to 5"):
            store.add(bad)
        assert store.count() == 0
        with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
            assert conn.execute("SELECT count(*) FROM feelings").fetchone()[0] == 0


def test_filters_and_prefixes(home: Path) -> None:
    now = datetime.now().astimezone()
    with Store() as store:
        a = store.add(
            CheckIn(
                at=now,
                feelings=(Feeling("numb"),),
                tags=("work",),
                note="Rain on the window",
                sensations=(Sensation("chest", "heavy"),),
            )
        )
        b = store.add(CheckIn(at=now, feelings=(Feeling("calm"),), practices=("music",)))
        assert [c.id for c in store.query(Filter(words=("numb",)))] == [a.id]
        assert [c.id for c in store.query(Filter(regions=("chest",)))] == [a.id]
        assert [c.id for c in store.query(Filter(qualities=("heavy",)))] == [a.id]
        assert [c.id for c in store.query(Filter(practices=("music",)))] == [b.id]
        assert [c.id for c in store.query(Filter(tags=("work",)))] == [a.id]
        assert [c.id for c in store.query(Filter(state="feeling"))] == [b.id]
        assert [c.id for c in store.query(Filter(text="window"))] == [a.id]
        assert store.query(Filter(text='AND "(')) == []  # search text is never FTS syntax
        assert store.get(a.id[:6]).id == a.id
        with pytest.raises(NotFound):
            store.get("zzzz")
        assert store.last_added() == b
        store.delete(b.id)
        assert store.count() == 1
        assert store.query(Filter(text="window"))[0].id == a.id


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_store_from_a_newer_numbtrack_is_refused_for_writing(home: Path) -> None:
    with Store() as store:
        store.add(CheckIn(at=datetime.now().astimezone(), feelings=(Feeling("flat"),)))
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn, conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('numbtrack', 'm999_from_the_future', '2030-01-01')"
        )
    before = _digest(home / "numbtrack.db")
    with Store() as store:
        assert store.count() == 1  # still readable
        with pytest.raises(StoreError, match="newer numbtrack"):
            store.add(CheckIn(at=datetime.now().astimezone(), feelings=(Feeling("calm"),)))
    assert _digest(home / "numbtrack.db") == before


@pytest.mark.parametrize("content", [b"garbage " * 100, b"SQLite format 3\x00" + b"\x01" * 50])
def test_a_file_that_is_not_a_database_is_left_untouched(home: Path, content: bytes) -> None:
    home.mkdir(mode=0o700)
    (home / "numbtrack.db").write_bytes(content)
    with pytest.raises(StoreError, match="not a numbtrack database"):
        Store()
    assert (home / "numbtrack.db").read_bytes() == content


def test_an_old_store_is_backed_up_before_it_is_upgraded(home: Path) -> None:
    with Store() as store:
        store.add(CheckIn(at=datetime.now().astimezone(), feelings=(Feeling("flat"),)))
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn, conn:
        # pretend the note search migration has not run yet
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE name = ?",
            [migrations.m002_enable_note_search.__name__],
        )
        conn.execute("DROP TABLE checkins_fts")
        for trigger in [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        ]:
            conn.execute(f"DROP TRIGGER [{trigger}]")
    with Store() as store:
        assert store.count() == 1
        assert store.query(Filter(text="anything")) == []
    backups = list((home / "backups").glob("*before-upgrade.db"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    with closing(sqlite3.connect(backups[0])) as old:
        assert old.execute("SELECT count(*) FROM checkins").fetchone()[0] == 1


def test_the_last_word_outside_numb_before_a_day_ignores_that_day_and_numb_words(
    home: Path,
) -> None:
    from zoneinfo import ZoneInfo

    far_west = ZoneInfo("Pacific/Pago_Pago")  # UTC-11: late evening is the next day in UTC
    with Store() as s:
        s.add(CheckIn(at=datetime(2026, 3, 1, 9, 0, tzinfo=far_west), feelings=(Feeling("sad"),)))
        s.add(
            CheckIn(
                at=datetime(2026, 3, 1, 23, 30, tzinfo=far_west),
                feelings=(Feeling("calm"), Feeling("numb")),
            )
        )
        s.add(CheckIn(at=datetime(2026, 3, 2, 8, 0, tzinfo=far_west), feelings=(Feeling("glad"),)))
        found = s.last_non_numb_word(datetime(2026, 3, 2).date())
    assert found == (datetime(2026, 3, 1, 23, 30, tzinfo=far_west), "calm")


def test_day_tallies_count_each_day_as_the_summary_does(home: Path) -> None:
    from datetime import date

    from numbtrack import demo, summary

    rows = list(demo.generate(0.3, seed=3, until=date(2026, 11, 25)))
    start, end = date(2026, 9, 1), date(2026, 11, 25)
    with Store() as s:
        s.put_many(rows)
        tallies = s.day_tallies(start, end)
        full = s.between(start, end)
    expected = [
        (d.day, d.checkins, d.numb, sorted(d.can_feel))
        for d in summary.summarize(full, start, end).days
    ]
    found = [
        (d.day, d.checkins, d.numb, sorted(d.can_feel))
        for d in summary.days_from_tallies(tallies, start, end)
    ]
    assert found == expected


def test_count_days_is_count_of_the_same_period(home: Path) -> None:
    """count_days reads only the day index; it must count what count(Filter) does, also for
    check-ins whose local day is a day away from their UTC one (UTC+14 and UTC-12)."""
    from datetime import date, timedelta, timezone

    zones = [timezone(timedelta(hours=h)) for h in (14, -12, 0, 5)]
    with Store() as s:
        for i in range(40):
            at = datetime(2026, 3, 1 + i // 8, 23 if i % 2 else 0, 30, tzinfo=zones[i % 4])
            s.add(CheckIn(at=at, feelings=(Feeling("calm"),)))
        periods = [(date(2026, 3, a), date(2026, 3, b)) for a in range(1, 8) for b in range(a, 8)]
        found = [s.count_days(a, b) for a, b in periods]
        expected = [s.count(Filter(since=a, until=b)) for a, b in periods]
    assert found == expected


def test_a_page_is_the_same_whichever_way_the_store_reads_it(home: Path) -> None:
    """query() reads a page in time order when many check-ins match, and from the matches
    otherwise (`matching` decides); both must give the very same rows."""
    from datetime import date

    from numbtrack import demo

    with Store() as s:
        s.put_many(demo.generate(1.0, seed=4, until=date(2026, 11, 25)))
        filters = [
            Filter(words=("foggy",)),
            Filter(state="numb"),
            Filter(tags=("weekend",), since=date(2026, 3, 1)),
            Filter(until=date(2026, 2, 1)),
            Filter(text="walked", regions=("chest",)),
        ]
        for f in filters:
            total = s.count(f)
            for offset in (0, 100, max(0, total - 50)):
                fitted = s.query(f, limit=100, offset=offset, matching=total)
                plain = s.query(f, limit=100, offset=offset)
                assert [c.id for c in fitted] == [c.id for c in plain], (f, offset)


def test_since_and_until_hold_local_days_at_the_edges_of_the_world(home: Path) -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    east, west = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")  # +14, -11
    with Store() as s:
        for zone in (east, west):
            for day in (1, 2, 3):
                for hour, minute in ((0, 5), (23, 55)):
                    s.add(
                        CheckIn(
                            at=datetime(2026, 3, day, hour, minute, tzinfo=zone),
                            feelings=(Feeling("calm"),),
                        )
                    )
        f = Filter(since=date(2026, 3, 2), until=date(2026, 3, 2))
        found = s.query(f, limit=100, matching=s.count(f))
    assert sorted((c.at.day, c.at.hour) for c in found) == [(2, 0), (2, 0), (2, 23), (2, 23)]
