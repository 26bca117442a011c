"""The quick way into a plain `numbtrack import FILE`.

Loading Typer, Click and the command modules costs about as much CPU as mapping a few
thousand of another app's entries, before the first of them is read (issue 15 times each
importer at 20,000 rows a second, whole command). So the `numbtrack` script hands its
arguments to `run` after numbtrack.quick has declined them. When they are a plain import
(`numbtrack [--home DIR] import FILE [--format F] [--mood-map MAP] [--dry-run]`) of a file
that is not encrypted, `run` calls `import_file`, the very function the Typer command in
cli/data.py calls, and exits. Anything else (help, an unknown or repeated option, a format
spelled another way, an encrypted file, which may ask for a passphrase, completion) returns
without having done anything, and Typer runs as always.

IMPORT_OPTIONS is what the parser knows of the Typer command's parameters;
tests/test_quick_import.py checks it against the real command and that both ways say the
same, with the same exit codes, and write the same store. Errors become one sentence and an
exit code as NumbtrackGroup makes them; after an import, an automatic sync may start, as
after the Typer command. This module imports neither Typer, Click nor any of numbtrack.cli
(an import-linter contract holds it to that); Rich only for a progress bar on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from numbtrack import quick

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

IMPORT = "import"

IMPORT_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "--format": ("fmt", "text", False),
    "-F": ("fmt", "text", False),
    "--mood-map": ("mood_map", "text", False),
    "--dry-run": ("dry_run", "flag", False),
}
"""The options of `import` the quick way reads: its parameter, its kind and whether it
repeats. Any other option is left to Typer."""

FORMATS = ("auto", "numbtrack", "daylio", "daylio-backup", "howwefeel", "bearable")
"""The import formats, spelled as the Typer command passes them on (exchange.IMPORT_FORMATS;
a test checks they are the same)."""

AGE_MAGIC = b"age-encryption.org/v1\n"
"""How an encrypted file starts (crypto.MAGIC; a test checks they are the same): such a file
goes Typer's way, which asks for its passphrase."""


# -- what the Typer command does too ----------------------------------------------------------


def import_file(
    file: Path,
    fmt: str,
    mood_map: str | None,
    dry_run: bool,
    data: bytes | None,
    echo: Callable[[str], None],
) -> None:
    """`import`: read and check `file` (or `data`, its decrypted contents), put its check-ins
    in the store all or nothing (or only say what would be added, with `dry_run`), and say
    what was done and how the names were mapped, a line at a time through `echo`."""
    from numbtrack import exchange
    from numbtrack.errors import InvalidInput
    from numbtrack.exchange.daylio import parse_mood_map
    from numbtrack.text import plural

    mapping = parse_mood_map(mood_map) if mood_map else None
    loaded = exchange.stream(file, fmt.lower(), mapping, data=data, packed=True)
    if mapping and loaded.kind not in exchange.MOOD_MAP_KINDS:
        raise InvalidInput("--mood-map is only for Daylio files.")
    # Here, not at the top: the store's module loads while the reading process reads.
    import gc

    from numbtrack.progress import Progress
    from numbtrack.store import Store

    # The check-ins taken from the reader make no garbage cycles, and a great many objects
    # that live until they are staged: the cyclic collector waits (as while a file is read
    # whole, exchange._load_whole), not walking them again and again.
    paused = gc.isenabled()
    gc.disable()
    try:
        with Progress("Importing") as progress:
            incoming = exchange.counted(loaded.checkins, progress)
            result = Store.put_many_into(
                None, incoming, dry_run=dry_run, derived=loaded.derived, checked=True
            )
    finally:
        if paused:
            gc.enable()
    verb = "Would import" if dry_run else "Imported"
    span = ""
    if loaded.first is not None:
        span = f", {loaded.first} to {loaded.last}"
    echo(
        f"{verb} {plural(loaded.count, 'check-in')} from {file.name} "
        f"({loaded.kind}{span}): {result.added:,} added, {result.updated:,} updated, "
        f"{result.unchanged:,} unchanged."
    )
    if result.conflicts:
        echo(
            f"{plural(result.conflicts, 'check-in')} here had other content and a newer "
            "updated_at; the copy already here was kept."
        )

    def were(n: int) -> str:
        return "would be" if dry_run else "was" if n == 1 else "were"

    if loaded.derived and result.updated:
        echo(
            f"{plural(result.updated, 'check-in')} an earlier import brought in "
            f"{were(result.updated)} updated from this file and mapping."
        )
    if result.edited:
        echo(
            f"{plural(result.edited, 'check-in')} you edited since the earlier import "
            f"{were(result.edited)} left as you made {'it' if result.edited == 1 else 'them'}."
        )
    if loaded.unmapped:
        labels = ", ".join(f"{k} ({n})" for k, n in loaded.unmapped.most_common())
        echo(f"Not in --mood-map, kept as mood: tags: {labels}.")
    for line in loaded.report.lines():
        echo(line)
    if dry_run:
        echo("Nothing was written.")


