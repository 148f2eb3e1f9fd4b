"""Search snippets: how FTS5 marks the matched words, and the one parser of those marks."""

from __future__ import annotations

#: What FTS5's snippet() puts around each matched word (`lexpane search --json` shows them).
MARK_OPEN = "**"
MARK_CLOSE = "**"


def runs(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as runs of text, each saying whether it is a matched word (between MARK_OPEN
    and MARK_CLOSE; a mark left open runs to the end)."""
    found: list[tuple[str, bool]] = []
    position, matched = 0, False
    while True:
        marker = MARK_CLOSE if matched else MARK_OPEN
        at = snippet.find(marker, position)
        end = len(snippet) if at < 0 else at
        if end > position:
            found.append((snippet[position:end], matched))
        if at < 0:
            return found
        position, matched = at + len(marker), not matched
