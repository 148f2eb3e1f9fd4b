"""The whole comparison at a glance: topics down, regimes across, counts and states in each cell."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.screens import Leaving
from tui.store import Store
from tui.widgets import badges

SHORT = {"deleted in revision": "deleted", "recommended": "rec.", "superseded": "old draft"}


class MatrixScreen(Leaving, Screen[tuple[str, str] | None]):
    """Enter on a cell opens the compare screen on that topic, that regime's pane focused."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    """Keys of the matrix."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.regimes = store.regimes()

    def compose(self) -> ComposeResult:
        yield Static(
            "Topics × regimes: how many provisions, and in what state. Enter opens the comparison.",
            id="matrix-title",
        )
        yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Topic", key="topic")
        for regime in self.regimes:
            table.add_column(Text(regime.title), key=regime.id)
        cells = self.store.statuses()
        disagree = self.store.disagreements()
        depth: dict[str, int] = {}
        for topic in self.store.topics():
            depth[topic.id] = depth.get(topic.parent, -1) + 1 if topic.parent else 0
            row = [
                Text("  " * depth[topic.id] + topic.label, style="bold" if not topic.parent else "")
            ]
            for regime in self.regimes:
                row.append(
                    self._cell(
                        cells.get((topic.id, regime.id), {}), disagree.get((topic.id, regime.id), 0)
                    )
                )
            table.add_row(*row, key=topic.id)
        table.cursor_coordinate = table.cursor_coordinate._replace(column=1)
        table.focus()

    @staticmethod
    def _cell(statuses: dict[str, int], disagree: int = 0) -> Text:
        if not statuses:
            return Text("— silent", style="dim italic")
        total = sum(statuses.values())
        text = Text(f"{total} ", style="bold")
        for n, (status, count) in enumerate(sorted(statuses.items(), key=lambda kv: -kv[1])):
            if n:
                text.append(", ")
            label = Text(
                f"{count} {SHORT.get(status, status)}", style=badges.STATUS_STYLE.get(status, "")
            )
            text.append_text(label)
        if disagree:
            text.append(f" · {disagree} where {badges.DISAGREE}", style="bold")
        return text

    @on(DataTable.CellSelected)
    def _chosen(self, event: DataTable.CellSelected) -> None:
        column = max(event.coordinate.column, 1) - 1
        self.leave((event.cell_key.row_key.value, self.regimes[column].id))

    def action_back(self) -> None:
        self.leave()

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
