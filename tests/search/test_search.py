"""The search engine (newsroom/search/engine.py) and its documents (documents.py): recall
against substring truth over the demo newsroom, ranking, phrases, widths, long articles,
visibility in every workflow state, hostile input, and documents kept current.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgresql://…): the two take different
paths through the engine, and both must give the same answers here.
"""

from __future__ import annotations

import datetime
import html
import io
import random
import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

import newsroom.text
from articles.models import Article, Event, Gallery
from articles.search_page import visible_querysets
from newsroom.search import engine
from newsroom.search.documents import SearchDocument
from newsroom.search.engine import Query, Search
from newsroom.search.tokens import CJK_CLASS, DOCUMENT_MAX_CHARS, WORD_CLASS, normalise
from newsroom.text import plain_text
from people.models import Person
from tests.helpers import (
    STATES,
    make_article,
    make_event,
    make_gallery,
    make_person,
    make_photo,
    put_in_state,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming and the tsvector are PostgreSQL's"
)


def found(querysets, query) -> set:
    hits, total = Search(query, querysets).hits(0, 10_000)
    assert total == len(hits)
    return {(hit.label, hit.pk) for hit in hits}


def public(query) -> set:
    """What a reader searching everything finds: the view's own querysets."""
    return found(visible_querysets({}, {}), query)


def key(obj) -> tuple[str, int]:
    return (obj._meta.label_lower, obj.pk)


# --- recall against substring truth over the demo newsroom --------------------------------------

_WORD = re.compile(f"[{WORD_CLASS}]")


def reader_text(obj) -> str:
    """Everything a reader can read of an item, normalised: built here independently of
    documents.py (tags become line breaks, entities are decoded)."""

    def from_html(value):
        return html.unescape(re.sub(r"<[^>]+>", "\n", value or ""))

    if isinstance(obj, Article):
        fields = [obj.headline, obj.kicker, obj.subheadline, obj.summary, from_html(obj.body)]
    elif isinstance(obj, Event):
        fields = [obj.title, obj.venue, obj.organiser, from_html(obj.description)]
    else:
        fields = [obj.title, obj.description, *(p.caption for p in obj.photos.all())]
    return normalise("\n".join(fields))


def contains(text: str, query: str) -> bool:
    """Substring truth; a query that starts or ends with a Latin letter or digit must start or
    end on a word boundary there (CCD is not in CCDA)."""
    needle = normalise(query)
    for match in re.finditer(re.escape(needle), text):
        start, end = match.start(), match.end()
        if _WORD.match(needle[0]) and start > 0 and _WORD.match(text[start - 1]):
            continue
        if _WORD.match(needle[-1]) and end < len(text) and _WORD.match(text[end]):
            continue
        return True
    return False


DEMO_QUERIES = [
    "乔耸",  # a two-character name
    "张改华",  # a reporter: in bylines, not in any text
    "李晓雷",
    "薛晓军",
    "贾鲁河",  # places
    "二砂",  # only in a story still in review: nobody may find it
    "须水河",
    "郑州中央文化区",
    "区",  # single characters
    "河",
    "疫",
    "党",
    "中原区委",
    "生态中原",
    "摄影展",
    "疫情防控",
    "全城清洁",
    "产城融合示范区",
    "核心片区",
    "CCD",  # English, both widths and cases
    "ccd",
    "ＣＣＤ",
    "2020",
    "71周年",  # mixed digits and Chinese
    "2020年",
    "文化区（CCD）",
    "文化区(CCD",
    "没有这个词",
    "金科集团",
]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def published_items():
    return [
        *Article.objects.published(),
        *Event.objects.published(),
        *Gallery.objects.published().prefetch_related("photos"),
    ]


