"""The dashboard, driven with Textual's pilot against a real store in a temporary folder.

Each test waits for the workers it started (`settle`), never for a fixed time.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, Static
from textual.worker import WorkerCancelled

from numbtrack import demo, paths, render
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import Store
from numbtrack.tui.app import NumbtrackApp
from numbtrack.tui.entries import EntriesPane, count_line
from numbtrack.tui.log_form import LogPane, SensationList
from numbtrack.tui.widgets.checkin_list import CheckinList
from numbtrack.tui.widgets.confirm import Confirm

from .conftest import stored_count

NOW = datetime(2026, 11, 25, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
SIZE = (100, 34)


_TEMPLATES: dict[float, Path] = {}


def seed(years: float = 1.0) -> None:
    """Demo check-ins in the test's store; each size is generated once per session and copied."""
    template = _TEMPLATES.get(years)
    if template is None:
        folder = Path(tempfile.mkdtemp(prefix="numbtrack-dash-seed-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)  # in memory: give it back
        with Store(folder / "numbtrack.db") as store:
            store.put_many(demo.generate(years, seed=5, until=date(2026, 11, 25)))
        template = _TEMPLATES[years] = folder / "numbtrack.db"
    paths.ensure_private_dir(paths.db_path().parent)
    with Store(template) as source:
        source.backup(paths.db_path())


def add(*words: str, hour: int = 9, note: str | None = None, days_ago: int = 0) -> CheckIn:
    at = NOW.replace(hour=hour) - timedelta(days=days_ago)
    with Store() as store:
        return store.add(CheckIn(at=at, feelings=tuple(Feeling(w) for w in words), note=note))


async def settle(pilot: Pilot[None]) -> None:
    """Let every worker finish and its messages reach the screen.

    Handlers may start further workers (the overview starts the other screens' loads), and
    the search box waits a moment before it searches, so this goes round until nothing is
    running and no search is pending. A load replaced by a newer one (exclusive
    workers) ends as cancelled; that is expected.
    """
    panes = pilot.app.query(EntriesPane)
    for _ in range(200):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if any(p.searching for p in panes):
            await pilot.pause(0.05)  # the search box's debounce has not fired yet
            continue
        if not any(w.is_running for w in pilot.app.workers):
            await pilot.pause()
            if not any(w.is_running for w in pilot.app.workers):
                return


def text_of(app: NumbtrackApp, selector: str, width: int = 200) -> str:
    """The plain text a Static shows, whatever it holds (a string or a Rich renderable)."""
    content = app.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(content)
    return console.export_text()


def app(watch: float = 0) -> NumbtrackApp:
    return NumbtrackApp(now=NOW, watch_interval=watch)


def entries(a: NumbtrackApp) -> CheckinList:
    return a.query_one("#entries-list", CheckinList)


def current_id(a: NumbtrackApp) -> str | None:
    c = entries(a).current
    return c.id if c else None


def ids_shown(a: NumbtrackApp) -> list[str]:
    lst = entries(a)
    return [c.id for i in range(lst.total) if (c := lst.row(i)) is not None]


async def open_entries(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)


# -- nothing lost by a keystroke -------------------------------------------------------------


async def test_q_with_a_checkin_begun_in_the_form_asks_before_quitting(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        a.query_one("#log-words", Input).value = "flat"
        a.query_one("#log-practices").focus()  # not a text field: letters are shortcuts
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(a.screen, Confirm)
        await pilot.press("q", "enter")  # neither a second q nor Enter on Keep quits
        await settle(pilot)
        assert a.is_running
        assert a.query_one("#log-words", Input).value == "flat"


async def test_quit_chosen_on_purpose_leaves_the_form_unsaved(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        a.query_one("#log-words", Input).value = "flat"
        a.query_one("#log-practices").focus()
        await pilot.press("w", "q")  # from another screen the form's contents still count
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert not a.is_running
    assert stored_count(home) == 0


async def test_q_with_an_empty_form_quits_at_once(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        a.query_one("#log-practices").focus()
        await pilot.press("q")
        await settle(pilot)
        assert not a.is_running


async def test_a_saved_checkin_leaves_nothing_to_ask_about(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        a.query_one("#log-words", Input).value = "flat"
        await pilot.press("ctrl+s")
        await settle(pilot)
        a.query_one("#log-practices").focus()
        await pilot.press("q")
        await settle(pilot)
        assert not a.is_running
    assert stored_count(home) == 1


async def test_l_during_a_changed_edit_keeps_the_edit(home: Path) -> None:
    add("flat")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("enter")  # edit
        await settle(pilot)
        a.query_one("#log-words", Input).value = "flat calm"
        a.query_one("#log-practices").focus()
        await pilot.press("l")
        await settle(pilot)
        assert a.query_one(LogPane).editing is not None
        assert a.query_one("#log-words", Input).value == "flat calm"


async def test_pressing_delete_twice_opens_one_question(home: Path) -> None:
    add("calm")
    add("numb", hour=10)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("delete", "delete")
        await settle(pilot)
        assert len(a.screen_stack) == 2


async def test_the_question_starts_on_keep_and_no_letter_answers_it(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("delete", "y", "y", "enter")
        await settle(pilot)
    with Store() as store:
        assert store.count() == 1


async def test_delete_needs_a_deliberate_move_to_delete(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(a.screen, Confirm)
        await pilot.press("tab", "enter")
        await settle(pilot)
    with Store() as store:
        assert store.count() == 0


async def test_typing_words_on_the_list_goes_to_the_search_box(home: Path) -> None:
    add("calm", note="my sister called")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press(*"sister dy")
        await settle(pilot)
        assert a.query_one("#entries-search", Input).value == "sister dy"


async def test_bound_letters_typed_after_the_first_go_to_the_search_box_too(home: Path) -> None:
    """`e` and `w` switch screens from the list; once typing has started they are letters."""
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press(*"sister work")
        assert a.query_one("#entries-search", Input).value == "sister work"


async def test_typing_on_the_list_never_deletes(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press(*"dydy", "enter")
        await settle(pilot)
    with Store() as store:
        assert store.count() == 1


async def test_a_delete_says_how_to_undo_it(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("delete", "tab", "enter")
        await settle(pilot)
        assert any("(u to undo)" in str(n.message) for n in a._notifications)


async def test_delete_on_a_store_from_a_newer_numbtrack_says_so_and_keeps_running(
    home: Path,
) -> None:
    add("calm")
    conn = sqlite3.connect(home / "numbtrack.db")
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('numbtrack', 'm999_from_the_future', '2030-01-01')"
        )
    conn.close()
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("delete", "tab", "enter")
        await settle(pilot)
        assert any("newer numbtrack" in str(n.message) for n in a._notifications)
        assert a.is_running


async def test_focus_is_visible_on_the_list(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        focused = entries(a).styles.border_left
        a.query_one("#entries-search", Input).focus()
        await pilot.pause()
        assert entries(a).styles.border_left != focused


async def test_focus_is_visible_on_a_text_field(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        words = a.query_one("#log-words", Input)
        before = words.styles.background
        words.focus()
        await pilot.pause()
        assert words.styles.background != before


SECRET = "a private note that must stay private"


def _crash(*args: object, **kwargs: object) -> None:
    raise RuntimeError(SECRET)  # a bug whose message quotes a note


def test_a_crash_prints_one_sentence_and_no_note_text(
    home: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A bug in the dashboard itself: one sentence, a private log file, exit code 1."""
    add("calm", note=SECRET)
    monkeypatch.setattr(render, "calendar_view", _crash)  # a bug while drawing
    a = app()
    a.run(headless=True, size=SIZE)
    out, err = capfd.readouterr()
    assert SECRET not in out + err


def test_a_crash_leaves_a_private_log(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add("calm")
    monkeypatch.setattr(render, "calendar_view", _crash)  # a bug while drawing
    a = app()
    a.run(headless=True, size=SIZE)
    assert stat.S_IMODE(os.stat(a.crash_log).st_mode) == 0o600


def test_a_crash_log_holds_no_note_text(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add("calm")
    monkeypatch.setattr(render, "calendar_view", _crash)  # a bug while drawing
    a = app()
    a.run(headless=True, size=SIZE)
    assert SECRET not in Path(a.crash_log).read_text()


def test_a_crash_exits_with_code_1(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add("calm")
    monkeypatch.setattr(render, "calendar_view", _crash)  # a bug while drawing
    a = app()
    a.run(headless=True, size=SIZE)
    assert a.return_code == 1


# -- search ----------------------------------------------------------------------------------


async def test_a_slow_old_search_never_replaces_a_newer_one(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Type tag:work (slow), clear it, type sister: the rows stay those of sister."""
    with Store() as store:
        store.add(CheckIn(at=NOW.replace(hour=8), tags=("work",), feelings=(Feeling("flat"),)))
        sister = store.add(CheckIn(at=NOW.replace(hour=9), note="called my sister"))
    real_query = Store.query

    def slow_for_work(self: Store, f, **kw):  # type: ignore[no-untyped-def]
        if "work" in f.tags:
            time.sleep(0.6)  # what tag:work took on a big store before it was indexed
        return real_query(self, f, **kw)

    monkeypatch.setattr(Store, "query", slow_for_work)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        box = a.query_one("#entries-search", Input)
        box.value = "tag:work"
        await pilot.pause(0.3)  # past the debounce: the slow query is running
        box.value = "sister"
        await settle(pilot)
        assert ids_shown(a) == [sister.id]


async def test_a_search_shows_that_it_is_running(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        a.query_one("#entries-search", Input).value = "calm"
        await pilot.pause()
        assert "searching" in text_of(a, "#entries-status")


async def test_search_filters_by_region_and_state(home: Path) -> None:
    seed(0.3)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        a.query_one("#entries-search", Input).value = "region:chest state:numb"
        await settle(pilot)
        lst = entries(a)
        shown = [lst.row(i) for i in range(min(lst.total, 100))]
        assert all(c is not None and c.state == "numb" for c in shown)


async def test_a_typo_in_the_search_gets_did_you_mean(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        a.query_one("#entries-search", Input).value = "word:anxios"
        await settle(pilot)
        assert 'did you mean "anxious"' in text_of(a, "#entries-status")


# -- all history reachable -------------------------------------------------------------------


async def test_end_reaches_the_very_first_checkin(home: Path) -> None:
    seed(0.5)  # more than the 500 rows the list used to stop at
    with Store() as store:
        [oldest] = store.query(limit=1, newest_first=False)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert entries(a).current == oldest


async def test_g_and_G_go_to_newest_and_oldest(home: Path) -> None:
    first = add("calm", days_ago=3)
    last = add("numb")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("G")
        await settle(pilot)
        assert entries(a).current == first
        await pilot.press("g")
        await settle(pilot)
        assert entries(a).current == last


async def test_j_and_k_move_the_cursor(home: Path) -> None:
    add("calm", days_ago=1)
    older = add("flat", days_ago=2)
    add("numb")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("j", "j", "k")
        await settle(pilot)
        assert entries(a).cursor == 1
        await pilot.press("j")
        assert entries(a).current == older


async def test_page_down_moves_a_page(home: Path) -> None:
    seed(0.2)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("pagedown")
        await settle(pilot)
        assert entries(a).cursor > 10


def type_fast(a: NumbtrackApp, keys: str) -> None:
    """Keys as a fast typist (or a paste into the terminal) sends them: all in the queue
    before the first is acted on. Pilot.press waits for each key to be handled, which
    hides what this is about."""
    for char in keys:
        a.post_message(events.Key("slash" if char == "/" else char, char))


async def test_keys_typed_fast_after_e_go_to_the_entries_search(home: Path) -> None:
    # "e/calm" typed in one go: the "/" used to reach the Overview (no use there) and the
    # "l" of "calm" opened the Log form.
    add("calm", note="a calm walk")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_fast(a, "e/calm")
        await settle(pilot)
        assert (a.current_tab, a.query_one("#entries-search", Input).value) == ("entries", "calm")


async def test_keys_typed_fast_at_start_wait_for_their_screen(home: Path) -> None:
    # Before the first data is on screen Entries is not built yet; what is typed waits.
    add("calm", note="a calm walk")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        type_fast(a, "e/calm")
        await settle(pilot)
        assert (a.current_tab, a.query_one("#entries-search", Input).value) == ("entries", "calm")


async def test_screen_keys_typed_fast_end_on_the_last_one(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_fast(a, "2w3e4")
        await settle(pilot)
        assert a.current_tab == "week"


async def test_slash_goes_to_the_search_box(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("slash")
        assert a.focused is a.query_one("#entries-search", Input)


async def test_the_cursor_stays_on_its_checkin_after_a_delete_and_undo(home: Path) -> None:
    for hour in range(8, 14):
        add("calm", hour=hour)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("down", "down", "down")
        chosen = entries(a).current
        assert chosen is not None
        await pilot.press("delete", "tab", "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert current_id(a) == chosen.id


async def test_after_a_delete_the_cursor_stays_in_place(home: Path) -> None:
    for hour in range(8, 14):
        add("calm", hour=hour)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("down", "down", "down")
        await pilot.press("delete", "tab", "enter")
        await settle(pilot)
        assert entries(a).cursor == 3


async def test_the_cursor_stays_on_its_checkin_when_another_shell_logs(home: Path) -> None:
    for hour in range(8, 12):
        add("calm", hour=hour)
    a = app(watch=0.05)
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("down", "down")
        chosen = entries(a).current
        assert chosen is not None
        add("hopeful", hour=19)  # a newer one lands above the cursor
        while entries(a).total < 5:
            await pilot.pause(0.05)
        await settle(pilot)
        assert current_id(a) == chosen.id


async def test_the_count_line_says_1_checkin(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        assert text_of(a, "#entries-status").strip() == "1 check-in"


def test_the_count_line_groups_thousands() -> None:
    assert count_line(17554) == "17,554 check-ins"


# -- switching screens -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "tab"), [("o", "overview"), ("1", "overview"), ("question_mark", "help")]
)
async def test_keys_switch_screens_from_entries(home: Path, key: str, tab: str) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press(key)
        assert a.current_tab == tab


async def test_switching_moves_focus_into_the_screen_shown(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("o")
        assert a.focused is a.query_one("#overview-pane")


async def test_the_palette_switches_screens_from_entries(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("ctrl+p", *"Overview")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert a.current_tab == "overview"


async def test_the_overview_scrolls_with_the_keyboard_at_once(home: Path) -> None:
    seed(0.3)
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("pagedown")
        await pilot.pause()
        assert a.query_one("#overview-pane").scroll_y > 0


async def test_the_overview_scrolls_with_j(home: Path) -> None:
    seed(0.3)
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await pilot.pause()
        assert a.query_one("#overview-pane").scroll_y > 0


async def test_the_week_scrolls_with_the_keyboard_as_soon_as_it_shows(home: Path) -> None:
    seed(0.3)
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w", "left_square_bracket")  # a week with check-ins: a long page
        await settle(pilot)
        await pilot.press("pagedown")
        await pilot.pause()
        assert a.query_one("#week-pane").scroll_y > 0


# -- keys you can find -----------------------------------------------------------------------


async def test_the_palette_lists_the_keys_of_the_screen_shown(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        titles = [c.title for c in a.get_system_commands(a.screen)]
        assert "Delete (del)" in titles


async def test_help_lists_every_declared_key(home: Path) -> None:
    from textual.binding import Binding

    from numbtrack.tui.help import sections

    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = " ".join(text_of(a, "#help-text", width=300).split())
        described = [
            " ".join((b.tooltip or b.description).split())
            for _, bindings in sections()
            for b in bindings
            if isinstance(b, Binding) and b.description
        ]
        assert [d for d in described if d not in shown] == []


async def test_the_footer_shows_delete_on_entries(home: Path) -> None:
    add("calm")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        shown = {b.binding.action for b in a.screen.active_bindings.values() if b.binding.show}
        assert "delete" in shown


# -- log form --------------------------------------------------------------------------------


async def test_log_through_the_form(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-region", Select).value = "chest"
        a.query_one("#log-quality", Select).value = "tight"
        a.query_one("#log-intensity", Input).value = "3"
        await pilot.click("#log-add-body")
        a.query_one("#log-words", Input).value = "wistful numb"
        a.query_one("#log-feel", Input).value = "4"
        a.query_one("#log-tags", Input).value = "rainy-day"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store() as store:
        [c] = list(store.iter_all())
    assert c.words == ["wistful", "numb"]
    assert c.can_feel == 4
    assert c.sensations == (Sensation("chest", "tight", 3),)
    assert c.tags == ("rainy-day",)
    assert c.at == NOW


async def test_a_word_error_shows_under_its_field_as_you_type(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-words", Input).focus()
        await pilot.press(*"anxios ")
        await pilot.pause()
        assert 'did you mean "anxious"' in text_of(a, "#log-words-error")


async def test_an_unknown_word_is_told_how_to_become_an_own_word_from_the_form(
    home: Path,
) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-words", Input).focus()
        await pilot.press(*"zorbl ")
        await pilot.pause()
        said = " ".join(text_of(a, "#log-words-error").split())
    assert "log it once in a shell (numbtrack log --new-word zorbl)" in said


async def test_an_own_word_logged_in_a_shell_is_known_to_the_open_form(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        with Store() as store:  # `numbtrack log --new-word zorbl` in another shell
            store.add(CheckIn(at=NOW, feelings=(Feeling("zorbl", custom=True),)))
        a.check_for_changes()  # what the two-second timer does
        await settle(pilot)
        a.query_one("#log-words", Input).focus()
        await pilot.press(*"zorbl ")
        await pilot.pause()
        assert not a.query_one("#log-words-error").display


async def test_a_word_being_typed_is_not_called_wrong(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-words", Input).focus()
        await pilot.press(*"curi")
        await pilot.pause()
        assert not a.query_one("#log-words-error").display


async def test_a_can_feel_error_shows_under_its_field(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-feel", Input).focus()
        await pilot.press("1", "1")
        await pilot.pause()
        assert "0 (nothing) to 10" in text_of(a, "#log-feel-error")


async def test_saving_with_an_error_saves_nothing(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-words", Input).value = "curi"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert stored_count(home) == 0


async def test_tab_takes_the_word_suggestion(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-words", Input).focus()
        await pilot.press(*"curi")
        await settle(pilot)
        await pilot.press("tab")
        assert a.query_one("#log-words", Input).value == "curious "


async def test_enter_on_an_entry_keeps_a_checkin_begun_in_the_form(home: Path) -> None:
    """Opening a stored check-in would have emptied the form: the begun one stays there."""
    add("flat")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        a.query_one("#log-words", Input).value = "calm"
        a.query_one("#log-practices").focus()
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")  # edit the stored check-in
        await settle(pilot)
        assert (a.current_tab, a.query_one(LogPane).editing) == ("log", None)
        assert a.query_one("#log-words", Input).value == "calm"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store() as store:
        assert sorted(c.words[0] for c in store.iter_all()) == ["calm", "flat"]


async def test_enter_on_another_entry_keeps_a_changed_edit(home: Path) -> None:
    first = add("flat", hour=8)
    add("tired", hour=9)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("down", "enter")  # edit the older one, "flat"
        await settle(pilot)
        a.query_one("#log-words", Input).value = "flat calm"
        a.query_one("#log-practices").focus()
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("up", "enter")  # another check-in
        await settle(pilot)
        editing = a.query_one(LogPane).editing
        assert editing is not None and editing.id == first.id
        assert a.query_one("#log-words", Input).value == "flat calm"


async def test_l_always_starts_a_new_checkin(home: Path) -> None:
    add("flat")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("enter")  # edit
        a.action_show("entries")  # leave the form some other way than Escape
        await pilot.press("l")
        assert a.query_one(LogPane).editing is None


async def test_editing_is_marked(home: Path) -> None:
    add("flat")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("enter")
        assert a.query_one(LogPane).has_class("-editing")


async def test_escape_cancels_an_edit_back_to_entries(home: Path) -> None:
    add("flat")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert a.current_tab == "entries"


async def test_escape_twice_on_a_changed_edit_keeps_the_change(home: Path) -> None:
    """Escape also leaves a text field: a changed edit is asked about, and Escape keeps it."""
    add("flat")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("enter")
        await settle(pilot)
        a.query_one("#log-words", Input).value = "calm"
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(a.screen, Confirm)
        assert (a.current_tab, a.query_one("#log-words", Input).value) == ("log", "calm")
        assert a.query_one(LogPane).editing is not None


async def test_discard_chosen_on_purpose_cancels_a_changed_edit(home: Path) -> None:
    add("flat")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("enter")
        await settle(pilot)
        a.query_one("#log-words", Input).value = "calm"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(a.screen, Confirm)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert (a.current_tab, a.query_one(LogPane).editing) == ("entries", None)
    with Store() as store:
        assert [c.words for c in store.iter_all()] == [["flat"]]


async def test_edit_from_entries_keeps_what_was_not_changed(home: Path) -> None:
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
        await open_entries(pilot)
        await pilot.press("enter")
        a.query_one("#log-words", Input).value = "flat hopeful"
        a.query_one("#log-feel", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store() as store:
        [c] = list(store.iter_all())
    assert c.id == original.id
    assert c.created_at == original.created_at
    assert c.words == ["flat", "hopeful"]
    assert c.can_feel == 5
    assert c.tags == ("work",)
    assert c.note == "before"


async def test_saving_an_edit_of_a_deleted_checkin_says_so(home: Path) -> None:
    c = add("flat")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        await pilot.press("enter")
        with Store() as store:
            store.delete(c.id)  # from another shell, meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "deleted in the meantime" in text_of(a, "#log-error")


async def test_one_sensation_can_be_removed(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        form = a.query_one(LogPane)
        # A Button ignores a click that comes within its 0.2 s press effect of the one
        # before (against double clicks); the second Add here can come that fast, and was
        # then dropped now and then. Without the effect every click counts, at any speed.
        a.query_one("#log-add-body", Button).active_effect_duration = 0
        for region, quality in (("chest", "tight"), ("hands", "cool")):
            a.query_one("#log-region", Select).value = region
            a.query_one("#log-quality", Select).value = quality
            await pilot.click("#log-add-body")
        listed = a.query_one(SensationList)
        listed.focus()
        listed.highlighted = 0
        await pilot.press("delete")
        assert form.sensations == [Sensation("hands", "cool")]


async def test_more_or_less_and_tone_are_saved(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        a.query_one("#log-region", Select).value = "chest"
        a.query_one("#log-quality", Select).value = "warm"
        a.query_one("#log-direction", Select).value = "more"
        a.query_one("#log-tone", Select).value = "pleasant"
        await pilot.click("#log-add-body")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store() as store:
        [c] = list(store.iter_all())
    assert c.sensations == (Sensation("chest", "warm", None, "more", "pleasant"),)


# -- week ------------------------------------------------------------------------------------


async def test_keys_pressed_while_screens_are_built_end_on_the_last_one_asked_for(
    home: Path,
) -> None:
    seed(0.2)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        # Two keys within one frame (a fast typist, a busy machine): Week is not built yet
        # and shows a frame later; Overview is there at once. (pilot.press would wait for
        # a frame between the keys.)
        a.action_show("week")
        a.action_show("overview")
        await settle(pilot)
        assert a.current_tab == "overview"


async def test_week_moves_back(home: Path) -> None:
    seed(0.2)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w", "left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert "Week 2026-W46" in text_of(a, "#week-view")


async def test_week_stops_at_the_current_week(home: Path) -> None:
    seed(0.2)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w", "right_square_bracket")
        await settle(pilot)
        assert "Week 2026-W48" in text_of(a, "#week-view")


async def test_t_comes_back_to_this_week(home: Path) -> None:
    seed(0.2)
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w", *["left_square_bracket"] * 5, "t")
        await settle(pilot)
        assert "Week 2026-W48" in text_of(a, "#week-view")


# -- layout ----------------------------------------------------------------------------------


async def test_words_and_body_stack_at_80_columns(home: Path) -> None:
    seed(0.3)
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        words, body = a.query_one("#overview-words"), a.query_one("#overview-body")
        assert body.region.y > words.region.y


async def test_the_body_table_keeps_its_counts_at_80_columns(home: Path) -> None:
    seed(0.3)
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        body = a.query_one("#overview-body")
        assert {"times", "▲", "▼"} <= set(text_of(a, "#overview-body", body.size.width).split())


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 48)])
async def test_wide_characters_never_pass_the_list_width(home: Path, size: tuple[int, int]) -> None:
    add("calm", note="眠れない夜が続いた 😶‍🌫️ 眠れない夜が続いた 眠れない夜が続いた")
    a = app()
    async with a.run_test(size=size) as pilot:
        await open_entries(pilot)
        lst = entries(a)
        assert lst.render_line(1).cell_length == lst.scrollable_content_region.width


@pytest.mark.parametrize(
    ("size", "shown"), [((80, 24), "Thu 21 Nov 1996 "), ((160, 48), "Thu 21 Nov 1996 21:30 ")]
)
async def test_a_date_from_another_year_shows_its_four_digit_year(
    home: Path, size: tuple[int, int], shown: str
) -> None:
    with Store() as store:
        store.add(CheckIn(at=datetime(1996, 11, 21, 21, 30, tzinfo=NOW.tzinfo), feelings=()))
    a = app()
    async with a.run_test(size=size) as pilot:
        await open_entries(pilot)
        lst = entries(a)
        header, row = lst.render_line(0).text, lst.render_line(1).text
    assert row.startswith(shown)
    assert row.index("1996") + 4 < header.index("feel")  # the when column keeps its width


async def test_the_id_fits_on_one_line_at_80_columns(home: Path) -> None:
    c = add("calm")
    a = app()
    async with a.run_test(size=(80, 24)) as pilot:
        await open_entries(pilot)
        detail = a.query_one("#entries-detail-text")
        assert c.id in text_of(a, "#entries-detail-text", detail.size.width)


async def test_the_calendar_uses_shapes_without_colour(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(0.3)
    monkeypatch.setenv("NO_COLOR", "1")
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        calendar = text_of(a, "#overview-calendar")
        assert len(set(calendar) & set(render.CAN_FEEL_SHAPES)) >= 3


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_the_darkest_calendar_step_stands_out_on_a_dark_background() -> None:
    background = "#121212"  # Textual's dark theme background
    ratio = (_luminance(render.CAN_FEEL_COLOURS[0]) + 0.05) / (_luminance(background) + 0.05)
    assert ratio >= 3


# -- live refresh, empty store ---------------------------------------------------------------


async def test_an_empty_store_is_welcomed(home: Path) -> None:
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Welcome to numbtrack" in text_of(a, "#overview-welcome")


async def test_a_checkin_from_another_shell_appears(home: Path) -> None:
    a = app(watch=0.05)
    async with a.run_test(size=SIZE) as pilot:
        await settle(pilot)
        add("hopeful")
        while not a.query_one("#overview-words").display:
            await pilot.pause(0.05)
        await settle(pilot)
        assert "hopeful" in text_of(a, "#overview-words")


async def test_notes_and_tags_are_shown_as_written(home: Path) -> None:
    """Markup-like text in a check-in never turns into styles."""
    with Store() as store:
        store.add(
            CheckIn(
                at=NOW.replace(hour=9),
                feelings=(Feeling("calm"),),
                tags=("[red]x",),
                note="[bold]not bold[/bold] :smile:",
            )
        )
    a = app()
    async with a.run_test(size=SIZE) as pilot:
        await open_entries(pilot)
        assert "[bold]not bold[/bold] :smile:" in text_of(a, "#entries-detail-text")


# -- no terminal -----------------------------------------------------------------------------


def test_without_a_terminal_dash_says_so_and_exits_2(home: Path) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "numbtrack", "dash"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "NUMBTRACK_HOME": str(home)},
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1  # one sentence
    assert done.stdout == ""  # no escape codes into the pipe
    assert time.monotonic() - started < 10


def test_entries_pane_is_importable_alone() -> None:
    """The screens are modules of their own (the dashboard is a package, not one file)."""
    assert EntriesPane.__module__ == "numbtrack.tui.entries"


# -- snapshots -------------------------------------------------------------------------------

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture
def fixed_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder with the same path on every run: Help shows it, the snapshot must not move.

    Being the same path, it is held under a lock: two test runs at once on one machine (two
    checkouts) would otherwise seed and remove each other's store mid-snapshot."""
    import fcntl

    folder = Path(tempfile.gettempdir()) / "numbtrack-dash-snapshot"
    with open(folder.with_name(folder.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(folder, ignore_errors=True)
        monkeypatch.setenv("NUMBTRACK_HOME", str(folder))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def seeded(fixed_home: Path) -> Path:
    seed(1.0)
    return fixed_home


def _go(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@SIZES
def test_snapshot_overview(seeded: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Overview of a seeded year: calendar, trend, words, body map, numb stretches."""
    assert snap_compare(app(), terminal_size=size, run_before=_go())


@SIZES
def test_snapshot_entries(seeded: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Entries: the count, the list with the cursor on the second row, its detail."""
    assert snap_compare(app(), terminal_size=size, run_before=_go("e", "down"))


@SIZES
def test_snapshot_log(seeded: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Log: the empty form, body first, focus on the region."""
    assert snap_compare(app(), terminal_size=size, run_before=_go("l"))


@SIZES
def test_snapshot_editing(seeded: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Log while editing a check-in: marked in the title and the frame, Escape cancels."""
    assert snap_compare(app(), terminal_size=size, run_before=_go("e", "enter"))


@SIZES
def test_snapshot_week(seeded: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Week: the same summary `numbtrack week` prints, one week back from this one."""
    assert snap_compare(app(), terminal_size=size, run_before=_go("w", "left_square_bracket"))


@SIZES
def test_snapshot_help(seeded: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Help: every key from the bindings, the search syntax, what numbtrack is, support."""
    assert snap_compare(app(), terminal_size=size, run_before=_go("question_mark"))


@SIZES
def test_snapshot_delete_question(seeded: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """The delete question, starting on Keep."""
    assert snap_compare(app(), terminal_size=size, run_before=_go("e", "delete"))


@SIZES
def test_snapshot_empty_first_run(fixed_home: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """A first run on an empty store welcomes the person instead of drawing empty charts."""
    assert snap_compare(app(), terminal_size=size, run_before=_go())


SCREENSHOTS = Path(__file__).parent.parent / "docs" / "screenshots"
SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_dash"


@pytest.mark.parametrize(
    "name",
    ["overview", "entries", "log", "editing", "week", "help", "delete_question", "empty_first_run"],
)
def test_the_docs_screenshots_are_the_snapshots(name: str) -> None:
    """docs/dashboard.md shows exactly what the snapshot tests check (at 120x40)."""
    snapshot = SNAPSHOTS / f"test_snapshot_{name}[120x40].svg"
    assert (SCREENSHOTS / f"{name}.svg").read_bytes() == snapshot.read_bytes()
