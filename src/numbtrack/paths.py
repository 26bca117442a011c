"""Where numbtrack keeps its files.

The data folder comes from platformdirs (`user_data_path("numbtrack")`), unless the environment
variable NUMBTRACK_HOME or the global `--home` option names another one. Everything numbtrack
creates there is private to its owner: the folder 0700, files 0600 (see `private_umask`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from numbtrack.errors import InvalidInput, NumbtrackError, StoreError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: `numbtrack log` never imports typing (see quick.py)
    from typing import IO, Any

APP_NAME = "numbtrack"
HOME_ENV = "NUMBTRACK_HOME"
DB_NAME = "numbtrack.db"
CONFIG_NAME = "config.toml"
MARKER_NAME = "last-day"
"""Holds the local date of the newest check-in, so a shell prompt can read it without Python."""
CRASH_LOG_NAME = "crash-log.txt"
"""Where the command line records an unexpected error (no note text, mode 0600)."""
STORE_FILES = ("", "-wal", "-shm", "-journal")
"""Suffixes SQLite adds to the database's name for its side files."""
MADE_FILES = (
    MARKER_NAME,
    CRASH_LOG_NAME,
    "nudge-off",
    "nudge-shown",
    "dash-crash.log",
    "sync.lock",
    "sync-auto",
    "sync-last",
    "sync-error",
    "sync-identity.txt",
)
"""The files numbtrack makes in the data folder beside the store and the settings (markers,
locks, crash logs, the sync key): plain files of this user, never a symlink (see
`make_private`); tests/test_edges.py checks the names against the modules that use them."""
STORE_MARKERS = ("-import", "-writers")
"""Suffixes of numbtrack's own files beside the database: the import marker and the lock of
writers waiting for an import (held only as files: never a symlink, never another's)."""
OWN_FILES = (CONFIG_NAME, *MADE_FILES)

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


def _not_yours(path: Path) -> StoreError:
    return StoreError(
        f"{path} belongs to another user, so numbtrack will not use it; move it away or point "
        f"{HOME_ENV} at a folder of your own."
    )


def _own_private(path: Path, tightened: list[Path] | None, *, made: bool = False) -> None:
    """Check one existing path: ours (else refuse) and private (else make it so). `made`: a
    file numbtrack itself makes (a marker, a lock, the key), which must be a plain file, so
    that a symlink or a folder planted under its name is refused rather than followed."""
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"numbtrack cannot look at {path}: {exc.strerror}.") from None
    uid = os.geteuid()
    if link.st_uid != uid:
        raise _not_yours(path)
    if made and not stat.S_ISREG(link.st_mode):
        raise StoreError(
            f"{path} is not a plain file (it is a symlink or a folder), and numbtrack never "
            "follows one for a file of its own; move it away and try again."
        )
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return  # a dangling link of ours: SQLite or the writers replace it
    except OSError as exc:
        raise StoreError(f"numbtrack cannot look at {path}: {exc.strerror}.") from None
    if st.st_uid != uid:
        raise _not_yours(path)
    if tightened is not None and stat.S_IMODE(st.st_mode) & 0o077:
        try:
            os.chmod(path, 0o700 if stat.S_ISDIR(st.st_mode) else 0o600)
        except OSError as exc:
            raise StoreError(f"numbtrack cannot make {path} private: {exc.strerror}.") from None
        tightened.append(path)


def check_owner(path: Path) -> None:
    """Refuse in one sentence a file at `path` (or a symlink there, or its target) of another
    user: for files read before any store is opened (the settings)."""
    _own_private(path, None)


