from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.images import PhotoFormField, normalised_image
from newsroom.roles import is_editor
from newsroom.search.admin import EngineSearchMixin
from people.models import Person


@admin.register(Person)
class PersonAdmin(EngineSearchMixin, admin.ModelAdmin):
    list_display = ["display_name", "kind", "affiliation", "title", "is_confirmed"]
    list_filter = ["kind", "is_confirmed"]
    search_fields = ["display_name", "affiliation", "slug"]
    autocomplete_fields = ["user"]
    actions = ["confirm"]
    fieldsets = [
        (None, {"fields": ["display_name", "kind", "affiliation", "title", "is_confirmed"]}),
        (_("Profile"), {"fields": ["bio", "photo", "slug", "user"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Reporters add correspondents from a byline's "+"; linking a login or vouching for a
        # person is an editor's call (a linked login may edit that person's drafts).
        if is_editor(request.user):
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "user", "is_confirmed"]

    # A portrait gets the same checks and clean-up as a news photo (no location data kept).
    formfield_overrides = {models.ImageField: {"form_class": PhotoFormField}}

    def save_model(self, request, obj, form, change):
        if obj.photo and not obj.photo._committed:
            content, _size = normalised_image(obj.photo.file, obj.photo.name)
            obj.photo.save(content.name, content, save=False)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Confirm selected people"), permissions=["change"])
    def confirm(self, request, queryset):
        count = queryset.update(is_confirmed=True)
        self.message_user(request, _("%(count)d people confirmed.") % {"count": count})
