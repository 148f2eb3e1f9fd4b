"""An incremental build: only changed instrument files are read again, checked against the rest,
and the store is what a full build writes; anything it cannot vouch for goes to a full build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, rows, sqlite_file
from tui import incremental
from tui.build import BuildFailed, build
from tui.schema import TABLES
from tui.validate import check_folder

NEW_PROVISION = """
## A provision added later

```yaml
id: kz-ai.added-later
status: in force
topics: [ai-liability, ai-infrastructure]
source: qazinform-signing
evidence: news report
pinpoint: ninth paragraph
links:
  - to: ru-ai.liability
    type: contrasts with
    note: Added to see an incremental build place it.
```

A record added after the store was built, in the project's own words.
"""


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the real content, and its store built in full beside it (paths as typed there)."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO / "content", tmp_path / "content")
    build(Path("content"), Path("data.db"), full=True)
    return tmp_path / "content"


def assert_same_store(patched: Path, whole: Path) -> None:
    """Every row of every table alike (row ids of links, quotes and claims aside, and the build
    time), and the same index: every word of it, in every provision, at every place."""
    for table, (columns, pk, _) in TABLES.items():
        names = [c for c in columns if not (c == "id" and pk == "id" and columns[c] is int)]
        if table == "provisions":
            names.insert(0, "rowid")
        sql = f"SELECT {', '.join(f'[{n}]' for n in names)} FROM [{table}]"
        if table == "meta":
            sql += " WHERE key != 'built_at'"
        assert sorted(rows(patched, sql), key=repr) == sorted(rows(whole, sql), key=repr), table
    vocab = (
        "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, provisions_fts, instance)",
        "SELECT * FROM temp.v",
    )
    sqlite_file(patched, "INSERT INTO provisions_fts (provisions_fts) VALUES ('integrity-check')")
    assert rows(patched, *vocab) == rows(whole, *vocab)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def built_in_full(tmp_path: Path) -> Path:
    whole = tmp_path / "whole.db"
    build(Path("content"), whole, full=True)
    return whole


AI_LAW = "kz-ai/ai-law.md"
EARLIER = "ru-ai/earlier-draft.md"
IIPA = "ru-copyright/iipa-2017.md"
GAP_IN = "  - to: ru-copyright.reforms-2013-2014\n    type: gap in\n"
GAP_IN_FINES = "    note: As before.\n  - to: kz-ai.labelling-fines\n    type: gap in\n"


@pytest.mark.parametrize(
    ("path", "old", "new", "reread"),
    [
        # a body reworded
        (AI_LAW, "the legal basis for a", "the legal footing for a", 1),
        # a provision added at the end, linking to another regime
        (AI_LAW, "or the numbers of the accompanying laws.", "or the numbers of the accompanying laws.\n" + NEW_PROVISION, 1),
        # the only provision of its regime and status on its topics: their counts go
        (AI_LAW, "id: kz-ai.legislative-path\nstatus: adopted", "id: kz-ai.legislative-path\nstatus: reported", 1),
        # a version's status and topics changed: its family (three files) is read again
        (EARLIER, "status: superseded\ntopics: [ai-liability]", "status: superseded\ntopics: [ai-liability, definitions]", 3),
    ],
    ids=["reworded", "added", "status", "version"],
)  # fmt: skip
def test_a_changed_file_is_read_again_alone_and_the_store_is_what_a_full_build_writes(
    corpus: Path, tmp_path: Path, path: str, old: str, new: str, reread: int
):
    edit(corpus / path, old, new)
    result = build(Path("content"), Path("data.db"))
    assert reread == result.reread
    assert_same_store(tmp_path / "data.db", built_in_full(tmp_path))


def test_a_provision_taken_out_goes_from_every_table_and_the_index(corpus: Path, tmp_path: Path):
    law = corpus / AI_LAW
    text = law.read_text(encoding="utf-8")
    start = text.index("## Prompts")
    law.write_text(text[:start] + text[text.index("## The authorized body") :], encoding="utf-8")
    before = rows(tmp_path / "data.db", "SELECT count(*) FROM provisions")[0][0]
    assert 1 == build(Path("content"), Path("data.db")).reread
    assert [(before - 1,)] == rows(tmp_path / "data.db", "SELECT count(*) FROM provisions")
    assert_same_store(tmp_path / "data.db", built_in_full(tmp_path))


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        # another file links to it: the link is left pointing at nothing
        (AI_LAW, "id: kz-ai.entry-into-force\n", "id: kz-ai.in-force\n"),
        # a version the next version lacks
        ("ru-ai/revised-draft.md", "id: ru-ai.data-centres", "id: ru-ai.data-centres-renamed"),
        # an id another file holds
        (AI_LAW, "id: kz-ai.national-platform", "id: ru-copyright.camcording"),
        # a topic marked silent in this regime
        (AI_LAW, "topics: [ai-infrastructure, domestic-support]", "topics: [ai-infrastructure, foreign-models]"),
        # a quote not in its source
        (EARLIER, "Various proposals to hold AI service providers", "Several proposals to hold AI service providers"),
        # a link to a provision of another regime that does not exist
        (AI_LAW, "  - to: ru-ai.domestic-support", "  - to: ru-ai.no-such-thing"),
        # a gap said to be in a provision of another file that is not a law (a report)
        (IIPA, GAP_IN, GAP_IN + GAP_IN_FINES),
        # another file's instrument id
        (AI_LAW, "id: kz-ai-law\n", "id: ru-ai-bill-earlier\n"),
    ],
    ids=[
        "dangling-link-in", "version-lacking", "duplicate-id", "silence", "quote",
        "unknown-target", "gap-in-a-report", "duplicate-instrument",
    ],
)  # fmt: skip
def test_a_changed_file_with_problems_fails_as_check_says_and_keeps_the_store(
    corpus: Path, tmp_path: Path, path: str, old: str, new: str
):
    edit(corpus / path, old, new)
    db = tmp_path / "data.db"
    before = db.read_bytes()
    _, expected = check_folder(Path("content"))
    assert expected, "the edit makes a problem"
    found = incremental.changes(Path("content"), db)
    with pytest.raises(incremental.NotIncremental, match="have problems"):  # seen, not stumbled on
        incremental.patch(Path("content"), db, tmp_path / "new.db", found)
    with pytest.raises(BuildFailed) as failed:
        build(Path("content"), db)
    assert expected == failed.value.problems
    assert before == db.read_bytes()


def test_a_change_to_what_every_record_rests_on_reads_every_file(corpus: Path, tmp_path: Path):
    edit(corpus / "topics.yaml", "- id: ai-regulation", "- id: ai-regulation\n  # a comment")
    result = build(Path("content"), Path("data.db"))
    assert result.reread is None
    assert "topics.yaml changed" in result.full_because


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("UPDATE meta SET value = 'x' WHERE key = 'build_code'", "another version of lexpane"),
        ("DELETE FROM files WHERE path = 'regimes.yaml'", "added to content/ or taken away"),
        ("DROP TABLE files", "cannot be read"),
        ("ALTER TABLE sources ADD COLUMN extra", "cannot be patched"),
    ],
    ids=["other-code", "file-list", "no-files-table", "changed-by-hand"],
)
def test_a_store_an_incremental_build_cannot_vouch_for_is_built_in_full(
    corpus: Path, tmp_path: Path, sql: str, why: str
):
    db = sqlite_file(tmp_path / "data.db", sql)
    edit(corpus / AI_LAW, "the legal basis for a", "the legal footing for a")
    result = build(Path("content"), db)
    assert result.reread is None
    assert why in result.full_because
    assert_same_store(db, built_in_full(tmp_path))


def test_nothing_changed_writes_nothing(corpus: Path, tmp_path: Path):
    db = tmp_path / "data.db"
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    result = build(Path("content"), db)
    assert 0 == result.reread
    assert before == (db.read_bytes(), db.stat().st_mtime_ns)
    assert [(result.provisions,)] == rows(db, "SELECT count(*) FROM provisions")


def test_a_file_moved_to_another_regime_is_left_to_a_full_build(corpus: Path, tmp_path: Path):
    # Positions follow (regime, file): only a full build can give the file its new place.
    edit(corpus / "ru-copyright" / "iipa-2017.md", "regime: ru-copyright", "regime: ru-ai")
    found = incremental.changes(Path("content"), Path("data.db"))
    assert ("ru-copyright/iipa-2017.md",) == found.changed
    with pytest.raises(incremental.NotIncremental, match="moved to another regime"):
        incremental.patch(Path("content"), Path("data.db"), tmp_path / "new.db", found)


def test_a_gap_from_another_file_left_in_a_record_that_is_no_law_fails(tmp_path: Path, monkeypatch):
    """The other way round: the file with the gap is not read again, the one it points at is."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO / "content", "content")
    gap = GAP_IN + GAP_IN_FINES.replace("labelling-fines", "training-opt-out")
    edit(Path("content") / IIPA, GAP_IN, gap)
    build(Path("content"), Path("data.db"), full=True)
    edit(
        Path("content") / AI_LAW,
        "id: kz-ai.training-opt-out\nstatus: in force",
        "id: kz-ai.training-opt-out\nstatus: commentary",
    )
    found = incremental.changes(Path("content"), Path("data.db"))
    with pytest.raises(incremental.NotIncremental, match="have problems"):
        incremental.patch(Path("content"), Path("data.db"), tmp_path / "new.db", found)
    _, expected = check_folder(Path("content"))
    assert any("'gap in' link" in p.message for p in expected)


