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
from datetime import datetime
from typing import Any

from numbtrack.errors import InvalidInput
from numbtrack.exchange.common import (
    MAX_CELL,
    Report,
    at_entry,
    csv_problem,
    feeling_word,
    join_note,
    number,
    stamp,
    tag,
)
from numbtrack.exchange.daylio import MONTHS
from numbtrack.models import CheckIn, Feeling, validate

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


def words(cell: str, report: Report, tags: list[str]) -> list[Feeling]:
    """Emotion words of a Mood cell; the ones that cannot be words become tags."""
    out: list[Feeling] = []
    for raw in _items(cell):
        found = feeling_word(raw)
        if found is None:
            t = tag(raw)
            if t:
                tags.append(t)
                report.map("Mood words kept as tags", raw, f"tag {t}")
            else:
                report.not_kept["mood words with no letters"] += 1
            continue
        word, custom = found
        if custom:
            report.own_words[word] += 1
        elif word != tag(raw):
            report.map("Mood words", raw, word)
        out.append(Feeling(word, custom=custom))
    return out


def read(text: str) -> tuple[list[CheckIn], Report]:
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""))
    report = Report()
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise csv_problem(1, exc) from None
    if not looks_like(header):
        raise InvalidInput("Line 1: this is not a How We Feel header (Date, Mood, Tags ...).")
    col = {name: i for i, name in reversed(list(enumerate(header)))}
    used = {
        "date", "mood", *TAG_COLUMNS, "sleep", "exercise", "meditation", "menstrual", "weather",
        "caffeine (mg)", "alcoholic drinks", "notes", "reflections", "takeaways",
    }  # fmt: skip
    other = [(i, name) for i, name in enumerate(header) if name not in used and name]
    original = next(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")), header)

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else ""

    out: list[CheckIn] = []
    seen: dict[str, int] = {}
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header):
                raise InvalidInput(f"expected {len(header)} cells, found {len(row)}.")
            try:
                checkin = _row(row, cell, report, seen)
            except InvalidInput as exc:
                raise at_entry(f"Line {line}", exc) from None
            for i, name in other:
                if i < len(row) and row[i].strip():
                    shown = original[i].strip() if i < len(original) else name
                    why = (
                        "not kept"
                        if name in DROPPED
                        else "not a How We Feel column numbtrack knows"
                    )
                    report.not_kept[f'column "{shown}" ({why})'] += 1
            if checkin is None:
                report.not_kept["rows with nothing recorded (skipped)"] += 1
            else:
                out.append(checkin)
    except csv.Error as exc:
        raise csv_problem(reader.line_num or line, exc) from None
    except InvalidInput as exc:
        if exc.message.startswith("Line "):
            raise
        raise at_entry(f"Line {line}", exc) from None
    return out, report


def _row(row: list[str], cell: Any, report: Report, seen: dict[str, int]) -> CheckIn | None:
    when = cell(row, "date")
    if not when.strip():
        raise InvalidInput("the Date is empty.")
    at = parse_date(when)
    tags: list[str] = []
    feelings = words(cell(row, "mood"), report, tags)
    for name in TAG_COLUMNS:
        for item in _items(cell(row, name)):
            t = tag(item)
            if t:
                tags.append(t)
            else:
                report.not_kept["tags with no letters or digits"] += 1
    practices: list[str] = []
    exercise = number(cell(row, "exercise"), "Exercise")
    if exercise:
        practices.append("movement")
        report.map("Context", "Exercise (minutes)", "practice movement; minutes not kept")
    meditation = number(cell(row, "meditation"), "Meditation")
    if meditation:
        tags.append("meditation")
        report.map("Context", "Meditation (minutes)", "tag meditation; minutes not kept")
    for name, prefix in (("menstrual", "menstrual"), ("weather", "weather")):
        value = cell(row, name).strip()
        if value:
            t = tag(value)
            tags.append(f"{prefix}:{t}" if t else prefix)
            report.map("Context", name.capitalize(), f"tag {prefix}:VALUE")
    for name, label in (("caffeine (mg)", "caffeine"), ("alcoholic drinks", "alcohol")):
        if number(cell(row, name), name.capitalize()):
            tags.append(label)
            report.map("Context", name.capitalize(), f"tag {label}; amount not kept")
    sleep = number(cell(row, "sleep"), "Sleep")
    texts = [cell(row, "notes").strip()]
    texts += [f"Reflection: {t}" for t in _texts(cell(row, "reflections"))]
    texts += [f"Takeaway: {t}" for t in _texts(cell(row, "takeaways"))]
    key = when.strip()
    seen[key] = seen.get(key, 0) + 1
    s = stamp(at)
    checkin = validate(
        CheckIn(
            id=str(uuid.uuid5(NAMESPACE, f"{key}|{seen[key]}")),
            at=at,
            feelings=tuple(feelings),
            practices=tuple(practices),
            tags=tuple(tags),
            sleep_hours=sleep,
            note=join_note(*texts),
            created_at=s,
            updated_at=s,
        ),
        frozenset(f.word for f in feelings if f.custom),
    )
    return checkin if checkin.noted else None
