"""Sync between devices through a folder that another tool carries (Syncthing, git, a cloud
drive). numbtrack runs no server and speaks no network protocol: each device writes its own
changes as new files in its own folder, and reads everyone else's.

One `sync`:
1. checks the folder (there, writable, nothing from a newer numbtrack, the right key);
2. reads every device's files past where this store last stopped (a snapshot first when one
   covers more), skipping a file that is not whole yet and everything after it;
3. applies them with the merge rule (numbtrack.merge) in one transaction, together with the new
   read positions, so a crash applies all or nothing and a second run changes nothing;
4. writes this device's own changes since its last export (the undo journal says which check-ins
   changed; tombstones carry deletes) as one new file, with how far it has read the others;
5. compacts its own files into a snapshot past a size, once every known device has read them.

Changes applied from other devices are not journaled: they are never written back out as this
device's own, and `undo` does not offer them (undo reverts what the person did here).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from numbtrack import crypto, merge, paths
from numbtrack.config import Config
from numbtrack.errors import InvalidInput, StoreError
from numbtrack.models import CheckIn, utc_stamp
from numbtrack.store import SYNC_LOCK, Store, SyncApplied, SyncDevice
from numbtrack.sync import files
from numbtrack.sync.files import Batch, Entry, Header, Incomplete

TYPE_CHECKING = False
if TYPE_CHECKING:
    from numbtrack.sync.files import Put
    from numbtrack.sync.kinds import FolderInfo, Status
    from numbtrack.sync.packed import Reader

AUTO_COMPACT_FILES = 32
"""Past this many of its own files since the last snapshot, a sync also compacts."""
LOCK_NAME = SYNC_LOCK


@dataclass(frozen=True)
class Settings:
    """What `sync init` decided, kept in config.toml."""

    folder: Path
    device: str
    name: str
    encrypt: str = ""
    """"" (plain files), "key" (an age identity) or "passphrase" (the identity, wrapped)."""
    auto: bool = False

    @property
    def root(self) -> Path:
        return self.folder / files.ROOT

    @property
    def own(self) -> Path:
        return self.root / self.device


@dataclass
class Report:
    """What one sync did."""

    applied: SyncApplied = field(default_factory=SyncApplied)
    files_read: int = 0
    sent: int = 0
    """Check-ins and deletes written out as this device's changes."""
    wrote: Path | None = None
    waiting: list[str] = field(default_factory=list)
    """Files not whole yet (a sync tool is still delivering them), read next time."""
    compacted: int = 0
    """Own files replaced by a snapshot."""


def from_config(cfg: Config) -> Settings | None:
    """The sync settings in config.toml, or None before `sync init`."""
    if not cfg.sync_folder or not cfg.sync_device or not files.DEVICE_RE.fullmatch(cfg.sync_device):
        return None
    encrypt = cfg.sync_encrypt if cfg.sync_encrypt in ("key", "passphrase") else ""
    return Settings(
        Path(cfg.sync_folder), cfg.sync_device, cfg.sync_name or "", encrypt, cfg.sync_auto
    )


def to_config(cfg: Config, settings: Settings, every: int | None = None) -> Config:
    return replace(
        cfg,
        sync_folder=str(settings.folder),
        sync_device=settings.device,
        sync_name=settings.name,
        sync_encrypt=settings.encrypt,
        sync_auto=settings.auto,
        sync_every=cfg.sync_every if every is None else every,
    )


def new_device_id() -> str:
    # What secrets.token_hex(8) returns, without importing secrets (hashlib, OpenSSL) on every
    # sync: a device id is made once, by `sync init`.
    return os.urandom(8).hex()


def default_name() -> str:
    import socket  # only `sync init` names a device

    name = socket.gethostname().split(".")[0].strip()
    return name[:40] or "this device"


# -- checks ---------------------------------------------------------------------------------


def _check_folder(folder: Path, *, creating: bool) -> None:
    if not folder.is_dir():
        if creating:
            raise InvalidInput(
                f"There is no folder {folder}; create it (or let your sync tool create it) first."
            )
        raise StoreError(
            f"The sync folder {folder} is not there (is the drive mounted?); nothing was changed."
        )


def _check_not_shared(folder: Path, data_dir: Path) -> None:
    """The store itself must never travel: it is one SQLite file with a write-ahead log, and
    a sync tool copying it mid-write breaks it. Refuse folders that contain the data folder
    or sit inside it."""
    f, d = folder.resolve(), data_dir.resolve()
    if f == d or d.is_relative_to(f) or f.is_relative_to(d):
        raise InvalidInput(
            f"{folder} holds numbtrack's data folder (or is inside it); the store itself must "
            "not be synced. Choose a folder of its own."
        )


