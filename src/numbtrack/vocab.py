"""The vocabulary: body regions, sensation qualities, practices and feeling words.

The words are numbtrack's own, shipped as `data/vocabulary.json` (no third-party lexicon:
the well-known norms forbid redistribution). Valence and arousal are placements on Russell's
circumplex; the numb cluster has neither, so it can never pull an average toward "calm".

Lookups are forgiving about case, spaces, hyphens and listed aliases, and strict about typos:
an unknown word raises `InvalidInput` with the closest matches, never stored silently.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache, cached_property
from pathlib import Path

from numbtrack.errors import SHOWN_CHARS, InvalidInput, shown
from numbtrack.value import Frozen, set_field

DATA_FILE = Path(__file__).parent / "data" / "vocabulary.json"

QUADRANTS = ("pleasant-high", "pleasant-low", "unpleasant-high", "unpleasant-low")
"""Quadrants of the circumplex: pleasant or unpleasant, high or low energy."""

OWN_GROUP = "your own"
"""The group every own sensation quality belongs to (it is never an absence)."""

OWN_MARK = ":own"
"""Ends an own practice in exports and marks a practice to keep as your own on input."""

STATES = ("feeling", "numb", "mixed", "unsure")
DIRECTIONS = ("more", "less")
TONES = ("pleasant", "unpleasant", "neutral")


class Word(Frozen):
    word: str
    valence: float | None
    arousal: float | None
    quadrant: str | None
    family: str
    specific: bool
    aliases: tuple[str, ...] = ()

    def __init__(
        self,
        word: str,
        valence: float | None,
        arousal: float | None,
        quadrant: str | None,
        family: str,
        specific: bool,
        aliases: tuple[str, ...] = (),
    ) -> None:
        set_field(self, "word", word)
        set_field(self, "valence", valence)
        set_field(self, "arousal", arousal)
        set_field(self, "quadrant", quadrant)
        set_field(self, "family", family)
        set_field(self, "specific", specific)
        set_field(self, "aliases", aliases)

    @property
    def numb(self) -> bool:
        return self.family == "numb"


class Quality(Frozen):
    name: str
    group: str
    aliases: tuple[str, ...] = ()

    def __init__(self, name: str, group: str, aliases: tuple[str, ...] = ()) -> None:
        set_field(self, "name", name)
        set_field(self, "group", group)
        set_field(self, "aliases", aliases)

    @property
    def absence(self) -> bool:
        return self.group == "absence"


class Practice(Frozen):
    name: str
    suggestion: str
    aliases: tuple[str, ...] = ()

    def __init__(self, name: str, suggestion: str, aliases: tuple[str, ...] = ()) -> None:
        set_field(self, "name", name)
        set_field(self, "suggestion", suggestion)
        set_field(self, "aliases", aliases)


def normal(text: str) -> str:
    """NFKC: full-width letters ("ｎｕｍｂ"), ligatures and compatibility forms become the
    ordinary ones, so that what looks the same is the same."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def spell(text: str) -> str:
    """The stored spelling of a word: NFKC, lower case, words joined by hyphens."""
    # String methods rather than a regex: this runs on every `numbtrack log`, and compiling a
    # pattern costs more than the whole lookup.
    return "-".join(normal(text).lower().replace("_", " ").replace("-", " ").split())


def _key(text: str) -> str:
    """What lookups compare: letters and digits only ("Auto-Pilot" and "autopilot" match)."""
    return "".join(ch for ch in normal(text).lower() if ch.isalnum())


def refuse_blank(text: str, what: str) -> None:
    """Refuse an empty or blank value with a sentence naming what it should have been."""
    if not normal(text).strip():
        raise InvalidInput(f"{what[0].upper()}{what[1:]} cannot be empty or blank.")


