"""What content/ holds, as read before it is cross-checked and built (frozen dataclasses).

What data.db gives back to the explorer and the command line is in `tui.records`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.dates import EventDate


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, where it is, and what to do."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Source:
    """A document content is drawn from; `text` is empty unless lexpane stores it (the seeds)."""

    id: str
    title: str
    kind: str
    text: str
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    date_note: str | None = None
    url: str | None = None
    original: str | None = None
    #: when a source whose text lexpane does not store was read (YYYY-MM-DD)
    consulted: str | None = None
    path: str = ""
    line: int = 1
    text_line: int = 1


@dataclass(frozen=True)
class Regime:
    id: str
    title: str
    jurisdiction: str
    description: str
    position: int
    path: str = ""
    line: int = 1


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    description: str
    parent: str | None
    position: int
    #: regime id -> why that regime's sources say nothing on this topic
    silent: tuple[tuple[str, str], ...] = ()
    path: str = ""
    line: int = 1


@dataclass(frozen=True)
class Instrument:
    """A legal text or one version of it (a draft of the Russian bill), from its front matter."""

    id: str
    regime: str
    jurisdiction: str
    title: str
    kind: str
    status: str
    short_title: str | None = None
    source: str | None = None
    evidence: str | None = None
    dates: tuple[EventDate, ...] = ()
    version_of: str | None = None
    version: str | None = None
    supersedes: str | None = None
    summary: str = ""
    path: str = ""
    line: int = 1
    key_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, self.line)


@dataclass(frozen=True)
class Quote:
    """A verbatim passage of a stored source, and the line of content/ that quotes it."""

    source: str
    text: str
    line: int


@dataclass(frozen=True)
class Claim:
    """What one source says on a provision's subject, in our words, and where it says it."""

    source: str
    says: str
    pinpoint: str | None
    line: int


@dataclass(frozen=True)
class Link:
    """A typed relation from a provision to another (`target`), with a one-line note."""

    target: str
    type: str
    note: str
    line: int


@dataclass(frozen=True)
class Gap:
    """What the IIPA report finds missing in a law, and the reform it asks for."""

    law: str
    weakness: str
    reform: str
    status: str
    as_of: str


@dataclass(frozen=True)
class Section:
    """One provision as written in one instrument file: a version of a provision."""

    id: str
    instrument: str
    heading: str
    body: str
    status: str
    number: str | None = None
    topics: tuple[str, ...] = ()
    dates: tuple[EventDate, ...] = ()
    links: tuple[Link, ...] = ()
    quotes: tuple[Quote, ...] = ()
    evidence: str | None = None
    source: str | None = None
    gap: Gap | None = None
    #: where in its source the provision's facts are: article, clause, paragraph
    pinpoint: str | None = None
    #: each source's account, when more than one source speaks to the provision
    claims: tuple[Claim, ...] = ()
    #: what the sources disagree on, in one line; None when they do not
    conflict: str | None = None
    path: str = ""
    line: int = 1
    position: int = 0
    #: line numbers of the metadata keys, for precise error messages
    key_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, self.line)


@dataclass(frozen=True)
class ContentFile:
    """A file read from content/: its path there, its path as records show it, its SHA-256."""

    path: str
    shown: str
    digest: str


@dataclass(frozen=True)
class Corpus:
    """Everything read from a content folder, before cross-checking."""

    regimes: tuple[Regime, ...]
    topics: tuple[Topic, ...]
    sources: tuple[Source, ...]
    instruments: tuple[Instrument, ...]
    sections: tuple[Section, ...]
    #: every file read, in the order read (the order of the content hash)
    files: tuple[ContentFile, ...]
    content_hash: str
    #: groups of equivalent search terms (tui.thesaurus.Group)
    thesaurus: tuple = ()
