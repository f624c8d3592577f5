"""Control characters from word processors, layout programs and crafted requests: cleaned
where text comes in (every admin form, transition notes, the print import), and never able
to break a feed, a sitemap, a calendar or the JSON-LD when they are already stored."""

from __future__ import annotations

import json
import re
from xml.dom import minidom

import feedparser
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article, Event, Section
from articles.printimport.importer import read_page as read_print_page
from newsroom.models import Correction
from newsroom.text import clean_text
from tests.helpers import (
    article_form_data,
    make_article,
    make_event,
    make_person,
    make_section,
    publish,
)

HOSTILE = "中原\u2028区\x0c召开\x1b推进会\x00\ud800\ufffe\x7f\x85结束"
# What a database can hold of it (neither takes a NUL or a lone surrogate).
STORABLE = HOSTILE.replace("\x00", "").replace("\ud800", "")
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- the cleaner ----------------------------------------------------------------
def test_a_soft_line_break_becomes_a_space_in_a_headline_and_a_newline_in_a_body():
    assert clean_text("第一行\u2028第二行", multiline=False) == "第一行 第二行"
    assert clean_text("第一行\u2028第二行") == "第一行\n第二行"
    assert clean_text("一\r\n二\r三\x0c四\u2029五") == "一\n二\n三\n四\n五"


def test_what_xml_cannot_hold_is_removed_and_the_words_are_kept():
    assert clean_text(HOSTILE, multiline=False) == "中原 区 召开推进会 结束"
    assert clean_text("tab\there") == "tab\there"  # a tab means something in a body
    assert clean_text("tab\there", multiline=False) == "tab here"
    assert clean_text("👨‍👩‍👧 emoji with joiners") == "👨‍👩‍👧 emoji with joiners"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=[])))
def test_whatever_comes_in_the_cleaned_text_is_valid_xml_1_0(text):
    for multiline in (True, False):
        cleaned = clean_text(text, multiline=multiline)
        assert not XML_INVALID.search(cleaned)
        minidom.parseString(f"<t>{_xml_escape(cleaned)}</t>".encode("utf-8", "surrogatepass"))
        assert clean_text(cleaned, multiline=multiline) == cleaned  # idempotent


def _xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;")


# --- at the edge: admin forms, notes, the import ---------------------------------------
@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_article_form_cleans_the_headline_and_keeps_the_bodys_lines(editor_client, editor):
    article = make_article(by=editor)
    data = article_form_data(
        article,
        headline="中原区召开\u2028推进会\x0c",
        summary="第一句。\u2028第二句。\x1b",
        body="<p>正文\x0b第二行\x1b</p>",
    )
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.headline == "中原区召开 推进会"
    assert article.summary == "第一句。\n第二句。"
    assert "\x0b" not in article.body and "\x1b" not in article.body


