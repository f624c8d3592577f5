"""The public site as readers meet it: what each page shows in every workflow state,
the answers for missing, retracted and moved content, pagination, and the language."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from articles.media import photo_storage
from articles.models import (
    Article,
    ArticleByline,
    Event,
    FrontPage,
    FrontPageSlot,
    Gallery,
    Photo,
    Section,
)
from people.models import Role
from tests.helpers import (
    EDITION,
    STATES,
    make_article,
    make_event,
    make_gallery,
    make_person,
    make_photo,
    make_section,
    more_stories,
    put_in_state,
    story,
)

PUBLIC = {"published", "scheduled_live"}
HEADLINE = "中原区召开网上政务服务能力提升工作推进会"


def article_in(state, editor, **fields):
    person = make_person("通讯员丙")
    fields.setdefault("section", make_section("区域", slug="quyu"))
    article = make_article(
        by=editor,
        bylines=[(person, Role.CORRESPONDENT)],
        headline=HEADLINE,
        print_edition_date=EDITION,
        print_page=2,
        **fields,
    )
    article.tags.add("核心片区")
    return put_in_state(article, state, editor), person


# --- every state × every page ---------------------------------------------
@pytest.mark.parametrize("state", STATES)
def test_article_page_answers_by_state(client, editor, state):
    article, _person = article_in(state, editor)
    response = client.get(article.get_absolute_url())
    expected = 200 if state in PUBLIC else 410 if state == "unpublished" else 404
    assert response.status_code == expected
    assert (HEADLINE in response.content.decode()) == (state in PUBLIC)


@pytest.mark.parametrize("state", STATES)
def test_event_page_answers_by_state(client, editor, state):
    event = put_in_state(make_event(by=editor, title="秘密的摄影作品展"), state, editor)
    response = client.get(event.get_absolute_url())
    assert response.status_code == (
        200 if state in PUBLIC else 410 if state == "unpublished" else 404
    )
    assert ("秘密的摄影作品展" in response.content.decode()) == (state in PUBLIC)


@pytest.mark.parametrize("state", STATES)
def test_gallery_and_photo_pages_answer_by_state(client, editor, state):
    gallery = make_gallery(by=editor, title="秘密的图集")
    make_photo(gallery, caption="一张照片")
    gallery = put_in_state(gallery, state, editor)
    expected = 200 if state in PUBLIC else 410 if state == "unpublished" else 404
    for url in (
        gallery.get_absolute_url(),
        reverse("articles:gallery_photo", args=[gallery.slug, 1]),
    ):
        response = client.get(url)
        assert response.status_code == expected
        assert ("秘密的图集" in response.content.decode()) == (state in PUBLIC)


@pytest.mark.parametrize("state", STATES)
def test_section_list_shows_only_public_stories(client, editor, state):
    article, _person = article_in(state, editor)
    response = client.get(article.section.get_absolute_url())
    assert response.status_code == 200  # sections are part of the paper's frame
    assert (HEADLINE in response.content.decode()) == (state in PUBLIC)


@pytest.mark.parametrize("state", STATES)
def test_person_page_exists_only_with_a_public_byline(client, editor, state):
    article, person = article_in(state, editor)
    response = client.get(person.get_absolute_url())
    # Someone credited only on unpublished work has no page: not even their name leaks.
    assert response.status_code == (200 if state in PUBLIC else 404)
    assert (HEADLINE in response.content.decode()) == (state in PUBLIC)
    assert ("通讯员丙" in response.content.decode()) == (state in PUBLIC)


@pytest.mark.parametrize("state", STATES)
def test_tag_page_exists_only_with_a_public_story(client, editor, state):
    article_in(state, editor)
    response = client.get(reverse("articles:tag", args=["核心片区"]))
    assert response.status_code == (200 if state in PUBLIC else 404)
    assert (HEADLINE in response.content.decode()) == (state in PUBLIC)


@pytest.mark.parametrize("state", STATES)
def test_date_archives_show_only_public_stories(client, editor, state):
    article, _person = article_in(state, editor)
    day = timezone.localdate(article.publish_at) if article.publish_at else timezone.localdate()
    for url in (
        reverse("articles:archive_year", args=[day.year]),
        reverse("articles:archive_month", args=[day.year, day.month]),
        reverse("articles:archive_day", args=[day.year, day.month, day.day]),
    ):
        response = client.get(url)
        # An empty period is a 404, so a period holding only unpublished work looks like none.
        assert response.status_code == (200 if state in PUBLIC else 404), url
        assert (HEADLINE in response.content.decode()) == (state in PUBLIC)
    assert (HEADLINE in client.get(reverse("articles:archive")).content.decode()) is False


@pytest.mark.parametrize("state", STATES)
def test_print_edition_shows_only_public_stories(client, editor, state):
    article_in(state, editor)
    response = client.get(
        reverse("articles:print_edition", args=[EDITION.year, EDITION.month, EDITION.day])
    )
    assert response.status_code == (200 if state in PUBLIC else 404)
    assert (HEADLINE in response.content.decode()) == (state in PUBLIC)
    index = client.get(reverse("articles:print_index")).content.decode()
    assert ("2020年9月9日" in index) == (state in PUBLIC)


@pytest.mark.parametrize("state", STATES)
def test_front_page_and_lists_show_only_public_content(client, editor, state):
    article_in(state, editor)
    event = put_in_state(make_event(by=editor, title="秘密的摄影作品展"), state, editor)
    gallery = make_gallery(by=editor, title="秘密的图集")
    make_photo(gallery)
    put_in_state(gallery, state, editor)
    starts = timezone.localtime(event.starts_at)
    pages = {
        "/": [HEADLINE, "秘密的摄影作品展", "秘密的图集"],
        reverse("articles:events"): ["秘密的摄影作品展"],
        reverse("articles:events_month", args=[starts.year, starts.month]): ["秘密的摄影作品展"],
        reverse("articles:galleries"): ["秘密的图集"],
    }
    for url, texts in pages.items():
        response = client.get(url)
        assert response.status_code == 200
        for text in texts:
            assert (text in response.content.decode()) == (state in PUBLIC), (url, text)


# --- time, not a job, makes a scheduled story public ------------------------
def test_scheduled_story_appears_when_its_time_comes(client, editor):
    article = make_article(by=editor, headline=HEADLINE, section=make_section())
    go_live = timezone.now() + datetime.timedelta(hours=1)
    article.schedule(at=go_live, by=editor)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert HEADLINE not in client.get("/").content.decode()
    assert HEADLINE not in client.get(article.section.get_absolute_url()).content.decode()
    # Nothing runs and nothing is saved at publish_at: the clock alone makes it public.
    with mock.patch("django.utils.timezone.now", return_value=go_live):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert HEADLINE in client.get("/").content.decode()
        assert HEADLINE in client.get(article.section.get_absolute_url()).content.decode()


# --- 404, 410, 301 ---------------------------------------------------------
def test_unpublished_story_is_a_404_like_any_missing_page(client, editor):
    article, _person = article_in("review", editor)
    hidden = client.get(article.get_absolute_url())
    missing = client.get(reverse("articles:detail", args=["no-such-story"]))
    assert hidden.status_code == missing.status_code == 404
    assert (
        [t.name for t in hidden.templates][:1]
        == [t.name for t in missing.templates][:1]
        == ["404.html"]
    )
    assert HEADLINE not in hidden.content.decode()


def test_retracted_content_is_gone_with_a_short_notice(client, editor):
    article, _person = article_in("unpublished", editor)
    event = put_in_state(make_event(by=editor), "unpublished", editor)
    gallery = put_in_state(make_gallery(by=editor), "unpublished", editor)
    for obj in (article, event, gallery):
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 410
        assert "410.html" in [t.name for t in response.templates]
        assert obj.headline not in response.content.decode()
        assert "事实有误" not in response.content.decode()  # the retraction reason stays internal


def test_changed_slug_redirects_permanently(client, editor):
    article = story(editor, headline=HEADLINE)
    old_url = article.get_absolute_url()
    article.slug = "wang-shang-zheng-wu"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/wang-shang-zheng-wu/"
    assert client.get(response["Location"]).status_code == 200


def test_old_slug_of_a_retracted_story_is_gone_not_redirected(client, editor):
    article = story(editor, headline=HEADLINE)
    old_url = article.get_absolute_url()
    article.slug = "wang-shang-zheng-wu"
    article.save()
    article.unpublish(by=editor, reason="撤稿")
    assert client.get(old_url).status_code == 410


def test_article_page_shows_only_public_events_and_galleries(client, editor):
    article = story(editor, headline=HEADLINE)
    public_event = put_in_state(make_event(by=editor, title="公开的活动"), "published", editor)
    draft_event = make_event(by=editor, title="尚未公开的活动")
    draft_gallery = make_gallery(by=editor, title="尚未公开的图集")
    article.events.add(public_event, draft_event)
    article.galleries.add(draft_gallery)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "公开的活动" in page
    assert "尚未公开的活动" not in page
    assert "尚未公开的图集" not in page


def test_unknown_pages_are_404_and_styled(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert 'class="error-page"' in response.content.decode()


def test_server_error_page_renders_without_any_context():
    html = get_template("500.html").render()
    assert "Server error" in html and "服务器出错了" in html


# --- the pages' content -----------------------------------------------------
def test_article_page_shows_everything_a_reader_expects(client, paper):
    article = paper["articles"][1]
    with translation.override("zh-hans"):
        expected_byline = f"{Role.REPORTER.label} 张改华 {Role.CORRESPONDENT.label} 吕杨子"
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "生态中原",
        article.headline,
        "展出绿化建设成果图片28张",
        "摄影作品展开幕现场",
        "张亮",
        "理论学习",
    ):
        assert text in html
    assert '<span class="dateline">本报讯</span>' in html
    byline = html.split('<p class="byline">', 1)[1].split("</p>", 1)[0]
    assert " ".join(strip_tags(byline).split()) == expected_byline
    assert f'href="{paper["reporter"].get_absolute_url()}"' in html
    assert f'href="{paper["event"].get_absolute_url()}"' in html
    assert f'href="{paper["gallery"].get_absolute_url()}"' in html
    assert (
        f'<time datetime="{timezone.localtime(article.published_at).replace(microsecond=0).isoformat()}"'
        in html
    )
    # More from the section, without the article itself.
    assert paper["articles"][2].headline in html


def test_bylines_are_grouped_the_chinese_way(client, paper):
    article = paper["articles"][0]
    ArticleByline.objects.create(
        article=article, person=make_person("吴赛"), role=Role.CORRESPONDENT, order=5
    )
    html = client.get(article.get_absolute_url()).content.decode()
    byline = html.split('<p class="byline">', 1)[1].split("</p>", 1)[0]
    # One role label per group: 记者 张改华 通讯员 吕杨子 吴赛.
    assert byline.count('class="byline-role"') == 2
    assert byline.index("张改华") < byline.index("吕杨子") < byline.index("吴赛")


def test_corrections_are_shown_with_their_date(client, paper):
    html = client.get(paper["articles"][0].get_absolute_url()).content.decode()
    assert "原文中“三十项”应为“三十一项”。" in html
    assert 'class="corrections"' in html


def test_home_page_has_leads_sections_events_and_galleries(client, paper):
    html = client.get("/").content.decode()
    lead, *rest = paper["articles"]
    assert html.index(lead.headline) < html.index(rest[0].headline)
    assert 'class="section-block"' in html and "区域" in html
    assert paper["event"].title in html
    assert paper["gallery"].title in html


def test_home_page_lists_stories_without_a_section(client, editor):
    story(editor, headline="没有栏目的稿件")
    assert "没有栏目的稿件" in client.get("/").content.decode()


def test_every_page_has_a_search_box_and_skip_link(client, paper):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html
    assert 'href="#main"' in html and 'id="main"' in html


def test_gallery_photo_pages_link_to_their_neighbours(client, paper):
    gallery = paper["gallery"]
    first = client.get(reverse("articles:gallery_photo", args=[gallery.slug, 1])).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert "摄影作品展开幕现场" in first
    last = client.get(reverse("articles:gallery_photo", args=[gallery.slug, 3])).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    for number in (0, 4, 99):
        assert client.get(f"{gallery.get_absolute_url()}{number}/").status_code == 404


def test_month_view_shows_an_event_on_every_day_it_runs(client, editor):
    tz = timezone.get_current_timezone()
    event = make_event(
        by=editor,
        title="摄影作品展",
        starts_at=datetime.datetime(2020, 9, 7, 9, 30, tzinfo=tz),
        ends_at=datetime.datetime(2020, 9, 30, 17, 0, tzinfo=tz),
    )
    event.publish(by=editor)
    html = client.get(reverse("articles:events_month", args=[2020, 9])).content.decode()
    assert html.count("摄影作品展</a>") == 24
    assert reverse("articles:events_month", args=[2020, 8]) in html
    assert reverse("articles:events_month", args=[2020, 10]) in html
    assert (
        "摄影作品展"
        not in client.get(reverse("articles:events_month", args=[2020, 10])).content.decode()
    )
    assert client.get("/events/2020/13/").status_code == 404
    assert client.get("/events/0/1/").status_code == 404


def test_past_and_upcoming_events_are_listed_apart(client, editor):
    past = make_event(
        by=editor, title="去年的活动", starts_at=timezone.now() - datetime.timedelta(days=300)
    )
    coming = make_event(
        by=editor, title="下周的活动", starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    past.publish(by=editor)
    coming.publish(by=editor)
    upcoming = client.get(reverse("articles:events")).content.decode()
    earlier = client.get(reverse("articles:events_past")).content.decode()
    assert "下周的活动" in upcoming and "去年的活动" not in upcoming
    assert "去年的活动" in earlier and "下周的活动" not in earlier


def test_print_edition_groups_stories_by_page(client, paper):
    with translation.override("en"):
        html = client.get(
            reverse("articles:print_edition", args=[2020, 9, 9]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert 'id="page-1"' in html and 'id="page-2"' in html and 'id="page-3"' in html
    assert (
        html.index(paper["articles"][0].headline)
        < html.index('id="page-2"')
        < html.index(paper["articles"][1].headline)
    )
    assert "Page 2" in html
    assert client.get(reverse("articles:print_edition", args=[2020, 2, 30])).status_code == 404
    assert client.get(reverse("articles:print_edition", args=[2020, 9, 10])).status_code == 404


# --- images ---------------------------------------------------------------
def test_photos_are_responsive_pictures_made_once_and_stored(client, editor):
    gallery = make_gallery(by=editor)
    photo = Photo(gallery=gallery, alt_text="展厅")
    from tests.helpers import image_upload

    photo.image = image_upload(size=(2000, 1500))
    photo.save()
    # Made when the image was saved, before any page asked for them, and kept on the row.
    assert [(r["width"], r["height"]) for r in photo.renditions] == [
        (480, 360),
        (960, 720),
        (1600, 1200),
    ]
    for rendition in photo.renditions:
        for name in rendition["files"]:
            assert photo_storage().exists(name), name
    gallery.publish(by=editor)
    html = client.get(gallery.get_absolute_url() + "1/").content.decode()
    assert '<source type="image/webp" srcset="' in html
    assert " 480w, " in html and " 960w, " in html and " 1600w" in html
    assert 'width="1600" height="1200"' in html
    assert 'alt="展厅"' in html
    assert photo.renditions[-1]["jpeg"] in html


def test_a_page_never_asks_the_storage_about_renditions(client, editor):
    gallery = make_gallery(by=editor)
    make_photo(gallery)
    gallery.publish(by=editor)
    from django.core.files.storage import FileSystemStorage

    with (
        mock.patch.object(FileSystemStorage, "exists", side_effect=AssertionError),
        mock.patch.object(FileSystemStorage, "open", side_effect=AssertionError),
        mock.patch.object(FileSystemStorage, "size", side_effect=AssertionError),
    ):
        html = client.get(gallery.get_absolute_url()).content.decode()
    assert "<picture" in html


def test_photos_without_renditions_get_them_from_make_renditions(client, editor):
    from django.core.management import call_command

    gallery = make_gallery(by=editor)
    photo = make_photo(gallery)
    Photo.objects.filter(pk=photo.pk).update(renditions=[])  # stored before renditions were kept
    gallery.publish(by=editor)
    html = client.get(gallery.get_absolute_url()).content.decode()
    # Meanwhile a box of its size: readers may not fetch the original (articles/media.py).
    assert "photo-pending" in html and "<picture" not in html and photo.image.url not in html
    call_command("make_renditions", stdout=io.StringIO())
    photo.refresh_from_db()
    assert photo.renditions and photo_storage().exists(photo.renditions[0]["files"][0])
    assert photo.renditions[0]["webp"] in client.get(gallery.get_absolute_url()).content.decode()


def test_a_replaced_image_gets_new_renditions_and_the_old_ones_go(editor):
    from tests.helpers import image_upload

    photo = make_photo(make_gallery(by=editor))
    old = [name for rendition in photo.renditions for name in rendition["files"]]
    photo = Photo.objects.get(pk=photo.pk)
    photo.image = image_upload(size=(800, 600))
    photo.save()
    assert photo.renditions[-1]["width"] == 800
    assert not any(photo_storage().exists(name) for name in old)


def test_small_photos_are_not_enlarged(client, editor):
    gallery = make_gallery(by=editor)
    make_photo(gallery)  # 64×48
    gallery.publish(by=editor)
    html = client.get(gallery.get_absolute_url() + "1/").content.decode()
    assert " 64w" in html and "480w" not in html
    assert 'width="64" height="48"' in html


def test_photos_below_the_fold_load_lazily(client, paper):
    html = client.get(paper["gallery"].get_absolute_url()).content.decode()
    pictures = html.split("<picture")[1:]
    assert 'loading="lazy"' not in pictures[0]
    assert 'loading="lazy"' in pictures[-1]


def test_a_photo_whose_file_is_gone_does_not_break_the_page(client, editor):
    gallery = make_gallery(by=editor)
    photo = make_photo(gallery)
    for rendition in photo.renditions:
        for name in rendition["files"]:
            photo_storage().delete(name)
    photo_storage().delete(photo.image.name)
    gallery.publish(by=editor)
    assert client.get(gallery.get_absolute_url()).status_code == 200
    photo.save()  # an unreadable image: the page shows what is stored, nothing breaks
    assert client.get(gallery.get_absolute_url()).status_code == 200


# --- pagination -------------------------------------------------------------
@pytest.fixture
def crowded_section(editor):
    section = make_section("社区", slug="shequ")
    more_stories(editor, 21, section=section)
    return section


def test_lists_are_paginated_with_prev_and_next(client, crowded_section):
    url = crowded_section.get_absolute_url()
    first = client.get(url).content.decode()
    assert 'rel="next" href="/sections/shequ/?page=2"' in first
    second = client.get(url + "?page=2").content.decode()
    assert 'rel="prev" href="/sections/shequ/"' in second  # page 1 is the bare address
    assert 'aria-current="page"' in second
    assert second.count('<article class="card') == 1


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1", "2.5", "9" * 40])
def test_a_page_number_that_is_not_a_page_is_a_404(client, crowded_section, page):
    assert client.get(crowded_section.get_absolute_url(), {"page": page}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/events/?page=abc",
        "/events/past/?page=99",
        "/galleries/?page=x",
        "/print/?page=5",
        "/archive/2020/?page=x",
    ],
)
def test_every_paginated_list_refuses_bad_page_numbers_with_a_404(client, db, url):
    assert client.get(url).status_code == 404


# --- languages ------------------------------------------------------------
def test_chinese_is_the_default_language(client, paper):
    html = client.get(reverse("articles:print_edition", args=[2020, 9, 9])).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "2020年9月9日" in html


def test_language_switch_shows_english_labels_and_dates(client, paper):
    url = reverse("articles:print_edition", args=[2020, 9, 9])
    response = client.post(reverse("articles:language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert "Sept. 9, 2020" in html
    assert "Page 2" in html and "Print edition" in html and "Front page" in html
    assert 'lang="zh-hans">简体中文</button>' in html  # and the way back


def test_language_switch_needs_no_csrf_token_so_pages_stay_cacheable(client, db):
    response = client.get("/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_language_switch_refuses_to_redirect_off_site(client, db):
    response = client.post(
        reverse("articles:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_readers_browser_language_is_honoured(client, paper):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in html


def test_scheduled_gallery_and_event_do_not_show_on_other_pages(client, editor):
    event = make_event(by=editor, title="将来的活动")
    event.schedule(at=timezone.now() + datetime.timedelta(days=1), by=editor)
    gallery = make_gallery(by=editor, title="将来的图集")
    gallery.events.add(event)
    gallery.schedule(at=timezone.now() + datetime.timedelta(days=1), by=editor)
    for url in ("/", reverse("articles:events"), reverse("articles:galleries")):
        html = client.get(url).content.decode()
        assert "将来的活动" not in html and "将来的图集" not in html
    assert Event.objects.published().count() == Gallery.objects.published().count() == 0


def test_the_masthead_and_footer_kept_for_the_day_are_the_sites_own(client, db, settings):
    """They are rendered once a day and kept: a page rendered without the request's context
    (an error page, say) must not leave its blanks in them for everyone."""
    settings.SITE_NAME = "中原时报"
    from django.template.loader import render_to_string

    render_to_string("404.html")  # no request, no context processors
    html = client.get("/").content.decode()
    assert "© " in html and html.count("中原时报") >= 2
    assert "None" not in html


def test_the_front_page_shows_each_sections_newest_stories_in_section_order(editor):
    later = Section.objects.create(name="民生", slug="minsheng", order=2)
    first = Section.objects.create(name="要闻", slug="yaowen", order=1)
    Section.objects.create(name="空栏目", slug="kong", order=0)  # no stories: not shown
    start = timezone.now() - datetime.timedelta(days=30)
    made = {}
    for section, n in ((first, 6), (later, 2)):
        for i in range(n):
            article = story(editor, section=section, headline=f"{section.name}{i}")
            Article.objects.filter(pk=article.pk).update(publish_at=start + datetime.timedelta(i))
            made[(section.slug, i)] = article
    lead = made[("yaowen", 5)]  # the newest of its section, but a lead: not listed again
    FrontPageSlot.objects.create(article=lead)
    story(editor, section=first, headline="草稿", publish=False)
    tomorrow = story(editor, section=first, headline="明天见报")
    Article.objects.filter(pk=tomorrow.pk).update(
        status=Article.Status.SCHEDULED, publish_at=timezone.now() + datetime.timedelta(days=1)
    )

    front = FrontPage()
    shown = [(section.slug, [a.headline for a in stories]) for section, stories in front.by_section]
    assert shown == [
        ("yaowen", ["要闻4", "要闻3", "要闻2", "要闻1"]),
        ("minsheng", ["民生1", "民生0"]),
    ]
    assert [a.pk for a in front.leads] == [lead.pk]
