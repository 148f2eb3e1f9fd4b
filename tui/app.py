"""The Textual explorer: the app, its global keys and the factory the CLI and tests share."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from tui import collector
from tui.collector import PAUSE, Collector
from tui.errors import LexpaneError, StoreError
from tui.safe import clean
from tui.screens import frame_timer
from tui.screens.compare import CompareScreen
from tui.store import Store
from tui.typeahead import LOOK, TypeAhead
from tui.userdata import UserData

if TYPE_CHECKING:
    from textual.command import Provider


def _provision_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (as Textual's own is): the
    palette's code is 12 ms and 1.5 MiB that the first frame does without."""
    from tui.commands import ProvisionCommands

    return ProvisionCommands


class LexpaneApp(App[int]):
    """Three regimes side by side, searchable and comparable from the keyboard.

    The app opens the store once and every screen reads through it. `lexpane build` may replace
    data.db while the explorer is open: at each change of screen, search and jump the store checks
    that its file is still the one at its path, and if it was rebuilt, reopens and the explorer
    shows the new content where the person was.
    """

    CSS_PATH = "app.tcss"
    TITLE = "lexpane"
    COMMANDS = App.COMMANDS | {_provision_commands}
    # "/" and Ctrl+P act as they come in (priority), before the keys typed after them are handed
    # to the screen they leave: those wait for the text box they open (see tui.typeahead).
    BINDINGS = [
        Binding("slash", "search", "Search", priority=True),
        Binding("question_mark", "help", "Help"),
        # Not in the footer of every screen: in a search or a note, q is a letter.
        Binding("q", "quit", "Quit", show=False),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True),
    ]
    """Keys that work on every screen."""

    def __init__(
        self,
        store: Store,
        userdata: UserData | None = None,
        userdata_error: str = "",
        as_of: str | None = None,
    ) -> None:
        frame_timer.mend()  # before any screen starts its frame timer
        super().__init__()
        self.as_of = as_of
        self.store = store
        self.userdata = userdata
        self.userdata_error = userdata_error
        self.compare = CompareScreen(store, userdata)
        #: The store generation the compare screen shows.
        self._shown_generation = store.generation
        #: The last problem with the database said on screen (said once, not at every check).
        self._store_problem: str | None = None
        #: Keys typed while a text box opens, when one is opening.
        self._ahead: TypeAhead | None = None
        #: Full garbage collections wait for a pause in the typing.
        self._collector = Collector()

    def on_mount(self) -> None:
        self.sub_title = "All topics"
        self.push_screen(self.compare)
        # Once the explorer is on screen, what start-up made (modules, styles, widgets) stays:
        # the collector stops walking it. Its full collections then took 5-7 ms instead of
        # 30-60 ms, which a person typing felt as a late frame. (And collection goes on, if the
        # process held it while starting: see `collector.explorer_process`.)
        self.call_after_refresh(collector.started)
        self._collector.start()
        self.set_interval(PAUSE / 2, self._collector.tick)
        self.screen_change_signal.subscribe(self, lambda _: self.sync_store())
        if self.as_of:
            self.compare.action_timeline(self.as_of)
        if self.userdata_error:
            self.notify(
                f"Bookmarks and notes are off: {self.userdata_error}",
                severity="error",
                timeout=8,
                markup=False,
            )
        elif self.userdata is not None and self.userdata.set_aside_message is not None:
            self.notify(
                self.userdata.set_aside_message,
                severity="warning",
                timeout=12,
                markup=False,
            )

    def on_unmount(self) -> None:
        gc.unfreeze()  # the collector sees them again: a later app in this process, or a test
        self._collector.stop()
        self.store.close()
        if self.userdata is not None:
            self.userdata.close()

    def sync_store(self) -> bool:
        """If data.db was rebuilt, reopen it and show its content, keeping the person's place.

        Returns:
            False if the file at the store's path cannot be read (said on screen once, in the
            line the command line prints); the explorer keeps showing what it showed.
        """
        try:
            self.store.refresh()
        except StoreError as exc:
            if str(exc) != self._store_problem:
                self._store_problem = str(exc)
                self.notify(str(exc), severity="error", timeout=12, markup=False)
            return False
        self._store_problem = None
        if self.store.generation != self._shown_generation:
            self._shown_generation = self.store.generation
            self.compare.reload()
            self.notify(f"{self.store.path} was rebuilt: showing its new content", markup=False)
        return True

    def on_app_focus(self, event: events.AppFocus) -> None:
        # Back from another terminal, perhaps from running `lexpane build`.
        self.sync_store()

    def on_search_screen_reopened(self, message: Message) -> None:
        self.sync_store()

    def action_search(self) -> None:
        from textual.widgets import Input, TextArea

        from tui.screens.search import SearchScreen  # here: keeps start-up imports few

        if isinstance(self.focused, (Input, TextArea)):
            raise SkipAction  # "/" is typed, in a search, a note or the palette
        if not isinstance(self.screen, SearchScreen):
            self.sync_store()
            self.open_text_box(lambda: self.push_screen(SearchScreen(self.store), self._searched))

    def action_command_palette(self) -> None:
        from textual.widgets import TextArea

        if isinstance(self.focused, TextArea):
            raise SkipAction  # a note's editor keeps its own keys
        self.open_text_box(super().action_command_palette)

    # -- keys typed while a text box opens (see tui.typeahead) ----------------------------------

    def open_text_box(self, open_screen: Callable[[], object]) -> None:
        """Open a screen whose text box takes what is typed next (`open_screen` pushes it): the
        keys that come in until the box has the focus are held, then handed on in order."""
        if self._ahead is None:
            self._ahead = TypeAhead()
            self.set_timer(LOOK, self._type_ahead)
        open_screen()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._collector.key()
        if self._ahead is not None and isinstance(event, events.Key) and not event.is_forwarded:
            self._ahead.held.append((event.key, event.character))
            return
        await super().on_event(event)

    async def _type_ahead(self) -> None:
        """Once the new screen has focused its box (or anything), hand on the keys held, each as
        if it came now: bindings first, then the focused widget. Until then look again."""
        ahead = self._ahead
        if ahead is None:
            return
        if self.screen.focused is None and not ahead.overdue():
            self.set_timer(LOOK, self._type_ahead)
            return
        self._ahead = None
        for key, character in ahead.held:  # before any key queued behind them
            await super().on_event(events.Key(key, character))

    def _searched(self, provision_id: str | None) -> None:
        if provision_id is not None:
            self.jump_to(provision_id)

    def notify(self, message: str, *, title: str = "", **options) -> None:
        """Every notification goes out cleaned of control characters: many say a path, a note
        or a database's own words."""
        super().notify(clean(message), title=clean(title), **options)

    def jump_to(self, provision_id: str) -> None:
        """Go back to the compare screen and show a provision in its pane (or say in one line
        why it cannot: the database was rebuilt without it, or cannot be read)."""
        while self.screen is not self.compare and len(self.screen_stack) > 1:
            self.pop_screen()
        if not self.sync_store():
            return
        try:
            self.compare.jump_to(provision_id)
        except LexpaneError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action by name in the command palette, with its key, beside Textual's own
        (themes, screenshot, quit)."""
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Search provisions", "Search every provision as you type (/)", self.action_search
        )
        yield SystemCommand(
            "Show keys", "Every key, screen by screen, and the search syntax (?)", self.action_help
        )
        if screen is not self.compare:
            return  # the rest act on the compare screen: offered where it is the one shown
        compare = self.compare
        for title, help, action in (
            ("Cite the provision", "Copy its citation, and keep it in citations.txt (y)", compare.action_cite),
            ("Export the comparison", "Save the current topic as Markdown in Documents/lexpane (e)", compare.action_export),
            ("Matrix", "Topics × regimes at a glance (g)", compare.action_matrix),
            ("Timeline", "Every dated event in order (t)", compare.action_timeline),
            ("As of a day", "Each regime as it stood on a day you type (t, then a)", compare.action_as_of),
            ("Back to today", "Forget the as-of day (A)", compare.action_clear_as_of),
            ("Bookmarks and notes", "Everything you saved (B)", compare.action_bookmarks),
            ("Bookmark the provision", "Or remove its bookmark (b)", compare.action_bookmark),
            ("Note on the provision", "Write or edit your note (n)", compare.action_note),
            ("Toggle linked panes", "Mark linked provisions in the other panes (l)", compare.action_toggle_linking),
            ("Follow the link", "Go to the provision tied to this one (L)", compare.action_follow_link),
            ("Compare versions", "Redline of the provision's drafts (v)", compare.action_versions),
            ("Mark for a diff", "Mark two, then diff them (m)", compare.action_mark),
            ("Diff marked provisions", "Word-level redline of the two marked (d)", compare.action_diff),
            ("Open the source", "The source document at the quoted passage (s)", compare.action_source),
            ("Choose a topic", "Filter the three panes by a topic (f)", compare.action_focus_topics),
            ("Clear topic filter", "Show every provision in each pane (Esc)", compare.action_clear_topic),
        ):  # fmt: skip
            yield SystemCommand(title, help, action)


def make_app(db_path: Path | str, as_of: str | None = None) -> LexpaneApp:
    """The explorer on the database at `db_path` (raises StoreError if it cannot be read).

    Bookmarks and notes come from the user's data folder; if that cannot be opened the explorer
    still runs, and says so.
    """
    store = Store.open(db_path)
    try:
        return LexpaneApp(store, UserData.open(), as_of=as_of)
    except LexpaneError as exc:
        return LexpaneApp(store, None, str(exc), as_of=as_of)
