"""A word-level redline of two provisions or two versions, side by side or inline."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static

from tui.diff import WordDiff, word_diff
from tui.records import VersionRecord
from tui.render import diff_text
from tui.screens import Leaving

DELETED = "red strike"
INSERTED = "green underline"
#: Without colour (NO_COLOR), changes are also bracketed as `lexpane diff` brackets them.
MARKS = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}


def redline(result: WordDiff, show: tuple[str, ...], marks: bool = False) -> Text:
    """The runs of a diff whose kind is in `show`, deleted words struck, inserted underlined.

    With `marks`, deleted runs are also written `[-…-]` and inserted ones `{+…+}`, so that a
    change never rests on colour alone.
    """
    text = Text()
    for run in result.runs:
        if run.kind not in show:
            continue
        style = {"equal": "", "delete": DELETED, "insert": INSERTED}[run.kind]
        opening, closing = MARKS[run.kind] if marks else ("", "")
        if text:
            text.append(" ")
        text.append(f"{opening}{run.text}{closing}", style=style)
    return text


class DiffScreen(Leaving, Screen):
    """Old on the left, new on the right, scrolling together; `i` shows one inline redline."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("i", "toggle_inline", "Inline/side by side"),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]
    """Keys of the diff screen."""

    inline: reactive[bool] = reactive(False)
    """One redline (True) or the two texts side by side (False)."""

    def __init__(
        self, old: VersionRecord, new: VersionRecord, versions: list[VersionRecord] | None = None
    ):
        super().__init__()
        self.old = old
        self.new = new
        self.versions = versions or []
        self.result = word_diff(diff_text(old), diff_text(new))

    def compose(self) -> ComposeResult:
        yield Static(self._header(), id="diff-header")
        with ContentSwitcher(initial="side", id="diff-views"):
            with Horizontal(id="side"):
                with VerticalScroll(id="diff-old", classes="diff-side") as old:
                    old.border_title = self._side_title(self.old)
                    yield Static(self._body(self.old, ("equal", "delete")))
                with VerticalScroll(id="diff-new", classes="diff-side") as new:
                    new.border_title = self._side_title(self.new)
                    yield Static(self._body(self.new, ("equal", "insert")))
            with VerticalScroll(id="inline"):
                yield Static(
                    redline(self.result, ("equal", "delete", "insert"), self.app.no_color)
                    or Text("(both empty)")
                )
        yield Footer()

    def on_mount(self) -> None:
        if not self.children:  # dismissed before it was shown
            return
        old, new = self.query_one("#diff-old"), self.query_one("#diff-new")
        # Scroll the two sides together, whichever one the person scrolls.
        self.watch(old, "scroll_y", lambda y: new.scroll_to(y=y, animate=False), init=False)
        self.watch(new, "scroll_y", lambda y: old.scroll_to(y=y, animate=False), init=False)
        old.focus()

    def _header(self) -> Text:
        text = Text()
        text.append("− ", style=DELETED.split()[0])
        text.append(f"{self.old.ref}", style="bold")
        text.append(f"  {self.old.heading}\n")
        text.append("+ ", style=INSERTED.split()[0])
        text.append(f"{self.new.ref}", style="bold")
        text.append(f"  {self.new.heading}\n")
        text.append(f"{self.result.added} words added", style=INSERTED)
        text.append(" · ")
        text.append(f"{self.result.removed} removed", style=DELETED)
        text.append(f" · {self.result.unchanged} unchanged")
        if self.versions:
            text.append("   versions: " + " → ".join(v.version for v in self.versions), style="dim")
        return text

    @staticmethod
    def _side_title(version: VersionRecord) -> Text:
        return Text(f"{version.ref} ({version.status})")  # text, never markup

    def _body(self, version: VersionRecord, show: tuple[str, ...]) -> Text:
        if version.deleted:
            return Text("Deleted in the revision: no text.", style="italic")
        return redline(self.result, show, self.app.no_color)

    def watch_inline(self, inline: bool) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "inline" if inline else "side"
        (self.query_one("#inline") if inline else self.query_one("#diff-old")).focus()

    def action_toggle_inline(self) -> None:
        self.inline = not self.inline

    def action_scroll_down(self) -> None:
        if self.focused is not None:
            self.focused.scroll_down()

    def action_scroll_up(self) -> None:
        if self.focused is not None:
            self.focused.scroll_up()

    def action_back(self) -> None:
        self.leave()
