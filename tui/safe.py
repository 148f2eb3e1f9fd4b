"""Text from content, a database, notes, paths or the environment made safe to print or save.

Terminals act on control characters: an escape sequence in a heading can set the window title
or the clipboard (OSC 0, OSC 52), a carriage return can hide what came before it. Nothing that
lexpane reads is trusted to be free of them, so every output passes through `clean`, and
`lexpane check` reports them with `control_problem` before they reach `data.db`.
"""

from __future__ import annotations

import re
import unicodedata

#: A whole escape sequence (CSI, OSC/DCS/APC/PM/SOS strings up to their terminator, or a
#: two-character escape), in its 7-bit or its 8-bit (C1) form.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI … final byte
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS…
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
#: C0 and C1 control characters and DEL, but not tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ALSO_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """`text` with every escape sequence and control character removed (tab and newline kept;
    a carriage return before a newline is dropped, a lone one becomes a space)."""
    if not text or not _ALSO_CONTROL.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", " ")
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


def one_line(text: str) -> str:
    """`clean` for a value shown on one line: newlines and tabs become spaces."""
    return " ".join(clean(text).split())


def control_problem(text: str) -> str | None:
    """What control character `text` holds, said for `lexpane check`, or None if it holds none."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    char = found.group()
    name = unicodedata.name(char, "") or _NAMES.get(char, "control character")
    what = "an escape sequence" if char in "\x1b\x9b\x9d" else f"a control character ({name})"
    return f"holds {what}, U+{ord(char):04X}: remove it (terminals act on such characters)"


_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "BACKSPACE",
    "\x0d": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
    "\x9b": "CSI",
    "\x9d": "OSC",
}

#: What a spreadsheet reads as the start of a formula (a carriage return `clean` removes).
_FORMULA = ("=", "+", "-", "@", "\t")


def csv_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: cleaned, and a leading `=`, `+`, `-`, `@` or
    tab behind an apostrophe (as OWASP and the spreadsheet tools advise)."""
    value = clean(value)
    return "'" + value if value.startswith(_FORMULA) else value
