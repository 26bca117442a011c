"""One undo, everywhere: the recent changes, and reverting the last one not yet undone.

UI-free: `numbtrack undo`, `undo --list` and the dashboard's `u` call these functions. The
store journals every add, edit, delete and import (a whole import is one change) in the same
transaction as the change itself; the journal keeps the newest `store.JOURNAL_KEEP` changes
and lives in the database, so it survives restarts and travels with backups.

An undo is itself journaled (action "undo", with the check-ins as they were before it), so a
sync carries its effect like any other change. It is never undone by the next `undo`: undo
works as a stack. Walking the journal from oldest to newest, every add, edit, delete or import
is pushed, and every undo pops the change it reverted; what is left on top is what the next
undo reverts. So `undo` twice reverts the last two changes, and a change made after an undo
is reverted first. There is no redo. Other actions (a sync applying another device's changes,
should it journal them) are listed but never reverted here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, unmark_own
from numbtrack.store import JOURNAL_KEEP, JournalBatch, Store
from numbtrack.text import moment, plural

UNDOABLE = ("add", "edit", "delete", "import")
"""The actions `undo` reverts."""


@dataclass(frozen=True)
class Change:
    """One change a person made, newest first in `recent`."""

    batch: int
    action: str
    """add, edit, delete, import or undo."""
    made_at: datetime
    """When the change was made, in local time."""
    count: int
    """How many check-ins it touched."""
    created: int
    """How many of those it created (for an import: the new ones; the rest it updated)."""
    checkin_id: str
    """The (first) check-in it touched."""
    checkin_at: datetime | None
    """When that check-in happened, when known (None if it is gone and had no before image)."""
    undone: bool = False
    """An undo has reverted this change already."""
    reverts: Change | None = None
    """For an undo: the change it reverted, when that is still in the journal."""

    @property
    def undoable(self) -> bool:
        return self.action in UNDOABLE and not self.undone

    def sentence(self) -> str:
        """What happened, in one sentence: "You deleted the check-in of Fri 20 Nov 21:30."."""
        subject = self._subject()
        if self.action == "add":
            return f"You added {subject}."
        if self.action == "edit":
            return f"You edited {subject}."
        if self.action == "delete":
            return f"You deleted {subject}."
        if self.action == "import":
            return f"You imported {self._import_parts()}."
        if self.action == "undo":
            if self.reverts is None:
                return "You undid an earlier change."
            done = self.reverts.sentence().removeprefix("You ").rstrip(".")
            return f"You undid this: you {done}."
        return f"{self.action.capitalize()} changed {plural(self.count, 'check-in')}."

    def question(self) -> str:
        """What an undo of it would do, as the question to ask before doing it."""
        subject = self._subject()
        if self.action == "add":
            return f"Remove {subject} you added?"
        if self.action == "edit":
            return f"Put {subject} back as it was before your edit?"
        if self.action == "delete":
            return f"Bring back {subject} you deleted?"
        if self.action == "import":
            updated = self.count - self.created
            if not updated:
                return f"Remove the {plural(self.count, 'check-in')} you imported?"
            if not self.created:
                return (
                    f"Put back the {plural(updated, 'check-in')} your import changed, "
                    "as they were before it?"
                )
            return (
                f"Take back your import: remove the {plural(self.created, 'check-in')} it "
                f"added and put back the {updated} it changed?"
            )
        raise InvalidInput("That change cannot be undone.")

    def done(self) -> str:
        """What an undo of it did, in one sentence."""
        subject = self._subject()
        if self.action == "add":
            return f"Removed {subject} you added."
        if self.action == "edit":
            return f"Put {subject} back as it was before your edit."
        if self.action == "delete":
            return f"Brought back {subject} you deleted."
        updated = self.count - self.created
        bits = []
        if self.created:
            bits.append(f"removed {plural(self.created, 'imported check-in')}")
        if updated:
            bits.append(f"put back {plural(updated, 'check-in')} as before the import")
        return (" and ".join(bits) + ".").capitalize()

    def _subject(self) -> str:
        if self.checkin_at is None:
            return f"the check-in {self.checkin_id[:8]}"
        return f"the check-in of {moment(self.checkin_at)}"

    def _import_parts(self) -> str:
        updated = self.count - self.created
        if not updated:
            return plural(self.count, "check-in")
        if not self.created:
            return f"{plural(self.count, 'check-in')}, all updates of ones already here"
        return f"{plural(self.count, 'check-in')} ({self.created:,} new, {updated:,} updated)"


def recent(store: Store, limit: int = JOURNAL_KEEP) -> list[Change]:
    """The changes still in the journal, newest first, each marked undone or not."""
    batches = store.journal_batches(JOURNAL_KEEP)
    changes = _resolve(store, list(reversed(batches)))
    return list(reversed(changes))[:limit]


def last(store: Store) -> Change | None:
    """The change the next undo would revert, or None when there is nothing to undo."""
    return next((c for c in recent(store) if c.undoable), None)


def undo(store: Store, expected: Change | None = None) -> Change:
    """Revert the last change not yet undone, in one transaction; returns what it reverted.

    Pass the Change that was shown to the person as `expected`: when the journal moved on since
    (another numbtrack wrote), nothing is changed and InvalidInput says to look again.
    """
    batches = store.journal_batches(JOURNAL_KEEP)
    changes = list(reversed(_resolve(store, list(reversed(batches)))))
    target = next((c for c in changes if c.undoable), None)
    if target is None:
        raise InvalidInput("There is nothing to undo.")
    if expected is not None and expected.batch != target.batch:
        raise InvalidInput(
            "Something else changed your check-ins meanwhile; run numbtrack undo again to "
            "see what is last now."
        )
    from numbtrack.exchange.records import from_dict

    targets: list[tuple[str, CheckIn | None]] = []
    for cid, before in reversed(store.journal_rows(target.batch)):
        image = unmark_own(from_dict(json.loads(before))) if before is not None else None
        targets.append((cid, image))
    store.revert(targets, newest=batches[0].batch)
    return target


def _resolve(store: Store, oldest_first: list[JournalBatch]) -> list[Change]:
    """Changes in the same order, with what every undo reverted worked out as a stack."""
    out: list[Change] = []
    stack: list[int] = []  # indexes into out of changes not yet undone
    for b in oldest_first:
        reverts = None
        if b.action == "undo" and stack:
            i = stack.pop()
            out[i] = replace(out[i], undone=True)
            if out[i].checkin_at is None and out[i].count == 1 and b.before is not None:
                # An undone add: the check-in is gone, but the undo kept its image.
                out[i] = replace(out[i], checkin_at=_at_in(b.before))
            reverts = out[i]
        change = Change(
            batch=b.batch,
            action=b.action,
            made_at=_local(b.at_utc),
            count=b.rows,
            created=b.created,
            checkin_id=b.checkin_id,
            checkin_at=_checkin_at(store, b),
            reverts=reverts,
        )
        out.append(change)
        if b.action in UNDOABLE:
            stack.append(len(out) - 1)
    # A check-in added and then deleted is gone from the store, but a later change kept its
    # image: name it by its time there too, not by its id.
    images = {b.checkin_id: b.before for b in oldest_first if b.before is not None}
    out = [
        replace(c, checkin_at=_at_in(images[c.checkin_id]))
        if c.checkin_at is None and c.count == 1 and c.checkin_id in images
        else c
        for c in out
    ]
    # An undo's `reverts` was taken before later undos could mark things; refresh it.
    return [replace(c, reverts=out[_index(out, c.reverts.batch)]) if c.reverts else c for c in out]


def _index(changes: list[Change], batch: int) -> int:
    return next(i for i, c in enumerate(changes) if c.batch == batch)


def _local(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()


def _checkin_at(store: Store, b: JournalBatch) -> datetime | None:
    """When the batch's first check-in happened: from its before image, or as stored now."""
    if b.action == "import" and b.rows > 1:
        return None
    if b.before is not None and b.action != "undo":
        return _at_in(b.before)
    return store.at_of(b.checkin_id)


def _at_in(image: str) -> datetime | None:
    """The time of a check-in in its journal image."""
    try:
        at = json.loads(image).get("at")
        return datetime.fromisoformat(at) if isinstance(at, str) else None
    except (ValueError, AttributeError):
        return None
