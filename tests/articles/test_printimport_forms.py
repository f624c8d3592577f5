"""The forms of print pages the parser reads, each on a made-up page in both kinds of
input: copied from an e-paper (one paragraph a line) and exported from the layout program
(paragraphs cut at the foot of each column). The text is written for these tests.

A page is written once with `|` where a column ended; `epaper()` prints it with no cuts,
`layout()` cuts the lines there and sets a blank line between all lines, as the layout
program's export does. Both must give the same stories."""

from __future__ import annotations

import pytest

from articles.printimport.parser import Story, parse_page
from tests.articles.test_printimport_parser import assert_every_character_accounted_for

# A paragraph the layout program cut after a comma, so that the page shows its breaks.
CUT = "会议要求，|各级各部门要提高认识、压实责任，确保各项任务落到实处。"
WHOLE = CUT.replace("|", "")


def epaper(page: str) -> str:
    return page.replace("|", "")


def layout(page: str) -> str:
    return "\n\n".join(line for part in page.split("\n") for line in part.split("|")) + "\n"


KINDS = pytest.mark.parametrize("printed", [epaper, layout], ids=["epaper", "layout"])


def parse(text: str):
    result = parse_page(text)
    assert_every_character_accounted_for(text, result)
    return result


def headings(story: Story) -> tuple[str, str, str]:
    return story.kicker, story.headline, story.subheadline


def bylines(story: Story) -> list[tuple[str, str]]:
    return [(byline.role, byline.name) for byline in story.bylines]


def credits(story: Story) -> list[tuple[str, str]]:
    return [(credit.role, credit.name) for credit in story.credits]


# --- Telling the kinds apart -------------------------------------------------------


def test_on_an_epaper_page_a_short_unpunctuated_line_is_never_glued_to_the_next():
    page = "全市春季植树活动启动\n本报讯 3月5日，全市春季义务植树活动启动。\n种下一片新绿\n市民们扛起铁锹，挥汗如雨。\n"
    (story,) = parse(page).stories
    assert story.paragraphs == [
        "3月5日，全市春季义务植树活动启动。",
        "种下一片新绿",
        "市民们扛起铁锹，挥汗如雨。",
    ]
    assert story.subheads == [1]


def test_on_a_layout_page_the_same_short_line_is_a_column_fragment():
    page = layout(
        "全市春季植树活动启动\n本报讯 3月5日，全市春季义务植树活动启动。\n种下一片新绿\n"
        f"市民们扛起铁锹，挥汗如雨。\n{CUT}\n"
    )
    (story,) = parse(page).stories
    assert story.paragraphs == [
        "3月5日，全市春季义务植树活动启动。",
        "种下一片新绿市民们扛起铁锹，挥汗如雨。",
        WHOLE,
    ]
    assert story.subheads == []


# --- Kickers -------------------------------------------------------------------------


@KINDS
@pytest.mark.parametrize(
    ("heading_lines", "expected"),
    [
        ("聚焦春耕备耕——\n农机下田正当时", ("聚焦春耕备耕——", "农机下田正当时", "")),
        ("【民生关注】\n老旧小区换新颜", ("【民生关注】", "老旧小区换新颜", "")),
        ("城事·观察\n夜间经济点亮城市", ("城事·观察", "夜间经济点亮城市", "")),
        (
            "奋进新征程\n农机下田正当时\n全县春耕面积超十万亩",
            ("奋进新征程", "农机下田正当时", "全县春耕面积超十万亩"),
        ),
        ("农机下田正当时\n全县春耕面积超十万亩", ("", "农机下田正当时", "全县春耕面积超十万亩")),
        (
            "农机下田正当时\n——访县农机站站长刘建国",
            ("", "农机下田正当时", "——访县农机站站长刘建国"),
        ),
    ],
    ids=["dash", "bracket-label", "dot-label", "three-lines", "two-lines", "interview"],
)
def test_kicker_headline_and_subheadline(printed, heading_lines, expected):
    (story,) = parse(printed(f"{heading_lines}\n本报讯 {CUT}\n")).stories
    assert headings(story) == expected
    assert story.paragraphs == [WHOLE]


