"""One regime's provisions as a virtualised list: topic-filtered, with linked and marked ones flagged."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.records import ProvisionSummary, RegimeRecord, Related
from tui.store import Store
from tui.widgets import badges


class ProvisionList(OptionList):
    """The provisions of one regime. The screen owns the state; this list only shows it."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    topic: reactive[str | None] = reactive(None)
    """The topic the screen filters by (None: all)."""
    marked: reactive[tuple[str, ...]] = reactive(())
    """Provision ids marked for a diff."""
    linked: reactive[dict[str, Related]] = reactive(dict)
    """Provisions of any regime tied to the focused provision, by id."""
    bookmarked: reactive[frozenset[str]] = reactive(frozenset())
    """Provisions the person bookmarked (★)."""
    noted: reactive[frozenset[str]] = reactive(frozenset())
    """Provisions the person wrote a note on (✎)."""

    class Highlighted(Message):
        """The person moved onto a provision in this pane."""

        def __init__(self, pane: ProvisionList, provision_id: str) -> None:
            super().__init__()
            self.pane = pane
            self.provision_id = provision_id

    def __init__(self, store: Store, regime: RegimeRecord) -> None:
        super().__init__(id=f"pane-{regime.id}", classes="pane")
        self.store = store
        self.regime = regime
        self.rows: list[ProvisionSummary] = []
        self.border_title = regime.title

    # -- state from the screen --------------------------------------------------------------

    def watch_topic(self, topic: str | None) -> None:
        self.rows = self.store.provisions(regime=self.regime.id, topic=topic)
        self.clear_options()
        if not self.rows:
            self.add_option(Option(self._silence(topic), disabled=True))
            self.border_subtitle = "nothing on this topic"
            return
        self.add_options(Option(self._prompt(row), id=row.id) for row in self.rows)
        self.highlighted = 0
        self._subtitle()

    def watch_marked(self, old: tuple[str, ...], new: tuple[str, ...]) -> None:
        self._refresh_rows(set(old) ^ set(new))

    def watch_bookmarked(self, old: frozenset[str], new: frozenset[str]) -> None:
        self._refresh_rows(set(old ^ new))

    def watch_noted(self, old: frozenset[str], new: frozenset[str]) -> None:
        self._refresh_rows(set(old ^ new))

    def watch_linked(self, old: dict[str, Related], new: dict[str, Related]) -> None:
        self._refresh_rows(set(old) | set(new))
        if not self.has_focus:
            mine = [related for related in new.values() if related.regime == self.regime.id]
            if mine:
                self.show_provision(mine[0].id)
        self._subtitle()

    # -- what the person does ---------------------------------------------------------------

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.has_focus and event.option.id is not None:
            self.post_message(self.Highlighted(self, event.option.id))

    def on_focus(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.Highlighted(self, option.id))

    def show_provision(self, provision_id: str) -> bool:
        """Move the cursor to a provision and scroll it into view; False if it is not listed."""
        try:
            index = self.get_option_index(provision_id)
        except OptionDoesNotExist:  # not in this pane under the current topic
            return False
        self.highlighted = index
        self.scroll_to_highlight(top=False)
        return True

    def action_page_down(self) -> None:
        if self.scrollable_content_region:  # a pane hidden in a narrow terminal has no lines yet
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.scrollable_content_region:
            super().action_page_up()

    @property
    def current(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    # -- rendering ------------------------------------------------------------------------------

    def _refresh_rows(self, ids: set[str]) -> None:
        for row_id in ids:
            try:
                index = self.get_option_index(row_id)
            except OptionDoesNotExist:
                continue
            self.replace_option_prompt_at_index(index, self._prompt(self.rows[index]))

    def _prompt(self, row: ProvisionSummary) -> Text:
        related = self.linked.get(row.id)
        text = Text(no_wrap=False, overflow="ellipsis")
        if row.id in self.marked:
            text.append("● ", style="bold yellow")
        if row.id in self.bookmarked:
            text.append("★ ", style="bold yellow")
        if row.id in self.noted:
            text.append("✎ ", style="italic")
        if related is not None:
            text.append("↔ " if related.explicit else "~ ", style="bold cyan")
        if row.number:
            text.append(f"{row.number} · ", style="bold")
        text.append(row.heading, style="bold" if related is not None else "")
        details = Text("\n  ")
        details.append_text(badges.status(row.status))
        details.append(" · ", style="dim")
        details.append_text(badges.evidence(row.evidence))
        if row.date:
            details.append(f" · {row.date}", style="dim")
        text.append_text(details)
        return text

    def _silence(self, topic: str | None) -> Text:
        if topic is None:
            return Text("No provisions in this regime.", style="italic")
        record = self.store.topic(topic)
        text = Text(f"The sources say nothing on “{record.label}” for this regime.", style="italic")
        note = record.silent.get(self.regime.id)
        if note:
            text.append(f"\n{note}", style="dim")
        return text

    def _subtitle(self) -> None:
        if not self.rows:
            return
        current = self.current
        related = self.linked.get(current) if current else None
        if related is not None and related.regime == self.regime.id:
            self.border_subtitle = f"↔ {related.type}: {related.note}"
        else:
            count = len(self.rows)
            self.border_subtitle = f"{count} provision{'' if count == 1 else 's'}"
