"""numbtrack's own formats: CSV (one row per check-in, or --long with one row per item),
JSON and JSON Lines. Documented in docs/formats.md.

Writers stream: they take an iterator of check-ins and never hold the history in memory.
Readers validate every check-in as they go, so the first problem is reported with its line,
and return them for one all-or-nothing import.

Spreadsheet safety (OWASP's CSV injection advice): a CSV cell beginning with = + - @, a tab
or a carriage return is written with a leading apostrophe, and so is a cell that already
begins with one, so that reading it back removes exactly one apostrophe and restores it.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone

from numbtrack import lazy
from numbtrack.errors import InvalidInput
from numbtrack.exchange.records import FIELDS, from_dict, to_dict
from numbtrack.models import (
    FIRST_YEAR,
    FUTURE_GRACE_S,
    MAX_ITEMS,
    MAX_NOTE,
    CheckIn,
    Feeling,
    Sensation,
    Typed,
    derive_state,
    keep_own,
    own_practice_item,
    parse_body,
    shown,
    typed_items,
    unmark_own,
    validate,
    whole_number,
)
from numbtrack.vocab import DIRECTIONS, OWN_MARK, TONES

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: an export never needs typing
    from typing import IO, Any, TypeVar

    T = TypeVar("T")

LIST_SEP = "|"
"""Between items in a list cell. Words, tags and regions can never contain it."""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")

LONG_FIELDS = (
    "checkin_id", "at", "day", "kind", "name", "intensity", "region", "quality",
    "direction", "tone", "custom",
)  # fmt: skip


PARTS_KEEP = 10_000
"""At most this many distinct part columns are kept as text while writing (memory stays flat)."""

WRITE_BATCH = 1000
"""Check-ins formatted in memory and written with one call."""

JSON_FORMAT = "numbtrack"
JSON_VERSION = 1


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(TRIGGERS) else cell


def restore(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def feeling_item(f: Feeling) -> str:
    return f.spec() + (":own" if f.custom else "")


def parse_feeling_item(item: str) -> Feeling:
    parts = item.split(":")
    custom = parts[-1] == "own"
    if custom:
        parts.pop()
    if len(parts) == 2 and (level := whole_number(parts[1])) is not None:
        return Feeling(parts[0], level, custom)
    if len(parts) != 1 or not parts[0]:
        raise InvalidInput(f'"{shown(item)}" is not a feeling item (WORD[:1-5][:own]).')
    return Feeling(parts[0], None, custom)


def _num(value: float | int | None) -> str:
    return "" if value is None else repr(value)


TYPED_FIELD = "typed"
"""A last CSV column, written only when some exported check-in keeps a typed name."""


def typed_cell(typed: tuple[Typed, ...]) -> str:
    """KIND:TYPED=NAME items ("practice:walk=movement"); names hold none of : = |."""
    return LIST_SEP.join(f"{t.kind}:{t.typed}={t.name}" for t in typed)


def parse_typed_cell(cell: str) -> tuple[Typed, ...]:
    out = []
    for item in cell.split(LIST_SEP) if cell else []:
        kind, _, rest = item.partition(":")
        typed, _, name = rest.partition("=")
        if not (kind and typed and name):
            raise InvalidInput(f'"{shown(item)}" is not a typed name (KIND:TYPED=NAME).')
        out.append(Typed(kind, typed, name))
    return tuple(out)


def csv_row(c: CheckIn, typed_column: bool = False) -> list[str]:
    return [
        c.id,
        c.at.isoformat(),
        c.day.isoformat(),
        _num(c.can_feel),
        c.state or "",
        LIST_SEP.join(feeling_item(f) for f in c.feelings),
        LIST_SEP.join(s.spec() + (OWN_MARK if s.custom else "") for s in c.sensations),
        LIST_SEP.join(own_practice_item(p) for p in c.practices),
        LIST_SEP.join(c.tags),
        _num(c.sleep_hours),
        c.note or "",
        c.created_at,
        c.updated_at,
        *([typed_cell(c.typed)] if typed_column else []),
    ]


def long_rows(c: CheckIn) -> Iterator[list[str]]:
    head = [c.id, c.at.isoformat(), c.day.isoformat()]
    for f in c.feelings:
        yield [
            *head,
            "feeling",
            f.word,
            _num(f.intensity),
            "",
            "",
            "",
            "",
            "yes" if f.custom else "",
        ]
    for s in c.sensations:
        yield [
            *head, "sensation", f"{s.region}:{s.quality}", _num(s.intensity), s.region,
            s.quality, s.direction or "", s.tone or "", "yes" if s.custom else "",
        ]  # fmt: skip
    for p in c.practices:
        own = own_practice_item(p) != p
        yield [*head, "practice", p, "", "", "", "", "", "yes" if own else ""]
    for t in c.tags:
        yield [*head, "tag", t, "", "", "", "", "", ""]


def _batches(items: Iterable[T], size: int = WRITE_BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for c in items:
        batch.append(c)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_joined(
    out: IO[str], items: Sequence[str], sep: str, start: str = "", end: str = ""
) -> None:
    """out.write(start + sep.join(items) + end), with the same text written, but the items
    that are not ASCII written by themselves (start, sep and end are ASCII).

    A text stream encodes a str of ASCII by copying it, and any other str character by
    character (about 11 instructions each). Joined, one note with a curly quote or an
    accent turns a whole batch of a thousand records into two-byte text, and all of it is
    then encoded the slow way (about 140 M instructions of `list --all --json` at ten
    years, where 7% of the records hold such a note); written apart, only those records are."""
    odd = [i for i, item in enumerate(items) if not item.isascii()]
    if not odd:
        out.write(start + sep.join(items) + end)
        return
    prefix, a = start, 0
    for i in odd:
        if i > a:
            out.write(prefix + sep.join(items[a:i]) + sep)
        elif prefix:
            out.write(prefix)
        out.write(items[i])
        prefix, a = sep, i + 1
    if a < len(items):
        out.write(prefix + sep.join(items[a:]) + end)
    elif end:
        out.write(end)


def write_csv(
    checkins: Iterable[CheckIn], out: IO[str], *, long: bool = False, typed_column: bool = False
) -> int:
    """Write CSV in batches: each batch is formatted into memory and written with one call.
    `typed_column` adds the last column of typed names (not for --long)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    typed_column = typed_column and not long
    writer.writerow(LONG_FIELDS if long else (*FIELDS, TYPED_FIELD) if typed_column else FIELDS)
    n = 0
    for batch in _batches(checkins):
        if long:
            rows: Iterable[list[str]] = (row for c in batch for row in long_rows(c))
        else:
            rows = (csv_row(c, typed_column) for c in batch)
        writer.writerows(
            [("'" + cell if cell.startswith(TRIGGERS) else cell) for cell in row] for row in rows
        )
        out.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
        n += len(batch)
    out.write(buffer.getvalue())
    return n


_encode = json.JSONEncoder(ensure_ascii=False).encode
"""json.dumps(x, ensure_ascii=False), without building an encoder for every call."""

JSONL_HEADER = f'{{"format": "{JSON_FORMAT}", "version": {JSON_VERSION}, "kind": "lines"}}'
"""The first line of a JSON Lines export; a file that starts with it must end with the count."""


def jsonl_end(n: int) -> str:
    """The last line of a JSON Lines export: how many check-ins came before it."""
    return f'{{"end": "{JSON_FORMAT}", "count": {n}}}'


def write_jsonl(checkins: Iterable[CheckIn], out: IO[str]) -> int:
    """One check-in per line, between a header line and a closing count line, so that an
    import can tell a whole file from one cut off at a line boundary."""
    out.write(JSONL_HEADER + "\n")
    n = 0
    for batch in _batches(checkins):
        out.write("".join([_encode(to_dict(c)) + "\n" for c in batch]))
        n += len(batch)
    out.write(jsonl_end(n) + "\n")
    return n


