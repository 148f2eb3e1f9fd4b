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


def test_an_explorer_process_collects_nothing_until_started_and_walks_nothing_at_its_end():
    assert gc.isenabled()
    try:
        with collector.explorer_process():
            assert not gc.isenabled()  # start-up: imports, styles, widgets
            collector.started()  # the first frame
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up's objects are kept from the collector
            gc.unfreeze()  # as the explorer does when it exits
            made_since = [[] for _ in range(100)]  # what the session made: tracked, not frozen
            assert gc.is_tracked(made_since) and 0 == gc.get_freeze_count()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # the process ends: its teardown walks none of it
    finally:
        gc.unfreeze()
        gc.enable()


def test_an_explorer_process_that_fails_to_start_collects_again():
    try:
        with collector.explorer_process():
            raise RuntimeError("no first frame")
    except RuntimeError:
        pass
    try:
        assert gc.isenabled()
        collector.started()  # a later explorer in this process, started without one
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_an_explorer_process_leaves_collection_off_if_it_found_it_off():
    gc.disable()
    try:
        with collector.explorer_process():
            collector.started()
            assert not gc.isenabled()  # not this module's to turn on
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_what_start_up_threw_away_is_collected_not_frozen():
    import weakref

    class Node:
        pass

    try:
        with collector.explorer_process():
            node = Node()
            node.me = node  # a cycle: only the collector frees it
            gone = weakref.ref(node)
            del node
            assert gone() is not None  # nothing collected while starting
            collector.started()
            assert gone() is None  # collected, not frozen for good
    finally:
        gc.unfreeze()
        gc.enable()
