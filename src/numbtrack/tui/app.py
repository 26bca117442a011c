"""`numbtrack dash`: Overview, Entries, Log, Week and Help, over the same core as the CLI.

Design: every read and write runs in a thread worker (`@work(thread=True)`) that opens its own
Store, and hands results back with `call_from_thread`, so the interface never waits on the
database. The summaries are the very renderables `numbtrack week` prints. A two-second timer
looks at the database files' size and time stamps (no query) to notice check-ins logged from
another shell, and reloads when they change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from numbtrack import care, paths, render, summary, text, vocab
from numbtrack import query as query_language
from numbtrack.errors import NumbtrackError
from numbtrack.models import CheckIn, Sensation, parse_feeling, revise
from numbtrack.store import Store

RANGES = (("4 weeks", 28, 1), ("3 months", 91, 2), ("12 months", 364, 7))
"""Trend ranges: (label, days, days per point)."""

ENTRY_LIMIT = 500
"""Rows loaded into the entries table at once (the newest that match)."""

WELCOME = """Welcome to numbtrack.

Nothing is logged yet, so there is nothing to draw. That is a fine place to start.

  • Press l for the Log form, or run  numbtrack log  in a shell.
    "numb", "flat" and "nothing" are answers too.
  • To look around with synthetic data first:
      numbtrack demo   then   numbtrack --home <folder it prints> dash
  • Press ? for every key.
"""


class WordSuggester(Suggester):
    """Completes the last word being typed from the vocabulary and the person's own words."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.words = sorted(words)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        for word in self.words:
            if word.startswith(last.lower()) and word != last.lower():
                return (head + " " if head else "") + word
        return None


