"""The one filter language, shared by `numbtrack list`, `numbtrack export` and the dashboard.

    numb region:chest tag:work since:-7d         -> note text "numb", chest, #work, last week
    word:numb practice:music state:mixed until:2026-11-01
    text:"a: b"                                   -> note text with a colon in it

Free words search the notes; `key:value` terms filter. Every term must match. Values are
checked against the vocabulary like everywhere else, so a typo gets "did you mean" instead of
an empty list, and so does an unknown key. The command line's options (`--word numb`,
`--since -7d`, ...) are the same terms spelled as options: `terms_from_options` turns them
into terms, and `to_filter` makes one `store.Filter` of both, which the store turns into SQL
(`Store.query`, `Store.count`, `Store.iter_all`).
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Iterable, Sequence

from numbtrack import vocab
from numbtrack.errors import InvalidInput, shown
from numbtrack.models import check_tag
from numbtrack.store import Filter, Own
from numbtrack.when import parse_day

KEYS = ("word", "region", "quality", "tag", "practice", "state", "since", "until", "text")
"""The keys a term may have, in the order the help lists them."""

Term = tuple[str, str]
"""One `key:value` term; key "text" is free text searched in the notes."""


def _unknown_key(key: str) -> InvalidInput:
    close = difflib.get_close_matches(key.lower(), KEYS, n=1, cutoff=0.6)
    hint = f'; did you mean "{close[0]}:"?' if close else f". The keys are {', '.join(KEYS)}."
    return InvalidInput(f'"{shown(key)}:" is not a search key numbtrack knows{hint}')


def split(text: str) -> list[str]:
    """The tokens of a search: shell-like, so "two words" stay together."""
    try:
        return shlex.split(text)
    except ValueError:  # an unclosed quote: take the words as they are
        return text.split()


def terms(tokens: Iterable[str]) -> list[Term]:
    """Tokens as terms: `key:value` where key is a known key, everything else free text.

    A token that looks like a key (letters, then a colon) but names no key is refused with a
    suggestion, since a typo such as `tga:work` would otherwise search the notes for it.
    """
    found: list[Term] = []
    for token in tokens:
        if "\x00" in token:
            raise InvalidInput("A search cannot contain a NUL character.")
        key, sep, value = token.partition(":")
        if sep and key.isalpha():
            low = key.lower()
            if low not in KEYS:
                raise _unknown_key(key)
            if not value.strip():
                raise InvalidInput(
                    f'"{shown(token)}" needs a value after the colon, like {low}:something.'
                )
            found.append((low, value))
        elif token.strip():
            found.append(("text", token))
    return found


def parse(text: str) -> list[Term]:
    """The terms of a search typed as one string (the dashboard's search box)."""
    return terms(split(text))


def terms_from_options(**options: str | Sequence[str] | None) -> list[Term]:
    """Command-line options as terms: `word=["numb"], since="-7d"` -> word:numb since:-7d."""
    found: list[Term] = []
    for key, value in options.items():
        if key not in KEYS:
            raise ValueError(f"no search key {key!r}")  # a programming error, not input
        if value is None:
            continue
        for item in [value] if isinstance(value, str) else value:
            found.append((key, item))
    return found


WORD_HINT = "See them with: numbtrack words."
QUALITY_HINT = "See them all with: numbtrack body."
PRACTICE_HINT = "See them all with: numbtrack practices."
"""The end of the refusal of an unknown word, quality or practice in a filter: a filter
finds what was logged, so the advice is where to look (not `log`'s --new-word, --new-body
or --new-practice, which neither `list`, `export` nor the dashboard's search takes)."""


def to_filter(found: Iterable[Term], own: Own | None = None) -> Filter:
    """One `Filter` from terms, every value checked (a typo is refused with a suggestion).
    `own`: the person's own words, sensation qualities and practices (`Store.own`), which a
    filter finds as it finds numbtrack's."""
    own = own or Own()
    v = vocab.load()
    by_key: dict[str, list[str]] = {k: [] for k in KEYS}
    for key, value in found:
        by_key[key].append(value)
    states = {vocab.check_state(s) for s in by_key["state"]}
    if len(states) > 1:
        raise InvalidInput("A check-in has one state: give state: once.")
    since = parse_day(by_key["since"][-1]) if by_key["since"] else None
    until = parse_day(by_key["until"][-1]) if by_key["until"] else None
    if since and until and since > until:
        raise InvalidInput(f"since {since} is after until {until}; swap them.")
    text = " ".join(t.strip() for t in by_key["text"] if t.strip())
    return Filter(
        since=since,
        until=until,
        words=tuple(dict.fromkeys(v.feeling(w, own.words, WORD_HINT) for w in by_key["word"])),
        regions=tuple(dict.fromkeys(v.region(r) for r in by_key["region"])),
        qualities=tuple(
            dict.fromkeys(v.quality(q, own.qualities, hint=QUALITY_HINT) for q in by_key["quality"])
        ),
        practices=tuple(
            dict.fromkeys(v.practice(p, own.practices, PRACTICE_HINT) for p in by_key["practice"])
        ),
        tags=tuple(dict.fromkeys(check_tag(t) for t in by_key["tag"])),
        state=states.pop() if states else None,
        text=text or None,
    )


def parse_filter(text: str, own: Own | None = None) -> Filter:
    """A typed search as a Filter: `parse` then `to_filter`."""
    return to_filter(parse(text), own)
