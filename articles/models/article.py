from __future__ import annotations

import html
from functools import cached_property
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.db.models.query import ValuesListIterable
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from articles.models.section import Section, SectionDeskMixin
from articles.richtext import BODY_EXTENSIONS, sanitise_body
from newsroom.links import slug_url
from newsroom.models import NEWEST_FIRST, Publishable, PublishableQuerySet
from newsroom.prepared import Pages, attach, prepared
from newsroom.slugs import unique_slug
from people.models import BylineBase, BylinedMixin, BylinedQuerySet, credits_by_content

# What an article card shows (articles/cards.py) and what its lists group by.
CARD_FIELDS = (
    "slug",
    "headline",
    "kicker",
    "subheadline",
    "summary",
    "status",
    "publish_at",
    "first_published_at",
    "print_edition_date",
    "print_page",
    "section__name",
    "section__slug",
    "section__order",
    "lead_photo__image",
    "lead_photo__width",
    "lead_photo__height",
    "lead_photo__alt_text",
    "lead_photo__renditions",
)

# What cards() selects, in the order ArticleCard() takes them.
CARD_COLUMNS = (
    "pk",
    "slug",
    "headline",
    "kicker",
    "subheadline",
    "summary",
    "first_published_at",
    "publish_at",
    "section_id",
    "section__name",
    "section__slug",
    "lead_photo__image",
    "lead_photo__width",
    "lead_photo__height",
    "lead_photo__alt_text",
    "lead_photo__renditions",
)


# NEWEST_FIRST as index columns (an index names the primary key by its column).
NEWEST_FIRST_COLUMNS = (models.F("publish_at").desc(nulls_last=True), models.F("id").desc())


class ArticleQuerySet(BylinedQuerySet, PublishableQuerySet):
    def tags(self):
        """The tags of these articles, each once. `Article.objects.published().tags()` is the
        one definition of the tags readers may see (the tag page, its feeds)."""
        return Tag.objects.filter(article__in=self).distinct()

    def in_section(self, section):
        return self.filter(section=section)

    def on_front_page(self):
        """The editor's lead stories, in the chosen order."""
        return self.filter(front_page_slot__isnull=False).order_by(
            "front_page_slot__order", "front_page_slot__pk"
        )

    def latest_by_section(self, section_ids, per_section: int):
        """The newest `per_section` articles of each section of `section_ids`, in one query,
        ordered by section then newest first: one LIMIT subquery a section, each read from
        the section's index in date order, rather than a window that sorts the archive (the
        outer query still tests each story against the subqueries' few ids)."""
        newest = self.latest_first().values("pk")
        condition = Q(pk__in=[])
        for section_id in section_ids:
            condition |= Q(pk__in=newest.filter(section_id=section_id)[:per_section])
        return self.model.objects.filter(condition).order_by(
            "section__order", "section__name", "section_id", *NEWEST_FIRST
        )

    def in_print_edition(self, date):
        """A day's paper, page by page, in reading order."""
        return self.filter(print_edition_date=date, print_page__isnull=False).order_by(
            "print_page", "pk"
        )

    def print_editions(self):
        """One row per edition date: {"print_edition_date", "pages", "stories"}, newest first."""
        return (
            self.filter(print_edition_date__isnull=False, print_page__isnull=False)
            .order_by()
            .values("print_edition_date")
            .annotate(pages=models.Count("print_page", distinct=True), stories=models.Count("pk"))
            .order_by("-print_edition_date")
        )

    def for_listing(self, *also: str):
        """What a list of article cards needs (articles/cards.py), in a fixed number of
        queries, and only the columns it shows: no body, no search text. `also` names the
        further columns a particular list shows (a feed item's body, a search hit's text):
        a column left deferred would cost one query per row. The cards' bylines come with
        one plain query (`attach_card_bylines`), not through prefetch_related."""
        clone = self.select_related("section", "lead_photo").only(*CARD_FIELDS, *also)
        clone._card_bylines = True
        return clone

    def cards(self, with_body: bool = False):
        """What a list of article cards shows (articles/cards.py), as ArticleCard objects made
        from CARD_COLUMNS rather than model instances, the bylines as Credits from one more
        query: a list page's twenty stories with their sections, photos and people cost more
        as models than the rest of the page. `with_body` adds the body (a search hit's
        snippet is cut from it). For lists that show nothing but cards; anything that needs
        more of a story (a feed) takes for_listing()."""
        clone = self.values_list(*CARD_COLUMNS, *(["body"] if with_body else []))
        clone._iterable_class = ArticleCards
        clone._card_bylines = True
        return clone

    def without_bylines(self):
        """for_listing() leaving the bylines to the caller (`attach_card_bylines`), which
        fetches those of several lists at once (the front page's)."""
        clone = self._chain()
        clone._card_bylines = False
        return clone

    def for_feed(self):
        """What a feed item needs (articles/feeds.py): a card's columns, the body (the item's
        description when there is no summary), the modification time, and the tags."""
        return self.for_listing("body", "updated_at").prefetch_related("tags")

    def for_detail(self):
        """The article with everything its page shows: related events and galleries are only
        the public ones. The article's own query says (one EXISTS each, on the link tables
        alone) whether it has tags, events, galleries and corrections; its bylines and tags are
        then fetched with one plain query each, and events, galleries and corrections only
        when it has any (`_fetch_all`). No prefetch_related machinery: a page of one story
        pays for few querysets."""
        from newsroom.models import Correction

        content_type = ContentType.objects.get_for_model(Article)
        in_article = {"content_type": content_type, "object_id": models.OuterRef("pk")}
        of_article = {"article_id": models.OuterRef("pk")}
        clone = self.select_related("section", "lead_photo__credit").annotate(
            has_tags=models.Exists(TaggedItem.objects.filter(**in_article)),
            has_events=models.Exists(Article.events.through.objects.filter(**of_article)),
            has_galleries=models.Exists(Article.galleries.through.objects.filter(**of_article)),
            has_corrections=models.Exists(Correction.objects.filter(**in_article)),
        )
        clone._for_detail = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._for_detail = getattr(self, "_for_detail", False)
        clone._card_bylines = getattr(self, "_card_bylines", False)
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None  # not the rows a prefetch put here
        super()._fetch_all()
        rows = self._result_cache
        if fetching and rows and isinstance(rows[0], (Article, ArticleCard)):
            if getattr(self, "_for_detail", False):
                _fetch_shown(rows)
            elif getattr(self, "_card_bylines", False):
                attach_card_bylines(rows)
        self._for_detail = self._card_bylines = False


