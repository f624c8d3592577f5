"""Every admin registered on the site, third-party ones included, obeys a stated rule.

The audit of issue 9: what public pages show may be changed only under the workflow rules of
the item it belongs to, whichever admin reaches it. The table below states each registered
model's rule; a newly registered admin without a line here fails the first test, and each
line is checked over HTTP for every persona on a sample that public pages show.
"""

from collections.abc import Callable
from typing import NamedTuple

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult, get_date_max
from taggit.models import Tag

from api.models import Token, WebhookDelivery, WebhookSubscription
from articles.models import FrontPageSlot
from newsroom.admin import BULK_ACTIONS
from newsroom.models import Chain, ChainChoice, Desk, DeskMembership
from teamwork.models import Comment, Event, Notification
from tests.articles.admin_children import (
    ROLES,
    alices_article,
    alices_gallery,
    assert_refused,
    form_data,
    login_as,
)
from tests.helpers import make_article, make_event, make_photo, make_print_page, make_section
from wordcheck.models import (
    AuditReport,
    Category,
    CheckResult,
    Entry,
    EntryChange,
    Override,
    Policy,
    WordList,
)

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


def login_attempt(model):
    """A record of django-axes: failed logins (and a lockout) of Alice's account."""
    fields = {"username": "alice", "ip_address": "10.0.0.1", "user_agent": "curl"}
    fields.update(http_accept="*/*", path_info="/admin/login/")
    if model is AccessAttempt:
        fields.update(get_data="", post_data="", failures_since_start=5)
    return lambda people: model.objects.create(**fields)


def editors_phone(people):
    return TOTPDevice.objects.create(user=people["editor"], name="手机")


def task_result(people):
    return DBTaskResult.objects.create(
        task_path="newsroom.tasks.example",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )


def audit_report(people):
    return AuditReport.objects.create(requested_by=people["editor"], csv="type,id\n")


def word_list(people):
    return WordList.objects.get_or_create(name="测试词表")[0]


def banned_entry(people):
    return Entry.objects.create(
        word_list=word_list(people), category=Category.BANNED, term="禁用词甲"
    )


def entry_change(people):
    entry = banned_entry(people)
    return EntryChange.objects.create(
        by=None,
        kind=EntryChange.Kind.ADDED,
        word_list=entry.word_list,
        list_name=entry.word_list.name,
        category=entry.category,
        term=entry.term,
        after=entry.as_row(),
        source="admin",
    )


def submit_policy(people):
    return Policy.objects.get_or_create(
        category=Category.SENSITIVE, stage="submit", defaults={"action": "warn"}
    )[0]


def check_result_of_alices_draft(people):
    article = alices_article(people, "draft")
    hit = {"matched": "禁用词甲", "category": Category.BANNED, "start": 0, "end": 4}
    # Saving the draft checked it already; this is what a hit would have left.
    return CheckResult.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(article),
        object_id=article.pk,
        defaults={"version": "1", "hits": [hit], "hit_count": 1, "categories": Category.BANNED},
    )[0]


def sign_off_on_alices_story(people):
    article = alices_article(people, "published")
    return Override.objects.create(
        content_type=ContentType.objects.get_for_model(article),
        object_id=article.pk,
        stage="publish",
        by=people["editor"],
        note="已核实，可以发布",
        hits=[{"matched": "大师", "category": Category.SENSITIVE}],
    )


def comment_on_bobs_draft(people):
    """Carol is not on Bob's draft: she may not read its discussion (teamwork.access)."""
    draft = make_article(by=people["other_reporter"], headline="尚未完成的调查")
    return Comment.objects.create(item=draft, author=people["other_reporter"], body="请核对数字")


def alices_membership(people):
    return DeskMembership.objects.create(
        desk=Desk.objects.default(), user=people["author"], role="reporter"
    )


def alices_notification(people):
    article = alices_article(people, "published")
    return Notification.objects.create(
        recipient=people["author"],
        event=Event.values[0],
        key=f"test:{article.pk}",
        actor=people["editor"],
        content_type=ContentType.objects.get_for_model(article),
        object_id=article.pk,
        title=article.headline,
    )


def integration_token(people):
    token = Token(user=people["author"], name="微信公众号", scopes=["read_unpublished"])
    token.issue()
    token.save()
    return token


