"""Moving check-ins in and out: numbtrack's CSV, JSON and JSON Lines; in from Daylio (CSV and
backup), How We Feel and Bearable.

UI-free: the CLI and the dashboard call these same functions. Exports stream from the store.
Imports of numbtrack's own CSV and JSON Lines stream too (`stream`): the file is read a chunk at
a time and each check-in is checked as it comes, straight into `Store.put_many`, which stages
it and writes only once the whole file is known to be good, so a file is imported completely
or not at all and memory stays flat however long the file. Other files are read whole (they
are small, and their importers group rows across the file).

`load` works out the format from the file itself (a ZIP holding backup.daylio, JSON, or a CSV
header) unless one is given; each other app's format has its own module, imported only when
the file needs it (a CSV never loads the ZIP reader, a How We Feel file not Bearable's).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from numbtrack.errors import InvalidInput, NumbtrackError
from numbtrack.exchange.common import Report
from numbtrack.models import CheckIn
from numbtrack.value import FACTORY, Mutable

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: an export never needs typing
    from typing import IO, Any, ClassVar, TypeVar

    from numbtrack.exchange import daylio_backup
    from numbtrack.store import Filter, Store

    T = TypeVar("T")

EXPORT_FORMATS = ("csv", "json", "jsonl")
IMPORT_FORMATS = ("auto", "numbtrack", "daylio", "daylio-backup", "howwefeel", "bearable")

DERIVED_KINDS = ("Daylio CSV", "Daylio backup", "How We Feel CSV", "Bearable CSV")
"""Kinds whose check-ins an import derives from another app's entries (see `Store.put_many`'s
`derived`): importing again may update them, unless the person edited them since."""

MOOD_MAP_KINDS = ("Daylio CSV", "Daylio backup")


class Loaded(Mutable):
    checkins: list[CheckIn]
    kind: str
    """"numbtrack CSV", "numbtrack JSON", "numbtrack JSON Lines", or one of DERIVED_KINDS."""
    unmapped: Counter[str]
    """Mood labels --mood-map did not name (Daylio only)."""
    report: Report
    """How the source's names were mapped, and what was not kept."""

    FACTORIES: ClassVar[dict[str, Callable[[], object]]] = {"unmapped": Counter, "report": Report}
    """The defaults made anew for each object (a dataclass's default_factory)."""

    def __init__(
        self,
        checkins: list[CheckIn],
        kind: str,
        unmapped: Counter[str] = FACTORY,
        report: Report = FACTORY,
    ) -> None:
        self.checkins = checkins
        self.kind = kind
        self.unmapped = Counter() if unmapped is FACTORY else unmapped
        self.report = Report() if report is FACTORY else report

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

    The same bytes as `write(store.iter_all(f), ...)`, from text SQLite writes
    (`Store.iter_text`) so that no CheckIn is built per row. `progress` is told how many
    check-ins have been written so far (every thousand).
    """
    from numbtrack.exchange import native

    if long:
        if fmt != "csv":
            raise InvalidInput("--long is for CSV only.")
        return native.write_csv(counted(store.iter_all(f), progress), out, long=True)
    if fmt not in ("csv", "json", "jsonl"):
        raise InvalidInput(f'"{fmt}" is not an export format; use csv, json or jsonl.')
    if fmt == "csv":
        typed_column = store.any_typed(f)
        batches = store.iter_text("csv", f, typed=typed_column)
        lines = native.csv_packed_lines(typed_column)

        def exact(pks: list[int]) -> dict[int, str]:
            rows = store.packed_of(pks)
            return {pk: lines([row])[0][:-2] for pk, row in rows.items()}

        return native.write_csv_text(
            batches, out, typed_column=typed_column, exact=exact, progress=progress
        )
    typed = store.any_typed()
    records = json_records(store, "jsonl", f, typed=typed)
    if fmt == "json":
        return native.write_json_records(records, out, progress=progress)
    return native.write_jsonl_records(records, out, progress=progress)


def json_records(
    store: Store, kind: str, f: Filter, *, typed: bool, newest_first: bool = False
) -> Iterator[list[str]]:
    """Batches of the records of `Store.iter_text(kind, ...)` ("jsonl" or "json-list"), made
    from the text SQLite writes around each check-in's part fields and the JSON of its
    distinct CSV part cells (`native.json_from_cells`)."""
    from numbtrack.exchange import native

    def exact(pks: list[int]) -> dict[int, str]:
        return store.text_of(kind, pks, typed=typed)

    records = native.json_from_cells(kind, exact)
    for batch in store.iter_json_cells(kind, f, typed=typed, newest_first=newest_first):
        yield records(batch)


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
    """`items` as they are, telling `progress` every thousand how many have gone by (a
    Progress that can never be drawn, stderr not being a terminal, is not told)."""
    if progress is None or getattr(progress, "enabled", True) is False:
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

MAX_LINE_BYTES = 8 * 1024 * 1024
"""The longest line a streamed import reads (a check-in with the longest note and every
part it may have takes well under 1 MiB); an endless input without line breaks stops here."""

CHUNK = 1 << 20
"""Bytes read at a time."""

READ_AHEAD = sys.platform.startswith("linux")
"""Whether an import's check-ins are read and checked in a child process (`_read_ahead`);
where fork is not the usual way to make a process, they are read in this one."""


class Stream(Mutable):
    """A file being imported: its check-ins as they are read and checked, and what is known
    of it. `count`, `first` and `last` are complete once `checkins` has been used up."""

    checkins: Iterator[CheckIn | tuple[Any, ...]]
    """Check-ins, or packed ones (`store.pack`) when the stream was asked for them."""
    kind: str
    unmapped: Counter[str]
    report: Report
    count: int = 0
    first: date | None = None
    last: date | None = None

    FACTORIES: ClassVar[dict[str, Callable[[], object]]] = {"unmapped": Counter, "report": Report}
    """The defaults made anew for each object (a dataclass's default_factory)."""

    def __init__(
        self,
        checkins: Iterator[CheckIn | tuple[Any, ...]],
        kind: str,
        unmapped: Counter[str] = FACTORY,
        report: Report = FACTORY,
        count: int = 0,
        first: date | None = None,
        last: date | None = None,
    ) -> None:
        self.checkins = checkins
        self.kind = kind
        self.unmapped = Counter() if unmapped is FACTORY else unmapped
        self.report = Report() if report is FACTORY else report
        self.count = count
        self.first = first
        self.last = last

    @property
    def derived(self) -> bool:
        return self.kind in DERIVED_KINDS


def _tallied(
    s: Stream, items: Iterable[CheckIn | tuple[Any, ...]]
) -> Iterator[CheckIn | tuple[Any, ...]]:
    """`items` as they are, counted, and the first and last day noted in `s`."""
    first = last = ""
    for c in items:
        day: str = c[3] if isinstance(c, tuple) else c.at.date().isoformat()
        if not first or day < first:
            first = day
            s.first = date.fromisoformat(day)
        if day > last:
            last = day
            s.last = date.fromisoformat(day)
        s.count += 1
        yield c


def _open_error(path: Path, exc: OSError) -> InvalidInput:
    if isinstance(exc, FileNotFoundError):
        return InvalidInput(f"There is no file {path}.")
    if isinstance(exc, IsADirectoryError):
        return InvalidInput(f"{path} is a folder, not a file.")
    return InvalidInput(f"Cannot read {path}: {exc.strerror}.")


class _Reader:
    """A file read a chunk at a time, with the checks every import keeps: no NUL byte in a
    text file, at most MAX_IMPORT_BYTES, lines of UTF-8."""

    def __init__(self, path: Path, fh: IO[bytes]) -> None:
        self.path = path
        self.fh = fh
        self.total = 0
        self.archive = False

    def read(self) -> bytes:
        chunk = self.fh.read(CHUNK)
        if not self.total and chunk.startswith((b"PK\x03\x04", b"age-encryption.org/v1\n")):
            self.archive = True  # binary: a ZIP archive, or an encrypted file to decrypt
        if not self.archive and b"\x00" in chunk:
            raise InvalidInput("The file holds NUL bytes; it is not a text export.")
        self.total += len(chunk)
        if self.total > MAX_IMPORT_BYTES:
            raise InvalidInput(
                f"{self.path.name} is larger than {MAX_IMPORT_BYTES // 2**20} MiB, the most "
                "numbtrack imports at once; split it into smaller files."
            )
        return chunk

    def rest(self, head: bytes) -> bytes:
        chunks = [head]
        while chunk := self.read():
            chunks.append(chunk)
        return b"".join(chunks)

    def texts(self, head: bytes) -> Iterator[str]:
        """The file from its start as text, in pieces that each end on a line break (but the
        last); UTF-8 problems name their line."""
        line = 1
        first = True
        buffer = head
        eof = not head
        while True:
            end = len(buffer) if eof else buffer.rfind(b"\n") + 1
            if end:
                piece, buffer = buffer[:end], buffer[end:]
                try:
                    text = piece.decode("utf-8-sig" if first else "utf-8")
                except UnicodeDecodeError as exc:
                    at = line + piece[: exc.start].count(b"\n")
                    raise InvalidInput(f"Line {at}: the file is not UTF-8 text.") from None
                first = False
                line += piece.count(b"\n")
                yield text
            elif len(buffer) > MAX_LINE_BYTES:
                raise InvalidInput(
                    f"Line {line} is longer than {MAX_LINE_BYTES // 2**20} MiB; this is not "
                    "a numbtrack export."
                )
            if eof:
                return
            chunk = self.read()
            eof = not chunk
            buffer += chunk


def _read_bounded(path: Path) -> bytes:
    with path.open("rb") as fh:
        return read_bounded_from(path, fh)


def read_bounded_from(path: Path, fh: IO[bytes]) -> bytes:
    """All of `fh` (which `path` names in messages), with the checks of every import: at most
    MAX_IMPORT_BYTES, and no NUL byte unless it is a ZIP archive."""
    reader = _Reader(path, fh)
    return reader.rest(reader.read())


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
    s = stream(path, fmt, mood_map, data)
    checkins = [c for c in s.checkins if isinstance(c, CheckIn)]  # never packed: all of them
    return Loaded(checkins, s.kind, s.unmapped, s.report)


def stream(
    path: Path,
    fmt: str = "auto",
    mood_map: dict[str, str] | None = None,
    data: bytes | None = None,
    *,
    packed: bool = False,
) -> Stream:
    """`load`, with the check-ins of numbtrack's CSV and JSON Lines read and checked as
    they are taken (a problem is raised from the iteration, naming its line); other files
    are read and checked whole first. Every check-in has been through `models.validate`
    (what `Store.put_many(..., checked=True)` takes).

    `packed`: the check-ins come packed (`store.pack`, which `Store.put_many` takes as
    well), so that no CheckIn is built for most of them (numbtrack's JSON and other apps'
    files but numbtrack's CSV and JSON Lines read whole still give CheckIns)."""
    if fmt not in IMPORT_FORMATS:
        raise InvalidInput(
            f'"{fmt}" is not an import format; use {", ".join(IMPORT_FORMATS[:-1])} or bearable.'
        )
    if data is not None:
        if path.suffix.lower() == ".age":
            path = path.with_suffix("")
        return _load_whole(path, fmt, mood_map, data, packed)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise _open_error(path, exc) from None
    try:
        reader = _Reader(path, fh)
        try:
            head = reader.read()
            while head.isspace() and (more := reader.read()):
                head += more
        except OSError as exc:
            raise _open_error(path, exc) from None
        kind = None if mood_map else _streamable(path, fmt, head)
        if kind is None:
            foreign = _foreign(path, fmt, head, mood_map) if packed and READ_AHEAD else None
            if foreign is not None:
                return _read_ahead_whole(path, fmt, mood_map, fh, reader, head, foreign)
            try:
                raw = reader.rest(head)
            except OSError as exc:
                raise _open_error(path, exc) from None
            fh.close()
            return _load_whole(path, fmt, mood_map, raw, packed)
    except BaseException:
        fh.close()
        raise
    s = Stream(iter(()), kind)
    rows: Iterator[Any] = _streamed(fh, reader, head, kind, packed)
    if packed and READ_AHEAD:
        from numbtrack.exchange import native  # noqa: F401  (here, not in the child)

        rows = _read_ahead(rows, fh, path)
    s.checkins = _tallied(s, rows)
    return s


READ_AHEAD_BATCH = 1000
"""Check-ins a reading process sends at a time (`_read_ahead`)."""

Send = Callable[[str, "Any"], None]
"""How the reading child sends a message: its tag ("rows", "summary", ...) and value."""


def _read_ahead(rows: Iterator[tuple[Any, ...]], fh: IO[bytes], path: Path) -> Iterator[Any]:
    """`rows` read and checked by a child process (a fork of this one), while this process
    goes on: it opens the store, and stages what the child has sent so far. The two cores of
    a small machine then share an import's first pass (the reading and checking is pure
    Python; the staging mostly SQLite).

    The child sends the packed check-ins (`store.pack`: plain values only) in marshalled
    batches through a pipe; a full pipe makes it wait, so memory stays flat. A problem it
    finds is sent as its sentence and raised here as the same InvalidInput, after every
    check-in before it (as reading in this process would). Should the child stop without
    saying the file ended, nothing of the file is taken: an error is raised. The child keeps
    only the file and the pipe open (not, say, a lock this process holds) and leaves with
    os._exit, running nothing of this process's clean-up."""

    def work(send: Send) -> None:
        batch: list[Any] = []
        try:
            for row in rows:
                batch.append(row)
                if len(batch) >= READ_AHEAD_BATCH:
                    send("rows", batch)
                    batch = []
        finally:
            send("rows", batch)  # the check-ins before a problem too, as here

    child = _fork(fh, path, work)
    return rows if child is None else child.rows  # no child: read here


def _fork(fh: IO[bytes], path: Path, work: Callable[[Send], None]) -> _Child | None:
    """`work` done by a child process (see `_read_ahead`), which it tells what it found by
    `send`; after it, the child says the file ended ("end"), or sends the sentence of the
    InvalidInput it raised ("error"), or what else went wrong ("crash", a bug). None when no
    child could be made (the caller then reads here)."""
    import marshal
    import signal

    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # pragma: no cover  (the child; coverage does not follow it)
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            keep = sorted({fh.fileno(), w})
            os.closerange(3, keep[0])
            for lo, hi in zip(keep, [*keep[1:], _FD_LIMIT], strict=True):
                os.closerange(lo + 1, hi)
            with open(w, "wb", buffering=1 << 16) as out:

                def send(tag: str, value: Any) -> None:
                    data = marshal.dumps((tag, value))
                    out.write(len(data).to_bytes(8, "little"))
                    out.write(data)

                try:
                    work(send)
                    send("end", None)
                except InvalidInput as exc:
                    send("error", exc.message)
                except Exception as exc:  # a bug: said as it is, raised in the parent
                    send("crash", f"{type(exc).__name__}: {exc}")
            status = 0
        finally:
            os._exit(status)
    os.close(w)
    fh.close()  # the child reads it on
    return _Child(pid, open(r, "rb", buffering=1 << 16), path)


_FD_LIMIT = 1 << 20
"""Above every descriptor a process may have open (os.closerange closes up to it)."""


class _Child:
    """What `_read_ahead`'s child sends: the check-ins it read (iterating), and its summary.

    Batches are taken from the pipe as the check-ins are asked for; `settle` takes all the
    rest at once (for a summary wanted before the check-ins), keeping them, and any problem
    the child met, for the iteration. The child is waited for (and stopped, if the
    iteration ends early)."""

    def __init__(self, pid: int, pipe: IO[bytes], path: Path) -> None:
        self.pid = pid
        self.pipe = pipe
        self.path = path
        self.batches: deque[list[Any]] = deque()
        self.summary: Any = None
        self.finished = False
        self.problem: BaseException | None = None
        self.rows = self._rows()

    def _rows(self) -> Iterator[Any]:
        try:
            batches = self.batches
            while True:
                while batches:
                    yield from batches.popleft()
                if self.finished:
                    if self.problem is not None:
                        raise self.problem
                    return
                self._take()
        finally:
            self._close()

    def settle(self) -> None:
        """Take everything the child has still to send (its summary too)."""
        while not self.finished:
            try:
                self._take()
            except (NumbtrackError, RuntimeError) as exc:
                self.problem, self.finished = exc, True
        self._close()

    def _take(self) -> None:
        """One message of the child's."""
        import marshal

        head = self.pipe.read(8)
        body = self.pipe.read(int.from_bytes(head, "little")) if len(head) == 8 else b""
        if not body:
            raise NumbtrackError(
                f"The process reading {self.path.name} stopped before the end of it; "
                "nothing was imported."
            )
        tag, value = marshal.loads(body)
        if tag == "rows":
            if value:
                self.batches.append(value)
        elif tag == "summary":
            self.summary = value
        elif tag == "end":
            self.finished = True
        elif tag == "error":
            self.problem, self.finished = InvalidInput(value), True
        else:
            raise RuntimeError(f"reading {self.path.name}: {value}")

    def _close(self) -> None:
        import signal

        if self.pipe.closed:
            return
        self.pipe.close()
        with contextlib.suppress(ChildProcessError):  # already reaped (SIGCHLD ignored)
            if self.finished:  # it said all it had to: it is leaving
                os.waitpid(self.pid, 0)
            elif os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)


