"""The admin's article change list and the start page's review queues over a large archive:
queries, wall time, query plan.

    .venv/bin/python bench/admin_changelist.py [--articles 100000] [--runs 20] [--fresh]

It uses its own PostgreSQL database (created if missing, dropped and recreated with
--fresh), fills it once with bulk_create and then measures, in this process and through
django.test.Client logged in as an editor, a set of change-list pages beside a bare view
that runs one indexed query; then the admin start page (what waits for one's signature, each
desk's pipeline by stage, the header's count) as a desk editor, a desk chief and a chief editor,
with the articles spread over three desks (one on 三审三校) and those in review over its stages.
Finally it prints EXPLAIN ANALYZE of the default page's queries. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
import types
import unicodedata
import warnings
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/newsroom_bench"
EDITOR_USERNAME = "bench-editor"
PEOPLE = 300
BATCH = 5000

SECTIONS = ["要闻", "时政", "经济", "社区", "教育", "文化", "体育", "健康", "评论", "图片"]
PLACES = ["中原区", "二七区", "金水区", "管城区", "惠济区", "上街区", "高新区", "经开区", "航空港区", "郑东新区",
          "新郑市", "登封市", "巩义市", "荥阳市", "新密市", "中牟县", "全市", "我省", "市区", "城乡"]  # fmt: skip
TOPICS = ["老旧小区改造", "垃圾分类", "义务教育", "医保报销", "公交线路", "河道治理", "夜市经济", "养老服务",
          "文物保护", "全民健身", "农村电商", "防汛工作", "招商引资", "社区食堂", "地铁建设", "校园安全",
          "秋粮收购", "非遗传承", "背街小巷", "营商环境"]  # fmt: skip
OUTCOMES = ["进展顺利", "全面启动", "成效明显", "再获突破", "持续推进", "迎来新变化", "有了新举措",
            "交出亮眼答卷", "按下快进键", "惠及万家"]  # fmt: skip
SENTENCES = [
    "记者从有关部门获悉，相关工作已按计划推进，群众满意度持续提升。",
    "据介绍，今年以来共投入资金逾亿元，覆盖辖区内大部分街道和乡镇。",
    "“以前办事要跑好几趟，现在一次就能办好。”一位市民告诉记者。",
    "下一步，有关部门将继续加大工作力度，确保各项任务按期完成。",
    "现场工作人员表示，项目建成后将进一步方便周边居民出行和生活。",
    "专家认为，这一做法为其他地区提供了可复制、可推广的经验。",
    "截至目前，已累计服务群众十余万人次，收到表扬信和锦旗数十面。",
    "活动当天，不少市民早早来到现场，排起了长队。",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平", "刚", "桂英", "改华", "晓东", "海燕", "建国", "志强", "文博", "雨桐", "子涵"]  # fmt: skip
TAGS = [*TOPICS, "民生", "发展", "改革", "法治", "生态", "乡村振兴", "城市更新", "文旅"]


# --- the database -----------------------------------------------------------------------------
def prepare_database(dsn: str, fresh: bool) -> None:
    """Creates the benchmark database if missing; with `fresh`, drops it first."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(dsn)
    name = params.get("dbname")
    if not name or name in ("postgres", "template0", "template1"):
        sys.exit(f"--dsn must name a database of its own, not {name!r}")
    with psycopg.connect(
        make_conninfo(**{**params, "dbname": "postgres"}), autocommit=True
    ) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def configure_django(dsn: str) -> None:
    # Production-like settings: DEBUG off (cached templates, no query log), a real secret.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=dsn,
        DATABASE_CONN_MAX_AGE="60",
        DEBUG="false",
        SECRET_KEY="bench-admin-changelist-not-a-secret-0123456789",
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        CACHE_URL="locmem://",
        LOG_LEVEL="ERROR",
    )
    sys.path.insert(0, str(ROOT))
    # WhiteNoise warns that STATIC_ROOT is missing: the bench serves no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


