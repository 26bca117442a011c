"""Daylio's CSV export, the most requested way into numbtrack.

Handled: the header `full_date,date,weekday,time,mood,activities,note_title,note`, the older
one without `note_title`, and the oldest `year,date,weekday,time,mood,activities,note`
("2018,18 May,Friday,11:54 pm,..."); a UTF-8 byte-order mark; 12-hour ("11:00 pm") and 24-hour
times; activities separated by " | "; note title and note joined into the note.

Mood labels are names the person chose, not numbers, so nothing is invented: by default each
becomes a tag `mood:LABEL`. A mood map (`good=content,meh=flat`) turns labels into feeling
words instead; labels missing from the map stay tags and are listed.

Each row gets an id derived from its content, so importing the same file twice adds nothing.
Times carry the UTC offset this machine's zone had on that date; one the clocks skipped
that night is moved forward by the gap, and named (`common.wall_time`).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time

from numbtrack import vocab
from numbtrack.errors import InvalidInput
from numbtrack.exchange.common import (
    Checker,
    Namespace,
    Report,
    html_to_text,
    join_note,
    tag,
    uuid5,
    wall_time,
)
from numbtrack.models import Feeling
from numbtrack.value import FACTORY, Mutable
from numbtrack.when import parse_clock

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: reading a file loads no typing module
    from collections.abc import Callable
    from typing import Any, ClassVar

    from numbtrack.exchange.common import Entry

HEADERS = {
    ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"): "new",
    ("full_date", "date", "weekday", "time", "mood", "activities", "note"): "no-title",
    ("year", "date", "weekday", "time", "mood", "activities", "note"): "old",
}

NAMESPACE = Namespace("6f1c1a2e-3b0d-4d6b-9a53-2f1e0c9d7b11")
"""For deterministic ids of imported Daylio rows."""

MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
)}  # fmt: skip


class DaylioResult(Mutable):
    checkins: list[Entry]
    """CheckIns, or packed ones (`read(..., packed=True)`)."""
    unmapped: Counter[str]
    """Mood labels that became tags because --mood-map did not name them."""
    report: Report

    FACTORIES: ClassVar[dict[str, Callable[[], object]]] = {"unmapped": Counter, "report": Report}
    """The defaults made anew for each object (a dataclass's default_factory)."""

    def __init__(
        self, checkins: list[Entry], unmapped: Counter[str] = FACTORY, report: Report = FACTORY
    ) -> None:
        self.checkins = checkins
        self.unmapped = Counter() if unmapped is FACTORY else unmapped
        self.report = Report() if report is FACTORY else report


def looks_like(header: list[str]) -> bool:
    return tuple(h.strip().lower() for h in header) in HEADERS


MOOD_MAP_HINT = (
    "A --mood-map word must be one numbtrack knows (see them with: numbtrack words); a label "
    "left out of the map stays the tag mood:LABEL."
)
"""The end of the refusal of a --mood-map word: `import` has no --new-word to keep one."""


def parse_mood_map(text: str) -> dict[str, str]:
    """ "good=content,meh=flat" -> {"good": "content", "meh": "flat"}, words checked."""
    v = vocab.load()
    mapping: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        label, sep, word = pair.partition("=")
        if not sep or not label.strip() or not word.strip():
            raise InvalidInput(
                f'"{pair}" in --mood-map should look like LABEL=WORD, e.g. meh=flat.'
            )
        mapping[label.strip().lower()] = v.feeling(word.strip(), hint=MOOD_MAP_HINT)
    return mapping


def _old_date(year: str, text: str) -> date:
    """ "18 May" or "May 18" with a separate year column."""
    parts = re.split(r"[\s,]+", text.strip().lower())
    day = next((p for p in parts if p.isdigit()), None)
    month = next((MONTHS.get(p[:3]) for p in parts if p[:3] in MONTHS), None)
    if day is None or month is None or not year.strip().isdigit():
        raise InvalidInput(f'"{year} {text}" is not a date like 2018 and "18 May".')
    try:
        return date(int(year), month, int(day))
    except ValueError:
        raise InvalidInput(f'"{year} {text}" is not a date in the calendar.') from None


def _note(*parts: str) -> str | None:
    return join_note(*(html_to_text(p or "") for p in parts))


def _id_note(*parts: str) -> str:
    """The note as the first versions of this import read it (only <br> became a line break):
    row ids are derived from it, so they stay what they were for files imported back then."""
    cleaned = []
    for part in parts:
        p = re.sub(r"<br\s*/?>", "\n", part or "", flags=re.IGNORECASE).strip()
        if p:
            cleaned.append(p)
    return "\n\n".join(cleaned)


def mood_parts(
    mood: str, mood_map: dict[str, str], unmapped: Counter[str]
) -> tuple[tuple[Feeling, ...], list[str]]:
    """What a Daylio mood label becomes, in the CSV and the backup alike: the mapped feeling
    word, or a tag `mood:LABEL` (counted in `unmapped` when a map was given)."""
    if mood.lower() in mood_map:
        return (Feeling(mood_map[mood.lower()]),), []
    if mood_map:
        unmapped[mood] += 1
    return (), [tag("mood:" + mood)]


def activity_tags(names: Iterable[str], tags: list[str]) -> None:
    """Append each Daylio activity as a tag, once, in order."""
    seen = set(tags)
    for name in names:
        t = tag(name)
        if t and t not in seen:
            seen.add(t)
            tags.append(t)


def read(
    text: str,
    mood_map: dict[str, str] | None = None,
    packed: bool = False,
    out: list[Entry] | None = None,
) -> DaylioResult:
    """The check-ins of a Daylio CSV export (packed with `packed`; appended to `out` when
    given), and how it was mapped."""
    from numbtrack.exchange.common import MAX_CELL, csv_problem

    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read(reader, mood_map, packed, out)
    except csv.Error as exc:
        raise csv_problem(reader.line_num, exc) from None


def _read(
    reader: Any, mood_map: dict[str, str] | None, packed: bool, out: list[Entry] | None
) -> DaylioResult:
    header = [h.strip().lower() for h in next(reader, [])]
    kind = HEADERS.get(tuple(header))
    if kind is None:
        raise InvalidInput("Line 1: this is not a Daylio CSV header.")
    mood_map = mood_map or {}
    result = DaylioResult([] if out is None else out)
    seen: Counter[str] = Counter()
    make = Checker(packed).make
    clocks: dict[str, time] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InvalidInput(f"Line {line}: expected {len(header)} cells, found {len(row)}.")
        cells = dict(zip(header, row, strict=True))
        try:
            if kind == "old":
                day = _old_date(cells["year"], cells["date"])
            else:
                try:
                    day = date.fromisoformat(cells["full_date"].strip())
                except ValueError:
                    raise InvalidInput(
                        f'"{cells["full_date"]}" is not a date like 2024-03-01.'
                    ) from None
            clock = clocks.get(cells["time"])
            if clock is None:
                clock = clocks[cells["time"]] = parse_clock(cells["time"])
            naive = datetime.combine(day, clock)
            at = naive.astimezone()
            gap = 0
            if at.minute != clock.minute or at.hour != clock.hour or at.day != day.day:
                at, gap = wall_time(naive)  # the clocks skipped it: moved forward
            mood = cells["mood"].strip()
            if not mood:
                raise InvalidInput("The mood is empty.")
            feelings, tags = mood_parts(mood, mood_map, result.unmapped)
            result.report.map(
                "Mood labels", mood, f"feeling {feelings[0].word}" if feelings else f"tag {tags[0]}"
            )
            activity_tags(cells["activities"].split("|"), tags)
            note = _note(cells.get("note_title", ""), cells["note"])
        except InvalidInput as exc:
            raise InvalidInput(f"Line {line}: {exc.message}") from None
        id_note = _id_note(cells.get("note_title", ""), cells["note"])
        key = "|".join([day.isoformat(), cells["time"].strip(), mood, cells["activities"], id_note])
        seen[key] += 1
        try:
            checkin = make(
                uuid5(NAMESPACE, f"{key}|{seen[key]}"),
                at,
                feelings,
                tags=tuple(tags),
                note=note,
                key=mood,  # what the feelings come from (the mood map is the same throughout)
            )
        except InvalidInput as exc:
            raise InvalidInput(f"Line {line}: {exc.message}") from None
        result.checkins.append(checkin)
        if gap:
            result.report.moved.append((f"line {line}", gap))
    return result
