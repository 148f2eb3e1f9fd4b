"""Every screen shows what it is for at every size, from 40x12 to 250x80, and resizing keeps the
state: checked on the text of the screen."""

from __future__ import annotations

import pytest

from tests.screen import screen_text
from tui.app import make_app

SIZES = [(40, 12), (80, 24), (120, 35), (250, 80)]
#: Where each screen is reached from the compare screen, what it shows at any size, and what it
#: shows from 80x24 up (pane titles, results, both sides of a diff, footer keys). A tuple is a
#: short and a long way of saying the same, either of which will do.
SCREENS: dict[str, tuple[list, list, list]] = {
    "compare": (
        [],
        ["Russia · AI", "Labelling of AI-generated content", "╭─ ru.labelling", "/ Search"],
        ["Kazakhstan · AI", "Russia · copyright", "? Help", "f Topic", "q Quit"],
    ),
    "topics": (
        ["f"],
        ["All topics", "AI regulation"],
        ["Model categories", "Camcording"],
    ),
    "search": (
        ["slash", *"copy"],
        ["copy", "3 results, best first"],
        ["Copyrighted material in training", "Human creative contribution", "Camcording"],
    ),
    "diff": (
        ["v"],
        ["− ru.labelling@earlier", "+ ru.labelling@revised", "8 words added"],
        ["Developers must label all", "Developers need only offer", "i Inline/side by side"],
    ),
    "diff inline": (
        ["v", "i"],
        ["Developers must need only offer"],
        ["Developers must need only offer users the option to label all AI-generated", "esc Back"],
    ),
    "source": (
        ["s"],
        ["Russia bets on domestic AI", "One of the original regulations"],
        ["Quote 1 of 2 for ru.labelling", "n Next quote"],
    ),
    "help": (["question_mark"], ["lexpane keys"], ["Everywhere", "Search every provision"]),
    "note": (["n"], ["Note on ru.labelling"], ["Ctrl+S saves · Esc cancels", "^s Save note"]),
    "bookmarks": (
        ["b", "B"],
        ["Bookmarks and notes", "★ RU·AI  Labelling of AI-generated"],
        ["esc Back"],
    ),
    "matrix": (
        ["g"],
        ["Topics × regimes", "AI regulation", ("RU·AI", "Russia · AI")],
        [("KZ·AI", "Kazakhstan · AI"), ("RU·©", "Russia · copyright"), "Camcording", "1 open gap"],
    ),
    "timeline": (
        ["t", "a"],
        ["As of ", "in force"],
        ["2026-01-18", "Approved by commission", "esc Back"],
    ),
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("screen", SCREENS)
async def test_screen_shows_what_it_is_for_at_size(db, size, screen):
    keys, anywhere, from_80x24 = SCREENS[screen]
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert size == app.size
        text = screen_text(app)
        assert len(text.split("\n")) == size[1]
        for expected in anywhere + (from_80x24 if size >= (80, 24) else []):
            either = expected if isinstance(expected, tuple) else (expected,)
            assert any(e in text for e in either), (
                f"{expected!r} not on {screen} at {size}:\n{text}"
            )


async def test_resizing_keeps_the_state(db):
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("j", "m", "j", "j")
        await pilot.press("f", "down", "enter")  # the topic tree's first topic: AI regulation
        await pilot.pause()
        compare = app.compare
        state = (compare.topic, compare.current, compare.marked)
        assert ("ai-regulation", 1) == (state[0], len(state[2]))
        for size in [(40, 12), (250, 80), (80, 24), (120, 35)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert state == (compare.topic, compare.current, compare.marked), size
            text = screen_text(app)
            assert "lexpane — AI regulati" in text, text  # cut with "…" at 40 columns
            assert f"╭─ {compare.current}" in text, text  # the reading area, on the same provision
            # Narrow: one pane at a time, under tabs; wide: the three panes side by side.
            wide = size[0] >= 110
            assert wide == ("╭─ Kazakhstan · AI" in text), text
            assert (not wide) == ("1 Russi" in text), text
