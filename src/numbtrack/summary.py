"""Descriptive metrics over check-ins: pure functions returning dataclasses, no Rich inside.

Every number here can be explained in one sentence (docs/metrics.md). Nothing is scored
against a cut-off, nothing predicts, and co-occurrence is labelled as such, never as cause.
The renderables in `render` draw these (the dataclasses know nothing of Rich); the CLI and
the dashboard both load them with `load_week` and `load_report`.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from numbtrack import vocab
from numbtrack.models import CheckIn
from numbtrack.text import plural

if TYPE_CHECKING:
    from numbtrack.store import Store

MIN_FOR_WORD_RANGE = 5
"""Word range says little about fewer check-ins than this, so it is hidden below it."""

MIN_FOR_CONTEXT = 3
"""A with/without comparison is shown only when both sides have at least this many."""


@dataclass(frozen=True)
class Day:
    day: date
    checkins: int
    can_feel: tuple[int, ...]
    numb: int = 0

    @property
    def median(self) -> float | None:
        return statistics.median(self.can_feel) if self.can_feel else None


@dataclass(frozen=True)
class WordRange:
    distinct: int
    effective: float
    """exp(H), H the Shannon entropy (natural log) of the word counts."""
    specific_share: float
    mentions: int


@dataclass(frozen=True)
class ContextRow:
    name: str
    kind: str  # "tag" or "practice"
    with_n: int
    with_median: float
    without_n: int
    without_median: float


@dataclass(frozen=True)
class NumbStretches:
    longest: int
    """The most numb check-ins in a row (by time)."""
    longest_from: datetime | None
    longest_to: datetime | None
    last_non_numb: datetime | None
    """When a word outside the numb cluster was last named, if ever."""
    last_non_numb_word: str | None


@dataclass(frozen=True)
class Summary:
    start: date
    end: date
    checkins: int
    days: tuple[Day, ...]
    can_feel: tuple[int, ...]
    states: dict[str, int]
    words: Counter[str]
    body_pairs: Counter[str]
    regions: Counter[str]
    region_more: Counter[str]
    region_less: Counter[str]
    with_sensation: int
    practices: Counter[str]
    tags: Counter[str]
    word_range: WordRange | None
    valence_mean: float | None
    arousal_mean: float | None
    circumplex_n: int
    left_out: int
    """Word mentions with no valence or arousal (the numb cluster, your own words)."""
    quadrants: dict[str, int]
    context: tuple[ContextRow, ...]
    stretches: NumbStretches
    notes: tuple[tuple[datetime, str], ...] = field(default_factory=tuple)

    @property
    def days_with_checkins(self) -> int:
        return sum(1 for d in self.days if d.checkins)

    @property
    def numb(self) -> int:
        return self.states.get("numb", 0)

    @property
    def numb_share(self) -> float | None:
        return self.numb / self.checkins if self.checkins else None

    @property
    def can_feel_median(self) -> float | None:
        return statistics.median(self.can_feel) if self.can_feel else None

    @property
    def can_feel_range(self) -> tuple[int, int] | None:
        return (min(self.can_feel), max(self.can_feel)) if self.can_feel else None

    @property
    def distinct_words(self) -> int:
        return len(self.words)

    @property
    def empty(self) -> bool:
        return self.checkins == 0


def entropy(counts: Iterable[int]) -> float:
    """Shannon entropy in nats of a distribution given by counts (zeros ignored)."""
    values = [c for c in counts if c > 0]
    total = sum(values)
    if not total:
        return 0.0
    return -sum(c / total * math.log(c / total) for c in values)


def word_range(words: Counter[str]) -> WordRange:
    v = vocab.load()
    mentions = sum(words.values())
    specific = sum(n for w, n in words.items() if w not in v.words or v.words[w].specific)
    return WordRange(
        distinct=len(words),
        effective=math.exp(entropy(words.values())),
        specific_share=specific / mentions if mentions else 0.0,
        mentions=mentions,
    )


def context_rows(checkins: Sequence[CheckIn], minimum: int = MIN_FOR_CONTEXT) -> list[ContextRow]:
    """Median can-feel with and without each tag and practice, where both sides are big enough."""
    rated = [c for c in checkins if c.can_feel is not None]
    names: set[tuple[str, str]] = set()
    for c in rated:
        names.update(("tag", t) for t in c.tags)
        names.update(("practice", p) for p in c.practices)
    rows = []
    for kind, name in sorted(names, key=lambda k: (k[0] != "practice", k[1])):
        has: list[int] = []
        hasnt: list[int] = []
        for c in rated:
            assert c.can_feel is not None
            (has if name in (c.tags if kind == "tag" else c.practices) else hasnt).append(
                c.can_feel
            )
        if len(has) < minimum or len(hasnt) < minimum:
            continue
        rows.append(
            ContextRow(
                name, kind, len(has), statistics.median(has), len(hasnt), statistics.median(hasnt)
            )
        )
    return rows


def numb_stretches(
    checkins: Sequence[CheckIn], last_non_numb: tuple[datetime, str] | None = None
) -> NumbStretches:
    """The longest run of numb check-ins in time order, and when a non-numb word was last named.

    `last_non_numb` is the newest non-numb word from before these check-ins, if any, so the
    "since" figure is right even when the period itself holds none.
    """
    v = vocab.load()
    ordered = sorted(checkins, key=lambda c: c.at.timestamp())
    longest = run = 0
    run_from: datetime | None = None
    best: tuple[datetime | None, datetime | None] = (None, None)
    last = last_non_numb
    for c in ordered:
        if c.state == "numb":
            if run == 0:
                run_from = c.at
            run += 1
            if run > longest:
                longest, best = run, (run_from, c.at)
        else:
            run = 0
        others = [f.word for f in c.feelings if not v.is_numb(f.word)]
        if others and (last is None or c.at.timestamp() >= last[0].timestamp()):
            last = (c.at, others[-1])
    return NumbStretches(
        longest, best[0], best[1], last[0] if last else None, last[1] if last else None
    )


def summarize(
    checkins: Sequence[CheckIn],
    start: date,
    end: date,
    *,
    last_non_numb: tuple[datetime, str] | None = None,
) -> Summary:
    """Everything the week view and the report show about check-ins between two local days."""
    v = vocab.load()
    chosen = sorted((c for c in checkins if start <= c.day <= end), key=lambda c: c.at.timestamp())
    by_day: dict[date, list[CheckIn]] = {}
    for c in chosen:
        by_day.setdefault(c.day, []).append(c)
    days = []
    d = start
    while d <= end:
        got = by_day.get(d, [])
        days.append(
            Day(
                d,
                len(got),
                tuple(c.can_feel for c in got if c.can_feel is not None),
                sum(1 for c in got if c.state == "numb"),
            )
        )
        d += timedelta(days=1)

    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    more: Counter[str] = Counter()
    less: Counter[str] = Counter()
    practices: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    states: Counter[str] = Counter()
    quadrants: Counter[str] = Counter()
    valences: list[float] = []
    arousals: list[float] = []
    left_out = 0
    with_sensation = 0
    for c in chosen:
        states[c.state or "unsure"] += 1
        for f in c.feelings:
            words[f.word] += 1
            w = v.words.get(f.word)
            if w is not None and w.valence is not None and w.arousal is not None:
                valences.append(w.valence)
                arousals.append(w.arousal)
                quadrants[w.quadrant or ""] += 1
            else:
                left_out += 1
        if c.sensations:
            with_sensation += 1
        for s in c.sensations:
            pairs[f"{s.region}:{s.quality}"] += 1
            regions[s.region] += 1
            if s.direction == "more":
                more[s.region] += 1
            elif s.direction == "less":
                less[s.region] += 1
        practices.update(c.practices)
        tags.update(c.tags)
    return Summary(
        start=start,
        end=end,
        checkins=len(chosen),
        days=tuple(days),
        can_feel=tuple(c.can_feel for c in chosen if c.can_feel is not None),
        states=dict(states),
        words=words,
        body_pairs=pairs,
        regions=regions,
        region_more=more,
        region_less=less,
        with_sensation=with_sensation,
        practices=practices,
        tags=tags,
        word_range=word_range(words) if len(chosen) >= MIN_FOR_WORD_RANGE and words else None,
        valence_mean=statistics.fmean(valences) if valences else None,
        arousal_mean=statistics.fmean(arousals) if arousals else None,
        circumplex_n=len(valences),
        left_out=left_out,
        quadrants={q: quadrants[q] for q in vocab.QUADRANTS if quadrants[q]},
        context=tuple(context_rows(chosen)),
        stretches=numb_stretches(chosen, last_non_numb),
        notes=tuple((c.at, c.note) for c in chosen if c.note),
    )


def trend(days: Sequence[Day], bucket_days: int) -> list[tuple[date, float | None, float | None]]:
    """(first day, median can-feel, numb share) per bucket of consecutive days, for the
    dashboard's trend line. Buckets without check-ins give (day, None, None)."""
    out = []
    for i in range(0, len(days), bucket_days):
        chunk = days[i : i + bucket_days]
        values = [v for d in chunk for v in d.can_feel]
        count = sum(d.checkins for d in chunk)
        numb = sum(d.numb for d in chunk)
        out.append(
            (
                chunk[0].day,
                statistics.median(values) if values else None,
                numb / count if count else None,
            )
        )
    return out


