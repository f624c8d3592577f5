"""PDF pages the tests make themselves, with each story's true region known (sample.py)."""

from __future__ import annotations

from articles.digital.sample import Flow, Page, Rect, SampleStory, columns, pdf_bytes

STORIES = [
    SampleStory(
        kicker="聚焦城市更新——",
        headline="老旧小区改造惠及三万户居民",
        subheadline="今年计划完成改造项目四十二个",
        paragraphs=[
            "本报讯（记者 张改华 通讯员 吕杨子）记者昨日从区住建局获悉，今年全区计划完成老旧小区改造项目四十二个，惠及居民三万余户，目前已有十八个项目开工建设。",
            "据介绍，改造内容包括屋面防水、外墙保温、管网更新和加装电梯等，区里还将同步建设社区养老和托育设施，让居民在家门口享受便利服务。",
            "区住建局负责人表示，改造过程中将充分听取居民意见，做到一小区一方案，确保改造工程经得起检验。",
        ],
    ),
    SampleStory(
        headline="贾鲁河畔新添健身步道",
        paragraphs=[
            "本报讯（通讯员 木坤坤）沿着贾鲁河岸新建的健身步道日前正式开放，全长六点八公里，串联起五个口袋公园和两个滨水广场。",
            "步道采用彩色透水材料铺设，沿线设置休息座椅、直饮水点和智能照明，市民晨练夜跑更加方便。",
            "不少市民表示，河边环境越来越好，周末带着孩子来散步成了全家人的新习惯。",
        ],
        byline="记者 张亮",
    ),
    SampleStory(
        headline="社区食堂让老人吃上热乎饭",
        paragraphs=[
            "本报讯（记者 吴赛）中午十一点半，位于棉纺路街道的社区食堂里飘出阵阵饭香，前来就餐的老人们排起了长队，四菜一汤只需十二元。",
            "这样的社区食堂，全区已建成二十六家，每天为四千多名老人提供就餐服务。",
            "街道工作人员介绍，食堂还为行动不便的老人提供送餐上门服务，让他们足不出户也能吃上热乎饭。",
        ],
    ),
    SampleStory(
        headline="秋粮收获进度过半",
        paragraphs=[
            "本报讯（记者 张黎）眼下正值秋收时节，全区各乡镇抢抓晴好天气组织机械化收获，截至目前秋粮收获进度已经过半。",
            "农业部门组织技术人员深入田间地头，指导农户做好晾晒储存，确保颗粒归仓。",
        ],
    ),
]


def sample_page() -> tuple[Page, list[SampleStory]]:
    """Four columns: story 0 across three columns under a wide headline, story 1 wrapped
    round a photo in the fourth, stories 2 and 3 below, 3 across two columns."""
    page = Page(595.0, 842.0)
    cols = columns(page, 4, top=40.0)
    top_band = [Rect(c.x0, 96.0, c.x1, 330.0) for c in cols[:3]]
    # Story 0: headings across three columns, body in three columns under them.
    lead = Flow([Rect(cols[0].x0, 40.0, cols[2].x1, 96.0), *top_band])
    page.set_story(lead, 0, STORIES[0])
    # Story 1: the fourth column, a photo on its right half near the top.
    photo = page.add_photo(Rect(cols[3].x0 + 50, 70.0, cols[3].x1, 150.0))
    side = Flow([Rect(cols[3].x0, 40.0, cols[3].x1, 330.0)], photos=[photo])
    page.set_story(side, 1, STORIES[1])
    # Story 2: two columns under story 0.
    below = Flow([Rect(c.x0, 350.0, c.x1, 520.0) for c in cols[:2]])
    page.set_story(below, 2, STORIES[2])
    # Story 3: headline across columns three and four, body in both.
    right = Flow(
        [Rect(cols[2].x0, 350.0, cols[3].x1, 380.0)]
        + [Rect(c.x0, 380.0, c.x1, 520.0) for c in cols[2:]]
    )
    page.set_story(right, 3, STORIES[3])
    return page, STORIES


def sample_pdf() -> tuple[bytes, Page, list[SampleStory]]:
    page, stories = sample_page()
    return pdf_bytes([page]), page, stories
