"""Three thousand random keys, seeded: the explorer stays up, responsive and consistent."""

from __future__ import annotations

import random

from textual import events

from tui.app import LexpaneApp, make_app
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.compare import CompareScreen
from tui.screens.diff import DiffScreen
from tui.screens.help import HelpScreen
from tui.screens.matrix import MatrixScreen
from tui.screens.note import NoteScreen
from tui.screens.search import SearchScreen
from tui.screens.source import SourceScreen
from tui.screens.timeline import TimelineScreen

NAVIGATION = ["up", "down", "left", "right", "tab", "shift+tab", "enter", "escape", "pageup",
              "pagedown", "home", "end", "backspace", "space", "a", "z", "0", "9"]  # fmt: skip
# Keys that end the session on purpose; the command palette is out too, as typing into it at
# random and pressing Enter may well run its "Quit" command.
QUITTING = {"q", "ctrl+q", "ctrl+c", "ctrl+p"}


def bindable_keys() -> list[str]:
    keys = set(NAVIGATION)
    for screen in (LexpaneApp, CompareScreen, SearchScreen, DiffScreen, SourceScreen, HelpScreen,
                   NoteScreen, BookmarksScreen, MatrixScreen, TimelineScreen):  # fmt: skip
        for binding in screen.BINDINGS:
            keys.update(k.strip() for k in binding.key.split(","))
    return sorted(keys - QUITTING)


async def test_random_keys_leave_the_app_working(db):
    rng = random.Random(20261123)
    keys = bindable_keys()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        for n in range(3_000):
            # The same event a terminal key press becomes (what Pilot.press sends), without
            # Pilot's wait for idleness after every single key.
            key = rng.choice(keys)
            char = " " if key == "space" else (key if len(key) == 1 else None)
            app.post_message(events.Key(key, char))
            if n % 10 == 0:
                await pilot.pause()
            if n % 250 == 0:
                await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        # Back out to the compare screen, as a person would, and use it.
        for _ in range(10):
            if app.screen is app.compare:
                break
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is app.compare
        compare = app.compare
        assert len(compare.marked) <= 2
        assert all(app.store.provision(ref.partition("@")[0]) for ref in compare.marked)
        if compare.current is not None:
            assert compare.current == compare.query_one("#reading").provision_id
        await pilot.press("slash", *"camcord")
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        assert "rc.camcording" == compare.current
