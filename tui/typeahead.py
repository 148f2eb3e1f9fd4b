"""Keys typed while a text box opens reach it in the order they were typed.

A fast typist's "/copyright" arrives in one burst. The keys that open a text box ("/" for the
search, "n" for a note, Ctrl+P for the palette) are priority bindings: each acts as it comes in,
before the keys after it are handed to anything. From then until the new screen has focused its
box, the app holds every key that comes in, and then hands them on in the order they came, as
if they came then: the box gets "copyright", and an Enter typed after it comes after it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

#: Seconds to hold keys at most, should the new screen focus nothing (a screen opened in
#: 30-200 ms on a busy two-core machine).
PATIENCE = 1.0
#: Seconds between looks at whether the new screen has focused its box yet.
LOOK = 0.01


@dataclass
class TypeAhead:
    """The keys held while a text box opens, each as (key, character)."""

    held: list[tuple[str, str | None]] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)

    def overdue(self) -> bool:
        return time.monotonic() - self.since > PATIENCE
