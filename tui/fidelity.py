"""Checks that records claim no more than their sources: status against dates, link direction,
pinpoints for statute text, and the sources each claim rests on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from tui import vocab
from tui.dates import EventDate, event_label
from tui.models import Corpus, Problem, Section, Source

Add = Callable[[Problem], None]

#: Link types whose direction can be checked: the statuses the linking record may have.
LINK_FROM = {
    "gap in": ("open gap",),
    "recommended reform of": ("recommended",),
}
#: What a "gap in" link may not point at: a record of an event or a report, not of a law.
NOT_A_LAW = ("reported", "commentary")


def check_fidelity(
    corpus: Corpus,
    sources: dict[str, Source],
    add: Add,
    statuses_outside: Mapping[str, frozenset[str]] | None = None,
    links_in: Iterable[tuple[str, int, str, str]] = (),
) -> None:
    """What each record claims rests on its sources.

    Args:
        statuses_outside: when `corpus` is part of the content, the statuses of the versions
            of the provisions outside it that its links name (see `tui.validate.Outside`);
        links_in: and the links from outside to its provisions, (path, line, target, type).
    """
    instruments = {i.id: i for i in corpus.instruments}
    # provision id -> the statuses of its versions
    statuses: dict[str, set[str]] = {k: set(v) for k, v in (statuses_outside or {}).items()}
    for section in corpus.sections:
        statuses.setdefault(section.id, set()).add(section.status)
    for inst in corpus.instruments:
        _status_rests_on_a_date(
            inst.status, inst.dates, inst.path, inst.line_of("status"), "instrument", add
        )
    for section in corpus.sections:
        inst = instruments.get(section.instrument)
        # A provision's own dates say more than its instrument's: an article may come later.
        own = [d for d in section.dates if "in_force" in d.event]
        dates = section.dates if own or inst is None else section.dates + inst.dates
        _status_rests_on_a_date(
            section.status, dates, section.path, section.line_of("status"), "provision", add
        )
        _links_point_the_right_way(section, statuses, add)
        _pinpoint_for_statute_text(section, add)
        _claims_rest_on_sources(section, sources, add)
        for quote in section.quotes:
            source = sources.get(quote.source)
            if source is not None and not source.text:
                add(
                    Problem(
                        section.path,
                        quote.line,
                        f"source {quote.source!r} has no stored text: quote only a stored source, "
                        "and put what this one says in your own words (a claim)",
                    )
                )
    for path, line, target, type_ in links_in:  # from records outside, read with it before
        if type_ == "gap in":
            _gap_is_in_a_law(path, line, target, statuses, add)


def _status_rests_on_a_date(
    status: str, dates: tuple[EventDate, ...], path: str, line: int, what: str, add: Add
) -> None:
    """ "In force" only where a source reports the entry into force as done, and "adopted" only
    where it reports some step as done: a schedule or an expectation is not enough."""
    if status == "in force":
        done = [d for d in dates if d.certain and "in_force" in d.event]
    elif status == "adopted":
        done = [d for d in dates if d.certain]
    else:
        return
    if done:
        return
    planned = [d for d in dates if not d.certain]
    if planned:
        first = min(planned, key=lambda d: d.date)
        why = f"its sources only say it is {first.kind} ({event_label(first.event)} {first.date})"
    else:
        why = "no date says when"
    add(
        Problem(
            path,
            line,
            f"{what} is marked {status!r}, but {why}: record the event a source reports as "
            "done, or mark it 'scheduled'",
        )
    )


def _links_point_the_right_way(section: Section, statuses: dict[str, set[str]], add: Add) -> None:
    for link in section.links:
        allowed = LINK_FROM.get(link.type)
        is_gap = link.type == "gap in" and section.gap is not None
        if allowed and section.status not in allowed and not is_gap:
            add(
                Problem(
                    section.path,
                    link.line,
                    f"a {link.type!r} link must come from a record with status "
                    f"{' or '.join(map(repr, allowed))} (this one is {section.status!r}): "
                    "put the link on the other record, or use another type",
                )
            )
        if link.type == "gap in":
            _gap_is_in_a_law(section.path, link.line, link.target, statuses, add)


def _gap_is_in_a_law(
    path: str, line: int, target: str, statuses: dict[str, set[str]], add: Add
) -> None:
    found = statuses.get(target)
    if found and found <= set(NOT_A_LAW):
        add(
            Problem(
                path,
                line,
                f"a 'gap in' link must point at the law the gap is in, not at a "
                f"{'/'.join(sorted(found))!r} record ({target!r})",
            )
        )


def _pinpoint_for_statute_text(section: Section, add: Add) -> None:
    if section.evidence in vocab.STATUTE_TEXT and not section.number:
        add(
            Problem(
                section.path,
                section.line,
                "a provision drawn from statute text needs its 'number' (article, clause): "
                "the pinpoint a reader cites",
            )
        )


def _claims_rest_on_sources(section: Section, sources: dict[str, Source], add: Add) -> None:
    for claim in section.claims:
        if claim.source not in sources:
            add(Problem(section.path, claim.line, f"claim names unknown source {claim.source!r}"))
    if section.conflict is not None:
        said_by = {c.source for c in section.claims}
        if len(said_by) < 2:
            add(
                Problem(
                    section.path,
                    section.line_of("conflict"),
                    "'conflict' needs the claims it is between: list each source's account "
                    "under 'claims' (two sources at least)",
                )
            )
