from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamworkConfig(AppConfig):
    """Notifications, editorial comments and presence: how the newsroom works together.

    It hooks into the core from here: the workflow's `transitioned` signal, and the admin
    site's header and change-form extension points. The core imports nothing of it.
    """

    name = "teamwork"
    verbose_name = _("Working together")

    def ready(self):
        from django.contrib import admin

        from newsroom import bulk, workflow
        from newsroom.admin import register_change_form_panel
        from teamwork import events, panels

        workflow.transitioned.connect(events.on_transition, dispatch_uid="teamwork.on_transition")
        bulk.bulk_done.connect(events.on_bulk_done, dispatch_uid="teamwork.on_bulk_done")
        site = admin.site
        if "teamwork/bell.html" not in site.header_includes:
            site.header_includes.append("teamwork/bell.html")
        register_change_form_panel(panels.change_form_panel)

    def load_demo(self, *, editor, reporter, articles, stdout=None):
        """Called by `load_demo`: a few comments and unread notifications on its new stories."""
        from teamwork import demo

        if articles:
            demo.load(editor, reporter, articles)
