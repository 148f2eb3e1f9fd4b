"""Read a content folder (Markdown and YAML) into records, noting every problem with its file and line."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from tui import vocab, yamlx
from tui.models import (
    Corpus,
    Gap,
    Instrument,
    Link,
    Problem,
    Quote,
    Regime,
    Section,
    Source,
    Topic,
)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_ATTRIBUTION = re.compile(r"^\s*(?:\u2014|\u2013|--)\s*(?P<source>\S+)\s*$")
_QUOTE_PREFIX = re.compile(r"^ {0,3}> ?")

INSTRUMENT_KEYS = {
    "id", "regime", "jurisdiction", "title", "short_title", "kind", "status", "source",
    "evidence", "dates", "version_of", "version", "supersedes",
}  # fmt: skip
REQUIRED_INSTRUMENT_KEYS = ("id", "regime", "jurisdiction", "title", "kind", "status")
SECTION_KEYS = {
    "id", "number", "status", "topics", "dates", "links", "evidence", "source", "gap",
}  # fmt: skip
SOURCE_KEYS = {
    "id", "title", "kind", "author", "publisher", "date", "date_note", "url", "original",
}  # fmt: skip
GAP_KEYS = ("law", "weakness", "reform", "status", "as_of")
LINK_KEYS = ("to", "type", "note")


def display_path(path: Path) -> str:
    """A path as a person would type it from here: relative when under the working folder."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Reader:
    """Collects problems while reading one content folder."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.files: list[str] = []
        self._hash = hashlib.sha256()

    def problem(self, path: Path | str, line: int, message: str) -> None:
        shown = display_path(path) if isinstance(path, Path) else path
        self.problems.append(Problem(shown, line, message))

    def read_text(self, path: Path) -> str | None:
        """The file's text, or None (with a problem noted) if it cannot be used."""
        if path.is_dir():
            self.problem(path, 1, "is a directory, expected a file")
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.problem(path, 1, f"cannot read file: {exc.strerror or exc}")
            return None
        rel = path.relative_to(self.root).as_posix()
        self.files.append(rel)
        self._hash.update(rel.encode() + b"\0" + data + b"\0")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.problem(
                path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save as UTF-8"
            )
            return None
        if not text.strip():
            self.problem(path, 1, "file is empty")
            return None
        return text.replace("\r\n", "\n").lstrip("\ufeff")

    def load_yaml(self, path: Path, text: str, first_line: int = 1) -> Any:
        try:
            return yamlx.load(text, first_line)
        except yamlx.YamlError as exc:
            self.problem(path, exc.line, str(exc))
            return None

    def content_hash(self) -> str:
        return self._hash.hexdigest()


def load_corpus(root: Path) -> tuple[Corpus, list[Problem]]:
    """Read every file of a content folder.

    Returns:
        The records that could be read, and the problems found while reading them. Cross-record
        checks (unknown ids, version chains, quotes) are `tui.validate`'s job.
    """
    reader = _Reader(root)
    if not root.is_dir():
        reader.problem(root, 1, "content folder not found")
        return Corpus((), (), (), (), (), (), ""), reader.problems
    regimes = _read_regimes(reader, root / "regimes.yaml")
    topics = _read_topics(reader, root / "topics.yaml")
    sources = [
        s for p in _markdown_files(root / "sources") if (s := _read_source(reader, p)) is not None
    ]
    instruments: list[Instrument] = []
    sections: list[Section] = []
    for path in _markdown_files(root, exclude=root / "sources"):
        read = _read_instrument_file(reader, path)
        if read is not None:
            instruments.append(read[0])
            sections.extend(read[1])
    corpus = Corpus(
        regimes=tuple(regimes),
        topics=tuple(topics),
        sources=tuple(sources),
        instruments=tuple(instruments),
        sections=tuple(sections),
        files=tuple(reader.files),
        content_hash=reader.content_hash(),
    )
    return corpus, reader.problems


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


