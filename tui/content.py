"""Read a content folder (Markdown and YAML) into records, noting every problem with its file and line."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tui import thesaurus, vocab, yamlx
from tui.instruments import read_instrument_file
from tui.models import ContentFile, Corpus, Instrument, Problem, Regime, Section, Source, Topic
from tui.progress import Progress, quiet
from tui.reader import (
    Reader,
    choice,
    display_path,
    read_with_front_matter,
    required_id,
    required_text,
    text_of,
    unknown_keys,
)

SOURCE_KEYS = {
    "id", "title", "kind", "author", "publisher", "date", "date_note", "url", "original",
    "consulted",
}  # fmt: skip


def load_corpus(
    root: Path,
    progress: Progress = quiet,
    only: Collection[str] | None = None,
    sources: Sequence[Source] | None = None,
) -> tuple[Corpus, list[Problem]]:
    """Read every file of a content folder, saying how many files are read as it goes.

    Args:
        only: read only these instrument files (paths relative to `root`), and the regimes,
            topics and thesaurus: what an incremental build reads again.
        sources: the sources as read before, instead of reading `sources/` (an incremental
            build takes them from the store: at 100,000 provisions they are 15 MiB).

    Returns:
        The records that could be read, and the problems found while reading them. Cross-record
        checks (unknown ids, version chains, quotes) are `tui.validate`'s job.
    """
    reader = Reader(root)
    if not root.is_dir():
        reader.problem(root, 1, "content folder not found")
        return Corpus((), (), (), (), (), (), ""), reader.problems
    regimes = _read_regimes(reader, root / "regimes.yaml")
    topics = _read_topics(reader, root / "topics.yaml")
    synonyms = thesaurus.read(reader, root / thesaurus.FILE)
    if sources is None:
        sources = [
            s
            for p in _markdown_files(root / "sources")
            if (s := _read_source(reader, p)) is not None
        ]
    instruments: list[Instrument] = []
    sections: list[Section] = []
    files = instrument_files(root)
    if only is not None:
        files = [p for p in files if p.relative_to(root).as_posix() in only]
    for done, read in enumerate(_read_instruments(reader, files), 1):
        progress("reading files", done, len(files))
        if read is not None:
            instrument, found = read
            instruments.append(instrument)
            sections.extend(found)
    corpus = Corpus(
        regimes=tuple(regimes),
        topics=tuple(topics),
        sources=tuple(sources),
        instruments=tuple(instruments),
        sections=tuple(sections),
        files=tuple(
            ContentFile(rel, display_path(root / rel), digest.hex())
            for rel, digest in reader.digests
        ),
        content_hash=reader.content_hash(),
        thesaurus=synonyms,
    )
    return corpus, reader.problems


#: Instrument files totalling more than this are read by several processes at once.
PARALLEL_BYTES = 8 * 2**20


def _read_instruments(
    reader: Reader, paths: list[Path]
) -> Iterator[tuple[Instrument, list[Section]] | None]:
    """Read instrument files in order, one result (None: unreadable) per file as it is read: in
    worker processes when there is much to read.

    Parsing Markdown and YAML is pure Python; a big corpus parses in about half the time on two
    cores. Problems and the content hash come out the same either way.
    """
    workers = min(os.cpu_count() or 1, len(paths), 8)
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    if workers > 1 and size > PARALLEL_BYTES:
        done = 0
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for read, problems, digests in pool.map(
                    _read_one, [reader.root] * len(paths), paths
                ):
                    reader.problems.extend(problems)
                    for rel, digest in digests:
                        reader.record(rel, digest)
                    done += 1
                    yield read
            return
        except (OSError, BrokenProcessPool):  # no processes here (or they died): one by one
            paths = paths[done:]
    for path in paths:
        yield read_instrument_file(reader, path)


def _read_one(root: Path, path: Path):
    """One instrument file, read in a worker process: its records, problems and digest."""
    reader = Reader(root)
    return read_instrument_file(reader, path), reader.problems, reader.digests


def content_files(root: Path) -> list[Path]:
    """The files a build reads, in the order it reads them (those that exist)."""
    listed = [root / "regimes.yaml", root / "topics.yaml", root / thesaurus.FILE]
    return [
        *(p for p in listed if p.exists() or p.is_symlink()),
        *_markdown_files(root / "sources"),
        *instrument_files(root),
    ]


def instrument_files(root: Path) -> list[Path]:
    """The instruments' Markdown files: every one under `root` but the sources and READMEs."""
    return _markdown_files(root, exclude=root / "sources")


