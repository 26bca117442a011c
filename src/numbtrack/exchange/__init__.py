"""Moving check-ins in and out: numbtrack's CSV, JSON and JSON Lines, and Daylio's CSV.

UI-free: the CLI and the dashboard call these same functions. Exports stream from the store;
imports read the whole file first and hand it to `Store.put_many`, one transaction, so a file
is imported completely or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn

EXPORT_FORMATS = ("csv", "json", "jsonl")
IMPORT_FORMATS = ("auto", "numbtrack", "daylio")


@dataclass
class Loaded:
    checkins: list[CheckIn]
    kind: str
    """"numbtrack CSV", "numbtrack JSON", "numbtrack JSON Lines" or "Daylio CSV"."""
    unmapped: Counter[str] = field(default_factory=Counter)


def write(checkins: Iterable[CheckIn], out: IO[str], fmt: str, *, long: bool = False) -> int:
    """Write check-ins in a numbtrack format; returns how many."""
    from numbtrack.exchange import native

    if fmt == "csv":
        return native.write_csv(checkins, out, long=long)
    if long:
        raise InvalidInput("--long is for CSV only.")
    if fmt == "json":
        return native.write_json(checkins, out)
    if fmt == "jsonl":
        return native.write_jsonl(checkins, out)
    raise InvalidInput(f'"{fmt}" is not an export format; use csv, json or jsonl.')


def load(
    path: Path,
    fmt: str = "auto",
    mood_map: dict[str, str] | None = None,
    data: bytes | None = None,
) -> Loaded:
    """Read and check a whole file; raises InvalidInput naming the line of the first problem.

    `data`: the file's contents when they are already read (an encrypted export, decrypted);
    `path` then only names it, and a trailing .age is left out of its name."""
    from numbtrack.exchange import daylio, native

    if fmt not in IMPORT_FORMATS:
        raise InvalidInput(f'"{fmt}" is not an import format; use auto, numbtrack or daylio.')
    if data is not None:
        raw = data
        if path.suffix.lower() == ".age":
            path = path.with_suffix("")
    else:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise InvalidInput(f"There is no file {path}.") from None
        except OSError as exc:
            raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput(f"Line {line}: the file is not UTF-8 text.") from None
    if "\x00" in text:
        raise InvalidInput("The file holds NUL bytes; it is not a text export.")
    stripped = text.lstrip()
    if not stripped:
        if path.suffix.lower() == ".jsonl":  # an export of an empty store
            return Loaded([], "numbtrack JSON Lines")
        raise InvalidInput(f"{path.name} is empty.")
    if stripped[0] in "{[":
        if fmt == "daylio":
            raise InvalidInput("This is JSON, not a Daylio CSV export.")
        first = stripped.split("\n", 1)[0].rstrip()
        is_lines = path.suffix.lower() == ".jsonl" or (
            first.startswith('{"id"') and first.endswith("}")
        )
        if is_lines:
            return Loaded(native.read_jsonl(text), "numbtrack JSON Lines")
        return Loaded(native.read_json(text), "numbtrack JSON")
    import csv
    import io

    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if fmt == "daylio" or (fmt == "auto" and daylio.looks_like(header)):
        result = daylio.read(text, mood_map)
        return Loaded(result.checkins, "Daylio CSV", result.unmapped)
    if mood_map:
        raise InvalidInput("--mood-map is only for Daylio files.")
    return Loaded(native.read_csv(text), "numbtrack CSV")
