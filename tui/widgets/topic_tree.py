"""The topic taxonomy as a tree, with how many provisions each regime has on each topic."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree

from tui.records import TopicRecord
from tui.store import Store
from tui.widgets import badges


class TopicTree(Tree[str | None]):
    """Choose a topic to filter the three panes; the root shows everything."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    class Chosen(Message):
        """A topic was chosen (None: all topics)."""

        def __init__(self, topic: str | None) -> None:
            super().__init__()
            self.topic = topic

    def __init__(self, store: Store) -> None:
        super().__init__("All topics", data=None, id="topics")
        self.store = store
        self.show_root = True
        self.guide_depth = 2
        self.border_title = "Topics"
        self._counts = Text(
            "counts: " + " ".join(badges.short_regime(r.id) for r in store.regimes())
        )
        """What the columns of counts are, said under the tree when it is not in use."""
        self.border_subtitle = self._counts

    def on_mount(self) -> None:
        topics = self.store.topics()
        children: dict[str | None, list[TopicRecord]] = {}
        for topic in topics:
            children.setdefault(topic.parent, []).append(topic)

        width = max((len(str(n)) for t in topics for n in t.counts.values()), default=1)

        def add(node, parent: str | None) -> None:
            for topic in children.get(parent, []):
                label = self._label(topic, max(width, 2))
                if topic.id in children:
                    child = node.add(label, data=topic.id, expand=True)
                    add(child, topic.id)
                else:
                    node.add_leaf(label, data=topic.id)

        add(self.root, None)
        self.root.expand()

    @staticmethod
    def _label(topic: TopicRecord, width: int) -> Text:
        # Counts first, in fixed columns (one per regime, pane order), so they survive truncation.
        label = Text()
        for count in topic.counts.values():
            shown = str(count) if count else "·"
            label.append(f"{shown:>{width}} ", style="bold" if count else "dim")
        label.append(topic.label)
        return label

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        self._name_cursor()

    def on_focus(self) -> None:
        self._name_cursor()

    def on_blur(self) -> None:
        self.border_subtitle = self._counts

    def _name_cursor(self) -> None:
        """While the tree is in use, the topic under the cursor is named in full under it: a
        long label is cut in its line."""
        node = self.cursor_node
        if not self.has_focus or node is None:
            return
        topic = node.data
        self.border_subtitle = Text(self.store.topic(topic).label if topic else "All topics")

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(event.node.data))

    def reload(self) -> None:
        """Read the topics and their counts again (the store reopened on a rebuilt database),
        the cursor staying on the same topic where it still is."""
        node = self.cursor_node
        topic = node.data if node is not None else None
        self.clear()
        self.on_mount()
        found = [self.root]
        while found and found[0].data != topic:
            found = found[1:] + list(found[0].children)
        if node is not None and found:
            self.call_after_refresh(self.move_cursor, found[0])
