"""Who manages desk memberships in the admin: site administrators every desk's, a desk chief
their own desk's only, and never the chief role (chiefs are appointed by administrators).

Site-wide roles (chief editor, site administrator) are groups, not memberships: nobody grants
them here. The rules below are used by the memberships' own admin and by the inline of the
desk's change form alike, and checked again on every posted row (a crafted desk, role or
deletion is refused with a message, not saved).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsroom.review import rules
from newsroom.review.models import Desk, DeskMembership
from newsroom.roles import Role, is_site_admin


def managed_desk_ids(user) -> set[int] | None:
    """The desks whose memberships `user` manages: None for every desk (site administrators)."""
    if is_site_admin(user):
        return None
    return {desk_id for desk_id, roles in rules.desk_roles(user).items() if Role.CHIEF in roles}


def may_manage_memberships(user) -> bool:
    managed = managed_desk_ids(user)
    return managed is None or bool(managed)


def may_manage(user, desk_id, role) -> bool:
    """May `user` add, change or remove a membership with `role` on desk `desk_id`?"""
    managed = managed_desk_ids(user)
    if managed is None:
        return True
    return desk_id in managed and role != Role.CHIEF


def may_read_memberships(user, desk_id=None) -> bool:
    """Chief editors read every desk's members (to know who signs what); chiefs their own."""
    if rules.is_chief_editor(user):
        return True
    managed = managed_desk_ids(user)
    return managed is None or (desk_id in managed if desk_id is not None else bool(managed))


class MembershipForm(forms.ModelForm):
    """A membership as `manager` may set it (the admin sets `manager` per request)."""

    manager = None

    class Meta:
        model = DeskMembership
        fields = ["desk", "user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)
        if "desk" in self.fields and self.manager is not None:
            managed = managed_desk_ids(self.manager)
            if managed is not None:
                self.fields["desk"].queryset = Desk.objects.filter(pk__in=managed)

    def stored_desk_id(self):
        # In the desk's inline the desk is the parent's (not a field of the row).
        return self.initial.get("desk", self.instance.desk_id)

    def refusal(self, desk_id, role) -> str | None:
        if may_manage(self.manager, desk_id, role):
            return None
        if role == Role.CHIEF:
            return _("Only a site administrator appoints or removes a desk chief.")
        return _("You may manage the members of your own desk only.")

    def clean(self):
        cleaned = super().clean()
        if self.manager is None:
            return cleaned
        # The row as stored: changing it is removing that membership.
        if self.instance.pk and self.has_changed():
            stored = self.refusal(self.stored_desk_id(), self.initial.get("role"))
            if stored:
                raise ValidationError(stored, code="membership_refused")
        desk = cleaned.get("desk") or getattr(self.instance, "desk", None)
        role = cleaned.get("role")
        if desk is not None and role and (not self.instance.pk or self.has_changed()):
            refused = self.refusal(desk.pk, role)
            if refused:
                raise ValidationError(refused, code="membership_refused")
        return cleaned


def form_for(manager, form_class=MembershipForm):
    return type(form_class.__name__, (form_class,), {"manager": manager})


class MembershipFormSet(BaseInlineFormSet):
    """The desk form's inline: removing a row is checked like changing it."""

    def clean(self):
        super().clean()
        manager = self.form.manager
        for form in self.deleted_forms:
            desk_id, role = form.stored_desk_id(), form.initial.get("role")
            if form.instance.pk and not may_manage(manager, desk_id, role):
                raise ValidationError(form.refusal(desk_id, role), code="membership_refused")

    def save_existing(self, form, obj, commit=True):
        previous = (form.initial.get("user"), form.initial.get("role"))
        if commit:
            _save_membership(obj, previous)
            return obj
        return super().save_existing(form, obj, commit)


def _save_membership(obj, previous) -> None:
    """Save through the model (it keeps the role's group); a changed user or role leaves the
    old one's group if it was their last such membership."""
    obj.save()
    if previous is not None and previous != (obj.user_id, obj.role):
        user_id, role = previous
        DeskMembership.sync_group(get_user_model().objects.get(pk=user_id), role)


class DeskMembershipInline(admin.TabularInline):
    """The members of a desk, in the desk's change form."""

    model = DeskMembership
    form = MembershipForm
    formset = MembershipFormSet
    fields = ["user", "role"]
    extra = 0
    verbose_name = gettext_lazy("member")
    verbose_name_plural = gettext_lazy("members")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = form_for(request.user, kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)

    def _manages(self, request, obj) -> bool:
        managed = managed_desk_ids(request.user)
        return managed is None or (obj is not None and obj.pk in managed)

    def has_view_permission(self, request, obj=None):
        return may_read_memberships(request.user, getattr(obj, "pk", None))

    def has_add_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._manages(request, obj)


@admin.register(DeskMembership)
class DeskMembershipAdmin(admin.ModelAdmin):
    """Every membership on one list: site administrators all of them, a chief their desk's."""

    form = MembershipForm
    list_display = ["user", "role", "desk"]
    list_filter = ["desk", "role"]
    list_select_related = ["user", "desk"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    ordering = ["desk", "role", "user__username"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return form_for(request.user, super().get_form(request, obj, change, **kwargs))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if rules.is_chief_editor(request.user):
            return queryset
        managed = managed_desk_ids(request.user)
        return queryset if managed is None else queryset.filter(desk_id__in=managed)

    def get_object(self, request, object_id, from_field=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied  # not a reader of any desk's members
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("There is no such item."))
        return obj

    def has_module_permission(self, request):
        return may_read_memberships(request.user)

    def has_view_permission(self, request, obj=None):
        return may_read_memberships(request.user, obj.desk_id if obj is not None else None)

    def has_add_permission(self, request):
        return may_manage_memberships(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return may_manage_memberships(request.user)
        return may_manage(request.user, obj.desk_id, obj.role)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        previous = None
        if change:
            previous = (form.initial.get("user"), form.initial.get("role"))
        _save_membership(obj, previous)

    def delete_queryset(self, request, queryset):
        # One by one, through the model: each removal keeps the groups right.
        for membership in queryset.select_related("user"):
            membership.delete()

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            if not may_manage(request.user, obj.desk_id, obj.role):
                perms_needed.add(str(obj))
        return deleted, model_count, perms_needed, protected