class _Index:
    """Maps every spelling and alias of a name to the name itself."""

    def __init__(self, kind: str, names: dict[str, tuple[str, ...]]) -> None:
        self.kind = kind
        self.names = list(names)
        self._seen: dict[str, str | None] = {}
        self._counted: dict[str, str | None] = {}
        self._by_key: dict[str, str] = {}
        for name, aliases in names.items():
            for variant in (name, *aliases):
                self._by_key.setdefault(_key(variant), name)

    def get(self, text: str) -> str | None:
        # Remembered per text given: an import looks up the same few hundred names again and
        # again, and _key walks every character.
        try:
            return self._seen[text]
        except KeyError:
            found = self._seen[text] = self._by_key.get(_key(text))
            if len(self._seen) > 50_000:
                self._seen.clear()
            return found

    def counted_as(self, text: str) -> str | None:
        """The name `text` was counted as, when it is an alias for a different word
        ("walk" -> "movement"); None when it is the name itself in another spelling."""
        try:
            return self._counted[text]
        except KeyError:
            pass
        found = self.get(text)
        if found is not None and _key(found) == _key(text):
            found = None
        if len(self._counted) > 50_000:
            self._counted.clear()
        self._counted[text] = found
        return found

    def suggest(self, text: str, extra: list[str] | None = None) -> list[str]:
        import difflib  # only for a mistake: a correct `numbtrack log` never needs it

        pool = {spell(k) for k in self._by_key} | set(self.names) | set(extra or [])
        close = difflib.get_close_matches(spell(text), sorted(pool), n=6, cutoff=0.6)
        out: list[str] = []
        for c in close:
            name = self.get(c) or c
            if name not in out:
                out.append(name)
        return out[:3]

    def resolve(
        self, text: str, *, hint: str = "", own: set[str] | frozenset[str] = frozenset()
    ) -> str:
        """The name for `text`: a listed spelling or alias, or one of the person's `own`."""
        refuse_blank(text, f"a {self.kind}")
        found = self.get(text)
        if found is not None:
            return found
        spelled = spell(text)
        if spelled in own:
            return spelled
        close = self.suggest(text, extra=sorted(own))
        raise InvalidInput(unknown_message(self.kind, text, close, hint))


def unknown_message(kind: str, text: str, close: list[str], hint: str = "") -> str:
    named = shown(spell(text) or text)
    if close:
        options = " or ".join(f'"{c}"' for c in close)
        msg = f'"{named}" is not a {kind} numbtrack knows; did you mean {options}?'
    else:
        msg = f'"{named}" is not a {kind} numbtrack knows.'
    if len(text) > SHOWN_CHARS and hint.startswith("To keep it"):
        # Too long to be kept as one's own (own_name refuses it): no advice to try that.
        rest = hint.partition("; ")[2]
        hint = rest[:1].upper() + rest[1:]
    return f"{msg} {hint}".rstrip()


