"""The look of each screen at fixed sizes, on the fixture database (pytest-textual-snapshot).

Update after an intended change with `pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

from tui.app import make_app


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_compare_wide(snap_compare, db: Path):
    assert snap_compare(make_app(db), terminal_size=(120, 35), press=["j", "j"], run_before=_settle)


def test_compare_80x24(snap_compare, db: Path):
    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=_settle)


def test_topic_filter_with_silence(snap_compare, db: Path):
    press = ["f", "down", "down", "down", "down", "down", "down", "enter"]
    assert snap_compare(make_app(db), terminal_size=(120, 35), press=press, run_before=_settle)


def test_search_results(snap_compare, db: Path):
    async def search(pilot):
        await pilot.press("slash", *"copyright")
        await _settle(pilot)

    assert snap_compare(make_app(db), terminal_size=(100, 30), run_before=search)


def test_diff_side_by_side(snap_compare, db: Path):
    assert snap_compare(make_app(db), terminal_size=(100, 24), press=["v"], run_before=_settle)


def test_diff_inline(snap_compare, db: Path):
    assert snap_compare(make_app(db), terminal_size=(100, 24), press=["v", "i"], run_before=_settle)


def test_source(snap_compare, db: Path):
    assert snap_compare(make_app(db), terminal_size=(100, 24), press=["s", "n"], run_before=_settle)


def test_help(snap_compare, db: Path):
    assert snap_compare(
        make_app(db), terminal_size=(100, 40), press=["question_mark"], run_before=_settle
    )