def _received(pid: int, pipe: IO[bytes], path: Path) -> Iterator[Any]:
    """What `_read_ahead`'s child sends, as the check-ins it read (`_Child`)."""
    return _Child(pid, pipe, path).rows


def _foreign(path: Path, fmt: str, head: bytes, mood_map: dict[str, str] | None) -> str | None:
    """The kind of another app's file ("Daylio backup", "How We Feel CSV", ...), when the
    file's start says which it is for sure (the way `_read_whole` would find it) and it can be
    read ahead (`_read_ahead_whole`); None when it is to be read here (anything else, or
    anything that `_read_whole` may refuse before knowing the kind)."""
    if fmt == "numbtrack":
        return None
    if head.startswith(b"PK\x03\x04") or fmt == "daylio-backup":
        if fmt not in ("auto", "daylio", "daylio-backup"):
            return None  # refused, here
        return "Daylio backup"
    if mood_map and fmt not in ("auto", "daylio"):
        return None
    end = head.find(b"\n")
    if end < 0 or end > 60_000 or b'"' in head[:end] or b"\x00" in head[:end]:
        return None  # a header this cannot be sure of: read here
    try:
        first = head[: end + 1].decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    stripped = first.lstrip()
    if not stripped.strip() or stripped[0] in "{[" or stripped.startswith("eyJ"):
        return None
    import csv
    import io

    try:
        header = next(csv.reader(io.StringIO(first, newline="")), [])
    except csv.Error:
        return None
    app = _other_app(header) if fmt == "auto" else fmt
    kind = {"daylio": "Daylio CSV", "howwefeel": "How We Feel CSV", "bearable": "Bearable CSV"}
    found = kind.get(app or "")
    if found is None or (mood_map and found not in MOOD_MAP_KINDS):
        return None
    return found


