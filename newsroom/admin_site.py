from django.contrib import admin
from django.urls import path
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
        if request.user.is_authenticated:
            from newsroom import dashboard

            # Counted only when a page shows it (the header's "to sign" link).
            context["signing"] = dashboard.SigningNav(request.user)
        return context

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin, third-party ones included, cleans text and refuses crafted keys.
        from django.contrib.admin import ModelAdmin

        from newsroom.admin_hardening import hardened

        return super().register(model_or_iterable, hardened(admin_class or ModelAdmin), **options)

    def get_urls(self):
        from newsroom.review import views

        return [
            path("failed-tasks/", self.admin_view(self.failed_tasks_view), name="failed_tasks"),
            # The sign-off record (签发单) of an item, printable; its CSV export.
            path(
                "review/record/<slug:app_label>/<slug:model_name>/<str:pk>/",
                self.admin_view(views.record_view),
                name="review_record",
            ),
            path("review/export/", self.admin_view(views.export_view), name="review_export"),
            *super().get_urls(),
        ]

    def failed_tasks_view(self, request):
        """Tasks that failed for good, with their errors, for administrators: on the database
        backend, the task results' list; on rq, the jobs of rq's failed-job registry."""
        from django.conf import settings
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse
        from django.urls import reverse

        if not request.user.is_superuser:
            raise PermissionDenied
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_db"):
            url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
            return redirect(f"{url}?status__exact=FAILED")
        jobs, error = [], ""
        if backend == "newsroom.rq_backend.RQBackend":
            from newsroom.rq_backend import failed_jobs

            try:
                jobs = failed_jobs(settings.TASKS["default"]["QUEUES"])
            except Exception:  # Redis down: say so rather than answer 500
                error = _("Redis (TASKS_REDIS_URL) could not be reached.")
        context = {
            **self.each_context(request),
            "title": _("Failed tasks"),
            "jobs": jobs,
            "error": error,
            "kept": backend == "newsroom.rq_backend.RQBackend",
        }
        return TemplateResponse(request, "admin/newsroom/failed_tasks.html", context)

    def index(self, request, extra_context=None):
        from newsroom.dashboard import (
            awaiting_signature,
            desk_pipeline,
            editor_desk,
            reporter_desk,
        )
        from newsroom.review.views import may_export

        extra_context = extra_context or {}
        extra_context["awaiting_signature"] = awaiting_signature(request.user)
        extra_context["desk_pipeline"] = desk_pipeline(request.user)
        extra_context["may_export_signoffs"] = may_export(request.user)
        if is_editor(request.user):
            extra_context["editor_desk"] = editor_desk()
        if is_reporter(request.user):
            extra_context["reporter_desk"] = reporter_desk(request.user)
        return super().index(request, extra_context)
