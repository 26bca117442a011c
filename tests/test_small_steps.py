"""Grounding, practices and suggestions, the shell nudge, and demo data."""

from __future__ import annotations

import io
import random
import shutil
import statistics
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack import demo, exchange, practice, vocab
from numbtrack.store import Store

from .conftest import run, stored_count


def only_checkin(home: Path):  # type: ignore[no-untyped-def]
    with Store() as store:
        [c] = list(store.iter_all())
    return c


def test_grounding_saves_what_was_noticed(runner: CliRunner, home: Path) -> None:
    answers = "tree, a cup, the window\nhands cool, feet:heavy, my breath\nbirds\n\ncoffee\ny\n5\n"
    r = run(runner, "ground", input=answers)
    assert r.exit_code == 0, r.output
    assert r.output.index("see") < r.output.index("touch") < r.output.index("taste")
    c = only_checkin(home)
    assert c.practices == ("grounding",)
    assert [s.spec() for s in c.sensations] == ["hands:cool", "feet:heavy"]
    assert c.note == (
        "see: tree, a cup, the window\ntouch: hands cool, feet:heavy, my breath\n"
        "hear: birds\ntaste: coffee"
    )
    assert c.can_feel == 5


def test_grounding_keeps_a_sensation_split_by_commas_whole(runner: CliRunner, home: Path) -> None:
    """Commas separate the things noticed; "chest, tight" is one thing felt, not two."""
    r = run(runner, "ground", input="\nchest, tight, the chair, feet, heavy, 2\n\n\n\ny\n5\n")
    assert "You noticed 3 things." in r.output
    c = only_checkin(home)
    assert [s.spec() for s in c.sensations] == ["chest:tight", "feet:heavy:2"]
    assert c.note == "touch: chest, tight, the chair, feet, heavy, 2"


def test_grounding_counts_up_to_four_touches_after_joining(runner: CliRunner, home: Path) -> None:
    r = run(runner, "ground", input="\nchest, tight, a, b, c, d\n\n\n\ny\n5\n")
    assert "You noticed 4 things." in r.output
    assert only_checkin(home).note == "touch: chest, tight, a, b, c"


def test_grounding_with_an_intensity_out_of_range_still_saves(
    runner: CliRunner, home: Path
) -> None:
    """An intensity of 9 was refused only when saving, losing the whole exercise."""
    r = run(runner, "ground", input="\nhands:cool:9, chest tight 3\n\n\n\ny\n5\n")
    assert r.exit_code == 0, r.output
    c = only_checkin(home)
    assert [s.spec() for s in c.sensations] == ["chest:tight:3"]
    assert c.note == "touch: hands:cool:9, chest tight 3"


def test_grounding_every_step_can_be_skipped_and_saving_declined(
    runner: CliRunner, home: Path
) -> None:
    r = run(runner, "ground", input="\n\n\n\n\nn\n")
    assert r.exit_code == 0
    assert "Nothing was saved" in r.output
    assert "Taking the time is enough" in r.output
    assert stored_count(home) == 0


def test_grounding_left_midway_saves_nothing(runner: CliRunner, home: Path) -> None:
    r = run(runner, "ground", input="tree\nhands cool\n")  # input ends, as Ctrl-D or Ctrl-C
    assert r.exit_code == 130
    assert "Nothing was written" in r.output
    assert stored_count(home) == 0


def test_practices_list_each_with_a_suggestion(runner: CliRunner) -> None:
    r = run(runner, "practices")
    assert r.exit_code == 0
    for name in ("smell", "taste", "music", "touch", "connection", "expression", "grounding"):
        assert f"\n{name}\n" in r.output
    for unkind in ("must", "should"):
        assert unkind not in r.output.lower()


