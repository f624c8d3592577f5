from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordcheckConfig(AppConfig):
    name = "wordcheck"
    verbose_name = _("Word check")

    def ready(self):
        from wordcheck import signals

        signals.connect()

    def load_demo(self, *, editor, reporter, articles=(), stdout=None):
        """Called by `manage.py load_demo`: the demo's word lists and a story with hits."""
        from wordcheck.demo import load

        load(editor, reporter, stdout)