# -- helpers for checking YAML values ---------------------------------------------------------


def _text(value: Any) -> str | None:
    """A scalar as text (YAML may give numbers), or None if it is not a scalar."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return None


def _unknown_keys(reader: _Reader, path: Path, data: yamlx.LineDict, allowed: Iterable[str]):
    allowed = set(allowed)
    for key in data:
        if key not in allowed:
            hint = ", ".join(sorted(allowed))
            reader.problem(
                path, data.line_of(key), f"unknown field {key!r} (expected one of: {hint})"
            )


def _required_text(
    reader: _Reader, path: Path, data: yamlx.LineDict, key: str, what: str
) -> str | None:
    value = _text(data.get(key))
    if not value:
        line = data.line_of(key)
        reader.problem(
            path, line, f"{what} has no {key!r}" if key not in data else f"empty {key!r}"
        )
        return None
    return value


def _choice(
    reader: _Reader, path: Path, data: yamlx.LineDict, key: str, allowed: tuple[str, ...], what: str
) -> str | None:
    value = _text(data.get(key))
    if value is None:
        return None
    if value not in allowed:
        options = ", ".join(allowed)
        reader.problem(
            path, data.line_of(key), f"unknown {what} {value!r} (expected one of: {options})"
        )
        return None
    return value


def _check_id(reader: _Reader, path: Path, line: int, value: str | None, what: str) -> str | None:
    if value is None:
        return None
    if not ID_PATTERN.match(value):
        reader.problem(
            path, line, f"bad {what} id {value!r}: use lower-case letters, digits, '.', '-' and '_'"
        )
        return None
    return value


def _dates(reader: _Reader, path: Path, data: yamlx.LineDict) -> tuple[tuple[str, str], ...]:
    raw = data.get("dates")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        reader.problem(path, data.line_of("dates"), "'dates' must map an event to a date")
        return ()
    dates = []
    for event, value in raw.items():
        line = raw.line_of(event)
        text = _text(value)
        if not yamlx.is_date(text):
            reader.problem(
                path,
                line,
                f"malformed date {value!r} for {event!r}: use YYYY, YYYY-MM or YYYY-MM-DD",
            )
            continue
        dates.append((str(event), text))
    return tuple(dates)


# -- regimes, topics, sources -----------------------------------------------------------------


def _yaml_list(reader: _Reader, path: Path, what: str) -> list[yamlx.LineDict]:
    if not path.exists():
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


def _read_regimes(reader: _Reader, path: Path) -> list[Regime]:
    regimes = []
    for position, item in enumerate(_yaml_list(reader, path, "regimes")):
        _unknown_keys(reader, path, item, ("id", "title", "jurisdiction", "description"))
        rid = _check_id(
            reader, path, item.line, _required_text(reader, path, item, "id", "regime"), "regime"
        )
        title = _required_text(reader, path, item, "title", "regime")
        jurisdiction = _choice(
            reader, path, item, "jurisdiction", vocab.JURISDICTIONS, "jurisdiction"
        )
        if rid and title and jurisdiction:
            description = _text(item.get("description")) or ""
            regimes.append(
                Regime(
                    rid, title, jurisdiction, description, position, display_path(path), item.line
                )
            )
    return regimes


def _read_topics(reader: _Reader, path: Path) -> list[Topic]:
    topics = []
    for position, item in enumerate(_yaml_list(reader, path, "topics")):
        _unknown_keys(reader, path, item, ("id", "label", "parent", "description", "silent"))
        tid = _check_id(
            reader, path, item.line, _required_text(reader, path, item, "id", "topic"), "topic"
        )
        label = _required_text(reader, path, item, "label", "topic")
        description = _required_text(reader, path, item, "description", "topic")
        silent_raw = item.get("silent") or {}
        silent: list[tuple[str, str]] = []
        if not isinstance(silent_raw, dict):
            reader.problem(path, item.line_of("silent"), "'silent' must map a regime id to a note")
        else:
            for regime, note in silent_raw.items():
                if not _text(note):
                    reader.problem(
                        path, silent_raw.line_of(regime), f"silence in {regime!r} needs a note"
                    )
                    continue
                silent.append((str(regime), _text(note)))
        if tid and label and description:
            parent = _text(item.get("parent"))
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


def _split_front_matter(reader: _Reader, path: Path, text: str) -> tuple[Any, list[Token]] | None:
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    tokens = md.parse(text)
    if not tokens or tokens[0].type != "front_matter":
        reader.problem(
            path, 1, "no front matter: start the file with a '---' line, YAML, then '---'"
        )
        return None
    front = reader.load_yaml(path, tokens[0].content, first_line=2)
    if front is None:
        return None
    if not isinstance(front, dict):
        reader.problem(path, 2, "front matter must be a YAML mapping of fields")
        return None
    return front, tokens


def _read_source(reader: _Reader, path: Path) -> Source | None:
    text = reader.read_text(path)
    if text is None:
        return None
    split = _split_front_matter(reader, path, text)
    if split is None:
        return None
    front, tokens = split
    _unknown_keys(reader, path, front, SOURCE_KEYS)
    sid = _check_id(
        reader,
        path,
        front.line_of("id"),
        _required_text(reader, path, front, "id", "source"),
        "source",
    )
    title = _required_text(reader, path, front, "title", "source")
    kind = _required_text(reader, path, front, "kind", "source")
    kind = kind and _choice(reader, path, front, "kind", vocab.SOURCE_KINDS, "source kind")
    date = _text(front.get("date"))
    if date is not None and not yamlx.is_date(date):
        reader.problem(
            path, front.line_of("date"), f"malformed date {date!r}: use YYYY, YYYY-MM or YYYY-MM-DD"
        )
    body_start = tokens[0].map[1]
    body = "\n".join(text.split("\n")[body_start:]).strip("\n")
    if not body.strip():
        reader.problem(path, body_start + 1, "source has no text after its front matter")
        return None
    if not (sid and title and kind):
        return None
    return Source(
        id=sid,
        title=title,
        kind=kind,
        text=body,
        author=_text(front.get("author")),
        publisher=_text(front.get("publisher")),
        date=date,
        date_note=_text(front.get("date_note")),
        url=_text(front.get("url")),
        original=_text(front.get("original")),
        path=display_path(path),
        line=1,
        text_line=body_start + 1,
    )


# -- instruments and their provisions ---------------------------------------------------------


def _read_instrument_file(reader: _Reader, path: Path) -> tuple[Instrument, list[Section]] | None:
    text = reader.read_text(path)
    if text is None:
        return None
    split = _split_front_matter(reader, path, text)
    if split is None:
        return None
    front, tokens = split
    lines = text.split("\n")
    _unknown_keys(reader, path, front, INSTRUMENT_KEYS)
    missing = [k for k in REQUIRED_INSTRUMENT_KEYS if not _text(front.get(k))]
    for key in missing:
        reader.problem(path, front.line_of(key), f"instrument has no {key!r}")
    iid = _check_id(reader, path, front.line_of("id"), _text(front.get("id")), "instrument")
    kind = _choice(reader, path, front, "kind", vocab.INSTRUMENT_KINDS, "instrument kind")
    status = _choice(reader, path, front, "status", vocab.INSTRUMENT_STATUSES, "instrument status")
    jurisdiction = _choice(reader, path, front, "jurisdiction", vocab.JURISDICTIONS, "jurisdiction")
    evidence = _choice(reader, path, front, "evidence", vocab.EVIDENCE_KINDS, "evidence kind")
    version_of = _text(front.get("version_of"))
    version = _text(front.get("version"))
    if version_of and not version:
        reader.problem(
            path, front.line_of("version_of"), "a version needs a 'version' label, e.g. 'revised'"
        )
    if version and not ID_PATTERN.match(version):
        reader.problem(
            path,
            front.line_of("version"),
            f"bad version label {version!r}: use lower-case letters, digits and '-'",
        )
    if front.get("supersedes") and not version_of:
        reader.problem(
            path,
            front.line_of("supersedes"),
            "'supersedes' needs 'version_of': say which instrument this is a version of",
        )

    # Top-level blocks only: their line ranges are what sections are cut from.
    heading_text = {
        id(t): tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"
    }
    blocks = [t for t in tokens[1:] if t.level == 0 and t.map is not None and t.nesting >= 0]
    headings = [i for i, t in enumerate(blocks) if t.type == "heading_open" and t.tag == "h2"]
    first_h2_line = blocks[headings[0]].map[0] if headings else len(lines)
    summary_lines = [
        line
        for t in blocks
        if t.map[1] <= first_h2_line and not (t.type == "heading_open" and t.tag == "h1")
        for line in lines[t.map[0] : t.map[1]]
    ]
    instrument = None
    if iid and not missing and kind and status and jurisdiction:
        instrument = Instrument(
            id=iid,
            regime=_text(front.get("regime")),
            jurisdiction=jurisdiction,
            title=_text(front.get("title")),
            kind=kind,
            status=status,
            short_title=_text(front.get("short_title")),
            source=_text(front.get("source")),
            evidence=evidence,
            dates=_dates(reader, path, front),
            version_of=version_of,
            version=version,
            supersedes=_text(front.get("supersedes")),
            summary=_tidy("\n".join(summary_lines)),
            path=display_path(path),
            line=1,
            key_lines=tuple((str(k), v) for k, v in front.key_lines.items()),
        )
    else:
        _dates(reader, path, front)

    sections = []
    for n, start in enumerate(headings):
        end = headings[n + 1] if n + 1 < len(headings) else len(blocks)
        end_line = blocks[end].map[0] if end < len(blocks) else len(lines)
        section = _read_section(
            reader,
            path,
            lines,
            blocks[start:end],
            heading_text[id(blocks[start])],
            end_line,
            instrument,
            n,
        )
        if section is not None:
            sections.append(section)
    if instrument is None:
        return None
    return instrument, sections


def _read_section(
    reader: _Reader,
    path: Path,
    lines: list[str],
    blocks: list[Token],
    heading: str,
    end_line: int,
    instrument: Instrument | None,
    position: int,
) -> Section | None:
    heading_line = blocks[0].map[0] + 1
    rest = blocks[1:]
    if not heading.strip():
        reader.problem(path, heading_line, "provision heading is empty")
    if not rest or rest[0].type != "fence" or rest[0].info.strip() != "yaml":
        reader.problem(
            path,
            heading_line,
            "provision has no metadata: put a ```yaml block right under its heading",
        )
        return None
    meta_block = rest[0]
    meta = reader.load_yaml(path, meta_block.content, first_line=meta_block.map[0] + 2)
    if meta is None:
        return None
    if not isinstance(meta, dict):
        reader.problem(path, meta_block.map[0] + 2, "provision metadata must be a YAML mapping")
        return None
    _unknown_keys(reader, path, meta, SECTION_KEYS)

    skip: set[int] = set(range(meta_block.map[0], meta_block.map[1]))
    quotes: list[Quote] = []
    for block in rest[1:]:
        if block.type == "blockquote_open":
            skip.update(range(block.map[0], block.map[1]))
            quote = _read_quote(reader, path, lines, block)
            if quote is not None:
                quotes.append(quote)
    body_lines = [(i, lines[i]) for i in range(heading_line, end_line) if i not in skip]
    body = _tidy("\n".join(text for _, text in body_lines))

    pid = _check_id(
        reader,
        path,
        meta.line_of("id"),
        _required_text(reader, path, meta, "id", "provision"),
        "provision",
    )
    status = _required_text(reader, path, meta, "status", "provision")
    status = status and _choice(reader, path, meta, "status", vocab.PROVISION_STATUSES, "status")
    evidence = _choice(reader, path, meta, "evidence", vocab.EVIDENCE_KINDS, "evidence kind")
    if not body:
        reader.problem(
            path, heading_line, "provision body is empty: say in your own words what it provides"
        )
    topics = _topics(reader, path, meta)
    links = _links(reader, path, meta)
    gap = _gap(reader, path, meta)
    dates = _dates(reader, path, meta)
    if not (pid and status and body and instrument):
        return None
    return Section(
        id=pid,
        instrument=instrument.id,
        heading=heading.strip(),
        body=body,
        status=status,
        number=_text(meta.get("number")),
        topics=topics,
        dates=dates,
        links=links,
        quotes=tuple(quotes),
        evidence=evidence or instrument.evidence,
        source=_text(meta.get("source")) or instrument.source,
        gap=gap,
        path=display_path(path),
        line=heading_line,
        position=position,
        key_lines=tuple((str(k), v) for k, v in meta.key_lines.items()),
    )


def _read_quote(reader: _Reader, path: Path, lines: list[str], block: Token) -> Quote | None:
    raw = [_QUOTE_PREFIX.sub("", line, count=1) for line in lines[block.map[0] : block.map[1]]]
    while raw and not raw[-1].strip():
        raw.pop()
    line = block.map[0] + 1
    match = _ATTRIBUTION.match(raw[-1]) if raw else None
    if match is None:
        reader.problem(path, line, "quote names no source: end it with a line '> — source-id'")
        return None
    text = "\n".join(raw[:-1]).strip()
    if not text:
        reader.problem(path, line, "quote is empty")
        return None
    return Quote(source=match["source"], text=text, line=line)


def _topics(reader: _Reader, path: Path, meta: yamlx.LineDict) -> tuple[str, ...]:
    raw = meta.get("topics")
    if not raw:
        reader.problem(path, meta.line_of("topics"), "provision has no topics: list at least one")
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(_text(t) for t in raw):
        reader.problem(path, meta.line_of("topics"), "'topics' must be a list of topic ids")
        return ()
    return tuple(dict.fromkeys(_text(t) for t in raw))


def _links(reader: _Reader, path: Path, meta: yamlx.LineDict) -> tuple[Link, ...]:
    raw = meta.get("links") or []
    if not isinstance(raw, list):
        reader.problem(path, meta.line_of("links"), "'links' must be a list of {to, type, note}")
        return ()
    links = []
    for item in raw:
        if not isinstance(item, dict):
            reader.problem(
                path, meta.line_of("links"), "each link must be a mapping with to, type and note"
            )
            continue
        _unknown_keys(reader, path, item, LINK_KEYS)
        target = _required_text(reader, path, item, "to", "link")
        note = _required_text(reader, path, item, "note", "link")
        ltype = _required_text(reader, path, item, "type", "link")
        ltype = ltype and _choice(reader, path, item, "type", vocab.LINK_TYPES, "link type")
        if target and note and ltype:
            links.append(Link(target, ltype, note, item.line))
    return tuple(links)


def _gap(reader: _Reader, path: Path, meta: yamlx.LineDict) -> Gap | None:
    raw = meta.get("gap")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        reader.problem(path, meta.line_of("gap"), "'gap' must be a mapping: " + ", ".join(GAP_KEYS))
        return None
    _unknown_keys(reader, path, raw, GAP_KEYS)
    values = {k: _required_text(reader, path, raw, k, "gap") for k in GAP_KEYS}
    if values["as_of"] and not yamlx.is_date(values["as_of"]):
        reader.problem(
            path,
            raw.line_of("as_of"),
            f"malformed date {values['as_of']!r}: use YYYY, YYYY-MM or YYYY-MM-DD",
        )
        return None
    if not all(values.values()):
        return None
    return Gap(**values)


def _tidy(text: str) -> str:
    """Trim a Markdown fragment and squeeze runs of blank lines to one."""
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip()
