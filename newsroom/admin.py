"""What the admins of articles, events and galleries share: the workflow panel,
transition buttons, previews, concurrency-safe saving and revisions.

Every check here asks `newsroom.workflow`; buttons only show its answer.
"""

from __future__ import annotations

import datetime
import uuid
from contextlib import nullcontext

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion.errors import RevertError
from reversion.revisions import set_comment
from reversion.utils import mute_signals
from reversion_compare.admin import CompareVersionAdmin

from newsroom import registry, revisions, workflow
from newsroom.admin_hardening import is_malformed_key
from newsroom.bulk import bulk_transition, transition_each
from newsroom.preview import preview_url, render_preview
from newsroom.review import chains, rules
from newsroom.search.admin import EngineSearchMixin
from newsroom.tasks import enqueue_on_commit

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
    # The desk follows the section; the stage only the workflow moves.
    "desk_id",
    "review_stage_id",
    # Until the restore is saved, the item was last changed when it was last changed.
    "updated_at",
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


# Panels that feature apps add to the change form of content, registered in their
# AppConfig.ready(): each is a callable (request, obj or None, model_admin) returning the
# panel's context (with its "template") or None for no panel.
CHANGE_FORM_PANELS: list = []


def register_change_form_panel(panel) -> None:
    if panel not in CHANGE_FORM_PANELS:
        CHANGE_FORM_PANELS.append(panel)


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


