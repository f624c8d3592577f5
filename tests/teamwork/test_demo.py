"""The demo newsroom (`load_demo`, which `make run` loads) has a discussion and unread
notifications, so that a newcomer's bell is not empty."""

from django.contrib.auth.models import User
from django.core.management import call_command

from teamwork.models import Comment, Notification


def test_the_demo_has_comments_and_the_newcomers_bells_are_not_empty(db, client):
    for _ in range(2):  # the second run adds nothing
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Comment.objects.count() == 3
    assert Comment.objects.filter(parent__isnull=False).count() == 1  # a reply in a thread
    for username in ("reporter", "editor"):
        user = User.objects.get(username=username)
        unread = Notification.objects.filter(recipient=user).unread().count()
        assert unread >= 1
        client.force_login(user)
        page = client.get("/admin/").content.decode()
        assert f">{unread}</span>" in page  # the bell's count
