"""Screens of the explorer, one per file."""

from __future__ import annotations

from typing import Any


class Leaving:
    """Mixin for screens that close with a key: they close once, and only from the top.

    Keys can arrive faster than screens come and go. Textual's `dismiss` pops whatever screen is
    on top, so a second Escape, or an Enter landing as a new screen opens, would close the wrong
    one.
    """

    _leaving = False

    def on_screen_resume(self) -> None:
        self._leaving = False

    def leave(self, result: Any = None) -> None:
        if self.app.screen is self and not self._leaving:
            self._leaving = True
            self.dismiss(result)
