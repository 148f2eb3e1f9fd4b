"""Keystroke to results on screen: the search screen driven one key at a time, as a person types.

Each sample is the time from a key sent to the running explorer (headless: the real search
screen, store, search thread and result list) to the first frame handed to the terminal that shows the
outcome of the search the key started.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterable
from pathlib import Path

from tui.bench.first_frame import on_frame

#: Seconds between keys: a fast typist (120 words a minute, six keys a word, is 83 ms a key).
TYPIST = 0.08

#: Seconds between one query's last key and the next query: reading the results.
READING = 1.0

#: Each pause is READING give or take this share, the same every run (a seeded generator). A
#: pause of exactly 1.0 s was in step with the search box's cursor, which blinks every 0.5 s
#: from the last key: the first key of each query then came a few ms after a blink's frame, and
#: waited for Textual's next 60 Hz frame, as a key after a pause of a person's seldom does.
READING_SPREAD = 0.25

#: Characters whose key has a name of its own.
KEY_NAMES = {" ": "space", '"': "quotation_mark", ":": "colon", "-": "minus", "*": "asterisk"}


def _send(app, char: str) -> None:
    """A key as the terminal driver hands it to the app (Pilot's `press` would then wait for
    the whole process to go idle, which is not what a person waits for)."""
    from textual import events

    key_event = events.Key(KEY_NAMES.get(char, char), char)
    key_event.set_sender(app)
    app._driver.send_message(key_event)


async def _type(db: Path, queries: Iterable[str], interval: float) -> list[float]:
    from textual.widgets import Input

    from tui.app import make_app
    from tui.screens.search import SearchScreen

    app = make_app(db)
    samples: list[float] = []
    pauses = random.Random(0)
    #: When the first frame showing each search's outcome was handed to the terminal.
    painted: dict[int, float] = {}
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("slash")
        while not isinstance(app.screen, SearchScreen):
            await pilot.pause(0.01)
        screen = app.screen
        _watch_frames(app, screen, painted)
        box = screen.query_one(Input)
        for text in queries:
            box.value = ""
            await _until(lambda: screen.shown == screen.searches and screen.searches in painted)
            await asyncio.sleep(READING * pauses.uniform(1 - READING_SPREAD, 1 + READING_SPREAD))
            for char in text:
                started = time.perf_counter()
                _send(app, char)
                await _until(lambda t=box.value + char: box.value == t)
                number = screen.searches  # the search this key started
                await _until(lambda n=number: n in painted)
                samples.append((painted[number] - started) * 1000)
                await asyncio.sleep(max(0.0, started + interval - time.perf_counter()))
    return samples


def _watch_frames(app, screen, painted: dict[int, float]) -> None:
    """Note when the first frame showing each search's outcome is handed to the terminal."""

    def seen(target) -> None:
        if target is screen:
            painted.setdefault(screen.shown, time.perf_counter())

    on_frame(app, seen)


async def _until(done) -> None:
    while not done():
        await asyncio.sleep(0.0005)  # not a spin: the search thread needs the GIL


def keystrokes(db: Path, queries: Iterable[str], interval: float = TYPIST) -> list[float]:
    """Milliseconds from each key to the first frame showing its results, typing `queries` in
    turn, a key every `interval` seconds (or as soon as the last key's results are painted, if
    that is later)."""
    return asyncio.run(_type(db, list(queries), interval))
