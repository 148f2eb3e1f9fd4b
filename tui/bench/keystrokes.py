"""Keystroke to results on screen: the search screen driven one key at a time, as a person types.

Each key gives two samples: the time from the key sent to the running explorer (headless: the
real search screen, store, search thread and result list) to the first frame handed to the terminal
that shows the outcome of the search the key started, and to the first that shows the key itself
in the search box.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass
class Typed:
    """Milliseconds from each key to the first frame showing its results, and to the first
    frame showing the key itself in the search box (a search slower than QUICK holds its key
    back, up to HOLD, to paint the two together)."""

    results: list[float] = field(default_factory=list)
    echoes: list[float] = field(default_factory=list)


async def _type(db: Path, queries: Iterable[str], interval: float) -> Typed:
    from textual.widgets import Input

    from tui.app import make_app
    from tui.screens.search import SearchScreen

    app = make_app(db)
    typed = Typed()
    pauses = random.Random(0)
    #: When the first frame showing each search's outcome, and each text in the search box, was
    #: handed to the terminal.
    painted: dict[int, float] = {}
    echoed: dict[str, float] = {}
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("slash")
        while not isinstance(app.screen, SearchScreen):
            await pilot.pause(0.01)
        screen = app.screen
        box = screen.query_one(Input)
        _watch_frames(app, screen, box, painted, echoed)
        for text in queries:
            box.value = ""
            await _until(lambda: screen.shown == screen.searches and screen.searches in painted)
            await asyncio.sleep(READING * pauses.uniform(1 - READING_SPREAD, 1 + READING_SPREAD))
            for char in text:
                echoed.clear()
                started = time.perf_counter()
                _send(app, char)
                wanted = box.value + char
                await _until(lambda t=wanted: box.value == t)
                number = screen.searches  # the search this key started
                await _until(lambda n=number, t=wanted: n in painted and t in echoed)
                typed.results.append((painted[number] - started) * 1000)
                typed.echoes.append((echoed[wanted] - started) * 1000)
                await asyncio.sleep(max(0.0, started + interval - time.perf_counter()))
    return typed


def _watch_frames(app, screen, box, painted: dict[int, float], echoed: dict[str, float]) -> None:
    """Note when the first frame showing each search's outcome, and each text in the box, is
    handed to the terminal."""

    def seen(target) -> None:
        if target is screen:
            now = time.perf_counter()
            painted.setdefault(screen.shown, now)
            echoed.setdefault(box.value, now)

    on_frame(app, seen)


async def _until(done) -> None:
    while not done():
        await asyncio.sleep(0.0005)  # not a spin: the search thread needs the GIL


def keystrokes(db: Path, queries: Iterable[str], interval: float = TYPIST) -> Typed:
    """Milliseconds from each key to the first frame showing its results, and to the first
    showing the key, typing `queries` in turn, a key every `interval` seconds (or as soon as the
    last key's results are painted, if that is later)."""
    return asyncio.run(_type(db, list(queries), interval))