def attach_card_bylines(articles) -> None:
    """The bylines cards show (names and addresses), for all of `articles` (instances or
    ArticleCards) in one query, put where `article.bylines.all()` finds them."""
    if articles and isinstance(articles[0], ArticleCard):
        credits = credits_by_content(
            _card_credits.rows([card.pk for card in articles]), [card.pk for card in articles]
        )
        for card in articles:
            card.bylines = Credits(credits[card.pk])
        return
    bylines = {article.pk: [] for article in articles}
    if not bylines:
        return
    for byline in _card_bylines.rows(list(bylines)):
        bylines[byline.article_id].append(byline)
    for article in articles:
        attach(article, "bylines", bylines[article.pk])


def _fetch_shown(articles):
    """What the article pages of `articles` (fetched with for_detail()) show beside their own
    row, put where `article.bylines.all()`, `.tags.all()`, `.events.all()`,
    `.galleries.all()` and `.corrections.all()` find it."""
    from articles.models.event import Event
    from articles.models.gallery import Gallery

    by_pk = {article.pk: article for article in articles}
    bylines = {pk: [] for pk in by_pk}
    for byline in _page_bylines.rows(list(by_pk)):
        ArticleByline.article.field.set_cached_value(byline, by_pk[byline.article_id])
        bylines[byline.article_id].append(byline)
    tags = {pk: [] for pk in by_pk}
    tagged = [pk for pk, article in by_pk.items() if article.has_tags]
    if tagged:
        for item in _page_tags.rows(tagged):
            tags[item.object_id].append(item.tag)
    for article in articles:
        attach(article, "bylines", bylines[article.pk])
        attach(article, "tags", tags[article.pk])
    shown = {  # flag: the relation and, built only when some article has it, what to fetch
        "has_events": (
            "events",
            lambda: Event.objects.published().order_by("starts_at", "pk"),
        ),
        "has_galleries": (
            "galleries",
            lambda: (
                Gallery.objects.published()
                .select_related("cover_photo")
                .with_covers()
                .latest_first()
            ),
        ),
        "has_corrections": ("corrections", None),
    }
    for flag, (relation, queryset) in shown.items():
        having = [article for article in articles if getattr(article, flag)]
        if having:
            prefetch_related_objects(
                having, Prefetch(relation, queryset=queryset() if queryset else None)
            )
        for article in articles:
            if not getattr(article, flag):  # known to be empty: no query
                attach(article, relation, [])


