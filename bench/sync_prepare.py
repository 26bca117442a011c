"""Prepare one timed run of a sync benchmark (bench/run.py), untimed.

python sync_prepare.py empty HOME FOLDER   # HOME becomes a new, empty device of FOLDER
python sync_prepare.py stamp FILE AGE_S    # FILE's mtime becomes AGE_S seconds ago
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    mode = sys.argv[1]
    if mode == "empty":
        home, folder = Path(sys.argv[2]), sys.argv[3]
        shutil.rmtree(home, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "numbtrack", "--home", str(home), "sync", "init", folder],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    elif mode == "stamp":
        path, age = Path(sys.argv[2]), float(sys.argv[3])
        path.touch()
        moment = time.time() - age
        os.utime(path, (moment, moment))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
