from articles.models.article import (
    Article,
    ArticleByline,
    ArticleQuerySet,
    FrontPage,
    FrontPageSlot,
    OldSlug,
)
from articles.models.event import Event, EventQuerySet
from articles.models.gallery import Gallery, GalleryByline, GalleryQuerySet, Photo
from articles.models.print_edition import (
    PrintEdition,
    PrintPage,
    PrintUpload,
    PrintZone,
)
from articles.models.section import Section

__all__ = [
    "Article",
    "ArticleByline",
    "ArticleQuerySet",
    "Event",
    "EventQuerySet",
    "FrontPage",
    "FrontPageSlot",
    "Gallery",
    "GalleryByline",
    "GalleryQuerySet",
    "OldSlug",
    "Photo",
    "PrintEdition",
    "PrintPage",
    "PrintUpload",
    "PrintZone",
    "Section",
]
