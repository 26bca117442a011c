"""The quick way into `numbtrack log`: a check-in typed in full, without loading Typer.

Importing Typer (and its Click) and building a command costs about as much as everything
numbtrack itself does for a check-in, and far more than the goal of `numbtrack log` (at most
2.5 times a plain Python script doing the same insert) leaves room for. So the `numbtrack`
script (`numbtrack.__main__.main`) first hands its arguments to `run`. When they are a plain
one-shot check-in (`numbtrack log numb tired --feel 2 --body chest:tight:3 -q`), `run` reads
them with the small parser below and calls `log_checkin`, the very function the Typer command
`log` in cli/entries.py calls, then exits. For anything else it returns without having done
anything and the Typer app runs as always: help, completion, a guided check-in, an unknown or
misspelt option ("did you mean"), a missing or refused value, `--`, short options run
together, a repeated option. So every message about the command line still comes from Typer,
and the command is still defined once, in cli/entries.py, with its help and checks.

LOG_OPTIONS and ROOT_OPTIONS are what the parser knows of the Typer command's parameters;
tests/test_quick.py derives them from the real command and fails when they differ, and checks
for many argument lists that both ways pass the same values. This module imports neither
Typer, Click, Rich nor any of numbtrack.cli (an import-linter contract and
tests/test_import_hygiene.py hold it to that).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from numbtrack import vocab
from numbtrack.errors import InvalidInput, NumbtrackError
from numbtrack.models import (
    CheckIn,
    Feeling,
    Sensation,
    parse_body,
    parse_feeling,
    read_can_feel,
    read_hours,
)
from numbtrack.value import replace

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: `numbtrack log` never imports typing (see quick.py)
    from typing import Any

COMMAND = "log"

LOG_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "--feel": ("feel", "can-feel", False),
    "-f": ("feel", "can-feel", False),
    "--body": ("body", "text", True),
    "-b": ("body", "text", True),
    "--practice": ("practice", "text", True),
    "-p": ("practice", "text", True),
    "--tag": ("tag", "text", True),
    "-t": ("tag", "text", True),
    "--note": ("note", "text", False),
    "-n": ("note", "text", False),
    "--at": ("at", "text", False),
    "--sleep": ("sleep", "hours", False),
    "--state": ("state", "choice", False),
    "--new-word": ("new_word", "text", True),
    "--new-body": ("new_body", "text", True),
    "--new-practice": ("new_practice", "text", True),
    "--guided": ("guided", "flag", False),
    "-g": ("guided", "flag", False),
    "--quiet": ("quiet", "flag", False),
    "-q": ("quiet", "flag", False),
}
"""Every option of `numbtrack log`: its parameter, its kind and whether it repeats."""

LOG_ARGUMENT = "words"
"""The parameter that takes `log`'s arguments (feeling words)."""

STATE_CHOICES = vocab.STATES
"""The values of the one "choice" option, --state (case-insensitive, as in Typer)."""

ROOT_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "--home": ("home", "text", False),
    "--no-pager": ("no_pager", "flag", False),
}
"""The global options that may come before `log`; the others (--version, completion) run a
callback that ends the run, so they are left to Typer."""

COMPLETE_ENV = "_NUMBTRACK_COMPLETE"
"""Set by the shell when it asks for completions: Typer answers those."""


# -- what the Typer command does too -------------------------------------------------------


