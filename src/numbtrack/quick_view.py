"""The quick way into `numbtrack week` and `numbtrack report`, and the paging they share.

Loading Typer, Click and the command modules costs about a third of a `numbtrack week`, and
issue 17 wants the week at most six times a bare `python -c "import sqlite3"`. So the
`numbtrack` script hands its arguments to `run` after numbtrack.quick has declined them. When
they are a plain week or report in the terminal (`numbtrack [--home DIR] [--no-pager] week
[WHICH] [--notes]`, `numbtrack report [--from DAY] [--to DAY]`), `run` calls `load_week` or
`load_report` and then `show`, the very functions the Typer commands in cli/views.py call,
and exits. Anything else (--save, --force, --paper, help, an unknown or repeated option, a
second argument, `--`, completion) returns without having done anything, and Typer runs as
always, so every message about the command line still comes from Typer.

WEEK_OPTIONS, REPORT_OPTIONS and WEEK_ARGUMENT are what the parser knows of the Typer
commands' parameters; tests/test_quick_view.py checks them against the real commands and,
for many argument lists, that both ways pass the same values, and runs both ways at several
terminal widths, piped and on a terminal (paged), with NO_COLOR. Errors become one sentence
and an exit code as NumbtrackGroup makes them. This module imports neither Typer, Click nor
any of numbtrack.cli (an import-linter contract holds it to that); Rich only to draw.

`page`, `page_rich` and `print_rich` live here (cli.common re-exports them) so that both ways
print through one function: on a terminal through a pager when the text is longer than the
screen, as git does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from numbtrack import quick

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from datetime import date
    from typing import Any

    from numbtrack.summary import Report, Week

WEEK = "week"
REPORT = "report"

WEEK_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "--notes": ("notes", "flag", False),
}
"""The options of `week` the quick way reads: its parameter, its kind and whether it repeats.
Any other (--save, --force, --paper, help) is left to Typer."""

WEEK_ARGUMENT = ("which", "this")
"""The parameter that takes `week`'s one argument, and its default."""

REPORT_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "--from": ("from_", "text", False),
    "--to": ("to", "text", False),
}
"""The options of `report` the quick way reads (the period); --save and the rest go to Typer."""


# -- what the Typer commands do too ---------------------------------------------------------


def load_week(which: str, notes: bool) -> Week:
    """`week WHICH [--notes]`: the week holding the day WHICH names, from the store."""
    from numbtrack import summary
    from numbtrack.store import Store
    from numbtrack.when import parse_week

    monday = parse_week(which)
    with Store(make=False) as store:
        return summary.load_week(store, monday, show_notes=notes)


def report_period(from_: str | None, to: str | None) -> tuple[date, date]:
    """The first and last day of `report --from --to` (default: four weeks up to today)."""
    from numbtrack import summary
    from numbtrack.errors import InvalidInput
    from numbtrack.when import local_now, parse_day

    end = parse_day(to) if to else local_now().date()
    start = parse_day(from_) if from_ else summary.default_report_start(end)
    if start > end:
        raise InvalidInput(f"--from {start} is after --to {end}; swap them.")
    return start, end


def load_report(start: date, end: date) -> Report:
    """The report of [start, end] from the store, with a progress bar when it takes long."""
    from numbtrack import summary
    from numbtrack.progress import Progress
    from numbtrack.store import Store

    with Store(make=False) as store, Progress("Counting") as progress:
        return summary.load_report(store, start, end, progress=progress)


def show(shown: object) -> None:
    """A Week or a Report drawn (anything else as it is), paged on a terminal."""
    from numbtrack import render

    page_rich(render.view(shown))


# -- printing and paging ----------------------------------------------------------------------

pager_off = False
"""Set by the global --no-pager option."""


def plain_output() -> bool:
    """Plain text when piped or when NO_COLOR is set; Rich on a terminal or with FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return True
    if os.environ.get("FORCE_COLOR"):
        return False
    return not sys.stdout.isatty()


def console() -> Any:
    """The Console that prints to standard output: no colour when `plain_output`, and no
    emoji codes: numbtrack never writes one on purpose, and what a person wrote prints as
    written ("hands:cool:1" is not a picture). It also spares loading Rich's emoji table."""
    from rich.console import Console

    out = Console(no_color=plain_output() or None, emoji=False)
    out.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
    return out


def _reader_gone() -> None:
    """Rich ends the program with exit code 1 when the reader of its output goes away
    (`numbtrack week | head -1`); numbtrack's way is the quiet 141 that `list` and `export`
    give (quick.reader_gone, cli._reader_gone), so the error goes on to them."""
    raise BrokenPipeError


