"""What Typer alone costs: a bare one-command Typer app that does the insert of floor_insert.py.

It parses the same arguments as the benchmarked `numbtrack log` (words, --feel, --body, --tag,
-q) and then runs bench/floor_insert.py unchanged. Its time minus the insert floor's is
Typer's (and Click's) own cost; `numbtrack log` minus this is what numbtrack adds on top.
"""

import runpy
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def log(
    words: Annotated[list[str] | None, typer.Argument()] = None,
    feel: Annotated[int | None, typer.Option("--feel")] = None,
    body: Annotated[list[str] | None, typer.Option("--body")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    runpy.run_path(str(Path(__file__).with_name("floor_insert.py")))


if __name__ == "__main__":
    app()
