from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.links import slug_url
from newsroom.models import Desk
from newsroom.prepared import prepared
from newsroom.slugs import unique_slug


class Section(models.Model):
    """A section of the paper (栏目), such as 要闻 or 社区."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first in menus.")
    )
    description = models.TextField(_("description"), max_length=1000, blank=True)
    desk = models.ForeignKey(
        Desk,
        verbose_name=_("desk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sections",
        help_text=_("The desk that edits this section's stories; empty: the default desk."),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Section.objects.all(), self.name, self.pk)
        desk_moved = self.pk is not None and self.desk_id != getattr(
            self, "_loaded_desk_id", self.desk_id
        )
        super().save(*args, **kwargs)
        self._loaded_desk_id = self.desk_id
        if desk_moved:
            # The section's items move with it (one UPDATE per content type).
            desk_id = self.desk_id or Desk.objects.default_id()
            for model in SectionDeskMixin.__subclasses__():
                model._base_manager.filter(section=self).update(desk_id=desk_id)

    def get_absolute_url(self):
        return slug_url("articles:section", self.slug)

    @classmethod
    def by_slug(cls, slug: str) -> Section | None:
        return _by_slug.one_or_none(slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_desk_id = instance.__dict__.get("desk_id")
        return instance


class SectionDeskMixin:
    """Content with a section belongs to the section's desk (else the default desk)."""

    def desk_source(self):
        return self.__dict__.get("section_id")

    def desk_from_content(self) -> int | None:
        section_id = self.__dict__.get("section_id")
        if section_id is None:
            return Desk.objects.default_id()
        # One query for both: the section's desk and the default.
        found = dict(
            Desk.objects.filter(
                models.Q(sections__pk=section_id) | models.Q(is_default=True)
            ).values_list("is_default", "pk")[:2]
        )
        return found.get(False, found.get(True))


@prepared
def _by_slug(slug):
    return Section.objects.filter(slug=slug)
