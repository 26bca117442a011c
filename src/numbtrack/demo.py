"""Synthetic check-ins for trying numbtrack safely, for the benchmarks and the snapshot tests.

Deterministic for a seed and an end date. Realistic in the ways that matter to the views:
several check-ins on some days and none on others; numb stretches that come and thaw slowly;
a weekly rhythm; practices that go together with a higher can-feel; times in Europe/Berlin, so
every year crosses two DST changes whatever the machine's zone; notes in several scripts.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from numbtrack import vocab
from numbtrack.models import CheckIn, Feeling, Sensation, utc_stamp
from numbtrack.text import plural

ZONE = ZoneInfo("Europe/Berlin")
NAMESPACE = uuid.UUID("1b4e28ba-2fa1-4d3b-a3f5-ef19a2b3c4d5")

NOTES = (
    "Tea on the balcony. The cup was warm.",
    "Walked the long way home.",
    "Hard to say what I felt. Just grey.",
    "Called my sister. Laughed once, I think.",
    "Rain on the window most of the afternoon.",
    "Slept badly, everything felt far away.",
    "Cooked something simple. It tasted of something.",
    "Lluvia toda la tarde. Un poco de calma.",
    "Heute war alles wie hinter Glas.",
    "散歩した。空気が冷たかった。",
    "Сегодня немного легче.",
    "مشيت قليلا في الحديقة.",
    "आज थोड़ा हल्का महसूस हुआ।",
    "Σήμερα άκουσα μουσική και κάτι κινήθηκε.",
    "A song from years ago, and my chest went warm.",
    "Nothing much. That is all right.",
)

COUNTS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
WEEKDAY_WEIGHTS = (2, 1, 1, 2, 3, 3, 3, 3, 2, 1)
WEEKEND_WEIGHTS = (1, 1, 1, 2, 3, 3, 3, 2, 2, 1)

REGION_WEIGHTS = {
    "head": 3, "face": 2, "jaw": 4, "throat": 4, "neck-and-shoulders": 6, "chest": 9,
    "stomach": 8, "back": 2, "arms": 1, "hands": 3, "legs": 2, "feet": 2, "whole-body": 4,
}  # fmt: skip
"""How often each region is noticed: chest and stomach most. Demo data draws only from the
regions and qualities of the first vocabulary, so that it stays the same as the vocabulary
grows (the dashboard's snapshots and the benchmarks rely on it)."""

LATER_WORDS = frozenset({"meh"})
"""Feeling words added to the vocabulary after the first, which demo data never draws (for
the same reason as the regions and qualities above)."""

FIRST_QUALITIES = (
    "warm", "hot", "cool", "cold", "flushed", "chilly", "heavy", "light", "tight", "clenched",
    "knotted", "pressure", "full", "tense", "squeezed", "tingling", "buzzing", "fluttery",
    "pulsing", "trembling", "restless", "shaky", "racing", "twitchy", "open", "loose", "soft",
    "calm", "grounded", "relaxed", "still", "spacious", "ache", "sharp", "churning", "nauseous",
    "sore", "burning", "itchy", "throbbing", "shallow", "held", "deep", "easy", "numb", "empty",
    "hollow", "dull", "frozen", "far-away", "nothing",
)  # fmt: skip

TAGS = ("work", "bad-sleep", "family", "weekend", "medication-change", "grief", "rest")


def write_demo(
    target: Path,
    *,
    years: float,
    seed: int,
    until: date | None,
    replace_old: bool,
    force: bool,
) -> int:
    """Write demo check-ins into the store in `target`; returns how many were added.

    `replace_old` empties an earlier demo store there first. A folder that already holds
    check-ins is refused unless `force`, so demo data never mixes silently with real data.
    """
    from numbtrack.errors import InvalidInput
    from numbtrack.paths import DB_NAME
    from numbtrack.store import Store

    db = target / DB_NAME
    if replace_old:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    with Store(db) as store:
        here = store.count()
        if here and not force:
            raise InvalidInput(
                f"{target} already holds {plural(here, 'check-in')}; demo data would mix with "
                "them. "
                "Choose an empty folder, or add --force."
            )
        return store.put_many(generate(years, seed, until)).added


def generate(years: float = 1.0, seed: int = 7, until: date | None = None) -> Iterator[CheckIn]:
    """Yield check-ins in time order, from `years` before `until` (default today) to it."""
    rng = random.Random(seed)
    v = vocab.load()
    by_quadrant = {
        q: [w for w in words if w.word not in LATER_WORDS] for q, words in v.by_quadrant().items()
    }
    # A person returns to a handful of words, some far more often than others.
    favourites = {q: [w.word for w in rng.sample(words, 6)] for q, words in by_quadrant.items()}
    weights = (8, 5, 3, 2, 1, 1)
    regions = list(REGION_WEIGHTS)
    first = [v.qualities[name] for name in FIRST_QUALITIES]
    absence = [q.name for q in first if q.absence]
    present = [q.name for q in first if not q.absence]
    practices = list(v.practices)
    now = datetime.now(ZONE)
    end = until or now.date()
    # Nothing after the end day, and nothing later than now: check-ins are never in the future.
    cutoff = min(now, datetime.combine(end, time(23, 59)).replace(tzinfo=ZONE))
    # Times are shown as they were written (Berlin wall-clock time), so west of Berlin a time
    # already past there would read as later today than now: none later than the clock here.
    wall = datetime.now().replace(microsecond=0)
    start = end - timedelta(days=round(365.25 * years))
    numbness = 0.3  # 0: feeling, 1: very numb; drifts, with stretches that come and thaw
    episode = 0
    day = start
    serial = 0
    while day <= end:
        if episode == 0 and rng.random() < 0.02:
            episode = rng.randint(6, 30)
        if episode > 0:
            numbness = min(1.0, numbness + 0.12)
            episode -= 1
        else:
            numbness = max(0.05, numbness - 0.04 + rng.uniform(-0.02, 0.02))
        weekend = day.weekday() >= 5
        # About five a day on average (18,000 in ten years), none on some days.
        count = rng.choices(COUNTS, weights=WEEKEND_WEIGHTS if weekend else WEEKDAY_WEIGHTS)[0]
        minutes = sorted(rng.sample(range(7 * 60, 23 * 60), count))
        for m in minutes:
            serial += 1
            local = datetime.combine(day, time(m // 60, m % 60)).replace(tzinfo=ZONE)
            if local > cutoff or local.replace(tzinfo=None) > wall:
                break
            did = [p for p in practices if rng.random() < (0.08 if numbness > 0.6 else 0.05)]
            lift = 1.5 * len(did) + (0.8 if weekend else 0.0)
            can_feel = round(max(0, min(10, 7 - 7 * numbness + lift + rng.gauss(0, 1.2))))
            if rng.random() < numbness:
                words = rng.choices(favourites["numb"], weights, k=rng.randint(1, 2))
                if rng.random() < 0.25:
                    words += rng.choices(favourites["unpleasant-low"], weights)
            else:
                pleasant = rng.random() < 0.35 + 0.25 * (can_feel / 10)
                quadrant = ("pleasant-" if pleasant else "unpleasant-") + rng.choice(
                    ("high", "low")
                )
                words = rng.choices(favourites[quadrant], weights, k=rng.randint(1, 3))
                if rng.random() < 0.05:  # now and then, a word not used before
                    words.append(rng.choice(by_quadrant[quadrant]).word)
            sensations: list[Sensation] = []
            if rng.random() < 0.55:
                for _ in range(rng.randint(1, 2)):
                    quality = rng.choice(absence if rng.random() < numbness * 0.7 else present)
                    sensations.append(
                        Sensation(
                            rng.choices(regions, list(REGION_WEIGHTS.values()))[0],
                            quality,
                            rng.choice((None, 1, 2, 3, 4, 5)),
                            rng.choice((None, None, "more", "less")),
                        )
                    )
            tags = [t for t in TAGS if rng.random() < 0.06]
            if weekend and rng.random() < 0.3:
                tags.append("weekend")
            note = rng.choice(NOTES) if rng.random() < 0.25 else None
            written = min(local + timedelta(minutes=rng.randint(0, 90)), now)
            stamp = utc_stamp(written.astimezone(UTC))
            yield CheckIn(
                id=str(uuid.uuid5(NAMESPACE, f"{seed}:{serial}")),
                at=local,
                can_feel=can_feel if rng.random() < 0.85 else None,
                feelings=tuple(Feeling(w) for w in dict.fromkeys(words)),
                sensations=tuple(sensations),
                practices=tuple(did),
                tags=tuple(dict.fromkeys(tags)),
                note=note,
                sleep_hours=round(rng.uniform(4, 9), 1) if rng.random() < 0.2 else None,
                created_at=stamp,
                updated_at=stamp,
            )
        day += timedelta(days=1)
