"""Bearable's export (`bearable-export.csv`): long format, one row per item.

Headers: `date,weekday,time of day,category,rating/amount,detail,notes` (7 columns, older) or
with `date formatted` (`YYYY-MM-DD`) after `date` (8 columns); found by name.

All the items of one moment (one date and time of day) become one check-in. A time of day is
a clock time (`09:53`, `3:04`) or a slot, which becomes the middle of its span:

| slot | span | clock time |
|---|---|---|
| `pre` | 00:00-06:00 | 03:00 |
| `am` | 06:00-12:00 | 09:00 |
| `mid` | 12:00-18:00 | 15:00 |
| `pm` | 18:00-24:00 | 21:00 |
| `all day`, or empty (sleep rows) | the day | 12:00 |

What each category becomes (docs/formats.md has the full table):
- `Mood`: the rating -> tag `mood:N`; detail words (`Anxious | Hopeful`) -> feeling words
  (numbtrack's word, or the person's own word, named in the report);
- `Energy`, `Sleep quality` -> tags `energy:N`, `sleep-quality:N` (or the detail word);
- `Sleep`: `H:MM` -> sleep_hours; the detail (asleep and in-bed times) -> the note;
- `Symptom` (`Headache (Mild)`): a body sensation where the region and kind are clear
  (`head:ache`, intensity = Bearable's severity number, Mild 1 ... Unbearable 4), else a tag
  `NAME:SEVERITY` (`stress:mild`);
- `Meds/Supplements` (`Sertraline (mg)`, amount 50) -> tag `med:sertraline` and a note line
  `Sertraline 50 mg`;
- `Gratitudes` -> a note line `Grateful for: ...`;
- factors (`Factors`, or group categories like `Active`, `Social`: `👣 Walk - Moderate |
  🤒 Sick`) -> a practice where one fits (walk -> movement, music, journaling -> expression,
  nature), else a tag (`sick`, `screen-time:high` for `Screen time - High`);
- any other category -> a note line `Category: amount detail`;
- `notes` of any row -> the note.

Ids are UUIDv5 of the moment (date and clock time), so importing twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from operator import itemgetter

from numbtrack import vocab
from numbtrack.errors import InvalidInput
from numbtrack.exchange.common import (
    MAX_CELL,
    Checker,
    Namespace,
    Report,
    at_entry,
    csv_problem,
    emotion_words,
    hours,
    join_note,
    noted,
    tag,
    uuid5,
    wall_time,
)
from numbtrack.exchange.daylio import MONTHS
from numbtrack.models import Feeling, Sensation, whole_number
from numbtrack.value import FACTORY, Frozen, Mutable, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: reading a file loads no typing module
    from collections.abc import Callable
    from typing import Any, ClassVar

    from numbtrack.exchange.common import Entry

NAMESPACE = Namespace("a2c4e6f8-1b3d-4f5a-8c7e-9d0b2f4a6c81")
"""For deterministic ids of imported Bearable moments."""

REQUIRED = ("date", "time of day", "category", "rating/amount", "detail")

SLOTS = {
    "pre": time(3, 0),
    "am": time(9, 0),
    "mid": time(15, 0),
    "pm": time(21, 0),
    "all day": time(12, 0),
    "": time(12, 0),
}
"""Bearable's time-of-day slots -> the clock time they become (the middle of the span)."""

SEVERITIES = {"mild": 1, "moderate": 2, "severe": 3, "unbearable": 4}
"""Bearable's symptom severities, with the number Bearable itself gives them."""

SYMPTOMS = {
    "headache": ("head", "ache"),
    "migraine": ("head", "throbbing"),
    "nausea": ("stomach", "nauseous"),
    "nauseous": ("stomach", "nauseous"),
    "heartburn": ("chest", "burning"),
    "sore throat": ("throat", "sore"),
    "bloating": ("stomach", "full"),
    "stomach ache": ("stomach", "ache"),
    "stomachache": ("stomach", "ache"),
    "palpitations": ("chest", "racing"),
    "racing heart": ("chest", "racing"),
    "shortness of breath": ("chest", "shallow"),
    "chest tightness": ("chest", "tight"),
}
"""Symptom names whose body region and kind are clear without a region word in them."""