class Article(SectionDeskMixin, BylinedMixin, Publishable):
    kicker = models.CharField(
        _("kicker (引题)"), max_length=200, blank=True, help_text=_("The line above the headline.")
    )
    headline = models.CharField(_("headline (主题)"), max_length=200)
    subheadline = models.CharField(
        _("subheadline (副题)"),
        max_length=200,
        blank=True,
        help_text=_("The line below the headline."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_(
            "The article's web address. Made from the headline in pinyin until the article is first "
            "published; after that it stays, and if an editor changes it the old address redirects."
        ),
    )
    dateline = models.CharField(
        _("dateline"), max_length=60, blank=True, help_text=_("Such as 本报讯.")
    )
    summary = models.TextField(
        _("summary"),
        max_length=1000,
        blank=True,
        help_text=_("One or two sentences for lists, feeds and search engines."),
    )
    # Counted in HTML: the longest feature the paper prints is under a fifth of this.
    body = ProseEditorField(
        _("body"),
        extensions=BODY_EXTENSIONS,
        sanitize=sanitise_body,
        blank=True,
        max_length=200_000,
    )
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = TaggableManager(_("tags"), blank=True)
    lead_photo = models.ForeignKey(
        "articles.Photo",
        verbose_name=_("lead photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    print_edition_date = models.DateField(_("print edition date"), null=True, blank=True)
    print_page = models.PositiveSmallIntegerField(
        _("print page"),
        null=True,
        blank=True,
        help_text=_("Page number in the print edition (第N版)."),
    )
    events = models.ManyToManyField(
        "articles.Event", verbose_name=_("events covered"), blank=True, related_name="articles"
    )
    galleries = models.ManyToManyField(
        "articles.Gallery", verbose_name=_("galleries"), blank=True, related_name="articles"
    )
    word_count = models.PositiveIntegerField(_("length in characters"), default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-pk"]
        indexes = [
            # Public lists: published() ordered by publish_at.
            models.Index(fields=["status", "publish_at"], name="article_status_publish_idx"),
            # Lists newest first (latest_first): a page of them reads a few index entries.
            models.Index(*NEWEST_FIRST_COLUMNS, name="article_latest_idx"),
            models.Index("section", *NEWEST_FIRST_COLUMNS, name="article_section_latest_idx"),
            # How many public stories a section has (the numbers of its pages), counted from
            # the index alone: the rows are wide (the body), a heap read is a page a story.
            models.Index(
                fields=["section", "status", "publish_at"], name="article_section_count_idx"
            ),
            # What a search narrows (newsroom/search/engine.py candidates()): the public
            # stories' ids and the time they sort by, read from the index alone.
            models.Index(
                fields=["id", "status", "publish_at", "created_at"], name="article_visible_idx"
            ),
            # The admin change list's default order and the date filter.
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            models.Index(fields=["print_edition_date", "print_page"], name="article_print_idx"),
        ]
        permissions = [("publish_article", _("Can publish, schedule and retract articles"))]

    def __str__(self):
        return self.headline

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered to tell a typed slug from a stale one, and to keep old addresses.
        # __dict__, not getattr: a deferred field must not trigger a reload from here.
        instance._loaded_slug = instance.__dict__.get("slug")
        instance._loaded_headline = instance.__dict__.get("headline")
        # The section's lists lose the story when it moves (articles/signals.py).
        instance._loaded_section_id = instance.__dict__.get("section_id")
        return instance

    def save(self, *args, **kwargs):
        self.body = sanitise_body(self.body or "")
        self.word_count = len("".join(html.unescape(strip_tags(self.body)).split()))
        loaded_slug = getattr(self, "_loaded_slug", None)
        headline_changed = self.headline != getattr(self, "_loaded_headline", self.headline)
        has_been_public = self.has_been_public()
        if not self.slug or (not has_been_public and headline_changed and self.slug == loaded_slug):
            self.slug = unique_slug(Article.objects.all(), self.headline, self.pk)
        super().save(*args, **kwargs)
        if has_been_public and loaded_slug and loaded_slug != self.slug:
            OldSlug.objects.update_or_create(slug=loaded_slug, defaults={"article": self})
            OldSlug.objects.filter(slug=self.slug).delete()
        self._loaded_slug, self._loaded_headline = self.slug, self.headline
        self._loaded_section_id = self.section_id

    @classmethod
    def public_page(cls, slug: str) -> Article | None:
        """The published article at `slug`, with everything its page shows (for_detail)."""
        return _public_page.one_or_none(slug, timezone.now())

    @classmethod
    def public_in_section(cls, section_id: int) -> Pages:
        """A section's public stories as cards, newest first, for a Paginator."""
        return _in_section.pages(section_id, timezone.now(), counted_by=_count_in_section)

    def more_from_section(self) -> list[Article]:
        """The newest other public stories of this story's section, for the foot of its page."""
        if not self.section_id:
            return []
        return _more_from_section.rows(self.section_id, self.pk, timezone.now())

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    @property
    def title(self) -> str:
        return self.headline

    @property
    def print_page_label(self) -> str:
        return _("Page %(page)s") % {"page": self.print_page} if self.print_page else ""


class CardSection:
    """A story's section as a card (and the front page's blocks) shows it."""

    __slots__ = ("pk", "name", "slug")

    def __init__(self, pk: int, name: str, slug: str):
        self.pk, self.name, self.slug = pk, name, slug

    get_absolute_url = Section.get_absolute_url


class CardPhoto:
    """A lead photo as a card shows it: what renditions.picture_html() reads."""

    __slots__ = ("image", "width", "height", "alt_text", "renditions")

    def __init__(self, image: str, width, height, alt_text: str, renditions):
        self.image, self.width, self.height = image, width, height
        self.alt_text, self.renditions = alt_text, renditions


class Credits(list):
    """A card's bylines, read as `article.bylines.all()` reads a story's."""

    def all(self):
        return self


class ArticleCard:
    """An article in a list of cards (ArticleQuerySet.cards()): a few columns of its row, its
    section, lead photo and bylines. The address and the publication time are Article's
    own rules, read off these columns."""

    __slots__ = (
        "pk",
        "slug",
        "headline",
        "kicker",
        "subheadline",
        "summary",
        "first_published_at",
        "publish_at",
        "section",
        "lead_photo",
        "bylines",
        # Only with cards(with_body=True): unset, reading it fails rather than shows nothing.
        "body",
    )

    def __init__(
        self,
        pk,
        slug,
        headline,
        kicker,
        subheadline,
        summary,
        first_published_at,
        publish_at,
        section_id,
        section_name,
        section_slug,
        image,
        width,
        height,
        alt_text,
        renditions,
    ):
        self.pk, self.slug, self.headline = pk, slug, headline
        self.kicker, self.subheadline, self.summary = kicker, subheadline, summary
        self.first_published_at, self.publish_at = first_published_at, publish_at
        self.section = CardSection(section_id, section_name, section_slug) if section_id else None
        # The columns of a photo are NULL where there is none (its image never is).
        self.lead_photo = (
            CardPhoto(image, width, height, alt_text, renditions) if image is not None else None
        )
        self.bylines = Credits()

    get_absolute_url = Article.get_absolute_url
    published_at = Article.published_at

    def __repr__(self):
        return f"<ArticleCard {self.pk}: {self.headline}>"


class ArticleCards(ValuesListIterable):
    """cards()' rows as ArticleCards."""

    def __iter__(self):
        columns = len(CARD_COLUMNS)
        for row in super().__iter__():
            card = ArticleCard(*row[:columns])
            if len(row) > columns:
                card.body = row[columns]
            yield card


class ArticleByline(BylineBase):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")

    class Meta(BylineBase.Meta):
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="article_byline_unique_person_role"
            ),
        ]
        indexes = [
            # by_person(): a person page's list of articles.
            models.Index(fields=["person", "article"], name="article_byline_person_idx"),
        ]


class OldSlug(models.Model):
    """A slug an article was published under before an editor changed it: it redirects (301)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return self.slug


class FrontPageSlot(models.Model):
    """The lead stories on the home page, in the order an editor chose."""

    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="front_page_slot"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("front-page story")
        verbose_name_plural = _("front page")
        ordering = ["order", "pk"]

    def __str__(self):
        return str(self.article)


class FrontPage:
    """What the home page shows of the stories: the editor's leads, the latest headlines and
    the newest stories of every section, upcoming events and new galleries; each part is
    fetched when the template first asks for it."""

    latest_count = 10
    per_section = 4

    def __init__(self):
        self.now = timezone.now()

    @cached_property
    def leads(self) -> list[Article]:
        return self._cards[0]

    @cached_property
    def latest(self) -> list[Article]:
        """Headlines only: the columns the list shows."""
        return _front_latest.slice(0, self.latest_count, self.now)

    @cached_property
    def by_section(self) -> list[tuple]:
        """(section, its newest stories) for every section with stories, in one query."""
        blocks = groupby(self._cards[1], key=lambda card: card.section.pk)
        return [(stories[0].section, stories) for stories in (list(block) for _, block in blocks)]

    @cached_property
    def _cards(self) -> tuple[list[Article], list[Article]]:
        """The leads and the sections' stories, their bylines fetched together."""
        leads = _front_leads.rows(self.now)
        sections = _section_ids.rows()
        by_section = _front_by_section.rows(sections, self.now) if sections else []
        attach_card_bylines(leads + by_section)
        return leads, by_section

    @cached_property
    def events(self):
        from articles.models.event import upcoming_cards

        return upcoming_cards.slice(0, 4, self.now)

    @cached_property
    def galleries(self):
        from articles.models.gallery import newest_cards

        return newest_cards.slice(0, 4, self.now)


# The queries of an article's page, compiled once (newsroom/prepared.py).
@prepared
def _public_page(slug, now):
    return Article.objects.published(now).for_detail().filter(slug=slug)


@prepared
def _in_section(section_id, now):
    return Article.objects.published(now).in_section(section_id).cards().latest_first()


@prepared
def _count_in_section(section_id, now):
    # _in_section's rows without the joins of what a card shows: article_section_count_idx
    # counts them alone.
    return Article.objects.published(now).in_section(section_id)


@prepared
def _more_from_section(section_id, article_id, now):
    return (
        Article.objects.published(now)
        .in_section(section_id)
        .exclude(pk=article_id)
        .latest_first()
        .only("slug", "headline", "first_published_at", "publish_at")[:5]
    )


# The front page's: the leads are the published stories with a slot; the rest are the others.
@prepared
def _front_leads(now):
    return Article.objects.published(now).on_front_page().cards().without_bylines()


@prepared
def _section_ids():
    from articles.models.section import Section

    return Section.objects.order_by().values_list("pk", flat=True)


@prepared
def _front_by_section(section_ids, now):
    return (
        Article.objects.published(now)
        .exclude(pk__in=FrontPageSlot.objects.values("article_id"))
        .latest_by_section(section_ids, FrontPage.per_section)
        .cards()
        .without_bylines()
    )


@prepared
def _front_latest(now):
    return (
        Article.objects.published(now)
        .exclude(pk__in=FrontPageSlot.objects.values("article_id"))
        .latest_first()
        .only("slug", "headline", "publish_at", "first_published_at")
    )


@prepared
def _page_bylines(article_ids):
    return ArticleByline.objects.select_related("person").filter(article_id__in=article_ids)


@prepared
def _page_tags(article_ids):
    return (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id__in=article_ids
        )
        .select_related("tag")
        .order_by("object_id", "pk")
    )


@prepared
def _card_bylines(article_ids):
    return ArticleByline.objects.for_cards("article").filter(article_id__in=article_ids)


@prepared
def _card_credits(article_ids):
    return ArticleByline.objects.filter(article_id__in=article_ids).credits("article")
