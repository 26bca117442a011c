"""An imported file that names a word or practice by an alias ("blah" for meh, "walk" for
movement) keeps what was typed beside what it became, as `log` does: the import's quick
checker sends such a record the validator's way instead of dropping the typed name."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack.exchange.native import FIELDS
from numbtrack.models import Typed
from numbtrack.store import Store

from .conftest import run

TYPED = (Typed("word", "blah", "meh"), Typed("practice", "walk", "movement"))
ID = "5088ceb1-edc2-4c1c-831b-d8ff3ca9d6aa"
STAMP = "2026-11-20T08:00:00.000000Z"


def _jsonl(path: Path) -> Path:
    record = {
        "id": ID, "at": "2026-11-20T09:00:00+01:00", "day": "2026-11-20", "can_feel": 3,
        "state": "numb", "feelings": [{"word": "blah", "intensity": None, "custom": False}],
        "sensations": [], "practices": ["walk"], "tags": [], "sleep_hours": None,
        "note": None, "created_at": STAMP, "updated_at": STAMP,
    }  # fmt: skip
    lines = [
        json.dumps({"format": "numbtrack", "version": 1, "kind": "lines"}),
        json.dumps(record),
        json.dumps({"end": "numbtrack", "count": 1}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _csv(path: Path) -> Path:
    header = ",".join(FIELDS)
    row = f"{ID},2026-11-20T09:00:00+01:00,2026-11-20,3,numb,blah,,walk,,,,{STAMP},{STAMP}"
    path.write_text(f"{header}\r\n{row}\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [_jsonl, _csv], ids=["jsonl", "csv"])
@pytest.mark.parametrize("existing", [False, True], ids=["new store", "existing store"])
def test_an_alias_in_an_imported_file_keeps_its_typed_name(
    runner: CliRunner, home: Path, tmp_path: Path, make: Callable[[Path], Path], existing: bool
) -> None:
    if existing:
        assert run(runner, "log", "calm", "-q").exit_code == 0
    result = run(runner, "import", str(make(tmp_path / "by-hand")))
    assert result.exit_code == 0
    with Store() as store:
        [c] = [c for c in store.iter_all() if c.id == ID]
    assert (c.words, c.practices, c.typed) == (["meh"], ("movement",), TYPED)
