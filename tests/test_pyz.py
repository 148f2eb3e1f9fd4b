"""The one-file install: lexpane.pyz carries every dependency and data.db, and runs without pip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_pyz_runs_on_a_python_with_nothing_installed(tmp_path: Path):
    pyz = tmp_path / "lexpane.pyz"
    built = subprocess.run(
        [sys.executable, "-m", "shiv", "-c", "lexpane", "-o", str(pyz), str(REPO)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert 0 == built.returncode, built.stderr[-2000:]
    bare = tmp_path / "bare"
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=120)
    python = bare / "bin" / "python"
    assert 0 != subprocess.run([python, "-c", "import textual"], capture_output=True).returncode
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LEXPANE_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["SHIV_ROOT"] = str(tmp_path / "shiv-cache")
    done = subprocess.run(
        [python, str(pyz), "search", "copyright", "--json"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=120,
    )  # fmt: skip
    assert 0 == done.returncode, done.stderr
    records = json.loads(done.stdout)
    assert records and all("snippet" in r for r in records)
    assert [] == list(elsewhere.iterdir())
