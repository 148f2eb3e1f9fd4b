"""Bookmarks and notes: kept apart from data.db, durable through crashes, never silently lost."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import OptionList, TextArea

from tests.conftest import REPO
from tui.app import make_app
from tui.errors import LexpaneError
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.note import NoteScreen
from tui.userdata import FILE_NAME, UserData
from tui.widgets.reading import Reading


def test_bookmarks_and_notes_round_trip(user_data_dir: Path):
    data = UserData.open()
    assert user_data_dir / FILE_NAME == data.path
    assert data.toggle_bookmark("kz.art23") is True
    data.save_note("kz.art23", "Compare with the Russian revision.")
    data.save_note("ru.labelling", "Obligation became an option.")
    data.close()
    again = UserData.open()
    assert ["kz.art23"] == again.bookmarks()
    assert "Compare with the Russian revision." == again.note("kz.art23")
    assert again.toggle_bookmark("kz.art23") is False
    again.save_note("ru.labelling", "   ")  # blank deletes
    assert ([], ["kz.art23"]) == (again.bookmarks(), [n.provision_id for n in again.notes()])


def test_a_damaged_notes_file_is_set_aside_not_deleted(user_data_dir: Path):
    user_data_dir.mkdir(parents=True)
    damaged = user_data_dir / FILE_NAME
    damaged.write_bytes(b"this is not a database" * 100)
    data = UserData.open()
    assert data.recovered_from is not None
    assert data.recovered_from.read_bytes() == b"this is not a database" * 100
    assert data.recovered_from.name.startswith("notes.db.damaged-")
    data.save_note("kz.art23", "fresh start")
    assert "fresh start" == data.note("kz.art23")


def test_a_locked_notes_file_is_reported_and_left_in_place(user_data_dir: Path):
    user_data_dir.mkdir(parents=True)
    path = user_data_dir / FILE_NAME
    holder = sqlite3.connect(path)
    holder.execute("CREATE TABLE t (x)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LexpaneError, match="cannot open notes .*locked"):
            UserData.open()
    finally:
        holder.rollback()
        holder.close()
    assert [FILE_NAME] == sorted(p.name for p in user_data_dir.iterdir())


WRITER = """
import sys
from pathlib import Path
from tui.userdata import UserData
data = UserData.open(Path(sys.argv[1]))
n = 0
while True:
    data.save_note(f"provision-{n}", f"note {n} " + "x" * 4000)
    data.toggle_bookmark(f"provision-{n}")
    print(n, flush=True)  # only after the note and bookmark are committed
    n += 1
