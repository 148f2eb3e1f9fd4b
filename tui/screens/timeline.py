"""Every dated event in order, and each regime as it stood on a chosen day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui.dates import HAPPENED, floor, is_date, span
from tui.screens import Leaving
from tui.store import Store
from tui.timeline import as_of, events
from tui.widgets import badges

#: How an event after the "as of" day is marked.
LATER = "later"


class TimelineScreen(Leaving, Screen[str | None]):
    """Events oldest first; Enter goes to the provision; `a` sets the "as of" day."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "as_of", "As of…"),
        Binding("A", "clear_as_of", "Today", show=False),
        # Before the table's own Home and End, which scroll sideways.
        Binding("home,g", "first", "First event", show=False, priority=True),
        Binding("end,G", "last", "Last event", show=False, priority=True),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    """Keys of the timeline."""

    day: reactive[str] = reactive(dt.date.today().isoformat, init=False)
    """The "as of" day: events after it are dimmed, and the states are as they stood then."""

    def __init__(
        self,
        store: Store,
        day: str | None = None,
        chose_day: Callable[[str | None], None] | None = None,
        ask_day: bool = False,
    ) -> None:
        """`chose_day` hears of each day the person sets (None: back to today); with `ask_day`
        the screen opens on the box to type one."""
        super().__init__()
        self.ask_day = ask_day
        self.store = store
        self.chose_day = chose_day
        self.events = events(store)
        if day:
            self.set_reactive(TimelineScreen.day, day)

    def compose(self) -> ComposeResult:
        yield Static(id="as-of")
        with Horizontal(id="as-of-bar"):
            yield Input(placeholder="YYYY-MM-DD, then Enter", id="as-of-input", max_length=10)
        yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        if not self.children:
            return
        table = self.query_one(DataTable)
        for label in ("Date", "Regime", "Event", "Provision"):
            table.add_column(label)
        self._show()
        table.focus()
        if self.ask_day:
            self.action_as_of()

    def watch_day(self) -> None:
        self._show()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for n, event in enumerate(self.events):
            future = floor(event.date) > self.day
            style = "dim" if future else ""
            # After the day, and only expected or scheduled: said in words, not by a shade.
            what = Text(f"{LATER} · " if future else "", style="italic")
            what.append(event.phrase or event.event, style=style)
            if event.kind != HAPPENED:
                what.append(f" ({event.kind}, not confirmed)", style="italic")
            if event.note:
                what.append(f" — {event.note}", style="dim")
            table.add_row(
                Text(span(event.date, event.end), style=style or "bold"),
                badges.regime(event.regime)
                if not future
                else Text(badges.short_regime(event.regime), style="dim"),
                what,
                Text(event.title, style=style),
                key=str(n),
            )
        regimes = {r.id: r.title for r in self.store.regimes()}
        summary = Text(f"As of {self.day}", style="bold")
        summary.append(f"  ({LATER}: after this day · a: another day · A: today)", style="dim")
        for state in as_of(self.store, self.day):
            summary.append(
                f"\n{regimes.get(state.regime, state.regime)} · {state.title}: ", style=""
            )
            summary.append(state.state, style="bold")
        self.query_one("#as-of", Static).update(summary)

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        chosen = self.events[int(event.row_key.value)]
        if chosen.provision_id:
            self.leave(chosen.provision_id)

    def action_as_of(self) -> None:
        bar = self.query_one("#as-of-bar")
        bar.display = True
        box = self.query_one(Input)
        box.value = self.day
        box.focus()

    @on(Input.Submitted)
    def _day_typed(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if len(value) != 10 or not is_date(value):
            self.notify("Type a day as YYYY-MM-DD", severity="warning")
            return
        self.day = value
        if self.chose_day is not None:
            self.chose_day(value)
        self.query_one("#as-of-bar").display = False
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        if self.query_one("#as-of-bar").display:
            self.query_one("#as-of-bar").display = False
            self.query_one(DataTable).focus()
            return
        self.leave()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Home and End (and g, G) belong to the day's box while it is being typed in.
        if action in ("first", "last") and isinstance(self.focused, Input):
            return False
        return True

    def action_first(self) -> None:
        if not self.query_one("#as-of-bar").display:
            table = self.query_one(DataTable)
            table.move_cursor(row=0, column=0, scroll=True)
            table.scroll_to(x=0, animate=False)

    def action_last(self) -> None:
        if not self.query_one("#as-of-bar").display:
            table = self.query_one(DataTable)
            table.move_cursor(row=table.row_count - 1, column=0, scroll=True)
            table.scroll_to(x=0, animate=False)

    def action_clear_as_of(self) -> None:
        self.day = dt.date.today().isoformat()
        if self.chose_day is not None:
            self.chose_day(None)

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
