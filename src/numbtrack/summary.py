"""Descriptive metrics over check-ins: pure functions returning dataclasses, no Rich inside.

Every number here can be explained in one sentence (docs/metrics.md). Nothing is scored
against a cut-off, nothing predicts, and co-occurrence is labelled as such, never as cause.
The renderables in `render` draw these (the dataclasses know nothing of Rich); the CLI and
the dashboard both load them with `load_week` and `load_report`.
"""

from __future__ import annotations

import gc
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from sys import intern
from typing import TYPE_CHECKING, Any, ClassVar, cast

from numbtrack import vocab
from numbtrack.models import CheckIn
from numbtrack.text import plural
from numbtrack.value import Frozen, set_field

if TYPE_CHECKING:
    from numbtrack.store import Store


def median(values: Iterable[int]) -> float:
    """statistics.median: the same value and type (the middle value itself for an odd count,
    the mean of the two middle ones for an even). The statistics module is not imported: it
    costs `numbtrack week` more than this whole module (fractions, decimal, random)."""
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        raise ValueError("no median for no values")
    if n % 2:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def fmean(values: Sequence[float]) -> float:
    """statistics.fmean: the exactly rounded sum (math.fsum) over the count."""
    if not values:
        raise ValueError("no mean for no values")
    return math.fsum(values) / len(values)


MIN_FOR_WORD_RANGE = 5
"""Word range says little about fewer check-ins than this, so it is hidden below it."""

MIN_FOR_CONTEXT = 3
"""A with/without comparison is shown only when both sides have at least this many."""


class Day(Frozen):
    day: date
    checkins: int
    can_feel: tuple[int, ...]
    numb: int = 0

    def __init__(self, day: date, checkins: int, can_feel: tuple[int, ...], numb: int = 0) -> None:
        set_field(self, "day", day)
        set_field(self, "checkins", checkins)
        set_field(self, "can_feel", can_feel)
        set_field(self, "numb", numb)

    @property
    def median(self) -> float | None:
        return median(self.can_feel) if self.can_feel else None


class WordRange(Frozen):
    distinct: int
    effective: float
    """exp(H), H the Shannon entropy (natural log) of the word counts."""
    specific_share: float
    mentions: int

    def __init__(
        self,
        distinct: int,
        effective: float,
        specific_share: float,
        mentions: int,
    ) -> None:
        set_field(self, "distinct", distinct)
        set_field(self, "effective", effective)
        set_field(self, "specific_share", specific_share)
        set_field(self, "mentions", mentions)


class ContextRow(Frozen):
    name: str
    kind: str  # "tag" or "practice"
    with_n: int
    with_median: float
    without_n: int
    without_median: float

    def __init__(
        self,
        name: str,
        kind: str,
        with_n: int,
        with_median: float,
        without_n: int,
        without_median: float,
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "kind", kind)
        set_field(self, "with_n", with_n)
        set_field(self, "with_median", with_median)
        set_field(self, "without_n", without_n)
        set_field(self, "without_median", without_median)


class NumbStretches(Frozen):
    longest: int
    """The most numb check-ins in a row (by time)."""
    longest_from: datetime | None
    longest_to: datetime | None
    last_non_numb: datetime | None
    """When a word outside the numb cluster was last named, if ever."""
    last_non_numb_word: str | None

    def __init__(
        self,
        longest: int,
        longest_from: datetime | None,
        longest_to: datetime | None,
        last_non_numb: datetime | None,
        last_non_numb_word: str | None,
    ) -> None:
        set_field(self, "longest", longest)
        set_field(self, "longest_from", longest_from)
        set_field(self, "longest_to", longest_to)
        set_field(self, "last_non_numb", last_non_numb)
        set_field(self, "last_non_numb_word", last_non_numb_word)


class Summary(Frozen):
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
    notes: tuple[tuple[datetime, str], ...]

    FACTORIES: ClassVar[dict[str, Callable[[], object]]] = {"notes": tuple}
    """The defaults made anew for each object (a dataclass's default_factory)."""

    def __init__(
        self,
        start: date,
        end: date,
        checkins: int,
        days: tuple[Day, ...],
        can_feel: tuple[int, ...],
        states: dict[str, int],
        words: Counter[str],
        body_pairs: Counter[str],
        regions: Counter[str],
        region_more: Counter[str],
        region_less: Counter[str],
        with_sensation: int,
        practices: Counter[str],
        tags: Counter[str],
        word_range: WordRange | None,
        valence_mean: float | None,
        arousal_mean: float | None,
        circumplex_n: int,
        left_out: int,
        quadrants: dict[str, int],
        context: tuple[ContextRow, ...],
        stretches: NumbStretches,
        notes: tuple[tuple[datetime, str], ...] = (),
    ) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "checkins", checkins)
        set_field(self, "days", days)
        set_field(self, "can_feel", can_feel)
        set_field(self, "states", states)
        set_field(self, "words", words)
        set_field(self, "body_pairs", body_pairs)
        set_field(self, "regions", regions)
        set_field(self, "region_more", region_more)
        set_field(self, "region_less", region_less)
        set_field(self, "with_sensation", with_sensation)
        set_field(self, "practices", practices)
        set_field(self, "tags", tags)
        set_field(self, "word_range", word_range)
        set_field(self, "valence_mean", valence_mean)
        set_field(self, "arousal_mean", arousal_mean)
        set_field(self, "circumplex_n", circumplex_n)
        set_field(self, "left_out", left_out)
        set_field(self, "quadrants", quadrants)
        set_field(self, "context", context)
        set_field(self, "stretches", stretches)
        set_field(self, "notes", notes)

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
        return median(self.can_feel) if self.can_feel else None

    @property
    def can_feel_range(self) -> tuple[int, int] | None:
        return (min(self.can_feel), max(self.can_feel)) if self.can_feel else None

    @property
    def distinct_words(self) -> int:
        return len(self.words)

    @property
    def empty(self) -> bool:
        return self.checkins == 0


