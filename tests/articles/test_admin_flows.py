"""A story's life in the admin, as the newsroom lives it: written, reviewed, sent back,
scheduled, published, corrected, retracted; plus two people editing at once, and revisions."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from people.models import Person, Role
from tests.helpers import (
    article_form_data,
    make_article,
    make_event,
    make_person,
    make_user,
    posted_form_data,
)

CONFLICT = "Someone else saved this item"


@pytest.fixture(autouse=True)
def in_english(settings):
    """Messages are asserted in their English source text (the newsroom defaults to zh-hans)."""
    settings.LANGUAGE_CODE = "en"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def transition(client, article, name, **data):
    # The button's form carries the edit version its page showed (here: the current one).
    data.setdefault("edit_version", Article.objects.get(pk=article.pk).edit_version)
    return client.post(
        reverse("admin:articles_article_transition", args=[article.pk, name]), data, follow=True
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def desk_list(response, list_id):
    """The text of one list on the admin start page, as the user sees it."""
    match = re.search(
        rf'<section class="newsroom-desk-list" id="{list_id}">(.*?)</section>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no list {list_id} on the page"
    return match.group(1)


def local_input(moment):
    """A datetime as a browser's datetime-local input posts it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


def test_a_story_from_first_draft_to_retraction(reporter_client, editor_client, reporter, editor):
    correspondent = make_person("吕杨子", kind="contributor", affiliation="中原区纪委监委")

    # The reporter writes the story with two bylines.
    response = reporter_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    response = reporter_client.post(
        reverse("admin:articles_article_add"),
        {
            "kicker": "提升服务能力",
            "headline": "中原区召开网上政务服务能力提升工作推进会",
            "subheadline": "",
            "dateline": "本报讯",
            "summary": "",
            "body": "<p>9月1日下午，中原区召开推进会。</p>",
            "section": "",
            "tags": "",
            "lead_photo": "",
            "slug": "",
            "print_edition_date": "",
            "print_page": "",
            "loaded_edit_version": "",
            "bylines-TOTAL_FORMS": 2,
            "bylines-INITIAL_FORMS": 0,
            "bylines-MIN_NUM_FORMS": 0,
            "bylines-MAX_NUM_FORMS": 1000,
            "bylines-0-order": 0,
            "bylines-0-role": Role.REPORTER,
            "bylines-0-person": reporter.person.pk,
            "bylines-1-order": 1,
            "bylines-1-role": Role.CORRESPONDENT,
            "bylines-1-person": correspondent.pk,
        },
        follow=True,
    )
    assert response.redirect_chain, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert (article.created_by, article.status) == (reporter, "draft")
    assert [(b.person, b.role) for b in article.bylines.all()] == [
        (reporter.person, Role.REPORTER),
        (correspondent, Role.CORRESPONDENT),
    ]

    # She submits it; the editor finds it in the review queue.
    assert messages_of(transition(reporter_client, article, "submit")) == [
        "“中原区召开网上政务服务能力提升工作推进会”: Submit for review — done."
    ]
    assert article.headline in desk_list(editor_client.get(reverse("admin:index")), "desk-review")

    # The editor sends it back, and must say why.
    response = transition(editor_client, article, "send_back", note="  ")
    assert messages_of(response) == ["Please write a note: it is kept with the story."]
    article.refresh_from_db()
    assert article.status == "review"
    transition(editor_client, article, "send_back", note="导语太长，请压缩到两句。")

    # Her start page shows it as sent back, with the note.
    sent_back = desk_list(reporter_client.get(reverse("admin:index")), "desk-sent-back")
    assert article.headline in sent_back and "导语太长，请压缩到两句。" in sent_back
    assert "导语太长，请压缩到两句。" in reporter_client.get(change_url(article)).content.decode()

    # She shortens it and resubmits; the note is gone from her desk.
    response = reporter_client.get(change_url(article))
    data = posted_form_data(response)
    data["body"] = "<p>9月1日下午，中原区召开推进会。会议要求提升服务能力。</p>"
    assert reporter_client.post(change_url(article), data).status_code == 302
    transition(reporter_client, article, "submit")
    assert article.headline not in desk_list(
        reporter_client.get(reverse("admin:index")), "desk-sent-back"
    )

    # The editor schedules it: bad times are refused with a reason.
    for raw, message in [
        ("tomorrow", "“tomorrow” is not a date and time."),
        (
            local_input(timezone.now() - datetime.timedelta(hours=1)),
            "The publication time must be in the future.",
        ),
        ("", "Please choose when it should be published."),
    ]:
        response = transition(editor_client, article, "schedule", at=raw)
        assert len(messages_of(response)) == 1 and message in messages_of(response)[0]
        article.refresh_from_db()
        assert (article.status, article.publish_at) == ("review", None)
    at = (timezone.localtime() + datetime.timedelta(days=4)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    transition(editor_client, article, "schedule", at=local_input(at))
    article.refresh_from_db()
    assert (article.status, article.publish_at) == ("scheduled", at)
    assert article.headline in desk_list(
        editor_client.get(reverse("admin:index")), "desk-scheduled"
    )

    # Published now after all; then corrected; readers see the correction.
    transition(editor_client, article, "publish")
    article.refresh_from_db()
    assert article.status == "published"
    public = editor_client.get(article.get_absolute_url())
    assert public.status_code == 200
    transition(editor_client, article, "correct", note="原文中“9月7日”应为“9月8日”。")
    assert (
        "原文中“9月7日”应为“9月8日”。"
        in editor_client.get(article.get_absolute_url()).content.decode()
    )

    # Retracted with a reason: the public address answers 410 Gone.
    response = transition(editor_client, article, "unpublish", note="")
    assert messages_of(response) == ["Please write a note: it is kept with the story."]
    transition(editor_client, article, "unpublish", note="当事人身份有误")
    article.refresh_from_db()
    assert (article.status, article.status_note) == ("unpublished", "当事人身份有误")
    assert editor_client.get(article.get_absolute_url()).status_code == 410

    # Back to a draft, spiked, restored again.
    transition(editor_client, article, "restore")
    transition(editor_client, article, "spike")
    article.refresh_from_db()
    assert article.status == "spiked"
    transition(editor_client, article, "restore")
    article.refresh_from_db()
    assert article.status == "draft"
    assert [t.name for t in article.transitions.all()] == [
        "submit",
        "send_back",
        "submit",
        "schedule",
        "publish",
        "correct",
        "unpublish",
        "restore",
        "spike",
        "restore",
    ]


def test_reporter_can_add_a_new_correspondent_from_the_byline(reporter_client):
    """The "+" beside the person box opens the person form in a popup; reporters may use it."""
    page = reporter_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'id="add_id_bylines-__prefix__-person"' in page

    response = reporter_client.post(
        reverse("admin:people_person_add") + "?_to_field=id&_popup=1",
        {
            "display_name": "吕杨子",
            "kind": "contributor",
            "affiliation": "中原区纪委监委",
            "title": "",
            "bio": "",
            "slug": "",
            "user": "",
            "is_confirmed": "on",
            "_popup": "1",
            "_to_field": "id",
        },
    )
    assert response.status_code == 200
    person = Person.objects.get(display_name="吕杨子")
    # The popup answers with the new person, so the byline's box can select them.
    assert json.loads(response.context["popup_response_data"])["value"] == str(person.pk)


def test_a_reporter_adding_a_person_cannot_link_a_login_to_them(reporter_client, outsider):
    """A linked login could edit that person's drafts: linking is an editor's decision."""
    response = reporter_client.post(
        reverse("admin:people_person_add"),
        {"display_name": "王通讯", "kind": "contributor", "user": outsider.pk, "is_confirmed": ""},
    )
    assert response.status_code == 302
    person = Person.objects.get(display_name="王通讯")
    assert person.user is None
    assert person.is_confirmed


# --- two people, one story ------------------------------------------------


@pytest.fixture
def second_editor(db):
    return make_user("frank", "Editors", person_name="冯编辑")


def test_second_save_of_a_stale_form_is_refused_and_keeps_the_text(
    client, reporter, editor, second_editor
):
    article = make_article(by=reporter)
    client.force_login(editor)
    first = posted_form_data(client.get(change_url(article)))
    client.force_login(second_editor)
    second = posted_form_data(client.get(change_url(article)))

    client.force_login(editor)
    first["headline"] = "第一位编辑的标题"
    assert client.post(change_url(article), first).status_code == 302

    client.force_login(second_editor)
    second["headline"] = "第二位编辑的标题"
    response = client.post(change_url(article), second)

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    assert "第二位编辑的标题" in page
    article.refresh_from_db()
    assert article.headline == "第一位编辑的标题"


def test_a_transition_after_the_form_was_loaded_makes_the_save_fail(
    client, reporter, editor, second_editor
):
    article = make_article(by=reporter)
    article.submit_for_review(by=reporter)
    client.force_login(editor)
    stale = posted_form_data(client.get(change_url(article)))

    Article.objects.get(pk=article.pk).send_back(by=second_editor, note="请核实数字。")

    stale["headline"] = "改过的标题"
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.status) == (
        "中原区召开网上政务服务能力提升工作推进会",
        "draft",
    )


