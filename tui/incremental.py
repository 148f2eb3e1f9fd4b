"""An incremental build: re-read only the instrument files whose bytes changed (with the other
versions of their instruments), check them against the rest as data.db holds it, and patch a copy
of data.db. Whatever it cannot vouch for, it leaves to a full build (`NotIncremental`)."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from tui import build as building
from tui import wordforms
from tui.content import content_files, instrument_files, load_corpus
from tui.models import Corpus, Source
from tui.progress import Progress, quiet
from tui.reader import Reader, display_path
from tui.schema import FTS_COLUMNS, FTS_TOKENIZE, SCHEMA_VERSION
from tui.validate import Outside, check, version_families


class NotIncremental(Exception):
    """Why a full build is needed instead (the message says, for a person)."""


@dataclass(frozen=True)
class Changes:
    """What changed in content/ since data.db was built from it."""

    #: instrument files whose bytes changed (paths relative to the content folder)
    changed: tuple[str, ...]
    #: every file's SHA-256 as read now, in the order a build reads the files
    digests: dict[str, str]
    #: how data.db shows each file's path (as records show it), by path in content/
    shown: dict[str, str]

    def content_hash(self) -> str:
        """The content hash a full build would record (`tui.reader.Reader.content_hash`)."""
        digest = hashlib.sha256()
        for rel, hexdigest in self.digests.items():
            digest.update(rel.encode() + b"\0" + bytes.fromhex(hexdigest))
        return digest.hexdigest()


def changes(root: Path, db_path: Path) -> Changes:
    """The instrument files that changed since `db_path` was built from `root`.

    Raises:
        NotIncremental: `db_path` was built by other code or from other files, or something
            other than instrument files changed.
    """
    try:
        with _read_only(db_path) as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("schema_version") != str(SCHEMA_VERSION):
                raise NotIncremental("the database has another schema")
            if meta.get("build_code") != building.build_code() or meta["build_code"] == "unknown":
                raise NotIncremental("the database was built by another version of lexpane")
            stored = {
                path: (shown, digest)
                for path, shown, digest in conn.execute(
                    "SELECT path, shown, digest FROM files ORDER BY position"
                )
            }
    except sqlite3.Error as exc:
        raise NotIncremental(f"the database cannot be read ({exc})") from None
    files = content_files(root)
    rels = [p.relative_to(root).as_posix() for p in files]
    if rels != list(stored):
        raise NotIncremental("files were added to content/ or taken away")
    digests: dict[str, str] = {}
    reader = Reader(root)  # reads as a build does: never a FIFO, a device or a huge file
    for rel, path in zip(rels, files, strict=True):
        if display_path(path) != stored[rel][0]:
            raise NotIncremental("content/ is read from another place than last time")
        digest = reader.digest(path)
        if digest is None:  # a full build says why
            raise NotIncremental(f"{rel} cannot be read")
        digests[rel] = digest
    changed = tuple(rel for rel in rels if digests[rel] != stored[rel][1])
    instruments = {p.relative_to(root).as_posix() for p in instrument_files(root)}
    if others := [rel for rel in changed if rel not in instruments]:
        raise NotIncremental(f"{others[0]} changed, and every record may depend on it")
    return Changes(changed, digests, {rel: shown for rel, (shown, _) in stored.items()})


def unchanged(target: Path, db_path: Path, found: Changes) -> building.BuildResult:
    """What the store at `target` holds, when no file changed since it was built."""
    try:
        with _read_only(target) as conn:
            return _result(sqlite_utils.Database(conn), db_path, found, 0)
    except sqlite3.Error as exc:
        raise NotIncremental(f"the database cannot be read ({exc})") from None


def patch(
    root: Path, old: Path, new: Path, found: Changes, progress: Progress = quiet
) -> building.BuildResult:
    """Write to `new` a copy of the store `old`, with the changed files read again.

    Raises:
        NotIncremental: the files read again have problems (a full build says them exactly,
            as `lexpane check` does), or a file changed in a way only a full build places.
    """
    shutil.copyfile(old, new)
    conn = sqlite3.connect(new)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # a temporary file: see `write_store`
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(f"PRAGMA cache_size = -{building.BUILD_CACHE_KIB}")
        db = sqlite_utils.Database(conn)
        corpus, paths = _read_again(root, db, found, progress)
        _temp_table(db, "reread", paths)  # what the queries below mean by `IN temp.reread`
        db.execute(  # their provisions as the store has them: `temp.gone`
            "CREATE TEMP TABLE gone AS SELECT rowid AS value, id FROM provisions "
            "WHERE instrument IN (SELECT id FROM instruments WHERE path IN temp.reread)"
        )
        progress("checking across files", 0, 1)
        if check(corpus, _outside(db, corpus)):
            raise NotIncremental("the files read again have problems")
        progress("checking across files", 1, 1)
        _rewrite(db, corpus, found, progress)
        conn.commit()
        return _result(db, new, found, len(paths))
    except (sqlite3.Error, KeyError, TypeError) as exc:  # a store changed by hand, say
        raise NotIncremental(f"the database cannot be patched ({exc})") from None
    finally:
        conn.close()


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def _read_again(
    root: Path, db: sqlite_utils.Database, found: Changes, progress: Progress
) -> tuple[Corpus, list[str]]:
    """The content with only the changed files' families of versions read again; with the
    paths (as records show them) of the files read."""
    family_of: dict[str, str] = {}  # path as shown -> the instrument it is a version of, or its own
    shown_of_family: dict[str, set[str]] = defaultdict(set)
    regime_of: dict[str, str] = {}
    regimes_of_family: dict[str, set[str]] = defaultdict(set)
    for family, path, regime in db.execute(
        "SELECT coalesce(version_of, id), path, regime FROM instruments"
    ):
        family_of[path] = family
        shown_of_family[family].add(path)
        regime_of[path] = regime
        regimes_of_family[family].add(regime)
    if any(len(r) > 1 for r in regimes_of_family.values()):
        # The store counts a provision's topics under its newest version's regime only.
        raise NotIncremental("an instrument has versions in more than one regime")
    rel_of = {shown: rel for rel, shown in found.shown.items()}
    # The sources did not change (else the build is a full one): as the store holds them.
    sources = [Source(**row) for row in db.query("SELECT * FROM sources ORDER BY rowid")]
    families = {family_of.get(found.shown[rel], "") for rel in found.changed}
    while True:
        shown = {p for f in families for p in shown_of_family.get(f, ())}
        shown |= {found.shown[rel] for rel in found.changed}
        corpus, problems = load_corpus(
            root, progress, only={rel_of[s] for s in shown}, sources=sources
        )
        if problems:
            raise NotIncremental("the files read again have problems")
        if any(found.digests.get(f.path, f.digest) != f.digest for f in corpus.files):
            raise NotIncremental("a file changed while it was read")
        named = {i.version_of or i.id for i in corpus.instruments} & shown_of_family.keys()
        if named <= families:
            break
        families |= named  # a version now names an instrument of files not read yet
    for inst in corpus.instruments:
        if regime_of.get(inst.path) != inst.regime:
            raise NotIncremental(f"{inst.path} moved to another regime")
    return corpus, sorted(shown)


def _outside(db: sqlite_utils.Database, corpus: Corpus) -> Outside:
    """What the checks of the files read again need of the others, from the store."""
    _temp_table(db, "named", {s.id for s in corpus.sections} | _targets(corpus))
    old_ids = [pid for (pid,) in db.execute("SELECT id FROM temp.gone")]
    _temp_table(db, "mine", old_ids + [s.id for s in corpus.sections])
    statuses: dict[str, set[str]] = defaultdict(set)
    for pid, status in db.execute(
        "SELECT provision_id, status FROM provision_versions "
        "WHERE provision_id IN temp.named AND path NOT IN temp.reread"
    ):
        statuses[pid].add(status)
    return Outside(
        instruments=frozenset(
            i for (i,) in db.execute("SELECT id FROM instruments WHERE path NOT IN temp.reread")
        ),
        provisions={pid: frozenset(s) for pid, s in statuses.items()},
        links_in=tuple(
            db.execute(
                "SELECT path, line, to_id, type FROM links "
                "WHERE to_id IN temp.mine AND path NOT IN temp.reread"
            ).fetchall()
        ),
    )


def _forget(db: sqlite_utils.Database) -> tuple[list[dict], list[dict]]:
    """Take out the rows of the files read again, and their provisions from the index.

    Returns:
        The provisions taken out (what is counted of them: their words, topics, status) and
        their topics, as `tui.build` made their rows.
    """
    columns = ", ".join(("id", "regime", "status", "conflict", *FTS_COLUMNS))
    provisions = list(
        db.query(f"SELECT {columns} FROM provisions WHERE rowid IN (SELECT value FROM temp.gone)")
    )
    topics = list(
        db.query(
            "SELECT provision_id, topic_id FROM provision_topics "
            "WHERE provision_id IN (SELECT id FROM temp.gone)"
        )
    )
    _index(db, "(SELECT value FROM temp.gone)", delete=True)
    db.execute("DELETE FROM provisions WHERE rowid IN (SELECT value FROM temp.gone)")
    for table, column in (
        ("provision_versions", "provision_id"),
        ("provision_topics", "provision_id"),
        ("links", "from_id"),
        ("quotes", "provision_id"),
        ("claims", "provision_id"),
        ("gaps", "provision_id"),
    ):
        db.execute(f"DELETE FROM [{table}] WHERE [{column}] IN (SELECT id FROM temp.gone)")
    db.execute(
        "DELETE FROM dates WHERE owner_type = 'provision' AND owner_id IN (SELECT id FROM temp.gone)"
    )
    db.execute(
        "DELETE FROM dates WHERE owner_type = 'instrument' AND owner_id IN "
        "(SELECT id FROM instruments WHERE path IN temp.reread)"
    )
    db.execute("DELETE FROM instruments WHERE path IN temp.reread")
    return provisions, topics


def _index(db: sqlite_utils.Database, rowids: str, *, delete: bool = False) -> None:
    """Add the provisions with these rowids to the full-text index, or take them out (an
    external-content index is told the old values of what it takes out)."""
    columns = ", ".join(FTS_COLUMNS)
    command, mark = ("provisions_fts, ", "'delete', ") if delete else ("", "")
    db.execute(
        f"INSERT INTO provisions_fts ({command}rowid, {columns}) "
        f"SELECT {mark}rowid, {columns} FROM provisions WHERE rowid IN {rowids}"
    )


def _temp_table(db: sqlite_utils.Database, name: str, values: Iterable) -> None:
    """A temporary one-column table of distinct values, for `x IN temp.name`."""
    db.execute(f"CREATE TEMP TABLE [{name}] (value PRIMARY KEY)")
    db.conn.executemany(f"INSERT OR IGNORE INTO temp.[{name}] VALUES (?)", ((v,) for v in values))


def _result(
    db: sqlite_utils.Database, path: Path, found: Changes, reread: int
) -> building.BuildResult:
    def count(table: str) -> int:
        return db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]

    return building.BuildResult(
        path,
        count("provisions"),
        count("provision_versions"),
        count("quotes"),
        count("links"),
        found.content_hash(),
        reread=reread,
    )


def _targets(corpus: Corpus) -> set[str]:
    return {link.target for s in corpus.sections for link in s.links}


def _rewrite(
    db: sqlite_utils.Database,
    corpus: Corpus,
    found: Changes,
    progress: Progress,
) -> None:
    """The rows of the files read again, in place of their old ones; what is counted over the
    whole store (topic counts, silences, terms) changed by as much; the digests and meta."""
    families, _ = version_families(corpus)
    versions = building.Versions(corpus, families)
    ranks = building.file_ranks(db.execute("SELECT regime, path FROM instruments").fetchall())
    grouped = building.provision_groups(corpus, versions, ranks)
    provisions = building.provision_rows(grouped)
    topics = building.provision_topic_rows(grouped)
    tables = building.file_tables(corpus, grouped, versions, topics)
    steps = len(tables) + 3

    gone, gone_topics = _forget(db)
    building.insert_rows(db, "provisions", provisions)
    _temp_table(db, "fresh", [p["position"] for p in provisions])
    _index(db, "temp.fresh")
    for done, (table, make) in enumerate(tables.items(), 1):
        building.insert_rows(db, table, make())
        progress("writing tables", done, steps)

    _add_counts(db, building.topic_count_rows(corpus, gone, gone_topics), -1)
    _add_counts(db, building.topic_count_rows(corpus, provisions, topics), +1)
    progress("writing tables", steps - 2, steps)
    db.execute("DELETE FROM topic_silences")
    spoken = set(db.execute("SELECT DISTINCT regime, topic_id FROM provision_topics").fetchall())
    building.insert_rows(db, "topic_silences", building.silence_rows(corpus, spoken))
    progress("writing tables", steps - 1, steps)
    _add_terms(db, _words(gone), _words(provisions))
    db.conn.executemany(
        "UPDATE files SET digest = ? WHERE path = ?",
        [(found.digests[rel], rel) for rel in found.changed],
    )
    db.execute("DELETE FROM meta")
    building.insert_rows(db, "meta", building.meta_rows(found.content_hash()))
    progress("writing tables", steps, steps)


def _add_counts(db: sqlite_utils.Database, rows: list[dict], sign: int) -> None:
    """Add (or take away) the provisions of `rows` to the topic counts; a count of none goes."""
    for row in rows:
        key = (row["topic_id"], row["regime_id"], row["status"])
        n, d = sign * row["provisions"], sign * row["disagree"]
        db.execute(
            "INSERT INTO topic_counts VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
            "provisions = provisions + excluded.provisions, disagree = disagree + excluded.disagree",
            (*key, n, d),
        )
    db.execute("DELETE FROM topic_counts WHERE provisions = 0")


def _words(provisions: list[dict]) -> dict[str, int]:
    """How many of these provisions hold each word, as the full-text index reads them: a
    throwaway index in memory, with the same columns and tokenizer, counts them."""
    memory = sqlite3.connect(":memory:")
    try:
        columns = ", ".join(FTS_COLUMNS)
        memory.execute(f"CREATE VIRTUAL TABLE f USING fts5({columns}, tokenize='{FTS_TOKENIZE}')")
        memory.executemany(
            f"INSERT INTO f VALUES ({', '.join('?' for _ in FTS_COLUMNS)})",
            [tuple(p[c] for c in FTS_COLUMNS) for p in provisions],
        )
        memory.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, f, row)")
        return dict(memory.execute("SELECT term, doc FROM temp.v").fetchall())
    finally:
        memory.close()


def _add_terms(db: sqlite_utils.Database, gone: dict[str, int], new: dict[str, int]) -> None:
    """The words of the index and how many provisions hold each, after `gone` left and `new`
    came: what `tui.build.insert_terms` reads from the whole index, changed by as much."""
    change = {t: new.get(t, 0) - gone.get(t, 0) for t in gone.keys() | new.keys()}
    change = {t: n for t, n in change.items() if n}
    _temp_table(db, "words", change)
    known = dict(db.execute("SELECT term, docs FROM terms WHERE term IN temp.words").fetchall())
    db.conn.executemany(
        "INSERT INTO terms (term, stem, docs) VALUES (?, ?, ?) "
        "ON CONFLICT DO UPDATE SET docs = docs + excluded.docs",
        [(t, "" if t in known else wordforms.stem(t), n) for t, n in change.items()],
    )
    db.execute("DELETE FROM terms WHERE docs = 0 AND term IN temp.words")
