"""The archive audit: the command and the admin action list the hits of published items."""

import csv
import io

from django.core.management import call_command
from django.urls import reverse

from newsroom import workflow
from tests.helpers import make_article
from tests.wordcheck.conftest import add
from wordcheck.models import Category


def published(reporter, editor, **fields):
    article = make_article(by=reporter, **fields)
    return workflow.perform(article, "publish", by=editor, note="已核实")


def test_the_audit_command_lists_hits_of_published_items_only(lists, reporter, editor, tmp_path):
    old = published(reporter, editor, headline="旧闻", body="<p>大家再接再励。</p>")
    make_article(by=reporter, headline="草稿里再接再励")  # a draft: not audited
    output = tmp_path / "audit.csv"
    call_command("wordcheck_audit", output=str(output))
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert [(r["id"], r["field"], r["matched"], r["suggestion"]) for r in rows] == [
        (str(old.pk), "body", "再接再励", "再接再厉")
    ]
    assert old.body[int(rows[0]["start"]) : int(rows[0]["end"])] == "再接再励"


def test_a_new_entry_is_checked_against_the_archive(lists, reporter, editor, tmp_path, capsys):
    published(reporter, editor, headline="去年的新提法报道")
    entry = add("新提法", Category.SENSITIVE)
    call_command("wordcheck_audit", entry=[entry.pk], since="2000-01-01")
    out = capsys.readouterr().out
    assert "新提法" in out and "再接再励" not in out
    call_command("wordcheck_audit", entry=[entry.pk], until="2000-01-01")
    assert "新提法" not in capsys.readouterr().out


def test_the_admin_action_audits_the_selected_entries(client, lists, reporter, editor, db):
    from django.contrib.auth.models import User

    root = User.objects.create_superuser("root", password="x")
    published(reporter, editor, headline="大师来了", body="<p>再接再励</p>")
    client.force_login(root)
    response = client.post(
        reverse("admin:wordcheck_entry_changelist"),
        {"action": "audit_archive", "_selected_action": [lists["sensitive"].pk]},
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["field"], r["matched"]) for r in rows] == [("headline", "大师")]


def test_an_audit_of_a_big_archive_is_made_in_the_background_and_downloaded_later(
    client, lists, reporter, editor, db, settings, committed
):
    from django.contrib.auth.models import User
    from django.contrib.messages import get_messages

    from wordcheck.models import AuditReport

    settings.WORDCHECK_AUDIT_AT_ONCE_MAX_ITEMS = 1
    published(reporter, editor, headline="大师来了", body="<p>再接再励</p>")
    published(reporter, editor, headline="第二篇")
    root = User.objects.create_superuser("root", password="x")
    client.force_login(root)
    with committed():
        response = client.post(
            reverse("admin:wordcheck_entry_changelist"),
            {"action": "audit_archive", "_selected_action": [lists["sensitive"].pk]},
        )
    # Not streamed while the browser waits: the admin says it is under way.
    assert response.status_code == 302
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "being made in the background" in said or "后台" in said
    report = AuditReport.objects.get()
    assert report.items == 2 and report.requested_by == root
    assert report.status == AuditReport.Status.DONE  # the task ran on commit (immediate backend)
    listing = client.get(reverse("admin:wordcheck_auditreport_changelist")).content.decode()
    csv_url = reverse("admin:wordcheck_auditreport_csv", args=[report.pk])
    assert csv_url in listing
    download = client.get(csv_url)
    assert download["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [(r["field"], r["matched"]) for r in rows] == [("headline", "大师")]
    # The hits of the confidential lists: not for the newsroom's editors.
    client.force_login(editor)
    assert client.get(csv_url).status_code in (403, 404)
