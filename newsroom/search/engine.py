"""The search engine: what a query means, which items match it, and in what order.

    Article.objects.published().search("乔耸").page(1)       # ranked, highlighted hits
    Article.objects.all().matching("乔耸")                   # a QuerySet of every match (admin)
    Search("贾鲁河", [Article.objects.published(), Event.objects.published()]).page(2)

Matching is substring matching (shared/research/chinese-search.md): every Chinese string of
one character or more is found wherever it occurs in a document, full-width and half-width
forms fold together, English words are stemmed on PostgreSQL. A query is cut into terms at
spaces; all terms must match. A term with several tokens (CCD相机, PM2.5, or anything in
quotes) is a phrase. Hostile input is only text: operators and quotes are separators, control
characters are dropped, and the query is cut to QUERY_MAX_CHARS.

On PostgreSQL the documents' tsvectors are matched through their GIN index; a document longer
than the vector (`is_truncated`) is also checked against its text with a regular expression.
The work is bounded for very common strings, as the research note found necessary: the index
finds every candidate without reading a vector, phrases are checked newest first only until
a page's worth (at least RANK_LIMIT) is found, those are ranked with ts_rank (headline A,
kicker/subheadline/summary B, body C), and the rest follow newest first. The count is exact,
except for a phrase so common that the check stopped early: then it is estimated, and says
so. On SQLite (the embedded default) the same terms become regular expressions over the
normalised text, a match in the heading ranks first, and the count is always exact.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial

from django.contrib.postgres.search import SearchQuery
from django.core.paginator import Page, Paginator
from django.db import connections, models, router
from django.db.models import Exists, OuterRef, Q, Value
from django.utils.safestring import SafeString, mark_safe

from newsroom.search import sql as search_sql
from newsroom.search.documents import SPECS, SearchDocument, label_of, parts
from newsroom.search.tokens import (
    CJK_CLASS,
    QUERY_MAX_CHARS,
    QUERY_MAX_INPUT_CHARS,
    QUERY_MAX_TERMS,
    TOKEN_PATTERN,
    TS_CONFIG,
    WORD_CLASS,
    ParsedQuery,
    normalise,
    query_tsquery_parts,
    snippet,
)

# Rank only the newest RANK_LIMIT matches (ts_rank reads every vector it ranks: 区 matches
# nearly every article). The rest are listed after them, newest first. Two hundred is ten
# pages of results; for a query matching 3,300 stories (bench/site.py's database) the
# statement took 12.8 ms ranking 1,000 and 7.6 ms ranking 200.
RANK_LIMIT = 200
# ts_rank weights for D, C, B, A. PostgreSQL's defaults (0.1, 0.2, 0.4, 1.0) let a body that
# repeats a phrase twenty times outrank a headline; at 0.05 it takes about eighty.
RANK_WEIGHTS = "{0.02, 0.05, 0.2, 1.0}"
SQLITE_HEADING_RANK, SQLITE_TEXT_RANK = 1.0, 0.05
# The order of "recent first" (sorted_at is never NULL: see DocumentSpec.sorted_by). The walk
# over the superset and the LIMIT above it name the same order, so PostgreSQL stops early.
NEWEST_FIRST = "sorted_at DESC, doc_id DESC"
# For the search statement only (SET LOCAL): 100,000 matches sort in about 9 MB.
WORK_MEM = "32MB"
# Page numbers beyond this are read as this (OFFSET must stay a sane integer).
MAX_PAGE = 10_000

_TOKEN_RE = re.compile(TOKEN_PATTERN)
_CJK_RE = re.compile(f"[{CJK_CLASS}]")
_QUOTES_RE = re.compile('["“”「」『』]')  # as tokens.query_tsquery_parts splits them
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Between two tokens of a phrase in normalised text: anything that is not a token character.
_SEPARATOR = f"[^{CJK_CLASS}{WORD_CLASS}]"


def clean_query_text(raw: str | None) -> str:
    """What the reader typed, fit to show back and to parse: control characters (NUL
    included) dropped, white space collapsed, at most QUERY_MAX_CHARS characters."""
    text = _CONTROL_RE.sub("", (raw or "")[:QUERY_MAX_INPUT_CHARS])
    return " ".join(text.split())[:QUERY_MAX_CHARS]


@dataclass(frozen=True)
class Term:
    """Tokens that must occur together, in order, separated only by punctuation or spaces."""

    tokens: tuple[str, ...]

    @cached_property
    def tsquery(self) -> str:
        # The research engineer's builder, fed one quoted phrase: the same distances as
        # document_tokens() gives the tokens in a document.
        parsed = query_tsquery_parts('"' + " ".join(self.tokens) + '"')
        return parsed.tsquery if parsed else ""

    @cached_property
    def pattern(self) -> str:
        """A regular expression (the same in Python `re`, SQLite's REGEXP and PostgreSQL's `~`)
        that finds the term in normalised text. A Latin token matches at a word start and
        runs to the word end (a cheap stand-in for stemming); a Chinese token anywhere."""
        out: list[str] = []
        previous_is_cjk: bool | None = None
        for token in self.tokens:
            is_cjk = bool(_CJK_RE.match(token))
            if previous_is_cjk is None:
                out.append(re.escape(token) if is_cjk else f"(^|[^{WORD_CLASS}]){re.escape(token)}")
            else:
                # Two Chinese or two Latin tokens are two tokens only if something parts them.
                gap = "+" if is_cjk == previous_is_cjk else "*"
                out.append(f"{_SEPARATOR}{gap}{re.escape(token)}")
            if not is_cjk:
                out.append(f"[{WORD_CLASS}]*")
            previous_is_cjk = is_cjk
        return "".join(out)


@dataclass(frozen=True)
class Query:
    """A parsed query: `text` as shown back to the reader, and its terms (all must match)."""

    text: str
    terms: tuple[Term, ...]

    @classmethod
    def parse(cls, raw: str | Query | None) -> Query | None:
        """The query, or None when there is nothing searchable in it."""
        if isinstance(raw, Query):
            return raw
        text = clean_query_text(raw)
        terms: list[Term] = []
        # Odd pieces were inside quotes (an unclosed quote runs to the end).
        for index, piece in enumerate(_QUOTES_RE.split(normalise(text))):
            chunks = [piece] if index % 2 else piece.split()
            for chunk in chunks:
                tokens = tuple(cjk or word for cjk, word in _TOKEN_RE.findall(chunk))
                if tokens:
                    terms.append(Term(tokens))
        terms = list(dict.fromkeys(terms))[:QUERY_MAX_TERMS]
        if not terms or not all(term.tsquery for term in terms):
            return None
        return cls(text=text, terms=tuple(terms))

    @cached_property
    def tsquery(self) -> str:
        """For to_tsquery(): bind it as a parameter, never format it into SQL."""
        return " & ".join(term.tsquery for term in self.terms)

    @cached_property
    def highlight(self) -> ParsedQuery:
        needles = tuple(dict.fromkeys(token for term in self.terms for token in term.tokens))
        return ParsedQuery(tsquery=self.tsquery, needles=needles)


# --- which documents match -------------------------------------------------------------------


def _is_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def matching(query: Query, label: str, using: str = "default") -> Q:
    """A condition on a model's primary key: the items of model `label` that match `query`.

    On PostgreSQL two semi-joins, never one OR over the document table: an OR makes PostgreSQL
    re-check `document @@ …` on every row of the bitmap, reading every matching vector from
    TOAST, where the GIN index alone answers a one-character query.
    """
    documents = SearchDocument.objects.using(using).filter(model_label=label)
    by_text = Q(*(Q(text__regex=term.pattern) for term in query.terms))
    if not _is_postgresql(using):
        return Q(pk__in=documents.filter(by_text).values("object_id"))
    by_vector = Q(document=SearchQuery(query.tsquery, search_type="raw", config=TS_CONFIG))
    # The few documents longer than their vector, through searchdoc_truncated_idx.
    longer = documents.filter(by_text, is_truncated=True)
    return Q(pk__in=documents.filter(by_vector).values("object_id")) | Q(
        pk__in=longer.values("object_id")
    )


# Match through the GIN index even for common terms (the planner ignores what reading TOASTed
# vectors costs, research note pitfall 5), and sort and hash a common term's hundred thousand
# matches in memory rather than on disk.
PLANNER_SETTINGS = f"{search_sql.SET_LOCAL_NO_SEQSCAN}; SET LOCAL work_mem = '{WORK_MEM}'"
PLANNER_RESET = "RESET enable_seqscan; RESET work_mem"


def no_seqscan(using: str) -> None:
    """Inside a transaction on PostgreSQL: PLANNER_SETTINGS until it ends."""
    if _is_postgresql(using):
        with connections[using].cursor() as cursor:
            cursor.execute(PLANNER_SETTINGS)


# --- ranked search over one or several querysets ---------------------------------------------


@dataclass
class Hit:
    """One result: the item, its type and rank, and its headline and snippet highlighted."""

    label: str
    pk: int
    rank: float | None
    sorted_at: datetime | None = None
    object: models.Model | None = None
    query: Query | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        return self.label.split(".", 1)[1]

    @cached_property
    def _parts(self):
        # By the label: the object may be a card (ArticleQuerySet.cards()), not a model.
        return parts(self.object, SPECS[self.label])

    @cached_property
    def title_html(self) -> SafeString:
        """The whole heading, matches in <mark>."""
        text = self._parts.a
        return _highlight(text, self.query, len(text) + 1)[0]

    @cached_property
    def snippet_html(self) -> SafeString:
        """About 120 characters of the text around the matches, matches in <mark>; the
        body is preferred, then the kicker and summary, then the body's beginning."""
        candidates = [text for text in (self._parts.c, self._parts.b) if text]
        for text in candidates:
            marked, has_match = _highlight(text, self.query, 120)
            if has_match:
                return marked
        return _highlight(candidates[0], None, 120)[0] if candidates else mark_safe("")


