"""`numbtrack dash`: the App, its global keys, and what holds the screens together.

Layout (after darrenburns/posting and tconbeer/harlequin): one module per screen
(overview, entries, log_form, week, help), widgets in `widgets/`, worker results as messages
(`messages.py`), styles in `app.tcss`. Keys are declared where they act, so the footer and the
command palette show the ones that apply, and Help is generated from them.

Every read and write runs in a thread worker (`exclusive`, `exit_on_error=False`) that opens
its own Store and posts a message with the result or the error's one sentence; no worker
touches a widget. A two-second timer compares the database files' size and time stamps (no
query) to notice check-ins logged from another shell, and every pane reloads in place.

If the dashboard ever hits a bug in itself, no traceback reaches the screen (Textual's would
show local variables, notes among them): a private log file gets it, and the person gets one
sentence with its path and exit code 1 (crash.py).
"""

from __future__ import annotations

import importlib
import weakref
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import ContentSwitcher
from textual.worker import Worker, WorkerState

from numbtrack import paths, text
from numbtrack.errors import NumbtrackError
from numbtrack.store import Store
from numbtrack.tui import crash
from numbtrack.tui.messages import (
    Deleted,
    Saved,
    StoreChanged,
    StoreFailed,
    Undone,
    UndoOffered,
)
from numbtrack.tui.overview import OverviewPane
from numbtrack.tui.pane import Pane
from numbtrack.tui.widgets.footer import Footer
from numbtrack.tui.widgets.screen_tabs import ScreenTabs
from numbtrack.tui.widgets.scrollbar import WholeCellScrollBarRender

if TYPE_CHECKING:
    from numbtrack import history
    from numbtrack.models import CheckIn
    from numbtrack.tui.log_form import LogPane

SCREENS = (
    ("overview", "Overview", "Calendar, trend, words, body map, numb stretches"),
    ("entries", "Entries", "Search and browse every check-in"),
    ("log", "Log", "A new check-in"),
    ("week", "Week", "The weekly summary"),
    ("help", "Help", "Every key, and what numbtrack is and is not"),
)
"""The screens, in tab order: (id, title, what it holds)."""

PANES = {
    "overview": ("numbtrack.tui.overview", "OverviewPane"),
    "entries": ("numbtrack.tui.entries", "EntriesPane"),
    "log": ("numbtrack.tui.log_form", "LogPane"),
    "week": ("numbtrack.tui.week", "WeekPane"),
    "help": ("numbtrack.tui.help", "HelpPane"),
}
"""Each screen's module and class. Only the Overview's is imported at start: the others are
imported when they are first built, after the first data is on screen (or when asked for)."""


def pane_class(tab: str) -> type[Widget]:
    module, name = PANES[tab]
    cls: type[Widget] = getattr(importlib.import_module(module), name)
    return cls


ScrollBar.renderer = WholeCellScrollBarRender  # Textual's documented way to restyle them


