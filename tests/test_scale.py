"""Behaviour that only shows on a corpus bigger than the window of a pane or the ranking limit.

The corpus is synthetic (`tui.bench.synth`: the real content plus generated provisions), built by
the real build code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import search
from tui.app import make_app
from tui.bench.synth import write_corpus
from tui.build import build
from tui.paths import CHECKOUT_DIR
from tui.store import Store
from tui.widgets.provision_list import WINDOW, ProvisionList

SIZE = (140, 40)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    write_corpus(folder / "content", 700, real_content=CHECKOUT_DIR / "content", seed=3)
    build(folder / "content", folder / "data.db")
    return folder / "data.db"


def in_order(db: Path, regime: str) -> list[str]:
    with Store.open(db) as store:
        return [p.id for p in store.provisions(regime)]


async def test_moving_past_the_window_reaches_every_provision(big_db: Path):
    ids = in_order(big_db, "ru-ai")
    assert len(ids) > WINDOW * 2
    app = make_app(big_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.compare.query_one("#pane-ru-ai", ProvisionList)
        assert pane.has_focus
        assert pane.border_subtitle == f"{len(ids):,} provisions"
        for _ in range(WINDOW + 20):
            await pilot.press("down")
        await pilot.pause()
        assert ids[WINDOW + 20] == pane.current == app.compare.current
        await pilot.press("end")
        await pilot.pause()
        assert ids[-1] == pane.current == app.compare.current
        for _ in range(3):
            await pilot.press("up")
        await pilot.pause()
        assert ids[-4] == pane.current
        await pilot.press("home")
        await pilot.pause()
        assert ids[0] == pane.current


async def test_jumping_to_a_provision_far_down_its_pane(big_db: Path):
    ids = in_order(big_db, "ru-copyright")
    far = ids[len(ids) - 5]
    app = make_app(big_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.jump_to(far)
        await pilot.pause()
        pane = app.compare.query_one("#pane-ru-copyright", ProvisionList)
        assert pane.has_focus
        assert far == pane.current == app.compare.current
        assert app.compare.query_one("#reading").provision_id == far


def test_broad_queries_rank_headings_first_then_list_in_order(big_db: Path, monkeypatch):
    monkeypatch.setattr(search, "RANK_ALL_LIMIT", 40)
    with Store.open(big_db) as store:
        typed = search.find(store, "c", limit=10)
        assert typed.ordering == search.IN_ORDER and typed.more
        # In corpus order: rowids, which are positions, rise.
        positions = [store.provision_index(h.record.id) for h in typed.hits]
        assert positions == sorted(positions)

        word = max(("copyright", "piracy", "liability", "models", "data"),
                   key=lambda w: search.find(store, w, limit=1).matches)  # fmt: skip
        broad = search.find(store, word, limit=50)
        assert broad.ordering == search.HEADINGS_FIRST
        headed = [word in (h.record.heading + " " + (h.record.number or "")).lower()
                  for h in broad.hits]  # fmt: skip
        # The matches with the word in a heading come first, then the rest.
        assert headed[0] and headed == sorted(headed, reverse=True)

        narrow = search.find(store, '"human creative contribution"', limit=5)
        assert narrow.ordering == search.RANKED
        assert "kz-ai.art23-human-contribution" in [h.record.id for h in narrow.hits]


async def test_a_link_beyond_another_panes_window_is_named_and_l_follows_it(big_db: Path):
    app = make_app(big_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        store = app.store
        # Find a provision of the first pane with an explicit link far down another pane.
        pane = app.compare.query_one("#pane-ru-ai", ProvisionList)
        for _ in range(WINDOW):
            current = app.compare.current
            far = [
                r
                for r in store.related(current)
                if r.explicit and (store.provision_index(r.id, r.regime) or 0) >= WINDOW
            ]
            if far:
                break
            await pilot.press("down")
        assert far, "the synthetic corpus links some provisions across regimes"
        await pilot.pause()
        await pilot.pause()
        other = app.compare.query_one(f"#pane-{far[0].regime}", ProvisionList)
        before = other.current
        target = other.link_target
        assert pane.has_focus
        # The other pane's cursor stays; its border names the link, and L follows it.
        assert before != target.id and other.current == before
        assert str(other.border_subtitle).startswith(f"L ↔ {target.type}")
        await pilot.press("L")
        await pilot.pause()
        assert other.has_focus and target.id == other.current == app.compare.current


async def test_search_box_says_when_there_are_too_many_matches_to_rank(big_db: Path, monkeypatch):
    monkeypatch.setattr(search, "RANK_ALL_LIMIT", 40)
    app = make_app(big_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "c")
        status = app.screen.query_one("#search-status")

        async def status_saying(words: str) -> str:
            for _ in range(50):
                await app.workers.wait_for_complete()
                await pilot.pause()
                if words in str(status.render()):
                    break
            return str(status.render())

        assert "Over 40 matches, in corpus order: type more to rank them" in await status_saying(
            "corpus order"
        )
        await pilot.press(*"opyright")
        assert "heading matches first" in await status_saying("heading")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.compare and app.compare.current is not None


def _matched(store: Store, match: str) -> list[int]:
    rows = store.query(
        "SELECT rowid FROM provisions_fts WHERE provisions_fts MATCH ? ORDER BY rowid", (match,)
    )
    return [r[0] for r in rows]


def test_a_long_half_typed_word_finds_what_its_prefix_does(big_db: Path):
    with Store.open(big_db) as store:
        terms = [r[0] for r in store.query("SELECT term FROM terms ORDER BY term")]
        prefixes = sorted({t[:n] for t in terms for n in (5, 6, 8) if len(t) >= n})
        expanded = 0
        for prefix in prefixes[::7] + ["закон", "ответс", "liabilit", "camcord"]:
            for typed in (prefix, prefix.capitalize(), f"criminal {prefix.upper()}"):
                query = search.parse(typed)
                match = search.match_of(store, query)
                assert _matched(store, match) == _matched(store, query.match), typed
                expanded += match != query.match
        # Many were searched as the one word they begin; the others as typed.
        assert expanded > len(prefixes[::7])


def test_only_a_long_half_typed_word_that_begins_one_word_is_searched_as_it(big_db: Path):
    with Store.open(big_db) as store:
        query = search.parse("criminal liabilit")
        assert '"criminal" "liability"' == search.match_of(store, query)
        # Short (a prefix index of its own), several words, finished, a phrase, ё, no word.
        for typed in ("liab", "russi", "liability ", '"liabilit"', "ёлка", "zzzzzz", "réglem"):
            query = search.parse(typed)
            assert search.match_of(store, query) == query.match, typed


def test_ranked_hits_are_bm25s_best_as_typed_with_their_rank(big_db: Path):
    weights = ", ".join(str(w) for w in search.WEIGHTS)
    with Store.open(big_db) as store:
        for text, regime in (("criminal liabilit", None), ("models", "kz-ai"), ("russi", None)):
            found = search.find(store, text, limit=7, regime=regime)
            assert found.ordering == search.RANKED and found.matches > 7, text
            where = "AND p.regime = :regime" if regime else ""
            best = store.query(
                f"SELECT p.id, bm25(provisions_fts, {weights}) FROM provisions_fts "
                "JOIN provisions p ON p.rowid = provisions_fts.rowid "
                f"WHERE provisions_fts MATCH :match {where} ORDER BY 2, p.rowid LIMIT 7",
                {"match": search.parse(text).match, "regime": regime},
            )
            assert [(h.record.id, h.rank) for h in found.hits] == [tuple(r) for r in best]
            assert all("**" in h.snippet for h in found.hits), text