class Vocabulary:
    def __init__(self, data: dict) -> None:  # type: ignore[type-arg]
        self.about: str = data["about"]
        self.words: dict[str, Word] = {
            w["word"]: Word(
                word=w["word"],
                valence=w["valence"],
                arousal=w["arousal"],
                quadrant=w["quadrant"],
                family=w["family"],
                specific=w["specific"],
                aliases=tuple(w["aliases"]),
            )
            for w in data["feelings"]
        }
        self.regions: dict[str, tuple[str, ...]] = {
            r["name"]: tuple(r["aliases"]) for r in data["regions"]
        }
        self.qualities: dict[str, Quality] = {
            q["name"]: Quality(q["name"], q["group"], tuple(q["aliases"]))
            for q in data["qualities"]
        }
        self.practices: dict[str, Practice] = {
            p["name"]: Practice(p["name"], p["suggestion"], tuple(p["aliases"]))
            for p in data["practices"]
        }

    # The indexes are built on first use: `numbtrack log calm` never needs the region index.

    @cached_property
    def word_index(self) -> _Index:
        return _Index("feeling word", {w.word: w.aliases for w in self.words.values()})

    @cached_property
    def region_index(self) -> _Index:
        return _Index("body region", self.regions)

    @cached_property
    def quality_index(self) -> _Index:
        return _Index("sensation quality", {q.name: q.aliases for q in self.qualities.values()})

    @cached_property
    def practice_index(self) -> _Index:
        return _Index("practice", {p.name: p.aliases for p in self.practices.values()})

    # -- lookups -------------------------------------------------------------------------

    def feeling(
        self, text: str, custom: set[str] | frozenset[str] = frozenset(), hint: str = ""
    ) -> str:
        """The canonical feeling word for `text`, or a custom word the person added before.
        The refusal ends with `hint`, by default how `log` keeps a word of one's own."""
        refuse_blank(text, "a feeling word")
        found = self.word_index.get(text)
        if found is not None:
            return found
        spelled = spell(text)
        if spelled in custom:
            return spelled
        close = self.word_index.suggest(text, extra=sorted(custom))
        raise InvalidInput(
            unknown_message(
                "feeling word",
                text,
                close,
                hint or f"To keep it as your own word, use --new-word {spelled}.",
            )
        )

    def region(self, text: str) -> str:
        return self.region_index.resolve(text, hint="See them all with: numbtrack body.")

    def quality(
        self,
        text: str,
        own: set[str] | frozenset[str] = frozenset(),
        *,
        region: str = "REGION",
        hint: str = "",
    ) -> str:
        """A shipped quality, or one of the person's `own`; the refusal ends with `hint`, by
        default how `log` keeps one of one's own."""
        hint = hint or (
            f"To keep it as your own, use --new-body {region}:{spell(text)}; "
            "see them all with: numbtrack body."
        )
        return self.quality_index.resolve(text, hint=hint, own=own)

    def practice(
        self, text: str, own: set[str] | frozenset[str] = frozenset(), hint: str = ""
    ) -> str:
        """A shipped practice, or one of the person's `own`; the refusal ends with `hint`, by
        default how `log` keeps one of one's own."""
        hint = hint or (
            f"To keep it as your own, use --new-practice {spell(text)}; "
            "see them all with: numbtrack practices."
        )
        return self.practice_index.resolve(text, hint=hint, own=own)

    def group_of(self, quality: str) -> str:
        """The group of a quality; every own quality is in OWN_GROUP."""
        q = self.qualities.get(quality)
        return q.group if q is not None else OWN_GROUP

    def is_absence(self, quality: str) -> bool:
        q = self.qualities.get(quality)
        return q is not None and q.absence

    def search(self, text: str) -> list[Word]:
        """Words containing `text` (in the word or an alias), or of the family named `text`."""
        needle = text.strip().lower()
        return [
            w
            for w in self.words.values()
            if not needle
            or needle in w.word
            or needle == w.family
            or any(needle in a for a in w.aliases)
        ]

    def is_numb(self, word: str) -> bool:
        w = self.words.get(word)
        return w is not None and w.numb

    def numb_words(self) -> list[str]:
        return [w.word for w in self.words.values() if w.numb]

    def by_quadrant(self) -> dict[str, list[Word]]:
        out: dict[str, list[Word]] = {q: [] for q in (*QUADRANTS, "numb")}
        for w in self.words.values():
            out[w.quadrant or "numb"].append(w)
        return out

    def quality_groups(self) -> dict[str, list[Quality]]:
        out: dict[str, list[Quality]] = {}
        for q in self.qualities.values():
            out.setdefault(q.group, []).append(q)
        return out


@cache
def load() -> Vocabulary:
    """The packaged vocabulary, parsed once per process."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return Vocabulary(json.load(fh))


def own_name(text: str, what: str) -> str:
    """The stored spelling of a name the person keeps as their own, or a refusal."""
    import re

    refuse_blank(text, what)
    name = spell(text)
    if len(name) > 40 or not re.fullmatch(r"[^\W\d_][\w\-']*", name):
        raise InvalidInput(
            f'"{shown(text)}" cannot be {what}; use letters, and hyphens between words'
            " (at most 40)."
        )
    return name


def check_state(state: str) -> str:
    refuse_blank(state, "a state (feeling, numb, mixed or unsure)")
    s = spell(state)
    if s in STATES:
        return s
    import difflib

    close = difflib.get_close_matches(s, STATES, n=1)
    tail = f'; did you mean "{close[0]}"?' if close else "."
    raise InvalidInput(f'"{shown(state)}" is not a state; use one of {", ".join(STATES)}{tail}')
