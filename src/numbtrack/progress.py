"""A progress bar on stderr for long work (export, import, report, sync), without Typer.

Shared by the Typer commands (cli.common re-exports it) and the quick ways in
(numbtrack.quick_export, quick_import, quick_view, quick_sync), which never load Typer. Rich
is imported only when the bar is drawn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from typing import Any

PROGRESS_AFTER_S = 1.0
"""Long work shows a progress bar once it has run this long (NUMBTRACK_PROGRESS_AFTER)."""


class Progress:
    """A progress bar on stderr for long work (export, import, report, sync), as a callback
    of how much is done. Only on a terminal, and only once the work has run for about a
    second: quick commands never show one, and Rich is imported only when it is drawn. Never
    on stdout, so piped and --json output are byte for byte what they would be without it.

    The bar appears when that second is up even if no count arrives then (a sync's merge, an
    import's last indexes run a second and more in one call): a timer thread draws it, with
    the count known so far, and Rich's own thread keeps it moving. A total given as a
    function (a query of the caller's store, which belongs to the caller's thread) is asked
    for on the caller's next count."""

    def __init__(
        self,
        label: str,
        total: int | Callable[[], int] | None = None,
        *,
        enabled: bool = True,
    ) -> None:
        import time

        self.label = label
        self.total: int | Callable[[], int] | None = total
        self.enabled = enabled and sys.stderr.isatty()
        try:
            self.after = float(os.environ.get("NUMBTRACK_PROGRESS_AFTER", PROGRESS_AFTER_S))
        except ValueError:
            self.after = PROGRESS_AFTER_S
        self.clock = time.monotonic
        self.started = self.clock()
        self.done = 0
        self.bar: Any = None
        self.task: Any = None
        self.timer: Any = None
        if self.enabled:
            import threading

            self.lock = threading.Lock()
            self.timer = threading.Timer(max(self.after, 0.0), self._draw)
            self.timer.daemon = True  # never keeps numbtrack from ending
            self.timer.start()

    def __call__(self, done: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        if total is not None:
            self.total = total
        self.done = done
        if self.clock() - self.started < self.after:
            return
        if callable(self.total):
            self.total = self.total()
        if self.bar is None:
            self._draw()
        with self.lock:
            if self.bar is not None:
                self.bar.update(self.task, completed=done, total=self._known_total())

    def _known_total(self) -> int | None:
        return None if callable(self.total) else self.total

    def _draw(self) -> None:
        """Start the bar (from the timer's thread, or the caller's): once, and never after
        `close`."""
        with self.lock:
            if not self.enabled or self.bar is not None:
                return
            from rich.console import Console
            from rich.progress import Progress as Bar

            # Standard output and error stay the streams they are: the bar only draws.
            bar = Bar(
                console=Console(stderr=True),
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            bar.start()
            self.task = bar.add_task(self.label, total=self._known_total(), completed=self.done)
            self.bar = bar

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Take the bar away (before asking something, say); it does not come back."""
        if not self.enabled:
            return
        with self.lock:
            self.enabled = False
            self.timer.cancel()
            bar, self.bar = self.bar, None
        if bar is not None:
            bar.stop()
