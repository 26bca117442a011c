"""The quick way into `numbtrack sync`: a sync typed in full, without loading Typer.

A sync with nothing new does little work (a look at the folder, a few small queries), so
loading Typer, Click and the command modules was most of its time, and the goal (a sync with
nothing new under 150 ms, issue 16) left no room for it. The background sync that `log`
starts after a change (`sync --background`) pays the same start-up on a machine that is busy
with the person's next command. So the `numbtrack` script hands its arguments to `run` after
numbtrack.quick has declined them. When they are a plain sync (`numbtrack sync`,
`numbtrack --home DIR sync -q`, `numbtrack sync --background`), `run` calls `sync_now` or
`background`, the very functions the Typer callback of `sync` in cli/sync.py calls, and exits.
Anything else (help, a subcommand such as `sync status`, an unknown or repeated option,
completion) returns without having done anything, and Typer runs as always.

SYNC_OPTIONS is what the parser knows of the Typer callback's parameters; tests/test_quick.py
derives it from the real command and fails when they differ. Errors become one sentence and
an exit code as NumbtrackGroup makes them. This module imports neither Typer, Click, Rich nor
any of numbtrack.cli (an import-linter contract holds it to that).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from numbtrack import quick
from numbtrack.errors import NumbtrackError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from numbtrack.sync.engine import Settings

COMMAND = "sync"

SYNC_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "--quiet": ("quiet", "flag", False),
    "-q": ("quiet", "flag", False),
    "--background": ("background", "flag", False),
}
"""Every option of plain `numbtrack sync`: its parameter, its kind and whether it repeats."""


# -- what the Typer command does too -------------------------------------------------------


def settings() -> Settings:
    """This device's sync settings (config.toml); one sentence before `sync init`."""
    from numbtrack import config
    from numbtrack.errors import InvalidInput
    from numbtrack.sync import engine

    found = engine.from_config(config.load())
    if found is None:
        raise InvalidInput("This device has no sync folder yet; run numbtrack sync init DIR.")
    return found


def sync_now(echo: Callable[[str], None], *, quiet: bool) -> None:
    """`numbtrack sync`: exchange changes now, and say what happened (through `echo`)."""
    from numbtrack import paths
    from numbtrack.store import Store
    from numbtrack.sync import auto, engine
    from numbtrack.text import plural

    found = settings()
    bar = None
    if not quiet and sys.stderr.isatty():  # no module more to load for a pipe or --quiet
        from numbtrack.progress import Progress

        bar = Progress("Syncing")
    try:
        with Store() as store:
            report = engine.run(store, found)
    finally:
        if bar is not None:
            bar.close()
    auto.touch(paths.data_dir())
    assert report is not None
    if quiet:
        return
    a = report.applied
    here = [
        f"{a.added:,} added" if a.added else "",
        f"{a.updated:,} updated" if a.updated else "",
        f"{a.deleted:,} deleted" if a.deleted else "",
    ]
    got = ", ".join(x for x in here if x) or "nothing new"
    echo(f"Synced: from other devices, {got}; sent {plural(report.sent, 'change')}.")
    if a.kept:
        echo(
            f"{plural(a.kept, 'change')} from other devices lost to newer ones here "
            "(the newer change wins)."
        )
    if report.waiting:
        echo(f"{plural(len(report.waiting), 'file')} still arriving; they will be read next time.")
    if report.compacted:
        echo(f"Compacted {plural(report.compacted, 'old file')} into one snapshot.")


def background() -> int:
    """The automatic sync: no output, no waiting; a failure is kept for `sync status`.
    Returns the exit code."""
    from numbtrack import paths
    from numbtrack.store import Store
    from numbtrack.sync import auto, engine

    data_dir = paths.data_dir()
    error = data_dir / auto.ERROR
    try:
        found = settings()
        with Store() as store:
            report = engine.run(store, found, wait=False)
    except NumbtrackError as exc:
        paths.write_atomic(error, (exc.message + "\n").encode("utf-8"))
        return exc.exit_code
    if report is not None:
        auto.touch(data_dir)
        if error.exists():
            error.unlink()
    return 0


# -- the quick way in ------------------------------------------------------------------------


def parse(args: Sequence[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The global options' and plain `sync`'s parameter values, as Typer would pass them;
    None for anything else."""
    root: dict[str, Any] = {"home": None, "no_pager": False}
    seen: set[str] = set()
    i = 0
    while i < len(args) and args[i].startswith("-") and len(args[i]) > 1:
        after = quick._option(args, i, quick.ROOT_OPTIONS, root, seen)
        if after is None:
            return None
        i = after
    if i >= len(args) or args[i] != COMMAND:
        return None
    values: dict[str, Any] = {p: False for p, _, _ in SYNC_OPTIONS.values()}
    seen = set()
    i += 1
    while i < len(args):
        # Only options: a word is a subcommand (status, init, ...) or a mistake, for Typer.
        after = quick._option(args, i, SYNC_OPTIONS, values, seen)
        if after is None:
            return None
        i = after
    return root, values


def invoke(values: dict[str, Any]) -> int:
    """Run plain `sync` as NumbtrackGroup runs a command: errors become one sentence and an
    exit code. Returns the exit code."""
    if values["background"]:
        return quick.guarded(background, COMMAND)
    return quick.guarded(lambda: sync_now(quick.echo, quiet=values["quiet"]), COMMAND)


def run(args: Sequence[str]) -> None:
    """Sync when the arguments are a plain sync, and exit; for anything else, return at once.

    As for `week` (quick_view.run): the garbage collector is off while start-up makes the
    objects that live until the end (modules, classes, functions; it walked them again and
    again, a tenth of a sync with nothing new), they are then frozen out of its sight, and
    it is on again for the sync itself."""
    import gc
    import os

    gc.disable()  # the script turns it off before it imports numbtrack.quick
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
    root, values = parsed
    quick.use_home(root)
    sys.exit(invoke(values))


def _load_modules() -> None:
    """Import what a sync needs, all at once (see `run`)."""
    from numbtrack import config, paths, store, text  # noqa: F401
    from numbtrack.sync import auto, engine  # noqa: F401