def _markdown_files(folder: Path, exclude: Path | None = None) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*.md")):
        if path.name.lower() == "readme.md" or any(p.startswith(".") for p in path.parts):
            continue
        if exclude is not None and path.is_relative_to(exclude):
            continue
        found.append(path)
    return found


# -- regimes, topics, sources -----------------------------------------------------------------


def _yaml_list(reader: Reader, path: Path, what: str) -> list[yamlx.LineDict]:
    if not (path.exists() or path.is_symlink()):  # a broken link is read, to say what is wrong
        reader.problem(path, 1, f"missing: the {what} file is required")
        return []
    text = reader.read_text(path)
    if text is None:
        return []
    data = reader.load_yaml(path, text)
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        reader.problem(path, 1, f"expected a list of {what}, one mapping each")
        return []
    return data


def _read_regimes(reader: Reader, path: Path) -> list[Regime]:
    regimes = []
    for position, item in enumerate(_yaml_list(reader, path, "regimes")):
        unknown_keys(reader, path, item, ("id", "title", "jurisdiction", "description"))
        rid = required_id(reader, path, item, "regime")
        title = required_text(reader, path, item, "title", "regime")
        jurisdiction = choice(
            reader, path, item, "jurisdiction", vocab.JURISDICTIONS, "jurisdiction"
        )
        if rid and title and jurisdiction:
            description = text_of(item.get("description")) or ""
            regimes.append(
                Regime(
                    rid, title, jurisdiction, description, position, display_path(path), item.line
                )
            )
    return regimes


def _read_topics(reader: Reader, path: Path) -> list[Topic]:
    topics = []
    for position, item in enumerate(_yaml_list(reader, path, "topics")):
        unknown_keys(reader, path, item, ("id", "label", "parent", "description", "silent"))
        tid = required_id(reader, path, item, "topic")
        label = required_text(reader, path, item, "label", "topic")
        description = required_text(reader, path, item, "description", "topic")
        silent_raw = item.get("silent") or {}
        silent: list[tuple[str, str]] = []
        if not isinstance(silent_raw, dict):
            reader.problem(path, item.line_of("silent"), "'silent' must map a regime id to a note")
        else:
            for regime, note in silent_raw.items():
                if not text_of(note):
                    reader.problem(
                        path, silent_raw.line_of(regime), f"silence in {regime!r} needs a note"
                    )
                    continue
                silent.append((str(regime), text_of(note)))
        if tid and label and description:
            parent = text_of(item.get("parent"))
            topics.append(
                Topic(
                    tid,
                    label,
                    description,
                    parent,
                    position,
                    tuple(silent),
                    display_path(path),
                    item.line,
                )
            )
    return topics


def _read_source(reader: Reader, path: Path) -> Source | None:
    read = read_with_front_matter(reader, path, whole=False)  # the rest is the source's text
    if read is None:
        return None
    text, front, tokens = read
    unknown_keys(reader, path, front, SOURCE_KEYS)
    sid = required_id(reader, path, front, "source")
    title = required_text(reader, path, front, "title", "source")
    kind = required_text(reader, path, front, "kind", "source")
    kind = kind and choice(reader, path, front, "kind", vocab.SOURCE_KINDS, "source kind")
    date = text_of(front.get("date"))
    if date is not None and not yamlx.is_date(date):
        reader.problem(
            path, front.line_of("date"), f"malformed date {date!r}: use YYYY, YYYY-MM or YYYY-MM-DD"
        )
    consulted = text_of(front.get("consulted"))
    if consulted is not None and (len(consulted) != 10 or not yamlx.is_date(consulted)):
        reader.problem(
            path, front.line_of("consulted"), f"malformed day {consulted!r}: use YYYY-MM-DD"
        )
    body_start = tokens[0].map[1]
    body = "\n".join(text.split("\n")[body_start:]).strip("\n")
    if not body.strip():
        # A source whose text lexpane does not store: its metadata must let a reader find it.
        missing = [k for k in ("publisher", "url", "consulted") if not text_of(front.get(k))]
        if not (date or text_of(front.get("date_note"))):
            missing.append("date (or date_note)")
        if missing:
            reader.problem(
                path,
                body_start + 1,
                "source has no stored text, so it needs "
                + ", ".join(missing)
                + ": say where it is and when it was read",
            )
            return None
        body = ""
    if not (sid and title and kind):
        return None
    return Source(
        id=sid,
        title=title,
        kind=kind,
        text=body,
        author=text_of(front.get("author")),
        publisher=text_of(front.get("publisher")),
        date=date,
        date_note=text_of(front.get("date_note")),
        url=text_of(front.get("url")),
        original=text_of(front.get("original")),
        consulted=consulted,
        path=display_path(path),
        line=1,
        text_line=body_start + 1,
    )
