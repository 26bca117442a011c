"""The quick way into a whole-history `numbtrack export` and `numbtrack list --all --json`.

Loading Typer, Click and the command modules costs about as much CPU as writing a year of
check-ins, and these two commands are what a person runs to take everything elsewhere (issue
17 times them beside the `sqlite3` command-line tool). So the `numbtrack` script hands its
arguments to `run` after numbtrack.quick has declined them. When they are a plain export of
everything (`numbtrack [--home DIR] export [--format F] [-o FILE] [--force]`) or
`numbtrack list --all --json`, `run` calls `write_export` or `write_list_json`, the very
functions the Typer commands in cli/data.py and cli/entries.py call, and exits. Anything else
(search terms or filter options, --long, --encrypt, help, an unknown or repeated option,
completion) returns without having done anything, and Typer runs as always.

EXPORT_OPTIONS and LIST_OPTIONS are what the parser knows of the Typer commands' parameters;
tests/test_quick_export.py checks them against the real commands and, for many argument
lists, that both ways write the same bytes. Errors become one sentence and an exit code as
NumbtrackGroup makes them. This module imports neither Typer, Click nor any of numbtrack.cli
(an import-linter contract holds it to that); Rich only for a progress bar on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from numbtrack import quick

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from numbtrack.store import Filter, Store

EXPORT = "export"
LIST = "list"

EXPORT_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "--format": ("fmt", "text", False),
    "-F": ("fmt", "text", False),
    "--output": ("output", "text", False),
    "-o": ("output", "text", False),
    "--force": ("force", "flag", False),
}
"""The options of `export` the quick way reads: its parameter, its kind and whether it repeats.
Any other option (a filter, --long, --encrypt, ...) is left to Typer."""

LIST_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "--all": ("show_all", "flag", False),
    "-a": ("show_all", "flag", False),
    "--json": ("as_json", "flag", False),
}
"""The options of `list` the quick way reads; it takes the list only with both given."""

FORMATS = ("csv", "json", "jsonl")
"""The export formats, spelled as the Typer command passes them on."""


# -- what the Typer commands do too ---------------------------------------------------------


def write_export(
    store: Store,
    f: Filter,
    fmt: str,
    output: Path | None,
    *,
    force: bool = False,
    long: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """`export` (not --encrypt): to standard output, or atomically to `output`. Returns how
    many check-ins were written."""
    from numbtrack import exchange, paths

    if output is None:
        return exchange.export(store, f, sys.stdout, fmt, long=long, progress=progress)
    with paths.atomic_write(output, force=force) as fh:
        return exchange.export(store, f, fh, fmt, long=long, progress=progress)


def exported_line(n: int, output: Path) -> str:
    """What `export -o FILE` says on stderr when it is done."""
    from numbtrack.text import plural

    return f"Exported {plural(n, 'check-in')} to {output}."


def write_list_json(store: Store, f: Filter) -> None:
    """`list --all --json`: every match, newest first, streamed in batches (the whole history
    is never in memory)."""
    from numbtrack import exchange
    from numbtrack.exchange import native

    records = exchange.json_records(
        store, "json-list", f, typed=store.any_typed(), newest_first=True
    )
    native.write_json_list_records(records, sys.stdout)


# -- the quick way in ------------------------------------------------------------------------


def parse(args: Sequence[str]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The command, the global options' values and the command's parameter values, as Typer
    would pass them, for a plain export of everything or `list --all --json`; None for
    anything else."""
    found = quick.parse_root(args)
    if found is None:
        return None
    root, i = found
    if i >= len(args) or args[i] not in (EXPORT, LIST):
        return None
    command = args[i]
    spec = EXPORT_OPTIONS if command == EXPORT else LIST_OPTIONS
    values: dict[str, Any] = {
        p: (False if kind == "flag" else None) for p, kind, _ in spec.values()
    }
    seen: set[str] = set()
    i += 1
    while i < len(args):
        # Only options: a word is a search term, for Typer (and so is anything after `--`).
        if not args[i].startswith("-") or args[i] in ("-", "--"):
            return None
        after = quick._option(args, i, spec, values, seen)
        if after is None:
            return None
        i = after
    if command == LIST:
        return (command, root, values) if values["show_all"] and values["as_json"] else None
    fmt, output = values["fmt"], values["output"]
    if fmt is None:
        values["fmt"] = "csv"
    elif fmt not in FORMATS:  # another spelling, or not a format: Typer says which
        return None
    if output is not None and (not output or output.startswith("-")):
        return None
    return command, root, values


def invoke(command: str, values: dict[str, Any]) -> int:
    """Run the plain command as NumbtrackGroup runs one: errors become one sentence and an
    exit code. Returns the exit code."""
    return quick.guarded(_list if command == LIST else lambda: _export(values), command)


def _export(values: dict[str, Any]) -> None:
    from numbtrack.progress import Progress
    from numbtrack.store import Filter, Store

    output = None if values["output"] is None else Path(values["output"])
    f = Filter()
    with Store(make=False) as store, Progress("Exporting", lambda: store.count(f)) as progress:
        n = write_export(store, f, values["fmt"], output, force=values["force"], progress=progress)
    if output is not None:
        quick.echo(exported_line(n, output), err=True)


def _list() -> None:
    from numbtrack.store import Filter, Store

    with Store(make=False) as store:
        write_list_json(store, Filter())


def run(args: Sequence[str]) -> None:
    """Export or list everything when the arguments are the plain command, and exit; for
    anything else, return at once."""
    import os

    if os.environ.get(quick.COMPLETE_ENV) or not quick._streams_as_click_uses_them():
        return
    parsed = parse(args)
    if parsed is None:
        return
    command, root, values = parsed
    quick.use_home(root)
    sys.exit(invoke(command, values))
