"""The guided check-in at the terminal: one short, skippable step at a time.

Presentation layer: it asks with Typer's prompts and checks every answer with the same core
lookups as the one-shot form. A typo is met with "did you mean" and asked again, never stored.
Ctrl-C (or end of input) at any step saves nothing, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import typer

from numbtrack import vocab
from numbtrack.errors import InvalidInput
from numbtrack.models import (
    CheckIn,
    Feeling,
    Sensation,
    check_can_feel,
    read_can_feel,
    whole_number,
)
from numbtrack.store import Store
from numbtrack.text import plural

T = TypeVar("T")

FIRST_WORDS = ("numb", "flat", "nothing", "tired", "anxious", "sad", "calm", "okay")
"""Offered by number in the words step; the numb cluster first, without judgement."""


class Cancelled(Exception):
    pass


def _say(text: str, indent: str = "") -> None:
    """Print a hint wrapped at word boundaries to the terminal's width."""
    import shutil
    import textwrap

    width = max(40, min(100, shutil.get_terminal_size((80, 24)).columns) - 1)
    typer.echo(textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent))


def _ask(question: str) -> str:
    try:
        answer: str = typer.prompt(question, default="", show_default=False)
    except (KeyboardInterrupt, typer.Abort, EOFError):
        raise Cancelled from None
    return answer.strip()


def _until_valid(question: str, parse: Callable[[str], T | None]) -> T | None:
    """Ask until the answer parses; an empty answer skips the step (None)."""
    while True:
        answer = _ask(question)
        if not answer:
            return None
        try:
            return parse(answer)
        except InvalidInput as exc:
            _say(exc.message, "  ")


def _until_valid_or_own(
    question: str, resolve: Callable[[str], str], what: str
) -> tuple[str, bool] | None:
    """Like `_until_valid`, and a name numbtrack does not know is kept as the person's own
    when they type it again right after being told it is unknown: a typo is met with "did
    you mean" and never kept by itself. Returns (name, kept) or None."""
    offered: str | None = None
    while True:
        answer = _ask(question)
        if not answer:
            return None
        try:
            return resolve(answer), False
        except InvalidInput as exc:
            try:
                name = vocab.own_name(answer, what)
            except InvalidInput:
                _say(exc.message, "  ")
                continue
            if name == offered:
                typer.echo(f'  Kept "{name}" as {what} of your own.')
                return name, True
            offered = name
            reason = exc.message.split(" To keep it as your own")[0]
            _say(f"{reason} To keep it as {what} of your own, type it again.", "  ")


def _as_typed(index: vocab._Index, answer: str, name: str) -> str:
    """`answer` where an alias made it `name` ("walk" for movement), so that saving keeps
    what was typed and says what it was counted as, as `numbtrack log --practice walk` does;
    otherwise `name`."""
    return answer if not answer.isdigit() and index.counted_as(answer) else name


def _pick(answer: str, names: list[str], resolve: Callable[[str], str]) -> str:
    n = whole_number(answer)
    if n is not None and 1 <= n <= len(names):
        return names[n - 1]
    return resolve(answer)


