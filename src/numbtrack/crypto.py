"""age encryption for what leaves the private data folder: sync files, exports, backups.

Uses the `pyrage` package (age's X25519 recipients and scrypt passphrases). pyrage is
imported inside these functions only, so nothing on the `numbtrack log` path loads it.

Two ways to hold a key:
- an X25519 identity, kept 0600 in the data folder (IDENTITY_NAME), shared between devices by
  the person (`numbtrack sync key` shows how);
- a passphrase. Deriving a key from a passphrase (scrypt) takes about a second on purpose, so
  sync uses it only to wrap the identity once (`key.age` in the sync folder); files are then
  encrypted to the identity.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from numbtrack import paths
from numbtrack.errors import InvalidInput, StoreError

MAGIC = b"age-encryption.org/v1\n"
"""How every age file begins."""
IDENTITY_NAME = "sync-identity.txt"
"""The X25519 identity in the data folder (age's own identity file format)."""
SECRET_PREFIX = "AGE-SECRET-KEY-1"


class Damaged(InvalidInput):
    """An age file that is cut short or altered (for sync: not delivered whole yet)."""


class WrongKey(InvalidInput):
    """An age file that this key or passphrase does not open."""


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC)


def needs_passphrase(data: bytes) -> bool:
    """Whether an age file was encrypted with a passphrase (scrypt) rather than to a key."""
    header = data[: data.find(b"\n---")] if b"\n---" in data[:4096] else data[:4096]
    return b"\n-> scrypt " in header


def new_secret() -> str:
    from pyrage import x25519

    return str(x25519.Identity.generate())


def check_secret(text: str) -> str:
    """The identity in `text` (a pasted key or the contents of an identity file)."""
    from pyrage import IdentityError, x25519

    for line in text.splitlines():
        line = line.strip()
        if line.upper().startswith(SECRET_PREFIX):
            try:
                return str(x25519.Identity.from_str(line.upper()))
            except IdentityError:
                break
    raise InvalidInput(
        "That is not an age key; it starts with AGE-SECRET-KEY-1 (numbtrack sync key shows it)."
    )


def public_of(secret: str) -> str:
    from pyrage import x25519

    return str(x25519.Identity.from_str(secret).to_public())


def identity_path(data_dir: Path) -> Path:
    return data_dir / IDENTITY_NAME


def load_identity(data_dir: Path) -> str | None:
    import os
    import stat

    path = identity_path(data_dir)
    try:
        # Never through a symlink, and only a file of this user: another's key would let
        # them read what this device syncs. The mode is tightened on the file itself.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if path.is_symlink():
            raise StoreError(
                f"The key file {path} is a symlink, and numbtrack never follows one for its "
                "key; put the key file itself there."
            ) from None
        raise StoreError(f"The key file {path} cannot be read ({exc.strerror}).") from None
    try:
        st = os.fstat(fd)
        if st.st_uid != os.geteuid() or not stat.S_ISREG(st.st_mode):
            raise StoreError(
                f"The key file {path} is not a file of yours, so numbtrack will not use it; "
                "move it away."
            )
        if st.st_mode & 0o077:
            os.fchmod(fd, 0o600)
        text = os.read(fd, 1 << 16).decode("ascii")  # a key file is a few lines
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"The key file {path} cannot be read ({exc}).") from None
    finally:
        os.close(fd)
    try:
        return check_secret(text)
    except InvalidInput:
        raise StoreError(f"The key file {path} does not hold an age key.") from None


def save_identity(data_dir: Path, secret: str) -> Path:
    from datetime import UTC, datetime

    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"# created: {stamp}\n# public key: {public_of(secret)}\n{secret}\n"
    paths.ensure_private_dir(data_dir)
    return paths.write_atomic(identity_path(data_dir), text.encode("ascii"))


def encrypt(data: bytes, *, secret: str | None = None, passphrase: str | None = None) -> bytes:
    """Encrypt to the identity's public key, or with a passphrase."""
    import pyrage
    from pyrage import x25519

    if passphrase is not None:
        return bytes(pyrage.passphrase.encrypt(data, passphrase))
    assert secret is not None
    recipient = x25519.Identity.from_str(secret).to_public()
    return bytes(pyrage.encrypt(data, [recipient]))


def decrypt(
    data: bytes, *, secret: str | None = None, passphrase: str | None = None, what: str = "file"
) -> bytes:
    """Decrypt, or raise WrongKey (another key or passphrase) or Damaged (cut short)."""
    import pyrage
    from pyrage import x25519

    try:
        if passphrase is not None:
            return bytes(pyrage.passphrase.decrypt(data, passphrase))
        assert secret is not None
        return bytes(pyrage.decrypt(data, [x25519.Identity.from_str(secret)]))
    except pyrage.DecryptError as exc:
        text = str(exc)
        if passphrase is not None and "Decryption failed" in text:
            raise WrongKey(
                f"That passphrase does not open this {what}; nothing was written."
            ) from None
        if "No matching keys" in text:
            if passphrase is not None:
                raise WrongKey(
                    f"This {what} is encrypted to a key, not with a passphrase."
                ) from None
            raise WrongKey(
                f"This {what} was encrypted with a different key; nothing was written."
            ) from None
        raise Damaged(f"This {what} is cut short or damaged ({text}).") from None


def open_file(path: Path, data_dir: Path, ask_passphrase: Callable[[], str]) -> bytes | None:
    """The plaintext of an age-encrypted file (an encrypted export or backup), or None when
    `path` is not encrypted. A passphrase file asks for its passphrase; a key file is opened
    with this device's sync key."""
    try:
        with path.open("rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                return None
            data = MAGIC + fh.read()
    except (FileNotFoundError, IsADirectoryError):
        return None  # the reader that follows says what is wrong
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    return open_data(data, path.name, data_dir, ask_passphrase)


def open_data(
    data: bytes, name: str, data_dir: Path, ask_passphrase: Callable[[], str]
) -> bytes | None:
    """The plaintext of `data` when it is age-encrypted (as `open_file`), or None when it is
    not; `name` names it in messages."""
    if not is_encrypted(data):
        return None
    what = f"file ({name})"
    if needs_passphrase(data):
        return decrypt(data, passphrase=ask_passphrase(), what=what)
    secret = load_identity(data_dir)
    if secret is None:
        raise InvalidInput(
            f"{name} is encrypted to a key, and this device has none; bring the key "
            "with numbtrack sync key."
        )
    return decrypt(data, secret=secret, what=what)


def seal(data: bytes, data_dir: Path, passphrase: str | None) -> bytes:
    """Encrypt for `export --encrypt` and `backup --encrypt`: with the passphrase if one is
    given, else to this device's sync key."""
    if passphrase is not None:
        if not passphrase:
            raise InvalidInput("An empty passphrase protects nothing; choose one.")
        return encrypt(data, passphrase=passphrase)
    secret = load_identity(data_dir)
    if secret is None:
        raise InvalidInput(
            "--encrypt needs a key: add --passphrase, or set up encrypted sync first "
            "(numbtrack sync init DIR --encrypt)."
        )
    return encrypt(data, secret=secret)
