"""Hostile content: control characters in any field, deep YAML, odd line ends, links and special
files. Each is a `path:line: message` problem from `lexpane check`, never a traceback or a hang,
and a build that meets one leaves data.db byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_check import edit, line_of, problems_in
from tui.build import build
from tui.safe import control_problem

#: (file, text in the fixture, the same with a control character, the character reported)
CONTROLS = [
    # OSC 52 sets the clipboard; its payload here is base64 for "rm -rf ~".
    ("kz-ai/law.md", "## Human creative contribution",
     "## Human creative \x1b]52;c;cm0gLXJmIH4K\x07contribution", "\x1b"),
    # OSC 0 sets the window title.
    ("kz-ai/law.md", "Works made with AI are", "Works made with AI\x1b]0;owned\x07 are", "\x1b"),
    # The 8-bit CSI: "clear the screen" without an ESC.
    ("ru-copyright/report.md", "note: Both concern copyright", "note: Both concern\x9b2J copyright",
     "\x9b"),
    ("topics.yaml", "label: Camcording", "label: Cam\x08cording", "\x08"),
    ("regimes.yaml", "title: Kazakhstan · AI", "title: Kazakhstan\x07 · AI", "\x07"),
    # A lone carriage return sends the cursor back over what came before it.
    ("ru-ai/revised.md", "> The new requirement is only", "> The new requirement\r is only", "\r"),
    ("sources/later-news.md", "publisher: Example Wire", "publisher: Example\x1b[8mWire", "\x1b"),
    ("thesaurus.yaml", "labeling, маркировка", "labeling\x1b[2J, маркировка", "\x1b"),
]  # fmt: skip

#: The same, spelt as escapes in a double-quoted YAML string: no control byte in the file.
YAML_ESCAPES = [
    ("regimes.yaml", "title: Russia · AI", 'title: "Russia \\e]0;owned\\a · AI"', "\x1b"),
    ("ru-copyright/report.md", "reform: Amend art. 146.", 'reform: "Amend\\x9b2J art. 146."',
     "\x9b"),
    ("ru-ai/revised.md", "says: The revision deleted the texts",
     'says: "The\\b revision deleted the texts', "\x08"),
    ("ru-ai/revised.md", "copyrighted material.\n  - source: later-news",
     'copyrighted material."\n  - source: later-news', None),
    ("sources/later-news.md", "title: AI bill submitted to the State Duma",
     'title: "AI bill\\r submitted to the State Duma"', "\r"),
    ("thesaurus.yaml", "[camcording, camcord, ", '[camcording, "camcord\\u001b[0m", ', "\x1b"),
    ("kz-ai/law.md", "number: Art. 23", 'number: "Art.\\x07 23"', "\x07"),
    # A key, in a nested mapping.
    ("kz-ai/law.md", "  in_force: 2026-01-18\n---", '  "in_force\\x1b": 2026-01-18\n---', "\x1b"),
]  # fmt: skip


def _edit_bytes(path: Path, old: str, new: str) -> None:
    # Written as bytes: text mode would turn a lone CR into nothing worse, but be explicit.
    text = path.read_bytes().decode("utf-8")
    assert text.count(old) == 1, f"fixture text not found once in {path}: {old!r}"
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    # The lone CR of a replacement must survive the round trip.
    assert new.encode("utf-8") in path.read_bytes()


def _expected(content: Path, cases) -> list[str]:
    return [
        f"{(content / file).resolve()}:{_line(content / file, new)}: {control_problem(char)}"
        for file, _old, new, char in cases
        if char is not None
    ]


def _line(path: Path, marker: str) -> int:
    text = path.read_bytes().decode("utf-8")
    return text[: text.index(marker)].count("\n") + 1


@pytest.mark.parametrize("cases", [CONTROLS, YAML_ESCAPES], ids=["raw", "yaml-escapes"])
def test_control_characters_in_any_field_are_named_with_their_line(content, cases):
    for file, old, new, _char in cases:
        _edit_bytes(content / file, old, new)
    found = problems_in(content)
    expected = _expected(content, cases)
    assert [] == [e for e in expected if e not in found], "\n".join(found)
    # One problem per line that holds them, nothing about control characters anywhere else.
    controls = [p for p in found if "U+00" in p and "remove it" in p]
    assert sorted(expected) == sorted(controls)


def test_check_command_lists_each_control_character_and_exits_1(content, cli):
    for file, old, new, _char in CONTROLS:
        _edit_bytes(content / file, old, new)
    code, out, err = cli("check", "--content", content)
    assert 1 == code
    printed = []
    for line in out.splitlines():
        path, rest = line.split(":", 1)
        printed.append(f"{Path(path).resolve()}:{rest}")
    assert [] == [e for e in _expected(content, CONTROLS) if e not in printed], out
    assert "\x1b" not in out + err and "\x9b" not in out + err and "\r" not in out + err


def test_a_build_with_control_characters_fails_and_keeps_the_database(content, tmp_path, cli):
    db = tmp_path / "data.db"
    build(content, db)
    before = db.read_bytes()
    _edit_bytes(content / "regimes.yaml", "title: Russia · AI", 'title: "Russia \\e]52;c;eA==\\a"')
    code, _, err = cli("build", "--content", content, "--db", db)
    assert 1 == code
    assert "holds an escape sequence, U+001B" in err
    assert before == db.read_bytes()


def test_brackets_are_text_not_problems(content):
    """`[sic]`, `[1]`, `[/]` and `[@click=app.quit]` are what some records say: not errors."""
    edit(content / "kz-ai/law.md", "## Human creative contribution",
         "## Human creative [sic] contribution [1] [/]")  # fmt: skip
    edit(content / "kz-ai/law.md", "Works made with AI", "Works [@click=app.quit] made with AI")
    edit(content / "topics.yaml", "label: Camcording", "label: Camcording [b]")
    assert [] == problems_in(content)


def test_character_references_to_control_characters_are_named(content):
    """Markdown turns `&#27;` into ESC when it is shown: as bad as the byte itself."""
    law = content / "kz-ai/law.md"
    edit(law, "Works made with AI are", "Works made with AI&#27;]0;owned&#x7; are")
    found = problems_in(content)
    line = line_of(law, "Works made with AI")
    assert [
        f"{law.resolve()}:{line}: character reference &#27; {control_problem(chr(27))}",
        f"{law.resolve()}:{line}: character reference &#x7; {control_problem(chr(7))}",
    ] == [p for p in found if "character reference" in p]


def test_many_control_characters_are_counted_not_listed(content):
    path = content / "kz-ai/law.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + "\x07bell\n" * 500, encoding="utf-8")
    found = [p for p in problems_in(content) if str(path.resolve()) in p]
    first = text.count("\n") + 2
    assert f"{path.resolve()}:{first}: {control_problem(chr(7))}" in found
    assert f"{path.resolve()}:{first + 20}: and 480 more line(s) hold control characters" in found
    assert len(found) < 30


# -- structure the parsers choke on -----------------------------------------------------------


def test_ten_thousand_nested_brackets_in_front_matter(content):
    law = content / "kz-ai/law.md"
    edit(law, 'title: Law "On artificial intelligence"', "title: " + "[" * 10_000)
    found = problems_in(content)
    line = line_of(law, "title: [[[")
    assert any(p.startswith(f"{law.resolve()}:{line}: invalid YAML") for p in found), found


@pytest.mark.parametrize("depth", [300, 900])
def test_deep_yaml_that_the_parser_accepts_is_refused_before_python_recurses(content, depth):
    """LibYAML takes up to 1,000 levels; building them in Python would overflow its stack."""
    report = content / "ru-copyright/report.md"
    edit(report, "reform: Amend art. 146.", "reform: " + "[" * depth + "]" * depth)
    edit(content / "topics.yaml", "- id: camcording", "- id: camcording\n  x: " + "{a: " * depth + "1" + "}" * depth)  # fmt: skip
    found = problems_in(content)
    assert f"{report.resolve()}:{line_of(report, 'reform: [[')}: invalid YAML: nested more than 64 levels deep" in found, found  # fmt: skip
    topics = content / "topics.yaml"
    assert f"{topics.resolve()}:{line_of(topics, '  x: {a:')}: invalid YAML: nested more than 64 levels deep" in found, found  # fmt: skip


def test_a_yaml_alias_loop_is_a_problem_not_a_hang(content):
    law = content / "kz-ai/law.md"
    edit(law, "topics: [copyright]", "topics: &t [copyright, *t]")
    found = problems_in(content)
    assert any(p.startswith(f"{law.resolve()}:{line_of(law, 'topics: &t')}: ") for p in found), (
        found
    )


def test_carriage_return_line_ends_are_one_problem(content):
    law = content / "kz-ai/law.md"
    law.write_bytes(law.read_bytes().replace(b"\n", b"\r"))
    found = [p for p in problems_in(content) if str(law.resolve()) in p]
    assert [
        f"{law.resolve()}:1: lines end in carriage returns (CR) alone: save the file with LF line ends"
    ] == found


def test_crlf_line_ends_are_fine(content):
    for path in content.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert [] == problems_in(content)


def test_a_lone_carriage_return_keeps_later_lines_right(content):
    """Parsers count a lone CR as a line end; lexpane does not, so later lines must not shift."""
    report = content / "ru-copyright/report.md"
    edit(report, "status: open gap", "status: gap")
    _edit_bytes(
        report, "IIPA 2017 Special 301", "IIPA 2017\rSpecial 301"
    )  # after: edit reads CR as LF
    found = [p for p in problems_in(content) if str(report.resolve()) in p]
    assert f"{report.resolve()}:{_line(report, 'status: gap')}: unknown status 'gap' (expected one of:" in "\n".join(found), found  # fmt: skip
    assert f"{report.resolve()}:{_line(report, 'IIPA 2017')}: {control_problem(chr(13))}" in found


# -- links and files that are not files -------------------------------------------------------


def _check(content: Path) -> subprocess.CompletedProcess:
    """`lexpane check` in its own process, so that a hang fails the test instead of the run."""
    return subprocess.run(
        [sys.executable, "-m", "tui", "check", "--content", str(content)],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )  # fmt: skip


def _where(path: Path) -> Path:
    return path.parent.resolve() / path.name  # not the file itself: it may be a link loop


def _said(done: subprocess.CompletedProcess, path: Path, message: str) -> bool:
    for line in done.stdout.splitlines():
        shown, _, rest = line.partition(":")
        if _where(Path(shown)) == _where(path) and rest.startswith(f"1: {message}"):
            return True
    return False


def test_symlink_loops_are_problems(content):
    loop = content / "kz-ai" / "loop.md"
    loop.symlink_to("loop.md")
    (content / "ru-ai" / "down").mkdir()
    (content / "ru-ai" / "down" / "up").symlink_to("../..")  # a folder that contains itself
    done = _check(content)
    assert 1 == done.returncode
    assert "1 problem(s) in 1 file(s)\n" == done.stderr
    assert _said(done, content / "kz-ai" / "loop.md", "cannot read file: Too many levels of symbolic links"), done.stdout  # fmt: skip
    assert 1 == len(done.stdout.splitlines()), done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_reported_without_waiting_for_a_writer(content):
    os.mkfifo(content / "kz-ai" / "pipe.md")
    regimes = content / "regimes.yaml"
    regimes.unlink()
    os.mkfifo(regimes)
    done = _check(content)
    assert 1 == done.returncode
    message = "is a named pipe (FIFO), not a file: content files must be plain files"
    assert _said(done, content / "kz-ai" / "pipe.md", message), done.stdout
    assert _said(done, regimes, message), done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_an_endless_device_is_not_read(content):
    (content / "kz-ai" / "x.md").symlink_to("/dev/zero")
    (content / "thesaurus.yaml").unlink()
    (content / "thesaurus.yaml").symlink_to("/dev/zero")
    done = _check(content)
    assert 1 == done.returncode
    message = "is a device, not a file: content files must be plain files"
    assert _said(done, content / "kz-ai" / "x.md", message), done.stdout
    assert _said(done, content / "thesaurus.yaml", message), done.stdout


def test_a_file_that_grows_past_the_limit_is_read_no_further(content, monkeypatch):
    """The size a file claims is not trusted: at most the limit and one byte are read."""
    from tui import reader

    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 2**20)
    law = content / "kz-ai" / "law.md"
    law.write_text(law.read_text(encoding="utf-8") + "x" * 2**21, encoding="utf-8")
    real_stat = Path.stat

    def small(self, *args, **kwargs):  # a file that says it is small (as /proc files do)
        result = real_stat(self, *args, **kwargs)
        if self.name == "law.md":
            return os.stat_result((*result[:6], 0, *result[7:]))
        return result

    monkeypatch.setattr(Path, "stat", small)
    found = problems_in(content)
    assert f"{law.resolve()}:1: file is too large (more than 1 MiB; the limit is 1 MiB)" in found


def test_broken_content_of_every_kind_leaves_the_database(content, tmp_path, cli):
    db = tmp_path / "data.db"
    build(content, db)
    before = db.read_bytes()
    law = content / "kz-ai" / "law.md"
    edit(law, 'title: Law "On artificial intelligence"', "title: " + "[" * 10_000)
    (content / "ru-ai" / "loop.md").symlink_to("loop.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(content / "ru-ai" / "pipe.md")
    code, out, err = cli("build", "--content", content, "--db", db)
    assert 1 == code
    assert "Traceback" not in err
    assert before == db.read_bytes()


@pytest.mark.parametrize("name", ["regimes.yaml", "thesaurus.yaml"], ids=["required", "optional"])
def test_a_yaml_file_that_is_a_link_loop_is_named_not_skipped(content, name):
    looping = content / name
    looping.unlink()
    looping.symlink_to(name)
    done = _check(content)
    assert 1 == done.returncode
    assert "Traceback" not in done.stderr
    assert _said(done, looping, "cannot read file: Too many levels of symbolic links"), done.stdout


@pytest.mark.parametrize(
    "text",
    [
        "---\nid: a\n---\n\n## One\r\n\r\n```yaml\nid: a.b\n```\n\nBody\r.\n",
        "---\nid: a\n---\n\n## One\n\nBody \0 with a NUL.\n",
    ],
    ids=["carriage returns", "NUL"],
)
def test_a_text_that_needs_normalizing_is_parsed_with_that_step(text: str):
    from tui import reader

    assert _blocks(reader._MARKDOWN.parse(text)) == _blocks(reader.parse_blocks(text))
    assert _blocks(reader._MARKDOWN.parse(text)) != _blocks(reader._MARKDOWN_NORMAL.parse(text))


def test_every_content_file_parses_the_same_without_the_normalizing_step():
    from tui import reader

    files = sorted((REPO / "content").rglob("*.md"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "\r" not in text and "\0" not in text
        assert _blocks(reader._MARKDOWN.parse(text)) == _blocks(reader.parse_blocks(text)), path


def _blocks(tokens) -> list[tuple]:
    return [(t.type, t.tag, t.map, t.info, t.content, t.level, t.markup) for t in tokens]


@pytest.mark.parametrize(
    "text",
    [
        "---\nid: a\n---\n\nThe text.\n\n---\n\nMore.\n",
        "---\nid: a\n...\nThe text.\n",
        "---\nid: a\n   ---\nThe text.\n",
        "-----\nid: a\n---\nstill front matter\n-----\nThe text.\n",
        "---\nid: a\n--- not a close\nnote: b\n---\nThe text.\n",
        "---\nid: a\n    ---\nindented: code, not a close\n---\nThe text.\n",
        "---\nid: a\nnever closed\n\nThe text.\n",
        "---\nid: a\n---",
        "No front matter.\n---\n",
    ],
)
def test_a_sources_front_matter_is_read_as_from_the_whole_text(text: str):
    from tui import reader

    whole = reader.parse_blocks(text)[:1]
    assert _blocks(whole if whole and whole[0].type == "front_matter" else []) == _blocks(
        [t for t in reader.front_matter_blocks(text)[:1] if t.type == "front_matter"]
    )


def test_every_source_file_has_the_front_matter_a_whole_parse_gives():
    from tui import reader

    files = sorted((REPO / "content" / "sources").glob("*.md"))
    assert len(files) > 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = reader.front_matter_blocks(text)
        assert 1 == len(fast), path  # the source's text was not parsed
        assert _blocks(reader.parse_blocks(text)[:1]) == _blocks(fast), path
