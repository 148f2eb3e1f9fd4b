"""Dated events across the regimes, and each instrument's state on a given day (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

from tui.store import Store


@dataclass(frozen=True)
class Event:
    date: str
    regime: str
    event: str
    owner_type: str
    owner_id: str
    title: str
    #: the provision to jump to (an instrument's event jumps to its first provision)
    provision_id: str | None


@dataclass(frozen=True)
class State:
    instrument: str
    title: str
    regime: str
    state: str
    since: str | None


def floor(date: str) -> str:
    """The first day a partial date can mean: 2026-07 → 2026-07-01, 2017 → 2017-01-01."""
    parts = date.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def events(store: Store) -> list[Event]:
    """Every dated event, oldest first."""
    first_provision: dict[str, str] = {}
    for p in store.provisions():
        first_provision.setdefault(p.instrument, p.id)
    rows = store.query(
        "SELECT d.date, d.event, d.owner_type, d.owner_id, "
        "coalesce(p.regime, i.regime) AS regime, coalesce(p.heading, i.short_title, i.title) AS title "
        "FROM dates d LEFT JOIN provisions p ON d.owner_type = 'provision' AND p.id = d.owner_id "
        "LEFT JOIN instruments i ON d.owner_type = 'instrument' AND i.id = d.owner_id "
        "ORDER BY d.date, regime, d.owner_id"
    )
    parents = {i.version_of for i in store.instruments() if i.version_of}
    found: dict[tuple[str, str, str], Event] = {}
    for r in rows:
        if r["owner_id"] in parents:
            continue  # a bill as a whole: its drafts carry the same dates
        target = (
            r["owner_id"] if r["owner_type"] == "provision" else first_provision.get(r["owner_id"])
        )
        event = Event(
            r["date"],
            r["regime"],
            r["event"].replace("_", " "),
            r["owner_type"],
            r["owner_id"],
            r["title"],
            target,
        )
        key = (event.date, event.regime, event.event)
        # The same event told by an instrument and by its provision: keep the provision's.
        if (
            key not in found
            or event.owner_type == "provision"
            and found[key].owner_type != "provision"
        ):
            found[key] = event
    return sorted(found.values(), key=lambda e: (e.date, e.regime, e.owner_id))


def as_of(store: Store, day: str) -> list[State]:
    """Each instrument as it stood on `day` (YYYY-MM-DD): in force, a draft, superseded, or not yet there."""
    states = []
    instruments = store.instruments()
    superseded_on = {
        i.supersedes: min(i.dates.values(), default=None) for i in instruments if i.supersedes
    }
    for inst in instruments:
        if inst.id in {i.version_of for i in instruments if i.version_of}:
            continue  # a bill as a whole: its drafts speak for it
        dates = inst.dates
        in_force = min(
            (d for e, d in dates.items() if "in_force" in e and "remaining" not in e), default=None
        )
        scheduled = any("scheduled" in e for e in dates)
        started = min(dates.values(), default=None)
        replaced = superseded_on.get(inst.id)
        if replaced and floor(replaced) <= day:
            state, since = "superseded", replaced
        elif started is None:
            state, since = "date unknown", None
        elif inst.status == "draft":
            # A draft's entry into force is an expectation, not a fact.
            expected = f"; expected in force {in_force}" if in_force else ""
            state, since = (
                (f"draft{expected}", started)
                if floor(started) <= day
                else ("not yet there", started)
            )
        elif in_force and floor(in_force) <= day:
            state, since = "in force as scheduled" if scheduled else "in force", in_force
        elif in_force and floor(started) <= day and started != in_force:
            state, since = f"{inst.status}; in force from {in_force}", started
        elif in_force:
            state, since = f"not yet in force (from {in_force})", in_force
        elif floor(started) > day:
            state, since = "not yet there", started
        else:
            state, since = inst.status, started
        states.append(State(inst.id, inst.short_title or inst.title, inst.regime, state, since))
    return states