def _ensure_own(settings: Settings) -> None:
    """Create DIR/numbtrack/<device> (0700) and make sure it can be written."""
    root, own = settings.root, settings.own
    for folder in (root, own):
        if folder.is_symlink():
            raise StoreError(f"{folder} is a symlink; numbtrack does not follow it.")
    try:
        paths.ensure_private_dir(own)
        # Made and removed at once: a probe needs no fsync (two disk waits on every sync,
        # most of which have nothing to write), and no sync tool sees it renamed.
        probe = own / f".numbtrack-probe.{os.urandom(4).hex()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        os.close(os.open(probe, flags, 0o600))
        probe.unlink()
    except (OSError, StoreError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it cannot be written"
        raise StoreError(
            f"numbtrack cannot write to the sync folder {settings.folder} ({why}); "
            "nothing was changed."
        ) from None


@contextlib.contextmanager
def _locked(data_dir: Path, wait: bool) -> Iterator[bool]:
    """One sync at a time per store. Yields False when `wait` is off and another runs."""
    import fcntl

    paths.ensure_private_dir(data_dir)
    fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _secret(settings: Settings, data_dir: Path) -> str | None:
    if not settings.encrypt:
        return None
    secret = crypto.load_identity(data_dir)
    if secret is None:
        raise StoreError(
            f"This device's sync key ({crypto.identity_path(data_dir)}) is missing; run "
            "numbtrack sync init again to bring it back."
        )
    return secret


# -- init -------------------------------------------------------------------------------------


def inspect(folder: Path) -> FolderInfo:
    from numbtrack.sync.kinds import FolderInfo

    root = folder / files.ROOT
    devices = files.list_devices(root)
    encrypted = plain = False
    keys = []
    for device in devices:
        for entry in files.list_files(root / device):
            if entry.encrypted:
                encrypted = True
            else:
                plain = True
        key = root / device / files.KEY_NAME
        if key.is_file() and not key.is_symlink():
            keys.append(key)
            encrypted = True
    return FolderInfo(devices, encrypted, plain, keys)


def needs_secret(folder: Path, data_dir: Path) -> str | None:
    """What `init --encrypt` must ask for on this device: "passphrase", "key" or None."""
    info = inspect(folder)
    if info.wrapped_keys:
        return "passphrase"
    if info.encrypted and crypto.load_identity(data_dir) is None:
        return "key"
    return None


def _verify_key(folder: Path, secret: str) -> None:
    """Open one file of every other device with this key, so a wrong key is found now."""
    root = folder / files.ROOT
    for device in files.list_devices(root):
        for entry in files.list_files(root / device):
            with contextlib.suppress(Incomplete):
                files.read(entry, secret)
                break


def init(
    store: Store,
    folder: Path,
    *,
    previous: Settings | None = None,
    name: str | None = None,
    encrypt: bool = False,
    passphrase: str | None = None,
    secret: str | None = None,
) -> Settings:
    """Join (or start) a sync folder. Checks everything first; on any problem nothing is
    written anywhere. Returns the settings for config.toml."""
    folder = folder.expanduser().absolute()
    if any(ord(ch) < 32 for ch in str(folder)):
        raise InvalidInput("A sync folder's path cannot contain control characters.")
    data_dir = store.path.parent
    _check_folder(folder, creating=True)
    _check_not_shared(folder, data_dir)
    info = inspect(folder)
    use_passphrase = passphrase is not None
    if info.encrypted and not encrypt:
        raise InvalidInput(
            f"{folder} is synced encrypted; run numbtrack sync init again with --encrypt."
        )
    if info.plain and encrypt:
        raise InvalidInput(
            f"{folder} already holds unencrypted files from other devices; an encrypted device "
            "cannot join it. Use another folder for encrypted sync."
        )
    if name is not None and (
        not name.strip() or len(name) > 40 or any(ord(ch) < 32 for ch in name)
    ):
        raise InvalidInput("A device name is one line of at most 40 characters.")
    wrap = False
    if encrypt:
        if secret is not None:
            secret = crypto.check_secret(secret)
        elif info.wrapped_keys:
            if passphrase is None:
                raise InvalidInput(
                    f"{folder} is encrypted with a passphrase; add --passphrase to type it."
                )
            data = info.wrapped_keys[0].read_bytes()
            secret = crypto.check_secret(
                crypto.decrypt(data, passphrase=passphrase, what="sync folder").decode("ascii")
            )
            use_passphrase = True
        else:
            secret = crypto.load_identity(data_dir)
            if secret is None:
                if info.encrypted:
                    raise InvalidInput(
                        f"{folder} is encrypted with another device's key; on that device run "
                        "numbtrack sync key to see how to bring it here."
                    )
                secret = crypto.new_secret()
            wrap = use_passphrase
        _verify_key(folder, secret)
    device = previous.device if previous is not None else new_device_id()
    settings = Settings(
        folder=folder,
        device=device,
        name=(name or (previous.name if previous else "") or default_name()).strip(),
        encrypt=("passphrase" if use_passphrase else "key") if encrypt else "",
        auto=previous.auto if previous is not None else False,
    )
    _ensure_own(settings)
    if secret is not None:
        crypto.save_identity(data_dir, secret)
        key = settings.own / files.KEY_NAME
        if wrap and passphrase is not None and not key.exists():
            text = (secret + "\n").encode("ascii")
            paths.write_atomic(key, crypto.encrypt(text, passphrase=passphrase))
    same_place = previous is not None and previous.folder.resolve() == folder.resolve()
    if not same_place or store.sync_state().get("device") != device:
        store.start_sync(device)
    return settings


# -- sync ---------------------------------------------------------------------------------------


def _chain(
    folder: Path,
    device: str,
    cursor: int,
    secret: str | None,
    waiting: list[str],
    packers: list[Reader],
) -> tuple[list[Batch], int]:
    """The files of one device to read, from `cursor` on, read (with the packed reader in
    `packers`, made for the first file read) and checked; and the position they reach."""
    entries = files.list_files(folder)
    pos = cursor
    out: list[Batch] = []
    for entry in sorted((e for e in entries if e.snapshot and e.seq > pos), key=lambda e: -e.seq):
        try:
            out.append(_checked(_read(entry, secret, packers), device, entry))
        except Incomplete:
            waiting.append(str(entry.path))
            continue
        pos = entry.seq
        break
    regular = {e.seq: e for e in entries if not e.snapshot}
    while pos + 1 in regular:
        entry = regular[pos + 1]
        try:
            out.append(_checked(_read(entry, secret, packers), device, entry))
        except Incomplete:
            waiting.append(str(entry.path))
            break
        pos += 1
    return out, pos


def _read(entry: Entry, secret: str | None, packers: list[Reader]) -> Batch:
    if not packers:
        packers.append(files.reader())  # one for every file of a sync: it remembers parts
    return files.read(entry, secret, packers[0])


def _checked(batch: Batch, device: str, entry: Entry) -> Batch:
    h = batch.header
    if h.device != device or h.seq != entry.seq or h.snapshot != entry.snapshot:
        raise InvalidInput(
            f"{entry.path} says it is another file than its name; move it out of the folder."
        )
    return batch


def run(store: Store, settings: Settings, *, wait: bool = True) -> Report | None:
    """One sync (see the module docstring). None when `wait` is off and another sync is
    running for this store."""
    data_dir = store.path.parent
    _check_folder(settings.folder, creating=False)
    with _locked(data_dir, wait) as got:
        if not got:
            return None
        # An import holds this lock while its steps go in; one killed between steps is
        # reverted now, before its rows could be sent out as this device's changes.
        store.recover_interrupted_import()
        secret = _secret(settings, data_dir)
        _ensure_own(settings)
        if store.sync_state().get("device") != settings.device:
            # A store restored from a backup of another device, or from before `sync init`:
            # read everything again and send everything made here (both change nothing twice).
            store.start_sync(settings.device)
        report = _pull(store, settings, secret)
        _push(store, settings, secret, report)
        if _own_since_snapshot(settings) > AUTO_COMPACT_FILES:
            report.compacted = _compact(store, settings, secret)
    return report


def _pull(store: Store, settings: Settings, secret: str | None) -> Report:
    report = Report()
    known = store.sync_devices()
    now = utc_stamp()
    changes: list[tuple[str, list[Put], list[tuple[str, str]]]] = []
    rows: list[SyncDevice] = []
    packers: list[Reader] = []
    for device in files.list_devices(settings.root):
        before = known.get(device, SyncDevice(device))
        batches, pos = _chain(
            settings.root / device, device, before.read_seq, secret, report.waiting, packers
        )
        if not batches:
            continue
        report.files_read += len(batches)
        origin = device
        for b in batches:
            changes.append((origin, b.packed, b.deletes))
        last = batches[-1].header
        changes_seq = max([before.changes_seq] + [b.header.seq for b in batches if b.has_changes])
        rows.append(
            SyncDevice(
                device=device,
                name=last.name,
                read_seq=pos,
                changes_seq=changes_seq,
                acks=json.dumps(last.acks, sort_keys=True),
                written_at=last.written_at,
                read_at=now,
            )
        )
    if rows:
        forgotten = _forgotten(store)
        back = [
            r.device for r in rows if r.device in forgotten and r.read_seq > forgotten[r.device]
        ]
        state: dict[str, str | None] | None = None
        if back:
            # It wrote again after it was forgotten: it is back, and compaction waits for it
            # again (it reads from the snapshot whatever it missed).
            state = {"forgotten": _dump({d: s for d, s in forgotten.items() if d not in back})}
        report.applied = store.apply_sync(changes, rows, state)
    return report


def _own_last_seq(settings: Settings) -> int:
    return max((e.seq for e in files.list_files(settings.own)), default=0)


def _push(store: Store, settings: Settings, secret: str | None, report: Report) -> None:
    state = store.sync_state()
    after = int(state["exported"]) if "exported" in state else None
    local = store.local_changes(after)
    devices = store.sync_devices()
    others = {d: row for d, row in devices.items() if d != settings.device}
    acks = {d: row.read_seq for d, row in others.items()}
    published = json.loads(state.get("published", "{}"))
    unacked = any(row.changes_seq > int(published.get(d, 0)) for d, row in others.items())
    if not (local.puts or local.deletes or unacked):
        if after != local.upto:
            store.set_sync_state({"exported": str(local.upto)})
        return
    seq = max(int(state.get("seq", "0")), _own_last_seq(settings)) + 1
    header = Header(settings.device, settings.name, seq, False, acks, utc_stamp())
    report.wrote = files.write(settings.own, Batch(header, local.puts, local.deletes), secret)
    report.sent = len(local.puts) + len(local.deletes)
    me = devices.get(settings.device, SyncDevice(settings.device))
    store.apply_sync(
        [],
        [
            SyncDevice(
                settings.device,
                settings.name,
                seq,
                seq,
                json.dumps(acks, sort_keys=True),
                header.written_at,
                me.read_at,
            )
        ],
        {"exported": str(local.upto), "seq": str(seq), "published": json.dumps(acks)},
    )


# -- compaction -----------------------------------------------------------------------------


def _own_since_snapshot(settings: Settings) -> int:
    entries = files.list_files(settings.own)
    snap = max((e.seq for e in entries if e.snapshot), default=0)
    return sum(1 for e in entries if not e.snapshot and e.seq > snap)


def compact(store: Store, settings: Settings) -> int:
    """Replace this device's files that every known device has read with one snapshot;
    returns how many files it replaced."""
    data_dir = store.path.parent
    _check_folder(settings.folder, creating=False)
    with _locked(data_dir, True):
        secret = _secret(settings, data_dir)
        _ensure_own(settings)
        return _compact(store, settings, secret)


def _compact(store: Store, settings: Settings, secret: str | None) -> int:
    forgotten = _forgotten(store)
    others = [
        d
        for d in store.sync_devices().values()
        if d.device != settings.device and d.device not in forgotten
    ]
    entries = files.list_files(settings.own)
    last = max((e.seq for e in entries), default=0)
    through = min((int(json.loads(d.acks).get(settings.device, 0)) for d in others), default=last)
    old = [e for e in entries if e.seq <= through]
    snap = max((e.seq for e in old if e.snapshot), default=0)
    if not any(not e.snapshot and e.seq > snap for e in old):
        return 0
    newest: dict[str, tuple[merge.Version, CheckIn | None, str]] = {}
    acks: dict[str, int] = {}
    for entry in old:
        if entry.snapshot and entry.seq < snap:
            continue
        if not entry.snapshot and entry.seq <= snap:
            continue
        batch = files.read(entry, secret)
        acks = batch.header.acks
        for c in batch.puts:
            _keep(newest, c.id, merge.put(c, settings.device), c, "")
        for cid, at in batch.deletes:
            _keep(newest, cid, merge.delete(at, settings.device), None, at)
    puts = [c for _, c, _ in sorted(newest.values(), key=lambda v: v[0].stamp) if c is not None]
    deletes = sorted((cid, at) for cid, (_, c, at) in newest.items() if c is None)
    header = Header(settings.device, settings.name, through, True, acks, utc_stamp())
    files.write(settings.own, Batch(header, puts, deletes), secret)
    gone = 0
    for entry in old:
        with contextlib.suppress(FileNotFoundError):
            entry.path.unlink()
            gone += 1
    paths.fsync_dir(settings.own)
    return gone


def _keep(
    newest: dict[str, tuple[merge.Version, CheckIn | None, str]],
    cid: str,
    version: merge.Version,
    c: CheckIn | None,
    at: str,
) -> None:
    held = newest.get(cid)
    if held is None or merge.wins(version, held[0]):
        newest[cid] = (version, c, at)


# -- forgetting a device ------------------------------------------------------------------------


def _forgotten(store: Store) -> dict[str, int]:
    """Devices `sync forget` was run for, with how far this store had read each then."""
    try:
        found = json.loads(store.sync_state().get("forgotten", "{}"))
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(d): int(seq) for d, seq in found.items() if isinstance(seq, int)}


