"""The admin's "Import print page": upload or paste, preview, confirm; editors only;
a confirmation cannot carry text the preview did not show."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, ArticleByline
from articles.printimport.forms import sign_payload
from articles.printimport.importer import MAX_PAGE_BYTES
from newsroom.models import Transition
from newsroom.workflow import Status
from people.models import Person
from tests.helpers import PASSWORD, make_section
from tests.helpers import SAMPLE_HEADLINES as HEADLINES
from tests.helpers import SAMPLE_PAGE as SAMPLE

IMPORT_URL = "/admin/articles/article/import-print/"
REVIEW_QUEUE = "/admin/articles/article/?status__exact=review"


def counts() -> tuple[int, int, int, int]:
    return (
        Article.objects.count(),
        Person.objects.count(),
        ArticleByline.objects.count(),
        Transition.objects.count(),
    )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def english(client):
    # LocaleMiddleware picks English; the messages are asserted in their source language.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def editor_client(english, editor):
    return login(english, editor)


def upload(name: str = "page.txt", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SAMPLE.read_bytes() if data is None else data, "text/plain")


def preview(client, **fields):
    fields.setdefault("file", upload())
    return client.post(IMPORT_URL, {"text": "", **fields})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Who may import ---------------------------------------------------------------


def test_an_editor_sees_the_upload_form(editor_client):
    response = editor_client.get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    for name in ["file", "text", "edition_date", "page", "section"]:
        assert f'name="{name}"' in html


@pytest.mark.parametrize("persona", ["reporter", "correspondent", "outsider"])
def test_anyone_but_an_editor_is_refused_the_import_page(db, persona, request, english):
    # `db` in the signature: fetched only through getfixturevalue, the persona would be
    # made in the development database, not the test one.
    user = request.getfixturevalue(persona)
    login(english, user)
    assert english.get(IMPORT_URL).status_code == 403
    assert preview(english).status_code == 403
    assert counts()[0] == 0


def test_a_reporter_cannot_confirm_even_with_a_validly_signed_preview(reporter, english):
    login(english, reporter)
    payload = sign_payload(
        {"text": SAMPLE.read_text(), "edition_date": None, "page": None, "section": None}, reporter
    )
    before = counts()
    assert english.post(IMPORT_URL, {"payload": payload}).status_code == 403
    assert counts() == before


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_import_page_is_linked_from_the_change_list_and_the_start_page_for_editors(
    editor_client,
):
    changelist = editor_client.get("/admin/articles/article/").content.decode()
    assert f'href="{IMPORT_URL}" id="import-print-link"' in changelist
    start = editor_client.get("/admin/").content.decode()
    assert f'href="{IMPORT_URL}" id="desk-import-print"' in start


def test_reporters_see_no_link_to_the_import_page(reporter, english):
    login(english, reporter)
    assert IMPORT_URL not in english.get("/admin/articles/article/").content.decode()
    assert IMPORT_URL not in english.get("/admin/").content.decode()


# --- Preview ---------------------------------------------------------------------


def test_the_preview_shows_the_stories_and_creates_nothing(editor_client, correspondent):
    before = counts()
    response = preview(editor_client)
    assert response.status_code == 200
    assert counts() == before
    html = response.content.decode()
    assert html.count('class="module import-story') == 6
    for headline in HEADLINES:
        assert f'<h2 class="headline">{headline}</h2>' in html
    assert '<p class="subheadline">中原区政协组织核心片区建设专题视察</p>' in html
    assert "Reporter <strong>张改华</strong>" in html
    assert "Correspondent <strong>张亮</strong>" in html
    assert '<li class="text-and-photo">' in html
    assert '<strong class="dateline">本报讯</strong> 9月8日上午，中原区委' in html
    assert html.count("<p>") >= 27  # the paragraphs: 3 + 3 + 6 + 4 + 4 + 7
    # 吕杨子 is known (Carol); the others will be new people.
    assert (
        "New people, to be created as outside contributors for an editor to confirm: 张改华、张亮、木坤坤、吴赛、张黎"
        in html
    )
    assert 'name="payload"' in html
    assert "Import 6 stories into the review queue" in html
    assert 'id="import-unplaced"' not in html


def test_text_that_fits_no_story_is_highlighted_in_the_preview(editor_client):
    page = "标题\n本报讯 会议召开。\n记者 李明\n\n（下转第四版）\n"
    response = preview(editor_client, file="", text=page)
    html = response.content.decode()
    assert '<section id="import-unplaced"' in html
    assert "<mark>（下转第四版）</mark>" in html


def test_pasted_text_with_windows_line_endings_previews_like_the_file(editor_client):
    pasted = SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")
    html = preview(editor_client, file="", text=pasted).content.decode()
    assert html.count('class="module import-story') == 6


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk"])
def test_an_upload_in_another_encoding_previews_in_chinese(editor_client, encoding):
    data = SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding)
    html = preview(editor_client, file=upload(data=data)).content.decode()
    assert html.count('class="module import-story') == 6
    assert f'<h2 class="headline">{HEADLINES[3]}</h2>' in html


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105d3a1c50000000049454e44ae426082"
)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file": upload(data=b"")}, "The file is empty."),
        ({"file": upload(data=b"\r\n \n")}, "The file is empty."),
        ({"file": upload("photo.png", PNG)}, "The file is not a text file."),
        (
            {"file": upload(data=b"\x80\x81\xff\xfe\x80abc\xff" * 20)},
            "its text encoding is not recognised",
        ),
        (
            {"file": upload(data=b"x" * (MAX_PAGE_BYTES + 1))},
            "The file is too big: a print page is at most 2 MB.",
        ),
        ({"file": ""}, "Choose the page&#x27;s text file or paste its text."),
        ({"file": "", "text": "  \n "}, "Choose the page&#x27;s text file or paste its text."),
        ({"text": "标题\n本报讯 会议召开。\n"}, "Upload a file or paste the text, not both."),
        ({"page": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
    ids=[
        "empty",
        "blank",
        "png",
        "undecodable",
        "too-big",
        "nothing",
        "blank-text",
        "both",
        "page",
    ],
)
def test_a_bad_upload_gets_a_clear_error_and_changes_nothing(editor_client, fields, message):
    # The uploads are made once at collection: rewind them for each test.
    for value in fields.values():
        if hasattr(value, "seek"):
            value.seek(0)
    before = counts()
    response = preview(editor_client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'name="payload"' not in response.content.decode()
    assert counts() == before


# --- Confirm ---------------------------------------------------------------------


def payload_of(response) -> str:
    return response.context["confirm_form"]["payload"].value()


def test_confirming_creates_six_stories_in_review_and_says_so(editor_client, editor, correspondent):
    section = make_section("区域", slug="quyu")
    response = preview(editor_client, edition_date="2020-09-09", page="2", section=section.pk)
    response = editor_client.post(IMPORT_URL, {"payload": payload_of(response)})
    assert response.status_code == 302
    assert response["Location"] == REVIEW_QUEUE

    articles = list(Article.objects.order_by("pk"))
    assert [a.headline for a in articles] == HEADLINES
    assert {
        (a.status, a.section_id, a.print_page, str(a.print_edition_date)) for a in articles
    } == {(Status.REVIEW, section.pk, 2, "2020-09-09")}
    assert {t.by for t in Transition.objects.all()} == {editor}
    text = "\n".join(messages_of(response))
    assert "6 stories were imported and are waiting in the review queue." in text
    assert "New people to confirm: 张改华、张亮、木坤坤、吴赛、张黎." in text
    assert "?is_confirmed__exact=0" in text
    assert "Skipped" not in text
    assert set(
        Person.objects.filter(is_confirmed=False).values_list("display_name", flat=True)
    ) == {
        "张改华",
        "张亮",
        "木坤坤",
        "吴赛",
        "张黎",
    }


def test_the_review_queue_lists_the_imported_stories_with_their_bylines(editor_client):
    response = preview(editor_client)
    response = editor_client.post(IMPORT_URL, {"payload": payload_of(response)}, follow=True)
    html = response.content.decode()
    for headline in HEADLINES:
        assert headline in html
    assert "张改华、吕杨子" in html
    assert "6 stories were imported" in html


def test_importing_the_same_page_twice_creates_nothing_new_and_names_the_skipped(editor_client):
    first = preview(editor_client, edition_date="2020-09-09")
    editor_client.post(IMPORT_URL, {"payload": payload_of(first)})
    before = counts()

    second = preview(editor_client, edition_date="2020-09-09")
    html = second.content.decode()
    assert html.count("Imported before: will be skipped") == 6
    assert "Every story on this page was imported before" in html
    assert "Import 6 stories" not in html

    # Posting the confirmation anyway (a second click, a back button) adds nothing either.
    response = editor_client.post(IMPORT_URL, {"payload": payload_of(second)})
    assert counts() == before
    text = "\n".join(messages_of(response))
    assert "No new story was created." in text
    assert "Skipped 6 stories imported before: " + "；".join(HEADLINES) in text


def test_a_tampered_confirmation_is_refused_and_changes_nothing(editor_client, editor):
    payload = payload_of(preview(editor_client))
    data = signing.loads(payload, salt=f"articles.admin_import.print-page:{editor.pk}")
    data["text"] = "假新闻\n本报讯 从未预览过的稿件。\n记者 李明\n"
    forged_without_key = signing.dumps(data, key="not-the-secret-key", compress=True)
    body, signature = payload.rsplit(":", 1)
    altered_signature = f"{body}:{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    before = counts()
    for tampered in [forged_without_key, altered_signature, "x" + payload]:
        response = editor_client.post(IMPORT_URL, {"payload": tampered})
        assert response.status_code == 400, tampered
        assert "Nothing was imported. Please upload the page again." in response.content.decode()
        assert counts() == before
    assert editor_client.post(IMPORT_URL, {"payload": ""}).status_code == 400
    assert counts() == before


def test_a_preview_signed_for_another_editor_is_refused(editor_client, editor, django_user_model):
    from tests.helpers import make_user

    other = make_user("edgar", "Editors")
    payload = sign_payload(
        {"text": SAMPLE.read_text(), "edition_date": None, "page": None, "section": None}, other
    )
    before = counts()
    response = editor_client.post(IMPORT_URL, {"payload": payload})
    assert response.status_code == 400
    assert counts() == before


def test_an_old_preview_cannot_be_confirmed(editor_client, editor, monkeypatch):
    payload = payload_of(preview(editor_client))
    monkeypatch.setattr("articles.printimport.forms.PREVIEW_MAX_AGE", -1)
    response = editor_client.post(IMPORT_URL, {"payload": payload})
    assert response.status_code == 400
    assert "The preview is too old to confirm." in response.content.decode()
    assert counts()[0] == 0


def test_a_section_deleted_after_the_preview_stops_the_import(editor_client):
    section = make_section("区域", slug="quyu")
    payload = payload_of(preview(editor_client, section=section.pk))
    section.delete()
    response = editor_client.post(IMPORT_URL, {"payload": payload})
    assert response.status_code == 400
    assert "The section was deleted after the preview." in response.content.decode()
    assert counts()[0] == 0


def test_unplaced_text_is_named_in_the_message_after_the_import(editor_client):
    page = "标题\n本报讯 会议召开。\n记者 李明\n\n（下转第四版）\n"
    response = preview(editor_client, file="", text=page)
    response = editor_client.post(IMPORT_URL, {"payload": payload_of(response)})
    text = "\n".join(messages_of(response))
    assert "Text that fitted no story was not imported: （下转第四版）" in text


def test_a_page_that_does_not_fit_the_columns_is_refused_at_the_preview(editor_client):
    page = "标题\n本报讯 会议召开。\n记者 " + "阿·" * 60 + "阿\n"
    response = preview(editor_client, file="", text=page)
    assert response.status_code == 400
    assert "too long for a name in a byline" in response.content.decode()
    assert counts()[0] == 0


# --- Correcting the preview ---------------------------------------------------------

# An e-paper page the parser reads wrong in three places: the commentary's signature
# (a rare surname) runs into the next story, and the photo credit names an agency.
MISREAD = (
    "让城市更有温度\n"
    "本报讯（记者 李明）城市的温度，藏在细节里。\n"
    "服务好不好，群众最有发言权。\n"
    "第二篇的标题\n"
    "第二篇的副题\n"
    "第二篇的正文。\n"
)


def fields_of(response) -> dict:
    """The preview's form as a browser would post it: every field with its value."""
    data = {"payload": payload_of(response), "story-count": response.context["story_count"]}
    for _planned, form in response.context["rows"]:
        for field in form:
            value = field.value()
            if field.name == "text_and_photo":
                if value:
                    data[field.html_name] = "on"
            else:
                data[field.html_name] = value or ""
    return data


