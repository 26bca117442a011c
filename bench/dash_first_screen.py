"""Start the dashboard headless (App.run_test) and exit as soon as the first screen shows data.

Run as a whole command by bench/run.py, so the figure includes interpreter start-up, imports
and the database work of the overview: `python bench/dash_first_screen.py`, with
NUMBTRACK_HOME pointing at a store. Prints the in-process seconds to stderr.
"""

from __future__ import annotations

import asyncio
import sys
import time

START = time.perf_counter()


async def main() -> None:
    from numbtrack.tui.app import NumbtrackApp

    app = NumbtrackApp(watch_interval=0)
    async with app.run_test(size=(100, 34)) as pilot:
        for _ in range(4000):
            if app.showing_data:
                break
            await pilot.pause(0.005)
        else:
            raise SystemExit("the overview never showed data")
    print(f"{time.perf_counter() - START:.3f}", file=sys.stderr)


asyncio.run(main())
