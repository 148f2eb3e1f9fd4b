"""`lexpane check`: one broken fixture per kind of problem, each reported as path:line: message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tui.validate import check_folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text not found once in {path}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, marker: str) -> int:
    """The line where `marker` (which may span lines) first begins."""
    text = path.read_text(encoding="utf-8")
    assert marker in text, f"{marker!r} not in {path}"
    return text[: text.index(marker)].count("\n") + 1


# Each case: (name, file, old text, new text, marker on the line to blame, words of the message).
# A marker of None blames line 1.
EDITS = [
    ("missing id", "ru-ai/revised.md", "id: ru.training\nstatus: deleted in revision\n",
     "status: deleted in revision  # no id\n", "# no id", "provision has no 'id'"),
    ("duplicate id", "ru-copyright/report.md", "id: rc.camcording", "id: kz.art23  # again",
     "# again", "duplicate provision id 'kz.art23' (first at "),
    ("unknown topic", "ru-copyright/report.md", "topics: [camcording]", "topics: [camcord]",
     "topics: [camcord]", "unknown topic 'camcord'"),
    ("unknown quote source", "ru-copyright/report.md", "> — iipa", "> — iipa-2018",
     "> The total number", "quote names unknown source 'iipa-2018'"),
    ("unknown instrument source", "kz-ai/law.md", "source: commentary", "source: nothing",
     "source: nothing", "unknown source 'nothing'"),
    ("unknown parent instrument", "ru-ai/earlier.md", "version_of: bill", "version_of: bil",
     "version_of: bil", "'version_of' names unknown instrument 'bil'"),
    ("unknown link target", "ru-ai/revised.md", "- to: kz.art23", "- to: kz.art24",
     "- to: kz.art24", "link to unknown provision 'kz.art24'"),
    ("unknown link type", "ru-ai/revised.md", "type: contrasts with", "type: opposes",
     "type: opposes", "unknown link type 'opposes'"),
    ("malformed date", "kz-ai/law.md", "  in_force: 2026-01-18\n---", "  in_force: 18.01.2026\n---",
     "in_force: 18.01.2026", "malformed date '18.01.2026' for 'in_force'"),
    ("impossible date", "kz-ai/law.md", "dates:\n  in_force: 2026-01-18\n```",
     "dates:\n  in_force: 2026-02-30\n```", "in_force: 2026-02-30", "malformed date '2026-02-30'"),
    ("unknown status", "ru-copyright/report.md", "status: open gap", "status: open-gap",
     "status: open-gap", "unknown status 'open-gap'"),
    ("unknown evidence kind", "ru-copyright/report.md", "evidence: advocacy report",
     "evidence: blog post", "evidence: blog post", "unknown evidence kind 'blog post'"),
    ("unknown instrument kind", "kz-ai/law.md", "kind: law", "kind: decree", "kind: decree",
     "unknown instrument kind 'decree'"),
    ("empty body", "ru-ai/revised.md", "The revision dropped the trusted category.\n", "",
     "## Trusted models", "provision body is empty"),
    ("quote not verbatim", "ru-ai/revised.md", "> The new requirement is only to provide users",
     "> The new requirement is only to offer users", "> The new requirement",
     "quote not found verbatim in source 'news'"),
    ("quote names no source", "kz-ai/law.md", ">\n> — commentary\n", "\n",
     "> works created using", "quote names no source"),
    ("bad YAML", "ru-ai/revised.md", "topics: [labelling]", "topics: [labelling", "topics: [labelling",
     "invalid YAML"),
    ("duplicate YAML key", "kz-ai/law.md", "number: Art. 23\n", "number: Art. 23\nnumber: Art. 24\n",
     "number: Art. 24", "duplicate key 'number'"),
    ("unknown field", "kz-ai/law.md", "topics: [copyright]", "topcis: [copyright]",
     "topcis: [copyright]", "unknown field 'topcis'"),
    ("no metadata block", "kz-ai/law.md", "```yaml\nid: kz.art23", "```\nid: kz.art23",
     "## Human creative contribution", "provision has no metadata"),
    ("no topics", "kz-ai/law.md", "topics: [copyright]", "topics: []", "topics: []",
     "provision has no topics"),
    ("version loop", "ru-ai/earlier.md", "version: earlier\n", "version: earlier\nsupersedes: bill-revised\n",
     "supersedes: bill-revised", "version chain of 'bill' loops"),
    ("jurisdiction mismatch", "kz-ai/law.md", "jurisdiction: KZ", "jurisdiction: RU",
     "jurisdiction: RU", "jurisdiction 'RU' does not match regime 'kz-ai' (KZ)"),
    ("unknown regime", "kz-ai/law.md", "regime: kz-ai", "regime: kz", "regime: kz",
     "unknown regime 'kz'"),
    ("missing from the next version", "ru-ai/revised.md",
     "## Trusted models\n\n```yaml\nid: ru.trusted\nstatus: deleted in revision\ntopics: [model-categories]\n```\n\nThe revision dropped the trusted category.\n",
     "", None, "missing from the next version 'bill-revised'"),
    ("unknown topic parent", "topics.yaml", "parent: copyright\n  description: Using",
     "parent: copyrite\n  description: Using", "- id: training-data", "unknown parent 'copyrite'"),
    ("silence contradicted", "kz-ai/law.md", "topics: [copyright]", "topics: [copyright, camcording]",
     None, "marked silent in 'kz-ai', but 'kz-ai' has provisions on it"),
    ("no front matter", "kz-ai/law.md", "---\nid: kz-law", "id: kz-law", None, "no front matter"),
    # Expected is not happened: "in force" and "adopted" need an event a source reports as done.
    ("in force on a schedule alone", "kz-ai/law.md", "  in_force: 2026-01-18\n---",
     "  in_force: {date: 2026-01-18, kind: scheduled}\n---", "status: in force\nsource",
     "instrument is marked 'in force', but its sources only say it is scheduled (in force 2026-01-18)"),
    ("provision in force on an expectation", "kz-ai/law.md",
     "status: in force\ntopics: [copyright]\ndates:\n  in_force: 2026-01-18",
     "status: in force\ntopics: [copyright]\ndates:\n  in_force: {date: 2026-01-18, kind: expected}",
     None, "provision is marked 'in force', but"),
    ("adopted with no event", "kz-ai/law.md", "status: in force\nsource: commentary\nevidence: legal commentary\ndates:\n  in_force: 2026-01-18\n",
     "status: adopted\nsource: commentary\nevidence: legal commentary\n",
     "status: adopted", "instrument is marked 'adopted', but no date says when"),
    ("unknown date kind", "kz-ai/law.md", "  in_force: 2026-01-18\n---",
     "  in_force: {date: 2026-01-18, kind: rumoured}\n---", "kind: rumoured", "unknown kind 'rumoured'"),
    ("period that ends before it starts", "kz-ai/law.md", "  in_force: 2026-01-18\n---",
     "  in_force: 2026-01-18\n  counted: 2016-06/2016-01\n---", "counted:", "malformed date '2016-06/2016-01'"),
    # Links whose type says which way they point.
    ("gap in from a record that is not a gap", "ru-ai/revised.md", "type: contrasts with", "type: gap in",
     "- to: kz.art23", "a 'gap in' link must come from a record with status 'open gap'"),
    ("recommended reform from an open gap", "ru-copyright/report.md", "type: same subject as",
     "type: recommended reform of", "- to: ru.training",
     "a 'recommended reform of' link must come from a record with status 'recommended'"),
    # Statute text needs its pinpoint; sources disagree only between claims.
    ("statute text without an article", "ru-copyright/report.md",
     "number: Criminal Code art. 146\nstatus: open gap", "status: open gap\nevidence: statute text",
     "## Camcording", "needs its 'number' (article, clause)"),
    ("conflict without claims", "kz-ai/law.md", "number: Art. 23\n", "number: Art. 23\nconflict: Whether Art. 23 applies.\n",
     "conflict: Whether", "'conflict' needs the claims it is between"),
    ("claim from an unknown source", "kz-ai/law.md", "number: Art. 23\n",
     "number: Art. 23\nclaims:\n  - {source: gazette, says: It does.}\n", "- {source: gazette",
     "claim names unknown source 'gazette'"),
]  # fmt: skip

# Where the blame is not on a marker: (case name) -> (file, line).
BLAME = {
    "missing from the next version": ("ru-ai/earlier.md", "## Trusted models"),
    "silence contradicted": ("topics.yaml", "- id: camcording"),
    "version loop": ("ru-ai/earlier.md", None),
    "no front matter": ("kz-ai/law.md", None),
    "provision in force on an expectation": ("kz-ai/law.md", "status: in force\ntopics"),
    "statute text without an article": ("ru-copyright/report.md", "## Camcording"),
}


def problems_in(content: Path) -> list[str]:
    _, problems = check_folder(content)
    return [f"{Path(p.path).resolve()}:{p.line}: {p.message}" for p in problems]


@pytest.mark.parametrize(
    ("name", "file", "old", "new", "marker", "message"), EDITS, ids=[e[0] for e in EDITS]
)
def test_each_problem_is_named_with_its_file_and_line(
    content, name, file, old, new, marker, message
):
    edit(content / file, old, new)
    blamed_file, blamed_marker = BLAME.get(name, (file, marker))
    path = (content / blamed_file).resolve()
    line = line_of(path, blamed_marker) if blamed_marker else 1
    found = problems_in(content)
    expected_prefix = f"{path}:{line}: "
    assert any(p.startswith(expected_prefix) and message in p for p in found), (
        f"expected {expected_prefix}…{message}…, got:\n" + "\n".join(found)
    )


FILE_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("non-UTF-8 bytes", lambda c: _write_bytes(c / "kz-ai" / "latin1.md", b"---\nid: x\ntitle: caf\xe9\n---\n"),
     "3: not UTF-8 text (byte 0xe9)"),
    ("empty file", lambda c: _write_bytes(c / "kz-ai" / "empty.md", b""), "1: file is empty"),
    ("whitespace-only file", lambda c: _write_bytes(c / "kz-ai" / "blank.md", b"\n \n"), "1: file is empty"),
    ("a directory named like a file", lambda c: _mkdir(c / "kz-ai" / "folder.md"), "1: is a directory, expected a file"),
    ("missing topics file", lambda c: _unlink(c / "topics.yaml"), "1: missing: the topics file is required"),
    ("topics file not a list", lambda c: _write_bytes(c / "topics.yaml", b"id: x\n"), "1: expected a list of topics"),
    ("front matter not a mapping", lambda c: _write_bytes(c / "kz-ai" / "list.md", b"---\n- a\n- b\n---\n"),
     "2: front matter must be a YAML mapping"),
    ("huge file", lambda c: _write_bytes(c / "kz-ai" / "huge.md", b"x" * (9 * 2**20)), "1: file is too large (9.0 MiB"),
]  # fmt: skip


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _unlink(path: Path) -> Path:
    path.unlink()
    return path


@pytest.mark.parametrize(("name", "make", "expected"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_unreadable_files_are_named(content, name, make, expected):
    path = make(content).resolve()
    found = problems_in(content)
    assert f"{path}:{expected}" in "\n".join(found), "\n".join(found)


def test_every_problem_is_reported_not_just_the_first(content):
    edit(content / "kz-ai/law.md", "topics: [copyright]", "topics: [copyrite]")
    edit(content / "ru-copyright/report.md", "status: open gap", "status: gap")
    edit(content / "ru-ai/revised.md", "> The new requirement is only", "> The requirement is only")
    found = problems_in(content)
    assert 3 == len(found), found
    assert ["kz-ai/law.md", "ru-ai/revised.md", "ru-copyright/report.md"] == sorted(
        str(Path(p.split(":")[0]).relative_to(content.resolve())) for p in found
    )


def test_quotes_match_across_line_breaks_and_quote_styles(content):
    # The source says “trusted”; a quote typed with straight quotes and wrapped still matches.
    edit(
        content / "ru-ai/earlier.md",
        "A third category of trusted models for critical infrastructure.\n",
        'A third category.\n\n> a third category – "trusted" AI models –\n> covering those designed\n>\n> — news\n',
    )
    assert [] == problems_in(content)


def test_check_command_lists_problems_and_exits_1(content, cli):
    edit(content / "kz-ai/law.md", "topics: [copyright]", "topics: [copyrite]")
    edit(content / "ru-copyright/report.md", "status: open gap", "status: gap")
    code, out, err = cli("check", "--content", content)
    assert 1 == code
    lines = out.strip().split("\n")
    assert 2 == len(lines)
    assert all(line.count(":") >= 2 for line in lines)
    assert "2 problem(s) in 2 file(s)" in err


def test_check_command_passes_clean_content(content, cli):
    code, out, _ = cli("check", "--content", content)
    assert 0 == code
    assert out.startswith("content OK: 5 provisions")


def test_check_command_on_missing_folder_is_a_usage_error(tmp_path, cli):
    code, out, err = cli("check", "--content", tmp_path / "nowhere")
    assert 2 == code
    assert "" == out
    assert 1 == len(err.strip().split("\n"))
    assert "content folder not found" in err


@pytest.mark.parametrize(
    ("name", "file", "old", "new", "marker", "message"), EDITS, ids=[e[0] for e in EDITS]
)
def test_build_of_broken_content_fails_and_keeps_the_database(
    content, tmp_path, cli, name, file, old, new, marker, message
):
    from tui.build import build

    db = tmp_path / "data.db"
    build(content, db)
    before = db.read_bytes()
    edit(content / file, old, new)
    code, _, err = cli("build", "--content", content, "--db", db)
    assert 1 == code
    assert message in err
    assert before == db.read_bytes()
    assert ["content", "data.db"] == sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize(("name", "make", "expected"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_build_of_unreadable_files_fails_and_keeps_the_database(
    content, tmp_path, cli, name, make, expected
):
    from tui.build import build

    db = tmp_path / "data.db"
    build(content, db)
    before = db.read_bytes()
    make(content)
    code, _, err = cli("build", "--content", content, "--db", db)
    assert 1 == code
    assert expected.split(": ", 1)[1] in err
    assert before == db.read_bytes()


def blamed(found: list[str], path: Path, marker: str, message: str) -> bool:
    """Whether a problem with `message` is reported at the line of `path` where `marker` is."""
    prefix = f"{path.resolve()}:{line_of(path.resolve(), marker)}: "
    return any(p.startswith(prefix) and message in p for p in found)


def test_a_gap_in_link_must_point_at_a_law_not_a_reported_event(content):
    """ "gap in" from a gap to a record of what someone said or did is a category mistake."""
    edit(content / "ru-ai/revised.md", "id: ru.training\nstatus: deleted in revision",
         "id: ru.training\nstatus: reported")  # fmt: skip
    report = content / "ru-copyright/report.md"
    edit(report, "type: same subject as", "type: gap in")
    found = problems_in(content)
    message = "must point at the law the gap is in, not at a 'reported' record ('ru.training')"
    assert blamed(found, report, "- to: ru.training", message), found


def test_a_source_without_stored_text_needs_where_and_when(content):
    source = content / "sources" / "gazette.md"
    source.write_text("---\nid: gazette\ntitle: Official gazette\nkind: statute text\n---\n")
    found = problems_in(content)
    assert [
        f"{source.resolve()}:6: source has no stored text, so it needs publisher, url, consulted, "
        "date (or date_note): say where it is and when it was read"
    ] == [p for p in found if "gazette" in p]


def test_a_source_without_stored_text_is_never_quoted(content):
    (content / "sources" / "gazette.md").write_text(
        "---\nid: gazette\ntitle: Official gazette\nkind: statute text (unofficial translation)\n"
        "publisher: Gazette\ndate: 2025-11-17\nurl: https://example.org/law\nconsulted: 2026-11-24\n---\n"
    )
    law = content / "kz-ai/law.md"
    edit(law, ">\n> — commentary\n", ">\n> — gazette\n")
    found = problems_in(content)
    message = "source 'gazette' has no stored text: quote only a stored source"
    assert blamed(found, law, "> works created using", message), found


def test_the_thesaurus_is_checked(content):
    thesaurus = content / "thesaurus.yaml"
    thesaurus.write_text(
        "- terms: [CMO, collecting society]\n"
        "- terms: [ISP]\n"
        "- terms: [cmo, collective management organisation]\n"
        "- terms: notalist\n",
        encoding="utf-8",
    )
    found = [p for p in problems_in(content) if "thesaurus.yaml" in p]
    path = thesaurus.resolve()
    assert [
        f"{path}:2: a group needs at least two different terms",
        f"{path}:3: term 'cmo' is already in the group at line 1: keep each term in one group",
        f"{path}:4: 'terms' must be a list of words or phrases",
    ] == found


def test_a_thesaurus_is_optional_and_its_groups_reach_the_store(content, tmp_path):
    from tui.build import build
    from tui.store import Store

    assert [] == problems_in(content)
    (content / "thesaurus.yaml").write_text(
        "- terms: [камкординг, camcording]\n  note: Film recording in cinemas.\n",
        encoding="utf-8",
    )
    build(content, tmp_path / "t.db")
    with Store.open(tmp_path / "t.db") as store:
        rows = store.query("SELECT term, folded, note FROM thesaurus ORDER BY id")
        assert [("камкординг", "камкординг"), ("camcording", "camcording")] == [
            (r["term"], r["folded"]) for r in rows
        ]
        from tui.search import find

        found = find(store, "камкординг")
        assert ["rc.camcording"] == [h.record.id for h in found.hits]
        assert "related terms: камкординг → camcording" == found.widened.message
