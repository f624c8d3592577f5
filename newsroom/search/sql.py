"""SQL for Chinese-aware search, as string constants for migrations and raw queries.

``newsroom_cjk_tokens(text)`` is the SQL twin of ``tokens.document_tokens``: it is built from
the same regex patterns and returns the same string for the same input (tested in
tests/search/test_tokens.py). It exists so that the vector can be a
``GeneratedField(db_persist=True)`` and is never left stale by ``update()`` or
``bulk_create()``. Changing the tokeniser means a migration that replaces the function and
recomputes the column.

Caveat: ``lower()`` follows the database's LC_CTYPE. Equivalence is tested on a libc
``C.UTF-8`` database; glibc's other UTF-8 locales share its case tables, ICU ones may not.
"""

from newsroom.search.tokens import (
    CJK_EXPAND_PATTERN,
    CJK_EXPAND_TEMPLATE,
    DOCUMENT_MAX_CHARS,
    SEPARATOR_PATTERN,
    SPACES_PATTERN,
    TS_CONFIG,
)


def _literal(value: str) -> str:
    # The patterns are our own constants; standard_conforming_strings keeps backslashes.
    return "'" + value.replace("'", "''") + "'"


TOKENS_FUNCTION = "newsroom_cjk_tokens"

# One SQL expression, so the planner may inline it; IMMUTABLE (it depends only on its input,
# as lower() and normalize() do) and PARALLEL SAFE, as a generated column and parallel
# workers need. STRICT: NULL in, NULL out.
CREATE_TOKENS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TOKENS_FUNCTION}(doc text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $function$
SELECT btrim(regexp_replace(
    regexp_replace(
        regexp_replace(lower(normalize(doc, NFKC)), {_literal(SEPARATOR_PATTERN)}, ' ', 'g'),
        {_literal(CJK_EXPAND_PATTERN)},
        {_literal(CJK_EXPAND_TEMPLATE)},
        'g'),
    {_literal(SPACES_PATTERN)}, ' ', 'g'), ' ')
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
