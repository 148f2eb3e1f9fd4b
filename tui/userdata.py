"""The researcher's own data: bookmarks and notes, in a SQLite file of their own, never in data.db."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tui.errors import LexpaneError

ENV_DATA_DIR = "LEXPANE_DATA_DIR"
FILE_NAME = "notes.db"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS bookmarks (provision_id TEXT PRIMARY KEY, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes (provision_id TEXT PRIMARY KEY, text TEXT NOT NULL, updated TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');
"""


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite's complaint is about the file's contents (rather than a lock or access)."""
    reason = str(exc).lower()
    return any(
        word in reason for word in ("not a database", "malformed", "quick_check", "encrypted")
    )


def data_dir() -> Path:
    """Where lexpane keeps what the person saves: $LEXPANE_DATA_DIR, else the platform's place."""
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    return Path(platformdirs.user_data_dir("lexpane", appauthor=False))


@dataclass(frozen=True)
class Note:
    provision_id: str
    text: str
    updated: str


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class UserData:
    """Bookmarks and notes keyed by provision id, so they survive a rebuild of data.db.

    Every write is its own transaction, in WAL mode with full sync: a crash, even mid-write, never
    loses a note that was reported saved, nor damages the others.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, recovered_from: Path | None = None):
        self.conn = conn
        self.path = path
        #: where a damaged notes file was set aside on opening, if one was
        self.recovered_from = recovered_from

    @classmethod
    def open(cls, path: Path | None = None) -> UserData:
        """Open (or create) the notes file; a damaged one is set aside, never deleted.

        Raises:
            LexpaneError: the data folder cannot be created or written.
        """
        path = path or data_dir() / FILE_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LexpaneError(f"cannot create {path.parent} for notes: {exc.strerror}") from None
        set_aside = None
        try:
            try:
                conn = cls._connect(path)
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):  # locked, unreadable: not the file's fault, leave it be
                    raise LexpaneError(f"cannot open notes {path}: {exc}") from None
                set_aside = path.with_name(f"{path.name}.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}")
                os.replace(path, set_aside)
                for suffix in ("-wal", "-shm"):
                    side = path.with_name(path.name + suffix)
                    if side.exists():
                        os.replace(side, set_aside.with_name(set_aside.name + suffix))
                conn = cls._connect(path)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise LexpaneError(f"cannot open notes {path}: {exc}") from None
        return cls(conn, path, set_aside)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=2, isolation_level=None, check_same_thread=False)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        self.conn.close()

    def _write(self, sql: str, params: tuple) -> None:
        try:
            with self.conn:  # rolls back if anything below fails
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.execute(sql, params)
                self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise LexpaneError(f"could not save to {self.path}: {exc}") from None

    # -- bookmarks --------------------------------------------------------------------------

    def bookmarks(self) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT provision_id FROM bookmarks ORDER BY created, provision_id"
            )
        ]

    def is_bookmarked(self, provision_id: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM bookmarks WHERE provision_id = ?", (provision_id,)
            ).fetchone()
            is not None
        )

    def toggle_bookmark(self, provision_id: str) -> bool:
        """Bookmark a provision, or remove its bookmark; True if it is now bookmarked."""
        if self.is_bookmarked(provision_id):
            self._write("DELETE FROM bookmarks WHERE provision_id = ?", (provision_id,))
            return False
        self._write("INSERT INTO bookmarks VALUES (?, ?)", (provision_id, _now()))
        return True

    # -- notes ------------------------------------------------------------------------------

    def notes(self) -> list[Note]:
        return [
            Note(*row)
            for row in self.conn.execute(
                "SELECT provision_id, text, updated FROM notes ORDER BY updated, provision_id"
            )
        ]

    def note(self, provision_id: str) -> str:
        row = self.conn.execute(
            "SELECT text FROM notes WHERE provision_id = ?", (provision_id,)
        ).fetchone()
        return row[0] if row else ""

    def save_note(self, provision_id: str, text: str) -> None:
        """Save (or, given blank text, delete) the note on a provision."""
        if text.strip():
            self._write(
                "INSERT INTO notes VALUES (?, ?, ?) ON CONFLICT(provision_id) DO UPDATE "
                "SET text = excluded.text, updated = excluded.updated",
                (provision_id, text, _now()),
            )
        else:
            self._write("DELETE FROM notes WHERE provision_id = ?", (provision_id,))
