"""The sync folder's files: their names, their contents, and how they are written and read.

    DIR/numbtrack/<device-id>/000000000001.jsonl          changes, written once, never altered
    DIR/numbtrack/<device-id>/snapshot-000000000040.jsonl one file standing for files 1..40
    DIR/numbtrack/<device-id>/key.age                     the key, wrapped by a passphrase
    (with encryption every .jsonl is a .jsonl.age)

A file is JSON Lines: a header (format, version, device, sequence, what this device has read of
every other device), then one record per change, then an end record with the count of records
and the SHA-256 of every byte before it. A file a sync tool has delivered only in part fails
that check and is read later, when it is whole. Only the device named in a folder writes in it,
and each file is written to an exclusive temporary name, fsynced and renamed into place, so two
devices never write the same file and no sync tool ever sees one half written by numbtrack.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from numbtrack import crypto, paths
from numbtrack.errors import InvalidInput, StoreError
from numbtrack.models import CheckIn

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: a sync never imports typing
    from typing import Any

    from numbtrack.sync.packed import Reader

    Put = CheckIn | tuple[Any, ...]
    """A put as a packed reader gives it: packed (`store.pack`, validated) or a CheckIn."""

# hashlib and numbtrack.exchange (the records) are imported by `encode` and `decode` only: a
# sync with nothing new reads and writes no file, and loading them was a tenth of its time.

FORMAT = "numbtrack-sync"
VERSION = 2
"""The highest version this numbtrack reads; files with a higher one come from a newer
numbtrack and are refused, not guessed at. Version 2 adds the typed names of a check-in
("typed", see models.Typed); a file that carries none is written as version 1, byte for byte
what an older numbtrack writes and reads."""
ROOT = "numbtrack"
"""The folder numbtrack keeps inside the sync folder; anything beside it is left alone."""
DEVICE_RE = re.compile(r"[0-9a-f]{16}")
FILE_RE = re.compile(r"(snapshot-)?(\d{12})\.jsonl(\.age)?")
KEY_NAME = "key.age"
MAX_BYTES = 256 * 1024 * 1024
"""A file larger than this is not one numbtrack wrote; it is refused rather than read."""


class Incomplete(Exception):
    """The file is not whole (yet): read it again after the sync tool has delivered it."""


@dataclass(frozen=True)
class Header:
    """A sync file's first record: who wrote it, which of its files it is, what it had read."""

    device: str
    name: str
    seq: int
    snapshot: bool = False
    acks: dict[str, int] = field(default_factory=dict)
    written_at: str = ""


@dataclass
class Batch:
    """One sync file's contents."""

    header: Header
    puts: list[CheckIn] = field(default_factory=list)
    deletes: list[tuple[str, str]] = field(default_factory=list)
    packed: list[Put] = field(default_factory=list)
    """Read with a packed reader (`read`): the puts in the order written, those of the
    plain kind packed and validated, the others as `puts` holds them (then empty)."""

    @property
    def has_changes(self) -> bool:
        return self.header.snapshot or bool(self.puts or self.deletes or self.packed)


@dataclass(frozen=True)
class Entry:
    """A file in a device's folder, known by its name."""

    path: Path
    seq: int
    snapshot: bool
    encrypted: bool
    size: int


def file_name(seq: int, *, snapshot: bool, encrypted: bool) -> str:
    return f"{'snapshot-' if snapshot else ''}{seq:012d}.jsonl{'.age' if encrypted else ''}"


def list_devices(root: Path) -> list[str]:
    """Device folders under DIR/numbtrack (real folders with a device-id name only)."""
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(
            f"numbtrack cannot read the sync folder {root} ({exc.strerror})."
        ) from None
    out = []
    for name in names:
        if DEVICE_RE.fullmatch(name) and stat.S_ISDIR(os.lstat(root / name).st_mode):
            out.append(name)
    return sorted(out)


def list_files(folder: Path) -> list[Entry]:
    """The sync files in one device's folder, by sequence; temporary files, conflict copies,
    symlinks and anything else a sync tool or a person left there are ignored."""
    out: list[Entry] = []
    try:
        scan = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(
            f"numbtrack cannot read the sync folder {folder} ({exc.strerror})."
        ) from None
    for item in scan:
        m = FILE_RE.fullmatch(item.name)
        if not m or not item.is_file(follow_symlinks=False):
            continue
        size = item.stat(follow_symlinks=False).st_size
        snapshot, encrypted = bool(m.group(1)), bool(m.group(3))
        out.append(Entry(Path(item.path), int(m.group(2)), snapshot, encrypted, size))
    out.sort(key=lambda e: (e.seq, e.snapshot))
    return out


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    """The export form of a check-in without what can be left out (the day, empty values)."""
    out: dict[str, Any] = {}
    for key, value in d.items():
        if key == "day" or value is None or value == []:
            continue
        if key == "feelings":
            value = [
                {k: v for k, v in f.items() if v is not None and not (k == "custom" and not v)}
                for f in value
            ]
        elif key == "sensations":
            value = [{k: v for k, v in s.items() if v is not None} for s in value]
        out[key] = value
    return out


