"""Every key, screen by screen, built from the bindings themselves."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tui.screens import Leaving

KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "down": "↓",
    "up": "↑",
    "question_mark": "?",
    "slash": "/",
    "ctrl+p": "Ctrl+P",
    "tab": "Tab",
}


def key_label(key: str) -> str:
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def bindings_table(title: str, bindings: list[Binding | tuple]) -> str:
    rows = [f"### {title}", "", "| Key | Does |", "|---|---|"]
    for binding in bindings:
        if not isinstance(binding, Binding):
            binding = Binding(*binding)
        alias = " *(alias)*" if binding.key in ("j", "k") else ""
        rows.append(
            f"| `{key_label(binding.key)}` | {binding.description or binding.action}{alias} |"
        )
    return "\n".join(rows)


class HelpScreen(Leaving, ModalScreen[None]):
    """The keys of every screen. Esc, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]
    """Keys of the help screen."""

    def compose(self) -> ComposeResult:
        from tui.app import LexpaneApp
        from tui.screens.bookmarks import BookmarksScreen
        from tui.screens.compare import CompareScreen
        from tui.screens.diff import DiffScreen
        from tui.screens.matrix import MatrixScreen
        from tui.screens.note import NoteScreen
        from tui.screens.search import SearchScreen
        from tui.screens.source import SourceScreen
        from tui.screens.timeline import TimelineScreen

        sections = [
            "## lexpane keys",
            "",
            "Everything works from the keyboard; the mouse works too. "
            "`Tab` moves between the topic tree, the panes and the reading area.",
            "",
            bindings_table(
                "Everywhere", [*LexpaneApp.BINDINGS, Binding("tab", "focus_next", "Next area")]
            ),
            bindings_table(
                "Compare (three panes)",
                [
                    Binding("enter", "select", "Topic tree: filter by the topic"),
                    *CompareScreen.BINDINGS,
                ],
            ),  # fmt: skip
            bindings_table("Search", SearchScreen.BINDINGS),
            bindings_table("Diff", DiffScreen.BINDINGS),
            bindings_table("Source", SourceScreen.BINDINGS),
            bindings_table("Matrix", MatrixScreen.BINDINGS),
            bindings_table("Timeline", TimelineScreen.BINDINGS),
            bindings_table("Note", NoteScreen.BINDINGS),
            bindings_table("Bookmarks", BookmarksScreen.BINDINGS),
        ]
        with VerticalScroll(id="help"):
            yield Markdown("\n\n".join(sections))

    def action_close(self) -> None:
        self.leave()
