"""An import's first pass reads and checks the file in a child process (`exchange._read_ahead`)
while the importing process stages: the same check-ins, the same sentence naming the same
line, nothing taken from a file the child did not finish, and no lock of the importing
process kept by the child."""

from __future__ import annotations

import fcntl
import io
import marshal
import os
from pathlib import Path
from typing import Any

import pytest

from numbtrack import exchange
from numbtrack.errors import InvalidInput, NumbtrackError
from numbtrack.exchange import native
from numbtrack.models import CheckIn, Feeling

from .test_exchange import _one


def _history(n: int) -> list[CheckIn]:
    return [
        _one(note=f"note {i}" if i % 3 else None, feelings=(Feeling("calm", i % 5 + 1),))
        for i in range(n)
    ]


def _write(path: Path, fmt: str, history: list[CheckIn]) -> None:
    out = io.StringIO(newline="")
    (native.write_jsonl if fmt == "jsonl" else native.write_csv)(history, out)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def _streamed(path: Path) -> object:
    try:
        return list(exchange.stream(path, packed=True).checkins)
    except InvalidInput as exc:
        return exc.message


def _serial(path: Path, fmt: str) -> object:
    text = path.read_text(encoding="utf-8")
    try:
        if fmt == "jsonl":
            return list(native.iter_jsonl_packed(text.split("\n")))
        return list(native.iter_csv_packed(io.StringIO(text, newline="")))
    except InvalidInput as exc:
        return exc.message


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_child_reads_what_this_process_would(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"h.{fmt}"
    _write(path, fmt, _history(2500))  # several batches
    assert _streamed(path) == _serial(path, fmt)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_bad_line_far_in_is_the_same_sentence(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"h.{fmt}"
    _write(path, fmt, _history(2100))
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2050] = lines[2050].replace("calm", "calmm")
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    said = _streamed(path)
    assert said == _serial(path, fmt)
    assert isinstance(said, str) and said.startswith("Line 2051: ")


def test_rows_come_before_the_sentence_as_they_would(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    _write(path, "jsonl", _history(1500))
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1400] = "{"
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    got: list[Any] = []
    with pytest.raises(InvalidInput):
        got.extend(exchange.stream(path, packed=True).checkins)
    assert len(got) == 1399


def test_a_child_that_stops_early_means_nothing_is_taken(tmp_path: Path) -> None:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (a child that sends one batch, then dies)
        try:
            data = marshal.dumps(("rows", [("a",), ("b",)]))
            os.write(w, len(data).to_bytes(8, "little") + data)
        finally:
            os._exit(0)
    os.close(w)
    got: list[Any] = []
    with open(r, "rb") as pipe, pytest.raises(NumbtrackError) as caught:
        got.extend(exchange._received(pid, pipe, tmp_path / "h.jsonl"))
    assert caught.value.message == (
        "The process reading h.jsonl stopped before the end of it; nothing was imported."
    )


def test_the_child_keeps_no_lock_of_this_process(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    _write(path, "jsonl", _history(3000))
    lock = tmp_path / "some.lock"
    held = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX)
    s = exchange.stream(path, packed=True)  # the child starts now, the lock held
    rows = iter(s.checkins)
    next(rows)  # the child is reading (it let go of what it does not need before that)
    os.close(held)  # this process lets go: nobody holds it any more
    other = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if the child kept it
    finally:
        os.close(other)
    assert 1 + sum(1 for _ in rows) == 3000
