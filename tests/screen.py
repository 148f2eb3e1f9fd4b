"""What a person sees: the text of the explorer's screen, read from Textual's own screenshot."""

from __future__ import annotations

import html
import re

from textual.app import App

_CHUNK = re.compile(
    r'<text class="terminal-\d+-r\d+" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#terminal-\d+-line-(\d+)\)">([^<]*)</text>'
)
#: The width of one cell in Rich's SVG export.
CELL = 12.2


def screen_lines(app: App) -> list[str]:
    """The screen as lines of text, each character in its cell."""
    width, height = app.size
    grid = [[" "] * width for _ in range(height)]
    for x, line, chunk in _CHUNK.findall(app.export_screenshot()):
        row, column = int(line), round(float(x) / CELL)
        for offset, char in enumerate(html.unescape(chunk).replace("\xa0", " ")):
            if row < height and column + offset < width and char != "\n":
                grid[row][column + offset] = char
    return ["".join(cells).rstrip() for cells in grid]


def screen_text(app: App) -> str:
    return "\n".join(screen_lines(app))
