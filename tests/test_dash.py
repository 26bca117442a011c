"""The dashboard, driven with Textual's pilot against a real store in a temporary folder."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from textual.widgets import DataTable, Input, Select, Static, TabbedContent
from textual.worker import WorkerCancelled

from numbtrack import demo
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import Store, same_content
from numbtrack.tui.app import NumbtrackApp

from .conftest import stored_count

NOW = datetime(2026, 11, 25, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
SIZE = (100, 34)


def seed(years: float = 1.0) -> None:
    with Store() as store:
        store.put_many(demo.generate(years, seed=5, until=date(2026, 11, 25)))


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and their results reach the screen.

    A load replaced by a newer one (exclusive workers) ends as cancelled; that is expected.
    """
    for _ in range(2):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()


def text_of(app: NumbtrackApp, selector: str) -> str:
    """The plain text a Static shows, whatever it holds (a string or a Rich renderable)."""
    content = app.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(content)
    return console.export_text()


def app() -> NumbtrackApp:
    return NumbtrackApp(now=NOW, watch_interval=0)


async def test_log_through_the_form_then_see_it_in_entries_and_overview(home: Path) -> None:
    seed(0.2)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-region", Select).value = "chest"
        a.query_one("#log-quality", Select).value = "tight"
        a.query_one("#log-intensity", Input).value = "3"
        await pilot.click("#log-add-body")
        assert "chest:tight:3" in text_of(a, "#log-sensations")
        a.query_one("#log-words", Input).focus()
        await pilot.press(*"wistful numb")
        a.query_one("#log-feel", Input).focus()
        await pilot.press("4")
        a.query_one("#log-tags", Input).focus()
        await pilot.press(*"rainy-day")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(a, "#log-error") == ""
        with Store() as store:
            [c] = [c for c in store.iter_all() if "rainy-day" in c.tags]
        assert c.words == ["wistful", "numb"] and c.can_feel == 4
        assert c.sensations == (Sensation("chest", "tight", 3),)
        assert c.at == NOW
        await pilot.press("escape", "e")
        await settle(pilot)
        table = a.query_one("#entries-table", DataTable)
        first = [str(cell) for cell in table.get_row_at(0)]
        assert "wistful, numb" in first and "4" in first
        await pilot.press("o")
        await settle(pilot)
        assert "wistful" in text_of(a, "#overview-words")


