"""The one merge rule, shared by `import` (Store.put_many) and sync (Store.apply_sync).

Every stored state of a check-in id is a *version*: a put (the check-in as it was saved) or a
delete (a tombstone). Of two versions of the same id, the greater one wins, comparing in order:

1. the time of the change, in UTC: `updated_at` of a put, `deleted_at` of a delete;
2. at the same time, a delete beats a put (the person asked for it to go);
3. then the id of the device that wrote the version (the greater id wins);
4. then a digest of the content, so that even two different versions written at the same
   microsecond on the same device are ordered the same way everywhere.

So a delete against a *later* edit loses: the edit was made after the delete, and the
check-in comes back with that edit. A delete against an *earlier* edit wins. The rule is a
total order on versions, which makes merging commutative, associative and idempotent: devices
that have seen the same versions hold the same data, whatever order they saw them in.

Base layer: no SQL, no I/O. The store applies the rule; sync and import feed it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from numbtrack.models import CheckIn
from numbtrack.value import Frozen, set_field


def stamp_key(stamp: str) -> str:
    """A UTC time in one fixed form, so that "…T10:00:00Z" and "…T10:00:00.000000Z" compare
    equal and string order is time order. Text that is not a time is kept as it is."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def digest(c: CheckIn) -> str:
    """A digest of everything in a check-in, the same on every machine and version."""
    content: list[object] = [
        c.id,
        c.at.isoformat(),
        c.can_feel,
        c.state,
        c.note,
        c.sleep_hours,
        [[f.word, f.intensity, f.custom] for f in c.feelings],
        [[s.region, s.quality, s.intensity, s.direction, s.tone, s.custom] for s in c.sensations],
        list(c.practices),
        list(c.tags),
        c.created_at,
        c.updated_at,
    ]
    if c.typed:  # only then, so that a check-in without any digests as it always did
        content.append([[t.kind, t.typed, t.name] for t in c.typed])
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    import hashlib  # here, not at the top: `numbtrack log` never compares contents

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _no_content() -> str:
    return ""


class Version(Frozen):
    """One side of a comparison. `content` is computed only when everything else is equal."""

    stamp: str
    deleted: bool
    device: str
    content: Callable[[], str] = _no_content

    def __init__(
        self, stamp: str, deleted: bool, device: str, content: Callable[[], str] = _no_content
    ) -> None:
        set_field(self, "stamp", stamp)
        set_field(self, "deleted", deleted)
        set_field(self, "device", device)
        set_field(self, "content", content)

    def key(self) -> tuple[str, bool, str]:
        return (stamp_key(self.stamp), self.deleted, self.device)


def put(c: CheckIn, device: str) -> Version:
    return Version(c.updated_at, False, device, lambda: digest(c))


def delete(deleted_at: str, device: str) -> Version:
    return Version(deleted_at, True, device)


def wins(incoming: Version, stored: Version) -> bool:
    """Whether `incoming` replaces `stored` under the rule above."""
    a, b = incoming.key(), stored.key()
    if a != b:
        return a > b
    return incoming.content() > stored.content()


def after(stamp: str, *seen: str) -> str:
    """`stamp`, or just past the newest of `seen` when that is not older.

    A change made here must win over every version this device has already seen, even when
    another device's clock runs ahead: otherwise this device would keep its edit while every
    other device kept the older one. So an edit, a delete or an undo is stamped at least one
    microsecond after the version it replaces."""
    from datetime import timedelta

    newest = max((stamp_key(s) for s in seen if s), default="")
    if stamp_key(stamp) > newest:
        return stamp
    try:
        moment = datetime.strptime(newest, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    return (moment + timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
