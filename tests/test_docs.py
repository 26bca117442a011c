"""Every command has help text and an entry in docs/cli.md, and every field of another app's
file a line in docs/formats.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from numbtrack.cli import app

DOCS = Path(__file__).parent.parent / "docs"
GROUP = get_command(app)
CONTEXT = typer.Context(GROUP)
COMMANDS = GROUP.list_commands(CONTEXT)  # type: ignore[attr-defined]


def test_there_are_commands() -> None:
    assert {"log", "list", "show", "edit", "delete", "undo", "words", "body", "where"} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_docs(name: str) -> None:
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    assert command is not None, f"{name} is listed but cannot be loaded"
    assert (command.help or "").strip(), f"{name} has no help text"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert getattr(param, "help", None), f"{name} {param.name} has no help"
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"^## `numbtrack {name}\b", text, re.MULTILINE), f"{name} not in cli.md"
    section = text.split(f"## `numbtrack {name}", 1)[1].split("\n## ", 1)[0]
    assert "```" in section, f"{name} has no example in cli.md"


def _helps(command: typer.core.TyperCommand | typer.core.TyperGroup) -> list[str]:
    """The help texts of a command, its options and arguments, and of its subcommands."""
    out = [command.help or "", command.epilog or ""]
    out += [getattr(param, "help", None) or "" for param in command.params]
    for sub in getattr(command, "commands", {}).values():
        out += _helps(sub)
    return out


@pytest.mark.parametrize("name", COMMANDS)
def test_help_names_no_file_an_installed_numbtrack_lacks(name: str) -> None:
    """A wheel holds no docs/ folder: help that says "see docs/cli.md" points at nothing."""
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    assert [h for h in _helps(command) if "docs/" in h or ".md" in h] == []


def test_the_terms_help_names_every_search_key() -> None:
    """`list --help` and `export --help` describe the search terms themselves."""
    from numbtrack.query import KEYS

    terms = next(p for p in GROUP.get_command(CONTEXT, "list").params if p.name == "terms")  # type: ignore[attr-defined]
    assert [k for k in KEYS if f"{k}:" not in terms.help] == []


# -- docs/formats.md names every field of another app's file -----------------------------------


def _rows(title: str) -> list[str]:
    """The table rows of the docs/formats.md section `### title`, up to the next heading."""
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    body = text.split(f"\n### {title}", 1)[1].split("\n#", 1)[0]
    return [line for line in body.splitlines() if line.startswith("| ")]


def _spans(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def _first_cell(row: str) -> str:
    return row.split(" | ", 1)[0]


DAYLIO_NEWER = {"dayEntries": {"createdAt", "scaleValues"}}
"""Fields that newer backups may add, beyond those of the hand-made one."""


def _daylio_fields() -> list[tuple[str, str]]:
    from . import daylio_files

    data = daylio_files.backup()
    fields = {(kind, key) for kind, keys in DAYLIO_NEWER.items() for key in keys}
    for kind in ("dayEntries", "customMoods", "tags"):
        fields |= {(kind, key) for item in data[kind] for key in item}
    return sorted(fields)


@pytest.mark.parametrize(("kind", "field"), _daylio_fields())
def test_every_field_of_a_daylio_backup_entry_has_a_line(kind: str, field: str) -> None:
    rows = [r for r in _rows("Daylio backup") if f"`{kind}[]" in r]
    assert any(field in re.findall(r"\w+", " ".join(_spans(r))) for r in rows)


def test_every_part_of_a_daylio_backup_has_a_line() -> None:
    from . import daylio_files

    named = set(re.findall(r"\w+", " ".join(_spans(" ".join(_rows("Daylio backup"))))))
    assert set(daylio_files.backup()) - named == set()


def _header(name: str) -> list[str]:
    import csv

    path = Path(__file__).parent / "fixtures" / name
    with path.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def _named(rows: list[str], column: str) -> bool:
    """`column` is a span of a row's first cell, or matches one that ends in `(...)`."""
    for span in (s for r in rows for s in _spans(_first_cell(r))):
        pattern = re.escape(span).replace(re.escape("(...)"), r"\(.+\)")
        if re.fullmatch(pattern, column):
            return True
    return False


@pytest.mark.parametrize(
    "column", sorted({*_header("howwefeel.csv"), *_header("howwefeel_keys.csv")})
)
def test_every_how_we_feel_column_has_a_line(column: str) -> None:
    assert _named(_rows("How We Feel"), column)


PER_CATEGORY = {"category", "rating/amount", "detail"}
"""Bearable columns whose meaning depends on the row's category: the table says it per
category."""


@pytest.mark.parametrize(
    "column", sorted({*_header("bearable_old.csv"), *_header("bearable_new.csv")} - PER_CATEGORY)
)
def test_every_bearable_column_has_a_line(column: str) -> None:
    assert _named(_rows("Bearable"), column)


def _categories() -> list[str]:
    import csv

    found: set[str] = set()
    for name in ("bearable_old.csv", "bearable_new.csv"):
        path = Path(__file__).parent / "fixtures" / name
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.DictReader(f)
            found |= {row["category"] for row in rows}
    return sorted(found)


@pytest.mark.parametrize("category", _categories())
def test_every_bearable_category_has_a_line(category: str) -> None:
    assert _named(_rows("Bearable"), category)
