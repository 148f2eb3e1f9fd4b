"""The benchmark runs end to end at a small size (its figures are for `python -m tui.bench`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tui.bench import queries
from tui.bench.synth import write_corpus
from tui.build import build
from tui.content import load_corpus
from tui.paths import CHECKOUT_DIR
from tui.search import find
from tui.store import Store


def test_synthetic_corpus_builds_and_holds_the_real_one(tmp_path: Path):
    made = write_corpus(tmp_path / "content", 400, real_content=CHECKOUT_DIR / "content")
    result = build(tmp_path / "content", tmp_path / "data.db")
    assert made.provisions == result.provisions == 400
    real, _ = load_corpus(CHECKOUT_DIR / "content")
    real_ids = {section.id for section in real.sections}
    assert made.synthetic == 400 - len(real_ids) > 0
    store = Store.open(tmp_path / "data.db")
    try:
        # Every real provision is in it, each version with its heading and text.
        for section in real.sections:
            held = {(v.heading, v.body) for v in store.versions(section.id)}
            assert (section.heading, section.body) in held, section.id
        # The real provisions are in it, and still found by what a researcher types.
        assert "kz-ai.art23-human-contribution" in [
            h.record.id for h in find(store, "human creative contribution", limit=5).hits
        ]
        regimes = {r.id: store.count_provisions(r.id) for r in store.regimes()}
        assert all(n > 50 for n in regimes.values()), regimes
    finally:
        store.close()


def test_query_set_covers_what_the_benchmark_promises():
    kinds = [kind for kind, _ in queries.query_set()]
    assert len(kinds) >= 50
    for kind in ("prefix 1", "prefix 2", "prefix 3", "prefix 4", "word", "two words",
                 "three words", "phrase"):  # fmt: skip
        assert kind in kinds
    assert queries.ripgrep_pattern("trusted mod") == r"^(?=.*\btrusted\b)(?=.*\bmod\w*)"
    assert queries.like_patterns('"entry into force" a_b') == ["%entry into force%", "%a\\_b%"]


def test_benchmark_runs_and_reports_every_figure(tmp_path: Path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui.bench",
            "--provisions",
            "300",
            "--runs",
            "1",
            "--build-runs",
            "1",
            "--json",
            "--workdir",
            str(tmp_path),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    report = json.loads(out.stdout)
    assert report["provisions"] == 300
    measures = " | ".join(f"{row['measure']} ({row['baseline']})" for row in report["rows"])
    for expected in ("build", "search p95", "1- and 2-letter", "plain scan", "ripgrep",
                     "first frame, real corpus", "against real corpus", "peak memory",
                     "word diff", "key to results on screen", "command palette", "timeline",
                     "bookmark", "incremental build"):  # fmt: skip
        assert expected in measures, measures
    for row in report["rows"]:
        assert isinstance(row["value"], (int, float)) and row["value"] > 0, row
        if row["target"]:  # a figure with a target says whether it meets it
            assert row["met"] in (True, False), row
    assert len(report["queries"]) >= 50
    assert all(q["ms"] > 0 for q in report["queries"])
