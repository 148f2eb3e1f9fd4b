"""One regime's provisions as a windowed list: topic-filtered, with linked and marked ones flagged.

A regime may hold tens of thousands of provisions. The list holds a window of them as options and
moves the window as the cursor nears its edge, so that opening, scrolling and jumping cost the
same whatever the size of the corpus.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.records import ProvisionSummary, RegimeRecord, Related
from tui.store import Store
from tui.widgets import badges

#: Provisions held as options at once.
WINDOW = 60
#: When the cursor comes this close to an edge of the window, the window moves to centre on it.
MARGIN = 20
#: Provisions held when a list is first filled: a screenful, even in a tall terminal.
FIRST = 40


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
        """The window of provisions shown as options."""
        self.window_start = 0
        """Where the window starts in the whole list."""
        self.total = 0
        """How many provisions the whole list has."""
        self.chosen: str | None = None
        """The provision the person last put the cursor on here, or jumped to: kept through
        topic filters, and selected again whenever the list holds it."""
        self._is_loaded = False
        self._loaded_topic: str | None = None
        self.border_title = Text(regime.title)  # text, never markup

    # -- state from the screen --------------------------------------------------------------

    def watch_topic(self, topic: str | None) -> None:
        if self._is_loaded and topic == self._loaded_topic:
            return  # bound to the screen's topic: set once on binding, then on each change
        self._loaded_topic, self._is_loaded = topic, True
        self.total = self.store.count_provisions(regime=self.regime.id, topic=topic)
        if not self.total:
            self.rows, self.window_start = [], 0
            self.clear_options()
            self.add_option(Option(self._silence(topic), disabled=True))
            self.border_subtitle = "nothing on this topic"
            return
        self._load(0, FIRST)
        if self.chosen is None or not self._select(self.chosen):
            self.highlighted = 0
        self._subtitle()

    def _load(self, offset: int, size: int = WINDOW) -> None:
        """Hold the window of provisions that starts at `offset` (kept within the list)."""
        self.window_start = max(0, min(offset, self.total - size))
        self.rows = self.store.provisions(
            regime=self.regime.id, topic=self.topic, offset=self.window_start, limit=size
        )
        self.clear_options()
        self.add_options(Option(self._prompt(row), id=row.id) for row in self.rows)

    def _move_to(self, index: int) -> None:
        """Put the cursor on the provision at `index` of the whole list, moving the window."""
        index = max(0, min(index, self.total - 1))
        if not self.window_start <= index < self.window_start + len(self.rows):
            self._load(index - WINDOW // 2)
        self.highlighted = index - self.window_start
        self.scroll_to_highlight()

    def _recentre(self) -> None:
        """Before the cursor moves: if it is near an inner edge of the window, centre on it."""
        if self.highlighted is None or len(self.rows) == self.total:
            return
        near_top = self.highlighted < MARGIN and self.window_start > 0
        near_end = self.highlighted >= len(self.rows) - MARGIN and (
            self.window_start + len(self.rows) < self.total
        )
        if near_top or near_end:
            index = self.window_start + self.highlighted
            self._load(index - WINDOW // 2)
            self.highlighted = index - self.window_start
            self.scroll_to_highlight()

    def watch_marked(self, old: tuple[str, ...], new: tuple[str, ...]) -> None:
        self._refresh_rows(set(old) ^ set(new))

    def watch_bookmarked(self, old: frozenset[str], new: frozenset[str]) -> None:
        self._refresh_rows(set(old ^ new))

    def watch_noted(self, old: frozenset[str], new: frozenset[str]) -> None:
        self._refresh_rows(set(old ^ new))

    def watch_linked(self, old: dict[str, Related], new: dict[str, Related]) -> None:
        self._refresh_rows(set(old) | set(new))
        if not self.has_focus:
            # Shown, not chosen: the cursor here stays where the person left it. A link outside
            # the window held (a big regime) is named in the subtitle, and L follows it.
            target = self.link_target
            if target is not None and target.id in self._held():
                self.call_after_refresh(self._scroll_into_view, target.id)
        self._subtitle()

    @property
    def link_target(self) -> Related | None:
        """The provision of this pane tied to the focused one (an explicit link first)."""
        mine = [related for related in self.linked.values() if related.regime == self.regime.id]
        mine.sort(key=lambda related: not related.explicit)
        return mine[0] if mine else None

    def _held(self) -> set[str]:
        return {row.id for row in self.rows}

    def _scroll_into_view(self, provision_id: str) -> None:
        """Scroll so that a linked provision shows, the cursor kept where it is and in view:
        where both cannot show at once the cursor wins (the subtitle names the link, L follows
        it)."""
        try:
            index = self.get_option_index(provision_id)
        except OptionDoesNotExist:
            return
        lines, heights = self._index_to_line, self._heights  # OptionList's own layout
        if index not in lines:
            return
        width = self.scrollable_content_region.width
        self.scroll_to_region(
            Region(0, lines[index], width, heights[index]), animate=False, immediate=True
        )
        if self.highlighted is not None and self.highlighted in lines:
            cursor = Region(0, lines[self.highlighted], width, heights[self.highlighted])
            self.scroll_to_region(cursor, animate=False, immediate=True)

    # -- what the person does ---------------------------------------------------------------

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.has_focus and event.option.id is not None:
            self.chosen = event.option.id
            self.post_message(self.Highlighted(self, event.option.id))

    def on_focus(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.Highlighted(self, option.id))

    def show_provision(self, provision_id: str) -> bool:
        """Put the cursor on a provision and scroll it into view, as an explicit jump (search,
        a link followed, the matrix or timeline): it becomes the pane's chosen provision.
        False if the pane does not list it under the current topic."""
        if not self._select(provision_id):
            return False
        self.chosen = provision_id
        return True

    def _select(self, provision_id: str) -> bool:
        try:
            self.highlighted = self.get_option_index(provision_id)
        except OptionDoesNotExist:  # outside the window, or not in this pane under this topic
            index = self.store.provision_index(provision_id, self.regime.id, self.topic)
            if index is None:
                return False
            self._move_to(index)
        self.scroll_to_highlight(top=False)
        return True

    def action_cursor_down(self) -> None:
        self._recentre()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._recentre()
        super().action_cursor_up()

    def action_first(self) -> None:
        if self.total:
            self._move_to(0)

    def action_last(self) -> None:
        if self.total:
            self._move_to(self.total - 1)

    def action_page_down(self) -> None:
        if self.scrollable_content_region:  # a pane hidden in a narrow terminal has no lines yet
            self._recentre()
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.scrollable_content_region:
            self._recentre()
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
        details.append_text(badges.status(row.status, row.disagree))
        details.append(" · ", style="dim")
        details.append_text(badges.evidence(row.evidence))
        if row.date:
            details.append(f" · {row.date}", style="dim")
        if row.versions > 1:
            details.append(f" · {row.versions} versions (v)", style="italic")
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

    def on_resize(self) -> None:
        # A title too long for the border is cut at a word, never mid-word.
        self.border_title = Text(fit_words(self.regime.title, self.size.width - 4))
        # Shown again, or at a new size: the cursor stays in view.
        self.call_after_refresh(self.scroll_to_highlight)

    def _subtitle(self) -> None:
        if not self.rows:
            return
        target = None if self.has_focus else self.link_target
        if target is not None:
            # The key first, so that it survives when a long note is cut at the border.
            mark = "↔" if target.explicit else "~"
            self.border_subtitle = Text(f"L {mark} {target.type}: {target.note}")
        else:
            count = self.total
            self.border_subtitle = f"{count:,} provision{'' if count == 1 else 's'}"

    def reload(self) -> None:
        """Read the list again (the store reopened on a rebuilt database), staying on the same
        provision if it is still listed, else at the same place in the list."""
        current = self.current
        index = self.window_start + (self.highlighted or 0)
        self._is_loaded = False
        self.watch_topic(self.topic)
        if current is not None and self.show_provision(current):
            return
        if self.total:
            self._move_to(min(index, self.total - 1))


def fit_words(text: str, width: int) -> str:
    """`text` if it fits in `width` cells, else as many whole words as fit, and "…"."""
    if len(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and len(" ".join(words)) + 1 > width:
        words.pop()
    fitted = " ".join(words).rstrip(" ·,;:")
    return fitted + "…" if len(fitted) < width else text[: max(width - 1, 1)] + "…"