# --- filling it -------------------------------------------------------------------------------
def ensure_sections_people_editor():
    from django.contrib.auth.models import Group, User

    from articles.models import Section
    from newsroom.roles import EDITORS
    from people.models import Person

    sections = [
        Section.objects.get_or_create(name=name, defaults={"order": i})[0]
        for i, name in enumerate(SECTIONS)
    ]
    rng = random.Random(7)
    have = set(
        Person.objects.filter(slug__startswith="bench-person-").values_list("slug", flat=True)
    )
    missing = []
    for i in range(PEOPLE):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        kind = Person.Kind.STAFF if rng.random() < 0.7 else Person.Kind.CONTRIBUTOR
        affiliation = "" if kind == Person.Kind.STAFF else rng.choice(PLACES) + "融媒体中心"
        if f"bench-person-{i}" not in have:
            missing.append(
                Person(
                    display_name=name, slug=f"bench-person-{i}", kind=kind, affiliation=affiliation
                )
            )
    Person.objects.bulk_create(missing)
    people = list(Person.objects.filter(slug__startswith="bench-person-").order_by("pk"))

    editor, created = User.objects.get_or_create(
        username=EDITOR_USERNAME, defaults={"is_staff": True}
    )
    if created:
        editor.set_unusable_password()
        editor.save()
        editor.groups.add(Group.objects.get(name=EDITORS))
    return sections, people, editor


def article_times(rng: random.Random, status: str, now: datetime) -> dict:
    """Plausible timestamps for an article in `status`: what the workflow would have left."""
    span = timedelta(days=3 * 365).total_seconds()
    if status in ("published", "unpublished"):
        publish_at = now - timedelta(seconds=rng.uniform(0, span))
        created_at = publish_at - timedelta(seconds=rng.uniform(1800, 3 * 86400))
        # Most stories are last touched when they go out; some are corrected later.
        later = rng.uniform(0, 300) if rng.random() < 0.8 else rng.uniform(3600, 30 * 86400)
        if status == "unpublished":
            later = rng.uniform(3600, 60 * 86400)
        updated_at = publish_at + min(timedelta(seconds=later), (now - publish_at) * rng.random())
        return dict(publish_at=publish_at, first_published_at=publish_at, last_published_at=publish_at,
                    created_at=created_at, updated_at=updated_at)  # fmt: skip
    age = (
        span
        if status == "spiked"
        else (14 * 86400 if status in ("review", "scheduled") else 90 * 86400)
    )
    created_at = now - timedelta(seconds=rng.uniform(0, age))
    updated_at = created_at + (now - created_at) * rng.random() ** 3
    publish_at = (
        now + timedelta(seconds=rng.uniform(3600, 7 * 86400)) if status == "scheduled" else None
    )
    return dict(publish_at=publish_at, first_published_at=None, last_published_at=None,
                created_at=created_at, updated_at=updated_at)  # fmt: skip


