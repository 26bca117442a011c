"""Entries: search and browse every check-in, see one in full, edit or delete it.

Searching is right before it is fast: each search gets a generation number, and an answer
for an older generation is dropped when it arrives, so a slow query typed earlier can never
replace the rows of the one in the box. Typing waits a moment (DEBOUNCE) before querying,
and the count line says "searching…" until the answer is in. The list holds only the pages
it has drawn (widgets/checkin_list.py); after a change the cursor stays on the same check-in.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static

from numbtrack import query as query_language
from numbtrack import text
from numbtrack.errors import NumbtrackError
from numbtrack.models import CheckIn
from numbtrack.store import Filter, Store
from numbtrack.tui.messages import Deleted, EntriesFound, PageLoaded, StoreFailed
from numbtrack.tui.pane import Pane
from numbtrack.tui.widgets.checkin_list import PAGE, CheckinList
from numbtrack.tui.widgets.confirm import Confirm

DEBOUNCE = 0.2
"""Seconds of quiet in the search box before the query runs."""

PLACEHOLDER = "search notes, or word:numb region:chest tag:work practice:music state:numb since:-7d"


def count_line(n: int) -> str:
    """ "1 check-in", "17,554 check-ins"."""
    return text.plural(n, "check-in")


class EntriesPane(Pane, Vertical):
    MAIN = "#entries-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", key_display="/", tooltip="Go to the search box"),
        Binding(
            "delete",
            "delete",
            "Delete",
            key_display="del",
            tooltip="Delete the selected check-in (asks first; u brings it back)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="entries-pane")
        self.generation = 0
        self.filter: Filter | None = None
        self._debounce: Timer | None = None
        self.searching = False
        """True from the first key typed until the answer to the newest search is shown."""

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=PLACEHOLDER, id="entries-search", compact=True, select_on_focus=False
        )
        yield Static("searching…", id="entries-status")
        with Container(id="entries-body"):
            yield CheckinList(id="entries-list", now=self.dash.fixed_now)
            with VerticalScroll(id="entries-detail"):
                yield Static("", id="entries-detail-text")

    def on_mount(self) -> None:
        self.list.type_ahead = self.query_one("#entries-search", Input)
        self.run_search()

    @property
    def list(self) -> CheckinList:
        return self.query_one("#entries-list", CheckinList)

    @property
    def query_text(self) -> str:
        return self.query_one("#entries-search", Input).value

    # -- searching -----------------------------------------------------------------------

    @on(Input.Changed, "#entries-search")
    def _typed(self) -> None:
        self.searching = True
        self._set_status(Text("searching…", style="italic"))
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self.run_search)

    @on(Input.Submitted, "#entries-search")
    def _submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.run_search()
        self.focus_main()

    def run_search(self, keep_id: str | None = None) -> None:
        """Search for what the box says, as a new generation; older answers are dropped."""
        self.generation += 1
        self.searching = True
        self._set_status(Text("searching…", style="italic"))
        lst = self.list
        self._search(self.generation, self.query_text, keep_id, lst.cursor)

    def reload(self, keep_id: str | None = None) -> None:
        current = self.list.current
        self.run_search(keep_id or (current.id if current else None))

    @work(thread=True, exclusive=True, exit_on_error=False, group="entries-search")
    def _search(self, generation: int, query: str, keep_id: str | None, keep_index: int) -> None:
        try:
            with Store(make=False) as store:
                f = query_language.parse_filter(query, store.own())
                total = store.count(f)
                page = min(keep_index, max(0, total - 1)) // PAGE
                pages = {page: store.query(f, limit=PAGE, offset=page * PAGE, matching=total)}
                cursor = min(keep_index, max(0, total - 1))
                if keep_id is not None:
                    found = _index_in(pages, keep_id)
                    for near in (page - 1, page + 1):
                        if found is not None or not 0 <= near * PAGE < total:
                            continue
                        pages[near] = store.query(f, limit=PAGE, offset=near * PAGE, matching=total)
                        found = _index_in(pages, keep_id)
                    if found is not None:
                        cursor = found
        except NumbtrackError as exc:
            self.post_message(EntriesFound(generation, None, 0, error=exc.message))
            return
        self.post_message(EntriesFound(generation, f, total, pages, cursor))

    @on(EntriesFound)
    def _found(self, event: EntriesFound) -> None:
        event.stop()
        if event.generation != self.generation:
            return  # an answer to an older search: the box says something else by now
        self.searching = False
        self.filter = event.filter
        if event.error is not None:
            self._set_status(Text(event.error, style="bold"))  # may quote what was typed
            self.list.reset(0, {})
            return
        status = count_line(event.total)
        if self.query_text.strip():
            status += " match"
        self._set_status(Text(status))
        self.list.reset(event.total, event.pages, event.cursor)

    @on(CheckinList.PageWanted)
    def _page_wanted(self, event: CheckinList.PageWanted) -> None:
        event.stop()
        if self.filter is not None:
            self._page(self.generation, self.filter, event.page, self.list.total)

    @work(thread=True, exit_on_error=False, group="entries-page")
    def _page(self, generation: int, f: Filter, page: int, total: int) -> None:
        try:
            with Store(make=False) as store:
                rows = store.query(f, limit=PAGE, offset=page * PAGE, matching=total)
        except NumbtrackError as exc:
            self.post_message(StoreFailed(exc.message))
            return
        self.post_message(PageLoaded(generation, page, rows))

    @on(PageLoaded)
    def _page_loaded(self, event: PageLoaded) -> None:
        event.stop()
        if event.generation == self.generation:
            self.list.add_page(event.page, event.rows)

    def _set_status(self, content: Text) -> None:
        self.query_one("#entries-status", Static).update(content)

    # -- the list and the detail ---------------------------------------------------------

    @on(CheckinList.Highlighted)
    def _highlighted(self, event: CheckinList.Highlighted) -> None:
        detail = self.query_one("#entries-detail-text", Static)
        c = event.checkin
        if c is None:
            empty = self.list.total == 0
            detail.update(Text("Nothing to show here." if empty else "Loading…", style="dim"))
            return
        detail.update(
            Group(detail_grid(c), Text("\nEnter edits · del deletes · u undoes", style="dim"))
        )

    @on(CheckinList.Chosen)
    def _chosen(self, event: CheckinList.Chosen) -> None:
        self.dash.edit(event.checkin)

    def action_search(self) -> None:
        self.query_one("#entries-search", Input).focus()

    def on_key(self, event: object) -> None:
        from textual import events

        if (
            isinstance(event, events.Key)
            and event.key in ("down", "escape")
            and self.query_one("#entries-search", Input).has_focus
        ):
            event.stop()
            self.focus_main()

    # -- deleting ------------------------------------------------------------------------

    def action_delete(self) -> None:
        if len(self.app.screen_stack) > 1:
            return  # a question is already open: only one at a time
        c = self.list.current
        if c is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._delete(c)

        self.app.push_screen(
            Confirm("Delete this check-in?", text.one_line(c, now=self.dash.now())), answer
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _delete(self, c: CheckIn) -> None:
        try:
            with Store() as store:
                store.delete(c.id)
        except NumbtrackError as exc:
            self.post_message(StoreFailed(exc.message))
            return
        self.post_message(Deleted(c))


def detail_grid(c: CheckIn) -> Table:
    """`numbtrack show`'s lines as two columns, so a long value wraps under itself."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for line in text.detail(c).splitlines():
        label, value = line[:12].strip(), line[12:]
        grid.add_row(label, Text(value))
    return grid


def _index_in(pages: dict[int, list[CheckIn]], checkin_id: str) -> int | None:
    for page, rows in pages.items():
        for i, c in enumerate(rows):
            if c.id == checkin_id:
                return page * PAGE + i
    return None
