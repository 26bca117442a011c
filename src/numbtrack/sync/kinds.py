"""What `sync status` and `sync init` are told, apart from the engine that makes it.

Making a dataclass costs about as much as compiling a small module (its methods are written
out as source and compiled, about 4 M instructions for a frozen one), and a sync builds the
classes of every module it imports, so these, which only `sync status` and `sync init` use,
are not built by every sync (about 12 M of the 270 M instructions of a sync with nothing new).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from numbtrack.sync.engine import Settings


@dataclass(frozen=True)
class DeviceStatus:
    """One device as `sync status` shows it."""

    device: str
    name: str
    this: bool
    written_at: str
    """When it last wrote a file this store has read (UTC), "" if never."""
    read_at: str
    read_seq: int
    unread: int
    """Its files in the folder that this store has not read yet."""
    forgotten: bool = False
    """`sync forget` was run for it: compaction no longer waits for it."""


@dataclass(frozen=True)
class Status:
    """What `sync status` shows."""

    settings: Settings
    devices: list[DeviceStatus]
    pending: int
    """Check-ins changed here and not yet written to the folder."""
    own_files: int
    own_bytes: int
    reachable: bool
    last_error: str | None = None


@dataclass(frozen=True)
class FolderInfo:
    """What a sync folder holds before this device joins it."""

    devices: list[str]
    encrypted: bool
    plain: bool
    wrapped_keys: list[Path]