def sample_queries(items, count: int, seed: int = 7) -> list[str]:
    """Substrings of one to six Chinese characters cut from the items' texts."""
    rng = random.Random(seed)
    runs = [run for item in items for run in re.findall(f"[{CJK_CLASS}]+", reader_text(item))]
    queries = []
    while len(queries) < count:
        run = rng.choice(runs)
        size = rng.randint(1, min(6, len(run)))
        start = rng.randrange(len(run) - size + 1)
        queries.append(run[start : start + size])
    return queries


def test_every_query_finds_exactly_the_published_items_that_contain_it(demo):
    items = published_items()
    assert len(items) == 6  # four stories, the exhibition, its gallery
    texts = {key(item): reader_text(item) for item in items}
    queries = DEMO_QUERIES + sample_queries(items, 80)
    wrong = {}
    for query in queries:
        truth = {k for k, text in texts.items() if contains(text, query)}
        result = public(query)
        if result != truth:
            wrong[query] = {"missed": truth - result, "extra": result - truth}
    assert not wrong
    # The list is not vacuous: names, places, single characters and English are all found.
    assert public("乔耸") and public("贾鲁河") and public("区") and public("CCD")
    assert not public("二砂")


# --- ranking ------------------------------------------------------------------------------------


def published_article(editor, at: datetime.datetime | None = None, **fields) -> Article:
    article = make_article(by=editor, **fields)
    article.publish(by=editor)
    if at is not None:
        Article.objects.filter(pk=article.pk).update(publish_at=at, first_published_at=at)
    return article


def ranked(query, querysets=None) -> list[int]:
    hits, _ = Search(query, querysets or [Article.objects.published()]).hits(0, 100)
    return [hit.pk for hit in hits]


def test_a_headline_hit_outranks_a_body_hit_even_an_older_one(editor):
    now = timezone.now()
    in_body = published_article(
        editor,
        at=now,
        headline="区政府召开常务会议",
        body="<p>" + "会议听取了须水河综合治理工作汇报。" * 12 + "</p>",
    )
    in_headline = published_article(
        editor,
        at=now - datetime.timedelta(days=300),
        headline="须水河治理进入攻坚阶段",
        body="<p>工程进展顺利。</p>",
    )
    assert ranked("须水河") == [in_headline.pk, in_body.pk]


@postgresql_only
def test_a_kicker_hit_ranks_between_the_headline_and_the_body(editor):
    now = timezone.now()
    body = published_article(editor, at=now, headline="会议召开", body="<p>谈到了营商环境。</p>")
    kicker = published_article(
        editor, at=now - datetime.timedelta(days=1), headline="会议召开", kicker="优化营商环境"
    )
    headline = published_article(
        editor, at=now - datetime.timedelta(days=2), headline="营商环境再优化"
    )
    assert ranked("营商环境") == [headline.pk, kicker.pk, body.pk]


@postgresql_only
def test_the_planner_settings_of_a_search_end_with_its_statement(editor):
    """The search statement turns sequential scans off (and raises work_mem) for itself
    alone: inside a caller's transaction (this test's) later queries plan as usual."""
    published_article(editor, headline="营商环境再优化")
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        assert ranked("营商环境")
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('work_mem')")
        assert cursor.fetchone() == ("on", work_mem)
    assert work_mem != "32MB"


def test_at_equal_relevance_the_recent_item_comes_first(editor):
    now = timezone.now()
    fields = {"headline": "社区食堂开业", "body": "<p>居民在社区食堂用餐。</p>"}
    old = published_article(editor, at=now - datetime.timedelta(days=30), **fields)
    new = published_article(editor, at=now - datetime.timedelta(days=1), **fields)
    middle = published_article(editor, at=now - datetime.timedelta(days=10), **fields)
    assert ranked("食堂") == [new.pk, middle.pk, old.pk]