def read_note(note: str | None) -> str | None:
    """The --note text; "-" reads standard input (UTF-8, at most MAX_NOTE characters).
    Line ends become Unix ones in validate."""
    if note != "-":
        return note
    from numbtrack.models import MAX_NOTE

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without bytes underneath
        return sys.stdin.read(MAX_NOTE + 1)
    data = stream.read(4 * MAX_NOTE + 1)
    if len(data) > 4 * MAX_NOTE:
        raise InvalidInput(f"A note can be at most {MAX_NOTE:,} characters long.")
    try:
        return str(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput("The note on standard input is not UTF-8 text.") from None


def collect(
    words: list[str] | None,
    new_words: list[str] | None,
    body: list[str] | None,
    new_body: list[str] | None = None,
    own_qualities: frozenset[str] = frozenset(),
) -> tuple[tuple[Feeling, ...], tuple[Sensation, ...]]:
    new = [replace(parse_feeling(w), custom=True) for w in new_words or []]
    own = {vocab.spell(f.word) for f in new}
    # A new word given both ways (`log wistfull --new-word wistfull`) is meant once, as new.
    feelings = [parse_feeling(w) for w in words or [] if vocab.spell(w) not in own]
    feelings += new
    sensations = [parse_body(b, own_qualities, spaced=True) for b in body or []]
    sensations += [parse_body(b, own_qualities, keep=True, spaced=True) for b in new_body or []]
    return tuple(feelings), tuple(sensations)


def meant_for_body(words: list[str] | None, own_qualities: frozenset[str]) -> None:
    """Feeling words that read as a body sensation (`log "chest, tight, 3"`, or `log chest
    tight 3`) were meant for --body: raise a refusal that says so, instead of offering to
    keep "chest,-tight,-3" as a word of one's own. Returns when they do not."""
    if not words:
        return
    typed = " ".join(words)
    try:
        parse_body(typed, own_qualities, spaced=True)
    except InvalidInput:
        if len(words) == 1 and ":" not in typed and vocab.load().region_index.get(typed):
            raise InvalidInput(
                f'"{typed}" is a body region, not a feeling word; say what it is like there '
                f"with --body {typed}:QUALITY (numbtrack body lists them)."
            ) from None
        return
    raise InvalidInput(
        f'"{typed}" reads as a body sensation, which goes with --body: '
        f'numbtrack log --body "{typed}".'
    )


def collect_practices(
    practice: list[str] | None, new_practice: list[str] | None
) -> tuple[str, ...]:
    """--practice names, then --new-practice names marked to keep as the person's own."""
    return (*(practice or ()), *(p + vocab.OWN_MARK for p in new_practice or ()))


def saved_lines(c: CheckIn, renamed: list[str] | None = None) -> list[str]:
    """ "Saved ...", and what any alias was counted as, so that nothing is renamed silently."""
    from numbtrack import text

    lines = ["Saved " + text.one_line(c, note_chars=0)]
    if renamed is None:  # what the store kept beside the check-in
        renamed = [t.line() for t in c.typed]
    lines += [f"  {line}." for line in renamed]
    if c.note:
        lines.append(f"  with a note of {text.plural(len(c.note.split()), 'word')}.")
    return lines


def given(values: dict[str, Any]) -> bool:
    """Whether `log` was given anything to record (else it asks, on a terminal)."""
    many = ("words", "body", "practice", "tag", "new_word", "new_body", "new_practice")
    one = ("note", "at", "state", "feel", "sleep")
    return any(values[k] for k in many) or any(values[k] is not None for k in one)


def moment(at: str | None) -> datetime:
    """When the check-in happened: --at, or now."""
    if at is None:
        return datetime.now().astimezone()
    from numbtrack.when import parse_when

    return parse_when(at)


def log_checkin(
    echo: Callable[[str], None],
    *,
    words: list[str] | None,
    feel: int | None,
    body: list[str] | None,
    practice: list[str] | None,
    tag: list[str] | None,
    note: str | None,
    at: str | None,
    sleep: float | None,
    state: str | None,
    new_word: list[str] | None,
    new_body: list[str] | None,
    new_practice: list[str] | None,
    quiet: bool,
) -> None:
    """A one-shot `numbtrack log`: check, save, and say what was saved (through `echo`)."""
    from numbtrack import paths
    from numbtrack.models import validate
    from numbtrack.store import Store

    when = moment(at)
    own_qualities: frozenset[str] = frozenset()

    def checkin() -> CheckIn:
        feelings, sensations = collect(words, new_word, body, new_body, own_qualities)
        return CheckIn(
            at=when,
            can_feel=feel,
            state=state,
            note=text,
            sleep_hours=sleep,
            feelings=feelings,
            sensations=sensations,
            practices=collect_practices(practice, new_practice),
            tags=tuple(tag or ()),
        )

    try:
        text = read_note(note)
        if Store.nothing_at(paths.db_path()):
            # No store yet, so no names of one's own: a first check-in is checked before
            # the store is made, and one refused makes none (bad input writes nothing).
            validate(checkin())
        with Store() as store:
            own_qualities = store.own().qualities
            saved = store.add(checkin())
    except InvalidInput as exc:
        if "feeling word" in exc.message:
            meant_for_body(words, own_qualities)
        raise
    if not quiet:
        for line in saved_lines(saved):
            echo(line)


# -- the quick way in ------------------------------------------------------------------------


def _convert(kind: str, value: str) -> Any:
    """A value as Typer's Click converts it, or None where Click would refuse it."""
    if kind == "text":
        return value
    if kind == "choice":
        return next((c for c in STATE_CHOICES if c.casefold() == value.casefold()), None)
    if kind == "hours":
        return read_hours(value)
    if kind == "can-feel":
        return read_can_feel(value)
    try:
        return int(value) if kind == "integer" else float(value)
    except ValueError:
        return None


def _option(
    args: Sequence[str],
    i: int,
    spec: dict[str, tuple[str, str, bool]],
    values: dict[str, Any],
    seen: set[str],
) -> int | None:
    """Read the option at args[i] into `values`; the index after it, or None to decline."""
    arg = args[i]
    if arg.startswith("--"):
        name, eq, attached = arg.partition("=")
    elif len(arg) == 2:  # one short option alone: -q, -f 3 (never -qf3 or -f3)
        name, eq, attached = arg, "", ""
    else:
        return None
    found = spec.get(name)
    if found is None:
        return None
    param, kind, repeats = found
    if param in seen and not repeats:
        return None
    seen.add(param)
    if kind == "flag":
        if eq:
            return None
        values[param] = True
        return i + 1
    if eq:
        text, after = attached, i + 1
    elif i + 1 < len(args):
        text, after = args[i + 1], i + 2  # taken as it is, even when it starts with "-"
    else:
        return None
    value = _convert(kind, text)
    if value is None:
        return None
    values[param] = [*(values[param] or []), value] if repeats else value
    return after


def parse_root(args: Sequence[str]) -> tuple[dict[str, Any], int] | None:
    """The global options before the command, as Typer would pass them, and the index of
    the command; None when one of them is left to Typer."""
    root: dict[str, Any] = {"home": None, "no_pager": False}
    seen: set[str] = set()
    i = 0
    while i < len(args) and args[i].startswith("-") and len(args[i]) > 1:
        after = _option(args, i, ROOT_OPTIONS, root, seen)
        if after is None:
            return None
        i = after
    return root, i


def parse(args: Sequence[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The global options' and `log`'s parameter values, as Typer would pass them, for a
    plain one-shot check-in; None for anything else."""
    found = parse_root(args)
    if found is None:
        return None
    root, i = found
    if i >= len(args) or args[i] != COMMAND:
        return None
    values: dict[str, Any] = {
        p: False if kind == "flag" else None for p, kind, _ in LOG_OPTIONS.values()
    }
    words: list[str] = []
    seen: set[str] = set()
    i += 1
    while i < len(args):
        arg = args[i]
        if arg.startswith("-"):  # an option, "--", or "-" (left to Typer)
            after = _option(args, i, LOG_OPTIONS, values, seen)
            if after is None:
                return None
            i = after
        else:
            words.append(arg)
            i += 1
    values[LOG_ARGUMENT] = words or None
    if values["guided"] or not given(values):
        return None
    return root, values


def echo(message: str, *, err: bool = False) -> None:
    """A line on stdout (or stderr), as click.echo writes it to a well-set-up stream: with
    ANSI codes removed when it is not a terminal, and flushed."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    out = message + "\n"
    if "\x1b" in out:
        try:
            terminal = stream.isatty()
        except Exception:
            terminal = False
        if not terminal:
            import re

            out = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", out)
    stream.write(out)
    stream.flush()


def _streams_as_click_uses_them() -> bool:
    """click.echo writes to sys.stdout and sys.stderr as they are unless their encoding is
    ASCII or unknown (it then re-wraps them) or this is Windows: leave those cases to it."""
    import codecs

    if os.name == "nt":
        return False
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if stream is None or not encoding or getattr(stream, "errors", None) is None:
            return False
        try:
            if codecs.lookup(encoding).name == "ascii":
                return False
        except LookupError:
            return False
    return True


def unexpected(exc: Exception, command: str = COMMAND) -> int:
    """cli._unexpected without Typer: a known state of the machine, or a bug."""
    from numbtrack import crash

    told = crash.known(exc)
    if told is not None:
        echo(told.message, err=True)
        return told.exit_code
    if crash.should_raise():
        raise exc
    echo(crash.sentence(exc, command), err=True)
    return 1


def stopped() -> int:
    """Ctrl-C, as Click and NumbtrackGroup.main answer it."""
    echo("", err=True)
    echo("Stopped; nothing was written.", err=True)
    return 1


def reader_gone() -> int:
    """As cli._reader_gone: the reader of standard output went away; stop quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


def guarded(work: Callable[[], int | None], command: str) -> int:
    """Run a quick way's command as NumbtrackGroup runs one: errors become one sentence and
    an exit code (Ctrl-C "Stopped", a reader gone a quiet 141, anything else through
    `unexpected`). Returns the exit code: `work`'s own, or 0."""
    try:
        return work() or 0
    except NumbtrackError as exc:
        echo(exc.message, err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return stopped()
    except BrokenPipeError:
        return reader_gone()
    except Exception as exc:
        return unexpected(exc, command)


def use_home(root: dict[str, Any]) -> None:
    """The global --home as Typer's callback takes it: `--home ""` means what an empty
    NUMBTRACK_HOME means, the usual folder."""
    from numbtrack import paths

    home = root["home"]
    paths.set_home(Path(home) if home and home.strip() else None)


def invoke(values: dict[str, Any]) -> int:
    """Run `log` as NumbtrackGroup runs a command: errors become one sentence and an exit
    code, and after a change an automatic sync may start. Returns the exit code."""
    from numbtrack import paths

    kwargs = {k: v for k, v in values.items() if k != "guided"}
    try:
        log_checkin(echo, **kwargs)
    except NumbtrackError as exc:
        echo(exc.message, err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return unexpected(exc)
    from numbtrack.sync import auto

    auto.after_change(paths.data_dir(), pin_home=paths.home_overridden())
    return 0


def run(args: Sequence[str]) -> None:
    """Log a check-in typed in full and exit; for anything else, return at once."""
    if os.environ.get(COMPLETE_ENV) or not _streams_as_click_uses_them():
        return
    parsed = parse(args)
    if parsed is None:
        return
    root, values = parsed
    use_home(root)
    sys.exit(invoke(values))
