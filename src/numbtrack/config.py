"""Settings a person would expect to set once, in a small TOML file (`numbtrack where`).

    [support]
    local_line = "Dr Rivera's practice: +1 555 0100"

    [nudge]
    enabled = true

    [sync]                      # written by `numbtrack sync init` and `sync auto`
    folder = "/home/me/Sync"
    device = "3f9a0c1d2b4e5f60"
    name = "laptop"
    encrypt = "key"             # "", "key" or "passphrase"
    auto = false                # sync in the background after a change
    every = 5                   # minutes, at least, between automatic syncs

Written with tomli-w and read with tomllib (a file of the plain kind tomli-w writes is read
by `_plain`, which gives what tomllib would), so any string round-trips (quotes, backslashes,
escape characters, any script). Unknown keys are ignored when read and kept when written, so
that an older numbtrack can read and update a newer file. A file that is not valid TOML is
reported in one sentence naming the file and the line, never silently replaced; only the
commands that need the settings (support, nudge) stop on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from numbtrack import paths
from numbtrack.errors import InvalidInput, StoreError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: a sync reads this file and never imports typing
    from typing import Any

MAX_LINE = 200
"""The longest support line kept (one line, in characters)."""


@dataclass(frozen=True)
class Config:
    """The settings, as `load` reads them (a default for each one the file does not set)."""

    local_line: str | None = None
    nudge: bool = True
    sync_folder: str | None = None
    sync_device: str | None = None
    sync_name: str | None = None
    sync_encrypt: str = ""
    sync_auto: bool = False
    sync_every: int = 5
    """Minutes, at least, between two automatic syncs."""


_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_")
_STRING_REFUSED = frozenset('"\\\x7f' + "".join(map(chr, range(32))))
"""What `_plain` leaves to tomllib in a string: its end, an escape, a control character."""
_COMMENT_REFUSED = frozenset("\x7f" + "".join(chr(i) for i in range(32) if i != 9))
"""What TOML refuses in a comment: control characters other than the tab."""


def _plain(text: str) -> dict[str, Any] | None:
    """What tomllib.loads makes of `text` when it is of the plain kind numbtrack writes
    (comments, empty lines, `[table]` headers and `key = value` lines, each value a string
    without escapes, true, false or a short integer in decimal, every name lower case and
    given once); None for anything else, which tomllib reads instead (and refuses in its
    own words). Reading the settings is part of every sync, and importing tomllib (with
    typing and its patterns) cost more than a tenth of a sync with nothing new."""
    if "\r" in text:
        return None
    data: dict[str, Any] = {}
    table = data
    for line in text.split("\n"):
        if not line:
            continue
        if line[0] == "#":
            if not _COMMENT_REFUSED.isdisjoint(line):
                return None
            continue
        if line[0] == "[":
            name = line[1:-1]
            if line[-1] != "]" or not name or not _NAME_CHARS.issuperset(name) or name in data:
                return None
            table = data[name] = {}
            continue
        key, eq, value = line.partition(" = ")
        if not eq or not key or not _NAME_CHARS.issuperset(key) or key in table:
            return None
        if value == "true":
            table[key] = True
        elif value == "false":
            table[key] = False
        elif len(value) >= 2 and value[0] == '"' == value[-1]:
            inner = value[1:-1]
            if not _STRING_REFUSED.isdisjoint(inner):
                return None
            table[key] = inner
        else:
            digits = value[1:] if value[:1] == "-" else value
            if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
                return None
            if digits[0] == "0" and len(digits) > 1:
                return None
            table[key] = int(value)
    return data


def _read(path: Path) -> dict[str, Any]:
    # Another user's settings could name the sync folder: what this device syncs would go
    # there (and `save` would make them this user's own).
    paths.check_owner(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise StoreError(f"The settings file {path} is not UTF-8 text; fix or remove it.") from None
    except OSError as exc:
        raise StoreError(f"The settings file {path} cannot be read: {exc.strerror}.") from None
    plain = _plain(text)
    if plain is not None:
        return plain
    import tomllib  # only for a file of another kind than numbtrack writes (`_plain`)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        import re

        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        reason = message[: found.start()].strip().rstrip(".") if found else message
        where = f" at line {found.group(1)}" if found else ""
        raise StoreError(
            f"The settings file {path} cannot be read: it is damaged{where} "
            f"({reason[:1].lower()}{reason[1:]}); fix or remove it."
        ) from None


def load(path: Path | None = None) -> Config:
    data = _read(path or paths.config_path())
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


def _one_line(line: str) -> None:
    if any(ch in line for ch in "\n\r") or len(line) > MAX_LINE:
        raise InvalidInput(f"A support line is one line of at most {MAX_LINE} characters.")


def check_line(line: str) -> str:
    """A support line as typed: one line, at most MAX_LINE long, and no control characters
    (an escape would be sent to the terminal each time `support` prints it)."""
    _one_line(line)
    if any((ord(ch) < 32 and ch != "\t") or ord(ch) == 127 for ch in line):
        raise InvalidInput("A support line cannot hold control characters (like an escape).")
    return line


def save(config: Config, path: Path | None = None) -> Path:
    """Write the settings (mode 0600, replacing the file atomically), keeping unknown keys."""
    import tomli_w

    path = path or paths.config_path()
    if config.local_line is not None:
        _one_line(config.local_line)
    try:
        data = _read(path)
    except StoreError:
        data = {}  # only reached when the person chose to change a setting: start afresh
    support = data.get("support") if isinstance(data.get("support"), dict) else {}
    assert isinstance(support, dict)
    if config.local_line:
        support["local_line"] = config.local_line
    else:
        support.pop("local_line", None)
    if support:
        data["support"] = support
    else:
        data.pop("support", None)
    nudge = data.get("nudge") if isinstance(data.get("nudge"), dict) else {}
    assert isinstance(nudge, dict)
    nudge["enabled"] = config.nudge
    data["nudge"] = nudge
    if config.sync_folder and config.sync_device:
        sync = data.get("sync") if isinstance(data.get("sync"), dict) else {}
        assert isinstance(sync, dict)
        sync.update(
            folder=config.sync_folder,
            device=config.sync_device,
            name=config.sync_name or "",
            encrypt=config.sync_encrypt,
            auto=config.sync_auto,
            every=int(config.sync_every),
        )
        data["sync"] = sync
    text = "# numbtrack settings (numbtrack where shows this file)\n\n" + tomli_w.dumps(data)
    paths.ensure_private_dir(path.parent)
    with paths.atomic_write(path, force=True) as fh:
        fh.write(text)
    return path
