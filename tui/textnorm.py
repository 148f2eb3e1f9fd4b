"""Fold text so that a verbatim quote can be found in its source despite line breaks and quote styles."""

from __future__ import annotations

import bisect
import functools
import re

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
_REPLACEMENTS = tuple((chr(k), v) for k, v in _TYPOGRAPHIC.items())


def fold(text: str) -> str:
    """Typographic quotes made plain and every run of whitespace made one space."""
    # `split()` cuts at the runs of whitespace that `_SPACE` matches, and drops both ends.
    return " ".join(_plain(text).split())


def _plain(text: str) -> str:
    """Typographic quotes made plain, character for character (offsets do not move)."""
    if text.isascii():  # every typographic character is outside ASCII
        return text
    for typographic, plain in _REPLACEMENTS:  # a fast scan each: `translate` is slow
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


#: Whitespace that folding shortens: a run of two or more characters.
_LONG_SPACE = re.compile(r"\s{2,}")


class _Folded:
    """A text folded as by `fold`, that can say where each folded character came from.

    Typographic characters are replaced one for one, so only runs of whitespace shift the
    offsets: `_at` keeps where, in the collapsed text, each run of two or more ends, and `_shift`
    how far the original text is ahead from there on. Prose has few such runs: this is small.
    """

    def __init__(self, text: str):
        plain = _plain(text)
        collapsed = _SPACE.sub(" ", plain)
        self.lead = len(collapsed) - len(collapsed.lstrip(" "))
        self.text = collapsed.strip(" ")
        self._at = [0]
        self._shift = [0]
        shift = 0
        for m in _LONG_SPACE.finditer(plain):
            start, end = m.span()
            self._at.append(start - shift + 1)  # just after the one space the run became
            shift += end - start - 1
            self._shift.append(shift)

    def original(self, i: int) -> int:
        """The offset in the original text of folded character `i`."""
        at = i + self.lead
        return at + self._shift[bisect.bisect_right(self._at, at) - 1]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, its offset in `text`."""
    folded = _Folded(text)
    return folded.text, [folded.original(i) for i in range(len(folded.text))]


@functools.lru_cache(maxsize=1 << 17)
def locate(quote: str, source_text: str) -> tuple[int, int] | None:
    """Where `quote` occurs in `source_text`, as (start, end) offsets, after folding both.

    Kept for the next call: a build checks every quote (`check`) and then stores where each is,
    and at 100,000 provisions finding them twice cost seconds.
    """
    needle = fold(quote)
    if not needle:
        return None
    haystack = _folded_source(source_text)
    at = haystack.text.find(needle)
    if at < 0:
        return None
    return haystack.original(at), haystack.original(at + len(needle) - 1) + 1


def contains(quote: str, source_text: str) -> bool:
    """Whether `quote` occurs in `source_text`, after folding both."""
    return locate(quote, source_text) is not None


# Quotes come in runs from the same source: fold each source once per run.
@functools.lru_cache(maxsize=8)
def _folded_source(source_text: str) -> _Folded:
    return _Folded(source_text)