def fill(target: int) -> None:
    """Adds articles (with bylines and some tags) until the database holds `target`."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, ArticleByline
    from newsroom.slugs import pinyin_slug

    have = Article.objects.count()
    if have >= target:
        print(f"fill: skipped, the database already holds {have:,} articles")
        return
    started = time.perf_counter()
    sections, people, _ = ensure_sections_people_editor()
    tags = [
        Tag.objects.get_or_create(name=name, defaults={"slug": pinyin_slug(name)})[0]
        for name in TAGS
    ]
    article_type = ContentType.objects.get_for_model(Article)
    slugs = {text: pinyin_slug(text) for text in PLACES + TOPICS + OUTCOMES}
    sentence_chars = [len("".join(s.split())) for s in SENTENCES]
    # A few prolific reporters, a long tail of occasional contributors.
    person_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(people))]
    status_mix = {
        "published": 85,
        "draft": 5,
        "review": 2,
        "scheduled": 1,
        "unpublished": 2,
        "spiked": 5,
    }
    statuses, status_weights = list(status_mix), list(status_mix.values())
    rng = random.Random(have)
    now = timezone.now()
    serial = (Article.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")  # a throw-away database
    remaining = target - have
    while remaining > 0:
        size = min(BATCH, remaining)
        articles = []
        for _ in range(size):
            place, topic, outcome = rng.choice(PLACES), rng.choice(TOPICS), rng.choice(OUTCOMES)
            status = rng.choices(statuses, status_weights)[0]
            picks = [rng.randrange(len(SENTENCES)) for _ in range(rng.randint(6, 24))]
            paragraphs = [
                "".join(SENTENCES[p] for p in picks[i : i + 3]) for i in range(0, len(picks), 3)
            ]
            times = article_times(rng, status, now)
            printed = status == "published" and rng.random() < 0.4
            articles.append(
                Article(
                    headline=f"{place}{topic}{outcome}",
                    kicker=f"{place}聚焦{topic}" if rng.random() < 0.3 else "",
                    subheadline=f"{topic}{rng.choice(OUTCOMES)}" if rng.random() < 0.2 else "",
                    slug=f"{slugs[place]}-{slugs[topic]}-{slugs[outcome]}"[:68] + f"-{serial}",
                    dateline="本报讯" if rng.random() < 0.6 else "",
                    summary=SENTENCES[picks[0]],
                    body="".join(f"<p>{p}</p>" for p in paragraphs),
                    word_count=sum(sentence_chars[p] for p in picks),
                    section=rng.choice(sections) if rng.random() < 0.95 else None,
                    status=status,
                    status_note="报道有误，已撤回。" if status == "unpublished" else "",
                    print_edition_date=times["publish_at"].date() if printed else None,
                    print_page=rng.randint(1, 16) if printed else None,
                    edit_version=rng.randint(1, 6),
                    **times,
                )
            )
            serial += 1
        with transaction.atomic():
            Article.objects.bulk_create(articles)
            bylines, tagged = [], []
            for article in articles:
                chosen = dict.fromkeys(
                    rng.choices(
                        people, person_weights, k=rng.choices((1, 2, 3, 4), (50, 30, 15, 5))[0]
                    )
                )
                for order, person in enumerate(chosen):
                    role = (
                        ArticleByline.Role.REPORTER
                        if person.kind == "staff"
                        else ArticleByline.Role.CORRESPONDENT
                    )
                    bylines.append(
                        ArticleByline(article=article, person=person, role=role, order=order)
                    )
                if rng.random() < 0.3:
                    for tag in rng.sample(tags, rng.randint(1, 3)):
                        tagged.append(
                            TaggedItem(tag=tag, content_type=article_type, object_id=article.pk)
                        )
            ArticleByline.objects.bulk_create(bylines)
            TaggedItem.objects.bulk_create(tagged)
        remaining -= size
        done = target - remaining
        if done % 20_000 < BATCH or remaining == 0:
            print(f"  {done:,} articles, {time.perf_counter() - started:.0f} s", flush=True)
    filled = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in (
            "articles_article",
            "articles_articlebyline",
            "taggit_taggeditem",
            "people_person",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"fill: {target - have:,} articles in {filled:.1f} s, VACUUM ANALYZE {time.perf_counter() - started - filled:.1f} s"
    )


# --- desks, chains and stages for the queues ----------------------------------------------------
DESK_EDITOR = "bench-desk-editor"
DESK_CHIEF = "bench-desk-chief"
# Desk name, slug, chain preset, its sections; the other sections stay on the default desk.
BENCH_DESKS = [
    ("要闻部", "bench-yaowen", "sanshen", ["要闻", "时政", "经济"]),
    ("区域新闻部", "bench-quyu", "single", ["社区", "教育", "文化"]),
]


def ensure_review_setup() -> None:
    """Desks and their chains, the desk editor and chief, every article on its section's desk
    and every article in review at a stage of its desk's chain (idempotent: plain UPDATEs)."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from articles.models import Article, Section
    from newsroom.review.models import Chain, ChainChoice, Desk, DeskMembership
    from newsroom.review.presets import install_preset
    from newsroom.roles import Role

    started = time.perf_counter()
    with transaction.atomic():
        default = Desk.objects.default()
        for name, slug, preset, section_names in BENCH_DESKS:
            desk, _ = Desk.objects.get_or_create(slug=slug, defaults={"name": name})
            chain = Chain.objects.filter(slug=preset).first() or install_preset(preset)
            ChainChoice.objects.get_or_create(
                desk=desk, content_type=None, defaults={"chain": chain}
            )
            Section.objects.filter(name__in=section_names).update(desk=desk)
        yaowen = Desk.objects.get(slug="bench-yaowen")
        for username, role in ((DESK_EDITOR, Role.EDITOR), (DESK_CHIEF, Role.CHIEF)):
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True}
            )
            if created:
                user.set_unusable_password()
                user.save()
            DeskMembership.objects.get_or_create(desk=yaowen, user=user, role=role)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_article a SET desk_id = COALESCE(s.desk_id, %s) "
                "FROM articles_section s WHERE a.section_id = s.id "
                "AND a.desk_id IS DISTINCT FROM COALESCE(s.desk_id, %s)",
                [default.pk, default.pk],
            )
            cursor.execute(
                "UPDATE articles_article SET desk_id = %s WHERE desk_id IS NULL", [default.pk]
            )
        from newsroom.review.chains import chain_for

        for desk in Desk.objects.all():
            sample = Article.objects.filter(desk=desk).first()
            if sample is None:
                continue
            stage_ids = list(
                chain_for(sample).stages.order_by("order").values_list("pk", flat=True)
            )
            # Spread over the stages and "every stage signed" (the index past the array's end
            # is NULL), by primary key.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE articles_article SET review_stage_id = (%s::int[])[1 + (id %% %s)] "
                    "WHERE desk_id = %s AND status = 'review' AND review_stage_id IS NULL",
                    [stage_ids, len(stage_ids) + 1, desk.pk],
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    print(f"review set-up: {time.perf_counter() - started:.1f} s")


