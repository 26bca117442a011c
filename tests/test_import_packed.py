"""The packed readers an import uses (native.iter_jsonl_packed, native.iter_csv_packed) give
exactly what the usual readers give, packed: the same check-ins, or the same sentence naming
the same line, for files as numbtrack writes them and for every odd line around them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numbtrack.errors import InvalidInput
from numbtrack.exchange import native
from numbtrack.exchange.records import FIELDS
from numbtrack.models import CheckIn, unmark_own
from numbtrack.store import pack

from .strategies import checkins as checkin_strategy
from .test_exchange import _GOOD, _TRICKY


def _outcome(read: Callable[[], Iterable[Any]]) -> object:
    try:
        return list(read())
    except InvalidInput as exc:
        return exc.message


def _usual(items: Iterator[CheckIn]) -> Iterator[tuple[Any, ...]]:
    return (pack(unmark_own(c)) for c in items)


def _same_jsonl(lines: list[str]) -> object:
    packed = _outcome(lambda: native.iter_jsonl_packed(lines))
    assert packed == _outcome(lambda: _usual(native.iter_jsonl(lines)))
    return packed


def _same_csv(text: str) -> object:
    def rows() -> Iterator[str]:
        return iter(io.StringIO(text, newline=""))

    packed = _outcome(lambda: native.iter_csv_packed(rows()))
    assert packed == _outcome(lambda: _usual(native.iter_csv(rows())))
    return packed


def _as_exported(d: dict[str, Any]) -> str:
    """A record with every field, in the order and spacing numbtrack writes (the plain kind
    the packed reader takes without json.loads)."""
    stamp = "2020-01-01T08:00:00.000000Z"
    given = {"day": str(d.get("at", ""))[:10], "created_at": stamp, "updated_at": stamp, **d}
    full = {n: given.get(n, [] if n in native._LIST_FIELDS else None) for n in FIELDS}
    full.update({k: v for k, v in d.items() if k not in full})
    return json.dumps(full, ensure_ascii=False)


def test_a_line_as_numbtrack_writes_it_is_read_without_json_loads() -> None:
    """The shortcut is taken (else the tests here would compare the usual way with itself)."""
    d = {**_GOOD, "state": "feeling", "practices": ["music"], "note": 'a "b"\n'}
    packed = native.Checker().packed_line(_as_exported(d))
    assert packed[0] == _GOOD["id"]


@pytest.mark.parametrize("name", sorted(_TRICKY))
def test_packed_lines_give_what_the_usual_reader_gives(name: str) -> None:
    d = {**_GOOD, "state": "feeling", **_TRICKY[name]}
    _same_jsonl([_as_exported(d)])
    _same_jsonl([json.dumps(d)])


ODD_LINES = {
    "escaped note": {"note": 'said "stop"\\ then\n\tleft \u00e9'},
    "lone surrogate": {"note": "\ud800"},
    "line separators in the note": {"note": "a\u2028b\x1ec"},
    "carriage return in the note": {"note": "a\rb"},
    "brackets in a tag": {"tags": ["a]b"]},
    "brackets in the note": {"note": '], "tags": ["x"]'},
    "alias practice": {"practices": ["walk"]},
    "alias word and odd quality": {
        "feelings": [{"word": "Calm"}],
        "sensations": [{"region": "chest", "quality": "tightish"}],
    },
    "own quality": {"sensations": [{"region": "chest", "quality": "fizzy", "custom": True}]},
    "no state": {"state": None},
    "sleep of a whole number": {"sleep_hours": 8},
    "sleep in exponent form": {"sleep_hours": 1e1},
    "sleep of 24.5": {"sleep_hours": 24.5},
    "can_feel 10": {"can_feel": 10},
    "can_feel 11": {"can_feel": 11},
    "empty stamps": {"created_at": "", "updated_at": ""},
    "typed names": {
        "practices": ["movement"],
        "typed": [{"kind": "practice", "typed": "walk", "name": "movement"}],
    },
    "deep list": {"tags": [["work"]]},
    "several sensations": {
        "sensations": [
            {"region": "chest", "quality": "tight", "intensity": i, "tone": "pleasant"}
            for i in (1, 2, 2)
        ]
    },
    "a brace in a quality": {"sensations": [{"region": "chest", "quality": "a}, {b"}]},
    "a sensation of intensity 6": {
        "sensations": [{"region": "chest", "quality": "tight", "intensity": 6}]
    },
    "an alias region": {"sensations": [{"region": "tummy", "quality": "tight"}]},
    "sensations out of order": {"sensations": [{"quality": "tight", "region": "chest"}]},
    "an own quality twice": {
        "sensations": [
            {"region": "chest", "quality": "fizzy", "custom": True, "intensity": 2},
            {"region": "jaw", "quality": "fizzy", "custom": True, "tone": "neutral"},
        ]
    },
    "101 sensations": {"sensations": [{"region": "chest", "quality": "tight"}] * 101},
    "a sensation not an object": {"sensations": [{"region": "chest", "quality": "tight"}, 3]},
    **{
        f"at {at}": {"at": at}
        for at in (
            "2020-01-01T09:00:00-00:00",
            "2020-01-01T09:00:00+05:30",
            "2020-01-01T09:00:00-09:30",
            "2020-01-01T09:00:00+24:00",
            "2020-01-01T09:00:00+23:59",
            "2020-01-01T09:00:00+00:60",
            "2020-01-01T09:00:00Z",
            "2020-01-01T09:00:00.500000+01:00",
            "2020-01-01T09:00+01:00",
            "2020-02-30T09:00:00+01:00",
            "2020-01-01T24:00:00+01:00",
            "1900-01-01T00:30:00+01:00",
            "1900-01-01T00:30:00-01:00",
            "1900-01-01T00:00:00+00:00",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "2999-01-01T09:00:00+01:00",
        )
    },
}


@pytest.mark.parametrize("name", sorted(ODD_LINES))
def test_odd_lines_give_what_the_usual_reader_gives(name: str) -> None:
    d = {**_GOOD, "state": "feeling", **ODD_LINES[name]}
    _same_jsonl([_as_exported(d)])


@pytest.mark.parametrize(
    "edit",
    [
        lambda line: line + "\r",
        lambda line: line + " ",
        lambda line: line.replace('"can_feel": null', '"can_feel": 05'),
        lambda line: line.replace('"note": "a', '"note": "\ta'),
        lambda line: line.replace('"note": "a', '"note": "\\qa'),
        lambda line: line.replace('"tags": [', '"tags": [,'),
        lambda line: line.replace(', "updated_at"', ', "updated_at": "x", "updated_at"'),
        lambda line: line[:-1],
    ],
)
def test_lines_bent_out_of_shape_give_what_the_usual_reader_gives(
    edit: Callable[[str], str],
) -> None:
    good = _as_exported({**_GOOD, "state": "feeling"})
    _same_jsonl([native.JSONL_HEADER, good, edit(good), native.jsonl_end(2)])


def test_a_bad_line_is_named_by_its_number() -> None:
    good = _as_exported({**_GOOD, "state": "feeling"})
    bad = _as_exported({**_GOOD, "state": "feeling", "feelings": [{"word": "calmm"}]})
    said = _same_jsonl([native.JSONL_HEADER, good, good, bad, native.jsonl_end(3)])
    assert isinstance(said, str) and said.startswith("Line 4: ")


def test_more_after_the_closing_line_and_a_cut_off_file_are_refused() -> None:
    good = _as_exported({**_GOOD, "state": "feeling"})
    after = _same_jsonl([native.JSONL_HEADER, good, native.jsonl_end(1), good])
    cut = _same_jsonl([native.JSONL_HEADER, good, good])
    assert (isinstance(after, str), isinstance(cut, str)) == (True, True)


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([FIELDS, *rows])
    return out.getvalue()


@pytest.mark.parametrize("name", sorted({**_TRICKY, **ODD_LINES}))
def test_packed_csv_rows_give_what_the_usual_reader_gives(name: str) -> None:
    from numbtrack.exchange.records import from_dict

    d = {**_GOOD, "state": "feeling", **{**_TRICKY, **ODD_LINES}[name]}
    try:
        row = native.csv_row(from_dict(d))
    except (InvalidInput, AttributeError, TypeError):
        return  # not a check-in a CSV row can hold
    _same_csv(_csv_text([row]))


@pytest.mark.parametrize(
    "cells",
    [
        {"day": "2020-01-02"},
        {"at": "2020-01-01T09:00:00-00:00", "day": "2020-01-01"},
        {"at": "2020-01-01T23:30:00-05:30", "day": "2020-01-01"},
        {"at": "2020-01-01T09:00:00+24:00"},
        {"at": "2020-01-01T09:00:00Z"},
        {"at": "1900-01-01T00:30:00+01:00", "day": "1900-01-01"},
        {"at": "0001-01-01T00:00:00+01:00", "day": "0001-01-01"},
        {"can_feel": "+5"},
        {"can_feel": "x"},
        {"sleep_hours": "nan"},
        {"state": ""},
        {"feelings": "calm|calm:2|Calm"},
        {"sensations": "chest:tight:3:more:pleasant|jaw:dull:9"},
        {"practices": "walk"},
        {"tags": "Work|#work|work"},
        {"note": "'=SUM(A1)"},
    ],
)
def test_odd_csv_cells_give_what_the_usual_reader_gives(cells: dict[str, str]) -> None:
    from numbtrack.exchange.records import from_dict

    row = native.csv_row(from_dict({**_GOOD, "state": "feeling"}))
    for name, value in cells.items():
        row[FIELDS.index(name)] = value
    _same_csv(_csv_text([row, row]))


@settings(max_examples=60, deadline=None)
@given(history=st.lists(checkin_strategy, max_size=8))
def test_exports_read_packed_give_the_same_check_ins(history: list[CheckIn]) -> None:
    """What numbtrack writes, JSON Lines and CSV, read both ways."""
    out = io.StringIO(newline="")
    native.write_jsonl(history, out)
    _same_jsonl(out.getvalue().split("\n"))
    out = io.StringIO(newline="")
    native.write_csv(history, out, typed_column=any(c.typed for c in history))
    _same_csv(out.getvalue())
