"""Reading the times and dates people type: `--at`, `--since`, `--until`, week names.

Accepted forms (documented in docs/cli.md):
  now; ISO dates and times (2026-11-20, 2026-11-20 21:30, 2026-11-20T21:30+01:00), also with
  slashes or dots when the year comes first (2026/11/20);
  relative: -2h, -30m, -1d, -1w, "2h ago", "3 days ago", "an hour ago", "2 weeks ago",
  "two hours ago", "a couple of days ago";
  a day, optionally with a time (and an optional "at"): today, yesterday, monday ... sunday,
  "last monday", "20 nov", "nov 23", "fri 20 nov", "23 nov 2025", "november 23, 2025";
  a time alone (today): 21:30, 9pm, 9:15am, 9.30pm, noon, midnight, morning, afternoon,
  evening, night; "this morning", "this afternoon", "this evening", "tonight", "last night",
  "last evening", each also with a time ("last night 11pm", "this morning 8:30"; "last
  night 2am" is the night that just ended); "half an hour ago". A bare "21h" is refused as
  ambiguous (21:00, or 21 hours ago?): "-21h" and "21h ago" are spans.
A day without a time means 12:00. A part of today named in words ("this evening", "tonight")
that is still ahead means now. A date with a month name and no year is the most recent one.
Times are local; the UTC offset is the one in force then.

One rule for ambiguous dates: a date written with slashes or dots and the year last or
missing (11/24, 24/11/2026, 24.11.) is refused with a sentence suggesting 2026-11-24 or
"24 nov". Day-month and month-day orders differ between countries, and a check-in silently
filed on the wrong day is worse than a question.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from numbtrack import lazy
from numbtrack.errors import InvalidInput, shown

FUTURE_GRACE = timedelta(minutes=1)
"""How far ahead of the clock a check-in may be (clock drift between devices)."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
NAMED_TIMES = {
    "noon": time(12),
    "midday": time(12),
    "midnight": time(0),
    "morning": time(9),
    "afternoon": time(15),
    "evening": time(19),
    "night": time(22),
}
PHRASES = {
    "this morning": ("today", "morning"),
    "this afternoon": ("today", "afternoon"),
    "this evening": ("today", "evening"),
    "tonight": ("today", "night"),
    "last night": ("yesterday", "night"),
    "last evening": ("yesterday", "evening"),
}
"""Everyday names for a part of a day: (day, named time)."""

UNITS = {"m": 1, "h": 60, "d": 1440, "w": 10080}

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
    "a couple of": 2, "couple of": 2,
}  # fmt: skip
"""Counts written as words in a span ("two hours ago", "a couple of days ago")."""

