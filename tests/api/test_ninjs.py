"""ninjs 2.2: every article, event and gallery the API gives out as ninjs is valid against the
IPTC JSON Schema, and carries the bylines with their roles, renditions and associations."""

import pytest

from tests.api.conftest import ninjs_validator
from tests.helpers import make_article, put_in_state

pytestmark = pytest.mark.django_db


def assert_valid(item: dict) -> None:
    errors = sorted(ninjs_validator().iter_errors(item), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("kind", ["articles", "events", "galleries"])
def test_every_item_is_valid_ninjs_in_list_and_detail(api, paper, kind):
    listed = api.get(f"/api/v1/{kind}/", HTTP_ACCEPT="application/ninjs+json")
    assert listed.status_code == 200
    assert listed["Content-Type"].startswith("application/ninjs+json")
    items = listed.json()["results"]
    assert items
    for item in items:
        assert_valid(item)
        detail = api.get(item["uri"].removeprefix("http://127.0.0.1:8000"), {"format": "ninjs"})
        assert_valid(detail.json())


def test_the_validator_refuses_what_is_not_ninjs():
    assert list(ninjs_validator().iter_errors({"uri": "x", "type": "story", "colour": "red"}))


def test_formats_are_checked_uri_and_date_time():
    # rfc3986-validator and rfc3339-validator (dev group) make jsonschema check these
    # formats; without them "format" is silently ignored.
    validator = ninjs_validator()
    assert {"uri", "date-time"} <= set(validator.format_checker.checkers)
    good = {"uri": "https://news.example.cn/a/1", "versioncreated": "2020-09-09T08:00:00Z"}
    assert not [e for e in validator.iter_errors(good) if e.validator == "format"]
    bad = {"uri": "not a uri", "versioncreated": "9月9日"}
    assert sorted(e.path[0] for e in validator.iter_errors(bad) if e.validator == "format") == [
        "uri",
        "versioncreated",
    ]


def test_an_article_in_ninjs_has_bylines_with_roles_photo_and_links(api, paper):
    article = paper["articles"][1]
    item = api.get(f"/api/v1/articles/{article.pk}/", {"format": "ninjs"}).json()
    assert item["by"] == "记者 张改华 通讯员 吕杨子"
    assert [(p["name"], p["rel"]) for p in item["people"]] == [
        ("张改华", "byline:reporter"),
        ("吕杨子", "byline:correspondent"),
    ]
    assert {h["role"]: h["value"] for h in item["headlines"]} == {
        "kicker": "生态中原",
        "main": "喜迎国庆 “生态中原”摄影作品展开展",
        "subheadline": "展出绿化建设成果图片28张",
    }
    assert item["bodies"][0]["contenttype"] == "text/html"
    lead = next(a for a in item["associations"] if a["name"] == "leadphoto")
    assert lead["type"] == "picture"
    assert {r["contenttype"] for r in lead["renditions"]} == {"image/webp", "image/jpeg"}
    assert any(a["type"] == "composite" for a in item["associations"])  # the gallery
    assert item["events"][0]["rel"] == "covers"
    assert item["pubstatus"] == "usable"
    corrected = api.get(f"/api/v1/articles/{paper['articles'][0].pk}/?format=ninjs").json()
    assert any(d["role"] == "correction" for d in corrected["descriptions"])


def test_a_gallery_in_ninjs_associates_each_photo_with_its_renditions(api, paper):
    item = api.get(f"/api/v1/galleries/{paper['gallery'].pk}/", {"format": "ninjs"}).json()
    photos = [a for a in item["associations"] if a["name"].startswith("photo-")]
    assert len(photos) == 3
    assert all(p["renditions"] and p["by"] == "张亮" for p in photos)


@pytest.mark.parametrize("state", ["scheduled_future", "unpublished", "draft"])
def test_ninjs_status_of_unpublished_states_is_valid_too(state, editor):
    """What a token that may read drafts gets (api/ninjs.py maps the workflow's states)."""
    from api import ninjs

    article = put_in_state(make_article(by=editor), state, editor)
    article = type(article).objects.for_detail().get(pk=article.pk)
    item = ninjs.item(article)
    assert_valid(item)
    assert item["pubstatus"] == {"draft": "withheld", "unpublished": "canceled"}.get(
        state, "withheld"
    )
    assert ("embargoed" in item) is (state == "scheduled_future")
