"""`lexpane build --db PATH`: what it may replace, what killed builds leave, and a full disk."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, old_schema_copy, sqlite_file
from tui.build import build

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def _foreign_sqlite(path: Path) -> Path:
    return sqlite_file(
        path,
        "CREATE TABLE accounts (name TEXT, balance INTEGER)",
        "INSERT INTO accounts VALUES ('ada', 100)",
    )


def _sqlite_with_another_meta(path: Path) -> Path:
    return sqlite_file(
        path,
        "CREATE TABLE meta (key TEXT, value TEXT)",
        "INSERT INTO meta VALUES ('owner', 'someone else')",
    )


FOREIGN = [
    ("the regimes file", lambda tmp, content: content / "regimes.yaml"),
    ("a foreign SQLite database", lambda tmp, content: _foreign_sqlite(tmp / "accounts.db")),
    ("SQLite with a meta table of its own", lambda tmp, content: _sqlite_with_another_meta(tmp / "m.db")),
    ("an empty file", lambda tmp, content: _write(tmp / "empty.db", b"")),
    ("text that starts like SQLite", lambda tmp, content: _write(tmp / "fake.db", b"SQLite format 3\x00" + b"x" * 200)),
]  # fmt: skip


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(("name", "make"), FOREIGN, ids=[f[0] for f in FOREIGN])
def test_build_will_not_replace_a_file_that_is_not_a_lexpane_database(
    tmp_path, content, cli, name, make
):
    target = make(tmp_path, content)
    before = target.read_bytes()
    files = _names(target.parent)
    code, out, err = cli("build", "--content", content, "--db", target)
    assert (2, "") == (code, out)
    assert [
        f"lexpane: error: will not replace {target}: it is not a lexpane database "
        "(check --db, or add --force to replace it)"
    ] == err.splitlines()
    assert before == target.read_bytes()
    assert files == _names(target.parent)  # no temporary file left either


def test_force_replaces_it(tmp_path, content, cli):
    target = _foreign_sqlite(tmp_path / "accounts.db")
    code, out, err = cli("build", "--content", content, "--db", target, "--force")
    assert (0, "") == (code, err)
    assert out.startswith(f"built {target}: 5 provisions")
    conn = sqlite3.connect(target)
    assert [("5",)] == [(str(n),) for (n,) in conn.execute("SELECT count(*) FROM provisions")]
    conn.close()


def test_a_lexpane_database_of_an_older_schema_is_replaced_without_force(tmp_path, db, cli):
    old = old_schema_copy(tmp_path, db)
    code, out, err = cli("build", "--content", tmp_path / "content", "--db", old)
    assert (0, "") == (code, err)
    conn = sqlite3.connect(old)
    [(version,)] = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'")
    conn.close()
    assert "0" != version


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_never_replaced_even_with_force(tmp_path, content):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "tui", "build", "--content", str(content), "--db", str(fifo),
         "--force"],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )  # fmt: skip
    assert 2 == done.returncode
    assert [
        f"lexpane: error: cannot build {fifo}: it is not a regular file; give a file path with --db"
    ] == done.stderr.splitlines()
    assert fifo.is_fifo()


# -- temporary files ---------------------------------------------------------------------------


def test_temporary_files_of_killed_builds_are_removed(tmp_path, content, cli):
    target = tmp_path / "data.db"
    stale = [tmp_path / ".data.db.k3j2h1x9.tmp", tmp_path / ".data.db.0000abcd.tmp"]
    for path in stale:
        path.write_bytes(b"SQLite format 3\x00 half a database")
    others = [tmp_path / ".other.db.k3j2h1x9.tmp", tmp_path / ".data.db.notes", tmp_path / "x.tmp"]
    for path in others:
        path.write_bytes(b"not ours")
    code, _, err = cli("build", "--content", content, "--db", target)
    assert (0, "") == (code, err)
    assert sorted(["content", "data.db", *(p.name for p in others)]) == _names(tmp_path)


@pytest.mark.skipif(fcntl is None, reason="builds mark their files with flock")
def test_the_temporary_file_of_a_running_build_is_left_alone(tmp_path, content, cli):
    running = tmp_path / ".data.db.r7u2n9ng.tmp"
    running.write_bytes(b"SQLite format 3\x00 being written")
    fd = os.open(running, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a build holds it while it writes
        code, _, err = cli("build", "--content", content, "--db", tmp_path / "data.db")
        assert (0, "") == (code, err)
        assert running.exists()
    finally:
        os.close(fd)
    code, _, _ = cli("build", "--content", content, "--db", tmp_path / "data.db")
    assert 0 == code
    assert not running.exists()  # its build is gone: the next one clears it


def test_a_killed_build_leaves_a_temporary_file_that_the_next_build_removes(tmp_path, content):
    """Kill a real build while it writes (SIGKILL: no clean-up runs), then build again."""
    target = tmp_path / "data.db"
    build(content, target)
    before = target.read_bytes()
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "import tui.build as b\n"
        "real = b.write_store\n"
        "def write_and_die(corpus, path, *rest):\n"
        "    real(corpus, path, *rest)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "b.write_store = write_and_die\n"
        "b.build(Path(sys.argv[1]), Path(sys.argv[2]), full=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(content), str(target)], cwd=REPO, timeout=120
    )
    assert -signal.SIGKILL == done.returncode
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".data.db.")]
    assert 1 == len(leftovers)
    assert before == target.read_bytes()
    build(content, target)
    assert ["content", "data.db"] == _names(tmp_path)


# -- a full disk -------------------------------------------------------------------------------


def _asking_for(how: str, content: Path) -> list[str]:
    """The build's own arguments: a full build, or an incremental one after an edit."""
    if how == "--full":
        return ["--full"]
    with (content / "kz-ai" / "law.md").open("a", encoding="utf-8") as law:
        law.write("\nOne more sentence, to be read again.\n")
    return []