def test_people_sections_and_third_party_admins_clean_their_text_too(editor_client, editor):
    response = editor_client.post(
        reverse("admin:articles_section_add"),
        {"name": "社区\u2028新闻\x1b", "slug": "", "order": 0, "description": "一\u2028二"},
    )
    assert response.status_code == 302
    section = Section.objects.get(slug="she-qu-xin-wen")
    assert (section.name, section.description) == ("社区 新闻", "一\n二")

    person = make_person("通讯员甲")
    response = editor_client.post(
        reverse("admin:people_person_change", args=[person.pk]),
        {
            "display_name": "李\x0c明",
            "kind": "contributor",
            "affiliation": "",
            "title": "",
            "is_confirmed": "on",
            "bio": "记者。\u2028摄影师。",
            "slug": person.slug,
            "user": "",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.display_name, person.bio) == ("李 明", "记者。\n摄影师。")

    # taggit's own admin, registered by taggit itself.
    response = editor_client.post(
        reverse("admin:taggit_tag_add"),
        {
            "name": "政协\u2028会议",
            "slug": "zhengxie",
            "taggit_taggeditem_items-TOTAL_FORMS": 0,
            "taggit_taggeditem_items-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    from taggit.models import Tag

    assert Tag.objects.get(slug="zhengxie").name == "政协 会议"


def test_a_send_back_note_keeps_its_lines_without_control_characters(editor_client, reporter):
    article = make_article(by=reporter)
    article.submit_for_review(by=reporter)
    url = reverse("admin:articles_article_transition", args=[article.pk, "send_back"])
    editor_client.post(url, {"note": "导语太长。\u2028请压缩。\x1b\x0c"})
    article.refresh_from_db()
    assert article.status_note == "导语太长。\n请压缩。"
    assert article.transitions.get(name="send_back").note == "导语太长。\n请压缩。"


def test_a_nul_in_a_note_is_a_bad_request_and_changes_nothing(editor_client, reporter):
    article = make_article(by=reporter)
    article.submit_for_review(by=reporter)
    url = reverse("admin:articles_article_transition", args=[article.pk, "send_back"])
    response = editor_client.post(url, {"note": "请改\x00"})
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_the_print_import_cleans_the_page_at_its_input():
    text = read_print_page("本报讯\u2028记者 张改华\x1b\x0c 中原区召开推进会。".encode())
    assert not XML_INVALID.search(text) and "\u2028" not in text
    assert "中原区召开推进会" in text


# --- on the way out: what is already stored ---------------------------------------------
@pytest.fixture
def stored_hostile(editor):
    """A published story, event and correction whose text was stored before any cleaning
    (written straight to the table, as an old import or a script would have)."""
    section = make_section("要闻", slug="yaowen")
    article = publish(make_article(by=editor, section=section), editor)
    article.tags.add("政协")
    Article.objects.filter(pk=article.pk).update(
        headline=STORABLE, summary=STORABLE, kicker=STORABLE
    )
    Correction.objects.create(content_object=article, text="更正\x0c\x1b内容", created_by=editor)
    event = publish(make_event(by=editor), editor)
    Event.objects.filter(pk=event.pk).update(
        title=STORABLE, venue="会\x0c议室", description="<p>说明\x1b</p>"
    )
    Section.objects.filter(pk=section.pk).update(description="栏目\x0c说明")
    return article, event, section


@pytest.mark.parametrize(
    "url_name",
    ["articles:feed", "articles:feed_atom", "articles:section_feed", "articles:section_feed_atom"],
)
def test_every_feed_stays_well_formed_xml(client, stored_hostile, url_name):
    article, _event, section = stored_hostile
    kwargs = {"slug": section.slug} if "section" in url_name else {}
    response = client.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    minidom.parseString(response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.entries[0].title == "中原 区 召开推进会 结束"


def test_the_news_sitemap_stays_well_formed_xml(client, stored_hostile):
    response = client.get(reverse("articles:sitemap_news"))
    assert response.status_code == 200
    document = minidom.parseString(response.content)
    titles = [n.firstChild.data for n in document.getElementsByTagName("news:title")]
    assert titles == ["中原 区 召开推进会 结束"]


def test_calendars_carry_no_control_characters(client, stored_hostile):
    _article, event, _section = stored_hostile
    for url in (reverse("articles:calendar"), reverse("articles:event_ical", args=[event.slug])):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert not XML_INVALID.search(text.replace("\r\n", "\n"))
        assert "SUMMARY:中原 区 召开推进会 结束" in text


def test_json_ld_carries_no_control_characters(client, stored_hostile):
    article, _event, _section = stored_hostile
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    data = json.loads(block)
    assert data["headline"] == "中原 区 召开推进会 结束"
    assert data["correction"][0]["text"] == "更正 内容"  # a form feed breaks a line
    assert not XML_INVALID.search(block)


def test_the_cleaning_admins_keep_the_user_admins_own_forms(client, django_user_model):
    # UserAdmin picks its add form itself, and its get_form() takes no `change`.
    admin_user = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin_user)
    add = client.get("/admin/auth/user/add/")
    assert add.status_code == 200 and 'name="password1"' in add.content.decode()
    change = client.get(f"/admin/auth/user/{admin_user.pk}/change/")
    assert change.status_code == 200 and 'name="username"' in change.content.decode()
