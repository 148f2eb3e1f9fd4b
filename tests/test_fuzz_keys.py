"""Three thousand random keys, seeded: the explorer stays up, responsive and consistent."""

from __future__ import annotations

import random

from textual import events
from textual.keys import key_to_character
from textual.worker import WorkerCancelled

from tests.screen import screen_lines, screen_text
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
from tui.widgets.reading import Reading

SCREENS = (CompareScreen, SearchScreen, DiffScreen, SourceScreen, HelpScreen, NoteScreen,
           BookmarksScreen, MatrixScreen, TimelineScreen)  # fmt: skip
NAVIGATION = ["up", "down", "left", "right", "tab", "shift+tab", "enter", "escape", "pageup",
              "pagedown", "home", "end", "backspace", "space", "a", "z", "0", "9"]  # fmt: skip
# Keys that end the session on purpose; the command palette is out too, as typing into it at
# random and pressing Enter may well run its "Quit" command.
QUITTING = {"q", "ctrl+q", "ctrl+c", "ctrl+p"}
KEYS = 3_000
#: Keys sent between two frames: as fast as a person types, faster than a screen opens.
BURST = 10
#: Keys between two checks of what the explorer shows.
SEQUENCE = 250


def bindable_keys() -> list[str]:
    keys = set(NAVIGATION)
    for screen in (LexpaneApp, *SCREENS):
        for binding in screen.BINDINGS:
            keys.update(k.strip() for k in binding.key.split(","))
    return sorted(keys - QUITTING)


async def _settle(app, pilot) -> None:
    """Let every search finish; one superseded by a later keystroke is cancelled, as it should be."""
    for worker in list(app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass
    await pilot.pause()


def _assert_still_working(app: LexpaneApp) -> None:
    """The explorer runs, shows one of its screens, and its panes list their regime's provisions."""
    assert app.is_running
    assert isinstance(app.screen, SCREENS), app.screen
    lines = [line for line in screen_lines(app) if line.strip()]
    assert len(lines) >= 3, screen_text(app)
    compare, store = app.compare, app.store
    for pane in compare.panes:
        listed = [pane.get_option_at_index(n) for n in range(pane.option_count)]
        ids = [option.id for option in listed if option.id is not None]
        if store.count_provisions(regime=pane.regime.id, topic=compare.topic):
            assert ids, pane.regime.id
            assert {pane.regime.id} == {store.provision(i).regime for i in ids}
        else:  # a topic this regime is silent on: said in words
            assert 1 == len(listed) and listed[0].disabled
            assert "say nothing" in str(listed[0].prompt) or "No provisions" in str(
                listed[0].prompt
            )
    assert len(compare.marked) <= 2
    assert all(store.provision(ref.partition("@")[0]) for ref in compare.marked)
    if compare.current is not None:
        assert compare.current == str(compare.query_one(Reading).border_title)


async def test_random_keys_leave_the_app_working(db):
    rng = random.Random(20261123)
    keys = bindable_keys()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        for n in range(1, KEYS + 1):
            # The event a terminal key press becomes (what Pilot.press sends), without Pilot's
            # wait for idleness after every key: keys arrive in bursts, a frame between bursts.
            key = rng.choice(keys)
            app.post_message(events.Key(key, key_to_character(key)))
            if n % BURST == 0:
                await pilot.pause(0)
            if n % SEQUENCE == 0:
                await _settle(app, pilot)
                _assert_still_working(app)
        # Back out to the compare screen, as a person would, and use it.
        for _ in range(10):
            if app.screen is app.compare:
                break
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is app.compare
        _assert_still_working(app)
        await pilot.press("slash", *"camcord")
        await _settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "rc.camcording" == app.compare.current
        assert "╭─ rc.camcording" in screen_text(app)
