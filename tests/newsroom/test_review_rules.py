"""Who sees and edits what under desks and chains (newsroom.review.rules), and the chain admin.

Reading rights of unpublished work: chief editors everything; editors, chiefs and proofreaders
their desks' items; reporters and photographers their own work and their desks' submitted
items, never another's draft; correspondents only their own work; everyone what is published."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Article
from newsroom import workflow
from newsroom.models import Chain, ChainChoice, Desk, DeskMembership, Signoff, Stage
from newsroom.review import chains, rules
from newsroom.review.presets import SANSHEN
from newsroom.roles import Role
from tests.helpers import make_article, make_section, make_user


def member(username, desk, *roles):
    user = make_user(username, None)
    for role in roles:
        DeskMembership.objects.create(desk=desk, user=user, role=role)
    return User.objects.get(pk=user.pk)  # fresh: nothing cached


@pytest.fixture
def newsroom(db):
    desk = Desk.objects.create(name="要闻部", slug="yaowen")
    ChainChoice.objects.create(desk=desk, chain=Chain.objects.get(slug=SANSHEN))
    other = Desk.objects.create(name="体育部", slug="sport")
    people = {
        "author": member("author", desk, Role.REPORTER),
        "colleague": member("colleague", desk, Role.REPORTER),
        "correspondent": member("corr", desk, Role.CORRESPONDENT),
        "editor": member("ed", desk, Role.EDITOR),
        "chief": member("chief", desk, Role.CHIEF),
        "proof": member("proof", desk, Role.PROOFREADER),
        "other_editor": member("other", other, Role.EDITOR),
        "chief_editor": make_user("boss", "Editors"),
    }
    section = make_section("要闻", desk=desk)
    draft = make_article(by=people["author"], section=section, headline="草稿")
    submitted = make_article(by=people["author"], section=section, headline="送审")
    submitted.submit_for_review(by=people["author"])
    public = make_article(by=people["author"], section=section, headline="已发")
    # Published before chains existed, as old data is.
    Article.objects.filter(pk=public.pk).update(status="published")
    corr_draft = make_article(by=people["correspondent"], section=section, headline="通讯员稿")
    return people, {"draft": draft, "submitted": submitted, "public": public, "corr": corr_draft}


SEES = {
    "author": {"draft", "submitted", "public"},
    "colleague": {"submitted", "public"},
    "correspondent": {"corr", "public"},
    "editor": {"draft", "submitted", "public", "corr"},
    "chief": {"draft", "submitted", "public", "corr"},
    "proof": {"draft", "submitted", "public", "corr"},
    "other_editor": {"public"},
    "chief_editor": {"draft", "submitted", "public", "corr"},
}


@pytest.mark.parametrize("who", list(SEES))
def test_reading_rights_by_role_and_desk(newsroom, who):
    people, items = newsroom
    user = people[who]
    ids = {pk: name for name, pk in ((n, i.pk) for n, i in items.items())}
    listed = {ids[pk] for pk in Article.objects.visible_to(user).values_list("pk", flat=True)}
    assert listed == SEES[who]
    for name, item in items.items():
        assert rules.may_view(Article.objects.get(pk=item.pk), user) is (name in SEES[who])


def test_desk_roles_is_one_query_cached_on_the_user(newsroom, django_assert_num_queries):
    people, _items = newsroom
    user = User.objects.get(pk=people["editor"].pk)
    with django_assert_num_queries(1):
        rules.desk_roles(user)
        rules.desk_roles(user)
        rules.has_desk_role(user, 1, Role.EDITOR)


def test_who_edits_at_each_stage(newsroom):
    people, items = newsroom
    article = Article.objects.get(pk=items["submitted"].pk)

    def editors(obj):
        return {who for who, user in people.items() if workflow.can_edit(obj, user)}

    # 初审: its signer (the desk editor), the desk chief, chief editors; not the author any more.
    assert editors(article) == {"editor", "chief", "chief_editor"}
    workflow.perform(article, "approve", by=people["editor"])
    article = Article.objects.get(pk=article.pk)
    # 一校: the proofreader.
    assert editors(article) == {"proof", "chief", "chief_editor"}
    draft = Article.objects.get(pk=items["draft"].pk)
    assert editors(draft) == {"author", "editor", "chief", "chief_editor"}


def test_a_story_moved_to_another_desk_enters_that_desks_chain(newsroom):
    people, _items = newsroom
    article = make_article(by=people["author"], section=make_section("社区"))
    assert chains.chain_for(article).slug == "single"
    article.section = Section_of("要闻")
    article.save()
    article.submit_for_review(by=people["author"])
    assert Article.objects.get(pk=article.pk).review_stage.name == "初审"


def Section_of(name):
    from articles.models import Section

    return Section.objects.get(name=name)


def test_awaiting_signature_and_signers_follow_the_stage(newsroom):
    people, items = newsroom
    waiting = Article.objects.awaiting_signature
    assert list(waiting(people["editor"])) == [items["submitted"]]
    assert not waiting(people["proof"]).exists()
    assert not waiting(people["other_editor"]).exists()
    signers = set(rules.signers_of(Article.objects.get(pk=items["submitted"].pk)))
    assert {people["editor"], people["chief"], people["chief_editor"]} <= signers
    assert people["proof"] not in signers and people["other_editor"] not in signers


def stage_rows(stages, total=None, initial=0):
    data = {
        "stages-TOTAL_FORMS": str(total if total is not None else len(stages)),
        "stages-INITIAL_FORMS": str(initial),
        "stages-MIN_NUM_FORMS": "1",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(stages):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"stages-{i}-{key}"] = value
    return data


def test_an_administrator_builds_a_chain_in_the_admin(client, db):
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    data = {
        "name": "两审",
        "slug": "two",
        "description": "",
        **stage_rows(
            [
                {
                    "order": 1,
                    "name": "一审",
                    "signer": "editor",
                    "kind": "review",
                    "may_edit": True,
                },
                {"order": 2, "name": "二审", "signer": "chief_editor", "kind": "review"},
            ]
        ),
    }
    response = client.post(reverse("admin:newsroom_chain_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    chain = Chain.objects.get(slug="two")
    assert [(s.name, s.signer) for s in chain.stages.order_by("order")] == [
        ("一审", "editor"),
        ("二审", "chief_editor"),
    ]


def test_a_signed_stage_cannot_be_deleted_from_its_chain(client, newsroom):
    people, items = newsroom
    workflow.perform(Article.objects.get(pk=items["submitted"].pk), "approve", by=people["editor"])
    chain = Chain.objects.get(slug=SANSHEN)
    stages = list(chain.stages.order_by("order"))
    rows = [
        {
            "id": s.pk,
            "chain": chain.pk,
            "order": s.order,
            "name": s.name,
            "signer": s.signer,
            "kind": s.kind,
            "may_edit": s.may_edit,
            "distinct_signer": s.distinct_signer,
            "reapprove_on_edit": s.reapprove_on_edit,
        }
        for s in stages
    ]
    rows[0]["DELETE"] = "on"
    client.force_login(User.objects.create_superuser("root", password="x"))
    response = client.post(
        reverse("admin:newsroom_chain_change", args=[chain.pk]),
        {"name": chain.name, "slug": chain.slug, **stage_rows(rows, initial=len(rows))},
    )
    assert response.status_code == 200
    errors = [
        str(e)
        for formset in response.context["inline_admin_formsets"]
        for e in formset.formset.non_form_errors()
    ]
    # Django refuses it (a sign-off protects its stage) and names the stage.
    assert any("初审" in e for e in errors), errors
    assert Stage.objects.filter(pk=stages[0].pk).exists()
    assert Signoff.objects.filter(stage=stages[0]).count() == 1


def test_a_role_group_follows_the_memberships_however_they_are_deleted(db):
    first = Desk.objects.create(name="甲部", slug="a")
    second = Desk.objects.create(name="乙部", slug="b")
    user = member("both", first, Role.PROOFREADER)
    DeskMembership.objects.create(desk=second, user=user, role=Role.PROOFREADER)
    in_group = lambda: user.groups.filter(name="Proofreaders").exists()  # noqa: E731
    assert in_group()
    first.delete()  # a cascade: the role is still held on the other desk
    assert in_group()
    DeskMembership.objects.filter(user=user).delete()  # in bulk: the last one
    assert not in_group()


def test_the_queue_leaves_out_a_stage_its_reader_may_not_sign_for_having_signed_another(
    newsroom,
):
    people, items = newsroom
    boss = people["chief_editor"]
    article = Article.objects.get(pk=items["submitted"].pk)
    for who in ("chief_editor", "proof", "chief", "proof", "proof"):
        workflow.perform(Article.objects.get(pk=article.pk), "approve", by=people[who])
    assert Article.objects.get(pk=article.pk).review_stage.name == "终审"
    assert not Article.objects.awaiting_signature(boss).filter(pk=article.pk).exists()
    other_boss = make_user("boss2", "Editors")
    assert Article.objects.awaiting_signature(other_boss).filter(pk=article.pk).exists()
