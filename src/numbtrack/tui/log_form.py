"""Log: a new check-in, or an edit of one chosen in Entries, body first.

Each field checks itself as you type and says what is wrong right under it (the same checks
and "did you mean" as `numbtrack log`), so nothing waits for a message at the bottom of a
form that may be off screen at 80x24. A word still being typed is not called wrong while some
known word starts with it; Tab takes the suggestion. Editing is marked (the title and the
frame) and Escape cancels it, back to where you were. `l` always opens a new check-in.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option

from numbtrack import text, vocab
from numbtrack.errors import InvalidInput, NotFound, NumbtrackError
from numbtrack.models import (
    CheckIn,
    Feeling,
    Sensation,
    check_can_feel,
    check_tag,
    parse_feeling,
    read_can_feel,
    revise,
    whole_number,
)
from numbtrack.store import Store
from numbtrack.tui.messages import Saved, StoreFailed
from numbtrack.tui.pane import Pane
from numbtrack.tui.widgets.word_input import WordInput, WordSuggester

NEW_TITLE = "A new check-in. Every part is optional; Enter in a field moves on."


def _in_the_form(message: str) -> str:
    """The vocabulary's advice is for the command line ("use --new-word X"), where a new
    word can be added; the form cannot add one, so say how it gets there."""
    head, sep, word = message.rpartition("use --new-word ")
    if not sep:
        return message
    word = word.rstrip(".")
    return (
        f"{head}log it once in a shell (numbtrack log --new-word {word}); the form then knows it."
    )


class SensationList(OptionList):
    """The sensations noted so far; Delete or Backspace removes the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete,backspace",
            "remove",
            "Remove sensation",
            tooltip="Remove the highlighted sensation from the form",
        ),
    ]

    def action_remove(self) -> None:
        pane = self.screen.query_one(LogPane)
        index = self.highlighted
        if index is not None and 0 <= index < len(pane.sensations):
            del pane.sensations[index]
            pane.show_sensations()


