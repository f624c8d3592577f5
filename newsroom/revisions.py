"""Restoring an old revision of one item: its own fields and its own children, nothing else.

django-reversion's `Revision.revert()` writes back every object saved in the same revision
(a bulk action saves many items in one; a photo may have moved to another gallery since),
and writes every field, status and publication times included. Here only the item named in
the admin's URL and the rows that belong to it (bylines, a gallery's photos) are written,
and the workflow's fields keep their current values. The caller runs this inside a
transaction and then saves the item through its normal form, so the restore is recorded
(a new revision, a log entry, a new edit version) like any other change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version
from reversion.revisions import _get_options


@dataclass
class Restored:
    """What a restore wrote: the names of the item's fields it changed, and the children it
    left alone because they belong to another item now."""

    changed_fields: list[str] = field(default_factory=list)
    skipped_children: list[str] = field(default_factory=list)


def versions_of(obj) -> models.QuerySet:
    """The stored versions of exactly this object (its model and its primary key)."""
    return Version.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    )


def own_child_relations(model) -> list[tuple[type[models.Model], str]]:
    """(child model, attname of its foreign key to `model`) for each relation reversion
    follows from `model` that makes rows belong to it (reverse foreign keys)."""
    relations = []
    for name in _get_options(model).follow:
        relation = model._meta.get_field(name)
        if relation.one_to_many and not relation.concrete:
            relations.append((relation.related_model, relation.field.attname))
    return relations


def write_revision(obj, version: Version, kept: dict, removable=frozenset()) -> Restored:
    """Write `version` of `obj`, and the versions of `obj`'s own children saved with it, to
    the database; `kept` are current values (field attname -> value) the old copy must not
    overwrite. Children added since the revision are removed if their model is in
    `removable` (what the user may delete in the item's form), as the item goes back to how
    it was; children of the revision that now belong to another item are left where they are.

    Raw saves, as reversion makes them: the caller's transaction is rolled back when the
    restore is only looked at, and the caller saves the item through its form to keep it.
    """
    model = type(obj)
    result = Restored()
    old = version._object_version
    restored = old.object
    restored.pk = obj.pk
    for attname, value in kept.items():
        setattr(restored, attname, value)
    result.changed_fields = [
        str(f.verbose_name)
        for f in model._meta.concrete_fields
        if f.attname not in kept and getattr(restored, f.attname) != getattr(obj, f.attname)
    ]

    writes = []
    for child_model, fk in own_child_relations(model):
        keep_pks = []
        for child_version in version.revision.version_set.get_for_model(child_model):
            child = child_version._object_version.object
            if getattr(child, fk) != obj.pk:
                continue  # another item's row, saved in the same revision (a bulk action)
            owner_now = (
                child_model._base_manager.filter(pk=child.pk).values_list(fk, flat=True).first()
            )
            if owner_now is not None and owner_now != obj.pk:
                result.skipped_children.append(str(child))
                continue
            if owner_now is not None and hasattr(child, "edit_version"):
                # A restore is a change: a form loaded before it must not save over it.
                child.edit_version = (
                    child_model._base_manager.filter(pk=child.pk)
                    .values_list("edit_version", flat=True)
                    .get()
                    + 1
                )
            keep_pks.append(child.pk)
            writes.append(child_version)
        # Deleted first: a child added since may hold what a restored one needs (a unique
        # person and role on a byline).
        if child_model in removable:
            for extra in child_model._base_manager.filter(**{fk: obj.pk}).exclude(pk__in=keep_pks):
                extra.delete()
    try:
        with transaction.atomic(using=version.db):
            old.save(using=version.db)
            for child_version in writes:
                child_version._object_version.save(using=version.db)
    except IntegrityError as exc:
        # Two restored bylines swapping people, say: the old rows no longer fit together.
        raise RevertError(
            _("This version cannot be restored as it is: %(error)s") % {"error": exc}
        ) from exc
    return result