KINDS = {
    "pain": "ache", "ache": "ache", "aches": "ache", "aching": "ache", "cramp": "ache",
    "cramps": "ache", "sore": "sore", "soreness": "sore", "tension": "tense", "tense": "tense",
    "tight": "tight", "tightness": "tight", "burning": "burning", "itch": "itchy",
    "itchy": "itchy", "itching": "itchy", "numb": "numb", "numbness": "numb",
    "tingling": "tingling", "throbbing": "throbbing", "pressure": "pressure",
}  # fmt: skip
"""Words in a symptom name that say what kind of sensation it is."""

PRACTICES = {
    "walk": "movement", "walking": "movement", "exercise": "movement", "yoga": "movement",
    "stretching": "movement", "stretch": "movement", "dance": "movement", "dancing": "movement",
    "run": "movement", "running": "movement", "swimming": "movement", "gym": "movement",
    "workout": "movement", "hike": "movement", "hiking": "movement", "cycling": "movement",
    "sport": "movement", "music": "music", "journaling": "expression", "journal": "expression",
    "writing": "expression", "drawing": "expression", "art": "expression",
    "painting": "expression", "nature": "nature", "outdoors": "nature", "outside": "nature",
    "gardening": "nature", "garden": "nature",
}  # fmt: skip
"""Bearable factors that are something done on purpose, and the practice each one is."""

KNOWN = {"mood", "energy", "sleep", "sleep quality", "symptom", "meds/supplements", "gratitudes"}

_ORDINAL = re.compile(r"\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\s*")
_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*")
_SYMPTOM = re.compile(r"(.*?)\s*\(\s*([A-Za-z ]+?)\s*\)\s*")
_LEADING = re.compile(r"^[^\w(]+")


