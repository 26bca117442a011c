"""The store: the one class that owns the SQLite database, and the only module with SQL.

Opening a Store applies pending migrations (sqlite_utils.Migrations), so a new file and an old
one are handled the same way. The connection is plain sqlite3 in autocommit mode; every write
is one explicit `BEGIN IMMEDIATE ... COMMIT`, so a check-in and all its parts land together or
not at all, and concurrent writers queue on the busy timeout instead of failing.

Why plain sqlite3 on the hot path: `import sqlite_utils` costs about 70 ms, more than the whole
budget of `numbtrack log`. It is imported only when migrations are pending.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from numbtrack import merge, migrations, paths, vocab
from numbtrack.errors import InvalidInput, NotFound, NumbtrackError, StoreError
from numbtrack.models import (
    CheckIn,
    Feeling,
    Sensation,
    Typed,
    check_text,
    to_dict,
    unmark_own,
    utc_stamp,
    validate,
)
from numbtrack.value import Frozen, Mutable, as_dict, replace, set_field
from numbtrack.vocab import spell as vocab_spell

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: `numbtrack log` never imports typing (see quick.py)
    from typing import Any

BUSY_TIMEOUT_S = 15.0
"""How long a writer waits for another one to finish before giving up."""

FIRST_TRY_MS = 100
"""A writer's first wait for the lock, before it looks again whether an import is switching
its rows in (see `Store._begin_or_announce`)."""

BATCH = 1000
"""Check-ins fetched per round trip when iterating the whole history."""

MADE_KEEP = 10_000
"""At most this many distinct parts are kept for sharing while iterating (memory stays flat)."""


class Filter(Frozen):
    """What `Store.query` selects. Every field is optional; all given fields must match."""

    since: date | None = None
    until: date | None = None
    words: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    qualities: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    state: str | None = None
    text: str | None = None

    def __init__(
        self,
        since: date | None = None,
        until: date | None = None,
        words: tuple[str, ...] = (),
        regions: tuple[str, ...] = (),
        qualities: tuple[str, ...] = (),
        practices: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        state: str | None = None,
        text: str | None = None,
    ) -> None:
        set_field(self, "since", since)
        set_field(self, "until", until)
        set_field(self, "words", words)
        set_field(self, "regions", regions)
        set_field(self, "qualities", qualities)
        set_field(self, "practices", practices)
        set_field(self, "tags", tags)
        set_field(self, "state", state)
        set_field(self, "text", text)


class PutResult(Frozen):
    """What `Store.put_many` did with each incoming check-in."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    """Same id, different content, and the stored one is newer: it was kept."""
    edited: int = 0
    """A derived import only: the person edited the stored copy since, so it was kept."""

    def __init__(
        self,
        added: int = 0,
        updated: int = 0,
        unchanged: int = 0,
        conflicts: int = 0,
        edited: int = 0,
    ) -> None:
        set_field(self, "added", added)
        set_field(self, "updated", updated)
        set_field(self, "unchanged", unchanged)
        set_field(self, "conflicts", conflicts)
        set_field(self, "edited", edited)


class Own(Frozen):
    """The names a person kept as their own on purpose."""

    words: frozenset[str] = frozenset()
    qualities: frozenset[str] = frozenset()
    practices: frozenset[str] = frozenset()

    def __init__(
        self,
        words: frozenset[str] = frozenset(),
        qualities: frozenset[str] = frozenset(),
        practices: frozenset[str] = frozenset(),
    ) -> None:
        set_field(self, "words", words)
        set_field(self, "qualities", qualities)
        set_field(self, "practices", practices)


JOURNAL_KEEP = 100
"""How many changes (journal batches) the undo journal keeps; older ones are forgotten."""


class JournalBatch(Frozen):
    """One change in the undo journal, as `Store.journal_batches` summarises it."""

    batch: int
    action: str
    """add, edit, delete, import or undo."""
    at_utc: str
    """When the change was made (a UTC stamp)."""
    rows: int
    """How many check-ins it touched."""
    created: int
    """How many of them did not exist before it (their `before` is NULL)."""
    checkin_id: str
    """The first check-in it touched."""
    before: str | None
    """That check-in's JSON before the change."""

    def __init__(
        self,
        batch: int,
        action: str,
        at_utc: str,
        rows: int,
        created: int,
        checkin_id: str,
        before: str | None,
    ) -> None:
        set_field(self, "batch", batch)
        set_field(self, "action", action)
        set_field(self, "at_utc", at_utc)
        set_field(self, "rows", rows)
        set_field(self, "created", created)
        set_field(self, "checkin_id", checkin_id)
        set_field(self, "before", before)


def _image(c: CheckIn) -> str:
    """A check-in as the journal keeps it: compact JSON of `models.to_dict`."""
    return json.dumps(to_dict(c), ensure_ascii=False, separators=(",", ":"))


class SyncDevice(Frozen):
    """What this store knows of one device in the sync folder (a row of sync_devices)."""

    device: str
    name: str = ""
    read_seq: int = 0
    """The last of its files this store has applied."""
    changes_seq: int = 0
    """The last of those that carried changes (not only read receipts)."""
    acks: str = "{}"
    """JSON: how far that device said it had read every other device."""
    written_at: str = ""
    """When it wrote the newest file read from it (UTC)."""
    read_at: str = ""
    """When this store last read one of its files (UTC)."""

    def __init__(
        self,
        device: str,
        name: str = "",
        read_seq: int = 0,
        changes_seq: int = 0,
        acks: str = "{}",
        written_at: str = "",
        read_at: str = "",
    ) -> None:
        set_field(self, "device", device)
        set_field(self, "name", name)
        set_field(self, "read_seq", read_seq)
        set_field(self, "changes_seq", changes_seq)
        set_field(self, "acks", acks)
        set_field(self, "written_at", written_at)
        set_field(self, "read_at", read_at)


class LocalChanges(Mutable):
    """This device's own changes since the last export, as `Store.local_changes` found them."""

    puts: list[CheckIn]
    deletes: list[tuple[str, str]]
    """(id, deleted_at) pairs."""
    upto: int
    """The journal position they reach; the next export starts after it."""

    def __init__(self, puts: list[CheckIn], deletes: list[tuple[str, str]], upto: int) -> None:
        self.puts = puts
        self.deletes = deletes
        self.upto = upto


class SyncApplied(Mutable):
    """What `Store.apply_sync` did."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    kept: int = 0
    """Changes that lost against what is here under the merge rule."""

    def __init__(
        self,
        added: int = 0,
        updated: int = 0,
        deleted: int = 0,
        unchanged: int = 0,
        kept: int = 0,
    ) -> None:
        self.added = added
        self.updated = updated
        self.deleted = deleted
        self.unchanged = unchanged
        self.kept = kept

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.deleted


class _Staged(Mutable):
    """What pass 1 of an import staged (see `Store._plan_all`)."""

    rows: int
    """Staged rows, numbered 1 to rows in file order."""
    writes: int
    """How many of them are to be written."""
    result: PutResult
    version: int
    """The store's data_version when pass 1 read it: another writer committed since when a
    step finds another one."""
    deletes: bool
    """Some row to write replaces a stored check-in or a tombstone."""
    parts: frozenset[str]
    """The keys of the part tables (_PART_TABLES) that some staged row has parts in."""
    stored: int = 0
    """Check-ins in the store when pass 1 read it."""

    def __init__(
        self,
        rows: int,
        writes: int,
        result: PutResult,
        version: int,
        deletes: bool,
        parts: frozenset[str],
        stored: int = 0,
    ) -> None:
        self.rows = rows
        self.writes = writes
        self.result = result
        self.version = version
        self.deletes = deletes
        self.parts = parts
        self.stored = stored


_OUTCOMES = ("added", "updated", "unchanged", "conflicts", "edited")

IMPORT_STEP = 1000
"""Check-ins in the first step of an import's switch (a short write transaction); later
steps take as many as go in about STEP_SECONDS. A revert undoes this many at a time."""

STEP_SECONDS = 0.25
"""About how long one step of an import holds the write lock: a concurrent writer waits for
one step at most. Each step is a commit that writes again every index page it touched, so
fewer, longer steps are much cheaper in all (at 0.05 s a 52k-row import took about 100 steps
and wrote its indexes to the WAL several times over); a quarter of a second still lets a
`log` in well within its second."""

IMPORT_STEP_MAX = 40_000
"""The most check-ins in one step, however fast the last one went (the machine may be
busier for the next)."""

REBUILT_INDEXES = (
    ("checkins_day", "CREATE INDEX checkins_day ON checkins (day)"),
    ("checkins_created_at", "CREATE INDEX checkins_created_at ON checkins (created_at)"),
    ("checkins_at_utc", "CREATE INDEX checkins_at_utc ON checkins (at_utc, created_at, id)"),
    ("feelings_word", "CREATE INDEX feelings_word ON feelings (word)"),
    ("sensations_region", "CREATE INDEX sensations_region ON sensations (region)"),
    ("sensations_quality", "CREATE INDEX sensations_quality ON sensations (quality)"),
    ("practices_practice", "CREATE INDEX practices_practice ON practices (practice)"),
    ("tags_tag", "CREATE INDEX tags_tag ON tags (tag)"),
)
"""The secondary indexes a large import drops in its first step and builds again after its
last (each CREATE INDEX sorts once, where the rows one by one would land all over the index):
as the migrations make them (tests/test_import_rebuild.py compares). The indexes every step
needs stay: the ids (checkins' UNIQUE, the part tables' keys) and the journal's batches."""

_AT_UTC_HINT = "INDEXED BY checkins_at_utc"
"""A query's walk along the at_utc index by name (see Store._hinted: the index can be away
while a large import runs)."""

REBUILD_MAX = 100_000
"""Indexes are dropped and built again only when the store holds at most this many
check-ins after the import: one index is built in one step, and a larger build would keep
other writers waiting longer than a step."""

STAGE_FLUSH = 5000
"""Check-ins an import stages with one executemany."""

STAGE_KEYS_KEEP = 20_000
"""At most this many distinct part lists are remembered while staging (memory stays flat)."""

BUILD_ROWS = 500
"""Rows in one INSERT of a new store's build (`Store._build`): one statement of multi-row
VALUES."""

_CHECKIN_COLUMNS = "id, at, at_utc, day, can_feel, state, note, sleep_hours, created_at, updated_at"
"""The columns of `checkins` an import writes, in the order of a packed check-in (`pack`)."""

_PART_TABLES = (
    ("feelings", "word, intensity, custom", "f"),
    ("sensations", "region, quality, intensity, direction, tone", "s"),
    ("practices", "practice", "p"),
    ("tags", "tag", "t"),
    ("typed_names", "kind, typed, name", "y"),
)
"""The part tables, their columns after (checkin_id, position), and the key of their staged
lists (`stage_f`, ...: one row per part of each distinct list)."""


def pack(c: CheckIn) -> tuple[Any, ...]:
    """A validated check-in as an import stages it: its `checkins` columns in the order of
    _CHECKIN_COLUMNS, then its feelings as (word, intensity, custom 0/1) tuples, sensations
    as (region, quality, intensity, direction, tone), practices (plain names) and tags as
    strings, typed names as (kind, typed, name); each list a tuple. A reader that checks
    rows itself may hand `Store.put_many` such tuples instead of check-ins."""
    return (
        c.id, c.at.isoformat(), _utc_key(c.at), c.day.isoformat(), c.can_feel, c.state,
        c.note, c.sleep_hours, c.created_at, c.updated_at,
        tuple((f.word, f.intensity, int(f.custom)) for f in c.feelings),
        tuple((x.region, x.quality, x.intensity, x.direction, x.tone) for x in c.sensations),
        c.practices,
        c.tags,
        tuple((t.kind, t.typed, t.name) for t in c.typed),
    )  # fmt: skip


def unpack(item: tuple[Any, ...]) -> CheckIn:
    """The validated check-in that `pack` packed (the inverse of `pack`)."""
    shipped = vocab.load().qualities
    return CheckIn(
        id=item[0],
        at=datetime.fromisoformat(item[1]),
        can_feel=item[4],
        state=item[5],
        note=item[6],
        sleep_hours=item[7],
        feelings=tuple(Feeling(w, i, bool(own)) for w, i, own in item[10]),
        sensations=tuple(Sensation(r, q, i, d, t, q not in shipped) for r, q, i, d, t in item[11]),
        practices=tuple(item[12]),
        tags=tuple(item[13]),
        created_at=item[8],
        updated_at=item[9],
        typed=tuple(Typed(*t) for t in item[14]),
    )


_NONE: dict[None, None] = {}
sqlite3.register_adapter(type(None), _NONE.get)
"""None is bound as NULL either way; through the adapter registry (a dict lookup and a C
call) instead of the module's fallback, which looks for `__adapt__` and `__conform__` and
raises and clears an AttributeError for each None bound: about 2,500 instructions a None,
and an import binds several a row."""

IMPORT_CACHE_KIB = 32 * 1024
"""SQLite's page cache while an import writes (the default is 2 MiB): the indexes it adds to
stay in memory between steps."""

BUILD_INDEX_CACHE_KIB = 16 * 1024
"""SQLite's page cache while a new store's secondary indexes are made (`Store._build`). It
also bounds each CREATE INDEX's sort, which keeps that many bytes of keys in memory before it
writes a sorted run to a temporary file: at IMPORT_CACHE_KIB the sort of a large import took
up to 32 MiB more on top of the rows' cache (whose memory the C allocator keeps), so peak
memory went on growing with the file. At 16 MiB a 30-year store's indexes still sort in
memory and its tables are read again from the file about 2,000 times more
(docs/performance.md)."""

WRITERS = "-writers"
"""Beside the store (numbtrack.db-writers): while an import switches its rows in, a writer
waiting for the lock holds a shared lock on it, so that the import lets it in between two
steps (`Store._let_writers_in`)."""

IMPORT_MARKER = "-import"
"""Beside the store (numbtrack.db-import): names the journal batch of an import between its
first and last step, locked by the importing process; see `Store._recover_import`."""

SYNC_LOCK = "sync.lock"
"""In the data folder: held (flock) by a sync for its whole run, and by an import while its
steps go in. So a sync never sends out half an import that a kill would then revert (the
other devices would keep rows this one no longer has), and never records a journal position
inside one."""


def _from_image(image: str) -> CheckIn:
    """A journal image (`_image`) back as a check-in."""
    d = json.loads(image)
    return CheckIn(
        id=d["id"],
        at=datetime.fromisoformat(d["at"]),
        can_feel=d["can_feel"],
        state=d["state"],
        note=d["note"],
        sleep_hours=d["sleep_hours"],
        feelings=tuple(Feeling(f["word"], f["intensity"], f["custom"]) for f in d["feelings"]),
        sensations=tuple(
            Sensation(
                s["region"], s["quality"], s["intensity"], s["direction"], s["tone"], s["custom"]
            )
            for s in d["sensations"]
        ),
        practices=tuple(d["practices"]),
        tags=tuple(d["tags"]),
        created_at=d["created_at"],
        updated_at=d["updated_at"],
    )


_FTS_CREATE = 'CREATE VIRTUAL TABLE "checkins_fts" USING FTS5 ('
"""How the migrations' note index begins (`Store._fts_sql`)."""

_FTS_SHADOWS = ("data", "idx", "docsize", "config")
"""The tables in which FTS5 keeps the note index (checkins_fts_data, ...)."""

NOTES_NAME = "numbtrack-notes.db"
"""What the temporary file of a new store's note index is named after (`_NoteIndex`)."""


