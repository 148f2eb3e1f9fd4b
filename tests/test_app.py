"""The explorer, driven by the keys a researcher presses, asserting on what it then shows."""

from __future__ import annotations

import asyncio
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import ContentSwitcher, Input, Markdown, OptionList

from tests.conftest import REPO
from tui.app import make_app
from tui.screens.compare import CompareScreen
from tui.screens.diff import DiffScreen
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen
from tui.screens.source import SourceScreen
from tui.widgets.provision_list import ProvisionList
from tui.widgets.reading import Reading

WIDE = (140, 40)


def panes(app) -> dict[str, ProvisionList]:
    return {pane.regime.id: pane for pane in app.screen.query(ProvisionList).results(ProvisionList)}


def reading(app) -> str:
    return app.compare.query_one(Reading).source


def prompt(pane: OptionList, index: int) -> str:
    option = pane.get_option_at_index(index)
    return option.prompt.plain if isinstance(option.prompt, Text) else str(option.prompt)


async def wait_for_results(pilot, screen: SearchScreen) -> OptionList:
    results = screen.query_one("#results", OptionList)
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if results.option_count:
            break
    return results


async def test_three_panes_and_the_provision_under_the_cursor(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        shown = panes(app)
        # A title too long for its pane is cut at a word.
        assert ["Russia · AI", "Kazakhstan · AI", "Russia · copyright…"] == [
            str(p.border_title) for p in shown.values()
        ]
        assert {"ru-ai": 3, "kz-ai": 1, "ru-copyright": 1} == {
            k: p.option_count for k, p in shown.items()
        }
        assert shown["ru-ai"].has_focus
        assert "## Labelling of AI-generated content" in reading(app)
        await pilot.press("j")
        await pilot.pause()
        assert "## Trusted models" in reading(app)
        await pilot.press("k")
        await pilot.pause()
        assert "## Labelling of AI-generated content" in reading(app)
        assert "> The new requirement is only to provide users with this option." in reading(app)


async def test_choosing_a_topic_filters_all_panes_and_names_silence(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("f")  # to the topic tree
        await pilot.press(
            "down", "down", "down", "down", "down", "down"
        )  # … Copyright › Camcording
        await pilot.press("enter")
        await pilot.pause()
        shown = panes(app)
        assert "camcording" == app.compare.topic
        assert ["rc.camcording"] == [o.id for o in shown["ru-copyright"].options]
        kz = prompt(shown["kz-ai"], 0)
        assert "The sources say nothing on “Camcording” for this regime." in kz
        assert "The commentary does not discuss film piracy." in kz
        assert "say nothing" in prompt(shown["ru-ai"], 0)
        assert "rc.camcording" == app.compare.current  # the reading area follows the filter
        await pilot.press("escape")  # back to every topic
        await pilot.pause()
        assert app.compare.topic is None
        assert 3 == shown["ru-ai"].option_count


async def test_moving_in_one_pane_highlights_linked_provisions_in_the_others(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("j", "j")  # ru.labelling → ru.trusted → ru.training
        await pilot.pause()
        assert "ru.training" == app.compare.current
        shown = panes(app)
        assert "kz.art23" == shown["kz-ai"].current
        assert prompt(shown["kz-ai"], 0).startswith("↔ Art. 23")
        assert "L ↔ contrasts with: Kazakhstan legislates on AI and copyright" in str(
            shown["kz-ai"].border_subtitle
        )
        assert prompt(shown["ru-copyright"], 0).startswith("↔ ")
        await pilot.press("l")  # linking off
        await pilot.pause()
        assert {} == app.compare.linked
        assert not prompt(shown["kz-ai"], 0).startswith("↔")
        await pilot.press("l")
        await pilot.pause()
        assert "kz.art23" in app.compare.linked


async def test_search_as_you_type_then_enter_jumps_to_the_provision(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        # Filter to a topic that hides the target: the jump must clear it.
        app.compare.topic = "labelling"
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"camcord")
        results = await wait_for_results(pilot, app.screen)
        assert ["rc.camcording"] == [o.id for o in results.options]
        assert "**" not in prompt(results, 0)  # markers became highlighting
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.compare
        assert app.compare.topic is None
        assert "rc.camcording" == app.compare.current
        assert panes(app)["ru-copyright"].has_focus
        assert "## Criminal Code art. 146 · Camcording" in reading(app)


async def test_a_result_highlights_the_heading_words_the_search_matched_whole(db: Path):
    """As the index matches them: the words that begin with what was typed, not every place
    the letters occur inside a word ("c" is not the c inside "Camcording")."""
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", "c")
        results = await wait_for_results(pilot, app.screen)
        option = next(o for o in results.options if o.id == "rc.camcording")
        heading_line = option.prompt.plain.split("\n")[0]
        marked = [
            option.prompt.plain[s.start : s.end]
            for s in option.prompt.spans
            if s.style == "reverse" and s.end <= len(heading_line)
        ]
        assert ["Camcording"] == marked


def test_a_finished_word_marks_itself_and_the_word_being_typed_marks_the_words_it_begins():
    from tui.screens.search import _matched_words

    marks = _matched_words(("criminal", "liab"), "liab")
    heading = "Criminal liability; criminally liable; LIAB"
    assert ["Criminal", "liability", "liable", "LIAB"] == marks.findall(heading)
    assert [] == _matched_words(("copyright",), None).findall("copyrighted")
    assert _matched_words((), None) is None


async def test_escape_leaves_search_without_moving(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"copyright", "escape")
        await pilot.pause()
        assert app.screen is app.compare
        assert "ru.labelling" == app.compare.current


async def test_search_box_takes_any_text_and_filters(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash")
        for text in ['"', "AND", "C++", "q/?", "regime:kz copyright"]:
            app.screen.query_one(Input).value = text
            results = await wait_for_results(pilot, app.screen)
        assert ["kz.art23"] == [o.id for o in results.options]
        assert isinstance(app.screen, SearchScreen)


async def test_mark_two_provisions_and_diff_them(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("d")  # nothing marked yet: a warning, no diff
        await pilot.pause()
        assert app.screen is app.compare
        await pilot.press("m", "2", "m", "d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert ("ru.labelling", "kz.art23") == (screen.old.provision_id, screen.new.provision_id)
        header = str(screen.query_one("#diff-header").render())
        assert "ru.labelling@revised" in header and "kz.art23@current" in header
        assert f"{screen.result.added} words added" in header
        assert screen.result.added > 0 and screen.result.removed > 0
        await pilot.press("i")
        assert "inline" == screen.query_one(ContentSwitcher).current
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.compare


async def test_v_diffs_the_drafts_and_a_deleted_version_is_fully_struck(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert ("earlier", "revised") == (screen.old.version, screen.new.version)
        inline = screen.query_one("#inline").query_one("Static").render()
        struck = [s.style for s in inline.spans if "must" in inline.plain[s.start : s.end]]
        assert struck and all(style.strike for style in struck)
        await pilot.press("escape", "j", "v")  # ru.trusted: deleted in the revision
        await pilot.pause()
        screen = app.screen
        assert screen.new.deleted
        assert (
            0 == screen.result.added and 0 == screen.result.unchanged and screen.result.removed > 0
        )


async def test_s_opens_the_source_at_the_quote_and_n_steps_through_quotes(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("s")  # ru.labelling quotes the news report twice (one per draft)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert "Quote 1 of 2" in str(screen.query_one("#quote-status").render())
        first = screen.quoted.render()
        assert "obligation for developers to label" in first.plain
        highlighted = [first.plain[s.start : s.end] for s in first.spans if s.style.reverse]
        assert [
            "the obligation for developers to label all AI-generated content as such"
        ] == highlighted
        await pilot.press("n")
        await pilot.pause()
        assert "Quote 2 of 2" in str(screen.query_one("#quote-status").render())
        second = screen.quoted.render()
        assert ["The new requirement is only to provide users with this option."] == [
            second.plain[s.start : s.end] for s in second.spans if s.style.reverse
        ]
        await pilot.press("escape")
        assert app.screen is app.compare


async def test_question_mark_lists_every_key(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        for words in ("Search", "Mark", "Diff", "Drafts", "Source", "Linking", "Next quote",
                      "Inline/side by side", "Jump to provision", "Quit", "*(alias)*", "Bookmark", "Note",
                      "Save note", "Matrix", "Timeline", "As of…", "Cite"):  # fmt: skip
            assert words in text, words
        await pilot.press("escape")
        assert app.screen is app.compare


async def test_80x24_shows_one_pane_and_tab_switches(db: Path):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.compare.has_class("-narrow")
        shown = panes(app)
        assert [True, False, False] == [p.display for p in shown.values()]
        assert not app.compare.query_one("#topics").display
        await pilot.press("tab")
        await pilot.pause()
        assert shown["kz-ai"].has_focus and shown["kz-ai"].display and not shown["ru-ai"].display
        await pilot.press("3")
        await pilot.pause()
        assert shown["ru-copyright"].has_focus and shown["ru-copyright"].display
        await pilot.press("f")  # the topic tree takes the screen, then gives it back
        await pilot.pause()
        assert app.compare.query_one("#topics").display
        await pilot.press("enter")
        await pilot.pause()
        assert not app.compare.query_one("#topics").display
        assert shown["ru-copyright"].has_focus  # back on the pane it left


async def test_command_palette_finds_a_provision_by_heading(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Camcording")
        for _ in range(50):
            await pilot.pause(0.05)
            if (
                app.screen.query("CommandList Option")
                or app.screen.query_one("CommandList").option_count
            ):
                break
        await pilot.press("enter")
        await pilot.pause()
        assert "rc.camcording" == app.compare.current


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
        assert isinstance(app.screen, CompareScreen)
        assert all(p.option_count > 0 for p in panes(app).values())
        assert reading(app).startswith("## ")


async def test_a_provision_whose_sources_disagree_says_so_in_the_list_and_the_reading(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        ru = panes(app)["ru-ai"]
        assert "sources disagree" not in prompt(ru, 0)  # labelling: one account
        await pilot.press("j", "j")  # to "Copyrighted material in training"
        await pilot.pause()
        assert "deleted in revision · sources disagree" in prompt(ru, 2)
        shown = reading(app)
        assert "**Sources disagree:** Whether the bill still regulates training AI" in shown
        assert (
            "- *AI bill submitted to the State Duma*, fourth paragraph: The bill as submitted sets "
            "a framework for training on copyrighted works." in shown
        )


async def test_search_box_widens_a_typo_and_says_how_it_understood_it(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"camcordng")
        results = await wait_for_results(pilot, app.screen)
        assert ["rc.camcording"] == [o.id for o in results.options]
        status = str(app.screen.query_one("#search-status").render())
        assert "showing results for camcording (you typed camcordng)" in status


async def test_search_box_names_an_unknown_filter_and_the_valid_ones(db: Path):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"law regime:zz")
        for _ in range(50):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        status = str(app.screen.query_one("#search-status").render())
        assert "Unknown regime 'zz' (valid: ru-ai, kz-ai, ru-copyright" in status
        assert 0 == app.screen.query_one("#results", OptionList).option_count


def _burst(app, keys: list[tuple[str, str | None]]) -> None:
    """Keys queued all at once, as a terminal sends what a fast typist types."""
    from textual import events

    for key, char in keys:
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def _letters(text: str) -> list[tuple[str, str]]:
    return [({"?": "question_mark", " ": "space"}.get(c, c), c) for c in text]


@pytest.mark.parametrize("typed", ["camcord", "quit?"])
async def test_letters_typed_right_after_slash_reach_the_search_box(db: Path, typed: str):
    """A fast typist's "/camcord" arrives in one burst: no letter is lost while the search
    screen opens, and none acts as a key of the screen left ("q" does not quit, "?" no help)."""
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        _burst(app, [("slash", "/"), *_letters(typed)])
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, SearchScreen) and app.screen.query_one(Input).value:
                break
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert typed == screen.query_one(Input).value
        assert screen.query_one(Input).has_focus
        if typed == "camcord":
            results = await wait_for_results(pilot, screen)
            assert ["rc.camcording"] == [o.id for o in results.options]
        assert app.is_running


@pytest.mark.parametrize(
    "opening, box",
    [(("n", "n"), "TextArea"), (("ctrl+p", None), "CommandInput")],
    ids=["note", "palette"],
)
async def test_letters_typed_right_after_opening_a_text_box_reach_it(
    db: Path, opening: tuple[str, str | None], box: str
):
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        _burst(app, [opening, *_letters("seen q")])
        for _ in range(50):
            await pilot.pause()
        focused = app.screen.focused
        assert box == type(focused).__name__
        assert "seen q" == (focused.text if box == "TextArea" else focused.value)
        assert app.is_running


async def test_enter_typed_before_the_results_jumps_to_the_best_of_them(db: Path):
    """ "/camcord" and Enter in one burst: Enter comes before the results, and the jump waits for
    them rather than taking whatever was highlighted, or nothing."""
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        _burst(app, [("slash", "/"), *_letters("camcord"), ("enter", "\r")])
        for _ in range(100):
            await pilot.pause(0.01)
            if app.screen is app.compare and app.compare.current == "rc.camcording":
                break
        assert app.screen is app.compare
        assert "rc.camcording" == app.compare.current


async def test_keys_typed_while_the_search_box_is_slow_to_open_wait_for_it(db: Path, monkeypatch):
    """On a busy machine the search screen takes a while to focus its box: the letters typed
    meanwhile wait for it and go in first, before those typed once it has the focus; a letter
    typed before "/" stays out of the box."""
    import asyncio

    real = SearchScreen.on_mount

    async def slow(self):
        await asyncio.sleep(0.3)
        real(self)

    monkeypatch.setattr(SearchScreen, "on_mount", slow)
    monkeypatch.setattr(SearchScreen, "AUTO_FOCUS", "")  # its box is focused by on_mount alone
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        _burst(app, [("x", "x"), ("slash", "/"), *_letters("ca")])
        await pilot.pause(0.1)
        assert isinstance(app.screen, SearchScreen) and app.screen.focused is None
        _burst(app, _letters("mcord"))
        for _ in range(100):
            await pilot.pause(0.01)
            if len(app.screen.query_one(Input).value) >= len("camcord"):
                break
        assert "camcord" == app.screen.query_one(Input).value


async def test_arrows_sent_in_one_burst_from_the_search_box_all_move_in_the_results(
    monkeypatch,
):
    """Down leaves the box for the results; the Downs sent with it (one write of a terminal,
    routed to the box before it lost the focus) go on down the list, as if typed one by one."""
    from tui.screens import search as search_screen

    monkeypatch.setattr(search_screen, "QUICK", 30.0)
    app = make_app(REPO / "data.db")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"copyright")
        _burst(app, [("down", None)] * 5)
        await pilot.pause()
        results = app.screen.query_one("#results", OptionList)
        assert results.has_focus
        assert 4 == results.highlighted
        await pilot.press("down")  # and one by one, as before
        assert 5 == results.highlighted


async def test_start_up_objects_are_kept_from_the_collector_while_the_explorer_runs(db: Path):
    import gc

    from tui import collector

    thresholds = gc.get_threshold()
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 0  # frozen once the first frame is drawn
        assert collector.LATEST == gc.get_threshold()[2]  # full collections wait for a pause
    assert 0 == gc.get_freeze_count()  # and given back when it exits: nothing held for good
    assert thresholds == gc.get_threshold()


async def test_the_explorer_collects_again_once_it_is_on_screen(db: Path):
    import gc

    from tui import collector

    try:
        with collector.explorer_process():  # as `lexpane` starts it
            app = make_app(db)
            assert not gc.isenabled()
            async with app.run_test(size=WIDE) as pilot:
                await pilot.pause()
                assert gc.isenabled()  # the first frame is drawn
                assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert gc.isenabled()


async def test_a_wide_terminal_turned_narrow_gets_tabs_and_keeps_the_focus(db: Path):
    from textual.widgets import Tabs

    from tests.screen import screen_lines

    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert not app.compare.query(Tabs)  # not made where they are never shown
        await pilot.press("2", "tab", "tab")  # the third pane, then the reading area
        reading = app.compare.query_one(Reading)
        assert reading.has_focus
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        tabs = app.compare.query_one(Tabs)
        assert "tab-ru-copyright" == tabs.active  # on the pane the person was in
        assert "1 Russia · AI" in screen_lines(app)[1]
        assert reading.has_focus  # making them moved nobody
        await pilot.press("1")
        assert "tab-ru-ai" == tabs.active
        assert app.compare.pane_for("ru-ai").has_focus


async def test_a_topic_chosen_as_the_terminal_turns_narrow_is_counted_on_its_tabs(db: Path):
    """The tabs are made as the terminal turns narrow; a topic chosen before they are in the
    tree still gets its counts on them."""
    from textual import events
    from textual.geometry import Size
    from textual.widgets import Tab

    from tui.widgets.topic_tree import TopicTree

    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        topic = app.store.topics()[0].id
        app.compare.post_message(events.Resize(Size(80, 24), Size(80, 24)))
        app.compare.post_message(TopicTree.Chosen(topic))  # handled before the tabs compose
        await pilot.pause()
        await pilot.pause()
        labels = [str(tab.label) for tab in app.compare.query(Tab)]
        assert 3 == len(labels)
        assert all(label.endswith(")") for label in labels), labels


#: Run in a process of its own: in one that has already run an explorer, the first frame comes
#: later, when the focus has long moved.
FIRST_FRAME_FOCUS = """
import html, re, sys
from tui.app import make_app
from tui.bench.first_frame import on_frame

app = make_app(sys.argv[1])
shot = []

def seen(target):
    if target is app.compare and not shot:
        shot.append(app.export_screenshot())
        app.call_later(app.exit)

on_frame(app, seen)
app.run(headless=True, size=(120, 35))
text = "".join(re.findall(r">([^<]*)</text>", html.unescape(shot[0]))).replace("\\xa0", " ")
print("topics" if "┏━ Topics" in text else "pane" if "┏━ Russia · AI" in text else "none")
"""


def test_the_first_frame_has_the_focus_on_the_first_pane():
    """Not on the topic tree first (Textual focuses the first widget that can be), then moved."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_FOCUS, str(REPO / "data.db")],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=True,
    )  # fmt: skip
    assert "pane" == done.stdout.strip()


async def test_start_up_renders_no_frame_that_is_then_thrown_away(db: Path):
    app = make_app(db)
    display = app._display
    dropped = []

    def frame(target, renderable) -> None:
        if renderable is not None and app._batch_count:  # Textual drops it: not painted
            dropped.append(target)
        display(target, renderable)

    app._display = frame
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert "## Labelling of AI-generated content" in reading(app)
    assert [] == dropped


# -- a search quick enough is listed with its key; a slower one when it comes ---------------------


async def test_a_quick_search_is_listed_in_the_same_turn_as_the_key(monkeypatch):
    from tui import search
    from tui.screens import search as search_screen

    monkeypatch.setattr(search_screen, "QUICK", 30.0)  # any machine answers within it
    app = make_app(REPO / "data.db")  # the real corpus: more hits than a screenful
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        results = screen.query_one("#results", OptionList)
        screen.query_one(Input).value = "copyright"  # as a key leaves the box
        # Not awaited: no frame or message came between the key and its results.
        assert screen.shown == screen.searches
        expected = [h.record.id for h in search.find(app.store, "copyright", limit=50).hits]
        assert len(expected) > search_screen.screenful(results.size.height)
        # A screenful first, best first; the rest once that frame is out.
        assert expected[: results.option_count] == [o.id for o in results.options]
        assert results.option_count == search_screen.screenful(results.size.height)
        for _ in range(20):
            await pilot.pause()
            if results.option_count == len(expected):
                break
        assert expected == [o.id for o in results.options]
        assert 0 == results.highlighted


async def test_a_newer_search_keeps_the_rest_of_an_older_one_out(monkeypatch):
    from tui import search
    from tui.screens import search as search_screen

    monkeypatch.setattr(search_screen, "QUICK", 30.0)
    app = make_app(REPO / "data.db")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash")
        box = app.screen.query_one(Input)
        box.value = "copyright"  # lists a screenful, the rest to come
        box.value = "camcord"  # before the rest came
        for _ in range(5):
            await pilot.pause()
        results = app.screen.query_one("#results", OptionList)
        expected = [h.record.id for h in search.find(app.store, "camcord", limit=50).hits]
        assert expected == [o.id for o in results.options]


async def test_a_search_that_finds_what_the_list_shows_leaves_the_list_as_it_is(monkeypatch):
    from tui import search
    from tui.screens import search as search_screen

    monkeypatch.setattr(search_screen, "QUICK", 30.0)
    app = make_app(REPO / "data.db")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"copyrigh")
        results = app.screen.query_one("#results", OptionList)
        expected = [h.record.id for h in search.find(app.store, "copyrigh", limit=50).hits]
        for _ in range(20):  # the rest after the first screenful
            await pilot.pause()
            if results.option_count == len(expected):
                break
        assert expected == [o.id for o in results.options]
        before = list(results.options)
        await pilot.press("down", "down")  # into the list, then one down
        assert 1 == results.highlighted
        await pilot.press("shift+tab", "end")  # back to the box, after its text
        assert app.screen.query_one(Input).has_focus
        await pilot.press("t")  # "copyright": the same provisions, marked the same
        await pilot.pause()
        assert all(a is b for a, b in zip(before, results.options, strict=True))
        assert 0 == results.highlighted  # the best result, as after any search
        await pilot.press("space", *"model")  # fewer: listed anew
        await pilot.pause()
        now = [h.record.id for h in search.find(app.store, "copyright model", limit=50).hits]
        assert now == [o.id for o in results.options] and now != expected


async def test_a_search_that_takes_longer_is_listed_when_it_comes(db: Path, monkeypatch):
    from tui.screens import search as search_screen

    monkeypatch.setattr(search_screen, "QUICK", 0.0)  # no search answers within it
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        screen.query_one(Input).value = "camcord"
        assert screen.shown != screen.searches  # not waited for
        results = await wait_for_results(pilot, screen)
        assert ["rc.camcording"] == [o.id for o in results.options]


class Gated:
    """The real search, held back until `open()`: a search as slow as the test needs."""

    def __init__(self, monkeypatch) -> None:
        from tui import search

        self.gate = threading.Event()
        find = search.find

        def gated(*args, **kwargs):
            self.gate.wait(timeout=30)
            return find(*args, **kwargs)

        monkeypatch.setattr(search, "find", gated)

    def open(self) -> None:
        self.gate.set()


@pytest.fixture
def gated(monkeypatch):
    gate = Gated(monkeypatch)
    yield gate
    gate.open()  # a failed test leaves no search thread waiting


def watch_frames(app) -> list[tuple[object, str, bool]]:
    """Each frame handed to the terminal: (its screen, the search box's text, whether the
    newest search's outcome was on it)."""
    from tui.bench.first_frame import on_frame

    frames = []

    def seen(target) -> None:
        if isinstance(target, SearchScreen) and target.is_mounted:
            value = target.query_one(Input).value
            frames.append((target, value, target.shown == target.searches))
        else:
            frames.append((target, "", False))

    on_frame(app, seen)
    return frames


async def until(done, seconds: float = 5.0) -> None:
    """Wait for `done()` as the app runs by itself (a Pilot pause would paint a frame itself)."""
    for _ in range(int(seconds / 0.01)):
        if done():
            return
        await asyncio.sleep(0.01)


@asynccontextmanager
async def searching_slowly(db: Path, monkeypatch, hold: float):
    """The explorer with its search screen open, every search missing QUICK (its key is held
    back up to `hold` seconds), and the frames it paints from then on."""
    from tui.screens import search as search_screen

    monkeypatch.setattr(search_screen, "QUICK", 0.0)
    monkeypatch.setattr(search_screen, "HOLD", hold)
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash")
        yield app, pilot, watch_frames(app)


async def test_a_slower_search_is_painted_with_its_key_not_after_it(
    db: Path, monkeypatch, gated: Gated
):
    async with searching_slowly(db, monkeypatch, hold=30.0) as (app, pilot, frames):
        screen = app.screen
        screen.query_one(Input).value = "camcord"
        for _ in range(5):
            await pilot.pause(0.02)  # each paints a frame now, if painting is not held
        assert [] == [f for f in frames if f[1] == "camcord"]  # the key is not painted alone
        gated.open()
        await until(lambda: any(f[1] == "camcord" for f in frames))
        # The first frame that shows the key shows its results, painted as they came.
        assert [(screen, "camcord", True)] == [f for f in frames if f[1] == "camcord"][:1]
        results = screen.query_one("#results", OptionList)
        assert ["rc.camcording"] == [o.id for o in results.options]


async def test_a_search_slower_than_the_hold_lets_its_key_be_painted_first(
    db: Path, monkeypatch, gated: Gated
):
    async with searching_slowly(db, monkeypatch, hold=0.05) as (app, pilot, frames):
        screen = app.screen
        screen.query_one(Input).value = "camcord"
        await until(lambda: any(f[1] == "camcord" for f in frames))
        assert (screen, "camcord", False) in frames  # the key, painted while its search runs
        gated.open()
        results = await wait_for_results(pilot, screen)
        assert ["rc.camcording"] == [o.id for o in results.options]


async def test_leaving_during_a_slower_search_paints_the_screen_left_for(
    db: Path, monkeypatch, gated: Gated
):
    async with searching_slowly(db, monkeypatch, hold=30.0) as (app, pilot, frames):
        app.screen.query_one(Input).value = "camcord"
        await asyncio.sleep(0.05)
        await pilot.press("escape")
        await until(lambda: any(f[0] is app.compare for f in frames))
        assert app.screen is app.compare
        assert any(f[0] is app.compare for f in frames)  # painted: not held by the search left


async def test_the_palette_opened_during_a_slower_search_is_painted_when_it_comes(
    db: Path, monkeypatch, gated: Gated
):
    from textual.command import CommandPalette

    async with searching_slowly(db, monkeypatch, hold=30.0) as (app, pilot, frames):
        app.screen.query_one(Input).value = "camcord"
        await asyncio.sleep(0.05)
        await pilot.press("ctrl+p")  # over the search screen, while its search is held
        assert isinstance(app.screen, CommandPalette)
        app.screen.query_one(Input).cursor_blink = False  # no blink to paint it by chance
        await pilot.pause()
        frames.clear()
        gated.open()
        await until(lambda: any(f[0] is app.screen for f in frames))
        assert any(f[0] is app.screen for f in frames)


async def test_a_fault_in_a_search_says_so_in_one_line_and_the_app_runs_on(db: Path, monkeypatch):
    from tui import search
    from tui.screens import search as search_screen

    def broken(*args, **kwargs):
        raise RuntimeError("a fault\nover two lines")

    monkeypatch.setattr(search_screen, "QUICK", 30.0)
    monkeypatch.setattr(search, "find", broken)
    app = make_app(db)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"camcord")
        status = str(app.screen.query_one("#search-status").render()).strip()
        assert "search failed: RuntimeError: a fault over two lines" == status
        assert isinstance(app.screen, SearchScreen) and app.is_running
        await pilot.press("escape")
        assert app.screen is app.compare
