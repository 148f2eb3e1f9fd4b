"""Citations and exports of a comparison (Markdown, CSV, JSON), as plain functions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

from tui.dates import describe
from tui.records import ProvisionRecord, SourceRecord
from tui.store import Store
from tui.userdata import UserData

FORMATS = ("md", "csv", "json")
ENV_EXPORT_DIR = "LEXPANE_EXPORT_DIR"


def source_line(source: SourceRecord, evidence: str | None = None) -> str:
    """A source as a reader cites it: who, title, date, kind, and when lexpane's authors read a
    source whose text it does not store."""
    by = source.author or source.publisher
    when = source.date or "undated"
    kind = evidence or source.kind
    consulted = f"; consulted {source.consulted}" if source.consulted else ""
    url = f", {source.url}" if source.url and not source.stored else ""
    return f"{by + ', ' if by else ''}“{source.title}” ({when}; {kind}{consulted}){url}"


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
    return f"{text}. lexpane: {ref}"


@dataclass
class Row:
    record: ProvisionRecord
    citation: str
    note: str = ""


@dataclass
class RegimeColumn:
    id: str
    title: str
    rows: list[Row] = field(default_factory=list)
    silent: str | None = None


@dataclass
class Comparison:
    topic: str | None
    label: str
    description: str
    regimes: list[RegimeColumn]
    made: str


def comparison(store: Store, topic: str | None, userdata: UserData | None = None) -> Comparison:
    """A topic (None: everything) across the three regimes, with citations and the person's notes."""
    record = store.topic(topic) if topic else None
    regimes = []
    for regime in store.regimes():
        column = RegimeColumn(regime.id, regime.title)
        for summary in store.provisions(regime=regime.id, topic=topic):
            full = store.provision(summary.id)
            note = userdata.note(summary.id) if userdata is not None else ""
            column.rows.append(Row(full, citation(store, full), note))
        if record is not None and not column.rows:
            column.silent = record.silent.get(regime.id) or "The sources say nothing on this topic."
        regimes.append(column)
    return Comparison(
        topic=topic,
        label=record.label if record else "All topics",
        description=record.description if record else "Every provision of the three regimes.",
        regimes=regimes,
        made=dt.date.today().isoformat(),
    )


def to_markdown(cmp: Comparison) -> str:
    out = [f"# {cmp.label}: Russia and Kazakhstan compared", "", f"*{cmp.description}*", ""]
    out.append(
        f"Exported from lexpane on {cmp.made}. Each finding cites its source; quotes are verbatim."
    )
    for column in cmp.regimes:
        out += ["", f"## {column.title}", ""]
        if column.silent:
            out += [f"*{column.silent}*"]
            continue
        for row in column.rows:
            r = row.record
            number = f"{r.number} · " if r.number else ""
            out += [f"### {number}{r.heading}", "", f"**{r.status}** · evidence: {r.evidence}", ""]
            if r.dates:
                out += [" · ".join(describe(d) for d in r.dates), ""]
            out += [r.body, ""]
            if r.conflict:
                out += [f"**Sources disagree:** {r.conflict}", ""]
                out += [
                    f"- {c.source}{', ' + c.pinpoint if c.pinpoint else ''}: {c.says}"
                    for c in r.claims
                ]
                out += [""]
            for quote in r.quotes:
                tag = f" ({quote.version} draft)" if len(r.versions) > 1 else ""
                out += ["> " + " ".join(quote.text.split()) + tag, ""]
            if row.note.strip():
                out += ["**Note:** " + " ".join(row.note.split()), ""]
            out += [f"Cite: {row.citation}", ""]
    return "\n".join(out).rstrip() + "\n"


def to_csv(cmp: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
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
    )
    for column in cmp.regimes:
        for row in column.rows:
            r = row.record
            quotes = " | ".join(" ".join(q.text.split()) for q in r.quotes)
            writer.writerow(
                [
                    column.id,
                    r.id,
                    r.number or "",
                    r.heading,
                    r.status,
                    r.evidence or "",
                    "; ".join(describe(d) for d in r.dates),
                    r.conflict or "",
                    r.body,
                    quotes,
                    row.citation,
                    row.note,
                ]
            )
    return buffer.getvalue()


def to_json(cmp: Comparison) -> str:
    return json.dumps(asdict(cmp), ensure_ascii=False, indent=2) + "\n"


RENDER = {"md": to_markdown, "csv": to_csv, "json": to_json}


def export_dir() -> Path:
    """Where the explorer saves exports: $LEXPANE_EXPORT_DIR, else Documents/lexpane."""
    if os.environ.get(ENV_EXPORT_DIR):
        return Path(os.environ[ENV_EXPORT_DIR]).expanduser()
    return Path(platformdirs.user_documents_dir()) / "lexpane"


def save(cmp: Comparison, fmt: str = "md", folder: Path | None = None) -> Path:
    folder = folder or export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", (cmp.topic or "all-topics").lower()).strip("-")
    path = folder / f"lexpane-{slug}-{cmp.made}.{fmt}"
    path.write_text(RENDER[fmt](cmp), encoding="utf-8")
    return path