def _read_ahead_whole(
    path: Path,
    fmt: str,
    mood_map: dict[str, str] | None,
    fh: IO[bytes],
    reader: _Reader,
    head: bytes,
    kind: str,
) -> Stream:
    """Another app's file read, mapped and checked whole by a child process (`_fork`, as
    `_load_whole` does here), its check-ins packed and sent as they are made (`_Sent`), so
    that this process stages them meanwhile. The child sends the report (and the counts and
    days) after the last check-in: the stream's `report`, `unmapped`, `count`, `first` and
    `last` are known once its check-ins have been taken (asked before, they wait for the
    child, keeping its check-ins for the iteration: `_AheadStream`)."""

    def work(send: Send) -> None:
        import gc

        gc.disable()  # for good: the child keeps what it makes until it leaves
        with fh:
            try:
                raw = reader.rest(head)
            except OSError as exc:
                raise _open_error(path, exc) from None
        sent = _Sent(send)
        s = _load_whole(path, fmt, mood_map, raw, True, sent)
        if s.kind != kind:  # _foreign said otherwise: a bug
            raise RuntimeError(f"{path.name} is {s.kind}, not {kind}")
        sent.flush()
        r = s.report
        send(
            "summary",
            (
                dict(s.unmapped),
                [(section, dict(items)) for section, items in r.mapped.items()],
                dict(r.own_words),
                dict(r.not_kept),
                r.moved,
                sent.n,
                sent.first or None,
                sent.last or None,
            ),
        )

    child = _fork(fh, path, work)
    if child is None:  # no child: read here
        try:
            raw = reader.rest(head)
        except OSError as exc:
            raise _open_error(path, exc) from None
        finally:
            fh.close()
        return _load_whole(path, fmt, mood_map, raw, True)
    return _AheadStream(child, kind)


