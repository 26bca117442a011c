"""Moving check-ins in and out: numbtrack's CSV, JSON and JSON Lines; in from Daylio (CSV and
backup), How We Feel and Bearable.

UI-free: the CLI and the dashboard call these same functions. Exports stream from the store;
imports read the whole file first and hand it to `Store.put_many`, one transaction, so a file
is imported completely or not at all.

`load` works out the format from the file itself (a ZIP holding backup.daylio, JSON, or a CSV
header) unless one is given; each other app's format has its own module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from numbtrack.errors import InvalidInput
from numbtrack.exchange.common import Report
from numbtrack.models import CheckIn

if TYPE_CHECKING:
    from numbtrack.exchange import daylio_backup
    from numbtrack.store import Filter, Store

T = TypeVar("T")

EXPORT_FORMATS = ("csv", "json", "jsonl")
IMPORT_FORMATS = ("auto", "numbtrack", "daylio", "daylio-backup", "howwefeel", "bearable")

DERIVED_KINDS = ("Daylio CSV", "Daylio backup", "How We Feel CSV", "Bearable CSV")
"""Kinds whose check-ins an import derives from another app's entries (see `Store.put_many`'s
`derived`): importing again may update them, unless the person edited them since."""

MOOD_MAP_KINDS = ("Daylio CSV", "Daylio backup")


@dataclass
class Loaded:
    checkins: list[CheckIn]
    kind: str
    """"numbtrack CSV", "numbtrack JSON", "numbtrack JSON Lines", or one of DERIVED_KINDS."""
    unmapped: Counter[str] = field(default_factory=Counter)
    """Mood labels --mood-map did not name (Daylio only)."""
    report: Report = field(default_factory=Report)
    """How the source's names were mapped, and what was not kept."""

    @property
    def derived(self) -> bool:
        return self.kind in DERIVED_KINDS


def write(checkins: Iterable[CheckIn], out: IO[str], fmt: str, *, long: bool = False) -> int:
    """Write check-ins in a numbtrack format; returns how many."""
    from numbtrack.exchange import native

    if fmt == "csv":
        if long:
            return native.write_csv(checkins, out, long=True)
        # The typed column is there only when some check-in has a typed name: known only once
        # they are all in hand (`export` streams instead, asking the store first).
        held = list(checkins)
        return native.write_csv(held, out, typed_column=any(c.typed for c in held))
    if long:
        raise InvalidInput("--long is for CSV only.")
    if fmt == "json":
        return native.write_json(checkins, out)
    if fmt == "jsonl":
        return native.write_jsonl(checkins, out)
    raise InvalidInput(f'"{fmt}" is not an export format; use csv, json or jsonl.')


