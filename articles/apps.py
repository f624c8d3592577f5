from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Content")

    def ready(self):
        from articles import content_types, signals  # noqa: F401
        from newsroom import caching

        content_types.register()
        # What the public views read of the query string (the search page, pagination):
        # the rest is no part of a cached page's key, nor does it reach the views.
        caching.register_query_params("page", "q", "type", "section", "person", "from", "to")
