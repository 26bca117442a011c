"""Your data in and out: where it is, export, import, backup and restore."""

# No `from __future__ import annotations`: Typer reads these signatures at run time.
from pathlib import Path
from typing import Annotated

import typer

from numbtrack import paths, quick_export, quick_import
from numbtrack.cli.common import (
    ForceOpt,
    JsonOpt,
    PracticeFilterOpt,
    Progress,
    QualityFilterOpt,
    RegionFilterOpt,
    SearchOpt,
    SinceOpt,
    StateOpt,
    TagFilterOpt,
    TermsArg,
    UntilOpt,
    WordFilterOpt,
    YesOpt,
    build_filter,
    choice,
    confirm,
    open_store,
)
from numbtrack.errors import InvalidInput, StoreError
from numbtrack.exchange import EXPORT_FORMATS, IMPORT_FORMATS
from numbtrack.store import Store

app = typer.Typer()

EncryptOpt = Annotated[
    bool,
    typer.Option(
        "--encrypt",
        help="Encrypt with age: to this device's sync key, or with --passphrase.",
    ),
]
PassphraseOpt = Annotated[
    bool, typer.Option("--passphrase", help="With --encrypt: ask for a passphrase to use.")
]


def _new_passphrase() -> str:
    return str(typer.prompt("Passphrase", hide_input=True, confirmation_prompt=True))


def _decrypted(file: Path) -> bytes | None:
    """The plaintext of an encrypted export or backup, or None for a plain file."""
    from numbtrack import crypto

    def ask() -> str:
        return str(typer.prompt(f"Passphrase for {file.name}", hide_input=True))

    return crypto.open_file(file, paths.data_dir(), ask)


def _write_new(path: Path, data: bytes) -> None:
    """Atomically, 0600, into a folder that exists."""
    if not path.parent.is_dir():
        raise InvalidInput(f"There is no folder {path.parent}.")
    try:
        paths.write_atomic(path, data)
    except OSError as exc:
        raise InvalidInput(f"Cannot write {path}: {exc.strerror}.") from None


@app.command()
def where(as_json: JsonOpt = False) -> None:
    """Show where numbtrack keeps your data and settings."""
    info = {
        "data folder": str(paths.data_dir()),
        "database": str(paths.db_path()),
        "backups": str(paths.backups_dir()),
        "config": str(paths.config_path()),
    }
    if as_json:
        import json

        typer.echo(json.dumps({k.replace(" ", "_"): v for k, v in info.items()}, indent=2))
        return
    for key, value in info.items():
        typer.echo(f"{key:<12} {value}")


# -- data in and out ---------------------------------------------------------------------


@app.command()
def export(
    terms: TermsArg = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-F", help="The file format.", click_type=choice(EXPORT_FORMATS)),
    ] = "csv",
    since: SinceOpt = None,
    until: UntilOpt = None,
    word: WordFilterOpt = None,
    region: RegionFilterOpt = None,
    quality: QualityFilterOpt = None,
    tag: TagFilterOpt = None,
    practice: PracticeFilterOpt = None,
    state: StateOpt = None,
    search: SearchOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (mode 0600) instead of standard output.",
            metavar="FILE",
        ),
    ] = None,
    long: Annotated[
        bool,
        typer.Option(
            "--long",
            help="CSV with one row per word, sensation, practice and tag, for pivot tables.",
        ),
    ] = False,
    force: ForceOpt = False,
    encrypt: EncryptOpt = False,
    passphrase: PassphraseOpt = False,
) -> None:
    """Export check-ins, oldest first, as CSV, JSON or JSON Lines: your data, in open formats.

    With search terms (the same as for list), only what matches: share only what you choose.

    Example: numbtrack export tag:therapy since:2026-09-01 --format json -o therapy.json
    """
    from numbtrack import exchange

    fmt = fmt.lower()
    if fmt not in exchange.EXPORT_FORMATS:
        raise InvalidInput(f'"{fmt}" is not an export format; use csv, json or jsonl.')
    if long and fmt != "csv":
        raise InvalidInput("--long is for CSV only.")
    if passphrase and not encrypt:
        raise InvalidInput("--passphrase goes with --encrypt.")
    if encrypt and output is None:
        raise InvalidInput("--encrypt writes a file: add --output FILE.")
    if encrypt and output is not None and output.exists() and not force:
        raise InvalidInput(f"{output} already exists; add --force to replace it.")
    with open_store(make=False) as store:
        f = build_filter(store, terms, locals())
        with Progress("Exporting", lambda: store.count(f)) as progress:
            if output is None:
                quick_export.write_export(
                    store, f, fmt, None, force=force, long=long, progress=progress
                )
                return
            if encrypt:
                import io

                from numbtrack import crypto

                buffer = io.StringIO(newline="")
                n = exchange.export(store, f, buffer, fmt, long=long, progress=progress)
                progress.close()
                phrase = _new_passphrase() if passphrase else None
                sealed = crypto.seal(buffer.getvalue().encode("utf-8"), paths.data_dir(), phrase)
                _write_new(output, sealed)
            else:
                n = quick_export.write_export(
                    store, f, fmt, output, force=force, long=long, progress=progress
                )
    typer.echo(quick_export.exported_line(n, output), err=True)


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="A numbtrack export, a Daylio CSV or backup (.daylio), a How We Feel CSV or a "
            "Bearable CSV; - reads standard input.",
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-F",
            help="What the file is: auto (the default, worked out from the contents), "
            "numbtrack, daylio, daylio-backup, howwefeel or bearable.",
            click_type=choice(IMPORT_FORMATS),
        ),
    ] = "auto",
    mood_map: Annotated[
        str | None,
        typer.Option(
            "--mood-map",
            help="Daylio only: turn mood labels into feeling words, e.g. good=content,meh=flat. "
            "Importing the same file again with a fuller map updates the earlier import.",
            metavar="LABEL=WORD,...",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show what would be added and how names were mapped; write nothing."
        ),
    ] = False,
) -> None:
    """Import your history from numbtrack, Daylio, How We Feel or Bearable, all or nothing.

    Importing the same file twice adds nothing. Where an id is already here with other
    content, the newer one (by updated_at) is kept; for another app's file, what an earlier
    import brought in is updated, unless you edited it since.

    Example: numbtrack import daylio_export.csv --mood-map rad=joyful,good=content,meh=flat
    """
    once = quick_import.read_once(file)
    if once is None:
        quick_import.import_file(file, fmt, mood_map, dry_run, _decrypted(file), typer.echo)
        return
    from numbtrack import crypto

    named, data = once

    def ask() -> str:
        return str(typer.prompt(f"Passphrase for {named.name}", hide_input=True))

    plain = crypto.open_data(data, named.name, paths.data_dir(), ask)
    quick_import.import_file(
        named, fmt, mood_map, dry_run, data if plain is None else plain, typer.echo
    )