def export(
    store: Store,
    f: Filter,
    out: IO[str],
    fmt: str,
    *,
    long: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the check-ins matching `f`, oldest first, in a numbtrack format; returns how many.

    The same bytes as `write(store.iter_all(f), ...)`, from the store's packed rows
    (`Store.iter_packed`) so that no CheckIn is built per row. `progress` is told how many
    check-ins have been written so far (every thousand).
    """
    from numbtrack.exchange import native

    if long:
        if fmt != "csv":
            raise InvalidInput("--long is for CSV only.")
        return native.write_csv(counted(store.iter_all(f), progress), out, long=True)
    if fmt not in ("csv", "json", "jsonl"):
        raise InvalidInput(f'"{fmt}" is not an export format; use csv, json or jsonl.')
    rows = counted(packed_rows(store, f), progress)
    if fmt == "csv":
        return native.write_csv_packed(rows, out, typed_column=store.any_typed(f))
    if fmt == "json":
        return native.write_json_packed(rows, out)
    return native.write_jsonl_packed(rows, out)


def packed_rows(
    store: Store, f: Filter, *, newest_first: bool = False
) -> Iterator[tuple[Any, ...]]:
    """`Store.iter_packed` rows, with one more column in a store that keeps typed names: the
    check-in's typed names (a tuple, empty for most), looked up a batch at a time. The packed
    writers take rows with or without it."""
    from numbtrack.exchange import native

    rows = store.iter_packed(f, newest_first=newest_first)
    if not store.any_typed():
        yield from rows
        return
    for batch in native._batches(rows):
        typed = store.typed_of([r[0] for r in batch])
        for row in batch:
            yield (*row, typed.get(row[0], ()))


def counted(items: Iterable[T], progress: Callable[[int], None] | None) -> Iterable[T]:
    """`items` as they are, telling `progress` every thousand how many have gone by."""
    if progress is None:
        return items

    def counting() -> Iterator[T]:
        for i, item in enumerate(items, 1):
            if not i % 1000:
                progress(i)
            yield item

    return counting()


MAX_IMPORT_BYTES = 512 * 1024 * 1024
"""The largest file `import` reads (512 MiB, about a million check-ins as JSON Lines); an
endless input such as /dev/zero stops here, or at its first NUL byte."""


def _read_bounded(path: Path) -> bytes:
    chunks: list[bytes] = []
    total = 0
    archive = False
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            archive = archive or (total == 0 and chunk.startswith(b"PK\x03\x04"))
            if not archive and b"\x00" in chunk:
                raise InvalidInput("The file holds NUL bytes; it is not a text export.")
            total += len(chunk)
            if total > MAX_IMPORT_BYTES:
                raise InvalidInput(
                    f"{path.name} is larger than {MAX_IMPORT_BYTES // 2**20} MiB, the most "
                    "numbtrack imports at once; split it into smaller files."
                )
            chunks.append(chunk)
    return b"".join(chunks)


def load(
    path: Path,
    fmt: str = "auto",
    mood_map: dict[str, str] | None = None,
    data: bytes | None = None,
) -> Loaded:
    """Read and check a whole file; raises InvalidInput naming the line or entry of the first
    problem. `fmt` is one of IMPORT_FORMATS; "auto" works it out from the contents.

    `data`: the file's contents when they are already read (an encrypted export, decrypted);
    `path` then only names it, and a trailing .age is left out of its name."""
    from numbtrack.exchange import bearable, daylio, daylio_backup, howwefeel, native

    if fmt not in IMPORT_FORMATS:
        raise InvalidInput(
            f'"{fmt}" is not an import format; use {", ".join(IMPORT_FORMATS[:-1])} or bearable.'
        )
    if data is not None:
        raw = data
        if path.suffix.lower() == ".age":
            path = path.with_suffix("")
    else:
        try:
            raw = _read_bounded(path)
        except FileNotFoundError:
            raise InvalidInput(f"There is no file {path}.") from None
        except IsADirectoryError:
            raise InvalidInput(f"{path} is a folder, not a file.") from None
        except OSError as exc:
            raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    if mood_map and fmt not in ("auto", "daylio", "daylio-backup"):
        raise InvalidInput("--mood-map is only for Daylio files.")
    if raw.startswith(b"PK\x03\x04") or fmt == "daylio-backup":
        if fmt not in ("auto", "daylio", "daylio-backup"):
            raise InvalidInput(f"This is a ZIP archive, not a {_NAMES[fmt]} file.")
        if raw.startswith(b"PK"):
            result = daylio_backup.read(raw, mood_map)
        else:
            result = _backup_unpacked(raw, mood_map)
        return Loaded(result.checkins, "Daylio backup", result.unmapped, result.report)
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
    if stripped[0] in "{[" or stripped.startswith("eyJ"):
        if fmt == "auto" and (stripped.startswith("eyJ") or '"dayEntries"' in text):
            result = _backup_unpacked(raw, mood_map)
            return Loaded(result.checkins, "Daylio backup", result.unmapped, result.report)
        if fmt != "auto" and fmt != "numbtrack":
            raise InvalidInput(f"This is JSON, not a {_NAMES[fmt]} export.")
        if mood_map:
            raise InvalidInput("--mood-map is only for Daylio files.")
        first = stripped.split("\n", 1)[0].rstrip()
        is_lines = (
            path.suffix.lower() == ".jsonl"
            or first == native.JSONL_HEADER
            or (first.startswith('{"id"') and first.endswith("}"))
        )
        if is_lines:
            return Loaded(native.read_jsonl(text), "numbtrack JSON Lines")
        return Loaded(native.read_json(text), "numbtrack JSON")
    import csv
    import io

    try:
        header = next(csv.reader(io.StringIO(text[:65536], newline="")), [])
    except csv.Error:
        header = []
    if fmt == "auto":
        if daylio.looks_like(header):
            fmt = "daylio"
        elif howwefeel.looks_like(header):
            fmt = "howwefeel"
        elif bearable.looks_like(header):
            fmt = "bearable"
        else:
            fmt = "numbtrack"
    if fmt == "daylio":
        result_csv = daylio.read(text, mood_map)
        return Loaded(result_csv.checkins, "Daylio CSV", result_csv.unmapped, result_csv.report)
    if mood_map:
        raise InvalidInput("--mood-map is only for Daylio files.")
    if fmt == "howwefeel":
        checkins, report = howwefeel.read(text)
        return Loaded(checkins, "How We Feel CSV", report=report)
    if fmt == "bearable":
        checkins, report = bearable.read(text)
        return Loaded(checkins, "Bearable CSV", report=report)
    return Loaded(native.read_csv(text), "numbtrack CSV")


_NAMES = {
    "numbtrack": "numbtrack",
    "daylio": "Daylio CSV",
    "daylio-backup": "Daylio backup",
    "howwefeel": "How We Feel",
    "bearable": "Bearable",
}


def _backup_unpacked(raw: bytes, mood_map: dict[str, str] | None) -> daylio_backup.BackupResult:
    """A backup's JSON outside its ZIP: the base64 member on its own, or the decoded JSON."""
    from numbtrack.exchange import daylio_backup

    text = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    data = daylio_backup.parse_json(text) if text.startswith(b"{") else daylio_backup.decode(text)
    return daylio_backup.read_data(data, mood_map)
