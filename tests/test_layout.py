"""Layouts that fit at 80×24 and 120×35, the timeline's keys, and the "as of" day carried to
the compare screen: checked on what the screen shows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Markdown

from tests.screen import screen_lines, screen_text
from tui.app import make_app
from tui.dates import event_phrase
from tui.screens.matrix import cell
from tui.screens.timeline import TimelineScreen
from tui.widgets.provision_list import fit_words

BUNDLED = Path(__file__).resolve().parent.parent / "data.db"
REGIMES = ("Russia · AI", "Kazakhstan · AI", "Russia · copyright enforcement gaps")


def test_a_matrix_cell_says_counts_and_states_in_the_room_it_has():
    statuses = {"draft": 8, "deleted in revision": 3, "reported": 3}
    assert "14: 8 draft · 3 deleted · 3 reported" == str(cell(statuses, 0, 40))
    assert "14: 8 draft · 3 del. · 3 rep." == str(cell(statuses, 0, 30))
    assert "14: 8 draft +6" == str(cell(statuses, 0, 15))
    assert "1 draft · 1 where sources disagree" == str(cell({"draft": 1}, 1, 40))
    assert "1 draft · 1 disputed" == str(cell({"draft": 1}, 1, 25))
    assert "— silent" == str(cell({}, 0, 10))


def test_titles_are_cut_at_a_word():
    assert "Russia · copyright…" == fit_words("Russia · copyright enforcement gaps", 24)
    assert "Kazakhstan · AI" == fit_words("Kazakhstan · AI", 24)


def test_event_ids_read_as_phrases():
    assert "Removed from GSP" == event_phrase("removed_from_gsp")
    assert "Civil Code Part IV in effect" == event_phrase("civil_code_part_iv_in_effect")


@pytest.mark.parametrize("size", [(80, 24), (120, 35), (250, 50)])
async def test_the_matrix_shows_all_three_regimes(size):
    app = make_app(BUNDLED)
    async with app.run_test(size=size) as pilot:
        await pilot.press("g")
        await pilot.pause()
        header = next(line for line in screen_lines(app) if line.startswith(" Topic "))
        # Full titles where all three fit their columns, short ones for all where not.
        names = REGIMES if size[0] >= 200 else ("RU·AI", "KZ·AI", "RU·©")
        assert all(name in header for name in names), header
        # The Russian bill's cell on AI regulation says its count and its states.
        assert any("14: 8 draft" in line for line in screen_lines(app))


async def test_at_80_columns_the_footer_keeps_the_keys_that_matter_and_tabs_count():
    app = make_app(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = screen_lines(app)[-1]
        for key in ("/ Search", "? Help", "f Topic", "q Quit", "n Note"):
            assert key in footer, footer
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # Scope: only the Russian bill speaks to it
        await pilot.pause()
        tabs = screen_lines(app)[1]
        assert "1 Russia · AI (1)" in tabs and "2 Kazakhstan · AI (0)" in tabs, tabs
        assert "(0)" in tabs.split("3 ")[-1]


async def test_timeline_home_end_g_and_shift_g_go_to_the_first_and_last_event():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        for key, row in (("end", table.row_count - 1), ("home", 0), ("G", table.row_count - 1)):
            await pilot.press(key)
            await pilot.pause()
            assert row == table.cursor_row, key
            assert 0 == table.scroll_x  # the dates stay in view
        await pilot.press("g")
        await pilot.pause()
        assert 0 == table.cursor_row
        # An event after today is marked in words, not only by a shade.
        last = [str(c) for c in table.get_row_at(table.row_count - 1)]
        assert last[2].startswith("later · ") and "(expected, not confirmed)" in last[2]


async def test_the_as_of_day_carries_to_the_compare_screen_and_a_key_clears_it():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("t", "a")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        app.screen.query_one(Input).value = "2026-05-01"
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert app.screen is app.compare
        text = screen_text(app)
        assert "All topics · as of 2026-05-01" in screen_lines(app)[0]
        assert "Revised draft (June 2026): not yet there" in text
        assert "Kazakhstan · AI: AI Law: in force" in text
        await pilot.press("A")
        await pilot.pause()
        assert "as of" not in screen_lines(app)[0]
        assert "not yet there" not in screen_text(app)


async def test_help_explains_each_key_and_the_search_syntax():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = app.screen.query_one(Markdown).source
        assert "| `m` | **Mark**: Mark the provision for a diff; mark a second one" in text
        assert "| `L` | **Follow link**: Go to the provision tied to this one" in text
        assert "`Esc` clears a topic filter" in text
        assert "`regime:kz`" in text and '`"notice and takedown"`' in text
        assert "British and US spellings" in text
        # Every key of the compare screen has its sentence.
        compare = text.split("### Compare")[1].split("###")[0]
        rows = [row for row in compare.splitlines() if row.startswith("| `")]
        assert rows and all("**: " in row for row in rows), [r for r in rows if "**: " not in r]


async def test_the_list_says_which_provisions_have_several_versions():
    app = make_app(BUNDLED)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        pane = app.compare.pane_for("ru-ai")
        versions: dict[str, int] = {}
        for option in pane.options:
            count = len(app.store.versions(option.id))
            versions[option.id] = count
            said = f"{count} versions (v)" in str(option.prompt)
            assert said == (count > 1), option.id
        assert any(count > 1 for count in versions.values())
        assert any(count == 1 for count in versions.values())


async def test_the_palette_finds_actions_by_name():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        for words, done in (("export the", "Comparison exported"), ("as of a", "YYYY-MM-DD")):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*words)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(0.3)
            if done == "YYYY-MM-DD":  # the timeline opened on the box for the day
                assert isinstance(app.screen, TimelineScreen)
                assert app.screen.query_one(Input).has_focus
            else:
                assert list(Path(os.environ["LEXPANE_EXPORT_DIR"]).iterdir())


async def test_one_search_result_is_one_result():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"skolkovo")
        for _ in range(40):
            await pilot.pause(0.05)
            if "best first" in screen_text(app):
                break
        assert "1 result, best first" in screen_text(app)


async def test_the_topic_under_the_cursor_is_named_in_full():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*["down"] * 5)  # a label too long for its line
        await pilot.pause()
        label = app.store.topic(app.compare.query_one("#topics").cursor_node.data).label
        lines = screen_lines(app)
        assert not any(label in line[:34] for line in lines[2:-3]), "cut in its line"
        assert label in lines[-2][:34]  # named in full under the tree


async def test_home_and_end_belong_to_the_day_box_while_typing_a_day():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("t", "a")
        await pilot.pause()
        box = app.screen.query_one(Input)
        box.value = "026-05-01"
        await pilot.press("end", "home", "2")
        await pilot.pause()
        assert "2026-05-01" == box.value and box.has_focus
