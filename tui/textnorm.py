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
    out: list[str] = []
    offsets: list[int] = []
    translated = text.translate(_TYPOGRAPHIC)
    in_space = True  # drop leading whitespace
    for i, ch in enumerate(translated):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                offsets.append(i)
            in_space = True
        else:
            out.append(ch)
            offsets.append(i)
            in_space = False
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


def locate(quote: str, source_text: str) -> tuple[int, int] | None:
    """Where `quote` occurs in `source_text`, as (start, end) offsets, after folding both."""
    needle = fold(quote)
    if not needle:
        return None
    haystack, offsets = _folded_source(source_text)
    at = haystack.find(needle)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(needle) - 1] + 1


@functools.lru_cache(maxsize=8)
def _folded_source(source_text: str) -> tuple[str, list[int]]:
    # A corpus has a handful of sources and many quotes from each: fold each source once.
    return fold_with_offsets(source_text)
