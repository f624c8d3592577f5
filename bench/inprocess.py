"""The public pages rendered in one process with nothing cached, against the bare one-query view.

    .venv/bin/python bench/site.py --modes cold --duration 1 --rounds 1   # fill the database once
    .venv/bin/python bench/inprocess.py                    # CPU ms per page and the ratio
    .venv/bin/python bench/inprocess.py --profile article  # cProfile of one page, top 30

No server, no load generator: Django's test client through the full middleware, page cache
off, against site.py's database. It measures the process's own CPU time (time.process_time,
the median request) and the CPU time of its PostgreSQL backend process (from /proc, over all
the runs: to the clock tick, so give --runs enough requests), so other work on the machine
blurs it much less than a wrk run. The ratio is the one-query view's app + database CPU over
the page's: lower than site.py's, which adds the HTTP server's cost to both. Use it to find
where a cold page spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.site import DEFAULT_DSN, TARGETS, VAR, cpu_seconds  # noqa: E402


def setup(dsn: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="false",
        SECRET_KEY="bench-site-secret-key-not-for-production-0123456789",
        DATABASE_URL=dsn,
        NEWSROOM_VAR_DIR=str(VAR),
        CACHE_URL="locmem://",
        PAGE_CACHE_SECONDS="0",
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.site"
    settings.ALLOWED_HOSTS = ["*"]


def database_cpu_seconds() -> float:
    """The CPU time so far of the PostgreSQL backend serving this process's connection."""
    from django.db import connection

    connection.ensure_connection()
    return cpu_seconds([connection.connection.info.backend_pid])


def cpu_ms(client, url: str, runs: int) -> tuple[float, float]:
    """(the median request's CPU ms in this process, the database's CPU ms a request)."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    database_before = database_cpu_seconds()
    for _ in range(runs):
        start = time.process_time()
        client.get(url)
        times.append((time.process_time() - start) * 1000)
    database = (database_cpu_seconds() - database_before) * 1000 / runs
    return statistics.median(times), database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default=DEFAULT_DSN)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--profile", help="a page name: print its cProfile instead")
    args = parser.parse_args()
    setup(args.dsn)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.site import pages

    client = Client()
    urls = {"one-query": "/_bench/one-query/", **pages("")}
    if args.profile:
        url = urls[args.profile]
        for _ in range(3):
            client.get(url)
        # CPU time, as the figures: waiting for the database is not this process's cost.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.runs):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    # Ten times the runs: the view's database time is a tick or two in a hundred requests.
    bare, bare_database = cpu_ms(client, urls["one-query"], 10 * args.runs)
    print(f"load average {os.getloadavg()[0]:.1f}; CPU ms a request, {args.runs} requests")
    print(f"{'page':<10} {'app ms':>7} {'db ms':>6} {'queries':>8} {'ratio':>6} {'target':>7}")
    print(f"{'one-query':<10} {bare:7.2f} {bare_database:6.2f}")
    for name, url in urls.items():
        if name == "one-query":
            continue
        ms, database = cpu_ms(client, url, args.runs)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        ratio = (bare + bare_database) / (ms + database)
        target = TARGETS[name]
        mark = "ok" if ratio >= target else "MISS"
        print(
            f"{name:<10} {ms:7.2f} {database:6.2f} {len(queries):8d} {ratio:6.2f} {target:7.2f}"
            f" {mark}"
        )


if __name__ == "__main__":
    main()