def test_only_the_newest_matches_are_ranked_and_the_rest_follow_newest_first(editor):
    now = timezone.now()
    older_headline = published_article(
        editor, at=now - datetime.timedelta(days=9), headline="垃圾分类新规"
    )
    newer = [
        published_article(
            editor, at=now - datetime.timedelta(days=d), headline="会议", body="<p>谈垃圾分类。</p>"
        )
        for d in (1, 2)
    ]
    hits, total = Search("垃圾分类", [Article.objects.published()], rank_limit=2).hits(0, 10)
    assert total == 3
    assert [hit.pk for hit in hits] == [newer[0].pk, newer[1].pk, older_headline.pk]
    assert hits[2].rank is None
    # With room to rank all three, the headline wins.
    assert ranked("垃圾分类")[0] == older_headline.pk


def test_a_very_common_phrase_gets_an_estimated_count_but_exact_pages(editor):
    now = timezone.now()
    phrase = [
        published_article(editor, at=now - datetime.timedelta(days=i), headline=f"提高认识 {i}")
        for i in range(5)
    ]
    # Every lexeme of the phrase, but not the phrase: the index cannot tell them apart.
    for i in range(3):
        published_article(
            editor, at=now - datetime.timedelta(days=10 + i), headline="提高、高认、认识"
        )
    search = Search("提高认识", [Article.objects.published()], rank_limit=2)
    pages = [search.page(n, per_page=1) for n in range(1, 6)]
    assert [hit.pk for page in pages for hit in page] == [a.pk for a in phrase]
    first = pages[0]
    if connection.vendor == "postgresql":
        # The walk stopped after two matches among the newest rows: 8 × 2/2 estimated.
        assert first.total_is_estimate and first.paginator.count == 8
    else:
        assert not first.total_is_estimate and first.paginator.count == 5
    # Past the end: the last page that has a match.
    last = search.page(7, per_page=1)
    assert last.number == 5 and [hit.pk for hit in last] == [phrase[4].pk]
    # Unbounded, the count is exact.
    assert Search("提高认识", [Article.objects.published()]).hits(0, 20)[1] == 5


@postgresql_only
def test_the_estimate_counts_the_candidates_the_walk_passed_over(editor):
    now = timezone.now()
    lexemes_only = "提高、高认、认识"  # a candidate of the phrase, not a match
    # Newest first: match, candidate, match, candidate, match, candidate.
    for day in range(6):
        headline = lexemes_only if day % 2 else "提高认识"
        published_article(editor, at=now - datetime.timedelta(days=day), headline=headline)
    search = Search("提高认识", [Article.objects.published()], rank_limit=2)
    hits, total = search.hits(0, 1)
    # The walk stopped at its second match, the third of six candidates: 6 × 2/3.
    assert search.total_is_estimate and total == 4
    assert len(hits) == 1


