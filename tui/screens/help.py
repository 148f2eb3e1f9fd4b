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
    "shift+tab": "Shift+Tab",
    "ctrl+d": "Ctrl+D",
    "ctrl+u": "Ctrl+U",
    "ctrl+s": "Ctrl+S",
    "home": "Home",
    "end": "End",
}


#: What each action does, in a sentence (the binding's own description names it).
EXPLAIN = {
    "search": "Search every provision as you type; Enter jumps to the one highlighted.",
    "help": "Show this page.",
    "quit": "Leave lexpane (your bookmarks and notes are already saved).",
    "command_palette": "Find any command or provision by name: export, cite, matrix, timeline…",
    "focus_next": "Move to the next area: topic tree, the three panes, the reading area.",
    "select": "In the topic tree: show only the provisions on that topic, in every pane.",
    "focus_topics": "Open the topic tree to filter the three panes by a topic.",
    "mark": "Mark the provision for a diff; mark a second one, then press d.",
    "diff": "Word-by-word redline of the two marked provisions, whatever their regimes.",
    "versions": "Compare the drafts of a provision (the Russian bill's earlier and revised).",
    "source": "Open the source document at the quoted passage, highlighted.",
    "toggle_linking": "Turn linked panes on or off: with them on, moving in one pane marks "
    "the provisions tied to it in the others (↔ an explicit link, ~ a shared topic).",
    "follow_link": "Go to the provision tied to this one in another pane (the cursor moves there).",
    "read(1)": "Page the reading area down, from whichever pane you are in.",
    "read(-1)": "Page the reading area up.",
    "matrix": "Topics × regimes at a glance: counts and states; Enter opens that comparison.",
    "timeline": "Every dated event in order, and each regime as it stood on a chosen day.",
    "clear_as_of": "Forget the as-of day chosen in the timeline: back to today.",
    "cite": "Copy a pinpoint citation of the provision to the clipboard, and show it.",
    "export": "Save the comparison on the current topic as Markdown, with citations and "
    "your notes, in your Documents/lexpane folder (never over an earlier export).",
    "bookmark": "Bookmark the provision, or remove its bookmark (★ in the list).",
    "note": "Write or edit your note on the provision (✎ in the list).",
    "bookmarks": "List everything you bookmarked or annotated; Enter goes there.",
    "clear_topic": "Clear the topic filter: every pane shows all its provisions again.",
    "next_area(1)": "Move to the next area.",
    "next_area(-1)": "Move to the previous area.",
    "pane(0)": "Go to the Russia · AI pane.",
    "pane(1)": "Go to the Kazakhstan · AI pane.",
    "pane(2)": "Go to the Russia · copyright enforcement pane.",
    "as_of": "Type a day (YYYY-MM-DD): the table and every regime's state as they stood then.",
    "first": "Go to the first event.",
    "last": "Go to the last event.",
}

SEARCH_SYNTAX = """### How search reads what you type

| Type | Finds |
|---|---|
| `camcord` | provisions with the word; the last word counts as a prefix while you type |
| `site blocking` | provisions with both words, best matches first |
| `"notice and takedown"` | the words together, as a phrase |
| `regime:kz` `regime:ru-copyright` | one regime (its id, or the start of it) |
| `topic:labelling` | one topic and the topics under it |
| `status:open-gap` `status:draft` | one status (a dash for a space) |
| `jurisdiction:RU` | one country |

When fewer than a handful of provisions match exactly, search widens the query and says how it
read it: other forms of the words (*labelling*, *labelled*), British and US spellings,
the reviewed thesaurus (abbreviations, legal synonyms, the Russian and Kazakh terms), then close
spellings of a mistyped word, and at last any of the words. Exact matches always come first."""


def key_label(key: str) -> str:
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def bindings_table(title: str, bindings: list[Binding | tuple]) -> str:
    rows = [f"### {title}", "", "| Key | Does |", "|---|---|"]
    for binding in bindings:
        if not isinstance(binding, Binding):
            binding = Binding(*binding)
        alias = " *(alias)*" if binding.key in ("j", "k") else ""
        name = binding.description or binding.action
        # `app.search` on one screen is `search` on the app: one sentence for both.
        sentence = EXPLAIN.get(binding.action.removeprefix("app."), "")
        does = f"**{name}**{alias}" + (f": {sentence}" if sentence else "")
        rows.append(f"| `{key_label(binding.key)}` | {does} |")
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
            "`Tab` moves between the topic tree, the panes and the reading area. "
            "`Esc` clears a topic filter on the compare screen and goes back everywhere else. "
            "`Ctrl+P` finds any command by name.",
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
            SEARCH_SYNTAX,
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
