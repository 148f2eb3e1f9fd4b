"""YAML that remembers where each mapping and key came from, for `path:line` errors."""

from __future__ import annotations

from typing import Any

import yaml

from tui.dates import is_date  # noqa: F401 - the one date check, also read from here
from tui.safe import control_problem

#: Content nests a few levels; far deeper YAML is a mistake or an attack on the parser's stack.
MAX_DEPTH = 64


class LineDict(dict):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


# LibYAML's parser when PyYAML has it (its wheels do): the same safe loading, many times faster.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    def __init__(self, stream: str):
        super().__init__(stream)
        #: (0-based line, message) for each string that holds a control character.
        self.control_problems: list[tuple[int, str]] = []

    def construct_scalar(self, node: yaml.ScalarNode) -> str:
        # Every string, key or value, at any depth, passes here: the one place to catch the
        # control characters a double-quoted string spells as escapes ("\e", "\x9b", "\a").
        value = super().construct_scalar(node)
        problem = control_problem(value)
        if problem is not None:
            self.control_problems.append((node.start_mark.line, problem))
        return value


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


def load(text: str, first_line: int = 1, controls: list[tuple[int, str]] | None = None) -> Any:
    """Parse YAML text whose first line is line `first_line` of its file.

    Args:
        controls: if given, gets (file line, message) for each string holding a control character.

    Raises:
        YamlError: with the file line of the problem.
    """
    loader = None
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters here
        node = loader.get_single_node()
        if node is None:
            return None
        _check_depth(node, first_line)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark.line >= text.count("\n"):
            # Cut short at the end: the construct left open is the place to look.
            mark = exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlError(f"invalid YAML: {_one_line(exc.problem or exc.context)}", line) from None
    except yaml.reader.ReaderError as exc:
        line = first_line + text.count("\n", 0, exc.position)
        raise YamlError(
            f"invalid YAML: character U+{exc.character:04X} is not allowed", line
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {_one_line(str(exc))}", first_line) from None
    except RecursionError:  # aliases can nest what the depth check saw as shallow
        raise YamlError("invalid YAML: nested too deeply", first_line) from None
    finally:
        if loader is not None:
            loader.dispose()
        if controls is not None and loader is not None:
            controls.extend(
                (first_line + line, message) for line, message in loader.control_problems
            )
    _shift(data, first_line - 1)
    return data


def _check_depth(root: yaml.Node, first_line: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH before building it (which recurses in Python)."""
    stack = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlError(
                f"invalid YAML: nested more than {MAX_DEPTH} levels deep",
                first_line + node.start_mark.line,
            )
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)


def _one_line(text: str | None) -> str:
    return " ".join(str(text).split())


def _shift(data: Any, offset: int) -> None:
    """Move every line number of `data` by `offset` (iteratively: YAML may nest deep)."""
    stack, seen = [data], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:  # a YAML alias: the same object, already moved
            continue
        seen.add(id(item))
        if isinstance(item, LineDict):
            item.line += offset
            item.key_lines = {k: v + offset for k, v in item.key_lines.items()}
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
