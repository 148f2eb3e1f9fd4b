"""What the researcher keeps from a provision: citations, exports, bookmarks and notes.

The compare screen holds the explorer's state; these flows act on it and report back, each in
one sentence that says what really happened. Text from the database, a notes file or a path is
shown as text (`markup=False`), never as Textual markup, and the app's `notify` cleans it of
control characters.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen
from textual.widgets import ProgressBar

from tui.errors import LexpaneError
from tui.store import Store
from tui.userdata import UserData, data_dir

NO_USER_DATA = "Bookmarks and notes are unavailable: the notes file could not be opened"


#: The file, in the user's data folder, that keeps every citation copied with `y`.
CITATIONS = "citations.txt"


def cite(screen: Screen, store: Store, provision_id: str) -> None:
    """Send a provision's citation to the terminal's clipboard, show it, and add it to the
    citations file: many terminals ignore clipboard requests, and the file always has it."""
    from tui.render import citation

    text = citation(store, store.provision(provision_id))
    screen.app.copy_to_clipboard(text)
    try:
        kept = keep_citation(text)
    except OSError as exc:
        where = f"not kept in a file ({exc.strerror or exc})"
    else:
        where = f"also kept in {kept}"
    screen.notify(
        f"{text}\n\n(Sent to the terminal's clipboard, if it allows; {where}.)",
        title="Citation",
        timeout=12,
        markup=False,
    )


def keep_citation(text: str) -> Path:
    """Add a citation to the citations file in the user's data folder; its path."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CITATIONS
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return path


def export(
    screen: Screen, store: Store, topic: str | None, userdata: UserData | None, bar: ProgressBar
) -> None:
    """Save the comparison on `topic` as Markdown in the export folder, under a new name, in a
    worker: `bar` shows how far it is, and the explorer stays usable meanwhile."""
    from tui.export import comparison, notes_of, save

    notes = notes_of(userdata)  # read here: the notes file belongs to this thread
    app = screen.app

    def done(path: Path | None, problem: str | None) -> None:
        bar.display = False
        if bar.total is None:  # it failed before it knew: stop the hidden bar's animation
            bar.update(total=1, progress=0)
        if path is None:
            screen.notify(f"Could not export: {problem}", severity="error", markup=False)
        else:
            screen.notify(str(path), title="Comparison exported", timeout=10, markup=False)

    def work() -> None:
        def progress(count: int, total: int) -> None:
            app.call_from_thread(bar.update, total=total, progress=count)

        try:
            path = save(comparison(store, topic, notes, progress))
        except Exception as exc:  # noqa: BLE001 - said on screen; an export never ends the app
            app.call_from_thread(done, None, str(exc) or type(exc).__name__)
        else:
            app.call_from_thread(done, path, None)

    bar.update(total=None, progress=0)
    bar.display = True
    screen.run_worker(work, name="export", group="export", thread=True, exit_on_error=False)


def toggle_bookmark(screen: Screen, userdata: UserData, provision_id: str) -> bool:
    """Bookmark a provision, or remove its bookmark; False if the notes file refused."""
    try:
        on = userdata.toggle_bookmark(provision_id)
    except LexpaneError as exc:
        screen.notify(str(exc), severity="error", markup=False)
        return False
    said = f"Bookmarked {provision_id}" if on else f"Bookmark removed from {provision_id}"
    screen.notify(said, timeout=2, markup=False)
    return True


def edit_note(
    screen: Screen,
    store: Store,
    userdata: UserData,
    provision_id: str,
    saved: Callable[[], None],
) -> None:
    """Open the note editor on a provision; `saved` runs once a change is kept."""
    from tui.screens.note import NoteScreen

    def keep(text: str | None) -> None:
        if text is None:
            return
        try:
            userdata.save_note(provision_id, text)
        except LexpaneError as exc:
            screen.notify(str(exc), severity="error", markup=False)
            return
        saved()
        screen.notify("Note saved" if text.strip() else "Note deleted", timeout=2)

    heading = store.provision(provision_id).heading
    note = NoteScreen(provision_id, heading, userdata.note(provision_id))
    screen.app.open_text_box(lambda: screen.app.push_screen(note, keep))


def open_bookmarks(
    screen: Screen, store: Store, userdata: UserData, jump: Callable[[str], None]
) -> None:
    """List the bookmarks and notes; choosing one jumps to it if the database still holds it."""
    from tui.errors import NotFound
    from tui.screens.bookmarks import BookmarksScreen

    def chosen(provision_id: str | None) -> None:
        if provision_id is None:
            return
        try:
            store.provision(provision_id)
        except NotFound:
            screen.notify(
                f"{provision_id} is no longer in this database", severity="warning", markup=False
            )
            return
        jump(provision_id)

    screen.app.push_screen(BookmarksScreen(store, userdata), chosen)
