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
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any, TypeVar

from numbtrack.errors import InvalidInput
from numbtrack.exchange.records import FIELDS, from_dict, to_dict
from numbtrack.models import (
    CheckIn,
    Feeling,
    Sensation,
    Typed,
    keep_own,
    own_practice_item,
    parse_body,
    shown,
    typed_field,
    validate,
)
from numbtrack.vocab import OWN_MARK

LIST_SEP = "|"
"""Between items in a list cell. Words, tags and regions can never contain it."""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")

LONG_FIELDS = (
    "checkin_id", "at", "day", "kind", "name", "intensity", "region", "quality",
    "direction", "tone", "custom",
)  # fmt: skip

T = TypeVar("T")

PARTS_KEEP = 10_000
"""At most this many distinct part columns are kept as text while writing (memory stays flat)."""

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

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
    if len(parts) == 2 and parts[1].isdigit():
        return Feeling(parts[0], int(parts[1]), custom)
    if len(parts) != 1 or not parts[0]:
        raise InvalidInput(f'"{item}" is not a feeling item (WORD[:1-5][:own]).')
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
# Byte for byte the output of write_csv, write_jsonl and write_json above (tests compare them),
# without a CheckIn per row: the scalar columns go out as they are stored, and each distinct
# packed part column is turned into its text once, by the same functions as above.


class _Parts:
    """Text for packed part columns, made once per distinct column and reused."""

    def __init__(self, make: Callable[[int, str | None], str]) -> None:
        self.make = make
        self.known: list[dict[str | None, str]] = [{}, {}, {}, {}]

    def __call__(self, which: int, packed: str | None) -> str:
        known = self.known[which]
        text = known.get(packed)
        if text is None:
            if len(known) > PARTS_KEEP:
                known.clear()
            text = known[packed] = self.make(which, packed)
        return text


def _unpacked(which: int, packed: str | None) -> tuple[Any, ...]:
    from numbtrack import store

    if which == 0:
        return store.unpack_feelings(packed)
    if which == 1:
        return store.unpack_sensations(packed)
    return store.unpack_names(packed)


def _csv_cell(which: int, packed: str | None) -> str:
    items = _unpacked(which, packed)
    if which == 0:
        return LIST_SEP.join(feeling_item(f) for f in items)
    if which == 1:
        return LIST_SEP.join(s.spec() + (OWN_MARK if s.custom else "") for s in items)
    if which == 2:
        return LIST_SEP.join(own_practice_item(p) for p in items)
    return LIST_SEP.join(items)


def _json_parts(which: int, packed: str | None) -> list[Any]:
    items = _unpacked(which, packed)
    probe = CheckIn(
        at=_EPOCH,
        feelings=items if which == 0 else (),
        sensations=items if which == 1 else (),
        practices=items if which == 2 else (),
        tags=items if which == 3 else (),
    )
    value: list[Any] = to_dict(probe)[("feelings", "sensations", "practices", "tags")[which]]
    return value


