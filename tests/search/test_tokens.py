"""newsroom.search.tokens: the Chinese-aware tokeniser, the query builder and the snippet.

Free of Django. Tests marked `db` talk to a real PostgreSQL: DATABASE_URL when it is a
PostgreSQL URL, otherwise postgresql://postgres@127.0.0.1:5432/postgres; they are skipped
only when DATABASE_URL is unset and that server cannot be reached. The SQL tokeniser is
created in pg_temp, so nothing is left behind.
"""

import os
import random
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom.search import sql as search_sql
from newsroom.search import tokens
from newsroom.search.tokens import (
    DOCUMENT_MAX_CHARS,
    QUERY_MAX_TERMS,
    ParsedQuery,
    document_tokens,
    normalise,
    query_tsquery_parts,
    search_document,
    snippet,
    snippet_html,
)

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"

HOSTILE = [
    "",
    "   ",
    "\x00",
    "\x00疫情\x00",
    "'",
    "''",
    '"',
    '""',
    '"unclosed 疫情',
    "\\",
    "\\\\'",
    "&",
    "| & ! ( ) : * < > <-> <2> <N>",
    "a & | b",
    "!疫情",
    "疫情:*",
    "疫情:A",
    "'疫情' & '防控'",
    "(((((",
    ")))",
    "<->疫情<->",
    "<16384>",
    "'; DROP TABLE articles; --",
    "%s %(name)s {0}",
    "\x01\x02\x1b[31m\x7f",
    "\u200b\u200e\ufeff",
    "\ud7ff\uffff\U0010ffff",
    "e\u0301\u0301\u0301",
    "疫" * 3000,
    "a " * 3000,
    "疫情 " * 3000,
    ("x" * 5000) + " 疫情",
    "ＡＢＣ１２３！＆｜",
    "the a an of",
    "“中原区委”「高新区」『WiFi』",
    "区长张改华到高新",
]

# Characters that stress the tokeniser: CJK (with extension A/B and compatibility ideographs),
# kana, hangul, full-width forms, Latin with diacritics, Greek, combining marks, tsquery syntax.
ALPHABET = (
    "疫情防控区长张改华到高新中原二〇々㐀𠀀丽﨎"
    "ひらがなカタカナｶﾀｶﾅー・한국어ㄱㅏ"
    "ＡＢＣａｂｃ０１２３，。！？（）【】“”「」"
    "abcXYZ019 \t\n.,;:'\"\\&|!*()<>-_/%"
    "àÉßİΣσςĳǅΩЖё\u0301\u3099①㈱½™ﬁ\x01\u3000"
)


def random_strings(count: int, seed: int = 7, max_length: int = 40) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, max_length)))
        for _ in range(count)
    ]


