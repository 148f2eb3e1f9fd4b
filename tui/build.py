"""Build data.db from a checked corpus with sqlite-utils, replacing the old file only on success."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from tui import textnorm, vocab, wordforms
from tui.dates import EventDate
from tui.errors import LexpaneError
from tui.models import Corpus, Problem, Section
from tui.schema import (
    FTS_COLUMNS,
    FTS_PREFIXES,
    FTS_TOKENIZE,
    SCHEMA_VERSION,
    TABLES,
    package_version,
)
from tui.thesaurus import fold
from tui.validate import Family, check_folder, version_families


class BuildFailed(LexpaneError):
    """The content has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the content; data.db left as it was")
        self.problems = problems


@dataclass(frozen=True)
class BuildResult:
    db_path: Path
    provisions: int
    versions: int
    quotes: int
    links: int
    content_hash: str


def build(content: Path, db_path: Path) -> BuildResult:
    """Check `content` and, only if it is clean, write a fresh store to `db_path` atomically.

    Raises:
        BuildFailed: the content has problems (the old `db_path`, if any, is untouched).
        LexpaneError: the target folder cannot be written.
    """
    corpus, problems = check_folder(content)
    if problems:
        raise BuildFailed(problems)
    target = db_path.resolve()
    if not target.parent.is_dir():
        raise LexpaneError(f"cannot build {db_path}: folder {target.parent} does not exist")
    if target.is_dir():
        raise LexpaneError(f"cannot build {db_path}: it is a directory; give a file path with --db")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise LexpaneError(f"cannot write in {target.parent}: {exc.strerror}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        result = write_store(corpus, tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise LexpaneError(f"cannot write {db_path}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return dataclasses.replace(result, db_path=db_path)


def write_store(corpus: Corpus, path: Path) -> BuildResult:
    """Write every table of a checked corpus into a new SQLite file at `path`."""
    families, _ = version_families(corpus)
    conn = sqlite3.connect(path)
    # A fresh temporary file: no journal and no syncs while filling it. `build` fsyncs the finished
    # file and only then puts it in place, so a crash mid-build loses only the temporary file.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    db = sqlite_utils.Database(conn)
    try:
        for name, (columns, pk, fks) in TABLES.items():
            db[name].create(columns, pk=pk, foreign_keys=fks)
        counts = _insert(db, corpus, families)
        _create_fts(db)
        _insert_terms(db)
        for table, *columns in (
            ("terms", "stem"),
            ("thesaurus", "folded"),
            ("provisions", "regime", "position"),
            ("provisions", "status"),
            # Covering: joins from provision_topics learn a provision's rowid and regime here.
            ("provisions", "id", "regime"),
            ("provision_versions", "provision_id"),
            ("provision_topics", "topic_id", "regime", "position"),
            ("links", "from_id"),
            ("links", "to_id"),
            ("quotes", "provision_id"),
            ("claims", "provision_id"),
            ("dates", "owner_id"),
        ):
            db[table].create_index(columns)
        db["meta"].insert_all(
            [
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "content_hash", "value": corpus.content_hash},
                {
                    "key": "built_at",
                    "value": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                },
                {"key": "lexpane_version", "value": package_version()},
            ]
        )
        conn.commit()
    finally:
        conn.close()
    return BuildResult(path, *counts, corpus.content_hash)


