"""The demo newsroom shows the check at once: a made-up list, a story in review with hits."""

from django.core.management import call_command

from articles.models import Article
from newsroom.workflow import Status
from wordcheck.demo import STORY_HEADLINE
from wordcheck.models import Category, CheckResult, Entry


def test_the_demo_loads_a_list_of_every_category_and_a_story_with_hits_of_each_kind(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 (idempotent)
    assert set(Entry.objects.values_list("category", flat=True)) == set(Category.values)
    story = Article.objects.get(headline=STORY_HEADLINE)
    assert story.status == Status.REVIEW
    hits = CheckResult.objects.get(object_id=story.pk, content_type__model="article").hits
    found = {(hit["category"], hit["kind"], hit["matched"]) for hit in hits}
    assert {
        ("banned", "term", "某某禁用词"),
        ("sensitive", "term", "神 医"),
        ("sensitive", "term", "神醫"),
        ("fixed", "variant", "中原区政府"),
        ("mistake", "term", "再接再励"),
        ("mistake", "term", "alot"),
    } <= found
    assert not any(hit["matched"] == "神医" for hit in hits)  # 神医扁鹊 is an exception
    assert Entry.objects.count() == 8
