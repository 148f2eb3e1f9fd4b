"""A provision's source document, scrolled to a quoted passage and highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.records import ProvisionRecord, SourceRecord
from tui.screens import Leaving
from tui.store import Store

HIGHLIGHT = "reverse bold"


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each blank-line-separated paragraph of `text`."""
    spans = []
    position = 0
    for block in text.split("\n\n"):
        start = text.index(block, position)
        position = start + len(block)
        if block.strip():
            spans.append((start, position))
    return spans


class SourceScreen(Leaving, Screen):
    """The source text with the current quote highlighted; `n` and `N` step through the quotes."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("n", "next_quote", "Next quote"),
        Binding("N", "previous_quote", "Previous quote"),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]
    """Keys of the source screen."""

    index: reactive[int] = reactive(0, init=False)
    """Which of the provision's quotes is highlighted."""

    def __init__(self, store: Store, record: ProvisionRecord, index: int = 0) -> None:
        super().__init__()
        self.store = store
        self.record = record
        self.source: SourceRecord | None = None
        self.spans: list[tuple[int, int]] = []
        self.quoted: Static | None = None
        self.set_reactive(SourceScreen.index, index)

    def compose(self) -> ComposeResult:
        yield Static(id="source-title")
        yield VerticalScroll(id="source-text")
        yield Static(id="quote-status")
        yield Footer()

    async def on_mount(self) -> None:
        if not self.children:  # dismissed before it was shown
            return
        await self._show(self.index)

    async def watch_index(self, index: int) -> None:
        await self._show(index)

    async def _show(self, index: int) -> None:
        quote = self.record.quotes[index]
        if self.source is None or self.source.id != quote.source:
            await self._load(self.store.source(quote.source))
        blocks = list(self.query("#source-text > .paragraph").results(Static))
        first = None
        for block, (start, end) in zip(blocks, self.spans, strict=True):
            text = Text(self.source.text[start:end])
            if start < quote.end and quote.start < end:
                text.stylize(HIGHLIGHT, max(quote.start - start, 0), min(quote.end, end) - start)
                block.add_class("-quoted")
                first = first or block
            else:
                block.remove_class("-quoted")
            block.update(text)
        if first is not None:
            # After the new text is laid out, so the paragraph's position is known.
            container = self.query_one("#source-text", VerticalScroll)
            self.call_after_refresh(container.scroll_to_widget, first, animate=False, top=True)
        self.quoted = first
        total = len(self.record.quotes)
        self.query_one("#quote-status", Static).update(
            Text(
                f"Quote {index + 1} of {total} for {self.record.id}"
                + (f" ({quote.version} draft)" if len(self.record.versions) > 1 else "")
                + ("   n: next · N: previous" if total > 1 else "")
            )
        )

    async def _load(self, source: SourceRecord) -> None:
        self.source = source
        who = source.author or source.publisher or ""
        title = Text(source.title, style="bold")
        title.append(
            f"\n{who}{', ' if who and source.date else ''}{source.date or ''} · {source.kind}",
            style="dim",
        )
        self.query_one("#source-title", Static).update(title)
        self.spans = paragraphs(source.text)
        container = self.query_one("#source-text", VerticalScroll)
        await container.remove_children()
        await container.mount_all(Static(classes="paragraph") for _ in self.spans)

    def action_next_quote(self) -> None:
        self.index = (self.index + 1) % len(self.record.quotes)

    def action_previous_quote(self) -> None:
        self.index = (self.index - 1) % len(self.record.quotes)

    def action_scroll_down(self) -> None:
        self.query_one("#source-text").scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#source-text").scroll_up()

    def action_back(self) -> None:
        self.leave()
