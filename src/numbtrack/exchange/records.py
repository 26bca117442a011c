"""One check-in as plain data: the shape of `--json`, JSON and JSON Lines exports.

`to_dict` and `from_dict` are exact inverses for every valid check-in; the field order is the
documented order of docs/formats.md.
"""

from __future__ import annotations

from datetime import datetime

from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, Feeling, Sensation, Typed, to_dict

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from typing import Any

__all__ = ["FIELDS", "OPTIONAL", "from_dict", "to_dict"]

FIELDS = (
    "id", "at", "day", "can_feel", "state", "feelings", "sensations", "practices", "tags",
    "sleep_hours", "note", "created_at", "updated_at",
)  # fmt: skip

OPTIONAL = ("typed",)
"""Fields written only when they hold something (after FIELDS): what names were typed as
aliases of others. A file without them, as every older export is, reads the same."""


def _get(d: dict[str, Any], key: str, kind: type | tuple[type, ...], optional: bool = True) -> Any:
    value = d.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (
        isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))
    ):
        raise InvalidInput(f'The field "{key}" has a value of the wrong kind: {value!r}.')
    return value


def from_dict(d: Any) -> CheckIn:
    """Build a check-in from its dict form; raises InvalidInput naming the bad field."""
    if not isinstance(d, dict):
        raise InvalidInput("Each check-in must be a JSON object.")
    unknown = set(d) - set(FIELDS) - set(OPTIONAL)
    if unknown:
        raise InvalidInput(f"Unknown field {sorted(unknown)[0]!r} in a check-in.")
    try:
        at = datetime.fromisoformat(_get(d, "at", str, optional=False))
    except ValueError:
        raise InvalidInput(f"The time {d.get('at')!r} is not an ISO 8601 date and time.") from None
    if at.tzinfo is None:
        raise InvalidInput(f"The time {d.get('at')!r} needs a UTC offset, like +01:00.")
    feelings = []
    for f in _get(d, "feelings", list) or []:
        if not isinstance(f, dict) or not isinstance(f.get("word"), str):
            raise InvalidInput("Each feeling needs a word.")
        feelings.append(
            Feeling(f["word"], _get(f, "intensity", int), bool(_get(f, "custom", bool)))
        )
    sensations = []
    for s in _get(d, "sensations", list) or []:
        if not isinstance(s, dict):
            raise InvalidInput("Each sensation must be an object with a region and a quality.")
        sensations.append(
            Sensation(
                _get(s, "region", str, optional=False),
                _get(s, "quality", str, optional=False),
                _get(s, "intensity", int),
                _get(s, "direction", str),
                _get(s, "tone", str),
                bool(_get(s, "custom", bool)),
            )
        )
    practices = _get(d, "practices", list) or []
    tags = _get(d, "tags", list) or []
    if not all(isinstance(x, str) for x in [*practices, *tags]):
        raise InvalidInput("Practices and tags must be lists of words.")
    sleep = _get(d, "sleep_hours", (int, float))
    typed = []
    for t in _get(d, "typed", list) or []:
        if not isinstance(t, dict):
            raise InvalidInput("Each typed name must be an object with a kind, typed and name.")
        typed.append(
            Typed(
                _get(t, "kind", str, optional=False),
                _get(t, "typed", str, optional=False),
                _get(t, "name", str, optional=False),
            )
        )
    return CheckIn(
        id=_get(d, "id", str, optional=False),
        at=at,
        can_feel=_get(d, "can_feel", int),
        state=_get(d, "state", str),
        note=_get(d, "note", str),
        sleep_hours=float(sleep) if sleep is not None else None,
        feelings=tuple(feelings),
        sensations=tuple(sensations),
        practices=tuple(practices),
        tags=tuple(tags),
        created_at=_get(d, "created_at", str) or "",
        updated_at=_get(d, "updated_at", str) or "",
        typed=tuple(typed),
    )
