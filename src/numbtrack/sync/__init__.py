"""Sync between devices through a folder: see `numbtrack.sync.engine` and docs/sync.md."""

from numbtrack.sync.engine import (
    DeviceStatus,
    FolderInfo,
    Report,
    Settings,
    Status,
    compact,
    init,
    inspect,
    needs_secret,
    run,
    status,
)

__all__ = [
    "DeviceStatus",
    "FolderInfo",
    "Report",
    "Settings",
    "Status",
    "compact",
    "init",
    "inspect",
    "needs_secret",
    "run",
    "status",
]