def test_suggest_never_offers_what_was_done_today() -> None:
    today = date(2026, 11, 25)
    names = list(vocab.load().practices)
    for seed in range(200):
        rng = random.Random(seed)
        done_today = set(rng.sample(names, rng.randint(0, len(names) - 1)))
        last = {n: today for n in done_today}
        last.update(
            {
                n: today - timedelta(days=rng.randint(1, 30))
                for n in names
                if n not in done_today and rng.random() < 0.5
            }
        )
        pick = practice.suggest(last, today, rng)
        assert pick not in done_today
        never = [n for n in names if n not in last]
        if never:
            assert pick in never


def test_suggest_command(runner: CliRunner, home: Path) -> None:
    names = list(vocab.load().practices)
    keep = "music"
    args = [x for n in names if n != keep for x in ("--practice", n)]
    assert run(runner, "log", "calm", *args, "-q").exit_code == 0
    r = run(runner, "suggest")
    assert r.exit_code == 0
    assert r.output.startswith("A small step, if you like: music")


# -- the shell nudge -----------------------------------------------------------------------


def prompt(shell: str, snippet: str, home: Path) -> str:
    script = home.parent / f"snippet.{shell}"
    script.write_text(snippet, encoding="utf-8")
    loose = "umask 022; "  # the usual umask: what the snippet creates must be private anyway
    if shell == "bash":
        cmd = ["bash", "--norc", "--noprofile", "-c", f"{loose}source {script}; __numbtrack_nudge"]
    elif shell == "zsh":
        cmd = ["zsh", "-f", "-c", f"{loose}source {script}; __numbtrack_nudge"]
    else:  # fish runs the function on its prompt event
        cmd = ["fish", "--no-config", "-c", f"{loose}source {script}; emit fish_prompt"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_nudge_shows_once_a_day_only_without_a_checkin(
    runner: CliRunner, home: Path, shell: str
) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    snippet = run(runner, "shell-init", shell).output
    assert "python" not in snippet.lower()
    assert prompt(shell, snippet, home) == "numbtrack: a moment to notice? numbtrack log\n"
    assert prompt(shell, snippet, home) == ""  # at most once a day
    (home / "nudge-shown").unlink()
    assert run(runner, "log", "flat", "-q").exit_code == 0
    assert prompt(shell, snippet, home) == ""  # logged today: nothing to say
    (home / "last-day").write_text((date.today() - timedelta(days=1)).isoformat() + "\n")
    assert prompt(shell, snippet, home) != ""
    (home / "nudge-shown").unlink()
    assert run(runner, "nudge", "quiet").exit_code == 0
    assert prompt(shell, snippet, home) == ""
    (home / "nudge-shown").unlink()
    assert run(runner, "nudge", "off").exit_code == 0
    assert prompt(shell, snippet, home) == ""
    assert run(runner, "nudge", "on").exit_code == 0
    assert prompt(shell, snippet, home) != ""


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_nudge_marker_is_private_and_never_written_through_a_symlink(
    runner: CliRunner, home: Path, tmp_path: Path, shell: str
) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    snippet = run(runner, "shell-init", shell).output
    assert run(runner, "nudge", "on").exit_code == 0
    shown = home / "nudge-shown"
    assert prompt(shell, snippet, home) != ""
    assert (shown.read_text(), shown.stat().st_mode & 0o777) == (f"{date.today()}\n", 0o600)
    own = tmp_path / "own.txt"
    own.write_text("the test's own file\n")
    own.chmod(0o644)
    shown.unlink()
    shown.symlink_to(own)
    assert prompt(shell, snippet, home) != ""
    assert (own.read_text(), own.stat().st_mode & 0o777) == ("the test's own file\n", 0o644)
    assert not shown.is_symlink()
    assert (shown.read_text(), shown.stat().st_mode & 0o777) == (f"{date.today()}\n", 0o600)
    shown.write_text("2000-01-01\n")  # yesterday's marker is replaced, still private
    shown.chmod(0o644)
    assert prompt(shell, snippet, home) != ""
    assert (shown.read_text(), shown.stat().st_mode & 0o777) == (f"{date.today()}\n", 0o600)
    assert prompt(shell, snippet, home) == ""


def test_the_bash_snippet_in_an_interactive_prompt(runner: CliRunner, home: Path) -> None:
    snippet = run(runner, "shell-init", "bash").output
    rc = home.parent / "bashrc"
    rc.write_text(snippet + "\nPS1='$ '\n", encoding="utf-8")
    proc = subprocess.run(
        ["bash", "--rcfile", str(rc), "-i"],
        input="true\ntrue\nexit\n",
        capture_output=True,
        text=True,
        timeout=20,
    )
    shown = (proc.stdout + proc.stderr).count("a moment to notice?")
    assert shown == 1


def test_nudge_and_shell_init_errors(runner: CliRunner) -> None:
    r = run(runner, "shell-init", "powershell")
    assert r.exit_code == 2
    assert "is not one of 'bash', 'zsh', 'fish'" in r.stderr
    r = run(runner, "nudge", "sometimes")
    assert r.exit_code == 2
    assert "is not one of 'off', 'on', 'quiet', 'status'" in r.stderr


# -- demo ---------------------------------------------------------------------------------


def export_of(folder: Path) -> str:
    buf = io.StringIO()
    with Store(folder / "numbtrack.db") as store:
        exchange.write(store.iter_all(), buf, "csv")
    return buf.getvalue()


def test_demo_is_deterministic_and_never_touches_the_default_store(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    r = run(runner, "demo", "--years", "0.5", "--seed", "3", "--until", "2026-11-01")
    assert r.exit_code == 0, r.output
    default_demo = home.with_name(home.name + "-demo")
    assert str(default_demo) in r.output
    assert not (home / "numbtrack.db").exists()
    first = export_of(default_demo)
    assert (
        run(runner, "demo", "--years", "0.5", "--seed", "3", "--until", "2026-11-01").exit_code == 0
    )
    assert export_of(default_demo) == first  # the same again, not doubled
    other = tmp_path / "other"
    run(
        runner,
        "demo",
        "--years",
        "0.5",
        "--seed",
        "3",
        "--until",
        "2026-11-01",
        "--home",
        str(other),
    )
    assert export_of(other) == first
    r = run(runner, "demo", "--years", "0.5", "--home", str(other))
    assert r.exit_code == 2
    assert "already holds" in r.stderr
    assert export_of(other) == first
    run(
        runner,
        "demo",
        "--years",
        "0.5",
        "--seed",
        "4",
        "--until",
        "2026-11-01",
        "--home",
        str(tmp_path / "four"),
    )
    assert export_of(tmp_path / "four") != first


def test_demo_data_is_realistic() -> None:
    checkins = list(demo.generate(2, seed=11, until=date(2026, 11, 1)))
    per_day: dict[date, int] = {}
    for c in checkins:
        per_day[c.at.date()] = per_day.get(c.at.date(), 0) + 1
    all_days = (date(2026, 11, 1) - checkins[0].at.date()).days + 1
    assert len(per_day) < all_days  # some days have none
    assert max(per_day.values()) >= 4  # some have several
    assert 3.5 < len(checkins) / all_days < 6.5
    offsets = {c.at.utcoffset() for c in checkins}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # DST changes
    numb = [c for c in checkins if all(vocab.load().is_numb(w) for w in c.words) and c.words]
    assert 0.1 < len(numb) / len(checkins) < 0.6
    scripts = {ch for c in checkins if c.note for ch in c.note if ord(ch) > 0x3000}
    assert scripts
    assert any("\u0600" <= ch <= "\u06ff" for c in checkins if c.note for ch in c.note)
    with_p = [c.can_feel for c in checkins if c.practices and c.can_feel is not None]
    without = [c.can_feel for c in checkins if not c.practices and c.can_feel is not None]
    assert statistics.mean(with_p) > statistics.mean(without) + 0.5
    assert [c.at for c in checkins] == sorted(c.at for c in checkins)
    assert all(
        c.at <= datetime(2026, 11, 1, 23, 59).astimezone() + timedelta(hours=2) for c in checkins
    )
