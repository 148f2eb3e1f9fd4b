"""Citations and exports: what a researcher pastes into a memo."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

from tests.screen import screen_text
from tui.app import make_app
from tui.render import citation
from tui.store import Store
from tui.userdata import UserData


def test_citation_of_a_draft_provision_names_version_source_and_date(store: Store):
    text = citation(store, store.provision("ru.labelling"))
    assert text == (
        "Draft AI law (revised draft), “Labelling of AI-generated content” [draft]. Source: Cryptopolitan, "
        "“Russia bets on domestic AI but won’t ban foreign models” (2026-06-23; news report). "
        "lexpane: ru.labelling@revised"
    )


def test_citation_of_an_article_and_of_a_deleted_provision(store: Store):
    assert citation(store, store.provision("kz.art23")).startswith(
        'Law "On artificial intelligence", Art. 23 (“Human creative contribution”). Source: Timur Berekmoinov,'
    )
    assert "(undated; legal commentary). lexpane: kz.art23" in citation(
        store, store.provision("kz.art23")
    )
    assert ", deleted in the revision." in citation(store, store.provision("ru.trusted"))


def test_citation_says_when_a_date_is_only_expected_and_when_sources_disagree(store: Store):
    text = citation(store, store.provision("ru.training"))
    assert "[deleted in revision]" not in text and ", deleted in the revision" in text
    assert "(sources disagree)" in text
    assert "(sources disagree)" not in citation(store, store.provision("ru.labelling"))


def test_export_markdown_reads_like_a_memo(db: Path, cli):
    UserData.open().save_note("rc.camcording", "Check the 2013 amendment.")
    code, out, _ = cli("export", "--topic", "camcording", "--db", db)
    assert 0 == code
    assert out.startswith("# Camcording: Russia and Kazakhstan compared\n")
    assert "## Kazakhstan · AI\n\n*The commentary does not discuss film piracy.*" in out
    assert "### Criminal Code art. 146 · Camcording" in out
    assert "> The total number of sourced camcord pirate copies" in out
    assert "**Your note**\n\nCheck the 2013 amendment." in out
    assert (
        "*Cite:* IIPA 2017 Special 301 Report — Russia, Criminal Code art. 146 (“Camcording”) [open gap]."
        in out
    )


def test_export_csv_and_json(db: Path, cli):
    code, out, _ = cli("export", "--topic", "copyright", "--format", "csv", "--db", db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert 0 == code
    assert {"ru.training", "kz.art23", "rc.camcording"} == {r["id"] for r in rows}
    assert all(r["citation"].endswith(r["id"]) or "@" in r["citation"] for r in rows)
    code, out, _ = cli("export", "--format", "json", "--db", db)
    data = json.loads(out)
    assert 0 == code
    assert "All topics" == data["label"]
    assert [3, 1, 1] == [len(column["rows"]) for column in data["regimes"]]


def test_export_to_a_file_and_bad_topic(db: Path, cli, tmp_path: Path):
    target = tmp_path / "memo.md"
    assert (0, f"wrote {target}\n") == cli(
        "export", "--topic", "labelling", "--output", target, "--db", db
    )[:2]
    assert target.read_text().startswith("# Labelling of AI output")
    code, out, err = cli("export", "--topic", "nope", "--db", db)
    assert 2 == code and "no topic 'nope'" in err and 1 == len(err.strip().split("\n"))


async def exported(pilot) -> None:
    """Wait for the export worker, and for the screen to say it is done."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_y_copies_the_citation_and_e_saves_the_comparison(db: Path, tmp_path: Path):
    app = make_app(db)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == citation(app.store, app.store.provision("ru.labelling"))
        assert "lexpane: ru.labelling@revised" in screen_text(app)  # shown, to copy by hand
        # Kept in a file too, where a terminal ignores clipboard requests.
        kept = tmp_path / "user-data" / "citations.txt"
        assert app.clipboard + "\n" == kept.read_text(encoding="utf-8")
        assert "citations.txt" in screen_text(app)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "down", "enter", "e")  # the topic "Labelling of AI output"
        await exported(pilot)
        (saved,) = (tmp_path / "exports").iterdir()
        assert saved.read_text().startswith("# Labelling of AI output")
        assert saved.name in screen_text(app).replace("\n", "")