class Confirm(ModalScreen[bool]):
    """Asks one question; y or Enter confirms, n or Escape declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 64; height: auto; border: round $accent; padding: 1 2;
                         background: $surface; }
    Confirm Horizontal { height: auto; margin-top: 1; }
    Confirm Button { margin-right: 2; }
    """

    def __init__(self, question: str, detail: str) -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Static(Text(self.detail), classes="dim")
            with Horizontal():
                yield Button("Delete (y)", id="yes", variant="warning")
                yield Button("Keep (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


@dataclass
class OverviewData:
    empty: bool
    year: summary.Summary
    period: summary.Summary
    range_label: str
    bucket: int


class NumbtrackApp(App[None]):
    """The dashboard. `now` freezes the clock (for tests and screenshots)."""

    TITLE = "numbtrack"
    SUB_TITLE = "noticing, gently"
    CSS = """
    TabbedContent { height: 1fr; }
    TabPane { padding: 0 1; }
    .dim { color: $text-muted; }
    #overview-scroll > Static { margin-bottom: 1; }
    #overview-columns { height: auto; }
    #overview-columns > Static { width: 1fr; }
    #entries-search { margin: 1 0 0 0; }
    #entries-body { height: 1fr; }
    #entries-table { width: 3fr; }
    #entries-detail { width: 2fr; padding: 0 1; border-left: solid $panel; }
    #entries-status { height: 1; color: $text-muted; }
    #log-form { height: 1fr; }
    #log-form Horizontal { height: auto; }
    #log-form Label { margin-top: 1; color: $text-muted; }
    #log-form Input, #log-form Select { margin-right: 1; }
    #log-region, #log-quality { width: 1fr; }
    #log-intensity { width: 12; }
    #log-feel { width: 16; }
    #log-practices { height: 6; }
    #log-note { height: 4; }
    #log-error { color: $warning; height: auto; }
    #log-buttons { margin-top: 1; height: auto; }
    #log-buttons Button { margin-right: 2; }
    #log-sensations { height: auto; color: $text; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o,1", "show('overview')", "Overview"),
        Binding("e,2", "show('entries')", "Entries"),
        Binding("l,3", "show('log')", "Log"),
        Binding("w,4", "show('week')", "Week"),
        Binding("question_mark,f1,5", "show('help')", "Help", key_display="?"),
        Binding("r", "cycle_range", "Range", show=False),
        Binding("left_square_bracket", "move_week(-1)", "Prev week", show=False),
        Binding("right_square_bracket", "move_week(1)", "Next week", show=False),
        Binding("escape", "leave_field", "Leave field", show=False),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
    ]

    def __init__(self, now: datetime | None = None, watch_interval: float = 2.0) -> None:
        super().__init__()
        self.fixed_now = now
        self.watch_interval = watch_interval
        self.range_index = 1
        self.week_monday = summary.week_bounds(self.today())[0]
        self.sensations: list[Sensation] = []
        self.editing: CheckIn | None = None
        self.last_deleted: CheckIn | None = None
        self.entries: list[CheckIn] = []
        self._signature = self._db_signature()
        self.showing_data = False
        """True once the overview has drawn real check-ins (the benchmark waits for it)."""
        self.vocabulary = vocab.load()

    # -- time and files ------------------------------------------------------------------

    def now(self) -> datetime:
        return self.fixed_now or datetime.now().astimezone()

    def today(self) -> date:
        return self.now().date()

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
        v = self.vocabulary
        yield Header()
        with TabbedContent(initial="overview"):
            with TabPane("Overview", id="overview"), VerticalScroll(id="overview-scroll"):
                yield Static(WELCOME, id="overview-welcome")
                yield Static("Loading…", id="overview-calendar")
                yield Static("", id="overview-trend")
                with Horizontal(id="overview-columns"):
                    yield Static("", id="overview-words")
                    yield Static("", id="overview-body")
                yield Static("", id="overview-stretches")
            with TabPane("Entries", id="entries"):
                yield Input(
                    placeholder="search notes, or word:numb region:chest tag:work "
                    "practice:music state:numb since:-7d until:2026-11-01",
                    id="entries-search",
                    compact=True,
                )
                yield Static("", id="entries-status")
                with Horizontal(id="entries-body"):
                    yield DataTable(id="entries-table", cursor_type="row", zebra_stripes=True)
                    with VerticalScroll(id="entries-detail"):
                        yield Static("", id="entries-detail-text")
            with TabPane("Log", id="log"), VerticalScroll(id="log-form"):
                yield Static("", id="log-title")
                yield Label("Body first: where do you notice something, and what is it like?")
                with Horizontal():
                    yield Select([(r, r) for r in v.regions], prompt="region", id="log-region")
                    yield Select(
                        [(f"{q.name}  ({q.group})", q.name) for q in v.qualities.values()],
                        prompt="quality",
                        id="log-quality",
                        compact=True,
                    )
                    yield Input(placeholder="1-5", id="log-intensity", type="integer", compact=True)
                    yield Button("Add", id="log-add-body", compact=True)
                yield Static("", id="log-sensations")
                yield Label('Feeling words ("numb", "flat" and "nothing" are answers too)')
                yield Input(
                    placeholder="e.g. numb tired  (Tab or → takes the suggestion)",
                    id="log-words",
                    suggester=WordSuggester(list(v.words)),
                    compact=True,
                )
                yield Label("How much can you feel right now, 0 (nothing) to 10?")
                yield Input(placeholder="0-10", id="log-feel", type="integer", compact=True)
                yield Label("Practices (space to tick)")
                yield SelectionList[str](*[(p, p) for p in v.practices], id="log-practices")
                yield Label("Tags, separated by spaces")
                yield Input(placeholder="work bad-sleep", id="log-tags", compact=True)
                yield Label("A note, if you like")
                yield TextArea(id="log-note", compact=True)
                yield Static("", id="log-error")
                with Horizontal(id="log-buttons"):
                    yield Button("Save (ctrl+s)", id="log-save", variant="primary", compact=True)
                    yield Button("Clear", id="log-clear", compact=True)
            with TabPane("Week", id="week"), VerticalScroll(id="week-scroll"):
                yield Static("Loading…", id="week-view")
            with TabPane("Help", id="help"), VerticalScroll():
                yield Static(self._help(), id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#entries-table", DataTable)
        for label in ("when", "feel", "words", "body", "did / tags", "note"):
            table.add_column(label, key=label)
        self._show_form_state()
        # The overview first, alone: the other tabs load once it has drawn (see show_overview),
        # so their queries do not compete with the first screen.
        self.load_overview(then_the_rest=True)
        if self.watch_interval:
            self.set_interval(self.watch_interval, self.check_for_changes)

    def _help(self) -> RenderableType:
        keys = Table(box=None, show_header=False, padding=(0, 2))
        keys.add_column(style="bold")
        keys.add_column()
        rows = [
            ("o  1", "Overview: calendar, trend, words, body map, numb stretches"),
            ("e  2", "Entries: search and browse check-ins"),
            ("l  3", "Log: a new check-in"),
            ("w  4", "Week: the weekly summary"),
            ("?  5  F1", "this help"),
            ("r", "Overview: trend range (4 weeks, 3 months, 12 months)"),
            ("[  ]", "Week: previous and next week"),
            ("Enter", "Entries: edit the selected check-in in the Log form"),
            ("d", "Entries: delete the selected check-in (asks first)"),
            ("u", "Entries: bring back the check-in deleted last"),
            ("ctrl+s", "Log: save"),
            ("Escape", "leave a text field, so the letter keys work again"),
            ("ctrl+p", "command palette"),
            ("q", "quit"),
        ]
        for k, what in rows:
            keys.add_row(k, what)
        return Group(
            Text("Keys", style="bold"),
            keys,
            Text(""),
            Text("Search box", style="bold"),
            Text(
                "Free words search the notes. Filters: word:numb region:chest quality:tight "
                "tag:work practice:music state:numb since:-7d until:2026-11-01."
            ),
            Text(""),
            Text("What numbtrack is", style="bold"),
            Text(
                "A private place to notice small things again: sensations, feeling words, how "
                "much you can feel. Numb and nothing are answers, never failures. "
                + care.NOT_CLINICAL
            ),
            Text(""),
            Text(
                "If you are struggling: call or text 988 in the US, or find a line at "
                "findahelpline.com. `numbtrack support` lists more.",
                style="bold",
            ),
            Text(f"\nData: {paths.db_path()}", style="dim"),
        )

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        yield from super().get_system_commands(screen)
        for tab, what in (
            ("overview", "Calendar, trend, words, body map"),
            ("entries", "Search and browse check-ins"),
            ("log", "A new check-in"),
            ("week", "The weekly summary"),
            ("help", "Keys, and what numbtrack is and is not"),
        ):
            yield SystemCommand(tab.capitalize(), what, lambda t=tab: self.action_show(t))

    # -- navigation ----------------------------------------------------------------------

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "entries":
            self.query_one("#entries-table", DataTable).focus()
        elif tab == "log":
            self.query_one("#log-region", Select).focus()
        elif tab == "week":
            self.query_one("#week-scroll").focus()

    def action_leave_field(self) -> None:
        self.set_focus(None)

    def action_cycle_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(RANGES)
        self.load_overview()

    def action_move_week(self, step: int) -> None:
        self.week_monday += timedelta(weeks=step)
        self.query_one(TabbedContent).active = "week"
        self.load_week()

    def reload(self) -> None:
        self.load_overview()
        self.load_entries(self.query_one("#entries-search", Input).value)
        self.load_week()

    def check_for_changes(self) -> None:
        signature = self._db_signature()
        if signature != self._signature:
            self._signature = signature
            self.reload()

    # -- overview ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="overview")
    def load_overview(self, then_the_rest: bool = False) -> None:
        label, days, bucket = RANGES[self.range_index]
        today = self.today()
        # The calendar shows the 52 weeks up to this one; the period is the chosen range.
        start = summary.week_bounds(today)[0] - timedelta(weeks=51)
        try:
            with Store() as store:
                checkins = store.between(start, today)
                empty = not checkins and store.count() == 0
                before = store.last_non_numb_word(start)
        except NumbtrackError as exc:
            self.call_from_thread(self.notify, exc.message, severity="error", markup=False)
            return
        # The summaries over a year of check-ins take a few milliseconds (docs/performance.md).
        year = summary.summarize(checkins, start, today)
        period_start = today - timedelta(days=days - 1)
        period = summary.summarize(checkins, period_start, today, last_non_numb=before)
        self.call_from_thread(self.show_overview, OverviewData(empty, year, period, label, bucket))
        if then_the_rest:
            self.call_from_thread(self._load_other_tabs)

    def _load_other_tabs(self) -> None:
        self.load_entries(self.query_one("#entries-search", Input).value)
        self.load_week()

    def show_overview(self, data: OverviewData) -> None:
        self.query_one("#overview-welcome").display = data.empty
        for name in ("calendar", "trend", "columns", "stretches"):
            self.query_one(f"#overview-{name}").display = not data.empty
        if data.empty:
            return
        self.showing_data = True
        p = data.period
        head = Text("Can feel, day by day over the year", style="bold")
        self.query_one("#overview-calendar", Static).update(
            Group(head, render.calendar_view(data.year.days))
        )
        points = summary.trend(p.days, data.bucket)
        per = {1: "daily", 2: "every two days", 7: "weekly"}[data.bucket]
        self.query_one("#overview-trend", Static).update(
            Group(
                Text(f"Trend over {data.range_label} (r changes the range)", style="bold"),
                render.trend_view(points, per),
                Text(
                    text.plural(p.checkins, "check-in")
                    + f" on {text.plural(p.days_with_checkins, 'day')}; "
                    + (
                        f"middle can-feel {p.can_feel_median:g}; "
                        if p.can_feel_median is not None
                        else ""
                    )
                    + (f"numb share {round(100 * (p.numb_share or 0))}%." if p.checkins else ""),
                    style="dim",
                ),
            )
        )
        words = render.feelings_section(p)[1:2] if p.words else [Text("No words named.")]
        self.query_one("#overview-words", Static).update(
            Group(Text(f"Words, {data.range_label}", style="bold"), *words)
        )
        body: list[RenderableType] = [Text(f"Body, {data.range_label}", style="bold")]
        body.append(render.body_map(p) if p.regions else Text("No sensations noted."))
        self.query_one("#overview-body", Static).update(Group(*body))
        line = render.stretches_line(p, self.now())
        self.query_one("#overview-stretches", Static).update(
            Group(Text("Numb stretches", style="bold"), line or Text("No numb check-ins here."))
        )

    # -- entries -------------------------------------------------------------------------

    @on(Input.Submitted, "#entries-search")
    @on(Input.Changed, "#entries-search")
    def _search(self, event: Input.Submitted | Input.Changed) -> None:
        self.load_entries(event.value)

    @work(thread=True, exclusive=True, group="entries")
    def load_entries(self, text_: str) -> None:
        try:
            with Store() as store:
                f = query_language.parse_filter(text_, store.custom_words())
                found = store.query(f, limit=ENTRY_LIMIT)
                total = store.count()
        except NumbtrackError as exc:
            self.call_from_thread(self.show_entries, [], exc.message)
            return
        status = (
            text.plural(len(found), "check-in")
            + (" (the newest that match)" if len(found) == ENTRY_LIMIT else "")
            + (f" of {total}" if text_.strip() else "")
        )
        self.call_from_thread(self.show_entries, found, status)

    def show_entries(self, found: list[CheckIn], status: str) -> None:
        self.entries = found
        self.query_one("#entries-status", Static).update(Text(status))  # may quote what was typed
        table = self.query_one("#entries-table", DataTable)
        table.clear()
        now = self.now()
        for c in found:
            table.add_row(
                text.when(c.at, now),
                "" if c.can_feel is None else str(c.can_feel),
                render.words_text(c.words) if c.words else Text(c.state or "", style="dim"),
                Text(", ".join(s.spec() for s in c.sensations)),
                Text(" ".join([*c.practices, *(f"#{t}" for t in c.tags)])),
                Text(" ".join((c.note or "").split())[:30]),
                key=c.id,
            )
        self._show_detail()

    def _selected(self) -> CheckIn | None:
        table = self.query_one("#entries-table", DataTable)
        if not self.entries or table.cursor_row is None or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    @on(DataTable.RowHighlighted, "#entries-table")
    def _show_detail(self) -> None:
        c = self._selected()
        detail = self.query_one("#entries-detail-text", Static)
        if c is None:
            detail.update(Text("No check-in selected.", style="dim"))
            return
        detail.update(
            Group(
                Text(text.detail(c)),
                Text("\nEnter edits · d deletes · u brings back the last deleted", style="dim"),
            )
        )

    @on(DataTable.RowSelected, "#entries-table")
    def _edit_selected(self) -> None:
        c = self._selected()
        if c is not None:
            self.start_edit(c)

    def key_d(self) -> None:
        if self.query_one(TabbedContent).active != "entries" or isinstance(self.focused, Input):
            return
        c = self._selected()
        if c is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.delete_checkin(c)

        self.push_screen(Confirm("Delete this check-in?", text.one_line(c, now=self.now())), answer)

    def key_u(self) -> None:
        if self.query_one(TabbedContent).active != "entries" or isinstance(self.focused, Input):
            return
        if self.last_deleted is None:
            self.notify("Nothing to bring back.")
            return
        self.restore_deleted(self.last_deleted)

    @work(thread=True, group="write")
    def delete_checkin(self, c: CheckIn) -> None:
        with Store() as store:
            store.delete(c.id)
        self.last_deleted = c
        self.call_from_thread(self.notify, "Deleted. Press u to bring it back.")
        self.call_from_thread(self.reload)

    @work(thread=True, group="write")
    def restore_deleted(self, c: CheckIn) -> None:
        with Store() as store:
            # A fresh updated_at: bringing it back is newer than the delete (see merge.py).
            store.add(replace(c, updated_at=""))
        self.last_deleted = None
        self.call_from_thread(self.notify, "Brought back.")
        self.call_from_thread(self.reload)

    # -- log form ------------------------------------------------------------------------

    def start_edit(self, c: CheckIn) -> None:
        self.action_clear_form()
        self.editing = c
        self.sensations = list(c.sensations)
        self.query_one("#log-words", Input).value = " ".join(f.spec() for f in c.feelings)
        self.query_one("#log-feel", Input).value = "" if c.can_feel is None else str(c.can_feel)
        self.query_one("#log-tags", Input).value = " ".join(c.tags)
        self.query_one("#log-note", TextArea).text = c.note or ""
        practices = self.query_one("#log-practices", SelectionList)
        for p in c.practices:
            practices.select(p)
        self._show_form_state()
        self.action_show("log")

    def _show_form_state(self) -> None:
        title = (
            f"Editing {self.editing.short_id} from {text.when(self.editing.at, self.now())}"
            if self.editing
            else "A new check-in. Every part is optional; Enter in a field moves on."
        )
        self.query_one("#log-title", Static).update(Text(title, style="bold"))
        listed = ", ".join(s.spec() for s in self.sensations)
        self.query_one("#log-sensations", Static).update(
            Text("Noted: " + listed, style="") if listed else Text("")
        )

    @on(Input.Submitted, "#log-form Input")
    def _next_field(self) -> None:
        self.screen.focus_next()

    @on(Button.Pressed, "#log-add-body")
    def _add_body(self) -> None:
        region = self.query_one("#log-region", Select).value
        quality = self.query_one("#log-quality", Select).value
        error = self.query_one("#log-error", Static)
        if region is Select.NULL or quality is Select.NULL:
            error.update("Choose a region and a quality, then Add.")
            return
        raw = self.query_one("#log-intensity", Input).value.strip()
        intensity = int(raw) if raw.isdigit() else None
        if raw and (intensity is None or not 1 <= intensity <= 5):
            error.update("The intensity is a whole number from 1 to 5, or empty.")
            return
        self.sensations.append(Sensation(str(region), str(quality), intensity))
        self.query_one("#log-intensity", Input).value = ""
        error.update("")
        self._show_form_state()

    @on(Button.Pressed, "#log-clear")
    def action_clear_form(self) -> None:
        self.editing = None
        self.sensations = []
        for field in ("#log-words", "#log-feel", "#log-tags", "#log-intensity"):
            self.query_one(field, Input).value = ""
        self.query_one("#log-note", TextArea).text = ""
        self.query_one("#log-practices", SelectionList).deselect_all()
        self.query_one("#log-region", Select).clear()
        self.query_one("#log-quality", Select).clear()
        self.query_one("#log-error", Static).update("")
        self._show_form_state()

    def _form_checkin(self) -> CheckIn:
        words = [parse_feeling(w) for w in self.query_one("#log-words", Input).value.split()]
        raw_feel = self.query_one("#log-feel", Input).value.strip()
        can_feel = int(raw_feel) if raw_feel.lstrip("-").isdigit() else None
        if raw_feel and can_feel is None:
            from numbtrack.errors import InvalidInput

            raise InvalidInput("How much you can feel is a whole number from 0 to 10.")
        fields: dict[str, Any] = {
            "feelings": tuple(words),
            "sensations": tuple(self.sensations),
            "can_feel": can_feel,
            "practices": tuple(self.query_one("#log-practices", SelectionList).selected),
            "tags": tuple(self.query_one("#log-tags", Input).value.split()),
            "note": self.query_one("#log-note", TextArea).text or None,
        }
        if self.editing is not None:
            return revise(self.editing, **fields)
        return CheckIn(at=self.now(), **fields)

    @on(Button.Pressed, "#log-save")
    def action_save(self) -> None:
        if self.query_one(TabbedContent).active != "log":
            return
        error = self.query_one("#log-error", Static)
        try:
            checkin = self._form_checkin()
        except NumbtrackError as exc:
            error.update(Text(exc.message))  # quotes what was typed: never read it as markup
            return
        if not checkin.noted:
            error.update("Nothing to save yet: note something in any field first.")
            return
        error.update("Saving…")
        self.save_checkin(checkin, self.editing is not None)

    @work(thread=True, exclusive=True, group="write")
    def save_checkin(self, checkin: CheckIn, editing: bool) -> None:
        try:
            with Store() as store:
                saved = store.update(checkin) if editing else store.add(checkin)
        except NumbtrackError as exc:
            self.call_from_thread(self.query_one("#log-error", Static).update, Text(exc.message))
            return
        self.call_from_thread(self._saved, saved, editing)

    def _saved(self, saved: CheckIn, editing: bool) -> None:
        self.action_clear_form()
        self.notify(
            ("Updated " if editing else "Saved ") + text.one_line(saved, note_chars=0),
            markup=False,
        )
        self.reload()
        if editing:
            self.action_show("entries")

    # -- week ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="week")
    def load_week(self) -> None:
        monday = self.week_monday
        try:
            with Store() as store:
                week = summary.load_week(store, monday, now=self.now())
        except NumbtrackError as exc:
            self.call_from_thread(self.notify, exc.message, severity="error", markup=False)
            return
        hint = Text("[ and ] move between weeks", style="dim")
        view = Group(hint, render.week_view(week))
        self.call_from_thread(self.query_one("#week-view", Static).update, view)


def run(now: datetime | None = None) -> None:
    NumbtrackApp(now=now).run()
