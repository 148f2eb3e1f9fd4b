"""Where lexpane finds its database and its content when not told, and what a build may replace."""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows, which will not delete a file that a build holds open anyway
    fcntl = None  # type: ignore[assignment]

PACKAGE_DIR = Path(__file__).resolve().parent
#: A checkout keeps data.db and content/ beside the package; a wheel carries data.db inside it.
CHECKOUT_DIR = PACKAGE_DIR.parent
ENV_DB = "LEXPANE_DB"
#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def default_db() -> Path:
    """The database to read: $LEXPANE_DB, else the bundled data.db."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    bundled = PACKAGE_DIR / "data.db"
    if bundled.exists():
        return bundled
    return CHECKOUT_DIR / "data.db"


def default_build_db(content: Path) -> Path:
    """The database `lexpane build` writes: $LEXPANE_DB, else data.db beside the content folder."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    return content.resolve().parent / "data.db"


def default_content() -> Path:
    """The content folder: ./content if there is one, else the checkout's."""
    here = Path("content")
    if here.is_dir():
        return here
    return CHECKOUT_DIR / "content"


def is_lexpane_database(path: Path) -> bool:
    """Whether `path` is an SQLite file with lexpane's `meta` table (of any schema version).

    Only reads it: the header, then one query on a read-only connection.
    """
    import sqlite3

    try:
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
    except OSError:
        return False
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None


def temporary_prefix(target: Path) -> str:
    """How the temporary files of a build of `target` begin (they end in `.tmp`), beside it."""
    return f".{target.name}."


def mark_in_use(fd: int) -> None:
    """Lock a build's temporary file, open as `fd`, so that other builds leave it alone."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a file system without locks: the build goes on, its file unmarked
            pass


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete the temporary files that builds of `target` killed midway left beside it.

    A build holds a lock on its temporary file (which the system releases when the process
    dies), so a file whose lock can be taken belongs to no running build.

    Returns:
        The files deleted.
    """
    prefix = temporary_prefix(target)
    try:
        entries = [e for e in os.scandir(target.parent) if e.name.startswith(prefix)]
    except OSError:
        return []
    removed = []
    for entry in entries:
        if entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
            if _unlink_if_abandoned(Path(entry.path)):
                removed.append(Path(entry.path))
    return removed


def _unlink_if_abandoned(path: Path) -> bool:
    if fcntl is None:
        try:
            path.unlink()
        except OSError:
            return False
        return True
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path.unlink()
    except OSError:  # locked: a build is writing it (or it is gone already)
        return False
    finally:
        os.close(fd)
    return True
