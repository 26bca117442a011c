"""How We Feel's export (`HowWeFeelEmotions.csv`): one row per check-in.

Columns are found by name, not position (newer exports add key columns). What each becomes
(docs/formats.md has the full table):
- `Date` (`2026 Sun Feb 8 4:04 PM`, local time with no zone) -> the time, in this machine's
  zone on that date, as the Daylio CSV import does (a time the clocks skipped moved forward
  by the gap, and named);
- `Mood` (`Numb;Apathetic;Tired`) -> feeling words: numbtrack's word where it knows the word
  or a spelling of it (`common.SPELLINGS`, each listed in the dry run), else the person's own
  word, named in the report;
- `Tags (People)`, `Tags (Places)`, `Tags (Events)` -> tags;
- `Sleep` (decimal hours, or a duration: `7:30`, `7h 30m`) -> sleep_hours;
- `Exercise` (minutes) -> the practice movement; `Meditation` (minutes) -> the tag
  meditation; `Menstrual`, `Weather` -> tags `menstrual:VALUE`, `weather:VALUE`; `Caffeine
  (mg)` and `Alcoholic Drinks` above zero -> tags caffeine and alcohol (amounts not kept);
- `Notes`, `Reflections` and `Takeaways` (plain text or JSON lists) -> the note;
- `Steps`, `Temperature (F)`, `Water (cups)` and any other column: not kept, and named.

Ids are UUIDv5 of the Date cell (and its occurrence), so importing twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import date, datetime
from operator import itemgetter

from numbtrack.errors import InvalidInput
from numbtrack.exchange.common import (
    _DAY_PREFIXES,
    _FIRST_S,
    _STAMP_TIMES,
    _UTC_TAILS,
    MAX_CELL,
    Checker,
    LocalDays,
    Namespace,
    Report,
    Words,
    _clock_text,
    at_entry,
    csv_problem,
    day_prefix,
    hours,
    join_note,
    noted,
    number,
    tag,
    utc_tails,
    uuid5,
    wall_time,
    words_of,
)
from numbtrack.exchange.daylio import MONTHS
from numbtrack.models import Feeling

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: reading a file loads no typing module
    from typing import Any

    from numbtrack.exchange.common import Entry

NAMESPACE = Namespace("5d0e2c1b-7a4f-4b8e-8f3a-1c6d9e2b7a40")
"""For deterministic ids of imported How We Feel rows."""

TAG_COLUMNS = ("tags (people)", "tags (places)", "tags (events)")
MARKERS = {*TAG_COLUMNS, "reflections", "takeaways"}
"""With `date` and `mood`, one of these in a header means How We Feel."""

DROPPED = ("steps", "temperature (f)", "water (cups)")

_DATE = re.compile(
    r"\s*(\d{4})\s+(?:[A-Za-z]+\.?,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2}),?\s+"
    r"(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp])?\.?\s*[Mm]?\.?\s*"
)


def looks_like(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return {"date", "mood"} <= names and bool(names & MARKERS)


def parse_date(text: str) -> tuple[datetime, int]:
    """ "2026 Sun Feb 8 4:04 PM" (padded or not) as local time in this machine's zone, and
    0; a time the clocks skipped that night moved forward by the gap, and the gap in seconds
    (`common.wall_time`)."""
    m = _DATE.fullmatch(text)
    if m:
        year, month_name, day, hour, minute, ampm = m.groups()
        month = MONTHS.get(month_name[:3].lower())
        h = int(hour)
        if ampm:
            if not 1 <= h <= 12:
                month = None
            h = h % 12 + (12 if ampm.lower() == "p" else 0)
        if month is not None:
            try:
                return wall_time(datetime(int(year), month, int(day), h, int(minute)))
            except (ValueError, OverflowError, OSError):
                pass
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
            return (moment, 0) if moment.tzinfo else wall_time(moment)
        except (ValueError, OverflowError, OSError):
            pass
    raise InvalidInput(f'"{text.strip()[:40]}" is not a date like 2026 Sun Feb 8 4:04 PM.')


_DAY = re.compile(r"(\d{4}) [A-Za-z]+ ([A-Za-z]+) (\d{1,2})")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2}) ([AP])M")
"""A Date as the app writes it ("2026 Sun Feb 8" and "4:04 PM"), which `_Rows` reads a day
and a clock time at a time: `_DATE` reads it the same way (a weekday, then the month)."""

_EPOCH = date(1970, 1, 1).toordinal()

_UNSEEN: Any = object()
"""Not looked for yet (None is an answer: the usual way)."""


def _day(text: str) -> int | None:
    """The day (days since 1970) of a Date's day part as the app writes it ("2026 Sun Feb
    8"), as parse_date reads it; None for any other text, or a day not in the calendar."""
    m = _DAY.fullmatch(text)
    if m is None:
        return None
    year, month_name, day = m.groups()
    month = MONTHS.get(month_name[:3].lower())
    if month is None:
        return None
    try:
        return date(int(year), month, int(day)).toordinal() - _EPOCH
    except ValueError:
        return None