@KINDS
def test_a_column_tag_under_the_headline_stays_in_the_headline(printed):
    page = printed(f"别让“打卡”变了味\n（城市时评）\n{CUT}\n打卡不是目的，服务群众才是根本。\n")
    (story,) = parse(page).stories
    assert headings(story) == ("", "别让“打卡”变了味（城市时评）", "")
    assert story.paragraphs == [WHOLE, "打卡不是目的，服务群众才是根本。"]


# --- Names padded for print ----------------------------------------------------------


@KINDS
@pytest.mark.parametrize(
    ("byline_line", "expected"),
    [
        ("本报记者  李  明  王  芳", [("reporter", "李明"), ("reporter", "王芳")]),
        ("记者 郭  宁 通讯员 韩立新", [("reporter", "郭宁"), ("correspondent", "韩立新")]),
        ("本报记者\u3000陈\u3000静", [("reporter", "陈静")]),
    ],
)
def test_padded_names_are_names(printed, byline_line, expected):
    (story,) = parse(printed(f"老城换新颜\n{byline_line}\n{CUT}\n")).stories
    assert headings(story) == ("", "老城换新颜", "")
    assert bylines(story) == expected
    assert story.paragraphs == [WHOLE]


@KINDS
def test_padded_names_in_the_datelines_bracket(printed):
    (story,) = parse(printed(f"标题\n本报讯（记者 刘  畅 实习生 冉  冉）{CUT}\n")).stories
    assert bylines(story) == [("reporter", "刘畅"), ("intern", "冉冉")]
    assert story.paragraphs == [WHOLE]


# --- Bylines and credits without 记者 ------------------------------------------------


NEXT = "下一篇的标题\n本报讯 下一篇的正文。\n"


@KINDS
@pytest.mark.parametrize(
    ("credit_line", "expected_bylines", "expected_credits"),
    [
        ("林  晓", [("reporter", "林晓")], []),
        ("欧阳明", [("reporter", "欧阳明")], []),
        ("□ 钟  毅", [("reporter", "钟毅")], []),
        ("——陈思远", [("reporter", "陈思远")], []),
        ("张涛 摄", [("photographer", "张涛")], []),
        ("张涛摄", [("photographer", "张涛")], []),
        ("本报记者 高  远 摄", [("photographer", "高远")], []),
        ("新华社记者 王 磊 摄", [("photographer", "王磊")], []),
        ("李  航摄（人民视觉）", [("photographer", "李航")], [("photo", "人民视觉")]),
        ("新华社发（张  涛 摄）", [("photographer", "张涛")], [("photo", "新华社")]),
        ("某某县文旅局供图", [], [("photo", "某某县文旅局")]),
        ("（新华社供图）", [], [("photo", "新华社")]),
        ("（赵敏参与采写）", [("reporter", "赵敏")], []),
        ("（赵敏、孙浩参与采写）", [("reporter", "赵敏"), ("reporter", "孙浩")], []),
        ("——编  者", [], [("editor", "编者")]),
        ("文/图 李明", [("reporter", "李明")], []),
        ("（本报记者 张三 摄）", [("photographer", "张三")], []),
        ("摄影/李四", [("photographer", "李四")], []),
    ],
)
def test_credit_forms_at_the_end_of_a_story(
    printed, credit_line, expected_bylines, expected_credits
):
    page = printed(f"评论的标题\n打卡不是目的，服务群众才是根本。\n{CUT}\n{credit_line}\n{NEXT}")
    first, second = parse(page).stories
    assert bylines(first) == expected_bylines
    assert credits(first) == expected_credits
    assert first.paragraphs == ["打卡不是目的，服务群众才是根本。", WHOLE]
    assert headings(second) == ("", "下一篇的标题", "")


