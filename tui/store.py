"""Read-only access to data.db: the questions the explorer and the command line ask."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import stat
import struct
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui.dates import EventDate
from tui.errors import NotFound, StoreError
from tui.records import (
    ClaimRecord,
    InstrumentRecord,
    LinkRecord,
    ProvisionRecord,
    ProvisionSummary,
    QuoteRecord,
    RegimeRecord,
    Related,
    SourceRecord,
    TopicRecord,
    VersionRecord,
)
from tui.safe import clean
from tui.schema import SCHEMA_VERSION, TABLES

REBUILD_HINT = "rebuild it with `lexpane build --full` or point --db at a lexpane database"
#: Seconds to wait for another program's write lock before saying the database is locked.
LOCK_WAIT = 1.0
#: Seconds the first questions asked of a file may take: a foreign file (a view that recurses
#: forever, say) is refused rather than left to hang.
OPEN_BUDGET = 2.0
#: SQLite's page cache for the store, in KiB (SQLite's default is 2,000). At 100,000 provisions,
#: `search.find` for every prefix of the bench's typed queries took as long with 1,024 (median
#: 4.9 ms, p95 15.0 either way), and the explorer's peak memory is a MiB lower; with 512 searches
#: were 5-8 % slower.
CACHE_KIB = 1024
#: Tables (not views) a lexpane database has, the full-text index included.
REQUIRED_TABLES = (*TABLES, "provisions_fts")

#: What identifies the file open at a path: a rebuild renames a new file into place (new inode),
#: a file written over in place changes size or modification time.
Identity = tuple[int, int, int, int]


def _identity(info: os.stat_result) -> Identity:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class Interrupted(StoreError):
    """A query stopped because the work it was for was cancelled (a newer search superseded it)."""


def _read_only_location(path: Path) -> bool:
    """Whether SQLite could not create a file beside `path` (a read-only mount or folder)."""
    folder = path.resolve().parent
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def explain(exc: sqlite3.DatabaseError, path: Path) -> str:
    """One line on what is wrong with the database and what to do."""
    reason = str(exc)
    code = getattr(exc, "sqlite_errorname", "")
    # A lock met while SQLite first reads the full-text index says "vtable constructor failed".
    if "locked" in reason or "busy" in reason or code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return f"database {path} is locked by another program: close it (or wait for a build) and try again"
    if "no such table" in reason:
        return f"{path} is not a lexpane database ({reason}; {REBUILD_HINT})"
    writes = code.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) or "readonly" in reason
    if writes and _read_only_location(path):
        return (
            f"database {path} is on a read-only location and SQLite would need to write beside "
            f"it to read it ({reason}): copy it to a writable folder and open the copy"
        )
    if code == "SQLITE_READONLY_ROLLBACK":
        return (
            f"database {path} was left half-written by another program (its {path.name}-journal "
            f"is beside it), which a read-only reader cannot undo: {REBUILD_HINT}"
        )
    if "readonly" in reason or "read-only" in reason:
        return f"database {path} cannot be written: lexpane opens it read-only ({reason})"
    return f"database {path} cannot be read: {reason} ({REBUILD_HINT})"


def _check_header(path: Path) -> Identity:
    """Cheap checks before SQLite sees the file: it exists, is a regular file (a FIFO would block
    the read), is SQLite in a journal mode a reader need not write beside, and is not cut short.

    Returns:
        The identity of the file checked.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise StoreError(f"database not found: {path} ({REBUILD_HINT})") from None
    except OSError as exc:
        raise StoreError(
            f"cannot read database {path}: {exc.strerror} (check its permissions)"
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"database path is a directory: {path} (point --db at a data.db file)")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(
            f"database path is not a regular file: {path} (a pipe, socket or device; "
            "point --db at a data.db file)"
        )
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise StoreError(
            f"cannot read database {path}: {exc.strerror} (check its permissions)"
        ) from None
    size = info.st_size
    if size == 0:
        raise StoreError(f"database is empty: {path} ({REBUILD_HINT})")
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise StoreError(f"not a SQLite database: {path} ({REBUILD_HINT})")
    if 2 in header[18:20]:
        # Reading a WAL database makes SQLite create -wal and -shm files beside it (and fail
        # where it cannot): lexpane writes nothing next to the database it reads.
        if _read_only_location(path):
            raise StoreError(
                f"database {path} is in WAL mode and on a read-only location: SQLite cannot read "
                "it without writing beside it (copy it to a writable folder and there run "
                "`sqlite3 data.db 'PRAGMA journal_mode=DELETE'`)"
            )
        raise StoreError(
            f"database {path} is in WAL mode, which SQLite cannot read without writing beside "
            f"it: set it back with `sqlite3 {path} 'PRAGMA journal_mode=DELETE'`, or {REBUILD_HINT}"
        )
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", header[28:32])[0]
    if pages and size < page_size * pages:
        raise StoreError(f"database is truncated or corrupt: {path} ({REBUILD_HINT})")
    return _identity(info)