def _count(item: tuple[str, int]) -> int:
    return item[1]


class WeekRow(Frozen):
    """What the report's week-by-week table shows of one week: its row. A report over years
    keeps a row a week, not a Summary a week."""

    start: date
    end: date
    checkins: int
    days_with_checkins: int
    can_feel_median: float | None
    can_feel_range: tuple[int, int] | None
    numb: int
    distinct_words: int
    regions: tuple[str, ...]
    """The two regions noticed most, ties in the order they were first noticed."""

    def __init__(
        self,
        start: date,
        end: date,
        checkins: int,
        days_with_checkins: int,
        can_feel_median: float | None,
        can_feel_range: tuple[int, int] | None,
        numb: int,
        distinct_words: int,
        regions: tuple[str, ...],
    ) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "checkins", checkins)
        set_field(self, "days_with_checkins", days_with_checkins)
        set_field(self, "can_feel_median", can_feel_median)
        set_field(self, "can_feel_range", can_feel_range)
        set_field(self, "numb", numb)
        set_field(self, "distinct_words", distinct_words)
        set_field(self, "regions", regions)

    @property
    def numb_share(self) -> float | None:
        return self.numb / self.checkins if self.checkins else None

    @classmethod
    def of_days(cls, days: Sequence[Day], distinct_words: int, regions: dict[str, int]) -> WeekRow:
        """The row of a week from its days, how many words it named and its regions counted
        (in the order they were first noticed)."""
        feel = [v for d in days for v in d.can_feel]
        # most_common(2) is documented as sorted(..., reverse=True)[:2], ties in first-met order
        top = sorted(regions.items(), key=_count, reverse=True)[:2]
        return cls(
            days[0].day,
            days[-1].day,
            sum(d.checkins for d in days),
            sum(1 for d in days if d.checkins),
            median(feel) if feel else None,
            (min(feel), max(feel)) if feel else None,
            sum(d.numb for d in days),
            distinct_words,
            tuple(r for r, _ in top),
        )


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
        rows.append(ContextRow(name, kind, len(has), median(has), len(hasnt), median(hasnt)))
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


def _median(counts: dict[int, int]) -> float:
    """statistics.median of the values counted, without listing them: the same value and type
    (the middle value itself for an odd count, the mean of the two middle ones for an even)."""
    n = sum(counts.values())
    values = sorted(counts)
    below = 0
    lower: int | None = None
    for value in values:
        below += counts[value]
        if n % 2 and below > n // 2:
            return value
        if not n % 2:
            if lower is None and below >= n // 2:
                lower = value
            if below > n // 2:
                assert lower is not None
                return (lower + value) / 2
    raise ValueError("no values")


def _context_order(row: tuple[tuple[str, str], Any, int]) -> tuple[bool, str]:
    """Practices first, then tags, each by name."""
    return row[0][0] != "practice", row[0][1]


