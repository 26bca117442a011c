"""Summaries and the dashboard: the week, a longer report, `numbtrack dash`."""

# No `from __future__ import annotations`: Typer reads these signatures at run time.
from enum import StrEnum
from typing import Annotated

import typer

from numbtrack import quick_view
from numbtrack.cli.common import ForceOpt, SaveOpt, show_and_save

app = typer.Typer()


class Paper(StrEnum):
    a4 = "a4"
    letter = "letter"


PaperOpt = Annotated[
    Paper | None,
    typer.Option(
        "--paper",
        help="Paper size of a .pdf FILE: a4 or letter (default: by your locale, LC_PAPER).",
        case_sensitive=False,
    ),
]


@app.command()
def week(
    which: Annotated[
        str, typer.Argument(help="this, last, 2026-W48, or any day inside the week.")
    ] = "this",
    notes: Annotated[bool, typer.Option("--notes", help="Include the notes.")] = False,
    save: SaveOpt = None,
    force: ForceOpt = False,
    paper: PaperOpt = None,
) -> None:
    """The weekly summary: the week at a glance, words, body map, practices, and a comparison
    with the week before. Gentle and descriptive: no scores, no streaks.

    Example: numbtrack week last --save week.pdf
    """
    # A plain `numbtrack week` usually runs without Typer (numbtrack.quick_view), through
    # the same functions.
    result = quick_view.load_week(which, notes)
    show_and_save(result, save, force, f"numbtrack week {result.label}", paper and paper.value)


@app.command()
def report(
    from_: Annotated[
        str | None, typer.Option("--from", help="First day (default: 4 weeks ago, a Monday).")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day (default: today).")] = None,
    save: SaveOpt = None,
    force: ForceOpt = False,
    paper: PaperOpt = None,
) -> None:
    """A longer period, week by week, to take to a therapist or to look back on.

    Example: numbtrack report --from 2026-09-01 --to 2026-11-30 --save report.pdf
    """
    # A plain report in the terminal usually runs without Typer (numbtrack.quick_view),
    # through the same functions.
    start, end = quick_view.report_period(from_, to)
    result = quick_view.load_report(start, end)
    show_and_save(result, save, force, f"numbtrack report {start} to {end}", paper and paper.value)


# -- dashboard ---------------------------------------------------------------------------


@app.command()
def dash() -> None:
    """The dashboard: a calendar, trends, words, a body map, entries, a log form and the week.

    Keys: o overview, e entries, l log, w week, ? help, q quit. To open another store,
    such as a demo one, put --home before the command:

    numbtrack --home DIR dash
    """
    from numbtrack import tui

    # The store first (one clear sentence if it cannot be opened), then no terminal, no
    # dashboard (exit code 2) before Textual loads. The `numbtrack` script usually starts the
    # dashboard without Typer (numbtrack.__main__.run_dash), through the same function.
    tui.main()
