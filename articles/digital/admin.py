"""The 数字报 in the admin: upload a PDF (with its progress), editions with their workflow,
and each page's zone editor.

Everything here is for editors (newsroom.roles.is_editor plus the model permission), checked
in each view, not only in which links are shown. The zone editor is a formset of the page's
zones (story, points) drawn over the page image; static/articles/zone-editor.js lets an
editor drag, resize and add zones on the image, and writes the same fields, so the page
works without JavaScript too.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.digital import processing
from articles.models import PrintEdition, PrintPage, PrintUpload, PrintZone
from newsroom import workflow
from newsroom.roles import is_editor

MAX_ZONE_POINTS = 200
MAX_PAGE_NAMES = 200


def _is_editor_with(user, codename: str) -> bool:
    return is_editor(user) and user.has_perm(f"articles.{codename}")


class EditorOnlyAdmin(admin.ModelAdmin):
    """Model permissions, and the editor's role on top of them."""

    def has_module_permission(self, request):
        return is_editor(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return is_editor(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


# --- uploads ------------------------------------------------------------------------------
class UploadForm(forms.Form):
    edition_date = forms.DateField(
        label=gettext_lazy("Edition date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    first_page = forms.IntegerField(
        label=gettext_lazy("Number of its first page"),
        min_value=1,
        max_value=999,
        initial=1,
        help_text=gettext_lazy("第N版 of the PDF's first page; the next pages follow."),
    )
    page_names = forms.CharField(
        label=gettext_lazy("Page names (版名)"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One a line, in page order, e.g. 要闻, 区域 (may be left empty)."),
    )
    pdf = forms.FileField(
        label=gettext_lazy("PDF"),
        help_text=gettext_lazy("A page's PDF, or the whole edition's (one page per PDF page)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_page_names(self):
        names = [n.strip() for n in self.cleaned_data["page_names"].splitlines()]
        while names and not names[-1]:
            names.pop()
        if len(names) > MAX_PAGE_NAMES or any(len(n) > 40 for n in names):
            raise ValidationError(
                _("At most %(max)d names of at most 40 characters.") % {"max": MAX_PAGE_NAMES}
            )
        return names


@admin.register(PrintUpload)
class PrintUploadAdmin(EditorOnlyAdmin):
    list_display = ("edition_date", "original_name", "state", "progress", "short_message")
    list_filter = ("state",)
    readonly_fields = (
        "edition_date",
        "first_page",
        "original_name",
        "state",
        "pages_total",
        "pages_done",
        "message",
        "created_at",
        "finished_at",
    )
    fields = readonly_fields

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, upload):
        return format_html(
            '<progress max="{}" value="{}">{}</progress> {} / {}',
            upload.pages_total or 1,
            upload.pages_done,
            upload.progress_percent,
            upload.pages_done,
            upload.pages_total,
        )

    @admin.display(description=gettext_lazy("message"))
    def short_message(self, upload):
        return upload.message[:200]

    def has_change_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                upload = processing.receive_upload(
                    data["pdf"],
                    edition_date=data["edition_date"],
                    first_page=data["first_page"],
                    page_names=data["page_names"],
                    by=request.user,
                )
            except processing.PdfRefused as refused:
                form.add_error("pdf", str(refused))
            else:
                upload.refresh_from_db()
                level = messages.ERROR if upload.state == upload.State.FAILED else messages.SUCCESS
                self.message_user(
                    request,
                    _("The PDF is being processed (%(pages)d pages). %(message)s")
                    % {"pages": upload.pages_total, "message": upload.message},
                    level,
                )
                return HttpResponseRedirect(reverse("admin:articles_printupload_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload a print PDF (数字报)"),
            "form": form,
            "max_mb": processing.settings.PRINT_PDF_MAX_BYTES // 1024 // 1024,
            "max_pages": processing.settings.PRINT_PDF_MAX_PAGES,
        }
        return TemplateResponse(
            request,
            "admin/articles/digital/upload.html",
            context,
            status=400 if form.errors else 200,
        )


# --- editions -----------------------------------------------------------------------------
class PageInline(admin.TabularInline):
    model = PrintPage
    fields = ("number", "name", "zone_editor")
    readonly_fields = ("number", "zone_editor")
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=gettext_lazy("zones"))
    def zone_editor(self, page):
        if not page.pk:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_printpage_change", args=[page.pk]),
            _("Edit the zones of this page"),
        )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PrintEdition)
class PrintEditionAdmin(EditorOnlyAdmin):
    list_display = ("date", "status", "page_count")
    list_filter = ("status",)
    fields = ("date", "status", "publish_at", "first_published_at", "status_note")
    readonly_fields = ("date", "status", "publish_at", "first_published_at", "status_note")
    inlines = [PageInline]
    change_form_template = "admin/articles/digital/edition_change_form.html"

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(page_total=Count("pages"))

    @admin.display(description=gettext_lazy("pages"))
    def page_count(self, edition):
        return edition.page_total

    def has_add_permission(self, request):
        return False  # an edition is made by uploading its pages

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="articles_printedition_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edition = self.get_object(request, object_id)
        actions = []
        if edition is not None:
            actions = [
                rule
                for rule in workflow.available(edition, request.user)
                if rule.name in ("publish", "unpublish", "restore")
            ]
        extra_context = {**(extra_context or {}), "workflow_actions": actions}
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk: int):
        if request.method != "POST":
            raise PermissionDenied
        edition = get_object_or_404(PrintEdition, pk=pk)
        if not _is_editor_with(request.user, "publish_printedition"):
            raise PermissionDenied
        name = request.POST.get("action", "")
        if name not in ("publish", "unpublish", "restore"):
            raise PermissionDenied
        try:
            workflow.perform(edition, name, by=request.user, note=request.POST.get("note", ""))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except workflow.TransitionNotAllowed as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("The edition of %(date)s is now %(status)s.")
                % {"date": edition.date, "status": edition.get_status_display()},
            )
        return HttpResponseRedirect(reverse("admin:articles_printedition_change", args=[pk]))


