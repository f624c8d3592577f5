"""The content types the core works with, registered by the apps that define them.

The core (the workflow's scheduled publishing, the editors' dashboard, previews, the page
cache, search) needs a few things of each kind of publishable content. The app that defines
a model declares them once, in its AppConfig.ready(), the way Django's admin takes
`admin.site.register()` and Wagtail its hooks:

    from newsroom import registry
    from newsroom.search.documents import DocumentSpec

    registry.register(
        LiveBlog,
        template="liveblogs/liveblog_detail.html",  # the public page, and its preview
        context=liveblog_context,                   # obj -> the template's context
        search=DocumentSpec(a=("title",), c=("summary",)),
    )

What the core asks of a registered model beyond that is what Django already knows: its admin
(admin:<app>_<model>_change), its public URL (get_absolute_url()), its workflow (a subclass of
newsroom.models.Publishable). The core reads `publishable_types()`; it imports no feature app
and names none. articles/content_types.py registers articles, events and galleries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    from newsroom.search.documents import DocumentSpec


@dataclass(frozen=True)
class PublishableType:
    """One registered kind of content (see the module docstring)."""

    model: type[models.Model]
    template: str
    # The public page's context for one object; the preview renders the same.
    context: Callable[[models.Model], dict]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def admin_change_url_name(self) -> str:
        return f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change"

    def detail_context(self, obj) -> dict:
        return self.context(obj)


_TYPES: dict[str, PublishableType] = {}


def default_context(obj) -> dict:
    """The object under its model's name ({"article": article}), nothing else."""
    return {obj._meta.model_name: obj}


def register(
    model: type[models.Model],
    *,
    template: str,
    context: Callable[[models.Model], dict] = default_context,
    search: DocumentSpec | None = None,
) -> PublishableType:
    """Declare `model` (a newsroom.models.Publishable) to the core; call it from the app's
    AppConfig.ready(). `search` also makes it searchable (newsroom.search.documents)."""
    # Imported here, not above: this module is read by the page cache (settings' cache
    # backend, before any model is loaded); register() runs once the models are.
    from newsroom.models import Publishable
    from newsroom.search import documents

    if not issubclass(model, Publishable):
        raise ImproperlyConfigured(f"{model.__name__} is not a newsroom.models.Publishable.")
    if not hasattr(model, "get_absolute_url"):
        raise ImproperlyConfigured(f"{model.__name__} has no get_absolute_url().")
    entry = PublishableType(model=model, template=template, context=context)
    _TYPES[entry.label] = entry
    if search is not None:
        documents.register(model, search)
    return entry


def publishable_types() -> list[PublishableType]:
    """Every registered content type, in the order the apps registered them."""
    return list(_TYPES.values())


def publishable_models() -> list[type[models.Model]]:
    return [entry.model for entry in _TYPES.values()]


def get(model_or_label) -> PublishableType | None:
    """The registration of a model, an instance or a label ("articles.article"), or None."""
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
    return _TYPES.get(label.lower())


def is_registered(model_or_label) -> bool:
    return get(model_or_label) is not None
