"""Word forms and spellings: the stem of a word (Snowball, English or Russian), and its British and
US spellings. What search uses to widen a query that found nothing as typed."""

from __future__ import annotations

import functools
import re

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@functools.cache
def _stemmer(language: str):
    # Imported here: the stemmers are 0.8 MiB once loaded, and the explorer needs them only for
    # a search that widens.
    import snowballstemmer

    return snowballstemmer.stemmer(language)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem that a word's forms share: enforcing, enforcement, enforced → enforc."""
    return _stemmer("russian" if _CYRILLIC.search(word) else "english").stemWord(word.lower())


# British ↔ US spelling rules, as (British ending, US ending). Each applies both ways; only the
# results that the index holds are ever searched, so a rule that misfires costs nothing.
_ENDINGS = (
    ("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"),
    ("ises", "izes"), ("ising", "izing"), ("yse", "yze"), ("ysed", "yzed"), ("ysing", "yzing"),
    ("our", "or"), ("ours", "ors"), ("oured", "ored"), ("ouring", "oring"), ("tre", "ter"),
    ("tres", "ters"), ("ence", "ense"), ("ogue", "og"), ("ogues", "ogs"), ("lled", "led"),
    ("lling", "ling"), ("ller", "ler"), ("ement", "ment"),
)  # fmt: skip
#: Pairs the endings miss.
_PAIRS = {
    "programme": "program", "programmes": "programs", "judgement": "judgment",
    "ageing": "aging", "grey": "gray", "cheque": "check", "enrol": "enroll",
    "fulfil": "fulfill", "analyse": "analyze", "practise": "practice", "licence": "license",
    "licences": "licenses", "offence": "offense", "offences": "offenses", "defence": "defense",
    "centre": "center", "centres": "centers", "labelled": "labeled", "labelling": "labeling",
    "modelling": "modeling", "travelling": "traveling", "cancelled": "canceled",
}  # fmt: skip
_PAIRS.update({us: gb for gb, us in list(_PAIRS.items())})


def spellings(word: str) -> set[str]:
    """Other spellings of a word (organisation → organization, licence → license), not itself."""
    word = word.lower()
    found = set()
    if word in _PAIRS:
        found.add(_PAIRS[word])
    for gb, us in _ENDINGS:
        for old, new in ((gb, us), (us, gb)):
            if word.endswith(old) and len(word) > len(old) + 2:
                found.add(word[: -len(old)] + new)
    found.discard(word)
    return found