class _Tally:
    """What `summarize` counts, fed one check-in at a time in time order: one pass, and no
    check-in kept, so a report over years holds counts, not the history."""

    def __init__(
        self, start: date, end: date, last_non_numb: tuple[datetime, str] | None = None
    ) -> None:
        self.start, self.end = start, end
        self.v = vocab.load()
        self.n = 0
        self.by_day: dict[date, tuple[list[int], list[int]]] = {}
        """day -> ([check-ins, numb], can-feel answers)"""
        self.can_feel: list[int] = []
        self.words: Counter[str] = Counter()
        self.pairs: Counter[str] = Counter()
        self.regions: Counter[str] = Counter()
        self.more: Counter[str] = Counter()
        self.less: Counter[str] = Counter()
        self.practices: Counter[str] = Counter()
        self.tags: Counter[str] = Counter()
        self.states: Counter[str] = Counter()
        self.quadrants: Counter[str] = Counter()
        self.valences: list[float] = []
        self.arousals: list[float] = []
        self.left_out = 0
        self.with_sensation = 0
        self.rated: Counter[int] = Counter()
        self.rated_with: dict[tuple[str, str], dict[int, int]] = {}
        """(kind, name) -> can-feel answer -> how many (a Counter where `add` counts)"""
        self.notes: list[tuple[datetime, str]] = []
        self.longest = self.run = 0
        self.run_from: datetime | None = None
        self.best: tuple[datetime | None, datetime | None] = (None, None)
        self.last = last_non_numb
        self.days: Sequence[Day] | None = None
        """The Days of `summary`, when they were made already (report_from_parts)."""

    def add(self, c: CheckIn) -> None:
        # Called twice per check-in over a whole history (its week and the period), so the
        # work is kept to what a check-in has: nothing is built for parts it does not have.
        words = self.v.words
        self.n += 1
        at = c.at
        day_of = at.date()
        day = self.by_day.get(day_of)
        if day is None:
            day = self.by_day[day_of] = ([0, 0], [])
        state = c.state
        day[0][0] += 1
        if state == "numb":
            day[0][1] += 1
        feel = c.can_feel
        if feel is not None:
            day[1].append(feel)
            self.can_feel.append(feel)
            self.rated[feel] += 1
            if c.tags or c.practices:
                rated_with = self.rated_with
                for key in {("tag", t) for t in c.tags} | {("practice", p) for p in c.practices}:
                    counts = rated_with.get(key)
                    if counts is None:
                        counts = rated_with[key] = Counter()
                    counts[feel] += 1
        self.states[state or "unsure"] += 1
        other: str | None = None
        for f in c.feelings:
            self.words[f.word] += 1
            w = words.get(f.word)
            if w is not None and w.valence is not None and w.arousal is not None:
                self.valences.append(w.valence)
                self.arousals.append(w.arousal)
                self.quadrants[w.quadrant or ""] += 1
            else:
                self.left_out += 1
            if w is None or not w.numb:  # not vocab.is_numb
                other = f.word
        if c.sensations:
            self.with_sensation += 1
            for s in c.sensations:
                self.pairs[f"{s.region}:{s.quality}"] += 1
                self.regions[s.region] += 1
                if s.direction == "more":
                    self.more[s.region] += 1
                elif s.direction == "less":
                    self.less[s.region] += 1
        if c.practices:
            self.practices.update(c.practices)
        if c.tags:
            self.tags.update(c.tags)
        if c.note:
            self.notes.append((at, c.note))
        # numb stretches, as numb_stretches() finds them
        if state == "numb":
            if self.run == 0:
                self.run_from = at
            self.run += 1
            if self.run > self.longest:
                self.longest, self.best = self.run, (self.run_from, at)
        else:
            self.run = 0
        if other is not None and (self.last is None or at.timestamp() >= self.last[0].timestamp()):
            self.last = (at, other)

    # -- filled from the store's plain rows and counts (load_report) instead of by `add` --

    def add_row(
        self,
        day: date,
        at: str,
        state: str | None,
        feel: int | None,
        note: str | None,
        parts: _Parts,
    ) -> None:
        """What `add` counts of a check-in, from Store.period_rows values (`at` as stored);
        the runs and the last word are _Runs' part, the pleasant/energy figures place_words'."""
        words, sensations, practices, tags = parts
        self.n += 1
        got = self.by_day.get(day)
        if got is None:
            got = self.by_day[day] = ([0, 0], [])
        got[0][0] += 1
        if state == "numb":
            got[0][1] += 1
        if feel is not None:
            got[1].append(feel)
            self.can_feel.append(feel)
            self.rated[feel] += 1
            if tags or practices:
                rated_with = self.rated_with
                for key in {("tag", t) for t in tags} | {("practice", p) for p in practices}:
                    counts = rated_with.get(key)
                    if counts is None:
                        counts = rated_with[key] = Counter()
                    counts[feel] += 1
        self.states[state or "unsure"] += 1
        counted = self.words
        for word in words:
            counted[word] = counted.get(word, 0) + 1
        if sensations:
            self.with_sensation += 1
            pairs, regions = self.pairs, self.regions
            for pair, region, direction in sensations:
                pairs[pair] = pairs.get(pair, 0) + 1
                regions[region] = regions.get(region, 0) + 1
                if direction == "more":
                    self.more[region] += 1
                elif direction == "less":
                    self.less[region] += 1
        counted = self.practices
        for name in practices:
            counted[name] = counted.get(name, 0) + 1
        counted = self.tags
        for name in tags:
            counted[name] = counted.get(name, 0) + 1
        if note:
            self.notes.append((datetime.fromisoformat(at), note))

    def place_words(self) -> None:
        """The pleasant/energy figures of the words counted, as `add` finds them mention by
        mention (fmean sums with fsum, exactly, so the order of the mentions does not count)."""
        for word, n in self.words.items():
            w = self.v.words.get(word)
            if w is not None and w.valence is not None and w.arousal is not None:
                self.valences += [w.valence] * n
                self.arousals += [w.arousal] * n
                self.quadrants[w.quadrant or ""] += n
            else:
                self.left_out += n

    def context(self, minimum: int = MIN_FOR_CONTEXT) -> list[ContextRow]:
        """context_rows() from the counts."""
        total = sum(self.rated.values())
        shown = []
        for key, has in self.rated_with.items():
            n_has = sum(has.values())
            if n_has >= minimum and total - n_has >= minimum:  # else hidden (most weeks' case)
                shown.append((key, has, n_has))
        shown.sort(key=_context_order)  # each key once: the order of sorting every key
        rows = []
        for (kind, name), has, n_has in shown:
            got = has.get
            hasnt = {v: n - got(v, 0) for v, n in self.rated.items() if n > got(v, 0)}
            rows.append(ContextRow(name, kind, n_has, _median(has), total - n_has, _median(hasnt)))
        return rows

    def _days(self) -> Sequence[Day]:
        days = self.days
        if days is None:
            days = []
            d = self.start
            while d <= self.end:
                got = self.by_day.get(d)
                days.append(Day(d, got[0][0], tuple(got[1]), got[0][1]) if got else Day(d, 0, ()))
                d += timedelta(days=1)
        return days

    def row(self) -> WeekRow:
        """A week's row of a report: its days, how many words it named, its regions."""
        return WeekRow.of_days(self._days(), len(self.words), self.regions)

    def summary(self) -> Summary:
        days = self._days()
        last = self.last
        return Summary(
            start=self.start,
            end=self.end,
            checkins=self.n,
            days=tuple(days),
            can_feel=tuple(self.can_feel),
            states=dict(self.states),
            words=self.words,
            body_pairs=self.pairs,
            regions=self.regions,
            region_more=self.more,
            region_less=self.less,
            with_sensation=self.with_sensation,
            practices=self.practices,
            tags=self.tags,
            word_range=word_range(self.words)
            if self.n >= MIN_FOR_WORD_RANGE and self.words
            else None,
            valence_mean=fmean(self.valences) if self.valences else None,
            arousal_mean=fmean(self.arousals) if self.arousals else None,
            circumplex_n=len(self.valences),
            left_out=self.left_out,
            quadrants={q: self.quadrants[q] for q in vocab.QUADRANTS if self.quadrants[q]},
            context=tuple(self.context()),
            stretches=NumbStretches(
                self.longest,
                self.best[0],
                self.best[1],
                last[0] if last else None,
                last[1] if last else None,
            ),
            notes=tuple(self.notes),
        )