async def test_a_validation_error_is_shown_inline(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-words", Input).value = "anxios"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert 'did you mean "anxious"' in text_of(a, "#log-error")
        a.query_one("#log-words", Input).value = "calm"
        a.query_one("#log-feel", Input).value = "11"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "0 (nothing) to 10" in text_of(a, "#log-error")
    assert stored_count(home) == 0


async def test_search_and_filter(home: Path) -> None:
    seed(0.3)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        search = a.query_one("#entries-search", Input)
        search.focus()
        await pilot.press(*"region:chest state:numb")
        await settle(pilot)
        assert a.entries
        assert all(any(s.region == "chest" for s in c.sensations) for c in a.entries)
        assert all(c.state == "numb" for c in a.entries)
        assert a.query_one("#entries-table", DataTable).row_count == len(a.entries)
        search.value = "word:anxios"
        await settle(pilot)
        assert 'did you mean "anxious"' in text_of(a, "#entries-status")
        assert a.query_one("#entries-table", DataTable).row_count == 0


async def test_delete_with_confirmation_and_undo(home: Path) -> None:
    with Store() as store:
        for word in ("calm", "numb", "tired"):
            store.add(CheckIn(at=NOW.replace(hour=9), feelings=(Feeling(word),)))
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        doomed = a.entries[0]
        await pilot.press("d")
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert stored_count(home) == 3
        await pilot.press("d", "y")
        await settle(pilot)
        with Store() as store:
            assert store.count() == 2
            assert doomed.id not in [c.id for c in store.iter_all()]
        assert len(a.entries) == 2
        await pilot.press("u")
        await settle(pilot)
        with Store() as store:
            assert same_content(store.get(doomed.id), doomed)
        assert len(a.entries) == 3


async def test_moving_between_weeks(home: Path) -> None:
    seed(0.2)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "Week 2026-W48" in text_of(a, "#week-view")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert "Week 2026-W46" in text_of(a, "#week-view")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "Week 2026-W47" in text_of(a, "#week-view")
        assert a.query_one(TabbedContent).active == "week"


async def test_an_empty_store_is_welcomed(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert a.query_one("#overview-welcome").display
        assert not a.query_one("#overview-calendar").display
        assert "Welcome to numbtrack" in text_of(a, "#overview-welcome")


async def test_a_checkin_from_another_shell_appears(home: Path) -> None:
    a = NumbtrackApp(now=NOW, watch_interval=0.1)
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert a.query_one("#overview-welcome").display
        with Store() as other:  # another process's connection, as `numbtrack log` would use
            other.add(CheckIn(at=NOW.replace(hour=10), feelings=(Feeling("hopeful"),)))
        for _ in range(50):  # the timer notices within a few ticks
            await pilot.pause(0.1)
            await settle(pilot)
            if not a.query_one("#overview-welcome").display:
                break
        await settle(pilot)
        assert "hopeful" in text_of(a, "#overview-words")
        await pilot.press("e")
        assert [c.words for c in a.entries] == [["hopeful"]]


async def test_command_palette_switches_screens(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Week")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert a.query_one(TabbedContent).active == "week"


# -- snapshots -------------------------------------------------------------------------------


@pytest.fixture
def seeded(home: Path) -> Path:
    seed(1.0)
    return home


def _go(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


def test_snapshot_overview(seeded: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Overview of a seeded year: calendar, trend, words, body map, numb stretches."""
    assert snap_compare(app(), terminal_size=SIZE, run_before=_go())


def test_snapshot_overview_at_80x24(seeded: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The overview still fits and reads at 80 by 24."""
    assert snap_compare(app(), terminal_size=(80, 24), run_before=_go())


def test_snapshot_entries(seeded: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Entries: the table of check-ins with the selected one in the detail panel."""
    assert snap_compare(app(), terminal_size=SIZE, run_before=_go("e", "down"))


def test_snapshot_log(seeded: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Log: the empty form, body first."""
    assert snap_compare(app(), terminal_size=SIZE, run_before=_go("l"))


def test_snapshot_week(seeded: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Week: the same summary `numbtrack week` prints."""
    assert snap_compare(app(), terminal_size=SIZE, run_before=_go("w"))


def test_snapshot_empty_first_run(home: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """A first run on an empty store welcomes the person instead of drawing empty charts."""
    assert snap_compare(app(), terminal_size=SIZE, run_before=_go())


async def test_edit_from_entries_through_the_form(home: Path) -> None:
    with Store() as store:
        original = store.add(
            CheckIn(
                at=NOW.replace(hour=9),
                feelings=(Feeling("flat"),),
                can_feel=2,
                tags=("work",),
                note="before",
            )
        )
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")  # edit the selected check-in
        await settle(pilot)
        assert a.query_one(TabbedContent).active == "log"
        assert a.query_one("#log-words", Input).value == "flat"
        assert "Editing" in text_of(a, "#log-title")
        a.query_one("#log-words", Input).value = "flat hopeful"
        a.query_one("#log-feel", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store() as store:
        [c] = list(store.iter_all())
    assert c.id == original.id and c.at == original.at and c.created_at == original.created_at
    assert c.words == ["flat", "hopeful"] and c.can_feel == 5 and c.state == "mixed"
    assert c.tags == ("work",) and c.note == "before"


async def test_notes_and_tags_are_shown_as_written(home: Path) -> None:
    """Markup-like text and emoji codes in a check-in never turn into styles or emoji."""
    with Store() as store:
        store.add(
            CheckIn(
                at=NOW.replace(hour=9),
                feelings=(Feeling("calm"),),
                sensations=(Sensation("hands", "cool", 1),),
                tags=("[red]x",),
                note="[bold]not bold[/bold] :smile:",
            )
        )
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        row = a.query_one("#entries-table", DataTable).get_row_at(0)
        assert [str(cell) for cell in row[3:6]] == [
            "hands:cool:1",
            "#[red]x",
            "[bold]not bold[/bold] :smile:",
        ]
        assert "[bold]not bold[/bold] :smile:" in text_of(a, "#entries-detail-text")
        a.query_one("#entries-search", Input).value = "word:[b]"
        await settle(pilot)
        assert '"[b]"' in text_of(a, "#entries-status")


@pytest.fixture
def fixed_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder with the same path on every run: the Help screen shows it."""
    folder = Path(tempfile.gettempdir()) / "numbtrack-help-snapshot"
    shutil.rmtree(folder, ignore_errors=True)
    monkeypatch.setenv("NUMBTRACK_HOME", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_snapshot_help(fixed_home: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Help: every key, the search syntax, what numbtrack is and is not, and support."""
    assert snap_compare(app(), terminal_size=SIZE, run_before=_go("question_mark"))
