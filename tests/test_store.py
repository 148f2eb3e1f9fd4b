"""The read-only store: what it answers, and how it refuses a bad file."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import old_schema_copy
from tui.errors import NotFound, StoreError
from tui.schema import SCHEMA_VERSION
from tui.store import Store


def test_regimes_in_pane_order(store: Store):
    assert ["ru-ai", "kz-ai", "ru-copyright"] == [r.id for r in store.regimes()]
    assert "Russia · copyright enforcement gaps" == store.regimes()[2].title


def test_topics_count_provisions_per_regime_including_subtopics(store: Store):
    topics = {t.id: t for t in store.topics()}
    assert {"ru-ai": 1, "kz-ai": 0, "ru-copyright": 0} == topics["labelling"].counts
    # copyright: kz.art23 directly; ru.training and rc.camcording through sub-topics
    assert {"ru-ai": 1, "kz-ai": 1, "ru-copyright": 1} == topics["copyright"].counts
    assert {"ru-ai": None, "kz-ai": "The commentary does not discuss film piracy."} == topics[
        "camcording"
    ].silent
    assert "ai-regulation" == topics["labelling"].parent


def test_provisions_by_regime_and_topic(store: Store):
    assert ["ru.labelling", "ru.trusted", "ru.training"] == [
        p.id for p in store.provisions(regime="ru-ai")
    ]
    assert ["ru.training"] == [p.id for p in store.provisions(regime="ru-ai", topic="copyright")]
    assert [] == store.provisions(regime="kz-ai", topic="camcording")
    [kz] = store.provisions(regime="kz-ai")
    assert ("Art. 23", "in force", "2026-01-18") == (kz.number, kz.status, kz.date)


def test_one_provision_in_full(store: Store):
    record = store.provision("ru.training")
    assert "deleted in revision" == record.status
    assert ["training-data"] == record.topics
    assert ["revised"] == record.versions  # only the revised draft has it
    [quote] = record.quotes
    assert "news" == quote.source
    # Links this provision makes come first, then the ones made to it.
    assert [
        ("kz.art23", "contrasts with", "out", "kz-ai"),
        ("rc.camcording", "same subject as", "in", "ru-copyright"),
    ] == [(link.to, link.type, link.direction, link.regime) for link in record.links]
    # The other end sees the link too.
    assert [("ru.training", "in")] == [
        (link.to, link.direction) for link in store.provision("kz.art23").links
    ]
    assert "news report" == record.evidence
    assert "Russia bets on domestic AI but won’t ban foreign models" == record.source_title


def test_gap_record(store: Store):
    gap = store.provision("rc.camcording").gap
    assert {"law": "Criminal Code art. 146", "weakness": "No criminal liability for camcording.",
            "reform": "Amend art. 146.", "status": "Open", "as_of": "2017"} == gap  # fmt: skip


def test_versions_oldest_first(store: Store):
    versions = store.versions("ru.trusted")
    assert [("earlier", False), ("revised", True)] == [(v.version, v.deleted) for v in versions]
    assert "ru.trusted@revised" == versions[1].ref
    assert store.version("ru.trusted").version == "revised"
    assert store.version("ru.trusted@earlier").body.startswith("A third category")


def test_unknown_ids_raise_not_found(store: Store):
    with pytest.raises(NotFound, match="no provision 'nope'"):
        store.provision("nope")
    with pytest.raises(
        NotFound, match=r"no version 'draft' of 'ru.trusted' \(it has: ru.trusted@earlier"
    ):
        store.version("ru.trusted@draft")


def test_store_is_read_only(store: Store):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.conn.execute("DELETE FROM provisions")


def test_opens_from_a_read_only_folder(tmp_path: Path, db: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    copy = folder / "data.db"
    shutil.copy(db, copy)
    before = copy.read_bytes()
    copy.chmod(0o444)
    folder.chmod(0o555)
    try:
        with Store.open(copy) as store:
            assert 5 == len(store.provisions())
        assert before == copy.read_bytes()
        assert ["data.db"] == sorted(os.listdir(folder))
    finally:
        folder.chmod(0o755)


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp, db: tmp / "missing.db", "database not found"),
        (lambda tmp, db: _bad(tmp, "empty.db", b""), "database is empty"),
        (lambda tmp, db: _bad(tmp, "noise.db", os.urandom(4096)), "not a SQLite database"),
        (
            lambda tmp, db: _bad(tmp, "cut.db", db.read_bytes()[: len(db.read_bytes()) // 2]),
            "truncated or corrupt",
        ),
        (lambda tmp, db: tmp, "is a directory"),
    ],
    ids=["missing", "empty", "random bytes", "truncated", "directory"],
)
def test_bad_database_files_are_refused_clearly(tmp_path: Path, db: Path, make, message):
    with pytest.raises(StoreError, match=message):
        Store.open(make(tmp_path, db))


def test_other_schema_version_is_refused(tmp_path: Path, db: Path):
    old = old_schema_copy(tmp_path, db)
    with pytest.raises(
        StoreError, match=f"schema version 0, this lexpane reads version {SCHEMA_VERSION}"
    ):
        Store.open(old)


def test_sqlite_file_that_is_not_lexpane_is_refused(tmp_path: Path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="is not a lexpane database"):
        Store.open(other)


def test_source_head_is_the_source_without_its_text(store: Store):
    full = store.source("iipa")
    head = store.source_head("iipa")
    assert head.text == "" and full.text
    assert dataclasses.replace(head, text=full.text) == full
    with pytest.raises(NotFound):
        store.source_head("no-such-source")
