"""The search document of every searchable item, in a table of its own.

Each article, event, gallery and person has one `SearchDocument` row: its text in three weights
(A: the headline; B: kicker, subheadline, summary and the like; C: the body), as a `tsvector`
on PostgreSQL and as normalised plain text everywhere. The row is written in the same
transaction as the change it reflects: on `save()` (post_save) and on every workflow transition
(`newsroom.workflow.transitioned`, sent inside the transition's transaction). `bulk_create()`
and `update()` bypass both; `manage.py rebuild_search_index` catches up.

Why a separate table rather than a column on each model: the vector is about 18 KB an article
(research note, pitfall 9) and a column would ride along in every `select_related()`, every
`_base_manager` fetch (the workflow's row lock, foreign-key access) and every admin form,
where a default `.defer()` does not reach. Here no ordinary query can touch it; the search
statement joins it on (model_label, object_id). It also keeps the content models and their
migrations free of search plumbing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.search.sql import TOKENS_FUNCTION
from newsroom.search.tokens import DOCUMENT_MAX_CHARS, TS_CONFIG, normalise
from newsroom.workflow import transitioned

# --- plain text from the rich-text body ---------------------------------------------------------

# Block elements end a run of text: 中原</p><p>区委 is two runs, as a reader sees it. Inline ones
# (strong, em, a, span) do not: 张<strong>改华</strong> is still one name.
BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(markup: str) -> str:
    """The text a reader sees in sanitised rich text: tags dropped, entities decoded, one
    newline where a block ends."""
    if not markup or "<" not in markup and "&" not in markup:
        return markup or ""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --- what each model puts in its document -------------------------------------------------------


def _gallery_captions(gallery) -> list[str]:
    # Prefetched on the search results page; one query when a document is built.
    return [photo.caption for photo in gallery.photos.all() if photo.caption]


@dataclass(frozen=True)
class DocumentSpec:
    """Which fields of a model go into its document, by weight; `html` ones are rich text.
    `extra_c` adds text from related rows (a gallery's captions) to the C part."""

    a: tuple[str, ...]
    b: tuple[str, ...] = ()
    c: tuple[str, ...] = ()
    html: frozenset[str] = frozenset()
    extra_c: Callable[[models.Model], list[str]] | None = None
    # What a batch rebuild prefetches for extra_c.
    prefetch: tuple[str, ...] = ()
    # The time "recent first" sorts on; an expression over the model's own columns.
    sorted_by: Callable[[], models.Expression] = field(
        default=lambda: Coalesce("publish_at", "created_at")
    )

    @property
    def fields(self) -> frozenset[str]:
        return frozenset((*self.a, *self.b, *self.c))


SPECS: dict[str, DocumentSpec] = {
    "articles.article": DocumentSpec(
        a=("headline",),
        b=("kicker", "subheadline", "summary"),
        c=("body",),
        html=frozenset({"body"}),
    ),
    "articles.event": DocumentSpec(
        a=("title",),
        b=("venue", "organiser"),
        c=("description",),
        html=frozenset({"description"}),
    ),
    "articles.gallery": DocumentSpec(
        a=("title",), c=("description",), extra_c=_gallery_captions, prefetch=("photos",)
    ),
    "people.person": DocumentSpec(
        a=("display_name",),
        b=("title", "affiliation"),
        c=("bio",),
        sorted_by=lambda: models.F("created_at"),
    ),
}


def label_of(model_or_instance) -> str:
    return model_or_instance._meta.label_lower


def spec_for(model_or_instance) -> DocumentSpec:
    return SPECS[label_of(model_or_instance)]


@dataclass(frozen=True)
class Parts:
    """An item's text by weight, as readers see it (not normalised)."""

    a: str
    b: str
    c: str


def parts(instance) -> Parts:
    spec = spec_for(instance)

    def text(names: tuple[str, ...]) -> list[str]:
        values = []
        for name in names:
            value = getattr(instance, name) or ""
            values.append(plain_text(value) if name in spec.html else value.strip())
        return values

    c = text(spec.c)
    if spec.extra_c is not None:
        c += spec.extra_c(instance)
    return Parts(*("\n".join(v for v in values if v) for values in (text(spec.a), text(spec.b), c)))


# --- the table -----------------------------------------------------------------------------------


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


def build(instance) -> SearchDocument:
    """The unsaved document of `instance`, ready for save_documents()."""
    text_parts = parts(instance)
    a, b, c = (normalise(text) for text in (text_parts.a, text_parts.b, text_parts.c))
    # tsvector positions stop at 16,383 and a CJK character takes two: the vector holds the
    # first DOCUMENT_MAX_CHARS characters of A, B and C together, B and C cut to fit.
    room = max(0, DOCUMENT_MAX_CHARS - len(a))
    vector_b = b[:room]
    room = max(0, room - len(vector_b))
    vector_c = c[:room]
    return SearchDocument(
        model_label=label_of(instance),
        object_id=instance.pk,
        heading=a,
        text="\n".join(part for part in (a, b, c) if part),
        is_truncated=len(vector_b) < len(b) or len(vector_c) < len(c),
        document=DocumentVector(a, vector_b, vector_c),
        updated_at=timezone.now(),
    )


UPDATED_FIELDS = ["heading", "text", "is_truncated", "document", "updated_at"]


def save_documents(instances: Iterable, using: str | None = None) -> int:
    """Write the documents of `instances` (one model or several) in one upsert."""
    documents = [build(instance) for instance in instances]
    if documents:
        SearchDocument.objects.using(using).bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["model_label", "object_id"],
            update_fields=UPDATED_FIELDS,
        )
    return len(documents)


def delete_documents(model, pks: Iterable[int], using: str | None = None) -> None:
    SearchDocument.objects.using(using).filter(
        model_label=label_of(model), object_id__in=list(pks)
    ).delete()


# --- keeping documents current ---------------------------------------------------------------


def _saved(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    """After a save: rewrite the document, unless the save touched none of its fields (the
    workflow's status-only saves, handled by _transitioned)."""
    if update_fields is not None and not set(update_fields) & spec_for(sender).fields:
        return
    save_documents([instance], using=using)


def _deleted(sender, instance, using=None, **kwargs):
    delete_documents(sender, [instance.pk], using=using)


def _transitioned(sender, instance, **kwargs):
    # Inside the transition's transaction: the document commits or rolls back with it.
    if label_of(sender) in SPECS:
        save_documents([instance])


def _photo_changed(sender, instance, **kwargs):
    # A caption is part of its gallery's document (and of the one it was moved out of).
    if instance.gallery_id:
        try:
            gallery = instance.gallery
        except ObjectDoesNotExist:  # the gallery is being deleted with its photos
            return
        save_documents([gallery])
    left = getattr(instance, "_loaded_gallery_id", None)
    if left and left != instance.gallery_id:
        gallery_model = instance._meta.get_field("gallery").related_model
        save_documents(list(gallery_model._base_manager.filter(pk=left)))


for _label in SPECS:
    post_save.connect(_saved, sender=_label, dispatch_uid=f"search-save-{_label}")
    post_delete.connect(_deleted, sender=_label, dispatch_uid=f"search-delete-{_label}")
post_save.connect(_photo_changed, sender="articles.Photo", dispatch_uid="search-save-photo")
post_delete.connect(_photo_changed, sender="articles.Photo", dispatch_uid="search-delete-photo")
transitioned.connect(_transitioned, dispatch_uid="search-transitioned")
