"""No silent renames (issue 14, point 2): a name typed as an alias of another ("walk" for the
practice "movement") is kept beside what it became, shown by `show` and the dashboard's
detail, carried by numbtrack's own exports and by sync, and left out entirely for check-ins
without one, whose every output stays as it was."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack.exchange.records import to_dict
from numbtrack.models import CheckIn, Typed, revise, validate
from numbtrack.store import Store
from numbtrack.sync import files

from .conftest import run, stored_count
from .sync.helpers import Device


def logged(runner: CliRunner, *args: str) -> str:
    r = run(runner, "log", *args)
    assert r.exit_code == 0, r.output
    with Store() as store:
        found = store.last_added()
    assert found is not None
    return found.id


def show(runner: CliRunner, cid: str, *home: str) -> str:
    return str(run(runner, *home, "show", cid).output)


# -- show ------------------------------------------------------------------------------


def test_show_says_what_a_practice_alias_was_counted_as(runner: CliRunner) -> None:
    """The exact gap of issue 14: `show` could not say "walk, counted as movement"."""
    cid = logged(runner, "--practice", "walk")
    assert "as typed    walk, counted as movement" in show(runner, cid)


def test_show_says_what_a_region_alias_was_counted_as(runner: CliRunner) -> None:
    cid = logged(runner, "--body", "heart:tight")
    assert "heart, counted as chest" in show(runner, cid)


def test_show_says_what_a_quality_alias_was_counted_as(runner: CliRunner) -> None:
    cid = logged(runner, "--body", "head:foggy")
    assert "foggy, counted as fog" in show(runner, cid)


def test_show_says_what_a_feeling_alias_was_counted_as(runner: CliRunner) -> None:
    cid = logged(runner, "mad")
    assert "mad, counted as angry" in show(runner, cid)


def test_show_of_a_checkin_without_aliases_has_no_typed_line(runner: CliRunner) -> None:
    cid = logged(runner, "calm", "--practice", "movement", "--body", "chest:tight")
    assert "as typed" not in show(runner, cid)


def test_another_spelling_is_not_a_rename(runner: CliRunner) -> None:
    cid = logged(runner, "Auto-Pilot", "--practice", "Music")
    assert "counted as" not in show(runner, cid)


def test_the_saved_line_says_it_too(runner: CliRunner) -> None:
    r = run(runner, "log", "--practice", "shower")
    assert "  shower, counted as temperature." in r.output


def test_the_store_keeps_the_resolved_name(runner: CliRunner) -> None:
    logged(runner, "--practice", "walk")
    with Store() as store:
        c = store.last_added()
    assert c is not None and c.practices == ("movement",)


def test_the_store_keeps_the_typed_name_beside_it(runner: CliRunner) -> None:
    logged(runner, "--practice", "walk")
    with Store() as store:
        c = store.last_added()
    assert c is not None and c.typed == (Typed("practice", "walk", "movement"),)


def test_the_dashboard_detail_shows_the_typed_name(runner: CliRunner) -> None:
    from rich.console import Console

    from numbtrack.tui.entries import detail_grid

    logged(runner, "--practice", "walk")
    with Store() as store:
        c = store.last_added()
    assert c is not None
    console = Console(width=80, record=True, color_system=None)
    console.print(detail_grid(c))
    assert "walk, counted as movement" in console.export_text()


# -- edit and undo ---------------------------------------------------------------------


def test_an_edit_of_the_note_keeps_the_typed_name(runner: CliRunner) -> None:
    cid = logged(runner, "--practice", "walk")
    run(runner, "edit", cid[:8], "--note", "around the lake")
    assert "walk, counted as movement" in show(runner, cid)


def test_an_edit_of_the_practices_drops_what_was_typed_for_them(runner: CliRunner) -> None:
    cid = logged(runner, "--practice", "walk")
    run(runner, "edit", cid[:8], "--practice", "music")
    assert "walk, counted as" not in show(runner, cid)


def test_an_edit_says_what_its_own_alias_was_counted_as(runner: CliRunner) -> None:
    cid = logged(runner, "calm")
    r = run(runner, "edit", cid[:8], "--practice", "yoga")
    assert "  yoga, counted as movement." in r.output


def test_undo_of_an_edit_brings_the_typed_name_back(runner: CliRunner) -> None:
    cid = logged(runner, "--practice", "walk")
    run(runner, "edit", cid[:8], "--practice", "music")
    run(runner, "undo", "--yes")
    assert "walk, counted as movement" in show(runner, cid)


def test_revise_keeps_typed_names_of_parts_it_does_not_change() -> None:
    c = validate(CheckIn(at=_now(), practices=("walk",), tags=("x",)))
    assert revise(c, tags=("y",)).typed == c.typed


def test_validate_twice_is_validate_once() -> None:
    c = validate(CheckIn(at=_now(), practices=("walk",)))
    assert validate(c) == c


def _now() -> datetime:
    return datetime(2026, 11, 20, 21, 30).astimezone()


# -- exports and imports ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_the_typed_name_round_trips_through_an_export(
    runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    cid = logged(runner, "--practice", "walk")
    out = tmp_path / f"out.{fmt}"
    run(runner, "export", "-F", fmt, "-o", str(out))
    other = tmp_path / "other"
    run(runner, "--home", str(other), "import", str(out))
    assert "walk, counted as movement" in show(runner, cid, "--home", str(other))


def test_a_csv_export_without_aliases_has_the_header_it_always_had(runner: CliRunner) -> None:
    logged(runner, "calm", "--practice", "movement")
    header = run(runner, "export").output.splitlines()[0]
    assert header == (
        "id,at,day,can_feel,state,feelings,sensations,practices,tags,sleep_hours,note,"
        "created_at,updated_at"
    )


def test_a_csv_export_with_an_alias_ends_with_a_typed_column(runner: CliRunner) -> None:
    logged(runner, "--practice", "walk")
    header = run(runner, "export").output.splitlines()[0]
    assert header.endswith(",updated_at,typed")


def test_a_csv_typed_cell_names_kind_typed_and_name(runner: CliRunner) -> None:
    logged(runner, "--practice", "walk")
    row = run(runner, "export").output.splitlines()[1]
    assert row.endswith(",practice:walk=movement")


def test_json_of_a_checkin_without_aliases_has_no_typed_key(runner: CliRunner) -> None:
    logged(runner, "calm")
    assert "typed" not in json.loads(run(runner, "list", "--json").output)[0]


def test_list_all_json_carries_the_typed_name(runner: CliRunner) -> None:
    logged(runner, "--practice", "walk")
    record = json.loads(run(runner, "list", "--all", "--json").output)[0]
    assert record["typed"] == [{"kind": "practice", "typed": "walk", "name": "movement"}]


def test_list_all_json_is_the_json_of_each_checkin(runner: CliRunner) -> None:
    logged(runner, "--practice", "walk")
    logged(runner, "calm")
    with Store() as store:
        expected = [to_dict(c) for c in store.query(limit=None)]
    assert json.loads(run(runner, "list", "--all", "--json").output) == expected


def test_an_older_export_without_the_field_still_imports(
    runner: CliRunner, tmp_path: Path, home: Path
) -> None:
    line = {
        "id": "0b7e5a52-5d1c-4f0e-9d55-0c1f7f1d2a10",
        "at": "2026-11-20T21:30:00+01:00",
        "practices": ["movement"],
    }
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    run(runner, "import", str(path))
    assert stored_count(home) == 1


def test_an_older_csv_export_still_imports(runner: CliRunner, tmp_path: Path, home: Path) -> None:
    logged(runner, "calm", "--practice", "movement")
    out = tmp_path / "old.csv"
    run(runner, "export", "-o", str(out))
    other = tmp_path / "other"
    r = run(runner, "--home", str(other), "import", str(out))
    assert r.exit_code == 0


def test_a_typed_name_of_an_unknown_kind_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    line = {
        "id": "0b7e5a52-5d1c-4f0e-9d55-0c1f7f1d2a10",
        "at": "2026-11-20T21:30:00+01:00",
        "practices": ["movement"],
        "typed": [{"kind": "mood", "typed": "walk", "name": "movement"}],
    }
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    r = run(runner, "import", str(path))
    assert r.exit_code == 2


def test_a_huge_typed_name_is_refused_without_being_echoed(
    runner: CliRunner, tmp_path: Path
) -> None:
    line = {
        "id": "0b7e5a52-5d1c-4f0e-9d55-0c1f7f1d2a10",
        "at": "2026-11-20T21:30:00+01:00",
        "practices": ["movement"],
        "typed": [{"kind": "practice", "typed": "w" * 100_000, "name": "movement"}],
    }
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    r = run(runner, "import", str(path))
    assert len(r.stderr) < 300


def test_a_typed_name_for_a_part_the_checkin_lacks_is_left_out() -> None:
    c = validate(CheckIn(at=_now(), tags=("x",), typed=(Typed("practice", "walk", "movement"),)))
    assert c.typed == ()


# -- the store and its migration ---------------------------------------------------------


def test_deleting_a_checkin_removes_its_typed_names(runner: CliRunner, home: Path) -> None:
    cid = logged(runner, "--practice", "walk")
    run(runner, "delete", cid[:8], "--yes")
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
        assert conn.execute("SELECT count(*) FROM typed_names").fetchone()[0] == 0


def _as_before_m008(home: Path) -> None:
    """Turn the store back into what it was before typed names were kept."""
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn, conn:
        conn.execute("DROP TABLE typed_names")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_create_typed_names'")


def test_an_older_store_with_data_keeps_its_checkins_after_the_upgrade(
    runner: CliRunner, home: Path
) -> None:
    logged(runner, "calm")
    logged(runner, "flat")
    _as_before_m008(home)
    assert stored_count(home) == 2


def test_an_older_store_keeps_typed_names_after_the_upgrade(runner: CliRunner, home: Path) -> None:
    logged(runner, "calm")
    _as_before_m008(home)
    cid = logged(runner, "--practice", "walk")
    assert "walk, counted as movement" in show(runner, cid)


def test_an_older_store_is_backed_up_before_the_upgrade(runner: CliRunner, home: Path) -> None:
    logged(runner, "calm")
    _as_before_m008(home)
    Store().close()
    assert len(list((home / "backups").glob("*before-upgrade.db"))) == 1


def test_checkins_from_before_the_upgrade_show_as_before(runner: CliRunner, home: Path) -> None:
    cid = logged(runner, "calm", "--practice", "movement")
    before = show(runner, cid)
    _as_before_m008(home)
    assert show(runner, cid) == before


# -- sync ------------------------------------------------------------------------------


def _devices(tmp_path: Path) -> tuple[Device, Device]:
    folder = tmp_path / "Sync"
    folder.mkdir()
    return Device(tmp_path / "a", folder, "a"), Device(tmp_path / "b", folder, "b")


def _versions(folder: Path) -> list[int]:
    found = []
    for path in sorted(folder.rglob("*.jsonl")):
        found.append(json.loads(path.read_text(encoding="utf-8").splitlines()[0])["version"])
    return found


def test_sync_carries_the_typed_name(tmp_path: Path) -> None:
    a, b = _devices(tmp_path)
    try:
        c = a.store.add(CheckIn(at=_now(), practices=("walk",)))
        a.sync()
        b.sync()
        assert b.store.get(c.id).typed == (Typed("practice", "walk", "movement"),)
    finally:
        a.close()
        b.close()


def test_a_sync_file_without_typed_names_stays_version_1(tmp_path: Path) -> None:
    a, b = _devices(tmp_path)
    try:
        a.log("calm")
        a.sync()
        assert _versions(tmp_path / "Sync") == [1]
    finally:
        a.close()
        b.close()


def test_a_sync_file_with_typed_names_is_version_2(tmp_path: Path) -> None:
    a, b = _devices(tmp_path)
    try:
        a.store.add(CheckIn(at=_now(), practices=("walk",)))
        a.sync()
        assert _versions(tmp_path / "Sync") == [2]
    finally:
        a.close()
        b.close()


def test_this_numbtrack_reads_version_2() -> None:
    assert files.VERSION == 2


def test_an_older_devices_version_without_typed_names_wins_when_newer(tmp_path: Path) -> None:
    """An older numbtrack's edit carries no typed names: it is the newest version, so every
    device ends with it, without them."""
    a, b = _devices(tmp_path)
    try:
        c = a.store.add(CheckIn(at=_now(), practices=("walk",)))
        a.sync()
        b.sync()
        older = b.store.get(c.id)
        b.store.put_many([validate(CheckIn(**{**_fields(older), "note": "edited", "typed": ()}))])
        b.sync()
        a.sync()
        assert (a.store.get(c.id).typed, a.store.get(c.id).note) == ((), "edited")
    finally:
        a.close()
        b.close()


def _fields(c: CheckIn) -> dict[str, object]:
    from dataclasses import fields

    out = {f.name: getattr(c, f.name) for f in fields(c)}
    out["updated_at"] = _later(c.updated_at)
    return out


def _later(stamp: str) -> str:
    from datetime import datetime, timedelta

    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ") + timedelta(seconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# -- the dashboard's form ----------------------------------------------------------------


async def test_a_word_typed_in_the_dashboard_form_keeps_what_it_was_typed_as(
    home: Path,
) -> None:
    from textual.widgets import Input

    from .test_dash import SIZE, app, settle

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-words", Input).value = "mad"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store() as store:
        [c] = list(store.iter_all())
    assert c.typed == (Typed("word", "mad", "angry"),)