def test_content_read_from_another_folder_is_built_in_full(
    corpus: Path, tmp_path: Path, monkeypatch
):
    # The records keep paths as typed from where the build ran: from elsewhere, all would change.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = build(corpus, tmp_path / "data.db")
    assert result.reread is None
    assert "another place" in result.full_because


def test_the_build_command_says_what_it_read(corpus: Path, cli):
    args = ("build", "--content", "content", "--db", "data.db")
    code, out, _ = cli(*args)
    assert 0 == code and out.rstrip().endswith(" links (no file changed; nothing written)"), out
    edit(corpus / AI_LAW, "the legal basis for a", "the legal footing for a")
    code, out, _ = cli(*args)
    assert 0 == code and out.rstrip().endswith(" links (1 file(s) read again)"), out
    code, out, _ = cli(*args, "--full")
    assert 0 == code and out.rstrip().endswith(" links (every file read)"), out


def test_a_file_turned_into_a_fifo_is_said_not_waited_for(corpus: Path, tmp_path: Path):
    import os

    law = corpus / AI_LAW
    law.unlink()
    os.mkfifo(law)
    with pytest.raises(BuildFailed) as failed:
        build(Path("content"), Path("data.db"))
    _, expected = check_folder(Path("content"))
    assert expected == failed.value.problems
    assert "content/kz-ai/ai-law.md" == expected[0].path
