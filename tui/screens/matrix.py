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

#: Statuses said shorter in a cell (the full word where it fits).
LABEL = {"deleted in revision": "deleted", "superseded": "old draft"}
SHORT = {
    "deleted in revision": "del.",
    "reported": "rep.",
    "commentary": "comm.",
    "scheduled": "sched.",
    "recommended": "rec.",
    "adopted": "adopt.",
    "superseded": "old",
    "proposed": "prop.",
    "open gap": "gap",
}
#: Topic column: its share of the width, and its bounds.
TOPIC_SHARE, TOPIC_MIN, TOPIC_MAX = 0.25, 16, 30


def cell(statuses: dict[str, int], disagree: int, width: int) -> Text:
    """A cell that reads as counts and states ("11: 8 draft · 3 deleted"), said in full where
    `width` allows, then with short labels, then with the commonest states and "+N" for the
    rest; sources that disagree are always said."""
    if not statuses:
        return Text("— silent", style="dim italic")
    ordered = sorted(statuses.items(), key=lambda kv: -kv[1])
    attempts = [(LABEL, "where sources disagree", len(ordered)), (SHORT, "disputed", len(ordered))]
    attempts += [(SHORT, "disputed", shown) for shown in range(len(ordered) - 1, 0, -1)]
    for labels, dispute, shown in attempts:
        text = _cell(ordered, shown, disagree, labels, dispute)
        if text.cell_len <= width:
            return text
    text.truncate(width, overflow="ellipsis")
    return text


def _cell(
    ordered: list[tuple[str, int]], shown: int, disagree: int, labels: dict, dispute: str
) -> Text:
    total = sum(count for _, count in ordered)
    text = Text(f"{total}: " if len(ordered) > 1 else "", style="bold")
    for n, (status, count) in enumerate(ordered[:shown]):
        if n:
            text.append(" · ")
        label = f"{count} {labels.get(status, status)}"
        text.append(label, style=badges.STATUS_STYLE.get(status, ""))
    rest = sum(count for _, count in ordered[shown:])
    if rest:
        text.append(f" +{rest}", style="dim")
    if disagree:
        text.append(f" · {disagree} {dispute}", style="bold")
    return text


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
            "Topics × regimes: how many provisions, and in what state (del. deleted, rep. reported, "
            "comm. commentary, disputed: sources disagree). Enter opens the comparison.",
            id="matrix-title",
        )
        yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        # Read once; a resize only lays the same counts out again.
        self.cells = self.store.statuses()
        self.disagree = self.store.disagreements()
        self.topics = self.store.topics()
        self._laid_out_for: int | None = None
        self._fill()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """Lay the table out for the width there is: every regime shown, titles short if need
        be, cells as full as they fit."""
        width = max(self.size.width, 40) - 2  # the table's scrollbar gutter
        if width == self._laid_out_for:
            return  # a resize of the height only, or the one that follows mounting
        self._laid_out_for = width
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate if table.row_count else None
        table.clear(columns=True)
        topic_width = min(TOPIC_MAX, max(TOPIC_MIN, int(width * TOPIC_SHARE)))
        # Each column is padded by one cell on either side.
        column = max(8, (width - topic_width - 2 * (len(self.regimes) + 1)) // len(self.regimes))
        table.add_column("Topic", key="topic", width=topic_width)
        # Full titles if they all fit, else short ones for all: one way of naming across.
        full = all(len(regime.title) <= column for regime in self.regimes)
        for regime in self.regimes:
            title = regime.title if full else badges.short_regime(regime.id)
            table.add_column(Text(title), key=regime.id, width=column)
        depth: dict[str, int] = {}
        for topic in self.topics:
            depth[topic.id] = depth.get(topic.parent, -1) + 1 if topic.parent else 0
            label = Text("  " * depth[topic.id] + topic.label, style="" if topic.parent else "bold")
            label.truncate(topic_width, overflow="ellipsis")
            row = [label]
            for regime in self.regimes:
                key = (topic.id, regime.id)
                row.append(cell(self.cells.get(key, {}), self.disagree.get(key, 0), column))
            table.add_row(*row, key=topic.id)
        if cursor is not None:
            table.cursor_coordinate = cursor
        else:
            table.cursor_coordinate = table.cursor_coordinate._replace(column=1)

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
