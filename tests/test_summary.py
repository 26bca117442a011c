"""Metrics against hand-computed cases, and the rendered week and report."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from typer.testing import CliRunner

from numbtrack import summary
from numbtrack.models import CheckIn, Feeling, Sensation, validate

from .conftest import run

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 20, 0, tzinfo=BERLIN)


def ci(
    when: datetime,
    *words: str,
    feel: int | None = None,
    body: tuple[Sensation, ...] = (),
    tags: tuple[str, ...] = (),
    practices: tuple[str, ...] = (),
    note: str | None = None,
) -> CheckIn:
    return validate(
        CheckIn(
            at=when,
            feelings=tuple(Feeling(w) for w in words),
            can_feel=feel,
            sensations=body,
            tags=tags,
            practices=practices,
            note=note,
        )
    )


def text_of(renderable: object, width: int = 80) -> str:
    from numbtrack import render

    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(render.view(renderable))
    return console.export_text()


# -- metrics -----------------------------------------------------------------------------


def test_entropy_and_effective_number_of_words() -> None:
    # p = (1/2, 1/4, 1/4): H = 1.5 ln 2, exp(H) = 2 ** 1.5
    assert summary.entropy([2, 1, 1]) == pytest.approx(1.5 * math.log(2))
    wr = summary.word_range(Counter({"calm": 2, "sad": 1, "tired": 1}))
    assert wr.effective == pytest.approx(2**1.5)
    assert wr.distinct == 3
    assert wr.mentions == 4
    assert summary.word_range(Counter({"numb": 5})).effective == pytest.approx(1.0)
    assert summary.entropy([]) == 0.0


def test_specific_share_counts_broad_words_apart() -> None:
    # calm and numb are specific, good is broad, a word of one's own counts as specific
    wr = summary.word_range(Counter({"calm": 2, "good": 1, "numb": 1, "glimmery": 1}))
    assert wr.specific_share == pytest.approx(4 / 5)


def test_context_is_hidden_until_both_sides_have_three() -> None:
    day = datetime(2026, 11, 2, 9, tzinfo=BERLIN)
    with_music = [
        ci(day + timedelta(hours=i), "calm", feel=6 + i % 2, practices=("music",)) for i in range(3)
    ]
    without = [ci(day + timedelta(hours=5 + i), "flat", feel=2) for i in range(2)]
    assert summary.context_rows(with_music + without) == []
    without.append(ci(day + timedelta(hours=9), "flat", feel=4))
    [row] = summary.context_rows(with_music + without)
    assert (row.name, row.kind, row.with_n, row.without_n) == ("music", "practice", 3, 3)
    assert row.with_median == 6
    assert row.without_median == 2
    unrated = ci(day + timedelta(hours=10), "calm", practices=("music",))
    assert summary.context_rows([*with_music, *without, unrated])[0].with_n == 3


def test_numb_stretches_run_across_a_week_boundary() -> None:
    sun = datetime(2026, 11, 22, 10, tzinfo=BERLIN)  # Sunday of W47
    checkins = [
        ci(sun - timedelta(days=2), "calm"),
        ci(sun, "numb"),
        ci(sun + timedelta(hours=8), "flat", "empty"),
        ci(sun + timedelta(days=1), "nothing"),  # Monday of W48
        ci(sun + timedelta(days=2), "sad", "numb"),  # mixed ends the run
        ci(sun + timedelta(days=3), "numb"),
    ]
    result = summary.build_report(checkins, date(2026, 11, 16), date(2026, 11, 29), now=NOW)
    s = result.whole.stretches
    assert s.longest == 3
    assert s.longest_from == sun
    assert s.longest_to == sun + timedelta(days=1)
    assert s.last_non_numb_word == "sad"
    assert s.last_non_numb == sun + timedelta(days=2)


def test_last_non_numb_word_can_come_from_before_the_period() -> None:
    before = (datetime(2026, 10, 1, 9, tzinfo=BERLIN), "hopeful")
    week = [ci(datetime(2026, 11, 23, 9, tzinfo=BERLIN), "numb")]
    s = summary.summarize(week, date(2026, 11, 23), date(2026, 11, 29), last_non_numb=before)
    assert s.stretches.last_non_numb_word == "hopeful"


def test_numb_words_never_move_the_averages() -> None:
    day = datetime(2026, 11, 23, 9, tzinfo=BERLIN)
    a = summary.summarize([ci(day, "calm")], day.date(), day.date())
    b = summary.summarize([ci(day, "calm", "numb", "flat")], day.date(), day.date())
    assert a.valence_mean == b.valence_mean
    assert a.arousal_mean == b.arousal_mean
    assert b.left_out == 2
    assert b.circumplex_n == 1


def test_week_bounds_and_labels() -> None:
    assert summary.week_bounds(date(2026, 11, 25)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert summary.week_label(date(2026, 12, 31)) == "2026-W53"
    assert summary.week_label(date(2027, 1, 1)) == "2026-W53"


# -- rendering ---------------------------------------------------------------------------


def seeded_week() -> list[CheckIn]:
    mon = datetime(2026, 11, 23, 9, tzinfo=BERLIN)
    return [
        ci(mon - timedelta(days=6), "calm", feel=5),  # the week before
        ci(mon - timedelta(days=5), "numb", feel=1),
        ci(mon, "numb", "flat", feel=2, body=(Sensation("chest", "numb"),)),
        ci(mon + timedelta(hours=10), "numb", feel=1),
        ci(
            mon + timedelta(days=1),
            "anxious",
            "tired",
            feel=4,
            tags=("work",),
            body=(Sensation("chest", "tight", 3, "more"), Sensation("stomach", "churning")),
        ),
        ci(
            mon + timedelta(days=2),
            "calm",
            feel=6,
            practices=("music",),
            body=(Sensation("hands", "warm", 2, "less"),),
            note="the kettle sang",
        ),
        ci(mon + timedelta(days=2, hours=5), "sad", "wistful", feel=3, tags=("work",)),
    ]


def test_rendered_seeded_week() -> None:
    week = summary.build_week(seeded_week(), date(2026, 11, 25), now=NOW)
    out = text_of(week)
    assert "Week 2026-W48" in out
    assert "5 check-ins on 3 of 7 days." in out
    assert "Mon 23 Nov          2" in out
    assert "Thu 26 Nov          –" in out
    assert "numb ×2, flat" in out
    assert "Numb was the state of 2 of 5 check-ins (40%)." in out
    assert "7 different words in 8 mentions" in out
    assert "█ chest        2  1" in out
    assert "You checked in 5 times, 3 more than last week." in out
    assert "You named 7 different words, 5 more than last week." in out
    assert "the kettle sang" not in out  # notes only with --notes
    assert out.rstrip().endswith("People you can reach: numbtrack support")
    assert max(len(line) for line in out.splitlines()) <= 80
    for unkind in ("streak", "missed", "fail", "should"):
        assert unkind not in out.lower()
    noted = text_of(summary.build_week(seeded_week(), date(2026, 11, 25), now=NOW, show_notes=True))
    assert "the kettle sang" in noted


def test_rendered_empty_week_is_kind() -> None:
    out = text_of(summary.build_week([], date(2026, 11, 25), now=NOW))
    assert "Nothing was logged this week. That is all right" in out
    assert "numbtrack support" in out


def test_a_numb_run_within_one_day_is_on_that_day() -> None:
    mon = datetime(2026, 11, 23, 9, tzinfo=BERLIN)
    checkins = [ci(mon + timedelta(hours=i), "numb") for i in range(3)]
    out = text_of(summary.build_week(checkins, mon.date(), now=NOW), width=200)
    assert "The longest run of numb check-ins was 3, on Mon 23 Nov." in out


def test_a_numb_run_over_days_is_from_one_to_the_other() -> None:
    mon = datetime(2026, 11, 23, 9, tzinfo=BERLIN)
    checkins = [ci(mon + timedelta(days=i), "numb") for i in range(3)]
    out = text_of(summary.build_week(checkins, mon.date(), now=NOW), width=200)
    assert "The longest run of numb check-ins was 3, from Mon 23 Nov to Wed 25 Nov." in out


def test_rendered_week_with_only_numb_checkins() -> None:
    mon = datetime(2026, 11, 23, 9, tzinfo=BERLIN)
    checkins = [ci(mon + timedelta(days=i), "numb", feel=0) for i in range(5)]
    out = text_of(summary.build_week(checkins, mon.date(), now=NOW))
    assert "Numb was the state of 5 of 5 check-ins (100%)." in out
    assert "The longest run of numb check-ins was 5" in out
    assert "lean" not in out  # no pleasant/energy figure from numb words
    assert "1 different words" not in out


def test_rendered_week_across_a_dst_change() -> None:
    # Europe/Berlin leaves summer time on Sunday 25 October 2026 at 03:00.
    mon = datetime(2026, 10, 19, 9, tzinfo=BERLIN)
    checkins = [
        ci(datetime(2026, 10, 25, 1, 30, tzinfo=BERLIN), "flat"),  # +02:00
        ci(datetime(2026, 10, 25, 23, 30, tzinfo=BERLIN), "calm", feel=5),  # +01:00
        ci(datetime(2026, 10, 26, 0, 30, tzinfo=BERLIN), "tired"),  # next week
    ]
    week = summary.build_week(checkins, mon.date(), now=NOW)
    assert week.summary.checkins == 2
    assert checkins[0].at.utcoffset() == timedelta(hours=2)
    assert checkins[1].at.utcoffset() == timedelta(hours=1)
    out = text_of(week)
    assert "Sun 25 Oct          2" in out
    assert "Week 2026-W43" in out


def test_rendered_report() -> None:
    checkins = seeded_week()
    report = summary.build_report(checkins, date(2026, 11, 16), date(2026, 11, 29), now=NOW)
    out = text_of(report, width=100)
    assert "2026-W47" in out
    assert "2026-W48" in out
    assert "Words named most" in out
    assert "numb ×3, calm ×2, flat, anxious" in out
    assert "not an assessment" in out
    assert "numbtrack support" in out


# -- commands ----------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_week_command_saves_svg_and_html(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    assert run(runner, "log", "wistful", "calm", "--feel", "4", "-q").exit_code == 0
    svg, html, txt = tmp_path / "w.svg", tmp_path / "w.html", tmp_path / "w.txt"
    for target in (svg, html, txt):
        r = run(runner, "week", "--save", str(target))
        assert r.exit_code == 0, r.output
        assert oct(target.stat().st_mode & 0o777) == "0o600"
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert "wistful" in "".join(root.itertext()).replace("\xa0", " ")
    parser = _Text()
    parser.feed(html.read_text(encoding="utf-8"))
    assert "wistful" in "".join(parser.text)
    assert "wistful" in txt.read_text(encoding="utf-8")
    r = run(runner, "week", "--save", str(svg))
    assert r.exit_code == 2
    assert "--force" in r.stderr
    assert run(runner, "week", "--save", str(svg), "--force").exit_code == 0
    r = run(runner, "week", "--save", str(tmp_path / "w.doc"))
    assert r.exit_code == 2
    assert ".txt, .svg, .html or .pdf" in r.stderr


def test_week_and_report_arguments(runner: CliRunner, home: Path) -> None:
    r = run(runner, "week")
    assert r.exit_code == 0
    assert "Nothing was logged this week" in r.output
    assert run(runner, "week", "last").exit_code == 0
    assert "Week 2026-W10" in run(runner, "week", "2026-W10").output
    assert "Week 2026-W10" in run(runner, "week", "2026-03-04").output
    r = run(runner, "week", "someweek")
    assert r.exit_code == 2
    assert "not a week" in r.stderr
    r = run(runner, "report", "--from", "2026-11-10", "--to", "2026-11-01")
    assert r.exit_code == 2
    assert "swap" in r.stderr
    r = run(runner, "report")
    assert r.exit_code == 0
    assert "No check-ins in this period" in r.output


def test_week_in_another_offset_uses_local_days(runner: CliRunner, home: Path) -> None:
    at = datetime(2026, 11, 23, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert run(runner, "log", "calm", "--at", at.isoformat(), "-q").exit_code == 0
    out = run(runner, "week", "2026-11-23").output
    assert "Mon 23 Nov          1" in out


def has_colour(output: str) -> bool:
    """Whether any SGR escape sets a foreground or background colour."""
    for params in re.findall(r"\x1b\[([0-9;]*)m", output):
        codes = [int(p) for p in params.split(";") if p]
        for c in codes:
            if c in (38, 48) or 30 <= c <= 37 or 40 <= c <= 47 or 90 <= c <= 97 or c >= 100:
                return True
    return False


def test_no_color_is_honoured_on_a_colour_terminal(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        run(runner, "log", "wistful", "calm", "--feel", "4", "--body", "chest:warm", "-q").exit_code
        == 0
    )
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = run(runner, "week").output
    assert has_colour(coloured)  # the check below can see colour when there is some
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run(runner, "week").output
    assert not has_colour(plain)
    assert "wistful" in plain


def test_a_mean_near_zero_is_described_as_even_not_as_a_direction() -> None:
    from numbtrack.render import lean

    assert lean(-0.001, "higher energy", "lower energy", "energy") == (
        "are about even on energy (+0.00)"
    )
    assert lean(-0.21, "pleasant", "unpleasant", "pleasant/unpleasant") == "lean unpleasant (-0.21)"
