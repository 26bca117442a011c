"""Sync between devices through a folder: `numbtrack sync` and its init, status, compact, key
and auto commands. The work is done by numbtrack.sync.engine; this module asks, calls, shows."""

# No `from __future__ import annotations`: Typer reads these signatures at run time.
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from numbtrack import config, paths
from numbtrack.cli.common import JsonOpt, open_store
from numbtrack.errors import InvalidInput

if TYPE_CHECKING:
    from numbtrack.sync.engine import Settings

app = typer.Typer()
sync_app = typer.Typer(
    name="sync",
    help="Sync your check-ins between devices through a folder (Syncthing, git, a cloud drive).",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(sync_app, name="sync")

QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing when all went well.")]


def _settings() -> "Settings":
    from numbtrack import quick_sync

    return quick_sync.settings()


def _when(stamp: str) -> str:
    if not stamp:
        return "never"
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M")


@sync_app.callback()
def sync_now(
    ctx: typer.Context,
    quiet: QuietOpt = False,
    background: Annotated[
        bool,
        typer.Option(
            "--background",
            hidden=True,
            help="Run as the automatic sync does: quietly, and not at all if one is running.",
        ),
    ] = False,
) -> None:
    """Exchange changes with your other devices through the sync folder.

    With no command: read what the other devices wrote, apply it (the newer change wins), and
    write this device's own changes. See docs/sync.md for Syncthing, git and cloud folders.

    Example: numbtrack sync
    """
    if ctx.invoked_subcommand is not None:
        return
    # The same functions numbtrack.quick_sync calls when it runs a plain sync without Typer.
    from numbtrack import quick_sync

    if background:
        code = quick_sync.background()
        if code:
            raise typer.Exit(code)
        return
    quick_sync.sync_now(typer.echo, quiet=quiet)


def _ask(question: str, *, confirm: bool = False) -> str:
    """A hidden prompt (a passphrase or a key stays out of the shell history)."""
    return str(typer.prompt(question, hide_input=True, confirmation_prompt=confirm))


@sync_app.command("init")
def init(
    folder: Annotated[
        Path, typer.Argument(help="The folder your sync tool carries between devices.")
    ],
    name: Annotated[
        str | None,
        typer.Option("--name", help="This device's name as others see it (default: hostname)."),
    ] = None,
    encrypt: Annotated[
        bool,
        typer.Option("--encrypt", help="Encrypt every sync file with age (a key or passphrase)."),
    ] = False,
    passphrase: Annotated[
        bool,
        typer.Option(
            "--passphrase",
            help="With --encrypt: protect the key with a passphrase you type on each device.",
        ),
    ] = False,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="With --encrypt: the key file copied from another device (sync key).",
            metavar="FILE",
        ),
    ] = None,
    auto_sync: Annotated[
        bool | None,
        typer.Option(
            "--auto/--no-auto",
            help="Sync in the background after a change, at most every few minutes.",
        ),
    ] = None,
) -> None:
    """Name the sync folder for this device, and give the device an id and a name.

    Run it on every device with that device's copy of the folder. Each device keeps its own
    store; only change files travel through the folder.

    Example: numbtrack sync init ~/Sync --encrypt --passphrase
    """
    from numbtrack.sync import auto, engine

    if (passphrase or key_file) and not encrypt:
        raise InvalidInput("--passphrase and --key-file go with --encrypt.")
    cfg = config.load()
    previous = engine.from_config(cfg)
    data_dir = paths.data_dir()
    secret = phrase = None
    if encrypt:
        folder_path = folder.expanduser()
        needs = engine.needs_secret(folder_path, data_dir) if folder_path.is_dir() else None
        if key_file is not None:
            try:
                secret = key_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(f"Cannot read the key file {key_file} ({exc}).") from None
        elif needs == "passphrase":
            phrase = _ask("Passphrase of this sync folder")
        elif needs == "key":
            secret = _ask("Paste the key that numbtrack sync key shows on your other device")
        elif passphrase:
            phrase = _ask("Choose a passphrase for this sync folder", confirm=True)
    with open_store() as store:
        settings = engine.init(
            store,
            folder,
            previous=previous,
            name=name,
            encrypt=encrypt,
            passphrase=phrase,
            secret=secret,
        )
    if auto_sync is not None:
        from dataclasses import replace

        settings = replace(settings, auto=auto_sync)
    cfg = engine.to_config(cfg, settings)
    config.save(cfg)
    auto.set_auto(data_dir, cfg.sync_every if settings.auto else None)
    how = {"": "", "key": ", encrypted with a key", "passphrase": ", encrypted (passphrase)"}
    typer.echo(
        f"This device is {settings.name} ({settings.device}); it syncs through "
        f"{settings.folder}{how[settings.encrypt]}. Run numbtrack sync to sync now."
    )
    if settings.encrypt == "key":
        typer.echo("Other devices need this device's key: numbtrack sync key shows how.")


