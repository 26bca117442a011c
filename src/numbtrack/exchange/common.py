"""What the importers of other apps share: the report of how names were mapped, feeling-word
lookups, tag spelling, notes from HTML, and the limits every importer keeps.

Other apps' files are read tolerantly (every variant seen in public exports) but never
silently: whatever an importer could not place is counted in `Report.not_kept`, and every name
it turned into something of numbtrack's is listed in `Report.mapped`, so `import --dry-run`
can show the whole mapping before anything is written.

Lookups are cached per distinct source string: a ten-year history repeats the same few
hundred names, so each costs one dictionary hit after the first time.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from numbtrack import vocab
from numbtrack.errors import InvalidInput
from numbtrack.models import Feeling

MAX_MEMBER_BYTES = 256 * 1024 * 1024
"""The most a ZIP member (Daylio's base64 backup) may unpack to; a larger one is refused."""

MAX_CELL = 101_000
"""The longest CSV cell accepted: a note of the longest kind (models.MAX_NOTE, 100,000
characters) with room for its markup (the csv module's own limit is about 131,000)."""

MAX_TAG = 60
"""Tags longer than this are cut (models.check_tag refuses them)."""


@dataclass
class Report:
    """How an import mapped the source's names, for the dry run and the summary."""

    mapped: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    """Section ("Mood labels", "Symptoms", ...) -> (source name, what it became) -> how often."""
    own_words: Counter[str] = field(default_factory=Counter)
    """Feeling words numbtrack does not know, kept as the person's own words."""
    not_kept: Counter[str] = field(default_factory=Counter)
    """What had no place in numbtrack -> in how many entries it had a value."""

    def map(self, section: str, source: str, became: str, n: int = 1) -> None:
        items = self.mapped.get(section)
        if items is None:
            items = self.mapped[section] = Counter()
        items[(source, became)] += n

    def lines(self) -> list[str]:
        """The report as plain sentences, one section per line."""
        out: list[str] = []
        for section, items in self.mapped.items():
            shown = ", ".join(
                f"{src} -> {became} ({n})" for (src, became), n in sorted(items.items())
            )
            out.append(f"{section}: {shown}.")
        if self.own_words:
            words = ", ".join(f"{w} ({n})" for w, n in sorted(self.own_words.items()))
            out.append(f"Kept as your own words (numbtrack does not know them): {words}.")
        if self.not_kept:
            what = "; ".join(f"{k} ({n})" for k, n in sorted(self.not_kept.items()))
            out.append(f"Not kept: {what}.")
        return out


def stamp(at: datetime) -> str:
    """created_at and updated_at of an imported check-in: derived from the source entry's
    time, so importing again gives the same value, and an edit since (which stamps now) shows.
    The same text as models.utc_stamp (isoformat is several times faster than strftime)."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


_NAMESPACES: dict[uuid.UUID, bytes] = {}
_sha1: Any = None


def uuid5(namespace: uuid.UUID, name: str) -> str:
    """str(uuid.uuid5(namespace, name)), without building UUID objects (a third of the time
    of an import's mapping went there)."""
    from hashlib import sha1  # here, not at the top: it loads OpenSSL, which export and
    # backup (they import this module too) never need

    prefix = _NAMESPACES.get(namespace)
    if prefix is None:
        prefix = _NAMESPACES[namespace] = namespace.bytes
    h = sha1(prefix + name.encode("utf-8"), usedforsecurity=False).hexdigest()
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


_TAG_CACHE: dict[str, str] = {}


def tag(text: str) -> str:
    """A tag from a name in another app: lower case, runs of other characters become one
    hyphen ("movies / tv" -> "movies-tv"); the same rule as the Daylio CSV import."""
    found = _TAG_CACHE.get(text)
    if found is None:
        found = re.sub(r"[^\w:]+", "-", text.strip().lower()).strip("-")
        if len(found) > MAX_TAG:
            found = found[:MAX_TAG].rstrip("-")
        _TAG_CACHE[text] = found
    return found


SPELLINGS = {
    "panicked": "panicky",
    "energized": "energetic",
    "energised": "energetic",
    "irritable": "irritated",
    "frightened": "scared",
    "peeved": "annoyed",
    "burned-out": "worn-out",
    "burnt-out": "worn-out",
    "fatigued": "tired",
}
"""Other apps' spellings of words numbtrack knows under another form. Each use is listed in
the dry run ("Panicked -> panicky"), so nothing is renamed silently."""

_WORD_CACHE: dict[str, tuple[str, bool]] = {}


def feeling_word(text: str) -> tuple[str, bool] | None:
    """(word, custom) for an emotion word from another app: numbtrack's own word when it
    knows the word or a spelling of it, else the person's own word (custom). None when it
    cannot be a word at all (digits, symbols): the caller keeps it another way."""
    found = _WORD_CACHE.get(text)
    if found is not None:
        return found
    v = vocab.load()
    spelled = vocab.spell(text)
    known = v.word_index.get(text) or v.word_index.get(SPELLINGS.get(spelled, ""))
    if known is not None:
        found = (known, False)
    elif spelled and len(spelled) <= 40 and re.fullmatch(r"[^\W\d_][\w\-']*", spelled):
        found = (spelled, True)
    else:
        return None
    _WORD_CACHE[text] = found
    return found


_WORDS_CACHE: dict[tuple[str, str], tuple[Any, ...]] = {}


def emotion_words(cell: str, sep: str, report: Report, tags: list[str]) -> list[Feeling]:
    """The emotion words of a cell (`Numb;Tired`, `Anxious | Hopeful`) as feelings: known
    words and spellings become numbtrack's word (a respelling is listed in the report), others
    the person's own word (named); one that cannot be a word becomes a tag. Cached per cell:
    a history repeats the same few hundred combinations."""
    found = _WORDS_CACHE.get((cell, sep))
    if found is None:
        feelings: list[Feeling] = []
        extra: list[str] = []
        own: list[str] = []
        maps: list[tuple[str, str, str]] = []
        for raw in (w.strip() for w in cell.split(sep)):
            if not raw:
                continue
            word = feeling_word(raw)
            if word is None:
                t = tag(raw)
                if t:
                    extra.append(t)
                    maps.append(("Mood words kept as tags", raw, f"tag {t}"))
                else:
                    maps.append(("Mood words not kept (no letters)", raw, "nothing"))
                continue
            if word[1]:
                own.append(word[0])
            elif word[0] != tag(raw):
                maps.append(("Mood words", raw, word[0]))
            feelings.append(Feeling(word[0], custom=word[1]))
        found = (tuple(feelings), tuple(extra), tuple(own), tuple(maps))
        if len(_WORDS_CACHE) < 50_000:
            _WORDS_CACHE[(cell, sep)] = found
    feelings_t, extra_t, own_t, maps_t = found
    tags.extend(extra_t)
    for w in own_t:
        report.own_words[w] += 1
    for section, source, became in maps_t:
        report.map(section, source, became)
    return list(feelings_t)


_BLOCK = {"div", "p", "li", "ol", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
_INLINE = {
    "b", "i", "u", "s", "em", "strong", "strike", "del", "ins", "font", "span", "a", "sub",
    "sup", "small", "big", "code", "mark", "tt",
}  # fmt: skip
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")


def html_to_text(note: str) -> str:
    """A Daylio note (HTML) as plain text: <br> and blocks become line breaks, list items
    "- " or "1. ", formatting tags are dropped, entities decoded, CRLF becomes LF. Anything
    that is not one of these tags ("I <3 tea", "a < b") stays as written."""
    if "&" not in note:
        if "<" not in note:
            return note.replace("\r\n", "\n").replace("\r", "\n")
        broken = _BR.sub("\n", note)  # the common case: line breaks and no other tag
        if "<" not in broken:
            return _tidy(broken)
    import html  # its entity table is large, and most notes need none of it

    out: list[str] = []
    lists: list[list[int]] = []  # one counter per open list: [0] for ul, [next number] for ol

    def line_break() -> None:
        if out and not out[-1].endswith("\n"):
            out.append("\n")

    pos = 0
    for m in _TAG_RE.finditer(note):
        name = m.group(2).lower()
        if name != "br" and name not in _BLOCK and name not in _INLINE:
            continue
        if m.start() > pos:
            out.append(html.unescape(note[pos : m.start()]))
        pos = m.end()
        closing = bool(m.group(1))
        if name == "br":
            out.append("\n")
        elif name in ("ol", "ul"):
            if closing and lists:
                lists.pop()
            elif not closing:
                lists.append([1 if name == "ol" else 0])
            line_break()
        elif name == "li":
            if not closing:
                line_break()
                counter = lists[-1] if lists else [0]
                if counter[0]:
                    out.append(f"{counter[0]}. ")
                    counter[0] += 1
                else:
                    out.append("- ")
        elif name in _BLOCK:
            line_break()
    out.append(html.unescape(note[pos:]))
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    """Unix line ends, no trailing spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def join_note(*parts: str | None) -> str | None:
    """Non-empty parts, each stripped, joined by a blank line; None when nothing is left."""
    kept = [p.strip() for p in parts if p and p.strip()]
    return "\n\n".join(kept) or None


def at_entry(where: str, exc: InvalidInput) -> InvalidInput:
    """The same problem, with the line or entry it is in."""
    return InvalidInput(f"{where}: {exc.message}")


def number(cell: str, what: str) -> float | None:
    """A decimal number from a CSV cell ("7.9166", "1,5"), None when empty."""
    text = cell.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f'{what} should be a number, not "{cell.strip()[:40]}".') from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput(f'{what} should be a number, not "{cell.strip()[:40]}".')
    return value


def csv_problem(line: int, exc: Exception) -> InvalidInput:
    """A csv.Error as one sentence naming the line."""
    if "field larger than field limit" in str(exc):
        return InvalidInput(f"Line {line}: a cell is longer than {MAX_CELL:,} characters.")
    return InvalidInput(f"Line {line}: the CSV cannot be read ({exc}).")
