"""Rich renderables shared by the command line and the dashboard.

Colours come from a colour-blind-safe palette (Okabe-Ito) and never use red for low numbers:
a low can-feel is shown in a quiet blue-grey, not as a warning.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from numbtrack import text, vocab
from numbtrack.models import CheckIn

PALETTE = {
    "pleasant-high": "#E69F00",  # orange
    "pleasant-low": "#009E73",  # bluish green
    "unpleasant-high": "#CC79A7",  # reddish purple
    "unpleasant-low": "#0072B2",  # blue
    "numb": "#999999",  # grey
}
"""Okabe-Ito colours, distinguishable with the common colour-vision differences."""

QUADRANT_LABELS = {
    "pleasant-high": "pleasant, high energy",
    "pleasant-low": "pleasant, low energy",
    "unpleasant-high": "unpleasant, high energy",
    "unpleasant-low": "unpleasant, low energy",
    "numb": "numb and far away",
}


def word_style(word: str) -> str:
    w = vocab.load().words.get(word)
    if w is None:
        return "italic"
    return PALETTE[w.quadrant or "numb"]


def words_text(words: Iterable[str]) -> Text:
    out = Text()
    for i, word in enumerate(words):
        if i:
            out.append(", ")
        out.append(word, style=word_style(word))
    return out


def checkin_table(checkins: list[CheckIn]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("when", no_wrap=True)
    table.add_column("feel", justify="right")
    table.add_column("words")
    table.add_column("body")
    table.add_column("did / tags")
    table.add_column("note", overflow="ellipsis", no_wrap=True, max_width=30)
    for c in checkins:
        extras = Text(", ".join(c.practices))
        if c.tags:
            if c.practices:
                extras.append(" ")
            extras.append(" ".join(f"#{t}" for t in c.tags), style="dim")
        table.add_row(
            c.short_id,
            text.when(c.at),
            "" if c.can_feel is None else str(c.can_feel),
            words_text(c.words) if c.words else Text(c.state or "", style="dim"),
            ", ".join(s.spec() for s in c.sensations),
            extras,
            " ".join((c.note or "").split()),
        )
    return table


def words_view(chosen: list[vocab.Word]) -> RenderableType:
    parts: list[RenderableType] = []
    for quadrant, label in QUADRANT_LABELS.items():
        group = [w for w in chosen if (w.quadrant or "numb") == quadrant]
        if not group:
            continue
        table = Table(box=None, show_header=False, padding=(0, 1))
        table.add_column("family", style="dim", no_wrap=True)
        table.add_column("words")
        families: dict[str, list[str]] = {}
        for w in group:
            families.setdefault(w.family, []).append(w.word)
        for family, ws in families.items():
            table.add_row(family, Text(", ".join(ws), style=PALETTE[quadrant]))
        parts.append(Text(label.capitalize(), style="bold"))
        parts.append(table)
        parts.append(Text(""))
    parts.append(Text("Your own word is welcome too: numbtrack log --new-word WORD", style="dim"))
    return Group(*parts)


def body_view() -> RenderableType:
    v = vocab.load()
    regions = Table(box=None, show_header=False, padding=(0, 1))
    regions.add_column("region", style="bold", no_wrap=True)
    regions.add_column("also", style="dim")
    for name, aliases in v.regions.items():
        regions.add_row(name, ", ".join(aliases))
    qualities = Table(box=None, show_header=False, padding=(0, 1))
    qualities.add_column("group", style="dim", no_wrap=True)
    qualities.add_column("qualities")
    for group, qs in v.quality_groups().items():
        qualities.add_row(group, ", ".join(q.name for q in qs))
    return Group(
        Text("Body regions", style="bold"),
        regions,
        Text(""),
        Text("Sensation qualities", style="bold"),
        qualities,
        Text(""),
        Text(
            "Use them as --body REGION:QUALITY[:1-5][:more|less], e.g. chest:tight:3", style="dim"
        ),
        Text('"nothing" is a quality too: absence of sensation is worth noting.', style="dim"),
    )
