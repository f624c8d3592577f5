from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from newsroom.roles import is_editor, is_reporter


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom")
    site_title = _("Newsroom")
    index_title = _("Start page")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What feature apps add to every admin page's header (templates, given the page's
        # context), registered in their AppConfig.ready(): the core names none of them. Panels
        # of the change form: newsroom.admin.register_change_form_panel().
        self.header_includes: list[str] = []

    def each_context(self, request):
        context = super().each_context(request)
        context["header_includes"] = self.header_includes
        return context

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin, third-party ones included, cleans text and refuses crafted keys.
        from django.contrib.admin import ModelAdmin

        from newsroom.admin_hardening import hardened

        return super().register(model_or_iterable, hardened(admin_class or ModelAdmin), **options)

    def index(self, request, extra_context=None):
        from newsroom.dashboard import editor_desk, reporter_desk

        extra_context = extra_context or {}
        if is_editor(request.user):
            extra_context["editor_desk"] = editor_desk()
        if is_reporter(request.user):
            extra_context["reporter_desk"] = reporter_desk(request.user)
        return super().index(request, extra_context)
