"""The words numbtrack uses when it points beyond itself. UI-free and plain."""

from __future__ import annotations

NOT_CLINICAL = (
    "numbtrack is not a clinical or diagnostic tool. It notices and describes; it does not "
    "assess, diagnose or treat anything, and it does not replace therapy or medical care."
)

DESCRIBES = "This describes, it does not diagnose."
"""Opens the footer line; the PDF prints it with the contacts themselves."""

FOOTER = f"{DESCRIBES} People you can reach: numbtrack support"
"""The one quiet line at the end of every summary and report (terminal, files, dashboard)."""

HELP_EPILOG = (
    "numbtrack is not a clinical or diagnostic tool. If you are struggling, "
    "`numbtrack support` lists people you can reach right now."
)
"""Closes `numbtrack --help`."""

CRISIS_SHORT = (
    "If you are struggling: call or text 988 in the US, or find a line at "
    "findahelpline.com. `numbtrack support` lists more."
)
"""Where there is room for one sentence only (the dashboard's help)."""

CRISIS_LINES = (
    ("United States", "call or text 988 (Suicide & Crisis Lifeline)"),
    ("Anywhere else", "findahelpline.com lists free, confidential lines by country"),
    ("In an emergency", "your local emergency number"),
    ("", "(911 US and Canada, 112 EU, 999 UK, 000 Australia)"),
)


REACH = "You can reach a person, any time"
OWN_LINE = "Your own line"


def support_text(local_line: str | None, *, offer_own_line: bool = True) -> str:
    """The crisis lines, the person's own line, and what numbtrack is not; without a line of
    their own, how to keep one (unless `offer_own_line` is False: their line exists but
    could not be read)."""
    lines = [
        "If you are struggling, or thinking about hurting yourself, you deserve support now.",
        f"{REACH}:",
        "",
    ]
    width = max(len(name) for name, _ in CRISIS_LINES)
    for name, how in CRISIS_LINES:
        lines.append(f"  {name:<{width}}  {how}")
    if local_line:
        lines.append(f"  {OWN_LINE:<{width}}  {local_line}")
    import textwrap  # here: its import compiles patterns `week` never needs

    lines += ["", *textwrap.wrap(NOT_CLINICAL, 78)]
    if not local_line and offer_own_line:
        lines += [
            "",
            'To keep a number of your own here: numbtrack support --set-line "NAME: NUMBER"',
        ]
    return "\n".join(lines)
