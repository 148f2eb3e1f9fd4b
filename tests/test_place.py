"""The researcher's place: each pane keeps its own selected provision, on screen, and moves only
when the person moves in it or jumps there."""

from __future__ import annotations

from pathlib import Path

from tests.screen import screen_lines
from tui.app import make_app
from tui.widgets.provision_list import ProvisionList
from tui.widgets.reading import Reading

BUNDLED = Path(__file__).resolve().parent.parent / "data.db"


def selected(app) -> dict[str, str | None]:
    return {pane.regime.id: pane.current for pane in app.compare.panes}


def pane_shows(app, pane: ProvisionList, heading: str) -> bool:
    """Whether the pane's own part of the screen shows `heading` (its first words)."""
    region = pane.region
    lines = screen_lines(app)[region.y : region.bottom]
    return any(heading in line[region.x : region.right] for line in lines)


async def search_and_jump(pilot, words: str) -> None:
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press(*words)
    for _ in range(40):  # results come from a worker
        await pilot.pause(0.05)
        if (
            pilot.app.screen.query("#results")
            and pilot.app.screen.query_one("#results").option_count
        ):
            break
    await pilot.press("enter")
    await pilot.pause()


async def test_a_jump_survives_choosing_and_clearing_a_topic():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        await search_and_jump(pilot, "camcord")
        copyright = app.compare.pane_for("ru-copyright")
        jumped = copyright.current
        assert "camcord" in jumped
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "enter")  # the first topic, which camcording is not on
        await pilot.pause()
        assert app.compare.topic is not None and copyright.current != jumped
        await pilot.press("escape", "3")
        await pilot.pause()
        assert app.compare.topic is None
        assert jumped == copyright.current
        assert copyright.has_focus
        assert pane_shows(app, copyright, "Camcording")
        assert jumped == app.compare.query_one(Reading).provision_id


async def test_moving_in_one_pane_never_moves_another_and_l_follows_the_link():
    app = make_app(BUNDLED)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("2", "down", "down")
        await pilot.pause()
        kz = app.compare.pane_for("kz-ai")
        before = selected(app)
        assert "kz-ai.art23-human-contribution" == kz.current
        await pilot.press("1")
        for _ in range(18):  # through every provision of the Russian bill, each linked or not
            await pilot.press("down")
            await pilot.pause()
            assert before["kz-ai"] == kz.current
            assert before["ru-copyright"] == app.compare.pane_for("ru-copyright").current
        # On the bill's last provision, linked to the Kazakh law's list of themes: marked there.
        assert "ru-ai.compliance-review" == app.compare.current
        assert "kz-ai.law-themes" in app.compare.linked
        assert pane_shows(app, kz, "↔")
        await pilot.press("L")
        await pilot.pause()
        assert "kz-ai.law-themes" == kz.current and kz.has_focus
        assert "kz-ai.law-themes" == app.compare.query_one(Reading).provision_id


async def test_the_reading_area_pages_from_a_pane():
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        reading = app.compare.query_one(Reading)
        assert 0 == reading.scroll_y and reading.max_scroll_y > 0
        pane = app.compare.panes[0]
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert reading.scroll_y > 0 and pane.has_focus
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert 0 == reading.scroll_y


async def test_a_resize_keeps_each_selection_and_shows_it():
    app = make_app(BUNDLED)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("3", *["down"] * 30)
        await pilot.pause()
        copyright = app.compare.pane_for("ru-copyright")
        chosen = copyright.current
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(120, 35)
        await pilot.pause(0.2)
        assert chosen == copyright.current
        heading = app.store.provision(chosen).heading
        assert pane_shows(app, copyright, heading[:15])


async def test_screens_opened_and_closed_leave_every_pane_where_it_was():
    app = make_app(BUNDLED)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("2", *["down"] * 6, "3", *["down"] * 9, "1", *["down"] * 4)
        await pilot.pause()
        before = selected(app)
        for keys in (["g", "escape"], ["t", "escape"], ["question_mark", "escape"],
                     ["B", "escape"], ["s", "escape"], ["slash", "escape"], ["v", "escape"]):  # fmt: skip
            await pilot.press(*keys)
            await pilot.pause()
            assert app.screen is app.compare, keys
            assert before == selected(app), keys
        for pane in app.compare.panes:
            assert pane_shows(app, pane, app.store.provision(pane.current).heading[:12])


async def test_a_jump_from_the_topic_tree_in_a_narrow_terminal_shows_the_pane():
    app = make_app(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")  # the topic tree takes the screen
        await pilot.pause()
        await search_and_jump(pilot, "camcord")
        copyright = app.compare.pane_for("ru-copyright")
        assert copyright.has_focus and "camcord" in copyright.current
        assert pane_shows(app, copyright, "Camcording")
        assert not app.compare.query_one("#topics").display


async def test_keys_typed_fast_after_a_pane_number_go_to_that_pane():
    from textual import events

    app = make_app(BUNDLED)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("2", "down", "down")
        kz = app.compare.pane_for("kz-ai").current
        for key in ["1", *["down"] * 9]:  # queued all at once, as a fast typist's keys are
            event = events.Key(key, key if key == "1" else None)
            event.set_sender(app)
            app._driver.send_message(event)
        await pilot.pause()
        assert "ru-ai.training-copyright" == app.compare.pane_for("ru-ai").current
        assert kz == app.compare.pane_for("kz-ai").current
