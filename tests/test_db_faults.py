"""Broken, missing, locked or foreign databases: every command says so in one line, exit 2."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, old_schema_copy
from tui.app import make_app
from tui.schema import SCHEMA_VERSION


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _foreign(tmp: Path, db: Path) -> Path:
    path = tmp / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    return path


FAULTS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "missing": (lambda tmp, db: tmp / "missing.db", "database not found"),
    "empty": (lambda tmp, db: _write(tmp / "empty.db", b""), "database is empty"),
    "random bytes": (
        lambda tmp, db: _write(tmp / "noise.db", os.urandom(8192)),
        "not a SQLite database",
    ),
    "truncated": (
        lambda tmp, db: _write(tmp / "cut.db", db.read_bytes()[:8192]),
        "truncated or corrupt",
    ),
    "older schema": (
        old_schema_copy,
        f"has schema version 0, this lexpane reads version {SCHEMA_VERSION}",
    ),
    "not lexpane": (_foreign, "is not a lexpane database"),
    "a directory": (lambda tmp, db: tmp, "database path is a directory"),
}
COMMANDS = {
    "explorer": [],
    "search": ["search", "copyright"],
    "show": ["show", "kz.art23"],
    "diff": ["diff", "ru.labelling@earlier", "ru.labelling@revised"],
}


def run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "LEXPANE_DB"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True, text=True, cwd=REPO, env=environment, timeout=60,
    )  # fmt: skip


def assert_one_line_error(done: subprocess.CompletedProcess, message: str) -> None:
    assert 2 == done.returncode, done.stderr
    assert "" == done.stdout
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().split("\n")
    assert 1 == len(lines), done.stderr
    assert lines[0].startswith("lexpane") and ": error: " in lines[0]
    assert message in lines[0]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_bad_database_in_one_line(tmp_path, db, fault, command):
    make, message = FAULTS[fault]
    path = make(tmp_path, db)
    assert_one_line_error(run([*COMMANDS[command], "--db", str(path)]), message)


def test_the_environment_variable_is_checked_the_same_way(tmp_path):
    done = run(["search", "x"], env={"LEXPANE_DB": str(tmp_path / "gone.db")})
    assert_one_line_error(done, "database not found")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_locked_by_a_writer_is_reported(db, command):
    writer = sqlite3.connect(db)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("UPDATE meta SET value = value WHERE key = 'built_at'")
    try:
        done = run([*COMMANDS[command], "--db", str(db)])
    finally:
        writer.rollback()
        writer.close()
    assert_one_line_error(done, "is locked by another program")


def test_build_into_an_unwritable_folder_is_reported(content):
    try:  # /sys refuses new files even to root, on Linux
        Path("/sys/lexpane-probe").touch()
    except OSError:
        pass
    else:
        pytest.skip("needs a folder nobody can write to")
    assert_one_line_error(
        run(["build", "--content", str(content), "--db", "/sys/data.db"]), "cannot write in /sys"
    )


def test_bad_arguments_are_one_line_too():
    assert_one_line_error(run(["show"]), "the following arguments are required: id")
    assert_one_line_error(run(["search", "x", "--limit", "-3"]), "must be at least 1")


async def test_the_explorer_never_writes_to_its_database(tmp_path, db):
    folder = tmp_path / "readonly"
    folder.mkdir()
    copy = folder / "data.db"
    shutil.copy(db, copy)
    copy.chmod(0o444)
    before = copy.read_bytes()
    app = make_app(copy)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press(
            "j", "m", "2", "m", "d", "escape", "v", "escape", "s", "escape", "slash", *"copy"
        )
        await pilot.app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
    assert before == copy.read_bytes()
    assert ["data.db"] == sorted(p.name for p in folder.iterdir())
