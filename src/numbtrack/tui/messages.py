"""Messages the dashboard's workers post back: results, changes and errors.

Workers run in threads and never touch a widget; they post one of these (posting is
thread-safe), and the handler runs on the app's thread, where widgets may be changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from textual.message import Message

if TYPE_CHECKING:  # annotations only: the first screen need not import these
    from numbtrack import history, summary
    from numbtrack.models import CheckIn
    from numbtrack.store import Filter
    from numbtrack.tui import overview_data


class StoreFailed(Message):
    """Store work failed with one of numbtrack's errors; `text` is its one sentence."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class StoreChanged(Message):
    """This dashboard wrote to the store: every pane reloads, keeping its place."""

    def __init__(self, keep_id: str | None = None) -> None:
        super().__init__()
        self.keep_id = keep_id


class OverviewLoaded(Message):
    """The Overview's top (calendar, trend) and its rest (words, body, stretches); either
    may be None when it comes separately. `generation` is the load it answers."""

    def __init__(
        self,
        generation: int,
        top: overview_data.Top | None,
        period: summary.Summary | None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.top = top
        self.period = period


class EntriesFound(Message):
    """The answer to search number `generation`: a count and the page with the cursor."""

    def __init__(
        self,
        generation: int,
        filter: Filter | None,
        total: int,
        pages: dict[int, list[CheckIn]] | None = None,
        cursor: int = 0,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.filter = filter
        self.total = total
        self.pages = pages or {}
        self.cursor = cursor
        self.error = error


class PageLoaded(Message):
    def __init__(self, generation: int, page: int, rows: list[CheckIn]) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.rows = rows


class WeekLoaded(Message):
    def __init__(self, renderable: RenderableType) -> None:
        super().__init__()
        self.renderable = renderable


class Saved(Message):
    def __init__(self, checkin: CheckIn, editing: bool) -> None:
        super().__init__()
        self.checkin = checkin
        self.editing = editing


class Deleted(Message):
    def __init__(self, checkin: CheckIn) -> None:
        super().__init__()
        self.checkin = checkin


class UndoOffered(Message):
    """The change the next undo would revert (None: nothing to undo)."""

    def __init__(self, change: history.Change | None) -> None:
        super().__init__()
        self.change = change


class Undone(Message):
    def __init__(self, change: history.Change) -> None:
        super().__init__()
        self.change = change
