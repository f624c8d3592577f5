"""Search over 100,000 generated Chinese articles, through the real engine and the real view.

    .venv/bin/python bench/search.py                     # fill once (reused later), measure
    .venv/bin/python bench/search.py --fresh             # drop the database and fill it again
    .venv/bin/python bench/search.py --articles 20000 --per-length 10 --runs 3

It uses its own PostgreSQL database (newsroom_searchbench, created if missing), migrated with
the project's settings. The articles come from the research engineer's seeded corpus generator
(bench/search_compare.py: district news with names, places, policy terms, some English and
full-width forms), bulk_created (95 % published over three years), so no document exists until
`rebuild_search_index --fresh` builds them all: that is the timed index build (every vector
through the SQL tokeniser, then the GIN index). Then, for queries of one to six Chinese
characters cut from the articles (and English words), it times in this process:

  engine  newsroom.search.engine.Search(...).page(1) over the view's own querysets, with
          highlighting: everything the view does but the template;
  view    GET /search/?q=… through django.test.Client (middleware, filters, template);

beside two floors measured in the same run: a bare query (20 published articles by
publish_at, one indexed query) and a bare view (one query by primary key and a one-line
template, /bare/<pk>/ from bench/admin_changelist.py). It checks recall on a sample (the
engine's count against LIKE over headline and body), prints sizes, the load average, and
EXPLAIN ANALYZE of the search statement for the most common and a rare query. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.admin_changelist import (  # noqa: E402
    configure_django,
    install_urlconf,
    pad,
    prepare_database,
)
from bench.search_compare import Corpus  # noqa: E402

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/newsroom_searchbench"
BATCH = 2000
SECTIONS = ["要闻", "时政", "经济", "社区", "教育", "文化", "体育", "健康", "评论", "图片"]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} CPUs"


def fill(target: int, seed: int) -> None:
    """bulk_create articles from the corpus until the database holds `target` of them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from articles.models import Article, Section

    have = Article.objects.count()
    if have >= target:
        print(f"fill: skipped, the database already holds {have:,} articles")
        return
    sections = [
        Section.objects.get_or_create(name=name, defaults={"order": i})[0]
        for i, name in enumerate(SECTIONS)
    ]
    corpus = Corpus(seed)
    for _ in range(have):  # the same articles as a fill from zero would make
        corpus.article()
    rng = random.Random(seed + have)
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")  # a throw-away database
    serial = have
    while serial < target:
        articles = []
        for _ in range(min(BATCH, target - serial)):
            headline, body = corpus.article()
            published = rng.random() < 0.95
            # Older articles first, so that primary key and publish_at roughly agree.
            at = now - timedelta(days=3 * 365 * (1 - serial / target), seconds=rng.uniform(0, 3600))
            articles.append(
                Article(
                    headline=headline[:200],
                    slug=f"bench-{serial}",
                    body="".join(f"<p>{p}</p>" for p in body.split("\n")),
                    word_count=len(body),
                    section=rng.choice(sections),
                    status="published" if published else "draft",
                    publish_at=at if published else None,
                    first_published_at=at if published else None,
                    last_published_at=at if published else None,
                    created_at=at,
                    updated_at=at,
                )
            )
            serial += 1
        with transaction.atomic():
            Article.objects.bulk_create(articles)
        if serial % 20_000 < BATCH or serial == target:
            print(f"  {serial:,} articles, {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")
    print(f"fill: {target - have:,} articles in {time.perf_counter() - started:.0f} s")


def build_index(jobs: int) -> dict:
    """rebuild_search_index --fresh --jobs N, timed; then the sizes."""
    from django.db import connection

    from newsroom.search.rebuild import rebuild

    print(f"index build starts, load average {load()}", flush=True)
    report = rebuild(fresh=True, batch_size=500, jobs=jobs, progress=False)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE newsroom_searchdocument")
        cursor.execute(
            """SELECT pg_total_relation_size('newsroom_searchdocument'),
                      pg_relation_size('searchdoc_document_gin'),
                      sum(pg_column_size(document)), sum(pg_column_size(text)),
                      count(*) FILTER (WHERE is_truncated), count(*)
               FROM newsroom_searchdocument"""
        )
        total, gin, vectors, texts, truncated, documents = cursor.fetchone()
    mb = 1024 * 1024
    return {
        "documents": documents,
        "documents_s": report.documents_s,
        "index_s": report.index_s,
        "table_mb": total / mb,
        "gin_mb": gin / mb,
        "vector_mb": vectors / mb,
        "text_mb": texts / mb,
        "truncated": truncated,
    }