def webhook_subscription(people):
    return WebhookSubscription.objects.create(
        name="合作网站", url="https://partner.example.com/hook", events=["published"]
    )


def webhook_delivery(people):
    return WebhookDelivery.objects.create(
        subscription=webhook_subscription(people), event="published", item="article-1", payload={}
    )


def published_print_page(people):
    return make_print_page(
        zones=[published_article(people)], status="published", editor=people["editor"]
    )


def print_upload(people):
    from articles.models import PrintUpload

    return PrintUpload.objects.create(
        edition_date="2026-03-02", source="print/uploads/x.pdf", created_by=people["editor"]
    )


class Rule(NamedTuple):
    """Who may reach a registered model's sample in its admin."""

    sample: Callable
    # Who may see the sample: open its change page, or find it in the change list.
    viewers: set[str]
    # Who may change it on its change page.
    changers: set[str]
    # Who may open the change list, each finding there only what `viewers` allows
    # (by default, the viewers).
    listers: set[str] | None = None
    # An admin of endpoints only has no change page: its usual address refuses everyone.
    has_change_page: bool = True
    # How the change list links to the sample (by default, its change page).
    link: Callable | None = None


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
    # The 数字报 is the editors': editions (published only through the workflow), pages with
    # their zones, and the uploads (a record of processing, never changed).
    "articles.printedition": (lambda people: published_print_page(people).edition, EDITOR, EDITOR),
    "articles.printpage": (published_print_page, EDITOR, EDITOR),
    "articles.printupload": (print_upload, EDITOR, NOBODY),
    # Lockouts, second factors and the task queue are the administrators' (superusers'): staff
    # with no permission on them get 403 (axes' records are read-only even for superusers).
    "axes.accessattempt": (login_attempt(AccessAttempt), NOBODY, NOBODY),
    "axes.accesslog": (login_attempt(AccessLog), NOBODY, NOBODY),
    "axes.accessfailurelog": (login_attempt(AccessFailureLog), NOBODY, NOBODY),
    "otp_totp.totpdevice": (editors_phone, NOBODY, NOBODY),
    "django_tasks_database.dbtaskresult": (task_result, NOBODY, NOBODY),
    # The word lists are confidential and the administrators' (wordcheck's model permissions,
    # which no newsroom group has); editors read the queue of hits and the sign-offs, which
    # only the workflow writes.
    "wordcheck.wordlist": (word_list, NOBODY, NOBODY),
    # An archive audit made in the background lists the lists' hits: administrators only.
    "wordcheck.auditreport": (audit_report, NOBODY, NOBODY),
    "wordcheck.entry": (banned_entry, NOBODY, NOBODY),
    "wordcheck.entrychange": (entry_change, NOBODY, NOBODY),
    "wordcheck.policy": (submit_policy, NOBODY, NOBODY),
    "wordcheck.checkresult": (check_result_of_alices_draft, EDITOR, NOBODY),
    "wordcheck.override": (sign_off_on_alices_story, EDITOR, NOBODY),
    # Integration tokens: every staff member lists and changes their own, nobody another's
    # (tests/api/test_tokens.py: scopes no more than the user may do). Webhooks are the
    # administrators' (api's model permissions, which no newsroom group has).
    "api.token": Rule(integration_token, {"author"}, {"author"}, listers=NEWSROOM | {"outsider"}),
    "api.webhooksubscription": (webhook_subscription, NOBODY, NOBODY),
    "api.webhookdelivery": (webhook_delivery, NOBODY, NOBODY),
    # Desks and review chains are the site administrators' (their group's model permissions);
    # chief editors read them. Memberships (newsroom.review.memberships_admin): site
    # administrators all, a desk chief their own desk's (tests/newsroom/test_desk_memberships.py);
    # chief editors read them.
    "newsroom.desk": (lambda people: Desk.objects.default(), EDITOR, NOBODY),
    "newsroom.chain": (lambda people: Chain.objects.get(slug="single"), EDITOR, NOBODY),
    "newsroom.chainchoice": (
        lambda people: ChainChoice.objects.get(desk=None, content_type=None),
        EDITOR,
        NOBODY,
    ),
    "newsroom.deskmembership": (alices_membership, EDITOR, NOBODY),
    # Comments are read and written only on their item's change form, by those who may
    # discuss it (teamwork.access.may_discuss): no change list or page for anybody.
    "teamwork.comment": Rule(comment_on_bobs_draft, NOBODY, NOBODY, has_change_page=False),
    # The change list is each person's own inbox; nobody opens or changes anyone else's.
    "teamwork.notification": Rule(
        alices_notification,
        {"author"},
        NOBODY,
        listers=NEWSROOM | {"outsider"},
        has_change_page=False,
        link=lambda notification: notification.open_url,
    ),
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


