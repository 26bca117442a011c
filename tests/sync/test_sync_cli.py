"""numbtrack sync on the command line: what a person types and sees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack.sync import auto, engine
from tests.conftest import run


@pytest.fixture
def sync_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "Sync"
    folder.mkdir()
    return folder


def at(home: Path, runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return run(runner, "--home", str(home), *args, input=input)


def test_sync_before_init_says_what_to_do(runner: CliRunner) -> None:
    result = run(runner, "sync")
    assert (result.exit_code, result.output.strip()) == (
        2,
        "This device has no sync folder yet; run numbtrack sync init DIR.",
    )


def test_init_with_a_missing_folder_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "sync", "init", str(tmp_path / "nope"))
    assert result.exit_code == 2


def test_two_devices_through_the_command_line(
    runner: CliRunner, tmp_path: Path, sync_dir: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    at(a, runner, "sync", "init", str(sync_dir), "--name", "laptop")
    at(b, runner, "sync", "init", str(sync_dir), "--name", "desktop")
    at(a, runner, "log", "warm", "--note", "from the laptop", "-q")
    at(a, runner, "sync")
    at(b, runner, "sync")
    shown = at(b, runner, "list", "--json")
    assert [c["note"] for c in json.loads(shown.output)] == ["from the laptop"]


def test_sync_says_what_it_did(runner: CliRunner, tmp_path: Path, sync_dir: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    at(a, runner, "sync", "init", str(sync_dir))
    at(b, runner, "sync", "init", str(sync_dir))
    at(a, runner, "log", "warm", "-q")
    at(a, runner, "sync")
    result = at(b, runner, "sync")
    assert result.output.startswith("Synced: from other devices, 1 added")


def test_status_lists_the_other_devices(runner: CliRunner, tmp_path: Path, sync_dir: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    at(a, runner, "sync", "init", str(sync_dir), "--name", "laptop")
    at(b, runner, "sync", "init", str(sync_dir), "--name", "desktop")
    at(b, runner, "log", "warm", "-q")
    at(b, runner, "sync")
    at(a, runner, "sync")
    result = at(a, runner, "sync", "status")
    assert "  desktop: last wrote" in result.output


def test_status_json_is_json(runner: CliRunner, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir), "--name", "laptop")
    result = run(runner, "sync", "status", "--json")
    assert json.loads(result.output)["settings"]["name"] == "laptop"


def test_a_missing_folder_is_one_sentence_and_exit_1(runner: CliRunner, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir))
    sync_dir.rename(sync_dir.with_name("Elsewhere"))
    result = run(runner, "sync")
    assert (result.exit_code, len(result.output.strip().splitlines())) == (1, 1)


def test_a_newer_file_in_the_folder_is_exit_1(
    runner: CliRunner, tmp_path: Path, sync_dir: Path
) -> None:
    run(runner, "sync", "init", str(sync_dir))
    alien = sync_dir / "numbtrack" / "0123456789abcdef"
    alien.mkdir(parents=True)
    (alien / "000000000001.jsonl").write_text(
        json.dumps({"format": "numbtrack-sync", "version": 99}) + "\n", encoding="utf-8"
    )
    result = run(runner, "sync")
    assert (result.exit_code, "newer numbtrack" in result.output) == (1, True)


def test_compact_says_what_it_did(runner: CliRunner, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir))
    run(runner, "log", "warm", "-q")
    run(runner, "sync")
    result = run(runner, "sync", "compact")
    assert result.output.strip() == "Replaced 1 file with one snapshot."


def test_key_without_encryption_is_exit_2(runner: CliRunner, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir))
    assert run(runner, "sync", "key").exit_code == 2


def test_passphrase_needs_encrypt(runner: CliRunner, sync_dir: Path) -> None:
    assert run(runner, "sync", "init", str(sync_dir), "--passphrase").exit_code == 2


def test_a_key_file_brings_encryption_to_another_device(
    runner: CliRunner, tmp_path: Path, sync_dir: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    at(a, runner, "sync", "init", str(sync_dir), "--encrypt")
    at(a, runner, "log", "warm", "--note", "sealed", "-q")
    at(a, runner, "sync")
    keyfile = tmp_path / "carried-key.txt"
    keyfile.write_text(at(a, runner, "sync", "key", "--show").output, encoding="utf-8")
    at(b, runner, "sync", "init", str(sync_dir), "--encrypt", "--key-file", str(keyfile))
    at(b, runner, "sync")
    shown = at(b, runner, "list", "--json")
    assert [c["note"] for c in json.loads(shown.output)] == ["sealed"]


def test_a_pasted_key_that_is_not_one_is_exit_2(
    runner: CliRunner, tmp_path: Path, sync_dir: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    at(a, runner, "sync", "init", str(sync_dir), "--encrypt")
    at(a, runner, "log", "warm", "-q")
    at(a, runner, "sync")
    result = at(b, runner, "sync", "init", str(sync_dir), "--encrypt", input="not a key\n")
    assert result.exit_code == 2


def test_a_wrong_passphrase_is_exit_2_and_writes_no_settings(
    runner: CliRunner, tmp_path: Path, sync_dir: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    at(a, runner, "sync", "init", str(sync_dir), "--encrypt", "--passphrase", input="pw\npw\n")
    result = at(b, runner, "sync", "init", str(sync_dir), "--encrypt", input="wrong\n")
    assert (result.exit_code, (b / "config.toml").exists()) == (2, False)


def test_auto_on_and_off(runner: CliRunner, home: Path, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir))
    run(runner, "sync", "auto", "on", "--every", "10")
    on = (home / auto.MARKER).read_text(encoding="ascii").strip()
    run(runner, "sync", "auto", "off")
    assert (on, (home / auto.MARKER).exists()) == ("600", False)


def test_auto_takes_on_or_off_only(runner: CliRunner, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir))
    assert run(runner, "sync", "auto", "sometimes").exit_code == 2


def test_auto_every_below_one_minute_is_one_sentence_and_changes_nothing(
    runner: CliRunner, home: Path, sync_dir: Path
) -> None:
    run(runner, "sync", "init", str(sync_dir))
    config = (home / "config.toml").read_bytes()
    r = run(runner, "sync", "auto", "on", "--every", "0")
    assert (r.exit_code, r.stderr) == (2, "--every should be 1 minute or more.\n")
    assert ((home / "config.toml").read_bytes(), (home / auto.MARKER).exists()) == (config, False)


def test_a_change_starts_a_background_sync(home: Path, runner: CliRunner, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir), "--auto")
    run(runner, "log", "warm", "-q")  # the automatic sync after it is in a process of its own
    (home / auto.STAMP).unlink()
    pid = auto.after_change(home)
    assert pid is not None
    os.waitpid(pid, 0)
    # The log's own background sync may still hold the lock (then this one left the work to
    # it): wait for whichever runs to finish before looking in the folder.
    with engine._locked(home, wait=True):
        pass
    assert len(list((sync_dir / "numbtrack").rglob("*.jsonl"))) == 1


def test_no_background_sync_soon_after_the_last(
    home: Path, runner: CliRunner, sync_dir: Path
) -> None:
    run(runner, "sync", "init", str(sync_dir), "--auto")
    run(runner, "sync")
    assert auto.after_change(home) is None


def test_no_background_sync_when_auto_is_off(home: Path, runner: CliRunner, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir))
    assert auto.after_change(home) is None


PROBE = """
import json, sys
from numbtrack.cli import main
sys.argv = ["numbtrack", "log", "calm", "-q"]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("pyrage", "numbtrack.sync.engine",
    "numbtrack.crypto", "numbtrack.sync.files")))), file=sys.stderr)
