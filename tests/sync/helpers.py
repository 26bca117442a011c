"""Devices for sync tests: each one its own data folder and store, in one process."""

from __future__ import annotations

import io
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from numbtrack.exchange import native
from numbtrack.models import CheckIn, Feeling
from numbtrack.store import Store
from numbtrack.sync import engine

BASE = datetime(2026, 11, 2, 9, 0).astimezone()


class Device:
    def __init__(self, home: Path, folder: Path, name: str, **init: object) -> None:
        self.home = home
        self.name = name
        self.store = Store(home / "numbtrack.db")
        try:
            self.settings = engine.init(self.store, folder, name=name, **init)  # type: ignore[arg-type]
        except BaseException:
            self.store.close()
            raise

    @property
    def id(self) -> str:
        return self.settings.device

    def sync(self) -> engine.Report:
        report = engine.run(self.store, self.settings)
        assert report is not None
        return report

    def compact(self) -> int:
        return engine.compact(self.store, self.settings)

    def log(self, word: str = "calm", minutes: int = 0, note: str | None = None) -> CheckIn:
        at = BASE + timedelta(minutes=minutes)
        return self.store.add(CheckIn(at=at, feelings=(Feeling(word),), note=note))

    def export(self) -> str:
        out = io.StringIO()
        native.write_jsonl(self.store.iter_all(), out)
        return out.getvalue()

    def notes(self) -> list[str | None]:
        return [c.note for c in self.store.iter_all()]

    def close(self) -> None:
        self.store.close()


def own_files(device: Device) -> list[str]:
    return sorted(p.name for p in device.settings.own.iterdir() if not p.name.startswith("."))


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True)
