"""Side effects of content changes, kept out of the models and the workflow: the caches.

Whenever what readers can see may have changed, after the commit (so that no request can
cache the old version after it): the page cache starts a new generation (newsroom/caching.py)
and the HTTP caches in front drop the pages that show it, by surrogate key:

- a story, event or gallery (a workflow transition, or a save or delete while public, its
  bylines, tags, corrections and links): its own page (`article-12`), every list of its kind
  (`articles`), its section's pages (`section-3`: the section's list and "more from the
  section"), and the pages of the events, galleries and stories linked to it;
- what many pages show (a section's name in the masthead, a person, a tag, a photo): `site`,
  every page;
- and every time `all`: the pages that name no keys of their own (feeds, sitemaps, archives,
  search).

The editor's choice of lead stories purges the front page (`front`). Edits of drafts, their
bylines and their tags leave the caches alone. Which keys each page carries: articles/views.py.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleByline,
    Event,
    FrontPageSlot,
    Gallery,
    GalleryByline,
    OldSlug,
    Photo,
    PrintEdition,
    PrintPage,
    PrintZone,
    Section,
)
from newsroom import caching, registry
from newsroom.models import Correction, Publishable
from newsroom.workflow import content_changed
from people.models import Person

LIST_KEYS = {Article: "articles", Event: "events", Gallery: "galleries"}


def key_of(obj) -> str:
    return f"{obj._meta.model_name}-{obj.pk}"


def keys_of(obj) -> set[str]:
    """The surrogate keys of the pages that show `obj`, a story, event or gallery."""
    keys = {key_of(obj), LIST_KEYS[type(obj)], caching.ALL_KEY}
    if isinstance(obj, Article):
        sections = {obj.section_id, getattr(obj, "_loaded_section_id", None)} - {None}
        keys |= {f"section-{pk}" for pk in sections}
    if obj.pk is None or not settings.HTTP_CACHE_PURGE_URLS:
        return keys  # no cache in front to purge: spare the queries
    if isinstance(obj, Article):
        keys |= {f"event-{pk}" for pk in obj.events.values_list("pk", flat=True)}
        keys |= {f"gallery-{pk}" for pk in obj.galleries.values_list("pk", flat=True)}
    elif isinstance(obj, Event):
        keys |= {f"article-{pk}" for pk in obj.articles.values_list("pk", flat=True)}
        keys |= {f"gallery-{pk}" for pk in obj.galleries.values_list("pk", flat=True)}
    else:
        keys |= {f"article-{pk}" for pk in obj.articles.values_list("pk", flat=True)}
        keys |= {f"event-{pk}" for pk in obj.events.values_list("pk", flat=True)}
    return keys


def invalidate(keys) -> None:
    """Now: a new page cache generation, and a purge of `keys` from the HTTP caches in front."""
    caching.bump()
    caching.purge(keys)


def invalidate_on_commit(keys) -> None:
    transaction.on_commit(partial(invalidate, set(keys)), robust=True)


def is_public(obj) -> bool:
    return obj is not None and obj.is_published()


@receiver(content_changed)
def content_changed_invalidates(sender, instance, **kwargs):
    # Sent after the commit, for every transition: publish, schedule, retract, correct...
    if type(instance) in LIST_KEYS:
        invalidate(keys_of(instance))


def public_content_saved(sender, instance, **kwargs):
    """Any registered content type's save or delete (newsroom.registry), whichever app
    registered it, so this listens to every model and ignores the rest."""
    if registry.is_registered(sender) and is_public(instance):
        invalidate_on_commit(keys_of(instance))


def byline_saved(sender, instance, **kwargs):
    content = getattr(instance, "article", None) or getattr(instance, "gallery", None)
    if is_public(content):
        invalidate_on_commit(keys_of(content))


def correction_saved(sender, instance, **kwargs):
    content = instance.content_object
    if type(content) in LIST_KEYS and is_public(content):
        invalidate_on_commit(keys_of(content))


def photo_saved(sender, instance, **kwargs):
    # A photo moved out of a public gallery changes that gallery's page too.
    galleries = {instance.gallery_id, getattr(instance, "_loaded_gallery_id", None)} - {None}
    if (
        Gallery.objects.published().filter(pk__in=galleries).exists()
        or Gallery.objects.published().filter(cover_photo=instance).exists()
        or Article.objects.published().filter(lead_photo=instance).exists()
    ):
        invalidate_on_commit({caching.SITE_KEY})


def shown_everywhere_saved(sender, **kwargs):
    invalidate_on_commit({caching.SITE_KEY})


def old_address_saved(sender, **kwargs):
    """Old addresses are in no page, but their redirects may be cached."""
    invalidate_on_commit({caching.ALL_KEY})


def front_page_changed(sender, **kwargs):
    invalidate_on_commit({"front", caching.ALL_KEY})


def tag_saved(sender, created=False, **kwargs):
    # A new tag is on no public page yet (adding it to a story is an m2m change).
    if not created:
        invalidate_on_commit({caching.SITE_KEY})


def relation_changed(sender, instance, action, model, pk_set=None, **kwargs):
    """Links between stories, events and galleries, and a story's tags."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Publishable) and not is_public(instance):
        return
    keys = keys_of(instance) if type(instance) in LIST_KEYS else {caching.SITE_KEY}
    if model in LIST_KEYS:  # the other side of a link (removed links are not in keys_of)
        keys |= {f"{model._meta.model_name}-{pk}" for pk in pk_set or ()}
        keys.add(LIST_KEYS[model])
    invalidate_on_commit(keys)


