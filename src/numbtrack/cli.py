"""The command line: parse, call the core, show. No SQL and no rules live here.

Start-up is a feature: this module imports only Typer and numbtrack's light core at the top.
Rich, sqlite_utils, the summary and Textual are imported inside the commands that need them,
so `numbtrack log` stays fast (see docs/performance.md and tests/test_import_hygiene.py).
"""

# No `from __future__ import annotations` here: Typer reads these signatures at run time, and
# real annotation objects spare it an eval() per parameter on every run.
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from numbtrack import __version__, paths, vocab
from numbtrack.errors import InvalidInput, NumbtrackError
from numbtrack.models import CheckIn, Feeling, Sensation, parse_body, parse_feeling, revise
from numbtrack.store import Filter, Store

SUPPORT_LINE = (
    "numbtrack is not a clinical or diagnostic tool. If you are struggling, "
    "`numbtrack support` lists people you can reach right now."
)


class NumbtrackGroup(TyperGroup):
    """The one place where errors become one sentence on stderr and an exit code.

    numbtrack's own errors carry their exit code (2 for what was typed, 1 for the data or the
    machine). Typer's usage errors (an unknown option, "abc" for a number) get the same
    treatment instead of a boxed panel: one line, exit code 2.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NumbtrackError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(exc.exit_code) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer.TyperException as exc:
            message = exc.format_message().rstrip(".")
            command = getattr(getattr(exc, "ctx", None), "command_path", "numbtrack")
            end = "" if message.endswith("?") else "."
            typer.echo(f"{message} (see: {command} --help){end}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("Stopped; nothing was written.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=NumbtrackGroup,
    name="numbtrack",
    help="Notice small things again: body sensations, feeling words, how much you can feel.",
    epilog=SUPPORT_LINE,
    invoke_without_command=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"numbtrack {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Use another data folder (also NUMBTRACK_HOME), e.g. a demo store.",
            metavar="DIR",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    paths.set_home(home)
    if ctx.invoked_subcommand is None:  # plain `numbtrack`: the help, and no error
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


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


def _complete(names: list[str], incomplete: str) -> list[str]:
    low = incomplete.lower()
    return [n for n in names if n.startswith(low)]


def complete_word(incomplete: str) -> list[str]:
    return _complete(sorted(vocab.load().words), incomplete)


def complete_region(incomplete: str) -> list[str]:
    return _complete(list(vocab.load().regions), incomplete)


def complete_body(incomplete: str) -> list[str]:
    v = vocab.load()
    if ":" not in incomplete:
        return [r + ":" for r in _complete(list(v.regions), incomplete)]
    region, _, rest = incomplete.partition(":")
    if ":" in rest:
        return []
    return [f"{region}:{q}" for q in _complete(list(v.qualities), rest)]


def complete_quality(incomplete: str) -> list[str]:
    return _complete(list(vocab.load().qualities), incomplete)


def complete_practice(incomplete: str) -> list[str]:
    return _complete(list(vocab.load().practices), incomplete)


def complete_tag(incomplete: str) -> list[str]:
    try:
        with open_store() as store:
            return _complete(store.known_tags(), incomplete)
    except NumbtrackError:
        return []


def complete_state(incomplete: str) -> list[str]:
    return _complete(list(vocab.STATES), incomplete)


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


def _read_note(note: str | None) -> str | None:
    if note == "-":
        return sys.stdin.read()
    return note


def _collect(
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


# -- log ---------------------------------------------------------------------------------


@app.command()
def log(
    words: WordsArg = None,
    feel: FeelOpt = None,
    body: BodyOpt = None,
    practice: PracticeOpt = None,
    tag: TagOpt = None,
    note: NoteOpt = None,
    at: AtOpt = None,
    sleep: SleepOpt = None,
    state: StateOpt = None,
    new_word: NewWordOpt = None,
    guided: Annotated[
        bool, typer.Option("--guided", "-g", help="Ask one short question at a time.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
) -> None:
    """Record a check-in: what you notice in your body, words for how you feel, or "numb".

    With no arguments on a terminal, a short guided check-in asks one step at a time.

    Example: numbtrack log numb tired --feel 2 --body chest:heavy:3 --tag work
    """
    given = (
        any(x for x in (words, body, practice, tag, new_word, note, at, state))
        or feel is not None
        or sleep is not None
    )
    if at:
        from numbtrack.when import parse_when

        moment = parse_when(at)
    else:
        moment = datetime.now().astimezone()
    if guided or not given:
        if not guided and not sys.stdin.isatty():
            raise InvalidInput(
                "Nothing to log: give feeling words or options (see numbtrack log --help), "
                "or run it in a terminal for a guided check-in."
            )
        from numbtrack import prompts

        with open_store() as store:
            checkin = prompts.guided_checkin(store, at=moment)
            if checkin is None:
                return
            saved = store.add(checkin)
        if not quiet:
            _saved_line(saved)
        return
    feelings, sensations = _collect(words, new_word, body)
    checkin = CheckIn(
        at=moment,
        can_feel=feel,
        state=state,
        note=_read_note(note),
        sleep_hours=sleep,
        feelings=feelings,
        sensations=sensations,
        practices=tuple(practice or ()),
        tags=tuple(tag or ()),
    )
    with open_store() as store:
        saved = store.add(checkin)
    if not quiet:
        _saved_line(saved)


def _saved_line(c: CheckIn) -> None:
    from numbtrack import text

    typer.echo("Saved " + text.one_line(c, note_chars=0))
    if c.note:
        typer.echo(f"  with a note of {len(c.note.split())} words.")


# -- reading -----------------------------------------------------------------------------


def _filter(
    since: str | None,
    until: str | None,
    word: list[str] | None,
    region: list[str] | None,
    quality: list[str] | None,
    tag: list[str] | None,
    practice: list[str] | None,
    state: str | None,
    search: str | None,
    store: Store,
) -> Filter:
    from numbtrack.models import check_tag
    from numbtrack.when import parse_day

    v = vocab.load()
    custom = store.custom_words()
    start = parse_day(since) if since else None
    end = parse_day(until) if until else None
    if start and end and start > end:
        raise InvalidInput(f"--since {start} is after --until {end}; swap them.")
    return Filter(
        since=start,
        until=end,
        words=tuple(v.feeling(w, custom) for w in word or []),
        regions=tuple(v.region(r) for r in region or []),
        qualities=tuple(v.quality(q) for q in quality or []),
        practices=tuple(v.practice(p) for p in practice or []),
        tags=tuple(check_tag(t) for t in tag or []),
        state=vocab.check_state(state) if state else None,
        text=search,
    )


def _show_list(checkins: list[CheckIn], as_json: bool, empty: str) -> None:
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


SinceOpt = Annotated[
    str | None, typer.Option("--since", help="From this day on (2026-11-01, -7d, mon, ...).")
]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to and including this day.")]


@app.command("list")
def list_(
    since: SinceOpt = None,
    until: UntilOpt = None,
    word: Annotated[
        list[str] | None,
        typer.Option("--word", "-w", help="Named this feeling word.", autocompletion=complete_word),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="Noticed this body region.", autocompletion=complete_region),
    ] = None,
    quality: Annotated[
        list[str] | None,
        typer.Option(
            "--quality", help="Noticed this sensation quality.", autocompletion=complete_quality
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Has this tag.", autocompletion=complete_tag),
    ] = None,
    practice: Annotated[
        list[str] | None,
        typer.Option(
            "--practice", "-p", help="Did this practice.", autocompletion=complete_practice
        ),
    ] = None,
    state: StateOpt = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Words in the note.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-l", help="At most this many, newest first.", min=1)
    ] = 20,
    as_json: JsonOpt = False,
) -> None:
    """List check-ins, newest first, filtered by date, word, body, tag, practice or note text.

    Example: numbtrack list --since -7d --word numb --region chest
    """
    with open_store() as store:
        f = _filter(since, until, word, region, quality, tag, practice, state, search, store)
        found = store.query(f, limit=limit)
    _show_list(found, as_json, "No check-ins match that.")


@app.command()
def today(as_json: JsonOpt = False) -> None:
    """Show today's check-ins, oldest first."""
    from numbtrack.when import local_now

    day = local_now().date()
    with open_store() as store:
        found = store.between(day, day)
    _show_list(found, as_json, "Nothing logged today yet. Whenever you like: numbtrack log")


