"""Other apps' files repeat the same moods, words, tags and symptoms for years, and their
importers work each of them out once: what a repeat becomes, and what is said of it, is what
the first one became, counted every time; and what differs from row to row is still checked
on every row."""

from __future__ import annotations

from pathlib import Path

import pytest

from numbtrack import exchange
from numbtrack.errors import InvalidInput

from . import daylio_files

FIXTURES = Path(__file__).parent / "fixtures"
HWF = (FIXTURES / "howwefeel.csv").read_text(encoding="utf-8").split("\n", 1)[0] + "\n"
B8 = "date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n"
ENTRY = {"id": 9, "datetime": 1674550757766, "timeZoneOffset": 0, "mood": 1, "tags": [1]}


def _write(home: Path, name: str, data: str | bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _backup(home: Path, *entries: dict, moods: list | None = None) -> Path:  # type: ignore[type-arg]
    data = daylio_files.backup()
    data["dayEntries"] = list(entries)
    if moods is not None:
        data["customMoods"] = moods
    return _write(home, "x.daylio", daylio_files.pack(daylio_files.encode(data)))


def _hwf_row(when: str, mood: str, note: str = "", exercise: str = "") -> str:
    cells = [when, mood, "Partner", "", "", exercise, "", "", "", "", "", "", "", "", ""]
    return ",".join([*cells, f'"{note}"', "", ""]) + "\n"


# -- Daylio backup ---------------------------------------------------------------------------


def test_backup_true_as_an_activity_id_is_not_activity_1(home: Path) -> None:
    path = _backup(home, ENTRY, {**ENTRY, "id": 10, "tags": [True]})
    second = exchange.load(path).checkins[1]
    assert second.tags == ("mood:rad",)


def test_backup_true_as_an_activity_id_is_counted_as_missing(home: Path) -> None:
    path = _backup(home, ENTRY, {**ENTRY, "id": 10, "tags": [True]})
    report = exchange.load(path).report
    assert report.not_kept["activities missing from the tags list"] == 1


def test_backup_an_activity_id_that_cannot_be_a_key_is_missing_not_fatal(home: Path) -> None:
    path = _backup(home, ENTRY, {**ENTRY, "id": 10, "tags": [[1], 1]})
    second = exchange.load(path).checkins[1]
    assert second.tags == ("mood:rad", "work")


def test_backup_two_moods_of_one_name_are_one_label_counted_twice(home: Path) -> None:
    moods = [
        {"id": 1, "custom_name": "twin", "mood_group_id": 1, "predefined_name_id": -1},
        {"id": 2, "custom_name": "twin", "mood_group_id": 2, "predefined_name_id": -1},
    ]
    path = _backup(home, ENTRY, {**ENTRY, "id": 10, "mood": 2}, moods=moods)
    assert exchange.load(path).report.lines()[0] == "Mood labels: twin -> tag mood:twin (2)."


def test_backup_a_label_the_mood_map_leaves_out_is_counted_for_every_entry(home: Path) -> None:
    entries = [{**ENTRY, "id": i, "mood": 8} for i in range(3)]
    loaded = exchange.load(_backup(home, *entries), mood_map={"rad": "content"})
    assert loaded.unmapped["far away"] == 3


def test_backup_a_repeated_mood_in_the_future_is_still_refused(home: Path) -> None:
    future = {**ENTRY, "id": 10, "datetime": 4_102_444_800_000}  # 2100
    with pytest.raises(InvalidInput, match=r"^Entry 2 \(id 10\): .* is in the future"):
        exchange.load(_backup(home, ENTRY, future))


def test_backup_a_repeated_mood_before_1900_is_still_refused(home: Path) -> None:
    old = {**ENTRY, "id": 10, "datetime": -2_300_000_000_000}  # 1897
    with pytest.raises(InvalidInput, match=r"^Entry 2 \(id 10\): numbtrack keeps check-ins"):
        exchange.load(_backup(home, ENTRY, old))


def test_backup_a_repeated_note_with_a_carriage_return_gets_unix_line_ends(home: Path) -> None:
    crlf = {**ENTRY, "id": 10, "note": "one\r\ntwo"}
    path = _backup(home, {**ENTRY, "note": "one"}, crlf)
    assert exchange.load(path).checkins[1].note == "one\ntwo"


def test_backup_the_same_entry_twice_gets_two_ids(home: Path) -> None:
    checkins = exchange.load(_backup(home, ENTRY, ENTRY)).checkins
    assert checkins[0].id != checkins[1].id


# -- How We Feel -----------------------------------------------------------------------------


def test_hwf_an_unknown_word_on_two_rows_is_named_once_with_its_count(home: Path) -> None:
    text = (
        HWF
        + _hwf_row("2026 Sun Feb 8 4:04 PM", "Glimmery")
        + _hwf_row("2026 Sun Feb 8 5:04 PM", "Glimmery")
    )
    lines = exchange.load(_write(home, "h.csv", text)).report.lines()
    assert "Kept as your own words (numbtrack does not know them): glimmery (2)." in lines


def test_hwf_a_respelling_on_two_rows_is_counted_twice(home: Path) -> None:
    text = (
        HWF
        + _hwf_row("2026 Sun Feb 8 4:04 PM", "Panicked")
        + _hwf_row("2026 Sun Feb 8 5:04 PM", "Panicked")
    )
    lines = exchange.load(_write(home, "h.csv", text)).report.lines()
    assert lines[0] == "Mood words: Panicked -> panicky (2)."


def test_hwf_a_word_in_two_cases_is_the_same_word(home: Path) -> None:
    text = (
        HWF
        + _hwf_row("2026 Sun Feb 8 4:04 PM", "Numb")
        + _hwf_row("2026 Sun Feb 8 5:04 PM", "numb")
    )
    checkins = exchange.load(_write(home, "h.csv", text)).checkins
    assert [c.words for c in checkins] == [["numb"], ["numb"]]


def test_hwf_a_repeated_row_before_1900_names_its_line(home: Path) -> None:
    text = (
        HWF
        + _hwf_row("2026 Sun Feb 8 4:04 PM", "Numb")
        + _hwf_row("1899 Sun Feb 8 5:04 PM", "Numb")
    )
    with pytest.raises(InvalidInput, match=r"^Line 3: numbtrack keeps check-ins from 1900"):
        exchange.load(_write(home, "h.csv", text))


def test_hwf_a_repeated_bad_number_names_the_later_line_too(home: Path) -> None:
    text = (
        HWF
        + _hwf_row("2026 Sun Feb 8 4:04 PM", "Numb", exercise="30")
        + _hwf_row("2026 Sun Feb 8 5:04 PM", "Numb", exercise="lots")
    )
    with pytest.raises(InvalidInput, match=r'^Line 3: Exercise should be a number, not "lots"'):
        exchange.load(_write(home, "h.csv", text))


def test_hwf_the_same_exercise_value_on_two_rows_is_movement_on_both(home: Path) -> None:
    text = (
        HWF
        + _hwf_row("2026 Sun Feb 8 4:04 PM", "Numb", exercise="30")
        + _hwf_row("2026 Sun Feb 8 5:04 PM", "Calm", exercise="30")
    )
    checkins = exchange.load(_write(home, "h.csv", text)).checkins
    assert [c.practices for c in checkins] == [("movement",), ("movement",)]


# -- Bearable --------------------------------------------------------------------------------


def _bearable(home: Path, *rows: str) -> Path:
    return _write(home, "b.csv", B8 + "".join(rows))


def test_bearable_a_symptom_at_two_moments_is_a_sensation_at_both(home: Path) -> None:
    path = _bearable(
        home,
        "22nd Sep 2020,2020-09-22,Tuesday,am,Symptom,1,Headache (Mild),\n",
        "22nd Sep 2020,2020-09-22,Tuesday,pm,Symptom,1,Headache (Mild),\n",
    )
    checkins = exchange.load(path).checkins
    assert [[s.spec() for s in c.sensations] for c in checkins] == [["head:ache:1"]] * 2


def test_bearable_a_symptom_at_two_moments_is_counted_twice(home: Path) -> None:
    path = _bearable(
        home,
        "22nd Sep 2020,2020-09-22,Tuesday,am,Symptom,1,Headache (Mild),\n",
        "22nd Sep 2020,2020-09-22,Tuesday,pm,Symptom,1,Headache (Mild),\n",
    )
    lines = exchange.load(path).report.lines()
    assert lines == ["Symptoms: Headache (Mild) -> head:ache:1 (2)."]


def test_bearable_a_factor_twice_in_one_moment_is_one_tag(home: Path) -> None:
    path = _bearable(
        home,
        "22nd Sep 2020,2020-09-22,Tuesday,am,Lifestyle,,🤒 Sick | Quiet day,\n",
        "22nd Sep 2020,2020-09-22,Tuesday,am,Social,,🤒 Sick,\n",
    )
    assert exchange.load(path).checkins[0].tags == ("sick", "quiet-day")


def test_bearable_a_factor_in_two_moments_is_a_practice_in_both(home: Path) -> None:
    path = _bearable(
        home,
        "22nd Sep 2020,2020-09-22,Tuesday,am,Active,,👣 Walk - Moderate,\n",
        "23rd Sep 2020,2020-09-23,Wednesday,am,Active,,👣 Walk - Moderate,\n",
    )
    checkins = exchange.load(path).checkins
    assert [c.practices for c in checkins] == [("movement",), ("movement",)]


def test_bearable_the_same_sleep_on_two_days_is_kept_for_both(home: Path) -> None:
    path = _bearable(
        home,
        "22nd Sep 2020,2020-09-22,Tuesday,,Sleep,7:45,,\n",
        "23rd Sep 2020,2020-09-23,Wednesday,,Sleep,7:45,,\n",
    )
    assert [c.sleep_hours for c in exchange.load(path).checkins] == [7.75, 7.75]


def test_bearable_a_bad_sleep_after_a_good_one_names_its_line(home: Path) -> None:
    path = _bearable(
        home,
        "22nd Sep 2020,2020-09-22,Tuesday,,Sleep,7:45,,\n",
        "23rd Sep 2020,2020-09-23,Wednesday,,Sleep,7:75,,\n",
    )
    with pytest.raises(InvalidInput, match=r'^Line 3: "7:75" is not a sleep duration'):
        exchange.load(path)


def test_bearable_the_same_mood_words_at_two_moments_are_named_with_their_count(
    home: Path,
) -> None:
    path = _bearable(
        home,
        "22nd Sep 2020,2020-09-22,Tuesday,09:00,Mood,6,Glimmery,\n",
        "22nd Sep 2020,2020-09-22,Tuesday,10:00,Mood,6,Glimmery,\n",
    )
    lines = exchange.load(path).report.lines()
    assert "Kept as your own words (numbtrack does not know them): glimmery (2)." in lines
