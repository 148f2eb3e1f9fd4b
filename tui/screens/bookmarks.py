"""The researcher's bookmarks and notes, in one list; Enter goes to the provision."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.errors import NotFound
from tui.safe import one_line
from tui.screens import Leaving
from tui.store import Store
from tui.userdata import UserData
from tui.widgets import badges


class BookmarksScreen(Leaving, Screen[str | None]):
    """Bookmarked and annotated provisions, most recent last."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    """Keys of the bookmarks screen."""

    def __init__(self, store: Store, userdata: UserData) -> None:
        super().__init__()
        self.store = store
        self.userdata = userdata

    def compose(self) -> ComposeResult:
        yield Static(
            Text(one_line(f"Bookmarks and notes · kept in {self.userdata.path}")),
            id="bookmarks-title",
        )
        yield OptionList(id="bookmarks")
        yield Footer()

    def on_mount(self) -> None:
        if not self.children:  # dismissed before it was shown
            return
        notes = {note.provision_id: note for note in self.userdata.notes()}
        ids = list(dict.fromkeys([*self.userdata.bookmarks(), *notes]))
        listing = self.query_one(OptionList)
        if not ids:
            listing.add_option(
                Option(
                    Text(
                        "Nothing saved yet: b bookmarks a provision, n writes a note on it.",
                        style="italic",
                    ),
                    disabled=True,
                )
            )
        for provision_id in ids:
            listing.add_option(
                Option(self._prompt(provision_id, notes.get(provision_id)), id=provision_id)
            )
        if ids:
            listing.highlighted = 0
        listing.focus()

    def _prompt(self, provision_id: str, note) -> Text:
        text = Text()
        text.append(
            "★ " if self.userdata.is_bookmarked(provision_id) else "  ", style="bold yellow"
        )
        try:
            record = self.store.provision(provision_id)
        except NotFound:  # a rebuild dropped it; the note stays
            text.append(f"{provision_id} (no longer in this database)", style="italic")
        else:
            text.append_text(badges.regime(record.regime))
            text.append(f"  {record.heading}", style="bold")
        if note is not None:
            text.append(f"\n  ✎ {one_line(note.text)}", style="italic")
        return text

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.leave(event.option.id)

    def action_back(self) -> None:
        self.leave()

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()
