"""Write a synthetic content folder of N provisions that `lexpane build` accepts.

The real content is copied in first, so the real provisions (and the researcher queries that find
them) sit among the synthetic ones. Synthetic prose draws on the real corpus: its words at their
real frequencies, a pool of words per topic so that topics read differently, a long tail of rarer
words, article numbers and a share of Cyrillic legal terms. Every synthetic provision quotes one
sentence of a synthetic source verbatim, as real records do.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tui.content import load_corpus

#: Provisions per synthetic instrument file (each file stays far below the 8 MiB limit).
PER_FILE = 1000
#: Words of body text per synthetic provision, on average.
BODY_WORDS = 80

CYRILLIC = (
    "закон", "право", "искусственный", "интеллект", "модель", "данные", "оператор",
    "ответственность", "правообладатель", "блокировка", "пиратство", "суд", "реестр",
    "доверенный", "суверенный", "разработчик", "обучение", "авторское", "произведение",
    "маркировка", "контент", "платформа", "регулирование", "комиссия", "правительство",
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_SYLLABLES = (
    "ab", "ac", "al", "an", "ar", "at", "ce", "co", "de", "di", "el", "en", "er", "es", "ex",
    "ic", "il", "in", "is", "it", "le", "li", "ma", "na", "ne", "no", "om", "on", "or", "pa",
    "po", "pre", "pro", "qu", "ra", "re", "ri", "ro", "sa", "se", "si", "ta", "te", "ti", "to",
    "tra", "tu", "ul", "un", "ur", "va", "ve", "vi",
)  # fmt: skip


@dataclass(frozen=True)
class SynthCorpus:
    root: Path
    provisions: int
    synthetic: int
    files: int
    bytes: int


class Prose:
    """Draws words: the real corpus's words at their frequencies, topic words, a tail, Cyrillic."""

    def __init__(self, rng: random.Random, texts: list[str], topic_texts: dict[str, list[str]]):
        self.rng = rng
        counts = Counter(w.lower() for t in texts for w in _WORD.findall(t))
        self.common = list(counts)
        self.common_cum = list(itertools.accumulate(counts.values()))
        self.topic_words = {
            topic: sorted({w.lower() for t in ts for w in _WORD.findall(t) if len(w) > 3})
            for topic, ts in topic_texts.items()
        }
        # A long tail of rarer terms, as a growing corpus brings (names, terms of art).
        self.tail = sorted(
            {
                "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
                for _ in range(40_000)
            }
        )

    def words(self, n: int, topic: str) -> list[str]:
        rng = self.rng
        out = rng.choices(self.common, cum_weights=self.common_cum, k=n)
        pool = self.topic_words.get(topic) or self.common
        # About 25% topic words, 3% tail, 2% Cyrillic, 0.5% numbers.
        for i in range(n):
            r = rng.random()
            if r < 0.305:
                if r < 0.25:
                    out[i] = rng.choice(pool)
                elif r < 0.28:
                    out[i] = rng.choice(self.tail)
                elif r < 0.30:
                    out[i] = rng.choice(CYRILLIC)
                else:
                    out[i] = str(rng.randint(1, 1500))
        return out

    def sentence(self, n: int, topic: str) -> str:
        words = self.words(n, topic)
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self, n_words: int, topic: str) -> str:
        sentences, left = [], n_words
        while left > 0:
            k = min(left, self.rng.randint(10, 24))
            sentences.append(self.sentence(k, topic))
            left -= k
        return " ".join(sentences)