def _connect(path: Path) -> tuple[sqlite3.Connection, dict[str, str], Identity]:
    """A read-only connection to `path`, once it is known to be a lexpane store of this schema.

    Returns:
        The connection, the store's meta table and the identity of the file.
    Raises:
        StoreError: missing, unreadable, corrupt, foreign, or of another schema version.
    """
    identity = _check_header(path)
    uri = path.resolve().as_uri() + "?mode=ro"
    conn: sqlite3.Connection | None = None
    try:
        # A short wait: a reader should say "locked" soon rather than hang.
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=LOCK_WAIT)
        conn.row_factory = _clean_row
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        deadline = time.monotonic() + OPEN_BUDGET
        conn.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        kinds = dict(
            conn.execute(
                "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
            ).fetchall()
        )
        if kinds.get("meta") != "table":
            raise StoreError(
                f"{path} is not a lexpane database (it has no meta table; {REBUILD_HINT})"
            )
        meta = {
            str(key): str(value)
            for key, value in conn.execute("SELECT key, value FROM meta LIMIT 100").fetchall()
        }
        found = meta.get("schema_version")
        if found != str(SCHEMA_VERSION):
            raise StoreError(
                f"database {path} has schema version {found or 'unknown'}, this lexpane reads "
                f"version {SCHEMA_VERSION} ({REBUILD_HINT})"
            )
        missing = [name for name in REQUIRED_TABLES if kinds.get(name) != "table"]
        if missing:
            raise StoreError(
                f"{path} is not a lexpane database (it has no table {missing[0]}; {REBUILD_HINT})"
            )
        conn.set_progress_handler(None, 0)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        if "interrupted" in str(exc):
            raise StoreError(
                f"database {path} took over {OPEN_BUDGET:g} s to answer its first questions: "
                f"it is not a lexpane database, or it is damaged ({REBUILD_HINT})"
            ) from None
        raise StoreError(explain(exc, path)) from None
    except StoreError:
        if conn is not None:
            conn.close()
        raise
    return conn, meta, identity


#: Provisions of another regime shown as sharing a topic with the current one, per regime.
SHARED_TOPIC_LIMIT = 25
SUMMARY_COLUMNS = (
    "p.id, p.regime, p.instrument, p.version, p.number, p.heading, p.status, p.evidence, "
    # The first dated event, said as a reader should take it ("2026-09-01 expected").
    "(SELECT date || CASE WHEN kind = 'happened' THEN '' ELSE ' ' || kind END FROM dates d "
    "WHERE d.owner_type = 'provision' AND d.owner_id = p.id ORDER BY date LIMIT 1) AS date, "
    "p.conflict IS NOT NULL AS disagree, "
    # How many versions the provision has (the Russian bill's drafts): `v` compares them.
    "(SELECT count(*) FROM provision_versions v WHERE v.provision_id = p.id) AS versions"
)


_SUMMARY_FIELDS = tuple(f.name for f in dataclasses.fields(ProvisionSummary))


def summary(row: sqlite3.Row) -> ProvisionSummary:
    """A list row read with SUMMARY_COLUMNS."""
    values = {f: row[f] for f in _SUMMARY_FIELDS}
    return ProvisionSummary(**{**values, "disagree": bool(values["disagree"])})


