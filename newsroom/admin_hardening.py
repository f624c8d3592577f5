"""What every registered admin gets from the site (newsroom/admin_site.py), third-party ones
included (auth, taggit, reversion): text inputs cleaned of control characters
(newsroom/text.py), crafted keys answered with 404 or 400 instead of a database error, and
the files of a failed save deleted (newsroom/files.py).

Mixed in at registration, so no admin has to remember it.
"""

from __future__ import annotations

from django.contrib.admin import helpers
from django.core.exceptions import BadRequest, ValidationError
from django.db import connection
from django.forms import ModelForm
from django.http import Http404
from django.utils.translation import gettext as _

from newsroom.files import files_kept_only_on_success
from newsroom.text import cleaning_form


def is_malformed_key(field, raw) -> bool:
    """True when `raw` cannot be a value of `field` (a primary key, say): "abc" or a number
    beyond the column's range, which the database would refuse rather than not find."""
    try:
        value = field.to_python(raw)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return True
    if isinstance(value, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is not None and value < low) or (high is not None and value > high)
    return isinstance(value, str) and "\x00" in value


class HardenedInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = cleaning_form(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)


class HardenedAdminMixin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A save that fails halfway (its transaction rolled back) takes its files with it.
        with files_kept_only_on_success():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        # The declared form class, cleaning (UserAdmin's add page declares its own); `change`
        # travels in kwargs, as some admins' get_form() takes no such argument.
        if "form" not in kwargs:
            declared = getattr(self, "add_form", None) if obj is None else None
            kwargs["form"] = cleaning_form(declared or self.form)
        return super().get_form(request, obj, **kwargs)

    def get_changelist_form(self, request, **kwargs):
        kwargs["form"] = cleaning_form(kwargs.get("form", ModelForm))
        return super().get_changelist_form(request, **kwargs)

    def get_inlines(self, request, obj):
        return [hardened(inline) for inline in super().get_inlines(request, obj)]

    def get_object(self, request, object_id, from_field=None):
        # An empty ?_to_field= passes Django's check of the field and then names no field.
        from_field = from_field or None
        field = (
            self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        )
        if is_malformed_key(field, object_id):
            # Django's admin would let the database refuse it (a 500), or redirect as if the
            # item had been deleted: an address that cannot name anything is not found.
            raise Http404(_("There is no such item."))
        return super().get_object(request, object_id, from_field)

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        if any(
            is_malformed_key(pk, value)
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        ):
            raise BadRequest(_("The selection names items that cannot exist."))
        return super().response_action(request, queryset)


_HARDENED: dict[type, type] = {}


def hardened(admin_class: type) -> type:
    """`admin_class` (a ModelAdmin or an inline) with the mixins above, made once per class."""
    from django.contrib.admin.options import InlineModelAdmin

    if issubclass(admin_class, HardenedAdminMixin | HardenedInlineMixin):
        return admin_class
    if admin_class not in _HARDENED:
        mixin = (
            HardenedInlineMixin if issubclass(admin_class, InlineModelAdmin) else HardenedAdminMixin
        )
        _HARDENED[admin_class] = type(
            admin_class.__name__, (mixin, admin_class), {"__module__": admin_class.__module__}
        )
    return _HARDENED[admin_class]