def _body_step(v: vocab.Vocabulary, own: frozenset[str] = frozenset()) -> list[Sensation]:
    regions = list(v.regions)
    typer.echo("Body first. Where do you notice something, even faintly?")
    _say("  ".join(f"{i})\u00a0{r}" for i, r in enumerate(regions, 1)), "  ")  # no-break space
    typer.echo('  Type a number or a name, "nothing" if you notice nothing, or Enter to skip.')
    sensations: list[Sensation] = []
    question = "Region"
    while True:
        answer = _ask(question)
        if not answer:
            return sensations
        if vocab.spell(answer) in ("nothing", "none", "nothing-i-can-notice"):
            sensations.append(Sensation("whole-body", "nothing"))
            return sensations
        try:
            region = _pick(answer, regions, v.region)
        except InvalidInput as exc:
            whole = _whole_sensation(answer, own)  # "chest, tight, 3" in one go
            if whole is None:
                _say(exc.message, "  ")
                continue
            sensations.append(whole)
            typer.echo(f"  Noted {whole.spec()}.")
            question = "Anywhere else (Enter to go on)"
            continue
        groups = v.quality_groups()
        _say(
            "What is it like? For example: "
            + "; ".join(", ".join(q.name for q in qs[:4]) for qs in groups.values()),
            "  ",
        )

        def resolve(a: str, r: str = region) -> str:
            return _as_typed(v.quality_index, a, v.quality(a, own, region=r))

        found = _until_valid_or_own(
            f"What is it like in your {region}", resolve, "a sensation word"
        )
        if found is None:
            continue
        quality, kept = found
        intensity = _until_valid("How strong, 1 (faint) to 5 (strong)", _one_to_five)
        typed_region = _as_typed(v.region_index, answer, region)
        sensations.append(Sensation(typed_region, quality, intensity, custom=kept))
        question = "Anywhere else (Enter to go on)"


def _whole_sensation(answer: str, own: frozenset[str]) -> Sensation | None:
    """A region answer that holds the whole sensation ("chest, tight, 3", "chest tight"), as
    --body reads it; None if it is not one."""
    from numbtrack.models import parse_body

    try:
        found = parse_body(answer, own, spaced=True)
    except InvalidInput:
        return None
    if found.intensity is not None and not 1 <= found.intensity <= 5:
        return None  # the refusal of the region says what to type
    return found


def _one_to_five(answer: str) -> int:
    n = whole_number(answer)
    if n is not None and 1 <= n <= 5:
        return n
    raise InvalidInput("Type a whole number from 1 to 5, or press Enter to skip.")


def _words_step(v: vocab.Vocabulary, custom: set[str]) -> list[Feeling]:
    typer.echo("Any words for how you feel? Numb, flat and nothing are answers too.")
    _say("  ".join(f"{i})\u00a0{w}" for i, w in enumerate(FIRST_WORDS, 1)), "  ")
    typer.echo("  Type numbers or words, several at once if you like, or Enter to skip.")

    offered: list[str] = []  # the unknown word just named, kept if typed again

    def parse(answer: str) -> list[Feeling]:
        found: list[Feeling] = []
        for part in answer.replace(",", " ").split():
            try:
                word = _pick(part, list(FIRST_WORDS), lambda w: v.feeling(w, custom))
            except InvalidInput as exc:
                try:
                    name = vocab.own_name(part, "a feeling word")
                except InvalidInput:
                    raise exc from None
                if offered and offered[-1] == name:
                    found.append(Feeling(name, custom=True))
                    continue
                offered.append(name)
                reason = exc.message.split(" To keep it as your own")[0]
                raise InvalidInput(
                    f"{reason} To keep it as a feeling word of your own, type it again."
                ) from None
            found.append(Feeling(_as_typed(v.word_index, part, word)))
        return found

    return _until_valid("Words", parse) or []


def _feel_step() -> int | None:
    def parse(answer: str) -> int | None:
        value = read_can_feel(answer)
        if value is None:
            raise InvalidInput("Type a whole number from 0 to 10, or press Enter to skip.")
        return check_can_feel(value)

    return _until_valid("How much can you feel right now, 0 (nothing) to 10", parse)


def _practice_step(v: vocab.Vocabulary, own: frozenset[str] = frozenset()) -> list[str]:
    names = [*v.practices, *sorted(own)]
    _say("Did you do anything on purpose to notice more? (" + ", ".join(names) + ")")
    found = _until_valid_or_own(
        "Practice (Enter to skip)",
        lambda a: _as_typed(v.practice_index, a, _pick(a, names, lambda x: v.practice(x, own))),
        "a practice",
    )
    if found is None:
        return []
    name, kept = found
    return [name + vocab.OWN_MARK if kept else name]


