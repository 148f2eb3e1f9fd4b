"""Python's full garbage collections, moved into the pauses of a person's typing.

A full collection walks every object made since start-up (`gc.freeze` keeps start-up's own out of
it): in the explorer 5-35 ms, a late frame when it falls on a key. While the explorer runs, Python
collects everything only after LATEST collections of its middle generation instead of its default
DUE; the explorer collects everything itself once DUE have passed and no key has come for PAUSE
seconds. Memory stays bounded: past LATEST, Python collects as it always would.

Around a whole explorer process (`explorer_process`) there are two more rules: nothing is collected
while it starts, and nothing is walked when it ends.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Seconds without a key that make a pause.
PAUSE = 0.5
#: Middle-generation collections after which a pause collects everything (Python's default).
DUE = 10
#: ... and after which Python collects everything itself, pause or not. Measured typing the
#: bench's queries with `tui.bench.keystrokes` (a typist's pace, pauses between them): with 30
#: every full collection fell in a pause; with 20, 2 of 9 on the real corpus and 3 of 15 at
#: 100,000 provisions fell on a key instead (15-25 ms each: under 1 % of keys). A session of keys
#: every 30 ms that never pauses peaked 2 MiB lower with 20 (58-59 MiB against 60-61 at 100,000).
LATEST = 20


class Collector:
    """Start it with the explorer, tell it of each key, and `tick` it every so often."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_key = clock()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _ = self._thresholds
            gc.set_threshold(young, middle, LATEST)

    def stop(self) -> None:
        """Python's own thresholds again."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def key(self) -> None:
        self._last_key = self._clock()

    def tick(self) -> bool:
        """Collect everything if it is due and the person has paused; whether it did."""
        due = gc.get_count()[2] >= DUE
        if due and gc.isenabled() and self._clock() - self._last_key >= PAUSE:
            gc.collect()
            return True
        return False


#: Whether `explorer_process` turned collection off until the explorer's first frame.
_off_until_started = False


@contextmanager
def explorer_process() -> Iterator[None]:
    """Around everything a process does to run the explorer, imports included.

    Until the first frame (`started`), nothing is collected: what start-up makes (modules, styles,
    widgets) lives as long as the process, and the young collections walking it as it was made
    cost 24 ms of the first frame (real corpus: 178 young and 16 middle collections). Once the
    frame is painted, one collection frees what start-up threw away (30-40 ms, just after the
    frame). When it ends, everything still alive is frozen: the interpreter's teardown then walks
    none of it (it walked it all, after the explorer had given the terminal back, for 60-80 ms
    of the time to quit). Objects frozen then are freed as their last reference goes, as always;
    those in cycles are left to the process's end, as the interpreter itself leaves some.
    """
    global _off_until_started
    was_enabled = gc.isenabled()
    gc.disable()
    _off_until_started = was_enabled
    try:
        yield
    finally:
        _off_until_started = False
        gc.freeze()
        if was_enabled:
            gc.enable()


def started() -> None:
    """The explorer's first frame is drawn: start-up's objects are kept from the collector from
    now on (`gc.freeze`), and collection goes on if `explorer_process` held it."""
    global _off_until_started
    if _off_until_started:
        # What start-up threw away is collected first: frozen, it would be kept for good
        # (2.5 MiB more at the peak of a session at 100,000 provisions).
        _off_until_started = False
        gc.collect()
        gc.enable()
    gc.freeze()