def looks_like(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return set(REQUIRED) <= names


class _Moment(Mutable):
    line: int
    at: datetime
    feelings: list[Feeling]
    sensations: list[Sensation]
    practices: list[str]
    tags: list[str]
    sleep: float | None = None
    lines: list[str]

    FACTORIES: ClassVar[dict[str, Callable[[], object]]] = {
        "feelings": list,
        "sensations": list,
        "practices": list,
        "tags": list,
        "lines": list,
    }
    """The defaults made anew for each object (a dataclass's default_factory)."""

    def __init__(
        self,
        line: int,
        at: datetime,
        feelings: list[Feeling] = FACTORY,
        sensations: list[Sensation] = FACTORY,
        practices: list[str] = FACTORY,
        tags: list[str] = FACTORY,
        sleep: float | None = None,
        lines: list[str] = FACTORY,
    ) -> None:
        self.line = line
        self.at = at
        self.feelings = [] if feelings is FACTORY else feelings
        self.sensations = [] if sensations is FACTORY else sensations
        self.practices = [] if practices is FACTORY else practices
        self.tags = [] if tags is FACTORY else tags
        self.sleep = sleep
        self.lines = [] if lines is FACTORY else lines


_DAYS: dict[str, date] = {}


def parse_day(text: str, formatted: str = "") -> date:
    """ "22nd Sep 2020" (or the `date formatted` cell, 2020-09-22, when there is one)."""
    key = formatted or text
    found = _DAYS.get(key)
    if found is not None:
        return found
    day: date | None = None
    if formatted.strip():
        try:
            day = date.fromisoformat(formatted.strip())
        except ValueError:
            raise InvalidInput(
                f'"{formatted.strip()[:40]}" is not a date like 2020-09-22.'
            ) from None
    else:
        m = _ORDINAL.fullmatch(text)
        month = MONTHS.get(m.group(2)[:3].lower()) if m else None
        if m and month:
            try:
                day = date(int(m.group(3)), month, int(m.group(1)))
            except ValueError:
                day = None
        if day is None:
            raise InvalidInput(f'"{text.strip()[:40]}" is not a date like 22nd Sep 2020.')
    _DAYS[key] = day
    return day


_TIMES: dict[str, time] = {}


def parse_time(text: str) -> time:
    found = _TIMES.get(text)
    if found is not None:
        return found
    slot = " ".join(text.lower().split())
    if slot in SLOTS:
        found = SLOTS[slot]
    else:
        m = _CLOCK.fullmatch(text)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise InvalidInput(
                f'"{text.strip()[:40]}" is not a time of day (a clock time, pre, am, mid, pm '
                "or all day)."
            )
        found = time(int(m.group(1)), int(m.group(2)))
    _TIMES[text] = found
    return found


def sleep_hours(text: str) -> float | None:
    """ "7:45" -> 7.75; a plain number of hours, or "7h 45m", is accepted too (`hours`)."""
    return hours(text, "Sleep")


_SYMPTOM_CACHE: dict[str, tuple[str, str] | None] = {}


def body_part(name: str) -> tuple[str, str] | None:
    """(region, quality) for a symptom name when both are clear, else None."""
    key = name.strip().lower()
    if key in _SYMPTOM_CACHE:
        return _SYMPTOM_CACHE[key]
    v = vocab.load()
    found = SYMPTOMS.get(key)
    if found is None:
        tokens = re.findall(r"[a-z]+", key)
        region = next((r for t in tokens if (r := v.region_index.get(t))), None)
        kind = next((KINDS[t] for t in tokens if t in KINDS), None)
        found = (region, kind) if region and kind else None
    if found is not None and (
        v.region_index.get(found[0]) is None or v.quality_index.get(found[1]) is None
    ):
        found = None
    _SYMPTOM_CACHE[key] = found
    return found


def _symptom(detail: str, rating: str, m: _Moment, report: Report) -> None:
    match = _SYMPTOM.fullmatch(detail)
    name, severity = (match.group(1), match.group(2).lower()) if match else (detail.strip(), "")
    level = SEVERITIES.get(severity)
    if severity == "none":  # recorded as not there: a tag says so, a sensation would not
        t = tag(name)
        if t:
            m.tags.append(f"{t}:none")
            report.map("Symptoms", detail.strip(), f"tag {t}:none")
        return
    if level is None and severity:
        name, severity = detail.strip(), ""  # "Back (lower) pain": the brackets were a part
    if level is None and (rated := whole_number(rating.strip())) is not None and 1 <= rated <= 5:
        level = rated
    part = body_part(name)
    if part is not None:
        region, quality = part
        m.sensations.append(Sensation(region, quality, level))
        became = f"{region}:{quality}" + (f":{level}" if level else "")
    else:
        t = tag(name)
        if not t:
            report.not_kept["symptoms with no letters"] += 1
            return
        t = f"{t}:{severity}" if severity else t
        m.tags.append(t)
        became = f"tag {t}"
    report.map("Symptoms", detail.strip(), became)


def _factors(category: str, detail: str, m: _Moment, report: Report) -> None:
    for item in detail.split("|"):
        text = _LEADING.sub("", item.strip())
        if not text:
            if item.strip():
                report.not_kept["factors with no letters (an emoji alone)"] += 1
            continue
        name, _, level = text.rpartition(" - ") if " - " in text else (text, "", "")
        practice = PRACTICES.get(vocab.spell(name))
        if practice is not None:
            if practice not in m.practices:
                m.practices.append(practice)
            report.map("Factors", text, f"practice {practice}")
            continue
        t = tag(name)
        if not t:
            report.not_kept["factors with no letters"] += 1
            continue
        lv = tag(level)
        t = f"{t}:{lv}" if lv else t
        if t not in m.tags:
            m.tags.append(t)


def _item(category: str, rating: str, detail: str, m: _Moment, report: Report) -> None:
    if category == "mood":
        if rating.strip():
            m.tags.append(f"mood:{tag(rating)}")
            report.map("Ratings", "Mood N", "tag mood:N")
        if detail:
            m.feelings.extend(emotion_words(detail, "|", report, m.tags))
    elif category in ("energy", "sleep quality"):
        value = tag(detail) or tag(rating)
        if value:
            m.tags.append(f"{tag(category)}:{value}")
            report.map("Ratings", f"{category.capitalize()} N", f"tag {tag(category)}:N")
    elif category == "sleep":
        m.sleep = sleep_hours(rating)
        if detail.strip():
            m.lines.append(f"Sleep: {detail.strip()}")
    elif category == "symptom":
        _symptom(detail, rating, m, report)
    elif category == "meds/supplements":
        match = _SYMPTOM.fullmatch(detail)
        name, unit = (match.group(1), match.group(2)) if match else (detail.strip(), "")
        t = tag(name)
        if t:
            m.tags.append(f"med:{t}")
            report.map("Meds and supplements", "NAME (unit), amount", "tag med:NAME, note line")
        m.lines.append(" ".join(p for p in (name.strip(), rating.strip(), unit) if p))
    elif category == "gratitudes":
        if detail.strip():
            m.lines.append(f"Grateful for: {detail.strip()}")
    elif detail.strip() and not rating.strip():
        _factors(category, detail, m, report)
    else:
        shown = " ".join(p for p in (rating.strip(), detail.strip()) if p)
        if shown:
            m.lines.append(f"{category.capitalize()}: {shown}")
            report.map("Other categories", category.capitalize(), "kept in the note")


_ROWS = ("mood", "energy", "sleep quality", "sleep", "symptom", "meds/supplements", "gratitudes")
"""Categories `_item` reads a way of their own (others with only a detail are factors)."""

_NO_SLEEP = object()


class _Effects(Frozen):
    """What one row does to its moment and to the report (what `_item` does), recorded once
    for each distinct category, rating and detail, and done again for every row like it."""

    feelings: tuple[Feeling, ...]
    sensations: tuple[Sensation, ...]
    practices: tuple[str, ...]
    tags: tuple[str, ...]
    factors: bool
    """Tags and practices go in only when the moment does not have them yet (`_factors`)."""
    lines: tuple[str, ...]
    sleep: object
    """The moment's sleep from now on, or _NO_SLEEP: left as it is."""
    mapped: tuple[tuple[str, str, str, int], ...]
    own_words: tuple[tuple[str, int], ...]
    not_kept: tuple[tuple[str, int], ...]

    def __init__(
        self,
        feelings: tuple[Feeling, ...],
        sensations: tuple[Sensation, ...],
        practices: tuple[str, ...],
        tags: tuple[str, ...],
        factors: bool,
        lines: tuple[str, ...],
        sleep: object,
        mapped: tuple[tuple[str, str, str, int], ...],
        own_words: tuple[tuple[str, int], ...],
        not_kept: tuple[tuple[str, int], ...],
    ) -> None:
        set_field(self, "feelings", feelings)
        set_field(self, "sensations", sensations)
        set_field(self, "practices", practices)
        set_field(self, "tags", tags)
        set_field(self, "factors", factors)
        set_field(self, "lines", lines)
        set_field(self, "sleep", sleep)
        set_field(self, "mapped", mapped)
        set_field(self, "own_words", own_words)
        set_field(self, "not_kept", not_kept)

    def apply(self, m: _Moment) -> None:
        """Do to `m` what the row did."""
        if self.feelings:
            m.feelings.extend(self.feelings)
        if self.sensations:
            m.sensations.extend(self.sensations)
        if self.factors:
            for p in self.practices:
                if p not in m.practices:
                    m.practices.append(p)
            for t in self.tags:
                if t not in m.tags:
                    m.tags.append(t)
        elif self.tags:
            m.tags.extend(self.tags)
        if self.lines:
            m.lines.extend(self.lines)
        if self.sleep is not _NO_SLEEP:
            m.sleep = self.sleep  # type: ignore[assignment]

    def tell(self, report: Report, n: int) -> None:
        """Say in the report what `n` rows like this one became."""
        for section, source, became, k in self.mapped:
            report.map(section, source, became, k * n)
        for word, k in self.own_words:
            report.own_words[word] += k * n
        for what, k in self.not_kept:
            report.not_kept[what] += k * n


_ANY_MOMENT = datetime(2000, 1, 1)


def _effects(category: str, rating: str, detail: str) -> _Effects:
    """What `_item` does for this row, worked out on an empty moment and report."""
    m = _Moment(0, _ANY_MOMENT)
    r = Report()
    _item(category, rating, detail, m, r)
    factors = category not in _ROWS and bool(detail.strip()) and not rating.strip()
    return _Effects(
        tuple(m.feelings),
        tuple(m.sensations),
        tuple(m.practices),
        tuple(m.tags),
        factors,
        tuple(m.lines),
        m.sleep if category == "sleep" else _NO_SLEEP,
        tuple(
            (section, source, became, n)
            for section, items in r.mapped.items()
            for (source, became), n in items.items()
        ),
        tuple(r.own_words.items()),
        tuple(r.not_kept.items()),
    )


def _compose(check: Checker, table: list[_Effects], added: list[Any]) -> tuple[Any, ...]:
    """What a moment's rows make of it (each row's effects done in turn, as `_item` would):
    its parts prepared (`Checker.prepare`), its sleep and its note."""
    m = _Moment(0, _ANY_MOMENT)
    for item in added:
        if type(item) is int:
            table[item].apply(m)
        else:
            m.lines.append(item)
    prepared = check.prepare(
        tuple(m.feelings), tuple(m.sensations), tuple(m.practices), tuple(m.tags)
    )
    return (prepared, m.sleep, join_note("\n".join(m.lines)) if m.lines else None)


def read(
    text: str, packed: bool = False, out: list[Entry] | None = None
) -> tuple[list[Entry], Report]:
    """The check-ins of a Bearable export (packed with `packed`; appended to `out` when
    given), and how it was mapped."""
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""))
    report = Report()
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise csv_problem(1, exc) from None
    if not looks_like(header):
        raise InvalidInput(
            "Line 1: this is not a Bearable header (date, time of day, category, "
            "rating/amount, detail, notes)."
        )
    col = {name: i for i, name in reversed(list(enumerate(header)))}
    i_date, i_time, i_cat = col["date"], col["time of day"], col["category"]
    i_amount, i_detail = col["rating/amount"], col["detail"]
    i_fmt, i_notes = col.get("date formatted"), col.get("notes")
    width = len(header)
    # Each row is read as what it adds to its moment: one of the distinct rows' effects (by
    # the cells they come from), or a note. A moment's check-in is made at the end from the
    # list of what was added to it, once for each distinct list (a history repeats them).
    moments: dict[tuple[date, time], list[Any]] = {}
    """(day, clock) -> [the line it was first met on, its time, what its rows added, how far
    its time was moved forward out of a gap (`wall_time`: 0 for most)]."""
    at_cells: dict[tuple[str, ...], list[Any]] = {}
    """The date (and date formatted) and time of day cells -> the moment they name."""
    # Each distinct row's effects, and how many rows like it there are: the report hears of
    # them at the end, in the order first met (the order it would have heard of each row).
    effects: dict[tuple[str, str, str], list[Any]] = {}
    by_cells: dict[tuple[str, str, str], list[Any]] = {}
    """The category, rating and detail cells as written -> their entry in `effects`."""
    table: list[_Effects] = []
    when_of = itemgetter(i_date, i_time) if i_fmt is None else itemgetter(i_date, i_fmt, i_time)
    what_of = itemgetter(i_cat, i_amount, i_detail)
    line = 1
    try:
        for row in reader:
            if len(row) != width:
                line = reader.line_num
                if not any(c.strip() for c in row):
                    continue
                raise InvalidInput(f"Line {line}: expected {width} cells, found {len(row)}.")
            m = at_cells.get(when := when_of(row))
            if m is None:
                line = reader.line_num
                try:
                    day = parse_day(row[i_date], row[i_fmt] if i_fmt is not None else "")
                    clock = parse_time(row[i_time])
                except InvalidInput as exc:
                    raise at_entry(f"Line {line}", exc) from None
                m = moments.get((day, clock))
                if m is None:
                    at, gap = wall_time(datetime.combine(day, clock))
                    m = moments[(day, clock)] = [line, at, [], gap]
                at_cells[when] = m
            seen = by_cells.get(what := what_of(row))
            if seen is None:
                line = reader.line_num
                raw, amount, detail = what
                norm = (" ".join(raw.lower().split()), amount, detail)
                seen = effects.get(norm)
                if seen is None:
                    try:
                        done = _effects(*norm)
                    except InvalidInput as exc:
                        raise at_entry(f"Line {line}", exc) from None
                    seen = effects[norm] = [done, 0, len(table)]
                    table.append(done)
                by_cells[what] = seen
            seen[1] += 1
            m[2].append(seen[2])
            if i_notes is not None and (note := row[i_notes]) and note.strip():
                m[2].append(note.strip())
    except csv.Error as exc:
        raise csv_problem(reader.line_num or line, exc) from None
    for done, n, _ in effects.values():
        done.tell(report, n)
    if out is None:
        out = []
    check = Checker(packed)
    made = check.made
    clocks: dict[time, str] = {}
    composed: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for (day, clock), (first, at, added, gap) in moments.items():
        hhmm = clocks.get(clock)
        if hhmm is None:
            hhmm = clocks[clock] = f"{clock:%H:%M}"
        found = composed.get(key := tuple(added))
        if found is None:
            found = _compose(check, table, added)
            if len(composed) < 50_000:
                composed[key] = found
        try:
            checkin = made(found[0], uuid5(NAMESPACE, f"{day.isoformat()}|{hhmm}"), at, *found[1:])
        except InvalidInput as exc:
            raise at_entry(f"Line {first} ({day:%d %b %Y} {hhmm})", exc) from None
        if noted(checkin):
            out.append(checkin)
            if gap:
                report.moved.append((f"line {first}", gap))
    return out, report