# -- weeks -------------------------------------------------------------------------------


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def comparisons(this: Summary, last: Summary) -> list[str]:
    """A few neutral sentences comparing a week with the one before."""
    if last.empty:
        return ["There are no check-ins from the week before to compare with."]

    def diff(now: float, before: float, more: str = "more", fewer: str = "fewer") -> str:
        delta = now - before
        if delta == 0:
            return "the same as last week"
        word = more if delta > 0 else fewer
        return f"{abs(delta):g} {word} than last week"

    out = [
        f"You checked in {plural(this.checkins, 'time')}, "
        + diff(this.checkins, last.checkins)
        + ".",
    ]
    if this.words or last.words:
        out.append(
            f"You named {plural(this.distinct_words, 'different word')}, "
            + diff(this.distinct_words, last.distinct_words)
            + "."
        )
    if this.can_feel_median is not None and last.can_feel_median is not None:
        out.append(
            f"Your middle can-feel was {this.can_feel_median:g}, "
            + diff(this.can_feel_median, last.can_feel_median, "higher", "lower")
            + "."
        )
    if this.with_sensation or last.with_sensation:
        out.append(
            f"You noticed something in your body {plural(this.with_sensation, 'time')}, "
            + diff(this.with_sensation, last.with_sensation)
            + "."
        )
    return out


