"""No string, however hostile, breaks search: in the store, or in the running app's search box."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.app import make_app
from tui.screens.search import SearchScreen
from tui.search import find, parse, search
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


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile)
def test_store_search_never_raises(module_store, text):
    hits = search(module_store, text, limit=5)
    assert len(hits) <= 5
    query = parse(text)
    assert query.match.count('"') % 2 == 0  # every token stays quoted


async def test_app_search_box_takes_10000_hostile_strings(module_store):
    """Every string goes through the search box's whole path: query, worker result, rendering."""
    strings = []

    @settings(
        max_examples=10_000, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(text=hostile)
    def collect(text):
        strings.append(text)

    collect()
    assert len(strings) >= 10_000
    app = make_app(module_store.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        box = screen.query_one("Input")
        for text in strings:
            # Run the box's own path synchronously: the query, then rendering its results.
            with box.prevent(box.Changed):
                box.value = text
            screen._show(SearchScreen.Results(text, find(screen.store, text, limit=20)))
        await pilot.press("ctrl+u", *"camcord")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.is_running