class _Sent(list["Any"]):
    """The list a reader appends its check-ins to in `_read_ahead_whole`'s child: every
    READ_AHEAD_BATCH of them are sent to the importing process as they come (and leave the
    list); `flush` sends the rest. It counts them and notes their first and last day, as
    `_whole` does of a list."""

    def __init__(self, send: Send) -> None:
        super().__init__()
        self.send = send
        self.n = 0
        self.first = ""
        self.last = ""

    def append(self, c: Any) -> None:
        list.append(self, c)
        if len(self) >= READ_AHEAD_BATCH:
            self.flush()

    def flush(self) -> None:
        if self:
            days = [c[3] for c in self]  # packed (`store.pack`)
            first, last = min(days), max(days)
            if not self.first or first < self.first:
                self.first = first
            if last > self.last:
                self.last = last
            self.n += len(self)
        self.send("rows", list(self))
        self.clear()


class _AheadStream(Stream):
    """A Stream of `_read_ahead_whole`: its summary comes from the child, after the check-ins."""

    _unmapped: Counter[str]
    _report: Report
    _count: int
    _first: date | None
    _last: date | None

    def __init__(self, child: _Child, kind: str) -> None:
        self._child = child
        self._known = False
        super().__init__(child.rows, kind)

    def _settled(self) -> None:
        """What the child said of the file, taken into the fields (once)."""
        if self._known:
            return
        child = self._child
        if child.summary is None:
            child.settle()  # asked before the check-ins were all taken
        self._known = True
        if child.summary is None:
            return  # the child met a problem: the iteration raises it
        unmapped, mapped, own, not_kept, moved, count, first, last = child.summary
        self._unmapped = Counter(unmapped)
        report = self._report
        for section, items in mapped:
            report.mapped[section] = Counter(items)
        report.own_words.update(own)
        report.not_kept.update(not_kept)
        report.moved.extend((where, gap) for where, gap in moved)
        self._count = count
        self._first = date.fromisoformat(first) if first else None
        self._last = date.fromisoformat(last) if last else None

    @property
    def unmapped(self) -> Counter[str]:
        self._settled()
        return self._unmapped

    @unmapped.setter
    def unmapped(self, value: Counter[str]) -> None:
        self._unmapped = value

    @property
    def report(self) -> Report:
        self._settled()
        return self._report

    @report.setter
    def report(self, value: Report) -> None:
        self._report = value

    @property
    def count(self) -> int:
        self._settled()
        return self._count

    @count.setter
    def count(self, value: int) -> None:
        self._count = value

    @property
    def first(self) -> date | None:
        self._settled()
        return self._first

    @first.setter
    def first(self, value: date | None) -> None:
        self._first = value

    @property
    def last(self) -> date | None:
        self._settled()
        return self._last

    @last.setter
    def last(self, value: date | None) -> None:
        self._last = value


