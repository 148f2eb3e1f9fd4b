"""Records the store returns: frozen dataclasses, as the explorer and `--json` see them."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.dates import EventDate


@dataclass(frozen=True)
class RegimeRecord:
    id: str
    title: str
    jurisdiction: str
    description: str


@dataclass(frozen=True)
class TopicRecord:
    id: str
    label: str
    parent: str | None
    description: str
    #: regime id -> number of provisions on this topic (descendant topics included)
    counts: dict[str, int] = field(default_factory=dict)
    #: regime id -> why that regime's sources say nothing on it (None: no note)
    silent: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class InstrumentRecord:
    id: str
    regime: str
    jurisdiction: str
    title: str
    short_title: str | None
    kind: str
    status: str
    source: str | None
    evidence: str | None
    version_of: str | None
    version: str | None
    supersedes: str | None
    summary: str
    dates: tuple[EventDate, ...] = ()


@dataclass(frozen=True)
class ProvisionSummary:
    """A provision as a list row: enough to show and to choose it."""

    id: str
    regime: str
    instrument: str
    version: str
    number: str | None
    heading: str
    status: str
    evidence: str | None
    #: the first dated event, with its kind when not one that happened ("2026-09-01 expected")
    date: str | None
    #: the provision's sources disagree (see ProvisionRecord.conflict)
    disagree: bool = False
    #: how many versions of the provision there are (more than one: `v` compares them)
    versions: int = 1


@dataclass(frozen=True)
class QuoteRecord:
    source: str
    text: str
    version: str
    start: int
    end: int


@dataclass(frozen=True)
class LinkRecord:
    to: str
    type: str
    note: str
    #: "out" when this provision names the link, "in" when the other one does
    direction: str
    heading: str
    regime: str


@dataclass(frozen=True)
class VersionRecord:
    provision_id: str
    version: str
    instrument: str
    seq: int
    number: str | None
    heading: str
    body: str
    status: str
    deleted: bool

    @property
    def ref(self) -> str:
        return f"{self.provision_id}@{self.version}"


@dataclass(frozen=True)
class SourceRecord:
    id: str
    title: str
    kind: str
    author: str | None
    publisher: str | None
    date: str | None
    date_note: str | None
    url: str | None
    text: str
    #: when a source whose text lexpane does not store was read
    consulted: str | None = None
    #: whether lexpane holds the source's text (the seeds), so a quote can be shown in it
    stored: bool = True


@dataclass(frozen=True)
class ClaimRecord:
    """One source's account of a provision's subject, in the project's words."""

    source: str
    says: str
    pinpoint: str | None


@dataclass(frozen=True)
class ProvisionRecord:
    """One provision in full, as `lexpane show --json` prints it."""

    id: str
    regime: str
    jurisdiction: str
    instrument: str
    instrument_title: str
    version: str
    number: str | None
    heading: str
    body: str
    status: str
    evidence: str | None
    source: str | None
    source_title: str | None
    topics: list[str]
    quotes: list[QuoteRecord]
    links: list[LinkRecord]
    versions: list[str]
    dates: tuple[EventDate, ...]
    gap: dict[str, str] | None
    path: str
    line: int
    #: where in its source the facts are (article, clause, paragraph)
    pinpoint: str | None = None
    claims: list[ClaimRecord] = field(default_factory=list)
    #: what the sources disagree on; None when they agree (then "sources disagree" is shown)
    conflict: str | None = None


@dataclass(frozen=True)
class Related:
    """A provision of another regime tied to the focused one, and how."""

    id: str
    regime: str
    #: a link type ("contrasts with", …) or "same topic"
    type: str
    #: the link's note, or the shared topic's label
    note: str
    explicit: bool
