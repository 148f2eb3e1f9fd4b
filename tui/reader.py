"""Reading content files: problems noted with file and line, and the checks every field shares."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from tui import yamlx
from tui.dates import HAPPENED, KINDS, EventDate, parse_span
from tui.models import Problem
from tui.safe import control_problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
#: No content file is anywhere near this; a bigger one is a mistake (a binary, a dump).
MAX_FILE_BYTES = 8 * 2**20
#: Lines with control characters reported one by one in a file; the rest are counted.
MAX_CONTROL_LINES = 20
#: Opened without blocking (a FIFO swapped in after the check) and not inherited by children.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN_FLAGS |= getattr(os, "O_BINARY", 0)
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]{1,8})|(?P<decimal>[0-9]{1,8}));")


def display_path(path: Path) -> str:
    """A path as a person would type it from here: relative when under the working folder."""
    try:
        cwd = os.getcwd()
    except OSError:  # the working folder itself is gone
        return str(path)
    return _relative_to(path, cwd)


@functools.lru_cache(maxsize=256)
def _relative_to(path: Path, cwd: str) -> str:
    # Cached: every provision of a file shows the same path, and resolving it costs system calls.
    try:
        return str(path.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return str(path)


class Reader:
    """Collects problems while reading one content folder."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        #: (file, SHA-256 of its bytes) for every file read, in order: the content hash's input.
        self.digests: list[tuple[str, bytes]] = []
        self._hash = hashlib.sha256()

    def problem(self, path: Path | str, line: int, message: str) -> None:
        shown = display_path(path) if isinstance(path, Path) else path
        self.problems.append(Problem(shown, line, message))

    def read_text(self, path: Path) -> str | None:
        """The file's text, or None (with a problem noted) if it cannot be used.

        Line ends become LF. A control character is noted at its line and replaced by U+FFFD,
        so that the parsers (which count lone CRs as line ends, and reject some of them) see
        the same lines and carry on to report the rest of the file.
        """
        data = self._read_bytes(path)
        if data is None:
            return None
        self.record(path.relative_to(self.root).as_posix(), hashlib.sha256(data).digest())
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
        text = text.replace("\r\n", "\n").lstrip("\ufeff")
        lone_returns = text.count("\r")
        if lone_returns and lone_returns >= text.count("\n"):
            self.problem(
                path,
                1,
                "lines end in carriage returns (CR) alone: save the file with LF line ends",
            )
            return None
        if path.suffix.lower() == ".md" and "&#" in text:
            self._character_references(path, text)
        if control_problem(text) is None:
            return text
        return self._replace_controls(path, text)

    def digest(self, path: Path) -> str | None:
        """The SHA-256 (hex) of a file as `read_text` would read it; None (problem noted) if it
        cannot be read so."""
        data = self._read_bytes(path)
        return None if data is None else hashlib.sha256(data).hexdigest()

    def _read_bytes(self, path: Path) -> bytes | None:
        """At most MAX_FILE_BYTES + 1 bytes of a regular file; anything else is noted, unopened.

        A FIFO would block an open or a read forever and a device (a link to /dev/zero) never
        ends, so the file is looked at before it is opened, opened without blocking, looked at
        again through its descriptor (it may have been swapped), and read with a cap whatever
        size it claims.
        """
        try:
            info = path.stat()
        except OSError as exc:
            self.problem(path, 1, f"cannot read file: {exc.strerror or exc}")
            return None
        if stat.S_ISDIR(info.st_mode):
            self.problem(path, 1, "is a directory, expected a file")
            return None
        if not stat.S_ISREG(info.st_mode):
            self.problem(path, 1, _not_a_file(info.st_mode))
            return None
        if info.st_size > MAX_FILE_BYTES:
            self._too_large(path, f"{info.st_size / 2**20:.1f} MiB")
            return None
        try:
            fd = os.open(path, _OPEN_FLAGS)
        except OSError as exc:
            self.problem(path, 1, f"cannot read file: {exc.strerror or exc}")
            return None
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                self.problem(path, 1, _not_a_file(mode))
                return None
            chunks, size = [], 0
            while size <= MAX_FILE_BYTES:
                chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            self.problem(path, 1, f"cannot read file: {exc.strerror or exc}")
            return None
        finally:
            os.close(fd)
        if size > MAX_FILE_BYTES:
            self._too_large(path, f"more than {MAX_FILE_BYTES // 2**20} MiB")
            return None
        return b"".join(chunks)

    def _too_large(self, path: Path, size: str) -> None:
        limit = MAX_FILE_BYTES // 2**20
        self.problem(path, 1, f"file is too large ({size}; the limit is {limit} MiB)")

    def _replace_controls(self, path: Path, text: str) -> str:
        """`text` with each control character noted at its line and replaced by U+FFFD."""
        lines = text.split("\n")
        noted = 0
        for n, line in enumerate(lines):
            message = control_problem(line)
            if message is None:
                continue
            noted += 1
            if noted <= MAX_CONTROL_LINES:
                self.problem(path, n + 1, message)
            elif noted == MAX_CONTROL_LINES + 1:
                more = sum(control_problem(rest) is not None for rest in lines[n:])
                self.problem(path, n + 1, f"and {more} more line(s) hold control characters")
            lines[n] = "".join("\ufffd" if control_problem(c) else c for c in line)
        return "\n".join(lines)

    def _character_references(self, path: Path, text: str) -> None:
        """Markdown turns `&#27;` into the character itself when it is shown: note those too."""
        for found in _CHARACTER_REFERENCE.finditer(text):
            code = int(found["hex"], 16) if found["hex"] else int(found["decimal"])
            message = control_problem(chr(code)) if code < 0x110000 else None
            if message is not None:
                line = text.count("\n", 0, found.start()) + 1
                self.problem(path, line, f"character reference {found.group()} {message}")

    def load_yaml(self, path: Path, text: str, first_line: int = 1) -> Any:
        """Parse YAML from `path`; a problem for anything wrong in it, None if it cannot be read.

        A control character that a double-quoted string spells as an escape (`"\\e"`,
        `"\\x9b"`) is noted at that string's line.
        """
        controls: list[tuple[int, str]] = []
        try:
            return yamlx.load(text, first_line, controls)
        except yamlx.YamlError as exc:
            self.problem(path, exc.line, str(exc))
            return None
        finally:
            for line, message in controls:
                self.problem(path, line, message)

    @property
    def files(self) -> list[str]:
        """Every file read, relative to the content folder, in order."""
        return [rel for rel, _ in self.digests]

    def record(self, rel: str, digest: bytes) -> None:
        """Count a file as read (perhaps by another process) into the content hash."""
        self.digests.append((rel, digest))
        self._hash.update(rel.encode() + b"\0" + digest)

    def content_hash(self) -> str:
        return self._hash.hexdigest()


