"""Hypothesis strategies for valid check-ins, shared by the store and exchange tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from numbtrack import vocab
from numbtrack.models import CheckIn, Feeling, Sensation, Typed

V = vocab.load()
ZONES = [
    ZoneInfo(z)
    for z in ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC")
]

moments = st.datetimes(
    min_value=datetime(2019, 1, 1),
    max_value=datetime(2026, 11, 1),
    timezones=st.sampled_from(ZONES),
).map(lambda d: d.replace(microsecond=0))
"""Aware local times, with DST changes and half-hour offsets among them."""

intensity = st.none() | st.integers(1, 5)
feelings = st.lists(
    st.builds(Feeling, st.sampled_from(sorted(V.words)), intensity),
    max_size=5,
    unique_by=lambda f: f.word,
).map(tuple)
sensations = st.lists(
    st.builds(
        Sensation,
        st.sampled_from(list(V.regions)),
        st.sampled_from(list(V.qualities)),
        intensity,
        st.none() | st.sampled_from(vocab.DIRECTIONS),
        st.none() | st.sampled_from(vocab.TONES),
    ),
    max_size=4,
).map(tuple)
words_list = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12).filter(
        lambda t: t.strip("-") == t and "--" not in t
    ),
    max_size=3,
    unique=True,
).map(tuple)
notes = st.none() | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=200,
).filter(lambda t: bool(t.strip()))
stamps = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 11, 1)).map(
    lambda d: d.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
)


def _with_typed(c: CheckIn, typed: bool) -> CheckIn:
    """`c`, and with `typed` its first practice as if typed by an alias ("walk")."""
    for p in c.practices if typed else ():
        aliases = V.practices[p].aliases
        if aliases:
            return replace(c, typed=(Typed("practice", vocab.spell(aliases[0]), p),))
    return c


plain_checkins = st.builds(
    CheckIn,
    at=moments,
    can_feel=st.none() | st.integers(0, 10),
    state=st.none() | st.sampled_from(vocab.STATES),
    note=notes,
    sleep_hours=st.none() | st.floats(0, 24, allow_nan=False).map(lambda f: round(f, 2)),
    feelings=feelings,
    sensations=sensations,
    practices=st.lists(st.sampled_from(list(V.practices)), max_size=3, unique=True).map(tuple),
    tags=words_list,
    created_at=stamps,
    updated_at=stamps,
)


def _with_own(c: CheckIn, own: bool) -> CheckIn:
    """`c`, and with `own` a sensation quality and a practice of the person's own."""
    if not own:
        return c
    return replace(
        c,
        sensations=(*c.sensations, Sensation("head", "swimmy", custom=True)),
        practices=(*c.practices, "meditation:own"),
    )


checkins = st.tuples(plain_checkins, st.booleans(), st.booleans()).map(
    lambda t: _with_own(_with_typed(t[0], t[1]), t[2])
)
"""Valid check-ins; some keep a practice as typed by an alias of it, some have names of the
person's own."""