def _insert(db: sqlite_utils.Database, corpus: Corpus, families: dict[str, Family]):
    db["regimes"].insert_all(
        {
            "id": r.id,
            "title": r.title,
            "jurisdiction": r.jurisdiction,
            "description": r.description,
            "position": r.position,
        }
        for r in corpus.regimes
    )
    db["sources"].insert_all(
        {
            "id": s.id, "title": s.title, "kind": s.kind, "author": s.author, "publisher": s.publisher,
            "date": s.date, "date_note": s.date_note, "url": s.url, "original": s.original,
            "consulted": s.consulted, "text": s.text, "path": s.path,
        }
        for s in corpus.sources
    )  # fmt: skip
    db["topics"].insert_all(
        {
            "id": t.id,
            "label": t.label,
            "parent": t.parent,
            "description": t.description,
            "position": t.position,
        }
        for t in corpus.topics
    )
    version_seq = {v.id: i for f in families.values() for i, v in enumerate(f.versions)}
    instruments = {i.id: i for i in corpus.instruments}
    db["instruments"].insert_all(
        {
            "id": i.id, "regime": i.regime, "jurisdiction": i.jurisdiction, "title": i.title,
            "short_title": i.short_title, "kind": i.kind, "status": i.status, "source": i.source,
            "evidence": i.evidence, "version_of": i.version_of, "version": i.version,
            "supersedes": i.supersedes, "version_seq": version_seq.get(i.id), "summary": i.summary,
            "path": i.path,
        }
        for i in corpus.instruments
    )  # fmt: skip
    dates = [_date_row("instrument", i.id, d) for i in corpus.instruments for d in i.dates]

    # Group the sections of each provision id, oldest version first.
    grouped: dict[str, list[Section]] = {}
    for section in sorted(
        corpus.sections, key=lambda s: (version_seq.get(s.instrument, 0), s.path, s.position)
    ):
        grouped.setdefault(section.id, []).append(section)
    sources = {s.id: s for s in corpus.sources}

    provisions, versions, topics, links, quotes, gaps = [], [], [], [], [], []
    claims = []
    order = sorted(
        grouped.values(),
        key=lambda g: (instruments[g[-1].instrument].regime, g[-1].path, g[-1].position),
    )
    for position, group in enumerate(order, 1):
        current = group[-1]
        inst = instruments[current.instrument]
        all_quotes = [(s, q) for s in group for q in s.quotes]
        provisions.append(
            {
                "id": current.id, "regime": inst.regime, "jurisdiction": inst.jurisdiction,
                "instrument": inst.id, "version": version_label(inst), "number": current.number,
                "heading": current.heading, "body": current.body, "status": current.status,
                "evidence": current.evidence, "source": current.source,
                "pinpoint": current.pinpoint, "conflict": current.conflict,
                # Claims are searched with the quotes: each source's account, in our words.
                # " | " between them: a snippet spanning two quotes shows where one ends.
                "quotes_text": " | ".join(
                    [q.text for _, q in all_quotes] + [c.says for c in current.claims]
                ),
                "path": current.path, "line": current.line, "position": position,
            }
        )  # fmt: skip
        for seq, section in enumerate(group):
            versions.append(
                {
                    "provision_id": section.id, "version": version_label(instruments[section.instrument]),
                    "instrument_id": section.instrument, "seq": seq, "number": section.number,
                    "heading": section.heading, "body": section.body, "status": section.status,
                    "deleted": int(section.status == vocab.DELETED), "path": section.path,
                    "line": section.line,
                }
            )  # fmt: skip
        for topic in dict.fromkeys(t for s in reversed(group) for t in s.topics):
            topics.append(
                {"provision_id": current.id, "topic_id": topic, "regime": inst.regime,
                 "position": position}
            )  # fmt: skip
        seen_links = set()
        for section in reversed(group):
            for link in section.links:
                if (link.target, link.type) not in seen_links:
                    seen_links.add((link.target, link.type))
                    links.append(
                        {"from_id": current.id, "to_id": link.target, "type": link.type, "note": link.note,
                         "path": section.path, "line": link.line}
                    )  # fmt: skip
        for n, (section, quote) in enumerate(all_quotes):
            start, end = textnorm.locate(quote.text, sources[quote.source].text)
            quotes.append(
                {
                    "provision_id": current.id, "version": version_label(instruments[section.instrument]),
                    "source_id": quote.source, "text": quote.text, "start": start, "end": end,
                    "position": n, "path": section.path, "line": quote.line,
                }
            )  # fmt: skip
        dates.extend(_date_row("provision", current.id, d) for d in current.dates)
        claims.extend(
            {
                "provision_id": current.id, "source_id": c.source, "says": c.says,
                "pinpoint": c.pinpoint, "position": n, "path": current.path, "line": c.line,
            }
            for n, c in enumerate(current.claims)
        )  # fmt: skip
        if current.gap is not None:
            g = current.gap
            gaps.append(
                {"provision_id": current.id, "law": g.law, "weakness": g.weakness, "reform": g.reform,
                 "status": g.status, "as_of": g.as_of}
            )  # fmt: skip

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
    topic_counts = [
        {"topic_id": t, "regime_id": r, "status": st, "provisions": n, "disagree": d}
        for (t, r, st), (n, d) in sorted(tally.items())
    ]

    regime_of = {p["id"]: p["regime"] for p in provisions}
    regimes_with = {(regime_of[t["provision_id"]], t["topic_id"]) for t in topics}
    silences = []
    for topic in corpus.topics:
        notes = dict(topic.silent)
        for regime in corpus.regimes:
            if (regime.id, topic.id) not in regimes_with:
                silences.append(
                    {"topic_id": topic.id, "regime_id": regime.id, "note": notes.get(regime.id)}
                )

    thesaurus_rows = [
        {"group_id": n, "term": term, "folded": fold(term), "note": group.note}
        for n, group in enumerate(corpus.thesaurus, 1)
        for term in group.terms
    ]
    for table, rows in (
        ("thesaurus", thesaurus_rows),
        ("provisions", provisions),
        ("provision_versions", versions),
        ("provision_topics", topics),
        ("links", links),
        ("quotes", quotes),
        ("claims", claims),
        ("gaps", gaps),
        ("dates", dates),
        ("topic_silences", silences),
        ("topic_counts", topic_counts),
    ):
        _insert_rows(db, table, rows)
    return len(provisions), len(versions), len(quotes), len(links)


def _insert_terms(db: sqlite_utils.Database) -> None:
    """Every word of the index with its stem and document count, read through fts5vocab."""
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, provisions_fts, row)")
    rows = [
        {"term": term, "stem": wordforms.stem(term), "docs": docs}
        for term, docs in db.execute("SELECT term, doc FROM temp.vocab")
    ]
    db.execute("DROP TABLE temp.vocab")
    _insert_rows(db, "terms", rows)


def _date_row(owner_type: str, owner_id: str, d: EventDate) -> dict:
    return {
        "owner_type": owner_type, "owner_id": owner_id, "event": d.event, "date": d.date,
        "date_end": d.end, "kind": d.kind, "note": d.note,
    }  # fmt: skip


def _create_fts(db: sqlite_utils.Database) -> None:
    """The full-text index over provisions: sqlite-utils' layout (external content, rowids
    shared with `provisions`), plus prefix indexes so that a half-typed word of up to four
    characters is looked up directly instead of merging every word it begins."""
    columns = ", ".join(FTS_COLUMNS)
    db.executescript(
        f"""
        CREATE VIRTUAL TABLE provisions_fts USING fts5(
            {columns}, content='provisions', content_rowid='rowid',
            tokenize='{FTS_TOKENIZE}', prefix='{FTS_PREFIXES}'
        );
        INSERT INTO provisions_fts (rowid, {columns}) SELECT rowid, {columns} FROM provisions;
        INSERT INTO provisions_fts (provisions_fts) VALUES ('optimize');
        """
    )


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
