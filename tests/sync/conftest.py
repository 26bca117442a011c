from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sync.helpers import Device


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "Sync"
    shared.mkdir()
    return shared


@pytest.fixture
def make_device(tmp_path: Path, folder: Path) -> Iterator[Callable[..., Device]]:
    made: list[Device] = []

    def make(name: str, where: Path | None = None, **init: object) -> Device:
        device = Device(tmp_path / f"home-{name}", where or folder, name, **init)
        made.append(device)
        return device

    yield make
    for device in made:
        device.close()