"""


def test_log_with_automatic_sync_loads_no_sync_machinery(
    home: Path, runner: CliRunner, sync_dir: Path
) -> None:
    run(runner, "sync", "init", str(sync_dir), "--encrypt", "--auto")
    run(runner, "sync")
    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []


# -- encrypted exports and backups ----------------------------------------------------------------


def test_an_encrypted_export_imports_on_another_device(runner: CliRunner, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    at(a, runner, "log", "warm", "--note", "sealed", "-q")
    out = tmp_path / "export.jsonl.age"
    at(a, runner, "export", "-F", "jsonl", "-o", str(out), "--encrypt", "--passphrase",
       input="pw\npw\n")  # fmt: skip
    at(b, runner, "import", str(out), input="pw\n")
    shown = at(b, runner, "list", "--json")
    assert [c["note"] for c in json.loads(shown.output)] == ["sealed"]


def test_an_encrypted_export_hides_the_notes(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "log", "warm", "--note", "sealed words", "-q")
    out = tmp_path / "export.csv.age"
    run(runner, "export", "-o", str(out), "--encrypt", "--passphrase", input="pw\npw\n")
    assert b"sealed words" not in out.read_bytes()


def test_a_wrong_passphrase_imports_nothing(runner: CliRunner, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    at(a, runner, "log", "warm", "-q")
    out = tmp_path / "export.csv.age"
    at(a, runner, "export", "-o", str(out), "--encrypt", "--passphrase", input="pw\npw\n")
    result = at(b, runner, "import", str(out), input="nope\n")
    assert (result.exit_code, at(b, runner, "list", "--json").output.strip()) == (2, "[]")


def test_encrypt_without_a_key_or_passphrase_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "export", "-o", str(tmp_path / "x.age"), "--encrypt")
    assert (result.exit_code, (tmp_path / "x.age").exists()) == (2, False)


def test_encrypt_needs_an_output_file(runner: CliRunner) -> None:
    assert run(runner, "export", "--encrypt").exit_code == 2


def test_an_encrypted_backup_restores(runner: CliRunner, home: Path, sync_dir: Path) -> None:
    run(runner, "sync", "init", str(sync_dir), "--encrypt")  # a key to encrypt to
    run(runner, "log", "warm", "--note", "kept", "-q")
    made = run(runner, "backup", "--encrypt")
    path = Path(made.output.strip().rsplit(" ", 1)[-1].rstrip("."))
    run(runner, "log", "numb", "--note", "later", "-q")
    run(runner, "restore", str(path), "--yes")
    shown = run(runner, "list", "--json")
    assert [c["note"] for c in json.loads(shown.output)] == ["kept"]


def test_an_encrypted_backup_leaves_no_plain_copy(
    runner: CliRunner, home: Path, sync_dir: Path
) -> None:
    run(runner, "sync", "init", str(sync_dir), "--encrypt")
    run(runner, "log", "warm", "-q")
    run(runner, "backup", "--encrypt")
    kept = [p.suffix for p in (home / "backups").iterdir() if not p.name.startswith(".")]
    assert kept == [".age"]


def test_an_encrypted_backup_with_another_key_restores_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for home in (a, b):
        folder = tmp_path / f"Sync-{home.name}"
        folder.mkdir()
        at(home, runner, "sync", "init", str(folder), "--encrypt")
    at(a, runner, "log", "warm", "-q")
    made = at(a, runner, "backup", str(tmp_path / "a.db.age"), "--encrypt")
    at(b, runner, "log", "numb", "--note", "mine", "-q")
    result = at(b, runner, "restore", str(tmp_path / "a.db.age"), "--yes")
    shown = at(b, runner, "list", "--json")
    assert (made.exit_code, result.exit_code, [c["note"] for c in json.loads(shown.output)]) == (
        0,
        2,
        ["mine"],
    )