def admin_url(obj, view: str, *args) -> tuple[str, bool]:
    """The admin's address for `view` of obj's model, and whether the admin has that view
    (if not, the address it would have: a side door must not open there either)."""
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args), True
    except NoReverseMatch:
        path = "/".join([opts.app_label, opts.model_name, *map(str, args), view, ""])
        return reverse("admin:index") + path.replace("/changelist/", "/"), False


def assert_no_way_in(response, role: str, exists: bool) -> None:
    """Refused (403, or the login page); where the admin has no such page, not found will do."""
    if exists or role == "anonymous":
        assert_refused(response, role)
    else:
        assert response.status_code in (403, 404, 405), response.status_code


@pytest.mark.parametrize("label", sorted(RULES))
@pytest.mark.parametrize("role", ROLES)
def test_each_admin_lets_only_its_rules_people_see_and_change(
    client, people, admin_user, label, role
):
    rule = Rule(*RULES[label])
    obj = rule.sample(people)
    page_url, has_page = admin_url(obj, "change", obj.pk)
    assert has_page is rule.has_change_page
    listing_url, has_listing = admin_url(obj, "changelist")
    # What the form posts back unchanged, as a superuser's browser would show it.
    data = form_data(login_as(client, admin_user).get(page_url)) if has_page else {}
    client = login_as(client, people[role])
    listers = rule.viewers if rule.listers is None else rule.listers

    page = client.get(page_url)
    if has_page and role in rule.viewers:
        assert page.status_code == 200
        assert (b'name="_save"' in page.content) is (role in rule.changers)
    else:
        assert_no_way_in(page, role, has_page)

    listing = client.get(listing_url)
    if role in listers:
        assert listing.status_code == 200
        link = (rule.link or (lambda _obj: page_url))(obj)
        assert (link.encode() in listing.content) is (role in rule.viewers), link
    else:
        assert_no_way_in(listing, role, has_listing)

    response = client.post(page_url, data)
    if role in rule.changers:
        assert response.status_code == 302, (
            response.context and response.context["adminform"].form.errors
        )
    else:
        assert_no_way_in(response, role, has_page)


COMMENT_ACTIONS = ["resolve", "reopen", "edit", "delete"]
ITEM_ENDPOINTS = ["post", "mentions", "presence", "takeover", "share"]


@pytest.mark.parametrize("endpoint", COMMENT_ACTIONS + ITEM_ENDPOINTS)
def test_a_correspondent_reaches_no_comment_on_anothers_draft_by_any_endpoint(
    client, people, endpoint
):
    """The comment admin's only doors are its endpoints; each follows the item's discussion."""
    comment = comment_on_bobs_draft(people)
    draft = comment.item
    if endpoint in COMMENT_ACTIONS:
        url = reverse("admin:teamwork_comment_action", args=[comment.pk, endpoint])
    else:
        item_type = ContentType.objects.get_for_model(draft).pk
        url = reverse(f"admin:teamwork_comment_{endpoint}", args=[item_type, draft.pk])
    client = login_as(client, people["bylined_correspondent"])
    if endpoint == "mentions":
        response = client.get(url, {"q": ""})
    else:
        response = client.post(url, {"comment": "我改一下", "note": "我来接手"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.is_resolved, comment.is_deleted) == ("请核对数字", False, False)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("label", sorted(RULES))
def test_every_bulk_action_states_the_permission_it_needs_or_checks_each_item(label):
    """Django offers an action only to whoever has its permissions; a workflow action is
    offered to all who may ever make it, and performs() checks each item."""
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    model_admin = admin.site._registry[model]
    for func, name, _description in model_admin._get_base_actions():
        assert func in BULK_ACTIONS or getattr(func, "allowed_permissions", ()), (label, name)
