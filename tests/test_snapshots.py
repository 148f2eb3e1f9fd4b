"""The look of each screen at fixed sizes, on the fixture database (pytest-textual-snapshot).

Update after an intended change with `pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from tui.app import make_app
from tui.userdata import UserData


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


def test_matrix(snap_compare, db: Path):
    assert snap_compare(make_app(db), terminal_size=(120, 35), press=["g"], run_before=_settle)


def test_matrix_80x24(snap_compare, db: Path):
    assert snap_compare(make_app(db), terminal_size=(80, 24), press=["g"], run_before=_settle)


def test_timeline_as_of_a_day(snap_compare, db: Path):
    # The day is typed, as a person sets it: the default, today, would change the screen daily.
    async def as_of(pilot):
        await pilot.press("t", "a", "ctrl+a", "ctrl+k", *"2026-02-01", "enter")
        await _settle(pilot)

    assert snap_compare(make_app(db), terminal_size=(120, 35), run_before=as_of)


def _saved_in_a_fixed_place(tmp_path: Path, monkeypatch) -> None:
    """A bookmark and a note, kept in a folder named the same on every run (the screen shows it)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEXPANE_DATA_DIR", "user-data")
    data = UserData.open()
    data.toggle_bookmark("kz.art23")
    data.save_note("ru.labelling", "Obligation became an option.")
    data.close()


def test_note_editor(snap_compare, db: Path, tmp_path: Path, monkeypatch):
    _saved_in_a_fixed_place(tmp_path, monkeypatch)

    async def note(pilot):
        await _settle(pilot)
        await pilot.press("n")
        # A blinking cursor would be caught on or off at random.
        pilot.app.screen.query_one(TextArea).cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(db), terminal_size=(120, 35), run_before=note)


def test_bookmarks(snap_compare, db: Path, tmp_path: Path, monkeypatch):
    _saved_in_a_fixed_place(tmp_path, monkeypatch)
    assert snap_compare(make_app(db), terminal_size=(120, 35), press=["B"], run_before=_settle)


def test_diff_inline_without_colour(snap_compare, db: Path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(db), terminal_size=(120, 35), press=["v", "i"], run_before=_settle)
