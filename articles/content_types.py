"""What the core needs to know of articles, events and galleries, declared once.

Called from ArticlesConfig.ready(): each content type's public template and page context
(shared by its page and its preview), and its search document (newsroom.registry). The
public views use the same context functions, so a page and its preview cannot drift apart.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from articles.models import Article, Event, Gallery, Photo
from newsroom import registry
from newsroom.prepared import prepared
from newsroom.search.documents import DocumentSpec, save_documents


def event_context(event: Event) -> dict:
    """The event and the public stories and galleries covering it."""
    now = timezone.now()
    return {
        "event": event,
        "coverage": _event_coverage.rows(event.pk, now),
        "galleries": _event_galleries.rows(event.pk, now),
    }


def gallery_context(gallery: Gallery) -> dict:
    """The gallery, its public events and its five newest public stories."""
    now = timezone.now()
    return {
        "gallery": gallery,
        "events": _gallery_events.rows(gallery.pk, now),
        "stories": _gallery_stories.rows(gallery.pk, now),
    }


# Compiled once (newsroom/prepared.py).
@prepared
def _event_coverage(event_id, now):
    return Article.objects.published(now).filter(events=event_id).for_listing().latest_first()


@prepared
def _event_galleries(event_id, now):
    return Gallery.objects.published(now).filter(events=event_id).for_cards().latest_first()


@prepared
def _gallery_events(gallery_id, now):
    return (
        Event.objects.published(now)
        .filter(galleries=gallery_id)
        .for_listing()
        .order_by("starts_at", "pk")
    )


@prepared
def _gallery_stories(gallery_id, now):
    return (
        Article.objects.published(now)
        .filter(galleries=gallery_id)
        .latest_first()
        .only("slug", "headline")[:5]
    )


def _gallery_captions(gallery: Gallery) -> list[str]:
    # Prefetched on the search results page; one query when a document is built.
    return [photo.caption for photo in gallery.photos.all() if photo.caption]


def _photo_changed(sender, instance, **kwargs):
    """A caption is part of its gallery's search document (and of the one it was moved out
    of, where Photo remembers it as `_loaded_gallery_id`)."""
    if instance.gallery_id:
        try:
            gallery = instance.gallery
        except ObjectDoesNotExist:  # the gallery is being deleted with its photos
            return
        save_documents([gallery])
    left = getattr(instance, "_loaded_gallery_id", None)
    if left and left != instance.gallery_id:
        save_documents(list(Gallery._base_manager.filter(pk=left)))


def register() -> None:
    registry.register(
        Article,
        template="articles/article_detail.html",
        search=DocumentSpec(
            a=("headline",),
            b=("kicker", "subheadline", "summary"),
            c=("body",),
            html=frozenset({"body"}),
        ),
    )
    registry.register(
        Event,
        template="articles/event_detail.html",
        context=event_context,
        search=DocumentSpec(
            a=("title",),
            b=("venue", "organiser"),
            c=("description",),
            html=frozenset({"description"}),
        ),
    )
    registry.register(
        Gallery,
        template="articles/gallery_detail.html",
        context=gallery_context,
        search=DocumentSpec(
            a=("title",), c=("description",), extra_c=_gallery_captions, prefetch=("photos",)
        ),
    )
    post_save.connect(_photo_changed, sender=Photo, dispatch_uid="search-save-photo")
    post_delete.connect(_photo_changed, sender=Photo, dispatch_uid="search-delete-photo")