# -- the quick way in -------------------------------------------------------------------------


def parse(args: Sequence[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The global options' values and the command's parameter values, as Typer would pass
    them, for a plain import of one file; None for anything else."""
    found = quick.parse_root(args)
    if found is None:
        return None
    root, i = found
    if i >= len(args) or args[i] != IMPORT:
        return None
    values: dict[str, Any] = {
        p: (False if kind == "flag" else None) for p, kind, _ in IMPORT_OPTIONS.values()
    }
    files: list[str] = []
    seen: set[str] = set()
    i += 1
    while i < len(args):
        arg = args[i]
        if arg.startswith("-"):  # an option, "--" or "-" (left to Typer)
            after = quick._option(args, i, IMPORT_OPTIONS, values, seen)
            if after is None:
                return None
            i = after
        else:
            files.append(arg)
            i += 1
    if len(files) != 1 or not files[0]:
        return None
    if values["fmt"] is None:
        values["fmt"] = "auto"
    elif values["fmt"] not in FORMATS:  # another spelling, or not a format: Typer says which
        return None
    if values["mood_map"] is not None and not values["mood_map"]:
        return None
    values["file"] = files[0]
    return root, values


STDIN_NAME = "standard input"
"""What `numbtrack import -` names the data it reads from standard input."""
PIPE_NAME = "the pipe"
"""What the import names a file descriptor's path (`/dev/fd/63`, which a shell's
`<(cmd)` hands over): its own name, a number, would mean nothing to the person."""


def read_once(file: Path) -> tuple[Path, bytes] | None:
    """For a file that can be read only once, its name for messages and all of its bytes:
    "-" (standard input), a pipe or FIFO (`numbtrack import <(unzip -p history.zip)`), a
    device. Working out the format and reading the check-ins then see the same bytes, at
    most the import's size limit (a stream without end, /dev/zero, stops there or at its
    first NUL byte). None for a regular file, a folder or a missing one: read as usual."""
    import stat

    from numbtrack import exchange

    if str(file) == "-":
        named = Path(STDIN_NAME)
        return named, exchange.read_bounded_from(named, sys.stdin.buffer)
    try:
        mode = file.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    named = Path(PIPE_NAME) if _descriptor(file) else file
    try:
        with file.open("rb") as fh:
            return named, exchange.read_bounded_from(named, fh)
    except OSError as exc:
        raise exchange._open_error(file, exc) from None


def _descriptor(path: Path) -> bool:
    """Whether `path` names an open file descriptor (/dev/fd/N, /proc/self/fd/N)."""
    return path.name.isdigit() and path.parent.name == "fd"


def _once_only(path: Path) -> bool:
    """Whether `path` is standard input, a pipe or a device (see `read_once`)."""
    import stat

    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _encrypted(path: Path) -> bool:
    """Whether `path` starts as an encrypted file does (any problem reading it: no, the
    import says what it is)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(AGE_MAGIC)) == AGE_MAGIC
    except OSError:
        return False


def invoke(values: dict[str, Any]) -> int:
    """Run the plain import as NumbtrackGroup runs a command: errors become one sentence and
    an exit code, and after it an automatic sync may start. Returns the exit code."""
    from numbtrack import paths

    code = quick.guarded(
        lambda: import_file(
            Path(values["file"]),
            values["fmt"],
            values["mood_map"],
            values["dry_run"],
            None,
            quick.echo,
        ),
        IMPORT,
    )
    if code:
        return code
    from numbtrack.sync import auto

    auto.after_change(paths.data_dir(), pin_home=paths.home_overridden())
    return 0


def run(args: Sequence[str]) -> None:
    """Import the file when the arguments are a plain import, and exit; for anything else,
    return at once."""
    import os

    if os.environ.get(quick.COMPLETE_ENV) or not quick._streams_as_click_uses_them():
        return
    parsed = parse(args)
    if parsed is None:
        return
    root, values = parsed
    if _once_only(Path(values["file"])) or _encrypted(Path(values["file"])):
        return  # Typer's way: read once, and it may ask for a passphrase
    quick.use_home(root)
    sys.exit(invoke(values))
