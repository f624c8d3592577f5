"""The content API's list and detail endpoints, against the bare one-query view, in one run.

    .venv/bin/python bench/api.py                  # fill its database once, then measure
    .venv/bin/python bench/api.py --articles 500 --runs 20

In one process, through the full middleware (as bench/inprocess.py does): Django's test
client, DEBUG off, no page cache (the API is never page-cached), a PostgreSQL database of its
own filled like bench/site.py's (the demo newsroom plus generated published articles with
bylines, tags and lead photos). It measures the process's CPU time per request
(time.process_time; the database's own CPU is not counted) and prints each endpoint beside
the bare view /_bench/one-query/ (one indexed query, a 20-item list), as the ratio
bare / endpoint: 1.0 would be as cheap as the bare view. Queries per request are printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.site import VAR, bench_env, ensure_database, fill  # noqa: E402

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/newsroom_bench_api"


def setup(dsn: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="false",
        SECRET_KEY="bench-api-secret-key-not-for-production-0123456789abcdef",
        DATABASE_URL=dsn,
        NEWSROOM_VAR_DIR=str(VAR),
        CACHE_URL="locmem://",
        PAGE_CACHE_SECONDS="0",
        LOG_LEVEL="ERROR",
        API_THROTTLE_ANON="1000000/minute",
        API_THROTTLE_TOKEN="1000000/minute",
    )
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.site"
    settings.ALLOWED_HOSTS = ["*"]


def is_filled(dsn: str, articles: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(dsn) as conn:
            row = conn.execute(
                "SELECT count(*) FROM articles_article WHERE status = 'published'"
            ).fetchone()
    except psycopg.Error:
        return False
    return row[0] >= articles


def cpu_ms(client, url: str, runs: int, **headers) -> float:
    for _ in range(3):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.process_time()
        client.get(url, **headers)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default=DEFAULT_DSN)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    ensure_database(args.dsn)
    if not is_filled(args.dsn, args.articles):
        print(f"filling {args.dsn} with {args.articles} articles (once)…", flush=True)
        fill(bench_env(args.dsn, 8000, False, "locmem://"), args.articles)
    setup(args.dsn)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    # A story with bylines, tags and a lead photo: the detail at its fullest.
    article = (
        Article.objects.published()
        .filter(lead_photo__isnull=False, tags__isnull=False)
        .order_by("-publish_at")
        .first()
    ) or Article.objects.published().order_by("-publish_at").first()
    client = Client()
    ninjs = {"HTTP_ACCEPT": "application/ninjs+json"}
    endpoints = {
        "list (20)": ("/api/v1/articles/", {}),
        "list ninjs": ("/api/v1/articles/", ninjs),
        "list (100)": ("/api/v1/articles/?page_size=100", {}),
        "detail": (f"/api/v1/articles/{article.pk}/", {}),
        "detail ninjs": (f"/api/v1/articles/{article.pk}/", ninjs),
    }
    bare = cpu_ms(client, "/_bench/one-query/", args.runs)
    print(f"load average {os.getloadavg()[0]:.1f}; median CPU ms of {args.runs} requests")
    print(f"{'endpoint':<14} {'ms':>7} {'queries':>8} {'ratio':>6}")
    print(f"{'one-query':<14} {bare:7.2f} {1:8d} {1:6.2f}")
    for name, (url, headers) in endpoints.items():
        ms = cpu_ms(client, url, args.runs, **headers)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **headers)
        print(f"{name:<14} {ms:7.2f} {len(queries):8d} {bare / ms:6.2f}")


if __name__ == "__main__":
    main()
