"""Citations and exports of a comparison (Markdown, CSV, JSON), as plain functions."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

from tui import render
from tui.errors import LexpaneError
from tui.records import ProvisionRecord
from tui.safe import clean
from tui.store import Store
from tui.userdata import UserData

ENV_EXPORT_DIR = "LEXPANE_EXPORT_DIR"


@dataclass
class Row:
    record: ProvisionRecord
    facts: render.Facts


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


def notes_of(userdata: UserData | None) -> dict[str, str]:
    """The person's notes by provision (none when the notes file could not be opened)."""
    return {note.provision_id: note.text for note in userdata.notes()} if userdata else {}


def comparison(
    store: Store,
    topic: str | None,
    notes: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """A topic (None: everything) across the three regimes, with citations and the person's
    notes; `progress(done, total)` hears how far it is, about a hundred times."""
    record = store.topic(topic) if topic else None
    notes = notes or {}
    total = store.count_provisions(topic=topic)
    step, done = max(1, total // 100), 0
    regimes = []
    for regime in store.regimes():
        column = RegimeColumn(regime.id, regime.title)
        for summary in store.provisions(regime=regime.id, topic=topic):
            full = store.provision(summary.id)
            column.rows.append(Row(full, render.facts(full, store, notes.get(summary.id, ""))))
            done += 1
            if progress is not None and (done % step == 0 or done == total):
                progress(done, total)
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
    out = [f"# {render.md(cmp.label)}: Russia and Kazakhstan compared", ""]
    out += [f"*{render.md(cmp.description)}*", ""]
    out.append(
        f"Exported from lexpane on {cmp.made}. Each finding cites its source; quotes are verbatim."
    )
    for column in cmp.regimes:
        out += ["", f"## {render.md(column.title)}", ""]
        if column.silent:
            out += [f"*{render.md(column.silent)}*"]
            continue
        for row in column.rows:
            out += [render.markdown(row.facts, level=3), ""]
    return clean("\n".join(out).rstrip() + "\n")


def to_csv(cmp: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(render.CSV_HEADER)
    for column in cmp.regimes:
        for row in column.rows:
            writer.writerow(render.csv_row(column.id, row.facts))
    return buffer.getvalue()


def to_json(cmp: Comparison) -> str:
    data = asdict(cmp)
    for column in data["regimes"]:
        for row in column["rows"]:
            facts = row.pop("facts")
            row["citation"], row["note"] = facts["citation"], facts["note"]
    # JSON escapes C0 controls itself; C1 controls it would pass through raw.
    return clean(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


RENDER = {"md": to_markdown, "csv": to_csv, "json": to_json}


def export_dir() -> Path:
    """Where the explorer saves exports: $LEXPANE_EXPORT_DIR, else Documents/lexpane."""
    if os.environ.get(ENV_EXPORT_DIR):
        return Path(os.environ[ENV_EXPORT_DIR]).expanduser()
    return Path(platformdirs.user_documents_dir()) / "lexpane"


def _write_temp(folder: Path, name: str, text: str) -> str:
    """Write `text` to a new hidden file in `folder` (removed again if the write fails)."""
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=folder, prefix=f".{name}.", suffix=".tmp",
        delete=False,
    )  # fmt: skip
    try:
        with handle:
            handle.write(text)
    except OSError:
        os.unlink(handle.name)
        raise
    return handle.name


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` all at once: a failed write leaves the old file as it was.

    Raises:
        LexpaneError: the file or its folder cannot be written.
    """
    try:
        temp = _write_temp(path.parent, path.name, text)
    except OSError as exc:
        raise LexpaneError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        os.replace(temp, path)
    except OSError as exc:
        os.unlink(temp)
        raise LexpaneError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_new(folder: Path, stem: str, suffix: str, text: str) -> Path:
    """Save `text` as `folder/stem.suffix`, or `stem-2.suffix`, `stem-3.suffix`… if that is
    taken: never over an existing file, and never half-written.

    Raises:
        LexpaneError: the folder cannot be written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = _write_temp(folder, stem, text)
    except OSError as exc:
        raise LexpaneError(f"cannot save in {folder}: {exc.strerror or exc}") from None
    try:
        for n in itertools.count(1):
            path = folder / (f"{stem}.{suffix}" if n == 1 else f"{stem}-{n}.{suffix}")
            try:
                os.link(temp, path)  # fails, rather than replaces, when the name is taken
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links: look, then rename
                if path.exists():
                    continue
                os.replace(temp, path)
            return path
    except OSError as exc:
        raise LexpaneError(f"cannot save in {folder}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    raise AssertionError("itertools.count never ends")


def save(cmp: Comparison, fmt: str = "md", folder: Path | None = None) -> Path:
    """Save a comparison in the export folder under a new name (never over an earlier export)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (cmp.topic or "all-topics").lower()).strip("-")
    return write_new(folder or export_dir(), f"lexpane-{slug}-{cmp.made}", fmt, RENDER[fmt](cmp))
