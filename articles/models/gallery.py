from __future__ import annotations

from django.db import models
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import renditions
from articles.media import photo_storage
from articles.models.section import SectionDeskMixin
from newsroom.images import normalised_image, validate_image_upload
from newsroom.links import slug_url
from newsroom.models import Publishable, PublishableQuerySet
from newsroom.prepared import attach, prepared
from newsroom.slugs import unique_slug
from people.models import BylineBase, BylinedMixin, BylinedQuerySet


class GalleryQuerySet(BylinedQuerySet, PublishableQuerySet):
    def for_cards(self):
        """What gallery cards show (articles/cards.py gallery_card): the cover, the count of
        photos, the title and date; no bylines, no description."""
        return (
            self.select_related("cover_photo")
            .only("title", "slug", "status", "publish_at", "first_published_at", "cover_photo")
            .with_covers()
        )

    def for_detail(self):
        """The gallery with what its page and its photos' pages show: bylines, and photos
        with their credits, each fetched with one prepared query (`_fetch_all`)."""
        clone = self.select_related("cover_photo", "section")
        clone._for_detail = True
        return clone

    def with_covers(self):
        """Gallery cards: the photo count, and the first photo for galleries without a cover.

        At most two queries whatever the number of galleries or photos: the first photos
        are fetched (sliced per gallery with a window function) only for the galleries that
        have no cover photo, and not at all when every one has one."""
        clone = self.annotate(photo_count=models.Count("photos"))
        clone._first_photos = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._first_photos = getattr(self, "_first_photos", False)
        clone._for_detail = getattr(self, "_for_detail", False)
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None  # not the rows a prefetch put here
        super()._fetch_all()
        rows = self._result_cache
        if fetching and rows and isinstance(rows[0], Gallery):
            if getattr(self, "_first_photos", False):
                _attach_first_photos(rows)
            if getattr(self, "_for_detail", False):
                _attach_shown(rows)
        self._first_photos = self._for_detail = False


def _attach_first_photos(galleries):
    """Each gallery's `first_photos`: its first photo when it has no cover, else none (the
    cover is shown), fetched for all of `galleries` in one query and only if needed."""
    uncovered = {gallery.pk: gallery for gallery in galleries if not gallery.cover_photo_id}
    for gallery in galleries:
        gallery.first_photos = []
    if uncovered:
        for photo in _first_photos.rows(list(uncovered)):
            uncovered[photo.gallery_id].first_photos = [photo]


def _attach_shown(galleries):
    """The bylines and the photos (with credits) of `galleries`, where `gallery.bylines.all()`
    and `gallery.photos.all()` find them."""
    by_pk = {gallery.pk: gallery for gallery in galleries}
    bylines = {pk: [] for pk in by_pk}
    photos = {pk: [] for pk in by_pk}
    for byline in _page_bylines.rows(list(by_pk)):
        GalleryByline.gallery.field.set_cached_value(byline, by_pk[byline.gallery_id])
        bylines[byline.gallery_id].append(byline)
    for photo in _page_photos.rows(list(by_pk)):
        Photo.gallery.field.set_cached_value(photo, by_pk[photo.gallery_id])
        photos[photo.gallery_id].append(photo)
    for gallery in galleries:
        attach(gallery, "bylines", bylines[gallery.pk])
        attach(gallery, "photos", photos[gallery.pk])


class Gallery(SectionDeskMixin, BylinedMixin, Publishable):
    """A photo gallery (图集): ordered photos with captions and credits."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="galleries",
    )
    cover_photo = models.ForeignKey(
        "articles.Photo",
        verbose_name=_("cover photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Left empty, the first photo is the cover."),
    )
    events = models.ManyToManyField(
        "articles.Event", verbose_name=_("events covered"), blank=True, related_name="galleries"
    )

    objects = GalleryQuerySet.as_manager()

    class Meta:
        verbose_name = _("gallery")
        verbose_name_plural = _("galleries")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"], name="gallery_status_publish_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Gallery.objects.all(), self.title, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:gallery", self.slug)

    @classmethod
    def public_page(cls, slug: str) -> Gallery | None:
        """The published gallery at `slug`, with what its pages show (for_detail)."""
        return _public_page.one_or_none(slug, timezone.now())

    @property
    def headline(self) -> str:
        return self.title

    @property
    def cover(self):
        """The chosen cover photo, else the first photo (from with_covers() when prefetched)."""
        if self.cover_photo_id:
            return self.cover_photo
        first = getattr(self, "first_photos", None)
        if first is None:
            first = self.photos.all()[:1]
        return first[0] if first else None


class GalleryByline(BylineBase):
    gallery = models.ForeignKey(Gallery, on_delete=models.CASCADE, related_name="bylines")

    class Meta(BylineBase.Meta):
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(
                fields=["gallery", "person", "role"], name="gallery_byline_unique_person_role"
            ),
        ]


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Photos `user` may see in the admin: those of galleries they may read
        (PublishableQuerySet.visible_to), and the loose ones (lead photos: the shared pool)."""
        return self.filter(
            models.Q(gallery__isnull=True) | models.Q(gallery__in=Gallery.objects.visible_to(user))
        )

    def public(self, now=None):
        """Photos readers may see: in a published gallery or its cover, or the lead photo of a
        published article. Only their renditions are served to the public (articles/media.py)."""
        from articles.models.article import Article

        galleries = Gallery.objects.published(now)
        return self.filter(
            models.Q(gallery__in=galleries)
            | models.Q(pk__in=galleries.filter(cover_photo__isnull=False).values("cover_photo_id"))
            | models.Q(
                pk__in=Article.objects.published(now)
                .filter(lead_photo__isnull=False)
                .values("lead_photo_id")
            )
        )


