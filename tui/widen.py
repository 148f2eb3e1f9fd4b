"""Widen a search that found nothing, or little, as typed: word forms, spellings, the thesaurus,
typos, then any of the words. Pure functions over the store's `terms` and `thesaurus` tables.

Each step says what it did, so that a researcher sees how the query was understood ("showing
results for copyright (you typed copyrigth)"). Only words the index holds are ever searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui import wordforms
from tui.store import Store
from tui.thesaurus import fold

#: Words a question or a phrase of everyday English adds that say nothing of the subject: the
#: any-of-the-words step leaves them out (they would match nearly every provision).
FILLER = frozenset(
    """a an the of to in on for and or is are was were be been by with what which who whom whose
    does do did how why when where that this these those it its as at from about any there their
    they them can could should would may might will shall not no has have had i we you me my our
    your if so than then into under over between such tell show find me please law laws rule
    rules""".split()
)  # fmt: skip
#: Forms of a word searched at most (the commonest first).
MAX_FORMS = 12
#: Words asked of the index in one query, at most (a query has at most `search.MAX_TERMS`
#: words, each with a few spellings or thesaurus terms).
MAX_LOOKUPS = 500
#: Fewer exact matches than this and search widens too, listing the widened hits after them.
THIN = 3

WORD_FORMS = "word forms"
SPELLING = "spelling"
THESAURUS = "thesaurus"
TYPO = "typo"
ANY_WORD = "any of the words"
WITHOUT_FILLER = "without filler words"


@dataclass
class Term:
    """A word (or a thesaurus phrase) of the query and what it may also be searched as."""

    typed: str
    #: FTS5 phrases, quoted, the word's own first
    alternatives: list[str] = field(default_factory=list)
    #: (step, what it added), for the message
    notes: list[tuple[str, str]] = field(default_factory=list)
    known: bool = False


@dataclass(frozen=True)
class Widening:
    """One widened query: its FTS5 expression and how the typed words were understood."""

    step: str
    match: str
    notes: tuple[tuple[str, str], ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        said = []
        typos = [n for s, n in self.notes if s == TYPO]
        if typos:
            said.append("showing results for " + ", ".join(typos))
        for step, label in ((WORD_FORMS, "word forms"), (SPELLING, "spellings"),
                            (THESAURUS, "related terms")):  # fmt: skip
            found = [n for s, n in self.notes if s == step]
            if found:
                said.append(f"{label}: " + "; ".join(found))
        if self.step == ANY_WORD:
            said.insert(0, "no provision has every word: showing those with any of them")
        if self.ignored:
            said.append("ignored: " + ", ".join(self.ignored))
        return "; ".join(said)


def _phrase(text: str) -> str:
    words = re.findall(r"\w+", text)
    return (
        '"' + " ".join(words) + '"'
        if len(words) == 1
        else "(" + " ".join(f'"{w}"' for w in words) + ")"
    )


class Vocabulary:
    """What the index knows of words, asked of the store's `terms` table (keyed by term, indexed
    by stem) as a query needs it, never read whole: at 100,000 provisions the table holds 32,735
    words, and reading them all took 55 ms and 3 MiB on the first search that widened. A typo
    reads the words of its initial, once. The thesaurus, a few hundred rows, is read once per
    open file (kept by `Store.memo`, which forgets it when the store reopens on a rebuilt
    data.db)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.groups: dict[str, list[str]] = {}
        members: dict[int, list[str]] = {}
        for r in store.query("SELECT group_id, folded FROM thesaurus ORDER BY id"):
            members.setdefault(r["group_id"], []).append(r["folded"])
        for terms in members.values():
            for term in terms:
                self.groups[term] = [t for t in terms if t != term]
        self.longest = max((len(t.split()) for t in self.groups), default=1)
        self._by_initial: dict[str, list[tuple[str, int]]] = {}

    def docs(self, words: list[str]) -> dict[str, int]:
        """How many provisions hold each of `words` that the index has (the others are left
        out): one query however many words."""
        words = list(dict.fromkeys(words))[:MAX_LOOKUPS]
        if not words:
            return {}
        marks = ", ".join("?" for _ in words)
        rows = self.store.query(f"SELECT term, docs FROM terms WHERE term IN ({marks})", words)
        return {r["term"]: r["docs"] for r in rows}

    def _initial(self, letter: str) -> list[tuple[str, int]]:
        """The index's words that begin with `letter`, and their provisions: read by a range of
        the key on the first typo of that initial, then kept."""
        if letter not in self._by_initial:
            self._by_initial[letter] = [
                (r["term"], r["docs"])
                for r in self.store.query(
                    "SELECT term, docs FROM terms WHERE term >= ? AND term < ?", _range(letter)
                )
            ]
        return self._by_initial[letter]

    def forms(self, word: str) -> list[str]:
        rows = self.store.query(
            "SELECT term FROM terms WHERE stem = ? ORDER BY docs DESC LIMIT ?",
            (wordforms.stem(word), MAX_FORMS),
        )
        return [r["term"] for r in rows if r["term"] != word]

    def has_prefix(self, prefix: str) -> bool:
        return bool(
            self.store.query(
                "SELECT 1 FROM terms WHERE term >= ? AND term < ? LIMIT 1", _range(prefix)
            )
        )

    def closest(self, word: str) -> str | None:
        """The index's word nearest a misspelt one: one edit for short words, two for longer."""
        if len(word) < 4 or not word.isalpha():
            return None
        # Imported here: rapidfuzz is 3.6 MiB once loaded, and only a misspelt word needs it.
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        limit = 1 if len(word) <= 5 else 2
        docs = {
            term: n for term, n in self._initial(word[:1]) if abs(len(term) - len(word)) <= limit
        }
        found = process.extract(
            word, list(docs), scorer=Levenshtein.distance, score_cutoff=limit, limit=8
        )
        if not found:
            return None
        best = min(distance for _, distance, _ in found)
        return max((t for t, d, _ in found if d == best), key=lambda t: docs[t])


