"""The print-page parser: the real Zhongyuan sample, one made-up page per form the
issue lists, decoding, and Hypothesis properties (no character is lost; well-formed
pages come back exactly as they were made)."""

import re
import string
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.printimport.parser import (
    Byline,
    PageError,
    ParsedPage,
    Story,
    decode_page,
    normalise_punctuation,
    parse_page,
)
from tests.helpers import SAMPLE_PAGE as SAMPLE

needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason="the shared sample is not here")


# --- The accounting check ------------------------------------------------------

# Only these may be consumed as byline markup; anything else must reach a story field
# or `unplaced`, so the parser cannot hide text in its markers.
BYLINE_MARKUP = re.compile(
    r"(?:本报|新华社|中新社|人民日报|[\u4e00-\u9fff]{2,4}日报)?"
    r"(?:摄影|见习|实习|特约|首席|融媒体?|全媒体|特派)?(?:记者|评论员)"
    r"|(?:本报|特约)?通讯员|实习生|摄影|摄|[文图][/／][图文]|[文图][/／]|[（）()、，：:/／]"
    r"|供图|供稿|发|参与(?:采写|采访|报道|调研|写作)|——|—|[□■◎●◆◇▲△★☆]"
)
FULL_TO_HALF = str.maketrans("，；：？！（）", ",;:?!()")


def comparable_characters(text: str) -> Counter:
    """Non-whitespace characters, with the full-width marks the parser may write for
    half-width ones folded back, so that normalising punctuation is no loss."""
    return Counter(char for char in text.translate(FULL_TO_HALF) if not char.isspace())


def consumed_text(result: ParsedPage) -> str:
    pieces: list[str] = []
    for story in result.stories:
        pieces += [story.kicker, story.headline, story.subheadline, story.dateline]
        pieces += [byline.name for byline in story.bylines]
        pieces += [credit.name for credit in story.credits]
        pieces += story.byline_markers
        pieces += story.paragraphs
    pieces += result.unplaced
    return "".join(pieces)


def assert_every_character_accounted_for(text: str, result: ParsedPage) -> None:
    for story in result.stories:
        for marker in story.byline_markers:
            assert BYLINE_MARKUP.fullmatch(re.sub(r"\s", "", marker)), marker
    missing = comparable_characters(text) - comparable_characters(consumed_text(result))
    invented = comparable_characters(consumed_text(result)) - comparable_characters(text)
    assert not missing, f"lost: {''.join(missing.elements())!r}"
    assert not invented, f"invented: {''.join(invented.elements())!r}"


def bylines(story: Story) -> list[tuple[str, str]]:
    return [(byline.role, byline.name) for byline in story.bylines]


def parse(text: str) -> ParsedPage:
    result = parse_page(text)
    assert_every_character_accounted_for(text, result)
    return result


# --- The real sample -----------------------------------------------------------


@pytest.fixture(scope="module")
def sample_text() -> str:
    return decode_page(SAMPLE.read_bytes())


@pytest.fixture(scope="module")
def sample(sample_text) -> ParsedPage:
    return parse(sample_text)


@needs_sample
def test_sample_page_has_six_stories_and_nothing_unplaced(sample):
    assert len(sample.stories) == 6
    assert sample.unplaced == []


@needs_sample
def test_sample_single_heading_lines_are_headlines_kept_as_printed(sample):
    headlines = [story.headline for story in sample.stories[:4]]
    assert headlines == [
        "中原区委理论学习中心组召开2020年度第九次集体学习（扩大）会议 集中收听收看全国抗击新冠肺炎疫情表彰大会",
        "全景展现“绿水青山就是金山银山”发展理念 中原区“生态中原”摄影展开幕",
        "中原区领导调研贾鲁河片区推进情况 围绕“服务”二字 把工作做实做好",
        "“全城清洁”助力创文 中原区纪委监委开展党员志愿服务活动",
    ]
    assert all(story.kicker == story.subheadline == "" for story in sample.stories[:4])