IdArg = Annotated[
    str, typer.Argument(help="A check-in id, or its first few characters.", metavar="ID")
]


@app.command()
def show(checkin_id: IdArg, as_json: JsonOpt = False) -> None:
    """Show one check-in in full, note included."""
    with open_store() as store:
        c = store.get(checkin_id)
    if as_json:
        import json

        from numbtrack.exchange.records import to_dict

        typer.echo(json.dumps(to_dict(c), ensure_ascii=False, indent=2))
        return
    from numbtrack import text

    typer.echo(text.detail(c))


@app.command()
def edit(
    checkin_id: IdArg,
    words: WordsArg = None,
    feel: FeelOpt = None,
    body: BodyOpt = None,
    practice: PracticeOpt = None,
    tag: TagOpt = None,
    note: NoteOpt = None,
    at: AtOpt = None,
    sleep: SleepOpt = None,
    state: StateOpt = None,
    new_word: NewWordOpt = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            help="Empty a field: feel, words, body, practices, tags, note, sleep. Repeatable.",
        ),
    ] = None,
) -> None:
    """Correct a check-in: only what you give changes. Words, --body, --practice and --tag
    replace the whole list they belong to.

    Example: numbtrack edit 3f2a --feel 4 --tag rest
    """
    from numbtrack.when import parse_when

    fields = {"feel", "words", "body", "practices", "tags", "note", "sleep"}
    for item in clear or []:
        if item not in fields:
            raise InvalidInput(f'--clear takes one of {", ".join(sorted(fields))}, not "{item}".')
    cleared = set(clear or [])
    feelings, sensations = _collect(words, new_word, body)
    with open_store() as store:
        c = store.get(checkin_id)
        changes: dict[str, Any] = {}
        if feelings or "words" in cleared:
            changes["feelings"] = feelings
        if sensations or "body" in cleared:
            changes["sensations"] = sensations
        if practice or "practices" in cleared:
            changes["practices"] = tuple(practice or ())
        if tag or "tags" in cleared:
            changes["tags"] = tuple(tag or ())
        if feel is not None or "feel" in cleared:
            changes["can_feel"] = feel
        if sleep is not None or "sleep" in cleared:
            changes["sleep_hours"] = sleep
        if note is not None or "note" in cleared:
            changes["note"] = _read_note(note)
        if at:
            changes["at"] = parse_when(at)
        if state:
            changes["state"] = state
        if not changes:
            raise InvalidInput("Nothing to change: give the options to change (see --help).")
        saved = store.update(revise(c, **changes))
    from numbtrack import text

    typer.echo("Updated " + text.one_line(saved, note_chars=0))


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not typer.confirm(question, default=False):
        typer.echo("Nothing was changed.")
        raise typer.Exit(0)