_REL = lazy.Pattern(
    r"^(?:-\s*)?(\d{1,9}|"
    + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
    + r")\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)(?:\s+ago)?$",
    re.IGNORECASE,
)
_TIME = lazy.Pattern(
    r"^(\d{1,2})(?:[:.](\d{2})(?::\d{2})?)?\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE
)
_YEAR_FIRST = lazy.Pattern(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_DAY_NUMBER = lazy.Pattern(r"(\d{1,2})(?:st|nd|rd|th)?\.?")
_AMBIGUOUS = lazy.Pattern(r"^\d{1,2}[/.]\d{1,2}(?:[/.](?:\d{2}|\d{4})?)?$")

HELP = 'Try "now", "-2h", "an hour ago", "yesterday 21:30", "mon 9pm" or "2026-11-20 08:00".'


class _Definite(InvalidInput):
    """A refusal that stands even when another reading of the words is tried."""


def local_now() -> datetime:
    return datetime.now().astimezone()


def _clean(text: str) -> str:
    """Lower case, single spaces, no commas, and no "at" between a day and a time."""
    t = " ".join(text.strip().lower().replace(",", " ").split())
    return t.replace(" at ", " ").removeprefix("at ")


def _weekday(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if len(word) < 2:
        return None
    for i, name in enumerate(WEEKDAYS):
        if (name.startswith(word) and len(word) >= 3) or (len(word) == 2 and name[:2] == word):
            return i
    return None


def _month(word: str) -> int | None:
    word = word.rstrip(".")
    if len(word) < 3:
        return None
    for i, name in enumerate(MONTHS, 1):
        if name.startswith(word) or (word == "sept" and i == 9):
            return i
    return None


def _refuse_ambiguous(text: str, t: str, today: date) -> None:
    """Refuse 11/24, 3/4, 24.11.2026: say which dates it could be, spelled unambiguously."""
    if not _AMBIGUOUS.match(t):
        return
    parts = [p for p in re.split(r"[/.]", t) if p]
    a, b = int(parts[0]), int(parts[1])
    year = today.year
    if len(parts) > 2:
        year = int(parts[2]) + (2000 if len(parts[2]) == 2 else 0)
    readings: list[date] = []
    for day, month in ((a, b), (b, a)):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found not in readings:
            readings.append(found)
    if not readings:
        raise _Definite(
            f'"{shown(text)}" is not a date numbtrack can read; try 2026-11-20 or "20 nov".'
        )
    spelled = " or ".join(
        f'{d.isoformat()} ("{d.day} {MONTHS[d.month - 1][:3]}")' for d in readings
    )
    raise _Definite(
        f'"{shown(text)}" could be read as day/month or month/day, so numbtrack does not guess; '
        f"write it as {spelled}."
    )


def _calendar_day(t: str, today: date) -> date | None:
    """ "20 nov", "nov 20", "fri 20 nov", "20 november 2025", "2026/11/20"; None if not."""
    m = _YEAR_FIRST.match(t)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    words = t.split(" ")
    weekday = None
    if len(words) >= 3 and not words[0][0].isdigit():
        weekday = _weekday(words[0])
        if weekday is not None:
            words = words[1:]
    year: int | None = None
    if len(words) == 3 and re.fullmatch(r"\d{4}", words[2]):
        year = int(words[2])
        words = words[:2]
    if len(words) != 2:
        return None
    a, b = words
    number_a, number_b = _DAY_NUMBER.fullmatch(a), _DAY_NUMBER.fullmatch(b)
    if number_a and _month(b):
        day_number, month = int(number_a.group(1)), _month(b)
    elif number_b and _month(a):
        day_number, month = int(number_b.group(1)), _month(a)
    else:
        return None
    assert month is not None
    try:
        found = date(year or today.year, month, day_number)
        if year is None and found > today:
            found = date(today.year - 1, month, day_number)
    except ValueError:
        return None
    if weekday is not None and found.weekday() != weekday:
        raise _Definite(
            f"{found.day} {MONTHS[found.month - 1].capitalize()} {found.year} is a "
            f"{WEEKDAYS[found.weekday()].capitalize()}, not a {WEEKDAYS[weekday].capitalize()}."
        )
    return found


def _relative(m: re.Match[str]) -> timedelta:
    word = m.group(1).lower()
    count = NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)
    unit = m.group(2).lower()
    return timedelta(minutes=count * UNITS[unit[0]])


LAST_YEAR = 9000
"""Dates after this are refused before any arithmetic on them could overflow."""


def _out_of_range(text: str) -> InvalidInput:
    """The one sentence for a date numbtrack cannot keep."""
    return InvalidInput(
        f'numbtrack keeps check-ins from 1900 up to now; "{text[:40]}" is outside that.'
    )


def _in_range(day: date, text: str) -> date:
    if not 1900 <= day.year <= LAST_YEAR:
        raise _out_of_range(text)
    return day


def parse_day(text: str, today: date | None = None) -> date:
    """A local date: ISO, today, yesterday, a weekday (the most recent one), "last mon",
    "20 nov", "nov 20 2025", 2026/11/20, or a time ago ("-3d", "3 days ago", "1 week ago").
    Years 1900 to 9000."""
    try:
        return _in_range(_parse_day(text, today), text)
    except (OverflowError, ValueError):
        raise _out_of_range(text) from None


def _parse_day(text: str, today: date | None = None) -> date:
    today = today or local_now().date()
    if not text.strip():
        raise InvalidInput('A date cannot be empty; try 2026-11-20, "yesterday" or "mon".')
    t = _clean(text)
    if t in ("today", "now"):
        return today
    if t == "yesterday":
        return today - timedelta(days=1)
    m = _REL.match(t)
    if m and m.group(2)[0].lower() in "dw":
        return today - _relative(m)
    last = t.startswith("last ")
    wd = _weekday(t[5:] if last else t)
    if wd is not None:
        back = (today.weekday() - wd) % 7
        if last and back == 0:
            back = 7
        return today - timedelta(days=back)
    found = _calendar_day(t, today)
    if found is not None:
        return found
    _refuse_ambiguous(text.strip(), t, today)
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise InvalidInput(
            f'"{shown(text)}" is not a date numbtrack can read; try 2026-11-20, "yesterday", "mon" '
            'or "20 nov".'
        ) from None


def parse_clock(text: str) -> time:
    """A clock time as people and other apps write it: 21:30, 9:30 pm, 9pm, 21:30:05, noon.

    The one parser of clock times: `--at`, the guided check-in and every importer use it.
    """
    found = _parse_time(text)
    if found is None:
        raise InvalidInput(f'"{shown(text)}" is not a time like 21:30 or 9:30 pm.')
    return found


def _parse_time(text: str) -> time | None:
    t = text.strip().lower()
    if t in NAMED_TIMES:
        return NAMED_TIMES[t]
    m = _TIME.match(t)
    if not m:
        return None
    hour, minute, ampm = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    elif m.group(2) is None:
        return None  # a bare number is too ambiguous to be a time
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """An aware local datetime for a typed moment; refuses times in the future."""
    now = now or local_now()
    if not text.strip():
        raise InvalidInput(f"A time cannot be empty. {HELP}")
    t = " ".join(text.strip().split())
    try:
        moment = _parse_moment(t, now)
        if moment is not None and moment.tzinfo is None:
            _refuse_gap(moment)
            moment = moment.astimezone()
        if moment is not None and moment.astimezone(UTC).year < 1900:
            raise OverflowError
    except (OverflowError, ValueError):
        raise _out_of_range(text) from None
    if moment is None:
        _refuse_ambiguous(t, _clean(t).split(" ")[0], now.date())
        raise InvalidInput(f'"{shown(text)}" is not a time numbtrack can read. {HELP}')
    if moment > now + FUTURE_GRACE:
        raise InvalidInput(
            f"{moment:%Y-%m-%d %H:%M} is in the future; a check-in records a moment "
            "that has already happened."
        )
    return moment


def _refuse_gap(naive: datetime) -> None:
    """A local time skipped when the clocks went forward (a DST gap) never happened: refuse
    it and suggest the times either side, instead of silently moving it."""
    back = naive.astimezone().replace(tzinfo=None)
    if back == naive:
        return
    before = (naive - timedelta(hours=3)).astimezone().utcoffset()
    after = (naive + timedelta(hours=3)).astimezone().utcoffset()
    gap = (after - before) if before is not None and after is not None else timedelta(hours=1)
    gap = gap if gap > timedelta(0) else timedelta(hours=1)
    raise InvalidInput(
        f"{naive:%Y-%m-%d %H:%M} did not happen here: the clocks went forward that night; "
        f"try {naive - gap:%H:%M} or {naive + gap:%H:%M}."
    )


def _refuse_clock_like(low: str, m: re.Match[str]) -> None:
    """A bare "21h" is a clock time in much of the world (21:00) and a span to others (21
    hours ago): a check-in silently filed 21 hours early is worse than a question."""
    count = m.group(1)
    bare = not low.startswith("-") and not low.endswith("ago")
    if bare and m.group(2) == "h" and count.isdigit() and int(count) <= 23:
        raise InvalidInput(
            f'"{low}" could be {int(count):02d}:00 or {int(count)} hours ago; write'
            f" {int(count)}:00 or -{int(count)}h."
        )


def _parse_moment(t: str, now: datetime) -> datetime | None:
    low = _clean(t)
    if low in ("now", "just now", "right now"):
        return now
    if low in ("half an hour ago", "half an hour"):
        return now - timedelta(minutes=30)
    m = _REL.match(low)
    if m:
        _refuse_clock_like(low, m)
        return now - _relative(m)
    try:
        parsed = datetime.fromisoformat(t)
    except ValueError:
        parsed = None
    if parsed is not None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return _midday(parsed.date(), now)
        return parsed
    if low in PHRASES:
        day_word, part = PHRASES[low]
        return _named(parse_day(day_word, now.date()), part, now)
    if low in NAMED_TIMES:
        return _named(now.date(), low, now)
    only_time = _parse_time(low)
    if only_time is not None:
        return datetime.combine(now.date(), only_time)
    # "<day> <time>", where the day may be several words ("last mon", "fri 20 nov") and the
    # time may have a space before am/pm ("9 pm").
    words = low.split(" ")
    for split in range(len(words) - 1, 0, -1):
        day_part, time_part = " ".join(words[:split]), " ".join(words[split:])
        tm = _parse_time(time_part)
        if tm is None:
            continue
        if day_part in PHRASES:  # "last night 11pm", "this morning 8:30"
            day = parse_day(PHRASES[day_part][0], now.date())
            if day_part == "last night" and tm < time(12):
                day += timedelta(days=1)  # "last night 2am": the night that just ended
            return datetime.combine(day, tm)
        try:
            day = parse_day(day_part, now.date())
        except _Definite:
            raise
        except InvalidInput:
            continue
        if time_part in NAMED_TIMES:
            return _named(day, time_part, now)
        return datetime.combine(day, tm)
    try:
        return _midday(parse_day(low, now.date()), now)
    except _Definite:
        raise
    except InvalidInput:
        return None


def _named(day: date, part: str, now: datetime) -> datetime:
    """A part of a day named in words: its usual hour, or now when that is still ahead today."""
    moment = datetime.combine(day, NAMED_TIMES[part])
    if day == now.date() and moment.astimezone() > now:
        return now
    return moment


def _midday(day: date, now: datetime) -> datetime:
    """A day named without a time: 12:00, or now when that is still ahead today."""
    if day == now.date() and now.time() < time(12):
        return now
    return datetime.combine(day, time(12))


def parse_week(text: str, today: date | None = None) -> date:
    """The Monday of a week named as this, last, 2026-W48, or any day inside it."""
    try:
        return _in_range(_parse_week(text, today), text)
    except (OverflowError, ValueError):
        raise _out_of_range(text) from None


def _parse_week(text: str, today: date | None = None) -> date:
    """The Monday of a week named as this, last, 2026-W48, or any day inside it."""
    today = today or local_now().date()
    t = text.strip().lower()
    if t in ("this", "this-week", "current"):
        day = today
    elif t in ("last", "last-week", "previous"):
        day = today - timedelta(days=7)
    else:
        m = re.fullmatch(r"(\d{4})-?w(\d{1,2})", t)
        if m:
            try:
                return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            except ValueError:
                raise InvalidInput(f'"{shown(text)}" is not a week of that year.') from None
        try:
            day = parse_day(t, today)
        except InvalidInput:
            raise InvalidInput(
                f'"{shown(text)}" is not a week numbtrack can read; try this, last, 2026-W48 or'
                " a date."
            ) from None
    return day - timedelta(days=day.weekday())
