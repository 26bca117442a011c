"""The dashboard's search box: free words search notes; `key:value` tokens filter.

    numb region:chest tag:work since:-7d         -> note text "numb", chest, #work, last week
    word:numb practice:music state:mixed until:2026-11-01

Keys: word, region, quality, tag, practice, state, since, until. Values are checked against
the vocabulary like everywhere else, so a typo gets "did you mean" instead of an empty list.
"""

from __future__ import annotations

import shlex

from numbtrack import vocab
from numbtrack.errors import InvalidInput
from numbtrack.models import check_tag
from numbtrack.store import Filter
from numbtrack.when import parse_day

KEYS = ("word", "region", "quality", "tag", "practice", "state", "since", "until")


def parse(text: str, custom: set[str] | frozenset[str] = frozenset()) -> Filter:
    v = vocab.load()
    try:
        tokens = shlex.split(text)
    except ValueError:
        tokens = text.split()
    words: list[str] = []
    found: dict[str, list[str]] = {k: [] for k in KEYS}
    for token in tokens:
        key, sep, value = token.partition(":")
        if sep and key.lower() in KEYS and value:
            found[key.lower()].append(value)
        elif sep and key.lower() in KEYS:
            raise InvalidInput(f'"{token}" needs a value after the colon, like {key}:something.')
        else:
            words.append(token)
    states = [vocab.check_state(s) for s in found["state"]]
    if len(states) > 1:
        raise InvalidInput("Only one state at a time, please.")
    since = parse_day(found["since"][-1]) if found["since"] else None
    until = parse_day(found["until"][-1]) if found["until"] else None
    return Filter(
        since=since,
        until=until,
        words=tuple(v.feeling(w, custom) for w in found["word"]),
        regions=tuple(v.region(r) for r in found["region"]),
        qualities=tuple(v.quality(q) for q in found["quality"]),
        practices=tuple(v.practice(p) for p in found["practice"]),
        tags=tuple(check_tag(t) for t in found["tag"]),
        state=states[0] if states else None,
        text=" ".join(words) or None,
    )