def test_the_preview_offers_each_story_s_fields_to_correct(editor_client):
    response = preview(editor_client, file="", text=MISREAD)
    html = response.content.decode()
    assert html.count('class="import-edit"') == 2
    assert 'name="story-0-headline" value="让城市更有温度"' in html
    assert 'name="story-1-subheadline" value="第二篇的副题"' in html
    assert "记者 李明" in html or "Reporter 李明" in html
    assert 'name="action" value="merge:0"' in html


def test_applying_corrections_re_renders_the_preview_and_creates_nothing(editor_client):
    response = preview(editor_client, file="", text=MISREAD)
    data = fields_of(response)
    data["story-0-headline"] = "让城市更有温度（时评）"
    data["story-0-bylines"] = "Reporter 李明\nCorrespondent 王芳"
    data["story-1-body"] = "### 第二篇的小标题\n第二篇的正文。"
    before = counts()
    response = editor_client.post(IMPORT_URL, {**data, "_update": "Apply corrections"})
    assert response.status_code == 200
    assert counts() == before
    html = response.content.decode()
    assert '<h2 class="headline">让城市更有温度（时评）</h2>' in html
    assert "Correspondent <strong>王芳</strong>" in html
    assert '<h3 class="subhead">第二篇的小标题</h3>' in html

    # Confirming now imports exactly the corrected stories.
    response = editor_client.post(IMPORT_URL, {**fields_of(response), "_confirm": "Import"})
    assert response.status_code == 302
    first, second = Article.objects.order_by("pk")
    assert first.headline == "让城市更有温度（时评）"
    assert [(b.role, b.person.display_name) for b in first.bylines.all()] == [
        ("reporter", "李明"),
        ("correspondent", "王芳"),
    ]
    assert second.body == "<h3>第二篇的小标题</h3><p>第二篇的正文。</p>"


