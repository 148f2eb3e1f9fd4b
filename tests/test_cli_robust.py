"""The real `lexpane` process never prints a traceback: a closed pipe, a full disk, arguments that
are not UTF-8 or hold escape sequences, absurd limits. One line on stderr, the right exit status."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

LEXPANE = [sys.executable, "-m", "tui"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LEXPANE_DB"}
    return {**env, "NO_COLOR": "1"}


def run(*args: str | bytes | Path, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*LEXPANE, *(a if isinstance(a, bytes) else str(a) for a in args)],
        stdout=stdout, stderr=subprocess.PIPE, cwd=REPO, env=_env(), timeout=120,
    )  # fmt: skip


def one_error_line(done: subprocess.CompletedProcess) -> str:
    """The only line of stderr, decoded; the process said nothing else and exited 2."""
    assert 2 == done.returncode, done.stderr
    lines = done.stderr.decode("utf-8").splitlines()
    assert 1 == len(lines), lines
    return lines[0]


COMMANDS = [
    ["search", "law"],
    ["search", "copyright", "--json", "--limit", "1000"],
    ["show", "kz.art23"],
    ["show", "ru.training", "--json"],
    ["diff", "ru.labelling@earlier", "ru.labelling@revised"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_a_reader_that_goes_away_ends_it_quietly(db, args):
    """`lexpane search law | head -1`, with the reader gone before the first byte is written."""
    assert (0, b"") == _to_a_closed_pipe(*args, "--db", str(db))


def test_check_to_a_closed_pipe_is_quiet_too(content):
    (content / "kz-ai" / "law.md").write_text("no front matter\n", encoding="utf-8")
    assert (0, b"") == _to_a_closed_pipe("check", "--content", str(content))


def _to_a_closed_pipe(*args: str) -> tuple[int, bytes]:
    """Run lexpane with its stdout a pipe nobody reads: its exit status and stderr."""
    child = subprocess.Popen(
        [*LEXPANE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=_env()
    )
    child.stdout.close()
    err = child.stderr.read()
    child.stderr.close()
    return child.wait(timeout=120), err


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["--version"]])
def test_help_to_a_closed_pipe_is_quiet(args):
    child = subprocess.Popen(
        [*LEXPANE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=_env()
    )
    child.stdout.close()
    err = child.stderr.read()
    child.stderr.close()
    assert (0, b"") == (child.wait(timeout=120), err)


def test_head_gets_its_line(db):
    shell = f"{' '.join(LEXPANE)} search law --db '{db}' | head -1"
    done = subprocess.run(
        ["sh", "-c", shell], capture_output=True, cwd=REPO, env=_env(), timeout=120
    )
    assert (0, b"") == (done.returncode, done.stderr)
    assert 1 == len(done.stdout.splitlines())


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_a_full_disk_for_the_output_is_one_line(db, args):
    with open("/dev/full", "wb") as full:
        done = run(*args, "--db", db, stdout=full)
    assert "lexpane: error: cannot write the output: No space left on device" == one_error_line(
        done
    )


@pytest.mark.parametrize(
    "args",
    [
        [b"search", b"\xff"],
        [b"search", b"caf\xe9"],
        [b"show", b"\xff"],
        [b"diff", b"kz.art23", b"ru.\xfftraining"],
        [b"search", b"law", b"--topic", b"\xff"],
        [b"search", b"law", b"--regime", b"\xc3"],
    ],
    ids=lambda a: " ".join(map(repr, a)),
)
def test_arguments_that_are_not_utf8_are_one_line(db, args):
    done = run(*args, "--db", db)
    line = one_error_line(done)
    assert line.startswith("lexpane: error: argument '")
    assert "is not UTF-8 text: type it again" in line
    assert "\\x" in line  # the stray byte, shown as an escape


def test_the_stray_byte_is_named(db):
    done = run(b"show", b"ru.\xfftraining", "--db", db)
    assert (
        "lexpane: error: argument 'ru.\\xfftraining' is not UTF-8 text: type it again "
        "(and check the terminal's or the script's encoding)"
    ) == one_error_line(done)


def test_a_database_path_that_is_not_utf8_still_works(tmp_path, db):
    odd = os.fsencode(tmp_path) + b"/caf\xe9.db"
    shutil.copy(db, odd)
    done = run("search", "camcord", "--db", odd)
    assert (0, b"") == (done.returncode, done.stderr)
    assert done.stdout.startswith(b" 1. rc.camcording")
    done = run("show", "nope", "--db", odd)
    assert one_error_line(done).startswith("lexpane: error: no provision 'nope'")


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["show", "\x1b]0;owned\x07"], "no provision '\\x1b]0;owned\\x07'"),
        (["search", "law", "--regime", "\x1b[2J"], "\\x1b[2J"),
        (["\x9b2J"], "invalid choice: '\\x9b2J'"),
        (["search", "law", "--bogus\x1b]52;c;eA==\x07"], "unrecognized arguments: --bogus\\x1b]52"),
    ],
)
def test_escape_sequences_in_arguments_are_shown_as_text(db, args, shown):
    done = run(*args, "--db", db)
    line = one_error_line(done)
    assert shown in line
    assert "\x1b" not in line and "\x9b" not in line and "\x07" not in line


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "argument --limit: must be at least 1"),
        ("-1", "argument --limit: must be at least 1"),
        (str(10**30), "argument --limit: must be at most 1000, got 10000000000000000000…"),
        ("1001", "argument --limit: must be at most 1000, got 1001"),
        ("abc", "argument --limit: expected a whole number, got 'abc'"),
        ("9" * 5000, "argument --limit: must be at most 1000, got 99999999999999999999…"),
    ],
    ids=["0", "-1", "10**30", "1001", "abc", "5000 digits"],
)
def test_absurd_limits_are_one_line(db, limit, message):
    done = run("search", "law", "--limit", limit, "--db", db)
    assert f"lexpane search: error: {message} (see lexpane search --help)" == one_error_line(done)


def test_the_largest_limit_is_taken(db):
    done = run("search", "law", "--limit", "1000", "--json", "--db", db)
    assert (0, b"") == (done.returncode, done.stderr)
