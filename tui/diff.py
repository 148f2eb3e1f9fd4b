"""An exact word-level diff of two prose texts, as a pure function."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["equal", "insert", "delete"]
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Run:
    """A run of words that are the same in both texts, only in the new one, or only in the old."""

    kind: Kind
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class WordDiff:
    runs: tuple[Run, ...]

    @property
    def added(self) -> int:
        return sum(len(r.words) for r in self.runs if r.kind == "insert")

    @property
    def removed(self) -> int:
        return sum(len(r.words) for r in self.runs if r.kind == "delete")

    @property
    def unchanged(self) -> int:
        return sum(len(r.words) for r in self.runs if r.kind == "equal")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_diff(old: str, new: str) -> WordDiff:
    """Runs of equal, deleted and inserted words turning `old` into `new`.

    Whitespace is not significant; punctuation stays attached to its word. The matcher runs with
    `autojunk=False`: with it on, common words in long texts are ignored and whole passages show
    as changed.
    """
    a, b = words(old), words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs: list[Run] = []

    def add(kind: Kind, chunk: list[str]) -> None:
        if not chunk:
            return
        if runs and runs[-1].kind == kind:
            runs[-1] = Run(kind, runs[-1].words + tuple(chunk))
        else:
            runs.append(Run(kind, tuple(chunk)))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return WordDiff(tuple(runs))
