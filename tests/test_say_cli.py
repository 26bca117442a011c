"""Say it your way, from the command line: one undo, own words listed and completed, aliases
said aloud, everyday input accepted or refused in one sentence, output that fits."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack.exchange.records import to_dict
from numbtrack.store import Store
from numbtrack.text import moment

from .conftest import run

ON_FRI = moment(datetime(2026, 11, 20, 21, 30).astimezone())
""""Fri 20 Nov 21:30" (with the year once 2026 is over)."""


def stored(home: Path) -> list[dict]:  # type: ignore[type-arg]
    if not (home / "numbtrack.db").exists():
        return []
    with Store() as store:
        return [to_dict(c) for c in store.iter_all()]


def log(runner: CliRunner, *args: str) -> str:
    r = run(runner, "log", *args)
    assert r.exit_code == 0, r.output
    return r.output


def first_id(home: Path) -> str:
    return str(stored(home)[0]["id"])


# -- undo ------------------------------------------------------------------------------


def test_undo_after_delete_brings_the_checkin_back(runner: CliRunner, home: Path) -> None:
    """The exact failure of issue 14: undo after delete offered to remove another check-in."""
    log(runner, "calm", "--at", "2026-11-20 21:30")
    log(runner, "flat")
    cid = first_id(home)
    run(runner, "delete", cid[:4], "--yes")
    r = run(runner, "undo", "--yes")
    assert f"Brought back the check-in of {ON_FRI} you deleted." in r.output


def test_undo_after_delete_restores_it_in_the_store(runner: CliRunner, home: Path) -> None:
    log(runner, "calm", "--at", "2026-11-20 21:30")
    cid = first_id(home)
    run(runner, "delete", cid[:4], "--yes")
    run(runner, "undo", "--yes")
    assert [c["id"] for c in stored(home)] == [cid]


def test_undo_says_what_and_asks_first(runner: CliRunner, home: Path) -> None:
    log(runner, "calm", "--at", "2026-11-20 21:30")
    r = run(runner, "undo", input="n\n")
    assert f"Remove the check-in of {ON_FRI} you added?" in r.output


def test_declining_an_undo_changes_nothing(runner: CliRunner, home: Path) -> None:
    log(runner, "calm")
    run(runner, "undo", input="n\n")
    assert len(stored(home)) == 1


def test_undo_twice_reverts_the_change_before(runner: CliRunner, home: Path) -> None:
    log(runner, "calm")
    log(runner, "flat")
    run(runner, "undo", "--yes")
    run(runner, "undo", "--yes")
    assert stored(home) == []


def test_undo_with_nothing_to_undo_says_so(runner: CliRunner) -> None:
    r = run(runner, "undo")
    assert (r.exit_code, r.output) == (0, "There is nothing to undo.\n")


def test_undo_list_shows_the_recent_changes(runner: CliRunner, home: Path) -> None:
    log(runner, "calm", "--at", "2026-11-20 21:30")
    run(runner, "delete", first_id(home)[:6], "--yes")
    run(runner, "undo", "--yes")
    lines = run(runner, "undo", "--list").output.splitlines()
    assert [re.sub(r"^.*?You", "You", line) for line in lines] == [
        f"You undid this: you deleted the check-in of {ON_FRI}.",
        f"You deleted the check-in of {ON_FRI}.  (undone)",
        f"You added the check-in of {ON_FRI}.",
    ]


def test_an_import_is_undone_as_one_step(runner: CliRunner, home: Path) -> None:
    for word in ("calm", "flat", "tired"):
        log(runner, word)
    run(runner, "export", "--format", "json", "-o", str(home.parent / "x.json"))
    other = home.parent / "other"
    run(runner, "--home", str(other), "import", str(home.parent / "x.json"))
    r = run(runner, "--home", str(other), "undo", "--yes")
    assert r.output.splitlines()[-1] == "Removed 3 imported check-ins."


# -- own words, qualities and practices ------------------------------------------------


def test_a_kept_word_is_found_by_words_search(runner: CliRunner) -> None:
    """The exact failure of issue 14: `words --search glim` did not list glimmery."""
    log(runner, "--new-word", "glimmery")
    r = run(runner, "words", "--search", "glim")
    assert "glimmery (1 check-in)" in r.output


def test_an_own_quality_is_kept_and_listed_by_body(runner: CliRunner) -> None:
    log(runner, "--new-body", "head:swimmy:2")
    assert "swimmy (1 check-in)" in run(runner, "body").output


def test_an_own_practice_is_kept_and_listed_by_practices(runner: CliRunner) -> None:
    log(runner, "--new-practice", "meditation")
    log(runner, "--practice", "meditation")
    assert "meditation (2 check-ins)" in run(runner, "practices").output


def test_an_unknown_quality_says_how_to_keep_it(runner: CliRunner) -> None:
    r = run(runner, "log", "--body", "head:swimmy")
    assert (r.exit_code, "use --new-body head:swimmy" in r.stderr) == (2, True)


def test_own_names_are_completed_by_the_shell(runner: CliRunner) -> None:
    from numbtrack.cli.common import complete_body, complete_practice, complete_word

    log(runner, "--new-body", "head:swimmy", "--new-practice", "qigong", "--new-word", "glimmery")
    assert (complete_body("head:swi"), complete_practice("qig"), complete_word("glim")) == (
        ["head:swimmy"],
        ["qigong"],
        ["glimmery"],
    )


def test_an_alias_is_said_in_the_saved_line(runner: CliRunner) -> None:
    """The exact failure of issue 14: walk became movement without a word."""
    assert "  walk, counted as movement." in log(runner, "--practice", "walk")


# -- normalising and refusing ----------------------------------------------------------


def test_a_tag_with_a_hash_is_stored_without_it(runner: CliRunner, home: Path) -> None:
    log(runner, "calm", "--tag", "#work")
    assert stored(home)[0]["tags"] == ["work"]


def test_a_full_width_word_is_accepted(runner: CliRunner, home: Path) -> None:
    log(runner, "ｎｕｍｂ")
    assert stored(home)[0]["feelings"][0]["word"] == "numb"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "   "], "A feeling word cannot be empty or blank."),
        (["log", "calm", "--at", ""], "A time cannot be empty."),
        (["log", "calm", "--state", ""], "'' is not one of 'feeling'"),
        (["log", "calm", "--tag", " "], "A tag cannot be empty or blank."),
        (["log", "calm", "--time", "9pm"], "No such option: --time. Did you mean --at?"),
        (["log", "calm", "--when", "9pm"], "No such option: --when. Did you mean --at?"),
        (["dash", "--home", "demo"], "it goes before the command: numbtrack --home DIR dash"),
        (["log", "calm", "--home=demo"], "goes before the command: numbtrack --home DIR log"),
        (["sync", "status", "--no-pager"], "before the command: numbtrack --no-pager sync status"),
        (["log", "calm", "--at", "11/24"], "could be read as day/month or month/day"),
        (["support", "--set-line", "x", "--clear-line"], "--set-line and --clear-line"),
        (["support", "--set-line", "a\x1bb"], "cannot hold control characters"),
        (["edit", "abcd", "--clear", "everything"], "'everything' is not one of 'feel'"),
        (["export", "--format", "xml"], "'xml' is not one of 'csv', 'json', 'jsonl'"),
        (["nudge", "sometimes"], "'sometimes' is not one of 'off', 'on', 'quiet', 'status'"),
    ],
)
def test_refusals_are_one_sentence_exit_2_and_nothing_written(
    runner: CliRunner, home: Path, args: list[str], message: str
) -> None:
    r = run(runner, *args)
    assert (r.exit_code, message in r.stderr, stored(home)) == (2, True, [])


def test_clearing_and_setting_the_same_field_is_refused_naming_both(
    runner: CliRunner, home: Path
) -> None:
    log(runner, "calm", "--note", "first")
    r = run(runner, "edit", first_id(home)[:6], "--clear", "note", "--note", "x")
    assert (r.exit_code, r.stderr) == (
        2,
        "--clear note and --note contradict each other; give only one of them.\n",
    )


def test_an_empty_home_means_the_usual_folder(runner: CliRunner, home: Path) -> None:
    r = run(runner, "--home", "", "where", "--json")
    assert str(home) in r.output


def test_a_home_that_is_a_file_is_named_as_a_file(runner: CliRunner, tmp_path: Path) -> None:
    """The exact failure of issue 14: a file was called "read-only or not yours"."""
    (tmp_path / "somefile.txt").write_text("x")
    r = run(runner, "--home", str(tmp_path / "somefile.txt"), "list")
    assert "somefile.txt is a file, not a folder" in r.stderr


def test_a_piped_note_loses_its_carriage_returns(runner: CliRunner, home: Path) -> None:
    run(runner, "log", "calm", "--note", "-", input="Nothing much.\r\nReally.\r\n")
    assert stored(home)[0]["note"] == "Nothing much.\nReally.\n"


# -- output that fits ------------------------------------------------------------------


def test_list_says_how_many_it_left_out(runner: CliRunner) -> None:
    for _ in range(22):
        log(runner, "calm", "-q")
    r = run(runner, "list")
    assert r.stderr == "Showing 20 of 22; --limit N or --all for more.\n"


def test_list_all_shows_every_checkin(runner: CliRunner) -> None:
    for _ in range(22):
        log(runner, "calm", "-q")
    r = run(runner, "list", "--all")
    assert (len(r.stdout.splitlines()), r.stderr) == (22, "")


def test_an_empty_store_is_not_an_empty_filter(runner: CliRunner) -> None:
    r = run(runner, "list")
    assert r.output == "There are no check-ins yet. Whenever you like: numbtrack log\n"


def test_an_empty_filter_says_nothing_matches(runner: CliRunner) -> None:
    log(runner, "calm")
    assert run(runner, "list", "word:flat").output == "No check-ins match that.\n"


def test_nudge_status_says_what_the_nudge_does(runner: CliRunner) -> None:
    run(runner, "nudge", "off")
    assert run(runner, "nudge", "status").output.startswith("The prompt nudge is off.")


def test_saved_html_has_a_title(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "week", "--save", str(tmp_path / "w.html"))
    assert "<title>numbtrack week " in (tmp_path / "w.html").read_text()


@pytest.mark.parametrize("command", ["week", "report"])
@pytest.mark.parametrize("suffix", [".svg", ".html"])
def test_saved_files_hold_no_external_url(
    runner: CliRunner, tmp_path: Path, suffix: str, command: str
) -> None:
    log(runner, "calm")
    assert run(runner, command, "--save", str(tmp_path / f"w{suffix}")).exit_code == 0
    text = (tmp_path / f"w{suffix}").read_text()
    urls = set(re.findall(r"https?://[^\s\"')]+", text)) - {"http://www.w3.org/2000/svg"}
    assert urls == set()


# -- settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ['Dr "R" \\ +1 555 0100', "Ĳ café — 電話 0800", "tab\tinside", "{braces} [x]"]
)
def test_any_support_line_round_trips(runner: CliRunner, line: str) -> None:
    run(runner, "support", "--set-line", line)
    r = run(runner, "support")
    assert (r.exit_code, line.strip() in r.output) == (0, True)


def test_the_nudge_still_works_after_a_line_with_quotes(runner: CliRunner) -> None:
    """The exact failure of issue 14: a hand-written TOML broke every support and nudge."""
    run(runner, "support", "--set-line", 'say "hi" \\ there')
    assert run(runner, "nudge", "status").exit_code == 0


def test_a_damaged_config_names_the_file_and_the_line(runner: CliRunner, home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "config.toml").write_text('[nudge]\nenabled = true\nbroken = "\n', encoding="utf-8")
    r = run(runner, "support")
    assert (r.exit_code, "config.toml cannot be read: it is damaged at line 3" in r.stderr) == (
        1,
        True,
    )


def test_a_damaged_config_leaves_other_commands_working(runner: CliRunner, home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "config.toml").write_text("[support\n", encoding="utf-8")
    assert run(runner, "log", "calm").exit_code == 0


def test_the_config_is_private(runner: CliRunner, home: Path) -> None:
    run(runner, "support", "--set-line", "a friend")
    assert (home / "config.toml").stat().st_mode & 0o777 == 0o600


# -- the pager -------------------------------------------------------------------------


def test_the_pager_named_in_pager_gets_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from numbtrack.cli import common

    out = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {out}'")
    common._run_pager("line one\nline two")
    assert out.read_text() == "line one\nline two\n"


def test_pager_cat_means_no_pager(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from numbtrack.cli import common

    monkeypatch.setenv("PAGER", "cat")
    common._run_pager("plain")
    assert capsys.readouterr().out == "plain\n"


# -- the guided check-in ---------------------------------------------------------------


def test_the_guided_checkin_offers_to_keep_an_own_quality(runner: CliRunner, home: Path) -> None:
    answers = "head\nswimmy\nswimmy\n2\n\n\n\n\n\n"
    r = run(runner, "log", "--guided", input=answers)
    assert (r.exit_code, stored(home)[0]["sensations"][0]["quality"]) == (0, "swimmy")


def test_the_guided_checkin_offers_to_keep_an_own_practice(runner: CliRunner, home: Path) -> None:
    answers = "\n\n\nqigong\nqigong\n\n"
    r = run(runner, "log", "--guided", input=answers)
    assert (r.exit_code, stored(home)[0]["practices"]) == (0, ["qigong:own"])


def test_the_guided_checkin_keeps_nothing_typed_only_once(runner: CliRunner, home: Path) -> None:
    answers = "\n\n\nqigong\nmusic\n\n"
    run(runner, "log", "--guided", input=answers)
    assert stored(home)[0]["practices"] == ["music"]


# -- help that reads well --------------------------------------------------------------


def test_help_paragraphs_flow_as_sentences() -> None:
    from numbtrack.cli import flow

    assert flow("One line\n    and its end.\n\n    numbtrack x >> y\n") == (
        "One line and its end.\n\nnumbtrack x >> y"
    )


@pytest.mark.parametrize("command", ["ground", "edit", "import", "dash", "week", "log"])
def test_help_fits_80_columns(runner: CliRunner, command: str) -> None:
    from numbtrack.cli import app

    r = runner.invoke(app, [command, "--help"], env={"COLUMNS": "80"})
    assert max(len(line) for line in r.output.splitlines()) <= 80


def test_help_is_not_broken_mid_sentence(runner: CliRunner) -> None:
    """The exact failure of issue 14: `ground --help` broke "two / you can smell"."""
    from numbtrack.cli import app

    r = runner.invoke(app, ["ground", "--help"], env={"COLUMNS": "200"})
    assert "three you can hear, two you can smell" in r.output


def test_the_guided_checkin_keeps_an_own_feeling_word_typed_twice(
    runner: CliRunner, home: Path
) -> None:
    answers = "\nglimmery\nglimmery\n\n\n\n"
    r = run(runner, "log", "--guided", input=answers)
    assert (r.exit_code, stored(home)[0]["feelings"]) == (
        0,
        [{"word": "glimmery", "intensity": None, "custom": True}],
    )
