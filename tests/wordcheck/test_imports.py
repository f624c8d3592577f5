"""Lists in and out: a preview of what an import changes, every bad line named, nothing
half-saved, every change logged; tens of thousands of lines."""

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.helpers import make_user
from wordcheck import imports
from wordcheck.lists import current
from wordcheck.models import Category, Entry, EntryChange, ListsVersion, PendingImport, WordList


@pytest.fixture
def admin_user(db):
    user = make_user("root", None)
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def word_list(db):
    return WordList.objects.create(name="通知词表")


def upload(client, word_list, content: bytes, name="list.csv", **fields):
    return client.post(
        reverse("admin:wordcheck_wordlist_import", args=[word_list.pk]),
        {"file": SimpleUploadedFile(name, content), **fields},
    )


def confirm(client, word_list, response):
    pending = response.context["pending"]
    return client.post(
        reverse("admin:wordcheck_wordlist_import", args=[word_list.pk]),
        {"pending": pending.pk, "confirm": "1"},
    )


GOOD = (
    "category,term,replacement,note,variants\n"
    "banned,禁用词甲,,测试\n"
    "mistake,再接再励,再接再厉,\n"
    'fixed,郑州市中原区人民政府,,,"中原区政府|中原政府"\n'
    "mistake,alot,a lot,house style\n"
).encode()


def test_a_good_csv_is_previewed_then_imported_and_logged(client, admin_user, word_list):
    client.force_login(admin_user)
    response = upload(client, word_list, "\ufeff".encode() + GOOD)
    plan = response.context["plan"]
    assert (len(plan.added), len(plan.changed), len(plan.removed), plan.errors) == (4, 0, 0, [])
    assert "4 added" in response.content.decode() or "新增 4" in response.content.decode()
    assert not Entry.objects.exists()  # a preview saves nothing
    version = ListsVersion.current()

    response = confirm(client, word_list, response)
    assert response.status_code == 302
    fixed = Entry.objects.get(category=Category.FIXED)
    assert fixed.variant_list() == ["中原区政府", "中原政府"]
    assert Entry.objects.count() == 4
    assert ListsVersion.current() != version
    assert EntryChange.objects.filter(kind="added", by=admin_user).count() == 4
    assert LogEntry.objects.filter(object_id=str(word_list.pk), user=admin_user).exists()
    assert not PendingImport.objects.exists()
    # The new entries are checked at once.
    assert [m.entry.term for m in current().matcher.find("再接再励")] == ["再接再励"]


def test_a_second_import_shows_what_it_changes_and_removes(client, admin_user, word_list):
    client.force_login(admin_user)
    confirm(client, word_list, upload(client, word_list, GOOD))
    changed = (
        "category,term,replacement\n"
        "banned,禁用词甲,\n"  # note dropped: changed
        "mistake,再接再励,再接再厉\n"  # unchanged
        "sensitive,大师,\n"  # added
    ).encode()
    response = upload(client, word_list, changed, replace="on")
    plan = response.context["plan"]
    assert [row.term for row in plan.added] == ["大师"]
    assert [row.term for _before, row in plan.changed] == ["禁用词甲"]
    assert sorted(v["term"] for v in plan.removed) == ["alot", "郑州市中原区人民政府"]
    assert plan.unchanged == 1
    confirm(client, word_list, response)
    assert sorted(Entry.objects.values_list("term", flat=True)) == ["再接再励", "大师", "禁用词甲"]
    removed = EntryChange.objects.filter(kind="removed").values_list("term", flat=True)
    assert sorted(removed) == ["alot", "郑州市中原区人民政府"]
    change = EntryChange.objects.get(kind="changed")
    assert (change.before["note"], change.after["note"]) == ("测试", "")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"category,term\nbannd,word\n", "line 2"),
        (b"category,term\nbanned,\n", "line 2"),
        ("category,term\nbanned,，。！\n".encode(), "line 2"),
        ("category,term\nbanned,甲乙\nbanned,甲 乙\n".encode(), "line 3"),
        (b"category,term,replacement\nbanned,x,y,z\n", "line 2"),
        ("category,term,variants\nbanned,甲乙,甲\n".encode(), "line 2"),
        (b"category,term,colour\nbanned,x,red\n", "line 1"),
        (b"category,term\nbanned,ok\nbanned," + "长".encode() * 201 + b"\n", "line 3"),
    ],
)
def test_each_bad_line_is_named_and_nothing_is_saved(
    client, admin_user, word_list, content, message
):
    client.force_login(admin_user)
    response = upload(client, word_list, content)
    plan = response.context["plan"]
    assert plan.errors
    page = response.content.decode()
    number = message.split()[1]
    assert f"Line {number}" in page or f"第 {number} 行" in page
    assert "pending" not in response.context
    assert not Entry.objects.exists()
    assert not PendingImport.objects.exists()


