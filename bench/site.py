"""The public site's throughput under the production set-up, against two bare Django views.

    .venv/bin/python bench/site.py                 # fill (once), serve, load, print the table
    .venv/bin/python bench/site.py --duration 3 --articles 2000

It serves the site as `make serve` does (gunicorn, DEBUG off, collected and compressed
static files) from a PostgreSQL database of its own, filled with the demo newsroom plus
generated articles, events, galleries and photos, and loads it with `wrk` over loopback.

Two bare views run in the same gunicorn processes, through the same settings and
middleware: /_bench/one-query/ runs one indexed query and renders a 20-item list with a
short template; /_bench/template/ renders a constant 30 KB template. They are the floor
against which pages are compared. Gunicorn imports this module as its WSGI application
(`bench.site:application`), which mounts them beside `newsroom.urls`.

The site is loaded three ways, each by a fresh gunicorn with the options of `make serve`
(--preload included) and a Redis server of its own (so that its CPU time is the bench's
alone): cold (PAGE_CACHE_SECONDS=0: every request fetches and renders all of its page, as
after any edit or for a page read once by a crawler), cached (the page cache on, warmed first)
and proxy (Varnish with deploy/varnish/newsroom.vcl in front of the cached server, pages
loaded through it; the bare views are loaded on gunicorn itself). The bare views are
measured on each server, in turns with the pages: every URL is loaded once a round, for
--rounds rounds, and each figure is the median of its rounds. It prints requests/s, p99
latency and the CPU milliseconds per request of the gunicorn workers plus the Redis server
plus Varnish (utime + stime from /proc, before and after each run), and each worker's
resident memory after the warm-up.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-site"
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/newsroom_bench_site"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
MARKER = "bench-site-"  # slug prefix of generated content

TARGETS = {  # page, nothing cached: least ratio to the one-query view
    "article": 0.30,
    "section": 0.25,
    "home": 0.15,
    "search": 0.15,
    "gallery": 0.30,
    "event": 0.30,
}
CACHED_TARGET = ("template-30k", 0.90)
MEMORY_TARGET_MIB = 106


# --- the WSGI side: what gunicorn imports -----------------------------------------------

BIG_TEMPLATE = (
    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>30 KB</title></head><body>'
    + "".join(
        f'<p class="para">第{n}段：中原区召开网上政务服务能力提升工作推进会，会议要求各单位提高认识、压实责任。</p>\n'
        for n in range(1, 300)
    )
)
# 30 KB of UTF-8, as a long article page weighs.
BIG_TEMPLATE = BIG_TEMPLATE.encode()[: 30 * 1024 - 14].decode(errors="ignore") + "</body></html>"
LIST_TEMPLATE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>list</title></head><body><ul>'
    '{% for a in articles %}<li><a href="/articles/{{ a.slug }}/">{{ a.headline }}</a></li>{% endfor %}'
    "</ul></body></html>"
)


def compiled(source: str):
    """A template compiled once per process, as the template loaders' cache does for files."""
    from django.template import engines

    if source not in _COMPILED:
        _COMPILED[source] = engines["django"].from_string(source)
    return _COMPILED[source]


_COMPILED: dict = {}


def one_query_view(request):
    from django.http import HttpResponse

    from articles.models import Article

    # One query on article_status_publish_idx (status, publish_at).
    articles = (
        Article.objects.filter(status="published")
        .order_by("-publish_at")
        .values("slug", "headline")[:20]
    )
    return HttpResponse(compiled(LIST_TEMPLATE).render({"articles": articles}, request))


def template_view(request):
    from django.http import HttpResponse

    return HttpResponse(compiled(BIG_TEMPLATE).render({}, request))


def __getattr__(name):
    """`urlpatterns` (this module is the bench server's ROOT_URLCONF) and `application`."""
    if name == "urlpatterns":
        from django.urls import include, path

        return [
            path("_bench/one-query/", one_query_view),
            path("_bench/template/", template_view),
            path("", include("newsroom.urls")),
        ]
    if name == "application":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application

        from newsroom import caching

        settings.ROOT_URLCONF = "bench.site"
        # The bare views stay bare in the cached server too: the page cache passes them by.
        caching.SKIPPED_PREFIXES = (*caching.SKIPPED_PREFIXES, "/_bench/")
        app = get_wsgi_application()
        globals()["application"] = app
        return app
    raise AttributeError(name)


