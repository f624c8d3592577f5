"""The 数字报: a day's printed pages online, made from their PDF (articles/digital/).

An edition (a date) has pages (第N版, with a 版名 and the page's PDF, image renditions and the
boxes of its text lines); a page has zones (热区): polygons in page-relative coordinates
(0..1 both ways), each leading to one article. An edition shares the workflow of everything
else (newsroom.models.Publishable): it becomes public when an editor publishes it, never by
an upload. An upload (PrintUpload) records the processing of one PDF on the task queue.
"""

from __future__ import annotations

import reversion
from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from newsroom.models import Publishable, PublishableQuerySet

# Where a page's files live inside the protected photo storage (articles/media.py serves them).
PRINT_FILES_DIR = "print/"


class PrintEditionQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by("-date")


class PrintEdition(Publishable):
    """A day's paper as printed. Public only once an editor publishes it."""

    date = models.DateField(_("edition date"))

    objects = PrintEditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("print edition (数字报)")
        verbose_name_plural = _("print editions (数字报)")
        ordering = ["-date"]
        constraints = [
            # One edition a day: an upload for a date adds pages to that day's edition.
            models.UniqueConstraint(fields=["date"], name="print_edition_one_per_day"),
        ]
        permissions = [("publish_printedition", _("Can publish and retract print editions"))]

    def __str__(self):
        return str(self.date)

    def get_absolute_url(self):
        d = self.date
        return reverse(
            "articles:print_edition", kwargs={"year": d.year, "month": d.month, "day": d.day}
        )


class PrintPageQuerySet(models.QuerySet):
    def public(self, now=None):
        return self.filter(edition__in=PrintEdition.objects.published(now))

    def with_public_zones(self, now=None):
        """The page's zones that lead to a public story, with the story's slug and headline
        (one query for all zones of all these pages)."""
        zones = (
            PrintZone.objects.filter(article__in=Article.objects.published(now))
            .select_related("article")
            .only("page_id", "points", "order", "article__slug", "article__headline")
            .order_by("order", "pk")
        )
        return self.prefetch_related(Prefetch("zones", queryset=zones, to_attr="public_zones"))


class PrintPage(models.Model):
    edition = models.ForeignKey(
        PrintEdition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="pages"
    )
    number = models.PositiveSmallIntegerField(_("page number"), help_text=_("第N版."))
    name = models.CharField(
        _("page name"), max_length=40, blank=True, help_text=_("版名, e.g. 要闻, 区域.")
    )
    # A random directory per page inside the protected storage; files are looked up by it.
    files_dir = models.CharField(max_length=80, unique=True, editable=False)
    pdf = models.CharField(_("PDF file"), max_length=200, editable=False)
    # [{"width", "height", "webp", "jpeg", "files"}], smallest first (articles/renditions.py).
    renditions = models.JSONField(default=list, editable=False)
    width_pt = models.FloatField(default=0, editable=False)
    height_pt = models.FloatField(default=0, editable=False)
    has_text_layer = models.BooleanField(_("has a text layer"), default=True, editable=False)
    # The text lines of the PDF: [{"text", "box": [x0, top, x1, bottom], "size"}], relative.
    lines = models.JSONField(default=list, editable=False)
    text = models.TextField(_("text"), blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PrintPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("print page")
        verbose_name_plural = _("print pages")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="print_page_number_once"),
        ]

    def __str__(self):
        label = _("Page %(page)s") % {"page": self.number}
        return f"{self.edition.date} {label} {self.name}".strip()

    def get_absolute_url(self):
        d = self.edition.date
        return reverse(
            "articles:print_page",
            kwargs={"year": d.year, "month": d.month, "day": d.day, "page": self.number},
        )

    @property
    def label(self) -> str:
        return _("Page %(page)s") % {"page": self.number}

    @property
    def largest(self) -> dict | None:
        return self.renditions[-1] if self.renditions else None

    @property
    def smallest(self) -> dict | None:
        return self.renditions[0] if self.renditions else None

    @property
    def aspect(self) -> float:
        return (self.height_pt / self.width_pt) if self.width_pt else 1.414

    def all_files(self) -> list[str]:
        names = [self.pdf] if self.pdf else []
        for entry in self.renditions or ():
            names += entry.get("files", [])
        return names


class PrintZone(models.Model):
    """A clickable region of a page (热区): a polygon leading to one article."""

    page = models.ForeignKey(
        PrintPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="zones"
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="print_zones",
    )
    # [[x, y], ...] relative to the page (0..1), at least three points.
    points = models.JSONField(_("points"), default=list)
    order = models.PositiveSmallIntegerField(default=0)
    is_automatic = models.BooleanField(_("made automatically"), default=True)

    class Meta:
        verbose_name = _("page zone")
        verbose_name_plural = _("page zones")
        ordering = ["page", "order", "pk"]
        indexes = [
            # The page view's prefetch: the zones of a page in order.
            models.Index(fields=["page", "order"], name="print_zone_page_idx"),
        ]

    def __str__(self):
        return str(self.article or _("(no story)"))

    def svg_points(self, width: float, height: float) -> str:
        return " ".join(f"{x * width:.1f},{y * height:.1f}" for x, y in self.points)


class PrintUpload(models.Model):
    """One uploaded PDF and its processing on the task queue (progress, outcome)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Processing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    edition_date = models.DateField(_("edition date"))
    first_page = models.PositiveSmallIntegerField(_("first page number"), default=1)
    page_names = models.JSONField(_("page names"), default=list, blank=True)
    # The uploaded PDF, kept in the protected storage until processed.
    source = models.CharField(max_length=200, editable=False)
    original_name = models.CharField(max_length=200, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("print PDF upload")
        verbose_name_plural = _("print PDF uploads")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.edition_date} {self.original_name}"

    @property
    def progress_percent(self) -> int:
        if not self.pages_total:
            return 0
        return int(100 * self.pages_done / self.pages_total)


# The workflow keeps the revision an item was signed off at (newsroom/review/chains.py); an
# edition's revisions are its publication history, nothing more.
if not reversion.is_registered(PrintEdition):
    reversion.register(PrintEdition)
