"""After a late tick, Textual's interval timer waits for the next slot, not the one after."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual import timer as textual_timer
from textual.timer import Timer

from tui.app import make_app
from tui.screens import frame_timer

#: Textual's own `_run`, as it was before any app mended it.
TEXTUALS = frame_timer.TEXTUALS_RUN
INTERVAL = 1.0


class Clock:
    """A clock that moves only when the timer sleeps, or a tick says it took long."""

    def __init__(self) -> None:
        self.now = 100.0

    def get_time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


class Ticking:
    """What `_run` reads of a timer: ticks are noted (in slots since the start); the first
    takes `late` slots, as a frame does that is painted at once when a refresh comes."""

    def __init__(self, clock: Clock, late: float) -> None:
        self._repeat = None  # until the third tick
        self._interval = INTERVAL
        self._skip = True
        self._reset = False
        self._active = asyncio.Event()
        self._active.set()
        self.clock, self.late, self.slots = clock, late, []
        self.start = clock.now

    async def _tick(self, *, next_timer: float, count: int) -> None:
        self.slots.append(round(self.clock.now - self.start, 6))
        if len(self.slots) == 1:
            self.clock.now += self.late * INTERVAL
        if len(self.slots) == 3:
            raise textual_timer.EventTargetGone  # how a timer ends when its target is gone


def ticks(run, monkeypatch, late: float) -> list[float]:
    clock = Clock()
    for module in (textual_timer, frame_timer):
        monkeypatch.setattr(module, "_time", clock)
        monkeypatch.setattr(module, "sleep", clock.sleep)
    timer = Ticking(clock, late)
    asyncio.run(run(timer))
    return timer.slots


@pytest.mark.parametrize("late", [1.5, 1.01, 2.9])
def test_after_a_late_tick_the_next_is_the_next_slots(monkeypatch, late: float):
    first, second, third = ticks(frame_timer._run, monkeypatch, late)
    assert 1.0 == first
    after = first + late  # when the first tick ended
    assert after < second <= after + INTERVAL  # the next slot after it ended
    assert second == int(second)  # on the grid
    assert second + INTERVAL == third


@pytest.mark.parametrize("late", [1.5, 1.01, 2.9])
def test_textuals_own_timer_waits_a_slot_more(monkeypatch, late: float):
    """What is mended: the same ticks through Textual 8's `_run`."""
    first, second, _ = ticks(TEXTUALS, monkeypatch, late)
    after = first + late
    assert after + INTERVAL < second <= after + 2 * INTERVAL


def test_a_timer_on_time_ticks_as_textuals_does(monkeypatch):
    assert [1.0, 2.0, 3.0] == ticks(frame_timer._run, monkeypatch, late=0.0)
    assert [1.0, 2.0, 3.0] == ticks(TEXTUALS, monkeypatch, late=0.0)


#: The SHA-256 of Textual 8.2.8's `Timer._run`, as `inspect.getsource` gives it.
TEXTUAL_8_2_8_RUN = "60c942a84c1a8765932ea4fe897d61a94d0a74dcd249ec0b4a6aad75757ade50"


def test_textuals_own_run_is_the_one_mended():
    """Fails once Textual's `_run` is another than the one `frame_timer._run` copies: then see
    whether the mend is still needed, and still right."""
    import hashlib
    import inspect

    assert TEXTUAL_8_2_8_RUN == hashlib.sha256(inspect.getsource(TEXTUALS).encode()).hexdigest()


async def test_the_explorer_runs_on_the_mended_timer(db: Path):
    """Fails if Textual's `_run` uses other names: then `mend` leaves it alone, and this module,
    its measurements and the mend itself are to be looked at again."""
    app = make_app(db)
    async with app.run_test():
        assert Timer._run is frame_timer._run
