"""Property tests: what the text does between the characters of a listed word never hides
it, and a text with none of the listed words yields no hit."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordcheck.matcher import EntrySpec, Matcher
from wordcheck.text import skeleton

CHINESE = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=6
)
SEPARATORS = st.text(
    alphabet=st.sampled_from(
        list(" \t\n　，。、！？：；“”‘’（）《》·…—-_.,;:!?'\"()[]/\\*#")
        + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0f"]
    ),
    max_size=3,
)
# Text around the word: any Unicode, surrogates excluded.
SURROUNDING = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    word=CHINESE,
    gaps=st.lists(SEPARATORS, min_size=5, max_size=5),
    before=SURROUNDING,
    after=SURROUNDING,
)
def test_separators_inside_a_listed_word_never_hide_it(word, gaps, before, after):
    matcher = Matcher([EntrySpec(1, "banned", word)])
    spread = (
        word[0]
        + "".join(c + gaps[i % len(gaps)] for i, c in enumerate(word[1:-1]))
        + (gaps[-1] + word[-1] if len(word) > 1 else "")
    )
    if len(word) == 2:
        spread = word[0] + "".join(gap + char for gap, char in zip(gaps, word[1:], strict=False))
    text = before + spread + after
    start = len(before)
    hits = [(m.start, m.end) for m in matcher.find(text)]
    # The spread-out word is found exactly where it was put (the text around it may hold
    # another occurrence too).
    assert (start, start + len(spread)) in hits


LATIN_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)
INVISIBLE = st.text(
    alphabet=["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"], max_size=2
)


@settings(max_examples=200, deadline=None)
@given(word=LATIN_WORD, gaps=st.lists(INVISIBLE, min_size=8, max_size=8), upper=st.booleans())
def test_invisible_characters_inside_an_english_word_never_hide_it(word, gaps, upper):
    matcher = Matcher([EntrySpec(1, "mistake", word)])
    spread = "".join(c + gaps[i] for i, c in enumerate(word[:-1])) + word[-1]
    if upper:
        spread = spread.upper()
    text = f"Say {spread}, please."
    assert [(m.start, m.end) for m in matcher.find(text)] == [(4, 4 + len(spread))]


CHINESE_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5) | st.sampled_from("，。 a"),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(CHINESE, min_size=1, max_size=5), text=SURROUNDING | CHINESE_TEXT)
def test_a_text_without_any_listed_word_has_no_hit(words, text):
    matcher = Matcher([EntrySpec(i, "banned", w) for i, w in enumerate(words)])
    folded = skeleton(text)
    if any(skeleton(w) in folded for w in words):
        return  # the text happens to hold one (seen through the fold): not this property
    assert matcher.find(text) == []
