"""SQL for Chinese-aware search, as string constants for migrations and raw queries.

``newsroom_cjk_tokens(text)`` is the SQL twin of ``tokens.document_tokens``: it cuts text
with the same TOKEN_PATTERN and returns the same string for the same input (tested in
tests/search/test_tokens.py on every BMP character and hundreds of mixed strings). It exists
so that the vector can be a ``GeneratedField(db_persist=True)`` and is never left stale by
``update()`` or ``bulk_create()``. Create it in a migration (RunSQL(CREATE_TOKENS_FUNCTION,
DROP_TOKENS_FUNCTION)) before the column; changing the tokeniser means a migration that
replaces the function and recomputes the column. Its body calls only pg_catalog functions,
so it also works under pg_dump's empty search_path. Needs a UTF8 database (normalize()).

Caveat: ``lower()`` follows the database's LC_CTYPE. Equivalence is tested on a libc
``C.UTF-8`` database; glibc's other UTF-8 locales share its case tables, ICU ones may not.
"""

from newsroom.search.tokens import DOCUMENT_MAX_CHARS, TOKEN_PATTERN, TS_CONFIG


def _literal(value: str) -> str:
    # The pattern is our own constant; standard_conforming_strings keeps its backslashes.
    return "'" + value.replace("'", "''") + "'"


TOKENS_FUNCTION = "newsroom_cjk_tokens"

# Runs of CJK characters (m[1]) or word characters (m[2]) in order; a CJK run of n > 1
# becomes c1 c1c2 c2 … cn. Cutting text into runs first is twice as fast in PostgreSQL as
# a per-character regexp_replace with lookbehind (1.3 against 2.3 ms of CPU for 1,270
# characters). IMMUTABLE (the result depends only on the input, as with lower() and
# normalize()) and PARALLEL SAFE, as a generated column and parallel workers need.
# STRICT: NULL in, NULL out; '' for text with no token, as document_tokens() gives.
CREATE_TOKENS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TOKENS_FUNCTION}(doc text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $function$
SELECT coalesce(string_agg(
    CASE WHEN length(m[1]) > 1 THEN (
        SELECT string_agg(substr(m[1], i, 1) || ' ' || substr(m[1], i, 2), ' ' ORDER BY i)
        FROM generate_series(1, length(m[1]) - 1) AS i
    ) || ' ' || right(m[1], 1)
    ELSE coalesce(m[1], m[2]) END,
    ' ' ORDER BY n), '')
FROM regexp_matches(lower(normalize(doc, NFKC)), {_literal(TOKEN_PATTERN)}, 'g')
    WITH ORDINALITY AS runs(m, n)
$function$;
"""

DROP_TOKENS_FUNCTION = f"DROP FUNCTION IF EXISTS {TOKENS_FUNCTION}(text);"


def search_vector_expression(headline: str = "headline", body: str = "body") -> str:
    """The stored vector as one SQL expression over two plain-text columns: the headline
    with weight A, then the body cut at DOCUMENT_MAX_CHARS (tsvector positions stop at
    16,383). Every function in it is IMMUTABLE, so it can back a GeneratedField."""
    return (
        f"setweight(to_tsvector('{TS_CONFIG}'::regconfig,"
        f" {TOKENS_FUNCTION}(coalesce({headline}, ''))), 'A')"
        f" || to_tsvector('{TS_CONFIG}'::regconfig,"
        f" {TOKENS_FUNCTION}(left(coalesce({body}, ''), {DOCUMENT_MAX_CHARS})))"
    )


# The same vector from token strings made in Python (tokens.search_document): two parameters.
SEARCH_VECTOR_FROM_TOKENS = (
    f"setweight(to_tsvector('{TS_CONFIG}'::regconfig, %s), 'A')"
    f" || to_tsvector('{TS_CONFIG}'::regconfig, %s)"
)

# Bind ParsedQuery.tsquery here; never format user text into SQL.
TSQUERY = f"to_tsquery('{TS_CONFIG}'::regconfig, %s)"

# The bounded search from the research note: match through the GIN index (seq scans off,
# because the planner ignores the cost of reading large TOASTed vectors), take the newest
# N matches ordered by an expression (id + 0, so the planner cannot walk the primary key
# backwards and filter), rank only those, and never select the vector itself. Run it inside
# a transaction after SET_LOCAL_NO_SEQSCAN. Parameters: tsquery, N, tsquery, limit, offset.
SET_LOCAL_NO_SEQSCAN = "SET LOCAL enable_seqscan = off"
BOUNDED_SEARCH = f"""
SELECT id FROM (
    SELECT id, search FROM {{table}}
    WHERE search @@ {TSQUERY}
    ORDER BY id + 0 DESC
    LIMIT %s
) AS newest
ORDER BY ts_rank(search, {TSQUERY}) DESC, id DESC
LIMIT %s OFFSET %s
"""

# Faster for phrases made of common bigrams. GIN keeps no positions, so a phrase match is
# rechecked against the stored vector of every candidate: with a phrase found in 9,000 of
# 10,000 articles that read 40,000 buffers (280 ms) where the same lexemes ANDed needed 900
# (17 ms). So take the newest N candidates of ParsedQuery.candidates (no recheck), keep
# those that match the phrase, rank them. It ranks the phrase matches among the newest N
# candidates rather than the newest N phrase matches; when it returns fewer rows than the
# limit, run BOUNDED_SEARCH, which is exact (and cheap when matches are few).
# Parameters: candidates, N, tsquery, tsquery, limit, offset.
TWO_STAGE_SEARCH = f"""
SELECT id FROM (
    SELECT id, search FROM {{table}}
    WHERE search @@ {TSQUERY}
    ORDER BY id + 0 DESC
    LIMIT %s
) AS candidates
WHERE search @@ {TSQUERY}
ORDER BY ts_rank(search, {TSQUERY}) DESC, id DESC
LIMIT %s OFFSET %s
"""