# --- a page's zones ----------------------------------------------------------------------
class ZoneForm(forms.ModelForm):
    points = forms.CharField(
        label=gettext_lazy("points"),
        max_length=MAX_ZONE_POINTS * 40,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40, "class": "zone-points"}),
        help_text=gettext_lazy("[[x, y], …] from the page's top left, 0 to 1 each."),
    )

    class Meta:
        model = PrintZone
        fields = ("article", "points", "order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["points"] = json.dumps(self.instance.points)

    def clean_points(self):
        try:
            points = json.loads(self.cleaned_data["points"])
        except ValueError:
            raise ValidationError(_("The points are not a list like [[0.1, 0.2], …].")) from None
        if (
            not isinstance(points, list)
            or not 3 <= len(points) <= MAX_ZONE_POINTS
            or not all(
                isinstance(p, list)
                and len(p) == 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in p)
                and all(0 <= v <= 1 for v in p)
                for p in points
            )
        ):
            raise ValidationError(
                _("A zone needs 3 to %(max)d points [x, y], each between 0 and 1.")
                % {"max": MAX_ZONE_POINTS}
            )
        return [[round(float(x), 5), round(float(y), 5)] for x, y in points]

    def save(self, commit=True):
        zone = super().save(commit=False)
        if self.has_changed():
            zone.is_automatic = False  # an editor's zone stays when zoning runs again
        if commit:
            zone.save()
        return zone


class ZoneInline(admin.TabularInline):
    model = PrintZone
    form = ZoneForm
    fields = ("article", "points", "order")
    autocomplete_fields = ("article",)
    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_delete_permission(request, obj)


@admin.register(PrintPage)
class PrintPageAdmin(EditorOnlyAdmin):
    list_display = ("__str__", "edition", "number", "name", "has_text_layer")
    list_select_related = ("edition",)
    fields = ("edition", "number", "name", "has_text_layer")
    readonly_fields = ("edition", "number", "has_text_layer")
    inlines = [ZoneInline]
    change_form_template = "admin/articles/digital/page_change_form.html"

    def has_add_permission(self, request):
        return False  # pages come from an uploaded PDF

    def get_urls(self):
        return [
            path(
                "<int:pk>/rezone/",
                self.admin_site.admin_view(self.rezone_view),
                name="articles_printpage_rezone",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "page": page}
        return super().change_view(request, object_id, form_url, extra_context)

    def rezone_view(self, request, pk: int):
        """Compute the automatic zones again from the page's text (an editor's zones stay)."""
        page = get_object_or_404(PrintPage.objects.select_related("edition"), pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, page):
            raise PermissionDenied
        found, zones = processing.zone_page(page, by=request.user, import_new=False)
        if not page.has_text_layer:
            self.message_user(
                request,
                _("This page has no text layer (a scanned page?): draw its zones by hand."),
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                _("Zoning ran again at %(time)s: %(stories)d stories, %(zones)d zones.")
                % {
                    "time": timezone.localtime().strftime("%H:%M"),
                    "stories": found,
                    "zones": zones,
                },
            )
        return HttpResponseRedirect(reverse("admin:articles_printpage_change", args=[pk]))
