"""Sync files' check-ins read as an import reads numbtrack's own JSON Lines: validated straight
from the line, packed (`store.pack`), without a CheckIn per record.

A first sync of ten years reads some 17,500 check-ins, and building each one (`from_dict`)
and validating it (`models.validate`) was almost half of its time. A `put` record exactly as
numbtrack writes it (`files.encode`: compact JSON, empty fields left out, no typed names) is
matched whole by one pattern whose every group is a whole JSON value (so the line holds
exactly those values, as json.loads would read them), its scalar fields are checked here by
the validator's own rules, and each of its lists once per distinct text, by the import's
checker (exchange.native.Checker), which asks the one validator about each distinct part once.

Anything else raises `Slow`, and the record is read the usual way (`from_dict`, then
`Store.apply_sync` validates it with the person's own names): the same check-in, or the same
sentence. So does a record naming any part by another spelling or an alias (it would carry
typed names) or a part the validator refuses without the store's own names. A record read
this way is one that `validate` takes as it is, with or without the person's own names (they
are only looked at for a name the vocabulary does not hold).
"""

from __future__ import annotations

import json
import re

from numbtrack.exchange.native import Checker, _Slow
from numbtrack.vocab import OWN_MARK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Slow = _Slow
"""Raised for a record that is to be read the usual way."""

_STRING = r'"([^"\\\x00-\x1f]*)"'
"""A JSON string without escapes (nor the raw control characters json.loads refuses)."""

_LIST = r"(\[[^\]\x00-\x1f]*\])"
"""A JSON list holding no list (nor a raw control character), checked whole by json.loads."""

_PUT = re.compile(
    r'\{"put":\{"id":"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",'
    r'"at":"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})([+-][0-9]{2}:[0-9]{2})"'
    r'(?:,"can_feel":(10|[0-9]))?'
    r',"state":' + _STRING + r'(?:,"feelings":' + _LIST + r")?"
    r'(?:,"sensations":' + _LIST + r")?"
    r'(?:,"practices":' + _LIST + r")?"
    r'(?:,"tags":' + _LIST + r")?"
    r'(?:,"sleep_hours":((?:0|[1-9][0-9]?)(?:\.[0-9]+)?))?'
    r'(?:,"note":("[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*"))?'
    r',"created_at":' + _STRING + r',"updated_at":' + _STRING + r"\}\}"
)
"""A put record as `files.encode` writes a check-in without typed names."""

_SENSATION = re.compile(
    r'"region":"([^"\\\x00-\x1f]*)","quality":"([^"\\\x00-\x1f]*)"'
    r'(?:,"intensity":([1-5]))?(?:,"direction":"(more|less)")?'
    r'(?:,"tone":"(pleasant|unpleasant|neutral)")?,"custom":(true|false)'
)
"""One sensation as `files.encode` writes it (between its braces); directions and tones as
vocab.DIRECTIONS and vocab.TONES name them."""


class Reader(Checker):
    """Reads the put records of one sync (every file of every device), remembering each
    distinct part and list met."""

    Slow = _Slow

    def _check_part(self, key: tuple[Any, ...], value: Any) -> Any:
        """The import's check of one part, refusing (Slow) a name that the validator would
        change: an alias or another spelling, for which it would note a typed name."""
        found = super()._check_part(key, value)
        kind = key[0]
        if (
            (kind == "f" and found.word != key[1])
            or (kind == "s" and (found.region != key[1] or found.quality != key[2]))
            or (kind == "p" and found[1] != key[1].removesuffix(OWN_MARK))
        ):
            self.known.pop(key, None)
            raise _Slow
        return found

    def put(self, line: str) -> tuple[Any, ...]:
        """The packed check-in of a put record of the plain kind (`store.pack` of what
        `validate` makes of it, created_at and updated_at as given); Slow for any other."""
        m = _PUT.fullmatch(line)
        if m is None:
            raise _Slow
        cid, local, offset, can_feel, state, fl, sl, pl, tl, sleep, note, created, updated = (
            m.groups()
        )
        iso, utc = self._plain_at(local, offset)
        lf, ls, lp, lt = self.lists
        f: tuple[Any, ...] = ()
        if fl is not None:
            found = lf.get(fl)
            f = self._json_list(0, fl) if found is None else found
        s: tuple[Any, ...] = ()
        if sl is not None:
            found = ls.get(sl)
            s = self._json_sensations(sl, "},{") if found is None else found
        p: tuple[Any, ...] = ()
        if pl is not None:
            found = lp.get(pl)
            p = self._json_list(2, pl) if found is None else found
        t: tuple[Any, ...] = ()
        if tl is not None:
            found = lt.get(tl)
            t = self._json_list(3, tl) if found is None else found
        hours = None
        if sleep is not None:
            hours = float(sleep)
            if hours > 24:
                raise _Slow
        text = None
        if note is not None:
            if "\\" in note:
                try:
                    text = json.loads(note)
                except ValueError:
                    raise _Slow from None
            else:
                text = note[1:-1]
        return (
            cid, iso, utc, local[:10], None if can_feel is None else int(can_feel),
            self._state(state), self._note(text), hours, created, updated, f, s, p, t, (),
        )  # fmt: skip

    def _json_sensation(self, piece: str) -> tuple[Any, ...]:
        """One sensation of a sync file (the text between its braces, compact JSON; the list
        is split by `_json_sensations`): as numbtrack writes it, its region
        and quality are checked once per pair and the rest by the pattern; any other goes
        through the import's check on its own."""
        m = _SENSATION.fullmatch(piece)
        if m is None:
            parts = self._json_list(1, "[{" + piece + "}]")
            if len(parts) != 1:  # "}, {" in it: more than one
                raise _Slow
            found: tuple[Any, ...] = parts[0]
            return found
        region, quality, level, direction, tone, custom = m.groups()
        key = ("s", region, quality, custom == "true")
        one = self.known.get(key)
        if one is None:
            one = self._check_part(key, {"region": region, "quality": quality,
                                         "custom": key[3]})  # fmt: skip
        return (one.region, one.quality, None if level is None else int(level), direction, tone)
