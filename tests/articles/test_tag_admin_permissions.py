"""taggit's own tag admin, under the newsroom's rules: editors keep the vocabulary (rename,
merge, delete); reporters read it and tag only through a story's form, under its workflow
rules; nobody tags items from the tag's page. The merge page never answers 500, and a merge
reaches the published stories' pages.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from articles.models import Article
from tests.articles.admin_children import (
    ROLES,
    alices_article,
    assert_refused,
    form_data,
    login_as,
    may_edit,
    may_view,
    messages_of,
)
from tests.helpers import STATES, article_form_data

CHANGELIST = reverse("admin:taggit_tag_changelist")
MERGE_PAGE = reverse("admin:taggit_tag_merge_tags")


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def tagged(people):
    """A published story by Alice tagged 政协 and 政协会议, and a draft tagged 政协."""
    published = alices_article(people, "published", headline="已发表的稿件")
    published.tags.add("政协", "政协会议")
    draft = alices_article(people, "draft", headline="草稿")
    draft.tags.add("政协")
    return published, draft


def tag(name):
    return Tag.objects.get(name=name)


def change_url(tag):
    return reverse("admin:taggit_tag_change", args=[tag.pk])


@pytest.mark.parametrize("role", ROLES)
def test_the_tag_pages_are_the_editors_to_change_and_the_newsrooms_to_read(
    client, people, tagged, role
):
    client = login_as(client, people[role])
    pages = [CHANGELIST, change_url(tag("政协"))]
    if not may_view(role):
        for url in [*pages, reverse("admin:taggit_tag_add")]:
            assert_refused(client.get(url), role)
        return
    for url in pages:
        assert client.get(url).status_code == 200
    page = client.get(change_url(tag("政协"))).content.decode()
    assert ('name="name"' in page) is (role == "editor")
    assert ('name="_save"' in page) is (role == "editor")
    assert client.get(reverse("admin:taggit_tag_add")).status_code == (
        200 if role == "editor" else 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_an_editor_may_rename_a_tag_shown_on_published_stories(client, people, tagged, role):
    zhengxie = tag("政协")
    data = form_data(login_as(client, people["editor"]).get(change_url(zhengxie)))
    data["name"] = "人民政协"
    response = login_as(client, people[role]).post(change_url(zhengxie), data)
    zhengxie.refresh_from_db()
    if role == "editor":
        assert response.status_code == 302
        assert zhengxie.name == "人民政协"
    else:
        assert_refused(response, role)
        assert zhengxie.name == "政协"


def test_nobody_tags_an_item_from_the_tags_page(client, people, tagged, editor):
    """Tagging is done in the item's form, under its rules: the tag's page only lists."""
    published, draft = tagged
    zhengxie = tag("政协会议")
    client = login_as(client, editor)
    page = client.get(change_url(zhengxie))
    data = form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": 2,
            f"{prefix}-0-id": TaggedItem.objects.get(tag=zhengxie).pk,
            f"{prefix}-0-tag": zhengxie.pk,
            f"{prefix}-1-tag": zhengxie.pk,
            f"{prefix}-1-content_type": ContentType.objects.get_for_model(Article).pk,
            f"{prefix}-1-object_id": draft.pk,
        }
    )
    client.post(change_url(zhengxie), data)
    assert not draft.tags.filter(name="政协会议").exists()
    assert TaggedItem.objects.filter(tag=zhengxie).count() == 1


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_merge_page_without_a_selection_is_no_error(client, people, role, method):
    response = getattr(login_as(client, people[role]), method)(
        MERGE_PAGE, {"new_tag_name": "合并"} if method == "post" else {}
    )
    if role == "editor":
        assert response.status_code == 302
        assert response["Location"] == CHANGELIST
        assert "Select the tags to merge" in messages_of(client.get(CHANGELIST))
    else:
        assert_refused(response, role)
    assert not Tag.objects.filter(name="合并").exists()


def test_the_merge_page_ignores_a_selection_left_in_the_session(client, people, tagged):
    """taggit's page merged what a session held, unchecked; ours asks for the list."""
    client = login_as(client, people["editor"])
    session = client.session
    session["selected_tag_ids"] = "x,,987654"
    session.save()
    assert client.post(MERGE_PAGE, {"new_tag_name": "合并"}).status_code == 302
    assert set(Tag.objects.values_list("name", flat=True)) == {"政协", "政协会议"}


@pytest.mark.parametrize("role", ROLES)
def test_merging_tags_is_an_editors_action(client, people, tagged, role):
    ids = [tag("政协").pk, tag("政协会议").pk]
    client = login_as(client, people[role])
    response = client.post(
        CHANGELIST, {"action": "merge_tags", "_selected_action": ids, "index": 0}
    )
    if not may_view(role):
        assert_refused(response, role)
    elif role == "editor":
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="merged-tags"' in page and "政协会议" in page
    else:
        # No action is offered to them: the crafted post only shows the list again.
        assert response.status_code == 200
        assert 'id="merged-tags"' not in response.content.decode()
    # A crafted confirmation, as if the page had been shown.
    client.post(CHANGELIST, {"action": "merge_tags", "_selected_action": ids, "into": "人民政协"})
    names = set(Tag.objects.values_list("name", flat=True))
    assert names == ({"人民政协"} if role == "editor" else {"政协", "政协会议"})


def test_a_merge_moves_every_story_to_the_kept_tag_and_the_public_page_follows(
    client, people, tagged, django_capture_on_commit_callbacks
):
    published, draft = tagged
    assert "政协会议" in client.get(published.get_absolute_url()).content.decode()
    editor = login_as(client.__class__(), people["editor"])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            CHANGELIST,
            {
                "action": "merge_tags",
                "_selected_action": [tag("政协").pk, tag("政协会议").pk],
                "into": "政协",
            },
            follow=True,
        )

    assert "2 tags merged into “政协”." in messages_of(response)
    assert list(Tag.objects.values_list("name", flat=True)) == ["政协"]
    assert set(Article.objects.filter(tags__name="政协")) == {published, draft}
    page = client.get(published.get_absolute_url()).content.decode()
    assert "政协会议" not in page and "政协" in page


def test_a_merge_without_a_name_asks_again_and_merges_nothing(client, people, tagged):
    client = login_as(client, people["editor"])
    ids = [tag("政协").pk, tag("政协会议").pk]
    response = client.post(
        CHANGELIST, {"action": "merge_tags", "_selected_action": ids, "into": "  "}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Tag.objects.count() == 2


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_a_reporter_tags_a_story_only_through_a_form_she_may_save(client, people, role, state):
    article = alices_article(people, state)
    response = login_as(client, people[role]).post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form_data(article, tags="新标签"),
    )
    if may_edit(role, state):
        assert response.status_code == 302
        assert list(article.tags.names()) == ["新标签"]
    else:
        assert_refused(response, role, state)
        assert not article.tags.exists()