def make_private(db: Path, *, tighten: bool = True) -> None:
    """Before the store is opened: the data folder and every file numbtrack keeps in it (the
    database and its -wal/-shm/-journal, backups, markers, settings, crash log) must belong
    to this user and be private. Modes of our own files are tightened (said once, on
    stderr); a file or folder of another user is refused in one sentence naming it. With
    `tighten=False` only the owners are checked."""
    folder = db.parent
    tightened: list[Path] | None = [] if tighten else None
    try:
        st = os.stat(folder)
    except OSError as exc:
        raise StoreError(
            f"numbtrack cannot open its data folder {folder}: {(exc.strerror or '').lower()}; "
            f"point {HOME_ENV} at a folder of your own."
        ) from None
    if st.st_uid != os.geteuid():
        raise _not_yours(folder)
    _own_private(folder, tightened)
    _own_private(db, tightened)
    for suffix in (*STORE_FILES[1:], *STORE_MARKERS):
        _own_private(Path(f"{db}{suffix}"), tightened, made=True)
    _own_private(folder / CONFIG_NAME, tightened)
    for name in MADE_FILES:
        _own_private(folder / name, tightened, made=True)
    backups = folder / "backups"
    _own_private(backups, tightened)
    if backups.is_dir():
        with os.scandir(backups) as entries:
            for entry in entries:
                _own_private(Path(entry.path), tightened)
    if tightened:
        names = ", ".join(str(p) for p in tightened[:3])
        more = f" and {len(tightened) - 3} more" if len(tightened) > 3 else ""
        them = "them" if len(tightened) > 1 else "it"
        sys.stderr.write(f"numbtrack made {names}{more} private: only you can read {them} now.\n")


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a small file (created 0600, never through a symlink)."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise write_problem(path, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class _Signalled(BaseException):
    """SIGTERM or SIGHUP arrived while a file was being written; the temporary file goes."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_received: list[int] = []
"""The stop signals `_signals_raise`'s block has turned into _Signalled. SQLite swallows an
exception raised inside a Python function it calls (store.TEXT_REPR), so a signal arriving
there must be known apart from its exception (`interruption`)."""


def _raise_signalled(signum: int, frame: object) -> None:
    _received.append(signum)
    raise _Signalled(signum)


def interruption() -> BaseException:
    """The exception of a stop signal that arrived while SQLite ran a Python function of ours
    and that SQLite swallowed: SIGTERM's or SIGHUP's inside `_signals_raise` (the file being
    written then goes, and the exit is the signal's), else Ctrl-C's KeyboardInterrupt (Python's
    own handler leaves no trace of it)."""
    return _Signalled(_received[-1]) if _received else KeyboardInterrupt()


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception inside this block (main thread only), so
    the cleanup of a half-written file runs; SIGINT already raises KeyboardInterrupt."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, _raise_signalled) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        _received.clear()
        for s, handler in old.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold stop signals for a few system calls that must happen together (creating the
    temporary file and noting that we did; putting it in place); they arrive right after."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stop = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    old = signal.pthread_sigmask(signal.SIG_BLOCK, stop)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_problem(path: Path, exc: OSError) -> NumbtrackError:
    """One sentence for an OSError met while writing `path`; a full disk says so."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(f"Cannot write {path}: the disk is full; nothing was written.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(f"Cannot write {path}: permission denied; nothing was written.")
    reason = (exc.strerror or str(exc)).rstrip(".").lower()
    return StoreError(f"Cannot write {path}: {reason}; nothing was written.")


def _check_target(path: Path, force: bool) -> None:
    """Refuse what must not be replaced: an existing file without --force, a folder, or a
    missing folder to write into. A symlink counts as existing and is replaced itself (never
    written through), and only when the person named it and gave --force."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise write_problem(path, exc) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise InvalidInput(f"{path} is a folder; give a file name to write.")
        if not force:
            raise InvalidInput(f"{path} already exists; add --force to replace it.")
    parent = path.parent
    if not parent.is_dir():
        raise InvalidInput(f"Cannot write {path}: the folder {parent} does not exist.")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_TEMP = r"\..+\.nt(\d{1,10})-[0-9a-f]{12}\.tmp"
"""The name of numbtrack's temporary files: .NAME.nt<pid>-<12 hex>.tmp (`_temp_name`)."""


def _temp_name(path: Path) -> Path:
    # os.urandom is what secrets.token_hex reads; importing secrets (hashlib, OpenSSL) would
    # cost more start-up than the whole write.
    return path.with_name(f".{path.name}.nt{os.getpid()}-{os.urandom(6).hex()}.tmp")


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: running
    return True


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files a killed numbtrack left in `folder` (a kill -9 during
    `export -o`, say, when no cleanup can run); returns what was removed.

    Only files that are certainly ours and certainly abandoned go: the name is exactly the
    pattern `_temp_name` makes, the file is a regular file (never a symlink) owned by this
    user, no process holds the lock every writer keeps on its temporary file while it writes,
    and the process whose id is in the name is no longer running. Anything else is left
    alone, including files another numbtrack is writing right now."""
    import fcntl

    removed: list[Path] = []
    try:
        names = [e.name for e in os.scandir(folder) if ".tmp" in e.name]
    except OSError:
        return removed
    entries = [n for n in names if n.endswith(".tmp")]
    sides = [n for n in names if n.endswith(_SIDE_FILES)]
    uid = os.getuid()
    for name in entries:
        match = re.fullmatch(_TEMP, name)  # compiled on the first write, not at start-up
        if match is None or _pid_running(int(match.group(1))):
            continue
        candidate = folder / name
        try:
            fd = os.open(candidate, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != uid:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a writer holds it
            with contextlib.suppress(OSError):
                if os.path.samestat(st, os.lstat(candidate)):
                    os.unlink(candidate)
                    removed.append(candidate)
        finally:
            os.close(fd)
    # SQLite's side files of a temporary store (`building`) whose writer was killed: they go
    # with it, or after it when the kill came between the two.
    for name in sides:
        base = name[: name.rindex(".tmp") + 4]
        match = re.fullmatch(_TEMP, base)
        if match is None or _pid_running(int(match.group(1))) or os.path.lexists(folder / base):
            continue
        side = folder / name
        with contextlib.suppress(OSError):
            st = os.lstat(side)
            if stat.S_ISREG(st.st_mode) and st.st_uid == uid:
                os.unlink(side)
                removed.append(side)
    return removed


_SIDE_FILES = tuple(f".tmp{suffix}" for suffix in STORE_FILES if suffix)
"""How the side files of a temporary SQLite file end (.NAME.nt<pid>-<hex>.tmp-wal, ...)."""


def _create_exclusive(tmp: Path) -> int:
    """A new file only this process created: O_EXCL and O_NOFOLLOW, so a planted file or
    symlink under the temporary name is never opened."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, 0o600)
    os.fchmod(fd, 0o600)  # our own new file: exactly 0600, whatever the umask
    return fd


def _put_in_place(tmp: Path, path: Path, force: bool) -> None:
    """Rename the finished file to its name. Without --force a hard link is made instead,
    which fails if the name appeared meanwhile, so nothing is ever replaced by surprise."""
    if force:
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path, follow_symlinks=False)
        except FileExistsError:
            raise InvalidInput(f"{path} already exists; add --force to replace it.") from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            # A file system without hard links: check and rename (a small race remains).
            if os.path.lexists(path):
                raise InvalidInput(f"{path} already exists; add --force to replace it.") from None
            os.replace(tmp, path)
        else:
            os.unlink(tmp)
    _fsync_dir(path.parent)


