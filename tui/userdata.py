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
#: The notes file's own schema version, kept in its meta table; a file of another is set aside.
NOTES_SCHEMA_VERSION = 1
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS bookmarks (provision_id TEXT PRIMARY KEY, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes (provision_id TEXT PRIMARY KEY, text TEXT NOT NULL, updated TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('schema_version', '{NOTES_SCHEMA_VERSION}');
"""


class _SetAside(sqlite3.DatabaseError):
    """The notes file is whole but not one this lexpane can use: `reason` says whose it is."""

    def __init__(self, reason: str, tag: str) -> None:
        super().__init__(reason)
        self.reason = reason
        #: in the name the file is set aside under: notes.db.<tag>-<time>
        self.tag = tag


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite's complaint is about the file's contents (rather than a lock or access)."""
    reason = str(exc).lower()
    return any(
        word in reason for word in ("not a database", "malformed", "quick_check", "encrypted")
    )


def _check_schema(conn: sqlite3.Connection) -> None:
    """Raise _SetAside unless the file is new or a lexpane notes file of this schema version."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return  # a new file
    if not {"meta", "bookmarks", "notes"} <= tables:
        raise _SetAside("is not a lexpane notes file (another program's database?)", "foreign")
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:  # a meta table of another shape
        row = None
    found = str(row[0]) if row else None
    if found == str(NOTES_SCHEMA_VERSION):
        return
    if found is not None and found.isdigit() and int(found) > NOTES_SCHEMA_VERSION:
        raise _SetAside(
            f"is from a newer lexpane (notes schema version {found}; this one reads "
            f"{NOTES_SCHEMA_VERSION})",
            f"v{found}",
        )
    raise _SetAside(
        f"has notes schema version {found or 'unknown'}, not {NOTES_SCHEMA_VERSION}", "other"
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

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        recovered_from: Path | None = None,
        set_aside_reason: str = "was damaged",
    ):
        self.conn = conn
        self.path = path
        #: where a notes file that could not be used (damaged, or of another schema or program)
        #: was set aside on opening, if one was
        self.recovered_from = recovered_from
        #: why it was set aside ("was damaged", "is from a newer lexpane …")
        self.set_aside_reason = set_aside_reason

    @property
    def set_aside_message(self) -> str | None:
        """One line saying that the notes file was set aside, where and why; None if not."""
        if self.recovered_from is None:
            return None
        return (
            f"Your notes file {self.set_aside_reason}: it was kept as {self.recovered_from} "
            "and a new one started."
        )

    @classmethod
    def open(cls, path: Path | None = None) -> UserData:
        """Open (or create) the notes file. One that is damaged, of another notes schema version or
        of another program is set aside (`recovered_from`, `set_aside_message`), never deleted.

        Raises:
            LexpaneError: the data folder cannot be created or written.
        """
        path = path or data_dir() / FILE_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LexpaneError(f"cannot create {path.parent} for notes: {exc.strerror}") from None
        set_aside, reason = None, "was damaged"
        try:
            try:
                conn = cls._connect(path)
            except sqlite3.DatabaseError as exc:
                tag = "damaged"
                if isinstance(exc, _SetAside):
                    reason, tag = exc.reason, exc.tag
                elif not _damaged(exc):  # locked, unreadable: not the file's fault, leave it be
                    raise LexpaneError(f"cannot open notes {path}: {exc}") from None
                set_aside = path.with_name(f"{path.name}.{tag}-{dt.datetime.now():%Y%m%d-%H%M%S}")
                os.replace(path, set_aside)
                for suffix in ("-wal", "-shm"):
                    side = path.with_name(path.name + suffix)
                    if side.exists():
                        os.replace(side, set_aside.with_name(set_aside.name + suffix))
                conn = cls._connect(path)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise LexpaneError(f"cannot open notes {path}: {exc}") from None
        return cls(conn, path, set_aside, reason)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=2, isolation_level=None, check_same_thread=False)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            _check_schema(conn)  # before the first write: a file not ours is left as it is
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