@KINDS
def test_an_unrecognised_credit_never_becomes_the_next_storys_kicker(printed):
    page = printed(
        f"第一篇\n本报讯 {CUT}\n记者 李明\n（资料图片）\n第二篇\n第二篇的副题\n本报讯 第二篇正文。\n"
    )
    result = parse(page)
    first, second = result.stories
    assert headings(second) == ("", "第二篇", "第二篇的副题")
    assert result.unplaced == ["（资料图片）"]


@KINDS
def test_a_bare_name_under_a_commentarys_headline_is_its_author(printed):
    (story,) = parse(printed(f"让城市更有温度\n林  晓\n{CUT}\n")).stories
    assert headings(story) == ("", "让城市更有温度", "")
    assert bylines(story) == [("reporter", "林晓")]


# --- Datelines ------------------------------------------------------------------------


@KINDS
@pytest.mark.parametrize(
    ("first_line", "dateline", "expected_bylines"),
    [
        (f"据新华社北京1月1日电 {CUT}", "据新华社北京1月1日电", []),
        (f"本报北京1月1日电（记者 陈思远）{CUT}", "本报北京1月1日电", [("reporter", "陈思远")]),
        (
            f"新华社北京1月1日电（新华社记者 张三 李四）{CUT}",
            "新华社北京1月1日电",
            [("reporter", "张三"), ("reporter", "李四")],
        ),
        (f"中新社上海1月1日电（记者 梁  晨）{CUT}", "中新社上海1月1日电", [("reporter", "梁晨")]),
        (f"人民网郑州1月1日电 {CUT}", "人民网郑州1月1日电", []),
        (f"央视网消息 {CUT}", "央视网消息", []),
        (f"据新华社电 {CUT}", "据新华社电", []),
    ],
)
def test_datelines_of_agencies_and_papers(printed, first_line, dateline, expected_bylines):
    (story,) = parse(printed(f"全国会议在京举行\n{first_line}\n")).stories
    assert story.dateline == dateline
    assert bylines(story) == expected_bylines
    assert story.paragraphs == [WHOLE]


@KINDS
def test_an_agencys_reporter_line_under_the_headline(printed):
    (story,) = parse(printed(f"全国会议在京举行\n新华社记者 张三 李四\n{CUT}\n")).stories
    assert bylines(story) == [("reporter", "张三"), ("reporter", "李四")]


# --- Stories with no dateline and no byline ---------------------------------------------


@KINDS
def test_a_photo_story_after_a_story_without_byline_is_its_own_story(printed):
    page = printed(
        f"第一篇\n本报讯 {CUT}\n古城迎春\n3月2日，市民在古城墙下观赏花灯。\n本报记者 高  远 摄\n"
    )
    first, second = parse(page).stories
    assert first.paragraphs == [WHOLE]
    assert headings(second) == ("", "古城迎春", "")
    assert bylines(second) == [("photographer", "高远")]
    assert second.paragraphs == ["3月2日，市民在古城墙下观赏花灯。"]


@KINDS
def test_a_photo_story_with_its_credit_on_the_captions_line(printed):
    page = printed(
        f"第一篇\n本报讯 {CUT}\n春耕时节农机忙\n3月3日，农民驾驶农机进行春耕作业。 新华社发（张  涛 摄）\n"
    )
    first, second = parse(page).stories
    assert headings(second) == ("", "春耕时节农机忙", "")
    assert bylines(second) == [("photographer", "张涛")]
    assert credits(second) == [("photo", "新华社")]
    assert second.paragraphs == ["3月3日，农民驾驶农机进行春耕作业。"]


@KINDS
def test_a_headline_under_a_signed_commentary_starts_a_story(printed):
    page = printed(
        f"评论的标题\n{CUT}\n林  晓\n春日花海引客来\n游客在公园的油菜花田中游玩赏景。\n某某县文旅局供图\n"
    )
    first, second = parse(page).stories
    assert bylines(first) == [("reporter", "林晓")]
    assert headings(second) == ("", "春日花海引客来", "")
    assert credits(second) == [("photo", "某某县文旅局")]


