"""The word check in the admin: lists and entries (administrators), the policy, imports and
exports, the log of changes, the queue of items with hits, sign-offs, the archive audit and
the check that runs without saving."""

from __future__ import annotations

import datetime
import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsroom.admin import may_view_item_of, visible_items_q
from newsroom.roles import is_editor
from newsroom.tasks import enqueue_on_commit
from wordcheck import audit, checks, imports
from wordcheck.lists import STAGES, chain_stage_choices, current, stage_label
from wordcheck.models import (
    AuditReport,
    Category,
    CheckResult,
    Entry,
    EntryChange,
    ListsVersion,
    Override,
    PendingImport,
    Policy,
    WordList,
)
from wordcheck.panel import posted_texts
from wordcheck.tasks import make_audit_report

PREVIEW_ROWS = 200


def _snapshot(entry: Entry) -> dict:
    return entry.as_row()


def log_entry_change(request, entry: Entry, kind: str, before: dict | None, source: str):
    EntryChange.objects.create(
        by=request.user,
        kind=kind,
        word_list=entry.word_list,
        list_name=entry.word_list.name,
        category=entry.category,
        term=entry.term,
        before=before,
        after=None if kind == EntryChange.Kind.REMOVED else _snapshot(entry),
        source=source,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("file"),
        help_text=gettext_lazy(
            "UTF-8 CSV with a header (category,term,replacement,note,variants) or plain text, "
            "one word a line (word, tab, replacement, tab, note)."
        ),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("category of a plain-text list"),
        choices=[("", "—"), *Category.choices],
        required=False,
    )
    replace = forms.BooleanField(
        label=gettext_lazy("replace the list"),
        required=False,
        help_text=gettext_lazy("Remove the entries of the list that the file does not have."),
    )