def test_a_file_that_is_not_utf8_says_where(client, admin_user, word_list):
    client.force_login(admin_user)
    response = upload(client, word_list, "category,term\nbanned,禁用词\n".encode("gb18030"))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert "UTF-8" in errors[0] and "2" in errors[0]
    assert not Entry.objects.exists()


def test_a_plain_text_list_needs_a_category_and_takes_tabs(client, admin_user, word_list):
    client.force_login(admin_user)
    text = "# 错别字\n再接再励\t再接再厉\t常见\n\n既使\t即使\n".encode()
    response = upload(client, word_list, text, name="list.txt")
    message = response.context["form"].errors["file"][0]
    assert "category" in message or "类别" in message
    response = upload(client, word_list, text, name="list.txt", category="mistake")
    confirm(client, word_list, response)
    assert dict(Entry.objects.values_list("term", "replacement")) == {
        "再接再励": "再接再厉",
        "既使": "即使",
    }


def test_an_import_stale_after_another_change_is_refused(client, admin_user, word_list):
    client.force_login(admin_user)
    response = upload(client, word_list, GOOD)
    Entry.objects.create(word_list=word_list, category="banned", term="后来加的")
    response = confirm(client, word_list, response)
    assert response.status_code == 302
    assert list(Entry.objects.values_list("term", flat=True)) == ["后来加的"]


def test_only_administrators_import(client, editor, word_list):
    client.force_login(editor)
    response = upload(client, word_list, GOOD)
    assert response.status_code == 403
    assert not Entry.objects.exists()


def test_export_round_trips(client, admin_user, word_list):
    client.force_login(admin_user)
    confirm(client, word_list, upload(client, word_list, GOOD))
    response = client.get(reverse("admin:wordcheck_wordlist_export", args=[word_list.pk]))
    assert response["Content-Type"].startswith("text/csv")
    exported = response.content
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert {row["term"] for row in rows} == {"禁用词甲", "再接再励", "郑州市中原区人民政府", "alot"}
    response = upload(client, word_list, exported, replace="on")
    plan = response.context["plan"]
    assert (len(plan.added), len(plan.changed), len(plan.removed), plan.unchanged) == (0, 0, 0, 4)


def test_a_huge_list_imports_in_one_go(client, admin_user, word_list):
    lines = ["category,term,replacement"] + [f"banned,测试词{i:05d},替换{i}" for i in range(50_000)]
    content = "\n".join(lines).encode()
    client.force_login(admin_user)
    response = upload(client, word_list, content)
    assert len(response.context["plan"].added) == 50_000
    page = response.content.decode()
    assert page.count("<tr><td>") <= 250  # the preview shows the first rows only
    confirm(client, word_list, response)
    assert Entry.objects.count() == 50_000
    assert EntryChange.objects.count() == 50_000
    found = current().matcher.find("这里有测试词49999和测试词00000")
    assert [m.entry.term for m in found] == ["测试词49999", "测试词00000"]


def test_a_huge_bad_list_names_every_bad_line(word_list):
    text = "category,term\n" + "\n".join(
        "banned,词" + str(i) if i % 1000 else "banned," for i in range(50_000)
    )
    rows, errors = imports.parse(text)
    assert [e.line for e in errors] == [i + 2 for i in range(0, 50_000, 1000)]
    assert len(rows) == 50_000 - 50