@app.command()
def delete(checkin_id: IdArg, yes: YesOpt = False) -> None:
    """Delete a check-in, after showing it and asking."""
    from numbtrack import text

    with open_store() as store:
        c = store.get(checkin_id)
        typer.echo(text.one_line(c))
        _confirm("Delete this check-in?", yes)
        store.delete(c.id)
    typer.echo(f"Deleted {c.short_id}.")


@app.command()
def undo(yes: YesOpt = False) -> None:
    """Remove the check-in you added last, after showing it and asking."""
    from numbtrack import text

    with open_store() as store:
        c = store.last_added()
        if c is None:
            typer.echo("There is nothing to undo yet.")
            return
        typer.echo(text.one_line(c))
        _confirm("Remove the check-in you added last?", yes)
        store.delete(c.id)
    typer.echo(f"Removed {c.short_id}.")


# -- vocabulary and paths ----------------------------------------------------------------


@app.command()
def words(
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", help="Only words containing this, or in a family with this name."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Browse the feeling words, by quadrant and family. Numb, flat and nothing are words too."""
    from numbtrack.render import words_view

    v = vocab.load()
    chosen = v.search(search or "")
    if as_json:
        import json
        from dataclasses import asdict

        typer.echo(json.dumps([asdict(w) for w in chosen], ensure_ascii=False, indent=2))
        return
    if not chosen:
        close = v.word_index.suggest(search or "")
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        typer.echo(f'No feeling word contains "{search}".{hint}')
        return
    _print(words_view(chosen))


@app.command()
def body(as_json: JsonOpt = False) -> None:
    """Browse body regions and sensation qualities, for --body REGION:QUALITY."""
    v = vocab.load()
    if as_json:
        import json

        data = {
            "regions": [{"name": r, "aliases": list(a)} for r, a in v.regions.items()],
            "qualities": [
                {"name": q.name, "group": q.group, "aliases": list(q.aliases)}
                for q in v.qualities.values()
            ],
        }
        typer.echo(json.dumps(data, indent=2))
        return
    from numbtrack.render import body_view

    _print(body_view())


def _print(renderable: Any) -> None:
    from rich.console import Console

    Console(no_color=plain_output() or None).print(renderable)


@app.command()
def where(as_json: JsonOpt = False) -> None:
    """Show where numbtrack keeps your data and settings."""
    info = {
        "data folder": str(paths.data_dir()),
        "database": str(paths.db_path()),
        "backups": str(paths.backups_dir()),
        "config": str(paths.config_path()),
    }
    if as_json:
        import json

        typer.echo(json.dumps({k.replace(" ", "_"): v for k, v in info.items()}, indent=2))
        return
    for key, value in info.items():
        typer.echo(f"{key:<12} {value}")


# -- summaries ---------------------------------------------------------------------------

SaveOpt = Annotated[
    Path | None,
    typer.Option("--save", help="Also write it to FILE: .txt, .svg or .html.", metavar="FILE"),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]


def _show(renderable: Any, save: Path | None, force: bool, title: str) -> None:
    from numbtrack import render

    if save is not None:
        render.save(renderable, save, force=force, title=title)
    _print(renderable)
    if save is not None:
        typer.echo(f"Saved to {save}.", err=True)


@app.command()
def week(
    which: Annotated[
        str, typer.Argument(help="this, last, 2026-W48, or any day inside the week.")
    ] = "this",
    notes: Annotated[bool, typer.Option("--notes", help="Include the notes.")] = False,
    save: SaveOpt = None,
    force: ForceOpt = False,
) -> None:
    """The weekly summary: the week at a glance, words, body map, practices, and a comparison
    with the week before. Gentle and descriptive: no scores, no streaks.

    Example: numbtrack week last --save week.html
    """
    from datetime import timedelta

    from numbtrack import summary
    from numbtrack.when import parse_week

    monday = parse_week(which)
    with open_store() as store:
        checkins = store.between(monday - timedelta(days=7), monday + timedelta(days=6))
        before = store.last_non_numb_word(monday - timedelta(days=7))
    result = summary.build_week(checkins, monday, last_non_numb=before, show_notes=notes)
    _show(result, save, force, f"numbtrack week {result.label}")


@app.command()
def report(
    from_: Annotated[
        str | None, typer.Option("--from", help="First day (default: 4 weeks ago, a Monday).")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day (default: today).")] = None,
    save: SaveOpt = None,
    force: ForceOpt = False,
) -> None:
    """A longer period, week by week, to take to a therapist or to look back on.

    Example: numbtrack report --from 2026-09-01 --to 2026-11-30 --save report.html
    """
    from datetime import timedelta

    from numbtrack import summary
    from numbtrack.when import local_now, parse_day

    end = parse_day(to) if to else local_now().date()
    start = parse_day(from_) if from_ else summary.week_bounds(end)[0] - timedelta(weeks=3)
    if start > end:
        raise InvalidInput(f"--from {start} is after --to {end}; swap them.")
    with open_store() as store:
        checkins = store.between(start, end)
        before = store.last_non_numb_word(start)
    result = summary.build_report(checkins, start, end, last_non_numb=before)
    _show(result, save, force, f"numbtrack report {start} to {end}")


# -- dashboard ---------------------------------------------------------------------------


@app.command()
def dash() -> None:
    """The dashboard: a calendar, trends, words, a body map, entries, a log form and the week.

    Keys: o overview, e entries, l log, w week, ? help, q quit. Use --home to open another
    store, e.g. a demo one.
    """
    with open_store():
        pass  # create or upgrade the store first, and fail here with one clear sentence
    from numbtrack.tui.app import run as run_dash

    run_dash()


# -- data in and out ---------------------------------------------------------------------


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", "-F", help="csv (default), json or jsonl.")
    ] = "csv",
    since: SinceOpt = None,
    until: UntilOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (mode 0600) instead of standard output.",
            metavar="FILE",
        ),
    ] = None,
    long: Annotated[
        bool,
        typer.Option(
            "--long",
            help="CSV with one row per word, sensation, practice and tag, for pivot tables.",
        ),
    ] = False,
    force: ForceOpt = False,
) -> None:
    """Export check-ins, oldest first, as CSV, JSON or JSON Lines: your data, in open formats.

    Example: numbtrack export --format json -o numbtrack.json
    """
    from numbtrack import exchange
    from numbtrack.when import parse_day

    fmt = fmt.lower()
    if fmt not in exchange.EXPORT_FORMATS:
        raise InvalidInput(f'"{fmt}" is not an export format; use csv, json or jsonl.')
    if long and fmt != "csv":
        raise InvalidInput("--long is for CSV only.")
    start = parse_day(since) if since else None
    end = parse_day(until) if until else None
    with open_store() as store:
        checkins = store.iter_all(Filter(since=start, until=end))
        if output is None:
            exchange.write(checkins, sys.stdout, fmt, long=long)
            return
        with paths.open_private(output, force=force) as fh:
            n = exchange.write(checkins, fh, fmt, long=long)
    from numbtrack.text import plural

    typer.echo(f"Exported {plural(n, 'check-in')} to {output}.", err=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A numbtrack export or a Daylio CSV export.")],
    fmt: Annotated[
        str, typer.Option("--format", "-F", help="auto (default), numbtrack or daylio.")
    ] = "auto",
    mood_map: Annotated[
        str | None,
        typer.Option(
            "--mood-map",
            help="Daylio only: turn mood labels into feeling words, e.g. good=content,meh=flat.",
            metavar="LABEL=WORD,...",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")
    ] = False,
) -> None:
    """Import a numbtrack export (CSV, JSON, JSON Lines) or a Daylio CSV, all or nothing.

    Importing the same file twice adds nothing. Where an id is already here with other
    content, the newer one (by updated_at) is kept.

    Example: numbtrack import daylio_export.csv --mood-map rad=joyful,good=content,meh=flat
    """
    from numbtrack import exchange
    from numbtrack.exchange.daylio import parse_mood_map

    mapping = parse_mood_map(mood_map) if mood_map else None
    loaded = exchange.load(file, fmt.lower(), mapping)
    if mapping and loaded.kind != "Daylio CSV":
        raise InvalidInput("--mood-map is only for Daylio files.")
    with open_store() as store:
        result = store.put_many(loaded.checkins, dry_run=dry_run)
    verb = "Would import" if dry_run else "Imported"
    conflicts = (
        f", {result.conflicts} conflicting (the newer copy already here was kept)"
        if result.conflicts
        else ""
    )
    typer.echo(
        f"{verb} {len(loaded.checkins)} check-ins from {file.name} ({loaded.kind}): "
        f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged"
        f"{conflicts}."
    )
    if loaded.unmapped:
        labels = ", ".join(f"{k} ({n})" for k, n in loaded.unmapped.most_common())
        typer.echo(f"Not in --mood-map, kept as mood: tags: {labels}.")
    if dry_run:
        typer.echo("Nothing was written.")


@app.command()
def backup(
    dest: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write the copy (default: backups/ in the data folder).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A consistent copy of your store, safe to take while numbtrack is writing.

    Copies in backups/ get a timestamped name; the newest 10 are kept.
    """
    with open_store() as store:
        target = store.backup(dest)
        if dest is None:
            store.prune_backups(10)
    typer.echo(f"Backed up to {target}.")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by numbtrack backup.")],
    yes: YesOpt = False,
) -> None:
    """Replace your store with a backup, after showing what it holds and asking.

    Your current store is backed up first, so a restore can be undone.
    """
    n, first, last = Store.describe_file(file)
    span = f", from {first} to {last}" if first else ""
    from numbtrack.text import plural

    typer.echo(f"{file} holds {plural(n, 'check-in')}{span}.")
    with open_store() as store:
        here = store.count()
        _confirm(f"Replace the {here} check-ins here with these?", yes)
        safety = store.restore_from(file)
    Store().close()  # applies any migrations the older backup is missing
    typer.echo(f"Restored. What was here before is kept in {safety}.")


# -- small steps -------------------------------------------------------------------------


@app.command()
def ground(
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing after saving.")
    ] = False,
) -> None:
    """A guided 5-4-3-2-1 senses exercise; what you notice can be saved as a check-in.

    Five things you can see, four you can touch or feel in your body, three you can hear, two
    you can smell, one you can taste. Each step can be skipped; Ctrl-C leaves without saving.
    """
    from numbtrack import prompts
    from numbtrack.when import local_now

    checkin = prompts.grounding(local_now())
    if checkin is None:
        return
    with open_store() as store:
        saved = store.add(checkin)
    if not quiet:
        _saved_line(saved)


@app.command()
def practices(as_json: JsonOpt = False) -> None:
    """Small steps toward noticing more, each with a suggestion. Use them with log --practice."""
    v = vocab.load()
    if as_json:
        import json

        typer.echo(
            json.dumps(
                [
                    {"name": p.name, "suggestion": p.suggestion, "aliases": list(p.aliases)}
                    for p in v.practices.values()
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    import textwrap

    typer.echo("Small steps, for whenever you like. None of them is required.\n")
    for p in v.practices.values():
        typer.echo(p.name)
        typer.echo(textwrap.indent(textwrap.fill(p.suggestion, 74), "    "))
    typer.echo("\nAfterwards, if you like: numbtrack log --practice NAME")


@app.command()
def suggest() -> None:
    """Offer one small step you have not done recently (never one already done today)."""
    from numbtrack import practice
    from numbtrack.when import local_now

    with open_store() as store:
        last = store.practice_last_done()
    name = practice.suggest(last, local_now().date())
    step = vocab.load().practices[name]
    import textwrap

    typer.echo(f"A small step, if you like: {name}")
    typer.echo(textwrap.indent(textwrap.fill(step.suggestion, 76), "  "))


@app.command("shell-init")
def shell_init(
    shell: Annotated[str, typer.Argument(help="bash, zsh or fish.")],
) -> None:
    """Print a snippet for your shell's rc file: one quiet line a day when nothing is logged.

    It runs no Python at the prompt. Add it with, for bash:
    numbtrack shell-init bash >> ~/.bashrc
    """
    from numbtrack import shell as shell_mod

    folder = paths.data_dir()
    text = shell_mod.snippet(shell.lower(), folder.resolve())
    paths.ensure_private_dir(folder)
    typer.echo(text, nl=False)


@app.command()
def nudge(
    action: Annotated[
        str, typer.Argument(help="off, on, or quiet (silent for the rest of today).")
    ],
) -> None:
    """Turn the shell prompt's once-a-day line off or on, or quiet it for today."""
    from numbtrack import shell as shell_mod

    typer.echo(shell_mod.set_nudge(paths.data_dir(), action))


@app.command()
def demo(
    years: Annotated[
        float, typer.Option("--years", help="How many years of check-ins.", min=0.1, max=60)
    ] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same data.")] = 7,
    until: Annotated[str | None, typer.Option("--until", help="Last day (default: today).")] = None,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Folder for the demo store (default: a numbtrack-demo folder beside your own).",
            metavar="DIR",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Add to a folder that already holds check-ins.")
    ] = False,
) -> None:
    """Write realistic synthetic check-ins into a separate store, to try numbtrack safely.

    Never touches your own store unless --home names it.
    Example: numbtrack demo --years 3 && numbtrack --home DIR dash
    """
    from numbtrack import demo as demo_mod
    from numbtrack.when import parse_day

    own = paths.data_dir()
    target = (home or own.with_name(own.name + "-demo")).expanduser()
    added = demo_mod.write_demo(
        target,
        years=years,
        seed=seed,
        until=parse_day(until) if until else None,
        replace_old=home is None,  # the default demo folder is the demo's own
        force=force,
    )
    typer.echo(f"Wrote {added} demo check-ins to {target}.")
    typer.echo(f"Try: numbtrack --home {target} week   or   numbtrack --home {target} dash")


# -- care --------------------------------------------------------------------------------


@app.command()
def support(
    set_line: Annotated[
        str | None,
        typer.Option(
            "--set-line",
            help="Keep a line of your own here (a therapist, a friend).",
            metavar="TEXT",
        ),
    ] = None,
    clear_line: Annotated[
        bool, typer.Option("--clear-line", help="Remove the line of your own.")
    ] = False,
) -> None:
    """Crisis lines, a line of your own, and what numbtrack is not."""
    from dataclasses import replace as dc_replace

    from numbtrack import care, config

    settings = config.load()
    if set_line is not None or clear_line:
        line = None if clear_line else (set_line or "").strip() or None
        config.save(dc_replace(settings, local_line=line))
        typer.echo("Your line was removed." if line is None else "Your line was saved.")
        settings = config.load()
    typer.echo(care.support_text(settings.local_line))


GLOBAL_WITH_VALUE = ("--home",)


def _requested_command(argv: list[str]) -> str | None:
    """The command named on the command line, looking past the global options."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GLOBAL_WITH_VALUE:
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg
    return None


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run for these arguments.

    Typer inspects every command's signature when it builds the command group: about 20 ms
    for all of numbtrack's, a third of the budget of `numbtrack log`. When the arguments name
    a known command, only that one is built (the lazy-subcommand pattern); help, completion
    and unknown names get the whole group, with its "no such command" message.
    """
    name = _requested_command(argv)
    chosen = [info for info in app.registered_commands if _command_name(info) == name]
    if not chosen or os.environ.get("_NUMBTRACK_COMPLETE"):
        return app
    single = typer.Typer(
        cls=NumbtrackGroup,
        name="numbtrack",
        help=app.info.help,
        epilog=SUPPORT_LINE,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
    )
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return single


def main() -> None:
    """Entry point of the `numbtrack` script."""
    app_for(sys.argv[1:])(prog_name="numbtrack")
