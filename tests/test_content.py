"""Parsing content files: front matter, sections, metadata, bodies and quotes."""

from pathlib import Path

from tui.content import load_corpus
from tui.dates import EventDate


def test_fixture_corpus_reads_without_problems(content: Path):
    corpus, problems = load_corpus(content)
    assert [] == problems
    assert ["ru-ai", "kz-ai", "ru-copyright"] == [r.id for r in corpus.regimes]
    assert {"news", "commentary", "iipa", "later-news"} == {s.id for s in corpus.sources}
    assert {"bill", "bill-earlier", "bill-revised", "kz-law", "report"} == {
        i.id for i in corpus.instruments
    }


def test_section_metadata_body_and_quotes_are_separated(content: Path):
    corpus, _ = load_corpus(content)
    [section] = [
        s for s in corpus.sections if s.id == "ru.labelling" and s.instrument == "bill-revised"
    ]
    assert "Labelling of AI-generated content" == section.heading
    assert "draft" == section.status
    assert ("labelling",) == section.topics
    # The body is the prose only: no YAML, no quote.
    assert (
        "Developers need only offer users the option to label AI-generated content." == section.body
    )
    [quote] = section.quotes
    assert "news" == quote.source
    assert "The new requirement is only to provide users with this option." == quote.text
    assert "news report" == section.evidence  # inherited from the instrument
    assert "news" == section.source


def test_lines_point_at_the_file(content: Path):
    corpus, _ = load_corpus(content)
    [section] = [s for s in corpus.sections if s.id == "rc.camcording"]
    lines = (content / "ru-copyright" / "report.md").read_text().split("\n")
    assert lines[section.line - 1].startswith("## Camcording")
    assert lines[section.line_of("topics") - 1].startswith("topics:")
    [link] = section.links
    assert lines[link.line - 1].startswith("  - to: ru.training")
    [quote] = section.quotes
    assert lines[quote.line - 1].startswith("> The total number")


def test_gap_and_dates(content: Path):
    corpus, _ = load_corpus(content)
    [kz] = [s for s in corpus.sections if s.id == "kz.art23"]
    assert (EventDate("in_force", "2026-01-18"),) == kz.dates
    assert "Art. 23" == kz.number
    [gap_section] = [s for s in corpus.sections if s.id == "rc.camcording"]
    assert "Criminal Code art. 146" == gap_section.gap.law
    assert "2017" == gap_section.gap.as_of


def test_a_source_may_be_described_without_its_text(content: Path):
    corpus, _ = load_corpus(content)
    [later] = [s for s in corpus.sources if s.id == "later-news"]
    assert ("", "2026-11-24", "https://example.org/ai-bill-duma") == (
        later.text,
        later.consulted,
        later.url,
    )


def test_claims_and_the_conflict_between_them(content: Path):
    corpus, _ = load_corpus(content)
    [training] = [s for s in corpus.sections if s.id == "ru.training"]
    assert ["news", "later-news"] == [c.source for c in training.claims]
    assert "fourth paragraph" == training.claims[1].pinpoint
    assert "Whether the bill still regulates training AI on copyrighted works." == training.conflict


def test_content_hash_changes_with_content(content: Path):
    first, _ = load_corpus(content)
    again, _ = load_corpus(content)
    assert first.content_hash == again.content_hash
    path = content / "kz-ai" / "law.md"
    path.write_text(path.read_text().replace("human creative", "human  creative", 1))
    changed, _ = load_corpus(content)
    assert first.content_hash != changed.content_hash


def test_readme_files_are_not_content(content: Path):
    (content / "README.md").write_text("# About this folder\n\nNot an instrument.\n")
    _, problems = load_corpus(content)
    assert [] == problems


def test_reading_in_worker_processes_gives_the_same_corpus(content: Path, monkeypatch):
    """A big corpus is read by several processes: records, problems and hash must not differ."""
    from tui import content as content_module

    broken = next(
        p
        for p in sorted(content.rglob("*.md"))
        if "sources" not in p.parts and p.name != "README.md"
    )
    broken.write_text(
        broken.read_text(encoding="utf-8") + "\n## \n\nno metadata\n", encoding="utf-8"
    )
    alone = load_corpus(content)
    monkeypatch.setattr(content_module, "PARALLEL_BYTES", 0)
    together = load_corpus(content)
    assert alone[1], "the broken file should report a problem"
    assert alone == together