def _streamable(path: Path, fmt: str, head: bytes) -> str | None:
    """ "numbtrack JSON Lines" or "numbtrack CSV" when the file's start says it is one (and
    `fmt` allows it), else None: the file is read whole."""
    if fmt not in ("auto", "numbtrack") or head.startswith(b"PK"):
        return None
    start = head[: head.rfind(b"\n") + 1] or head
    try:
        text = start.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None  # read whole: the error names its line
    stripped = text.lstrip()
    if not stripped:
        return None
    if stripped[0] in "{[" or stripped.startswith("eyJ"):
        if stripped.startswith("eyJ") or '"dayEntries"' in text:
            return None
        from numbtrack.exchange import native  # here: other apps' files never need it

        first = stripped.split("\n", 1)[0].rstrip()
        is_lines = (
            path.suffix.lower() == ".jsonl"
            or first == native.JSONL_HEADER
            or (first.startswith('{"id"') and first.endswith("}"))
        )
        return "numbtrack JSON Lines" if is_lines else None
    import csv
    import io

    try:
        header = next(csv.reader(io.StringIO(text[:65536], newline="")), [])
    except csv.Error:
        return None
    if fmt == "auto" and _other_app(header) is not None:
        return None
    return "numbtrack CSV"


def _other_app(header: list[str]) -> str | None:
    """The format ("daylio", "howwefeel" or "bearable") whose header this is, or None; each
    importer's module is imported only when the ones before it did not know the header."""
    from numbtrack.exchange import daylio

    if daylio.looks_like(header):
        return "daylio"
    from numbtrack.exchange import howwefeel

    if howwefeel.looks_like(header):
        return "howwefeel"
    from numbtrack.exchange import bearable

    return "bearable" if bearable.looks_like(header) else None


