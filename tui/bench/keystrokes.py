"""Keystroke to results on screen: the search screen driven one key at a time, as a person types.

Each sample is the time from a key sent to the running explorer (headless, the real search
worker, messages and result list) to the frame after the search it started shows its outcome.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from pathlib import Path

#: Characters whose key has a name of its own.
KEY_NAMES = {" ": "space", '"': "quotation_mark", ":": "colon", "-": "minus", "*": "asterisk"}


def _send(app, char: str) -> None:
    """A key as the terminal driver hands it to the app (Pilot's `press` would then wait for
    the whole process to go idle, which is not what a person waits for)."""
    from textual import events

    key_event = events.Key(KEY_NAMES.get(char, char), char)
    key_event.set_sender(app)
    app._driver.send_message(key_event)


async def _type(db: Path, queries: Iterable[str]) -> list[float]:
    from textual.widgets import Input

    from tui.app import make_app
    from tui.screens.search import SearchScreen

    app = make_app(db)
    samples: list[float] = []
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("slash")
        while not isinstance(app.screen, SearchScreen):
            await pilot.pause(0.01)
        screen = app.screen
        box = screen.query_one(Input)
        for text in queries:
            box.value = ""
            await _shown(screen)
            for char in text:
                started = time.perf_counter()
                _send(app, char)
                await _until(lambda t=box.value + char: box.value == t)
                await _shown(screen)
                painted = asyncio.get_running_loop().create_future()
                screen.call_after_refresh(lambda f=painted: f.done() or f.set_result(None))
                await painted
                samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _shown(screen) -> None:
    """Until the newest search's outcome is on the screen (not only computed)."""
    await _until(lambda: screen.shown == screen.searches)


async def _until(done) -> None:
    while not done():
        await asyncio.sleep(0.0005)  # not a spin: the worker thread needs the GIL


def keystrokes(db: Path, queries: Iterable[str]) -> list[float]:
    """Milliseconds from each key to its results on screen, typing `queries` in turn."""
    return asyncio.run(_type(db, list(queries)))