def test_results_page_through_every_match_once(editor):
    for i in range(23):
        published_article(editor, headline=f"第{i}期防汛简报")
    search = Article.objects.published().search("防汛")
    pages = [search.page(n, per_page=10) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [10, 10, 3]
    assert pages[0].paginator.count == 23 and pages[0].paginator.num_pages == 3
    seen = [hit.pk for page in pages for hit in page]
    assert len(set(seen)) == 23
    # Past the end: the last page, as Paginator.get_page() does; before the start: the first.
    assert search.page(99, per_page=10).number == 3
    assert search.page(-1, per_page=10).number == 1


# --- what a query means -------------------------------------------------------------------------


def test_full_width_and_half_width_forms_find_each_other(editor):
    half = published_article(editor, headline="郑东新区CBD新增WiFi热点")
    full = published_article(editor, headline="ＣＢＤ商圈开通ｗｉｆｉ")
    for query in ["cbd", "CBD", "ＣＢＤ", "ｃｂｄ"]:
        assert set(ranked(query)) == {half.pk, full.pk}
    assert set(ranked("ＷｉＦｉ")) == {half.pk, full.pk}


def test_several_words_must_all_match_anywhere_and_quotes_make_a_phrase(editor):
    together = published_article(editor, headline="smart city 建设", body="<p>推进中</p>")
    apart = published_article(editor, headline="city 更新", body="<p>smart 社区</p>")
    assert set(ranked("smart city")) == {together.pk, apart.pk}
    assert ranked('"smart city"') == [together.pk]
    assert ranked("“smart city”") == [together.pk]
    assert set(ranked("乔耸 贾鲁河")) == set()
    both = published_article(editor, headline="乔耸调研", body="<p>来到贾鲁河片区。</p>")
    assert ranked("乔耸 贾鲁河") == [both.pk]


def test_mixed_chinese_and_english_typed_together_is_one_phrase(editor):
    hit = published_article(editor, headline="全区WiFi覆盖率达到98%")
    published_article(editor, headline="WiFi热点", body="<p>覆盖全区。</p>")
    assert ranked("WiFi覆盖") == [hit.pk]
    assert ranked("wifi覆盖率") == [hit.pk]


def test_english_words_match_whole_words_not_inside_others(editor):
    word = published_article(editor, headline="AI 赋能社区治理")
    published_article(editor, headline="PAID 停车", body="<p>SAID 某人</p>")
    assert ranked("AI") == [word.pk]


@postgresql_only
def test_english_is_stemmed_on_postgresql(editor):
    parking = published_article(editor, headline="新增 parking 车位")
    parks = published_article(editor, headline="三座 parks 开放")
    assert set(ranked("park")) == {parking.pk, parks.pk}
    assert set(ranked("parked")) == {parking.pk, parks.pk}


def test_the_parsed_query_cuts_terms_at_spaces_and_drops_control_characters():
    query = Query.parse('  乔耸\x00 贾鲁河\x1b  "smart city" CCD相机 ')
    assert [term.tokens for term in query.terms] == [
        ("乔耸",),
        ("贾鲁河",),
        ("smart", "city"),
        ("ccd", "相机"),
    ]
    assert query.text == '乔耸 贾鲁河 "smart city" CCD相机'
    assert Query.parse("") is None and Query.parse("&|!<->()") is None
    assert len(Query.parse("疫" * 3000).text) == engine.QUERY_MAX_CHARS


HOSTILE = [
    "\x00",
    "\x00乔耸\x00",
    "'",
    '"',
    '"unclosed 乔耸',
    "\\",
    "\\\\'",
    "| & ! ( ) : * < > <-> <2> <N>",
    "乔耸:*",
    "乔耸:A",
    "'乔耸' & '贾鲁河'",
    "(((((",
    "<16384>",
    "'; DROP TABLE articles_article; --",
    "%s %(name)s {0} %%",
    "\x01\x02\x1b[31m\x7f",
    "\u200b\u200e\ufeff",
    "\ud7ff\uffff\U0010ffff",
    "e\u0301\u0301\u0301",
    "区" * 3000,
    "a " * 3000,
    ("x" * 5000) + " 乔耸",
    "the a an of",
    "ＡＢＣ１２３！＆｜",
    ".*",
    "[",
    "(?<!",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_searched_as_text_and_never_raise(editor, query):
    published_article(editor, headline="乔耸到贾鲁河调研", body="<p>abc 123 xxx</p>")
    with transaction.atomic():  # a database error would break the transaction
        Search(query, visible_querysets({}, {})).page(1)
        list(Article.objects.all().matching(query))
        assert Article.objects.exists()


# --- visibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["article", "event", "gallery"])
def test_only_published_items_and_scheduled_ones_whose_time_passed_are_public(editor, model):
    make = {"article": make_article, "event": make_event, "gallery": make_gallery}[model]
    title = "headline" if model == "article" else "title"
    items = {state: make(by=editor, **{title: f"汛情通报 {state}"}) for state in STATES}
    for state, item in items.items():
        put_in_state(item, state, editor)
    expected = {key(items["published"]), key(items["scheduled_live"])}
    assert public("汛情通报") == expected
    # The newsroom's own search (the admin's queryset) sees every state.
    manager = type(items["draft"]).objects
    assert set(manager.all().matching("汛情通报")) == set(items.values())


# --- long articles ------------------------------------------------------------------------------


def test_an_article_longer_than_the_vector_is_found_by_its_end_too(editor):
    filler = "会议强调各部门要统一思想提高认识确保各项工作落到实处。"
    body = filler * (DOCUMENT_MAX_CHARS // len(filler) + 40)
    long = published_article(
        editor, headline="长篇报道", body=f"<p>{body}须水河湿地公园开园，{body[:500]}</p>"
    )
    short = published_article(editor, headline="短讯", body="<p>须水河湿地公园开园。</p>")
    document = SearchDocument.objects.get(model_label="articles.article", object_id=long.pk)
    assert document.is_truncated and len(document.text) > DOCUMENT_MAX_CHARS + 1000
    assert not SearchDocument.objects.get(
        object_id=short.pk, model_label="articles.article"
    ).is_truncated
    assert set(ranked("须水河湿地")) == {long.pk, short.pk}
    assert set(ranked("湿地 长篇报道")) == {long.pk}
    assert ranked("统一思想") == [long.pk]
    if connection.vendor == "postgresql":
        # The vector alone misses it: the text fallback found it.
        in_vector = SearchDocument.objects.filter(
            document=SearchQuery(
                Query.parse("须水河湿地").tsquery, search_type="raw", config="english"
            )
        )
        assert list(in_vector.values_list("object_id", flat=True)) == [short.pk]


# --- documents kept current ---------------------------------------------------------------------


def test_a_save_rewrites_the_document(editor):
    article = published_article(editor, headline="旧标题说的是陇海路")
    assert ranked("陇海路") == [article.pk]
    article.headline = "新标题说的是桐柏路"
    article.save()
    assert ranked("陇海路") == [] and ranked("桐柏路") == [article.pk]


def test_a_workflow_transition_rewrites_the_document_in_its_transaction(editor):
    article = make_article(by=editor, headline="工作简报")
    # update() bypasses save(): the document is stale...
    Article.objects.filter(pk=article.pk).update(body="<p>嵩山路改造完工。</p>")
    assert not Article.objects.all().matching("嵩山路").exists()
    # ...until the next transition, which rewrites it before its transaction commits.
    with transaction.atomic():
        article.publish(by=editor)
        assert ranked("嵩山路") == [article.pk]
    # A transition that fails rolls its document back with it.
    Article.objects.filter(pk=article.pk).update(body="<p>伏牛路改造完工。</p>")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.unpublish(by=editor, reason="核实中")
        raise RuntimeError
    assert not Article.objects.all().matching("伏牛路").exists()


def test_the_documents_of_deleted_items_go_with_them(editor):
    article = published_article(editor, headline="要删除的稿件")
    article.delete()
    assert not SearchDocument.objects.filter(model_label="articles.article").exists()


def test_a_gallery_is_found_by_its_captions(editor):
    gallery = make_gallery(by=editor, title="图集")
    gallery.publish(by=editor)
    photo = make_photo(gallery, caption="市民在紫荆山公园赏花")
    assert public("紫荆山") == {key(gallery)}
    photo.caption = "航拍金水河"
    photo.save()
    assert public("紫荆山") == set() and public("金水河") == {key(gallery)}


def test_people_are_searchable_for_the_newsroom(db):
    person = make_person("木坤坤", affiliation="中原区贾鲁河片区指挥部", title="通讯员")
    assert list(Person.objects.matching("坤坤")) == [person]
    assert list(Person.objects.matching("指挥部")) == [person]
    assert list(Person.objects.matching("张")) == []


def test_plain_text_ends_blocks_but_not_inline_elements():
    assert plain_text("<p>中原</p><p>区委</p>") == "中原\n区委"
    assert plain_text("<p>张<strong>改华</strong>&amp;<em>乔</em>耸</p>") == "张改华&乔耸"
    assert plain_text("<ul><li>一</li><li>二</li></ul>") == "一\n二"


def html_parser_text(markup: str) -> str:
    """plain_text() the slow way, every time: through HTMLParser."""
    parser = newsroom.text._TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


TRICKY_MARKUP = [
    "<P CLASS='x'>Ａ＆ｂ &amp;&lt;&gt;&#20013;&#x4e2d;&nbsp;x &amp y &unknown; &</p>",
    '<p>a<br>b<br/>c<br />d</p><hr>e<h2 id="t">标题</h2>',
    '<a href="https://example.com/?a=1&amp;b=2" rel="noopener">链接</a>后',
    "<p>e\u0301 가\u11a8 ｅ\u0301 ＰＭ２．５</p>",  # combining marks, jamo, full width
    "<table><tbody><tr><td>一</td><td>二</td></tr></tbody></table>",
    "&am<b>p;</b> &#x; &#; &amp",
    # Not plain: a comment, a script, a stray "<", an unquoted attribute, an unknown tag.
    "<!-- <p>注释</p> --><p>x</p>",
    "<script>var a = '<p>';</script><p>y</p>",
    "a < b > c",
    "<p class=x>z</p>",
    '<custom-tag>x</custom-tag><p title="a>b">y</p>',
    "</p >x<p\n>y</p\n>",
]


def test_plain_text_takes_a_fast_path_that_reads_markup_as_html_parser_does():
    assert newsroom.text._simple_text(TRICKY_MARKUP[0]) is not None
    assert newsroom.text._simple_text(TRICKY_MARKUP[6]) is None
    pieces = ["<p>", "</p>", "<strong>", "</strong>", "<br>", "<br/>", '<a href="x">', "</a>"]
    pieces += ["<li>", "<!--", "-->", "<", ">", "&amp;", "&", "&lt;", "&#x4e2d;", "&nbsp;", "&am"]
    pieces += ["p;", "中", "原", "Ａ", "e\u0301", " ", "\n", "\t", "<span class='k'>", "<B>"]
    rng = random.Random(11)
    mixed = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for markup in TRICKY_MARKUP + [m for m in mixed if "<" in m or "&" in m]:
        assert plain_text(markup) == html_parser_text(markup), markup


# --- rebuild_search_index -----------------------------------------------------------------------


def test_rebuild_search_index_catches_up_with_bulk_changes(editor):
    article = published_article(editor, headline="桐柏路")
    Article.objects.filter(pk=article.pk).update(headline="建设路")
    orphan = SearchDocument.objects.create(model_label="articles.article", object_id=999_999)
    bulk = Article.objects.bulk_create(
        [
            Article(
                headline="文化路", slug="wen-hua-lu", status="published", publish_at=timezone.now()
            )
        ]
    )
    assert ranked("建设路") == [] and ranked("文化路") == []

    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=io.StringIO())
    assert ranked("建设路") == [article.pk] and ranked("文化路") == [bulk[0].pk]
    assert not SearchDocument.objects.filter(pk=orphan.pk).exists()
    assert "Rebuilt" in out.getvalue()


def test_rebuild_search_index_fresh_refills_everything(editor):
    article = published_article(editor, headline="桐柏路")
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--fresh", stdout=io.StringIO(), stderr=io.StringIO())
    assert ranked("桐柏路") == [article.pk]
    # The article and the editor's person.
    assert SearchDocument.objects.count() == Article.objects.count() + Person.objects.count() == 2
    call_command(
        "rebuild_search_index",
        "--fresh",
        "--model",
        "articles.article",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert ranked("桐柏路") == [article.pk] and SearchDocument.objects.count() == 2
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'searchdoc_document_gin'")
            assert cursor.fetchone()


def test_rebuild_search_index_refuses_an_unknown_model(db):
    with pytest.raises(CommandError):
        call_command("rebuild_search_index", "--model", "auth.user", stdout=io.StringIO())
