"""Small steps and care: grounding, suggestions, the prompt nudge, demo data, support."""

# No `from __future__ import annotations`: Typer reads these signatures at run time.
from pathlib import Path
from typing import Annotated

import typer

from numbtrack import paths, vocab
from numbtrack.cli.common import (
    choice,
    open_store,
    refuse_both,
    saved_line,
)
from numbtrack.errors import InvalidInput, StoreError

app = typer.Typer()


# -- small steps -------------------------------------------------------------------------


@app.command()
def ground(
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing after saving.")
    ] = False,
) -> None:
    """A guided 5-4-3-2-1 senses exercise; what you notice can be saved as a check-in.

    Five things you can see, four you can touch or feel in your body, three you can hear, two
    you can smell, one you can taste. Each step can be skipped; Ctrl-C leaves without saving.
    """
    from numbtrack.cli import prompts
    from numbtrack.when import local_now

    checkin = prompts.grounding(local_now())
    if checkin is None:
        return
    with open_store() as store:
        saved = store.add(checkin)
    if not quiet:
        saved_line(saved)


@app.command()
def suggest() -> None:
    """Offer one small step you have not done recently (never one already done today)."""
    from numbtrack import practice
    from numbtrack.when import local_now

    with open_store(make=False) as store:
        last = store.practice_last_done()
    name = practice.suggest(last, local_now().date())
    step = vocab.load().practices[name]
    import textwrap

    typer.echo(f"A small step, if you like: {name}")
    typer.echo(textwrap.indent(textwrap.fill(step.suggestion, 76), "  "))


@app.command("shell-init")
def shell_init(
    shell: Annotated[
        str, typer.Argument(help="Your shell.", click_type=choice(("bash", "zsh", "fish")))
    ],
) -> None:
    """Print a snippet for your shell's rc file: one quiet line a day when nothing is logged.

    It runs no Python at the prompt. Add it with, for bash:
    numbtrack shell-init bash >> ~/.bashrc
    """
    from numbtrack import shell as shell_mod

    folder = paths.data_dir()
    text = shell_mod.snippet(shell.lower(), folder.resolve())
    paths.ensure_private_dir(folder)
    typer.echo(text, nl=False)


@app.command()
def nudge(
    action: Annotated[
        str,
        typer.Argument(
            help="off, on, quiet (silent for the rest of today), or status (what it does now).",
            click_type=choice(("off", "on", "quiet", "status")),
        ),
    ],
) -> None:
    """Turn the shell prompt's once-a-day line off or on, quiet it for today, or see which."""
    from numbtrack import shell as shell_mod

    typer.echo(shell_mod.set_nudge(paths.data_dir(), action))


@app.command()
def demo(
    years: Annotated[
        float, typer.Option("--years", help="How many years of check-ins, 0.1 to 60.")
    ] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same data.")] = 7,
    until: Annotated[str | None, typer.Option("--until", help="Last day (default: today).")] = None,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Folder for the demo store (default: a numbtrack-demo folder beside your own).",
            metavar="DIR",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Add to a folder that already holds check-ins.")
    ] = False,
) -> None:
    """Write realistic synthetic check-ins into a separate store, to try numbtrack safely.

    Never touches your own store unless --home names it.
    Example: numbtrack demo --years 3 && numbtrack --home DIR dash
    """
    if not 0.1 <= years <= 60:  # written so that "nan" is refused too
        raise InvalidInput("--years should be from 0.1 to 60, for example --years 3.")
    from numbtrack import demo as demo_mod
    from numbtrack.when import parse_day

    own = paths.data_dir()
    target = (home or own.with_name(own.name + "-demo")).expanduser()
    added = demo_mod.write_demo(
        target,
        years=years,
        seed=seed,
        until=parse_day(until) if until else None,
        replace_old=home is None,  # the default demo folder is the demo's own
        force=force,
    )
    from numbtrack.text import plural

    typer.echo(f"Wrote {plural(added, 'demo check-in')} to {target}.")
    typer.echo(f"Try: numbtrack --home {target} week   or   numbtrack --home {target} dash")


# -- care --------------------------------------------------------------------------------


@app.command()
def support(
    set_line: Annotated[
        str | None,
        typer.Option(
            "--set-line",
            help="Keep a line of your own here (a therapist, a friend).",
            metavar="TEXT",
        ),
    ] = None,
    clear_line: Annotated[
        bool, typer.Option("--clear-line", help="Remove the line of your own.")
    ] = False,
) -> None:
    """Crisis lines, a line of your own, and what numbtrack is not."""
    from dataclasses import replace as dc_replace

    from numbtrack import care, config

    if set_line is not None and clear_line:
        refuse_both("--set-line", "--clear-line")
    if set_line is not None:
        from numbtrack.vocab import refuse_blank

        refuse_blank(set_line, "a support line (to remove yours, use --clear-line)")
        config.check_line(set_line.strip())
    if set_line is None and not clear_line:
        try:
            settings = config.load()
        except StoreError as exc:
            # The crisis lines matter more than the settings: shown whatever the file holds.
            typer.echo(care.support_text(None, offer_own_line=False))
            typer.echo(exc.message.rstrip(".") + " to see your own line here.", err=True)
            raise typer.Exit(exc.exit_code) from None
        typer.echo(care.support_text(settings.local_line))
        return
    settings = config.load()
    if set_line is not None or clear_line:
        line = None if clear_line else (set_line or "").strip() or None
        config.save(dc_replace(settings, local_line=line))
        typer.echo("Your line was removed." if line is None else "Your line was saved.")
        settings = config.load()
    typer.echo(care.support_text(settings.local_line))
