"""Every screen renders at every size, from 40x12 to 250x80, and resizing keeps the state."""

from __future__ import annotations

import pytest

from tui.app import make_app

SIZES = [(40, 12), (80, 24), (120, 40), (250, 80)]
SCREENS = {
    "compare": [],
    "topics": ["f"],
    "search": ["slash", *"copy"],
    "diff": ["v"],
    "diff inline": ["v", "i"],
    "source": ["s"],
    "help": ["question_mark"],
    "note": ["n"],
    "bookmarks": ["b", "B"],
    "matrix": ["g"],
    "timeline": ["t", "a"],
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("screen", SCREENS)
async def test_screen_renders_at_size(db, size, screen):
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*SCREENS[screen])
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert size == app.size
        # Render every line of the screen: a rendering error would surface here.
        assert app.export_screenshot().startswith("<svg")


async def test_resizing_keeps_the_state(db):
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "m", "j", "j")
        app.compare.topic = "ai-regulation"
        await pilot.pause()
        state = (app.compare.topic, app.compare.current, app.compare.marked)
        for size in [(40, 12), (250, 80), (80, 24), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert state == (app.compare.topic, app.compare.current, app.compare.marked), size
            assert app.compare.has_class("-narrow") == (size[0] < 110)
