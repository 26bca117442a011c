"""The project's own exceptions.

Every message is one sentence a person can act on. The command line maps these to exit codes
in one place (`cli.NumbtrackGroup`): a problem with what was typed is exit code 2, a problem
with the stored data or the machine is exit code 1.
"""

SHOWN_CHARS = 40
"""A value echoed in a refusal is cut to this many characters (a pasted 5,000-digit number
or a 5,000-letter word is named, not printed in full)."""


def shown(value: object) -> str:
    """`value` as a refusal names it: at most SHOWN_CHARS characters, then an ellipsis."""
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


class NumbtrackError(Exception):
    """Base class: something numbtrack can explain in one sentence."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(NumbtrackError):
    """What was typed or imported cannot be stored as it is. Nothing was written."""

    exit_code = 2


class NotFound(InvalidInput):
    """No check-in matches an id or prefix."""


class StoreError(NumbtrackError):
    """The database cannot be used: unreadable, corrupted, read-only or from a newer numbtrack."""

    exit_code = 1