_Parts = tuple[tuple[str, ...], tuple[tuple[str, str, str], ...], tuple[str, ...], tuple[str, ...]]
"""A check-in's words, sensations (as "region:quality", region, direction), practices and
tags, from the packed columns of Store.period_rows."""


class _Unpacker:
    """The parts of Store.period_rows' packed columns as _Parts, each distinct packed value
    unpacked once (a history repeats the same few words and sensations thousands of times;
    at most LIMIT are kept, so memory stays flat)."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self.known = vocab.load().words
        self.words: dict[str | None, tuple[tuple[str, ...], str | None]] = {None: ((), None)}
        self.sensations: dict[str | None, tuple[tuple[str, str, str], ...]] = {None: ()}
        self.names: dict[str | None, tuple[str, ...]] = {None: ()}

    def __call__(
        self,
        words_p: str | None,
        sensations_p: str | None,
        practices_p: str | None,
        tags_p: str | None,
    ) -> tuple[_Parts, str | None]:
        """The parts, and the last word named outside the numb cluster (None if none), as
        numb_stretches takes it."""
        found = self.words.get(words_p)
        if found is None:
            found = self.words[words_p] = self._words(words_p or "")
        sensations = self.sensations.get(sensations_p)
        if sensations is None:
            sensations = self.sensations[sensations_p] = tuple(
                (f"{region}:{quality}", region, direction)
                for region, quality, direction in (
                    s.split("\x1e") for s in (sensations_p or "").split("\x1f")
                )
            )
        names = self.names
        practices = names.get(practices_p)
        if practices is None:
            practices = names[practices_p] = tuple((practices_p or "").split("\x1f"))
        tags = names.get(tags_p)
        if tags is None:
            tags = names[tags_p] = tuple((tags_p or "").split("\x1f"))
        if len(self.names) > self.LIMIT:  # practices and tags grow fastest, if at all
            self.names = {None: ()}
        if len(self.words) + len(self.sensations) > 2 * self.LIMIT:
            self.words, self.sensations = {None: ((), None)}, {None: ()}
        return (found[0], sensations, practices, tags), found[1]

    def _words(self, packed: str) -> tuple[tuple[str, ...], str | None]:
        words = tuple(packed.split("\x1f"))
        other = None
        for word in words:
            w = self.known.get(word)
            if w is None or not w.numb:  # not vocab.is_numb
                other = word
        return words, other


class _Runs:
    """The numb stretches `_Tally.add` follows, from Store.period_rows values in time order:
    the longest run of numb check-ins and the newest word outside the numb cluster, kept as
    text until the end (only the winners become datetimes)."""

    def __init__(self) -> None:
        self.longest = self.run = 0
        self.run_from = ""
        self.best: tuple[str, str] | None = None
        self.last: tuple[str, str, str] | None = None
        """(at_utc, at, word)"""
        self.before: tuple[datetime, str] | None = None

    @classmethod
    def of(cls, before: tuple[datetime, str] | None) -> _Runs:
        """Runs that start from the newest non-numb word before the period, if any."""
        runs = cls()
        if before is not None:
            runs.before = before
            key = before[0].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            runs.last = (key, "", before[1])
        return runs

    def add(self, at: str, at_utc: str, state: str | None, other: str | None) -> None:
        if state == "numb":
            if self.run == 0:
                self.run_from = at
            self.run += 1
            if self.run > self.longest:
                self.longest, self.best = self.run, (self.run_from, at)
        else:
            self.run = 0
        # at is to the second (models.local_moment), so at_utc orders as at.timestamp() does
        if other is not None and (self.last is None or at_utc >= self.last[0]):
            self.last = (at_utc, at, other)

    def into(self, tally: _Tally) -> None:
        parse = datetime.fromisoformat
        tally.longest = self.longest
        if self.best is not None:
            tally.best = (parse(self.best[0]), parse(self.best[1]))
        if self.last is None:
            tally.last = None
        elif self.last[1]:
            tally.last = (parse(self.last[1]), self.last[2])
        else:
            tally.last = self.before


def summarize(
    checkins: Sequence[CheckIn],
    start: date,
    end: date,
    *,
    last_non_numb: tuple[datetime, str] | None = None,
) -> Summary:
    """Everything the week view and the report show about check-ins between two local days."""
    tally = _Tally(start, end, last_non_numb)
    for c in sorted((c for c in checkins if start <= c.day <= end), key=lambda c: c.at.timestamp()):
        tally.add(c)
    return tally.summary()


def days_from_tallies(
    tallies: Iterable[tuple[date, int, int, tuple[int, ...]]], start: date, end: date
) -> tuple[Day, ...]:
    """Every day from start to end, as summarize() gives them, from Store.day_tallies (a
    calendar of a year needs only these, not the check-ins)."""
    got = {day: (n, numb, feel) for day, n, numb, feel in tallies}
    days = []
    d = start
    while d <= end:
        n, numb, feel = got.get(d, (0, 0, ()))
        days.append(Day(d, n, feel, numb))
        d += timedelta(days=1)
    return tuple(days)


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
                median(values) if values else None,
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


class Week(Frozen):
    label: str
    summary: Summary
    previous: Summary
    show_notes: bool = False
    now: datetime | None = None
    """The clock used for "N days ago" (None: the time of rendering)."""

    def __init__(
        self,
        label: str,
        summary: Summary,
        previous: Summary,
        show_notes: bool = False,
        now: datetime | None = None,
    ) -> None:
        set_field(self, "label", label)
        set_field(self, "summary", summary)
        set_field(self, "previous", previous)
        set_field(self, "show_notes", show_notes)
        set_field(self, "now", now)

    @property
    def comparisons(self) -> list[str]:
        return comparisons(self.summary, self.previous)


class Report(Frozen):
    start: date
    end: date
    weeks: tuple[tuple[str, WeekRow], ...]
    whole: Summary
    now: datetime | None = None

    def __init__(
        self,
        start: date,
        end: date,
        weeks: tuple[tuple[str, WeekRow], ...],
        whole: Summary,
        now: datetime | None = None,
    ) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "weeks", weeks)
        set_field(self, "whole", whole)
        set_field(self, "now", now)


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
    checkins: Iterable[CheckIn],
    start: date,
    end: date,
    *,
    last_non_numb: tuple[datetime, str] | None = None,
    now: datetime | None = None,
    in_time_order: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """The report for [start, end]: every week and the whole period, in one pass.

    With `in_time_order` the check-ins are taken as they come, already in time order (as
    `Store.iter_all` gives them, so that they are never all in memory); otherwise they are
    sorted first. `progress` is told how many check-ins have been counted so far.
    """
    weeks: list[tuple[str, _Tally]] = []
    first, _ = week_bounds(start)
    monday = first
    while monday <= end:
        sunday = monday + timedelta(days=6)
        weeks.append((week_label(monday), _Tally(max(monday, start), min(sunday, end))))
        monday += timedelta(days=7)
    whole = _Tally(start, end, last_non_numb)
    chosen = (c for c in checkins if start <= c.day <= end)
    ordered = _in_time_order(chosen) if in_time_order else sorted(chosen, key=_moment)
    for i, c in enumerate(ordered, 1):
        weeks[(c.day - first).days // 7][1].add(c)
        whole.add(c)
        if progress is not None and not i % 1000:
            progress(i)
    return Report(
        start,
        end,
        tuple((label, t.row()) for label, t in weeks),
        whole.summary(),
        now,
    )


def _moment(c: CheckIn) -> float:
    return c.at.timestamp()


def _in_time_order(checkins: Iterable[CheckIn]) -> Iterator[CheckIn]:
    """Check-ins ordered by the store (by UTC time to the second, then as written) reordered
    exactly as sorted(key=timestamp) would: only check-ins within one second can move."""
    group: list[CheckIn] = []
    second: int | None = None
    for c in checkins:
        s = math.floor(c.at.timestamp())
        if s != second and group:
            yield from sorted(group, key=_moment)
            group = []
        second = s
        group.append(c)
    yield from sorted(group, key=_moment)


def load_week(
    store: Store, day: date, *, show_notes: bool = False, now: datetime | None = None
) -> Week:
    """The week holding `day` from the store: its check-ins and the week before's."""
    monday, sunday = week_bounds(day)
    checkins = store.between(monday - timedelta(days=7), sunday)
    before = store.last_non_numb_word(monday - timedelta(days=7))
    return build_week(checkins, monday, last_non_numb=before, show_notes=show_notes, now=now)


