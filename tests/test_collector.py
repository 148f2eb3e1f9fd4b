"""Full garbage collections wait for a pause in the typing, and Python's own rule comes back."""

from __future__ import annotations

import gc

from tui import collector
from tui.collector import Collector


def test_a_full_collection_waits_for_a_pause_once_due():
    now = [100.0]
    thresholds = gc.get_threshold()
    keeper = Collector(clock=lambda: now[0])
    keeper.start()
    try:
        assert collector.LATEST == gc.get_threshold()[2]
        gc.collect()
        assert not keeper.tick()  # nothing due
        for _ in range(collector.DUE):
            gc.collect(1)  # each counts towards a full collection
        keeper.key()
        now[0] += collector.PAUSE / 2
        assert not keeper.tick()  # due, but a key came just now
        assert gc.get_count()[2] >= collector.DUE
        now[0] += collector.PAUSE
        assert keeper.tick()  # due, and a pause
        assert gc.get_count()[2] < collector.DUE
        assert not keeper.tick()  # done: not again until due again
    finally:
        keeper.stop()
    assert thresholds == gc.get_threshold()
