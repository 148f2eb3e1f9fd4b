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

from tui.records import ProvisionRecord
from tui.store import Store
from tui.userdata import UserData

FORMATS = ("md", "csv", "json")
ENV_EXPORT_DIR = "LEXPANE_EXPORT_DIR"


def citation(store: Store, record: ProvisionRecord) -> str:
    """A pinpoint citation: instrument, article or heading, version, source and date, and the id."""
    instrument = store.instrument(record.instrument)
    where = record.number or f"“{record.heading}”"
    if record.number:
        where += f" (“{record.heading}”)"
    ref = f"{record.id}@{record.version}" if instrument.version else record.id
    text = f"{instrument.title}, {where}"
    if record.status == "deleted in revision":
        text += ", deleted in the revision"
    if record.source:
        source = store.source_head(record.source)
        by = source.author or source.publisher
        when = source.date or "undated"
        text += f". Source: {by + ', ' if by else ''}“{source.title}” ({when}; {record.evidence or source.kind})"
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
            out += [
                f"### {number}{r.heading}",
                "",
                f"**{r.status}** · evidence: {r.evidence}",
                "",
                r.body,
                "",
            ]
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
