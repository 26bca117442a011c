"""Plain-text descriptions of check-ins, for quiet output and for pipes (no Rich needed)."""

from __future__ import annotations

from datetime import date, datetime

from numbtrack.models import CheckIn


def plural(n: int, noun: str) -> str:
    """ "1 check-in", "3 check-ins", "1,234 check-ins": the one helper for counted nouns."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def days_ago(day: date, today: date) -> str:
    """ "today", "yesterday" or "N days ago": the one phrasing of a day relative to today."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return plural(days, "day") + " ago"


def moment(at: datetime, now: datetime | None = None) -> str:
    """A time as the app prints dates: "Wed 02 Dec 21:30" (the year when not this one)."""
    now = now or datetime.now().astimezone()
    if at.year == now.year:
        return f"{at:%a %d %b %H:%M}"
    return f"{at:%a %d %b %Y %H:%M}"


def when(at: datetime, now: datetime | None = None) -> str:
    """Like `moment`, but "today 21:30" or "yesterday 21:30" for the last two days."""
    now = now or datetime.now().astimezone()
    if 0 <= (now.date() - at.date()).days <= 1:
        return f"{days_ago(at.date(), now.date())} {at:%H:%M}"
    return moment(at, now)


def parts(c: CheckIn) -> list[str]:
    """What was recorded, in short phrases."""
    out: list[str] = []
    if c.feelings:
        out.append(", ".join(f.spec() for f in c.feelings))
    if c.can_feel is not None:
        out.append(f"can feel {c.can_feel}/10")
    if c.sensations:
        out.append(", ".join(s.spec() for s in c.sensations))
    if c.practices:
        out.append("did " + ", ".join(c.practices))
    if c.tags:
        out.append(" ".join(f"#{t}" for t in c.tags))
    if c.sleep_hours is not None:
        out.append(f"slept {c.sleep_hours:g}h")
    return out


def one_line(c: CheckIn, *, now: datetime | None = None, note_chars: int = 40) -> str:
    bits = [c.short_id, when(c.at, now), *parts(c)]
    if not c.feelings and not c.sensations and c.state:
        bits.append(c.state)
    if c.note and note_chars:
        first = " ".join(c.note.split())
        bits.append(
            '"' + (first if len(first) <= note_chars else first[: note_chars - 1] + "…") + '"'
        )
    return "  ".join(bits)


def detail(c: CheckIn) -> str:
    """Every field, one per line, as `numbtrack show` prints it."""
    lines = [
        f"id          {c.id}",
        f"when        {c.at:%A %d %B %Y, %H:%M} (UTC{c.at:%z})",
        f"state       {c.state}",
    ]
    if c.can_feel is not None:
        lines.append(f"can feel    {c.can_feel}/10")
    if c.feelings:
        lines.append(
            "feelings    "
            + ", ".join(f.spec() + (" (your word)" if f.custom else "") for f in c.feelings)
        )
    for i, s in enumerate(c.sensations):
        lines.append(("body        " if i == 0 else "            ") + s.spec())
    if c.practices:
        lines.append("practices   " + ", ".join(c.practices))
    for i, t in enumerate(c.typed):
        lines.append(("as typed    " if i == 0 else "            ") + t.line())
    if c.tags:
        lines.append("tags        " + ", ".join(c.tags))
    if c.sleep_hours is not None:
        lines.append(f"sleep       {c.sleep_hours:g} hours")
    if c.note:
        lines.append("note        " + c.note.replace("\n", "\n            "))
    return "\n".join(lines)
