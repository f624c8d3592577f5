"""Who manages desk memberships in the admin, over HTTP: site administrators every desk's; a
desk chief their own desk's only, never the chief role and never another desk, crafted posts
included; chief editors read them; the role's group follows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from newsroom.models import DeskMembership
from tests.helpers import make_desk, make_member, make_user

LIST = reverse("admin:newsroom_deskmembership_changelist")
ADD = reverse("admin:newsroom_deskmembership_add")


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def desks(db):
    return {"A": make_desk("要闻部", "yaowen-desk"), "B": make_desk("区域新闻部", "quyu-desk")}


@pytest.fixture
def staff(desks):
    return {
        "admin": make_member("sam", None, "admin"),
        "chief_a": make_member("chen", desks["A"], "chief"),
        "chief_b": make_member("bella", desks["B"], "chief"),
        "editor_a": make_member("erin", desks["A"], "editor"),
        "chief_editor": make_member("zed", None, "chief_editor"),
        "newcomer": make_user("nina", None),
    }


def change_url(membership):
    return reverse("admin:newsroom_deskmembership_change", args=[membership.pk])


def add(client, user, desk, member, role):
    client.force_login(user)
    return client.post(ADD, {"desk": desk.pk, "user": member.pk, "role": role})


def test_a_desk_chief_adds_a_reporter_to_their_own_desk_and_the_group_follows(client, desks, staff):
    response = add(client, staff["chief_a"], desks["A"], staff["newcomer"], "reporter")
    assert response.status_code == 302
    assert DeskMembership.objects.filter(desk=desks["A"], user=staff["newcomer"]).exists()
    assert staff["newcomer"].groups.filter(name="Reporters").exists()


@pytest.mark.parametrize(
    ("desk", "role", "message"),
    [
        ("B", "reporter", "Select a valid choice"),  # another desk: not even offered
        ("A", "chief", "Only a site administrator appoints or removes a desk chief."),
        ("A", "chief_editor", "Select a valid choice"),  # site-wide roles are not memberships
    ],
)
def test_a_desk_chief_cannot_grant_beyond_their_desk(client, desks, staff, desk, role, message):
    response = add(client, staff["chief_a"], desks[desk], staff["newcomer"], role)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DeskMembership.objects.filter(user=staff["newcomer"]).exists()
    assert not staff["newcomer"].groups.exists()


def test_a_desk_chief_sees_and_changes_only_their_own_desks_members(client, desks, staff):
    theirs = DeskMembership.objects.get(user=staff["chief_b"])
    editor_a = DeskMembership.objects.get(user=staff["editor_a"])
    client.force_login(staff["chief_a"])

    listing = client.get(LIST).content.decode()
    assert change_url(editor_a) in listing and change_url(theirs) not in listing
    assert client.get(change_url(theirs)).status_code == 404
    response = client.post(change_url(theirs), {"desk": desks["B"].pk, "user": staff["chief_b"].pk,
                                                "role": "reporter"})  # fmt: skip
    assert response.status_code == 404
    delete = reverse("admin:newsroom_deskmembership_delete", args=[theirs.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    assert DeskMembership.objects.filter(pk=theirs.pk, role="chief").exists()


def test_a_desk_chief_cannot_remove_or_demote_a_chief_of_their_desk(client, desks, staff):
    other_chief = make_member("chu", desks["A"], "chief")
    row = DeskMembership.objects.get(user=other_chief)
    client.force_login(staff["chief_a"])

    demote = client.post(change_url(row), {"desk": desks["A"].pk, "user": other_chief.pk,
                                           "role": "reporter"})  # fmt: skip
    assert demote.status_code == 403
    delete = reverse("admin:newsroom_deskmembership_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(LIST, {"action": "delete_selected", "_selected_action": [row.pk],
                              "post": "yes"})  # fmt: skip
    assert bulk.status_code in (200, 302, 403)
    assert DeskMembership.objects.filter(pk=row.pk, role="chief").exists()


def test_removing_a_members_last_role_takes_them_out_of_its_group(client, desks, staff):
    row = DeskMembership.objects.get(user=staff["editor_a"])
    client.force_login(staff["chief_a"])
    delete = reverse("admin:newsroom_deskmembership_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not staff["editor_a"].groups.filter(name="Desk editors").exists()


def test_a_site_administrator_manages_every_desk_and_appoints_chiefs(client, desks, staff):
    assert add(client, staff["admin"], desks["B"], staff["newcomer"], "chief").status_code == 302
    assert staff["newcomer"].groups.filter(name="Desk chiefs").exists()
    row = DeskMembership.objects.get(user=staff["chief_b"])
    response = client.post(
        change_url(row), {"desk": desks["B"].pk, "user": staff["chief_b"].pk, "role": "editor"}
    )
    assert response.status_code == 302
    # Changing the role moved the group too: no chief role left, no chiefs' group.
    assert not staff["chief_b"].groups.filter(name="Desk chiefs").exists()
    assert staff["chief_b"].groups.filter(name="Desk editors").exists()


@pytest.mark.parametrize("who", ["chief_editor", "editor_a", "newcomer"])
def test_others_read_at_most_and_change_nothing(client, desks, staff, who):
    client.force_login(staff[who])
    listing = client.get(LIST)
    assert listing.status_code == (200 if who == "chief_editor" else 403)
    response = add(client, staff[who], desks["A"], staff["newcomer"], "reporter")
    assert response.status_code == 403
    assert not DeskMembership.objects.filter(user=staff["newcomer"]).exists()


def test_a_site_administrator_sees_a_desks_members_in_its_form(client, desks, staff):
    client.force_login(staff["admin"])
    page = client.get(reverse("admin:newsroom_desk_change", args=[desks["A"].pk]))
    assert page.status_code == 200
    members = page.content.decode()
    # The inline's rows: desk A's chief and editor, not desk B's chief.
    assert "selected>chen</option>" in members and "selected>erin</option>" in members
    assert "selected>bella</option>" not in members
    assert Group.objects.filter(name="Desk chiefs").exists()
