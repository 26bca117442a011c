"""Daylio's backup file (`.daylio`): more than its CSV holds, read without the app.

The file is a ZIP whose member `backup.daylio` is base64 text (Android wraps it at 76
characters with LF, iOS with CRLF) of UTF-8 JSON. Other members (`assets/...`) are photos and
recordings; they are not imported and are counted in the report. The same JSON, already
unpacked (a `.json` file, or the base64 member on its own), is accepted too.

Each day entry becomes one check-in:
- its time is `datetime` (UTC milliseconds) shifted by `timeZoneOffset` (milliseconds), so the
  local time and day are the ones the person saw; `year/month/day/hour/minute` (month 0-based)
  are used only when `datetime` is missing or no number (named), read in this machine's
  zone (a time the clocks skipped moved forward by the gap, and named);
- its mood (an id into `customMoods`) is the label Daylio's CSV shows: `custom_name` when
  set, else rad, good, meh, bad or awful by `predefined_name_id` (or by the mood's group), and
  becomes what the Daylio CSV import makes of it (`daylio.mood_parts`: a `mood:LABEL` tag, or
  a word through --mood-map);
- its activities (ids into `tags`) become tags as in the CSV import;
- `note_title` and `note` (HTML) become the note as plain text (a number as its text; any
  other kind is not kept, and named);
- `isFavorite` becomes the tag `favorite`.

Ids are UUIDv5 of the entry's id and datetime, so importing the same backup twice adds
nothing, and a later backup updates what an earlier one brought in (unless edited since).
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import zipfile
from collections import Counter
from datetime import datetime, timedelta, timezone

from numbtrack.errors import InvalidInput
from numbtrack.exchange.common import (
    _DAY_PREFIXES,
    _FIRST_S,
    _STAMP_DAYS,
    _STAMP_TIMES,
    _UTC_TAILS,
    MAX_MEMBER_BYTES,
    Checker,
    Namespace,
    Report,
    _clock_text,
    at_entry,
    day_prefix,
    html_to_text,
    join_note,
    noted,
    tag,
    utc_tails,
    uuid5,
    wall_time,
    zone_of,
)
from numbtrack.exchange.daylio import DaylioResult, mood_parts
from numbtrack.models import Feeling
from numbtrack.value import Mutable

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: reading a file loads no typing module
    from typing import Any

    from numbtrack.exchange.common import Entry

NAMESPACE = Namespace("0b6f7c52-8a3e-4f0e-9d1c-5e2a7b9c4d13")
"""For deterministic ids of imported Daylio backup entries."""

MEMBER = "backup.daylio"

PREDEFINED = {1: "rad", 2: "good", 3: "meh", 4: "bad", 5: "awful"}
"""Daylio's predefined mood names, by predefined_name_id (and by mood group, 1 best)."""

MAX_OFFSET_MS = 18 * 3600 * 1000
"""The widest UTC offset there is (ISO 8601 allows up to 18 hours)."""

_FAST_TO = 250_000_000_000
"""Seconds since 1970 (in the year 9892) below which fromtimestamp takes any moment from
1900 on at any offset: an entry's datetime between the two needs no datetime made first to
know that it can be one."""


BackupResult = DaylioResult
"""What reading a backup gives, as reading Daylio's CSV does: the check-ins (or packed ones,
`read_data(..., packed=True)`), the mood labels --mood-map did not name, the report."""


def looks_like(raw: bytes) -> bool:
    """A ZIP holding backup.daylio."""
    if not raw.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return MEMBER in z.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _member(raw: bytes, report: Report) -> bytes:
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InvalidInput(
            "This .daylio file is not a complete ZIP archive (damaged or cut short)."
        ) from None
    with z:
        names = z.namelist()
        if MEMBER not in names:
            raise InvalidInput(f"This ZIP holds no {MEMBER}, so it is not a Daylio backup.")
        others = [n for n in names if n != MEMBER and not n.endswith("/")]
        if others:
            report.not_kept["photo and recording files in the backup"] = len(others)
        info = z.getinfo(MEMBER)
        if info.file_size > MAX_MEMBER_BYTES:
            raise InvalidInput(f"{MEMBER} would unpack to more than 256 MiB; it was not read.")
        try:
            with z.open(info) as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
            raise InvalidInput(f"{MEMBER} in this ZIP is damaged and cannot be read.") from None
        if len(data) > MAX_MEMBER_BYTES:
            raise InvalidInput(f"{MEMBER} would unpack to more than 256 MiB; it was not read.")
        return data


