"""Reading the times and dates people type: `--at`, `--since`, `--until`, week names.

Accepted forms (documented in docs/cli.md):
  now; ISO dates and times (2026-11-20, 2026-11-20 21:30, 2026-11-20T21:30+01:00);
  relative: -2h, -30m, -1d, "2h ago", "3 days ago";
  a day, optionally with a time: today, yesterday, mon ... sun, "last fri", 2026-11-20;
  a time alone (today): 21:30, 9pm, 9:15am, 9.30pm, noon, midnight, morning, evening.
A day without a time means 12:00. Times are local; the UTC offset is the one in force then.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from numbtrack.errors import InvalidInput

FUTURE_GRACE = timedelta(minutes=1)
"""How far ahead of the clock a check-in may be (clock drift between devices)."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NAMED_TIMES = {
    "noon": time(12),
    "midday": time(12),
    "midnight": time(0),
    "morning": time(9),
    "afternoon": time(15),
    "evening": time(19),
    "night": time(22),
}
UNITS = {"m": 1, "min": 1, "h": 60, "hr": 60, "d": 1440}

_REL = re.compile(
    r"^(?:-\s*)?(\d+)\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?)(?:\s+ago)?$", re.IGNORECASE
)
_TIME = re.compile(
    r"^(\d{1,2})(?:[:.](\d{2})(?::\d{2})?)?\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE
)

HELP = 'Try "now", "-2h", "yesterday 21:30", "mon 9pm" or "2026-11-20 08:00".'


def local_now() -> datetime:
    return datetime.now().astimezone()


def _weekday(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if len(word) < 2:
        return None
    for i, name in enumerate(WEEKDAYS):
        if (name.startswith(word) and len(word) >= 3) or (len(word) == 2 and name[:2] == word):
            return i
    return None


def parse_day(text: str, today: date | None = None) -> date:
    """A local date: ISO, today, yesterday, a weekday (the most recent one), "last mon",
    or a number of days ago ("-3d", "3 days ago")."""
    today = today or local_now().date()
    t = " ".join(text.strip().lower().split())
    if t in ("today", "now"):
        return today
    if t == "yesterday":
        return today - timedelta(days=1)
    m = _REL.match(t)
    if m and m.group(2).lower().startswith("d"):
        return today - timedelta(days=int(m.group(1)))
    last = t.startswith("last ")
    wd = _weekday(t[5:] if last else t)
    if wd is not None:
        back = (today.weekday() - wd) % 7
        if last and back == 0:
            back = 7
        return today - timedelta(days=back)
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise InvalidInput(
            f'"{text}" is not a date numbtrack can read; try 2026-11-20, "yesterday" or "mon".'
        ) from None


def parse_clock(text: str) -> time:
    """A clock time as people and other apps write it: 21:30, 9:30 pm, 9pm, 21:30:05, noon.

    The one parser of clock times: `--at`, the guided check-in and every importer use it.
    """
    found = _parse_time(text)
    if found is None:
        raise InvalidInput(f'"{text}" is not a time like 21:30 or 9:30 pm.')
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
    t = " ".join(text.strip().split())
    moment = _parse_moment(t, now)
    if moment is None:
        raise InvalidInput(f'"{text}" is not a time numbtrack can read. {HELP}')
    if moment.tzinfo is None:
        moment = moment.astimezone()
    if moment > now + FUTURE_GRACE:
        raise InvalidInput(
            f"{moment:%Y-%m-%d %H:%M} is in the future; a check-in records a moment "
            "that has already happened."
        )
    return moment


def _parse_moment(t: str, now: datetime) -> datetime | None:
    low = t.lower()
    if low in ("", "now"):
        return now
    m = _REL.match(low)
    if m:
        unit = m.group(2).lower()
        minutes = UNITS["d" if unit.startswith("d") else "h" if unit.startswith("h") else "m"]
        return now - timedelta(minutes=int(m.group(1)) * minutes)
    try:
        parsed = datetime.fromisoformat(t)
    except ValueError:
        parsed = None
    if parsed is not None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return _midday(parsed.date(), now)
        return parsed
    only_time = _parse_time(low)
    if only_time is not None:
        return datetime.combine(now.date(), only_time)
    # "<day> <time>", where the day may be two words ("last mon") and the time may have a
    # space before am/pm ("9 pm").
    words = low.split(" ")
    for split in range(len(words) - 1, 0, -1):
        day_part, time_part = " ".join(words[:split]), " ".join(words[split:])
        tm = _parse_time(time_part)
        if tm is None:
            continue
        try:
            day = parse_day(day_part, now.date())
        except InvalidInput:
            continue
        return datetime.combine(day, tm)
    try:
        return _midday(parse_day(low, now.date()), now)
    except InvalidInput:
        return None


def _midday(day: date, now: datetime) -> datetime:
    """A day named without a time: 12:00, or now when that is still ahead today."""
    if day == now.date() and now.time() < time(12):
        return now
    return datetime.combine(day, time(12))


def parse_week(text: str, today: date | None = None) -> date:
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
                raise InvalidInput(f'"{text}" is not a week of that year.') from None
        try:
            day = parse_day(t, today)
        except InvalidInput:
            raise InvalidInput(
                f'"{text}" is not a week numbtrack can read; try this, last, 2026-W48 or a date.'
            ) from None
    return day - timedelta(days=day.weekday())