class NumbtrackApp(App[None]):
    """The dashboard. `now` freezes the clock (for tests and screenshots)."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))
    """Absolute, so that subclasses (tests, the benchmark) find it too."""
    TITLE = "numbtrack"
    SUB_TITLE = "noticing, gently"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (as Textual types it)
    """Below 100 columns, side-by-side parts (Words and Body, the list and its detail) stack."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o,1", "show('overview')", "Overview", show=False, tooltip=SCREENS[0][2]),
        Binding("e,2", "show('entries')", "Entries", show=False, tooltip=SCREENS[1][2]),
        Binding("l,3", "show('log')", "Log", show=False, tooltip="Log a new check-in"),
        Binding("w,4", "show('week')", "Week", show=False, tooltip=SCREENS[3][2]),
        Binding("question_mark,5,f1", "show('help')", "Help", key_display="?",
                tooltip=SCREENS[4][2]),
        Binding("u", "undo", "Undo",
                tooltip="Undo your last change (a delete, an edit, a new check-in)"),
        Binding("escape", "leave_field", "Leave field", show=False,
                tooltip="Leave a text field, so the letter keys work again"),
        Binding("q", "quit", "Quit", tooltip="Quit the dashboard"),
    ]  # fmt: skip

    def __init__(self, now: datetime | None = None, watch_interval: float = 2.0) -> None:
        super().__init__()
        self.fixed_now = now
        self.watch_interval = watch_interval
        self.crash_log: Any = None
        self._signature = self._db_signature()
        self._rest_loaded = False
        self._wanted: str | None = None
        """The screen the last key asked for, while it is still being built."""
        self._held: list[events.Key] = []
        self._holding = False
        self._replayed: weakref.WeakSet[events.Key] = weakref.WeakSet()
        """Keys typed while a screen is still on its way (see `on_event`)."""
        self.showing_data = False
        """True once the first screen has drawn what it came for (the benchmark waits for it)."""

    # -- time and files ------------------------------------------------------------------

    def now(self) -> datetime:
        return self.fixed_now or datetime.now().astimezone()

    def today(self) -> date:
        return self.now().date()

    @property
    def plain(self) -> bool:
        """No colour wanted (NO_COLOR): charts use shapes as well as colours."""
        return self.no_color

    def _db_signature(self) -> tuple[int, ...]:
        sig: list[int] = []
        db = paths.db_path()
        for path in (db, db.with_name(db.name + "-wal")):
            try:
                st = path.stat()
                sig += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                sig += [0, 0]
        return tuple(sig)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # One widget for the row of names and a switcher of plain containers: Textual's
        # TabbedContent was the costliest part of the first frame (widgets/screen_tabs.py).
        names = [(tab, f"{number} {title}") for number, (tab, title, _) in enumerate(SCREENS, 1)]
        yield ScreenTabs(names, active="overview", id="tabs")
        with ContentSwitcher(initial="overview", id="screens"):
            for tab, _, _ in SCREENS:
                with Container(id=tab):
                    if tab == "overview":
                        yield OverviewPane()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OverviewPane).focus()
        if self.watch_interval:
            self.set_interval(self.watch_interval, self.check_for_changes)

    def first_screen_ready(self) -> None:
        """The overview has its data: once that is painted, the other screens are built and
        load, one per frame, so that they never delay the first data on screen nor keep the
        keys waiting for long."""
        self.showing_data = True
        if not self._rest_loaded:
            self._rest_loaded = True
            self.call_after_refresh(self._build_next)

    def _build_next(self) -> None:
        for tab, _, _ in SCREENS:
            if not self._holder(tab).children:
                self._ensure(tab)
                self.call_after_refresh(self._build_next)
                return

    def _ensure(self, tab: str) -> bool:
        """Build a screen that is not there yet; True if it had to be (it shows next frame).

        Only the Overview is built at start: the other screens (the Log form alone is a third
        of the widgets) are built once it shows data, or at once when asked for before that.
        """
        holder = self._holder(tab)
        if not (holder.is_mounted and holder.is_attached):
            # The tabs are still being mounted (ask again next frame), or the app is closing.
            return True
        if not holder.children:
            holder.mount(pane_class(tab)())
            return True
        return not holder.children[0].is_mounted

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        for tab, title, what in SCREENS:
            yield SystemCommand(title, what, partial(self.action_show, tab))
        for active in screen.active_bindings.values():
            b = active.binding
            if active.node is self or not b.description or not active.enabled:
                continue
            yield SystemCommand(
                f"{b.description} ({self.get_key_display(b)})",
                b.tooltip or b.description,
                partial(self.run_action, b.action, active.node),
            )
        yield from super().get_system_commands(screen)

    # -- moving around -------------------------------------------------------------------

    def _holder(self, tab: str) -> Widget:
        """The container a screen's pane is mounted in."""
        return self.query_one(f"#screens > #{tab}")

    def pane(self, tab: str) -> Pane:
        return self._holder(tab).children[0]  # type: ignore[return-value]

    def _log_pane(self) -> LogPane:
        return cast("LogPane", self.pane("log"))

    @property
    def current_tab(self) -> str:
        return self.query_one(ContentSwitcher).current or "overview"

    def action_show(self, tab: str) -> None:
        self._wanted = tab
        self._show_wanted()

    def _show_wanted(self) -> None:
        """Show the screen asked for last. One that is still being built shows a frame
        later; a key pressed meanwhile for another screen wins, so screens asked for in
        quick succession can never end on an earlier one than the last key chose."""
        tab = self._wanted
        if tab is None:
            return
        if self._ensure(tab):
            self.call_after_refresh(self._show_wanted)
            return
        self._wanted = None
        if tab == "log":
            pane = self._log_pane()
            if pane.editing is not None and pane.unsaved():
                # A letter typed in the wrong place must not throw a changed edit away.
                self.notify(
                    "Your edit is not saved yet: ctrl+s saves it, Escape cancels it.",
                    markup=False,
                )
            else:
                pane.start_new()  # `l` is otherwise always a new check-in
        self._switch(tab)

    def _switch(self, tab: str) -> None:
        self.query_one(ContentSwitcher).current = tab
        self.query_one(ScreenTabs).active = tab
        self.pane(tab).focus_main()
        self._holding = True  # focus moves on the next turn of the loop (Widget.focus)
        self.call_later(self._release_keys)

    async def on_event(self, event: events.Event) -> None:
        """Keys typed while a screen is on its way (still being built, or its focus not yet
        moved) wait, and then go to that screen in the order typed: `e/calm` typed fast
        searches Entries for "calm". Without this the "/" went to the Overview (a key typed
        fast reaches the old focus before the `e` before it has moved anything), which has
        no use for it, and the "l" of "calm" opened the Log form. A key the old focus took
        (a scroll key) stays taken; one it left, coming back up here, goes on to the new."""
        if (
            isinstance(event, events.Key)
            and (self._wanted is not None or self._holding or self._held)
            and event not in self._replayed
        ):
            self._held.append(events.Key(event.key, event.character))
            return
        await super().on_event(event)

    async def _release_keys(self) -> None:
        self._holding = False
        while self._held and self._wanted is None and not self._holding:
            key = self._held.pop(0)
            self._replayed.add(key)  # coming back up unused, it is not held again
            await super().on_event(key)

    @on(ScreenTabs.Clicked)
    def _tab_clicked(self, event: ScreenTabs.Clicked) -> None:
        tab = event.tab
        if self._ensure(tab):
            self.call_after_refresh(self._switch, tab)
            return
        focused = self.focused
        if tab != self.current_tab:
            self._switch(tab)
        elif focused is None or tab not in {a.id for a in focused.ancestors_with_self}:
            self.pane(tab).focus_main()

    def action_leave_field(self) -> None:
        if self._ensure(self.current_tab):
            return
        pane = self.pane(self.current_tab)
        if isinstance(pane, Widget) and pane.can_focus:
            pane.focus()
        else:
            pane.focus_main()

    def edit(self, c: CheckIn) -> None:
        """Open a check-in in the Log form; Escape there comes back to this screen."""
        self._wanted = None
        if self._ensure("log"):
            self.call_after_refresh(self.edit, c)
            return
        pane = self._log_pane()
        if pane.unsaved():
            # Opening another check-in would empty the form: what it holds stays, and the
            # person sees it, with how to go on.
            self.notify(
                "Your edit is not saved yet: ctrl+s saves it, Escape cancels it."
                if pane.editing is not None
                else "The Log form holds a check-in you began: ctrl+s saves it, Clear "
                "empties the form. Then Enter on a check-in opens it.",
                markup=False,
            )
            self._switch("log")
            return
        pane.start_edit(c, return_to=self.current_tab)
        self._switch("log")

    # -- changes -------------------------------------------------------------------------

    def reload_all(self, keep_id: str | None = None) -> None:
        self._signature = self._db_signature()
        for tab, _, _ in SCREENS:
            holder = self._holder(tab)
            if holder.children and holder.children[0].is_mounted:
                self.pane(tab).reload(keep_id)

    def check_for_changes(self) -> None:
        signature = self._db_signature()
        if signature != self._signature:
            self.reload_all()

    @on(StoreFailed)
    def _store_failed(self, event: StoreFailed) -> None:
        self.notify(event.text, severity="error", markup=False, timeout=8)

    @on(StoreChanged)
    def _store_changed(self, event: StoreChanged) -> None:
        self.reload_all(event.keep_id)

    @on(Deleted)
    def _deleted(self, event: Deleted) -> None:
        self.notify(
            f"Deleted {text.one_line(event.checkin, now=self.now(), note_chars=0)} (u to undo)",
            markup=False,
        )
        self.reload_all()

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        verb = "Updated " if event.editing else "Saved "
        self.notify(verb + text.one_line(event.checkin, note_chars=0), markup=False)
        self.reload_all(event.checkin.id)

    def action_undo(self) -> None:
        self._offer_undo()

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _offer_undo(self) -> None:
        from numbtrack import history

        try:
            with Store(make=False) as store:
                change = history.last(store)
        except NumbtrackError as exc:
            self.post_message(StoreFailed(exc.message))
            return
        self.post_message(UndoOffered(change))

    @on(UndoOffered)
    def _undo_offered(self, event: UndoOffered) -> None:
        change = event.change
        if change is None:
            self.notify("There is nothing to undo.")
            return
        if change.action == "delete":
            self._undo(change)  # bringing a check-in back loses nothing: no question
            return
        if len(self.screen_stack) > 1:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._undo(change)

        from numbtrack.tui.widgets.confirm import Confirm

        # Undoing an add or an import removes check-ins: that is asked, starting on Keep.
        self.push_screen(Confirm(change.question(), change.sentence(), action="Undo"), answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _undo(self, change: history.Change) -> None:
        from numbtrack import history

        try:
            with Store() as store:
                history.undo(store, expected=change)
        except NumbtrackError as exc:
            self.post_message(StoreFailed(exc.message))
            return
        self.post_message(Undone(change))

    @on(Undone)
    def _undone(self, event: Undone) -> None:
        self.notify(event.change.done(), markup=False)
        self.reload_all(event.change.checkin_id)

    # -- when something goes wrong -------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker failed with something that is not numbtrack's own error: log it, say
        one sentence, keep running."""
        if event.state is not WorkerState.ERROR or event.worker.error is None:
            return
        log = crash.write_log(event.worker.error)
        where = f"; the details are in {log}" if log else ""
        self.notify(
            f"Something went wrong inside numbtrack{where}. The dashboard keeps running.",
            severity="error",
            markup=False,
            timeout=10,
        )

    async def action_quit(self) -> None:
        """Quit; but while the Log form holds a check-in not saved yet, ask first (starting
        on Keep), so that a `q` typed in the wrong place loses nothing."""
        pane = self._log_pane() if self._holder("log").children else None
        if pane is None or not pane.unsaved():
            self.exit()
            return
        if len(self.screen_stack) > 1:
            return  # a question is open already: answer it first

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()
            elif self.current_tab != "log":
                self._switch("log")

        from numbtrack.tui.widgets.confirm import Confirm

        what = "your edit" if pane.editing is not None else "the check-in you began"
        self.push_screen(
            Confirm(
                f"Quit without saving {what}?",
                "It is in the Log form, not saved yet. Keep goes back to it (ctrl+s saves "
                "it); Quit leaves without it.",
                action="Quit",
            ),
            answer,
        )

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._quitting = True
        super().exit(*args, **kwargs)

    def _handle_exception(self, error: Exception) -> None:
        """Replaces Textual's crash screen, which prints local variables (notes among them)."""
        from textual.css.query import NoMatches
        from textual.widget import MountError

        if getattr(self, "_quitting", False) and isinstance(error, NoMatches | MountError):
            return  # an answer that arrived after quitting, for a screen already taken down
        self.crash_log = crash.write_log(error)
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()
