"""Three devices driven through random adds, edits, deletes, imports, syncs and compactions.

After a full round of syncs all three stores must export byte-identical data, and hold exactly
what the merge rule says: for every check-in id ever written anywhere, the greatest of all its
versions (numbtrack.merge), which is either that check-in as it was written or gone because a
delete won. So nothing written on any device is lost except by a delete the rule says wins.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from numbtrack import merge
from numbtrack.exchange.records import to_dict
from numbtrack.models import CheckIn, Feeling, validate
from tests.sync.helpers import BASE, Device

DEVICE = st.integers(0, 2)
PICK = st.integers(0, 1000)
WORDS = st.sampled_from(["calm", "numb", "tired", "warm", "flat", "mad"])
""""mad" is an alias of "angry": its check-ins keep the typed name (a version 2 sync file)."""
TEXT = st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00")
NOTES = st.one_of(st.none(), st.text(TEXT, max_size=12))


class ThreeDevices(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="numbtrack-sync-"))
        folder = self.tmp / "Sync"
        folder.mkdir()
        self.devices = [Device(self.tmp / f"home-{i}", folder, f"d{i}") for i in range(3)]
        self.versions: dict[str, tuple[merge.Version, dict[str, Any] | None]] = {}
        self.step = 0

    def teardown(self) -> None:
        try:
            self.full_round()
        finally:
            for d in self.devices:
                d.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the model: the greatest version of every id ----------------------------------------

    def _seen(self, version: merge.Version, content: dict[str, Any] | None, cid: str) -> None:
        held = self.versions.get(cid)
        if held is None or merge.wins(version, held[0]):
            self.versions[cid] = (version, content)

    def _put(self, c: CheckIn, device: Device) -> None:
        self._seen(merge.put(c, device.id), to_dict(c), c.id)

    def _pick(self, device: Device, pick: int) -> CheckIn | None:
        existing = device.store.query(newest_first=False)
        return existing[pick % len(existing)] if existing else None

    # -- what people and sync tools do ------------------------------------------------------

    @rule(d=DEVICE, word=WORDS, note=NOTES)
    def add(self, d: int, word: str, note: str | None) -> None:
        self.step += 1
        device = self.devices[d]
        at = BASE + timedelta(minutes=self.step)
        self._put(device.store.add(CheckIn(at=at, feelings=(Feeling(word),), note=note)), device)

    @rule(d=DEVICE, pick=PICK, note=NOTES)
    def edit(self, d: int, pick: int, note: str | None) -> None:
        device = self.devices[d]
        target = self._pick(device, pick)
        if target is not None:
            self._put(device.store.update(replace(target, note=note)), device)

    @rule(d=DEVICE, pick=PICK)
    def delete(self, d: int, pick: int) -> None:
        device = self.devices[d]
        target = self._pick(device, pick)
        if target is None:
            return
        device.store.delete(target.id)
        stamp = dict(device.store.local_changes(None).deletes)[target.id]
        self._seen(merge.delete(stamp, device.id), None, target.id)

    @rule(
        src=DEVICE,
        dst=DEVICE,
        pick=PICK,
        note=NOTES,
        same_time=st.booleans(),
        older=st.booleans(),
    )
    def import_(
        self, src: int, dst: int, pick: int, note: str | None, same_time: bool, older: bool
    ) -> None:
        """Import one check-in from another device's export: as it is, or changed but with
        the same updated_at (two versions at the same moment: the device id decides), or as
        an older numbtrack's export has it, without the typed names."""
        source, target = self.devices[src], self.devices[dst]
        c = self._pick(source, pick)
        if c is None:
            return
        if same_time:
            c = replace(c, note=note)
        if older:
            c = replace(c, typed=())
        c = validate(c)
        target.store.put_many([c])
        self._put(c, target)

    @rule(d=DEVICE)
    def sync(self, d: int) -> None:
        self.devices[d].sync()

    @rule(d=DEVICE)
    def compact(self, d: int) -> None:
        self.devices[d].compact()

    @precondition(lambda self: self.step % 3 == 0)
    @rule()
    def full_round(self) -> None:
        for _ in range(3):
            for d in self.devices:
                d.sync()
        exports = [d.export() for d in self.devices]
        assert exports[0] == exports[1] == exports[2]
        expected = {
            cid: content for cid, (_, content) in self.versions.items() if content is not None
        }
        held = {c.id: to_dict(c) for c in self.devices[0].store.iter_all()}
        assert held == expected


TestThreeDevices = ThreeDevices.TestCase
TestThreeDevices.settings = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