def pick_queries(per_length: int, seed: int) -> dict[str, list[str]]:
    """Per length 1–6: Chinese strings cut from published articles (names, places and policy
    terms from the corpus where they have that length); and English words."""
    from articles.models import Article

    rng = random.Random(seed)
    corpus = Corpus(seed)
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(ids, min(400, len(ids)))
    sample = list(Article.objects.filter(pk__in=chosen).values_list("headline", "body"))
    runs = [
        run for headline, body in sample for run in re.findall(r"[\u4e00-\u9fff]+", headline + body)
    ]
    named = corpus.names[:200] + corpus.places[:200]
    by_length: dict[str, list[str]] = {}
    for size in range(1, 7):
        queries = [q for q in dict.fromkeys(named) if len(q) == size][: per_length // 2]
        if size == 1:
            queries = ["区"]  # in every article: the bounded ranking's worst case
        while len(queries) < per_length:
            run = rng.choice(runs)
            if len(run) >= size:
                start = rng.randrange(len(run) - size + 1)
                queries.append(run[start : start + size])
        by_length[f"{size} char"] = list(dict.fromkeys(queries))
    by_length["English"] = ["WiFi", "ＡＰＰ", "parking", "GDP", "hotline", "5G", "data", "smart"]
    return by_length


def timed(fn, runs: int) -> list[float]:
    fn()  # warm: plans, caches, buffers
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ]


def engine_page(query: str):
    from articles.search_page import LOAD, visible_querysets
    from newsroom.search.engine import Search

    page = Search(query, visible_querysets({}, {}), load=LOAD).page(1)
    for hit in page:  # what the template shows
        hit.title_html, hit.snippet_html  # noqa: B018
    return page


def recall_check(queries: list[str]) -> list[str]:
    """The engine's exact count against LIKE over headline and body (exact for Chinese
    strings: the corpus's Chinese needs no normalising). Returns the queries that differ."""
    from django.db.models import Q

    from articles.models import Article
    from articles.search_page import visible_querysets
    from newsroom.search.engine import Search

    wrong = []
    for query in queries:
        expected = (
            Article.objects.published()
            .filter(Q(headline__contains=query) | Q(body__contains=query))
            .count()
        )
        # A window as large as the superset: every match verified, the count exact.
        search = Search(query, visible_querysets({}, {}), rank_limit=10**9)
        got = search.hits(0, 1)[1]
        if got != expected:
            wrong.append(f"{query}: engine {got}, LIKE {expected}")
    return wrong


def explain(query: str) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from newsroom.search.engine import no_seqscan

    with CaptureQueriesContext(connection) as captured:
        engine_page(query)
    statement = next(
        q["sql"] for q in captured.captured_queries if "superset AS MATERIALIZED" in q["sql"]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        no_seqscan(connection.alias)  # the engine's own SET LOCALs
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement)
        plan = [row[0] for row in cursor.fetchall()]
    print(f"\nEXPLAIN ANALYZE of the search statement for {query!r}:")
    for line in plan:
        print("  " + line)


