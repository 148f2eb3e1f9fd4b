"""Cross-record checks on a corpus: ids, references, version chains and verbatim quotes."""

from __future__ import annotations

import contextlib
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tui import textnorm, thesaurus, vocab
from tui.content import load_corpus
from tui.fidelity import check_fidelity
from tui.models import Corpus, Instrument, Problem, Section
from tui.progress import Progress, quiet

#: Where a check puts each problem it finds.
Add = Callable[[Problem], None]


@dataclass(frozen=True)
class Outside:
    """What the checks of part of a corpus must know of the rest (an incremental build checks
    only the files it re-reads; the rest, unchanged, was checked when it was built).

    The part holds whole families of versions, so a provision id is in the part or outside it.
    Nothing outside needs checking against silences: they are in topics.yaml, and a change to it
    is built in full.
    """

    #: ids of the instruments outside
    instruments: frozenset[str] = frozenset()
    #: provision ids outside that the part names (its own ids and its links' targets), each
    #: with the statuses of its versions
    provisions: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the links from outside to provisions the part had or has, as `Problem`-ready places:
    #: (path, line, target, type)
    links_in: tuple[tuple[str, int, str, str], ...] = ()


@dataclass(frozen=True)
class Family:
    """An instrument that has versions, and those versions oldest first."""

    parent: str
    versions: tuple[Instrument, ...]


def check_folder(root: Path, progress: Progress = quiet) -> tuple[Corpus, list[Problem]]:
    """Read and check a content folder; the problems come sorted by file and line."""
    with gc_paused():
        corpus, problems = load_corpus(root, progress)
        progress("checking across files", 0, 1)
        problems = problems + check(corpus)
        progress("checking across files", 1, 1)
    return corpus, sorted_problems(problems)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, by file and line."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: a corpus is millions of new objects, none of them in
    a cycle, and the collector would walk them over and over as they are made (2.4 s of a
    100,000-provision build). Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(corpus: Corpus, outside: Outside | None = None) -> list[Problem]:
    """What reading each file alone cannot see: ids, references between records, version
    chains, quotes against their sources, and what the records claim.

    Args:
        outside: when `corpus` is part of the content, what the checks need of the rest.
    """
    outside = outside or Outside()
    problems: list[Problem] = []
    add = problems.append
    regimes = _unique(corpus.regimes, "regime", add)
    topics = _unique(corpus.topics, "topic", add)
    sources = _unique(corpus.sources, "source", add)
    instruments = _unique(corpus.instruments, "instrument", add)
    for inst in corpus.instruments:
        if inst.id in outside.instruments:
            add(Problem(inst.path, inst.line, f"duplicate instrument id {inst.id!r}"))
    if not corpus.regimes and corpus.files:
        add(Problem("regimes.yaml", 1, "no regimes defined"))
    _check_topics(corpus, topics, regimes, add)
    _check_instruments(corpus, regimes, sources, add)
    families, family_problems = version_families(corpus, instruments)
    problems.extend(family_problems)
    provisions = _check_provision_ids(corpus, instruments, families, add, outside)
    _check_section_references(corpus, topics, sources, add)
    _check_links(corpus, provisions | outside.provisions.keys(), add)
    _check_links_in(outside, provisions, add)
    _check_quotes(corpus, sources, add)
    _check_silences(corpus, instruments, add)
    check_fidelity(corpus, sources, add, outside.provisions, outside.links_in)
    problems.extend(thesaurus.check(corpus.thesaurus))
    return problems


def _unique(records: Iterable, what: str, add: Add) -> dict:
    """The records by id; a second record with the same id is a problem."""
    seen: dict = {}
    for record in records:
        if record.id in seen:
            first = seen[record.id]
            message = f"duplicate {what} id {record.id!r} (first at {first.path}:{first.line})"
            add(Problem(record.path, record.line, message))
        else:
            seen[record.id] = record
    return seen


def _check_instruments(corpus: Corpus, regimes: dict, sources: dict, add: Add) -> None:
    """Each instrument is in a known regime of its jurisdiction and rests on a known source."""
    for inst in corpus.instruments:
        regime = regimes.get(inst.regime)
        if regime is None:
            add(Problem(inst.path, inst.line_of("regime"), f"unknown regime {inst.regime!r}"))
        elif regime.jurisdiction != inst.jurisdiction:
            add(
                Problem(
                    inst.path,
                    inst.line_of("jurisdiction"),
                    f"jurisdiction {inst.jurisdiction!r} does not match regime {inst.regime!r} ({regime.jurisdiction})",
                )
            )
        if inst.source and inst.source not in sources:
            add(Problem(inst.path, inst.line_of("source"), f"unknown source {inst.source!r}"))
        if not inst.source:
            add(
                Problem(
                    inst.path,
                    inst.line,
                    "instrument names no 'source': say which document its content comes from",
                )
            )
        if not inst.evidence:
            add(
                Problem(
                    inst.path,
                    inst.line,
                    "instrument has no 'evidence' kind: " + ", ".join(vocab.EVIDENCE_KINDS),
                )
            )


