"""JSON exports and `list --all --json` made from the CSV part cells (checkins.parts_csv, m010).

What a person would notice if it went wrong: a JSON Lines or JSON export, or `list --all
--json`, that says something other than what was recorded. The fast way turns each distinct
CSV cell into its JSON once (exchange.native.json_from_cells); here every output is compared
with the records SQLite writes from the part tables (`Store.iter_text`, the way before) and
with what the plain writers write over CheckIns, on random stores, awkward names, check-ins
without the column, a store whose column was made with another vocabulary, and cells that do
not read back (a store written by some other tool).
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numbtrack import exchange, quick_export
from numbtrack.errors import InvalidInput
from numbtrack.exchange import native
from numbtrack.models import CheckIn, Feeling, Sensation, validate
from numbtrack.store import Filter, Store

from .strategies import checkins as checkin_strategy

AT = datetime(2026, 3, 1, 9).astimezone()

histories = st.lists(checkin_strategy, min_size=0, max_size=12, unique_by=lambda c: c.id)


def _fill(history: list[CheckIn]) -> Store:
    store = Store()
    store.conn.execute("DELETE FROM checkins")  # hypothesis reuses the folder between examples
    for c in history:
        store.add(c)
    return store


def _by_sql(store: Store, kind: str) -> str:
    """Every record of `kind` as SQLite writes it whole (the way before), joined by lines."""
    newest_first = kind == "json-list"
    batches = store.iter_text(kind, typed=store.any_typed(), newest_first=newest_first)
    return "\n".join(record for batch in batches for (record,) in batch)


def _from_cells(store: Store, kind: str) -> str:
    """The same records the fast way."""
    batches = exchange.json_records(
        store, kind, Filter(), typed=store.any_typed(), newest_first=kind == "json-list"
    )
    return "\n".join(record for batch in batches for record in batch)


def _list_json(store: Store) -> str:
    """What `list --all --json` prints."""
    out = io.StringIO()
    native.write_json_list_records(
        exchange.json_records(
            store, "json-list", Filter(), typed=store.any_typed(), newest_first=True
        ),
        out,
    )
    return out.getvalue()


def _as_json_dumps_writes(store: Store) -> str:
    listed = [native.to_dict(c) for c in store.iter_all(newest_first=True)]
    return json.dumps(listed, ensure_ascii=False, indent=2) + "\n"


def _plain(store: Store, fmt: str) -> str:
    out = io.StringIO()
    exchange.write(store.iter_all(), out, fmt)
    return out.getvalue()


def _fast(store: Store, fmt: str) -> str:
    out = io.StringIO()
    exchange.export(store, Filter(), out, fmt)
    return out.getvalue()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories, kind=st.sampled_from(["jsonl", "json-list"]))
def test_records_from_cells_are_the_records_sqlite_writes(
    history: list[CheckIn], kind: str
) -> None:
    with _fill(history) as store:
        assert _from_cells(store, kind) == _by_sql(store, kind)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories)
def test_list_all_json_from_cells_is_what_json_dumps_writes(history: list[CheckIn]) -> None:
    with _fill(history) as store:
        assert _list_json(store) == _as_json_dumps_writes(store)


def _parts_of(record: str) -> list[object]:
    d = json.loads(record)
    return [d["feelings"], d["sensations"], d["practices"], d["tags"]]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    history=st.lists(checkin_strategy, min_size=2, max_size=20, unique_by=lambda c: c.id),
    repeats=st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), max_size=10),
)
def test_equal_cells_are_equal_json_parts(
    history: list[CheckIn], repeats: list[tuple[int, int]]
) -> None:
    # Some check-ins take another's parts, so that equal cells are met more than once.
    history = list(history)
    for a, b in repeats:
        if a < len(history) and b < len(history):
            x, y = history[a], history[b]
            history[b] = CheckIn(
                id=y.id,
                at=y.at,
                feelings=x.feelings,
                sensations=x.sensations,
                practices=x.practices,
                tags=x.tags,
            )
    with _fill(history) as store:
        rows = store.conn.execute("SELECT id, parts_csv FROM checkins").fetchall()
        records = {json.loads(r)["id"]: r for batch in store.iter_text("jsonl") for (r,) in batch}
    seen: dict[str, list[object]] = {}
    for cid, cells in rows:
        for cell, parts in zip(cells.split(","), _parts_of(records[cid]), strict=True):
            assert seen.setdefault(cell, [parts]) == [parts]


def _awkward(store: Store) -> None:
    """Own names in many scripts and with apostrophes and hyphens, tags with colons, quotes
    and non-ASCII, every optional field of a part given or not, and the same cells again."""
    feelings = [
        (Feeling("glimmery", 2, custom=True), Feeling("calm")),
        (Feeling("ça-va", None, custom=True), Feeling("numb", 5)),
        (Feeling("tränen", 1, custom=True), Feeling("gut's", custom=True)),
        (Feeling("日本", custom=True),),
        (),
    ]
    sensations = [
        (Sensation("chest", "swimmy", 3, "more", "pleasant", True),),
        (Sensation("head", "tight", None, None, "neutral"), Sensation("feet", "cold", 5, "less")),
        (Sensation("hands", "kribbelig", custom=True), Sensation("jaw", "numb", 2)),
        (),
    ]
    practices = [("knitting:own", "music"), ("smell",), ("prière:own",), ()]
    tags = [
        ("work",),
        ('say-"hi"', "a:b", "éte"),
        ("x:own", "1:2:3", "'tick", "=sum"),
        ("emoji-😶",),
        (),
    ]
    for i in range(40):
        store.add(
            CheckIn(
                at=AT + timedelta(minutes=i),
                can_feel=i % 11,
                feelings=feelings[i % len(feelings)],
                sensations=sensations[i % len(sensations)],
                practices=practices[i % len(practices)],
                tags=tags[i % len(tags)],
                note=None if i % 3 else f'note "{i}", ü',
                sleep_hours=None if i % 2 else 0.1 + 0.2,
            )
        )


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_exports_of_awkward_names_are_what_the_plain_writers_write(fmt: str) -> None:
    with Store() as store:
        _awkward(store)
        assert _fast(store, fmt) == _plain(store, fmt)


def test_list_all_json_of_awkward_names_is_what_json_dumps_writes() -> None:
    with Store() as store:
        _awkward(store)
        assert _list_json(store) == _as_json_dumps_writes(store)


def test_the_quick_list_prints_what_json_dumps_writes(capsys: pytest.CaptureFixture[str]) -> None:
    with Store() as store:
        _awkward(store)
        expected = _as_json_dumps_writes(store)
        quick_export.write_list_json(store, Filter())
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize("kind", ["jsonl", "json-list"])
def test_check_ins_without_cells_get_their_parts_from_sqlite(kind: str) -> None:
    with Store() as store:
        _awkward(store)
        store.conn.execute("UPDATE checkins SET parts_csv = NULL WHERE pk % 3 = 0")
        assert _from_cells(store, kind) == _by_sql(store, kind)


@pytest.mark.parametrize("kind", ["jsonl", "json-list"])
def test_cells_made_with_another_vocabulary_are_not_used(kind: str) -> None:
    with Store() as store:
        _awkward(store)
        store.conn.execute("UPDATE parts_csv_vocab SET vocab = 'another'")
        # Cells that would say otherwise, to show they are not read.
        store.conn.execute("UPDATE checkins SET parts_csv = 'calm,,,' WHERE parts_csv <> ''")
        assert _from_cells(store, kind) == _by_sql(store, kind)


@pytest.mark.parametrize(
    "cells",
    [
        "calm,,,,",  # five cells
        "calm,,",  # three
        "calm:9,,,",  # an intensity out of range
        "calm:own:3,,,",  # marks out of order
        ":2,,,",  # no word
        "calm||numb,,,",  # an empty item
        ",chest,,",  # a sensation without a quality
        ",chest:tight:sideways,,",  # not a direction
        ",chest:tight:own,,",  # a shipped quality marked own
        ",chest:swimmy,,",  # an own quality not marked
        ",chest:tight:3:more:neutral:own:x,,",  # something after the marks
    ],
)
def test_cells_that_do_not_read_back_take_the_records_sqlite_writes(cells: str) -> None:
    # Not something numbtrack writes, but a store is only a file: another tool may have.
    with Store() as store:
        _awkward(store)
        store.conn.execute("UPDATE checkins SET parts_csv = ? WHERE pk % 4 = 1", [cells])
        for kind in ("jsonl", "json-list"):
            assert (kind, _from_cells(store, kind)) == (kind, _by_sql(store, kind))


def test_a_batch_of_cells_that_do_not_read_back_is_written_whole() -> None:
    with Store() as store:
        for i in range(2500):
            store.add(CheckIn(at=AT - timedelta(minutes=i), feelings=(Feeling("calm", 2),)))
        store.conn.execute("UPDATE checkins SET parts_csv = 'calm:2,,,,'")
        assert _fast(store, "jsonl") == _plain(store, "jsonl")


@pytest.mark.parametrize(
    ("checkin", "what"),
    [
        (CheckIn(at=AT, feelings=(Feeling("a,b", custom=True),)), "comma in an own word"),
        (CheckIn(at=AT, feelings=(Feeling("a:b", custom=True),)), "colon in an own word"),
        (CheckIn(at=AT, feelings=(Feeling("a|b", custom=True),)), "pipe in an own word"),
        (CheckIn(at=AT, sensations=(Sensation("chest", "a:b", custom=True),)), "own quality"),
        (CheckIn(at=AT, sensations=(Sensation("chest", "a|b", custom=True),)), "own quality"),
        (CheckIn(at=AT, practices=("a:b:own",)), "colon in an own practice"),
        (CheckIn(at=AT, practices=("a,b:own",)), "comma in an own practice"),
        (CheckIn(at=AT, tags=("a,b",)), "comma in a tag"),
        (CheckIn(at=AT, tags=("a|b",)), "pipe in a tag"),
    ],
)
def test_names_that_would_blur_a_cell_are_refused(checkin: CheckIn, what: str) -> None:
    # Why a cell is a faithful key: no kept name holds the comma between cells, the pipe
    # between items or (but a tag, whose cell is not split further) the colon between fields.
    with pytest.raises(InvalidInput):
        validate(checkin)


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(st.sampled_from(["a", "b,c", "", "é", "“quoted”", "😶", "x\ny"]), max_size=8),
    sep=st.sampled_from([",\n", "\r\n", "\n", ""]),
    start=st.sampled_from(["", "[\n", ",\n  "]),
    end=st.sampled_from(["", "\n", "\r\n"]),
)
def test_records_with_non_ascii_notes_are_written_as_the_joined_text(
    items: list[str], sep: str, start: str, end: str
) -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    native.write_joined(out, items, sep, start, end)
    out.flush()
    assert raw.getvalue() == (start + sep.join(items) + end).encode()
