"""Search as you type: ranked results from a worker, matched words highlighted, Enter to jump."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.errors import StoreError
from tui.screens import Leaving
from tui.search import (
    HEADINGS_FIRST,
    IN_ORDER,
    RANKED,
    Found,
    Hit,
    filter_problem,
    find,
    parse,
)
from tui.store import Store
from tui.widgets import badges

LIMIT = 50
HINT = 'words · "a phrase" · prefix* · regime:kz · topic:labelling · status:open-gap'


class SearchScreen(Leaving, ModalScreen[str | None]):
    """Type to search every provision; Enter jumps to the highlighted one, Escape goes back."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("down", "results", "Results", show=False),
        Binding("enter", "choose", "Jump to provision", show=True, priority=False),
    ]
    """Keys of the search box."""

    class Results(Message):
        """Hits for a query, from the search worker."""

        def __init__(self, text: str, found: Found, problem: str | None = None) -> None:
            super().__init__()
            self.text = text
            self.found = found
            self.hits = found.hits
            #: what is wrong with a filter typed (an unknown regime, topic or status)
            self.problem = problem

    def __init__(self, store: Store, text: str = "") -> None:
        super().__init__()
        # The worker thread reads through a connection of its own.
        self.store = Store.open(store.path)
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(self.initial, placeholder="Search provisions", id="search-input")
            yield Static(HINT, id="search-status")
            yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        boxes = self.query(Input)
        if not boxes:  # dismissed before it was shown
            return
        boxes.first().focus()
        if self.initial:
            self.run_search(self.initial)

    def on_unmount(self) -> None:
        self.store.close()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True, thread=True, group="search")
    def run_search(self, text: str) -> None:
        try:
            problem = filter_problem(self.store, parse(text).filters)
            found = Found([], 0, RANKED) if problem else find(self.store, text, limit=LIMIT)
        except StoreError:
            if self.store.closed:
                return  # the screen was closed while this search ran
            raise
        if not get_current_worker().is_cancelled:
            self.post_message(self.Results(text, found, problem))

    @on(Results)
    def _show(self, message: Results) -> None:
        if not self.children or message.text != self.query_one(Input).value:
            return  # typed on since: a newer search is on its way
        results = self.query_one("#results", OptionList)
        results.clear_options()
        status = self.query_one("#search-status", Static)
        query = parse(message.text)
        if query.empty:
            status.update(HINT)
            return
        if message.problem:
            status.update(Text(message.problem[:1].upper() + message.problem[1:]))
            return
        if not message.hits:
            status.update("No provisions match, even with word forms, spellings and typos.")
            return
        filters = " ".join(f"{k}:{v}" for k, v in query.filters.items())
        line = Text(f"{self._summary(message.found)}  {filters}".rstrip())
        if message.found.widened is not None:
            # How the query was understood: typed words shown as text, never as markup.
            line.append(f"\n{message.found.widened.message}", style="italic")
        status.update(line)
        results.add_options(
            Option(self._prompt(hit, query.terms), id=hit.record.id) for hit in message.hits
        )
        results.highlighted = 0

    @staticmethod
    def _summary(found: Found) -> str:
        """How many matched, and in what order they are listed."""
        count = f"Over {found.counted:,}" if found.more else f"{found.matches:,}"
        if found.ordering == HEADINGS_FIRST:
            return f"{count} matches, heading matches first: type more to rank all"
        if found.ordering == IN_ORDER:
            return f"{count} matches, in corpus order: type more to rank them"
        more = "+" if len(found.hits) == LIMIT else ""
        return f"{len(found.hits)}{more} results, best first"

    @staticmethod
    def _prompt(hit: Hit, terms: tuple[str, ...]) -> Text:
        record = hit.record
        text = badges.regime(record.regime)
        text.append("  ")
        if record.number:
            text.append(f"{record.number} · ", style="bold")
        heading = Text(record.heading, style="bold")
        heading.highlight_words(terms, style="reverse", case_sensitive=False)
        text.append_text(heading)
        text.append("  ")
        text.append_text(badges.status(record.status, record.disagree))
        if hit.snippet:
            text.append("\n  ")
            text.append_text(badges.marked_text(" ".join(hit.snippet.split())))
        return text

    def action_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()

    def action_choose(self) -> None:
        results = self.query_one("#results", OptionList)
        option = results.highlighted_option
        if option is not None and option.id is not None:
            self.leave(option.id)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.leave(event.option.id)

    def action_cancel(self) -> None:
        self.leave()
