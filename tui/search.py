"""Turn anything a person types into a safe FTS5 query, and run it ranked by bm25."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui import vocab
from tui.records import ProvisionSummary
from tui.schema import FTS_COLUMNS, FTS_PREFIXES
from tui.snippets import MARK_CLOSE, MARK_OPEN
from tui.store import SUMMARY_COLUMNS, Store, summary
from tui.widen import THIN, Widening, widenings

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
    #: The word being typed, matched as a prefix (None: the text ends in a space, quote or filter).
    prefix: str | None = None
    #: The AND-ed parts of `match`, each a quoted phrase (the last with `*` if it is the prefix).
    parts: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.match and not self.filters


@dataclass(frozen=True)
class Hit:
    """One provision found: its list row (`Store.provision` gives the full record)."""

    record: ProvisionSummary
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
    # A filter typed last ("transpar regime:kz") leaves the word before it being typed.
    filters_typed = list(_FILTER.finditer(text))
    if filters_typed and filters_typed[-1].end() == len(text):
        tail = tail.rstrip()
    words = add_words(tail)
    parts = parts[:MAX_TERMS]
    # The word under the cursor is still being typed: match it as a prefix.
    prefix = None
    if words and re.search(r"\w$", tail) and parts[-1] == f'"{words[-1]}"':
        parts[-1] += "*"
        prefix = words[-1]
    return Query(" ".join(parts), tuple(terms[:MAX_TERMS]), filters, prefix, tuple(parts))


#: The longest half-typed word FTS5 finds in a prefix index of its own (schema.FTS_PREFIXES).
LONGEST_PREFIX = max(int(n) for n in FTS_PREFIXES.split())
#: Half-typed words that the index's tokenizer (unicode61, remove_diacritics 2) only lowers, as
#: Python does: ASCII letters and digits, and Cyrillic letters other than ё and й.
_PLAIN_WORD = re.compile(r"[a-z0-9]+|[а-ик-я]+")


def match_of(store: Store, query: Query) -> str:
    """The FTS5 expression `find` runs for `query`: its `match`, except that a half-typed word
    longer than the prefix indexes that begins one word of the index alone is searched as that
    word ("liabilit" as "liability"). That finds the same provisions, ranked and cut into
    snippets the same; for a half-typed word FTS5 merges the lists of every word it begins, and
    bm25 merges them again (at 100,000 provisions, "criminal liabilit" took 15 ms as typed and
    12 as two words).

    A word that begins several is left as typed: searched as those words, OR-ed, bm25 weighs each
    by its own rarity, and rarer forms then ranked above a heading that holds the common one
    ("enfor" put "Enforcement decline" third, not first)."""
    prefix = (query.prefix or "").lower()
    if len(prefix) <= LONGEST_PREFIX or not _PLAIN_WORD.fullmatch(prefix):
        return query.match
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    words = store.query(
        "SELECT term FROM terms WHERE term >= ? AND term < ? LIMIT 2", (prefix, end)
    )
    if len(words) != 1:
        return query.match
    return " ".join([*query.parts[:-1], f'"{words[0][0]}"'])


#: How many matches are ranked one by one. bm25 costs about a microsecond a match; beyond this a
#: query is too broad for ranking every match to be worth the wait (see `find`).
RANK_ALL_LIMIT = 6000

#: A widened query ORs many words and forms, and bm25 pays for each of them on every match: it
#: ranks every match only up to WIDENED_RANK_LIMIT matches, its heading matches first up to
#: WIDENED_HEADING_LIMIT, and beyond that lists matches in corpus order (measured at 100,000
#: provisions with `python -m tui.bench`).
WIDENED_RANK_LIMIT = 300
WIDENED_HEADING_LIMIT = 1500

#: How `find` ordered its hits.
RANKED = "ranked"  #: every match ranked by bm25
HEADINGS_FIRST = "headings first"  #: matches in a heading or number ranked; the rest after them
IN_ORDER = "in corpus order"  #: too many matches to rank: the first ones in corpus order


@dataclass(frozen=True)
class Found:
    """What a search found: the hits, how many provisions match, and how the hits were ordered."""

    hits: list[Hit]
    #: Provisions matching; counting stops past RANK_ALL_LIMIT (see `more`).
    matches: int
    ordering: str
    #: How the query was widened when it found nothing, or little, as typed (None: it was not);
    #: the hits it added come after the exact ones.
    widened: Widening | None = None
    #: How many of the hits matched as typed (the widened ones follow them).
    exact: int = 0

    def __post_init__(self) -> None:
        if self.widened is None:
            object.__setattr__(self, "exact", len(self.hits))

    @property
    def more(self) -> bool:
        """True if more provisions match than were counted (RANK_ALL_LIMIT)."""
        return self.matches > RANK_ALL_LIMIT


def search(store: Store, text: str, **options) -> list[Hit]:
    """Ranked full-text search: the hits of `find` (same arguments)."""
    return find(store, text, **options).hits


def find(
    store: Store,
    text: str,
    *,
    limit: int = 20,
    regime: str | None = None,
    topic: str | None = None,
    status: str | None = None,
    jurisdiction: str | None = None,
    widen: bool = True,
) -> Found:
    """Full-text search that stays fast however many provisions match.

    Matches are counted first, up to RANK_ALL_LIMIT. Up to that many, every match is ranked by
    bm25. A broader query (a common word, a short prefix) ranks only the matches in a heading or
    number, which bm25 weighs most, and lists the others after them; if even those are too many
    (a one-letter prefix), the first matches are listed in corpus order until more is typed.

    When fewer than `widen.THIN` provisions match as typed (and `widen`), the query is widened
    (word forms, spellings, the thesaurus, typos, then any of the words; see `tui.widen`) and the
    hits it adds are listed after the exact ones.
    """
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
        return Found([], 0, RANKED)
    conditions, params = _filter_sql(store, filters)
    # The unary + keeps SQLite from handing the rowid sets to FTS5 as lookups, one per rowid.
    where = conditions.format(rowid="+provisions_fts.rowid")
    limit = max(0, int(limit))
    if not query.match:
        rows = store.query(
            f"SELECT {SUMMARY_COLUMNS}, NULL AS rank, '' AS snippet FROM provisions p "
            f"WHERE 1 {conditions.format(rowid='p.rowid')} "
            "ORDER BY p.position LIMIT :limit",
            {**params, "limit": limit},
        )
        hits = _hits(rows)
        return Found(hits, len(hits), RANKED)

    def count(match: str, filtered: bool = True) -> int:
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM provisions_fts WHERE provisions_fts MATCH :match "
            f"{where if filtered else ''} LIMIT :cap)"
        )
        values = {**params, "match": match} if filtered else {"match": match}
        return store.query(sql, {**values, "cap": RANK_ALL_LIMIT + 1})[0][0]

    def fetch(
        match: str, ranked: bool, n: int, exclude: tuple[str, ...] = (), column: int = -1
    ) -> list[Hit]:
        extra: dict = {"match": match, "limit": n}
        skip = ""
        if exclude:
            marks = ", ".join(f":x{i}" for i in range(len(exclude)))
            skip = (
                " AND +provisions_fts.rowid NOT IN "
                f"(SELECT rowid FROM provisions WHERE id IN ({marks}))"
            )
            extra.update({f"x{i}": pid for i, pid in enumerate(exclude)})
        snippet = (
            f"snippet(provisions_fts, {column}, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 16) AS snippet"
        )
        if not ranked:  # rowids follow corpus order
            sql = (
                f"SELECT {SUMMARY_COLUMNS}, NULL AS rank, {snippet} {_FROM_FTS} {where}{skip} "
                "ORDER BY provisions_fts.rowid LIMIT :limit"
            )
            return _hits(store.query(sql, {**params, **extra}))
        # Ranked in the index alone, then joined and cut into snippets for the rows shown only:
        # 20-30% quicker than FTS5's `rank` column, whose sort runs a statement of its own. The
        # rows shown are picked out of the matches (the unary +): looked up one by one, each
        # lookup would read a half-typed word's list again.
        weights = ", ".join(str(w) for w in WEIGHTS)
        best = store.query(
            f"SELECT provisions_fts.rowid, bm25(provisions_fts, {weights}) FROM provisions_fts "
            f"WHERE provisions_fts MATCH :match {where}{skip} ORDER BY 2, 1 LIMIT :limit",
            {**params, **extra},
        )
        if not best:
            return []
        ranks = dict(tuple(r) for r in best)
        rowids = ", ".join(str(rowid) for rowid in ranks)
        rows = store.query(
            f"SELECT provisions_fts.rowid AS rowid, {SUMMARY_COLUMNS}, NULL AS rank, {snippet} "
            f"{_FROM_FTS} AND +provisions_fts.rowid IN ({rowids})",
            {"match": match},
        )
        order = {rowid: i for i, rowid in enumerate(ranks)}
        rows.sort(key=lambda r: order[r["rowid"]])
        return [Hit(summary(r), ranks[r["rowid"]], r["snippet"]) for r in rows]

    def ordered(
        match: str,
        n: int,
        exclude: tuple[str, ...] = (),
        unfiltered: int | None = None,
        rank_limit: int = RANK_ALL_LIMIT,
        heading_limit: int = RANK_ALL_LIMIT,
        typing: bool = False,
    ) -> tuple[list[Hit], str]:
        """The first `n` matches in the best order their number allows (see `find`)."""
        # FTS5 ranks every match before filters apply: what ranking costs is the unfiltered count.
        if unfiltered is None:
            unfiltered = count(match, filtered=False)
        if unfiltered <= rank_limit:
            return fetch(match, True, n, exclude), RANKED
        if typing:
            return fetch(match, False, n, exclude), IN_ORDER
        headed = f"{{number heading}} : ({match})"
        if count(headed, filtered=False) <= heading_limit:
            # The snippet comes from the body: the heading, where these matched, is shown anyway.
            hits = fetch(headed, True, n, exclude, column=FTS_COLUMNS.index("body"))
            if len(hits) < n:
                hits += fetch(match, False, n - len(hits), exclude + _ids(hits))
            return hits, HEADINGS_FIRST
        return fetch(match, False, n, exclude), IN_ORDER

    match = match_of(store, query)
    matches = unfiltered = count(match, filtered=False)
    if not unfiltered and match != query.match:
        # Nothing, though the index lists the words: searched as typed too, so that a damaged
        # index says so (SQLite meets the damage merging the word's lists) rather than
        # finding nothing.
        match = query.match
        matches = unfiltered = count(match, filtered=False)
    if where:
        matches = count(match)
    # Too broad to rank every match: a word of one or two letters is still being typed, so its
    # matches are listed in corpus order; anything else ranks the provisions whose heading or
    # number matches (bm25 weighs those columns most) and lists the others after them.
    typing = query.prefix is not None and len(query.prefix) <= 2
    hits, ordering = [], RANKED
    if matches:  # nothing to fetch (or to rank) when nothing matches
        hits, ordering = ordered(match, limit, unfiltered=unfiltered, typing=typing)
    if widen and matches < THIN and query.terms:
        for widening in widenings(store, list(query.terms), query.prefix):
            widened = count(widening.match)
            if not widened:
                continue
            more, how = ordered(
                widening.match,
                limit - len(hits),
                _ids(hits),
                unfiltered=None if where else widened,
                rank_limit=WIDENED_RANK_LIMIT,
                heading_limit=WIDENED_HEADING_LIMIT,
            )
            if more:
                total = max(matches, widened)
                return Found(hits + more, total, how, widening, len(hits))
    return Found(hits, matches, ordering)


_FROM_FTS = (
    "FROM provisions_fts JOIN provisions p ON p.rowid = provisions_fts.rowid "
    "WHERE provisions_fts MATCH :match"
)


def filter_problem(store: Store, filters: dict[str, str]) -> str | None:
    """What is wrong with a filter value, with the valid values and the closest one; None if
    every filter names something the store has."""
    for key, value in filters.items():
        if key == "regime":
            ids = [r.id for r in store.regimes()]
            valid = ids + sorted({i.split("-")[0] for i in ids})
            ok = value.lower() in valid
        elif key == "jurisdiction":
            valid = sorted({r.jurisdiction for r in store.regimes()})
            ok = value.upper() in valid
        elif key == "status":
            valid = list(vocab.PROVISION_STATUSES)
            ok = re.sub(r"[-_]+", " ", value).lower() in valid
        elif key == "topic":
            valid = [t.id for t in store.topics()]
            ok = value.lower() in valid
        else:
            continue
        if not ok:
            from rapidfuzz import process  # here: 3.6 MiB loaded, for a mistyped filter only

            near = process.extractOne(value.lower(), valid, score_cutoff=60)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            return f"unknown {key} {value!r} (valid: {', '.join(valid)}){hint}"
    return None


def _ids(hits: list[Hit]) -> tuple[str, ...]:
    return tuple(h.record.id for h in hits)


def _hits(rows) -> list[Hit]:
    return [Hit(summary(row), row["rank"], row["snippet"]) for row in rows]


def _filter_sql(store: Store, filters: dict[str, str]) -> tuple[str, dict]:
    """Filters as conditions on `{rowid}`, a provision's rowid.

    Each filter is a set of rowids read from an index, so that a search never reads a
    provision's row (body and all) just to learn its regime, status or topics.
    """
    clauses: list[str] = []
    params: dict = {}

    def marks(name: str, values: list[str]) -> str:
        params.update({f"{name}{i}": v for i, v in enumerate(values)})
        return ", ".join(f":{name}{i}" for i in range(len(values)))

    regimes = store.regimes()
    chosen = {r.id for r in regimes}
    if "regime" in filters:
        # "kz" finds kz-ai; "ru" finds both Russian regimes.
        wanted = filters["regime"].lower()
        chosen &= {r.id for r in regimes if r.id == wanted or r.id.startswith(wanted + "-")}
    if "jurisdiction" in filters:
        wanted = filters["jurisdiction"].upper()
        chosen &= {r.id for r in regimes if r.jurisdiction == wanted}
    if "regime" in filters or "jurisdiction" in filters:
        clauses.append(
            "{rowid} IN (SELECT rowid FROM provisions WHERE regime IN "
            f"({marks('regime', sorted(chosen))}))"
        )
    if "status" in filters:
        params["status"] = re.sub(r"[-_]+", " ", filters["status"]).lower()
        clauses.append("{rowid} IN (SELECT rowid FROM provisions WHERE status = :status)")
    if "topic" in filters:
        topics = store.topic_ids_under(filters["topic"].lower())
        # A provision's rowid is its position (see schema).
        clauses.append(
            "{rowid} IN (SELECT position FROM provision_topics "
            f"WHERE topic_id IN ({marks('topic', topics)}))"
        )
    return "".join(f" AND {c}" for c in clauses), params
