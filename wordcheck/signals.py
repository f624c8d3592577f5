"""Where the check hooks into the content: every save of a checked item (or of one of its
photos) keeps a fresh result, and every workflow transition checks again under its lock.

The content models are registered here, not in their app: the content knows nothing of the
word check.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from newsroom import admin as newsroom_admin
from newsroom.workflow import before_transition, transitioned
from wordcheck import checks


def _articles_of_photo(photo):
    from articles.models import Article

    return Article.objects.filter(lead_photo=photo)


def _lead_photo(article):
    return [article.lead_photo] if article.lead_photo_id and article.lead_photo else []


def _gallery_photos(gallery):
    return gallery.photos.all() if gallery.pk else []  # ordered by the model; prefetchable


def register_content() -> None:
    from articles.models import Article, Event, Gallery

    checks.register(
        Article,
        checks.ContentSpec(
            fields=("kicker", "headline", "subheadline", "summary", "body"),
            html=frozenset({"body"}),
            photos=_lead_photo,
        ),
    )
    checks.register(
        Event, checks.ContentSpec(fields=("title", "description"), html=frozenset({"description"}))
    )
    checks.register(
        Gallery,
        checks.ContentSpec(
            fields=("title", "description"), photos=_gallery_photos, photo_inline=True
        ),
    )


def content_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    spec = checks.spec_for(instance)
    if spec is None:
        return
    if update_fields is not None and not set(update_fields) & {*spec.fields, "lead_photo"}:
        return  # a transition or bookkeeping: the guard checked it already
    checks.check_and_store(instance)


def photo_changed(sender, instance, raw=False, **kwargs):
    """A caption or alt text changed: check what shows the photo again."""
    if raw:
        return
    gallery = instance.gallery if instance.gallery_id else None
    if gallery is not None:
        checks.check_and_store(gallery)
    if instance.pk is not None:
        for article in _articles_of_photo(instance):
            checks.check_and_store(article)


def connect() -> None:
    from articles.models import Article, Event, Gallery, Photo

    register_content()
    for model in (Article, Event, Gallery):
        post_save.connect(content_saved, sender=model, dispatch_uid=f"wordcheck-{model.__name__}")
    post_save.connect(photo_changed, sender=Photo, dispatch_uid="wordcheck-photo-saved")
    post_delete.connect(photo_changed, sender=Photo, dispatch_uid="wordcheck-photo-deleted")
    before_transition.connect(checks.guard, dispatch_uid="wordcheck-guard")
    transitioned.connect(checks.record_signoff, dispatch_uid="wordcheck-signoff")
    from newsroom.review import record
    from wordcheck.panel import change_form_panel

    record.register_signature_annotator(checks.signature_lines)

    newsroom_admin.register_change_form_panel(change_form_panel)
