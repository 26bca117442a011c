"""Every command has help text and an entry in docs/cli.md."""

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
