from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Content")

    def ready(self):
        from django.db.models.signals import pre_save
        from taggit.models import Tag

        from articles import content_types, signals  # noqa: F401
        from newsroom import caching
        from newsroom.slugs import give_tag_a_slug

        content_types.register()
        pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="newsroom-tag-slug")
        # What the public views read of the query string (the search page, pagination):
        # the rest is no part of a cached page's key, nor does it reach the views.
        caching.register_query_params("page", "q", "type", "section", "person", "from", "to")
