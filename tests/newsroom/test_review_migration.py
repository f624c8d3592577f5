"""The migration to desks and chains (issue 12): existing Editors become desk chiefs on the
default desk and stay chief editors, Reporters reporters on it, every item belongs to it, and
items in review wait at the first stage of the site default chain (single editor)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("newsroom", "0005_note_length_limits"), ("articles", "0005_tag_slugs_never_empty")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_editors_reporters_and_items_in_review_move_onto_the_default_desk():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE)
    Group = old.get_model("auth", "Group")
    User = old.get_model("auth", "User")
    Article = old.get_model("articles", "Article")
    editor = User.objects.create(username="old_editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    reporter = User.objects.create(username="old_reporter", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporters"))
    # bulk_create: the old models have none of the methods the post_save receivers call.
    waiting, draft = Article.objects.bulk_create(
        [
            Article(headline="待审稿件", slug="waiting", status="review"),
            Article(headline="草稿", slug="draft", status="draft"),
        ]
    )

    new = migrate(leaves)
    Desk = new.get_model("newsroom", "Desk")
    Membership = new.get_model("newsroom", "DeskMembership")
    Article = new.get_model("articles", "Article")
    desk = Desk.objects.get(is_default=True)
    roles = set(Membership.objects.filter(desk=desk).values_list("user__username", "role"))
    assert {("old_editor", "chief"), ("old_reporter", "reporter")} <= roles
    User = new.get_model("auth", "User")
    assert set(User.objects.get(username="old_editor").groups.values_list("name", flat=True)) >= {
        "Editors",
        "Desk chiefs",
    }
    waiting = Article.objects.get(pk=waiting.pk)
    assert waiting.desk_id == desk.pk
    assert (waiting.review_stage.chain.slug, waiting.review_stage.name) == ("single", "编辑审核")
    draft = Article.objects.get(pk=draft.pk)
    assert (draft.desk_id, draft.review_stage_id) == (desk.pk, None)
    ChainChoice = new.get_model("newsroom", "ChainChoice")
    site_default = ChainChoice.objects.get(desk=None, content_type=None)
    assert site_default.chain.slug == "single"
    assert set(new.get_model("newsroom", "Chain").objects.values_list("slug", flat=True)) == {
        "single",
        "sanshen",
        "copydesk",
    }
