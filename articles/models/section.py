from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.links import slug_url
from newsroom.slugs import unique_slug


class Section(models.Model):
    """A section of the paper (栏目), such as 要闻 or 社区."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first in menus.")
    )
    description = models.TextField(_("description"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Section.objects.all(), self.name, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:section", self.slug)