def _clock(text: str) -> int | None:
    """The second of the day of a Date's clock part as the app writes it ("4:04 PM"), as
    parse_date reads it; None for any other text, or a time that is not one."""
    m = _CLOCK.fullmatch(text)
    if m is None:
        return None
    hour, minute, ampm = m.groups()
    h, mi = int(hour), int(minute)
    if not 1 <= h <= 12 or mi > 59:
        return None
    return (h % 12 + (12 if ampm == "P" else 0)) * 3600 + mi * 60


def _items(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


def _texts(cell: str) -> list[str]:
    """Reflections and Takeaways: plain text, or a JSON list (of strings or objects)."""
    text = cell.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            data: Any = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, too deep, a number of 4,300+ digits
            return [text]
        if isinstance(data, list):
            out: list[str] = []
            for item in data:
                if isinstance(item, str):
                    out.append(item)
                elif isinstance(item, dict):
                    out.append(" ".join(str(v) for v in item.values() if isinstance(v, str)))
                elif item is not None:
                    out.append(str(item))
            return [t.strip() for t in out if t and t.strip()]
    return [text]


CONTEXT = (
    ("exercise", "Exercise (minutes)", "practice movement; minutes not kept"),
    ("meditation", "Meditation (minutes)", "tag meditation; minutes not kept"),
    ("menstrual", "Menstrual", "tag menstrual:VALUE"),
    ("weather", "Weather", "tag weather:VALUE"),
    ("caffeine (mg)", "Caffeine (mg)", "tag caffeine; amount not kept"),
    ("alcoholic drinks", "Alcoholic Drinks", "tag alcohol; amount not kept"),
)
"""Context columns that have a place, and what they become (for the report)."""

USED = {
    "date", "mood", *TAG_COLUMNS, "sleep", "notes", "reflections", "takeaways",
    *(c[0] for c in CONTEXT),
}  # fmt: skip


class _Columns:
    """Where each column is; -1 for one the file does not have (read as empty)."""

    def __init__(self, header: list[str]) -> None:
        col = {name: i for i, name in reversed(list(enumerate(header)))}
        self.width = len(header)
        self.date, self.mood = col["date"], col["mood"]
        self.tags = [col[n] for n in TAG_COLUMNS if n in col]
        get = col.get
        self.sleep, self.notes = get("sleep", -1), get("notes", -1)
        self.reflections, self.takeaways = get("reflections", -1), get("takeaways", -1)
        self.exercise, self.meditation = get("exercise", -1), get("meditation", -1)
        self.menstrual, self.weather = get("menstrual", -1), get("weather", -1)
        self.caffeine, self.alcohol = get("caffeine (mg)", -1), get("alcoholic drinks", -1)


def read(
    text: str, packed: bool = False, out: list[Entry] | None = None
) -> tuple[list[Entry], Report]:
    """The check-ins of a How We Feel export (packed with `packed`; appended to `out` when
    given), and how it was mapped."""
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""))
    report = Report()
    try:
        original = next(reader, [])
    except csv.Error as exc:
        raise csv_problem(1, exc) from None
    header = [h.strip().lower() for h in original]
    if not looks_like(header):
        raise InvalidInput("Line 1: this is not a How We Feel header (Date, Mood, Tags ...).")
    cols = _Columns(header)
    width = cols.width
    other = [
        (
            i,
            f'column "{original[i].strip()}"'
            + ("" if name in DROPPED else " (unknown to numbtrack)"),
        )
        for i, name in enumerate(header)
        if name not in USED and name
    ]
    other_counts = [0] * len(other)
    skipped = 0
    rows = _Rows(cols, report, packed)
    rows.reader = reader  # its line_num names a row whose time is moved out of a gap
    if out is None:
        out = []
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            n = len(row)
            if n != width:
                if n > width:
                    raise InvalidInput(f"Line {line}: expected {width} cells, found {n}.")
                row += [""] * (width - n)
            if not any(row):
                continue
            row.append("")  # row[-1] is "" for every column the file does not have
            try:
                checkin = rows.checkin(row)
            except InvalidInput as exc:
                raise at_entry(f"Line {line}", exc) from None
            for k, (i, _) in enumerate(other):
                if row[i] and row[i].strip():
                    other_counts[k] += 1
            if checkin is None:
                skipped += 1
            else:
                out.append(checkin)
    except csv.Error as exc:
        raise csv_problem(reader.line_num or line, exc) from None
    for (_, label), n in zip(other, other_counts, strict=True):
        if n:
            report.not_kept[label] += n
    if skipped:
        report.not_kept["rows with nothing recorded (skipped)"] += skipped
    rows.tell()
    for name, source, became in CONTEXT:
        if rows.counts[name]:
            report.map("Context", source, became, rows.counts[name])
    return out, report


