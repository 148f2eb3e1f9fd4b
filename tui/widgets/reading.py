"""The reading area: the focused provision in full, rendered from Markdown."""

from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui import render
from tui.records import ProvisionRecord
from tui.store import Store


class Reading(VerticalScroll):
    """Shows one provision: its text, quotes with their source, topics, links and versions."""

    def __init__(self, store: Store) -> None:
        super().__init__(id="reading")
        self.store = store
        self.provision_id: str | None = None
        self.source = "*Move to a provision to read it here.*"
        """The Markdown shown."""
        self.border_title = "Provision"

    def compose(self):
        # Rich's Markdown in one Static, rather than Textual's Markdown widget (a widget per
        # block): the reading area changes on every cursor move, and one widget keeps that quick
        # and light (about 20 MiB less after moving through sixty provisions).
        yield Static(Markdown(self.source), id="reading-text")

    def show(self, record: ProvisionRecord, note: str = "") -> None:
        self.provision_id = record.id
        facts = render.facts(record, self.store, note)
        self.border_title = Text(facts.id)  # text, never markup
        self.source = render.markdown(facts)
        self.query_one("#reading-text", Static).update(Markdown(self.source))
        self.scroll_home(animate=False)
