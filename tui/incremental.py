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
from tui.content import content_files, instrument_files, load_corpus
from tui.models import Corpus
from tui.progress import Progress, quiet
from tui.reader import display_path
from tui.schema import FTS_COLUMNS, SCHEMA_VERSION
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
    for rel, path in zip(rels, files, strict=True):
        if display_path(path) != stored[rel][0]:
            raise NotIncremental("content/ is read from another place than last time")
        try:
            digests[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise NotIncremental(f"{rel} cannot be read ({exc.strerror})") from None
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
        progress("checking across files", 0, 1)
        if check(corpus, _outside(db, corpus, paths)):
            raise NotIncremental("the files read again have problems")
        progress("checking across files", 1, 1)
        _rewrite(db, corpus, paths, found, progress)
        conn.commit()
        return _result(db, new, found, len(paths))
    except sqlite3.Error as exc:
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
    families = {family_of.get(found.shown[rel], "") for rel in found.changed}
    while True:
        shown = {p for f in families for p in shown_of_family.get(f, ())}
        shown |= {found.shown[rel] for rel in found.changed}
        corpus, problems = load_corpus(root, progress, only={rel_of[s] for s in shown})
        if problems:
            raise NotIncremental("the files read again have problems")
        named = {i.version_of or i.id for i in corpus.instruments} & shown_of_family.keys()
        if named <= families:
            break
        families |= named  # a version now names an instrument of files not read yet
    for inst in corpus.instruments:
        if regime_of.get(inst.path) != inst.regime:
            raise NotIncremental(f"{inst.path} moved to another regime")
    return corpus, sorted(shown)


def _outside(db: sqlite_utils.Database, corpus: Corpus, paths: list[str]) -> Outside:
    """What the checks of the files read again need of the others, from the store."""
    _temp_table(db, "reread", paths)
    _temp_table(db, "named", {s.id for s in corpus.sections} | _targets(corpus))
    old_ids = [
        pid
        for (pid,) in db.execute(
            "SELECT id FROM provisions WHERE instrument IN "
            "(SELECT id FROM instruments WHERE path IN temp.reread)"
        )
    ]
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


def _forget(db: sqlite_utils.Database) -> None:
    """Take out the rows of the files read again, and their provisions from the index."""
    db.execute(
        "CREATE TEMP TABLE gone AS SELECT rowid AS value, id FROM provisions WHERE instrument IN "
        "(SELECT id FROM instruments WHERE path IN temp.reread)"
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
    paths: list[str],
    found: Changes,
    progress: Progress,
) -> None:
    """The rows of the files read again, in place of their old ones; then what is counted over
    the whole store (topic counts, silences, terms), the files' digests and meta."""
    families, _ = version_families(corpus)
    versions = building.Versions(corpus, families)
    ranks = building.file_ranks(db.execute("SELECT regime, path FROM instruments").fetchall())
    grouped = building.provision_groups(corpus, versions, ranks)
    provisions = building.provision_rows(grouped)
    topics = building.provision_topic_rows(grouped)
    _forget(db)
    building.insert_rows(db, "provisions", provisions)
    _temp_table(db, "fresh", [p["position"] for p in provisions])
    _index(db, "temp.fresh")
    tables = building.file_tables(corpus, grouped, versions, topics)
    for done, (table, make) in enumerate(tables.items(), 1):
        building.insert_rows(db, table, make())
        progress("writing tables", done, len(tables) + 2)
    everything = [
        dict(zip(("id", "regime", "status", "conflict"), row, strict=True))
        for row in db.execute("SELECT id, regime, status, conflict FROM provisions ORDER BY rowid")
    ]
    all_topics = [
        {"provision_id": p, "topic_id": t}
        for p, t in db.execute("SELECT provision_id, topic_id FROM provision_topics")
    ]
    for table, rows in (
        ("topic_silences", building.silence_rows(corpus, everything, all_topics)),
        ("topic_counts", building.topic_count_rows(corpus, everything, all_topics)),
    ):
        db.execute(f"DELETE FROM [{table}]")
        building.insert_rows(db, table, rows)
    progress("writing tables", len(tables) + 2, len(tables) + 2)
    progress("building the search index", 0, 1)
    stems = dict(db.execute("SELECT term, stem FROM terms").fetchall())
    db.execute("DELETE FROM terms")
    building.insert_terms(db, stems)
    db.conn.executemany(
        "UPDATE files SET digest = ? WHERE path = ?",
        [(found.digests[rel], rel) for rel in found.changed],
    )
    db.execute("DELETE FROM meta")
    building.insert_rows(db, "meta", building.meta_rows(found.content_hash()))
    progress("building the search index", 1, 1)
