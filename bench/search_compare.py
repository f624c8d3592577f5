"""Compare Chinese full-text search methods on PostgreSQL over a generated corpus.

    .venv/bin/python bench/search_compare.py --articles 50000 \
        --dsn postgresql://postgres@127.0.0.1:5432/searchbench

Standalone (no Django). Generates a seeded corpus of Chinese district-news articles, loads it
into bench_* tables (dropped and recreated on every run, in the database of --dsn) and
compares:

  (a) bigrams  CJK unigram+bigram tsvector (newsroom/search), phrase queries, GIN index
  (b) trgm     ILIKE over normalised text with a pg_trgm GIN index
  (c) ilike    the same ILIKE with no usable index (bitmap scans off)
  (d) jieba    jieba segmentation into to_tsvector('simple'), if jieba is importable from
               --jieba-path (install it there, never into the project venv:
               pip install --target /tmp/jieba jieba); skipped otherwise

Truth: a query matches an article iff normalise(query) is a substring of normalise(headline)
or normalise(body); English and digit queries must match whole words.
(a) is timed four ways: newest 20 matches, ranking every match, ranking the newest 1,000
matches (the research note's bounded search) and the two-stage search (newest 1,000 of the
ANDed lexemes, then the phrase; sql.TWO_STAGE_SEARCH).
Latencies are wall-clock milliseconds on this connection; read them against the printed
baseline (SELECT id FROM t WHERE id = %s).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import multiprocessing
import os
import random
import re
import statistics
import string
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsroom.search import sql as search_sql  # noqa: E402
from newsroom.search.tokens import (  # noqa: E402
    CJK_CLASS,
    DOCUMENT_MAX_CHARS,
    QUERY_MAX_TERMS,
    WORD_CLASS,
    normalise,
    query_tsquery_parts,
    search_document,
)

RANK_LIMIT = 1000  # the bounded ranking: rank only the newest N matches
PAGE = 20

# --- corpus ---------------------------------------------------------------------------------

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴"
) + ["欧阳", "司马", "上官", "诸葛"]
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅文辉鹏飞晓东海燕俊峰宇博浩然涵欣怡思远改振兴卫民春秋"
)
DISTRICTS = [
    "中原区",
    "二七区",
    "管城回族区",
    "金水区",
    "上街区",
    "惠济区",
    "高新区",
    "经开区",
    "航空港区",
    "郑东新区",
    "巩义市",
    "荥阳市",
    "新密市",
    "新郑市",
    "登封市",
    "中牟县",
]
PLACE_STEMS = list(
    "建设文化人民解放花园农业金水桐柏嵩山黄河陇海中州伏牛秦岭淮河长江紫荆梧桐百花绿城须水林山"
)
PLACE_SUFFIXES = ["路", "街道", "社区", "村", "镇", "大道", "广场", "小区", "公园"]
POLICIES = [
    "疫情防控",
    "乡村振兴",
    "营商环境",
    "放管服改革",
    "文明城市创建",
    "垃圾分类",
    "河长制",
    "网格化管理",
    "老旧小区改造",
    "安全生产",
    "生态环境保护",
    "大气污染防治",
    "基层党建",
    "民生实事",
    "招商引资",
    "项目建设",
    "数字政府",
    "一网通办",
    "城市更新",
    "乡村治理",
    "防汛救灾",
    "义务教育",
    "医疗保障",
    "养老服务",
    "就业创业",
    "人才引进",
    "科技创新",
    "智慧城市",
    "背街小巷整治",
    "社区治理",
    "志愿服务",
    "反诈宣传",
    "食品安全",
    "消防安全",
    "信访工作",
    "双减政策",
    "冬季供暖",
    "燃气安全",
    "交通秩序整治",
]
ROLES = [
    "区委书记",
    "区长",
    "副区长",
    "街道党工委书记",
    "社区党支部书记",
    "主任",
    "局长",
    "志愿者",
    "居民",
    "网格员",
    "企业负责人",
    "校长",
    "村支书",
    "民警",
]
ENGLISH = [
    "WiFi",
    "APP",
    "GDP",
    "CBD",
    "5G",
    "AI",
    "Expo",
    "Marathon",
    "online",
    "data",
    "parking",
    "hotline",
    "startup",
    "smart",
    "PM2.5",
    "QR",
    "VR",
    "logistics",
    "park",
]
FILLER = [
    "要坚持以人民为中心的发展思想，切实提高群众的获得感和满意度",
    "会议强调，各部门要统一思想、提高认识，确保各项工作落到实处",
    "下一步，将进一步完善长效机制，推动工作常态化、制度化",
    "现场气氛热烈，居民们纷纷表示受益匪浅",
    "据了解，该项目总投资约{money}亿元，预计{year}年底建成投用",
    "截至目前，已累计走访群众{n}户，解决实际问题{m}件",
    "工作人员耐心细致地为大家讲解相关政策",
    "活动吸引了{n}余名群众参与，取得了良好的社会效果",
]
SENTENCES = [
    "{date}，{role}{name}带队到{place}调研{policy}工作",
    "{name}指出，{policy}是一项长期任务，{place}要结合实际抓好落实",
    "在{place}，{role}{name}详细了解了{policy}的推进情况",
    "{place}依托“{en}”平台，实现{policy}服务全覆盖，覆盖率达到{pct}%",
    "{name}表示，将以{policy}为抓手，推动{place}高质量发展",
    "近日，{place}举办{en}主题活动，{n}余名居民参加",
    "{district}{place}开展{policy}专项行动，共排查隐患{m}处",
    "（记者 {name} 通讯员 {name2}）{date}，{district}召开{policy}推进会",
    "{place}新增{en}设施{m}处，方便群众办事",
    "据{role}{name}介绍，{place}今年已完成{policy}任务的{pct}%",
    "{name}、{name2}等{n}名同志参加调研",
    "《{district}{policy}实施方案》明确提出，到{year}年{policy}取得明显成效",
]
HEADLINES = [
    "{district}{policy}工作取得新进展",
    "{role}{name}到{place}调研{policy}",
    "{place}举办{en}活动",
    "{district}：{policy}跑出加速度",
    "{place}扎实推进{policy}",
    "{year}年{district}{policy}成效显著",
]
FULLWIDTH = {
    c: chr(ord(c) + 0xFEE0)
    for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
}


@functools.cache
def _slots(template: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name)
    )


def fullwidth(text: str) -> str:
    return "".join(FULLWIDTH.get(c, c) for c in text)


class Corpus:
    """Seeded generator: the same --seed gives the same articles and queries."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        rng = self.rng
        names = set()
        while len(names) < 3000:
            names.add(
                rng.choice(SURNAMES)
                + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            )
        self.names = sorted(names)
        rng.shuffle(self.names)
        places = set()
        while len(places) < 800:
            a, b = rng.sample(PLACE_STEMS, 2)
            places.add(a + b + rng.choice(PLACE_SUFFIXES))
        self.places = sorted(places)
        rng.shuffle(self.places)
        # Zipf-like popularity: a few names and places appear everywhere, most rarely.
        self.name_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(self.names))))
        self.place_weights = list(
            itertools.accumulate(1 / (i + 1) ** 0.8 for i in range(len(self.places)))
        )

    def _name(self) -> str:
        return self.rng.choices(self.names, cum_weights=self.name_weights)[0]

    def _place(self) -> str:
        return self.rng.choices(self.places, cum_weights=self.place_weights)[0]

    def _number(self, low: int, high: int) -> str:
        text = str(self.rng.randint(low, high))
        return fullwidth(text) if self.rng.random() < 0.15 else text

    def _english(self) -> str:
        word = self.rng.choice(ENGLISH)
        roll = self.rng.random()
        if roll < 0.15:
            return fullwidth(word)
        if roll < 0.3:
            return word.upper()
        return word

    def _fill(self, template: str) -> str:
        rng = self.rng
        makers = {
            "name": self._name,
            "name2": self._name,
            "place": self._place,
            "district": lambda: rng.choice(DISTRICTS),
            "policy": lambda: rng.choice(POLICIES),
            "role": lambda: rng.choice(ROLES),
            "en": self._english,
            "n": lambda: self._number(20, 5000),
            "m": lambda: self._number(3, 300),
            "pct": lambda: self._number(50, 99) + rng.choice(("", ".5", ".8")),
            "money": lambda: self._number(1, 90) + "." + str(rng.randint(1, 9)),
            "year": lambda: self._number(2019, 2026),
            "date": lambda: (
                f"{self._number(2019, 2025)}年{self._number(1, 12)}月{self._number(1, 28)}日"
            ),
        }
        return template.format_map({key: makers[key]() for key in _slots(template)})

    def article(self) -> tuple[str, str]:
        rng = self.rng
        headline = self._fill(rng.choice(HEADLINES))
        target = rng.randint(1000, 1400)
        paragraphs, length = [], 0
        while length < target:
            sentences = []
            for _ in range(rng.randint(2, 5)):
                template = rng.choice(SENTENCES) if rng.random() < 0.65 else rng.choice(FILLER)
                end = rng.choice("。。。。！；") if rng.random() > 0.1 else ". "
                sentence = self._fill(template)
                if rng.random() < 0.1:  # some half-width punctuation, as pasted copy has
                    sentence = sentence.replace("，", ", ").replace("：", ": ")
                sentences.append(sentence + end)
            paragraph = "".join(sentences)
            paragraphs.append(paragraph)
            length += len(paragraph) + 1
        return headline, "\n".join(paragraphs)

    def queries(self, count: int, articles: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """(kind, query) pairs: names, places, policy terms, single characters, fragments of
        1–6 CJK characters cut from articles, and English words (some full-width)."""
        rng = random.Random(self.rng.random())
        cjk_run = re.compile(f"[{CJK_CLASS}]+")
        shares = {"name": 0.2, "place": 0.15, "policy": 0.1, "char": 0.15, "fragment": 0.3}
        queries: list[tuple[str, str]] = []
        for _ in range(max(1, round(count * shares["name"]))):
            queries.append(
                ("name", rng.choices(self.names[:600], cum_weights=self.name_weights[:600])[0])
            )
        for _ in range(max(1, round(count * shares["place"]))):
            queries.append(("place", rng.choice(self.places[:400])[:6]))
        for policy in rng.sample(
            [p for p in POLICIES if len(p) <= 6], max(1, round(count * shares["policy"]))
        ):
            queries.append(("policy", policy))
        while len([q for q in queries if q[0] in ("char", "fragment")]) < round(
            count * (shares["char"] + shares["fragment"])
        ):
            runs = cjk_run.findall(normalise(rng.choice(articles)[1]))
            run = rng.choice(runs)
            is_char = len([q for q in queries if q[0] == "char"]) < round(count * shares["char"])
            size = 1 if is_char else rng.randint(2, 6)
            if len(run) < size:
                continue
            start = rng.randrange(len(run) - size + 1)
            queries.append(("char" if size == 1 else "fragment", run[start : start + size]))
        english = max(1, count - len(queries))
        for word in rng.sample(ENGLISH, min(english, len(ENGLISH))):
            word = word if word != "PM2.5" else "hotline"
            queries.append(("english", fullwidth(word) if rng.random() < 0.3 else word))
        queries = list(dict.fromkeys(queries))
        rng.shuffle(queries)  # so that any prefix of the list is a mix of kinds
        return queries


# --- measurement ----------------------------------------------------------------------------


@dataclass
class Method:
    key: str
    label: str
    build_s: float | None = None
    build_note: str = ""
    index_s: float | None = None
    index_mb: float | None = None
    stored_mb: float | None = None
    results: dict[str, set[int]] = field(default_factory=dict)
    latency: dict[str, list[float]] = field(default_factory=dict)
    note: str = ""


def timed(conn: psycopg.Connection, statement: str, params=None, no_seqscan=False, off=()):
    """Run a statement in its own transaction; returns (rows, milliseconds for the statement)."""
    with conn.transaction():
        if no_seqscan:
            conn.execute(search_sql.SET_LOCAL_NO_SEQSCAN)
        for setting in off:
            conn.execute(f"SET LOCAL {setting} = off")
        start = time.perf_counter()
        rows = conn.execute(statement, params).fetchall()
        return rows, (time.perf_counter() - start) * 1000


def mb(conn: psycopg.Connection, statement: str) -> float:
    return (conn.execute(statement).fetchone()[0] or 0) / 1024 / 1024


class BackendClock:
    """CPU seconds used by the connection's server process, read from /proc when the
    server runs on this machine: on a busy machine wall time says little."""

    def __init__(self, conn: psycopg.Connection):
        self.path = Path(f"/proc/{conn.execute('SELECT pg_backend_pid()').fetchone()[0]}/stat")
        self.tick = os.sysconf("SC_CLK_TCK")

    def __call__(self) -> float | None:
        try:
            fields = self.path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / self.tick


class Stopwatch:
    """Wall and CPU time (this process or the database backend) of a block."""

    def __init__(self, cpu=time.process_time):
        self.cpu = cpu

    def __enter__(self):
        self.wall0, self.cpu0 = time.perf_counter(), self.cpu()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        cpu1 = self.cpu()
        self.cpu_s = None if cpu1 is None or self.cpu0 is None else cpu1 - self.cpu0

    def __str__(self) -> str:
        cpu = f", CPU {self.cpu_s:.0f} s" if self.cpu_s is not None else ""
        return f"{self.wall:.0f} s{cpu}"


def like_pattern(query: str) -> str:
    escaped = normalise(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


_TOKEN = re.compile(f"[{CJK_CLASS}{WORD_CLASS}]+")


def jieba_tokens(jieba, text: str) -> list[str]:
    # Keep only CJK and word characters of each segment, as the bigram tokeniser does.
    return ["".join(_TOKEN.findall(t)) for t in jieba.lcut(normalise(text)) if _TOKEN.search(t)]


def jieba_tsquery(jieba, query: str) -> str | None:
    tokens = jieba_tokens(jieba, query)[:QUERY_MAX_TERMS]
    return " <-> ".join(f"'{t}'" for t in tokens) or None


def _jieba_init(path: str) -> None:
    sys.path.insert(0, path)
    import jieba  # type: ignore

    jieba.setLogLevel(60)
    jieba.initialize()


def _jieba_segment(article: tuple[str, str]) -> tuple[str, str]:
    import jieba  # type: ignore

    headline, body = article
    return " ".join(jieba_tokens(jieba, headline)), " ".join(
        jieba_tokens(jieba, body[:DOCUMENT_MAX_CHARS])
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=50000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/searchbench")
    parser.add_argument(
        "--jieba-path", default="/tmp/jieba", help="folder holding jieba (pip --target)"
    )
    parser.add_argument(
        "--jieba-processes",
        type=int,
        default=2,
        help="jieba segments about 230,000 characters a second a core",
    )
    parser.add_argument(
        "--jieba-articles",
        type=int,
        default=10000,
        help="segment only the first N articles with jieba (0: all); scored against truth on those",
    )
    parser.add_argument(
        "--ilike-queries",
        type=int,
        default=40,
        help="plain ILIKE scans the whole table for each query: run only the first N queries",
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench_* tables afterwards")
    args = parser.parse_args()
    started = time.perf_counter()

    # No server-side prepared statements (as Django): a generic plan would hide per-pattern plans.
    conn = psycopg.connect(args.dsn, autocommit=True, prepare_threshold=None)
    backend = BackendClock(conn)
    conn.execute("SET maintenance_work_mem = '512MB'")
    # Builds run single-process on both sides, so the Python and SQL tokeniser figures compare.
    conn.execute("SET max_parallel_workers_per_gather = 0")
    server = conn.execute("SELECT version()").fetchone()[0].split(" on ")[0]
    ctype = conn.execute("SHOW lc_ctype").fetchone()[0]
    if not conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone():
        sys.exit("pg_trgm is not available on this server (postgresql-contrib)")
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    conn.execute(search_sql.CREATE_TOKENS_FUNCTION)
    load = os.getloadavg()[0]

    # -- corpus
    log(f"generating {args.articles:,} articles (seed {args.seed}); load average {load:.1f}")
    corpus = Corpus(args.seed)
    articles = [corpus.article() for _ in range(args.articles)]
    chars = sum(len(h) + len(b) for h, b in articles)
    queries = corpus.queries(args.queries, articles)
    log(f"{chars / len(articles):,.0f} characters an article; {len(queries)} queries")

    for table in (
        "articles",
        "tokens",
        "vec_py",
        "vec_sql",
        "bigram",
        "trgm",
        "jieba_tokens",
        "jieba",
    ):
        conn.execute(f"DROP TABLE IF EXISTS bench_{table}")
    conn.execute(
        "CREATE TABLE bench_articles (id int PRIMARY KEY, published_at timestamptz NOT NULL,"
        " headline text NOT NULL, body text NOT NULL)"
    )
    with (
        Stopwatch() as watch,
        conn.cursor().copy(
            "COPY bench_articles (id, published_at, headline, body) FROM STDIN"
        ) as copy,
    ):
        for index, (headline, body) in enumerate(articles, 1):
            # Ids grow with publication time, one article every 37 minutes from 2020.
            published_at = time.strftime(
                "%Y-%m-%d %H:%M:%S+08", time.gmtime(1577836800 + index * 2220)
            )
            copy.write_row((index, published_at, headline, body))
    conn.execute("VACUUM ANALYZE bench_articles")
    size = mb(conn, "SELECT pg_total_relation_size('bench_articles')")
    log(f"loaded in {watch}; table {size:.0f} MB")

    methods: dict[str, Method] = {}
    from_tokens = search_sql.SEARCH_VECTOR_FROM_TOKENS.replace("%s", "headline", 1).replace(
        "%s", "body", 1
    )

    # -- (a) bigrams: the vector built in Python and in SQL; they must come out identical
    a = methods["bigram"] = Method("bigram", "(a) bigrams")
    with Stopwatch() as py_tokenise:
        token_rows = [(index, *search_document(h, b)) for index, (h, b) in enumerate(articles, 1)]
    conn.execute("CREATE UNLOGGED TABLE bench_tokens (id int, headline text, body text)")
    with Stopwatch() as py_copy, conn.cursor().copy("COPY bench_tokens FROM STDIN") as copy:
        for row in token_rows:
            copy.write_row(row)
    del token_rows
    with Stopwatch(backend) as py_vector:
        conn.execute(
            f"CREATE TABLE bench_vec_py AS SELECT id, {from_tokens} AS search FROM bench_tokens"
        )
    with Stopwatch(backend) as sql_build:
        conn.execute(
            f"CREATE TABLE bench_vec_sql AS SELECT id, {search_sql.search_vector_expression()} AS search"
            " FROM bench_articles"
        )
    differ = conn.execute(
        "SELECT count(*) FROM bench_vec_py p FULL JOIN bench_vec_sql s USING (id)"
        " WHERE p.search IS DISTINCT FROM s.search"
    ).fetchone()[0]
    python_build_s = py_tokenise.wall + py_copy.wall + py_vector.wall
    log(
        f"bigram vectors: Python {python_build_s:.0f} s (tokenise {py_tokenise} + COPY {py_copy}"
        f" + to_tsvector {py_vector}); SQL function {sql_build}; {differ} of {args.articles:,} differ"
    )
    a.build_s = sql_build.wall
    a.build_note = f"SQL {sql_build.wall:.0f} s; Python {python_build_s:.0f} s"
    conn.execute(
        "CREATE TABLE bench_bigram AS SELECT a.*, v.search FROM bench_articles a JOIN bench_vec_sql v USING (id)"
    )
    conn.execute("ALTER TABLE bench_bigram ADD PRIMARY KEY (id)")
    with Stopwatch(backend) as watch:
        conn.execute("CREATE INDEX bench_bigram_search ON bench_bigram USING gin (search)")
    a.index_s = watch.wall
    conn.execute("VACUUM ANALYZE bench_bigram")
    a.index_mb = mb(conn, "SELECT pg_relation_size('bench_bigram_search')")
    a.stored_mb = mb(conn, "SELECT sum(pg_column_size(search)) FROM bench_bigram")
    log(f"bigram GIN index {watch}, {a.index_mb:.0f} MB; vectors {a.stored_mb:.0f} MB")

    # One article at a time, as save() or a generated column does it (CPU ms an article).
    sample = min(1000, len(articles))
    with Stopwatch() as watch:
        for h, b in articles[:sample]:
            search_document(h, b)
    one_py_ms = watch.cpu_s * 1000 / sample
    with Stopwatch(backend) as watch:
        conn.execute(
            f"SELECT sum(length({from_tokens})) FROM bench_tokens WHERE id <= %s", (sample,)
        )
    one_tsvector_ms = (watch.cpu_s if watch.cpu_s is not None else watch.wall) * 1000 / sample
    with Stopwatch(backend) as watch:
        conn.execute(
            f"SELECT sum(length({search_sql.search_vector_expression()})) FROM bench_articles WHERE id <= %s",
            (sample,),
        )
    one_sql_ms = (watch.cpu_s if watch.cpu_s is not None else watch.wall) * 1000 / sample
    log(
        f"one article: Python tokens {one_py_ms:.2f} ms + to_tsvector {one_tsvector_ms:.2f} ms; SQL {one_sql_ms:.2f} ms"
    )
    conn.execute("DROP TABLE bench_tokens, bench_vec_py, bench_vec_sql")

    # -- (b) pg_trgm over normalised text; (c) the same predicate without the index
    b = methods["trgm"] = Method("trgm", "(b) pg_trgm ILIKE")
    with Stopwatch(backend) as watch:
        conn.execute(
            "CREATE TABLE bench_trgm AS SELECT id, published_at, headline, body,"
            " lower(normalize(headline || E'\\n' || body, NFKC)) AS doc FROM bench_articles"
        )
    b.build_s = watch.wall
    conn.execute("ALTER TABLE bench_trgm ADD PRIMARY KEY (id)")
    with Stopwatch(backend) as index_watch:
        conn.execute("CREATE INDEX bench_trgm_doc ON bench_trgm USING gin (doc gin_trgm_ops)")
    b.index_s = index_watch.wall
    conn.execute("VACUUM ANALYZE bench_trgm")
    b.index_mb = mb(conn, "SELECT pg_relation_size('bench_trgm_doc')")
    b.stored_mb = mb(conn, "SELECT sum(pg_column_size(doc)) FROM bench_trgm")
    b.build_note = "normalised copy of the text"
    log(f"trgm: normalised text {watch}, index {index_watch}, {b.index_mb:.0f} MB")
    c = methods["ilike"] = Method("ilike", "(c) plain ILIKE")
    c.stored_mb = b.stored_mb
    c.build_note = "same table as (b)"
    c.note = f"first {min(args.ilike_queries, len(queries))} queries; bitmap scans off"

    # -- (d) jieba, segmented in worker processes
    jieba = None
    sys.path.insert(0, args.jieba_path)
    try:
        with Stopwatch() as jieba_start:
            import jieba  # type: ignore

            jieba.setLogLevel(60)
            jieba.initialize()
    except ImportError:
        log(f"jieba is not importable from {args.jieba_path}: skipped")
    jieba_articles = min(args.jieba_articles or len(articles), len(articles))
    if jieba:
        d = methods["jieba"] = Method("jieba", "(d) jieba")
        if jieba_articles < len(articles):
            d.note = f"first {jieba_articles:,} articles only (build, sizes, latency too)"
        with (
            Stopwatch() as segment,
            multiprocessing.Pool(args.jieba_processes, _jieba_init, (args.jieba_path,)) as pool,
        ):
            rows = pool.map(_jieba_segment, articles[:jieba_articles], chunksize=250)
        conn.execute("CREATE UNLOGGED TABLE bench_jieba_tokens (id int, headline text, body text)")
        with conn.cursor().copy("COPY bench_jieba_tokens FROM STDIN") as copy:
            for index, row in enumerate(rows, 1):
                copy.write_row((index, *row))
        del rows
        with Stopwatch(backend) as vector:
            conn.execute(
                "CREATE TABLE bench_jieba AS SELECT t.id, setweight(to_tsvector('simple', t.headline), 'A')"
                " || to_tsvector('simple', t.body) AS search FROM bench_jieba_tokens t"
            )
        conn.execute("DROP TABLE bench_jieba_tokens")
        conn.execute("ALTER TABLE bench_jieba ADD PRIMARY KEY (id)")
        d.build_s = segment.wall + vector.wall
        d.build_note = (
            f"jieba {segment.wall:.0f} s on {args.jieba_processes} processes"
            f" (start-up {jieba_start.wall:.1f} s) + to_tsvector {vector.wall:.0f} s"
        )
        with Stopwatch(backend) as watch:
            conn.execute("CREATE INDEX bench_jieba_search ON bench_jieba USING gin (search)")
        d.index_s = watch.wall
        conn.execute("VACUUM ANALYZE bench_jieba")
        d.index_mb = mb(conn, "SELECT pg_relation_size('bench_jieba_search')")
        d.stored_mb = mb(conn, "SELECT sum(pg_column_size(search)) FROM bench_jieba")
        log(f"jieba: {d.build_note}; index {watch}, {d.index_mb:.0f} MB")
    conn.execute("RESET max_parallel_workers_per_gather")

    # -- truth: substring of the normalised headline or body; English words whole
    with Stopwatch() as watch:
        docs = [(normalise(h), normalise(bd)) for h, bd in articles]
        word_re = re.compile(f"[{WORD_CLASS}]+")
        words = [set(word_re.findall(h)) | set(word_re.findall(bd)) for h, bd in docs]
        truth: dict[str, set[int]] = {}
        for kind, query in queries:
            needle = normalise(query)
            if kind == "english":
                truth[query] = {i for i, w in enumerate(words, 1) if needle in w}
            else:
                truth[query] = {
                    i for i, (h, bd) in enumerate(docs, 1) if needle in h or needle in bd
                }
        del docs, words
    log(f"truth for {len(queries)} queries in {watch}")

    # -- queries
    baseline = []
    for i in range(300):
        _, ms = timed(
            conn, "SELECT id FROM bench_articles WHERE id = %s", (1 + (i * 7919) % args.articles,)
        )
        baseline.append(ms)

    newest = "SELECT id FROM {table} WHERE {where} ORDER BY id + 0 DESC LIMIT %s"
    matches = f"search @@ {search_sql.TSQUERY}"
    kinds: dict[str, str] = {}
    fallbacks = 0
    for number, (kind, query) in enumerate(queries):
        kinds[query] = kind
        parsed = query_tsquery_parts(query)
        rows, _ = timed(
            conn, f"SELECT id FROM bench_bigram WHERE {matches}", (parsed.tsquery,), no_seqscan=True
        )
        a.results[query] = {r[0] for r in rows}
        _, ms = timed(
            conn,
            newest.format(table="bench_bigram", where=matches),
            (parsed.tsquery, PAGE),
            no_seqscan=True,
        )
        a.latency.setdefault("newest", []).append(ms)
        _, ms = timed(
            conn,
            f"SELECT id FROM bench_bigram WHERE {matches} ORDER BY ts_rank(search, {search_sql.TSQUERY}) DESC,"
            " id DESC LIMIT %s",
            (parsed.tsquery, parsed.tsquery, PAGE),
            no_seqscan=True,
        )
        a.latency.setdefault("rank_all", []).append(ms)
        _, ms = timed(
            conn,
            search_sql.BOUNDED_SEARCH.format(table="bench_bigram"),
            (parsed.tsquery, RANK_LIMIT, parsed.tsquery, PAGE, 0),
            no_seqscan=True,
        )
        a.latency.setdefault("bounded", []).append(ms)
        a.latency.setdefault(f"bounded:{kind}", []).append(ms)
        rows, ms = timed(
            conn,
            search_sql.TWO_STAGE_SEARCH.format(table="bench_bigram"),
            (parsed.candidates, RANK_LIMIT, parsed.tsquery, parsed.tsquery, PAGE, 0),
            no_seqscan=True,
        )
        if len(rows) < PAGE:  # too few: the exact bounded search decides, and its time counts
            fallbacks += 1
            _, more = timed(
                conn,
                search_sql.BOUNDED_SEARCH.format(table="bench_bigram"),
                (parsed.tsquery, RANK_LIMIT, parsed.tsquery, PAGE, 0),
                no_seqscan=True,
            )
            ms += more
        a.latency.setdefault("two_stage", []).append(ms)
        a.latency.setdefault(f"two_stage:{kind}", []).append(ms)

        pattern = like_pattern(query)
        rows, _ = timed(conn, "SELECT id FROM bench_trgm WHERE doc ILIKE %s", (pattern,))
        b.results[query] = {r[0] for r in rows}
        _, ms = timed(
            conn, newest.format(table="bench_trgm", where="doc ILIKE %s"), (pattern, PAGE)
        )
        b.latency.setdefault("newest", []).append(ms)
        if number < args.ilike_queries:
            rows, _ = timed(
                conn,
                "SELECT id FROM bench_trgm WHERE doc ILIKE %s",
                (pattern,),
                off=("enable_bitmapscan",),
            )
            c.results[query] = {r[0] for r in rows}
            _, ms = timed(
                conn,
                "SELECT id FROM bench_trgm WHERE doc ILIKE %s ORDER BY id DESC LIMIT %s",
                (pattern, PAGE),
                off=("enable_bitmapscan",),
            )
            c.latency.setdefault("newest", []).append(ms)

        if jieba:
            tsquery = jieba_tsquery(jieba, query)
            where = "search @@ to_tsquery('simple', %s)"
            rows, _ = timed(
                conn, f"SELECT id FROM bench_jieba WHERE {where}", (tsquery,), no_seqscan=True
            )
            d.results[query] = {r[0] for r in rows}
            _, ms = timed(
                conn,
                newest.format(table="bench_jieba", where=where),
                (tsquery, PAGE),
                no_seqscan=True,
            )
            d.latency.setdefault("newest", []).append(ms)
            _, ms = timed(
                conn,
                search_sql.BOUNDED_SEARCH.format(table="bench_jieba").replace(
                    "'english'", "'simple'"
                ),
                (tsquery, RANK_LIMIT, tsquery, PAGE, 0),
                no_seqscan=True,
            )
            d.latency.setdefault("bounded", []).append(ms)
    log("queries done")

    # -- report
    def scores(method: Method, only=None) -> str:
        recalls, precisions = [], []
        for query, found in method.results.items():
            if only and kinds[query] not in only:
                continue
            relevant = truth[query]
            if method.key == "jieba":
                relevant = {i for i in relevant if i <= jieba_articles}
            if relevant:
                recalls.append(len(found & relevant) / len(relevant))
            if found:
                precisions.append(len(found & relevant) / len(found))
        return " / ".join(
            f"{statistics.mean(xs):.3f}" if xs else "–" for xs in (recalls, precisions)
        )

    def lat(method: Method, key: str) -> str:
        values = method.latency.get(key)
        if not values:
            return "–"
        return f"{percentile(values, 0.5):.1f} / {percentile(values, 0.95):.1f}"

    order = [m for m in (methods.get(k) for k in ("bigram", "trgm", "ilike", "jieba")) if m]
    fmt = lambda value, spec, empty="–": format(value, spec) if value is not None else empty  # noqa: E731
    table = [
        ("vector/text build, s", [fmt(m.build_s, ".0f") for m in order]),
        ("  how", [m.build_note or "–" for m in order]),
        ("index build, s", [fmt(m.index_s, ".0f", "none") for m in order]),
        ("index size, MB", [fmt(m.index_mb, ".0f", "none") for m in order]),
        ("stored vector/text, MB", [fmt(m.stored_mb, ".0f") for m in order]),
        ("recall / precision, all", [scores(m) for m in order]),
        ("  1-character queries", [scores(m, {"char"}) for m in order]),
        ("  names", [scores(m, {"name"}) for m in order]),
        ("  fragments of 2–6", [scores(m, {"fragment"}) for m in order]),
        ("  places, policy terms", [scores(m, {"place", "policy"}) for m in order]),
        ("  English words", [scores(m, {"english"}) for m in order]),
        ("p50 / p95 ms, newest 20", [lat(m, "newest") for m in order]),
        ("p50 / p95 ms, rank all matches", [lat(m, "rank_all") for m in order]),
        (f"p50 / p95 ms, rank newest {RANK_LIMIT}", [lat(m, "bounded") for m in order]),
        ("p50 / p95 ms, two-stage", [lat(m, "two_stage") for m in order]),
        ("notes", [m.note or "–" for m in order]),
    ]
    widths = [max(len(r[0]) for r in table)] + [
        max(len(m.label), *(len(r[1][i]) for r in table)) for i, m in enumerate(order)
    ]
    counts: dict[str, int] = {}
    for kind, _ in queries:
        counts[kind] = counts.get(kind, 0) + 1
    print()
    print(
        f"{args.articles:,} articles, {chars / len(articles):,.0f} characters each; {len(queries)} queries"
        f" ({', '.join(f'{n} {k}' for k, n in counts.items())}); {server}, LC_CTYPE {ctype};"
        f" load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    )
    print(
        " | ".join(
            ["".ljust(widths[0])]
            + [m.label.ljust(w) for m, w in zip(order, widths[1:], strict=True)]
        )
    )
    print("-+-".join("-" * w for w in widths))
    for name, cells in table:
        print(
            " | ".join(
                [name.ljust(widths[0])]
                + [cell.ljust(w) for cell, w in zip(cells, widths[1:], strict=True)]
            )
        )
    print()
    print(
        f"baseline SELECT id FROM t WHERE id = %s: p50 {percentile(baseline, 0.5):.2f} ms, p95 {percentile(baseline, 0.95):.2f} ms"
    )
    print(
        f"bigram vectors: SQL function {sql_build}; Python {python_build_s:.0f} s (tokenise {py_tokenise}"
        f" + COPY {py_copy} + to_tsvector {py_vector}); vectors differ: {differ}"
    )
    print(
        f"one article, CPU: Python tokens {one_py_ms:.2f} ms + to_tsvector {one_tsvector_ms:.2f} ms"
        f" in PostgreSQL; SQL tokens + to_tsvector {one_sql_ms:.2f} ms in PostgreSQL"
    )
    print(
        "(a) rank newest 1000, p50 / p95 ms by kind: "
        + "; ".join(f"{k} {lat(a, 'bounded:' + k)}" for k in counts)
    )
    print(
        f"(a) two-stage (newest {RANK_LIMIT} of the ANDed lexemes, then the phrase), p50 / p95 ms by"
        " kind: "
        + "; ".join(f"{k} {lat(a, 'two_stage:' + k)}" for k in counts)
        + f"; {fallbacks} of {len(queries)} fell back to the exact search"
    )
    missed = sorted(
        ((len(a.results[q] & truth[q]) / len(truth[q]), q) for q in a.results if truth[q]),
        key=lambda x: x[0],
    )[:3]
    print("(a) lowest recall: " + ", ".join(f"{q} {r:.3f}" for r, q in missed))
    print(f"total {time.perf_counter() - started:.0f} s")
    if not args.keep:
        for table_name in ("articles", "bigram", "trgm", "jieba"):
            conn.execute(f"DROP TABLE IF EXISTS bench_{table_name}")


if __name__ == "__main__":
    main()
