"""The command palette (Ctrl+P): find a provision by its words, heading or id, and jump to it.

The palette asks the full-text index, in a thread, rather than holding every provision: it
opens at once however large the corpus. Headings are shown as text, never as markup.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tui.store import Interrupted
from tui.widgets.badges import short_regime

if TYPE_CHECKING:
    from tui.search import Found

#: Provisions the palette offers for one query, and before anything is typed.
SHOWN = 20


def _label(number: str | None, heading: str, provision_id: str) -> str:
    return f"{number + ' · ' if number else ''}{heading} ({provision_id})"


class ProvisionCommands(Provider):
    """Provisions, by the words of their heading and text, and by id."""

    _token: object | None = None
    """The query under way, to cancel when the next keystroke comes."""

    async def discover(self) -> Hits:
        rows = await asyncio.to_thread(self.app.store.provisions, limit=SHOWN)
        for row in rows:
            yield DiscoveryHit(
                Content(_label(row.number, row.heading, row.id)),
                partial(self.app.jump_to, row.id),
                help=escape(short_regime(row.regime)),  # help is read as markup
            )

    async def search(self, query: str) -> Hits:
        from tui.errors import LexpaneError
        from tui.search import find

        if not query.strip():
            return
        store = self.app.store
        # Each keystroke's query supersedes the last: stopped in SQLite, not left to hold the
        # store while the next one waits.
        if self._token is not None:
            store.cancel(self._token)
        self._token = token = object()

        def look() -> Found:
            with store.job(token):
                return find(store, query, limit=SHOWN)

        try:
            found = await asyncio.to_thread(look)
        except Interrupted:
            return
        except LexpaneError as exc:  # the database went wrong: said, not raised
            yield DiscoveryHit(Content(f"Search failed: {exc}"), lambda: None)
            return
        matcher = self.matcher(query)
        for n, hit in enumerate(found.hits):
            record = hit.record
            candidate = _label(record.number, record.heading, record.id)
            # Best first: the index ranks them; the fuzzy score only breaks no ties.
            score = 1.0 - n / (2 * SHOWN)
            yield Hit(
                score,
                _highlight(matcher, candidate),
                partial(self.app.jump_to, record.id),
                text=candidate,
                help=escape(f"Go to this provision · {short_regime(record.regime)}"),
            )


def _highlight(matcher, candidate: str) -> Content:
    """The candidate as text with the query's letters highlighted (Textual's own `highlight`
    would read the heading as markup)."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets if score else ():
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
