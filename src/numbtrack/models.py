"""The data model: a check-in and its parts, with the one validator everything goes through.

A check-in is one moment of noticing. The CLI, the dashboard and the importers all build
`CheckIn` values and pass them through `validate`, so a rule lives in exactly one place.
"""

from __future__ import annotations

import math
import os
import re
from datetime import UTC, date, datetime, timezone

from numbtrack import lazy, vocab
from numbtrack.errors import InvalidInput
from numbtrack.errors import shown as shown  # where the readers (exchange) import it from
from numbtrack.value import FACTORY, Frozen, replace, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: `numbtrack log` never imports typing (see quick.py)
    from collections.abc import Callable
    from typing import Any, ClassVar

MAX_NOTE = 100_000
"""Notes longer than this (in characters) are refused, by `log`, `edit` and every import
alike: room for a long journal entry, not for a book."""

MAX_ITEMS = 100
"""At most this many tags, and as many feeling words, sensations and practices, per check-in."""

FIRST_YEAR = 1900
"""Check-ins are from 1900-01-01 up to now (a minute of clock drift allowed)."""

FUTURE_GRACE_S = 60


class Feeling(Frozen):
    word: str
    intensity: int | None = None
    custom: bool = False

    def __init__(self, word: str, intensity: int | None = None, custom: bool = False) -> None:
        set_field(self, "word", word)
        set_field(self, "intensity", intensity)
        set_field(self, "custom", custom)

    def spec(self) -> str:
        return self.word if self.intensity is None else f"{self.word}:{self.intensity}"


class Sensation(Frozen):
    region: str
    quality: str
    intensity: int | None = None
    direction: str | None = None
    tone: str | None = None
    custom: bool = False
    """The quality is the person's own word. On input, True keeps a new one on purpose (like
    Feeling.custom); after `validate` it is True exactly when the quality is not shipped."""

    def __init__(
        self,
        region: str,
        quality: str,
        intensity: int | None = None,
        direction: str | None = None,
        tone: str | None = None,
        custom: bool = False,
    ) -> None:
        set_field(self, "region", region)
        set_field(self, "quality", quality)
        set_field(self, "intensity", intensity)
        set_field(self, "direction", direction)
        set_field(self, "tone", tone)
        set_field(self, "custom", custom)

    def spec(self) -> str:
        """region:quality[:intensity][:direction][:tone], the form --body takes."""
        parts = [self.region, self.quality]
        if self.intensity is not None:
            parts.append(str(self.intensity))
        if self.direction:
            parts.append(self.direction)
        if self.tone:
            parts.append(self.tone)
        return ":".join(parts)


TYPED_KINDS = ("word", "region", "quality", "practice")
"""What a typed name can have been counted as: a feeling word, a body region, a sensation
quality or a practice."""


class Typed(Frozen):
    """A name as the person typed it, when an alias made it another one: "walk" counted as
    the practice "movement". Kept beside the check-in so that `show` can say so."""

    kind: str
    """One of TYPED_KINDS."""
    typed: str
    """What was typed, in its stored spelling ("walk")."""
    name: str
    """What it was counted as ("movement")."""

    def __init__(self, kind: str, typed: str, name: str) -> None:
        set_field(self, "kind", kind)
        set_field(self, "typed", typed)
        set_field(self, "name", name)

    def line(self) -> str:
        return f"{self.typed}, counted as {self.name}"


class CheckIn(Frozen):
    at: datetime
    id: str
    can_feel: int | None = None
    state: str | None = None
    note: str | None = None
    sleep_hours: float | None = None
    feelings: tuple[Feeling, ...] = ()
    sensations: tuple[Sensation, ...] = ()
    practices: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    typed: tuple[Typed, ...] = ()
    """The names typed as aliases of others, in the order first met (see `Typed`)."""

    FACTORIES: ClassVar[dict[str, Callable[[], object]]] = {"id": lambda: new_id()}
    """The defaults made anew for each check-in (a dataclass's default_factory): a new id."""

    def __init__(
        self,
        at: datetime,
        id: str = FACTORY,
        can_feel: int | None = None,
        state: str | None = None,
        note: str | None = None,
        sleep_hours: float | None = None,
        feelings: tuple[Feeling, ...] = (),
        sensations: tuple[Sensation, ...] = (),
        practices: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        created_at: str = "",
        updated_at: str = "",
        typed: tuple[Typed, ...] = (),
    ) -> None:
        set_field(self, "at", at)
        set_field(self, "id", new_id() if id is FACTORY else id)
        set_field(self, "can_feel", can_feel)
        set_field(self, "state", state)
        set_field(self, "note", note)
        set_field(self, "sleep_hours", sleep_hours)
        set_field(self, "feelings", feelings)
        set_field(self, "sensations", sensations)
        set_field(self, "practices", practices)
        set_field(self, "tags", tags)
        set_field(self, "created_at", created_at)
        set_field(self, "updated_at", updated_at)
        set_field(self, "typed", typed)

    @property
    def day(self) -> date:
        return self.at.date()

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def words(self) -> list[str]:
        return [f.word for f in self.feelings]

    @property
    def noted(self) -> bool:
        """Whether anything was noted at all (a check-in of only a time is not saved)."""
        return bool(
            self.feelings or self.sensations or self.practices or self.tags or self.note
        ) or (self.can_feel is not None or self.sleep_hours is not None)