@needs_sample
def test_sample_two_heading_lines_are_headline_and_subheadline(sample):
    fifth, sixth = sample.stories[4], sample.stories[5]
    assert (fifth.kicker, fifth.headline, fifth.subheadline) == (
        "",
        "齐谋划片区新发展 共助力产业开新局",
        "中原区政协组织核心片区建设专题视察",
    )
    assert (sixth.kicker, sixth.headline, sixth.subheadline) == (
        "",
        "创新服务模式 拓展服务渠道",
        "中原区召开网上政务服务能力提升工作推进会",
    )


@needs_sample
def test_sample_every_story_has_the_dateline_and_no_paragraph_repeats_it(sample):
    assert [story.dateline for story in sample.stories] == ["本报讯"] * 6
    for story in sample.stories:
        assert not any("本报讯" in paragraph for paragraph in story.paragraphs)
    assert sample.stories[0].paragraphs[0].startswith("9月8日上午，中原区委")


@needs_sample
def test_sample_bylines_are_read_with_their_roles(sample):
    reporter = ("reporter", "张改华")
    assert [bylines(story) for story in sample.stories] == [
        [reporter, ("correspondent", "吕杨子")],
        [reporter, ("correspondent", "张亮")],
        [reporter, ("correspondent", "木坤坤")],
        [reporter, ("correspondent", "吴赛")],
        [reporter, ("correspondent", "张黎")],
        [reporter],
    ]
    assert [story.text_and_photo for story in sample.stories] == [
        False,
        True,
        False,
        False,
        False,
        False,
    ]


@needs_sample
def test_sample_column_broken_paragraphs_are_joined_without_spaces(sample):
    first, third = sample.stories[0], sample.stories[2]
    assert len(first.paragraphs) == 3
    assert "坚定“四个自信”" in first.paragraphs[2]
    assert len(third.paragraphs) == 6
    assert "机制运行顺畅、工作成效较好" in third.paragraphs[2]
    assert "对表推进；要以周例会制度为平台" in third.paragraphs[4]
    assert [len(story.paragraphs) for story in sample.stories] == [3, 3, 6, 4, 4, 7]


@needs_sample
def test_sample_last_paragraph_of_the_page_is_not_swallowed_by_the_byline_under_it(sample):
    last = sample.stories[5]
    assert last.paragraphs[-1] == "全区41家“放管服”改革工作领导小组成员单位分管领导参加会议。"
    assert bylines(last) == [("reporter", "张改华")]


@needs_sample
def test_sample_half_width_punctuation_next_to_chinese_becomes_full_width(sample):
    text = "\n".join(p for story in sample.stories for p in story.paragraphs)
    assert "（CCD）为引领" in text
    assert "（试行）" in text
    assert "505.7万平方米" in text
    assert not re.search(r"[,;:?!()]", text)


@needs_sample
def test_sample_as_dict_has_exactly_the_agreed_keys(sample):
    as_dict = sample.stories[1].as_dict()
    assert set(as_dict) == {
        "kicker",
        "headline",
        "subheadline",
        "dateline",
        "bylines",
        "text_and_photo",
        "paragraphs",
    }
    assert as_dict["bylines"] == [
        {"role": "reporter", "name": "张改华"},
        {"role": "correspondent", "name": "张亮"},
    ]
    assert as_dict["text_and_photo"] is True


@needs_sample
def test_sample_encoded_in_gb18030_parses_the_same(sample, sample_text):
    from_gb18030 = parse(decode_page(sample_text.encode("gb18030")))
    assert from_gb18030 == sample


@needs_sample
def test_sample_with_windows_line_endings_and_bom_parses_the_same(sample, sample_text):
    data = b"\xef\xbb\xbf" + sample_text.replace("\n", "\r\n").encode("utf-8")
    assert parse(decode_page(data)) == sample


# --- Made-up pages, one per form ------------------------------------------------

BODY = "这是正文第一句，介绍活动情况。"


def test_three_heading_lines_are_kicker_headline_and_subheadline():
    page = "坚持人民至上\n\n绿色发展开新局\n中原区召开生态建设推进会\n\n本报讯 9月1日，会议召开。\n"
    story = parse(page).stories[0]
    assert (story.kicker, story.headline, story.subheadline) == (
        "坚持人民至上",
        "绿色发展开新局",
        "中原区召开生态建设推进会",
    )
    assert story.paragraphs == ["9月1日，会议召开。"]


