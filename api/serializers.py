"""What the API shows of each thing, as JSON. Read-only representations; writing is in
api/writing.py. Every serializer reads only what the view's queryset fetched (the query
counts are pinned in tests/api/test_read.py)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def absolute(url: str) -> str:
    """An address on the site as readers reach it (SITE_URL)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    order = serializers.IntegerField()
    canonical_url = serializers.SerializerMethodField()

    def get_canonical_url(self, section) -> str:
        return absolute(section.get_absolute_url())


class SectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField(source="display_name")


class PersonSerializer(PersonRefSerializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    affiliation = serializers.CharField()
    bio = serializers.CharField()
    canonical_url = serializers.SerializerMethodField()

    def get_canonical_url(self, person) -> str:
        return absolute(person.get_absolute_url())


class BylineSerializer(serializers.Serializer):
    """One credit, in the printed order, with its role (reporter, correspondent...)."""

    person = PersonRefSerializer()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    is_text_and_photo = serializers.BooleanField()


class TagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


def tags_of(obj) -> list:
    """The tags a list prefetched into `api_tags` (no queryset built per item: taggit's
    manager makes a joined one each time it is asked), else the detail's prefetch."""
    tags = getattr(obj, "api_tags", None)
    return list(obj.tags.all()) if tags is None else tags


class RenditionSerializer(serializers.Serializer):
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    webp = serializers.URLField()
    jpeg = serializers.URLField()


def renditions_of(photo) -> list[dict]:
    return [
        {
            "width": entry["width"],
            "height": entry["height"],
            "webp": absolute(entry.get("webp", "")),
            "jpeg": absolute(entry.get("jpeg", "")),
        }
        for entry in photo.renditions or ()
    ]


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    caption = serializers.CharField()
    alt_text = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    credit = PersonRefSerializer(allow_null=True)
    renditions = serializers.SerializerMethodField()

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, photo) -> list[dict]:
        return renditions_of(photo)


class CorrectionSerializer(serializers.Serializer):
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ItemRefSerializer(serializers.Serializer):
    """An event or gallery an article links to."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    canonical_url = serializers.SerializerMethodField()

    def get_canonical_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class PublishableSerializer(serializers.Serializer):
    """What every workflow item shows: its status as readers see it and its times."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    status = serializers.SerializerMethodField()
    canonical_url = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(allow_null=True)
    first_published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["draft", "review", "scheduled", "published", "unpublished", "spiked"]
        )
    )
    def get_status(self, obj) -> str:
        return obj.effective_status()

    def get_canonical_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class ArticleListSerializer(PublishableSerializer):
    kicker = serializers.CharField()
    headline = serializers.CharField()
    subheadline = serializers.CharField()
    dateline = serializers.CharField()
    summary = serializers.CharField()
    section = SectionRefSerializer(allow_null=True)
    bylines = BylineSerializer(many=True)
    tags = serializers.SerializerMethodField()
    lead_photo = PhotoSerializer(allow_null=True)
    print_edition_date = serializers.DateField(allow_null=True)
    print_page = serializers.IntegerField(allow_null=True)

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, article) -> list[dict]:
        return [{"id": t.pk, "name": t.name, "slug": t.slug} for t in tags_of(article)]


class ArticleSerializer(ArticleListSerializer):
    body = serializers.CharField()
    word_count = serializers.IntegerField()
    corrections = CorrectionSerializer(many=True)
    events = ItemRefSerializer(many=True)
    galleries = ItemRefSerializer(many=True)


class EventSerializer(PublishableSerializer):
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    is_all_day = serializers.BooleanField()
    venue = serializers.CharField()
    organiser = serializers.CharField()
    description = serializers.CharField()


class GalleryListSerializer(PublishableSerializer):
    title = serializers.CharField()
    description = serializers.CharField()
    section = SectionRefSerializer(allow_null=True)
    bylines = BylineSerializer(many=True)
    cover = PhotoSerializer(allow_null=True)
    photo_count = serializers.IntegerField()


class GallerySerializer(GalleryListSerializer):
    photos = PhotoSerializer(many=True)


class PrintEditionSerializer(serializers.Serializer):
    date = serializers.DateField(source="print_edition_date")
    pages = serializers.IntegerField()
    stories = serializers.IntegerField()