class _Rows:
    """Rows made check-ins, with what repeats from row to row (tag cells, context values,
    reflections, the checking of words and tags) worked out once for each distinct cell."""

    def __init__(self, cols: _Columns, report: Report, packed: bool = False) -> None:
        self.c = cols
        self.report = report
        self.reader: Any = None
        """The csv reader the rows come from (`read`)."""
        self.counts: Counter[str] = Counter()
        self.seen: dict[str, int] = {}
        self.check = check = Checker(packed)
        self.prepare, self.made = check.prepare, check.made
        self.plain_note = check.plain_note
        self.limit = check._limit
        """The latest moment a check-in may have, as the Checker last worked it out (one
        later goes through the Checker, which works it out again)."""
        self.packed = packed
        self.packed_at = check.packed_at if packed else None
        """Packed: a check-in whose Date is as the app writes it is made from its day and
        clock time (each read once, `_day_zone` and `_clock`) and the day's offset
        (`LocalDays`), without a datetime."""
        self.local = LocalDays()
        self.day_zones: dict[str, Any] = {}
        """Each Date's day part -> `_day_zone` of it."""
        self.clocks: dict[str, tuple[int, str] | None] = {}
        self.no_words: list[Any] = [Words((), (), (), ()), 0, _UNSEEN, _UNSEEN]
        """`words` of an empty Mood cell (never told)."""
        self.contexts: dict[tuple[str, ...], list[Any]] = {}
        """The tags and context cells of a row (but Exercise) -> `_context` of them."""
        self.exercises = 0
        """Rows whose Exercise made the practice movement."""
        self.told: list[list[Any]] = []
        """Every context worked out, for `tell` (`contexts` may be full)."""
        cells = (*cols.tags, cols.meditation, cols.menstrual, cols.weather, cols.caffeine,
                 cols.alcohol)  # fmt: skip
        self.context_cells = itemgetter(*cells)
        self.note_cells = itemgetter(cols.notes, cols.reflections, cols.takeaways)
        self.notes: dict[tuple[str, ...], tuple[str | None, bool]] = {}
        """The Notes, Reflections and Takeaways cells of a row -> its note, and whether
        validate takes that as it is (`Checker.plain_note`)."""
        self.tag_cells: dict[str, tuple[tuple[str, ...], int]] = {}
        self.numbers: dict[tuple[str, str], float | None] = {}
        self.values: dict[tuple[str, str], str] = {}
        self.texts: dict[tuple[str, str], tuple[str, ...]] = {}
        self.words: dict[str, list[Any]] = {}
        """Each Mood cell's words, and how many rows it was in: told to the report at the
        end (`tell`), in the order first met (the order it would have heard of each row);
        then the checked parts its feelings make without and with the practice movement
        (`prepare`'s, packed; worked out when first needed)."""

    def tell(self) -> None:
        for words, n, _, _ in self.words.values():
            words.tell(self.report, n)
        if self.exercises:
            self.counts["exercise"] += self.exercises
        for _, n, counted, bad, _ in self.told:
            for name in counted:
                self.counts[name] += n
            if bad:
                self.report.not_kept["tags with no letters or digits"] += bad * n

    def number(self, cell: str, what: str) -> float | None:
        """common.number, once per distinct cell of a column."""
        key = (what, cell)
        try:
            return self.numbers[key]
        except KeyError:
            value = self.numbers[key] = number(cell, what)
            return value

    def tags_of(self, cell: str) -> tuple[tuple[str, ...], int]:
        """The tags of a Tags cell, and how many of its items had no letters or digits."""
        found = self.tag_cells.get(cell)
        if found is None:
            tags = []
            bad = 0
            for item in _items(cell):
                t = tag(item)
                if t:
                    tags.append(t)
                else:
                    bad += 1
            found = self.tag_cells[cell] = (tuple(tags), bad)
        return found

    def value_tag(self, name: str, cell: str) -> str:
        """`name:VALUE` of a Menstrual or Weather cell (`name` when VALUE has no letters)."""
        key = (name, cell)
        found = self.values.get(key)
        if found is None:
            t = tag(cell.strip())
            found = self.values[key] = f"{name}:{t}" if t else name
        return found

    def texts_of(self, kind: str, cell: str) -> tuple[str, ...]:
        """The note lines of a Reflections or Takeaways cell."""
        key = (kind, cell)
        found = self.texts.get(key)
        if found is None:
            found = self.texts[key] = tuple(f"{kind}: {t}" for t in _texts(cell))
        return found

    def checkin(self, row: list[str]) -> Entry | None:
        c = self.c
        when = row[c.date].strip()
        if not when:
            raise InvalidInput("the Date is empty.")
        at: datetime | None = None
        gap = 0
        day = clock = None
        if self.packed:
            end = when.rfind(" ", 0, when.rfind(" "))
            day_text = when[:end]
            day = self.day_zones.get(day_text, _UNSEEN)
            if day is _UNSEEN:
                day = self.day_zones[day_text] = self._day_zone(day_text)
            clock_text = when[end + 1 :]
            clock = self.clocks.get(clock_text, _UNSEEN)
            if clock is _UNSEEN:
                clock = self.clocks[clock_text] = self._clock(clock_text)
            if end <= 0:
                day = None
        if day is None or clock is None:
            at, gap = parse_date(when)
            day = None
        mood = row[c.mood]
        if mood:
            seen = self.words.get(mood)
            if seen is None:
                seen = self.words[mood] = [words_of(mood, ";"), 0, _UNSEEN, _UNSEEN]
            seen[1] += 1  # told at the end
        else:
            seen = self.no_words
        feelings: tuple[Feeling, ...] = seen[0].feelings
        tags: tuple[str, ...] = seen[0].tags
        practices: tuple[str, ...] = ()
        slot = 2
        if row[c.exercise] and self.number(row[c.exercise], "Exercise"):
            practices = ("movement",)
            self.exercises += 1
            slot = 3
        context = self.contexts.get(key := self.context_cells(row))
        if context is None:
            context = self._context(row)
            if len(self.contexts) < 50_000:
                self.contexts[key] = context
        context[1] += 1
        # The checked feelings and practices of this Mood cell and Exercise, and the checked
        # tags of these tag and context cells (when the Mood cell adds none), each worked out
        # once (`prepare`); None: the usual way, which says why.
        parts = seen[slot]
        if parts is _UNSEEN:
            parts = seen[slot] = self.prepare(feelings, practices=practices, key=(mood, practices))[
                5
            ]
        checked = None if tags else context[4]
        prepared = None
        if parts is None or checked is None:
            prepared = self.prepare(
                feelings,
                practices=practices,
                tags=tags + context[0] if tags else context[0],
                key=(mood, practices),  # what the feelings and practices come from
            )
        sleep = hours(row[c.sleep], "Sleep") if row[c.sleep] else None
        kept = self.notes.get(texts := self.note_cells(row))
        if kept is None:
            made = self._note(*texts)
            kept = (made, self.plain_note(made))
            if len(self.notes) < 50_000:
                self.notes[texts] = kept
        note = kept[0]
        self.seen[when] = n = self.seen.get(when, 0) + 1
        uid = uuid5(NAMESPACE, f"{when}|{n}")
        if day is not None:
            assert clock is not None
            seconds = day[3] + clock[0]
            if (
                prepared is None
                and _FIRST_S <= seconds <= self.limit
                and kept[1]
                and (sleep is None or 0 <= sleep <= 24)
            ):
                # Checker.packed_at, inline: the same texts from the same caches
                assert parts is not None
                local = day[1] + clock[1]
                utc_of_day = clock[0] - day[4]
                if 0 <= utc_of_day < 86400:
                    utc_day = day[1]
                else:
                    days, utc_of_day = divmod(seconds, 86400)
                    utc_day = _DAY_PREFIXES.get(days) or day_prefix(days)
                tails = _UTC_TAILS.get(utc_of_day) or utc_tails(utc_of_day)
                stamped = utc_day + tails[1]
                fs, ss, ps, state, typed = parts
                if fs or ss or ps or checked or note or sleep is not None:  # noted
                    return (
                        uid, local + day[2], utc_day + tails[0], day[0], None, state, note,
                        sleep, stamped, stamped, fs, ss, ps, checked, typed,
                    )  # fmt: skip
                return None
            if prepared is None:
                prepared = self._prepared(feelings, practices, tags, context, mood)
            assert self.packed_at is not None
            row_out = self.packed_at(prepared, uid, seconds, day[5], sleep, note)
            if row_out is not None:
                return row_out if noted(row_out) else None
            at, gap = parse_date(when)  # the usual way says why (a Date it reads as the day's)
        if prepared is None:
            prepared = self._prepared(feelings, practices, tags, context, mood)
        assert at is not None
        checkin = self.made(prepared, uid, at, sleep, note)
        if not noted(checkin):
            return None
        if gap:
            self.report.moved.append((f"line {self.reader.line_num}", gap))
        return checkin

    def _prepared(
        self,
        feelings: tuple[Feeling, ...],
        practices: tuple[str, ...],
        tags: tuple[str, ...],
        context: list[Any],
        mood: str,
    ) -> Any:
        return self.prepare(
            feelings,
            practices=practices,
            tags=tags + context[0] if tags else context[0],
            key=(mood, practices),
        )

    def _day_zone(self, text: str) -> tuple[str, str, str, int, int, tuple[int, str]] | None:
        """What every row of a Date's day part ("2026 Sun Feb 8") shares: the local ISO day,
        it with its "T", the offset's text, the UTC moment of the day's start, the offset in
        seconds and as `Checker.packed_at` takes it; None when the day is not one `_day`
        reads or is near a change of offset (`LocalDays`): such rows go the usual way."""
        day = _day(text)
        if day is None:
            return None
        found = self.local.offset(day)
        if found is None:
            return None
        off, zone = found
        prefix = _DAY_PREFIXES.get(day) or day_prefix(day)
        return (prefix[:10], prefix, zone[1], day * 86400 - off, off, zone)

    @staticmethod
    def _clock(text: str) -> tuple[int, str] | None:
        """A Date's clock part ("4:04 PM") as the second of its day and as the ISO time
        ("16:04:00"); None for any other text (`_clock`)."""
        second = _clock(text)
        if second is None:
            return None
        return (second, _STAMP_TIMES.get(second) or _clock_text(second))

    def _note(self, notes: str, reflections: str, takeaways: str) -> str | None:
        texts = [notes]
        if reflections:
            texts += self.texts_of("Reflection", reflections)
        if takeaways:
            texts += self.texts_of("Takeaway", takeaways)
        return join_note(*texts)

    def _context(self, row: list[str]) -> list[Any]:
        """The tags a row's tag and context columns make (checked in the order of the
        columns), once for each distinct set of these cells: [tags, rows with them, the
        columns counted in the report, tag items with no letters, the tags as validate
        keeps them (None: it would refuse them)]. What it adds to the
        report is added for every row like it (`tell`)."""
        c = self.c
        tags: list[str] = []
        bad_tags = 0
        for i in c.tags:
            if row[i]:
                found, bad = self.tags_of(row[i])
                tags.extend(found)
                bad_tags += bad
        counted: list[str] = []
        if row[c.meditation] and self.number(row[c.meditation], "Meditation"):
            tags.append("meditation")
            counted.append("meditation")
        for i, name in ((c.menstrual, "menstrual"), (c.weather, "weather")):
            if row[i] and row[i].strip():
                tags.append(self.value_tag(name, row[i]))
                counted.append(name)
        if row[c.caffeine] and self.number(row[c.caffeine], "Caffeine (mg)"):
            tags.append("caffeine")
            counted.append("caffeine (mg)")
        if row[c.alcohol] and self.number(row[c.alcohol], "Alcoholic Drinks"):
            tags.append("alcohol")
            counted.append("alcoholic drinks")
        made = tuple(tags)
        checked = self.check._tags.get(made)
        if checked is None:
            checked = self.check._checked_tags(made)
        context = [made, 0, tuple(counted), bad_tags, checked]
        self.told.append(context)
        return context
