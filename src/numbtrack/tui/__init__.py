"""The Textual dashboard. Imported only by `numbtrack dash`, so other commands stay fast.

This module itself imports nothing heavy: `require_terminal` answers at once, before Textual
is loaded, when there is no terminal to draw in.
"""

from __future__ import annotations

import sys
from datetime import datetime

from numbtrack.errors import InvalidInput, NumbtrackError


def require_terminal() -> None:
    """Refuse in one sentence (exit code 2) when stdin or stdout is not a terminal."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput(
            "numbtrack dash needs a terminal to draw in; for text that can go into a pipe or "
            "a file, use numbtrack week, numbtrack list or numbtrack export."
        )


def main() -> None:
    """`numbtrack dash`, both ways in (the Typer command, and the script's quick way,
    numbtrack.__main__.run_dash): the store first, upgraded (failing with one clear
    sentence; where there is none, it is made by the first check-in saved), then no
    terminal, no dashboard (exit code 2, before Textual loads)."""
    from numbtrack.store import Store

    with Store(make=False):
        pass
    require_terminal()
    run()


def run(now: datetime | None = None) -> None:
    """Run the dashboard; a crash of its own becomes one sentence and exit code 1."""
    require_terminal()
    from numbtrack.tui import overview_data

    # The first screen's data is read while Textual loads (overview_data.py).
    overview_data.start((now or datetime.now().astimezone()).date())
    from numbtrack.tui import crash
    from numbtrack.tui.app import NumbtrackApp

    app = NumbtrackApp(now=now)
    app.run()
    if app.return_code == 1:
        raise NumbtrackError(crash.message(app.crash_log))