"""


@pytest.mark.parametrize("kill_after", [1, 37, 150])
def test_a_process_killed_mid_write_loses_no_saved_note(tmp_path: Path, kill_after: int):
    path = tmp_path / "notes.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    saved = []
    for line in writer.stdout:
        saved.append(int(line))
        if len(saved) > kill_after:
            break
    writer.send_signal(signal.SIGKILL)  # while it is writing the next one
    writer.wait(timeout=30)
    data = UserData.open(path)
    assert data.recovered_from is None
    assert "ok" == data.conn.execute("PRAGMA integrity_check").fetchone()[0]
    notes = {n.provision_id: n.text for n in data.notes()}
    for n in saved:
        assert notes[f"provision-{n}"].startswith(f"note {n} ")
        assert data.is_bookmarked(f"provision-{n}")


def test_user_data_never_touches_data_db(db: Path, user_data_dir: Path):
    before = db.read_bytes()
    data = UserData.open()
    data.toggle_bookmark("kz.art23")
    assert before == db.read_bytes()
    assert user_data_dir in data.path.parents
    assert {"data.db", "content", "user-data"} >= {p.name for p in db.parent.iterdir()}


async def test_bookmark_and_note_survive_a_restart(db: Path):
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("b", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one(TextArea).insert("Obligation became an option.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is app.compare
    # A new process would start just like this: a new app on the same folders.
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        pane = app.compare.query_one("#pane-ru-ai", OptionList)
        assert str(pane.get_option_at_index(0).prompt).startswith("★ ✎ Labelling")
        assert (
            "**Your note**\n\nObligation became an option." in app.compare.query_one(Reading).source
        )
        await pilot.press("3", "B")
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        assert ["ru.labelling"] == [o.id for o in app.screen.query_one(OptionList).options]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.compare and "ru.labelling" == app.compare.current


async def test_damaged_notes_file_is_reported_in_the_app(db: Path, user_data_dir: Path):
    user_data_dir.mkdir(parents=True)
    (user_data_dir / FILE_NAME).write_bytes(b"\x00garbage" * 64)
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Your notes file was damaged: it was kept as" in m for m in messages)
    assert len(list(user_data_dir.glob("notes.db.damaged-*"))) == 1


def test_notes_command_exports_json(db: Path, cli):
    data = UserData.open()
    data.toggle_bookmark("kz.art23")
    data.save_note("ru.labelling", "Obligation became an option.")
    data.close()
    code, out, _ = cli("notes", "--json", "--db", db)
    assert 0 == code
    exported = json.loads(out)
    assert [{"provision_id": "kz.art23", "heading": "Human creative contribution"}] == exported[
        "bookmarks"
    ]
    [note] = exported["notes"]
    assert ("ru.labelling", "Obligation became an option.") == (note["provision_id"], note["text"])
    code, out, _ = cli("notes", "--db", db)
    assert "★ kz.art23  Human creative contribution" in out


def test_notes_survive_a_rebuild_of_the_database(content: Path, db: Path, cli):
    UserData.open().save_note("kz.art23", "kept")
    assert 0 == cli("build", "--content", content, "--db", db)[0]
    assert "kept" == UserData.open().note("kz.art23")
    conn = sqlite3.connect(db)
    assert (
        []
        == conn.execute(
            "SELECT name FROM sqlite_master WHERE name IN ('notes', 'bookmarks')"
        ).fetchall()
    )


def test_a_notes_file_from_a_newer_lexpane_is_set_aside_and_said(user_data_dir: Path):
    data = UserData.open()
    data.save_note("kz.art23", "written by a newer lexpane")
    data.conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    data.close()
    again = UserData.open()
    assert again.recovered_from is not None
    assert again.recovered_from.name.startswith("notes.db.v2-")
    assert again.set_aside_message == (
        "Your notes file is from a newer lexpane (notes schema version 2; this one reads 1): "
        f"it was kept as {again.recovered_from} and a new one started."
    )
    kept = sqlite3.connect(again.recovered_from)
    assert [("kz.art23", "written by a newer lexpane")] == kept.execute(
        "SELECT provision_id, text FROM notes"
    ).fetchall()
    kept.close()
    assert [] == again.notes()
    again.save_note("kz.art23", "fresh start")
    assert "fresh start" == again.note("kz.art23")


def test_a_notes_file_of_another_program_is_set_aside_untouched(user_data_dir: Path):
    user_data_dir.mkdir(parents=True)
    other = sqlite3.connect(user_data_dir / FILE_NAME)
    other.execute("CREATE TABLE inventory (item TEXT, count INTEGER)")
    other.execute("INSERT INTO inventory VALUES ('widgets', 3)")
    other.commit()
    other.close()
    before = (user_data_dir / FILE_NAME).read_bytes()
    data = UserData.open()
    assert data.recovered_from is not None
    assert data.recovered_from.name.startswith("notes.db.foreign-")
    assert before == data.recovered_from.read_bytes()  # not even switched to WAL
    assert "is not a lexpane notes file" in data.set_aside_message
    assert [] == data.bookmarks()


async def test_a_notes_file_set_aside_is_said_in_the_app(db: Path, user_data_dir: Path):
    data = UserData.open()
    data.conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    data.close()
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    [kept] = user_data_dir.glob("notes.db.v7-*")
    assert (
        f"Your notes file is from a newer lexpane (notes schema version 7; this one reads 1): "
        f"it was kept as {kept} and a new one started."
    ) in messages


def test_notes_and_export_say_when_they_set_a_notes_file_aside(db: Path, cli):
    for command in (("notes",), ("export", "--topic", "camcording")):
        data = UserData.open()
        data.conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
        data.conn.commit()
        data.close()
        code, _, err = cli(*command, "--db", db)
        assert 0 == code
        assert err.startswith("lexpane: warning: Your notes file is from a newer lexpane"), err
        assert 1 == len(err.strip().splitlines())