def test_byline_under_the_headings_belongs_to_the_story():
    page = "老城换新颜\n\n本报记者 陈静 通讯员 刘强\n\n本报讯 老城改造完成。\n\n居民纷纷点赞。\n"
    result = parse(page)
    (story,) = result.stories
    assert bylines(story) == [("reporter", "陈静"), ("correspondent", "刘强")]
    assert story.paragraphs == ["老城改造完成。", "居民纷纷点赞。"]


def test_byline_under_the_headings_starts_a_story_without_a_dateline():
    page = (
        "第一篇的标题\n\n本报讯 第一篇正文。\n\n"  # no byline at the end of the first story
        "第二篇的标题\n记者 李明\n第二篇没有电头的正文。\n"
    )
    first, second = parse(page).stories
    assert first.paragraphs == ["第一篇正文。"]
    assert (second.headline, second.dateline, bylines(second)) == (
        "第二篇的标题",
        "",
        [("reporter", "李明")],
    )
    assert second.paragraphs == ["第二篇没有电头的正文。"]


@pytest.mark.parametrize(
    "dateline_line",
    [
        "本报讯（记者 李明 实习生 王芳）5月6日上午，活动举行。",
        "本报讯(记者 李明 实习生 王芳)5月6日上午,活动举行。",
        "本报讯 （记者李明 实习生王芳） 5月6日上午，活动举行。",
    ],
)
def test_bracketed_byline_in_the_dateline_becomes_bylines(dateline_line):
    story = parse(f"标题\n{dateline_line}\n").stories[0]
    assert story.dateline == "本报讯"
    assert bylines(story) == [("reporter", "李明"), ("intern", "王芳")]
    assert story.paragraphs == ["5月6日上午，活动举行。"]


def test_bracket_after_the_dateline_that_is_no_byline_stays_in_the_paragraph():
    story = parse("标题\n本报讯 （图片新闻）活动举行。\n").stories[0]
    assert story.bylines == []
    assert story.paragraphs == ["（图片新闻）活动举行。"]


def test_dateline_followed_by_a_space_or_nothing_is_taken_off_the_paragraph():
    spaced = parse("标题\n本报讯　9月1日，会议召开。\n").stories[0]
    alone = parse("标题\n本报讯\n9月1日，会议召开。\n").stories[0]
    glued = parse("标题\n本报讯9月1日，会议召开。\n").stories[0]
    for story in (spaced, alone, glued):
        assert story.dateline == "本报讯"
        assert story.paragraphs == ["9月1日，会议召开。"]


@pytest.mark.parametrize(
    ("first_line", "dateline"),
    [
        ("新华社北京9月8日电（记者 张三 李四）会议举行。", "新华社北京9月8日电"),
        ("本报郑州讯（记者 张三 李四）会议举行。", "本报郑州讯"),
    ],
)
def test_wire_and_city_datelines_are_recognised(first_line, dateline):
    story = parse(f"全国会议在京举行\n\n{first_line}\n").stories[0]
    assert story.dateline == dateline
    assert bylines(story) == [("reporter", "张三"), ("reporter", "李四")]
    assert story.paragraphs == ["会议举行。"]


@pytest.mark.parametrize(
    ("byline_lines", "expected", "text_and_photo"),
    [
        ("本报记者 陈静", [("reporter", "陈静")], False),
        ("摄影 记者 孙伟", [("photographer", "孙伟")], False),
        ("摄影记者 孙伟", [("photographer", "孙伟")], False),
        ("摄影：孙伟", [("photographer", "孙伟")], False),
        ("通讯员 刘强 赵敏 文/图", [("correspondent", "刘强"), ("correspondent", "赵敏")], True),
        ("通讯员 刘强、赵敏 文／图", [("correspondent", "刘强"), ("correspondent", "赵敏")], True),
        ("图/文 记者 李明", [("reporter", "李明")], True),
        ("图/文 李明", [("reporter", "李明")], True),
        ("李明 图/文", [("reporter", "李明")], True),
        (
            "记者 张改华\n通讯员 张亮 文/图",
            [("reporter", "张改华"), ("correspondent", "张亮")],
            True,
        ),
        (
            "记者 张改华\n\n\n通讯员 张亮",
            [("reporter", "张改华"), ("correspondent", "张亮")],
            False,
        ),
        ("记者 李明 摄", [("photographer", "李明")], False),
        ("见习记者 周洋 实习生 吴娟", [("intern", "周洋"), ("intern", "吴娟")], False),
        ("记者 阿不都·热合曼", [("reporter", "阿不都·热合曼")], False),
    ],
)
def test_byline_forms_at_the_end_of_a_story(byline_lines, expected, text_and_photo):
    page = f"标题\n\n本报讯 {BODY}\n\n{byline_lines}\n\n下一篇标题\n\n本报讯 {BODY}\n"
    first, second = parse(page).stories
    assert bylines(first) == expected
    assert first.text_and_photo is text_and_photo
    assert first.paragraphs == [BODY]
    assert (second.headline, second.bylines) == ("下一篇标题", [])