# --- the driver side ---------------------------------------------------------------------


def bench_env(dsn: str, port: int, cached: bool, redis_url: str, proxy_port: int = 0) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CACHE_", "PAGE_CACHE", "STATIC_", "MEDIA_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="false",
        SECRET_KEY="bench-site-secret-key-not-for-production-0123456789",
        DATABASE_URL=dsn,
        NEWSROOM_VAR_DIR=str(VAR),
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="ERROR",
        CACHE_URL=redis_url,
        PAGE_CACHE_SECONDS="300" if cached else "0",
        HTTP_CACHE_SECONDS="300" if proxy_port else "0",
        HTTP_CACHE_PURGE_URLS=f"http://127.0.0.1:{proxy_port}/" if proxy_port else "",
        PYTHONPATH=str(ROOT),
    )
    return env


def ensure_database(dsn: str) -> None:
    import psycopg

    name = dsn.rsplit("/", 1)[1]
    with psycopg.connect(dsn.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def fill(env: dict, articles: int) -> None:
    """Migrate, load the demo newsroom, generate content (once), collect static files."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    code = f"import bench.site as b; b.generate({articles})"
    subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    manage(env, "collectstatic", "--noinput", "-v", "0")


def generate(articles: int) -> None:
    """Generated content beside the demo: people, tags, galleries with photos, events, and
    `articles` published articles with bylines, tags and lead photos. Skipped when present."""
    import datetime
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles.management.commands.load_demo import demo_image
    from articles.models import (
        Article,
        ArticleByline,
        Event,
        Gallery,
        GalleryByline,
        Photo,
        Section,
    )
    from people.models import Person, Role

    have = Article.objects.filter(slug__startswith=MARKER).count()
    if have >= articles:
        print(f"bench database: {have} generated articles already there")
        index_for_search()
        settle()
        return
    rng = random.Random(7)
    now = timezone.now()
    sections = list(Section.objects.all())
    with transaction.atomic():
        people = [
            Person.objects.get_or_create(
                slug=f"{MARKER}p{n}", defaults={"display_name": f"记者{n:02d}", "title": "记者"}
            )[0]
            for n in range(30)
        ]
        tags = [
            Tag.objects.get_or_create(name=f"话题{n:02d}", defaults={"slug": f"{MARKER}t{n}"})[0]
            for n in range(20)
        ]
        photos = []
        for g in range(20):
            gallery, created = Gallery.objects.get_or_create(
                slug=f"{MARKER}g{g}",
                defaults={
                    "title": f"图集第{g + 1}组",
                    "section": rng.choice(sections),
                    "description": "现场图片。",
                },
            )
            if created:
                for n in range(4):
                    photo = Photo(
                        gallery=gallery, order=n, caption=f"图集{g + 1}第{n + 1}张", alt_text="现场"
                    )
                    colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
                    photo.image.save(
                        f"bench-{g}-{n}.jpg", demo_image(colour, f"bench {g}-{n}"), save=False
                    )
                    photo.save()
                GalleryByline.objects.create(
                    gallery=gallery, person=rng.choice(people), role=Role.PHOTOGRAPHER
                )
                published = now - datetime.timedelta(days=g)
                Gallery.objects.filter(pk=gallery.pk).update(
                    status="published",
                    publish_at=published,
                    first_published_at=published,
                    last_published_at=published,
                )
            photos += list(gallery.photos.all())
        if not Event.objects.filter(slug__startswith=MARKER).exists():
            events = []
            for n in range(300):
                starts = now + datetime.timedelta(
                    days=rng.randint(-200, 100), hours=rng.randint(8, 18)
                )
                events.append(
                    Event(
                        title=f"活动{n}",
                        slug=f"{MARKER}e{n}",
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=3),
                        venue="中原区文化馆",
                        organiser="中原区委宣传部",
                        description="<p>活动介绍。</p>" * 5,
                        status="published",
                        publish_at=now - datetime.timedelta(days=300),
                        first_published_at=now - datetime.timedelta(days=300),
                    )
                )
            Event.objects.bulk_create(events)

        paragraph = "<p>中原区召开网上政务服务能力提升工作推进会。会议强调，要进一步提高认识，压实责任，推动政务服务“一网通办”，让群众少跑腿、好办事。</p>"
        batch, bylines, tagged = [], [], []
        for n in range(have, articles):
            published = now - datetime.timedelta(minutes=37 * n + 5)
            body = paragraph * rng.randint(6, 14)
            batch.append(
                Article(
                    headline=f"中原区推进政务服务能力提升 第{n}期",
                    slug=f"{MARKER}a{n}",
                    kicker="本报讯",
                    summary="中原区召开网上政务服务能力提升工作推进会，推动政务服务“一网通办”。",
                    body=body,
                    word_count=len(body),
                    section=rng.choice(sections),
                    lead_photo=rng.choice(photos),
                    status="published",
                    publish_at=published,
                    first_published_at=published,
                    last_published_at=published,
                )
            )
        Article.objects.bulk_create(batch, batch_size=500)
        made = list(Article.objects.filter(slug__startswith=MARKER, bylines__isnull=True))
        article_type = ContentType.objects.get_for_model(Article)
        for article in made:
            for order, person in enumerate(rng.sample(people, rng.randint(1, 2))):
                role = Role.REPORTER if order == 0 else Role.CORRESPONDENT
                bylines.append(
                    ArticleByline(article=article, person=person, role=role, order=order)
                )
            for tag in rng.sample(tags, rng.randint(0, 2)):
                tagged.append(TaggedItem(tag=tag, content_type=article_type, object_id=article.pk))
        ArticleByline.objects.bulk_create(bylines, batch_size=1000)
        TaggedItem.objects.bulk_create(tagged, batch_size=1000)
    print(f"bench database: generated {len(batch)} articles, 300 events, 20 galleries of 4 photos")
    index_for_search()
    settle()


def settle() -> None:
    """The database as autovacuum keeps a live site's: statistics current, and the visibility
    map set, without which PostgreSQL's index-only scans read the table anyway."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def index_for_search() -> None:
    """The search documents of what bulk_create made (it sends no signals), so that the
    search page's query matches every generated story, as it would in a paper's archive."""
    from articles.models import Article
    from newsroom.search.models import SearchDocument
    from newsroom.search.rebuild import rebuild

    documents = SearchDocument.objects.filter(model_label="articles.article").count()
    if documents < Article.objects.count():
        rebuild(jobs=2, progress=False)
        print(f"bench database: search documents built ({SearchDocument.objects.count()})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log) -> subprocess.Popen:
    # The options of `make serve`, with this module as the WSGI application.
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "bench.site:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--preload",
        "--access-logfile",
        "-",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise SystemExit("gunicorn did not start; see " + log.name)
    return process


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Varnish's manager and its cache process)."""
    pids = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        pids += process_tree(int(child))
    return pids


def memory_mib(pid: int) -> tuple[float, float]:
    """A process's resident memory and its proportional share of it (PSS: pages shared with
    the gunicorn master and the other workers, as --preload leaves them, count in part)."""
    sizes = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            sizes[name] = int(rest.split()[0]) / 1024
    return sizes.get("Rss", 0.0), sizes.get("Pss", 0.0)


def start_redis(port: int, log) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    wait_for_port(port, process, "redis-server")
    return process


def start_varnish(port: int, backend_port: int, log) -> subprocess.Popen:
    vcl = VAR / "newsroom.vcl"
    source = (ROOT / "deploy" / "varnish" / "newsroom.vcl").read_text()
    vcl.write_text(source.replace('.port = "8000"', f'.port = "{backend_port}"'))
    command = ["varnishd", "-F", "-f", str(vcl), "-a", f"127.0.0.1:{port}", "-T", "none"]
    command += ["-n", str(VAR / "varnish"), "-s", "malloc,256m"]
    if os.geteuid() == 0:
        command += ["-j", "none"]
    process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
    wait_for_port(port, process, "varnishd")
    return process


def wait_for_port(port: int, process: subprocess.Popen, name: str) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{name} did not start")


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def fetch(url: str, headers: dict | None = None):
    import urllib.request

    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def wrk(url: str, duration: int, threads: int, connections: int, pids: list[int]) -> dict:
    before = cpu_seconds(pids)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = cpu_seconds(pids) - before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99": float(p99.group(1)) * scale,
        "cpu_ms": 1000 * cpu / max(requests, 1),
        "errors": int(errors.group(1)) if errors else 0,
    }


def pages(base: str) -> dict[str, str]:
    """One URL of each kind, picked from the bench database through the site itself."""
    import django

    django.setup()
    from articles.models import Article, Event, Gallery, Section

    article = Article.objects.published().filter(slug__startswith=MARKER).latest_first().first()
    section = Section.objects.order_by("order").first()
    gallery = Gallery.objects.published().filter(slug__startswith=MARKER).latest_first().first()
    event = Event.objects.published().filter(slug__startswith=MARKER).order_by("-starts_at").first()
    return {
        "home": f"{base}/",
        "search": f"{base}/search/?q=%E4%B8%AD%E5%8E%9F%E5%8C%BA",  # 中原区: every story
        "section": f"{base}{section.get_absolute_url()}",
        "article": f"{base}{article.get_absolute_url()}",
        "gallery": f"{base}{gallery.get_absolute_url()}",
        "event": f"{base}{event.get_absolute_url()}",
    }


def check_static(base: str, html: bytes) -> str:
    """`make serve` semantics: hashed names in the HTML, served compressed and cached for long."""
    match = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    if not match:
        return "FAIL: the page does not link a hashed site.css"
    status, headers, body = fetch(base + match.group(1).decode(), {"Accept-Encoding": "gzip, br"})
    encoding = headers.get("Content-Encoding", "none")
    cache_control = headers.get("Cache-Control", "")
    ok = status == 200 and encoding in ("gzip", "br") and "immutable" in cache_control
    return f"{'ok' if ok else 'FAIL'}: {match.group(1).decode()} {status}, Content-Encoding {encoding}, Cache-Control {cache_control}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dsn", default=DEFAULT_DSN, help="the bench database (created if missing)"
    )
    parser.add_argument(
        "--redis", default=DEFAULT_REDIS, help="the cache of the cached runs (flushed first)"
    )
    parser.add_argument(
        "--articles", type=int, default=3000, help="generated articles beside the demo"
    )
    parser.add_argument("--duration", type=int, default=3, help="seconds of each wrk run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="wrk runs of each URL, taken in turns (median)"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    parser.add_argument(
        "--modes",
        default="cold,cached,proxy",
        help="which servers to load, comma-separated (default: all three)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench-deps` (Debian's wrk package)")

    VAR.mkdir(parents=True, exist_ok=True)
    ensure_database(args.dsn)
    port, redis_port, proxy_port = free_port(), free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    log = open(VAR / "gunicorn.log", "w")  # noqa: SIM115
    redis_server = start_redis(redis_port, log)
    try:
        cold_env = bench_env(args.dsn, port, False, redis_url)
        fill(cold_env, args.articles)
        os.environ.update(cold_env)
        sys.path.insert(0, str(ROOT))
        urls = pages(base)
        results, memory, static_line = run_modes(
            args, base, urls, redis_server, log, ports=(port, proxy_port), redis_url=redis_url
        )
    finally:
        stop(redis_server)
        log.close()
    report(results, memory, args, static_line)


