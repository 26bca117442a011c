"""How We Feel's export (`HowWeFeelEmotions.csv`): one row per check-in.

Columns are found by name, not position (newer exports add key columns). What each becomes
(docs/formats.md has the full table):
- `Date` (`2026 Sun Feb 8 4:04 PM`, local time with no zone) -> the time, in this machine's
  zone on that date, as the Daylio CSV import does;
- `Mood` (`Numb;Apathetic;Tired`) -> feeling words: numbtrack's word where it knows the word
  or a spelling of it (`common.SPELLINGS`, each listed in the dry run), else the person's own
  word, named in the report;
- `Tags (People)`, `Tags (Places)`, `Tags (Events)` -> tags;
- `Sleep` (decimal hours) -> sleep_hours;
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
import uuid
from collections import Counter
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from numbtrack.errors import InvalidInput
from numbtrack.exchange.common import (
    MAX_CELL,
    Checker,
    Entry,
    LocalDays,
    Report,
    at_entry,
    csv_problem,
    join_note,
    noted,
    number,
    tag,
    uuid5,
    words_of,
)
from numbtrack.exchange.daylio import MONTHS
from numbtrack.models import Feeling

NAMESPACE = uuid.UUID("5d0e2c1b-7a4f-4b8e-8f3a-1c6d9e2b7a40")
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


def parse_date(text: str) -> datetime:
    """ "2026 Sun Feb 8 4:04 PM" (padded or not) as local time in this machine's zone."""
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
                return datetime(int(year), month, int(day), h, int(minute)).astimezone()
            except (ValueError, OverflowError, OSError):
                pass
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
            return moment if moment.tzinfo else moment.astimezone()
        except ValueError:
            pass
    raise InvalidInput(f'"{text.strip()[:40]}" is not a date like 2026 Sun Feb 8 4:04 PM.')


_DAY = re.compile(r"(\d{4}) [A-Za-z]+ ([A-Za-z]+) (\d{1,2})")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2}) ([AP])M")
"""A Date as the app writes it ("2026 Sun Feb 8" and "4:04 PM"), which `_Rows` reads a day
and a clock time at a time: `_DATE` reads it the same way (a weekday, then the month)."""

_EPOCH = date(1970, 1, 1).toordinal()


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
        except (json.JSONDecodeError, RecursionError):
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
        self.counts: Counter[str] = Counter()
        self.seen: dict[str, int] = {}
        check = Checker(packed)
        self.prepare, self.made = check.prepare, check.made
        self.packed_at = check.packed_at if packed else None
        """Packed: a check-in whose Date is as the app writes it is made from its day and
        clock time (each read once, `_day` and `_clock`) and the day's offset (`LocalDays`),
        without a datetime."""
        self.local = LocalDays()
        self.offsets: dict[int, Any] = {}
        """`local.offset` of each day met."""
        self.days: dict[str, int | None] = {}
        self.clocks: dict[str, int | None] = {}
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
        self.notes: dict[tuple[str, ...], str | None] = {}
        self.tag_cells: dict[str, tuple[tuple[str, ...], int]] = {}
        self.numbers: dict[tuple[str, str], float | None] = {}
        self.values: dict[tuple[str, str], str] = {}
        self.texts: dict[tuple[str, str], tuple[str, ...]] = {}
        self.words: dict[str, list[Any]] = {}
        """Each Mood cell's words, and how many rows it was in: told to the report at the
        end (`tell`), in the order first met (the order it would have heard of each row)."""

    def tell(self) -> None:
        for words, n in self.words.values():
            words.tell(self.report, n)
        if self.exercises:
            self.counts["exercise"] += self.exercises
        for _, n, counted, bad in self.told:
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
        seconds = zone = None
        if self.packed_at is not None:
            end = when.rfind(" ", 0, when.rfind(" "))
            day_text, clock_text = when[:end], when[end + 1 :]
            day = self.days.get(day_text, -1 << 40)
            if day == -1 << 40:
                day = self.days[day_text] = _day(day_text)
            clock = self.clocks.get(clock_text, -1)
            if clock == -1:
                clock = self.clocks[clock_text] = _clock(clock_text)
            if day is not None and clock is not None and end > 0:
                found = self.offsets.get(day, False)
                if found is False:
                    found = self.offsets[day] = self.local.offset(day)
                if found is not None:
                    seconds = day * 86400 + clock - found[0]
                    zone = found[1]
        if zone is None:
            at = parse_date(when)
        mood = row[c.mood]
        feelings: tuple[Feeling, ...] = ()
        tags: tuple[str, ...] = ()
        if mood:
            seen = self.words.get(mood)
            if seen is None:
                seen = self.words[mood] = [words_of(mood, ";"), 0]
            seen[1] += 1  # told at the end
            feelings, tags = seen[0].feelings, seen[0].tags
        practices: tuple[str, ...] = ()
        if row[c.exercise] and self.number(row[c.exercise], "Exercise"):
            practices = ("movement",)
            self.exercises += 1
        context = self.contexts.get(key := self.context_cells(row))
        if context is None:
            context = self._context(row)
            if len(self.contexts) < 50_000:
                self.contexts[key] = context
        context[1] += 1
        prepared = self.prepare(
            feelings,
            practices=practices,
            tags=tags + context[0] if tags else context[0],
            key=(mood, practices),  # what the feelings and practices come from
        )
        sleep = number(row[c.sleep], "Sleep") if row[c.sleep] else None
        note = self.notes.get(texts := self.note_cells(row), "")
        if note == "":
            note = self._note(*texts)
            if len(self.notes) < 50_000:
                self.notes[texts] = note
        self.seen[when] = n = self.seen.get(when, 0) + 1
        uid = uuid5(NAMESPACE, f"{when}|{n}")
        if zone is not None:
            assert seconds is not None and self.packed_at is not None
            row_out = self.packed_at(prepared, uid, seconds, zone, sleep, note)
            if row_out is not None:
                return row_out if noted(row_out) else None
            at = parse_date(when)  # the usual way says why (a Date it reads as the day's)
        assert at is not None
        checkin = self.made(prepared, uid, at, sleep, note)
        return checkin if noted(checkin) else None

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
        columns counted in the report, tag items with no letters]. What it adds to the
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
        context = [tuple(tags), 0, tuple(counted), bad_tags]
        self.told.append(context)
        return context
