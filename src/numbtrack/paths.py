"""Where numbtrack keeps its files.

The data folder comes from platformdirs (`user_data_path("numbtrack")`), unless the environment
variable NUMBTRACK_HOME or the global `--home` option names another one. Everything numbtrack
creates there is private to its owner: the folder 0700, files 0600 (see `private_umask`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

APP_NAME = "numbtrack"
HOME_ENV = "NUMBTRACK_HOME"
DB_NAME = "numbtrack.db"
CONFIG_NAME = "config.toml"
MARKER_NAME = "last-day"
"""Holds the local date of the newest check-in, so a shell prompt can read it without Python."""

_home_override: Path | None = None


def set_home(path: Path | None) -> None:
    """Point numbtrack at another data folder for this process (the `--home` option)."""
    global _home_override
    _home_override = path.expanduser() if path is not None else None


def home_overridden() -> bool:
    """Whether --home chose the data folder in this process."""
    return _home_override is not None


def data_dir() -> Path:
    """The data folder in force: --home, then NUMBTRACK_HOME, then platformdirs."""
    if _home_override is not None:
        return _home_override
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The config folder. With a custom data folder, the config lives inside it too."""
    if _home_override is not None or os.environ.get(HOME_ENV):
        return data_dir()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def db_path() -> Path:
    return data_dir() / DB_NAME


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def backups_dir() -> Path:
    return data_dir() / "backups"


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Create files 0600 and folders 0700 while inside this block."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) as 0700 if it does not exist yet."""
    if not path.exists():
        with private_umask():
            path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o700)
    return path


def open_private(path: Path, *, force: bool = False, binary: bool = False):  # type: ignore[no-untyped-def]
    """Open a new file for writing with mode 0600; refuse to overwrite unless `force`."""
    from numbtrack.errors import InvalidInput

    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise InvalidInput(f"{path} already exists; add --force to replace it.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot write {path}: {exc.strerror}.") from None
    os.chmod(path, 0o600)
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically: an exclusive temporary file (0600) in the same
    folder, fsync, rename over `path`, fsync of the folder; the temporary file is removed on
    failure. A symlink at `path` is replaced, never followed."""
    import secrets

    folder = path.parent
    tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)
    return path


def fsync_dir(folder: Path) -> None:
    """Make a rename or an unlink in `folder` durable (a no-op where folders cannot be
    opened, as on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