COLUMNS_FROM_WEEKS = 13
"""A report this many weeks long or longer may be counted from Store.period_parts."""


def load_report(
    store: Store,
    start: date,
    end: date,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """The report for [start, end] from the store: the same Report as `build_report` of the
    period's check-ins, without building them.

    A long period that holds a good part of the history (a quarter or more of its
    check-ins) is counted from each check-in's part cells (`report_from_parts`: one text
    value per check-in for all its parts); a shorter one row by row (`report_from_rows`:
    its parts from the part tables, by check-in). `progress(done, total)` is called as check-ins are
    counted, for a progress bar.
    """
    with _no_cycles_collected():
        if (end - start).days >= 7 * COLUMNS_FROM_WEEKS:
            total = store.count_days(start, end)
            if 4 * total >= store.count():
                return report_from_parts(store, start, end, now=now, progress=progress, total=total)
        return report_from_rows(store, start, end, now=now, progress=progress)


@contextmanager
def _no_cycles_collected() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while: counting years of check-ins makes
    hundreds of thousands of small tuples, lists and dicts, none of them part of a cycle,
    and the collector would walk them all again and again (about 150 M instructions of a
    ten-year report). Plain reference counting still frees everything as usual."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def report_from_parts(
    store: Store,
    start: date,
    end: date,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
) -> Report:
    """load_report from Store.period_parts: the check-ins in time order, a batch at a time,
    each as a few plain values and its four part cells (checkins.parts_csv) in one text.
    Each distinct cell is parsed once (`_Cells`) into the names it counts. The check-ins of
    one week in a row (a stretch; a week comes in one stretch unless a time zone put a later
    local day at an earlier moment) are gathered as flat lists of names and counted into
    the period's Counters when the stretch ends (Counter.update, in C), in time order, so
    every Counter keeps the order its names were first met in (most_common's ties); a week
    keeps only what its row shows (its days' counts, its distinct words, its regions). A
    week's row is made as soon as the check-ins have reached the week after next (no UTC
    offset is a day, so none of its check-ins can come after that), and what was counted
    for it goes: memory holds a batch, the rows made and a few weeks' counts, not the
    history. `total`: how many check-ins the period holds, for `progress(done, total)`
    (counted when not given)."""
    first, _ = week_bounds(start)
    whole = _Tally(start, end, store.last_non_numb_word(start))
    before = whole.last
    weeks = 0
    monday = first
    while monday <= end:
        weeks += 1
        monday += timedelta(days=7)
    by_day: dict[date, tuple[list[int], list[int]]] = {}
    days: dict[str, tuple[int, list[int], list[int]]] = {}
    """day text -> (week, [check-ins, numb], can-feel answers): by_day's lists"""
    week_words: dict[int, set[str]] = {}
    week_regions: dict[int, Counter[str]] = {}
    """what each week not yet summed up named: its distinct words, its regions counted"""
    cells = _Cells()
    feelings, others = cells.feelings, cells.others
    summed: list[tuple[str, WeekRow]] = []
    """the weeks summed up so far, in order"""
    whole_days: list[Day] = []
    run = longest = 0
    run_from = ""
    best: tuple[str, str] | None = None
    whole_newest: tuple[str, str] | None = None
    # the stretch: its week, and what its check-ins name
    cw = -1
    last_at = last_word = ""
    states: list[str] = []
    feels: list[int] = []
    words: list[str] = []
    practices: list[str] = []
    tags: list[str] = []
    rated: list[tuple[tuple[tuple[str, str], ...], int]] = []
    notes: list[tuple[str, str]] = []
    felt: list[str] = []
    """the stretch's sensation cells"""
    n = done = 0
    parse = datetime.fromisoformat

    def fold() -> None:
        """The stretch counted into the whole period, and its words and regions into its
        week's."""
        whole.n += n
        if felt:  # the sensation cells' items, each looked up once (in C)
            whole.with_sensation += len(felt)
            items = "|".join(felt).split("|")
            felt.clear()
            found = list(map(cells.items.get, items))
            if None in found:
                found = [got or cells.item(item) for got, item in zip(found, items, strict=True)]
            parsed = cast("list[tuple[str, str]]", found)
            whole.pairs.update(map(_PAIR, parsed))
            regions = list(map(_REGION, parsed))
            whole.regions.update(regions)
            counted = week_regions.get(cw)
            if counted is None:
                week_regions[cw] = Counter(regions)
            else:
                counted.update(regions)
            whole.more.update(filter(None, map(cells.more.get, items)))
            whole.less.update(filter(None, map(cells.less.get, items)))
        got = week_words.get(cw)
        if got is None:
            week_words[cw] = set(words)
        else:
            got.update(words)
        for name, values in (
            ("states", states),
            ("words", words),
            ("practices", practices),
            ("tags", tags),
        ):
            if values:
                getattr(whole, name).update(values)
                values.clear()
        whole.can_feel += feels
        feels.clear()
        whole_with = whole.rated_with
        for keys, feel in rated:
            for key in keys:
                counts = whole_with.get(key)
                if counts is None:
                    whole_with[key] = {feel: 1}
                else:
                    counts[feel] = counts.get(feel, 0) + 1
        rated.clear()
        whole.notes += [(parse(at), note) for at, note in notes]
        notes.clear()

    def sum_up(until: int) -> None:
        """Every week before `until` made into its row, and what was counted for it let go."""
        for k in range(len(summed), until):
            monday = first + timedelta(days=7 * k)
            d, last = max(monday, start), min(monday + timedelta(days=6), end)
            week_days: list[Day] = []
            while d <= last:
                got = by_day.pop(d, None)
                if got is None:
                    week_days.append(Day(d, 0, ()))
                else:
                    week_days.append(Day(d, got[0][0], tuple(got[1]), got[0][1]))
                    del days[d.isoformat()]
                d += timedelta(days=1)
            whole_days.extend(week_days)
            named = week_words.pop(k, ())
            summed.append(
                (
                    week_label(monday),
                    WeekRow.of_days(week_days, len(named), week_regions.pop(k, {})),
                )
            )

    for batch in store.period_parts(start, end):
        for at, state, feel, note, parts in batch:
            day_text = at[:10]
            day = days.get(day_text)
            if day is None:
                local = date.fromisoformat(day_text)
                got = by_day[local] = ([0, 0], [])
                day = days[day_text] = ((local - first).days // 7, got[0], got[1])
            w, counted, answers = day
            if w != cw:  # a new stretch
                if cw >= 0:
                    fold()
                    if last_at:
                        whole_newest = (last_at, last_word)
                    n = 0
                    last_at = ""
                if w < len(summed):  # only if the stored times disagree with their UTC
                    return report_from_rows(store, start, end, now=now, progress=progress)
                sum_up(w - 1)
                cw = w
            n += 1
            counted[0] += 1
            if feel is not None:
                answers.append(feel)
                feels.append(feel)
            if state == "numb":
                counted[1] += 1
                if run == 0:
                    run_from = at
                run += 1
                if run > longest:
                    longest, best = run, (run_from, at)
            else:
                run = 0
            states.append(state or "unsure")
            f, s, pt = parts.split(",", 2)
            named = feelings.get(f)
            if named is None:
                named = cells.feeling(f)
            if named[0]:
                words += named[0]
                if named[1] is not None:
                    last_at, last_word = at, named[1]
            if s:
                felt.append(s)
            if pt != ",":
                other = others.get(pt)
                if other is None:
                    other = cells.other(pt)
                practices += other[0]
                tags += other[1]
                if feel is not None:
                    rated.append((other[2], feel))
            if note:
                notes.append((at, note))
        done += len(batch)
        if progress is not None and done >= 1000:
            if total is None:
                total = store.count_days(start, end)
            progress(done, total)
        cells.trim()
    if cw >= 0:
        fold()
        if last_at:
            whole_newest = (last_at, last_word)
    del feelings, others
    sum_up(weeks)
    whole.longest = longest
    if best is not None:
        whole.best = (parse(best[0]), parse(best[1]))
    if whole_newest is not None:
        at_newest = parse(whole_newest[0])
        if before is None or at_newest.timestamp() >= before[0].timestamp():
            whole.last = (at_newest, whole_newest[1])
    whole.days = whole_days
    whole.rated = Counter(whole.can_feel)
    whole.place_words()
    return Report(start, end, tuple(summed), whole.summary(), now)


_PAIR, _REGION = itemgetter(0), itemgetter(1)
"""The parts of a sensation item as _Cells.item gives them."""


class _Cells:
    """The CSV part cells of checkins.parts_csv (store.PartsText writes them) as what a
    report counts, each distinct cell parsed once: a history repeats the same few words and
    sensations thousands of times. At most KEEP of each kind are kept (`trim`), so memory
    stays flat, and each name is one string object (sys.intern) however many cells and
    Counters hold it. The cells are unambiguous: no name holds ",", "|" or ":" (a tag may hold ":"
    but is never split at it), which the CSV export and its import rely on too."""

    KEEP = 8_000

    def __init__(self) -> None:
        self.known = vocab.load().words
        self.feelings: dict[str, tuple[tuple[str, ...], str | None]] = {}
        """feelings cell -> (words, the last word outside the numb cluster, or None)"""
        self.others: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[Any, ...]]] = {}
        """"practices,tags" cells -> (practices, tags, each ("practice"/"tag", name) once)"""
        self.items: dict[str, tuple[str, str]] = {}
        """sensation item -> ("region:quality", region)"""
        self.more: dict[str, str] = {}
        self.less: dict[str, str] = {}
        """sensation item felt more (less) -> its region"""

    def feeling(self, cell: str) -> tuple[tuple[str, ...], str | None]:
        words = tuple(intern(item.split(":", 1)[0]) for item in cell.split("|")) if cell else ()
        other = None
        for word in words:
            w = self.known.get(word)
            if w is None or not w.numb:  # not vocab.is_numb
                other = word
        got = self.feelings[cell] = (words, other)
        return got

    def item(self, item: str) -> tuple[str, str]:
        """A sensation item's ("region:quality", region), its region kept in `more` or
        `less` when it was felt so."""
        region, quality, *rest = item.split(":")
        region = intern(region)
        got = self.items[item] = (intern(f"{region}:{quality}"), region)
        if "more" in rest:
            self.more[item] = region
        elif "less" in rest:
            self.less[item] = region
        return got

    def other(self, cells: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Any, ...]]:
        practice_cell, tag_cell = cells.split(",")
        practices = (
            tuple(intern(item.removesuffix(":own")) for item in practice_cell.split("|"))
            if practice_cell
            else ()
        )
        tags = tuple(map(intern, tag_cell.split("|"))) if tag_cell else ()
        keys = tuple({("tag", t) for t in tags} | {("practice", p) for p in practices})
        got = self.others[cells] = (practices, tags, keys)
        return got

    def trim(self) -> None:
        made: dict[str, Any]
        for made in (self.feelings, self.others):
            if len(made) > self.KEEP:
                made.clear()
        if len(self.items) > self.KEEP:  # the three together: `more` and `less` are its parts
            for made in (self.items, self.more, self.less):
                made.clear()