@contextlib.contextmanager
def atomic_path(path: Path, *, force: bool = False) -> Iterator[Path]:
    """A temporary file (empty, 0600, created exclusively beside `path`) for a writer that
    needs a path, such as SQLite's backup. When the block ends normally the file is fsynced
    and renamed to `path`; on any exception or SIGTERM/SIGHUP/SIGINT it is removed and
    `path` is untouched. See `atomic_write` for the rules about existing files."""
    import fcntl

    path = Path(path)
    _check_target(path, force)
    remove_stale_temps(path.parent)
    tmp = _temp_name(path)
    created = False
    held = -1  # our lock on the temporary file while it is written (see remove_stale_temps)
    with _signals_raise():
        try:
            with _signals_held():
                held = _create_exclusive(tmp)
                created = True
                fcntl.flock(held, fcntl.LOCK_EX)
            yield tmp
            fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            with _signals_held():
                _put_in_place(tmp, path, force)
        except BaseException as exc:
            if created:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            if isinstance(exc, _Signalled):
                raise SystemExit(128 + exc.signum) from None
            if isinstance(exc, OSError):
                raise write_problem(path, exc) from None
            raise
        finally:
            if held >= 0:
                os.close(held)


@contextlib.contextmanager
def building(path: Path) -> Iterator[Path]:
    """An empty temporary file (0600, created exclusively beside `path`, locked while the
    block runs) in which a whole new SQLite file is built, to be given its name with
    `put_new`. Whatever happens, the temporary name goes when the block ends, with any of
    SQLite's side files of it (-journal, -wal, -shm): on any exception, and on SIGTERM,
    SIGHUP or SIGINT, nothing is left. Temporary files of a writer that was killed (no
    cleanup could run) are removed first (`remove_stale_temps`)."""
    import fcntl

    path = Path(path)
    remove_stale_temps(path.parent)
    tmp = _temp_name(path)
    created = False
    held = -1
    with _signals_raise():
        try:
            with _signals_held():
                held = _create_exclusive(tmp)
                created = True
                fcntl.flock(held, fcntl.LOCK_EX)
            yield tmp
        except BaseException as exc:
            if isinstance(exc, _Signalled):
                raise SystemExit(128 + exc.signum) from None
            if isinstance(exc, OSError):
                raise write_problem(path, exc) from None
            raise
        finally:
            if created:
                for suffix in STORE_FILES:
                    with contextlib.suppress(OSError):
                        os.unlink(f"{tmp}{suffix}")
            if held >= 0:
                os.close(held)


