"""Check-ins: log one, list, show, edit, delete and undo."""

# No `from __future__ import annotations`: Typer reads these signatures at run time.
import sys
from datetime import datetime
from typing import Annotated, Any

import typer

from numbtrack.cli.common import (
    AtOpt,
    BodyOpt,
    FeelOpt,
    IdArg,
    JsonOpt,
    NewWordOpt,
    NoteOpt,
    PracticeFilterOpt,
    PracticeOpt,
    QualityFilterOpt,
    RegionFilterOpt,
    SearchOpt,
    SinceOpt,
    SleepOpt,
    StateOpt,
    TagFilterOpt,
    TagOpt,
    TermsArg,
    UntilOpt,
    WordFilterOpt,
    WordsArg,
    YesOpt,
    build_filter,
    collect,
    confirm,
    open_store,
    read_note,
    saved_line,
    show_list,
)
from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, revise

app = typer.Typer()


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
        from numbtrack.cli import prompts

        with open_store() as store:
            checkin = prompts.guided_checkin(store, at=moment)
            if checkin is None:
                return
            saved = store.add(checkin)
        if not quiet:
            saved_line(saved)
        return
    feelings, sensations = collect(words, new_word, body)
    checkin = CheckIn(
        at=moment,
        can_feel=feel,
        state=state,
        note=read_note(note),
        sleep_hours=sleep,
        feelings=feelings,
        sensations=sensations,
        practices=tuple(practice or ()),
        tags=tuple(tag or ()),
    )
    with open_store() as store:
        saved = store.add(checkin)
    if not quiet:
        saved_line(saved)


@app.command("list")
def list_(
    terms: TermsArg = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    word: WordFilterOpt = None,
    region: RegionFilterOpt = None,
    quality: QualityFilterOpt = None,
    tag: TagFilterOpt = None,
    practice: PracticeFilterOpt = None,
    state: StateOpt = None,
    search: SearchOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", "-l", help="At most this many, newest first.", min=1)
    ] = 20,
    as_json: JsonOpt = False,
) -> None:
    """List check-ins, newest first, filtered by date, word, body, tag, practice or note text.

    Terms are the same as in the dashboard's search box (see docs/cli.md, "Searching"); the
    options are other spellings of the same terms.

    Example: numbtrack list word:numb region:chest since:-7d "sister"
    """
    with open_store() as store:
        f = build_filter(
            store,
            terms,
            since=since,
            until=until,
            word=word,
            region=region,
            quality=quality,
            tag=tag,
            practice=practice,
            state=state,
            text=search,
        )
        found = store.query(f, limit=limit)
    show_list(found, as_json, "No check-ins match that.")


@app.command()
def today(as_json: JsonOpt = False) -> None:
    """Show today's check-ins, oldest first."""
    from numbtrack.when import local_now

    day = local_now().date()
    with open_store() as store:
        found = store.between(day, day)
    show_list(found, as_json, "Nothing logged today yet. Whenever you like: numbtrack log")


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
    feelings, sensations = collect(words, new_word, body)
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
            changes["note"] = read_note(note)
        if at:
            changes["at"] = parse_when(at)
        if state:
            changes["state"] = state
        if not changes:
            raise InvalidInput("Nothing to change: give the options to change (see --help).")
        saved = store.update(revise(c, **changes))
    from numbtrack import text

    typer.echo("Updated " + text.one_line(saved, note_chars=0))


@app.command()
def delete(checkin_id: IdArg, yes: YesOpt = False) -> None:
    """Delete a check-in, after showing it and asking."""
    from numbtrack import text

    with open_store() as store:
        c = store.get(checkin_id)
        typer.echo(text.one_line(c))
        confirm("Delete this check-in?", yes)
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
        confirm("Remove the check-in you added last?", yes)
        store.delete(c.id)
    typer.echo(f"Removed {c.short_id}.")
