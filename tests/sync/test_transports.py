"""Sync carried by real tools: git (a bare repository on local disk as the remote) and a
simulated file-sync tool that copies files at random moments, in part, late and out of order."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.sync.helpers import Device

MakeDevice = Callable[..., Device]

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(folder: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(folder.parent),
    }
    done = subprocess.run(
        ["git", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def git_sync(device: Device, clone: Path) -> None:
    """What docs/sync.md tells a person to run: commit, pull, numbtrack sync, commit, push."""
    message = f"numbtrack sync from {device.name}"
    git(clone, "add", "--all")
    git(clone, "commit", "--quiet", "--allow-empty", "-m", message)
    git(clone, "pull", "--quiet", "--rebase", "origin", "main")
    device.sync()
    git(clone, "add", "--all")
    git(clone, "commit", "--quiet", "--allow-empty", "-m", message)
    git(clone, "push", "--quiet", "origin", "HEAD:main")


@needs_git
def test_three_devices_through_a_git_remote(tmp_path: Path, make_device: MakeDevice) -> None:
    remote = tmp_path / "remote.git"
    remote.mkdir()
    git(remote, "init", "--quiet", "--bare", "--initial-branch=main")
    seed = tmp_path / "seed"
    seed.mkdir()
    git(seed, "init", "--quiet", "--initial-branch=main")
    git(seed, "commit", "--quiet", "--allow-empty", "-m", "start")
    git(seed, "remote", "add", "origin", str(remote))
    git(seed, "push", "--quiet", "origin", "main")
    clones = {}
    for name in "abc":
        clones[name] = tmp_path / f"clone-{name}"
        git(tmp_path, "clone", "--quiet", str(remote), clones[name].name)
    a, b, c = (make_device(n, clones[n]) for n in "abc")
    devices = {"a": a, "b": b, "c": c}
    x = a.log(note="on a")
    b.log(note="on b", minutes=1)
    for _ in range(2):
        for name, d in devices.items():
            git_sync(d, clones[name])
    c.store.update(replace(c.store.get(x.id), note="edited on c"))
    b.store.delete(b.store.query()[0].id)  # the newest: "on b"
    for _ in range(2):
        for name, d in devices.items():
            git_sync(d, clones[name])
    a.compact()
    for name, d in devices.items():
        git_sync(d, clones[name])
    assert a.export() == b.export() == c.export()
    assert a.notes() == ["edited on c"]


# -- a simulated file-sync tool ------------------------------------------------------------------


class Carrier:
    """Copies files between device folders the way a sync tool can: any file, any time, in
    part first and whole later, out of order, deletions late; never atomically."""

    def __init__(self, folders: dict[str, Path], owners: dict[str, str], seed: int) -> None:
        self.folders = folders
        self.owners = owners  # device id -> name of the folder it writes in
        self.rng = random.Random(seed)

    def _files(self, folder: Path) -> dict[str, Path]:
        root = folder / "numbtrack"
        if not root.exists():
            return {}
        return {str(p.relative_to(folder)): p for p in root.rglob("*") if p.is_file()}

    def step(self) -> None:
        src, dst = self.rng.sample(sorted(self.folders), 2)
        have = self._files(self.folders[src])
        if not have:
            return
        rel = self.rng.choice(sorted(have))
        device = Path(rel).parts[1]
        if self.owners.get(device) == dst:
            return  # a device's own folder is written by that device alone
        target = self.folders[dst] / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = have[rel].read_bytes()
        if self.rng.random() < 0.4:
            data = data[: self.rng.randrange(len(data) + 1)]  # caught mid-copy
        target.write_bytes(data)

    def deletions(self) -> None:
        """Deletes reach a folder only sometimes, and only for files their owner removed."""
        for name, folder in self.folders.items():
            for rel, path in self._files(folder).items():
                device = Path(rel).parts[1]
                owner = self.owners.get(device)
                gone = owner and owner != name and not (self.folders[owner] / rel).exists()
                if gone and self.rng.random() < 0.5:
                    path.unlink()

    def deliver_all(self) -> None:
        for src, folder in self.folders.items():
            for rel, path in self._files(folder).items():
                device = Path(rel).parts[1]
                if self.owners.get(device) != src:
                    continue
                for dst, other in self.folders.items():
                    if dst != src:
                        (other / rel).parent.mkdir(parents=True, exist_ok=True)
                        (other / rel).write_bytes(path.read_bytes())
        for name, folder in self.folders.items():
            for rel, path in self._files(folder).items():
                owner = self.owners.get(Path(rel).parts[1])
                if owner and owner != name and not (self.folders[owner] / rel).exists():
                    path.unlink()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_file_sync_tool_that_copies_at_random_moments(
    tmp_path: Path, make_device: MakeDevice, seed: int
) -> None:
    rng = random.Random(seed)
    folders = {n: tmp_path / f"Sync-{n}" for n in "abc"}
    for f in folders.values():
        f.mkdir()
    devices = {n: make_device(n, folders[n]) for n in "abc"}
    carrier = Carrier(folders, {d.id: n for n, d in devices.items()}, seed)
    for step in range(60):
        name = rng.choice("abc")
        d = devices[name]
        roll = rng.random()
        existing = d.store.query(limit=20)
        if roll < 0.35 or not existing:
            d.log(rng.choice(["calm", "numb", "tired", "warm"]), minutes=step, note=f"{name}{step}")
        elif roll < 0.5:
            target = rng.choice(existing)
            d.store.update(replace(target, note=f"{target.note} edited by {name}"))
        elif roll < 0.6:
            d.store.delete(rng.choice(existing).id)
        elif roll < 0.9:
            d.sync()
        else:
            d.compact()
        for _ in range(rng.randrange(4)):
            carrier.step()
        if rng.random() < 0.2:
            carrier.deletions()
    for _ in range(3):  # a full round: everything delivered whole, everyone syncs
        for d in devices.values():
            d.sync()
            carrier.deliver_all()
    exports = {n: d.export() for n, d in devices.items()}
    assert exports["a"] == exports["b"] == exports["c"]