@pytest.fixture(scope="module")
def pg():
    """A psycopg connection with pg_temp.newsroom_cjk_tokens() created."""
    psycopg = pytest.importorskip("psycopg")
    url = os.environ.get("DATABASE_URL", "")
    dsn = url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_DSN
    # The server of DATABASE_URL, but its maintenance database: the named one may not exist
    # (pytest-django creates test_<name>, not <name>), and pg_temp needs no particular one.
    dsn = psycopg.conninfo.make_conninfo(dsn, dbname="postgres")
    try:
        conn = psycopg.connect(dsn, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        if url:
            raise
        pytest.skip(f"no PostgreSQL at {DEFAULT_DSN} and DATABASE_URL is unset")
    conn.execute(search_sql.CREATE_TOKENS_FUNCTION.replace("FUNCTION ", "FUNCTION pg_temp.", 1))
    yield conn
    conn.close()


def sql_tokens(pg, texts: list[str]) -> list[str]:
    rows = pg.execute(
        "SELECT pg_temp.newsroom_cjk_tokens(t) FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n)"
        " ORDER BY n",
        (texts,),
    ).fetchall()
    return [row[0] for row in rows]


def matches(pg, document: str, query: str) -> bool:
    parsed = query_tsquery_parts(query)
    assert parsed is not None
    return pg.execute(
        f"SELECT to_tsvector('english', %s) @@ {search_sql.TSQUERY}",
        (document_tokens(document), parsed.tsquery),
    ).fetchone()[0]


# --- normalise and document_tokens --------------------------------------------------------


def test_normalise_folds_full_width_to_half_width_and_lowercases():
    assert normalise("ＡＢＣ１２３，ＷｉＦｉ") == "abc123,wifi"
    assert normalise("ｶﾀｶﾅ") == "カタカナ"


def test_normalise_lowercases_one_character_to_one_as_postgresql_does():
    assert normalise("ΟΔΟΣ") == "οδοσ"
    assert normalise("İstanbul") == "istanbul"


def nfkc_lower(text: str) -> str:
    """normalise() without its shortcut for common full-width punctuation."""
    text = unicodedata.normalize("NFKC", text).replace("Σ", "σ").replace("İ", "i")
    return text.lower()


def test_normalise_replacing_common_punctuation_first_gives_what_nfkc_gives():
    # After every shortcut character, and before: each BMP character, bare, with combining
    # marks (which compose with what precedes them) and with hangul jamo.
    shortcut = "，：；（）！？％\u3000…"
    marks = ["", "\u0301", "\u0327\u0301", "\u3099", "\u1161\u11a8"]
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        for mark in marks:
            for text in (f"，{chr(code)}{mark}", f"{chr(code)}{mark}{shortcut}"):
                assert normalise(text) == nfkc_lower(text), repr(text)
    mixed = "Ｅ\u0301，ＰＭ２．５（ｅ\u0301）……\u3000ΣΑΣ！İ？％" + "中原区，\u1100\u1161\u11a8"
    assert normalise(mixed) == nfkc_lower(mixed)


def test_each_cjk_character_emits_itself_and_the_bigram_starting_at_it():
    assert document_tokens("疫情防控") == "疫 疫情 情 情防 防 防控 控"


def test_a_single_cjk_character_emits_only_itself():
    assert document_tokens("区") == "区"


def test_punctuation_and_spaces_break_cjk_runs():
    assert document_tokens("疫情，防控") == "疫 疫情 情 防 防控 控"
    assert document_tokens("疫情 防控") == "疫 疫情 情 防 防控 控"


def test_latin_words_and_numbers_stay_whole_lowercased_and_split_from_cjk():
    assert document_tokens("WiFi覆盖率98.5%") == "wifi 覆 覆盖 盖 盖率 率 98 5"
    assert document_tokens("COVID-19 e-commerce") == "covid 19 e commerce"


def test_full_width_and_half_width_text_give_the_same_tokens():
    assert document_tokens("ＡＢＣ１２３，疫情") == document_tokens("ABC123,疫情")


def test_kana_hangul_extension_and_compatibility_ideographs_are_bigrammed():
    assert document_tokens("カタカナ") == "カ カタ タ タカ カ カナ ナ"
    assert document_tokens("한국어") == "한 한국 국 국어 어"
    assert document_tokens("㐀𠀀") == "㐀 㐀𠀀 𠀀"
    # NFKC maps most compatibility ideographs (U+F900 豈) to the unified ones (U+8C48 豈).
    assert document_tokens("\uf900\u66f4") == "\u8c48 \u8c48\u66f4 \u66f4"


def test_katakana_middle_dot_separates():
    assert document_tokens("カタ・カナ") == "カ カタ タ カ カナ ナ"


def test_control_characters_and_nul_are_separators():
    assert document_tokens("疫\x00情\x01ab\x7fc") == "疫 情 ab c"


def test_empty_and_punctuation_only_text_gives_no_tokens():
    assert document_tokens("") == ""
    assert document_tokens("，。！？…") == ""


def test_search_document_cuts_the_body_where_tsvector_positions_end():
    headline, body = search_document("标题", "文" * (DOCUMENT_MAX_CHARS + 500))
    assert headline == "标 标题 题"
    assert body.split().count("文") == DOCUMENT_MAX_CHARS


# --- query_tsquery_parts ------------------------------------------------------------------


def test_a_cjk_run_becomes_a_phrase_over_its_bigrams_with_distance_two():
    assert query_tsquery_parts("疫情防控").tsquery == "( '疫情' <2> '情防' <2> '防控' )"


def test_a_single_cjk_character_matches_the_character():
    assert query_tsquery_parts("区").tsquery == "'区'"


def test_terms_are_anded_and_latin_words_normalised():
    parsed = query_tsquery_parts("疫情 ＷｉＦｉ 区")
    assert parsed.tsquery == "'疫情' & 'wifi' & '区'"
    assert parsed.needles == ("疫情", "wifi", "区")


def test_candidates_and_every_lexeme_without_phrase_distances():
    parsed = query_tsquery_parts('疫情防控 "smart city" 区')
    assert parsed.candidates == "'疫情' & '情防' & '防控' & 'smart' & 'city' & '区'"


def test_quoted_text_is_one_phrase_with_the_document_distances():
    assert query_tsquery_parts('"smart city"').tsquery == "( 'smart' <-> 'city' )"
    assert query_tsquery_parts("“高新区 WiFi”").tsquery == "( '高新' <2> '新区' <2> 'wifi' )"
    assert query_tsquery_parts("「区 a」").tsquery == "( '区' <-> 'a' )"


@pytest.mark.parametrize("query", ["", None, "   ", "，。！", "&|!()<>:*'\"\\", "\x00\x01"])
def test_nothing_searchable_gives_none(query):
    assert query_tsquery_parts(query) is None


def test_long_queries_are_trimmed_not_rejected():
    parsed = query_tsquery_parts(" ".join(f"w{i}" for i in range(200)))
    assert parsed.tsquery.count("&") == QUERY_MAX_TERMS - 1
    assert len(query_tsquery_parts("疫" * 3000).tsquery) < 1000


def test_operators_in_the_query_are_only_separators():
    assert query_tsquery_parts("a&b|!c:*").tsquery == "'a' & 'b' & 'c'"
    assert query_tsquery_parts("'; DROP TABLE x; --").tsquery == "'drop' & 'table' & 'x'"


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(query):
    parsed = query_tsquery_parts(query)
    assert parsed is None or isinstance(parsed, ParsedQuery)


# --- against PostgreSQL -------------------------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_a_valid_tsquery(pg, query):
    parsed = query_tsquery_parts(query)
    if parsed is not None:
        pg.execute(f"SELECT {search_sql.TSQUERY}", (parsed.tsquery,)).fetchone()
        pg.execute(f"SELECT {search_sql.TSQUERY}", (parsed.candidates,)).fetchone()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.sampled_from(ALPHABET) | st.characters(), max_size=200))