def test_a_form_posted_without_its_loaded_version_is_refused(client, reporter, editor):
    article = make_article(by=reporter)
    client.force_login(editor)
    data = article_form_data(article, headline="改过的标题")
    del data["loaded_edit_version"]
    response = client.post(change_url(article), data)
    assert CONFLICT in response.content.decode()
    article.refresh_from_db()
    assert article.headline != "改过的标题"


# --- revisions --------------------------------------------------------------


@pytest.fixture
def revised_article(client, reporter, correspondent, editor):
    """A published article with two revisions: [0] the first text, [1] the revised one."""
    article = make_article(
        by=reporter,
        headline="第一版标题",
        body="<p>第一版正文。</p>",
        bylines=[(reporter.person, Role.REPORTER)],
    )
    client.force_login(editor)
    for headline, body, bylines in [
        ("第一版标题", "<p>第一版正文。</p>", 1),
        ("第二版标题", "<p>第二版正文。</p>", 2),
    ]:
        data = posted_form_data(client.get(change_url(article)))
        data.update(headline=headline, body=body)
        if bylines == 2:
            data.update(
                {
                    "bylines-TOTAL_FORMS": 2,
                    "bylines-1-order": 1,
                    "bylines-1-role": Role.CORRESPONDENT,
                    "bylines-1-person": correspondent.person.pk,
                    "bylines-1-article": article.pk,
                }
            )
        assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    article.publish(by=editor)
    article.refresh_from_db()
    client.logout()
    return article


