"""The thesaurus search expands (content/thesaurus.yaml): groups of terms that mean the same here.

Plain data and pure functions: reading and checking the file, and folding a term the way the
full-text index folds words, so that a term typed in any case finds its group.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.models import Problem

if TYPE_CHECKING:
    from tui.reader import Reader

FILE = "thesaurus.yaml"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Group:
    """Terms that search treats as one: an abbreviation, a synonym, a spelling, a translation."""

    terms: tuple[str, ...]
    note: str | None = None
    path: str = ""
    line: int = 1


def fold(text: str) -> str:
    """A term as the index stores its words: lower case, Latin diacritics removed, one space
    between words (unicode61 with remove_diacritics 2 keeps Cyrillic letters such as й whole)."""
    out = []
    for char in unicodedata.normalize("NFC", text.lower()):
        base = unicodedata.normalize("NFD", char)
        out.append(base[0] if base[0].isascii() and base[0].isalpha() else char)
    return " ".join(_WORD.findall("".join(out)))


def read(reader: Reader, path: Path) -> tuple[Group, ...]:
    """Groups from the thesaurus file; it is optional, but what is there must be well formed."""
    # Imported here: search folds terms with this module, and reading content is 40 ms and
    # 2.8 MiB of parsers that the explorer never uses.
    from tui.reader import display_path, text_of, unknown_keys

    if not (path.exists() or path.is_symlink()):  # a broken link is read, to say what is wrong
        return ()
    text = reader.read_text(path)
    if text is None:
        return ()
    data = reader.load_yaml(path, text)
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        reader.problem(path, 1, "expected a list of groups, each a mapping with 'terms'")
        return ()
    groups = []
    for item in data:
        unknown_keys(reader, path, item, ("terms", "note"))
        raw = item.get("terms")
        terms = [text_of(t) for t in raw] if isinstance(raw, list) else []
        if not terms or not all(terms):
            reader.problem(path, item.line, "'terms' must be a list of words or phrases")
            continue
        distinct = list(dict.fromkeys(t.strip() for t in terms if t and t.strip()))
        if len({fold(t) for t in distinct}) < 2:
            reader.problem(path, item.line, "a group needs at least two different terms")
            continue
        if not all(fold(t) for t in distinct):
            reader.problem(path, item.line, "a term must hold at least one letter or digit")
            continue
        groups.append(
            Group(tuple(distinct), text_of(item.get("note")), display_path(path), item.line)
        )
    return tuple(groups)


def check(groups: tuple[Group, ...]) -> list[Problem]:
    """A term in two groups would make search expand it two ways: each term belongs to one."""
    problems = []
    first: dict[str, Group] = {}
    for group in groups:
        for term in group.terms:
            key = fold(term)
            other = first.setdefault(key, group)
            if other is not group:
                problems.append(
                    Problem(
                        group.path,
                        group.line,
                        f"term {term!r} is already in the group at line {other.line}: "
                        "keep each term in one group",
                    )
                )
    return problems
