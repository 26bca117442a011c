"""The command line: parse, call the core, show. No SQL and no rules live here.

The commands live in one module per theme (entries, views, data, vocabulary, care, ...).
`COMMANDS` names the module of each command, and `NumbtrackGroup` imports a module only when
one of its commands runs (Click's lazy-loading group pattern): `numbtrack log` loads
`cli.entries` and builds that one command, never the other modules, Rich or Textual. Help and
shell completion list every command and so load them all; that is rare and not timed.

To add a command: write it with `@app.command()` in its theme's module (each module has its
own `app = typer.Typer()`, a group of commands with `app.add_typer`), then name it in
`COMMANDS`. tests/test_docs.py checks that it has help text and a section in docs/cli.md.

NumbtrackGroup is also the one place where errors become one sentence on stderr and an exit
code (see `invoke` and `main`).
"""

# No `from __future__ import annotations` here: Typer reads these signatures at run time, and
# real annotation objects spare it an eval() per parameter on every run.
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from numbtrack import __version__, care, paths
from numbtrack.errors import NumbtrackError

COMMANDS: dict[str, str] = {
    "log": "entries",
    "list": "entries",
    "today": "entries",
    "show": "entries",
    "edit": "entries",
    "delete": "entries",
    "undo": "entries",
    "words": "vocabulary",
    "body": "vocabulary",
    "where": "data",
    "week": "views",
    "report": "views",
    "dash": "views",
    "export": "data",
    "import": "data",
    "backup": "data",
    "restore": "data",
    "sync": "sync",
    "ground": "care",
    "practices": "vocabulary",
    "suggest": "care",
    "shell-init": "care",
    "nudge": "care",
    "demo": "care",
    "support": "care",
}
"""Every command, in the order `numbtrack --help` lists them, and the module it lives in."""

CHANGES = frozenset({"log", "edit", "delete", "undo", "import", "restore", "ground", "dash"})
"""Commands that can change check-ins: after one, an automatic sync may start (sync.auto)."""


def flow(help_text: str | None) -> str | None:
    """Help text as flowing sentences: the lines of a paragraph joined, so that Rich wraps
    them at the terminal's width instead of breaking where the docstring did. A command
    line (starting with "numbtrack " or "$ ") stays a paragraph of its own."""
    if not help_text:
        return help_text
    import inspect

    out: list[str] = []
    for para in inspect.cleandoc(help_text).split("\n\n"):
        current: list[str] = []
        for line in para.splitlines():
            line = line.strip()
            if line.startswith(("numbtrack ", "$ ")):
                if current:
                    out.append(" ".join(current))
                    current = []
                out.append(line)
            elif line:
                current.append(line)
        if current:
            out.append(" ".join(current))
    return "\n\n".join(out)


def _info_name(info: Any) -> str:
    if getattr(info, "name", None):
        return str(info.name)
    callback = info.callback if hasattr(info, "callback") else None
    if callback is None and getattr(info, "typer_instance", None) is not None:
        return str(info.typer_instance.info.name)
    return str(callback.__name__.replace("_", "-")) if callback else ""