def decode(member: bytes) -> Any:
    """The JSON inside backup.daylio (base64, any line wrapping)."""
    try:
        # What split() splits on, taken out: the line breaks by replace (a search for one
        # byte, several times faster than translate's byte by byte), anything else rarely.
        packed = member.replace(b"\n", b"")
        if b"\r" in packed:
            packed = packed.replace(b"\r", b"")
        if any(c in packed for c in (b" ", b"\t", b"\x0b", b"\x0c")):
            packed = packed.translate(None, b" \t\x0b\x0c")
        blob = base64.b64decode(packed, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"{MEMBER} is not valid base64 text; the backup is damaged.") from None
    return parse_json(blob)


def parse_json(blob: bytes) -> Any:
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The backup's contents are not UTF-8 text; it is damaged.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"The backup's JSON is damaged at line {exc.lineno} ({exc.msg})."
        ) from None
    except RecursionError:
        raise InvalidInput(
            "The backup's JSON is nested too deeply to be a Daylio backup."
        ) from None
    except ValueError:  # a number of more than 4,300 digits
        raise InvalidInput(
            "The backup's JSON holds a number too long to be a value; it is damaged."
        ) from None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _whole(value: Any, text: bool = True) -> int | None:
    """What a datetime or timeZoneOffset says in milliseconds: an int, a float that is a
    whole number (1674550757000.0), or (with `text`) the text of one ("1674550757000");
    else None. An offset is not read from text: "+1" could mean an hour or a millisecond."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    if text and type(value) is str:
        digits = value.strip().removeprefix("-").removeprefix("+")
        if digits.isascii() and digits.isdigit() and len(digits) <= 18:
            return int(value)
    return None


NOT_A_NUMBER = "datetimes that are not a number (the year, month, day, hour and minute used)"
OFFSET_NOT_A_NUMBER = "time zone offsets that are not a number (read as UTC)"


def _text(value: Any, what: str, not_kept: Counter[str]) -> str:
    """A note or note title that is not a string: a number as its text ("42"); nothing
    (null) as ""; anything else (true, a list, an object) "", counted in `not_kept` as
    `what` that are not text."""
    if value is None:
        return ""
    if type(value) is int or type(value) is float:
        return str(value)
    not_kept[f"{what} that are not text"] += 1
    return ""


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f'The backup\'s "{key}" is not a list; it is not a Daylio backup.')
    return value


def mood_labels(moods: list[Any]) -> dict[int, str]:
    """customMoods -> {id: the label Daylio's CSV shows}."""
    labels: dict[int, str] = {}
    for m in moods:
        if not isinstance(m, dict) or _int(m.get("id")) is None:
            continue
        custom = m.get("custom_name")
        label = custom.strip() if isinstance(custom, str) else ""
        if not label:
            label = PREDEFINED.get(_int(m.get("predefined_name_id")) or 0, "")
        if not label:
            label = PREDEFINED.get(_int(m.get("mood_group_id")) or 0, "")
        if label:
            labels[m["id"]] = label
    return labels


def tag_names(tags: list[Any]) -> dict[int, str]:
    return {
        t["id"]: t["name"]
        for t in tags
        if isinstance(t, dict) and _int(t.get("id")) is not None and isinstance(t.get("name"), str)
    }


def _when(e: dict[str, Any], zones: dict[int, timezone]) -> tuple[datetime, int]:
    """An entry's time, and 0; from year, month, day, hour and minute (no datetime), a time
    the clocks skipped moved forward by the gap, and the gap in seconds (`wall_time`)."""
    raw = e.get("datetime")
    ms = _whole(raw)
    if ms is not None:
        offset = _whole(e.get("timeZoneOffset"), text=False) or 0
        if abs(offset) > MAX_OFFSET_MS:
            raise InvalidInput(f"the time zone offset {offset} ms is not a real one.")
        zone = zones.get(offset)
        if zone is None:
            zone = zones[offset] = timezone(timedelta(milliseconds=offset))
        try:
            # Whole seconds: what fromtimestamp(ms / 1000).replace(microsecond=0) gives.
            return datetime.fromtimestamp(ms // 1000, zone), 0
        except (OverflowError, OSError, ValueError):
            raise InvalidInput(f"the time {ms} is not a date numbtrack can store.") from None
    parts = [_int(e.get(k)) for k in ("year", "month", "day", "hour", "minute")]
    if any(p is None for p in parts):
        if raw is not None:
            raise InvalidInput(
                f"its datetime {json.dumps(raw)[:40]} is not a number of milliseconds, and it "
                "has no year, month, day, hour and minute."
            )
        raise InvalidInput("it has no datetime and no year, month, day, hour and minute.")
    year, month, day, hour, minute = (p or 0 for p in parts)
    try:
        return wall_time(datetime(year, month + 1, day, hour, minute))
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(
            f"{year}-{month + 1:02d}-{day:02d} {hour:02d}:{minute:02d} is not a real date and time."
        ) from None


class _Mapped(Mutable):
    """What an entry's mood, activities and favourite mark become, and what the report says
    of them: the same for every entry with the same ones, so worked out once for each."""

    feelings: tuple[Feeling, ...]
    tags: tuple[str, ...]
    label: str | None
    """The mood label (None: the mood is missing from customMoods)."""
    became: str
    unmapped: bool
    """--mood-map was given and does not name the label."""
    missing: int = 0
    """Activities missing from the tags list."""
    no_letters: int = 0
    """Activities whose name has no letters or digits."""
    prepared: Any = None
    """Its check-ins' parts, as `Checker.prepare` works them out (once for all of them)."""
    noted: bool = False
    """Whether it has a feeling or a tag (an entry mapped so is kept even without a note)."""
    n: int = 0
    """How many entries are mapped as this: the report hears of them at the end."""

    def __init__(
        self,
        feelings: tuple[Feeling, ...],
        tags: tuple[str, ...],
        label: str | None,
        became: str,
        unmapped: bool,
        missing: int = 0,
        no_letters: int = 0,
        prepared: Any = None,
        noted: bool = False,
        n: int = 0,
    ) -> None:
        self.feelings = feelings
        self.tags = tags
        self.label = label
        self.became = became
        self.unmapped = unmapped
        self.missing = missing
        self.no_letters = no_letters
        self.prepared = prepared
        self.noted = noted
        self.n = n


def _mood(mood_id: int | None, labels: dict[int, str], mood_map: dict[str, str]) -> _Mapped:
    """What a mood becomes (`daylio.mood_parts`, as in the CSV import)."""
    label = labels.get(mood_id) if mood_id is not None else None
    if label is None:
        return _Mapped((), (), None, "", False)
    unmapped: Counter[str] = Counter()
    feelings, tags = mood_parts(label, mood_map, unmapped)
    became = f"feeling {feelings[0].word}" if feelings else f"tag {tags[0]}"
    return _Mapped(feelings, tuple(tags), label, became, bool(unmapped))


def _mapped(mood: _Mapped, ids: list[Any], favorite: bool, id_tags: dict[int, str]) -> _Mapped:
    """`mood` with an entry's activities (`id_tags`: each activity's tag, "" for a name with
    no letters or digits) and favourite mark: its tags, then each activity's once, in order
    (`daylio.activity_tags`), then favorite."""
    tags = list(mood.tags)
    missing = no_letters = 0
    for t in ids:
        found = id_tags.get(t) if type(t) is int or _int(t) is not None else None
        if found is None:
            missing += 1
        elif not found:
            no_letters += 1
        elif found not in tags:
            tags.append(found)
    if favorite and "favorite" not in tags:
        tags.append("favorite")
    return _Mapped(
        mood.feelings, tuple(tags), mood.label, mood.became, mood.unmapped, missing, no_letters
    )


def _tell(m: _Mapped, n: int, report: Report, unmapped: Counter[str]) -> None:
    """Count `n` entries mapped as `m` in the report."""
    if m.label is None:
        report.not_kept["moods missing from customMoods"] += n
    else:
        if m.unmapped:
            unmapped[m.label] += n
        report.map("Mood labels", m.label, m.became, n)
    if m.missing:
        report.not_kept["activities missing from the tags list"] += m.missing * n
    if m.no_letters:
        report.not_kept["activities whose name has no letters or digits"] += m.no_letters * n


def read_data(
    data: Any,
    mood_map: dict[str, str] | None = None,
    report: Report | None = None,
    packed: bool = False,
    out: list[Entry] | None = None,
) -> BackupResult:
    """Check-ins from the decoded JSON of a backup; raises InvalidInput naming the entry.

    A ten-year backup has some ten thousand entries and few distinct moods, activity lists,
    time zones and notes: each of those is worked out once (`_mapped`, `zones`, `notes`).
    `packed`: the check-ins come packed (`store.pack`), for `Store.put_many`; `out`: the
    list they are appended to (a new one if not given)."""
    if not isinstance(data, dict) or "dayEntries" not in data:
        raise InvalidInput('The backup holds no "dayEntries"; it is not a Daylio backup.')
    mood_map = mood_map or {}
    result = BackupResult([] if out is None else out, report=report or Report())
    report = result.report
    labels = mood_labels(_list(data, "customMoods"))
    id_tags = {i: tag(name) for i, name in tag_names(_list(data, "tags")).items()}
    for key, what in (("goalEntries", "goal check-offs"), ("goals", "goals")):
        if n := len(_list(data, key)):
            report.not_kept[what] = n
    entries = _list(data, "dayEntries")
    seen: dict[str, int] = {}
    zones: dict[int, timezone] = {}
    notes: dict[str, str] = {"": ""}
    joined: dict[tuple[str, str], tuple[str | None, bool]] = {}
    """The note of each (note_title, note) pair met, and whether validate takes it as it is
    (`Checker.plain_note`)."""
    moods: dict[int | None, _Mapped] = {}
    mapped: dict[tuple[Any, ...], _Mapped] = {}
    # Each of `mapped` (and each entry's own one, for ids that cannot be a key), counted
    # (`_Mapped.n`) and told to the report at the end, in the order first met (the order
    # the report would have heard of them one by one).
    told: list[_Mapped] = []
    check = Checker(packed)
    made, prepare = check.made, check.prepare
    packed_at = check.packed_at
    plain_note = check.plain_note
    limit = check._limit  # one later goes through packed_at, which works it out again
    prefixes, utc_texts, clocks, days_text = _DAY_PREFIXES, _UTC_TAILS, _STAMP_TIMES, _STAMP_DAYS
    # The offsets (ms) met, as packed_at takes them, for the packed way: an entry whose
    # datetime is in the range validate takes (so fromtimestamp cannot refuse it) makes
    # no datetime (see `Checker.packed_at`); None for an offset of a fraction of a second.
    fixed: dict[int, tuple[int, str] | None] = {}
    fast_from, fast_to = _FIRST_S, _FAST_TO if packed else _FIRST_S - 1
    out = result.checkins
    append = out.append
    not_kept = report.not_kept
    fromtimestamp = datetime.fromtimestamp
    for i, e in enumerate(entries, 1):
        if type(e) is not dict and not isinstance(e, dict):
            raise InvalidInput(f"Entry {i} of dayEntries is not an object; the backup is damaged.")
        try:
            ms = e.get("datetime")
            offset = e.get("timeZoneOffset")
            seconds: int | None = None
            fixed_zone = None
            at: datetime | None = None
            gap = 0
            if type(ms) is int and type(offset) is int and (zone := zones.get(offset)):
                seconds = ms // 1000
                fixed_zone = fixed.get(offset)
                if fixed_zone is None or not fast_from <= seconds <= fast_to:
                    fixed_zone = None
                    try:  # what _when does, for a time zone already met
                        at = fromtimestamp(seconds, zone)
                    except (OverflowError, OSError, ValueError):
                        at, gap = _when(e, zones)  # which says why
            else:
                at, gap = _when(e, zones)
                if ms is not None and _whole(ms) is None:
                    not_kept[NOT_A_NUMBER] += 1
                elif ms is not None and offset is not None and _whole(offset, False) is None:
                    not_kept[OFFSET_NOT_A_NUMBER] += 1
                if packed and type(ms) is int and type(offset) is int and offset not in fixed:
                    fixed[offset] = zone_of(zones[offset])
            mood_id = e.get("mood")
            if type(mood_id) is not int:
                mood_id = None
            ids = e.get("tags") or []
            if not isinstance(ids, list):
                raise InvalidInput('its "tags" is not a list of activity ids.')
            favorite = e.get("isFavorite") is True
            try:  # with the ids' types: True would be the same key as 1
                combo: tuple[Any, ...] = (mood_id, favorite, *ids, *map(type, ids))
                m = mapped.get(combo)
            except TypeError:  # an id that cannot be a key (a list): never shared
                combo, m = (i,), None
            if m is None:
                mood = moods.get(mood_id)
                if mood is None:
                    mood = moods[mood_id] = _mood(mood_id, labels, mood_map)
                m = mapped[combo] = _mapped(mood, ids, favorite, id_tags)
                # the feelings come from the label (the mood map is the same throughout)
                m.prepared = prepare(m.feelings, tags=m.tags, key=m.label)
                m.noted = bool(m.feelings or m.tags)
                told.append(m)
            m.n += 1
            title, body = e.get("note_title"), e.get("note")
            if type(title) is not str:
                title = _text(title, "note titles", not_kept)
            if type(body) is not str:
                body = _text(body, "notes", not_kept)
            pair = (title, body)
            kept = joined.get(pair)
            if kept is None:
                t = notes.get(title)
                if t is None:
                    t = notes[title] = html_to_text(title)
                b = notes.get(body)
                if b is None:
                    b = notes[body] = html_to_text(body)
                joined_note = join_note(t, b) if t or b else None
                kept = (joined_note, plain_note(joined_note))
                if len(joined) < 50_000:
                    joined[pair] = kept
            note = kept[0]
            if e.get("assets"):
                not_kept["photos or recordings attached to entries"] += 1
            if e.get("scaleValues"):
                not_kept["scale values (Daylio's sliders)"] += 1
            if ms is not None:
                key_text = f"{e.get('id')}|{ms}"
            else:
                assert at is not None  # no datetime: _when made it
                # the time as read before a time in a gap was moved (the id stays the same)
                key_at = (
                    (at - timedelta(seconds=gap)).replace(tzinfo=None).astimezone() if gap else at
                )
                key_text = f"{e.get('id')}|{key_at.isoformat()}"
            seen[key_text] = n = seen.get(key_text, 0) + 1
            id = uuid5(NAMESPACE, f"{key_text}|{n}")
            if fixed_zone is not None:
                assert seconds is not None
                prepared = m.prepared
                fast = prepared[5]
                if fast is not None and kept[1] and seconds <= limit:
                    # Checker.packed_at, inline: the same texts from the same caches
                    days, of_day = divmod(seconds, 86400)
                    utc_day = prefixes.get(days) or day_prefix(days)
                    tails = utc_texts.get(of_day) or utc_tails(of_day)
                    local_days, local_of_day = divmod(seconds + fixed_zone[0], 86400)
                    local_day = prefixes.get(local_days) or day_prefix(local_days)
                    clock = clocks.get(local_of_day) or _clock_text(local_of_day)
                    stamped = utc_day + tails[1]
                    fs, ss, ps, state, typed = fast
                    row: tuple[Any, ...] | None = (
                        id, f"{local_day}{clock}{fixed_zone[1]}", utc_day + tails[0],
                        days_text[local_days], None, state, note, None, stamped, stamped,
                        fs, ss, ps, prepared[6], typed,
                    )  # fmt: skip
                else:
                    row = packed_at(prepared, id, seconds, fixed_zone, None, note)
                if row is not None:
                    # noted: a packed check-in of the usual way has no can-feel nor sleep
                    if m.noted or note is not None:
                        append(row)
                    else:
                        not_kept["entries with no mood, activity or note (skipped)"] += 1
                    continue
                at = fromtimestamp(seconds, zone)
            assert at is not None
            checkin = made(m.prepared, id, at, None, note, seconds)
        except InvalidInput as exc:
            where = f"Entry {i} (id {e['id']})" if _int(e.get("id")) is not None else f"Entry {i}"
            raise at_entry(where, exc) from None
        if noted(checkin):
            append(checkin)
            if gap:
                report.moved.append((f"entry {i}", gap))
        else:
            not_kept["entries with no mood, activity or note (skipped)"] += 1
    for m in told:
        _tell(m, m.n, report, result.unmapped)
    return result


def read(
    raw: bytes,
    mood_map: dict[str, str] | None = None,
    packed: bool = False,
    out: list[Entry] | None = None,
) -> BackupResult:
    """A whole .daylio file (the ZIP), checked and turned into check-ins (`read_data`)."""
    report = Report()
    return read_data(decode(_member(raw, report)), mood_map, report, packed, out)