def run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    print(f"start, load average {load()}")
    prepare_database(args.dsn, args.fresh)
    configure_django(args.dsn)

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings

    from articles.models import Article
    from newsroom.search.documents import SearchDocument

    call_command("migrate", verbosity=0)
    fill(args.articles, args.seed)
    if args.reuse_index and SearchDocument.objects.count() >= Article.objects.count():
        index = None
        print("index: reused (--reuse-index)")
    else:
        index = build_index(args.jobs)

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    queries = pick_queries(args.per_length, args.seed)
    rows = []
    print(f"queries start, load average {load()}", flush=True)
    # PAGE_CACHE_SECONDS=0: every request renders (a cached page would measure the cache).
    with override_settings(ROOT_URLCONF=install_urlconf(), STORAGES=storages, PAGE_CACHE_SECONDS=0):
        client = Client()
        middle = Article.objects.order_by("pk").values_list("pk", flat=True)[
            Article.objects.count() // 2
        ]

        def bare_query():
            list(Article.objects.published().latest_first().values_list("pk", "headline")[:20])

        floors = {
            "bare query": timed(bare_query, args.runs * 10),
            "bare view": timed(lambda: client.get(f"/bare/{middle}/"), args.runs * 10),
        }
        per_query = []  # (kind, matches, engine times) for the breakdown by matches
        for kind, group in queries.items():
            engine_times, view_times, matches, estimated = [], [], [], 0
            for query in group:
                times = timed(lambda q=query: engine_page(q), args.runs)
                engine_times += times
                view_times += timed(lambda q=query: client.get("/search/", {"q": q}), args.runs)
                page = engine_page(query)
                matches.append(page.paginator.count)
                estimated += page.total_is_estimate
                per_query.append((kind, page.paginator.count, times))
            rows.append((kind, group, engine_times, view_times, matches, estimated))
        # Again at the end: the machine's load drifts.
        floors["bare query"] += timed(bare_query, args.runs * 10)
        floors["bare view"] += timed(lambda: client.get(f"/bare/{middle}/"), args.runs * 10)

    recall_sample = [q for kind, group, *_ in rows if kind != "English" for q in group[:3]]
    wrong = recall_check(recall_sample)

    print(f"\n=== search over {Article.objects.count():,} articles "
          f"({Article.objects.published().count():,} published) ===")  # fmt: skip
    if index:
        print(
            f"index build (rebuild_search_index --fresh --jobs {args.jobs}): vectors for {index['documents']:,} "
            f"documents {index['documents_s']:.0f} s, GIN index {index['index_s']:.0f} s"
        )
        print(
            f"sizes: search table {index['table_mb']:.0f} MB in all; vectors {index['vector_mb']:.0f} MB"
            f" ({index['vector_mb'] * 1024 / index['documents']:.1f} KB a document); GIN index "
            f"{index['gin_mb']:.0f} MB; normalised text {index['text_mb']:.0f} MB; "
            f"{index['truncated']} documents longer than the vector"
        )
    bare_q, bare_v = (percentiles(floors[k])[0] for k in ("bare query", "bare view"))
    print(f"\nload average at the end: {load()}; {args.runs} timed runs a query after one warm-up")
    print(f"{'queries':<10} {'n':>3} {'matches (median)':>17} {'engine p50':>11} {'p95':>7} "
          f"{'view p50':>9} {'p95':>7} {'view ÷ bare view':>17}")  # fmt: skip
    for label in ("bare query", "bare view"):
        p50, p95 = percentiles(floors[label])
        print(f"{pad(label, 10)} {'':>3} {'':>17} {p50:>11.1f} {p95:>7.1f}")
    for kind, group, engine_times, view_times, matches, estimated in rows:
        e50, e95 = percentiles(engine_times)
        v50, v95 = percentiles(view_times)
        print(f"{pad(kind, 10)} {len(group):>3} {statistics.median(matches):>17,.0f} {e50:>11.1f} "
              f"{e95:>7.1f} {v50:>9.1f} {v95:>7.1f} {v50 / bare_v:>17.1f}"
              f"{f'  ({estimated} counts estimated)' if estimated else ''}")  # fmt: skip
    print(f"(ms; bare query p50 {bare_q:.1f}, bare view p50 {bare_v:.1f})")
    print("\nthe Chinese queries by number of matches (engine, ms):")
    buckets = [("< 1,000", 0, 1000), ("1,000–10,000", 1000, 10_000), ("> 10,000", 10_000, 10**9)]
    for label, low, high in buckets:
        chosen = [(m, t) for kind, m, t in per_query if kind != "English" and low <= m < high]
        if chosen:
            p50, p95 = percentiles([x for _, ts in chosen for x in ts])
            print(f"  {pad(label, 14)} {len(chosen):>3} queries  p50 {p50:>7.1f}  p95 {p95:>7.1f}")
    print(
        f"\nrecall: {len(recall_sample) - len(wrong)} of {len(recall_sample)} sampled queries "
        "match LIKE over headline and body exactly" + ("" if not wrong else ": " + "; ".join(wrong))
    )
    explain("区")
    rare = min(
        (count, query)
        for kind, group, _, _, matches, _ in rows
        if kind != "English"
        for query, count in zip(group, matches, strict=True)
        if count
    )[1]
    explain(rare)
    print(f"\ntotal: {time.perf_counter() - started:.0f} s, load average {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default=DEFAULT_DSN, help=f"default {DEFAULT_DSN}")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--per-length", type=int, default=12, help="queries of each length")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument(
        "--reuse-index", action="store_true", help="skip the index build if documents exist"
    )
    parser.add_argument("--jobs", type=int, default=2, help="rebuild_search_index --jobs")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
