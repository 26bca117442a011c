"""Browse the vocabulary: feeling words, body regions and qualities, practices."""

# No `from __future__ import annotations`: Typer reads these signatures at run time.
from typing import Annotated

import typer

from numbtrack import vocab
from numbtrack.cli.common import (
    JsonOpt,
    print_rich,
)
from numbtrack.errors import NumbtrackError


def _own_counts() -> dict[str, list[tuple[str, int]]]:
    """Own words, qualities and practices with how many check-ins used each; none when the
    store cannot be opened (browsing the vocabulary never needs it)."""
    from numbtrack.cli.common import open_store

    try:
        with open_store(make=False) as store:
            return store.own_counts()
    except NumbtrackError:
        return {"words": [], "qualities": [], "practices": []}


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
    needle = vocab.spell(search or "")
    own = [(w, n) for w, n in _own_counts()["words"] if needle in w]
    if as_json:
        import json
        from dataclasses import asdict

        data = [asdict(w) for w in chosen]
        data += [{"word": w, "own": True, "checkins": n} for w, n in own]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not chosen and not own:
        close = v.word_index.suggest(search or "")
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        typer.echo(f'No feeling word contains "{search}".{hint}')
        return
    print_rich(words_view(chosen, own))


@app.command()
def body(as_json: JsonOpt = False) -> None:
    """Browse body regions and sensation qualities, for --body REGION:QUALITY."""
    v = vocab.load()
    own = _own_counts()["qualities"]
    if as_json:
        import json

        data = {
            "regions": [{"name": r, "aliases": list(a)} for r, a in v.regions.items()],
            "qualities": [
                {"name": q.name, "group": q.group, "aliases": list(q.aliases)}
                for q in v.qualities.values()
            ]
            + [{"name": q, "group": vocab.OWN_GROUP, "aliases": [], "checkins": n} for q, n in own],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from numbtrack.render import body_view

    print_rich(body_view(own))


@app.command()
def practices(as_json: JsonOpt = False) -> None:
    """Small steps toward noticing more, each with a suggestion. Use them with log --practice."""
    v = vocab.load()
    own = _own_counts()["practices"]
    if as_json:
        import json

        typer.echo(
            json.dumps(
                [
                    {"name": p.name, "suggestion": p.suggestion, "aliases": list(p.aliases)}
                    for p in v.practices.values()
                ]
                + [{"name": p, "own": True, "checkins": n} for p, n in own],
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
        if p.aliases:  # said aloud, so that `--practice walk` becoming movement is no surprise
            typer.echo(f"    Also counted as {p.name}: {', '.join(p.aliases)}.")
    if own:
        from numbtrack.text import plural

        typer.echo("\nYour own practices")
        for name, n in own:
            typer.echo(f"    {name} ({plural(n, 'check-in') if n else 'not used now'})")
    typer.echo("\nAfterwards, if you like: numbtrack log --practice NAME")
    typer.echo("A practice of your own is welcome too: numbtrack log --new-practice NAME")