def print_rich(renderable: Any) -> None:
    console().print(renderable)


def _use_pager(lines: int) -> bool:
    if pager_off or not sys.stdout.isatty() or os.environ.get("NUMBTRACK_NO_PAGER"):
        return False
    import shutil

    return lines >= shutil.get_terminal_size((80, 24)).lines


def page(text: str) -> None:
    """Print `text`; on a terminal, through a pager when it is longer than the screen, the
    way git does it: $PAGER (or less), with LESS=FRX unless LESS is set already. A PAGER
    set to "" or "cat" means no pager."""
    if not _use_pager(text.count("\n") + 1):
        quick.echo(text)
        return
    _run_pager(text)


def _run_pager(text: str) -> None:
    import shlex
    import subprocess

    command = os.environ.get("PAGER")
    if command is not None and command.strip() in ("", "cat"):
        quick.echo(text)
        return
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    try:
        argv = shlex.split(command or "less")
        with subprocess.Popen(argv, stdin=subprocess.PIPE, env=env) as proc:
            assert proc.stdin is not None
            try:
                proc.stdin.write((text + "\n").encode("utf-8", "replace"))
                proc.stdin.close()
            except BrokenPipeError:  # the person quit the pager early
                pass
            while True:
                try:
                    proc.wait()
                    break
                except KeyboardInterrupt:  # Ctrl-C belongs to the pager, as with git
                    continue
    except (OSError, ValueError):  # no such pager: print it as it is
        quick.echo(text)


def page_rich(renderable: Any) -> None:
    """A Rich renderable, paged like `page` when it is longer than the screen."""
    if pager_off or not sys.stdout.isatty():
        print_rich(renderable)
        return
    out = console()
    with out.capture() as captured:
        out.print(renderable)
    text = captured.get().rstrip("\n")
    if not _use_pager(text.count("\n") + 1):
        quick.echo(text)
        return
    _run_pager(text)


# -- the quick way in ------------------------------------------------------------------------


def parse(args: Sequence[str]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The command, the global options' values and the command's parameter values, as Typer
    would pass them, for a plain `week` or `report` in the terminal; None for anything else."""
    found = quick.parse_root(args)
    if found is None:
        return None
    root, i = found
    if i >= len(args) or args[i] not in (WEEK, REPORT):
        return None
    command = args[i]
    spec = WEEK_OPTIONS if command == WEEK else REPORT_OPTIONS
    values: dict[str, Any] = {
        p: (False if kind == "flag" else None) for p, kind, _ in spec.values()
    }
    arguments: list[str] = []
    seen: set[str] = set()
    i += 1
    while i < len(args):
        arg = args[i]
        if arg.startswith("-"):  # an option; "-" and "--" are left to Typer
            after = quick._option(args, i, spec, values, seen)
            if after is None:
                return None
            i = after
        else:
            arguments.append(arg)
            i += 1
    if command == REPORT:
        return None if arguments else (command, root, values)
    if len(arguments) > 1:  # Typer's "Got unexpected extra argument"
        return None
    name, default = WEEK_ARGUMENT
    values[name] = arguments[0] if arguments else default
    return command, root, values


def invoke(command: str, values: dict[str, Any]) -> int:
    """Run the plain command as NumbtrackGroup runs one: errors become one sentence and an
    exit code. Returns the exit code."""
    if command == WEEK:
        return quick.guarded(lambda: show(load_week(values["which"], values["notes"])), command)
    period = values["from_"], values["to"]
    return quick.guarded(lambda: show(load_report(*report_period(*period))), command)


def run(args: Sequence[str]) -> None:
    """Show the week or the report when the arguments are the plain command, and exit; for
    anything else, return at once.

    Start-up makes some 30,000 objects that live until the end (modules, classes,
    functions), and the garbage collector would walk them again and again while they are
    made: it is off until the command's modules are loaded, which are then frozen out of its
    sight (gc.freeze; the last collection at exit skips them too), and it is on again for the
    work itself."""
    import gc

    gc.disable()  # the script turns it off before it imports this module
    try:
        parsed = None
        if not os.environ.get(quick.COMPLETE_ENV) and quick._streams_as_click_uses_them():
            parsed = parse(args)
        if parsed is not None:
            _load_modules()
            gc.freeze()
    finally:
        gc.enable()
    if parsed is None:
        return
    command, root, values = parsed
    global pager_off
    quick.use_home(root)
    if root["no_pager"]:
        pager_off = True
    sys.exit(invoke(command, values))


def _load_modules() -> None:
    """Import what a week or a report needs, all at once (see `run`)."""
    import rich.console  # noqa: F401

    from numbtrack import render, store, summary, when  # noqa: F401
