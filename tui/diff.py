"""An exact word-level diff of two prose texts, as a pure function."""

from __future__ import annotations

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

    Whitespace is not significant; punctuation stays attached to its word. The runs are a
    longest-common-subsequence alignment (rapidfuzz's Indel opcodes over word lists): the fewest
    words deleted and inserted, with nothing treated as junk, so one changed word in a long text
    stays one changed word. Within a change, deleted words come before inserted ones.
    """
    a, b = words(old), words(new)
    runs: list[Run] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def add(kind: Kind, chunk: list[str]) -> None:
        if not chunk:
            return
        if runs and runs[-1].kind == kind:
            runs[-1] = Run(kind, runs[-1].words + tuple(chunk))
        else:
            runs.append(Run(kind, tuple(chunk)))

    def flush() -> None:
        add("delete", deleted)
        add("insert", inserted)
        deleted.clear()
        inserted.clear()

    # Imported here: rapidfuzz is 3.6 MiB once loaded, and the explorer diffs only on request.
    from rapidfuzz.distance import Indel

    for tag, i1, i2, j1, j2 in Indel.opcodes(a, b):
        if tag == "equal":
            flush()
            add("equal", a[i1:i2])
        else:
            deleted.extend(a[i1:i2])
            inserted.extend(b[j1:j2])
    flush()
    return WordDiff(tuple(runs))
