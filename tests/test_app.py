"""The explorer, driven by the keys a person presses."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown, OptionList

from tests.conftest import REPO
from tui.app import make_app


def reading_text(app) -> str:
    return app.query_one("#reading", Markdown).source


async def test_three_panes_and_the_highlighted_provision(db: Path):
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        panes = list(app.query(".pane").results(OptionList))
        assert ["Russia · AI", "Kazakhstan · AI", "Russia · copyright enforcement gaps"] == [
            str(p.border_title) for p in panes
        ]
        assert [3, 1, 1] == [p.option_count for p in panes]
        assert panes[0].has_focus
        assert "## Labelling of AI-generated content" in reading_text(app)
        await pilot.press("j")
        await pilot.pause()
        assert "## Trusted models" in reading_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert "## Labelling of AI-generated content" in reading_text(app)


async def test_q_quits(db: Path):
    app = make_app(db)
    async with app.run_test() as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_starts_on_the_bundled_database():
    app = make_app(REPO / "data.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panes = list(app.query(".pane").results(OptionList))
        assert 3 == len(panes)
        assert all(p.option_count > 0 for p in panes)
        assert reading_text(app).startswith("## ")