def queue_pages() -> list[tuple[str, str, str]]:
    """(label, username, URL) of the start pages measured."""
    return [
        ("start page, desk editor", DESK_EDITOR, "/admin/"),
        ("start page, desk chief", DESK_CHIEF, "/admin/"),
        ("start page, chief editor", EDITOR_USERNAME, "/admin/"),
    ]


# --- the bare view ----------------------------------------------------------------------------
_bare_template = None


def bare_view(request, pk: int):
    """One indexed query and a short template: the floor a change list is compared with."""
    from django.http import HttpResponse
    from django.template import engines

    from articles.models import Article

    global _bare_template
    if _bare_template is None:
        _bare_template = engines["django"].from_string(
            "<!doctype html><title>{{ headline }}</title><h1>{{ headline }}</h1>"
        )
    row = Article.objects.filter(pk=pk).values("headline").first()
    return HttpResponse(
        _bare_template.render({"headline": row["headline"] if row else ""}, request)
    )


def install_urlconf() -> str:
    """A URLconf module of the project's URLs plus bare/<pk>/; returns its name for ROOT_URLCONF."""
    from django.urls import include, path

    module = types.ModuleType("bench_admin_changelist_urls")
    module.urlpatterns = [path("bare/<int:pk>/", bare_view), path("", include("newsroom.urls"))]
    sys.modules[module.__name__] = module
    return module.__name__


# --- measuring --------------------------------------------------------------------------------
def pages_to_measure() -> list[tuple[str, str]]:
    from django.db.models import Count

    from articles.models import Article, Section
    from people.models import Person

    admin = "/admin/articles/article/"
    section = Section.objects.get(name="社区")
    # The busiest staff reporter: the person filter's worst case.
    person = (
        Person.objects.filter(kind=Person.Kind.STAFF, slug__startswith="bench-person-")
        .annotate(n=Count("articlebylines")).order_by("-n").first()
    )  # fmt: skip
    middle = Article.objects.order_by("pk").values_list("pk", flat=True)[
        Article.objects.count() // 2
    ]
    return [
        ("bare view", f"/bare/{middle}/"),
        ("change list, default", admin),
        ("status = review", f"{admin}?status__exact=review"),
        ("status = published", f"{admin}?status__exact=published"),
        ("section = 社区", f"{admin}?section__id__exact={section.pk}"),
        (f"person = busiest ({person.n:,})", f"{admin}?person={person.pk}"),
        ("search 垃圾分类", f"{admin}?q=垃圾分类"),
        ("search, no match", f"{admin}?q=不存在的词语"),
        ("page 50", f"{admin}?p=50"),
    ]


def is_count(sql: str) -> bool:
    return bool(re.match(r"\s*SELECT\s+COUNT\(", sql, re.IGNORECASE))


