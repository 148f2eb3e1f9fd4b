"""Keys typed while a text box opens reach it in the order they were typed.

A fast typist's "/copyright" arrives in one burst. Textual hands each key to the focused widget
as it comes: "/" and the letters after it go to the pane, and "/" opens the search screen only
once it has come back up to the app unused. The letters sent to the pane come back up after
it, one widget at a time; a letter typed once the search box has the focus goes straight in.
On a busy machine the straight one can overtake the ones on their way up ("ocpyright"), and a
letter that comes up before the box has the focus has nowhere to go.

So while a text box opens, the app holds every key that comes in, and collects the letters
that come back up from the screen left. A marker sent up the same way behind them says when
the last of those is back; once it is and the box has the focus, the letters go in first, then
the keys held, in order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from textual.message import Message

#: Seconds to hold keys at most, should the marker or the focus never come (a busy machine
#: took 0.2 s to open the search screen).
PATIENCE = 5.0
#: Seconds between looks at whether the text box has the focus yet.
LOOK = 0.01


class Behind(Message):
    """Sent up from where keys went before a text box opened: behind the last of them."""


@dataclass
class TypeAhead:
    """Keys typed while a text box opens: the letters that came back up unused, and the keys
    held since it began to open, each as (key, character)."""

    came_back: list[tuple[str, str | None]] = field(default_factory=list)
    held: list[tuple[str, str | None]] = field(default_factory=list)
    #: the marker is back: every letter sent the old way has come back up
    behind: bool = False
    since: float = field(default_factory=time.monotonic)

    def overdue(self) -> bool:
        return time.monotonic() - self.since > PATIENCE
