"""Trust at the edges (issue 12): nothing half-written, nothing exposed, no traceback.

Real processes on a real store in a temporary folder; attacks are real too (SIGKILL and
SIGTERM mid-write, symlinks planted by "another user", a full disk on a tiny tmpfs).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from numbtrack import paths
from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, Feeling
from numbtrack.store import Store


def numbtrack(
    home: Path, *args: str, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "numbtrack", *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_sentence(stderr: str) -> bool:
    lines = stderr.strip().splitlines()
    return len(lines) == 1 and "Traceback" not in stderr and lines[0].endswith((".", "?"))


def fill(home: Path, n: int, note: str = "a quiet note " * 8) -> None:
    base = datetime(2001, 1, 1, 9).astimezone()
    with Store() as store:
        store.put_many(
            CheckIn(
                id=f"00000000-0000-4000-8000-{i:012d}",
                at=base + timedelta(hours=7 * i),
                feelings=(Feeling("calm"),),
                tags=("work",),
                note=note,
            )
            for i in range(n)
        )


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


# -- 1. atomic outputs ---------------------------------------------------------------------


def test_atomic_write_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with paths.atomic_write(target) as fh:
        fh.write("half")
        assert not target.exists()
    assert target.read_text() == "half"


def test_atomic_write_leaves_nothing_when_the_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), paths.atomic_write(target) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_files_are_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with paths.atomic_write(tmp_path / "out.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o600


def test_an_existing_file_is_one_sentence_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("mine")
    refused = pytest.raises(InvalidInput, match="already exists; add --force")
    with refused, paths.atomic_write(target) as fh:
        fh.write("new")
    assert target.read_text() == "mine"


def test_a_symlink_is_refused_without_force(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("theirs")
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    with pytest.raises(InvalidInput), paths.atomic_write(link) as fh:
        fh.write("new")
    assert victim.read_text() == "theirs"


def test_force_replaces_the_symlink_itself_never_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("theirs")
    victim.chmod(0o644)
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    with paths.atomic_write(link, force=True) as fh:
        fh.write("new")
    assert (victim.read_text(), stat.S_IMODE(victim.stat().st_mode)) == ("theirs", 0o644)
    assert not link.is_symlink() and link.read_text() == "new"


def test_a_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    refused = pytest.raises(InvalidInput, match="does not exist")
    with refused, paths.atomic_write(tmp_path / "nosuchdir" / "x.csv") as fh:
        fh.write("x")


def test_a_planted_marker_temp_symlink_is_never_followed(home: Path, tmp_path: Path) -> None:
    """The old marker code wrote last-day.tmp through whatever was there."""
    with Store() as store:
        store.add(CheckIn(at=datetime(2020, 1, 1, 9).astimezone(), feelings=(Feeling("calm"),)))
    chosen = tmp_path / "their-file"
    chosen.write_text("theirs")
    (home / "last-day.tmp").symlink_to(chosen)
    (home / "last-day").unlink()
    numbtrack(home, "log", "calm", "-q")
    assert chosen.read_text() == "theirs"
    assert (home / "last-day").read_text().strip() == datetime.now().date().isoformat()


def test_export_and_save_through_a_symlink_with_force_leave_the_target_alone(
    home: Path, tmp_path: Path
) -> None:
    numbtrack(home, "log", "calm", "-q")
    victim = tmp_path / "root-owned"
    victim.write_text("theirs")
    victim.chmod(0o644)
    for args in (("export", "-o"), ("week", "--save")):
        link = tmp_path / ("link.html" if "week" in args else "link.csv")
        link.symlink_to(victim)
        assert numbtrack(home, *args, str(link), "--force").returncode == 0
        assert not link.is_symlink()
    assert (victim.read_text(), stat.S_IMODE(victim.stat().st_mode)) == ("theirs", 0o644)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("what", ["export", "backup"])
def test_a_killed_export_or_backup_leaves_no_file_under_its_name(
    home: Path, tmp_path: Path, sig: signal.Signals, what: str
) -> None:
    fill(home, 6000)
    out = tmp_path / ("out.csv" if what == "export" else "copy.db")
    args = ["export", "-o", str(out)] if what == "export" else ["backup", str(out)]
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "numbtrack", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and not temps(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.001)
    caught = proc.poll() is None
    proc.send_signal(sig)
    proc.wait()
    if caught:  # killed while writing: nothing under the final name
        assert not out.exists()
    else:  # finished first: the whole file
        assert out.stat().st_size > 0
    if sig == signal.SIGTERM:
        assert temps(tmp_path) == []


# -- a full disk ---------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs (root only; skipped elsewhere)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.parametrize("what", ["export", "backup"])
def test_a_full_disk_says_so_and_leaves_no_file(home: Path, tiny_disk: Path, what: str) -> None:
    fill(home, 3000)
    out = tiny_disk / ("out.csv" if what == "export" else "copy.db")
    args = ["export", "-o", str(out)] if what == "export" else ["backup", str(out)]
    done = numbtrack(home, *args)
    assert (done.returncode, "the disk is full" in done.stderr) == (1, True), done.stderr
    assert one_sentence(done.stderr), done.stderr
    assert list(tiny_disk.iterdir()) == []