def write_corpus(dest: Path, provisions: int, *, real_content: Path, seed: int = 1) -> SynthCorpus:
    """Fill `dest` (created, must not exist) with the real content plus synthetic provisions.

    `provisions` counts all of them, the real ones included; the real corpus is never cut down.
    """
    real, problems = load_corpus(real_content)
    if problems:
        raise ValueError(f"the real content has problems: {problems[0]}")
    shutil.copytree(real_content, dest)
    rng = random.Random(seed)
    by_topic: dict[str, list[str]] = {}
    for s in real.sections:
        for t in s.topics:
            by_topic.setdefault(t, []).append(f"{s.heading} {s.body}")
    texts = [f"{s.heading} {s.body}" for s in real.sections] + [s.text for s in real.sources]
    prose = Prose(rng, texts, by_topic)

    silent = {(r, t.id) for t in real.topics for r, _ in t.silent}
    regimes = [r for r in real.regimes]
    topics_for = {r.id: [t.id for t in real.topics if (r.id, t.id) not in silent] for r in regimes}
    real_ids = sorted({s.id for s in real.sections})

    topic_list = list(by_topic)
    synthetic = max(0, provisions - len(real_ids))
    folder = dest / "synthetic"
    folder.mkdir()
    regime_weights = [0.4, 0.25, 0.35][: len(regimes)] or [1.0]
    made = 0
    files = 0
    given = {r.id: 0 for r in regimes}
    ids: list[str] = []
    # Small corpora get smaller files, so that every regime still gets its share.
    per_file = max(20, min(PER_FILE, synthetic // 12))
    while made < synthetic:
        n = min(per_file, synthetic - made)
        # The regime furthest below its share so far: a steady spread at any size.
        regime = max(
            regimes, key=lambda r: regime_weights[regimes.index(r)] * (made + n) - given[r.id]
        )
        given[regime.id] += n
        iid = f"synth-{files:04d}"
        # Each instrument has its own source document, which its provisions quote.
        source_id = f"synth-source-{files:04d}"
        sentences = [
            prose.sentence(rng.randint(12, 22), rng.choice(topic_list)) for _ in range(n + n // 4)
        ]
        _write_source(dest / "sources" / f"{source_id}.md", source_id, files, sentences)
        quoted = rng.sample(sentences, n)
        lines = [
            "---",
            f"id: {iid}",
            f"regime: {regime.id}",
            f"jurisdiction: {regime.jurisdiction}",
            f"title: Synthetic instrument {files}",
            "kind: law",
            "status: in force",
            f"source: {source_id}",
            "evidence: statute text",
            "dates:",
            "  in_force: 2026-01-01",
            "---",
            "",
            f"# Synthetic instrument {files}",
            "",
        ]
        pool = topics_for[regime.id]
        topic_weights = [1 / (k + 1) for k in range(len(pool))]
        for k in range(n):
            pid = f"{iid}.p{k:04d}"
            topics = list(dict.fromkeys(rng.choices(pool, topic_weights, k=rng.choice((1, 1, 2)))))
            heading = " ".join(prose.words(rng.randint(3, 7), topics[0])).capitalize()
            meta = [
                f"id: {pid}",
                f"number: Art. {k + 1}",
                "status: in force",
                f"topics: [{', '.join(topics)}]",
            ]
            if ids and rng.random() < 0.05:
                target = rng.choice(real_ids if rng.random() < 0.5 else ids)
                meta += [
                    "links:",
                    f"  - to: {target}",
                    "    type: same subject as",
                    "    note: Synthetic link.",
                ]
            body_words = max(20, int(rng.gauss(BODY_WORDS, 20)))
            body = prose.paragraph(body_words, topics[0])
            quote = quoted[k]
            lines += [
                f"## {heading}",
                "",
                "```yaml",
                *meta,
                "```",
                "",
                body,
                "",
                f"> {quote}",
                ">",
                f"> — {source_id}",
                "",
            ]
            ids.append(pid)
        (folder / f"{iid}.md").write_text("\n".join(lines), encoding="utf-8")
        made += n
        files += 1
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    return SynthCorpus(dest, len(real_ids) + synthetic, synthetic, files, size)


def _write_source(path: Path, source_id: str, n: int, sentences: list[str]) -> None:
    paragraphs = (" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))
    path.write_text(
        f"---\nid: {source_id}\ntitle: Synthetic source {n}\nkind: statute text\ndate: 2026\n---\n\n"
        + "\n\n".join(paragraphs)
        + "\n",
        encoding="utf-8",
    )