def write_csv_packed(
    rows: Iterable[tuple[Any, ...]], out: IO[str], *, typed_column: bool = False
) -> int:
    """write_csv (not --long) over `exchange.packed_rows` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((*FIELDS, TYPED_FIELD) if typed_column else FIELDS)
    extra = (lambda typed: (typed_cell(typed),)) if typed_column else (lambda typed: ())
    part = _Parts(_csv_cell)
    n = 0
    for batch in _batches(rows):
        writer.writerows(
            [
                ("'" + cell if cell.startswith(TRIGGERS) else cell)
                for cell in (
                    cid, at, day, _num(can_feel), state or "", part(0, fs), part(1, ss),
                    part(2, ps), part(3, ts), _num(sleep), note or "", created, updated,
                    *extra(typed),
                )
            ]
            for (
                cid, at, day, can_feel, state, note, sleep, created, updated, fs, ss, ps, ts,
                typed,
            ) in batch
        )  # fmt: skip
        out.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
        n += len(batch)
    out.write(buffer.getvalue())
    return n


_string = json.encoder.encode_basestring
"""How json.dumps(ensure_ascii=False) writes a string."""


def _value(x: Any) -> str:
    return "null" if x is None else _string(x) if isinstance(x, str) else repr(x)


def _compact_records(rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """json.dumps(to_dict(c), ensure_ascii=False) of each packed row."""
    part = _Parts(lambda which, packed: _encode(_json_parts(which, packed)))
    s = _string
    for row in rows:
        cid, at, day, can_feel, state, note, sleep, created, updated, fs, ss, ps, ts = row[:13]
        typed = row[13] if len(row) > 13 else ()
        yield (
            f'{{"id": {s(cid)}, "at": {s(at)}, "day": {s(day)}, "can_feel": {_value(can_feel)},'
            f' "state": {_value(state)}, "feelings": {part(0, fs)}, "sensations": {part(1, ss)},'
            f' "practices": {part(2, ps)}, "tags": {part(3, ts)},'
            f' "sleep_hours": {_value(sleep)}, "note": {_value(note)},'
            f' "created_at": {s(created)}, "updated_at": {s(updated)}'
            + (f', "typed": {_encode(_typed_list(typed))}}}' if typed else "}")
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

    def indented(which: int, packed: str | None) -> str:
        return json.dumps(_json_parts(which, packed), ensure_ascii=False, indent=2).replace(
            "\n", "\n    "
        )

    part = _Parts(indented)
    s = _string
    n = 0

    def typed_lines(typed: tuple[Typed, ...]) -> str:
        if not typed:
            return ""
        listed = json.dumps(_typed_list(typed), ensure_ascii=False, indent=2)
        return ',\n    "typed": ' + listed.replace("\n", "\n    ")

    def records(batch: list[tuple[Any, ...]]) -> Iterator[str]:
        for row in batch:
            cid, at, day, can_feel, state, note, sleep, created, updated, fs, ss, ps, ts = row[:13]
            typed = row[13] if len(row) > 13 else ()
            yield (
                f'  {{\n    "id": {s(cid)},\n    "at": {s(at)},\n    "day": {s(day)},'
                f'\n    "can_feel": {_value(can_feel)},\n    "state": {_value(state)},'
                f'\n    "feelings": {part(0, fs)},\n    "sensations": {part(1, ss)},'
                f'\n    "practices": {part(2, ps)},\n    "tags": {part(3, ts)},'
                f'\n    "sleep_hours": {_value(sleep)},\n    "note": {_value(note)},'
                f'\n    "created_at": {s(created)},\n    "updated_at": {s(updated)}'
                f"{typed_lines(typed)}\n  }}"
            )

    for batch in _batches(rows):
        out.write(("," if n else "[") + "\n" + ",\n".join(records(batch)))
        n += len(batch)
    out.write("\n]\n" if n else "[]\n")
    return n


def _typed_list(typed: tuple[Typed, ...]) -> list[dict[str, str]]:
    value: list[dict[str, str]] = typed_field(CheckIn(at=_EPOCH, typed=typed))["typed"]
    return value


def _cut_off(expected: int | None, found: int) -> InvalidInput:
    said = f"says it holds {expected:,} check-ins but" if expected is not None else "has"
    return InvalidInput(
        f"This numbtrack export {said} ends after {found:,}: it was cut off (an interrupted "
        "copy or download?); nothing was imported, so export it again."
    )


# -- reading -----------------------------------------------------------------------------


def _at_line(line: int, exc: InvalidInput) -> InvalidInput:
    return InvalidInput(f"Line {line}: {exc.message}")


def _int(cell: str, what: str) -> int | None:
    if cell == "":
        return None
    try:
        return int(cell)
    except ValueError:
        raise InvalidInput(f'{what} should be a whole number, not "{cell}".') from None


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
    from numbtrack.exchange.common import MAX_CELL, csv_problem

    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_csv(reader)
    except csv.Error as exc:
        raise csv_problem(reader.line_num, exc) from None


def _read_csv(reader: Any) -> list[CheckIn]:
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
    out: list[CheckIn] = []
    for row in reader:
        line = reader.line_num
        if len(row) != len(columns):
            raise InvalidInput(f"Line {line}: expected {len(columns)} cells, found {len(row)}.")
        try:
            record = row_to_checkin(dict(zip(columns, (restore(c) for c in row), strict=True)))
            out.append(keep_own(validate(record)))
        except InvalidInput as exc:
            raise _at_line(line, exc) from None
    return out


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
    """Check-ins, one per line. A file that begins with numbtrack's header line must end with
    the closing count line, and the count must match (a file cut off is refused); a file
    without the header (made by hand or by another tool) is read as it is."""
    out: list[CheckIn] = []
    headed = False
    ended: int | None = None
    # Split on "\n" alone: a note may hold other line separators (U+2028, \x1e) verbatim.
    for line, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            continue
        data: Any = _loads(raw, line)
        if ended is not None:
            raise InvalidInput(f"Line {line}: there is more after the closing count line.")
        if isinstance(data, dict) and data.get("end") == JSON_FORMAT and "count" in data:
            ended = data["count"] if isinstance(data["count"], int) else -1
            continue
        if not out and not headed and isinstance(data, dict) and "format" in data:
            if data.get("format") != JSON_FORMAT or data.get("kind") != "lines":
                raise InvalidInput(f"Line {line}: this is not a numbtrack JSON Lines header.")
            if not isinstance(data.get("version"), int) or data["version"] > JSON_VERSION:
                raise InvalidInput(
                    "This export comes from a newer numbtrack; update numbtrack to import it."
                )
            headed = True
            continue
        try:
            out.append(keep_own(validate(from_dict(data))))
        except InvalidInput as exc:
            raise _at_line(line, exc) from None
    if (headed and ended is None) or (ended is not None and ended != len(out)):
        raise _cut_off(ended, len(out))
    return out


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
    for i, item in enumerate(data):
        try:
            out.append(keep_own(validate(from_dict(item))))
        except InvalidInput as exc:
            where = starts[i] if i < len(starts) else None
            raise (
                _at_line(where, exc) if where else InvalidInput(f"Check-in {i + 1}: {exc.message}")
            ) from None
    return out
