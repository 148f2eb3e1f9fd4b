"""`lexpane build`: every table filled, atomic replacement, determinism, and the committed data.db."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import REPO, rows
from tui.build import BuildFailed, build
from tui.content import load_corpus
from tui.schema import SCHEMA_VERSION, TABLES


def test_every_table_is_filled(db: Path):
    for table in TABLES:
        if table == "gaps":
            assert [(1,)] == rows(db, "SELECT count(*) FROM gaps")
            continue
        assert rows(db, f"SELECT count(*) FROM [{table}]")[0][0] > 0, table


def test_provisions_and_versions(db: Path):
    assert [
        ("kz.art23",),
        ("rc.camcording",),
        ("ru.labelling",),
        ("ru.training",),
        ("ru.trusted",),
    ] == rows(db, "SELECT id FROM provisions ORDER BY id")
    # A provision's row is its newest version.
    assert [("bill-revised", "revised", "draft")] == rows(
        db, "SELECT instrument, version, status FROM provisions WHERE id = 'ru.labelling'"
    )
    assert [("earlier", 0, 0), ("revised", 1, 1)] == rows(
        db,
        "SELECT version, seq, deleted FROM provision_versions WHERE provision_id = 'ru.trusted' ORDER BY seq",
    )
    assert [("current",)] == rows(
        db, "SELECT version FROM provision_versions WHERE provision_id = 'kz.art23'"
    )


def test_each_body_is_stored_once_and_every_version_still_reads_whole(db: Path):
    from tui.store import Store

    # The newest version's body is the provision's: the version row keeps none of its own.
    assert [] == rows(
        db,
        "SELECT v.provision_id FROM provision_versions v JOIN provisions p ON p.id = v.provision_id "
        "WHERE v.seq = (SELECT max(seq) FROM provision_versions w WHERE w.provision_id = v.provision_id) "
        "AND v.body IS NOT NULL",
    )
    [(older,)] = rows(
        db, "SELECT body FROM provision_versions WHERE provision_id = 'ru.trusted' AND seq = 0"
    )
    [(newest,)] = rows(db, "SELECT body FROM provisions WHERE id = 'ru.trusted'")
    with Store.open(db) as store:
        earlier, revised = store.versions("ru.trusted")
        assert (earlier.body, revised.body) == (older, newest)
        assert older and newest and older != newest
        [(only,)] = rows(db, "SELECT body FROM provisions WHERE id = 'kz.art23'")
        assert store.version("kz.art23").body == only


def test_quotes_know_where_they_are_in_their_source(db: Path):
    [(text, start, end, source_text)] = rows(
        db,
        "SELECT q.text, q.start, q.end, s.text FROM quotes q JOIN sources s ON s.id = q.source_id "
        "WHERE q.provision_id = 'rc.camcording'",
    )
    assert text == source_text[start:end]


def test_links_silences_dates_and_meta(db: Path):
    assert [("ru.training", "kz.art23", "contrasts with")] == rows(
        db, "SELECT from_id, to_id, type FROM links WHERE from_id = 'ru.training'"
    )
    silences = rows(db, "SELECT regime_id, note FROM topic_silences WHERE topic_id = 'camcording'")
    assert ("kz-ai", "The commentary does not discuss film piracy.") in silences
    assert ("ru-ai", None) in silences  # silent too, with no note given
    assert ("ru-copyright", None) not in silences
    assert [("2026-06",)] == rows(
        db,
        "SELECT date FROM dates WHERE owner_id = 'bill-revised' AND event = 'approved_by_commission'",
    )
    meta = dict(rows(db, "SELECT key, value FROM meta"))
    assert str(SCHEMA_VERSION) == meta["schema_version"]
    assert 64 == len(meta["content_hash"])
    assert meta["built_at"]


def test_full_text_index_is_not_stemmed(db: Path):
    [(sql,)] = rows(db, "SELECT sql FROM sqlite_master WHERE name = 'provisions_fts'")
    assert "unicode61 remove_diacritics 2" in sql
    assert "porter" not in sql
    assert [("kz.art23",)] == rows(
        db,
        "SELECT p.id FROM provisions_fts JOIN provisions p ON p.rowid = provisions_fts.rowid "
        "WHERE provisions_fts MATCH 'contributi*'",
    )


def test_same_content_same_rows(tmp_path: Path, content: Path):
    first, second = tmp_path / "one.db", tmp_path / "two.db"
    build(content, first)
    build(content, second)
    for table in TABLES:
        if table == "meta":
            continue
        assert rows(first, f"SELECT * FROM [{table}] ORDER BY 1, 2") == rows(
            second, f"SELECT * FROM [{table}] ORDER BY 1, 2"
        ), table


def test_failed_build_leaves_the_old_database_byte_for_byte(
    tmp_path: Path, content: Path, db: Path
):
    before = db.read_bytes()
    law = content / "kz-ai" / "law.md"
    law.write_text(law.read_text().replace("topics: [copyright]", "topics: [nope]"))
    with pytest.raises(BuildFailed) as failed:
        build(content, db)
    assert ["unknown topic 'nope'"] == [p.message for p in failed.value.problems]
    assert before == db.read_bytes()
    assert [db.name] == [p.name for p in tmp_path.iterdir() if p.name.startswith((".data", "data"))]


@pytest.mark.parametrize("also_unreadable", [False, True])
def test_a_build_says_what_check_says_and_leaves_no_index_running(
    tmp_path: Path, content: Path, db: Path, also_unreadable: bool
):
    """A problem across files is found while the index is being built: the build stops it and
    names the same problems as `lexpane check` (with a file that cannot be read, too)."""
    import threading

    from tui.validate import check_folder

    law = content / "kz-ai" / "law.md"
    law.write_text(law.read_text().replace("topics: [copyright]", "topics: [nope]"))
    if also_unreadable:
        (content / "kz-ai" / "broken.md").write_text("---\nid: Not An Id\n---\n")
    before, threads = db.read_bytes(), threading.active_count()
    with pytest.raises(BuildFailed) as failed:
        build(content, db)
    _, checked = check_folder(content)
    assert checked == failed.value.problems
    assert "unknown topic 'nope'" in [p.message for p in checked]
    assert (len(checked) > 1) == also_unreadable
    assert threads == threading.active_count()
    assert before == db.read_bytes()
    assert [db.name] == [p.name for p in tmp_path.iterdir() if p.name.startswith((".data", "data"))]


def test_the_index_stops_mid_statement_once_given_up(tmp_path: Path, monkeypatch):
    """The index is filled by one statement: the flag stops it while it runs, not only before."""
    import threading

    import sqlite_utils

    from tui import build as building
    from tui.bench.synth import write_corpus

    write_corpus(tmp_path / "content", 2000, real_content=REPO / "content")
    corpus, problems = load_corpus(tmp_path / "content")
    assert [] == problems
    building.write_store(corpus, tmp_path / "store.db")
    monkeypatch.setattr(building, "INDEX_STEPS", 1000)

    class GivenUpLater(threading.Event):
        """Set once SQLite has asked a few times: by then the statement is under way."""

        asked = 0

        def is_set(self) -> bool:
            self.asked += 1
            return self.asked > 3 or super().is_set()

    db = sqlite_utils.Database(tmp_path / "store.db")
    db.execute("DROP TABLE provisions_fts")
    flag = GivenUpLater()
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        building._create_fts(db, flag)
    assert 4 == flag.asked  # stopped at the first look that saw it given up
    # ... and no longer asks: a long statement after it runs to its end.
    [(pairs,)] = db.execute("SELECT count(*) FROM provisions a, provisions b").fetchall()
    assert pairs > 1000 and 4 == flag.asked
    [(indexed,)] = db.execute("SELECT count(*) FROM provisions_fts_docsize").fetchall()
    assert 0 == indexed  # the statement's rows are undone
    db.execute("DROP TABLE provisions_fts")
    building._create_fts(db, threading.Event())  # and left alone, it runs to its end
    [(indexed,)] = db.execute("SELECT count(*) FROM provisions_fts_docsize").fetchall()
    assert indexed >= 2000


def test_a_store_given_up_while_its_index_is_built_stops_the_index(tmp_path: Path, monkeypatch):
    from tui import build as building
    from tui.bench.synth import write_corpus

    write_corpus(tmp_path / "content", 3000, real_content=REPO / "content")
    monkeypatch.setattr(building, "INDEX_STEPS", 1000)
    corpus, problems = load_corpus(tmp_path / "content")
    assert [] == problems
    ended: list[str] = []
    index = building._create_fts

    def watched(db, given_up) -> None:
        try:
            index(db, given_up)
        except (sqlite3.Error, building._GivenUp) as exc:
            ended.append(str(exc) or type(exc).__name__)
            raise
        ended.append("built")

    monkeypatch.setattr(building, "_create_fts", watched)

    class GiveUp(Exception):
        pass

    def give_up() -> None:
        raise GiveUp

    with pytest.raises(GiveUp):
        building.write_store(corpus, tmp_path / "given-up.db", meanwhile=give_up)
    # Stopped while it ran, or before it started.
    assert ended in (["interrupted"], ["_GivenUp"])
    # Not the trivial case: left alone, the same index is built.
    written = building.write_store(corpus, tmp_path / "whole.db")
    assert "built" == ended[-1]
    assert written.provisions >= 3000
    assert [(written.provisions,)] == rows(
        tmp_path / "whole.db", "SELECT count(*) FROM provisions_fts_docsize"
    )


def test_build_command_failure_exits_1_and_keeps_the_file(content: Path, db: Path, cli):
    before = db.read_bytes()
    (content / "kz-ai" / "law.md").write_bytes(b"\xff\xfe not text")
    code, out, err = cli("build", "--content", content, "--db", db)
    assert 1 == code
    assert "not UTF-8 text" in err
    assert "left unchanged" in err
    assert before == db.read_bytes()


def test_build_command_replaces_the_database(tmp_path: Path, content: Path, cli):
    target = tmp_path / "fresh.db"
    code, out, _ = cli("build", "--content", content, "--db", target)
    assert 0 == code
    assert f"built {target}: 5 provisions, 7 versions" in out
    assert [("5",)] == [(str(n),) for (n,) in rows(target, "SELECT count(*) FROM provisions")]
    assert [] == [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_build_into_a_missing_folder_is_a_clear_error(tmp_path: Path, content: Path, cli):
    code, out, err = cli(
        "build", "--content", content, "--db", tmp_path / "no" / "such" / "data.db"
    )
    assert 2 == code
    assert 1 == len(err.strip().split("\n"))
    assert "does not exist" in err


def test_committed_database_matches_content():
    """data.db in the repository was built from content/ as it is now (rebuild and commit if not)."""
    corpus, problems = load_corpus(REPO / "content")
    assert [] == problems
    [(recorded,)] = rows(REPO / "data.db", "SELECT value FROM meta WHERE key = 'content_hash'")
    assert corpus.content_hash == recorded, "data.db is stale: run `lexpane build` and commit it"


def test_a_fresh_build_of_content_is_the_committed_database(tmp_path: Path, monkeypatch):
    """Every row of every table as in the committed data.db: the build is deterministic, and each
    table's builder writes what the store has always held (rebuild and commit after a change)."""
    monkeypatch.chdir(REPO)  # the store keeps paths as typed from the checkout: content/…
    fresh = tmp_path / "fresh.db"
    build(REPO / "content", fresh)
    committed = REPO / "data.db"
    for table in TABLES:
        sql = f"SELECT rowid, * FROM [{table}] ORDER BY rowid"
        if table == "meta":
            sql = "SELECT * FROM meta WHERE key IN ('schema_version', 'content_hash') ORDER BY key"
        assert rows(committed, sql) == rows(fresh, sql), table
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    assert rows(committed, schema) == rows(fresh, schema)


def test_the_index_is_found_by_sqlite_utils_and_datasette(db: Path):
    # Both detect an external-content FTS table by `content="provisions"` in its SQL.
    import subprocess
    import sys

    import sqlite_utils

    assert "provisions_fts" == sqlite_utils.Database(db)["provisions"].detect_fts()
    found = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(db), "provisions", "camcording",
         "-c", "id", "--csv"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "id\nrc.camcording\n" == found.stdout.replace("\r\n", "\n")


def test_the_collector_stays_off_from_reading_to_the_store_in_place(
    content: Path, tmp_path, monkeypatch
):
    from tui import build as build_module

    seen: list[bool] = []
    for name in ("_writable_target", "_replace"):  # after reading, before and around writing
        real = getattr(build_module, name)

        def watched(*args, real=real, **kwargs):
            seen.append(gc.isenabled())
            return real(*args, **kwargs)

        monkeypatch.setattr(build_module, name, watched)
    assert gc.isenabled()
    build(content, tmp_path / "data.db", full=True)
    assert seen == [False, False] and gc.isenabled()
