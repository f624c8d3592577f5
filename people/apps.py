from django.apps import AppConfig
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from newsroom.search.documents import DocumentSpec, register
        from people.models import Person

        # The admin finds people by name, title, unit and biography (newsroom.search.admin).
        register(
            Person,
            DocumentSpec(
                a=("display_name",),
                b=("title", "affiliation"),
                c=("bio",),
                sorted_by=lambda: models.F("created_at"),
            ),
        )
