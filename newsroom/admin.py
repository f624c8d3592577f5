"""What the admins of articles, events and galleries share: the workflow panel,
transition buttons, previews, concurrency-safe saving and revisions.

Every check here asks `newsroom.workflow`; buttons only show its answer.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion_compare.admin import CompareVersionAdmin

from newsroom import workflow
from newsroom.admin_hardening import is_malformed_key
from newsroom.preview import preview_url, render_preview
from newsroom.roles import is_editor
from newsroom.search.admin import EngineSearchMixin

# Fields only the workflow writes; restoring a revision must not bring old values back.
WORKFLOW_FIELDS = [
    "status",
    "status_note",
    "publish_at",
    "first_published_at",
    "last_published_at",
    "edit_version",
    "created_by_id",
    "created_at",
]

# The end of every content form: the workflow's read-only times, and the version the form was loaded at.
WORKFLOW_FIELDSETS = [
    (
        gettext_lazy("Status"),
        {
            "fields": [
                "status_display",
                "publish_at",
                "first_published_at",
                "last_published_at",
                "updated_at",
            ]
        },
    ),
    (None, {"fields": ["loaded_edit_version"], "classes": ["hidden"]}),
]


def parse_publish_at(raw: str) -> datetime.datetime | None:
    """The `at` of a schedule form (datetime-local, in the newsroom's time zone), or None if empty.

    Raises ValidationError with a message for the editor on anything else.
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        at = parse_datetime(raw.replace(" ", "T", 1))
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)
    except ValueError:  # well-formed but impossible, such as 2026-02-30
        at = None
    if at is None:
        raise ValidationError(
            _("“%(value)s” is not a date and time. Please pick one, such as 2026-12-01 09:30.")
            % {"value": raw[:40]},
            code="invalid_at",
        )
    return at


class CappedCountPaginator(Paginator):
    """Counts at most CAP rows, so a change list over 100,000 articles never runs a full COUNT."""

    CAP = 10_000

    @cached_property
    def count(self):
        if not hasattr(self.object_list, "query"):
            return len(self.object_list)
        # Unordered: any CAP + 1 rows count the same, and a sliced subquery keeps its ORDER BY,
        # which made PostgreSQL sort (or walk updated_at through the heap) just to count.
        return self.object_list.order_by()[: self.CAP + 1].count()


class EditVersionForm(forms.ModelForm):
    """Refuses a save when someone else saved (or moved) the item since this form was loaded."""

    loaded_edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_edit_version"].initial = self.instance.edit_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            loaded = cleaned.get("loaded_edit_version")
            # The admin's change view runs in a transaction: the row stays locked until our save.
            current = (
                type(self.instance)
                ._base_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("edit_version", flat=True)
                .first()
            )
            if loaded is None or current != loaded:
                raise ValidationError(
                    _(
                        "Someone else saved this item (or changed its status) after you opened it. "
                        "Your text is still below: copy what you need, then reload the page to see their "
                        "version and apply your changes again."
                    ),
                    code="edit_conflict",
                )
        return cleaned


