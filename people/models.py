from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from newsroom.links import slug_url
from newsroom.models import published_condition
from newsroom.search.engine import SearchableQuerySet
from newsroom.slugs import unique_slug


def portrait_storage():
    """Portraits are kept with the news photos, outside MEDIA_ROOT, under unguessable names
    (articles.media serves them: a public person's to everyone, anyone else's to staff).
    A callable, so that migrations do not freeze the storage's settings."""
    return storages["photos"]


class PersonQuerySet(SearchableQuerySet):
    def public(self, now=None):
        """The people readers may know of: those with a byline on something published. Anyone
        else (a correspondent made by a print import whose story is still a draft, say) has
        no page, feed, sitemap entry or search filter. The one definition, used by all."""
        condition = Q(pk__in=[])
        for byline in byline_models():
            public = published_condition(now, through=f"{byline.content_field().name}__")
            condition |= Exists(byline.objects.filter(public, person=OuterRef("pk")))
        return self.filter(condition)

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
    photo = models.ImageField(
        _("photo"), upload_to="people/%Y/", storage=portrait_storage, blank=True
    )
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
        return slug_url("people:detail", self.slug)


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    CORRESPONDENT = "correspondent", _("Correspondent")
    INTERN = "intern", _("Intern")
    PHOTOGRAPHER = "photographer", _("Photographer")
    EDITOR = "editor", _("Editor")


class PersonLink:
    """A person as a byline in a list shows them: the name, linked to their page (the
    address is Person's own rule)."""

    __slots__ = ("display_name", "slug")

    def __init__(self, display_name: str, slug: str):
        self.display_name, self.slug = display_name, slug

    get_absolute_url = Person.get_absolute_url


class Credit:
    """A byline as a list shows it (people/bylines.py groups them): the role, 文/图, the person."""

    __slots__ = ("role", "is_text_and_photo", "person")

    def __init__(self, role: str, is_text_and_photo: bool, person: PersonLink):
        self.role, self.is_text_and_photo, self.person = role, is_text_and_photo, person


class BylineQuerySet(models.QuerySet):
    def credits(self, content_field: str):
        """(the content's id, role, 文/图, name, slug) of each byline, in order: rows for
        `credits_by_content()`, cheaper than the model instances of `for_cards()`."""
        return self.values_list(
            f"{content_field}_id",
            "role",
            "is_text_and_photo",
            "person__display_name",
            "person__slug",
        )

    def for_cards(self, content_field: str):
        """Bylines as lists show them, for prefetching by `content_field` (the foreign key to
        the content): the people's names and addresses, no more."""
        return self.select_related("person").only(
            content_field,
            "role",
            "order",
            "is_text_and_photo",
            "person__display_name",
            "person__slug",
        )


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

    objects = BylineQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.get_role_display()} {self.person.display_name}"

    @classmethod
    def content_field(cls) -> models.ForeignKey:
        """The foreign key to the content this byline credits (related_name="bylines")."""
        return next(
            field
            for field in cls._meta.get_fields()
            if isinstance(field, models.ForeignKey) and field.remote_field.related_name == "bylines"
        )


def credits_by_content(rows, content_ids) -> dict[int, list[Credit]]:
    """{content id: its Credits, in order} from the rows of `BylineQuerySet.credits()`."""
    credits = {content_id: [] for content_id in content_ids}
    for content_id, role, is_text_and_photo, name, slug in rows:
        credits[content_id].append(Credit(role, is_text_and_photo, PersonLink(name, slug)))
    return credits


def byline_models() -> list[type[BylineBase]]:
    """Every concrete byline model, whichever app defines it."""
    return [model for model in apps.get_models() if issubclass(model, BylineBase)]


class BylinedQuerySet(models.QuerySet):
    """For the querysets of content with bylines (a BylineBase with related_name="bylines"),
    mixed in before newsroom.models.PublishableQuerySet."""

    def _bylines(self) -> tuple[type[BylineBase], str]:
        relation = self.model.bylines.rel
        return relation.related_model, relation.field.attname

    def by_person(self, person):
        """What `person` is credited on, or any of several (a list of people or their ids)."""
        # A subquery rather than a join and DISTINCT: the list stays sortable and cheap.
        byline, column = self._bylines()
        people = person if isinstance(person, list | tuple) else [person]
        return self.filter(pk__in=byline.objects.filter(person__in=people).values(column))

    def contributor_condition(self, user) -> Q:
        """The author, or a person on the byline whose login is `user`."""
        byline, column = self._bylines()
        credited = byline.objects.filter(person__user=user).values(column)
        return super().contributor_condition(user) | Q(pk__in=credited)


class BylinedMixin:
    """For content models with bylines, before newsroom.models.Publishable: a person on the
    byline contributes, as BylinedQuerySet.contributor_condition() says in SQL."""

    def is_contributor(self, user) -> bool:
        if super().is_contributor(user):
            return True
        return bool(
            user.is_authenticated and self.pk and self.bylines.filter(person__user=user).exists()
        )
