"""What the command modules share: the store, output, completion and options.

No `from __future__ import annotations`: Typer reads these annotations at run time.
"""

from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.types import ParamType

from numbtrack import models, vocab
from numbtrack.errors import InvalidInput, NumbtrackError
from numbtrack.models import CheckIn
from numbtrack.progress import PROGRESS_AFTER_S as PROGRESS_AFTER_S  # re-exported
from numbtrack.progress import Progress as Progress
from numbtrack.quick import collect as collect  # re-exported: other commands use them too
from numbtrack.quick import collect_practices as collect_practices
from numbtrack.quick import read_note as read_note
from numbtrack.quick import saved_lines
from numbtrack.quick_view import _run_pager as _run_pager  # re-exported: the way to print
from numbtrack.quick_view import page as page
from numbtrack.quick_view import page_rich as page_rich
from numbtrack.quick_view import plain_output as plain_output
from numbtrack.quick_view import print_rich as print_rich
from numbtrack.store import Filter, Own, Store


def choice(names: Any) -> Any:
    """A fixed set of values as a choice of Typer's Click, so help, completion and errors
    come from one place (Typer's own type for Literal and Enum annotations)."""
    from typer._types import TyperChoice

    return TyperChoice(list(names), case_sensitive=False)


def open_store(*, make: bool = True) -> Store:
    """The store; `make=False` for a command that only reads, or is refused where nothing
    is stored: it makes no store where there is none (`Store`)."""
    return Store(make=make)


# -- completion --------------------------------------------------------------------------


def complete_from(names: list[str], incomplete: str) -> list[str]:
    low = incomplete.lower()
    return [n for n in names if n.startswith(low)]


def own_names() -> Own:
    """The person's own words, qualities and practices, for completion (empty on any error)."""
    try:
        with open_store(make=False) as store:
            return store.own()
    except NumbtrackError:
        return Own()


def complete_word(incomplete: str) -> list[str]:
    return complete_from(sorted({*vocab.load().words, *own_names().words}), incomplete)


def complete_region(incomplete: str) -> list[str]:
    return complete_from(list(vocab.load().regions), incomplete)


def complete_body(incomplete: str) -> list[str]:
    v = vocab.load()
    if ":" not in incomplete:
        return [r + ":" for r in complete_from(list(v.regions), incomplete)]
    region, _, rest = incomplete.partition(":")
    if ":" in rest:
        return []
    return [f"{region}:{q}" for q in complete_quality(rest)]


def complete_quality(incomplete: str) -> list[str]:
    names = [*vocab.load().qualities, *sorted(own_names().qualities)]
    return complete_from(names, incomplete)


def complete_practice(incomplete: str) -> list[str]:
    names = [*vocab.load().practices, *sorted(own_names().practices)]
    return complete_from(names, incomplete)


def complete_tag(incomplete: str) -> list[str]:
    try:
        with open_store(make=False) as store:
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


class _Typed(ParamType):
    """A value read as people type it (`models.read_can_feel`, `models.read_hours`), the
    same function numbtrack.quick reads it with."""

    def __init__(self, name: str, read: Any, hint: str) -> None:
        self.name = name
        self.read = read
        self.hint = hint

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if not isinstance(value, str):
            return value
        got = self.read(value)
        if got is None:
            self.fail(f"{value!r} is not {self.hint}.", param, ctx)
        return got


FeelOpt = Annotated[
    int | None,
    typer.Option(
        "--feel",
        "-f",
        help="How much can you feel right now, 0 (nothing) to 10 (3 and 3/10 both work).",
        metavar="0-10",
        click_type=_Typed("can-feel", models.read_can_feel, "a whole number from 0 to 10"),
    ),
]
BodyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--body",
        "-b",
        help="A body sensation as REGION:QUALITY, for example chest:tight:3. After the quality "
        "you may add an intensity from 1 to 5, more or less, and pleasant, unpleasant or "
        "neutral. Repeatable; see them all with numbtrack body.",
        autocompletion=complete_body,
        metavar="SENSATION",
    ),
]
NewBodyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--new-body",
        help="Like --body, keeping QUALITY as a sensation word of your own that numbtrack "
        "does not know, for example head:swimmy:2. Repeatable.",
        autocompletion=complete_body,
        metavar="SENSATION",
    ),
]
PracticeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--practice",
        "-p",
        help="Something you did on purpose, such as music or smell (see numbtrack practices). "
        "Repeatable.",
        autocompletion=complete_practice,
    ),
]
NewPracticeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--new-practice",
        help="A practice of your own that numbtrack does not know, such as meditation. Repeatable.",
        metavar="NAME",
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
    typer.Option(
        "--at",
        help='When it happened, for example "an hour ago", "last night", "yesterday 21:30", '
        '"mon 9pm", "20 nov" or 2026-11-20T21:30.',
    ),
]
SleepOpt = Annotated[
    float | None,
    typer.Option(
        "--sleep",
        help="Hours slept last night, 0 to 24: 7.5, 7h30 or 7:30.",
        metavar="HOURS",
        click_type=_Typed("hours", models.read_hours, "a number of hours (7.5, 7h30 or 7:30)"),
    ),
]
StateOpt = Annotated[
    str | None,
    typer.Option(
        "--state",
        help="feeling, numb, mixed or unsure; normally it is worked out from the words.",
        click_type=choice(vocab.STATES),
        metavar="STATE",
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


def saved_line(c: CheckIn, renamed: list[str] | None = None) -> None:
    """ "Saved ...", and what any alias was counted as, so that nothing is renamed silently."""
    for line in saved_lines(c, renamed):
        typer.echo(line)


def refuse_both(first: str, second: str) -> None:
    raise InvalidInput(f"{first} and {second} contradict each other; give only one of them.")


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

    from numbtrack.render import checkin_table

    page_rich(checkin_table(checkins))


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
        'state:numb since:-7d until:2026-11-30, and free words or text:"a phrase", which '
        "search the notes.",
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


FILTER_OPTIONS = {
    "since": "since",
    "until": "until",
    "word": "word",
    "region": "region",
    "quality": "quality",
    "tag": "tag",
    "practice": "practice",
    "state": "state",
    "search": "text",
}
"""The filter options `list` and `export` share (SinceOpt ... SearchOpt), by parameter name,
and the search key each one spells."""


def build_filter(store: Store, terms: list[str] | None, given: dict[str, Any]) -> Filter:
    """One Filter from search terms and the filter options among `given` (a command's
    `locals()`), which spell the same terms."""
    from numbtrack import query

    options = {key: given.get(name) for name, key in FILTER_OPTIONS.items()}
    found = query.terms(terms or []) + query.terms_from_options(**options)
    return query.to_filter(found, store.own())


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


SaveOpt = Annotated[
    Path | None,
    typer.Option(
        "--save", help="Also write it to FILE: .txt, .svg, .html or .pdf.", metavar="FILE"
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]


def show_and_save(
    shown: Any, save: Path | None, force: bool, title: str, paper: str | None = None
) -> None:
    """Print a Week, a Report or a renderable, and write it to `save` first if given
    (`paper`, "a4" or "letter", for a PDF)."""
    from numbtrack import quick_view

    if paper is not None and save is None:
        raise InvalidInput("--paper is for a PDF file; add --save FILE.pdf.")
    if save is not None:
        from numbtrack import render

        render.save(shown, save, force=force, title=title, paper=paper)
    quick_view.show(shown)
    if save is not None:
        typer.echo(f"Saved to {save}.", err=True)
