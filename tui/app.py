"""The Textual explorer: three regimes side by side, the focused provision below."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Markdown, OptionList
from textual.widgets.option_list import Option

from tui.records import ProvisionRecord
from tui.store import Store


class LexpaneApp(App[int]):
    """Browse the provisions of each regime; the highlighted one is shown in full."""

    CSS_PATH = "app.tcss"
    TITLE = "lexpane"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            for regime in self.store.regimes():
                pane = OptionList(
                    *[
                        Option(f"{p.number + ' · ' if p.number else ''}{p.heading}", id=p.id)
                        for p in self.store.provisions(regime=regime.id)
                    ],
                    id=f"pane-{regime.id}",
                    classes="pane",
                )
                pane.border_title = regime.title
                yield pane
        yield Markdown(id="reading")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.store.path)
        first = self.query(".pane").first(OptionList)
        first.focus()
        if first.option_count:
            first.highlighted = 0

    @on(OptionList.OptionHighlighted)
    def show_provision(self, event: OptionList.OptionHighlighted) -> None:
        # Every pane keeps a highlight; only the focused pane's is read.
        if event.option_list is self.focused:
            self._show(event.option.id)

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, OptionList) and event.widget.highlighted is not None:
            self._show(event.widget.get_option_at_index(event.widget.highlighted).id)

    def _show(self, provision_id: str | None) -> None:
        if provision_id is not None:
            markdown = provision_markdown(self.store.provision(provision_id))
            self.query_one("#reading", Markdown).update(markdown)

    def action_cursor_down(self) -> None:
        if isinstance(self.focused, OptionList):
            self.focused.action_cursor_down()

    def action_cursor_up(self) -> None:
        if isinstance(self.focused, OptionList):
            self.focused.action_cursor_up()


def provision_markdown(record: ProvisionRecord) -> str:
    number = f"{record.number} · " if record.number else ""
    parts = [
        f"## {number}{record.heading}",
        f"*{record.instrument_title}* · **{record.status}** · {record.evidence or ''} · `{record.id}`",
        record.body,
    ]
    for quote in record.quotes:
        parts.append("> " + quote.text.replace("\n", "\n> ") + f"\n>\n> — {quote.source}")
    return "\n\n".join(parts)


def make_app(db_path: Path | str) -> LexpaneApp:
    """The explorer on the database at `db_path` (raises StoreError if it cannot be read)."""
    return LexpaneApp(Store.open(db_path))