def test_heading_that_starts_with_a_role_word_is_not_a_byline():
    story = parse("记者走基层\n探访城市清洁工\n本报讯 清晨五点。\n").stories[0]
    assert (story.headline, story.subheadline, story.bylines) == (
        "记者走基层",
        "探访城市清洁工",
        [],
    )


def test_story_without_dateline_after_a_byline_is_found_by_its_long_paragraph():
    page = f"第一篇\n本报讯 {BODY}\n记者 李明\n\n第二篇\n副题\n{BODY}\n\n{BODY}\n"
    first, second = parse(page).stories
    assert (second.headline, second.subheadline, second.dateline) == ("第二篇", "副题", "")
    assert second.paragraphs == [BODY, BODY]


def test_short_unfinished_fragment_continues_the_paragraph():
    page = "标题\n本报讯 他们不断增强“四个意识”、坚定\n\n“四个自信”、做到“两个维护”。\n"
    story = parse(page).stories[0]
    assert story.paragraphs == ["他们不断增强“四个意识”、坚定“四个自信”、做到“两个维护”。"]


def test_a_paragraph_ending_in_a_closing_quote_mid_sentence_continues():
    page = "标题\n本报讯 扎实做好“六稳”\n工作。\n"
    assert parse(page).stories[0].paragraphs == ["扎实做好“六稳”工作。"]


def test_a_quotation_that_ends_a_sentence_ends_the_paragraph():
    page = "标题\n本报讯 他说：“我们一定做好。”\n\n会议结束。\n"
    assert parse(page).stories[0].paragraphs == ["他说：“我们一定做好。”", "会议结束。"]


def test_subheads_inside_a_story_stay_in_the_story():
    # No line of this page is cut by a column: the short line is a subhead, its own
    # paragraph (test_printimport_forms.py has the column-broken kind).
    page = f"标题\n本报讯 {BODY}\n\n坚持党建引领\n\n{BODY}\n\n记者 李明\n"
    result = parse(page)
    (story,) = result.stories
    assert story.paragraphs == [BODY, "坚持党建引领", BODY]
    assert story.subheads == [1]


def test_next_story_starts_even_when_the_previous_one_has_no_byline():
    page = f"第一篇\n本报讯 {BODY}\n\n第二篇\n\n第二篇副题\n本报讯 {BODY}\n"
    first, second = parse(page).stories
    assert first.paragraphs == [BODY]
    assert (second.headline, second.subheadline) == ("第二篇", "第二篇副题")


def test_paragraphs_need_no_blank_lines_between_them():
    page = f"标题\n本报讯 {BODY}\n{BODY}\n{BODY}\n记者 李明\n"
    story = parse(page).stories[0]
    assert story.paragraphs == [BODY] * 3


def test_text_before_the_first_story_is_unplaced_not_dropped():
    page = f"上接第一版 会议强调，要狠抓落实。\n记者 王芳\n\n标题\n\n本报讯 {BODY}\n"
    result = parse(page)
    assert [story.headline for story in result.stories] == ["标题"]
    assert result.unplaced == ["上接第一版 会议强调，要狠抓落实。", "记者 王芳"]


def test_short_line_and_paragraph_at_the_top_are_read_as_a_story_without_dateline():
    # Known ambiguity: a page header followed by a continued paragraph looks exactly
    # like a headline and its story. The editor sees it as a story, nothing is lost.
    page = f"中原区报 第2版\n上接第一版 会议强调，要狠抓落实。\n\n标题\n\n本报讯 {BODY}\n"
    first, second = parse(page).stories
    assert (first.headline, first.dateline) == ("中原区报 第2版", "")
    assert second.headline == "标题"


