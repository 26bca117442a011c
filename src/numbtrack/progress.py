"""A progress bar on stderr for long work (export, import, report), without Typer.

Shared by the Typer commands (cli.common re-exports it) and numbtrack.quick_export, the way
into a plain export that never loads Typer. Rich is imported only when the bar is drawn.
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
    """A progress bar on stderr for long work (export, import, report), as a callback of how
    much is done. Only on a terminal, and only once the work has run for about a second:
    quick commands never show one, and Rich is imported only when it is drawn. Never on
    stdout, so piped and --json output are byte for byte what they would be without it."""

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
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        if total is not None:
            self.total = total
        if self.bar is None:
            if self.clock() - self.started < self.after:
                return
            from rich.console import Console
            from rich.progress import Progress as Bar

            if callable(self.total):
                self.total = self.total()
            self.bar = Bar(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=self.total)
        self.bar.update(self.task, completed=done, total=self.total)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Take the bar away (before asking something, say); it does not come back."""
        self.enabled = False
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
