"""Build data.db from a checked corpus with sqlite-utils, replacing the old file only on success."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib.resources
import os
import secrets
import sqlite3
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable
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
    #: how many files an incremental build read again (None: a full build read them all)
    reread: int | None = None
    #: why a full build was needed, when an incremental one was asked for
    full_because: str | None = None


def build(
    content: Path,
    db_path: Path,
    *,
    force: bool = False,
    full: bool = False,
    progress: Progress = quiet,
) -> BuildResult:
    """Check `content` and, only if it is clean, write a store to `db_path` atomically.

    Unless `full`, a store this version of lexpane built from the same files is patched: only
    the instrument files whose bytes changed are read again (see `tui.incremental`); the result
    is the store a full build writes, but for row ids and the index's layout.

    Args:
        force: replace `db_path` even if it is not a lexpane database.
        full: read every file and write the store from nothing.
        progress: hears how far reading, checking and writing are.

    Raises:
        BuildFailed: the content has problems (the old `db_path`, if any, is untouched).
        LexpaneError: the target cannot be written, or is a file that is not a lexpane
            database (and `force` is not given); it is left as it was.
    """
    from tui import incremental  # it builds on this module

    why = None
    if not full:
        try:
            return _build_incrementally(content, db_path, progress)
        except incremental.NotIncremental as exc:
            why = str(exc)
    # The collector stays off until the corpus is gone (freed as `_build_whole` returns): turned
    # on between reading and writing, with millions of objects just made, it walked them all
    # (0.3 s at 100,000 provisions).
    with gc_paused():
        result = _build_whole(content, db_path, force, progress)
    return dataclasses.replace(result, full_because=why)


def _build_whole(content: Path, db_path: Path, force: bool, progress: Progress) -> BuildResult:
    """Read and check every file, then write the store in place of `db_path`."""
    corpus, problems = load_corpus(content, progress)
    if problems:  # said with every other problem, as `lexpane check` says them
        raise BuildFailed(sorted_problems(problems + check(corpus)))
    target = _writable_target(db_path, force)
    return _replace(
        db_path,
        target,
        lambda tmp: write_store(corpus, tmp, progress, lambda: _check(corpus, progress)),
    )


def _build_incrementally(content: Path, db_path: Path, progress: Progress) -> BuildResult:
    from tui import incremental

    if not db_path.exists():
        raise incremental.NotIncremental(f"there is no {db_path.name} yet")
    try:
        target = _writable_target(db_path, force=False)
    except LexpaneError as exc:  # the full build says it, after the content's problems
        raise incremental.NotIncremental(str(exc)) from None
    found = incremental.changes(content, target)
    if not found.changed:  # nothing to write: the store is what a build would write
        remove_stale_temporaries(target)  # what a crashed build left, as every build does
        return incremental.unchanged(target, db_path, found)
    try:
        return _replace(
            db_path, target, lambda tmp: incremental.patch(content, target, tmp, found, progress)
        )
    except LexpaneError as exc:  # a full build may get further, or say so in its own words
        raise incremental.NotIncremental(str(exc)) from None


def _replace(db_path: Path, target: Path, write: Callable[[Path], BuildResult]) -> BuildResult:
    """Have `write` make the store in a temporary file beside `target`, then put it in place."""
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
            result = write(tmp)
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
    versions = Versions(corpus, families)
    ranks = file_ranks((i.regime, i.path) for i in corpus.instruments)
    # Opened here, used by the index thread, then here again: never by two threads at once. By
    # URI, so that it can attach the side store (see `_SideStore`).
    conn = sqlite3.connect(Path(path).resolve().as_uri(), uri=True, check_same_thread=False)
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
            grouped = provision_groups(corpus, versions, ranks)
            provisions = provision_rows(grouped)
        except Exception:  # a corpus with problems may not group: `meanwhile` says which
            meanwhile()
            raise
        insert_rows(db, "provisions", provisions)
        given_up = threading.Event()
        with _SideStore() as side:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lexpane-index") as pool:
                index = pool.submit(_create_fts, db, given_up)
                try:
                    meanwhile()
                    tables = _table_rows(corpus, grouped, provisions, versions, progress)
                    side.write(tables)
                except BaseException:
                    given_up.set()  # first the flag, then the statement running
                    conn.interrupt()
                    with contextlib.suppress(sqlite3.Error, _GivenUp):
                        index.result()
                    raise
                progress("building the search index", 0, 1)
                index.result()
            side.copy_into(conn)
        insert_terms(db)
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
        insert_rows(db, "files", file_rows(corpus))
        insert_rows(db, "meta", meta_rows(corpus.content_hash))
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


class Versions:
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
    versions: Versions,
    progress: Progress = quiet,
) -> dict[str, list[dict]]:
    """The rows of every table but `provisions`, the index, files and meta, table by table."""
    topics = provision_topic_rows(grouped)
    # Each table's rows are made in turn: progress moves table by table.
    tables: dict[str, Callable[[], list[dict]]] = {
        "regimes": lambda: _regime_rows(corpus),
        "sources": lambda: _source_rows(corpus),
        "topics": lambda: _topic_rows(corpus),
        "thesaurus": lambda: _thesaurus_rows(corpus),
        **file_tables(corpus, grouped, versions, topics),
        "topic_silences": lambda: silence_rows(
            corpus, {(t["regime"], t["topic_id"]) for t in topics}
        ),
        "topic_counts": lambda: topic_count_rows(corpus, provisions, topics),
    }
    made: dict[str, list[dict]] = {}
    for done, (table, make) in enumerate(tables.items(), 1):
        made[table] = make()
        progress("writing tables", done, len(tables))
    return made


def file_tables(
    corpus: Corpus, grouped: list[_Provision], versions: Versions, topics: list[dict]
) -> dict[str, Callable[[], list[dict]]]:
    """How to make the rows that come from instrument files (all but `provisions`): what an
    incremental build writes again for the files it re-reads."""
    return {
        "instruments": lambda: _instrument_rows(corpus, versions),
        "provision_versions": lambda: _version_rows(grouped, versions),
        "provision_topics": lambda: topics,
        "links": lambda: _link_rows(grouped),
        "quotes": lambda: _quote_rows(grouped, versions, corpus),
        "claims": lambda: _claim_rows(grouped),
        "gaps": lambda: _gap_rows(grouped),
        "dates": lambda: _date_rows(corpus, grouped),
    }


#: A provision's rowid, its `position`, is its file's rank (by regime, then path) shifted left
#: this far, plus its place in the file: corpus order, with room for each file to grow, so that
#: an incremental build rewrites the provisions of the files it re-reads and no other. A file is
#: at most 8 MiB (`tui.reader.MAX_FILE_BYTES`): it holds fewer than 2**20 provisions.
FILE_SLOT_BITS = 20


def file_ranks(files: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Each instrument file's rank, from 1, by (regime, path as records show it)."""
    return {path: rank for rank, (_regime, path) in enumerate(sorted(set(files)), 1)}