class Photo(models.Model):
    """One photo: in a gallery (ordered) or on its own as an article's lead photo."""

    gallery = models.ForeignKey(
        Gallery,
        verbose_name=_("gallery"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    image = models.ImageField(
        _("image"),
        upload_to="photos/%Y/%m/",
        # Not MEDIA_ROOT: served only through articles.media.serve_photo_file.
        storage=photo_storage,
        max_length=255,
        # serve_photo_file finds a file's photo by its name.
        db_index=True,
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text=_(
            "JPEG, PNG, WebP or GIF. Location data is removed and the photo is turned upright."
        ),
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    caption = models.TextField(_("caption"), max_length=2000, blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    credit = models.ForeignKey(
        "people.Person",
        verbose_name=_("credit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    # Optimistic locking, as on the items (newsroom.admin.EditVersionForm): the photo admin
    # and the gallery's inline may edit the same photo at once; every save moves it on.
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    # The URLs and sizes of the WebP and JPEG renditions, made when the image is saved
    # (articles/renditions.py): pages render photos from the row alone.
    renditions = models.JSONField(_("renditions"), default=list, blank=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption[:60] or self.alt_text[:60] or self.image.name.rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        """Save, and make the renditions when the image is new or changed (or has none)."""
        if not self._state.adding:
            self.edit_version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "edit_version"}
        replaced = []
        if self.image and not self.image._committed:
            # Re-encoded once, before it is stored: upright, no EXIF/GPS.
            content, _size = normalised_image(self.image.file, self.image.name)
            self.image.save(content.name, content, save=False)
        image_changed = str(getattr(self, "_loaded_image_name", None) or "") != self.image.name
        # Set when this save left the renditions to a task (the admin says they are coming).
        self.renditions_pending = False
        if self.image and (image_changed or not self.renditions):
            if renditions.made_at_save(self):
                replaced, self.renditions = self.renditions, renditions.make(self)
            else:
                replaced, self.renditions = self.renditions, []
                self.renditions_pending = True
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "renditions"}
        super().save(*args, **kwargs)
        self._loaded_gallery_id = self.gallery_id
        self._loaded_image_name = self.image.name
        if replaced:
            renditions.delete_files(replaced, self.image.storage)
        if self.renditions_pending:
            from articles.tasks import make_photo_renditions
            from newsroom.tasks import enqueue_on_commit

            enqueue_on_commit(make_photo_renditions, self.pk, self.image.name)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The gallery it leaves when moved: its page and search document change too.
        instance._loaded_gallery_id = instance.__dict__.get("gallery_id")
        # A replaced image needs new renditions; __dict__ so that a deferred field stays so.
        instance._loaded_image_name = instance.__dict__.get("image")
        return instance

    def workflow_owners(self) -> list:
        """The workflow items that show this photo, as they are stored now: its gallery, the
        stories that lead with it and the galleries it is the cover of. Whoever changes the
        photo changes what they show, so must be allowed to edit every one of them."""
        from articles.models.article import Article

        if self.pk is None:
            return [self.gallery] if self.gallery_id else []
        stored_gallery = getattr(self, "_loaded_gallery_id", self.gallery_id)
        owners = list(Gallery._base_manager.filter(pk=stored_gallery)) if stored_gallery else []
        owners += Article._base_manager.filter(lead_photo=self)
        owners += Gallery._base_manager.filter(cover_photo=self).exclude(pk=stored_gallery)
        return owners

    @property
    def largest_rendition(self) -> dict | None:
        """The biggest rendition, what is shared (og:image, JSON-LD), or None until made."""
        return self.renditions[-1] if self.renditions else None

    def is_public(self, now=None) -> bool:
        return Photo.objects.public(now).filter(pk=self.pk).exists()


# Compiled once (newsroom/prepared.py): a gallery's page, what it shows, the newest cards.
@prepared
def _public_page(slug, now):
    return Gallery.objects.published(now).for_detail().filter(slug=slug)


@prepared
def newest_cards(now):
    return Gallery.objects.published(now).for_cards().latest_first()


@prepared
def _first_photos(gallery_ids):
    rank = models.Window(
        RowNumber(), partition_by=[models.F("gallery_id")], order_by=[models.F("order"), "pk"]
    )
    return Photo.objects.filter(gallery_id__in=gallery_ids).annotate(rank=rank).filter(rank=1)


@prepared
def _page_bylines(gallery_ids):
    return GalleryByline.objects.select_related("person").filter(gallery_id__in=gallery_ids)


@prepared
def _page_photos(gallery_ids):
    return Photo.objects.select_related("credit").filter(gallery_id__in=gallery_ids)
