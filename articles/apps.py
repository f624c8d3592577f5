from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Content")

    def ready(self):
        from django.db.models.signals import pre_save
        from taggit.models import Tag

        from articles import signals  # noqa: F401
        from newsroom.slugs import give_tag_a_slug

        pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="newsroom-tag-slug")