class PublishableAdmin(EngineSearchMixin, CompareVersionAdmin):
    """Base admin for content that goes through the workflow."""

    form = EditVersionForm
    paginator = CappedCountPaginator
    show_full_result_count = False
    # Facets count every filter choice over the whole table: too slow for an archive.
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    change_form_template = "admin/newsroom/change_form.html"
    workflow_readonly = (
        "status_display",
        "publish_at",
        "first_published_at",
        "last_published_at",
        "updated_at",
    )
    # Rich-text fields -> the read-only display that shows them formatted. Whoever may only
    # read the item (a reporter once the story is submitted) sees the text, not its HTML.
    formatted_fields: dict[str, str] = {}
    history_latest_first = True
    # The default list template: reversion's adds a "recover deleted" link, and nothing is deleted.
    change_list_template = None
    # Tags are not kept in revisions; the edit counter is bookkeeping.
    compare_exclude = ["tags", "edit_version"]

    # --- permissions: per object and per state ---------------------------
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(obj, request.user)

    def has_delete_permission(self, request, obj=None):
        # Nothing is ever deleted: editors spike or unpublish instead.
        return False

    def get_readonly_fields(self, request, obj=None):
        # The formatted displays are read-only too, or the form would ask for them as fields.
        return (
            *super().get_readonly_fields(request, obj),
            *self.workflow_readonly,
            *self.formatted_fields.values(),
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            # A new item has no workflow state to show yet.
            fieldsets = [
                fs for fs in fieldsets if not set(fs[1]["fields"]) <= set(self.workflow_readonly)
            ]
        elif self.formatted_fields and not self.has_change_permission(request, obj):
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [self.formatted_fields.get(f, f) for f in options["fields"]],
                    },
                )
                for name, options in fieldsets
            ]
        return fieldsets

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_display(self, obj):
        if obj.pk is None:
            return dict(workflow.Status.choices)[workflow.Status.DRAFT]
        label = obj.get_status_display()
        if obj.status == workflow.Status.SCHEDULED and obj.is_published():
            label = _("Published (scheduled)")
        return label

    def view_on_site(self, obj):
        # Django's default button would send editors to a 404 until the item is public.
        return obj.get_absolute_url() if obj.is_published() else None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            obj.edit_version += 1
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not is_editor(request.user):
            # Offer only what a reporter may ever do; each item is still checked when run.
            for name, rule in workflow.TRANSITIONS.items():
                if rule.who == workflow.EDITOR:
                    actions.pop(f"bulk_{name}", None)
        return actions

    # --- the workflow panel ------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/transition/<slug:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def _get_viewable(self, request, object_id):
        object_id = unquote(object_id)
        if is_malformed_key(self.model._meta.pk, object_id):
            raise Http404  # "abc" or a 30-digit id: the database would refuse, not miss, it
        obj = get_object_or_404(self.model._base_manager, pk=object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def transition_view(self, request, object_id, name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._get_viewable(request, object_id)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        rule = workflow.TRANSITIONS.get(name)
        if rule is None or not workflow.allowed(obj, name, request.user):
            # Checked again under the row lock in perform(); this keeps refusals ahead of form errors.
            raise PermissionDenied
        try:
            at = parse_publish_at(request.POST.get("at", "")) if rule.needs_time else None
            workflow.perform(obj, name, by=request.user, note=request.POST.get("note", ""), at=at)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.message_user(
            request,
            _("“%(item)s”: %(action)s — done.") % {"item": obj, "action": rule.label},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url)

    def preview_view(self, request, object_id):
        return render_preview(request, self._get_viewable(request, object_id), shared=False)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form if context.get("adminform") else None
        if obj is not None and obj.pk and form is not None and form.is_bound and form.errors:
            # A refused form has written its values onto obj (a blank slug, say): links and
            # the workflow panel come from the item as stored.
            obj = type(obj)._base_manager.get(pk=obj.pk)
        if obj is not None and obj.pk:
            context.update(
                transitions_available=workflow.available(obj, request.user),
                transition_log=obj.transitions.select_related("by").order_by("-at", "-pk"),
                corrections=obj.corrections.all(),
                preview_path=reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_preview", args=[obj.pk]
                ),
                shared_preview_url=None if obj.is_published() else preview_url(obj),
                is_public=obj.is_published(),
                public_url=obj.get_absolute_url() if obj.is_published() else None,
                transition_url_name=f"admin:{self.opts.app_label}_{self.opts.model_name}_transition",
                now_local=timezone.localtime(),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- revisions: content only, never the workflow state ---------------
    def kept_on_restore(self, obj) -> dict:
        """The current values a restored revision must not overwrite."""
        kept = {field: getattr(obj, field) for field in WORKFLOW_FIELDS}
        if hasattr(obj, "slug") and (obj.first_published_at or obj.is_published()):
            # The address is frozen once public; an old revision must not move it without a redirect.
            kept["slug"] = obj.slug
        return kept

    def revision_view(self, request, object_id, version_id, extra_context=None):
        current = self._get_viewable(request, object_id)
        if not self.has_change_permission(request, current):
            raise PermissionDenied
        request._newsroom_kept_on_restore = self.kept_on_restore(current)
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        if kept := getattr(request, "_newsroom_kept_on_restore", None):
            # reversion has just written the old revision to the row, inside the transaction
            # of revision_view (rolled back when only looking). Put the workflow state back in
            # the row itself, so that the form, the edit-version check and the save all see it.
            self.model._base_manager.filter(pk=unquote(object_id)).update(**kept)
        return super().get_object(request, object_id, from_field)

    def compare_view(self, request, object_id, extra_context=None):
        # reversion-compare checks no permission of its own.
        obj = self._get_viewable(request, object_id)
        return super().compare_view(request, str(obj.pk), extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied  # nothing is deleted, so nothing needs recovering

    def recoverlist_view(self, request, extra_context=None):
        raise PermissionDenied

    # --- bulk transitions from the change list ---------------------------
    def _bulk_transition(self, request, queryset, name):
        done, refused = 0, []
        for obj in queryset:
            try:
                workflow.perform(obj, name, by=request.user)
                done += 1
            except (workflow.TransitionNotAllowed, ValidationError):
                refused.append(str(obj))
        rule = workflow.TRANSITIONS[name]
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(action)s: %(count)d item done.", "%(action)s: %(count)d items done.", done
                )
                % {"action": rule.label, "count": done},
                messages.SUCCESS,
            )
        if refused:
            items = "; ".join(refused[:20])
            if len(refused) > 20:
                items += " " + _("(and %(count)d more)") % {"count": len(refused) - 20}
            self.message_user(
                request,
                _("%(action)s is not possible for: %(items)s")
                % {"action": rule.label, "items": items},
                messages.WARNING,
            )


def _make_bulk_action(name: str):
    rule = workflow.TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        modeladmin._bulk_transition(request, queryset, name)

    action.__name__ = f"bulk_{name}"
    action.short_description = rule.label
    return action


# Transitions that need neither a note nor a time can run on many items at once.
BULK_ACTIONS = [
    _make_bulk_action(name)
    for name, rule in workflow.TRANSITIONS.items()
    if not rule.needs_note and not rule.needs_time and rule.who != workflow.SYSTEM
]