def test_on_an_epaper_page_two_heading_lines_start_a_story_even_without_a_byline():
    page = f"第一篇\n本报讯 {WHOLE}\n第二篇的标题\n第二篇的副题\n第二篇的正文，没有电头。\n"
    first, second = parse(page).stories
    assert first.paragraphs == [WHOLE]
    assert headings(second) == ("", "第二篇的标题", "第二篇的副题")


def test_on_an_epaper_page_a_blank_line_before_a_headline_parts_the_stories():
    page = f"第一篇\n本报讯 {WHOLE}\n\n第二篇的标题\n第二篇的正文，没有电头。\n"
    first, second = parse(page).stories
    assert headings(second) == ("", "第二篇的标题", "")
    assert second.paragraphs == ["第二篇的正文，没有电头。"]


# --- Inside a story ----------------------------------------------------------------------


@KINDS
@pytest.mark.parametrize(
    "subhead",
    [
        "“合作社+农户”模式见成效",
        "为何屡禁不止？",
        "一、加强组织领导",
        "（二）压实工作责任",
        "记者手记",
        "人物小传",
        "短评",
    ],
)
def test_subheads_and_box_labels_stay_their_own_marked_paragraphs(printed, subhead):
    page = printed(f"标题\n本报讯 {CUT}\n{subhead}\n村民们正忙着采摘、分拣、装箱。\n记者 李明\n")
    (story,) = parse(page).stories
    assert story.paragraphs == [WHOLE, subhead, "村民们正忙着采摘、分拣、装箱。"]
    assert story.subheads == [1]
    assert bylines(story) == [("reporter", "李明")]


@KINDS
def test_a_box_label_after_the_byline_belongs_to_the_story(printed):
    page = printed(f"标题\n本报讯 {CUT}\n记者 李明\n记者手记\n采访中，他反复提到“扎根”二字。\n")
    (story,) = parse(page).stories
    assert story.paragraphs == [WHOLE, "记者手记", "采访中，他反复提到“扎根”二字。"]
    assert story.subheads == [1]


@KINDS
def test_an_interview_keeps_its_questions_and_answers_as_paragraphs(printed):
    page = printed(
        "让每一粒种子都有好归宿\n——访种业专家郑国华\n本报记者  何  静\n"
        f"{CUT}\n问：今年您最关注什么？\n答：我最关注种业科技自立自强。\n"
    )
    (story,) = parse(page).stories
    assert headings(story) == ("", "让每一粒种子都有好归宿", "——访种业专家郑国华")
    assert bylines(story) == [("reporter", "何静")]
    assert story.paragraphs == [WHOLE, "问：今年您最关注什么？", "答：我最关注种业科技自立自强。"]


@KINDS
def test_a_photo_caption_with_its_credit_stays_its_own_paragraph(printed):
    page = printed(
        f"标题\n本报记者 宋佳琪\n{CUT}\n图为改造后的某某街。 宋佳琪 摄\n居民老周说，住得舒心。\n"
    )
    (story,) = parse(page).stories
    assert story.paragraphs == [WHOLE, "图为改造后的某某街。", "居民老周说，住得舒心。"]
    assert bylines(story) == [("reporter", "宋佳琪"), ("photographer", "宋佳琪")]


def test_the_detailed_dict_names_credits_and_subheads():
    (story,) = parse(f"标题\n本报讯 {WHOLE}\n记者手记\n正文。\n某某县文旅局供图\n").stories
    detailed = story.as_dict(detailed=True)
    assert detailed["credits"] == [{"role": "photo", "name": "某某县文旅局"}]
    assert detailed["subheads"] == [1]
    assert set(story.as_dict()) == set(detailed) - {"credits", "subheads"}
