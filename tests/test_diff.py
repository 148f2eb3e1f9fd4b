"""The word diff: exact runs of equal, deleted and inserted words, with counts, and the diff screen
that shows them, with colour and without."""

from __future__ import annotations

import random
from pathlib import Path

from rich.console import Console

from tests.screen import screen_lines, screen_text
from tui.app import make_app
from tui.diff import word_diff
from tui.screens.diff import redline


def as_tuples(diff):
    return [(run.kind, run.text) for run in diff.runs]


def test_changed_words_only():
    diff = word_diff(
        "Developers must label all AI-generated content.",
        "Developers need only offer users the option to label AI-generated content.",
    )
    assert [
        ("equal", "Developers"),
        ("delete", "must"),
        ("insert", "need only offer users the option to"),
        ("equal", "label"),
        ("delete", "all"),
        ("equal", "AI-generated content."),
    ] == as_tuples(diff)
    assert (7, 2, 4) == (diff.added, diff.removed, diff.unchanged)


def test_identical_texts_have_no_changes():
    diff = word_diff("same words here", "same   words\nhere")
    assert [("equal", "same words here")] == as_tuples(diff)
    assert (0, 0) == (diff.added, diff.removed)


def test_deleted_text_is_all_struck():
    diff = word_diff("three words gone", "")
    assert [("delete", "three words gone")] == as_tuples(diff)
    assert (0, 3) == (diff.added, diff.removed)
    struck = redline(diff, ("equal", "delete"))
    assert "three words gone" == struck.plain
    assert all("strike" in str(struck.get_style_at_offset(Console(), n)) for n in range(16))
    assert "[-three words gone-]" == redline(diff, ("equal", "delete"), marks=True).plain
    assert [("insert", "all new")] == as_tuples(word_diff("", "all new"))
    assert [] == as_tuples(word_diff("", ""))


def test_long_texts_with_common_words_are_not_marked_wholly_changed():
    # A matcher with junk heuristics (difflib's autojunk) would treat frequent words as junk past
    # 200 tokens and report most of the text as changed; one changed word must stay one.
    rng = random.Random(7)
    vocabulary = ["the", "of", "law", "court", "and", "copyright", "shall", "to", "a", "rights"]
    old_words = [rng.choice(vocabulary) for _ in range(2_000)]
    new_words = list(old_words)
    new_words[1_000] = "INSERTED"
    diff = word_diff(" ".join(old_words), " ".join(new_words))
    assert (1, 1, 1_999) == (diff.added, diff.removed, diff.unchanged)


def test_runs_rebuild_both_texts():
    rng = random.Random(3)
    words = "a b c d e f g h".split()
    for _ in range(50):
        old = [rng.choice(words) for _ in range(rng.randint(0, 30))]
        new = [rng.choice(words) for _ in range(rng.randint(0, 30))]
        diff = word_diff(" ".join(old), " ".join(new))
        rebuilt_old = [w for r in diff.runs if r.kind != "insert" for w in r.words]
        rebuilt_new = [w for r in diff.runs if r.kind != "delete" for w in r.words]
        assert (old, new) == (rebuilt_old, rebuilt_new)


def test_fewest_changes():
    # "b c" moved: a minimal diff deletes and inserts two words, not the whole line.
    diff = word_diff("a b c d e", "a d e b c")
    assert 4 == diff.added + diff.removed


async def test_without_colour_the_diff_screen_brackets_what_changed(db: Path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("v")  # the two versions of the provision the explorer opens on
        await pilot.pause()
        lines = screen_lines(app)
        assert any(" Developers [-must-] label [-all-] AI-generated" in line for line in lines)
        assert any(" Developers {+need only offer users the option" in line for line in lines)
        await pilot.press("i")
        await pilot.pause()
        inline = "Developers [-must-] {+need only offer users the option to+} label [-all-] AI-generated [-content as such.-]"
        assert any(inline in line for line in screen_lines(app)), screen_text(app)


async def test_in_colour_the_diff_screen_shows_the_words_alone(db: Path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("v", "i")
        await pilot.pause()
        text = screen_text(app)
        assert "Developers must need only offer users the option to label all AI-generated" in text
        assert "[-" not in text and "{+" not in text
