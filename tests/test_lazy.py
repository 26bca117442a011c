"""numbtrack.lazy.Pattern is re.compile's pattern, compiled on first use."""

from __future__ import annotations

import re

from numbtrack import lazy, models, when
from numbtrack.exchange import native


def test_a_pattern_is_not_compiled_until_it_is_used() -> None:
    p = lazy.Pattern(r"(\d+)h", re.IGNORECASE)
    assert (p.pattern, p.flags) == (r"(\d+)h", re.IGNORECASE)
    assert "fullmatch" not in vars(p)
    assert p.fullmatch("7H") is not None
    assert "fullmatch" in vars(p)


def test_every_method_answers_as_the_compiled_pattern() -> None:
    text = "7h, 12H and 3h30"
    p, compiled = lazy.Pattern(r"(\d+)h", re.IGNORECASE), re.compile(r"(\d+)h", re.IGNORECASE)
    assert p.search(text).group(1) == compiled.search(text).group(1)  # type: ignore[union-attr]
    assert p.match(text).span() == compiled.match(text).span()  # type: ignore[union-attr]
    assert p.fullmatch("12h").group(1) == "12"
    assert p.findall(text) == compiled.findall(text)
    assert [m.span() for m in p.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert p.sub("-", text) == compiled.sub("-", text)
    assert p.split(text) == compiled.split(text)
    assert p.groups == compiled.groups


def test_the_modules_patterns_are_the_ones_they_name() -> None:
    assert models._UUID.fullmatch("418afba8-77a9-508e-8072-ca194faa3fcc") is not None
    assert models._UUID.fullmatch("418afba8") is None
    assert when._TIME.match("9pm") is not None
    assert native._AT.pattern in native._LINE.pattern