def run_modes(args, base, urls, redis_server, log, ports, redis_url):
    port, proxy_port = ports
    results: dict[tuple[str, str], dict] = {}
    memory: dict[str, list[float]] = {}
    static_line = ""
    bare = {"one-query": f"{base}/_bench/one-query/", "template-30k": f"{base}/_bench/template/"}
    modes = {
        "cold": bench_env(args.dsn, port, False, redis_url),
        "cached": bench_env(args.dsn, port, True, redis_url),
        "proxy": bench_env(args.dsn, port, True, redis_url, proxy_port=proxy_port),
    }
    proxied = {
        name: url.replace(base, f"http://127.0.0.1:{proxy_port}") for name, url in urls.items()
    }
    for mode, env in modes.items():
        if mode not in args.modes.split(","):
            continue
        server = start_gunicorn(env, port, args.workers, log)
        varnish = start_varnish(proxy_port, port, log) if mode == "proxy" else None
        try:
            targets = {**bare, **(proxied if varnish else urls)}
            for name, url in targets.items():
                status, headers, body = fetch(url)  # warm up: the caches, connections
                for _ in range(3):
                    fetch(url)
                if name == "home" and not static_line:
                    static_line = check_static(base, body)
                if mode == "cached" and name not in bare:
                    assert fetch(url)[1].get("X-Page-Cache") == "hit", (
                        f"{url} is not served from the cache"
                    )
                if mode == "proxy" and name not in bare:
                    assert fetch(url)[1].get("X-Cache") == "HIT", f"{url} is not kept by Varnish"
                results[(mode, name)] = {"bytes": len(body)}
            workers = worker_pids(server.pid)
            memory[mode] = [memory_mib(pid) for pid in workers]
            pids = workers + [redis_server.pid] + (process_tree(varnish.pid) if varnish else [])
            # Pages and bare views take turns, round after round, and each figure is the
            # median of its rounds: the machine's load drifts during a run, and a ratio
            # should compare a page with the floor measured beside it, not minutes before.
            runs = {name: [] for name in targets}
            for _ in range(args.rounds):
                for name, url in targets.items():
                    runs[name].append(wrk(url, args.duration, args.threads, args.connections, pids))
            for name, measured in runs.items():
                results[(mode, name)].update(
                    {
                        field: statistics.median(run[field] for run in measured)
                        for field in ("rps", "p99", "cpu_ms")
                    },
                    errors=sum(run["errors"] for run in measured),
                )
        finally:
            if varnish:
                stop(varnish)
            stop(server)
    return results, memory, static_line


