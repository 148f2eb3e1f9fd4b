"""Each command through the `lexpane` entry point, with real arguments and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_search_json_gives_ranked_full_records(db: Path, cli):
    code, out, err = cli("search", "copyright", "--json", "--db", db)
    assert (0, "") == (code, err)
    records = json.loads(out)
    assert len(records) >= 2
    for key in ("id", "regime", "jurisdiction", "instrument", "number", "heading", "body", "status",
                "topics", "quotes", "rank", "snippet"):  # fmt: skip
        assert key in records[0], key
    ranks = [r["rank"] for r in records]
    assert ranks == sorted(ranks)
    assert any("**" in r["snippet"] for r in records)


def test_search_options(db: Path, cli):
    code, out, _ = cli(
        "search", "copyright", "--json", "--regime", "kz", "--limit", "1", "--db", db
    )
    assert 0 == code
    assert ["kz.art23"] == [r["id"] for r in json.loads(out)]
    code, out, _ = cli("search", "copyright", "--topic", "camcording", "--db", db)
    assert (0, "no provisions match (try fewer words, or a shorter prefix)\n") == (code, out)


def test_search_text_output(db: Path, cli):
    code, out, _ = cli("search", "camcord", "--db", db)
    assert 0 == code
    assert out.startswith(" 1. rc.camcording  [ru-copyright · open gap]\n")


def test_db_from_environment(db: Path, cli, monkeypatch):
    monkeypatch.setenv("LEXPANE_DB", str(db))
    code, out, _ = cli("search", "camcord", "--json")
    assert 0 == code
    assert ["rc.camcording"] == [r["id"] for r in json.loads(out)]


def test_db_before_the_command(db: Path, cli):
    code, out, _ = cli("--db", db, "show", "kz.art23", "--json")
    assert 0 == code
    assert "kz.art23" == json.loads(out)["id"]


def test_show_prints_the_provision_with_its_source(db: Path, cli):
    code, out, _ = cli("show", "rc.camcording", "--db", db)
    assert 0 == code
    assert out.startswith("rc.camcording\nCriminal Code art. 146 · Camcording\n")
    assert (
        "Source:     “2017 Special 301 Report on Copyright Protection and Enforcement” (2017;\n"
        "            advocacy report)" in out
    )
    assert "“The total number of sourced camcord pirate copies" in out
    assert "→ same subject as ru.training (Russia · AI)" in out


def test_show_says_when_sources_disagree_and_what_each_says(db: Path, cli):
    code, out, _ = cli("show", "ru.training", "--db", db)
    assert 0 == code
    assert (
        "\nSources disagree: Whether the bill still regulates training AI on copyrighted works.\n"
        in out
    )
    assert (
        "  “AI bill submitted to the State Duma” (2026-07-02, fourth paragraph): The bill as\n"
        "    submitted sets a framework for training on copyrighted works."
    ) in out
    code, out, _ = cli("show", "ru.training", "--json", "--db", db)
    record = json.loads(out)
    assert record["conflict"].startswith("Whether the bill still regulates")
    assert "later-news" == record["claims"][1]["source"]


def test_show_json(db: Path, cli):
    code, out, _ = cli("show", "ru.trusted", "--json", "--db", db)
    record = json.loads(out)
    assert 0 == code
    assert ["earlier", "revised"] == record["versions"]
    assert "deleted in revision" == record["status"]


def test_diff_of_two_versions(db: Path, cli):
    code, out, _ = cli("diff", "ru.labelling@earlier", "ru.labelling@revised", "--db", db)
    assert 0 == code
    assert "--- ru.labelling@earlier: Labelling of AI-generated content" in out
    flowing = " ".join(out.split())
    assert "[-must-] {+need only offer users the option to+} label [-all-] AI-generated" in flowing
    assert "[-content as such.-] {+content.+}" in flowing


def test_diff_json_of_a_deleted_version_strikes_everything(db: Path, cli):
    code, out, _ = cli("diff", "ru.trusted@earlier", "ru.trusted@revised", "--json", "--db", db)
    result = json.loads(out)
    assert 0 == code
    assert (0, 9, 0) == (result["added"], result["removed"], result["unchanged"])
    assert ["delete"] == [run["op"] for run in result["runs"]]
    assert result["b"]["deleted"] is True


def test_diff_across_regimes(db: Path, cli):
    code, out, _ = cli("diff", "ru.training", "kz.art23", "--json", "--db", db)
    assert 0 == code
    assert json.loads(out)["added"] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nope"], "no provision 'nope'"),
        (["diff", "ru.trusted@draft", "ru.trusted"], "no version 'draft' of 'ru.trusted'"),
        (["search"], "the following arguments are required: query"),
        (["search", "x", "--limit", "zero"], "expected a whole number"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_errors_are_one_line_with_status_2(db: Path, cli, args, message):
    code, out, err = cli(*args, "--db", db)
    assert 2 == code
    assert "" == out
    assert 1 == len(err.strip().split("\n")), err
    assert message in err


@pytest.mark.parametrize("command", [[], ["search", "x"], ["show", "x"], ["diff", "a", "b"]])
def test_missing_database_is_one_line_with_status_2(tmp_path: Path, cli, command):
    code, out, err = cli(*command, "--db", tmp_path / "none.db")
    assert 2 == code
    assert f"lexpane: error: database not found: {tmp_path / 'none.db'}" in err
    assert 1 == len(err.strip().split("\n"))


def test_real_process_prints_no_traceback(tmp_path: Path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 10)
    for args in (["show", "x"], ["search", "x"], []):
        done = subprocess.run(
            [sys.executable, "-m", "tui", *args, "--db", str(garbage)],
            capture_output=True, text=True, cwd=REPO, timeout=60,
        )  # fmt: skip
        assert 2 == done.returncode
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("lexpane: error: not a SQLite database")


def test_version_flag(cli):
    code, out, _ = cli("--version")
    assert 0 == code
    assert out.startswith("lexpane ")


def test_build_help_names_force(cli):
    code, out, _ = cli("build", "--help")
    assert 0 == code
    assert "--force replace the --db file even if it is not a lexpane database" in " ".join(
        out.split()
    )
