from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Content API")

    def ready(self):
        from api import webhooks
        from newsroom import caching

        webhooks.connect()

        # The API answers with its own validators (ETag, Last-Modified) and reads its own
        # query parameters (cursor, filters): the page cache must neither store nor trim it.
        caching.register_uncached_prefix("/api/")