def report(results: dict, memory: dict, args, static_line: str) -> None:
    """The table. A ratio is the page's requests/s over its baseline's on the same server; the
    CPU ratio (baseline CPU ms over the page's, the CPU of gunicorn, Redis and Varnish
    counted) says the same with less noise on a busy machine."""
    load = os.getloadavg()
    print(
        f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, median of {args.rounds} rounds, gunicorn --workers {args.workers} --preload, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    print(
        f"{'page':<14}{'mode':<8}{'req/s':>8}{'p99 ms':>9}{'CPU ms/req':>11}{'KB':>6}  {'ratio':>6}{'CPU ratio':>10}  baseline, target"
    )
    missed = []
    for (mode, name), r in results.items():
        errors = f"  {r['errors']} errors" if r["errors"] else ""
        row = f"{name:<14}{mode:<8}{r['rps']:>8.0f}{r['p99']:>9.1f}{r['cpu_ms']:>11.2f}{r['bytes'] / 1024:>6.1f}"
        if name in ("one-query", "template-30k"):
            print(f"{row}  {'':>6}{'':>10}  (baseline){errors}")
            continue
        if mode == "cold":
            baseline, least = "one-query", TARGETS.get(name)
        else:
            baseline, least = CACHED_TARGET[0], CACHED_TARGET[1] if mode == "cached" else None
        floor = results[(mode, baseline)]
        ratio, cpu_ratio = r["rps"] / floor["rps"], floor["cpu_ms"] / r["cpu_ms"]
        verdict = ""
        if least is not None:
            met = ratio >= least
            verdict = f", ≥ {least}: {'met' if met else 'MISSED'}"
            if not met:
                missed.append(f"{mode} {name}")
        print(f"{row}  {ratio:>5.2f}×{cpu_ratio:>9.2f}×  {baseline}{verdict}{errors}")
    for mode, sizes in memory.items():
        largest = max((rss for rss, _ in sizes), default=0)
        verdict = "met" if largest <= MEMORY_TARGET_MIB else "MISSED"
        if largest > MEMORY_TARGET_MIB:
            missed.append(f"{mode} memory")
        print(
            f"worker memory after warm-up ({mode}): RSS "
            + ", ".join(f"{rss:.0f}" for rss, _ in sizes)
            + " MiB (PSS "
            + ", ".join(f"{pss:.0f}" for _, pss in sizes)
            + f"), RSS ≤ {MEMORY_TARGET_MIB}: {verdict}"
        )
    print(f"\nstatic files: {static_line}")
    print("targets: " + ("all met" if not missed else "MISSED " + ", ".join(missed)))


if __name__ == "__main__":
    main()
