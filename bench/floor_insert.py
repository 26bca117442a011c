"""The floor for `numbtrack log`: plain Python that does the same database work, and no more.

It opens the store in $NUMBTRACK_HOME with the pragmas numbtrack uses (WAL, synchronous=FULL,
foreign keys, a busy timeout) and inserts one check-in with one feeling, one sensation and
one tag in one transaction. Whatever `numbtrack log` takes beyond this is numbtrack's own
cost: Python start-up and sqlite3 are in both.
"""

import os
import sqlite3
import uuid
from datetime import UTC, datetime

db = os.path.join(os.environ["NUMBTRACK_HOME"], "numbtrack.db")
conn = sqlite3.connect(db, timeout=15.0, isolation_level=None)
conn.execute("PRAGMA foreign_keys = ON")
if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
    conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = FULL")
now = datetime.now().astimezone()
stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
cid = str(uuid.uuid4())
conn.execute("BEGIN IMMEDIATE")
conn.execute(
    "INSERT INTO checkins (id, at, at_utc, day, can_feel, state, note, sleep_hours,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, 3, 'numb', NULL, NULL, ?, ?)",
    (cid, now.isoformat(), stamp[:20] + "Z", now.date().isoformat(), stamp, stamp),
)
conn.execute("INSERT INTO feelings (checkin_id, position, word) VALUES (?, 0, 'numb')", (cid,))
conn.execute(
    "INSERT INTO sensations (checkin_id, position, region, quality, intensity)"
    " VALUES (?, 0, 'chest', 'tight', 2)",
    (cid,),
)
conn.execute("INSERT INTO tags (checkin_id, position, tag) VALUES (?, 0, 'work')", (cid,))
conn.execute("COMMIT")
conn.close()