@admin.register(WordList)
class WordListAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "entry_count", "updated_at", "list_tools"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_total=Count("entries"))

    @admin.display(description=gettext_lazy("entries"), ordering="entry_total")
    def entry_count(self, obj):
        url = reverse("admin:wordcheck_entry_changelist") + f"?word_list__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.entry_total)

    @admin.display(description=gettext_lazy("import / export"))
    def list_tools(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:wordcheck_wordlist_import", args=[obj.pk]),
            _("Import"),
            reverse("admin:wordcheck_wordlist_export", args=[obj.pk]),
            _("Export CSV"),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import/",
                self.admin_site.admin_view(self.import_view),
                name="wordcheck_wordlist_import",
            ),
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="wordcheck_wordlist_export",
            ),
            *super().get_urls(),
        ]

    def _list_for_change(self, request, object_id) -> WordList:
        word_list = get_object_or_404(WordList, pk=unquote(object_id))
        if not (
            self.has_change_permission(request, word_list)
            and request.user.has_perm("wordcheck.add_entry")
            and request.user.has_perm("wordcheck.change_entry")
            and request.user.has_perm("wordcheck.delete_entry")
        ):
            raise PermissionDenied
        return word_list

    def export_view(self, request, object_id):
        word_list = get_object_or_404(WordList, pk=unquote(object_id))
        if not self.has_view_permission(request, word_list):
            raise PermissionDenied
        response = HttpResponse(
            "\ufeff" + imports.export_csv(word_list), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="wordlist-{word_list.pk}.csv"'
        return response

    def import_view(self, request, object_id):
        word_list = self._list_for_change(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": word_list,
            "title": _("Import into “%(name)s”") % {"name": word_list.name},
            "preview_rows": PREVIEW_ROWS,
        }
        form = ImportForm()
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_import(request, word_list)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    text = imports.decode(upload.read(imports.MAX_BYTES + 1))
                    rows, errors = imports.parse(text, form.cleaned_data["category"])
                except imports.ImportProblem as exc:
                    form.add_error("file", str(exc))
                else:
                    plan = imports.plan(word_list, rows, form.cleaned_data["replace"])
                    plan.errors = errors
                    context["plan"] = plan
                    if not errors and plan.has_changes:
                        PendingImport.objects.filter(by=request.user, word_list=word_list).delete()
                        context["pending"] = PendingImport.objects.create(
                            word_list=word_list,
                            by=request.user,
                            filename=upload.name[:200],
                            content=text,
                            default_category=form.cleaned_data["category"],
                            replace=form.cleaned_data["replace"],
                            version=ListsVersion.current()[1],
                        )
        context["form"] = form
        return TemplateResponse(request, "wordcheck/import.html", context)

    def _confirm_import(self, request, word_list):
        pending = PendingImport.objects.filter(
            pk=request.POST.get("pending")
            if str(request.POST.get("pending", "")).isdigit()
            else None,
            by=request.user,
            word_list=word_list,
        ).first()
        back = reverse("admin:wordcheck_wordlist_import", args=[word_list.pk])
        if pending is None:
            self.message_user(
                request, _("This preview has expired; upload the file again."), messages.ERROR
            )
            return HttpResponseRedirect(back)
        with transaction.atomic():
            WordList.objects.select_for_update().get(pk=word_list.pk)
            if ListsVersion.current()[1] != pending.version:
                pending.delete()
                self.message_user(
                    request,
                    _(
                        "The lists changed after the preview; upload the file again to see what it changes now."
                    ),
                    messages.ERROR,
                )
                return HttpResponseRedirect(back)
            rows, errors = imports.parse(pending.content, pending.default_category)
            plan = imports.plan(word_list, rows, pending.replace)
            plan.errors = errors
            counts = imports.apply(word_list, plan, request.user, source=pending.filename)
            message = _(
                "Imported %(file)s: %(added)d added, %(changed)d changed, %(removed)d removed."
            ) % {
                "file": pending.filename,
                **counts,
            }
            self.log_change(request, word_list, message)
            pending.delete()
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:wordcheck_wordlist_changelist"))

    def delete_model(self, request, obj):
        for entry in obj.entries.select_related("word_list").iterator():
            log_entry_change(request, entry, EntryChange.Kind.REMOVED, _snapshot(entry), "admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for word_list in queryset:
            self.delete_model(request, word_list)


def posted_desk(model, data) -> int | None:
    """The desk of the item a change form is editing, from its posted section (as the item
    will have it once saved: newsroom.models.Publishable.desk_from_content)."""
    probe = model()
    section = str(data.get("section", "")).strip()
    if section.isdigit() and hasattr(probe, "section_id"):
        probe.section_id = int(section)
    if not hasattr(probe, "desk_from_content"):
        return None
    return probe.desk_from_content()


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = [
            "word_list",
            "category",
            "term",
            "replacement",
            "variants",
            "note",
            "desk",
            "is_active",
        ]
        widgets = {"variants": forms.Textarea(attrs={"rows": 3})}


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    form = EntryForm
    list_display = [
        "term",
        "category",
        "replacement",
        "word_list",
        "desk",
        "is_active",
        "updated_at",
    ]
    list_filter = ["category", "word_list", "desk", "is_active"]
    search_fields = ["term", "replacement", "note", "key"]
    list_select_related = ["word_list", "desk"]
    list_per_page = 100
    actions = ["audit_archive", "delete_selected"]

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            old = Entry.objects.select_related("word_list").get(pk=obj.pk)
            before = _snapshot(old)
        super().save_model(request, obj, form, change)
        log_entry_change(
            request,
            obj,
            EntryChange.Kind.CHANGED if change else EntryChange.Kind.ADDED,
            before,
            "admin",
        )

    def delete_model(self, request, obj):
        log_entry_change(request, obj, EntryChange.Kind.REMOVED, _snapshot(obj), "admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for entry in queryset.select_related("word_list"):
                log_entry_change(
                    request, entry, EntryChange.Kind.REMOVED, _snapshot(entry), "admin"
                )
            queryset.delete()
            ListsVersion.bump()

    @admin.action(
        description=gettext_lazy("Audit published items for the selected entries (CSV)"),
        permissions=["view"],
    )
    def audit_archive(self, request, queryset):
        if not is_editor(request.user) and not request.user.has_perm("wordcheck.view_checkresult"):
            raise PermissionDenied
        since = parse_date(request.POST.get("since", "") or "")
        since_at = None
        if since is not None:
            since_at = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
        items = audit.published_count(since_at)
        if items > settings.WORDCHECK_AUDIT_AT_ONCE_MAX_ITEMS:
            return self._audit_later(request, queryset, since, items)
        compiled = audit.compiled_for(queryset)
        response = StreamingHttpResponse(
            audit.csv_lines(audit.rows(compiled, audit.published_items(since=since))),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="wordcheck-audit.csv"'
        return response

    def _audit_later(self, request, queryset, since, items: int):
        """Too many items to audit while the browser waits: a task makes the CSV."""
        report = AuditReport.objects.create(
            requested_by=request.user,
            entry_ids=list(queryset.values_list("pk", flat=True)),
            since=since,
            items=items,
        )
        enqueue_on_commit(make_audit_report, report.pk)
        url = reverse("admin:wordcheck_auditreport_change", args=[report.pk])
        self.message_user(
            request,
            format_html(
                _(
                    "The audit of {items} published items is being made in the background; "
                    'its CSV will be ready to download under <a href="{url}">Archive audits</a>.'
                ),
                items=items,
                url=url,
            ),
            messages.INFO,
        )
        return None


class PolicyForm(forms.ModelForm):
    stage = forms.ChoiceField(label=gettext_lazy("stage"), choices=())

    class Meta:
        model = Policy
        fields = ["category", "stage", "action"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = list(STAGES.items()) + chain_stage_choices()
        self.fields["category"].choices = [
            c for c in Category.choices if c[0] != Category.EXCEPTION
        ]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyForm
    list_display = ["category", "stage_name", "action"]
    list_editable = ["action"]
    list_filter = ["stage", "category", "action"]

    @admin.display(description=gettext_lazy("stage"), ordering="stage")
    def stage_name(self, obj):
        return stage_label(obj.stage)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody edits; editors may read them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return is_editor(request.user) or super().has_module_permission(request)


@admin.register(EntryChange)
class EntryChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "by", "kind", "category", "term", "list_name", "source"]
    list_filter = ["kind", "category", "list_name"]
    search_fields = ["term", "source"]
    list_select_related = ["by"]

    def has_view_permission(self, request, obj=None):
        # The log shows the lists themselves: administrators only.
        return admin.ModelAdmin.has_view_permission(self, request, obj)

    def has_module_permission(self, request):
        return admin.ModelAdmin.has_module_permission(self, request)


class CategoryFilter(admin.SimpleListFilter):
    title = gettext_lazy("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [c for c in Category.choices if c[0] != Category.EXCEPTION]

    def queryset(self, request, queryset):
        if self.value() in Category.values:
            return queryset.filter(categories__contains=self.value())
        return queryset


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyAdmin):
    """The queue: items whose latest check found something."""

    list_display = ["item", "content_type", "hit_count", "categories", "checked_at"]
    list_filter = [CategoryFilter, "content_type"]
    list_select_related = ["content_type"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(hit_count__gt=0)
            .filter(visible_items_q(request.user))
        )

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or may_view_item_of(obj, request.user)

    @admin.display(description=gettext_lazy("item"))
    def item(self, obj):
        url = reverse(
            f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
            args=[obj.object_id],
        )
        first = obj.hits[0] if obj.hits else {}
        return format_html(
            '<a href="{}">{} #{}</a> {}',
            url,
            obj.content_type.name,
            obj.object_id,
            first.get("matched", ""),
        )

    def get_urls(self):
        return [
            path(
                "check/<slug:app_label>/<slug:model_name>/",
                self.admin_site.admin_view(self.check_view),
                name="wordcheck_check",
            ),
            *super().get_urls(),
        ]

    def check_view(self, request, app_label, model_name):
        """Check the posted texts of a change form without saving: JSON hits."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        label = f"{app_label}.{model_name}"
        if label not in checks.SPECS:
            raise Http404
        from django.apps import apps

        model = apps.get_model(label)
        user = request.user
        if not (
            user.has_perm(f"{app_label}.change_{model_name}")
            or user.has_perm(f"{app_label}.view_{model_name}")
        ):
            raise PermissionDenied
        texts = posted_texts(model, request.POST)
        if isinstance(texts, str):
            return JsonResponse({"error": texts}, status=400)
        compiled = current()
        hits = checks.check_texts(texts, compiled, desk_id=posted_desk(model, request.POST))
        return JsonResponse(
            {
                "version": compiled.number,
                "count": len(hits),
                "hits": [{**hit.as_dict(), "category_label": hit.category_label} for hit in hits],
            },
            json_dumps_params={"ensure_ascii": False},
        )


@admin.register(Override)
class OverrideAdmin(ReadOnlyAdmin):
    list_display = ["at", "by", "stage", "item", "note"]
    list_select_related = ["by", "content_type"]
    list_filter = ["stage"]

    # A sign-off names the item and the words it let through: only for who may read the item.
    def get_queryset(self, request):
        return super().get_queryset(request).filter(visible_items_q(request.user))

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or may_view_item_of(obj, request.user)

    @admin.display(description=gettext_lazy("item"))
    def item(self, obj):
        url = reverse(
            f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
            args=[obj.object_id],
        )
        return format_html('<a href="{}">{} #{}</a>', url, obj.content_type.name, obj.object_id)

    @admin.display(description=gettext_lazy("hits signed off"))
    def hits_signed_off(self, obj):
        return json.dumps([hit.get("matched") for hit in obj.hits], ensure_ascii=False)


@admin.register(AuditReport)
class AuditReportAdmin(admin.ModelAdmin):
    """Audits made in the background. They list hits of the confidential lists: shown to
    whoever may see audit reports (administrators), each person only their own unless a
    superuser; nobody edits them."""

    list_display = ["requested_at", "requested_by", "status", "items", "hits", "download"]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    fields = [
        "requested_at",
        "requested_by",
        "since",
        "items",
        "status",
        "finished_at",
        "hits",
        "download",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("csv")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(requested_by=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/csv/",
                self.admin_site.admin_view(self.csv_view),
                name="wordcheck_auditreport_csv",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("CSV"))
    def download(self, obj):
        if obj.status != AuditReport.Status.DONE:
            return _("being made…")
        url = reverse("admin:wordcheck_auditreport_csv", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def csv_view(self, request, object_id):
        report = self.get_queryset(request).defer(None).filter(pk=unquote(object_id)).first()
        if report is None or not self.has_view_permission(request, report):
            raise Http404
        if report.status != AuditReport.Status.DONE:
            messages.info(request, _("This audit is still being made; try again in a moment."))
            return HttpResponseRedirect(
                reverse("admin:wordcheck_auditreport_change", args=[report.pk])
            )
        response = HttpResponse(report.csv, content_type="text/csv; charset=utf-8")
        name = f"wordcheck-audit-{report.requested_at:%Y%m%d-%H%M}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