def _streamed(
    fh: IO[bytes], reader: _Reader, head: bytes, kind: str, packed: bool
) -> Iterator[CheckIn | tuple[Any, ...]]:
    from numbtrack.exchange import native

    with fh:
        texts = reader.texts(head)
        try:
            if kind == "numbtrack CSV":
                import io

                lines: Iterator[str] = (
                    line for text in texts for line in io.StringIO(text, newline="")
                )
                yield from (native.iter_csv_packed if packed else native.iter_csv)(lines)
            else:
                split = (line for text in texts for line in text.split("\n"))
                yield from (native.iter_jsonl_packed if packed else native.iter_jsonl)(split)
        except OSError as exc:
            raise _open_error(reader.path, exc) from None


def _load_whole(
    path: Path,
    fmt: str,
    mood_map: dict[str, str] | None,
    raw: bytes,
    packed: bool = False,
    out: list[Any] | None = None,
) -> Stream:
    """Read and check a file already read whole (other apps' files packed when asked, and
    their check-ins appended to `out` when given: see `_Sent`).

    Reading a whole file makes a great many objects that all stay (the rows, their parts,
    the caches of what repeats) and no garbage cycles: the cyclic collector is paused while
    it reads, which would otherwise walk every one of them again each time their number
    grows by a quarter (a twentieth of a Bearable import), and runs as usual after."""
    import gc

    paused = gc.isenabled()
    gc.disable()
    try:
        return _read_whole(path, fmt, mood_map, raw, packed, out)
    finally:
        if paused:
            gc.enable()


