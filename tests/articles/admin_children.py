"""What the tests of the admin's side doors share: the personas' expected rights, content by
Alice (with Carol on the byline) in each workflow state, and forms posted as a browser would."""

from __future__ import annotations

import datetime

from django.core.files import File
from django.urls import reverse
from django.utils import timezone

from articles.models import GalleryByline
from people.models import Role
from tests.helpers import make_article, make_gallery, posted_form_data, put_in_state

ROLES = ["author", "bylined_correspondent", "other_reporter", "editor", "outsider", "anonymous"]


def may_edit(role: str, state: str) -> bool:
    """The workflow's rule (newsroom.workflow.can_edit) for Alice's item in `state`."""
    return role == "editor" or (state == "draft" and role in ("author", "bylined_correspondent"))


def may_view(role: str, state: str = "published") -> bool:
    """Everyone in the newsroom reads what is submitted in the admin; Bob (another reporter of
    the desk) never reads Alice's draft or spiked item (newsroom.review.rules.may_view)."""
    if role == "other_reporter" and state in ("draft", "spiked"):
        return False
    return role not in ("outsider", "anonymous")


def login_as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def assert_refused(response, role: str, state: str = "published") -> None:
    """Anonymous users are sent to the login page; an item the user may not read is not found
    (404, as a wrong id); everyone else gets 403."""
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif role == "other_reporter" and not may_view(role, state):
        assert response.status_code == 404, response.status_code
    else:
        assert response.status_code == 403, response.status_code


def alices_article(people, state: str, **fields):
    author = people["author"]
    article = make_article(
        by=author,
        bylines=[
            (author.person, Role.REPORTER),
            (people["bylined_correspondent"].person, Role.CORRESPONDENT),
        ],
        **fields,
    )
    return put_in_state(article, state, people["editor"])


def alices_gallery(people, state: str, **fields):
    author = people["author"]
    gallery = make_gallery(by=author, **fields)
    GalleryByline.objects.create(gallery=gallery, person=author.person, role=Role.PHOTOGRAPHER)
    GalleryByline.objects.create(
        gallery=gallery,
        person=people["bylined_correspondent"].person,
        role=Role.CORRESPONDENT,
        order=1,
    )
    return put_in_state(gallery, state, people["editor"])


def form_data(response) -> dict:
    """What a browser posts back from the form `response` shows: a file input left alone
    posts nothing, and a date-and-time is the admin's two inputs."""
    data = {}
    for key, value in posted_form_data(response).items():
        if isinstance(value, File):
            continue
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value)
            data[f"{key}_0"] = local.date().isoformat()
            data[f"{key}_1"] = local.strftime("%H:%M:%S")
            continue
        data[key] = value
    return data


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])