def write_json(checkins: Iterable[CheckIn], out: IO[str]) -> int:
    """A JSON document written piece by piece: {"format", "version", "checkins": [...],
    "count"}; the count after the list lets an import check it has them all."""
    out.write(f'{{"format": "{JSON_FORMAT}", "version": {JSON_VERSION}, "checkins": [')
    n = 0
    for batch in _batches(checkins):
        out.write(
            "".join(
                [
                    ("," if n or i else "") + "\n  " + _encode(to_dict(c))
                    for i, c in enumerate(batch)
                ]
            )
        )
        n += len(batch)
    out.write(f'\n], "count": {n}}}\n')
    return n


# -- fast writers over packed rows (Store.iter_packed) ------------------------------------
#
# Byte for byte the output of write_csv, write_jsonl and write_json above (tests compare them on
# a demo store and on generated histories), without a CheckIn per row: the scalar columns go out
# as they are stored, and each distinct packed part column is turned into its text once, straight
# from its fields (no Feeling or Sensation is built), then reused. The CSV is joined by hand:
# csv.writer looks up every character of every cell in the line terminator, which was most of
# an export's time; a cell is quoted exactly when csv.writer would quote it (`_csv_text`).


class _Cells(dict[str | None, str]):
    """Text for packed part columns: a dict that makes a missing entry on first use (so a hit
    costs one dict lookup), forgetting everything past PARTS_KEEP entries (memory stays flat)."""

    def __init__(self, make: Callable[[str], str], empty: str) -> None:
        super().__init__()
        self.make = make
        self.empty = empty
        self[None] = empty

    def __missing__(self, packed: str | None) -> str:
        if len(self) > PARTS_KEEP:
            self.clear()
            self[None] = self.empty
        text = self[packed] = self.empty if packed is None else self.make(packed)
        return text


def _csv_text(cell: str) -> str:
    """A cell as write_csv writes it: neutralised, then quoted as csv.writer quotes with
    QUOTE_MINIMAL (a cell holding the delimiter, the quote or a line-terminator character is
    quoted, quotes doubled)."""
    if cell.startswith(TRIGGERS):
        cell = "'" + cell
    if '"' in cell or "," in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


@functools.cache
def _unpack() -> Callable[[str, int], list[list[str]]]:
    from numbtrack.store import unpack_fields

    return unpack_fields


def _fields(packed: str, width: int) -> list[list[str]]:
    return _unpack()(packed, width)


@functools.cache
def _own_sets() -> tuple[frozenset[str], frozenset[str]]:
    """The shipped sensation qualities and practices (anything else is a person's own)."""
    from numbtrack import vocab

    v = vocab.load()
    return frozenset(v.qualities), frozenset(v.practices)


def _csv_feelings(packed: str) -> str:
    """feeling_item of each feeling, joined."""
    return _csv_text(
        LIST_SEP.join(
            (w if i == "" else f"{w}:{i}") + (OWN_MARK if custom == "1" else "")
            for w, i, custom in _fields(packed, 3)
        )
    )


def _sensation_spec(r: str, q: str, i: str, d: str, t: str) -> str:
    """Sensation.spec() of stored fields."""
    return ":".join([r, q, *(x for x in (i, d, t) if x)]) if i or d or t else f"{r}:{q}"


def _csv_sensations(packed: str) -> str:
    """spec() of each sensation, with OWN_MARK after an own quality, joined."""
    shipped = _own_sets()[0]
    return _csv_text(
        LIST_SEP.join(
            _sensation_spec(r, q, i, d, t) + ("" if q in shipped else OWN_MARK)
            for r, q, i, d, t in _fields(packed, 5)
        )
    )


def _csv_practices(packed: str) -> str:
    """own_practice_item of each practice, joined."""
    shipped = _own_sets()[1]
    return _csv_text(
        LIST_SEP.join(p if p in shipped else p + OWN_MARK for (p,) in _fields(packed, 1))
    )


def _csv_tags(packed: str) -> str:
    return _csv_text(LIST_SEP.join(t for (t,) in _fields(packed, 1)))


def _opt(text: str) -> int | None:
    return int(text) if text else None


def _json_lists(packed: str, which: int) -> list[Any]:
    """The value to_dict gives the feelings, sensations, practices or tags of packed fields."""
    if which == 0:
        return [
            {"word": w, "intensity": _opt(i), "custom": custom == "1"}
            for w, i, custom in _fields(packed, 3)
        ]
    shipped_q, shipped_p = _own_sets()
    if which == 1:
        return [
            {
                "region": r,
                "quality": q,
                "intensity": _opt(i),
                "direction": d or None,
                "tone": t or None,
                "custom": q not in shipped_q,
            }
            for r, q, i, d, t in _fields(packed, 5)
        ]
    if which == 2:
        return [p if p in shipped_p else p + OWN_MARK for (p,) in _fields(packed, 1)]
    return [t for (t,) in _fields(packed, 1)]


def _json_cells(encode: Callable[[list[Any]], str]) -> list[_Cells]:
    """Four caches of part columns as JSON text: feelings, sensations, practices, tags."""

    def maker(which: int) -> Callable[[str], str]:
        return lambda packed: encode(_json_lists(packed, which))

    return [_Cells(maker(which), encode([])) for which in range(4)]


_QUOTED = lazy.Pattern('["\\r\\n,]')
"""A character csv.writer quotes a cell for."""

_MARKED = lazy.Pattern("\\x00[=+\\-@\\t']")
"""The start of a cell that `neutralise` marks, in cells each preceded by NUL."""


def write_csv_packed(
    rows: Iterable[tuple[Any, ...]], out: IO[str], *, typed_column: bool = False
) -> int:
    """write_csv (not --long) over Store.iter_packed rows, or `exchange.packed_rows` ones
    (a last column of typed names): with `typed_column` the typed column is written."""
    out.write(csv_header(typed_column))
    lines = csv_packed_lines(typed_column)
    n = 0
    for batch in _batches(rows):
        out.write("".join(lines(batch)))
        n += len(batch)
    return n


def csv_header(typed_column: bool) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(
        (*FIELDS, TYPED_FIELD) if typed_column else FIELDS
    )
    return buffer.getvalue()


def csv_packed_lines(typed_column: bool) -> Callable[[Iterable[tuple[Any, ...]]], list[str]]:
    """A function from packed rows to their CSV lines (each ending in CRLF), keeping the text
    of the part columns it has seen from call to call."""
    feelings = _Cells(_csv_feelings, "")
    sensations = _Cells(_csv_sensations, "")
    practices = _Cells(_csv_practices, "")
    tags = _Cells(_csv_tags, "")
    quoted, marked = _QUOTED.search, _MARKED.search
    text = _csv_text

    def lines_of(batch: Iterable[tuple[Any, ...]]) -> list[str]:
        lines = []
        for (
            cid,
            at,
            day,
            can_feel,
            state,
            note,
            sleep,
            created,
            updated,
            fs,
            ss,
            ps,
            ts,
            *t,
        ) in batch:
            if note is None:
                note = ""
            # Rarely anything to quote or mark: then each text cell takes the exact path.
            cells = f"\0{cid}\0{at}\0{day}\0{note}\0{created}\0{updated}"
            if quoted(cells) or marked(cells):
                cid, at, day, note, created, updated = (
                    text(cid), text(at), text(day), text(note), text(created), text(updated)
                )  # fmt: skip
            lines.append(
                f"{cid},{at},{day},{'' if can_feel is None else can_feel},{state or ''},"
                f"{feelings[fs]},{sensations[ss]},{practices[ps]},{tags[ts]},"
                f"{'' if sleep is None else repr(sleep)},{note},{created},{updated}"
                + (f",{text(typed_cell(t[0]) if t else '')}\r\n" if typed_column else "\r\n")
            )
        return lines

    return lines_of


_string = json.encoder.encode_basestring
"""How json.dumps(ensure_ascii=False) writes a string."""