def test_any_text_gives_a_valid_tsquery_or_none(pg, query):
    parsed = query_tsquery_parts(query)
    if parsed is not None:
        pg.execute(f"SELECT {search_sql.TSQUERY}", (parsed.tsquery,)).fetchone()


def test_sql_tokeniser_equals_python_on_random_mixed_strings(pg):
    texts = random_strings(500) + random_strings(50, seed=8, max_length=2000)
    assert sql_tokens(pg, texts) == [document_tokens(t) for t in texts]


def test_sql_tokeniser_equals_python_on_every_bmp_character_and_cjk_extensions(pg):
    code_points = [c for c in range(1, 0x10000) if not 0xD800 <= c <= 0xDFFF]
    code_points += list(range(0x20000, 0x20100)) + list(range(0x2F800, 0x2F900))
    texts = [chr(c) for c in code_points]
    differing = [
        hex(c)
        for c, got, want in zip(
            code_points, sql_tokens(pg, texts), map(document_tokens, texts), strict=True
        )
        if got != want
    ]
    assert differing == []


def test_sql_tokeniser_keeps_null_and_empty_apart(pg):
    assert pg.execute("SELECT pg_temp.newsroom_cjk_tokens(NULL)").fetchone()[0] is None
    assert sql_tokens(pg, ["", "，。"]) == ["", ""]


@pytest.mark.parametrize(
    "document, query, expected",
    [
        ("区长张改华到高新区调研", "张改华", True),
        ("区长张改华到高新区调研", "到高新", True),
        ("区长张改华到高新区调研", "区", True),
        ("区长张改华到高新区调研", "张华", False),
        ("中原区委召开会议", "中原区委", True),
        # ANDed bigrams would match this; the phrase must not.
        ("中原区召开会议，区委书记讲话", "中原区委", False),
        ("疫情，防控", "疫情防控", False),
        ("ＷｉＦｉ全覆盖", "wifi", True),
        ("WiFi全覆盖", "ＷＩＦＩ", True),
        ("新建parking lots", "park", True),
        ("smart city 高新区", '"smart city"', True),
        ("city smart 高新区", '"smart city"', False),
        ("高新区WiFi覆盖", "“高新区 WiFi”", True),
        ("WiFi高新区覆盖", "“高新区 WiFi”", False),
        ("二〇二四年", "〇二四", True),
    ],
)
def test_queries_match_documents_as_substrings(pg, document, query, expected):
    assert matches(pg, document, query) is expected


def test_bounded_and_two_stage_searches_find_the_phrase_newest_first(pg):
    documents = [
        "中原区委召开会议",
        "中原区召开会议，区委书记讲话",
        "高新区",
        "中原区委书记到高新区",
    ]
    with pg.transaction():
        pg.execute(
            "CREATE TEMP TABLE search_docs (id int PRIMARY KEY, search tsvector) ON COMMIT DROP"
        )
        for id, document in enumerate(documents, 1):
            pg.execute(
                "INSERT INTO search_docs VALUES (%s, to_tsvector('english', %s))",
                (id, document_tokens(document)),
            )
        pg.execute(search_sql.SET_LOCAL_NO_SEQSCAN)
        parsed = query_tsquery_parts("中原区委")
        bounded = pg.execute(
            search_sql.BOUNDED_SEARCH.format(table="search_docs"),
            (parsed.tsquery, 1000, parsed.tsquery, 20, 0),
        ).fetchall()
        two_stage = pg.execute(
            search_sql.TWO_STAGE_SEARCH.format(table="search_docs"),
            (parsed.candidates, 1000, parsed.tsquery, parsed.tsquery, 20, 0),
        ).fetchall()
    assert bounded == two_stage == [(4,), (1,)]


