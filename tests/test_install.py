"""The bundled data.db travels inside the wheel, and an installed lexpane finds it from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from importlib.metadata import distributions, version
from pathlib import Path

from tests.conftest import REPO


def test_installed_wheel_finds_its_bundled_database(tmp_path: Path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert 0 == build.returncode, build.stderr
    [wheel] = wheels.glob("lexpane-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "tui/data.db" in archive.namelist()
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert 0 == install.returncode, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "LEXPANE_DB"}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run(
        [sys.executable, "-m", "tui", "search", "copyright", "--json", "--limit", "3"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60,
    )  # fmt: skip
    assert 0 == done.returncode, done.stderr
    assert 3 == len(json.loads(done.stdout))
    assert not (elsewhere / "data.db").exists()
    # The installed `lexpane` command says the version its own metadata records.
    [installed] = [d for d in distributions(path=[str(site)]) if d.metadata["Name"] == "lexpane"]
    said = subprocess.run(
        [str(site / "bin" / "lexpane"), "--version"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60,
    )  # fmt: skip
    assert (0, f"lexpane {installed.version}\n") == (said.returncode, said.stdout), said.stderr


def test_version_is_the_installed_metadata_through_the_lexpane_command():
    command = Path(sys.executable).with_name("lexpane")  # the console script pip made
    done = subprocess.run([str(command), "--version"], capture_output=True, text=True, timeout=60)
    assert (0, f"lexpane {version('lexpane')}\n", "") == (done.returncode, done.stdout, done.stderr)