class NumbtrackGroup(TyperGroup):
    """The root command group: loads commands lazily and turns errors into one sentence.

    numbtrack's own errors carry their exit code (2 for what was typed, 1 for the data or the
    machine). Typer's usage errors (an unknown option, "abc" for a number) get the same
    treatment instead of a boxed panel: one line, exit code 2.
    """

    _loaded: dict[str, Any]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        loaded = self.__dict__.setdefault("_loaded", {})
        if cmd_name in loaded:
            return loaded[cmd_name]
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return super().get_command(ctx, cmd_name)
        module = importlib.import_module(f"{__name__}.{module_name}")
        sub: typer.Typer = module.app
        short, markup = sub.pretty_exceptions_short, sub.rich_markup_mode
        command: Any = None
        for info in sub.registered_commands:
            if _info_name(info) == cmd_name:
                command = typer.main.get_command_from_info(
                    info, pretty_exceptions_short=short, rich_markup_mode=markup
                )
        for group in sub.registered_groups:
            if _info_name(group) == cmd_name:
                command = typer.main.get_group_from_info(
                    group,
                    pretty_exceptions_short=short,
                    rich_markup_mode=markup,
                    suggest_commands=sub.suggest_commands,
                )
        if command is None:  # named in COMMANDS but missing from its module
            raise LookupError(f"numbtrack.cli.{module_name} has no command {cmd_name!r}")
        command.help = flow(command.help)
        plain = command.format_help
        command.format_help = lambda ctx, formatter: _trimmed_help(plain, ctx, formatter)
        loaded[cmd_name] = command
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as exc:
            # Typer suggests from the commands already built; a lazy group has built none.
            message = getattr(exc, "message", "")
            if args and message.startswith("No such command") and "Did you mean" not in message:
                from difflib import get_close_matches

                close = get_close_matches(args[0], list(COMMANDS))
                if close:
                    exc.message = (
                        message.rstrip(".")
                        + ". Did you mean "
                        + ", ".join(repr(c) for c in close)
                        + "?"
                    )
            raise

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _trimmed_help(super().format_help, ctx, formatter)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
        except NumbtrackError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:
            _reader_gone()
        except Exception as exc:
            _unexpected(exc, ctx.invoked_subcommand)
        if ctx.invoked_subcommand in CHANGES:
            from numbtrack.sync import auto

            auto.after_change(paths.data_dir(), pin_home=paths.home_overridden())
        return result

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer.TyperException as exc:
            _suggest_synonym(exc)
            message = _cut_values(exc.format_message()).rstrip(".")
            command = getattr(getattr(exc, "ctx", None), "command_path", "numbtrack")
            end = "" if message.endswith("?") else "."
            typer.echo(f"{message} (see: {command} --help){end}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("Stopped; nothing was written.", err=True)
            sys.exit(1)
        except (typer.Exit, SystemExit):
            raise
        except BrokenPipeError:
            _reader_gone()
        except Exception as exc:  # outside a command, e.g. while reading the arguments
            _unexpected(exc, None)
        sys.exit(code if isinstance(code, int) else 0)


def _reader_gone() -> None:
    """The reader of standard output went away (`numbtrack list --all | head`): stop
    quietly, as git does, instead of reporting a bug. What is still buffered goes nowhere."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(141)  # 128 + SIGPIPE, what a shell reports for a program stopped by the pipe


def _cut_values(message: str) -> str:
    """Click quotes the value it refused; a pasted 5,000-digit number is cut to 40
    characters (as numbtrack's own refusals do, errors.shown)."""
    import re

    return re.sub(r"'([^']{39})[^']+'", "'\\1…'", message)


def _trimmed_help(format_help: Any, ctx: Any, formatter: Any) -> None:
    """Typer's Rich help, without the blank line it starts with (Rich pads the usage line).
    Printed through a capture that reports the real terminal, so colours stay."""
    import io
    import re
    from contextlib import redirect_stdout

    real = sys.stdout

    class Capture(io.StringIO):
        def isatty(self) -> bool:
            return real.isatty()

    buffer = Capture()
    with redirect_stdout(buffer):
        format_help(ctx, formatter)
    text = buffer.getvalue()
    first, newline, rest = text.partition("\n")
    blank = newline and not re.sub(r"\x1b\[[0-9;]*m", "", first).strip()
    try:
        real.write(rest if blank else text)
        real.flush()
    except BrokenPipeError:  # `numbtrack --help | head -1`: Click would end it with exit 1
        _reader_gone()


def _unexpected(exc: Exception, command: str | None) -> None:
    """The top-level guard: a known state of the machine (full disk, damaged store) is one
    sentence; anything else is a bug, told in one sentence with the path of a crash log.
    Under the test suite (NUMBTRACK_RAISE_UNEXPECTED) a bug is raised as it is."""
    from numbtrack import crash

    told = crash.known(exc)
    if told is not None:
        typer.echo(told.message, err=True)
        raise typer.Exit(told.exit_code) from None
    if crash.should_raise():
        raise exc
    typer.echo(crash.sentence(exc, command), err=True)
    raise typer.Exit(1) from None


SYNONYMS = {
    "--time": "--at",
    "--when": "--at",
    "--date": "--at",
    "--on": "--at",
    "--tags": "--tag",
    "--practices": "--practice",
    "--notes": "--note",
    "--feeling": "--feel",
    "--words": "--word",
    "--new-quality": "--new-body",
}
"""Option names people reach for, and the one numbtrack has for it."""


ROOT_ONLY = ("--home", "--no-pager")
"""Options of numbtrack itself, which go before the command (`numbtrack --home DIR dash`)."""


def _suggest_synonym(exc: Any) -> None:
    """Suggest --at for --time or --when (difflib alone suggests --note and --state), and
    say where --home goes when it was given after the command (difflib: --help, --note)."""
    name = getattr(exc, "option_name", None)
    ctx = getattr(exc, "ctx", None)
    if name in ROOT_ONLY and ctx is not None and ctx.parent is not None:
        value = " DIR" if name == "--home" else ""
        command = ctx.command_path.removeprefix(ctx.find_root().info_name or "").strip()
        exc.possibilities = []
        exc.message = (
            f"{name} belongs to numbtrack itself, so it goes before the command: "
            f"numbtrack {name}{value} {command}"
        )
        return
    target = SYNONYMS.get(name or "")
    if target is None or ctx is None:
        return
    known = {opt for param in ctx.command.params for opt in getattr(param, "opts", [])}
    if target in known:
        exc.possibilities = []
        exc.message = f"No such option: {name}. Did you mean {target}?"


app = typer.Typer(
    cls=NumbtrackGroup,
    name="numbtrack",
    help="Notice small things again: body sensations, feeling words, how much you can feel.",
    epilog=care.HELP_EPILOG,
    invoke_without_command=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"numbtrack {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            help="Use another data folder, such as a demo store (also NUMBTRACK_HOME). An "
            "empty value means the usual folder.",
            metavar="DIR",
        ),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="Never page long output (PAGER is used otherwise)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    # `--home ""` means what an empty NUMBTRACK_HOME means: the usual folder.
    paths.set_home(Path(home) if home and home.strip() else None)
    if no_pager:
        from numbtrack import quick_view

        quick_view.pager_off = True
    if ctx.invoked_subcommand is None:  # plain `numbtrack`: the help, and no error
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def main() -> None:
    """Entry point of the `numbtrack` script."""
    app(prog_name="numbtrack")