def sync_soon(path: Path) -> None:
    """Have what has been written to the file `path` go to the disk meanwhile: a thread of
    its own syncs it (fdatasync, which lets other threads run while it waits) and leaves, so
    that a later fsync of the file (`put_new`) waits only for what was written after this.
    Nothing is promised: a problem here is the later fsync's to find."""
    import _thread

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    sync = getattr(os, "fdatasync", os.fsync)

    def run() -> None:
        try:
            sync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    try:
        _thread.start_new_thread(run, ())
    except RuntimeError:
        os.close(fd)


def put_new(tmp: Path, path: Path) -> bool:
    """Give the finished file `tmp` (see `building`) the name `path`, durably (the file and
    the folder fsynced), unless something has that name already: then nothing is replaced
    and False is returned (`tmp` stays as it was)."""
    fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    with _signals_held():
        try:
            os.link(tmp, path, follow_symlinks=False)
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            # A file system without hard links: check and rename (a small race remains).
            if os.path.lexists(path):
                return False
            os.replace(tmp, path)
        else:
            os.unlink(tmp)
    _fsync_dir(path.parent)
    return True


@contextlib.contextmanager
def atomic_write(path: Path, *, force: bool = False, binary: bool = False) -> Iterator[IO[Any]]:
    """Write a file that appears under its name only when complete.

    The data goes to a temporary file created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, 0600)
    in the target folder, is fsynced and renamed into place when the block ends normally. On
    any exception, and on SIGTERM, SIGHUP or SIGINT, the temporary file is removed and
    nothing appears. An existing file is refused (one sentence) unless `force`; with `force`
    it is replaced by a new file of ours, never written into, so a symlink is replaced itself
    and its target is neither written nor chmodded. A full disk says "the disk is full".
    Text mode is UTF-8 with newlines written as given.
    """
    with atomic_path(path, force=force) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        fh: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with fh:
            yield fh
            fh.flush()


def write_atomic(path: Path, data: bytes, *, force: bool = True) -> Path:
    """`atomic_write` for bytes already in memory (sync files, keys, encrypted copies)."""
    with atomic_write(path, force=force, binary=True) as fh:
        fh.write(data)
    return path


def fsync_dir(folder: Path) -> None:
    """Make a rename or an unlink in `folder` durable."""
    _fsync_dir(folder)
