"""Restoring an old revision in the admin touches only the item in the URL and its own
children, keeps its workflow state, is allowed only to whoever may edit the item as it is
now, and is recorded like any other change.

django-reversion's own restore reverts the whole revision the version belongs to: every
object saved with it (a bulk action saves many stories in one revision; a photo moved to
another gallery since is still in its old gallery's revisions), status included.
"""

import pytest
import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Gallery, Photo
from people.models import Role
from tests.helpers import make_article, make_gallery, make_photo, posted_form_data


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def revision_url(obj, version):
    return reverse(f"admin:articles_{obj._meta.model_name}_revision", args=[obj.pk, version.pk])


def change_url(obj):
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def save_revision(obj, user=None, **changes):
    """Save `obj` with `changes` as one revision, as the admin's change form would."""
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
        if user is not None:
            reversion.set_user(user)
    return Version.objects.get_for_object(obj).order_by("-pk").first()


def form_data(response) -> dict:
    """What the browser posts back from the form `response` shows; a file input left alone
    posts nothing."""
    return {
        key: value for key, value in posted_form_data(response).items() if not key.endswith("image")
    }


def restore(client, obj, version):
    """GET the revision page, then POST it back as the browser would."""
    page = client.get(revision_url(obj, version))
    assert page.status_code == 200, page.status_code
    return client.post(revision_url(obj, version), form_data(page))


def test_a_version_of_another_model_with_the_same_id_is_not_found_and_changes_nothing(
    client, reporter, editor
):
    # Alice's own draft and a published gallery that happen to share a primary key.
    draft = make_article(by=reporter, pk=4242, bylines=[(reporter.person, Role.REPORTER)])
    gallery = make_gallery(by=editor, pk=4242, title="已发表的图集")
    gallery_version = save_revision(gallery, editor, description="草稿时的说明")
    gallery.publish(by=editor)
    client.force_login(reporter)

    for method in (client.get, client.post):
        response = method(revision_url(draft, gallery_version))
        assert response.status_code == 404

    gallery.refresh_from_db()
    assert gallery.status == "published"
    assert Gallery.objects.published().filter(pk=gallery.pk).exists()


def test_restoring_a_story_saved_by_a_bulk_action_leaves_the_other_stories_of_that_revision(
    client, reporter, other_reporter, editor
):
    mine = make_article(
        by=reporter, headline="我的稿件", bylines=[(reporter.person, Role.REPORTER)]
    )
    theirs = make_article(by=other_reporter, headline="别人的稿件")
    client.force_login(editor)
    # One bulk action, one revision holding both stories (and their bylines).
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_submit", "_selected_action": [mine.pk, theirs.pk], "index": 0},
    )
    version = Version.objects.get_for_object(mine).order_by("-pk").first()
    assert version.revision.version_set.filter(object_id=str(theirs.pk)).exists()
    Article.objects.get(pk=theirs.pk).publish(by=editor)
    Article.objects.get(pk=mine.pk).send_back(by=editor, note="请补充。")

    client.force_login(reporter)
    response = restore(client, mine, version)

    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == "published"
    assert Article.objects.published().filter(pk=theirs.pk).exists()
    mine.refresh_from_db()
    assert mine.status == "draft"


def test_restoring_a_gallery_leaves_a_photo_that_moved_to_another_gallery_where_it_is(
    client, reporter, editor
):
    gallery = make_gallery(by=reporter, title="我的图集")
    photo = make_photo(gallery=gallery, caption="开幕式")
    old_version = save_revision(gallery, reporter, description="旧说明")
    published = make_gallery(by=editor, title="已发表的图集")
    published.publish(by=editor)
    # The editor moves the photo into the published gallery.
    moved = Photo.objects.get(pk=photo.pk)
    moved.gallery = published
    moved.save()

    client.force_login(reporter)
    response = restore(client, gallery, old_version)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.gallery == published
    gallery.refresh_from_db()
    assert gallery.description == "旧说明"
    follow = client.get(response["Location"])
    assert "belongs to another item now" in " ".join(str(m) for m in follow.context["messages"])


def test_restoring_keeps_the_schedule_and_is_recorded_like_any_change(client, reporter, editor):
    article = make_article(by=reporter, headline="第一版标题")
    first = save_revision(article, reporter, body="<p>第一版正文。</p>")
    save_revision(article, reporter, headline="第二版标题")
    article.schedule(at=article.created_at.replace(year=article.created_at.year + 1), by=editor)
    before = Article.objects.get(pk=article.pk)
    versions_before = Version.objects.get_for_object(article).count()
    client.force_login(editor)

    response = restore(client, article, first)

    assert response.status_code == 302
    after = Article.objects.get(pk=article.pk)
    assert after.headline == "第一版标题"
    for field in ("status", "publish_at", "first_published_at", "created_by_id", "status_note"):
        assert getattr(after, field) == getattr(before, field), field
    assert after.edit_version == before.edit_version + 1
    assert after.updated_at > before.updated_at
    # A new revision and a log entry that say it was a restore.
    assert Version.objects.get_for_object(article).count() == versions_before + 1
    newest = Version.objects.get_for_object(article).order_by("-pk").first()
    assert newest.revision.user == editor
    assert newest.revision.get_comment().startswith("Restored the version saved on")
    entry = LogEntry.objects.filter(object_id=str(article.pk), action_flag=CHANGE).latest("pk")
    assert entry.user == editor
    assert "Restored the version saved on" in entry.get_change_message()
    assert "headline" in entry.get_change_message()