def _check_section_references(corpus: Corpus, topics: dict, sources: dict, add: Add) -> None:
    """A provision's topics and source exist."""
    for section in corpus.sections:
        for topic in section.topics:
            if topic not in topics:
                add(Problem(section.path, section.line_of("topics"), f"unknown topic {topic!r}"))
        if section.source and section.source not in sources:
            line = section.line_of("source")
            add(Problem(section.path, line, f"unknown source {section.source!r}"))


def _check_links(corpus: Corpus, provisions: set[str], add: Add) -> None:
    """A link points at another provision that exists."""
    for section in corpus.sections:
        for link in section.links:
            if link.target not in provisions:
                add(Problem(section.path, link.line, f"link to unknown provision {link.target!r}"))
            elif link.target == section.id:
                add(Problem(section.path, link.line, "a provision cannot link to itself"))


def _check_links_in(outside: Outside, provisions: set[str], add: Add) -> None:
    """A link from outside still finds its target."""
    for path, line, target, _type in outside.links_in:
        if target not in provisions:
            add(Problem(path, line, f"link to unknown provision {target!r}"))


def _check_quotes(corpus: Corpus, sources: dict, add: Add) -> None:
    """A quote names a known source and is found in its text, word for word."""
    for section in corpus.sections:
        for quote in section.quotes:
            source = sources.get(quote.source)
            if source is None:
                message = f"quote names unknown source {quote.source!r}"
            elif not textnorm.contains(quote.text, source.text):
                message = f"quote not found verbatim in source {quote.source!r}: copy it exactly from {source.path}"
            else:
                continue
            add(Problem(section.path, quote.line, message))


def _check_topics(corpus: Corpus, topics: dict, regimes: dict, add: Add) -> None:
    for topic in corpus.topics:
        if topic.parent is not None and topic.parent not in topics:
            add(
                Problem(
                    topic.path,
                    topic.line,
                    f"topic {topic.id!r} has unknown parent {topic.parent!r}",
                )
            )
        for regime, _note in topic.silent:
            if regime not in regimes:
                add(
                    Problem(
                        topic.path,
                        topic.line,
                        f"topic {topic.id!r} is marked silent in unknown regime {regime!r}",
                    )
                )
        seen = {topic.id}
        parent = topic.parent
        while parent in topics:
            if parent in seen:
                add(
                    Problem(
                        topic.path,
                        topic.line,
                        f"topic {topic.id!r} is its own ancestor: its parents loop",
                    )
                )
                break
            seen.add(parent)
            parent = topics[parent].parent


def _check_silences(corpus: Corpus, instruments: dict, add: Add) -> None:
    spoken: set[tuple[str, str]] = set()
    for section in corpus.sections:
        inst = instruments.get(section.instrument)
        if inst is not None:
            spoken.update((inst.regime, topic) for topic in section.topics)
    for topic in corpus.topics:
        for regime, _note in topic.silent:
            if (regime, topic.id) in spoken:
                add(
                    Problem(
                        topic.path,
                        topic.line,
                        f"topic {topic.id!r} is marked silent in {regime!r}, but {regime!r} has provisions on it",
                    )
                )


def version_families(
    corpus: Corpus, instruments: dict | None = None
) -> tuple[dict[str, Family], list[Problem]]:
    """Group the instruments that are versions of another into chains, oldest first."""
    if instruments is None:
        instruments = {inst.id: inst for inst in corpus.instruments}
    problems: list[Problem] = []
    families: dict[str, Family] = {}
    for parent, versions in _family_members(instruments, problems.append).items():
        chain = _version_chain(parent, versions, problems.append)
        if chain is not None:
            families[parent] = Family(parent, chain)
    return families, problems