BUILDS = pytest.mark.parametrize("how", ["--full", "incremental"])


@BUILDS
@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no file size limits here")
def test_a_disk_that_fills_during_the_build_leaves_the_database(tmp_path, content, db, how):
    """RLIMIT_FSIZE stands in for a full disk: writes past it fail (SIGXFSZ ignored)."""
    import resource

    asked = _asking_for(how, content)
    before = db.read_bytes()
    limit = 48 * 1024
    assert len(before) > 2 * limit  # the old database is bigger: only new writes are cut short

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "build", "--content", str(content), "--db", str(db), *asked],
        capture_output=True, text=True, cwd=REPO, timeout=120, preexec_fn=small_disk, env=env,
    )  # fmt: skip
    assert (2, "") == (done.returncode, done.stdout)
    [line] = done.stderr.splitlines()
    assert line.startswith(f"lexpane: error: cannot write {db}: ")
    assert line.endswith("; nothing was replaced")
    assert before == db.read_bytes()
    assert ["content", "data.db"] == _names(tmp_path)


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("mount") is None, reason="mounting a tmpfs needs root"
)
@BUILDS
def test_a_really_full_disk(tmp_path, content, db, how):
    """The same on a small tmpfs, where SQLite itself says the disk is full."""
    asked = _asking_for(how, content)
    disk = tmp_path / "disk"
    disk.mkdir()
    size = len(db.read_bytes())
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size * 3 // 2}", "tmpfs", str(disk)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        target = disk / "data.db"
        shutil.copy(db, target)
        done = subprocess.run(
            [sys.executable, "-m", "tui", "build", "--content", str(content), "--db", str(target),
             *asked],
            capture_output=True, text=True, cwd=REPO, timeout=120,
        )  # fmt: skip
        assert 2 == done.returncode
        assert [
            f"lexpane: error: cannot write {target}: database or disk is full; nothing was replaced"
        ] == done.stderr.splitlines()
        assert db.read_bytes() == target.read_bytes()
        assert ["data.db"] == _names(disk)
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_folder_whose_name_looks_like_a_uri_holds_the_store_and_nothing_else(
    tmp_path, content, monkeypatch
):
    # The store is opened by URI while it is written: its path is quoted, not read as one, and
    # the tables written beside it in memory leave no file (here, or where the build ran).
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "a?mode=memory#x %20 é"
    folder.mkdir()
    result = build(content, folder / "data.db", full=True)
    assert _names(folder) == ["data.db"]
    assert _names(tmp_path) == sorted([folder.name, content.name])
    with sqlite3.connect(folder / "data.db") as conn:
        assert result.provisions == conn.execute("SELECT count(*) FROM provisions").fetchone()[0]
        assert result.quotes == conn.execute("SELECT count(*) FROM quotes").fetchone()[0] > 0