post_save.connect(public_content_saved, dispatch_uid="pagecache-save-content")
post_delete.connect(public_content_saved, dispatch_uid="pagecache-delete-content")
for model in (ArticleByline, GalleryByline):
    post_save.connect(byline_saved, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
    post_delete.connect(
        byline_saved, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}"
    )
post_save.connect(correction_saved, sender=Correction, dispatch_uid="pagecache-save-Correction")
post_delete.connect(correction_saved, sender=Correction, dispatch_uid="pagecache-delete-Correction")
post_save.connect(photo_saved, sender=Photo, dispatch_uid="pagecache-save-Photo")
post_delete.connect(shown_everywhere_saved, sender=Photo, dispatch_uid="pagecache-delete-Photo")
for model in (Section, Person):
    post_save.connect(
        shown_everywhere_saved, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}"
    )
for model in (Section, Person, Tag):
    post_delete.connect(
        shown_everywhere_saved, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}"
    )
post_save.connect(old_address_saved, sender=OldSlug, dispatch_uid="pagecache-save-OldSlug")
post_delete.connect(old_address_saved, sender=OldSlug, dispatch_uid="pagecache-delete-OldSlug")
post_save.connect(
    front_page_changed, sender=FrontPageSlot, dispatch_uid="pagecache-save-FrontPageSlot"
)
post_delete.connect(
    front_page_changed, sender=FrontPageSlot, dispatch_uid="pagecache-delete-FrontPageSlot"
)
post_save.connect(tag_saved, sender=Tag, dispatch_uid="pagecache-save-Tag")
for through in (
    Article.events.through,
    Article.galleries.through,
    Gallery.events.through,
    Article.tags.through,
):
    m2m_changed.connect(
        relation_changed, sender=through, dispatch_uid=f"pagecache-m2m-{through.__name__}"
    )


# --- the 数字报: its pages name no item, so they carry the `all` key -----------------------
def _print_edition_changed(sender, instance, **kwargs):
    if isinstance(instance, PrintEdition):
        invalidate({caching.ALL_KEY})


content_changed.connect(_print_edition_changed, dispatch_uid="pagecache-print-edition")


def print_page_saved(sender, instance, **kwargs):
    """A page or zone of a public edition changed (a zone moved, a page replaced)."""
    if isinstance(instance, PrintPage):
        public = PrintEdition.objects.published().filter(pk=instance.edition_id)
    else:  # by id: on a cascade the page may be gone already
        public = PrintEdition.objects.published().filter(pages__id=instance.page_id)
    if public.exists():
        invalidate_on_commit({caching.ALL_KEY})


for model in (PrintPage, PrintZone):
    post_save.connect(
        print_page_saved, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}"
    )
    post_delete.connect(
        print_page_saved, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}"
    )