def test_more_than_three_heading_lines_leave_the_first_unplaced():
    page = f"版头\n引题\n主题\n副题\n本报讯 {BODY}\n"
    result = parse(page)
    story = result.stories[0]
    assert (story.kicker, story.headline, story.subheadline) == ("引题", "主题", "副题")
    assert result.unplaced == ["版头"]


def test_stray_lines_after_a_byline_are_unplaced():
    page = f"标题\n本报讯 {BODY}\n记者 李明\n\n（下转第四版）\n\n通讯员 王芳\n"
    result = parse(page)
    assert bylines(result.stories[0]) == [("reporter", "李明")]
    assert result.unplaced == ["（下转第四版）", "通讯员 王芳"]


def test_page_without_any_story_is_all_unplaced():
    result = parse("还有一行。\n\n只有一行字\n记者 李明\n")
    assert result.stories == []
    assert result.unplaced == ["还有一行。", "只有一行字", "记者 李明"]


def test_column_break_inside_an_english_word_keeps_words_apart():
    page = "标题\n本报讯 会议主题是 open\nsource 软件。\n"
    assert parse(page).stories[0].paragraphs == ["会议主题是 open source 软件。"]


@pytest.mark.parametrize(
    ("printed", "normalised"),
    [
        ("文化区(CCD)为引领", "文化区（CCD）为引领"),
        ("会议(扩大)召开", "会议（扩大）召开"),
        ("上午,会议召开;下午:讨论?是!", "上午，会议召开；下午：讨论？是！"),
        ("总面积约505.7万平方米", "总面积约505.7万平方米"),
        ("投资10,000元", "投资10,000元"),
        ("时间:9:30", "时间：9:30"),
        ("He said (quietly), yes: no!", "He said (quietly), yes: no!"),
        ("the (CCD) 区", "the (CCD) 区"),
        ("“两个维护”,弘扬", "“两个维护”，弘扬"),
    ],
)
def test_half_width_punctuation_becomes_full_width_only_inside_chinese(printed, normalised):
    assert normalise_punctuation(printed) == normalised


def test_as_dict_lists_bylines_as_role_and_name():
    story = Story(
        headline="标题",
        bylines=[Byline(role="reporter", name="李明")],
        paragraphs=["正文。"],
    )
    assert story.as_dict() == {
        "kicker": "",
        "headline": "标题",
        "subheadline": "",
        "dateline": "",
        "bylines": [{"role": "reporter", "name": "李明"}],
        "text_and_photo": False,
        "paragraphs": ["正文。"],
    }


# --- Decoding --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english_messages():
    """The project speaks Chinese by default; the message checks below read English."""
    from django.apps import apps

    if not apps.ready:  # run without pytest-django: messages are untranslated anyway
        yield
        return
    from django.utils import translation

    with translation.override("en"):
        yield


PAGE = "标题\n本报讯（记者 李明）会议召开。\n记者 李明\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_page_is_decoded_from_common_chinese_encodings(encoding):
    assert decode_page(PAGE.encode(encoding)) == PAGE


def test_windows_and_old_mac_line_endings_become_newlines():
    assert decode_page("一\r\n二\r三\n".encode()) == "一\n二\n三\n"


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n"])
def test_empty_file_is_refused(data):
    with pytest.raises(PageError, match="empty"):
        decode_page(data)


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105d3a1c50000000049454e44ae426082"
)


@pytest.mark.parametrize("data", [PNG, b"\x00\x01\x02text", bytes(range(1, 32)) * 4])
def test_binary_file_is_refused(data):
    with pytest.raises(PageError, match="not a text file"):
        decode_page(data)


def test_short_gb18030_text_that_happens_to_be_valid_utf8_is_read_as_chinese():
    # 木 is C4 BE in GB18030, which UTF-8 reads as "ľ".
    assert decode_page("木".encode("gb18030")) == "木"


def test_accented_latin_text_in_utf8_stays_utf8():
    text = "Café, crème brûlée et pâté à la française."
    assert decode_page(text.encode()) == text