def text_of(value: Any) -> str | None:
    """A scalar as text (YAML may give numbers), or None if it is not a scalar."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return None


def unknown_keys(reader: Reader, path: Path, data: yamlx.LineDict, allowed: Iterable[str]):
    allowed = set(allowed)
    for key in data:
        if key not in allowed:
            hint = ", ".join(sorted(allowed))
            reader.problem(
                path, data.line_of(key), f"unknown field {key!r} (expected one of: {hint})"
            )


def required_text(
    reader: Reader, path: Path, data: yamlx.LineDict, key: str, what: str
) -> str | None:
    value = text_of(data.get(key))
    if not value:
        line = data.line_of(key)
        reader.problem(
            path, line, f"{what} has no {key!r}" if key not in data else f"empty {key!r}"
        )
        return None
    return value


def choice(
    reader: Reader, path: Path, data: yamlx.LineDict, key: str, allowed: tuple[str, ...], what: str
) -> str | None:
    value = text_of(data.get(key))
    if value is None:
        return None
    if value not in allowed:
        options = ", ".join(allowed)
        reader.problem(
            path, data.line_of(key), f"unknown {what} {value!r} (expected one of: {options})"
        )
        return None
    return value


def check_id(reader: Reader, path: Path, line: int, value: str | None, what: str) -> str | None:
    if value is None:
        return None
    if not ID_PATTERN.match(value):
        reader.problem(
            path, line, f"bad {what} id {value!r}: use lower-case letters, digits, '.', '-' and '_'"
        )
        return None
    return value


def required_id(reader: Reader, path: Path, data: yamlx.LineDict, what: str) -> str | None:
    """The record's `id`: present, and in the id alphabet."""
    return check_id(
        reader, path, data.line_of("id"), required_text(reader, path, data, "id", what), what
    )


