"""The shape of data.db: its tables, its full-text index and its schema version."""

from __future__ import annotations

#: Bump when a table or column changes; the store refuses a database of another version.
SCHEMA_VERSION = 5

#: Columns of `provisions` that the full-text index covers, in bm25 weight order.
FTS_COLUMNS = ("number", "heading", "body", "quotes_text")
#: No stemming: a half-typed word ("copyr", "liabili") must still match as a prefix.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
#: Prefix lengths FTS5 indexes: a word being typed is looked up directly up to four letters.
FTS_PREFIXES = "1 2 3 4"

# name -> (columns, primary key, foreign keys)
TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...] | None, list]] = {
    "meta": ({"key": str, "value": str}, "key", []),
    # Every file of content/ the build read, in the order read: its path there, its path as
    # the records show it (`path` columns elsewhere), and the SHA-256 of its bytes. An
    # incremental build re-reads only the files whose digest changed.
    "files": (
        {"path": str, "shown": str, "digest": str, "position": int},
        "path",
        [],
    ),
    "regimes": (
        {"id": str, "title": str, "jurisdiction": str, "description": str, "position": int},
        "id",
        [],
    ),
    "sources": (
        {
            "id": str,
            "title": str,
            "kind": str,
            "author": str,
            "publisher": str,
            "date": str,
            "date_note": str,
            "url": str,
            "original": str,
            "consulted": str,
            "text": str,
            "path": str,
        },
        "id",
        [],
    ),  # fmt: skip
    "topics": (
        {"id": str, "label": str, "parent": str, "description": str, "position": int},
        "id",
        [("parent", "topics", "id")],
    ),
    "topic_silences": (
        {"topic_id": str, "regime_id": str, "note": str},
        ("topic_id", "regime_id"),
        [("topic_id", "topics", "id"), ("regime_id", "regimes", "id")],
    ),
    # Provisions per topic (sub-topics included), regime and status, counted at build: the
    # topic tree and the matrix read them without touching the provisions. `disagree`: how many
    # of them rest on sources that disagree.
    "topic_counts": (
        {"topic_id": str, "regime_id": str, "status": str, "provisions": int, "disagree": int},
        ("topic_id", "regime_id", "status"),
        [("topic_id", "topics", "id"), ("regime_id", "regimes", "id")],
    ),
    "instruments": (
        {
            "id": str,
            "regime": str,
            "jurisdiction": str,
            "title": str,
            "short_title": str,
            "kind": str,
            "status": str,
            "source": str,
            "evidence": str,
            "version_of": str,
            "version": str,
            "supersedes": str,
            "version_seq": int,
            "summary": str,
            "path": str,
        },
        "id",
        [
            ("regime", "regimes", "id"),
            ("source", "sources", "id"),
            ("version_of", "instruments", "id"),
            ("supersedes", "instruments", "id"),
        ],
    ),  # fmt: skip
    # `position`, also the rowid (which the FTS index shares), puts provisions in corpus order:
    # by regime, file and place in the file. Positions rise but skip: each file has a slot of
    # 2**20 (`tui.build.FILE_SLOT_BITS`), so an incremental build moves no other file's rows.
    "provisions": (
        {
            "id": str,
            "regime": str,
            "jurisdiction": str,
            "instrument": str,
            "version": str,
            "number": str,
            "heading": str,
            "body": str,
            "status": str,
            "evidence": str,
            "source": str,
            "pinpoint": str,
            "conflict": str,
            "quotes_text": str,
            "path": str,
            "line": int,
            "position": int,
        },
        "id",
        [
            ("regime", "regimes", "id"),
            ("instrument", "instruments", "id"),
            ("source", "sources", "id"),
        ],
    ),  # fmt: skip
    "provision_versions": (
        {
            "provision_id": str,
            "version": str,
            "instrument_id": str,
            "seq": int,
            "number": str,
            "heading": str,
            "body": str,
            "status": str,
            "deleted": int,
            "path": str,
            "line": int,
        },
        ("provision_id", "version"),
        [("provision_id", "provisions", "id"), ("instrument_id", "instruments", "id")],
    ),  # fmt: skip
    # `regime` and `position` repeat the provision's, so that a topic's provisions in one regime
    # are read in order from one index. A provision's rowid is its position (the FTS index shares
    # it), so `position` also finds the provision's row.
    "provision_topics": (
        {"provision_id": str, "topic_id": str, "regime": str, "position": int},
        ("provision_id", "topic_id"),
        [("provision_id", "provisions", "id"), ("topic_id", "topics", "id")],
    ),
    "links": (
        {
            "id": int,
            "from_id": str,
            "to_id": str,
            "type": str,
            "note": str,
            "path": str,
            "line": int,
        },
        "id",
        [("from_id", "provisions", "id"), ("to_id", "provisions", "id")],
    ),
    "quotes": (
        {
            "id": int,
            "provision_id": str,
            "version": str,
            "source_id": str,
            "text": str,
            "start": int,
            "end": int,
            "position": int,
            "path": str,
            "line": int,
        },
        "id",
        [("provision_id", "provisions", "id"), ("source_id", "sources", "id")],
    ),  # fmt: skip
    # Each source's account of a provision's subject, in the project's words.
    "claims": (
        {
            "id": int,
            "provision_id": str,
            "source_id": str,
            "says": str,
            "pinpoint": str,
            "position": int,
            "path": str,
            "line": int,
        },
        "id",
        [("provision_id", "provisions", "id"), ("source_id", "sources", "id")],
    ),  # fmt: skip
    "gaps": (
        {
            "provision_id": str,
            "law": str,
            "weakness": str,
            "reform": str,
            "status": str,
            "as_of": str,
        },
        "provision_id",
        [("provision_id", "provisions", "id")],
    ),
    # The thesaurus (content/thesaurus.yaml): `folded` is the term as the index folds words.
    "thesaurus": (
        {"id": int, "group_id": int, "term": str, "folded": str, "note": str},
        "id",
        [],
    ),
    # Every word of the full-text index, its stem (Snowball, English or Russian) and how many
    # provisions hold it: what search widens an empty query with (word forms, spellings, typos).
    "terms": ({"term": str, "stem": str, "docs": int}, "term", []),
    "dates": (
        {
            "owner_type": str,
            "owner_id": str,
            "event": str,
            "date": str,
            "date_end": str,
            "kind": str,
            "note": str,
        },
        ("owner_type", "owner_id", "event"),
        [],
    ),
}


def package_version() -> str:
    # Imported here: importlib.metadata is slow to import, and only a build needs it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lexpane")
    except PackageNotFoundError:
        return "unknown"