class EditVersionField(forms.IntegerField):
    """The version a form was loaded at: bookkeeping, never an edit of the user's."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class EditVersionForm(forms.ModelForm):
    """Refuses a save when someone else saved (or moved) the item since this form was loaded.

    Works for any model with an `edit_version` that every save moves on: a workflow item,
    and the child rows a form edits beside it (a gallery's photos, in its inline).
    """

    loaded_edit_version = EditVersionField(required=False)
    # An inline row left alone is not saved, so its version only matters when it was edited.
    checks_unchanged = True
    conflict_message = gettext_lazy(
        "Someone else saved this item (or changed its status) after you opened it. "
        "Your text is still below: copy what you need, then reload the page to see their "
        "version and apply your changes again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_edit_version"].initial = self.instance.edit_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and (self.checks_unchanged or self.has_changed()):
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
                raise ValidationError(self.conflict_message, code="edit_conflict")
        return cleaned


def visible_items_q(user, content_type: str = "content_type", object_id: str = "object_id") -> Q:
    """Rows that point at a workflow item by a generic key (a word-check result, a sign-off)
    whose item `user` may read: for the admins that list such rows."""
    condition = Q(pk__in=[])
    for model in registry.publishable_models():
        condition |= Q(
            **{
                content_type: ContentType.objects.get_for_model(model),
                f"{object_id}__in": model.objects.visible_to(user).values("pk"),
            }
        )
    return condition


def may_view_item_of(row, user) -> bool:
    """May `user` read the workflow item a generic-key row points at?"""
    item = row.content_type.get_object_for_this_type(pk=row.object_id) if row.object_id else None
    return item is not None and rules.may_view(item, user)


def is_desk_editor(user, obj) -> bool:
    """A chief editor, or an editor or chief of `obj`'s desk: who keeps what only editors
    change (a public item's address, a photo's deletion)."""
    return rules.is_chief_editor(user) or rules.has_desk_role(user, obj.desk_id, "editor", "chief")


def send_back_stages(obj, user) -> list:
    """The earlier stages `user` may send `obj` back to now (the form's choices besides "to
    the author"): none unless they may send it back at all."""
    if not workflow.allowed(obj, "send_back", user):
        return []
    return chains.earlier_stages(obj)


def send_back_choice(raw: str, obj, user):
    """The stage a send-back form chose: None for "to the author", or one of
    `send_back_stages`. PermissionDenied for anything else: the form offers nothing else, so
    the request was crafted."""
    raw = (raw or "").strip()
    if not raw:
        return None
    for stage in send_back_stages(obj, user):
        if str(stage.pk) == raw:
            return stage
    raise PermissionDenied


def may_edit_all(items, user) -> bool:
    """May `user` change every one of these workflow items, each in its current state?"""
    return all(workflow.can_edit(item, user) for item in items)


class WorkflowChildForm(EditVersionForm):
    """A row that public pages show as part of workflow items (a photo of a gallery, the
    lead photo of stories): it obeys the edit version of its own, and the rules of every
    item that shows it; one moved into another item needs the right to edit that one too.

    The admin sets `user` on a subclass made per request.
    """

    user = None
    # The foreign keys that put the row into a workflow item ("gallery").
    owner_fields: tuple[str, ...] = ()
    conflict_message = gettext_lazy(
        "Someone else changed this %(name)s after you opened the page. Your changes are still "
        "below: copy what you need, then reload the page to see theirs and apply yours again."
    )

    def clean(self):
        if self.instance.pk:
            self.conflict_message = self.conflict_message % {
                "name": self.instance._meta.verbose_name
            }
        cleaned = super().clean()
        if self.user is None:
            return cleaned
        if self.instance.pk and self.has_changed():
            # The instance still holds the stored values here (the form copies its data
            # into it after clean()): these are the items that show the row now.
            refused = [
                str(item)
                for item in self.instance.workflow_owners()
                if not workflow.can_edit(item, self.user)
            ]
            if refused:
                raise ValidationError(
                    _(
                        "This %(name)s is shown by “%(items)s”, which you may not change in "
                        "its current state."
                    )
                    % {"name": self.instance._meta.verbose_name, "items": "”, “".join(refused)},
                    code="owner_locked",
                )
        for name in self.owner_fields:
            target = cleaned.get(name)
            if name in self.changed_data and target is not None:
                if not workflow.can_edit(target, self.user):
                    self.add_error(
                        name,
                        ValidationError(
                            _("You may not change “%(item)s” in its current state.")
                            % {"item": target},
                            code="owner_locked",
                        ),
                    )
        return cleaned


def form_for_user(form_class, user, **attributes):
    """A per-request subclass of a WorkflowChildForm that knows who is saving."""
    return type(form_class.__name__, (form_class,), {"user": user, **attributes})


class WorkflowChildAdminMixin:
    """For the admin of a row shown as part of workflow items (see WorkflowChildForm):
    it may be changed or deleted only by whoever may edit every item showing it now."""

    form = WorkflowChildForm

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_edit_all(obj.workflow_owners(), request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or may_edit_all(obj.workflow_owners(), request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return form_for_user(super().get_form(request, obj, change, **kwargs), request.user)

    def get_deleted_objects(self, objs, request):
        # The bulk delete asks only the model-level permission: ask each row's items too.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            if not may_edit_all(obj.workflow_owners(), request.user):
                perms_needed.add(str(obj))
        return deleted, model_count, perms_needed, protected


class WorkflowChildInlineMixin:
    """The inline of such rows in their item's form (a gallery's photos)."""

    form = WorkflowChildForm

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = form_for_user(formset.form, request.user, checks_unchanged=False)
        return formset


class ReadableOnlyMixin:
    """For the admin of a model whose queryset has `visible_to(user)` (newsroom.review.rules):
    the change list and every view of one object reach only what the user may read; anything
    else answers 404, as an id that never existed would."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied  # no right to any of them: not a question of which
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("There is no such item."))
        return obj


class PublishableAdmin(ReadableOnlyMixin, EngineSearchMixin, CompareVersionAdmin):
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
    # Reading rights (newsroom.review.rules.may_view, ReadableOnlyMixin): the change list, the
    # change form and every view of one item (history, revisions, compare, preview, transitions).
    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or rules.may_view(obj, request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(obj, request.user)

    def has_delete_permission(self, request, obj=None):
        # Nothing is ever deleted: editors spike or unpublish instead.
        return False

    def related_choices(self, request, model):
        """The rows of `model` a form field of this admin may offer `request.user` (None: no
        limit): what they may read, so that no form links another's draft, even crafted."""
        if hasattr(model.objects, "visible_to"):
            return model.objects.visible_to(request.user)
        return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name, field in form.base_fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            allowed = self.related_choices(request, queryset.model)
            if allowed is None:
                continue
            condition = Q(pk__in=allowed.values("pk"))
            if obj is not None and obj.pk:
                # What the item links already stays (an editor may have linked what this
                # user cannot read): leaving it alone is not choosing it.
                condition |= Q(pk__in=self._linked_pks(obj, name))
            field.queryset = queryset.filter(condition)
        return form

    @staticmethod
    def _linked_pks(obj, name) -> list:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(obj, name).values_list("pk", flat=True))
        value = getattr(obj, field.attname, None)
        return [value] if value is not None else []

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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(fs.has_changed() for fs in formsets)):
            # An edit after a sign-off is recorded against it; where the chain asks, the
            # stage that signed must sign again (newsroom.review.chains).
            stage = chains.content_edited(form.instance, request.user)
            if stage is not None:
                self.message_user(request, chains.reapproval_message(stage), messages.WARNING)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not rules.is_desk_signer(request.user):
            # Offer only what a contributor may ever do; each item is still checked when run.
            for name, rule in workflow.TRANSITIONS.items():
                if rule.who != workflow.CONTRIBUTOR:
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
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        # Among what the user may read: another's draft is not found, like a wrong id.
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
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
        if rule is None or not rule.manual:
            raise PermissionDenied
        if not workflow.allowed(obj, name, request.user):
            # Checked again under the row lock in perform(); this keeps refusals ahead of form
            # errors. An item that moved since the page was shown (another signer was quicker)
            # is not a refusal: the user is told what happened.
            seen = self._seen_version(request, rule)
            if seen is not None and seen != obj.edit_version:
                self.message_user(request, workflow.moved_message(rule, obj), messages.ERROR)
                return HttpResponseRedirect(change_url)
            raise PermissionDenied
        to_stage = None
        if name == "send_back":
            to_stage = send_back_choice(request.POST.get("to_stage", ""), obj, request.user)
        try:
            at = parse_publish_at(request.POST.get("at", "")) if rule.needs_time else None
            workflow.perform(
                obj,
                name,
                by=request.user,
                note=request.POST.get("note", ""),
                at=at,
                seen_version=self._seen_version(request, rule),
                to_stage=to_stage,
            )
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

    @staticmethod
    def _seen_version(request, rule) -> int | None:
        """The edit version the button's form was shown at. Required where two editors'
        choices would otherwise silently replace each other (a schedule's time); a post
        without it for any other action is checked by the workflow's rules alone (they
        refuse a second publish or spike: its source state is gone)."""
        raw = request.POST.get("edit_version", "").strip()
        if raw.isdigit():
            return int(raw)
        if rule.needs_time:
            return -1  # never current: refused with the workflow's message to reload
        return None

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
                send_back_stages=send_back_stages(obj, request.user),
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
        panels = (panel(request, obj, self) for panel in CHANGE_FORM_PANELS)
        context["change_form_panels"] = [panel for panel in panels if panel]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- revisions: content only, never the workflow state ---------------
    def kept_on_restore(self, obj) -> dict:
        """The current values a restored revision must not overwrite."""
        kept = {field: getattr(obj, field) for field in WORKFLOW_FIELDS}
        if hasattr(obj, "slug") and obj.has_been_public():
            # The address is frozen once public; an old revision must not move it without a redirect.
            kept["slug"] = obj.slug
        return kept

    def removable_on_restore(self, request, obj) -> set:
        """The child models whose rows added since a revision its restore may remove: those
        the user may delete in the item's form."""
        return {
            inline.model
            for inline in self.get_inline_instances(request, obj)
            if inline.has_delete_permission(request, obj)
        }

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Show (GET) or restore (POST) an old revision of the item in the URL.

        Only that item and its own children are written, and its workflow fields keep their
        current values; the page is the item's change form filled with the old content, and
        saving it records the restore like any change (new revision, log entry, edit
        version, caches and search through the normal save and its signals). Looking
        changes nothing: the writes are rolled back.
        """
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        if not self.has_view_or_change_permission(request, current):
            raise PermissionDenied
        # In the item's current state: nobody restores over what they could not edit.
        if not self.has_change_permission(request, current):
            raise PermissionDenied
        version = get_object_or_404(revisions.versions_of(current), pk=version_id)
        context = {
            "title": _("Revert %(name)s") % {"name": version.object_repr},
            "revert": True,
            **(extra_context or {}),
        }
        template = self.revision_form_template or self._reversion_get_template_list(
            "revision_form.html"
        )
        signals = (pre_save, post_save, pre_delete, post_delete, m2m_changed)
        quiet = mute_signals(*signals) if request.method == "GET" else nullcontext()
        try:
            with transaction.atomic(using=version.db), quiet:
                restored = revisions.write_revision(
                    current,
                    version,
                    kept=self.kept_on_restore(current),
                    removable=self.removable_on_restore(request, current),
                )
                request._newsroom_restored = (version, restored)
                with self.create_revision(request):
                    response = self.changeform_view(request, str(current.pk), request.path, context)
                    saved = request.method == "POST" and response.status_code == 302
                    if saved:
                        set_comment(self._restore_message(version, restored))
                if saved:
                    for child in restored.skipped_children:
                        self.message_user(
                            request,
                            _("“%(child)s” belongs to another item now and was left there.")
                            % {"child": child},
                            messages.WARNING,
                        )
                    return response
                if response.status_code != 200:
                    raise RevertError(_("This version could not be loaded."))
                response.template_name = template
                response.render()
                # Only looked at, or the form had errors: undo the writes (here, outside
                # reversion's own atomic block, which would swallow the rollback).
                transaction.set_rollback(True)
                return response
        except RevertError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_history",
                current.pk,
            )

    def _restore_message(self, version, restored) -> str:
        message = _("Restored the version saved on %(datetime)s.") % {
            "datetime": localize(template_localtime(version.revision.date_created))
        }
        if restored.changed_fields:
            message += " " + _("Changed: %(fields)s.") % {
                "fields": ", ".join(restored.changed_fields)
            }
        return message

    def construct_change_message(self, request, form, formsets, add=False):
        restoring = getattr(request, "_newsroom_restored", None)
        if restoring is None:
            return super().construct_change_message(request, form, formsets, add)
        return self._restore_message(*restoring)

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
        rule = workflow.TRANSITIONS[name]
        pks = list(queryset.values_list("pk", flat=True))
        if len(pks) > settings.BULK_AT_ONCE_MAX_ITEMS:
            # Too many for one request (newsroom/bulk.py): the list shows their progress.
            enqueue_on_commit(
                bulk_transition,
                self.model._meta.label_lower,
                pks,
                name,
                request.user.pk,
                run=uuid.uuid4().hex,
                language=translation.get_language() or "",
            )
            self.message_user(
                request,
                _(
                    "%(action)s: %(count)d items are being done in the background; their "
                    "status in the list shows the progress."
                )
                % {"action": rule.label, "count": len(pks)},
                messages.INFO,
            )
            return
        done, refused = transition_each(queryset, name, request.user)
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
    if not rule.needs_note and not rule.needs_time and rule.manual
]


def _state_third_party_action_permissions() -> None:
    """django-axes' clean-up action deletes lockout records but states no permission, so
    Django would offer it to anyone who may only read them: it needs the right to delete."""
    from axes.admin import AccessAttemptAdmin

    AccessAttemptAdmin.cleanup_expired_attempts.allowed_permissions = ("delete",)


_state_third_party_action_permissions()


# The review chain's own admins (desks, chains, chain choices).
from newsroom.review import admin as _review_admin  # noqa: E402, F401
