"""Python's full garbage collections, moved into the pauses of a person's typing.

A full collection walks every object made since start-up (`gc.freeze` keeps start-up's own out of
it): in the explorer 5-35 ms, a late frame when it falls on a key. While the explorer runs, Python
collects everything only after LATEST collections of its middle generation instead of its default
DUE; the explorer collects everything itself once DUE have passed and no key has come for PAUSE
seconds. Memory stays bounded: past LATEST, Python collects as it always would.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

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
