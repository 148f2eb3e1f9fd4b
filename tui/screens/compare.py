"""The compare screen: topics, three linked regime panes and the reading area."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static, Tab, Tabs

from tui.records import Related
from tui.screens import keep
from tui.store import Store
from tui.userdata import UserData
from tui.widgets.provision_list import ProvisionList, fit_words
from tui.widgets.reading import Reading
from tui.widgets.topic_tree import TopicTree

#: Below this width the three panes collapse to one, with tabs to switch.
NARROW = 110


class CompareScreen(Screen):
    """Three regimes side by side. This screen holds the state; the panes show it."""

    #: Focused as soon as the screen is composed, so that no frame shows the focus elsewhere.
    AUTO_FOCUS = "ProvisionList"

    def _compositor_refresh(self) -> None:
        # Textual renders the screen on top even while the app holds its frames (a batch), and
        # then drops the frame: at start-up that was a whole render of this screen (40-45 ms,
        # 120x35) thrown away before the first frame was painted. While held, what changed stays
        # marked, and is painted by the first frame after.
        if self.app._batch_count and self.is_current:
            return
        super()._compositor_refresh()

    BINDINGS = [
        # Search, help and quit repeated from the app: the keys that matter come first in the
        # footer, and stay in it at 80 columns.
        Binding("slash", "app.search", "Search"),
        Binding("question_mark", "app.help", "Help"),
        Binding("f", "focus_topics", "Topic"),
        Binding("q", "app.quit", "Quit"),
        Binding("m", "mark", "Mark"),
        Binding("d", "diff", "Diff"),
        Binding("v", "versions", "Drafts"),
        Binding("s", "source", "Source"),
        Binding("l", "toggle_linking", "Linking", show=False),
        Binding("L", "follow_link", "Follow link", show=False),
        Binding("ctrl+d", "read(1)", "Read on", show=False),
        Binding("ctrl+u", "read(-1)", "Read back", show=False),
        Binding("g", "matrix", "Matrix", show=False),
        Binding("t", "timeline", "Timeline", show=False),
        Binding("A", "clear_as_of", "Clear as-of day", show=False),
        Binding("y", "cite", "Cite", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("b", "bookmark", "Bookmark"),
        # As it comes in: the letters typed after it are the note's (see tui.typeahead).
        Binding("n", "note", "Note", priority=True),
        Binding("B", "bookmarks", "Bookmarks", show=False),
        Binding("escape", "clear_topic", "All topics", show=False),
        Binding("tab", "next_area(1)", "Next area", show=False),
        Binding("shift+tab", "next_area(-1)", "Previous area", show=False),
        Binding("1", "pane(0)", "Pane 1", show=False),
        Binding("2", "pane(1)", "Pane 2", show=False),
        Binding("3", "pane(2)", "Pane 3", show=False),
    ]
    """Keys of the compare screen; `/`, `?` and `q` work everywhere."""

    topic: reactive[str | None] = reactive(None)
    """The topic every pane is filtered by (None: all topics)."""
    current: reactive[str | None] = reactive(None)
    """The provision the person is on, in whichever pane."""
    marked: reactive[tuple[str, ...]] = reactive(())
    """Up to two provisions marked for a diff, oldest first."""
    linking: reactive[bool] = reactive(True)
    """Whether moving in one pane highlights the linked provisions in the others."""
    linked: reactive[dict[str, Related]] = reactive(dict)
    """The provisions tied to `current`, by id (empty when linking is off)."""
    bookmarked: reactive[frozenset[str]] = reactive(frozenset())
    """Provisions the person bookmarked."""
    noted: reactive[frozenset[str]] = reactive(frozenset())
    """Provisions the person wrote a note on."""
    as_of: reactive[str | None] = reactive(None, init=False)
    """The day chosen in the timeline: a line above the panes says how each regime stood then
    (None: today)."""

    def __init__(self, store: Store, userdata: UserData | None = None) -> None:
        super().__init__()
        self.store = store
        self.userdata = userdata
        self.regimes = store.regimes()
        #: Whether the tabs, just made, are yet to say which they start on.
        self._tabs_starting = False
        #: The tabs of a narrow terminal, and each by regime, once made (`_tabs`).
        self._pane_tabs: Tabs | None = None
        self._tab_items: dict[str, Tab] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield TopicTree(self.store)
            with Vertical(id="main"):
                # The tabs of a narrow terminal; made later if it becomes narrow (`on_resize`).
                if self.app.size.width < NARROW:
                    yield self._tabs(
                        {r.id: Text(f"{n} {r.title}") for n, r in enumerate(self.regimes, 1)}
                    )
                yield Static(id="as-of-line")
                with Horizontal(id="panes"):
                    for regime in self.regimes:
                        yield ProvisionList(self.store, regime).data_bind(
                            CompareScreen.topic,
                            CompareScreen.marked,
                            CompareScreen.linked,
                            CompareScreen.bookmarked,
                            CompareScreen.noted,
                        )
                yield Reading(self.store)
        # A bar with no total animates 15 times a second, shown or not: this one has a total
        # until an export starts (see `keep.export`).
        yield ProgressBar(total=1, id="export-progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self._load_user_data()
        self.panes[0].focus()

    def _load_user_data(self) -> None:
        if self.userdata is not None:
            self.bookmarked = frozenset(self.userdata.bookmarks())
            self.noted = frozenset(note.provision_id for note in self.userdata.notes())

    @property
    def panes(self) -> list[ProvisionList]:
        return list(self.query(ProvisionList).results(ProvisionList))

    def pane_for(self, regime: str) -> ProvisionList:
        return self.query_one(f"#pane-{regime}", ProvisionList)

    # -- state ----------------------------------------------------------------------------

    def watch_current(self, provision_id: str | None) -> None:
        if provision_id is None:
            return
        self._show_current()
        self._relink()

    def _show_current(self) -> None:
        """The current provision, with the person's note on it, in the reading area."""
        note = self.userdata.note(self.current) if self.userdata is not None else ""
        self.query_one(Reading).show(self.store.provision(self.current), note)

    def watch_linking(self, linking: bool) -> None:
        self._relink()

    def watch_topic(self, topic: str | None) -> None:
        self._subtitle()
        label = self.store.topic(topic).label if topic else "All topics"
        self.query_one(TopicTree).border_title = Text(f"Topics: {label}" if topic else "Topics")
        # Once the panes (bound to `topic`) have reloaded, read what is under the cursor.
        self.call_later(self._follow_topic)

    def watch_as_of(self, day: str | None) -> None:
        if not self.is_mounted:  # set from the command line: shown once the screen is
            self.call_after_refresh(lambda: self.watch_as_of(self.as_of))
            return
        from tui.timeline import as_of

        self._subtitle()
        line = self.query_one("#as-of-line", Static)
        line.display = day is not None
        if day is None:
            return
        text = Text(f"As of {day} (A: back to today)", style="bold")
        by_regime: dict[str, list[str]] = {}
        for state in as_of(self.store, day):
            # The state's first clause: "draft", "in force", "not yet there", "superseded".
            by_regime.setdefault(state.regime, []).append(
                f"{state.title}: {state.state.split(';')[0]}"
            )
        for regime in self.regimes:
            text.append(f"\n{regime.title}: ", style="bold")
            text.append("; ".join(by_regime.get(regime.id, ["no dated instrument"])))
        line.update(text)

    def _subtitle(self) -> None:
        label = self.store.topic(self.topic).label if self.topic else "All topics"
        self.sub_title = f"{label} · as of {self.as_of}" if self.as_of else label

    def action_clear_as_of(self) -> None:
        if self.as_of is not None:
            self.as_of = None
            self.notify("Back to today", timeout=2)

    def _tab_labels(self) -> dict[str, Text]:
        """What the tabs (a narrow terminal shows one pane at a time) say, by regime: its name in
        the room there is and, under a topic, how many provisions it has there."""
        room = max(12, self.size.width // len(self.regimes) - 1)
        labels = {}
        for n, pane in enumerate(self.panes, 1):
            count = f" ({pane.total})" if self.topic is not None else ""
            title = fit_words(pane.regime.title, room - len(count) - 2)
            labels[pane.regime.id] = Text(f"{n} {title}{count}")
        return labels

    def _label_tabs(self) -> None:
        # By the tabs made (`_tabs`), not by a query: tabs just made are not in the tree yet.
        if not self._tab_items:  # none made: a terminal that has always been wide
            return
        labels = self._tab_labels()
        for regime, tab in self._tab_items.items():
            tab.label = labels[regime]

    def _tabs(self, labels: dict[str, Text], active: str | None = None) -> Tabs:
        """Tabs of the regimes (by id), as a narrow terminal shows them, on `active`'s."""
        self._tab_items = {
            regime: Tab(label, id=f"tab-{regime}") for regime, label in labels.items()
        }
        self._pane_tabs = Tabs(
            *self._tab_items.values(), active=active and f"tab-{active}", id="pane-tabs"
        )
        return self._pane_tabs

    def _make_tabs(self) -> None:
        """Put the tabs above the panes, on the active pane's, once the terminal that was wide at
        start becomes narrow. Made at start in a wide one, the tabs (hidden there) held back the
        explorer's first frame by about 30 ms."""
        tabs = self._tabs(self._tab_labels(), self._active_pane().regime.id)
        # They say which they start on (`TabActivated`): not a person's choice, so unheard.
        self._tabs_starting = True
        self.query_one("#main").mount(tabs, before=0)

    def _follow_topic(self) -> None:
        self._label_tabs()
        listed = [pane.current for pane in self.panes if pane.current is not None]
        if self.current not in {o.id for pane in self.panes for o in pane.options} and listed:
            active = self._active_pane().current
            self.current = active if active is not None else listed[0]

    def _relink(self) -> None:
        if self.linking and self.current is not None:
            self.linked = {related.id: related for related in self.store.related(self.current)}
        else:
            self.linked = {}

    # -- messages from the widgets ------------------------------------------------------------

    @on(ProvisionList.Highlighted)
    def _moved(self, message: ProvisionList.Highlighted) -> None:
        self.current = message.provision_id

    @on(TopicTree.Chosen)
    def _topic_chosen(self, message: TopicTree.Chosen) -> None:
        self.topic = message.topic
        self.remove_class("-topics")
        if self.has_class("-narrow"):
            self._activate(self._active_pane())

    @on(DescendantFocus)
    def _focus_moved(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, ProvisionList):
            for pane in self.panes:
                pane.set_class(pane is event.widget, "-active")
            if self._pane_tabs is not None:
                self._pane_tabs.active = f"tab-{event.widget.regime.id}"

    @on(Tabs.TabActivated)
    def _tab_chosen(self, event: Tabs.TabActivated) -> None:
        if self._tabs_starting:
            self._tabs_starting = False
            return
        regime = (event.tab.id or "").removeprefix("tab-")
        if regime and not self.pane_for(regime).has_focus and self.is_mounted:
            self._activate(self.pane_for(regime))

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        if event.size.width < NARROW and self._pane_tabs is None:
            self._make_tabs()
        # Tighter key labels in a narrow terminal, so that the keys that matter all show.
        footer = self.query_one(Footer)
        footer.compact = event.size.width < NARROW
        # There, the keys take the whole line (Ctrl+P is in the help): the palette's hint
        # would cover the last of them.
        footer.show_command_palette = event.size.width >= NARROW
        self._label_tabs()

    # -- actions ------------------------------------------------------------------------------

    def _active_pane(self) -> ProvisionList:
        for pane in self.panes:
            if pane.has_class("-active"):
                return pane
        return self.panes[0]

    def _activate(self, pane: ProvisionList) -> None:
        """Focus a pane, first showing it if the screen is narrow and it is hidden.

        The old pane stays shown until the new one has focus (see `_focus_moved`), so that no
        key ever lands on a hidden pane. Where every pane shows, the focus moves at once: keys
        typed right after `2` (already queued) go to the new pane, not the one left.
        """
        pane.add_class("-active")
        if self.has_class("-narrow"):
            self.call_after_refresh(pane.focus)
        else:
            self.set_focus(pane)

    def action_pane(self, index: int) -> None:
        self._activate(self.panes[index])

    def action_next_area(self, step: int) -> None:
        """Tab order: topics (when shown), the three panes, the reading area."""
        areas = [*self.panes, self.query_one(Reading)]
        if not self.has_class("-narrow") or self.has_class("-topics"):
            areas.insert(0, self.query_one(TopicTree))
        focused = self.focused
        index = next(
            (
                n
                for n, area in enumerate(areas)
                if focused is area or (focused and area in focused.ancestors)
            ),
            -1,
        )
        target = areas[(index + step) % len(areas)]
        if isinstance(target, ProvisionList):
            self._activate(target)
        else:
            target.focus()

    def action_focus_topics(self) -> None:
        self.add_class("-topics")
        self.call_after_refresh(self.query_one(TopicTree).focus)

    def action_clear_topic(self) -> None:
        if self.has_class("-topics"):
            self.remove_class("-topics")
            self._activate(self._active_pane())
        self.topic = None

    def action_follow_link(self) -> None:
        """Go to the provision tied to the current one (an explicit link first), in its pane."""
        targets = [pane.link_target for pane in self.panes if not pane.has_class("-active")]
        targets = sorted((t for t in targets if t is not None), key=lambda t: not t.explicit)
        if not targets:
            self.notify("No linked provision in the other panes", severity="warning")
            return
        self.jump_to(targets[0].id)

    def action_read(self, direction: int) -> None:
        """Page the reading area down or up, from whichever pane has the focus."""
        reading = self.query_one(Reading)
        if direction > 0:
            reading.scroll_page_down(animate=False)
        else:
            reading.scroll_page_up(animate=False)

    def action_toggle_linking(self) -> None:
        self.linking = not self.linking
        self.notify("Linked panes on" if self.linking else "Linked panes off", timeout=2)

    def action_mark(self) -> None:
        if self.current is None:
            return
        if self.current in self.marked:
            self.marked = tuple(m for m in self.marked if m != self.current)
            self.notify(f"Unmarked {self.current}", timeout=2, markup=False)
            return
        self.marked = (*self.marked, self.current)[-2:]
        if len(self.marked) == 2:
            self.notify(f"Marked {self.current}: press d to diff the two", timeout=3, markup=False)
        else:
            self.notify(
                f"Marked {self.current}: mark another, then press d", timeout=3, markup=False
            )

    def action_diff(self) -> None:
        from tui.screens.diff import DiffScreen

        if len(self.marked) < 2:
            self.notify("Mark two provisions with m, then press d", severity="warning")
            return
        old, new = (self.store.version(ref) for ref in self.marked)
        self.app.push_screen(DiffScreen(old, new))

    def action_versions(self) -> None:
        from tui.screens.diff import DiffScreen

        if self.current is None:
            return
        versions = self.store.versions(self.current)
        if len(versions) < 2:
            self.notify(f"{self.current} has one version only", severity="warning", markup=False)
            return
        self.app.push_screen(DiffScreen(versions[0], versions[-1], versions=versions))

    def action_source(self) -> None:
        from tui.screens.source import SourceScreen

        if self.current is None:
            return
        record = self.store.provision(self.current)
        if not record.quotes:
            self.notify(
                f"{record.id} quotes no passage of its source", severity="warning", markup=False
            )
            return
        self.app.push_screen(SourceScreen(self.store, record))

    def _can_keep(self) -> bool:
        """Whether a provision is under the cursor and the notes file is open (else say so)."""
        if self.userdata is None:
            self.notify(keep.NO_USER_DATA, severity="error")
            return False
        return self.current is not None

    def action_bookmark(self) -> None:
        if self._can_keep() and keep.toggle_bookmark(self, self.userdata, self.current):
            self._load_user_data()

    def action_note(self) -> None:
        if not self._can_keep():
            return
        provision_id = self.current

        def saved() -> None:
            self._load_user_data()
            if self.current == provision_id:
                self._show_current()

        keep.edit_note(self, self.store, self.userdata, provision_id, saved)

    def action_bookmarks(self) -> None:
        if self.userdata is None:
            self.notify(keep.NO_USER_DATA, severity="error")
            return
        keep.open_bookmarks(self, self.store, self.userdata, self.jump_to)

    def action_matrix(self) -> None:
        from tui.screens.matrix import MatrixScreen

        def chosen(cell: tuple[str, str] | None) -> None:
            if cell is None or not self.app.sync_store():
                return
            topic, regime = cell
            if topic not in {t.id for t in self.store.topics()}:  # gone in a rebuild
                self.notify(f"No topic {topic!r} in this database any more", severity="warning")
                return
            self.topic = topic
            self._activate(self.pane_for(regime))

        self.app.push_screen(MatrixScreen(self.store), chosen)

    def action_as_of(self) -> None:
        """Open the timeline with the day to type."""
        self.action_timeline(ask_day=True)

    def action_timeline(self, day: str | None = None, ask_day: bool = False) -> None:
        from tui.screens.timeline import TimelineScreen

        def chosen(provision_id: str | None) -> None:
            if provision_id is not None:
                self.app.jump_to(provision_id)  # which says so if a rebuild dropped it

        def chose_day(chosen_day: str | None) -> None:
            self.as_of = chosen_day

        if day is not None:
            self.as_of = day
        timeline = TimelineScreen(self.store, day or self.as_of, chose_day, ask_day=ask_day)
        self.app.push_screen(timeline, chosen)

    def action_cite(self) -> None:
        if self.current is not None:
            keep.cite(self, self.store, self.current)

    def action_export(self) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        if bar.display:
            self.notify("An export is under way", severity="warning")
            return
        keep.export(self, self.store, self.topic, self.userdata, bar)

    def jump_to(self, provision_id: str) -> None:
        """Show a provision in its pane, clearing the topic filter if it hides it."""
        record = self.store.provision(provision_id)
        pane = self.pane_for(record.regime)
        if not pane.show_provision(provision_id):
            self.topic = None
            pane.show_provision(provision_id)
        self.remove_class("-topics")  # a narrow terminal shows the pane, not the topic tree
        pane.add_class("-active")
        pane.focus()
        self.current = provision_id

    def reload(self) -> None:
        """Show what the store holds now that it reopened on a rebuilt data.db, keeping the
        person's place: the topic, each pane's provision, the marks and the provision read,
        wherever they still exist."""
        self.regimes = self.store.regimes()
        if self.topic is not None and self.topic not in {t.id for t in self.store.topics()}:
            self.topic = None
        self.query_one(TopicTree).reload()
        for pane in self.panes:
            pane.reload()

        def exists(provision_id: str) -> bool:
            return self.store.provision_index(provision_id) is not None

        self.marked = tuple(m for m in self.marked if exists(m))
        self._load_user_data()
        self._subtitle()
        if self.as_of is not None:
            self.watch_as_of(self.as_of)
        if self.current is not None and exists(self.current):
            self._show_current()
            self._relink()
        else:
            listed = [pane.current for pane in self.panes if pane.current is not None]
            active = self._active_pane().current
            self.current = active if active is not None else (listed[0] if listed else None)