def _highlight(text: str, query: Query | None, length: int) -> tuple[SafeString, bool]:
    segments = snippet(text, query.highlight if query else None, length)
    marked = "".join(
        f"<mark>{html.escape(part)}</mark>" if is_match else html.escape(part)
        for part, is_match in segments
    )
    return mark_safe(marked), any(is_match for _, is_match in segments)  # noqa: S308 - escaped


class _Window(Sequence):
    """Stands in for the whole result list in Django's Paginator: it knows the total and holds
    the one page that was fetched."""

    def __init__(self, total: int, offset: int, hits: list[Hit]):
        self.total, self.offset, self.hits = total, offset, hits

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("a search page is sliced, not indexed")
        return self.hits[index.start - self.offset : index.stop - self.offset]


QuerySetBuilder = Callable[[], models.QuerySet]


def _itself(queryset: models.QuerySet) -> models.QuerySet:
    return queryset


class Search:
    """A query over one or several querysets (one per model), e.g. the published articles,
    events and galleries of a section. Each queryset decides what is visible; the search only
    narrows it. `load` maps a model label to a function that fetches the objects of a page of
    hits from their primary keys, still visible and with what the results show (a prepared
    query: newsroom/prepared.py; its queryset passed through `loading()`, or cards that carry
    the fields parts() reads); without one, the model's queryset is filtered by them.
    `candidates` maps a label to the SQL and parameters of `candidates(that queryset)` when
    the caller has them compiled already. `querysets` may also map each model to a function
    that builds its queryset: it is built only when the search needs it (on PostgreSQL with
    `candidates` and `load` given, never)."""

    def __init__(
        self,
        query: str | Query | None,
        querysets: Iterable[models.QuerySet] | Mapping[type[models.Model], QuerySetBuilder],
        load: dict[str, Callable[[list[int]], Iterable[models.Model]]] | None = None,
        candidates: dict[str, tuple[str, tuple]] | None = None,
        rank_limit: int = RANK_LIMIT,
    ):
        self.query = Query.parse(query)
        if isinstance(querysets, Mapping):
            dbs = {router.db_for_read(model) for model in querysets}
        else:
            querysets = list(querysets)
            dbs = {qs.db for qs in querysets}  # a queryset's using() is its own
            querysets = {qs.model: partial(_itself, qs) for qs in querysets}
        self.builders = {label_of(model): build for model, build in querysets.items()}
        self.load = load or {}
        self.candidates = candidates or {}
        self.rank_limit = rank_limit
        # Set by hits(): True when the total is an estimate (a very common phrase).
        self.total_is_estimate = False
        self.using = dbs.pop() if len(dbs) == 1 else router.db_for_read(SearchDocument)

    @cached_property
    def sources(self) -> dict[str, models.QuerySet]:
        """Each model's queryset, by label."""
        return {label: build() for label, build in self.builders.items()}

    def page(self, number: int = 1, per_page: int = 20) -> Page:
        """Page `number` of the results as a Django Page of Hits, their objects loaded. A
        number past the end gives the last page, as Paginator.get_page() does."""
        number = min(max(1, number), MAX_PAGE)
        hits, total = self.hits((number - 1) * per_page, per_page)
        last = max(1, -(-total // per_page))
        if number > last:
            number = last
            hits, total = self.hits((number - 1) * per_page, per_page)
        self._load(hits)
        window = _Window(total, (number - 1) * per_page, hits)
        page = Paginator(window, per_page).page(number)
        page.total_is_estimate = self.total_is_estimate
        return page

    def hits(self, offset: int = 0, limit: int = 20) -> tuple[list[Hit], int]:
        """(hits from `offset`, without their objects; the number of matches)."""
        if self.query is None or not self.builders:
            return [], 0
        if _is_postgresql(self.using):
            return self._postgresql_hits(offset, limit)
        return self._sqlite_hits(offset, limit)

    def count(self) -> int:
        return self.hits(0, 0)[1] if self.query else 0

    # --- PostgreSQL ---------------------------------------------------------------------
    def _postgresql_hits(self, offset: int, limit: int) -> tuple[list[Hit], int]:
        """Three steps in one statement, bounded for very common strings:

        1. superset: every visible item whose vector has all the query's lexemes, in any
           order (the GIN index answers that exactly, without reading a vector: research note
           pitfall 5), plus long documents whose text matches;
        2. verified: walking the superset newest first, the items that really match (the
           phrase check reads each vector from TOAST, so the walk stops after `window` of
           them), ranked with ts_rank as they are read;
        3. the page: the newest RANK_LIMIT of those by rank, the rest newest first.

        Without phrases the superset is the answer and the count exact. With phrases, when the
        walk stopped early, the count is estimated from the share that matched so far
        (self.total_is_estimate); the pages themselves are always exact.
        """
        connection = connections[self.using]
        table = connection.ops.quote_name(SearchDocument._meta.db_table)
        patterns = [term.pattern for term in self.query.terms]
        fallback = " AND ".join(["text ~ %s"] * len(patterns))
        has_phrase = "<" in self.query.tsquery
        window = max(self.rank_limit, offset + limit)
        and_query = re.sub(r"<(?:\d+|-)>", "&", self.query.tsquery)
        params: list = [and_query, *patterns, and_query]
        # One join a model, on the integer id: a join on (label, id) over all of them made
        # PostgreSQL sort 100,000 labels by collation.
        branches = []
        for label in self.builders:
            if label in self.candidates:
                sql, source_params = self.candidates[label]
            else:
                sql, source_params = candidates(self.sources[label]).query.sql_with_params()
            branches.append(
                f"""SELECT d.id AS doc_id, %s::text AS model_label, c.pk AS object_id, c.sorted_at
                FROM documents AS d JOIN ({sql}) AS c (pk, sorted_at) ON c.pk = d.object_id
                WHERE d.model_label = %s"""
            )
            params += [label, *source_params, label]
        # The superset's match is a UNION ALL, not an OR: see matching().
        statement = f"""
            WITH documents AS NOT MATERIALIZED (
                SELECT id, model_label, object_id FROM {table}
                WHERE document @@ {search_sql.TSQUERY}
                UNION ALL
                SELECT id, model_label, object_id FROM {table}
                WHERE is_truncated AND {fallback}
                    AND NOT coalesce(document @@ {search_sql.TSQUERY}, false)
            ),
            superset AS MATERIALIZED (
                {" UNION ALL ".join(branches)}
            ),
            verified AS MATERIALIZED (
                SELECT s.doc_id, s.model_label, s.object_id, s.sorted_at, s.position, v.rank
                FROM (
                    SELECT *, row_number() OVER (ORDER BY {NEWEST_FIRST}) AS position
                    FROM superset
                ) AS s
                CROSS JOIN LATERAL (
                    SELECT ts_rank(%s::float4[], (d.vector).f1, {search_sql.TSQUERY}) AS rank
                    FROM (
                        -- ROW() reads the vector from TOAST once, for the check and the rank
                        -- both (each use of the column would read it again).
                        SELECT ROW(document) AS vector, is_truncated, text
                        FROM {table} WHERE id = s.doc_id
                        OFFSET 0
                    ) AS d
                    WHERE (d.vector).f1 @@ {search_sql.TSQUERY}
                        OR (d.is_truncated AND {fallback.replace("text", "d.text")})
                    OFFSET 0  -- kept a subquery, row by row: a join would check every row
                ) AS v
                ORDER BY {NEWEST_FIRST.replace("sorted_at", "s.sorted_at").replace("doc_id", "s.doc_id")}
                LIMIT %s
            ),
            numbered AS (
                SELECT *, row_number() OVER (ORDER BY {NEWEST_FIRST}) <= %s AS is_ranked
                FROM verified
            ),
            counts AS (
                SELECT (SELECT count(*) FROM superset) AS superset,
                    (SELECT count(*) FROM verified) AS verified,
                    -- How far the walk went: the superset's rows up to the last one verified.
                    (SELECT coalesce(max(position), 0) FROM verified) AS scanned
            )
            -- One row of counts even when the page is empty (past the end).
            SELECT page.model_label, page.object_id, page.shown_rank, page.sorted_at,
                counts.superset, counts.verified, counts.scanned
            FROM counts LEFT JOIN LATERAL (
                SELECT model_label, object_id, doc_id, sorted_at, is_ranked,
                    CASE WHEN is_ranked THEN rank END AS shown_rank
                FROM numbered
                ORDER BY is_ranked DESC, shown_rank DESC NULLS LAST, {NEWEST_FIRST}
                LIMIT %s OFFSET %s
            ) AS page ON true
            ORDER BY page.is_ranked DESC, page.shown_rank DESC NULLS LAST,
                page.sorted_at DESC, page.doc_id DESC
        """
        params += [RANK_WEIGHTS, self.query.tsquery, self.query.tsquery, *patterns, window]
        params += [self.rank_limit, max(limit, 1), offset]
        # One round trip: a string of several statements runs as one transaction (implicit,
        # or the caller's), so the SET LOCALs hold for the statement, and the RESETs keep them
        # from outliving it inside a caller's transaction.
        with connection.cursor() as cursor:
            cursor.execute(f"{PLANNER_SETTINGS}; {statement}; {PLANNER_RESET}", params)
            while cursor.description is None and cursor.nextset():
                pass  # the SETs' results come first
            rows = cursor.fetchall()
        _, _, _, _, superset, verified, scanned = rows[0]
        self.total_is_estimate = has_phrase and verified >= window and scanned < superset
        if not has_phrase:
            total = superset
        elif self.total_is_estimate:
            total = max(verified, round(superset * verified / scanned))
        else:
            total = verified
        hits = [
            Hit(label, pk, rank, sorted_at, query=self.query)
            for label, pk, rank, sorted_at, *_ in rows
            if label is not None
        ]
        return (hits if limit else []), total

    # --- SQLite and others --------------------------------------------------------------
    def _sqlite_hits(self, offset: int, limit: int) -> tuple[list[Hit], int]:
        selects = []
        for label, queryset in self.sources.items():
            in_heading = SearchDocument.objects.using(self.using).filter(
                *(Q(heading__regex=term.pattern) for term in self.query.terms),
                model_label=label,
                object_id=OuterRef("pk"),
            )
            selects.append(
                queryset.order_by()
                .filter(matching(self.query, label, self.using))
                .annotate(
                    _search_label=Value(label, output_field=models.CharField()),
                    _search_in_heading=Exists(in_heading),
                    _search_sorted_at=SPECS[label].sorted_by(),
                )
                .values_list("_search_label", "pk", "_search_in_heading", "_search_sorted_at")
            )
        rows = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
        hits = [
            Hit(
                label,
                pk,
                SQLITE_HEADING_RANK if in_heading else SQLITE_TEXT_RANK,
                sorted_at,
                query=self.query,
            )
            for label, pk, in_heading, sorted_at in rows
        ]

        # As on PostgreSQL: only the newest rank_limit are ranked, the rest follow.
        def newest_first(hit):
            return (hit.sorted_at.timestamp() if hit.sorted_at else float("-inf"), hit.pk)

        hits.sort(key=newest_first, reverse=True)
        for hit in hits[self.rank_limit :]:
            hit.rank = None
        hits.sort(
            key=lambda hit: (hit.rank is not None, hit.rank or 0, *newest_first(hit)), reverse=True
        )
        return hits[offset : offset + limit], len(hits)

    # --- the objects --------------------------------------------------------------------
    def _load(self, hits: list[Hit]) -> None:
        """Fetch the objects of `hits`: one query (plus the prepare() prefetches) a model."""
        wanted: dict[str, list[int]] = {}
        for hit in hits:
            wanted.setdefault(hit.label, []).append(hit.pk)
        for label, pks in wanted.items():
            load = self.load.get(label)
            found = load(pks) if load else loading(self.sources[label].filter(pk__in=pks))
            objects = {obj.pk: obj for obj in found}
            for hit in hits:
                if hit.label == label:
                    hit.object = objects.get(hit.pk)
        # An item that stopped being visible between the two queries drops out of the page.
        hits[:] = [hit for hit in hits if hit.object is not None]


def candidates(queryset: models.QuerySet) -> models.QuerySet:
    """(pk, sorted_at) of every row the queryset allows: what a search narrows."""
    if queryset.query.is_sliced:
        raise ValueError("Search cannot narrow a sliced queryset.")
    return (
        queryset.order_by()
        .annotate(_search_sorted_at=SPECS[label_of(queryset.model)].sorted_by())
        .values_list("pk", "_search_sorted_at")
    )


def loading(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset`, loading the columns a hit's heading and snippet are made of (parts()) too:
    one left deferred (by a listing's .only()) would cost a query per hit."""
    names = SPECS[label_of(queryset.model)].fields
    chosen, deferring = queryset.query.deferred_loading
    if deferring:
        kept_deferred = set(chosen) - names
        if kept_deferred == set(chosen):
            return queryset
        return queryset.defer(None).defer(*kept_deferred) if kept_deferred else queryset.defer(None)
    return queryset.only(*chosen, *names)


class SearchableQuerySet(models.QuerySet):
    """`search()` and `matching()` for the querysets of searchable models (see SPECS)."""

    def search(self, query: str | Query | None, **kwargs) -> Search:
        """The ranked search of this queryset's rows: `.search(q).page(1)`."""
        return Search(query, [self], **kwargs)

    def matching(self, query: str | Query | None) -> models.QuerySet:
        """This queryset narrowed to the rows that match `query` (unranked, still a QuerySet:
        the admin's change list orders and pages it). Nothing matches an empty query."""
        parsed = Query.parse(query)
        if parsed is None:
            return self.none()
        return self.filter(matching(parsed, label_of(self.model), self.db))
