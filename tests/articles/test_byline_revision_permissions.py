"""The permission matrix over HTTP for what reaches a story's children besides the photo and
tag admins: bylines posted in the parent's form (articles and galleries), and revisions (the
history, the compare view, and the revision page looked at and posted), for every persona
and every workflow state."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles.models import ArticleByline
from people.models import Role
from tests.articles.admin_children import (
    ROLES,
    alices_article,
    alices_gallery,
    assert_refused,
    form_data,
    login_as,
    may_edit,
    may_view,
)
from tests.helpers import STATES, make_article, make_person, put_in_state


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def change_url(obj):
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def credits(obj):
    return sorted((b.person.display_name, b.role) for b in obj.bylines.select_related("person"))


@pytest.mark.parametrize("kind", ["article", "gallery"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_a_byline_posted_in_the_form_is_saved_only_for_who_may_edit(
    client, people, kind, role, state
):
    item = (alices_article if kind == "article" else alices_gallery)(people, state)
    before = credits(item)
    newcomer = make_person("新通讯员", kind="contributor")
    data = form_data(login_as(client, people["editor"]).get(change_url(item)))
    row = data["bylines-TOTAL_FORMS"]
    data.update(
        {
            "bylines-TOTAL_FORMS": row + 1,
            f"bylines-{row}-order": row,
            f"bylines-{row}-role": Role.CORRESPONDENT,
            f"bylines-{row}-person": newcomer.pk,
            f"bylines-{row}-{kind}": item.pk,
        }
    )

    response = login_as(client, people[role]).post(change_url(item), data)

    if may_edit(role, state):
        assert response.status_code == 302, response.context and [
            f.formset.errors for f in response.context["inline_admin_formsets"]
        ]
        assert credits(item) == sorted([*before, ("新通讯员", Role.CORRESPONDENT)])
    else:
        assert_refused(response, role, state)
        assert credits(item) == before


def test_a_byline_row_of_another_story_cannot_be_changed_through_ones_own_draft(client, people):
    theirs = alices_article(people, "published", headline="已发表的稿件")
    their_byline = theirs.bylines.get(role=Role.REPORTER)
    mine = make_article(by=people["other_reporter"], headline="我的草稿")
    client = login_as(client, people["other_reporter"])
    data = form_data(client.get(change_url(mine)))
    data.update(
        {
            "bylines-TOTAL_FORMS": 1,
            "bylines-INITIAL_FORMS": 1,
            "bylines-0-id": their_byline.pk,
            "bylines-0-article": mine.pk,
            "bylines-0-order": 0,
            "bylines-0-role": Role.REPORTER,
            "bylines-0-person": people["other_reporter"].person.pk,
        }
    )

    client.post(change_url(mine), data)

    their_byline.refresh_from_db()
    assert (their_byline.article, their_byline.person) == (theirs, people["author"].person)
    assert not ArticleByline.objects.filter(article=mine, person=people["author"].person).exists()


@pytest.fixture
def revised(people):
    """Alice's story with two revisions, [0] "第一版标题" and [1] "第二版标题", in a state."""

    def make(state):
        author = people["author"]
        article = make_article(
            by=author,
            headline="第一版标题",
            bylines=[
                (author.person, Role.REPORTER),
                (people["bylined_correspondent"].person, Role.CORRESPONDENT),
            ],
        )
        for headline in ("第一版标题", "第二版标题"):
            with reversion.create_revision():
                article.headline = headline
                article.save()
        article = put_in_state(article, state, people["editor"])
        return article, list(Version.objects.get_for_object(article).order_by("pk"))

    return make


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_history_compare_and_revision_pages_follow_the_workflow(
    client, people, revised, role, state
):
    article, (first, second) = revised(state)
    history = reverse("admin:articles_article_history", args=[article.pk])
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    revision = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    # The restore form as an editor's browser shows it, posted by each persona.
    data = form_data(login_as(client, people["editor"]).get(revision))
    client = login_as(client, people[role])

    reads = [
        client.get(history),
        client.get(compare, {"version_id1": first.pk, "version_id2": second.pk}),
    ]
    page = client.get(revision)
    response = client.post(revision, data)

    article.refresh_from_db()
    if not may_view(role, state):
        # History, compare, the revision page and its restore: not found for who may not read it.
        for read in [*reads, page, response]:
            assert_refused(read, role, state)
    else:
        assert [read.status_code for read in reads] == [200, 200]
        assert "第一版标题" in reads[1].content.decode()
    if may_edit(role, state):
        assert page.status_code == 200 and 'value="第一版标题"' in page.content.decode()
        assert response.status_code == 302
        assert article.headline == "第一版标题"
    else:
        if may_view(role, state):
            assert page.status_code == response.status_code == 403
        assert article.headline == "第二版标题"
    assert article.status == {"scheduled_future": "scheduled", "scheduled_live": "scheduled"}.get(
        state, state
    )