def is_full_count(sql: str) -> bool:
    """A COUNT over the articles table that no LIMIT bounds."""
    return (
        is_count(sql)
        and '"articles_article"' in sql
        and not re.search(r"\bLIMIT\b", sql, re.IGNORECASE)
    )


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def shorten(sql: str, width: int = 110) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= 2 * width else f"{sql[:width]} … {sql[-width:]}"


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # compiled templates, warm caches and buffers
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # Copied now: the capture reads the connection's log, which the next request clears.
    queries = [q["sql"] for q in captured.captured_queries]
    # Timed apart from the capture: the debug cursor costs a little per query.
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return {
        "queries": queries,
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
    }


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def plan_verdict(plan: str) -> str:
    findings = []
    if re.search(r"Seq Scan on articles_article\b", plan):
        findings.append("reads the whole table (Seq Scan)")
    if re.search(r"^\s*(->\s+)?Sort\s+\(", plan, re.MULTILINE):
        findings.append("sorts every row it finds")
    if findings:
        return ", ".join(findings)
    if "Incremental Sort" in plan:
        return "walks the updated_at index and sorts only rows with equal updated_at by id (Incremental Sort)"
    if "Index Scan" in plan or "Index Only Scan" in plan:
        return "walks an index, no sort"
    return "see the plan"


def explain_page(label: str, queries: list[str]) -> None:
    """EXPLAIN ANALYZE of a change-list page's main query (the 50 rows) and its capped count."""
    main = next(
        (
            s
            for s in queries
            if not is_count(s)
            and re.match(r'\s*SELECT .* FROM "articles_article"', s)
            and "LIMIT 50" in s
        ),
        None,
    )
    count = next((s for s in queries if is_count(s) and '"articles_article"' in s), None)
    for title, sql in (("main query", main), ("count query", count)):
        if sql is None:
            continue
        plan = explain(sql)
        print(f"\nEXPLAIN ANALYZE, {label}, {title}:\n  {shorten(sql, 150)}\n")
        print("\n".join("  " + line for line in plan.splitlines()))
        print(f"  => {plan_verdict(plan)}")


def run(args: argparse.Namespace) -> None:
    prepare_database(args.dsn, args.fresh)
    configure_django(args.dsn)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    fill(args.articles)
    *_, editor = ensure_sections_people_editor()
    ensure_review_setup()

    # No collected static files here: plain storage instead of the manifest (a dict look-up apart).
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF=install_urlconf(), STORAGES=storages):
        client = Client()
        client.force_login(editor)
        pages = pages_to_measure()
        results = {label: measure(client, url, args.runs) for label, url in pages}
        from django.contrib.auth.models import User

        for label, username, url in queue_pages():
            queue_client = Client()
            queue_client.force_login(User.objects.get(username=username))
            results[label] = measure(queue_client, url, args.runs)
            pages.append((label, url))

    from articles.models import Article

    bare = results["bare view"]["p50"]
    print()
    print(f"{Article.objects.count():,} articles, PostgreSQL {connection.pg_version // 10000}, "
          f"{args.runs} timed runs per page after 2 warm-ups, as {EDITOR_USERNAME} (Editors group), "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    print()
    print(f"{'page':<28} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'× bare':>7}  full COUNT")
    print(f"{'-' * 28} {'-' * 7} {'-' * 8} {'-' * 8} {'-' * 7}  {'-' * 10}")
    for label, _ in pages:
        r = results[label]
        full = sum(is_full_count(sql) for sql in r["queries"])
        print(f"{pad(label, 28)} {len(r['queries']):>7} {r['p50']:>8.1f} {r['p95']:>8.1f} "
              f"{r['p50'] / bare:>7.1f}  {'NONE' if not full else f'{full} !!'}")  # fmt: skip

    print("\nCOUNT queries seen:")
    for label, _ in pages:
        for sql in (s for s in results[label]["queries"] if is_count(s)):
            flag = "FULL COUNT" if is_full_count(sql) else "capped"
            print(f"  [{label}] {flag}: {shorten(sql)}")
    if args.verbose:
        print("\nAll queries of the default page:")
        for sql in results["change list, default"]["queries"]:
            print(f"  {shorten(sql, 150)}")

    explain_page("change list, default", results["change list, default"]["queries"])
    slowest = max((label for label, _ in pages), key=lambda label: results[label]["p50"])
    if slowest != "change list, default":
        explain_page(f"{slowest} (the slowest page)", results[slowest]["queries"])
    print(f"\ntotal: {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dsn", default=DEFAULT_DSN, help=f"PostgreSQL database to use (default {DEFAULT_DSN})"
    )
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument(
        "--articles", type=int, default=100_000, help="articles to hold (default 100,000)"
    )
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also print every query of the default page"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
