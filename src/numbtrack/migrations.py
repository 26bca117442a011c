"""The schema, as append-only migrations applied by `sqlite_utils.Migrations`.

Never edit a migration that has shipped: add a new `mNNN_verb_noun` function at the end of
MIGRATIONS instead. The names are read without importing sqlite_utils (about 70 ms), so that
opening an up-to-date store, the common case, stays fast; sqlite_utils is imported only when
there is something to apply.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: `numbtrack log` never imports typing (see quick.py)
    import sqlite3
    from typing import Any

    from sqlite_utils import Database

MIGRATION_SET = "numbtrack"

STATES_SQL = "'feeling', 'numb', 'mixed', 'unsure'"


def m001_create_checkins(db: Database) -> None:
    db.execute(f"""
        CREATE TABLE checkins (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            at_utc TEXT NOT NULL,
            day TEXT NOT NULL,
            can_feel INTEGER CHECK (can_feel BETWEEN 0 AND 10),
            state TEXT NOT NULL CHECK (state IN ({STATES_SQL})),
            note TEXT,
            sleep_hours REAL CHECK (sleep_hours BETWEEN 0 AND 24),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX checkins_day ON checkins (day)")
    db.execute("CREATE INDEX checkins_at_utc ON checkins (at_utc)")
    db.execute("CREATE INDEX checkins_created_at ON checkins (created_at)")
    db.execute("""
        CREATE TABLE feelings (
            checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            word TEXT NOT NULL,
            intensity INTEGER CHECK (intensity BETWEEN 1 AND 5),
            custom INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (checkin_id, position)
        )""")
    db.execute("CREATE INDEX feelings_word ON feelings (word)")
    db.execute("""
        CREATE TABLE sensations (
            checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            region TEXT NOT NULL,
            quality TEXT NOT NULL,
            intensity INTEGER CHECK (intensity BETWEEN 1 AND 5),
            direction TEXT CHECK (direction IN ('more', 'less')),
            tone TEXT CHECK (tone IN ('pleasant', 'unpleasant', 'neutral')),
            PRIMARY KEY (checkin_id, position)
        )""")
    db.execute("CREATE INDEX sensations_region ON sensations (region)")
    db.execute("CREATE INDEX sensations_quality ON sensations (quality)")
    for table, column in (("practices", "practice"), ("tags", "tag")):
        db.execute(f"""
            CREATE TABLE {table} (
                checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                {column} TEXT NOT NULL,
                PRIMARY KEY (checkin_id, position)
            )""")
        db.execute(f"CREATE INDEX {table}_{column} ON {table} ({column})")
    db.execute("""
        CREATE TABLE custom_words (
            word TEXT PRIMARY KEY,
            added_at TEXT NOT NULL
        )""")


def m002_enable_note_search(db: Database) -> None:
    # Triggers keep checkins_fts in step with every insert, update and delete.
    db.table("checkins").enable_fts(
        ["note"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )


def m003_create_journal(db: Database) -> None:
    # The undo journal: one row per check-in touched by a change, `before` its JSON
    # (models.to_dict) before the change, NULL when it did not exist. A batch is one change
    # as a person made it (an add, an edit, a delete, a whole import, an undo).
    db.execute("""
        CREATE TABLE journal (
            seq INTEGER PRIMARY KEY,
            batch INTEGER NOT NULL,
            action TEXT NOT NULL,
            checkin_id TEXT NOT NULL,
            before TEXT,
            at_utc TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX journal_batch ON journal (batch)")


def m007_create_own_vocabulary(db: Database) -> None:
    # The sensation qualities and practices a person kept as their own on purpose, like
    # custom_words for feeling words. Kept even when no check-in uses them any more.
    for table in ("own_qualities", "own_practices"):
        db.execute(f"""
            CREATE TABLE {table} (
                name TEXT PRIMARY KEY,
                added_at TEXT NOT NULL
            )""")


def m004_create_sync_tables(db: Database) -> None:
    # Who wrote the current version of a check-in: '' for this device, else the id of the
    # device whose sync file brought it (sync ties are broken by device id, see merge.py).
    db.execute("ALTER TABLE checkins ADD COLUMN origin TEXT NOT NULL DEFAULT ''")
    # A delete leaves a tombstone, so that an older copy arriving later (from another device
    # or an import) cannot bring the check-in back.
    db.execute("""
        CREATE TABLE tombstones (
            id TEXT PRIMARY KEY,
            deleted_at TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT ''
        )""")
    # One row per device seen in the sync folder: how far this store has read its files,
    # and what that device said it had read of everyone else (for compaction).
    db.execute("""
        CREATE TABLE sync_devices (
            device TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            read_seq INTEGER NOT NULL DEFAULT 0,
            changes_seq INTEGER NOT NULL DEFAULT 0,
            acks TEXT NOT NULL DEFAULT '{}',
            written_at TEXT NOT NULL DEFAULT '',
            read_at TEXT NOT NULL DEFAULT ''
        )""")
    # This store's own sync bookkeeping (its device id, how far it has exported the journal).
    db.execute("""
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""")


def m008_create_typed_names(db: Database) -> None:
    # What a person typed when an alias made it another name ("walk" counted as the practice
    # "movement"), so that `show` can say so. One row per typed name of a check-in; a check-in
    # without aliases has none (and a store upgraded from before has none: what was typed
    # then was not kept, so nothing is made up).
    db.execute("""
        CREATE TABLE typed_names (
            checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('word', 'region', 'quality', 'practice')),
            typed TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (checkin_id, position)
        )""")


PART_TABLES_WITHOUT_ROWID = {
    "feelings": """
            checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            word TEXT NOT NULL,
            intensity INTEGER CHECK (intensity BETWEEN 1 AND 5),
            custom INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (checkin_id, position)""",
    "sensations": """
            checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            region TEXT NOT NULL,
            quality TEXT NOT NULL,
            intensity INTEGER CHECK (intensity BETWEEN 1 AND 5),
            direction TEXT CHECK (direction IN ('more', 'less')),
            tone TEXT CHECK (tone IN ('pleasant', 'unpleasant', 'neutral')),
            PRIMARY KEY (checkin_id, position)""",
    "practices": """
            checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            practice TEXT NOT NULL,
            PRIMARY KEY (checkin_id, position)""",
    "tags": """
            checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            tag TEXT NOT NULL,
            PRIMARY KEY (checkin_id, position)""",
}
"""The columns of the four part tables as m001 made them (m009 keeps every one)."""

PART_INDEXES = {
    "feelings": ("word",),
    "sensations": ("region", "quality"),
    "practices": ("practice",),
    "tags": ("tag",),
}
"""The single-column lookup indexes of the part tables ({table}_{column}), as m001 made them."""


def m009_cluster_parts_by_checkin(db: Database) -> None:
    # An export or `list --all` looks up every check-in's parts in each part table. In a rowid
    # table that is a seek in the (checkin_id, position) key index and then one more in the
    # table per part; WITHOUT ROWID the key is the table, so one seek finds a check-in's parts
    # side by side (and the lookup indexes by word, tag, ... hold the key, so a search needs no
    # table row at all). The same columns, constraints and index names; the rows are copied as
    # they are (a part whose check-in is gone, which the foreign key never let numbtrack
    # write, is not copied: nothing could show it).
    for table, columns in PART_TABLES_WITHOUT_ROWID.items():
        names = [line.split()[0] for line in columns.strip().splitlines()[:-1]]
        listed = ", ".join(names)
        db.execute(f"CREATE TABLE {table}_clustered ({columns}\n        ) WITHOUT ROWID")
        db.execute(
            f"INSERT INTO {table}_clustered ({listed}) SELECT {listed} FROM {table}"
            f" WHERE checkin_id IN (SELECT id FROM checkins)"
        )
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_clustered RENAME TO {table}")
        for column in PART_INDEXES[table]:
            db.execute(f"CREATE INDEX {table}_{column} ON {table} ({column})")
    # Exports and `list` read check-ins in (at_utc, created_at, id) order: with the whole
    # order in the index (same name, so INDEXED BY still finds it), no sort is left to do.
    db.execute("DROP INDEX checkins_at_utc")
    db.execute("CREATE INDEX checkins_at_utc ON checkins (at_utc, created_at, id)")


def m010_add_parts_csv(db: Database) -> None:
    # A CSV export made each check-in's part cells with four correlated aggregates (about 40%
    # of its instructions). parts_csv keeps them ready: the feelings, sensations, practices
    # and tags cells of the check-in's CSV row, joined by commas, made when the check-in is
    # written (store.PartsText in Python where the parts are at hand, store.fill_parts_csv in
    # SQL here). A check-in's parts are only ever written with its row (an edit deletes and
    # inserts it again), so the text cannot go stale; NULL means not made (a reader then
    # makes that check-in's cells itself). The text marks own qualities and practices by the
    # vocabulary numbtrack ships, so parts_csv_vocab records which one made it: readers use
    # the column only while numbtrack ships the same one, and writers fill it only then.
    # (The JSON records' part text is six to ten times as long: an import would write that
    # much more, and the store grow by as much again; it stays made by SQL on export.)
    db.execute("ALTER TABLE checkins ADD COLUMN parts_csv TEXT")
    db.execute("CREATE TABLE parts_csv_vocab (vocab TEXT NOT NULL)")
    from numbtrack import store

    store.fill_parts_csv(db.conn)


MIGRATIONS: list[Callable[[Database], None]] = [
    m001_create_checkins,
    m002_enable_note_search,
    m003_create_journal,
    m007_create_own_vocabulary,
    m004_create_sync_tables,  # numbered before m007 but landed after it: order is append order
    m008_create_typed_names,
    m009_cluster_parts_by_checkin,
    m010_add_parts_csv,
]
"""In order of application. Append only."""

NAMES: tuple[str, ...] = tuple(m.__name__ for m in MIGRATIONS)


MIGRATIONS_TABLE_SQL = (
    'CREATE TABLE "_sqlite_migrations" (\n   "id" INTEGER PRIMARY KEY,\n   "migration_set" TEXT,'
    '\n   "name" TEXT,\n   "applied_at" TEXT\n)',
    'CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"\n'
    '    ON "_sqlite_migrations" ("migration_set", "name")',
)
"""The record of applied migrations as `sqlite_utils.Migrations` makes it (for `apply_new`;
tests/test_import_new_store.py compares a store made each way, sqlite_master included)."""


class _PlainTable:
    """The one Table method a migration calls (`enable_fts`, in m002), running the SQL that
    sqlite-utils runs for it."""

    def __init__(self, db: _PlainDatabase, name: str) -> None:
        self.db, self.name = db, name

    def enable_fts(self, columns: list[str], create_triggers: bool, tokenize: str) -> None:
        conn, table = self.db.conn, _quoted(self.name)
        fts, listed = _quoted(self.name + "_fts"), ", ".join(_quoted(c) for c in columns)
        quoted = conn.execute("SELECT quote(?)", [tokenize]).fetchone()[0]
        conn.execute(
            f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {listed},\n    tokenize={quoted},\n"
            f"    content={table}\n)"
        )
        conn.execute(f"INSERT INTO {fts} (rowid, {listed}) SELECT rowid, {listed} FROM {table};")
        if not create_triggers:
            return
        new = ", ".join(f"new.{_quoted(c)}" for c in columns)
        old = ", ".join(f"old.{_quoted(c)}" for c in columns)
        add = f"  INSERT INTO {fts} (rowid, {listed}) VALUES (new.rowid, {new});"
        drop = f"  INSERT INTO {fts} ({fts}, rowid, {listed}) VALUES('delete', old.rowid, {old});"
        for suffix, body in (("_ai", [add]), ("_ad", [drop]), ("_au", [drop, add])):
            trigger, when = _quoted(self.name + suffix), _TRIGGERED[suffix]
            lines = "\n".join(body)
            conn.execute(f"CREATE TRIGGER {trigger} AFTER {when} ON {table} BEGIN\n{lines}\nEND;")


_TRIGGERED = {"_ai": "INSERT", "_ad": "DELETE", "_au": "UPDATE"}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _PlainDatabase:
    """What the migrations use of `sqlite_utils.Database` (`execute`, `conn`, and
    `table(...).enable_fts`), without sqlite-utils: importing it costs more than making a
    new store's whole schema (about 430 M instructions, 0.1-0.15 s)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters or [])

    def table(self, name: str) -> _PlainTable:
        return _PlainTable(self, name)


def apply_new(conn: sqlite3.Connection) -> None:
    """Make the whole schema in an empty database, inside the caller's transaction, as
    `migration_set().apply` makes it (the same tables, indexes, triggers and records of the
    applied migrations) but without importing sqlite-utils: for a store built whole
    (`Store.build_new`), whose file nobody else can see."""
    from datetime import UTC, datetime

    for sql in MIGRATIONS_TABLE_SQL:
        conn.execute(sql)
    db = _PlainDatabase(conn)
    for fn in MIGRATIONS:
        fn(db)  # type: ignore[arg-type]  # the part of Database the migrations use
        conn.execute(
            'INSERT INTO "_sqlite_migrations" ("migration_set", "name", "applied_at")'
            " VALUES (?, ?, ?)",
            [MIGRATION_SET, fn.__name__, str(datetime.now(UTC))],
        )


def migration_set() -> Any:
    """The sqlite_utils.Migrations object with every migration registered."""
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS:
        migrations()(fn)
    return migrations
