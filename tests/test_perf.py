"""The fast paths give exactly what the plain ones give: exports, `list --all --json`, reports.

Speed itself is measured in bench/, never here; these tests pin that the faster code (packed
rows, one-pass summaries, progress bars) changes no byte of what a person gets.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numbtrack import exchange, summary
from numbtrack.exchange import native
from numbtrack.models import CheckIn, Feeling, Sensation, Typed
from numbtrack.store import Filter, Store

from .conftest import a_year_exported, run
from .strategies import checkins as checkin_strategy

histories = st.lists(checkin_strategy, min_size=0, max_size=8, unique_by=lambda c: c.id)


def _fill(history: list[CheckIn]) -> Store:
    store = Store()
    store.conn.execute("DELETE FROM checkins")  # hypothesis reuses the folder between examples
    for c in history:
        store.add(c)
    return store


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories)
def test_export_from_packed_rows_is_byte_identical(fmt: str, history: list[CheckIn]) -> None:
    with _fill(history) as store:
        plain, fast = io.StringIO(), io.StringIO()
        exchange.write(store.iter_all(), plain, fmt)
        exchange.export(store, Filter(), fast, fmt)
    assert fast.getvalue() == plain.getvalue()


def _as_json_dumps_writes(store: Store) -> str:
    """The whole history, newest first, as the plain definition of `--format json` writes it."""
    listed = [native.to_dict(c) for c in store.iter_all(newest_first=True)]
    return json.dumps(listed, ensure_ascii=False, indent=2) + "\n"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories)
def test_json_list_from_packed_rows_is_what_json_dumps_writes(history: list[CheckIn]) -> None:
    with _fill(history) as store:
        expected = _as_json_dumps_writes(store)
        out = io.StringIO()
        native.write_json_list(exchange.packed_rows(store, Filter(), newest_first=True), out)
    assert out.getvalue() == expected


def _old_and_fast(store: Store) -> list[tuple[str, str, str]]:
    """(format, the plain writers' output over CheckIns, the fast path's output)."""
    out = []
    for fmt in ("csv", "json", "jsonl"):
        plain, fast = io.StringIO(), io.StringIO()
        exchange.write(store.iter_all(), plain, fmt)
        exchange.export(store, Filter(), fast, fmt)
        out.append((fmt, plain.getvalue(), fast.getvalue()))
    listed = [native.to_dict(c) for c in store.iter_all(newest_first=True)]
    fast = io.StringIO()
    batches = store.iter_text("json-list", typed=store.any_typed(), newest_first=True)
    native.write_json_list_text(batches, fast)
    out.append(("list", json.dumps(listed, ensure_ascii=False, indent=2) + "\n", fast.getvalue()))
    return out


def test_fast_exports_of_a_demo_year_with_own_words_are_byte_identical(
    home: Path, runner: CliRunner
) -> None:
    run(runner, "demo", "--years", "1", "--seed", "5", "--home", str(home))
    with Store() as store:
        for i, note in enumerate(
            ['=1+1, "quoted"', "two\nlines", "-minus", "@at", "'tick", "a\rb"]
        ):
            store.add(
                CheckIn(
                    at=datetime(2026, 11, 1, 9).astimezone() + timedelta(minutes=i),
                    can_feel=i,
                    sleep_hours=7.25 if i % 2 else None,
                    feelings=(Feeling("glimmery", 2, custom=True), Feeling("calm")),
                    sensations=(Sensation("chest", "swimmy", 3, "more", "pleasant", True),),
                    practices=("knitting:own", "music"),
                    tags=("work",),
                    note=note,
                )
            )
        for fmt, plain, fast in _old_and_fast(store):
            assert (fmt, fast) == (fmt, plain)


def _awkward_store(store: Store) -> None:
    """Check-ins no demo makes: every control character, quotes, commas and line breaks in
    notes, notes that a spreadsheet would run, text from many scripts, many parts, own words
    and practices, typed names, floats whose shortest form is long, a deleted check-in, and
    parts stored in the reverse of their order."""
    base = datetime(2026, 3, 1, 9).astimezone()
    notes = [
        "".join(chr(i) for i in range(1, 32) if i != 13) + "\x7f end",
        'say "hello", then\nleave',
        "=SUM(A1:A2)",
        "+1",
        "-2, minus",
        "@home",
        "\ttabbed",
        "'quoted'",
        "naïve café 日本語 😶 \u2028 \u2029 \ufeff back\\slash /",
        "ends with a comma,",
        '"',
        ",",
        None,
    ]
    sleeps = [0.1 + 0.2, 1e-05, 0.0001, 23.999999999999996, 7.0, 0.0, 24.0, 1 / 3, None]
    for i, note in enumerate(notes):
        store.add(
            CheckIn(
                at=base + timedelta(hours=i),
                can_feel=i % 11,
                state=None if i % 3 else "mixed",
                sleep_hours=sleeps[i % len(sleeps)],
                feelings=tuple(
                    Feeling(w, (j % 5) + 1 if j % 2 else None, custom=w == "glimmery")
                    for j, w in enumerate(["calm", "numb", "glimmery", "flat", "tired"][: i % 6])
                ),
                sensations=tuple(
                    Sensation(
                        "chest",
                        q,
                        3 if j else None,
                        "less" if j == 1 else None,
                        "neutral" if j == 2 else None,
                        custom=q == "swimmy",
                    )
                    for j, q in enumerate(["tight", "swimmy", "heavy"][: i % 4])
                ),
                practices=("knitting:own", "music") if i % 2 else (),
                tags=tuple(f"tag-{k}" for k in range(i * 7)),
                note=note,
            )
        )
    store.add(
        CheckIn(
            at=base - timedelta(days=1),
            practices=("movement",),
            typed=(Typed("practice", "walk", "movement"),),
        )
    )
    gone = store.add(CheckIn(at=base - timedelta(days=2), feelings=(Feeling("numb"),)))
    store.delete(gone.id)
    with store.conn:
        for table in ("feelings", "sensations", "tags"):
            rows = store.conn.execute(
                f"SELECT * FROM {table} ORDER BY checkin_id, position DESC"
            ).fetchall()
            store.conn.execute(f"DELETE FROM {table}")
            marks = ",".join("?" * len(rows[0]))
            store.conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def test_exports_of_awkward_check_ins_are_what_the_plain_writers_write() -> None:
    with Store() as store:
        _awkward_store(store)
        outputs = _old_and_fast(store)
        count = store.count()
    assert count == 14  # the deleted one is in no output
    for fmt, plain, got in outputs:
        assert (fmt, got) == (fmt, plain)


def test_a_cell_to_quote_outside_the_note_takes_the_exact_way() -> None:
    with Store() as store:
        _awkward_store(store)
        # Not something numbtrack writes, but a store is only a file: a foreign tool may have.
        store.conn.execute(
            "UPDATE checkins SET created_at = '=1,\"2\"' WHERE pk = (SELECT min(pk) FROM checkins)"
        )
        store.conn.execute("UPDATE checkins SET updated_at = '-3' WHERE note = '+1'")
        for fmt, plain, got in _old_and_fast(store):
            assert (fmt, got) == (fmt, plain)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories)
def test_list_all_json_from_sqlite_text_is_what_json_dumps_writes(history: list[CheckIn]) -> None:
    with _fill(history) as store:
        expected = _as_json_dumps_writes(store)
        out = io.StringIO()
        batches = store.iter_text("json-list", typed=store.any_typed(), newest_first=True)
        native.write_json_list_text(batches, out)
    assert out.getvalue() == expected


@given(st.text(alphabet=st.sampled_from("a,\"\r\n=+-@\t' x"), max_size=12))
def test_a_csv_cell_is_written_as_csv_writer_writes_it(cell: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(["x", native.neutralise(cell)])
    assert buffer.getvalue() == "x," + native._csv_text(cell) + "\r\n"


def test_list_all_json_matches_a_limited_list_of_everything(runner: CliRunner) -> None:
    with Store() as store:
        for i in range(30):
            store.add(
                CheckIn(
                    at=datetime(2026, 11, 1, 9).astimezone() + timedelta(hours=i),
                    feelings=(Feeling("calm", i % 5 + 1), Feeling("numb")),
                    sensations=(Sensation("chest", "tight", 2, "more"),),
                    tags=("work",) if i % 2 else (),
                    note=f"note {i}" if i % 3 else None,
                )
            )
    everything = run(runner, "list", "--json", "--limit", "1000").stdout
    assert run(runner, "list", "--all", "--json").stdout == everything


def test_export_with_terms_keeps_only_the_matches(runner: CliRunner) -> None:
    with Store() as store:
        for i in range(6):
            store.add(
                CheckIn(
                    at=datetime(2026, 11, 1, 9).astimezone() + timedelta(days=i),
                    feelings=(Feeling("calm"),),
                    tags=("therapy",) if i % 2 else (),
                )
            )
    lines = run(runner, "export", "tag:therapy", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["tags"] for r in records if "id" in r] == [["therapy"]] * 3


@given(st.lists(st.integers(0, 10), min_size=1, max_size=40))
def test_median_of_counts_is_statistics_median(values: list[int]) -> None:
    got = summary._median(Counter(values))
    want = statistics.median(values)
    assert (got, type(got)) == (want, type(want))


@given(st.lists(st.integers(0, 10), min_size=1, max_size=40))
def test_median_is_statistics_median(values: list[int]) -> None:
    got = summary.median(values)
    want = statistics.median(values)
    assert (got, type(got)) == (want, type(want))


@given(st.lists(st.floats(-1, 1, allow_nan=False), min_size=1, max_size=60))
def test_fmean_is_statistics_fmean(values: list[float]) -> None:
    assert summary.fmean(values) == statistics.fmean(values)


def test_a_report_read_in_batches_equals_one_built_from_a_list() -> None:
    base = datetime(2026, 10, 5, 8, 0, 0, 500_000).astimezone()
    with Store() as store:
        for i in range(40):
            # pairs within one second, written in the opposite order of their times
            at = base + timedelta(hours=7 * (i // 2)) - timedelta(microseconds=100 * (i % 2))
            store.add(
                CheckIn(
                    at=at,
                    can_feel=i % 11,
                    state="numb" if i % 3 else None,
                    feelings=(Feeling("numb"),) if i % 3 else (Feeling("calm"),),
                    tags=("walk",) if i % 4 else (),
                    practices=("music",) if i % 5 == 0 else (),
                    note="n" if i % 7 == 0 else None,
                )
            )
        start, end = date(2026, 10, 1), date(2026, 10, 31)
        streamed = summary.load_report(store, start, end)
        listed = summary.build_report(
            store.between(start, end),
            start,
            end,
            last_non_numb=store.last_non_numb_word(start),
        )
    assert streamed == listed


def _on_a_terminal(args: list[str], env: dict[str, str], out: Path) -> bytes:
    """Run numbtrack with stderr on a pseudo-terminal and stdout into a file; return stderr."""
    main, child = pty.openpty()
    with out.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "numbtrack", *args],
            stdout=fh,
            stderr=child,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    os.close(child)
    err = b""
    while proc.poll() is None or select.select([main], [], [], 0)[0]:
        ready, _, _ = select.select([main], [], [], 1)
        if ready:
            try:
                err += os.read(main, 65536)
            except OSError:
                break
    proc.wait(timeout=60)
    os.close(main)
    return err


def test_long_export_shows_a_progress_bar_on_a_terminal_and_not_in_its_output(
    home: Path, runner: CliRunner
) -> None:
    run(runner, "demo", "--years", "1", "--seed", "3", "--home", str(home))
    piped = subprocess.run(
        [sys.executable, "-m", "numbtrack", "export"],
        capture_output=True,
        env={**os.environ, "NUMBTRACK_PROGRESS_AFTER": "0"},
        check=True,
    )
    env = {**os.environ, "NUMBTRACK_PROGRESS_AFTER": "0", "COLUMNS": "80", "TERM": "xterm"}
    err = _on_a_terminal(["export"], env, home.parent / "out.csv")
    assert b"Exporting" in err
    assert (home.parent / "out.csv").read_bytes() == piped.stdout
    assert piped.stderr == b""


TERMINAL = {"NUMBTRACK_PROGRESS_AFTER": "0", "COLUMNS": "80", "TERM": "xterm"}
"""A bar at once, on an 80-column terminal."""


def _piped(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "numbtrack", *args],
        capture_output=True,
        env={**os.environ, "NUMBTRACK_PROGRESS_AFTER": "0"},
        check=True,
    )


def test_long_import_and_report_show_a_bar_on_a_terminal_and_not_in_their_output(
    home: Path, runner: CliRunner
) -> None:
    dump = a_year_exported(runner, home)
    env = {**os.environ, **TERMINAL}
    report = ["report", "--from", "2000-01-01"]
    err = _on_a_terminal(report, env, home.parent / "report.txt")
    assert b"Counting" in err
    assert (home.parent / "report.txt").read_bytes() == _piped(*report).stdout
    fresh = ["--home", str(home.parent / "a"), "import", str(dump)]
    err = _on_a_terminal(fresh, env, home.parent / "import.txt")
    assert b"Importing" in err
    piped = _piped("--home", str(home.parent / "b"), "import", str(dump))
    assert ((home.parent / "import.txt").read_bytes(), piped.stderr) == (piped.stdout, b"")


def test_long_sync_shows_a_bar_on_a_terminal_and_not_in_its_output(
    home: Path, runner: CliRunner
) -> None:
    """The first sync of a device: a bar, though the sync tells no counts along the way."""
    run(runner, "demo", "--years", "1", "--seed", "3", "--home", str(home))
    folder = home.parent / "sync"
    folder.mkdir()
    run(runner, "sync", "init", str(folder), "--name", "here")
    run(runner, "sync")
    env = {**os.environ, **TERMINAL}
    homes = {name: ["--home", str(home.parent / name)] for name in ("a", "b", "c")}
    for name, option in homes.items():
        run(runner, *option, "sync", "init", str(folder), "--name", name)
    err = _on_a_terminal([*homes["a"], "sync"], env, home.parent / "a.txt")
    assert b"Syncing" in err
    piped = _piped(*homes["b"], "sync")
    assert ((home.parent / "a.txt").read_bytes(), piped.stderr) == (piped.stdout, b"")
    quiet = _on_a_terminal([*homes["c"], "sync", "--quiet"], env, home.parent / "c.txt")
    assert (quiet, (home.parent / "c.txt").read_bytes()) == (b"", b"")


def test_a_bar_appears_after_its_wait_without_any_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work that tells no counts (one long call) still shows the bar once the wait is up."""
    from numbtrack.progress import Progress

    main, child = pty.openpty()
    terminal = os.fdopen(child, "w", encoding="utf-8")
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("NUMBTRACK_PROGRESS_AFTER", "0")
    with Progress("Waiting"):
        shown = b""
        while b"Waiting" not in shown and select.select([main], [], [], 10)[0]:
            shown += os.read(main, 65536)
    terminal.close()
    os.close(main)
    assert b"Waiting" in shown


