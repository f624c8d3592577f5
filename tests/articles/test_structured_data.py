"""What search engines and social networks read in the <head>: canonical URLs,
descriptions, Open Graph and Twitter tags, and JSON-LD."""

import datetime
import json
import re

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article, Gallery
from articles.structured_data import json_ld_script
from people.models import Role
from tests.helpers import (
    SITE_URL,
    make_article,
    make_event,
    make_gallery,
    make_person,
    make_photo,
    make_section,
    publish,
)

pytestmark = pytest.mark.usefixtures("site")  # tests/conftest.py


@pytest.fixture
def article(editor, reporter):
    carol = make_person("吕杨子", kind="contributor", affiliation="中原区委宣传部", title="通讯员")
    photo = make_photo(alt_text="志愿者清理楼院", caption="党员志愿者在郑煤家属院劳动")
    story = make_article(
        headline="“全城清洁”助力创文",
        summary="中原区纪委监委开展党员志愿服务活动。",
        section=make_section("区域"),
        lead_photo=photo,
        bylines=[(reporter.person, Role.REPORTER), (carol, Role.CORRESPONDENT)],
    )
    story.tags.add("创文")
    publish(story, editor)
    story.correct(by=editor, text="更正：活动日期为9月7日。")
    return story


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def meta(html: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert match, f"no {name}"
    return match.group(1)


def test_article_page_has_canonical_url_description_and_social_tags(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    url = SITE_URL + article.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "name", "description") == "中原区纪委监委开展党员志愿服务活动。"
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:url") == url
    assert meta(html, "property", "og:title") == "“全城清洁”助力创文"
    # A public rendition: originals are for staff only (articles/media.py).
    assert meta(html, "property", "og:image").startswith(f"{SITE_URL}/photo-files/renditions/")
    assert meta(html, "property", "og:image:alt") == "志愿者清理楼院"
    assert meta(html, "property", "article:section") == "区域"
    assert meta(html, "name", "twitter:card") == "summary_large_image"


def test_article_json_ld_is_a_news_article_with_authors_publisher_and_corrections(client, article):
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    article.refresh_from_db()
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "“全城清洁”助力创文"
    assert data["datePublished"] == timezone.localtime(article.first_published_at).isoformat(
        timespec="seconds"
    )
    assert data["datePublished"].endswith("+08:00")
    assert data["dateModified"] == timezone.localtime(article.updated_at).isoformat(
        timespec="seconds"
    )
    assert [(a["@type"], a["name"]) for a in data["author"]] == [
        ("Person", "张改华"),
        ("Person", "吕杨子"),
    ]
    assert data["author"][1]["url"] == f"{SITE_URL}/people/{article.bylines.all()[1].person.slug}/"
    assert data["image"][0].startswith(f"{SITE_URL}/photo-files/renditions/")
    assert data["publisher"]["name"] == "中原日报"
    assert data["publisher"]["logo"]["url"].startswith(f"{SITE_URL}/static/img/publisher-logo")
    [correction] = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "更正：活动日期为9月7日。"
    assert correction["datePublished"].endswith("+08:00")
    assert data["keywords"] == ["创文"]


def test_a_description_from_rich_text_is_escaped_once(client, editor):
    """The body's markup is sanitised HTML: its entities are text (R&D, <5%), not to be shown
    as "&amp;" in the search result of a crawler or a calendar."""
    story = publish(
        make_article(headline="研发投入", body="<p>R&amp;D 投入 &lt;5% 的企业</p><p>第二段</p>"),
        editor,
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert meta(html, "name", "description") == "R&amp;D 投入 &lt;5% 的企业 第二段"
    assert json_ld(html)["description"] == "R&D 投入 <5% 的企业 第二段"


def test_json_ld_cannot_close_its_script_element(client, editor):
    headline = '</script><script>alert("x")</script> & <!-- 标题'
    story = publish(make_article(headline=headline), editor)
    html = client.get(story.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["headline"] == headline


def test_json_ld_script_escapes_like_json_script():
    assert (
        str(json_ld_script({"a": "<&>"}))
        == '<script type="application/ld+json">{"a": "\\u003C\\u0026\\u003E"}</script>'
    )


def test_meta_partial_triggers_no_queries_on_a_prefetched_article(
    rf, article, django_assert_num_queries
):
    fetched = Article.objects.published().for_detail().get(pk=article.pk)
    request = rf.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        html = render_to_string(
            "includes/meta/article.html", {"article": fetched, "request": request}
        )
    assert "NewsArticle" in html


def test_event_json_ld_has_dates_place_organizer_and_status(client, editor):
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    event = publish(
        make_event(
            title="“生态中原”摄影作品展",
            starts_at=datetime.datetime(2020, 9, 7, 9, 30, tzinfo=shanghai),
            ends_at=datetime.datetime(2020, 9, 30, 17, 0, tzinfo=shanghai),
            venue="中原区委北一楼",
            organiser="中原区委、区政府",
            description="<p>展出绿化建设成果图片28张。</p>",
        ),
        editor,
    )
    html = client.get(event.get_absolute_url()).content.decode()
    data = json_ld(html)
    assert data["@type"] == "Event"
    assert data["name"] == "“生态中原”摄影作品展"
    assert data["startDate"] == "2020-09-07T09:30:00+08:00"
    assert data["endDate"] == "2020-09-30T17:00:00+08:00"
    assert data["location"] == {
        "@type": "Place",
        "name": "中原区委北一楼",
        "address": "中原区委北一楼",
    }
    assert data["organizer"]["name"] == "中原区委、区政府"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["url"] == SITE_URL + event.get_absolute_url()
    assert f'<link rel="canonical" href="{SITE_URL}{event.get_absolute_url()}">' in html
    assert meta(html, "name", "description") == "展出绿化建设成果图片28张。"
    assert (
        f'type="text/calendar" title="“生态中原”摄影作品展" href="{SITE_URL}/events/{event.slug}.ics"'
        in html
    )


def test_all_day_event_json_ld_has_dates_only(client, editor):
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    event = publish(
        make_event(
            starts_at=datetime.datetime(2020, 10, 1, 0, 0, tzinfo=shanghai),
            ends_at=datetime.datetime(2020, 10, 7, 0, 0, tzinfo=shanghai),
            is_all_day=True,
        ),
        editor,
    )
    data = json_ld(client.get(event.get_absolute_url()).content.decode())
    assert (data["startDate"], data["endDate"]) == ("2020-10-01", "2020-10-07")


def test_gallery_page_has_its_cover_as_image_and_photos_in_json_ld(client, editor):
    gallery = make_gallery(title="摄影展掠影", section=make_section("图片"))
    for n in range(2):
        make_photo(gallery=gallery, order=n, caption=f"第{n + 1}张")
    gallery.bylines.create(person=make_person("张亮"), role=Role.PHOTOGRAPHER)
    publish(gallery, editor)
    html = client.get(gallery.get_absolute_url()).content.decode()
    data = json_ld(html)
    assert data["@type"] == "ImageGallery"
    assert [p["caption"] for p in data["associatedMedia"]] == ["第1张", "第2张"]
    first = Gallery.objects.get(pk=gallery.pk).photos.first()
    assert meta(html, "property", "og:image") == SITE_URL + first.renditions[-1]["jpeg"]


def test_list_pages_have_canonical_urls_with_their_page_number(client, editor):
    section = make_section("区域", description="中原区各街道的新闻。")
    for n in range(21):
        publish(make_article(headline=f"新闻{n}", section=section), editor)
    html = client.get(section.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{SITE_URL}{section.get_absolute_url()}">' in html
    assert meta(html, "name", "description") == "中原区各街道的新闻。"
    assert f'<link rel="next" href="{SITE_URL}{section.get_absolute_url()}?page=2">' in html
    page_two = client.get(section.get_absolute_url() + "?page=2").content.decode()
    assert (
        f'<link rel="canonical" href="{SITE_URL}{section.get_absolute_url()}?page=2">' in page_two
    )


def test_front_page_describes_the_publisher(client, db):
    data = json_ld(client.get("/").content.decode())
    assert data["@type"] == "NewsMediaOrganization"
    assert data["name"] == "中原日报"


def test_social_tags_name_the_language_the_page_is_in(client, article):
    chinese = client.get(article.get_absolute_url()).content.decode()
    english = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<meta property="og:locale" content="zh_CN">' in chinese
    assert '<meta property="og:locale" content="en_US">' in english
