"""Dated events across the regimes, and each instrument's state on a given day (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

from tui.dates import HAPPENED, EventDate, event_label, event_phrase, floor, when
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
    #: happened, expected or scheduled (`tui.dates.KINDS`)
    kind: str = HAPPENED
    #: the last day or month of a period
    end: str | None = None
    note: str | None = None
    #: the event said as a phrase ("Removed from GSP")
    phrase: str = ""

    @property
    def when(self) -> str:
        return when(EventDate(self.event, self.date, self.end, self.kind, self.note))


@dataclass(frozen=True)
class State:
    instrument: str
    title: str
    regime: str
    state: str
    since: str | None


def events(store: Store) -> list[Event]:
    """Every dated event, oldest first."""
    # Each instrument's first provision, one seek of the (instrument, position) index each,
    # rather than a reading of every provision.
    first_provision = {
        r["instrument"]: r["first"]
        for r in store.query(
            "SELECT i.id AS instrument, (SELECT p.id FROM provisions p WHERE p.instrument = i.id "
            "ORDER BY p.position LIMIT 1) AS first FROM instruments i"
        )
        if r["first"] is not None
    }
    rows = store.query(
        "SELECT d.date, d.date_end, d.kind, d.note, d.event, d.owner_type, d.owner_id, "
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
            event_label(r["event"]),
            r["owner_type"],
            r["owner_id"],
            r["title"],
            target,
            r["kind"] or HAPPENED,
            r["date_end"],
            r["note"],
            event_phrase(r["event"]),
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


def _entry_into_force(dates: tuple[EventDate, ...]) -> tuple[EventDate | None, EventDate | None]:
    """The first entry into force a source reports done, and the first it only expects."""
    whole = [d for d in dates if "in_force" in d.event and "remaining" not in d.event]
    done = min((d for d in whole if d.certain), key=lambda d: floor(d.date), default=None)
    planned = min((d for d in whole if not d.certain), key=lambda d: floor(d.date), default=None)
    return done, planned


def as_of(store: Store, day: str) -> list[State]:
    """Each instrument as it stood on `day` (YYYY-MM-DD): in force, a draft, superseded, or not
    yet there. An entry into force that a source only expects or schedules is never reported as
    having happened: the state says it was expected and that no source confirms it."""
    states = []
    instruments = store.instruments()
    superseded_on = {
        i.supersedes: min((d.date for d in i.dates), default=None)
        for i in instruments
        if i.supersedes
    }
    parents = {i.version_of for i in instruments if i.version_of}
    for inst in instruments:
        if inst.id in parents:
            continue  # a bill as a whole: its drafts speak for it
        done, planned = _entry_into_force(inst.dates)
        happened = [d.date for d in inst.dates if d.certain]
        started = min(happened, key=floor, default=None)
        replaced = superseded_on.get(inst.id)
        if replaced and floor(replaced) <= day:
            state, since = "superseded", replaced
        elif done and floor(done.date) <= day:
            state, since = "in force", done.date
        elif inst.status == "draft":
            expected = f"; {planned.kind} in force {planned.date}" if planned else ""
            if planned and floor(planned.date) <= day:
                expected += ", no recorded source says it is"
            if started is None:
                state, since = f"date unknown{expected}", None
            elif floor(started) <= day:
                state, since = f"draft{expected}", started
            else:
                state, since = "not yet there", started
        elif planned and floor(planned.date) <= day:
            state, since = (
                f"{planned.kind} in force {planned.date}; no recorded source says it is",
                planned.date,
            )
        elif planned:
            state, since = f"{planned.kind} in force {planned.date}", None
        elif done:
            before = [d for d in inst.dates if d.certain and floor(d.date) <= day]
            latest = max(before, key=lambda d: floor(d.date), default=None)
            state = f"not yet in force (from {done.date})"
            if latest is not None:
                state = f"{event_label(latest.event)} {latest.date}; in force from {done.date}"
            state, since = state, done.date
        elif started is None:
            state, since = "date unknown", None
        elif floor(started) > day:
            state, since = "not yet there", started
        else:
            state, since = inst.status, started
        states.append(State(inst.id, inst.short_title or inst.title, inst.regime, state, since))
    return states
