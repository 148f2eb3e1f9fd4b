"""Fixtures: a small real content folder, and a real data.db built from it by the real build code."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tui.build import build
from tui.cli import main
from tui.store import Store

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content"


@pytest.fixture(autouse=True)
def user_data_dir(tmp_path: Path, monkeypatch) -> Path:
    """Bookmarks, notes and exports of every test go to folders of its own, never the real ones."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("LEXPANE_DATA_DIR", str(folder))
    monkeypatch.setenv("LEXPANE_EXPORT_DIR", str(tmp_path / "exports"))
    return folder


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the fixture content, free to break."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def db(tmp_path: Path, content: Path) -> Path:
    path = tmp_path / "data.db"
    build(content, path)
    return path


@pytest.fixture
def store(db: Path):
    with Store.open(db) as opened:
        yield opened


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `lexpane ARGS...` through its entry point: (exit status, stdout, stderr)."""
    monkeypatch.delenv("LEXPANE_DB", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's own exits (usage errors, --help)
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def sqlite_file(path: Path, *statements: str) -> Path:
    """The SQLite file at `path` (made if missing), changed by SQL `statements`."""
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
    return path


def rows(db: Path, *statements: str) -> list[tuple]:
    """The rows the last of `statements` gives, after the others ran, on `db`."""
    conn = sqlite3.connect(db)
    try:
        for sql in statements[:-1]:
            conn.execute(sql)
        return conn.execute(statements[-1]).fetchall()
    finally:
        conn.close()


def altered_copy(db: Path, to: Path, *statements: str) -> Path:
    """A copy of `db` at `to`, changed by SQL `statements`: a database lexpane must meet."""
    shutil.copy(db, to)
    return sqlite_file(to, *statements)


def old_schema_copy(tmp: Path, db: Path) -> Path:
    """A copy of `db` that says it has schema version 0."""
    return altered_copy(
        db, tmp / "old.db", "UPDATE meta SET value = '0' WHERE key = 'schema_version'"
    )