def test_confirming_with_unapplied_changes_shows_them_and_imports_nothing(editor_client):
    response = preview(editor_client, file="", text=MISREAD)
    data = fields_of(response)
    data["story-1-headline"] = "改过的标题"
    before = counts()
    response = editor_client.post(IMPORT_URL, {**data, "_confirm": "Import"})
    assert response.status_code == 200
    assert counts() == before
    assert '<h2 class="headline">改过的标题</h2>' in response.content.decode()
    assert "Nothing was imported yet: your corrections are shown below." in "\n".join(
        messages_of(response)
    )


def test_a_story_is_split_where_the_editor_writes_three_dashes(editor_client):
    response = preview(editor_client, file="", text=MISREAD)
    data = fields_of(response)
    data["story-0-body"] = (
        "城市的温度，藏在细节里。\n---\n拆出来的标题\n服务好不好，群众最有发言权。"
    )
    response = editor_client.post(IMPORT_URL, {**data, "_update": "Apply corrections"})
    headlines = [planned.headline for planned in response.context["plan"]]
    assert headlines == ["让城市更有温度", "拆出来的标题", "第二篇的标题"]
    assert response.context["plan"][1].story.paragraphs == ["服务好不好，群众最有发言权。"]


def test_merging_a_story_into_the_one_above_keeps_its_headings_as_subheads(editor_client):
    response = preview(editor_client, file="", text=MISREAD)
    response = editor_client.post(IMPORT_URL, {**fields_of(response), "action": "merge:0"})
    (planned,) = response.context["plan"]
    assert planned.story.paragraphs == [
        "城市的温度，藏在细节里。",
        "服务好不好，群众最有发言权。",
        "第二篇的标题",
        "第二篇的副题",
        "第二篇的正文。",
    ]
    assert planned.story.subheads == [2, 3]
    assert counts()[0] == 0


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("subheadline-to-body:1", ("", "第二篇的标题", "", "第二篇的副题")),
        ("headline-to-kicker:1", ("第二篇的标题", "第二篇的副题", "", "第二篇的正文。")),
    ],
)
def test_a_line_moves_between_the_headings_and_the_body(editor_client, action, expected):
    response = preview(editor_client, file="", text=MISREAD)
    response = editor_client.post(IMPORT_URL, {**fields_of(response), "action": action})
    story = response.context["plan"][1].story
    assert (story.kicker, story.headline, story.subheadline, story.paragraphs[0]) == expected


