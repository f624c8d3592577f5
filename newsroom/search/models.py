"""The search engine's table: one row per searchable item (see newsroom/search/documents.py).

It belongs to the core app (`newsroom`): newsroom/models.py imports it so that Django finds it,
and its migration is newsroom/migrations/0003_search_document.py.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.search.sql import TOKENS_FUNCTION
from newsroom.search.tokens import TS_CONFIG


class DocumentVector(models.Expression):
    """The weighted vector of three texts, tokenised by the database's newsroom_cjk_tokens()
    (created by newsroom/migrations/0003_search_document.py): NULL on other databases."""

    output_field = SearchVectorField()

    def __init__(self, a: str, b: str, c: str):
        super().__init__()
        self.texts = (a, b, c)

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return "NULL", []
        sql = " || ".join(
            f"setweight(to_tsvector('{TS_CONFIG}'::regconfig, {TOKENS_FUNCTION}(%s)), '{weight}')"
            for weight in "ABC"
        )
        return sql, list(self.texts)


class SearchDocument(models.Model):
    """One searchable item's text, prepared for search (see the module docstring)."""

    # The model's label ("articles.article"): readable in SQL, and no ContentType look-up.
    model_label = models.CharField(_("type"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object id"))
    # Normalised (NFKC, lowercase) plain text. `heading` is the A part (SQLite ranks on it);
    # `text` is all of it, A, B and C: SQLite searches it, and PostgreSQL checks it for the
    # rare document longer than the vector can hold (`is_truncated`).
    heading = models.TextField(_("heading"), blank=True)
    text = models.TextField(_("text"), blank=True)
    # The vector holds the first DOCUMENT_MAX_CHARS characters; the rest is searched as text.
    is_truncated = models.BooleanField(_("longer than the vector"), default=False)
    # NULL on SQLite. The GIN index on it is PostgreSQL-only, made in the migration.
    document = SearchVectorField(_("search vector"), null=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            # One document per item; the upsert in save_documents() conflicts on it.
            models.UniqueConstraint(
                fields=["model_label", "object_id"], name="searchdoc_unique_object"
            ),
        ]
        indexes = [
            # The text fallback for long documents: a bitmap of the few truncated rows, ORed
            # with the GIN scan, so the fallback never scans the table.
            models.Index(
                fields=["id"], condition=models.Q(is_truncated=True), name="searchdoc_truncated_idx"
            ),
        ]

    def __str__(self):
        return f"{self.model_label}:{self.object_id}"
