"""The read API (`/api/v1/`): thin viewsets over the models' querysets.

What each list fetches is fixed (select_related and prefetches), so the number of queries of
a page does not grow with its size or with the bylines, tags and photos of its items; the
counts are pinned in tests/api/test_read.py. Anonymous clients read `published()` only
(api/access.py).
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api import ninjs
from api.access import readable, writable
from api.authentication import TokenAuthentication
from api.filters import ArticleFilter, EventFilter, GalleryFilter
from api.idempotency import once
from api.pagination import ContentCursorPagination, NameCursorPagination
from api.parsers import CleanJSONParser
from api.permissions import TokenScopes
from api.renderers import CONTENT_RENDERERS, JSON_RENDERERS
from api.serializers import (
    ArticleListSerializer,
    ArticleSerializer,
    EventSerializer,
    GalleryListSerializer,
    GallerySerializer,
    PersonSerializer,
    PrintEditionSerializer,
    SectionSerializer,
    TagSerializer,
)
from api.throttling import AnonymousThrottle, TokenThrottle
from api.writing import ArticleWriteSerializer, EditConflict, create_draft, update_draft
from articles.models import Article, ArticleByline, Event, Gallery, GalleryByline, Photo, Section
from newsroom import workflow
from people.models import Person

NOT_MODIFIED = OpenApiResponse(description="Not modified (If-None-Match or If-Modified-Since).")

ERRORS = OpenApiTypes.OBJECT

# Sparse fieldsets: `?fields=headline,canonical_url` answers with only those (JSON only).
FIELDS = OpenApiParameter(
    "fields",
    OpenApiTypes.STR,
    description=gettext_lazy(
        "Only these fields, comma-separated (e.g. headline,canonical_url); JSON only. An "
        "unknown name is a 400 that lists the known ones."
    ),
)
# The content responses' components: with `fields`, any of their properties may be left out.
SPARSE_COMPONENTS = ("ArticleList", "Article", "Event", "GalleryList", "Gallery")


def sparse_fields_schema(result, generator, request, public):
    """drf-spectacular post-processing: the content components require nothing, since
    `fields` may leave any property out."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in SPARSE_COMPONENTS:
        schemas.get(name, {}).pop("required", None)
    return result


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[name for name, rule in workflow.TRANSITIONS.items() if rule.who != workflow.SYSTEM]
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=workflow.NOTE_MAX_LENGTH
    )
    at = serializers.DateTimeField(
        required=False, help_text=gettext_lazy("When to publish (the `schedule` action).")
    )
    edit_version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=gettext_lazy("The version you last read: refused with 409 if it moved since."),
    )


class ApiView:
    """What every API view shares: content negotiation, and conditional GET: an ETag of the
    body (and Last-Modified where the view knows it) with 304 for a client that has it."""

    renderer_classes = JSON_RENDERERS
    # Forms too (NUL in them is refused by newsroom/request_guard.py).
    parser_classes = [CleanJSONParser, FormParser, MultiPartParser]
    authentication_classes = [TokenAuthentication]
    permission_classes = [TokenScopes]
    throttle_classes = [AnonymousThrottle, TokenThrottle]
    last_modified = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Authorization"])
        if request.auth is not None:
            patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        else:
            patch_cache_control(response, max_age=0, must_revalidate=True)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["ETag"] = etag
        last_modified = self.last_modified.timestamp() if self.last_modified else None
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(
            request._request, etag=etag, last_modified=last_modified, response=response
        )


class ContentViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Articles, events and galleries: JSON or ninjs, a cursor, filters."""

    model = None
    renderer_classes = CONTENT_RENDERERS
    pagination_class = ContentCursorPagination
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = "[0-9]{1,18}"
    list_serializer_class = None

    def get_queryset(self):
        if self.action in ("transition", "partial_update"):
            queryset = writable(self.model, self.request)
        else:
            queryset = readable(self.model, self.request)
        if self.action == "list":
            return self.list_queryset(queryset)
        return self.detail_queryset(queryset)

    @classmethod
    def list_queryset(cls, queryset):
        return queryset

    @classmethod
    def detail_queryset(cls, queryset):
        return queryset

    @classmethod
    def detail_data(cls, obj) -> dict:
        """The detail's JSON of `obj`, whoever may read it (webhooks' payloads)."""
        found = cls.detail_queryset(cls.model.objects.all()).get(pk=obj.pk)
        return cls.serializer_class(found).data

    def wants_ninjs(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "ninjs"

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def sparse_fields(self) -> list[str] | None:
        """The names asked for by `?fields=`, checked (a 400 names the unknown ones)."""
        raw = self.request.query_params.get("fields")
        if raw is None:
            return None
        names = [name.strip() for name in raw.split(",") if name.strip()]
        if self.wants_ninjs():
            raise serializers.ValidationError(
                {"fields": [_("A choice of fields is for JSON; ninjs items are whole.")]}
            )
        known = list(self.get_serializer_class()().fields)
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            raise serializers.ValidationError(
                {
                    "fields": [
                        _("Unknown fields: %(unknown)s. Known: %(known)s.")
                        % {"unknown": ", ".join(unknown) or "—", "known": ", ".join(known)}
                    ]
                }
            )
        return names

    def represent(self, objects, many: bool):
        wanted = self.sparse_fields()
        if self.wants_ninjs():
            return [ninjs.item(obj) for obj in objects] if many else ninjs.item(objects)
        serializer = self.get_serializer(objects, many=many)
        if wanted is not None:
            # Only what was asked for is worked out, not only left out of the answer.
            fields = (serializer.child if many else serializer).fields
            for name in list(fields):
                if name not in wanted:
                    fields.pop(name)
        return serializer.data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page:
            self.last_modified = max(obj.updated_at for obj in page)
        return self.get_paginated_response(self.represent(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.last_modified = obj.updated_at
        return Response(self.represent(obj, many=False))

    def fresh(self, pk):
        """The item as the detail shows it, after a change."""
        found = self.detail_queryset(writable(self.model, self.request)).get(pk=pk)
        return self.serializer_class(found, context=self.get_serializer_context()).data

    @extend_schema(
        request=None,
        responses={
            200: OpenApiTypes.OBJECT,
            400: ERRORS,
            401: ERRORS,
            403: ERRORS,
            404: ERRORS,
            409: ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the item through the workflow as the token's user (`submit`, `withdraw`;
        with the `publish` scope also `publish`, `schedule`...): the workflow decides."""
        incoming = TransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        obj = self.get_object()
        try:
            workflow.perform(
                obj,
                data["action"],
                by=request.user,
                note=data.get("note", ""),
                at=data.get("at"),
                seen_version=data.get("edit_version"),
            )
        except workflow.TransitionConflict as error:
            return Response({"detail": error.messages[0]}, status=status.HTTP_409_CONFLICT)
        except workflow.TransitionNotAllowed as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except DjangoValidationError as error:
            detail = (
                error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            )
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.fresh(obj.pk))


def _content_schema(list_serializer, detail_serializer, tag: str):
    ninjs_item = OpenApiTypes.OBJECT
    return extend_schema_view(
        list=extend_schema(
            tags=[tag],
            parameters=[FIELDS],
            responses={
                (200, "application/json"): list_serializer(many=True),
                (200, "application/ninjs+json"): ninjs_item,
                304: NOT_MODIFIED,
            },
        ),
        retrieve=extend_schema(
            tags=[tag],
            parameters=[FIELDS],
            responses={
                (200, "application/json"): detail_serializer,
                (200, "application/ninjs+json"): ninjs_item,
                304: NOT_MODIFIED,
            },
        ),
    )


def bylines_with_people(byline_model):
    return Prefetch("bylines", queryset=byline_model.objects.select_related("person"))


