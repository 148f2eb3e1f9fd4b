"""Instrument files: front matter, then one `##` section per provision with metadata, body and quotes."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.token import Token

from tui import vocab, yamlx
from tui.models import Claim, Gap, Instrument, Link, Quote, Section
from tui.reader import (
    ID_PATTERN,
    Reader,
    check_id,
    choice,
    display_path,
    read_dates,
    read_with_front_matter,
    required_id,
    required_text,
    text_of,
    tidy,
    unknown_keys,
)

_ATTRIBUTION = re.compile(r"^\s*(?:\u2014|\u2013|--)\s*(?P<source>\S+)\s*$")
_QUOTE_PREFIX = re.compile(r"^ {0,3}> ?")

INSTRUMENT_KEYS = {
    "id", "regime", "jurisdiction", "title", "short_title", "kind", "status", "source",
    "evidence", "dates", "version_of", "version", "supersedes",
}  # fmt: skip
REQUIRED_INSTRUMENT_KEYS = ("id", "regime", "jurisdiction", "title", "kind", "status")
SECTION_KEYS = {
    "id", "number", "status", "topics", "dates", "links", "evidence", "source", "gap",
    "pinpoint", "claims", "conflict",
}  # fmt: skip
GAP_KEYS = ("law", "weakness", "reform", "status", "as_of")
LINK_KEYS = ("to", "type", "note")
CLAIM_KEYS = ("source", "says", "pinpoint")


def read_instrument_file(reader: Reader, path: Path) -> tuple[Instrument, list[Section]] | None:
    read = read_with_front_matter(reader, path)
    if read is None:
        return None
    text, front, tokens = read
    lines = text.split("\n")
    unknown_keys(reader, path, front, INSTRUMENT_KEYS)
    missing = [k for k in REQUIRED_INSTRUMENT_KEYS if not text_of(front.get(k))]
    for key in missing:
        reader.problem(path, front.line_of(key), f"instrument has no {key!r}")
    iid = check_id(reader, path, front.line_of("id"), text_of(front.get("id")), "instrument")
    kind = choice(reader, path, front, "kind", vocab.INSTRUMENT_KINDS, "instrument kind")
    status = choice(reader, path, front, "status", vocab.INSTRUMENT_STATUSES, "instrument status")
    jurisdiction = choice(reader, path, front, "jurisdiction", vocab.JURISDICTIONS, "jurisdiction")
    evidence = choice(reader, path, front, "evidence", vocab.EVIDENCE_KINDS, "evidence kind")
    version_of = text_of(front.get("version_of"))
    version = text_of(front.get("version"))
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
    shown = display_path(path)  # once: it asks the system for the working folder
    instrument = None
    if iid and not missing and kind and status and jurisdiction:
        instrument = Instrument(
            id=iid,
            regime=text_of(front.get("regime")),
            jurisdiction=jurisdiction,
            title=text_of(front.get("title")),
            kind=kind,
            status=status,
            short_title=text_of(front.get("short_title")),
            source=text_of(front.get("source")),
            evidence=evidence,
            dates=read_dates(reader, path, front),
            version_of=version_of,
            version=version,
            supersedes=text_of(front.get("supersedes")),
            summary=tidy("\n".join(summary_lines)),
            path=shown,
            line=1,
            key_lines=tuple((str(k), v) for k, v in front.key_lines.items()),
        )
    else:
        read_dates(reader, path, front)

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
            shown,
        )
        if section is not None:
            sections.append(section)
    if instrument is None:
        return None
    return instrument, sections


def _read_section(
    reader: Reader,
    path: Path,
    lines: list[str],
    blocks: list[Token],
    heading: str,
    end_line: int,
    instrument: Instrument | None,
    position: int,
    shown: str,
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
    unknown_keys(reader, path, meta, SECTION_KEYS)

    skip: set[int] = set(range(meta_block.map[0], meta_block.map[1]))
    quotes: list[Quote] = []
    for block in rest[1:]:
        if block.type == "blockquote_open":
            skip.update(range(block.map[0], block.map[1]))
            quote = _read_quote(reader, path, lines, block)
            if quote is not None:
                quotes.append(quote)
    body_lines = [(i, lines[i]) for i in range(heading_line, end_line) if i not in skip]
    body = tidy("\n".join(text for _, text in body_lines))

    pid = required_id(reader, path, meta, "provision")
    status = required_text(reader, path, meta, "status", "provision")
    status = status and choice(reader, path, meta, "status", vocab.PROVISION_STATUSES, "status")
    evidence = choice(reader, path, meta, "evidence", vocab.EVIDENCE_KINDS, "evidence kind")
    if not body:
        reader.problem(
            path, heading_line, "provision body is empty: say in your own words what it provides"
        )
    topics = _topics(reader, path, meta)
    links = _links(reader, path, meta)
    gap = _gap(reader, path, meta)
    claims = _claims(reader, path, meta)
    dates = read_dates(reader, path, meta)
    if not (pid and status and body and instrument):
        return None
    return Section(
        id=pid,
        instrument=instrument.id,
        heading=heading.strip(),
        body=body,
        status=status,
        number=text_of(meta.get("number")),
        topics=topics,
        dates=dates,
        links=links,
        quotes=tuple(quotes),
        evidence=evidence or instrument.evidence,
        source=text_of(meta.get("source")) or instrument.source,
        gap=gap,
        pinpoint=text_of(meta.get("pinpoint")),
        claims=claims,
        conflict=text_of(meta.get("conflict")),
        path=shown,
        line=heading_line,
        position=position,
        key_lines=tuple((str(k), v) for k, v in meta.key_lines.items()),
    )


def _read_quote(reader: Reader, path: Path, lines: list[str], block: Token) -> Quote | None:
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


def _topics(reader: Reader, path: Path, meta: yamlx.LineDict) -> tuple[str, ...]:
    raw = meta.get("topics")
    if not raw:
        reader.problem(path, meta.line_of("topics"), "provision has no topics: list at least one")
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(text_of(t) for t in raw):
        reader.problem(path, meta.line_of("topics"), "'topics' must be a list of topic ids")
        return ()
    return tuple(dict.fromkeys(text_of(t) for t in raw))


def _mappings(
    reader: Reader, path: Path, meta: yamlx.LineDict, key: str, fields: tuple[str, ...]
) -> list[yamlx.LineDict]:
    """The mappings listed under `key` (links, claims), each problem noted with its line."""
    raw = meta.get(key) or []
    shape = ", ".join(fields)
    if not isinstance(raw, list):
        reader.problem(path, meta.line_of(key), f"'{key}' must be a list of {{{shape}}}")
        return []
    items = []
    for item in raw:
        if not isinstance(item, dict):
            reader.problem(path, meta.line_of(key), f"each of '{key}' must be a mapping: {shape}")
            continue
        unknown_keys(reader, path, item, fields)
        items.append(item)
    return items


def _links(reader: Reader, path: Path, meta: yamlx.LineDict) -> tuple[Link, ...]:
    links = []
    for item in _mappings(reader, path, meta, "links", LINK_KEYS):
        target = required_text(reader, path, item, "to", "link")
        note = required_text(reader, path, item, "note", "link")
        ltype = required_text(reader, path, item, "type", "link")
        ltype = ltype and choice(reader, path, item, "type", vocab.LINK_TYPES, "link type")
        if target and note and ltype:
            links.append(Link(target, ltype, note, item.line))
    return tuple(links)


def _claims(reader: Reader, path: Path, meta: yamlx.LineDict) -> tuple[Claim, ...]:
    claims = []
    for item in _mappings(reader, path, meta, "claims", CLAIM_KEYS):
        source = required_text(reader, path, item, "source", "claim")
        says = required_text(reader, path, item, "says", "claim")
        if source and says:
            claims.append(Claim(source, says, text_of(item.get("pinpoint")), item.line))
    return tuple(claims)


def _gap(reader: Reader, path: Path, meta: yamlx.LineDict) -> Gap | None:
    raw = meta.get("gap")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        reader.problem(path, meta.line_of("gap"), "'gap' must be a mapping: " + ", ".join(GAP_KEYS))
        return None
    unknown_keys(reader, path, raw, GAP_KEYS)
    values = {k: required_text(reader, path, raw, k, "gap") for k in GAP_KEYS}
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