def _family_members(instruments: dict, add: Add) -> dict[str, list[Instrument]]:
    """The versions of each instrument that has any; a version of a version is a problem."""
    members: dict[str, list[Instrument]] = defaultdict(list)
    for inst in instruments.values():
        if inst.version_of is None:
            continue
        if inst.version_of not in instruments:
            message = f"'version_of' names unknown instrument {inst.version_of!r}"
        elif instruments[inst.version_of].version_of is not None:
            message = (
                f"{inst.version_of!r} is itself a version: name the instrument it is a version of"
            )
        else:
            members[inst.version_of].append(inst)
            continue
        add(Problem(inst.path, inst.line_of("version_of"), message))
    return members


def _version_chain(
    parent: str, versions: list[Instrument], add: Add
) -> tuple[Instrument, ...] | None:
    """The versions of `parent` in order, each superseding the one before; None if they do not
    form one such chain (labels used twice, forks, loops, strangers), with the problems."""
    successor = _successors(parent, versions, add)
    if successor is None:
        return None
    roots = [v for v in versions if v.supersedes is None]
    if len(roots) != 1:
        first = versions[0]
        if roots:
            names = ", ".join(sorted(r.id for r in roots))
            message = f"version chain of {parent!r} forks: {names} each start a chain"
        else:
            message = f"version chain of {parent!r} loops: every version supersedes another"
        add(Problem(first.path, first.line, message))
        return None
    chain = [roots[0]]
    while chain[-1].id in successor and len(chain) <= len(versions):
        chain.append(successor[chain[-1].id])
    if len(chain) != len(versions):
        stray = sorted({v.id for v in versions} - {c.id for c in chain})
        first = next(v for v in versions if v.id == stray[0])
        message = f"version chain of {parent!r} loops through {', '.join(stray)}"
        add(Problem(first.path, first.line, message))
        return None
    return tuple(chain)


def _successors(parent: str, versions: list[Instrument], add: Add) -> dict[str, Instrument] | None:
    """Which version supersedes which; None (with the problems) if a label is used twice or
    `supersedes` names a stranger or forks."""
    by_id = {v.id: v for v in versions}
    labels: dict[str, Instrument] = {}
    successor: dict[str, Instrument] = {}
    broken = False
    for v in versions:
        if v.version in labels:
            message = f"version label {v.version!r} is used twice for {parent!r} (also {labels[v.version].path})"
            add(Problem(v.path, v.line_of("version"), message))
            broken = True
        labels[v.version] = v
        if v.supersedes is None:
            continue
        if v.supersedes not in by_id:
            message = f"'supersedes' names {v.supersedes!r}, which is not a version of {parent!r}"
        elif v.supersedes in successor:
            other = successor[v.supersedes]
            message = f"version chain of {parent!r} forks: {v.id!r} and {other.id!r} both supersede {v.supersedes!r}"
        else:
            successor[v.supersedes] = v
            continue
        add(Problem(v.path, v.line_of("supersedes"), message))
        broken = True
    return None if broken else successor


def _check_provision_ids(
    corpus: Corpus,
    instruments: dict,
    families: dict[str, Family],
    add: Add,
    outside: Outside,
) -> set[str]:
    """Each provision id once per family of versions (or once, if unversioned), and not outside."""
    family_of = {v.id: f.parent for f in families.values() for v in f.versions}
    seen: dict[tuple[str, str], Section] = {}  # (scope, id) -> first section
    scope_of_id: dict[str, tuple[str, Section]] = {}
    for section in corpus.sections:
        scope = family_of.get(section.instrument, section.instrument)
        key = (section.instrument, section.id)
        first = seen.get(key)
        if first is None and section.id in scope_of_id and scope_of_id[section.id][0] != scope:
            first = scope_of_id[section.id][1]
        if first is not None:
            message = f"duplicate provision id {section.id!r} (first at {first.path}:{first.line})"
            add(Problem(section.path, section.line_of("id"), message))
            continue
        if section.id in outside.provisions:
            message = f"duplicate provision id {section.id!r} (also in another file)"
            add(Problem(section.path, section.line_of("id"), message))
            continue
        seen[key] = section
        scope_of_id.setdefault(section.id, (scope, section))

    by_instrument: dict[str, dict[str, Section]] = defaultdict(dict)
    for section in corpus.sections:
        by_instrument[section.instrument].setdefault(section.id, section)
    for family in families.values():
        for older, newer in zip(family.versions, family.versions[1:], strict=False):
            for pid, section in by_instrument[older.id].items():
                if pid not in by_instrument[newer.id] and section.status != vocab.DELETED:
                    add(
                        Problem(
                            section.path,
                            section.line,
                            f"provision {pid!r} is missing from the next version {newer.id!r}: add it there, with status '{vocab.DELETED}' if the revision dropped it",
                        )
                    )
    return set(scope_of_id)