@_content_schema(ArticleListSerializer, ArticleSerializer, "articles")
class ArticleViewSet(ContentViewSet):
    """Stories: headlines, bylines in order with their roles, tags, the lead photo; the
    detail adds the body, corrections and the events and galleries covered."""

    model = Article
    serializer_class = ArticleSerializer
    list_serializer_class = ArticleListSerializer
    filterset_class = ArticleFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        tags=["articles"],
        request=ArticleWriteSerializer,
        responses={201: ArticleSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS, 422: ERRORS},
    )
    def create(self, request, *args, **kwargs):
        """Create a draft as the token's user (`write_drafts`). Send an `Idempotency-Key`
        header to make a retried request safe: it answers as the first did."""
        if not request.user.has_perm("articles.add_article"):
            return Response(
                {"detail": _("Your account may not write stories.")},
                status=status.HTTP_403_FORBIDDEN,
            )

        def make():
            incoming = ArticleWriteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            article = create_draft(incoming.validated_data, request.user)
            return Response(self.fresh(article.pk), status=status.HTTP_201_CREATED)

        return once(request, make)

    @extend_schema(
        tags=["articles"],
        request=ArticleWriteSerializer,
        responses={
            200: ArticleSerializer,
            400: ERRORS,
            401: ERRORS,
            403: ERRORS,
            404: ERRORS,
            409: ERRORS,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        """Change a draft the token's user may edit now (the workflow's `can_edit`)."""
        article = self.get_object()
        incoming = ArticleWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        try:
            update_draft(article, incoming.validated_data, request.user)
        except EditConflict as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except workflow.TransitionNotAllowed as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        return Response(self.fresh(article.pk))

    @classmethod
    def list_queryset(cls, queryset):
        # Queries: the page (with section, lead photo and its credit), bylines with their
        # people, tags.
        return (
            queryset.select_related("section", "lead_photo__credit")
            .defer("body")
            .prefetch_related(
                bylines_with_people(ArticleByline), Prefetch("tags", to_attr="api_tags")
            )
        )

    @classmethod
    def detail_queryset(cls, queryset):
        # Queries: the article (with what it has: one EXISTS each), bylines, and only what it
        # has of tags, public events, public galleries (and their covers), corrections.
        return queryset.for_detail()


@_content_schema(EventSerializer, EventSerializer, "events")
class EventViewSet(ContentViewSet):
    """Events the paper covers: times, venue, organiser, description."""

    model = Event
    serializer_class = EventSerializer
    filterset_class = EventFilter


def galleries_with_photos(queryset, *, all_photos: bool):
    credited = Photo.objects.select_related("credit").order_by("order", "pk")
    queryset = (
        queryset.select_related("section", "cover_photo__credit")
        .annotate(photo_count=Count("photos"))
        .prefetch_related(bylines_with_people(GalleryByline))
    )
    if all_photos:
        return queryset.prefetch_related(Prefetch("photos", queryset=credited))
    return queryset.prefetch_related(
        Prefetch("photos", queryset=credited[:1], to_attr="first_photos")
    )


@_content_schema(GalleryListSerializer, GallerySerializer, "galleries")
class GalleryViewSet(ContentViewSet):
    """Photo galleries: the cover and the photo count; the detail adds every photo with its
    caption, credit and renditions."""

    model = Gallery
    serializer_class = GallerySerializer
    list_serializer_class = GalleryListSerializer
    filterset_class = GalleryFilter

    # Queries: the page (section, cover and its credit, photo count), bylines, photos (the
    # first of each in a list, all of them in the detail) with their credits.
    @classmethod
    def list_queryset(cls, queryset):
        return galleries_with_photos(queryset, all_photos=False)

    @classmethod
    def detail_queryset(cls, queryset):
        return galleries_with_photos(queryset, all_photos=True)


@extend_schema_view(
    list=extend_schema(
        tags=["sections"], responses={200: SectionSerializer(many=True), 304: NOT_MODIFIED}
    ),
    retrieve=extend_schema(
        tags=["sections"], responses={200: SectionSerializer, 304: NOT_MODIFIED}
    ),
)
class SectionViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The sections of the paper, in menu order (a short list: not paginated)."""

    queryset = Section.objects.order_by("order", "name", "pk")
    serializer_class = SectionSerializer
    pagination_class = None
    lookup_value_regex = "[0-9]{1,18}"


@extend_schema_view(
    list=extend_schema(
        tags=["people"], responses={200: PersonSerializer(many=True), 304: NOT_MODIFIED}
    ),
    retrieve=extend_schema(tags=["people"], responses={200: PersonSerializer, 304: NOT_MODIFIED}),
)
class PersonViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The people readers may know of: those credited on something published
    (`Person.objects.public()`), whoever asks."""

    serializer_class = PersonSerializer
    pagination_class = NameCursorPagination
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return Person.objects.public()


@extend_schema_view(
    list=extend_schema(tags=["tags"], responses={200: TagSerializer(many=True), 304: NOT_MODIFIED}),
    retrieve=extend_schema(tags=["tags"], responses={200: TagSerializer, 304: NOT_MODIFIED}),
)
class TagViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The tags of published stories (`Article.objects.published().tags()`), whoever asks."""

    serializer_class = TagSerializer
    pagination_class = NameCursorPagination
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return Article.objects.published().tags()


class EditionPagination(LimitOffsetPagination):
    default_limit = 30
    max_limit = 366


@extend_schema_view(
    list=extend_schema(
        tags=["print editions"],
        responses={200: PrintEditionSerializer(many=True), 304: NOT_MODIFIED},
    ),
)
class PrintEditionViewSet(ApiView, viewsets.GenericViewSet):
    """The print editions with published stories, newest first: their pages and stories
    (`/api/v1/articles/?print_edition=YYYY-MM-DD` lists one edition's stories)."""

    serializer_class = PrintEditionSerializer
    pagination_class = EditionPagination

    def get_queryset(self):
        return Article.objects.published().print_editions()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# The viewset of each content type, by model name (webhooks' payloads).
VIEWSETS = {"article": ArticleViewSet, "event": EventViewSet, "gallery": GalleryViewSet}