def to_dict(c: CheckIn) -> dict[str, Any]:
    """The plain-data form of a check-in (`--json`, exports, the undo journal); its inverse is
    `numbtrack.exchange.records.from_dict`."""
    return {
        "id": c.id,
        "at": c.at.isoformat(),
        "day": c.day.isoformat(),
        "can_feel": c.can_feel,
        "state": c.state,
        "feelings": [
            {"word": f.word, "intensity": f.intensity, "custom": f.custom} for f in c.feelings
        ],
        "sensations": [
            {
                "region": s.region,
                "quality": s.quality,
                "intensity": s.intensity,
                "direction": s.direction,
                "tone": s.tone,
                "custom": s.custom,
            }
            for s in c.sensations
        ],
        "practices": [own_practice_item(p) for p in c.practices],
        "tags": list(c.tags),
        "sleep_hours": c.sleep_hours,
        "note": c.note,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        **typed_field(c),
    }


def typed_field(c: CheckIn) -> dict[str, Any]:
    """{"typed": [...]} when some name was typed as an alias of another, else nothing: a
    check-in without one has exactly the form it had before typed names were kept."""
    if not c.typed:
        return {}
    return {"typed": typed_items(c.typed)}


def typed_items(typed: tuple[Typed, ...]) -> list[dict[str, str]]:
    """The "typed" field's value: {"kind", "typed", "name"} of each."""
    return [{"kind": t.kind, "typed": t.typed, "name": t.name} for t in typed]


def own_practice_item(name: str) -> str:
    """A practice as exports write it: an own practice ends in ":own" (like an own word in
    a CSV feelings cell), so that importing it elsewhere keeps it on purpose."""
    return name if name in vocab.load().practices else name + vocab.OWN_MARK


def keep_own(c: CheckIn) -> CheckIn:
    """A validated check-in ready to go into another store: its own practices marked with
    ":own" again (own words and qualities carry their `custom` flag already)."""
    if not c.practices:
        return c
    marked = tuple(own_practice_item(p) for p in c.practices)
    return c if marked == c.practices else replace(c, practices=marked)


def unmark_own(c: CheckIn) -> CheckIn:
    """The inverse of `keep_own`: an exported image as the store holds it, own practices by
    their plain name (the store keeps them on purpose already)."""
    if not any(p.endswith(vocab.OWN_MARK) for p in c.practices):
        return c
    return replace(c, practices=tuple(p.removesuffix(vocab.OWN_MARK) for p in c.practices))


def revise(c: CheckIn, **changes: Any) -> CheckIn:
    """`c` with some fields changed, as `numbtrack edit` and the dashboard's form do it.

    The state is worked out again when the words or sensations actually change, unless a
    state is given; a state the person set stays while they do not change.
    """
    if changes.get("state") is None:
        changes.pop("state", None)
        if any(changes[k] != getattr(c, k) for k in ("feelings", "sensations") if k in changes):
            changes["state"] = None
    if c.typed and "typed" not in changes:
        # What was typed for a part that changes goes with it; `validate` notes the new one.
        gone = {
            kind
            for field_name, kinds in _TYPED_BY_FIELD.items()
            if field_name in changes and changes[field_name] != getattr(c, field_name)
            for kind in kinds
        }
        if gone:
            changes["typed"] = tuple(t for t in c.typed if t.kind not in gone)
    return replace(c, **changes)


