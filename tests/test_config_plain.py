"""The settings file's quick reader (config._plain) gives what tomllib gives, or leaves the
file to tomllib: every sync reads the settings, and tomllib is not imported for a file of
the plain kind numbtrack writes."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numbtrack import config
from numbtrack.config import Config
from numbtrack.errors import StoreError

names = st.text("abcdefghijklmnopqrstuvwxyz_-0A", min_size=1, max_size=8)
values = (
    st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.text(max_size=12)
    | st.text('ab"\\\t\x00\x7f\u00e9 #=[]', max_size=6)
)
tables = st.dictionaries(names, values, max_size=4)
documents = st.dictionaries(names, tables | values, max_size=3)
quick_enough = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])


@quick_enough
@given(documents)
def test_a_file_tomli_w_writes_reads_as_tomllib_reads_it(data: dict[str, object]) -> None:
    text = "# numbtrack settings\n\n" + tomli_w.dumps(data)
    found = config._plain(text)
    assert found is None or found == tomllib.loads(text)


@quick_enough
@given(st.text("ab =#[]\"'\n\r\t\\01-_\x00\x7f", max_size=40))
def test_any_text_reads_as_tomllib_reads_it_or_is_left_to_it(text: str) -> None:
    found = config._plain(text)
    if found is not None:
        assert found == tomllib.loads(text)


def test_what_sync_init_writes_takes_the_quick_way(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config.save(
        Config(sync_folder="/home/me/Sync é", sync_device="3f9a0c1d2b4e5f60", sync_name="laptop"),
        path,
    )
    assert config._plain(path.read_text(encoding="utf-8")) is not None


@pytest.mark.parametrize(
    "text",
    [
        '[sync]\nname = "a"\nname = "b"\n',  # a key twice
        "[sync]\n[sync]\n",  # a table twice
        "sync = 1\n[sync]\n",  # a table named like a key
        '[sync]\nname = "a\\"b"\n',  # an escape
        "[sync]\nevery = 05\n",  # a leading zero
        "[sync]\nevery = 5 # minutes\n",  # a comment after a value
        "# a \x01 in a comment\n",
        '[sync]\r\nname = "a"\r\n',
        "[sync.more]\n",
    ],
)
def test_anything_else_is_left_to_tomllib(text: str) -> None:
    assert config._plain(text) is None


def test_a_file_with_an_escape_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[sync]\nname = "a \\"quoted\\" name"\n', encoding="utf-8")
    assert config.load(path).sync_name == 'a "quoted" name'


def test_a_damaged_file_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[sync]\nname = "a"\nname = "b"\n', encoding="utf-8")
    with pytest.raises(StoreError, match="damaged at line 3"):
        config.load(path)


def test_reading_the_settings_imports_no_tomllib(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config.save(Config(sync_folder="/s", sync_device="3f9a0c1d2b4e5f60"), path)
    code = (
        "import sys; from pathlib import Path; from numbtrack import config; "
        f"c = config.load(Path({str(path)!r})); "
        "print(c.sync_device, 'tomllib' in sys.modules, 'typing' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["3f9a0c1d2b4e5f60", "False", "False"]
