"""A sync reads its files' check-ins packed (numbtrack.sync.packed), as an import reads its
own JSON Lines: the same check-ins, stored the same way and merged by the same rule, as when
each one is read and validated on its own. Records of any other kind (aliases, escapes, the
person's own names, damage) take the usual way, with its sentences."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numbtrack import exchange
from numbtrack.errors import InvalidInput
from numbtrack.exchange.records import FIELDS, OPTIONAL
from numbtrack.models import CheckIn, Feeling, Sensation, validate
from numbtrack.store import Filter, Store, SyncApplied, pack
from numbtrack.sync import files
from numbtrack.sync.files import Batch, Header
from tests.strategies import checkins

DEVICE = "0123456789abcdef"
AT = datetime.fromisoformat("2026-11-02T09:00:00+01:00")


def encoded(puts: list[CheckIn], deletes: list[tuple[str, str]] | None = None) -> bytes:
    return files.encode(Batch(Header(DEVICE, "other", 1), puts, deletes or []))


def with_lines(lines: list[str], *, damage: bytes = b"") -> bytes:
    """A sync file holding these records, whole (its end record counts and hashes them);
    with `damage`, each "é" in them is those bytes."""
    import hashlib

    head = {"format": "numbtrack-sync", "version": 1, "device": DEVICE, "name": "other",
            "seq": 1, "kind": "changes", "acks": {}, "written_at": ""}  # fmt: skip
    text = "".join(line + "\n" for line in [json.dumps(head), *lines])
    body = text.encode("utf-8", "surrogatepass")
    if damage:
        body = body.replace("é".encode(), damage)
    end = {"end": {"count": len(lines), "sha256": hashlib.sha256(body).hexdigest()}}
    return body + (json.dumps(end) + "\n").encode("utf-8")


def record(**fields: Any) -> str:
    """A put record, its fields in the order numbtrack writes them."""
    put = {"id": "11111111-2222-4333-8444-555555555555", "at": "2026-11-02T09:00:00+01:00",
           "state": "feeling", "feelings": [{"word": "calm"}],
           "created_at": "2026-11-02T08:00:00.000000Z",
           "updated_at": "2026-11-02T08:00:00.000000Z"}  # fmt: skip
    put.update(fields)
    order = [*FIELDS, *OPTIONAL]
    put = dict(sorted(put.items(), key=lambda kv: order.index(kv[0])))
    return json.dumps({"put": put}, ensure_ascii=False, separators=(",", ":"))


def both_ways(data: bytes) -> tuple[Batch, Batch]:
    return files.decode(data, "f"), files.decode(data, "f", files.reader())


def seen(store: Store) -> tuple[str, str, object, list[str]]:
    """What a person can see of a store: both exports, own names, what search finds."""
    csv, jsonl = io.StringIO(), io.StringIO()
    exchange.export(store, Filter(), csv, "csv")
    exchange.export(store, Filter(), jsonl, "jsonl")
    found = [c.id for c in store.query(Filter(text="quiet"))]
    return csv.getvalue(), jsonl.getvalue(), store.own(), found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(checkins, max_size=6, unique_by=lambda c: c.id))
def test_a_packed_put_is_the_checkin_validate_makes(cs: list[CheckIn]) -> None:
    plain, fast = both_ways(encoded([validate(c) for c in cs]))
    assert [checked(item) for item in fast.packed] == [checked(c) for c in plain.puts]


def checked(item: CheckIn | tuple[Any, ...]) -> tuple[Any, ...]:
    """A put as `Store.apply_sync` takes it in, packed: validated unless it was packed."""
    if isinstance(item, tuple):
        return item
    return pack(Store._checked(item, (set(), set(), set())))


def test_a_checkin_as_numbtrack_writes_it_is_packed() -> None:
    c = validate(
        CheckIn(
            at=AT,
            can_feel=3,
            feelings=(Feeling("calm", 2), Feeling("numb")),
            sensations=(Sensation("chest", "tight", 3, "more", "unpleasant"),),
            practices=("music",),
            tags=("work",),
            sleep_hours=7.5,
            note='a "quiet" morning\nand a second line',
            created_at="2026-11-02T08:00:00.000000Z",
            updated_at="2026-11-02T08:00:00.000000Z",
        )
    )
    _, fast = both_ways(encoded([c]))
    assert fast.packed == [pack(c)]


@pytest.mark.parametrize(
    "line",
    [
        record(feelings=[{"word": "blah"}]),  # an alias: validate notes a typed name
        record(feelings=[{"word": "Calm"}]),  # another spelling
        record(sensations=[{"region": "shoulders", "quality": "tight", "custom": False}]),
        record(sensations=[{"region": "chest", "quality": "swimmy", "custom": True}]),
        record(practices=["walk"]),
        record(practices=["meditation:own"]),
        record(feelings=[{"word": "wabi", "custom": True}]),
        record(note="a\r\nnote"),
        record(at="2026-11-02T09:00:00.5+01:00"),
        record(tags=["Work", "work"]),
        record(state="Numb"),
        record(feelings=[{"word": "calm"}, {"word": "calm"}]),
        record(sensations=[{"region": "chest", "quality": "tight", "custom": False}] * 2),
        record(day="2026-11-02"),
        record(typed=[{"kind": "practice", "typed": "walk", "name": "movement"}]),
    ],
)
def test_other_records_read_as_the_usual_way_reads_them(line: str) -> None:
    plain, fast = both_ways(with_lines([line]))
    assert [checked(item) for item in fast.packed] == [checked(c) for c in plain.puts]


@pytest.mark.parametrize(
    "line",
    [
        record(feelings=[{"word": "wabi"}]),  # unknown, not kept on purpose
        record(sleep_hours=25),
        record(at="2999-01-01T00:00:00+00:00"),
        record(note="a \u0000 NUL"),
        record(sensations=[{"region": "chest", "quality": "tight", "intensity": 9}]),
        record(tags=["x" * 200]),
        record(note="\ud800"),
        record(sensations=[{"region": "chest},{x", "quality": "tight", "custom": False}]),
    ],
)
def test_a_refused_record_is_refused_in_the_same_words(line: str) -> None:
    plain, fast = both_ways(with_lines([line]))
    (item,) = fast.packed
    assert not isinstance(item, tuple)
    with pytest.raises(InvalidInput) as usual:
        Store._checked(plain.puts[0], (set(), set(), set()))
    with pytest.raises(InvalidInput) as packed:
        Store._checked(item, (set(), set(), set()))
    assert packed.value.message == usual.value.message


@pytest.mark.parametrize(
    "line",
    [
        '{"put":{"id":"11111111-2222-4333-8444-555555555555","at":"x"',
        record(feelings="calm"),
        '{"put":{"id":"11111111-2222-4333-8444-555555555555"},"x":1}',
        record(sensations=[{"region": "chest", "quality": "tight", "custom": False}, {}]),
    ],
)
def test_a_damaged_record_is_named_in_the_same_words(line: str) -> None:
    with pytest.raises(InvalidInput) as usual:
        files.decode(with_lines([line]), "f")
    with pytest.raises(InvalidInput) as packed:
        files.decode(with_lines([line]), "f", files.reader())
    assert packed.value.message == usual.value.message


def test_a_file_that_is_not_utf8_reads_as_before() -> None:
    data = with_lines([record(note="caf\u00e9 quiet")], damage=b"\xe9")
    with pytest.raises(InvalidInput) as usual:
        files.decode(data, "f")
    with pytest.raises(InvalidInput) as packed:
        files.decode(data, "f", files.reader())
    assert packed.value.message == usual.value.message


def one(cid: str, note: str, stamp: str, word: str = "calm") -> CheckIn:
    return validate(
        CheckIn(
            at=AT, id=cid, feelings=(Feeling(word),), note=note, created_at=stamp, updated_at=stamp
        )
    )


def ids(n: int) -> str:
    return f"{n:08d}-2222-4333-8444-555555555555"


def test_a_sync_stores_and_merges_what_the_usual_way_does(tmp_path: Path) -> None:
    """New ids, a newer and an older version of stored ones, one deleted here, one twice in
    the file, aliases and own names: both ways end with the same store."""
    early, late = "2026-11-02T08:00:00.000000Z", "2099-01-01T00:00:00.000000Z"
    lines = [
        record(id=ids(1), note="quiet new"),
        record(id=ids(2), note="newer, quiet", updated_at=late),
        record(id=ids(3), note="older", updated_at="2001-01-01T00:00:00.000000Z"),
        record(id=ids(4), note="back after a delete", updated_at=late),
        record(id=ids(5), note="first of two"),
        record(id=ids(5), note="second of two", updated_at=late),
        record(id=ids(6), feelings=[{"word": "blah"}], practices=["walk"]),
        record(id=ids(7), feelings=[{"word": "wabi", "custom": True}]),
        record(id=ids(8), feelings=[{"word": "wabi"}]),  # kept: wabi is an own word by now
        record(
            id=ids(9),
            sensations=[{"region": "chest", "quality": "swimmy", "custom": True}],
            practices=["meditation:own"],
        ),
    ]
    data = with_lines(lines)
    plain, fast = both_ways(data)
    assert sum(isinstance(item, tuple) for item in fast.packed) >= 5  # the plain ones
    results: list[SyncApplied] = []
    views = []
    for name, puts in (("usual", plain.puts), ("packed", fast.packed)):
        with Store(tmp_path / name / "numbtrack.db") as store:
            for n in (2, 3, 4):
                store.add(one(ids(n), f"here {n}", early))
            store.delete(ids(4))
            results.append(store.apply_sync([(DEVICE, puts, [(ids(1), early)])], []))
            views.append(seen(store))
    assert results[0] == results[1]
    assert views[0] == views[1]
