"""A long check or build says how far it is: bars on a terminal, nothing when piped."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tui.build import build


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "LEXPANE_DB"}


def test_build_reports_each_step_in_order(content: Path, tmp_path: Path):
    heard: list[tuple[str, int, int]] = []
    build(content, tmp_path / "data.db", progress=lambda *step: heard.append(step))
    steps = list(dict.fromkeys(step for step, _, _ in heard))
    assert ["reading files", "checking across files", "writing tables",
            "building the search index"] == steps  # fmt: skip
    files = [(done, total) for step, done, total in heard if step == "reading files"]
    assert [(n, 5) for n in range(1, 6)] == files  # one per instrument file, as it is read
    assert ("writing tables", 14, 14) in heard and heard[-1] == ("building the search index", 1, 1)


def test_piped_build_and_check_print_no_bars(content: Path, tmp_path: Path):
    for args in (["check", "--content", str(content)],
                 ["build", "--content", str(content), "--db", str(tmp_path / "d.db")]):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "tui", *args],
            capture_output=True, text=True, cwd=REPO, env=_env(), timeout=120,
        )  # fmt: skip
        assert 0 == done.returncode
        assert "" == done.stderr
        assert 1 == len(done.stdout.splitlines())


def test_a_build_on_a_terminal_shows_its_steps_then_only_the_result(content: Path, tmp_path: Path):
    master, slave = os.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "tui", "build", "--content", str(content),
             "--db", str(tmp_path / "d.db")],
            stdin=slave, stdout=slave, stderr=slave, cwd=REPO,
            env={**_env(), "TERM": "xterm-256color", "COLUMNS": "100"},
        )  # fmt: skip
        os.close(slave)
        out = b""
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            try:
                chunk = os.read(master, 65536) if ready else b""
            except OSError:  # the child has gone and closed its side
                break
            if not chunk:
                break
            out += chunk
        assert 0 == child.wait(timeout=60)
    finally:
        os.close(master)
    shown = out.decode("utf-8", "replace")
    for step in ("reading files", "writing tables", "building the search index"):
        assert step in shown, shown
    # The bars are gone at the end: the last line is the result alone.
    last = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown).replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("built ") and last.endswith(
        " links (every file read: there is no d.db yet)"
    ), last