def provision_groups(corpus: Corpus, versions: Versions, ranks: dict[str, int]) -> list[_Provision]:
    """The sections of each provision id, oldest version first, in store order (regime, file,
    place in the file of the newest version); `ranks` places the files (see `file_ranks`)."""
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
    slot = 1 << FILE_SLOT_BITS
    if any(s.position >= slot for s in corpus.sections):
        raise ValueError(f"a file holds {slot} provisions or more")  # more than 8 MiB can
    return [
        _Provision(
            (ranks[group[-1].path] << FILE_SLOT_BITS) | group[-1].position,
            tuple(group),
            instruments[group[-1].instrument],
        )
        for group in order
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


def _instrument_rows(corpus: Corpus, versions: Versions) -> list[dict]:
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


def provision_rows(grouped: list[_Provision]) -> list[dict]:
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


def _version_rows(grouped: list[_Provision], versions: Versions) -> list[dict]:
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


def provision_topic_rows(grouped: list[_Provision]) -> list[dict]:
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


def _quote_rows(grouped: list[_Provision], versions: Versions, corpus: Corpus) -> list[dict]:
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


def topic_count_rows(corpus: Corpus, provisions: list[dict], topics: list[dict]) -> list[dict]:
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


def silence_rows(corpus: Corpus, regimes_with: set[tuple[str, str]]) -> list[dict]:
    """Each topic a regime has no provision on (none in `regimes_with`, its (regime, topic)
    pairs), with the content's note on why, if any."""
    return [
        {"topic_id": topic.id, "regime_id": regime.id, "note": dict(topic.silent).get(regime.id)}
        for topic in corpus.topics
        for regime in corpus.regimes
        if (regime.id, topic.id) not in regimes_with
    ]


def file_rows(corpus: Corpus) -> list[dict]:
    return [
        {"path": f.path, "shown": f.shown, "digest": f.digest, "position": n}
        for n, f in enumerate(corpus.files)
    ]


def meta_rows(content_hash: str) -> list[dict]:
    built_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return [
        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
        {"key": "content_hash", "value": content_hash},
        {"key": "built_at", "value": built_at},
        {"key": "lexpane_version", "value": package_version()},
        {"key": "build_code", "value": build_code()},
    ]


def build_code() -> str:
    """A hash of lexpane's own code: an incremental build trusts only rows written by this code."""
    digest = hashlib.sha256()
    try:
        package = importlib.resources.files("tui")
        for name in sorted(f.name for f in package.iterdir() if f.name.endswith(".py")):
            digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    except OSError:
        return "unknown"
    return digest.hexdigest()


def insert_terms(db: sqlite_utils.Database, stems: dict[str, str] | None = None) -> None:
    """Every word of the index with its stem and document count, read through fts5vocab.

    Args:
        stems: stems already known, by word (stemming every word again costs more than reading).
    """
    stems = stems or {}
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, provisions_fts, row)")
    rows = [
        {"term": term, "stem": stems.get(term) or wordforms.stem(term), "docs": docs}
        for term, docs in db.execute("SELECT term, doc FROM temp.vocab")
    ]
    db.execute("DROP TABLE temp.vocab")
    insert_rows(db, "terms", rows)


