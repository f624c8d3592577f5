from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.search.engine import SearchableQuerySet
from newsroom.slugs import unique_slug


class PersonQuerySet(SearchableQuerySet):
    def unconfirmed(self):
        return self.filter(is_confirmed=False)


class Person(models.Model):
    """Anyone whose name appears on the paper's work: staff or outside contributors.

    One record per person, however many stories they are on.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        CONTRIBUTOR = "contributor", _("Outside contributor")

    display_name = models.CharField(
        _("name"), max_length=100, help_text=_("As printed in bylines, e.g. 张改华.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("Left empty, it is made from the name in pinyin."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    affiliation = models.CharField(
        _("affiliation"),
        max_length=200,
        blank=True,
        help_text=_("A correspondent's unit, such as 中原区纪委监委."),
    )
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("Job title, e.g. 首席记者.")
    )
    bio = models.TextField(_("biography"), max_length=5000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/%Y/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_(
            "Unticked for people created automatically (e.g. by a print import) until an editor checks them."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name"]
        indexes = [
            # Name look-ups by the print importer and the admin autocomplete.
            models.Index(fields=["display_name"], name="person_name_idx"),
        ]

    def __str__(self):
        if self.affiliation:
            return f"{self.display_name}（{self.affiliation}）"
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Person.objects.all(), self.display_name, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    CORRESPONDENT = "correspondent", _("Correspondent")
    INTERN = "intern", _("Intern")
    PHOTOGRAPHER = "photographer", _("Photographer")
    EDITOR = "editor", _("Editor")


class BylineBase(models.Model):
    """An ordered credit of a person on a piece of content, with a role.

    Concrete bylines add the foreign key to their content, named `content`'s
    model, with related_name="bylines".
    """

    Role = Role

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="%(class)ss"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REPORTER)
    is_text_and_photo = models.BooleanField(
        _("text and photos (文/图)"), default=False, help_text=_("The person also took the photos.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.get_role_display()} {self.person.display_name}"
