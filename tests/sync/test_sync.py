"""Sync through a folder, driven through the core API (numbtrack.sync.engine)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from numbtrack import history, merge
from numbtrack.errors import InvalidInput, NumbtrackError, StoreError
from numbtrack.models import CheckIn, Feeling
from numbtrack.sync import engine, files
from tests.sync.helpers import BASE, Device, own_files

MakeDevice = Callable[..., Device]


def round_of_syncs(*devices: Device, rounds: int = 2) -> None:
    for _ in range(rounds):
        for d in devices:
            d.sync()


# -- what a person notices -----------------------------------------------------------------


def test_a_checkin_logged_on_one_device_shows_on_the_others(make_device: MakeDevice) -> None:
    a, b, c = make_device("a"), make_device("b"), make_device("c")
    a.log(note="from a")
    round_of_syncs(a, b, c)
    assert c.notes() == ["from a"]


def test_all_devices_end_with_the_same_bytes(make_device: MakeDevice) -> None:
    a, b, c = make_device("a"), make_device("b"), make_device("c")
    a.log(note="a", minutes=1)
    b.log(note="b", minutes=2)
    c.log(note="c", minutes=3)
    round_of_syncs(a, b, c)
    assert a.export() == b.export() == c.export()


def test_an_edit_travels(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    x = a.log(note="first")
    round_of_syncs(a, b)
    b.store.update(replace(b.store.get(x.id), note="second"))
    round_of_syncs(a, b)
    assert a.notes() == ["second"]


def test_a_delete_travels(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    x = a.log(note="doomed")
    round_of_syncs(a, b)
    b.store.delete(x.id)
    round_of_syncs(a, b)
    assert a.store.count() == 0


def test_a_delete_loses_against_a_later_edit(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    x = a.log(note="first")
    round_of_syncs(a, b)
    a.store.delete(x.id)  # before the edit
    b.store.update(replace(b.store.get(x.id), note="kept, edited later"))
    round_of_syncs(a, b)
    assert a.notes() == ["kept, edited later"]


def test_a_delete_wins_against_an_earlier_edit(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    x = a.log(note="first")
    round_of_syncs(a, b)
    b.store.update(replace(b.store.get(x.id), note="edited first"))
    a.store.delete(x.id)
    round_of_syncs(a, b)
    assert b.store.count() == 0


def test_an_old_copy_arriving_after_a_delete_does_not_bring_it_back(
    make_device: MakeDevice, tmp_path: Path
) -> None:
    a, b = make_device("a"), make_device("b")
    x = a.log(note="doomed")
    round_of_syncs(a, b)
    a.store.delete(x.id)
    round_of_syncs(a, b)
    (tmp_path / "old.jsonl").write_text(
        json.dumps({**_as_dict(x)}) + "\n", encoding="utf-8"
    )  # an export made before the delete, imported again
    from numbtrack import exchange

    result = b.store.put_many(exchange.load(tmp_path / "old.jsonl").checkins)
    assert result.conflicts == 1


def _as_dict(c: CheckIn) -> dict[str, object]:
    from numbtrack.exchange.records import to_dict

    return to_dict(c)


def test_an_edit_on_a_device_with_a_slow_clock_still_wins(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    future = "2099-01-01T00:00:00.000000Z"  # a device whose clock runs far ahead
    x = a.store.add(CheckIn(at=BASE, feelings=(Feeling("calm"),), updated_at=future))
    round_of_syncs(a, b)
    b.store.update(replace(b.store.get(x.id), note="edited after seeing it"))
    round_of_syncs(a, b)
    assert a.notes() == ["edited after seeing it"]


def test_syncing_again_changes_nothing(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="once")
    round_of_syncs(a, b)
    before = b.export()
    report = b.sync()
    assert (report.applied.changed, b.export()) == (0, before)


def test_reading_the_same_files_twice_changes_nothing(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="once")
    a.store.delete(a.log(note="gone", minutes=5).id)
    round_of_syncs(a, b)
    before = b.export()
    b.store.start_sync(b.id)  # forget every read position: all files are read again
    b.sync()
    assert b.export() == before


def test_changes_from_others_are_not_sent_back_out(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="from a")
    a.sync()
    report = b.sync()
    assert report.sent == 0


def test_changes_from_others_are_not_an_undo_step(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="from a")
    round_of_syncs(a, b)
    assert b.store.journal_batches() == []


def test_undo_of_a_synced_add_removes_it_everywhere(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="oops")
    round_of_syncs(a, b)
    history.undo(a.store)
    round_of_syncs(a, b)
    assert b.store.count() == 0


def test_undo_of_a_delete_brings_it_back_everywhere(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    x = a.log(note="wanted")
    round_of_syncs(a, b)
    a.store.delete(x.id)
    round_of_syncs(a, b)
    history.undo(a.store)
    round_of_syncs(a, b)
    assert b.notes() == ["wanted"]


def test_equal_times_are_settled_by_device_id(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    stamp = "2026-11-02T08:00:00.000000Z"
    x = CheckIn(at=BASE, feelings=(Feeling("calm"),), created_at=stamp, updated_at=stamp)
    a.store.put_many([replace(x, note="from a")])
    b.store.put_many([replace(x, note="from b")])
    round_of_syncs(a, b)
    winner = "from a" if a.id > b.id else "from b"
    assert (a.notes(), b.notes()) == ([winner], [winner])


def test_the_rule_orders_a_delete_after_a_put_at_the_same_time() -> None:
    c = CheckIn(at=BASE, updated_at="2026-11-02T08:00:00.000000Z")
    assert merge.wins(merge.delete(c.updated_at, "0"), merge.put(c, "f"))


def test_the_rule_reads_times_in_any_iso_form() -> None:
    c = CheckIn(at=BASE, updated_at="2026-11-02T08:00:00.000001Z")
    older = replace(c, updated_at="2026-11-02T08:00:00Z")
    assert merge.wins(merge.put(c, "0"), merge.put(older, "0"))


# -- the files ---------------------------------------------------------------------------------


def test_each_device_writes_only_its_own_folder(make_device: MakeDevice, folder: Path) -> None:
    a, b = make_device("a"), make_device("b")
    a.log()
    b.log(minutes=1)
    round_of_syncs(a, b)
    assert sorted(os.listdir(folder / "numbtrack")) == sorted([a.id, b.id])


def test_a_file_ends_with_its_count_and_checksum(make_device: MakeDevice) -> None:
    a = make_device("a")
    a.log()
    written = a.sync().wrote
    assert written is not None
    end = json.loads(written.read_bytes().splitlines()[-1])["end"]
    assert end["count"] == 1


def test_files_are_private(make_device: MakeDevice) -> None:
    a = make_device("a")
    a.log()
    written = a.sync().wrote
    assert written is not None
    assert written.stat().st_mode & 0o077 == 0


def test_a_file_delivered_in_part_waits_until_it_is_whole(
    make_device: MakeDevice, tmp_path: Path
) -> None:
    a = make_device("a")
    a.log(note="big")
    written = a.sync().wrote
    assert written is not None
    other = tmp_path / "OtherCopy"
    (other / "numbtrack" / a.id).mkdir(parents=True)
    whole = written.read_bytes()
    target = other / "numbtrack" / a.id / written.name
    target.write_bytes(whole[: len(whole) // 2])
    b = make_device("b", other)
    first = b.sync()
    target.write_bytes(whole)
    b.sync()
    assert (len(first.waiting), b.notes()) == (1, ["big"])


def test_a_file_out_of_order_waits_for_the_one_before(
    make_device: MakeDevice, tmp_path: Path
) -> None:
    a = make_device("a")
    a.log(note="one")
    one = a.sync().wrote
    a.log(note="two", minutes=1)
    two = a.sync().wrote
    assert one is not None
    assert two is not None
    other = tmp_path / "OtherCopy"
    (other / "numbtrack" / a.id).mkdir(parents=True)
    (other / "numbtrack" / a.id / two.name).write_bytes(two.read_bytes())
    b = make_device("b", other)
    b.sync()
    early = b.notes()
    (other / "numbtrack" / a.id / one.name).write_bytes(one.read_bytes())
    b.sync()
    assert (early, b.notes()) == ([], ["one", "two"])


def test_conflict_copies_and_temporary_files_are_ignored(
    make_device: MakeDevice, folder: Path
) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="real")
    written = a.sync().wrote
    assert written is not None
    junk = written.read_bytes().replace(b"real", b"fake")
    (written.parent / "000000000001.sync-conflict-20261102.jsonl").write_bytes(junk)
    (written.parent / ".000000000002.jsonl.abcdef.tmp").write_bytes(junk[:10])
    b.sync()
    assert b.notes() == ["real"]


def test_a_planted_symlink_is_not_followed(
    make_device: MakeDevice, folder: Path, tmp_path: Path
) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="real")
    a.sync()
    secret = tmp_path / "elsewhere.jsonl"
    secret.write_text("private\n", encoding="utf-8")
    (a.settings.own / "000000000002.jsonl").symlink_to(secret)
    b.sync()
    assert b.notes() == ["real"]


def test_a_symlinked_device_folder_is_refused(make_device: MakeDevice, tmp_path: Path) -> None:
    a = make_device("a")
    target = tmp_path / "target"
    target.mkdir()
    a.settings.own.rmdir()
    a.settings.own.symlink_to(target)
    with pytest.raises(StoreError):
        a.sync()


# -- a bad sync folder: one sentence, nothing changed -------------------------------------------


def test_a_missing_folder_is_one_sentence(make_device: MakeDevice, folder: Path) -> None:
    a = make_device("a")
    a.log()
    moved = folder.with_name("Unmounted")
    folder.rename(moved)
    with pytest.raises(StoreError, match="is not there"):
        a.sync()


def test_init_with_a_missing_folder_is_bad_input(tmp_path: Path, make_device: MakeDevice) -> None:
    with pytest.raises(InvalidInput, match="There is no folder"):
        make_device("a", tmp_path / "nope")


def test_the_data_folder_itself_cannot_be_the_sync_folder(tmp_path: Path) -> None:
    from numbtrack.store import Store

    with (
        Store(tmp_path / "home" / "numbtrack.db") as store,
        pytest.raises(InvalidInput, match="must not be synced"),
    ):
        engine.init(store, tmp_path)


def test_a_newer_numbtrack_in_the_folder_changes_nothing(
    make_device: MakeDevice, folder: Path
) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="from a")
    written = a.sync().wrote
    assert written is not None
    lines = written.read_bytes().split(b"\n")
    head = json.loads(lines[0])
    head["version"] = files.VERSION + 1
    (written.parent / "000000000002.jsonl").write_bytes(json.dumps(head).encode() + b"\n{}\n")
    before = b.export()
    with pytest.raises(StoreError, match="newer numbtrack"):
        b.sync()
    assert b.export() == before


def _make_read_only(path: Path) -> Callable[[], None]:
    path.chmod(0o500)
    if os.geteuid() == 0:  # root writes anyway; the immutable flag stops root too
        import subprocess

        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            path.chmod(0o700)
            pytest.skip("cannot make a folder read-only here")

        def undo() -> None:
            subprocess.run(["chattr", "-i", str(path)], check=True)
            path.chmod(0o700)

        return undo
    return lambda: path.chmod(0o700)


def test_a_read_only_folder_changes_nothing(make_device: MakeDevice, folder: Path) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="from a")
    a.sync()
    b.log(note="from b", minutes=1)
    before = b.export()
    undo = _make_read_only(b.settings.own)
    try:
        with pytest.raises(StoreError, match="cannot write"):
            b.sync()
    finally:
        undo()
    assert b.export() == before


# -- compaction ---------------------------------------------------------------------------------


def test_compaction_waits_until_every_known_device_has_read(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    b.log(note="b knows a")
    b.sync()
    a.sync()  # a now knows b; b has not read a's first file yet
    a.log(note="one", minutes=1)
    a.sync()
    assert a.compact() == 0


def test_compaction_replaces_files_everyone_has_read(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    for i in range(3):
        a.log(note=f"n{i}", minutes=i)
        round_of_syncs(a, b)
    a.compact()
    assert [n for n in own_files(a) if n.startswith("snapshot-")] != []


def test_a_device_joining_after_compaction_converges(make_device: MakeDevice) -> None:
    a, b = make_device("a"), make_device("b")
    x = a.log(note="edited", minutes=0)
    a.store.delete(a.log(note="deleted", minutes=1).id)
    round_of_syncs(a, b)
    a.store.update(replace(a.store.get(x.id), note="edited twice"))
    round_of_syncs(a, b)
    a.compact()
    b.compact()
    late = make_device("late")
    late.sync()
    assert late.export() == a.export()


def test_a_device_coming_back_after_a_long_time_converges(make_device: MakeDevice) -> None:
    a, b, away = make_device("a"), make_device("b"), make_device("away")
    away.log(note="before leaving")
    round_of_syncs(a, b, away)
    for i in range(5):
        a.log(note=f"while away {i}", minutes=10 + i)
        round_of_syncs(a, b)
    round_of_syncs(a, b, away)
    assert away.export() == a.export()


def test_a_sync_compacts_by_itself_past_a_size(
    make_device: MakeDevice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "AUTO_COMPACT_FILES", 3)
    a = make_device("a")
    for i in range(5):
        a.log(note=f"n{i}", minutes=i)
        a.sync()
    assert len(own_files(a)) < 5


# -- encryption ---------------------------------------------------------------------------------


def test_encrypted_files_do_not_show_the_notes(make_device: MakeDevice) -> None:
    a = make_device("a", encrypt=True)
    a.log(note="very private words")
    written = a.sync().wrote
    assert written is not None
    assert b"very private" not in written.read_bytes()


def test_an_encrypted_folder_syncs_with_the_same_key(make_device: MakeDevice) -> None:
    a = make_device("a", encrypt=True)
    a.log(note="private")
    a.sync()
    from numbtrack import crypto

    key = crypto.load_identity(a.home)
    b = make_device("b", encrypt=True, secret=key)
    b.sync()
    assert b.notes() == ["private"]


def test_a_different_key_is_one_sentence_and_changes_nothing(
    make_device: MakeDevice, tmp_path: Path
) -> None:
    a = make_device("a", encrypt=True)
    a.log(note="private")
    a.sync()
    from numbtrack import crypto

    with pytest.raises(InvalidInput, match="different key"):
        make_device("b", encrypt=True, secret=crypto.new_secret())


def test_a_device_without_encryption_cannot_join_an_encrypted_folder(
    make_device: MakeDevice,
) -> None:
    a = make_device("a", encrypt=True)
    a.log()
    a.sync()
    with pytest.raises(InvalidInput, match="--encrypt"):
        make_device("b")


def test_a_passphrase_brings_the_key_to_another_device(make_device: MakeDevice) -> None:
    a = make_device("a", encrypt=True, passphrase="correct horse")
    a.log(note="private")
    a.sync()
    b = make_device("b", encrypt=True, passphrase="correct horse")
    b.sync()
    assert b.notes() == ["private"]


def test_a_wrong_passphrase_is_one_sentence(make_device: MakeDevice, tmp_path: Path) -> None:
    make_device("a", encrypt=True, passphrase="correct horse")
    with pytest.raises(InvalidInput, match="passphrase"):
        make_device("b", encrypt=True, passphrase="wrong")
    assert not (tmp_path / "home-b" / "sync-identity.txt").exists()


def test_the_key_file_is_private(make_device: MakeDevice) -> None:
    a = make_device("a", encrypt=True)
    assert (a.home / "sync-identity.txt").stat().st_mode & 0o777 == 0o600


def test_every_error_is_a_numbtrack_error() -> None:
    assert issubclass(files.Incomplete, Exception)
    assert issubclass(StoreError, NumbtrackError)


def test_the_journal_keeps_what_sync_has_not_sent(
    make_device: MakeDevice, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numbtrack.store

    monkeypatch.setattr(numbtrack.store, "JOURNAL_KEEP", 2)
    a, b = make_device("a"), make_device("b")
    a.sync()  # from here on, the journal says what changed
    for i in range(6):
        a.log(note=f"n{i}", minutes=i)
    round_of_syncs(a, b)
    assert len(b.notes()) == 6


def test_init_again_on_the_same_folder_keeps_the_device(make_device: MakeDevice) -> None:
    a = make_device("a")
    again = engine.init(a.store, a.settings.folder, previous=a.settings)
    assert again.device == a.id


def test_a_store_restored_from_another_device_syncs_as_this_one(
    make_device: MakeDevice, tmp_path: Path
) -> None:
    a, b = make_device("a"), make_device("b")
    a.log(note="a's")
    round_of_syncs(a, b)
    a.store.start_sync(b.id)  # as if a's store were a backup of b's
    a.log(note="after the restore", minutes=1)
    round_of_syncs(a, b)
    assert b.notes() == ["a's", "after the restore"]


def test_notes_that_arrive_by_sync_can_be_searched(make_device: MakeDevice) -> None:
    from numbtrack.store import Filter

    a, b = make_device("a"), make_device("b")
    a.log(note="rain on the window")
    round_of_syncs(a, b)
    assert [c.note for c in b.store.query(Filter(text="window"))] == ["rain on the window"]