DATE_KEYS = ("date", "kind", "note")
_DATE_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD, or a period START/END"


def read_dates(reader: Reader, path: Path, data: yamlx.LineDict) -> tuple[EventDate, ...]:
    """`dates:` maps an event to a date (it happened) or to `{date, kind, note}`.

    `kind` is `expected` or `scheduled` when that is all a source says; a period such as "the
    first half of 2016" is `2016-01/2016-06`, never one day.
    """
    raw = data.get("dates")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        reader.problem(path, data.line_of("dates"), "'dates' must map an event to a date")
        return ()
    dates = []
    for event, value in raw.items():
        line = raw.line_of(event)
        kind, note = HAPPENED, None
        if isinstance(value, dict):
            unknown_keys(reader, path, value, DATE_KEYS)
            kind = text_of(value.get("kind")) or HAPPENED
            note = text_of(value.get("note"))
            if kind not in KINDS:
                reader.problem(
                    path,
                    value.line_of("kind"),
                    f"unknown kind {kind!r} for {event!r}: use one of {', '.join(KINDS)}",
                )
                continue
            value = value.get("date")
        text = text_of(value)
        span = parse_span(text) if isinstance(text, str) else None
        if span is None:
            reader.problem(path, line, f"malformed date {value!r} for {event!r}: {_DATE_HINT}")
            continue
        dates.append(EventDate(str(event), span[0], span[1], kind, note))
    return tuple(dates)


#: Block structure is all that content files are cut by; inline parsing would only cost time.
_MARKDOWN = MarkdownIt("commonmark").use(front_matter_plugin).disable("inline")
#: The same, for a text with no CR and no NUL, which markdown-it's first step would only copy
#: (rewriting every line end as itself: 5 % of reading a big file).
_MARKDOWN_NORMAL = (
    MarkdownIt("commonmark").use(front_matter_plugin).disable(["inline", "normalize"])
)


def parse_blocks(text: str) -> list[Token]:
    """The block tokens of a Markdown text (no inline parsing)."""
    if "\r" in text or "\0" in text:
        return _MARKDOWN.parse(text)
    return _MARKDOWN_NORMAL.parse(text)


#: A line that may close front matter: dashes, or dots (see mdit_py_plugins' front_matter rule).
_MAY_CLOSE = re.compile(r"^ *(?:---|\.\.\.)", re.MULTILINE)


def front_matter_blocks(text: str) -> list[Token]:
    """Enough of `parse_blocks(text)` for its front matter: the tokens of the text up to the
    first line that may close it (a source's text after it is long and goes unparsed).

    The front matter rule reads the lines from the first to the one that closes it, and no
    further: parsed from a text cut after that line, its token is the one the whole text gives.
    If the cut text shows no front matter (that line did not close it), the whole is parsed.
    """
    closing = _MAY_CLOSE.search(text, text.find("\n") + 1) if text.startswith("-") else None
    if closing is not None:
        end = text.find("\n", closing.end())
        if end >= 0:
            tokens = parse_blocks(text[: end + 1])
            if tokens and tokens[0].type == "front_matter":
                return tokens[:1]
    return parse_blocks(text)


def split_front_matter(
    reader: Reader, path: Path, text: str, whole: bool = True
) -> tuple[Any, list[Token]] | None:
    """The front matter of a Markdown text and its tokens: every block's, or (`whole` false)
    none after the front matter's."""
    tokens = parse_blocks(text) if whole else front_matter_blocks(text)
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


def read_with_front_matter(
    reader: Reader, path: Path, whole: bool = True
) -> tuple[str, Any, list[Token]] | None:
    """A Markdown file's text, its front matter and its tokens (see `split_front_matter`); None
    (problem noted) if unusable."""
    text = reader.read_text(path)
    if text is None:
        return None
    split = split_front_matter(reader, path, text, whole)
    if split is None:
        return None
    return text, *split


def tidy(text: str) -> str:
    """Trim a Markdown fragment and squeeze runs of blank lines to one."""
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip()


def _not_a_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "not a regular file"
    return f"is {what}, not a file: content files must be plain files (it was not opened)"
