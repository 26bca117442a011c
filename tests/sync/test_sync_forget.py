"""`numbtrack sync forget`: a device gone for good no longer holds back compaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack.errors import InvalidInput
from numbtrack.sync import engine
from tests.conftest import run
from tests.sync.helpers import own_files
from tests.sync.test_sync import MakeDevice, round_of_syncs


def _lost_device_blocks(make_device: MakeDevice):  # type: ignore[no-untyped-def]
    """a and a phone that read a's first file and was then lost; a wrote more since."""
    a, phone = make_device("a"), make_device("phone")
    a.log(note="before the phone was lost")
    round_of_syncs(a, phone)
    phone.close()
    for i in range(3):
        a.log(note=f"after {i}", minutes=1 + i)
        a.sync()
    return a, phone


def test_a_lost_device_holds_back_compaction(make_device: MakeDevice) -> None:
    a, _ = _lost_device_blocks(make_device)
    a.compact()
    assert len([n for n in own_files(a) if not n.startswith("snapshot-")]) == 3


def test_after_forgetting_it_compaction_goes_ahead(make_device: MakeDevice) -> None:
    a, _ = _lost_device_blocks(make_device)
    engine.forget(a.store, a.settings, "phone")
    a.compact()
    assert [n for n in own_files(a) if not n.startswith("snapshot-")] == []


def test_forgetting_keeps_what_the_device_wrote(make_device: MakeDevice) -> None:
    a, phone = make_device("a"), make_device("phone")
    phone.log(note="from the phone")
    round_of_syncs(a, phone)
    engine.forget(a.store, a.settings, "phone")
    a.compact()
    assert "from the phone" in a.notes()


def test_forgetting_deletes_none_of_its_files(make_device: MakeDevice) -> None:
    a, phone = make_device("a"), make_device("phone")
    phone.log(note="from the phone")
    round_of_syncs(a, phone)
    before = own_files(phone)
    engine.forget(a.store, a.settings, phone.id)
    a.compact()
    assert own_files(phone) == before


def test_a_forgotten_device_that_comes_back_converges(make_device: MakeDevice) -> None:
    a, phone = make_device("a"), make_device("phone")
    a.log(note="first")
    round_of_syncs(a, phone)
    engine.forget(a.store, a.settings, "phone")
    for i in range(3):
        a.log(note=f"while forgotten {i}", minutes=1 + i)
        a.sync()
    a.compact()
    phone.log(note="the phone is back", minutes=10)
    round_of_syncs(a, phone)
    assert phone.export() == a.export()


def test_a_device_that_comes_back_is_waited_for_again(make_device: MakeDevice) -> None:
    a, phone = make_device("a"), make_device("phone")
    a.log(note="first")
    round_of_syncs(a, phone)
    engine.forget(a.store, a.settings, "phone")
    phone.log(note="back", minutes=5)
    phone.sync()
    a.sync()
    status = engine.status(a.store, a.settings)
    assert [d.forgotten for d in status.devices if d.device == phone.id] == [False]


def test_status_marks_a_forgotten_device(make_device: MakeDevice) -> None:
    a, phone = make_device("a"), make_device("phone")
    phone.log(note="from the phone")
    round_of_syncs(a, phone)
    engine.forget(a.store, a.settings, "PHONE")
    status = engine.status(a.store, a.settings)
    assert [d.forgotten for d in status.devices if d.device == phone.id] == [True]


def test_this_device_cannot_be_forgotten_here(make_device: MakeDevice) -> None:
    a, phone = make_device("a"), make_device("phone")
    phone.log(note="from the phone")
    round_of_syncs(a, phone)
    with pytest.raises(InvalidInput, match="is this device"):
        engine.forget(a.store, a.settings, "a")


def test_a_near_miss_gets_did_you_mean(make_device: MakeDevice) -> None:
    a, phone = make_device("a"), make_device("phone")
    phone.log(note="from the phone")
    round_of_syncs(a, phone)
    with pytest.raises(InvalidInput, match='did you mean "phone"'):
        engine.forget(a.store, a.settings, "phnoe")


def test_two_devices_of_one_name_ask_for_the_id(make_device: MakeDevice, tmp_path: Path) -> None:
    a, one, two = make_device("a"), make_device("twin"), make_device("twin2")
    two.settings = engine.init(two.store, two.settings.folder, previous=two.settings, name="twin")
    one.log(note="one")
    two.log(note="two", minutes=1)
    round_of_syncs(a, one, two)
    with pytest.raises(InvalidInput, match="give its id"):
        engine.forget(a.store, a.settings, "twin")


# -- on the command line ------------------------------------------------------------------------


def test_forget_says_what_it_did(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    other = tmp_path / "other-home"
    run(runner, "--home", str(other), "sync", "init", str(folder), "--name", "old-laptop")
    run(runner, "--home", str(other), "log", "warm", "-q")
    run(runner, "--home", str(other), "sync", "-q")
    run(runner, "sync", "init", str(folder), "--name", "desk")
    run(runner, "sync", "-q")
    result = run(runner, "sync", "forget", "old-laptop")
    assert result.output.startswith("Forgot old-laptop (")


def test_forget_of_an_unknown_device_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    run(runner, "sync", "init", str(folder), "--name", "desk")
    result = run(runner, "sync", "forget", "nobody")
    assert (result.exit_code, result.output.strip()) == (
        2,
        "No device called nobody has synced with this one; numbtrack sync status lists them.",
    )
