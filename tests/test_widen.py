"""Search that never dead-ends: word forms, spellings, the thesaurus, typos and any of the words,
each step said in words, and a command line that forgives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tui import wordforms
from tui.search import find, parse
from tui.store import Store
from tui.thesaurus import fold
from tui.widen import ANY_WORD, SPELLING, THESAURUS, TYPO, WORD_FORMS

# (what a researcher types, the provision that must be in the top five): typos, British and US
# spellings, word forms, questions, abbreviations, Russian and Kazakh terms.
LOOKUPS = [
    # typos
    ("copyrigth", "ru-ai.training-copyright"),
    ("kazahkstan labelling", "kz-ai.art21-labelling"),
    ("camcordng", "ru-copyright.camcording"),
    ("sovereing models", "ru-ai.model-categories"),
    ("insurence", "kz-ai.liability-insurance"),
    ("notorius markets", "ru-copyright.notorious-markets"),
    ("circumvension devices", "ru-copyright.circumvention-civil"),
    ("collecting socieites", "ru-copyright.collecting-societies"),
    # British / US spellings
    ("labeling", "ru-ai.labelling"),
    ("organization collective management", "ru-copyright.collecting-societies"),
    ("licensing country by country", "ru-copyright.independent-film"),
    ("recognized as an author", "kz-ai.ai-not-author"),
    ("criminal offense thresholds", "ru-copyright.criminal-thresholds"),
    ("behavior synthetic", "kz-ai.art1-synthetic-results"),
    # word forms
    ("enforcing", "ru-copyright.enforcement-decline"),
    ("labelled content obligation", "ru-ai.labelling"),
    ("deleting copyrighted training texts", "ru-ai.training-copyright"),
    ("camcorders", "ru-copyright.camcording"),
    ("blocked websites", "ru-copyright.blocking-record"),
    ("prohibit emotion recognition", "kz-ai.prohibited-practices"),
    ("insured liability", "kz-ai.liability-insurance"),
    # questions and filler
    ("what does Russia require of foreign models", "ru-ai.foreign-models"),
    ("when did the Kazakh AI law enter into force", "kz-ai.entry-into-force"),
    ("who is liable for harm caused by AI in Kazakhstan", "kz-ai.liability-insurance"),
    ("can authors stop training on their works", "kz-ai.training-opt-out"),
    ("how are prompts protected", "kz-ai.prompts"),
    ("is labelling mandatory in Kazakhstan", "kz-ai.art21-labelling"),
    # abbreviations
    ("CMOs", "ru-copyright.collecting-societies"),
    ("ISPs liability", "ru-copyright.civil-code-online-liability"),
    ("TPM", "ru-copyright.circumvention-civil"),
    ("LLM definition", "ru-ai.definitions"),
    ("USTR WTO compliance", "ru-copyright.ustr-wto-report-2016"),
    ("GSP", "ru-copyright.gsp"),
    ("MCI fines", "kz-ai.labelling-fines"),
    # Russian and Kazakh terms
    ("суверенная модель", "ru-ai.model-categories"),
    ("пиратство", "ru-copyright.notorious-markets"),
    ("маркировка", "ru-ai.labelling"),
    ("доверенные модели", "ru-ai.trusted-models"),
    ("Госдума", "ru-ai.legislative-path"),
    ("Мажилис", "kz-ai.legislative-path"),
    ("экранка", "ru-copyright.camcording"),
    ("таңбалау", "kz-ai.art21-labelling"),
    ("жасанды интеллект", "kz-ai.ai-not-author"),
    ("авторское право обучение", "ru-ai.training-copyright"),
    ("штраф маркировка", "kz-ai.labelling-fines"),
]


def test_there_are_forty_forgiving_lookups():
    assert len(LOOKUPS) >= 40


@pytest.mark.parametrize(("query", "expected"), LOOKUPS, ids=[q for q, _ in LOOKUPS])
def test_a_forgiving_lookup_finds_its_answer_in_the_top_five(cli, query, expected):
    code, out, err = cli("search", query, "--limit", "5", "--json", "--db", REPO / "data.db")
    assert (0, "") == (code, err)
    assert expected in [hit["id"] for hit in json.loads(out)], query


@pytest.fixture(scope="module")
def corpus():
    with Store.open(REPO / "data.db") as store:
        yield store


def test_word_forms_meet_at_their_stem():
    assert (
        wordforms.stem("enforcing") == wordforms.stem("enforcement") == wordforms.stem("enforced")
    )
    assert wordforms.stem("models") == wordforms.stem("model")
    assert wordforms.stem("пиратства") == wordforms.stem("пиратство")


def test_british_and_us_spellings_both_ways():
    assert "organization" in wordforms.spellings("organisation")
    assert "organisation" in wordforms.spellings("organization")
    assert {"labeling"} <= wordforms.spellings("labelling")
    assert "behaviour" in wordforms.spellings("behavior")
    assert "licence" in wordforms.spellings("license")
    assert "copyright" not in wordforms.spellings("copyright")


def test_a_thesaurus_term_folds_as_the_index_folds_words():
    assert "cmos" == fold("CMOs")
    assert "суверенная модель" == fold("Суверенная  модель")
    assert "regime" == fold("régime")


def test_each_step_says_what_it_did(corpus):
    steps = {
        "enforcing": WORD_FORMS,
        "copyrigth": TYPO,
        "CMOs": THESAURUS,
        "behavior synthetic": SPELLING,
        "what does Russia require of foreign models": ANY_WORD,
    }
    for text, step in steps.items():
        found = find(corpus, text, limit=5)
        assert found.widened is not None and step == found.widened.step, text
    assert (
        "showing results for copyright (you typed copyrigth)"
        in find(corpus, "copyrigth").widened.message
    )
    assert (
        "ignored: what, does, of"
        in find(corpus, "what does Russia require of foreign models").widened.message
    )


def test_widening_asks_the_index_for_words_by_key_never_reads_them_all():
    """At 100,000 provisions the index knows 32,735 words: reading them all cost the first
    widened search 55 ms and 3 MiB. Each step asks for the words it needs, by term or stem;
    a typo reads the words of its initial only."""
    with Store.open(REPO / "data.db") as store:
        asked: list[str] = []
        store.conn.set_trace_callback(asked.append)
        for text in ("copyrigth", "enforcing", "CMOs", "behavior synthetic", "kazahkstan"):
            assert find(store, text, limit=5).widened is not None, text
        of_terms = [sql for sql in asked if " FROM terms" in sql]
        assert of_terms
        assert all(" WHERE term " in sql or " WHERE stem = " in sql for sql in of_terms), of_terms


def test_an_exact_match_ranks_above_a_widened_one(corpus):
    exact = find(corpus, "camcords", limit=10)
    assert exact.widened is not None and exact.exact >= 1
    first = [h.record.id for h in exact.hits[: exact.exact]]
    assert "ru-copyright.camcording" in first
    widened_ids = [h.record.id for h in exact.hits[exact.exact :]]
    assert not set(first) & set(widened_ids)


def test_a_query_found_as_typed_is_not_widened(corpus):
    found = find(corpus, "camcording")
    assert found.widened is None and found.exact == len(found.hits) >= 3


def test_nothing_close_stays_empty_and_says_so(corpus, cli):
    assert [] == find(corpus, "zzqxv").hits
    code, out, _ = cli("search", "zzqxv", "--db", REPO / "data.db")
    assert (0, "no provisions match (try fewer words, or a shorter prefix)\n") == (code, out)


def test_a_filter_typed_last_keeps_the_word_before_it_a_prefix():
    assert ("transpar", '"transpar"*') == (
        parse("transpar regime:kz").prefix,
        parse("transpar regime:kz").match,
    )
    assert parse("transpar regime:kz ").prefix is None


# -- the command line ---------------------------------------------------------------------


def test_unquoted_words_are_one_query(cli):
    code, out, _ = cli(
        "search", "human", "creative", "contribution", "--json", "--db", REPO / "data.db"
    )
    assert 0 == code
    assert "kz-ai.art23-human-contribution" in [h["id"] for h in json.loads(out)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--regime", "kx"],
            "unknown regime 'kx' (valid: ru-ai, kz-ai, ru-copyright, kz, ru); did you mean 'kz-ai'?",
        ),
        (["--status", "opengap"], "unknown status 'opengap' (valid: in force, adopted"),
        (["--jurisdiction", "UA"], "unknown jurisdiction 'UA' (valid: KZ, RU)"),
        (["--topic", "copyrite"], "did you mean 'copyright'?"),
        (["regime:zz"], "unknown regime 'zz'"),
    ],
)
def test_an_unknown_filter_is_a_usage_error_naming_the_valid_values(cli, args, message):
    query = ["law", *args] if args[0].startswith("--") else [f"law {args[0]}"]
    code, out, err = cli("search", *query, "--db", REPO / "data.db")
    assert (2, "") == (code, out)
    assert (
        err.startswith("lexpane: error: ") and message in err and 1 == len(err.strip().split("\n"))
    )


def test_an_empty_query_is_a_usage_error(cli):
    code, _, err = cli("search", "  ", "--db", REPO / "data.db")
    assert 2 == code and "nothing to search for" in err


def test_show_suggests_the_full_id(cli):
    code, _, err = cli("show", "camcording", "--db", REPO / "data.db")
    assert 2 == code
    assert "no provision 'camcording'; did you mean ru-copyright.camcording?" in err


def test_terminal_output_bolds_matches_and_json_keeps_the_markers(cli, monkeypatch, db: Path):
    code, out, _ = cli("search", "camcord", "--db", db)
    assert 0 == code and "**" not in out and "camcord" in out.lower()  # NO_COLOR: plain words
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = cli("search", "camcord", "--db", db)
    assert "\x1b[1m" in out and "**" not in out
    code, out, _ = cli("search", "camcord", "--json", "--db", db)
    assert "**" in json.loads(out)[0]["snippet"]


def test_two_quotes_in_one_snippet_are_set_apart(corpus):
    row = corpus.query("SELECT quotes_text FROM provisions WHERE id = 'ru-ai.entry-into-force'")[0]
    assert " | Other texts, such as those determining" in row["quotes_text"]


def test_the_widened_part_of_the_json_says_how(cli):
    code, out, _ = cli("search", "copyrigth", "--limit", "3", "--json", "--db", REPO / "data.db")
    hits = json.loads(out)
    assert 0 == code and hits
    assert {"step": TYPO, "message": "showing results for copyright (you typed copyrigth)"} == hits[
        0
    ]["widened"]