def _read_whole(
    path: Path,
    fmt: str,
    mood_map: dict[str, str] | None,
    raw: bytes,
    packed: bool,
    out: list[Any] | None = None,
) -> Stream:
    if mood_map and fmt not in ("auto", "daylio", "daylio-backup"):
        raise InvalidInput("--mood-map is only for Daylio files.")
    if raw.startswith(b"PK\x03\x04") or fmt == "daylio-backup":
        if fmt not in ("auto", "daylio", "daylio-backup"):
            raise InvalidInput(f"This is a ZIP archive, not a {_NAMES[fmt]} file.")
        if raw.startswith(b"PK"):
            from numbtrack.exchange import daylio_backup

            result = daylio_backup.read(raw, mood_map, packed, out)
        else:
            result = _backup_unpacked(raw, mood_map, packed, out)
        return _whole(result.checkins, "Daylio backup", result.unmapped, result.report)
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
            return Stream(iter(()), "numbtrack JSON Lines")
        raise InvalidInput(f"{path} is empty.")
    if stripped[0] in "{[" or stripped.startswith("eyJ"):
        if fmt == "auto" and (stripped.startswith("eyJ") or '"dayEntries"' in text):
            result = _backup_unpacked(raw, mood_map, packed, out)
            return _whole(result.checkins, "Daylio backup", result.unmapped, result.report)
        if fmt != "auto" and fmt != "numbtrack":
            raise InvalidInput(f"This is JSON, not a {_NAMES[fmt]} export.")
        if mood_map:
            raise InvalidInput("--mood-map is only for Daylio files.")
        from numbtrack.exchange import native  # here: other apps' files never need it

        first = stripped.split("\n", 1)[0].rstrip()
        is_lines = (
            path.suffix.lower() == ".jsonl"
            or first == native.JSONL_HEADER
            or (first.startswith('{"id"') and first.endswith("}"))
        )
        if is_lines:
            return _whole(native.read_jsonl(text), "numbtrack JSON Lines")
        return _whole(native.read_json(text), "numbtrack JSON")
    import csv
    import io

    try:
        header = next(csv.reader(io.StringIO(text[:65536], newline="")), [])
    except csv.Error:
        header = []
    if fmt == "auto":
        fmt = _other_app(header) or "numbtrack"
    if fmt == "daylio":
        from numbtrack.exchange import daylio

        result_csv = daylio.read(text, mood_map, packed, out)
        return _whole(result_csv.checkins, "Daylio CSV", result_csv.unmapped, result_csv.report)
    if mood_map:
        raise InvalidInput("--mood-map is only for Daylio files.")
    if fmt == "howwefeel":
        from numbtrack.exchange import howwefeel

        checkins, report = howwefeel.read(text, packed, out)
        return _whole(checkins, "How We Feel CSV", report=report)
    if fmt == "bearable":
        from numbtrack.exchange import bearable

        checkins, report = bearable.read(text, packed, out)
        return _whole(checkins, "Bearable CSV", report=report)
    from numbtrack.exchange import native

    return _whole(native.read_csv(text), "numbtrack CSV")