def _compact_records(rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """json.dumps(to_dict(c), ensure_ascii=False) of each packed row."""
    feelings, sensations, practices, tags = _json_cells(_encode)
    s = _string
    for cid, at, day, can_feel, state, note, sleep, created, updated, fs, ss, ps, ts, *t in rows:
        yield (
            f'{{"id": {s(cid)}, "at": {s(at)}, "day": {s(day)},'
            f' "can_feel": {"null" if can_feel is None else can_feel},'
            f' "state": {"null" if state is None else s(state)}, "feelings": {feelings[fs]},'
            f' "sensations": {sensations[ss]}, "practices": {practices[ps]}, "tags": {tags[ts]},'
            f' "sleep_hours": {"null" if sleep is None else repr(sleep)},'
            f' "note": {"null" if note is None else s(note)},'
            f' "created_at": {s(created)}, "updated_at": {s(updated)}'
            + (f', "typed": {_encode(typed_items(t[0]))}}}' if t and t[0] else "}")
        )


def write_jsonl_packed(rows: Iterable[tuple[Any, ...]], out: IO[str]) -> int:
    """write_jsonl over Store.iter_packed rows."""
    out.write(JSONL_HEADER + "\n")
    n = 0
    for batch in _batches(_compact_records(rows)):
        out.write("\n".join(batch) + "\n")
        n += len(batch)
    out.write(jsonl_end(n) + "\n")
    return n


def write_json_packed(rows: Iterable[tuple[Any, ...]], out: IO[str]) -> int:
    """write_json over Store.iter_packed rows."""
    out.write(f'{{"format": "{JSON_FORMAT}", "version": {JSON_VERSION}, "checkins": [')
    n = 0
    for batch in _batches(_compact_records(rows)):
        out.write(("," if n else "") + "\n  " + ",\n  ".join(batch))
        n += len(batch)
    out.write(f'\n], "count": {n}}}\n')
    return n


def write_json_list(rows: Iterable[tuple[Any, ...]], out: IO[str]) -> int:
    """json.dumps([to_dict(c), ...], ensure_ascii=False, indent=2) + "\\n" of packed rows,
    written in batches (what `list --json` prints)."""

    def indented(value: list[Any]) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")

    feelings, sensations, practices, tags = _json_cells(indented)
    s = _string
    n = 0

    def typed_lines(typed: tuple[Typed, ...]) -> str:
        if not typed:
            return ""
        return ',\n    "typed": ' + indented(typed_items(typed))

    for batch in _batches(rows):
        out.write(
            ("," if n else "[")
            + "\n"
            + ",\n".join(
                [
                    f'  {{\n    "id": {s(cid)},\n    "at": {s(at)},\n    "day": {s(day)},'
                    f'\n    "can_feel": {"null" if can_feel is None else can_feel},'
                    f'\n    "state": {"null" if state is None else s(state)},'
                    f'\n    "feelings": {feelings[fs]},\n    "sensations": {sensations[ss]},'
                    f'\n    "practices": {practices[ps]},\n    "tags": {tags[ts]},'
                    f'\n    "sleep_hours": {"null" if sleep is None else repr(sleep)},'
                    f'\n    "note": {"null" if note is None else s(note)},'
                    f'\n    "created_at": {s(created)},\n    "updated_at": {s(updated)}'
                    f"{typed_lines(t[0] if t else ())}\n  }}"
                    for (
                        cid, at, day, can_feel, state, note, sleep, created, updated,
                        fs, ss, ps, ts, *t,
                    ) in batch
                ]
            )
        )  # fmt: skip
        n += len(batch)
    out.write("\n]\n" if n else "[]\n")
    return n


# -- writers over text made by SQLite (Store.iter_text) ------------------------------------
#
# The same bytes again (tests/test_perf.py compares them with the writers above), with even
# less Python per row: SQLite writes each record (or all of a CSV row but its note), and these
# only join a batch of them. Each batch is a list of rows of Store.iter_text; `progress` is told
# how many check-ins have gone by after each.


def _odd(cells: str) -> bool:
    """Whether cells joined (and begun) by commas hold something csv.writer would quote or
    `neutralise` would mark. Only a note does in practice (it is quoted here, the rest by the
    exact path). Substring tests, the rare characters first (a regular expression over every
    cell cost more than all the rest of an export)."""
    return (
        '"' in cells
        or "\r" in cells
        or "\n" in cells
        or ",-" in cells
        or ",+" in cells
        or any(x in cells and "," + x in cells for x in "=@\t'")
    )


def write_csv_text(
    batches: Iterable[list[tuple[Any, ...]]],
    out: IO[str],
    *,
    typed_column: bool = False,
    exact: Callable[[list[int]], dict[int, str]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """write_csv (not --long) over Store.iter_text("csv") rows (pk, the cells before the note
    and a comma, the note, a comma and the cells after it). A row with anything to quote or
    mark outside its note (never, for what numbtrack stores) takes the exact way: `exact`
    gives its line (from write_csv_packed's code) by its pk."""
    out.write(csv_header(typed_column))
    after = 3 if typed_column else 2
    odd, text = _odd, _csv_text
    n = 0
    for batch in batches:
        size = len(batch)
        heads = "," + ",".join([row[1] for row in batch])
        tails = ",".join([row[3] for row in batch])
        if (
            odd(heads)
            or odd(tails)
            or heads.count(",") != 11 * size
            or tails.count(",") != (after + 1) * size - 1
        ):
            lines = _csv_checked(batch, after, exact)
        else:
            lines = [
                head + text(note) + tail if note else head + tail for _, head, note, tail in batch
            ]
        write_joined(out, lines, "\r\n", end="\r\n")
        n += size
        if progress is not None:
            progress(n)
    return n


def _csv_checked(
    batch: list[tuple[Any, ...]], after: int, exact: Callable[[list[int]], dict[int, str]]
) -> list[str]:
    """The lines of a batch that has something to quote or mark outside a note: row by row,
    the exact way for the rows that have."""
    odd, text = _odd, _csv_text
    lines: list[str | int] = []
    for pk, head, note, tail in batch:
        if odd("," + head) or odd(tail) or head.count(",") != 10 or tail.count(",") != after:
            lines.append(pk)
        else:
            lines.append(head + text(note) + tail if note else head + tail)
    found = exact([x for x in lines if isinstance(x, int)])
    return [found[x] if isinstance(x, int) else x for x in lines]


def write_jsonl_text(
    batches: Iterable[list[tuple[Any, ...]]],
    out: IO[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """write_jsonl over Store.iter_text("jsonl") rows."""
    return write_jsonl_records(_records(batches), out, progress=progress)


def write_json_text(
    batches: Iterable[list[tuple[Any, ...]]],
    out: IO[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """write_json over Store.iter_text("jsonl") rows."""
    return write_json_records(_records(batches), out, progress=progress)


def write_json_list_text(batches: Iterable[list[tuple[Any, ...]]], out: IO[str]) -> int:
    """write_json_list over Store.iter_text("json-list") rows."""
    return write_json_list_records(_records(batches), out)


def _records(batches: Iterable[list[tuple[Any, ...]]]) -> Iterator[list[str]]:
    for batch in batches:
        yield [record for (record,) in batch]


def write_jsonl_records(
    batches: Iterable[list[str]],
    out: IO[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """write_jsonl over batches of finished records."""
    out.write(JSONL_HEADER + "\n")
    n = 0
    for batch in batches:
        write_joined(out, batch, "\n", end="\n")
        n += len(batch)
        if progress is not None:
            progress(n)
    out.write(jsonl_end(n) + "\n")
    return n


def write_json_records(
    batches: Iterable[list[str]],
    out: IO[str],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """write_json over batches of finished "jsonl" records."""
    out.write(f'{{"format": "{JSON_FORMAT}", "version": {JSON_VERSION}, "checkins": [')
    n = 0
    for batch in batches:
        write_joined(out, batch, ",\n  ", ("," if n else "") + "\n  ")
        n += len(batch)
        if progress is not None:
            progress(n)
    out.write(f'\n], "count": {n}}}\n')
    return n


def write_json_list_records(batches: Iterable[list[str]], out: IO[str]) -> int:
    """write_json_list over batches of finished "json-list" records."""
    n = 0
    for batch in batches:
        write_joined(out, batch, ",\n", ("," if n else "[") + "\n")
        n += len(batch)
    out.write("\n]\n" if n else "[]\n")
    return n


# -- JSON part fields from the CSV part cells (checkins.parts_csv, m010) --------------------
#
# Store.iter_json_cells gives each record's text without its part fields, and the check-in's
# four CSV part cells (feelings, sensations, practices, tags) joined by commas. A history
# repeats the same cells thousands of times, so each distinct cell becomes its JSON field once
# and is looked up after that. A cell is read strictly as _csv_parts (store.py) and
# store.PartsText write it; names as numbtrack keeps them hold no comma, colon or pipe (see
# models.validate), so the cell gives back the parts it was made of, in order. A cell that does
# not read that way (a store written by some other tool) gives None, and its check-in's record
# is made whole by SQLite as before (`exact`).

_INTENSITIES = frozenset("12345")
"""An intensity as a CSV cell writes it: the same text as its JSON."""

_OWN = OWN_MARK[1:]


class _Parts(dict["Any", "Any"]):
    """The JSON text of distinct cells (or items, or their halves), or None for one that does
    not read back: made on first use, forgetting everything past PARTS_KEEP entries (memory
    stays flat)."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        if len(self) > PARTS_KEEP:
            self.clear()
        text = self[key] = self.make(key)
        return text


_FEELING_KEYS = ("word", "intensity", "custom")
_SENSATION_KEYS = ("region", "quality", "intensity", "direction", "tone", "custom")
"""The keys of to_dict's feelings and sensations, in its order."""


def _template(keys: Sequence[str], start: str, sep: str, end: str) -> str:
    """A %-template of a JSON object of these keys in this layout, one %s per value."""
    return start + sep.join(f'"{k}": %s' for k in keys) + end


def _feeling_json(template: str) -> Callable[[str], str | None]:
    """The JSON of a feeling from its CSV item (feeling_item: word[:intensity][:own]), or
    None when the item is not one."""
    s = _string

    def make(item: str) -> str | None:
        word, *rest = item.split(":")
        intensity = "null"
        if rest and rest[0] in _INTENSITIES:
            intensity = rest.pop(0)
        own = rest == [_OWN]
        if (rest and not own) or not word:
            return None
        return template % (s(word), intensity, "true" if own else "false")

    return make


def _sensation_json(template: str) -> Callable[[str], str | None]:
    """The JSON of a sensation from its CSV item (region:quality[:intensity][:direction]
    [:tone], then :own after an own quality: Sensation.spec), or None when it is not one.
    An item is its region and quality (a few hundred of those in a history) and what follows
    them (a few dozen), each made into its part of the JSON once."""
    s = _string
    shipped = _own_sets()[0]
    cut = template.index("%s", template.index("%s") + 2) + 2  # after the quality's %s
    head_template, tail_template = template[:cut], template[cut:]

    def head(pair: str) -> tuple[str, bool] | None:
        region, quality = pair.split(":")
        if not region or not quality:
            return None
        return head_template % (s(region), s(quality)), quality not in shipped

    def tail(key: tuple[str, bool]) -> str | None:
        after, own = key
        rest = after[1:].split(":") if after else []
        intensity = direction = tone = "null"
        if rest and rest[0] in _INTENSITIES:
            intensity = rest.pop(0)
        if rest and rest[0] in DIRECTIONS:
            direction = s(rest.pop(0))
        if rest and rest[0] in TONES:
            tone = s(rest.pop(0))
        if rest != ([_OWN] if own else []):
            return None
        return tail_template % (intensity, direction, tone, "true" if own else "false")

    heads = _Parts(head)
    tails = _Parts(tail)

    def make(item: str) -> str | None:
        first = item.find(":")
        if first < 0:
            return None
        second = item.find(":", first + 1)
        if second < 0:
            second = len(item)
        got = heads[item[:second]]
        if got is None:
            return None
        text, own = got
        rest = tails[(item[second:], own)]
        return None if rest is None else text + rest

    return make


def _name_json(item: str) -> str | None:
    """The JSON of a practice (own_practice_item) or a tag from its CSV item: the same text."""
    return _string(item) if item else None


def json_from_cells(
    kind: str, exact: Callable[[list[int]], dict[int, str]]
) -> Callable[[list[tuple[Any, ...]]], list[str]]:
    """A function from a batch of Store.iter_json_cells rows of `kind` ("jsonl" or
    "json-list") to its records, the same text as Store.iter_text's; `exact` gives the
    records (by pk) of check-ins whose cells do not read back (made by SQLite)."""
    if kind == "jsonl":
        sep, items_sep, opening, close = ", ", ", ", "[", "]"
        inner = ("{", ", ", "}")
    else:
        sep, items_sep, opening, close = ",\n    ", ",\n      ", "[\n      ", "\n    ]"
        inner = ("{\n        ", ",\n        ", "\n      }")

    def field(key: str, item: Callable[[str], str | None]) -> _Parts:
        texts = _Parts(item)
        start, empty = f'{sep}"{key}": {opening}', f'{sep}"{key}": []'

        def make(cell: str) -> str | None:
            if not cell:
                return empty
            if "," in cell:  # the four cells were not split where they meet
                return None
            try:
                done = [texts[x] for x in cell.split(LIST_SEP)]
                return start + items_sep.join(done) + close
            except TypeError:  # an item that is not one (None)
                return None

        return _Parts(make)

    feelings = field("feelings", _feeling_json(_template(_FEELING_KEYS, *inner)))
    sensations = field("sensations", _sensation_json(_template(_SENSATION_KEYS, *inner)))
    practices = field("practices", _name_json)
    tags = field("tags", _name_json)

    join = "".join

    def records(batch: list[tuple[Any, ...]]) -> list[str]:
        out: list[Any] = []
        odd: list[int] = []
        for pk, head, cells, tail in batch:
            if cells is None:
                out.append(head + tail)
                continue
            try:
                f, s, p, t = cells.split(",", 3)
                out.append(join((head, feelings[f], sensations[s], practices[p], tags[t], tail)))
            except (TypeError, ValueError):  # a cell that does not read back (None), or not 4
                odd.append(len(out))
                out.append(pk)
        if odd:
            found = exact([out[i] for i in odd])
            for i in odd:
                out[i] = found[out[i]]
        return out

    return records


def _cut_off(expected: int | None, found: int) -> InvalidInput:
    said = (
        f"says it holds {expected:,} check-ins but ends after {found:,}"
        if expected is not None
        else f"ends after {found:,} check-ins without its closing count"
    )
    return InvalidInput(
        f"This numbtrack export {said}: it was cut off (an interrupted copy or download?); "
        "nothing was imported, so export it again."
    )


# -- reading -----------------------------------------------------------------------------

_UUID = lazy.Pattern(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_FIELD_SET = frozenset(FIELDS)
_FIRST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
_PROBE_ID = "00000000-0000-4000-8000-000000000000"
_PROBE_AT = "2000-01-01T00:00:00+00:00"
_PROBE_LOCAL = "2000-01-01T00:00:00"
_FIRST_UTC = _FIRST.replace(tzinfo=None)
_AT = lazy.Pattern(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})([+-][0-9]{2}:[0-9]{2})"
)
"""A time as numbtrack writes it: local date and time to the second, then the UTC offset."""
_NOTHING: tuple[Any, ...] = ()
_COLUMNS = {"f": "feelings", "s": "sensations", "p": "practices", "t": "tags", "state": "state"}

PARTS_CACHE = 20_000
"""At most this many distinct parts are remembered while reading (memory stays flat)."""


class _Slow(Exception):
    """Not of the plain kind (or not valid): the record goes the slow way, which gives the
    exact sentence."""


def _typed(value: Any, kind: type) -> Any:
    if value is not None and type(value) is not kind:
        raise _Slow
    return value


class Checker:
    """`keep_own(validate(...))` of many records of one file: the same check-ins and the same
    sentences, several times faster.

    A history names the same few words, sensations, practices and tags again and again: each
    distinct part is checked by the one validator (`models.validate`, on a probe check-in
    holding only that part) once and remembered, and the few scalar fields of each record
    are checked here by the validator's own rules. Whatever is not plainly valid (a wrong
    type, an upper-case id, a time with microseconds, anything out of range or unknown) goes
    the slow way, the validator on the whole record, which gives the exact sentence.
    """

    def __init__(self, *, csv: bool = False) -> None:
        self.csv = csv
        """Parts come as CSV cells (else as JSON values)."""
        self.known: dict[tuple[Any, ...], Any] = {}
        self.lists: list[dict[str, tuple[Any, ...]]] = [{"" if csv else "[]": ()} for _ in range(4)]
        """Packed parts by the text of a whole list (feelings, sensations, practices, tags)."""
        self.items: dict[str, tuple[Any, ...]] = {}
        """Packed sensations by the text of one item (a JSON object, or a CSV item)."""
        self.rows = 0
        self.last = _FIRST
        self.last_utc = _FIRST_UTC
        """`last` as a naive UTC time."""
        self.offsets: dict[str, tuple[timedelta, str]] = {}
        """UTC offsets as written ("+01:00") -> (the offset, as isoformat writes it)."""

    def _bounds(self) -> datetime:
        if not self.rows % 1000:
            self.last = datetime.now(UTC) + timedelta(seconds=FUTURE_GRACE_S)
            self.last_utc = self.last.replace(tzinfo=None)
        self.rows += 1
        return self.last

    def _plain_at(self, local: str, offset: str) -> tuple[str, str]:
        """(`at.isoformat()`, `store._utc_key(at)`) of a time of the plain kind, local
        "YYYY-MM-DDTHH:MM:SS" and offset "+HH:MM" (what numbtrack writes), checked as `_at`
        checks it. Works on naive times: an aware datetime is several times slower to
        format, and the import does this for every row."""
        self._bounds()
        zone = self.offsets.get(offset)
        if zone is None:
            try:
                probe = datetime.fromisoformat(_PROBE_LOCAL + offset)
            except ValueError:
                raise _Slow from None
            delta = probe.utcoffset()
            if delta is None or type(probe.tzinfo) is not timezone:
                raise _Slow
            zone = self.offsets[offset] = (delta, probe.isoformat()[len(_PROBE_LOCAL) :])
        try:
            utc = datetime.fromisoformat(local) - zone[0]
        except (ValueError, OverflowError):
            raise _Slow from None
        if not _FIRST_UTC <= utc <= self.last_utc:
            raise _Slow
        return local + zone[1], utc.isoformat() + "Z"

    @staticmethod
    def _at(text: Any, last: datetime) -> datetime:
        if type(text) is not str:
            raise _Slow
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            raise _Slow from None
        if type(at.tzinfo) is not timezone or at.microsecond or not _FIRST <= at <= last:
            raise _Slow
        return at

    @staticmethod
    def _note(note: str | None) -> str | None:
        """The note as validate keeps it."""
        if not note:
            return None
        if not note.isascii():
            try:
                note.encode("utf-8")
            except UnicodeEncodeError:
                raise _Slow from None
        if "\x00" in note:
            raise _Slow
        if "\r" in note:
            note = note.replace("\r\n", "\n").replace("\r", "\n")
        if len(note) > MAX_NOTE:
            raise _Slow
        return note if note.strip() else None

    def _part(self, key: tuple[Any, ...], value: Any) -> Any:
        """The validated part `value` (key[0] says which kind), remembered by `key`."""
        found = self.known.get(key)
        if found is None:
            found = self._check_part(key, value)
        return found

    def _check_part(self, key: tuple[Any, ...], value: Any) -> Any:
        kind = key[0]
        try:
            if self.csv:
                row = dict.fromkeys(FIELDS, "")
                row.update(id=_PROBE_ID, at=_PROBE_AT)
                row[_COLUMNS[kind]] = value
                c = keep_own(validate(row_to_checkin(row)))
            else:
                d: dict[str, Any] = {"id": _PROBE_ID, "at": _PROBE_AT}
                d[_COLUMNS[kind]] = value if kind == "state" else [value]
                c = keep_own(validate(from_dict(d)))
        except InvalidInput:
            raise _Slow from None
        if c.typed:
            # An alias or another spelling ("blah" for meh, "walk" for movement): the whole
            # record goes the validator's way, which keeps what was typed beside its name.
            raise _Slow
        if kind == "f":
            found: Any = c.feelings[0]
        elif kind == "s":
            found = c.sensations[0]
        elif kind == "p":
            found = (c.practices[0], unmark_own(c).practices[0])
        elif kind == "t":
            found = c.tags[0]
        else:
            found = c.state
        if len(self.known) >= PARTS_CACHE:
            self.known.clear()
        self.known[key] = found
        return found

    def _assemble(
        self,
        fs: list[Feeling],
        ss: list[Sensation],
        ps: list[tuple[str, str]],
        ts: list[str],
        state: Any,
    ) -> tuple[Any, ...]:
        """Validated parts as validate puts them together: the first of a repeated word or
        practice kept, tags once each, the state checked or worked out."""
        if max(len(fs), len(ss), len(ps), len(ts)) > MAX_ITEMS:
            raise _Slow
        feelings: list[Feeling] = []
        if fs:
            words: set[str] = set()
            for f in fs:
                if f.word not in words:
                    words.add(f.word)
                    feelings.append(f)
        practices: list[str] = []
        plain: list[str] = []
        for marked, name in ps:
            if name not in plain:
                plain.append(name)
                practices.append(marked)
        f_t, s_t = tuple(feelings), tuple(ss)
        if state:
            if type(state) is not str:
                raise _Slow
            state = self._part(("state", state), state)
        else:
            state = derive_state(f_t, s_t)
        return f_t, s_t, tuple(practices), tuple(dict.fromkeys(ts)), state

    def record(self, d: Any) -> CheckIn:
        """`keep_own(validate(from_dict(d)))`."""
        try:
            return self._fast_record(d)
        except (_Slow, TypeError):
            return keep_own(validate(from_dict(d)))

    def _fast_record(self, d: Any) -> CheckIn:
        if type(d) is not dict or not d.keys() <= _FIELD_SET:
            raise _Slow
        cid = d.get("id")
        if type(cid) is not str or not _UUID.fullmatch(cid):
            raise _Slow
        at = self._at(d.get("at"), self._bounds())
        can_feel = _typed(d.get("can_feel"), int)
        if can_feel is not None and not 0 <= can_feel <= 10:
            raise _Slow
        sleep = d.get("sleep_hours")
        if sleep is not None:
            if type(sleep) is int:
                sleep = float(sleep)
            if type(sleep) is not float or not 0 <= sleep <= 24:
                raise _Slow
        note = self._note(_typed(d.get("note"), str))
        created = _typed(d.get("created_at"), str)
        updated = _typed(d.get("updated_at"), str)
        lists = []
        for name in ("feelings", "sensations", "practices", "tags"):
            value = d.get(name)
            if value is None:
                value = _NOTHING
            elif type(value) is not list:
                raise _Slow
            lists.append(value)

        known = self.known
        fs = []
        for f in lists[0]:
            if type(f) is not dict:
                raise _Slow
            key = ("f", f.get("word"), f.get("intensity"), f.get("custom"))
            found = known.get(key)
            if found is None:
                if type(key[1]) is not str:
                    raise _Slow
                _typed(key[2], int)
                _typed(key[3], bool)
                found = self._check_part(key, f)
            fs.append(found)
        ss = []
        for x in lists[1]:
            if type(x) is not dict:
                raise _Slow
            # The region and quality are looked up once per pair; the rest is checked here
            # by the validator's own rules.
            key = ("s", x.get("region"), x.get("quality"), x.get("custom"))
            one = known.get(key)
            if one is None:
                _typed(key[1], str)
                _typed(key[2], str)
                _typed(key[3], bool)
                one = self._check_part(key, {"region": key[1], "quality": key[2],
                                             "custom": key[3]})  # fmt: skip
            level = x.get("intensity")
            direction = x.get("direction")
            tone = x.get("tone")
            if level is not None or direction is not None or tone is not None:
                if (
                    (level is not None and (type(level) is not int or not 1 <= level <= 5))
                    or (direction is not None and direction not in DIRECTIONS)
                    or (tone is not None and tone not in TONES)
                ):
                    raise _Slow
                one = Sensation(one.region, one.quality, level, direction, tone, one.custom)
            ss.append(one)
        ps = []
        for p in lists[2]:
            found = known.get(("p", p))
            ps.append(found if found is not None else self._check_part(("p", _typed(p, str)), p))
        ts = []
        for t in lists[3]:
            found = known.get(("t", t))
            ts.append(found if found is not None else self._check_part(("t", _typed(t, str)), t))
        f_t, s_t, p_t, t_t, state = self._assemble(fs, ss, ps, ts, _typed(d.get("state"), str))
        return CheckIn(
            at=at,
            id=cid,
            can_feel=can_feel,
            state=state,
            note=note,
            sleep_hours=sleep,
            feelings=f_t,
            sensations=s_t,
            practices=p_t,
            tags=t_t,
            created_at=created or "",
            updated_at=updated or "",
        )

    def cells(self, row: list[str]) -> CheckIn:
        """`keep_own(validate(row_to_checkin(...)))` of a CSV row (apostrophes restored)."""
        try:
            return self._fast_cells(row)
        except _Slow:
            return keep_own(validate(row_to_checkin(dict(zip(FIELDS, row, strict=True)))))

    def _sensation_cell(self, item: str) -> Sensation | None:
        """A sensations item REGION:QUALITY[:N][:more|less][:tone] of the plain kind, its
        region and quality looked up once per pair (None: check the whole item)."""
        own = item.endswith(OWN_MARK)
        parts = item.removesuffix(OWN_MARK).split(":")
        if len(parts) < 3 or "," in item or " " in item:
            return None
        level: int | None = None
        direction: str | None = None
        tone: str | None = None
        for extra in parts[2:]:
            if extra.isdigit() and extra.isascii() and len(extra) < 3 and level is None:
                level = int(extra)  # a longer one is checked the slow way (its sentence)
            elif extra in DIRECTIONS and direction is None:
                direction = extra
            elif extra in TONES and tone is None:
                tone = extra
            else:
                return None
        if level is not None and not 1 <= level <= 5:
            return None
        pair = f"{parts[0]}:{parts[1]}{OWN_MARK if own else ''}"
        one = self.known.get(("s", pair))
        if one is None:
            one = self._check_part(("s", pair), pair)
        return Sensation(one.region, one.quality, level, direction, tone, one.custom)

    def _fast_cells(self, row: list[str]) -> CheckIn:
        cid, at_text, day, can_feel, state, fc, sc, pc, tc, sleep, note, created, updated = row
        if not _UUID.fullmatch(cid):
            raise _Slow
        at = self._at(at_text, self._bounds())
        if day and day != at.date().isoformat():
            raise _Slow
        try:
            level = int(can_feel) if can_feel else None
            hours = float(sleep) if sleep else None
        except ValueError:
            raise _Slow from None
        if (level is not None and not 0 <= level <= 10) or (
            hours is not None and not 0 <= hours <= 24
        ):
            raise _Slow

        known = self.known

        def items(cell: str, kind: str) -> list[Any]:
            if not cell:
                return []
            out = []
            for x in cell.split(LIST_SEP):
                found = known.get((kind, x))
                if found is None:
                    found = self._sensation_cell(x) if kind == "s" else None
                    if found is None:
                        found = self._check_part((kind, x), x)
                out.append(found)
            return out

        f_t, s_t, p_t, t_t, st = self._assemble(
            items(fc, "f"), items(sc, "s"), items(pc, "p"), items(tc, "t"), state
        )
        return CheckIn(
            at=at,
            id=cid,
            can_feel=level,
            state=st,
            note=self._note(note),
            sleep_hours=hours,
            feelings=f_t,
            sensations=s_t,
            practices=p_t,
            tags=t_t,
            created_at=created,
            updated_at=updated,
        )

    # -- packed check-ins (`store.pack`), for an import: no CheckIn per row ----------------
    #
    # A line or row of the plain kind (as numbtrack's own exports write them) is checked
    # field by field by the rules above, and each of its lists (the whole feelings,
    # sensations, practices or tags value) once per distinct text: by the fast check above,
    # on a probe record holding only that list. That check takes each list on its own, so
    # the parts come out exactly as the whole record's fast check makes them, and when a
    # list is not of the plain kind neither is the record. Anything else (such a list, a
    # missing state, a line the plain pattern does not take) raises _Slow: the caller then
    # checks the record the usual way, which gives the same check-in or sentence.

    def _list_parts(self, j: int, value: Any, probe: Callable[[Any], CheckIn]) -> tuple[Any, ...]:
        try:
            c = probe(value)
        except TypeError:
            raise _Slow from None
        parts: tuple[Any, ...]
        if j == 0:
            parts = tuple((f.word, f.intensity, int(f.custom)) for f in c.feelings)
        elif j == 1:
            parts = tuple(
                (x.region, x.quality, x.intensity, x.direction, x.tone) for x in c.sensations
            )
        elif j == 2:
            parts = unmark_own(c).practices
        else:
            parts = c.tags
        return parts

    def _remember(self, j: int, text: str, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        lists = self.lists[j]
        if len(lists) >= PARTS_CACHE:
            lists.clear()
            lists["[]" if not self.csv else ""] = ()
        lists[text] = parts
        return parts

    def _json_list(self, j: int, text: str) -> tuple[Any, ...]:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            raise _Slow from None
        name = _LIST_FIELDS[j]
        parts = self._list_parts(
            j, value, lambda v: self._fast_record({"id": _PROBE_ID, "at": _PROBE_AT, name: v})
        )
        return self._remember(j, text, parts)

    def _json_sensations(self, text: str, between: str = "}, {") -> tuple[Any, ...]:
        """Sensations differ from one check-in to the next (an intensity, a direction), so
        each item of the list is checked once per distinct text (`_json_sensation`). Without
        a backslash no string holds a quote, so the items are split where one object ends
        and the next begins (`between`: "}, {" as an export writes it, "},{" in compact
        JSON); a split inside a string leaves a piece that is not JSON (the usual way)."""
        if "\\" in text or not (text.startswith("[{") and text.endswith("}]")):
            return self._json_list(1, text)
        pieces = text[2:-2].split(between)
        if len(pieces) > MAX_ITEMS:
            raise _Slow
        known = self.items
        out = []
        for piece in pieces:
            part = known.get(piece)
            if part is None:
                part = self._json_sensation(piece)
                if len(known) >= PARTS_CACHE:
                    known.clear()
                known[piece] = part
            out.append(part)
        return self._remember(1, text, tuple(out))

    def _json_sensation(self, piece: str) -> tuple[Any, ...]:
        """One sensation (the text between its braces): as numbtrack writes it, its region
        and quality are checked once per pair and the rest by the pattern, as
        `_fast_record` does; any other goes through the fast check on its own."""
        m = _SENSATION.fullmatch(piece)
        if m is None:
            (part,) = self._json_list(1, "[{" + piece + "}]")
            found: tuple[Any, ...] = part
            return found
        region, quality, level, direction, tone, custom = m.groups()
        key = ("s", region, quality, custom == "true")
        one = self.known.get(key)
        if one is None:
            one = self._check_part(key, {"region": region, "quality": quality,
                                         "custom": key[3]})  # fmt: skip
        return (
            one.region,
            one.quality,
            None if level == "null" else int(level),
            None if direction == "null" else direction[1:-1],
            None if tone == "null" else tone[1:-1],
        )

    def _cell_sensations(self, text: str) -> tuple[Any, ...]:
        """Sensations differ from one check-in to the next, so each item of the cell is
        checked as `_fast_cells` checks it (its region and quality once per pair)."""
        items = text.split(LIST_SEP)
        if len(items) > MAX_ITEMS:
            raise _Slow
        known = self.known
        seen = self.items  # packed, by the text of one item
        out = []
        for x in items:
            part = seen.get(x)
            if part is None:
                one = known.get(("s", x))
                if one is None:
                    one = self._sensation_cell(x)
                    if one is None:
                        one = self._check_part(("s", x), x)
                part = (one.region, one.quality, one.intensity, one.direction, one.tone)
                if len(seen) >= PARTS_CACHE:
                    seen.clear()
                seen[x] = part
            out.append(part)
        return self._remember(1, text, tuple(out))

    def _cell_list(self, j: int, text: str) -> tuple[Any, ...]:
        def probe(cell: str) -> CheckIn:
            row = [_PROBE_ID, _PROBE_AT, "", "", "", "", "", "", "", "", "", "", ""]
            row[5 + j] = cell
            return self._fast_cells(row)

        return self._remember(j, text, self._list_parts(j, text, probe))

    def _state(self, state: str | None) -> str:
        if not state:
            raise _Slow  # worked out from the feelings and sensations: the usual way
        found: str = self._part(("state", state), state)
        return found

    def packed_line(self, raw: str) -> tuple[Any, ...]:
        """`store.pack(unmark_own(self.record(json.loads(raw))))` of a JSON Lines line of the
        plain kind; raises _Slow for any other."""
        m = _LINE.fullmatch(raw)
        if m is None:
            raise _Slow
        cid, local, offset, can_feel, state, fl, sl, pl, tl, sleep, note, created, updated = (
            m.groups()
        )
        iso, utc = self._plain_at(local, offset)
        lf, ls, lp, lt = self.lists
        f = lf.get(fl)
        if f is None:
            f = self._json_list(0, fl)
        s = ls.get(sl)
        if s is None:
            s = self._json_sensations(sl)
        p = lp.get(pl)
        if p is None:
            p = self._json_list(2, pl)
        t = lt.get(tl)
        if t is None:
            t = self._json_list(3, tl)
        hours = None
        if sleep != "null":
            hours = float(sleep)
            if hours > 24:
                raise _Slow
        if note == "null":
            text = None
        elif "\\" in note:
            try:
                text = json.loads(note)
            except ValueError:
                raise _Slow from None
        else:
            text = note[1:-1]
        return (
            cid, iso, utc, local[:10], None if can_feel == "null" else int(can_feel),
            self._state(state), self._note(text), hours, created, updated, f, s, p, t, (),
        )  # fmt: skip

    def packed_cells(self, row: list[str]) -> tuple[Any, ...]:
        """`store.pack(unmark_own(self.cells(row)))` of a CSV row of the plain kind (13
        cells, apostrophes restored); raises _Slow for any other."""
        cid, at_text, day, can_feel, state, fc, sc, pc, tc, sleep, note, created, updated = row
        if not _UUID.fullmatch(cid):
            raise _Slow
        plain = _AT.fullmatch(at_text)
        if plain is None:
            raise _Slow
        iso, utc = self._plain_at(*plain.groups())
        if day and day != iso[:10]:
            raise _Slow
        try:
            level = int(can_feel) if can_feel else None
            hours = float(sleep) if sleep else None
        except ValueError:
            raise _Slow from None
        if (level is not None and not 0 <= level <= 10) or (
            hours is not None and not 0 <= hours <= 24
        ):
            raise _Slow
        lf, ls, lp, lt = self.lists
        f = lf.get(fc)
        if f is None:
            f = self._cell_list(0, fc)
        s = ls.get(sc)
        if s is None:
            s = self._cell_sensations(sc)
        p = lp.get(pc)
        if p is None:
            p = self._cell_list(2, pc)
        t = lt.get(tc)
        if t is None:
            t = self._cell_list(3, tc)
        return (
            cid, iso, utc, iso[:10], level, self._state(state), self._note(note),
            hours, created, updated, f, s, p, t, (),
        )  # fmt: skip


_PLAIN = r'"([^"\\\x00-\x1f]*)"'
"""A JSON string without escapes (nor the raw control characters json.loads refuses), its
text as the group."""

_LIST = r"(\[[^\]\x00-\x1f]*\])"
"""A JSON list holding no list (nor a raw control character), its text as the group (checked
whole by json.loads)."""

_LINE = lazy.Pattern(
    r'\{"id": "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", "at": "'
    + _AT.pattern
    + r'", "day": "[^"\\\x00-\x1f]*", "can_feel": (null|10|[0-9]), "state": (?:null|'
    + _PLAIN
    + r'), "feelings": '
    + _LIST
    + r', "sensations": '
    + _LIST
    + r', "practices": '
    + _LIST
    + r', "tags": '
    + _LIST
    + r', "sleep_hours": (null|(?:0|[1-9][0-9]?)(?:\.[0-9]+)?),'
    + r' "note": (null|"[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*"), "created_at": '
    + _PLAIN
    + r', "updated_at": '
    + _PLAIN
    + r"\}"
)
"""A JSON Lines record exactly as numbtrack writes it (without typed names). Each group is a
whole JSON value, so a line that matches holds exactly these values, as json.loads would
read them."""

_SENSATION = lazy.Pattern(
    r'"region": "([^"\\\x00-\x1f]*)", "quality": "([^"\\\x00-\x1f]*)", "intensity": '
    r'(null|[1-5]), "direction": (null|"more"|"less"), "tone": '
    r'(null|"pleasant"|"unpleasant"|"neutral"), "custom": (true|false)'
)
"""One sensation as numbtrack writes it (between its braces); directions and tones as
vocab.DIRECTIONS and vocab.TONES name them."""

_LIST_FIELDS = ("feelings", "sensations", "practices", "tags")


def _at_line(line: int, exc: InvalidInput) -> InvalidInput:
    return InvalidInput(f"Line {line}: {exc.message}")


def _int(cell: str, what: str) -> int | None:
    if cell == "":
        return None
    try:
        return int(cell)
    except ValueError:
        raise InvalidInput(f'{what} should be a whole number, not "{shown(cell)}".') from None


def row_to_checkin(row: dict[str, str]) -> CheckIn:
    from datetime import datetime

    try:
        at = datetime.fromisoformat(row["at"])
    except ValueError:
        raise InvalidInput(f'"{row["at"]}" is not an ISO 8601 time.') from None
    if at.tzinfo is None:
        raise InvalidInput(f'The time "{row["at"]}" needs a UTC offset, like +01:00.')
    if row["day"] and row["day"] != at.date().isoformat():
        raise InvalidInput(f"The day {row['day']} does not match the time {row['at']}.")
    sleep = row["sleep_hours"]
    try:
        sleep_hours = float(sleep) if sleep else None
    except ValueError:
        raise InvalidInput(f'Sleep should be a number of hours, not "{sleep}".') from None

    def items(cell: str) -> list[str]:
        return [x for x in cell.split(LIST_SEP)] if cell else []

    sensations: list[Sensation] = []
    for item in items(row["sensations"]):
        own = item.endswith(OWN_MARK)
        sensations.append(parse_body(item.removesuffix(OWN_MARK), keep=own))
    return CheckIn(
        id=row["id"],
        at=at,
        can_feel=_int(row["can_feel"], "can_feel"),
        state=row["state"] or None,
        note=row["note"] or None,
        sleep_hours=sleep_hours,
        feelings=tuple(parse_feeling_item(x) for x in items(row["feelings"])),
        sensations=tuple(sensations),
        practices=tuple(items(row["practices"])),
        tags=tuple(items(row["tags"])),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        typed=parse_typed_cell(row.get(TYPED_FIELD, "")),
    )


def read_csv(text: str) -> list[CheckIn]:
    return list(iter_csv(io.StringIO(text, newline="")))


def iter_csv(lines: Iterable[str]) -> Iterator[CheckIn]:
    """Check-ins of a numbtrack CSV, checked one by one as the lines come (`lines` as a file
    opened with newline="" gives them)."""
    return _iter_csv(lines, packed=False)


def iter_csv_packed(lines: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    """`iter_csv`, each check-in packed for `Store.put_many` (`store.pack`): the same
    check-ins and the same sentences, with no CheckIn built for a row of the plain kind."""
    return _iter_csv(lines, packed=True)


def _iter_csv(lines: Iterable[str], packed: bool) -> Iterator[Any]:
    from numbtrack.exchange.common import MAX_CELL, csv_problem

    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(lines)
    try:
        yield from _read_csv(reader, packed)
    except csv.Error as exc:
        raise csv_problem(reader.line_num, exc) from None


def _read_csv(reader: Any, packed: bool) -> Iterator[Any]:
    header = next(reader, None)
    if header is None:
        raise InvalidInput("The file is empty.")
    if tuple(header) == LONG_FIELDS:
        raise InvalidInput(
            "This is a --long export (one row per item), made for spreadsheets; import the "
            "default CSV, JSON or JSON Lines export instead."
        )
    columns = tuple(header)
    if columns not in (FIELDS, (*FIELDS, TYPED_FIELD)):
        raise InvalidInput(
            "Line 1: the header is not numbtrack's (expected " + ",".join(FIELDS) + ")."
        )
    check = Checker(csv=True)
    width = len(columns)
    typed = columns != FIELDS  # a typed column: those files take the exact (slower) way
    fast = check.packed_cells if packed and not typed else None
    pack = _pack() if packed else None
    for row in reader:
        line = reader.line_num
        if len(row) != width:
            raise InvalidInput(f"Line {line}: expected {width} cells, found {len(row)}.")
        # A cell that begins with an apostrophe has one more (spreadsheet safety); most
        # rows have none, which one search of the joined cells says.
        joined = "\x00".join(row)
        if joined.startswith("'") or "\x00'" in joined:
            cells = [c[1:] if c.startswith("'") else c for c in row]
        else:
            cells = row
        if fast is not None:
            try:
                yield fast(cells)
                continue
            except _Slow:
                pass
        try:
            if typed:
                c = keep_own(validate(row_to_checkin(dict(zip(columns, cells, strict=True)))))
            else:
                c = check.cells(cells)
        except InvalidInput as exc:
            raise _at_line(line, exc) from None
        yield c if pack is None else pack(unmark_own(c))


@functools.cache
def _pack() -> Callable[[CheckIn], tuple[Any, ...]]:
    from numbtrack.store import pack

    return pack


def _loads(text: str, line: int | None) -> Any:
    """json.loads, with every way it can fail as one sentence naming the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = line if line is not None else exc.lineno
        raise InvalidInput(f"Line {at}: not valid JSON ({exc.msg}).") from None
    except RecursionError:
        the = f"Line {line}: the" if line is not None else "The"
        raise InvalidInput(
            f"{the} JSON is nested too deeply (a check-in needs 4 levels; numbtrack reads "
            "at most about 1,000)."
        ) from None
    except ValueError:  # a number of more than 4,300 digits
        a = f"Line {line}: a" if line is not None else "A"
        raise InvalidInput(f"{a} number in the JSON is too long to be a value.") from None


def read_jsonl(text: str) -> list[CheckIn]:
    # Split on "\n" alone: a note may hold other line separators (U+2028, \x1e) verbatim.
    return list(iter_jsonl(text.split("\n")))


def iter_jsonl(lines: Iterable[str]) -> Iterator[CheckIn]:
    """Check-ins, one per line, checked as the lines come. A file that begins with
    numbtrack's header line must end with the closing count line, and the count must match
    (a file cut off is refused); a file without the header (made by hand or by another tool)
    is read as it is."""
    return _iter_jsonl(lines, packed=False)


def iter_jsonl_packed(lines: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    """`iter_jsonl`, each check-in packed for `Store.put_many` (`store.pack`): the same
    check-ins and the same sentences, with no CheckIn built for a line of the plain kind."""
    return _iter_jsonl(lines, packed=True)


def _iter_jsonl(lines: Iterable[str], packed: bool) -> Iterator[Any]:
    n = 0
    headed = False
    ended: int | None = None
    check = Checker()
    loads = json.loads
    fast = check.packed_line if packed else None
    pack = _pack() if packed else None
    for line, raw in enumerate(lines, 1):
        if fast is not None and ended is None and raw.startswith('{"id": "'):
            try:
                item = fast(raw)
            except _Slow:
                pass
            else:
                n += 1
                yield item
                continue
        try:
            data: Any = loads(raw)
        except ValueError:
            if not raw.strip():
                continue
            data = _loads(raw, line)  # the sentence for what is wrong with it
        except RecursionError:
            data = _loads(raw, line)
        if ended is not None:
            raise InvalidInput(f"Line {line}: there is more after the closing count line.")
        if type(data) is dict and "id" not in data:
            if data.get("end") == JSON_FORMAT and "count" in data:
                ended = data["count"] if isinstance(data["count"], int) else -1
                continue
            if not n and not headed and "format" in data:
                if data.get("format") != JSON_FORMAT or data.get("kind") != "lines":
                    raise InvalidInput(f"Line {line}: this is not a numbtrack JSON Lines header.")
                if not isinstance(data.get("version"), int) or data["version"] > JSON_VERSION:
                    raise InvalidInput(
                        "This export comes from a newer numbtrack; update numbtrack to import it."
                    )
                headed = True
                continue
        try:
            c = check.record(data)
        except InvalidInput as exc:
            raise _at_line(line, exc) from None
        n += 1
        yield c if pack is None else pack(unmark_own(c))
    if (headed and ended is None) or (ended is not None and ended != n):
        raise _cut_off(ended, n)


def read_json(text: str) -> list[CheckIn]:
    data: Any = _loads(text, None)
    if isinstance(data, dict):
        if data.get("format") != JSON_FORMAT:
            raise InvalidInput('This JSON is not a numbtrack export (no "format": "numbtrack").')
        if not isinstance(data.get("version"), int) or data["version"] > JSON_VERSION:
            raise InvalidInput(
                "This export comes from a newer numbtrack; update numbtrack to import it."
            )
        expected = data.get("count")
        data = data.get("checkins")
        if isinstance(data, list) and expected is not None and expected != len(data):
            raise _cut_off(expected if isinstance(expected, int) else None, len(data))
    if not isinstance(data, list):
        raise InvalidInput("A numbtrack JSON export holds a list of check-ins.")
    # Report the line of a bad check-in: find where each one starts in the text.
    starts = [i + 1 for i, raw in enumerate(text.split("\n")) if raw.lstrip().startswith('{"id"')]
    out: list[CheckIn] = []
    check = Checker()
    for i, item in enumerate(data):
        try:
            out.append(check.record(item))
        except InvalidInput as exc:
            where = starts[i] if i < len(starts) else None
            raise (
                _at_line(where, exc) if where else InvalidInput(f"Check-in {i + 1}: {exc.message}")
            ) from None
    return out
