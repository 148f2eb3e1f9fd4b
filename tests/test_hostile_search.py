"""No string, however hostile, breaks search: in the store, or in the running app's search box."""

from __future__ import annotations

import asyncio
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, OptionList, Static

from tui.app import make_app
from tui.screens.search import HINT, NO_MATCH, SearchScreen
from tui.search import parse, search
from tui.store import Store

FTS_SYNTAX = [
    '"',
    "*",
    "^",
    "(",
    ")",
    ":",
    "-",
    "+",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "{",
    "}",
    ",",
    "\\",
    "'",
]
hostile = st.one_of(
    st.text(),  # any unicode, control characters and surrogate-free oddities included
    st.text(
        alphabet=st.sampled_from(
            [c for c in FTS_SYNTAX if len(c) == 1] + [" ", "a", "ж", "é", "1"]
        ),
        max_size=40,
    ),
    st.lists(
        st.sampled_from(FTS_SYNTAX + ["regime:", "topic:", "status:", "copy", "право"]), max_size=12
    ).map(" ".join),
    # very long input, cheaply: a random piece repeated up to 10,000+ characters
    st.builds(
        lambda piece, times: piece * times, st.text(min_size=1, max_size=20), st.integers(100, 600)
    ),
)


@pytest.fixture(scope="module")
def module_store(tmp_path_factory):
    from tests.conftest import FIXTURE_CONTENT
    from tui.build import build

    path = tmp_path_factory.mktemp("hostile") / "data.db"
    build(FIXTURE_CONTENT, path)
    with Store.open(path) as store:
        yield store


# The running app's search box takes 10,000 of them below; this keeps a quicker check of the
# store's own search (and of the query it makes) on a fresh draw.
@settings(max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile)
def test_store_search_never_raises(module_store, text):
    hits = search(module_store, text, limit=5)
    assert len(hits) <= 5
    query = parse(text)
    assert query.match.count('"') % 2 == 0  # every token stays quoted


def hostile_strings(n: int = 10_000) -> list[str]:
    strings: list[str] = []

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(text=hostile)
    def collect(text):
        strings.append(text)

    collect()
    return strings


SUMMARY = re.compile(
    r"^(\d[\d,]*\+? results?, best first"
    r"|(Over )?\d[\d,]* matches, (heading matches first: type more to rank all"
    r"|in corpus order: type more to rank them))"
)


async def test_app_search_box_takes_10000_hostile_strings(module_store):
    """Every string goes through the search box's whole path: the Input, the search thread (its
    queries), the result message, and what the screen then shows."""
    strings = hostile_strings()
    assert len(strings) >= 10_000
    ids = {p.id for p in module_store.provisions()}
    answered = asyncio.Event()
    answers: list = []

    def hook(message) -> None:
        if isinstance(message, (SearchScreen.Results, SearchScreen.Failed)):
            answers.append(message)
            answered.set()

    app = make_app(module_store.path)
    async with app.run_test(size=(60, 16), message_hook=hook) as pilot:
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        box = screen.query_one(Input)
        status = screen.query_one("#search-status", Static)
        results = screen.query_one("#results", OptionList)
        searched = 0
        for text in strings:
            if box.value == text:
                continue  # the box holds this text already: typing it starts no search
            answered.clear()
            box.value = text
            await asyncio.wait_for(answered.wait(), timeout=30)
            await asyncio.sleep(0)
            searched += 1
            answer = answers[-1]
            assert isinstance(answer, SearchScreen.Results), (text, answer.reason)
            assert (screen.searches, text) == (answer.number, answer.text)
            shown = str(status.render())
            query = parse(answer.text)
            assert 0 == query.match.count('"') % 2  # every token stays quoted
            if query.empty:
                assert HINT == shown
            elif answer.problem:
                assert shown.startswith("Unknown ")
            elif not answer.found.hits:
                assert NO_MATCH == shown
            else:
                assert SUMMARY.match(shown), (text, shown)
            for _ in range(100):  # a screenful is listed first, the rest after that frame
                if len(answer.found.hits) == results.option_count:
                    break
                await asyncio.sleep(0.005)
            assert len(answer.found.hits) == results.option_count
            assert {o.id for o in results.options} <= ids
        assert searched >= 9_000  # repeats of the text already there start no search
        # Emptied first: Ctrl+U clears only what is left of the cursor, which the last string
        # may have left anywhere.
        box.value = ""
        await pilot.press(*"camcord")
        for _ in range(200):  # until the last search's outcome is on screen (a lost one fails)
            await app.workers.wait_for_complete()
            await pilot.pause()
            last = answers[-1]
            if last.text == "camcord" and last.number == screen.shown == screen.searches:
                break
        assert ["rc.camcording"] == [o.id for o in results.options]
        assert app.screen is screen and app.is_running
        assert all(w.state.name != "ERROR" for w in app.workers)
