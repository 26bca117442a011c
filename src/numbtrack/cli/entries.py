"""Check-ins: log one, list, show, edit, delete and undo."""

# No `from __future__ import annotations`: Typer reads these signatures at run time.
import sys
from typing import Annotated, Any

import typer

from numbtrack import quick
from numbtrack.cli.common import (
    AtOpt,
    BodyOpt,
    FeelOpt,
    IdArg,
    JsonOpt,
    NewBodyOpt,
    NewPracticeOpt,
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
    choice,
    collect,
    collect_practices,
    confirm,
    open_store,
    page,
    read_note,
    refuse_both,
    saved_line,
    show_list,
)
from numbtrack.errors import InvalidInput
from numbtrack.models import revise

app = typer.Typer()

CLEARABLE = ("feel", "words", "body", "practices", "tags", "note", "sleep")
"""The fields `edit --clear` can empty."""


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
    new_body: NewBodyOpt = None,
    new_practice: NewPracticeOpt = None,
    guided: Annotated[
        bool, typer.Option("--guided", "-g", help="Ask one short question at a time.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
) -> None:
    """Record a check-in: what you notice in your body, words for how you feel, or "numb".

    With no arguments on a terminal, a short guided check-in asks one step at a time.

    Example: numbtrack log numb tired --feel 2 --body chest:heavy:3 --tag work
    """
    # A check-in typed in full usually arrives through numbtrack.quick, without Typer; both
    # ways run quick.log_checkin.
    values: dict[str, Any] = {
        "words": words,
        "feel": feel,
        "body": body,
        "practice": practice,
        "tag": tag,
        "note": note,
        "at": at,
        "sleep": sleep,
        "state": state,
        "new_word": new_word,
        "new_body": new_body,
        "new_practice": new_practice,
    }
    if guided or not quick.given(values):
        moment = quick.moment(at)
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
    quick.log_checkin(typer.echo, **values, quiet=quiet)


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
        int, typer.Option("--limit", "-l", help="At most this many, newest first.")
    ] = 20,
    show_all: Annotated[
        bool, typer.Option("--all", "-a", help="Every match, not only 20.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List check-ins, newest first, filtered by date, word, body, tag, practice or note text.

    Terms are the same as in the dashboard's search box and in numbtrack export, and every
    term must match; the options are other spellings of the same terms.

    Example: numbtrack list word:numb region:chest since:-7d "sister"
    """
    if limit < 1:
        raise InvalidInput("--limit should be 1 or more (or --all for every check-in).")
    with open_store(make=False) as store:
        f = build_filter(store, terms, locals())
        if show_all and as_json:  # streamed in batches: the whole history is never in memory
            from numbtrack import quick_export

            quick_export.write_list_json(store, f)
            return
        found = store.query(f, limit=None if show_all else limit)
        total = len(found)
        if not show_all and len(found) == limit:
            total = store.count(f)
        empty = "No check-ins match that." if found or store.count() else ""

    show_list(
        found,
        as_json,
        empty or "There are no check-ins yet. Whenever you like: numbtrack log",
    )
    if total > len(found) and not as_json:
        typer.echo(f"Showing {len(found):,} of {total:,}; --limit N or --all for more.", err=True)


@app.command()
def today(as_json: JsonOpt = False) -> None:
    """Show today's check-ins, oldest first."""
    from numbtrack.when import local_now

    day = local_now().date()
    with open_store(make=False) as store:
        found = store.between(day, day)
    show_list(found, as_json, "Nothing logged today yet. Whenever you like: numbtrack log")


@app.command()
def show(checkin_id: IdArg, as_json: JsonOpt = False) -> None:
    """Show one check-in in full, note included."""
    with open_store(make=False) as store:
        c = store.get(checkin_id)
    if as_json:
        import json

        from numbtrack.exchange.records import to_dict

        typer.echo(json.dumps(to_dict(c), ensure_ascii=False, indent=2))
        return
    from numbtrack import text

    page(text.detail(c))


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
    new_body: NewBodyOpt = None,
    new_practice: NewPracticeOpt = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            help="Empty a field. Repeatable.",
            click_type=choice(CLEARABLE),
        ),
    ] = None,
) -> None:
    """Correct a check-in: only what you give changes. Words, --body, --practice and --tag
    replace the whole list they belong to.

    Example: numbtrack edit 3f2a --feel 4 --tag rest
    """
    from numbtrack.when import parse_when

    cleared = {item.lower() for item in clear or []}
    given = {
        "feel": ("--feel", feel is not None),
        "words": ("WORDS or --new-word", bool(words or new_word)),
        "body": ("--body or --new-body", bool(body or new_body)),
        "practices": ("--practice or --new-practice", bool(practice or new_practice)),
        "tags": ("--tag", bool(tag)),
        "note": ("--note", note is not None),
        "sleep": ("--sleep", sleep is not None),
    }
    for item in sorted(cleared):
        option, present = given[item]
        if present:
            refuse_both(f"--clear {item}", option)
    with open_store(make=False) as store:
        feelings, sensations = collect(words, new_word, body, new_body, store.own().qualities)
        practices = collect_practices(practice, new_practice)
        c = store.get(checkin_id)
        changes: dict[str, Any] = {}
        if feelings or "words" in cleared:
            changes["feelings"] = feelings
        if sensations or "body" in cleared:
            changes["sensations"] = sensations
        if practices or "practices" in cleared:
            changes["practices"] = practices
        if tag or "tags" in cleared:
            changes["tags"] = tuple(tag or ())
        if feel is not None or "feel" in cleared:
            changes["can_feel"] = feel
        if sleep is not None or "sleep" in cleared:
            changes["sleep_hours"] = sleep
        if note is not None or "note" in cleared:
            changes["note"] = read_note(note)
        if at is not None:
            changes["at"] = parse_when(at)
        if state is not None:
            changes["state"] = state
        if not changes:
            raise InvalidInput("Nothing to change: give the options to change (see --help).")
        saved = store.update(revise(c, **changes))
    from numbtrack import text

    typer.echo("Updated " + text.one_line(saved, note_chars=0))
    for t in saved.typed:
        if t not in c.typed:  # what this edit typed, not what was said when it was logged
            typer.echo(f"  {t.line()}.")


@app.command()
def delete(checkin_id: IdArg, yes: YesOpt = False) -> None:
    """Delete a check-in, after showing it and asking."""
    from numbtrack import text

    with open_store(make=False) as store:
        c = store.get(checkin_id)
        typer.echo(text.one_line(c))
        confirm("Delete this check-in?", yes)
        store.delete(c.id)
    typer.echo(f"Deleted {c.short_id}.")


@app.command()
def undo(
    yes: YesOpt = False,
    show_list_: Annotated[
        bool,
        typer.Option("--list", help="Show the recent changes instead, newest first."),
    ] = False,
) -> None:
    """Revert the last change you made: an add, an edit, a delete or a whole import.

    It says what it will revert and asks first. Run it again to revert the change before that;
    an undo itself is never undone. The last 100 changes are kept, across restarts.
    """
    from numbtrack import history

    with open_store(make=False) as store:
        if show_list_:
            changes = history.recent(store, limit=20)
            if not changes:
                typer.echo("No changes yet.")
                return
            from numbtrack import text

            for ch in changes:
                mark = "  (undone)" if ch.undone else ""
                typer.echo(f"{text.when(ch.made_at):<22}{ch.sentence()}{mark}")
            return
        change = history.last(store)
        if change is None:
            typer.echo("There is nothing to undo.")
            return
        typer.echo(change.sentence())
        confirm(change.question(), yes)
        history.undo(store, change)
    typer.echo(change.done())
