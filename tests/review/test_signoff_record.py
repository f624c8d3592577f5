"""The sign-off record (审稿单 / 签发单): the change form's panel, the printed sheet and the
archive's CSV export, through the admin as its users see them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from newsroom import workflow
from tests.helpers import make_article, make_user
from tests.review.world import SANSHEN, approve, build_world, saved, sign_through, story


@pytest.fixture
def world(db):
    return build_world()


def as_user(client, user):
    client.force_login(user)
    return client


def change_url(obj):
    return reverse("admin:articles_article_change", args=[obj.pk])


def record_url(obj):
    return reverse("admin:review_record", args=["articles", "article", obj.pk])


def panel_rows(response):
    """(stage, signer, note, marks) of each row of the panel, in the order shown."""
    panel = next(p for p in response.context["change_form_panels"] if "record" in p)
    return [
        (
            s.signoff.stage.name,
            s.signoff.by.get_username(),
            s.signoff.note,
            ("cleared" if s.is_cleared else "") + ("edited" if s.signoff.edited_after else ""),
        )
        for s in panel["record"].signatures
    ], [stage.name for stage in panel["record"].pending_stages]


def test_the_change_form_lists_each_signature_in_order_and_the_stages_still_to_sign(client, world):
    article = story(world)
    sign_through(article, world, 3)
    response = as_user(client, world["desk_chief"]).get(change_url(article))
    assert response.status_code == 200
    signed, pending = panel_rows(response)
    assert signed == [
        ("初审", "dora", "desk_editor 同意", ""),
        ("一校", "pete", "proofreader 同意", ""),
        ("复审", "chen", "desk_chief 同意", ""),
    ]
    assert pending == SANSHEN[3:]
    html = response.content.decode()
    assert 'id="signoff-panel"' in html and "desk_chief 同意" in html
    assert record_url(article) in html


def test_a_story_just_filed_shows_every_stage_still_to_sign(client, world):
    article = story(world)
    response = as_user(client, world["desk_editor"]).get(change_url(article))
    assert response.status_code == 200
    assert panel_rows(response) == ([], SANSHEN)
    assert "signoff-current" in response.content.decode()


def test_a_draft_has_no_signoff_panel(client, world):
    draft = make_article(by=world["reporter"], section=world["yaowen_section"])
    response = as_user(client, world["reporter"]).get(change_url(draft))
    assert response.status_code == 200
    assert 'id="signoff-panel"' not in response.content.decode()


def test_a_send_back_keeps_the_cleared_signatures_marked_in_the_record(client, world):
    article = story(world)
    sign_through(article, world, 3)
    first = article.review_stage.chain.stages.get(name="初审")
    workflow.perform(article, "send_back", by=world["desk_chief"], note="导语重写", to_stage=first)
    response = as_user(client, world["chief_editor"]).get(change_url(article))
    signed, pending = panel_rows(response)
    assert [row[0] for row in signed] == ["初审", "一校", "复审"]
    assert all("cleared" in row[3] for row in signed)
    assert pending == SANSHEN
    assert "导语重写" in response.content.decode()
    sheet = client.get(record_url(article))
    assert [t.note for t in sheet.context["record"].returns] == ["导语重写"]
    assert 'id="sheet-returns"' in sheet.content.decode()


def test_an_edit_after_signing_is_marked_and_the_diff_links_open_the_changes(client, world):
    article = story(world)
    approve(article, world["desk_editor"], note="可以")
    article.refresh_from_db()
    saved(article, world["proofreader"], headline="中原区推进网上政务服务能力提升")
    from newsroom.review.chains import content_edited

    content_edited(article, world["proofreader"])
    approve(article, world["proofreader"], note="校毕")
    response = as_user(client, world["desk_chief"]).get(change_url(article))
    signed, _pending = panel_rows(response)
    assert signed[0][3] == "edited"
    panel = next(p for p in response.context["change_form_panels"] if "record" in p)
    first = panel["record"].signatures[0]
    assert first.diff_next_url
    compare = client.get(first.diff_next_url)
    assert compare.status_code == 200
    assert "中原区推进网上政务服务能力提升" in compare.content.decode()


def test_the_printed_sheet_shows_the_paper_headline_page_and_every_signature_in_order(
    client, world, site
):
    article = story(world, print_page=2, print_edition_date=timezone.localdate())
    sign_through(article, world, 6)
    at = timezone.now() + timezone.timedelta(hours=2)
    article.schedule(at=at, by=world["chief_editor"])
    response = as_user(client, world["desk_editor"]).get(record_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "中原日报" in html  # settings.SITE_NAME
    assert article.headline in html
    assert "第2版" in html or "Page 2" in html
    assert "admin/review/record.css" in html
    names = [s.signoff.stage.name for s in response.context["record"].signatures]
    assert names == SANSHEN
    positions = [html.index(f"{name} 同意") for name in
                 ["desk_editor", "proofreader", "desk_chief", "chief_editor"]]  # fmt: skip
    assert positions == sorted(positions)
    assert "no-store" in response["Cache-Control"]


def test_the_sheet_shows_what_changed_between_signatures_and_what_was_published(client, world):
    article = story(world, desk="quyu", headline="旧标题")
    saved(article, world["quyu_editor"], headline="新标题")
    article.publish(by=world["quyu_editor"])
    response = as_user(client, world["chief_editor"]).get(record_url(article))
    [signature] = response.context["record"].signatures
    assert signature.signoff.stage.name  # the single editor's one stage, signed by publishing
    html = response.content.decode()
    assert "新标题" in html


def test_who_may_not_see_the_item_may_not_print_its_sheet(client, world):
    article = story(world)
    draft = make_article(by=world["reporter"], section=world["yaowen_section"], headline="未交稿")
    outsider = make_user("olivia", None)
    assert as_user(client, world["quyu_reporter"]).get(record_url(draft)).status_code == 403
    assert as_user(client, outsider).get(record_url(article)).status_code == 403
    client.logout()
    assert client.get(record_url(article)).status_code == 302  # to the login page


@pytest.mark.parametrize(
    "args", [["articles", "section", "1"], ["auth", "user", "1"], ["articles", "article", "abc"],
             ["articles", "article", "99999999999999999999"], ["articles", "article", "424242"]],
)  # fmt: skip
def test_a_sheet_of_something_that_is_no_item_is_not_found(client, world, args):
    response = as_user(client, world["chief_editor"]).get(reverse("admin:review_record", args=args))
    assert response.status_code == 404


def export(client, **params):
    return client.get(reverse("admin:review_export"), params)


def test_a_chief_editor_exports_a_date_range_of_signoffs_as_csv(client, world):
    article = story(world, headline='=HYPERLINK("http://x")')
    sign_through(article, world, 2)
    other = story(world, desk="quyu", headline="区域稿件")
    other.publish(by=world["quyu_editor"])
    today = timezone.localdate().isoformat()
    response = export(as_user(client, world["chief_editor"]), **{"from": today, "to": today})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["stage"], r["signer"]) for r in rows] == [("初审", "dora"), ("一校", "pete"),
                                                       (rows[2]["stage"], "quinn")]  # fmt: skip
    assert rows[0]["headline"].startswith("'=")  # never a formula in the archive's spreadsheet
    assert rows[0]["desk"] == "要闻部" and rows[2]["desk"] == "区域新闻部"


def test_the_export_is_empty_outside_the_range_and_refuses_a_bad_range_with_a_reason(client, world):
    article = story(world)
    sign_through(article, world, 1)
    client = as_user(client, world["chief_editor"])
    response = export(client, **{"from": "2001-01-01", "to": "2001-01-31"})
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == 1
    for params in [{"from": "yesterday", "to": "2026-01-01"}, {"from": "2026-02-01", "to": "2026-01-01"},
                   {"from": "2020-01-01", "to": "2026-01-01"}, {"from": "2026-02-30", "to": "2026-03-01"}]:  # fmt: skip
        response = export(client, **params)
        assert response.status_code == 400
        assert response.context["error"]
    assert export(client).status_code == 200  # the form


def test_only_chief_editors_and_site_administrators_export(client, world):
    for name in ["desk_editor", "desk_chief", "reporter", "proofreader"]:
        assert export(as_user(client, world[name])).status_code == 403
    admin = make_user("sam", "Site administrators")
    assert export(as_user(client, admin)).status_code == 200


@pytest.mark.parametrize("stages", [1, 5])
def test_the_record_costs_five_queries_however_many_signatures(
    world, stages, django_assert_num_queries
):
    from newsroom.review.record import record_of

    article = story(world)
    sign_through(article, world, stages)
    article = type(article).objects.select_related("review_stage").get(pk=article.pk)
    # The sign-offs (stage, signer, revision joined), the item's versions, the stages still to
    # sign, the send-backs of its log, and what the word check found at each signature (the
    # wordcheck app's annotator: one query for all).
    with django_assert_num_queries(5):
        record = record_of(article)
    assert len(record.signatures) == stages


def test_an_event_and_a_gallery_have_their_sheet_too(client, world):
    from tests.helpers import make_event, make_gallery

    chief_editor = world["chief_editor"]
    for item in (make_event(by=chief_editor), make_gallery(by=chief_editor)):
        saved(item, chief_editor)
        item.publish(by=chief_editor)
        opts = item._meta
        url = reverse("admin:review_record", args=[opts.app_label, opts.model_name, item.pk])
        response = as_user(client, chief_editor).get(url)
        assert response.status_code == 200
        assert str(item) in response.content.decode()
        assert len(response.context["record"].signatures) == 1
