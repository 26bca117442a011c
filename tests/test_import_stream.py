"""`numbtrack import` of a file that can be read only once: `-` (standard input), a pipe or
FIFO (`numbtrack import <(unzip -p history.zip)`). Its bytes are read once, so that working
out the format and reading the check-ins see the same data; an endless stream stops at the
import's limits, and a refused one writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from numbtrack import paths

from .conftest import stored_count

FIXTURES = Path(__file__).parent / "fixtures"


def numbtrack(home: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """The `numbtrack` entry point in a process of its own (the quick way first, as a shell
    runs it), with `stdin` as its standard input."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
    env[paths.HOME_ENV] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", "from numbtrack.__main__ import main; main()", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


@pytest.fixture
def export(home: Path, tmp_path: Path) -> dict[str, bytes]:
    """A numbtrack export of three check-ins in each format, from a store in another folder."""
    other = tmp_path / "other-home"
    for at, word in (("2026-11-01 09:00", "numb"), ("2026-11-02 10:00", "flat"),
                     ("2026-11-03 11:00", "calm")):  # fmt: skip
        assert numbtrack(other, "log", word, "--at", at, "--feel", "3").returncode == 0
    files = {}
    for fmt in ("csv", "jsonl", "json"):
        out = tmp_path / f"export.{fmt}"
        assert numbtrack(other, "export", "--format", fmt, "-o", str(out)).returncode == 0
        files[fmt] = out.read_bytes()
    return files


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_import_dash_reads_standard_input(home: Path, export: dict[str, bytes], fmt: str) -> None:
    done = numbtrack(home, "import", "-", stdin=export[fmt])
    assert (done.returncode, done.stderr) == (0, "")
    assert "Imported 3 check-ins from standard input" in done.stdout
    assert stored_count(home) == 3


def test_import_dash_with_dry_run_writes_nothing(home: Path, export: dict[str, bytes]) -> None:
    done = numbtrack(home, "import", "--dry-run", "-", stdin=export["jsonl"])
    assert "Would import 3 check-ins from standard input" in done.stdout
    assert not (home / "numbtrack.db").exists()


def test_a_daylio_backup_on_standard_input_is_read_as_a_zip(home: Path) -> None:
    data = (FIXTURES / "daylio_android.daylio").read_bytes()
    from_file = numbtrack(home, "import", "--dry-run", str(FIXTURES / "daylio_android.daylio"))
    from_pipe = numbtrack(home, "import", "--dry-run", "-", stdin=data)
    assert from_pipe.returncode == 0
    assert from_pipe.stdout == from_file.stdout.replace("daylio_android.daylio", "standard input")


def test_a_fifo_is_read_once_and_whole(
    home: Path, export: dict[str, bytes], tmp_path: Path
) -> None:
    """What a shell's `<(cmd)` hands over: a pipe that can be read only once."""
    fifo = tmp_path / "history.csv"
    os.mkfifo(fifo)

    def write() -> None:
        with fifo.open("wb") as fh:
            fh.write(export["csv"])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        done = numbtrack(home, "import", str(fifo))
    finally:
        writer.join(timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert "Imported 3 check-ins from history.csv (numbtrack CSV" in done.stdout
    assert stored_count(home) == 3


def test_an_empty_standard_input_is_refused_and_nothing_is_written(home: Path) -> None:
    done = numbtrack(home, "import", "-")
    assert (done.returncode, done.stderr) == (2, "standard input is empty.\n")
    assert stored_count(home) == 0


def test_an_endless_stream_of_nul_bytes_stops_at_once(home: Path) -> None:
    """`numbtrack import - < /dev/zero`: refused at the first chunk, not read until memory ends."""
    with open("/dev/zero", "rb") as zero:
        env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
        env[paths.HOME_ENV] = str(home)
        done = subprocess.run(
            [sys.executable, "-m", "numbtrack", "import", "-"],
            stdin=zero,
            capture_output=True,
            env=env,
            timeout=120,
        )
    assert done.returncode == 2
    assert done.stderr.decode() == "The file holds NUL bytes; it is not a text export.\n"
    assert stored_count(home) == 0


def test_a_truncated_export_on_standard_input_is_refused(
    home: Path, export: dict[str, bytes]
) -> None:
    cut = export["jsonl"].rsplit(b"\n", 2)[0] + b"\n"  # the trailing count record is gone
    done = numbtrack(home, "import", "-", stdin=cut)
    assert done.returncode == 2
    assert "cut off" in done.stderr
    assert stored_count(home) == 0


def test_a_shells_process_substitution_is_named_the_pipe(
    home: Path, export: dict[str, bytes]
) -> None:
    """`numbtrack import <(cat history.csv)` hands over /dev/fd/63: the messages say "the
    pipe", not "63"."""
    read, write = os.pipe()
    env = {k: v for k, v in os.environ.items() if k != "NUMBTRACK_RAISE_UNEXPECTED"}
    env[paths.HOME_ENV] = str(home)
    with subprocess.Popen(
        [sys.executable, "-m", "numbtrack", "import", f"/dev/fd/{read}"],
        pass_fds=(read,),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as child:
        os.close(read)
        with os.fdopen(write, "wb") as fh:
            fh.write(export["csv"])
        out, err = child.communicate(timeout=120)
    assert (child.returncode, err.decode()) == (0, "")
    assert out.decode().startswith("Imported 3 check-ins from the pipe (numbtrack CSV")
    assert stored_count(home) == 3