@sync_app.command("status")
def status(as_json: JsonOpt = False) -> None:
    """List the devices seen in the sync folder, when each last synced, and what is pending.

    Example: numbtrack sync status
    """
    from numbtrack.sync import auto, engine
    from numbtrack.text import plural

    settings = _settings()
    error_file = paths.data_dir() / auto.ERROR
    try:
        last_error = error_file.read_text(encoding="utf-8").strip() or None
    except OSError:
        last_error = None
    with open_store() as store:
        st = engine.status(store, settings, last_error)
    if as_json:
        import json
        from dataclasses import asdict

        data = asdict(st)
        data["settings"]["folder"] = str(settings.folder)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    how = {"": "not encrypted", "key": "encrypted with a key", "passphrase": "encrypted"}
    typer.echo(f"Sync folder: {settings.folder} ({how[settings.encrypt]})")
    if not st.reachable:
        typer.echo("The folder is not there right now (is the drive mounted?).")
    typer.echo(
        f"This device: {settings.name} ({settings.device}); automatic sync "
        f"{'on' if settings.auto else 'off'}."
    )
    for d in st.devices:
        if d.this:
            continue
        unread = f"{plural(d.unread, 'file')} not read yet" if d.unread else "all read"
        if d.forgotten:
            unread += "; forgotten (compaction does not wait for it)"
        if not d.written_at:
            typer.echo(f"  {d.name or d.device}: nothing read from it yet; {unread}.")
            continue
        typer.echo(
            f"  {d.name or d.device}: last wrote {_when(d.written_at)}, "
            f"read here {_when(d.read_at)}; {unread}."
        )
    if not any(not d.this for d in st.devices):
        typer.echo("  No other device has written to the folder yet.")
    typer.echo(
        f"Waiting to be sent: {plural(st.pending, 'check-in')}. "
        f"This device's files: {st.own_files} ({st.own_bytes / 1024:.0f} KiB)."
    )
    if st.last_error:
        typer.echo(f"The last automatic sync did not finish: {st.last_error}")


@sync_app.command("compact")
def compact() -> None:
    """Replace this device's old sync files with one snapshot, once every device has read them.

    A sync also does this by itself past a few dozen files.

    Example: numbtrack sync compact
    """
    from numbtrack.sync import engine
    from numbtrack.text import plural

    settings = _settings()
    with open_store() as store:
        gone = engine.compact(store, settings)
    if gone:
        typer.echo(f"Replaced {plural(gone, 'file')} with one snapshot.")
    else:
        typer.echo("Nothing to compact yet: every file is still needed by a device.")


@sync_app.command("forget")
def forget(
    device: Annotated[
        str, typer.Argument(help="The device's name or id, as sync status lists them.")
    ],
) -> None:
    """Stop waiting for a device that is gone for good (a lost phone, an old laptop).

    Compaction replaces this device's files with a snapshot only once every device it knows
    has read them, so a device that never comes back keeps them all. Forgetting it deletes
    nothing: its files stay in the folder, what it wrote stays here, and if it ever syncs
    again it is known again and catches up from the snapshot.

    Example: numbtrack sync forget old-laptop
    """
    from numbtrack.sync import engine

    settings = _settings()
    with open_store() as store:
        row, already = engine.forget(store, settings, device)
    label = f"{row.name} ({row.device})" if row.name else row.device
    if already:
        typer.echo(f"{label} was already forgotten; compaction does not wait for it.")
        return
    typer.echo(
        f"Forgot {label}: compaction no longer waits for it. If it syncs again, it is known "
        "again and catches up from the snapshot."
    )


@sync_app.command("key")
def key(
    show: Annotated[
        bool, typer.Option("--show", help="Print the secret key itself, to paste elsewhere.")
    ] = False,
) -> None:
    """Show how to bring this device's encryption key to another device.

    Example: numbtrack sync key
    """
    from numbtrack import crypto

    settings = _settings()
    if not settings.encrypt:
        raise InvalidInput("This device syncs without encryption; there is no key.")
    data_dir = paths.data_dir()
    secret = crypto.load_identity(data_dir)
    if secret is None:
        raise InvalidInput("This device has no sync key; run numbtrack sync init again.")
    path = crypto.identity_path(data_dir)
    if show:
        typer.echo(secret)
        return
    typer.echo(f"The key is in {path} (public key {crypto.public_of(secret)}).")
    if settings.encrypt == "passphrase":
        typer.echo(
            "On another device run: numbtrack sync init DIR --encrypt --passphrase, "
            "and type the same passphrase."
        )
    typer.echo(
        "To bring it without a passphrase, copy that file to the other device by a way you "
        "trust (never through the sync folder), then run there: "
        "numbtrack sync init DIR --encrypt --key-file FILE. "
        "Or run numbtrack sync key --show here and paste it when sync init asks."
    )


@sync_app.command("auto")
def auto_cmd(
    on: Annotated[str, typer.Argument(help="on or off.", metavar="on|off")],
    every: Annotated[
        int | None,
        typer.Option("--every", help="Minutes, at least, between two automatic syncs."),
    ] = None,
) -> None:
    """Turn automatic sync after a change on or off.

    Example: numbtrack sync auto on --every 10
    """
    from dataclasses import replace

    from numbtrack.sync import auto, engine

    choice = on.strip().lower()
    if choice not in ("on", "off"):
        raise InvalidInput(f'"{on}" is not on or off.')
    if every is not None and every < 1:
        raise InvalidInput("--every should be 1 minute or more.")
    settings = replace(_settings(), auto=choice == "on")
    cfg = engine.to_config(config.load(), settings, every)
    config.save(cfg)
    auto.set_auto(paths.data_dir(), cfg.sync_every if settings.auto else None)
    if settings.auto:
        typer.echo(f"Automatic sync is on: after a change, at most every {cfg.sync_every} min.")
    else:
        typer.echo("Automatic sync is off; run numbtrack sync when you like.")
