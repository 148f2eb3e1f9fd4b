"""Fold text so that a verbatim quote can be found in its source despite line breaks and quote styles."""

from __future__ import annotations

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


def fold(text: str) -> str:
    """Typographic quotes made plain and every run of whitespace made one space."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, its offset in `text`."""
    translated = text.translate(_TYPOGRAPHIC)
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPACE.finditer(translated):  # each run of whitespace becomes one space
        start, end = m.span()
        out.append(translated[pos:start])
        offsets.extend(range(pos, start))
        out.append(" ")
        offsets.append(start)
        pos = end
    out.append(translated[pos:])
    offsets.extend(range(pos, len(translated)))
    folded = "".join(out)
    # Leading and trailing whitespace goes, as in `fold`.
    lead = len(folded) - len(folded.lstrip(" "))
    trail = len(folded.rstrip(" "))
    return folded[lead:trail], offsets[lead:trail]


@functools.lru_cache(maxsize=1 << 17)
def locate(quote: str, source_text: str) -> tuple[int, int] | None:
    """Where `quote` occurs in `source_text`, as (start, end) offsets, after folding both.

    Kept for the next call: a build checks every quote (`check`) and then stores where each is,
    and at 100,000 provisions finding them twice cost seconds.
    """
    needle = fold(quote)
    if not needle:
        return None
    haystack, offsets = _folded_source(source_text)
    at = haystack.find(needle)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(needle) - 1] + 1


def contains(quote: str, source_text: str) -> bool:
    """Whether `quote` occurs in `source_text`, after folding both."""
    return locate(quote, source_text) is not None


# Quotes come in runs from the same source: fold each source once per run.
@functools.lru_cache(maxsize=8)
def _folded_source(source_text: str) -> tuple[str, list[int]]:
    return fold_with_offsets(source_text)
