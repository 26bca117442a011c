"""Sync and a concurrent import: a sync never sends out half an import."""

from __future__ import annotations

from pathlib import Path

from tests.sync.test_sync import MakeDevice
from tests.test_exchange import _make_big_export, kill_an_import_after_a_step


def _kill_an_import_midway(home: Path, tmp_path: Path) -> int:
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    return kill_an_import_after_a_step(home, big)


def test_a_sync_after_an_import_was_killed_midway_sends_none_of_it(
    make_device: MakeDevice, tmp_path: Path
) -> None:
    """The import is killed between two of its steps while this device's store is open (so
    opening did not revert it yet): the sync reverts it first and sends nothing of it, so the
    other devices never get rows this one no longer has."""
    a = make_device("a")
    a.log(note="before")
    a.sync()
    steps = _kill_an_import_midway(a.home, tmp_path)
    report = a.sync()
    assert (steps > 0, report.sent) == (True, 0)


def test_the_store_is_as_before_the_killed_import_after_that_sync(
    make_device: MakeDevice, tmp_path: Path
) -> None:
    a = make_device("a")
    a.log(note="before")
    a.sync()
    _kill_an_import_midway(a.home, tmp_path)
    a.sync()
    assert a.notes() == ["before"]
