"""Build data.db from a checked corpus with sqlite-utils, replacing the old file only on success."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
import stat
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from tui import textnorm, vocab, wordforms
from tui.content import load_corpus
from tui.dates import EventDate
from tui.errors import LexpaneError
from tui.models import Corpus, Instrument, Problem, Section
from tui.paths import (
    is_lexpane_database,
    mark_in_use,
    remove_stale_temporaries,
    temporary_prefix,
)
from tui.progress import Progress, quiet
from tui.schema import (
    FTS_COLUMNS,
    FTS_PREFIXES,
    FTS_TOKENIZE,
    SCHEMA_VERSION,
    TABLES,
    package_version,
)
from tui.thesaurus import fold
from tui.validate import Family, check, gc_paused, sorted_problems, version_families


class BuildFailed(LexpaneError):
    """The content has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the content; data.db left as it was")
        self.problems = problems


#: SQLite's page cache while writing a store.
BUILD_CACHE_KIB = 128 * 1024


@dataclass(frozen=True)
class BuildResult:
    db_path: Path
    provisions: int
    versions: int
    quotes: int
    links: int
    content_hash: str


def build(
    content: Path, db_path: Path, *, force: bool = False, progress: Progress = quiet
) -> BuildResult:
    """Check `content` and, only if it is clean, write a fresh store to `db_path` atomically.

    Args:
        force: replace `db_path` even if it is not a lexpane database.
        progress: hears how far reading, checking and writing are.

    Raises:
        BuildFailed: the content has problems (the old `db_path`, if any, is untouched).
        LexpaneError: the target cannot be written, or is a file that is not a lexpane
            database (and `force` is not given); it is left as it was.
    """
    with gc_paused():
        corpus, problems = load_corpus(content, progress)
    if problems:  # said with every other problem, as `lexpane check` says them
        raise BuildFailed(sorted_problems(problems + check(corpus)))
    target = _writable_target(db_path, force)
    remove_stale_temporaries(target)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=temporary_prefix(target), suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise LexpaneError(f"cannot write in {target.parent}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        mark_in_use(fd)  # until the file is in place or gone: later builds leave it alone
        with gc_paused():
            result = write_store(corpus, tmp, progress, lambda: _check(corpus, progress))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise LexpaneError(
            f"cannot write {db_path}: {exc.strerror or exc}; nothing was replaced"
        ) from None
    except sqlite3.OperationalError as exc:  # SQLite's own words for a full disk or an I/O error
        reason = str(exc) if "full" in str(exc) else f"{exc} (is the disk full?)"
        raise LexpaneError(f"cannot write {db_path}: {reason}; nothing was replaced") from None
    finally:
        tmp.unlink(missing_ok=True)
        os.close(fd)
    return dataclasses.replace(result, db_path=db_path)


def _check(corpus: Corpus, progress: Progress) -> None:
    """The checks across files, which `write_store` runs while SQLite builds the index."""
    progress("checking across files", 0, 1)
    problems = check(corpus)
    progress("checking across files", 1, 1)
    if problems:
        raise BuildFailed(sorted_problems(problems))


def _writable_target(db_path: Path, force: bool) -> Path:
    """Where to put the store: `db_path` resolved, if building may replace what is there."""
    target = db_path.resolve()
    if not target.parent.is_dir():
        raise LexpaneError(f"cannot build {db_path}: folder {target.parent} does not exist")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise LexpaneError(f"cannot build {db_path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise LexpaneError(f"cannot build {db_path}: it is a directory; give a file path with --db")
    if not stat.S_ISREG(mode):
        raise LexpaneError(
            f"cannot build {db_path}: it is not a regular file; give a file path with --db"
        )
    if not force and not is_lexpane_database(target):
        raise LexpaneError(
            f"will not replace {db_path}: it is not a lexpane database "
            "(check --db, or add --force to replace it)"
        )
    return target


def write_store(
    corpus: Corpus,
    path: Path,
    progress: Progress = quiet,
    meanwhile: Callable[[], None] = lambda: None,
) -> BuildResult:
    """Write every table of a corpus into a new SQLite file at `path`.

    Args:
        meanwhile: runs while SQLite builds the full-text index in a thread (its C code does not
            hold the GIL: at 100,000 provisions the index takes 9 s of the build, and the checks
            across files and the other tables' rows are made in that time). If it raises, the
            index is stopped and the exception goes on: `build` checks the corpus here, and the
            file is then thrown away.
    """
    families, _ = version_families(corpus)
    versions = _Versions(corpus, families)
    # Opened here, used by the index thread, then here again: never by two threads at once.
    conn = sqlite3.connect(path, check_same_thread=False)
    # A fresh temporary file: no journal and no syncs while filling it. `build` fsyncs the finished
    # file and only then puts it in place, so a crash mid-build loses only the temporary file.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    # The search index is built in pages: with SQLite's 2 MiB default cache it rereads its own
    # pages from the file (100,000 provisions: 0.8 s of 8.5 s).
    conn.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
    db = sqlite_utils.Database(conn)
    try:
        for name, (columns, pk, fks) in TABLES.items():
            db[name].create(columns, pk=pk, foreign_keys=fks)
        try:
            grouped = _provisions(corpus, versions)
            provisions = _provision_rows(grouped)
        except Exception:  # a corpus with problems may not group: `meanwhile` says which
            meanwhile()
            raise
        _insert_rows(db, "provisions", provisions)
        # No progress handler to stop it: each call takes the GIL, and called every thousand
        # steps it slowed the index by half while the checks ran.
        given_up = threading.Event()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lexpane-index") as pool:
            index = pool.submit(_create_fts, db, given_up)
            try:
                meanwhile()
                tables = _table_rows(corpus, grouped, provisions, versions, progress)
            except BaseException:
                given_up.set()  # first the flag, then the statement running
                conn.interrupt()
                with contextlib.suppress(sqlite3.Error, _GivenUp):
                    index.result()
                raise
            progress("building the search index", 0, 1)
            index.result()
        for table, rows in tables.items():
            _insert_rows(db, table, rows)
        _insert_terms(db)
        for table, *columns in (
            ("terms", "stem"),
            ("thesaurus", "folded"),
            ("provisions", "regime", "position"),
            ("provisions", "status"),
            ("provisions", "instrument", "position"),  # an instrument's first provision
            # Covering: joins from provision_topics learn a provision's rowid and regime here.
            ("provisions", "id", "regime"),
            ("provision_versions", "provision_id"),
            ("provision_topics", "topic_id", "regime", "position"),
            ("links", "from_id"),
            ("links", "to_id"),
            ("quotes", "provision_id"),
            ("claims", "provision_id"),
        ):
            db[table].create_index(columns)
        _insert_rows(db, "meta", _meta_rows(corpus))
        conn.commit()
        progress("building the search index", 1, 1)
    finally:
        conn.close()
    return BuildResult(
        path,
        len(provisions),
        len(tables["provision_versions"]),
        len(tables["quotes"]),
        len(tables["links"]),
        corpus.content_hash,
    )


@dataclass(frozen=True)
class _Provision:
    """One provision id: its sections, oldest version first, and its place in the store."""

    position: int
    sections: tuple[Section, ...]
    #: the instrument of its newest version
    instrument: Instrument

    @property
    def current(self) -> Section:
        return self.sections[-1]


class _Versions:
    """The instruments by id, and where each stands in its chain of versions."""

    def __init__(self, corpus: Corpus, families: dict[str, Family]):
        self.instruments = {i.id: i for i in corpus.instruments}
        self.seq = {v.id: i for f in families.values() for i, v in enumerate(f.versions)}

    def label(self, section: Section) -> str:
        return version_label(self.instruments[section.instrument])


def _table_rows(
    corpus: Corpus,
    grouped: list[_Provision],
    provisions: list[dict],
    versions: _Versions,
    progress: Progress = quiet,
) -> dict[str, list[dict]]:
    """The rows of every table but `provisions`, the index and meta, table by table."""
    topics = _provision_topic_rows(grouped)
    # Each table's rows are made in turn: progress moves table by table.
    tables: dict[str, Callable[[], list[dict]]] = {
        "regimes": lambda: _regime_rows(corpus),
        "sources": lambda: _source_rows(corpus),
        "topics": lambda: _topic_rows(corpus),
        "instruments": lambda: _instrument_rows(corpus, versions),
        "thesaurus": lambda: _thesaurus_rows(corpus),
        "provision_versions": lambda: _version_rows(grouped, versions),
        "provision_topics": lambda: topics,
        "links": lambda: _link_rows(grouped),
        "quotes": lambda: _quote_rows(grouped, versions, corpus),
        "claims": lambda: _claim_rows(grouped),
        "gaps": lambda: _gap_rows(grouped),
        "dates": lambda: _date_rows(corpus, grouped),
        "topic_silences": lambda: _silence_rows(corpus, provisions, topics),
        "topic_counts": lambda: _topic_count_rows(corpus, provisions, topics),
    }
    made: dict[str, list[dict]] = {}
    for done, (table, make) in enumerate(tables.items(), 1):
        made[table] = make()
        progress("writing tables", done, len(tables))
    return made


def _provisions(corpus: Corpus, versions: _Versions) -> list[_Provision]:
    """The sections of each provision id, oldest version first, in store order (regime, file,
    place in the file of the newest version)."""
    grouped: dict[str, list[Section]] = {}
    for section in sorted(
        corpus.sections, key=lambda s: (versions.seq.get(s.instrument, 0), s.path, s.position)
    ):
        grouped.setdefault(section.id, []).append(section)
    instruments = versions.instruments
    order = sorted(
        grouped.values(),
        key=lambda g: (instruments[g[-1].instrument].regime, g[-1].path, g[-1].position),
    )
    return [
        _Provision(position, tuple(group), instruments[group[-1].instrument])
        for position, group in enumerate(order, 1)
    ]


def _regime_rows(corpus: Corpus) -> list[dict]:
    return [
        {"id": r.id, "title": r.title, "jurisdiction": r.jurisdiction,
         "description": r.description, "position": r.position}
        for r in corpus.regimes
    ]  # fmt: skip


def _source_rows(corpus: Corpus) -> list[dict]:
    return [
        {
            "id": s.id, "title": s.title, "kind": s.kind, "author": s.author, "publisher": s.publisher,
            "date": s.date, "date_note": s.date_note, "url": s.url, "original": s.original,
            "consulted": s.consulted, "text": s.text, "path": s.path,
        }
        for s in corpus.sources
    ]  # fmt: skip


def _topic_rows(corpus: Corpus) -> list[dict]:
    return [
        {"id": t.id, "label": t.label, "parent": t.parent, "description": t.description,
         "position": t.position}
        for t in corpus.topics
    ]  # fmt: skip


def _instrument_rows(corpus: Corpus, versions: _Versions) -> list[dict]:
    return [
        {
            "id": i.id, "regime": i.regime, "jurisdiction": i.jurisdiction, "title": i.title,
            "short_title": i.short_title, "kind": i.kind, "status": i.status, "source": i.source,
            "evidence": i.evidence, "version_of": i.version_of, "version": i.version,
            "supersedes": i.supersedes, "version_seq": versions.seq.get(i.id), "summary": i.summary,
            "path": i.path,
        }
        for i in corpus.instruments
    ]  # fmt: skip


def _thesaurus_rows(corpus: Corpus) -> list[dict]:
    return [
        {"group_id": n, "term": term, "folded": fold(term), "note": group.note}
        for n, group in enumerate(corpus.thesaurus, 1)
        for term in group.terms
    ]


def _provision_rows(grouped: list[_Provision]) -> list[dict]:
    """A provision as in its newest version; its quotes (of every version) and claims searchable."""
    rows = []
    for p in grouped:
        current, inst = p.current, p.instrument
        # Claims are searched with the quotes: each source's account, in our words.
        # " | " between them: a snippet spanning two quotes shows where one ends.
        searched = [q.text for s in p.sections for q in s.quotes] + [c.says for c in current.claims]
        rows.append(
            {
                "id": current.id, "regime": inst.regime, "jurisdiction": inst.jurisdiction,
                "instrument": inst.id, "version": version_label(inst), "number": current.number,
                "heading": current.heading, "body": current.body, "status": current.status,
                "evidence": current.evidence, "source": current.source,
                "pinpoint": current.pinpoint, "conflict": current.conflict,
                "quotes_text": " | ".join(searched),
                "path": current.path, "line": current.line, "position": p.position,
            }
        )  # fmt: skip
    return rows


def _version_rows(grouped: list[_Provision], versions: _Versions) -> list[dict]:
    """Every version of every provision; the newest one's body is `provisions.body`, kept once."""
    return [
        {
            "provision_id": section.id, "version": versions.label(section),
            "instrument_id": section.instrument, "seq": seq, "number": section.number,
            "heading": section.heading,
            "body": None if section is p.current else section.body, "status": section.status,
            "deleted": int(section.status == vocab.DELETED), "path": section.path,
            "line": section.line,
        }
        for p in grouped
        for seq, section in enumerate(p.sections)
    ]  # fmt: skip


def _provision_topic_rows(grouped: list[_Provision]) -> list[dict]:
    """Each provision's topics, newest version's first, each once."""
    return [
        {"provision_id": p.current.id, "topic_id": topic, "regime": p.instrument.regime,
         "position": p.position}
        for p in grouped
        for topic in dict.fromkeys(t for s in reversed(p.sections) for t in s.topics)
    ]  # fmt: skip


def _link_rows(grouped: list[_Provision]) -> list[dict]:
    """Each provision's links, newest version's first; a (target, type) pair once."""
    rows = []
    for p in grouped:
        seen = set()
        for section in reversed(p.sections):
            for link in section.links:
                if (link.target, link.type) not in seen:
                    seen.add((link.target, link.type))
                    rows.append(
                        {"from_id": p.current.id, "to_id": link.target, "type": link.type,
                         "note": link.note, "path": section.path, "line": link.line}
                    )  # fmt: skip
    return rows


def _quote_rows(grouped: list[_Provision], versions: _Versions, corpus: Corpus) -> list[dict]:
    """Every quote of every version, with where it stands in its source's text."""
    sources = {s.id: s for s in corpus.sources}
    rows = []
    for p in grouped:
        quoted = [(s, q) for s in p.sections for q in s.quotes]
        for n, (section, quote) in enumerate(quoted):
            start, end = textnorm.locate(quote.text, sources[quote.source].text)
            rows.append(
                {
                    "provision_id": p.current.id, "version": versions.label(section),
                    "source_id": quote.source, "text": quote.text, "start": start, "end": end,
                    "position": n, "path": section.path, "line": quote.line,
                }
            )  # fmt: skip
    return rows


def _claim_rows(grouped: list[_Provision]) -> list[dict]:
    return [
        {
            "provision_id": p.current.id, "source_id": c.source, "says": c.says,
            "pinpoint": c.pinpoint, "position": n, "path": p.current.path, "line": c.line,
        }
        for p in grouped
        for n, c in enumerate(p.current.claims)
    ]  # fmt: skip


def _gap_rows(grouped: list[_Provision]) -> list[dict]:
    return [
        {"provision_id": p.current.id, "law": g.law, "weakness": g.weakness, "reform": g.reform,
         "status": g.status, "as_of": g.as_of}
        for p in grouped
        if (g := p.current.gap) is not None
    ]  # fmt: skip


def _date_rows(corpus: Corpus, grouped: list[_Provision]) -> list[dict]:
    """The instruments' dated events, then the provisions' (as in their newest version)."""
    return [_date_row("instrument", i.id, d) for i in corpus.instruments for d in i.dates] + [
        _date_row("provision", p.current.id, d) for p in grouped for d in p.current.dates
    ]


def _date_row(owner_type: str, owner_id: str, d: EventDate) -> dict:
    return {
        "owner_type": owner_type, "owner_id": owner_id, "event": d.event, "date": d.date,
        "date_end": d.end, "kind": d.kind, "note": d.note,
    }  # fmt: skip


def _topic_count_rows(corpus: Corpus, provisions: list[dict], topics: list[dict]) -> list[dict]:
    """Provisions per topic (counting every topic above theirs too), regime and status."""
    parent_of = {t.id: t.parent for t in corpus.topics}
    under: dict[str, set[str]] = {}  # provision -> its topics and every ancestor of them
    for t in topics:
        chain = under.setdefault(t["provision_id"], set())
        topic: str | None = t["topic_id"]
        while topic is not None and topic not in chain:
            chain.add(topic)
            topic = parent_of.get(topic)
    tally: dict[tuple[str, str, str], list[int]] = {}
    for p in provisions:
        for topic in under.get(p["id"], ()):
            counts = tally.setdefault((topic, p["regime"], p["status"]), [0, 0])
            counts[0] += 1
            counts[1] += p["conflict"] is not None
    return [
        {"topic_id": t, "regime_id": r, "status": st, "provisions": n, "disagree": d}
        for (t, r, st), (n, d) in sorted(tally.items())
    ]


def _silence_rows(corpus: Corpus, provisions: list[dict], topics: list[dict]) -> list[dict]:
    """Each topic a regime has no provision on, with the content's note on why, if any."""
    regime_of = {p["id"]: p["regime"] for p in provisions}
    regimes_with = {(regime_of[t["provision_id"]], t["topic_id"]) for t in topics}
    return [
        {"topic_id": topic.id, "regime_id": regime.id, "note": dict(topic.silent).get(regime.id)}
        for topic in corpus.topics
        for regime in corpus.regimes
        if (regime.id, topic.id) not in regimes_with
    ]


def _meta_rows(corpus: Corpus) -> list[dict]:
    built_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return [
        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
        {"key": "content_hash", "value": corpus.content_hash},
        {"key": "built_at", "value": built_at},
        {"key": "lexpane_version", "value": package_version()},
    ]


def _insert_terms(db: sqlite_utils.Database) -> None:
    """Every word of the index with its stem and document count, read through fts5vocab."""
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, provisions_fts, row)")
    rows = [
        {"term": term, "stem": wordforms.stem(term), "docs": docs}
        for term, docs in db.execute("SELECT term, doc FROM temp.vocab")
    ]
    db.execute("DROP TABLE temp.vocab")
    _insert_rows(db, "terms", rows)


#: Provisions indexed per statement: between two, the index sees whether it was given up.
INDEX_CHUNK = 10_000


class _GivenUp(Exception):
    """The store being written was given up: its index stops between two chunks."""


def _create_fts(db: sqlite_utils.Database, given_up: threading.Event | None = None) -> None:
    """The full-text index over provisions: sqlite-utils' layout (external content, rowids
    shared with `provisions`), plus prefix indexes so that a half-typed word of up to four
    characters is looked up directly instead of merging every word it begins.

    Filled `INDEX_CHUNK` provisions at a time: once `given_up` is set, it stops (raising
    `_GivenUp`) before the next chunk. An `interrupt()` stops the chunk running, but one sent
    between two statements is lost; the flag is not.
    """
    columns = ", ".join(FTS_COLUMNS)
    db.execute(
        f"""
        CREATE VIRTUAL TABLE provisions_fts USING fts5(
            {columns}, content="provisions", content_rowid="rowid",
            tokenize='{FTS_TOKENIZE}', prefix='{FTS_PREFIXES}'
        )
        """
    )
    [(last,)] = db.execute("SELECT coalesce(max(rowid), 0) FROM provisions").fetchall()
    for first in range(1, last + 1, INDEX_CHUNK):
        if given_up is not None and given_up.is_set():
            raise _GivenUp
        db.execute(
            f"INSERT INTO provisions_fts (rowid, {columns}) SELECT rowid, {columns} "
            "FROM provisions WHERE rowid BETWEEN ? AND ?",
            (first, first + INDEX_CHUNK - 1),
        )
    if given_up is not None and given_up.is_set():
        raise _GivenUp
    db.execute("INSERT INTO provisions_fts (provisions_fts) VALUES ('optimize')")


def _insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Bulk-insert rows into a table sqlite-utils created.

    `executemany` with one prepared statement: at 100,000 provisions, `insert_all`'s per-value
    checks (it must guess types and JSON-encode containers) cost several seconds, and these rows
    are already plain values in the schema's column order.
    """
    columns = list(TABLES[table][0])
    if table == "provisions":
        columns.insert(0, "rowid")  # a provision's rowid is its position (see schema)
        rows = [{**row, "rowid": row["position"]} for row in rows]
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    db.conn.executemany(
        f"INSERT INTO [{table}] ({names}) VALUES ({marks})",
        (tuple(row.get(c) for c in columns) for row in rows),
    )


def version_label(instrument) -> str:
    """How a version is named in `ID@VERSION`: the instrument's version label, else 'current'."""
    return instrument.version or "current"
