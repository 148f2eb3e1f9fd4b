"""Text from a database is shown as text: no escape sequence reaches the terminal or a file, and
no heading, note or title is read as Textual markup or as an action.

`lexpane check` keeps such characters out of content (see test_check.py); these tests take a
database built elsewhere, by the real build and then altered, which lexpane must not trust.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.screen import screen_text
from tui.app import make_app
from tui.safe import clean, control_problem, csv_cell

#: What a hostile author would put in a field: clipboard (OSC 52) and window title (OSC 0)
#: writes, a screen clear, the alternate screen, an 8-bit CSI, a hyperlink, a terminal reset,
#: a device control string, a bell, a backspace, a carriage return, DEL and NUL.
ESCAPES = (
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b]0;pwned\x1b\\",
    "\x1b[2J",
    "\x1b[?1049h",
    "\x9b31m",
    "\x1b]8;;https://example.com\x1b\\",
    "\x1bc",
    "\x1bP1$qm\x1b\\",
    "\x07",
    "\x08",
    "\r",
    "\x7f",
    "\x00",
)
#: Brackets that Textual would read as markup or actions, and that a legal text may hold.
MARKUP = "[sic] [1] [/] [@click=app.quit]quit[/] [bold]b[/bold]"
PAYLOAD = "".join(ESCAPES) + " " + MARKUP
#: Any character a terminal acts on (tab and newline aside).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile_db(db: Path) -> Path:
    """The fixture database with every text field a person reads carrying the payload."""
    conn = sqlite3.connect(db)
    tail = f" {PAYLOAD}"
    for sql in (
        "UPDATE provisions SET heading = heading || :p, body = body || :p",
        "UPDATE provision_versions SET heading = heading || :p, body = body || :p, "
        "status = status || :p",
        "UPDATE links SET note = note || :p",
        "UPDATE topics SET label = label || :p",
        "UPDATE regimes SET title = title || :p",
        "UPDATE sources SET title = title || :p",
        "UPDATE dates SET note = coalesce(note, '') || :p",
        "UPDATE quotes SET text = text || :p",
        "UPDATE claims SET says = says || :p",
        "UPDATE gaps SET weakness = weakness || :p",
        "UPDATE topic_silences SET note = note || :p",
    ):
        conn.execute(sql, {"p": tail})
    conn.execute("INSERT INTO provisions_fts(provisions_fts) VALUES ('rebuild')")
    conn.commit()
    conn.close()
    return db


def test_clean_removes_every_sequence_whole_and_keeps_brackets():
    for payload in ESCAPES:
        assert not CONTROL.search(clean(f"a{payload}b")), repr(payload)
        assert control_problem(f"a{payload}b") is not None, repr(payload)
    # Whole sequences go, not just their escape character: no "52;c;…" residue.
    assert "ab" == clean("a\x1b]52;c;cHduZWQ=\x07b")
    assert ("a b", "a\nb") == (clean("a\rb"), clean("a\r\nb"))
    assert MARKUP == clean(MARKUP)
    assert control_problem("tabs\tand\nnewlines [sic]") is None


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    assert '\'=HYPERLINK("x")' == csv_cell('=HYPERLINK("x")')
    assert ["'+1", "'-1", "'@SUM(A1)", "plain"] == [
        csv_cell(v) for v in ("+1", "-1", "@SUM(A1)", "plain")
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("show", "rc.camcording"),
        ("show", "ru.training"),
        ("search", "camcord"),
        ("search", "camcord", "--json"),
        ("show", "kz.art23", "--json"),
        ("diff", "ru.labelling@earlier", "ru.labelling@revised"),
        ("diff", "ru.labelling@earlier", "ru.labelling@revised", "--json"),
        ("export",),
        ("export", "--format", "csv"),
        ("export", "--format", "json"),
    ],
)
def test_the_command_line_prints_no_control_characters(hostile_db: Path, cli, args):
    code, out, err = cli(*args, "--db", hostile_db)
    assert 0 == code, err
    if "csv" in args:
        out = out.replace("\r\n", "\n")  # CSV's own row ends (RFC 4180)
    assert not CONTROL.search(out), repr(CONTROL.search(out))
    assert "pwned" not in out and "cHduZWQ" not in out
    if "--json" not in args:  # JSON escapes brackets nowhere, but quotes them in strings
        assert "[sic] [1] [/] [@click=app.quit]quit[/]" in out


def test_colour_is_the_only_escape_the_command_line_writes(hostile_db: Path, cli, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = cli("search", "camcord", "--db", hostile_db)
    assert 0 == code
    # Bold on and off around matched words, and nothing else.
    assert {"\x1b[1m", "\x1b[0m"} == set(re.findall(r"\x1b\[[0-9;]*m", out))
    assert not CONTROL.search(re.sub(r"\x1b\[[0-9;]*m", "", out))


def test_a_csv_export_holds_formulas_as_text_and_no_wrapping_line_breaks(db: Path, cli):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE provisions SET heading = '=HYPERLINK(\"http://x\")' WHERE id = 'kz.art23'")
    conn.commit()
    conn.close()
    code, out, _ = cli("export", "--format", "csv", "--db", db)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert 0 == code
    assert '\'=HYPERLINK("http://x")' == rows["kz.art23"]["heading"]
    # Bodies are wrapped in content/: a cell holds whole paragraphs, blank-line apart.
    for row in rows.values():
        assert all(p and "\n" not in p for p in row["body"].split("\n\n")), row["id"]


def test_an_export_file_holds_no_control_characters(hostile_db: Path, cli, tmp_path: Path):
    for fmt in ("md", "csv", "json"):
        target = tmp_path / f"out.{fmt}"
        assert 0 == cli("export", "--format", fmt, "--output", target, "--db", hostile_db)[0]
        text = target.read_text(encoding="utf-8")
        assert not CONTROL.search(text.replace("\r\n", "\n")), fmt  # csv rows end in CRLF
        if fmt == "json":
            json.loads(text)


async def test_the_explorer_shows_brackets_as_text_and_no_escape_reaches_it(hostile_db: Path):
    app = make_app(hostile_db)
    async with app.run_test(size=(220, 50)) as pilot:
        await pilot.press("3")  # the copyright pane: its provision links to the Russian bill
        await pilot.pause()
        shown = screen_text(app)
        assert not CONTROL.search(shown)
        # A heading, the reading area and a regime title, brackets and all.
        assert "[sic] [1] [/] [@click=app.quit]quit[/]" in shown
        for key, screen in (("g", "matrix"), ("t", "timeline"), ("s", "source")):
            await pilot.press(key)
            await pilot.pause()
            shown = screen_text(app)
            assert not CONTROL.search(shown), screen
            assert "[sic]" in shown, screen
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("n")  # the note editor shows the heading
        await pilot.pause()
        assert "[@click=app.quit]quit[/]" in screen_text(app)
        await pilot.press("escape", "slash")
        await pilot.pause()
        await pilot.press(*"camcord")
        await pilot.pause(0.5)
        shown = screen_text(app)
        assert "[sic] [1] [/]" in shown and not CONTROL.search(shown)
        await pilot.press("escape", "ctrl+p")  # the command palette lists headings too
        await pilot.pause()
        await pilot.press(*"camcord")
        hit = "[@click=app.quit]quit[/] [bold]b[/bold] (rc.camcording)"
        for _ in range(40):
            await pilot.pause(0.05)
            if hit in screen_text(app):
                break
        assert hit in screen_text(app)
        assert app.is_running  # no markup action ran, and nothing crashed


async def test_a_note_is_shown_as_text_with_its_line_breaks(db: Path):
    app = make_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"[/] first", "enter", *"[bold]second", "ctrl+s")
        await pilot.pause()
        lines = screen_text(app).split("\n")
        first = next(n for n, line in enumerate(lines) if "[/] first" in line)
        assert "[bold]second" in lines[first + 1]


async def test_a_topic_chosen_a_diff_and_the_saved_notes_show_their_text_harmlessly(
    hostile_db: Path, monkeypatch, tmp_path: Path
):
    # A data folder whose path and a note that hold escapes: both reach the screen.
    folder = tmp_path / "data\x1b]0;pwned\x07[/]"
    monkeypatch.setenv("LEXPANE_DATA_DIR", str(folder))
    from tui.userdata import UserData

    UserData.open().save_note("ru.labelling", "see \x1b]52;c;cHduZWQ=\x07 [/] [sic]")
    app = make_app(hostile_db)
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "enter")  # a topic whose label holds the payload
        await pilot.pause()
        shown = screen_text(app)
        header, tree = shown.split("\n")[:2]
        assert "AI regulation" in header and "[sic] [1] [/] [@click=app.quit]" in header
        assert "Topics: AI regulation" in tree and not CONTROL.search(shown)
        await pilot.press("1", "v")  # the two drafts, their titles holding the payload
        await pilot.pause()
        shown = screen_text(app)
        assert re.search(r"ru\.labelling@earlier \(superseded +\[sic\] \[1\] \[/\]", shown), shown
        assert not CONTROL.search(shown)
        await pilot.press("escape", "B")
        await pilot.pause()
        shown = screen_text(app)
        assert "✎ see [/] [sic]" in shown and "[/]" in shown.split("kept in")[1]
        assert not CONTROL.search(shown) and "pwned" not in shown and "cHduZWQ" not in shown
        assert app.is_running
