"""A small real paper for the public-site tests: the shape of the demo's print page
(sections, a reporter and correspondents, stories with photos and tags, an exhibition
with its gallery), built through the real workflow."""

from __future__ import annotations

import datetime

from django.utils import timezone

from articles.models import Article, ArticleByline, FrontPageSlot, GalleryByline, Section
from people.models import Person, Role
from tests.helpers import make_article, make_event, make_gallery, make_person, make_photo

EDITION = datetime.date(2020, 9, 9)

STORIES = [
    # (kicker, headline, subheadline, section slug, page)
    (
        "优化营商环境",
        "中原区召开网上政务服务能力提升工作推进会",
        "三十项事项实现“一网通办”",
        "yaowen",
        1,
    ),
    ("生态中原", "喜迎国庆 “生态中原”摄影作品展开展", "展出绿化建设成果图片28张", "quyu", 2),
    ("", "贾鲁河综合治理工程建设情况调研", "", "quyu", 2),
    ("", "区政协召开核心片区建设专题协商会", "", "quyu", 3),
]


def sections() -> dict[str, Section]:
    names = [("要闻", "yaowen", 1), ("区域", "quyu", 2), ("民生", "minsheng", 3)]
    return {
        slug: Section.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})[0]
        for name, slug, order in names
    }


def story(editor, section=None, bylines=(), photo=None, tags=(), publish=True, **fields) -> Article:
    fields.setdefault("dateline", "本报讯")
    fields.setdefault("summary", "中原区召开推进会，部署网上政务服务能力提升工作。")
    fields.setdefault(
        "body",
        "<p>9月1日下午，中原区召开网上政务服务能力提升工作推进会。</p><p>会议要求，各单位要提高认识，压实责任。</p>",
    )
    article = make_article(by=editor, bylines=bylines, section=section, lead_photo=photo, **fields)
    if tags:
        article.tags.add(*tags)
    if publish:
        article.publish(by=editor)
    return article


def build_paper(editor, reporter_person: Person | None = None) -> dict:
    """Sections, people, four published stories (one on the front page, one corrected),
    an event with a gallery of three photos covering it. Returns the pieces by name."""
    secs = sections()
    reporter = reporter_person or make_person("张改华")
    correspondent = make_person(
        "吕杨子", kind=Person.Kind.CONTRIBUTOR, affiliation="中原区委宣传部", title="通讯员"
    )
    photographer = make_person("张亮", kind=Person.Kind.CONTRIBUTOR, affiliation="中原区城市管理局")
    event = make_event(
        by=editor,
        title="“生态中原”摄影作品展",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=20),
        venue="中原区委北一楼",
        organiser="中原区委、区政府",
        description="<p>展出绿化建设成果图片28张。</p>",
    )
    event.publish(by=editor)
    gallery = make_gallery(
        by=editor,
        title="“生态中原”摄影展掠影",
        description="摄影展开幕当天的现场图片。",
        section=secs["quyu"],
    )
    GalleryByline.objects.create(gallery=gallery, person=photographer, role=Role.PHOTOGRAPHER)
    captions = ["摄影作品展开幕现场", "展出的绿化建设成果图片", "市民驻足观看生态廊道作品"]
    photos = [
        make_photo(gallery, order=i, caption=c, alt_text=f"展厅照片 {i + 1}", credit=photographer)
        for i, c in enumerate(captions)
    ]
    gallery.events.add(event)
    gallery.publish(by=editor)

    articles = []
    for i, (kicker, headline, subheadline, section, page) in enumerate(STORIES):
        bylines = [(reporter, Role.REPORTER), (correspondent, Role.CORRESPONDENT)]
        article = story(
            editor,
            section=secs[section],
            bylines=bylines,
            photo=photos[0] if i == 1 else None,
            tags=["政协", "核心片区"] if i == 3 else ["理论学习"],
            kicker=kicker,
            headline=headline,
            subheadline=subheadline,
            print_edition_date=EDITION,
            print_page=page,
        )
        articles.append(article)
    articles[1].events.add(event)
    articles[1].galleries.add(gallery)
    articles[0].correct(by=editor, text="原文中“三十项”应为“三十一项”。")
    FrontPageSlot.objects.create(article=articles[0], order=1)
    return {
        "sections": secs,
        "reporter": reporter,
        "correspondent": correspondent,
        "photographer": photographer,
        "event": event,
        "gallery": gallery,
        "photos": photos,
        "articles": articles,
    }


def more_stories(
    editor, count: int, section=None, person=None, tag=None, **fields
) -> list[Article]:
    """`count` more published stories (for pagination and list-size tests)."""
    made = []
    for i in range(count):
        article = story(
            editor,
            section=section,
            bylines=[(person, Role.REPORTER)] if person else (),
            tags=[tag] if tag else (),
            headline=f"社区新闻第{i + 1}条",
            **fields,
        )
        made.append(article)
    return made


def add_bylines(article: Article, count: int) -> None:
    for i in range(count):
        ArticleByline.objects.create(
            article=article, person=make_person(f"通讯员{i}"), role=Role.CORRESPONDENT, order=10 + i
        )