@app.command()
def backup(
    dest: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write the copy (default: backups/ in the data folder).",
            show_default=False,
        ),
    ] = None,
    encrypt: EncryptOpt = False,
    passphrase: PassphraseOpt = False,
) -> None:
    """A consistent copy of your store, safe to take while numbtrack is writing.

    Copies in backups/ get a timestamped name; the newest 10 are kept. With --encrypt the
    copy is age-encrypted (FILE.age), to keep somewhere that is not yours alone.
    """
    if passphrase and not encrypt:
        raise InvalidInput("--passphrase goes with --encrypt.")
    if not encrypt:
        with open_store(make=False) as store:
            target = store.backup(dest)
            if dest is None:
                store.prune_backups(10)
        typer.echo(f"Backed up to {target}.")
        return
    from numbtrack import crypto

    if dest is not None and dest.exists():
        raise InvalidInput(f"{dest} already exists; choose another name.")
    phrase = _new_passphrase() if passphrase else None
    if phrase is None:
        crypto.seal(b"", paths.data_dir(), None)  # no key: say so before copying anything
    with open_store(make=False) as store:
        plain = store.backup(reason="backup")
    try:
        sealed = crypto.seal(plain.read_bytes(), paths.data_dir(), phrase)
    finally:
        plain.unlink()
    target = dest if dest is not None else plain.with_name(plain.name + ".age")
    _write_new(target, sealed)
    typer.echo(f"Backed up, encrypted, to {target}.")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by numbtrack backup.")],
    yes: YesOpt = False,
) -> None:
    """Replace your store with a backup, after showing what it holds and asking.

    Your current store is backed up first, so a restore can be undone. An encrypted backup
    (backup --encrypt) is opened with this device's key or asks for its passphrase.
    """
    plain = _decrypted(file)
    if plain is not None:
        opened = paths.backups_dir() / f".{file.name}.opened.db"
        paths.ensure_private_dir(opened.parent)
        paths.write_atomic(opened, plain)
        try:
            _restore(file, opened, yes)
        finally:
            for leftover in ("", "-wal", "-shm"):
                opened.with_name(opened.name + leftover).unlink(missing_ok=True)
        return
    with Store.readable_copy(file) as readable:
        _restore(file, readable, yes, shown=file)


def _restore(name: Path, file: Path, yes: bool, *, shown: Path | None = None) -> None:
    n, first, last = Store.describe_file(file, shown)
    span = f", from {first} to {last}" if first else ""
    from numbtrack.text import plural

    typer.echo(f"{name} holds {plural(n, 'check-in')}{span}.")
    first_store = Store.nothing_at(paths.db_path())  # nothing here to replace or keep
    with open_store() as store:
        if not first_store:
            try:
                here = plural(store.count(), "check-in")
            except StoreError:  # a damaged store, which is what a restore rescues
                here = "damaged store"
            confirm(f"Replace the {here} here with these?", yes)
        # A store made by this open holds nothing to keep, unless a check-in came meanwhile.
        safety = store.restore_from(file, keep=not first_store or store.count() > 0)
    Store().close()  # applies any migrations the older backup is missing
    if safety is None:
        typer.echo(f"Restored into {paths.db_path()}.")
    else:
        typer.echo(f"Restored. What was here before is kept in {safety}.")
