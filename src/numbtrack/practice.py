"""Small steps: the practices list and a gentle suggestion of one not done recently.

UI-free. A suggestion is an offer, never an order, and never something already done today.
"""

from __future__ import annotations

import random
from datetime import date

from numbtrack import vocab


def suggest(last_done: dict[str, date], today: date, rng: random.Random | None = None) -> str:
    """A practice not done today: never done first, then the one done longest ago.

    Ties are broken at random so the offers vary. Returns the practice's name.
    """
    rng = rng or random.Random()
    names = [n for n in vocab.load().practices if last_done.get(n) != today]
    if not names:  # everything was done today: offer the gentlest, going slowly
        return "going-slowly"
    oldest = min(last_done.get(n, date.min) for n in names)
    pool = [n for n in names if last_done.get(n, date.min) == oldest]
    return rng.choice(sorted(pool))


GROUNDING_STEPS = (
    ("see", 5, "Look around slowly. Name up to five things you can see."),
    ("touch", 4, "Notice up to four things you can touch or feel in your body."),
    ("hear", 3, "Listen for a moment. Name up to three things you can hear."),
    ("smell", 2, "Name up to two things you can smell, or remember liking the smell of."),
    ("taste", 1, "Name one thing you can taste, or would like to."),
)
"""The 5-4-3-2-1 senses exercise: (sense, how many, the invitation)."""


def grounding_note(answers: dict[str, list[str]]) -> str | None:
    """The note saved after grounding: one line per sense that had answers."""
    lines = [f"{sense}: {', '.join(items)}" for sense, items in answers.items() if items]
    return "\n".join(lines) if lines else None
