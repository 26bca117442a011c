"""What a module would otherwise make at import and only some runs use, made on first use.

A regular expression is compiled by the `re` module's parser, in Python: about 0.8 M
instructions a pattern, so the fifteen that the modules of `log`, `week` and `export` compiled
at import were about 12 M of every start, most of them for input those commands never read
(a sleep given as "7h30", a day written "21/11"). `Pattern` compiles on the first use.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from typing import Any


class Pattern:
    """`re.compile(pattern, flags)`, compiled on first use: every attribute but `pattern` and
    `flags` is the compiled pattern's (its methods are kept on the object after the first
    use, so a later call costs what it costs on the compiled pattern)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(self.pattern, self.flags)
        for method in ("match", "fullmatch", "search", "finditer", "findall", "sub", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