COUNTERS = ("words", "body_pairs", "regions", "region_more", "region_less", "practices", "tags")


def _in_order(report: summary.Report) -> list[list[object]]:
    """Everything a Report holds, with every Counter and dict of the whole period as its
    items in order (a Counter's order decides the ties of most_common, so the report's
    text; a week's row holds its regions in that order already)."""
    s = report.whole
    return [
        list(report.weeks),
        [s, *(list(getattr(s, k).items()) for k in COUNTERS)],
        [list(s.states.items()), list(s.quadrants.items()), s.context, s.notes],
    ]


def _listed(store: Store, start: date, end: date) -> summary.Report:
    """The report built the plain way, from the check-ins themselves."""
    return summary.build_report(
        store.between(start, end), start, end, last_non_numb=store.last_non_numb_word(start)
    )


WAYS = pytest.mark.parametrize(
    "way", [summary.report_from_rows, summary.report_from_parts], ids=["rows", "parts"]
)
"""The two ways load_report counts a period: each must give build_report's Report."""


@WAYS
def test_a_report_from_counts_keeps_ties_in_the_order_they_were_first_met(
    way: Callable[[Store, date, date], summary.Report],
) -> None:
    """Two of each name, so every count ties; met in an order unlike the alphabet or the
    order of writing (same-second pairs written newest first, a time zone that puts a later
    local day at an earlier moment), over two weeks and the start of a third."""
    berlin = datetime(2026, 10, 5, 23, 30).astimezone(timezone(timedelta(hours=2)))
    names = [
        ("tired", "chest", "tight", "music", "zeta"),
        ("calm", "back", "warm", "smell", "alpha"),
    ]
    with Store() as store:
        for i in range(24):
            word, region, quality, practice, tag = names[(i // 3) % 2]
            other = names[1 - (i // 3) % 2]
            at = berlin + timedelta(hours=13 * (i // 2)) - timedelta(seconds=i % 2)
            if i == 5:  # a day later by the clock there, earlier in UTC
                at = at.astimezone(timezone(timedelta(hours=-10)))
            store.add(
                CheckIn(
                    at=at,
                    can_feel=(3 * i) % 11 if i % 4 else None,
                    feelings=(Feeling(word), Feeling(other[0]), Feeling("numb")),
                    sensations=(
                        Sensation(other[1], other[2], direction="more" if i % 2 else None),
                        Sensation(region, quality, direction="less" if i % 3 else None),
                    ),
                    practices=(other[3], practice),
                    tags=(tag, other[4]) if i % 5 else (),
                    note=f"note {i}" if i % 6 == 0 else None,
                )
            )
        start, end = date(2026, 10, 6), date(2026, 10, 19)
        fast = way(store, start, end)
        plain = _listed(store, start, end)
    assert _in_order(fast) == _in_order(plain)


@WAYS
def test_a_report_from_counts_takes_the_last_word_from_before_the_period(
    way: Callable[[Store, date, date], summary.Report],
) -> None:
    with Store() as store:
        store.add(CheckIn(at=datetime(2026, 9, 1, 9).astimezone(), feelings=(Feeling("calm"),)))
        for day in range(3):
            store.add(
                CheckIn(at=datetime(2026, 10, 6 + day, 9).astimezone(), feelings=(Feeling("numb"),))
            )
        fast = way(store, date(2026, 10, 5), date(2026, 10, 11))
        plain = _listed(store, date(2026, 10, 5), date(2026, 10, 11))
    assert (fast.whole.stretches, fast) == (plain.whole.stretches, plain)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=st.lists(checkin_strategy, min_size=0, max_size=25, unique_by=lambda c: c.id))
@WAYS
def test_a_report_from_counts_is_the_report_of_the_check_ins(
    way: Callable[[Store, date, date], summary.Report], history: list[CheckIn]
) -> None:
    with _fill(history) as store:
        days = [c.day for c in store.between(date(2000, 1, 1), date(2100, 1, 1))]
        start = min(days, default=date(2026, 1, 1)) + timedelta(days=3)
        end = max(days, default=date(2026, 1, 1))
        if start > end:
            start = end
        fast = way(store, start, end)
        plain = _listed(store, start, end)
    assert _in_order(fast) == _in_order(plain)