#: Steps of SQLite's program between two looks at whether the store being written was given up,
#: while its index is filled: at 100,000 provisions, 37 looks. Each takes the GIL, which the
#: checks running meanwhile hold: a look every thousand steps slowed the index sixfold.
INDEX_STEPS = 100_000
#: The most a build's index gathers in memory before writing it to the file (see `_create_fts`).
BUILD_HASH_BYTES = 256 * 2**20


class _GivenUp(Exception):
    """The store being written was given up before its index started (once under way, the index
    stops with sqlite3.OperationalError, "interrupted")."""


def _create_fts(db: sqlite_utils.Database, given_up: threading.Event | None = None) -> None:
    """The full-text index over provisions: sqlite-utils' layout (external content, rowids
    shared with `provisions`), plus prefix indexes so that a half-typed word of up to four
    characters is looked up directly instead of merging every word it begins.

    Filled by one statement (and merged by another, if it was written in several segments),
    which stops (sqlite3.OperationalError, "interrupted") once `given_up` is set: SQLite asks
    every `INDEX_STEPS` steps. (An `interrupt()` alone is lost if it comes between statements;
    the flag is not.)
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
    # No merging while it is filled (each merge rereads what was just written), and what it
    # gathers in memory is written out once it reaches BUILD_HASH_BYTES, not FTS5's 1 MiB: at
    # 100,000 provisions the index is written as one segment, with nothing to merge, in 3.4-3.9 s
    # instead of 5 s (the build's peak memory: 1,040 MiB instead of 819). One statement, as FTS5
    # writes out what it holds at the start of each statement (filled 10,000 provisions per
    # statement, the index took 5 s again). A bigger corpus is written in several segments,
    # merged at the end. FTS5's own settings are put back after, for the few rows an incremental
    # build changes.
    _fts_settings(db, automerge=0, crisismerge=500, hashsize=BUILD_HASH_BYTES)
    if given_up is not None:
        if given_up.is_set():
            raise _GivenUp
        db.conn.set_progress_handler(given_up.is_set, INDEX_STEPS)
    try:
        db.execute(
            f"INSERT INTO provisions_fts (rowid, {columns}) SELECT rowid, {columns} FROM provisions"
        )
        db.execute("INSERT INTO provisions_fts (provisions_fts) VALUES ('optimize')")
    finally:
        db.conn.set_progress_handler(None, 0)
    _fts_settings(db, automerge=4, crisismerge=16, hashsize=2**20)  # FTS5's defaults


def _fts_settings(db: sqlite_utils.Database, **settings: int) -> None:
    for name, value in settings.items():
        db.execute("INSERT INTO provisions_fts (provisions_fts, rank) VALUES (?, ?)", (name, value))


class _SideStore:
    """Every table but `provisions`, written to a database in memory while SQLite builds the
    index with the store's own connection, then copied in by SQLite alone. Written straight into
    the store, they waited for the index: at 100,000 provisions, 1.1 s of inserts after it, where
    the copy takes 0.46 s (and the side store about 60 MiB more of the build's peak memory).
    """

    def __init__(self) -> None:
        # Shared cache: the store's connection attaches it by this name.
        self.uri = f"file:lexpane-build-{secrets.token_hex(8)}?mode=memory&cache=shared"
        self.conn = sqlite3.connect(self.uri, uri=True)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.tables: list[str] = []

    def __enter__(self) -> _SideStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()  # the last connection to it: its memory is freed

    def write(self, tables: dict[str, list[dict]]) -> None:
        db = sqlite_utils.Database(self.conn)
        for table, rows in tables.items():
            db[table].create(TABLES[table][0])  # columns only: keys are checked when copied in
            insert_rows(db, table, rows)
            self.tables.append(table)
        self.conn.commit()

    def copy_into(self, conn: sqlite3.Connection) -> None:
        conn.execute("ATTACH ? AS side", (self.uri,))
        for table in self.tables:
            names = ", ".join(f"[{c}]" for c in TABLES[table][0])
            conn.execute(
                f"INSERT INTO main.[{table}] ({names}) SELECT {names} FROM side.[{table}] "
                "ORDER BY rowid"
            )
        # Left attached until the store's connection closes: detaching would have to commit,
        # and write out the index's pages in the cache, here rather than once at the end.


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
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
