from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordcheckConfig(AppConfig):
    name = "wordcheck"
    verbose_name = _("Word check")

    def ready(self):
        from wordcheck import signals

        signals.connect()
