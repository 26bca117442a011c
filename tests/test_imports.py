"""Importing other apps' files: Daylio's backup, How We Feel and Bearable.

Fixtures are made by hand in the shape of each app's public exports (no real person's data):
tests/daylio_files.py builds the backups, tests/fixtures/ holds the CSVs.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack import exchange
from numbtrack.exchange.common import html_to_text
from numbtrack.store import Store

from . import daylio_files
from .conftest import run

FIXTURES = Path(__file__).parent / "fixtures"


def _by_time(path: Path, **kw: object) -> list:  # type: ignore[type-arg]
    return sorted(exchange.load(path, **kw).checkins, key=lambda c: c.at)  # type: ignore[arg-type]


def _write(home: Path, name: str, data: bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / name
    path.write_bytes(data)
    return path


# -- Daylio backup ---------------------------------------------------------------------------


def test_a_daylio_backup_is_recognised_by_its_contents(home: Path) -> None:
    path = _write(home, "no-suffix", daylio_files.android())
    assert exchange.load(path).kind == "Daylio backup"


def test_backup_local_time_takes_the_offset_into_account() -> None:
    night = _by_time(FIXTURES / "daylio_android.daylio")[-1]
    assert night.at.isoformat() == "2023-01-25T01:30:00+02:00"


def test_backup_day_comes_from_datetime_not_the_month_field() -> None:
    morning = _by_time(FIXTURES / "daylio_android.daylio")[2]
    assert morning.day.isoformat() == "2023-01-24"


def test_backup_negative_offset() -> None:
    evening = _by_time(FIXTURES / "daylio_android.daylio")[1]
    assert evening.at.isoformat() == "2023-01-04T20:00:00-05:00"


def test_backup_moods_and_activities_become_what_the_csv_import_makes() -> None:
    night = _by_time(FIXTURES / "daylio_android.daylio")[-1]
    assert night.tags == ("mood:far-away", "work", "bad-sleep")


def test_backup_predefined_mood_names_and_favorite() -> None:
    morning = _by_time(FIXTURES / "daylio_android.daylio")[2]
    assert morning.tags == ("mood:rad", "movies-tv", "dormir-tôt", "favorite")


def test_backup_note_title_and_html_note_become_plain_text() -> None:
    night = _by_time(FIXTURES / "daylio_android.daylio")[-1]
    assert night.note == "Night\n\nFelt far away.\nTea helped & a walk."


def test_backup_lists_and_divs_become_lines() -> None:
    morning = _by_time(FIXTURES / "daylio_android.daylio")[2]
    assert morning.note == "Good morning\nsee https://example.org/a\n- one\n- two"


def test_ios_backup_with_crlf_wrapping_and_omitted_notes_reads_the_same() -> None:
    android = [(c.at, c.tags, c.note) for c in _by_time(FIXTURES / "daylio_android.daylio")]
    ios = [(c.at, c.tags, c.note) for c in _by_time(FIXTURES / "daylio_ios.daylio")]
    assert ios == android


def test_mood_map_applies_to_a_backup_as_to_the_csv() -> None:
    night = _by_time(
        FIXTURES / "daylio_android.daylio", mood_map={"far away": "distant", "rad": "joyful"}
    )[-1]
    assert (night.words, night.state, night.tags) == (["distant"], "numb", ("work", "bad-sleep"))


def test_the_unpacked_backup_json_is_accepted_too(home: Path) -> None:
    path = _write(home, "backup.json", json.dumps(daylio_files.backup()).encode())
    assert len(exchange.load(path).checkins) == 4


def test_the_base64_member_on_its_own_is_accepted_too(home: Path) -> None:
    path = _write(home, "backup.daylio", daylio_files.encode(daylio_files.backup()))
    assert exchange.load(path).kind == "Daylio backup"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("a<br>b<br/>c", "a\nb\nc"),
        ("<b>bold</b> <i>it</i> <u>u</u> <strike>s</strike>", "bold it u s"),
        ('<font color="#f00">red</font><span style="x">!</span>', "red!"),
        ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
        ("I &lt;3 tea &amp; toast&nbsp;&#39;", "I <3 tea & toast '"),
        ("I <3 tea and a < b", "I <3 tea and a < b"),
        ("line\r\nnext", "line\nnext"),
    ],
)
def test_html_notes_become_plain_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


# -- How We Feel -----------------------------------------------------------------------------


def test_how_we_feel_is_recognised_by_its_header() -> None:
    assert exchange.load(FIXTURES / "howwefeel.csv").kind == "How We Feel CSV"


def test_how_we_feel_dates_are_local_times() -> None:
    times = [c.at.strftime("%Y-%m-%d %H:%M") for c in _by_time(FIXTURES / "howwefeel.csv")]
    assert times == ["2026-02-05 21:00", "2026-02-06 07:45", "2026-02-07 11:10", "2026-02-08 16:04"]


def test_how_we_feel_words_map_onto_the_vocabulary() -> None:
    numb_day = _by_time(FIXTURES / "howwefeel.csv")[-1]
    assert (numb_day.words, numb_day.state) == (["numb", "apathetic", "tired"], "mixed")


def test_how_we_feel_spellings_and_own_words() -> None:
    loaded = exchange.load(FIXTURES / "howwefeel.csv")
    day = sorted(loaded.checkins, key=lambda c: c.at)[2]
    assert [(f.word, f.custom) for f in day.feelings] == [("panicky", False), ("glimmery", True)]


def test_how_we_feel_report_names_own_words_and_dropped_columns() -> None:
    lines = "\n".join(exchange.load(FIXTURES / "howwefeel.csv").report.lines())
    assert "glimmery (1)" in lines
    assert 'column "Steps"' in lines
    assert "Panicked -> panicky" in lines


def test_how_we_feel_tags_sleep_and_context() -> None:
    numb_day = _by_time(FIXTURES / "howwefeel.csv")[-1]
    assert numb_day.tags == ("partner", "home", "work", "weather:clouds", "caffeine")


def test_how_we_feel_sleep_becomes_sleep_hours() -> None:
    numb_day = _by_time(FIXTURES / "howwefeel.csv")[-1]
    assert numb_day.sleep_hours == pytest.approx(7.9167, abs=1e-3)


def test_how_we_feel_exercise_becomes_movement() -> None:
    assert _by_time(FIXTURES / "howwefeel.csv")[1].practices == ("movement",)


def test_how_we_feel_reflections_and_takeaways_stay_in_the_note() -> None:
    day = _by_time(FIXTURES / "howwefeel.csv")[2]
    assert day.note == "Reflection: I noticed my hands were cold\n\nTakeaway: Slow down"


def test_newer_how_we_feel_export_with_keys_and_json_reflections() -> None:
    first, second = exchange.load(FIXTURES / "howwefeel_keys.csv").checkins
    assert first.note == (
        "Reflection: What went well?\n\nReflection: The walk\n\nTakeaway: Rest more"
    )
    assert first.id != second.id  # two entries in the same minute stay two


# -- Bearable --------------------------------------------------------------------------------


def test_bearable_items_of_one_moment_become_one_checkin() -> None:
    assert len(exchange.load(FIXTURES / "bearable_old.csv").checkins) == 6


def test_bearable_slots_become_documented_clock_times() -> None:
    checkins = exchange.load(FIXTURES / "bearable_old.csv").checkins
    times = {c.at.strftime("%d %H:%M") for c in checkins}
    assert {"22 03:00", "22 12:00", "22 15:00", "22 21:00"} <= times


def test_bearable_symptoms_with_a_clear_region_become_sensations() -> None:
    pm = next(c for c in _by_time(FIXTURES / "bearable_old.csv") if c.at.hour == 21)
    assert [s.spec() for s in pm.sensations] == ["head:ache:1", "back:ache:3"]


def test_bearable_other_symptoms_become_tags_with_their_severity() -> None:
    pm = next(c for c in _by_time(FIXTURES / "bearable_old.csv") if c.at.hour == 21)
    assert "anxiety:moderate" in pm.tags


def test_bearable_factors_become_practices_where_one_fits() -> None:
    pm = next(c for c in _by_time(FIXTURES / "bearable_old.csv") if c.at.hour == 21)
    assert (pm.practices, "high-screen-time" in pm.tags) == (("movement", "music"), True)


def test_bearable_mood_words_become_feelings_and_the_rating_a_tag() -> None:
    first = _by_time(FIXTURES / "bearable_old.csv")[0]
    assert ([f.word for f in first.feelings], first.tags[0]) == (["meh", "anxious"], "mood:6")


def test_bearable_meds_keep_their_dose_in_the_note() -> None:
    first = _by_time(FIXTURES / "bearable_old.csv")[0]
    assert (first.tags[-1], first.note) == ("med:sertraline", "couldn't sleep\nSertraline 50 mg")


def test_newer_bearable_header_sleep_and_group_factors() -> None:
    day = next(c for c in _by_time(FIXTURES / "bearable_new.csv") if c.at.hour == 12)
    assert (day.sleep_hours, day.practices, day.tags) == (
        7.75,
        ("movement",),
        ("sleep-quality:3", "sick", "screen-time:high"),
    )


def test_bearable_unbearable_severity_is_the_highest_intensity_it_has() -> None:
    am = next(c for c in _by_time(FIXTURES / "bearable_new.csv") if c.at.hour == 9)
    assert [s.spec() for s in am.sensations] == ["stomach:nauseous:2", "chest:tight:4"]


def test_bearable_unknown_categories_are_kept_in_the_note_and_named() -> None:
    loaded = exchange.load(FIXTURES / "bearable_new.csv")
    assert any(c.note == "Steps: 8042" for c in loaded.checkins)
    assert "Steps -> kept in the note" in "\n".join(loaded.report.lines())


# -- every format, through the command line -------------------------------------------------

ALL = ["daylio_android.daylio", "daylio_ios.daylio", "howwefeel.csv", "bearable_old.csv",
       "bearable_new.csv", "howwefeel_keys.csv"]  # fmt: skip


@pytest.mark.parametrize("name", ALL)
def test_importing_the_same_file_twice_adds_nothing(
    runner: CliRunner, home: Path, name: str
) -> None:
    assert run(runner, "import", str(FIXTURES / name)).exit_code == 0
    r = run(runner, "import", str(FIXTURES / name))
    assert " 0 added, 0 updated" in r.output


@pytest.mark.parametrize("name", ALL)
def test_dry_run_writes_nothing(runner: CliRunner, home: Path, name: str) -> None:
    r = run(runner, "import", str(FIXTURES / name), "--dry-run")
    assert r.exit_code == 0
    assert "Nothing was written" in r.output
    with Store() as store:
        assert store.count() == 0


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("howwefeel.csv", "bearable"), ("bearable_old.csv", "howwefeel"), ("howwefeel.csv", "daylio")],
)
def test_format_overrides_detection_and_says_what_is_wrong(
    runner: CliRunner, home: Path, name: str, fmt: str
) -> None:
    r = run(runner, "import", str(FIXTURES / name), "--format", fmt)
    assert (r.exit_code, "Line 1" in r.stderr) == (2, True)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _entries(*entries: dict) -> bytes:  # type: ignore[type-arg]
    data = daylio_files.backup()
    data["dayEntries"] = list(entries)
    return daylio_files.pack(daylio_files.encode(data))


GOOD_ENTRY = {"id": 9, "datetime": 1674550757766, "timeZoneOffset": 0, "mood": 1, "tags": []}

DEEP = "[" * 100_000 + "]" * 100_000

B7 = b"date,weekday,time of day,category,rating/amount,detail,notes\n"
B8 = b"date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n"

MALFORMED = {
    "truncated zip": ("a.daylio", daylio_files.android()[:200], "not a complete ZIP"),
    "zip without member": ("b.daylio", _zip({"other.txt": b"x"}), "holds no backup.daylio"),
    "bad base64": ("c.daylio", _zip({"backup.daylio": b"!!!not base64!!!"}), "not valid base64"),
    "base64 of binary": (
        "d.daylio",
        _zip({"backup.daylio": base64.b64encode(b"\xff\xfe\x00")}),
        "not UTF-8",
    ),
    "base64 of broken json": (
        "e.daylio",
        _zip({"backup.daylio": base64.b64encode(b'{"dayEntries": [')}),
        "JSON is damaged",
    ),
    "deep json": (
        "f.daylio",
        _zip({"backup.daylio": base64.b64encode(DEEP.encode())}),
        "nested too deeply",
    ),
    "no dayEntries": (
        "g.daylio",
        _zip({"backup.daylio": base64.b64encode(b'{"version": 15}')}),
        'no "dayEntries"',
    ),
    "entry not an object": ("h.daylio", _entries(GOOD_ENTRY, 7), "Entry 2 of dayEntries"),  # type: ignore[arg-type]
    "impossible offset": (
        "i.daylio",
        _entries({**GOOD_ENTRY, "timeZoneOffset": 10**12}),
        "Entry 1 (id 9): the time zone offset",
    ),
    "datetime out of range": (
        "j.daylio",
        _entries({**GOOD_ENTRY, "datetime": 10**20}),
        "Entry 1 (id 9): the time",
    ),
    "no time at all": (
        "k.daylio",
        _entries({"id": 3, "mood": 1}),
        "Entry 1 (id 3): it has no datetime",
    ),
    "huge note": (
        "l.daylio",
        _entries({**GOOD_ENTRY, "note": "x" * 100_001}),  # models.MAX_NOTE is 100,000
        "Entry 1 (id 9): A note can be at most",
    ),
    "hwf bad date": (
        "hwf.csv",
        b"Date,Mood,Tags (People),Notes\n2026 Sun Feb 8 4:04 PM,Calm,,\n"
        b"2026 Sun Feb 31 4:04 PM,Calm,,\n",
        'Line 3: "2026 Sun Feb 31 4:04 PM" is not a date',
    ),
    "hwf bad sleep": (
        "hwf2.csv",
        b"Date,Mood,Sleep,Reflections\n2026 Sun Feb 8 4:04 PM,Calm,lots,\n",
        'Line 2: Sleep should be a number, not "lots"',
    ),
    "hwf sleep out of range": (
        "hwf3.csv",
        b"Date,Mood,Sleep,Reflections\n2026 Sun Feb 8 4:04 PM,Calm,30,\n",
        "Line 2: Sleep is a number of hours from 0 to 24",
    ),
    "hwf huge cell": (
        "hwf4.csv",
        b'Date,Mood,Notes,Reflections\n2026 Sun Feb 8 4:04 PM,Calm,"' + b"x" * 200_000 + b'",\n',
        "Line 2: a cell is longer than 101,000 characters",
    ),
    "hwf too many cells": (
        "hwf5.csv",
        b"Date,Mood,Notes,Reflections\n2026 Sun Feb 8 4:04 PM,Calm,a,b,c,d\n",
        "Line 2: expected 4 cells, found 6",
    ),
    "bearable bad date": (
        "b1.csv",
        B7 + b'"32nd Sep 2020","","am","Mood","5","",""\n',
        'Line 2: "32nd Sep 2020" is not a date',
    ),
    "bearable bad time": (
        "b2.csv",
        B7 + b'"2nd Sep 2020","","teatime","Mood","5","",""\n',
        'Line 2: "teatime" is not a time of day',
    ),
    "bearable bad sleep": (
        "b3.csv",
        B7 + b'"2nd Sep 2020","","","Sleep","7:75","",""\n',
        'Line 2: "7:75" is not a sleep duration',
    ),
    "bearable short row": (
        "b4.csv",
        B7 + b'"2nd Sep 2020","","am"\n',
        "Line 2: expected 7 cells, found 3",
    ),
    "bearable bad formatted date": (
        "b5.csv",
        B8 + b'"2nd Sep 2020","2020-13-02","","am","Mood","5","",""\n',
        'Line 2: "2020-13-02" is not a date like 2020-09-22',
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_file_is_one_sentence_exit_2_and_nothing_written(
    runner: CliRunner, home: Path, case: str
) -> None:
    name, data, message = MALFORMED[case]
    run(runner, "log", "calm", "-q")
    path = _write(home, name, data)
    r = run(runner, "import", str(path))
    assert (r.exit_code, message in r.stderr, len(r.stderr.strip().splitlines())) == (2, True, 1)
    with Store() as store:
        assert store.count() == 1


# -- importing again with a fuller mood map (issue 14.5) -------------------------------------


@pytest.mark.parametrize("name", ["daylio_new_bom_12h.csv", "daylio_android.daylio"])
def test_a_fuller_mood_map_updates_what_the_earlier_import_derived(home: Path, name: str) -> None:
    path = FIXTURES / name
    with Store() as store:
        store.put_many(exchange.load(path).checkins, derived=True)
        fuller = exchange.load(path, mood_map={"meh": "flat", "rad": "joyful", "good": "content"})
        result = store.put_many(fuller.checkins, derived=True)
        assert (result.updated, result.edited, result.conflicts) == (2, 0, 0)


@pytest.mark.parametrize("name", ["daylio_new_bom_12h.csv", "daylio_android.daylio"])
def test_the_new_mapping_replaces_the_mood_tag_with_the_word(home: Path, name: str) -> None:
    path = FIXTURES / name
    with Store() as store:
        store.put_many(exchange.load(path).checkins, derived=True)
        store.put_many(exchange.load(path, mood_map={"meh": "flat"}).checkins, derived=True)
        flat = [c for c in store.iter_all() if "flat" in c.words]
        assert [("mood:meh" in c.tags, c.state) for c in flat] == [(False, "numb")]


def test_a_checkin_edited_since_the_import_is_left_alone(home: Path) -> None:
    from dataclasses import replace

    path = FIXTURES / "daylio_new_bom_12h.csv"
    with Store() as store:
        store.put_many(exchange.load(path).checkins, derived=True)
        meh = next(c for c in store.iter_all() if "mood:meh" in c.tags)
        store.update(replace(meh, note="my own words now"))
        result = store.put_many(
            exchange.load(path, mood_map={"meh": "flat", "good": "content"}).checkins,
            derived=True,
        )
        assert (result.updated, result.edited, store.get(meh.id).note) == (
            1,
            1,
            "my own words now",
        )


# -- what the command line says ---------------------------------------------------------------


def test_dry_run_shows_the_mood_labels_it_used(runner: CliRunner, home: Path) -> None:
    r = run(runner, "import", str(FIXTURES / "daylio_android.daylio"), "--dry-run")
    assert "love it -> tag mood:love-it (1)" in r.output


def test_dry_run_names_what_is_not_kept(runner: CliRunner, home: Path) -> None:
    r = run(runner, "import", str(FIXTURES / "daylio_android.daylio"), "--dry-run")
    assert "Not kept: photo and recording files in the backup (1)" in r.output


def test_dry_run_names_own_words_and_symptoms(runner: CliRunner, home: Path) -> None:
    r = run(runner, "import", str(FIXTURES / "bearable_old.csv"), "--dry-run")
    assert "Headache (Mild) -> head:ache:1" in r.output
    assert "optimistic (1)" in r.output


def test_dry_run_says_what_would_be_added(runner: CliRunner, home: Path) -> None:
    r = run(runner, "import", str(FIXTURES / "howwefeel.csv"), "--dry-run")
    assert "Would import 4 check-ins from howwefeel.csv (How We Feel CSV" in r.output


def test_reimport_with_a_fuller_map_says_how_many_changed(runner: CliRunner, home: Path) -> None:
    path = str(FIXTURES / "daylio_new_bom_12h.csv")
    run(runner, "import", path)
    r = run(runner, "import", path, "--mood-map", "meh=flat,good=content")
    assert "2 check-ins an earlier import brought in were updated" in r.output


def test_reimport_says_how_many_edited_ones_were_left_alone(runner: CliRunner, home: Path) -> None:
    path = str(FIXTURES / "daylio_new_bom_12h.csv")
    run(runner, "import", path)
    with Store() as store:
        meh = next(c for c in store.iter_all() if "mood:meh" in c.tags)
    run(runner, "edit", meh.id, "--note", "mine now")
    r = run(runner, "import", path, "--mood-map", "meh=flat,good=content")
    assert "1 check-in you edited since the earlier import was left as you made it." in r.output


def test_the_backup_takes_a_mood_map_through_the_command_line(
    runner: CliRunner, home: Path
) -> None:
    path = str(FIXTURES / "daylio_ios.daylio")
    assert run(runner, "import", path, "--mood-map", "far away=distant").exit_code == 0
    with Store() as store:
        assert sorted(w for c in store.iter_all() for w in c.words) == ["distant"]


@pytest.mark.parametrize("name", ["daylio_new_bom_12h.csv", "daylio_android.daylio"])
def test_an_unknown_mood_map_word_says_what_the_map_takes(
    runner: CliRunner, home: Path, name: str
) -> None:
    """import has no --new-word: the refusal points at the words a map can name."""
    r = run(runner, "import", str(FIXTURES / name), "--mood-map", "meh=zorbly")
    said = r.stderr.strip()
    assert (r.exit_code, "numbtrack words" in said, "--new-word" in said) == (2, True, False)
    with Store() as store:
        assert store.count() == 0


def test_mood_map_is_refused_for_other_apps(runner: CliRunner, home: Path) -> None:
    r = run(runner, "import", str(FIXTURES / "howwefeel.csv"), "--mood-map", "meh=flat")
    assert (r.exit_code, "only for Daylio" in r.stderr) == (2, True)


def test_an_unknown_format_lists_the_formats(runner: CliRunner, home: Path) -> None:
    r = run(runner, "import", str(FIXTURES / "howwefeel.csv"), "--format", "hwf")
    assert (r.exit_code, "'howwefeel', 'bearable'" in r.stderr) == (2, True)


# -- ids stay what they were ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "2024-03-01|11:00 pm|meh|work|a &amp; b|1", "é" * 300])
def test_the_fast_uuid5_is_uuid5(name: str) -> None:
    import uuid

    from numbtrack.exchange.common import uuid5

    assert uuid5(uuid.NAMESPACE_URL, name) == str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def test_daylio_csv_ids_are_derived_as_before_html_notes_were_read(home: Path) -> None:
    import uuid

    from numbtrack.exchange.daylio import NAMESPACE

    path = _write(
        home,
        "d.csv",
        b"full_date,date,weekday,time,mood,activities,note\n"
        b"2024-03-01,March 1,Friday,9:00 am,meh,work,tea &amp; <b>toast</b><br>ok\n",
    )
    (c,) = exchange.load(path).checkins
    key = "2024-03-01|9:00 am|meh|work|tea &amp; <b>toast</b>\nok|1"
    assert (c.id, c.note) == (str(uuid.uuid5(NAMESPACE, key)), "tea & toast\nok")


def test_backup_times_follow_the_file_not_this_machines_zone(tz: None) -> None:
    night = _by_time(FIXTURES / "daylio_android.daylio")[-1]
    assert night.at.isoformat() == "2023-01-25T01:30:00+02:00"


def test_how_we_feel_times_are_read_in_this_machines_zone(tz: None) -> None:
    winter = _by_time(FIXTURES / "howwefeel.csv")[-1]
    assert winter.at.isoformat() == "2026-02-08T16:04:00+01:00"


def test_bearable_severity_none_is_a_tag_not_a_sensation(home: Path) -> None:
    path = _write(
        home, "b.csv", B7 + b'"2nd Sep 2020","","am","Symptom","0","Headache (None)",""\n'
    )
    (c,) = exchange.load(path).checkins
    assert (c.sensations, c.tags) == ((), ("headache:none",))


def test_a_member_that_would_unpack_too_large_is_refused(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from numbtrack.exchange import daylio_backup

    monkeypatch.setattr(daylio_backup, "MAX_MEMBER_BYTES", 1000)
    path = _write(home, "big.daylio", daylio_files.android())
    r = run(runner, "import", str(path))
    assert (r.exit_code, "would unpack to more than" in r.stderr) == (2, True)


def test_a_folder_is_not_a_file(runner: CliRunner, home: Path) -> None:
    (home / "folder.daylio").mkdir(parents=True)
    r = run(runner, "import", str(home / "folder.daylio"))
    assert (r.exit_code, "is a folder" in r.stderr) == (2, True)


def test_unknown_activity_ids_are_named_not_fatal(home: Path) -> None:
    path = _write(home, "x.daylio", _entries({**GOOD_ENTRY, "tags": [1, 99]}))
    loaded = exchange.load(path)
    assert (
        loaded.checkins[0].tags,
        loaded.report.not_kept["activities missing from the tags list"],
    ) == (
        ("mood:rad", "work"),
        1,
    )


@pytest.mark.parametrize("name", ["howwefeel.csv", "bearable_old.csv"])
def test_a_header_alone_imports_nothing_quietly(runner: CliRunner, home: Path, name: str) -> None:
    header = (FIXTURES / name).read_bytes().split(b"\n", 1)[0] + b"\n"
    r = run(runner, "import", str(_write(home, name, header)))
    assert (r.exit_code, "Imported 0 check-ins" in r.output) == (0, True)
