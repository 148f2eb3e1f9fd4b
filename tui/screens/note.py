"""Write or edit the note on a provision."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from tui.screens import Leaving


class NoteScreen(Leaving, ModalScreen[str | None]):
    """A text box for the note; Ctrl+S saves (an empty note deletes it), Esc cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the note editor."""

    def __init__(self, provision_id: str, heading: str, text: str) -> None:
        super().__init__()
        self.provision_id = provision_id
        self.heading = heading
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box") as box:
            box.border_title = Text(f"Note on {self.provision_id}")
            yield Static(Text(self.heading), id="note-heading")
            yield TextArea(self.text, id="note-text", soft_wrap=True)
            yield Static("Ctrl+S saves · Esc cancels · an empty note is deleted", id="note-hint")
        yield Footer()

    def on_mount(self) -> None:
        if not self.children:  # dismissed before it was shown
            return
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.leave(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.leave()