def versions_of(article):
    return list(Version.objects.get_for_object(article).order_by("pk"))


def test_history_lists_the_versions_and_compare_shows_the_difference(
    client, editor, revised_article
):
    first, second = versions_of(revised_article)
    client.force_login(editor)

    history = client.get(reverse("admin:articles_article_history", args=[revised_article.pk]))
    assert history.status_code == 200
    for version in (first, second):
        assert (
            reverse("admin:articles_article_revision", args=[revised_article.pk, version.pk])
            in history.content.decode()
        )

    compare = client.get(
        reverse("admin:articles_article_compare", args=[revised_article.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    )
    assert compare.status_code == 200
    page = compare.content.decode()
    assert "第一版标题" in page and "第二版标题" in page


def test_restoring_a_revision_brings_back_the_text_and_bylines_but_not_the_workflow_state(
    client, editor, reporter, revised_article
):
    first, _second = versions_of(revised_article)
    client.force_login(editor)
    # After publication the editor gave it a new address; a restore must not move it back.
    data = posted_form_data(client.get(change_url(revised_article)))
    data["slug"] = "zhongyuan-tuijinhui"
    assert client.post(change_url(revised_article), data).status_code == 302
    before = Article.objects.get(pk=revised_article.pk)
    url = reverse("admin:articles_article_revision", args=[revised_article.pk, first.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "第一版标题" in page.content.decode()
    # Looking at an old revision changes nothing.
    assert Article.objects.get(pk=revised_article.pk).headline == "第二版标题"

    response = client.post(url, posted_form_data(page))
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )

    after = Article.objects.get(pk=revised_article.pk)
    assert (after.headline, after.body) == ("第一版标题", "<p>第一版正文。</p>")
    assert [b.person for b in after.bylines.all()] == [reporter.person]
    for field in (
        "status",
        "status_note",
        "publish_at",
        "first_published_at",
        "last_published_at",
        "created_by",
        "slug",
    ):
        assert getattr(after, field) == getattr(before, field), field
    assert after.edit_version > before.edit_version
    assert client.get("/articles/zhongyuan-tuijinhui/").status_code == 200
    assert (
        client.get(f"/articles/{revised_article.slug}/")["Location"]
        == "/articles/zhongyuan-tuijinhui/"
    )


def test_a_reporter_cannot_restore_a_revision_of_a_published_article(
    client, reporter, revised_article
):
    first, _second = versions_of(revised_article)
    client.force_login(reporter)
    url = reverse("admin:articles_article_revision", args=[revised_article.pk, first.pk])

    assert client.get(url).status_code == 403
    data = article_form_data(
        revised_article, headline="第一版标题", loaded_edit_version=revised_article.edit_version
    )
    assert client.post(url, data).status_code == 403
    after = Article.objects.get(pk=revised_article.pk)
    assert (after.headline, after.status) == ("第二版标题", "published")


def test_a_reporter_may_read_the_history_but_an_outsider_may_not_compare(
    client, reporter, outsider, revised_article
):
    first, second = versions_of(revised_article)
    compare_url = reverse("admin:articles_article_compare", args=[revised_article.pk])
    query = {"version_id1": first.pk, "version_id2": second.pk}

    client.force_login(reporter)
    assert (
        client.get(reverse("admin:articles_article_history", args=[revised_article.pk])).status_code
        == 200
    )
    assert client.get(compare_url, query).status_code == 200

    client.force_login(outsider)
    assert (
        client.get(reverse("admin:articles_article_history", args=[revised_article.pk])).status_code
        == 403
    )
    assert client.get(compare_url, query).status_code == 403


def test_nothing_can_be_recovered_because_nothing_is_deleted(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 403


# --- the admin in both languages ---------------------------------------------


@pytest.mark.parametrize(("language", "log_out"), [("zh-hans", "注销"), ("en", "Log out")])
def test_the_admin_renders_in_chinese_and_english(
    client, reporter, editor, revised_article, language, log_out
):
    """Every page an editor or a reporter uses, in each language, with no error."""
    client.cookies["django_language"] = language
    draft = make_article(by=reporter, bylines=[(reporter.person, Role.REPORTER)])
    draft.submit_for_review(by=reporter)
    version, later = versions_of(revised_article)
    pages = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist") + "?status__exact=review&q=推进会",
        reverse("admin:articles_article_add"),
        change_url(draft),
        change_url(revised_article),
        reverse("admin:articles_article_history", args=[revised_article.pk]),
        reverse("admin:articles_article_compare", args=[revised_article.pk])
        + f"?version_id1={version.pk}&version_id2={later.pk}",
        reverse("admin:articles_article_preview", args=[draft.pk]),
        reverse("admin:articles_event_add"),
        reverse("admin:articles_gallery_add"),
        reverse("admin:articles_photo_add"),
        reverse("admin:people_person_add"),
        reverse("admin:people_person_changelist"),
    ]
    # Restoring a published article's revision is an editor's page.
    editor_pages = [
        reverse("admin:articles_article_revision", args=[revised_article.pk, version.pk])
    ]
    for user, urls in [(editor, pages + editor_pages), (reporter, pages)]:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user, url, response.status_code)
            assert f'lang="{language}"' in response.content.decode(), (user, url)
        assert log_out in client.get(reverse("admin:index")).content.decode()


def test_the_change_form_puts_the_bylines_between_the_heading_and_the_story(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    headline, bylines, body = (
        page.index('name="headline"'),
        page.index('id="bylines-group"'),
        page.index('name="body"'),
    )
    assert headline < bylines < body
    # A new story has no workflow state to show yet.
    assert "first published at" not in page.lower()


RICH_BODY = (
    "<p>本报讯 <strong>9月1日</strong>下午，中原区召开推进会。</p><ul><li>一网通办</li></ul>"
)


@pytest.mark.parametrize(
    "model, field, make",
    [("article", "body", make_article), ("event", "description", make_event)],
)
def test_a_reporter_reading_a_submitted_item_sees_its_text_formatted_not_its_html(
    client, reporter, editor, model, field, make
):
    item = make(by=reporter, **{field: RICH_BODY})
    item.submit_for_review(by=reporter)
    # Written by something other than the model's save: shown sanitised all the same.
    type(item).objects.filter(pk=item.pk).update(
        **{field: RICH_BODY + '<script>alert("x")</script><p onclick="x()">尾</p>'}
    )
    url = reverse(f"admin:articles_{model}_change", args=[item.pk])

    client.force_login(reporter)
    page = client.get(url).content.decode()
    assert f'name="{field}"' not in page  # read-only: no editor
    assert "<strong>9月1日</strong>" in page and "<li>一网通办</li>" in page
    assert "&lt;p&gt;" not in page and "&lt;strong&gt;" not in page
    assert 'alert("x")' not in page and "onclick" not in page

    # The editor, who may change it, still gets the editor widget with the stored text.
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert f'name="{field}"' in page
    assert 'class="formatted-text"' not in page
