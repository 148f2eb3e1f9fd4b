"""How long work says how far it is: a callback the command line draws as a progress bar."""

from __future__ import annotations

from collections.abc import Callable

#: `progress(step, done, total)`: `step` names what is being done ("reading files"); `done` of
#: `total` units are finished. Called again for each unit, and once a step is over.
Progress = Callable[[str, int, int], None]


def quiet(step: str, done: int, total: int) -> None:
    """Progress that nobody watches."""
