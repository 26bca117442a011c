"""The `numbtrack` command, and `python -m numbtrack`.

A check-in typed in full (`numbtrack log numb --feel 2`) goes the quick way, numbtrack.quick,
which never loads Typer, and a plain sync (`numbtrack sync -q`, and the background sync a
change starts) goes numbtrack.quick_sync's way, a plain export of everything (and
`list --all --json`) numbtrack.quick_export's, a plain `import FILE` numbtrack.quick_import's,
a plain `week` or `report` in the terminal numbtrack.quick_view's; so does a plain
`numbtrack [--home DIR] dash` (`run_dash` below), whose first screen is timed against a bare
Textual app. Everything else, and anything the quick ways are not sure of, goes to the Typer
app in numbtrack.cli.
"""

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence
    from typing import Any

DASH = "dash"


def main() -> None:
    """Entry point of the `numbtrack` script."""
    _tolerant_output()
    args = sys.argv[1:]
    if "week" in args or "report" in args or "sync" in args:
        import gc

        # Off while start-up loads modules (quick_view.run says why; it turns it on again,
        # and so does quick_sync.run).
        gc.disable()
    if "week" in args or "report" in args:
        from numbtrack import quick_view

        quick_view.run(args)  # returns only when they are not a plain week or report
    from numbtrack import quick

    quick.run(args)  # returns only when the arguments are not a one-shot check-in
    if "sync" in args:
        from numbtrack import quick_sync

        quick_sync.run(args)  # returns only when they are not a plain sync
    if "export" in args or "list" in args:
        from numbtrack import quick_export

        quick_export.run(args)  # returns only when they are not a plain export of everything
    if "import" in args:
        from numbtrack import quick_import

        quick_import.run(args)  # returns only when they are not a plain import of one file
    if DASH in args:
        run_dash(args)  # returns only when the arguments are not a plain `numbtrack dash`
    from numbtrack.cli import main as cli_main

    cli_main()


def _tolerant_output() -> None:
    """Standard output whose encoding cannot hold every character (PYTHONIOENCODING=ascii, a
    Latin-1 locale, output redirected to a file on Windows) shows "?" for a character it
    cannot write, instead of stopping on the first one: a note in Japanese, the en dash of a
    week's dates or a box-drawing border must never turn `week` or `--help` into a crash.
    Rich draws its boxes in ASCII for such a stream already. UTF-8 streams are left as they
    are, at the cost of one comparison."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if encoding and not encoding.lower().startswith("utf"):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="replace")


# -- the quick way into `numbtrack dash` ------------------------------------------------------


def dash_root(args: "Sequence[str]") -> "dict[str, Any] | None":
    """The global options' values for `numbtrack [--home DIR] [--no-pager] dash` with nothing
    after `dash`; None for anything else (`dash --help`, a stray argument, --version, ...),
    which Typer answers as always. `dash` has no options of its own (tests/test_quick_dash.py
    checks that against the Typer command)."""
    from numbtrack import quick

    found = quick.parse_root(args)
    if found is None:
        return None
    root, i = found
    return root if list(args[i:]) == [DASH] else None


def run_dash(args: "Sequence[str]") -> None:
    """Start the dashboard without loading Typer and exit; for anything else, return at once.

    The command is the Typer one's (numbtrack.tui.main) and its errors end the way
    NumbtrackGroup ends them: one sentence on stderr and the error's exit code, a bug as one
    sentence with a crash log; after the dashboard, an automatic sync may start, as after
    any command that can change check-ins."""
    import os

    from numbtrack import quick

    if os.environ.get(quick.COMPLETE_ENV) or not quick._streams_as_click_uses_them():
        return
    root = dash_root(args)
    if root is None:
        return
    from numbtrack import quick

    quick.use_home(root)
    sys.exit(_dash())


def _dash() -> int:
    from numbtrack import paths, quick

    def dash() -> None:
        from numbtrack import tui

        tui.main()

    code = quick.guarded(dash, DASH)
    if code:
        return code
    from numbtrack.sync import auto

    auto.after_change(paths.data_dir(), pin_home=paths.home_overridden())
    return 0


if __name__ == "__main__":
    main()