def report_from_rows(
    store: Store,
    start: date,
    end: date,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """load_report row by row: each check-in comes as a few plain values with its parts
    packed (Store.period_rows, in time order and in batches, so memory stays flat), and
    equal packed parts are unpacked once."""

    first, _ = week_bounds(start)
    weeks: list[tuple[str, _Tally]] = []
    monday = first
    while monday <= end:
        sunday = monday + timedelta(days=6)
        weeks.append((week_label(monday), _Tally(max(monday, start), min(sunday, end))))
        monday += timedelta(days=7)
    whole = _Tally(start, end, store.last_non_numb_word(start))
    whole_runs = _Runs.of(whole.last)
    total: list[int] = []
    days: dict[str, date] = {}
    unpack = _Unpacker()
    for i, (w, at, at_utc, day_text, state, feel, note, *packed) in enumerate(
        store.period_rows(start, end, first), 1
    ):
        day = days.get(day_text)
        if day is None:
            day = days[day_text] = date.fromisoformat(day_text)
        parts, other = unpack(*packed)
        weeks[w][1].add_row(day, at, state, feel, note, parts)
        whole.add_row(day, at, state, feel, note, parts)
        whole_runs.add(at, at_utc, state, other)
        if progress is not None and not i % 1000:
            if not total:  # the first tick comes after a thousand: only long work counts
                total.append(store.count_days(start, end))
            progress(i, total[0])
    whole_runs.into(whole)
    whole.place_words()
    return Report(
        start,
        end,
        tuple((label, t.row()) for label, t in weeks),
        whole.summary(),
        now,
    )


def default_report_start(end: date) -> date:
    """The first day of the default report: the Monday four weeks back, this week included."""
    return week_bounds(end)[0] - timedelta(weeks=3)