def test_sql_search_vector_equals_the_one_from_python_tokens(pg):
    headline, body = "高新区ＷｉＦｉ全覆盖", "据了解，该项目总投资约12.5亿元。" * 5
    expression = search_sql.search_vector_expression("%s", "%s").replace(
        "newsroom_cjk_tokens", "pg_temp.newsroom_cjk_tokens"
    )
    from_sql = pg.execute(f"SELECT ({expression})::text", (headline, body)).fetchone()[0]
    from_python = pg.execute(
        f"SELECT ({search_sql.SEARCH_VECTOR_FROM_TOKENS})::text", search_document(headline, body)
    ).fetchone()[0]
    assert from_sql == from_python


# --- snippet ------------------------------------------------------------------------------


def test_snippet_marks_matches_in_the_original_text():
    segments = snippet("公司ＡＢＣ在高新区开通ＷｉＦｉ。", "abc wifi")
    assert ("ＡＢＣ", True) in segments
    assert ("ＷｉＦｉ", True) in segments
    assert "".join(text for text, _ in segments) == "公司ＡＢＣ在高新区开通ＷｉＦｉ。"


def test_snippet_html_escapes_everything_and_wraps_matches_in_mark():
    html = snippet_html('<script>alert("疫情")</script>', "疫情")
    assert html == "&lt;script&gt;alert(&quot;<mark>疫情</mark>&quot;)&lt;/script&gt;"


def test_snippet_shows_a_window_around_the_match_with_ellipses():
    text = "甲" * 500 + "张改华到高新区" + "乙" * 500
    segments = snippet(text, "张改华", length=60)
    assert segments[0] == ("…", False) and segments[-1] == ("…", False)
    assert ("张改华", True) in segments
    assert sum(len(t) for t, _ in segments[1:-1]) == 60


def test_snippet_prefers_the_window_with_the_most_distinct_matches():
    text = "疫情" + "甲" * 300 + "疫情与防控" + "乙" * 300
    segments = snippet(text, "疫情 防控", length=40)
    assert [t for t, is_match in segments if is_match] == ["疫情", "防控"]


def best_window_start(text: str, query: str, length: int) -> int:
    """Where snippet()'s window starts, by trying every match as its anchor and counting."""
    source, spans = tokens._match_spans(
        text, tokens._needle_regex(query_tsquery_parts(query).needles)
    )
    best_start, best_score = 0, (-1, -1)
    for s, _, _ in spans:
        start = max(0, min(s - length // 5, len(source) - length))
        inside = [key for a, b, key in spans if a >= start and b <= start + length]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def test_snippet_window_is_the_one_with_the_most_distinct_then_most_matches():
    rng = random.Random(5)
    pieces = ["疫情", "防控", "疫", "甲乙丙丁", "，", "Ｗｉｆｉ", "wifi ", "e\u0301", "。\n"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
        query = rng.choice(["疫情 防控", "疫", "wifi 防控", "é 疫情"])
        length = rng.choice([10, 40, 120])
        segments = snippet(text, query, length)
        shown = "".join(t for t, _ in segments if t != "…")
        start = best_window_start(text, query, length)
        source = tokens._match_spans(
            text, tokens._needle_regex(query_tsquery_parts(query).needles)
        )[0]
        assert shown == source[start : start + length], (text, query, length)


def test_snippet_highlights_a_latin_word_whole_from_its_start():
    segments = snippet("New parking lots and a sparkle", "park")
    assert [t for t, is_match in segments if is_match] == ["parking"]


def test_snippet_without_a_match_shows_the_beginning():
    assert snippet("甲乙丙丁", "戊") == [("甲乙丙丁", False)]
    assert snippet("甲乙丙丁", "") == [("甲乙丙丁", False)]


def test_snippet_maps_back_through_characters_that_nfkc_expands():
    text = "㈱公司ﬁ发布疫情通报"
    segments = snippet(text, "疫情")
    assert ("疫情", True) in segments
    assert "".join(t for t, _ in segments) == text


@pytest.mark.parametrize("query", HOSTILE)
def test_snippet_never_raises_on_hostile_queries(query):
    text = "区长张改华到高新区调研ＷｉＦｉ e\u0301 ㈱ <b>&amp;</b>"
    segments = snippet(text, query)
    assert "".join(t for t, _ in segments) == text
