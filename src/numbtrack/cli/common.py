"""What the command modules share: the store, output, completion and options.

No `from __future__ import annotations`: Typer reads these annotations at run time.
"""

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from numbtrack import vocab
from numbtrack.errors import NumbtrackError
from numbtrack.models import CheckIn, Feeling, Sensation, parse_body, parse_feeling
from numbtrack.store import Filter, Store


def open_store() -> Store:
    return Store()


def plain_output() -> bool:
    """Plain text when piped or when NO_COLOR is set; Rich on a terminal or with FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return True
    if os.environ.get("FORCE_COLOR"):
        return False
    return not sys.stdout.isatty()


# -- completion --------------------------------------------------------------------------


def complete_from(names: list[str], incomplete: str) -> list[str]:
    low = incomplete.lower()
    return [n for n in names if n.startswith(low)]


def complete_word(incomplete: str) -> list[str]:
    return complete_from(sorted(vocab.load().words), incomplete)


def complete_region(incomplete: str) -> list[str]:
    return complete_from(list(vocab.load().regions), incomplete)


def complete_body(incomplete: str) -> list[str]:
    v = vocab.load()
    if ":" not in incomplete:
        return [r + ":" for r in complete_from(list(v.regions), incomplete)]
    region, _, rest = incomplete.partition(":")
    if ":" in rest:
        return []
    return [f"{region}:{q}" for q in complete_from(list(v.qualities), rest)]


def complete_quality(incomplete: str) -> list[str]:
    return complete_from(list(vocab.load().qualities), incomplete)


def complete_practice(incomplete: str) -> list[str]:
    return complete_from(list(vocab.load().practices), incomplete)


def complete_tag(incomplete: str) -> list[str]:
    try:
        with open_store() as store:
            return complete_from(store.known_tags(), incomplete)
    except NumbtrackError:
        return []


def complete_state(incomplete: str) -> list[str]:
    return complete_from(list(vocab.STATES), incomplete)


# -- shared options ----------------------------------------------------------------------

WordsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Feeling words, e.g. numb tired. Add :1-5 for intensity (anxious:3).",
        autocompletion=complete_word,
        show_default=False,
    ),
]
FeelOpt = Annotated[
    int | None,
    typer.Option(
        "--feel", "-f", help="How much can you feel right now, 0 (nothing) to 10.", metavar="0-10"
    ),
]
BodyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--body",
        "-b",
        help="A body sensation REGION:QUALITY[:1-5][:more|less][:pleasant|unpleasant|neutral],"
        " e.g. chest:tight:3. Repeatable.",
        autocompletion=complete_body,
        metavar="SENSATION",
    ),
]
PracticeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--practice",
        "-p",
        help="Something you did on purpose (music, smell, ...). Repeatable.",
        autocompletion=complete_practice,
    ),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        help="A context word (work, bad-sleep, ...). Repeatable.",
        autocompletion=complete_tag,
    ),
]
NoteOpt = Annotated[
    str | None,
    typer.Option("--note", "-n", help='Free writing. "-" reads it from standard input.'),
]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", help='When it happened: "-2h", "yesterday 21:30", "mon 9pm", ISO.'),
]
SleepOpt = Annotated[float | None, typer.Option("--sleep", help="Hours slept last night, 0 to 24.")]
StateOpt = Annotated[
    str | None,
    typer.Option(
        "--state",
        help="feeling, numb, mixed or unsure (normally worked out from the words).",
        autocompletion=complete_state,
    ),
]
NewWordOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--new-word",
        help="A feeling word of your own that numbtrack does not know. Repeatable.",
        metavar="WORD",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def read_note(note: str | None) -> str | None:
    if note == "-":
        return sys.stdin.read()
    return note


def collect(
    words: list[str] | None,
    new_words: list[str] | None,
    body: list[str] | None,
) -> tuple[tuple[Feeling, ...], tuple[Sensation, ...]]:
    new = [replace(parse_feeling(w), custom=True) for w in new_words or []]
    own = {vocab.spell(f.word) for f in new}
    # A new word given both ways (`log wistfull --new-word wistfull`) is meant once, as new.
    feelings = [parse_feeling(w) for w in words or [] if vocab.spell(w) not in own]
    feelings += new
    sensations = [parse_body(b) for b in body or []]
    return tuple(feelings), tuple(sensations)


def saved_line(c: CheckIn) -> None:
    from numbtrack import text

    typer.echo("Saved " + text.one_line(c, note_chars=0))
    if c.note:
        typer.echo(f"  with a note of {len(c.note.split())} words.")


def show_list(checkins: list[CheckIn], as_json: bool, empty: str) -> None:
    if as_json:
        import json

        from numbtrack.exchange.records import to_dict

        typer.echo(json.dumps([to_dict(c) for c in checkins], ensure_ascii=False, indent=2))
        return
    if not checkins:
        typer.echo(empty)
        return
    if plain_output():
        from numbtrack import text

        for c in checkins:
            typer.echo(text.one_line(c))
        return
    from rich.console import Console

    from numbtrack.render import checkin_table

    Console().print(checkin_table(checkins))


def complete_term(incomplete: str) -> list[str]:
    """Complete `key:` and then the value of a search term."""
    from numbtrack.query import KEYS

    key, sep, value = incomplete.partition(":")
    if not sep:
        return [k + ":" for k in complete_from(list(KEYS), key)]
    values = {
        "word": complete_word,
        "region": complete_region,
        "quality": complete_quality,
        "practice": complete_practice,
        "tag": complete_tag,
        "state": complete_state,
    }.get(key.lower())
    return [f"{key}:{v}" for v in values(value)] if values else []


TermsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Search terms: word:numb region:chest quality:tight tag:work practice:music "
        "state:numb since:-7d until:2026-11-30, and free words, which search the notes.",
        autocompletion=complete_term,
        metavar="[TERMS]...",
        show_default=False,
    ),
]
WordFilterOpt = Annotated[
    list[str] | None,
    typer.Option("--word", "-w", help="Named this feeling word.", autocompletion=complete_word),
]
RegionFilterOpt = Annotated[
    list[str] | None,
    typer.Option("--region", help="Noticed this body region.", autocompletion=complete_region),
]
QualityFilterOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--quality", help="Noticed this sensation quality.", autocompletion=complete_quality
    ),
]
TagFilterOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Has this tag.", autocompletion=complete_tag),
]
PracticeFilterOpt = Annotated[
    list[str] | None,
    typer.Option("--practice", "-p", help="Did this practice.", autocompletion=complete_practice),
]
SearchOpt = Annotated[str | None, typer.Option("--search", "-s", help="Words in the note.")]


def build_filter(store: Store, terms: list[str] | None, **options: Any) -> Filter:
    """One Filter from search terms and the options that spell the same terms."""
    from numbtrack import query

    found = query.terms(terms or []) + query.terms_from_options(**options)
    return query.to_filter(found, store.custom_words())


SinceOpt = Annotated[
    str | None, typer.Option("--since", help="From this day on (2026-11-01, -7d, mon, ...).")
]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to and including this day.")]


IdArg = Annotated[
    str, typer.Argument(help="A check-in id, or its first few characters.", metavar="ID")
]


def confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not typer.confirm(question, default=False):
        typer.echo("Nothing was changed.")
        raise typer.Exit(0)


def print_rich(renderable: Any) -> None:
    from rich.console import Console

    Console(no_color=plain_output() or None).print(renderable)


SaveOpt = Annotated[
    Path | None,
    typer.Option("--save", help="Also write it to FILE: .txt, .svg or .html.", metavar="FILE"),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]


def show_and_save(renderable: Any, save: Path | None, force: bool, title: str) -> None:
    from numbtrack import render

    if save is not None:
        render.save(renderable, save, force=force, title=title)
    print_rich(renderable)
    if save is not None:
        typer.echo(f"Saved to {save}.", err=True)
