"""The one renderer of a provision: for the terminal, as Markdown (the reading area and exports)
and as CSV cells, from one set of facts. No Textual here.

Everything a provision says is gathered once by `facts` (cleaned of control characters, whatever
database it came from); each format only lays the facts out.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui import snippets
from tui.dates import describe
from tui.records import ProvisionRecord, SourceRecord, VersionRecord
from tui.safe import clean, csv_cell, one_line
from tui.store import Store

if TYPE_CHECKING:
    from tui.diff import WordDiff
    from tui.search import Found

_RED, _GREEN, _BOLD, _RESET = "\x1b[31;9m", "\x1b[32m", "\x1b[1m", "\x1b[0m"


# -- citations ------------------------------------------------------------------------------


def source_line(source: SourceRecord, evidence: str | None = None) -> str:
    """A source as a reader cites it: who, title, date, kind, and when lexpane's authors read a
    source whose text it does not store."""
    by = source.author or source.publisher
    when = source.date or "undated"
    kind = evidence or source.kind
    consulted = f"; consulted {source.consulted}" if source.consulted else ""
    url = f", {source.url}" if source.url and not source.stored else ""
    return one_line(f"{by + ', ' if by else ''}“{source.title}” ({when}; {kind}{consulted}){url}")


def citation(store: Store, record: ProvisionRecord) -> str:
    """A pinpoint citation: instrument, article or heading, version, how sure its sources are,
    source and date, and the id."""
    instrument = store.instrument(record.instrument)
    where = record.number or f"“{record.heading}”"
    if record.number:
        where += f" (“{record.heading}”)"
    if record.pinpoint and record.pinpoint != record.number:
        where += f", at {record.pinpoint}"
    ref = f"{record.id}@{record.version}" if instrument.version else record.id
    text = f"{instrument.title}, {where}"
    if record.status == "deleted in revision":
        text += ", deleted in the revision"
    elif record.status not in ("in force", "adopted", "published"):
        text += f" [{record.status}]"
    uncertain = [d for d in record.dates if not d.certain]
    if uncertain:
        text += " (" + "; ".join(describe(d) for d in uncertain) + ")"
    if record.conflict:
        text += " (sources disagree)"
    if record.source:
        text += ". Source: " + source_line(store.source_head(record.source), record.evidence)
    return one_line(f"{text}. lexpane: {ref}")


# -- the facts of a provision ------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    source: str
    source_title: str
    date: str | None
    pinpoint: str | None
    says: str


@dataclass(frozen=True)
class Quote:
    text: str
    source: str
    source_title: str
    date: str | None
    #: which version of a provision the quote belongs to, when it has several
    version: str | None


@dataclass(frozen=True)
class Link:
    arrow: str
    type: str
    to: str
    regime: str
    note: str


@dataclass(frozen=True)
class Facts:
    """What lexpane says of one provision, as clean text, ready for any format."""

    id: str
    number: str | None
    heading: str
    regime: str
    jurisdiction: str
    instrument: str
    instrument_short: str
    #: the version of the instrument, when it is one of several
    version: str | None
    status: str
    evidence: str | None
    dates: list[str]
    topics: list[str]
    source: str | None
    pinpoint: str | None
    body: str
    conflict: str | None
    claims: list[Claim]
    gap: dict[str, str] | None
    quotes: list[Quote]
    links: list[Link]
    versions: list[str]
    citation: str
    edit: str
    #: the researcher's own note, line breaks kept
    note: str = ""

    @property
    def title(self) -> str:
        return f"{self.number} · {self.heading}" if self.number else self.heading


def facts(record: ProvisionRecord, store: Store, note: str = "") -> Facts:
    """Gather what is said of a provision (a database built elsewhere is not trusted: every
    string is cleaned of control characters)."""
    regimes = {r.id: r.title for r in store.regimes()}
    instrument = store.instrument(record.instrument)

    def head(source_id: str) -> SourceRecord:
        return store.source_head(source_id)

    several = len(record.versions) > 1
    return Facts(
        id=one_line(record.id),
        number=one_line(record.number) if record.number else None,
        heading=one_line(record.heading),
        regime=one_line(regimes.get(record.regime, record.regime)),
        jurisdiction=one_line(record.jurisdiction),
        instrument=one_line(record.instrument_title),
        instrument_short=one_line(instrument.short_title or instrument.title),
        version=one_line(record.version) if instrument.version else None,
        status=one_line(record.status),
        evidence=one_line(record.evidence) if record.evidence else None,
        dates=[one_line(describe(d)) for d in record.dates],
        topics=[one_line(t) for t in record.topics],
        source=source_line(head(record.source), record.evidence) if record.source else None,
        pinpoint=one_line(record.pinpoint) if record.pinpoint else None,
        body=clean(record.body),
        conflict=one_line(record.conflict) if record.conflict else None,
        claims=[
            Claim(
                one_line(c.source),
                one_line(head(c.source).title),
                head(c.source).date,
                one_line(c.pinpoint) if c.pinpoint else None,
                one_line(c.says),
            )
            for c in record.claims
        ],
        gap={k: one_line(v) for k, v in record.gap.items()} if record.gap else None,
        quotes=[
            Quote(
                one_line(q.text),
                one_line(q.source),
                one_line(head(q.source).title),
                head(q.source).date,
                one_line(q.version) if several else None,
            )
            for q in record.quotes
        ],
        links=[
            Link(
                "→" if link.direction == "out" else "←",
                one_line(link.type),
                one_line(link.to),
                one_line(regimes.get(link.regime, link.regime)),
                one_line(link.note),
            )
            for link in record.links
        ],
        versions=[one_line(v) for v in record.versions],
        citation=citation(store, record),
        edit=one_line(f"{record.path}:{record.line}"),
        note=clean(note).strip(),
    )


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a Markdown text, each on one line (the source's wrapping undone)."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


# -- for the terminal --------------------------------------------------------------------------


def _wrap(text: str, indent: str = "", subsequent: str | None = None) -> str:
    return "\n\n".join(
        textwrap.fill(
            p,
            width=88,
            initial_indent=indent,
            subsequent_indent=indent if subsequent is None else subsequent,
        )
        for p in paragraphs(text)
    )


def provision(f: Facts) -> str:
    """A provision as `lexpane show` prints it."""
    out = [f.id, f.title, ""]
    out.append(f"Regime:     {f.regime} ({f.jurisdiction})")
    version = f" [{f.version}]" if f.version else ""
    out.append(f"Instrument: {f.instrument}{version}")
    out.append(f"Status:     {f.status}")
    if f.dates:
        out.append("Dates:      " + "; ".join(f.dates))
    out.append(f"Topics:     {', '.join(f.topics)}")
    if f.source:
        out.append(_wrap(f.source, indent="Source:     ", subsequent=" " * 12))
    if f.pinpoint:
        out.append(f"Pinpoint:   {f.pinpoint}")
    out += ["", _wrap(f.body)]
    if f.conflict:
        out += ["", _wrap(f"Sources disagree: {f.conflict}")]
    if f.claims:
        out += ["", "Claims:"]
        for c in f.claims:
            at = f", {c.pinpoint}" if c.pinpoint else ""
            said = f"“{c.source_title}” ({c.date or 'undated'}{at}): {c.says}"
            out.append(_wrap(said, indent="  ", subsequent="    "))
    if f.gap:
        out += ["", "Gap (as of the report, " + f.gap["as_of"] + "):"]
        out += [f"  law:      {f.gap['law']}", f"  weakness: {f.gap['weakness']}"]
        out += [f"  reform:   {f.gap['reform']}", f"  status:   {f.gap['status']}"]
    if f.quotes:
        out += ["", "Quotes:"]
        for q in f.quotes:
            tag = f" ({q.version})" if q.version else ""
            out.append(_wrap(f"“{q.text}” — {q.source}{tag}", indent="  "))
    if f.links:
        out += ["", "Links:"]
        for link in f.links:
            out.append(f"  {link.arrow} {link.type} {link.to} ({link.regime})")
            out.append(_wrap(link.note, indent="      "))
    if len(f.versions) > 1:
        out += ["", "Versions:   " + ", ".join(f"{f.id}@{v}" for v in f.versions)]
    if f.note:
        out += ["", "Your note:"] + [f"  {line}" for line in f.note.split("\n")]
    out += ["", f"Edit:       {f.edit}"]
    return "\n".join(out)


def search_results(found: Found, color: bool = False) -> str:
    """Hits as numbered lines, matched words in bold on a terminal (plain elsewhere), and how a
    widened query was understood, before the hits it added."""
    from tui.widen import THIN

    if not found.hits:
        return "no provisions match (try fewer words, or a shorter prefix)"
    lines = []
    bold, plain = (_BOLD, _RESET) if color else ("", "")
    for n, hit in enumerate(found.hits, 1):
        if found.widened is not None and n == found.exact + 1:
            head = "no exact match" if found.exact == 0 else f"fewer than {THIN} exact matches"
            lines.append(_wrap(f"({head}; {one_line(found.widened.message)})"))
        r = hit.record
        number = f"{one_line(r.number)} · " if r.number else ""
        disagree = " · sources disagree" if r.disagree else ""
        lines.append(f"{n:>2}. {one_line(r.id)}  [{r.regime} · {one_line(r.status)}{disagree}]")
        lines.append(f"    {number}{one_line(r.heading)}")
        runs = snippets.runs(one_line(hit.snippet))
        if runs:
            snippet = "".join(f"{bold}{t}{plain}" if m else t for t, m in runs)
            lines.append(
                textwrap.fill(snippet, 88, initial_indent="    ", subsequent_indent="    ")
            )
    return "\n".join(lines)


# -- as Markdown ---------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_<>|])")


def md(text: str) -> str:
    """Plain text made literal in Markdown: emphasis, code, HTML and table characters escaped,
    and a `[…](…)` that would become a link broken. `[sic]` and `[1]` read as they are."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("](", "]\\(")


def markdown(f: Facts, level: int = 2) -> str:
    """A provision as Markdown, its heading at `level`, the note and then the citation last."""
    lines = [
        f"{'#' * level} {md(f.title)}",
        "",
        f"**{md(f.status)}** · {md(f.regime)} · *{md(f.instrument_short)}* · "
        f"evidence: {md(f.evidence or 'none recorded')}",
    ]
    if f.dates:
        lines += ["", md(" · ".join(f.dates))]
    if f.pinpoint:
        lines += ["", f"Pinpoint: {md(f.pinpoint)}"]
    lines += ["", f.body]
    if f.conflict:
        lines += ["", f"**Sources disagree:** {md(f.conflict)}"]
    if f.claims:
        lines += [""]
        for c in f.claims:
            at = f", {md(c.pinpoint)}" if c.pinpoint else ""
            lines.append(f"- *{md(c.source_title)}*{at}: {md(c.says)}")
    if f.gap:
        lines += [
            "",
            f"| Gap (as of {md(f.gap['as_of'])}) | |",
            "|---|---|",
            *(
                f"| {label} | {md(f.gap[key])} |"
                for label, key in (
                    ("Law", "law"),
                    ("Weakness", "weakness"),
                    ("Reform", "reform"),
                    ("Status", "status"),
                )
            ),
        ]
    for q in f.quotes:
        when = f", {q.date}" if q.date else ""
        tag = f" ({md(q.version)} draft)" if q.version else ""
        lines += ["", f"> {md(q.text)}", ">", f"> — *{md(q.source_title)}*{when}{tag}"]
    if f.links:
        lines += ["", "**Linked**", ""]
        for link in f.links:
            lines.append(
                f"- {link.arrow} *{md(link.type)}* `{link.to}` ({md(link.regime)}): {md(link.note)}"
            )
    lines += ["", f"Topics: {md(', '.join(f.topics))}"]
    if len(f.versions) > 1:
        lines.append(f"Versions: {md(', '.join(f.versions))} (press v to compare)")
    if f.note:
        # A hard break (backslash) at each line end keeps the note's lines as written.
        noted = "\\\n".join(md(line) for line in f.note.split("\n"))
        lines += ["", "**Your note**", "", noted]
    lines += ["", f"*Cite:* {md(f.citation)}"]
    return "\n".join(lines)


# -- as CSV cells ----------------------------------------------------------------------------------

CSV_HEADER = [
    "regime",
    "id",
    "number",
    "heading",
    "status",
    "evidence",
    "dates",
    "sources_disagree",
    "body",
    "quotes",
    "citation",
    "note",
]


def csv_row(regime: str, f: Facts) -> list[str]:
    """A provision as one CSV row (see CSV_HEADER): the source's wrapping undone, paragraphs
    apart, and no cell that a spreadsheet would run as a formula."""
    cells = [
        regime,
        f.id,
        f.number or "",
        f.heading,
        f.status,
        f.evidence or "",
        "; ".join(f.dates),
        f.conflict or "",
        "\n\n".join(paragraphs(f.body)),
        " | ".join(q.text for q in f.quotes),
        f.citation,
        f.note,
    ]
    return [csv_cell(cell) for cell in cells]


# -- diffs ----------------------------------------------------------------------------------------


def diff_text(version: VersionRecord) -> str:
    """What a version contributes to a diff: nothing at all if the revision deleted it."""
    return "" if version.deleted else clean(version.body)


def _label(version: VersionRecord) -> str:
    deleted = " (deleted)" if version.deleted else ""
    return one_line(f"{version.ref}: {version.heading}{deleted}")


def diff(old: VersionRecord, new: VersionRecord, result: WordDiff, color: bool = False) -> str:
    lines = [
        f"--- {_label(old)}",
        f"+++ {_label(new)}",
        f"{result.added} word(s) added, {result.removed} removed, {result.unchanged} unchanged",
        "",
    ]
    pieces = []
    for run in result.runs:
        text = one_line(run.text)
        if run.kind == "equal":
            pieces.append(text)
        elif run.kind == "delete":
            pieces.append(f"{_RED}{text}{_RESET}" if color else f"[-{text}-]")
        else:
            pieces.append(f"{_GREEN}{text}{_RESET}" if color else f"{{+{text}+}}")
    lines.append(textwrap.fill(" ".join(pieces), 88) if not color else " ".join(pieces))
    return "\n".join(lines)


def diff_json(old: VersionRecord, new: VersionRecord, result: WordDiff) -> dict:
    def side(v: VersionRecord) -> dict:
        return {"id": v.provision_id, "version": v.version, "ref": v.ref, "heading": v.heading,
                "status": v.status, "deleted": v.deleted}  # fmt: skip

    return {
        "a": side(old),
        "b": side(new),
        "added": result.added,
        "removed": result.removed,
        "unchanged": result.unchanged,
        "runs": [{"op": r.kind, "text": r.text} for r in result.runs],
    }
