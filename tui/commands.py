"""The command palette (Ctrl+P): find a provision by id or heading and jump to it."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.widgets.badges import REGIME_SHORT


class ProvisionCommands(Provider):
    """Every provision, by heading and id."""

    async def startup(self) -> None:
        store = self.app.store
        self.provisions = [
            (p.id, f"{p.number + ' · ' if p.number else ''}{p.heading}", p.regime)
            for p in store.provisions()
        ]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for provision_id, heading, regime in self.provisions:
            candidate = f"{heading} ({provision_id})"
            score = matcher.match(candidate)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(candidate),
                    partial(self.app.jump_to, provision_id),
                    help=f"Go to this provision · {REGIME_SHORT.get(regime, regime)}",
                )

    async def discover(self) -> Hits:
        for provision_id, heading, regime in self.provisions[:20]:
            yield DiscoveryHit(
                f"{heading} ({provision_id})",
                partial(self.app.jump_to, provision_id),
                help=REGIME_SHORT.get(regime, regime),
            )