class LogPane(Pane, VerticalScroll, can_focus=True):
    MAIN = "#log-region"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the check-in"),
        Binding(
            "escape",
            "cancel",
            "Cancel edit",
            tooltip="Stop editing without saving, back to where you were",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="log-pane")
        self.sensations: list[Sensation] = []
        self.errors: dict[str, str] = {}
        """The sentence shown under each field that has a problem, by field."""
        self.editing: CheckIn | None = None
        self.return_to = "entries"
        v = vocab.load()
        self.vocabulary = v
        self.custom: set[str] = set()
        self.suggester = WordSuggester(list(v.words))
        self._pristine: tuple[object, ...] = ()
        """What the form held when it was last cleared or opened for an edit."""

    def compose(self) -> ComposeResult:
        v = self.vocabulary
        yield Static(Text(NEW_TITLE, style="bold"), id="log-title")
        yield Label("Body first: where do you notice something, and what is it like?")
        with Horizontal(classes="log-row"):
            yield Select(
                [(r, r) for r in v.regions], prompt="region", id="log-region", compact=True
            )
            yield Select(
                [(f"{q.name}  ({q.group})", q.name) for q in v.qualities.values()],
                prompt="quality",
                id="log-quality",
                compact=True,
            )
        with Horizontal(classes="log-row"):
            yield Input(placeholder="1-5", id="log-intensity", type="integer", compact=True)
            yield Select(
                [("more (getting stronger)", "more"), ("less (fading)", "less")],
                prompt="more/less",
                id="log-direction",
                compact=True,
            )
            yield Select(
                [(t, t) for t in ("pleasant", "unpleasant", "neutral")],
                prompt="tone",
                id="log-tone",
                compact=True,
            )
            yield Button("Add", id="log-add-body", compact=True)
        yield Static("", id="log-body-error", classes="field-error")
        yield SensationList(id="log-sensations")
        yield Label('Feeling words ("numb", "flat" and "nothing" are answers too)')
        yield WordInput(
            placeholder="e.g. numb tired  (Tab or → takes the suggestion)",
            id="log-words",
            suggester=self.suggester,
            compact=True,
        )
        yield Static("", id="log-words-error", classes="field-error")
        yield Label("How much can you feel right now, 0 (nothing) to 10?")
        yield Input(placeholder="0-10", id="log-feel", compact=True)
        yield Static("", id="log-feel-error", classes="field-error")
        yield Label("Practices (space ticks one)")
        yield SelectionList[str](*[(p, p) for p in v.practices], id="log-practices", compact=True)
        yield Label("Tags, separated by spaces")
        yield Input(placeholder="work bad-sleep", id="log-tags", compact=True)
        yield Static("", id="log-tags-error", classes="field-error")
        yield Label("A note, if you like")
        yield _note_area()
        yield Static("", id="log-error", classes="field-error")
        with Horizontal(id="log-buttons"):
            yield Button("Save (ctrl+s)", id="log-save", variant="primary", compact=True)
            yield Button("Clear", id="log-clear", compact=True)
            yield Button("Cancel edit (Escape)", id="log-cancel", compact=True)

    def on_mount(self) -> None:
        self.show_state()
        self._load_custom_words()
        self._pristine = self._contents()

    def _contents(self) -> tuple[object, ...]:
        """What the form holds now, field by field (see `unsaved`)."""
        inputs = ("#log-words", "#log-feel", "#log-tags", "#log-intensity")
        selects = ("#log-region", "#log-quality", "#log-direction", "#log-tone")
        return (
            tuple(s.spec() for s in self.sensations),
            *(self.query_one(field, Input).value.strip() for field in inputs),
            self.query_one("#log-note").text.strip(),  # type: ignore[attr-defined]
            tuple(sorted(self.query_one("#log-practices", SelectionList).selected)),
            *(repr(self.query_one(select, Select).value) for select in selects),
        )

    def unsaved(self) -> bool:
        """Whether the form holds something not saved: a new check-in begun, or an edit
        changed since it was opened. Quitting then asks first."""
        return self.is_mounted and self._contents() != self._pristine

    def reload(self, keep_id: str | None = None) -> None:
        """The store changed (perhaps a new own word, logged from a shell)."""
        self._load_custom_words()

    @work(thread=True, exit_on_error=False, group="log-words")
    def _load_custom_words(self) -> None:
        try:
            with Store(make=False) as store:
                custom = store.custom_words()
        except NumbtrackError:
            return  # the form still works with the shipped words
        self.app.call_from_thread(self._set_custom, custom)

    def _set_custom(self, custom: set[str]) -> None:
        self.custom = custom
        self.suggester.words = sorted({*self.suggester.words, *custom})

    # -- state ---------------------------------------------------------------------------

    def show_state(self) -> None:
        title = self.query_one("#log-title", Static)
        if self.editing is not None:
            when = text.when(self.editing.at, self.dash.now())
            title.update(
                Text(
                    f"Editing the check-in from {when} ({self.editing.short_id}). "
                    "Escape cancels; ctrl+s saves the change.",
                    style="bold",
                )
            )
        else:
            title.update(Text(NEW_TITLE, style="bold"))
        self.set_class(self.editing is not None, "-editing")
        self.query_one("#log-cancel").display = self.editing is not None
        self.refresh_bindings()
        self.show_sensations()

    def show_sensations(self) -> None:
        listed = self.query_one("#log-sensations", SensationList)
        listed.clear_options()
        listed.add_options([Option(Text(s.spec())) for s in self.sensations])
        listed.display = bool(self.sensations)
        listed.border_title = "Noted (Delete removes one)" if self.sensations else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.editing is not None
        return True

    def start_new(self) -> None:
        if self.editing is not None:
            self.clear()

    def start_edit(self, c: CheckIn, return_to: str) -> None:
        self.clear()
        self.editing = c
        self.return_to = return_to
        self.sensations = list(c.sensations)
        self.query_one("#log-words", Input).value = " ".join(f.spec() for f in c.feelings)
        self.query_one("#log-feel", Input).value = "" if c.can_feel is None else str(c.can_feel)
        self.query_one("#log-tags", Input).value = " ".join(c.tags)
        self.query_one("#log-note").text = c.note or ""  # type: ignore[attr-defined]
        practices = self.query_one("#log-practices", SelectionList)
        for p in c.practices:
            practices.select(p)
        self.show_state()
        self._pristine = self._contents()

    @on(Button.Pressed, "#log-clear")
    def clear(self) -> None:
        self.editing = None
        self.sensations = []
        for field in ("#log-words", "#log-feel", "#log-tags", "#log-intensity"):
            self.query_one(field, Input).value = ""
        self.query_one("#log-note").text = ""  # type: ignore[attr-defined]
        self.query_one("#log-practices", SelectionList).deselect_all()
        for select in ("#log-region", "#log-quality", "#log-direction", "#log-tone"):
            self.query_one(select, Select).clear()
        for field in ("body", "words", "feel", "tags"):
            self._error(field, None)
        self.query_one("#log-error", Static).update("")
        self.show_state()
        self._pristine = self._contents()

    @on(Button.Pressed, "#log-cancel")
    def action_cancel(self) -> None:
        if self.editing is None:
            return
        if not self.unsaved():
            self._stop_editing()
            return
        if len(self.app.screen_stack) > 1:
            return  # a question is open already
        # Escape is also how a text field is left: a changed edit is not thrown away by it
        # alone. The question starts on Keep, and a second Escape keeps too.
        from numbtrack.tui.widgets.confirm import Confirm

        def answer(discard: bool | None) -> None:
            if discard and self.editing is not None:
                self._stop_editing()

        when = text.when(self.editing.at, self.dash.now())
        self.app.push_screen(
            Confirm(
                "Stop editing without saving your change?",
                f"Your change to the check-in from {when} is in the form, not saved yet. Keep "
                "goes back to it (ctrl+s saves it); Discard leaves the check-in as it was.",
                action="Discard",
            ),
            answer,
        )

    def _stop_editing(self) -> None:
        back = self.return_to
        self.clear()
        self.dash.action_show(back)

    # -- checking as you type ------------------------------------------------------------

    def _error(self, field: str, message: str | None) -> None:
        if message:
            self.errors[field] = message
        else:
            self.errors.pop(field, None)
        shown = self.query_one(f"#log-{field}-error", Static)
        shown.update(Text(message or ""))
        shown.set_class(bool(message), "-shown")

    def check_words(self, final: bool) -> list[Feeling] | None:
        raw = self.query_one("#log-words", Input).value
        parts = raw.split()
        words = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1 and not raw.endswith(" ")
            try:
                f = parse_feeling(part)
                self.vocabulary.feeling(f.word, self.custom)  # refused here, while typing
                # Kept as typed: saving resolves an alias ("mad") and keeps what it was typed as.
                f = Feeling(f.word, f.intensity)
            except InvalidInput as exc:
                if last and not final and self.suggester.completes(part.split(":")[0]):
                    continue  # still being typed
                self._error("words", _in_the_form(exc.message))
                return None
            words.append(f)
        self._error("words", None)
        return words

    def check_feel(self) -> tuple[bool, int | None]:
        raw = self.query_one("#log-feel", Input).value.strip()
        if not raw:
            self._error("feel", None)
            return True, None
        try:
            read = read_can_feel(raw)
            value = check_can_feel(raw if read is None else read)
        except InvalidInput as exc:
            self._error("feel", exc.message)
            return False, None
        self._error("feel", None)
        return True, value

    def check_tags(self) -> list[str] | None:
        tags = []
        for raw in self.query_one("#log-tags", Input).value.split():
            try:
                tags.append(check_tag(raw))
            except InvalidInput as exc:
                self._error("tags", exc.message)
                return None
        self._error("tags", None)
        return tags

    @on(Input.Changed, "#log-words")
    def _words_changed(self) -> None:
        self.check_words(final=False)

    @on(Input.Changed, "#log-feel")
    def _feel_changed(self) -> None:
        self.check_feel()

    @on(Input.Changed, "#log-tags")
    def _tags_changed(self) -> None:
        self.check_tags()

    @on(Input.Changed, "#log-intensity")
    def _intensity_changed(self) -> None:
        self._intensity()

    def _intensity(self) -> tuple[bool, int | None]:
        raw = self.query_one("#log-intensity", Input).value.strip()
        if not raw:
            self._error("body", None)
            return True, None
        level = whole_number(raw)
        if level is None or not 1 <= level <= 5:
            self._error("body", "The intensity is a whole number from 1 to 5, or empty.")
            return False, None
        self._error("body", None)
        return True, level

    @on(Input.Submitted, "#log-pane Input")
    def _next_field(self) -> None:
        self.screen.focus_next()

    @on(Button.Pressed, "#log-add-body")
    def _add_body(self) -> None:
        region = self.query_one("#log-region", Select).value
        quality = self.query_one("#log-quality", Select).value
        if region is Select.NULL or quality is Select.NULL:
            self._error("body", "Choose a region and a quality, then Add.")
            return
        ok, intensity = self._intensity()
        if not ok:
            return
        direction = self.query_one("#log-direction", Select).value
        tone = self.query_one("#log-tone", Select).value
        self.sensations.append(
            Sensation(
                str(region),
                str(quality),
                intensity,
                None if direction is Select.NULL else str(direction),
                None if tone is Select.NULL else str(tone),
            )
        )
        self.query_one("#log-intensity", Input).value = ""
        for select in ("#log-direction", "#log-tone"):
            self.query_one(select, Select).clear()
        self._error("body", None)
        self.show_sensations()

    # -- saving --------------------------------------------------------------------------

    def action_save(self) -> None:
        words = self.check_words(final=True)
        ok_feel, can_feel = self.check_feel()
        tags = self.check_tags()
        error = self.query_one("#log-error", Static)
        if words is None or not ok_feel or tags is None:
            for field in ("words", "feel", "tags"):
                if field in self.errors:
                    self.query_one(f"#log-{field}", Input).focus()
                    self.notify(
                        f"Not saved yet: {self.errors[field]}", severity="warning", markup=False
                    )
                    break
            error.update("")
            return
        fields: dict[str, Any] = {
            "feelings": tuple(words),
            "sensations": tuple(self.sensations),
            "can_feel": can_feel,
            "practices": tuple(self.query_one("#log-practices", SelectionList).selected),
            "tags": tuple(tags),
            "note": self.query_one("#log-note").text or None,  # type: ignore[attr-defined]
        }
        if self.editing is not None:
            checkin = revise(self.editing, **fields)
        else:
            checkin = CheckIn(at=self.dash.now(), **fields)
        if not checkin.noted:
            error.update("Nothing to save yet: note something in any field first.")
            return
        error.update("Saving…")
        self._save(checkin, self.editing is not None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _save(self, checkin: CheckIn, editing: bool) -> None:
        try:
            with Store() as store:
                saved = store.update(checkin) if editing else store.add(checkin)
        except NotFound:
            self.app.call_from_thread(self._gone)
            return
        except NumbtrackError as exc:
            self.post_message(StoreFailed(exc.message))
            self.app.call_from_thread(self._failed, exc.message)
            return
        self.post_message(Saved(saved, editing))

    def _failed(self, message: str) -> None:
        self.query_one("#log-error", Static).update(Text(message))

    def _gone(self) -> None:
        sentence = (
            "That check-in was deleted in the meantime, so there is nothing to update; "
            "the form now holds it as a new check-in, and ctrl+s saves it."
        )
        self.editing = None
        self.show_state()
        self.query_one("#log-error", Static).update(Text(sentence))
        self.notify(sentence, severity="warning", markup=False)

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        back = self.return_to if event.editing else None
        self.clear()
        if back is not None:
            self.dash.action_show(back)


def _note_area() -> Any:
    from textual.widgets import TextArea

    return TextArea(id="log-note", compact=True)