def _whole(
    checkins: list[CheckIn] | list[CheckIn | tuple[Any, ...]],
    kind: str,
    unmapped: Counter[str] | None = None,
    report: Report | None = None,
) -> Stream:
    """A stream of check-ins all in hand: counted, first and last day known already."""
    s = Stream(iter(checkins), kind, unmapped or Counter(), report or Report())
    days = [c[3] if isinstance(c, tuple) else c.at.date().isoformat() for c in checkins]
    if days:
        s.count = len(days)
        s.first = date.fromisoformat(min(days))
        s.last = date.fromisoformat(max(days))
    return s


_NAMES = {
    "numbtrack": "numbtrack",
    "daylio": "Daylio CSV",
    "daylio-backup": "Daylio backup",
    "howwefeel": "How We Feel",
    "bearable": "Bearable",
}


def _backup_unpacked(
    raw: bytes,
    mood_map: dict[str, str] | None,
    packed: bool = False,
    out: list[Any] | None = None,
) -> daylio_backup.BackupResult:
    """A backup's JSON outside its ZIP: the base64 member on its own, or the decoded JSON."""
    from numbtrack.exchange import daylio_backup

    text = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    data = daylio_backup.parse_json(text) if text.startswith(b"{") else daylio_backup.decode(text)
    return daylio_backup.read_data(data, mood_map, packed=packed, out=out)
