"""Dated events: what happened versus what a source only expects or schedules, and periods.

A date is ISO text, full or partial (`2026`, `2027-03`, `2026-01-18`); a period is two of them
joined by `/` (`2016-01/2016-06`). An event's kind says how sure its source is: `happened` (the
source reports it done), `expected` (the source expects it) or `scheduled` (the source says it is
set for that date). Only a `happened` event is a fact; the timeline, the as-of view, `show`,
exports and citations say "expected" or "scheduled" for the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

HAPPENED = "happened"
#: How sure a source is of an event, most sure first.
KINDS = (HAPPENED, "expected", "scheduled")


@dataclass(frozen=True)
class EventDate:
    """One dated event of an instrument or a provision."""

    event: str
    #: a full or partial ISO date; for a period, its first day or month
    date: str
    #: for a period ("the first half of 2016"), its last day or month
    end: str | None = None
    kind: str = HAPPENED
    #: how the source puts it, when a date alone would say more or less than it does
    note: str | None = None

    @property
    def certain(self) -> bool:
        return self.kind == HAPPENED


def parse_span(value: str) -> tuple[str, str | None] | None:
    """`2026-01-18` → (it, None); `2016-01/2016-06` → (start, end); None when malformed."""
    start, sep, end = value.partition("/")
    if not is_date(start) or (sep and not is_date(end)):
        return None
    if sep and floor(end) < floor(start):
        return None
    return start, (end if sep else None)


def floor(date: str) -> str:
    """The first day a partial date can mean: 2026-07 → 2026-07-01, 2017 → 2017-01-01."""
    parts = date.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def event_label(event: str) -> str:
    """An event id as words: `main_provisions_in_force` → "main provisions in force"."""
    return event.replace("_", " ")


#: Words of event ids said as a reader writes them.
_PROPER = {
    "gsp": "GSP", "wto": "WTO", "us": "US", "ip": "IP", "p2p": "P2P", "iv": "IV",
    "duma": "Duma", "mazhilis": "Mazhilis", "senate": "Senate", "congress": "Congress",
    "skolkovo": "Skolkovo", "civil": "Civil", "code": "Code", "part": "Part",
    "federal": "Federal", "law": "Law",
}  # fmt: skip


def event_phrase(event: str) -> str:
    """An event id as a phrase: `removed_from_gsp` → "Removed from GSP",
    `civil_code_part_iv_in_effect` → "Civil Code Part IV in effect"."""
    words = [_PROPER.get(word, word) for word in event.split("_")]
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def span(date: str, end: str | None) -> str:
    """A day, month or year, or a period: "2016-01 to 2016-06"."""
    return f"{date} to {end}" if end else date


def when(d: EventDate) -> str:
    """The date as a reader should take it: "2016-01 to 2016-06", "expected 2026-09-01"."""
    text = span(d.date, d.end)
    if not d.certain:
        text = f"{d.kind} {text}"
    return f"{text} ({d.note})" if d.note else text


def describe(d: EventDate) -> str:
    """An event and its date in one phrase: "in force: expected 2026-09-01"."""
    return f"{event_label(d.event)}: {when(d)}"


def is_date(value: Any) -> bool:
    """A full or partial ISO date: 2026, 2026-07 or 2026-01-18, and a real one."""
    if not isinstance(value, str):
        return False
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() and p.isascii() for p in parts):
        return False
    if len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
        return False
    year, month, day = (int(p) for p in (parts + ["01", "01"])[:3])
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
