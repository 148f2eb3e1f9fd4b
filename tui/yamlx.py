"""YAML that remembers where each mapping and key came from, for `path:line` errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml


class LineDict(dict):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


# LibYAML's parser when PyYAML has it (its wheels do): the same safe loading, many times faster.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in data:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates stay text: content dates may be partial ("2027-03") and must be checked, not guessed.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def load(text: str, first_line: int = 1) -> Any:
    """Parse YAML text whose first line is line `first_line` of its file.

    Raises:
        YamlError: with the file line of the problem.
    """
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark.line >= text.count("\n"):
            # Cut short at the end: the construct left open is the place to look.
            mark = exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", first_line) from None
    _shift(data, first_line - 1)
    return data


def _shift(data: Any, offset: int, seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if id(data) in seen:  # a YAML alias: the same object, already moved
        return
    seen.add(id(data))
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift(value, offset, seen)
    elif isinstance(data, list):
        for item in data:
            _shift(item, offset, seen)


def is_date(value: Any) -> bool:
    """A full or partial ISO date: 2026, 2026-07 or 2026-01-18, and a real one."""
    if not isinstance(value, str):
        return False
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() and p.isascii() for p in parts):
        return False
    if len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
        return False
    year, month, day = (int(p) for p in (parts + ["01", "01"])[:3])
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