def test_a_first_paragraph_moves_up_into_the_subheadline(editor_client):
    response = preview(editor_client, file="", text="标题\n第一段，其实是副题\n正文。\n")
    data = fields_of(response)
    response = editor_client.post(IMPORT_URL, {**data, "action": "paragraph-to-subheadline:0"})
    story = response.context["plan"][0].story
    assert (story.subheadline, story.paragraphs) == ("第一段，其实是副题", ["正文。"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("story-0-bylines", "李明", "write a role"),
        ("story-0-bylines", "Chef 李明", "write a role"),
        ("story-0-headline", "长" * 400, "Ensure this value has at most"),
        ("story-0-bylines", "Reporter " + "名" * 101, "too long for a name"),
    ],
)
def test_a_bad_correction_is_shown_with_its_error_and_nothing_is_created(
    editor_client, field, value, message
):
    response = preview(editor_client, file="", text=MISREAD)
    data = fields_of(response)
    data[field] = value
    before = counts()
    for button in ({"_update": "Apply"}, {"_confirm": "Import"}):
        response = editor_client.post(IMPORT_URL, {**data, **button})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert counts() == before


def test_corrections_cannot_be_posted_with_a_forged_payload(editor_client, editor):
    response = preview(editor_client, file="", text=MISREAD)
    data = fields_of(response)
    data["payload"] = sign_payload({"stories": [], "unplaced": []}, editor)[:-3] + "AAA"
    before = counts()
    response = editor_client.post(IMPORT_URL, {**data, "_confirm": "Import"})
    assert response.status_code == 400
    assert counts() == before


def test_a_reporter_cannot_post_corrections(reporter, english, editor_client):
    data = fields_of(preview(editor_client, file="", text=MISREAD))
    login(english, reporter)
    assert english.post(IMPORT_URL, {**data, "_confirm": "Import"}).status_code == 403
    assert counts()[0] == 0