def _line(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def encode(batch: Batch) -> bytes:
    import hashlib

    from numbtrack.exchange.records import to_dict

    h = batch.header
    head = {
        "format": FORMAT,
        "version": 2 if any(c.typed for c in batch.puts) else 1,
        "device": h.device,
        "name": h.name,
        "seq": h.seq,
        "kind": "snapshot" if h.snapshot else "changes",
        "acks": dict(sorted(h.acks.items())),
        "written_at": h.written_at,
    }
    parts = [_line(head)]
    parts += [_line({"put": _compact(to_dict(c))}) for c in batch.puts]
    parts += [_line({"del": cid, "at": at}) for cid, at in batch.deletes]
    body = b"".join(parts)
    count = len(batch.puts) + len(batch.deletes)
    return body + _line({"end": {"count": count, "sha256": hashlib.sha256(body).hexdigest()}})


def _newer(where: str) -> StoreError:
    return StoreError(
        f"{where} was written by a newer numbtrack; update numbtrack on this device to sync. "
        "Nothing was changed."
    )


def reader() -> Reader:
    """A packed reader for `read`, for every file of one sync (it remembers the parts met)."""
    from numbtrack.sync.packed import Reader

    return Reader()


def decode(data: bytes, where: str, packer: Reader | None = None) -> Batch:
    """Read a whole sync file; Incomplete when it is not whole yet, StoreError when it comes
    from a newer numbtrack, InvalidInput when it is not a numbtrack sync file at all.

    With `packer` (`reader()`) the puts are in `Batch.packed`, those of the plain kind
    packed and validated (numbtrack.sync.packed), the others read as without it."""
    import hashlib

    from numbtrack.exchange.records import from_dict

    first, _, _ = data.partition(b"\n")
    try:
        head = json.loads(first)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Incomplete(where) from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise InvalidInput(f"{where} is not a numbtrack sync file; move it out of the folder.")
    version = head.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise _newer(where)
    if not data.endswith(b"\n"):
        raise Incomplete(where)
    body, _, last = data[:-1].rpartition(b"\n")
    body += b"\n"
    try:
        end = json.loads(last)["end"]
        count, digest = int(end["count"]), str(end["sha256"])
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError):
        raise Incomplete(where) from None
    if hashlib.sha256(body).hexdigest() != digest:
        raise Incomplete(where)
    lines = body.split(b"\n")[1:-1]
    if len(lines) != count:
        raise Incomplete(where)
    try:
        acks = {str(k): int(v) for k, v in dict(head.get("acks") or {}).items()}
        header = Header(
            device=str(head["device"]),
            name=str(head.get("name") or ""),
            seq=int(head["seq"]),
            snapshot=head.get("kind") == "snapshot",
            acks=acks,
            written_at=str(head.get("written_at") or ""),
        )
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(f"{where} has a damaged header; move it out of the folder.") from None
    batch = Batch(header)
    puts: list[Any] = batch.puts
    if packer is not None:
        puts = batch.packed
        fast, slow = packer.put, packer.Slow
    for n, raw in enumerate(lines, 2):
        if packer is not None and raw.startswith(b'{"put":{"id":"'):
            try:
                puts.append(fast(raw.decode("utf-8")))
                continue
            except (slow, UnicodeDecodeError):
                pass  # the usual way
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise InvalidInput(f"{where}, line {n}: not JSON.") from None
        try:
            if not isinstance(record, dict):
                raise InvalidInput("a record must be a JSON object.")
            if "put" in record:
                puts.append(from_dict(record["put"]))
            elif isinstance(record.get("del"), str) and isinstance(record.get("at"), str):
                batch.deletes.append((record["del"], record["at"]))
            else:
                raise InvalidInput("it is neither a change nor a delete.")
        except InvalidInput as exc:
            raise InvalidInput(f"{where}, line {n}: {exc.message}") from None
    return batch


def read(entry: Entry, secret: str | None, packer: Reader | None = None) -> Batch:
    """Read and decrypt one file (see `decode`, and its `packer`); a file that is encrypted
    when this device has no key, or encrypted with another key, is refused with one
    sentence."""
    where = str(entry.path)
    if entry.size > MAX_BYTES:
        raise InvalidInput(f"{where} is larger than any file numbtrack writes; it was not read.")
    try:
        fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise Incomplete(where) from None
    except OSError as exc:
        raise StoreError(f"numbtrack cannot read {where} ({exc.strerror}).") from None
    if crypto.is_encrypted(data):
        if secret is None:
            raise InvalidInput(
                f"{where} is encrypted, and this device syncs without a key; run "
                "numbtrack sync init again with --encrypt. Nothing was changed."
            )
        try:
            data = crypto.decrypt(data, secret=secret, what="sync file")
        except crypto.Damaged:
            raise Incomplete(where) from None
        except crypto.WrongKey:
            raise InvalidInput(
                f"{where} was encrypted with a different key than this device's; bring the "
                "key with numbtrack sync key. Nothing was changed."
            ) from None
    elif secret is not None and data:
        raise InvalidInput(
            f"{where} is not encrypted, but this folder is synced encrypted; a device is "
            "syncing without --encrypt. Nothing was changed."
        )
    return decode(data, where, packer)


def write(folder: Path, batch: Batch, secret: str | None) -> Path:
    """Write a new file atomically in this device's own folder; never replaces one."""
    h = batch.header
    path = folder / file_name(h.seq, snapshot=h.snapshot, encrypted=secret is not None)
    if os.path.lexists(path):
        raise StoreError(f"{path} already exists; another device may be using this device's id.")
    data = encode(batch)
    if secret is not None:
        data = crypto.encrypt(data, secret=secret)
    try:
        return paths.write_atomic(path, data)
    except OSError as exc:
        raise StoreError(
            f"numbtrack cannot write to the sync folder {folder} ({exc.strerror}); "
            "nothing was changed here."
        ) from None