def _clean_row(cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
    """A row with every string cleaned of control characters: a database built elsewhere is not
    trusted to hold only what `lexpane check` lets through."""
    return sqlite3.Row(cursor, tuple(clean(v) if isinstance(v, str) else v for v in row))


@dataclasses.dataclass
class _Cache:
    """What the store keeps once read: it holds while the same file is open."""

    regimes: list[RegimeRecord] | None = None
    source_heads: dict[str, SourceRecord] | None = None
    instruments: dict[str, InstrumentRecord] = dataclasses.field(default_factory=dict)
    topics: list[TopicRecord] | None = None
    memo: dict[str, Any] = dataclasses.field(default_factory=dict)


class Store:
    """A read-only view of the data.db at one path, for every screen of the app.

    `lexpane build` replaces data.db by renaming a new file into place, while the explorer may be
    open: `refresh` notices that the file at the path is no longer the one open and reopens it.
    Queries are one at a time; work that runs in a thread (a search) marks its queries with
    `job`, so that `cancel` stops the one running in SQLite and never another's.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        meta: dict[str, str] | None = None,
        identity: Identity | None = None,
    ):
        self.conn = conn
        self.path = path
        #: Counts the reopenings on a file of other content: a screen that showed an earlier
        #: generation reloads.
        self.generation = 0
        self._meta = meta or {}
        self._identity = identity
        # One query at a time, and never a close during one: a search worker thread may be
        # mid-query when its screen goes away.
        self._lock = threading.Lock()
        # Guards which job's statement is running, so that an interrupt reaches only that one.
        self._state = threading.Lock()
        self._jobs: set[Hashable] = set()
        self._cancelled: set[Hashable] = set()
        self._running: Hashable | None = None
        self._local = threading.local()
        self._closed = False
        self._cache = _Cache()
        self._watch(conn)

    def _watch(self, conn: sqlite3.Connection) -> None:
        """Let SQLite stop a cancelled job's statement by itself, every few thousand steps: an
        `interrupt()` sent just before a statement starts would be lost."""
        conn.set_progress_handler(self._stopped, 1000)

    def _stopped(self) -> bool:
        running = self._running
        return running is not None and running in self._cancelled

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """A value worked out once per open file (it is read-only), e.g. a vocabulary."""
        cache = self._cache
        if key not in cache.memo:
            cache.memo[key] = make()
        return cache.memo[key]

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open `path` read-only and make sure it is a lexpane store of this schema version.

        Raises:
            StoreError: missing, unreadable, corrupt, foreign, or of another schema version.
        """
        path = Path(path)
        conn, meta, identity = _connect(path)
        return cls(conn, path, meta, identity)

    def refresh(self) -> bool:
        """Reopen the store if the file at its path is no longer the one open (one `os.stat`
        when it is): a rebuild renamed a new file into place, or the file was written over.

        Returns:
            True if the store now holds other content (read it again); False if not.
        Raises:
            StoreError: the file now at the path cannot be read; the store stays as it was and
                the next `refresh` tries again.
        """
        try:
            now: Identity | None = _identity(os.stat(self.path))
        except OSError:
            now = None
        if now is not None and now == self._identity:
            return False
        conn, meta, identity = _connect(self.path)
        changed = any(meta.get(k) != self._meta.get(k) for k in ("content_hash", "built_at"))
        with self._lock:
            if self._closed:
                conn.close()
                raise StoreError(f"database {self.path} is closed")
            self._watch(conn)
            old, self.conn = self.conn, conn
            self._meta, self._identity = meta, identity
            if changed:
                self._cache = _Cache()
                self.generation += 1
            old.close()
        return changed

    def close(self) -> None:
        with self._state:
            # A search still running in a thread stops at once instead of holding the close.
            self._cancelled |= self._jobs
            if self._running is not None:
                self.conn.interrupt()
        with self._lock:
            self._closed = True
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def job(self, token: Hashable) -> Iterator[None]:
        """Mark the queries this thread makes inside the block as `token`'s, for `cancel`."""
        with self._state:
            self._jobs.add(token)
        self._local.job = token
        try:
            yield
        finally:
            self._local.job = None
            with self._state:
                self._jobs.discard(token)
                self._cancelled.discard(token)

    def cancel(self, token: Hashable) -> None:
        """Stop `token`'s work: its running statement is interrupted in SQLite and its next
        queries raise Interrupted. Nothing happens to any other query."""
        with self._state:
            if token in self._jobs:
                self._cancelled.add(token)
                # Under the state lock the statement running is the one `_running` names: an
                # interrupt reaches it, and no statement started after it. Between two, the
                # progress handler (`_watch`) stops the next one.
                if self._running == token:
                    self.conn.interrupt()

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        job = getattr(self._local, "job", None)
        with self._lock:
            with self._state:
                if self._closed:
                    raise StoreError(f"database {self.path} is closed")
                if job is not None and job in self._cancelled:
                    raise Interrupted("search superseded")
                self._running = job
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                with self._state:
                    stopped = job is not None and job in self._cancelled
                if stopped:
                    raise Interrupted("search superseded") from None
                raise StoreError(explain(exc, self.path)) from None
            finally:
                with self._state:
                    self._running = None

    # -- what the store holds ------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self.query("SELECT key, value FROM meta")}

    def regimes(self) -> list[RegimeRecord]:
        # Kept while the same file is open (see `refresh`): every screen asks for them.
        cache = self._cache
        if cache.regimes is None:
            cache.regimes = [
                RegimeRecord(r["id"], r["title"], r["jurisdiction"], r["description"])
                for r in self.query("SELECT * FROM regimes ORDER BY position")
            ]
        return list(cache.regimes)

    def instruments(self, regime: str | None = None) -> list[InstrumentRecord]:
        rows = self.query(
            "SELECT * FROM instruments WHERE (:regime IS NULL OR regime = :regime) "
            "ORDER BY regime, coalesce(version_of, id), coalesce(version_seq, -1)",
            {"regime": regime},
        )
        dates = self._dates("instrument")
        return [_instrument(r, dates.get(r["id"], ())) for r in rows]

    def instrument(self, instrument_id: str) -> InstrumentRecord:
        # Kept while the same file is open: every provision shown asks for its instrument.
        cache = self._cache.instruments
        if instrument_id not in cache:
            rows = self.query("SELECT * FROM instruments WHERE id = ?", (instrument_id,))
            if not rows:
                raise NotFound(f"no instrument {instrument_id!r}")
            dates = self._dates("instrument", instrument_id).get(instrument_id, ())
            cache[instrument_id] = _instrument(rows[0], dates)
        return cache[instrument_id]

    def _dates(
        self, owner_type: str, owner_id: str | None = None
    ) -> dict[str, tuple[EventDate, ...]]:
        dates: dict[str, list[EventDate]] = {}
        # With an owner, by the primary key's (owner_type, owner_id) index (a `? IS NULL OR`
        # condition would scan them all).
        one = "" if owner_id is None else " AND owner_id = :owner"
        for row in self.query(
            "SELECT owner_id, event, date, date_end, kind, note FROM dates "
            f"WHERE owner_type = :type{one} ORDER BY date",
            {"type": owner_type, "owner": owner_id},
        ):
            dates.setdefault(row["owner_id"], []).append(
                EventDate(row["event"], row["date"], row["date_end"], row["kind"], row["note"])
            )
        return {owner: tuple(found) for owner, found in dates.items()}

    def topic_ids_under(self, topic: str) -> list[str]:
        """A topic and every topic below it in the taxonomy."""
        rows = self.query(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM topics WHERE id = ? "
            "UNION SELECT t.id FROM topics t JOIN sub ON t.parent = sub.id) SELECT id FROM sub",
            (topic,),
        )
        return [r["id"] for r in rows]

    def topics(self) -> list[TopicRecord]:
        """Every topic, in taxonomy order, with its provision count in each regime."""
        cache = self._cache
        if cache.topics is None:
            cache.topics = self._count_topics()
        return list(cache.topics)

    def _count_topics(self) -> list[TopicRecord]:
        counts: dict[str, dict[str, int]] = {}
        for row in self.query(
            "SELECT topic_id, regime_id, sum(provisions) AS n FROM topic_counts "
            "GROUP BY topic_id, regime_id"
        ):
            counts.setdefault(row["topic_id"], {})[row["regime_id"]] = row["n"]
        silences: dict[str, dict[str, str | None]] = {}
        for row in self.query("SELECT topic_id, regime_id, note FROM topic_silences"):
            silences.setdefault(row["topic_id"], {})[row["regime_id"]] = row["note"]
        regimes = [r.id for r in self.regimes()]
        records = []
        for row in self.query("SELECT * FROM topics ORDER BY position"):
            mine = {regime: counts.get(row["id"], {}).get(regime, 0) for regime in regimes}
            silent = {
                regime: note
                for regime, note in silences.get(row["id"], {}).items()
                if mine.get(regime) == 0
            }
            records.append(
                TopicRecord(
                    row["id"], row["label"], row["parent"], row["description"], mine, silent
                )
            )
        return records

    def topic(self, topic_id: str) -> TopicRecord:
        for record in self.topics():
            if record.id == topic_id:
                return record
        raise NotFound(f"no topic {topic_id!r}")

    def disagreements(self) -> dict[tuple[str, str], int]:
        """(topic, regime) -> how many of its provisions rest on sources that disagree."""
        return {
            (r["topic_id"], r["regime_id"]): r["n"]
            for r in self.query(
                "SELECT topic_id, regime_id, sum(disagree) AS n FROM topic_counts "
                "GROUP BY topic_id, regime_id HAVING n > 0"
            )
        }

    def statuses(self) -> dict[tuple[str, str], dict[str, int]]:
        """(topic, regime) -> status -> how many provisions, sub-topics included."""
        table: dict[tuple[str, str], dict[str, int]] = {}
        for row in self.query("SELECT topic_id, regime_id, status, provisions FROM topic_counts"):
            table.setdefault((row["topic_id"], row["regime_id"]), {})[row["status"]] = row[
                "provisions"
            ]
        return table

    def provisions(
        self,
        regime: str | None = None,
        topic: str | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ProvisionSummary]:
        """Provisions in content order, optionally of one regime and on one topic (or below it);
        `offset` and `limit` read a window of that list."""
        scope, params = self._scope(regime, topic)
        params.update({"offset": max(0, offset), "limit": -1 if limit is None else limit})
        rows = self.query(
            f"SELECT {SUMMARY_COLUMNS} FROM ({scope} ORDER BY position LIMIT :limit "
            "OFFSET :offset) AS s JOIN provisions p ON p.rowid = s.position ORDER BY p.position",
            params,
        )
        return [summary(r) for r in rows]

    def count_provisions(self, regime: str | None = None, topic: str | None = None) -> int:
        """How many provisions `provisions(regime, topic)` lists."""
        scope, params = self._scope(regime, topic)
        return self.query(f"SELECT count(*) FROM ({scope})", params)[0][0]

    def provision_index(
        self, provision_id: str, regime: str | None = None, topic: str | None = None
    ) -> int | None:
        """Where a provision is in `provisions(regime, topic)`, or None if it is not listed."""
        mine = self.query("SELECT position FROM provisions WHERE id = ?", (provision_id,))
        if not mine:
            return None
        scope, params = self._scope(regime, topic)
        params["mine"] = mine[0]["position"]
        rows = self.query(
            f"SELECT (SELECT count(*) FROM ({scope} AND position < :mine)) AS n, "
            f"EXISTS ({scope} AND position = :mine) AS listed",
            params,
        )
        return rows[0]["n"] if rows[0]["listed"] else None

    def _scope(self, regime: str | None, topic: str | None) -> tuple[str, dict[str, Any]]:
        """SQL for the positions of the provisions of a regime and topic (both optional)."""
        # Conditions are left out rather than written `:x IS NULL OR ...`: SQLite can then read
        # the (regime, position) and (topic, regime, position) indexes in order.
        params: dict[str, Any] = {"regime": regime}
        in_regime = "" if regime is None else " AND regime = :regime"
        if topic is None:
            return f"SELECT position FROM provisions WHERE 1{in_regime}", params
        topics = self.topic_ids_under(topic)
        marks = ", ".join(f":t{i}" for i in range(len(topics)))
        params.update({f"t{i}": t for i, t in enumerate(topics)})
        return (
            "SELECT DISTINCT position FROM provision_topics "
            f"WHERE topic_id IN ({marks}){in_regime}",
            params,
        )

    def provision(self, provision_id: str) -> ProvisionRecord:
        """One provision in full, with its quotes, topics, links and versions.

        Raises:
            NotFound: no provision has this id.
        """
        rows = self.query(
            "SELECT p.*, i.title AS instrument_title, s.title AS source_title FROM provisions p "
            "JOIN instruments i ON i.id = p.instrument LEFT JOIN sources s ON s.id = p.source "
            "WHERE p.id = ?",
            (provision_id,),
        )
        if not rows:
            raise NotFound(f"no provision {provision_id!r} (try `lexpane search` to find its id)")
        row = rows[0]
        topics = [
            r["topic_id"]
            for r in self.query(
                "SELECT pt.topic_id FROM provision_topics pt JOIN topics t ON t.id = pt.topic_id "
                "WHERE pt.provision_id = ? ORDER BY t.position",
                (provision_id,),
            )
        ]
        quotes = [
            QuoteRecord(r["source_id"], r["text"], r["version"], r["start"], r["end"])
            for r in self.query(
                "SELECT * FROM quotes WHERE provision_id = ? ORDER BY position", (provision_id,)
            )
        ]
        links = [
            LinkRecord(r["other"], r["type"], r["note"], r["direction"], r["heading"], r["regime"])
            for r in self.query(
                "SELECT l.to_id AS other, l.type, l.note, 'out' AS direction, p.heading, p.regime, "
                "l.id FROM links l JOIN provisions p ON p.id = l.to_id WHERE l.from_id = :id "
                "UNION ALL SELECT l.from_id, l.type, l.note, 'in', p.heading, p.regime, l.id "
                "FROM links l JOIN provisions p ON p.id = l.from_id WHERE l.to_id = :id "
                "ORDER BY 4 DESC, 7",
                {"id": provision_id},
            )
        ]
        claims = [
            ClaimRecord(r["source_id"], r["says"], r["pinpoint"])
            for r in self.query(
                "SELECT * FROM claims WHERE provision_id = ? ORDER BY position", (provision_id,)
            )
        ]
        gap_rows = self.query("SELECT * FROM gaps WHERE provision_id = ?", (provision_id,))
        gap = (
            {k: gap_rows[0][k] for k in ("law", "weakness", "reform", "status", "as_of")}
            if gap_rows
            else None
        )
        return ProvisionRecord(
            id=row["id"],
            regime=row["regime"],
            jurisdiction=row["jurisdiction"],
            instrument=row["instrument"],
            instrument_title=row["instrument_title"],
            version=row["version"],
            number=row["number"],
            heading=row["heading"],
            body=row["body"],
            status=row["status"],
            evidence=row["evidence"],
            source=row["source"],
            source_title=row["source_title"],
            topics=topics,
            quotes=quotes,
            links=links,
            versions=[v.version for v in self.versions(provision_id)],
            dates=self._dates("provision", provision_id).get(provision_id, ()),
            gap=gap,
            pinpoint=row["pinpoint"],
            claims=claims,
            conflict=row["conflict"],
            path=row["path"],
            line=row["line"],
        )

    def related(self, provision_id: str) -> list[Related]:
        """Provisions of other regimes tied to this one: explicit links first, then shared topics
        (the first SHARED_TOPIC_LIMIT of each other regime, in content order)."""
        own = self.query("SELECT regime FROM provisions WHERE id = ?", (provision_id,))
        own_regime = own[0]["regime"] if own else None
        links = self.query(
            "SELECT p.id, p.regime, l.type, l.note FROM links l "
            "JOIN provisions p ON p.id = CASE WHEN l.from_id = :id THEN l.to_id ELSE l.from_id END "
            "WHERE :id IN (l.from_id, l.to_id) ORDER BY p.regime, p.position",
            {"id": provision_id},
        )
        related = [Related(r["id"], r["regime"], r["type"], r["note"], True) for r in links]
        seen = {provision_id, *(r.id for r in related)}
        mine = self.query(
            "SELECT pt.topic_id, t.label FROM provision_topics pt JOIN topics t ON t.id = pt.topic_id "
            "WHERE pt.provision_id = ? ORDER BY t.position",
            (provision_id,),
        )
        for regime in self.regimes():
            if regime.id == own_regime:
                continue
            shared: dict[str, tuple[int, str, str]] = {}
            for topic in mine:
                for row in self.query(
                    "SELECT p.id, p.position FROM provision_topics pt "
                    "JOIN provisions p ON p.rowid = pt.position "
                    "WHERE pt.topic_id = ? AND pt.regime = ? ORDER BY pt.position LIMIT ?",
                    (topic["topic_id"], regime.id, SHARED_TOPIC_LIMIT),
                ):
                    if row["id"] not in seen and row["id"] not in shared:
                        shared[row["id"]] = (row["position"], row["id"], topic["label"])
            for _, pid, label in sorted(shared.values())[:SHARED_TOPIC_LIMIT]:
                related.append(Related(pid, regime.id, "same topic", label, False))
        return [r for r in related if r.regime != own_regime]

    def versions(self, provision_id: str) -> list[VersionRecord]:
        """The versions of a provision, oldest first."""
        return [
            _version(r)
            for r in self.query(
                # The newest version's body is kept once, in `provisions`.
                "SELECT v.*, coalesce(v.body, p.body) AS text FROM provision_versions v "
                "JOIN provisions p ON p.id = v.provision_id WHERE v.provision_id = ? "
                "ORDER BY v.seq",
                (provision_id,),
            )
        ]

    def version(self, ref: str) -> VersionRecord:
        """A provision version by `ID@VERSION`, or the current version by plain `ID`.

        Raises:
            NotFound: no such provision or version.
        """
        provision_id, _, label = ref.partition("@")
        versions = self.versions(provision_id)
        if not versions:
            raise NotFound(f"no provision {provision_id!r} (try `lexpane search` to find its id)")
        if not label:
            return versions[-1]
        for v in versions:
            if v.version == label:
                return v
        known = ", ".join(v.ref for v in versions)
        raise NotFound(f"no version {label!r} of {provision_id!r} (it has: {known})")

    def source(self, source_id: str) -> SourceRecord:
        """A source document, its whole text included."""
        rows = self.query("SELECT *, text != '' AS stored FROM sources WHERE id = ?", (source_id,))
        if not rows:
            raise NotFound(f"no source {source_id!r}")
        return _source(rows[0], rows[0]["text"])

    def source_head(self, source_id: str) -> SourceRecord:
        """A source without its text (`text` is empty): what titles and citations need.

        Read once per open file: the reading area asks on every move.
        """
        cache = self._cache
        if cache.source_heads is None:
            cache.source_heads = {
                r["id"]: _source(r, "")
                for r in self.query(
                    "SELECT id, title, kind, author, publisher, date, date_note, url, consulted, "
                    "text != '' AS stored FROM sources"
                )
            }
        try:
            return cache.source_heads[source_id]
        except KeyError:
            raise NotFound(f"no source {source_id!r}") from None


def _source(r: sqlite3.Row, text: str) -> SourceRecord:
    return SourceRecord(
        r["id"], r["title"], r["kind"], r["author"], r["publisher"], r["date"], r["date_note"],
        r["url"], text, r["consulted"], bool(r["stored"]),
    )  # fmt: skip


def _instrument(row: sqlite3.Row, dates: tuple[EventDate, ...]) -> InstrumentRecord:
    return InstrumentRecord(
        id=row["id"],
        regime=row["regime"],
        jurisdiction=row["jurisdiction"],
        title=row["title"],
        short_title=row["short_title"],
        kind=row["kind"],
        status=row["status"],
        source=row["source"],
        evidence=row["evidence"],
        version_of=row["version_of"],
        version=row["version"],
        supersedes=row["supersedes"],
        summary=row["summary"],
        dates=dates,
    )


def _version(row: sqlite3.Row) -> VersionRecord:
    return VersionRecord(
        provision_id=row["provision_id"],
        version=row["version"],
        instrument=row["instrument_id"],
        seq=row["seq"],
        number=row["number"],
        heading=row["heading"],
        body=row["text"],
        status=row["status"],
        deleted=bool(row["deleted"]),
    )