class _NoteIndex:
    """The note index (FTS5) of a store being built (`Store._build`), made from its
    committed rows by another connection, in a thread, into a private temporary file of its
    own, while the building connection makes the secondary indexes: SQLite leaves Python's
    lock while it works, so the two use both cores (the reading child is done by then).
    `copy_into` waits for it and copies the index's four tables into the store: the same
    index as filling it there, row for row."""

    def __init__(self, built: Path, path: Path, fts: str) -> None:
        import threading

        self.built = built
        self.path = path
        self.fts = fts
        self.conn: sqlite3.Connection | None = None
        self.problem: BaseException | None = None
        self.reading = threading.Event()
        self.thread = threading.Thread(target=self._make, name="note index", daemon=True)

    @classmethod
    @contextlib.contextmanager
    def made(cls, built: Path, fts: str) -> Iterator[_NoteIndex]:
        """The note index of the store at `built`, to be made (`start`); its file goes when
        the block ends, whatever happens (`paths.building`), the thread stopped first."""
        with paths.building(built.with_name(NOTES_NAME)) as path:
            notes = cls(built, path, fts)
            try:
                yield notes
            finally:
                notes.stop()

    def start(self) -> None:
        """Begin, and wait until the thread holds its read lock on the built file: from
        then on the building connection can write (a page it must write out before its
        commit waits for the thread's reading to end; never the other way round)."""
        self.thread.start()
        self.reading.wait()

    def _make(self) -> None:
        try:
            from urllib.parse import quote

            conn = sqlite3.connect(
                "file:" + quote(str(self.path.absolute())),
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
            self.conn = conn
            try:
                conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: nothing to undo
                conn.execute("PRAGMA synchronous = OFF")
                conn.execute("ATTACH ? AS built", [ro_uri(self.built)])
                conn.execute("BEGIN")
                conn.execute("SELECT count(*) FROM built.sqlite_master").fetchone()
                self.reading.set()
                conn.execute(self.fts)
                conn.execute(
                    "INSERT INTO checkins_fts (rowid, note) SELECT pk, note FROM built.checkins"
                )
                conn.execute("COMMIT")
                conn.execute("DETACH built")
            finally:
                self.conn = None
                conn.close()
        except BaseException as exc:  # raised again by the building thread
            self.problem = exc
        finally:
            self.reading.set()

    def stop(self) -> None:
        conn = self.conn
        if conn is not None and self.thread.is_alive():
            with contextlib.suppress(sqlite3.Error):
                conn.interrupt()
        if self.thread.ident is not None:
            self.thread.join()

    def wait(self) -> None:
        """Wait until the index is made (raising what went wrong in the thread)."""
        self.thread.join()
        if self.problem is not None:
            raise self.problem

    def copy_into(self, conn: sqlite3.Connection) -> None:
        """Wait for the index, then put it in the store of `conn` (which has this file
        attached as `notes`, in an open transaction)."""
        self.wait()
        for table in _FTS_SHADOWS:
            conn.execute(f"DELETE FROM main.checkins_fts_{table}")
            conn.execute(
                f"INSERT INTO main.checkins_fts_{table} SELECT * FROM notes.checkins_fts_{table}"
            )


class _DryRun(Exception):
    """Raised inside a write to roll it back on purpose."""


def same_content(a: CheckIn, b: CheckIn) -> bool:
    """Equal in everything a person recorded (the bookkeeping timestamps aside)."""
    return (
        a.id == b.id
        and a.at == b.at
        and a.at.isoformat() == b.at.isoformat()
        and a.can_feel == b.can_feel
        and a.state == b.state
        and a.note == b.note
        and a.sleep_hours == b.sleep_hours
        and a.feelings == b.feelings
        and a.sensations == b.sensations
        and a.practices == b.practices
        and a.tags == b.tags
    )


def _fts_query(text: str) -> str:
    """Quote every word so that search text is never read as FTS5 syntax.

    A NUL ends FTS5's query text wherever it stands (quoted or not), so it is read as the
    space between words that FTS5's tokenizer makes of it in the notes themselves.
    """
    words = text.replace("\x00", " ").split()
    return " ".join('"' + t.replace('"', '""') + '"' for t in words)


BACKUP_LOCK = ".lock"
"""In backups/: held while a backup is written or old ones are pruned."""

SQLITE_HEADER = b"SQLite format 3\x00"


def damaged_message(path: Path) -> str:
    return (
        f"{path} is damaged, so numbtrack will not copy or read it as it is and it was left "
        f"untouched; rescue what can be read with `sqlite3 {path} .recover | sqlite3 "
        "rescued.db`, or bring back your newest backup with `numbtrack restore`."
    )


FULL_BELOW = 1024 * 1024
"""A disk I/O error with less free space than this on the store's disk is called a full disk."""


def _free_bytes(folder: Path) -> int:
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return FULL_BELOW


def _disk_full(exc: sqlite3.Error) -> bool:
    return "disk is full" in str(exc) or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL"


def explain(exc: sqlite3.Error, path: Path) -> StoreError:
    """One sentence for an SQLite error on the store at `path`, naming what went wrong: a
    full disk, a read-only folder, a busy store, a damaged file or a file that is not ours."""
    text = str(exc)
    if "user-defined function raised exception" in text:
        # The one Python function SQLite runs for numbtrack, TEXT_REPR's repr of a float,
        # fails only when a signal's exception is raised inside it (Ctrl-C, or SIGTERM while
        # a file is written): stop as that signal stops, not as a damaged store.
        raise paths.interruption() from None
    if _disk_full(exc):
        return StoreError(
            f"The disk holding {path.parent} is full, so nothing was written; "
            "free some space and try again."
        )
    if isinstance(exc, sqlite3.OperationalError) and (
        "readonly" in text or "unable to open" in text or "read-only" in text
    ):
        return StoreError(
            f"numbtrack cannot write to {path.parent} (it is read-only or not "
            "yours); check its permissions or point NUMBTRACK_HOME at another folder."
        )
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return StoreError(
            "The database is busy with another numbtrack for too long; try again in a moment."
        )
    if "malformed" in text or getattr(exc, "sqlite_errorname", "") == "SQLITE_CORRUPT":
        return StoreError(damaged_message(path))
    if "disk I/O error" in text or getattr(exc, "sqlite_errorname", "").startswith("SQLITE_IOERR"):
        # On a full disk SQLite often says only this (its -shm file cannot grow).
        if _free_bytes(path.parent) < FULL_BELOW:
            return StoreError(
                f"The disk holding {path.parent} is full, so nothing was written; "
                "free some space and try again."
            )
        return StoreError(
            f"Reading or writing {path} failed (a disk I/O error), so nothing was written; "
            "check the disk and try again."
        )
    return StoreError(
        f"{path} is not a numbtrack database that can be read ({text}); it was left untouched."
    )


def _looks_whole(path: Path) -> bool:
    """An SQLite file as long as its header says: what a finished backup is."""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        return False
    page = int.from_bytes(head[16:18], "big") or 65536
    pages = int.from_bytes(head[28:32], "big")
    return pages > 0 and size >= page * pages


@contextlib.contextmanager
def _sidecars_removed(db: Path) -> Iterator[None]:
    """Remove SQLite's -journal, -wal and -shm files of `db` if the block fails."""
    try:
        yield
    except BaseException:
        for suffix in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{db}{suffix}")
        raise


def ro_uri(path: Path) -> str:
    """A read-only SQLite URI for a path, every special character quoted (`?`, `#`, `%`)."""
    from urllib.parse import quote

    return "file:" + quote(str(Path(path).absolute())) + "?mode=ro"


def _utc_key(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_US, _RS = "\x1f", "\x1e"
"""Between the fields of one part and between parts, in packed part columns. Names are made
of letters, digits, hyphens and apostrophes (models.validate), so neither can occur in one."""


def _packed(table: str, fields: str) -> str:
    parts = " || char(31) || ".join(f"ifnull({x.strip()}, '')" for x in fields.split(","))
    # An aggregate over an ordered subquery keeps the subquery's order in SQLite (its query
    # flattener never drops an ORDER BY under an aggregate); unpack_* checks the positions.
    return (
        f"(SELECT group_concat(position || char(31) || {parts}, char(30)) FROM"
        f" (SELECT * FROM {table} WHERE checkin_id = c.id ORDER BY position))"
    )


PACKED_FIELDS = (
    "id", "at", "day", "can_feel", "state", "note", "sleep_hours", "created_at", "updated_at",
    "feelings", "sensations", "practices", "tags",
)  # fmt: skip
"""The columns of `Store.iter_packed` rows."""

_PACKED_SELECT = (
    "SELECT c.id, c.at, c.day, c.can_feel, c.state, c.note, c.sleep_hours, c.created_at,"
    " c.updated_at, "
    + ", ".join(
        _packed(table, fields)
        for table, fields in (
            ("feelings", "word, intensity, custom"),
            ("sensations", "region, quality, intensity, direction, tone"),
            ("practices", "practice"),
            ("tags", "tag"),
        )
    )
    + " FROM checkins c"
)


# -- export text made by SQLite (Store.iter_text) ------------------------------------------
#
# An export or `list --all --json` of ten years spent most of its time on per-row Python. Here
# SQLite writes each check-in's text itself: every part cell (feelings, sensations, practices,
# tags, typed names) is one correlated aggregate over the part table's primary key, in
# position order, and the scalar columns are put around them. The formats are defined by the
# writers in exchange/native.py (write_csv, write_jsonl, write_json_list); tests/test_perf.py
# compares every byte on generated and awkward histories. Two things stay in Python because
# SQLite would write them differently: a float (`repr`, through the function TEXT_REPR) and the
# CSV quoting of the note (native.py; its other cells are checked there, see csv_lines).


TEXT_KINDS = ("csv", "jsonl", "json-list")
"""What `Store.iter_text` writes: CSV cells, a JSON Lines record, a `list --json` record."""

TEXT_REPR = "numbtrack_repr"
"""The SQL function that is Python's repr (registered by `Store.iter_text`)."""


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _one_of(names: Iterable[str]) -> str:
    return "(" + ",".join(_lit(n) for n in sorted(names)) + ")"


def _cell(
    table: str, item: str, sep: str, *, wrap: tuple[str, str] | None = None, empty: str = "[]"
) -> str:
    """One check-in's parts of `table` as text: each part's `item`, in position order, joined
    by `sep`; NULL without parts, or `wrap`ped (`empty` without parts)."""
    # The four part tables are WITHOUT ROWID (m009): the table is its (checkin_id, position)
    # key, and the only way to a check-in's parts is along it, so they come in position order
    # without an ordered subquery (which cost a tenth of an export). typed_names (m008) is a
    # rowid table: an aggregate over an ordered subquery keeps the subquery's order in SQLite.
    # Tests pin the order with parts written backwards.
    if table in migrations.PART_TABLES_WITHOUT_ROWID:
        source = f"{table} WHERE checkin_id = c.id"
    else:
        source = f"(SELECT * FROM {table} WHERE checkin_id = c.id ORDER BY position)"
    joined = f"(SELECT group_concat({item}, {_lit(sep)}) FROM {source})"
    if wrap is None:
        return joined
    return f"ifnull({_lit(wrap[0])} || {joined} || {_lit(wrap[1])}, {_lit(empty)})"


class _Choice:
    """Text pieces that depend on a condition: `yes` where `cond` holds, else `no`."""

    def __init__(self, cond: str, yes: Sequence[Piece], no: Sequence[Piece] = ()) -> None:
        self.cond, self.yes, self.no = cond, list(yes), list(no)


Piece = str | tuple[str] | _Choice
"""Literal text, a (SQL value,) or a _Choice, for `_concat`."""


def _concat(pieces: Sequence[Piece]) -> str:
    """SQL for the text of `pieces` one after another, concatenated as little as possible:
    each _Choice is unfolded into a CASE whose branches hold everything around it, so that
    neighbouring literals are one literal and nothing is appended for an absent field (each
    `||` copies the whole text so far, and appending '' copies it too; a part's text took a
    third of an export). A NULL value makes the whole text NULL."""
    choices = [(len(p.cond), i) for i, p in enumerate(pieces) if isinstance(p, _Choice)]
    if choices:
        # The longest condition outermost: it is then written once (a vocabulary's IN list).
        i = max(choices)[1]
        piece = pieces[i]
        assert isinstance(piece, _Choice)
        before, after = list(pieces[:i]), list(pieces[i + 1 :])
        yes, no = _concat(before + piece.yes + after), _concat(before + piece.no + after)
        return f"CASE WHEN {piece.cond} THEN {yes} ELSE {no} END"
    merged: list[str] = []
    text: str | None = None
    for piece in pieces:
        if isinstance(piece, str):
            text = (text or "") + piece
            continue
        if text is not None:
            merged.append(_lit(text))
            text = None
        assert not isinstance(piece, _Choice)  # unfolded above
        merged.append(piece[0])
    if text is not None or not merged:
        merged.append(_lit(text or ""))
    return " || ".join(merged)


def _list(table: str, item: Sequence[Piece], items: str, wrap: tuple[str, str]) -> str:
    """`_cell` of a JSON list whose every item begins with the same literal text: that text
    goes into the separator and the opening instead of into each item."""
    head = item[0] if item and isinstance(item[0], str) else ""
    rest = item[1:] if head else item
    return _cell(table, _concat(rest), items + head, wrap=(wrap[0] + head, wrap[1]))


def _is_shipped(column: str, shipped: Iterable[str]) -> str:
    return f"{column} IN {_one_of(shipped)}"


def _printf(pieces: Sequence[str | tuple[str]]) -> str:
    """printf() of literal text and (SQL value,) pieces: one string made at once (a chain of
    `||` copies the growing text once per piece). A NULL value is written as ''."""
    text = "".join(p.replace("%", "%%") if isinstance(p, str) else "%s" for p in pieces)
    values = [p[0] for p in pieces if not isinstance(p, str)]
    return f"printf({', '.join([_lit(text), *values])})"


def _json_dict(fields: Sequence[tuple[str, str]], start: str, sep: str, end: str) -> str:
    """A JSON object of (key, SQL value) pairs as json.dumps writes it (keys in this order);
    a value without a key is written as it is (it brings its own separator, or nothing)."""
    pieces: list[str | tuple[str]] = []
    for i, (key, value) in enumerate(fields):
        if key:
            pieces.append((start if i == 0 else sep) + f'"{key}": ')
        pieces.append((value,))
    return _printf([*pieces, end])


def _json_pieces(
    fields: Sequence[tuple[str, Piece]], start: str, sep: str, end: str
) -> list[Piece]:
    """`_json_dict`'s object as pieces for `_concat`."""
    pieces: list[Piece] = []
    for i, (key, value) in enumerate(fields):
        pieces += [(start if i == 0 else sep) + f'"{key}": ', value]
    return [*pieces, end]


def _int_or_null(column: str) -> _Choice:
    """A number's JSON, or null."""
    return _Choice(f"{column} IS NULL", ["null"], [(column,)])


def _text_or_null(column: str) -> _Choice:
    """`_null_or` as pieces: a string's JSON, or null when it is NULL or ''."""
    return _Choice(f"{column} <> ''", [(f"json_quote({column})",)], ["null"])


def _csv_parts(qualities: Iterable[str], practices: Iterable[str]) -> str:
    """SQL of a check-in's four part cells of a CSV row (feelings, sensations, practices,
    tags), joined by commas: what `checkins.parts_csv` (m010) holds."""
    shipped_quality = _is_shipped("quality", qualities)
    shipped_practice = _is_shipped("practice", practices)
    feelings = _cell(
        "feelings",
        _concat(
            [
                ("word",),
                _Choice("intensity IS NULL", [], [":", ("intensity",)]),
                _Choice("custom", [":own"]),
            ]
        ),
        "|",
    )
    sensations = _cell(
        "sensations",
        _concat(
            [
                ("region",),
                ":",
                ("quality",),
                _Choice("intensity IS NULL", [], [":", ("intensity",)]),
                _Choice("direction <> ''", [":", ("direction",)]),
                _Choice("tone <> ''", [":", ("tone",)]),
                _Choice(shipped_quality, [], [":own"]),
            ]
        ),
        "|",
    )
    practice = _concat([("practice",), _Choice(shipped_practice, [], [":own"])])
    cells = [feelings, sensations, _cell("practices", practice, "|"), _cell("tags", "tag", "|")]
    return _printf([(cells[0],), ",", (cells[1],), ",", (cells[2],), ",", (cells[3],)])


def _json_layout(kind: str) -> tuple[str, str, str, str, str, str, tuple[str, str, str]]:
    """start, sep, end, items, opening, close of a record, and an inner object's start, sep
    and end, as json.dumps writes a JSON Lines record ("jsonl") or a `list --json` one."""
    if kind == "jsonl":
        # {"id": ..., "feelings": [{"word": ..., ...}, ...], ...} as json.dumps writes it.
        return "{", ", ", "}", ", ", "[", "]", ("{", ", ", "}")
    # The same record, indented as json.dumps(..., indent=2) inside a list writes it.
    return (
        "  {\n    ",
        ",\n    ",
        "\n  }",
        ",\n      ",
        "[\n      ",
        "\n    ]",
        ("{\n        ", ",\n        ", "\n      }"),
    )


def _json_parts(kind: str, qualities: Iterable[str], practices: Iterable[str]) -> str:
    """SQL of a record's four part fields ("feelings" to "tags"), each after the record's
    separator."""
    q = "json_quote"
    _, sep, _, items, opening, close, (inner_start, inner_sep, inner_end) = _json_layout(kind)
    shipped_quality = _is_shipped("quality", qualities)
    shipped_practice = _is_shipped("practice", practices)

    def part_list(table: str, item: str) -> str:
        return _cell(table, item, items, wrap=(opening, close))

    def part_dict(table: str, fields: Sequence[tuple[str, Piece]]) -> str:
        pieces = _json_pieces(fields, inner_start, inner_sep, inner_end)
        return _list(table, pieces, items, (opening, close))

    fields = [
        (
            "feelings",
            part_dict(
                "feelings",
                [
                    ("word", (f"{q}(word)",)),
                    ("intensity", _int_or_null("intensity")),
                    ("custom", _Choice("custom", ["true"], ["false"])),
                ],
            ),
        ),
        (
            "sensations",
            part_dict(
                "sensations",
                [
                    ("region", (f"{q}(region)",)),
                    ("quality", (f"{q}(quality)",)),
                    ("intensity", _int_or_null("intensity")),
                    ("direction", _text_or_null("direction")),
                    ("tone", _text_or_null("tone")),
                    ("custom", _Choice(shipped_quality, ["false"], ["true"])),
                ],
            ),
        ),
        (
            "practices",
            part_list(
                "practices",
                _concat(
                    [
                        _Choice(
                            shipped_practice, [(f"{q}(practice)",)], [(f"{q}(practice || ':own')",)]
                        )
                    ]
                ),
            ),
        ),
        ("tags", part_list("tags", f"{q}(tag)")),
    ]
    pieces: list[str | tuple[str]] = []
    for key, value in fields:
        pieces += [sep + f'"{key}": ', (value,)]
    return _printf(pieces)


def _vocab_key(qualities: Iterable[str], practices: Iterable[str]) -> str:
    """What parts_csv_vocab holds: the shipped names its text was made with."""
    return _one_of(qualities) + " " + _one_of(practices)


def _parts_of(kind: str, qualities: Iterable[str], practices: Iterable[str]) -> str:
    """SQL of a check-in's part text of one of TEXT_KINDS, made from its parts."""
    if kind == "csv":
        return _csv_parts(qualities, practices)
    return _json_parts(kind, qualities, practices)


class PartsText:
    """checkins.parts_csv (m010) made in Python, where a write has the parts at hand (`log`,
    an edit, an import's staged rows): each of the four part lists (packed as `pack` packs
    them) becomes its cell once and is reused, as a history repeats the same few lists. The
    same text as `fill_parts_csv` makes in SQL (tests/test_parts_csv.py compares)."""

    KEEP = 20_000
    """At most this many distinct lists of each part table are remembered."""

    def __init__(self, qualities: Iterable[str], practices: Iterable[str]) -> None:
        self.qualities, self.practices = frozenset(qualities), frozenset(practices)
        self.key = _vocab_key(self.qualities, self.practices)
        self.made: list[dict[tuple[Any, ...], str]] = [{}, {}, {}, {}]
        self.items: dict[tuple[Any, ...], str] = {}

    @staticmethod
    def _feelings(parts: tuple[Any, ...]) -> str:
        return "|".join(
            w + ("" if i is None else f":{i}") + (":own" if own else "") for w, i, own in parts
        )

    def _sensations(self, parts: tuple[Any, ...]) -> str:
        items = self.items
        cells = []
        for x in parts:
            cell = items.get(x)
            if cell is None:
                if len(items) > self.KEEP:  # memory stays flat
                    items.clear()
                cell = items[x] = self._sensation(*x)
            cells.append(cell)
        return "|".join(cells)

    def _sensation(self, r: str, q: str, i: int | None, d: str | None, t: str | None) -> str:
        """One sensation's item (once per distinct one: lists of them differ far more)."""
        return (
            f"{r}:{q}"
            + ("" if i is None else f":{i}")
            + (f":{d}" if d else "")
            + (f":{t}" if t else "")
            + ("" if q in self.qualities else ":own")
        )

    def _practices(self, parts: tuple[Any, ...]) -> str:
        shipped = self.practices
        return "|".join(x if x in shipped else x + ":own" for x in parts)

    @staticmethod
    def _tags(parts: tuple[Any, ...]) -> str:
        return "|".join(parts)

    def cell(self, j: int, parts: tuple[Any, ...]) -> str:
        """The CSV cell of a packed list of part table j (feelings, sensations, practices,
        tags)."""
        return (self._feelings, self._sensations, self._practices, self._tags)[j](parts)

    def of(
        self,
        feelings: tuple[Any, ...],
        sensations: tuple[Any, ...],
        practices: tuple[Any, ...],
        tags: tuple[Any, ...],
    ) -> str:
        """The parts_csv of a check-in with these packed part lists."""
        cells = []
        for made, parts, make in zip(
            self.made,
            (feelings, sensations, practices, tags),
            (self._feelings, self._sensations, self._practices, self._tags),
            strict=True,
        ):
            cell = made.get(parts)
            if cell is None:
                if len(made) > self.KEEP:  # memory stays flat
                    made.clear()
                cell = made[parts] = make(parts)
            cells.append(cell)
        return ",".join(cells)

    def of_checkin(self, c: CheckIn) -> str:
        """`of` a check-in."""
        return self.of(
            tuple((f.word, f.intensity, int(f.custom)) for f in c.feelings),
            tuple((x.region, x.quality, x.intensity, x.direction, x.tone) for x in c.sensations),
            c.practices,
            c.tags,
        )


def parts_csv_maker(conn: sqlite3.Connection) -> PartsText | None:
    """A PartsText for a write, when checkins.parts_csv was made with the vocabulary numbtrack
    ships (else None: the write leaves parts_csv NULL, and readers make those cells)."""
    v = vocab.load()
    maker = PartsText(v.qualities, v.practices)
    made = conn.execute("SELECT vocab FROM parts_csv_vocab").fetchone()
    return maker if made is not None and made[0] == maker.key else None


def fill_parts_csv(conn: sqlite3.Connection) -> None:
    """Make every check-in's parts_csv (m010) again in SQL, inside the caller's transaction,
    and record the vocabulary it was made with."""
    v = vocab.load()
    conn.execute("DELETE FROM parts_csv_vocab")
    conn.execute(
        "INSERT INTO parts_csv_vocab (vocab) VALUES (?)", [_vocab_key(v.qualities, v.practices)]
    )
    # The note-search trigger would index every note again (the notes do not change): it is
    # set aside for this one statement and put back exactly as it was.
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'checkins_au'"
    ).fetchone()
    if trigger:
        conn.execute("DROP TRIGGER checkins_au")
    conn.execute(f"UPDATE checkins AS c SET parts_csv = {_csv_parts(v.qualities, v.practices)}")
    if trigger:
        conn.execute(trigger[0])


def _text_select(
    kind: str,
    qualities: Iterable[str],
    practices: Iterable[str],
    typed: bool,
    parts: str | None = None,
) -> str:
    """The SELECT (without WHERE or ORDER BY) of `Store.iter_text` rows of one kind. `parts`:
    the SQL of the check-in's part text (`_csv_parts`, `_json_parts`) when it is not made
    here (a stored column)."""
    q = "json_quote"
    # The callback only for a number: most check-ins have no sleep hours.
    sleep = f"CASE WHEN c.sleep_hours IS NOT NULL THEN {TEXT_REPR}(c.sleep_hours) END"
    if kind == "csv":
        if parts is None:
            parts = _csv_parts(qualities, practices)
        cells: list[str | tuple[str]] = []
        for value in ("c.id", "c.at", "c.day", "c.can_feel", "c.state", parts, sleep):
            cells += [(value,), ","]
        after: list[str | tuple[str]] = [",", ("c.created_at",), ",", ("c.updated_at",)]
        if typed:
            names = _cell("typed_names", "kind || ':' || typed || '=' || name", "|")
            after += [",", (names,)]
        return f"SELECT c.pk, {_printf(cells)}, c.note, {_printf(after)} FROM checkins c"
    start, sep, end, items, opening, close, inner = _json_layout(kind)
    if parts is None:
        parts = _json_parts(kind, qualities, practices)
    record = [
        ("id", f"{q}(c.id)"),
        ("at", f"{q}(c.at)"),
        ("day", f"{q}(c.day)"),
        ("can_feel", "ifnull(c.can_feel, 'null')"),
        ("state", f"ifnull({q}(c.state), 'null')"),
        ("", parts),
        ("sleep_hours", f"ifnull({sleep}, 'null')"),
        ("note", f"ifnull({q}(c.note), 'null')"),
        ("created_at", f"{q}(c.created_at)"),
        ("updated_at", f"{q}(c.updated_at)"),
    ]
    if typed:
        # Only a check-in that keeps typed names has the field.
        names = _json_dict(
            [("kind", f"{q}(kind)"), ("typed", f"{q}(typed)"), ("name", f"{q}(name)")],
            *inner,
        )
        key = sep + '"typed": ' + opening
        record.append(("", _cell("typed_names", names, items, wrap=(key, close), empty="")))
    return f"SELECT {_json_dict(record, start, sep, end)} FROM checkins c"


def _json_cells_select(
    kind: str, qualities: Iterable[str], practices: Iterable[str], typed: bool, cells: bool
) -> str:
    """The SELECT (without WHERE or ORDER BY) of `Store.iter_json_cells` rows of "jsonl" or
    "json-list": (pk, the record's text before its part fields, checkins.parts_csv, the text
    after them). Where parts_csv is NULL, or not `cells` (it was made with another
    vocabulary), the cells are NULL and the text before holds the part fields made here."""
    q = "json_quote"
    start, sep, end, items, opening, close, inner = _json_layout(kind)
    sleep = f"CASE WHEN c.sleep_hours IS NOT NULL THEN {TEXT_REPR}(c.sleep_hours) END"
    head = [
        ("id", f"{q}(c.id)"),
        ("at", f"{q}(c.at)"),
        ("day", f"{q}(c.day)"),
        ("can_feel", "ifnull(c.can_feel, 'null')"),
        ("state", f"ifnull({q}(c.state), 'null')"),
    ]
    made = _json_dict([*head, ("", _json_parts(kind, qualities, practices))], start, sep, "")
    tail = [
        ("sleep_hours", f"ifnull({sleep}, 'null')"),
        ("note", f"ifnull({q}(c.note), 'null')"),
        ("created_at", f"{q}(c.created_at)"),
        ("updated_at", f"{q}(c.updated_at)"),
    ]
    if typed:
        names = _json_dict(
            [("kind", f"{q}(kind)"), ("typed", f"{q}(typed)"), ("name", f"{q}(name)")],
            *inner,
        )
        key = sep + '"typed": ' + opening
        tail.append(("", _cell("typed_names", names, items, wrap=(key, close), empty="")))
    after = _json_dict(tail, sep, sep, end)
    if not cells:
        return f"SELECT c.pk, {made}, NULL, {after} FROM checkins c"
    plain = _json_dict(head, start, sep, "")
    before = f"CASE WHEN c.parts_csv IS NULL THEN {made} ELSE {plain} END"
    return f"SELECT c.pk, {before}, c.parts_csv, {after} FROM checkins c"


def _repr(value: float | None) -> str | None:
    return None if value is None else repr(value)


def unpack_fields(packed: str | None, width: int) -> list[list[str]]:
    """The parts of a packed part column, in order, each as its `width` stored fields as text
    ('' for NULL); raises StoreError if they did not come back in position order."""
    if packed is None:
        return []
    out = []
    for i, part in enumerate(packed.split(_RS)):
        fields = part.split(_US)
        if len(fields) != width + 1 or fields[0] != str(i):
            raise StoreError(
                "A check-in's parts could not be read back in order; nothing was written."
            )
        out.append(fields[1:])
    return out


_WEEK = "CAST(julianday(c.day) - julianday(?) AS INTEGER) / 7"
"""The week of a check-in, counted from a Monday (the parameter)."""


def _id_of(c: CheckIn | tuple[Any, ...]) -> str:
    """The id of a check-in, or of a packed one (`pack`)."""
    found: str = c[0] if type(c) is tuple else c.id  # type: ignore[union-attr]
    return found


def _typed_rows(cs: Sequence[CheckIn]) -> list[tuple[str, int, str, str, str]]:
    """typed_names rows of these check-ins (most have none)."""
    return [(c.id, i, t.kind, t.typed, t.name) for c in cs for i, t in enumerate(c.typed)]


def _opt_int(text: str) -> int | None:
    return int(text) if text else None


def unpack_feelings(packed: str | None) -> tuple[Feeling, ...]:
    """The feelings of a packed `feelings` column, in order."""
    return tuple(
        Feeling(w, _opt_int(i), custom == "1") for w, i, custom in unpack_fields(packed, 3)
    )


def unpack_sensations(packed: str | None) -> tuple[Sensation, ...]:
    """The sensations of a packed `sensations` column, in order."""
    shipped = vocab.load().qualities
    return tuple(
        Sensation(r, q, _opt_int(i), d or None, t or None, q not in shipped)
        for r, q, i, d, t in unpack_fields(packed, 5)
    )


def unpack_names(packed: str | None) -> tuple[str, ...]:
    """The practices or tags of a packed `practices` or `tags` column, in order."""
    return tuple(x[0] for x in unpack_fields(packed, 1))


class Store:
    """A numbtrack database. Use as a context manager, or call close()."""

    def __init__(
        self, path: Path | None = None, *, building: bool = False, make: bool = True
    ) -> None:
        """`building`: `path` is the empty private temporary file of `build_new`, which no
        other process can see: its schema is made as the migrations make it, in one
        transaction with no journal file and nothing synced (`migrations.apply_new`).

        `make=False`: for a command that only reads, or that can only be refused where
        nothing is stored (`show`, `edit`, `delete` of an id): where there is no store yet
        (`nothing_at`), none is made, nor the data folder; an empty store in memory stands
        in for it, so the command says what it says of an empty store, and writing to it
        is a bug (`_write`)."""
        self.path = Path(path) if path is not None else paths.db_path()
        self.newer_than_me: list[str] = []
        self._marker_path = f"{self.path}{IMPORT_MARKER}"
        self._writers_path = f"{self.path}{WRITERS}"
        self._importing = False
        """This Store is switching an import in (its own writes do not wait for themselves)."""
        self.stand_in = not make and self.nothing_at(self.path)
        """No store at `path`: this one is empty, in memory (`make=False`)."""
        if self.stand_in:
            self._open_stand_in()
            return
        self._prepare_folder(self.path)
        # Owners first (never open another user's file), then what the file is (a foreign
        # file is left exactly as it was, mode included), then tighten our own modes.
        paths.make_private(self.path, tighten=False)
        new = not self.path.exists() or self.path.stat().st_size == 0
        if not new:
            self._refuse_other_files()
        else:
            paths.remove_stale_temps(self.path.parent)  # a killed build's (`build_new`)
        try:
            with paths.private_umask():
                self.conn = sqlite3.connect(
                    self.path,
                    timeout=BUSY_TIMEOUT_S,
                    isolation_level=None,
                    check_same_thread=False,
                )
                if not new:
                    self._refuse_foreign()
                paths.make_private(self.path)
                self.conn.execute("PRAGMA foreign_keys = ON")
                if building:
                    self._make_schema()
                else:
                    mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
                    if mode != "wal":
                        self.conn.execute("PRAGMA journal_mode = WAL")
                    self.conn.execute("PRAGMA synchronous = FULL")
                    self._migrate(new)
        except BaseException as exc:
            if hasattr(self, "conn"):
                with contextlib.suppress(Exception):
                    self.conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise self._explain(exc) from None
            raise
        if new:
            self.path.chmod(0o600)
        elif not self.newer_than_me and os.path.exists(self._marker_path):
            self._recover_import()

    # -- opening -------------------------------------------------------------------------

    def _open_stand_in(self) -> None:
        """The empty store in memory of `make=False`, after the checks opening a store makes
        that write nothing (the data folder a folder, and ours if it is there)."""
        self._check_folder(self.path)
        if self.path.parent.is_dir():
            paths.make_private(self.path, tighten=False)
        self.conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("BEGIN")
        migrations.apply_new(self.conn)
        self.conn.execute("COMMIT")

    @staticmethod
    def _check_folder(path: Path) -> Path:
        """The data folder of a store at `path`, refused if a file stands in its way."""
        folder = path.parent
        for part in (folder, *folder.parents):
            if part.exists() and not part.is_dir():
                raise StoreError(
                    f"{part} is a file, not a folder; point --home or NUMBTRACK_HOME at a "
                    "folder for numbtrack's data."
                )
            if part.exists():
                break
        return folder

    @classmethod
    def _prepare_folder(cls, path: Path) -> Path:
        """The data folder of a store at `path`, made (0700) if it is not there yet."""
        folder = cls._check_folder(path)
        try:
            paths.ensure_private_dir(folder)
        except OSError as exc:
            raise StoreError(
                f"numbtrack cannot create its data folder {folder}: {exc.strerror}."
            ) from None
        return folder

    def _refuse_other_files(self) -> None:
        """A file that is not SQLite at all is refused before SQLite opens it."""
        try:
            with self.path.open("rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"numbtrack cannot read {self.path}: {exc.strerror}.") from None
        if head != SQLITE_HEADER:
            raise StoreError(
                f"{self.path} is not a numbtrack database (it is not an SQLite file); "
                "it was left untouched."
            )

    def _refuse_foreign(self) -> None:
        """An SQLite database of another program (tables, but no numbtrack migration record)
        is refused before anything is written to it, and before it could be switched to WAL:
        its bytes stay as they were."""
        tables = {
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return  # a blank database: numbtrack makes its schema there
        if "_sqlite_migrations" in tables and self._applied():
            return
        raise StoreError(
            f"{self.path} is an SQLite database of another program (it holds no numbtrack "
            f"schema), so numbtrack left it untouched; point {paths.HOME_ENV} at another folder."
        )

    def _explain(self, exc: sqlite3.DatabaseError) -> StoreError:
        return explain(exc, self.path)

    def _applied(self) -> list[str]:
        try:
            rows = self.conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [migrations.MIGRATION_SET],
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise
        return [r[0] for r in rows]

    def _migrate(self, new: bool) -> None:
        applied = self._applied()
        self.newer_than_me = [n for n in applied if n not in migrations.NAMES]
        if self.newer_than_me or set(applied) >= set(migrations.NAMES):
            return
        # Something to apply. Hold the write lock while re-checking, so that several
        # processes opening a new store at once apply each migration exactly once.
        # The backup of an old store is taken inside that lock too, after the re-check: one
        # backup per migration, however many processes open the old store at once.
        from sqlite_utils import Database

        db = Database(self.conn, execute_plugins=False)  # no sqlite-utils plugin is needed
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            if not set(self._applied()) >= set(migrations.NAMES):
                if not new and self._has_checkins():
                    self._backup_before_upgrade()
                migrations.migration_set().apply(db)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _make_schema(self) -> None:
        """The schema of a store being built (see `__init__`'s `building`)."""
        conn = self.conn
        conn.execute("PRAGMA journal_mode = MEMORY")  # nobody else sees this file
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        try:
            migrations.apply_new(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _backup_before_upgrade(self) -> None:
        """Copy the store as it is, read through a second connection while this one holds
        the write lock (WAL lets it read the last committed state)."""
        self.check_sound()
        folder = self._backups_folder()
        source = sqlite3.connect(self.path)
        try:
            with paths.file_lock(folder / BACKUP_LOCK):
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
                self._copy_to(folder / f"numbtrack-{stamp}-before-upgrade.db", source)
        finally:
            source.close()

    def _has_checkins(self) -> bool:
        try:
            return self.conn.execute("SELECT 1 FROM checkins LIMIT 1").fetchone() is not None
        except sqlite3.OperationalError:
            return False

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.stand_in:
            raise RuntimeError(f"{self.path} does not exist: it was opened with make=False")
        if self.newer_than_me:
            raise StoreError(
                f"{self.path} was written by a newer numbtrack (it knows "
                f"{', '.join(self.newer_than_me)}); update numbtrack to change it. "
                "Nothing was written."
            )
        waiting = None
        if not self._importing and os.path.exists(self._marker_path):
            waiting = self._announce_writer()
        try:
            try:
                if waiting is None and not self._importing:
                    waiting = self._begin_or_announce()
                else:
                    self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as exc:
                raise self._explain(exc) from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise self._explain(exc) from None
                raise
        finally:
            if waiting is not None:
                os.close(waiting)

    def _begin_or_announce(self) -> int | None:
        """BEGIN IMMEDIATE for a writer that saw no import switching its rows in. It waits a
        short while (FIRST_TRY_MS) first: should an import have started its steps meanwhile
        (they follow each other so closely that SQLite's busy handler, which sleeps up to
        100 ms between tries, could miss every gap), it says it is waiting (as `_write` does)
        and waits for the rest of the busy timeout; the import lets it in after its step.
        Returns the fd of that announcement, if it made one."""
        full = int(BUSY_TIMEOUT_S * 1000)
        self.conn.execute(f"PRAGMA busy_timeout = {min(FIRST_TRY_MS, full)}")
        try:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return None
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or full <= FIRST_TRY_MS:
                    raise
            waiting = self._announce_writer() if os.path.exists(self._marker_path) else None
            self.conn.execute(f"PRAGMA busy_timeout = {max(full - FIRST_TRY_MS, 1)}")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                if waiting is not None:
                    os.close(waiting)
                raise
            return waiting
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {full}")

    # -- writing -------------------------------------------------------------------------

    def custom_words(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT word FROM custom_words")}

    def own(self) -> Own:
        """The person's own feeling words, sensation qualities and practices (one query)."""
        found: dict[str, set[str]] = {"w": set(), "q": set(), "p": set()}
        for kind, name in self.conn.execute(
            "SELECT 'w', word FROM custom_words UNION ALL SELECT 'q', name FROM own_qualities"
            " UNION ALL SELECT 'p', name FROM own_practices"
        ):
            found[kind].add(name)
        return Own(frozenset(found["w"]), frozenset(found["q"]), frozenset(found["p"]))

    def own_counts(self) -> dict[str, list[tuple[str, int]]]:
        """For "words", "qualities" and "practices": each own name with how many check-ins
        used it, by name."""
        queries = {
            "words": "SELECT o.word, count(DISTINCT x.checkin_id) FROM custom_words o"
            " LEFT JOIN feelings x ON x.word = o.word GROUP BY o.word ORDER BY o.word",
            "qualities": "SELECT o.name, count(DISTINCT x.checkin_id) FROM own_qualities o"
            " LEFT JOIN sensations x ON x.quality = o.name GROUP BY o.name ORDER BY o.name",
            "practices": "SELECT o.name, count(DISTINCT x.checkin_id) FROM own_practices o"
            " LEFT JOIN practices x ON x.practice = o.name GROUP BY o.name ORDER BY o.name",
        }
        return {
            kind: [(name, int(n)) for name, n in self.conn.execute(sql)]
            for kind, sql in queries.items()
        }

    def _validate(self, checkin: CheckIn, own: Own | None = None) -> CheckIn:
        own = own or self.own()
        return validate(checkin, own.words, own.qualities, own.practices)

    def add(self, checkin: CheckIn) -> CheckIn:
        """Validate and store a new check-in with all its parts, in one transaction."""
        now = utc_stamp()
        c = self._validate(checkin)
        c = replace(c, created_at=c.created_at or now, updated_at=c.updated_at or now)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM checkins WHERE id = ?", [c.id]).fetchone():
                raise InvalidInput(f"A check-in with id {c.id} already exists.")
            tomb = conn.execute("SELECT deleted_at FROM tombstones WHERE id = ?", [c.id]).fetchone()
            if tomb is not None:  # brought back: newer than its delete, on every device
                c = replace(c, updated_at=merge.after(now, tomb[0]))
                conn.execute("DELETE FROM tombstones WHERE id = ?", [c.id])
            self._insert(conn, c)
            self._journal(conn, "add", [(c.id, None)])
        self._touch_marker(c.day)
        return c

    def update(self, checkin: CheckIn) -> CheckIn:
        """Replace a stored check-in (matched by id) with this one, parts and all."""
        c = self._validate(checkin)
        c = replace(c, updated_at=utc_stamp())
        with self._write() as conn:
            old = conn.execute("SELECT 1 FROM checkins WHERE id = ?", [c.id]).fetchone()
            if old is None:
                raise NotFound(f"There is no check-in with id {c.id}.")
            stored = self._attach(conn, [self._row(conn, c.id)])[0]
            c = replace(
                c,
                created_at=stored.created_at,
                updated_at=merge.after(c.updated_at, stored.updated_at),
            )
            conn.execute("DELETE FROM checkins WHERE id = ?", [c.id])
            self._insert(conn, c)
            self._journal(conn, "edit", [(c.id, _image(stored))])
        return c

    def delete(self, checkin_id: str) -> CheckIn:
        """Remove a check-in and its parts; returns what was removed."""
        c = self.get(checkin_id)
        with self._write() as conn:
            if conn.execute("DELETE FROM checkins WHERE id = ?", [c.id]).rowcount:
                self._tombstone(conn, c.id, merge.after(utc_stamp(), c.updated_at), "")
                self._journal(conn, "delete", [(c.id, _image(c))])
        return c

    def put_many(
        self,
        incoming: Iterable[CheckIn | tuple[Any, ...]],
        *,
        dry_run: bool = False,
        derived: bool = False,
        checked: bool = False,
    ) -> PutResult:
        """Merge check-ins by id, all or nothing (an import or a restore).

        New ids are added; for an id already stored (or deleted), the merge rule of
        `numbtrack.merge` decides, the same rule sync uses: the newer change wins, and an
        old copy does not bring back a check-in deleted since. Every check-in is validated
        first; one bad check-in means nothing is written.

        `derived`: the check-ins were derived from another app's entries (Daylio, How We Feel,
        Bearable), stamped with the entry's own time. A stored copy that still carries that
        same stamp (to the second) is what an earlier import derived, untouched since: it is
        replaced, so a fuller --mood-map (or an entry changed in the other app) takes effect;
        the replacement is stamped a microsecond later, so that sync carries it too. A stored
        copy with another stamp was edited here since: it is kept, and counted in `edited`.

        `checked`: every check-in already went through `models.validate` (an importer's
        reader did it, own practices marked with ":own" by `keep_own`); it is not validated
        a second time. Such a reader may also give packed check-ins (`pack`): tuples that
        no CheckIn was built for.

        So that an import never keeps other writers waiting, and memory stays flat however
        long the file, it goes in two passes (see `_plan_all` and `_switch_steps`):

        1. Without the write lock: check-ins are taken from `incoming` one by one,
           validated, and staged in TEMP tables; then the ids already stored (or deleted, or
           twice in the file) are compared with the store (one read snapshot for the whole
           pass). A bad check-in anywhere stops here with nothing written.
        2. Then short write transactions (steps) that each move a range of the staged rows
           into the store in SQL, no Python per row: anything a concurrent writer changed
           meanwhile is compared again under the lock first. A concurrent `log` waits for
           one step at most (about STEP_SECONDS). The import is still
           all or nothing: should a step fail, or the process stop (a signal, or a kill that a
           later numbtrack notices by the marker file `numbtrack.db-import`), the steps already
           made are reverted (see `_revert_import`).
        """
        if self.newer_than_me and not dry_run:
            with self._write():
                pass  # the sentence saying this store is newer than this numbtrack
        try:
            staged = self._plan_all(incoming, derived, checked)
            if dry_run or not staged.writes:
                return staged.result
            result = self._switch_steps(staged, derived)
        finally:
            self._unstage()
        if result.added or result.updated:
            latest = self.latest_day()
            if latest:
                self._touch_marker(latest)
        return result

    # -- importing into a home without a store: built whole, then put in place -------------

    @classmethod
    def put_many_into(
        cls,
        path: Path | None,
        incoming: Iterable[CheckIn | tuple[Any, ...]],
        *,
        dry_run: bool = False,
        derived: bool = False,
        checked: bool = False,
    ) -> PutResult:
        """`Store(path).put_many(incoming, ...)` for a caller that has no store open (an
        import): into a home that has no store yet, the store is built whole and then put in
        place (`build_new`), which is much faster; the result is the same."""
        path = Path(path) if path is not None else paths.db_path()
        if not dry_run:
            paths.remove_stale_temps(path.parent)  # a killed build's temporary store
        if cls.nothing_at(path):
            if not dry_run:
                return cls.build_new(path, incoming, derived=derived, checked=checked)
            # A dry run makes no store where there is none: it asks an empty one, made in a
            # private temporary folder and removed with it, what would be added.
            import tempfile

            with (
                tempfile.TemporaryDirectory(prefix="numbtrack-dry-run-") as scratch,
                cls(Path(scratch) / path.name) as empty,
            ):
                return empty.put_many(incoming, dry_run=True, derived=derived, checked=checked)
        with cls(path) as store:
            return store.put_many(incoming, dry_run=dry_run, derived=derived, checked=checked)

    @staticmethod
    def nothing_at(path: Path) -> bool:
        """No store at `path`: neither the database nor any of SQLite's side files (a
        -wal left without its database is not nothing: it would be applied to a new one)."""
        return not any(os.path.lexists(f"{path}{suffix}") for suffix in paths.STORE_FILES)

    @classmethod
    def build_new(
        cls,
        path: Path,
        incoming: Iterable[CheckIn | tuple[Any, ...]],
        *,
        derived: bool = False,
        checked: bool = False,
    ) -> PutResult:
        """`put_many` into a home without a store (`nothing_at`), for a person's first import
        of their history: nobody can be kept waiting and nothing needs merging, so the store
        is built whole in a private temporary file beside `path` (made as the migrations make
        any store, the same schema), the rows written straight into their tables as they
        come (no staging, no steps; no journal file, nothing synced: nobody else can see the
        file), the secondary indexes and the note index built once at the end (the note
        index by another connection, beside the others: `_NoteIndex`), and the undo
        journal the same rows as an import's steps write (so `numbtrack undo` reverts it).
        Then the file is switched to WAL, synced, and given its name, which fails if the name
        was taken meanwhile: a store is never replaced.

        On any failure or signal (a bad line, a full disk, SIGINT/SIGTERM) the temporary file
        goes and no store is left behind; a kill leaves it to the next import or open
        (`paths.remove_stale_temps`). When the usual way is needed after all (the same id
        twice in the file, which the merge rule decides, or a store made meanwhile by a
        concurrent `log`), what was built goes in the usual way (`put_many`), followed by the
        rest: no check-in is lost."""
        cls._prepare_folder(path)
        paths.make_private(path, tighten=False)
        items = cls._checked_packed(incoming, checked)
        with paths.building(path) as tmp:
            built = cls(tmp, building=True)
            try:
                try:
                    whole = built._build(items)
                except sqlite3.DatabaseError as exc:
                    raise explain(exc, path) from None
                if whole is not None:  # the same id twice: the usual way from here
                    done, batch = whole
                    rest: Iterable[tuple[Any, ...]] = itertools.chain(
                        built._built_rows(done), batch, items
                    )
                    with cls(path) as store:
                        return store.put_many(rest, derived=derived, checked=True)
                latest = built.latest_day()
                added = int(built.conn.execute("SELECT count(*) FROM checkins").fetchone()[0])
                built.conn.execute("PRAGMA journal_mode = WAL")
            finally:
                built.close()
            try:
                placed = paths.put_new(tmp, path)
            except OSError as exc:
                raise paths.write_problem(path, exc) from None
            if not placed:  # a store made meanwhile: what was built goes in the usual way
                with cls(tmp) as built, cls(path) as store:
                    rows = built._built_rows(added)
                    return store.put_many(rows, derived=derived, checked=True)
        result = PutResult(added=added)
        if latest:
            built._touch_marker(latest)
        return result

    @staticmethod
    def _checked_packed(
        incoming: Iterable[CheckIn | tuple[Any, ...]], checked: bool
    ) -> Iterator[tuple[Any, ...]]:
        """The incoming check-ins validated (unless `checked`) and packed (`pack`), their
        created_at and updated_at filled in, as `_stage_all` takes them."""
        now = utc_stamp()
        names: tuple[set[str], set[str], set[str]] | None = None
        for item in incoming:
            if not isinstance(item, tuple):
                if not checked:
                    if names is None:
                        names = (set(), set(), set())  # a new store has no own names yet
                    c = Store._checked(item, names)
                else:
                    c = unmark_own(item)
                    if not c.created_at or not c.updated_at:
                        c = replace(
                            c, created_at=c.created_at or now, updated_at=c.updated_at or now
                        )
                item = pack(c)
            elif not item[8] or not item[9]:
                item = (*item[:8], item[8] or now, item[9] or now, *item[10:])
            yield item

    def _build(self, items: Iterator[tuple[Any, ...]]) -> tuple[int, list[tuple[Any, ...]]] | None:
        """Write `items` (packed, checked) into this new, empty store (see `build_new`): the
        rows in one transaction, the indexes in a second one while the rows go to the disk,
        the note index and the journal in a third. Returns None when every one is in; when
        an id comes a second time, how many came before the batch it came in (they stay in
        the open transaction, for `_built_rows`, numbered 1, 2, ... as they came) and that
        batch.

        Rows go in as multi-row VALUES, BUILD_ROWS at a time: one statement run for many
        rows, so that the CHECK constraints' IN lists are made once per statement, not once
        per row (as executemany does; that cost more than the insert itself)."""
        conn = self.conn
        conn.execute("PRAGMA journal_mode = MEMORY")  # nobody else sees this file
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        # Every part written belongs to a check-in written with it, in the same round; a
        # round whose check-ins cannot all go in is taken back whole.
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA ignore_check_constraints = ON")
        trigger = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'checkins_ai'"
        ).fetchone()
        conn.execute("BEGIN")
        for name, _ in REBUILT_INDEXES:
            conn.execute(f"DROP INDEX {name}")
        if trigger:
            conn.execute("DROP TRIGGER checkins_ai")
        shipped = vocab.load()
        shipped_q, shipped_p = frozenset(shipped.qualities), frozenset(shipped.practices)
        words: set[str] = set()
        qualities: set[str] = set()
        practices: set[str] = set()
        # Each check-in's parts_csv (m010), as the staged import's steps write it: its four
        # cells made once per distinct list, with that list's rows.
        maker = parts_csv_maker(conn)
        made = ", parts_csv" if maker is not None else ""
        tables = [("checkins", _CHECKIN_COLUMNS + made)] + [
            (table, f"checkin_id, position, {columns}") for table, columns, _ in _PART_TABLES
        ]
        widths = [len(columns.split(",")) for _, columns in tables]
        # Each distinct list once: its parts as (position, fields...), its CSV cell, and its
        # own names noted.
        caches: list[dict[tuple[Any, ...], tuple[tuple[Any, ...], str]]] = [{} for _ in range(5)]
        fs, ss, ps, ts, ys = caches
        batch: list[tuple[Any, ...]] = []
        flat: list[list[Any]] = [[] for _ in tables]
        cr, fr, sr, pr, tr, yr = flat
        done = 0

        statements: dict[tuple[int, int], str] = {}

        def statement(i: int, rows: int) -> str:
            (table, columns), width = tables[i], widths[i]
            row = f"({', '.join('?' * width)})"
            # OR IGNORE (check-ins) and OR FAIL (parts): no statement can be backed out half
            # way, so SQLite keeps no statement journal (a copy of every page it touches).
            how = "OR IGNORE" if i == 0 else "OR FAIL"
            sql = f"INSERT {how} INTO {table} ({columns}) VALUES {', '.join([row] * rows)}"
            statements[i, rows] = sql
            return sql

        def insert(i: int) -> int:
            width, values = widths[i], flat[i]
            written = 0
            lo, left = 0, len(values) // width
            # BUILD_ROWS at a time, the rest in halves (256, 128, ... rows): a statement of
            # each size is prepared once, not one of another length at every flush.
            rows = BUILD_ROWS
            while left:
                while rows > left:
                    rows = 1 << (left.bit_length() - 1)
                hi = lo + rows * width
                sql = statements.get((i, rows)) or statement(i, rows)
                written += conn.execute(sql, values[lo:hi]).rowcount
                lo, left = hi, left - rows
            values.clear()
            return written

        def flush() -> bool:
            nonlocal done
            if insert(0) < len(batch):  # an id met before: this batch goes the usual way
                return False
            for i in range(1, len(tables)):
                if flat[i]:
                    insert(i)
            done += len(batch)
            batch.clear()
            return True

        def parts(j: int, lst: tuple[Any, ...]) -> tuple[tuple[Any, ...], str]:
            known = caches[j]
            if len(known) > STAGE_KEYS_KEEP:  # memory stays flat
                known.clear()
            if j == 0:
                words.update(x[0] for x in lst if x[2])
            elif j == 1:
                qualities.update(x[1] for x in lst if x[1] not in shipped_q)
            elif j == 2:
                practices.update(x for x in lst if x not in shipped_p)
            laid: tuple[tuple[Any, ...], ...]
            if j in (2, 3):
                laid = tuple((i, x) for i, x in enumerate(lst))
            else:
                laid = tuple((i, *x) for i, x in enumerate(lst))
            got = known[lst] = (laid, maker.cell(j, lst) if maker is not None and j < 4 else "")
            return got

        for item in items:
            cid = item[0]
            cr += item[:10]
            if lst := item[10]:
                laid, fc = fs.get(lst) or parts(0, lst)
                for x in laid:
                    fr.append(cid)
                    fr += x
            else:
                fc = ""
            if lst := item[11]:
                laid, sc = ss.get(lst) or parts(1, lst)
                for x in laid:
                    sr.append(cid)
                    sr += x
            else:
                sc = ""
            if lst := item[12]:
                laid, pc = ps.get(lst) or parts(2, lst)
                for x in laid:
                    pr.append(cid)
                    pr += x
            else:
                pc = ""
            if lst := item[13]:
                laid, tc = ts.get(lst) or parts(3, lst)
                for x in laid:
                    tr.append(cid)
                    tr += x
            else:
                tc = ""
            if maker is not None:
                cr.append(f"{fc},{sc},{pc},{tc}")
            if lst := item[14]:
                for x in (ys.get(lst) or parts(4, lst))[0]:
                    yr.append(cid)
                    yr += x
            batch.append(item)
            if len(batch) >= STAGE_FLUSH and not flush():
                return done, batch
        if batch and not flush():
            return done, batch
        # Every row is in: written to the file now, they go to the disk while the indexes
        # are made, and the indexes while the note index and the journal are (the file is
        # nobody else's: one transaction or three is all the same), so that the sync before
        # the file is given its name waits for those last pages only, not the whole store.
        # Committed, the rows can be read by another connection too: the note index is
        # made from them in a thread (`_NoteIndex`) while this connection makes the others.
        conn.execute("COMMIT")
        paths.sync_soon(self.path)
        conn.execute(f"PRAGMA cache_size = -{BUILD_INDEX_CACHE_KIB}")  # bounds the index sorts
        fts = self._fts_sql(conn) if trigger else None
        with contextlib.ExitStack() as end:
            notes = None
            if fts is not None:
                notes = end.enter_context(_NoteIndex.made(self.path, fts))
                conn.execute("ATTACH ? AS notes", [str(notes.path)])  # empty until it is made
                notes.start()
            conn.execute("BEGIN")
            for _, sql in REBUILT_INDEXES:
                conn.execute(sql)
            if notes is not None:
                notes.wait()  # its read lock held, this connection could not commit
            self._written_soon()
            if trigger:
                if notes is not None:
                    notes.copy_into(conn)
                else:
                    conn.execute(
                        "INSERT INTO checkins_fts (rowid, note) SELECT pk, note FROM checkins"
                    )
                conn.execute(trigger[0])
            # The undo journal as an import's steps write it: one batch, the rows in id order.
            conn.execute(
                "INSERT INTO journal (batch, action, checkin_id, before, at_utc)"
                " SELECT 1, 'import', id, NULL, ? FROM checkins ORDER BY id",
                [utc_stamp()],
            )
            self._insert_own_names(conn, words, qualities, practices)
            conn.execute("COMMIT")
            if notes is not None:
                conn.execute("DETACH notes")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -2000")
        return None

    def _written_soon(self) -> None:
        """In `_build`: what the open transaction wrote, committed to the file, to be synced
        meanwhile (`paths.sync_soon`), and a new transaction begun."""
        self.conn.execute("COMMIT")
        paths.sync_soon(self.path)
        self.conn.execute("BEGIN")

    @staticmethod
    def _fts_sql(conn: sqlite3.Connection) -> str | None:
        """How the note index was made (its CREATE VIRTUAL TABLE, as the migrations wrote
        it), when `_NoteIndex` can make it elsewhere; None when it is to be filled here."""
        row = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'checkins_fts'"
        ).fetchone()
        if row is None or not str(row[0]).startswith(_FTS_CREATE):
            return None
        return str(row[0])

    def _built_rows(self, upto: int) -> Iterator[tuple[Any, ...]]:
        """The check-ins numbered (pk) 1 to `upto` of a store `_build` wrote, packed (`pack`),
        in that order."""
        conn = self.conn
        last = 0
        while rows := conn.execute(
            f"SELECT pk, {_CHECKIN_COLUMNS} FROM checkins WHERE pk > ? AND pk <= ? ORDER BY pk"
            f" LIMIT {BATCH}",
            [last, upto],
        ).fetchall():
            span = [last, rows[-1][0]]
            last = span[1]
            lists: list[dict[str, list[Any]]] = []
            for table, columns, _ in _PART_TABLES:
                found: dict[str, list[Any]] = {}
                for cid, *fields in conn.execute(
                    f"SELECT checkin_id, {columns} FROM {table} WHERE checkin_id IN"
                    " (SELECT id FROM checkins WHERE pk > ? AND pk <= ?)"
                    " ORDER BY checkin_id, position",
                    span,
                ):
                    part = fields[0] if len(fields) == 1 else tuple(fields)
                    found.setdefault(cid, []).append(part)
                lists.append(found)
            for _, *row in rows:
                cid = row[0]
                yield (*row, *(tuple(found.get(cid, ())) for found in lists))

    # -- importing: staging, planning and the switch in steps ------------------------------

    def _unstage(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.stage")
        self.conn.execute("DROP TABLE IF EXISTS temp.moves")
        self.conn.execute("PRAGMA temp.cache_size = -2000")
        for _, _, key in _PART_TABLES:
            self.conn.execute(f"DROP TABLE IF EXISTS temp.stage_{key}")

    def _decide(
        self,
        c: CheckIn,
        here: CheckIn | None,
        version: tuple[str, str],
        origin_here: str,
        device: str,
        derived: bool,
    ) -> tuple[str, CheckIn | None]:
        """The merge rule for one incoming check-in against `here` (what is stored, or what
        this import already takes for the same id): the outcome ("added", "updated",
        "unchanged", "conflicts" or "edited") and what to write (None: nothing)."""
        if here is None:
            at, origin = version
            if at and not merge.wins(merge.put(c, device), merge.delete(at, origin or device)):
                return "conflicts", None  # deleted here after this copy was made
            return "added", c
        same = same_content(here, c)
        if derived:
            if same:
                return "unchanged", None
            if merge.stamp_key(c.updated_at)[:19] != merge.stamp_key(here.updated_at)[:19]:
                return "edited", None
            c = replace(c, updated_at=merge.after(c.updated_at, here.updated_at))
        elif (
            same
            and c.typed == here.typed
            and c.updated_at == here.updated_at
            and c.created_at == here.created_at
            and (origin_here or device) == device
        ):
            # the same version: merge.wins would say so, digests and all (the typed names are
            # in the digest though not in same_content, so they must be equal too)
            return "unchanged", None
        elif not merge.wins(merge.put(c, device), merge.put(here, origin_here or device)):
            return ("unchanged" if same else "conflicts"), None
        # the newer bookkeeping is taken even when the content is the same
        return ("unchanged" if same else "updated"), c

    def _stored(self, conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, CheckIn]:
        present = list(self._stamps(conn, ids))
        stored: dict[str, CheckIn] = {}
        for i in range(0, len(present), 500):
            chunk = present[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT {self._COLUMNS} FROM checkins WHERE id IN ({marks})", chunk
            ).fetchall()
            stored.update((c.id, c) for c in self._attach(conn, rows))
        return stored

    def _plan_all(
        self, incoming: Iterable[CheckIn | tuple[Any, ...]], derived: bool, checked: bool
    ) -> _Staged:
        """Pass 1 of an import: validate, stage and compare, without the write lock.

        Every incoming check-in becomes one row of the TEMP table `stage` (numbered n in file
        order); its feelings, sensations, practices, tags and typed names are kept once per
        distinct list in `stage_f`, `stage_s`, ... (a history repeats the same few lists), the
        row naming its lists by key. TEMP tables live in SQLite's temporary file, not in
        memory. Then only the ids that need the merge rule (stored already, deleted, or twice
        in the file) are compared, in Python; each row notes whether it is written, what the
        journal keeps of the copy it replaces, and what was seen of its id then (updated_at,
        tombstone, origin), so that a change made meanwhile is noticed under the lock. The
        same id twice in a file: the later one is compared with the earlier one (the last
        newer one wins), as it always was.
        """
        conn = self.conn
        self._unstage()
        # The staged rows stay in memory up to this much, then spill to the temporary file.
        conn.execute(f"PRAGMA temp.cache_size = -{IMPORT_CACHE_KIB}")
        conn.execute(
            f"CREATE TEMP TABLE stage (n INTEGER PRIMARY KEY, {_CHECKIN_COLUMNS}, f, s, p, t, y,"
            " w INTEGER NOT NULL DEFAULT 1, outcome TEXT NOT NULL DEFAULT 'added', before TEXT,"
            " replaces INTEGER NOT NULL DEFAULT 0, tomb INTEGER NOT NULL DEFAULT 0, seen_upd TEXT,"
            " seen_at TEXT NOT NULL DEFAULT '', seen_origin TEXT NOT NULL DEFAULT '',"
            " parts_csv TEXT)"
        )
        for _, columns, key in _PART_TABLES:
            conn.execute(
                f"CREATE TEMP TABLE stage_{key} (k INTEGER NOT NULL, position INTEGER NOT NULL,"
                f" {columns}, PRIMARY KEY (k, position)) WITHOUT ROWID"
            )
        conn.execute("BEGIN")  # one snapshot of the store; only TEMP tables are written
        try:
            device = self._here(conn)
            version = int(conn.execute("PRAGMA data_version").fetchone()[0])
            total, parts = self._stage_all(incoming, checked)
            conn.execute("CREATE INDEX temp.stage_id ON stage (id)")
            counts = self._compare_known(conn, total, device, derived)
            writes, replaces, tombs = conn.execute(
                "SELECT count(*), coalesce(sum(replaces), 0), coalesce(sum(tomb), 0)"
                " FROM temp.stage WHERE w"
            ).fetchone()
            stored = int(conn.execute("SELECT count(*) FROM main.checkins").fetchone()[0])
            # The rows to write, in the order of their ids: each step then adds to one part
            # of every index keyed by id (the check-ins' and their parts'), not to all of it,
            # so that a step rewrites few pages.
            conn.execute("CREATE TEMP TABLE moves (m INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            conn.execute("INSERT INTO temp.moves (n) SELECT n FROM temp.stage WHERE w ORDER BY id")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        deletes = bool(replaces or tombs)
        return _Staged(total, int(writes), PutResult(**counts), version, deletes, parts, stored)

    def _stage_all(
        self, incoming: Iterable[CheckIn | tuple[Any, ...]], checked: bool
    ) -> tuple[int, frozenset[str]]:
        """Validate (unless `checked`) and stage every incoming check-in; returns how many,
        and which part tables they have parts for. Packed check-ins (`pack`) come from a
        reader that validated them already."""
        conn = self.conn
        now = utc_stamp()
        names = None if checked else self._names()
        keys: list[dict[Any, int]] = [{(): 0} for _ in _PART_TABLES]
        parts: list[list[tuple[Any, ...]]] = [[] for _ in _PART_TABLES]
        rows: list[tuple[Any, ...]] = []
        filled = [False for _ in _PART_TABLES]
        last_key = 0
        # Each row's parts_csv (m010), from the cell of each distinct list, made with its key.
        maker = parts_csv_maker(conn)
        cells: list[dict[int, str]] = [{0: ""} for _ in range(4)]
        cf, cs, cp, ct = cells

        def new_key(j: int, value: tuple[Any, ...]) -> int:
            nonlocal last_key
            known = keys[j]
            if len(known) > STAGE_KEYS_KEEP:  # memory stays flat: a list met again is staged again
                known.clear()
                known[()] = 0
                if j < 4:
                    cells[j].clear()
                    cells[j][0] = ""
            last_key += 1
            known[value] = last_key
            filled[j] = True
            if j < 4 and maker is not None:
                cells[j][last_key] = maker.cell(j, value)
            if j in (2, 3):
                parts[j].extend((last_key, i, x) for i, x in enumerate(value))
            else:
                parts[j].extend((last_key, i, *x) for i, x in enumerate(value))
            return last_key

        def flush() -> None:
            conn.executemany(
                f"INSERT INTO temp.stage (n, {_CHECKIN_COLUMNS}, f, s, p, t, y, parts_csv)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            rows.clear()
            for (_, _, key), values in zip(_PART_TABLES, parts, strict=True):
                if values:
                    marks = ",".join("?" * (len(values[0])))
                    conn.executemany(f"INSERT INTO temp.stage_{key} VALUES ({marks})", values)
                    values.clear()

        kf, ks, kp, kt, ky = keys
        n = 0
        for item in incoming:
            if not isinstance(item, tuple):
                if names is not None:
                    c = self._checked(item, names)
                else:
                    c = unmark_own(item)
                    if not c.created_at or not c.updated_at:
                        c = replace(
                            c, created_at=c.created_at or now, updated_at=c.updated_at or now
                        )
                item = pack(c)
            elif not item[8] or not item[9]:
                item = (*item[:8], item[8] or now, item[9] or now, *item[10:])
            n += 1
            f = kf.get(item[10])
            if f is None:
                f = new_key(0, item[10])
            s = ks.get(item[11])
            if s is None:
                s = new_key(1, item[11])
            p = kp.get(item[12])
            if p is None:
                p = new_key(2, item[12])
            t = kt.get(item[13])
            if t is None:
                t = new_key(3, item[13])
            y = ky.get(item[14])
            if y is None:
                y = new_key(4, item[14])
            text = f"{cf[f]},{cs[s]},{cp[p]},{ct[t]}" if maker is not None else None
            rows.append((n, *item[:10], f, s, p, t, y, text))
            if len(rows) >= STAGE_FLUSH:
                flush()
        flush()
        present = frozenset(key for (_, _, key), f in zip(_PART_TABLES, filled, strict=True) if f)
        return n, present

    def _compare_known(
        self, conn: sqlite3.Connection, total: int, device: str, derived: bool
    ) -> dict[str, int]:
        """The merge rule for the staged rows whose id is stored, deleted or twice in the
        file (every other one is simply added); returns the count of each outcome."""
        counts = dict.fromkeys(_OUTCOMES, 0)
        counts["added"] = total
        dups = {
            r[0] for r in conn.execute("SELECT id FROM temp.stage GROUP BY id HAVING count(*) > 1")
        }
        twice = " OR s.id IN (SELECT id FROM temp.stage GROUP BY id HAVING count(*) > 1)"
        query = (
            "SELECT n, id FROM temp.stage s WHERE n > ? AND (EXISTS (SELECT 1 FROM main.checkins"
            " c WHERE c.id = s.id) OR EXISTS (SELECT 1 FROM main.tombstones t WHERE t.id = s.id)"
            + (twice if dups else "")
            + f") ORDER BY n LIMIT {IMPORT_STEP}"
        )
        # id -> (n, what this import writes for it, journal before, replaces, outcome)
        pending: dict[str, tuple[int, CheckIn, str | None, bool, str]] = {}
        after = 0
        while chunk := conn.execute(query, [after]).fetchall():
            after = chunk[-1][0]
            ids = [cid for _, cid in chunk]
            staged = self._staged_checkins(conn, [n for n, _ in chunk])
            stored = self._stored(conn, ids)
            versions = self._versions(conn, ids)
            updates: list[tuple[Any, ...]] = []
            for n, cid in chunk:
                counts["added"] -= 1
                prior = pending.get(cid)
                here = prior[1] if prior else stored.get(cid)
                version = versions.get(cid, ("", ""))
                origin = "" if prior else version[1]
                outcome, write = self._decide(staged[n], here, version, origin, device, derived)
                counts[outcome] += 1
                if write is None:
                    updates.append((0, outcome, None, 0, 0, None, "", "", staged[n].updated_at, n))
                    continue
                if prior:
                    _, old, before, replaces, first = prior
                    updates.append((0, first, None, 0, 0, None, "", "", old.updated_at, prior[0]))
                else:
                    was = stored.get(cid)
                    before = _image(was) if was else None
                    replaces, first = was is not None, outcome
                seen = stored[cid].updated_at if cid in stored else None
                updates.append(
                    (1, first, before, int(replaces), int(bool(version[0])), seen, *version,
                     write.updated_at, n)
                )  # fmt: skip
                if cid in dups:
                    pending[cid] = (n, write, before, replaces, first)
            conn.executemany(
                "UPDATE temp.stage SET w = ?, outcome = ?, before = ?, replaces = ?, tomb = ?,"
                " seen_upd = ?, seen_at = ?, seen_origin = ?, updated_at = ? WHERE n = ?",
                updates,
            )
        return counts

    def _staged_checkins(self, conn: sqlite3.Connection, ns: Sequence[int]) -> dict[int, CheckIn]:
        """Staged rows back as check-ins, by n (the rare path: the ids the merge rule decides)."""
        shipped = vocab.load().qualities
        out: dict[int, CheckIn] = {}
        for i in range(0, len(ns), 500):
            chunk = ns[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                "SELECT n, id, at, can_feel, state, note, sleep_hours, created_at, updated_at,"
                f" f, s, p, t, y FROM temp.stage WHERE n IN ({marks})",
                chunk,
            ).fetchall()
            lists = []
            for j, (_, columns, key) in enumerate(_PART_TABLES):
                wanted = sorted({r[9 + j] for r in rows} - {0})
                found: dict[int, list[tuple[Any, ...]]] = {}
                for a in range(0, len(wanted), 500):
                    few = wanted[a : a + 500]
                    for k, *fields in conn.execute(
                        f"SELECT k, {columns} FROM temp.stage_{key}"
                        f" WHERE k IN ({','.join('?' * len(few))}) ORDER BY k, position",
                        few,
                    ):
                        found.setdefault(k, []).append(tuple(fields))
                lists.append(found)
            fl, sl, pl, tl, yl = lists
            for n, cid, at, can_feel, state, note, sleep, created, updated, *ks in rows:
                out[n] = CheckIn(
                    id=cid,
                    at=datetime.fromisoformat(at),
                    can_feel=can_feel,
                    state=state,
                    note=note,
                    sleep_hours=sleep,
                    feelings=tuple(Feeling(w, x, bool(c)) for w, x, c in fl.get(ks[0], ())),
                    sensations=tuple(
                        Sensation(r, q, x, d, t, q not in shipped)
                        for r, q, x, d, t in sl.get(ks[1], ())
                    ),
                    practices=tuple(p for (p,) in pl.get(ks[2], ())),
                    tags=tuple(t for (t,) in tl.get(ks[3], ())),
                    created_at=created,
                    updated_at=updated,
                    typed=tuple(Typed(k, t, m) for k, t, m in yl.get(ks[4], ())),
                )
        return out

    def _switch_steps(self, staged: _Staged, derived: bool) -> PutResult:
        """Pass 2 of an import: the staged rows in short write transactions (steps), each
        moving a range of them into the store with one INSERT ... SELECT per table.

        The first step numbers the import's journal batch and writes the marker file (held
        locked by this process) that names it; should this process die before the last
        step, the next numbtrack to open the store reverts what the steps made. A step takes
        IMPORT_STEP rows first, then about as many as go in STEP_SECONDS (at most
        IMPORT_STEP_MAX). When another
        writer committed since pass 1 (SQLite's data_version says so), every step first
        compares again, under the lock, the ids of its range that changed meanwhile. The
        note-search trigger is set aside for the step's one INSERT (as `_insert_bulk` does).
        """
        counts = as_dict(staged.result)
        marker = self._import_marker()
        batch = 0
        sync_fd = self._hold_sync_lock()
        try:
            lock_fd, stamp = self._claim_marker(marker)
        except BaseException:
            os.close(sync_fd)
            raise
        writers = self._open_writers()
        self._importing = True
        # Steps before the last need not reach the disk one by one (a kill loses nothing the
        # kernel has; after a power cut the marker says to revert whatever did): only the
        # last commit is synced, and with it every step before it.
        # Nor is the WAL copied back into the database after each step (the hot index pages
        # again and again): once, after the last step, without the write lock.
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        # Every part a step writes belongs to a check-in the same step writes (the same staged
        # rows), so the foreign keys need no checking, a lookup per part; a step removes the
        # parts of a check-in it replaces itself (`_step`), not by cascade.
        self.conn.execute("PRAGMA foreign_keys = OFF")
        autocheckpoint = self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        recheck = False
        # A large import next to the store builds the secondary indexes after its rows
        # instead of adding to them row by row: dropped in the first step, built again one
        # per step after the last rows (each CREATE INDEX sorts once). Until then readers
        # find every row, only more slowly; an import cut short builds them again as it is
        # reverted (`_recover_import`).
        rebuild = self._to_rebuild(staged)
        own: tuple[set[str], set[str], set[str]] = (set(), set(), set())
        finished = reverted = False
        try:
            if not rebuild:
                self._restore_indexes()  # should an import cut short have left any out
            lo, size = 1, IMPORT_STEP
            while lo <= staged.writes:
                hi = lo + size
                final = hi > staged.writes and not rebuild
                if final:
                    self.conn.execute("PRAGMA synchronous = FULL")
                    self._sync_wal()
                    # Asked outside the lock (only TEMP tables are read); again under it only
                    # if a step had to compare rows again (it may have set some aside).
                    own = self._staged_own(self.conn)
                began = time.perf_counter()
                with self._write() as conn:
                    if not batch:
                        batch = int(
                            conn.execute(
                                "SELECT coalesce(max(batch), 0) + 1 FROM journal"
                            ).fetchone()[0]
                        )
                        self._drop_indexes(conn, rebuild)
                    version = int(conn.execute("PRAGMA data_version").fetchone()[0])
                    recheck = recheck or version != staged.version
                    if recheck:
                        self._recheck(conn, lo, hi, counts, derived)
                    self._step(conn, lo, hi, batch, stamp, staged.parts, staged.deletes or recheck)
                    if final:
                        self._finish(conn, batch, own, recheck)
                took = time.perf_counter() - began
                wanted = int(size * STEP_SECONDS / max(took, 1e-3))
                size = max(IMPORT_STEP // 2, min(IMPORT_STEP_MAX, 2 * size, wanted))
                self._let_writers_in(writers)
                lo = hi
            for i, (_, sql) in enumerate(rebuild):
                final = i == len(rebuild) - 1
                if final:
                    self.conn.execute("PRAGMA synchronous = FULL")
                    self._sync_wal()
                    own = self._staged_own(self.conn)
                with self._write() as conn:
                    conn.execute(sql)
                    if final:
                        self._finish(conn, batch, own, recheck)
                self._let_writers_in(writers)
            finished = True
        except BaseException:
            with contextlib.suppress(Exception):
                self.conn.execute("PRAGMA foreign_keys = ON")
                self.conn.execute("PRAGMA synchronous = FULL")
                self._revert_import(stamp)
                self._restore_indexes()
                reverted = True
            raise
        finally:
            self._importing = False
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA cache_size = -2000")
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint)}")
            if writers is not None:
                os.close(writers)
            # The marker goes while still locked, so no one can take a finished import's
            # marker for one cut short. It stays when the revert could not be made: the next
            # numbtrack to open the store makes it (`_recover_import`).
            if finished or reverted:
                with contextlib.suppress(OSError):
                    os.unlink(marker)
            os.close(lock_fd)
            os.close(sync_fd)  # only now may a sync read the journal
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return PutResult(**counts)

    def _to_rebuild(self, staged: _Staged) -> tuple[tuple[str, str], ...]:
        """The indexes an import drops and builds again: none unless it takes more than one
        step and writes at least as many check-ins as the store held, into a store of at
        most REBUILD_MAX after it."""
        writes, stored = staged.writes, staged.stored
        if writes <= IMPORT_STEP or writes < stored or stored + writes > REBUILD_MAX:
            return ()
        return REBUILT_INDEXES

    def _drop_indexes(self, conn: sqlite3.Connection, rebuild: Sequence[tuple[str, str]]) -> None:
        missing = self._missing_indexes(conn)
        for name, sql in rebuild:
            if (name, sql) not in missing:
                conn.execute(f"DROP INDEX {name}")

    def _restore_indexes(self) -> None:
        """Build again any of REBUILT_INDEXES that is missing (an import that dropped them
        was cut short), one per write transaction."""
        for name, sql in self._missing_indexes(self.conn):
            with self._write() as conn:
                if (name, sql) in self._missing_indexes(conn):
                    conn.execute(sql)

    @staticmethod
    def _missing_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
        here = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        return [(name, sql) for name, sql in REBUILT_INDEXES if name not in here]

    def _finish(
        self,
        conn: sqlite3.Connection,
        batch: int,
        own: tuple[set[str], set[str], set[str]],
        recheck: bool,
    ) -> None:
        """The end of an import's last step: the journal pruned, the own names added."""
        self._prune_journal(conn, batch)
        if recheck:
            own = self._staged_own(conn)
        self._insert_own_names(conn, *own)

    def _sync_wal(self) -> None:
        """Before the last step: put the steps so far on the disk without the write lock, so
        that the last commit (synced) has only its own pages left to write."""
        try:
            fd = os.open(f"{self.path}-wal", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return
        try:
            with contextlib.suppress(OSError):
                os.fsync(fd)
        finally:
            os.close(fd)

    def _recheck(
        self, conn: sqlite3.Connection, lo: int, hi: int, counts: dict[str, int], derived: bool
    ) -> None:
        """Under the lock: the rows to write lo <= m < hi (temp.moves) whose id another
        writer changed since pass 1 are decided again against what is stored now."""
        changed = conn.execute(
            "SELECT s.n, s.id, s.outcome FROM temp.moves v JOIN temp.stage s ON s.n = v.n"
            " LEFT JOIN main.checkins c ON c.id = s.id LEFT JOIN main.tombstones d ON d.id = s.id"
            " WHERE v.m >= ? AND v.m < ? AND s.w AND (c.updated_at IS NOT s.seen_upd"
            " OR coalesce(d.deleted_at, '') != s.seen_at OR CASE WHEN d.id IS NOT NULL"
            " THEN d.origin ELSE coalesce(c.origin, '') END != s.seen_origin)",
            [lo, hi],
        ).fetchall()
        if not changed:
            return
        device = self._here(conn)
        ids = [cid for _, cid, _ in changed]
        staged = self._staged_checkins(conn, [n for n, _, _ in changed])
        stored = self._stored(conn, ids)
        versions = self._versions(conn, ids)
        updates: list[tuple[Any, ...]] = []
        for n, cid, was in changed:
            counts[was] -= 1
            here = stored.get(cid)
            version = versions.get(cid, ("", ""))
            outcome, write = self._decide(staged[n], here, version, version[1], device, derived)
            counts[outcome] += 1
            if write is None:
                updates.append((0, None, 0, 0, staged[n].updated_at, n))
            else:
                updates.append(
                    (1, _image(here) if here else None, int(here is not None),
                     int(bool(version[0])), write.updated_at, n)
                )  # fmt: skip
        conn.executemany(
            "UPDATE temp.stage SET w = ?, before = ?, replaces = ?, tomb = ?, updated_at = ?"
            " WHERE n = ?",
            updates,
        )

    def _step(
        self,
        conn: sqlite3.Connection,
        lo: int,
        hi: int,
        batch: int,
        stamp: str,
        parts: frozenset[str],
        deletes: bool,
    ) -> None:
        """One step of an import's switch, inside the caller's write transaction: the rows
        to write lo <= m < hi (temp.moves numbers them in the order of their ids), moved
        into the store by SQL alone. `deletes`: some row replaces a stored check-in or a
        tombstone. `parts`: the part tables to fill (the others get nothing)."""
        rows = "temp.moves v JOIN temp.stage s ON s.n = v.n"
        span = "v.m >= ? AND v.m < ? AND s.w"
        if deletes:
            conn.execute(
                "DELETE FROM main.tombstones WHERE id IN"
                f" (SELECT s.id FROM {rows} WHERE {span} AND s.tomb)",
                [lo, hi],
            )
            replaced = f"(SELECT s.id FROM {rows} WHERE {span} AND s.replaces)"
            for table, _, _ in _PART_TABLES:  # foreign keys are off: no cascade
                conn.execute(f"DELETE FROM main.{table} WHERE checkin_id IN {replaced}", [lo, hi])
            conn.execute(f"DELETE FROM main.checkins WHERE id IN {replaced}", [lo, hi])
        # The note-search trigger costs most of an insert, row by row; within this
        # transaction it is set aside, the index filled in one statement for the new rows,
        # and the trigger put back exactly as it was.
        trigger = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'checkins_ai'"
        ).fetchone()
        last = int(conn.execute("SELECT coalesce(max(pk), 0) FROM checkins").fetchone()[0])
        if trigger:
            conn.execute("DROP TRIGGER checkins_ai")
        picked = ", ".join(f"s.{x.strip()}" for x in _CHECKIN_COLUMNS.split(","))
        # Staged with the vocabulary numbtrack ships; kept if the store's text was made with
        # it too (the store could have been upgraded meanwhile).
        picked += ", s.parts_csv" if parts_csv_maker(conn) is not None else ", NULL"
        conn.execute(
            f"INSERT INTO main.checkins ({_CHECKIN_COLUMNS}, parts_csv) SELECT {picked}"
            f" FROM {rows} WHERE {span} ORDER BY s.at_utc, v.m",
            [lo, hi],
        )
        for table, columns, key in _PART_TABLES:
            if key not in parts:
                continue
            picked = ", ".join(f"l.{x.strip()}" for x in columns.split(","))
            conn.execute(
                f"INSERT INTO main.{table} (checkin_id, position, {columns})"
                f" SELECT s.id, l.position, {picked} FROM {rows}"
                f" JOIN temp.stage_{key} l ON l.k = s.{key}"
                f" WHERE {span} ORDER BY v.m, l.position",
                [lo, hi],
            )
        if trigger:
            conn.execute(
                "INSERT INTO checkins_fts (rowid, note) SELECT pk, note FROM checkins WHERE pk > ?",
                [last],
            )
            conn.execute(trigger[0])
        conn.execute(
            "INSERT INTO journal (batch, action, checkin_id, before, at_utc)"
            f" SELECT ?, 'import', s.id, s.before, ? FROM {rows} WHERE {span} ORDER BY v.m",
            [batch, stamp, lo, hi],
        )

    @staticmethod
    def _staged_own(conn: sqlite3.Connection) -> tuple[set[str], set[str], set[str]]:
        """The own words, qualities and practices of the rows the steps wrote (every staged
        row still to write once the last step has checked its range again): the names
        numbtrack does not ship. Asked once, before the last step, of the distinct lists."""
        shipped = vocab.load()
        own: tuple[set[str], set[str], set[str]] = (set(), set(), set())
        for names, column, key, where, known in (
            (own[0], "word", "f", " AND l.custom", frozenset[str]()),
            (own[1], "quality", "s", "", frozenset(shipped.qualities)),
            (own[2], "practice", "p", "", frozenset(shipped.practices)),
        ):
            names.update(
                r[0]
                for r in conn.execute(
                    f"SELECT DISTINCT l.{column} FROM temp.stage_{key} l"
                    f" WHERE l.k IN (SELECT s.{key} FROM temp.stage s WHERE s.w){where}"
                )
                if r[0] not in known
            )
        return own

    def _insert_own_names(
        self, conn: sqlite3.Connection, words: set[str], qualities: set[str], practices: set[str]
    ) -> None:
        now = utc_stamp()
        for table, column, names in (
            ("custom_words", "word", words),
            ("own_qualities", "name", qualities),
            ("own_practices", "name", practices),
        ):
            if names:
                conn.executemany(
                    f"INSERT OR IGNORE INTO {table} ({column}, added_at) VALUES (?, ?)",
                    [(x, now) for x in sorted(names)],
                )

    @staticmethod
    def _prune_journal(conn: sqlite3.Connection, batch: int) -> None:
        if batch > JOURNAL_KEEP:
            # Entries sync has not written out yet are kept past the cap: they are how the
            # next `numbtrack sync` knows which check-ins changed here.
            conn.execute(
                "DELETE FROM journal WHERE batch <= ? AND seq <= coalesce((SELECT CAST(value"
                " AS INTEGER) FROM sync_state WHERE key = 'exported'), 9223372036854775807)",
                [batch - JOURNAL_KEEP],
            )

    # -- an import cut short ---------------------------------------------------------------

    def _hold_sync_lock(self) -> int:
        """Wait for a running sync to end, then keep syncs out until the fd is closed."""
        import fcntl

        fd = os.open(
            self.path.parent / SYNC_LOCK,
            os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o600,
        )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def recover_interrupted_import(self) -> None:
        """Revert an import whose process died between its steps, if there is one (a store
        opened before the kill has not done it yet). Sync calls this under its lock."""
        if not self.newer_than_me and os.path.exists(self._marker_path):
            self._recover_import()

    def _import_marker(self) -> Path:
        return self.path.with_name(self.path.name + IMPORT_MARKER)

    def _claim_marker(self, marker: Path) -> tuple[int, str]:
        """Write the marker naming this import (by the stamp of its journal rows), locked by
        this process for as long as it runs: made under a temporary name, locked, then put in
        place only if no other import's marker is there, so that no one ever sees it unlocked
        while this process lives. Another import switching its rows in is waited for (its
        marker's lock), and one that died is reverted first. Returns (fd, stamp)."""
        import fcntl

        stamp = utc_stamp()
        tmp = marker.with_name(f"{marker.name}.{os.getpid()}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(tmp, flags, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, f"{stamp}\n".encode("ascii"))
            os.fsync(fd)
            while True:
                try:
                    os.link(tmp, marker)
                    break
                except FileExistsError:
                    self._wait_for_import(marker)
            os.unlink(tmp)
            paths.fsync_dir(marker.parent)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return fd, stamp

    def _wait_for_import(self, marker: Path) -> None:
        """Wait until the import holding `marker` has finished (or revert it, if it died)."""
        import fcntl

        try:
            fd = os.open(marker, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        finally:
            os.close(fd)
        if marker.exists():
            self._recover_import()

    def _open_writers(self) -> int | None:
        try:
            return os.open(self._writers_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
                           | os.O_CLOEXEC, 0o600)  # fmt: skip
        except OSError:
            return None

    def _let_writers_in(self, fd: int | None) -> None:
        """Between two steps of an import: when another numbtrack is waiting to write (it
        holds a shared lock on numbtrack.db-writers while it does), wait until it has.

        Without this a waiting writer could miss every gap: the next step takes the write
        lock again within a millisecond, while SQLite's busy handler sleeps up to 100 ms
        between tries."""
        import fcntl

        if fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fcntl.flock(fd, fcntl.LOCK_EX)
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _announce_writer(self) -> int | None:
        """While an import switches its rows in: say that this process is waiting to write
        (a shared lock on numbtrack.db-writers, held until its transaction ends)."""
        import fcntl

        fd = self._open_writers()
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH)
            except OSError:
                os.close(fd)
                return None
        return fd

    def import_running(self) -> bool:
        """Whether another numbtrack is importing into this store right now."""
        import fcntl

        try:
            fd = os.open(self._import_marker(), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False

    def _recover_import(self) -> None:
        """An import was cut short (its process died between steps): revert what it made.

        The marker is only acted on when no process holds its lock (the importer is gone).
        """
        import fcntl

        marker = self._import_marker()
        try:
            fd = os.open(marker, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # still running
            if os.fstat(fd).st_uid != os.getuid():
                return
            try:
                if not os.path.samestat(os.fstat(fd), os.stat(marker)):
                    return  # the import finished meanwhile and took its marker away
            except FileNotFoundError:
                return
            text = os.read(fd, 200).decode("ascii", "replace").split()
            if len(text) == 1:
                self._revert_import(text[0])
            self._restore_indexes()
            with contextlib.suppress(OSError):
                if os.path.samestat(os.fstat(fd), os.stat(marker)):
                    os.unlink(marker)
        finally:
            os.close(fd)

    def _revert_import(self, stamp: str) -> None:
        """Undo the steps an import made, newest first, a step at a time (each its own short
        transaction, so a revert cut short goes on where it stopped). A check-in changed
        again since (a later journal row) is left as it is now; a tombstone the import
        replaced is not brought back."""
        while True:
            with self._write() as conn:
                rows = conn.execute(
                    "SELECT seq, checkin_id, before, batch FROM journal WHERE at_utc = ?"
                    " AND action = 'import' ORDER BY seq DESC LIMIT ?",
                    [stamp, IMPORT_STEP],
                ).fetchall()
                if not rows:
                    return
                batch = rows[0][3]
                later = {
                    r[0]
                    for r in conn.execute(
                        "SELECT DISTINCT checkin_id FROM journal WHERE batch > ?", [batch]
                    )
                }
                gone = [cid for _, cid, _, _ in rows if cid not in later]
                for i in range(0, len(gone), 500):
                    chunk = gone[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    conn.execute(f"DELETE FROM checkins WHERE id IN ({marks})", chunk)
                back = [
                    unmark_own(_from_image(before))
                    for _, cid, before, _ in rows
                    if before is not None and cid not in later
                ]
                if back:
                    self._insert_many(conn, back)
                seqs = [r[0] for r in rows]
                for i in range(0, len(seqs), 500):
                    chunk = seqs[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    conn.execute(f"DELETE FROM journal WHERE seq IN ({marks})", chunk)

    @staticmethod
    def _versions(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """For those ids that are stored: ("", origin); for those deleted: (deleted_at,
        origin) of the tombstone. In batches."""
        found: dict[str, tuple[str, str]] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for cid, origin in conn.execute(
                f"SELECT id, origin FROM checkins WHERE id IN ({marks})", chunk
            ):
                found[cid] = ("", origin)
            for cid, at, origin in conn.execute(
                f"SELECT id, deleted_at, origin FROM tombstones WHERE id IN ({marks})", chunk
            ):
                found[cid] = (at, origin)
        return found

    def _names(self) -> tuple[set[str], set[str], set[str]]:
        own = self.own()
        return set(own.words), set(own.qualities), set(own.practices)

    @staticmethod
    def _checked(raw: CheckIn, names: tuple[set[str], set[str], set[str]]) -> CheckIn:
        """Validate an incoming check-in; a word, quality or practice marked as the person's
        own keeps it (and is accepted for the check-ins after it)."""
        custom, qualities, practices = names
        for f in raw.feelings:
            if f.custom:
                custom.add(vocab_spell(f.word))
        c = validate(raw, custom, qualities, practices)
        for s in c.sensations:
            if s.custom:
                qualities.add(s.quality)
        shipped = vocab.load().practices
        for p in c.practices:
            if p not in shipped:
                practices.add(p)
        if not c.created_at or not c.updated_at:
            now = utc_stamp()
            c = replace(c, created_at=c.created_at or now, updated_at=c.updated_at or now)
        return c

    @staticmethod
    def _stamps(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
        """updated_at of those ids that are stored, looked up in batches."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                conn.execute(
                    f"SELECT id, updated_at FROM checkins WHERE id IN ({marks})", chunk
                ).fetchall()
            )
        return found

    def _here(self, conn: sqlite3.Connection) -> str:
        """This device's sync id ('' before `sync init`), for versions written here."""
        row = conn.execute("SELECT value FROM sync_state WHERE key = 'device'").fetchone()
        return str(row[0]) if row else ""

    def _merge_put(
        self, conn: sqlite3.Connection, c: CheckIn, origin: str
    ) -> tuple[str, CheckIn | None, bool]:
        """Apply one incoming version of a check-in under the merge rule.

        Returns the outcome ("added", "updated", "unchanged" or "conflict": what is here
        won), the check-in stored before, and whether anything was written. When the incoming
        version wins with the same content, its bookkeeping (updated_at, origin) is still
        taken, so that every device ends with the same bytes.
        """
        here = self._here(conn)
        incoming = merge.put(c, origin or here)
        row = conn.execute("SELECT origin FROM checkins WHERE id = ?", [c.id]).fetchone()
        if row is None:
            tomb = conn.execute(
                "SELECT deleted_at, origin FROM tombstones WHERE id = ?", [c.id]
            ).fetchone()
            if tomb is not None:
                if not merge.wins(incoming, merge.delete(tomb[0], tomb[1] or here)):
                    return "conflict", None, False
                conn.execute("DELETE FROM tombstones WHERE id = ?", [c.id])
            self._insert(conn, c, origin)
            return "added", None, True
        stored = self._attach(conn, [self._row(conn, c.id)])[0]
        same = same_content(stored, c)
        if not merge.wins(incoming, merge.put(stored, row[0] or here)):
            return ("unchanged" if same else "conflict"), stored, False
        conn.execute("DELETE FROM checkins WHERE id = ?", [c.id])
        self._insert(conn, c, origin)
        return ("unchanged" if same else "updated"), stored, True

    def _merge_delete(
        self, conn: sqlite3.Connection, checkin_id: str, deleted_at: str, origin: str
    ) -> str:
        """Apply one incoming delete: "deleted", "unchanged" or "conflict" (a later edit)."""
        here = self._here(conn)
        incoming = merge.delete(deleted_at, origin or here)
        row = conn.execute("SELECT origin FROM checkins WHERE id = ?", [checkin_id]).fetchone()
        if row is not None:
            stored = self._attach(conn, [self._row(conn, checkin_id)])[0]
            if not merge.wins(incoming, merge.put(stored, row[0] or here)):
                return "conflict"
            conn.execute("DELETE FROM checkins WHERE id = ?", [checkin_id])
            self._tombstone(conn, checkin_id, deleted_at, origin)
            return "deleted"
        tomb = conn.execute(
            "SELECT deleted_at, origin FROM tombstones WHERE id = ?", [checkin_id]
        ).fetchone()
        if tomb is None or merge.wins(incoming, merge.delete(tomb[0], tomb[1] or here)):
            self._tombstone(conn, checkin_id, deleted_at, origin)
        return "unchanged"

    @staticmethod
    def _tombstone(conn: sqlite3.Connection, checkin_id: str, deleted_at: str, origin: str) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO tombstones (id, deleted_at, origin) VALUES (?, ?, ?)",
            [checkin_id, deleted_at, origin],
        )

    # -- sync bookkeeping (the rules live in numbtrack.sync) ----------------------------

    def sync_state(self) -> dict[str, str]:
        return {k: v for k, v in self.conn.execute("SELECT key, value FROM sync_state")}

    def set_sync_state(self, values: dict[str, str | None]) -> None:
        """Set (or, with None, remove) keys of this store's sync bookkeeping."""
        with self._write() as conn:
            self._set_state(conn, values)

    @staticmethod
    def _set_state(conn: sqlite3.Connection, values: dict[str, str | None]) -> None:
        for key, value in values.items():
            if value is None:
                conn.execute("DELETE FROM sync_state WHERE key = ?", [key])
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", [key, value]
                )

    def start_sync(self, device: str) -> None:
        """Become `device` in a (new) sync folder: forget what was read and exported before."""
        with self._write() as conn:
            conn.execute("DELETE FROM sync_devices")
            conn.execute("DELETE FROM sync_state")
            self._set_state(conn, {"device": device})

    def sync_devices(self) -> dict[str, SyncDevice]:
        rows = self.conn.execute(
            "SELECT device, name, read_seq, changes_seq, acks, written_at, read_at"
            " FROM sync_devices"
        )
        return {r[0]: SyncDevice(*r) for r in rows}

    def local_changes(self, after: int | None) -> LocalChanges:
        """This device's own changes after journal position `after` (None: every check-in
        and delete made here), read in one snapshot. Changes that came from other devices
        are not this device's to send, and a check-in whose newest version came from
        elsewhere is left to that device."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            upto = int(conn.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0])
            if after is None:
                where, params = "WHERE c.origin = ''", []
                tomb_sql = "SELECT id, deleted_at FROM tombstones WHERE origin = '' ORDER BY id"
            else:
                changed = "SELECT checkin_id FROM journal WHERE seq > ? AND seq <= ?"
                where, params = f"WHERE c.origin = '' AND c.id IN ({changed})", [after, upto]
                tomb_sql = (
                    "SELECT id, deleted_at FROM tombstones WHERE origin = ''"
                    f" AND id IN ({changed}) ORDER BY id"
                )
            cursor = conn.execute(
                f"SELECT {self._COLUMNS} FROM checkins c {where} ORDER BY c.id", params
            )
            puts: list[CheckIn] = []
            while rows := cursor.fetchmany(BATCH):
                puts.extend(self._attach(conn, rows))
            deletes = [(r[0], r[1]) for r in conn.execute(tomb_sql, params)]
        finally:
            conn.execute("COMMIT")
        return LocalChanges(puts, deletes, upto)

    def pending_local(self, after: int | None) -> int:
        """How many check-ins were changed here after journal position `after`."""
        if after is None:
            return self.count() + int(
                self.conn.execute("SELECT count(*) FROM tombstones WHERE origin = ''").fetchone()[0]
            )
        row = self.conn.execute(
            "SELECT count(DISTINCT checkin_id) FROM journal WHERE seq > ?", [after]
        ).fetchone()
        return int(row[0])

    def journal_position(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0])

    def apply_sync(
        self,
        changes: Iterable[
            tuple[str, Sequence[CheckIn | tuple[Any, ...]], Sequence[tuple[str, str]]]
        ],
        devices: Iterable[SyncDevice],
        state: dict[str, str | None] | None = None,
    ) -> SyncApplied:
        """Apply other devices' changes and record how far they were read, in one transaction.

        `changes` holds (device id, puts, deletes) in the order read. The merge rule decides
        each one, as for an import; nothing here is journaled, so the changes are neither sent
        back out as this device's own nor offered by `undo`. Every check-in is validated
        first: one bad one and nothing is written. A put may come packed (`pack`) by a reader
        that validated it already (numbtrack.sync.packed: one that `validate` takes as it is,
        with or without the person's own names); its own names are noted as for the others.
        """
        result = SyncApplied()
        names = self._names()
        changes = list(changes)
        many = sum(len(puts) for _, puts, _ in changes) > BATCH
        with self._roomy_cache(many), self._write() as conn:
            for origin, puts, deletes in changes:
                checked = [
                    self._noted(raw, names) if isinstance(raw, tuple) else self._checked(raw, names)
                    for raw in puts
                ]
                # Ids this store has never seen (neither stored nor deleted) need no
                # comparing: they go in with a few multi-row INSERTs per table, the common
                # case of a first sync. The others are merged one by one.
                known = self._versions(conn, [_id_of(c) for c in checked])
                fresh: dict[str, tuple[Any, ...]] = {}
                others: list[CheckIn] = []
                for c in checked:
                    if isinstance(c, tuple):
                        if c[0] in known or c[0] in fresh:
                            others.append(unpack(c))
                        else:
                            fresh[c[0]] = c
                    elif c.id in known or c.id in fresh:
                        others.append(c)
                    else:
                        fresh[c.id] = pack(c)
                if fresh:
                    self._insert_bulk(conn, list(fresh.values()), origin)
                    result.added += len(fresh)
                for c in others:
                    outcome, _, _ = self._merge_put(conn, c, origin)
                    if outcome == "added":
                        result.added += 1
                    elif outcome == "updated":
                        result.updated += 1
                    elif outcome == "unchanged":
                        result.unchanged += 1
                    else:
                        result.kept += 1
                for checkin_id, deleted_at in deletes:
                    outcome = self._merge_delete(conn, checkin_id, deleted_at, origin)
                    if outcome == "deleted":
                        result.deleted += 1
                    elif outcome == "unchanged":
                        result.unchanged += 1
                    else:
                        result.kept += 1
            conn.executemany(
                "INSERT OR REPLACE INTO sync_devices (device, name, read_seq, changes_seq, acks,"
                " written_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (d.device, d.name, d.read_seq, d.changes_seq, d.acks, d.written_at, d.read_at)
                    for d in devices
                ],
            )
            if state:
                self._set_state(conn, state)
        if result.added or result.updated:
            latest = self.latest_day()
            if latest:
                self._touch_marker(latest)
        return result

    @contextlib.contextmanager
    def _roomy_cache(self, on: bool) -> Iterator[None]:
        """With `on`, SQLite's page cache as large as an import's while the block runs: the
        indexes a first sync fills stay in memory instead of being spilled to the WAL, read
        back and written again (38,000 reads and 15,000 writes for ten years, otherwise)."""
        if not on:
            yield
            return
        self.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA cache_size = -2000")

    # -- the undo journal ----------------------------------------------------------------
    #
    # Every change a person makes is journaled in the transaction that makes it: one batch
    # per add, edit, delete, import or undo, one row per check-in it touched, with that
    # check-in's JSON from before. numbtrack.history reads the journal and decides what an
    # undo reverts; the store only writes, summarises and applies.

    # -- the undo journal ----------------------------------------------------------------
    #
    # Every change a person makes is journaled in the transaction that makes it: one batch
    # per add, edit, delete, import or undo, one row per check-in it touched, with that
    # check-in's JSON from before. numbtrack.history reads the journal and decides what an
    # undo reverts; the store only writes, summarises and applies.

    # -- the undo journal ----------------------------------------------------------------
    #
    # Every change a person makes is journaled in the transaction that makes it: one batch
    # per add, edit, delete, import or undo, one row per check-in it touched, with that
    # check-in's JSON from before. numbtrack.history reads the journal and decides what an
    # undo reverts; the store only writes, summarises and applies.

    def _journal(
        self,
        conn: sqlite3.Connection,
        action: str,
        rows: Sequence[tuple[str, str | None]],
        *,
        staged: bool = False,
    ) -> int:
        """Record one change (a batch) of `rows` (check-in id, JSON before); returns its number.

        Keeps the newest JOURNAL_KEEP batches. Costs one INSERT per row, in one executemany;
        with `staged` the rows are already in temp.stage_journal (an import) and go in with
        one INSERT ... SELECT.
        """
        if not rows:
            return 0
        batch = int(conn.execute("SELECT coalesce(max(batch), 0) + 1 FROM journal").fetchone()[0])
        now = utc_stamp()
        if staged:
            conn.execute(
                "INSERT INTO journal (batch, action, checkin_id, before, at_utc)"
                " SELECT ?, ?, checkin_id, before, ? FROM temp.stage_journal ORDER BY rowid",
                [batch, action, now],
            )
        else:
            conn.executemany(
                "INSERT INTO journal (batch, action, checkin_id, before, at_utc)"
                " VALUES (?, ?, ?, ?, ?)",
                [(batch, action, cid, before, now) for cid, before in rows],
            )
        if batch > JOURNAL_KEEP:
            # Entries sync has not written out yet are kept past the cap: they are how the
            # next `numbtrack sync` knows which check-ins changed here.
            conn.execute(
                "DELETE FROM journal WHERE batch <= ? AND seq <= coalesce((SELECT CAST(value"
                " AS INTEGER) FROM sync_state WHERE key = 'exported'), 9223372036854775807)",
                [batch - JOURNAL_KEEP],
            )
        return batch

    def journal_batches(self, limit: int = JOURNAL_KEEP) -> list[JournalBatch]:
        """The newest changes in the undo journal, newest first, one summary per batch."""
        # With a single min() the bare columns come from the row holding it (SQLite's rule),
        # so checkin_id and before are those of the batch's first row.
        rows = self.conn.execute(
            "SELECT batch, action, at_utc, count(*), sum(before IS NULL), checkin_id, before,"
            " min(seq) FROM journal GROUP BY batch ORDER BY batch DESC LIMIT ?",
            [limit],
        ).fetchall()
        return [
            JournalBatch(int(b), a, at, int(n), int(new), cid, before)
            for b, a, at, n, new, cid, before, _ in rows
        ]

    def journal_rows(self, batch: int) -> list[tuple[str, str | None]]:
        """(check-in id, JSON before) of every row of one batch, in the order written."""
        return [
            (cid, before)
            for cid, before in self.conn.execute(
                "SELECT checkin_id, before FROM journal WHERE batch = ? ORDER BY seq", [batch]
            )
        ]

    def revert(self, targets: Sequence[tuple[str, CheckIn | None]], *, newest: int) -> int:
        """Put check-ins back: each (id, image) is restored to `image`, or removed when it
        is None, all in one transaction journaled as one "undo" batch (returned).

        A restored check-in gets a fresh updated_at, so that a sync carries the undo to other
        devices instead of keeping the newer version there. `newest` is the newest batch the
        caller saw: when another numbtrack wrote since, nothing is changed and InvalidInput
        says to look again.
        """
        now = utc_stamp()
        if self.import_running():
            raise InvalidInput(
                "An import into this store is still running; run numbtrack undo again when "
                "it has finished."
            )
        with self._write() as conn:
            seen = conn.execute("SELECT coalesce(max(batch), 0) FROM journal").fetchone()[0]
            if seen != newest:
                raise InvalidInput(
                    "Something else changed your check-ins meanwhile; run numbtrack undo "
                    "again to see what is last now."
                )
            rows: list[tuple[str, str | None]] = []
            for cid, image in targets:
                current = None
                if conn.execute("SELECT 1 FROM checkins WHERE id = ?", [cid]).fetchone():
                    current = self._attach(conn, [self._row(conn, cid)])[0]
                    conn.execute("DELETE FROM checkins WHERE id = ?", [cid])
                tomb = conn.execute(
                    "SELECT deleted_at FROM tombstones WHERE id = ?", [cid]
                ).fetchone()
                stamp = merge.after(
                    now, current.updated_at if current else "", tomb[0] if tomb else ""
                )
                if image is not None:
                    conn.execute("DELETE FROM tombstones WHERE id = ?", [cid])
                    self._insert(conn, replace(image, updated_at=stamp))
                elif current is not None:
                    self._tombstone(conn, cid, stamp, "")
                # Journaled even when nothing was there to change, so that this undo still
                # counts as having undone its change.
                rows.append((cid, _image(current) if current is not None else None))
            batch = self._journal(conn, "undo", rows)
        latest = self.latest_day()
        if latest:
            self._touch_marker(latest)
        return batch

    def _insert(self, conn: sqlite3.Connection, c: CheckIn, origin: str = "") -> None:
        self._insert_many(conn, [c], origin)

    def _insert_many(
        self, conn: sqlite3.Connection, cs: Sequence[CheckIn], origin: str = ""
    ) -> None:
        """Insert check-ins and all their parts: one executemany per table, however many.
        `origin`: the device their version came from ('' for this one)."""
        maker = parts_csv_maker(conn)
        conn.executemany(
            "INSERT INTO checkins (id, at, at_utc, day, can_feel, state, note, sleep_hours,"
            " created_at, updated_at, origin, parts_csv)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.id,
                    c.at.isoformat(),
                    _utc_key(c.at),
                    c.day.isoformat(),
                    c.can_feel,
                    c.state,
                    c.note,
                    c.sleep_hours,
                    c.created_at,
                    c.updated_at,
                    origin,
                    None if maker is None else maker.of_checkin(c),
                )
                for c in cs
            ],
        )
        conn.executemany(
            "INSERT INTO feelings (checkin_id, position, word, intensity, custom)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (c.id, i, f.word, f.intensity, int(f.custom))
                for c in cs
                for i, f in enumerate(c.feelings)
            ],
        )
        conn.executemany(
            "INSERT INTO sensations (checkin_id, position, region, quality, intensity,"
            " direction, tone) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (c.id, i, s.region, s.quality, s.intensity, s.direction, s.tone)
                for c in cs
                for i, s in enumerate(c.sensations)
            ],
        )
        conn.executemany(
            "INSERT INTO practices (checkin_id, position, practice) VALUES (?, ?, ?)",
            [(c.id, i, p) for c in cs for i, p in enumerate(c.practices)],
        )
        conn.executemany(
            "INSERT INTO tags (checkin_id, position, tag) VALUES (?, ?, ?)",
            [(c.id, i, t) for c in cs for i, t in enumerate(c.tags)],
        )
        typed = _typed_rows(cs)
        if typed:
            conn.executemany(
                "INSERT INTO typed_names (checkin_id, position, kind, typed, name)"
                " VALUES (?, ?, ?, ?, ?)",
                typed,
            )
        self._insert_own(conn, cs)

    def _insert_bulk(
        self, conn: sqlite3.Connection, items: Sequence[tuple[Any, ...]], origin: str = ""
    ) -> None:
        """`_insert_many` for many packed check-ins at once (`pack`, validated), inside the
        caller's transaction: the note-search trigger is set aside and the index filled in
        one statement (as `_switch` does for an import), then the trigger is put back exactly
        as it was; the rows go in as multi-row VALUES (`_insert_packed`)."""
        trigger = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'checkins_ai'"
        ).fetchone()
        last = int(conn.execute("SELECT coalesce(max(pk), 0) FROM checkins").fetchone()[0])
        if trigger:
            conn.execute("DROP TRIGGER checkins_ai")
        self._insert_packed(conn, items, origin)
        if trigger:
            conn.execute(
                "INSERT INTO checkins_fts (rowid, note) SELECT pk, note FROM checkins WHERE pk > ?",
                [last],
            )
            conn.execute(trigger[0])

    def _insert_packed(
        self, conn: sqlite3.Connection, items: Sequence[tuple[Any, ...]], origin: str
    ) -> None:
        """What `_insert_many` writes, for packed check-ins: the same rows, in the same
        order (the check-ins first, then the parts of each table), BUILD_ROWS to a
        statement of multi-row VALUES. One statement run for many rows makes its CHECK
        constraints' lists once, where executemany makes them again for every row."""
        maker = parts_csv_maker(conn)
        checkins: list[Any] = []
        parts: list[list[Any]] = [[] for _ in _PART_TABLES]
        fr, sr, pr, tr, yr = parts
        for item in items:
            cid = item[0]
            checkins += item[:10]
            checkins.append(origin)
            checkins.append(
                None if maker is None else maker.of(item[10], item[11], item[12], item[13])
            )
            for i, f in enumerate(item[10]):
                fr.append(cid)
                fr.append(i)
                fr += f
            for i, x in enumerate(item[11]):
                sr.append(cid)
                sr.append(i)
                sr += x
            for i, p in enumerate(item[12]):
                pr += (cid, i, p)
            for i, t in enumerate(item[13]):
                tr += (cid, i, t)
            for i, y in enumerate(item[14]):
                yr.append(cid)
                yr.append(i)
                yr += y
        tables = [("checkins", f"{_CHECKIN_COLUMNS}, origin, parts_csv", checkins)] + [
            (table, f"checkin_id, position, {columns}", values)
            for (table, columns, _), values in zip(_PART_TABLES, parts, strict=True)
        ]
        for table, columns, values in tables:
            width = columns.count(",") + 1
            row = f"({', '.join('?' * width)})"
            step = BUILD_ROWS * width
            for lo in range(0, len(values), step):
                chunk = values[lo : lo + step]
                rows = ", ".join([row] * (len(chunk) // width))
                conn.execute(f"INSERT INTO {table} ({columns}) VALUES {rows}", chunk)
        shipped = vocab.load()
        self._insert_own_names(
            conn,
            {f[0] for item in items for f in item[10] if f[2]},
            {x[1] for item in items for x in item[11] if x[1] not in shipped.qualities},
            {p for item in items for p in item[12] if p not in shipped.practices},
        )

    @staticmethod
    def _noted(
        item: tuple[Any, ...], names: tuple[set[str], set[str], set[str]]
    ) -> tuple[Any, ...]:
        """`_checked` of a check-in a reader packed and validated (`apply_sync`): its own
        words, qualities and practices noted for the check-ins after it, created_at and
        updated_at filled in."""
        custom, qualities, practices = names
        shipped = vocab.load()
        for w, _, own in item[10]:
            if own:
                custom.add(w)
        for x in item[11]:
            if x[1] not in shipped.qualities:
                qualities.add(x[1])
        for p in item[12]:
            if p not in shipped.practices:
                practices.add(p)
        if not item[8] or not item[9]:
            now = utc_stamp()
            item = (*item[:8], item[8] or now, item[9] or now, *item[10:])
        return item

    def _insert_own(self, conn: sqlite3.Connection, cs: Sequence[CheckIn]) -> None:
        """Keep the own words, qualities and practices these check-ins use."""
        now = utc_stamp()
        words = {f.word for c in cs for f in c.feelings if f.custom}
        if words:
            conn.executemany(
                "INSERT OR IGNORE INTO custom_words (word, added_at) VALUES (?, ?)",
                [(w, now) for w in sorted(words)],
            )
        own_q = {s.quality for c in cs for s in c.sensations if s.custom}
        if own_q:
            conn.executemany(
                "INSERT OR IGNORE INTO own_qualities (name, added_at) VALUES (?, ?)",
                [(q, now) for q in sorted(own_q)],
            )
        shipped = vocab.load().practices
        own_p = {p for c in cs for p in c.practices if p not in shipped}
        if own_p:
            conn.executemany(
                "INSERT OR IGNORE INTO own_practices (name, added_at) VALUES (?, ?)",
                [(p, now) for p in sorted(own_p)],
            )

    def _touch_marker(self, day: date) -> None:
        """Keep the newest check-in's date in a small file the shell prompt can read."""
        marker = self.path.parent / paths.MARKER_NAME
        try:
            current = marker.read_text(encoding="ascii").strip()
        except OSError:
            current = ""
        if day.isoformat() > current:
            # A convenience for the prompt: a failure here never fails the check-in.
            with contextlib.suppress(NumbtrackError), paths.atomic_write(marker, force=True) as fh:
                fh.write(day.isoformat() + "\n")

    # -- reading -------------------------------------------------------------------------

    _COLUMNS = "id, at, can_feel, state, note, sleep_hours, created_at, updated_at"
    _ORDER = "at_utc, created_at, id"

    def _row(self, conn: sqlite3.Connection, checkin_id: str) -> tuple[Any, ...]:
        row = conn.execute(
            f"SELECT {self._COLUMNS} FROM checkins WHERE id = ?", [checkin_id]
        ).fetchone()
        assert row is not None
        return tuple(row)

    def _attach(
        self,
        conn: sqlite3.Connection,
        rows: Sequence[Sequence[Any]],
        made: dict[str, dict[tuple[Any, ...], Any]] | None = None,
    ) -> list[CheckIn]:
        """Turn checkins rows into CheckIn values, fetching their parts with one query per
        part table for the whole batch.

        Parts are frozen values, so equal ones are made once and shared (`made`, which
        `iter_all` keeps from batch to batch): a history names the same few words and
        sensations thousands of times, and building each anew was most of the cost.
        """
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        if made is None:
            made = {}
        shipped_q = vocab.load().qualities

        def feeling(word: str, intensity: int | None, custom: int) -> Feeling:
            return Feeling(word, intensity, bool(custom))

        def sensation(
            region: str,
            quality: str,
            intensity: int | None,
            direction: str | None,
            tone: str | None,
        ) -> Sensation:
            return Sensation(region, quality, intensity, direction, tone, quality not in shipped_q)

        def name(value: str) -> str:
            return value

        def parts(table: str, columns: str, make: Any) -> dict[str, list[Any]]:
            known = made.setdefault(table, {})
            if len(known) > MADE_KEEP:
                known.clear()
            found: dict[str, list[Any]] = {}
            for row in conn.execute(
                f"SELECT checkin_id, {columns} FROM {table}"
                f" WHERE checkin_id IN ({marks}) ORDER BY checkin_id, position",
                ids,
            ):
                key = row[1:]
                value = known.get(key)
                if value is None:
                    value = known[key] = make(*key)
                got = found.get(row[0])
                if got is None:
                    found[row[0]] = [value]
                else:
                    got.append(value)
            return found

        feelings = parts("feelings", "word, intensity, custom", feeling)
        sensations = parts("sensations", "region, quality, intensity, direction, tone", sensation)
        practices = parts("practices", "practice", name)
        tags = parts("tags", "tag", name)
        typed = parts("typed_names", "kind, typed, name", Typed)
        none: list[Any] = []
        parse = datetime.fromisoformat
        out = [
            CheckIn(
                id=cid,
                at=parse(at),
                can_feel=can_feel,
                state=state,
                note=note,
                sleep_hours=sleep,
                feelings=tuple(feelings.get(cid, none)),
                sensations=tuple(sensations.get(cid, none)),
                practices=tuple(practices.get(cid, none)),
                tags=tuple(tags.get(cid, none)),
                created_at=created,
                updated_at=updated,
            )
            for cid, at, can_feel, state, note, sleep, created, updated in rows
        ]
        if typed:
            out = [replace(c, typed=tuple(typed[c.id])) if c.id in typed else c for c in out]
        return out

    def _select(self, where: str, params: Sequence[Any], tail: str = "") -> list[CheckIn]:
        try:
            rows = self._hinted(f"SELECT {self._COLUMNS} FROM checkins c {where} {tail}", params)
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        return self._attach(self.conn, rows)

    def _hinted(self, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows of `sql`, which may name the at_utc index (_AT_UTC_HINT). A large import
        drops that index for a while (REBUILT_INDEXES) and a reader meanwhile would be told
        "no such index": then the same query runs without the hint (the same rows, slower)."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if _AT_UTC_HINT not in sql or "no such index" not in str(exc):
                raise
        return self.conn.execute(sql.replace(_AT_UTC_HINT, ""), params).fetchall()

    def get(self, id_or_prefix: str) -> CheckIn:
        """The check-in with this id, or the only one whose id starts with this prefix."""
        prefix = id_or_prefix.strip().lower()
        if not prefix:
            raise InvalidInput("Give a check-in id, or the first few characters of one.")
        found = self._select(
            "WHERE id >= ? AND id < ?", [prefix, prefix + "\uffff"], "ORDER BY id LIMIT 2"
        )
        if not found:
            raise NotFound(f'No check-in has an id starting with "{id_or_prefix}".')
        if len(found) > 1 and found[0].id != prefix:
            raise InvalidInput(
                f'More than one check-in has an id starting with "{id_or_prefix}"; '
                "type a few more characters."
            )
        return found[0]

    def last_added(self) -> CheckIn | None:
        """The check-in added most recently (by when it was written, not when it happened)."""
        found = self._select("", [], "ORDER BY created_at DESC, pk DESC LIMIT 1")
        return found[0] if found else None

    def at_of(self, checkin_id: str) -> datetime | None:
        """When the check-in with exactly this id happened, or None if there is none."""
        row = self.conn.execute("SELECT at FROM checkins WHERE id = ?", [checkin_id]).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def latest_day(self) -> date | None:
        row = self.conn.execute("SELECT max(day) FROM checkins").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def between(self, start: date, end: date) -> list[CheckIn]:
        """Check-ins whose local day is within [start, end], oldest first."""
        return self.query(Filter(since=start, until=end), newest_first=False)

    def day_tallies(self, start: date, end: date) -> list[tuple[date, int, int, tuple[int, ...]]]:
        """Per local day within [start, end] that has check-ins: (day, check-ins, numb ones,
        the can-feel values given). One small aggregate, for calendars: no check-in is built."""
        try:
            rows = self.conn.execute(
                "SELECT day, count(*), sum(state = 'numb'), group_concat(can_feel)"
                " FROM checkins WHERE day BETWEEN ? AND ? GROUP BY day ORDER BY day",
                [start.isoformat(), end.isoformat()],
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        return [
            (
                date.fromisoformat(day),
                n,
                numb or 0,
                tuple(int(v) for v in feel.split(",")) if feel else (),
            )
            for day, n, numb, feel in rows
        ]

    def count_days(self, start: date, end: date) -> int:
        """How many check-ins the local days [start, end] hold: what `count` gives for that
        period, read from the day index alone (count's since and until also bound at_utc,
        for `query`'s pages, and each row is then read to test its day: about 36 M
        instructions at ten years, against about 3 M here)."""
        try:
            row = self.conn.execute(
                "SELECT count(*) FROM checkins WHERE day BETWEEN ? AND ?",
                [start.isoformat(), end.isoformat()],
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        return int(row[0])

    def count(self, f: Filter = Filter()) -> int:
        """How many check-ins match the filter (all of them without one)."""
        where, params = self._where(f)
        try:
            row = self.conn.execute(f"SELECT count(*) FROM checkins c {where}", params).fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        return int(row[0])

    def _where(self, f: Filter, *, in_time_order: bool = False) -> tuple[str, list[Any]]:
        """The WHERE clause of a filter, written so that SQLite's plan fits it.

        - since/until also bound at_utc (no UTC offset is a whole day), so the at_utc index
          can both narrow and order a page of them;
        - free text drives: FTS5 gives SQLite no estimate of its matches, and it would rather
          probe each word's or tag's list and test the text per row (330 ms for `walked
          tag:rest` at ten years, against 3 ms from the few notes that match);
        - `in_time_order`: no lookup drives at all (each term is a `+` test, which SQLite
          cannot answer from an index), so the rows are read along the at_utc index, newest
          first, until the page is full: far cheaper than sorting thousands of matches when
          many check-ins match (query() decides, from how many do).
        """
        clauses: list[str] = []
        params: list[Any] = []
        text = bool(f.text and f.text.strip())
        lookup = "+" if in_time_order or text else ""
        if text:
            clauses.append("c.pk IN (SELECT rowid FROM checkins_fts WHERE checkins_fts MATCH ?)")
            params.append(_fts_query(f.text or ""))
        if f.since:
            clauses.append(f"{lookup}c.day >= ? AND c.at_utc >= ?")
            params += [f.since.isoformat(), (f.since - timedelta(days=1)).isoformat()]
        if f.until:
            clauses.append(f"{lookup}c.day <= ? AND c.at_utc < ?")
            params += [f.until.isoformat(), (f.until + timedelta(days=2)).isoformat()]
        if f.state:
            clauses.append(f"{lookup}c.state = ?")
            params.append(f.state)
        for table, column, values in (
            ("feelings", "word", f.words),
            ("sensations", "region", f.regions),
            ("sensations", "quality", f.qualities),
            ("practices", "practice", f.practices),
            ("tags", "tag", f.tags),
        ):
            for value in values:
                # An indexed lookup of the few matching ids, not a correlated EXISTS per row:
                # the difference is seconds against milliseconds at ten years of check-ins.
                clauses.append(
                    f"{lookup}c.id IN (SELECT checkin_id FROM {table} WHERE {column} = ?)"
                )
                params.append(value)
        for value in params:
            if isinstance(value, str):
                check_text(value, "The search")
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def query(
        self,
        f: Filter = Filter(),
        *,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = True,
        matching: int | None = None,
    ) -> list[CheckIn]:
        """Check-ins matching every part of the filter, newest first unless asked otherwise.

        `limit` and `offset` page through the matches (the dashboard loads more as you scroll).
        `matching`, how many match (count() of the same filter), lets a page of a filter that
        many check-ins match be read in time order instead of sorting all of them.
        """
        in_time_order = False
        if limit is not None and matching and f != Filter():
            # Rows read along the at_utc index to fill the page, against matches sorted.
            everything = self.count()
            in_time_order = (offset + limit) * everything / matching <= max(3000, 4 * matching)
        where, params = self._where(f, in_time_order=in_time_order)
        direction = "DESC" if newest_first else ""
        order = ", ".join(f"{col} {direction}" for col in self._ORDER.split(", "))
        tail = f"ORDER BY {order}"
        if limit is not None or offset:
            tail += f" LIMIT {-1 if limit is None else int(limit):d} OFFSET {int(offset):d}"
        if in_time_order:
            where = f"{_AT_UTC_HINT} {where}"
        return self._select(where, params, tail)

    def iter_all(
        self, f: Filter = Filter(), *, batch: int = BATCH, newest_first: bool = False
    ) -> Iterator[CheckIn]:
        """Every matching check-in, oldest first unless asked otherwise, fetched in batches
        to keep memory flat. The open cursor holds one read snapshot throughout, so the parts
        fetched batch by batch always belong to the check-ins listed."""
        where, params = self._where(f)
        direction = " DESC" if newest_first else ""
        order = ", ".join(f"{col}{direction}" for col in self._ORDER.split(", "))
        try:
            cursor = self.conn.execute(
                f"SELECT {self._COLUMNS} FROM checkins c {where} ORDER BY {order}", params
            )
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        made: dict[str, dict[tuple[Any, ...], Any]] = {}
        while rows := cursor.fetchmany(batch):
            yield from self._attach(self.conn, rows, made)

    # -- whole-history reads for exports and `list --all` ---------------------------------
    #
    # Building a CheckIn (and a Feeling or Sensation per part) for every row was most of an
    # export's time. `iter_packed` instead returns plain rows with each check-in's parts packed
    # into one string per part table by SQL, in position order; the writers turn each distinct
    # packed string into its text once (through the same models and formats as always) and
    # reuse it, since a history repeats the same few words and sensations thousands of times.

    def iter_packed(
        self, f: Filter = Filter(), *, batch: int = BATCH, newest_first: bool = False
    ) -> Iterator[tuple[Any, ...]]:
        """Every matching check-in as a plain row in the order of PACKED_FIELDS, fetched in
        batches (memory stays flat). The four part columns are None without parts, else
        packed (see `unpack_feelings`, `unpack_sensations`, `unpack_names`)."""
        where, params = self._where(f)
        direction = " DESC" if newest_first else ""
        order = ", ".join(f"c.{col}{direction}" for col in self._ORDER.split(", "))
        try:
            cursor = self.conn.execute(f"{_PACKED_SELECT} {where} ORDER BY {order}", params)
            while rows := cursor.fetchmany(batch):
                yield from rows
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None

    def iter_text(
        self,
        kind: str,
        f: Filter = Filter(),
        *,
        typed: bool = False,
        newest_first: bool = False,
        batch: int = BATCH,
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Every matching check-in's text of one of TEXT_KINDS, in batches (memory stays flat):
        for "jsonl" and "json-list" a row of one record, for "csv" a row (pk, the cells before
        the note and a comma, the note, a comma and the cells after it), to be quoted by
        exchange.native. `typed`: the store keeps typed names (a CSV then has their column)."""
        v = vocab.load()
        parts = None
        if kind == "csv" and self._parts_csv_made(v):
            # The stored cells (m010), or for a check-in without them, the cells made here.
            parts = f"coalesce(c.parts_csv, {_csv_parts(v.qualities, v.practices)})"
        sql = _text_select(kind, v.qualities, v.practices, typed, parts)
        where, params = self._where(f)
        direction = " DESC" if newest_first else ""
        order = ", ".join(f"c.{col}{direction}" for col in self._ORDER.split(", "))
        self.conn.create_function(TEXT_REPR, 1, _repr, deterministic=True)
        try:
            cursor = self.conn.execute(f"{sql} {where} ORDER BY {order}", params)
            while rows := cursor.fetchmany(batch):
                yield rows
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None

    def iter_json_cells(
        self,
        kind: str,
        f: Filter = Filter(),
        *,
        typed: bool = False,
        newest_first: bool = False,
        batch: int = BATCH,
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Every matching check-in's record of "jsonl" or "json-list" (as `iter_text`), in
        batches, with its part fields left out where it has checkins.parts_csv (m010): rows
        (pk, the text before the part fields, parts_csv or None, the text after them), for
        exchange.native to put each distinct CSV cell's JSON in between. Where parts_csv is
        None the text before holds the part fields."""
        v = vocab.load()
        sql = _json_cells_select(kind, v.qualities, v.practices, typed, self._parts_csv_made(v))
        where, params = self._where(f)
        direction = " DESC" if newest_first else ""
        order = ", ".join(f"c.{col}{direction}" for col in self._ORDER.split(", "))
        self.conn.create_function(TEXT_REPR, 1, _repr, deterministic=True)
        try:
            cursor = self.conn.execute(f"{sql} {where} ORDER BY {order}", params)
            while rows := cursor.fetchmany(batch):
                yield rows
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None

    def text_of(self, kind: str, pks: Sequence[int], *, typed: bool = False) -> dict[int, str]:
        """The `iter_text` records of "jsonl" or "json-list" of these check-ins, by pk."""
        v = vocab.load()
        sql = _text_select(kind, v.qualities, v.practices, typed).replace(
            "SELECT ", "SELECT c.pk, ", 1
        )
        # While iter_json_cells' statement runs, SQLite refuses to (re)define a function;
        # it has defined this one.
        with contextlib.suppress(sqlite3.OperationalError):
            self.conn.create_function(TEXT_REPR, 1, _repr, deterministic=True)
        found: dict[int, str] = {}
        try:
            for i in range(0, len(pks), 500):
                chunk = list(pks[i : i + 500])
                marks = ",".join("?" * len(chunk))
                found.update(self.conn.execute(f"{sql} WHERE c.pk IN ({marks})", chunk))
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        return found

    def _parts_csv_made(self, v: vocab.Vocabulary) -> bool:
        """Whether checkins.parts_csv (m010) was made with this shipped vocabulary."""
        try:
            made = self.conn.execute("SELECT vocab FROM parts_csv_vocab").fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        return made is not None and made[0] == _vocab_key(v.qualities, v.practices)

    def stale_parts_csv(self) -> list[str]:
        """The ids of check-ins whose stored parts_csv (m010) is not what their parts give
        now, in the store's order; empty, always (the tests ask)."""
        v = vocab.load()
        if not self._parts_csv_made(v):
            return []
        rows = self.conn.execute(
            "SELECT id FROM checkins c WHERE parts_csv IS NOT NULL"
            f" AND parts_csv IS NOT {_csv_parts(v.qualities, v.practices)} ORDER BY pk"
        ).fetchall()
        return [r[0] for r in rows]

    def packed_of(self, pks: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """The `iter_packed` rows of these check-ins (by pk), with their typed names last."""
        found: dict[int, tuple[Any, ...]] = {}
        for i in range(0, len(pks), 500):
            chunk = list(pks[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"{_PACKED_SELECT.replace('SELECT ', 'SELECT c.pk, ', 1)} WHERE c.pk IN ({marks})",
                chunk,
            ).fetchall()
            typed = self.typed_of([r[1] for r in rows])
            for pk, *row in rows:
                found[pk] = (*row, typed.get(row[0], ()))
        return found

    def any_typed(self, f: Filter = Filter()) -> bool:
        """Whether some check-in matching `f` keeps a name typed as an alias of another."""
        where, params = self._where(f)
        has = "c.id IN (SELECT checkin_id FROM typed_names)"
        where = f"{where} AND {has}" if where else f"WHERE {has}"
        try:
            row = self.conn.execute(f"SELECT 1 FROM checkins c {where} LIMIT 1", params).fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None
        return row is not None

    def typed_of(self, ids: Sequence[str]) -> dict[str, tuple[Typed, ...]]:
        """The typed names of those of these check-ins that keep any, in order."""
        found: dict[str, list[Typed]] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for cid, kind, typed, name in self.conn.execute(
                "SELECT checkin_id, kind, typed, name FROM typed_names"
                f" WHERE checkin_id IN ({marks}) ORDER BY checkin_id, position",
                chunk,
            ):
                found.setdefault(cid, []).append(Typed(kind, typed, name))
        return {cid: tuple(ts) for cid, ts in found.items()}

    def last_non_numb_word(self, before: date) -> tuple[datetime, str] | None:
        """When a word outside the numb cluster was last named before a day, and which.
        Ties in time go the way `query` orders check-ins (at_utc, created_at, id): the one
        listed last wins, as it does in summary.numb_stretches."""
        from numbtrack import vocab

        numb = vocab.load().numb_words()
        marks = ",".join("?" * len(numb))
        # Newest first along the at_utc index, from a bound no local day before `before` can
        # pass (no UTC offset is a day), so the walk stops at the first match: well under a
        # millisecond at 10 years, where sorting every earlier word took about 30 ms.
        bound = (before + timedelta(days=1)).isoformat()
        rows = self._hinted(
            f"SELECT c.at, f.word FROM checkins c {_AT_UTC_HINT}"
            f" CROSS JOIN feelings f ON f.checkin_id = c.id"
            f" WHERE c.at_utc < ? AND c.day < ? AND f.word NOT IN ({marks})"
            f" ORDER BY c.at_utc DESC, c.created_at DESC, c.id DESC, f.position DESC LIMIT 1",
            [bound, before.isoformat(), *numb],
        )
        return (datetime.fromisoformat(rows[0][0]), rows[0][1]) if rows else None

    # -- a period's figures, for the report -------------------------------------------------

    def period_rows(self, start: date, end: date, first: date) -> Iterator[tuple[Any, ...]]:
        """Each check-in of the local days [start, end] in time order (as `iter_all` gives
        them) as the few plain values a report counts: (week, at, at_utc, day, state,
        can_feel, note, words, sensations, practices, tags), `week` counted in weeks from
        the Monday `first`. The parts are packed by SQL, in their order: the names joined by
        char(31), a sensation as region, quality and direction joined by char(30); None
        without any. A report over years needs counts, and building a CheckIn with its
        parts for every row was most of its time. Fetched in batches: memory stays flat."""
        where, params = self._where(Filter(since=start, until=end))
        sql = (
            f"SELECT {_WEEK}, c.at, c.at_utc, c.day, c.state, c.can_feel, c.note, "
            + ", ".join(
                f"(SELECT group_concat(v, char(31)) FROM (SELECT {value} AS v FROM {table}"
                " WHERE checkin_id = c.id ORDER BY position))"
                for table, value in (
                    ("feelings", "word"),
                    (
                        "sensations",
                        "region || char(30) || quality || char(30) || ifnull(direction, '')",
                    ),
                    ("practices", "practice"),
                    ("tags", "tag"),
                )
            )
            + f" FROM checkins c {where} ORDER BY c.at_utc, c.created_at, c.id"
        )
        try:
            cursor = self.conn.execute(sql, [first.isoformat(), *params])
            while rows := cursor.fetchmany(BATCH):
                yield from rows
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None

    def period_parts(self, start: date, end: date) -> Iterator[list[tuple[Any, ...]]]:
        """The check-ins of the local days [start, end] in time order (as `iter_all` gives
        them), in batches of BATCH rows (one statement, so one read snapshot; memory stays
        flat), each as (at, state, can_feel, note, parts): `parts` the four CSV part cells of
        checkins.parts_csv (m010), made here in SQL where it is NULL. A report over years
        counts names, so the vocabulary the cells were made with does not matter: it only
        decides the ":own" marks, which a report does not count. One text value per
        check-in for all its parts, where a column per part table cost SQLite a scan of
        each table and Python a sort of each back into time order."""
        from numbtrack import vocab

        v = vocab.load()
        where, params = self._where(Filter(since=start, until=end))
        sql = (
            "SELECT c.at, c.state, c.can_feel, c.note,"
            f" coalesce(c.parts_csv, {_csv_parts(v.qualities, v.practices)})"
            f" FROM checkins c {_AT_UTC_HINT} {where} ORDER BY c.at_utc, c.created_at, c.id"
        )
        try:
            try:
                cursor = self.conn.execute(sql, params)
            except sqlite3.OperationalError as exc:  # see _hinted
                if "no such index" not in str(exc):
                    raise
                cursor = self.conn.execute(sql.replace(_AT_UTC_HINT, ""), params)
            while rows := cursor.fetchmany(BATCH):
                yield rows
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc) from None

    def practice_last_done(self) -> dict[str, date]:
        """The local day each practice was last done."""
        rows = self.conn.execute(
            "SELECT p.practice, max(c.day) FROM practices p JOIN checkins c"
            " ON c.id = p.checkin_id GROUP BY p.practice"
        )
        return {name: date.fromisoformat(day) for name, day in rows}

    def known_tags(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT tag FROM tags ORDER BY tag")]

    # -- safety --------------------------------------------------------------------------

    def check_sound(self) -> None:
        """Refuse, in one sentence saying how to rescue it, a store SQLite finds damaged."""
        try:
            found = [r[0] for r in self.conn.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            if _disk_full(exc):
                raise self._explain(exc) from None
            found = [str(exc)]
        if found != ["ok"]:
            raise StoreError(damaged_message(self.path))

    def backup(
        self, dest: Path | None = None, *, reason: str = "backup", verify: bool = True
    ) -> Path:
        """A consistent, verified copy through SQLite's online backup API, mode 0600.

        A damaged store is refused (a copy of it would not be a backup). The copy is written
        to a temporary file, checked (`PRAGMA quick_check` and the numbtrack schema), and only
        then given its name, so a backup that exists is a finished one. Copies in backups/
        are made under a lock file shared with `prune_backups`. Where there is no store
        yet (a stand-in, `make=False`) there is nothing to copy: a backup of an empty store
        made for the occasion would only look like a copy of something.
        """
        if self.stand_in:
            raise StoreError(
                f"There is nothing to back up yet: no store at {self.path}. "
                "Your first check-in makes it."
            )
        if verify:
            self.check_sound()
        if dest is not None:
            if os.path.lexists(dest):
                raise InvalidInput(f"{dest} already exists; choose another name.")
            self._copy_to(Path(dest), self.conn, verify=verify)
            return Path(dest)
        folder = self._backups_folder()
        with paths.file_lock(folder / BACKUP_LOCK):
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            dest = folder / f"numbtrack-{stamp}-{reason}.db"
            self._copy_to(dest, self.conn, verify=verify)
        return dest

    def _backups_folder(self) -> Path:
        folder = self.path.parent / "backups"
        try:
            return paths.ensure_private_dir(folder)
        except OSError as exc:
            raise paths.write_problem(folder, exc) from None

    def _copy_to(self, dest: Path, source: sqlite3.Connection, *, verify: bool = True) -> None:
        """Copy `source` into a new file at `dest`, verified before it gets its name (unless
        `verify` is off: the safety copy of a damaged store before a restore rescues it)."""
        with paths.atomic_path(dest) as tmp, _sidecars_removed(tmp):
            try:
                target = sqlite3.connect(tmp)  # a path, never a URI
                try:
                    target.execute("PRAGMA journal_mode = OFF")  # new, and removed on failure
                    source.backup(target)
                    # The copy's header says WAL, as the store's does; a rollback-journal
                    # header means nothing that reads the backup later makes a -wal and a
                    # -shm beside it.
                    try:
                        target.execute("PRAGMA journal_mode = DELETE")
                    except sqlite3.DatabaseError:
                        if verify:  # a damaged store's safety copy is kept as it came
                            raise
                    if not verify:
                        return
                    ok = target.execute("PRAGMA quick_check").fetchone()[0] == "ok"
                    marked = target.execute(
                        "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?",
                        [migrations.MIGRATION_SET],
                    ).fetchone()[0]
                finally:
                    target.close()
            except sqlite3.DatabaseError as exc:
                if _disk_full(exc):
                    raise StoreError(
                        f"Cannot write {dest}: the disk is full; nothing was written."
                    ) from None
                raise StoreError(
                    f"The copy to {dest} could not be made ({exc}); nothing was written."
                ) from None
            if not ok or not marked:
                raise StoreError(f"The copy to {dest} did not check out; nothing was written.")

    def prune_backups(self, keep: int = 10) -> list[Path]:
        """Remove all but the newest `keep` verified backups that numbtrack named itself.

        Only finished backups count (a file that is not a whole SQLite database, such as one
        left by an older numbtrack on a full disk, is neither counted nor removed), and the
        lock file keeps two runs from pruning at once.
        """
        folder = self.path.parent / "backups"
        if not folder.is_dir():
            return []
        with paths.file_lock(folder / BACKUP_LOCK):
            named = sorted(p for p in folder.glob("numbtrack-*-backup.db") if _looks_whole(p))
            gone = named[: max(0, len(named) - keep)]
            for old in gone:
                old.unlink(missing_ok=True)
        return gone

    @staticmethod
    def _must_be_a_file(path: Path) -> None:
        if not path.is_file():
            there = path.exists()
            raise InvalidInput(f"{path} is not a file." if there else f"There is no file {path}.")

    @staticmethod
    @contextlib.contextmanager
    def readable_copy(path: Path) -> Iterator[Path]:
        """`path`, or a private copy of its bytes, for SQLite to read without leaving a file
        beside it (opened read-only, a file whose header says WAL gets a -wal and a -shm).

        A file with a -wal or -journal of its own is a database in use, read where it is,
        so that what its journal holds is read too. Any other is copied into a temporary
        file in the data folder (created exclusively, 0600, removed with any side file of
        it when the block ends; `paths.building`): the file named is only read, as bytes.
        """
        Store._must_be_a_file(path)
        if any(os.path.lexists(f"{path}{side}") for side in ("-wal", "-journal")):
            yield path
            return
        try:
            src = path.open("rb")
            head = src.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise InvalidInput(f"{path} cannot be read: {exc.strerror}.") from None
        if head != SQLITE_HEADER:  # a file of any size that is no database is never copied
            src.close()
            raise InvalidInput(f"{path} is not a numbtrack database.")
        folder = paths.data_dir()
        made = not folder.exists()
        try:
            with src:
                paths.check_owner(folder)
                try:
                    paths.ensure_private_dir(folder)
                except OSError as exc:
                    raise paths.write_problem(folder, exc) from None
                with paths.building(folder / "restore.db") as copy:
                    fd = os.open(copy, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
                    with open(fd, "wb") as dst:
                        dst.write(head)
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
                    src.close()
                    yield copy
        finally:
            if made:  # a refused restore into a new home leaves no folder behind
                with contextlib.suppress(OSError):
                    folder.rmdir()

    @staticmethod
    def describe_file(path: Path, name: Path | None = None) -> tuple[int, date | None, date | None]:
        """How many check-ins a database file holds, and from when to when (read-only);
        `name` is what the sentences call it (a copy's original)."""
        Store._must_be_a_file(path)
        shown = path if name is None else name
        try:
            conn = sqlite3.connect(ro_uri(path), uri=True)
            try:
                if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise InvalidInput(f"{shown} is damaged; it cannot be restored.")
                names = [
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                        [migrations.MIGRATION_SET],
                    )
                ]
                if any(n not in migrations.NAMES for n in names):
                    raise InvalidInput(
                        f"{shown} comes from a newer numbtrack; update numbtrack to restore it."
                    )
                n, first, last = conn.execute(
                    "SELECT count(*), min(day), max(day) FROM checkins"
                ).fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            raise InvalidInput(f"{shown} is not a numbtrack database.") from None
        return (
            int(n),
            date.fromisoformat(first) if first else None,
            date.fromisoformat(last) if last else None,
        )

    def restore_from(self, path: Path, *, keep: bool = True) -> Path | None:
        """Replace this store's contents with a backup file; the current contents are
        backed up first (`keep`; not for a store made just now to restore into). Returns
        where that safety copy went."""
        self.describe_file(path)  # refuses damaged, foreign or newer files
        if self.newer_than_me:
            raise StoreError("This store is from a newer numbtrack; it was left as it is.")
        # Kept as it is, damaged or not: a restore is how a damaged store is rescued.
        safety = self.backup(reason="before-restore", verify=False) if keep else None
        source = sqlite3.connect(ro_uri(path), uri=True)
        try:
            source.backup(self.conn)
        finally:
            source.close()
        self.path.chmod(0o600)
        return safety

    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
