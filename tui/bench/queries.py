"""The fixed query set the benchmark times: what a researcher types, keystroke by keystroke."""

from __future__ import annotations

import re

from tui.search import parse

#: Words typed one letter at a time: their prefixes of 1 to 4 characters are timed as queries.
TYPED = ("copyright", "liability", "training", "sovereign", "blocking", "piracy", "закон")

WORDS = (
    "copyright", "liability", "training", "sovereign", "piracy", "roskomnadzor", "camcording",
    "labelling", "enforcement", "registration", "models", "data", "закон", "ответственность",
)  # fmt: skip
TWO_WORDS = (
    "trusted models", "site blocking", "training data", "criminal liability",
    "copyright enforcement", "foreign models", "human contribution",
)  # fmt: skip
THREE_WORDS = (
    "sovereign trusted models", "copyright infringement online", "personal data protection",
    "national AI platform",
)  # fmt: skip
PHRASES = (
    '"trusted models"', '"site blocking"', '"human creative contribution"', '"criminal code"',
    '"entry into force"',
)  # fmt: skip
#: Queries that find nothing, or little, as typed and are widened (see tui.widen): typos, British
#: and US spellings, word forms, Russian terms, abbreviations, questions. Timed and reported apart.
WIDENED = (
    "copyrigth", "kazahkstan", "liabilty", "labeling", "organization", "enforcing",
    "camcorders", "пиратство", "суверенная модель", "CMOs",
    "what does Russia require of foreign models", "who is liable for harm caused by AI",
)  # fmt: skip
#: Filters narrow a search; timed on their own, as they have no plain-scan equivalent.
FILTERED = ("copyright regime:kz", "piracy topic:site-blocking", "liability status:open-gap")


def query_set() -> list[tuple[str, str]]:
    """(kind, text) for every timed query, in the order they are run."""
    queries = [(f"prefix {n}", word[:n]) for word in TYPED for n in (1, 2, 3, 4) if len(word) > n]
    queries += [("word", q) for q in WORDS]
    queries += [("two words", q) for q in TWO_WORDS]
    queries += [("three words", q) for q in THREE_WORDS]
    queries += [("phrase", q) for q in PHRASES]
    return queries


def finished(kind: str) -> bool:
    """Whether a query is one a person has finished typing (its ranking is checked)."""
    return not kind.startswith("prefix")


_PART = re.compile(r'"([^"]*)"(\*?)')


def parts(text: str) -> list[tuple[list[str], bool]]:
    """The query as lexpane runs it: (words, is_prefix) for each AND-ed part."""
    return [(m[1].split(), bool(m[2])) for m in _PART.finditer(parse(text).match)]


def ripgrep_pattern(text: str) -> str:
    """A PCRE2 pattern that matches a line holding every part of the query (case-insensitive)."""
    pieces = [
        r"\b" + r"\W+".join(re.escape(w) for w in words) + (r"\w*" if prefix else r"\b")
        for words, prefix in parts(text)
    ]
    if len(pieces) == 1:
        return pieces[0]
    return "^" + "".join(f"(?=.*{p})" for p in pieces)


def like_patterns(text: str) -> list[str]:
    """LIKE patterns, one per part, that a plain scan must all match."""
    out = []
    for words, _prefix in parts(text):
        escaped = (w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words)
        out.append("%" + " ".join(escaped) + "%")
    return out