def _dump(forgotten: dict[str, int]) -> str | None:
    return json.dumps(forgotten, sort_keys=True) if forgotten else None


def find_device(store: Store, settings: Settings, who: str) -> SyncDevice:
    """The other device `who` names: its id (or the start of it, at least 4 characters) or
    its name (any case). One sentence when none or more than one fits."""
    known = {d: row for d, row in store.sync_devices().items() if d != settings.device}
    text = who.strip()
    if not text:
        raise InvalidInput("Name the device to forget: its name or id, as sync status lists it.")
    by_name = [row for row in known.values() if row.name.casefold() == text.casefold()]
    by_id = [row for d, row in known.items() if len(text) >= 4 and d.startswith(text.lower())]
    found = by_name or by_id
    if len(found) == 1:
        return found[0]
    if text.lower() == settings.device or (
        not found and text.casefold() == settings.name.casefold()
    ):
        raise InvalidInput(
            f"{text} is this device; run numbtrack sync forget on another device to forget it."
        )
    if len(found) > 1:
        ids = ", ".join(sorted(row.device for row in found))
        raise InvalidInput(f"More than one device is called {text} ({ids}); give its id.")
    import difflib

    names = sorted({row.name for row in known.values() if row.name} | set(known))
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    hint = f'; did you mean "{close[0]}"?' if close else "; numbtrack sync status lists them."
    raise InvalidInput(f"No device called {text} has synced with this one{hint}")


