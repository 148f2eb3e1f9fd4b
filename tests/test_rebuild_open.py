"""data.db rebuilt, replaced, damaged or locked while the explorer is open: the explorer shows the
new content where the person was, or says in one line (the line the command line prints) what is
wrong, and keeps running."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import OptionList

from tests.conftest import altered_copy
from tui.app import make_app
from tui.build import build
from tui.screens.search import HINT, SearchScreen
from tui.widgets.provision_list import ProvisionList
from tui.widgets.reading import Reading

WIDE = (140, 40)


def edit_content(content: Path) -> None:
    """The Russian bill's labelling provision renamed, its trusted-models provision removed."""
    for name in ("earlier.md", "revised.md"):
        path = content / "ru-ai" / name
        text = path.read_text(encoding="utf-8").replace(
            "## Labelling of AI-generated content", "## Marking of synthetic content"
        )
        text = re.sub(r"## Trusted models\n.*?(?=\n## |\Z)", "", text, flags=re.S)
        path.write_text(text, encoding="utf-8")


def pane(app, regime: str) -> ProvisionList:
    return app.compare.query_one(f"#pane-{regime}", ProvisionList)


def prompt(options: OptionList, index: int) -> str:
    shown = options.get_option_at_index(index).prompt
    return shown.plain if isinstance(shown, Text) else str(shown)


def status(app) -> str:
    return str(app.screen.query_one("#search-status").render())


async def settle(pilot, until=lambda: False) -> None:
    for _ in range(60):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if until():
            return


def cli_error(cli, path: Path) -> str:
    """The one line `lexpane search` prints about the database at `path`, without its prefix."""
    code, out, err = cli("search", "copyright", "--db", path)
    assert (2, "") == (code, out)
    [line] = err.strip().split("\n")
    return line.removeprefix("lexpane: error: ")


async def test_a_rebuild_while_open_shows_the_new_content_on_the_next_search(content, db):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("j")  # onto ru.trusted, which the rebuild removes
        await settle(pilot)
        assert "ru.trusted" == app.compare.current
        edit_content(content)
        build(content, db)  # as `lexpane build` does: a new file renamed into place
        await pilot.press("slash", *"marking")
        await settle(pilot, lambda: app.screen.query_one("#results", OptionList).option_count)
        results = app.screen.query_one("#results", OptionList)
        assert ["ru.labelling"] == [o.id for o in results.options]
        assert prompt(results, 0).startswith("RU·AI  Marking of synthetic content")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.compare
        assert "ru.labelling" == app.compare.current
        assert "## Marking of synthetic content" in app.compare.query_one(Reading).source
        ru = pane(app, "ru-ai")
        assert ["ru.labelling", "ru.training"] == [o.id for o in ru.options]
        assert prompt(ru, 0).startswith("Marking of synthetic content")
        assert any("was rebuilt" in n.message for n in app._notifications)


async def test_after_a_rebuild_each_pane_stays_on_its_provision(content, db):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("j", "j")  # ru.training, third in its pane
        await settle(pilot)
        assert "ru.training" == app.compare.current
        edit_content(content)
        build(content, db)
        await pilot.press("slash", "escape")  # any change of screen looks at the file
        await settle(pilot)
        ru = pane(app, "ru-ai")
        assert ["ru.labelling", "ru.training"] == [o.id for o in ru.options]
        assert "ru.training" == ru.current == app.compare.current  # now second: followed
        assert "kz.art23" == pane(app, "kz-ai").current
        assert "2 provisions" == ru.border_subtitle
        assert app.compare.query_one(Reading).provision_id == "ru.training"


async def test_the_removed_provision_under_the_cursor_gives_way_to_its_neighbour(content, db):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("j")
        await settle(pilot)
        edit_content(content)
        build(content, db)
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert app.is_running and app.screen is app.compare
        assert "ru.training" == pane(app, "ru-ai").current == app.compare.current
        assert "## Copyrighted material in training" in app.compare.query_one(Reading).source


async def test_a_rebuild_noticed_by_the_search_box_reloads_the_panes_behind_it(content, db):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"mark")
        await settle(pilot)
        assert 0 == app.screen.query_one("#results", OptionList).option_count
        edit_content(content)
        build(content, db)
        await pilot.press(*"ing")
        await settle(pilot, lambda: app.screen.query_one("#results", OptionList).option_count)
        assert isinstance(app.screen, SearchScreen)  # still searching, and already reloaded:
        assert prompt(pane(app, "ru-ai"), 0).startswith("Marking of synthetic content")
        assert ["ru.labelling", "ru.training"] == [o.id for o in pane(app, "ru-ai").options]


def _garbage_in_place(db: Path) -> None:
    db.write_bytes(os.urandom(8192))


def _garbage_renamed(db: Path) -> None:
    other = db.with_name("garbage.tmp")
    other.write_bytes(b"not a database at all " * 500)
    os.replace(other, db)


def _truncated(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:8192])


def _deleted(db: Path) -> None:
    db.unlink()


def _damaged_index(db: Path) -> None:
    """A database whose full-text index is damaged, renamed into place as a build would.

    Its pages are zeroed: random bytes now and then read as an index that holds nothing."""
    copy = altered_copy(
        db,
        db.with_name("damaged.tmp"),
        "UPDATE provisions_fts_data SET block = zeroblob(length(block)) WHERE id > 10",
    )
    os.replace(copy, db)


@pytest.mark.parametrize(
    "damage",
    [_garbage_in_place, _garbage_renamed, _truncated, _deleted, _damaged_index],
    ids=["garbage written over it", "garbage renamed over it", "truncated", "deleted",
         "damaged full-text index"],
)  # fmt: skip
async def test_a_database_damaged_while_open_is_named_in_one_line_on_search(db, cli, damage):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        damage(db)
        await pilot.press("slash", *"camcord")
        await settle(pilot, lambda: HINT not in status(app))
        assert isinstance(app.screen, SearchScreen)
        shown = status(app)
        assert 0 == app.screen.query_one("#results", OptionList).option_count
        await pilot.press("enter", "escape")  # nothing to jump to; back to the panes
        await settle(pilot)
        assert app.is_running and app.screen is app.compare
    # The line the command line prints about the same file (the app held the terminal till now).
    assert cli_error(cli, db) == shown.strip()
    assert "\n" not in shown.strip()


def locked(db: Path) -> sqlite3.Connection:
    """Another program's write transaction on `db` (roll it back to release it)."""
    writer = sqlite3.connect(db)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("UPDATE meta SET value = value WHERE key = 'built_at'")
    return writer


async def test_a_database_locked_while_open_is_named_and_search_resumes_after(db, cli):
    writer = locked(db)
    expected = cli_error(cli, db)
    writer.rollback()
    assert "is locked by another program" in expected
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        writer = locked(db)
        try:
            await pilot.press("slash", *"camcord")
            await settle(pilot, lambda: expected in status(app))
            assert expected == status(app).strip()
            assert 0 == app.screen.query_one("#results", OptionList).option_count
        finally:
            writer.rollback()
            writer.close()
        await pilot.press("backspace", "d")  # the writer is done: the same search again
        await settle(pilot, lambda: app.screen.query_one("#results", OptionList).option_count)
        assert ["rc.camcording"] == [o.id for o in app.screen.query_one("#results").options]
        assert status(app).startswith("1 result, best first")
