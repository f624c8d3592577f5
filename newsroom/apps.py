from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    default = True
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from newsroom import converters
        from newsroom.admin import register_change_form_panel
        from newsroom.review import record

        converters.register()
        # The sign-off record (签发单) on every content change form.
        register_change_form_panel(record.change_form_panel)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"
