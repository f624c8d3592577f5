"""The word check at the stages of a review chain (issue 12): a policy per chain stage (else
approve's), refused under the row lock whatever is posted; the desk chief may sign off what
needs a senior note on their desk; a publish that signs the last stage answers to its policy."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article
from newsroom.review import chains
from newsroom.review.models import Stage
from tests.helpers import make_article
from tests.review.world import approve, build_world, saved, sign_through
from wordcheck.admin import PolicyForm
from wordcheck.lists import stage_key
from wordcheck.models import Action, Override, Policy


def set_policy(category, stage, action):
    Policy.objects.update_or_create(category=category, stage=stage, defaults={"action": action})


@pytest.fixture
def world(lists):
    world = build_world()
    # Submission warns only, so that each story reaches the chain.
    for category in ("banned", "sensitive", "fixed", "mistake"):
        set_policy(category, "submit", Action.WARN)
    return world


def filed(world, word):
    reporter = world["reporter"]
    article = make_article(
        by=reporter, section=world["yaowen_section"], body=f"<p>本报讯 今天{word}出现了。</p>"
    )
    saved(article, reporter)
    article.submit_for_review(by=reporter)
    return Article.objects.get(pk=article.pk)


def at_stage(article):
    return Article.objects.get(pk=article.pk).review_stage.name


def sanshen(name):
    return Stage.objects.get(chain__slug="sanshen", name=name)


def test_a_banned_word_cannot_be_approved_at_any_stage_by_default(world):
    article = filed(world, "禁用词甲")
    for note in ("", "我同意"):
        with pytest.raises(ValidationError) as refused:
            approve(Article.objects.get(pk=article.pk), world["desk_editor"], note=note)
        assert "禁用词甲" in " ".join(refused.value.messages)
    assert at_stage(article) == "初审"
    assert not article.signoffs.exists()


def test_a_crafted_approve_post_is_refused(world, client):
    article = filed(world, "禁用词甲")
    client.force_login(world["desk_editor"])
    url = reverse("admin:articles_article_transition", args=[article.pk, "approve"])
    response = client.post(url, {"note": "签了", "status": "published"}, follow=True)
    assert response.status_code == 200
    assert "禁用词甲" in response.content.decode()
    assert at_stage(article) == "初审"
    assert not article.transitions.filter(name="approve").exists()


def test_each_chain_stage_has_its_own_policy(world):
    # Sensitive words: warned on the way up, a senior note at 复审 only.
    set_policy("sensitive", stage_key(sanshen("复审")), Action.SIGNOFF)
    article = filed(world, "大师")
    approve(article, world["desk_editor"])
    approve(Article.objects.get(pk=article.pk), world["proofreader"])
    assert at_stage(article) == "复审"
    with pytest.raises(ValidationError) as refused:
        approve(Article.objects.get(pk=article.pk), world["desk_chief"])
    assert refused.value.code == "wordcheck_signoff_note"
    assert at_stage(article) == "复审"
    # The chief of the story's desk is senior enough to sign it off, with a note.
    approve(Article.objects.get(pk=article.pk), world["desk_chief"], note="人名，非敏感用法")
    assert at_stage(article) == "二校"
    override = Override.objects.get()
    assert override.stage == stage_key(sanshen("复审"))
    assert override.by == world["desk_chief"] and override.note == "人名，非敏感用法"
    assert override.transition.name == "approve"


def test_a_proofreader_cannot_sign_off_what_needs_a_senior_note(world):
    set_policy("sensitive", stage_key(sanshen("一校")), Action.SIGNOFF)
    article = filed(world, "大师")
    approve(article, world["desk_editor"])
    with pytest.raises(ValidationError) as refused:
        approve(Article.objects.get(pk=article.pk), world["proofreader"], note="没问题")
    assert refused.value.code == "wordcheck_signoff"
    assert at_stage(article) == "一校"


def test_a_stage_without_its_own_rule_follows_approves(world):
    set_policy("mistake", "approve", Action.BLOCK)
    article = filed(world, "再接再励")
    with pytest.raises(ValidationError, match="再接再励"):
        approve(article, world["desk_editor"])
    # A stage's own rule wins over approve's.
    set_policy("mistake", stage_key(sanshen("初审")), Action.WARN)
    approve(Article.objects.get(pk=article.pk), world["desk_editor"])
    assert at_stage(article) == "一校"


def test_a_publish_that_signs_the_last_stage_answers_to_its_policy(world):
    for stage in ("publish", "schedule"):
        set_policy("fixed", stage, Action.WARN)
    set_policy("fixed", stage_key(sanshen("终审")), Action.BLOCK)
    article = sign_through(filed(world, "中原区政府"), world, 5)
    assert at_stage(article) == "终审"
    with pytest.raises(ValidationError, match="中原区政府"):
        Article.objects.get(pk=article.pk).publish(by=world["chief_editor"])
    assert Article.objects.get(pk=article.pk).status == "review"
    assert chains.last_stage(article).pk not in chains.signed_stage_ids(article)


def test_the_sign_off_record_lists_what_the_check_found_at_each_stage(world, client):
    from newsroom.review.record import record_of

    set_policy("sensitive", stage_key(sanshen("复审")), Action.SIGNOFF)
    article = filed(world, "大师")
    approve(article, world["desk_editor"])
    approve(Article.objects.get(pk=article.pk), world["proofreader"])
    approve(Article.objects.get(pk=article.pk), world["desk_chief"], note="人名，非敏感用法")
    lines = [
        (s.signoff.stage.name, s.extra)
        for s in record_of(Article.objects.get(pk=article.pk)).signatures
    ]
    assert [stage for stage, _extra in lines] == ["初审", "一校", "复审"]
    assert "大师" in lines[0][1][0] and "senior" not in lines[0][1][0]
    assert "大师" in lines[2][1][0]
    assert lines[2][1][0] != lines[0][1][0]  # let through with a note, not warned of
    # On the change form's panel and the printed sheet.
    client.force_login(world["chief_editor"])
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert change.content.decode().count('class="signoff-extra"') == 3
    sheet = client.get(reverse("admin:review_record", args=["articles", "article", article.pk]))
    assert sheet.content.decode().count('class="signoff-extra"') == 3


def test_a_clean_story_is_signed_as_clean(world):
    from newsroom.review.record import record_of

    article = filed(world, "好消息")
    approve(article, world["desk_editor"])
    (signature,) = record_of(Article.objects.get(pk=article.pk)).signatures
    assert len(signature.extra) == 1 and "大师" not in signature.extra[0]


def test_the_policy_form_offers_every_chain_stage(world):
    choices = dict(PolicyForm().fields["stage"].choices)
    assert "approve" in choices
    label = str(choices[stage_key(sanshen("复审"))])
    assert "三审三校" in label and "复审" in label
    form = PolicyForm(
        data={"category": "sensitive", "stage": stage_key(sanshen("终审")), "action": "block"}
    )
    assert form.is_valid(), form.errors


# --- a desk's own entries ---------------------------------------------------------------------


@pytest.fixture
def desk_word(world):
    from tests.wordcheck.conftest import add

    return add("内部代号甲", "banned", word_list=None, desk=world["yaowen"])


def test_a_desks_own_entry_counts_on_that_desks_items_only(world, desk_word):
    from wordcheck import checks

    ours = filed(world, "内部代号甲")
    assert [hit.matched for hit in checks.check_item(ours)] == ["内部代号甲"]
    with pytest.raises(ValidationError) as refused:
        approve(ours, world["desk_editor"], note="同意")
    assert refused.value.code == "wordcheck_blocked"
    theirs = make_article(
        by=world["quyu_reporter"], section=world["quyu_section"], body="<p>内部代号甲</p>"
    )
    assert checks.check_item(theirs) == []
    theirs.publish(by=world["quyu_editor"])  # the other desk's word blocks nothing here
    assert Article.objects.get(pk=theirs.pk).status == "published"


def test_the_live_check_knows_the_desk_from_the_posted_section(world, desk_word, client):
    import json

    client.force_login(world["chief_editor"])
    url = reverse("admin:wordcheck_check", args=["articles", "article"])
    found = {}
    for desk in ("yaowen", "quyu"):
        response = client.post(
            url, {"body": "<p>内部代号甲</p>", "section": world[f"{desk}_section"].pk}
        )
        found[desk] = [h["matched"] for h in json.loads(response.content)["hits"]]
    assert found == {"yaowen": ["内部代号甲"], "quyu": []}


def test_an_exception_cannot_belong_to_one_desk(world):
    from wordcheck.models import Entry, WordList

    entry = Entry(
        word_list=WordList.objects.get_or_create(name="测试词表")[0],
        category="exception",
        term="大师兄弟",
        desk=world["yaowen"],
    )
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "desk" in refused.value.message_dict
