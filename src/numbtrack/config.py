"""Settings a person would expect to set once, in a small TOML file (`numbtrack where`).

    [support]
    local_line = "Dr Rivera's practice: +1 555 0100"

    [nudge]
    enabled = true

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
    return Config(
        local_line=line if isinstance(line, str) and line.strip() else None,
        nudge=enabled if isinstance(enabled, bool) else True,
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
    paths.ensure_private_dir(path.parent)
    with paths.atomic_write(path, force=True) as fh:
        fh.write("\n".join(lines))
    return path