def test_undecodable_file_is_refused():
    with pytest.raises(PageError, match="encoding"):
        decode_page(b"\x80\x81\xff\xfe\x80abc\xff")


def test_error_messages_are_sentences_for_the_user():
    with pytest.raises(PageError) as raised:
        decode_page(b"")
    message = str(raised.value)
    assert message[0].isupper() or not message.isascii()
    assert message.endswith((".", "。"))


# --- Properties ------------------------------------------------------------------

HYPOTHESIS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that cannot spell a role word, a dateline or a name by accident (no common
# surname among them: the parser takes 金木 on a line of its own for a signature).
TEXT_CHARS = "山水花鸟天地人和春霞秋冬东西南北溪河湖海竹木火土月星云风雨霜光明清华安平长乐泰宁"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN_NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀霞刚桂英"
SENTENCE_ENDS = "。！？"
ROLE_WORDS = {
    "reporter": ["记者", "本报记者"],
    "correspondent": ["通讯员", "特约通讯员"],
    "intern": ["实习生"],
    "photographer": ["摄影", "摄影记者", "摄影 记者"],
}
# Full-width marks that a page may print half-width; all sit between Chinese
# characters in generated text, so the parser must restore them.
PRINTED_HALF_WIDTH = {"，": ",", "；": ";", "？": "?", "！": "!", "（": "(", "）": ")"}

# Words are drawn whole (one choice each, not one per character) to keep the
# properties fast; their lengths vary so that headings and column breaks do.
WORDS = [
    (TEXT_CHARS * 2)[start : start + length]
    for length in (2, 3, 4, 6, 9, 12)
    for start in range(0, len(TEXT_CHARS), 5)
]
words = st.sampled_from(WORDS)
names = st.builds(
    lambda surname, given: surname + given,
    st.sampled_from(SURNAMES),
    st.text(alphabet=GIVEN_NAMES, min_size=1, max_size=2),
)


@st.composite
def headings(draw) -> list[str]:
    def heading() -> str:
        parts = draw(st.lists(words, min_size=1, max_size=2))
        if draw(st.booleans()):
            parts[0] = f"“{parts[0]}”"
        return draw(st.sampled_from([" ", "，", "　"])).join(parts)

    return [heading() for _ in range(draw(st.integers(1, 3)))]


@st.composite
def paragraphs(draw) -> str:
    sentences = []
    for _ in range(draw(st.integers(1, 2))):
        clauses = draw(st.lists(words, min_size=1, max_size=3))
        if draw(st.booleans()):
            # Latin and numbers in the middle of Chinese, never at a clause's edge.
            clauses[0] = (
                clauses[0][0] + draw(st.sampled_from(["3.5", "2020", "CCD"])) + clauses[0][1:]
            )
        if draw(st.booleans()):
            clauses[-1] = f"{clauses[-1][0]}（{draw(words)}）{clauses[-1][1:]}"
        sentence = draw(st.sampled_from(["，", "、", "；"])).join(clauses)
        sentence += draw(st.sampled_from(SENTENCE_ENDS))
        if draw(st.booleans()):
            sentence = f"“{sentence}”"
        sentences.append(sentence)
    return "".join(sentences)


@st.composite
def byline_groups(draw, *, allow_roleless_first: bool) -> list[tuple[str | None, str, list[str]]]:
    """(role word as printed or None, role, names) in printed order."""
    groups = []
    for position in range(draw(st.integers(1, 2))):
        role = draw(st.sampled_from(sorted(ROLE_WORDS)))
        role_word = draw(st.sampled_from(ROLE_WORDS[role]))
        if position == 0 and allow_roleless_first and draw(st.booleans()):
            role_word, role = None, "reporter"
        groups.append((role_word, role, draw(st.lists(names, min_size=1, max_size=3))))
    return groups


def render_group(role_word: str | None, names_: list[str], separator: str) -> str:
    return " ".join(filter(None, [role_word, separator.join(names_)]))


@st.composite
def byline_blocks(draw) -> tuple[list[str], list[tuple[str, str]], bool]:
    """Printed byline lines, the bylines they mean, and whether they say 文/图."""
    mark = draw(st.sampled_from([None, "文/图", "图/文", "文／图"]))
    mark_first = mark is not None and draw(st.booleans())
    groups = draw(byline_groups(allow_roleless_first=mark_first))
    separator = draw(st.sampled_from([" ", "、"]))
    printed = [render_group(word, group_names, separator) for word, _role, group_names in groups]
    if draw(st.booleans()):
        printed = [" ".join(printed)]
    if mark_first:
        printed[0] = f"{mark} {printed[0]}"
    elif mark:
        printed[-1] = f"{printed[-1]} {mark}"
    meant = [(role, name) for _word, role, group_names in groups for name in group_names]
    return printed, meant, mark is not None


@st.composite
def stories(draw) -> dict:
    story = {
        "headings": draw(headings()),
        "paragraphs": draw(st.lists(paragraphs(), min_size=1, max_size=3)),
    }
    story["dateline"] = draw(
        st.sampled_from(["", "本报讯", "本报讯", "本报郑州讯", "新华社北京9月8日电"])
    )
    story["top"] = draw(st.none() | byline_blocks())
    story["bracket"] = None
    if story["dateline"] and draw(st.booleans()):
        groups = draw(byline_groups(allow_roleless_first=False))
        separator = draw(st.sampled_from([" ", ""]))
        inside = " ".join(
            separator.join([word or "", "、".join(group_names)])
            for word, _role, group_names in groups
        )
        opening, closing = draw(st.sampled_from([("（", "）"), ("(", ")")]))
        story["bracket"] = (
            f"{opening}{inside}{closing}",
            [(role, name) for _word, role, group_names in groups for name in group_names],
        )
    story["bottom"] = draw(st.none() | byline_blocks())
    story["dateline_alone"] = draw(st.booleans())
    return story


def is_finished(text: str) -> bool:
    return text.rstrip("”）")[-1:] in set(SENTENCE_ENDS + "；：…")


@st.composite
def column_breaks(draw, paragraph: str, printed: str) -> list[str]:
    """Cut a paragraph where a print column might end: anywhere but after a sentence's
    end (that would end the paragraph) and inside Latin words or numbers."""
    allowed = [
        cut
        for cut in range(1, len(paragraph))
        if not is_finished(paragraph[:cut])
        and not (paragraph[cut - 1].isascii() or paragraph[cut].isascii())
    ]
    cuts = sorted(draw(st.sets(st.sampled_from(allowed), max_size=3))) if allowed else []
    bounds = [0, *cuts, len(paragraph)]
    return [printed[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]


def shows_a_column_break(pieces: list[str], *, with_dateline: bool) -> bool:
    """Would a reader see that this paragraph was cut by a column? A piece that ends on a
    comma, or holds a sentence's end and goes on, or is the dateline's unfinished first
    line."""
    for number, piece in enumerate(pieces[:-1]):
        piece = piece.translate(str.maketrans(",;?!(", "，；？！（"))
        if piece.endswith(("，", "、", "（")) or any(mark in piece for mark in "。；"):
            return True
        if number == 0 and with_dateline:
            return True
    return False


def print_half_width(text: str, marks: set[str]) -> str:
    return "".join(PRINTED_HALF_WIDTH[char] if char in marks else char for char in text)


@st.composite
def pages(draw) -> tuple[str, list[dict]]:
    made = draw(st.lists(stories(), min_size=1, max_size=4))
    for previous, story in zip(made, made[1:], strict=False):
        # Without a dateline or a byline under its headings, a story can only be told
        # from a subhead of the story before if that one closed with a byline.
        if not story["dateline"] and not story["top"] and not previous["bottom"]:
            story["dateline"] = "本报讯"
    # Which full-width marks this page prints half-width.
    half_width_marks = draw(st.sets(st.sampled_from(sorted(PRINTED_HALF_WIDTH))))
    printed_pieces = {}
    for number_of_story, story in enumerate(made):
        for number, paragraph in enumerate(story["paragraphs"]):
            printed = print_half_width(paragraph, half_width_marks)
            # The first paragraph of a story without a dateline must look like one.
            printed_pieces[number_of_story, number] = (
                [printed]
                if number == 0 and not story["dateline"]
                else draw(column_breaks(paragraph, printed))
            )
    if not any(
        shows_a_column_break(pieces, with_dateline=number == 0 and bool(made[s]["dateline"]))
        for (s, number), pieces in printed_pieces.items()
    ):
        # A page whose cuts all look like whole lines (山 / 水。) reads as an e-paper page,
        # where a short line is a subhead: such a page is printed whole.
        printed_pieces = {key: ["".join(pieces)] for key, pieces in printed_pieces.items()}
    lines: list[str] = []
    for number_of_story, story in enumerate(made):
        lines += [print_half_width(heading, half_width_marks) for heading in story["headings"]]
        if story["top"]:
            lines += story["top"][0]
        for number in range(len(story["paragraphs"])):
            pieces = list(printed_pieces[number_of_story, number])
            if number == 0 and story["dateline"]:
                opening = story["dateline"] + (story["bracket"][0] if story["bracket"] else "")
                if story["dateline_alone"]:
                    lines.append(opening)
                else:
                    pieces[0] = opening + draw(st.sampled_from(["", " ", "　"])) + pieces[0]
            indent = draw(st.sampled_from(["", "　　", "  "]))
            lines += [indent + piece for piece in pieces]
        if story["bottom"]:
            lines += story["bottom"][0]
    text = ""
    for line in lines:
        text += line + draw(st.sampled_from([" ", "", "\t"])) + "\n" * draw(st.integers(1, 4))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text, made


def expected_story(made: dict) -> dict:
    headings = made["headings"]
    kicker, headline, subheadline = {
        1: ("", headings[0], ""),
        2: ("", *headings),
        3: tuple(headings),
    }[len(headings)]
    expected_bylines = []
    text_and_photo = False
    for block in (made["top"], made["bracket"], made["bottom"]):
        if block:
            expected_bylines += block[1]
            text_and_photo = text_and_photo or (len(block) == 3 and block[2])
    return {
        "kicker": kicker,
        "headline": headline,
        "subheadline": subheadline,
        "dateline": made["dateline"],
        "bylines": [{"role": role, "name": name} for role, name in expected_bylines],
        "text_and_photo": text_and_photo,
        "paragraphs": made["paragraphs"],
    }


@HYPOTHESIS
@given(pages())
def test_well_formed_pages_come_back_exactly_as_made(page):
    text, made = page
    result = parse(text)
    assert result.unplaced == []
    assert [story.as_dict() for story in result.stories] == [expected_story(s) for s in made]


JUNK_PIECES = [
    "本报讯",
    "记者",
    "本报记者",
    "通讯员",
    "实习生",
    "摄影",
    "摄",
    "文/图",
    "图／文",
    "张改华",
    "李明",
    "、",
    "，",
    ",",
    "。",
    "(",
    ")",
    "（",
    "）",
    "“",
    "”",
    ":",
    "新华社北京9月8日电",
    " ",
    "　",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "CCD",
    "3.5",
    "中原区召开会议",
    "会议强调要狠抓落实",
]


@HYPOTHESIS
@given(
    st.lists(
        st.sampled_from(JUNK_PIECES)
        | st.text(alphabet=TEXT_CHARS, max_size=80)
        | st.text(max_size=8),
        max_size=60,
    ).map("".join)
)
def test_no_character_of_any_text_is_lost_or_invented(text):
    parse(text)


@settings(HYPOTHESIS, max_examples=100)
@given(pages(), st.lists(st.sampled_from(JUNK_PIECES) | st.text(max_size=5), max_size=20))
def test_junk_mixed_into_a_page_is_accounted_for(page, junk):
    text, _made = page
    lines = text.split("\n")
    for position, piece in enumerate(junk):
        lines.insert((position * 7) % (len(lines) + 1), piece)
    parse("\n".join(lines))


@HYPOTHESIS
@given(
    st.text(
        alphabet=TEXT_CHARS + string.ascii_letters + "，。\n ", min_size=1, max_size=200
    ).filter(str.strip),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_decoding_gives_back_the_text_that_was_encoded(text, encoding):
    assert decode_page(text.encode(encoding)) == text


@HYPOTHESIS
@given(st.binary(max_size=300))
def test_any_bytes_are_either_refused_with_a_message_or_read_as_text(data):
    try:
        text = decode_page(data)
    except PageError as error:
        assert str(error)
    else:
        assert "\x00" not in text and "\r" not in text
        parse(text)
