"""Every admin registered on the site, third-party ones included, obeys a stated rule.

The audit of issue 9: what public pages show may be changed only under the workflow rules of
the item it belongs to, whichever admin reaches it. The table below states each registered
model's rule; a newly registered admin without a line here fails the first test, and each
line is checked over HTTP for every persona on a sample that public pages show.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from taggit.models import Tag

from articles.models import FrontPageSlot
from newsroom.admin import BULK_ACTIONS
from tests.articles.admin_children import (
    ROLES,
    alices_article,
    alices_gallery,
    assert_refused,
    form_data,
    login_as,
)
from tests.helpers import make_event, make_photo, make_section

NEWSROOM = {"author", "bylined_correspondent", "other_reporter", "editor"}
EDITOR = {"editor"}
NOBODY = set()


def published_article(people):
    return alices_article(people, "published")


def published_event(people):
    event = make_event(by=people["author"])
    event.publish(by=people["editor"])
    return event


def photo_of_published_gallery(people):
    return make_photo(gallery=alices_gallery(people, "published"), caption="开幕式")


def tag_on_published_story(people):
    alices_article(people, "published").tags.add("政协")
    return Tag.objects.get(name="政协")


def front_page_slot(people):
    return FrontPageSlot.objects.create(article=alices_article(people, "published"))


# model label -> (a sample shown on public pages (or the account itself), who may see its
# admin page, who may change it). The workflow items are published, so only an editor may
# change them: tests/articles/test_admin_permissions.py and the child tests cover each state.
RULES = {
    # Accounts and groups are the administrators' (superusers'), not the newsroom's.
    "auth.user": (lambda people: people["other_reporter"], NOBODY, NOBODY),
    "auth.group": (lambda people: Group.objects.get(name="Reporters"), NOBODY, NOBODY),
    # The vocabulary is the editors'; reporters tag in the story form.
    "taggit.tag": (tag_on_published_story, NEWSROOM, EDITOR),
    # Reporters add correspondents from a byline's "+"; changing a person is an editor's.
    "people.person": (lambda people: people["author"].person, NEWSROOM, EDITOR),
    "articles.section": (lambda people: make_section("要闻"), NEWSROOM, EDITOR),
    "articles.article": (published_article, NEWSROOM, EDITOR),
    "articles.event": (published_event, NEWSROOM, EDITOR),
    "articles.gallery": (lambda people: alices_gallery(people, "published"), NEWSROOM, EDITOR),
    # A photo obeys the items that show it (tests/articles/test_photo_admin_permissions.py).
    "articles.photo": (photo_of_published_gallery, NEWSROOM, EDITOR),
    "articles.frontpageslot": (front_page_slot, EDITOR, EDITOR),
}


def registered_labels():
    return {model._meta.label_lower for model in admin.site._registry}


def test_every_registered_admin_has_a_rule_here():
    missing = registered_labels() - set(RULES)
    assert not missing, (
        f"New admins without a stated rule: {sorted(missing)}. Say here who may see and change "
        "them; if public pages show what they edit, make them obey the workflow of its item."
    )
    assert set(RULES) <= registered_labels(), "a rule for an admin no longer registered"


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("label", sorted(RULES))
@pytest.mark.parametrize("role", ROLES)
def test_each_admin_lets_only_its_rules_people_see_and_change(
    client, people, admin_user, label, role
):
    make_sample, viewers, changers = RULES[label]
    obj = make_sample(people)
    # What the form posts back unchanged, as a superuser's browser would show it.
    data = form_data(login_as(client, admin_user).get(change_url(obj)))
    changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    client = login_as(client, people[role])

    page = client.get(change_url(obj))
    listing = client.get(changelist)
    if role not in viewers:
        assert_refused(page, role)
        assert_refused(listing, role)
    else:
        assert page.status_code == listing.status_code == 200
        assert (b'name="_save"' in page.content) is (role in changers)

    response = client.post(change_url(obj), data)
    if role in changers:
        assert response.status_code == 302, (
            response.context and response.context["adminform"].form.errors
        )
    else:
        assert_refused(response, role)


@pytest.mark.parametrize("label", sorted(RULES))
def test_every_bulk_action_states_the_permission_it_needs_or_checks_each_item(label):
    """Django offers an action only to whoever has its permissions; a workflow action is
    offered to all who may ever make it, and performs() checks each item."""
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    model_admin = admin.site._registry[model]
    for func, name, _description in model_admin._get_base_actions():
        assert func in BULK_ACTIONS or getattr(func, "allowed_permissions", ()), (label, name)