def test_looking_at_a_revision_changes_nothing_and_records_nothing(client, reporter, editor):
    article = make_article(by=reporter, headline="第一版标题")
    first = save_revision(article, reporter)
    save_revision(article, reporter, headline="第二版标题")
    counts = (Version.objects.count(), LogEntry.objects.count())
    client.force_login(editor)

    page = client.get(revision_url(article, first))

    assert page.status_code == 200
    assert 'value="第一版标题"' in page.content.decode()
    assert Article.objects.get(pk=article.pk).headline == "第二版标题"
    assert (Version.objects.count(), LogEntry.objects.count()) == counts


@pytest.mark.parametrize("role", ["other_reporter", "outsider"])
def test_only_who_may_edit_the_item_now_may_open_or_post_its_revision(client, people, role):
    author = people["author"]
    article = make_article(by=author, headline="第一版标题")
    first = save_revision(article, author)
    save_revision(article, author, headline="第二版标题")
    client.force_login(people[role])

    # Bob may not read Alice's draft at all: not found, as a wrong id.
    refused = 404 if role == "other_reporter" else 403
    assert client.get(revision_url(article, first)).status_code == refused
    assert client.post(revision_url(article, first), {"headline": "x"}).status_code == refused
    assert Article.objects.get(pk=article.pk).headline == "第二版标题"


def test_a_reporter_cannot_restore_her_story_once_it_is_in_review(client, reporter):
    article = make_article(by=reporter, headline="第一版标题")
    first = save_revision(article, reporter)
    save_revision(article, reporter, headline="第二版标题")
    client.force_login(reporter)
    page = client.get(revision_url(article, first))
    data = form_data(page)
    article.submit_for_review(by=reporter)

    assert client.get(revision_url(article, first)).status_code == 403
    assert client.post(revision_url(article, first), data).status_code == 403
    after = Article.objects.get(pk=article.pk)
    assert (after.headline, after.status) == ("第二版标题", "review")


def test_restoring_bumps_the_photo_versions_so_a_form_loaded_before_cannot_save_over_it(
    client, reporter, editor
):
    gallery = make_gallery(by=reporter)
    photo = make_photo(gallery=gallery, caption="旧图说")
    old_version = save_revision(gallery, reporter)
    photo.caption = "新图说"
    photo.save()
    client.force_login(editor)
    stale_photo_form = form_data(client.get(change_url(photo)))

    assert restore(client, gallery, old_version).status_code == 302
    assert Photo.objects.get(pk=photo.pk).caption == "旧图说"

    stale_photo_form["caption"] = "编辑改的图说"
    response = client.post(change_url(photo), stale_photo_form)
    assert response.status_code == 200
    assert "Someone else changed this photo" in response.content.decode()
    assert Photo.objects.get(pk=photo.pk).caption == "旧图说"


def test_a_missing_item_or_version_is_not_found(client, reporter, editor):
    article = make_article(by=reporter)
    version = save_revision(article, reporter)
    client.force_login(editor)
    assert (
        client.get(
            revision_url(article, version).replace(f"/{version.pk}/", "/987654/")
        ).status_code
        == 404
    )
    url = reverse("admin:articles_article_revision", args=[987654, version.pk])
    assert client.get(url).status_code == 404
    url = reverse("admin:articles_article_revision", args=["abc", version.pk])
    assert client.get(url).status_code == 404


def test_a_revision_whose_bylines_no_longer_fit_says_so_and_changes_nothing(
    client, reporter, correspondent, editor
):
    article = make_article(
        by=reporter,
        bylines=[(reporter.person, Role.REPORTER), (correspondent.person, Role.REPORTER)],
    )
    old_version = save_revision(article, reporter)
    first, second = article.bylines.order_by("order")
    # Since then, the two people swapped rows: restoring the rows one by one would put the
    # same person twice in the same role for a moment.
    type(first).objects.filter(pk=second.pk).delete()
    first.person = correspondent.person
    first.save()
    type(first).objects.create(
        pk=second.pk, article=article, person=reporter.person, role=Role.REPORTER, order=1
    )
    before = sorted(article.bylines.values_list("pk", "person_id"))
    client.force_login(editor)

    response = client.get(revision_url(article, old_version), follow=True)

    assert response.status_code == 200
    assert "cannot be restored as it is" in " ".join(str(m) for m in response.context["messages"])
    assert sorted(article.bylines.values_list("pk", "person_id")) == before
