"""Plain-text renderings of records for the command line (no Textual)."""

from __future__ import annotations

import textwrap

from tui.dates import describe
from tui.diff import WordDiff
from tui.export import source_line
from tui.records import ProvisionRecord, VersionRecord
from tui.search import MARK_OPEN, Found
from tui.store import Store
from tui.widen import THIN

_RED, _GREEN, _BOLD, _DIM, _RESET = "\x1b[31;9m", "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _wrap(text: str, indent: str = "", subsequent: str | None = None) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "\n\n".join(
        textwrap.fill(
            " ".join(p.split()),
            width=88,
            initial_indent=indent,
            subsequent_indent=indent if subsequent is None else subsequent,
        )
        for p in paragraphs
    )


def _regime_titles(store: Store) -> dict[str, str]:
    return {r.id: r.title for r in store.regimes()}


def search_results(found: Found, store: Store, color: bool = False) -> str:
    """Hits as numbered lines, matched words in bold on a terminal (plain elsewhere), and how a
    widened query was understood, before the hits it added."""
    if not found.hits:
        return "no provisions match (try fewer words, or a shorter prefix)"
    lines = []
    for n, hit in enumerate(found.hits, 1):
        if found.widened is not None and n == found.exact + 1:
            head = "no exact match" if found.exact == 0 else f"fewer than {THIN} exact matches"
            lines.append(_wrap(f"({head}; {found.widened.message})"))
        r = hit.record
        number = f"{r.number} · " if r.number else ""
        disagree = " · sources disagree" if r.disagree else ""
        lines.append(f"{n:>2}. {r.id}  [{r.regime} · {r.status}{disagree}]")
        lines.append(f"    {number}{r.heading}")
        snippet = " ".join(hit.snippet.split())
        if snippet:
            # Markers alternate open, close: even pieces are plain, odd ones matched.
            pieces = snippet.split(MARK_OPEN)
            bold, plain = (_BOLD, _RESET) if color else ("", "")
            snippet = "".join(f"{bold}{p}{plain}" if i % 2 else p for i, p in enumerate(pieces))
            lines.append(
                textwrap.fill(snippet, 88, initial_indent="    ", subsequent_indent="    ")
            )
    return "\n".join(lines)


def provision(record: ProvisionRecord, store: Store) -> str:
    regimes = _regime_titles(store)
    instrument = store.instrument(record.instrument)
    head = f"{record.number} · {record.heading}" if record.number else record.heading
    out = [f"{record.id}", head, ""]
    out.append(f"Regime:     {regimes.get(record.regime, record.regime)} ({record.jurisdiction})")
    version = f" [{record.version}]" if instrument.version else ""
    out.append(f"Instrument: {record.instrument_title}{version}")
    out.append(f"Status:     {record.status}")
    if record.dates:
        out.append("Dates:      " + "; ".join(describe(d) for d in record.dates))
    out.append(f"Topics:     {', '.join(record.topics)}")
    if record.source:
        line = source_line(store.source_head(record.source), record.evidence)
        out.append(_wrap(line, indent="Source:     ", subsequent=" " * 12))
    if record.pinpoint:
        out.append(f"Pinpoint:   {record.pinpoint}")
    out += ["", _wrap(record.body)]
    if record.conflict:
        out += ["", _wrap(f"Sources disagree: {record.conflict}")]
    if record.claims:
        out += ["", "Claims:"]
        for claim in record.claims:
            source = store.source_head(claim.source)
            at = f", {claim.pinpoint}" if claim.pinpoint else ""
            said = f"“{source.title}” ({source.date or 'undated'}{at}): {claim.says}"
            out.append(_wrap(said, indent="  ", subsequent="    "))
    if record.gap:
        out += ["", "Gap (as of the report, " + record.gap["as_of"] + "):"]
        out += [f"  law:      {record.gap['law']}", f"  weakness: {record.gap['weakness']}"]
        out += [f"  reform:   {record.gap['reform']}", f"  status:   {record.gap['status']}"]
    if record.quotes:
        out += ["", "Quotes:"]
        for quote in record.quotes:
            tag = f" ({quote.version})" if len(record.versions) > 1 else ""
            out.append(_wrap(f"“{quote.text}” — {quote.source}{tag}", indent="  "))
    if record.links:
        out += ["", "Links:"]
        for link in record.links:
            arrow = "→" if link.direction == "out" else "←"
            out.append(f"  {arrow} {link.type} {link.to} ({regimes.get(link.regime, link.regime)})")
            out.append(_wrap(link.note, indent="      "))
    if len(record.versions) > 1:
        out += ["", "Versions:   " + ", ".join(f"{record.id}@{v}" for v in record.versions)]
    out += ["", f"Edit:       {record.path}:{record.line}"]
    return "\n".join(out)


def diff_text(version: VersionRecord) -> str:
    """What a version contributes to a diff: nothing at all if the revision deleted it."""
    return "" if version.deleted else version.body


def _label(version: VersionRecord) -> str:
    deleted = " (deleted)" if version.deleted else ""
    return f"{version.ref}: {version.heading}{deleted}"


def diff(old: VersionRecord, new: VersionRecord, result: WordDiff, color: bool = False) -> str:
    lines = [
        f"--- {_label(old)}",
        f"+++ {_label(new)}",
        f"{result.added} word(s) added, {result.removed} removed, {result.unchanged} unchanged",
        "",
    ]
    pieces = []
    for run in result.runs:
        if run.kind == "equal":
            pieces.append(run.text)
        elif run.kind == "delete":
            pieces.append(f"{_RED}{run.text}{_RESET}" if color else f"[-{run.text}-]")
        else:
            pieces.append(f"{_GREEN}{run.text}{_RESET}" if color else f"{{+{run.text}+}}")
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
