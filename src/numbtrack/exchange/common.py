"""What the importers of other apps share: the report of how names were mapped, feeling-word
lookups, tag spelling, notes from HTML, and the limits every importer keeps.

Other apps' files are read tolerantly (every variant seen in public exports) but never
silently: whatever an importer could not place is counted in `Report.not_kept`, and every name
it turned into something of numbtrack's is listed in `Report.mapped`, so `import --dry-run`
can show the whole mapping before anything is written.

Lookups are cached per distinct source string: a ten-year history repeats the same few
hundred names, so each costs one dictionary hit after the first time.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from numbtrack import lazy, models, vocab
from numbtrack.errors import InvalidInput
from numbtrack.models import (
    FIRST_YEAR,
    FUTURE_GRACE_S,
    MAX_ITEMS,
    MAX_NOTE,
    CheckIn,
    Feeling,
    Sensation,
    Typed,
    check_tag,
    derive_state,
    local_moment,
    unmark_own,
    validate,
)
from numbtrack.value import FACTORY, Frozen, Mutable, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: an export never needs typing or uuid
    import uuid
    from typing import Any, ClassVar

_CHECKED_TAGS = models._TAGS
"""What check_tag made of each tag it took (it looks there first too)."""

MAX_MEMBER_BYTES = 256 * 1024 * 1024
"""The most a ZIP member (Daylio's base64 backup) may unpack to; a larger one is refused."""

MAX_CELL = 101_000
"""The longest CSV cell accepted: a note of the longest kind (models.MAX_NOTE, 100,000
characters) with room for its markup (the csv module's own limit is about 131,000)."""

MAX_TAG = 60
"""Tags longer than this are cut (models.check_tag refuses them)."""


class Report(Mutable):
    """How an import mapped the source's names, for the dry run and the summary."""

    mapped: dict[str, Counter[tuple[str, str]]]
    """Section ("Mood labels", "Symptoms", ...) -> (source name, what it became) -> how often."""
    own_words: Counter[str]
    """Feeling words numbtrack does not know, kept as the person's own words."""
    not_kept: Counter[str]
    """What had no place in numbtrack -> in how many entries it had a value."""
    moved: list[tuple[str, int]]
    """Times that fell in a gap (the clocks went forward over them), each moved forward by
    the gap (`wall_time`): where it was ("line 12", "entry 5") and the gap in seconds."""

    FACTORIES: ClassVar[dict[str, Callable[[], object]]] = {
        "mapped": dict,
        "own_words": Counter,
        "not_kept": Counter,
        "moved": list,
    }
    """The defaults made anew for each object (a dataclass's default_factory)."""

    def __init__(
        self,
        mapped: dict[str, Counter[tuple[str, str]]] = FACTORY,
        own_words: Counter[str] = FACTORY,
        not_kept: Counter[str] = FACTORY,
        moved: list[tuple[str, int]] = FACTORY,
    ) -> None:
        self.mapped = {} if mapped is FACTORY else mapped
        self.own_words = Counter() if own_words is FACTORY else own_words
        self.not_kept = Counter() if not_kept is FACTORY else not_kept
        self.moved = [] if moved is FACTORY else moved

    def map(self, section: str, source: str, became: str, n: int = 1) -> None:
        items = self.mapped.get(section)
        if items is None:
            items = self.mapped[section] = Counter()
        items[(source, became)] += n

    def lines(self) -> list[str]:
        """The report as plain sentences, one section per line."""
        out: list[str] = []
        for section, items in self.mapped.items():
            shown = ", ".join(
                f"{src} -> {became} ({n})" for (src, became), n in sorted(items.items())
            )
            out.append(f"{section}: {shown}.")
        if self.own_words:
            words = ", ".join(f"{w} ({n})" for w, n in sorted(self.own_words.items()))
            out.append(f"Kept as your own words (numbtrack does not know them): {words}.")
        if self.not_kept:
            what = "; ".join(f"{k} ({n})" for k, n in sorted(self.not_kept.items()))
            out.append(f"Not kept: {what}.")
        gaps: dict[int, list[str]] = {}
        for where, gap in self.moved:
            gaps.setdefault(gap, []).append(where)
        for gap, places in sorted(gaps.items()):
            shown = ", ".join(places[:MOVED_SHOWN])
            if len(places) > MOVED_SHOWN:
                shown += f" and {len(places) - MOVED_SHOWN} more"
            span, by = _span(gap)
            times = "1 time" if len(places) == 1 else f"{len(places)} times"
            verb = "was" if len(places) == 1 else "were"
            out.append(
                f"{times} fell in the {span} the clocks skipped and {verb} moved forward "
                f"{by}: {shown}."
            )
        return out


MOVED_SHOWN = 20
"""The most places `Report.lines` names of the times moved out of one gap (then "and N
more")."""


def _span(gap: int) -> tuple[str, str]:
    """A gap of `gap` seconds as the hour the clocks skipped, and how far a time in it was
    moved: ("hour", "an hour"), ("30 minutes", "30 minutes"), ("24 hours", "24 hours")."""
    if gap == 3600:
        return "hour", "an hour"
    if gap % 3600 == 0:
        return f"{gap // 3600} hours", f"{gap // 3600} hours"
    return f"{gap // 60} minutes", f"{gap // 60} minutes"


def wall_time(naive: datetime) -> tuple[datetime, int]:
    """A local time of another app's file (no zone: this machine's zone on that date), and
    0; for a time in a gap (the clocks went forward over it: 02:30 on the spring-forward
    night in New York) the time the clock on the wall showed by then, moved forward by the
    gap (03:30-04:00), and the gap in seconds. The person did not type such a time (an
    app's slot, `pre` at 03:00 in Helsinki, or its clock not yet changed), so it is not
    refused as `log --at` refuses it; astimezone alone would give it an hour early
    (01:30-05:00: CPython reads a time in a gap with the offset after the change).

    A time that is not in a gap keeps its wall-clock time through astimezone, and one in a
    gap does not (its fold=1 reading, the offset before the change, is the one that moves
    it forward); a repeated hour (the clocks went back) stays the first of the two, as
    astimezone gives it."""
    at = naive.astimezone()
    if at.minute == naive.minute and at.hour == naive.hour and at.day == naive.day:
        return at, 0
    later = naive.replace(fold=1).astimezone()
    return later, int((later.replace(tzinfo=None) - naive).total_seconds())


def stamp(at: datetime) -> str:
    """created_at and updated_at of an imported check-in: derived from the source entry's
    time, so importing again gives the same value, and an edit since (which stamps now) shows.
    The same text as models.utc_stamp (isoformat is several times faster than strftime)."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"  # no "+00:00"


_FIRST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
_ANY_AT = datetime(2000, 1, 1, tzinfo=UTC)
_ANY_ID = "00000000-0000-4000-8000-000000000000"
"""A moment and an id validate takes, for a check-in that only carries one part to check."""

_Parts = tuple[
    tuple[Feeling, ...], tuple[Sensation, ...], tuple[str, ...], str | None, tuple[Typed, ...]
]
"""A check-in's checked feelings, sensations and practices, its state and typed names."""


_PackedParts = tuple[
    tuple[tuple["Any", ...], ...],
    tuple[tuple["Any", ...], ...],
    tuple[str, ...],
    str | None,
    tuple[tuple[str, str, str], ...],
]
"""`_Parts` as `store.pack` packs them: feelings, sensations and typed names as tuples."""


def _packed_parts(parts: _Parts) -> _PackedParts:
    fs, ss, ps, state, typed = parts
    return (
        tuple((f.word, f.intensity, int(f.custom)) for f in fs),
        tuple((x.region, x.quality, x.intensity, x.direction, x.tone) for x in ss),
        tuple(p.removesuffix(vocab.OWN_MARK) for p in ps),
        state,
        tuple((t.kind, t.typed, t.name) for t in typed),
    )


_pack_fn: Any = None


def _store_pack() -> Callable[[CheckIn], tuple[Any, ...]]:
    """store.pack, imported the first time a check-in takes the slow way."""
    global _pack_fn
    if _pack_fn is None:
        from numbtrack.store import pack

        _pack_fn = pack
    found: Callable[[CheckIn], tuple[Any, ...]] = _pack_fn
    return found


Entry = CheckIn | tuple["Any", ...]
"""A check-in as a reader gives it: a CheckIn, or packed (`store.pack`)."""

Prepared = tuple["Any", ...]
"""What `Checker.prepare` worked out: (feelings, sensations, practices, tags, key, the checked
parts as `made` uses them or None for the usual way, the checked tags)."""


def noted(c: Entry) -> bool:
    """CheckIn.noted, of a check-in or a packed one."""
    if type(c) is tuple:
        return bool(c[10] or c[11] or c[12] or c[13] or c[6]) or (
            c[4] is not None or c[7] is not None
        )
    return c.noted  # type: ignore[union-attr]


_FIRST_S = int((_FIRST - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())
"""The first moment a check-in may have, in seconds since 1970 (UTC)."""

_EPOCH_DAY = date(1970, 1, 1).toordinal()
_STAMP_DAYS: dict[int, str] = {}
_STAMP_TIMES: dict[int, str] = {}


def stamp_of(seconds: int) -> str:
    """`stamp` of the moment `seconds` (whole seconds since 1970, UTC): the same text, from
    the day and the time of day, each formatted once (a history has a few thousand days and
    its times repeat), where isoformat would ask the time zone again for every check-in."""
    days, of_day = divmod(seconds, 86400)
    day = _STAMP_DAYS.get(days)
    if day is None:
        day = _day_text(days)
    clock = _STAMP_TIMES.get(of_day)
    if clock is None:
        clock = _clock_text(of_day)
    return f"{day}T{clock}.000000Z"


def _day_text(days: int) -> str:
    day = _STAMP_DAYS[days] = date.fromordinal(_EPOCH_DAY + days).isoformat()
    return day


def _clock_text(of_day: int) -> str:
    hours, rest = divmod(of_day, 3600)
    clock = _STAMP_TIMES[of_day] = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    return clock


_DAY_PREFIXES: dict[int, str] = {}
_UTC_TAILS: dict[int, tuple[str, str]] = {}


def day_prefix(days: int) -> str:
    """The ISO date of `days` (since 1970) and its "T" ("2026-11-20T"), kept for the next
    check-in of that day (a reader that packs its own rows looks in `_DAY_PREFIXES` first)."""
    found = _DAY_PREFIXES[days] = (_STAMP_DAYS.get(days) or _day_text(days)) + "T"
    return found


def utc_tails(of_day: int) -> tuple[str, str]:
    """What follows the "T" of the store's UTC key and of the stamp of a moment `of_day`
    seconds into its UTC day ("16:41:00Z", "16:41:00.000000Z"), kept for the next check-in
    at that time (a reader that packs its own rows looks in `_UTC_TAILS` first)."""
    clock = _STAMP_TIMES.get(of_day) or _clock_text(of_day)
    found = _UTC_TAILS[of_day] = (clock + "Z", clock + ".000000Z")
    return found


_ZONES: dict[Any, tuple[int, str] | None] = {}
"""A fixed UTC offset (datetime.timezone) -> its seconds and how isoformat writes it
("+01:00"); None for one of a fraction of a second."""


def _zone(tz: Any) -> tuple[int, str] | None:
    offset = tz.utcoffset(None)
    found = None
    if not offset.microseconds:
        found = (int(offset.total_seconds()), datetime(2000, 1, 1, tzinfo=tz).isoformat()[19:])
    if len(_ZONES) < 1000:
        _ZONES[tz] = found
    return found


def zone_of(tz: Any) -> tuple[int, str] | None:
    """A fixed UTC offset (datetime.timezone) as `Checker.packed_at` takes it: its seconds and
    how isoformat writes it ("+01:00"); None for an offset of a fraction of a second."""
    zone = _ZONES.get(tz)
    if zone is None and tz not in _ZONES:
        zone = _zone(tz)
    return zone


def _zoned_texts(seconds: int, zone: tuple[int, str]) -> tuple[str, str, str]:
    """The local ISO time, the UTC time and the UTC stamp of the moment `seconds` at the
    fixed offset `zone` (`zone_of`: its seconds and its text), from the cached day and
    clock texts: what `moment_texts` gives for a known zone, for every check-in a reader
    packs (Checker._made_packed, Checker.packed_at)."""
    days, of_day = divmod(seconds, 86400)
    day = _STAMP_DAYS.get(days) or _day_text(days)
    clock = _STAMP_TIMES.get(of_day) or _clock_text(of_day)
    local_days, local_of_day = divmod(seconds + zone[0], 86400)
    local_day = _STAMP_DAYS.get(local_days) or _day_text(local_days)
    local_clock = _STAMP_TIMES.get(local_of_day) or _clock_text(local_of_day)
    return f"{local_day}T{local_clock}{zone[1]}", f"{day}T{clock}Z", f"{day}T{clock}.000000Z"


def moment_texts(seconds: int, tz: Any) -> tuple[str, str, str] | None:
    """(at.isoformat(), the store's UTC key of it, `stamp_of(seconds)`) of the moment `at`
    that is `seconds` since 1970 with the fixed offset `tz` (a datetime.timezone), from the
    day and clock texts `stamp_of` keeps (isoformat formats them anew through sprintf every
    time: a third of the cost of a check-in); None for an offset of a fraction of a second."""
    zone = _ZONES.get(tz)
    if zone is None:
        if tz in _ZONES:
            return None
        zone = _zone(tz)
        if zone is None:
            return None
    days, of_day = divmod(seconds, 86400)
    day = _STAMP_DAYS.get(days) or _day_text(days)
    clock = _STAMP_TIMES.get(of_day) or _clock_text(of_day)
    local_days, local_of_day = divmod(seconds + zone[0], 86400)
    local_day = _STAMP_DAYS.get(local_days) or _day_text(local_days)
    local_clock = _STAMP_TIMES.get(local_of_day) or _clock_text(local_of_day)
    return (
        f"{local_day}T{local_clock}{zone[1]}",
        f"{day}T{clock}Z",
        f"{day}T{clock}.000000Z",
    )


class LocalDays:
    """What `datetime(...).astimezone()` makes of a local time in this machine's zone, worked
    out once a day instead of once a check-in: for a local day (days since 1970) during which,
    and during the day before it and the two around it, the zone keeps one UTC offset, every
    local time of the day is that offset from UTC (`offset`), and astimezone's own search
    (CPython's local_to_seconds: the offset at the time read as UTC, at the time less that
    offset, and a day earlier, for a second solution) finds that one and no other. A day near
    a change of offset is None: the caller asks astimezone (gaps and repeated hours are its to
    decide). The zone keeps one offset from the first second of UTC day k to the first of day
    k + 2 when it has the same one at the first second of each of k, k + 1 and k + 2: no zone
    in the tz database changes its offset twice within two days, and a change at the very
    second a day starts only makes the day near a change (tests/test_import_foreign_fast.py
    checks the days around changes in several zones). So each day asks the zone once
    (time.localtime), for its first second."""

    def __init__(self) -> None:
        self._days: dict[int, tuple[int, tuple[int, str]] | None] = {}
        self._starts: dict[int, int] = {}
        """UTC day k -> the offset at its first second."""
        self._zones: dict[int, tuple[int, str] | None] = {}
        """An offset in seconds -> `zone_of` it."""

    def offset(self, day: int) -> tuple[int, tuple[int, str]] | None:
        """The UTC offset in seconds of every local time of `day` (days since 1970), and the
        offset as `Checker.packed_at` takes it; None for a day near a change of offset, or
        one outside 1901-9998."""
        try:
            return self._days[day]
        except KeyError:
            pass
        found = None
        if _DAY_1901 <= day <= _DAY_9998:
            starts = self._starts
            off = starts.get(day - 2)
            if off is None:
                off = starts[day - 2] = time.localtime((day - 2) * 86400).tm_gmtoff
            for k in range(day - 1, day + 3):
                at = starts.get(k)
                if at is None:
                    at = starts[k] = time.localtime(k * 86400).tm_gmtoff
                if at != off:
                    break
            else:
                zones = self._zones
                zone = zones.get(off)
                if off not in zones:
                    zone = zones[off] = zone_of(timezone(timedelta(seconds=off)))
                if zone is not None:
                    found = (off, zone)
        self._days[day] = found
        return found


_DAY_1901 = date(1901, 1, 1).toordinal() - date(1970, 1, 1).toordinal()
_DAY_9998 = date(9998, 12, 31).toordinal() - date(1970, 1, 1).toordinal()


class Checker:
    """`models.validate` for the check-ins of one import, with what repeats checked once.

    What validate makes of a check-in's feelings, sensations and practices (and so its state
    and typed names) depends on nothing else, and what it makes of each of them on nothing
    but itself; the same holds for tags. A ten-year history repeats a few hundred of each: the
    first time one is met it goes through `validate` (alone, in a check-in of its own), and
    the result is kept for the next ones. What differs from one check-in to the next is
    checked as validate does: the moment (1900 up to now, compared as seconds since 1970:
    comparing aware datetimes asks their time zones each time), sleep and the note.

    Anything unusual (a note with a CR or a NUL, sleep outside 0-24, a moment out of range, a
    word, body part or tag that is refused, more than MAX_ITEMS of anything) goes through
    `validate` whole, so every refusal is validate's own, in validate's order. The result is
    the CheckIn `validate` would return, field for field, with `stamp(at)` as its created_at
    and updated_at.

    `packed`: `make` gives the check-in packed (`store.pack`), as `Store.put_many` takes it,
    so that an import builds no CheckIn (`checkin` gives CheckIns either way)."""

    def __init__(self, packed: bool = False) -> None:
        self._parts: dict[Any, _Parts] = {}
        self._packed_parts: dict[Any, _PackedParts] = {}
        self._items: dict[Any, tuple[Any, tuple[Typed, ...]] | None] = {}
        self._tags: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
        self._feelings_by_id: dict[int, tuple[Feeling, Any]] = {}
        """`_item` of a feeling, by the object's id (and the object, which keeps the id its
        own): readers hand the same Feeling for a word each time (`words_of`), and a
        dataclass hashes itself in Python."""
        self._feeling_records: dict[int, tuple[Any, ...]] = {}
        """`_feeling_record` of a feeling, by the object's id."""
        self._limit = time.time() + FUTURE_GRACE_S
        self.packed = packed
        self.make: Callable[..., Entry] = self.pack if packed else self.checkin
        """`checkin`, or `pack` when the check-ins are to be packed."""
        if packed:
            self.made = self._made_packed  # type: ignore[method-assign]

    def pack(
        self,
        id: str,
        at: datetime,
        feelings: tuple[Feeling, ...] = (),
        sensations: tuple[Sensation, ...] = (),
        practices: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        sleep_hours: float | None = None,
        note: str | None = None,
        seconds: int | None = None,
        key: Any = None,
    ) -> tuple[Any, ...]:
        """`store.pack(unmark_own(self.checkin(...)))` of the same arguments, without building
        the CheckIn for a check-in of the usual kind (the same texts, from the same caches)."""
        made = self._made_packed(
            self.prepare(feelings, sensations, practices, tags, key), id, at, sleep_hours, note,
            seconds,
        )  # fmt: skip
        return made  # type: ignore[return-value]

    def prepare(
        self,
        feelings: tuple[Feeling, ...] = (),
        sensations: tuple[Sensation, ...] = (),
        practices: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        key: Any = None,
    ) -> Prepared:
        """What `make` works out of a check-in's feelings, sensations, practices and tags,
        for `made` to take for every check-in that has the same ones (a reader keeps it
        beside what they came from, and asks for it once). `key` as for `checkin`."""
        if key is None:
            key = (feelings, sensations, practices)
        known = self._packed_parts if self.packed else self._parts
        fast: Any = known.get(key)
        if fast is None and self.packed and not sensations:
            fast = self._packed_composed(feelings, practices)
            if fast is not None and len(known) < 50_000:
                known[key] = fast
        elif fast is None:
            parts = self._parts.get(key)
            if parts is None:
                parts = self._composed(feelings, sensations, practices)
                if parts is not None and len(self._parts) < 50_000:
                    self._parts[key] = parts
            fast = parts
            if parts is not None and self.packed:
                fast = _packed_parts(parts)
                if len(self._packed_parts) < 50_000:
                    self._packed_parts[key] = fast
        checked_tags = self._tags.get(tags)
        if checked_tags is None:
            checked_tags = self._checked_tags(tags)
        if checked_tags is None:
            fast = None
        return (feelings, sensations, practices, tags, key, fast, checked_tags)

    def made(
        self,
        prepared: Prepared,
        id: str,
        at: datetime,
        sleep_hours: float | None = None,
        note: str | None = None,
        seconds: int | None = None,
    ) -> Entry:
        """`make(id, at, ...)` of a check-in whose other parts were `prepare`d (`seconds` as
        for `checkin`). Packed, when the Checker packs (then `_made_packed` is `made`)."""
        fast = prepared[5]
        if seconds is None and at.tzinfo is not None:
            ts = at.timestamp()
            if ts.is_integer():
                seconds = int(ts)
        if (
            fast is None
            or seconds is None
            or at.microsecond  # local_moment would move it (an offset with a fraction)
            or type(at.tzinfo) is not timezone
            or not self._plain(seconds, sleep_hours, note)
        ):
            return self._made_slow(prepared, id, at, sleep_hours, note, seconds, False)
        stamped = stamp_of(seconds)
        fo, so, po, state, typed_o = fast
        c = object.__new__(CheckIn)  # as in `checkin`
        c.__dict__.update(
            at=at,
            id=id,
            can_feel=None,
            state=state,
            note=note,
            sleep_hours=sleep_hours,
            feelings=fo,
            sensations=so,
            practices=po,
            tags=prepared[6],
            created_at=stamped,
            updated_at=stamped,
            typed=typed_o,
        )
        return c

    def _made_packed(
        self,
        prepared: Prepared,
        id: str,
        at: datetime,
        sleep_hours: float | None = None,
        note: str | None = None,
        seconds: int | None = None,
    ) -> Entry:
        """`made`, packed: the texts of the time from those `stamp_of` keeps, by its UTC
        offset (`moment_texts`; for a zone met before, `_zoned_texts`)."""
        fast = prepared[5]
        tz = at.tzinfo
        if seconds is None and tz is not None:
            ts = at.timestamp()
            if ts.is_integer():
                seconds = int(ts)
        if (
            fast is None
            or seconds is None
            or at.microsecond  # local_moment would move it (an offset with a fraction)
            or type(tz) is not timezone
            or not (
                (_FIRST_S <= seconds <= self._limit and sleep_hours is None and note is None)
                or self._plain(seconds, sleep_hours, note)
            )
        ):
            return self._made_slow(prepared, id, at, sleep_hours, note, seconds, True)
        zone = _ZONES.get(tz)
        if zone is None:
            texts = moment_texts(seconds, tz)
            if texts is None:  # an offset of a fraction of a second: the usual way
                return self._made_slow(prepared, id, at, sleep_hours, note, seconds, True)
            iso, utc, stamped = texts
        else:
            iso, utc, stamped = _zoned_texts(seconds, zone)
        fs, ss, ps, state, typed = fast
        return (
            id, iso, utc, iso[:10], None, state, note, sleep_hours, stamped, stamped,
            fs, ss, ps, prepared[6], typed,
        )  # fmt: skip

    def packed_at(
        self,
        prepared: Prepared,
        id: str,
        seconds: int,
        zone: tuple[int, str],
        sleep_hours: float | None = None,
        note: str | None = None,
    ) -> tuple[Any, ...] | None:
        """`_made_packed` of the moment `seconds` (whole seconds since 1970) at the fixed
        offset `zone` (`zone_of`), without the datetime a reader would make for it only to
        have it taken apart here: the same tuple. None when the check-in does not go the
        usual way (the caller then makes the datetime and asks `made`, which says why)."""
        fast = prepared[5]
        if fast is None or not (
            (_FIRST_S <= seconds <= self._limit and sleep_hours is None and note is None)
            or self._plain(seconds, sleep_hours, note)
        ):
            return None
        iso, utc, stamped = _zoned_texts(seconds, zone)
        fs, ss, ps, state, typed = fast
        return (
            id, iso, utc, iso[:10], None, state, note, sleep_hours, stamped, stamped,
            fs, ss, ps, prepared[6], typed,
        )  # fmt: skip

    def _made_slow(
        self,
        prepared: Prepared,
        id: str,
        at: datetime,
        sleep_hours: float | None,
        note: str | None,
        seconds: int | None,
        packed: bool,
    ) -> Entry:
        """`make` of all the fields: validate's own way (and sentences)."""
        f, s, p, t, key = prepared[:5]
        c = self.checkin(id, at, f, s, p, t, sleep_hours, note, seconds, key)
        return _store_pack()(unmark_own(c)) if packed else c

    def checkin(
        self,
        id: str,
        at: datetime,
        feelings: tuple[Feeling, ...] = (),
        sensations: tuple[Sensation, ...] = (),
        practices: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        sleep_hours: float | None = None,
        note: str | None = None,
        seconds: int | None = None,
        key: Any = None,
    ) -> CheckIn:
        """validate(CheckIn(...)) of these fields, created and updated at `stamp(at)`. `id`
        is one `uuid5` made (a UUID in numbtrack's spelling); `seconds` is `at` in whole
        seconds since 1970 when the caller has it (`at` then has no microseconds); `key`,
        when given, stands for (feelings, sensations, practices): the same key always comes
        with the same ones (hashing a string is cheaper than hashing dataclasses)."""
        if seconds is None and at.tzinfo is not None:
            ts = at.timestamp()
            if ts.is_integer():
                seconds = int(ts)
        s = stamp(at) if seconds is None else stamp_of(seconds)
        if key is None:
            key = (feelings, sensations, practices)
        parts = self._parts.get(key)
        if parts is None:
            parts = self._composed(feelings, sensations, practices)
            if parts is not None and len(self._parts) < 50_000:
                self._parts[key] = parts
        checked_tags = self._tags.get(tags)
        if checked_tags is None:
            checked_tags = self._checked_tags(tags)
        if (
            parts is None
            or checked_tags is None
            or seconds is None
            or not self._plain(seconds, sleep_hours, note)
        ):
            return validate(
                CheckIn(
                    id=id,
                    at=at,
                    feelings=feelings,
                    sensations=sensations,
                    practices=practices,
                    tags=tags,
                    sleep_hours=sleep_hours,
                    note=note,
                    created_at=s,
                    updated_at=s,
                )
            )
        fs, ss, ps, state, typed = parts
        if at.microsecond or type(at.tzinfo) is not timezone:
            at = local_moment(at)  # what validate does (a no-op for what importers give)
        # What CheckIn(...) does, without its frozen __setattr__ per field (a third of the
        # cost of a check-in here): the same fields, in the same order.
        c = object.__new__(CheckIn)
        c.__dict__.update(
            at=at,
            id=id,
            can_feel=None,
            state=state,
            note=note,
            sleep_hours=sleep_hours,
            feelings=fs,
            sensations=ss,
            practices=ps,
            tags=checked_tags,
            created_at=s,
            updated_at=s,
            typed=typed,
        )
        return c

    def _item(self, kind: str, item: Any) -> tuple[Any, tuple[Typed, ...]] | None:
        """What validate makes of one feeling, sensation or practice, and the typed names it
        notes for it; None when validate refuses it."""
        found = self._items.get((kind, item), False)
        if found is False:
            if kind == "feelings":
                alone = CheckIn(at=_ANY_AT, id=_ANY_ID, feelings=(item,))
            elif kind == "sensations":
                alone = CheckIn(at=_ANY_AT, id=_ANY_ID, sensations=(item,))
            else:
                alone = CheckIn(at=_ANY_AT, id=_ANY_ID, practices=(item,))
            try:
                c = validate(alone)
            except InvalidInput:
                found = None
            else:
                found = (getattr(c, kind)[0], c.typed)
            if len(self._items) < 50_000:
                self._items[(kind, item)] = found
        return found  # type: ignore[return-value]

    def _packed_composed(
        self, feelings: tuple[Feeling, ...], practices: tuple[str, ...]
    ) -> _PackedParts | None:
        """`_packed_parts(_composed(feelings, (), practices))`, from what validate makes of
        each feeling packed once (`_feeling_record`): the parts of a cell of emotion words
        that was not met before (a history has thousands of them) are put together from
        its words' without a Feeling made or looked at again."""
        if len(feelings) > MAX_ITEMS or len(practices) > MAX_ITEMS:
            return None
        records = self._feeling_records
        fs: list[tuple[Any, ...]] = []
        words: list[str] = []
        numb: list[bool] = []
        typed: list[Typed] = []
        for f in feelings:
            record = records.get(id(f))
            if record is None or record[0] is not f:
                record = self._feeling_record(f)
            if record[1] is None:
                return None
            if record[4]:
                typed.extend(t for t in record[4] if t not in typed)
            if record[1] not in words:
                words.append(record[1])
                fs.append(record[2])
                numb.append(record[3])
        ps: list[str] = []
        for p in practices:
            found = self._item("practices", p)
            if found is None:
                return None
            if found[0] not in ps:
                ps.append(found[0])
            typed.extend(t for t in found[1] if t not in typed)
        # derive_state, of feelings only
        state = ("numb" if all(numb) else "mixed" if any(numb) else "feeling") if fs else "unsure"
        return (
            tuple(fs),
            (),
            tuple(p.removesuffix(vocab.OWN_MARK) for p in ps) if ps else (),
            state,
            tuple((t.kind, t.typed, t.name) for t in typed) if typed else (),
        )

    def _feeling_record(self, f: Feeling) -> tuple[Any, ...]:
        """(f, the word validate makes of it or None when it refuses it, that feeling packed,
        whether the word is of the numb cluster, the typed names validate notes for it),
        kept by the object's id (readers hand the same Feeling for a word each time)."""
        found = self._item("feelings", f)
        if found is None:
            record: tuple[Any, ...] = (f, None, None, False, ())
        else:
            checked, more = found
            packed = (checked.word, checked.intensity, int(checked.custom))
            record = (f, checked.word, packed, vocab.load().is_numb(checked.word), more)
        if len(self._feeling_records) < 50_000:
            self._feeling_records[id(f)] = record
        return record

    def _composed(
        self,
        feelings: tuple[Feeling, ...],
        sensations: tuple[Sensation, ...],
        practices: tuple[str, ...],
    ) -> _Parts | None:
        """validate's feelings, sensations, practices, state and typed names, from what it
        makes of each one: the same loops (a feeling word or practice met twice is kept
        once, sensations all, typed names once each in the order met)."""
        if max(len(feelings), len(sensations), len(practices)) > MAX_ITEMS:
            return None
        fs: list[Feeling] = []
        words: set[str] = set()
        typed: list[Typed] = []
        by_id = self._feelings_by_id
        for f in feelings:
            hit = by_id.get(id(f))
            if hit is not None and hit[0] is f:
                found = hit[1]
            else:
                found = self._item("feelings", f)
                if len(by_id) < 50_000:
                    by_id[id(f)] = (f, found)
            if found is None:
                return None
            checked, more = found
            if more:
                typed.extend(t for t in more if t not in typed)
            if checked.word not in words:
                words.add(checked.word)
                fs.append(checked)
        ss: list[Sensation] = []
        for sensation in sensations:
            found = self._item("sensations", sensation)
            if found is None:
                return None
            ss.append(found[0])
            typed.extend(t for t in found[1] if t not in typed)
        ps: list[str] = []
        for p in practices:
            found = self._item("practices", p)
            if found is None:
                return None
            if found[0] not in ps:
                ps.append(found[0])
            typed.extend(t for t in found[1] if t not in typed)
        fs_t, ss_t = tuple(fs), tuple(ss)
        return (fs_t, ss_t, tuple(ps), derive_state(fs_t, ss_t), tuple(typed))

    def _checked_tags(self, tags: tuple[str, ...]) -> tuple[str, ...] | None:
        """The tags as validate keeps them (each check_tag'd, once each, in order); None
        when validate would refuse them (it is then asked, and says why)."""
        if len(tags) > MAX_ITEMS:
            return None
        known = _CHECKED_TAGS  # check_tag's own cache, asked first: one call fewer a tag
        try:
            checked = tuple(dict.fromkeys([known.get(t) or check_tag(t) for t in tags]))
        except InvalidInput:
            return None
        if len(self._tags) < 50_000:
            self._tags[tags] = checked
        return checked

    def plain_note(self, note: str | None) -> bool:
        """Whether validate would take this note as it is (`_plain` of the note alone): a
        reader that keeps each distinct note once keeps this beside it."""
        return note is None or self._plain(_FIRST_S, None, note)

    def _plain(self, seconds: int, sleep: float | None, note: str | None) -> bool:
        """Whether validate would take these as they are (else it is asked, and refuses or
        changes them its own way)."""
        if seconds < _FIRST_S:
            return False
        if seconds > self._limit:
            self._limit = time.time() + FUTURE_GRACE_S
            if seconds > self._limit:
                return False
        if sleep is not None and not (type(sleep) is float and 0 <= sleep <= 24):
            return False
        if note is not None:
            if len(note) > MAX_NOTE or "\x00" in note or "\r" in note or not note.strip():
                return False
            if not note.isascii():
                try:
                    note.encode("utf-8")
                except UnicodeEncodeError:
                    return False
        return True


class Namespace:
    """The namespace of an importer's ids (uuid5): the 16 bytes of a UUID, as
    `uuid.UUID(text).bytes` (uuid.uuid5 takes it too), without the uuid module, which with
    the platform module it loads costs as much as mapping a few hundred rows."""

    __slots__ = ("bytes",)

    def __init__(self, text: str) -> None:
        self.bytes = bytes.fromhex(text.replace("-", ""))
        if len(self.bytes) != 16:
            raise ValueError(f"{text} is not a UUID")


_sha1: Any = None
_last_namespace: tuple[Namespace | uuid.UUID | None, bytes] = (None, b"")
"""The namespace uuid5 was last called with, and its bytes: an import asks for one namespace
ten thousand times (a dictionary of them would hash the UUID, in Python, every time)."""
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid5(namespace: Namespace | uuid.UUID, name: str) -> str:
    """str(uuid.uuid5(namespace, name)), without building UUID objects (a third of the time
    of an import's mapping went there)."""
    global _sha1, _last_namespace
    sha1 = _sha1
    if sha1 is None:
        # Imported on the first call, not at the top, and once, not on every call (an
        # import statement costs as much as the hash). CPython's own SHA-1 (the module
        # hashlib falls back to) where it is built in: the same digest, a third cheaper a
        # hash for these short names than OpenSSL's, and no OpenSSL to load (hashlib's
        # import costs as much as a thousand hashes).
        try:
            from _sha1 import sha1 as found  # type: ignore[import-not-found]
        except ImportError:  # pragma: no cover  (a Python built without it)
            from hashlib import sha1 as found

        sha1 = _sha1 = found
    last, prefix = _last_namespace
    if last is not namespace:
        prefix = namespace.bytes
        _last_namespace = (namespace, prefix)
    h = sha1(prefix + name.encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_TAG_CACHE: dict[str, str] = {}


def tag(text: str) -> str:
    """A tag from a name in another app: lower case, runs of other characters become one
    hyphen ("movies / tv" -> "movies-tv"); the same rule as the Daylio CSV import."""
    found = _TAG_CACHE.get(text)
    if found is None:
        found = re.sub(r"[^\w:]+", "-", text.strip().lower()).strip("-")
        if len(found) > MAX_TAG:
            found = found[:MAX_TAG].rstrip("-")
        _TAG_CACHE[text] = found
    return found


SPELLINGS = {
    "panicked": "panicky",
    "energized": "energetic",
    "energised": "energetic",
    "irritable": "irritated",
    "frightened": "scared",
    "peeved": "annoyed",
    "burned-out": "worn-out",
    "burnt-out": "worn-out",
    "fatigued": "tired",
}
"""Other apps' spellings of words numbtrack knows under another form. Each use is listed in
the dry run ("Panicked -> panicky"), so nothing is renamed silently."""

_WORD_CACHE: dict[str, tuple[str, bool]] = {}


def feeling_word(text: str) -> tuple[str, bool] | None:
    """(word, custom) for an emotion word from another app: numbtrack's own word when it
    knows the word or a spelling of it, else the person's own word (custom). None when it
    cannot be a word at all (digits, symbols): the caller keeps it another way."""
    found = _WORD_CACHE.get(text)
    if found is not None:
        return found
    v = vocab.load()
    spelled = vocab.spell(text)
    known = v.word_index.get(text) or v.word_index.get(SPELLINGS.get(spelled, ""))
    if known is not None:
        found = (known, False)
    elif spelled and len(spelled) <= 40 and re.fullmatch(r"[^\W\d_][\w\-']*", spelled):
        found = (spelled, True)
    else:
        return None
    _WORD_CACHE[text] = found
    return found


class Words(Frozen):
    """What a cell of emotion words becomes (see `emotion_words`)."""

    feelings: tuple[Feeling, ...]
    tags: tuple[str, ...]
    """Words that cannot be words, kept as tags."""
    own: tuple[str, ...]
    maps: tuple[tuple[str, str, str], ...]
    """(section, source, became) for the report."""

    def __init__(
        self,
        feelings: tuple[Feeling, ...],
        tags: tuple[str, ...],
        own: tuple[str, ...],
        maps: tuple[tuple[str, str, str], ...],
    ) -> None:
        set_field(self, "feelings", feelings)
        set_field(self, "tags", tags)
        set_field(self, "own", own)
        set_field(self, "maps", maps)

    def tell(self, report: Report, n: int = 1) -> None:
        """Say in the report what `n` cells like this one became."""
        for w in self.own:
            report.own_words[w] += n
        for section, source, became in self.maps:
            report.map(section, source, became, n)


_WORDS_CACHE: dict[tuple[str, str], Words] = {}


def words_of(cell: str, sep: str) -> Words:
    """What the emotion words of a cell (`Numb;Tired`, `Anxious | Hopeful`) become: known
    words and spellings become numbtrack's word (a respelling is listed in the report), others
    the person's own word (named); one that cannot be a word becomes a tag. Cached per cell:
    a history repeats the same few hundred combinations."""
    found = _WORDS_CACHE.get((cell, sep))
    if found is None:
        feelings: list[Feeling] = []
        extra: list[str] = []
        own: list[str] = []
        maps: list[tuple[str, str, str]] = []
        for raw in (w.strip() for w in cell.split(sep)):
            if not raw:
                continue
            unit = _UNITS.get(raw)
            if unit is None:
                unit = _unit(raw)
            feeling, t, own_word, mapping = unit
            if feeling is not None:
                feelings.append(feeling)
            elif t:
                extra.append(t)
            if own_word:
                own.append(own_word)
            if mapping is not None:
                maps.append(mapping)
        found = Words(tuple(feelings), tuple(extra), tuple(own), tuple(maps))
        if len(_WORDS_CACHE) < 50_000:
            _WORDS_CACHE[(cell, sep)] = found
    return found


_Unit = tuple[Feeling | None, str, str, tuple[str, str, str] | None]
_UNITS: dict[str, _Unit] = {}
"""What each word of a cell becomes (`_unit`): a history's cells are a few hundred
combinations of a few dozen words."""


def _unit(raw: str) -> _Unit:
    """What one emotion word of a cell becomes: (its feeling, or None; the tag it is kept as
    when it cannot be a word, or ""; the person's own word it is, or ""; what the report
    lists for it, or None). One Feeling for each word (the same object every time it is
    met: its checking is then found by identity, `Checker._composed`)."""
    word = feeling_word(raw)
    unit: _Unit
    if word is None:
        t = tag(raw)
        if t:
            unit = (None, t, "", ("Mood words kept as tags", raw, f"tag {t}"))
        else:
            unit = (None, "", "", ("Mood words not kept (no letters)", raw, "nothing"))
    else:
        mapping = None
        if not word[1] and word[0] != tag(raw):
            mapping = ("Mood words", raw, word[0])
        unit = (Feeling(word[0], custom=word[1]), "", word[0] if word[1] else "", mapping)
    if len(_UNITS) < 50_000:
        _UNITS[raw] = unit
    return unit


def emotion_words(cell: str, sep: str, report: Report, tags: list[str]) -> tuple[Feeling, ...]:
    """The feelings of a cell of emotion words (`words_of`), its words that cannot be words
    appended to `tags`, and what they became said in `report`."""
    found = words_of(cell, sep)
    if found.tags:
        tags.extend(found.tags)
    found.tell(report)
    return found.feelings


_BLOCK = {"div", "p", "li", "ol", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
_INLINE = {
    "b", "i", "u", "s", "em", "strong", "strike", "del", "ins", "font", "span", "a", "sub",
    "sup", "small", "big", "code", "mark", "tt",
}  # fmt: skip
_BR = lazy.Pattern(r"<br\s*/?>", re.IGNORECASE)
_TAG_RE = lazy.Pattern(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")


_html_unescape: Any = None


def _unescape() -> Any:
    """html.unescape, imported the first time a note needs it (its entity table is large,
    and most notes need none of it), and then kept (not imported again for every note)."""
    global _html_unescape
    if _html_unescape is None:
        from html import unescape

        _html_unescape = unescape
    return _html_unescape


def html_to_text(note: str) -> str:
    """A Daylio note (HTML) as plain text: <br> and blocks become line breaks, list items
    "- " or "1. ", formatting tags are dropped, entities decoded, CRLF becomes LF. Anything
    that is not one of these tags ("I <3 tea", "a < b") stays as written."""
    if "&" not in note:
        if "<" not in note:
            return note.replace("\r\n", "\n").replace("\r", "\n")
        broken = _BR.sub("\n", note)  # the common case: line breaks and no other tag
        if "<" not in broken:
            return _tidy(broken)
    unescape = _unescape()

    out: list[str] = []
    lists: list[list[int]] = []  # one counter per open list: [0] for ul, [next number] for ol

    def line_break() -> None:
        if out and not out[-1].endswith("\n"):
            out.append("\n")

    pos = 0
    for m in _TAG_RE.finditer(note):
        name = m.group(2).lower()
        if name != "br" and name not in _BLOCK and name not in _INLINE:
            continue
        if m.start() > pos:
            out.append(unescape(note[pos : m.start()]))
        pos = m.end()
        closing = bool(m.group(1))
        if name == "br":
            out.append("\n")
        elif name in ("ol", "ul"):
            if closing and lists:
                lists.pop()
            elif not closing:
                lists.append([1 if name == "ol" else 0])
            line_break()
        elif name == "li":
            if not closing:
                line_break()
                counter = lists[-1] if lists else [0]
                if counter[0]:
                    out.append(f"{counter[0]}. ")
                    counter[0] += 1
                else:
                    out.append("- ")
        elif name in _BLOCK:
            line_break()
    out.append(unescape(note[pos:]))
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    """Unix line ends, no trailing spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def join_note(*parts: str | None) -> str | None:
    """Non-empty parts, each stripped, joined by a blank line; None when nothing is left."""
    kept = [p.strip() for p in parts if p and p.strip()]
    return "\n\n".join(kept) or None


def at_entry(where: str, exc: InvalidInput) -> InvalidInput:
    """The same problem, with the line or entry it is in."""
    return InvalidInput(f"{where}: {exc.message}")


def number(cell: str, what: str) -> float | None:
    """A decimal number from a CSV cell ("7.9166", "1,5"), None when empty."""
    text = cell.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f'{what} should be a number, not "{cell.strip()[:40]}".') from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput(f'{what} should be a number, not "{cell.strip()[:40]}".')
    return value


_DURATION = lazy.Pattern(
    r"\s*(?:(\d{1,2}):(\d\d)(?::[0-5]\d)?"
    r"|(?:(\d{1,2}(?:[.,]\d+)?)\s*h(?:ours?|rs?)?\.?)?\s*(?:(\d{1,4})\s*m(?:in(?:ute)?s?)?\.?)?)"
    r"\s*",
    re.IGNORECASE,
)
"""A duration as apps and people write one: 7:30 (or 7:30:00), 7h 30m, 7h, 1.5h, 45m,
7 hours 30 minutes, 90 min."""


def hours(cell: str, what: str) -> float | None:
    """A number of hours from a CSV cell: a decimal number ("7.9166", "7,5", as `number`)
    or a duration ("7:30", "7h 30m", "7h", "45m": 7.5, 7.5, 7.0, 0.75; to 4 decimals);
    None when empty. Anything else is refused, naming the forms it may take (7:75 as no
    duration like 7:45, as Bearable's import always said)."""
    try:
        return number(cell, what)
    except InvalidInput:
        m = _DURATION.fullmatch(cell)
        if m is not None:
            clock_h, clock_m, h, minutes = m.groups()
            if clock_h is not None:
                if int(clock_m) > 59:
                    raise InvalidInput(
                        f'"{cell.strip()[:40]}" is not a {what.lower()} duration like 7:45.'
                    ) from None
                return round(int(clock_h) + int(clock_m) / 60, 4)
            if (h is not None or minutes is not None) and (h is None or int(minutes or 0) < 60):
                return round(float((h or "0").replace(",", ".")) + int(minutes or 0) / 60, 4)
        raise InvalidInput(
            f'{what} should be a number, not "{cell.strip()[:40]}": hours (7.5) or a duration '
            "(7:30, 7h 30m)."
        ) from None


def csv_problem(line: int, exc: Exception) -> InvalidInput:
    """A csv.Error as one sentence naming the line."""
    if "field larger than field limit" in str(exc):
        return InvalidInput(f"Line {line}: a cell is longer than {MAX_CELL:,} characters.")
    return InvalidInput(f"Line {line}: the CSV cannot be read ({exc}).")