@dataclass(frozen=True)
class Week:
    label: str
    summary: Summary
    previous: Summary
    show_notes: bool = False
    now: datetime | None = None
    """The clock used for "N days ago" (None: the time of rendering)."""

    @property
    def comparisons(self) -> list[str]:
        return comparisons(self.summary, self.previous)


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    weeks: tuple[tuple[str, Summary], ...]
    whole: Summary
    now: datetime | None = None


def build_week(
    checkins: Sequence[CheckIn],
    day: date,
    *,
    last_non_numb: tuple[datetime, str] | None = None,
    show_notes: bool = False,
    now: datetime | None = None,
) -> Week:
    """The week holding `day`, with the week before for comparison (pass both weeks' data)."""
    start, end = week_bounds(day)
    before = [c for c in checkins if c.day < start]
    previous = summarize(checkins, start - timedelta(days=7), start - timedelta(days=1))
    prior = numb_stretches(before, last_non_numb)
    this = summarize(
        checkins,
        start,
        end,
        last_non_numb=(prior.last_non_numb, prior.last_non_numb_word or "")
        if prior.last_non_numb
        else None,
    )
    return Week(week_label(start), this, previous, show_notes, now)


def build_report(
    checkins: Sequence[CheckIn],
    start: date,
    end: date,
    *,
    last_non_numb: tuple[datetime, str] | None = None,
    now: datetime | None = None,
) -> Report:
    weeks = []
    monday, _ = week_bounds(start)
    while monday <= end:
        sunday = monday + timedelta(days=6)
        weeks.append(
            (week_label(monday), summarize(checkins, max(monday, start), min(sunday, end)))
        )
        monday += timedelta(days=7)
    whole = summarize(checkins, start, end, last_non_numb=last_non_numb)
    return Report(start, end, tuple(weeks), whole, now)


def load_week(
    store: Store, day: date, *, show_notes: bool = False, now: datetime | None = None
) -> Week:
    """The week holding `day` from the store: its check-ins and the week before's."""
    monday, sunday = week_bounds(day)
    checkins = store.between(monday - timedelta(days=7), sunday)
    before = store.last_non_numb_word(monday - timedelta(days=7))
    return build_week(checkins, monday, last_non_numb=before, show_notes=show_notes, now=now)


def load_report(store: Store, start: date, end: date, *, now: datetime | None = None) -> Report:
    """The report for [start, end] from the store."""
    checkins = store.between(start, end)
    before = store.last_non_numb_word(start)
    return build_report(checkins, start, end, last_non_numb=before, now=now)


def default_report_start(end: date) -> date:
    """The first day of the default report: the Monday four weeks back, this week included."""
    return week_bounds(end)[0] - timedelta(weeks=3)