_TYPED_BY_FIELD = {
    "feelings": ("word",),
    "sensations": ("region", "quality"),
    "practices": ("practice",),
}


def utc_stamp(moment: datetime | None = None) -> str:
    """A UTC timestamp with microseconds, as stored in created_at and updated_at."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_moment(moment: datetime) -> datetime:
    """An aware datetime with a fixed UTC offset, to the second (naive means local time)."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    elif not moment.microsecond and type(moment.tzinfo) is timezone:
        return moment  # already what is asked for (what astimezone() gives): the common case
    offset = moment.utcoffset()
    assert offset is not None
    return moment.replace(microsecond=0, tzinfo=timezone(offset))


def derive_state(feelings: tuple[Feeling, ...], sensations: tuple[Sensation, ...]) -> str:
    """numb when only numb-cluster words (or only absent sensations) were named; mixed when
    numb and other words were; feeling when only other words were; otherwise unsure."""
    v = vocab.load()
    if feelings:
        numb = [v.is_numb(f.word) for f in feelings]
        if all(numb):
            return "numb"
        return "mixed" if any(numb) else "feeling"
    if sensations and all(v.is_absence(s.quality) for s in sensations):
        return "numb"
    return "unsure"


def _intensity(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(f"The intensity of {what} must be a whole number from 1 to 5.")
    return value


_HOURS = lazy.Pattern(r"(\d{1,2}(?:[.,]\d{1,3})?)\s*(?:h|hrs?|hours?)?", re.IGNORECASE)
_HOURS_MINUTES = lazy.Pattern(r"(\d{1,2})\s*(?:h|:)\s*(\d{1,2})\s*(?:m|mins?)?", re.IGNORECASE)
_OUT_OF_TEN = lazy.Pattern(r"(\d{1,2})\s*(?:/|out of|of)\s*10", re.IGNORECASE)


def read_hours(text: str) -> float | None:
    """A number of hours as people type it (`--sleep`): 7, 7.5, 7,5, 7h, 6.5 hours, 7h30,
    7:30 (seven and a half); None if it is not one. A plain number is read as Python reads
    a float, so the range check (0 to 24) is left to `validate`, as for any number."""
    try:
        return float(text)
    except ValueError:
        pass
    t = text.strip()
    if m := _HOURS.fullmatch(t):
        return float(m.group(1).replace(",", "."))
    if (m := _HOURS_MINUTES.fullmatch(t)) and int(m.group(2)) < 60:
        return int(m.group(1)) + int(m.group(2)) / 60
    return None


WHOLE_NUMBER_DIGITS = 9
"""The most digits `whole_number` reads: far more than any count numbtrack takes needs."""


def whole_number(text: str) -> int | None:
    """The whole number `text` is written in digits (at most WHOLE_NUMBER_DIGITS), else None.
    `str.isdigit` alone lets through what `int` refuses: "²" is a digit but no decimal one,
    and `int` reads at most 4,300 digits."""
    return int(text) if text.isdecimal() and len(text) <= WHOLE_NUMBER_DIGITS else None


def read_can_feel(text: str) -> int | None:
    """How much one can feel as typed (`--feel`): 3, or 3/10 and "3 out of 10"; None if not.
    The range check (0 to 10) is `check_can_feel`'s."""
    try:
        return int(text)
    except ValueError:
        pass
    m = _OUT_OF_TEN.fullmatch(text.strip())
    return int(m.group(1)) if m else None


def check_can_feel(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidInput(
            f'"How much can you feel" takes a whole number from 0 (nothing) to 10, '
            f"not {shown(value)}."
        )
    return value


def new_id() -> str:
    """A new random id: what str(uuid.uuid4()) returns (16 bytes of os.urandom with the
    version and variant bits of a version 4 UUID), without importing uuid, which imports
    platform and costs more start-up than a whole `numbtrack log` spends on its check-in."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_UUID = lazy.Pattern(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""The form numbtrack writes ids in; anything else is checked by uuid.UUID."""

_TAGS: dict[str, str] = {}
"""Tags already checked, by what was given: an import of ten years repeats a few hundred."""


def check_text(text: str, what: str) -> str:
    """Refuse text that cannot be stored as UTF-8 (a lone surrogate, or bytes that were not
    UTF-8 on the command line, which Python keeps as surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"{what} holds characters that are not valid text (not UTF-8); "
            "type it again or check the file's encoding."
        ) from None
    return text


def check_moment(at: datetime) -> None:
    """From 1900 up to now: numbtrack records moments that have already happened."""
    from datetime import timedelta

    if at.tzinfo is None:
        return
    outside = InvalidInput(
        f"numbtrack keeps check-ins from {FIRST_YEAR} up to now; {at.date().isoformat()} is "
        "outside that."
    )
    try:
        utc = at.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, or 9999 west of it
        raise outside from None
    if utc.year < FIRST_YEAR:
        raise outside
    if utc > datetime.now(UTC) + timedelta(seconds=FUTURE_GRACE_S):
        raise InvalidInput(
            f"{at:%Y-%m-%d %H:%M} is in the future; a check-in records a moment "
            "that has already happened."
        )


def _at_most(items: tuple[Any, ...], what: str) -> None:
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"A check-in can have at most {MAX_ITEMS} {what}, not {len(items):,}.")


def check_tag(tag: str) -> str:
    """The stored spelling of a tag; a leading # (as in "#work") is not part of it."""
    found = _TAGS.get(tag)
    if found is not None:
        return found
    check_text(tag, "A tag")
    vocab.refuse_blank(tag, "a tag")
    t = vocab.spell(vocab.normal(tag).strip().lstrip("#"))
    if not t or len(t) > 60 or not re.fullmatch(r"[^\s,|]+", t):
        raise InvalidInput(
            f'"{shown(tag)}" cannot be a tag; use a short word or words joined by hyphens, like'
            " bad-sleep."
        )
    if len(_TAGS) < 50_000:
        _TAGS[tag] = t
    return t


def validate(
    c: CheckIn,
    custom_words: set[str] | frozenset[str] = frozenset(),
    own_qualities: set[str] | frozenset[str] = frozenset(),
    own_practices: set[str] | frozenset[str] = frozenset(),
) -> CheckIn:
    """Return `c` with every word in its stored spelling and its state filled in.

    Raises InvalidInput, with a sentence a person can act on, for anything out of range or
    unknown. `custom_words`, `own_qualities` and `own_practices` are the person's own names
    kept before; a Feeling or Sensation marked custom, or a practice ending in ":own", keeps a
    new one on purpose. Notes get Unix line ends (CRLF and CR become LF).
    """
    v = vocab.load()
    if not isinstance(c.at, datetime):
        raise InvalidInput("A check-in needs a time.")
    checkin_id = c.id
    if not (isinstance(c.id, str) and _UUID.fullmatch(c.id)):
        try:
            # One spelling per id: iOS writes upper case, numbtrack stores lower case.
            import uuid

            checkin_id = str(uuid.UUID(c.id))
        except (ValueError, AttributeError, TypeError):
            named = c.id[:60] if isinstance(c.id, str) else c.id
            raise InvalidInput(f'"{named}" is not a valid check-in id (a UUID).') from None
    check_moment(c.at)
    _at_most(c.tags, "tags")
    _at_most(c.feelings, "feeling words")
    _at_most(c.sensations, "sensations")
    _at_most(c.practices, "practices")
    can_feel = check_can_feel(c.can_feel)
    sleep = c.sleep_hours
    if sleep is not None:
        if isinstance(sleep, bool) or not isinstance(sleep, int | float) or math.isnan(sleep):
            raise InvalidInput("Sleep is a number of hours from 0 to 24.")
        if not 0 <= sleep <= 24:
            raise InvalidInput(f"Sleep is a number of hours from 0 to 24, not {sleep:g}.")
        sleep = float(sleep)
    note = c.note
    if note is not None:
        check_text(note, "The note")
        if "\x00" in note:
            raise InvalidInput("A note cannot contain a NUL character.")
        if "\r" in note:
            note = note.replace("\r\n", "\n").replace("\r", "\n")
        if len(note) > MAX_NOTE:
            raise InvalidInput(f"A note can be at most {MAX_NOTE:,} characters long.")
        if not note.strip():
            note = None

    typed: list[Typed] = []
    feelings: list[Feeling] = []
    seen_words: set[str] = set()
    for f in c.feelings:
        if f.custom:
            vocab.refuse_blank(f.word, "a feeling word")
            word = vocab.spell(f.word)
            if not word or len(word) > 40 or not re.fullmatch(r"[^\W\d_][\w\-']*", word):
                raise InvalidInput(f'"{shown(f.word)}" cannot be a feeling word; use letters only.')
            if v.word_index.get(word) is not None:
                word = v.feeling(word)
                custom = False
            else:
                custom = True
        else:
            word = v.feeling(f.word, custom_words)
            custom = word not in v.words
        if not custom and f.word != word:  # the same text is never a rename: no lookup
            _met(typed, "word", v.word_index, f.word, word)
        if word in seen_words:
            continue
        seen_words.add(word)
        level = None if f.intensity is None else _intensity(f.intensity, f'"{shown(word)}"')
        feelings.append(Feeling(word, level, custom))

    sensations: list[Sensation] = []
    for s in c.sensations:
        region = v.region(s.region)
        quality = _quality(v, s.quality, s.custom, own_qualities, region)
        if s.region != region:
            _met(typed, "region", v.region_index, s.region, region)
        if s.quality != quality:
            _met(typed, "quality", v.quality_index, s.quality, quality)
        if s.direction is not None and s.direction not in vocab.DIRECTIONS:
            raise InvalidInput(
                f'The direction of a sensation is "more" or "less", not "{s.direction}".'
            )
        if s.tone is not None and s.tone not in vocab.TONES:
            raise InvalidInput(
                f'The tone of a sensation is pleasant, unpleasant or neutral, not "{s.tone}".'
            )
        sensations.append(
            Sensation(
                region,
                quality,
                _intensity(s.intensity, f"{region}:{quality}"),
                s.direction,
                s.tone,
                quality not in v.qualities,
            )
        )

    practices: list[str] = []
    for p in c.practices:
        name = _practice(v, p, own_practices)
        if p != name:
            _met(typed, "practice", v.practice_index, p.removesuffix(vocab.OWN_MARK), name)
        if name not in practices:
            practices.append(name)
    tags = list(dict.fromkeys(check_tag(t) for t in c.tags))
    if c.typed:
        present = {
            "word": {f.word for f in feelings},
            "region": {s.region for s in sensations},
            "quality": {s.quality for s in sensations},
            "practice": set(practices),
        }
        typed = [*_kept_typed(c.typed, present), *typed]
        typed = list(dict.fromkeys(typed))

    fs, ss = tuple(feelings), tuple(sensations)
    state = vocab.check_state(c.state) if c.state else derive_state(fs, ss)
    return replace(
        c,
        id=checkin_id,
        at=local_moment(c.at),
        can_feel=can_feel,
        sleep_hours=sleep,
        note=note,
        feelings=fs,
        sensations=ss,
        practices=tuple(practices),
        tags=tuple(tags),
        state=state,
        typed=tuple(typed),
    )


def _met(typed: list[Typed], kind: str, index: vocab._Index, text: str, name: str) -> None:
    """Note `text` in `typed` when an alias made it `name` ("walk" -> "movement")."""
    if index.counted_as(text) == name:
        t = Typed(kind, vocab.spell(text), name)
        if t not in typed:
            typed.append(t)


def _kept_typed(given: tuple[Typed, ...], present: dict[str, set[str]]) -> list[Typed]:
    """The typed names a check-in already carried (stored, imported or synced) that still
    stand beside one of its parts; one that cannot be a name is refused."""
    _at_most(given, "typed names")
    out: list[Typed] = []
    for t in given:
        if not isinstance(t, Typed) or t.kind not in TYPED_KINDS:
            raise InvalidInput(
                "A typed name is kept for a word, region, quality or practice, not "
                f"{shown(getattr(t, 'kind', t))!r}."
            )
        check_text(t.typed, "A typed name")
        typed = vocab.spell(t.typed)
        if not typed or len(typed) > 60 or not re.fullmatch(r"\w[\w\-']*", typed):
            raise InvalidInput(f'"{shown(t.typed)}" cannot be a typed name; use letters.')
        if t.name in present[t.kind] and vocab._key(typed) != vocab._key(t.name):
            out.append(Typed(t.kind, typed, t.name))
    return out


def _quality(
    v: vocab.Vocabulary, text: str, keep: bool, own: set[str] | frozenset[str], region: str
) -> str:
    """A shipped quality (spellings and aliases forgiven), a kept one, or with `keep` a new
    own one; anything else is refused with "did you mean" and how to keep it."""
    vocab.refuse_blank(text, "a sensation quality")
    found = v.quality_index.get(text)
    if found is not None:
        return found
    if keep:
        return vocab.own_name(text, "a sensation quality")
    return v.quality(text, own, region=region)


def _practice(v: vocab.Vocabulary, text: str, own: set[str] | frozenset[str]) -> str:
    keep = text.endswith(vocab.OWN_MARK)
    name = text.removesuffix(vocab.OWN_MARK) if keep else text
    vocab.refuse_blank(name, "a practice")
    found = v.practice_index.get(name)
    if found is not None:
        return found
    if keep:
        return vocab.own_name(name, "a practice")
    return v.practice(name, own)


def renames(
    words: list[str] | tuple[str, ...] = (),
    bodies: list[str] | tuple[str, ...] = (),
    practices: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """What typed names were counted as, when an alias became another word: "walk, counted
    as movement". Different spellings of the same word ("Auto-Pilot") are not renames."""
    v = vocab.load()
    out: list[str] = []

    def note(index: vocab._Index, typed: str) -> None:
        became = index.counted_as(typed)
        if became is not None:
            line = f"{vocab.spell(typed)}, counted as {became}"
            if line not in out:
                out.append(line)

    for w in words:
        note(v.word_index, w.rpartition(":")[0] if ":" in w else w)
    for b in bodies:
        parts = [p.strip() for p in re.split(r"[:,]", b)]
        if len(parts) >= 2:
            note(v.region_index, parts[0])
            note(v.quality_index, parts[1])
    for p in practices:
        note(v.practice_index, p.removesuffix(vocab.OWN_MARK))
    return out


def parse_feeling(text: str) -> Feeling:
    """WORD or WORD:INTENSITY, as typed after `numbtrack log`."""
    word, sep, rest = text.rpartition(":") if ":" in text else (text, "", "")
    if sep and (level := whole_number(rest.strip())) is not None:
        return Feeling(word.strip(), level)
    if sep:
        raise InvalidInput(
            f'"{shown(text)}" should be a feeling word, optionally with :1 to :5 after it.'
        )
    return Feeling(text.strip())


def _spaced_parts(words: list[str]) -> list[str]:
    """A sensation typed with spaces alone: the region may be several words of a hyphenated
    region ("neck and shoulders" is neck-and-shoulders), the longest that is one."""
    v = vocab.load()
    for end in range(len(words) - 1, 1, -1):
        joined = "-".join(words[:end])
        if v.region_index.get(joined) is not None:
            return [joined, *words[end:]]
    return words


def parse_body(
    text: str,
    own: set[str] | frozenset[str] = frozenset(),
    *,
    keep: bool = False,
    spaced: bool = False,
) -> Sensation:
    """REGION:QUALITY[:INTENSITY][:more|less][:pleasant|unpleasant|neutral].

    Commas work as well as colons ("chest, tight, 3"), and, with `spaced` (what a person
    types, not a file), spaces alone ("chest tight 3"); parts after the quality may come in
    any order. The quality is a shipped one, one of the person's `own`, or with `keep` (the
    --new-body option) a new own one; `validate` checks them all again. A region or quality
    given by an alias ("heart", "foggy") is returned as typed, for `validate` to resolve and
    keep beside what it became.
    """
    parts = [p.strip() for p in re.split(r"[:,]", text)]
    if spaced and len(parts) == 1 and len(text.split()) >= 2:
        parts = _spaced_parts(text.split())  # "chest tight 3", "neck and shoulders tense"
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise InvalidInput(
            f'"{shown(text)}" should look like REGION:QUALITY[:INTENSITY], for example'
            " chest:tight:3."
        )
    intensity: int | None = None
    direction: str | None = None
    tone: str | None = None
    for extra in parts[2:]:
        low = extra.lower()
        if (number := whole_number(low)) is not None:
            intensity = number
        elif low in vocab.DIRECTIONS:
            direction = low
        elif low in vocab.TONES:
            tone = low
        else:
            raise InvalidInput(
                f'In "{shown(text)}", "{shown(extra)}" is not an intensity (1-5), more/less, or '
                "a tone (pleasant, unpleasant, neutral)."
            )
    v = vocab.load()
    region = v.region(parts[0])
    quality = _quality(v, parts[1], keep, own, region)
    custom = quality not in v.qualities
    # An alias stays as typed ("heart"), so that `validate` keeps what it was counted as.
    if v.region_index.counted_as(parts[0]):
        region = parts[0]
    if v.quality_index.counted_as(parts[1]):
        quality = parts[1]
    return Sensation(region, quality, intensity, direction, tone, custom)
