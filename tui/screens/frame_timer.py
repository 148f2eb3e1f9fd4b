"""Textual's interval timer, mended: a tick that comes late is followed by the next slot's.

`Timer._run` (textual/timer.py, Textual 8) skips the slots a late tick has passed, but one too
many: it sets its count one past them, so the next tick waits for the slot after the next one.
Each screen paints through such a timer (60 Hz), paused between frames and resumed by a refresh,
which it then paints at once: a late tick. So a second refresh soon after (the reading area,
once a move in a pane has been painted; the rest of a list of results) waited 17-33 ms for its
frame instead of 0-17 ms. A move in a pane (real corpus, 120x35, 30 keys, headless): from the key
to the provision's text on screen, median 51-53 ms with Textual's timer, 35-36 ms mended; p95
59-69 against 41-47. Every timer started after `mend()` runs on it (a cursor's blink too).

`mend()` gives `Timer` a `_run` that differs from Textual 8.2.8's in that one line, and only if
Textual's own still uses the names that one did (`_MENDED_SHAPE`, a check cheap enough for
start-up): a Textual whose `_run` was rewritten keeps its own. One that kept the names but changed
the logic would not: the tests compare Textual's source with 8.2.8's, so that an upgrade of the
pinned Textual brings this module up for review.
"""

from __future__ import annotations

from textual import _time
from textual._time import sleep
from textual.timer import EventTargetGone, Timer

#: Textual's own `Timer._run`.
TEXTUALS_RUN = Timer._run
#: The names Textual 8's `Timer._run` uses: any other `_run` is left alone.
_MENDED_SHAPE = (
    ("self", "count", "_repeat", "_interval", "start", "next_timer", "now", "wait_time"),
    ("_repeat", "_interval", "_active", "wait", "_time", "get_time", "_skip", "int", "max",
     "sleep", "_reset", "_tick", "EventTargetGone"),
)  # fmt: skip


async def _run(self: Timer) -> None:
    """Run the timer (as Textual's, but for the count after a late tick)."""
    count = 0
    _repeat = self._repeat
    _interval = self._interval
    self._active  # noqa: B018 - a cached property, made here in this thread (as Textual does)
    await self._active.wait()
    start = _time.get_time()

    while _repeat is None or count <= _repeat:
        next_timer = start + ((count + 1) * _interval)
        now = _time.get_time()
        if self._skip and next_timer < now:
            # The slots gone by; the next tick is the next slot's (Textual: `+ 1` here).
            count = int((now - start) / _interval)
            continue
        now = _time.get_time()
        wait_time = max(0, next_timer - now)
        await sleep(wait_time)
        count += 1
        await self._active.wait()
        if self._reset:
            start = _time.get_time()
            count = 0
            self._reset = False
            continue
        try:
            await self._tick(next_timer=next_timer, count=count)
        except EventTargetGone:
            break


def _shape(function) -> tuple[tuple[str, ...], tuple[str, ...]]:
    code = function.__code__
    return code.co_varnames, code.co_names


def mend() -> bool:
    """Use the mended `_run` for every timer started from now on; whether it is in use."""
    if Timer._run is _run:
        return True
    if Timer._run is not TEXTUALS_RUN or _shape(TEXTUALS_RUN) != _MENDED_SHAPE:
        return False
    Timer._run = _run  # type: ignore[method-assign]
    return True
