"""The side doors of issue 12's permission matrix, over HTTP: the send-back form's stage choice
(crafted stages refused), a second 三审 signature by one person, bulk actions, the revision
pages, the preview, the autocompletes, the gallery's photos and the print import — each under
the desks' rules. The world (two desks on 三审三校): tests/newsroom/desk_world.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article, Photo
from newsroom.models import Stage, Transition
from tests.helpers import SAMPLE_PAGE, article_form_data, make_member, make_photo
from tests.newsroom.desk_world import (
    admin_url,
    build_world,
    buttons,
    login_as,
    make_item,
    module_transaction,
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build_world()


@pytest.fixture(autouse=True)
def in_english(settings, db):
    settings.LANGUAGE_CODE = "en"


def fresh(world, kind, state):
    obj = world["items"][kind][state]
    return type(obj)._base_manager.get(pk=obj.pk)


def post_transition(client, obj, name, **data):
    return client.post(
        admin_url(obj, "transition", name), {"edit_version": obj.edit_version, **data}
    )


# --- sending back to an earlier stage ---------------------------------------------------
def test_the_send_back_form_offers_the_author_and_each_earlier_stage(client, world):
    obj = fresh(world, "article", "复审")
    page = login_as(client, world["people"]["desk_chief"]).get(admin_url(obj)).content.decode()
    options = page.split('name="to_stage"')[1].split("</select>")[0]
    assert "the author (back to draft)" in options
    assert "初审" in options and "一校" in options
    assert "复审" not in options and "终审" not in options


def test_the_desk_chief_sends_a_story_back_to_the_first_review_with_a_note(client, world):
    obj = fresh(world, "article", "复审")
    first = Stage.objects.get(chain__slug="sanshen", name="初审")
    client = login_as(client, world["people"]["desk_chief"])

    response = post_transition(client, obj, "send_back", to_stage=first.pk, note="导语再改改")

    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.status, obj.review_stage_id) == ("review", first.pk)
    logged = obj.transitions.order_by("pk").last()
    assert (logged.name, logged.to_stage_id, logged.note) == ("send_back", first.pk, "导语再改改")


@pytest.mark.parametrize("target", ["复审", "终审", "other_chain", "garbage"])
def test_a_crafted_send_back_stage_is_refused_and_changes_nothing(client, world, target):
    obj = fresh(world, "article", "复审")
    if target == "other_chain":
        to_stage = Stage.objects.exclude(chain__slug="sanshen").first().pk
    elif target == "garbage":
        to_stage = "1 OR 1=1"
    else:
        to_stage = Stage.objects.get(chain__slug="sanshen", name=target).pk
    logged = Transition.objects.count()
    client = login_as(client, world["people"]["desk_chief"])

    response = post_transition(client, obj, "send_back", to_stage=to_stage, note="试试")

    assert response.status_code == 403
    after = type(obj)._base_manager.get(pk=obj.pk)
    assert (after.status, after.review_stage_id) == (obj.status, obj.review_stage_id)
    assert Transition.objects.count() == logged


def test_a_desk_editor_cannot_approve_another_desks_story_or_skip_a_stage(client, world):
    theirs = make_item("article", "初审", world["people"], world["signers"], world["sections"]["B"])
    client = login_as(client, world["people"]["desk_editor"])
    assert post_transition(client, theirs, "approve").status_code == 404  # not theirs to read
    ours = fresh(world, "article", "一校")  # a proofreader's stage
    assert post_transition(client, ours, "approve").status_code == 403
    assert post_transition(client, ours, "publish").status_code == 403


def test_one_person_cannot_sign_two_sanshen_stages(client, world):
    """Erin holds the editor's and the chief's role on desk A: she signs 初审, and then may not
    sign 复审 of the same story (distinct signers)."""
    both = make_member("duo", world["desks"]["A"], "editor")
    make_member("duo", world["desks"]["A"], "chief")
    signers = {**world["signers"], "editor": both}
    obj = make_item("article", "复审", world["people"], signers, world["sections"]["A"])
    client = login_as(client, both)
    assert "approve" not in buttons(client.get(admin_url(obj)))
    assert post_transition(client, obj, "approve").status_code == 403
    assert fresh_stage(obj) == "复审"


def fresh_stage(obj):
    return type(obj)._base_manager.get(pk=obj.pk).review_stage.name


# --- bulk actions ---------------------------------------------------------------------
def test_a_bulk_approval_signs_only_what_the_user_may_sign(client, world):
    ours = fresh(world, "article", "初审")
    proof = fresh(world, "article", "一校")
    theirs = make_item("article", "初审", world["people"], world["signers"], world["sections"]["B"])
    client = login_as(client, world["people"]["desk_editor"])

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_approve", "_selected_action": [ours.pk, proof.pk, theirs.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert fresh_stage(ours) == "一校"  # signed
    assert fresh_stage(proof) == "一校"  # a proofreader's stage: refused
    assert fresh_stage(theirs) == "初审"  # another desk's: not even in the list
    text = " ".join(str(m) for m in response.context["messages"])
    assert proof.headline in text and theirs.headline not in text


def test_a_correspondents_crafted_bulk_post_reaches_nobody_elses_draft(client, world):
    draft = fresh(world, "article", "draft")
    client = login_as(client, world["people"]["correspondent"])
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert draft.headline not in page
    assert 'value="bulk_approve"' not in page and 'value="bulk_publish"' not in page
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_submit", "_selected_action": [draft.pk]},
    )
    assert type(draft)._base_manager.get(pk=draft.pk).status == "draft"


# --- revisions, compare, preview, history -----------------------------------------------
@pytest.mark.parametrize("view", ["history", "preview"])
def test_an_unreadable_items_pages_are_not_found(client, world, view):
    draft = fresh(world, "article", "draft")
    client = login_as(client, world["people"]["other_desk_editor"])
    assert client.get(admin_url(draft, view)).status_code == 404
    assert client.get(admin_url(draft, view)).status_code == 404


def test_revision_restore_follows_the_stage(client, world):
    """A proofreader at 一校 may restore a revision; the desk editor (not this stage's signer)
    may look at the history but not restore; another desk finds nothing."""
    from reversion.models import Version

    obj = fresh(world, "article", "一校")
    chief_editor = login_as(client, world["people"]["chief_editor"])
    saved = chief_editor.post(admin_url(obj), article_form_data(obj, headline="第二版标题"))
    assert saved.status_code == 302
    version = Version.objects.get_for_object(obj).last()
    url = reverse("admin:articles_article_revision", args=[obj.pk, version.pk])
    assert login_as(client, world["people"]["proofreader"]).get(url).status_code == 200
    assert login_as(client, world["people"]["desk_editor"]).get(url).status_code == 403
    assert login_as(client, world["people"]["other_desk_editor"]).get(url).status_code == 404


# --- autocompletes ----------------------------------------------------------------------
def autocomplete(client, field, model="article", term=""):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model, "field_name": field, "term": term},
    )


@pytest.mark.parametrize(("field", "kind"), [("galleries", "gallery"), ("events", "event")])
def test_the_autocompletes_list_no_item_the_user_may_not_read(client, world, field, kind):
    client = login_as(client, world["people"]["correspondent"])
    found = {int(r["id"]) for r in autocomplete(client, field).json()["results"]}
    published = fresh(world, kind, "published") if "published" in world["items"][kind] else None
    assert fresh(world, kind, "draft").pk not in found
    if published is not None:
        assert published.pk in found


def test_a_photo_of_an_unreadable_gallery_is_not_found_listed_or_offered(client, world):
    gallery = fresh(world, "gallery", "draft")
    photo = make_photo(gallery=gallery, caption="未公开的图片")
    client = login_as(client, world["people"]["other_desk_editor"])
    assert client.get(reverse("admin:articles_photo_change", args=[photo.pk])).status_code == 404
    assert "未公开的图片" not in client.get(reverse("admin:articles_photo_changelist")).text
    found = {int(r["id"]) for r in autocomplete(client, "lead_photo").json()["results"]}
    assert photo.pk not in found
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_linking_an_unreadable_gallery_by_a_crafted_post_is_refused(client, world):
    from tests.helpers import make_article

    author = world["people"]["author"]
    theirs = make_item(
        "gallery", "draft", world["people"], world["signers"], world["sections"]["B"]
    )
    mine = make_article(by=world["people"]["correspondent"], headline="通讯员来稿")
    client = login_as(client, world["people"]["correspondent"])
    response = client.post(admin_url(mine), article_form_data(mine, galleries=[theirs.pk]))
    assert response.status_code == 200  # the form, with its error
    assert "Select a valid choice" in response.content.decode()
    assert not mine.galleries.exists()
    assert author is not None


# --- the print import -------------------------------------------------------------------
IMPORT = reverse("admin:articles_article_import_print")


def test_a_desk_editor_imports_onto_their_own_desk_only(client, world):
    client = login_as(client, world["people"]["desk_editor"])
    page = client.get(IMPORT).content.decode()
    assert "要闻" in page and "区域" not in page.split('name="section"')[1].split("</select>")[0]
    text = SAMPLE_PAGE.read_text(encoding="utf-8")

    count = Article.objects.count()
    refused = client.post(IMPORT, {"text": text, "section": world["sections"]["B"].pk})
    assert refused.status_code == 400
    assert "You may import only into a section of your own desk" in refused.content.decode() or (
        "Select a valid choice" in refused.content.decode()
    )
    assert Article.objects.count() == count

    preview = client.post(IMPORT, {"text": text, "section": world["sections"]["A"].pk})
    assert preview.status_code == 200
    before = Article.objects.count()
    done = client.post(IMPORT, {"payload": preview.context["payload"], "_confirm": "1"})
    assert done.status_code == 302
    imported = Article.objects.order_by("-pk")[: Article.objects.count() - before]
    assert imported and all(a.desk_id == world["desks"]["A"].pk for a in imported)
    assert all(a.review_stage.name == "初审" for a in imported)


@pytest.mark.parametrize("role", ["author", "proofreader", "correspondent"])
def test_who_files_or_proofreads_may_not_import(client, world, role):
    assert login_as(client, world["people"][role]).get(IMPORT).status_code == 403


# --- inlines: a gallery's photos ----------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "expected"), [("chief_editor", 302), ("desk_editor", 403), ("other_desk_editor", 404)]
)
def test_a_gallerys_photo_inline_saves_only_for_who_may_edit_it_at_its_stage(
    client, world, role, expected
):
    from tests.articles.admin_children import form_data

    gallery = fresh(world, "gallery", "一校")  # a proofreader's stage: the desk editor reads
    photo = make_photo(gallery=gallery, caption="旧图说")
    data = form_data(login_as(client, world["people"]["chief_editor"]).get(admin_url(gallery)))
    (key,) = [k for k, v in data.items() if k.endswith("-caption") and v == "旧图说"]
    data[key] = "新图说"

    response = login_as(client, world["people"][role]).post(admin_url(gallery), data)

    assert response.status_code == expected
    caption = Photo.objects.get(pk=photo.pk).caption
    assert caption == ("新图说" if expected == 302 else "旧图说")