def guided_checkin(store: Store, *, at: datetime) -> CheckIn | None:
    """Ask the steps in order and return the check-in, or None if the person left."""
    v = vocab.load()
    own = store.own()
    try:
        sensations = _body_step(v, own.qualities)
        feelings = _words_step(v, set(own.words))
        can_feel = _feel_step()
        practices = _practice_step(v, own.practices)
        note = _ask("A note, if you like (it stays out of your shell history)") or None
    except Cancelled:
        typer.echo("\nLeft without saving. Nothing was written.")
        raise typer.Exit(130) from None
    checkin = CheckIn(
        at=at,
        can_feel=can_feel,
        feelings=tuple(feelings),
        sensations=tuple(sensations),
        practices=tuple(practices),
        note=note,
    )
    if not checkin.noted:
        typer.echo("Nothing was noted this time, so nothing was saved. That is all right.")
        return None
    return checkin


def _try_sensation(answer: str) -> Sensation | None:
    """ "hands cool", "hands:cool", "cool hands" or "chest, tight, 3" as a sensation, if the
    words are known and an intensity is 1 to 5 (else it is only in the note: a 9 refused at
    the end would lose the whole exercise)."""
    words = answer.replace(",", " ").split()
    candidates = [answer]
    if len(words) == 2:
        candidates.append(f"{words[1]}:{words[0]}")
    for c in candidates:
        found = _whole_sensation(c, frozenset())
        if found is not None:
            return found
    return None


def _touched(items: list[str], count: int) -> list[tuple[str, Sensation | None]]:
    """Up to `count` things noticed by touch, each with its sensation if it is one. A
    sensation split by the commas that separate things ("chest, tight", "chest, tight, 3") is
    one thing, kept whole, as the guided check-in's region question keeps it."""
    out: list[tuple[str, Sensation | None]] = []
    i = 0
    while i < len(items) and len(out) < count:
        take, found = 1, _try_sensation(items[i])
        for n in (3, 2):
            if found is None and i + n <= len(items):
                found = _try_sensation(", ".join(items[i : i + n]))
                take = n if found is not None else 1
        out.append((", ".join(items[i : i + take]), found))
        i += take
    return out


def grounding(at: datetime) -> CheckIn | None:
    """The 5-4-3-2-1 senses exercise, one sense at a time, each skippable.

    Things felt in the body that numbtrack recognises ("hands cool", "feet:heavy", "chest,
    tight") become sensations; everything noticed goes into the note. Returns None if nothing
    is to be saved.
    """
    from numbtrack.practice import GROUNDING_STEPS, grounding_note

    typer.echo("A slow look around, one sense at a time. There is no right answer, and")
    typer.echo("Enter moves on whenever you like. Several things can go on one line, with commas.")
    answers: dict[str, list[str]] = {}
    sensations: list[Sensation] = []
    try:
        for sense, count, invitation in GROUNDING_STEPS:
            typer.echo("")
            typer.echo(f"{count}. {invitation}")
            items = [x.strip() for x in _ask(f"{sense.capitalize()}").split(",") if x.strip()]
            if sense == "touch":
                touched = _touched(items, count)
                answers[sense] = [thing for thing, _ in touched]
                sensations += [found for _, found in touched if found is not None]
            else:
                answers[sense] = items[:count]
        typer.echo("")
        noticed = sum(len(v) for v in answers.values())
        if noticed:
            typer.echo(f"You noticed {plural(noticed, 'thing')}.")
            typer.echo("Thank you for taking the time.")
        else:
            typer.echo("Taking the time is enough on its own.")
        if not typer.confirm("Save this as a check-in?", default=True):
            typer.echo("Nothing was saved.")
            return None
        can_feel = _feel_step()
    except (Cancelled, typer.Abort):
        typer.echo("\nLeft without saving. Nothing was written.")
        raise typer.Exit(130) from None
    return CheckIn(
        at=at,
        can_feel=can_feel,
        sensations=tuple(sensations),
        practices=("grounding",),
        note=grounding_note(answers),
    )
