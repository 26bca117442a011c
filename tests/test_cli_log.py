"""`numbtrack log` and the commands that read and correct check-ins, through CliRunner."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack.store import Store

from .conftest import run


def stored(home: Path) -> list[dict]:  # type: ignore[type-arg]
    if not (home / "numbtrack.db").exists():
        return []
    from numbtrack.exchange.records import to_dict

    with Store() as store:
        return [to_dict(c) for c in store.iter_all()]


def test_one_shot_log_records_every_part(runner: CliRunner, home: Path) -> None:
    r = run(
        runner,
        "log",
        "numb",
        "tired:2",
        "--feel",
        "2",
        "--body",
        "chest:heavy:3",
        "--body",
        "jaw, clenched",
        "--practice",
        "music",
        "--tag",
        "Work",
        "--note",
        "a long day",
        "--at",
        "yesterday 21:30",
        "--sleep",
        "6.5",
    )
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Saved ")
    assert "numb, tired:2" in r.output
    [c] = stored(home)
    assert c["can_feel"] == 2
    assert [f["word"] for f in c["feelings"]] == ["numb", "tired"]
    assert c["feelings"][1]["intensity"] == 2
    assert c["sensations"][0] == {
        "region": "chest",
        "quality": "heavy",
        "intensity": 3,
        "direction": None,
        "tone": None,
        "custom": False,
    }
    assert c["sensations"][1]["quality"] == "clenched"
    assert c["practices"] == ["music"]
    assert c["tags"] == ["work"]
    assert c["note"] == "a long day"
    assert c["sleep_hours"] == 6.5
    assert c["state"] == "mixed"
    assert c["at"].endswith(":00")
    assert "T21:30:00" in c["at"]


@pytest.mark.parametrize(
    ("words", "state"),
    [(["numb", "flat"], "numb"), (["numb", "sad"], "mixed"), (["calm"], "feeling")],
)
def test_state_is_worked_out_from_the_words(
    runner: CliRunner, home: Path, words: list[str], state: str
) -> None:
    assert run(runner, "log", *words, "-q").exit_code == 0
    assert stored(home)[0]["state"] == state


def test_state_can_be_given(runner: CliRunner, home: Path) -> None:
    assert run(runner, "log", "calm", "--state", "unsure").exit_code == 0
    assert stored(home)[0]["state"] == "unsure"


def test_quiet_prints_nothing_and_note_from_stdin(runner: CliRunner, home: Path) -> None:
    r = run(runner, "log", "flat", "--note", "-", "-q", input="from a pipe\nsecond line\n")
    assert r.exit_code == 0
    assert r.output == ""
    assert stored(home)[0]["note"] == "from a pipe\nsecond line\n"


def test_a_new_word_is_allowed_when_marked(runner: CliRunner, home: Path) -> None:
    r = run(runner, "log", "glimmery")
    assert r.exit_code == 2
    assert "--new-word glimmery" in r.stderr
    assert run(runner, "log", "--new-word", "glimmery").exit_code == 0
    assert stored(home)[0]["feelings"] == [{"word": "glimmery", "intensity": None, "custom": True}]
    assert run(runner, "log", "glimmery", "-q").exit_code == 0  # known from now on


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "anxios"], 'did you mean "anxious"'),
        (["log", "--body", "chst:tight"], 'did you mean "chest"'),
        (["log", "--body", "chest:tite"], 'did you mean "tight"'),
        (["log", "--body", "chest"], "REGION:QUALITY"),
        (["log", "--body", "chest:tight:9"], "1 to 5"),
        (["log", "--body", "chest:tight:sideways"], "not an intensity"),
        (["log", "calm", "--feel", "11"], "0 (nothing) to 10"),
        (["log", "calm", "--feel", "-1"], "0 (nothing) to 10"),
        (["log", "calm", "--sleep", "25"], "0 to 24"),
        (["log", "calm", "--practice", "jugglin"], "practice"),
        (["log", "calm", "--at", "tomorrow"], "not a time"),
        (["log", "calm", "--at", "2099-01-01 10:00"], "in the future"),
        (["log", "calm", "--state", "happyish"], "'happyish' is not one of 'feeling'"),
        (["log", "calm", "--tag", "two words,here"], "cannot be a tag"),
        (["log"], "Nothing to log"),
        (["show", "ffffffff"], "No check-in"),
        (["edit", "ffffffff", "--feel", "3"], "No check-in"),
        (["delete", "ffffffff", "--yes"], "No check-in"),
        (["list", "--word", "anxios"], 'did you mean "anxious"'),
        (["list", "--since", "someday"], "not a date"),
        (["list", "--since", "2026-11-10", "--until", "2026-11-01"], "swap them"),
        (
            ["log", "--feel", "abc"],
            "'abc' is not a whole number from 0 to 10 (see: numbtrack log --help).",
        ),
        (["log", "calm", "--unknown"], "No such option: --unknown"),
        (["lgo"], "Did you mean 'log'? (see: numbtrack --help)"),
        (["show"], "Missing argument 'ID'"),
    ],
)
def test_bad_input_is_one_sentence_exit_2_and_nothing_written(
    runner: CliRunner, home: Path, args: list[str], message: str
) -> None:
    r = run(runner, *args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output
    assert stored(home) == []


def _log(runner: CliRunner, *args: str) -> str:
    r = run(runner, "log", *args, "-q")
    assert r.exit_code == 0, r.output
    with Store() as store:
        last = store.last_added()
    assert last is not None
    return last.id


def test_list_filters_and_json(runner: CliRunner, home: Path) -> None:
    a = _log(
        runner,
        "numb",
        "--body",
        "chest:heavy",
        "--tag",
        "work",
        "--note",
        "rain on glass",
        "--at",
        "-3d",
    )
    b = _log(runner, "calm", "--practice", "music", "--at", "-1d")
    c = _log(runner, "sad", "numb", "--tag", "grief")

    def ids(*args: str) -> list[str]:
        r = run(runner, "list", "--json", *args)
        assert r.exit_code == 0, r.output
        return [x["id"] for x in json.loads(r.output)]

    assert ids() == [c, b, a]
    assert ids("--word", "numb") == [c, a]
    assert ids("--region", "chest") == [a]
    assert ids("--tag", "grief") == [c]
    assert ids("--practice", "music") == [b]
    assert ids("--state", "mixed") == [c]
    assert ids("--search", "glass") == [a]
    assert ids("--since", "-2d") == [c, b]
    assert ids("--until", "-2d") == [a]
    assert ids("--limit", "1") == [c]
    plain = run(runner, "list")
    assert plain.exit_code == 0
    assert len(plain.output.splitlines()) == 3
    assert a[:8] in plain.output
    assert run(runner, "list", "--tag", "nothing-like-this").output.startswith("No check-ins")


def test_today(runner: CliRunner, home: Path) -> None:
    assert "Nothing logged today yet" in run(runner, "today").output
    _log(runner, "flat", "--at", "-2d")
    a = _log(runner, "calm")
    r = run(runner, "today", "--json")
    assert [x["id"] for x in json.loads(r.output)] == [a]


def test_show_accepts_a_prefix_and_refuses_an_ambiguous_one(runner: CliRunner, home: Path) -> None:
    a = _log(runner, "numb", "--note", "quiet morning")
    r = run(runner, "show", a[:6])
    assert r.exit_code == 0
    assert a in r.output
    assert "quiet morning" in r.output
    assert json.loads(run(runner, "show", a, "--json").output)["id"] == a
    with closing(sqlite3.connect(home / "numbtrack.db")) as conn:
        ids = {r[0][0] for r in conn.execute("SELECT id FROM checkins")}
    while True:  # log until two ids share a first character
        b = _log(runner, "calm")
        if b[0] in ids:
            break
        ids.add(b[0])
    r = run(runner, "show", b[0])
    assert r.exit_code == 2
    assert "More than one" in r.stderr


def test_edit_changes_only_what_is_given(runner: CliRunner, home: Path) -> None:
    a = _log(runner, "numb", "--feel", "1", "--tag", "work", "--note", "keep me")
    r = run(runner, "edit", a[:8], "--feel", "4", "calm")
    assert r.exit_code == 0, r.output
    [c] = stored(home)
    assert c["can_feel"] == 4
    assert [f["word"] for f in c["feelings"]] == ["calm"]
    assert c["state"] == "feeling"  # worked out again from the new words
    assert c["tags"] == ["work"]
    assert c["note"] == "keep me"
    assert c["updated_at"] > c["created_at"]
    assert run(runner, "edit", a, "--clear", "note", "--clear", "tags").exit_code == 0
    [c] = stored(home)
    assert c["note"] is None
    assert c["tags"] == []
    r = run(runner, "edit", a)
    assert r.exit_code == 2
    assert "Nothing to change" in r.stderr
    r = run(runner, "edit", a, "--clear", "everything")
    assert r.exit_code == 2


def test_delete_asks_first(runner: CliRunner, home: Path) -> None:
    a = _log(runner, "numb")
    r = run(runner, "delete", a[:8], input="n\n")
    assert r.exit_code == 0
    assert "Nothing was changed" in r.output
    assert len(stored(home)) == 1
    r = run(runner, "delete", a[:8], input="y\n")
    assert r.exit_code == 0
    assert stored(home) == []


def test_undo_removes_the_last_added_not_the_latest_in_time(runner: CliRunner, home: Path) -> None:
    assert "nothing to undo" in run(runner, "undo").output
    a = _log(runner, "calm")
    _log(runner, "numb", "--at", "-3d")  # added last, though it happened earlier
    r = run(runner, "undo", input="y\n")
    assert r.exit_code == 0
    assert "Removed" in r.output
    assert [c["id"] for c in stored(home)] == [a]


def test_guided_checkin_asks_body_first_then_words(runner: CliRunner, home: Path) -> None:
    answers = (
        "\n".join(
            [
                "chest",
                "tite",
                "tight",
                "3",  # a typo is asked again, never stored
                "",  # nowhere else
                "1 anxios",
                "1 anxious",  # numbered choice plus a word
                "2",
                "music",
                "a quiet note",
            ]
        )
        + "\n"
    )
    r = run(runner, "log", "--guided", input=answers)
    assert r.exit_code == 0, r.output
    assert r.output.index("Body first") < r.output.index("Any words")
    assert 'did you mean "tight"' in r.output
    [c] = stored(home)
    assert c["sensations"][0]["region"] == "chest"
    assert c["sensations"][0]["intensity"] == 3
    assert [f["word"] for f in c["feelings"]] == ["numb", "anxious"]
    assert c["can_feel"] == 2
    assert c["practices"] == ["music"]
    assert c["note"] == "a quiet note"


def test_guided_region_step_takes_a_whole_sensation(runner: CliRunner, home: Path) -> None:
    """ "chest, tight, 3" at the region question, as --body takes it, not refused as a region."""
    r = run(runner, "log", "--guided", input="chest, tight, 3\ntummy knot\n\nflat\n\n\n\n")
    assert r.exit_code == 0, r.output
    [c] = stored(home)
    got = [(s["region"], s["quality"], s["intensity"]) for s in c["sensations"]]
    assert got == [("chest", "tight", 3), ("stomach", "knotted", None)]


def test_guided_checkin_says_what_an_alias_was_counted_as(runner: CliRunner, home: Path) -> None:
    """As `numbtrack log --practice walk` does: nothing is renamed silently."""
    r = run(runner, "log", "--guided", input="tummy\nknot\n\n\nmad\n\nwalk\n\n")
    assert r.exit_code == 0, r.output
    for line in (
        "tummy, counted as stomach.",
        "knot, counted as knotted.",
        "walk, counted as movement.",
    ):
        assert f"  {line}\n" in r.output
    [c] = stored(home)
    assert [(t["typed"], t["name"]) for t in c["typed"]] == [
        ("mad", "angry"),
        ("tummy", "stomach"),
        ("knot", "knotted"),
        ("walk", "movement"),
    ]


def test_guided_region_step_refuses_a_sensation_too_strong(runner: CliRunner, home: Path) -> None:
    r = run(runner, "log", "--guided", input="chest tight 9\n\nflat\n\n\n\n")
    assert r.exit_code == 0, r.output
    assert "is not a body region" in r.output
    [c] = stored(home)
    assert c["sensations"] == []


def test_guided_nothing_i_can_notice_is_recorded(runner: CliRunner, home: Path) -> None:
    r = run(runner, "log", "--guided", input="nothing\n\n0\n\n\n")
    assert r.exit_code == 0, r.output
    [c] = stored(home)
    assert c["sensations"][0]["quality"] == "nothing"
    assert c["state"] == "numb"
    assert c["can_feel"] == 0


def test_guided_all_skipped_saves_nothing(runner: CliRunner, home: Path) -> None:
    r = run(runner, "log", "--guided", input="\n\n\n\n\n")
    assert r.exit_code == 0
    assert "nothing was saved" in r.output
    assert stored(home) == []


def test_guided_leaving_midway_writes_nothing(runner: CliRunner, home: Path) -> None:
    r = run(runner, "log", "--guided", input="chest\nwarm\n")  # input ends: like Ctrl-D
    assert r.exit_code == 130
    assert "Nothing was written" in r.output
    assert stored(home) == []


def test_words_body_and_where(runner: CliRunner, home: Path) -> None:
    r = run(runner, "words")
    assert r.exit_code == 0
    assert "numb and far away" in r.output.lower()
    assert "wistful" in r.output
    r = run(runner, "words", "--search", "tired")
    assert "exhausted" not in r.output
    assert "tired" in r.output
    r = run(runner, "words", "--search", "tiredness", "--json")
    assert {"exhausted", "tired"} <= {w["word"] for w in json.loads(r.output)}
    r = run(runner, "words", "--search", "anxios")
    assert 'No feeling word contains "anxios"' in r.output
    assert "Did you mean anxious" in r.output
    r = run(runner, "body")
    assert "neck-and-shoulders" in r.output
    assert "absence" in r.output
    r = run(runner, "where", "--json")
    info = json.loads(r.output)
    assert info["database"] == str(home / "numbtrack.db")


def test_home_option_points_at_another_store(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert run(runner, "--home", str(other), "log", "calm", "-q").exit_code == 0
    assert (other / "numbtrack.db").exists()
    assert not (home / "numbtrack.db").exists()


def test_completion_offers_vocabulary() -> None:
    from numbtrack.cli import common as cli

    assert "anxious" in cli.complete_word("anx")
    assert cli.complete_body("che") == ["chest:"]
    assert "chest:tight" in cli.complete_body("chest:ti")
    assert cli.complete_practice("mu") == ["music"]


def test_help_ends_with_the_support_pointer(runner: CliRunner) -> None:
    r = run(runner, "--help")
    assert r.exit_code == 0
    assert "numbtrack support" in r.output
    bare = run(runner)  # plain `numbtrack` is not a mistake: the help, exit code 0
    assert bare.exit_code == 0
    assert "Usage: numbtrack" in bare.output


def test_support_lists_lines_and_says_what_numbtrack_is_not(runner: CliRunner, home: Path) -> None:
    r = run(runner, "support")
    assert r.exit_code == 0
    assert "988" in r.output
    assert "findahelpline.com" in r.output
    assert "not a clinical or diagnostic tool" in r.output
    r = run(runner, "support", "--set-line", 'Dr "Rivera": +1 555 0100')
    assert r.exit_code == 0
    assert 'Dr "Rivera": +1 555 0100' in r.output
    assert 'Dr "Rivera": +1 555 0100' in run(runner, "support").output
    assert oct((home / "config.toml").stat().st_mode & 0o777) == "0o600"
    assert "Your own line" not in run(runner, "support", "--clear-line").output
    (home / "config.toml").write_text("[support\n", encoding="utf-8")
    r = run(runner, "support")
    assert r.exit_code == 1
    assert "cannot be read" in r.stderr


def test_what_a_person_writes_is_printed_exactly_on_a_colour_terminal(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rich must not read a note as markup, nor hands:cool:1 as its :cool: emoji code."""
    assert (
        run(
            runner,
            "log",
            "calm",
            "--body",
            "hands:cool:1",
            "--tag",
            "[red]x",
            "--note",
            "[bold]not bold[/bold] :smile:",
            "-q",
        ).exit_code
        == 0
    )
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    out = run(runner, "list").output
    assert "hands:cool:1" in out
    assert "🆒" not in out
    assert "[bold]not bold[/bold]" in out
    assert "😄" not in out
    assert "#[red]x" in out


def test_edit_keeps_a_chosen_state_unless_the_words_change(runner: CliRunner, home: Path) -> None:
    a = _log(runner, "calm", "--state", "unsure")
    assert run(runner, "edit", a, "--feel", "6").exit_code == 0
    assert stored(home)[0]["state"] == "unsure"  # only can-feel changed
    assert run(runner, "edit", a, "numb").exit_code == 0
    assert stored(home)[0]["state"] == "numb"  # new words: worked out again
    assert run(runner, "edit", a, "calm", "--state", "mixed").exit_code == 0
    assert stored(home)[0]["state"] == "mixed"  # given explicitly
