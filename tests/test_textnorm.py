"""Folding text for verbatim quotes: whitespace and quote styles, with offsets back to the source."""

from hypothesis import given
from hypothesis import strategies as st

from tui.textnorm import _TYPOGRAPHIC, contains, fold, fold_with_offsets, locate

#: Every character Python counts as whitespace (folding must treat them all alike), quotes, letters.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
texty = st.text(alphabet=st.sampled_from(WHITESPACE + "ab“”‘’\"'x."), max_size=80)


@given(texty)
def test_offsets_map_each_folded_character_back(text: str):
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert len(offsets) == len(folded)
    assert offsets == sorted(set(offsets))
    plain = text.translate(_TYPOGRAPHIC)
    for char, at in zip(folded, offsets, strict=True):
        assert char == plain[at] or (char == " " and plain[at].isspace())


def test_quotes_are_found_across_line_breaks_and_quote_styles():
    source = "He said:\n“Models   must be\ntrusted.”  Then he left."
    quote = '"Models must be trusted."'
    assert contains(quote, source)
    start, end = locate(quote, source)
    assert source[start:end] == "“Models   must be\ntrusted.”"
    assert not contains("must be trusted by", source)
    assert locate("", source) is None and not contains("  ", source)
