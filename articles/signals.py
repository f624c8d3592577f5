"""Side effects of content changes, kept out of the models and the workflow.

The page cache (newsroom/caching.py) starts a new generation whenever what readers can
see may have changed: after every workflow transition (publish, schedule, retraction,
correction...), and after any save or delete of public content or of what public pages
show with it (bylines, photos, sections, people, tags, the front page). Edits of drafts,
their bylines and their tags leave the cache alone. Each bump waits for the commit, so no
request can cache the old version after it.

The fragment cache (newsroom/fragments.py) keys an article's fragments by its own
`updated_at`, which its saves and transitions change; everything else here that readers
can see (events, galleries, bylines, photos, people, sections, tags, corrections, links
between stories, events and galleries) also starts a new shared fragment generation. A
story's transitions and public saves also retire the lists of stories kept elsewhere (the
"stories" group: the front page, events' coverage, galleries' stories) and its section's
("more from the section"), the one it left included.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleByline,
    FrontPageSlot,
    Gallery,
    GalleryByline,
    OldSlug,
    Photo,
    Section,
)
from newsroom import caching, fragments, registry
from newsroom.models import Correction, Publishable
from newsroom.workflow import content_changed
from people.models import Person


def bump_on_commit(*, fragments_too: bool = True) -> None:
    transaction.on_commit(caching.bump, robust=True)
    if fragments_too:
        fragments.bump_on_commit()


def changes_own_version(instance, update_fields=None) -> bool:
    """An article save that moves its `updated_at`: its fragments' keys follow by themselves."""
    return isinstance(instance, Article) and (
        update_fields is None or "updated_at" in update_fields
    )


def is_public(obj) -> bool:
    return obj is not None and obj.is_published()


def lists_of(article) -> set[str]:
    """The fragment groups of the lists a story is in: "stories" (the front page, an event's
    coverage, a gallery's stories) and its section's (and the one it left in this save)."""
    ids = {article.section_id, getattr(article, "_loaded_section_id", None)}
    return {"stories"} | {f"section:{pk}" for pk in ids if pk is not None}


@receiver(content_changed)
def content_changed_bumps(sender, instance, **kwargs):
    caching.bump()  # already after the commit; transitions set updated_at
    if isinstance(instance, Article):
        for group in lists_of(instance):
            fragments.bump_group(group)
    else:
        fragments.bump()  # an event's or gallery's state shows in the stories covering it


def public_content_saved(sender, instance, update_fields=None, **kwargs):
    """Any registered content type's save or delete (newsroom.registry), whichever app
    registered it, so this listens to every model and ignores the rest."""
    if registry.is_registered(sender) and is_public(instance):
        bump_on_commit(fragments_too=not changes_own_version(instance, update_fields))
        if isinstance(instance, Article):
            for group in lists_of(instance):
                transaction.on_commit(partial(fragments.bump_group, group), robust=True)


def byline_saved(sender, instance, **kwargs):
    if is_public(getattr(instance, "article", None) or getattr(instance, "gallery", None)):
        bump_on_commit()


def photo_saved(sender, instance, **kwargs):
    # A photo moved out of a public gallery changes that gallery's page too.
    galleries = {instance.gallery_id, getattr(instance, "_loaded_gallery_id", None)} - {None}
    if (
        Gallery.objects.published().filter(pk__in=galleries).exists()
        or Gallery.objects.published().filter(cover_photo=instance).exists()
        or Article.objects.published().filter(lead_photo=instance).exists()
    ):
        bump_on_commit()


def shown_with_content_saved(sender, **kwargs):
    bump_on_commit()


def page_only_saved(sender, **kwargs):
    """Old addresses: in no page, but a redirect may be cached."""
    bump_on_commit(fragments_too=False)


def front_page_changed(sender, **kwargs):
    """The editor's choice of lead stories: the front page's fragment goes with it."""
    bump_on_commit(fragments_too=False)
    transaction.on_commit(partial(fragments.bump_group, "stories"), robust=True)


def tag_saved(sender, created=False, **kwargs):
    # A new tag is on no public page yet (adding it to a story is an m2m change).
    if not created:
        bump_on_commit()


def relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and (
        not isinstance(instance, Publishable) or is_public(instance)
    ):
        bump_on_commit()


post_save.connect(public_content_saved, dispatch_uid="pagecache-save-content")
post_delete.connect(public_content_saved, dispatch_uid="pagecache-delete-content")
for model in (ArticleByline, GalleryByline):
    post_save.connect(byline_saved, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
    post_delete.connect(
        byline_saved, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}"
    )
post_save.connect(photo_saved, sender=Photo, dispatch_uid="pagecache-save-Photo")
post_delete.connect(shown_with_content_saved, sender=Photo, dispatch_uid="pagecache-delete-Photo")
for model in (Section, Person, Correction):
    post_save.connect(
        shown_with_content_saved, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}"
    )
post_save.connect(page_only_saved, sender=OldSlug, dispatch_uid="pagecache-save-OldSlug")
post_delete.connect(page_only_saved, sender=OldSlug, dispatch_uid="pagecache-delete-OldSlug")
post_save.connect(
    front_page_changed, sender=FrontPageSlot, dispatch_uid="pagecache-save-FrontPageSlot"
)
post_delete.connect(
    front_page_changed, sender=FrontPageSlot, dispatch_uid="pagecache-delete-FrontPageSlot"
)
for model in (Section, Person, Correction, Tag):
    post_delete.connect(
        shown_with_content_saved, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}"
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
