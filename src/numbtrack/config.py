"""Settings a person would expect to set once, in a small TOML file (`numbtrack where`).

    [support]
    local_line = "Dr Rivera's practice: +1 555 0100"

    [nudge]
    enabled = true

    [sync]                      # written by `numbtrack sync init`
    folder = "/home/me/Sync"
    device = "3f9a0c1d2b4e5f60"
    name = "laptop"
    encrypt = "key"             # "", "key" or "passphrase"
    auto = false                # sync in the background after a change
    every = 5                   # minutes, at least, between automatic syncs

Unknown keys are ignored so that an older numbtrack can read a newer file. A file that is not
valid TOML is reported in one sentence, never silently replaced.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from numbtrack import paths
from numbtrack.errors import InvalidInput, StoreError


@dataclass(frozen=True)
class Config:
    local_line: str | None = None
    nudge: bool = True
    sync_folder: str | None = None
    sync_device: str | None = None
    sync_name: str | None = None
    sync_encrypt: str = ""
    sync_auto: bool = False
    sync_every: int = 5
    """Minutes, at least, between two automatic syncs."""


def load(path: Path | None = None) -> Config:
    path = path or paths.config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        msg = f"The settings file {path} cannot be read ({exc}); fix or remove it."
        raise StoreError(msg) from None
    support = data.get("support", {})
    nudge = data.get("nudge", {})
    line = support.get("local_line") if isinstance(support, dict) else None
    enabled = nudge.get("enabled", True) if isinstance(nudge, dict) else True
    sync = data.get("sync", {})
    sync = sync if isinstance(sync, dict) else {}

    def text(key: str) -> str | None:
        value = sync.get(key)
        return value if isinstance(value, str) and value.strip() else None

    every = sync.get("every", 5)
    auto = sync.get("auto", False)
    return Config(
        local_line=line if isinstance(line, str) and line.strip() else None,
        nudge=enabled if isinstance(enabled, bool) else True,
        sync_folder=text("folder"),
        sync_device=text("device"),
        sync_name=text("name"),
        sync_encrypt=text("encrypt") or "",
        sync_auto=auto if isinstance(auto, bool) else False,
        sync_every=every if isinstance(every, int) and not isinstance(every, bool) else 5,
    )


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def save(config: Config, path: Path | None = None) -> Path:
    """Write the settings, mode 0600, replacing the file atomically."""
    path = path or paths.config_path()
    if config.local_line is not None and (
        "\n" in config.local_line or len(config.local_line) > 200
    ):
        raise InvalidInput("A support line is one line of at most 200 characters.")
    lines = ["# numbtrack settings (numbtrack where shows this file)", ""]
    if config.local_line:
        lines += ["[support]", f"local_line = {_quote(config.local_line)}", ""]
    lines += ["[nudge]", f"enabled = {'true' if config.nudge else 'false'}", ""]
    if config.sync_folder and config.sync_device:
        lines += [
            "[sync]",
            f"folder = {_quote(config.sync_folder)}",
            f"device = {_quote(config.sync_device)}",
            f"name = {_quote(config.sync_name or '')}",
            f"encrypt = {_quote(config.sync_encrypt)}",
            f"auto = {'true' if config.sync_auto else 'false'}",
            f"every = {int(config.sync_every)}",
            "",
        ]
    paths.ensure_private_dir(path.parent)
    tmp = path.with_suffix(".tmp")
    with paths.private_umask():
        tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)
    return path