def forget(store: Store, settings: Settings, who: str) -> tuple[SyncDevice, bool]:
    """Stop waiting for device `who` when compacting (a device that is gone for good).

    Nothing is deleted: its files stay in the folder (they are its own, never this device's to
    remove), what it wrote stays in the store, and if it ever syncs again it is known again and
    catches up from the snapshot. Returns the device and whether it was already forgotten."""
    data_dir = store.path.parent
    with _locked(data_dir, True):
        row = find_device(store, settings, who)
        forgotten = _forgotten(store)
        already = row.device in forgotten
        forgotten[row.device] = row.read_seq
        store.set_sync_state({"forgotten": _dump(forgotten)})
    return row, already


# -- status -------------------------------------------------------------------------------------


def status(store: Store, settings: Settings, last_error: str | None = None) -> Status:
    from numbtrack.sync.kinds import DeviceStatus, Status

    known = store.sync_devices()
    forgotten = _forgotten(store)
    reachable = settings.folder.is_dir()
    on_disk = files.list_devices(settings.root) if reachable else []
    out = []
    for device in sorted(set(known) | set(on_disk)):
        row = known.get(device, SyncDevice(device))
        unread = 0
        if device in on_disk:
            unread = sum(
                1
                for e in files.list_files(settings.root / device)
                if not e.snapshot and e.seq > row.read_seq
            )
        this = device == settings.device
        out.append(
            DeviceStatus(
                device,
                settings.name if this else row.name,
                this,
                row.written_at,
                row.read_at,
                row.read_seq,
                0 if this else unread,
                device in forgotten,
            )
        )
    state = store.sync_state()
    after = int(state["exported"]) if "exported" in state else None
    own = files.list_files(settings.own) if reachable else []
    return Status(
        settings,
        out,
        store.pending_local(after),
        len(own),
        sum(e.size for e in own),
        reachable,
        last_error,
    )