async def test_an_export_never_overwrites_an_earlier_one(db: Path, tmp_path: Path):
    folder = tmp_path / "exports"
    folder.mkdir()
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("e")
        await exported(pilot)
        (first,) = folder.iterdir()
        first.write_text("my edits")
        await pilot.press("e")
        await exported(pilot)
    assert "my edits" == first.read_text()
    assert {first.name, first.name.replace(".md", "-2.md")} == {p.name for p in folder.iterdir()}


def test_a_failed_export_leaves_the_old_file_whole(db: Path, tmp_path: Path):
    target = tmp_path / "memo.md"
    target.write_text("the old memo")

    def small_files() -> None:  # the export cannot be written whole: as if the disk filled
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    done = subprocess.run(
        [sys.executable, "-m", "tui", "export", "--output", str(target), "--db", str(db)],
        capture_output=True, text=True, timeout=60, preexec_fn=small_files,
    )  # fmt: skip
    assert 2 == done.returncode, done.stderr
    assert done.stderr.startswith(f"lexpane: error: cannot write {target}")
    assert 1 == len(done.stderr.strip().splitlines())
    assert "the old memo" == target.read_text()
    assert ["memo.md"] == [p.name for p in tmp_path.iterdir() if "memo" in p.name]


def test_an_exported_note_keeps_its_line_breaks(db: Path, cli):
    UserData.open().save_note("rc.camcording", "First line.\nSecond line.")
    code, out, _ = cli("export", "--topic", "camcording", "--db", db)
    assert 0 == code
    assert "**Your note**\n\nFirst line.\\\nSecond line." in out
    code, out, _ = cli("export", "--topic", "camcording", "--format", "csv", "--db", db)
    assert "First line.\nSecond line." == next(csv.DictReader(io.StringIO(out)))["note"]


async def test_an_export_of_everything_runs_in_a_worker_with_a_progress_bar(
    db: Path, tmp_path: Path, monkeypatch
):
    import threading

    from tui import export

    release, threads = threading.Event(), []
    real = export.comparison

    def held(*args, **kwargs):  # the real comparison, held until the test has looked
        threads.append(threading.current_thread())
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "comparison", held)
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        bar = app.compare.query_one("#export-progress")
        assert bar.display  # shown while the export runs
        await pilot.press("down")  # and the explorer answers meanwhile
        await pilot.pause()
        assert "ru.trusted" == app.compare.current
        assert threads and threads[0] is not threading.main_thread()
        release.set()
        await exported(pilot)
        assert not bar.display and bar.progress == bar.total == 5  # every provision, counted
        (saved,) = (tmp_path / "exports").iterdir()
        assert saved.read_text().startswith("# All topics")


async def test_the_hidden_export_bar_never_wakes_the_explorer(
    db: Path, tmp_path: Path, monkeypatch
):
    from textual.widgets._progress_bar import Bar

    from tui import export

    woken = []
    monkeypatch.setattr(Bar, "automatic_refresh", lambda bar: woken.append(bar))

    def broken(*args, **kwargs):  # fails before it knows how many provisions there are
        raise OSError("disk full")

    monkeypatch.setattr(export, "comparison", broken)
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.3)  # an animated bar would have been woken four times by now
        assert [] == woken
        await pilot.press("e")  # shown, animated while it runs; hidden when it fails
        for _ in range(50):
            await pilot.pause(0.02)
            if not app.compare.query_one("#export-progress").display:
                break
        assert not app.compare.query_one("#export-progress").display
        woken.clear()
        await asyncio.sleep(0.3)
        assert [] == woken
