"""The store under strain: files that are no database to read (a pipe, a read-only place, WAL mode,
views that never end) refused in one line, a rebuilt file reopened, and a superseded query
stopped in SQLite without stopping any other."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.conftest import altered_copy, sqlite_file
from tests.test_db_faults import assert_one_line_error, run
from tui.app import make_app
from tui.build import build
from tui.errors import StoreError
from tui.screens.search import SearchScreen
from tui.store import Interrupted, Store

SEARCH = ["search", "copyright"]


# -- refused at open, in one line, without hanging ----------------------------------------------


def test_a_fifo_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "data.db"
    os.mkfifo(fifo)
    # Opening a FIFO to read blocks until a writer comes: `run` fails on its timeout if it does.
    assert_one_line_error(run([*SEARCH, "--db", str(fifo)]), "is not a regular file")


def _wal_copy(db: Path, folder: Path, keep_sidecars: bool) -> Path:
    """A copy of `db` in WAL mode; with `keep_sidecars`, its -wal and -shm left as a killed
    writer leaves them."""
    folder.mkdir(exist_ok=True)
    copy = folder / "data.db"
    shutil.copy(db, copy)
    script = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA journal_mode = WAL')\n"
        "conn.execute(\"UPDATE meta SET value = value || '' WHERE key = 'built_at'\")\n"
        "conn.commit()\n"
        "os._exit(0) if sys.argv[2] == 'keep' else conn.close()\n"
    )
    mode = "keep" if keep_sidecars else "close"
    subprocess.run([sys.executable, "-c", script, str(copy), mode], check=True, timeout=60)
    return copy


@pytest.mark.parametrize("keep_sidecars", [False, True], ids=["-wal and -shm absent", "present"])
def test_a_wal_mode_database_is_refused_and_nothing_is_written_beside_it(
    tmp_path: Path, db: Path, keep_sidecars: bool
):
    copy = _wal_copy(db, tmp_path / "wal", keep_sidecars)
    before = {p.name: p.read_bytes() for p in copy.parent.iterdir()}
    assert keep_sidecars == ("data.db-wal" in before)
    done = run([*SEARCH, "--db", str(copy)])
    assert_one_line_error(done, "is in WAL mode")
    assert "PRAGMA journal_mode=DELETE" in done.stderr
    assert before == {p.name: p.read_bytes() for p in copy.parent.iterdir()}


def _half_written(db: Path, folder: Path) -> Path:
    """A copy of `db` that a writer killed mid-transaction left with a hot -journal beside it."""
    folder.mkdir(exist_ok=True)
    copy = altered_copy(
        db,
        folder / "data.db",
        "CREATE TABLE filler (x)",
        # 2,000 rows of 1,000 characters: more than a small cache holds mid-transaction.
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
        "INSERT INTO filler SELECT replace(hex(zeroblob(500)), '0', 'x') FROM n",
    )
    script = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA cache_size = 5')\n"
        "conn.execute('BEGIN')\n"
        "conn.execute(\"UPDATE filler SET x = 'y' || x\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(copy)], check=True, timeout=60)
    assert (folder / "data.db-journal").stat().st_size > 0
    return copy


def test_a_database_left_half_written_is_named_in_one_line(tmp_path: Path, db: Path):
    copy = _half_written(db, tmp_path / "half")
    done = run([*SEARCH, "--db", str(copy)])
    assert_one_line_error(done, "was left half-written by another program")
    assert "data.db-journal" in done.stderr


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written in: a read-only tmpfs (as root), else a folder without
    write permission. Fill it, then call `seal` on it."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        mount = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], capture_output=True
        )
        if mount.returncode != 0:
            pytest.skip("needs a read-only folder: root here cannot mount a tmpfs to make one")
        mounted = True
    yield folder
    if mounted:
        subprocess.run(["umount", str(folder)], check=True)
    else:
        folder.chmod(0o755)


def seal(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    with pytest.raises(OSError):
        (folder / "probe").touch()


def test_a_good_database_on_a_read_only_location_is_read(read_only_folder: Path, db: Path):
    shutil.copy(db, read_only_folder / "data.db")
    seal(read_only_folder)
    done = run([*SEARCH, "--db", str(read_only_folder / "data.db")])
    assert (0, "") == (done.returncode, done.stderr)
    assert "kz.art23" in done.stdout


def test_a_wal_database_on_a_read_only_location_says_read_only(
    tmp_path: Path, read_only_folder: Path, db: Path
):
    copy = _wal_copy(db, tmp_path / "wal", keep_sidecars=False)
    shutil.copy(copy, read_only_folder / "data.db")
    seal(read_only_folder)
    done = run([*SEARCH, "--db", str(read_only_folder / "data.db")])
    assert_one_line_error(done, "is in WAL mode and on a read-only location")
    assert "rebuild it" not in done.stderr


def test_a_half_written_database_on_a_read_only_location_says_read_only(
    tmp_path: Path, read_only_folder: Path, db: Path
):
    copy = _half_written(db, tmp_path / "half")
    for name in ("data.db", "data.db-journal"):
        shutil.copy(copy.with_name(name), read_only_folder / name)
    seal(read_only_folder)
    done = run([*SEARCH, "--db", str(read_only_folder / "data.db")])
    assert_one_line_error(done, "is on a read-only location")
    assert "copy it to a writable folder" in done.stderr
    assert "rebuild it" not in done.stderr


LOOP = "WITH RECURSIVE r(key, value) AS (SELECT 'k', 0 UNION ALL SELECT key, value + 1 FROM r)"


def _foreign(tmp: Path, statements: list[str]) -> Path:
    return sqlite_file(tmp / "foreign.db", *statements)


def test_a_meta_view_that_never_ends_is_refused_at_once(tmp_path: Path):
    path = _foreign(tmp_path, [f"CREATE VIEW meta AS {LOOP} SELECT key, value FROM r"])
    started = time.monotonic()
    assert_one_line_error(run([*SEARCH, "--db", str(path)]), "is not a lexpane database")
    assert time.monotonic() - started < 30


def test_a_lexpane_look_alike_whose_tables_are_looping_views_is_refused(tmp_path: Path, db: Path):
    copy = altered_copy(
        db,
        tmp_path / "alike.db",
        "DROP TABLE regimes",
        f"CREATE VIEW regimes AS {LOOP} SELECT key AS id, value AS position FROM r",
    )
    done = run([*SEARCH, "--db", str(copy)])
    assert_one_line_error(done, "is not a lexpane database (it has no table regimes")


# -- a rebuilt file is reopened ------------------------------------------------------------------


def test_refresh_reopens_a_rebuilt_file_and_forgets_what_it_kept(content: Path, db: Path):
    with Store.open(db) as store:
        assert "Russia · AI" == store.regimes()[0].title
        assert 1 == store.memo("answer", lambda: 1)
        assert store.refresh() is False  # the same file: nothing to do
        regimes = content / "regimes.yaml"
        regimes.write_text(
            regimes.read_text(encoding="utf-8").replace("Russia · AI", "Russia · AI bill"),
            encoding="utf-8",
        )
        build(content, db)
        assert store.refresh() is True
        assert 1 == store.generation
        assert "Russia · AI bill" == store.regimes()[0].title
        assert 2 == store.memo("answer", lambda: 2)  # worked out again for the new file
        assert store.refresh() is False


def test_refresh_names_a_broken_file_and_keeps_the_old_view_until_a_good_one(
    content: Path, db: Path
):
    with Store.open(db) as store:
        garbage = db.with_name("garbage")
        garbage.write_bytes(b"\x00" * 4096)
        os.replace(garbage, db)
        with pytest.raises(StoreError, match="not a SQLite database"):
            store.refresh()
        assert 5 == len(store.provisions())  # still the file it had open
        with pytest.raises(StoreError, match="not a SQLite database"):
            store.refresh()  # tried again each time, not taken as done
        build(content, db, force=True)  # over the garbage: the same content as before
        store.refresh()  # reopened, with nothing new to show
        assert 5 == len(store.provisions())


# -- a superseded query is stopped in SQLite, and only it ----------------------------------------

#: A query that runs for minutes unless it is interrupted.
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
#: A query that runs for about a second.
SECOND = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) "
    "SELECT count(*) FROM c"
)


def in_thread(store: Store, token: object | None, sql: str) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def work() -> None:
        started = time.monotonic()
        try:
            if token is None:
                outcome["rows"] = store.query(sql)[0][0]
            else:
                with store.job(token):
                    outcome["rows"] = store.query(sql)[0][0]
        except StoreError as exc:
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


def test_cancel_stops_the_running_query_of_its_job(store: Store):
    token = object()
    thread, outcome = in_thread(store, token, ENDLESS)
    time.sleep(0.3)
    store.cancel(token)
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert isinstance(outcome["error"], Interrupted)
    assert outcome["seconds"] < 10
    assert 5 == len(store.provisions())  # the store goes on


def test_cancelling_a_waiting_job_leaves_the_running_query_alone(store: Store):
    running, waiting = object(), object()
    first, done = in_thread(store, running, SECOND)
    time.sleep(0.2)
    second, skipped = in_thread(store, waiting, "SELECT count(*) FROM provisions")
    time.sleep(0.1)
    store.cancel(waiting)  # queued behind the running query: never runs, never interrupts it
    first.join(timeout=60)
    second.join(timeout=60)
    assert 5000000 == done["rows"]
    assert isinstance(skipped["error"], Interrupted)


def test_a_query_outside_any_job_is_never_interrupted(store: Store):
    thread, outcome = in_thread(store, None, SECOND)
    time.sleep(0.2)
    store.cancel(object())
    store.cancel(None)
    thread.join(timeout=60)
    assert 5000000 == outcome["rows"]


def slow_corpus(content: Path, provisions: int = 40, words: int = 5000) -> None:
    """Provisions of many distinct words sharing a prefix: a search for the prefix takes seconds,
    each provision's snippet a fraction of one (FTS5 cannot stop inside a snippet, but SQLite
    stops between rows)."""
    law = content / "kz-ai" / "law.md"
    glossary = " ".join(f"slowterm{i:06d}" for i in range(words))
    law.write_text(
        law.read_text(encoding="utf-8")
        + "".join(
            f"\n## Glossary, part {n}\n\n```yaml\nid: kz.glossary-{n}\nstatus: in force\n"
            f"topics: [copyright]\n```\n\n{glossary}\n"
            for n in range(provisions)
        ),
        encoding="utf-8",
    )


async def test_a_superseded_search_is_interrupted_quietly_and_the_newest_shows(
    tmp_path: Path, content: Path
):
    slow_corpus(content)
    db = tmp_path / "slow.db"
    build(content, db)
    failures: list[object] = []

    def watch(message) -> None:
        if isinstance(message, SearchScreen.Failed):
            failures.append(message.reason)

    app = make_app(db)
    async with app.run_test(size=(120, 35), message_hook=watch) as pilot:
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        box = screen.query_one(Input)
        # Set, not typed: Pilot's keys wait for an idle process, and a search keeps it busy.
        for text in ("s", "slow", "slowterm"):  # each supersedes a search of seconds
            started = time.monotonic()
            box.value = text  # waited for here QUICK seconds at most
            assert time.monotonic() - started < 0.5  # the explorer is not held by it
            await pilot.pause(0.2)
        assert 0 == screen.query_one("#results", OptionList).option_count  # still searching
        started = time.monotonic()
        box.value = "camcord"
        results = screen.query_one("#results", OptionList)
        while not results.option_count and time.monotonic() - started < 30:
            await pilot.pause(0.05)
        waited = time.monotonic() - started
        assert ["rc.camcording"] == [o.id for o in results.options]
        assert str(screen.query_one("#search-status").render()).startswith("1 result, best first")
        # Without the interrupt it waits for the slow search to end (about 6 s alone).
        assert waited < 3, waited
        await app.workers.wait_for_complete()
        assert [] == failures
        assert all(w.state.name != "ERROR" for w in app.workers)


async def test_a_search_that_fails_unexpectedly_says_so_in_one_line_and_the_app_runs_on(
    tmp_path: Path, db: Path
):
    # A database `lexpane check` never let through: a thesaurus term that is no text.
    copy = altered_copy(
        db, tmp_path / "odd.db", "INSERT INTO thesaurus (group_id, term) VALUES (999, 'x')"
    )
    app = make_app(copy)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("slash", *"camcordng")  # a typo: the search widens, reading the thesaurus
        status = app.screen.query_one("#search-status")
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if "failed" in str(status.render()):
                break
        shown = str(status.render()).strip()
        assert shown.startswith("search failed: AttributeError: ")
        assert "\n" not in shown
        assert isinstance(app.screen, SearchScreen) and app.is_running
        await pilot.press("ctrl+u", *"regime:kz")  # no words to widen: it is found
        results = app.screen.query_one("#results", OptionList)
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if results.option_count:
                break
        assert ["kz.art23"] == [o.id for o in results.options]
