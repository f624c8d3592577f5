"""Bylines as the paper prints them: grouped by role, in the order the desk set, with the
文/图 credit after the names it covers, in Chinese and in English."""

import pytest
from django.utils.translation import override

from articles.cards import byline_html
from people.bylines import byline_text, group_bylines
from people.models import Role
from tests.helpers import make_article, make_person


@pytest.fixture
def zhang(reporter):
    return reporter.person  # 张改华


@pytest.fixture
def li(other_reporter):
    return other_reporter.person  # 李明


@pytest.fixture
def lv(db):
    return make_person("吕杨子", kind="contributor", affiliation="中原区纪委监委")


def bylines(*credits):
    """An article's bylines; each credit is (person, role) or (person, role, is_text_and_photo)."""
    article = make_article(bylines=[(c[0], c[1]) for c in credits])
    for byline, credit in zip(article.bylines.all(), credits, strict=True):
        if len(credit) == 3:
            byline.is_text_and_photo = credit[2]
            byline.save()
    return article.bylines.select_related("person").all()


def test_reporter_and_correspondent_in_chinese(zhang, lv):
    with override("zh-hans"):
        assert (
            byline_text(bylines((zhang, Role.REPORTER), (lv, Role.CORRESPONDENT)))
            == "记者 张改华 通讯员 吕杨子"
        )


def test_people_with_the_same_role_share_one_label(zhang, li, lv):
    with override("zh-hans"):
        text = byline_text(
            bylines((zhang, Role.REPORTER), (li, Role.REPORTER), (lv, Role.CORRESPONDENT))
        )
    assert text == "记者 张改华 李明 通讯员 吕杨子"


def test_the_order_set_by_the_desk_is_kept_not_the_order_of_entry(zhang, lv):
    items = bylines((zhang, Role.REPORTER), (lv, Role.CORRESPONDENT))
    first, second = list(items)
    first.order, second.order = 5, 1
    first.save()
    second.save()
    with override("zh-hans"):
        assert (
            byline_text(type(first).objects.filter(article=first.article).select_related("person"))
            == "通讯员 吕杨子 记者 张改华"
        )


def test_a_role_that_comes_back_later_gets_its_label_again(zhang, li, lv):
    with override("zh-hans"):
        text = byline_text(
            bylines((zhang, Role.REPORTER), (lv, Role.CORRESPONDENT), (li, Role.REPORTER))
        )
    assert text == "记者 张改华 通讯员 吕杨子 记者 李明"


def test_text_and_photos_credit_follows_the_names_it_covers(zhang, li, lv):
    with override("zh-hans"):
        assert byline_text(bylines((zhang, Role.REPORTER, True))) == "记者 张改华 文/图"
        text = byline_text(
            bylines(
                (zhang, Role.REPORTER, True), (li, Role.REPORTER, False), (lv, Role.CORRESPONDENT)
            )
        )
    assert text == "记者 张改华 文/图 记者 李明 通讯员 吕杨子"


def test_photographer_credit_in_chinese(zhang, li):
    with override("zh-hans"):
        assert (
            byline_text(bylines((zhang, Role.REPORTER), (li, Role.PHOTOGRAPHER)))
            == "记者 张改华 摄影 李明"
        )


def test_english_bylines_use_english_roles_and_plurals(zhang, li, lv):
    with override("en"):
        assert (
            byline_text(bylines((zhang, Role.REPORTER), (lv, Role.CORRESPONDENT)))
            == "Reporter 张改华 Correspondent 吕杨子"
        )
        assert (
            byline_text(bylines((zhang, Role.REPORTER), (li, Role.REPORTER)))
            == "Reporters 张改华 李明"
        )
        assert (
            byline_text(bylines((zhang, Role.REPORTER, True))) == "Reporter 张改华 text and photos"
        )


def test_groups_keep_people_as_people(zhang, lv):
    groups = group_bylines(bylines((zhang, Role.REPORTER), (lv, Role.CORRESPONDENT)))
    assert [(g.role, g.people) for g in groups] == [
        (Role.REPORTER, [zhang]),
        (Role.CORRESPONDENT, [lv]),
    ]


def test_the_byline_tag_links_each_person_to_their_page(client, zhang, lv, editor):
    items = bylines((zhang, Role.REPORTER), (lv, Role.CORRESPONDENT))
    with override("zh-hans"):
        html = byline_html(items)
    assert f'<a href="{zhang.get_absolute_url()}">张改华</a>' in html
    assert f'<a href="{lv.get_absolute_url()}">吕杨子</a>' in html
    assert html.index("记者") < html.index("张改华") < html.index("通讯员") < html.index("吕杨子")

    # The links lead somewhere once the person has published work.
    article = items[0].article
    article.publish(by=editor)
    assert client.get(zhang.get_absolute_url()).status_code == 200


def test_no_bylines_render_nothing(db):
    assert byline_html([]) == ""


def test_content_without_bylines_has_no_groups_and_no_byline_text(db):
    assert group_bylines([]) == [] and byline_text([]) == ""


def test_a_published_story_without_bylines_is_in_the_feeds(client, editor):
    article = make_article(by=editor, headline="没有署名的稿件")
    article.publish(by=editor)
    for url in ("/feed/", "/feed/atom/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "没有署名的稿件" in response.content.decode()
