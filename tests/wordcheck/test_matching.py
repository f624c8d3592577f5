"""What the check finds, and where: categories, evasions, exceptions, English house style."""

import pytest

from wordcheck import checks
from wordcheck.lists import current
from wordcheck.matcher import EntrySpec, Matcher
from wordcheck.models import Category


def hits_in(text):
    return current().matcher.find(text)


def found(text):
    return [(text[m.start : m.end], m.entry.category, m.kind) for m in hits_in(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("这里有禁用词甲。", "禁用词甲"),
        ("这里有禁 用 词 甲。", "禁 用 词 甲"),  # spaces
        ("这里有禁，用·词！甲。", "禁，用·词！甲"),  # punctuation
        ("这里有禁\u200b用\u200d词\ufeff甲。", "禁\u200b用\u200d词\ufeff甲"),  # zero-width
        ("这里有禁\u00ad用\u2060词甲。", "禁\u00ad用\u2060词甲"),  # soft hyphen, word joiner
        ("這裡有禁用詞甲。", "禁用詞甲"),  # traditional characters
        ("这里有禁　用\n词甲。", "禁　用\n词甲"),  # ideographic space, line break
    ],
)
def test_every_evasion_is_found_at_its_place(lists, text, expected):
    (match,) = hits_in(text)
    assert text[match.start : match.end] == expected
    assert match.entry.category == Category.BANNED


def test_full_width_and_case_fold_like_the_search_engine(lists):
    assert found("ＡＬＯＴ of words") == [("ＡＬＯＴ", "mistake", "term")]


def test_each_category_is_found(lists):
    text = "大师说：再接再励！中原区政府来了。"
    assert found(text) == [
        ("大师", "sensitive", "term"),
        ("再接再励", "mistake", "term"),
        ("中原区政府", "fixed", "variant"),
    ]


def test_exception_hides_the_word_it_contains(lists):
    assert found("大师兄来了") == []
    assert found("大 师 兄来了，大师也来了") == [("大师", "sensitive", "term")]


def test_a_fixed_formulation_written_in_full_is_fine_and_its_short_form_inside_it_too(lists):
    assert found("郑州市中原区人民政府发布通知") == []


def test_a_fixed_formulation_not_written_exactly_is_a_hit(lists):
    assert found("郑州市中原區人民政府发布") == [("郑州市中原區人民政府", "fixed", "inexact")]
    assert found("郑州市中原区 人民政府发布") == [("郑州市中原区 人民政府", "fixed", "inexact")]


def test_english_words_match_on_word_boundaries_in_any_case(lists):
    assert found("Alot of work, ALOT.") == [
        ("Alot", "mistake", "term"),
        ("ALOT", "mistake", "term"),
    ]
    assert found("allotment alots zalot") == []
    # Spaces separate English words: "a lot" is not "alot".
    assert found("a lot") == []


def test_english_phrases_match_across_any_spacing():
    matcher = Matcher([EntrySpec(1, "mistake", "under way", replacement="underway")])
    text = "Work is Under\u00a0  way now; underway."
    (match,) = matcher.find(text)
    assert text[match.start : match.end] == "Under\u00a0  way"


def test_invisible_characters_inside_an_english_word_do_not_hide_it(lists):
    assert found("al\u200bot") == [("al\u200bot", "mistake", "term")]


def test_positions_survive_characters_that_normalise_to_several():
    matcher = Matcher([EntrySpec(1, "banned", "禁用")])
    text = "㈱ﬁ½禁用"
    (match,) = matcher.find(text)
    assert (match.start, match.end) == (3, 5)


def test_rich_text_hits_point_into_the_markup(lists):
    body = "<p>前文&amp;<strong>禁</strong>用词甲</p><p>后文</p>"
    (hit,) = checks.check_texts([checks.Text("body", "body", body, True)])
    assert body[hit.start : hit.end] == "禁</strong>用词甲"
    assert hit.matched == "禁用词甲"
    assert (hit.before, hit.after) == ("\n前文&", "\n\n后文\n")


def test_entities_map_back_whole():
    matcher = Matcher([EntrySpec(1, "banned", "a&b")])
    body = "<p>x a&amp;b y</p>"
    (hit,) = checks.check_texts(
        [checks.Text("body", "body", body, True)],
        compiled=type("C", (), {"matcher": matcher, "action": lambda self, c, s: "warn"})(),
    )
    assert body[hit.start : hit.end] == "a&amp;b"


def test_overlapping_occurrences_of_one_word_are_one_hit():
    matcher = Matcher([EntrySpec(1, "banned", "哈哈")])
    assert [(m.start, m.end) for m in matcher.find("哈哈哈好哈哈")] == [(0, 2), (4, 6)]


def test_inactive_entries_and_lists_are_not_checked(lists):
    lists["banned"].is_active = False
    lists["banned"].save()
    assert found("禁用词甲") == []
    lists["banned"].is_active = True
    lists["banned"].save()
    word_list = lists["banned"].word_list
    word_list.is_active = False
    word_list.save()
    assert found("禁用词甲") == []


def test_text_with_no_listed_word_has_no_hit(lists):
    assert found("中原区召开网上政务服务能力提升工作推进会。A lot of words.") == []
