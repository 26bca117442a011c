"""Browse the vocabulary: feeling words, body regions and qualities, practices."""

# No `from __future__ import annotations`: Typer reads these signatures at run time.
from typing import Annotated

import typer

from numbtrack import vocab
from numbtrack.cli.common import (
    JsonOpt,
    print_rich,
)

app = typer.Typer()


@app.command()
def words(
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", help="Only words containing this, or in a family with this name."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Browse the feeling words, by quadrant and family. Numb, flat and nothing are words too."""
    from numbtrack.render import words_view

    v = vocab.load()
    chosen = v.search(search or "")
    if as_json:
        import json
        from dataclasses import asdict

        typer.echo(json.dumps([asdict(w) for w in chosen], ensure_ascii=False, indent=2))
        return
    if not chosen:
        close = v.word_index.suggest(search or "")
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        typer.echo(f'No feeling word contains "{search}".{hint}')
        return
    print_rich(words_view(chosen))


@app.command()
def body(as_json: JsonOpt = False) -> None:
    """Browse body regions and sensation qualities, for --body REGION:QUALITY."""
    v = vocab.load()
    if as_json:
        import json

        data = {
            "regions": [{"name": r, "aliases": list(a)} for r, a in v.regions.items()],
            "qualities": [
                {"name": q.name, "group": q.group, "aliases": list(q.aliases)}
                for q in v.qualities.values()
            ],
        }
        typer.echo(json.dumps(data, indent=2))
        return
    from numbtrack.render import body_view

    print_rich(body_view())


@app.command()
def practices(as_json: JsonOpt = False) -> None:
    """Small steps toward noticing more, each with a suggestion. Use them with log --practice."""
    v = vocab.load()
    if as_json:
        import json

        typer.echo(
            json.dumps(
                [
                    {"name": p.name, "suggestion": p.suggestion, "aliases": list(p.aliases)}
                    for p in v.practices.values()
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    import textwrap

    typer.echo("Small steps, for whenever you like. None of them is required.\n")
    for p in v.practices.values():
        typer.echo(p.name)
        typer.echo(textwrap.indent(textwrap.fill(p.suggestion, 74), "    "))
    typer.echo("\nAfterwards, if you like: numbtrack log --practice NAME")
