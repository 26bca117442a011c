"""The dashboard's search at 10 years: each filter alone and in pairs, from typed text to the
count and the first page.

    python bench/dash_search.py --home STORE [--runs 15]

Each search is timed as the Entries screen runs one (tui/entries.py, `EntriesPane._search`):
open the store, parse the typed text with the vocabulary's own words (`query.parse_filter`),
count the matches and read the first page of check-ins with their parts. The floor, timed in
the same run and interleaved with the searches, is the same work for the empty search box
(every check-in counted, the newest page read), which is what Entries shows when it opens.

Searches alternate run by run, so all of them see the same machine state; each figure is the
median of `--runs`. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

SINGLE = {
    "word:": "word:foggy",
    "region:": "region:chest",
    "quality:": "quality:hollow",
    "tag:": "tag:weekend",
    "practice:": "practice:grounding",
    "state:": "state:mixed",
    "since:": "since:-30d",
    "until:": "until:2020-01-01",
    "free text": "walked",
}
"""One search per filter of the search box, with values the 10-year demo store holds."""

PAIRS = {
    "word: + tag:": "word:foggy tag:weekend",
    "region: + quality:": "region:chest quality:tight",
    "tag: + practice:": "tag:weekend practice:grounding",
    "state: + region:": "state:numb region:stomach",
    "word: + since:": "word:indifferent since:-90d",
    "practice: + until:": "practice:movement until:2020-01-01",
    "free text + word:": "walked word:foggy",
    "free text + tag:": "walked tag:rest",
    "since: + until:": "since:2019-01-01 until:2019-12-31",
    "quality: + state:": "quality:dull state:feeling",
}
"""A representative set of two filters together: words with context, body with body, each
filter with a date, free text with an indexed part."""

FLOOR = ""
SINGLE_GOAL = 0.150
PAIR_GOAL = 0.300


def search_once(text: str) -> tuple[float, int]:
    """Seconds for one search as the dashboard's worker does it, and how many matched."""
    from numbtrack import query
    from numbtrack.store import Store
    from numbtrack.tui.widgets.checkin_list import PAGE

    t = time.perf_counter()
    with Store() as store:
        f = query.parse_filter(text, store.own())
        total = store.count(f)
        store.query(f, limit=PAGE, offset=0, matching=total)
    return time.perf_counter() - t, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="the store to search")
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default 15)")
    args = parser.parse_args()
    os.environ["NUMBTRACK_HOME"] = str(args.home)
    searches = {"floor": FLOOR, **SINGLE, **PAIRS}
    search_once(FLOOR)  # imports and the page cache, once, before anything is timed
    times: dict[str, list[float]] = {name: [] for name in searches}
    matched: dict[str, int] = {}
    for _ in range(args.runs):
        for name, text in searches.items():
            seconds, matched[name] = search_once(text)
            times[name].append(seconds)
    medians = {name: statistics.median(t) for name, t in times.items()}
    floor = medians["floor"]

    def row(name: str, goal: float | None) -> dict[str, object]:
        return {
            "name": name,
            "query": searches[name],
            "matched": matched[name],
            "median_s": medians[name],
            "worst_s": max(times[name]),
            "ratio": medians[name] / floor,
            "goal_s": goal,
        }

    result = {
        "floor": row("floor", None),
        "single": [row(name, SINGLE_GOAL) for name in SINGLE],
        "pairs": [row(name, PAIR_GOAL) for name in PAIRS],
        "runs": args.runs,
    }
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
