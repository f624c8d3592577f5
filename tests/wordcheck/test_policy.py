"""The policy at each stage: warn, sign-off by a senior editor with a note, or block; on the
server, whatever is posted (transition endpoint and bulk actions)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from newsroom.models import Transition
from newsroom.workflow import Status
from tests.helpers import make_article, make_gallery, make_photo
from wordcheck.models import Action, CheckResult, Override, Policy

WORD = {"banned": "禁用词甲", "sensitive": "大师", "fixed": "中原区政府", "mistake": "再接再励"}
TEXT = {category: f"本报讯 今天{word}出现了。" for category, word in WORD.items()}
# The transitions a policy is set for, who makes them, and from which state.
STAGES = {
    "submit": ("author", "draft"),
    "schedule": ("editor", "review"),
    "publish": ("editor", "review"),
}


def set_policy(category, stage, action):
    Policy.objects.update_or_create(category=category, stage=stage, defaults={"action": action})


def story(reporter, editor, category, state="draft"):
    article = make_article(by=reporter, headline="推进会", body=f"<p>{TEXT[category]}</p>")
    if state == "review":
        try:
            article.submit_for_review(by=reporter)
        except ValidationError:
            # Blocked at submission: as a story that reached review before its word was listed.
            type(article).objects.filter(pk=article.pk).update(status=Status.REVIEW)
        article.refresh_from_db()
    return article


def run(article, stage, user, note=""):
    from newsroom import workflow

    at = timezone.now() + datetime.timedelta(days=1) if stage == "schedule" else None
    return workflow.perform(article, stage, by=user, note=note, at=at)


TARGET = {"submit": Status.REVIEW, "schedule": Status.SCHEDULED, "publish": Status.PUBLISHED}


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("action", [Action.WARN, Action.SIGNOFF, Action.BLOCK])
@pytest.mark.parametrize("category", list(TEXT))
def test_each_category_and_policy_at_each_stage(lists, reporter, editor, category, action, stage):
    set_policy(category, stage, action)
    who, state = STAGES[stage]
    user = {"author": reporter, "editor": editor}[who]
    # Other stages warn only, so that the story can reach this one.
    for other in STAGES:
        if other != stage:
            set_policy(category, other, Action.WARN)
    article = story(reporter, editor, category, state)
    before = article.status

    if action == Action.WARN:
        run(article, stage, user)
        article.refresh_from_db()
        assert article.status == TARGET[stage]
        return

    with pytest.raises(ValidationError) as refused:
        run(article, stage, user)
    assert f"“{WORD[category]}”" in " ".join(refused.value.messages)
    article.refresh_from_db()
    assert article.status == before
    assert not Override.objects.exists()

    if action == Action.BLOCK:
        # A note changes nothing, not even an editor's.
        with pytest.raises(ValidationError):
            run(article, stage, editor if stage == "submit" else user, "我签发")
        article.refresh_from_db()
        assert article.status == before
        return

    # Sign-off: a reporter's note is not enough; an editor's is, and it is recorded.
    if stage == "submit":
        with pytest.raises(ValidationError):
            run(article, stage, reporter, "我确认")
        assert article.status == before
    run(article, stage, editor, "已核实，可以使用。")
    article.refresh_from_db()
    assert article.status == TARGET[stage]
    (override,) = Override.objects.all()
    assert (override.by, override.note, override.stage) == (editor, "已核实，可以使用。", stage)
    assert override.content_object == article
    assert override.transition.name == stage and override.transition.note == "已核实，可以使用。"
    assert override.hits[0]["category"] == category


def test_default_policy_blocks_banned_words_and_asks_a_note_for_sensitive_ones(
    lists, reporter, editor
):
    banned = make_article(by=reporter, headline="禁用词甲")
    with pytest.raises(ValidationError):
        banned.submit_for_review(by=reporter)
    sensitive = make_article(by=reporter, headline="大师来了")
    sensitive.submit_for_review(by=reporter)  # warns only at submission
    with pytest.raises(ValidationError):
        sensitive.publish(by=editor)
    mistake = make_article(by=reporter, headline="再接再励")
    mistake.publish(by=editor)
    assert mistake.status == Status.PUBLISHED


def test_the_check_runs_again_at_the_transition_with_the_lists_of_now(lists, reporter, editor):
    from tests.wordcheck.conftest import add

    article = make_article(by=reporter, headline="新词出现")
    article.submit_for_review(by=reporter)
    add("新词")  # listed after the story was saved
    with pytest.raises(ValidationError):
        article.publish(by=editor)
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_a_photo_caption_blocks_its_gallery(lists, reporter, editor):
    gallery = make_gallery(by=editor)
    make_photo(gallery, caption="图为禁用词甲", alt_text="")
    with pytest.raises(ValidationError):
        gallery.publish(by=editor)
    result = CheckResult.objects.get(object_id=gallery.pk, content_type__model="gallery")
    assert result.hits[0]["field"].endswith(":caption")


# --- over HTTP ------------------------------------------------------------------------------


def transition_url(article, name):
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def test_a_blocked_story_is_refused_by_crafted_posts(client, lists, reporter, editor):
    article = story(reporter, editor, "banned", "review")
    client.force_login(editor)
    for name, data in [
        ("publish", {}),
        ("publish", {"note": "我签发", "status": "published"}),
        (
            "schedule",
            {
                "at": (timezone.localtime() + datetime.timedelta(days=1)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
                "note": "x",
            },
        ),
    ]:
        response = client.post(transition_url(article, name), data, follow=True)
        assert response.status_code == 200
        assert "禁用词甲" in response.content.decode()
        article.refresh_from_db()
        assert article.status == Status.REVIEW
    assert not Transition.objects.filter(name__in=["publish", "schedule"]).exists()


def test_a_reporter_cannot_submit_a_story_with_a_banned_word_over_http(client, lists, reporter):
    article = make_article(by=reporter, headline="禁 用 词 甲")
    client.force_login(reporter)
    client.post(transition_url(article, "submit"), {})
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_bulk_actions_refuse_blocked_and_unsigned_stories(client, lists, reporter, editor):
    blocked = story(reporter, editor, "banned", "review")
    sensitive = story(reporter, editor, "sensitive", "review")
    fine = make_article(by=reporter, headline="一切正常")
    fine.submit_for_review(by=reporter)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_publish", "_selected_action": [blocked.pk, sensitive.pk, fine.pk]},
        follow=True,
    )
    assert response.status_code == 200
    for article, status in [
        (blocked, Status.REVIEW),
        (sensitive, Status.REVIEW),
        (fine, Status.PUBLISHED),
    ]:
        article.refresh_from_db()
        assert article.status == status
    assert not Override.objects.exists()


def test_an_editor_signs_off_over_http_and_the_history_shows_it(client, lists, reporter, editor):
    article = story(reporter, editor, "sensitive", "review")
    client.force_login(editor)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(change_url).content.decode()
    assert "wordcheck-signoff-form" in page
    client.post(transition_url(article, "publish"), {"note": "领导已审"})
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    override = Override.objects.get()
    assert (override.by, override.note) == (editor, "领导已审")
    page = client.get(change_url).content.decode()
    assert "领导已审" in page  # in the status history and the sign-off list
    assert "wordcheck-signoffs" in page


def test_a_reporter_sees_no_sign_off_form(client, lists, reporter, editor):
    article = make_article(by=reporter, headline="大师来了")
    client.force_login(reporter)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "wordcheck-panel" in page and "大师" in page
    assert "wordcheck-signoff-form" not in page