def _range(prefix: str) -> tuple[str, str]:
    """The bounds of the terms that begin with `prefix`, for `term >= ? AND term < ?`."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _vocabulary(store: Store) -> Vocabulary:
    # Kept with the store: the store is the one view of one file, and so is its vocabulary.
    return store.memo("vocabulary", lambda: Vocabulary(store))


def _segments(vocabulary: Vocabulary, folded: list[str]) -> list[tuple[str, bool]]:
    """The query's words in order, a run of words that is a thesaurus term joined into one:
    (word or phrase, whether it is a thesaurus term)."""
    found: list[tuple[str, bool]] = []
    i = 0
    while i < len(folded):
        # The longest run of words that is a thesaurus term, if any.
        for size in range(min(vocabulary.longest, len(folded) - i), 0, -1):
            phrase = " ".join(folded[i : i + size])
            if phrase in vocabulary.groups:
                found.append((phrase, True))
                i += size
                break
        else:
            found.append((folded[i], False))
            i += 1
    return found


def terms_of(vocabulary: Vocabulary, words: list[str], prefix: str | None) -> list[Term]:
    """The query's words, thesaurus phrases joined, each with what else it may be searched as."""
    folded = [fold(w) for w in words if fold(w)]
    segments = _segments(vocabulary, folded)
    spellings = {text: sorted(wordforms.spellings(text)) for text, phrase in segments if not phrase}
    # Every word whose presence in the index matters, asked in one query.
    asked: list[str] = []
    for text, is_phrase in segments:
        if is_phrase:
            asked += text.split()
            asked += [w for t in vocabulary.groups[text] for w in t.split()]
        else:
            asked += [text, *spellings[text]]
    docs = vocabulary.docs(asked)
    found: list[Term] = []
    for i, (text, is_phrase) in enumerate(segments):
        if is_phrase:
            term = Term(text, [_phrase(text)])
            term.known = all(w in docs for w in text.split())
            others = [t for t in vocabulary.groups[text] if all(w in docs for w in t.split())]
            if others:
                term.alternatives += [_phrase(t) for t in others]
                term.notes.append((THESAURUS, f"{text} → {', '.join(others)}"))
        else:
            word = text
            term = Term(word, [f'"{word}"'])
            is_prefix = prefix is not None and i == len(segments) - 1 and fold(prefix) == word
            term.known = word in docs or (is_prefix and vocabulary.has_prefix(word))
            if is_prefix and term.known:
                term.alternatives = [f'"{word}"*']
            forms = vocabulary.forms(word)
            if forms:
                term.alternatives += [f'"{f}"' for f in forms]
                term.notes.append((WORD_FORMS, f"{word} → {', '.join(forms[:4])}"))
            for spelling in spellings[word]:
                if spelling in docs:
                    term.alternatives.append(f'"{spelling}"')
                    term.notes.append((SPELLING, f"{word} → {spelling}"))
            if not term.known and not forms and len(term.alternatives) == 1:
                near = vocabulary.closest(word)
                if near is not None:
                    term.alternatives = [f'"{near}"'] + [f'"{f}"' for f in vocabulary.forms(near)]
                    term.notes.append((TYPO, f"{near} (you typed {word})"))
        found.append(term)
    return found


def _group(term: Term) -> str:
    alternatives = list(dict.fromkeys(term.alternatives))
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def widenings(store: Store, words: list[str], prefix: str | None) -> list[Widening]:
    """The widened queries to try in order: every word, widened; then any of the words."""
    vocabulary = _vocabulary(store)
    terms = terms_of(vocabulary, words, prefix)
    if not terms:
        return []
    usable = [t for t in terms if t.known or len(t.alternatives) > 1 or t.notes]
    # Question words and filler never empty a result, nor cost a search their posting lists.
    meaningful = [t for t in usable if t.typed not in FILLER]
    ignored = tuple(t.typed for t in terms if t not in meaningful)
    notes = tuple(n for t in meaningful for n in t.notes)
    tried = []
    if meaningful and len(usable) == len(terms) and (notes or ignored):
        steps = [s for s, _ in notes] or [WITHOUT_FILLER]
        step = TYPO if TYPO in steps else steps[0]
        every = " AND ".join(_group(t) for t in meaningful)
        tried.append(Widening(step, every, notes, ignored))
    if len(meaningful) > 1 or (meaningful and not tried):
        groups = [_group(t) for t in meaningful]
        tried.append(Widening(ANY_WORD, " OR ".join(groups), notes, ignored))
    return tried
