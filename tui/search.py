"""Turn anything a person types into a safe FTS5 query, and run it ranked by bm25."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui.records import ProvisionRecord
from tui.store import Store

#: Markers around matched words in a snippet (Markdown bold: readable as is, renders in the app).
MARK_OPEN = "**"
MARK_CLOSE = "**"
#: bm25 weights for number, heading, body and quotes (see schema.FTS_COLUMNS).
WEIGHTS = (4.0, 8.0, 1.0, 1.5)
MAX_TERMS = 32
MAX_INPUT = 2000

_FILTER = re.compile(
    r'(?<!\S)(?P<key>regime|topic|status|jurisdiction|in):(?P<value>"[^"]*"?|\S+)', re.I
)
_PHRASE = re.compile(r'"([^"]*)("?)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Query:
    """A parsed search: the FTS5 MATCH expression (empty: no text) and the filters typed."""

    match: str
    terms: tuple[str, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.match and not self.filters


@dataclass(frozen=True)
class Hit:
    record: ProvisionRecord
    rank: float | None
    snippet: str


def parse(text: str) -> Query:
    """Parse search text: words (the last one a prefix while it is being typed), "phrases" and
    `regime:` `topic:` `status:` `jurisdiction:` filters. Never raises; anything else is ignored."""
    text = (text or "")[:MAX_INPUT]
    filters: dict[str, str] = {}

    def take_filter(m: re.Match[str]) -> str:
        key = m["key"].lower()
        key = "regime" if key == "in" else key
        value = m["value"].strip('"').strip()
        if value:
            filters[key] = value
        return " "

    rest = _FILTER.sub(take_filter, text)
    parts: list[str] = []
    terms: list[str] = []

    def add_words(chunk: str) -> list[str]:
        words = _WORD.findall(chunk)
        parts.extend(f'"{word}"' for word in words)
        terms.extend(words)
        return words

    pos = 0
    for m in _PHRASE.finditer(rest):
        add_words(rest[pos : m.start()])
        phrase = _WORD.findall(m[1])
        if phrase:
            parts.append('"' + " ".join(phrase) + '"')
            terms.extend(phrase)
        pos = m.end()
    tail = rest[pos:]
    words = add_words(tail)
    parts = parts[:MAX_TERMS]
    # The word under the cursor is still being typed: match it as a prefix.
    if words and re.search(r"\w$", tail) and parts[-1] == f'"{words[-1]}"':
        parts[-1] += "*"
    return Query(" ".join(parts), tuple(terms[:MAX_TERMS]), filters)


def search(
    store: Store,
    text: str,
    *,
    limit: int = 20,
    regime: str | None = None,
    topic: str | None = None,
    status: str | None = None,
    jurisdiction: str | None = None,
) -> list[Hit]:
    """Ranked full-text search. Filters given as arguments win over ones typed in `text`."""
    query = parse(text)
    filters = dict(query.filters)
    for key, value in (
        ("regime", regime),
        ("topic", topic),
        ("status", status),
        ("jurisdiction", jurisdiction),
    ):
        if value:
            filters[key] = value
    if not query.match and not filters:
        return []
    where, params = _filter_sql(store, filters)
    params["limit"] = max(0, int(limit))
    if query.match:
        weights = ", ".join(str(w) for w in WEIGHTS)
        sql = (
            f"SELECT p.id, bm25(provisions_fts, {weights}) AS rank, "
            f"snippet(provisions_fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 16) AS snippet "
            "FROM provisions_fts JOIN provisions p ON p.rowid = provisions_fts.rowid "
            f"WHERE provisions_fts MATCH :match {where} ORDER BY rank LIMIT :limit"
        )
        params["match"] = query.match
    else:
        sql = f"SELECT p.id, NULL AS rank, '' AS snippet FROM provisions p WHERE 1 {where} ORDER BY p.position LIMIT :limit"
    rows = store.query(sql, params)
    return [Hit(store.provision(r["id"]), r["rank"], r["snippet"]) for r in rows]


def _filter_sql(store: Store, filters: dict[str, str]) -> tuple[str, dict]:
    clauses: list[str] = []
    params: dict = {}
    if "regime" in filters:
        # "kz" finds kz-ai; "ru" finds both Russian regimes.
        params["regime"] = filters["regime"].lower()
        params["regime_prefix"] = _like_prefix(params["regime"])
        clauses.append("(p.regime = :regime OR p.regime LIKE :regime_prefix ESCAPE '\\')")
    if "jurisdiction" in filters:
        params["jurisdiction"] = filters["jurisdiction"].upper()
        clauses.append("p.jurisdiction = :jurisdiction")
    if "status" in filters:
        params["status"] = re.sub(r"[-_]+", " ", filters["status"]).lower()
        clauses.append("p.status = :status")
    if "topic" in filters:
        topics = store.topic_ids_under(filters["topic"].lower())
        marks = []
        for i, topic in enumerate(topics):
            params[f"topic{i}"] = topic
            marks.append(f":topic{i}")
        clauses.append(
            f"p.id IN (SELECT provision_id FROM provision_topics WHERE topic_id IN ({', '.join(marks) or 'NULL'}))"
        )
    return "".join(f" AND {c}" for c in clauses), params


def _like_prefix(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "-%"
