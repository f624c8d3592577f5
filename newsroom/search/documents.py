"""The search document of every searchable item, in a table of its own.

Each item of a searchable model (registered with `register(model, DocumentSpec(...))` from
its app's AppConfig.ready(): articles/content_types.py, people/apps.py) has one
`SearchDocument` row: its text in three weights (A: the headline; B: kicker, subheadline,
summary and the like; C: the body), as a `tsvector` on PostgreSQL and as normalised plain text everywhere. The row is written in the same
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

from django.apps import apps
from django.db import models
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from newsroom.search.models import DocumentVector, SearchDocument
from newsroom.search.tokens import DOCUMENT_MAX_CHARS, normalise
from newsroom.text import plain_text
from newsroom.workflow import transitioned

# --- what each model puts in its document -------------------------------------------------------


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


# Model label → its spec, filled by register() from the apps' AppConfig.ready().
SPECS: dict[str, DocumentSpec] = {}


def register(model: type[models.Model], spec: DocumentSpec) -> None:
    """Make `model` searchable: its documents are written on save and on every workflow
    transition, deleted with the item, and rebuilt by `manage.py rebuild_search_index`."""
    label = label_of(model)
    SPECS[label] = spec
    post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-delete-{label}")
    transitioned.connect(_transitioned, dispatch_uid="search-transitioned")


def searchable_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in SPECS]


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


def parts(instance, spec: DocumentSpec | None = None) -> Parts:
    """`instance`'s text by weight; `spec` for an object that is not a model instance but
    has the spec's fields (a card)."""
    spec = spec or spec_for(instance)

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
